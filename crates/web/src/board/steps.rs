//! The confirmed steps of a session's workflow (open the scoring,
//! finalise, publish): a page that says what the step does and what still
//! blocks it, then the step itself.

use axum::extract::{Form, Path};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::board::Page;
use grille_report::i18n;
use grille_report::pages::AccountLayout;
use grille_scoring::Outcome;
use grille_server::{ResultsView, StateView};
use grille_workflow::SessionState;
use serde::Serialize;

use super::{SessionHeader, field, refusal_lines, render};
use crate::auth_pages::see_other;
use crate::page::{BoardAccount, PageError};

/// A step of the session's workflow, confirmed on its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Scoring,
    Finalise,
    Publish,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Scoring => "scoring",
            Step::Finalise => "finalise",
            Step::Publish => "publish",
        }
    }

    /// The state the session must be in.
    fn state_before(self) -> SessionState {
        match self {
            Step::Scoring => SessionState::Enrolment,
            Step::Finalise => SessionState::Scoring,
            Step::Publish => SessionState::Finalised,
        }
    }

    fn effects(self) -> &'static [&'static str] {
        match self {
            Step::Scoring => &["board.step.scoring.effect.lock", "board.step.scoring.effect.examiners"],
            Step::Finalise => &[
                "board.step.finalise.effect.compute",
                "board.step.finalise.effect.lock",
                "board.step.finalise.effect.corrections",
            ],
            Step::Publish => &["board.step.publish.effect.candidates", "board.step.publish.effect.final"],
        }
    }
}

/// One condition of a step, met or not.
#[derive(Debug, Serialize)]
struct Check {
    ok: bool,
    text: String,
    link: Option<String>,
}

/// A link to another step or page.
#[derive(Debug, Serialize)]
struct Other {
    url: String,
    key: &'static str,
}

#[derive(Debug, Serialize)]
struct StepView {
    title: String,
    available: bool,
    effects: &'static [&'static str],
    checks: Vec<Check>,
    blocked: bool,
    action: String,
    confirm_label: String,
    button: String,
    unavailable: String,
}

#[derive(Debug, Serialize)]
struct ConfirmView {
    account: AccountLayout,
    session: SessionHeader,
    refusal: Option<String>,
    others: Vec<Other>,
    step: StepView,
}

/// What still blocks `step` of session `id`.
async fn checks(board: &BoardAccount, id: i64, step: Step) -> Result<Vec<Check>, PageError> {
    let check = |ok: bool, key: &str, arguments: &[(&str, String)], link: Option<String>| Check {
        ok,
        text: i18n::format(&board.tr(key), arguments),
        link,
    };
    Ok(match step {
        Step::Scoring => {
            let count = board.candidates(id).await?.len();
            vec![check(count > 0, "board.step.check.candidates", &[("count", count.to_string())], None)]
        }
        Step::Finalise => {
            let progress = board.progress_of(id).await?;
            let link = Some(format!("/board/sessions/{id}/progress"));
            let pending: Vec<&str> = progress
                .candidates
                .iter()
                .filter(|candidate| candidate.outcome == Outcome::Pending)
                .map(|candidate| candidate.number.as_str())
                .collect();
            let first = if pending.is_empty() {
                check(true, "board.step.check.no_pending", &[], None)
            } else {
                check(
                    false,
                    "board.step.check.pending",
                    &[("count", pending.len().to_string()), ("numbers", pending.join(", "))],
                    link.clone(),
                )
            };
            let (open, drafts) = (progress.open_discrepancies, progress.drafts);
            vec![
                first,
                check(open == 0, "board.step.check.open", &[("count", open.to_string())], link.clone()),
                check(drafts == 0, "board.step.check.drafts", &[("count", drafts.to_string())], link),
            ]
        }
        Step::Publish => vec![check(true, "board.step.check.finalised", &[], None)],
    })
}

async fn render_step(
    board: &BoardAccount,
    id: i64,
    step: Step,
    status: StatusCode,
    refusal: Option<String>,
) -> Result<Response, PageError> {
    let session = board.session(id).await?;
    let available = session.state == step.state_before();
    let checks = if available { checks(board, id, step).await? } else { Vec::new() };
    let blocked = checks.iter().any(|check| !check.ok);
    let name = step.name();
    let other = |path: &str, key| Other { url: format!("/board/sessions/{id}/{path}"), key };
    let others = match session.state {
        SessionState::Finalised if step != Step::Publish => vec![other("publish", "board.next.publish")],
        SessionState::Finalised | SessionState::Published => vec![other("results", "board.next.results")],
        SessionState::Enrolment if step != Step::Scoring => vec![other("scoring", "board.next.open_scoring")],
        _ => Vec::new(),
    };
    let view = ConfirmView {
        account: board.account.view(),
        session: SessionHeader::from(&session),
        refusal,
        others,
        step: StepView {
            title: format!("board.step.{name}.title"),
            available,
            effects: step.effects(),
            checks,
            blocked,
            action: format!("/board/sessions/{id}/{name}"),
            confirm_label: format!("board.step.{name}.confirm"),
            button: format!("board.step.{name}.button"),
            unavailable: format!("board.step.{name}.unavailable"),
        },
    };
    Ok(render(board, status, Page::Confirm, &view))
}

async fn step_post(
    board: BoardAccount,
    id: i64,
    step: Step,
    fields: Vec<(String, String)>,
) -> Result<Response, PageError> {
    if field(&fields, "confirm") != "yes" {
        let text = board.tr("board.step.confirm_missing");
        return render_step(&board, id, step, StatusCode::UNPROCESSABLE_ENTITY, Some(text)).await;
    }
    let uri = format!("/api/sessions/{id}/{}", step.name());
    let csrf = field(&fields, "csrf");
    // Finalising answers with the stored results, the other steps with the
    // session's new state.
    let done = match step {
        Step::Finalise => {
            board.send::<ResultsView>(Method::POST, &uri, csrf, None, None::<&()>).await.map(drop)
        }
        Step::Scoring | Step::Publish => {
            board.send::<StateView>(Method::POST, &uri, csrf, None, None::<&()>).await.map(drop)
        }
    };
    match done {
        Ok(()) => Ok(see_other(&match step {
            Step::Finalise => format!("/board/sessions/{id}/results"),
            Step::Scoring => format!("/board/sessions/{id}?step=scoring"),
            Step::Publish => format!("/board/sessions/{id}?step=published"),
        })),
        Err(refusal) => {
            let reply = board.form_refusal(refusal)?;
            let text = refusal_lines(&board, &reply).join(" ");
            render_step(&board, id, step, reply.status, Some(text)).await
        }
    }
}

macro_rules! step_handlers {
    ($page:ident, $post:ident, $step:expr) => {
        pub(crate) async fn $page(board: BoardAccount, Path(id): Path<i64>) -> Result<Response, PageError> {
            render_step(&board, id, $step, StatusCode::OK, None).await
        }

        pub(crate) async fn $post(
            board: BoardAccount,
            Path(id): Path<i64>,
            Form(fields): Form<Vec<(String, String)>>,
        ) -> Result<Response, PageError> {
            step_post(board, id, $step, fields).await
        }
    };
}

step_handlers!(scoring_page, scoring_post, Step::Scoring);
step_handlers!(finalise_page, finalise_post, Step::Finalise);
step_handlers!(publish_page, publish_post, Step::Publish);
