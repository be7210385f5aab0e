//! An examiner's declarations of conflicts of interest (they trained or
//! employ a candidate, or another tie), in their own space: the list, the
//! form that declares one and the button that withdraws it. The board's
//! assignments then refuse that examiner for that candidate with the
//! reason (grille-workflow's `assignment_conflict`, asked by the API).

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::examiner::{self as pages, Page};
use grille_report::pages::AccountLayout;
use grille_server::{ConflictReasonDto, ConflictRequest, ConflictView};
use serde::{Deserialize, Serialize};

use crate::auth_pages::{encode, see_other};
use crate::page::{Notice, PageError, SignedIn};

pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/examiner/conflicts", get(page).post(declare))
        .route("/examiner/conflicts/{number}/withdraw", post(withdraw))
}

const REASONS: [(ConflictReasonDto, &str); 3] = [
    (ConflictReasonDto::Trained, "trained"),
    (ConflictReasonDto::Employs, "employs"),
    (ConflictReasonDto::Other, "other"),
];

fn code(reason: ConflictReasonDto) -> &'static str {
    REASONS.iter().find(|(known, _)| *known == reason).map_or("other", |(_, code)| code)
}

#[derive(Debug, Serialize)]
struct Row {
    number: String,
    reason_key: String,
    note: Option<String>,
    declared_at: String,
}

#[derive(Debug, Serialize)]
struct Reason {
    code: &'static str,
    key: String,
}

#[derive(Debug, Default, Serialize)]
struct DeclareForm {
    candidate_number: String,
    reason: String,
    note: String,
    errors: Vec<String>,
}

#[derive(Debug, Serialize)]
struct View {
    account: AccountLayout,
    conflicts: Vec<Row>,
    reasons: Vec<Reason>,
    form: DeclareForm,
    notice: Option<Notice>,
}

async fn render(
    visit: &SignedIn,
    status: StatusCode,
    form: DeclareForm,
    notice: Option<Notice>,
) -> Result<Response, PageError> {
    let conflicts: Vec<ConflictView> = visit.get("/api/me/conflicts").await?;
    let view = View {
        account: visit.account.view(),
        conflicts: conflicts
            .into_iter()
            .map(|conflict| Row {
                number: conflict.candidate_number,
                reason_key: format!("conflicts.reason.{}", code(conflict.reason)),
                note: conflict.note,
                declared_at: grille_workflow::time::swiss_display(&conflict.declared_at),
            })
            .collect(),
        reasons: REASONS
            .iter()
            .map(|(_, code)| Reason { code, key: format!("conflicts.reason.{code}") })
            .collect(),
        form,
        notice,
    };
    let language = visit.language;
    Ok(language.respond(
        status,
        pages::render_page(&visit.state.environment, Page::Conflicts, &view, language.language),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Done {
    done: Option<String>,
}

async fn page(visit: SignedIn, Query(query): Query<Done>) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some(step @ ("declared" | "withdrawn")) => {
            Some(Notice::success(visit.tr(&format!("conflicts.notice.{step}"))))
        }
        _ => None,
    };
    render(&visit, StatusCode::OK, DeclareForm { reason: "trained".into(), ..DeclareForm::default() }, notice)
        .await
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

async fn declare(visit: SignedIn, Form(fields): Form<Vec<(String, String)>>) -> Result<Response, PageError> {
    let mut form = DeclareForm {
        candidate_number: field(&fields, "candidate_number").trim().to_owned(),
        reason: field(&fields, "reason").to_owned(),
        note: field(&fields, "note").to_owned(),
        errors: Vec::new(),
    };
    let Some((reason, _)) = REASONS.iter().find(|(_, code)| *code == form.reason) else {
        form.errors.push(visit.tr("conflicts.error.reason"));
        return render(&visit, StatusCode::UNPROCESSABLE_ENTITY, form, None).await;
    };
    let request = ConflictRequest {
        candidate_number: form.candidate_number.clone(),
        reason: *reason,
        note: Some(form.note.trim().to_owned()).filter(|note| !note.is_empty()),
    };
    match visit
        .send::<ConflictView>(Method::POST, "/api/me/conflicts", field(&fields, "csrf"), None, Some(&request))
        .await
    {
        Ok(_) => Ok(see_other("/examiner/conflicts?done=declared")),
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            form.errors = if reply.status == StatusCode::UNPROCESSABLE_ENTITY {
                reply.problems(visit.language.language, false)
            } else {
                vec![reply.detail()]
            };
            render(&visit, reply.status, form, None).await
        }
    }
}

async fn withdraw(
    visit: SignedIn,
    Path(number): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let uri = format!("/api/me/conflicts/{}", encode(&number));
    match visit
        .send::<Vec<ConflictView>>(Method::DELETE, &uri, field(&fields, "csrf"), None, None::<&()>)
        .await
    {
        Ok(_) => Ok(see_other("/examiner/conflicts?done=withdrawn")),
        Err(refusal) => {
            let reply = visit.form_refusal(refusal)?;
            let notice = Notice::error(reply.detail());
            render(
                &visit,
                reply.status,
                DeclareForm { reason: "trained".into(), ..DeclareForm::default() },
                Some(notice),
            )
            .await
        }
    }
}
