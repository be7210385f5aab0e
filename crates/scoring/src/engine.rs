//! The scoring engine: a session's evaluations → position grades → part
//! grades → overall grade → pass or fail, each step explained; examiner
//! comparison; competence profiles.
//!
//! Rules decided here (see also the crate documentation):
//! - An evaluation gives a grade only when every rubric criterion is
//!   answered with the points of an existing level, or "not assessable"
//!   where the rubric allows it. A not-assessable criterion leaves both the
//!   points and the maximum.
//! - The official grade of a position comes from the agreed evaluation when
//!   there is one; otherwise from the examiners' evaluations when they are
//!   identical on every criterion and the scheme lets identical evaluations
//!   agree; otherwise (they differ) the position has no official grade yet
//!   and its discrepancy is open. A part examined by one examiner takes that
//!   evaluation.
//! - Part grade = weighted mean of the rounded position grades, rounded at
//!   the part step; overall grade = weighted mean of the rounded part
//!   grades, rounded at the overall step.
//! - Unexcused withdrawal and exclusion fail without grades; an excused
//!   withdrawal gives no result (the attempt does not count); an absence
//!   stays pending until the board records it as excused or not.
//!   Evaluations entered for such a candidate (before the withdrawal was
//!   recorded) are kept in the file, ignored for grading, and reported as
//!   a warning of the candidate's result.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use grille_competence::{Catalogue, Problem};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::answers::{AnswerProblem, Completeness};
use crate::blueprint::{Blueprint, Part, Position};
use crate::calc::{self, ExplainedGrade, ExplainedMean, at_step_decimals, on_step};
use crate::case::{CaseStudy, NotAssessed};
use crate::decimal::{decimal_schema, display, display_grade, optional_decimal_schema};
use crate::rubric::{Rubric, RubricCriterion};
use crate::scheme::GradingScheme;
use crate::session::{Answer, Candidate, CandidateStatus, DocumentRef, Session, SessionHeader};

/// Everything a scoring run needs, already loaded.
#[derive(Debug, Clone, Copy)]
pub struct ScoringInput<'a> {
    /// The competence catalogue.
    pub catalogue: &'a Catalogue,
    /// The grading scheme the session pins.
    pub scheme: &'a GradingScheme,
    /// The blueprint the session pins.
    pub blueprint: &'a Blueprint,
    /// The rubrics the session pins (others are ignored).
    pub rubrics: &'a [Rubric],
    /// The case studies the session pins (others are ignored).
    pub cases: &'a [CaseStudy],
    /// The session.
    pub session: &'a Session,
}

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
    /// The rule that decided, as a French sentence.
    pub decision: String,
    /// What is still missing when the outcome is pending.
    pub pending: Vec<String>,
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
    /// The positions (empty for a carried part).
    pub positions: Vec<PositionResult>,
    /// Why the part has no grade yet.
    pub pending: Vec<String>,
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
    /// The comparison of the examiners' evaluations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparison>,
    /// The official grade, when there is one, with the decimals of the
    /// position step (at least one: `4.0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub grade: Option<Decimal>,
    /// Where the official grade comes from, in French.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade_source: Option<String>,
    /// Why there is no official grade yet.
    pub pending: Vec<String>,
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
    /// The rubric criteria the case leaves out (not assessable by design,
    /// for every candidate who sat the case), with the case's reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_assessed: Vec<NotAssessed>,
    /// In French: what the case changes to the grade.
    pub explanation: String,
}

impl CaseUsed {
    fn of(case: &CaseStudy) -> CaseUsed {
        let explanation = if case.not_assessed.is_empty() {
            format!(
                "cas {} (version {}) : tous les critères de la grille sont évalués",
                case.id, case.version
            )
        } else {
            let left_out: Vec<String> = case
                .not_assessed
                .iter()
                .map(|excluded| format!("{} ({})", excluded.criterion, excluded.reason))
                .collect();
            format!(
                "cas {} (version {}) : critère(s) non évaluable(s) par conception du cas : {} ; ils sortent des points et du maximum, le même pour tou·te·s les candidat·e·s de ce cas",
                case.id,
                case.version,
                left_out.join(", ")
            )
        };
        CaseUsed {
            id: case.id.clone(),
            version: case.version.clone(),
            title: case.title.clone(),
            not_assessed: case.not_assessed.clone(),
            explanation,
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
    /// The overall remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
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
    /// The evaluations differ and an agreed evaluation settles it.
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

/// Where the points of one rubric criterion of one position count in the
/// competence profile, computed once per scorer.
#[derive(Debug, Clone, Default)]
struct Attribution {
    criteria: Vec<String>,
    competences: Vec<String>,
    domains: Vec<String>,
    categories: Vec<&'static str>,
}

impl Attribution {
    /// Attribution rule: a rubric criterion's weighted points and maximum
    /// count in full (not split) once for each catalogue criterion it
    /// observes, once for each distinct competence it observes (those of its
    /// catalogue criteria and those it names), once for each distinct
    /// domain of these competences and once for each distinct category of
    /// its catalogue criteria. A rubric criterion that observes nothing
    /// counts for the competences of its position.
    fn of(catalogue: &Catalogue, criterion: &RubricCriterion, position: &Position) -> Attribution {
        let mut criteria = Vec::new();
        let mut competences = BTreeSet::new();
        let mut categories = BTreeSet::new();
        for id in &criterion.catalogue_criteria {
            if let Some((competence, found)) = catalogue.criterion(id) {
                criteria.push(id.clone());
                competences.insert(competence.id.clone());
                categories.insert(found.category.key());
            }
        }
        competences.extend(criterion.competences.iter().cloned());
        if criterion.catalogue_criteria.is_empty() && criterion.competences.is_empty() {
            competences.extend(position.competences.iter().cloned());
        }
        let domains: BTreeSet<String> = competences
            .iter()
            .filter_map(|id| catalogue.domain_of(id))
            .map(|domain| domain.id.clone())
            .collect();
        Attribution {
            criteria,
            competences: competences.into_iter().collect(),
            domains: domains.into_iter().collect(),
            categories: categories.into_iter().collect(),
        }
    }
}

/// One blueprint position as a scorer sees it: its pinned rubric and the
/// attribution of each rubric criterion, in rubric order.
#[derive(Debug, Clone)]
struct PreparedPosition<'a> {
    rubric: Option<&'a Rubric>,
    attributions: Vec<Attribution>,
    /// Each rubric criterion's numbers, in rubric order.
    criteria: Vec<PreparedCriterion>,
}

impl<'a> PreparedPosition<'a> {
    /// `position` scored with the pinned rubric `rubric_id`.
    fn of(
        documents: &SessionDocuments<'a>,
        header: &SessionHeader,
        position: &Position,
        rubric_id: &str,
    ) -> PreparedPosition<'a> {
        let rubric = pinned_rubric(documents.rubrics, header, rubric_id);
        let attributions = rubric
            .map(|rubric| {
                rubric
                    .criteria
                    .iter()
                    .map(|criterion| Attribution::of(documents.catalogue, criterion, position))
                    .collect()
            })
            .unwrap_or_default();
        let criteria = rubric
            .map(|rubric| rubric.criteria.iter().map(PreparedCriterion::of).collect())
            .unwrap_or_default();
        PreparedPosition { rubric, attributions, criteria }
    }
}

/// A pinned case study as a scorer sees it.
#[derive(Debug, Clone)]
struct PreparedCase<'a> {
    case: &'a CaseStudy,
    /// When the case names a rubric of its own: each position it serves,
    /// prepared with that rubric.
    with_own_rubric: Vec<(String, PreparedPosition<'a>)>,
}

impl<'a> PreparedCase<'a> {
    fn own_rubric(&self, position: &str) -> Option<&PreparedPosition<'a>> {
        self.with_own_rubric.iter().find(|(id, _)| id == position).map(|(_, prepared)| prepared)
    }
}

