//! The case bank in the browser, for the board and for trainers (each in
//! their own bank): the bank with filters, search and coverage; one case
//! with its attachments, versions, uses and the actions its state allows;
//! the editor; import of an exported case; and the cases of a session's
//! candidates (by hand, or by a seeded draw).
//!
//! Every read and write is a call to the JSON API in-process with the
//! browser's cookie ([`crate::api`]); the answers are parsed into the API's
//! own types (`grille_server::CaseDetail`, ...), so a renamed field is a
//! compile error here, not an empty cell. A refused save shows the API's
//! problems at the fields they concern (JSON pointer → form field) and
//! keeps what was typed.
//!
//! Routes: `GET /cases` (bank), `GET|POST /cases/new`, `POST
//! /cases/import`, `GET /cases/{row}`, `GET|POST /cases/{row}/edit`, `POST
//! /cases/{row}/state`, `.../duplicate`, `.../attachments`,
//! `.../attachments/{sha256}/delete`; `GET|POST
//! /{board,trainer}/sessions/{id}/cases` and `POST .../cases/draw`; the
//! candidates' submitted work in [`submissions`].

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use grille_report::cases::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_scoring::CaseStudy;
use grille_server::{CaseDetail, CaseSummary, DrawResult, SittingView};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::api::{Api, Reply};
use crate::auth_pages::{Account, error_page, require_account, see_other};
use crate::{PageLanguage, WebState};

pub(crate) mod submissions;

/// How many empty task and left-out rows the editor offers beyond those
/// filled in.
const SPARE_ROWS: usize = 2;

/// The body limit of the upload forms (an attachment, an exported case
/// with its attachments): the API's own limits decide what is accepted.
pub(crate) fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)
}

/// A board member or a trainer, or the answer for anybody else.
async fn staff_account<'s>(
    state: &'s WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, &'s Api), Response> {
    let account = require_account(state, language, headers, uri).await?;
    if !matches!(account.role, grille_server::RoleDto::Admin | grille_server::RoleDto::Trainer) {
        let detail = i18n::translate(language.language, "cases.error.staff_only");
        return Err(error_page(
            state,
            language,
            Some(&account),
            StatusCode::FORBIDDEN,
            "examiner.error.forbidden",
            detail,
        ));
    }
    let api = crate::auth_pages::api_of(state, language)?;
    Ok((account, api))
}

fn render(
    state: &WebState,
    language: PageLanguage,
    status: StatusCode,
    page: Page,
    view: &impl Serialize,
) -> Response {
    language.respond(status, pages::render_page(&state.environment, page, view, language.language))
}

fn refusal(state: &WebState, language: PageLanguage, account: &Account, reply: &Reply) -> Response {
    let (status, title) = match reply.status {
        StatusCode::FORBIDDEN => (StatusCode::FORBIDDEN, "examiner.error.forbidden"),
        StatusCode::NOT_FOUND => (StatusCode::NOT_FOUND, "examiner.error.not_found"),
        StatusCode::UNAUTHORIZED => return see_other("/login"),
        status if status.is_server_error() => (status, "board.error.internal"),
        status => (status, "examiner.error.conflict"),
    };
    error_page(state, language, Some(account), status, title, message(language.language, reply))
}

fn message(language: Language, reply: &Reply) -> String {
    if reply.kind() == "urn:grille:csrf" {
        return i18n::translate(language, "examiner.error.csrf");
    }
    let detail = reply.detail();
    if detail.is_empty() { i18n::translate(language, "board.error.internal") } else { detail }
}

/// Every problem of a 422 answer with its pointer; other refusals as one
/// problem without a pointer.
fn problems_of(language: Language, reply: &Reply) -> Vec<(String, String)> {
    let listed: Vec<(String, String)> = reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            let pointer = error["pointer"].as_str().unwrap_or_default().to_owned();
            (pointer, error["detail"].as_str().unwrap_or_default().to_owned())
        })
        .filter(|(_, detail)| !detail.is_empty())
        .collect();
    if listed.is_empty() { vec![(String::new(), message(language, reply))] } else { listed }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

