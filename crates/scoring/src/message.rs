//! The engine speaks in data: every decision, pending reason, warning,
//! reconciliation explanation, discrepancy flag, condition and carried-part
//! note is a [`Message`], a stable code and its named arguments (grades as
//! exact decimal text, part and position ids, names, nested messages and
//! lists of messages). Readers render it in their own language (the report
//! crate's catalogue keys are `engine.<code>`); the JSON results also keep
//! the French text beside it, written by [`crate::french_text`], the only
//! place of this crate that phrases an engine message in words.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One message of the engine: what happened, as a code, and the values it
/// speaks of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    /// The stable code, e.g. `decision.passed`.
    pub code: MessageCode,
    /// The named arguments (left out when there is none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, MessageArg>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MessageArg {
    /// A value written the same in every language: a grade as exact
    /// decimal text, an id, a name, a count.
    Text(String),
    /// A message inside this one (e.g. the reason a position is pending).
    Message(Box<Message>),
    /// Several messages (e.g. the unmet conditions of a failure).
    List(Vec<Message>),
}

/// How the items of a list argument are joined, whatever the language:
/// clauses by a semicolon, short items (a part and its grade) by a comma.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListSeparator {
    /// Between clauses (conditions, flags).
    Semicolon,
    /// Between short items.
    Comma,
}

impl ListSeparator {
    /// The separator of the list argument `name`.
    pub fn of(name: &str) -> ListSeparator {
        match name {
            "conditions" | "flags" => ListSeparator::Semicolon,
            _ => ListSeparator::Comma,
        }
    }
}

impl Message {
    /// A message without arguments.
    pub fn new(code: MessageCode) -> Message {
        Message { code, args: BTreeMap::new() }
    }

    /// This message with the text argument `name`.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Message {
        self.args.insert(name.to_owned(), MessageArg::Text(value.into()));
        self
    }

    /// This message with the nested message `name`.
    pub fn with_message(mut self, name: &str, message: Message) -> Message {
        self.args.insert(name.to_owned(), MessageArg::Message(Box::new(message)));
        self
    }

    /// This message with the list of messages `name`.
    pub fn with_list(mut self, name: &str, messages: Vec<Message>) -> Message {
        self.args.insert(name.to_owned(), MessageArg::List(messages));
        self
    }

    /// The argument `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&MessageArg> {
        self.args.get(name)
    }

    /// The French text of this message (see [`crate::french_text`]).
    pub fn french(&self) -> String {
        crate::french_text::render(self)
    }
}

macro_rules! message_codes {
    ($($(#[$meta:meta])* $variant:ident => $code:literal,)*) => {
        /// Every message code of the engine. Its text form (`as_str`) is
        /// stable: consumers and the translation catalogue key on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum MessageCode {
            $($(#[$meta])* #[serde(rename = $code)] $variant,)*
        }

        impl MessageCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [MessageCode] = &[$(MessageCode::$variant,)*];

            /// The code as sent, e.g. `decision.passed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(MessageCode::$variant => $code,)*
                }
            }
        }
    };
}

