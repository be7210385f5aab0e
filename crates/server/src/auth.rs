//! Authentication and authorisation: password hashing (argon2id), login
//! tokens, the [`CurrentUser`] and [`Authorized`] extractors, CSRF checks
//! and the slowdown after failed logins.
//!
//! # Credentials
//!
//! A login creates a random 256-bit token. The client gets it twice: as an
//! `HttpOnly; SameSite=Strict` cookie (for the browser UI) and in the JSON
//! answer (for scripts, as `Authorization: Bearer`). The database keeps only
//! its SHA-256 hash.
//!
//! # CSRF
//!
//! A request authenticated by the cookie that changes something (any method
//! but GET, HEAD, OPTIONS) must carry the header `X-CSRF-Token` with the
//! session's CSRF token (synchronizer token: random, stored with the login
//! session, given in the login answer and in the readable cookie
//! `grille_csrf`). A bearer-authenticated request needs no CSRF token: a
//! browser never adds an `Authorization` header by itself.
//! `SameSite=Strict` already stops cross-site cookie sending in current
//! browsers; the token covers older browsers and same-site attackers
//! (another application on a sibling subdomain), and unlike a bare
//! custom-header-plus-Origin check it does not depend on proxies passing
//! `Origin` through unchanged.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::Operation;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use grille_store::{Role, User, sha256_hex};
use indexmap::IndexMap;

use crate::AppState;
use crate::error::ApiError;

/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The cookie that carries the login token (HttpOnly).
pub const SESSION_COOKIE: &str = "grille_session";
/// The cookie that carries the CSRF token (readable by the page's script).
pub const CSRF_COOKIE: &str = "grille_csrf";

/// Argon2id cost parameters for new password hashes. Verification always
/// uses the parameters stored in the hash itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl PasswordCost {
    /// OWASP's recommendation for argon2id: 19 MiB, 2 passes, 1 lane.
    pub const RECOMMENDED: PasswordCost =
        PasswordCost { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 };
    /// The smallest cost argon2 accepts: for tests only.
    pub const TESTING: PasswordCost = PasswordCost { memory_kib: 8, iterations: 1, parallelism: 1 };

    fn hasher(self) -> Result<Argon2<'static>, ApiError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(ApiError::internal)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for PasswordCost {
    fn default() -> Self {
        PasswordCost::RECOMMENDED
    }
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ApiError> {
    let hash = cost.hasher()?.hash_password(password.as_bytes()).map_err(ApiError::internal)?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC string. A malformed hash is simply a
/// mismatch (and logged).
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(error) => {
            tracing::warn!(%error, "stored password hash is malformed");
            false
        }
    }
}

/// A random token: 32 bytes from the operating system, as 64 hex digits.
pub fn random_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The stored form of a login token.
pub(crate) fn token_hash(token: &str) -> String {
    sha256_hex(token)
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// The session cookie.
    Cookie,
}

/// The logged-in user of a request; rejects with 401 when there is none,
/// and with 403 for a cookie-authenticated write without the CSRF token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// How the request authenticated.
    pub method: AuthMethod,
    pub(crate) token_hash: String,
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Compares two strings in time independent of where they differ.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (token, method) = match bearer(parts) {
            Some(token) => (token.to_owned(), AuthMethod::Bearer),
            None => match cookie(parts, SESSION_COOKIE) {
                Some(token) => (token.to_owned(), AuthMethod::Cookie),
                None => return Err(ApiError::Unauthenticated),
            },
        };
        let hash = token_hash(&token);
        let lookup = hash.clone();
        let session =
            state.read_now(|store| store.auth_session(&lookup))?.ok_or(ApiError::Unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if method == AuthMethod::Cookie && !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent, &session.csrf_token) {
                return Err(ApiError::Csrf);
            }
        }
        Ok(CurrentUser { user: session.user, method, token_hash: hash })
    }
}

fn document_security(operation: &mut Operation) {
    let bearer: IndexMap<String, Vec<String>> = IndexMap::from_iter([("bearer".to_owned(), Vec::new())]);
    let cookie: IndexMap<String, Vec<String>> =
        IndexMap::from_iter([("cookie".to_owned(), Vec::new()), ("csrf".to_owned(), Vec::new())]);
    if operation.security.is_empty() {
        operation.security = vec![bearer, cookie];
    }
}

impl OperationInput for CurrentUser {
    fn operation_input(_ctx: &mut GenContext, operation: &mut Operation) {
        document_security(operation);
    }
}

/// A set of roles allowed to use a route.
pub trait RoleSet {
    /// The roles allowed.
    const ROLES: &'static [Role];
}

/// The exam board (role `admin`).
#[derive(Debug, Clone, Copy)]
pub struct BoardRoles;

impl RoleSet for BoardRoles {
    const ROLES: &'static [Role] = &[Role::Admin];
}

