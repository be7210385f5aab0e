//! The candidate register of the board: master data as federal exams need
//! it and the accommodations decided for a candidate.
//!
//! * `GET|PUT /api/candidates/{number}/master-data`: surname, given names,
//!   date of birth (`31.12.1990` or `1990-12-31`, answered as ISO), place
//!   of origin, postal address and exam language (`fr`, `de`, `it`);
//! * `PUT /api/candidates/{number}/accommodation`: extra time, aids and a
//!   note (compensation for disadvantages);
//! * `POST /api/candidates/master-data/csv/preview` and
//!   `POST /api/candidates/master-data/csv`: the same for many candidates
//!   from a CSV file, every line checked (line and column named), nothing
//!   saved unless every line is right;
//! * `GET /api/sessions/{id}/register`: the entries of a session's
//!   candidates (board);
//! * `GET /api/me/accommodations`: the accommodations of the candidates
//!   the caller is assigned to (examiners).
//!
//! The data lives in the erasable personal-data row (store migration
//! 0019). Who may do what is [`grille_workflow::register_permit`].

use std::collections::HashSet;
use std::time::SystemTime;

use aide::axum::ApiRouter;
use aide::axum::routing::{delete_with, get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_report::i18n::Language;
use grille_scoring::{Message, MessageCode};
use grille_store::{Accommodation, Actor, CandidateNumber, MasterData, RegisterEntry};
use grille_workflow::appeal::Date;
use grille_workflow::{ConflictReason, RegisterAction, register_permit};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_results::{NumberPath, SessionPath, parse_number};
use crate::auth::{Board, CurrentUser};
use crate::csv_columns::{self, Column};
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, CsvBody, CsvLayout};

/// The longest name (surname or given names).
const MAX_NAME: usize = 200;
/// The longest place of origin.
const MAX_ORIGIN: usize = 120;
/// The most address lines, and the longest line.
const MAX_ADDRESS_LINES: usize = 5;
const MAX_ADDRESS_LINE: usize = 120;
/// The longest aids text and note.
const MAX_AIDS: usize = 500;
const MAX_NOTE: usize = 1000;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "registre des candidat·e·s";
    ApiRouter::new()
        .api_route(
            "/api/candidates/{number}/master-data",
            get_with(master_data, |op| {
                op.tag(tag).summary("Données d'état civil d'un·e candidat·e et sa langue d'examen (commission)")
            })
            .put_with(set_master_data, |op| {
                op.tag(tag).summary(
                    "Écrire nom, prénoms, date de naissance (jj.mm.aaaa ou aaaa-mm-jj), lieu d'origine, adresse et langue d'examen",
                )
            }),
        )
        .api_route(
            "/api/candidates/{number}/accommodation",
            put_with(set_accommodation, |op| {
                op.tag(tag).summary(
                    "Compensation des désavantages d'un·e candidat·e : temps supplémentaire, moyens auxiliaires, remarque",
                )
            }),
        )
        .api_route(
            "/api/candidates/master-data/csv/preview",
            post_with(preview_csv, |op| {
                op.tag(tag).summary(
                    "Vérifier un fichier CSV de données d'état civil sans rien enregistrer (erreurs par ligne et colonne)",
                )
            }),
        )
        .api_route(
            "/api/candidates/master-data/csv",
            post_with(import_csv, |op| {
                op.tag(tag)
                    .summary("Importer les données d'état civil par fichier CSV (tout ou rien, erreurs par ligne)")
            }),
        )
        .api_route(
            "/api/sessions/{id}/register",
            get_with(session_register, |op| {
                op.tag(tag).summary("Données d'état civil et aménagements des candidat·e·s d'une session (commission)")
            }),
        )
        .api_route(
            "/api/me/conflicts",
            get_with(my_conflicts, |op| {
                op.tag(tag).summary("Mes déclarations de conflit d'intérêts (expert·e)")
            })
            .post_with(declare_conflict, |op| {
                op.tag(tag).summary(
                    "Déclarer un conflit d'intérêts avec un·e candidat·e (formé·e ou employé·e par moi, autre lien)",
                )
            }),
        )
        .api_route(
            "/api/me/conflicts/{number}",
            delete_with(withdraw_conflict, |op| op.tag(tag).summary("Retirer ma déclaration de conflit d'intérêts")),
        )
        .api_route(
            "/api/conflicts",
            get_with(all_conflicts, |op| {
                op.tag(tag).summary("Les conflits d'intérêts déclarés par les expert·e·s (commission)")
            }),
        )
        .api_route(
            "/api/me/accommodations",
            get_with(my_accommodations, |op| {
                op.tag(tag).summary(
                    "Les aménagements (compensation des désavantages) des candidat·e·s attribué·e·s à l'expert·e",
                )
            }),
        )
}

