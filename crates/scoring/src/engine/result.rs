//! The explained results the engine builds: session → candidate → part →
//! position → evaluation → criterion, the comparison of two examiners, the
//! pass conditions, the competence profile, and the shorter listing of
//! grades ([`CandidateGrades`]) and counts ([`SessionSummary`]).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::Reconciliation;
use crate::calc::{ExplainedGrade, ExplainedMean};
use crate::case::{CaseStudy, NotAssessed};
use crate::decimal::{decimal_schema, optional_decimal_schema};
use crate::message::{Message, MessageCode};
use crate::session::{CandidateStatus, DocumentRef};

/// The result of a whole session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SessionResult {
    /// The session id.
    pub session: String,
    /// The scheme used.
    pub scheme: DocumentRef,
    /// The blueprint used.
    pub blueprint: DocumentRef,
    /// The rubrics used.
    pub rubrics: Vec<DocumentRef>,
    /// The assumptions declared by the scheme and the blueprint, to be
    /// confirmed against the exam regulation.
    pub assumptions: Vec<String>,
    /// One result per candidate, in the session's order.
    pub candidates: Vec<CandidateResult>,
}

/// The outcome for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every condition of the pass rule holds.
    Passed,
    /// A condition failed, or the exam counts as failed without grades.
    Failed,
    /// Not decidable yet (evaluations missing, discrepancy open, absence
    /// not yet qualified).
    Pending,
    /// No result: excused withdrawal; the attempt does not count.
    NoResult,
}

/// The result of one candidate, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CandidateResult {
    /// The candidate number.
    pub number: String,
    /// The status in the session file.
    pub status: CandidateStatus,
    /// The attempt number.
    pub attempt: u32,
    /// Passed, failed, pending or no result.
    pub outcome: Outcome,
    /// The rule that decided, as a French sentence (the French text of
    /// `decision_message`).
    pub decision: String,
    /// The rule that decided, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_message: Option<Message>,
    /// What is still missing when the outcome is pending.
    pub pending: Vec<String>,
    /// `pending`, as codes and arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_messages: Vec<Message>,
    /// The part results, in blueprint order (empty when decided without
    /// grades).
    pub parts: Vec<PartResult>,
    /// The overall grade and its calculation, when every part has a grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overall: Option<ExplainedMean>,
    /// Every condition of the pass rule with its verdict, when the overall
    /// grade exists.
    pub conditions: Vec<ConditionResult>,
    /// The competence profile from the official evaluations.
    pub profile: CompetenceProfile,
    /// What was ignored and why, in French (for instance evaluations
    /// entered for a candidate who withdrew or was absent). Left out when
    /// empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// `warnings`, as codes and arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warning_messages: Vec<Message>,
}

/// One part's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartResult {
    /// The part id.
    pub part: String,
    /// The part title (French).
    pub title: String,
    /// The part's weight in the overall grade.
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// The part grade, when known, with the decimals of the part step
    /// (at least one: `5.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub grade: Option<Decimal>,
    /// The calculation of a scored part grade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calculation: Option<ExplainedMean>,
    /// For a part carried forward from an earlier attempt: where from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried: Option<String>,
    /// `carried`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_message: Option<Message>,
    /// The positions (empty for a carried part).
    pub positions: Vec<PositionResult>,
    /// Why the part has no grade yet.
    pub pending: Vec<String>,
    /// `pending`, as codes and arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_messages: Vec<Message>,
}

/// One position's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PositionResult {
    /// The position id.
    pub position: String,
    /// The position title (French).
    pub title: String,
    /// The position's weight in its part grade.
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// The rubric used.
    pub rubric: DocumentRef,
    /// The case study the candidate sat for this position, when the
    /// session assigns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseUsed>,
    /// Each examiner's evaluation, scored.
    pub evaluations: Vec<EvaluationResult>,
    /// The agreed evaluation, scored, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agreed: Option<EvaluationResult>,
    /// The third examiner's (chief expert's) evaluation, scored, when the
    /// part is reconciled by arbitration and there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arbiter: Option<EvaluationResult>,
    /// The comparison of the examiners' evaluations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// How the evaluations made (or will make) the official grade: the
    /// part's reconciliation mode, the rule that applied and why, and which
    /// evaluation(s) the grade comes from. Absent when nothing is entered
    /// for the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<ReconciliationResult>,
    /// The official grade, when there is one, with the decimals of the
    /// position step (at least one: `4.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub grade: Option<Decimal>,
    /// Where the official grade comes from, in French.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade_source: Option<String>,
    /// `grade_source`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_source_message: Option<Message>,
    /// Why there is no official grade yet.
    pub pending: Vec<String>,
    /// `pending`, as codes and arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_messages: Vec<Message>,
}

