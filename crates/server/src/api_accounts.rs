//! The board's administration of accounts beyond creating one: disable
//! and enable an account, change its role, and create many from a CSV file
//! (a preview first, then all or nothing, each new account with a
//! temporary password shown once). Every decision is asked of
//! grille-workflow ([`account_permit`]); the store audits every write.

use std::collections::{BTreeMap, HashSet};

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_competence::search::fold;
use grille_scoring::{Message, MessageCode};
use grille_store::{Actor, CandidateNumber, NewAccount, NewUser, Role, School, User};
use grille_workflow::{AccountAction, AccountSubject, account_permit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_auth::{RoleDto, UserView};
use crate::auth::{self, CurrentUser};
use crate::csv_columns::{self, Column};
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, CsvBody, CsvLayout};
use crate::passwords::password_policy;
use crate::reply::Created;

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/api/users/{username}/active",
            put_with(set_active, |op| {
                op.tag("utilisateurs").summary(
                    "Désactiver ou réactiver un compte (commission) ; un compte désactivé ne se connecte plus et ses sessions prennent fin",
                )
            }),
        )
        .api_route(
            "/api/users/{username}/role",
            put_with(change_role, |op| op.tag("utilisateurs").summary("Changer le rôle d'un compte (commission)")),
        )
        .api_route(
            "/api/users/{username}/email",
            put_with(set_email, |op| {
                op.tag("utilisateurs").summary(
                    "L'adresse électronique d'un compte, pour les rappels et mots de passe envoyés par courriel (commission ; null : la retirer)",
                )
            }),
        )
        .api_route(
            "/api/users/{username}/password/temporary",
            post_with(temporary_password_for, |op| {
                op.tag("utilisateurs").summary(
                    "Donner un mot de passe provisoire à un compte (commission) : montré une fois, ou envoyé à son adresse électronique",
                )
            }),
        )
        .api_route(
            "/api/me/email",
            get_with(my_email, |op| op.tag("authentification").summary("Mon adresse électronique"))
                .put_with(set_my_email, |op| {
                    op.tag("authentification").summary("Changer ou retirer (null) mon adresse électronique")
                }),
        )
        .api_route(
            "/api/users/csv/preview",
            post_with(preview_csv, |op| {
                op.tag("utilisateurs").summary(
                    "Vérifier un fichier CSV de comptes sans rien créer (commission) ; chaque problème à sa ligne et sa colonne",
                )
            }),
        )
        .api_route(
            "/api/users/csv",
            post_with(import_csv, |op| {
                op.tag("utilisateurs").summary(
                    "Créer les comptes d'un fichier CSV, tous ou aucun (commission) ; rend le mot de passe provisoire de chacun, une seule fois",
                )
            }),
        )
}

/// Asks grille-workflow whether `current` may do `action` on the account
/// `target` (none: on accounts in general).
pub(crate) fn permit_on(current: &User, action: AccountAction, target: Option<&str>) -> Result<(), ApiError> {
    let subject = AccountSubject {
        role: crate::exam::flow_role(current.role),
        own_account: target == Some(current.username.as_str()),
    };
    account_permit(action, &subject).map_err(ApiError::from)
}

/// A username in the path.
#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct AccountPath {
    /// The login name.
    username: String,
}

/// Whether the account may log in.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveRequest {
    /// `false` disables the account (its sessions end), `true` enables it
    /// again.
    pub active: bool,
}

/// The account's state after the change.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ActiveChanged {
    /// Whether the account may log in.
    pub active: bool,
    /// How many of its login sessions ended (disabling only).
    pub sessions_ended: usize,
}

async fn set_active(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<AccountPath>,
    ApiJson(request): ApiJson<ActiveRequest>,
) -> Result<Json<ActiveChanged>, ApiError> {
    let action = if request.active { AccountAction::Enable } else { AccountAction::Disable };
    permit_on(&current.user, action, Some(&path.username))?;
    let actor = Actor::user(&current.user);
    let active = request.active;
    let ended = state.db(move |store| store.set_user_active(&actor, &path.username, active)).await?;
    Ok(Json(ActiveChanged { active, sessions_ended: ended }))
}

/// A new role.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    /// The role the account gets.
    pub role: RoleDto,
}