/// The numbers of one rubric criterion that scoring needs for every
/// evaluation, computed once per scorer.
#[derive(Debug, Clone, Copy)]
struct PreparedCriterion {
    /// The weight, normalized.
    weight: Decimal,
    /// Highest level × weight, normalized.
    max_weighted: Decimal,
}

impl PreparedCriterion {
    fn of(criterion: &RubricCriterion) -> PreparedCriterion {
        PreparedCriterion {
            weight: criterion.weight.normalize(),
            max_weighted: criterion.max_points().saturating_mul(criterion.weight).normalize(),
        }
    }
}

#[derive(Default)]
struct ProfileBuilder {
    competences: BTreeMap<String, (Decimal, Decimal)>,
    domains: BTreeMap<String, (Decimal, Decimal)>,
    categories: BTreeMap<String, (Decimal, Decimal)>,
    criteria: BTreeMap<String, (Decimal, Decimal)>,
}

fn credit(map: &mut BTreeMap<String, (Decimal, Decimal)>, id: &str, points: Decimal, max: Decimal) {
    // Look up before inserting: `entry` would allocate the key every time.
    match map.get_mut(id) {
        Some(entry) => {
            entry.0 = entry.0.saturating_add(points);
            entry.1 = entry.1.saturating_add(max);
        }
        None => {
            map.insert(id.to_owned(), (points, max));
        }
    }
}

impl ProfileBuilder {
    /// Credits a rubric criterion's weighted points and maximum to every
    /// entry of its attribution.
    fn add(&mut self, attribution: &Attribution, points: Decimal, max: Decimal) {
        for id in &attribution.criteria {
            credit(&mut self.criteria, id, points, max);
        }
        for id in &attribution.competences {
            credit(&mut self.competences, id, points, max);
        }
        for id in &attribution.domains {
            credit(&mut self.domains, id, points, max);
        }
        for key in &attribution.categories {
            credit(&mut self.categories, key, points, max);
        }
    }

    fn build(self) -> CompetenceProfile {
        let entries = |map: BTreeMap<String, (Decimal, Decimal)>| {
            map.into_iter()
                .map(|(id, (points, max))| {
                    let percent = points
                        .checked_mul(Decimal::ONE_HUNDRED)
                        .and_then(|value| value.checked_div(max))
                        .and_then(|value| calc::round_half_up(value, Decimal::new(1, 1)).ok())
                        .unwrap_or(Decimal::ZERO);
                    ProfileEntry { id, points: points.normalize(), max_points: max.normalize(), percent }
                })
                .collect()
        };
        CompetenceProfile {
            competences: entries(self.competences),
            domains: entries(self.domains),
            categories: entries(self.categories),
            criteria: entries(self.criteria),
        }
    }
}

/// Scores a whole session. Returns every problem of the documents and of
/// their cross-references (each with a JSON pointer into the session, or
/// into the named document) instead of a result when any is found.
/// Incomplete evaluations and open discrepancies are not problems: they
/// appear in the result as pending reasons.
///
/// This is a loop over a [`Scorer`]: check every candidate, then score
/// every candidate. A caller that wants to print results as they come uses
/// the [`Scorer`] directly.
pub fn score_session(input: &ScoringInput<'_>) -> Result<SessionResult, Vec<Problem>> {
    let ScoringInput { catalogue, scheme, blueprint, rubrics, cases, session } = *input;
    let documents = SessionDocuments { catalogue, scheme, blueprint, rubrics, cases };
    let (mut scorer, mut problems) = Scorer::unchecked(documents, session.header());
    for (index, candidate) in session.candidates.iter().enumerate() {
        problems.extend(scorer.check_candidate(index, candidate));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let candidates = session.candidates.iter().map(|candidate| scorer.score_candidate(candidate)).collect();
    Ok(scorer.session_result(candidates))
}

/// The documents a [`Scorer`] scores against, already loaded.
#[derive(Debug, Clone, Copy)]
pub struct SessionDocuments<'a> {
    /// The competence catalogue.
    pub catalogue: &'a Catalogue,
    /// The grading scheme the session pins.
    pub scheme: &'a GradingScheme,
    /// The blueprint the session pins.
    pub blueprint: &'a Blueprint,
    /// The rubrics the session pins (others are ignored).
    pub rubrics: &'a [Rubric],
    /// The case studies the session pins (others are ignored).
    pub cases: &'a [CaseStudy],
}

/// Scores a session candidate by candidate, so that a large session can be
/// streamed: the documents and their cross-references are checked once by
/// [`Scorer::new`], then each candidate is checked with
/// [`Scorer::check_candidate`] and scored with [`Scorer::score_candidate`].
/// [`score_session`] is a loop over these, so both paths share every line
/// of scoring logic.
///
/// ```
/// # use grille_scoring::{Scorer, SessionDocuments, SessionSummary, Session, GradingScheme, Blueprint, Rubric};
/// # fn stream(documents: SessionDocuments<'_>, session: &Session) -> Result<(), Vec<grille_scoring::Problem>> {
/// let mut scorer = Scorer::new(documents, session.header())?;
/// let mut summary = SessionSummary::default();
/// for (index, candidate) in session.candidates.iter().enumerate() {
///     let problems = scorer.check_candidate(index, candidate);
///     if !problems.is_empty() {
///         return Err(problems);
///     }
///     let result = scorer.score_candidate(candidate);
///     summary.add(&result);
///     // print `result` now
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    scheme: &'a GradingScheme,
    blueprint: &'a Blueprint,
    header: SessionHeader,
    /// Each position, part by part, in blueprint order: its pinned rubric
    /// (`None` when the session does not supply it) and attributions.
    positions: Vec<Vec<PreparedPosition<'a>>>,
    /// The pinned case studies, each with the positions it serves with a
    /// rubric of its own, prepared with that rubric.
    cases: Vec<PreparedCase<'a>>,
    /// The candidate numbers seen by [`Scorer::check_candidate`].
    numbers: HashSet<String>,
}

