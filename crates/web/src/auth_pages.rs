//! Login and logout pages for every role, and the helpers every page
//! behind a login uses: who is logged in (asked of the API with the
//! browser's cookie), the redirect to the login page and back, and the
//! CSRF token of forms.
//!
//! * `GET /login` shows the form; the form carries a login CSRF token
//!   (double submit: the same random value in a `SameSite=Strict` cookie
//!   and a hidden field), so that no other site can log a browser into an
//!   account of its choosing.
//! * `POST /login` calls `POST /api/login`, passes its session and CSRF
//!   cookies on, and sends the user back where they came from (`next`,
//!   local paths only) or to their role's home. A wrong password is said
//!   plainly; the login slowdown's 429 becomes "réessayez dans N s".
//! * `POST /logout` needs the session's CSRF token in the form.
//! * `GET /account`: an examiner goes to their candidates; other roles see
//!   what they can do (the board's pages come later).

// Handlers return a ready `Response` as their early exit (a redirect to
// the login, a refusal page): boxing it would only add noise.
#![allow(clippy::result_large_err)]

use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use grille_report::examiner::{self as pages, Page};
use grille_report::pages::AccountLayout;
use grille_server::{
    ChangePasswordRequest, LoggedOut, LoginRequest, LoginResponse, PasswordChanged, RoleDto, UserView,
};
use serde::Serialize;

use crate::api::{Api, Credentials, Refusal, Reply};
use crate::page::{PageError, SignedIn};
use crate::{PageLanguage, WebState};

/// Logging in and out, and the account pages every role shares.
pub(crate) fn router() -> axum::Router<crate::WebState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/password", get(password).post(password_post))
}

/// The cookie of the login form's CSRF token.
const LOGIN_CSRF_COOKIE: &str = "grille_login_csrf";

/// A cookie of the request.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub(crate) username: String,
    pub(crate) role: RoleDto,
    /// The session's CSRF token (from its readable cookie), put in forms.
    pub(crate) csrf: String,
    /// The browser's cookies, passed on to the API.
    pub(crate) cookie: String,
    /// A candidate's exam language, from the register.
    pub(crate) exam_language: Option<grille_report::i18n::Language>,
}

/// Where `role` lands after login.
fn home_of(role: RoleDto) -> &'static str {
    match role {
        RoleDto::Examiner => "/examiner",
        RoleDto::Admin => crate::board::HOME,
        RoleDto::Candidate => "/candidate",
        RoleDto::Trainer => "/trainer",
    }
}

impl Account {
    /// Where this role lands after login.
    pub(crate) fn home(&self) -> &'static str {
        home_of(self.role)
    }

    /// The `account` object of the page layout.
    pub(crate) fn view(&self) -> AccountLayout {
        AccountLayout {
            username: self.username.clone(),
            role: self.role.as_str(),
            csrf: self.csrf.clone(),
            home: self.home(),
        }
    }

    /// Who is logged in, as the header of a page shows it.
    pub(crate) fn viewer(&self) -> grille_report::pages::Viewer {
        grille_report::pages::Viewer {
            username: self.username.clone(),
            home: self.home().to_owned(),
            csrf: self.csrf.clone(),
        }
    }

    /// Credentials for a read (GET) or, with `csrf`, a write.
    pub(crate) fn credentials(&self, csrf: Option<&str>) -> Credentials {
        Credentials {
            cookie: Some(self.cookie.clone()),
            csrf: csrf.map(str::to_owned),
            user_agent: None,
            language: None,
        }
    }
}

/// The API, or the answer saying that logins are not available (the pages
/// were built without the server's state).
pub(crate) fn api_of(state: &WebState, language: PageLanguage) -> Result<&Api, Response> {
    state.api.as_ref().ok_or_else(|| {
        error_page(state, language, None, StatusCode::NOT_FOUND, "examiner.error.not_found", {
            grille_report::i18n::translate(language.language, "login.error.unavailable")
        })
    })
}

/// Who is logged in, if anyone: the API's `/api/me` with the browser's
/// cookie (`None` without the API, without a session cookie, or when the
/// session has expired).
pub(crate) async fn current_account(state: &WebState, headers: &HeaderMap) -> Option<Account> {
    let api = state.api.as_ref()?;
    cookie_value(headers, grille_server::auth::SESSION_COOKIE)?;
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let credentials = Credentials { cookie: Some(cookie.clone()), csrf: None, ..Credentials::default() };
    let me = api.get::<UserView>("/api/me", &credentials).await.ok()?;
    Some(Account {
        username: me.username,
        role: me.role,
        csrf: cookie_value(headers, grille_server::auth::CSRF_COOKIE).unwrap_or_default(),
        cookie,
        exam_language: me.exam_language.map(|language| language.language()),
    })
}

