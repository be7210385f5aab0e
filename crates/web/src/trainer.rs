//! The trainer's journey: the mock sessions (examens blancs) of their
//! school, creating one (pinned to the shipped official documents or to
//! versions of the school's bank), enrolling the cohort, opening the
//! scoring with the trainers as examiners, scoring through the examiner's
//! pages (`/examiner` lists a trainer's assignments too), and the class
//! view: the result pages of [`crate::session_pages`] over the session's
//! results (a preview while the scoring runs), whose statistics give the
//! mean achievement by competence and by category across the class,
//! weakest first.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, read into the API's own types: the server decides
//! which sessions a trainer reaches (those of their school; others are
//! 404). The pages are for trainers ([`TrainerAccount`]): another role
//! gets a 403 page.
//!
//! Routes: `GET /trainer`, `POST /trainer/sessions`; `GET
//! /trainer/sessions/{id}`; `POST .../candidates` (enrol one), `POST
//! .../start` (assign, open the scoring); the result pages are mounted by
//! [`crate::session_pages::result_routes`].

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::candidate::{self as pages, Page};
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_server::{
    CandidateInput, CandidateView, CreateSessionRequest, EnrolRequest, EnrolResponse, ExaminerAssignRequest,
    KindDto, SessionView,
};
use grille_workflow::{SessionKind, SessionState};
use serde::Serialize;

use crate::api::{Refusal, Reply};
use crate::auth_pages::see_other;
use crate::page::{Notice, PageError, TrainerAccount};

/// A trainer's mock exams.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/trainer", get(home))
        .route("/trainer/sessions", post(create))
        .route("/trainer/sessions/{id}", get(session))
        .route("/trainer/sessions/{id}/candidates", post(enrol))
        .route("/trainer/sessions/{id}/enrolment/template.csv", get(enrolment_template))
        .route("/trainer/sessions/{id}/enrolment/preview", post(enrolment_preview))
        .route("/trainer/sessions/{id}/enrolment/confirm", post(enrolment_confirm))
        .route("/trainer/sessions/{id}/start", post(start))
        .route("/trainer/sessions/{id}/finalise", post(finalise))
        .route("/trainer/sessions/{id}/publish", post(publish))
}

pub(crate) fn state_key(state: SessionState) -> &'static str {
    match state {
        SessionState::Enrolment => "trainer.state.enrolment",
        SessionState::Scoring => "trainer.state.scoring",
        SessionState::Finalised => "trainer.state.finalised",
        SessionState::Published => "trainer.state.published",
    }
}

#[derive(Debug, Default, serde::Deserialize, Serialize)]
pub(crate) struct CreateForm {
    #[serde(default, skip_serializing)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    exam_date: String,
}

/// One mock session in the trainer's list.
#[derive(Debug, Serialize)]
struct SessionRow {
    id: i64,
    name: String,
    exam_date: Option<String>,
    state_key: &'static str,
    results_readable: bool,
}

#[derive(Debug, Serialize)]
struct HomeView<'a> {
    account: AccountLayout,
    sessions: Vec<SessionRow>,
    form: &'a CreateForm,
    bank: crate::documents::BankChoice,
    errors: Vec<String>,
}

async fn render_home(
    trainer: &TrainerAccount,
    status: StatusCode,
    form: &CreateForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    let listed: Vec<SessionView> = trainer.get("/api/sessions").await?;
    let mut sessions: Vec<SessionRow> = listed
        .into_iter()
        .filter(|session| session.kind == SessionKind::Mock)
        .map(|session| SessionRow {
            id: session.id,
            name: session.name,
            exam_date: session.exam_date,
            state_key: state_key(session.state),
            results_readable: session.results_readable,
        })
        .collect();
    sessions.sort_by_key(|session| std::cmp::Reverse(session.id));
    let view = HomeView {
        account: trainer.account.view(),
        sessions,
        form,
        bank: crate::documents::bank_choice(&trainer.api, &trainer.account, trainer.language.language).await,
        errors,
    };
    let language = trainer.language;
    Ok(language.respond(
        status,
        pages::render_page(&trainer.state.environment, Page::TrainerHome, &view, language.language),
    ))
}

