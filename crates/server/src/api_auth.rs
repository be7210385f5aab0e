//! Login, logout, the current user, user management and the audit log.

use std::time::SystemTime;

use aide::axum::ApiRouter;
use aide::axum::routing::{delete_with, get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_store::{Actor, AuditQuery, NewUser, Role, User, utc_text};
use grille_workflow::AccountAction;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use grille_scoring::{Message, MessageCode};

use crate::AppState;
use crate::auth::{self, Board, CSRF_COOKIE, ClientAddress, CurrentUser, SESSION_COOKIE};
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::passwords::password_policy;
use crate::reply::{Caller, Created, Typed, WithCookies};

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/api/login",
            post_with(login, |op| {
                op.tag("authentification").summary("Connexion : pose le cookie de session et rend un jeton")
            }),
        )
        .api_route("/api/logout", post_with(logout, |op| op.tag("authentification").summary("Déconnexion")))
        .api_route("/api/me", get_with(me, |op| op.tag("authentification").summary("L'utilisateur connecté")))
        .api_route(
            "/api/me/password",
            put_with(change_password, |op| {
                op.tag("authentification")
                    .summary("Changer son mot de passe ; met fin à ses autres sessions de connexion")
            }),
        )
        .api_route(
            "/api/users",
            post_with(create_user, |op| {
                op.tag("utilisateurs")
                    .summary("Créer un utilisateur (commission) ; formateur·trice : avec son école")
            })
            .get_with(list_users, |op| {
                op.tag("utilisateurs").summary("Lister les utilisateurs (commission)")
            }),
        )
        .api_route(
            "/api/me/sessions",
            get_with(my_sessions, |op| {
                op.tag("authentification").summary("Ses sessions de connexion ouvertes (jamais leur jeton)")
            }),
        )
        .api_route(
            "/api/me/sessions/{id}",
            delete_with(end_my_session, |op| {
                op.tag("authentification").summary("Mettre fin à l'une de ses sessions de connexion")
            }),
        )
        .api_route(
            "/api/users/{username}/password",
            put_with(reset_password, |op| {
                op.tag("utilisateurs").summary(
                    "Donner un nouveau mot de passe à un utilisateur qui a oublié le sien (commission) ; met fin à toutes ses sessions",
                )
            }),
        )
        .api_route(
            "/api/users/{username}/sessions",
            delete_with(end_user_sessions, |op| {
                op.tag("utilisateurs")
                    .summary("Mettre fin à toutes les sessions de connexion d'un utilisateur (commission)")
            }),
        )
        .api_route(
            "/api/users/{username}/totp",
            delete_with(reset_totp, |op| {
                op.tag("utilisateurs").summary(
                    "Retirer le second facteur d'un utilisateur qui l'a perdu (commission) ; met fin à toutes ses sessions",
                )
            }),
        )
        .api_route(
            "/api/audit",
            get_with(audit, |op| op.tag("journal").summary("Journal d'audit, du plus récent au plus ancien")),
        )
}

/// A role, as sent and received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RoleDto {
    /// Commission d'examen.
    Admin,
    /// Expert·e aux examens.
    Examiner,
    /// Formateur·trice.
    Trainer,
    /// Candidat·e.
    Candidate,
}

impl RoleDto {
    /// The role's name as the API writes it (`admin`, `examiner`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            RoleDto::Admin => "admin",
            RoleDto::Examiner => "examiner",
            RoleDto::Trainer => "trainer",
            RoleDto::Candidate => "candidate",
        }
    }
}

impl From<Role> for RoleDto {
    fn from(role: Role) -> RoleDto {
        match role {
            Role::Admin => RoleDto::Admin,
            Role::Examiner => RoleDto::Examiner,
            Role::Trainer => RoleDto::Trainer,
            Role::Candidate => RoleDto::Candidate,
        }
    }
}

impl From<RoleDto> for Role {
    fn from(role: RoleDto) -> Role {
        match role {
            RoleDto::Admin => Role::Admin,
            RoleDto::Examiner => Role::Examiner,
            RoleDto::Trainer => Role::Trainer,
            RoleDto::Candidate => Role::Candidate,
        }
    }
}

