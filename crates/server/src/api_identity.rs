//! The exam body's identity and the official documents of a session:
//!
//! * `GET|PUT /api/board/identity`: name, address, seat, signatories (at
//!   most three), canton, the holidays its appeal deadlines count with,
//!   postal delivery days and the wording of the legal remedies in each
//!   language (with the defaults the documents print when a text is not
//!   given);
//! * `PUT|GET|DELETE /api/board/identity/logo`: the logo, a PNG, JPEG or
//!   SVG image typed by its content, at most [`MAX_LOGO_BYTES`];
//! * `GET|PUT /api/sessions/{id}/particulars`: the days and places of a
//!   session's exam and the day its decisions count as notified;
//! * `GET /api/sessions/{id}/decisions`: what the decision letters need
//!   besides the results (identity, days and places, each candidate's
//!   name, the notification day and the appeal deadline computed by
//!   grille-workflow after PA art. 20 and 22a);
//! * `GET /api/sessions/{id}/successful/csv`: the list of successful
//!   candidates for the federal office (`;`, UTF-8 with BOM).
//!
//! The identity is the board's ([`identity_permit`]); a session's
//! documents follow [`documents_permit`] (the board, once the results are
//! final, official sessions only).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use grille_report::i18n::{self, Language};
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, BoardIdentity, SessionParticulars, Signatory, Sitting, StoredIdentity, User};
use grille_workflow::appeal::{self, Date, Holiday};
use grille_workflow::{Action, IdentityAction, documents_permit, identity_permit, permit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Board;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch};
use crate::reply::{Download, StoredFile, Tagged};

/// The largest logo accepted, in bytes (1 MiB).
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// At most this many signatories.
const MAX_SIGNATORIES: usize = 3;

