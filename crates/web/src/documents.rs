//! Exam documents written in the browser (board; trainers for their
//! school's mock exams): grading schemes, blueprints and rubrics, with
//! structured editors, the previews the API computes (points → grade,
//! coverage, outcomes of example grades), versions and their diff, and
//! "prepare next year's exam".
//!
//! An editor's fields are written onto the document being edited (or a
//! blank one): whatever the form does not show (assumptions of a scheme,
//! double-marking settings, an Italian title) is kept as it was. Every save
//! goes through the API, that is through the document's file loader; its
//! problems are shown at the field their JSON pointer names, and what was
//! typed is kept.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, read into and sent as the API's own types
//! (`grille_server::BankDocumentDetail`, `NewBankDocument`, ...); only the
//! document itself is JSON, as its file would hold it. The pages are for
//! the board and trainers ([`StaffAccount`]): another role gets a 403 page.
//!
//! Routes: `GET /documents`, `POST /documents/next-year`, `GET|POST
//! /documents/new?kind=...`, `GET /documents/{row}` (`?diff={other}`),
//! `GET|POST /documents/{row}/edit`, `POST /documents/{row}/state`,
//! `POST /documents/{row}/duplicate`.

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_competence::LocalizedText;
use grille_competence::document::Change;
use grille_report::cases::Page;
use grille_report::i18n::Language;
use grille_server::{
    BankDocumentDetail, BankDocumentSummary, DocumentCopyRequest, DocumentPreview, DocumentStateName,
    DocumentStateRequest, DocumentUpdate, ExamDocumentKind, NewBankDocument, NextYearRequest, NextYearResult,
    PreviewRequest, SessionView,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::WebState;
use crate::api::{Api, Refusal};
use crate::auth_pages::{Account, see_other};
use crate::cases::{Notice, field, render};
use crate::page::{PageError, StaffAccount, Visit};

/// The document bank (schemes, blueprints, rubrics) and its editor's script.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/documents", get(list))
        .route("/documents/next-year", post(next_year))
        .route("/documents/new", get(new_form).post(new_post))
        .route("/documents/preview", post(live_preview))
        .route("/documents/{row}", get(view))
        .route("/documents/{row}/edit", get(edit_form).post(edit_post))
        .route("/documents/{row}/state", post(change_state))
        .route("/documents/{row}/duplicate", post(duplicate))
        .route("/static/document-editor.js", get(script))
}

/// Spare rows the editors offer beyond the filled ones.
const SPARE: usize = 1;

fn has(fields: &[(String, String)], name: &str) -> bool {
    fields.iter().any(|(key, _)| key == name)
}

fn kind_name(kind: ExamDocumentKind) -> &'static str {
    match kind {
        ExamDocumentKind::Scheme => "scheme",
        ExamDocumentKind::Blueprint => "blueprint",
        ExamDocumentKind::Rubric => "rubric",
    }
}

fn kind_of(name: &str) -> Option<ExamDocumentKind> {
    match name {
        "scheme" => Some(ExamDocumentKind::Scheme),
        "blueprint" => Some(ExamDocumentKind::Blueprint),
        "rubric" => Some(ExamDocumentKind::Rubric),
        _ => None,
    }
}

fn state_name(state: DocumentStateName) -> &'static str {
    match state {
        DocumentStateName::Draft => "draft",
        DocumentStateName::Ready => "ready",
        DocumentStateName::Used => "used",
    }
}

/// `?done=...` and `?diff=...` of the pages.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    diff: Option<i64>,
    #[serde(default)]
    kind: Option<String>,
}

fn notice_of(language: Language, done: Option<&str>) -> Option<Notice> {
    let key = match done? {
        "created" => "docs.done.created",
        "saved" => "docs.done.saved",
        "state" => "docs.done.state",
        "duplicated" => "docs.done.duplicated",
        "next_year" => "docs.done.next_year",
        _ => return None,
    };
    Some(Notice::success(grille_report::i18n::translate(language, key)))
}

// ---------------------------------------------------------------- list

#[derive(Debug, Serialize)]
struct DocumentRow {
    id: i64,
    kind: &'static str,
    document_id: String,
    version: String,
    /// The title in every language the document has it in: the template
    /// shows it in the page's (`loc`), the French marked where there is
    /// no translation.
    titles: LocalizedText,
    state: &'static str,
}

#[derive(Debug, Serialize)]
struct SessionChoice {
    id: i64,
    name: String,
}

#[derive(Debug, Serialize)]
struct ListView {
    account: grille_report::pages::AccountLayout,
    documents: Vec<DocumentRow>,
    sessions: Vec<SessionChoice>,
    next_version: String,
    errors: Vec<String>,
    notice: Option<Notice>,
}