// ---------------------------------------------------------------- types

/// The language a candidate sits the exam in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamLanguage {
    /// French.
    Fr,
    /// German.
    De,
    /// Italian.
    It,
}

impl ExamLanguage {
    /// The language's code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            ExamLanguage::Fr => "fr",
            ExamLanguage::De => "de",
            ExamLanguage::It => "it",
        }
    }

    /// The language of the documents.
    pub fn language(self) -> Language {
        match self {
            ExamLanguage::Fr => Language::Fr,
            ExamLanguage::De => Language::De,
            ExamLanguage::It => Language::It,
        }
    }

    /// The stored code read back; anything else is unknown.
    pub fn from_code(code: &str) -> Option<ExamLanguage> {
        match code {
            "fr" => Some(ExamLanguage::Fr),
            "de" => Some(ExamLanguage::De),
            "it" => Some(ExamLanguage::It),
            _ => None,
        }
    }

    /// A language as a CSV cell names it: its code or its name in one of
    /// the three languages (or English), case and accents aside.
    fn from_cell(cell: &str) -> Option<ExamLanguage> {
        let folded = grille_competence::search::fold(cell.trim());
        match folded.as_str() {
            "fr" | "f" | "francais" | "franzosisch" | "francese" | "french" => Some(ExamLanguage::Fr),
            "de" | "d" | "allemand" | "deutsch" | "tedesco" | "german" => Some(ExamLanguage::De),
            "it" | "i" | "italien" | "italienisch" | "italiano" | "italian" => Some(ExamLanguage::It),
            _ => None,
        }
    }
}

/// A candidate's master data as the board writes it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MasterDataRequest {
    /// Surname, 1 to 200 characters.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub family_name: String,
    /// Given names, 1 to 200 characters.
    #[schemars(length(min = 1, max = 200), regex(pattern = r"\S"))]
    pub given_name: String,
    /// Date of birth: `31.12.1990` or `1990-12-31`, before today.
    #[serde(default)]
    pub date_of_birth: Option<String>,
    /// Place of origin (Heimatort / lieu d'origine), at most 120 characters.
    #[serde(default)]
    #[schemars(length(max = 120))]
    pub place_of_origin: Option<String>,
    /// Postal address, at most 5 lines of at most 120 characters.
    #[serde(default)]
    #[schemars(length(max = 5))]
    pub address: Vec<String>,
    /// The exam language.
    #[serde(default)]
    pub exam_language: Option<ExamLanguage>,
    /// The canton where the candidate lives (`VD`, `ZH`, ... any case):
    /// its holidays count for the candidate's appeal period (PA art. 20
    /// al. 3) instead of the board's.
    #[serde(default)]
    pub canton: Option<String>,
}

/// The accommodations decided for a candidate (all absent: none).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccommodationRequest {
    /// Extra time per exam part, in minutes (0 to 600).
    #[serde(default)]
    #[schemars(range(max = 600))]
    pub extra_minutes: Option<u32>,
    /// Aids allowed, at most 500 characters.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub aids: Option<String>,
    /// Anything else the examiners must know, at most 1000 characters.
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub note: Option<String>,
}