pub use grille_workflow::appeal::CANTONS;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "documents officiels";
    ApiRouter::new()
        .api_route(
            "/api/board/identity",
            get_with(identity, |op| {
                op.tag(tag).summary("L'identité de l'organe d'examen imprimée sur les documents (commission)")
            })
            .put_with(set_identity, |op| {
                op.tag(tag).summary(
                    "Écrire l'identité de l'organe d'examen : nom, adresse, signataires (3 au plus), canton, jours fériés, voies de droit (If-Match : la version lue dans l'ETag ; une autre version enregistrée entre-temps : 409)",
                )
            }),
        )
        .api_route(
            "/api/board/identity/logo",
            put_with(set_logo, |op| {
                op.tag(tag).summary("Déposer le logo (PNG, JPEG ou SVG reconnu au contenu, 1 Mio au plus)")
            })
            .layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 1))
            .get_with(logo, |op| op.tag(tag).summary("Le logo de l'organe d'examen"))
            .delete_with(remove_logo, |op| op.tag(tag).summary("Retirer le logo")),
        )
        .api_route(
            "/api/sessions/{id}/particulars",
            get_with(particulars, |op| {
                op.tag(tag).summary("Dates et lieux d'examen d'une session, date de notification de ses décisions")
            })
            .put_with(set_particulars, |op| {
                op.tag(tag).summary(
                    "Écrire les dates et lieux d'examen et la date de notification (jj.mm.aaaa ou aaaa-mm-jj)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/decisions",
            get_with(decisions, |op| {
                op.tag(tag).summary(
                    "Ce que les décisions d'examen impriment : identité, dates et lieux, candidat·e·s, notification et délai de recours (PA art. 20 et 22a)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/successful/xlsx",
            get_with(successful_xlsx, |op| {
                op.tag(tag).summary("Liste des candidat·e·s ayant réussi pour l'office fédéral (classeur Excel)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/successful/csv",
            get_with(successful_csv, |op| {
                op.tag(tag).summary(
                    "Liste des candidat·e·s ayant réussi pour l'office fédéral (CSV ; avec BOM)",
                )
            }),
        )
}

// ---------------------------------------------------------------- types

/// A person who signs the documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatoryDto {
    /// Full name, 1 to 120 characters.
    pub name: String,
    /// Function, 1 to 120 characters.
    pub function: String,
}

/// A text in each language (absent: the default text).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// French.
    #[serde(default)]
    pub fr: Option<String>,
    /// German.
    #[serde(default)]
    pub de: Option<String>,
    /// Italian.
    #[serde(default)]
    pub it: Option<String>,
}

impl Texts {
    /// The text in `language`, if given.
    pub fn get(&self, language: Language) -> Option<&str> {
        match language {
            Language::Fr => self.fr.as_deref(),
            Language::De => self.de.as_deref(),
            Language::It => self.it.as_deref(),
        }
    }
}

/// The exam body's identity as written by the board.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityRequest {
    /// The exam body's name, 1 to 200 characters.
    pub name: String,
    /// Its postal address, at most 6 lines of at most 120 characters.
    #[serde(default)]
    pub address: Vec<String>,
    /// Where its letters are signed (« Berne »), at most 80 characters.
    #[serde(default)]
    pub seat: String,
    /// Who signs, at most 3.
    #[serde(default)]
    pub signatories: Vec<SignatoryDto>,
    /// The canton whose holidays count (`BE`, `ZH`, ...).
    #[serde(default)]
    pub canton: Option<String>,
    /// The holidays on which an appeal period does not end (besides
    /// Saturdays and Sundays). Absent: the holidays grille proposes for
    /// the canton (see `canton_holidays` of the answer), or without a
    /// canton the days nearly every canton keeps.
    #[serde(default)]
    pub holidays: Option<Vec<Holiday>>,
    /// Days between publication and notification (postal delivery), 0 to 14.
    #[serde(default = "default_postal_days")]
    pub postal_days: u32,
    /// The legal remedies in the body's own words, per language, at most
    /// 3000 characters each; absent or blank: the default text.
    #[serde(default)]
    pub remedy: Texts,
}

fn default_postal_days() -> u32 {
    BoardIdentity::default().postal_days
}

/// The stored logo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogoView {
    /// `image/png`, `image/jpeg` or `image/svg+xml`.
    pub media_type: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Where it is served (with its hash, so that a new logo is a new
    /// address for caches).
    pub url: String,
}

/// The holidays grille proposes for one canton.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CantonHolidays {
    /// The canton's two-letter code.
    pub canton: String,
    /// Its holidays, in the order of the year.
    pub holidays: Vec<Holiday>,
}

/// Every canton's proposal, computed once per process.
fn canton_proposals() -> Vec<CantonHolidays> {
    static PROPOSALS: std::sync::OnceLock<Vec<CantonHolidays>> = std::sync::OnceLock::new();
    PROPOSALS
        .get_or_init(|| {
            CANTONS
                .iter()
                .map(|canton| CantonHolidays {
                    canton: (*canton).to_owned(),
                    holidays: appeal::canton_holidays(canton).map(<[Holiday]>::to_vec).unwrap_or_default(),
                })
                .collect()
        })
        .clone()
}

/// The exam body's identity as the documents print it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct IdentityView {
    /// Whether the board has written it (otherwise every text is empty and
    /// the defaults hold).
    pub configured: bool,
    /// The exam body's name.
    pub name: String,
    /// Its postal address, one line per item.
    pub address: Vec<String>,
    /// Where its letters are signed.
    pub seat: String,
    /// Who signs.
    pub signatories: Vec<SignatoryDto>,
    /// The canton whose holidays count.
    pub canton: Option<String>,
    /// The holidays on which an appeal period does not end.
    pub holidays: Vec<Holiday>,
    /// The holidays grille proposes for each canton (its law's days kept
    /// throughout the canton; the board checks them before saving).
    pub canton_holidays: Vec<CantonHolidays>,
    /// Days between publication and notification.
    pub postal_days: u32,
    /// The body's own wording of the legal remedies, where given.
    pub remedy: Texts,
    /// The default wording, printed where the body gives none.
    pub remedy_default: Texts,
    /// The logo, if one was uploaded.
    pub logo: Option<LogoView>,
    /// When last changed (RFC 3339 UTC).
    pub updated_at: Option<String>,
    /// By whom.
    pub updated_by: Option<String>,
    /// The version a change names in If-Match (also the ETag); 0 before
    /// the first write.
    pub version: i64,
}

impl IdentityView {
    /// The wording of the legal remedies in `language`: the body's, or the
    /// default.
    pub fn remedy_in(&self, language: Language) -> String {
        self.remedy
            .get(language)
            .or_else(|| self.remedy_default.get(language))
            .map(str::to_owned)
            .unwrap_or_else(|| i18n::translate(language, "official.remedy.default"))
    }
}

fn remedy_defaults() -> Texts {
    let text = |language| Some(i18n::translate(language, "official.remedy.default"));
    Texts { fr: text(Language::Fr), de: text(Language::De), it: text(Language::It) }
}

fn identity_view(stored: Option<StoredIdentity>) -> IdentityView {
    let configured = stored.is_some();
    let version = stored.as_ref().map_or(grille_store::NO_IDENTITY_VERSION, StoredIdentity::version);
    let (identity, logo, updated_at, updated_by) = match stored {
        Some(stored) => (stored.identity, stored.logo, Some(stored.updated_at), Some(stored.updated_by)),
        None => (BoardIdentity::default(), None, None, None),
    };
    IdentityView {
        configured,
        name: identity.name,
        address: identity.address,
        seat: identity.seat,
        signatories: identity
            .signatories
            .into_iter()
            .map(|signatory| SignatoryDto { name: signatory.name, function: signatory.function })
            .collect(),
        canton: identity.canton,
        holidays: identity.holidays,
        canton_holidays: canton_proposals(),
        postal_days: identity.postal_days,
        remedy: Texts { fr: identity.remedy_fr, de: identity.remedy_de, it: identity.remedy_it },
        remedy_default: remedy_defaults(),
        logo: logo.map(|logo| LogoView {
            url: format!("/api/board/identity/logo?v={}", &logo.sha256[..logo.sha256.len().min(16)]),
            media_type: logo.media_type,
            sha256: logo.sha256,
            size: logo.size,
        }),
        updated_at,
        updated_by,
        version,
    }
}

/// The identity with its version as ETag.
fn tagged(stored: Option<StoredIdentity>) -> Tagged<IdentityView> {
    let body = identity_view(stored);
    Tagged { version: body.version, body }
}

// ---------------------------------------------------------------- checks

/// `text` trimmed, with a problem at `pointer` when it is longer than
/// `max` characters, has a control character, or is empty and `required`.
fn checked_text(
    problems: &mut Vec<FieldError>,
    pointer: &str,
    text: &str,
    max: usize,
    required: bool,
    multiline: bool,
) -> String {
    let text = text.trim();
    if required && text.is_empty() {
        problems.push(FieldError::said_at(pointer, Message::new(MessageCode::FieldRequired)));
    } else if text.chars().count() > max {
        problems.push(FieldError::said_at(
            pointer,
            Message::new(MessageCode::TextTooLong).with("max", max.to_string()),
        ));
    } else if text.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        problems.push(FieldError::said_at(pointer, Message::new(MessageCode::ControlCharacter)));
    }
    text.to_owned()
}

fn checked_identity(request: &IdentityRequest) -> Result<BoardIdentity, ApiError> {
    let mut problems = Vec::new();
    let name = checked_text(&mut problems, "/name", &request.name, 200, true, false);
    if request.address.len() > 6 {
        problems.push(FieldError::said_at(
            "/address",
            Message::new(MessageCode::AddressTooLong).with("max", "6"),
        ));
    }
    let address: Vec<String> = request
        .address
        .iter()
        .enumerate()
        .map(|(index, line)| {
            checked_text(&mut problems, &format!("/address/{index}"), line, 120, false, false)
        })
        .filter(|line| !line.is_empty())
        .collect();
    let seat = checked_text(&mut problems, "/seat", &request.seat, 80, false, false);
    if request.signatories.len() > MAX_SIGNATORIES {
        problems.push(FieldError::said_at(
            "/signatories",
            Message::new(MessageCode::IdentitySignatoriesTooMany)
                .with("max", MAX_SIGNATORIES.to_string())
                .with("count", request.signatories.len().to_string()),
        ));
    }
    let signatories = request
        .signatories
        .iter()
        .enumerate()
        .map(|(index, signatory)| Signatory {
            name: checked_text(
                &mut problems,
                &format!("/signatories/{index}/name"),
                &signatory.name,
                120,
                true,
                false,
            ),
            function: checked_text(
                &mut problems,
                &format!("/signatories/{index}/function"),
                &signatory.function,
                120,
                true,
                false,
            ),
        })
        .collect();
    let canton = match request.canton.as_deref().map(str::trim).filter(|code| !code.is_empty()) {
        None => None,
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            if !CANTONS.contains(&upper.as_str()) {
                problems.push(FieldError::said_at(
                    "/canton",
                    Message::new(MessageCode::CantonUnknown).with("code", code),
                ));
            }
            Some(upper)
        }
    };
    let mut holidays = match &request.holidays {
        Some(holidays) => holidays.clone(),
        None => canton
            .as_deref()
            .and_then(appeal::canton_holidays)
            .map_or_else(|| Holiday::DEFAULT.to_vec(), <[Holiday]>::to_vec),
    };
    holidays.sort();
    holidays.dedup();
    if request.postal_days > 14 {
        problems.push(FieldError::said_at("/postal_days", Message::new(MessageCode::IdentityPostalDays)));
    }
    let mut remedy = |pointer: &str, text: &Option<String>| {
        text.as_deref()
            .map(|text| checked_text(&mut problems, pointer, text, 3000, false, true))
            .filter(|text| !text.is_empty())
    };
    let remedy_fr = remedy("/remedy/fr", &request.remedy.fr);
    let remedy_de = remedy("/remedy/de", &request.remedy.de);
    let remedy_it = remedy("/remedy/it", &request.remedy.it);
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    Ok(BoardIdentity {
        name,
        address,
        seat,
        signatories,
        canton,
        holidays,
        postal_days: request.postal_days,
        remedy_fr,
        remedy_de,
        remedy_it,
    })
}

/// The media type of a logo, by its content: PNG, JPEG, or an SVG
/// document without scripts, event handlers or outside references.
pub fn logo_media_type(bytes: &[u8]) -> Result<&'static str, Message> {
    if bytes.is_empty() {
        return Err(Message::new(MessageCode::FileEmpty));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(Message::new(MessageCode::LogoTooLarge).with("max", (MAX_LOGO_BYTES / 1024).to_string()));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    let not_image = Message::new(MessageCode::LogoNotImage);
    let Ok(text) = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) else {
        return Err(not_image);
    };
    let lower = text.to_ascii_lowercase();
    let start = lower.trim_start();
    let looks_like_svg =
        (start.starts_with("<svg") || start.starts_with("<?xml") || start.starts_with("<!--"))
            && lower.contains("<svg")
            && (lower.contains("</svg>") || lower.trim_end().ends_with("/>"));
    if !looks_like_svg {
        return Err(not_image);
    }
    let attribute_handler =
        lower.match_indices(" on").chain(lower.match_indices("\non")).chain(lower.match_indices("\ton")).any(
            |(index, found)| {
                let rest = &lower[index + found.len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                !name.is_empty() && rest[name.len()..].trim_start().starts_with('=')
            },
        );
    let forbidden = [
        "<script",
        "javascript:",
        "<foreignobject",
        "<!entity",
        "<!doctype",
        "xlink:href=\"http",
        "href=\"http",
        "@import",
        "<iframe",
        "<embed",
        "<object",
    ];
    if attribute_handler || forbidden.iter().any(|needle| lower.contains(needle)) {
        return Err(Message::new(MessageCode::LogoSvgActive));
    }
    Ok("image/svg+xml")
}

fn checked_date(problems: &mut Vec<FieldError>, pointer: &str, text: &str) -> Option<Date> {
    match Date::parse(text) {
        Ok(date) => Some(date),
        Err(error) => {
            problems.push(FieldError::said_at(pointer, crate::error::date_message(&error, text.trim())));
            None
        }
    }
}

// ---------------------------------------------------------------- identity

fn ask(user: &User, action: IdentityAction) -> Result<(), ApiError> {
    identity_permit(action, crate::exam::flow_role(user.role)).map_err(ApiError::from)
}

async fn identity(State(state): State<AppState>, board: Board) -> Result<Tagged<IdentityView>, ApiError> {
    ask(&board.current.user, IdentityAction::Read)?;
    let stored = state.db(|store| store.board_identity()).await?;
    Ok(tagged(stored))
}

/// Writes the identity; with If-Match, only over the version named (a
/// stale tab gets 409 and the current version).
async fn set_identity(
    State(state): State<AppState>,
    board: Board,
    IfMatch(expected): IfMatch,
    ApiJson(request): ApiJson<IdentityRequest>,
) -> Result<Tagged<IdentityView>, ApiError> {
    ask(&board.current.user, IdentityAction::Edit)?;
    let identity = checked_identity(&request)?;
    let actor = Actor::user(&board.current.user);
    let stored = state.db(move |store| store.set_board_identity(&actor, &identity, expected)).await?;
    Ok(tagged(Some(stored)))
}

async fn set_logo(
    State(state): State<AppState>,
    board: Board,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<IdentityView>, ApiError> {
    ask(&board.current.user, IdentityAction::Edit)?;
    let too_large = || ApiError::FileTooLarge { limit_mib: (MAX_LOGO_BYTES / (1024 * 1024)) as u64 };
    // Over the route's body limit axum answers in plain text: answer the
    // problem instead.
    let body = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::Malformed("Le corps de la requête n'a pas pu être lu.".to_owned())
        }
    })?;
    if body.len() > MAX_LOGO_BYTES {
        return Err(too_large());
    }
    let media_type = logo_media_type(&body)
        .map_err(|message| ApiError::Invalid(vec![FieldError::said_at("", message)]))?;
    let actor = Actor::user(&board.current.user);
    let stored = state.db(move |store| store.set_board_logo(&actor, Some((media_type, &body)))).await?;
    Ok(Json(identity_view(Some(stored))))
}