/// A user as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UserView {
    /// Login name.
    pub username: String,
    /// Role.
    pub role: RoleDto,
    /// When the account was created (RFC 3339).
    pub created_at: String,
    /// The school of a trainer (or of a cohort's candidate).
    pub school_id: Option<i64>,
    /// For the logged-in candidate (`GET /api/me` only): the exam language
    /// the register holds for them, which their own pages follow unless
    /// they chose another.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam_language: Option<crate::api_registry::ExamLanguage>,
}

impl From<&User> for UserView {
    fn from(user: &User) -> UserView {
        UserView {
            username: user.username.clone(),
            role: user.role.into(),
            created_at: user.created_at.clone(),
            school_id: user.school_id,
            exam_language: None,
        }
    }
}

/// Credentials.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub struct LoginRequest {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
    /// For an account with a second factor: the six digits of its
    /// authenticator app, or one of its recovery codes. Without it, such an
    /// account is answered 401 `urn:grille:second-factor-required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A successful login.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct LoginResponse {
    /// Bearer token for `Authorization: Bearer` (also set as an HttpOnly cookie).
    pub token: String,
    /// The CSRF token to send in `X-CSRF-Token` with cookie-authenticated writes.
    pub csrf_token: String,
    /// When the login expires (RFC 3339).
    pub expires_at: String,
    /// Who logged in.
    pub user: UserView,
}

fn cookie(state: &AppState, name: &str, value: &str, http_only: bool, max_age: u64) -> String {
    let mut cookie = format!("{name}={value}; Path=/; SameSite=Strict; Max-Age={max_age}");
    if http_only {
        cookie.push_str("; HttpOnly");
    }
    if state.config().secure_cookies {
        cookie.push_str("; Secure");
    }
    cookie
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<WithCookies<LoginResponse>, ApiError> {
    let code = Some(request.code);
    let Some(user) = check_password(&state, &request.username, address, request.password, code).await? else {
        tracing::info!(username = %request.username, "failed login");
        return Err(ApiError::BadCredentials);
    };
    let token = auth::random_token()?;
    let csrf_token = auth::random_token()?;
    let ttl = state.config().session_ttl;
    let expires_at = utc_text(SystemTime::now() + ttl);
    let (hash, stored_user, csrf, expires) =
        (auth::token_hash(&token), user.clone(), csrf_token.clone(), expires_at.clone());
    // The browser's name, so that its owner recognises the session later.
    let agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .filter(|agent| !agent.is_empty());
    state
        .db(move |store| store.open_auth_session(&stored_user, &hash, &csrf, &expires, agent.as_deref()))
        .await?;
    let max_age = ttl.as_secs();
    Ok(WithCookies {
        cookies: vec![
            cookie(&state, SESSION_COOKIE, &token, true, max_age),
            cookie(&state, CSRF_COOKIE, &csrf_token, false, max_age),
        ],
        body: LoginResponse { token, csrf_token, expires_at, user: UserView::from(&user) },
    })
}

/// Checks `username`'s password as a login does: one attempt at a time per
/// account, counted by the login throttle before the password is checked
/// (parallel guesses count exactly as sequential ones do; 429 while
/// blocked), through the bounded password hashing, and as long for an
/// unknown user as for a known one. `None` when it does not match.
///
/// With `second_factor` (a login), a matching password is not yet a
/// success for an account with a confirmed second factor: its code (or a
/// recovery code) must be right too. A wrong code stays counted as a failed
/// attempt, like a wrong password; a missing one is given back (the
/// password was right and nothing was guessed).
async fn check_password(
    state: &AppState,
    username: &str,
    address: Option<std::net::IpAddr>,
    password: String,
    second_factor: Option<Option<String>>,
) -> Result<Option<User>, ApiError> {
    let _turn = state.throttle().turn(username).await;
    state.throttle().begin(username, address).await?;
    let lookup = username.to_owned();
    let credentials = state.db(move |store| store.credentials(&lookup)).await?;
    let (user, hash, disabled) = match credentials {
        Some(credentials) => (Some(credentials.user), Some(credentials.password_hash), credentials.disabled),
        None => (None, None, false),
    };
    let dummy_state = state.clone();
    let checked = state
        .hashing(move || {
            let hash = match hash {
                Some(hash) => hash,
                None => dummy_state.dummy_hash()?.to_owned(),
            };
            Ok(dummy_state.hash_memory().verify(&password, &hash))
        })
        .await;
    let matches = match checked {
        Ok(matches) => matches,
        Err(error) => {
            state.throttle().not_checked(username, address).await;
            return Err(error);
        }
    };
    let Some(user) = user.filter(|_| matches) else { return Ok(None) };
    if disabled {
        // Said only once the password matched: it reveals nothing to a
        // guesser. Nothing was guessed, so the attempt is given back.
        state.throttle().not_checked(username, address).await;
        tracing::info!(%username, "login refused: account disabled");
        return Err(ApiError::DeniedSaid(Message::new(MessageCode::AccountDisabled)));
    }
    if let Some(code) = second_factor {
        match crate::api_totp::check_second_factor(state, &user, code.as_deref()).await {
            Ok(()) => {}
            Err(ApiError::SecondFactorInvalid) => {
                tracing::info!(%username, "wrong second-factor code at login");
                return Err(ApiError::SecondFactorInvalid);
            }
            Err(error) => {
                state.throttle().not_checked(username, address).await;
                return Err(error);
            }
        }
    }
    state.throttle().succeeded(username, address).await?;
    Ok(Some(user))
}

/// The login has ended.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct LoggedOut {
    /// Always `true`.
    pub logged_out: bool,
}

