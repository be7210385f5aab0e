//! Examiner assignments: one at a time (JSON) or a whole file (CSV, all or
//! nothing, with a preview). Both go through the same checks
//! ([`Context::check`]): the candidate is enrolled, the part is in the
//! pinned blueprint, the examiner has the role the session needs (an
//! examiner for an official session, a trainer of the school for a mock
//! one), and the session's state allows assigning.

use grille_scoring::{Message, MessageCode};
use std::collections::{BTreeSet, HashMap, HashSet};

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use grille_store::{Actor, Assignment, CandidateNumber, Role, User};
use grille_workflow::Action;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_sessions::{SessionPath, enrolled_numbers, is_part};
use crate::auth::Staff;
use crate::csv_columns;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, AssignmentsCsv, CsvBody};
use crate::reply::Created;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "sessions";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/assignments",
            post_with(assign, |op| {
                op.tag(tag).summary("Attribuer un·e expert·e à une épreuve d'un·e candidat·e")
            })
            .get_with(list_assignments, |op| op.tag(tag).summary("Lister les attributions d'expert·e·s")),
        )
        .api_route(
            "/api/sessions/{id}/assignments/csv",
            post_with(assign_csv, |op| {
                op.tag(tag).summary(
                    "Attribuer des expert·e·s par fichier CSV (tout ou rien, erreurs par ligne et colonne)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/assignments/csv/preview",
            post_with(preview_csv, |op| {
                op.tag(tag).summary(
                    "Vérifier un fichier CSV d'attributions sans rien enregistrer (mêmes contrôles, erreurs par ligne)",
                )
            }),
        )
}

/// An examiner to assign.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The candidate number.
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub candidate_number: String,
    /// The exam part (`1.1`, `1.2`, `2`, `3`, ...).
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,40}$"))]
    pub part: String,
    /// The examiner's username: role `examiner` for an official session,
    /// a trainer of the school for a mock session.
    #[schemars(regex(pattern = r"^[a-z0-9._-]{3,64}$"))]
    pub examiner: String,
}

/// An examiner assignment.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AssignmentView {
    /// The candidate number.
    pub candidate_number: String,
    /// The exam part.
    pub part: String,
    /// The examiner's username.
    pub examiner: String,
    /// When (RFC 3339).
    pub assigned_at: String,
}

impl From<Assignment> for AssignmentView {
    fn from(assignment: Assignment) -> Self {
        AssignmentView {
            candidate_number: assignment.candidate_number.as_str().to_owned(),
            part: assignment.part,
            examiner: assignment.examiner,
            assigned_at: assignment.assigned_at,
        }
    }
}

/// An assignment that passed every check.
type Checked = (CandidateNumber, String, User);

/// What the assignments of one session are checked against, read once.
struct Context {
    /// The school of a mock session.
    mock_school: Option<i64>,
    /// The parts of the pinned blueprint, if one is pinned.
    parts: Option<Vec<String>>,
    /// The numbers enrolled in the session.
    enrolled: HashSet<String>,
    /// The conflicts of interest examiners declared (official sessions:
    /// a school's cohort is another register).
    conflicts: Vec<grille_store::ConflictDeclaration>,
}

impl Context {
    /// Checks that the caller may assign in the session now (404 when the
    /// session is out of their reach, the workflow's answer when its state
    /// does not allow it) and reads what the checks need.
    async fn load(state: &AppState, user: &User, session_id: i64) -> Result<Context, ApiError> {
        let session = crate::scope::session_for(state, user, session_id, Action::ViewProgress).await?;
        let enrolled = enrolled_numbers(state, user, session_id).await?;
        let current = crate::exam::state_of(&session)?;
        grille_workflow::permit(Action::AssignExaminers, current, &crate::scope::subject(user, &session))?;
        let blueprint = state.db(move |store| store.pinned_document(session_id, "blueprint")).await?;
        let parts = match blueprint {
            Some(blueprint) => Some(
                grille_scoring::Blueprint::from_json(&blueprint.content, state.catalogue())
                    .map_err(|_| ApiError::internal("pinned blueprint is invalid"))?
                    .parts
                    .iter()
                    .map(|part| part.id.clone())
                    .collect(),
            ),
            None => None,
        };
        let conflicts = if session.school_id.is_none() {
            state.db(|store| store.conflict_declarations(None)).await?
        } else {
            Vec::new()
        };
        Ok(Context { mock_school: session.school_id, parts, enrolled, conflicts })
    }

