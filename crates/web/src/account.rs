//! Accounts in the browser: every signed-in user's own security page (the
//! login sessions open on their account, each ended here; the second
//! factor turned on with its key and one-time recovery codes, or off), and
//! the board's list of accounts (create one, give a new password to who
//! forgot theirs, end someone's sessions, remove a lost second factor).
//!
//! Every read and write goes through the JSON API in-process with the
//! browser's cookie, read into the API's own types and written with its
//! request types (`grille_server::LoginSessionView`, `AccountView`,
//! `CreateUserRequest`, `CodeRequest`, ...): the server decides, the pages
//! show. The security pages are any signed-in user's ([`SignedIn`]), the
//! list of accounts the board's ([`BoardAccount`]). Times are Swiss local
//! time.
//!
//! Routes: `GET /account/security`, `POST /account/sessions/{id}/end`,
//! `POST /account/sessions/end-others`, `POST /account/totp/start`,
//! `.../confirm`, `.../disable`; `GET|POST /board/users`, `POST
//! /board/users/{username}/password`, `.../sessions/end`,
//! `.../totp/reset`, `.../active`, `.../role`; `GET
//! /board/users/template.csv`, `POST /board/users/import/preview`,
//! `.../confirm` (a file of accounts checked, then created all or none,
//! their temporary passwords shown once).

use std::collections::BTreeMap;

use axum::extract::{Form, Path, Query};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use grille_report::examiner::{self as pages, Page};
use grille_report::i18n::{self, Language};
use grille_server::{
    AccountView, AccountsImported, AccountsPreview, ActiveChanged, ActiveRequest, CodeRequest,
    CreateUserRequest, LoginSessionView, PasswordReset, ResetPasswordRequest, RoleDto, RoleRequest,
    SchoolView, SessionsEnded, TotpEnrolment, TotpStatus, UserView,
};
use grille_workflow::time::swiss_display;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::api::{Refusal, Reply};
use crate::auth_pages::{Notice, login_redirect, see_other};
use crate::page::{BoardAccount, PageError, SignedIn, Visit};

/// The account's security (sessions, second factor) and the board's users.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/account/security", get(security))
        .route("/account/sessions/{id}/end", post(end_session))
        .route("/account/sessions/end-others", post(end_other_sessions))
        .route("/account/totp/start", post(totp_start))
        .route("/account/email", post(own_email))
        .route("/account/totp/confirm", post(totp_confirm))
        .route("/account/totp/disable", post(totp_disable))
        .route("/board/users", get(users).post(create_user))
        .route("/board/users/{username}/password", user_route(UserAction::Password))
        .route("/board/users/{username}/sessions/end", user_route(UserAction::EndSessions))
        .route("/board/users/{username}/totp/reset", user_route(UserAction::ResetTotp))
        .route("/board/users/{username}/active", user_route(UserAction::Active))
        .route("/board/users/{username}/role", user_route(UserAction::Role))
        .route("/board/users/{username}/email", user_route(UserAction::Email))
        .route("/board/users/{username}/password/temporary", post(user_temporary_password))
        .route("/board/users/template.csv", get(import_template))
        .route("/board/users/import/preview", post(import_preview))
        .route("/board/users/import/confirm", post(import_confirm))
}

/// The security page, where its forms' refusals are said.
const SECURITY: &str = "/account/security";
/// The board's list of accounts, where its forms' refusals are said.
const USERS: &str = "/board/users";

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str()).unwrap_or_default()
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

/// Whether a form of these pages says this refusal itself: a client error
/// other than an expired login or a stale form (those, and the server's
/// errors, are the refusal page).
fn form_answers(reply: &Reply) -> bool {
    reply.status.is_client_error()
        && reply.status != StatusCode::UNAUTHORIZED
        && reply.kind() != "urn:grille:csrf"
}

/// The page saying why the API refused; an expired login comes back to
/// `page`, the page of the form (its post has no page of its own).
fn refused(visit: &Visit, refusal: Refusal, page: &str) -> PageError {
    match &refusal {
        Refusal::Answer(reply) if reply.status == StatusCode::UNAUTHORIZED => {
            PageError::from(login_redirect(page))
        }
        _ => visit.refused(refusal),
    }
}

