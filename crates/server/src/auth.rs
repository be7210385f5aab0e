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
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::Operation;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use grille_store::{Role, Store, ThrottleBounds, ThrottleEntry, User, sha256_hex, utc_text};
use indexmap::IndexMap;

use crate::AppState;
use crate::error::ApiError;
use crate::passwords::normalize;

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

/// Hashes a password, in Unicode normal form C, with argon2id and a random
/// salt (PHC string).
pub fn hash_password(password: &str, cost: PasswordCost) -> Result<String, ApiError> {
    let password = normalize(password);
    let hash = cost.hasher()?.hash_password(password.as_bytes()).map_err(ApiError::internal)?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC string, like [`HashMemory::verify`]
/// (normal form C first). A malformed hash is simply a mismatch (and
/// logged).
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => {
            let normalized = normalize(password);
            let check =
                |candidate: &str| Argon2::default().verify_password(candidate.as_bytes(), &parsed).is_ok();
            check(&normalized) || (normalized != password && check(password))
        }
        Err(error) => {
            tracing::warn!(%error, "stored password hash is malformed");
            false
        }
    }
}

/// Argon2 working memory kept between logins. Each password check needs
/// its whole memory cost at once (19 MiB by default); allocating and
/// freeing that on many threads left the allocator holding gigabytes after
/// a burst of logins (1.9 GB after 120 parallel logins, measured), so the
/// blocks are reused instead. With the server's bound on concurrent hashes,
/// the pool never holds more than that many buffers.
#[derive(Debug, Default)]
pub(crate) struct HashMemory {
    pool: Mutex<Vec<Vec<argon2::Block>>>,
}

impl HashMemory {
    /// Checks `password` in Unicode normal form C against the PHC string
    /// `hash` with pooled memory. A password typed in another form that
    /// does not match is checked once more as typed: hashes made before
    /// passwords were normalised keep working. A malformed hash is simply a
    /// non-match (and logged).
    pub(crate) fn verify(&self, password: &str, hash: &str) -> bool {
        let mut memory =
            self.pool.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop().unwrap_or_default();
        let normalized = normalize(password);
        let matches = verify_with_memory(&normalized, hash, &mut memory)
            || (normalized != password && verify_with_memory(password, hash, &mut memory));
        self.pool.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(memory);
        matches
    }
}

fn verify_with_memory(password: &str, hash: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let parsed = match PasswordHash::new(hash) {
        Ok(parsed) => parsed,
        Err(error) => {
            tracing::warn!(%error, "stored password hash is malformed");
            return false;
        }
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let Ok(params) = Params::try_from(&parsed) else { return false };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else { return false };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    memory.resize(params.block_count(), argon2::Block::default());
    let mut output = vec![0u8; expected.len()];
    let hasher = Argon2::new(algorithm, version, params);
    if hasher
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut output, &mut memory[..])
        .is_err()
    {
        return false;
    }
    // Output's equality is constant-time.
    argon2::password_hash::phc::Output::new(&output).is_ok_and(|output| output == expected)
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
    /// The public id of the login session.
    pub(crate) session_id: i64,
}

/// How stale `last_seen_at` may get before a request refreshes it: a
/// minute, so that a busy session costs one write a minute and not one per
/// request, or half the idle timeout when that is shorter (tests).
pub fn last_seen_refresh(idle_timeout: Duration) -> Duration {
    Duration::from_secs(60).min(idle_timeout / 2)
}