/// How a position's evaluations were reconciled into its official grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReconciliationResult {
    /// The part's mode, from the blueprint.
    pub mode: Reconciliation,
    /// The rule that applied (or what it waits for).
    pub rule: ReconciliationRule,
    /// The evaluations the official grade comes from (empty while waiting).
    pub sources: Vec<GradeSourceRef>,
    /// For a mean: the mean of the examiners' position grades, rounded at
    /// the position step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calculation: Option<ExplainedMean>,
    /// The rule with its numbers, in French.
    pub explanation: String,
    /// `explanation`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_message: Option<Message>,
}

/// The rule by which a position's grade was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReconciliationRule {
    /// One examiner planned: their evaluation is official.
    Single,
    /// Identical evaluations, agreed automatically (agreed mode).
    Identical,
    /// The examiners' joint evaluation is official (agreed mode).
    Agreed,
    /// The mean of the examiners' position grades (mean mode, or
    /// arbitration mode when no discrepancy flag is raised).
    Mean,
    /// A discrepancy flag was raised: the arbiter's evaluation is official.
    Arbiter,
    /// An examiner's evaluation is missing or incomplete.
    AwaitingEvaluations,
    /// The evaluations differ and no joint evaluation counts yet.
    AwaitingAgreement,
    /// The joint evaluation is recorded but not yet confirmed by every
    /// examiner.
    AwaitingConfirmation,
    /// A discrepancy flag was raised and the arbiter's evaluation is
    /// missing or incomplete.
    AwaitingArbiter,
}

impl ReconciliationRule {
    /// The name sent (`single`, `identical`, ...), also the last part of
    /// its translation key.
    pub fn as_str(self) -> &'static str {
        match self {
            ReconciliationRule::Single => "single",
            ReconciliationRule::Identical => "identical",
            ReconciliationRule::Agreed => "agreed",
            ReconciliationRule::Mean => "mean",
            ReconciliationRule::Arbiter => "arbiter",
            ReconciliationRule::AwaitingEvaluations => "awaiting_evaluations",
            ReconciliationRule::AwaitingAgreement => "awaiting_agreement",
            ReconciliationRule::AwaitingConfirmation => "awaiting_confirmation",
            ReconciliationRule::AwaitingArbiter => "awaiting_arbiter",
        }
    }

    /// Every rule.
    pub const ALL: [ReconciliationRule; 9] = [
        ReconciliationRule::Single,
        ReconciliationRule::Identical,
        ReconciliationRule::Agreed,
        ReconciliationRule::Mean,
        ReconciliationRule::Arbiter,
        ReconciliationRule::AwaitingEvaluations,
        ReconciliationRule::AwaitingAgreement,
        ReconciliationRule::AwaitingConfirmation,
        ReconciliationRule::AwaitingArbiter,
    ];
}

/// One evaluation an official grade comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "examiner")]
pub enum GradeSourceRef {
    /// An examiner's own evaluation.
    Examiner(String),
    /// The examiners' joint evaluation.
    Agreed,
    /// The arbiter's evaluation.
    Arbiter(String),
}

/// The case study a candidate sat for a position, as its grade explains it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseUsed {
    /// The case id.
    pub id: String,
    /// The case version the session pins.
    pub version: String,
    /// The case title.
    pub title: String,
    /// The language the case (its title) is written in; absent in results
    /// stored before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::case::CaseLanguage>,
    /// The rubric criteria the case leaves out (not assessable by design,
    /// for every candidate who sat the case), with the case's reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_assessed: Vec<NotAssessed>,
    /// In French: what the case changes to the grade.
    pub explanation: String,
    /// `explanation`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_message: Option<Message>,
}

impl CaseUsed {
    pub(super) fn of(case: &CaseStudy) -> CaseUsed {
        let message = if case.not_assessed.is_empty() {
            Message::new(MessageCode::CaseAllAssessed)
        } else {
            // The reasons are the case author's words, in the case's language.
            let left_out: Vec<String> = case
                .not_assessed
                .iter()
                .map(|excluded| format!("{} ({})", excluded.criterion, excluded.reason))
                .collect();
            Message::new(MessageCode::CaseLeftOut).with("criteria", left_out.join(", "))
        }
        .with("case", case.id.clone())
        .with("version", case.version.clone());
        CaseUsed {
            id: case.id.clone(),
            version: case.version.clone(),
            title: case.title.clone(),
            language: Some(case.language),
            not_assessed: case.not_assessed.clone(),
            explanation: message.french(),
            explanation_message: Some(message),
        }
    }
}