/// Why an account cannot take `role` as it stands (its school, its linked
/// candidate number), at `/role`; `None` when it can.
fn role_fits(role: Role, school: Option<i64>, linked: bool) -> Option<MessageCode> {
    match role {
        Role::Trainer if school.is_none() => Some(MessageCode::AccountRoleTrainerSchool),
        Role::Admin | Role::Examiner if school.is_some() => Some(MessageCode::AccountRoleSchool),
        Role::Admin | Role::Examiner | Role::Trainer if linked => Some(MessageCode::AccountRoleCandidate),
        _ => None,
    }
}

async fn change_role(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<AccountPath>,
    ApiJson(request): ApiJson<RoleRequest>,
) -> Result<Json<UserView>, ApiError> {
    permit_on(&current.user, AccountAction::ChangeRole, Some(&path.username))?;
    let username = path.username.clone();
    let (user, linked) = state
        .db(move |store| {
            let user = store.user_by_username(&username)?;
            let linked = match &user {
                Some(user) => store.user_candidate(user.id)?.is_some(),
                None => false,
            };
            Ok((user, linked))
        })
        .await?;
    let Some(user) = user else { return Err(ApiError::NotFound("Utilisateur")) };
    let role: Role = request.role.into();
    if let Some(problem) = role_fits(role, user.school_id, linked) {
        return Err(ApiError::Invalid(vec![FieldError::said_at("/role", Message::new(problem))]));
    }
    let actor = Actor::user(&current.user);
    state.db(move |store| store.change_role(&actor, &path.username, role)).await?;
    Ok(Json(UserView::from(&User { role, ..user })))
}

// ---------------------------------------------------------------- e-mail

/// An account's e-mail address.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailRequest {
    /// The address (`null` or empty: none). At most 254 characters, one
    /// `@`, a domain with a dot.
    pub email: Option<String>,
}

/// The e-mail address of an account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EmailView {
    /// The login name.
    pub username: String,
    /// The address, if any.
    pub email: Option<String>,
}

/// The address of a request, checked: `None` for none, the pointer's
/// problem for one a relay would not take.
fn checked_email(request: EmailRequest) -> Result<Option<String>, ApiError> {
    match request.email.map(|email| email.trim().to_owned()).filter(|email| !email.is_empty()) {
        None => Ok(None),
        Some(email) if crate::mail::plausible_address(&email) => Ok(Some(email)),
        Some(email) => Err(ApiError::Invalid(vec![FieldError::said_at(
            "/email",
            Message::new(MessageCode::AccountEmailInvalid).with("email", email),
        )])),
    }
}

async fn set_email(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<AccountPath>,
    ApiJson(request): ApiJson<EmailRequest>,
) -> Result<Json<EmailView>, ApiError> {
    permit_on(&current.user, AccountAction::SetEmail, Some(&path.username))?;
    let email = checked_email(request)?;
    let actor = Actor::user(&current.user);
    let (username, stored) = (path.username.clone(), email.clone());
    state.db(move |store| store.set_user_email(&actor, &username, stored.as_deref())).await?;
    Ok(Json(EmailView { username: path.username, email }))
}

async fn my_email(State(state): State<AppState>, current: CurrentUser) -> Result<Json<EmailView>, ApiError> {
    let username = current.user.username.clone();
    let email = state.db(move |store| store.user_email(&username)).await?;
    Ok(Json(EmailView { username: current.user.username, email }))
}

async fn set_my_email(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(request): ApiJson<EmailRequest>,
) -> Result<Json<EmailView>, ApiError> {
    let email = checked_email(request)?;
    let actor = Actor::user(&current.user);
    let (username, stored) = (current.user.username.clone(), email.clone());
    state.db(move |store| store.set_user_email(&actor, &username, stored.as_deref())).await?;
    Ok(Json(EmailView { username: current.user.username, email }))
}

/// How a temporary password reaches its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Shown once in the answer, for the board to hand over.
    Show,
    /// E-mailed to the account's address (an SMTP relay must be
    /// configured); the answer does not carry it.
    Email,
}

