//! The case bank in the browser, for the board and for trainers (each in
//! their own bank): the bank with filters, search and coverage; one case
//! with its attachments, versions, uses and the actions its state allows;
//! the editor; import of an exported case; and the cases of a session's
//! candidates (by hand, or by a seeded draw).
//!
//! Every read and write is a call to the JSON API in-process with the
//! browser's cookie ([`crate::api`]); the answers are read into the API's
//! own types (`grille_server::CaseDetail`, ...) and the writes sent as its
//! request types, so a renamed field is a compile error here, not an empty
//! cell. A refused save shows the API's problems at the fields they
//! concern (JSON pointer → form field) and keeps what was typed. The pages
//! are for the board and trainers ([`StaffAccount`]): another role gets a
//! 403 page.
//!
//! Routes: `GET /cases` (bank), `GET|POST /cases/new`, `POST
//! /cases/import`, `GET /cases/{row}`, `GET|POST /cases/{row}/edit`, `POST
//! /cases/{row}/state`, `.../duplicate`, `.../attachments`,
//! `.../attachments/{sha256}/delete`; `GET|POST
//! /{board,trainer}/sessions/{id}/cases` and `POST .../cases/draw`; the
//! candidates' submitted work in [`submissions`].

use std::collections::BTreeMap;

use axum::extract::{Form, Multipart, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_competence::LocalizedText;
use grille_report::cases::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_scoring::{CandidateStatus, CaseLanguage, CaseStudy, CaseTask, NotAssessed};
use grille_server::{
    AssignRequest, CandidateView, CaseCoverageView, CaseDetail, CaseStateName, CaseSummary, CasesCsvOutcome,
    DrawRequest, DrawResult, DuplicateRequest, RoleDto, SessionView, SittingView, StateRequest,
};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::WebState;
use crate::api::{Refusal, Reply};
use crate::auth_pages::see_other;
use crate::page::{PageError, StaffAccount, Visit};

pub(crate) mod submissions;

/// The case bank, the cases of a session and the candidates' work (for the board and for a trainer).
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    let mut router = axum::Router::new()
        .route("/cases", get(bank))
        .route("/cases/new", get(new_form).post(new_post))
        .route("/cases/import", post(import).layer(upload_limit()))
        .route("/cases/{row}", get(view))
        .route("/cases/{row}/edit", get(edit_form).post(edit_post))
        .route("/cases/{row}/state", post(change_state))
        .route("/cases/{row}/duplicate", post(duplicate))
        .route("/cases/{row}/attachments", post(attach).layer(upload_limit()))
        .route("/cases/{row}/attachments/{sha256}/delete", post(detach));
    for session in ["/board/sessions/{id}", "/trainer/sessions/{id}"] {
        router = router
            .route(&format!("{session}/cases"), get(session_page).post(session_post))
            .route(&format!("{session}/cases/draw"), post(draw))
            .route(&format!("{session}/cases/csv/preview"), post(csv_preview))
            .route(&format!("{session}/cases/csv/confirm"), post(csv_confirm))
            .route(&format!("{session}/cases/csv/template.csv"), get(csv_template))
            .route(&format!("{session}/submissions"), get(submissions::page))
            .route(&format!("{session}/submissions/windows/{{position}}"), post(submissions::open_window))
            .route(
                &format!("{session}/submissions/windows/{{position}}/close"),
                post(submissions::close_window),
            )
            .route(
                &format!("{session}/submissions/{{number}}/{{position}}"),
                post(submissions::upload).layer(upload_limit()),
            )
            .route(
                &format!("{session}/submissions/{{number}}/{{position}}/delete"),
                post(submissions::remove),
            );
    }
    router
}

/// How many empty task and left-out rows the editor offers beyond those
/// filled in.
const SPARE_ROWS: usize = 2;

/// The body limit of the upload forms (an attachment, an exported case
/// with its attachments): the API's own limits decide what is accepted.
pub(crate) fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)
}

/// A case page with its typed `view`, in the reader's language.
pub(crate) fn render(visit: &Visit, status: StatusCode, page: Page, view: &impl Serialize) -> Response {
    let language = visit.language;
    language.respond(status, pages::render_page(&visit.state.environment, page, view, language.language))
}

/// A name the API takes (a state...) from the text a form sent, if it is one.
pub(crate) fn named<T: DeserializeOwned>(text: &str) -> Option<T> {
    use serde::de::IntoDeserializer as _;
    let text: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        text.trim().into_deserializer();
    T::deserialize(text).ok()
}

pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    fields.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// What a page says after an action: its status, the problems of a
/// refused action, or a notice of one that succeeded.
#[derive(Debug)]
pub(crate) struct Outcome {
    status: StatusCode,
    errors: Vec<String>,
    notice: Option<Notice>,
    /// On a case page: the other version to show the differences with.
    diff_with: Option<i64>,
}

impl Outcome {
    pub(crate) fn ok(notice: Option<Notice>) -> Outcome {
        Outcome { status: StatusCode::OK, errors: Vec::new(), notice, diff_with: None }
    }

    pub(crate) fn refused(status: StatusCode, errors: Vec<String>) -> Outcome {
        Outcome { status, errors, notice: None, diff_with: None }
    }
}

pub(crate) use crate::page::Notice;

fn notice_of(language: Language, query: &NoticeQuery) -> Option<Notice> {
    let key = match query.done.as_deref()? {
        "created" => "cases.done.created",
        "saved" => "cases.done.saved",
        "state" => "cases.done.state",
        "duplicated" => "cases.done.duplicated",
        "imported" => "cases.done.imported",
        "attached" => "cases.done.attached",
        "detached" => "cases.done.detached",
        "assigned" => "cases.done.assigned",
        _ => return None,
    };
    Some(Notice::success(i18n::translate(language, key)))
}

/// `?done=...` after a redirect.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    #[serde(default)]
    done: Option<String>,
    /// On a case page: the other version to compare with.
    #[serde(default)]
    diff: Option<i64>,
}

/// The translation key of a candidate's status on the session pages.
pub(crate) fn status_key(status: CandidateStatus) -> &'static str {
    match status {
        CandidateStatus::Present => "board.status.present",
        CandidateStatus::WithdrawnExcused => "board.status.withdrawn_excused",
        CandidateStatus::WithdrawnUnexcused => "board.status.withdrawn_unexcused",
        CandidateStatus::Excluded => "board.status.excluded",
        CandidateStatus::Absent => "board.status.absent",
    }
}

// ---------------------------------------------------------------- the bank

/// The bank's filters as the form sends them (text, checked by the API).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct BankQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    competence: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    done: Option<String>,
}

