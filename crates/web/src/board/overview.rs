//! A session's overview: its candidates with their examiners and status,
//! the next step, and the forms that enrol one candidate, assign one
//! examiner and record a status (the CSV uploads are [`super::upload`]'s).

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::{self as pages, Page};
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_scoring::CandidateStatus;
use grille_server::{
    AccountView, AssignmentView, CandidateInput, EnrolRequest, EnrolResponse, ExaminerAssignRequest, RoleDto,
    StatusRequest, StatusView,
};
use grille_workflow::{SessionKind, SessionState};
use serde::Serialize;

use super::upload::{Upload, UploadForm};
use super::{Notice, PartRow, SessionHeader, field, parts_of, plain, refusal_lines, render};
use crate::auth_pages::{encode, see_other};
use crate::page::{BoardAccount, PageError};

/// What the forms of the overview show again after a refused post.
#[derive(Debug, Default)]
pub(super) struct Posted {
    enrol: EnrolForm,
    assign: AssignForm,
    notice: Option<Notice>,
}

/// The enrolment form as posted.
#[derive(Debug, Default, Serialize)]
struct EnrolForm {
    number: String,
    family_name: String,
    given_name: String,
    email: String,
    errors: Vec<String>,
}

/// The assignment form as posted.
#[derive(Debug, Default, Serialize)]
struct AssignForm {
    candidate_number: String,
    part: String,
    examiner: String,
    errors: Vec<String>,
}

/// One enrolled candidate.
#[derive(Debug, Serialize)]
struct CandidateRow {
    number: String,
    name: Option<String>,
    /// The examiners of each part, in the parts' order.
    examiners: Vec<String>,
    status: CandidateStatus,
    status_key: &'static str,
}

/// What to do next, as the session's state says.
#[derive(Debug, Serialize)]
struct Next {
    key: &'static str,
    url: Option<String>,
    button: Option<&'static str>,
}

/// A status the board can record.
#[derive(Debug, Serialize)]
struct StatusChoice {
    value: CandidateStatus,
    key: &'static str,
}

/// Which forms the session's state allows.
#[derive(Debug, Serialize)]
struct Allowed {
    enrol: bool,
    assign: bool,
    status: bool,
}

#[derive(Debug, Serialize)]
struct SessionPage {
    account: AccountLayout,
    session: SessionHeader,
    candidates: Vec<CandidateRow>,
    assignment_count: usize,
    parts: Vec<PartRow>,
    examiners: Vec<String>,
    statuses: Vec<StatusChoice>,
    next: Next,
    can: Allowed,
    enrol: EnrolForm,
    assign: AssignForm,
    csv_text: &'static str,
    enrol_csv: UploadForm,
    assign_csv: UploadForm,
    assign_csv_text: &'static str,
    notice: Option<Notice>,
    /// Whether the candidates of an official session read their filled
    /// rubrics (the board's switch); none for a mock session.
    consultation: Option<bool>,
}

fn next_step(state: SessionState, id: i64, empty: bool) -> Next {
    let step = |key, path: &str, button| Next {
        key,
        url: Some(format!("/board/sessions/{id}/{path}")),
        button: Some(button),
    };
    match state {
        SessionState::Enrolment if empty => {
            Next { key: "board.next.enrolment_empty", url: None, button: None }
        }
        SessionState::Enrolment => step("board.next.enrolment", "scoring", "board.next.open_scoring"),
        SessionState::Scoring => step("board.next.scoring", "finalise", "board.next.finalise"),
        SessionState::Finalised => step("board.next.finalised", "publish", "board.next.publish"),
        SessionState::Published => step("board.next.published", "results", "board.next.results"),
    }
}

pub(super) async fn render_session(
    board: &BoardAccount,
    id: i64,
    status: StatusCode,
    posted: Posted,
) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let exam = board.pinned_exam(id);
    let parts = parts_of(exam.as_deref(), board.language.language);
    let enrolled = board.candidates(id).await?;
    let assignments: Vec<AssignmentView> = board.get(&format!("/api/sessions/{id}/assignments")).await?;
    let mut examiners_of: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for assignment in &assignments {
        examiners_of
            .entry((assignment.candidate_number.as_str(), assignment.part.as_str()))
            .or_default()
            .push(assignment.examiner.as_str());
    }
    let candidates: Vec<CandidateRow> = enrolled
        .iter()
        .map(|candidate| {
            let name = match (&candidate.given_name, &candidate.family_name) {
                (Some(given), Some(family)) => Some(format!("{given} {family}")),
                _ => None,
            };
            let examiners = parts
                .iter()
                .map(|part| {
                    examiners_of
                        .get(&(candidate.number.as_str(), part.id.as_str()))
                        .map(|names| names.join(", "))
                        .unwrap_or_default()
                })
                .collect();
            CandidateRow {
                number: candidate.number.clone(),
                name,
                examiners,
                status: candidate.status,
                status_key: pages::status_key(candidate.status),
            }
        })
        .collect();
    let users: Vec<AccountView> = board.get("/api/users").await?;
    let examiners: Vec<String> = users
        .into_iter()
        .filter(|account| {
            account.user.role == RoleDto::Examiner
                || (session.kind == SessionKind::Mock && account.user.role == RoleDto::Trainer)
        })
        .map(|account| account.user.username)
        .collect();
    let state = session.state;
    let open = matches!(state, SessionState::Enrolment | SessionState::Scoring);
    let consultation = if session.kind == SessionKind::Official {
        let switch: grille_server::ConsultationView =
            board.get(&format!("/api/sessions/{id}/file-consultation")).await?;
        Some(switch.enabled)
    } else {
        None
    };
    let view = SessionPage {
        consultation,
        account: board.account.view(),
        session: SessionHeader::from(&session),
        next: next_step(state, id, candidates.is_empty()),
        can: Allowed {
            enrol: state == SessionState::Enrolment,
            assign: open && !candidates.is_empty(),
            status: open,
        },
        candidates,
        assignment_count: assignments.len(),
        parts,
        examiners,
        statuses: CandidateStatus::ALL
            .into_iter()
            .map(|status| StatusChoice { value: status, key: pages::status_key(status) })
            .collect(),
        enrol: posted.enrol,
        assign: posted.assign,
        csv_text: "",
        enrol_csv: Upload::Enrolment.form(id, &board.account),
        assign_csv: Upload::Assignments.form(id, &board.account),
        assign_csv_text: "",
        notice: posted.notice,
    };
    Ok(render(board, status, Page::Session, &view))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct SessionNotices {
    #[serde(default)]
    created: Option<String>,
    #[serde(default)]
    enrolled: Option<String>,
    #[serde(default)]
    assigned: Option<String>,
    #[serde(default)]
    assigned_count: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    step: Option<String>,
}

