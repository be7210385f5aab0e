//! Which case each candidate of a session sits: by hand, by CSV file
//! (preview, then confirm) or by a seeded draw, with the examiners who
//! wrote a case kept away from the candidates who sit it.
//!
//! The session's own bank only (the board's for an official session, the
//! school's for a mock one); the versions given are pinned by the session
//! and become immutable; a position already scored keeps its case.

use std::collections::{BTreeMap, HashMap};

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use grille_scoring::{Blueprint, CaseStudy, Message, MessageCode};
use grille_store::{Actor, CandidateNumber, CaseOwner, CaseRecord, CaseState, StoreError, User};
use grille_workflow::{Action, CaseAction};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api_cases::{
    AssignRequest, DrawRequest, DrawResult, SessionPath, SittingAttachmentPath, SittingPath, SittingView,
    document_of, file_response, permit, subject,
};
use crate::auth::{CurrentUser, Staff};
use crate::csv_columns;
use crate::error::{ApiError, FieldError};
use crate::exam;
use crate::extract::{ApiJson, ApiPath, CasesCsv, CsvBody};
use crate::reply::{Created, StoredFile};
use crate::scope;

pub(crate) fn router() -> ApiRouter<AppState> {
    let tag = "études de cas";
    let position = "/api/sessions/{id}/candidates/{number}/positions/{position}";
    ApiRouter::new()
        .api_route(
            "/api/sessions/{id}/cases",
            get_with(session_cases, |op| {
                op.tag(tag).summary("Les cas attribués dans une session, par candidat·e et point d'appréciation")
            }),
        )
        .api_route(
            "/api/sessions/{id}/cases/draw",
            post_with(draw, |op| {
                op.tag(tag).summary(
                    "Tirage au sort reproductible (graine) des cas d'un point d'appréciation, équilibré, sans redonner un cas déjà passé",
                )
            }),
        )
        .api_route(
            &format!("{position}/case"),
            put_with(assign, |op| op.tag(tag).summary("Attribuer un cas (version prête ou utilisée) à un·e candidat·e"))
                .delete_with(unassign, |op| op.tag(tag).summary("Retirer le cas d'un·e candidat·e (avant l'évaluation)")),
        )
        .api_route(
            &format!("{position}/case/attachments/{{sha256}}"),
            get_with(sitting_attachment, |op| {
                op.tag(tag).summary("Une annexe du cas d'un·e candidat·e, pour qui évalue ce point d'appréciation")
            }),
        )
        .api_route(
            "/api/sessions/{id}/cases/csv/preview",
            post_with(preview_csv, |op| {
                op.tag(tag).summary(
                    "Vérifier un fichier CSV d'attribution des cas sans rien enregistrer (mêmes contrôles, erreurs par ligne et colonne, avertissements)",
                )
            }),
        )
        .api_route(
            "/api/sessions/{id}/cases/csv",
            post_with(assign_csv, |op| {
                op.tag(tag).summary("Attribuer les cas par fichier CSV (tout ou rien, erreurs par ligne et colonne)")
            }),
        )
}