impl BankQuery {
    fn api_query(&self) -> String {
        let pairs = [
            ("q", &self.q),
            ("competence", &self.competence),
            ("category", &self.category),
            ("position", &self.position),
            ("language", &self.language),
            ("state", &self.state),
            ("year", &self.year),
        ];
        pairs
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| format!("{name}={}", crate::auth_pages::encode(value.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Debug, Serialize)]
struct Choice {
    id: String,
    title: String,
    /// `fr` when `title` is the French text shown for want of a
    /// translation (the option is marked with it).
    lang: Option<&'static str>,
}

/// `fr` when `text` has no translation into `code` and its French is
/// shown instead (to mark it `lang="fr"`).
pub(crate) fn french_fallback(text: &LocalizedText, code: &str) -> Option<&'static str> {
    let translated = match code {
        "de" => text.de.as_deref(),
        "it" => text.it.as_deref(),
        _ => return None,
    };
    translated.is_none_or(|text| text.trim().is_empty()).then_some("fr")
}

#[derive(Debug, Serialize)]
struct BankOptions {
    competences: Vec<Choice>,
    positions: Vec<Choice>,
}

#[derive(Debug, Serialize)]
struct CaseRow {
    id: i64,
    case_id: String,
    version: String,
    title: String,
    language: &'static str,
    year: Option<u16>,
    state: &'static str,
    own: bool,
    positions: String,
    competences: String,
}

#[derive(Debug, Serialize)]
struct CoverageRow {
    competence: String,
    title: String,
    /// `fr` when `title` is shown in French for want of a translation.
    lang: Option<&'static str>,
    cases: usize,
    categories: Vec<usize>,
    unassessed: bool,
}

#[derive(Debug, Serialize)]
struct BankView {
    account: grille_report::pages::AccountLayout,
    bank: &'static str,
    filter: BankQuery,
    options: BankOptions,
    cases: Vec<CaseRow>,
    coverage: Vec<CoverageRow>,
    coverage_cases: usize,
    import_errors: Vec<String>,
    notice: Option<Notice>,
}

fn state_name(state: CaseStateName) -> &'static str {
    match state {
        CaseStateName::Draft => "draft",
        CaseStateName::Ready => "ready",
        CaseStateName::Used => "used",
        CaseStateName::Released => "released",
    }
}

fn bank_options(state: &WebState, language: Language) -> BankOptions {
    let code = language.code();
    BankOptions {
        competences: state
            .catalogue
            .competences()
            .map(|competence| Choice {
                id: competence.id.clone(),
                title: competence.title.get(code).to_owned(),
                lang: french_fallback(&competence.title, code),
            })
            .collect(),
        positions: state
            .shipped
            .iter()
            .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
            .map(|position| Choice {
                id: position.id.clone(),
                title: position.title.get(code).to_owned(),
                lang: french_fallback(&position.title, code),
            })
            .collect(),
    }
}

/// Only plain candidate numbers and position ids reach the API's paths.
pub(crate) fn plain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

async fn render_bank(
    staff: &StaffAccount,
    filter: BankQuery,
    status: StatusCode,
    import_errors: Vec<String>,
) -> Result<Response, PageError> {
    let lang = staff.language.language;
    let query = filter.api_query();
    let listed = staff.api.get::<Vec<CaseSummary>>(&format!("/api/cases?{query}"), &staff.reading()).await;
    let summaries = match listed {
        Ok(summaries) => summaries,
        // A filter the API does not take: the bank unfiltered, saying why.
        Err(Refusal::Answer(reply)) if reply.status == StatusCode::BAD_REQUEST => {
            let mut view = bank_view(staff, BankQuery::default(), Vec::new(), None, Vec::new());
            let detail = reply.detail();
            let text = if detail.is_empty() { staff.tr("board.error.internal") } else { detail };
            view.notice = Some(Notice::error(text));
            return Ok(render(staff, StatusCode::BAD_REQUEST, Page::Bank, &view));
        }
        Err(refusal) => return Err(staff.refused(refusal)),
    };
    let coverage: CaseCoverageView = staff.get(&format!("/api/cases/coverage?{query}")).await?;
    let rows = summaries
        .iter()
        .map(|summary| CaseRow {
            id: summary.id,
            case_id: summary.case_id.clone(),
            version: summary.version.clone(),
            title: summary.title.clone(),
            language: summary.language.code(),
            year: summary.year,
            state: state_name(summary.state),
            own: summary.own,
            positions: summary.positions.join(", "),
            competences: summary.competences.join(", "),
        })
        .collect();
    let notice = notice_of(lang, &NoticeQuery { done: filter.done.clone(), diff: None });
    let view = bank_view(staff, filter, rows, Some(coverage), import_errors);
    let view = BankView { notice: view.notice.or(notice), ..view };
    Ok(render(staff, status, Page::Bank, &view))
}

fn bank_view(
    visit: &Visit,
    filter: BankQuery,
    cases: Vec<CaseRow>,
    coverage: Option<CaseCoverageView>,
    import_errors: Vec<String>,
) -> BankView {
    let (state, language) = (&visit.state, visit.language.language);
    let code = language.code();
    let coverage_cases = coverage.as_ref().map_or(0, |coverage| coverage.cases);
    let coverage = coverage
        .map(|coverage| {
            coverage
                .competences
                .into_iter()
                .map(|row| CoverageRow {
                    title: state
                        .catalogue
                        .competence(&row.competence)
                        .map(|competence| competence.title.get(code).to_owned())
                        .unwrap_or_default(),
                    lang: state
                        .catalogue
                        .competence(&row.competence)
                        .and_then(|competence| french_fallback(&competence.title, code)),
                    cases: row.cases.len(),
                    categories: row.categories.iter().map(|(_, cases)| cases.len()).collect(),
                    unassessed: row.unassessed,
                    competence: row.competence,
                })
                .collect()
        })
        .unwrap_or_default();
    BankView {
        account: visit.account.view(),
        bank: if visit.account.role == RoleDto::Admin { "board" } else { "school" },
        filter,
        options: bank_options(state, language),
        cases,
        coverage,
        coverage_cases,
        import_errors,
        notice: None,
    }
}

pub(crate) async fn bank(
    staff: StaffAccount,
    Query(filter): Query<BankQuery>,
) -> Result<Response, PageError> {
    render_bank(&staff, filter, StatusCode::OK, Vec::new()).await
}

/// The fields of a multipart form: text fields, and the one file (name,
/// bytes). A part that cannot be read is a 400 with its reason.
pub(crate) struct Uploaded {
    pub(crate) fields: Vec<(String, String)>,
    pub(crate) file: Option<(String, Vec<u8>)>,
}

pub(crate) async fn read_multipart(mut multipart: Multipart) -> Result<Uploaded, String> {
    let mut uploaded = Uploaded { fields: Vec::new(), file: None };
    loop {
        let part = match multipart.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(error) => return Err(error.body_text()),
        };
        let name = part.name().unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = part.file_name().unwrap_or("fichier").to_owned();
            let bytes = part.bytes().await.map_err(|error| error.body_text())?;
            uploaded.file = Some((file_name, bytes.to_vec()));
        } else {
            let text = part.text().await.map_err(|error| error.body_text())?;
            uploaded.fields.push((name, text));
        }
    }
    Ok(uploaded)
}