impl<'a> Scorer<'a> {
    /// Checks the scheme, blueprint and rubrics against the catalogue, the
    /// session header, and their cross-references (pinned ids and versions,
    /// rubrics supplied, parts named by the pass rule), once. Every problem
    /// is returned at once; pointers are into the session file or into the
    /// named document.
    pub fn new(documents: SessionDocuments<'a>, header: SessionHeader) -> Result<Scorer<'a>, Vec<Problem>> {
        let (scorer, problems) = Scorer::unchecked(documents, header);
        if problems.is_empty() { Ok(scorer) } else { Err(problems) }
    }

    /// Builds a scorer whatever the problems, and returns them beside it,
    /// so that [`score_session`] can also report the candidates' problems.
    fn unchecked(documents: SessionDocuments<'a>, header: SessionHeader) -> (Scorer<'a>, Vec<Problem>) {
        let problems = check_documents(&documents, &header);
        let positions = documents
            .blueprint
            .parts
            .iter()
            .map(|part| {
                part.positions
                    .iter()
                    .map(|position| PreparedPosition::of(&documents, &header, position, &position.rubric))
                    .collect()
            })
            .collect();
        let cases = header
            .cases
            .iter()
            .filter_map(|reference| {
                documents
                    .cases
                    .iter()
                    .find(|case| case.id == reference.id && case.version == reference.version)
            })
            .map(|case| {
                let with_own_rubric = case
                    .rubric
                    .as_deref()
                    .map(|rubric| {
                        case.positions
                            .iter()
                            .filter_map(|id| documents.blueprint.position(id))
                            .map(|(_, position)| {
                                (
                                    position.id.clone(),
                                    PreparedPosition::of(&documents, &header, position, rubric),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                PreparedCase { case, with_own_rubric }
            })
            .collect();
        let scorer = Scorer {
            scheme: documents.scheme,
            blueprint: documents.blueprint,
            header,
            positions,
            cases,
            numbers: HashSet::new(),
        };
        (scorer, problems)
    }

    /// The session header the scorer was built with.
    pub fn header(&self) -> &SessionHeader {
        &self.header
    }

    /// The assumptions declared by the scheme and the blueprint, to be
    /// confirmed against the exam regulation.
    pub fn assumptions(&self) -> Vec<String> {
        let mut assumptions = self.scheme.assumptions.clone();
        assumptions.extend(self.blueprint.assumptions.iter().cloned());
        assumptions
    }

    /// The same assumptions in `language` (`de`, `it`): a document's
    /// translated assumptions where its translation note gives one for each
    /// French assumption, its French assumptions otherwise (and for `fr`).
    pub fn assumptions_in(&self, language: &str) -> Vec<String> {
        let in_language = |assumptions: &[String], translation: Option<&grille_competence::Translations>| {
            translation
                .and_then(|translation| translation.assumptions(language, assumptions))
                .unwrap_or(assumptions)
                .to_vec()
        };
        let mut assumptions = in_language(&self.scheme.assumptions, self.scheme.translation.as_ref());
        assumptions.extend(in_language(&self.blueprint.assumptions, self.blueprint.translation.as_ref()));
        assumptions
    }

    /// Every problem of one candidate, with pointers
    /// `/candidates/{index}/...`: its own consistency, its attempt number
    /// against the scheme, its carried parts and positions against the
    /// blueprint. The scorer remembers the numbers it has seen, so that a
    /// number used twice in the session is reported at its second use.
    pub fn check_candidate(&mut self, index: usize, candidate: &Candidate) -> Vec<Problem> {
        let mut problems: Vec<Problem> = prefixed(candidate.check(index), "session").collect();
        if !self.numbers.insert(candidate.number.clone()) {
            problems.push(Problem::new(
                format!("/candidates/{index}/number"),
                format!("session : le numéro de candidat·e {} figure deux fois", candidate.number),
            ));
        }
        check_candidate_references(self.scheme, self.blueprint, index, candidate, &mut problems);
        for (k, sitting) in candidate.cases.iter().enumerate() {
            let pointer = format!("/candidates/{index}/cases/{k}");
            if self.blueprint.position(&sitting.position).is_none() {
                problems.push(Problem::new(
                    format!("{pointer}/position"),
                    format!(
                        "session : le point d'appréciation {} n'existe pas dans le plan d'examen",
                        sitting.position
                    ),
                ));
            }
            match self.cases.iter().find(|prepared| prepared.case.id == sitting.case) {
                None => problems.push(Problem::new(
                    format!("{pointer}/case"),
                    format!("session : le cas {} n'est pas épinglé par la session (cases)", sitting.case),
                )),
                Some(prepared) if !prepared.case.serves(&sitting.position) => problems.push(Problem::new(
                    format!("{pointer}/case"),
                    format!(
                        "session : le cas {} ne sert pas le point d'appréciation {} (il sert : {})",
                        sitting.case,
                        sitting.position,
                        prepared.case.positions.join(", ")
                    ),
                )),
                Some(_) => {}
            }
        }
        problems
    }

    /// Answers of one candidate that can never be right, as problems with
    /// pointers: a criterion the pinned rubric does not have, points that
    /// are no level of the criterion, "not assessable" where the rubric
    /// does not allow it, points and "not assessable" together, two answers
    /// to one criterion. Scoring treats such an evaluation as incomplete
    /// (no grade, with the reason); a file check (`grille validate`) refuses
    /// them, since they are typing mistakes rather than work in progress.
    /// Missing answers are not reported here: a session in progress has
    /// them.
    pub fn answer_problems(&self, index: usize, candidate: &Candidate) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (k, scoring) in candidate.positions.iter().enumerate() {
            let case = self.case_of(candidate, &scoring.position);
            let Some(rubric) = self.rubric_for(case, &scoring.position) else { continue };
            let base = format!("/candidates/{index}/positions/{k}");
            let evaluations = scoring
                .evaluations
                .iter()
                .enumerate()
                .map(|(e, evaluation)| (format!("{base}/evaluations/{e}"), &evaluation.answers));
            let agreed = scoring.agreed.iter().map(|agreed| (format!("{base}/agreed"), &agreed.answers));
            for (pointer, answers) in evaluations.chain(agreed) {
                let found = rubric.check_answers(answers, case.map(|case| case.case), Completeness::Draft);
                problems.extend(
                    found.iter().map(|problem| {
                        Problem::new(problem.pointer(&pointer), problem.session_message(rubric))
                    }),
                );
            }
        }
        problems
    }

    /// The pinned rubric a position is scored with, for a candidate who
    /// sat `case` there (`None`: no case).
    fn rubric_for(&self, case: Option<&PreparedCase<'a>>, position: &str) -> Option<&'a Rubric> {
        if let Some(prepared) = case.and_then(|case| case.own_rubric(position)) {
            return prepared.rubric;
        }
        self.blueprint.parts.iter().zip(&self.positions).find_map(|(part, prepared)| {
            part.positions
                .iter()
                .zip(prepared)
                .find(|(p, _)| p.id == position)
                .and_then(|(_, prepared)| prepared.rubric)
        })
    }

    /// The pinned case `candidate` sat for `position`, if any.
    fn case_of(&self, candidate: &Candidate, position: &str) -> Option<&PreparedCase<'a>> {
        let sitting = candidate.cases.iter().find(|sitting| sitting.position == position)?;
        self.cases.iter().find(|prepared| prepared.case.id == sitting.case)
    }

    /// Scores one candidate. Call [`Scorer::check_candidate`] first: a
    /// candidate with problems is scored without panicking, but what it
    /// gets is unspecified (unknown positions are ignored, for instance).
    pub fn score_candidate(&self, candidate: &Candidate) -> CandidateResult {
        score_candidate(self, candidate, Detail::Full)
    }

    /// Scores one candidate for a listing of grades and decisions (`grille
    /// score --format csv`): the same grades, outcome, decision and pending
    /// reasons as [`Scorer::score_candidate`], without building what such
    /// a listing does not print (formulas, rounding rules, criterion by
    /// criterion comparisons, remarks, the competence profile). Call
    /// [`Scorer::check_candidate`] first, as for `score_candidate`.
    pub fn score_candidate_grades(&self, candidate: &Candidate) -> CandidateGrades {
        CandidateGrades::from(score_candidate(self, candidate, Detail::Grades))
    }

    /// The whole session's result around candidate results scored by this
    /// scorer.
    pub fn session_result(&self, candidates: Vec<CandidateResult>) -> SessionResult {
        SessionResult {
            session: self.header.id.clone(),
            scheme: self.header.scheme.clone(),
            blueprint: self.header.blueprint.clone(),
            rubrics: self.header.rubrics.clone(),
            assumptions: self.assumptions(),
            candidates,
        }
    }
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
    /// What is still missing when the outcome is pending.
    pub pending: Vec<String>,
    /// Each part's grade, in blueprint order (empty when decided without
    /// grades).
    pub parts: Vec<PartGrade>,
    /// The overall grade, when every part has a grade.
    pub overall: Option<Decimal>,
    /// Positions whose examiners differ with no agreed evaluation yet.
    pub open_discrepancies: usize,
    /// What was ignored and why, in French.
    pub warnings: Vec<String>,
}

/// One part's grade in [`CandidateGrades`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartGrade {
    /// The part id.
    pub part: String,
    /// The part grade, when known.
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
            pending: result.pending,
            parts: result
                .parts
                .into_iter()
                .map(|part| PartGrade { part: part.part, grade: part.grade })
                .collect(),
            overall: result.overall.map(|overall| overall.value),
            open_discrepancies,
            warnings: result.warnings,
        }
    }
}

/// How much of a candidate's result the engine builds: everything, or only
/// what [`CandidateGrades`] keeps (the same numbers and reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    Grades,
}

impl Detail {
    fn explain(self) -> bool {
        self == Detail::Full
    }

