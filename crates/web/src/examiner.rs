//! The examiner's journey: their candidates, the scoring form of a
//! position (autosaved by `assets/examiner.js`, complete without it), and
//! after both submissions the side-by-side comparison with the agreed
//! evaluation.
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie ([`crate::api`]), so access (grille-workflow's
//! `permit`, the store's assignments, blind double marking), validation and
//! grades are the server's. Form posts carry the session's CSRF token in a
//! hidden field, passed to the API as `X-CSRF-Token`; a post without it is
//! refused by the API (403).
//!
//! Routes: `GET /examiner`;
//! `GET|POST /examiner/sessions/{id}/candidates/{number}/positions/{position}`
//! (the form; `action=save` or `submit`);
//! `GET|POST .../comparison` (side by side; the agreed evaluation).

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::str::FromStr as _;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use grille_report::examiner::{self as pages, Page};
use grille_report::i18n::{self, Language};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::api::Reply;
use crate::auth_pages::{Account, api_of, error_page, require_account, see_other};
use crate::{PageLanguage, WebState};

/// The path of a position: session id, candidate number, position id.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct PositionPath {
    id: i64,
    number: String,
    position: String,
}

impl PositionPath {
    /// Only plain ids reach the API's paths.
    fn valid(&self) -> bool {
        let plain = |text: &str| {
            !text.is_empty()
                && text.len() <= 40
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        };
        plain(&self.number) && plain(&self.position)
    }

    fn api(&self) -> String {
        format!("/api/sessions/{}/candidates/{}/positions/{}", self.id, self.number, self.position)
    }

    fn page(&self) -> String {
        format!("/examiner/sessions/{}/candidates/{}/positions/{}", self.id, self.number, self.position)
    }

    fn comparison(&self) -> String {
        format!("{}/comparison", self.page())
    }
}

/// The page's answer to an API refusal.
pub(crate) fn refusal(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    reply: &Reply,
) -> Response {
    let tr = |key: &str| i18n::translate(language.language, key);
    let (status, title) = match reply.status {
        StatusCode::FORBIDDEN => (StatusCode::FORBIDDEN, "examiner.error.forbidden"),
        StatusCode::NOT_FOUND => (StatusCode::NOT_FOUND, "examiner.error.not_found"),
        StatusCode::CONFLICT => (StatusCode::CONFLICT, "examiner.error.conflict"),
        StatusCode::UNAUTHORIZED => return see_other("/login"),
        status => (status, "examiner.error.conflict"),
    };
    let detail = if reply.kind() == "urn:grille:csrf" { tr("examiner.error.csrf") } else { reply.detail() };
    error_page(state, language, Some(account), status, title, detail)
}

/// A localized catalogue text (`{fr, de}`) in the page language.
fn localized(value: &Value, language: Language) -> String {
    value[language.code()].as_str().or_else(|| value["fr"].as_str()).unwrap_or_default().to_owned()
}

fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::String(text) => Decimal::from_str(text.trim()).ok(),
        Value::Number(number) => Decimal::from_str(&number.to_string()).ok(),
        _ => None,
    }
}

fn text(decimal: Decimal) -> String {
    decimal.normalize().to_string()
}

/// One criterion's answer as the form holds it.
#[derive(Debug, Clone, Default, PartialEq)]
struct AnswerState {
    points: Option<Decimal>,
    not_assessable: bool,
    remark: String,
}

type Answers = BTreeMap<String, AnswerState>;