/// `GET uri`, typed, for a page that also answers its forms' posts: an
/// expired login comes back to `page`.
async fn read<T: DeserializeOwned + 'static>(visit: &Visit, uri: &str, page: &str) -> Result<T, PageError> {
    visit.api.get::<T>(uri, &visit.reading()).await.map_err(|refusal| refused(visit, refusal, page))
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
    /// The account's e-mail address, which the user sets themselves.
    email: Option<String>,
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

    /// The first code was wrong: the same key and codes again (or none),
    /// and the problem at the code.
    fn wrong_code(visit: &Visit, enrolment: Option<EnrolmentView>) -> SecurityOutcome {
        SecurityOutcome {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            notice: None,
            enrolment,
            code_error: Some(visit.tr("security.totp.wrong_code")),
        }
    }
}

async fn render_security(visit: &Visit, outcome: SecurityOutcome) -> Result<Response, PageError> {
    let sessions: Vec<LoginSessionView> = read(visit, "/api/me/sessions", SECURITY).await?;
    let totp: TotpStatus = read(visit, "/api/me/totp", SECURITY).await?;
    let email: grille_server::EmailView = read(visit, "/api/me/email", SECURITY).await?;
    let others = sessions.iter().filter(|session| !session.current).count();
    let totp_required = totp.required;
    let view = SecurityView {
        account: visit.account.view(),
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
        email: email.email,
        notice: outcome.notice,
    };
    let language = visit.language;
    Ok(language.respond(
        outcome.status,
        pages::render_view(&visit.state.environment, Page::Security, &view, language.language),
    ))
}

pub(crate) async fn security(visit: SignedIn, Query(query): Query<DoneQuery>) -> Result<Response, PageError> {
    let key = match query.done.as_deref() {
        Some("ended") => Some("security.done.ended"),
        Some("ended_others") => Some("security.done.ended_others"),
        Some("totp_on") => Some("security.done.totp_on"),
        Some("totp_off") => Some("security.done.totp_off"),
        Some("email") => Some("security.done.email"),
        _ => None,
    };
    let notice = key.and_then(|key| success(visit.language.language, key, &[]));
    render_security(&visit, SecurityOutcome::ok(notice)).await
}

/// A refused action on the security page: said there, or the page saying
/// why.
async fn security_refused(visit: &Visit, refusal: Refusal) -> Result<Response, PageError> {
    match refusal {
        Refusal::Answer(reply) if form_answers(&reply) => {
            let outcome = SecurityOutcome {
                status: reply.status,
                notice: Some(Notice { kind: "error", text: reply.detail() }),
                enrolment: None,
                code_error: None,
            };
            render_security(visit, outcome).await
        }
        refusal => Err(refused(visit, refusal, SECURITY)),
    }
}

/// Whether the API refused a second factor's code (wrong, or used).
fn wrong_code(refusal: &Refusal) -> bool {
    matches!(refusal, Refusal::Answer(reply)
        if reply.status == StatusCode::UNPROCESSABLE_ENTITY || reply.kind() == "urn:grille:second-factor-invalid")
}

pub(crate) async fn end_session(
    visit: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let uri = format!("/api/me/sessions/{id}");
    match visit.send::<SessionsEnded>(Method::DELETE, &uri, field(&fields, "csrf"), None, None::<&()>).await {
        Ok(_) => Ok(see_other("/account/security?done=ended")),
        Err(refusal) => security_refused(&visit, refusal).await,
    }
}

pub(crate) async fn end_other_sessions(
    visit: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let sessions: Vec<LoginSessionView> = read(&visit, "/api/me/sessions", SECURITY).await?;
    let csrf = field(&fields, "csrf");
    for session in sessions.iter().filter(|session| !session.current) {
        let uri = format!("/api/me/sessions/{}", session.id);
        match visit.send::<SessionsEnded>(Method::DELETE, &uri, csrf, None, None::<&()>).await {
            Ok(_) => {}
            // A session that ended meanwhile is no failure.
            Err(Refusal::Answer(reply)) if reply.status == StatusCode::NOT_FOUND => {}
            Err(refusal) => return security_refused(&visit, refusal).await,
        }
    }
    Ok(see_other("/account/security?done=ended_others"))
}

