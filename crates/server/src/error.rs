//! The one error type of the HTTP API and its `application/problem+json`
//! body (RFC 9457). Client mistakes get a 4xx with a French title and
//! detail; internal failures are logged and answered with a bare 500.
//!
//! A refusal of the workflow (a locked evaluation, a session in the wrong
//! state, ...) and a conflict with a concurrent change also carry a stable
//! `code` and its `args`: the French `detail` stays as it always was, and
//! a client that speaks another language (the pages, their scripts) says
//! the code in the reader's language.

use std::collections::BTreeMap;

use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, Response as ApiResponse, SchemaObject, StatusCode as ApiStatus};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use grille_scoring::{Message, MessageArg, MessageCode};
use grille_store::StoreError;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One thing wrong with a request: where (a JSON pointer into the body, a
/// field name, or a CSV line) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FieldError {
    /// A JSON pointer (RFC 6901) into the request body, e.g. `/username`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// A field, column, query parameter or header name, when there is no
    /// JSON body (CSV, query, `If-Match`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The line of an uploaded file, counted from 1 (the header is line 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What is wrong, in French.
    pub detail: String,
    /// What is wrong as a stable code (`problem.<code>` in the translation
    /// catalogue): a document's problem, or one of the API's own checks
    /// (CSV uploads, dates, request bodies); with `args`, a client renders
    /// it in its reader's language. Absent for a sentence not yet coded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<MessageCode>,
    /// The arguments of `code` (texts, nested messages, lists of
    /// messages), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, MessageArg>,
}

impl FieldError {
    /// A problem at a JSON pointer.
    pub fn at(pointer: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            pointer: Some(pointer.into()),
            field: None,
            line: None,
            detail: detail.into(),
            code: None,
            args: BTreeMap::new(),
        }
    }

    /// A document's problem at `pointer`: its French sentence as `detail`,
    /// its code and arguments beside it.
    pub fn of_problem(pointer: impl Into<String>, problem: grille_competence::Problem) -> FieldError {
        FieldError::at(pointer, problem.message).said_by(problem.detail)
    }

    /// The same problem with the code and arguments of `message` (the
    /// `detail` stays as it is).
    pub fn said_by(self, message: Message) -> FieldError {
        FieldError { code: Some(message.code), args: message.args, ..self }
    }

    /// A problem at a JSON pointer, said by `message`: its French text as
    /// `detail`, its code and arguments beside it.
    pub fn said_at(pointer: impl Into<String>, message: Message) -> FieldError {
        FieldError::at(pointer, message.french()).said_by(message)
    }

    /// A problem in a field of a line of an uploaded file, said by
    /// `message` (see [`FieldError::said_at`]).
    pub fn said_on_line(line: u64, field: Option<&str>, message: Message) -> FieldError {
        FieldError::on_line(line, field, message.french()).said_by(message)
    }

    /// A problem in a named field, said by `message`.
    pub fn said_in_field(field: impl Into<String>, message: Message) -> FieldError {
        FieldError::in_field(field, message.french()).said_by(message)
    }

    /// The message of `code` and `args`, when the problem has a code.
    pub fn message(&self) -> Option<Message> {
        self.code.map(|code| Message { code, args: self.args.clone() })
    }

    /// A problem in a named field, column, query parameter or header.
    pub fn in_field(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError { pointer: None, field: Some(field.into()), ..FieldError::at("", detail) }
    }

    /// The same problem inside the member `prefix` of a larger document
    /// (its pointer prefixed).
    pub fn under(self, prefix: &str) -> FieldError {
        FieldError { pointer: self.pointer.map(|pointer| format!("{prefix}{pointer}")), ..self }
    }

    /// A problem in a field of a line of an uploaded file.
    pub fn on_line(line: u64, field: Option<&str>, detail: impl Into<String>) -> FieldError {
        FieldError {
            pointer: None,
            field: field.map(str::to_owned),
            line: Some(line),
            ..FieldError::at("", detail)
        }
    }
}