fn values<'a>(fields: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    fields.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// What a page says after an action: its status, the problems of a
/// refused action, or a notice of one that succeeded.
#[derive(Debug)]
struct Outcome {
    status: StatusCode,
    errors: Vec<String>,
    notice: Option<Notice>,
    /// On a case page: the other version to show the differences with.
    diff_with: Option<i64>,
}

impl Outcome {
    fn ok(notice: Option<Notice>) -> Outcome {
        Outcome { status: StatusCode::OK, errors: Vec::new(), notice, diff_with: None }
    }

    fn refused(status: StatusCode, errors: Vec<String>) -> Outcome {
        Outcome { status, errors, notice: None, diff_with: None }
    }
}

#[derive(Debug, Serialize)]
struct Notice {
    kind: &'static str,
    text: String,
}

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
    Some(Notice { kind: "success", text: i18n::translate(language, key) })
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

async fn get(api: &Api, account: &Account, uri: &str) -> Reply {
    api.call(Method::GET, uri, &account.credentials(None), None, None).await
}

/// The API's answer parsed into its type; a body that does not parse is a
/// bug between the crates, shown as an internal error.
fn typed<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, String> {
    serde_json::from_value(reply.body.clone())
        .map_err(|error| format!("réponse de l'API illisible : {error}"))
}

fn internal(state: &WebState, language: PageLanguage, account: &Account, detail: String) -> Response {
    error_page(
        state,
        language,
        Some(account),
        StatusCode::INTERNAL_SERVER_ERROR,
        "board.error.internal",
        detail,
    )
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

fn state_name(state: grille_server::CaseStateName) -> &'static str {
    match state {
        grille_server::CaseStateName::Draft => "draft",
        grille_server::CaseStateName::Ready => "ready",
        grille_server::CaseStateName::Used => "used",
        grille_server::CaseStateName::Released => "released",
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
            })
            .collect(),
        positions: state
            .shipped
            .iter()
            .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
            .map(|position| Choice { id: position.id.clone(), title: position.title.get(code).to_owned() })
            .collect(),
    }
}

/// Only plain candidate numbers and position ids reach the API's paths.
fn plain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
}

async fn render_bank(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    filter: BankQuery,
    status: StatusCode,
    import_errors: Vec<String>,
) -> Response {
    let lang = language.language;
    let query = filter.api_query();
    let listed = get(api, account, &format!("/api/cases?{query}")).await;
    if !listed.ok() {
        if listed.status == StatusCode::BAD_REQUEST {
            let view_filter = BankQuery::default();
            let mut view = bank_view(state, lang, account, view_filter, Vec::new(), None, Vec::new());
            view.notice = Some(Notice { kind: "error", text: message(lang, &listed) });
            return render(state, language, StatusCode::BAD_REQUEST, Page::Bank, &view);
        }
        return refusal(state, language, account, &listed);
    }
    let summaries: Vec<CaseSummary> = match typed(&listed) {
        Ok(summaries) => summaries,
        Err(detail) => return internal(state, language, account, detail),
    };
    let covered = get(api, account, &format!("/api/cases/coverage?{query}")).await;
    let coverage: Option<grille_server::CaseCoverageView> = typed(&covered).ok();
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
    let view = bank_view(state, lang, account, filter, rows, coverage, import_errors);
    let view = BankView { notice: view.notice.or(notice), ..view };
    render(state, language, status, Page::Bank, &view)
}