/// The accommodations of a candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccommodationView {
    /// Extra time per exam part, in minutes.
    pub extra_minutes: Option<u32>,
    /// Aids allowed.
    pub aids: Option<String>,
    /// Anything else.
    pub note: Option<String>,
}

impl AccommodationView {
    /// Whether nothing was decided.
    pub fn is_empty(&self) -> bool {
        self.extra_minutes.is_none() && self.aids.is_none() && self.note.is_none()
    }
}

/// What the register holds about a candidate.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RegisterEntryView {
    /// The candidate number.
    pub number: String,
    /// Surname (absent when never given, or erased).
    pub family_name: Option<String>,
    /// Given names.
    pub given_name: Option<String>,
    /// Date of birth (ISO).
    pub date_of_birth: Option<String>,
    /// Place of origin.
    pub place_of_origin: Option<String>,
    /// Postal address, one line per item.
    pub address: Vec<String>,
    /// The exam language.
    pub exam_language: Option<ExamLanguage>,
    /// The canton where the candidate lives.
    pub canton: Option<String>,
    /// The accommodations.
    pub accommodation: AccommodationView,
}

impl From<RegisterEntry> for RegisterEntryView {
    fn from(entry: RegisterEntry) -> RegisterEntryView {
        let master = entry.master.unwrap_or_default();
        let given = |text: String| (!text.is_empty()).then_some(text);
        RegisterEntryView {
            number: entry.number.as_str().to_owned(),
            family_name: given(master.family_name),
            given_name: given(master.given_name),
            date_of_birth: master.date_of_birth,
            place_of_origin: master.place_of_origin,
            address: master.address,
            exam_language: master.exam_language.as_deref().and_then(ExamLanguage::from_code),
            canton: master.canton,
            accommodation: AccommodationView {
                extra_minutes: entry.accommodation.extra_minutes,
                aids: entry.accommodation.aids,
                note: entry.accommodation.note,
            },
        }
    }
}

/// The master data a CSV file would write.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MasterDataPreview {
    /// The candidates, in the file's order; nothing is saved.
    pub candidates: Vec<RegisterEntryView>,
    /// The encoding the file was read in.
    pub encoding: crate::CsvEncoding,
}

/// The master data of a CSV file was saved.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct MasterDataImported {
    /// Lines read.
    pub lines: usize,
    /// Candidates whose data changed.
    pub changed: usize,
}

/// An accommodation of a candidate the caller scores.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AssignedAccommodation {
    /// The session.
    pub session_id: i64,
    /// The candidate number.
    pub number: String,
    /// The accommodations.
    pub accommodation: AccommodationView,
}

// ---------------------------------------------------------------- checks

/// Where a value was: a JSON pointer or a CSV line.
enum Place {
    Json,
    Csv(u64),
}

impl Place {
    fn error(&self, field: &str, message: Message) -> FieldError {
        match self {
            Place::Json => FieldError::said_at(format!("/{field}"), message),
            Place::Csv(line) => FieldError::said_on_line(*line, Some(field), message),
        }
    }
}

/// `text` trimmed, with a problem when it is longer than `max` characters
/// or holds a control character.
fn text(place: &Place, field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let value = value.trim();
    if value.chars().count() > max {
        errors.push(place.error(field, Message::new(MessageCode::TextTooLong).with("max", max.to_string())));
    } else if value.chars().any(char::is_control) {
        errors.push(place.error(field, Message::new(MessageCode::ControlCharacter)));
    }
    value.to_owned()
}

fn today() -> String {
    grille_store::utc_text(SystemTime::now())[..10].to_owned()
}