pub(crate) async fn home(trainer: TrainerAccount) -> Result<Response, PageError> {
    render_home(&trainer, StatusCode::OK, &CreateForm::default(), Vec::new()).await
}

/// `POST /trainer/sessions`: a mock session of the trainer's school,
/// pinned by the server to the shipped official documents or to the
/// versions of the school's bank chosen.
pub(crate) async fn create(
    trainer: TrainerAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value =
        |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let form = CreateForm { csrf: value("csrf"), name: value("name"), exam_date: value("exam_date") };
    let exam_date = Some(form.exam_date.trim().to_owned()).filter(|date| !date.is_empty());
    let request = CreateSessionRequest {
        name: form.name.trim().to_owned(),
        kind: Some(KindDto::Mock),
        exam_date,
        bank: crate::documents::bank_request(&fields),
        ..CreateSessionRequest::default()
    };
    match trainer.send::<SessionView>(Method::POST, "/api/sessions", &form.csrf, None, Some(&request)).await {
        Ok(created) => Ok(see_other(&format!("/trainer/sessions/{}?notice=created", created.id))),
        Err(refusal) => {
            let reply = trainer.form_refusal(refusal)?;
            render_home(&trainer, reply.status, &form, reply.problems(trainer.language.language, true)).await
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SessionQuery {
    #[serde(default)]
    notice: Option<String>,
    /// How many candidates a CSV file enrolled.
    #[serde(default)]
    enrolled: Option<u64>,
}

#[derive(Debug, Default, serde::Deserialize, Serialize)]
pub(crate) struct EnrolForm {
    #[serde(default, skip_serializing)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    given_name: String,
}

struct SessionRender<'a> {
    notice: Option<Notice>,
    form: &'a EnrolForm,
    errors: Vec<String>,
}

#[derive(Debug, Serialize)]
struct SessionHeader {
    id: i64,
    name: String,
    exam_date: Option<String>,
    state: SessionState,
    state_key: &'static str,
    versions: String,
    results_readable: bool,
}

#[derive(Debug, Serialize)]
struct CohortRow {
    number: String,
    name: String,
    status_key: &'static str,
}

#[derive(Debug, Serialize)]
struct SessionPageView<'a> {
    account: AccountLayout,
    enrol_csv: crate::board::UploadForm,
    session: SessionHeader,
    candidates: Vec<CohortRow>,
    notice: Option<Notice>,
    form: &'a EnrolForm,
    errors: Vec<String>,
}

/// The trainer's mock session `id`: a session of another kind is not
/// theirs to see here (404).
async fn mock_session(trainer: &TrainerAccount, id: i64) -> Result<SessionView, PageError> {
    let session: SessionView = trainer.get(&format!("/api/sessions/{id}")).await?;
    if session.kind != SessionKind::Mock {
        return Err(trainer.not_found());
    }
    Ok(session)
}

async fn render_session(
    trainer: &TrainerAccount,
    id: i64,
    status: StatusCode,
    render: SessionRender<'_>,
) -> Result<Response, PageError> {
    let session = mock_session(trainer, id).await?;
    let enrolled: Vec<CandidateView> = trainer.get(&format!("/api/sessions/{id}/candidates")).await?;
    let candidates = enrolled
        .into_iter()
        .map(|candidate| CohortRow {
            name: [candidate.given_name, candidate.family_name]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            number: candidate.number,
            status_key: grille_report::exam::status_key(candidate.status),
        })
        .collect();
    let versions: Vec<String> = session
        .documents
        .iter()
        .filter(|document| document.kind != "catalogue")
        .map(|document| format!("{} {}", document.document_id, document.version))
        .collect();
    let view = SessionPageView {
        enrol_csv: crate::board::Upload::Enrolment.form_on(crate::board::Host::Trainer, id, &trainer.account),
        account: trainer.account.view(),
        session: SessionHeader {
            id,
            name: session.name,
            exam_date: session.exam_date,
            state: session.state,
            state_key: state_key(session.state),
            versions: versions.join(", "),
            results_readable: session.results_readable,
        },
        candidates,
        notice: render.notice,
        form: render.form,
        errors: render.errors,
    };
    let language = trainer.language;
    Ok(language.respond(
        status,
        pages::render_page(&trainer.state.environment, Page::TrainerSession, &view, language.language),
    ))
}

pub(crate) async fn session(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Query(query): Query<SessionQuery>,
) -> Result<Response, PageError> {
    let success = |text: String| Some(Notice::success(text));
    let notice = match query.notice.as_deref() {
        Some("created") => success(trainer.tr("trainer.created")),
        Some("started") => success(trainer.tr("trainer.started")),
        Some("finalised") => success(trainer.tr("trainer.finalised")),
        Some("published") => success(trainer.tr("trainer.published")),
        Some("enrolled") => {
            success(i18n::format(&trainer.tr("trainer.enrol.done"), &[("count", "1".to_owned())]))
        }
        _ => query.enrolled.and_then(|count| {
            success(i18n::format(&trainer.tr("trainer.enrol.done"), &[("count", count.to_string())]))
        }),
    };
    let render = SessionRender { notice, form: &EnrolForm::default(), errors: Vec::new() };
    render_session(&trainer, id, StatusCode::OK, render).await
}

/// `POST /trainer/sessions/{id}/candidates`: enrols one candidate in the
/// school's register (the server refuses a number of another register).
pub(crate) async fn enrol(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(form): Form<EnrolForm>,
) -> Result<Response, PageError> {
    let request = EnrolRequest {
        candidates: vec![CandidateInput {
            number: form.number.trim().to_owned(),
            family_name: form.family_name.trim().to_owned(),
            given_name: form.given_name.trim().to_owned(),
            email: None,
        }],
    };
    let uri = format!("/api/sessions/{id}/candidates");
    match trainer.send::<EnrolResponse>(Method::POST, &uri, &form.csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other(&format!("/trainer/sessions/{id}?notice=enrolled"))),
        Err(refusal) => {
            let reply = trainer.form_refusal(refusal)?;
            let render = SessionRender {
                notice: None,
                form: &form,
                errors: reply.problems(trainer.language.language, true),
            };
            render_session(&trainer, id, reply.status, render).await
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    partner: String,
}

/// `POST /trainer/sessions/{id}/start`: assigns the trainer (and the
/// colleague named, for double marking) to every part of the session's
/// pinned blueprint for every enrolled candidate, then opens the scoring.
/// The server checks that the colleague is a trainer of the same school.
pub(crate) async fn start(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    mock_session(&trainer, id).await?;
    let candidates: Vec<CandidateView> = trainer.get(&format!("/api/sessions/{id}/candidates")).await?;
    // The API has let the trainer read the session: its pinned documents
    // say which parts there are to score (a bank blueprint may differ from
    // the shipped one).
    let Some(exam) = trainer.api.pinned_exam(id) else { return Err(trainer.not_found()) };
    let parts: Vec<&str> = exam.blueprint.parts.iter().map(|part| part.id.as_str()).collect();
    let mut examiners = vec![trainer.account.username.clone()];
    let partner = form.partner.trim();
    if !partner.is_empty() && partner != trainer.account.username {
        examiners.push(partner.to_owned());
    }
    let assignments = format!("/api/sessions/{id}/assignments");
    for candidate in &candidates {
        for part in &parts {
            for examiner in &examiners {
                let request = ExaminerAssignRequest {
                    candidate_number: candidate.number.clone(),
                    part: (*part).to_owned(),
                    examiner: examiner.clone(),
                };
                match trainer
                    .send::<serde::de::IgnoredAny>(
                        Method::POST,
                        &assignments,
                        &form.csrf,
                        None,
                        Some(&request),
                    )
                    .await
                {
                    // Already assigned (a second press of the button).
                    Ok(_) => {}
                    Err(Refusal::Answer(reply)) if reply.status == StatusCode::CONFLICT => {}
                    Err(refusal) => {
                        let reply = trainer.form_refusal(refusal)?;
                        return problem(&trainer, id, reply).await;
                    }
                }
            }
        }
    }
    let scoring = format!("/api/sessions/{id}/scoring");
    match trainer.send::<serde::de::IgnoredAny>(Method::POST, &scoring, &form.csrf, None, None::<&()>).await {
        Ok(_) => Ok(see_other(&format!("/trainer/sessions/{id}?notice=started"))),
        Err(refusal) => {
            let reply = trainer.form_refusal(refusal)?;
            problem(&trainer, id, reply).await
        }
    }
}

/// The confirmation of a closing step (finalise, publish).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    csrf: String,
    /// The box "I have checked..." must be ticked.
    #[serde(default)]
    confirm: Option<String>,
}

/// `POST /trainer/sessions/{id}/finalise` and `/publish`: the organiser of
/// a mock exam closes it as the board closes an official one (the API
/// refuses while evaluations are missing, and says which).
async fn close_step(
    trainer: TrainerAccount,
    id: i64,
    form: StepForm,
    step: &'static str,
) -> Result<Response, PageError> {
    mock_session(&trainer, id).await?;
    if form.confirm.is_none() {
        let render = SessionRender {
            notice: None,
            form: &EnrolForm::default(),
            errors: vec![trainer.tr("trainer.close.confirm_missing")],
        };
        return render_session(&trainer, id, StatusCode::UNPROCESSABLE_ENTITY, render).await;
    }
    let (uri, notice) = match step {
        "publish" => (format!("/api/sessions/{id}/publish"), "published"),
        _ => (format!("/api/sessions/{id}/finalise"), "finalised"),
    };
    match trainer
        .send::<serde::de::IgnoredAny>(Method::POST, &uri, &form.csrf, None, Some(&serde_json::json!({})))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/trainer/sessions/{id}?notice={notice}"))),
        Err(refusal) => {
            let reply = trainer.form_refusal(refusal)?;
            problem(&trainer, id, reply).await
        }
    }
}

