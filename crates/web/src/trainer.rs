//! The trainer's journey: the mock sessions (examens blancs) of their
//! school, creating one (pinned to the shipped official documents),
//! enrolling the cohort, opening the scoring with the trainers as
//! examiners, scoring through the examiner's pages (`/examiner` lists a
//! trainer's assignments too), and the class view: the session pages of
//! [`grille_report::exam`] over the session's results (a preview while
//! the scoring runs), whose statistics give the mean achievement by
//! competence and by category across the class, weakest first.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie: the server decides which sessions a trainer reaches
//! (those of their school; others are 404). The pages are for trainers:
//! another role gets a 403 page.
//!
//! Routes: `GET /trainer`, `POST /trainer/sessions`; `GET
//! /trainer/sessions/{id}`; `POST .../candidates` (enrol one), `POST
//! .../start` (assign, open the scoring); `GET .../results`,
//! `.../statistics` (the class view), `.../minutes`, `.../grade-sheets`,
//! `GET .../candidates/{number}` and `.../file`.

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use axum::extract::{Form, Path, Query, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use grille_competence::LocalizedText;
use grille_report::candidate::{self as pages, Page};
use grille_report::i18n;
use serde_json::{Value, json};

use crate::api::{Api, Reply};
use crate::auth_pages::{Account, error_page, require_role, see_other};
use crate::session_pages::{self, ExamPage};
use crate::{PageLanguage, WebState};

async fn trainer_account<'s>(
    state: &'s WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, &'s Api), Response> {
    require_role(state, language, headers, uri, "trainer", "trainer.error.role").await
}

fn refusal(state: &WebState, language: PageLanguage, account: &Account, reply: &Reply) -> Response {
    let (status, title) = match reply.status {
        StatusCode::UNAUTHORIZED => return see_other("/login"),
        StatusCode::FORBIDDEN => (StatusCode::FORBIDDEN, "examiner.error.forbidden"),
        StatusCode::NOT_FOUND => (StatusCode::NOT_FOUND, "examiner.error.not_found"),
        status => (status, "examiner.error.conflict"),
    };
    let detail = if reply.kind() == "urn:grille:csrf" {
        i18n::translate(language.language, "examiner.error.csrf")
    } else {
        reply.detail()
    };
    error_page(state, language, Some(account), status, title, detail)
}

fn state_key(state: &str) -> &'static str {
    match state {
        "enrolment" => "trainer.state.enrolment",
        "finalised" => "trainer.state.finalised",
        "published" => "trainer.state.published",
        _ => "trainer.state.scoring",
    }
}

/// The problems of an API refusal as sentences (pointer or line first).
fn problems(reply: &Reply) -> Vec<String> {
    let list: Vec<String> = reply.body["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|error| {
            let detail = error["detail"].as_str().unwrap_or_default();
            match error["pointer"].as_str() {
                Some(pointer) if !pointer.is_empty() => format!("{pointer} : {detail}"),
                _ => detail.to_owned(),
            }
        })
        .collect();
    if list.is_empty() { vec![reply.detail()] } else { list }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    exam_date: String,
}

async fn render_home(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    api: &Api,
    status: StatusCode,
    form: &CreateForm,
    errors: Vec<String>,
) -> Response {
    let reply = api.call(Method::GET, "/api/sessions", &account.credentials(None), None, None).await;
    if !reply.ok() {
        return refusal(state, language, account, &reply);
    }
    let mut sessions: Vec<Value> = reply
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|session| session["kind"] == "mock")
        .map(|session| {
            json!({
                "id": session["id"], "name": session["name"], "exam_date": session["exam_date"],
                "state_key": state_key(session["state"].as_str().unwrap_or_default()),
                "results_readable": session["results_readable"] == json!(true),
            })
        })
        .collect();
    sessions.sort_by_key(|session| std::cmp::Reverse(session["id"].as_i64()));
    let view = json!({
        "account": account.view(),
        "sessions": sessions,
        "form": {"name": form.name, "exam_date": form.exam_date},
        "bank": crate::documents::bank_choice(api, account).await,
        "errors": errors,
    });
    language
        .respond(status, pages::render_page(&state.environment, Page::TrainerHome, &view, language.language))
}

pub(crate) async fn home(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (account, api) = match trainer_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render_home(&state, language, &account, api, StatusCode::OK, &CreateForm::default(), Vec::new()).await
}