async fn logout(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<WithCookies<LoggedOut>, ApiError> {
    let CurrentUser { user, token_hash, .. } = current;
    state.db(move |store| store.delete_auth_session(&user, &token_hash)).await?;
    Ok(WithCookies {
        cookies: vec![cookie(&state, SESSION_COOKIE, "", true, 0), cookie(&state, CSRF_COOKIE, "", false, 0)],
        body: LoggedOut { logged_out: true },
    })
}

async fn me(
    State(state): State<AppState>,
    current: CurrentUser,
    caller: Caller,
) -> Result<Typed<UserView>, ApiError> {
    let mut view = UserView::from(&current.user);
    if current.user.role == Role::Candidate {
        let (user_id, register) = (current.user.id, current.user.school_id);
        view.exam_language = state
            .db(move |store| {
                let Some(number) = store.user_candidate(user_id)? else { return Ok(None) };
                match store.register_entry(register, &number) {
                    Ok(entry) => Ok(entry.master.and_then(|master| master.exam_language)),
                    Err(grille_store::StoreError::NotFound { .. }) => Ok(None),
                    Err(error) => Err(error),
                }
            })
            .await?
            .as_deref()
            .and_then(crate::api_registry::ExamLanguage::from_code);
    }
    Ok(caller.answer(view))
}

/// A change of one's own password.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub struct ChangePasswordRequest {
    /// The password now.
    pub current_password: String,
    /// The new password: 12 to 128 characters (in Unicode normal form C),
    /// not the username nor containing it, not a common or easily guessed
    /// password.
    pub new_password: String,
}

/// The password has been changed.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PasswordChanged {
    /// Always `true`.
    pub changed: bool,
    /// How many other login sessions of the user were ended (the one of
    /// this request goes on).
    pub other_sessions_ended: usize,
}

async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    current: CurrentUser,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<Json<PasswordChanged>, ApiError> {
    let CurrentUser { user, token_hash, .. } = current;
    // The current password first, counted by the login throttle: a stolen
    // session cannot be used to guess it faster than the login form.
    let checked = check_password(&state, &user.username, address, request.current_password, None).await?;
    if checked.is_none_or(|checked| checked.id != user.id) {
        tracing::info!(username = %user.username, "wrong current password");
        return Err(ApiError::WrongPassword);
    }
    let errors = password_policy(&user.username, &request.new_password, "/new_password");
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let cost = state.config().password_cost;
    let password = request.new_password;
    let password_hash = state.hashing(move || auth::hash_password(&password, cost)).await?;
    let ended = state.db(move |store| store.change_password(&user, &password_hash, &token_hash)).await?;
    Ok(Json(PasswordChanged { changed: true, other_sessions_ended: ended }))
}

