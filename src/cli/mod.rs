//! Command-line arguments and their dispatch.

mod audit;
mod backup;
mod batches;
mod blueprint;
mod case;
mod catalogue;
mod documents;
mod files;
mod grade;
mod output;
mod score;
mod serve;
mod session_check;
mod store;
pub(crate) mod text;
mod translation;
mod validate;
mod what_if;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub(crate) use files::CliError;

/// Exit code for invalid input (a file with problems, an unknown id).
pub(crate) const EXIT_FAILURE: u8 = 1;

// The `--help` texts below (doc comments) stay French: clap reads them at
// compile time, so they cannot follow the language chosen for a run (see
// `text`). Everything else the CLI prints comes from the catalogue.

/// grille : grilles d'évaluation et examens du brevet fédéral
/// d'accompagnement socioprofessionnel.
#[derive(Debug, Parser)]
#[command(name = "grille", version, about, long_about = None)]
pub(crate) struct Arguments {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Consulter le catalogue des compétences (profil de qualification).
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Calculatrice de notes : points → note, moyennes pondérées.
    #[command(subcommand)]
    Grade(grade::GradeCommand),
    /// Examiner un plan d'examen : couverture des compétences.
    #[command(subcommand)]
    Blueprint(blueprint::BlueprintCommand),
    /// Études de cas d'un dossier de documents : lister, afficher, exporter.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// Calcule les notes d'une session : notes de position, d'épreuve et
    /// globale, décision et raisons, divergences encore ouvertes.
    Score(score::ScoreArgs),
    /// Démarre le serveur (API et pages) sur sa base SQLite intégrée.
    Serve(serve::ServeArgs),
    /// Copie cohérente de la base, serveur en marche ou non (API de
    /// sauvegarde de SQLite), vérifiée après écriture.
    Backup(backup::BackupArgs),
    /// Remplace la base par une sauvegarde vérifiée (serveur arrêté) ;
    /// l'ancienne base est gardée à côté.
    Restore(backup::RestoreArgs),
    /// Journal d'audit : vérifier sa chaîne d'empreintes.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// La base de données : copier les données de SQLite vers PostgreSQL
    /// ou l'inverse.
    #[command(subcommand)]
    Store(store::StoreCommand),
    /// Valider des fichiers de données (catalogue, barème, plan d'examen,
    /// grille, session) ; liste tous les problèmes de tous les fichiers.
    Validate {
        /// Les fichiers à valider.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Le type des fichiers, s'il ne se déduit pas de leurs champs.
        #[arg(long, value_enum)]
        kind: Option<validate::FileKind>,
        #[command(flatten)]
        source: CatalogueSource,
    },
}

#[derive(Debug, Subcommand)]
enum CatalogueCommand {
    /// Liste les domaines et les compétences.
    List(CatalogueSource),
    /// Affiche une compétence : situation de travail et critères par catégorie.
    Show {
        /// Identifiant de la compétence, p. ex. A7.
        id: String,
        #[command(flatten)]
        source: CatalogueSource,
    },
    /// Cherche un texte dans les titres, situations et critères
    /// (sans tenir compte de la casse ni des accents).
    Search {
        /// Le texte cherché, p. ex. « evaluation ».
        text: String,
        #[command(flatten)]
        source: CatalogueSource,
    },
    /// Exporte tout le catalogue sur la sortie standard, avec les
    /// traductions importées dans le dossier de données.
    Export {
        /// Format : json (selon le schéma), csv (une ligne par critère),
        /// moodle (référentiel de compétences Moodle, CSV) ou case (1EdTech
        /// CASE 1.1, JSON).
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Langue des textes des formats moodle et case (le français là où
        /// le catalogue n'a pas de traduction).
        #[arg(long, value_enum, default_value_t = ExportLanguageArg::Fr)]
        lang: ExportLanguageArg,
        #[command(flatten)]
        data: DataFolder,
        #[command(flatten)]
        source: CatalogueSource,
    },
    /// Traduction du catalogue : feuille à remplir, import.
    #[command(subcommand)]
    Translation(translation::TranslationCommand),
}

/// The data folder, whose `catalogue/` holds the imported translations.
#[derive(Debug, clap::Args)]
struct DataFolder {
    /// Dossier des données de « grille serve » ; les traductions du
    /// catalogue sont dans son sous-dossier catalogue/.
    #[arg(long, env = "GRILLE_DATA", default_value = "data", value_name = "DOSSIER")]
    data: PathBuf,
}

/// The language of an export's texts.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportLanguageArg {
    /// Français.
    Fr,
    /// Allemand.
    De,
    /// Italien.
    It,
}

/// Which catalogue a command reads: the embedded one by default.
#[derive(Debug, clap::Args)]
struct CatalogueSource {
    /// Fichier de catalogue à utiliser au lieu du catalogue intégré.
    #[arg(long, value_name = "FICHIER")]
    catalogue: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Moodle,
    Case,
}

/// Runs one command. `Ok` carries the exit code for commands that report
/// findings (validation); `Err` is an error to print.
pub(crate) fn run(arguments: Arguments) -> Result<ExitCode, CliError> {
    match arguments.command {
        Command::Catalogue(command) => catalogue::run(command).map(|()| ExitCode::SUCCESS),
        Command::Blueprint(command) => blueprint::run(command).map(|()| ExitCode::SUCCESS),
        Command::Case(command) => case::run(command).map(|()| ExitCode::SUCCESS),
        Command::Score(args) => score::run(args).map(|()| ExitCode::SUCCESS),
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Backup(args) => backup::run_backup(args).map(|()| ExitCode::SUCCESS),
        Command::Restore(args) => backup::run_restore(args).map(|()| ExitCode::SUCCESS),
        Command::Audit(command) => audit::run(command).map(|()| ExitCode::SUCCESS),
        Command::Store(command) => store::run(command).map(|()| ExitCode::SUCCESS),
        Command::Grade(command) => grade::run(command).map(|()| ExitCode::SUCCESS),
        Command::Validate { files, kind, source } => {
            Ok(validate::run(&files, kind, source.catalogue.as_deref()))
        }
    }
}