/// Checks a candidate's master data; `today` is the ISO day a birth must
/// precede.
fn checked_master(
    place: &Place,
    request: &MasterDataRequest,
    today: &str,
    errors: &mut Vec<FieldError>,
) -> MasterData {
    let mut name = |field: &str, value: &str| {
        let value = text(place, field, value, MAX_NAME, errors);
        if value.is_empty() {
            errors.push(place.error(field, Message::new(MessageCode::FieldRequired)));
        }
        value
    };
    let family_name = name("family_name", &request.family_name);
    let given_name = name("given_name", &request.given_name);
    let date_of_birth =
        match request.date_of_birth.as_deref().map(str::trim).filter(|day| !day.is_empty()) {
            None => None,
            Some(day) => match Date::parse(day) {
                Ok(date) if date.iso().as_str() < today => Some(date.iso()),
                Ok(_) => {
                    errors.push(place.error(
                        "date_of_birth",
                        Message::new(MessageCode::DateOfBirthNotPast).with("text", day),
                    ));
                    None
                }
                Err(error) => {
                    errors.push(place.error("date_of_birth", crate::error::date_message(&error, day)));
                    None
                }
            },
        };
    let place_of_origin = request
        .place_of_origin
        .as_deref()
        .map(|origin| text(place, "place_of_origin", origin, MAX_ORIGIN, errors))
        .filter(|origin| !origin.is_empty());
    if request.address.len() > MAX_ADDRESS_LINES {
        let message = Message::new(MessageCode::AddressTooLong).with("max", MAX_ADDRESS_LINES.to_string());
        errors.push(place.error("address", message));
    }
    let address = request
        .address
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let field = match place {
                Place::Json => format!("address/{index}"),
                Place::Csv(_) => "address".to_owned(),
            };
            text(place, &field, line, MAX_ADDRESS_LINE, errors)
        })
        .filter(|line| !line.is_empty())
        .collect();
    let canton = match request.canton.as_deref().map(str::trim).filter(|code| !code.is_empty()) {
        None => None,
        Some(code) => {
            let upper = code.to_ascii_uppercase();
            if !crate::api_identity::CANTONS.contains(&upper.as_str()) {
                errors
                    .push(place.error("canton", Message::new(MessageCode::CantonUnknown).with("code", code)));
            }
            Some(upper)
        }
    };
    MasterData {
        family_name,
        given_name,
        date_of_birth,
        place_of_origin,
        address,
        exam_language: request.exam_language.map(|language| language.code().to_owned()),
        canton,
    }
}

fn checked_accommodation(request: &AccommodationRequest) -> Result<Accommodation, ApiError> {
    let mut errors = Vec::new();
    if request.extra_minutes.is_some_and(|minutes| minutes > 600) {
        errors.push(FieldError::said_at(
            "/extra_minutes",
            Message::new(MessageCode::AccommodationExtraMinutes),
        ));
    }
    let mut optional = |field: &str, value: &Option<String>, max: usize| {
        value
            .as_deref()
            .map(|value| text(&Place::Json, field, value, max, &mut errors))
            .filter(|v| !v.is_empty())
    };
    let aids = optional("aids", &request.aids, MAX_AIDS);
    let note = optional("note", &request.note, MAX_NOTE);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(Accommodation { extra_minutes: request.extra_minutes, aids, note })
}

// ---------------------------------------------------------------- one candidate

fn ask(current: &CurrentUser, action: RegisterAction) -> Result<(), ApiError> {
    register_permit(action, crate::exam::flow_role(current.user.role), false).map_err(ApiError::from)
}

/// The board's candidate `number`: 404 unless it is in the board's
/// register (a school's cohort is another register).
async fn entry(state: &AppState, number: &CandidateNumber) -> Result<RegisterEntry, ApiError> {
    let lookup = number.clone();
    state.db(move |store| store.register_entry(None, &lookup)).await.map_err(|error| match error {
        ApiError::NotFound(_) => ApiError::NotFound("Candidat·e"),
        other => other,
    })
}

async fn master_data(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<NumberPath>,
) -> Result<Json<RegisterEntryView>, ApiError> {
    ask(&board.current, RegisterAction::ReadMasterData)?;
    let number = parse_number(&path.number)?;
    Ok(Json(entry(&state, &number).await?.into()))
}