/// Why `text` is not a date, as a message (`problem.date.*`).
pub fn date_message(error: &grille_workflow::appeal::DateError, text: &str) -> Message {
    use grille_workflow::appeal::DateError;
    let code = match error {
        DateError::Form => MessageCode::DateForm,
        DateError::NoSuchDay => MessageCode::DateNoSuchDay,
        DateError::OutOfRange => MessageCode::DateOutOfRange,
    };
    Message::new(code).with("text", text)
}

/// Problem details (RFC 9457), the body of every error answer.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` or a `urn:grille:` name).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short French summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// A French explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A stable code of this occurrence (`denial.locked`,
    /// `conflict.stale_version`, ...), for clients that say it in their
    /// reader's language; `detail` is its French text. Absent where the
    /// type says enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The values the code's text speaks of, by name (e.g. `state`:
    /// `finalised`). Absent when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, String>,
    /// Every problem found in the request, when there are several. Absent
    /// when there are none; `default` keeps it optional in the schema, as
    /// it is in the answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// Everything a handler can fail with. Each variant says its status code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body could not be read.
    #[error("malformed body: {0}")]
    Malformed(String),
    /// 400: the body is not JSON; where the syntax breaks.
    #[error("malformed JSON at line {line}, column {column}")]
    MalformedJson {
        /// The line, counted from 1.
        line: usize,
        /// The column, counted from 1.
        column: usize,
    },
    /// 415: the body has the wrong media type.
    #[error("unsupported media type, expected {expected}")]
    UnsupportedMediaType {
        /// The media type expected.
        expected: &'static str,
    },
    /// 413: the body is larger than the limit.
    #[error("body too large")]
    TooLarge,
    /// 413: an uploaded file is larger than its route admits.
    #[error("file too large (limit {limit_mib} MiB)")]
    FileTooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// 422: the body is well-formed but some values are wrong; every
    /// problem is listed.
    #[error("invalid request: {0:?}")]
    Invalid(Vec<FieldError>),
    /// 400: a path parameter has the wrong form (e.g. a non-numeric id).
    #[error("bad path parameter: {0}")]
    BadPath(String),
    /// 400: a query parameter has the wrong form or value; the parameter
    /// and what it admits are said.
    #[error("bad query parameter {parameter:?}: {message:?}")]
    BadQuery {
        /// The parameter, when known.
        parameter: Option<String>,
        /// What is wrong and what is admitted (`query.*`), said in French
        /// as the `detail` and beside it as a code in the parameter's
        /// entry of `errors`.
        message: Message,
    },
    /// 400: the `If-Match` header is not a version (a precondition that
    /// cannot be read, not an address problem); `if_match.*`.
    #[error("malformed If-Match: {0:?}")]
    BadIfMatch(Message),
    /// 401: no valid credentials (no token, expired or unknown token,
    /// wrong password).
    #[error("unauthenticated")]
    Unauthenticated,
    /// 401: username or password wrong.
    #[error("bad credentials")]
    BadCredentials,
    /// 401: the current password given to change it is wrong.
    #[error("wrong current password")]
    WrongPassword,
    /// 401: the password is right but the account has a second factor and
    /// no code was sent.
    #[error("second factor required")]
    SecondFactorRequired,
    /// 401: the password is right but the second factor's code is wrong or
    /// already used.
    #[error("second factor invalid")]
    SecondFactorInvalid,
    /// 403: the configuration requires a second factor for this role and
    /// the account has none yet: only its enrolment is allowed.
    #[error("second factor setup required")]
    SecondFactorSetup,
    /// 403: the user's role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// 403: the workflow refuses this user here (not assigned, blind
    /// double marking); the reason is said.
    #[error("denied: {0}")]
    Denied(String),
    /// 428: a write that must name the version it replaces came without
    /// `If-Match`.
    #[error("precondition required")]
    PreconditionRequired,
    /// 403: a cookie-authenticated write without the CSRF token.
    #[error("csrf token missing or wrong")]
    Csrf,
    /// 405: the route exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 404: the thing named does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: the thing exists already, or a concurrent write happened.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 403 or 409: the workflow refuses (see the status of each
    /// [`grille_workflow::Denial`] in `From<Denial>`); the problem carries
    /// its code and arguments beside the French sentence.
    #[error("refused: {0:?}")]
    Refused(grille_workflow::Denial),
    /// 409: a conflict with a stable code (a concurrent change, a locked
    /// thing), its arguments and its French sentence.
    #[error("conflict {code}: {detail}")]
    CodedConflict {
        /// The code, e.g. `conflict.stale_version`.
        code: &'static str,
        /// The values its text speaks of.
        args: Vec<(&'static str, String)>,
        /// The French sentence.
        detail: String,
    },
    /// 429: too many failed logins for this username; retry after the
    /// given number of seconds.
    #[error("too many failed logins")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// 503: the server is computing as many password hashes as it allows
    /// at once; retry after the given number of seconds.
    #[error("busy")]
    Busy {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// 503: the database cannot be reached now (PostgreSQL restarting):
    /// nothing of the request was committed; retry later.
    #[error("database unavailable: {cause}")]
    Unavailable {
        /// Seconds to wait.
        retry_after: u64,
        /// What the store said (logged, never sent).
        cause: String,
    },
    /// 409: a conflict said by a message (its code, arguments and French
    /// text).
    #[error("conflict: {0:?}")]
    ConflictSaid(Message),
    /// 403: a refusal said by a message (its code, arguments and French
    /// text).
    #[error("denied: {0:?}")]
    DeniedSaid(Message),
    /// 500: anything else; the cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// An internal error from anything displayable.
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(error.to_string())
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_)
            | ApiError::MalformedJson { .. }
            | ApiError::BadPath(_)
            | ApiError::BadQuery { .. }
            | ApiError::BadIfMatch(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooLarge | ApiError::FileTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthenticated
            | ApiError::BadCredentials
            | ApiError::WrongPassword
            | ApiError::SecondFactorRequired
            | ApiError::SecondFactorInvalid => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden
            | ApiError::Csrf
            | ApiError::Denied(_)
            | ApiError::DeniedSaid(_)
            | ApiError::SecondFactorSetup => StatusCode::FORBIDDEN,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) | ApiError::CodedConflict { .. } | ApiError::ConflictSaid(_) => {
                StatusCode::CONFLICT
            }
            ApiError::Refused(denial) if refused_with_403(denial) => StatusCode::FORBIDDEN,
            ApiError::Refused(_) => StatusCode::CONFLICT,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } | ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of this error and its arguments: a refusal's or a
    /// coded conflict's own, a message's, or the generic code of its kind
    /// (`request.*`, said in the reader's language by the pages).
    fn code(&self) -> (Option<&'static str>, Vec<(String, String)>) {
        let generic = |code: &'static str| (Some(code), Vec::new());
        let owned = |args: Vec<(&str, String)>| -> Vec<(String, String)> {
            args.into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
        };
        match self {
            ApiError::Refused(denial) => (Some(denial.code()), owned(denial.args())),
            ApiError::CodedConflict { code, args, .. } => (Some(*code), owned(args.clone())),
            ApiError::ConflictSaid(message) | ApiError::DeniedSaid(message) => (
                Some(message.code.as_str()),
                message
                    .args
                    .iter()
                    .filter_map(|(name, value)| match value {
                        MessageArg::Text(text) => Some((name.clone(), text.clone())),
                        _ => None,
                    })
                    .collect(),
            ),
            ApiError::Malformed(_) => generic("request.malformed"),
            ApiError::MalformedJson { line, column } => (
                Some("request.malformed_json"),
                owned(vec![("line", line.to_string()), ("column", column.to_string())]),
            ),
            ApiError::UnsupportedMediaType { expected } => {
                (Some("request.media_type"), owned(vec![("expected", (*expected).to_owned())]))
            }
            ApiError::TooLarge => (
                Some("request.too_large"),
                owned(vec![("limit", (crate::BODY_LIMIT / (1024 * 1024)).to_string())]),
            ),
            ApiError::FileTooLarge { limit_mib } => {
                (Some("request.file_too_large"), owned(vec![("limit", limit_mib.to_string())]))
            }
            ApiError::Invalid(errors) => {
                (Some("request.invalid"), owned(vec![("count", errors.len().to_string())]))
            }
            ApiError::BadPath(_) => generic("request.bad_path"),
            ApiError::BadQuery { parameter: Some(parameter), .. } => {
                (Some("request.bad_query_parameter"), owned(vec![("parameter", parameter.clone())]))
            }
            ApiError::BadQuery { parameter: None, .. } => generic("request.bad_query"),
            ApiError::BadIfMatch(_) => generic("request.if_match_invalid"),
            ApiError::Unauthenticated => generic("request.unauthenticated"),
            ApiError::BadCredentials => generic("request.bad_credentials"),
            ApiError::WrongPassword => generic("request.wrong_password"),
            ApiError::SecondFactorRequired => generic("request.second_factor_required"),
            ApiError::SecondFactorInvalid => generic("request.second_factor_invalid"),
            ApiError::SecondFactorSetup => generic("request.second_factor_setup"),
            ApiError::Forbidden => generic("request.forbidden"),
            ApiError::Denied(_) => generic("request.denied"),
            ApiError::PreconditionRequired => generic("request.if_match_required"),
            ApiError::Csrf => generic("request.csrf"),
            ApiError::MethodNotAllowed => generic("request.method"),
            ApiError::NotFound(what) => {
                (Some("request.not_found"), owned(vec![("what", (*what).to_owned())]))
            }
            ApiError::Conflict(_) => generic("request.conflict"),
            ApiError::TooManyAttempts { retry_after } => {
                (Some("request.too_many_attempts"), owned(vec![("seconds", retry_after.to_string())]))
            }
            ApiError::Busy { retry_after } => {
                (Some("request.busy"), owned(vec![("seconds", retry_after.to_string())]))
            }
            ApiError::Unavailable { retry_after, .. } => {
                (Some("request.unavailable"), owned(vec![("seconds", retry_after.to_string())]))
            }
            ApiError::Internal(_) => generic("request.internal"),
        }
    }

    /// The problem body sent for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        let (code, args) = self.code();
        let (kind, title, detail, errors) = match self {
            ApiError::Malformed(detail) => {
                ("urn:grille:malformed", "Requête mal formée", Some(detail.clone()), Vec::new())
            }
            ApiError::MalformedJson { line, column } => (
                "urn:grille:malformed",
                "Requête mal formée",
                Some(format!("JSON mal formé (ligne {line}, colonne {column}).")),
                Vec::new(),
            ),
            ApiError::ConflictSaid(message) => ("urn:grille:conflict", "Conflit", Some(message.french()), Vec::new()),
            ApiError::DeniedSaid(message) => {
                ("urn:grille:denied", "Accès refusé", Some(message.french()), Vec::new())
            }
            ApiError::UnsupportedMediaType { expected } => (
                "urn:grille:media-type",
                "Type de contenu non pris en charge",
                Some(format!("Le corps de la requête doit être de type {expected}.")),
                Vec::new(),
            ),
            ApiError::TooLarge => (
                "urn:grille:too-large",
                "Requête trop volumineuse",
                Some(format!("Le corps de la requête dépasse {} Mio.", crate::BODY_LIMIT / (1024 * 1024))),
                Vec::new(),
            ),
            ApiError::FileTooLarge { limit_mib } => (
                "urn:grille:too-large",
                "Requête trop volumineuse",
                Some(format!("Le fichier dépasse {limit_mib} Mio.")),
                Vec::new(),
            ),
            ApiError::Invalid(errors) => (
                "urn:grille:invalid",
                "Données invalides",
                Some(format!("{} erreur(s) dans la requête ; rien n'a été enregistré.", errors.len())),
                errors.clone(),
            ),
            ApiError::BadPath(detail) => {
                ("urn:grille:bad-path", "Adresse invalide", Some(detail.clone()), Vec::new())
            }
            ApiError::BadQuery { parameter, message } => (
                "urn:grille:bad-query",
                "Paramètre de requête invalide",
                Some(message.french()),
                parameter
                    .iter()
                    .map(|parameter| FieldError::said_in_field(parameter.clone(), message.clone()))
                    .collect(),
            ),
            ApiError::BadIfMatch(message) => (
                "urn:grille:if-match-invalid",
                "En-tête If-Match invalide",
                Some(message.french()),
                vec![FieldError::said_in_field("If-Match", message.clone())],
            ),
            ApiError::Unauthenticated => (
                "urn:grille:unauthenticated",
                "Authentification requise",
                Some("Connectez-vous pour accéder à cette ressource.".to_owned()),
                Vec::new(),
            ),
            ApiError::BadCredentials => (
                "urn:grille:bad-credentials",
                "Identifiants incorrects",
                Some("Nom d'utilisateur ou mot de passe incorrect.".to_owned()),
                Vec::new(),
            ),
            ApiError::WrongPassword => (
                "urn:grille:wrong-password",
                "Mot de passe incorrect",
                Some("Le mot de passe actuel est incorrect.".to_owned()),
                vec![FieldError::said_at("/current_password", Message::new(MessageCode::PasswordCurrentWrong))],
            ),
            ApiError::SecondFactorRequired => (
                "urn:grille:second-factor-required",
                "Second facteur requis",
                Some("Saisissez le code de votre application d'authentification (ou un code de secours).".to_owned()),
                Vec::new(),
            ),
            ApiError::SecondFactorInvalid => (
                "urn:grille:second-factor-invalid",
                "Code incorrect",
                Some("Le code est incorrect ou a déjà été utilisé.".to_owned()),
                Vec::new(),
            ),
            ApiError::SecondFactorSetup => (
                "urn:grille:second-factor-setup-required",
                "Second facteur à configurer",
                Some(
                    "Votre compte doit d'abord configurer un second facteur (POST /api/me/totp, puis /api/me/totp/confirm)."
                        .to_owned(),
                ),
                Vec::new(),
            ),
            ApiError::Forbidden => (
                "urn:grille:forbidden",
                "Accès refusé",
                Some("Votre rôle ne permet pas cette action.".to_owned()),
                Vec::new(),
            ),
            ApiError::Denied(detail) => {
                ("urn:grille:denied", "Accès refusé", Some(detail.clone()), Vec::new())
            }
            ApiError::PreconditionRequired => (
                "urn:grille:if-match",
                "En-tête If-Match requis",
                Some("Indiquez dans If-Match la version (ETag) que vous modifiez.".to_owned()),
                Vec::new(),
            ),
            ApiError::Csrf => (
                "urn:grille:csrf",
                "Jeton CSRF manquant ou incorrect",
                Some(format!(
                    "Une modification authentifiée par cookie doit porter l'en-tête {} reçu à la connexion.",
                    crate::auth::CSRF_HEADER
                )),
                Vec::new(),
            ),
            ApiError::NotFound(what) => {
                ("urn:grille:not-found", "Introuvable", Some(format!("{what} introuvable.")), Vec::new())
            }
            ApiError::MethodNotAllowed => (
                "urn:grille:method",
                "Méthode non autorisée",
                Some("Cette adresse n'accepte pas cette méthode HTTP.".to_owned()),
                Vec::new(),
            ),
            ApiError::Conflict(detail) | ApiError::CodedConflict { detail, .. } => {
                ("urn:grille:conflict", "Conflit", Some(detail.clone()), Vec::new())
            }
            ApiError::Refused(denial) if refused_with_403(denial) => {
                ("urn:grille:denied", "Accès refusé", Some(denial.message_fr()), Vec::new())
            }
            ApiError::Refused(denial) => {
                ("urn:grille:conflict", "Conflit", Some(denial.message_fr()), Vec::new())
            }
            ApiError::TooManyAttempts { retry_after } => (
                "urn:grille:too-many-attempts",
                "Trop de tentatives de connexion",
                Some(format!("Réessayez dans {retry_after} seconde(s).")),
                Vec::new(),
            ),
            ApiError::Busy { retry_after } => (
                "urn:grille:busy",
                "Serveur occupé",
                Some(format!("Trop de connexions à la fois ; réessayez dans {retry_after} seconde(s).")),
                Vec::new(),
            ),
            ApiError::Unavailable { retry_after, .. } => (
                "urn:grille:database-unavailable",
                "Base de données injoignable",
                Some(format!(
                    "La base de données est momentanément injoignable : la requête n'a pas été enregistrée. Réessayez dans {retry_after} seconde(s)."
                )),
                Vec::new(),
            ),
            ApiError::Internal(_) => (
                "urn:grille:internal",
                "Erreur interne",
                Some("Une erreur interne est survenue ; elle a été journalisée.".to_owned()),
                Vec::new(),
            ),
        };
        Problem {
            kind: kind.to_owned(),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            code: code.map(str::to_owned),
            args: args.into_iter().collect(),
            errors,
        }
    }
}