fn bank_view(
    state: &WebState,
    language: Language,
    account: &Account,
    filter: BankQuery,
    cases: Vec<CaseRow>,
    coverage: Option<grille_server::CaseCoverageView>,
    import_errors: Vec<String>,
) -> BankView {
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
                    cases: row.cases.len(),
                    categories: row.categories.iter().map(|(_, cases)| cases.len()).collect(),
                    unassessed: row.unassessed,
                    competence: row.competence,
                })
                .collect()
        })
        .unwrap_or_default();
    BankView {
        account: account.view(),
        bank: if account.role == grille_server::RoleDto::Admin { "board" } else { "school" },
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
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Query(filter): Query<BankQuery>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render_bank(&state, language, api, &account, filter, StatusCode::OK, Vec::new()).await
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

pub(crate) async fn import(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    multipart: Multipart,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let lang = language.language;
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            let errors = vec![reason];
            return render_bank(
                &state,
                language,
                api,
                &account,
                BankQuery::default(),
                StatusCode::BAD_REQUEST,
                errors,
            )
            .await;
        }
    };
    let credentials = account.credentials(Some(field(&uploaded.fields, "csrf")));
    let Some((_, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let errors = vec![i18n::translate(lang, "cases.import.no_file")];
        return render_bank(
            &state,
            language,
            api,
            &account,
            BankQuery::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    };
    let reply = api
        .call_bytes(Method::POST, "/api/cases/import", &credentials, None, "application/json", bytes)
        .await;
    if reply.ok() {
        let id = reply.body["summary"]["id"].as_i64().unwrap_or_default();
        return see_other(&format!("/cases/{id}?done=imported"));
    }
    let errors = problems_of(lang, &reply)
        .into_iter()
        .map(|(pointer, detail)| if pointer.is_empty() { detail } else { format!("{pointer} : {detail}") })
        .collect();
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_bank(&state, language, api, &account, BankQuery::default(), status, errors).await
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

fn size_text(bytes: u64) -> String {
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

async fn render_case(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    row: i64,
    outcome: Outcome,
) -> Response {
    let Outcome { status, errors, notice, diff_with } = outcome;
    let reply = get(api, account, &format!("/api/cases/{row}")).await;
    if !reply.ok() {
        return refusal(state, language, account, &reply);
    }
    let diff = match diff_with {
        Some(other) => {
            let reply = get(api, account, &format!("/api/cases/{row}/diff?with={other}")).await;
            if !reply.ok() {
                return refusal(state, language, account, &reply);
            }
            let changes: Vec<grille_competence::document::Change> = typed(&reply).unwrap_or_default();
            Some(changes)
        }
        None => None,
    };
    let detail: CaseDetail = match typed(&reply) {
        Ok(detail) => detail,
        Err(detail) => return internal(state, language, account, detail),
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
        account: account.view(),
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
    render(state, language, status, Page::Case, &view)
}

pub(crate) async fn view(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = notice_of(language.language, &query);
    let outcome = Outcome { diff_with: query.diff, ..Outcome::ok(notice) };
    render_case(&state, language, api, &account, row, outcome).await
}

/// After a refused action on a case page: the page again with the reasons.
async fn case_refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    row: i64,
    reply: &Reply,
) -> Response {
    let errors = problems_of(language.language, reply).into_iter().map(|(_, detail)| detail).collect();
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_case(state, language, api, account, row, Outcome::refused(status, errors)).await
}

pub(crate) async fn change_state(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let body = json!({"state": field(&fields, "state")});
    let reply = api
        .call(
            Method::POST,
            &format!("/api/cases/{row}/state"),
            &credentials,
            Some(field(&fields, "row_version")),
            Some(&body),
        )
        .await;
    if reply.ok() {
        return see_other(&format!("/cases/{row}?done=state"));
    }
    case_refused(&state, language, api, &account, row, &reply).await
}

pub(crate) async fn duplicate(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let mut body = json!({});
    let version = field(&fields, "version").trim();
    if !version.is_empty() {
        body["version"] = json!(version);
    }
    let year = field(&fields, "year").trim();
    if !year.is_empty() {
        match year.parse::<u16>() {
            Ok(year) => body["year"] = json!(year),
            Err(_) => {
                let errors = vec![i18n::translate(language.language, "cases.error.year")];
                return render_case(
                    &state,
                    language,
                    api,
                    &account,
                    row,
                    Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors),
                )
                .await;
            }
        }
    }
    let reply =
        api.call(Method::POST, &format!("/api/cases/{row}/duplicate"), &credentials, None, Some(&body)).await;
    if reply.ok() {
        let id = reply.body["summary"]["id"].as_i64().unwrap_or_default();
        return see_other(&format!("/cases/{id}?done=duplicated"));
    }
    case_refused(&state, language, api, &account, row, &reply).await
}

pub(crate) async fn attach(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
    multipart: Multipart,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let uploaded = match read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            return render_case(
                &state,
                language,
                api,
                &account,
                row,
                Outcome::refused(StatusCode::BAD_REQUEST, vec![reason]),
            )
            .await;
        }
    };
    let credentials = account.credentials(Some(field(&uploaded.fields, "csrf")));
    let Some((name, bytes)) = uploaded.file else {
        let errors = vec![i18n::translate(language.language, "cases.import.no_file")];
        return render_case(
            &state,
            language,
            api,
            &account,
            row,
            Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors),
        )
        .await;
    };
    let uri = format!("/api/cases/{row}/attachments?name={}", crate::auth_pages::encode(&name));
    let version = field(&uploaded.fields, "row_version").to_owned();
    let reply = api
        .call_bytes(Method::POST, &uri, &credentials, Some(&version), "application/octet-stream", bytes)
        .await;
    if reply.ok() {
        return see_other(&format!("/cases/{row}?done=attached"));
    }
    case_refused(&state, language, api, &account, row, &reply).await
}

