//! The candidate's journey: their home with their published results
//! (official and mock apart, each as a grade sheet), the self-assessment
//! saved on the server (the anonymous form, filled from and saved to
//! `/api/me/self-assessment` by `assets/candidate-self-assessment.js`;
//! without the script the form posts here and is saved the same way), and
//! the profile comparing the self-assessment with the external assessment
//! of a published result (see [`grille_report::candidate`] for the rule).
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, so the server decides what a candidate sees (their
//! own published results, their own ratings). The pages are for accounts
//! of the role candidate: another role is sent to its own home.
//!
//! Routes: `GET /candidate` (with the work to hand in, where the
//! organiser opened a window); `POST /candidate/work/{session}/{position}`
//! (multipart upload) and `.../delete`; `GET|POST /candidate/self-assessment`;
//! `GET /candidate/profile?session=ID`; `GET /static/candidate.css`,
//! `GET /static/candidate-self-assessment.js`.

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use grille_report::candidate::{self as pages, Choice, External, Page, ServerSelfAssessment};
use grille_report::i18n;
use grille_report::self_assessment::Ratings;
use grille_scoring::CandidateResult;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::api::Api;
use crate::auth_pages::{Account, error_page, require_role, see_other};
use crate::{PageLanguage, WebState};

/// The stylesheet of the candidate's and trainer's pages.
pub(crate) const STYLESHEET: &str = include_str!("../assets/candidate.css");

/// The script of the self-assessment saved on the server.
pub(crate) const SCRIPT: &str = include_str!("../assets/candidate-self-assessment.js");

pub(crate) async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLESHEET)
}

pub(crate) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT)
}

/// The logged-in candidate, or the answer for anybody else: the login page
/// for nobody, their own home for another role.
async fn candidate_account<'s>(
    state: &'s WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, &'s Api), Response> {
    require_role(state, language, headers, uri, "candidate", "candidate.error.role").await
}

/// The ratings saved on the server and their version.
async fn saved_ratings(state: &WebState, api: &Api, account: &Account) -> (Ratings, i64, Option<String>) {
    let reply =
        api.call(Method::GET, "/api/me/self-assessment", &account.credentials(None), None, None).await;
    if !reply.ok() {
        return (Ratings::default(), 0, None);
    }
    let ratings = ratings_of(state, &reply.body["ratings"]);
    let version = reply.body["version"].as_i64().unwrap_or(0);
    let updated_at = reply.body["updated_at"].as_str().map(str::to_owned);
    (ratings, version, updated_at)
}

fn ratings_of(state: &WebState, ratings: &Value) -> Ratings {
    let pairs: Vec<(String, String)> = ratings
        .as_object()
        .map(|object| object.iter().map(|(id, level)| (id.clone(), level.to_string())).collect())
        .unwrap_or_default();
    Ratings::parse(state.catalogue(), pairs.iter().map(|(id, level)| (id.as_str(), level.as_str()))).0
}

/// One published result of the candidate, as `/api/me/results` gives it.
struct Published {
    session_id: i64,
    session_name: String,
    mock: bool,
    result: CandidateResult,
}

async fn published(api: &Api, account: &Account) -> Vec<Published> {
    let reply = api.call(Method::GET, "/api/me/results", &account.credentials(None), None, None).await;
    let mut list: Vec<Published> = reply
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|item| {
            let result = serde_json::from_value(item["result"]["explanation"].clone())
                .map_err(|error| eprintln!("grille-web: unreadable published result: {error}"))
                .ok()?;
            Some(Published {
                session_id: item["session_id"].as_i64()?,
                session_name: item["session_name"].as_str().unwrap_or_default().to_owned(),
                mock: item["kind"] == "mock",
                result,
            })
        })
        .collect();
    // The most recent session first.
    list.sort_by_key(|item| std::cmp::Reverse(item.session_id));
    list
}

/// The federal exam's embedded documents, when `result` was scored with
/// them (the same rubric ids and versions): their part titles in the page
/// language and their pass mark. Otherwise the result's own (French)
/// titles and the usual pass mark, 4.0.
fn documents_for<'s>(
    state: &'s WebState,
    result: &CandidateResult,
) -> (Option<&'s grille_scoring::Blueprint>, Decimal) {
    let four = Decimal::from(4);
    let Some(demo) = &state.demo else { return (None, four) };
    let documents = &demo.documents;
    let matches = result.parts.iter().flat_map(|part| &part.positions).all(|position| {
        documents
            .rubrics
            .iter()
            .any(|rubric| rubric.id == position.rubric.id && rubric.version == position.rubric.version)
    });
    if matches { (Some(&documents.blueprint), documents.scheme.scale.pass_mark) } else { (None, four) }
}