async fn set_master_data(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<NumberPath>,
    ApiJson(request): ApiJson<MasterDataRequest>,
) -> Result<Json<RegisterEntryView>, ApiError> {
    ask(&board.current, RegisterAction::EditMasterData)?;
    let number = parse_number(&path.number)?;
    entry(&state, &number).await?;
    let mut errors = Vec::new();
    let data = checked_master(&Place::Json, &request, &today(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let actor = Actor::user(&board.current.user);
    let saved = number.clone();
    state.db(move |store| store.set_master_data(&actor, None, &[(saved, data)])).await?;
    Ok(Json(entry(&state, &number).await?.into()))
}

async fn set_accommodation(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<NumberPath>,
    ApiJson(request): ApiJson<AccommodationRequest>,
) -> Result<Json<RegisterEntryView>, ApiError> {
    ask(&board.current, RegisterAction::EditAccommodation)?;
    let number = parse_number(&path.number)?;
    let accommodation = checked_accommodation(&request)?;
    // Accommodations are personal data kept beside the names: without
    // them there is no row to keep them in.
    if entry(&state, &number).await?.master.is_none() {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "",
            Message::new(MessageCode::AccommodationNeedsName),
        )]));
    }
    let actor = Actor::user(&board.current.user);
    let saved = state.db(move |store| store.set_accommodation(&actor, None, &number, &accommodation)).await?;
    Ok(Json(saved.into()))
}

// ---------------------------------------------------------------- CSV

/// The columns of a master-data file.
pub(crate) const MASTER_DATA_COLUMNS: &[Column] = &[
    (
        "number",
        MessageCode::CsvColumnNumber,
        &["numero", "numéro", "n°", "nº", "no", "nr", "number", "Nummer"],
        true,
    ),
    (
        "family_name",
        MessageCode::CsvColumnFamilyName,
        &["nom", "nom de famille", "family_name", "Name", "Nachname", "cognome"],
        true,
    ),
    (
        "given_name",
        MessageCode::CsvColumnGivenNames,
        &["prenom", "prénom", "prénoms", "given_name", "Vorname", "Vornamen", "nome"],
        true,
    ),
    (
        "date_of_birth",
        MessageCode::CsvColumnDateOfBirth,
        &["date de naissance", "naissance", "date_of_birth", "birth", "Geburtsdatum", "data di nascita"],
        false,
    ),
    (
        "place_of_origin",
        MessageCode::CsvColumnPlaceOfOrigin,
        &["lieu d'origine", "origine", "place_of_origin", "Heimatort", "luogo di attinenza", "attinenza"],
        false,
    ),
    ("address", MessageCode::CsvColumnAddress, &["adresse", "address", "Adresse", "indirizzo"], false),
    (
        "exam_language",
        MessageCode::CsvColumnExamLanguage,
        &["langue d'examen", "langue", "exam_language", "language", "Prüfungssprache", "Sprache", "lingua"],
        false,
    ),
    (
        "canton",
        MessageCode::CsvColumnCanton,
        &["canton de domicile", "canton", "Wohnkanton", "Kanton", "cantone di domicilio", "cantone"],
        false,
    ),
];

/// A master-data file: one candidate per row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MasterDataCsv;

impl CsvLayout for MasterDataCsv {
    fn columns() -> &'static [crate::csv_columns::Column] {
        MASTER_DATA_COLUMNS
    }
    fn note() -> &'static str {
        " Dates jj.mm.aaaa (31.12.1990) ou aaaa-mm-jj ; l'adresse en une cellule, lignes séparées par un \
         retour à la ligne ou une virgule ; la langue fr, de ou it (ou son nom) ; le canton de domicile en abréviation (VD, ZH…). Les numéros sont ceux du \
         registre de la commission."
    }
}