/// One evaluation (an examiner's or the agreed one), scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EvaluationResult {
    /// The examiner (absent for the agreed evaluation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examiner: Option<String>,
    /// Criterion by criterion, in rubric order.
    pub criteria: Vec<CriterionScore>,
    /// Σ weighted points of the assessed criteria.
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// Σ weighted maxima of the assessed criteria.
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// The grade, when the evaluation is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<ExplainedGrade>,
    /// Why the evaluation is incomplete (empty when complete).
    pub incomplete: Vec<String>,
    /// `incomplete`, as codes and arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete_messages: Vec<Message>,
    /// The overall remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// The language of the remarks (the overall one and those on
    /// criteria), when known: the evaluation's or the session's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark_language: Option<crate::case::CaseLanguage>,
}

/// The mark given for one rubric criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "points")]
pub enum Mark {
    /// The points of a level.
    Points(#[schemars(schema_with = "decimal_schema")] Decimal),
    /// Marked not assessable.
    NotAssessable,
    /// Left out by the case the candidate sat (not assessable by design).
    NotAssessedInCase,
    /// Not answered, or answered with something unusable.
    Missing,
}

/// One criterion of a scored evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionScore {
    /// The rubric criterion id.
    pub criterion: String,
    /// The mark.
    pub mark: Mark,
    /// The criterion's weight.
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// Level points × weight (0 unless marked with points).
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// Highest level × weight (0 when not assessable or missing).
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// The examiner's remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// The comparison of the examiners' evaluations of one position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// Per criterion: each examiner's mark, and whether they all agree.
    pub criteria: Vec<CriterionComparison>,
    /// Each examiner's position grade (absent when incomplete).
    pub grades: Vec<ExaminerGrade>,
    /// Highest minus lowest position grade, when all are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub difference: Option<Decimal>,
    /// Same mark on every criterion.
    pub identical: bool,
    /// The discrepancy flags raised.
    pub flags: Vec<DiscrepancyFlag>,
    /// `agreed`, `open` or `none`.
    pub status: DiscrepancyStatus,
}

/// One criterion compared across examiners.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionComparison {
    /// The rubric criterion id.
    pub criterion: String,
    /// The marks, in the order of the evaluations.
    pub marks: Vec<Mark>,
    /// Whether all marks are equal.
    pub agree: bool,
}

/// One examiner's position grade in a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExaminerGrade {
    /// The examiner.
    pub examiner: String,
    /// The grade, when the evaluation is complete.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub grade: Option<Decimal>,
}

/// Why a comparison was flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscrepancyFlag {
    /// `step` or `straddle`.
    pub kind: FlagKind,
    /// A French sentence.
    pub message: String,
    /// `message`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Message>,
}

/// The kinds of discrepancy flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// The grades differ by at least the scheme's discrepancy step.
    Step,
    /// The grades lie on either side of the pass mark.
    Straddle,
}

/// Whether a difference between examiners is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyStatus {
    /// No difference (or identical evaluations agreed automatically).
    None,
    /// The evaluations differ and the part's reconciliation settles it
    /// (an agreed evaluation, the mean, or the arbiter's evaluation; see
    /// `PositionResult::reconciliation`).
    Agreed,
    /// The evaluations differ and nothing settles it yet.
    Open,
}

/// One condition of the pass rule, judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionResult {
    /// A machine name: `min_overall`, `max_insufficient_parts`,
    /// `min_part_grade`, `max_shortfall_sum`, `required_part`,
    /// `max_parts_below`, `part_minimum`, `min_position_grade`,
    /// `position_minimum`.
    pub condition: String,
    /// Whether it holds.
    pub satisfied: bool,
    /// The condition with its numbers, in French.
    pub explanation: String,
    /// `explanation`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation_message: Option<Message>,
}

/// Points achieved over points possible, by competence, domain, criterion
/// category and catalogue criterion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetenceProfile {
    /// By competence id.
    pub competences: Vec<ProfileEntry>,
    /// By domain letter.
    pub domains: Vec<ProfileEntry>,
    /// By category (`performance`, `knowledge`, `attitudes`,
    /// `metacognition`).
    pub categories: Vec<ProfileEntry>,
    /// By catalogue criterion id.
    pub criteria: Vec<ProfileEntry>,
}

/// One line of a competence profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileEntry {
    /// The id (competence, domain, category key or criterion).
    pub id: String,
    /// Points achieved.
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// Points possible.
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// points / max_points × 100, rounded half up to one decimal.
    #[schemars(schema_with = "decimal_schema")]
    pub percent: Decimal,
}