async fn remove_logo(State(state): State<AppState>, board: Board) -> Result<Json<IdentityView>, ApiError> {
    ask(&board.current.user, IdentityAction::Edit)?;
    let actor = Actor::user(&board.current.user);
    let stored =
        state.db(move |store| store.set_board_logo(&actor, None)).await.map_err(|error| match error {
            ApiError::NotFound(_) => ApiError::NotFound("Logo"),
            other => other,
        })?;
    Ok(Json(identity_view(Some(stored))))
}

async fn logo(State(state): State<AppState>, board: Board) -> Result<StoredFile, ApiError> {
    ask(&board.current.user, IdentityAction::Read)?;
    let logo = state.db(|store| store.board_logo()).await?.ok_or(ApiError::NotFound("Logo"))?;
    let extension = match logo.info.media_type.as_str() {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "svg",
    };
    Ok(StoredFile {
        media_type: logo.info.media_type,
        file_name: format!("logo.{extension}"),
        bytes: logo.bytes,
        embeddable: false,
    })
}

// ---------------------------------------------------------------- a session's particulars

/// A session id in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct SessionPath {
    /// The session id.
    id: i64,
}

/// One day and place of the exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SittingDto {
    /// The day: `31.05.2027` or `2027-05-31` (answered as ISO).
    pub date: String,
    /// Where, 1 to 120 characters.
    pub place: String,
}