/// Reads and checks a master-data file: every problem by line and column,
/// numbers unknown to the board's register and numbers given twice
/// included.
async fn checked_csv(state: &AppState, text: &str) -> Result<Vec<(CandidateNumber, MasterData)>, ApiError> {
    let upload = csv_columns::read(text, MASTER_DATA_COLUMNS).map_err(ApiError::Invalid)?;
    let mut errors = upload.errors;
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    let today = today();
    for row in &upload.rows {
        let place = Place::Csv(row.line);
        let before = errors.len();
        let number = match CandidateNumber::parse(row.get("number")) {
            Ok(number) if !seen.insert(number.as_str().to_owned()) => {
                errors.push(place.error(
                    "number",
                    Message::new(MessageCode::CandidateNumberRepeated).with("number", number.as_str()),
                ));
                None
            }
            Ok(number) => Some(number),
            Err(_) => {
                errors.push(place.error("number", Message::new(MessageCode::CandidateNumberForm)));
                None
            }
        };
        let language_cell = row.get("exam_language").trim();
        let exam_language = if language_cell.is_empty() {
            None
        } else {
            let language = ExamLanguage::from_cell(language_cell);
            if language.is_none() {
                errors.push(place.error(
                    "exam_language",
                    Message::new(MessageCode::ExamLanguageUnknown).with("language", language_cell),
                ));
            }
            language
        };
        let request = MasterDataRequest {
            family_name: row.get("family_name").to_owned(),
            given_name: row.get("given_name").to_owned(),
            date_of_birth: Some(row.get("date_of_birth").to_owned()),
            place_of_origin: Some(row.get("place_of_origin").to_owned()),
            address: row
                .get("address")
                .split(['\n', ','])
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            exam_language,
            canton: Some(row.get("canton").to_owned()),
        };
        let data = checked_master(&place, &request, &today, &mut errors);
        if let (Some(number), true) = (number, errors.len() == before) {
            rows.push((row.line, number, data));
        }
    }
    // Numbers must be the board's candidates.
    let numbers: Vec<CandidateNumber> = rows.iter().map(|(_, number, _)| number.clone()).collect();
    let known = state.db(move |store| store.numbers_in_register(None, &numbers)).await?;
    for (line, number, _) in &rows {
        if !known.contains(number.as_str()) {
            let message =
                Message::new(MessageCode::CandidateNumberNotInRegister).with("number", number.as_str());
            errors.push(FieldError::said_on_line(*line, Some("number"), message));
        }
    }
    errors.sort_by_key(|error| error.line);
    if upload.rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::said_on_line(2, None, Message::new(MessageCode::CsvNoCandidate)));
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok(rows.into_iter().map(|(_, number, data)| (number, data)).collect())
}

async fn preview_csv(
    State(state): State<AppState>,
    board: Board,
    CsvBody(text, encoding, _): CsvBody<MasterDataCsv>,
) -> Result<Json<MasterDataPreview>, ApiError> {
    ask(&board.current, RegisterAction::EditMasterData)?;
    let rows = checked_csv(&state, &text).await?;
    Ok(Json(MasterDataPreview {
        candidates: rows
            .into_iter()
            .map(|(number, master)| {
                RegisterEntryView::from(RegisterEntry {
                    number,
                    master: Some(master),
                    accommodation: Accommodation::default(),
                })
            })
            .collect(),
        encoding,
    }))
}

async fn import_csv(
    State(state): State<AppState>,
    board: Board,
    CsvBody(text, ..): CsvBody<MasterDataCsv>,
) -> Result<Json<MasterDataImported>, ApiError> {
    ask(&board.current, RegisterAction::EditMasterData)?;
    let rows = checked_csv(&state, &text).await?;
    let lines = rows.len();
    let actor = Actor::user(&board.current.user);
    let changed = state.db(move |store| store.set_master_data(&actor, None, &rows)).await?;
    Ok(Json(MasterDataImported { lines, changed }))
}

// ---------------------------------------------------------------- lists