/// The value of the cookie `name` among a request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
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
            None => match cookie(&parts.headers, SESSION_COOKIE) {
                Some(token) => (token.to_owned(), AuthMethod::Cookie),
                None => return Err(ApiError::Unauthenticated),
            },
        };
        let hash = token_hash(&token);
        let lookup = hash.clone();
        let session =
            state.read_now(|store| store.auth_session(&lookup))?.ok_or(ApiError::Unauthenticated)?;
        // Idle longer than allowed: as if expired. Times are whole seconds
        // of RFC 3339 text, ordered like the instants.
        let now = SystemTime::now();
        let idle_timeout = state.config().idle_timeout;
        if session.last_seen_at < utc_text(now.checked_sub(idle_timeout).unwrap_or(UNIX_EPOCH)) {
            return Err(ApiError::Unauthenticated);
        }
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if method == AuthMethod::Cookie && !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent, &session.csrf_token) {
                return Err(ApiError::Csrf);
            }
        }
        if !session.second_factor
            && state.config().require_second_factor.applies_to(session.user.role)
            && !allowed_without_second_factor(&parts.method, parts.uri.path())
        {
            return Err(ApiError::SecondFactorSetup);
        }
        // Compared before writing: a busy session is written once a minute.
        let refresh = last_seen_refresh(idle_timeout);
        if session.last_seen_at < utc_text(now.checked_sub(refresh).unwrap_or(UNIX_EPOCH)) {
            let (touched, at) = (hash.clone(), utc_text(now));
            if let Err(error) = state.db(move |store| store.touch_auth_session(&touched, &at)).await {
                tracing::warn!(%error, "could not note the use of a login session");
            }
        }
        Ok(CurrentUser { user: session.user, method, token_hash: hash, session_id: session.id })
    }
}

/// Which accounts must have a second factor (TOTP) to use the API.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecondFactorPolicy {
    /// Nobody (a second factor stays optional).
    #[default]
    None,
    /// The exam board (role `admin`).
    Board,
    /// Every account but candidates': the board, examiners and trainers.
    Staff,
}

impl SecondFactorPolicy {
    /// Whether an account of `role` must have a second factor.
    pub fn applies_to(self, role: Role) -> bool {
        match self {
            SecondFactorPolicy::None => false,
            SecondFactorPolicy::Board => role == Role::Admin,
            SecondFactorPolicy::Staff => role != Role::Candidate,
        }
    }
}

/// What a session without the second factor its role requires may still
/// do: see who it is, log out, and enrol a second factor.
fn allowed_without_second_factor(method: &Method, path: &str) -> bool {
    matches!(
        (method.as_str(), path),
        ("GET", "/api/me" | "/api/me/totp")
            | ("POST", "/api/logout" | "/api/me/totp" | "/api/me/totp/confirm")
    )
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
    /// Failed attempts on one account from one client address allowed
    /// before any waiting.
    pub free_attempts: u32,
    /// The wait after the first failure beyond the free ones; it doubles
    /// with each further failure.
    pub base_delay: Duration,
    /// The longest wait.
    pub max_delay: Duration,
    /// Failures are forgotten this long after the last one.
    pub forget_after: Duration,
    /// At most this many (account, address) pairs and accounts are tracked
    /// (rows of the store's `login_throttle` table).
    pub capacity: usize,
    /// Failed attempts on one account from all addresses together before
    /// the account itself is slowed for everyone: the ceiling of a guess
    /// spread over many addresses. Higher than `free_attempts`, so that a
    /// third party guessing from elsewhere slows the owner only late, and
    /// never locks them out (the wait is bounded by `max_delay`).
    pub account_free_attempts: u32,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            free_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(300),
            forget_after: Duration::from_secs(3600),
            capacity: 10_000,
            account_free_attempts: 20,
        }
    }
}

/// Failed logins, counted per account and client address and per account,
/// in the store (table `login_throttle`), so that every server instance on
/// one database sees the same counts.
///
/// An attempt is counted **before** its password is checked
/// ([`LoginThrottle::begin`], in one write transaction of the store), as a
/// failure until it succeeds ([`LoginThrottle::succeeded`] takes it back),
/// so that guesses sent in parallel, to one instance or to several, are
/// counted exactly like guesses sent one after the other: a burst gets no
/// more checked guesses than a patient attacker. While a pair or the
/// account is blocked, logins are answered 429 with `Retry-After` without
/// checking the password. The owner, from their own address, is slowed by
/// someone else's guesses only once the account's ceiling is passed. The
/// table holds at most `capacity` keys: forgotten ones are dropped first,
/// then the oldest (pairs before accounts). Times are the instances' wall
/// clocks, in milliseconds.
#[derive(Debug)]
pub(crate) struct LoginThrottle {
    config: ThrottleConfig,
    store: Store,
    /// One lock per account being logged into on this instance: the
    /// attempts on an account are checked one after the other, so a
    /// correct password among parallel attempts is judged exactly as it
    /// would be in sequence (and two devices logging in at once both get
    /// in). Across instances the counting stays exact (one transaction per
    /// attempt); only this ordering is per instance.
    turns: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

/// The turn of one login attempt on an account (see
/// [`LoginThrottle::turn`]); the account's lock is dropped from the map
/// when nobody waits for it any more.
pub(crate) struct Turn {
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
    turns: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.guard.take();
        let mut turns = self.turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if turns.get(&self.key).is_some_and(|lock| Arc::strong_count(lock) == 1) {
            turns.remove(&self.key);
        }
    }
}