/// The days and places of a session's exam and the day its decisions
/// count as notified.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticularsDto {
    /// The days and places, at most 20.
    #[serde(default)]
    pub sittings: Vec<SittingDto>,
    /// The day the decisions count as notified (`01.07.2027` or
    /// `2027-07-01`); absent: the publication day plus the postal
    /// delivery days.
    #[serde(default)]
    pub notified_on: Option<String>,
}

fn particulars_dto(particulars: SessionParticulars) -> ParticularsDto {
    ParticularsDto {
        sittings: particulars
            .sittings
            .into_iter()
            .map(|sitting| SittingDto { date: sitting.date, place: sitting.place })
            .collect(),
        notified_on: particulars.notified_on,
    }
}

fn checked_particulars(request: &ParticularsDto) -> Result<SessionParticulars, ApiError> {
    let mut problems = Vec::new();
    if request.sittings.len() > 20 {
        problems.push(FieldError::said_at(
            "/sittings",
            Message::new(MessageCode::IdentitySittingsTooMany).with("max", "20"),
        ));
    }
    let sittings = request
        .sittings
        .iter()
        .enumerate()
        .map(|(index, sitting)| {
            let date = checked_date(&mut problems, &format!("/sittings/{index}/date"), &sitting.date);
            let place = checked_text(
                &mut problems,
                &format!("/sittings/{index}/place"),
                &sitting.place,
                120,
                true,
                false,
            );
            Sitting { date: date.map(Date::iso).unwrap_or_default(), place }
        })
        .collect();
    let notified_on = request
        .notified_on
        .as_deref()
        .filter(|text| !text.trim().is_empty())
        .and_then(|text| checked_date(&mut problems, "/notified_on", text))
        .map(Date::iso);
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    Ok(SessionParticulars { sittings, notified_on })
}