pub(crate) async fn detach(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((row, sha256)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !sha256.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return render_case(
            &state,
            language,
            api,
            &account,
            row,
            Outcome::refused(StatusCode::NOT_FOUND, Vec::new()),
        )
        .await;
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call(
            Method::DELETE,
            &format!("/api/cases/{row}/attachments/{sha256}"),
            &credentials,
            Some(field(&fields, "row_version")),
            None,
        )
        .await;
    if reply.ok() {
        return see_other(&format!("/cases/{row}?done=detached"));
    }
    case_refused(&state, language, api, &account, row, &reply).await
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

    /// The case as JSON for the API, with the row of the form each task and
    /// left-out criterion came from (to put the API's problems back at the
    /// right field). Empty rows are left out; a year that is no number is
    /// a problem of the form itself.
    fn to_json(&self, attachments: &[grille_scoring::Attachment]) -> Result<CaseJson, &'static str> {
        let mut task_rows = Vec::new();
        let mut tasks = Vec::new();
        for (row, task) in self.tasks.iter().enumerate() {
            if task.is_empty() {
                continue;
            }
            task_rows.push(row);
            let notes: Vec<&str> =
                task.notes.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
            tasks.push(json!({"id": task.id, "prompt": task.prompt.trim(), "examiner_notes": notes}));
        }
        let mut left_out_rows = Vec::new();
        let mut not_assessed = Vec::new();
        for (row, item) in self.not_assessed.iter().enumerate() {
            if item.is_empty() {
                continue;
            }
            left_out_rows.push(row);
            not_assessed.push(json!({"criterion": item.criterion, "reason": item.reason.trim()}));
        }
        let criteria = split_list(&self.criteria);
        let authors = split_list(&self.authors);
        let mut case = json!({
            "id": self.case_id,
            "version": self.version,
            "language": self.language,
            "title": self.title,
            "situation": self.situation.trim(),
            "tasks": tasks,
            "attachments": attachments,
            "competences": self.competences,
            "criteria": criteria,
            "positions": self.positions,
            "not_assessed": not_assessed,
            "authors": authors,
        });
        if !self.year.is_empty() {
            let year = self.year.parse::<u16>().map_err(|_| "year")?;
            case["year"] = json!(year);
        }
        if !self.rubric.is_empty() {
            case["rubric"] = json!(self.rubric);
        }
        Ok(CaseJson { case, task_rows, left_out_rows })
    }
}

