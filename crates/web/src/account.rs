//! Accounts in the browser: every signed-in user's own security page (the
//! login sessions open on their account, each ended here; the second
//! factor turned on with its key and one-time recovery codes, or off), and
//! the board's list of accounts (create one, give a new password to who
//! forgot theirs, end someone's sessions, remove a lost second factor).
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie and is parsed into the API's own types
//! (`grille_server::LoginSessionView`, `AccountView`, ...): the server
//! decides, the pages show. Times are Swiss local time.
//!
//! Routes: `GET /account/security`, `POST /account/sessions/{id}/end`,
//! `POST /account/sessions/end-others`, `POST /account/totp/start`,
//! `.../confirm`, `.../disable`; `GET|POST /board/users`, `POST
//! /board/users/{username}/password`, `.../sessions/end`,
//! `.../totp/reset`, `.../active`, `.../role`; `GET
//! /board/users/template.csv`, `POST /board/users/import/preview`,
//! `.../confirm` (a file of accounts checked, then created all or none,
//! their temporary passwords shown once).

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use grille_report::examiner::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_server::{AccountView, LoginSessionView, RoleDto, SchoolView, TotpEnrolment, TotpStatus};
use grille_workflow::time::swiss_display;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::api::{Api, Reply};
use crate::auth_pages::{Account, api_of, require_account, require_role, see_other};
use crate::{PageLanguage, WebState};

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
}

/// The API's answer in its type; an answer that does not parse is a bug
/// between the crates.
fn typed<T: serde::de::DeserializeOwned>(reply: &Reply) -> Result<T, String> {
    serde_json::from_value(reply.body.clone())
        .map_err(|error| format!("réponse de l'API illisible : {error}"))
}

#[derive(Debug, Serialize)]
struct Notice {
    kind: &'static str,
    text: String,
}

fn success(language: Language, key: &str, arguments: &[(&str, String)]) -> Option<Notice> {
    Some(Notice { kind: "success", text: i18n::format(&i18n::translate(language, key), arguments) })
}

/// `?done=...` after an action.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    user: Option<String>,
}

// ---------------------------------------------------------------- own security

#[derive(Debug, Serialize)]
struct SessionLine {
    id: i64,
    opened: String,
    last_seen: String,
    ends: String,
    current: bool,
    device: Option<String>,
    user_agent: Option<String>,
}

/// A second factor being set up: shown once, carried by the confirmation
/// form until a first code confirms it.
#[derive(Debug, Serialize)]
struct EnrolmentView {
    secret: String,
    /// The key in groups of four, as people type it.
    grouped: String,
    otpauth_uri: String,
    /// The otpauth address as a QR code (inline SVG, no style attribute:
    /// the CSP allows it), for the phone's camera.
    qr_svg: Option<String>,
    recovery_codes: Vec<String>,
}

impl EnrolmentView {
    fn of(secret: String, otpauth_uri: String, recovery_codes: Vec<String>) -> EnrolmentView {
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        // Only an address the API made is drawn (the form carries it back
        // after a wrong code; anything else shows the key alone).
        let qr_svg = otpauth_uri.starts_with("otpauth://totp/").then(|| qr_svg(&otpauth_uri)).flatten();
        EnrolmentView { secret, grouped, otpauth_uri, qr_svg, recovery_codes }
    }
}

/// `text` as a QR code in SVG, labelled by the element `totp-qr-caption`.
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let svg =
        code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // The XML declaration is not allowed inside HTML.
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen(
        "<svg ",
        "<svg class=\"totp-qr\" role=\"img\" aria-labelledby=\"totp-qr-caption\" ",
        1,
    ))
}

/// A short name for a browser's User-Agent ("Firefox · Windows"), the
/// whole text staying available on hover.
fn device_name(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} · {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) => agent.chars().take(40).collect(),
    }
}

#[derive(Debug, Serialize)]
struct SecurityView {
    account: grille_report::pages::AccountLayout,
    sessions: Vec<SessionLine>,
    others: usize,
    totp: TotpStatus,
    enrolment: Option<EnrolmentView>,
    code_error: Option<String>,
    required: bool,
    notice: Option<Notice>,
}

struct SecurityOutcome {
    status: StatusCode,
    notice: Option<Notice>,
    enrolment: Option<EnrolmentView>,
    code_error: Option<String>,
}

