//! The session file (`session.json`), what `grille score` reads: which
//! scheme, blueprint and rubric versions the session uses, its candidates and
//! the examiners' evaluations.
//!
//! A session references its documents by id and version rather than
//! embedding them, so that a board member writes only the evaluations and
//! the pinned versions prove which rubric was used. Checks that need the
//! referenced documents (unknown positions, answers against the rubric) are
//! made by the scoring engine.

use crate::message::{Message, MessageCode};
use std::collections::HashSet;

use grille_competence::{LocalizedText, Problem};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::case::CaseLanguage;
use crate::decimal::{self, check_not_blank, decimal_schema, optional_decimal_schema};

/// A whole session file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// A stable identifier, e.g. `2026-automne`.
    pub id: String,
    /// A human title, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<LocalizedText>,
    /// The grading scheme used.
    pub scheme: DocumentRef,
    /// The blueprint used.
    pub blueprint: DocumentRef,
    /// The rubrics used, one per rubric id of the blueprint.
    pub rubrics: Vec<DocumentRef>,
    /// The case studies used, one version per case id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<DocumentRef>,
    /// The language the examiners' remarks are written in, unless an
    /// evaluation says otherwise (`fr`, `de`, `it`). Absent: unknown, and
    /// the pages mark no language on the remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "remark_language_schema")]
    pub remark_language: Option<CaseLanguage>,
    /// The candidates.
    pub candidates: Vec<Candidate>,
}

/// A reference to a document by id and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRef {
    /// The document's `id`.
    pub id: String,
    /// The document's `version`.
    pub version: String,
}

/// One candidate of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    /// The candidate number, unique in the session (no names: the file
    /// circulates among examiners).
    pub number: String,
    /// Whether the candidate sat the exam. Default: `present`.
    #[serde(default)]
    pub status: CandidateStatus,
    /// Which attempt this is, 1 for the first. Default: 1.
    #[serde(default = "default_attempt")]
    pub attempt: u32,
    /// For a retake: the parts passed at an earlier attempt, whose grades
    /// are carried forward and which are not scored again.
    #[serde(default)]
    pub carried_parts: Vec<CarriedPart>,
    /// Which case the candidate sat for a position (positions without a
    /// case are scored with the blueprint's rubric alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseSitting>,
    /// The evaluations, position by position.
    #[serde(default)]
    pub positions: Vec<PositionScoring>,
}

/// The case a candidate sat for one position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseSitting {
    /// The blueprint position id.
    pub position: String,
    /// The case id (its version is the one the session pins).
    pub case: String,
}

/// Whether a candidate sat the exam.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// Sat the exam: scored.
    #[default]
    Present,
    /// Withdrew for a valid reason (illness...): no result, the attempt does
    /// not count.
    WithdrawnExcused,
    /// Withdrew without a valid reason: the exam is failed.
    WithdrawnUnexcused,
    /// Excluded (for instance for cheating): the exam is failed.
    Excluded,
    /// Did not appear, reason not yet decided: no result until the board
    /// records the absence as an excused or unexcused withdrawal.
    Absent,
}

impl CandidateStatus {
    /// Every status.
    pub const ALL: [CandidateStatus; 5] = [
        CandidateStatus::Present,
        CandidateStatus::WithdrawnExcused,
        CandidateStatus::WithdrawnUnexcused,
        CandidateStatus::Excluded,
        CandidateStatus::Absent,
    ];

    /// The name stored and sent (`present`, `withdrawn_excused`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateStatus::Present => "present",
            CandidateStatus::WithdrawnExcused => "withdrawn_excused",
            CandidateStatus::WithdrawnUnexcused => "withdrawn_unexcused",
            CandidateStatus::Excluded => "excluded",
            CandidateStatus::Absent => "absent",
        }
    }

    /// The status named `text`, if any.
    pub fn parse(text: &str) -> Option<CandidateStatus> {
        CandidateStatus::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// A part grade carried forward from an earlier attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarriedPart {
    /// The blueprint part id.
    pub part: String,
    /// The part grade obtained, at least the pass mark.
    #[schemars(schema_with = "decimal_schema")]
    #[serde(deserialize_with = "decimal::strict::decimal")]
    pub grade: Decimal,
    /// The session it was obtained in, for the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_session: Option<String>,
}