/// The items of a list typed in one field, separated by commas,
/// semicolons or white space.
fn split_list(text: &str) -> Vec<&str> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|item| !item.is_empty()).collect()
}

/// A form turned into a case for the API, with the form row each task and
/// left-out criterion came from.
struct CaseJson {
    case: Value,
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
                competences: domain
                    .competences
                    .iter()
                    .map(|competence| Choice {
                        id: competence.id.clone(),
                        title: competence.title.get(code).to_owned(),
                    })
                    .collect(),
            })
            .collect(),
        positions: bank_options(state, language).positions,
        rubrics: rubrics
            .clone()
            .map(|rubric| Choice { id: rubric.id.clone(), title: rubric.title.get(code).to_owned() })
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

#[allow(clippy::too_many_arguments)]
fn render_edit(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    status: StatusCode,
    row: Option<(i64, i64)>,
    form: CaseForm,
    errors: Vec<String>,
    field_errors: BTreeMap<String, Vec<String>>,
) -> Response {
    let view = EditView {
        account: account.view(),
        new: row.is_none(),
        row: row.map(|(row, _)| row),
        row_version: row.map(|(_, version)| version),
        form,
        options: edit_options(state, language.language),
        errors,
        field_errors,
        notice: None,
    };
    render(state, language, status, Page::Edit, &view)
}

pub(crate) async fn new_form(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (account, _) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render_edit(
        &state,
        language,
        &account,
        StatusCode::OK,
        None,
        CaseForm::blank(),
        Vec::new(),
        BTreeMap::new(),
    )
}

pub(crate) async fn edit_form(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let reply = get(api, &account, &format!("/api/cases/{row}")).await;
    if !reply.ok() {
        return refusal(&state, language, &account, &reply);
    }
    let detail: CaseDetail = match typed(&reply) {
        Ok(detail) => detail,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    if !detail.allowed.edit {
        let text = i18n::translate(language.language, "cases.error.not_editable");
        return render_case(
            &state,
            language,
            api,
            &account,
            row,
            Outcome::refused(StatusCode::CONFLICT, vec![text]),
        )
        .await;
    }
    let form = CaseForm::of(&detail.case);
    let version = detail.summary.row_version;
    render_edit(
        &state,
        language,
        &account,
        StatusCode::OK,
        Some((row, version)),
        form,
        Vec::new(),
        BTreeMap::new(),
    )
}

/// Sends the form to the API (create when `row` is `None`, else replace
/// at the version the form was opened with).
async fn save(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    row: Option<i64>,
    fields: Vec<(String, String)>,
) -> Response {
    let lang = language.language;
    let form = CaseForm::posted(&fields);
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let version = field(&fields, "row_version").to_owned();
    let version_number = version.parse::<i64>().unwrap_or_default();
    let again = |status, errors: Vec<String>, field_errors| {
        let form = form.clone().with_spare_rows();
        render_edit(
            state,
            language,
            account,
            status,
            row.map(|row| (row, version_number)),
            form,
            errors,
            field_errors,
        )
    };
    // An edit keeps the stored attachments (they change on the case page).
    let attachments = match row {
        Some(row) => {
            let reply = get(api, account, &format!("/api/cases/{row}")).await;
            if !reply.ok() {
                return refusal(state, language, account, &reply);
            }
            match typed::<CaseDetail>(&reply) {
                Ok(detail) => detail.case.attachments,
                Err(detail) => return internal(state, language, account, detail),
            }
        }
        None => Vec::new(),
    };
    let CaseJson { case: body, task_rows, left_out_rows } = match form.to_json(&attachments) {
        Ok(found) => found,
        Err(name) => {
            let text = i18n::translate(lang, "cases.error.year");
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![text.clone()],
                BTreeMap::from([(name.to_owned(), vec![text])]),
            );
        }
    };
    let reply = match row {
        None => api.call(Method::POST, "/api/cases", &credentials, None, Some(&body)).await,
        Some(row) => {
            api.call(Method::PUT, &format!("/api/cases/{row}"), &credentials, Some(&version), Some(&body))
                .await
        }
    };
    if reply.ok() {
        let id = reply.body["summary"]["id"].as_i64().unwrap_or_default();
        let done = if row.is_some() { "saved" } else { "created" };
        return see_other(&format!("/cases/{id}?done={done}"));
    }
    let mut errors = Vec::new();
    let mut field_errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (pointer, detail) in problems_of(lang, &reply) {
        match field_of(&pointer, &task_rows, &left_out_rows) {
            Some(name) => {
                errors.push(detail.clone());
                field_errors.entry(name).or_default().push(detail);
            }
            None => errors.push(detail),
        }
    }
    if reply.status == StatusCode::CONFLICT && row.is_some() {
        errors.push(i18n::translate(lang, "cases.error.conflict"));
    }
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    again(status, errors, field_errors)
}