/// The examiners of `number`'s part of `position` who wrote or reviewed
/// `case` (they should not score this candidate).
fn conflicts(
    blueprint: &Blueprint,
    assignments: &[grille_store::Assignment],
    number: &CandidateNumber,
    position: &str,
    case: &CaseStudy,
) -> Vec<String> {
    let Some((part, _)) = blueprint.position(position) else { return Vec::new() };
    let mut names: Vec<String> = assignments
        .iter()
        .filter(|a| &a.candidate_number == number && a.part == part.id && case.written_by(&a.examiner))
        .map(|a| a.examiner.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn sitting_view(
    data: &exam::SessionData,
    pinned: &exam::PinnedExam,
    sitting: &grille_store::SessionCase,
) -> SittingView {
    let case = pinned.cases.iter().find(|case| case.id == sitting.case_id);
    SittingView {
        candidate: sitting.candidate.as_str().to_owned(),
        position: sitting.position.clone(),
        case: sitting.case_row,
        case_id: sitting.case_id.clone(),
        version: sitting.version.clone(),
        title: sitting.title.clone(),
        conflicts: case
            .map(|case| {
                conflicts(&pinned.blueprint, &data.assignments, &sitting.candidate, &sitting.position, case)
            })
            .unwrap_or_default(),
    }
}

/// Every sitting of a session as it is now, read again after a write.
async fn fresh_views(state: &AppState, session_id: i64) -> Result<Vec<SittingView>, ApiError> {
    let (data, pinned) = exam::load(state, session_id).await?;
    Ok(data.cases.iter().map(|sitting| sitting_view(&data, &pinned, sitting)).collect())
}

async fn session_cases(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<SessionPath>,
) -> Result<Json<Vec<SittingView>>, ApiError> {
    scope::cohort_in_reach(&state, &current.user, path.id).await?;
    let (data, pinned) = scope::load_for(&state, &current.user, path.id, Action::ViewSession).await?;
    Ok(Json(data.cases.iter().map(|sitting| sitting_view(&data, &pinned, sitting)).collect()))
}

/// The bank a session draws its cases from: the board's for an official
/// session, the school's for a mock one.
fn bank_of(session: &grille_store::ExamSession) -> CaseOwner {
    session.school_id.map_or(CaseOwner::Board, CaseOwner::School)
}

/// Checks that `record` may be given to candidates of the session: the
/// session's own bank, ready or used, serving the position.
fn assignable(
    state: &AppState,
    user: &User,
    session: &grille_store::ExamSession,
    record: &CaseRecord,
    position: &str,
    pointer: &str,
) -> Result<(), ApiError> {
    let subject = subject(user, record);
    permit(CaseAction::Read, record, &subject)?;
    if record.owner != bank_of(session) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            pointer,
            Message::new(MessageCode::SittingCaseNotInBank),
        )]));
    }
    permit(CaseAction::Assign, record, &subject)?;
    let case = document_of(state.catalogue(), record)?;
    if !case.serves(position) {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            pointer,
            Message::new(MessageCode::SittingCaseDoesNotServe)
                .with("case", &case.id)
                .with("position", position)
                .with("positions", case.positions.join(", ")),
        )]));
    }
    Ok(())
}

/// The case's fit with the session's pinned exam (its criteria left out
/// exist in the position's rubric, its own rubric is pinned).
fn fits_exam(
    state: &AppState,
    exam: &exam::PinnedExam,
    record: &CaseRecord,
    pointer: &str,
) -> Result<(), ApiError> {
    let case = document_of(state.catalogue(), record)?;
    let problems =
        case.check_against(&exam.blueprint, |id| exam.rubrics.iter().find(|rubric| rubric.id == id));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Invalid(
            problems
                .into_iter()
                .map(|problem| {
                    let said = problem
                        .detail
                        .in_document(Message::new(MessageCode::DocumentCase).with("id", &case.id));
                    FieldError::at(pointer, format!("Cas {} : {}", case.id, problem.message)).said_by(said)
                })
                .collect(),
        ))
    }
}

async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SittingPath>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Json<Vec<SittingView>>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    let (data, pinned) = scope::load_for(&state, &user, path.id, Action::AssignExaminers).await?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
    if !data.candidates.iter().any(|candidate| candidate.number == number) {
        return Err(ApiError::NotFound("Candidat·e"));
    }
    if pinned.blueprint.position(&path.position).is_none() {
        return Err(ApiError::NotFound("Point d'appréciation"));
    }
    let case_row = request.case;
    let record = state.db(move |store| store.case(case_row)).await?.ok_or_else(|| {
        ApiError::Invalid(vec![FieldError::said_at("/case", Message::new(MessageCode::SittingCaseUnknown))])
    })?;
    assignable(&state, &user, &data.session, &record, &path.position, "/case").map_err(
        |error| match error {
            ApiError::NotFound(_) => ApiError::Invalid(vec![FieldError::said_at(
                "/case",
                Message::new(MessageCode::SittingCaseUnknown),
            )]),
            other => other,
        },
    )?;
    fits_exam(&state, &pinned, &record, "/case")?;
    let actor = Actor::user(&user);
    let (id, position) = (path.id, path.position.clone());
    state
        .db(move |store| store.assign_case(&actor, id, &number, &position, case_row))
        .await
        .map_err(assignment_conflict)?;
    Ok(Json(fresh_views(&state, id).await?))
}

fn assignment_conflict(error: ApiError) -> ApiError {
    match error {
        ApiError::CodedConflict { code: "conflict.locked", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::SittingEvaluated))
        }
        ApiError::CodedConflict { code: "conflict.exists", .. } => {
            ApiError::ConflictSaid(Message::new(MessageCode::SittingOtherVersion))
        }
        other => other,
    }
}