message_codes! {
    /// Passed: `grade`.
    DecisionPassed => "decision.passed",
    /// Failed: `grade`, the unmet `conditions`.
    DecisionFailed => "decision.failed",
    /// Withdrawn without a valid reason: failed without grades.
    DecisionWithdrawnUnexcused => "decision.withdrawn_unexcused",
    /// Excluded: failed without grades.
    DecisionExcluded => "decision.excluded",
    /// Withdrawn for a valid reason: no result.
    DecisionWithdrawnExcused => "decision.withdrawn_excused",
    /// Absent: pending until the board qualifies the absence.
    DecisionAbsent => "decision.absent",
    /// Pending: a part grade is missing.
    DecisionPartGradeMissing => "decision.part_grade_missing",
    /// Pending: the overall grade cannot be computed (`error`).
    DecisionOverallIncalculable => "decision.overall_incalculable",

    /// Evaluations entered (`positions`) for a candidate decided without
    /// grades (`status`, a nested status message): kept, ignored.
    WarningEvaluationsIgnored => "warning.evaluations_ignored",
    /// A candidate status, as a warning names it.
    StatusPresent => "status.present",
    /// A candidate status, as a warning names it.
    StatusWithdrawnExcused => "status.withdrawn_excused",
    /// A candidate status, as a warning names it.
    StatusWithdrawnUnexcused => "status.withdrawn_unexcused",
    /// A candidate status, as a warning names it.
    StatusExcluded => "status.excluded",
    /// A candidate status, as a warning names it.
    StatusAbsent => "status.absent",

    /// A part's pending `reason`, with its `part`.
    PendingPart => "pending.part",
    /// A position's pending `reason`, with its `position`.
    PendingPosition => "pending.position",
    /// The part grade cannot be computed (`error`).
    PendingPartIncalculable => "pending.part_incalculable",
    /// The `rubric` is not provided.
    PendingRubricMissing => "pending.rubric_missing",
    /// Nothing entered for the position.
    PendingNoEvaluation => "pending.no_evaluation",
    /// The joint evaluation waits for the confirmation of `names`.
    PendingAwaitingConfirmation => "pending.awaiting_confirmation",
    /// The joint evaluation is incomplete (`reason`).
    PendingAgreedIncomplete => "pending.agreed_incomplete",
    /// The `examiner`'s evaluation is incomplete (`reason`).
    PendingEvaluationIncomplete => "pending.evaluation_incomplete",
    /// `expected` evaluations expected, `entered` entered.
    PendingEvaluationsExpected => "pending.evaluations_expected",
    /// Identical evaluations, but the scheme asks for an explicit joint one.
    PendingIdenticalNeedsAgreement => "pending.identical_needs_agreement",
    /// The evaluations differ and no joint evaluation is entered.
    PendingOpenDiscrepancy => "pending.open_discrepancy",
    /// The `arbiter`'s evaluation is incomplete (`reason`).
    PendingArbiterIncomplete => "pending.arbiter_incomplete",
    /// Arbitration needed (`flags`), the arbiter's evaluation is missing.
    PendingArbiterMissing => "pending.arbiter_missing",
    /// The mean of the examiners' grades cannot be computed (`error`).
    PendingMeanIncalculable => "pending.mean_incalculable",

    /// Joint evaluation entered, waiting for the confirmation of `names`.
    ReconciliationAwaitingConfirmation => "reconciliation.awaiting_confirmation",
    /// The examiners' joint evaluation is official.
    ReconciliationAgreed => "reconciliation.agreed",
    /// The joint evaluation is incomplete.
    ReconciliationAgreedIncomplete => "reconciliation.agreed_incomplete",
    /// The examiners' evaluations are not all complete.
    ReconciliationAwaitingEvaluations => "reconciliation.awaiting_evaluations",
    /// One examiner planned: their evaluation is official.
    ReconciliationSingle => "reconciliation.single",
    /// Identical evaluations agreed automatically.
    ReconciliationIdentical => "reconciliation.identical",
    /// The scheme asks for an explicit joint evaluation.
    ReconciliationNeedsExplicitAgreement => "reconciliation.needs_explicit_agreement",
    /// The evaluations differ: a joint evaluation is awaited.
    ReconciliationAwaitingAgreement => "reconciliation.awaiting_agreement",
    /// Mean mode: the mean of `grades` is `unrounded`, rounded `grade`.
    ReconciliationMean => "reconciliation.mean",
    /// Arbitration mode without a flag: the mean (`grades`, `unrounded`,
    /// `grade`).
    ReconciliationMeanNoFlag => "reconciliation.mean_no_flag",
    /// As `reconciliation.mean_no_flag`, and the arbiter's evaluation
    /// entered is not used.
    ReconciliationMeanNoFlagArbiterUnused => "reconciliation.mean_no_flag_arbiter_unused",
    /// Arbitration (`flags`): the `arbiter`'s evaluation is official.
    ReconciliationArbiter => "reconciliation.arbiter",
    /// Arbitration needed (`flags`): the arbiter's evaluation is incomplete.
    ReconciliationArbiterIncomplete => "reconciliation.arbiter_incomplete",
    /// Arbitration needed (`flags`): the arbiter's evaluation is awaited.
    ReconciliationArbiterAwaited => "reconciliation.arbiter_awaited",
    /// The mean cannot be computed (`error`).
    ReconciliationMeanIncalculable => "reconciliation.mean_incalculable",

    /// Grades `lowest` and `highest` differ by `gap`, at least `step`.
    FlagStep => "flag.step",
    /// Grades `lowest` and `highest` lie on either side of `pass`.
    FlagStraddle => "flag.straddle",

    /// Overall `grade` `relation` (≥ or <) the `minimum` required.
    ConditionMinOverall => "condition.min_overall",
    /// `count` parts below `pass`, at most `max` allowed.
    ConditionMaxInsufficientParts => "condition.max_insufficient_parts",
    /// As above, with the `parts` below listed.
    ConditionMaxInsufficientPartsListed => "condition.max_insufficient_parts_listed",
    /// No part grade below `minimum`.
    ConditionMinPartGradeMet => "condition.min_part_grade_met",
    /// The `parts` below `minimum`.
    ConditionMinPartGradeUnmet => "condition.min_part_grade_unmet",
    /// The `sum` of shortfalls under `pass`, at most `max`.
    ConditionMaxShortfallSum => "condition.max_shortfall_sum",
    /// The `part` must reach `pass`: its `grade`.
    ConditionRequiredPart => "condition.required_part",
    /// The `part` must reach `pass`: no grade.
    ConditionRequiredPartAbsent => "condition.required_part_absent",
    /// `count` parts below `below`, at most `max`.
    ConditionMaxPartsBelow => "condition.max_parts_below",
    /// As above, with the `parts` listed.
    ConditionMaxPartsBelowListed => "condition.max_parts_below_listed",
    /// The `part` must reach `minimum`: its `grade`.
    ConditionPartMinimum => "condition.part_minimum",
    /// The `part` must reach `minimum`: no grade.
    ConditionPartMinimumAbsent => "condition.part_minimum_absent",
    /// No position grade below `minimum`.
    ConditionMinPositionGradeMet => "condition.min_position_grade_met",
    /// The `positions` below `minimum`.
    ConditionMinPositionGradeUnmet => "condition.min_position_grade_unmet",
    /// The `position` must reach `minimum`: its `grade`.
    ConditionPositionMinimum => "condition.position_minimum",
    /// The `position` must reach `minimum`: no grade.
    ConditionPositionMinimumAbsent => "condition.position_minimum_absent",
    /// The `position` must reach `minimum`: not judged, its part is carried.
    ConditionPositionMinimumCarried => "condition.position_minimum_carried",
    /// A `part` and its `grade`, in a list.
    PartGrade => "item.part_grade",
    /// A `position` and its `grade`, in a list.
    PositionGrade => "item.position_grade",

    /// A part grade carried from the `session`.
    CarriedFromSession => "carried.from_session",
    /// A part grade carried from an earlier attempt.
    CarriedEarlierAttempt => "carried.earlier_attempt",

    /// The `case` (`version`) leaves no criterion out.
    CaseAllAssessed => "case.all_assessed",
    /// The `case` (`version`) leaves `criteria` out.
    CaseLeftOut => "case.left_out",

    /// The `criterion` is not in the `rubric`.
    AnswerUnknownCriterion => "answer.unknown_criterion",
    /// The `criterion` has two answers.
    AnswerDuplicate => "answer.duplicate",
    /// The `criterion`, left out by the case, has points.
    AnswerPointsOnLeftOut => "answer.points_on_left_out",
    /// The `criterion` has points and "not assessable".
    AnswerPointsAndNotAssessable => "answer.points_and_not_assessable",
    /// The `criterion` may not be "not assessable".
    AnswerNotAssessableRefused => "answer.not_assessable_refused",
    /// The `criterion`'s `points` are no level (`levels`).
    AnswerNoSuchLevel => "answer.no_such_level",
    /// The `criterion` has no answer.
    AnswerUnanswered => "answer.unanswered",
    /// No criterion could be assessed: no maximum, no grade.
    EvaluationNoMaximum => "evaluation.no_maximum",
    /// The grade cannot be computed (`error`).
    EvaluationIncalculable => "evaluation.incalculable",

    /// Points → grade: linear.
    ConversionLinear => "conversion.linear",
    /// Points → grade: two linear pieces, `pass` at `fraction` of the
    /// maximum.
    ConversionTwoPiece => "conversion.two_piece",
    /// Points → grade: a table of thresholds.
    ConversionTable => "conversion.table",
    /// `points` out of `max`, read in the table as they are.
    FormulaTablePoints => "formula.table_points",
    /// `points` out of `max`, brought to the table's `table` points:
    /// `scaled`.
    FormulaTablePointsScaled => "formula.table_points_scaled",
    /// The `points` (a nested message) reach the `threshold`: `grade`.
    FormulaTableReached => "formula.table_reached",
    /// The `points` (a nested message) reach no threshold: the lowest
    /// `grade`.
    FormulaTableNoneReached => "formula.table_none_reached",

    /// A calculation refused: the maximum points `max` are not above 0.
    CalcMaxNotPositive => "calc.max_not_positive",
    /// A calculation refused: `points` lie outside 0 to `max`.
    CalcPointsOutOfRange => "calc.points_out_of_range",
    /// A calculation refused: a mean of no grade.
    CalcEmptyMean => "calc.empty_mean",
    /// A calculation refused: `grades` grades but `weights` weights.
    CalcLengthMismatch => "calc.length_mismatch",
    /// A calculation refused: the `weight` is not above 0.
    CalcWeightNotPositive => "calc.weight_not_positive",
    /// A calculation refused: the rounding `step` is not above 0.
    CalcStepNotPositive => "calc.step_not_positive",
    /// A calculation refused: a value too large for a decimal.
    CalcOverflow => "calc.overflow",

    /// Rounded to the half grade, halves up.
    RoundingHalfUpHalf => "rounding.half_up.half",
    /// Rounded to the tenth, halves up.
    RoundingHalfUpTenth => "rounding.half_up.tenth",
    /// Rounded to the whole grade, halves up.
    RoundingHalfUpWhole => "rounding.half_up.whole",
    /// Rounded to a multiple of `step`, halves up.
    RoundingHalfUpStep => "rounding.half_up.step",
    /// Rounded up to the half grade.
    RoundingUpHalf => "rounding.up.half",
    /// Rounded up to the tenth.
    RoundingUpTenth => "rounding.up.tenth",
    /// Rounded up to the whole grade.
    RoundingUpWhole => "rounding.up.whole",
    /// Rounded up to a multiple of `step`.
    RoundingUpStep => "rounding.up.step",
    /// Rounded down to the half grade.
    RoundingDownHalf => "rounding.down.half",
    /// Rounded down to the tenth.
    RoundingDownTenth => "rounding.down.tenth",
    /// Rounded down to the whole grade.
    RoundingDownWhole => "rounding.down.whole",
    /// Rounded down to a multiple of `step`.
    RoundingDownStep => "rounding.down.step",
}

impl std::fmt::Display for MessageCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