/// Answers as the API sends them (`[{criterion, points, not_assessable, remark}]`).
fn answers_of(list: &Value) -> Answers {
    list.as_array()
        .map(|answers| {
            answers
                .iter()
                .map(|answer| {
                    (
                        answer["criterion"].as_str().unwrap_or_default().to_owned(),
                        AnswerState {
                            points: decimal(&answer["points"]),
                            not_assessable: answer["not_assessable"].as_bool().unwrap_or(false),
                            remark: answer["remark"].as_str().unwrap_or_default().to_owned(),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Answers from a posted form (`points-<id>` = points or `na`, `remark-<id>`).
fn answers_from_form(fields: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for (name, value) in fields {
        if let Some(id) = name.strip_prefix("points-") {
            let entry = answers.entry(id.to_owned()).or_default();
            if value == "na" {
                entry.not_assessable = true;
            } else {
                entry.points = Decimal::from_str(value.trim()).ok();
            }
        } else if let Some(id) = name.strip_prefix("remark-") {
            answers.entry(id.to_owned()).or_default().remark = value.clone();
        }
    }
    answers
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

/// The API's input for `answers`: one entry per rubric criterion, in rubric
/// order, so that a problem's pointer `/answers/N` names criterion N.
fn api_input(rubric: &Value, answers: &Answers, remark: &str) -> Value {
    let criteria = rubric["criteria"].as_array().cloned().unwrap_or_default();
    let list: Vec<Value> = criteria
        .iter()
        .map(|criterion| {
            let id = criterion["id"].as_str().unwrap_or_default();
            let answer = answers.get(id).cloned().unwrap_or_default();
            json!({
                "criterion": id,
                "points": answer.points.filter(|_| !answer.not_assessable).map(text),
                "not_assessable": answer.not_assessable,
                "remark": Some(answer.remark.trim()).filter(|remark| !remark.is_empty()),
            })
        })
        .collect();
    json!({"answers": list, "remark": Some(remark.trim()).filter(|remark| !remark.is_empty())})
}

/// A problem's errors mapped to the criteria of the form.
fn field_errors(
    rubric: &Value,
    reply: &Reply,
    language: Language,
    prefix: &str,
) -> (Vec<Value>, BTreeMap<String, String>) {
    let criteria = rubric["criteria"].as_array().cloned().unwrap_or_default();
    let mut list = Vec::new();
    let mut by_criterion = BTreeMap::new();
    let errors = reply.body["errors"].as_array().cloned().unwrap_or_default();
    for error in &errors {
        let pointer = error["pointer"].as_str().unwrap_or_default();
        let detail = error["detail"].as_str().unwrap_or_default().to_owned();
        let index = pointer
            .strip_prefix("/answers/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|index| index.parse::<usize>().ok());
        match index.and_then(|index| criteria.get(index)) {
            Some(criterion) => {
                let id = criterion["id"].as_str().unwrap_or_default().to_owned();
                let label = format!("{id} {}", localized(&criterion["title"], language));
                list.push(json!({"anchor": format!("{prefix}{id}"), "label": label, "detail": detail}));
                by_criterion.insert(id, detail);
            }
            None => list.push(json!({"anchor": null, "label": "", "detail": detail})),
        }
    }
    if list.is_empty() {
        list.push(json!({"anchor": null, "label": "", "detail": reply.detail()}));
    }
    (list, by_criterion)
}

/// The criteria of the rubric with their levels, for a radio form.
fn criteria_view(
    rubric: &Value,
    answers: &Answers,
    errors: &BTreeMap<String, String>,
    id_prefix: &str,
    chosen_by: &BTreeMap<(String, Decimal), Vec<String>>,
    differs: &BTreeMap<String, bool>,
) -> Vec<Value> {
    let criteria = rubric["criteria"].as_array().cloned().unwrap_or_default();
    criteria
        .iter()
        .map(|criterion| {
            let id = criterion["id"].as_str().unwrap_or_default().to_owned();
            let answer = answers.get(&id).cloned().unwrap_or_default();
            let levels: Vec<Value> = criterion["levels"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(index, level)| {
                    let points = decimal(&level["points"]).unwrap_or_default();
                    json!({
                        "points": text(points),
                        "descriptor": level["descriptor"],
                        "checked": !answer.not_assessable && answer.points == Some(points),
                        "input_id": format!("{id_prefix}level-{id}-{index}"),
                        "chosen_by": chosen_by.get(&(id.clone(), points)).map(|names| names.join(", ")),
                    })
                })
                .collect();
            json!({
                "id": id,
                "title": criterion["title"],
                "weight": decimal(&criterion["weight"]).map(text).unwrap_or_else(|| "1".to_owned()),
                "not_assessable_allowed": criterion["not_assessable_allowed"].as_bool().unwrap_or(false),
                "na_checked": answer.not_assessable,
                "remark": answer.remark,
                "levels": levels,
                "error": errors.get(&id),
                "differs": differs.get(&id).copied().unwrap_or(false),
            })
        })
        .collect()
}

/// The case a candidate sat, as the scoring form shows it beside the
/// rubric: text, tasks with the examiner notes, attachments.
fn case_view(case: &serde_json::Map<String, Value>, path: &PositionPath) -> Value {
    let attachments: Vec<Value> = case
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|attachment| {
            let sha = attachment["sha256"].as_str().unwrap_or_default();
            json!({
                "name": attachment["name"],
                "media_type": attachment["media_type"],
                "url": format!("{}/case/attachments/{sha}", path.api()),
            })
        })
        .collect();
    json!({
        "id": case.get("id"),
        "version": case.get("version"),
        "title": case.get("title"),
        "language": case.get("language"),
        "situation": case.get("situation"),
        "tasks": case.get("tasks"),
        "attachments": attachments,
    })
}

/// The previous and next candidates of the same position among the
/// caller's own assignments in the session (`/api/me/assignments`, in its
/// order), for moving through a pile of written work. Nothing for a
/// caller without assignments (the board).
async fn neighbours(api: &crate::api::Api, account: &Account, path: &PositionPath) -> Value {
    let reply = api.call(Method::GET, "/api/me/assignments", &account.credentials(None), None, None).await;
    if !reply.ok() {
        return json!({});
    }
    let mut numbers: Vec<String> = Vec::new();
    for assigned in reply.body.as_array().into_iter().flatten() {
        let same_session = assigned["session_id"].as_i64() == Some(path.id);
        let same_position = assigned["positions"]
            .as_array()
            .is_some_and(|positions| positions.iter().any(|p| p["position"] == path.position.as_str()));
        if let Some(number) = assigned["candidate"].as_str()
            && same_session
            && same_position
            && !numbers.iter().any(|known| known == number)
        {
            numbers.push(number.to_owned());
        }
    }
    let Some(index) = numbers.iter().position(|number| *number == path.number) else { return json!({}) };
    let link = |number: &String| {
        let other = PositionPath { id: path.id, number: number.clone(), position: path.position.clone() };
        json!({"candidate": number, "url": other.page()})
    };
    json!({
        "previous": index.checked_sub(1).and_then(|before| numbers.get(before)).map(link),
        "next": numbers.get(index + 1).map(link),
    })
}

fn notice(language: Language, kind: &str, key: &str) -> Value {
    json!({"kind": kind, "text": i18n::translate(language, key)})
}

// ---------------------------------------------------------------- list

const STATES: [&str; 4] = ["not_started", "draft", "submitted", "agreed"];

pub(crate) async fn candidates(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let account = match require_account(&state, language, &headers, &uri).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let reply = api.call(Method::GET, "/api/me/assignments", &account.credentials(None), None, None).await;
    if !reply.ok() {
        return refusal(&state, language, &account, &reply);
    }
    let mut groups: Vec<Value> = Vec::new();
    let (mut todo, mut drafts, mut submitted) = (0, 0, 0);
    for assigned in reply.body.as_array().cloned().unwrap_or_default() {
        let session_id = assigned["session_id"].as_i64().unwrap_or_default();
        let part = assigned["part"].as_str().unwrap_or_default();
        let candidate = assigned["candidate"].as_str().unwrap_or_default();
        let absent = assigned["candidate_status"] != "present";
        let mut cells = Vec::new();
        for position in assigned["positions"].as_array().cloned().unwrap_or_default() {
            let own = position["own"].as_str().unwrap_or("not_started");
            let agreed = position["agreed"].as_bool().unwrap_or(false);
            let cell_state = if own == "submitted" && agreed { "agreed" } else { own };
            if !absent {
                match own {
                    "draft" => drafts += 1,
                    "submitted" => submitted += 1,
                    _ => todo += 1,
                }
            }
            let id = position["position"].as_str().unwrap_or_default();
            let path = format!("/examiner/sessions/{session_id}/candidates/{candidate}/positions/{id}");
            let url = if own == "submitted" { format!("{path}/comparison") } else { path };
            let state_name =
                STATES.iter().find(|name| **name == cell_state).copied().unwrap_or("not_started");
            cells.push(json!({
                "position": id,
                "state": state_name,
                "state_key": format!("examiner.state.{state_name}"),
                "url": url,
                "discrepancy": position["discrepancy"],
                "waiting": position["partners_submitted"] == json!(false),
                "grade": position["grade"],
            }));
        }
        let row = json!({
            "candidate": candidate,
            "absent": absent,
            "partners": assigned["partners"].as_array().map(|names| {
                names.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
            }),
            "positions": cells,
        });
        let key = (session_id, part.to_owned());
        let existing = groups
            .iter_mut()
            .find(|group| group["session_id"].as_i64() == Some(key.0) && group["part"] == key.1.as_str());
        match existing {
            Some(group) => {
                if let Some(rows) = group["rows"].as_array_mut() {
                    rows.push(row);
                }
            }
            None => groups.push(json!({
                "session_id": session_id,
                "session_name": assigned["session_name"],
                "session_state_key": pages::session_state_key(assigned["session_state"].as_str().unwrap_or_default()),
                "part": part,
                "part_title": assigned["part_title"],
                "positions": assigned["positions"].as_array().map(|positions| positions.iter().map(|p| json!({
                    "id": p["position"], "title": p["title"],
                })).collect::<Vec<_>>()),
                "rows": [row],
            })),
        }
    }
    let view = json!({
        "account": account.view(),
        "groups": groups,
        "summary": {"todo": todo, "drafts": drafts, "submitted": submitted},
    });
    language.respond(
        StatusCode::OK,
        pages::render_page(&state.environment, Page::Candidates, &view, language.language),
    )
}

// ---------------------------------------------------------------- form

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Notices {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    submitted: Option<String>,
    #[serde(default)]
    agreed: Option<String>,
}

struct FormRender<'a> {
    form: &'a Value,
    answers: &'a Answers,
    remark: &'a str,
    version: &'a str,
    errors: Vec<Value>,
    by_criterion: BTreeMap<String, String>,
    notice: Option<Value>,
    saved_at: Option<String>,
    /// The answers shown are the saved ones: the form's own preview of
    /// them is used instead of asking the API again.
    saved_answers: bool,
}

async fn render_form(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    path: &PositionPath,
    status: StatusCode,
    render: FormRender<'_>,
) -> Response {
    let Ok(api) = api_of(state, language) else { return see_other("/") };
    let rubric = &render.form["rubric"];
    let input = api_input(rubric, render.answers, render.remark);
    let preview_uri = format!("{}/evaluations/preview", path.api());
    let preview = if render.saved_answers && render.form["preview"].is_object() {
        crate::api::Reply {
            status: StatusCode::OK,
            headers: axum::http::HeaderMap::new(),
            body: render.form["preview"].clone(),
        }
    } else {
        api.call(Method::POST, &preview_uri, &account.credentials(Some(&account.csrf)), None, Some(&input))
            .await
    };
    let preview = if preview.ok() {
        preview.body
    } else {
        json!({"answered": 0, "total": rubric["criteria"].as_array().map_or(0, Vec::len), "points": "0", "max_points": "0"})
    };
    let mut criteria =
        criteria_view(rubric, render.answers, &render.by_criterion, "", &BTreeMap::new(), &BTreeMap::new());
    let case = render.form["case"].as_object().map(|case| case_view(case, path));
    // A criterion the candidate's case leaves out is shown with the case's
    // reason and no levels: nobody scores it for this candidate.
    for criterion in &mut criteria {
        let id = criterion["id"].as_str().unwrap_or_default().to_owned();
        let reason = render.form["case"]["not_assessed"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|item| item["criterion"] == id.as_str())
            .map(|item| item["reason"].clone());
        if let Some(reason) = reason {
            criterion["left_out"] = reason;
        }
    }
    let assessed = criteria.iter().filter(|criterion| criterion.get("left_out").is_none()).count();
    let submission = render.form["submission"].as_object().map(|submission| {
        json!({
            "file_name": submission.get("file_name"),
            "url": format!("{}/submission", path.api()),
        })
    });
    let neighbours = neighbours(api, account, path).await;
    let view = json!({
        "case": case,
        "submission": submission,
        "neighbours": neighbours,
        "assessed_total": assessed,
        "account": account.view(),
        "candidate": path.number,
        "part": {"id": render.form["part"], "title": render.form["part_title"]},
        "position": {"id": path.position, "title": render.form["position_title"]},
        "rubric": {"title": rubric["title"], "version": rubric["version"]},
        "scale": render.form["scale"],
        "urls": {"form": path.page(), "api": path.api(), "comparison": path.comparison()},
        "storage_key": format!("grille.evaluation.{}.{}.{}.{}", path.id, path.number, path.position, account.username),
        "criteria": criteria,
        "remark": render.remark,
        "version": render.version,
        "preview": preview,
        "errors": render.errors,
        "notice": render.notice,
        "saved_at": render.saved_at,
    });
    language.respond(status, pages::render_page(&state.environment, Page::Form, &view, language.language))
}

async fn load_form(
    state: &WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
    path: &PositionPath,
) -> Result<(Account, Value), Response> {
    let account = require_account(state, language, headers, uri).await?;
    if !path.valid() {
        let detail = i18n::translate(language.language, "examiner.error.not_found");
        return Err(error_page(
            state,
            language,
            Some(&account),
            StatusCode::NOT_FOUND,
            "examiner.error.not_found",
            detail,
        ));
    }
    let api = api_of(state, language)?;
    let reply =
        api.call(Method::GET, &format!("{}/form", path.api()), &account.credentials(None), None, None).await;
    if !reply.ok() {
        return Err(refusal(state, language, &account, &reply));
    }
    Ok((account, reply.body))
}

fn hhmm(updated_at: &str) -> Option<String> {
    // RFC 3339 UTC, e.g. 2026-05-04T09:12:33Z: the time of day in Swiss
    // local time is enough.
    grille_workflow::time::utc_to_swiss_local(updated_at)
        .and_then(|local| local.get(11..16).map(str::to_owned))
}

pub(crate) async fn form_page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<PositionPath>,
    Query(notices): Query<Notices>,
) -> Response {
    let (account, form) = match load_form(&state, language, &headers, &uri, &path).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let own = &form["own"];
    if own["status"] == "submitted" {
        return see_other(&path.comparison());
    }
    let answers = answers_of(&own["answers"]);
    let remark = own["remark"].as_str().unwrap_or_default().to_owned();
    let version = own["version"].as_i64().map(|version| version.to_string()).unwrap_or_default();
    let render = FormRender {
        form: &form,
        answers: &answers,
        remark: &remark,
        version: &version,
        errors: Vec::new(),
        by_criterion: BTreeMap::new(),
        notice: notices.saved.as_ref().map(|_| notice(language.language, "success", "examiner.notice.saved")),
        saved_at: own["updated_at"].as_str().and_then(hhmm),
        saved_answers: true,
    };
    render_form(&state, language, &account, &path, StatusCode::OK, render).await
}

pub(crate) async fn form_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<PositionPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, form) = match load_form(&state, language, &headers, &uri, &path).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let answers = answers_from_form(&fields);
    let remark = field(&fields, "remark").to_owned();
    let csrf = field(&fields, "csrf").to_owned();
    let version = field(&fields, "version").to_owned();
    let submit = field(&fields, "action") == "submit";
    let rubric = &form["rubric"];
    let credentials = account.credentials(Some(&csrf));
    let input = api_input(rubric, &answers, &remark);
    let mine = format!("{}/evaluations/mine", path.api());
    let saved = api.call(Method::PUT, &mine, &credentials, Some(&version), Some(&input)).await;
    let mut render = FormRender {
        form: &form,
        answers: &answers,
        remark: &remark,
        version: &version,
        errors: Vec::new(),
        by_criterion: BTreeMap::new(),
        notice: None,
        saved_at: None,
        // The posted answers, not the form's saved ones.
        saved_answers: false,
    };
    match saved.status {
        status if status.is_success() => {}
        StatusCode::CONFLICT => {
            render.notice = Some(notice(language.language, "error", "examiner.js.conflict"));
            return render_form(&state, language, &account, &path, StatusCode::CONFLICT, render).await;
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            let (errors, by_criterion) = field_errors(rubric, &saved, language.language, "criterion-");
            render.errors = errors;
            render.by_criterion = by_criterion;
            return render_form(&state, language, &account, &path, StatusCode::UNPROCESSABLE_ENTITY, render)
                .await;
        }
        _ => return refusal(&state, language, &account, &saved),
    }
    let version = saved.etag().unwrap_or_default();
    if !submit {
        return see_other(&format!("{}?saved=1", path.page()));
    }
    let submitted =
        api.call(Method::POST, &format!("{mine}/submit"), &credentials, Some(&version), None).await;
    match submitted.status {
        status if status.is_success() => see_other(&format!("{}?submitted=1", path.comparison())),
        StatusCode::UNPROCESSABLE_ENTITY => {
            let (errors, by_criterion) = field_errors(rubric, &submitted, language.language, "criterion-");
            let render = FormRender {
                version: &version,
                errors,
                by_criterion,
                notice: Some(notice(language.language, "error", "examiner.notice.incomplete")),
                saved_at: saved.body["updated_at"].as_str().and_then(hhmm),
                ..render
            };
            render_form(&state, language, &account, &path, StatusCode::UNPROCESSABLE_ENTITY, render).await
        }
        StatusCode::CONFLICT => {
            let render = FormRender {
                version: &version,
                notice: Some(notice(language.language, "error", "examiner.js.conflict")),
                ..render
            };
            render_form(&state, language, &account, &path, StatusCode::CONFLICT, render).await
        }
        _ => refusal(&state, language, &account, &submitted),
    }
}

// ---------------------------------------------------------------- comparison

struct Posted<'a> {
    answers: &'a Answers,
    remark: &'a str,
    version: &'a str,
}

#[allow(clippy::too_many_arguments)]
async fn render_comparison(
    state: &WebState,
    language: PageLanguage,
    account: &Account,
    path: &PositionPath,
    form: &Value,
    status: StatusCode,
    posted: Option<Posted<'_>>,
    errors: (Vec<Value>, BTreeMap<String, String>),
    notice_value: Option<Value>,
) -> Response {
    let Ok(api) = api_of(state, language) else { return see_other("/") };
    let lang = language.language;
    let list = api
        .call(Method::GET, &format!("{}/evaluations", path.api()), &account.credentials(None), None, None)
        .await;
    if !list.ok() {
        return refusal(state, language, account, &list);
    }
    let rubric = &form["rubric"];
    let body = &list.body;
    // Columns: oneself first, then the partners, in assignment order.
    let mut examiners: Vec<String> = vec![account.username.clone()];
    for name in form["examiners"].as_array().cloned().unwrap_or_default() {
        let name = name.as_str().unwrap_or_default().to_owned();
        if !examiners.contains(&name) {
            examiners.push(name);
        }
    }
    let evaluations: BTreeMap<String, &Value> = body["evaluations"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter(|evaluation| evaluation["status"] == "submitted")
                .map(|evaluation| {
                    (evaluation["examiner"].as_str().unwrap_or_default().to_owned(), evaluation)
                })
                .collect()
        })
        .unwrap_or_default();
    let by_examiner: BTreeMap<String, Answers> = evaluations
        .iter()
        .map(|(name, evaluation)| (name.clone(), answers_of(&evaluation["answers"])))
        .collect();
    let waiting: Vec<&str> =
        examiners.iter().filter(|name| !evaluations.contains_key(*name)).map(String::as_str).collect();
    let not_submitted = i18n::translate(lang, "examiner.not_submitted");
    let not_assessable = i18n::translate(lang, "examiner.not_assessable");
    let mut rows = Vec::new();
    let mut differs_map = BTreeMap::new();
    let mut chosen_by: BTreeMap<(String, Decimal), Vec<String>> = BTreeMap::new();
    let mut agreeing = Answers::new();
    for criterion in rubric["criteria"].as_array().cloned().unwrap_or_default() {
        let id = criterion["id"].as_str().unwrap_or_default().to_owned();
        let levels = criterion["levels"].as_array().cloned().unwrap_or_default();
        let mut cells = Vec::new();
        let mut marks = Vec::new();
        for name in &examiners {
            let Some(answers) = by_examiner.get(name) else {
                cells.push(json!({"points": null, "text": not_submitted, "remark": null}));
                continue;
            };
            let answer = answers.get(&id).cloned().unwrap_or_default();
            marks.push((answer.points, answer.not_assessable));
            if let Some(points) = answer.points {
                chosen_by.entry((id.clone(), points)).or_default().push(name.clone());
            }
            let descriptor = answer
                .points
                .and_then(|points| levels.iter().find(|level| decimal(&level["points"]) == Some(points)))
                .map(|level| localized(&level["descriptor"], lang));
            cells.push(json!({
                "points": answer.points.map(text),
                "text": if answer.not_assessable { not_assessable.clone() } else { descriptor.unwrap_or_default() },
                "remark": Some(answer.remark.clone()).filter(|remark| !remark.is_empty()),
            }));
        }
        let differs = marks.len() > 1 && marks.iter().any(|mark| *mark != marks[0]);
        if marks.len() > 1 && !differs {
            agreeing.insert(
                id.clone(),
                AnswerState { points: marks[0].0, not_assessable: marks[0].1, remark: String::new() },
            );
        }
        differs_map.insert(id.clone(), differs);
        // Same or different only once at least two evaluations are submitted.
        let compared = marks.len() > 1;
        rows.push(json!({"id": id, "title": criterion["title"], "cells": cells, "differs": differs, "compared": compared}));
    }
    let result = &body["result"];
    let scored: BTreeMap<String, &Value> = result["evaluations"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|evaluation| {
                    (evaluation["examiner"].as_str().unwrap_or_default().to_owned(), evaluation)
                })
                .collect()
        })
        .unwrap_or_default();
    let totals: Vec<Value> = examiners
        .iter()
        .map(|name| match scored.get(name) {
            Some(evaluation) => json!({
                "points": format!("{} / {}", evaluation["points"].as_str().unwrap_or("0"), evaluation["max_points"].as_str().unwrap_or("0")),
                "grade": evaluation["grade"]["grade"],
            }),
            None => json!({"points": "—", "grade": null}),
        })
        .collect();
    let grades: Vec<&Value> =
        totals.iter().map(|total| &total["grade"]).filter(|grade| !grade.is_null()).collect();
    let grades_differ = grades.len() > 1 && grades.iter().any(|grade| *grade != grades[0]);
    let comparison = &result["comparison"];
    let flags: Vec<Value> = comparison["flags"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|flag| {
            let kind = flag["kind"].as_str().unwrap_or("step");
            json!({"kind": kind, "kind_key": if kind == "straddle" { "examiner.flag.straddle" } else { "examiner.flag.step" }, "message": flag["message"]})
        })
        .collect();
    let status_key = match comparison["status"].as_str() {
        Some("open") => Some("examiner.comparison.status.open"),
        Some("agreed") => Some("examiner.comparison.status.agreed"),
        Some(_) => Some("examiner.comparison.status.none"),
        None => None,
    };
    let official =
        result["grade"].as_str().map(|grade| json!({"grade": grade, "source": result["grade_source"]}));
    let agreed = &body["agreed"];
    let can_record = waiting.is_empty() && form["session_state"] == "scoring";
    let agreed_form = can_record.then(|| {
        let stored_answers = answers_of(&agreed["answers"]);
        let stored_remark = agreed["remark"].as_str().unwrap_or_default().to_owned();
        let stored_version =
            agreed["version"].as_i64().map(|version| version.to_string()).unwrap_or_default();
        let (answers, remark, version) = match &posted {
            Some(posted) => (posted.answers.clone(), posted.remark.to_owned(), posted.version.to_owned()),
            None if agreed.is_object() => (stored_answers, stored_remark, stored_version),
            None => (agreeing.clone(), String::new(), String::new()),
        };
        json!({
            "criteria": criteria_view(rubric, &answers, &errors.1, "agreed-", &chosen_by, &differs_map),
            "remark": remark,
            "version": version,
        })
    });
    let view = json!({
        "account": account.view(),
        "candidate": path.number,
        "part": {"id": form["part"], "title": form["part_title"]},
        "position": {"id": path.position, "title": form["position_title"]},
        "urls": {"form": path.page(), "comparison": path.comparison()},
        "examiners": examiners,
        "waiting": (!waiting.is_empty()).then(|| waiting.join(", ")),
        "rows": rows,
        "totals": totals,
        "grades_differ": grades_differ,
        "difference": comparison["difference"],
        "flags": flags,
        "status_key": status_key,
        "official": official,
        "agreed_form": agreed_form,
        "errors": errors.0,
        "notice": notice_value,
    });
    language.respond(status, pages::render_page(&state.environment, Page::Comparison, &view, lang))
}