    /// Checks one assignment; every problem is reported with the field it
    /// is about (`candidate_number`, `part` or `examiner_field`).
    fn check(
        &self,
        number: &str,
        part: &str,
        examiner: Option<&User>,
        examiner_field: &'static str,
        report: &mut dyn FnMut(&'static str, Message),
    ) -> Option<Checked> {
        let mut fine = true;
        let mut fail = |field: &'static str, message: Message| {
            fine = false;
            report(field, message);
        };
        let number = CandidateNumber::parse(number);
        if number.is_err() {
            fail("candidate_number", Message::new(MessageCode::AssignmentNumberInvalid));
        }
        if !is_part(part) {
            fail("part", Message::new(MessageCode::AssignmentPartInvalid));
        } else if let Some(parts) = &self.parts
            && !parts.iter().any(|known| known == part)
        {
            fail("part", Message::new(MessageCode::AssignmentPartUnknown).with("parts", parts.join(", ")));
        }
        match examiner {
            None => fail(examiner_field, Message::new(MessageCode::AssignmentUserUnknown)),
            Some(found) if self.mock_school.is_none() && found.role != Role::Examiner => {
                fail(examiner_field, Message::new(MessageCode::AssignmentNotExaminer));
            }
            Some(found)
                if self.mock_school.is_some()
                    && (found.role != Role::Trainer || found.school_id != self.mock_school) =>
            {
                fail(examiner_field, Message::new(MessageCode::AssignmentNotSchoolTrainer));
            }
            Some(_) => {}
        }
        if let Ok(number) = &number
            && !self.enrolled.contains(number.as_str())
        {
            fail("candidate_number", Message::new(MessageCode::AssignmentNotEnrolled));
        }
        if let (Ok(number), Some(examiner)) = (&number, examiner) {
            let declared: Vec<grille_workflow::Declared<'_>> = self
                .conflicts
                .iter()
                .filter_map(|row| {
                    Some(grille_workflow::Declared {
                        examiner: &row.examiner,
                        candidate: &row.candidate_number,
                        reason: grille_workflow::ConflictReason::from_code(&row.reason)?,
                    })
                })
                .collect();
            if let Err(reason) =
                grille_workflow::assignment_conflict(&declared, &examiner.username, number.as_str())
            {
                let message = Message::new(MessageCode::AssignmentConflict)
                    .with("examiner", &examiner.username)
                    .with_message("reason", crate::api_registry::conflict_reason_message(reason))
                    .with("number", number.as_str());
                fail(examiner_field, message);
            }
        }
        match (number, examiner) {
            (Ok(number), Some(examiner)) if fine => Some((number, part.to_owned(), examiner.clone())),
            _ => None,
        }
    }
}

async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Created<AssignmentView>, ApiError> {
    let user = &staff.current.user;
    let context = Context::load(&state, user, path.id).await?;
    let examiner_name = request.examiner.clone();
    let examiner = state.db(move |store| store.user_by_username(&examiner_name)).await?;
    let mut errors = Vec::new();
    let checked = context.check(
        &request.candidate_number,
        &request.part,
        examiner.as_ref(),
        "examiner",
        &mut |field, message| errors.push(FieldError::said_at(format!("/{field}"), message)),
    );
    let Some((number, part, examiner)) = checked else { return Err(ApiError::Invalid(errors)) };
    let actor = Actor::user(user);
    let assignment =
        state.db(move |store| store.assign_examiner(&actor, path.id, &number, &part, &examiner)).await?;
    Ok(Created(AssignmentView::from(assignment)))
}

