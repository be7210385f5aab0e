//! A session's progress: what each candidate's positions still lack
//! (evaluations, agreement), and reopening a submitted evaluation with a
//! reason.

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::{self as pages, Page};
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_scoring::{DiscrepancyStatus, Outcome};
use grille_server::{PositionEvaluations, ReopenRequest, Reopened};
use grille_workflow::SessionState;
use serde::Serialize;

use super::{Notice, SessionHeader, field, plain, refusal_lines, render};
use crate::auth_pages::{encode, see_other};
use crate::page::{BoardAccount, PageError};

/// `?reopened=...` after a reopening.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ProgressQuery {
    #[serde(default)]
    reopened: Option<String>,
}

pub(crate) async fn progress(
    board: BoardAccount,
    Path(id): Path<i64>,
    Query(query): Query<ProgressQuery>,
) -> Result<Response, PageError> {
    let notice = query
        .reopened
        .map(|what| Notice::success(i18n::format(&board.tr("board.reopen.done"), &[("what", what)])));
    render_progress(&board, id, StatusCode::OK, notice).await
}

/// One position of a candidate.
#[derive(Debug, Serialize)]
struct PositionRow {
    position: Option<String>,
    submitted_by: Vec<String>,
    examiners: String,
    missing: String,
    drafts: String,
    discrepancy: Option<DiscrepancyStatus>,
    grade: Option<String>,
    problem: bool,
    /// The reconciliation rule that applied or is awaited.
    rule_key: Option<&'static str>,
    /// A joint evaluation is recorded and every examiner confirmed it.
    confirmed: bool,
    /// The examiners whose confirmation of the joint evaluation is awaited.
    confirm_awaiting: String,
    /// The arbiter named for the position.
    arbiter: Option<String>,
}

/// One candidate with their positions.
#[derive(Debug, Serialize)]
struct CandidateRow {
    number: String,
    status_key: &'static str,
    outcome_key: &'static str,
    outcome: Outcome,
    complete: bool,
    positions: Vec<PositionRow>,
}

/// The session's counts.
#[derive(Debug, Serialize)]
struct Summary {
    expected: usize,
    submitted: usize,
    missing: usize,
    drafts: usize,
    open: usize,
    pending: usize,
    ready: bool,
}

/// What one examiner still owes, as a list and as a message the board
/// copies into an e-mail or a chat.
#[derive(Debug, Serialize)]
struct Reminder {
    examiner: String,
    /// A safe id for the page (letters, digits, `-`).
    slug: String,
    items: Vec<String>,
    message: String,
    /// Whether the examiner's account has an e-mail address.
    has_email: bool,
}