async fn unassign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SittingPath>,
) -> Result<Json<Vec<SittingView>>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    scope::load_for(&state, &user, path.id, Action::AssignExaminers).await?;
    let number = CandidateNumber::parse(&path.number).map_err(|_| ApiError::NotFound("Candidat·e"))?;
    let actor = Actor::user(&user);
    let (id, position) = (path.id, path.position.clone());
    state
        .db(move |store| store.unassign_case(&actor, id, &number, &position))
        .await
        .map_err(assignment_conflict)?;
    Ok(Json(fresh_views(&state, id).await?))
}

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same draw on every machine, which a board can show an appeal body.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn draw(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    ApiJson(request): ApiJson<DrawRequest>,
) -> Result<Json<DrawResult>, ApiError> {
    let user = staff.current.user.clone();
    scope::cohort_in_reach(&state, &user, path.id).await?;
    let (data, pinned) = scope::load_for(&state, &user, path.id, Action::AssignExaminers).await?;
    if pinned.blueprint.position(&request.position).is_none() {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/position",
            Message::new(MessageCode::SittingPositionUnknown).with("position", &request.position),
        )]));
    }
    // Each case once, with its first index in the request (the pointer of
    // a problem with it).
    let mut unique: Vec<(usize, i64)> = Vec::new();
    for (index, row) in request.cases.iter().enumerate() {
        if !unique.iter().any(|(_, seen)| seen == row) {
            unique.push((index, *row));
        }
    }
    if unique.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::said_at(
            "/cases",
            Message::new(MessageCode::SittingNoCase),
        )]));
    }
    let rows: Vec<i64> = unique.iter().map(|(_, row)| *row).collect();
    let records =
        state.db(move |store| rows.iter().map(|row| store.case(*row)).collect::<Result<Vec<_>, _>>()).await?;
    let mut chosen = Vec::new();
    for ((index, row), record) in unique.iter().zip(records) {
        let pointer = format!("/cases/{index}");
        let missing = || {
            ApiError::Invalid(vec![FieldError::said_at(
                &pointer,
                Message::new(MessageCode::SittingCaseRowUnknown).with("id", row.to_string()),
            )])
        };
        let record = record.ok_or_else(missing)?;
        // A case outside the caller's reach is answered as a missing one.
        assignable(&state, &user, &data.session, &record, &request.position, &pointer).map_err(|error| {
            match error {
                ApiError::NotFound(_) => missing(),
                other => other,
            }
        })?;
        fits_exam(&state, &pinned, &record, &pointer)?;
        chosen.push(record);
    }
    // The draw does not depend on the order the cases are listed in.
    chosen.sort_by_key(|record| record.id);
    let documents: Vec<CaseStudy> =
        chosen.iter().map(|record| document_of(state.catalogue(), record)).collect::<Result<_, _>>()?;
    // The cases each candidate sat in other sessions, by case id: a
    // candidate (a retake) should not get a case they know.
    let numbers: Vec<CandidateNumber> = data
        .candidates
        .iter()
        .filter(|candidate| candidate.status == "present" || candidate.status == "absent")
        .map(|candidate| candidate.number.clone())
        .collect();
    let session_id = path.id;
    let history = state
        .db(move |store| {
            numbers
                .iter()
                .map(|number| Ok((number.clone(), store.cases_sat_by(number, session_id)?)))
                .collect::<Result<Vec<_>, StoreError>>()
        })
        .await?;
    let mut random = SplitMix(request.seed ^ (path.id as u64).rotate_left(32));
    // A redraw replaces the sittings of this position of the candidates it
    // draws for: those do not count.
    let redrawn = |sitting: &grille_store::SessionCase| {
        request.replace
            && sitting.position == request.position
            && history.iter().any(|(number, _)| *number == sitting.candidate)
    };
    let mut counts: Vec<usize> = chosen
        .iter()
        .map(|record| data.cases.iter().filter(|s| s.case_row == record.id && !redrawn(s)).count())
        .collect();
    let mut plan = Vec::new();
    let mut kept = Vec::new();
    let mut repeated = Vec::new();
    let mut conflicted = Vec::new();
    // Candidates in a shuffled order, so that ties do not favour low numbers.
    let mut order: Vec<usize> = (0..history.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, random.below(i + 1));
    }
    for index in order {
        let (number, sat) = &history[index];
        let current = data.cases.iter().find(|s| &s.candidate == number && s.position == request.position);
        if current.is_some() && !request.replace {
            kept.push(number.as_str().to_owned());
            continue;
        }
        // Refused before anything is written (each assignment is its own
        // transaction): an evaluated position keeps its case.
        if data.evaluations.iter().any(|e| &e.candidate == number && e.position == request.position) {
            return Err(ApiError::ConflictSaid(
                Message::new(MessageCode::SittingPositionEvaluated)
                    .with("position", &request.position)
                    .with("number", number.as_str()),
            ));
        }
        let fresh: Vec<usize> = (0..chosen.len()).filter(|&k| !sat.contains(&chosen[k].case_id)).collect();
        // A case the candidate knows is worse than an examiner who wrote
        // the case (the board can swap examiners, not the candidate's
        // memory): freshness first, then no author among the examiners.
        let pool: Vec<usize> = if fresh.is_empty() {
            repeated.push(number.as_str().to_owned());
            (0..chosen.len()).collect()
        } else {
            fresh
        };
        let unconflicted: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&k| {
                conflicts(&pinned.blueprint, &data.assignments, number, &request.position, &documents[k])
                    .is_empty()
            })
            .collect();
        let pool = if unconflicted.is_empty() {
            conflicted.push(number.as_str().to_owned());
            pool
        } else {
            unconflicted
        };
        let least = pool.iter().map(|&k| counts[k]).min().unwrap_or(0);
        let ties: Vec<usize> = pool.into_iter().filter(|&k| counts[k] == least).collect();
        let pick = ties[random.below(ties.len())];
        counts[pick] += 1;
        if let Some(current) = current
            && current.case_row == chosen[pick].id
        {
            continue;
        }
        plan.push((number.clone(), chosen[pick].id));
    }
    let actor = Actor::user(&user);
    let position = request.position.clone();
    let sittings: Vec<(CandidateNumber, String, i64)> =
        plan.iter().map(|(number, row)| (number.clone(), position.clone(), *row)).collect();
    state
        .db(move |store| store.assign_cases(&actor, session_id, &sittings))
        .await
        .map_err(assignment_conflict)?;
    let views = fresh_views(&state, session_id).await?;
    let assigned_views = plan
        .iter()
        .filter_map(|(number, _)| {
            views
                .iter()
                .find(|view| view.candidate == number.as_str() && view.position == request.position)
                .cloned()
        })
        .collect();
    kept.sort();
    repeated.sort();
    conflicted.sort();
    Ok(Json(DrawResult {
        assigned: assigned_views,
        kept,
        counts: chosen.iter().zip(counts).map(|(record, count)| (record.id, count)).collect(),
        repeated,
        conflicted,
    }))
}