/// The session, if `user` may keep its official documents' particulars:
/// any state, official sessions only ([`Action::ExportResults`]).
async fn particulars_scope(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<grille_store::ExamSession, ApiError> {
    let session = crate::scope::session_in_reach(state, user, id).await?;
    let subject = crate::scope::subject(user, &session);
    permit(Action::ExportResults, crate::exam::state_of(&session)?, &subject)?;
    if session.kind != grille_workflow::SessionKind::Official {
        return Err(ApiError::Refused(grille_workflow::Denial::SchoolOnly));
    }
    Ok(session)
}

async fn particulars(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<ParticularsDto>, ApiError> {
    particulars_scope(&state, &board.current.user, path.id).await?;
    let stored = state.db(move |store| store.session_particulars(path.id)).await?;
    Ok(Json(particulars_dto(stored)))
}

async fn set_particulars(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<ParticularsDto>,
) -> Result<Json<ParticularsDto>, ApiError> {
    particulars_scope(&state, &board.current.user, path.id).await?;
    let particulars = checked_particulars(&request)?;
    let actor = Actor::user(&board.current.user);
    let stored = state.db(move |store| store.set_session_particulars(&actor, path.id, &particulars)).await?;
    Ok(Json(particulars_dto(stored)))
}

// ---------------------------------------------------------------- decisions

/// The notification day asked for instead of the stored one.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecisionsQuery {
    /// `01.07.2027` or `2027-07-01`.
    #[serde(default)]
    notified: Option<String>,
}

/// Where the notification day comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationSource {
    /// Asked for in this request.
    Asked,
    /// Entered by the board for the session.
    Entered,
    /// The publication day plus the postal delivery days.
    Publication,
    /// Not known: the session is not published and no day was entered.
    Unknown,
}

/// The appeal period of the decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AppealView {
    /// The day of notification (ISO).
    pub notified_on: String,
    /// The first day counted (ISO).
    pub first_day: String,
    /// The 30th counted day (ISO).
    pub thirtieth_day: String,
    /// The last day to appeal (ISO).
    pub last_day: String,
    /// Its day of the week (`monday`...).
    pub last_weekday: String,
    /// The stand-still periods that lengthened it (`easter`, `summer`,
    /// `winter`).
    pub stood_still: Vec<String>,
}

/// When the decisions count as notified, and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NotificationView {
    /// Where the day comes from.
    pub source: NotificationSource,
    /// The day the session was published (ISO, Swiss time), if it was.
    pub published_on: Option<String>,
    /// The postal delivery days added to the publication day.
    pub postal_days: u32,
    /// The appeal period, when the notification day is known.
    pub appeal: Option<AppealView>,
}

/// A candidate as a decision letter addresses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DecisionCandidate {
    /// The candidate number.
    pub number: String,
    /// Family name (none once erased).
    pub family_name: Option<String>,
    /// Given names.
    pub given_name: Option<String>,
    /// Date of birth (ISO), where the register holds it.
    pub date_of_birth: Option<String>,
    /// Place of origin, where the register holds it.
    pub place_of_origin: Option<String>,
    /// Postal address, one line per item (empty: not held).
    pub address: Vec<String>,
    /// The candidate's exam language (`fr`, `de`, `it`), where known.
    pub language: Option<String>,
    /// The canton where the candidate lives, where the register holds it.
    pub canton: Option<String>,
    /// The candidate's own appeal period, when the notification day is
    /// known: counted with the holidays grille proposes for their canton
    /// of domicile (PA art. 20 al. 3), or with the board's when the
    /// register does not hold it.
    pub appeal: Option<AppealView>,
}