pub(crate) async fn comparison_page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<PositionPath>,
    Query(notices): Query<Notices>,
) -> Response {
    let (account, form) = match load_form(&state, language, &headers, &uri, &path).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    if form["own"]["status"] != "submitted" {
        return see_other(&path.page());
    }
    let lang = language.language;
    let notice_value = if notices.agreed.is_some() {
        let grade = notices.agreed.as_deref().map(crate::grade_text).unwrap_or_default();
        Some(
            json!({"kind": "success", "text": i18n::format(&i18n::translate(lang, "examiner.agreed.saved"), &[("grade", grade)])}),
        )
    } else if notices.submitted.is_some() {
        Some(notice(lang, "success", "examiner.notice.submitted"))
    } else {
        None
    };
    render_comparison(
        &state,
        language,
        &account,
        &path,
        &form,
        StatusCode::OK,
        None,
        (Vec::new(), BTreeMap::new()),
        notice_value,
    )
    .await
}

pub(crate) async fn comparison_post(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<PositionPath>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, form) = match load_form(&state, language, &headers, &uri, &path).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let answers = answers_from_form(&fields);
    let remark = field(&fields, "remark").to_owned();
    let version = field(&fields, "version").to_owned();
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let rubric = &form["rubric"];
    let input = api_input(rubric, &answers, &remark);
    let reply = api
        .call(Method::PUT, &format!("{}/agreed", path.api()), &credentials, Some(&version), Some(&input))
        .await;
    let posted = Posted { answers: &answers, remark: &remark, version: &version };
    match reply.status {
        status if status.is_success() => {
            let grade = reply.body["grade"].as_str().unwrap_or("—");
            see_other(&format!("{}?agreed={}", path.comparison(), crate::auth_pages::encode(grade)))
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            let errors = field_errors(rubric, &reply, language.language, "agreed-");
            render_comparison(
                &state,
                language,
                &account,
                &path,
                &form,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(posted),
                errors,
                None,
            )
            .await
        }
        StatusCode::CONFLICT if reply.detail().contains("version") => {
            let notice_value = Some(notice(language.language, "error", "examiner.js.conflict"));
            render_comparison(
                &state,
                language,
                &account,
                &path,
                &form,
                StatusCode::CONFLICT,
                Some(posted),
                (Vec::new(), BTreeMap::new()),
                notice_value,
            )
            .await
        }
        _ => refusal(&state, language, &account, &reply),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_answers_become_one_api_answer_per_criterion() {
        let rubric = json!({"criteria": [{"id": "c1"}, {"id": "c2"}, {"id": "c3"}]});
        let fields: Vec<(String, String)> =
            [("points-c1", "2"), ("remark-c1", " vu "), ("points-c3", "na"), ("remark-c2", "")]
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect();
        let input = api_input(&rubric, &answers_from_form(&fields), "  ");
        assert_eq!(
            input,
            json!({"answers": [
                {"criterion": "c1", "points": "2", "not_assessable": false, "remark": "vu"},
                {"criterion": "c2", "points": null, "not_assessable": false, "remark": null},
                {"criterion": "c3", "points": null, "not_assessable": true, "remark": null},
            ], "remark": null})
        );
    }

    #[test]
    fn only_plain_ids_reach_the_api() {
        let path = |number: &str, position: &str| PositionPath {
            id: 1,
            number: number.into(),
            position: position.into(),
        };
        assert!(path("2026-001", "1.1").valid());
        assert!(!path("2026-001/../../users", "1.1").valid());
        assert!(!path("2026-001", "1.1?x=1").valid());
    }
}