async fn sitting_attachment(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiPath(path): ApiPath<SittingAttachmentPath>,
) -> Result<StoredFile, ApiError> {
    let position = crate::api_evaluations::PositionPath::new(path.id, path.number, path.position);
    let context = crate::api_evaluations::context(&state, &current, position).await?;
    match context.subject.role {
        grille_workflow::Role::Board => context.permit(Action::ViewSession)?,
        _ => context.permit(Action::ReadOwnEvaluation)?,
    }
    let case = context.case().ok_or(ApiError::NotFound("Étude de cas"))?;
    let attachment = case
        .attachments
        .iter()
        .find(|attachment| attachment.sha256 == path.sha256)
        .ok_or(ApiError::NotFound("Annexe"))?;
    file_response(&state, attachment).await
}

/// A row of a case file, checked: what it would give whom.
#[derive(Debug, Clone)]
struct CheckedSitting {
    line: u64,
    number: CandidateNumber,
    position: String,
    record: CaseRecord,
    /// The case the candidate sits there now, if another one.
    replaces: Option<String>,
    warnings: Vec<Message>,
}

/// A case a CSV upload gives a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProposedSitting {
    /// The line of the file it comes from.
    pub line: u64,
    /// The candidate number.
    pub candidate: String,
    /// The blueprint position.
    pub position: String,
    /// The bank row of the case version.
    pub case: i64,
    /// The case's own id.
    pub case_id: String,
    /// The version.
    pub version: String,
    /// The title.
    pub title: String,
    /// The case (`id version`) the candidate sits there now and would no
    /// longer sit, if any.
    pub replaces: Option<String>,
    /// What the board should look at before confirming (an examiner who
    /// wrote the case, a case the candidate sat before), in French.
    pub warnings: Vec<String>,
    /// The same warnings as messages (`sitting.warning_*`), one for each
    /// French text of `warnings`, for a reader of another language.
    #[serde(default)]
    pub warning_messages: Vec<Message>,
}