/// What the decision letters of a session print besides the results.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DecisionsView {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The exam body.
    pub identity: IdentityView,
    /// The days and places of the exam (the session's date, place
    /// unknown, when none were entered).
    pub sittings: Vec<SittingDto>,
    /// The day entered by the board, if any (ISO).
    pub notified_on_entered: Option<String>,
    /// The notification and the appeal period.
    pub notification: NotificationView,
    /// The candidates, by number.
    pub candidates: Vec<DecisionCandidate>,
}

/// The stored instant `utc` as a Swiss calendar day.
fn swiss_day(utc: &str) -> Option<Date> {
    let local = grille_workflow::time::utc_to_swiss_local(utc)?;
    Date::parse(local.split('T').next()?).ok()
}

fn appeal_view(notified: Date, holidays: &[Holiday]) -> AppealView {
    let deadline = appeal::appeal_deadline(notified, holidays);
    AppealView {
        notified_on: notified.iso(),
        first_day: deadline.first_day.iso(),
        thirtieth_day: deadline.thirtieth_day.iso(),
        last_day: deadline.last_day.iso(),
        last_weekday: deadline.last_day.weekday().code().to_owned(),
        stood_still: deadline.stood_still.iter().map(|period| period.code().to_owned()).collect(),
    }
}

/// When a session's decisions count as notified and the holidays each
/// candidate's appeal period counts with.
pub(crate) struct AppealDeadlines {
    /// The notification day, while known.
    notified: Option<Date>,
    /// The board's holidays.
    holidays: Vec<Holiday>,
    /// The canton of domicile of the candidates whose register holds it.
    cantons: std::collections::HashMap<String, String>,
}

impl AppealDeadlines {
    /// The last day of candidate `number`'s appeal period: counted with
    /// the holidays proposed for their canton of domicile (PA art. 20
    /// al. 3) where the register holds it, else the board's; `None` while
    /// the notification day is unknown.
    pub(crate) fn last_day(&self, number: &str) -> Option<Date> {
        let holidays = self
            .cantons
            .get(number)
            .and_then(|canton| appeal::canton_holidays(canton))
            .unwrap_or(&self.holidays);
        self.notified.map(|notified| appeal::appeal_deadline(notified, holidays).last_day)
    }
}

/// The appeal periods of session `id`'s decisions: from the notification
/// day the board entered, or the publication day plus the postal
/// delivery days.
pub(crate) async fn appeal_deadlines(state: &AppState, id: i64) -> Result<AppealDeadlines, ApiError> {
    let (stored, particulars, published_at, register) = state
        .db(move |store| {
            Ok((
                store.board_identity()?,
                store.session_particulars(id)?,
                store.session_published_at(id)?,
                store.session_register(id)?,
            ))
        })
        .await?;
    let identity = identity_view(stored);
    let entered = particulars.notified_on.as_deref().and_then(|text| Date::parse(text).ok());
    let published =
        published_at.as_deref().and_then(swiss_day).map(|day| day.plus(i64::from(identity.postal_days)));
    let cantons = register
        .into_iter()
        .filter_map(|(number, entry)| {
            entry.master.and_then(|master| master.canton).map(|canton| (number, canton))
        })
        .collect();
    Ok(AppealDeadlines { notified: entered.or(published), holidays: identity.holidays, cantons })
}