    /// `text()` when explaining, an empty string (no allocation) otherwise.
    fn text(self, text: impl FnOnce() -> String) -> String {
        if self.explain() { text() } else { String::new() }
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

fn prefixed(problems: Vec<Problem>, document: &str) -> impl Iterator<Item = Problem> + '_ {
    problems
        .into_iter()
        .map(move |problem| Problem::new(problem.pointer, format!("{document} : {}", problem.message)))
}

fn pinned_rubric<'a>(rubrics: &'a [Rubric], header: &SessionHeader, id: &str) -> Option<&'a Rubric> {
    let reference = header.rubrics.iter().find(|reference| reference.id == id)?;
    rubrics.iter().find(|rubric| rubric.id == reference.id && rubric.version == reference.version)
}

fn check_documents(documents: &SessionDocuments<'_>, session: &SessionHeader) -> Vec<Problem> {
    let SessionDocuments { catalogue, scheme, blueprint, rubrics, cases } = *documents;
    let mut problems: Vec<Problem> = Vec::new();
    problems.extend(prefixed(scheme.check(), "barème"));
    problems.extend(prefixed(blueprint.check(catalogue), "plan d'examen"));
    for rubric in rubrics {
        problems
            .extend(prefixed(rubric.check(catalogue), &format!("grille {}", rubric.id)).collect::<Vec<_>>());
    }
    problems.extend(prefixed(session.check(), "session"));

    for (name, reference, id, version) in [
        ("scheme", &session.scheme, &scheme.id, &scheme.version),
        ("blueprint", &session.blueprint, &blueprint.id, &blueprint.version),
    ] {
        if reference.id != *id || reference.version != *version {
            problems.push(Problem::new(
                format!("/{name}"),
                format!(
                    "session : le document épinglé est {} version {}, mais le document fourni est {id} version {version}",
                    reference.id, reference.version
                ),
            ));
        }
    }
    for (index, reference) in session.rubrics.iter().enumerate() {
        if !rubrics.iter().any(|rubric| rubric.id == reference.id && rubric.version == reference.version) {
            problems.push(Problem::new(
                format!("/rubrics/{index}"),
                format!(
                    "session : la grille {} version {} n'est pas fournie",
                    reference.id, reference.version
                ),
            ));
        }
    }
    for id in blueprint.rubric_ids() {
        if !session.rubrics.iter().any(|reference| reference.id == id) {
            problems.push(Problem::new(
                "/rubrics",
                format!("session : la grille {id}, utilisée par le plan d'examen, n'est pas épinglée (id et version)"),
            ));
        }
    }
    for (index, reference) in session.cases.iter().enumerate() {
        let Some(case) =
            cases.iter().find(|case| case.id == reference.id && case.version == reference.version)
        else {
            problems.push(Problem::new(
                format!("/cases/{index}"),
                format!("session : le cas {} version {} n'est pas fourni", reference.id, reference.version),
            ));
            continue;
        };
        let name = format!("cas {}", case.id);
        problems.extend(prefixed(case.check(catalogue), &name).collect::<Vec<_>>());
        let against = case.check_against(blueprint, |id| pinned_rubric(rubrics, session, id));
        problems.extend(prefixed(against, &name).collect::<Vec<_>>());
        if let Some(rubric) = &case.rubric
            && !session.rubrics.iter().any(|reference| reference.id == *rubric)
        {
            problems.push(Problem::new(
                "/rubrics",
                format!("session : la grille {rubric}, utilisée par le cas {}, n'est pas épinglée (id et version)", case.id),
            ));
        }
    }
    let rule = &scheme.pass_rule;
    let parts =
        rule.required_parts
            .iter()
            .enumerate()
            .map(|(index, part)| (format!("/pass_rule/required_parts/{index}"), part))
            .chain(
                rule.part_minimums.iter().enumerate().map(|(index, minimum)| {
                    (format!("/pass_rule/part_minimums/{index}/part"), &minimum.part)
                }),
            );
    for (pointer, part) in parts {
        if blueprint.part(part).is_none() {
            problems.push(Problem::new(
                pointer,
                format!("barème : l'épreuve {part} n'existe pas dans le plan d'examen {}", blueprint.id),
            ));
        }
    }
    for (index, minimum) in rule.position_minimums.iter().enumerate() {
        if blueprint.position(&minimum.position).is_none() {
            problems.push(Problem::new(
                format!("/pass_rule/position_minimums/{index}/position"),
                format!(
                    "barème : le point d'appréciation {} n'existe pas dans le plan d'examen {}",
                    minimum.position, blueprint.id
                ),
            ));
        }
    }
    problems
}