impl SecurityOutcome {
    fn ok(notice: Option<Notice>) -> SecurityOutcome {
        SecurityOutcome { status: StatusCode::OK, notice, enrolment: None, code_error: None }
    }
}

async fn get(api: &Api, account: &Account, uri: &str) -> Reply {
    api.call(Method::GET, uri, &account.credentials(None), None, None).await
}

async fn render_security(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    outcome: SecurityOutcome,
) -> Response {
    let sessions = get(api, account, "/api/me/sessions").await;
    let totp = get(api, account, "/api/me/totp").await;
    let (sessions, totp) = match (typed::<Vec<LoginSessionView>>(&sessions), typed::<TotpStatus>(&totp)) {
        (Ok(sessions), Ok(totp)) => (sessions, totp),
        (Err(detail), _) | (_, Err(detail)) => return internal(state, language, account, detail),
    };
    let others = sessions.iter().filter(|session| !session.current).count();
    let totp_required = totp.required;
    let view = SecurityView {
        account: account.view(),
        sessions: sessions
            .into_iter()
            .map(|session| SessionLine {
                id: session.id,
                opened: swiss_display(&session.created_at),
                last_seen: swiss_display(&session.last_seen_at),
                ends: swiss_display(&session.expires_at),
                current: session.current,
                device: session.user_agent.as_deref().map(device_name),
                user_agent: session.user_agent,
            })
            .collect(),
        others,
        totp,
        enrolment: outcome.enrolment,
        code_error: outcome.code_error,
        required: totp_required,
        notice: outcome.notice,
    };
    language.respond(
        outcome.status,
        pages::render_view(&state.environment, Page::Security, &view, language.language),
    )
}

fn internal(state: &WebState, language: PageLanguage, account: &Account, detail: String) -> Response {
    crate::auth_pages::error_page(
        state,
        language,
        Some(account),
        StatusCode::INTERNAL_SERVER_ERROR,
        "board.error.internal",
        detail,
    )
}

async fn own(
    state: &WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, ()), Response> {
    Ok((require_account(state, language, headers, uri).await?, ()))
}

pub(crate) async fn security(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<DoneQuery>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let key = match query.done.as_deref() {
        Some("ended") => Some("security.done.ended"),
        Some("ended_others") => Some("security.done.ended_others"),
        Some("totp_on") => Some("security.done.totp_on"),
        Some("totp_off") => Some("security.done.totp_off"),
        _ => None,
    };
    let notice = key.and_then(|key| success(language.language, key, &[]));
    render_security(&state, language, api, &account, SecurityOutcome::ok(notice)).await
}

/// A refused action on the security page: said there.
async fn security_refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    reply: &Reply,
) -> Response {
    if reply.status == StatusCode::UNAUTHORIZED && reply.kind() != "urn:grille:second-factor-invalid" {
        return see_other("/login?next=/account/security");
    }
    let outcome = SecurityOutcome {
        status: if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY },
        notice: Some(Notice { kind: "error", text: reply.detail() }),
        enrolment: None,
        code_error: None,
    };
    render_security(state, language, api, account, outcome).await
}

pub(crate) async fn end_session(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api.call(Method::DELETE, &format!("/api/me/sessions/{id}"), &credentials, None, None).await;
    if reply.ok() {
        return see_other("/account/security?done=ended");
    }
    security_refused(&state, language, api, &account, &reply).await
}