/// `POST /cases/import`: an exported case (JSON with its attachments),
/// sent to the API as the file is; its problems are listed above the bank.
pub(crate) async fn import(staff: StaffAccount, multipart: Multipart) -> Result<Response, PageError> {
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            return render_bank(&staff, BankQuery::default(), StatusCode::BAD_REQUEST, vec![reason]).await;
        }
    };
    let csrf = field(&uploaded.fields, "csrf");
    let Some((_, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let errors = vec![staff.tr("cases.import.no_file")];
        return render_bank(&staff, BankQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    };
    let uri = "/api/cases/import";
    match staff.send_file::<CaseDetail>(Method::POST, uri, csrf, None, "application/json", bytes).await {
        Ok(imported) => Ok(see_other(&format!("/cases/{}?done=imported", imported.summary.id))),
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            render_bank(
                &staff,
                BankQuery::default(),
                reply.status,
                reply.problems(staff.language.language, true),
            )
            .await
        }
    }
}

// ---------------------------------------------------------------- one case

#[derive(Debug, Serialize)]
struct AttachmentView {
    name: String,
    kind: &'static str,
    size: String,
    sha256: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct CaseView {
    account: grille_report::pages::AccountLayout,
    summary: CaseSummary,
    case: CaseStudy,
    notes_shown: bool,
    allowed: grille_server::AllowedCaseActions,
    attachments: Vec<AttachmentView>,
    uses: Vec<grille_server::CaseUseView>,
    versions: Vec<VersionView>,
    own: bool,
    suggested_version: String,
    diff: Option<CaseDiffView>,
    errors: Vec<String>,
    notice: Option<Notice>,
}

#[derive(Debug, Serialize)]
struct CaseDiffView {
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

#[derive(Debug, Serialize)]
struct VersionView {
    id: i64,
    version: String,
    state: &'static str,
}

pub(crate) fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} Mio", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} kio", bytes.div_ceil(1024))
    }
}

fn kind_of(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "PDF",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        _ => "?",
    }
}

/// The next version label a copy would get (numbers count up).
fn suggested_version(detail: &CaseDetail) -> String {
    let highest = detail.versions.iter().filter_map(|version| version.version.parse::<u64>().ok()).max();
    match (detail.summary.version.parse::<u64>(), highest) {
        (Ok(current), highest) => (highest.unwrap_or(current).max(current) + 1).to_string(),
        (Err(_), _) => format!("{}-2", detail.summary.version),
    }
}

async fn render_case(staff: &StaffAccount, row: i64, outcome: Outcome) -> Result<Response, PageError> {
    let Outcome { status, errors, notice, diff_with } = outcome;
    let detail: CaseDetail = staff.get(&format!("/api/cases/{row}")).await?;
    let diff = match diff_with {
        Some(other) => {
            let changes: Vec<grille_competence::document::Change> =
                staff.get(&format!("/api/cases/{row}/diff?with={other}")).await?;
            Some(changes)
        }
        None => None,
    };
    let attachments = detail
        .case
        .attachments
        .iter()
        .map(|attachment| AttachmentView {
            name: attachment.name.clone(),
            kind: kind_of(&attachment.media_type),
            size: size_text(attachment.size),
            sha256: attachment.sha256.clone(),
            url: format!("/api/cases/{row}/attachments/{}", attachment.sha256),
        })
        .collect();
    let diff = diff.map(|changes| CaseDiffView {
        with_version: detail
            .versions
            .iter()
            .find(|version| Some(version.id) == diff_with)
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
    });
    let view = CaseView {
        account: staff.account.view(),
        diff,
        own: detail.summary.own,
        suggested_version: suggested_version(&detail),
        notes_shown: detail.examiner_notes_shown,
        allowed: detail.allowed,
        attachments,
        versions: detail
            .versions
            .iter()
            .map(|version| VersionView {
                id: version.id,
                version: version.version.clone(),
                state: state_name(version.state),
            })
            .collect(),
        uses: detail.uses,
        summary: detail.summary,
        case: detail.case,
        errors,
        notice,
    };
    Ok(render(staff, status, Page::Case, &view))
}

pub(crate) async fn view(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = notice_of(staff.language.language, &query);
    let outcome = Outcome { diff_with: query.diff, ..Outcome::ok(notice) };
    render_case(&staff, row, outcome).await
}

/// After an action on a case: to the case `done` names (the copy, for a
/// duplicate), or the page again with the reasons of a refusal.
async fn case_action(
    staff: &StaffAccount,
    row: i64,
    sent: Result<CaseDetail, Refusal>,
    done: &str,
) -> Result<Response, PageError> {
    match sent {
        Ok(detail) => Ok(see_other(&format!("/cases/{}?done={done}", detail.summary.id))),
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            render_case(
                staff,
                row,
                Outcome::refused(reply.status, reply.problems(staff.language.language, false)),
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
    let uri = format!("/api/cases/{row}/state");
    let sent = send_state(&staff, &fields, &uri, |state: CaseStateName| StateRequest { state }).await?;
    case_action(&staff, row, sent, "state").await
}

/// Sends the state a bank row (a case, a document) moves to, as the form
/// names it (`state`, with the row's `row_version`); the form offers the
/// states the row may move to, so another is a forged form.
pub(crate) async fn send_state<N: DeserializeOwned, B: Serialize, T: DeserializeOwned + 'static>(
    staff: &StaffAccount,
    fields: &[(String, String)],
    uri: &str,
    request: impl FnOnce(N) -> B,
) -> Result<Result<T, Refusal>, PageError> {
    let Some(state) = named::<N>(field(fields, "state")) else {
        return Err(staff.error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "examiner.error.conflict",
            staff.tr("examiner.error.conflict"),
        ));
    };
    let version = Some(field(fields, "row_version"));
    Ok(staff.send::<T>(Method::POST, uri, field(fields, "csrf"), version, Some(&request(state))).await)
}

pub(crate) async fn duplicate(
    staff: StaffAccount,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let version = field(&fields, "version").trim();
    let year = field(&fields, "year").trim();
    let year = if year.is_empty() {
        None
    } else {
        match year.parse::<u16>() {
            Ok(year) => Some(year),
            Err(_) => {
                let errors = vec![staff.tr("cases.error.year")];
                return render_case(&staff, row, Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors))
                    .await;
            }
        }
    };
    let request = DuplicateRequest {
        version: Some(version.to_owned()).filter(|version| !version.is_empty()),
        case_id: None,
        year,
    };
    let uri = format!("/api/cases/{row}/duplicate");
    let sent =
        staff.send::<CaseDetail>(Method::POST, &uri, field(&fields, "csrf"), None, Some(&request)).await;
    case_action(&staff, row, sent, "duplicated").await
}

