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
//! own published results, their own ratings) and which documents a result
//! is read with (those pinned to its session). The pages are for
//! candidates ([`CandidateAccount`]): another role gets a 403 page.
//!
//! Routes: `GET /candidate` (with the work to hand in, where the
//! organiser opened a window); `POST /candidate/work/{session}/{position}`
//! (multipart upload) and `.../delete`; `GET|POST /candidate/self-assessment`;
//! `GET /candidate/profile?session=ID`; `GET /static/candidate.css`,
//! `GET /static/candidate-self-assessment.js`.

use std::sync::Arc;

use axum::extract::{Form, Multipart, Path, Query};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use grille_report::candidate::{self as pages, Choice, External, Page, ServerSelfAssessment};
use grille_report::pages::AccountLayout;
use grille_report::self_assessment::Ratings;
use grille_scoring::CandidateResult;
use grille_scoring::embedded::ExamDocuments;
use grille_server::{MyResult, SelfAssessmentInput, SelfAssessmentView};
use grille_workflow::SessionKind;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};

use crate::api::{Credentials, Refusal};
use crate::auth_pages::see_other;
use crate::page::{CandidateAccount, PageError};

/// A candidate's pages and their assets.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/candidate", get(home))
        .route("/candidate/work/{id}/{position}", post(hand_in).layer(crate::cases::upload_limit()))
        .route("/candidate/work/{id}/{position}/delete", post(withdraw))
        .route("/candidate/self-assessment", get(self_assessment).post(self_assessment_post))
        .route("/candidate/profile", get(profile))
        .route("/static/candidate.css", get(stylesheet))
        .route("/static/candidate-self-assessment.js", get(script))
}

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

/// The ratings saved on the server, their version and when they were saved.
async fn saved_ratings(candidate: &CandidateAccount) -> Result<(Ratings, SelfAssessmentView), PageError> {
    let saved: SelfAssessmentView = candidate.get("/api/me/self-assessment").await?;
    let catalogue = candidate.state.catalogue();
    let levels: Vec<(&str, String)> =
        saved.ratings.iter().map(|(id, level)| (id.as_str(), level.to_string())).collect();
    let ratings = Ratings::parse(catalogue, levels.iter().map(|(id, level)| (*id, level.as_str()))).0;
    Ok((ratings, saved))
}

/// One published result of the candidate, as `/api/me/results` gives it.
struct Published {
    session_id: i64,
    session_name: String,
    mock: bool,
    filled_rubric: bool,
    result: CandidateResult,
}

async fn published(candidate: &CandidateAccount) -> Result<Vec<Published>, PageError> {
    let mine: Vec<MyResult> = candidate.get("/api/me/results").await?;
    let mut list = Vec::with_capacity(mine.len());
    for item in mine {
        list.push(Published {
            session_id: item.session_id,
            session_name: item.session_name,
            mock: item.kind == SessionKind::Mock,
            filled_rubric: item.filled_rubric,
            result: item.result.explanation,
        });
    }
    // The most recent session first.
    list.sort_by_key(|item| std::cmp::Reverse(item.session_id));
    Ok(list)
}

/// The documents pinned to the session of a published result (the API has
/// let the candidate read it): their part titles in the page language and
/// their pass mark. Without them (an erased session) the result's own
/// (French) titles and the usual pass mark, 4.0.
fn documents_for(candidate: &CandidateAccount, session_id: i64) -> (Option<Arc<ExamDocuments>>, Decimal) {
    match candidate.api.pinned_exam(session_id) {
        Some(exam) => {
            let pass_mark = exam.scheme.scale.pass_mark;
            (Some(exam), pass_mark)
        }
        None => (None, Decimal::from(4)),
    }
}

/// One piece of work to hand in, as the home page shows it.
#[derive(Debug, Serialize)]
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

#[derive(Debug, Serialize)]
struct WorkFile {
    name: String,
    at: String,
    url: String,
}