async fn session_register(
    State(state): State<AppState>,
    board: Board,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<RegisterEntryView>>, ApiError> {
    ask(&board.current, RegisterAction::ReadMasterData)?;
    // Only the session's organiser reads its cohort (the board sees a
    // mock session's description, never its candidates).
    crate::scope::session_for(&state, &board.current.user, path.id, grille_workflow::Action::ViewProgress)
        .await?;
    let id = path.id;
    let entries = state.db(move |store| store.session_register(id)).await?;
    Ok(Json(entries.into_values().map(RegisterEntryView::from).collect()))
}

async fn my_accommodations(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<AssignedAccommodation>>, ApiError> {
    let role = crate::exam::flow_role(current.user.role);
    if register_permit(RegisterAction::ReadAccommodation, role, true).is_err() {
        return Ok(Json(Vec::new()));
    }
    let user_id = current.user.id;
    let assignments = state.db(move |store| store.user_assignments(user_id)).await?;
    let mut sessions: Vec<i64> = assignments.iter().map(|assignment| assignment.session_id).collect();
    sessions.dedup();
    let mut found = Vec::new();
    for session_id in sessions {
        let register = state.db(move |store| store.session_register(session_id)).await?;
        let mut numbers: Vec<&str> = assignments
            .iter()
            .filter(|assignment| assignment.session_id == session_id)
            .map(|assignment| assignment.candidate_number.as_str())
            .collect();
        numbers.dedup();
        for number in numbers {
            // Asked per candidate: only those the caller is assigned to.
            register_permit(RegisterAction::ReadAccommodation, role, true)?;
            if let Some(entry) = register.get(number)
                && !entry.accommodation.is_empty()
            {
                let view = RegisterEntryView::from(entry.clone());
                found.push(AssignedAccommodation {
                    session_id,
                    number: number.to_owned(),
                    accommodation: view.accommodation,
                });
            }
        }
    }
    Ok(Json(found))
}

// ---------------------------------------------------------------- conflicts of interest

/// Why an examiner cannot score a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictReasonDto {
    /// The examiner trained the candidate.
    Trained,
    /// The examiner employs the candidate (or is their superior).
    Employs,
    /// Another tie.
    Other,
}

impl ConflictReasonDto {
    fn rule(self) -> ConflictReason {
        match self {
            ConflictReasonDto::Trained => ConflictReason::Trained,
            ConflictReasonDto::Employs => ConflictReason::Employs,
            ConflictReasonDto::Other => ConflictReason::Other,
        }
    }

    fn of(reason: ConflictReason) -> ConflictReasonDto {
        match reason {
            ConflictReason::Trained => ConflictReasonDto::Trained,
            ConflictReason::Employs => ConflictReasonDto::Employs,
            ConflictReason::Other => ConflictReasonDto::Other,
        }
    }
}

/// A conflict of interest to declare.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// The candidate number (of the board's register).
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub candidate_number: String,
    /// Why.
    pub reason: ConflictReasonDto,
    /// In the examiner's own words, at most 500 characters.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub note: Option<String>,
}

/// A declared conflict of interest.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ConflictView {
    /// The examiner.
    pub examiner: String,
    /// The candidate number.
    pub candidate_number: String,
    /// Why.
    pub reason: ConflictReasonDto,
    /// The examiner's words.
    pub note: Option<String>,
    /// When (RFC 3339 UTC).
    pub declared_at: String,
}

fn conflict_view(row: grille_store::ConflictDeclaration) -> Result<ConflictView, ApiError> {
    let reason = ConflictReason::from_code(&row.reason)
        .ok_or_else(|| ApiError::internal("a stored conflict reason is unknown"))?;
    Ok(ConflictView {
        examiner: row.examiner,
        candidate_number: row.candidate_number,
        reason: ConflictReasonDto::of(reason),
        note: row.note,
        declared_at: row.declared_at,
    })
}

/// Examiners: the only role that declares conflicts (403 for any other
/// before the body is read).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExaminerRoles;