/// What a CSV upload of cases gives (preview) or gave (once confirmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CasesCsvOutcome {
    /// The sittings that change, in the file's order.
    pub sittings: Vec<ProposedSitting>,
    /// Lines that give a candidate the case they sit already.
    pub unchanged: Vec<u64>,
    /// The encoding the file was read in (UTF-8, with or without BOM,
    /// UTF-16 or Windows-1252).
    pub encoding: crate::CsvEncoding,
}

/// The versions of `case_id` in the session's bank that the caller may
/// read, and the one a row means: the one named, else the one the session
/// uses already, else the only ready or used one.
fn version_meant<'r>(
    versions: &[&'r CaseRecord],
    case_id: &str,
    version: &str,
    in_session: Option<i64>,
) -> Result<&'r CaseRecord, (&'static str, Message)> {
    let labels = || versions.iter().map(|record| record.version.as_str()).collect::<Vec<_>>().join(", ");
    if versions.is_empty() {
        return Err(("case", Message::new(MessageCode::SittingCaseNotInOrganiserBank).with("case", case_id)));
    }
    if !version.is_empty() {
        return versions.iter().copied().find(|record| record.version == version).ok_or_else(|| {
            (
                "version",
                Message::new(MessageCode::SittingNoSuchVersion)
                    .with("case", case_id)
                    .with("version", version)
                    .with("versions", labels()),
            )
        });
    }
    if let Some(row) = in_session
        && let Some(record) = versions.iter().copied().find(|record| record.id == row)
    {
        return Ok(record);
    }
    let givable: Vec<&CaseRecord> = versions
        .iter()
        .copied()
        .filter(|record| matches!(record.state, CaseState::Ready | CaseState::Used))
        .collect();
    match givable.as_slice() {
        [only] => Ok(only),
        [] => Err((
            "case",
            Message::new(MessageCode::SittingNoReadyVersion).with("case", case_id).with("versions", labels()),
        )),
        _ => Err((
            "version",
            Message::new(MessageCode::SittingSeveralVersions).with("case", case_id).with(
                "versions",
                givable.iter().map(|record| record.version.as_str()).collect::<Vec<_>>().join(", "),
            ),
        )),
    }
}

/// A refusal of [`assignable`] or [`fits_exam`] said on a line.
fn on_line(line: u64, error: ApiError) -> Vec<FieldError> {
    match error {
        ApiError::Invalid(errors) => errors
            .into_iter()
            .map(|error| FieldError {
                pointer: None,
                field: Some("case".to_owned()),
                line: Some(line),
                ..error
            })
            .collect(),
        ApiError::NotFound(_) => {
            vec![FieldError::said_on_line(line, Some("case"), Message::new(MessageCode::SittingCaseUnknown))]
        }
        ApiError::ConflictSaid(message) | ApiError::DeniedSaid(message) => {
            vec![FieldError::said_on_line(line, Some("case"), message)]
        }
        // A version of a case that cannot be given in its state: the
        // workflow's sentence, by a code of a line's problem.
        ApiError::Refused(grille_workflow::Denial::CaseState(state)) => {
            let code = match state {
                CaseState::Draft => MessageCode::SittingCaseDraft,
                CaseState::Ready => MessageCode::SittingCaseUnused,
                CaseState::Used | CaseState::Released => MessageCode::SittingCaseFrozen,
            };
            vec![FieldError::said_on_line(line, Some("case"), Message::new(code))]
        }
        other => {
            let detail = other.problem().detail.unwrap_or_else(|| other.problem().title);
            vec![FieldError::on_line(line, Some("case"), detail)]
        }
    }
}