pub(crate) async fn end_other_sessions(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let sessions = get(api, &account, "/api/me/sessions").await;
    let sessions: Vec<LoginSessionView> = match typed(&sessions) {
        Ok(sessions) => sessions,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    for session in sessions.iter().filter(|session| !session.current) {
        let reply = api
            .call(Method::DELETE, &format!("/api/me/sessions/{}", session.id), &credentials, None, None)
            .await;
        // A session that ended meanwhile is no failure.
        if !reply.ok() && reply.status != StatusCode::NOT_FOUND {
            return security_refused(&state, language, api, &account, &reply).await;
        }
    }
    see_other("/account/security?done=ended_others")
}

pub(crate) async fn totp_start(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api.call(Method::POST, "/api/me/totp", &credentials, None, Some(&json!({}))).await;
    if !reply.ok() {
        return security_refused(&state, language, api, &account, &reply).await;
    }
    let enrolment: TotpEnrolment = match typed(&reply) {
        Ok(enrolment) => enrolment,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    let outcome = SecurityOutcome {
        enrolment: Some(EnrolmentView::of(enrolment.secret, enrolment.otpauth_uri, enrolment.recovery_codes)),
        ..SecurityOutcome::ok(None)
    };
    render_security(&state, language, api, &account, outcome).await
}

pub(crate) async fn totp_confirm(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let body = json!({"code": field(&fields, "code")});
    let reply = api.call(Method::POST, "/api/me/totp/confirm", &credentials, None, Some(&body)).await;
    if reply.ok() {
        return see_other("/account/security?done=totp_on");
    }
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::UNPROCESSABLE_ENTITY) {
        // The same key and codes again, and the problem at the code.
        let codes =
            fields.iter().filter(|(key, _)| key == "recovery_code").map(|(_, code)| code.clone()).collect();
        let enrolment = EnrolmentView::of(
            field(&fields, "secret").to_owned(),
            field(&fields, "otpauth_uri").to_owned(),
            codes,
        );
        let outcome = SecurityOutcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            notice: None,
            enrolment: Some(enrolment),
            code_error: Some(i18n::translate(language.language, "security.totp.wrong_code")),
        };
        return render_security(&state, language, api, &account, outcome).await;
    }
    security_refused(&state, language, api, &account, &reply).await
}

pub(crate) async fn totp_disable(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, _) = match own(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/") };
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let body = json!({"code": field(&fields, "code")});
    let reply = api.call(Method::DELETE, "/api/me/totp", &credentials, None, Some(&body)).await;
    if reply.ok() {
        return see_other("/account/security?done=totp_off");
    }
    if matches!(reply.status, StatusCode::UNAUTHORIZED | StatusCode::UNPROCESSABLE_ENTITY) {
        let outcome = SecurityOutcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            notice: None,
            enrolment: None,
            code_error: Some(i18n::translate(language.language, "security.totp.wrong_code")),
        };
        return render_security(&state, language, api, &account, outcome).await;
    }
    security_refused(&state, language, api, &account, &reply).await
}

// ---------------------------------------------------------------- the board's accounts

#[derive(Debug, Serialize)]
struct UserLine {
    username: String,
    role: &'static str,
    role_key: &'static str,
    active: bool,
    /// The board member's own account: the actions that one does not do
    /// to oneself are not offered (grille-workflow refuses them).
    own: bool,
    linked: Option<String>,
    second_factor: bool,
    last_login: Option<String>,
}

#[derive(Debug, Serialize)]
struct RoleChoice {
    value: &'static str,
    key: &'static str,
}

#[derive(Debug, Default, Serialize)]
struct CreateForm {
    username: String,
    role: String,
    candidate_number: String,
    school_id: String,
}

#[derive(Debug, Serialize)]
struct UsersView {
    account: grille_report::pages::AccountLayout,
    users: Vec<UserLine>,
    schools: Vec<SchoolView>,
    roles: Vec<RoleChoice>,
    form: CreateForm,
    field_errors: std::collections::BTreeMap<String, String>,
    errors: Vec<String>,
    notice: Option<Notice>,
}

fn role_name(role: RoleDto) -> &'static str {
    match role {
        RoleDto::Admin => "admin",
        RoleDto::Examiner => "examiner",
        RoleDto::Trainer => "trainer",
        RoleDto::Candidate => "candidate",
    }
}

struct UsersOutcome {
    status: StatusCode,
    form: CreateForm,
    field_errors: std::collections::BTreeMap<String, String>,
    errors: Vec<String>,
    notice: Option<Notice>,
}

async fn render_users(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    outcome: UsersOutcome,
) -> Response {
    let users = get(api, account, "/api/users").await;
    if !users.ok() {
        return axum::response::IntoResponse::into_response(crate::page::refused_reply(
            state,
            language,
            account,
            "/board/users",
            &users,
        ));
    }
    let schools = get(api, account, "/api/schools").await;
    let (users, schools) = match (typed::<Vec<AccountView>>(&users), typed::<Vec<SchoolView>>(&schools)) {
        (Ok(users), Ok(schools)) => (users, schools),
        (Err(detail), _) | (_, Err(detail)) => return internal(state, language, account, detail),
    };
    let view = UsersView {
        account: account.view(),
        users: users
            .into_iter()
            .map(|line| UserLine {
                role: role_name(line.user.role),
                role_key: pages::role_key(role_name(line.user.role)),
                active: !line.disabled,
                own: account.username == line.user.username,
                username: line.user.username,
                linked: line.candidate_number,
                second_factor: line.second_factor,
                last_login: line.last_login_at.as_deref().map(swiss_display),
            })
            .collect(),
        schools,
        roles: ["examiner", "trainer", "candidate", "admin"]
            .into_iter()
            .map(|value| RoleChoice { value, key: pages::role_key(value) })
            .collect(),
        form: outcome.form,
        field_errors: outcome.field_errors,
        errors: outcome.errors,
        notice: outcome.notice,
    };
    language.respond(
        outcome.status,
        pages::render_view(&state.environment, Page::Users, &view, language.language),
    )
}