/// Whether a refusal of the workflow is answered 403 (who asks may not)
/// rather than 409 (not now, not in this state).
fn refused_with_403(denial: &grille_workflow::Denial) -> bool {
    use grille_workflow::Denial;
    matches!(denial, Denial::NotAssigned | Denial::PartnerHidden | Denial::SchoolOnly)
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound { entity } => ApiError::NotFound(entity_fr(entity)),
            StoreError::AlreadyExists { entity: "open correction proposal" } => ApiError::CodedConflict {
                code: "conflict.proposal_open",
                args: Vec::new(),
                detail: "Une correction proposée attend déjà l'approbation pour ce·tte candidat·e : qu'elle soit approuvée, rejetée ou retirée d'abord.".to_owned(),
            },
            StoreError::Locked { entity: "correction proposal" } => ApiError::CodedConflict {
                code: "conflict.proposal_decided",
                args: Vec::new(),
                detail: "Cette proposition de correction a déjà été tranchée entre-temps ; rechargez.".to_owned(),
            },
            StoreError::AlreadyExists { entity } => ApiError::CodedConflict {
                code: "conflict.exists",
                args: vec![("what", entity_fr(entity).to_owned())],
                detail: format!("{} existe déjà.", entity_fr(entity)),
            },
            StoreError::StaleVersion { current, .. } => ApiError::CodedConflict {
                code: "conflict.stale_version",
                args: vec![("current", current.to_string())],
                detail: format!(
                    "Une autre modification a été enregistrée entre-temps (version actuelle {current}) ; rechargez."
                ),
            },
            StoreError::Locked { entity: "exam session" } => ApiError::CodedConflict {
                code: "conflict.session_locked",
                args: Vec::new(),
                detail: "Les résultats de la session sont arrêtés : les évaluations ne peuvent plus changer."
                    .to_owned(),
            },
            StoreError::Locked { .. } => ApiError::CodedConflict {
                code: "conflict.locked",
                args: Vec::new(),
                detail: "Cet élément est verrouillé.".to_owned(),
            },
            StoreError::InUse { entity } => ApiError::CodedConflict {
                code: "conflict.in_use",
                args: vec![("what", entity_fr(entity).to_owned())],
                detail: format!(
                    "{} est encore utilisé·e (utilisateurs, sessions ou candidat·e·s) : suppression impossible.",
                    entity_fr(entity)
                ),
            },
            StoreError::NotReopenable { reason } => {
                let detail = format!("Cette évaluation ne peut pas être rouverte : {reason}.");
                // The store's two reasons, each with its code; another
                // one keeps the generic code of a conflict.
                match reason {
                    "elle n'est pas soumise" => {
                        ApiError::CodedConflict { code: "conflict.not_submitted", args: Vec::new(), detail }
                    }
                    "une évaluation commune du point d'appréciation repose déjà sur elle" => {
                        ApiError::CodedConflict { code: "conflict.agreed_depends", args: Vec::new(), detail }
                    }
                    _ => ApiError::Conflict(detail),
                }
            }
            StoreError::WrongState { current } => ApiError::CodedConflict {
                code: "conflict.state_changed",
                args: vec![("state", current.to_string())],
                detail: format!("La session a changé d'état entre-temps ({current}) ; rechargez."),
            },
            StoreError::Unavailable(cause) => ApiError::Unavailable { retry_after: 2, cause },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// French names of the store's entities, for messages.
fn entity_fr(entity: &str) -> &'static str {
    match entity {
        "user" => "Utilisateur",
        "exam session" => "Session d'examen",
        "candidate" => "Candidat·e",
        "enrolment" => "Inscription",
        "evaluation" => "Évaluation",
        "agreed evaluation" => "Évaluation commune",
        "examiner" => "Expert·e",
        "session document slot" => "Document de session",
        "result" => "Résultat",
        "school" => "École",
        "login session" => "Session de connexion",
        "second factor" => "Second facteur",
        "submission" => "Travail remis",
        "correction proposal" => "Proposition de correction",
        _ => "Élément",
    }
}

