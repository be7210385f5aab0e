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
//!
//! The engine is [`score_session`], a loop over a [`Scorer`] that scores
//! candidate by candidate (for streaming large sessions); the calculator it
//! uses is public:
//!
//! ```
//! use grille_scoring::{GradingScheme, mean, points_to_grade};
//! use rust_decimal::Decimal;
//!
//! let scheme = GradingScheme::with_defaults("default", "1");
//! // 1 + 5 × 17 / 20 = 5.25, rounded half up to half grades: 5.5.
//! let grade = points_to_grade(Decimal::from(17), Decimal::from(20), &scheme).unwrap();
//! assert_eq!(grade.unrounded.to_string(), "5.25");
//! assert_eq!(grade.grade.to_string(), "5.5");
//! // (4 + 3.5) / 2 = 3.75, rounded half up to a tenth: 3.8.
//! let part = mean(&[Decimal::from(4), Decimal::new(35, 1)], &[Decimal::ONE, Decimal::ONE], Decimal::new(1, 1)).unwrap();
//! assert_eq!(part.value.to_string(), "3.8");
//! ```

pub mod answers;
pub mod blueprint;
pub mod calc;
pub mod case;
pub mod coverage;
pub mod decimal;
pub mod embedded;
pub mod engine;
/// The French text of messages, now in `grille-competence` (which the
/// document problems share); re-exported so that existing paths keep
/// compiling.
pub mod french_text {
    pub use grille_competence::french_text::*;
}
/// Messages, now in `grille-competence`; re-exported.
pub mod message {
    pub use grille_competence::message::*;
}
pub mod rubric;
pub mod scheme;
pub mod session;
pub mod stream;
mod translation;

pub use answers::{AnswerFault, AnswerProblem, Completeness};
pub use blueprint::{Blueprint, Part, Position, Reconciliation};
pub use calc::{
    CalcError, ExplainedGrade, ExplainedMean, RoundingStep, WeightedTerm, mean, mean_in, points_to_grade,
    round, round_half_up,
};
pub use case::{Attachment, CaseLanguage, CaseStudy, CaseTask, NotAssessed};
pub use engine::{
    CandidateGrades, CandidateResult, CaseUsed, Comparison, CompetenceProfile, ConditionResult,
    CriterionScore, DiscrepancyFlag, DiscrepancyStatus, EvaluationResult, FlagKind, GradeSourceRef, Mark,
    Outcome, PartGrade, PartResult, PositionGrade, PositionResult, ProfileEntry, ReconciliationResult,
    ReconciliationRule, Scorer, ScoringInput, SessionDocuments, SessionResult, SessionSummary, Simulation,
    judge, score_evaluation_answers, score_session, simulate,
};
pub use grille_competence::Problem;
pub use message::{ListSeparator, Message, MessageArg, MessageCode};
pub use rubric::{Level, Rubric, RubricCriterion};
pub use scheme::{
    Conversion, DoubleMarking, GradeScale, GradingScheme, PartMinimum, PartsBelow, PassRule, PositionMinimum,
    Rounding, RoundingDirection, Threshold,
};
pub use session::{
    AgreedEvaluation, Answer, Candidate, CandidateStatus, CarriedPart, CaseSitting, DocumentRef, Evaluation,
    PositionScoring, Session, SessionHeader, SessionLoader,
};