pub(crate) async fn session(
    board: BoardAccount,
    Path(id): Path<i64>,
    Query(notices): Query<SessionNotices>,
) -> Result<Response, PageError> {
    let success = |key: &str, arguments: &[(&str, String)]| {
        Some(Notice::success(i18n::format(&board.tr(key), arguments)))
    };
    let notice = if notices.created.is_some() {
        success("board.notice.created", &[])
    } else if let Some(count) = notices.enrolled {
        success("board.notice.enrolled", &[("count", count)])
    } else if let Some(text) = notices.assigned {
        success("board.notice.assigned", &[("assignment", text)])
    } else if let Some(count) = notices.assigned_count {
        success("board.notice.assigned_count", &[("count", count)])
    } else if let Some(number) = notices.status {
        success("board.notice.status", &[("number", number)])
    } else if let Some(step) = notices.step {
        let key = match step.as_str() {
            "scoring" => "board.notice.step.scoring",
            _ => "board.notice.step.published",
        };
        success(key, &[])
    } else {
        None
    };
    render_session(&board, id, StatusCode::OK, Posted { notice, ..Posted::default() }).await
}

pub(crate) async fn enrol_one(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut form = EnrolForm {
        number: field(&fields, "number").trim().to_owned(),
        family_name: field(&fields, "family_name").to_owned(),
        given_name: field(&fields, "given_name").to_owned(),
        email: field(&fields, "email").trim().to_owned(),
        errors: Vec::new(),
    };
    let request = EnrolRequest {
        candidates: vec![CandidateInput {
            number: form.number.clone(),
            family_name: form.family_name.clone(),
            given_name: form.given_name.clone(),
            email: Some(form.email.clone()).filter(|email| !email.is_empty()),
        }],
    };
    let uri = format!("/api/sessions/{id}/candidates");
    match board.send::<EnrolResponse>(Method::POST, &uri, field(&fields, "csrf"), None, Some(&request)).await
    {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{id}?enrolled=1"))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            form.errors = refusal_lines(&board, &reply);
            let notice = (reply.status != StatusCode::UNPROCESSABLE_ENTITY)
                .then(|| Notice::error(form.errors.join(" ")));
            let posted = Posted { enrol: form, notice, ..Posted::default() };
            render_session(&board, id, reply.status, posted).await
        }
    }
}

pub(crate) async fn assign(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut form = AssignForm {
        candidate_number: field(&fields, "candidate_number").to_owned(),
        part: field(&fields, "part").to_owned(),
        examiner: field(&fields, "examiner").to_owned(),
        errors: Vec::new(),
    };
    let request = ExaminerAssignRequest {
        candidate_number: form.candidate_number.clone(),
        part: form.part.clone(),
        examiner: form.examiner.clone(),
    };
    let uri = format!("/api/sessions/{id}/assignments");
    match board.send::<AssignmentView>(Method::POST, &uri, field(&fields, "csrf"), None, Some(&request)).await
    {
        Ok(saved) => {
            let text = format!("{} · {} · {}", saved.candidate_number, saved.part, saved.examiner);
            Ok(see_other(&format!("/board/sessions/{id}?assigned={}", encode(&text))))
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            form.errors = refusal_lines(&board, &reply);
            let notice = (reply.status != StatusCode::UNPROCESSABLE_ENTITY)
                .then(|| Notice::error(form.errors.join(" ")));
            let posted = Posted { assign: form, notice, ..Posted::default() };
            render_session(&board, id, reply.status, posted).await
        }
    }
}

/// A session id and a candidate number in the path.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct CandidatePath {
    pub(super) id: i64,
    pub(super) number: String,
}

pub(crate) async fn set_status(
    board: BoardAccount,
    Path(path): Path<CandidatePath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&path.number) {
        return Err(board.not_found());
    }
    let request = StatusRequest { status: field(&fields, "status").to_owned() };
    let uri = format!("/api/sessions/{}/candidates/{}/status", path.id, path.number);
    let csrf = field(&fields, "csrf");
    match board.send::<StatusView>(Method::PUT, &uri, csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{}?status={}", path.id, encode(&path.number)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let notice = Some(Notice::error(refusal_lines(&board, &reply).join(" ")));
            render_session(&board, path.id, reply.status, Posted { notice, ..Posted::default() }).await
        }
    }
}