/// One piece of work to hand in, as the home page shows it.
#[derive(Debug, serde::Serialize)]
struct WorkView {
    id: String,
    session_name: String,
    position: String,
    title: String,
    /// The deadline in Swiss time, `AAAA-MM-JJ HH:MM`.
    until: String,
    open: bool,
    scored: bool,
    may_submit: bool,
    file: Option<WorkFile>,
    upload: String,
    remove: String,
}

#[derive(Debug, serde::Serialize)]
struct WorkFile {
    name: String,
    at: String,
    url: String,
}

async fn work(api: &Api, account: &Account) -> Result<Vec<WorkView>, String> {
    let reply = api.call(Method::GET, "/api/me/submissions", &account.credentials(None), None, None).await;
    if !reply.ok() {
        return Err(reply.detail());
    }
    let items: Vec<grille_server::MyWork> = serde_json::from_value(reply.body)
        .map_err(|error| format!("réponse de l'API illisible : {error}"))?;
    Ok(items
        .into_iter()
        .map(|item| {
            let (id, position) = (item.session_id, item.window.position.clone());

            WorkView {
                id: format!("{id}-{}", position.replace('.', "-")),
                session_name: item.session_name,
                title: item.position_title,
                until: item.window.closes_at_local.replace('T', " "),
                open: item.window.open,
                scored: item.scored,
                may_submit: item.may_submit,
                file: item.file.map(|file| WorkFile {
                    name: file.file_name,
                    at: file.uploaded_at_local.replace('T', " "),
                    url: format!("/api/me/sessions/{id}/positions/{position}/submission"),
                }),
                upload: format!("/candidate/work/{id}/{position}"),
                remove: format!("/candidate/work/{id}/{position}/delete"),
                position,
            }
        })
        .collect())
}

/// `?done=...` after handing in or removing work.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct HomeQuery {
    #[serde(default)]
    done: Option<String>,
}

pub(crate) async fn home(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HomeQuery>,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = match query.done.as_deref() {
        Some("uploaded") => Some("candidate.work.done.uploaded"),
        Some("removed") => Some("candidate.work.done.removed"),
        _ => None,
    };
    let notice = notice.map(|key| i18n::translate(language.language, key));
    render_home(&state, language, api, &account, StatusCode::OK, notice, Vec::new()).await
}

/// The home page, with a notice after an action or the problems of a
/// refused one.
async fn render_home(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    status: StatusCode,
    notice: Option<String>,
    mut errors: Vec<String>,
) -> Response {
    let work = match work(api, account).await {
        Ok(work) => work,
        Err(detail) => {
            errors.push(detail);
            Vec::new()
        }
    };
    let (ratings, _version, updated_at) = saved_ratings(state, api, account).await;
    let results: Vec<Value> = published(api, account)
        .await
        .iter()
        .map(|item| {
            let (blueprint, pass_mark) = documents_for(state, &item.result);
            let mut view = pages::result_view(&item.result, blueprint, pass_mark, language.language);
            view["session_id"] = json!(item.session_id);
            view["session_name"] = json!(item.session_name);
            view["mock"] = json!(item.mock);
            view["kind_key"] =
                json!(if item.mock { "candidate.kind.mock" } else { "candidate.kind.official" });
            view
        })
        .collect();
    let view = json!({
        "account": account.view(),
        "self": {
            "rated": ratings.len(),
            "total": state.catalogue().criteria().count(),
            "updated_at": updated_at.map(|at| grille_workflow::time::swiss_display(&at)),
        },
        "results": results,
        "work": work,
        "notice": notice,
        "errors": errors,
    });
    language.respond(
        status,
        pages::render_page(&state.environment, Page::CandidateHome, &view, language.language),
    )
}

/// What the API said against handing in or removing work, on the home page.
async fn work_refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    position: &str,
    reply: &crate::api::Reply,
) -> Response {
    if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login?next=/candidate");
    }
    let mut errors: Vec<String> = reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|error| error["detail"].as_str())
        .map(|detail| format!("{position} : {detail}"))
        .collect();
    if errors.is_empty() {
        errors.push(format!("{position} : {}", reply.detail()));
    }
    let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
    render_home(state, language, api, account, status, None, errors).await
}

