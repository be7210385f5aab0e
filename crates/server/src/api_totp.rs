//! The second factor of a login: TOTP (RFC 6238: HMAC-SHA-1, 6 digits,
//! 30-second steps, one step of skew either way, as authenticator apps
//! expect, computed by the `totp-rs` crate) with ten single-use recovery
//! codes. Enrolment (`POST /api/me/totp`), confirmation with a first code
//! (only then is a code asked at login), and turning it off with a code.
//! Every code is accepted once: the last accepted time step is stored, and
//! a used recovery code is marked used. Codes checked here count in the
//! login throttle like passwords.

use std::net::IpAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use grille_store::{User, sha256_hex};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use totp_rs::{Builder, Secret, Totp};

use grille_scoring::{Message, MessageCode};

use crate::AppState;
use crate::auth::{ClientAddress, CurrentUser};
use crate::error::{ApiError, FieldError};
use crate::extract::ApiJson;

/// How many recovery codes an enrolment gives.
const RECOVERY_CODES: usize = 10;

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/api/me/totp",
            post_with(enrol, |op| {
                op.tag("authentification").summary(
                    "Commencer l'inscription d'un second facteur (TOTP) : secret, URI otpauth et codes de secours, montrés une seule fois",
                )
            })
            .get_with(status, |op| {
                op.tag("authentification").summary("L'état de son second facteur : actif, inscription en cours, ou aucun")
            })
            .delete_with(disable, |op| {
                op.tag("authentification")
                    .summary("Désactiver son second facteur, avec un code (impossible quand il est exigé pour son rôle)")
            }),
        )
        .api_route(
            "/api/me/totp/confirm",
            post_with(confirm, |op| {
                op.tag("authentification")
                    .summary("Confirmer son second facteur avec un premier code : il est ensuite demandé à chaque connexion")
            }),
        )
}

/// A new second factor, shown once.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TotpEnrolment {
    /// The shared secret (base32), to type into an authenticator app.
    pub secret: String,
    /// The same as an `otpauth://` URI (for a QR code).
    pub otpauth_uri: String,
    /// Ten recovery codes, each usable once at login instead of a code;
    /// never shown again.
    pub recovery_codes: Vec<String>,
}

/// A code of the authenticator app (or a recovery code).
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// The six digits shown by the app (or, to turn it off, a recovery code).
    pub code: String,
}

/// The state of one's second factor after a change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TotpStatus {
    /// Whether a code is now asked at login.
    pub enabled: bool,
    /// Whether an enrolment waits for its first code.
    #[serde(default)]
    pub pending: bool,
    /// Whether the configuration requires a second factor for the
    /// caller's role (it cannot be turned off then).
    #[serde(default)]
    pub required: bool,
}

async fn status(State(state): State<AppState>, current: CurrentUser) -> Result<Json<TotpStatus>, ApiError> {
    let id = current.user.id;
    let found = state.db(move |store| store.totp(id)).await?;
    Ok(Json(TotpStatus {
        enabled: found.as_ref().is_some_and(|state| state.confirmed),
        pending: found.as_ref().is_some_and(|state| !state.confirmed),
        required: state.config().require_second_factor.applies_to(current.user.role),
    }))
}

fn totp(secret: &str) -> Result<Totp, ApiError> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|_| ApiError::internal("stored TOTP secret is not base32"))?;
    Builder::new().with_secret(secret).build().map_err(ApiError::internal)
}

/// The time step whose code `code` is, within one step of now.
fn matching_step(secret: &str, code: &str) -> Result<Option<i64>, ApiError> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(ApiError::internal)?.as_secs();
    Ok(totp(secret)?.check(code, now).and_then(|step| i64::try_from(step).ok()))
}

/// A code as typed, without spaces or dashes, in lower case.
fn compact(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

fn is_totp_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|byte| byte.is_ascii_digit())
}

/// Checks `code` against `user`'s confirmed second factor and uses it up:
/// a TOTP code of a step not accepted yet, or an unused recovery code.
async fn use_code(state: &AppState, user: &User, secret: &str, code: &str) -> Result<bool, ApiError> {
    let code = compact(code);
    if is_totp_code(&code) {
        let Some(step) = matching_step(secret, &code)? else { return Ok(false) };
        let id = user.id;
        return state.db(move |store| store.accept_totp_step(id, step)).await;
    }
    let (user, hash) = (user.clone(), sha256_hex(&code));
    state.db(move |store| store.use_recovery_code(&user, &hash)).await
}

