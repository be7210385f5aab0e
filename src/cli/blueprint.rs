//! `grille blueprint coverage`: which positions assess each competence and
//! each criterion category, and what nothing assesses.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use grille_scoring::coverage::coverage;

use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue};
use super::output::Output;
use super::text::{tr, tr_with};

#[derive(Debug, Subcommand)]
pub(super) enum BlueprintCommand {
    /// Montre, compétence par compétence et catégorie par catégorie, quels
    /// points d'appréciation l'évaluent, et nomme ce que rien n'évalue.
    Coverage(CoverageArgs),
}

#[derive(Debug, Args)]
pub(super) struct CoverageArgs {
    /// Identifiant du plan d'examen (par défaut celui de l'examen fédéral).
    #[arg(long)]
    blueprint: Option<String>,
    /// Dossier de plans d'examen et de grilles en plus de ceux intégrés.
    #[arg(long, value_name = "DOSSIER")]
    documents: Option<PathBuf>,
    /// Fichier de catalogue à utiliser au lieu du catalogue intégré.
    #[arg(long, value_name = "FICHIER")]
    catalogue: Option<PathBuf>,
}

pub(super) fn run(command: BlueprintCommand) -> Result<(), CliError> {
    let BlueprintCommand::Coverage(args) = command;
    let catalogue = load_catalogue(args.catalogue.as_deref())?;
    let pool = DocumentPool::load(&catalogue, args.documents.as_deref())?;
    pool.warn_skipped();
    let blueprints = pool.blueprints();
    let blueprint = match &args.blueprint {
        // The newest version of that id (versions of one id sort as text).
        Some(id) => blueprints.iter().filter(|b| &b.id == id).max_by(|a, b| a.version.cmp(&b.version)),
        None => blueprints.first(),
    }
    .ok_or_else(|| CliError::UnknownId {
        message: "cli.error.unknown_blueprint",
        id: args.blueprint.clone().unwrap_or_default(),
    })?;
    let report = coverage(&catalogue, blueprint, pool.rubrics());

    let mut out = Output::new();
    out.line(tr_with(
        "cli.blueprint.title",
        &[("id", blueprint.id.clone()), ("version", blueprint.version.clone())],
    ))?;
    out.line(tr("cli.blueprint.legend"))?;
    out.line(tr("cli.blueprint.legend_categories"))?;
    out.line("")?;
    // p, k, a, m are the category letters of the criterion ids.
    out.line(format!(
        "{:<5} {:<14} {:<12} {:<12} {:<12} {:<12} {}",
        tr("cli.blueprint.column.competence"),
        tr("cli.blueprint.column.positions"),
        "p",
        "k",
        "a",
        "m",
        tr("cli.blueprint.column.observed")
    ))?;
    let mut current_domain = None;
    for entry in &report.competences {
        let domain = catalogue.domain_of(&entry.competence).map(|d| d.id.as_str());
        if domain != current_domain {
            current_domain = domain;
            if let Some(domain) = catalogue.domain_of(&entry.competence) {
                out.line(format!("{}  {}", domain.id, domain.title.fr))?;
            }
        }
        let cell =
            |positions: &[String]| if positions.is_empty() { "—".to_owned() } else { positions.join(",") };
        let categories: Vec<String> = entry.categories.iter().map(|(_, positions)| cell(positions)).collect();
        out.line(format!(
            "{:<5} {:<14} {:<12} {:<12} {:<12} {:<12} {}/{}",
            entry.competence,
            cell(&entry.positions),
            categories[0],
            categories[1],
            categories[2],
            categories[3],
            entry.criteria_observed,
            entry.criteria_total
        ))?;
    }
    out.line("")?;
    let observed: usize = report.competences.iter().map(|e| e.criteria_observed).sum();
    let total: usize = report.competences.iter().map(|e| e.criteria_total).sum();
    let assessed = report.competences.iter().filter(|e| !e.positions.is_empty()).count();
    out.line(tr_with(
        "cli.blueprint.totals",
        &[
            ("assessed", assessed.to_string()),
            ("competences", report.competences.len().to_string()),
            ("observed", observed.to_string()),
            ("criteria", total.to_string()),
        ],
    ))?;
    let unassessed: Vec<&str> = report.unassessed().map(|e| e.competence.as_str()).collect();
    if unassessed.is_empty() {
        out.line(tr("cli.blueprint.all_assessed"))?;
    } else {
        out.line(tr_with("cli.blueprint.unassessed", &[("competences", unassessed.join(", "))]))?;
    }
    let unobserved: Vec<String> = report
        .unobserved_categories(&catalogue)
        .map(|(competence, category)| format!("{competence}.{}", category.letter()))
        .collect();
    if unobserved.is_empty() {
        out.line(tr("cli.blueprint.all_observed"))?;
    } else {
        out.line(tr_with(
            "cli.blueprint.unobserved",
            &[("count", unobserved.len().to_string()), ("categories", unobserved.join(", "))],
        ))?;
    }
    if !report.missing_rubrics.is_empty() {
        out.line(tr_with(
            "cli.blueprint.missing_rubrics",
            &[("rubrics", report.missing_rubrics.join(", "))],
        ))?;
    }
    out.finish()
}