pub(crate) async fn attach(
    staff: StaffAccount,
    Path(row): Path<i64>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            return render_case(&staff, row, Outcome::refused(StatusCode::BAD_REQUEST, vec![reason])).await;
        }
    };
    let csrf = field(&uploaded.fields, "csrf");
    let Some((name, bytes)) = uploaded.file else {
        let errors = vec![staff.tr("cases.import.no_file")];
        return render_case(&staff, row, Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors)).await;
    };
    let uri = format!("/api/cases/{row}/attachments?name={}", crate::auth_pages::encode(&name));
    let version = field(&uploaded.fields, "row_version");
    let sent =
        staff.send_file(Method::POST, &uri, csrf, Some(version), "application/octet-stream", bytes).await;
    case_action(&staff, row, sent, "attached").await
}

pub(crate) async fn detach(
    staff: StaffAccount,
    Path((row, sha256)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !sha256.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(staff.not_found());
    }
    let uri = format!("/api/cases/{row}/attachments/{sha256}");
    let sent = staff
        .send::<CaseDetail>(
            Method::DELETE,
            &uri,
            field(&fields, "csrf"),
            Some(field(&fields, "row_version")),
            None::<&()>,
        )
        .await;
    case_action(&staff, row, sent, "detached").await
}

// ---------------------------------------------------------------- editor

/// The editor's fields, as typed (kept when a save is refused).
#[derive(Debug, Default, Clone, Serialize)]
struct CaseForm {
    case_id: String,
    version: String,
    language: String,
    year: String,
    title: String,
    situation: String,
    tasks: Vec<TaskForm>,
    competences: Vec<String>,
    criteria: String,
    positions: Vec<String>,
    rubric: String,
    not_assessed: Vec<LeftOutForm>,
    /// Usernames, separated by spaces or commas.
    authors: String,
}

#[derive(Debug, Default, Clone, Serialize)]
struct TaskForm {
    id: String,
    prompt: String,
    notes: String,
}

#[derive(Debug, Default, Clone, Serialize)]
struct LeftOutForm {
    criterion: String,
    reason: String,
}

impl CaseForm {
    fn blank() -> CaseForm {
        CaseForm { version: "1".to_owned(), language: "fr".to_owned(), ..CaseForm::default() }
            .with_spare_rows()
    }

    fn of(case: &CaseStudy) -> CaseForm {
        CaseForm {
            case_id: case.id.clone(),
            version: case.version.clone(),
            language: case.language.code().to_owned(),
            year: case.year.map(|year| year.to_string()).unwrap_or_default(),
            title: case.title.clone(),
            situation: case.situation.clone(),
            tasks: case
                .tasks
                .iter()
                .map(|task| TaskForm {
                    id: task.id.clone(),
                    prompt: task.prompt.clone(),
                    notes: task.examiner_notes.join("\n"),
                })
                .collect(),
            competences: case.competences.clone(),
            criteria: case.criteria.join(" "),
            positions: case.positions.clone(),
            rubric: case.rubric.clone().unwrap_or_default(),
            not_assessed: case
                .not_assessed
                .iter()
                .map(|item| LeftOutForm { criterion: item.criterion.clone(), reason: item.reason.clone() })
                .collect(),
            authors: case.authors.join(" "),
        }
        .with_spare_rows()
    }

    /// The form as posted: task and left-out rows numbered from 0 until
    /// the first number absent from the form.
    fn posted(fields: &[(String, String)]) -> CaseForm {
        let mut tasks = Vec::new();
        for index in 0.. {
            let id = format!("task_id_{index}");
            if !fields.iter().any(|(key, _)| *key == id) {
                break;
            }
            tasks.push(TaskForm {
                id: field(fields, &id).trim().to_owned(),
                prompt: field(fields, &format!("task_prompt_{index}")).to_owned(),
                notes: field(fields, &format!("task_notes_{index}")).to_owned(),
            });
        }
        let mut not_assessed = Vec::new();
        for index in 0.. {
            let criterion = format!("na_criterion_{index}");
            if !fields.iter().any(|(key, _)| *key == criterion) {
                break;
            }
            not_assessed.push(LeftOutForm {
                criterion: field(fields, &criterion).trim().to_owned(),
                reason: field(fields, &format!("na_reason_{index}")).to_owned(),
            });
        }
        CaseForm {
            case_id: field(fields, "case_id").trim().to_owned(),
            version: field(fields, "version").trim().to_owned(),
            language: field(fields, "language").trim().to_owned(),
            year: field(fields, "year").trim().to_owned(),
            title: field(fields, "title").trim().to_owned(),
            situation: field(fields, "situation").to_owned(),
            tasks,
            competences: values(fields, "competence").map(str::to_owned).collect(),
            criteria: field(fields, "criteria").to_owned(),
            positions: values(fields, "position").map(str::to_owned).collect(),
            rubric: field(fields, "rubric").trim().to_owned(),
            not_assessed,
            authors: field(fields, "authors").to_owned(),
        }
    }

    /// The rows up to the last filled one (so that the rows keep their
    /// numbers, which problems refer to), then [`SPARE_ROWS`] empty ones.
    fn with_spare_rows(mut self) -> CaseForm {
        while self.tasks.last().is_some_and(TaskForm::is_empty) {
            self.tasks.pop();
        }
        while self.not_assessed.last().is_some_and(LeftOutForm::is_empty) {
            self.not_assessed.pop();
        }
        self.tasks.resize(self.tasks.len() + SPARE_ROWS, TaskForm::default());
        self.not_assessed.resize(self.not_assessed.len() + SPARE_ROWS, LeftOutForm::default());
        self
    }

    /// The case for the API, with the row of the form each task and
    /// left-out criterion came from (to put the API's problems back at the
    /// right field). Empty rows are left out; a year that is no number (or
    /// a language that is none, from a forged form) is a problem of the
    /// form itself: the name of its field.
    fn to_case(&self, attachments: &[grille_scoring::Attachment]) -> Result<CaseRequest, &'static str> {
        let mut task_rows = Vec::new();
        let mut tasks = Vec::new();
        for (row, task) in self.tasks.iter().enumerate() {
            if task.is_empty() {
                continue;
            }
            task_rows.push(row);
            tasks.push(CaseTask {
                id: task.id.clone(),
                prompt: task.prompt.trim().to_owned(),
                examiner_notes: task
                    .notes
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
            });
        }
        let mut left_out_rows = Vec::new();
        let mut not_assessed = Vec::new();
        for (row, item) in self.not_assessed.iter().enumerate() {
            if item.is_empty() {
                continue;
            }
            left_out_rows.push(row);
            not_assessed.push(NotAssessed {
                criterion: item.criterion.clone(),
                reason: item.reason.trim().to_owned(),
            });
        }
        let year =
            if self.year.is_empty() { None } else { Some(self.year.parse::<u16>().map_err(|_| "year")?) };
        let case = CaseStudy {
            id: self.case_id.clone(),
            version: self.version.clone(),
            language: CaseLanguage::parse(&self.language).ok_or("language")?,
            year,
            title: self.title.clone(),
            situation: self.situation.trim().to_owned(),
            tasks,
            attachments: attachments.to_vec(),
            competences: self.competences.clone(),
            criteria: split_list(&self.criteria),
            positions: self.positions.clone(),
            rubric: Some(self.rubric.clone()).filter(|rubric| !rubric.is_empty()),
            not_assessed,
            authors: split_list(&self.authors),
            translation: None,
        };
        Ok(CaseRequest { case, task_rows, left_out_rows })
    }
}