/// A temporary password to give.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemporaryPasswordRequest {
    /// Shown to the board or e-mailed to the user.
    pub delivery: Delivery,
    /// The language of the e-mail (`fr` by default).
    #[serde(default)]
    pub language: Option<String>,
}

/// The temporary password given.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct TemporaryPassword {
    /// The login name.
    pub username: String,
    /// The password, for `show` only: shown this once, never stored in
    /// clear; the user changes it at `PUT /api/me/password`.
    pub password: Option<String>,
    /// For `email`: the address it went to.
    pub sent_to: Option<String>,
    /// How many login sessions of the user ended.
    pub sessions_ended: usize,
}

async fn temporary_password_for(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<AccountPath>,
    ApiJson(request): ApiJson<TemporaryPasswordRequest>,
) -> Result<Json<TemporaryPassword>, ApiError> {
    permit_on(&current.user, AccountAction::ResetPassword, Some(&path.username))?;
    let language = crate::mail::mail_language(request.language.as_deref())?;
    let username = path.username.clone();
    let (user, email) =
        state.db(move |store| Ok((store.user_by_username(&username)?, store.user_email(&username)?))).await?;
    if user.is_none() {
        return Err(ApiError::NotFound("Utilisateur"));
    }
    // Before the password changes: a mail that cannot leave changes nothing.
    let mail = match request.delivery {
        Delivery::Show => None,
        Delivery::Email => {
            let Some(mail) = state.config().mail.clone() else {
                return Err(ApiError::ConflictSaid(Message::new(MessageCode::AccountNoSmtp)));
            };
            let Some(address) = email else {
                return Err(ApiError::ConflictSaid(
                    Message::new(MessageCode::AccountNoEmail).with("username", &path.username),
                ));
            };
            Some((mail, address))
        }
    };
    let password = temporary_password(&path.username)?;
    let cost = state.config().password_cost;
    let hashed = password.clone();
    let password_hash = state.hashing(move || auth::hash_password(&hashed, cost)).await?;
    let actor = Actor::user(&current.user);
    let username = path.username.clone();
    let ended = state.db(move |store| store.reset_password(&actor, &username, &password_hash)).await?;
    match mail {
        None => Ok(Json(TemporaryPassword {
            username: path.username,
            password: Some(password),
            sent_to: None,
            sessions_ended: ended,
        })),
        Some((mail, address)) => {
            let translate = |key: &str| grille_report::i18n::translate(language, key);
            let subject = translate("users.temporary.mail.subject");
            let body = grille_report::i18n::format(
                &translate("users.temporary.mail.body"),
                &[("username", path.username.clone()), ("password", password)],
            );
            // The password is set: if the relay refuses, the board learns it
            // and gives another one (shown), the old one no longer works.
            mail.send(&address, &subject, body).await.map_err(|reason| {
                ApiError::ConflictSaid(
                    Message::new(MessageCode::AccountMailFailed).with("reason", reason.to_string()),
                )
            })?;
            Ok(Json(TemporaryPassword {
                username: path.username,
                password: None,
                sent_to: Some(address),
                sessions_ended: ended,
            }))
        }
    }
}

// ---------------------------------------------------------------- CSV import

/// The columns of an accounts file.
pub(crate) const ACCOUNT_COLUMNS: &[Column] = &[
    (
        "username",
        MessageCode::CsvColumnUsername,
        &["nom d'utilisateur", "utilisateur", "identifiant", "username", "login", "Benutzername", "Benutzer"],
        true,
    ),
    ("role", MessageCode::CsvColumnRole, &["rôle", "role", "Rolle"], true),
    (
        "candidate_number",
        MessageCode::CsvColumnCandidateNumber,
        &["numéro de candidat·e", "numéro", "numero", "n°", "candidate_number", "Kandidatennummer", "Nummer"],
        false,
    ),
    ("school", MessageCode::CsvColumnSchool, &["école", "school", "Schule", "scuola"], false),
];

/// An accounts file: one account per row.
#[derive(Debug, Clone, Copy)]
pub struct AccountsCsv;

impl CsvLayout for AccountsCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        ACCOUNT_COLUMNS
    }
    fn note() -> &'static str {
        " Rôles admis : expert·e (examiner, Experte), formateur·trice (trainer, Berufsbildner·in ; avec son école) \
         ou candidat·e (candidate, Kandidat·in ; avec son numéro) ; les comptes de la commission se créent un à un. \
         École : son nom ou son numéro. Au plus 500 comptes par fichier."
    }
}