/// `POST /account/email`: the user sets (or with an empty field removes)
/// their own e-mail address.
pub(crate) async fn own_email(
    visit: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let request = grille_server::EmailRequest { email: Some(field(&fields, "email").to_owned()) };
    let csrf = field(&fields, "csrf");
    match visit
        .send::<grille_server::EmailView>(Method::PUT, "/api/me/email", csrf, None, Some(&request))
        .await
    {
        Ok(_) => Ok(see_other("/account/security?done=email")),
        Err(refusal) => security_refused(&visit, refusal).await,
    }
}

pub(crate) async fn totp_start(
    visit: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = field(&fields, "csrf");
    match visit.send::<TotpEnrolment>(Method::POST, "/api/me/totp", csrf, None, None::<&()>).await {
        Ok(enrolment) => {
            let outcome = SecurityOutcome {
                enrolment: Some(EnrolmentView::of(
                    enrolment.secret,
                    enrolment.otpauth_uri,
                    enrolment.recovery_codes,
                )),
                ..SecurityOutcome::ok(None)
            };
            render_security(&visit, outcome).await
        }
        Err(refusal) => security_refused(&visit, refusal).await,
    }
}

pub(crate) async fn totp_confirm(
    visit: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let request = CodeRequest { code: field(&fields, "code").to_owned() };
    let csrf = field(&fields, "csrf");
    match visit.send::<TotpStatus>(Method::POST, "/api/me/totp/confirm", csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other("/account/security?done=totp_on")),
        Err(refusal) if wrong_code(&refusal) => {
            // The same key and codes again, and the problem at the code.
            let codes = fields
                .iter()
                .filter(|(key, _)| key == "recovery_code")
                .map(|(_, code)| code.clone())
                .collect();
            let enrolment = EnrolmentView::of(
                field(&fields, "secret").to_owned(),
                field(&fields, "otpauth_uri").to_owned(),
                codes,
            );
            render_security(&visit, SecurityOutcome::wrong_code(&visit, Some(enrolment))).await
        }
        Err(refusal) => security_refused(&visit, refusal).await,
    }
}

pub(crate) async fn totp_disable(
    visit: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let request = CodeRequest { code: field(&fields, "code").to_owned() };
    let csrf = field(&fields, "csrf");
    match visit.send::<TotpStatus>(Method::DELETE, "/api/me/totp", csrf, None, Some(&request)).await {
        Ok(_) => Ok(see_other("/account/security?done=totp_off")),
        Err(refusal) if wrong_code(&refusal) => {
            render_security(&visit, SecurityOutcome::wrong_code(&visit, None)).await
        }
        Err(refusal) => security_refused(&visit, refusal).await,
    }
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
    email: Option<String>,
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
    /// An SMTP relay is configured: temporary passwords can be e-mailed.
    mail: bool,
    /// A temporary password just given, shown this once.
    temporary: Option<ShownPassword>,
}

#[derive(Debug, Serialize)]
struct ShownPassword {
    username: String,
    password: String,
}

fn role_name(role: RoleDto) -> &'static str {
    match role {
        RoleDto::Admin => "admin",
        RoleDto::Examiner => "examiner",
        RoleDto::Trainer => "trainer",
        RoleDto::Candidate => "candidate",
    }
}

/// A role as the forms send it (`examiner`, ...).
fn role_of(value: &str) -> Option<RoleDto> {
    [RoleDto::Examiner, RoleDto::Trainer, RoleDto::Candidate, RoleDto::Admin]
        .into_iter()
        .find(|role| role.as_str() == value)
}

struct UsersOutcome {
    status: StatusCode,
    form: CreateForm,
    field_errors: BTreeMap<String, String>,
    errors: Vec<String>,
    notice: Option<Notice>,
    temporary: Option<ShownPassword>,
}

impl UsersOutcome {
    /// The list with an empty creation form.
    fn listed(status: StatusCode, errors: Vec<String>, notice: Option<Notice>) -> UsersOutcome {
        let form = CreateForm { role: "examiner".to_owned(), ..CreateForm::default() };
        UsersOutcome { status, form, field_errors: BTreeMap::new(), errors, notice, temporary: None }
    }
}

async fn render_users(board: &BoardAccount, outcome: UsersOutcome) -> Result<Response, PageError> {
    let users: Vec<AccountView> = read(board, "/api/users", USERS).await?;
    let schools: Vec<SchoolView> = read(board, "/api/schools", USERS).await?;
    let account = &board.account;
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
                email: line.email,
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
        mail: board.api.mail_configured(),
        temporary: outcome.temporary,
    };
    let language = board.language;
    Ok(language.respond(
        outcome.status,
        pages::render_view(&board.state.environment, Page::Users, &view, language.language),
    ))
}

