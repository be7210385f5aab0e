//! The quality statistics of a session as the API answers them
//! (`GET /api/sessions/{id}/quality`): grille-server computes them, the
//! page of [`crate::quality`] renders them. The types live here, below the
//! server, so that the page reads the API's answer by field, not by key: a
//! renamed field is a compile error. grille-server re-exports them under
//! the same names.

use grille_competence::{LocalizedText, Message};
use grille_workflow::{SessionKind, SessionState};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The quality statistics of a session. Information for the board: no
/// grade is changed by them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualityView {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub name: String,
    /// The workflow state.
    pub state: SessionState,
    /// Official or mock.
    pub kind: SessionKind,
    /// `true` once finalised (the evaluations can no longer change).
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Examiner ratings used in all (one examiner, one criterion, one
    /// candidate), "not assessable" excluded.
    pub ratings: usize,
    /// "Not assessable" ratings, counted apart.
    pub not_assessable: usize,
    /// The limits of the flags.
    pub limits: QualityLimits,
    /// The many-facet Rasch model of each exam part.
    pub parts: Vec<PartSeverity>,
    /// The criterion analysis of each position's rubric.
    pub rubrics: Vec<RubricQuality>,
    /// Intraclass correlations of the double-marked positions, per position
    /// and over all positions (`position` is `null`).
    pub icc: Vec<IccRow>,
}

/// The limits beyond which an examiner or a criterion is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualityLimits {
    /// An examiner is flagged when |severity − panel mean| exceeds this
    /// many logits...
    pub severity_threshold: f64,
    /// ... and that difference divided by its standard error exceeds this.
    pub significance: f64,
    /// A criterion whose discrimination is below this is a concern.
    pub min_discrimination: f64,
    /// A criterion whose examiners disagree more often than this is a
    /// concern.
    pub max_disagreement: f64,
    /// A criterion marked "not assessable" more often than this is a
    /// concern.
    pub max_not_assessable: f64,
}

/// A statistic, or why it could not be computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Stat {
    /// The value, when computed.
    pub value: Option<f64>,
    /// Why not (a snake_case reason: `too_few_cases`, `no_variance`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_estimable: Option<String>,
}

/// The Rasch model of one exam part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartSeverity {
    /// The part id.
    pub part: String,
    /// The part's title.
    pub title: LocalizedText,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings (not used).
    pub not_assessable: usize,
    /// Whether the model was estimated; when not, `problem` says why and
    /// the tables hold the observed averages only.
    pub estimated: bool,
    /// Why the model could not be estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ModelProblem>,
    /// How the iterations ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convergence: Option<ConvergenceView>,
    /// The candidate ability (logits) whose expected score is the pass mark
    /// for an average examiner, where it can be located.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_ability: Option<f64>,
    /// The share of the maximum (0–1) that gives the pass mark under the
    /// scheme's conversion.
    pub pass_share: f64,
    /// The examiners of the part, flagged ones first, then by severity.
    pub examiners: Vec<ExaminerSeverity>,
    /// The candidates' fair measures, by number.
    pub candidates: Vec<CandidateFairMeasure>,
    /// Elements left out of the estimation, with the reason.
    pub exclusions: Vec<ExclusionView>,
    /// Rating scales whose thresholds are disordered (levels hard to tell
    /// apart), by maximum level.
    pub disordered_scales: Vec<u32>,
}

/// Why a part's model could not be estimated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelProblem {
    /// `nothing_to_estimate`, `disconnected`, `confounded` or `input`.
    pub kind: String,
    /// An explanation in French.
    pub detail: String,
    /// The explanation as a code and its arguments (`quality.model.*`,
    /// catalogue key `problem.<code>`), for a reader of another language;
    /// `detail` is its French text.
    pub message: Message,
    /// The groups of examiners that cannot be compared with each other
    /// (usernames), when that is the problem.
    pub groups: Vec<Vec<String>>,
}

/// How the iterations ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConvergenceView {
    /// Iterations run.
    pub iterations: u32,
    /// Largest change of a parameter in the last iteration, in logits.
    pub max_change: f64,
    /// Whether the estimation converged; when not, read the measures with
    /// caution (too few ratings).
    pub converged: bool,
}

/// One examiner's severity within a part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExaminerSeverity {
    /// The examiner's username.
    pub examiner: String,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings.
    pub not_assessable: usize,
    /// Mean level given, as a share of the criteria's maxima (0–1).
    pub observed_share: f64,
    /// Severity in logits (positive: severe); centred on the panel.
    pub severity: Option<f64>,
    /// Model standard error of the severity.
    pub standard_error: Stat,
    /// Infit mean square (near 1 expected).
    pub infit: Stat,
    /// Outfit mean square (near 1 expected).
    pub outfit: Stat,
    /// What the severity does to the position grade of a candidate at the
    /// pass mark, in grade points (negative: severe), by the scheme's
    /// conversion near the pass mark.
    pub grade_effect: Option<f64>,
    /// Set when the severity differs from the panel's substantially and
    /// significantly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<SeverityFlagView>,
    /// Why the examiner was left out of the estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// A flagged examiner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SeverityFlagView {
    /// `severe` or `lenient`.
    pub direction: String,
    /// Severity − panel mean, in logits.
    pub difference: f64,
    /// The difference divided by its standard error.
    pub z: f64,
    /// The flag as a French sentence.
    pub sentence: String,
    /// The sentence as a code and its arguments (`quality.flag_*`,
    /// catalogue key `problem.<code>`), for a reader of another language;
    /// `sentence` is its French text.
    pub message: Message,
}