/// The sittings of a CSV upload, every row checked as a single assignment
/// is, against the other rows and against the session as it is (422 with
/// every problem by line and column otherwise).
async fn checked_csv(
    state: &AppState,
    user: &User,
    session_id: i64,
    text: &str,
) -> Result<(Vec<CheckedSitting>, Vec<u64>), ApiError> {
    scope::cohort_in_reach(state, user, session_id).await?;
    let (data, pinned) = scope::load_for(state, user, session_id, Action::AssignExaminers).await?;
    let upload = csv_columns::read(text, csv_columns::CASE_COLUMNS).map_err(ApiError::Invalid)?;
    let bank = bank_of(&data.session);
    let numbers: Vec<CandidateNumber> =
        data.candidates.iter().map(|candidate| candidate.number.clone()).collect();
    let (records, history) = state
        .db(move |store| {
            let records: Vec<CaseRecord> =
                store.cases()?.into_iter().filter(|record| record.owner == bank).collect();
            let mut history = HashMap::new();
            for number in numbers {
                let sat = store.cases_sat_by(&number, session_id)?;
                history.insert(number, sat);
            }
            Ok((records, history))
        })
        .await?;
    let mut by_case: BTreeMap<&str, Vec<&CaseRecord>> = BTreeMap::new();
    for record in &records {
        if permit(CaseAction::Read, record, &subject(user, record)).is_ok() {
            by_case.entry(record.case_id.as_str()).or_default().push(record);
        }
    }
    let mut errors = upload.errors;
    let mut sittings = Vec::new();
    let mut unchanged = Vec::new();
    let mut rows_seen: HashMap<(CandidateNumber, String), u64> = HashMap::new();
    // The version of each case the file gives, with its first line.
    let mut versions_seen: HashMap<String, (i64, u64)> = HashMap::new();
    for row in &upload.rows {
        let line = row.line;
        let mut report = |field: &'static str, message: Message| {
            errors.push(FieldError::said_on_line(line, Some(field), message))
        };
        let number_text = row.get("candidate_number");
        let number = match CandidateNumber::parse(number_text) {
            Ok(number) => match data.candidates.iter().find(|candidate| candidate.number == number) {
                Some(candidate)
                    if candidate.status.starts_with("withdrawn") || candidate.status == "excluded" =>
                {
                    report(
                        "candidate_number",
                        Message::new(MessageCode::SittingCandidateNotSitting).with("number", number_text),
                    );
                    None
                }
                Some(_) => Some(number),
                None => {
                    report(
                        "candidate_number",
                        Message::new(MessageCode::SittingCandidateNotEnrolled).with("number", number_text),
                    );
                    None
                }
            },
            Err(_) => {
                report(
                    "candidate_number",
                    Message::new(MessageCode::SittingNumberInvalid).with("number", number_text),
                );
                None
            }
        };
        let position = row.get("position").to_owned();
        let position_known = pinned.blueprint.position(&position).is_some();
        if !position_known {
            let known: Vec<&str> = pinned
                .blueprint
                .parts
                .iter()
                .flat_map(|part| part.positions.iter().map(|position| position.id.as_str()))
                .collect();
            report(
                "position",
                Message::new(MessageCode::SittingPositionUnknownListed)
                    .with("position", &position)
                    .with("positions", known.join(", ")),
            );
        }
        let case_id = row.get("case");
        let in_session =
            data.cases.iter().find(|sitting| sitting.case_id == case_id).map(|sitting| sitting.case_row);
        let versions = by_case.get(case_id).map(Vec::as_slice).unwrap_or_default();
        let record = match version_meant(versions, case_id, row.get("version"), in_session) {
            Ok(record) => Some(record),
            Err((field, message)) => {
                report(field, message);
                None
            }
        };
        let (Some(number), true, Some(record)) = (number, position_known, record) else { continue };
        if let Some(first) = rows_seen.get(&(number.clone(), position.clone())) {
            report(
                "position",
                Message::new(MessageCode::SittingLineRepeats)
                    .with("line", first.to_string())
                    .with("number", number_text)
                    .with("position", &position),
            );
            continue;
        }
        rows_seen.insert((number.clone(), position.clone()), line);
        match versions_seen.get(&record.case_id) {
            Some((row, first)) if *row != record.id => {
                report(
                    "version",
                    Message::new(MessageCode::SittingLineOtherVersion).with("line", first.to_string()),
                );
                continue;
            }
            Some(_) => {}
            None => {
                versions_seen.insert(record.case_id.clone(), (record.id, line));
            }
        }
        if let Some(row) = in_session
            && row != record.id
        {
            report(
                "version",
                Message::new(MessageCode::SittingSessionOtherVersion).with("case", &record.case_id),
            );
            continue;
        }
        if let Err(error) = assignable(state, user, &data.session, record, &position, "/case")
            .and_then(|()| fits_exam(state, &pinned, record, "/case"))
        {
            errors.extend(on_line(line, error));
            continue;
        }
        let current =
            data.cases.iter().find(|sitting| sitting.candidate == number && sitting.position == position);
        if current.is_some_and(|sitting| sitting.case_row == record.id) {
            unchanged.push(line);
            continue;
        }
        if data
            .evaluations
            .iter()
            .any(|evaluation| evaluation.candidate == number && evaluation.position == position)
        {
            report(
                "position",
                Message::new(MessageCode::SittingPositionEvaluated)
                    .with("position", &position)
                    .with("number", number_text),
            );
            continue;
        }
        let case = document_of(state.catalogue(), record)?;
        let mut warnings = Vec::new();
        let authors = conflicts(&pinned.blueprint, &data.assignments, &number, &position, &case);
        if !authors.is_empty() {
            warnings.push(Message::new(MessageCode::SittingWarningAuthor).with("names", authors.join(", ")));
        }
        if history.get(&number).is_some_and(|sat| sat.contains(&record.case_id)) {
            warnings.push(Message::new(MessageCode::SittingWarningSatBefore));
        }
        sittings.push(CheckedSitting {
            line,
            number,
            position,
            record: record.clone(),
            replaces: current.map(|sitting| format!("{} {}", sitting.case_id, sitting.version)),
            warnings,
        });
    }
    errors.sort_by_key(|error| error.line);
    if upload.rows.is_empty() && errors.is_empty() {
        errors.push(FieldError::said_on_line(2, None, Message::new(MessageCode::SittingNoRow)));
    }
    if errors.is_empty() { Ok((sittings, unchanged)) } else { Err(ApiError::Invalid(errors)) }
}