pub(crate) async fn users(
    board: BoardAccount,
    Query(query): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let user = query.user.clone().unwrap_or_default();
    let key = match query.done.as_deref() {
        Some("created") => Some("users.done.created"),
        Some("password") => Some("users.done.password"),
        Some("sessions") => Some("users.done.sessions"),
        Some("totp") => Some("users.done.totp"),
        Some("disabled") => Some("users.done.disabled"),
        Some("enabled") => Some("users.done.enabled"),
        Some("role") => Some("users.done.role"),
        Some("email") => Some("users.done.email"),
        _ => None,
    };
    let notice = key.and_then(|key| success(board.language.language, key, &[("username", user)]));
    render_users(&board, UsersOutcome::listed(StatusCode::OK, Vec::new(), notice)).await
}

/// The fields of the creation form a problem is shown at.
const FORM_FIELDS: [&str; 4] = ["username", "password", "candidate_number", "school_id"];

/// A refused action on the list of accounts: said there (each problem
/// after `prefix`, the creation form's at its fields), or the page saying
/// why.
async fn users_refused(
    board: &BoardAccount,
    refusal: Refusal,
    form: CreateForm,
    prefix: &str,
) -> Result<Response, PageError> {
    let reply = match refusal {
        Refusal::Answer(reply) if form_answers(&reply) => reply,
        refusal => return Err(refused(board, refusal, USERS)),
    };
    let problem = reply.problem();
    let mut field_errors = BTreeMap::new();
    let mut errors = Vec::new();
    if problem.errors.is_empty() {
        errors.push(format!("{prefix}{}", reply.detail()));
    }
    for error in problem.errors {
        let text = crate::api::error_text(&error, board.language.language);
        let field = error.pointer.as_deref().unwrap_or_default().trim_start_matches('/');
        if FORM_FIELDS.contains(&field) {
            field_errors.insert(field.to_owned(), text);
        } else {
            errors.push(format!("{prefix}{text}"));
        }
    }
    let outcome =
        UsersOutcome { status: reply.status, form, field_errors, errors, notice: None, temporary: None };
    render_users(board, outcome).await
}