/// A user to create.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
pub struct CreateUserRequest {
    /// Login name: 3 to 64 lowercase letters, digits, `.`, `_` or `-`.
    #[schemars(regex(pattern = r"^[a-z0-9._-]{3,64}$"))]
    pub username: String,
    /// Password: 12 to 128 characters (in Unicode normal form C), not the
    /// username nor containing it, not a common or easily guessed password.
    #[schemars(length(min = 12, max = 128))]
    pub password: String,
    /// Role.
    pub role: RoleDto,
    /// For the role `candidate`: the candidate number the account sees the
    /// published results of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub candidate_number: Option<String>,
    /// The school: required for a trainer (who runs its mock sessions),
    /// optional for a candidate of a school's cohort, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<i64>,
}

fn check_new_user(request: &CreateUserRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let username_ok = (3..=64).contains(&request.username.len())
        && request
            .username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if !username_ok {
        errors.push(FieldError::said_at("/username", Message::new(MessageCode::AccountUsernameForm)));
    }
    errors.extend(password_policy(&request.username, &request.password, "/password"));
    match (&request.candidate_number, request.role) {
        (Some(number), RoleDto::Candidate) if grille_store::CandidateNumber::parse(number).is_err() => {
            errors.push(FieldError::said_at(
                "/candidate_number",
                Message::new(MessageCode::AssignmentNumberInvalid),
            ));
        }
        (Some(_), RoleDto::Admin | RoleDto::Examiner | RoleDto::Trainer) => {
            errors.push(FieldError::said_at(
                "/candidate_number",
                Message::new(MessageCode::AccountNumberRoleCandidate),
            ));
        }
        _ => {}
    }
    match (request.school_id, request.role) {
        (None, RoleDto::Trainer) => {
            errors.push(FieldError::said_at(
                "/school_id",
                Message::new(MessageCode::AccountTrainerNeedsSchool),
            ));
        }
        (Some(_), RoleDto::Admin | RoleDto::Examiner) => {
            errors
                .push(FieldError::said_at("/school_id", Message::new(MessageCode::AccountSchoolNotAllowed)));
        }
        _ => {}
    }
    errors
}

async fn create_user(
    State(state): State<AppState>,
    board: Board,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<Created<UserView>, ApiError> {
    crate::api_accounts::permit_on(&board.current.user, AccountAction::Create, None)?;
    let errors = check_new_user(&request);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let cost = state.config().password_cost;
    let password = request.password;
    let password_hash = state.hashing(move || auth::hash_password(&password, cost)).await?;
    let actor = Actor::user(&board.current.user);
    let new = NewUser { username: request.username, password_hash, role: request.role.into() };
    let number =
        request.candidate_number.as_deref().and_then(|text| grille_store::CandidateNumber::parse(text).ok());
    let school_id = request.school_id;
    if let Some(school) = school_id
        && state.db(move |store| store.school(school)).await?.is_none()
    {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/school_id",
            Message::new(MessageCode::AccountSchoolIdUnknown),
        )]));
    }
    if let Some(number) = &number {
        // The number of the account's register: its school's cohort, or
        // the board's candidates for an account without a school.
        let lookup = vec![number.clone()];
        let found = state.db(move |store| store.numbers_in_register(school_id, &lookup)).await?;
        if !found.contains(number.as_str()) {
            return Err(ApiError::Invalid(vec![FieldError::said_at(
                "/candidate_number",
                Message::new(MessageCode::AccountNumberNotInRegister),
            )]));
        }
    }
    let user = state
        .db(move |store| {
            let user = store.create_user_in_school(&actor, &new, school_id)?;
            if let Some(number) = &number {
                store.link_candidate_user(&actor, user.id, number)?;
            }
            Ok(user)
        })
        .await?;
    Ok(Created(UserView::from(&user)))
}