async fn list_assignments(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<AssignmentView>>, ApiError> {
    crate::scope::session_for(&state, &staff.current.user, path.id, Action::ViewProgress).await?;
    let assignments = state.db(move |store| store.assignments(path.id)).await?;
    Ok(Json(assignments.into_iter().map(AssignmentView::from).collect()))
}

/// The examiner columns, in the order their cells are read on a row.
const EXAMINER_FIELDS: [&str; 3] = ["examiner", "examiner_1", "examiner_2"];

/// The assignments of a CSV upload, every row checked as a single
/// assignment is and against the other rows and the assignments saved
/// already (422 with every problem by line and column otherwise).
async fn checked_csv(
    state: &AppState,
    user: &User,
    session_id: i64,
    text: &str,
) -> Result<Vec<(u64, Checked)>, ApiError> {
    let context = Context::load(state, user, session_id).await?;
    let upload = csv_columns::read(text, csv_columns::ASSIGNMENT_COLUMNS).map_err(ApiError::Invalid)?;
    let examiner_fields: Vec<&'static str> =
        EXAMINER_FIELDS.into_iter().filter(|field| upload.fields.contains(field)).collect();
    if examiner_fields.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::said_on_line(
            1,
            Some("examiner"),
            Message::new(MessageCode::AssignmentNoExaminerColumn),
        )]));
    }
    let names: BTreeSet<String> = upload
        .rows
        .iter()
        .flat_map(|row| examiner_fields.iter().map(|field| row.get(field).to_owned()))
        .filter(|name| !name.is_empty())
        .collect();
    let (users, saved) = state
        .db(move |store| {
            let mut users = HashMap::new();
            for name in names {
                if let Some(user) = store.user_by_username(&name)? {
                    users.insert(name, user);
                }
            }
            Ok((users, store.assignments(session_id)?))
        })
        .await?;
    let saved: HashSet<(String, String, String)> =
        saved.into_iter().map(|a| (a.candidate_number.as_str().to_owned(), a.part, a.examiner)).collect();
    let mut errors = upload.errors;
    let mut rows_seen: HashMap<(String, String, Vec<String>), u64> = HashMap::new();
    let mut pairs_seen: HashMap<(String, String, String), u64> = HashMap::new();
    let mut checked = Vec::new();
    for row in &upload.rows {
        let line = row.line;
        let number = row.get("candidate_number");
        let part = row.get("part");
        let mut examiners: Vec<(&'static str, &str)> = examiner_fields
            .iter()
            .map(|field| (*field, row.get(field)))
            .filter(|(_, name)| !name.is_empty())
            .collect();
        if examiners.is_empty() {
            errors.push(FieldError::said_on_line(
                line,
                Some(examiner_fields[0]),
                Message::new(MessageCode::AssignmentNoExaminer),
            ));
            // The other columns are still checked.
            examiners.push((examiner_fields[0], ""));
        }
        let mut names: Vec<String> = examiners.iter().map(|(_, name)| (*name).to_owned()).collect();
        names.sort();
        if let Some(first) = rows_seen.get(&(number.to_owned(), part.to_owned(), names.clone())) {
            let message = Message::new(MessageCode::AssignmentRepeatsLine).with("line", first.to_string());
            errors.push(FieldError::said_on_line(line, None, message));
            continue;
        }
        rows_seen.insert((number.to_owned(), part.to_owned(), names), line);
        let mut report = |field: &'static str, message: Message| {
            errors.push(FieldError::said_on_line(line, Some(field), message))
        };
        for (index, &(field, name)) in examiners.iter().enumerate() {
            // A problem of the number or the part is said once per row; an
            // empty examiner cell was reported above.
            let mut once = |column: &'static str, message: Message| {
                if (column == field && !name.is_empty()) || (column != field && index == 0) {
                    report(column, message);
                }
            };
            let Some(assignment) = context.check(number, part, users.get(name), field, &mut once) else {
                continue;
            };
            let key = (assignment.0.as_str().to_owned(), assignment.1.clone(), name.to_owned());
            if examiners[..index].iter().any(|(_, earlier)| *earlier == name) {
                report(field, Message::new(MessageCode::AssignmentExaminerTwice).with("name", name));
            } else if let Some(first) = pairs_seen.get(&key) {
                let message = Message::new(MessageCode::AssignmentAlreadyOnLine)
                    .with("name", name)
                    .with("line", first.to_string());
                report(field, message);
            } else if saved.contains(&key) {
                report(field, Message::new(MessageCode::AssignmentAlreadySaved).with("name", name));
            } else {
                pairs_seen.insert(key, line);
                checked.push((line, assignment));
            }
        }
    }
    errors.sort_by_key(|error| error.line);
    if upload.rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::said_on_line(2, None, Message::new(MessageCode::CsvNoAssignment)));
    }
    if errors.is_empty() { Ok(checked) } else { Err(ApiError::Invalid(errors)) }
}

/// An assignment a CSV upload would save.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct ProposedAssignment {
    /// The line of the file it comes from.
    pub line: u64,
    /// The candidate number.
    pub candidate_number: String,
    /// The exam part.
    pub part: String,
    /// The examiner's username.
    pub examiner: String,
}

/// What a CSV upload of assignments would save.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AssignmentsPreview {
    /// The assignments, in the file's order; nothing is saved.
    pub assignments: Vec<ProposedAssignment>,
    /// The encoding the file was read in (UTF-8, with or without BOM,
    /// UTF-16 or Windows-1252).
    pub encoding: crate::CsvEncoding,
}

/// The assignments of a CSV upload were saved.
#[derive(Debug, Serialize, JsonSchema, Deserialize)]
pub struct AssignResponse {
    /// How many assignments were saved.
    pub assigned: usize,
}

/// Checks a CSV upload exactly as [`assign_csv`] does and returns what
/// would be saved, without saving anything.
async fn preview_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, encoding, _): CsvBody<AssignmentsCsv>,
) -> Result<Json<AssignmentsPreview>, ApiError> {
    let checked = checked_csv(&state, &staff.current.user, path.id, &text).await?;
    Ok(Json(AssignmentsPreview {
        assignments: checked
            .into_iter()
            .map(|(line, (number, part, examiner))| ProposedAssignment {
                line,
                candidate_number: number.as_str().to_owned(),
                part,
                examiner: examiner.username,
            })
            .collect(),
        encoding,
    }))
}

async fn assign_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, ..): CsvBody<AssignmentsCsv>,
) -> Result<Created<AssignResponse>, ApiError> {
    let user = &staff.current.user;
    let checked = checked_csv(&state, user, path.id, &text).await?;
    let assignments: Vec<Checked> = checked.into_iter().map(|(_, assignment)| assignment).collect();
    let actor = Actor::user(user);
    let saved = state.db(move |store| store.assign_examiners(&actor, path.id, &assignments)).await?;
    Ok(Created(AssignResponse { assigned: saved.len() }))
}