/// A board member, or the answer for anybody else.
async fn board<'s>(
    state: &'s WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Account, &'s Api), Response> {
    require_role(state, language, headers, uri, "admin", "board.error.board_only").await
}

pub(crate) async fn users(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<DoneQuery>,
) -> Response {
    let (account, api) = match board(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let user = query.user.clone().unwrap_or_default();
    let key = match query.done.as_deref() {
        Some("created") => Some("users.done.created"),
        Some("password") => Some("users.done.password"),
        Some("sessions") => Some("users.done.sessions"),
        Some("totp") => Some("users.done.totp"),
        Some("disabled") => Some("users.done.disabled"),
        Some("enabled") => Some("users.done.enabled"),
        Some("role") => Some("users.done.role"),
        _ => None,
    };
    let notice = key.and_then(|key| success(language.language, key, &[("username", user)]));
    let outcome = UsersOutcome {
        status: StatusCode::OK,
        form: CreateForm { role: "examiner".to_owned(), ..CreateForm::default() },
        field_errors: Default::default(),
        errors: Vec::new(),
        notice,
    };
    render_users(&state, language, api, &account, outcome).await
}

/// A refused action on the list of accounts: said there, the creation
/// form's problems at its fields.
async fn users_refused(
    state: &WebState,
    language: PageLanguage,
    api: &Api,
    account: &Account,
    reply: &Reply,
    form: CreateForm,
    prefix: &str,
) -> Response {
    if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login?next=/board/users");
    }
    let mut field_errors = std::collections::BTreeMap::new();
    let mut errors = Vec::new();
    let listed: Vec<(String, String)> = reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            (
                error["pointer"].as_str().unwrap_or_default().trim_start_matches('/').to_owned(),
                error["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    if listed.is_empty() {
        errors.push(format!("{prefix}{}", reply.detail()));
    }
    for (field, detail) in listed {
        if ["username", "password", "candidate_number", "school_id"].contains(&field.as_str()) {
            field_errors.insert(field, detail);
        } else {
            errors.push(format!("{prefix}{detail}"));
        }
    }
    let outcome = UsersOutcome {
        status: if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY },
        form,
        field_errors,
        errors,
        notice: None,
    };
    render_users(state, language, api, account, outcome).await
}