pub(crate) async fn new_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    save(&state, language, api, &account, None, fields).await
}

pub(crate) async fn edit_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(row): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    save(&state, language, api, &account, Some(row), fields).await
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
    status: String,
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
fn role_base(account: &Account) -> &'static str {
    if account.role == grille_server::RoleDto::Admin { "/board" } else { "/trainer" }
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

async fn render_session_cases(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    id: i64,
    outcome: Outcome,
    draw: Option<DrawResult>,
) -> Response {
    let Outcome { status, errors, notice, .. } = outcome;
    let lang = language.language;
    let session = get(api, account, &format!("/api/sessions/{id}")).await;
    if !session.ok() {
        return refusal(state, language, account, &session);
    }
    let candidates = get(api, account, &format!("/api/sessions/{id}/candidates")).await;
    if !candidates.ok() {
        return refusal(state, language, account, &candidates);
    }
    let sittings = get(api, account, &format!("/api/sessions/{id}/cases")).await;
    let sittings: Vec<SittingView> = match typed(&sittings) {
        Ok(sittings) => sittings,
        Err(detail) => return internal(state, language, account, detail),
    };
    let bank = get(api, account, "/api/cases").await;
    let bank: Vec<CaseSummary> = match typed(&bank) {
        Ok(bank) => bank,
        Err(detail) => return internal(state, language, account, detail),
    };
    // The cases this session can use: its organiser's bank, ready or used.
    let usable: Vec<&CaseSummary> = bank
        .iter()
        .filter(|summary| summary.own)
        .filter(|summary| {
            matches!(summary.state, grille_server::CaseStateName::Ready | grille_server::CaseStateName::Used)
        })
        .collect();
    let code = lang.code();
    let exam = api.pinned_exam(id);
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
            .map(|summary| CaseOption { row: summary.id, label: case_label(summary) })
            .collect()
    };
    let rows = candidates
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|candidate| {
            let number = candidate["number"].as_str()?.to_owned();
            let status = candidate["status"].as_str().unwrap_or("present").to_owned();
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
            Some(CandidateRow {
                status_key: grille_report::board::candidate_status_key(&status),
                number,
                status,
                cells,
            })
        })
        .collect();
    let base = role_base(account);
    let labels: BTreeMap<i64, String> =
        bank.iter().map(|summary| (summary.id, case_label(summary))).collect();
    let view = SessionCasesView {
        account: account.view(),
        session: SessionLinks {
            id,
            name: session.body["name"].as_str().unwrap_or_default().to_owned(),
            back: format!("{base}/sessions/{id}"),
            action: format!("{base}/sessions/{id}/cases"),
            draw_action: format!("{base}/sessions/{id}/cases/draw"),
            csv_action: format!("{base}/sessions/{id}/cases/csv"),
        },
        draw_options: usable
            .iter()
            .map(|summary| CaseOption { row: summary.id, label: case_label(summary) })
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
    render(state, language, status, Page::Session, &view)
}