/// Those who run exam sessions: the board (official sessions) and
/// trainers (the mock sessions of their school). Which session each may
/// touch is asked of grille-workflow once the session is read.
#[derive(Debug, Clone, Copy)]
pub struct StaffRoles;

impl RoleSet for StaffRoles {
    const ROLES: &'static [Role] = &[Role::Admin, Role::Trainer];
}

/// A logged-in user whose role is in `R`; 401 without login, 403 for
/// another role.
#[derive(Debug, Clone)]
pub struct Authorized<R> {
    /// The user.
    pub current: CurrentUser,
    roles: PhantomData<R>,
}

/// A board member (admin).
pub type Board = Authorized<BoardRoles>;

/// A board member or a trainer.
pub type Staff = Authorized<StaffRoles>;

impl<R: RoleSet + Send + Sync> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let current = CurrentUser::from_request_parts(parts, state).await?;
        if !R::ROLES.contains(&current.user.role) {
            return Err(ApiError::Forbidden);
        }
        Ok(Authorized { current, roles: PhantomData })
    }
}

impl<R> OperationInput for Authorized<R> {
    fn operation_input(_ctx: &mut GenContext, operation: &mut Operation) {
        document_security(operation);
    }
}

/// Settings of the slowdown after failed logins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleConfig {
    /// Failed attempts allowed before any waiting.
    pub free_attempts: u32,
    /// The wait after the first failure beyond the free ones; it doubles
    /// with each further failure.
    pub base_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// A username's failures are forgotten this long after the last one.
    pub forget_after: Duration,
    /// At most this many usernames are tracked (memory bound).
    pub capacity: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            free_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(300),
            forget_after: Duration::from_secs(3600),
            capacity: 10_000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
    blocked_until: Instant,
}

/// Failed logins per username. While a username is blocked, logins for it
/// are answered 429 with `Retry-After`, without checking the password, so
/// guessing slows down exponentially. The map holds at most `capacity`
/// usernames: when full, forgotten entries are dropped, then the oldest.
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    config: ThrottleConfig,
    entries: Mutex<HashMap<String, Failures>>,
}

impl LoginThrottle {
    pub(crate) fn new(config: ThrottleConfig) -> LoginThrottle {
        LoginThrottle { config, entries: Mutex::new(HashMap::new()) }
    }

    fn key(username: &str) -> String {
        username.trim().to_lowercase()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(seconds to wait)` while the username is blocked.
    pub(crate) fn check(&self, username: &str) -> Result<(), u64> {
        let now = Instant::now();
        match self.entries().get(&LoginThrottle::key(username)) {
            Some(failures) if failures.blocked_until > now => {
                let wait = failures.blocked_until - now;
                Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
            }
            _ => Ok(()),
        }
    }

    pub(crate) fn failure(&self, username: &str) {
        let now = Instant::now();
        let config = self.config;
        let mut entries = self.entries();
        let key = LoginThrottle::key(username);
        if !entries.contains_key(&key) && entries.len() >= config.capacity {
            entries.retain(|_, failures| now.duration_since(failures.last) < config.forget_after);
            if entries.len() >= config.capacity
                && let Some(oldest) =
                    entries.iter().min_by_key(|(_, failures)| failures.last).map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        let failures = entries.entry(key).or_insert(Failures { count: 0, last: now, blocked_until: now });
        if now.duration_since(failures.last) >= config.forget_after {
            failures.count = 0;
        }
        failures.count += 1;
        failures.last = now;
        if failures.count > config.free_attempts {
            let doublings = (failures.count - config.free_attempts - 1).min(20);
            let delay = config.base_delay.saturating_mul(1 << doublings).min(config.max_delay);
            failures.blocked_until = now + delay;
        }
    }

    pub(crate) fn success(&self, username: &str) {
        self.entries().remove(&LoginThrottle::key(username));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(capacity: usize) -> LoginThrottle {
        LoginThrottle::new(ThrottleConfig {
            free_attempts: 2,
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(40),
            forget_after: Duration::from_secs(3600),
            capacity,
        })
    }

    #[test]
    fn blocks_after_the_free_attempts_and_doubles_up_to_the_cap() {
        let throttle = throttle(10);
        throttle.failure("Anna");
        throttle.failure("anna");
        assert_eq!(throttle.check("anna"), Ok(()));
        let mut waits = Vec::new();
        for _ in 0..5 {
            throttle.failure("ANNA ");
            waits.push(throttle.check("anna").unwrap_err());
        }
        assert_eq!(waits, [10, 20, 40, 40, 40]);
        assert_eq!(throttle.check("bob"), Ok(()));
        throttle.success("anna");
        assert_eq!(throttle.check("anna"), Ok(()));
    }

    #[test]
    fn memory_is_bounded() {
        let throttle = throttle(3);
        for name in ["a", "b", "c", "d", "e"] {
            throttle.failure(name);
        }
        assert_eq!(throttle.len(), 3);
    }

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse", PasswordCost::TESTING).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