/// Milliseconds since 1970, as the throttle's rows hold them.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
}

fn duration_ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl LoginThrottle {
    pub(crate) fn new(config: ThrottleConfig, store: Store) -> LoginThrottle {
        LoginThrottle { config, store, turns: Arc::default() }
    }

    /// Waits for the account's turn: attempts on one account run one at a
    /// time (others are not slowed).
    pub(crate) async fn turn(&self, username: &str) -> Turn {
        let key = LoginThrottle::account_key(username);
        let lock = {
            let mut turns = self.turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            turns.entry(key.clone()).or_default().clone()
        };
        let guard = lock.lock_owned().await;
        Turn { key, guard: Some(guard), turns: self.turns.clone() }
    }

    fn account_key(username: &str) -> String {
        format!("account:{}", username.trim().to_lowercase())
    }

    fn pair_key(username: &str, address: Option<IpAddr>) -> String {
        let address = address.map_or_else(|| "unknown".to_owned(), |address| address.to_string());
        format!("pair:{address}:{}", username.trim().to_lowercase())
    }

    fn bounds(&self, now: i64) -> ThrottleBounds {
        ThrottleBounds {
            forget_before_ms: now.saturating_sub(duration_ms(self.config.forget_after)),
            capacity: self.config.capacity,
        }
    }

    /// Runs `f` on the entries of the pair and the account, in one write
    /// transaction of the store, on the blocking pool.
    async fn update<T: Send + 'static>(
        &self,
        username: &str,
        address: Option<IpAddr>,
        f: impl FnOnce(&mut [Option<ThrottleEntry>], i64) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let keys = [LoginThrottle::pair_key(username, address), LoginThrottle::account_key(username)];
        let now = now_ms();
        let bounds = self.bounds(now);
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let keys = [keys[0].as_str(), keys[1].as_str()];
            store.login_throttle(&keys, bounds, |entries| f(entries, now))
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)
    }

    /// Counts a login attempt on `username` from `address`;
    /// [`ApiError::TooManyAttempts`] while the pair or the account is
    /// blocked (the attempt is then not counted).
    pub(crate) async fn begin(&self, username: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        let config = self.config;
        let waited = self.update(username, address, move |entries, now| count(config, entries, now)).await?;
        match waited {
            Some(retry_after) => Err(ApiError::TooManyAttempts { retry_after }),
            None => Ok(()),
        }
    }

    /// The attempt counted by [`LoginThrottle::begin`] succeeded: the pair's
    /// failures are forgotten and the account's count gives it back.
    pub(crate) async fn succeeded(&self, username: &str, address: Option<IpAddr>) -> Result<(), ApiError> {
        self.update(username, address, |entries, _| give_back(entries, true)).await
    }

    /// The attempt counted by [`LoginThrottle::begin`] was not a guess (the
    /// server was too busy to check it): it is given back. A failure to
    /// give it back is only logged (the caller answers its own error).
    pub(crate) async fn not_checked(&self, username: &str, address: Option<IpAddr>) {
        if let Err(error) = self.update(username, address, |entries, _| give_back(entries, false)).await {
            tracing::warn!(%username, %error, "login attempt not given back to the throttle");
        }
    }
}

