//! `grille store copy`: a board's data moved between the embedded SQLite
//! file and PostgreSQL, both ways, checked table by table afterwards (the
//! work is `grille_store::copy`; this prints its report).

use clap::{Args, Subcommand};
use grille_store::AuditVerification;
use grille_store::copy::{self, CopyError, CopyReport, Location};

use super::CliError;
use super::text::{tr, tr_with};

#[derive(Debug, Subcommand)]
pub(super) enum StoreCommand {
    /// Copie toutes les données d'une base vers une base vide, de SQLite
    /// vers PostgreSQL ou l'inverse (serveur arrêté), en une transaction ;
    /// compare ensuite chaque table (lignes, empreinte) et vérifie le
    /// journal d'audit de la cible ; sort avec le code 1 à la moindre
    /// différence.
    Copy(CopyArgs),
}

#[derive(Debug, Args)]
pub(super) struct CopyArgs {
    /// La base à copier : sqlite:CHEMIN (p. ex. sqlite:data/grille.sqlite)
    /// ou postgres://UTILISATEUR@HÔTE/BASE.
    #[arg(long, value_name = "BASE")]
    from: String,
    /// La base cible, vide (créée si c'est un fichier SQLite qui n'existe
    /// pas encore) : sqlite:CHEMIN ou postgres://UTILISATEUR@HÔTE/BASE.
    #[arg(long, value_name = "BASE")]
    to: String,
}

pub(super) fn run(command: StoreCommand) -> Result<(), CliError> {
    match command {
        StoreCommand::Copy(args) => copy_command(&args),
    }
}

fn copy_command(args: &CopyArgs) -> Result<(), CliError> {
    let from = Location::parse(&args.from).map_err(refusal)?;
    let to = Location::parse(&args.to).map_err(refusal)?;
    let report = copy::copy(&from, &to).map_err(refusal)?;
    print_report(&from, &to, &report);
    if report.ok() {
        let rows: u64 = report.tables.iter().map(|table| table.target_rows).sum();
        println!(
            "{}",
            tr_with(
                "cli.store.copy.done",
                &[("tables", report.tables.len().to_string()), ("rows", rows.to_string())]
            )
        );
        Ok(())
    } else {
        Err(CliError::Usage(tr("cli.store.copy.mismatch")))
    }
}

fn print_report(from: &Location, to: &Location, report: &CopyReport) {
    println!(
        "{}",
        tr_with(
            "cli.store.copy.header",
            &[
                ("from", from.to_string()),
                ("to", to.to_string()),
                ("migration", report.migration.to_string())
            ]
        )
    );
    if report.target_migrated {
        println!("{}", tr_with("cli.store.copy.migrated", &[("migration", report.migration.to_string())]));
    }
    println!(
        "{:<32} {:>8}  {:<16}  {}",
        tr("cli.store.copy.column.table"),
        tr("cli.store.copy.column.rows"),
        tr("cli.store.copy.column.checksum"),
        tr("cli.store.copy.column.check")
    );
    for table in &report.tables {
        let check = if table.matches() {
            tr("cli.store.copy.same")
        } else {
            tr_with(
                "cli.store.copy.differs",
                &[
                    ("rows", table.source_rows.to_string()),
                    ("checksum", short(&table.source_checksum).to_owned()),
                ],
            )
        };
        println!(
            "{:<32} {:>8}  {:<16}  {check}",
            table.table,
            table.target_rows,
            short(&table.target_checksum)
        );
    }
    if !report.counters.is_empty() {
        let counters: Vec<String> =
            report.counters.iter().map(|(table, value)| format!("{table} = {value}")).collect();
        println!("{}", tr_with("cli.store.copy.counters", &[("counters", counters.join(", "))]));
    }
    let chain = |verification: &AuditVerification| match verification {
        AuditVerification::Intact(summary) => {
            tr_with("cli.store.copy.chain_intact", &[("count", summary.entries.to_string())])
        }
        AuditVerification::Broken(broken) => {
            tr_with("cli.store.copy.chain_broken", &[("id", broken.id.to_string())])
        }
        AuditVerification::Unchained => tr("cli.store.copy.chain_unchained"),
    };
    let same = matches!(
        (&report.source_audit, &report.target_audit),
        (AuditVerification::Intact(source), AuditVerification::Intact(target))
            if source.entries == target.entries && source.last_hash == target.last_hash
    );
    let key = if same { "cli.store.copy.audit" } else { "cli.store.copy.audit_differs" };
    println!(
        "{}",
        tr_with(key, &[("source", chain(&report.source_audit)), ("target", chain(&report.target_audit))])
    );
}

/// The first 16 hex digits of a checksum, enough to tell two apart.
fn short(checksum: &str) -> &str {
    checksum.get(..16).unwrap_or(checksum)
}

fn refusal(error: CopyError) -> CliError {
    let (key, arguments): (&str, Vec<(&str, String)>) = match &error {
        CopyError::BadLocation { location } => {
            ("cli.store.copy.bad_location", vec![("location", location.clone())])
        }
        CopyError::Missing(location) => ("cli.store.copy.missing", vec![("location", location.to_string())]),
        CopyError::NotADatabase { location, reason } => (
            "cli.store.copy.not_a_database",
            vec![("location", location.to_string()), ("reason", reason.clone())],
        ),
        CopyError::NotGrille(location) => {
            ("cli.store.copy.not_grille", vec![("location", location.to_string())])
        }
        CopyError::Unreachable { location, reason } => (
            "cli.store.copy.unreachable",
            vec![("location", location.to_string()), ("reason", reason.clone())],
        ),
        CopyError::TargetNotEmpty { location, table, rows } => (
            "cli.store.copy.not_empty",
            vec![("location", location.to_string()), ("table", table.clone()), ("rows", rows.to_string())],
        ),
        CopyError::LevelMismatch { source_level, target_level } => (
            "cli.store.copy.levels",
            vec![("source", source_level.to_string()), ("target", target_level.to_string())],
        ),
        CopyError::TooNew { location, found, known } => (
            "cli.store.copy.too_new",
            vec![
                ("location", location.to_string()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
        ),
        CopyError::SchemaMismatch { table } => ("cli.store.copy.schema", vec![("table", table.clone())]),
        CopyError::Value { table, column, reason } => (
            "cli.store.copy.value",
            vec![("table", table.clone()), ("column", column.clone()), ("reason", reason.clone())],
        ),
        CopyError::Store { location, source } => {
            ("cli.store.copy.failed", vec![("location", location.to_string()), ("error", source.to_string())])
        }
    };
    CliError::Usage(tr_with(key, &arguments))
}