async fn render_list(
    staff: &StaffAccount,
    status: StatusCode,
    errors: Vec<String>,
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let documents: Vec<BankDocumentSummary> = staff.get("/api/documents").await?;
    let sessions: Vec<SessionView> = staff.get("/api/sessions").await?;
    let view = ListView {
        account: staff.account.view(),
        documents: documents
            .into_iter()
            .map(|summary| DocumentRow {
                id: summary.id,
                kind: kind_name(summary.kind),
                document_id: summary.document_id,
                version: summary.version,
                titles: summary.titles,
                state: state_name(summary.state),
            })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|session| SessionChoice { id: session.id, name: session.name })
            .collect(),
        next_version: next_year_label(),
        errors,
        notice,
    };
    Ok(render(staff, status, Page::Documents, &view))
}

/// Next year, as the default version label of "prepare next year's exam".
fn next_year_label() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    // 365.2425 days a year from 1970: precise enough for a default.
    (1970 + seconds / 31_556_952 + 1).to_string()
}

pub(crate) async fn list(staff: StaffAccount, Query(query): Query<PageQuery>) -> Result<Response, PageError> {
    let notice = notice_of(staff.language.language, query.done.as_deref());
    render_list(&staff, StatusCode::OK, Vec::new(), notice).await
}

pub(crate) async fn next_year(
    staff: StaffAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let request = NextYearRequest {
        version: field(&fields, "version").trim().to_owned(),
        from_session: field(&fields, "from_session").parse::<i64>().ok(),
    };
    let csrf = field(&fields, "csrf");
    match staff
        .send::<NextYearResult>(Method::POST, "/api/documents/next-year", csrf, None, Some(&request))
        .await
    {
        Ok(_) => Ok(see_other("/documents?done=next_year")),
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            render_list(&staff, reply.status, reply.problems(staff.language.language, false), None).await
        }
    }
}

// ---------------------------------------------------------------- one

#[derive(Debug, Serialize)]
struct DocumentView {
    account: grille_report::pages::AccountLayout,
    kind: &'static str,
    detail: BankDocumentDetail,
    state: &'static str,
    versions: Vec<VersionRow>,
    diff: Option<DiffView>,
    suggested_version: String,
    errors: Vec<String>,
    notice: Option<Notice>,
}

#[derive(Debug, Serialize)]
struct VersionRow {
    id: i64,
    version: String,
    state: &'static str,
}

#[derive(Debug, Serialize)]
struct DiffView {
    with_version: String,
    changes: Vec<ChangeRow>,
}

#[derive(Debug, Serialize)]
struct ChangeRow {
    pointer: String,
    before: String,
    after: String,
}