/// The items of a list typed in one field, separated by commas,
/// semicolons or white space.
fn split_list(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A form turned into a case for the API, with the form row each task and
/// left-out criterion came from.
struct CaseRequest {
    case: CaseStudy,
    task_rows: Vec<usize>,
    left_out_rows: Vec<usize>,
}

impl TaskForm {
    fn is_empty(&self) -> bool {
        self.id.is_empty() && self.prompt.trim().is_empty() && self.notes.trim().is_empty()
    }
}

impl LeftOutForm {
    fn is_empty(&self) -> bool {
        self.criterion.is_empty() && self.reason.trim().is_empty()
    }
}

/// The form field a JSON pointer of the case is shown at (`None`: the
/// problem is shown above the form only).
fn field_of(pointer: &str, task_rows: &[usize], left_out_rows: &[usize]) -> Option<String> {
    let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let row =
        |rows: &[usize], index: &str| index.parse::<usize>().ok().and_then(|index| rows.get(index).copied());
    Some(match segments.as_slice() {
        ["id"] => "case_id".to_owned(),
        [name @ ("version" | "title" | "situation" | "year" | "language" | "rubric")] => (*name).to_owned(),
        ["tasks"] => "tasks".to_owned(),
        ["tasks", index, "id", ..] => format!("task_id_{}", row(task_rows, index)?),
        ["tasks", index, "prompt", ..] => format!("task_prompt_{}", row(task_rows, index)?),
        ["tasks", index, "examiner_notes", ..] => format!("task_notes_{}", row(task_rows, index)?),
        ["competences", ..] => "competences".to_owned(),
        ["criteria", ..] => "criteria".to_owned(),
        ["positions", ..] => "positions".to_owned(),
        ["authors", ..] => "authors".to_owned(),
        ["not_assessed"] => "not_assessed".to_owned(),
        ["not_assessed", index, "criterion", ..] => format!("na_criterion_{}", row(left_out_rows, index)?),
        ["not_assessed", index, "reason", ..] => format!("na_reason_{}", row(left_out_rows, index)?),
        _ => return None,
    })
}

#[derive(Debug, Serialize)]
struct DomainChoices {
    id: String,
    title: String,
    /// `fr` when the title is French for want of a translation.
    lang: Option<&'static str>,
    competences: Vec<Choice>,
}

#[derive(Debug, Serialize)]
struct RubricCriterionChoice {
    id: String,
    title: String,
    rubric: String,
}

#[derive(Debug, Serialize)]
struct EditOptions {
    domains: Vec<DomainChoices>,
    positions: Vec<Choice>,
    rubrics: Vec<Choice>,
    rubric_criteria: Vec<RubricCriterionChoice>,
}

#[derive(Debug, Serialize)]
struct EditView {
    account: grille_report::pages::AccountLayout,
    new: bool,
    row: Option<i64>,
    row_version: Option<i64>,
    form: CaseForm,
    options: EditOptions,
    errors: Vec<String>,
    field_errors: BTreeMap<String, Vec<String>>,
    notice: Option<Notice>,
}

fn edit_options(state: &WebState, language: Language) -> EditOptions {
    let code = language.code();
    let rubrics = state.shipped.iter().flat_map(|exam| exam.rubrics.iter());
    EditOptions {
        domains: state
            .catalogue
            .domains()
            .iter()
            .map(|domain| DomainChoices {
                id: domain.id.clone(),
                title: domain.title.get(code).to_owned(),
                lang: french_fallback(&domain.title, code),
                competences: domain
                    .competences
                    .iter()
                    .map(|competence| Choice {
                        id: competence.id.clone(),
                        title: competence.title.get(code).to_owned(),
                        lang: french_fallback(&competence.title, code),
                    })
                    .collect(),
            })
            .collect(),
        positions: bank_options(state, language).positions,
        rubrics: rubrics
            .clone()
            .map(|rubric| Choice {
                id: rubric.id.clone(),
                title: rubric.title.get(code).to_owned(),
                lang: french_fallback(&rubric.title, code),
            })
            .collect(),
        rubric_criteria: rubrics
            .flat_map(|rubric| {
                rubric.criteria.iter().map(move |criterion| RubricCriterionChoice {
                    id: criterion.id.clone(),
                    title: criterion.title.get(code).to_owned(),
                    rubric: rubric.id.clone(),
                })
            })
            .collect(),
    }
}

/// What the editor shows besides the form: its status, the problems of a
/// refused save, and those at a field.
struct EditOutcome {
    status: StatusCode,
    errors: Vec<String>,
    field_errors: BTreeMap<String, Vec<String>>,
}

impl EditOutcome {
    fn ok() -> EditOutcome {
        EditOutcome { status: StatusCode::OK, errors: Vec::new(), field_errors: BTreeMap::new() }
    }
}

fn render_edit(visit: &Visit, row: Option<(i64, i64)>, form: CaseForm, outcome: EditOutcome) -> Response {
    let EditOutcome { status, errors, field_errors } = outcome;
    let view = EditView {
        account: visit.account.view(),
        new: row.is_none(),
        row: row.map(|(row, _)| row),
        row_version: row.map(|(_, version)| version),
        form,
        options: edit_options(&visit.state, visit.language.language),
        errors,
        field_errors,
        notice: None,
    };
    render(visit, status, Page::Edit, &view)
}

pub(crate) async fn new_form(staff: StaffAccount) -> Result<Response, PageError> {
    Ok(render_edit(&staff, None, CaseForm::blank(), EditOutcome::ok()))
}

pub(crate) async fn edit_form(staff: StaffAccount, Path(row): Path<i64>) -> Result<Response, PageError> {
    let detail: CaseDetail = staff.get(&format!("/api/cases/{row}")).await?;
    if !detail.allowed.edit {
        let text = staff.tr("cases.error.not_editable");
        return render_case(&staff, row, Outcome::refused(StatusCode::CONFLICT, vec![text])).await;
    }
    let form = CaseForm::of(&detail.case);
    Ok(render_edit(&staff, Some((row, detail.summary.row_version)), form, EditOutcome::ok()))
}

/// Sends the form to the API (create when `row` is `None`, else replace
/// at the version the form was opened with).
async fn save(
    staff: &StaffAccount,
    row: Option<i64>,
    fields: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let form = CaseForm::posted(&fields);
    let csrf = field(&fields, "csrf");
    let version = field(&fields, "row_version");
    let version_number = version.parse::<i64>().unwrap_or_default();
    let again = |outcome| {
        let form = form.clone().with_spare_rows();
        Ok(render_edit(staff, row.map(|row| (row, version_number)), form, outcome))
    };
    // An edit keeps the stored attachments (they change on the case page).
    let attachments = match row {
        Some(row) => staff.get::<CaseDetail>(&format!("/api/cases/{row}")).await?.case.attachments,
        None => Vec::new(),
    };
    let CaseRequest { case, task_rows, left_out_rows } = match form.to_case(&attachments) {
        Ok(found) => found,
        Err(name) => {
            let key = if name == "language" { "cases.error.language" } else { "cases.error.year" };
            let text = staff.tr(key);
            return again(EditOutcome {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                errors: vec![text.clone()],
                field_errors: BTreeMap::from([(name.to_owned(), vec![text])]),
            });
        }
    };
    let sent = match row {
        None => staff.send::<CaseDetail>(Method::POST, "/api/cases", csrf, None, Some(&case)).await,
        Some(row) => {
            let uri = format!("/api/cases/{row}");
            staff.send::<CaseDetail>(Method::PUT, &uri, csrf, Some(version), Some(&case)).await
        }
    };
    let reply = match sent {
        Ok(saved) => {
            let done = if row.is_some() { "saved" } else { "created" };
            return Ok(see_other(&format!("/cases/{}?done={done}", saved.summary.id)));
        }
        Err(refusal) => staff.form_refusal(refusal)?,
    };
    let mut errors = Vec::new();
    let mut field_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (pointer, detail) in pointed_problems(&reply, staff.language.language) {
        match pointer.and_then(|pointer| field_of(&pointer, &task_rows, &left_out_rows)) {
            Some(name) => {
                errors.push(detail.clone());
                field_errors.entry(name).or_default().push(detail);
            }
            None => errors.push(detail),
        }
    }
    if reply.status == StatusCode::CONFLICT && row.is_some() {
        errors.push(staff.tr("cases.error.conflict"));
    }
    again(EditOutcome { status: reply.status, errors, field_errors })
}

/// Every problem of a refusal in `language` with the JSON pointer it is
/// at, if any; the explanation alone when it lists none.
pub(crate) fn pointed_problems(reply: &Reply, language: Language) -> Vec<(Option<String>, String)> {
    let problem = reply.problem();
    let listed: Vec<(Option<String>, String)> = problem
        .errors
        .into_iter()
        .filter(|error| !error.detail.is_empty())
        .map(|error| {
            let text = crate::api::error_text(&error, language);
            (error.pointer, text)
        })
        .collect();
    if listed.is_empty() { vec![(None, problem.detail.unwrap_or(problem.title))] } else { listed }
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

// ---------------------------------------------------------------- sessions

#[derive(Debug, Serialize)]
struct SessionLinks {
    id: i64,
    name: String,
    back: String,
    action: String,
    draw_action: String,
    /// The CSV upload's address (`/preview`, `/confirm`, `/template.csv`
    /// below it).
    csv_action: String,
}

#[derive(Debug, Serialize)]
struct CaseOption {
    row: i64,
    label: String,
    /// The language the case is written in (its title with it), when
    /// known: the option is marked with it.
    lang: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct PositionColumn {
    id: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct CellView {
    position: String,
    current: Option<i64>,
    options: Vec<CaseOption>,
    locked: bool,
    /// The candidate's examiners of this position who wrote its case.
    conflicts: Vec<String>,
}

#[derive(Debug, Serialize)]
struct CandidateRow {
    number: String,
    status: CandidateStatus,
    status_key: &'static str,
    cells: Vec<CellView>,
}

#[derive(Debug, Serialize)]
struct DrawView {
    assigned: usize,
    kept: usize,
    counts: Vec<DrawCount>,
    repeated: Vec<String>,
    conflicted: Vec<String>,
}

#[derive(Debug, Serialize)]
struct DrawCount {
    label: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct SessionCasesView {
    account: grille_report::pages::AccountLayout,
    session: SessionLinks,
    positions: Vec<PositionColumn>,
    rows: Vec<CandidateRow>,
    draw_options: Vec<CaseOption>,
    seed: u64,
    draw: Option<DrawView>,
    errors: Vec<String>,
    notice: Option<Notice>,
}

/// The session base path of the caller's role (`/board` or `/trainer`).
pub(crate) fn role_base(visit: &Visit) -> &'static str {
    if visit.account.role == RoleDto::Admin { "/board" } else { "/trainer" }
}

fn case_label(summary: &CaseSummary) -> String {
    format!("{} v{} — {} ({})", summary.case_id, summary.version, summary.title, summary.language.code())
}

/// A seed for the draw form: the current time's nanoseconds (the board may
/// type its own; the one used is kept in the audit log).
fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |elapsed| u64::from(elapsed.subsec_nanos()) ^ elapsed.as_secs().rotate_left(17))
        % 1_000_000
}

impl SessionLinks {
    /// The links of session `id` on the case pages of the visitor's role.
    fn of(visit: &Visit, session: SessionView, back: &str) -> SessionLinks {
        let (base, id) = (role_base(visit), session.id);
        SessionLinks {
            id,
            name: session.name,
            back: format!("{base}/sessions/{id}{back}"),
            action: format!("{base}/sessions/{id}/cases"),
            draw_action: format!("{base}/sessions/{id}/cases/draw"),
            csv_action: format!("{base}/sessions/{id}/cases/csv"),
        }
    }
}

async fn render_session_cases(
    staff: &StaffAccount,
    id: i64,
    outcome: Outcome,
    draw: Option<DrawResult>,
) -> Result<Response, PageError> {
    let Outcome { status, errors, notice, .. } = outcome;
    let session: SessionView = staff.get(&format!("/api/sessions/{id}")).await?;
    let candidates: Vec<CandidateView> = staff.get(&format!("/api/sessions/{id}/candidates")).await?;
    let sittings: Vec<SittingView> = staff.get(&format!("/api/sessions/{id}/cases")).await?;
    let bank: Vec<CaseSummary> = staff.get("/api/cases").await?;
    // The cases this session can use: its organiser's bank, ready or used.
    let usable: Vec<&CaseSummary> = bank
        .iter()
        .filter(|summary| summary.own)
        .filter(|summary| matches!(summary.state, CaseStateName::Ready | CaseStateName::Used))
        .collect();
    let code = staff.language.language.code();
    let exam = staff.api.pinned_exam(id);
    let positions: Vec<PositionColumn> = exam
        .iter()
        .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
        .filter(|position| {
            usable.iter().any(|summary| summary.positions.contains(&position.id))
                || sittings.iter().any(|sitting| sitting.position == position.id)
        })
        .map(|position| PositionColumn {
            id: position.id.clone(),
            title: position.title.get(code).to_owned(),
        })
        .collect();
    let options_for = |position: &str| -> Vec<CaseOption> {
        usable
            .iter()
            .filter(|summary| summary.positions.iter().any(|p| p == position))
            .map(|summary| CaseOption {
                row: summary.id,
                label: case_label(summary),
                lang: Some(summary.language.code()),
            })
            .collect()
    };
    let rows = candidates
        .into_iter()
        .map(|candidate| {
            let number = candidate.number;
            let cells = positions
                .iter()
                .map(|position| {
                    let current = sittings
                        .iter()
                        .find(|sitting| sitting.candidate == number && sitting.position == position.id);
                    let mut options = options_for(&position.id);
                    // A version no longer offered (another bank's copy, a
                    // released one) stays visible where it is assigned.
                    if let Some(current) = current
                        && !options.iter().any(|option| option.row == current.case)
                    {
                        options.push(CaseOption {
                            row: current.case,
                            label: format!("{} v{} — {}", current.case_id, current.version, current.title),
                            lang: None,
                        });
                    }
                    CellView {
                        position: position.id.clone(),
                        current: current.map(|c| c.case),
                        options,
                        locked: false,
                        conflicts: current.map(|c| c.conflicts.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            CandidateRow { status_key: status_key(candidate.status), number, status: candidate.status, cells }
        })
        .collect();
    let labels: BTreeMap<i64, String> =
        bank.iter().map(|summary| (summary.id, case_label(summary))).collect();
    let view = SessionCasesView {
        account: staff.account.view(),
        session: SessionLinks::of(staff, session, ""),
        draw_options: usable
            .iter()
            .map(|summary| CaseOption {
                row: summary.id,
                label: case_label(summary),
                lang: Some(summary.language.code()),
            })
            .collect(),
        positions,
        rows,
        seed: fresh_seed(),
        draw: draw.map(|draw| DrawView {
            assigned: draw.assigned.len(),
            kept: draw.kept.len(),
            counts: draw
                .counts
                .iter()
                .map(|(row, count)| DrawCount {
                    label: labels.get(row).cloned().unwrap_or_else(|| row.to_string()),
                    count: *count,
                })
                .collect(),
            repeated: draw.repeated,
            conflicted: draw.conflicted,
        }),
        errors,
        notice,
    };
    Ok(render(staff, status, Page::Session, &view))
}

pub(crate) async fn session_page(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let notice = notice_of(staff.language.language, &query);
    render_session_cases(&staff, id, Outcome::ok(notice), None).await
}

/// `POST .../cases`: every cell of the table whose case changed is given
/// (or relieved of) its case; the problems of refused cells are listed by
/// candidate and position.
pub(crate) async fn session_post(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = field(&fields, "csrf");
    let current: Vec<SittingView> = staff.get(&format!("/api/sessions/{id}/cases")).await?;
    let mut errors = Vec::new();
    for (name, value) in &fields {
        let Some(rest) = name.strip_prefix("case:") else { continue };
        let Some((number, position)) = rest.split_once(':') else { continue };
        if !plain(number) || !plain(position) {
            continue;
        }
        let before = current.iter().find(|s| s.candidate == number && s.position == position).map(|s| s.case);
        let wanted = value.trim().parse::<i64>().ok();
        if before == wanted {
            continue;
        }
        let uri = format!("/api/sessions/{id}/candidates/{number}/positions/{position}/case");
        let sent = match wanted {
            Some(case) => {
                let request = AssignRequest { case };
                staff.send::<IgnoredAny>(Method::PUT, &uri, csrf, None, Some(&request)).await
            }
            None => staff.send::<IgnoredAny>(Method::DELETE, &uri, csrf, None, None::<&()>).await,
        };
        if let Err(refusal) = sent {
            let reply = staff.form_refusal(refusal)?;
            for detail in reply.problems(staff.language.language, false) {
                errors.push(grille_report::i18n::labelled(
                    staff.language.language,
                    &format!("{number} · {position}"),
                    &detail,
                ));
            }
        }
    }
    if errors.is_empty() {
        return Ok(see_other(&format!("{}/sessions/{id}/cases?done=assigned", role_base(&staff))));
    }
    render_session_cases(&staff, id, Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors), None).await
}

/// `POST .../cases/draw`: a seeded draw of cases for one position; its
/// outcome is shown above the table.
pub(crate) async fn draw(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let Ok(seed) = field(&fields, "seed").trim().parse::<u64>() else {
        let errors = vec![staff.tr("cases.error.seed")];
        let outcome = Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors);
        return render_session_cases(&staff, id, outcome, None).await;
    };
    let request = DrawRequest {
        position: field(&fields, "position").to_owned(),
        cases: values(&fields, "case").filter_map(|row| row.parse().ok()).collect(),
        seed,
        replace: field(&fields, "replace") == "1",
    };
    let uri = format!("/api/sessions/{id}/cases/draw");
    match staff.send::<DrawResult>(Method::POST, &uri, field(&fields, "csrf"), None, Some(&request)).await {
        Ok(result) => render_session_cases(&staff, id, Outcome::ok(None), Some(result)).await,
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            let outcome = Outcome::refused(reply.status, reply.problems(staff.language.language, false));
            render_session_cases(&staff, id, outcome, None).await
        }
    }
}

// ---------------------------------------------------------------- cases by CSV

/// The preview (or the refusal) of a file giving candidates their cases.
#[derive(Debug, Serialize)]
struct CasesCsvView {
    account: grille_report::pages::AccountLayout,
    session: SessionLinks,
    /// The file as sent (kept for the confirmation or the correction).
    csv: String,
    errors: Vec<CsvProblem>,
    outcome: Option<CasesCsvOutcome>,
    /// How many of the rows carry a warning.
    warned: usize,
}

/// A problem of a refused file, with the line it is on.
#[derive(Debug, Serialize)]
struct CsvProblem {
    line: Option<u64>,
    field: Option<String>,
    detail: String,
    row: String,
}

/// The media type of the CSV sent to the API.
const CSV: &str = "text/csv; charset=utf-8";

/// The CSV as the form sent it, without a BOM and with `\n` line ends.
fn clean_csv(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

/// Line `line` (1 = header) of the file, shortened for the table.
fn csv_line(text: &str, line: u64) -> String {
    let Some(index) = usize::try_from(line).ok().and_then(|line| line.checked_sub(1)) else {
        return String::new();
    };
    let row = text.lines().nth(index).unwrap_or_default();
    if row.chars().count() > 120 {
        format!("{}…", row.chars().take(119).collect::<String>())
    } else {
        row.to_owned()
    }
}

/// Sends the file to the API's preview (`confirm: false`) or saves it, and
/// shows the outcome: every problem by line, or the sittings that change
/// with their warnings.
async fn cases_csv(
    staff: StaffAccount,
    id: i64,
    fields: Vec<(String, String)>,
    confirm: bool,
) -> Result<Response, PageError> {
    let session: SessionView = staff.get(&format!("/api/sessions/{id}")).await?;
    let session = SessionLinks::of(&staff, session, "/cases");
    let csv = clean_csv(field(&fields, "csv"));
    let route = if confirm {
        format!("/api/sessions/{id}/cases/csv")
    } else {
        format!("/api/sessions/{id}/cases/csv/preview")
    };
    let (csrf, body) = (field(&fields, "csrf"), csv.clone().into_bytes());
    let sent = staff.send_file::<CasesCsvOutcome>(Method::POST, &route, csrf, None, CSV, body).await;
    let (status, errors, outcome) = match sent {
        Ok(_) if confirm => return Ok(see_other(&format!("{}?done=assigned", session.action))),
        Ok(mut outcome) => {
            // The warnings in the reader's language, from their messages.
            for sitting in &mut outcome.sittings {
                if sitting.warning_messages.len() == sitting.warnings.len() {
                    sitting.warnings = sitting
                        .warning_messages
                        .iter()
                        .map(|message| grille_report::messages::render(message, staff.language.language))
                        .collect();
                }
            }
            (StatusCode::OK, Vec::new(), Some(outcome))
        }
        Err(refusal) => {
            let reply = staff.form_refusal(refusal)?;
            let problem = reply.problem();
            let errors = if problem.errors.is_empty() {
                let detail = reply.detail();
                vec![CsvProblem { line: None, field: None, detail, row: String::new() }]
            } else {
                problem
                    .errors
                    .into_iter()
                    .map(|error| CsvProblem {
                        row: error.line.map(|line| csv_line(&csv, line)).unwrap_or_default(),
                        line: error.line,
                        detail: crate::api::error_text(&error, staff.language.language),
                        field: error.field,
                    })
                    .collect()
            };
            (reply.status, errors, None)
        }
    };
    let warned = outcome
        .as_ref()
        .map_or(0, |outcome| outcome.sittings.iter().filter(|sitting| !sitting.warnings.is_empty()).count());
    let view = CasesCsvView { account: staff.account.view(), session, csv, errors, outcome, warned };
    Ok(render(&staff, status, Page::SessionCsv, &view))
}

pub(crate) async fn csv_preview(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    cases_csv(staff, id, fields, false).await
}

pub(crate) async fn csv_confirm(
    staff: StaffAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    cases_csv(staff, id, fields, true).await
}

/// The file to fill in: one row per candidate and position that takes a
/// case, with the case each sits now (empty where none), UTF-8 with a BOM
/// so that Excel reads the accents.
pub(crate) async fn csv_template(staff: StaffAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
    let candidates: Vec<CandidateView> = staff.get(&format!("/api/sessions/{id}/candidates")).await?;
    let sittings: Vec<SittingView> = staff.get(&format!("/api/sessions/{id}/cases")).await?;
    let bank: Vec<CaseSummary> = staff.get("/api/cases").await?;
    let positions: Vec<String> = staff
        .api
        .pinned_exam(id)
        .iter()
        .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
        .filter(|position| bank.iter().any(|summary| summary.own && summary.positions.contains(&position.id)))
        .map(|position| position.id.clone())
        .collect();
    // Column names the upload reads, in the reader's language where the
    // upload knows them (it reads no Italian name of a position).
    let header = match staff.language.language {
        Language::De => "Nummer;Beurteilungspunkt;Fall;Version",
        Language::Fr | Language::It => "numero;point d'appréciation;cas;version",
    };
    let mut text = format!("\u{feff}{header}\r\n");
    for candidate in &candidates {
        let number = &candidate.number;
        for position in &positions {
            let current = sittings.iter().find(|s| &s.candidate == number && &s.position == position);
            let (case, version) = current.map_or(("", ""), |s| (s.case_id.as_str(), s.version.as_str()));
            text.push_str(&format!("{number};{position};{case};{version}\r\n"));
        }
    }
    let mut response = axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        text,
    ));
    if let Ok(value) =
        axum::http::HeaderValue::from_str(&format!("attachment; filename=\"session-{id}-cas.csv\""))
    {
        response.headers_mut().insert(axum::http::header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_land_on_the_field_of_the_row_they_came_from() {
        // Rows 0 and 2 of the form were filled in, row 1 left empty.
        let tasks = [0, 2];
        let left_out = [1];
        let cases = [
            ("/id", Some("case_id")),
            ("/title", Some("title")),
            ("/tasks/1/prompt", Some("task_prompt_2")),
            ("/tasks/0/examiner_notes/3", Some("task_notes_0")),
            ("/tasks/5/id", None),
            ("/competences/0", Some("competences")),
            ("/not_assessed/0/criterion", Some("na_criterion_1")),
            ("/attachments/0/name", None),
            ("", None),
        ];
        for (pointer, expected) in cases {
            assert_eq!(field_of(pointer, &tasks, &left_out).as_deref(), expected, "{pointer}");
        }
    }

    #[test]
    fn the_posted_form_keeps_rows_and_builds_the_case() {
        let fields: Vec<(String, String)> = [
            ("case_id", "cas-x"),
            ("version", "1"),
            ("language", "de"),
            ("year", "2027"),
            ("title", "Titel"),
            ("situation", "Eine **Situation**"),
            ("task_id_0", "t1"),
            ("task_prompt_0", "Frage"),
            ("task_notes_0", "Punkt eins\n\n  Punkt zwei "),
            ("task_id_1", ""),
            ("task_prompt_1", ""),
            ("task_notes_1", ""),
            ("competence", "A1"),
            ("competence", "A3"),
            ("criteria", "A1.p2, A3.p1"),
            ("position", "2.1"),
            ("rubric", ""),
            ("na_criterion_0", "c4"),
            ("na_reason_0", "kein Arbeitsplatz"),
            ("na_criterion_1", ""),
            ("na_reason_1", ""),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect();
        let form = CaseForm::posted(&fields);
        let CaseRequest { case, task_rows, left_out_rows } = form.to_case(&[]).unwrap();
        assert_eq!(task_rows, [0]);
        assert_eq!(left_out_rows, [0]);
        assert_eq!(case.tasks[0].examiner_notes, ["Punkt eins", "Punkt zwei"]);
        assert_eq!(case.criteria, ["A1.p2", "A3.p1"]);
        assert_eq!(case.competences, ["A1", "A3"]);
        assert_eq!(case.year, Some(2027));
        assert_eq!(case.language, CaseLanguage::De);
        assert_eq!(case.rubric, None);
        let sent = serde_json::to_string(&case).unwrap();
        assert!(!sent.contains("rubric"), "{sent}");
        let catalogue = grille_competence::Catalogue::embedded().unwrap();
        CaseStudy::from_json(&sent, &catalogue).expect("a valid case");
        // A year that is no number, a language that is none: the form's own problems.
        let mut bad = form.clone();
        bad.year = "deux mille".to_owned();
        assert_eq!(bad.to_case(&[]).err(), Some("year"));
        let mut bad = form.clone();
        bad.language = "en".to_owned();
        assert_eq!(bad.to_case(&[]).err(), Some("language"));
        // The form shown again has spare rows after the last filled one.
        assert_eq!(form.with_spare_rows().tasks.len(), 1 + SPARE_ROWS);
    }
}