/// The session, if `user` may issue its official documents.
pub(crate) async fn documents_scope(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<grille_store::ExamSession, ApiError> {
    let session = crate::scope::session_in_reach(state, user, id).await?;
    documents_permit(crate::exam::state_of(&session)?, &crate::scope::subject(user, &session))?;
    Ok(session)
}

async fn decisions(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<DecisionsQuery>,
) -> Result<Json<DecisionsView>, ApiError> {
    let asked = match query.notified.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
        None => None,
        // A well-formed query whose value is not a day: a value problem
        // (422), as for the same date in a body.
        Some(text) => Some(Date::parse(text).map_err(|error| {
            ApiError::Invalid(vec![FieldError::said_at(
                "/notified",
                crate::error::date_message(&error, text),
            )])
        })?),
    };
    let session = documents_scope(&state, &board.current.user, path.id).await?;
    let id = path.id;
    let (stored, particulars, published_at, candidates) = state
        .db(move |store| {
            Ok((
                store.board_identity()?,
                store.session_particulars(id)?,
                store.session_published_at(id)?,
                store.session_register(id)?,
            ))
        })
        .await?;
    let identity = identity_view(stored);
    let published_on = published_at.as_deref().and_then(swiss_day);
    let entered = particulars.notified_on.as_deref().and_then(|text| Date::parse(text).ok());
    let (source, notified) = match (asked, entered, published_on) {
        (Some(day), _, _) => (NotificationSource::Asked, Some(day)),
        (None, Some(day), _) => (NotificationSource::Entered, Some(day)),
        (None, None, Some(day)) => {
            (NotificationSource::Publication, Some(day.plus(i64::from(identity.postal_days))))
        }
        (None, None, None) => (NotificationSource::Unknown, None),
    };
    let mut sittings: Vec<SittingDto> = particulars_dto(particulars.clone()).sittings;
    if sittings.is_empty()
        && let Some(date) = session.exam_date.as_deref()
    {
        sittings.push(SittingDto { date: date.to_owned(), place: String::new() });
    }
    let board_appeal = notified.map(|day| appeal_view(day, &identity.holidays));
    let notification = NotificationView {
        source,
        published_on: published_on.map(Date::iso),
        postal_days: identity.postal_days,
        appeal: board_appeal.clone(),
    };
    Ok(Json(DecisionsView {
        session_id: session.id,
        session_name: session.name.clone(),
        identity,
        sittings,
        notified_on_entered: particulars.notified_on,
        notification,
        candidates: candidates
            .into_values()
            .map(|entry| {
                let master = entry.master.unwrap_or_default();
                let given = |text: String| (!text.is_empty()).then_some(text);
                DecisionCandidate {
                    number: entry.number.as_str().to_owned(),
                    family_name: given(master.family_name),
                    given_name: given(master.given_name),
                    date_of_birth: master.date_of_birth,
                    place_of_origin: master.place_of_origin,
                    address: master.address,
                    language: master.exam_language,
                    appeal: match master.canton.as_deref().and_then(appeal::canton_holidays) {
                        Some(holidays) => notified.map(|day| appeal_view(day, holidays)),
                        None => board_appeal.clone(),
                    },
                    canton: master.canton,
                }
            })
            .collect(),
    }))
}

/// The language of the list's headers.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// `fr` (default), `de` or `it`.
    #[serde(default)]
    lang: Option<LanguageDto>,
}

/// A language of the documents.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum LanguageDto {
    Fr,
    De,
    It,
}

/// The rows of the list of successful candidates: its header in
/// `language`, then per candidate (by number) their number, family name,
/// given names, date of birth and place of origin (empty: not held), the
/// overall grade and the exam days.
async fn successful_rows(
    state: &AppState,
    user: &User,
    id: i64,
    language: Language,
) -> Result<(Vec<String>, Vec<SuccessfulRow>), ApiError> {
    let session = documents_scope(state, user, id).await?;
    let (results, candidates, particulars) = state
        .db(move |store| {
            Ok((store.session_results(id)?, store.session_register(id)?, store.session_particulars(id)?))
        })
        .await?;
    let exam_days: Vec<String> = if particulars.sittings.is_empty() {
        session.exam_date.iter().cloned().collect()
    } else {
        particulars.sittings.iter().map(|sitting| sitting.date.clone()).collect()
    };
    let swiss = |iso: &str| Date::parse(iso).map(Date::swiss).unwrap_or_else(|_| iso.to_owned());
    let exam_days = exam_days.iter().map(|day| swiss(day)).collect::<Vec<_>>().join(", ");
    let header: Vec<String> = [
        "official.list.number",
        "official.list.family_name",
        "official.list.given_name",
        "official.list.date_of_birth",
        "official.list.place_of_origin",
        "official.list.overall",
        "official.list.exam_days",
    ]
    .iter()
    .map(|key| i18n::translate(language, key))
    .collect();
    let mut passed: Vec<&grille_store::StoredResult> =
        results.iter().filter(|result| result.outcome == "passed").collect();
    passed.sort_by(|a, b| a.candidate.as_str().cmp(b.candidate.as_str()));
    let rows = passed
        .into_iter()
        .map(|result| {
            let master = candidates.get(result.candidate.as_str()).and_then(|entry| entry.master.as_ref());
            SuccessfulRow {
                number: result.candidate.as_str().to_owned(),
                family_name: master.map(|master| master.family_name.clone()).unwrap_or_default(),
                given_name: master.map(|master| master.given_name.clone()).unwrap_or_default(),
                date_of_birth: master
                    .and_then(|master| master.date_of_birth.as_deref())
                    .and_then(|iso| Date::parse(iso).ok()),
                place_of_origin: master.and_then(|master| master.place_of_origin.clone()).unwrap_or_default(),
                overall: result
                    .overall_grade
                    .as_deref()
                    .and_then(|grade| grade.parse::<rust_decimal::Decimal>().ok()),
                exam_days: exam_days.clone(),
            }
        })
        .collect();
    Ok((header, rows))
}

/// One successful candidate on the list.
struct SuccessfulRow {
    number: String,
    family_name: String,
    given_name: String,
    date_of_birth: Option<Date>,
    place_of_origin: String,
    overall: Option<rust_decimal::Decimal>,
    exam_days: String,
}

fn list_language(query: &ListQuery) -> Language {
    match query.lang.unwrap_or(LanguageDto::Fr) {
        LanguageDto::Fr => Language::Fr,
        LanguageDto::De => Language::De,
        LanguageDto::It => Language::It,
    }
}