/// Who is logged in, or the redirect to the login page (and back to `uri`).
pub(crate) async fn require_account(
    state: &WebState,
    language: PageLanguage,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Account, Response> {
    api_of(state, language)?;
    current_account(state, headers)
        .await
        .ok_or_else(|| login_redirect(uri.path_and_query().map(|path| path.as_str()).unwrap_or("/")))
}

pub(crate) use crate::page::Notice;

/// Percent-encodes a query value.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// 303 to `location`.
pub(crate) fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// The login page, coming back to `next` (a path and query) afterwards.
pub(crate) fn login_redirect(next: &str) -> Response {
    see_other(&format!("/login?next={}", encode(next)))
}

/// Only local paths are followed after login (no `//host`, no scheme).
fn safe_next(next: &str) -> Option<&str> {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    (local && !next.contains(['\r', '\n'])).then_some(next)
}

/// A page with an error message.
pub(crate) fn error_page(
    state: &WebState,
    language: PageLanguage,
    account: Option<&Account>,
    status: StatusCode,
    title_key: &str,
    detail: String,
) -> Response {
    render_error(&state.environment, language, account, status, title_key, detail)
}

/// What the error page shows.
#[derive(serde::Serialize)]
struct ErrorView<'a> {
    account: Option<AccountLayout>,
    title_key: &'a str,
    detail: String,
    back: &'static str,
}

/// The error page, rendered with `environment`.
pub(crate) fn render_error(
    environment: &minijinja::Environment<'static>,
    language: PageLanguage,
    account: Option<&Account>,
    status: StatusCode,
    title_key: &str,
    detail: String,
) -> Response {
    let view = ErrorView {
        account: account.map(Account::view),
        title_key,
        detail,
        back: account.map(Account::home).unwrap_or("/login"),
    };
    language.respond(status, pages::render_view(environment, Page::Error, &view, language.language))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    logged_out: Option<String>,
}

/// What the login page shows (never the password).
#[derive(Serialize)]
struct LoginView<'a> {
    csrf: &'a str,
    next: &'a str,
    username: &'a str,
    message: Option<Notice>,
}