/// The evaluations of one position for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionScoring {
    /// The blueprint position id.
    pub position: String,
    /// Each examiner's own evaluation (kept even after agreement).
    #[serde(default)]
    pub evaluations: Vec<Evaluation>,
    /// The evaluation the examiners agreed on, when theirs differ. It is
    /// the official one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed: Option<AgreedEvaluation>,
    /// In a part reconciled by `arbitration`: the third examiner's (the
    /// chief expert's) evaluation, official when the examiners' grades
    /// raise a discrepancy flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbiter: Option<Evaluation>,
}

/// One examiner's evaluation of one position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// The examiner's id (initials or number), unique within the position.
    pub examiner: String,
    /// One answer per rubric criterion.
    pub answers: Vec<Answer>,
    /// The examiner's overall remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The language of this evaluation's remarks (the overall remark and
    /// the remarks on criteria); absent: the session's `remark_language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "remark_language_schema")]
    pub remark_language: Option<CaseLanguage>,
}

/// The evaluation agreed by the examiners of a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreedEvaluation {
    /// The examiners who agreed, for the record.
    #[serde(default)]
    pub examiners: Vec<String>,
    /// One answer per rubric criterion.
    pub answers: Vec<Answer>,
    /// The justification of the agreement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The language of the justification and of the remarks on
    /// criteria; absent: the session's `remark_language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "remark_language_schema")]
    pub remark_language: Option<CaseLanguage>,
    /// The examiners who have not yet confirmed this agreed evaluation in
    /// their own account: it counts only once the list is empty (the
    /// default, as in a session file written by hand).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awaiting_confirmation: Vec<String>,
}

/// The answer to one rubric criterion: the points of a level, or "not
/// assessable" where the rubric allows it. An answer with neither is an
/// unanswered criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The rubric criterion id.
    pub criterion: String,
    /// The points of the chosen level (they identify the level).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "decimal::strict::optional_decimal")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub points: Option<Decimal>,
    /// The criterion could not be observed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_assessable: bool,
    /// The examiner's remark on this criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// The schema of an optional language of remarks: one list of the values
/// admitted, so that a wrong one is answered with that list.
fn remark_language_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["string", "null"],
        "enum": ["fr", "de", "it", null],
        "description": "The language of the remarks: fr, de or it (absent: unknown)."
    })
}

fn default_attempt() -> u32 {
    1
}

/// A session without its candidates: the pinned documents. It is what a
/// [`Scorer`](crate::Scorer) needs before the first candidate, so that a
/// large session can be scored candidate by candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionHeader {
    /// A stable identifier, e.g. `2026-automne`.
    pub id: String,
    /// A human title, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<LocalizedText>,
    /// The grading scheme used.
    pub scheme: DocumentRef,
    /// The blueprint used.
    pub blueprint: DocumentRef,
    /// The rubrics used, one per rubric id of the blueprint.
    pub rubrics: Vec<DocumentRef>,
    /// The case studies used, one version per case id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<DocumentRef>,
    /// The language the examiners' remarks are written in, unless an
    /// evaluation says otherwise (`fr`, `de`, `it`). Absent: unknown, and
    /// the pages mark no language on the remarks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "remark_language_schema")]
    pub remark_language: Option<CaseLanguage>,
}

impl SessionHeader {
    /// Every problem of meaning of the header alone (blank ids, a rubric
    /// pinned twice), with pointers into the session file.
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_not_blank(&mut problems, "/id", &self.id, MessageCode::FieldSessionId);
        for (name, reference) in [("scheme", &self.scheme), ("blueprint", &self.blueprint)] {
            check_not_blank(&mut problems, &format!("/{name}/id"), &reference.id, MessageCode::FieldId);
            check_not_blank(
                &mut problems,
                &format!("/{name}/version"),
                &reference.version,
                MessageCode::FieldVersion,
            );
        }
        let mut rubric_ids = HashSet::new();
        for (index, reference) in self.rubrics.iter().enumerate() {
            check_not_blank(
                &mut problems,
                &format!("/rubrics/{index}/id"),
                &reference.id,
                MessageCode::FieldId,
            );
            check_not_blank(
                &mut problems,
                &format!("/rubrics/{index}/version"),
                &reference.version,
                MessageCode::FieldVersion,
            );
            if !rubric_ids.insert(reference.id.as_str()) {
                problems.push(Problem::new(
                    format!("/rubrics/{index}/id"),
                    Message::new(MessageCode::SessionRubricPinnedTwice)
                        .with("rubric", reference.id.to_string()),
                ));
            }
        }
        let mut case_ids = HashSet::new();
        for (index, reference) in self.cases.iter().enumerate() {
            check_not_blank(
                &mut problems,
                &format!("/cases/{index}/id"),
                &reference.id,
                MessageCode::FieldId,
            );
            check_not_blank(
                &mut problems,
                &format!("/cases/{index}/version"),
                &reference.version,
                MessageCode::FieldVersion,
            );
            if !case_ids.insert(reference.id.as_str()) {
                problems.push(Problem::new(
                    format!("/cases/{index}/id"),
                    Message::new(MessageCode::SessionCasePinnedTwice).with("case", reference.id.to_string()),
                ));
            }
        }
        problems
    }
}