/// The most accounts one file creates: each needs a password hash.
const MAX_ACCOUNTS: usize = 500;

/// The role a cell names, in French, German or English.
fn role_of(cell: &str) -> Option<Role> {
    let key: String = fold(cell).chars().filter(|c| c.is_alphanumeric()).collect();
    match key.as_str() {
        "examiner" | "expert" | "experte" | "experts" | "expertin" | "pruefer" | "prufer" | "prueferin"
        | "pruferin" => Some(Role::Examiner),
        "trainer" | "formateur" | "formatrice" | "formateurtrice" | "berufsbildner" | "berufsbildnerin"
        | "ausbilder" | "ausbilderin" => Some(Role::Trainer),
        "candidate" | "candidat" | "candidats" | "kandidat" | "kandidatin" => Some(Role::Candidate),
        "admin" | "board" | "commission" | "kommission" => Some(Role::Admin),
        _ => None,
    }
}

/// One checked row of an accounts file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AccountRow {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// The login name.
    pub username: String,
    /// The role.
    pub role: RoleDto,
    /// For a candidate: the linked candidate number.
    pub candidate_number: Option<String>,
    /// The school's id, if any.
    pub school_id: Option<i64>,
    /// The school's name, if any.
    pub school: Option<String>,
}

/// What an accounts file would create; nothing is saved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AccountsPreview {
    /// The accounts, in the file's order.
    pub accounts: Vec<AccountRow>,
    /// The encoding the file was read in (UTF-8, with or without BOM,
    /// UTF-16 or Windows-1252).
    pub encoding: crate::CsvEncoding,
}

/// One account created from a file.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ImportedAccount {
    /// The login name.
    pub username: String,
    /// The role.
    pub role: RoleDto,
    /// The password to hand over to the user (by another channel than
    /// their login name); shown this once, never stored in clear. They
    /// change it at `PUT /api/me/password`.
    pub temporary_password: String,
}

/// The accounts a file created.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct AccountsImported {
    /// In the file's order.
    pub created: Vec<ImportedAccount>,
}

/// What the checks of a file need to know of the store.
struct Known {
    usernames: HashSet<String>,
    schools: Vec<School>,
    /// The wanted numbers that exist, with their register (`None`: the
    /// board's); the same number may exist in several registers.
    registers: HashSet<(Option<i64>, String)>,
    /// Numbers already linked to an account, with the register.
    linked: HashSet<String>,
}

fn school_of<'a>(schools: &'a [School], cell: &str) -> Option<&'a School> {
    let wanted = fold(cell.trim());
    schools.iter().find(|school| school.id.to_string() == cell.trim() || fold(&school.name) == wanted)
}

