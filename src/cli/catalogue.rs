//! `grille catalogue list|show|search|export|translation`.

use grille_competence::{Catalogue, Category, SearchField};

use super::files::load_catalogue;
use super::output::{Output, wrap};
use super::text::{tr, tr_with};
use super::{CatalogueCommand, CliError, ExportFormat, ExportLanguageArg};

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
        CatalogueCommand::Export { format, lang, data, source } => {
            let catalogue = super::translation::translated(&data.data, source.catalogue.as_deref())?;
            let language = match lang {
                ExportLanguageArg::Fr => grille_server::ExportLanguage::Fr,
                ExportLanguageArg::De => grille_server::ExportLanguage::De,
                ExportLanguageArg::It => grille_server::ExportLanguage::It,
            };
            let framework = |format| grille_server::catalogue_export(&catalogue, format, language).0;
            match format {
                ExportFormat::Json => out.write(&catalogue.to_json())?,
                ExportFormat::Csv => out.write(&to_csv(&catalogue)?)?,
                ExportFormat::Moodle => out.write(&framework(grille_server::ExportFormat::Moodle))?,
                ExportFormat::Case => out.write(&framework(grille_server::ExportFormat::Case))?,
            }
        }
        CatalogueCommand::Translation(command) => return super::translation::run(command),
    }
    out.finish()
}

fn list(catalogue: &Catalogue, out: &mut Output) -> Result<(), CliError> {
    let profile = catalogue.profile();
    out.line(&profile.title.fr)?;
    out.line(tr_with("cli.catalogue.version", &[("version", profile.version.to_string())]))?;
    for domain in catalogue.domains() {
        out.line("")?;
        out.line(format!("{}  {}", domain.id, domain.title.fr))?;
        for competence in &domain.competences {
            let count = competence.criteria.len();
            let count = tr_with("cli.catalogue.competence_criteria", &[("count", count.to_string())]);
            out.line(format!("  {:<4} {}  {count}", competence.id, competence.title.fr))?;
        }
    }
    let competences = catalogue.competences().count();
    let criteria = catalogue.criteria().count();
    out.line("")?;
    out.line(tr_with(
        "cli.catalogue.totals",
        &[
            ("domains", catalogue.domains().len().to_string()),
            ("competences", competences.to_string()),
            ("criteria", criteria.to_string()),
        ],
    ))
}

fn show(catalogue: &Catalogue, id: &str, out: &mut Output) -> Result<(), CliError> {
    let competence = catalogue
        .competence(id)
        .ok_or_else(|| CliError::UnknownId { message: "cli.error.unknown_competence", id: id.to_owned() })?;
    let domain = catalogue.domain_of(&competence.id).expect("a catalogue competence has a domain");
    out.line(format!("{}  {}", competence.id, competence.title.fr))?;
    if let Some(short_title) = &competence.short_title {
        out.line(format!(
            "      {}",
            tr_with("cli.catalogue.short_title", &[("title", short_title.fr.clone())])
        ))?;
    }
    out.line(tr_with(
        "cli.catalogue.domain",
        &[("id", domain.id.clone()), ("title", domain.title.fr.clone())],
    ))?;
    out.line("")?;
    out.line(tr("cli.catalogue.situation"))?;
    out.line(wrap(&competence.situation.fr, WIDTH, "  "))?;
    out.line("")?;
    out.line(tr_with("cli.catalogue.criteria", &[("subject", domain.criteria_subject.fr.clone())]))?;
    for category in Category::ALL {
        let criteria: Vec<_> = catalogue.criteria_in(competence, category).collect();
        if criteria.is_empty() {
            continue;
        }
        out.line("")?;
        // The category headings are the pages' (`category.*` keys).
        out.line(format!("  {}", tr(&format!("category.{}", category.key()))))?;
        for criterion in criteria {
            let text = wrap(&criterion.text.fr, WIDTH, "            ");
            out.line(format!("    {:<7} {}", criterion.id, text.trim_start()))?;
            if let Some(seed) = &criterion.seed_text {
                let original = wrap(
                    &tr_with("cli.catalogue.seed_text", &[("seed", seed.clone())]),
                    WIDTH,
                    "            ",
                );
                out.line(original)?;
            }
        }
    }
    Ok(())
}

fn search(catalogue: &Catalogue, query: &str, out: &mut Output) -> Result<(), CliError> {
    if query.trim().is_empty() {
        return Err(CliError::Usage(tr("cli.search.empty")));
    }
    let hits = catalogue.search(query);
    for hit in &hits {
        let field = tr(match hit.field {
            SearchField::DomainTitle => "cli.catalogue.field.domain",
            SearchField::CompetenceTitle => "cli.catalogue.field.title",
            SearchField::Situation => "cli.catalogue.field.situation",
            SearchField::Criterion => "cli.catalogue.field.criterion",
        });
        out.line(format!("{:<7} {:<10} {}", hit.id, field, excerpt(hit.text, query)))?;
    }
    let message = match hits.len() {
        0 => tr_with("cli.catalogue.no_result", &[("query", query.to_owned())]),
        1 => tr("cli.catalogue.one_result"),
        n => tr_with("cli.catalogue.results", &[("count", n.to_string())]),
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