impl Candidate {
    /// Every problem of meaning of this candidate alone, with pointers
    /// `/candidates/{index}/...`. Whether its number is unique in the
    /// session is checked by [`Session::check`] (and by
    /// [`Scorer::check_candidate`](crate::Scorer::check_candidate)).
    pub fn check(&self, index: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        // Pointers are made only for a problem: this runs for every
        // candidate of a session.
        if self.number.trim().is_empty() {
            check_not_blank(
                &mut problems,
                &format!("/candidates/{index}/number"),
                &self.number,
                MessageCode::FieldCandidateNumber,
            );
        }
        if self.attempt == 0 {
            problems.push(Problem::new(
                format!("/candidates/{index}/attempt"),
                Message::new(MessageCode::CandidateFirstAttempt),
            ));
        }
        if !self.carried_parts.is_empty() && self.attempt < 2 {
            problems.push(Problem::new(
                format!("/candidates/{index}/carried_parts"),
                Message::new(MessageCode::CandidateCarriedFirstAttempt),
            ));
        }
        for (k, carried) in self.carried_parts.iter().enumerate() {
            if self.carried_parts[..k].iter().any(|other| other.part == carried.part) {
                problems.push(Problem::new(
                    format!("/candidates/{index}/carried_parts/{k}/part"),
                    Message::new(MessageCode::CandidatePartCarriedTwice)
                        .with("part", carried.part.to_string()),
                ));
            }
        }
        for (k, sitting) in self.cases.iter().enumerate() {
            if self.cases[..k].iter().any(|other| other.position == sitting.position) {
                problems.push(Problem::new(
                    format!("/candidates/{index}/cases/{k}/position"),
                    Message::new(MessageCode::CandidateTwoCases)
                        .with("position", sitting.position.to_string()),
                ));
            }
        }
        for (k, scoring) in self.positions.iter().enumerate() {
            let pointer = || format!("/candidates/{index}/positions/{k}");
            if self.positions[..k].iter().any(|other| other.position == scoring.position) {
                problems.push(Problem::new(
                    format!("{}/position", pointer()),
                    Message::new(MessageCode::CandidatePositionTwice)
                        .with("position", scoring.position.to_string()),
                ));
            }
            for (e, evaluation) in scoring.evaluations.iter().enumerate() {
                if evaluation.examiner.trim().is_empty() {
                    check_not_blank(
                        &mut problems,
                        &format!("{}/evaluations/{e}/examiner", pointer()),
                        &evaluation.examiner,
                        MessageCode::FieldExaminerId,
                    );
                }
                if scoring.evaluations[..e].iter().any(|other| other.examiner == evaluation.examiner) {
                    problems.push(Problem::new(
                        format!("{}/evaluations/{e}/examiner", pointer()),
                        Message::new(MessageCode::CandidateExaminerTwice)
                            .with("examiner", evaluation.examiner.to_string()),
                    ));
                }
            }
            if let Some(arbiter) = &scoring.arbiter {
                let pointer = format!("{}/arbiter/examiner", pointer());
                check_not_blank(&mut problems, &pointer, &arbiter.examiner, MessageCode::FieldArbiterId);
                // The arbiter is a third person: one of the two examiners
                // cannot decide their own difference.
                if scoring.evaluations.iter().any(|evaluation| evaluation.examiner == arbiter.examiner) {
                    problems.push(Problem::new(
                        pointer,
                        Message::new(MessageCode::CandidateArbiterEvaluated)
                            .with("examiner", arbiter.examiner.to_string()),
                    ));
                }
            }
        }
        problems
    }

    /// What is kept in the file but ignored for grading, each with its
    /// pointer: evaluations entered for a candidate who did not sit the
    /// exam (withdrawn, excluded or absent), for instance before the
    /// withdrawal was recorded. Not a problem: the file stays valid.
    pub fn warnings(&self, index: usize) -> Vec<Problem> {
        let mut warnings = Vec::new();
        if self.status != CandidateStatus::Present && !self.positions.is_empty() {
            warnings.push(Problem::new(
                format!("/candidates/{index}/positions"),
                Message::new(MessageCode::CandidateEvaluationsIgnored),
            ));
        }
        warnings
    }
}