/// [`LoginThrottle::begin`] on the pair's and the account's entries: the
/// seconds to wait while one is blocked, or `None` once both counted.
fn count(config: ThrottleConfig, entries: &mut [Option<ThrottleEntry>], now: i64) -> Option<u64> {
    for entry in entries.iter().flatten() {
        if entry.blocked_until_ms > now {
            let wait = u64::try_from(entry.blocked_until_ms - now).unwrap_or(0);
            return Some(wait.div_ceil(1000));
        }
    }
    let free = [config.free_attempts, config.account_free_attempts];
    for (entry, free) in entries.iter_mut().zip(free) {
        let entry = entry.get_or_insert(ThrottleEntry { failures: 0, last_ms: now, blocked_until_ms: now });
        entry.failures = entry.failures.saturating_add(1);
        entry.last_ms = now;
        if entry.failures > free {
            let doublings = (entry.failures - free - 1).min(20);
            let delay = config.base_delay.saturating_mul(1 << doublings).min(config.max_delay);
            entry.blocked_until_ms = now.saturating_add(duration_ms(delay));
        }
    }
    None
}

/// [`LoginThrottle::succeeded`] (the pair forgotten) or
/// [`LoginThrottle::not_checked`] (the pair's count given back), and the
/// account's count given back.
fn give_back(entries: &mut [Option<ThrottleEntry>], succeeded: bool) {
    let [pair, account] = entries else { return };
    if succeeded {
        *pair = None;
    } else if let Some(pair) = pair {
        pair.failures = pair.failures.saturating_sub(1);
    }
    if let Some(account) = account {
        account.failures = account.failures.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(capacity: usize) -> LoginThrottle {
        let store = Store::open_in_memory().unwrap();
        LoginThrottle::new(
            ThrottleConfig {
                free_attempts: 2,
                base_delay: Duration::from_secs(10),
                max_delay: Duration::from_secs(40),
                forget_after: Duration::from_secs(3600),
                capacity,
                account_free_attempts: 5,
            },
            store,
        )
    }

    /// The seconds to wait, or `Ok` when the attempt was counted.
    async fn begin(throttle: &LoginThrottle, username: &str, address: Option<IpAddr>) -> Result<(), u64> {
        match throttle.begin(username, address).await {
            Ok(()) => Ok(()),
            Err(ApiError::TooManyAttempts { retry_after }) => Err(retry_after),
            Err(error) => panic!("{error}"),
        }
    }

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)));
    const ELSEWHERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7)));

    #[tokio::test]
    async fn counts_before_checking_blocks_after_the_free_attempts_and_doubles_up_to_the_cap() {
        let throttle = throttle(10);
        // Three attempts pass (two free, the third sets the first wait).
        assert_eq!(begin(&throttle, "Anna", HOME).await, Ok(()));
        assert_eq!(begin(&throttle, "anna", HOME).await, Ok(()));
        assert_eq!(begin(&throttle, "ANNA ", HOME).await, Ok(()));
        assert_eq!(begin(&throttle, "anna", HOME).await, Err(10));
        assert_eq!(begin(&throttle, "bob", HOME).await, Ok(()), "another account is not slowed");
        assert_eq!(begin(&throttle, "anna", ELSEWHERE).await, Ok(()), "the owner elsewhere is not slowed");
        throttle.succeeded("anna", HOME).await.unwrap();
        assert_eq!(begin(&throttle, "anna", HOME).await, Ok(()), "a success forgets the pair's failures");
    }

    #[tokio::test]
    async fn an_attempt_the_server_did_not_check_is_given_back() {
        let throttle = throttle(10);
        for _ in 0..2 {
            begin(&throttle, "anna", HOME).await.unwrap();
            throttle.not_checked("anna", HOME).await;
        }
        for _ in 0..3 {
            assert_eq!(begin(&throttle, "anna", HOME).await, Ok(()));
        }
        assert!(begin(&throttle, "anna", HOME).await.is_err());
    }

    #[tokio::test]
    async fn guesses_from_many_addresses_reach_the_account_ceiling() {
        let throttle = throttle(100);
        let mut allowed = 0;
        for last in 0..=255u8 {
            let address = Some(IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, last)));
            if begin(&throttle, "anna", address).await.is_ok() {
                allowed += 1;
            }
        }
        // The account's ceiling (5) plus the attempt that set its block.
        assert_eq!(allowed, 6);
        assert!(begin(&throttle, "anna", HOME).await.is_err(), "now the account is slowed for everyone");
    }

    #[test]
    fn the_client_behind_a_trusted_proxy_is_the_last_untrusted_forwarded_address() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("x-forwarded-for", "198.51.100.1, 203.0.113.9".parse().unwrap());
        // Not behind a trusted proxy: the peer, whatever the header says.
        assert_eq!(client_address(Some(client), &headers, &[]), Some(client));
        assert_eq!(client_address(Some(proxy), &headers, &[]), Some(proxy));
        // Behind it: the last forwarded address, not the one the client wrote first.
        assert_eq!(client_address(Some(proxy), &headers, &[proxy]), Some(client));
        let empty = axum::http::HeaderMap::new();
        assert_eq!(client_address(Some(proxy), &empty, &[proxy]), Some(proxy));
        assert_eq!(client_address(None, &headers, &[proxy]), None);
    }

    #[tokio::test]
    async fn the_table_is_bounded() {
        let throttle = throttle(3);
        for name in ["a", "b", "c", "d", "e"] {
            let _ = begin(&throttle, name, HOME).await;
        }
        assert_eq!(throttle.store.login_throttle_len().unwrap(), 3);
    }

    #[test]
    fn pooled_verification_agrees_with_the_library_and_reuses_its_memory() {
        let memory = HashMemory::default();
        let cost = PasswordCost { memory_kib: 256, iterations: 2, parallelism: 1 };
        for cost in [PasswordCost::TESTING, cost] {
            let hash = hash_password("correct horse", cost).unwrap();
            assert!(memory.verify("correct horse", &hash));
            assert!(!memory.verify("correct hors", &hash));
            assert_eq!(memory.verify("x", &hash), verify_password("x", &hash));
        }
        assert!(!memory.verify("x", "not a hash"));
        assert!(!memory.verify("x", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ"), "no hash part");
        assert_eq!(memory.pool.lock().unwrap().len(), 1, "one buffer, reused");
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
    fn passwords_are_compared_in_normal_form_c() {
        let memory = HashMemory::default();
        let composed = "mot de passe d\u{e9}j\u{e0} vu";
        let decomposed = "mot de passe de\u{301}ja\u{300} vu";
        for (stored, typed) in [(composed, decomposed), (decomposed, composed)] {
            let hash = hash_password(stored, PasswordCost::TESTING).unwrap();
            assert!(memory.verify(typed, &hash), "{typed:?} against {stored:?}");
            assert!(verify_password(typed, &hash));
        }
        // A hash made before normalisation, from the decomposed form.
        let legacy = PasswordCost::TESTING.hasher().unwrap().hash_password(decomposed.as_bytes()).unwrap();
        assert!(memory.verify(decomposed, &legacy.to_string()), "typed as before");
        assert!(!memory.verify("mot de passe deja vu", &legacy.to_string()));
    }

    #[test]
    fn the_last_use_is_noted_once_a_minute_or_twice_per_idle_timeout() {
        assert_eq!(last_seen_refresh(Duration::from_secs(30 * 60)), Duration::from_secs(60));
        assert_eq!(last_seen_refresh(Duration::from_secs(2)), Duration::from_secs(1));
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}

/// The address the request came from: the TCP peer (when the server was
/// started with connection information; `None` in tests that drive the
/// router directly), or, when that peer is a trusted reverse proxy
/// ([`crate::AppConfig::trusted_proxies`]), the last address of
/// `X-Forwarded-For` that is not a trusted proxy (the addresses before it
/// were written by the client and prove nothing).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddress(client_address(peer, &parts.headers, &state.config().trusted_proxies)))
    }
}

/// See [`ClientAddress`].
pub(crate) fn client_address(
    peer: Option<IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    Some(forwarded.into_iter().rev().find(|address| !trusted.contains(address)).unwrap_or(peer))
}

impl OperationInput for ClientAddress {}