pub(crate) async fn create_user(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = CreateForm {
        username: field(&fields, "username").trim().to_owned(),
        role: field(&fields, "role").to_owned(),
        candidate_number: field(&fields, "candidate_number").trim().to_owned(),
        school_id: field(&fields, "school_id").to_owned(),
    };
    let Some(role) = role_of(&form.role) else {
        let outcome = UsersOutcome {
            errors: vec![board.tr("users.unknown_role")],
            form,
            ..UsersOutcome::listed(StatusCode::UNPROCESSABLE_ENTITY, Vec::new(), None)
        };
        return render_users(&board, outcome).await;
    };
    let request = CreateUserRequest {
        username: form.username.clone(),
        password: field(&fields, "password").to_owned(),
        role,
        candidate_number: Some(form.candidate_number.clone()).filter(|number| !number.is_empty()),
        school_id: form.school_id.parse::<i64>().ok(),
    };
    let csrf = field(&fields, "csrf");
    match board.send::<UserView>(Method::POST, "/api/users", csrf, None, Some(&request)).await {
        Ok(created) => Ok(see_other(&format!(
            "/board/users?done=created&user={}",
            crate::auth_pages::encode(&created.username)
        ))),
        Err(refusal) => users_refused(&board, refusal, form, "").await,
    }
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
    board: BoardAccount,
    username: String,
    fields: Vec<(String, String)>,
    action: UserAction,
) -> Result<Response, PageError> {
    if !plain(&username) {
        return Ok(crate::not_found_page(&board.state, board.language));
    }
    let csrf = field(&fields, "csrf");
    let user = format!("/api/users/{username}");
    let done = match action {
        UserAction::Password => {
            let request = ResetPasswordRequest { new_password: field(&fields, "new_password").to_owned() };
            let uri = format!("{user}/password");
            board
                .send::<PasswordReset>(Method::PUT, &uri, csrf, None, Some(&request))
                .await
                .map(|_| "password")
        }
        UserAction::EndSessions => {
            let uri = format!("{user}/sessions");
            board
                .send::<SessionsEnded>(Method::DELETE, &uri, csrf, None, None::<&()>)
                .await
                .map(|_| "sessions")
        }
        UserAction::ResetTotp => {
            let uri = format!("{user}/totp");
            board.send::<SessionsEnded>(Method::DELETE, &uri, csrf, None, None::<&()>).await.map(|_| "totp")
        }
        UserAction::Active => {
            let request = ActiveRequest { active: field(&fields, "active") == "true" };
            let uri = format!("{user}/active");
            board
                .send::<ActiveChanged>(Method::PUT, &uri, csrf, None, Some(&request))
                .await
                .map(|changed| if changed.active { "enabled" } else { "disabled" })
        }
        UserAction::Role => {
            let Some(role) = role_of(field(&fields, "role")) else {
                let errors = vec![grille_report::i18n::labelled(
                    board.language.language,
                    &username,
                    &board.tr("users.unknown_role"),
                )];
                let outcome = UsersOutcome::listed(StatusCode::UNPROCESSABLE_ENTITY, errors, None);
                return render_users(&board, outcome).await;
            };
            let uri = format!("{user}/role");
            board
                .send::<UserView>(Method::PUT, &uri, csrf, None, Some(&RoleRequest { role }))
                .await
                .map(|_| "role")
        }
        UserAction::Email => {
            let request = grille_server::EmailRequest { email: Some(field(&fields, "email").to_owned()) };
            let uri = format!("{user}/email");
            board
                .send::<grille_server::EmailView>(Method::PUT, &uri, csrf, None, Some(&request))
                .await
                .map(|_| "email")
        }
    };
    match done {
        Ok(done) => {
            Ok(see_other(&format!("/board/users?done={done}&user={}", crate::auth_pages::encode(&username))))
        }
        Err(refusal) => {
            let form = CreateForm { role: "examiner".to_owned(), ..CreateForm::default() };
            users_refused(&board, refusal, form, &format!("{username} : ")).await
        }
    }
}

/// The route of one action on an account from the board's users page
/// (`POST /board/users/{username}/…`).
fn user_route(action: UserAction) -> axum::routing::MethodRouter<crate::WebState> {
    axum::routing::post(
        move |board: BoardAccount,
              Path(username): Path<String>,
              Form(fields): Form<Vec<(String, String)>>| {
            user_action(board, username, fields, action)
        },
    )
}

#[derive(Debug, Clone, Copy)]
enum UserAction {
    Password,
    EndSessions,
    ResetTotp,
    Active,
    Role,
    Email,
}

/// `POST /board/users/{username}/password/temporary`: a temporary
/// password, shown on the page this once (never in an address) or e-mailed
/// to the account's address.
pub(crate) async fn user_temporary_password(
    board: BoardAccount,
    Path(username): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !plain(&username) {
        return Ok(crate::not_found_page(&board.state, board.language));
    }
    let delivery = if field(&fields, "delivery") == "email" {
        grille_server::Delivery::Email
    } else {
        grille_server::Delivery::Show
    };
    let request = grille_server::TemporaryPasswordRequest {
        delivery,
        language: Some(board.language.language.code().to_owned()),
    };
    let uri = format!("/api/users/{username}/password/temporary");
    let csrf = field(&fields, "csrf");
    match board.send::<grille_server::TemporaryPassword>(Method::POST, &uri, csrf, None, Some(&request)).await
    {
        Ok(given) => {
            let language = board.language.language;
            let outcome = match (given.password, given.sent_to) {
                (Some(password), _) => {
                    let mut outcome = UsersOutcome::listed(StatusCode::OK, Vec::new(), None);
                    outcome.temporary = Some(ShownPassword { username: given.username, password });
                    outcome
                }
                (None, address) => {
                    let arguments = [("username", given.username), ("address", address.unwrap_or_default())];
                    let notice = success(language, "users.temporary.sent", &arguments);
                    UsersOutcome::listed(StatusCode::OK, Vec::new(), notice)
                }
            };
            render_users(&board, outcome).await
        }
        Err(refusal) => {
            let form = CreateForm { role: "examiner".to_owned(), ..CreateForm::default() };
            users_refused(&board, refusal, form, &format!("{username} : ")).await
        }
    }
}