/// One login session of the caller.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct LoginSessionView {
    /// Its id, to end it with `DELETE /api/me/sessions/{id}`.
    pub id: i64,
    /// When it was opened (RFC 3339).
    pub created_at: String,
    /// When it was last used, to within a minute (RFC 3339).
    pub last_seen_at: String,
    /// When it ends at the latest (RFC 3339); it ends earlier when left
    /// unused for longer than the idle timeout.
    pub expires_at: String,
    /// Whether it is the session of this request.
    pub current: bool,
    /// The User-Agent of the browser that opened it (at most 200
    /// characters), if it sent one.
    #[serde(default)]
    pub user_agent: Option<String>,
}

async fn my_sessions(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<LoginSessionView>>, ApiError> {
    let idle_since = utc_text(
        SystemTime::now().checked_sub(state.config().idle_timeout).unwrap_or(SystemTime::UNIX_EPOCH),
    );
    let user_id = current.user.id;
    let sessions = state.db(move |store| store.login_sessions(user_id, &idle_since)).await?;
    Ok(Json(
        sessions
            .into_iter()
            .map(|session| LoginSessionView {
                id: session.id,
                current: session.id == current.session_id,
                created_at: session.created_at,
                last_seen_at: session.last_seen_at,
                expires_at: session.expires_at,
                user_agent: session.user_agent,
            })
            .collect(),
    ))
}

/// A login session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct LoginSessionPath {
    /// The session's id (from `GET /api/me/sessions`).
    id: i64,
}

/// Login sessions have ended.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct SessionsEnded {
    /// How many.
    pub ended: usize,
}

async fn end_my_session(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<LoginSessionPath>,
) -> Result<Json<SessionsEnded>, ApiError> {
    let user = current.user;
    let actor = Actor::user(&user);
    // Another user's session is not found, exactly like one that never was.
    state.db(move |store| store.end_login_session(&actor, &user, path.id)).await?;
    Ok(Json(SessionsEnded { ended: 1 }))
}

/// A username in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct UsernamePath {
    /// The login name.
    username: String,
}

async fn end_user_sessions(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<UsernamePath>,
) -> Result<Json<SessionsEnded>, ApiError> {
    crate::api_accounts::permit_on(&board.current.user, AccountAction::EndSessions, Some(&path.username))?;
    let actor = Actor::user(&board.current.user);
    let ended = state.db(move |store| store.end_user_sessions(&actor, &path.username)).await?;
    Ok(Json(SessionsEnded { ended }))
}

/// A new password set by the board.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The new password, under the same rules as every password: 12 to 128
    /// characters (in Unicode normal form C), not the username nor
    /// containing it, not a common or easily guessed password. Give it to
    /// the user by another channel; they can change it at
    /// `PUT /api/me/password`.
    pub new_password: String,
}

/// A password set by the board.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct PasswordReset {
    /// Always `true`.
    pub reset: bool,
    /// How many login sessions of the user were ended.
    pub sessions_ended: usize,
}

async fn reset_password(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<UsernamePath>,
    ApiJson(request): ApiJson<ResetPasswordRequest>,
) -> Result<Json<PasswordReset>, ApiError> {
    let target = Some(path.username.as_str());
    crate::api_accounts::permit_on(&board.current.user, AccountAction::ResetPassword, target)?;
    let errors = password_policy(&path.username, &request.new_password, "/new_password");
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let cost = state.config().password_cost;
    let password = request.new_password;
    let password_hash = state.hashing(move || auth::hash_password(&password, cost)).await?;
    let actor = Actor::user(&board.current.user);
    let username = path.username;
    let ended = state.db(move |store| store.reset_password(&actor, &username, &password_hash)).await?;
    Ok(Json(PasswordReset { reset: true, sessions_ended: ended }))
}

