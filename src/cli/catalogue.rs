//! `grille catalogue list|show|search|export`.

use grille_competence::{Catalogue, Category, SearchField};

use super::files::load_catalogue;
use super::output::{Output, wrap};
use super::{CatalogueCommand, CliError, ExportFormat};

const WIDTH: usize = 100;

pub(super) fn run(command: CatalogueCommand) -> Result<(), CliError> {
    let mut out = Output::new();
    match command {
        CatalogueCommand::List(source) => {
            let catalogue = load_catalogue(source.catalogue.as_deref())?;
            list(&catalogue, &mut out)?;
        }
        CatalogueCommand::Show { id, source } => {
            let catalogue = load_catalogue(source.catalogue.as_deref())?;
            show(&catalogue, &id, &mut out)?;
        }
        CatalogueCommand::Search { text, source } => {
            let catalogue = load_catalogue(source.catalogue.as_deref())?;
            search(&catalogue, &text, &mut out)?;
        }
        CatalogueCommand::Export { format, source } => {
            let catalogue = load_catalogue(source.catalogue.as_deref())?;
            match format {
                ExportFormat::Json => out.write(&catalogue.to_json())?,
                ExportFormat::Csv => out.write(&to_csv(&catalogue)?)?,
            }
        }
    }
    out.finish()
}

fn list(catalogue: &Catalogue, out: &mut Output) -> Result<(), CliError> {
    let profile = catalogue.profile();
    out.line(&profile.title.fr)?;
    out.line(format!("Version du {}", profile.version))?;
    for domain in catalogue.domains() {
        out.line("")?;
        out.line(format!("{}  {}", domain.id, domain.title.fr))?;
        for competence in &domain.competences {
            let count = competence.criteria.len();
            out.line(format!("  {:<4} {}  ({count} critères)", competence.id, competence.title.fr))?;
        }
    }
    let competences = catalogue.competences().count();
    let criteria = catalogue.criteria().count();
    out.line("")?;
    out.line(format!(
        "{} domaines, {competences} compétences, {criteria} critères",
        catalogue.domains().len()
    ))
}

fn show(catalogue: &Catalogue, id: &str, out: &mut Output) -> Result<(), CliError> {
    let competence = catalogue
        .competence(id)
        .ok_or_else(|| CliError::UnknownId { what: "compétence", id: id.to_owned() })?;
    let domain = catalogue.domain_of(&competence.id).expect("a catalogue competence has a domain");
    out.line(format!("{}  {}", competence.id, competence.title.fr))?;
    if let Some(short_title) = &competence.short_title {
        out.line(format!("      (vue d'ensemble : {})", short_title.fr))?;
    }
    out.line(format!("Domaine {} : {}", domain.id, domain.title.fr))?;
    out.line("")?;
    out.line("Situation de travail")?;
    out.line(wrap(&competence.situation.fr, WIDTH, "  "))?;
    out.line("")?;
    out.line(format!("Critères de performance — {}", domain.criteria_subject.fr))?;
    for category in Category::ALL {
        let criteria: Vec<_> = catalogue.criteria_in(competence, category).collect();
        if criteria.is_empty() {
            continue;
        }
        out.line("")?;
        out.line(format!("  {}", category.label_fr()))?;
        for criterion in criteria {
            let text = wrap(&criterion.text.fr, WIDTH, "            ");
            out.line(format!("    {:<7} {}", criterion.id, text.trim_start()))?;
            if let Some(seed) = &criterion.seed_text {
                let original =
                    wrap(&format!("(texte du profil, corrigé : « {seed} »)"), WIDTH, "            ");
                out.line(original)?;
            }
        }
    }
    Ok(())
}

fn search(catalogue: &Catalogue, query: &str, out: &mut Output) -> Result<(), CliError> {
    let hits = catalogue.search(query);
    for hit in &hits {
        let field = match hit.field {
            SearchField::DomainTitle => "domaine",
            SearchField::CompetenceTitle => "titre",
            SearchField::Situation => "situation",
            SearchField::Criterion => "critère",
        };
        out.line(format!("{:<7} {:<10} {}", hit.id, field, excerpt(hit.text, query)))?;
    }
    let message = match hits.len() {
        0 => format!("Aucun résultat pour « {query} »."),
        1 => "1 résultat.".to_owned(),
        n => format!("{n} résultats."),
    };
    out.line(message)
}

/// The text around the first match of `query`, for long texts such as work
/// situations; short texts are shown whole.
fn excerpt(text: &str, query: &str) -> String {
    const CONTEXT: usize = 70;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 2 * CONTEXT + 20 {
        return text.to_owned();
    }
    // Folding keeps one character per character except for ligatures, so
    // find the match position on the folded characters one by one.
    let folded: Vec<String> = chars.iter().map(|c| grille_competence::search::fold(&c.to_string())).collect();
    let needle = grille_competence::search::fold(query.trim());
    let start = (0..chars.len())
        .find(|&i| {
            let mut candidate = String::new();
            for piece in &folded[i..] {
                candidate.push_str(piece);
                if candidate.len() >= needle.len() {
                    break;
                }
            }
            candidate.starts_with(&needle)
        })
        .unwrap_or(0);
    let from = start.saturating_sub(CONTEXT);
    let to = (start + needle.chars().count() + CONTEXT).min(chars.len());
    let mut result = String::new();
    if from > 0 {
        result.push('…');
    }
    result.extend(&chars[from..to]);
    if to < chars.len() {
        result.push('…');
    }
    result.replace("\n\n", " ")
}

/// One row per criterion: domain, competence, category, criterion id, text.
pub(crate) fn to_csv(catalogue: &Catalogue) -> Result<String, CliError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ["domain", "competence", "category", "criterion_id", "text"];
    writer.write_record(header).map_err(|error| CliError::Output(error.to_string()))?;
    for domain in catalogue.domains() {
        for competence in &domain.competences {
            for criterion in &competence.criteria {
                writer
                    .write_record([
                        domain.id.as_str(),
                        competence.id.as_str(),
                        criterion.category.key(),
                        criterion.id.as_str(),
                        criterion.text.fr.as_str(),
                    ])
                    .map_err(|error| CliError::Output(error.to_string()))?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|error| CliError::Output(error.to_string()))?;
    String::from_utf8(bytes).map_err(|error| CliError::Output(error.to_string()))
}