/// `POST /trainer/sessions`: a mock session of the trainer's school,
/// pinned by the server to the shipped official documents.
pub(crate) async fn create(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match trainer_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let value =
        |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let form = CreateForm { csrf: value("csrf"), name: value("name"), exam_date: value("exam_date") };
    let mut body = json!({"name": form.name.trim(), "kind": "mock"});
    if !form.exam_date.trim().is_empty() {
        body["exam_date"] = json!(form.exam_date.trim());
    }
    if let Some(bank) = crate::documents::bank_request(&fields) {
        body["bank"] = bank;
    }
    let reply = api
        .call(Method::POST, "/api/sessions", &account.credentials(Some(&form.csrf)), None, Some(&body))
        .await;
    if reply.ok() {
        let id = reply.body["id"].as_i64().unwrap_or_default();
        return see_other(&format!("/trainer/sessions/{id}?notice=created"));
    }
    if reply.status == StatusCode::FORBIDDEN && reply.kind() == "urn:grille:csrf" {
        return refusal(&state, language, &account, &reply);
    }
    render_home(&state, language, &account, api, reply.status, &form, problems(&reply)).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SessionQuery {
    #[serde(default)]
    notice: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EnrolForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
}

struct SessionRender<'a> {
    notice: Option<Value>,
    form: &'a EnrolForm,
    errors: Vec<String>,
}

async fn render_session(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    api: &Api,
    id: i64,
    status: StatusCode,
    render: SessionRender<'_>,
) -> Response {
    let credentials = account.credentials(None);
    let session = api.call(Method::GET, &format!("/api/sessions/{id}"), &credentials, None, None).await;
    if !session.ok() {
        return refusal(state, language, account, &session);
    }
    if session.body["kind"] != "mock" {
        let reply = Reply { status: StatusCode::NOT_FOUND, headers: HeaderMap::new(), body: json!({}) };
        return refusal(state, language, account, &reply);
    }
    let candidates =
        api.call(Method::GET, &format!("/api/sessions/{id}/candidates"), &credentials, None, None).await;
    let candidates: Vec<Value> = candidates
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|candidate| {
            let name = [candidate["given_name"].as_str(), candidate["family_name"].as_str()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            json!({"number": candidate["number"], "name": name, "status": candidate["status"].as_str().unwrap_or("")})
        })
        .collect();
    let versions: Vec<String> = session.body["documents"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|document| document["kind"] != "catalogue")
        .map(|document| {
            format!(
                "{} {}",
                document["document_id"].as_str().unwrap_or(""),
                document["version"].as_str().unwrap_or("")
            )
        })
        .collect();
    let state_name = session.body["state"].as_str().unwrap_or_default();
    let view = json!({
        "account": account.view(),
        "session": {
            "id": id, "name": session.body["name"], "exam_date": session.body["exam_date"],
            "state": state_name, "state_key": state_key(state_name), "versions": versions.join(", "),
            "results_readable": session.body["results_readable"] == json!(true),
        },
        "candidates": candidates,
        "notice": render.notice,
        "form": {"number": render.form.number, "family_name": render.form.family_name, "given_name": render.form.given_name},
        "errors": render.errors,
    });
    language.respond(
        status,
        pages::render_page(&state.environment, Page::TrainerSession, &view, language.language),
    )
}

pub(crate) async fn session(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(query): Query<SessionQuery>,
) -> Response {
    let (account, api) = match trainer_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let tr = |key: &str| i18n::translate(language.language, key);
    let notice = match query.notice.as_deref() {
        Some("created") => Some(json!({"kind": "success", "text": tr("trainer.created")})),
        Some("started") => Some(json!({"kind": "success", "text": tr("trainer.started")})),
        Some("enrolled") => Some(
            json!({"kind": "success", "text": i18n::format(&tr("trainer.enrol.done"), &[("count", "1".to_owned())])}),
        ),
        _ => None,
    };
    let render = SessionRender { notice, form: &EnrolForm::default(), errors: Vec::new() };
    render_session(&state, language, &account, api, id, StatusCode::OK, render).await
}

/// `POST /trainer/sessions/{id}/candidates`: enrols one candidate in the
/// school's register (the server refuses a number of another register).
pub(crate) async fn enrol(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(form): Form<EnrolForm>,
) -> Response {
    let (account, api) = match trainer_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let body = json!({"candidates": [{
        "number": form.number.trim(), "family_name": form.family_name.trim(), "given_name": form.given_name.trim(),
    }]});
    let uri = format!("/api/sessions/{id}/candidates");
    let reply = api.call(Method::POST, &uri, &account.credentials(Some(&form.csrf)), None, Some(&body)).await;
    if reply.ok() {
        return see_other(&format!("/trainer/sessions/{id}?notice=enrolled"));
    }
    if matches!(reply.status, StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED)
        || reply.kind() == "urn:grille:csrf"
    {
        return refusal(&state, language, &account, &reply);
    }
    let render = SessionRender { notice: None, form: &form, errors: problems(&reply) };
    render_session(&state, language, &account, api, id, reply.status, render).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    partner: String,
}