/// The second factor at login, once the password matched: `Ok` when the
/// user has none confirmed or `code` is right (and now used up),
/// [`ApiError::SecondFactorRequired`] without a code,
/// [`ApiError::SecondFactorInvalid`] with a wrong or used one.
pub(crate) async fn check_second_factor(
    state: &AppState,
    user: &User,
    code: Option<&str>,
) -> Result<(), ApiError> {
    let id = user.id;
    let Some(enrolment) = state.db(move |store| store.totp(id)).await? else { return Ok(()) };
    if !enrolment.confirmed {
        return Ok(());
    }
    let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
        return Err(ApiError::SecondFactorRequired);
    };
    if use_code(state, user, &enrolment.secret, code).await? {
        Ok(())
    } else {
        Err(ApiError::SecondFactorInvalid)
    }
}

fn wrong_code() -> ApiError {
    ApiError::Invalid(vec![FieldError::said_at("/code", Message::new(MessageCode::TotpCodeWrong))])
}

/// Runs `check` as one attempt on `user`'s account in the login throttle:
/// a wrong code counts like a wrong password.
async fn throttled(
    state: &AppState,
    user: &User,
    address: Option<IpAddr>,
    check: impl Future<Output = Result<bool, ApiError>>,
) -> Result<(), ApiError> {
    let _turn = state.throttle().turn(&user.username).await;
    state.throttle().begin(&user.username, address).await?;
    match check.await {
        Ok(true) => {
            state.throttle().succeeded(&user.username, address).await?;
            Ok(())
        }
        Ok(false) => {
            tracing::info!(username = %user.username, "wrong second-factor code");
            Err(wrong_code())
        }
        Err(error) => {
            state.throttle().not_checked(&user.username, address).await;
            Err(error)
        }
    }
}

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
    Ok(bytes)
}

/// A recovery code: 64 random bits as four groups of four hex digits.
fn recovery_code() -> Result<String, ApiError> {
    let hex: String = random_bytes::<8>()?.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(format!("{}-{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]))
}

async fn enrol(State(state): State<AppState>, current: CurrentUser) -> Result<Json<TotpEnrolment>, ApiError> {
    let user = current.user;
    // 160 bits, as RFC 4226 recommends.
    let secret = Secret::from(random_bytes::<20>()?.to_vec()).to_base32();
    let recovery_codes = (0..RECOVERY_CODES).map(|_| recovery_code()).collect::<Result<Vec<_>, _>>()?;
    let hashes: Vec<String> = recovery_codes.iter().map(|code| sha256_hex(&compact(code))).collect();
    let otpauth_uri = format!("otpauth://totp/grille:{}?secret={secret}&issuer=grille", user.username);
    let stored = secret.clone();
    state.db(move |store| store.start_totp(&user, &stored, &hashes)).await.map_err(|error| match error {
        ApiError::CodedConflict { code: "conflict.exists", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::TotpActive))
        }
        other => other,
    })?;
    Ok(Json(TotpEnrolment { secret, otpauth_uri, recovery_codes }))
}

async fn confirm(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    current: CurrentUser,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<TotpStatus>, ApiError> {
    let user = current.user;
    let id = user.id;
    let enrolment = state
        .db(move |store| store.totp(id))
        .await?
        .filter(|enrolment| !enrolment.confirmed)
        .ok_or(ApiError::NotFound("Inscription de second facteur en cours"))?;
    let code = compact(&request.code);
    let check_state = state.clone();
    let check_user = user.clone();
    throttled(&state, &user, address, async move {
        let Some(step) = matching_step(&enrolment.secret, &code)?.filter(|_| is_totp_code(&code)) else {
            return Ok(false);
        };
        check_state.db(move |store| store.confirm_totp(&check_user, step)).await?;
        Ok(true)
    })
    .await?;
    let required = state.config().require_second_factor.applies_to(user.role);
    Ok(Json(TotpStatus { enabled: true, pending: false, required }))
}

async fn disable(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    current: CurrentUser,
    ApiJson(request): ApiJson<CodeRequest>,
) -> Result<Json<TotpStatus>, ApiError> {
    let user = current.user;
    if state.config().require_second_factor.applies_to(user.role) {
        return Err(ApiError::DeniedSaid(Message::new(MessageCode::TotpMandatory)));
    }
    let id = user.id;
    let enrolment =
        state.db(move |store| store.totp(id)).await?.ok_or(ApiError::NotFound("Second facteur"))?;
    let check_state = state.clone();
    let check_user = user.clone();
    throttled(&state, &user, address, async move {
        if enrolment.confirmed {
            use_code(&check_state, &check_user, &enrolment.secret, &request.code).await
        } else {
            let code = compact(&request.code);
            Ok(is_totp_code(&code) && matching_step(&enrolment.secret, &code)?.is_some())
        }
    })
    .await?;
    state.db(move |store| store.disable_totp(&user)).await?;
    // Turning it off is refused above when it is required.
    Ok(Json(TotpStatus { enabled: false, pending: false, required: false }))
}
