//! `grille audit verify`: checks the audit log's hash chain (read-only,
//! server running or not) and names the first edited, deleted or inserted
//! entry.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use grille_store::{AuditVerification, ChainProblem, verify_audit_file};

use super::CliError;
use super::text::tr_with;

#[derive(Debug, Subcommand)]
pub(super) enum AuditCommand {
    /// Vérifie la chaîne d'empreintes du journal d'audit (lecture seule,
    /// serveur en marche ou non) ; nomme la première entrée modifiée,
    /// supprimée ou insérée et sort alors avec le code 1.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub(super) struct VerifyArgs {
    /// Dossier des données du serveur (celui de `grille serve --data`).
    #[arg(long, env = "GRILLE_DATA", default_value = "data")]
    data: PathBuf,
}

pub(super) fn run(command: AuditCommand) -> Result<(), CliError> {
    match command {
        AuditCommand::Verify(args) => verify(args),
    }
}

fn verify(args: VerifyArgs) -> Result<(), CliError> {
    let database = args.data.join(grille_server::DATABASE_FILE);
    let path = database.display().to_string();
    if !database.is_file() {
        return Err(CliError::Usage(tr_with("cli.audit.missing", &[("path", path)])));
    }
    let verification = verify_audit_file(&database).map_err(|error| {
        CliError::Usage(tr_with("cli.audit.failed", &[("path", path.clone()), ("error", error.to_string())]))
    })?;
    match verification {
        AuditVerification::Intact(summary) if summary.entries == 0 => {
            println!("{}", tr_with("cli.audit.empty", &[("path", path)]));
            Ok(())
        }
        AuditVerification::Intact(summary) => {
            println!(
                "{}",
                tr_with(
                    "cli.audit.intact",
                    &[
                        ("count", summary.entries.to_string()),
                        ("first", summary.first_at.unwrap_or_default()),
                        ("last", summary.last_at.unwrap_or_default()),
                    ],
                )
            );
            println!("{}", tr_with("cli.audit.last_hash", &[("hash", summary.last_hash)]));
            Ok(())
        }
        AuditVerification::Broken(broken) => {
            let problem = match broken.problem {
                ChainProblem::HashMismatch => "cli.audit.hash_mismatch",
                ChainProblem::LinkMismatch => "cli.audit.link_mismatch",
            };
            Err(CliError::Usage(tr_with(
                "cli.audit.broken",
                &[
                    ("id", broken.id.to_string()),
                    ("at", broken.at),
                    ("action", broken.action),
                    ("entity", broken.entity),
                    ("entity_id", broken.entity_id),
                    ("problem", tr_with(problem, &[])),
                    ("intact", broken.intact_before.to_string()),
                ],
            )))
        }
        AuditVerification::Unchained => {
            Err(CliError::Usage(tr_with("cli.audit.unchained", &[("path", path)])))
        }
    }
}