pub(crate) async fn create_user(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let form = CreateForm {
        username: field(&fields, "username").trim().to_owned(),
        role: field(&fields, "role").to_owned(),
        candidate_number: field(&fields, "candidate_number").trim().to_owned(),
        school_id: field(&fields, "school_id").to_owned(),
    };
    let mut body =
        json!({"username": form.username, "password": field(&fields, "password"), "role": form.role});
    if !form.candidate_number.is_empty() {
        body["candidate_number"] = json!(form.candidate_number);
    }
    if let Ok(school) = form.school_id.parse::<i64>() {
        body["school_id"] = json!(school);
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api.call(Method::POST, "/api/users", &credentials, None, Some(&body)).await;
    if reply.ok() {
        return see_other(&format!(
            "/board/users?done=created&user={}",
            crate::auth_pages::encode(&form.username)
        ));
    }
    users_refused(&state, language, api, &account, &reply, form, "").await
}

/// The user named in the path, if it is a plain username.
fn plain(username: &str) -> bool {
    !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// One of the board's actions on a user: the API call, then back to the
/// list with its notice, or the refusal said on the list.
async fn user_action(
    state: WebState,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    username: String,
    fields: Vec<(String, String)>,
    action: UserAction,
) -> Response {
    let (account, api) = match board(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !plain(&username) {
        return crate::not_found(State(state), language).await;
    }
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let (method, route, body, done) = match action {
        UserAction::Password => (
            Method::PUT,
            format!("/api/users/{username}/password"),
            Some(json!({"new_password": field(&fields, "new_password")})),
            "password",
        ),
        UserAction::EndSessions => {
            (Method::DELETE, format!("/api/users/{username}/sessions"), None, "sessions")
        }
        UserAction::ResetTotp => (Method::DELETE, format!("/api/users/{username}/totp"), None, "totp"),
        UserAction::Active => {
            let active = field(&fields, "active") == "true";
            (
                Method::PUT,
                format!("/api/users/{username}/active"),
                Some(json!({"active": active})),
                if active { "enabled" } else { "disabled" },
            )
        }
        UserAction::Role => (
            Method::PUT,
            format!("/api/users/{username}/role"),
            Some(json!({"role": field(&fields, "role")})),
            "role",
        ),
    };
    let reply = api.call(method, &route, &credentials, None, body.as_ref()).await;
    if reply.ok() {
        return see_other(&format!("/board/users?done={done}&user={}", crate::auth_pages::encode(&username)));
    }
    let form = CreateForm { role: "examiner".to_owned(), ..CreateForm::default() };
    users_refused(&state, language, api, &account, &reply, form, &format!("{username} : ")).await
}

#[derive(Debug, Clone, Copy)]
enum UserAction {
    Password,
    EndSessions,
    ResetTotp,
    Active,
    Role,
}

pub(crate) async fn user_password(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    user_action(state, language, headers, uri, username, fields, UserAction::Password).await
}

pub(crate) async fn user_end_sessions(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    user_action(state, language, headers, uri, username, fields, UserAction::EndSessions).await
}

pub(crate) async fn user_reset_totp(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    user_action(state, language, headers, uri, username, fields, UserAction::ResetTotp).await
}

pub(crate) async fn user_active(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    user_action(state, language, headers, uri, username, fields, UserAction::Active).await
}

pub(crate) async fn user_role(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    user_action(state, language, headers, uri, username, fields, UserAction::Role).await
}

// ---------------------------------------------------------------- accounts from a file

/// The template offered for download: the columns and one example row per
/// role, UTF-8 with a BOM so that Excel reads the accents.
const IMPORT_TEMPLATE: &str = "\u{feff}utilisateur;role;numero;ecole\r\n\
    exp-exemple;expert;;\r\n\
    form-exemple;formateur;;École exemple\r\n\
    cand-exemple;candidat;2027-101;\r\n";

pub(crate) async fn import_template(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if let Err(response) = board(&state, language, &headers, &uri).await {
        return response;
    }
    let mut response = axum::response::IntoResponse::into_response((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        IMPORT_TEMPLATE,
    ));
    response.headers_mut().insert(
        axum::http::header::CONTENT_DISPOSITION,
        axum::http::HeaderValue::from_static("attachment; filename=\"comptes-modele.csv\""),
    );
    response
}

/// One problem of a file, beside the text of its line.
#[derive(Debug, Serialize)]
struct CsvProblem {
    line: Option<u64>,
    field: Option<String>,
    /// The column's name in the reader's language.
    column: Option<String>,
    detail: String,
    row: String,
}

#[derive(Debug, Serialize)]
struct ImportView {
    account: grille_report::pages::AccountLayout,
    csv: String,
    errors: Vec<CsvProblem>,
    rows: Vec<ImportLine>,
    created: Vec<CreatedLine>,
}

#[derive(Debug, Serialize)]
struct ImportLine {
    line: u64,
    username: String,
    role_key: &'static str,
    candidate_number: Option<String>,
    school: Option<String>,
}

#[derive(Debug, Serialize)]
struct CreatedLine {
    username: String,
    role_key: &'static str,
    temporary_password: String,
}

/// The CSV as the form sent it, without a BOM and with `\n` line ends.
fn clean_csv(text: &str) -> String {
    text.trim_start_matches('\u{feff}').replace("\r\n", "\n")
}

/// The text of line `line` (1 = the header) of the file, shortened.
fn csv_line(text: &str, line: u64) -> String {
    let index = usize::try_from(line).unwrap_or(0);
    if index == 0 {
        return String::new();
    }
    let row = text.lines().nth(index - 1).unwrap_or_default();
    if row.chars().count() > 120 {
        format!("{}…", row.chars().take(119).collect::<String>())
    } else {
        row.to_owned()
    }
}

fn problems(language: PageLanguage, reply: &Reply, csv: &str) -> Vec<CsvProblem> {
    if reply.status != StatusCode::UNPROCESSABLE_ENTITY {
        let detail = if reply.detail().is_empty() {
            i18n::translate(language.language, "board.error.internal")
        } else {
            reply.detail()
        };
        return vec![CsvProblem { line: None, field: None, column: None, detail, row: String::new() }];
    }
    reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|error| {
            let line = error["line"].as_u64();
            let field = error["field"].as_str().map(str::to_owned);
            let key = match field.as_deref() {
                Some("username") => Some("users.import.column_name.username"),
                Some("role") => Some("users.import.column_name.role"),
                Some("candidate_number") => Some("users.import.column_name.candidate_number"),
                Some("school") => Some("users.import.column_name.school"),
                _ => None,
            };
            CsvProblem {
                line,
                column: key.map(|key| i18n::translate(language.language, key)).or_else(|| field.clone()),
                field,
                detail: error["detail"].as_str().unwrap_or_default().to_owned(),
                row: line.map(|line| csv_line(csv, line)).unwrap_or_default(),
            }
        })
        .collect()
}

fn render_import(
    state: &WebState,
    language: PageLanguage,
    status: StatusCode,
    view: &ImportView,
) -> Response {
    language
        .respond(status, pages::render_view(&state.environment, Page::UsersImport, view, language.language))
}

pub(crate) async fn import_preview(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call_raw(
            Method::POST,
            "/api/users/csv/preview",
            &credentials,
            "text/csv; charset=utf-8",
            csv.clone(),
        )
        .await;
    if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login?next=/board/users");
    }
    let mut view = ImportView {
        account: account.view(),
        csv,
        errors: Vec::new(),
        rows: Vec::new(),
        created: Vec::new(),
    };
    if !reply.ok() {
        view.errors = problems(language, &reply, &view.csv);
        let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
        return render_import(&state, language, status, &view);
    }
    let preview: grille_server::AccountsPreview = match typed(&reply) {
        Ok(preview) => preview,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    view.rows = preview
        .accounts
        .into_iter()
        .map(|row| ImportLine {
            line: row.line,
            username: row.username,
            role_key: pages::role_key(role_name(row.role)),
            candidate_number: row.candidate_number,
            school: row.school,
        })
        .collect();
    render_import(&state, language, StatusCode::OK, &view)
}

pub(crate) async fn import_confirm(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    uri: Uri,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let (account, api) = match board(&state, language, &headers, &uri).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let csv = clean_csv(field(&fields, "csv"));
    let credentials = account.credentials(Some(field(&fields, "csrf")));
    let reply = api
        .call_raw(Method::POST, "/api/users/csv", &credentials, "text/csv; charset=utf-8", csv.clone())
        .await;
    if reply.status == StatusCode::UNAUTHORIZED {
        return see_other("/login?next=/board/users");
    }
    let mut view = ImportView {
        account: account.view(),
        csv,
        errors: Vec::new(),
        rows: Vec::new(),
        created: Vec::new(),
    };
    if !reply.ok() {
        view.errors = problems(language, &reply, &view.csv);
        let status = if reply.status.is_client_error() { reply.status } else { StatusCode::BAD_GATEWAY };
        return render_import(&state, language, status, &view);
    }
    let imported: grille_server::AccountsImported = match typed(&reply) {
        Ok(imported) => imported,
        Err(detail) => return internal(&state, language, &account, detail),
    };
    // The passwords are shown on this answer only: never in an address,
    // and the page is not kept (no-store).
    view.csv.clear();
    view.created = imported
        .created
        .into_iter()
        .map(|line| CreatedLine {
            username: line.username,
            role_key: pages::role_key(role_name(line.role)),
            temporary_password: line.temporary_password,
        })
        .collect();
    render_import(&state, language, StatusCode::CREATED, &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_named_by_browser_and_system() {
        for (agent, name) in [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0",
                "Edge · Windows",
            ),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox · Linux"),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1",
                "Safari · iPhone",
            ),
            ("curl/8.5.0", "curl"),
            ("something else", "something else"),
        ] {
            assert_eq!(device_name(agent), name, "{agent}");
        }
    }

    #[test]
    fn the_qr_code_is_inline_svg_without_style() {
        let svg = qr_svg("otpauth://totp/grille:anna?secret=JBSWY3DPEHPK3PXP&issuer=grille").unwrap();
        assert!(svg.starts_with("<svg class=\"totp-qr\""), "{svg}");
        assert!(svg.ends_with("</svg>") && !svg.contains("style"), "{svg}");
    }
}
