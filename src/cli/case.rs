//! `grille case list|show|export`: the case studies of a documents folder
//! (plus the worked example's), as a board member reads them.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use grille_scoring::CaseStudy;

use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue};
use super::output::Output;
use super::text::{tr, tr_with};

#[derive(Debug, Subcommand)]
pub(super) enum CaseCommand {
    /// Liste les études de cas : identifiant, version, langue, année,
    /// points d'appréciation servis, titre.
    List(CaseSource),
    /// Affiche une étude de cas : situation, tâches et, avec
    /// `--notes-expert`, les éléments de réponse attendus.
    Show {
        /// Identifiant du cas.
        id: String,
        /// Version (par défaut la plus récente).
        #[arg(long)]
        version: Option<String>,
        /// Montre aussi les notes pour les expert·e·s (confidentielles).
        #[arg(long = "notes-expert")]
        examiner_notes: bool,
        #[command(flatten)]
        source: CaseSource,
    },
    /// Écrit une étude de cas en JSON sur la sortie standard, telle qu'un
    /// autre organe d'examen peut l'importer.
    Export {
        /// Identifiant du cas.
        id: String,
        /// Version (par défaut la plus récente).
        #[arg(long)]
        version: Option<String>,
        /// Sans les notes pour les expert·e·s (version pour les candidat·e·s).
        #[arg(long = "sans-notes")]
        without_notes: bool,
        #[command(flatten)]
        source: CaseSource,
    },
}

#[derive(Debug, Args)]
pub(super) struct CaseSource {
    /// Dossier de documents d'examen (cas, grilles...) en plus de ceux intégrés.
    #[arg(long, value_name = "DOSSIER")]
    documents: Option<PathBuf>,
    /// Fichier de catalogue à utiliser au lieu du catalogue intégré.
    #[arg(long, value_name = "FICHIER")]
    catalogue: Option<PathBuf>,
}

fn pool(source: &CaseSource) -> Result<DocumentPool, CliError> {
    let catalogue = load_catalogue(source.catalogue.as_deref())?;
    let pool = DocumentPool::load(&catalogue, source.documents.as_deref())?;
    pool.warn_skipped();
    Ok(pool)
}

/// The case `id` in `version`, or its newest version (versions of one id
/// sort as text).
fn find<'a>(cases: &'a [CaseStudy], id: &str, version: Option<&str>) -> Result<&'a CaseStudy, CliError> {
    cases
        .iter()
        .filter(|case| case.id == id && version.is_none_or(|version| case.version == version))
        .max_by(|a, b| a.version.cmp(&b.version))
        .ok_or_else(|| CliError::UnknownId { message: "cli.error.unknown_case", id: id.to_owned() })
}

pub(super) fn run(command: CaseCommand) -> Result<(), CliError> {
    let mut out = Output::new();
    match command {
        CaseCommand::List(source) => {
            let pool = pool(&source)?;
            let mut cases: Vec<&CaseStudy> = pool.cases().iter().collect();
            cases.sort_by(|a, b| (&a.id, &a.version).cmp(&(&b.id, &b.version)));
            if cases.is_empty() {
                out.line(tr("cli.case.none"))?;
            }
            for case in cases {
                let year = case.year.map(|year| year.to_string()).unwrap_or_else(|| "—".to_owned());
                out.line(format!(
                    "{:<28} {:<6} {:<3} {:<5} {:<10} {}",
                    case.id,
                    case.version,
                    case.language.code(),
                    year,
                    case.positions.join(","),
                    case.title
                ))?;
            }
        }
        CaseCommand::Show { id, version, examiner_notes, source } => {
            let pool = pool(&source)?;
            let case = find(pool.cases(), &id, version.as_deref())?;
            out.line(tr_with(
                "cli.case.heading",
                &[("id", case.id.clone()), ("version", case.version.clone()), ("title", case.title.clone())],
            ))?;
            out.line(tr_with(
                "cli.case.meta",
                &[
                    ("language", case.language.code().to_owned()),
                    ("positions", case.positions.join(", ")),
                    ("competences", case.competences.join(", ")),
                ],
            ))?;
            out.line("")?;
            for line in case.situation.lines() {
                out.line(format!("  {line}"))?;
            }
            for (index, task) in case.tasks.iter().enumerate() {
                out.line("")?;
                out.line(tr_with(
                    "cli.case.task",
                    &[("number", (index + 1).to_string()), ("prompt", task.prompt.clone())],
                ))?;
                if examiner_notes {
                    for note in &task.examiner_notes {
                        out.line(format!("     · {note}"))?;
                    }
                }
            }
            for attachment in &case.attachments {
                out.line(tr_with(
                    "cli.case.attachment",
                    &[("name", attachment.name.clone()), ("type", attachment.media_type.clone())],
                ))?;
            }
            for excluded in &case.not_assessed {
                out.line(tr_with(
                    "cli.score.case_not_assessed",
                    &[("criterion", excluded.criterion.clone()), ("reason", excluded.reason.clone())],
                ))?;
            }
        }
        CaseCommand::Export { id, version, without_notes, source } => {
            let pool = pool(&source)?;
            let case = find(pool.cases(), &id, version.as_deref())?;
            let case = if without_notes { case.for_candidates() } else { case.clone() };
            let text =
                serde_json::to_string_pretty(&case).map_err(|error| CliError::Output(error.to_string()))?;
            out.line(text)?;
        }
    }
    Ok(())
}