// ---------------------------------------------------------------- accounts from a file

/// The template offered for download: the columns and one example row per
/// role, UTF-8 with a BOM so that Excel reads the accents.
const IMPORT_TEMPLATE: &str = "\u{feff}utilisateur;role;numero;ecole\r\n\
    exp-exemple;expert;;\r\n\
    form-exemple;formateur;;École exemple\r\n\
    cand-exemple;candidat;2027-101;\r\n";

pub(crate) async fn import_template(_board: BoardAccount) -> Response {
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

/// The problems of a refused file, at their lines and columns, and the
/// status to show them with; the page saying why for an expired login, a
/// stale form or an error of the server.
fn problems(
    board: &BoardAccount,
    refusal: Refusal,
    csv: &str,
) -> Result<(StatusCode, Vec<CsvProblem>), PageError> {
    let reply = match refusal {
        Refusal::Answer(reply) if form_answers(&reply) => reply,
        refusal => return Err(refused(board, refusal, USERS)),
    };
    let problem = reply.problem();
    if reply.status != StatusCode::UNPROCESSABLE_ENTITY || problem.errors.is_empty() {
        let detail = reply.detail();
        let detail = if detail.is_empty() { board.tr("board.error.internal") } else { detail };
        let problem = CsvProblem { line: None, field: None, column: None, detail, row: String::new() };
        return Ok((reply.status, vec![problem]));
    }
    let listed = problem
        .errors
        .into_iter()
        .map(|error| {
            let key = match error.field.as_deref() {
                Some("username") => Some("users.import.column_name.username"),
                Some("role") => Some("users.import.column_name.role"),
                Some("candidate_number") => Some("users.import.column_name.candidate_number"),
                Some("school") => Some("users.import.column_name.school"),
                _ => None,
            };
            CsvProblem {
                line: error.line,
                column: key.map(|key| board.tr(key)).or_else(|| error.field.clone()),
                detail: crate::api::error_text(&error, board.language.language),
                field: error.field,
                row: error.line.map(|line| csv_line(csv, line)).unwrap_or_default(),
            }
        })
        .collect();
    Ok((reply.status, listed))
}

fn render_import(board: &BoardAccount, status: StatusCode, view: &ImportView) -> Response {
    let language = board.language;
    language.respond(
        status,
        pages::render_view(&board.state.environment, Page::UsersImport, view, language.language),
    )
}

/// The file of the form sent to `uri` (raw CSV), its answer typed.
async fn upload<T: DeserializeOwned>(
    board: &BoardAccount,
    uri: &str,
    fields: &[(String, String)],
    csv: &str,
) -> Result<T, Refusal> {
    let credentials = board.writing(field(fields, "csrf"));
    let reply =
        board.api.call_raw(Method::POST, uri, &credentials, "text/csv; charset=utf-8", csv.to_owned()).await;
    reply.into_typed(uri)
}

pub(crate) async fn import_preview(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csv = clean_csv(field(&fields, "csv"));
    let checked = upload::<AccountsPreview>(&board, "/api/users/csv/preview", &fields, &csv).await;
    let mut view = ImportView {
        account: board.account.view(),
        csv,
        errors: Vec::new(),
        rows: Vec::new(),
        created: Vec::new(),
    };
    let preview = match checked {
        Ok(preview) => preview,
        Err(refusal) => {
            let (status, errors) = problems(&board, refusal, &view.csv)?;
            view.errors = errors;
            return Ok(render_import(&board, status, &view));
        }
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
    Ok(render_import(&board, StatusCode::OK, &view))
}

pub(crate) async fn import_confirm(
    board: BoardAccount,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csv = clean_csv(field(&fields, "csv"));
    let saved = upload::<AccountsImported>(&board, "/api/users/csv", &fields, &csv).await;
    let mut view = ImportView {
        account: board.account.view(),
        csv,
        errors: Vec::new(),
        rows: Vec::new(),
        created: Vec::new(),
    };
    let imported = match saved {
        Ok(imported) => imported,
        Err(refusal) => {
            let (status, errors) = problems(&board, refusal, &view.csv)?;
            view.errors = errors;
            return Ok(render_import(&board, status, &view));
        }
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
    Ok(render_import(&board, StatusCode::CREATED, &view))
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