fn check_candidate_references(
    scheme: &GradingScheme,
    blueprint: &Blueprint,
    index: usize,
    candidate: &Candidate,
    problems: &mut Vec<Problem>,
) {
    let base = format!("/candidates/{index}");
    if candidate.attempt > scheme.max_attempts {
        problems.push(Problem::new(
            format!("{base}/attempt"),
            format!(
                "session : tentative n° {} alors que le barème en admet {}",
                candidate.attempt, scheme.max_attempts
            ),
        ));
    }
    for (k, carried) in candidate.carried_parts.iter().enumerate() {
        let pointer = format!("{base}/carried_parts/{k}");
        if blueprint.part(&carried.part).is_none() {
            problems.push(Problem::new(
                format!("{pointer}/part"),
                format!("session : l'épreuve {} n'existe pas dans le plan d'examen", carried.part),
            ));
        }
        if carried.grade < scheme.scale.pass_mark || carried.grade > scheme.scale.max {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                format!(
                    "session : seule une épreuve réussie est reportée ; la note {} doit être entre {} et {}",
                    display(carried.grade),
                    display(scheme.scale.pass_mark),
                    display(scheme.scale.max)
                ),
            ));
        } else if !on_step(carried.grade, scheme.rounding.part) {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                format!(
                    "session : la note reportée {} n'est pas arrondie au pas des notes d'épreuve du barème ({}) : une note d'épreuve en est toujours un multiple",
                    display(carried.grade),
                    display(scheme.rounding.part)
                ),
            ));
        }
    }
    for (k, scoring) in candidate.positions.iter().enumerate() {
        // The pointer is made only for a problem: this runs for every
        // position of every candidate.
        let pointer = || format!("{base}/positions/{k}/position");
        match blueprint.position(&scoring.position) {
            None => problems.push(Problem::new(
                pointer(),
                format!(
                    "session : le point d'appréciation {} n'existe pas dans le plan d'examen",
                    scoring.position
                ),
            )),
            Some((part, _)) => {
                if candidate.carried_parts.iter().any(|carried| carried.part == part.id) {
                    problems.push(Problem::new(
                            pointer(),
                            format!(
                                "session : l'épreuve {} est reportée d'une tentative précédente et ne peut pas être évaluée à nouveau",
                                part.id
                            ),
                        ));
                }
            }
        }
    }
}

/// A candidate status in French, as in warnings.
fn status_label(status: CandidateStatus) -> &'static str {
    match status {
        CandidateStatus::Present => "présent·e",
        CandidateStatus::WithdrawnExcused => "retrait pour motif valable",
        CandidateStatus::WithdrawnUnexcused => "retrait sans motif valable",
        CandidateStatus::Excluded => "exclusion",
        CandidateStatus::Absent => "absence",
    }
}

fn score_candidate(scorer: &Scorer<'_>, candidate: &Candidate, detail: Detail) -> CandidateResult {
    let mut result = CandidateResult {
        number: candidate.number.clone(),
        status: candidate.status,
        attempt: candidate.attempt,
        outcome: Outcome::Pending,
        decision: String::new(),
        pending: Vec::new(),
        parts: Vec::new(),
        overall: None,
        conditions: Vec::new(),
        profile: CompetenceProfile::default(),
        warnings: Vec::new(),
    };
    let decided_without_grades = match candidate.status {
        CandidateStatus::Present => None,
        CandidateStatus::WithdrawnUnexcused => Some((
            Outcome::Failed,
            "retrait sans motif valable : l'examen est considéré comme échoué, sans notes",
        )),
        CandidateStatus::Excluded => {
            Some((Outcome::Failed, "exclusion de l'examen : l'examen est considéré comme échoué, sans notes"))
        }
        CandidateStatus::WithdrawnExcused => Some((
            Outcome::NoResult,
            "retrait pour motif valable : pas de résultat, la tentative ne compte pas",
        )),
        CandidateStatus::Absent => Some((
            Outcome::Pending,
            "absence : pas de résultat tant que la commission n'a pas statué sur le motif (retrait excusé ou non)",
        )),
    };
    if let Some((outcome, decision)) = decided_without_grades {
        if !candidate.positions.is_empty() {
            let positions: Vec<&str> =
                candidate.positions.iter().map(|scoring| scoring.position.as_str()).collect();
            result.warnings.push(format!(
                "des évaluations sont saisies (point(s) {}) alors que le statut est « {} » : elles sont conservées mais ignorées pour la note",
                positions.join(", "),
                status_label(candidate.status)
            ));
        }
        result.outcome = outcome;
        result.decision = decision.to_owned();
        if outcome == Outcome::Pending {
            result.pending.push(decision.to_owned());
        }
        return result;
    }

    let mut profile = detail.explain().then(ProfileBuilder::default);
    for (index, part) in scorer.blueprint.parts.iter().enumerate() {
        let prepared = &scorer.positions[index];
        result.parts.push(score_part(scorer, candidate, part, prepared, profile.as_mut(), detail));
    }
    result.profile = profile.map(ProfileBuilder::build).unwrap_or_default();
    for part in &result.parts {
        for reason in &part.pending {
            result.pending.push(format!("épreuve {} : {reason}", part.part));
        }
    }
    let grades: Option<Vec<Decimal>> = result.parts.iter().map(|part| part.grade).collect();
    let Some(grades) = grades else {
        result.outcome = Outcome::Pending;
        result.decision = "résultat en attente : au moins une note d'épreuve manque".to_owned();
        return result;
    };
    let weights: Vec<Decimal> = result.parts.iter().map(|part| part.weight).collect();
    let rounding = &scorer.scheme.rounding;
    let overall = match calc::mean_with(
        &grades,
        &weights,
        rounding.overall,
        rounding.overall_direction,
        detail.explain(),
    ) {
        Ok(overall) => overall,
        Err(error) => {
            result.outcome = Outcome::Pending;
            result.decision = format!("note globale incalculable : {error}");
            result.pending.push(result.decision.clone());
            return result;
        }
    };
    result.conditions = judge(scorer.scheme, &result.parts, overall.value);
    let failed: Vec<&ConditionResult> = result.conditions.iter().filter(|c| !c.satisfied).collect();
    if failed.is_empty() {
        result.outcome = Outcome::Passed;
        result.decision = format!(
            "examen réussi : note globale {}, toutes les conditions de réussite sont remplies",
            display_grade(overall.value)
        );
    } else {
        result.outcome = Outcome::Failed;
        let reasons: Vec<&str> = failed.iter().map(|c| c.explanation.as_str()).collect();
        result.decision = format!(
            "examen échoué (note globale {}) : condition(s) non remplie(s) : {}",
            display_grade(overall.value),
            reasons.join(" ; ")
        );
    }
    result.overall = Some(overall);
    result
}

/// What a scheme decides on given part grades (a what-if, e.g. the preview
/// of a scheme being written): the overall grade and every condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Simulation {
    /// The overall grade, rounded as the scheme says (absent when it
    /// cannot be computed, e.g. weights summing to zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub overall: Option<Decimal>,
    /// Every condition of the pass rule.
    pub conditions: Vec<ConditionResult>,
    /// Whether every condition holds.
    pub passed: bool,
}