pub(crate) async fn hand_in(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, position)): Path<(i64, String)>,
    multipart: Multipart,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let uploaded = match crate::cases::read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => {
            return render_home(&state, language, api, &account, StatusCode::BAD_REQUEST, None, vec![reason])
                .await;
        }
    };
    let csrf = uploaded.fields.iter().find(|(key, _)| key == "csrf").map(|(_, value)| value.as_str());
    let credentials = account.credentials(csrf);
    let Some((name, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let error = format!("{position} : {}", i18n::translate(language.language, "candidate.work.no_file"));
        return render_home(
            &state,
            language,
            api,
            &account,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            vec![error],
        )
        .await;
    };
    let target = format!(
        "/api/me/sessions/{id}/positions/{}/submission?name={}",
        crate::auth_pages::encode(&position),
        crate::auth_pages::encode(&name)
    );
    let reply = api.call_bytes(Method::PUT, &target, &credentials, None, "application/pdf", bytes).await;
    if reply.ok() {
        return see_other("/candidate?done=uploaded#work");
    }
    work_refused(&state, language, api, &account, &position, &reply).await
}

pub(crate) async fn withdraw(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let csrf = fields.iter().find(|(key, _)| key == "csrf").map(|(_, value)| value.as_str());
    let target =
        format!("/api/me/sessions/{id}/positions/{}/submission", crate::auth_pages::encode(&position));
    let reply = api.call(Method::DELETE, &target, &account.credentials(csrf), None, None).await;
    if reply.ok() {
        return see_other("/candidate?done=removed#work");
    }
    work_refused(&state, language, api, &account, &position, &reply).await
}

pub(crate) async fn self_assessment(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (ratings, version, _) = saved_ratings(&state, api, &account).await;
    let account_view = account.view();
    let server =
        ServerSelfAssessment { ratings: &ratings, version, csrf: &account.csrf, account: &account_view };
    let mut response = language.respond(
        StatusCode::OK,
        pages::self_assessment(&state.environment, state.catalogue(), &server, language.language),
    );
    // The page holds the ratings of one account: never from a cache.
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

/// `POST /candidate/self-assessment` (the form without the script): saves
/// the posted ratings with the version the page was rendered with (a
/// stale version is refused, 409), then shows the profile.
pub(crate) async fn self_assessment_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let field = |name: &str| {
        fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
    };
    let pairs = fields
        .iter()
        .filter(|(name, _)| state.catalogue().criterion(name).is_some())
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let (ratings, _problems) = Ratings::parse(state.catalogue(), pairs);
    let body = json!({
        "ratings": state
            .catalogue()
            .criteria()
            .filter_map(|(_, criterion)| {
                ratings.level(&criterion.id).map(|level| (criterion.id.clone(), json!(level.number())))
            })
            .collect::<serde_json::Map<String, Value>>(),
    });
    let version = field("version");
    let reply = api
        .call(
            Method::PUT,
            "/api/me/self-assessment",
            &account.credentials(Some(field("csrf"))),
            Some(if version.is_empty() { "0" } else { version }),
            Some(&body),
        )
        .await;
    if reply.ok() {
        return see_other("/candidate/profile");
    }
    let tr = |key: &str| i18n::translate(language.language, key);
    let (status, title, detail) = match reply.status {
        StatusCode::CONFLICT => {
            (StatusCode::CONFLICT, "examiner.error.conflict", tr("candidate.self.conflict"))
        }
        StatusCode::FORBIDDEN if reply.kind() == "urn:grille:csrf" => {
            (StatusCode::FORBIDDEN, "examiner.error.forbidden", tr("examiner.error.csrf"))
        }
        status => {
            (status, "examiner.error.conflict", format!("{} {}", tr("candidate.self.error"), reply.detail()))
        }
    };
    error_page(&state, language, Some(&account), status, title, detail)
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ProfileQuery {
    #[serde(default)]
    session: Option<i64>,
}

pub(crate) async fn profile(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ProfileQuery>,
) -> Response {
    let (account, api) = match candidate_account(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (ratings, _, _) = saved_ratings(&state, api, &account).await;
    let results = published(api, &account).await;
    let chosen = query
        .session
        .and_then(|id| results.iter().find(|item| item.session_id == id))
        .or_else(|| results.first());
    let choices: Vec<Choice> = results
        .iter()
        .map(|item| Choice {
            url: format!("/candidate/profile?session={}", item.session_id),
            name: item.session_name.clone(),
            mock: item.mock,
            current: chosen.is_some_and(|chosen| chosen.session_id == item.session_id),
        })
        .collect();
    let external = chosen.map(|item| External {
        result: &item.result,
        session_name: &item.session_name,
        mock: item.mock,
    });
    let page = pages::profile(
        &state.environment,
        state.catalogue(),
        &ratings,
        external.as_ref(),
        &choices,
        &account.view(),
        language.language,
    );
    let mut response = language.respond(StatusCode::OK, page);
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}