pub(crate) async fn session_page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = notice_of(language.language, &query);
    render_session_cases(&state, language, api, &account, id, Outcome::ok(notice), None).await
}

pub(crate) async fn session_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let current = get(api, &account, &format!("/api/sessions/{id}/cases")).await;
    if !current.ok() {
        return refusal(&state, language, &account, &current);
    }
    let current: Vec<SittingView> = match typed(&current) {
        Ok(current) => current,
        Err(detail) => return internal(&state, language, &account, detail),
    };
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
        let reply = match wanted {
            Some(row) => api.call(Method::PUT, &uri, &credentials, None, Some(&json!({"case": row}))).await,
            None => api.call(Method::DELETE, &uri, &credentials, None, None).await,
        };
        if !reply.ok() {
            for (_, detail) in problems_of(language.language, &reply) {
                errors.push(format!("{number} · {position} : {detail}"));
            }
        }
    }
    if errors.is_empty() {
        let base = role_base(&account);
        return see_other(&format!("{base}/sessions/{id}/cases?done=assigned"));
    }
    render_session_cases(
        &state,
        language,
        api,
        &account,
        id,
        Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors),
        None,
    )
    .await
}

pub(crate) async fn draw(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let lang = language.language;
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let cases: Vec<i64> = values(&fields, "case").filter_map(|row| row.parse().ok()).collect();
    let Ok(seed) = field(&fields, "seed").trim().parse::<u64>() else {
        let errors = vec![i18n::translate(lang, "cases.error.seed")];
        return render_session_cases(
            &state,
            language,
            api,
            &account,
            id,
            Outcome::refused(StatusCode::UNPROCESSABLE_ENTITY, errors),
            None,
        )
        .await;
    };
    let body = json!({
        "position": field(&fields, "position"),
        "cases": cases,
        "seed": seed,
        "replace": field(&fields, "replace") == "1",
    });
    let reply = api
        .call(Method::POST, &format!("/api/sessions/{id}/cases/draw"), &credentials, None, Some(&body))
        .await;
    if reply.ok() {
        let result: DrawResult = match typed(&reply) {
            Ok(result) => result,
            Err(detail) => return internal(&state, language, &account, detail),
        };
        return render_session_cases(&state, language, api, &account, id, Outcome::ok(None), Some(result))
            .await;
    }
    let errors = problems_of(lang, &reply).into_iter().map(|(_, detail)| detail).collect();
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_session_cases(&state, language, api, &account, id, Outcome::refused(status, errors), None).await
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
    outcome: Option<grille_server::CasesCsvOutcome>,
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

async fn session_links(api: &Api, account: &Account, id: i64) -> Result<SessionLinks, Reply> {
    let session = get(api, account, &format!("/api/sessions/{id}")).await;
    if !session.ok() {
        return Err(session);
    }
    let base = role_base(account);
    Ok(SessionLinks {
        id,
        name: session.body["name"].as_str().unwrap_or_default().to_owned(),
        back: format!("{base}/sessions/{id}/cases"),
        action: format!("{base}/sessions/{id}/cases"),
        draw_action: format!("{base}/sessions/{id}/cases/draw"),
        csv_action: format!("{base}/sessions/{id}/cases/csv"),
    })
}

/// Sends the file to the API's preview (`confirm: false`) or saves it, and
/// shows the outcome: every problem by line, or the sittings that change
/// with their warnings.
async fn cases_csv(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    fields: Vec<(String, String)>,
    confirm: bool,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let session = match session_links(api, &account, id).await {
        Ok(session) => session,
        Err(reply) => return refusal(&state, language, &account, &reply),
    };
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let route = if confirm {
        format!("/api/sessions/{id}/cases/csv")
    } else {
        format!("/api/sessions/{id}/cases/csv/preview")
    };
    let reply =
        api.call_raw(Method::POST, &route, &credentials, "text/csv; charset=utf-8", csv.clone()).await;
    if reply.ok() && confirm {
        return see_other(&format!("{}?done=assigned", session.action));
    }
    let (status, errors, outcome) = if reply.ok() {
        match typed::<grille_server::CasesCsvOutcome>(&reply) {
            Ok(outcome) => (StatusCode::OK, Vec::new(), Some(outcome)),
            Err(detail) => return internal(&state, language, &account, detail),
        }
    } else if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
        let errors = reply.body["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|error| {
                let line = error["line"].as_u64();
                CsvProblem {
                    line,
                    field: error["field"].as_str().map(str::to_owned),
                    detail: error["detail"].as_str().unwrap_or_default().to_owned(),
                    row: line.map(|line| csv_line(&csv, line)).unwrap_or_default(),
                }
            })
            .collect();
        (reply.status, errors, None)
    } else if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login");
    } else {
        let detail = message(language.language, &reply);
        (reply.status, vec![CsvProblem { line: None, field: None, detail, row: String::new() }], None)
    };
    let warned = outcome
        .as_ref()
        .map_or(0, |outcome| outcome.sittings.iter().filter(|sitting| !sitting.warnings.is_empty()).count());
    let view = CasesCsvView { account: account.view(), session, csv, errors, outcome, warned };
    render(&state, language, status, Page::SessionCsv, &view)
}

