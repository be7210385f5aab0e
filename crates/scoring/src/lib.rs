//! Scoring for grille: grading schemes, exam blueprints, rubrics, exam
//! sessions, and the engine that turns examiners' evaluations into
//! explained grades and pass/fail decisions, in exact decimals
//! (`rust_decimal`, never binary floating point).
//!
//! The crate does no I/O: callers hand it text and get validated documents
//! or every [`Problem`] found, each with a JSON pointer and a French
//! sentence.
//!
//! Files (all decimals are written as strings such as `"4.5"` or integers):
//! - [`GradingScheme`]: scale, points→grade conversion, rounding, pass rule,
//!   double marking;
//! - [`Blueprint`]: the exam's parts and positions, weights, rubrics,
//!   assessed competences;
//! - [`Rubric`]: criteria with levels, linked to the catalogue;
//! - [`Session`]: candidates and evaluations, pinned to document versions.

pub mod blueprint;
pub mod calc;
pub mod decimal;
pub mod engine;
pub mod rubric;
pub mod scheme;
pub mod session;

pub use blueprint::{Blueprint, Part, Position};
pub use calc::{
    CalcError, ExplainedGrade, ExplainedMean, RoundingStep, WeightedTerm, mean, points_to_grade,
    round_half_up,
};
pub use engine::{
    CandidateResult, Comparison, CompetenceProfile, ConditionResult, CriterionScore, DiscrepancyFlag,
    DiscrepancyStatus, EvaluationResult, FlagKind, Mark, Outcome, PartResult, PositionResult, ProfileEntry,
    ScoringInput, SessionResult, judge, score_session,
};
pub use grille_competence::Problem;
pub use rubric::{Level, Rubric, RubricCriterion};
pub use scheme::{Conversion, DoubleMarking, GradeScale, GradingScheme, PassRule, Rounding, Threshold};
pub use session::{
    AgreedEvaluation, Answer, Candidate, CandidateStatus, CarriedPart, DocumentRef, Evaluation,
    PositionScoring, Session,
};