async fn successful_csv(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Download, ApiError> {
    let language = list_language(&query);
    let (header, rows) = successful_rows(&state, &board.current.user, path.id, language).await?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(vec![0xEF, 0xBB, 0xBF]);
    writer.write_record(&header).map_err(ApiError::internal)?;
    for row in rows {
        let overall = row.overall.map(grille_scoring::decimal::display_grade).unwrap_or_default();
        // Swiss offices read dates as 31.12.1990.
        let date_of_birth = row.date_of_birth.map(Date::swiss).unwrap_or_default();
        writer
            .write_record([
                &row.number,
                &row.family_name,
                &row.given_name,
                &date_of_birth,
                &row.place_of_origin,
                &overall,
                &row.exam_days,
            ])
            .map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    Ok(Download {
        content_type: "text/csv; charset=utf-8",
        file_name: format!("session-{}-reussites-{}.csv", path.id, language.code()),
        body,
    })
}

async fn successful_xlsx(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<XlsxFile, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let language = list_language(&query);
    let (header, rows) = successful_rows(&state, &board.current.user, path.id, language).await?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let internal = |error: rust_xlsxwriter::XlsxError| ApiError::internal(error);
    sheet.set_name(i18n::translate(language, "official.list.sheet")).map_err(internal)?;
    let bold = Format::new().set_bold();
    // Grades with one decimal, as the exam ordinances give them.
    let grade = Format::new().set_num_format("0.0");
    let swiss_date = Format::new().set_num_format("dd.mm.yyyy");
    for (column, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, title, &bold).map_err(internal)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = index as u32 + 1;
        for (column, text) in [&row.number, &row.family_name, &row.given_name].into_iter().enumerate() {
            sheet.write_string(line, column as u16, text.as_str()).map_err(internal)?;
        }
        // A date of birth is a date cell, shown the Swiss way, so that
        // the office's spreadsheet sorts and checks it as a date.
        if let Some(born) = row.date_of_birth {
            let (year, month, day) = born.ymd();
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(year as u16, month as u8, day as u8)
                .map_err(internal)?;
            sheet.write_datetime_with_format(line, 3, &date, &swiss_date).map_err(internal)?;
        }
        sheet.write_string(line, 4, row.place_of_origin.as_str()).map_err(internal)?;
        if let Some(overall) = row.overall {
            sheet.write_with_format(line, 5, overall, &grade).map_err(internal)?;
        }
        sheet.write_string(line, 6, row.exam_days.as_str()).map_err(internal)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(internal)?;
    sheet.autofit();
    let body = workbook.save_to_buffer().map_err(internal)?;
    Ok(XlsxFile { file_name: format!("session-{}-reussites-{}.xlsx", path.id, language.code()), body })
}

/// 200 with an Excel workbook to save.
#[derive(Debug)]
pub(crate) struct XlsxFile {
    file_name: String,
    body: Vec<u8>,
}

/// The media type of an Excel workbook.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

impl axum::response::IntoResponse for XlsxFile {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, header};
        let mut response = (axum::http::StatusCode::OK, self.body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", self.file_name)) {
            response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
        }
        response
    }
}

impl aide::OperationOutput for XlsxFile {
    type Inner = Vec<u8>;

    fn operation_response(
        _ctx: &mut aide::generate::GenContext,
        _operation: &mut aide::openapi::Operation,
    ) -> Option<aide::openapi::Response> {
        let mut response = aide::openapi::Response {
            description: "Classeur Excel (.xlsx)".to_owned(),
            ..Default::default()
        };
        response.content.insert(XLSX.to_owned(), aide::openapi::MediaType::default());
        Some(response)
    }

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<aide::openapi::StatusCode>, aide::openapi::Response)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(Some(aide::openapi::StatusCode::Code(200)), response)])
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_typed_by_their_content() {
        let accepted: &[(&[u8], &str)] = &[
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "image/png"),
            (b"\xFF\xD8\xFF\xE0\0\x10JFIF", "image/jpeg"),
            (b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>", "image/svg+xml"),
            (b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "image/svg+xml"),
        ];
        for (bytes, expected) in accepted {
            assert_eq!(logo_media_type(bytes), Ok(*expected), "{:?}", String::from_utf8_lossy(bytes));
        }
        let refused: &[&[u8]] = &[
            b"",
            b"%PDF-1.7",
            b"GIF89a",
            b"<html><svg></svg></html>",
            b"plain text",
            b"\xFF\xFE<\0s\0v\0g\0",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"http://x/y.png\"/></svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\">x</a></svg>",
        ];
        for bytes in refused {
            assert!(logo_media_type(bytes).is_err(), "{:?}", String::from_utf8_lossy(bytes));
        }
        assert!(logo_media_type(&vec![0x89; MAX_LOGO_BYTES + 1]).unwrap_err().french().contains("1024 Kio"));
    }
}