pub(crate) async fn csv_preview(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    cases_csv(state, language, headers, uri, id, fields, false).await
}

pub(crate) async fn csv_confirm(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    cases_csv(state, language, headers, uri, id, fields, true).await
}

/// The file to fill in: one row per candidate and position that takes a
/// case, with the case each sits now (empty where none), UTF-8 with a BOM
/// so that Excel reads the accents.
pub(crate) async fn csv_template(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    let (account, api) = match staff_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let candidates = get(api, &account, &format!("/api/sessions/{id}/candidates")).await;
    if !candidates.ok() {
        return refusal(&state, language, &account, &candidates);
    }
    let sittings = get(api, &account, &format!("/api/sessions/{id}/cases")).await;
    let sittings: Vec<SittingView> = match typed(&sittings) {
        Ok(sittings) => sittings,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    let bank = get(api, &account, "/api/cases").await;
    let bank: Vec<CaseSummary> = match typed(&bank) {
        Ok(bank) => bank,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    let positions: Vec<String> = api
        .pinned_exam(id)
        .iter()
        .flat_map(|exam| exam.blueprint.parts.iter().flat_map(|part| part.positions.iter()))
        .filter(|position| bank.iter().any(|summary| summary.own && summary.positions.contains(&position.id)))
        .map(|position| position.id.clone())
        .collect();
    let mut text = String::from("\u{feff}numero;point d'appréciation;cas;version\r\n");
    for candidate in candidates.body.as_array().into_iter().flatten() {
        let Some(number) = candidate["number"].as_str() else { continue };
        for position in &positions {
            let current = sittings.iter().find(|s| s.candidate == number && &s.position == position);
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
    response
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
        let CaseJson { case, task_rows, left_out_rows } = form.to_json(&[]).unwrap();
        assert_eq!(task_rows, [0]);
        assert_eq!(left_out_rows, [0]);
        assert_eq!(case["tasks"][0]["examiner_notes"], json!(["Punkt eins", "Punkt zwei"]));
        assert_eq!(case["criteria"], json!(["A1.p2", "A3.p1"]));
        assert_eq!(case["competences"], json!(["A1", "A3"]));
        assert_eq!(case["year"], json!(2027));
        assert!(case.get("rubric").is_none());
        let catalogue = grille_competence::Catalogue::embedded().unwrap();
        CaseStudy::from_json(&case.to_string(), &catalogue).expect("a valid case");
        // A year that is no number is the form's own problem.
        let mut bad = form.clone();
        bad.year = "deux mille".to_owned();
        assert_eq!(bad.to_json(&[]).err(), Some("year"));
        // The form shown again has spare rows after the last filled one.
        assert_eq!(form.with_spare_rows().tasks.len(), 1 + SPARE_ROWS);
    }
}