pub(crate) async fn finalise(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    close_step(trainer, id, form, "finalise").await
}

pub(crate) async fn publish(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(form): Form<StepForm>,
) -> Result<Response, PageError> {
    close_step(trainer, id, form, "publish").await
}

/// The session page again with the problems of a refused step.
async fn problem(trainer: &TrainerAccount, id: i64, reply: Reply) -> Result<Response, PageError> {
    let render = SessionRender {
        notice: None,
        form: &EnrolForm::default(),
        errors: reply.problems(trainer.language.language, true),
    };
    render_session(trainer, id, reply.status, render).await
}

/// `GET /trainer/sessions/{id}/enrolment/template.csv`: the board's
/// enrolment template (the same columns).
pub(crate) async fn enrolment_template(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    mock_session(&trainer, id).await?;
    Ok(crate::board::csv_template_download())
}

/// `POST /trainer/sessions/{id}/enrolment/preview`: a cohort's CSV file
/// checked by the API as the board's (encoding, columns, every bad line
/// with its line and column), shown before anything is saved.
pub(crate) async fn enrolment_preview(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    use crate::board::{Host, Upload, upload_preview};
    upload_preview(Host::Trainer, &trainer, id, request, Upload::Enrolment).await
}

/// `POST /trainer/sessions/{id}/enrolment/confirm`: saves the previewed
/// file, all or nothing.
pub(crate) async fn enrolment_confirm(
    trainer: TrainerAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use crate::board::{Host, Upload, upload_confirm};
    upload_confirm(Host::Trainer, &trainer, id, fields, Upload::Enrolment).await
}