impl crate::auth::RoleSet for ExaminerRoles {
    const ROLES: &'static [grille_store::Role] = &[grille_store::Role::Examiner];
}

/// An examiner.
type Examiner = crate::auth::Authorized<ExaminerRoles>;

/// The French words of a reason, for the refusal of an assignment.
pub(crate) fn conflict_reason_message(reason: ConflictReason) -> Message {
    Message::new(match reason {
        ConflictReason::Trained => MessageCode::ConflictReasonTrained,
        ConflictReason::Employs => MessageCode::ConflictReasonEmploys,
        ConflictReason::Other => MessageCode::ConflictReasonOther,
    })
}

async fn my_conflicts(
    State(state): State<AppState>,
    examiner: Examiner,
) -> Result<Json<Vec<ConflictView>>, ApiError> {
    let current = examiner.current;
    ask(&current, RegisterAction::DeclareConflict)?;
    let id = current.user.id;
    let rows = state.db(move |store| store.conflict_declarations(Some(id))).await?;
    Ok(Json(rows.into_iter().map(conflict_view).collect::<Result<_, _>>()?))
}

async fn declare_conflict(
    State(state): State<AppState>,
    examiner: Examiner,
    ApiJson(request): ApiJson<ConflictRequest>,
) -> Result<crate::reply::Created<ConflictView>, ApiError> {
    let current = examiner.current;
    ask(&current, RegisterAction::DeclareConflict)?;
    let mut errors = Vec::new();
    let number = CandidateNumber::parse(&request.candidate_number);
    if number.is_err() {
        errors.push(FieldError::said_at("/candidate_number", Message::new(MessageCode::CandidateNumberForm)));
    }
    let note = request
        .note
        .as_deref()
        .map(|note| text(&Place::Json, "note", note, MAX_AIDS, &mut errors))
        .filter(|note| !note.is_empty());
    let Ok(number) = number else { return Err(ApiError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let actor = Actor::user(&current.user);
    let examiner = current.user.clone();
    let reason = request.reason.rule().code();
    let saved = state
        .db(move |store| store.declare_conflict(&actor, &examiner, &number, reason, note.as_deref()))
        .await?;
    Ok(crate::reply::Created(conflict_view(saved)?))
}

async fn withdraw_conflict(
    State(state): State<AppState>,
    examiner: Examiner,
    ApiPath(path): ApiPath<NumberPath>,
) -> Result<Json<Vec<ConflictView>>, ApiError> {
    let current = examiner.current;
    ask(&current, RegisterAction::DeclareConflict)?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Déclaration"))?;
    let actor = Actor::user(&current.user);
    let examiner = current.user.clone();
    state.db(move |store| store.withdraw_conflict(&actor, &examiner, &number)).await.map_err(|error| {
        match error {
            ApiError::NotFound(_) => ApiError::NotFound("Déclaration"),
            other => other,
        }
    })?;
    let id = current.user.id;
    let rows = state.db(move |store| store.conflict_declarations(Some(id))).await?;
    Ok(Json(rows.into_iter().map(conflict_view).collect::<Result<_, _>>()?))
}

async fn all_conflicts(
    State(state): State<AppState>,
    board: Board,
) -> Result<Json<Vec<ConflictView>>, ApiError> {
    ask(&board.current, RegisterAction::ReadConflicts)?;
    let rows = state.db(move |store| store.conflict_declarations(None)).await?;
    Ok(Json(rows.into_iter().map(conflict_view).collect::<Result<_, _>>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_by_code_or_name() {
        for (cell, expected) in [
            ("fr", Some(ExamLanguage::Fr)),
            ("Deutsch", Some(ExamLanguage::De)),
            ("DE", Some(ExamLanguage::De)),
            ("français", Some(ExamLanguage::Fr)),
            ("Italiano", Some(ExamLanguage::It)),
            ("rm", None),
            ("english", None),
        ] {
            assert_eq!(ExamLanguage::from_cell(cell), expected, "{cell}");
        }
    }
}