fn shown(value: Option<&Value>) -> String {
    match value {
        None => "—".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

async fn render_document(
    staff: &StaffAccount,
    row: i64,
    diff_with: Option<i64>,
    outcome: (StatusCode, Vec<String>, Option<Notice>),
) -> Result<Response, PageError> {
    let (status, errors, notice) = outcome;
    let detail: BankDocumentDetail = staff.get(&format!("/api/documents/{row}")).await?;
    let diff = match diff_with {
        Some(other) => {
            let changes: Vec<Change> = staff.get(&format!("/api/documents/{row}/diff?with={other}")).await?;
            Some(DiffView {
                with_version: detail
                    .versions
                    .iter()
                    .find(|version| version.id == other)
                    .map(|version| version.version.clone())
                    .unwrap_or_default(),
                changes: changes
                    .into_iter()
                    .map(|change| ChangeRow {
                        before: shown(change.before.as_ref()),
                        after: shown(change.after.as_ref()),
                        pointer: change.pointer,
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let highest = detail.versions.iter().filter_map(|version| version.version.parse::<u64>().ok()).max();
    let suggested_version = match (detail.summary.version.parse::<u64>(), highest) {
        (Ok(current), highest) => (highest.unwrap_or(current).max(current) + 1).to_string(),
        (Err(_), _) => format!("{}-2", detail.summary.version),
    };
    let view = DocumentView {
        account: staff.account.view(),
        kind: kind_name(detail.summary.kind),
        state: state_name(detail.summary.state),
        versions: detail
            .versions
            .iter()
            .map(|version| VersionRow {
                id: version.id,
                version: version.version.clone(),
                state: state_name(version.state),
            })
            .collect(),
        detail,
        diff,
        suggested_version,
        errors,
        notice,
    };
    Ok(render(staff, status, Page::Document, &view))
}

pub(crate) async fn view(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let notice = notice_of(staff.language.language, query.done.as_deref());
    render_document(&staff, row, query.diff, (StatusCode::OK, Vec::new(), notice)).await
}

/// After an action on a document: to the document it gave (the copy, for
/// a duplicate), or the page again with the reasons of a refusal.
async fn action(
    staff: &StaffAccount,
    row: i64,
    sent: Result<BankDocumentDetail, Refusal>,
    done: &str,
) -> Result<Response, PageError> {
    match sent {
        Ok(detail) => Ok(see_other(&format!("/documents/{}?done={done}", detail.summary.id))),
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            render_document(
                staff,
                row,
                None,
                (reply.status, reply.problems(staff.language.language, false), None),
            )
            .await
        }
    }
}

pub(crate) async fn change_state(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let uri = format!("/api/documents/{row}/state");
    let sent = crate::cases::send_state(&staff, &fields, &uri, |state: DocumentStateName| {
        DocumentStateRequest { state }
    })
    .await?;
    action(&staff, row, sent, "state").await
}

pub(crate) async fn duplicate(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let version = field(&fields, "version").trim();
    let request =
        DocumentCopyRequest { version: Some(version.to_owned()).filter(|version| !version.is_empty()) };
    let uri = format!("/api/documents/{row}/duplicate");
    let sent = staff
        .send::<BankDocumentDetail>(Method::POST, &uri, field(&fields, "csrf"), None, Some(&request))
        .await;
    action(&staff, row, sent, "duplicated").await
}

// ---------------------------------------------------------------- sessions

/// The ready and used documents of the caller's bank, by kind, as the
/// session creation forms offer them.
#[derive(Debug, Default, Serialize)]
pub(crate) struct BankChoice {
    schemes: Vec<Choice>,
    blueprints: Vec<Choice>,
    rubrics: Vec<Choice>,
}

///
/// A list the API refuses offers no choice (the form then pins the shipped
/// documents): the session forms stay usable.
pub(crate) async fn bank_choice(api: &Api, account: &Account, language: Language) -> BankChoice {
    let code = language.code();
    let listed = api.get::<Vec<BankDocumentSummary>>("/api/documents", &account.credentials(None)).await;
    let mut choice = BankChoice::default();
    for summary in listed.unwrap_or_default() {
        if summary.state == DocumentStateName::Draft {
            continue;
        }
        let item = Choice {
            id: summary.id.to_string(),
            label: format!("{} v{} — {}", summary.document_id, summary.version, summary.titles.get(code)),
            lang: crate::cases::french_fallback(&summary.titles, code),
        };
        match summary.kind {
            ExamDocumentKind::Scheme => choice.schemes.push(item),
            ExamDocumentKind::Blueprint => choice.blueprints.push(item),
            ExamDocumentKind::Rubric => choice.rubrics.push(item),
        }
    }
    choice
}

/// The `bank` member of a session creation from the form's choices, if any.
pub(crate) fn bank_request(fields: &[(String, String)]) -> Option<grille_server::BankDocuments> {
    let row = |name: &str| field(fields, name).parse::<i64>().ok();
    let rubrics: Vec<i64> = fields
        .iter()
        .filter(|(key, _)| key == "bank_rubric")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    let (scheme, blueprint) = (row("bank_scheme"), row("bank_blueprint"));
    (scheme.is_some() || blueprint.is_some() || !rubrics.is_empty()).then_some(grille_server::BankDocuments {
        scheme,
        blueprint,
        rubrics,
    })
}

// ---------------------------------------------------------------- editors

#[derive(Debug, Serialize)]
struct Choice {
    id: String,
    label: String,
    /// `fr` when the label is a French text shown for want of a
    /// translation in the reader's language (marked `lang="fr"`).
    lang: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct EditorOptions {
    catalogue_criteria: Vec<Choice>,
    rubrics: Vec<Choice>,
    /// The bank's schemes a rubric's preview can convert its points under
    /// (by bank row; the shipped scheme is the default).
    schemes: Vec<Choice>,
}

#[derive(Debug, Serialize)]
struct EditView {
    account: grille_report::pages::AccountLayout,
    kind: &'static str,
    new: bool,
    row: Option<i64>,
    row_version: Option<i64>,
    /// The document as the form shows it, with spare rows.
    document: Value,
    options: EditorOptions,
    errors: Vec<String>,
    field_errors: BTreeMap<String, Vec<String>>,
    notice: Option<Notice>,
    /// The preview of the document as typed (computed on the server for
    /// the page; refreshed while typing by `document-editor.js`).
    live: LivePreview,
}

/// The preview beside an editor: the document's previews, or why there
/// are none yet (its problems, as a save would say them).
#[derive(Debug, Default, Serialize)]
struct LivePreview {
    kind: &'static str,
    preview: Option<DocumentPreview>,
    errors: Vec<String>,
    /// The bank row of the scheme chosen for a rubric's grade table.
    scheme: Option<i64>,
}

/// Asks the API for the preview of `document` (nothing is saved): the
/// preview, or the problems a save would have.
async fn live_preview_of(
    visit: &Visit,
    csrf: &str,
    kind: ExamDocumentKind,
    document: &Value,
    scheme: Option<i64>,
) -> Result<LivePreview, PageError> {
    let request = PreviewRequest { kind, document: document.clone(), scheme };
    let previewed = visit
        .send::<DocumentPreview>(Method::POST, "/api/documents/preview", csrf, None, Some(&request))
        .await;
    let mut live = LivePreview { kind: kind_name(kind), scheme, ..LivePreview::default() };
    match previewed {
        Ok(mut preview) => {
            // The engine's conditions in the reader's language.
            for outcome in &mut preview.outcomes {
                outcome.unmet = grille_report::messages::plain_list(
                    &outcome.unmet_messages,
                    &outcome.unmet,
                    visit.language.language,
                );
            }
            live.preview = Some(preview);
        }
        Err(Refusal::Answer(reply)) => live.errors = reply.problems(visit.language.language, false),
        Err(refusal) => return Err(visit.refused(refusal)),
    }
    Ok(live)
}

/// The document the editor's fields describe, with what the form does not
/// show taken from the stored version (`doc_row`) or a blank one.
async fn posted_document(
    staff: &StaffAccount,
    fields: &[(String, String)],
) -> Result<(ExamDocumentKind, Value), PageError> {
    let kind = kind_of(field(fields, "doc_kind")).unwrap_or(ExamDocumentKind::Rubric);
    let base = match field(fields, "doc_row").parse::<i64>() {
        Ok(row) => staff.get::<BankDocumentDetail>(&format!("/api/documents/{row}")).await?.document,
        Err(_) => blank(kind),
    };
    Ok((kind, from_form(kind, fields, &base)))
}

/// `POST /documents/preview`: the preview panel of an editor, as an HTML
/// fragment for `document-editor.js` (the page itself shows the same
/// panel through the editor's "preview" button without script).
pub(crate) async fn live_preview(
    staff: StaffAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (kind, document) = posted_document(&staff, &fields).await?;
    let scheme = field(&fields, "preview_scheme").parse().ok();
    let live = live_preview_of(&staff, field(&fields, "csrf"), kind, &document, scheme).await?;
    /// The fragment's view: the panel's own, as the editor page names it.
    #[derive(Serialize)]
    struct Fragment {
        live: LivePreview,
    }
    Ok(render(&staff, StatusCode::OK, Page::DocumentPreview, &Fragment { live }))
}

async fn editor_options(visit: &Visit) -> Result<EditorOptions, PageError> {
    let state: &WebState = &visit.state;
    let code = visit.language.language.code();
    let catalogue_criteria = state
        .catalogue
        .competences()
        .flat_map(|competence| competence.criteria.iter())
        .map(|criterion| {
            let text: String = criterion.text.get(code).chars().take(90).collect();
            Choice {
                id: criterion.id.clone(),
                label: format!("{} — {text}", criterion.id),
                lang: crate::cases::french_fallback(&criterion.text, code),
            }
        })
        .collect();
    let mut rubrics: Vec<Choice> = Vec::new();
    let listed: Vec<BankDocumentSummary> = visit.get("/api/documents?kind=rubric").await?;
    for summary in listed {
        if !rubrics.iter().any(|choice| choice.id == summary.document_id) {
            rubrics.push(Choice {
                label: format!("{} — {}", summary.document_id, summary.titles.get(code)),
                lang: crate::cases::french_fallback(&summary.titles, code),
                id: summary.document_id,
            });
        }
    }
    for rubric in state.shipped.iter().flat_map(|exam| exam.rubrics.iter()) {
        if !rubrics.iter().any(|choice| choice.id == rubric.id) {
            rubrics.push(Choice {
                id: rubric.id.clone(),
                label: format!("{} — {}", rubric.id, rubric.title.get(code)),
                lang: crate::cases::french_fallback(&rubric.title, code),
            });
        }
    }
    let listed: Vec<BankDocumentSummary> = visit.get("/api/documents?kind=scheme").await?;
    let schemes = listed
        .into_iter()
        .map(|summary| Choice {
            id: summary.id.to_string(),
            label: format!("{} v{} — {}", summary.document_id, summary.version, summary.titles.get(code)),
            lang: crate::cases::french_fallback(&summary.titles, code),
        })
        .collect();
    Ok(EditorOptions { catalogue_criteria, rubrics, schemes })
}

/// A blank document of `kind` to start from.
fn blank(kind: ExamDocumentKind) -> Value {
    match kind {
        ExamDocumentKind::Scheme => json!({
            "id": "", "version": "1", "title": {"fr": ""},
            "scale": {"min": "1", "max": "6", "pass_mark": "4"},
            "conversion": {"kind": "linear"},
            "rounding": {"position": "0.5", "part": "0.1", "overall": "0.1"},
            "pass_rule": {"min_overall": "4"},
        }),
        ExamDocumentKind::Blueprint => json!({"id": "", "version": "1", "title": {"fr": ""}, "parts": []}),
        ExamDocumentKind::Rubric => json!({"id": "", "version": "1", "title": {"fr": ""}, "criteria": []}),
    }
}

/// The document with the spare rows the form offers (an empty criterion
/// with four levels, an empty part with one position...).
fn with_spare_rows(kind: ExamDocumentKind, mut document: Value) -> Value {
    let push = |list: &mut Value, item: Value, spare: usize| {
        if let Some(items) = list.as_array_mut() {
            for _ in 0..spare {
                items.push(item.clone());
            }
        }
    };
    match kind {
        ExamDocumentKind::Rubric => {
            if !document["criteria"].is_array() {
                document["criteria"] = json!([]);
            }
            for criterion in document["criteria"].as_array_mut().into_iter().flatten() {
                if !criterion["levels"].is_array() {
                    criterion["levels"] = json!([]);
                }
                let levels = criterion["levels"].as_array().map_or(0, Vec::len);
                push(
                    &mut criterion["levels"],
                    json!({"points": "", "descriptor": {"fr": ""}}),
                    SPARE.max(4_usize.saturating_sub(levels)),
                );
                let named = criterion["catalogue_criteria"].as_array().map_or(0, Vec::len);
                if !criterion["catalogue_criteria"].is_array() {
                    criterion["catalogue_criteria"] = json!([]);
                }
                push(
                    &mut criterion["catalogue_criteria"],
                    json!(""),
                    2.max(6_usize.saturating_sub(named)) - 1,
                );
            }
            let empty = json!({"id": "", "title": {"fr": ""}, "weight": "1", "catalogue_criteria": ["", "", "", "", ""],
                "levels": [{"points": "", "descriptor": {"fr": ""}}, {"points": "", "descriptor": {"fr": ""}},
                           {"points": "", "descriptor": {"fr": ""}}, {"points": "", "descriptor": {"fr": ""}}]});
            push(&mut document["criteria"], empty, SPARE);
        }
        ExamDocumentKind::Blueprint => {
            if !document["parts"].is_array() {
                document["parts"] = json!([]);
            }
            let position =
                json!({"id": "", "title": {"fr": ""}, "weight": "1", "rubric": "", "competences": []});
            for part in document["parts"].as_array_mut().into_iter().flatten() {
                if !part["positions"].is_array() {
                    part["positions"] = json!([]);
                }
                push(&mut part["positions"], position.clone(), SPARE);
            }
            let empty = json!({"id": "", "title": {"fr": ""}, "weight": "1", "examiners": 2, "positions": [position]});
            push(&mut document["parts"], empty, SPARE);
        }
        ExamDocumentKind::Scheme => {}
    }
    document
}

/// A decimal field as the API takes it: the text as typed (the loader
/// says what is wrong with it), `None` when empty.
fn decimal_field(text: &str) -> Option<Value> {
    let text = text.trim();
    (!text.is_empty()).then(|| json!(text))
}

fn localized(fields: &[(String, String)], prefix: &str, base: &Value) -> Value {
    let mut text = if base.is_object() { base.clone() } else { json!({}) };
    text["fr"] = json!(field(fields, &format!("{prefix}_fr")).trim());
    let german = field(fields, &format!("{prefix}_de")).trim();
    match text.as_object_mut() {
        Some(object) if german.is_empty() => {
            object.remove("de");
        }
        _ => text["de"] = json!(german),
    }
    text
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The form's fields written onto `base` (the stored document or a blank
/// one). Rows whose every field is empty are left out.
fn from_form(kind: ExamDocumentKind, fields: &[(String, String)], base: &Value) -> Value {
    let mut document = base.clone();
    document["id"] = json!(field(fields, "id").trim());
    document["version"] = json!(field(fields, "version").trim());
    document["title"] = localized(fields, "title", &base["title"]);
    match kind {
        ExamDocumentKind::Rubric => {
            let mut criteria = Vec::new();
            for n in 0.. {
                let prefix = format!("c{n}");
                if !has(fields, &format!("{prefix}_id")) {
                    break;
                }
                let mut levels = Vec::new();
                for m in 0.. {
                    let level = format!("{prefix}_l{m}");
                    if !has(fields, &format!("{level}_points")) {
                        break;
                    }
                    let points = field(fields, &format!("{level}_points")).trim();
                    let descriptor = localized(fields, &level, &Value::Null);
                    if points.is_empty() && descriptor["fr"] == "" && descriptor.get("de").is_none() {
                        continue;
                    }
                    levels.push(json!({"points": points, "descriptor": descriptor}));
                }
                let catalogue_criteria: Vec<String> = (0..)
                    .map(|k| format!("{prefix}_cc{k}"))
                    .take_while(|name| has(fields, name))
                    .map(|name| {
                        field(fields, &name).split(" — ").next().unwrap_or_default().trim().to_owned()
                    })
                    .filter(|id| !id.is_empty())
                    .collect();
                let id = field(fields, &format!("{prefix}_id")).trim();
                let title = localized(fields, &format!("{prefix}_title"), &Value::Null);
                if id.is_empty() && title["fr"] == "" && levels.is_empty() && catalogue_criteria.is_empty() {
                    continue;
                }
                let weight = decimal_field(field(fields, &format!("{prefix}_weight"))).unwrap_or(json!("1"));
                criteria.push(json!({
                    "id": id,
                    "title": title,
                    "catalogue_criteria": catalogue_criteria,
                    "competences": words(field(fields, &format!("{prefix}_competences"))),
                    "levels": levels,
                    "weight": weight,
                    "not_assessable_allowed": field(fields, &format!("{prefix}_na")) == "1",
                }));
            }
            document["criteria"] = json!(criteria);
        }
        ExamDocumentKind::Blueprint => {
            document["assumptions"] = json!(
                field(fields, "assumptions")
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .collect::<Vec<_>>()
            );
            let mut parts = Vec::new();
            for n in 0.. {
                let prefix = format!("p{n}");
                if !has(fields, &format!("{prefix}_id")) {
                    break;
                }
                let mut positions = Vec::new();
                for m in 0.. {
                    let position = format!("{prefix}_q{m}");
                    if !has(fields, &format!("{position}_id")) {
                        break;
                    }
                    let id = field(fields, &format!("{position}_id")).trim();
                    let title = localized(fields, &format!("{position}_title"), &Value::Null);
                    let rubric = field(fields, &format!("{position}_rubric")).trim();
                    if id.is_empty() && title["fr"] == "" && rubric.is_empty() {
                        continue;
                    }
                    positions.push(json!({
                        "id": id,
                        "title": title,
                        "weight": decimal_field(field(fields, &format!("{position}_weight"))).unwrap_or(json!("1")),
                        "rubric": rubric,
                        "competences": words(field(fields, &format!("{position}_competences"))),
                    }));
                }
                let id = field(fields, &format!("{prefix}_id")).trim();
                let title = localized(fields, &format!("{prefix}_title"), &Value::Null);
                if id.is_empty() && title["fr"] == "" && positions.is_empty() {
                    continue;
                }
                let examiners = field(fields, &format!("{prefix}_examiners")).trim();
                parts.push(json!({
                    "id": id,
                    "title": title,
                    "weight": decimal_field(field(fields, &format!("{prefix}_weight"))).unwrap_or(json!("1")),
                    "examiners": examiners.parse::<u32>().map_or(json!(examiners), |n| json!(n)),
                    "positions": positions,
                }));
            }
            document["parts"] = json!(parts);
        }
        ExamDocumentKind::Scheme => {
            for (name, member) in
                [("scale_min", "min"), ("scale_max", "max"), ("scale_pass_mark", "pass_mark")]
            {
                if let Some(value) = decimal_field(field(fields, name)) {
                    document["scale"][member] = value;
                }
            }
            let kind = field(fields, "conversion_kind");
            document["conversion"] = match kind {
                "two_piece" => {
                    json!({"kind": "two_piece", "pass_fraction": field(fields, "pass_fraction").trim()})
                }
                "table" => {
                    let thresholds: Vec<Value> = field(fields, "table")
                        .lines()
                        .filter_map(|line| {
                            let (points, grade) = line.split_once(':')?;
                            Some(json!({"min_points": points.trim(), "grade": grade.trim()}))
                        })
                        .collect();
                    json!({"kind": "table", "thresholds": thresholds})
                }
                _ => json!({"kind": "linear"}),
            };
            for level in ["position", "part", "overall"] {
                if let Some(step) = decimal_field(field(fields, &format!("round_{level}"))) {
                    document["rounding"][level] = step;
                }
                let direction = field(fields, &format!("direction_{level}"));
                if !direction.is_empty() {
                    document["rounding"][format!("{level}_direction")] = json!(direction);
                }
            }
            let rule = &mut document["pass_rule"];
            for name in ["min_overall", "min_part_grade", "max_shortfall_sum", "min_position_grade"] {
                rule[name] = decimal_field(field(fields, name)).unwrap_or(Value::Null);
            }
            let count = field(fields, "max_insufficient_parts").trim();
            rule["max_insufficient_parts"] = if count.is_empty() {
                Value::Null
            } else {
                count.parse::<u32>().map_or(json!(count), |n| json!(n))
            };
            rule["required_parts"] = json!(words(field(fields, "required_parts")));
            let pairs = |name: &str, first: &str, second: &str| -> Value {
                json!(
                    field(fields, name)
                        .lines()
                        .filter_map(|line| {
                            let (a, b) = line.split_once(':')?;
                            let b = b.trim();
                            let b = if second == "max" {
                                b.parse::<u32>().map_or(json!(b), |n| json!(n))
                            } else {
                                json!(b)
                            };
                            Some(json!({first: a.trim(), second: b}))
                        })
                        .collect::<Vec<_>>()
                )
            };
            rule["max_parts_below"] = pairs("max_parts_below", "below", "max");
            rule["part_minimums"] = pairs("part_minimums", "part", "min");
            rule["position_minimums"] = pairs("position_minimums", "position", "min");
        }
    }
    document
}

/// The form field a problem's pointer (under `/document`) is shown at.
fn field_of(pointer: &str) -> String {
    let segments: Vec<&str> =
        pointer.trim_start_matches("/document").trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["title", language, ..] => format!("title_{language}"),
        ["criteria", n, "levels", m, "points", ..] => format!("c{n}_l{m}_points"),
        ["criteria", n, "levels", m, "descriptor", language, ..] => format!("c{n}_l{m}_{language}"),
        ["criteria", n, "levels", ..] => format!("c{n}_levels"),
        ["criteria", n, "catalogue_criteria", k, ..] => format!("c{n}_cc{k}"),
        ["criteria", n, "title", language, ..] => format!("c{n}_title_{language}"),
        ["criteria", n, member, ..] => format!("c{n}_{member}"),
        ["parts", n, "positions", m, "title", language, ..] => format!("p{n}_q{m}_title_{language}"),
        ["parts", n, "positions", m, member, ..] => format!("p{n}_q{m}_{member}"),
        ["parts", n, "title", language, ..] => format!("p{n}_title_{language}"),
        ["parts", n, member, ..] => format!("p{n}_{member}"),
        ["scale", member, ..] => format!("scale_{member}"),
        ["rounding", member, ..] => format!("round_{member}"),
        ["pass_rule", member, ..] => (*member).to_owned(),
        ["conversion", ..] => "conversion".to_owned(),
        [first, ..] => (*first).to_owned(),
        [] => String::new(),
    }
}

/// What the editor shows besides the form: its status, the problems of a
/// refused save, and those at a field.
type EditOutcome = (StatusCode, Vec<String>, BTreeMap<String, Vec<String>>);

fn edit_ok() -> EditOutcome {
    (StatusCode::OK, Vec::new(), BTreeMap::new())
}

/// The editor of a `kind` document (new when `row` is `None`), with the
/// preview given or asked of the API.
async fn render_edit(
    staff: &StaffAccount,
    kind: ExamDocumentKind,
    row: Option<(i64, i64)>,
    document: Value,
    outcome: EditOutcome,
    live: Option<LivePreview>,
) -> Result<Response, PageError> {
    let (status, errors, field_errors) = outcome;
    let live = match live {
        Some(live) => live,
        None => live_preview_of(staff, &staff.account.csrf, kind, &document, None).await?,
    };
    let view = EditView {
        live,
        account: staff.account.view(),
        kind: kind_name(kind),
        new: row.is_none(),
        row: row.map(|(row, _)| row),
        row_version: row.map(|(_, version)| version),
        document: with_spare_rows(kind, document),
        options: editor_options(staff).await?,
        errors,
        field_errors,
        notice: None,
    };
    Ok(render(staff, status, Page::DocumentEdit, &view))
}

pub(crate) async fn new_form(
    staff: StaffAccount,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let kind = query.kind.as_deref().and_then(kind_of).unwrap_or(ExamDocumentKind::Rubric);
    // Nothing to preview in a blank form: the panel says what it will show.
    let live = LivePreview { kind: kind_name(kind), ..LivePreview::default() };
    render_edit(&staff, kind, None, blank(kind), edit_ok(), Some(live)).await
}

pub(crate) async fn edit_form(staff: StaffAccount, Path(row): Path<i64>) -> Result<Response, PageError> {
    let detail: BankDocumentDetail = staff.get(&format!("/api/documents/{row}")).await?;
    if !detail.editable {
        let text = staff.tr("cases.error.not_editable");
        return render_document(&staff, row, None, (StatusCode::CONFLICT, vec![text], None)).await;
    }
    let (kind, version) = (detail.summary.kind, detail.summary.row_version);
    render_edit(&staff, kind, Some((row, version)), detail.document, edit_ok(), None).await
}

async fn save(
    staff: &StaffAccount,
    row: Option<i64>,
    fields: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let csrf = field(&fields, "csrf");
    let version = field(&fields, "row_version");
    let (kind, base) = match row {
        Some(row) => {
            let detail: BankDocumentDetail = staff.get(&format!("/api/documents/{row}")).await?;
            (detail.summary.kind, detail.document)
        }
        None => {
            let kind = kind_of(field(&fields, "kind")).unwrap_or(ExamDocumentKind::Rubric);
            (kind, blank(kind))
        }
    };
    let document = from_form(kind, &fields, &base);
    let shown_row = row.map(|row| (row, version.parse().unwrap_or_default()));
    if field(&fields, "preview") == "1" {
        // "Preview without saving": the form again, as typed, with its preview.
        let scheme = field(&fields, "preview_scheme").parse().ok();
        let live = live_preview_of(staff, csrf, kind, &document, scheme).await?;
        return render_edit(staff, kind, shown_row, document, edit_ok(), Some(live)).await;
    }
    let sent = match row {
        None => {
            let request = NewBankDocument { kind, document: document.clone() };
            staff.send::<BankDocumentDetail>(Method::POST, "/api/documents", csrf, None, Some(&request)).await
        }
        Some(row) => {
            let request = DocumentUpdate { document: document.clone() };
            let uri = format!("/api/documents/{row}");
            staff.send::<BankDocumentDetail>(Method::PUT, &uri, csrf, Some(version), Some(&request)).await
        }
    };
    let reply = match sent {
        Ok(saved) => {
            let done = if row.is_some() { "saved" } else { "created" };
            return Ok(see_other(&format!("/documents/{}?done={done}", saved.summary.id)));
        }
        Err(refusal) => staff.form_refusal(refusal)?,
    };
    let mut errors = Vec::new();
    let mut field_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (pointer, text) in crate::cases::pointed_problems(&reply, staff.language.language) {
        if let Some(pointer) = pointer.filter(|pointer| pointer.starts_with("/document")) {
            field_errors.entry(field_of(&pointer)).or_default().push(text.clone());
        }
        errors.push(text);
    }
    if reply.status == StatusCode::CONFLICT && row.is_some() {
        errors.push(staff.tr("cases.error.conflict"));
    }
    let live = LivePreview { kind: kind_name(kind), ..LivePreview::default() };
    render_edit(staff, kind, shown_row, document, (reply.status, errors, field_errors), Some(live)).await
}

pub(crate) async fn new_post(
    staff: StaffAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(&staff, None, fields).await
}

pub(crate) async fn edit_post(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(&staff, Some(row), fields).await
}

/// The script of the editors' live preview.
pub(crate) const SCRIPT: &str = include_str!("../assets/document-editor.js");

pub(crate) async fn script() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn a_rubric_form_becomes_a_rubric_the_loader_accepts() {
        let form = fields(&[
            ("id", "grille-x"),
            ("version", "1"),
            ("title_fr", "Grille X"),
            ("title_de", "Raster X"),
            ("c0_id", "k1"),
            ("c0_title_fr", "Analyse"),
            ("c0_title_de", ""),
            ("c0_weight", "2"),
            ("c0_competences", "A1"),
            ("c0_cc0", "A1.p2 — réalise"),
            ("c0_cc1", ""),
            ("c0_l0_points", "0"),
            ("c0_l0_fr", "absent"),
            ("c0_l0_de", ""),
            ("c0_l1_points", "2"),
            ("c0_l1_fr", "présent"),
            ("c0_l1_de", ""),
            ("c0_l2_points", ""),
            ("c0_l2_fr", ""),
            ("c0_l2_de", ""),
            ("c1_id", ""),
            ("c1_title_fr", ""),
            ("c1_title_de", ""),
            ("c1_weight", "1"),
            ("c1_competences", ""),
            ("c1_l0_points", ""),
            ("c1_l0_fr", ""),
            ("c1_l0_de", ""),
        ]);
        let document = from_form(ExamDocumentKind::Rubric, &form, &blank(ExamDocumentKind::Rubric));
        assert_eq!(document["criteria"].as_array().unwrap().len(), 1);
        assert_eq!(document["criteria"][0]["catalogue_criteria"], json!(["A1.p2"]));
        assert_eq!(document["criteria"][0]["levels"].as_array().unwrap().len(), 2);
        assert_eq!(document["title"]["de"], "Raster X");
        let catalogue = grille_competence::Catalogue::embedded().unwrap();
        grille_scoring::Rubric::from_json(&document.to_string(), &catalogue).expect("a valid rubric");
        // Shown again with spare rows: a fifth empty criterion, levels to four.
        let shown = with_spare_rows(ExamDocumentKind::Rubric, document);
        assert_eq!(shown["criteria"].as_array().unwrap().len(), 2);
        assert_eq!(shown["criteria"][0]["levels"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn a_scheme_form_keeps_what_it_does_not_show() {
        let base = serde_json::from_str::<Value>(grille_scoring::embedded::GRADING_SCHEME.text).unwrap();
        let form = fields(&[
            ("id", "bareme-2027"),
            ("version", "2027"),
            ("title_fr", "Barème 2027"),
            ("scale_min", "1"),
            ("scale_max", "6"),
            ("scale_pass_mark", "4"),
            ("conversion_kind", "two_piece"),
            ("pass_fraction", "0.55"),
            ("round_position", "0.5"),
            ("direction_position", "up"),
            ("round_part", "0.1"),
            ("round_overall", "0.1"),
            ("min_overall", "4"),
            ("max_insufficient_parts", "1"),
            ("min_part_grade", "3"),
            ("max_parts_below", "3.5:2"),
            ("part_minimums", "1:4.5"),
        ]);
        let document = from_form(ExamDocumentKind::Scheme, &form, &base);
        assert_eq!(document["assumptions"], base["assumptions"], "kept");
        assert_eq!(document["double_marking"], base["double_marking"], "kept");
        assert_eq!(document["pass_rule"]["max_parts_below"], json!([{"below": "3.5", "max": 2}]));
        let scheme = grille_scoring::GradingScheme::from_json(&document.to_string()).expect("a valid scheme");
        assert_eq!(scheme.pass_rule.part_minimums.len(), 1);
    }

    #[test]
    fn problems_land_on_their_fields() {
        for (pointer, name) in [
            ("/document/title/fr", "title_fr"),
            ("/document/criteria/2/levels/1/points", "c2_l1_points"),
            ("/document/criteria/0/catalogue_criteria/3", "c0_cc3"),
            ("/document/criteria/1/id", "c1_id"),
            ("/document/parts/0/positions/1/rubric", "p0_q1_rubric"),
            ("/document/parts/1/weight", "p1_weight"),
            ("/document/scale/pass_mark", "scale_pass_mark"),
            ("/document/pass_rule/min_overall", "min_overall"),
        ] {
            assert_eq!(field_of(pointer), name, "{pointer}");
        }
    }
}