/// The problem of a candidate number already used by an earlier candidate.
pub(crate) fn duplicate_number(index: usize, number: &str) -> Problem {
    Problem::new(
        format!("/candidates/{index}/number"),
        Message::new(MessageCode::CandidateNumberTwice).with("number", number.to_string()),
    )
}

impl Session {
    /// Parses a session and checks what it can check alone: JSON, schema,
    /// unique candidate numbers and positions. Checks against the scheme,
    /// blueprint and rubrics come with the scoring engine.
    pub fn from_json(source: &str) -> Result<Session, Vec<Problem>> {
        let session: Session = decimal::load(source)?;
        let problems = session.check();
        if problems.is_empty() { Ok(session) } else { Err(problems) }
    }

    /// The session without its candidates.
    pub fn header(&self) -> SessionHeader {
        SessionHeader {
            id: self.id.clone(),
            title: self.title.clone(),
            scheme: self.scheme.clone(),
            blueprint: self.blueprint.clone(),
            rubrics: self.rubrics.clone(),
            cases: self.cases.clone(),
            remark_language: self.remark_language,
        }
    }

    /// Every problem of meaning that needs no other document: those of the
    /// header, of each candidate, and candidate numbers used twice.
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = self.header().check();
        let mut numbers = HashSet::new();
        for (index, candidate) in self.candidates.iter().enumerate() {
            let mut candidate_problems = candidate.check(index);
            if !numbers.insert(candidate.number.as_str()) {
                // Keep the order of the original check: number problems first.
                let at = candidate_problems
                    .iter()
                    .position(|problem| !problem.pointer.ends_with("/number"))
                    .unwrap_or(candidate_problems.len());
                candidate_problems.insert(at, duplicate_number(index, &candidate.number));
            }
            problems.extend(candidate_problems);
        }
        problems
    }
}

/// Loads a session piece by piece: its header (every field but
/// `candidates`), then each candidate on its own. This is how a session too
/// large to hold as one JSON tree is read: the caller walks the file and
/// hands over one candidate's JSON value at a time. The checks are those of
/// [`Session::from_json`]; pointers point into the whole file.
pub struct SessionLoader {
    header: std::sync::OnceLock<grille_competence::document::TypedValidator<SessionHeader>>,
    candidate: std::sync::OnceLock<grille_competence::document::TypedValidator<Candidate>>,
}

impl SessionLoader {
    /// A loader whose schemas are compiled when first used (once per
    /// process, see [`grille_competence::document::TypedValidator`]): a
    /// caller that reads a valid session straight into typed values (`grille
    /// score`) needs the candidate schema only to explain a file that
    /// failed, and does not pay for it otherwise.
    pub fn new() -> SessionLoader {
        SessionLoader { header: std::sync::OnceLock::new(), candidate: std::sync::OnceLock::new() }
    }

    /// The header from the session's top-level fields other than
    /// `candidates`, checked for meaning.
    pub fn header(
        &self,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Result<SessionHeader, Vec<Problem>> {
        let mut value = serde_json::Value::Object(fields);
        let mut problems = crate::decimal::reject_fractional_numbers(&mut value, "");
        match self.header.get_or_init(Default::default).load_value(value, "") {
            Ok(header) => {
                problems.extend(header.check());
                if problems.is_empty() { Ok(header) } else { Err(problems) }
            }
            Err(schema_problems) => {
                problems.extend(schema_problems);
                Err(problems)
            }
        }
    }

    /// The candidate at `index` of the `candidates` array, checked on its
    /// own (its number's uniqueness is the caller's to check, e.g. with
    /// [`crate::Scorer::check_candidate`]).
    pub fn candidate(&self, index: usize, mut value: serde_json::Value) -> Result<Candidate, Vec<Problem>> {
        let prefix = format!("/candidates/{index}");
        let mut problems = crate::decimal::reject_fractional_numbers(&mut value, &prefix);
        match self.candidate.get_or_init(Default::default).load_value(value, &prefix) {
            Ok(candidate) => {
                problems.extend(candidate.check(index));
                if problems.is_empty() { Ok(candidate) } else { Err(problems) }
            }
            Err(schema_problems) => {
                problems.extend(schema_problems);
                Err(problems)
            }
        }
    }
}

impl Default for SessionLoader {
    fn default() -> Self {
        SessionLoader::new()
    }
}
