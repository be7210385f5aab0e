//! The pages of the case bank (board and trainers): the bank with its
//! filters and coverage, one case, the case editor, and the cases of a
//! session's candidates. The views are built by grille-web from the API's
//! typed answers; this module holds the templates and renders them.

use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;

use crate::i18n::Language;
use crate::templates::{PageError, render};

/// The keys the templates build from a value (`"cases.state." ~ state`),
/// listed so that a test checks each exists in every language.
pub const DYNAMIC_KEYS: [&str; 88] = [
    "trainer.close.finalise.heading",
    "trainer.close.finalise.text",
    "trainer.close.finalise.confirm",
    "trainer.close.finalise.submit",
    "trainer.close.publish.heading",
    "trainer.close.publish.text",
    "trainer.close.publish.confirm",
    "trainer.close.publish.submit",
    "board.csv.field.number",
    "board.csv.field.family_name",
    "board.csv.field.given_name",
    "board.csv.field.email",
    "board.csv.field.candidate_number",
    "board.csv.field.part",
    "board.csv.field.examiner",
    "board.csv.field.examiner_1",
    "board.csv.field.examiner_2",
    "csv.encoding.utf8",
    "csv.encoding.utf8_bom",
    "csv.encoding.utf16le",
    "csv.encoding.utf16be",
    "csv.encoding.windows1252",
    "csv.decode.workbook",
    "csv.decode.not_text",
    "catalogue.export.type.domain",
    "catalogue.export.type.domain.description",
    "catalogue.export.type.competence",
    "catalogue.export.type.competence.description",
    "catalogue.export.type.criterion",
    "catalogue.export.type.criterion.description",
    "catalogue.export.category_note",
    "catalogue.export.version_note",
    "catalogue.exports.language_name",
    "docs.live.empty_rubric",
    "docs.live.empty_blueprint",
    "docs.live.empty_scheme",
    "cases.csv.field.candidate_number",
    "cases.csv.field.position",
    "cases.csv.field.case",
    "cases.csv.field.version",
    "cases.bank.intro_board",
    "cases.bank.intro_school",
    "cases.state.draft",
    "cases.state.ready",
    "cases.state.used",
    "cases.state.released",
    "cases.state_help.draft",
    "cases.state_help.ready",
    "cases.state_help.used",
    "cases.state_help.released",
    "cases.category.performance",
    "cases.category.knowledge",
    "cases.category.attitudes",
    "cases.category.metacognition",
    "cases.language.fr",
    "cases.language.de",
    "cases.language.it",
    "docs.kind.rubric",
    "docs.kind.blueprint",
    "docs.kind.scheme",
    "docs.state.draft",
    "docs.state.ready",
    "docs.state.used",
    "docs.state_help.draft",
    "docs.state_help.ready",
    "docs.state_help.used",
    "docs.preview.grades_rubric",
    "docs.preview.grades_scheme",
    "docs.scheme.step_position",
    "docs.scheme.step_part",
    "docs.scheme.step_overall",
    "docs.scheme.direction.half_up",
    "docs.scheme.direction.up",
    "docs.scheme.direction.down",
    "docs.scheme.kind.linear",
    "docs.scheme.kind.two_piece",
    "docs.scheme.kind.table",
    "docs.scheme.min_overall",
    "docs.scheme.max_insufficient_parts",
    "docs.scheme.min_part_grade",
    "docs.scheme.max_shortfall_sum",
    "docs.scheme.min_position_grade",
    "docs.scheme.min",
    "docs.scheme.max",
    "docs.scheme.pass_mark",
    "docs.new.rubric",
    "docs.new.blueprint",
    "docs.new.scheme",
];

/// The case pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The bank: filters, list, coverage, import.
    Bank,
    /// One case: text, notes, attachments, uses, versions, actions.
    Case,
    /// The editor of a new or existing case.
    Edit,
    /// Which case each candidate of a session sits; the seeded draw.
    Session,
    /// The preview of a file giving candidates their cases (or its
    /// problems by line).
    SessionCsv,
    /// The bank of exam documents (schemes, blueprints, rubrics).
    Documents,
    /// One exam document with its preview, versions and diff.
    Document,
    /// The editor of a scheme, a blueprint or a rubric.
    DocumentEdit,
    /// The preview panel beside an editor, alone (an HTML fragment).
    DocumentPreview,
    /// The work each candidate handed in, by position: upload, replace,
    /// remove.
    Submissions,
}

impl Page {
    fn template(self) -> (&'static str, &'static str) {
        match self {
            Page::Bank => ("cases_bank.html", "cases_bank"),
            Page::Case => ("case_view.html", "case_view"),
            Page::Edit => ("case_edit.html", "case_edit"),
            Page::Session => ("session_cases.html", "session_cases"),
            Page::SessionCsv => ("session_cases_csv.html", "session_cases_csv"),
            Page::Documents => ("documents.html", "documents"),
            Page::Document => ("document_view.html", "document_view"),
            Page::DocumentEdit => ("document_edit.html", "document_edit"),
            Page::DocumentPreview => ("document_live_preview.html", "document_live_preview"),
            Page::Submissions => ("session_submissions.html", "session_submissions"),
        }
    }
}

/// Renders `page` with its typed `view`.
pub fn render_page(
    environment: &Environment<'_>,
    page: Page,
    view: &impl Serialize,
    language: Language,
) -> Result<String, PageError> {
    let (template, name) = page.template();
    render(environment, template, language, name, Value::from(Serde(view)))
}