/// What a listing of grades prints about one candidate: the grades, the
/// outcome and its reasons, without their explanation. See
/// [`Scorer::score_candidate_grades`]; `CandidateGrades::from` a full
/// [`CandidateResult`] gives the same values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateGrades {
    /// The candidate number.
    pub number: String,
    /// The status in the session file.
    pub status: CandidateStatus,
    /// The attempt number.
    pub attempt: u32,
    /// Passed, failed, pending or no result.
    pub outcome: Outcome,
    /// The rule that decided, as a French sentence.
    pub decision: String,
    /// The rule that decided, as a code and its arguments.
    pub decision_message: Option<Message>,
    /// What is still missing when the outcome is pending.
    pub pending: Vec<String>,
    /// `pending`, as codes and arguments.
    pub pending_messages: Vec<Message>,
    /// Each part's grade, in blueprint order (empty when decided without
    /// grades).
    pub parts: Vec<PartGrade>,
    /// The overall grade, when every part has a grade.
    pub overall: Option<Decimal>,
    /// Positions whose examiners differ with no agreed evaluation yet.
    pub open_discrepancies: usize,
    /// What was ignored and why, in French.
    pub warnings: Vec<String>,
    /// `warnings`, as codes and arguments.
    pub warning_messages: Vec<Message>,
}

/// One part's grade in [`CandidateGrades`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartGrade {
    /// The part id.
    pub part: String,
    /// The part grade, when known.
    pub grade: Option<Decimal>,
    /// Each position's grade, in blueprint order (empty for a part carried
    /// from a previous attempt).
    pub positions: Vec<PositionGrade>,
}

/// One position's grade in [`PartGrade`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionGrade {
    /// The position id.
    pub position: String,
    /// The official position grade, when known.
    pub grade: Option<Decimal>,
}

impl From<CandidateResult> for CandidateGrades {
    fn from(result: CandidateResult) -> CandidateGrades {
        let open_discrepancies = result
            .parts
            .iter()
            .flat_map(|part| &part.positions)
            .filter_map(|position| position.comparison.as_ref())
            .filter(|comparison| comparison.status == DiscrepancyStatus::Open)
            .count();
        CandidateGrades {
            number: result.number,
            status: result.status,
            attempt: result.attempt,
            outcome: result.outcome,
            decision: result.decision,
            decision_message: result.decision_message,
            pending: result.pending,
            pending_messages: result.pending_messages,
            parts: result
                .parts
                .into_iter()
                .map(|part| PartGrade {
                    part: part.part,
                    grade: part.grade,
                    positions: part
                        .positions
                        .into_iter()
                        .map(|position| PositionGrade { position: position.position, grade: position.grade })
                        .collect(),
                })
                .collect(),
            overall: result.overall.map(|overall| overall.value),
            open_discrepancies,
            warnings: result.warnings,
            warning_messages: result.warning_messages,
        }
    }
}

/// Counts over a session's candidates, accumulated candidate by candidate
/// (see [`Scorer`]) or computed from a whole result
/// ([`SessionResult::summary`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SessionSummary {
    /// Candidates counted.
    pub candidates: usize,
    /// Candidates who passed.
    pub passed: usize,
    /// Candidates who failed (with or without grades).
    pub failed: usize,
    /// Candidates whose result is pending.
    pub pending: usize,
    /// Candidates without a result (excused withdrawal).
    pub no_result: usize,
    /// Positions whose examiners differ with no agreed evaluation yet.
    pub open_discrepancies: usize,
    /// Candidates with at least one open discrepancy.
    pub candidates_with_open_discrepancies: usize,
    /// Positions whose comparison raised at least one flag (a gap of the
    /// discrepancy step or more, or grades on either side of the pass mark),
    /// settled or not.
    pub flagged_positions: usize,
}

impl SessionSummary {
    /// Adds the counts of `other` (candidates counted apart, e.g. on
    /// another thread) to these.
    pub fn merge(&mut self, other: &SessionSummary) {
        self.candidates += other.candidates;
        self.passed += other.passed;
        self.failed += other.failed;
        self.pending += other.pending;
        self.no_result += other.no_result;
        self.open_discrepancies += other.open_discrepancies;
        self.candidates_with_open_discrepancies += other.candidates_with_open_discrepancies;
        self.flagged_positions += other.flagged_positions;
    }

    /// Counts one more candidate.
    pub fn add(&mut self, result: &CandidateResult) {
        self.candidates += 1;
        match result.outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Pending => self.pending += 1,
            Outcome::NoResult => self.no_result += 1,
        }
        let comparisons = result
            .parts
            .iter()
            .flat_map(|part| part.positions.iter())
            .filter_map(|position| position.comparison.as_ref());
        let mut open = 0;
        for comparison in comparisons {
            if comparison.status == DiscrepancyStatus::Open {
                open += 1;
            }
            if !comparison.flags.is_empty() {
                self.flagged_positions += 1;
            }
        }
        self.open_discrepancies += open;
        if open > 0 {
            self.candidates_with_open_discrepancies += 1;
        }
    }
}

impl SessionResult {
    /// The counts over this session's candidates.
    pub fn summary(&self) -> SessionSummary {
        let mut summary = SessionSummary::default();
        for candidate in &self.candidates {
            summary.add(candidate);
        }
        summary
    }
}