impl From<grille_workflow::Denial> for ApiError {
    fn from(denial: grille_workflow::Denial) -> ApiError {
        use grille_workflow::Denial;
        match denial {
            Denial::Role => ApiError::Forbidden,
            Denial::NotAssigned | Denial::PartnerHidden | Denial::SchoolOnly => ApiError::Refused(denial),
            Denial::NotPublished => ApiError::NotFound("Résultat"),
            Denial::Hidden => ApiError::NotFound("Session d'examen"),
            // Word for word the answer for a number that is not enrolled.
            Denial::UnknownCandidate => ApiError::NotFound("Candidat·e"),
            Denial::WrongState { .. }
            | Denial::Locked
            | Denial::PartnersPending
            | Denial::NothingToSubmit
            | Denial::NotReady(_)
            | Denial::RetentionRunning
            | Denial::SubmissionClosed
            | Denial::OwnAccount
            | Denial::SecondApprovalNeeded
            | Denial::OwnProposal
            | Denial::ArbiterIsExaminer
            | Denial::NoArbitration
            | Denial::CaseState(_) => ApiError::Refused(denial),
            Denial::JustificationRequired => ApiError::Invalid(vec![FieldError::said_at(
                "/justification",
                Message::new(MessageCode::AgreedJustificationRequired),
            )]),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        } else if let ApiError::Unavailable { cause, .. } = &self {
            tracing::warn!(%cause, "database unavailable");
        } else {
            tracing::debug!(status = problem.status, error = %self, "client error");
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let ApiError::TooManyAttempts { retry_after }
        | ApiError::Busy { retry_after }
        | ApiError::Unavailable { retry_after, .. } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if matches!(
            self,
            ApiError::Unauthenticated
                | ApiError::BadCredentials
                | ApiError::WrongPassword
                | ApiError::SecondFactorRequired
                | ApiError::SecondFactorInvalid
        ) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The documented error response: any 4xx or 5xx, as problem details.
pub(crate) fn problem_response(ctx: &mut GenContext) -> ApiResponse {
    let json_schema = ctx.schema.subschema_for::<Problem>();
    ApiResponse {
        description: "Erreur : détails du problème (RFC 9457)".to_owned(),
        content: IndexMap::from_iter([(
            PROBLEM_JSON.to_owned(),
            MediaType {
                schema: Some(SchemaObject { json_schema, example: None, external_docs: None }),
                ..Default::default()
            },
        )]),
        ..Default::default()
    }
}

impl aide::OperationOutput for ApiError {
    type Inner = Problem;

    fn operation_response(ctx: &mut GenContext, _operation: &mut Operation) -> Option<ApiResponse> {
        Some(problem_response(ctx))
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        _operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        vec![(None, problem_response(ctx))]
    }
}

#[cfg(test)]
mod tests {
    use grille_workflow::appeal::DateError;

    use super::*;

    #[test]
    fn a_date_problem_says_in_french_what_the_workflow_says() {
        for error in DateError::ALL {
            let text = "31.02.2027";
            assert_eq!(date_message(&error, text).french(), error.message_fr(text), "{}", error.code());
        }
    }
}