/// `POST /trainer/sessions/{id}/start`: assigns the trainer (and the
/// colleague named, for double marking) to every part of every enrolled
/// candidate, then opens the scoring. The server checks that the colleague
/// is a trainer of the same school.
pub(crate) async fn start(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Response {
    let (account, api) = match trainer_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let write = account.credentials(Some(&form.csrf));
    let candidates = api
        .call(Method::GET, &format!("/api/sessions/{id}/candidates"), &account.credentials(None), None, None)
        .await;
    if !candidates.ok() {
        return refusal(&state, language, &account, &candidates);
    }
    let parts: Vec<String> = state
        .demo
        .as_ref()
        .map(|demo| demo.documents.blueprint.parts.iter().map(|part| part.id.clone()).collect())
        .unwrap_or_default();
    let mut examiners = vec![account.username.clone()];
    let partner = form.partner.trim();
    if !partner.is_empty() && partner != account.username {
        examiners.push(partner.to_owned());
    }
    for candidate in candidates.body.as_array().cloned().unwrap_or_default() {
        let number = candidate["number"].as_str().unwrap_or_default();
        for part in &parts {
            for examiner in &examiners {
                let body = json!({"candidate_number": number, "part": part, "examiner": examiner});
                let reply = api
                    .call(Method::POST, &format!("/api/sessions/{id}/assignments"), &write, None, Some(&body))
                    .await;
                if !reply.ok() && reply.status != StatusCode::CONFLICT {
                    let render =
                        SessionRender { notice: None, form: &EnrolForm::default(), errors: problems(&reply) };
                    return render_session(&state, language, &account, api, id, reply.status, render).await;
                }
            }
        }
    }
    let reply = api.call(Method::POST, &format!("/api/sessions/{id}/scoring"), &write, None, None).await;
    if !reply.ok() {
        let render = SessionRender { notice: None, form: &EnrolForm::default(), errors: problems(&reply) };
        return render_session(&state, language, &account, api, id, reply.status, render).await;
    }
    see_other(&format!("/trainer/sessions/{id}?notice=started"))
}

// ------------------------------------------------------------ class view

/// The session's results (stored once final, a preview otherwise) and the
/// pages of [`grille_report::exam`] over them, with the shipped documents
/// the mock session is pinned to.
async fn session_page(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    id: i64,
    page: ExamPage,
) -> Response {
    let state = &state;
    let (account, api) = match trainer_account(state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (session, results) = match session_pages::session_and_results(api, &account, id).await {
        Ok(found) => found,
        Err(reply) => return refusal(state, language, &account, &reply),
    };
    let not_found = || {
        error_page(
            state,
            language,
            Some(&account),
            StatusCode::NOT_FOUND,
            "examiner.error.not_found",
            String::new(),
        )
    };
    let Some(demo) = &state.demo else {
        return not_found();
    };
    let shipped = &demo.documents;
    // The pages need the pinned documents: a mock session created here is
    // pinned to the shipped ones; any other is refused rather than shown
    // with documents it was not scored with.
    let pinned_ok = session["documents"].as_array().is_some_and(|documents| {
        documents.iter().filter(|document| document["kind"] != "catalogue").all(|document| {
            let (id, version) = (document["document_id"].as_str(), document["version"].as_str());
            match document["kind"].as_str() {
                Some("scheme") => id == Some(&shipped.scheme.id) && version == Some(&shipped.scheme.version),
                Some("blueprint") => {
                    id == Some(&shipped.blueprint.id) && version == Some(&shipped.blueprint.version)
                }
                _ => shipped
                    .rubrics
                    .iter()
                    .any(|rubric| id == Some(&rubric.id) && version == Some(&rubric.version)),
            }
        })
    });
    if !pinned_ok {
        let detail = i18n::translate(language.language, "trainer.error.documents");
        return error_page(
            state,
            language,
            Some(&account),
            StatusCode::CONFLICT,
            "examiner.error.conflict",
            detail,
        );
    }
    let result = results.session_result(id, shipped, false);
    let name = session["name"].as_str().unwrap_or_default();
    let mock = i18n::translate(language.language, "candidate.kind.mock");
    let title = LocalizedText::fr(format!("{mock} — {name}"));
    let documents = session_pages::exam_documents(state.catalogue(), shipped, Some(&title));
    let base = format!("/trainer/sessions/{id}");
    let links = session_pages::links(&base).with_back(base);
    let environment = state.environment_for(uri.query(), Some(&account));
    page.respond(language, &environment, &documents, &links, result, not_found)
}

pub(crate) async fn results(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    RawQuery(query): RawQuery,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::results(query.as_deref())).await
}

/// The class view: mean achievement by competence and category across
/// the class, weakest competences first.
pub(crate) async fn statistics(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::Statistics).await
}

pub(crate) async fn minutes(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::Minutes).await
}

pub(crate) async fn grade_sheets(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::GradeSheets).await
}

pub(crate) async fn grade_sheet(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, number)): Path<(i64, String)>,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::GradeSheet(number)).await
}

pub(crate) async fn candidate_file(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, number)): Path<(i64, String)>,
) -> Response {
    session_page(state, language, headers, uri, id, ExamPage::CandidateFile(number)).await
}