/// A user as the board's list of accounts shows it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AccountView {
    /// The user.
    #[serde(flatten)]
    pub user: UserView,
    /// A confirmed second factor is asked at login.
    pub second_factor: bool,
    /// The last login (RFC 3339 UTC), if any.
    pub last_login_at: Option<String>,
    /// The candidate number a candidate's account is linked to.
    pub candidate_number: Option<String>,
    /// The board disabled the account: it does not log in.
    #[serde(default)]
    pub disabled: bool,
    /// The account's e-mail address, if any (reminders and temporary
    /// passwords by e-mail where an SMTP relay is configured).
    #[serde(default)]
    pub email: Option<String>,
}

async fn list_users(State(state): State<AppState>, board: Board) -> Result<Json<Vec<AccountView>>, ApiError> {
    crate::api_accounts::permit_on(&board.current.user, AccountAction::List, None)?;
    let (users, overview) = state.db(|store| Ok((store.users()?, store.account_overview()?))).await?;
    Ok(Json(
        users
            .iter()
            .map(|user| {
                let found = overview.iter().find(|line| line.user_id == user.id);
                AccountView {
                    user: UserView::from(user),
                    second_factor: found.is_some_and(|line| line.second_factor),
                    last_login_at: found.and_then(|line| line.last_login_at.clone()),
                    candidate_number: found.and_then(|line| line.candidate_number.clone()),
                    disabled: found.is_some_and(|line| line.disabled),
                    email: found.and_then(|line| line.email.clone()),
                }
            })
            .collect(),
    ))
}

async fn reset_totp(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<UsernamePath>,
) -> Result<Json<SessionsEnded>, ApiError> {
    let target = Some(path.username.as_str());
    crate::api_accounts::permit_on(&board.current.user, AccountAction::ResetSecondFactor, target)?;
    let actor = Actor::user(&board.current.user);
    let ended = state.db(move |store| store.reset_totp(&actor, &path.username)).await?;
    Ok(Json(SessionsEnded { ended }))
}

/// Filters of the audit log.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AuditParams {
    /// Only entries about this kind of entity (`user`, `exam_session`, `candidate`, ...).
    entity: Option<String>,
    /// Only entries about this entity id.
    entity_id: Option<String>,
    /// At most this many entries (default 100, at most 1000).
    limit: Option<u32>,
}

/// One audit entry.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AuditView {
    /// Order of the writes.
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (username or `system`).
    pub actor: String,
    /// What, e.g. `session.create`.
    pub action: String,
    /// The kind of thing changed.
    pub entity: String,
    /// Its id.
    pub entity_id: String,
    /// The value before.
    pub before: Option<serde_json::Value>,
    /// The value after.
    pub after: Option<serde_json::Value>,
}

async fn audit(
    State(state): State<AppState>,
    board: Board,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<Vec<AuditView>>, ApiError> {
    // The entries about a cohort are read under the same rule as the cohort
    // itself (grille_workflow::cohort_in_reach): the board reads nothing
    // about a school's candidates, their marks or results.
    let user = board.current.user.clone();
    let (sessions, schools) = state.db(|store| Ok((store.exam_sessions()?, store.schools()?))).await?;
    let hidden_sessions = sessions
        .iter()
        .filter(|session| grille_workflow::cohort_in_reach(&crate::scope::subject(&user, session)).is_err())
        .map(|session| session.id)
        .collect();
    let hidden_registers = schools
        .iter()
        .filter(|school| {
            grille_workflow::cohort_in_reach(&crate::scope::register_subject(&user, Some(school.id))).is_err()
        })
        .map(|school| school.id)
        .collect();
    let query = AuditQuery {
        entity: params.entity,
        entity_id: params.entity_id,
        limit: params.limit,
        hidden_sessions,
        hidden_registers,
    };
    let entries = state.db(move |store| store.audit_log(&query)).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|entry| AuditView {
                id: entry.id,
                at: entry.at,
                actor: entry.actor,
                action: entry.action,
                entity: entry.entity,
                entity_id: entry.entity_id,
                before: entry.before,
                after: entry.after,
            })
            .collect(),
    ))
}