/// Checks every row: each problem at its line and column, none saved.
fn check_rows(upload: &csv_columns::Upload, known: &Known) -> Result<Vec<AccountRow>, Vec<FieldError>> {
    let mut errors = upload.errors.clone();
    let mut rows = Vec::new();
    let mut usernames: BTreeMap<String, u64> = BTreeMap::new();
    let mut numbers: BTreeMap<String, u64> = BTreeMap::new();
    for row in &upload.rows {
        let line = row.line;
        let at = |field: &str, message: Message| FieldError::said_on_line(line, Some(field), message);
        let before = errors.len();
        let username = row.get("username").to_owned();
        let username_ok = (3..=64).contains(&username.len())
            && username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
        if !username_ok {
            errors.push(at(
                "username",
                Message::new(MessageCode::AccountUsernameInvalid).with("username", &username),
            ));
        } else if let Some(first) = usernames.get(&username) {
            errors.push(at(
                "username",
                Message::new(MessageCode::AccountUsernameRepeated)
                    .with("username", &username)
                    .with("line", first.to_string()),
            ));
        } else if known.usernames.contains(&username) {
            errors.push(at(
                "username",
                Message::new(MessageCode::AccountUsernameExists).with("username", &username),
            ));
        }
        usernames.entry(username.clone()).or_insert(line);
        let cell = row.get("role");
        let role = match role_of(cell) {
            Some(Role::Admin) => {
                errors.push(at("role", Message::new(MessageCode::AccountBoardOneByOne)));
                None
            }
            Some(role) => Some(role),
            None => {
                errors.push(at("role", Message::new(MessageCode::AccountRoleUnknown).with("role", cell)));
                None
            }
        };
        let school_cell = row.get("school");
        let school = if school_cell.is_empty() {
            None
        } else {
            match school_of(&known.schools, school_cell) {
                Some(school) => Some(school),
                None => {
                    errors.push(at(
                        "school",
                        Message::new(MessageCode::AccountSchoolUnknown).with("school", school_cell),
                    ));
                    None
                }
            }
        };
        match (role, school_cell.is_empty()) {
            (Some(Role::Trainer), true) => {
                errors.push(at("school", Message::new(MessageCode::AccountTrainerNeedsSchool)))
            }
            (Some(Role::Examiner), false) => {
                errors.push(at("school", Message::new(MessageCode::AccountSchoolNotAllowed)))
            }
            _ => {}
        }
        let number_cell = row.get("candidate_number");
        let mut number = None;
        if !number_cell.is_empty() {
            if role.is_some_and(|role| role != Role::Candidate) {
                errors.push(at("candidate_number", Message::new(MessageCode::AccountNumberNotCandidate)));
            } else {
                match CandidateNumber::parse(number_cell) {
                    Err(_) => errors.push(at(
                        "candidate_number",
                        Message::new(MessageCode::AccountNumberInvalid).with("number", number_cell),
                    )),
                    Ok(parsed) => {
                        let register = school.map(|school| school.id);
                        if let Some(first) = numbers.get(parsed.as_str()) {
                            errors.push(at(
                                "candidate_number",
                                Message::new(MessageCode::AccountNumberRepeated)
                                    .with("number", number_cell)
                                    .with("line", first.to_string()),
                            ));
                        } else if !known.registers.contains(&(register, parsed.as_str().to_owned())) {
                            // Unknown, or of another register: said alike,
                            // so that no register's numbers leak.
                            errors.push(at(
                                "candidate_number",
                                Message::new(MessageCode::AccountNumberUnknown).with("number", number_cell),
                            ));
                        } else if known.linked.contains(parsed.as_str()) {
                            errors.push(at(
                                "candidate_number",
                                Message::new(MessageCode::AccountNumberLinked).with("number", number_cell),
                            ));
                        }
                        numbers.entry(parsed.as_str().to_owned()).or_insert(line);
                        number = Some(parsed);
                    }
                }
            }
        }
        if errors.len() == before
            && let Some(role) = role
        {
            rows.push(AccountRow {
                line,
                username,
                role: role.into(),
                candidate_number: number.map(|number| number.as_str().to_owned()),
                school_id: school.map(|school| school.id),
                school: school.map(|school| school.name.clone()),
            });
        }
    }
    if rows.len() > MAX_ACCOUNTS {
        let message = Message::new(MessageCode::AccountTooMany)
            .with("count", rows.len().to_string())
            .with("max", MAX_ACCOUNTS.to_string());
        errors.push(FieldError::said_on_line(1, None, message));
    }
    errors.sort_by_key(|error| error.line);
    if rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::said_on_line(2, None, Message::new(MessageCode::CsvNoAccount)));
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// The rows of a file, every one checked against the file and the store.
async fn checked(state: &AppState, text: &str) -> Result<Vec<AccountRow>, ApiError> {
    let upload = csv_columns::read(text, ACCOUNT_COLUMNS).map_err(ApiError::Invalid)?;
    let wanted: Vec<CandidateNumber> = upload
        .rows
        .iter()
        .filter_map(|row| CandidateNumber::parse(row.get("candidate_number")).ok())
        .collect();
    let known = state
        .db(move |store| {
            let usernames = store.users()?.into_iter().map(|user| user.username).collect();
            let linked =
                store.account_overview()?.into_iter().filter_map(|line| line.candidate_number).collect();
            let schools = store.schools()?;
            let mut registers = HashSet::new();
            for register in std::iter::once(None).chain(schools.iter().map(|school| Some(school.id))) {
                for number in store.numbers_in_register(register, &wanted)? {
                    registers.insert((register, number));
                }
            }
            Ok(Known { usernames, schools, registers, linked })
        })
        .await?;
    check_rows(&upload, &known).map_err(ApiError::Invalid)
}

