//! `grille backup` and `grille restore`: a consistent copy of the store,
//! taken while the server runs, and its restoration (server stopped).

use std::path::{Path, PathBuf};

use clap::Args;
use grille_store::backup::{self, BackupError, BackupSummary};

use super::CliError;
use super::text::tr_with;

#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// Le fichier de sauvegarde à créer (il ne doit pas exister).
    output: PathBuf,
    /// Dossier des données du serveur (celui de `grille serve --data`).
    #[arg(long, env = "GRILLE_DATA", default_value = "data")]
    data: PathBuf,
}

#[derive(Debug, Args)]
pub(super) struct RestoreArgs {
    /// La sauvegarde à restaurer (créée par `grille backup`).
    backup: PathBuf,
    /// Dossier des données du serveur, qui doit être arrêté ; la base
    /// remplacée est gardée à côté (`….before-restore-…`).
    #[arg(long, env = "GRILLE_DATA", default_value = "data")]
    data: PathBuf,
}

fn database(data: &Path) -> PathBuf {
    data.join(grille_server::DATABASE_FILE)
}

fn summary_arguments(path: &Path, summary: &BackupSummary) -> Vec<(&'static str, String)> {
    vec![
        ("path", path.display().to_string()),
        ("version", summary.schema_version.to_string()),
        ("sessions", summary.sessions.to_string()),
        ("evaluations", summary.evaluations.to_string()),
        ("audit", summary.audit_entries.to_string()),
    ]
}

fn failure(error: BackupError) -> CliError {
    let (key, arguments) = match &error {
        BackupError::Missing(path) => ("cli.backup.missing", vec![("path", path.display().to_string())]),
        BackupError::Exists(path) => ("cli.backup.exists", vec![("path", path.display().to_string())]),
        BackupError::Damaged { path, reason } => {
            ("cli.backup.damaged", vec![("path", path.display().to_string()), ("reason", reason.clone())])
        }
        BackupError::TooNew { path, found, known } => (
            "cli.backup.too_new",
            vec![
                ("path", path.display().to_string()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
        ),
        BackupError::Store(error) => ("cli.backup.failed", vec![("error", error.to_string())]),
        BackupError::Io { path, source } => {
            ("cli.backup.io", vec![("path", path.display().to_string()), ("error", source.to_string())])
        }
    };
    CliError::Usage(tr_with(key, &arguments))
}

pub(super) fn run_backup(args: BackupArgs) -> Result<(), CliError> {
    let summary = backup::backup(&database(&args.data), &args.output).map_err(failure)?;
    println!("{}", tr_with("cli.backup.done", &summary_arguments(&args.output, &summary)));
    Ok(())
}

pub(super) fn run_restore(args: RestoreArgs) -> Result<(), CliError> {
    let target = database(&args.data);
    if !args.data.is_dir() {
        return Err(failure(BackupError::Missing(args.data)));
    }
    let (summary, kept) = backup::restore(&args.backup, &target).map_err(failure)?;
    println!("{}", tr_with("cli.restore.done", &summary_arguments(&target, &summary)));
    if let Some(kept) = kept {
        println!("{}", tr_with("cli.restore.kept", &[("path", kept.display().to_string())]));
    }
    Ok(())
}