/// Applies `scheme` to part grades given as (part id, grade, weight), with
/// the same functions as scoring: the overall mean and [`judge`].
pub fn simulate(scheme: &GradingScheme, parts: &[(&str, Decimal, Decimal)]) -> Simulation {
    let results: Vec<PartResult> = parts
        .iter()
        .map(|(id, grade, weight)| PartResult {
            part: (*id).to_owned(),
            title: String::new(),
            weight: *weight,
            grade: Some(*grade),
            calculation: None,
            carried: None,
            positions: Vec::new(),
            pending: Vec::new(),
        })
        .collect();
    let grades: Vec<Decimal> = parts.iter().map(|(_, grade, _)| *grade).collect();
    let weights: Vec<Decimal> = parts.iter().map(|(_, _, weight)| *weight).collect();
    let rounding = &scheme.rounding;
    let Ok(overall) = calc::mean_with(&grades, &weights, rounding.overall, rounding.overall_direction, false)
    else {
        return Simulation { overall: None, conditions: Vec::new(), passed: false };
    };
    let conditions = judge(scheme, &results, overall.value);
    let passed = conditions.iter().all(|condition| condition.satisfied);
    Simulation { overall: Some(overall.value), conditions, passed }
}

/// Judges every condition of the pass rule on rounded part grades and the
/// rounded overall grade.
pub fn judge(scheme: &GradingScheme, parts: &[PartResult], overall: Decimal) -> Vec<ConditionResult> {
    let rule = &scheme.pass_rule;
    let pass = scheme.scale.pass_mark;
    let mut conditions = Vec::new();
    let graded: Vec<(&str, Decimal)> =
        parts.iter().filter_map(|part| part.grade.map(|grade| (part.part.as_str(), grade))).collect();
    let insufficient: Vec<(&str, Decimal)> =
        graded.iter().copied().filter(|(_, grade)| *grade < pass).collect();
    let list = |items: &[(&str, Decimal)]| {
        items
            .iter()
            .map(|(id, grade)| format!("épreuve {id} : {}", display_grade(*grade)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(minimum) = rule.min_overall {
        let satisfied = overall >= minimum;
        conditions.push(ConditionResult {
            condition: "min_overall".to_owned(),
            satisfied,
            explanation: format!(
                "note globale {} {} {} exigé",
                display_grade(overall),
                if satisfied { "≥" } else { "<" },
                display_grade(minimum)
            ),
        });
    }
    if let Some(maximum) = rule.max_insufficient_parts {
        let count = insufficient.len();
        let satisfied = count <= maximum as usize;
        let detail =
            if insufficient.is_empty() { String::new() } else { format!(" ({})", list(&insufficient)) };
        conditions.push(ConditionResult {
            condition: "max_insufficient_parts".to_owned(),
            satisfied,
            explanation: format!(
                "{count} note(s) d'épreuve inférieure(s) à {}{detail} ; au plus {maximum} admise(s)",
                display_grade(pass)
            ),
        });
    }
    if let Some(minimum) = rule.min_part_grade {
        let below: Vec<(&str, Decimal)> =
            graded.iter().copied().filter(|(_, grade)| *grade < minimum).collect();
        let satisfied = below.is_empty();
        conditions.push(ConditionResult {
            condition: "min_part_grade".to_owned(),
            satisfied,
            explanation: if satisfied {
                format!("aucune note d'épreuve inférieure à {}", display_grade(minimum))
            } else {
                format!("note(s) d'épreuve inférieure(s) à {} : {}", display_grade(minimum), list(&below))
            },
        });
    }
    if let Some(maximum) = rule.max_shortfall_sum {
        let sum =
            insufficient.iter().fold(Decimal::ZERO, |sum, (_, grade)| sum.saturating_add(pass - *grade));
        let satisfied = sum <= maximum;
        conditions.push(ConditionResult {
            condition: "max_shortfall_sum".to_owned(),
            satisfied,
            explanation: format!(
                "somme des écarts sous {} : {} ; au plus {} admis",
                display_grade(pass),
                display(sum),
                display(maximum)
            ),
        });
    }
    for required in &rule.required_parts {
        let grade = graded.iter().find(|(id, _)| id == required).map(|(_, grade)| *grade);
        let satisfied = grade.is_some_and(|grade| grade >= pass);
        let shown = grade.map(display_grade).unwrap_or_else(|| "absente".to_owned());
        conditions.push(ConditionResult {
            condition: "required_part".to_owned(),
            satisfied,
            explanation: format!(
                "l'épreuve {required} doit atteindre {} : note {shown}",
                display_grade(pass)
            ),
        });
    }
    for limit in &rule.max_parts_below {
        let below: Vec<(&str, Decimal)> =
            graded.iter().copied().filter(|(_, grade)| *grade < limit.below).collect();
        let count = below.len();
        let detail = if below.is_empty() { String::new() } else { format!(" ({})", list(&below)) };
        conditions.push(ConditionResult {
            condition: "max_parts_below".to_owned(),
            satisfied: count <= limit.max as usize,
            explanation: format!(
                "{count} note(s) d'épreuve inférieure(s) à {}{detail} ; au plus {} admise(s)",
                display_grade(limit.below),
                limit.max
            ),
        });
    }
    for minimum in &rule.part_minimums {
        let grade = graded.iter().find(|(id, _)| *id == minimum.part).map(|(_, grade)| *grade);
        let satisfied = grade.is_some_and(|grade| grade >= minimum.min);
        let shown = grade.map(display_grade).unwrap_or_else(|| "absente".to_owned());
        conditions.push(ConditionResult {
            condition: "part_minimum".to_owned(),
            satisfied,
            explanation: format!(
                "l'épreuve {} doit atteindre {} : note {shown}",
                minimum.part,
                display_grade(minimum.min)
            ),
        });
    }
    // Position grades: those of the parts scored in this attempt (a carried
    // part has no position grades).
    let positions: Vec<(&str, Decimal)> = parts
        .iter()
        .flat_map(|part| &part.positions)
        .filter_map(|position| position.grade.map(|grade| (position.position.as_str(), grade)))
        .collect();
    // A position no scored part lists belongs to a carried part (the
    // scheme's positions are checked against the blueprint).
    let in_carried_part = |position: &str| {
        parts.iter().any(|part| part.carried.is_some())
            && !parts.iter().flat_map(|part| &part.positions).any(|scored| scored.position == position)
    };
    if let Some(minimum) = rule.min_position_grade {
        let below: Vec<String> = positions
            .iter()
            .filter(|(_, grade)| *grade < minimum)
            .map(|(id, grade)| format!("point {id} : {}", display_grade(*grade)))
            .collect();
        let satisfied = below.is_empty();
        conditions.push(ConditionResult {
            condition: "min_position_grade".to_owned(),
            satisfied,
            explanation: if satisfied {
                format!("aucune note de point d'appréciation inférieure à {}", display_grade(minimum))
            } else {
                format!(
                    "note(s) de point d'appréciation inférieure(s) à {} : {}",
                    display_grade(minimum),
                    below.join(", ")
                )
            },
        });
    }
    for minimum in &rule.position_minimums {
        let grade = positions.iter().find(|(id, _)| *id == minimum.position).map(|(_, grade)| *grade);
        let (satisfied, explanation) = match grade {
            None if in_carried_part(&minimum.position) => (
                true,
                format!(
                    "le point d'appréciation {} doit atteindre {} : non jugé, son épreuve est reportée d'une tentative précédente",
                    minimum.position,
                    display_grade(minimum.min)
                ),
            ),
            grade => (
                grade.is_some_and(|grade| grade >= minimum.min),
                format!(
                    "le point d'appréciation {} doit atteindre {} : note {}",
                    minimum.position,
                    display_grade(minimum.min),
                    grade.map(display_grade).unwrap_or_else(|| "absente".to_owned())
                ),
            ),
        };
        conditions.push(ConditionResult { condition: "position_minimum".to_owned(), satisfied, explanation });
    }
    conditions
}

fn score_part(
    scorer: &Scorer<'_>,
    candidate: &Candidate,
    part: &Part,
    prepared: &[PreparedPosition<'_>],
    mut profile: Option<&mut ProfileBuilder>,
    detail: Detail,
) -> PartResult {
    let mut result = PartResult {
        part: part.id.clone(),
        title: detail.text(|| part.title.fr.clone()),
        weight: part.weight.normalize(),
        grade: None,
        calculation: None,
        carried: None,
        positions: Vec::new(),
        pending: Vec::new(),
    };
    if let Some(carried) = candidate.carried_parts.iter().find(|carried| carried.part == part.id) {
        result.grade = Some(at_step_decimals(carried.grade, scorer.scheme.rounding.part));
        result.carried = Some(match &carried.from_session {
            Some(session) => format!("note reportée de la session {session} (épreuve réussie)"),
            None => "note reportée d'une tentative précédente (épreuve réussie)".to_owned(),
        });
        return result;
    }
    for (position, prepared) in part.positions.iter().zip(prepared) {
        let case = scorer.case_of(candidate, &position.id);
        let prepared = case.and_then(|case| case.own_rubric(&position.id)).unwrap_or(prepared);
        let case = case.map(|case| case.case);
        let position_result =
            score_position(scorer, candidate, part, position, prepared, case, profile.as_deref_mut(), detail);
        for reason in &position_result.pending {
            result.pending.push(format!("point {} : {reason}", position.id));
        }
        result.positions.push(position_result);
    }
    let grades: Option<Vec<Decimal>> = result.positions.iter().map(|position| position.grade).collect();
    if let Some(grades) = grades {
        let weights: Vec<Decimal> = part.positions.iter().map(|position| position.weight).collect();
        let rounding = &scorer.scheme.rounding;
        match calc::mean_with(&grades, &weights, rounding.part, rounding.part_direction, detail.explain()) {
            Ok(mean) => {
                result.grade = Some(mean.value);
                result.calculation = Some(mean);
            }
            Err(error) => result.pending.push(format!("note d'épreuve incalculable : {error}")),
        }
    }
    result
}

#[allow(clippy::too_many_arguments)]
fn score_position(
    scorer: &Scorer<'_>,
    candidate: &Candidate,
    part: &Part,
    position: &Position,
    prepared: &PreparedPosition<'_>,
    case: Option<&CaseStudy>,
    profile: Option<&mut ProfileBuilder>,
    detail: Detail,
) -> PositionResult {
    let rubric = prepared.rubric;
    let mut result = PositionResult {
        position: position.id.clone(),
        title: detail.text(|| position.title.fr.clone()),
        weight: position.weight.normalize(),
        rubric: DocumentRef {
            id: detail
                .text(|| rubric.map(|rubric| rubric.id.clone()).unwrap_or_else(|| position.rubric.clone())),
            version: detail.text(|| rubric.map(|rubric| rubric.version.clone()).unwrap_or_default()),
        },
        case: case.filter(|_| detail.explain()).map(CaseUsed::of),
        evaluations: Vec::new(),
        agreed: None,
        comparison: None,
        grade: None,
        grade_source: None,
        pending: Vec::new(),
    };
    let Some(rubric) = rubric else {
        let rubric_id = case.and_then(|case| case.rubric.as_deref()).unwrap_or(&position.rubric);
        result.pending.push(format!("la grille {rubric_id} n'est pas fournie"));
        return result;
    };
    let Some(scoring) = candidate.positions.iter().find(|scoring| scoring.position == position.id) else {
        result.pending.push("aucune évaluation saisie".to_owned());
        return result;
    };
    for evaluation in &scoring.evaluations {
        result.evaluations.push(score_evaluation(
            scorer.scheme,
            rubric,
            &prepared.criteria,
            case,
            Some(&evaluation.examiner),
            &evaluation.answers,
            evaluation.remark.as_ref(),
            detail,
        ));
    }
    result.agreed = scoring.agreed.as_ref().map(|agreed| {
        score_evaluation(
            scorer.scheme,
            rubric,
            &prepared.criteria,
            case,
            None,
            &agreed.answers,
            agreed.remark.as_ref(),
            detail,
        )
    });

    if result.evaluations.len() >= 2 {
        result.comparison =
            Some(compare(scorer.scheme, &result.evaluations, result.agreed.is_some(), detail));
    }
    let expected = part.examiners as usize;
    let official: Option<(&EvaluationResult, String)> = if let Some(agreed) = &result.agreed {
        if agreed.incomplete.is_empty() {
            Some((agreed, "évaluation commune des expert·e·s".to_owned()))
        } else {
            for reason in &agreed.incomplete {
                result.pending.push(format!("évaluation commune incomplète : {reason}"));
            }
            None
        }
    } else {
        for evaluation in &result.evaluations {
            for reason in &evaluation.incomplete {
                let examiner = evaluation.examiner.as_deref().unwrap_or("?");
                result.pending.push(format!("évaluation de {examiner} incomplète : {reason}"));
            }
        }
        if result.evaluations.len() < expected {
            result.pending.push(format!(
                "{expected} évaluation(s) attendue(s), {} saisie(s)",
                result.evaluations.len()
            ));
        }
        if !result.pending.is_empty() {
            None
        } else if result.evaluations.len() == 1 {
            Some((&result.evaluations[0], "évaluation unique (une seule personne experte prévue)".to_owned()))
        } else {
            let identical = result.comparison.as_ref().is_some_and(|comparison| comparison.identical);
            if identical && scorer.scheme.double_marking.identical_agree {
                Some((&result.evaluations[0], "évaluations identiques : accord automatique".to_owned()))
            } else if identical {
                result.pending.push(
                    "évaluations identiques, mais le barème exige une évaluation commune explicite"
                        .to_owned(),
                );
                None
            } else {
                result.pending.push(
                    "les évaluations diffèrent et aucune évaluation commune n'est saisie : divergence ouverte"
                        .to_owned(),
                );
                None
            }
        }
    };
    if let Some((evaluation, source)) = official {
        result.grade = evaluation.grade.as_ref().map(|grade| grade.grade);
        result.grade_source = Some(source);
        // The scored criteria follow the rubric's order, as do the attributions.
        if let Some(profile) = profile {
            for (score, attribution) in evaluation.criteria.iter().zip(&prepared.attributions) {
                if let Mark::Points(_) = score.mark {
                    profile.add(attribution, score.points, score.max_points);
                }
            }
        }
    }
    result
}

/// Scores one evaluation's answers with `rubric` (and the case the
/// candidate sat) as the engine scores every evaluation of a session: the
/// points and maximum of the criteria answered with a level, the reasons
/// it is incomplete, and its grade when it is complete. The examiner's
/// form previews answers being entered with it.
pub fn score_evaluation_answers(
    scheme: &GradingScheme,
    rubric: &Rubric,
    case: Option<&CaseStudy>,
    answers: &[Answer],
) -> EvaluationResult {
    score_evaluation(scheme, rubric, &[], case, None, answers, None, Detail::Full)
}

#[allow(clippy::too_many_arguments)]
fn score_evaluation(
    scheme: &GradingScheme,
    rubric: &Rubric,
    prepared: &[PreparedCriterion],
    case: Option<&CaseStudy>,
    examiner: Option<&String>,
    answers: &[Answer],
    remark: Option<&String>,
    detail: Detail,
) -> EvaluationResult {
    let problems = rubric.check_answers(answers, case, Completeness::Complete);
    // The reasons name an unknown or repeated answer first, then the
    // criteria in the rubric's order.
    let mut incomplete: Vec<String> = Vec::new();
    if !problems.is_empty() {
        let mut ordered: Vec<&AnswerProblem> = problems.iter().collect();
        ordered.sort_by_key(|problem| {
            if problem.about_the_answer() {
                (0, problem.index.unwrap_or_default())
            } else {
                (1, rubric.criteria.iter().position(|c| c.id == problem.criterion).unwrap_or_default())
            }
        });
        incomplete.extend(ordered.iter().map(|problem| problem.incomplete_reason(rubric)));
    }
    let in_rubric_order = answers.len() == rubric.criteria.len()
        && answers.iter().zip(&rubric.criteria).all(|(answer, criterion)| answer.criterion == criterion.id);
    let mut criteria = Vec::new();
    let mut points = Decimal::ZERO;
    let mut max_points = Decimal::ZERO;
    for (index, criterion) in rubric.criteria.iter().enumerate() {
        // The first answer naming the criterion is the one that counts.
        let answered = if in_rubric_order {
            answers.get(index).map(|answer| (index, answer))
        } else {
            answers.iter().enumerate().find(|(_, answer)| answer.criterion == criterion.id)
        };
        let answer = answered.map(|(_, answer)| answer);
        let faulty = answered.is_some_and(|(at, _)| problems.iter().any(|problem| problem.index == Some(at)));
        let mark = match answer {
            _ if case.is_some_and(|case| case.leaves_out(&criterion.id)) => Mark::NotAssessedInCase,
            None => Mark::Missing,
            Some(_) if faulty => Mark::Missing,
            Some(Answer { points: Some(given), .. }) => Mark::Points(given.normalize()),
            Some(Answer { not_assessable: true, .. }) => Mark::NotAssessable,
            Some(_) => Mark::Missing,
        };
        let numbers = prepared.get(index).copied().unwrap_or_else(|| PreparedCriterion::of(criterion));
        let (criterion_points, criterion_max) = match mark {
            Mark::Points(level) => {
                let points = if numbers.weight == Decimal::ONE {
                    level
                } else {
                    level.saturating_mul(criterion.weight)
                };
                (points.normalize(), numbers.max_weighted)
            }
            Mark::NotAssessable | Mark::NotAssessedInCase | Mark::Missing => (Decimal::ZERO, Decimal::ZERO),
        };
        points = points.saturating_add(criterion_points);
        max_points = max_points.saturating_add(criterion_max);
        criteria.push(CriterionScore {
            criterion: detail.text(|| criterion.id.clone()),
            mark,
            weight: numbers.weight,
            points: criterion_points,
            max_points: criterion_max,
            remark: answer.filter(|_| detail.explain()).and_then(|answer| answer.remark.clone()),
        });
    }
    if incomplete.is_empty() && max_points <= Decimal::ZERO {
        incomplete
            .push("aucun critère n'a pu être évalué : pas de maximum de points, donc pas de note".to_owned());
    }
    let grade = if incomplete.is_empty() {
        match calc::points_to_grade_with(points, max_points, scheme, detail.explain()) {
            Ok(grade) => Some(grade),
            Err(error) => {
                incomplete.push(format!("note incalculable : {error}"));
                None
            }
        }
    } else {
        None
    };
    EvaluationResult {
        examiner: examiner.cloned(),
        criteria,
        points: points.normalize(),
        max_points: max_points.normalize(),
        grade,
        incomplete,
        remark: remark.filter(|_| detail.explain()).cloned(),
    }
}

fn compare(
    scheme: &GradingScheme,
    evaluations: &[EvaluationResult],
    has_agreed: bool,
    detail: Detail,
) -> Comparison {
    // Without explanation, whether every criterion agrees, without the
    // criterion by criterion list.
    let all_agree = || {
        evaluations[0].criteria.iter().enumerate().all(|(index, first)| {
            evaluations.iter().all(|evaluation| {
                evaluation.criteria.get(index).map(|score| score.mark).unwrap_or(Mark::Missing) == first.mark
            })
        })
    };
    let criteria: Vec<CriterionComparison> = if !detail.explain() {
        Vec::new()
    } else {
        evaluations[0]
            .criteria
            .iter()
            .enumerate()
            .map(|(index, first)| {
                let marks: Vec<Mark> = evaluations
                    .iter()
                    .map(|evaluation| {
                        evaluation.criteria.get(index).map(|score| score.mark).unwrap_or(Mark::Missing)
                    })
                    .collect();
                let agree = marks.iter().all(|mark| *mark == marks[0]);
                CriterionComparison { criterion: first.criterion.clone(), marks, agree }
            })
            .collect()
    };
    let grades: Vec<ExaminerGrade> = evaluations
        .iter()
        .map(|evaluation| ExaminerGrade {
            examiner: detail.text(|| evaluation.examiner.clone().unwrap_or_default()),
            grade: evaluation.grade.as_ref().map(|grade| grade.grade),
        })
        .collect();
    let known: Option<Vec<Decimal>> = grades.iter().map(|grade| grade.grade).collect();
    let criteria_agree =
        if detail.explain() { criteria.iter().all(|criterion| criterion.agree) } else { all_agree() };
    let identical = criteria_agree && evaluations.iter().all(|evaluation| evaluation.incomplete.is_empty());
    let mut flags = Vec::new();
    let mut difference = None;
    if let Some(known) = known {
        let highest = known.iter().copied().max().unwrap_or(Decimal::ZERO);
        let lowest = known.iter().copied().min().unwrap_or(Decimal::ZERO);
        let gap = highest - lowest;
        difference = Some(gap.normalize());
        let step = scheme.double_marking.discrepancy_step;
        if gap >= step {
            flags.push(DiscrepancyFlag {
                kind: FlagKind::Step,
                message: format!(
                    "les notes diffèrent de {} (de {} à {}) : écart d'au moins {}",
                    display(gap),
                    display_grade(lowest),
                    display_grade(highest),
                    display(step)
                ),
            });
        }
        let pass = scheme.scale.pass_mark;
        if scheme.double_marking.flag_straddle && lowest < pass && highest >= pass {
            flags.push(DiscrepancyFlag {
                kind: FlagKind::Straddle,
                message: format!(
                    "les notes {} et {} sont de part et d'autre de la note suffisante {}",
                    display_grade(lowest),
                    display_grade(highest),
                    display_grade(pass)
                ),
            });
        }
    }
    let status = if identical {
        DiscrepancyStatus::None
    } else if has_agreed {
        DiscrepancyStatus::Agreed
    } else {
        DiscrepancyStatus::Open
    };
    Comparison { criteria, grades, difference, identical, flags, status }
}