async fn preview_csv(
    State(state): State<AppState>,
    current: CurrentUser,
    CsvBody(text, encoding, _): CsvBody<AccountsCsv>,
) -> Result<Json<AccountsPreview>, ApiError> {
    permit_on(&current.user, AccountAction::Import, None)?;
    Ok(Json(AccountsPreview { accounts: checked(&state, &text).await?, encoding }))
}

/// A temporary password: four groups of four characters from an alphabet
/// without look-alikes (no 0/o, 1/l/i), about 79 random bits, under the
/// same policy as every password.
pub(crate) fn temporary_password(username: &str) -> Result<String, ApiError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    loop {
        let mut bytes = [0u8; 64];
        getrandom::fill(&mut bytes).map_err(ApiError::internal)?;
        // Rejection sampling keeps every character equally likely.
        let limit = u8::try_from(256 - 256 % ALPHABET.len()).unwrap_or(u8::MAX);
        let characters: Vec<char> = bytes
            .iter()
            .filter(|byte| **byte < limit)
            .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
            .take(16)
            .collect();
        if characters.len() < 16 {
            continue;
        }
        let password =
            characters.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-");
        if password_policy(username, &password, "/password").is_empty() {
            return Ok(password);
        }
    }
}

async fn import_csv(
    State(state): State<AppState>,
    current: CurrentUser,
    CsvBody(text, ..): CsvBody<AccountsCsv>,
) -> Result<Created<AccountsImported>, ApiError> {
    permit_on(&current.user, AccountAction::Import, None)?;
    let rows = checked(&state, &text).await?;
    let cost = state.config().password_cost;
    let mut accounts = Vec::with_capacity(rows.len());
    let mut created = Vec::with_capacity(rows.len());
    for row in rows {
        let password = temporary_password(&row.username)?;
        let typed = password.clone();
        let password_hash = state.hashing(move || auth::hash_password(&typed, cost)).await?;
        accounts.push(NewAccount {
            user: NewUser { username: row.username.clone(), password_hash, role: row.role.into() },
            school_id: row.school_id,
            candidate_number: row.candidate_number.as_deref().and_then(|n| CandidateNumber::parse(n).ok()),
        });
        created.push(ImportedAccount {
            username: row.username,
            role: row.role,
            temporary_password: password,
        });
    }
    let actor = Actor::user(&current.user);
    state.db(move |store| store.create_accounts(&actor, &accounts)).await?;
    Ok(Created(AccountsImported { created }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_in_three_languages() {
        for (cell, role) in [
            ("expert·e", Some(Role::Examiner)),
            ("Experte", Some(Role::Examiner)),
            ("examiner", Some(Role::Examiner)),
            ("Formatrice", Some(Role::Trainer)),
            ("Berufsbildnerin", Some(Role::Trainer)),
            ("candidat·e", Some(Role::Candidate)),
            ("Kandidat", Some(Role::Candidate)),
            ("admin", Some(Role::Admin)),
            ("chef", None),
            ("", None),
        ] {
            assert_eq!(role_of(cell), role, "{cell:?}");
        }
    }

    #[test]
    fn temporary_passwords_follow_the_policy_and_differ() {
        let first = temporary_password("anna").unwrap();
        let second = temporary_password("anna").unwrap();
        assert_eq!(first.len(), 19, "{first}");
        assert_ne!(first, second);
        assert!(password_policy("anna", &first, "/p").is_empty());
    }

    #[test]
    fn a_role_fits_the_account_as_it_stands() {
        assert!(role_fits(Role::Trainer, None, false).is_some());
        assert!(role_fits(Role::Trainer, Some(1), false).is_none());
        assert!(role_fits(Role::Examiner, Some(1), false).is_some());
        assert!(role_fits(Role::Admin, None, true).is_some());
        assert!(role_fits(Role::Candidate, None, true).is_none());
        assert!(role_fits(Role::Admin, None, false).is_none());
    }
}