fn login_form(
    state: &WebState,
    language: PageLanguage,
    status: StatusCode,
    next: &str,
    username: &str,
    message: Option<(&'static str, String)>,
) -> Response {
    let token = grille_server::auth::random_token().unwrap_or_default();
    let view = LoginView {
        csrf: &token,
        next,
        username,
        message: message.map(|(kind, text)| Notice { kind, text }),
    };
    let mut response = language
        .respond(status, pages::render_page(&state.environment, Page::Login, &view, language.language));
    let cookie = format!("{LOGIN_CSRF_COOKIE}={token}; Path=/login; SameSite=Strict; HttpOnly; Max-Age=3600");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(crate) async fn login_page(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    axum::extract::Query(query): axum::extract::Query<LoginQuery>,
) -> Response {
    let next = query.next.as_deref().and_then(safe_next).unwrap_or("");
    if state.api.is_some()
        && cookie_value(&headers, grille_server::auth::SESSION_COOKIE).is_some()
        && let Ok(account) = require_account(&state, language, &headers, &Uri::from_static("/")).await
    {
        return see_other(if next.is_empty() { account.home() } else { next });
    }
    let tr = |key: &str| grille_report::i18n::translate(language.language, key);
    let message = if query.logged_out.is_some() {
        Some(("success", tr("login.logged_out")))
    } else if !next.is_empty() {
        Some(("info", tr("login.required")))
    } else {
        None
    };
    login_form(&state, language, StatusCode::OK, next, "", message)
}

/// The login form. No `Debug`: it holds a password.
#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    /// The second factor's code, for an account that has one.
    #[serde(default)]
    code: String,
}

pub(crate) async fn login_submit(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let api = match api_of(&state, language) {
        Ok(api) => api,
        Err(response) => return response,
    };
    let tr = |key: &str| grille_report::i18n::translate(language.language, key);
    let next = safe_next(&form.next).unwrap_or("").to_owned();
    let expected = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || expected != form.csrf {
        let message = Some(("error", tr("login.error.csrf")));
        return login_form(&state, language, StatusCode::FORBIDDEN, &next, &form.username, message);
    }
    let code = form.code.trim();
    let request = LoginRequest {
        username: form.username.trim().to_owned(),
        password: form.password,
        code: (!code.is_empty()).then(|| code.to_owned()),
    };
    let credentials = Credentials {
        user_agent: headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).map(str::to_owned),
        ..Credentials::default()
    };
    // Sent raw: the session's cookies are in the answer's headers.
    let Ok(body) = serde_json::to_string(&request) else {
        return error_page(
            &state,
            language,
            None,
            StatusCode::INTERNAL_SERVER_ERROR,
            "board.error.internal",
            tr("board.error.internal"),
        );
    };
    let reply = api.call_raw(Method::POST, "/api/login", &credentials, "application/json", body).await;
    match reply.status {
        StatusCode::OK => {
            let cookies: Vec<HeaderValue> =
                reply.headers.get_all(header::SET_COOKIE).iter().cloned().collect();
            let home = match reply.into_typed::<LoginResponse>("/api/login") {
                Ok(login) => home_of(login.user.role),
                // Logged in all the same: the account page sends each
                // role home. The answer holds the session's token: its
                // text is not logged.
                Err(_) => {
                    eprintln!("grille-web: the answer of /api/login does not match its type");
                    "/account"
                }
            };
            let mut response = see_other(if next.is_empty() { home } else { &next });
            for cookie in cookies {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            let clear = format!("{LOGIN_CSRF_COOKIE}=; Path=/login; SameSite=Strict; HttpOnly; Max-Age=0");
            if let Ok(value) = HeaderValue::from_str(&clear) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds = reply
                .headers
                .get(header::RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("60")
                .to_owned();
            let text = grille_report::i18n::format(&tr("login.error.throttled"), &[("seconds", seconds)]);
            login_form(
                &state,
                language,
                StatusCode::TOO_MANY_REQUESTS,
                &next,
                &form.username,
                Some(("error", text)),
            )
        }
        StatusCode::UNAUTHORIZED if reply.kind() == "urn:grille:second-factor-required" => {
            let message = Some(("info", tr("login.error.code_required")));
            login_form(&state, language, StatusCode::UNAUTHORIZED, &next, &form.username, message)
        }
        StatusCode::UNAUTHORIZED if reply.kind() == "urn:grille:second-factor-invalid" => {
            let message = Some(("error", tr("login.error.code_invalid")));
            login_form(&state, language, StatusCode::UNAUTHORIZED, &next, &form.username, message)
        }
        // The only refusal of a right password: the board disabled the account.
        StatusCode::FORBIDDEN if reply.kind() == "urn:grille:denied" => {
            let message = Some(("error", tr("login.error.disabled")));
            login_form(&state, language, StatusCode::FORBIDDEN, &next, &form.username, message)
        }
        StatusCode::UNAUTHORIZED | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            let message = Some(("error", tr("login.error.credentials")));
            login_form(&state, language, StatusCode::UNAUTHORIZED, &next, &form.username, message)
        }
        status => {
            let message = Some(("error", reply.detail()));
            login_form(&state, language, status, &next, &form.username, message)
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn logout(
    State(state): State<WebState>,
    language: PageLanguage,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let account = match require_account(&state, language, &headers, &Uri::from_static("/account")).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let Ok(api) = api_of(&state, language) else { return see_other("/login") };
    let reply =
        api.call(Method::POST, "/api/logout", &account.credentials(Some(&form.csrf)), None, None).await;
    // The answer's cookies end the session in the browser too.
    let cookies: Vec<HeaderValue> = reply.headers.get_all(header::SET_COOKIE).iter().cloned().collect();
    match reply.into_typed::<LoggedOut>("/api/logout") {
        Ok(_) => {}
        // Logged out all the same.
        Err(Refusal::Unreadable { uri, error }) => {
            eprintln!("grille-web: the answer of {uri} does not match its type: {error}");
        }
        Err(Refusal::Answer(_)) => {
            let detail = grille_report::i18n::translate(language.language, "examiner.error.csrf");
            return error_page(
                &state,
                language,
                Some(&account),
                StatusCode::FORBIDDEN,
                "examiner.error.forbidden",
                detail,
            );
        }
    }
    let mut response = see_other("/login?logged_out=1");
    for cookie in cookies {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// What the account page shows: the role and what it can do.
#[derive(Serialize)]
struct AccountPageView {
    account: AccountLayout,
    role_key: &'static str,
    abilities: &'static [&'static str],
}

/// `GET /account`: an examiner, a candidate or a trainer goes home; the
/// board sees what it can do.
pub(crate) async fn account(visit: SignedIn) -> Response {
    let account = &visit.account;
    if matches!(account.role, RoleDto::Examiner | RoleDto::Candidate | RoleDto::Trainer) {
        return see_other(account.home());
    }
    let view = AccountPageView {
        account: account.view(),
        role_key: pages::role_key(account.role.as_str()),
        abilities: pages::ability_keys(account.role.as_str()),
    };
    let language = visit.language;
    language.respond(
        StatusCode::OK,
        pages::render_view(&visit.state.environment, Page::Account, &view, language.language),
    )
}

/// The error of each field of the password form.
#[derive(Default, Serialize)]
struct PasswordErrors {
    current: Option<String>,
    new: Option<String>,
    confirm: Option<String>,
}

/// What the password form shows: a notice and the error of each field
/// (never a password).
#[derive(Serialize)]
struct PasswordView {
    account: AccountLayout,
    message: Option<Notice>,
    errors: PasswordErrors,
}

fn render_password(
    visit: &SignedIn,
    status: StatusCode,
    message: Option<Notice>,
    errors: PasswordErrors,
) -> Response {
    let view = PasswordView { account: visit.account.view(), message, errors };
    let language = visit.language;
    language.respond(
        status,
        pages::render_view(&visit.state.environment, Page::Password, &view, language.language),
    )
}

/// `GET /account/password`: every user changes their own password here
/// (through `PUT /api/me/password`).
pub(crate) async fn password(visit: SignedIn) -> Response {
    render_password(&visit, StatusCode::OK, None, PasswordErrors::default())
}

/// The password form. No `Debug`: it holds passwords.
#[derive(serde::Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// Whether the password form answers this refusal at its fields: a wrong
/// current password, too many attempts, a new password against the rules
/// (an expired login, a stale form or an error is the refusal page).
fn password_problem(reply: &Reply) -> bool {
    match reply.status {
        StatusCode::UNAUTHORIZED => reply.kind() == "urn:grille:wrong-password",
        StatusCode::TOO_MANY_REQUESTS | StatusCode::UNPROCESSABLE_ENTITY => true,
        _ => false,
    }
}

/// `POST /account/password`: the two new entries must match; the API
/// checks the current password (counted like a login), applies the
/// password rules and ends the other sessions.
pub(crate) async fn password_post(
    visit: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    if form.new_password != form.confirm_password {
        let errors =
            PasswordErrors { confirm: Some(visit.tr("password.mismatch")), ..PasswordErrors::default() };
        return Ok(render_password(&visit, StatusCode::UNPROCESSABLE_ENTITY, None, errors));
    }
    let request =
        ChangePasswordRequest { current_password: form.current_password, new_password: form.new_password };
    let changed = visit
        .send::<PasswordChanged>(Method::PUT, "/api/me/password", &form.csrf, None, Some(&request))
        .await;
    let reply = match changed {
        Ok(changed) => {
            let count = changed.other_sessions_ended.to_string();
            let done = grille_report::i18n::format(&visit.tr("password.done"), &[("count", count)]);
            let message = Some(Notice { kind: "success", text: done });
            return Ok(render_password(&visit, StatusCode::OK, message, PasswordErrors::default()));
        }
        Err(Refusal::Answer(reply)) if password_problem(&reply) => reply,
        Err(refusal) => return Err(visit.refused(refusal)),
    };
    let (message, errors) = match reply.status {
        StatusCode::UNAUTHORIZED => (
            None,
            PasswordErrors { current: Some(visit.tr("password.wrong_current")), ..PasswordErrors::default() },
        ),
        StatusCode::TOO_MANY_REQUESTS => {
            let seconds =
                reply.headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()).unwrap_or("60");
            let wait = grille_report::i18n::format(
                &visit.tr("password.too_many"),
                &[("seconds", seconds.to_owned())],
            );
            (Some(Notice { kind: "error", text: wait }), PasswordErrors::default())
        }
        // The rules' sentence, at the new password (the API's pointer).
        _ => {
            let problem = reply.problem();
            let first =
                problem.errors.first().map(|error| crate::api::error_text(error, visit.language.language));
            (
                None,
                PasswordErrors {
                    new: Some(first.unwrap_or_else(|| reply.detail())),
                    ..PasswordErrors::default()
                },
            )
        }
    };
    Ok(render_password(&visit, reply.status, message, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next("/examiner?x=1"), Some("/examiner?x=1"));
        for bad in
            ["//evil.example", "https://evil.example", "/\\evil", "", "examiner", "/a\r\nSet-Cookie: x"]
        {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(encode("/a b?c=é"), "/a%20b%3Fc%3D%C3%A9");
    }
}