/// The reminders of a session in scoring, as the API reads them: per
/// examiner, the evaluations not submitted (not started or a draft) and
/// the discrepancies to settle with the partner, in candidate order, in
/// the words the e-mail would carry.
fn reminders(board: &BoardAccount, read: &grille_server::Reminders) -> Vec<Reminder> {
    let language = board.language.language;
    read.examiners
        .iter()
        .map(|reminder| {
            let items = grille_server::reminder_lines(language, reminder);
            let message =
                grille_report::reminders::message(language, &reminder.examiner, &read.session_name, &items);
            let slug = reminder
                .examiner
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
                .collect();
            Reminder {
                examiner: reminder.examiner.clone(),
                slug,
                items,
                message,
                has_email: reminder.has_email,
            }
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct ProgressView {
    account: AccountLayout,
    session: SessionHeader,
    session_id: i64,
    summary: Summary,
    candidates: Vec<CandidateRow>,
    scoring: bool,
    reminders: Vec<Reminder>,
    /// Whether an SMTP relay is configured: reminders can be e-mailed.
    mail: bool,
    /// The arbiters named (parts reconciled by arbitration).
    arbiters: Vec<grille_server::ArbiterView>,
    /// The parts the pinned blueprint reconciles by arbitration, with their
    /// positions: the only ones an arbiter can be named for (the section is
    /// left out for a blueprint without any).
    arbitration_parts: Vec<ArbitrationPart>,
    /// The examiner accounts the board can name.
    examiner_names: Vec<String>,
    notice: Option<Notice>,
}

#[derive(Debug, Serialize)]
struct ArbitrationPart {
    id: String,
    title: String,
    positions: Vec<ArbitrationPosition>,
}

#[derive(Debug, Serialize)]
struct ArbitrationPosition {
    id: String,
    title: String,
}

/// The parts of the session's pinned blueprint reconciled by arbitration.
fn arbitration_parts(board: &BoardAccount, id: i64) -> Vec<ArbitrationPart> {
    let Some(exam) = board.pinned_exam(id) else { return Vec::new() };
    let language = board.language.language.code();
    exam.blueprint
        .parts
        .iter()
        .filter(|part| part.reconciliation == grille_scoring::Reconciliation::Arbitration)
        .map(|part| ArbitrationPart {
            id: part.id.clone(),
            title: part.title.get(language).to_owned(),
            positions: part
                .positions
                .iter()
                .map(|position| ArbitrationPosition {
                    id: position.id.clone(),
                    title: position.title.get(language).to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// The progress page with a notice (after an action) or a refusal.
async fn render_progress(
    board: &BoardAccount,
    id: i64,
    status: StatusCode,
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let progress = board.progress_of(id).await?;
    let scoring = progress.state == SessionState::Scoring;
    let (reminders, mail) = if scoring {
        let read: grille_server::Reminders = board.get(&format!("/api/sessions/{id}/reminders")).await?;
        (reminders(board, &read), read.mail)
    } else {
        (Vec::new(), false)
    };
    let mut candidates = Vec::with_capacity(progress.candidates.len());
    for candidate in progress.candidates {
        let mut complete = true;
        let mut positions = Vec::with_capacity(candidate.positions.len());
        for position in candidate.positions {
            let mut missing: Vec<String> =
                position.assigned.iter().filter(|name| !position.submitted.contains(name)).cloned().collect();
            let unassigned = (position.expected as usize).saturating_sub(position.assigned.len());
            if unassigned > 0 {
                missing.push(i18n::format(
                    &board.tr("board.progress.unassigned"),
                    &[("count", unassigned.to_string())],
                ));
            }
            let problem = !missing.is_empty()
                || position.discrepancy == DiscrepancyStatus::Open
                || !position.drafts.is_empty();
            complete &= !problem;
            positions.push(PositionRow {
                position: Some(position.position),
                examiners: position.assigned.join(", "),
                submitted_by: position.submitted,
                missing: missing.join(", "),
                drafts: position.drafts.join(", "),
                discrepancy: Some(position.discrepancy),
                grade: position.grade,
                problem,
                rule_key: position.rule.map(grille_report::reconciliation::rule_key),
                confirmed: position.agreed && position.awaiting_confirmation.is_empty(),
                confirm_awaiting: if position.agreed {
                    position.awaiting_confirmation.join(", ")
                } else {
                    String::new()
                },
                arbiter: position.arbiter,
            });
        }
        if positions.is_empty() {
            // A candidate who did not sit: one row, no position.
            positions.push(PositionRow {
                position: None,
                submitted_by: Vec::new(),
                examiners: String::new(),
                missing: String::new(),
                drafts: String::new(),
                discrepancy: None,
                grade: None,
                problem: false,
                rule_key: None,
                confirmed: false,
                confirm_awaiting: String::new(),
                arbiter: None,
            });
        }
        candidates.push(CandidateRow {
            status_key: pages::status_key(candidate.status),
            outcome_key: pages::outcome_of_key(candidate.outcome),
            outcome: candidate.outcome,
            complete: complete && candidate.outcome != Outcome::Pending,
            positions,
            number: candidate.number,
        });
    }
    let summary = Summary {
        expected: progress.evaluations_expected,
        submitted: progress.evaluations_submitted,
        missing: progress.evaluations_expected.saturating_sub(progress.evaluations_submitted),
        drafts: progress.drafts,
        open: progress.open_discrepancies,
        pending: progress.pending_candidates,
        ready: scoring
            && progress.pending_candidates == 0
            && progress.open_discrepancies == 0
            && progress.drafts == 0,
    };
    let arbitration_parts = arbitration_parts(board, id);
    let examiner_names: Vec<String> = if scoring && !arbitration_parts.is_empty() {
        let users: Vec<grille_server::AccountView> = board.get("/api/users").await?;
        users
            .into_iter()
            .filter(|account| account.user.role == grille_server::RoleDto::Examiner && !account.disabled)
            .map(|account| account.user.username)
            .collect()
    } else {
        Vec::new()
    };
    let view = ProgressView {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        session_id: id,
        summary,
        candidates,
        scoring,
        reminders,
        mail,
        arbiters: board.get(&format!("/api/sessions/{id}/arbiters")).await?,
        arbitration_parts,
        examiner_names,
        notice,
    };
    Ok(render(board, status, Page::Progress, &view))
}

/// `POST /board/sessions/{id}/progress/reopen`: the board reopens an
/// examiner's submitted evaluation with a reason (the version is the one
/// stored now, read just before).
pub(crate) async fn reopen(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (number, position, examiner) =
        (field(&fields, "number"), field(&fields, "position"), field(&fields, "examiner"));
    if !plain(number) || !plain(position) || !plain(examiner) {
        return Err(board.not_found());
    }
    let base = format!("/api/sessions/{id}/candidates/{number}/positions/{position}");
    let listed: PositionEvaluations = board.get(&format!("{base}/evaluations")).await?;
    let version = listed
        .evaluations
        .iter()
        .find(|evaluation| evaluation.examiner == examiner)
        .map(|evaluation| evaluation.version.to_string())
        .unwrap_or_default();
    let request = ReopenRequest { reason: field(&fields, "reason").to_owned() };
    let uri = format!("{base}/evaluations/{examiner}/reopen");
    let what = format!("{number} · {position} · {examiner}");
    let csrf = field(&fields, "csrf");
    match board.send::<Reopened>(Method::POST, &uri, csrf, Some(&version), Some(&request)).await {
        Ok(_) => Ok(see_other(&format!("/board/sessions/{id}/progress?reopened={}", encode(&what)))),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let detail = refusal_lines(&board, &reply).join(" ");
            let notice =
                Some(Notice::error(grille_report::i18n::labelled(board.language.language, &what, &detail)));
            render_progress(&board, id, reply.status, notice).await
        }
    }
}

/// `POST /board/sessions/{id}/progress/reminders`: the board e-mails the
/// reminders (all, or one examiner's), in the page's language; the page
/// then says who got one, who has no address and what the relay refused.
pub(crate) async fn send_reminders(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let examiner = field(&fields, "examiner").trim();
    let request = grille_server::SendReminders {
        examiners: if examiner.is_empty() { Vec::new() } else { vec![examiner.to_owned()] },
        language: Some(board.language.language.code().to_owned()),
    };
    let uri = format!("/api/sessions/{id}/reminders/send");
    let csrf = field(&fields, "csrf");
    match board.send::<grille_server::RemindersSent>(Method::POST, &uri, csrf, None, Some(&request)).await {
        Ok(outcome) => {
            let mut lines = Vec::new();
            if !outcome.sent.is_empty() {
                lines.push(i18n::format(
                    &board.tr("board.reminder.sent"),
                    &[("names", outcome.sent.join(", "))],
                ));
            }
            if !outcome.without_address.is_empty() {
                let names = outcome.without_address.join(", ");
                lines.push(i18n::format(&board.tr("board.reminder.no_address"), &[("names", names)]));
            }
            for failure in &outcome.failed {
                lines.push(i18n::format(
                    &board.tr("board.reminder.failed"),
                    &[("name", failure.examiner.clone()), ("reason", failure.reason.clone())],
                ));
            }
            let text = lines.join(" ");
            let notice = if outcome.failed.is_empty() && outcome.without_address.is_empty() {
                Notice::success(text)
            } else {
                Notice::error(text)
            };
            render_progress(&board, id, StatusCode::OK, Some(notice)).await
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let notice = Some(Notice::error(refusal_lines(&board, &reply).join(" ")));
            render_progress(&board, id, reply.status, notice).await
        }
    }
}

/// `POST /board/sessions/{id}/progress/arbiters`: the board names (or
/// removes, with an empty name) the arbiter of a part or a position.
pub(crate) async fn arbiters(
    board: BoardAccount,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let optional = |name: &str| Some(field(&fields, name).trim().to_owned()).filter(|text| !text.is_empty());
    let request = grille_server::ArbiterRequest {
        part: field(&fields, "part").trim().to_owned(),
        position: optional("position"),
        examiner: optional("examiner"),
    };
    let uri = format!("/api/sessions/{id}/arbiters");
    let csrf = field(&fields, "csrf");
    match board.send::<Vec<grille_server::ArbiterView>>(Method::PUT, &uri, csrf, None, Some(&request)).await {
        Ok(_) => {
            let notice = Some(Notice::success(board.tr("board.arbiters.saved")));
            render_progress(&board, id, StatusCode::OK, notice).await
        }
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let notice = Some(Notice::error(refusal_lines(&board, &reply).join(" ")));
            render_progress(&board, id, reply.status, notice).await
        }
    }
}
