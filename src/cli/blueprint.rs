//! `grille blueprint coverage`: which positions assess each competence and
//! each criterion category, and what nothing assesses.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use grille_scoring::coverage::coverage;

use super::documents::DocumentPool;
use super::files::{CliError, load_catalogue};
use super::output::Output;

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
    let blueprints = pool.blueprints();
    let blueprint = match &args.blueprint {
        // The newest version of that id (versions of one id sort as text).
        Some(id) => blueprints.iter().filter(|b| &b.id == id).max_by(|a, b| a.version.cmp(&b.version)),
        None => blueprints.first(),
    }
    .ok_or_else(|| CliError::UnknownId {
        what: "plan d'examen",
        id: args.blueprint.clone().unwrap_or_default(),
    })?;
    let report = coverage(&catalogue, blueprint, pool.rubrics());

    let mut out = Output::new();
    out.line(format!(
        "Couverture du catalogue par le plan d'examen {} ({})",
        blueprint.id, blueprint.version
    ))?;
    out.line(
        "Colonnes p, k, a, m : points d'appréciation dont la grille observe un critère de la catégorie",
    )?;
    out.line("(p réalisation, k connaissances, a attitudes, m métacognition).")?;
    out.line("")?;
    out.line(format!(
        "{:<5} {:<14} {:<10} {:<10} {:<10} {:<10} {}",
        "Comp.", "Points d'app.", "p", "k", "a", "m", "critères observés"
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
            "{:<5} {:<14} {:<10} {:<10} {:<10} {:<10} {}/{}",
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
    out.line(format!(
        "{assessed} compétences sur {} évaluées ; {observed} critères sur {total} observés directement par une grille.",
        report.competences.len()
    ))?;
    let unassessed: Vec<&str> = report.unassessed().map(|e| e.competence.as_str()).collect();
    if unassessed.is_empty() {
        out.line("Toutes les compétences sont évaluées.")?;
    } else {
        out.line(format!("Non évaluées : {}", unassessed.join(", ")))?;
    }
    let unobserved: Vec<String> = report
        .unobserved_categories(&catalogue)
        .map(|(competence, category)| format!("{competence}.{}", category.letter()))
        .collect();
    if unobserved.is_empty() {
        out.line("Chaque catégorie de chaque compétence est observée par au moins un critère de grille.")?;
    } else {
        out.line(format!(
            "Catégories qu'aucun critère de grille n'observe ({}) : {}",
            unobserved.len(),
            unobserved.join(", ")
        ))?;
    }
    if !report.missing_rubrics.is_empty() {
        out.line(format!("Grilles introuvables : {}", report.missing_rubrics.join(", ")))?;
    }
    out.finish()
}