async fn work(candidate: &CandidateAccount) -> Result<Vec<WorkView>, PageError> {
    let items: Vec<grille_server::MyWork> = candidate.get("/api/me/submissions").await?;
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
    candidate: CandidateAccount,
    Query(query): Query<HomeQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("uploaded") => Some("candidate.work.done.uploaded"),
        Some("removed") => Some("candidate.work.done.removed"),
        _ => None,
    };
    let notice = notice.map(|key| candidate.tr(key));
    render_home(&candidate, StatusCode::OK, notice, Vec::new()).await
}

/// How far the self-assessment is.
#[derive(Debug, Serialize)]
struct SelfProgress {
    rated: usize,
    total: usize,
    updated_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct HomeView {
    account: AccountLayout,
    #[serde(rename = "self")]
    progress: SelfProgress,
    results: Vec<Value>,
    work: Vec<WorkView>,
    notice: Option<String>,
    errors: Vec<String>,
}

/// The home page, with a notice after an action or the problems of a
/// refused one.
async fn render_home(
    candidate: &CandidateAccount,
    status: StatusCode,
    notice: Option<String>,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let language = candidate.language;
    let work = work(candidate).await?;
    let (ratings, saved) = saved_ratings(candidate).await?;
    let results: Vec<Value> = published(candidate)
        .await?
        .iter()
        .map(|item| {
            let (exam, pass_mark) = documents_for(candidate, item.session_id);
            let blueprint = exam.as_ref().map(|exam| &exam.blueprint);
            let mut view = pages::result_view(&item.result, blueprint, pass_mark, language.language);
            view["session_id"] = json!(item.session_id);
            view["session_name"] = json!(item.session_name);
            view["mock"] = json!(item.mock);
            view["filled_rubric"] = json!(item.filled_rubric);
            view["kind_key"] =
                json!(if item.mock { "candidate.kind.mock" } else { "candidate.kind.official" });
            view
        })
        .collect();
    let view = HomeView {
        account: candidate.account.view(),
        progress: SelfProgress {
            rated: ratings.len(),
            total: candidate.state.catalogue().criteria().count(),
            updated_at: saved.updated_at.map(|at| grille_workflow::time::swiss_display(&at)),
        },
        results,
        work,
        notice,
        errors,
    };
    Ok(language.respond(
        status,
        pages::render_page(&candidate.state.environment, Page::CandidateHome, &view, language.language),
    ))
}

/// What the API said against handing in or removing work, on the home page
/// (an expired login or a stale form is the usual refusal page).
async fn work_refused(
    candidate: &CandidateAccount,
    position: &str,
    refusal: Refusal,
) -> Result<Response, PageError> {
    match refusal {
        Refusal::Answer(reply)
            if reply.status.is_client_error()
                && reply.status != StatusCode::UNAUTHORIZED
                && reply.kind() != "urn:grille:csrf" =>
        {
            let errors = reply
                .problems(candidate.language.language, false)
                .into_iter()
                .map(|detail| grille_report::i18n::labelled(candidate.language.language, position, &detail))
                .collect();
            render_home(candidate, reply.status, None, errors).await
        }
        refusal => Err(candidate.refused(refusal)),
    }
}

pub(crate) async fn hand_in(
    candidate: CandidateAccount,
    Path((id, position)): Path<(i64, String)>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let uploaded = match crate::cases::read_multipart(multipart).await {
        Ok(uploaded) => uploaded,
        Err(reason) => return render_home(&candidate, StatusCode::BAD_REQUEST, None, vec![reason]).await,
    };
    let csrf = uploaded.fields.iter().find(|(key, _)| key == "csrf").map(|(_, value)| value.as_str());
    let Some((name, bytes)) = uploaded.file.filter(|(_, bytes)| !bytes.is_empty()) else {
        let error = grille_report::i18n::labelled(
            candidate.language.language,
            &position,
            &candidate.tr("candidate.work.no_file"),
        );
        return render_home(&candidate, StatusCode::UNPROCESSABLE_ENTITY, None, vec![error]).await;
    };
    let target = format!(
        "/api/me/sessions/{id}/positions/{}/submission?name={}",
        crate::auth_pages::encode(&position),
        crate::auth_pages::encode(&name)
    );
    let credentials =
        Credentials { language: Some(candidate.language.language), ..candidate.account.credentials(csrf) };
    let reply =
        candidate.api.call_bytes(Method::PUT, &target, &credentials, None, "application/pdf", bytes).await;
    if reply.ok() {
        return Ok(see_other("/candidate?done=uploaded#work"));
    }
    work_refused(&candidate, &position, Refusal::Answer(Box::new(reply))).await
}

pub(crate) async fn withdraw(
    candidate: CandidateAccount,
    Path((id, position)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf =
        fields.iter().find(|(key, _)| key == "csrf").map(|(_, value)| value.as_str()).unwrap_or_default();
    let target =
        format!("/api/me/sessions/{id}/positions/{}/submission", crate::auth_pages::encode(&position));
    match candidate.send::<serde::de::IgnoredAny>(Method::DELETE, &target, csrf, None, None::<&()>).await {
        Ok(_) => Ok(see_other("/candidate?done=removed#work")),
        Err(refusal) => work_refused(&candidate, &position, refusal).await,
    }
}

pub(crate) async fn self_assessment(candidate: CandidateAccount) -> Result<Response, PageError> {
    let (ratings, saved) = saved_ratings(&candidate).await?;
    let account_view = candidate.account.view();
    let server = ServerSelfAssessment {
        ratings: &ratings,
        version: saved.version,
        csrf: &candidate.account.csrf,
        account: &account_view,
    };
    let language = candidate.language;
    let mut response = language.respond(
        StatusCode::OK,
        pages::self_assessment(
            &candidate.state.environment,
            candidate.state.catalogue(),
            &server,
            language.language,
        ),
    );
    // The page holds the ratings of one account: never from a cache.
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /candidate/self-assessment` (the form without the script): saves
/// the posted ratings with the version the page was rendered with (a
/// stale version is refused, 409), then shows the profile.
pub(crate) async fn self_assessment_post(
    candidate: CandidateAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |name: &str| {
        fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
    };
    let catalogue = candidate.state.catalogue();
    let pairs = fields
        .iter()
        .filter(|(name, _)| catalogue.criterion(name).is_some())
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let (ratings, _problems) = Ratings::parse(catalogue, pairs);
    let input = SelfAssessmentInput {
        ratings: catalogue
            .criteria()
            .filter_map(|(_, criterion)| {
                ratings.level(&criterion.id).map(|level| (criterion.id.clone(), json!(level.number())))
            })
            .collect(),
    };
    let version = field("version");
    let version = if version.is_empty() { "0" } else { version };
    let saved = candidate
        .send::<SelfAssessmentView>(
            Method::PUT,
            "/api/me/self-assessment",
            field("csrf"),
            Some(version),
            Some(&input),
        )
        .await;
    match saved {
        Ok(_) => Ok(see_other("/candidate/profile")),
        Err(Refusal::Answer(reply)) if reply.status == StatusCode::CONFLICT => Err(candidate.error(
            StatusCode::CONFLICT,
            "examiner.error.conflict",
            candidate.tr("candidate.self.conflict"),
        )),
        Err(Refusal::Answer(reply)) if reply.status == StatusCode::UNPROCESSABLE_ENTITY => Err(candidate
            .error(
                reply.status,
                "examiner.error.conflict",
                format!("{} {}", candidate.tr("candidate.self.error"), reply.detail()),
            )),
        Err(refusal) => Err(candidate.refused(refusal)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ProfileQuery {
    #[serde(default)]
    session: Option<i64>,
}

pub(crate) async fn profile(
    candidate: CandidateAccount,
    Query(query): Query<ProfileQuery>,
) -> Result<Response, PageError> {
    let (ratings, _) = saved_ratings(&candidate).await?;
    let results = published(&candidate).await?;
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
    let language = candidate.language;
    let page = pages::profile(
        &candidate.state.environment,
        candidate.state.catalogue(),
        &ratings,
        external.as_ref(),
        &choices,
        &candidate.account.view(),
        language.language,
    );
    let mut response = language.respond(StatusCode::OK, page);
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}