fn outcome(
    sittings: &[CheckedSitting],
    unchanged: Vec<u64>,
    encoding: crate::CsvEncoding,
) -> CasesCsvOutcome {
    CasesCsvOutcome {
        encoding,
        sittings: sittings
            .iter()
            .map(|sitting| ProposedSitting {
                line: sitting.line,
                candidate: sitting.number.as_str().to_owned(),
                position: sitting.position.clone(),
                case: sitting.record.id,
                case_id: sitting.record.case_id.clone(),
                version: sitting.record.version.clone(),
                title: sitting.record.title.clone(),
                replaces: sitting.replaces.clone(),
                warnings: sitting.warnings.iter().map(Message::french).collect(),
                warning_messages: sitting.warnings.clone(),
            })
            .collect(),
        unchanged,
    }
}

/// Checks a CSV upload exactly as [`assign_csv`] does and says what it
/// would change, without saving anything.
async fn preview_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, encoding, _): CsvBody<CasesCsv>,
) -> Result<Json<CasesCsvOutcome>, ApiError> {
    let (sittings, unchanged) = checked_csv(&state, &staff.current.user, path.id, &text).await?;
    Ok(Json(outcome(&sittings, unchanged, encoding)))
}

/// Gives every candidate of the file their case, all or nothing.
async fn assign_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<SessionPath>,
    CsvBody(text, encoding, _): CsvBody<CasesCsv>,
) -> Result<Created<CasesCsvOutcome>, ApiError> {
    let user = &staff.current.user;
    let (sittings, unchanged) = checked_csv(&state, user, path.id, &text).await?;
    let actor = Actor::user(user);
    let rows: Vec<(CandidateNumber, String, i64)> = sittings
        .iter()
        .map(|sitting| (sitting.number.clone(), sitting.position.clone(), sitting.record.id))
        .collect();
    state.db(move |store| store.assign_cases(&actor, path.id, &rows)).await.map_err(assignment_conflict)?;
    Ok(Created(outcome(&sittings, unchanged, encoding)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draw_generator_is_the_same_everywhere() {
        let mut random = SplitMix(42);
        let first: Vec<u64> = (0..3).map(|_| random.next()).collect();
        let mut again = SplitMix(42);
        assert_eq!(first, (0..3).map(|_| again.next()).collect::<Vec<_>>());
        assert_ne!(first[0], first[1]);
    }
}