/// A candidate's fair measure within a part, beside the official part
/// grade. Information only: the official grade never changes by it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CandidateFairMeasure {
    /// The candidate number.
    pub number: String,
    /// Ratings used.
    pub ratings: usize,
    /// The official (or preview) part grade, if any.
    pub official_grade: Option<String>,
    /// Mean level received, as a share of the criteria's maxima (0–1).
    pub observed_share: f64,
    /// Ability in logits.
    pub ability: Option<f64>,
    /// Model standard error of the ability.
    pub standard_error: Stat,
    /// Infit mean square.
    pub infit: Stat,
    /// The share of the maximum (0–1) an examiner of average severity would
    /// have given the candidate over all the part's criteria.
    pub fair_share: Option<f64>,
    /// That share converted by the scheme (rounded to the position step),
    /// as information.
    pub fair_grade: Option<String>,
    /// Why the candidate was left out of the estimation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

/// An element left out of an estimation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExclusionView {
    /// `candidate`, `criterion` or `examiner`.
    pub facet: String,
    /// The candidate number, `position/criterion` or the username.
    pub element: String,
    /// `no_ratings`, `all_lowest`, `all_highest`, ...
    pub reason: String,
    /// The reason in French.
    pub detail: String,
    /// The reason as a code (`quality.excluded.*`, catalogue key
    /// `problem.<code>`), for a reader of another language; `detail` is its
    /// French text.
    pub message: Message,
}

/// The criterion analysis of one position's rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RubricQuality {
    /// The exam part.
    pub part: String,
    /// The position.
    pub position: String,
    /// The rubric id.
    pub rubric: String,
    /// The rubric version.
    pub version: String,
    /// The rubric's title.
    pub title: LocalizedText,
    /// Cronbach's alpha.
    pub alpha: Stat,
    /// Candidates rated on every criterion (used for alpha and
    /// discrimination).
    pub complete_candidates: usize,
    /// Candidates with some ratings missing (left out of alpha).
    pub incomplete_candidates: usize,
    /// The criteria, those to rewrite first.
    pub criteria: Vec<CriterionQuality>,
}

/// One criterion's statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CriterionQuality {
    /// The criterion id.
    pub criterion: String,
    /// What is observed.
    pub title: LocalizedText,
    /// The highest level (levels are numbered from 0).
    pub max_level: u32,
    /// Levels given.
    pub ratings: usize,
    /// "Not assessable" marks.
    pub not_assessable: usize,
    /// Share of "not assessable" among the criterion's ratings.
    pub not_assessable_rate: Stat,
    /// Mean level given.
    pub mean_level: Stat,
    /// How many times each level 0..=max was given.
    pub distribution: Vec<usize>,
    /// Mean level / maximum (higher is easier).
    pub difficulty: Stat,
    /// Difficulty in logits from the part's Rasch model (higher is harder).
    pub rasch_difficulty: Option<f64>,
    /// Corrected item–rest correlation.
    pub discrimination: Stat,
    /// The rubric's alpha without this criterion.
    pub alpha_if_deleted: Stat,
    /// Pairs of levels by two examiners of the same candidate.
    pub pairs: usize,
    /// Share of those pairs whose levels differ.
    pub disagreement: Stat,
    /// Mean absolute difference of the pairs' levels.
    pub mean_absolute_difference: Stat,
    /// What the board may want to rewrite (`low_discrimination`,
    /// `no_variance`, `frequent_disagreement`, `often_not_assessable`,
    /// `never_rated`); empty when nothing.
    pub concerns: Vec<String>,
}

/// The intraclass correlations of one position (or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IccRow {
    /// The position, or `null` for all double-marked positions together.
    pub position: Option<String>,
    /// Candidates' positions with two examiners' scores.
    pub targets: usize,
    /// ICC(1,1): one examiner, pairs changing from candidate to candidate.
    pub icc1_1: IccValue,
    /// ICC(2,1): absolute agreement, examiners a random sample.
    pub icc2_1: IccValue,
    /// ICC(3,1): consistency, these examiners only.
    pub icc3_1: IccValue,
    /// Why no coefficient could be computed (`too_small`, `no_variance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// One coefficient with its 95 % confidence interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IccValue {
    /// The coefficient.
    pub value: Stat,
    /// Lower limit of the 95 % interval.
    pub lower: Option<f64>,
    /// Upper limit of the 95 % interval.
    pub upper: Option<f64>,
}
