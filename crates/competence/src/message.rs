//! The engine speaks in data: every decision, pending reason, warning,
//! reconciliation explanation, discrepancy flag, condition and carried-part
//! note is a [`Message`], a stable code and its named arguments (grades as
//! exact decimal text, part and position ids, names, nested messages and
//! lists of messages). Readers render it in their own language (the report
//! crate's catalogue keys are `engine.<code>`); the JSON results also keep
//! the French text beside it, written by [`crate::french_text`], the only
//! place of this crate (and of `grille-scoring`) that phrases a message in
//! words.
//!
//! The problems found in documents (catalogue, scheme, blueprint, rubric,
//! case, session) are messages too: [`crate::Problem`] carries one, with
//! codes of their own (`MessageCode::PROBLEMS`, catalogue keys
//! `problem.<code>`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One message of the engine: what happened, as a code, and the values it
/// speaks of.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Message {
    /// The stable code, e.g. `decision.passed`.
    pub code: MessageCode,
    /// The named arguments (left out when there is none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, MessageArg>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
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
    /// Between alternatives (the JSON types a value may have).
    Or,
}

impl ListSeparator {
    /// The separator of the list argument `name`.
    pub fn of(name: &str) -> ListSeparator {
        match name {
            "conditions" | "flags" | "columns" => ListSeparator::Semicolon,
            "expected_types" => ListSeparator::Or,
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

    /// This problem, said of a `document` (`in_document`: "session : ...").
    pub fn in_document(self, document: Message) -> Message {
        Message::new(MessageCode::InDocument).with_message("document", document).with_message("problem", self)
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
    (
        engine { $($(#[$meta:meta])* $variant:ident => $code:literal,)* }
        problems { $($(#[$pmeta:meta])* $pvariant:ident => $pcode:literal,)* }
    ) => {
        /// Every message code: the engine's (decisions, conditions, ...)
        /// and the problems of documents (validation). Its text form
        /// (`as_str`) is stable: consumers and the translation catalogue
        /// key on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum MessageCode {
            $($(#[$meta])* #[serde(rename = $code)] $variant,)*
            $($(#[$pmeta])* #[serde(rename = $pcode)] $pvariant,)*
        }

        impl MessageCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [MessageCode] = &[$(MessageCode::$variant,)* $(MessageCode::$pvariant,)*];

            /// The codes of document problems, in declaration order.
            pub const PROBLEMS: &'static [MessageCode] = &[$(MessageCode::$pvariant,)*];

            /// The code as sent, e.g. `decision.passed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(MessageCode::$variant => $code,)*
                    $(MessageCode::$pvariant => $pcode,)*
                }
            }

            /// Whether the code is a document problem's (its catalogue key
            /// is `problem.<code>`) rather than the engine's
            /// (`engine.<code>`).
            pub fn is_problem(self) -> bool {
                match self {
                    $(MessageCode::$variant => false,)*
                    $(MessageCode::$pvariant => true,)*
                }
            }
        }
    };
}

message_codes! {
    engine {
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
    problems {
        /// Problem `text`: `text`.
        Text => "text",
        /// Problem `json.invalid`: `column`, `error`, `line`.
        JsonInvalid => "json.invalid",
        /// Problem `json.eof`.
        JsonEof => "json.eof",
        /// Problem `json.syntax`: `error`.
        JsonSyntax => "json.syntax",
        /// Problem `document.nonconforming`: `error`.
        DocumentNonconforming => "document.nonconforming",
        /// Problem `schema.unusable`: `error`.
        SchemaUnusable => "schema.unusable",
        /// Problem `schema.unusable_bare`.
        SchemaUnusableBare => "schema.unusable_bare",
        /// Problem `serde.invalid_type`: `expected`, `found`.
        SerdeInvalidType => "serde.invalid_type",
        /// Problem `serde.invalid_value`: `expected`, `found`.
        SerdeInvalidValue => "serde.invalid_value",
        /// Problem `serde.found_value`: `kind`, `value`.
        SerdeFoundValue => "serde.found_value",
        /// Problem `serde.one_of`: `options`.
        SerdeOneOf => "serde.one_of",
        /// Problem `serde.missing_field`: `name`.
        SerdeMissingField => "serde.missing_field",
        /// Problem `serde.unknown_field`: `expected`, `name`.
        SerdeUnknownField => "serde.unknown_field",
        /// Problem `serde.unknown_variant`: `expected`, `name`.
        SerdeUnknownVariant => "serde.unknown_variant",
        /// Problem `serde.duplicate_field`: `name`.
        SerdeDuplicateField => "serde.duplicate_field",
        /// Problem `serde.eof`.
        SerdeEof => "serde.eof",
        /// Problem `serde.expected_value`.
        SerdeExpectedValue => "serde.expected_value",
        /// Problem `serde.trailing_characters`.
        SerdeTrailingCharacters => "serde.trailing_characters",
        /// Problem `serde.key_must_be_string`.
        SerdeKeyMustBeString => "serde.key_must_be_string",
        /// Problem `serde.expected_comma_or_brace`.
        SerdeExpectedCommaOrBrace => "serde.expected_comma_or_brace",
        /// Problem `serde.expected_comma_or_bracket`.
        SerdeExpectedCommaOrBracket => "serde.expected_comma_or_bracket",
        /// Problem `serde.expected_colon`.
        SerdeExpectedColon => "serde.expected_colon",
        /// Problem `serde.other`: `message`.
        SerdeOther => "serde.other",
        /// Problem `json_type.null`.
        JsonTypeNull => "json_type.null",
        /// Problem `json_type.boolean`.
        JsonTypeBoolean => "json_type.boolean",
        /// Problem `json_type.boolean_literal`.
        JsonTypeBooleanLiteral => "json_type.boolean_literal",
        /// Problem `json_type.integer`.
        JsonTypeInteger => "json_type.integer",
        /// Problem `json_type.number`.
        JsonTypeNumber => "json_type.number",
        /// Problem `json_type.floating`.
        JsonTypeFloating => "json_type.floating",
        /// Problem `json_type.string`.
        JsonTypeString => "json_type.string",
        /// Problem `json_type.array`.
        JsonTypeArray => "json_type.array",
        /// Problem `json_type.object`.
        JsonTypeObject => "json_type.object",
        /// Problem `json_type.session_object`.
        JsonTypeSessionObject => "json_type.session_object",
        /// Problem `schema.not_allowed`: `options`, `value`.
        SchemaNotAllowed => "schema.not_allowed",
        /// Problem `schema.required`: `property`.
        SchemaRequired => "schema.required",
        /// Problem `schema.additional_properties`: `names`.
        SchemaAdditionalProperties => "schema.additional_properties",
        /// Problem `schema.type`: `expected_types`, `found`.
        SchemaType => "schema.type",
        /// Problem `schema.min_length`: `limit`.
        SchemaMinLength => "schema.min_length",
        /// Problem `schema.max_length`: `limit`.
        SchemaMaxLength => "schema.max_length",
        /// Problem `schema.min_items`: `limit`.
        SchemaMinItems => "schema.min_items",
        /// Problem `schema.max_items`: `limit`.
        SchemaMaxItems => "schema.max_items",
        /// Problem `schema.minimum`: `limit`, `value`.
        SchemaMinimum => "schema.minimum",
        /// Problem `schema.maximum`: `limit`, `value`.
        SchemaMaximum => "schema.maximum",
        /// Problem `schema.exclusive_minimum`: `limit`, `value`.
        SchemaExclusiveMinimum => "schema.exclusive_minimum",
        /// Problem `schema.exclusive_maximum`: `limit`, `value`.
        SchemaExclusiveMaximum => "schema.exclusive_maximum",
        /// Problem `schema.decimal`: `fixed`, `value`.
        SchemaDecimal => "schema.decimal",
        /// Problem `schema.decimal_example`: `value`.
        SchemaDecimalExample => "schema.decimal_example",
        /// Problem `schema.pattern`: `pattern`, `value`.
        SchemaPattern => "schema.pattern",
        /// Problem `schema.const`: `expected`, `value`.
        SchemaConst => "schema.const",
        /// Problem `schema.no_form`: `value`.
        SchemaNoForm => "schema.no_form",
        /// Problem `schema.format`: `format`, `value`.
        SchemaFormat => "schema.format",
        /// Problem `schema.other`: `error`.
        SchemaOther => "schema.other",
        /// Problem `catalogue.version_not_date`: `version`.
        CatalogueVersionNotDate => "catalogue.version_not_date",
        /// Problem `catalogue.domain_duplicate`: `domain`.
        CatalogueDomainDuplicate => "catalogue.domain_duplicate",
        /// Problem `catalogue.domain_empty`: `domain`.
        CatalogueDomainEmpty => "catalogue.domain_empty",
        /// Problem `catalogue.competence_duplicate`: `competence`.
        CatalogueCompetenceDuplicate => "catalogue.competence_duplicate",
        /// Problem `catalogue.competence_outside_domain`: `competence`, `domain`.
        CatalogueCompetenceOutsideDomain => "catalogue.competence_outside_domain",
        /// Problem `catalogue.competence_numbering`: `competence`, `domain`, `expected`, `number`.
        CatalogueCompetenceNumbering => "catalogue.competence_numbering",
        /// Problem `catalogue.competence_empty`: `competence`.
        CatalogueCompetenceEmpty => "catalogue.competence_empty",
        /// Problem `catalogue.criterion_order`: `criterion`.
        CatalogueCriterionOrder => "catalogue.criterion_order",
        /// Problem `catalogue.criterion_name`: `category`, `competence`, `criterion`, `expected`, `position`.
        CatalogueCriterionName => "catalogue.criterion_name",
        /// Problem `catalogue.seed_text_empty`.
        CatalogueSeedTextEmpty => "catalogue.seed_text_empty",
        /// Problem `text_empty`.
        TextEmpty => "text_empty",
        /// Problem `category.performance`.
        CategoryPerformance => "category.performance",
        /// Problem `category.knowledge`.
        CategoryKnowledge => "category.knowledge",
        /// Problem `category.attitudes`.
        CategoryAttitudes => "category.attitudes",
        /// Problem `category.metacognition`.
        CategoryMetacognition => "category.metacognition",
        /// Problem `blank`: `what`.
        Blank => "blank",
        /// Problem `out_of_range`: `max`, `min`, `value`, `what`.
        OutOfRange => "out_of_range",
        /// Problem `unquoted_decimal`: `number`.
        UnquotedDecimal => "unquoted_decimal",
        /// Problem `weight_range`: `max`, `weight`.
        WeightRange => "weight_range",
        /// Problem `field.case_id`.
        FieldCaseId => "field.case_id",
        /// Problem `field.case_version`.
        FieldCaseVersion => "field.case_version",
        /// Problem `field.case_title`.
        FieldCaseTitle => "field.case_title",
        /// Problem `field.situation`.
        FieldSituation => "field.situation",
        /// Problem `field.task_id`.
        FieldTaskId => "field.task_id",
        /// Problem `field.task_prompt`.
        FieldTaskPrompt => "field.task_prompt",
        /// Problem `field.examiner_note`.
        FieldExaminerNote => "field.examiner_note",
        /// Problem `field.file_name`.
        FieldFileName => "field.file_name",
        /// Problem `field.position`.
        FieldPosition => "field.position",
        /// Problem `field.rubric_id`.
        FieldRubricId => "field.rubric_id",
        /// Problem `field.rubric_version`.
        FieldRubricVersion => "field.rubric_version",
        /// Problem `field.rubric`.
        FieldRubric => "field.rubric",
        /// Problem `field.criterion`.
        FieldCriterion => "field.criterion",
        /// Problem `field.reason`.
        FieldReason => "field.reason",
        /// Problem `field.author`.
        FieldAuthor => "field.author",
        /// Problem `field.scheme_id`.
        FieldSchemeId => "field.scheme_id",
        /// Problem `field.scheme_version`.
        FieldSchemeVersion => "field.scheme_version",
        /// Problem `field.title`.
        FieldTitle => "field.title",
        /// Problem `field.scale_min`.
        FieldScaleMin => "field.scale_min",
        /// Problem `field.scale_max`.
        FieldScaleMax => "field.scale_max",
        /// Problem `field.threshold_grade`.
        FieldThresholdGrade => "field.threshold_grade",
        /// Problem `field.min_overall`.
        FieldMinOverall => "field.min_overall",
        /// Problem `field.min_part_grade`.
        FieldMinPartGrade => "field.min_part_grade",
        /// Problem `field.min_position_grade`.
        FieldMinPositionGrade => "field.min_position_grade",
        /// Problem `field.threshold`.
        FieldThreshold => "field.threshold",
        /// Problem `field.part_minimum`.
        FieldPartMinimum => "field.part_minimum",
        /// Problem `field.position_minimum`.
        FieldPositionMinimum => "field.position_minimum",
        /// Problem `field.max_shortfall_sum`.
        FieldMaxShortfallSum => "field.max_shortfall_sum",
        /// Problem `field.part_ref`.
        FieldPartRef => "field.part_ref",
        /// Problem `field.position_ref`.
        FieldPositionRef => "field.position_ref",
        /// Problem `field.assumption`.
        FieldAssumption => "field.assumption",
        /// Problem `field.criterion_id`.
        FieldCriterionId => "field.criterion_id",
        /// Problem `field.criterion_title`.
        FieldCriterionTitle => "field.criterion_title",
        /// Problem `field.level_descriptor`.
        FieldLevelDescriptor => "field.level_descriptor",
        /// Problem `field.session_id`.
        FieldSessionId => "field.session_id",
        /// Problem `field.id`.
        FieldId => "field.id",
        /// Problem `field.version`.
        FieldVersion => "field.version",
        /// Problem `field.candidate_number`.
        FieldCandidateNumber => "field.candidate_number",
        /// Problem `field.examiner_id`.
        FieldExaminerId => "field.examiner_id",
        /// Problem `field.arbiter_id`.
        FieldArbiterId => "field.arbiter_id",
        /// Problem `field.blueprint_id`.
        FieldBlueprintId => "field.blueprint_id",
        /// Problem `field.blueprint_version`.
        FieldBlueprintVersion => "field.blueprint_version",
        /// Problem `field.part_id`.
        FieldPartId => "field.part_id",
        /// Problem `field.part_title`.
        FieldPartTitle => "field.part_title",
        /// Problem `field.position_id`.
        FieldPositionId => "field.position_id",
        /// Problem `field.position_title`.
        FieldPositionTitle => "field.position_title",
        /// Problem `field.translation_by`.
        FieldTranslationBy => "field.translation_by",
        /// Problem `field.translated_assumption`.
        FieldTranslatedAssumption => "field.translated_assumption",
        /// Problem `field.source_id`.
        FieldSourceId => "field.source_id",
        /// Problem `field.source_version`.
        FieldSourceVersion => "field.source_version",
        /// Problem `competence_unknown`: `competence`.
        CompetenceUnknown => "competence_unknown",
        /// Problem `competence_spelling`: `competence`, `expected`.
        CompetenceSpelling => "competence_spelling",
        /// Problem `competence_twice`: `competence`.
        CompetenceTwice => "competence_twice",
        /// Problem `criterion_unknown`: `criterion`.
        CriterionUnknown => "criterion_unknown",
        /// Problem `criterion_twice`: `criterion`.
        CriterionTwice => "criterion_twice",
        /// Problem `criterion_duplicate`: `criterion`.
        CriterionDuplicate => "criterion_duplicate",
        /// Problem `position_twice`: `position`.
        PositionTwice => "position_twice",
        /// Problem `part_twice`: `part`.
        PartTwice => "part_twice",
        /// Problem `position_not_in_named_blueprint`: `blueprint`, `position`.
        PositionNotInNamedBlueprint => "position_not_in_named_blueprint",
        /// Problem `part_not_in_named_blueprint`: `blueprint`, `part`.
        PartNotInNamedBlueprint => "part_not_in_named_blueprint",
        /// Problem `case.year`: `year`.
        CaseYear => "case.year",
        /// Problem `case.no_task`.
        CaseNoTask => "case.no_task",
        /// Problem `case.translation_language`: `code`, `language`.
        CaseTranslationLanguage => "case.translation_language",
        /// Problem `case.task_duplicate`: `task`.
        CaseTaskDuplicate => "case.task_duplicate",
        /// Problem `case.file_name_characters`.
        CaseFileNameCharacters => "case.file_name_characters",
        /// Problem `case.file_type`: `media_type`.
        CaseFileType => "case.file_type",
        /// Problem `case.file_hash`.
        CaseFileHash => "case.file_hash",
        /// Problem `case.file_twice`.
        CaseFileTwice => "case.file_twice",
        /// Problem `case.file_size`: `max`, `size`.
        CaseFileSize => "case.file_size",
        /// Problem `case.no_position`.
        CaseNoPosition => "case.no_position",
        /// Problem `case.criterion_left_out_twice`: `criterion`.
        CaseCriterionLeftOutTwice => "case.criterion_left_out_twice",
        /// Problem `case.author_twice`: `author`.
        CaseAuthorTwice => "case.author_twice",
        /// Problem `case.rubric_not_pinned`: `rubric`.
        CaseRubricNotPinned => "case.rubric_not_pinned",
        /// Problem `case.left_out_unknown`: `criterion`, `position`, `rubric`.
        CaseLeftOutUnknown => "case.left_out_unknown",
        /// Problem `case.leaves_all_out`: `rubric`.
        CaseLeavesAllOut => "case.leaves_all_out",
        /// Problem `scheme.pass_mark`: `max`, `min`, `pass_mark`.
        SchemePassMark => "scheme.pass_mark",
        /// Problem `scheme.pass_fraction`: `value`.
        SchemePassFraction => "scheme.pass_fraction",
        /// Problem `scheme.table_max`: `max`, `value`.
        SchemeTableMax => "scheme.table_max",
        /// Problem `scheme.table_empty`.
        SchemeTableEmpty => "scheme.table_empty",
        /// Problem `scheme.first_threshold`: `value`.
        SchemeFirstThreshold => "scheme.first_threshold",
        /// Problem `scheme.threshold_above_max`: `max`, `threshold`.
        SchemeThresholdAboveMax => "scheme.threshold_above_max",
        /// Problem `scheme.thresholds_increase`: `previous`, `threshold`.
        SchemeThresholdsIncrease => "scheme.thresholds_increase",
        /// Problem `scheme.grades_decrease`: `grade`, `previous`.
        SchemeGradesDecrease => "scheme.grades_decrease",
        /// Problem `scheme.rounding_step`: `value`.
        SchemeRoundingStep => "scheme.rounding_step",
        /// Problem `scheme.threshold_twice`: `threshold`.
        SchemeThresholdTwice => "scheme.threshold_twice",
        /// Problem `scheme.no_condition`.
        SchemeNoCondition => "scheme.no_condition",
        /// Problem `scheme.discrepancy_step`: `value`.
        SchemeDiscrepancyStep => "scheme.discrepancy_step",
        /// Problem `scheme.max_attempts`.
        SchemeMaxAttempts => "scheme.max_attempts",
        /// Problem `scheme.conversion_not_object`.
        SchemeConversionNotObject => "scheme.conversion_not_object",
        /// Problem `scheme.conversion_kind_missing`.
        SchemeConversionKindMissing => "scheme.conversion_kind_missing",
        /// Problem `scheme.conversion_kind_unknown`: `kind`.
        SchemeConversionKindUnknown => "scheme.conversion_kind_unknown",
        /// Problem `scheme.conversion_field`: `kind`, `problem`.
        SchemeConversionField => "scheme.conversion_field",
        /// Problem `scheme.conversion_field_allowed`: `allowed`, `kind`, `problem`.
        SchemeConversionFieldAllowed => "scheme.conversion_field_allowed",
        /// Problem `rubric.no_criterion`.
        RubricNoCriterion => "rubric.no_criterion",
        /// Problem `rubric.performance_criterion_unknown`: `criterion`.
        RubricPerformanceCriterionUnknown => "rubric.performance_criterion_unknown",
        /// Problem `rubric.performance_criterion_twice`: `criterion`.
        RubricPerformanceCriterionTwice => "rubric.performance_criterion_twice",
        /// Problem `rubric.two_levels`: `criterion`.
        RubricTwoLevels => "rubric.two_levels",
        /// Problem `rubric.level_points`: `max`, `points`.
        RubricLevelPoints => "rubric.level_points",
        /// Problem `rubric.levels_distinct`: `criterion`, `points`.
        RubricLevelsDistinct => "rubric.levels_distinct",
        /// Problem `rubric.top_level_zero`: `criterion`.
        RubricTopLevelZero => "rubric.top_level_zero",
        /// Problem `blueprint.no_part`.
        BlueprintNoPart => "blueprint.no_part",
        /// Problem `blueprint.part_duplicate`: `part`.
        BlueprintPartDuplicate => "blueprint.part_duplicate",
        /// Problem `blueprint.examiners`: `count`.
        BlueprintExaminers => "blueprint.examiners",
        /// Problem `blueprint.reconciliation`: `count`, `mode`, `part`.
        BlueprintReconciliation => "blueprint.reconciliation",
        /// Problem `blueprint.no_position`: `part`.
        BlueprintNoPosition => "blueprint.no_position",
        /// Problem `blueprint.position_duplicate`: `position`.
        BlueprintPositionDuplicate => "blueprint.position_duplicate",
        /// Problem `translation.no_assumptions`.
        TranslationNoAssumptions => "translation.no_assumptions",
        /// Problem `session.rubric_pinned_twice`: `rubric`.
        SessionRubricPinnedTwice => "session.rubric_pinned_twice",
        /// Problem `session.case_pinned_twice`: `case`.
        SessionCasePinnedTwice => "session.case_pinned_twice",
        /// Problem `candidate.first_attempt`.
        CandidateFirstAttempt => "candidate.first_attempt",
        /// Problem `candidate.carried_first_attempt`.
        CandidateCarriedFirstAttempt => "candidate.carried_first_attempt",
        /// Problem `candidate.part_carried_twice`: `part`.
        CandidatePartCarriedTwice => "candidate.part_carried_twice",
        /// Problem `candidate.two_cases`: `position`.
        CandidateTwoCases => "candidate.two_cases",
        /// Problem `candidate.position_twice`: `position`.
        CandidatePositionTwice => "candidate.position_twice",
        /// Problem `candidate.examiner_twice`: `examiner`.
        CandidateExaminerTwice => "candidate.examiner_twice",
        /// Problem `candidate.arbiter_evaluated`: `examiner`.
        CandidateArbiterEvaluated => "candidate.arbiter_evaluated",
        /// Problem `candidate.evaluations_ignored`.
        CandidateEvaluationsIgnored => "candidate.evaluations_ignored",
        /// Problem `candidate.number_twice`: `number`.
        CandidateNumberTwice => "candidate.number_twice",
        /// Problem `in_document`: `document`, `problem`.
        InDocument => "in_document",
        /// Problem `document.session`.
        DocumentSession => "document.session",
        /// Problem `document.scheme`.
        DocumentScheme => "document.scheme",
        /// Problem `document.blueprint`.
        DocumentBlueprint => "document.blueprint",
        /// Problem `document.rubric`: `id`.
        DocumentRubric => "document.rubric",
        /// Problem `document.case`: `id`.
        DocumentCase => "document.case",
        /// Problem `session.pinned_mismatch`: `id`, `pinned`, `pinned_version`, `version`.
        SessionPinnedMismatch => "session.pinned_mismatch",
        /// Problem `session.rubric_not_provided`: `rubric`, `version`.
        SessionRubricNotProvided => "session.rubric_not_provided",
        /// Problem `session.blueprint_rubric_not_pinned`: `rubric`.
        SessionBlueprintRubricNotPinned => "session.blueprint_rubric_not_pinned",
        /// Problem `session.case_not_provided`: `case`, `version`.
        SessionCaseNotProvided => "session.case_not_provided",
        /// Problem `session.case_rubric_not_pinned`: `case`, `rubric`.
        SessionCaseRubricNotPinned => "session.case_rubric_not_pinned",
        /// Problem `session.attempts_exceeded`: `attempt`, `max`.
        SessionAttemptsExceeded => "session.attempts_exceeded",
        /// Problem `session.part_not_in_blueprint`: `part`.
        SessionPartNotInBlueprint => "session.part_not_in_blueprint",
        /// Problem `session.position_not_in_blueprint`: `position`.
        SessionPositionNotInBlueprint => "session.position_not_in_blueprint",
        /// Problem `session.carried_grade_range`: `grade`, `max`, `pass`.
        SessionCarriedGradeRange => "session.carried_grade_range",
        /// Problem `session.carried_grade_step`: `grade`, `step`.
        SessionCarriedGradeStep => "session.carried_grade_step",
        /// Problem `session.carried_part_evaluated`: `part`.
        SessionCarriedPartEvaluated => "session.carried_part_evaluated",
        /// Problem `session.case_not_pinned`: `case`.
        SessionCaseNotPinned => "session.case_not_pinned",
        /// Problem `session.case_does_not_serve`: `case`, `position`, `positions`.
        SessionCaseDoesNotServe => "session.case_does_not_serve",
        /// Problem `session.answer_unknown_criterion`: `criteria`, `criterion`, `rubric`.
        SessionAnswerUnknownCriterion => "session.answer_unknown_criterion",
        /// Problem `session.answer_duplicate`: `criterion`.
        SessionAnswerDuplicate => "session.answer_duplicate",
        /// Problem `session.answer_points_on_left_out`: `criterion`.
        SessionAnswerPointsOnLeftOut => "session.answer_points_on_left_out",
        /// Problem `session.answer_points_and_not_assessable`: `criterion`.
        SessionAnswerPointsAndNotAssessable => "session.answer_points_and_not_assessable",
        /// Problem `session.answer_not_assessable_refused`: `criterion`.
        SessionAnswerNotAssessableRefused => "session.answer_not_assessable_refused",
        /// Problem `session.answer_no_such_level`: `criterion`, `levels`, `points`.
        SessionAnswerNoSuchLevel => "session.answer_no_such_level",
        /// Problem `session.answer_unanswered`: `criterion`.
        SessionAnswerUnanswered => "session.answer_unanswered",
        /// Problem `csv.header_unreadable`.
        CsvHeaderUnreadable => "csv.header_unreadable",
        /// Problem `csv.duplicate_column`: `column`.
        CsvDuplicateColumn => "csv.duplicate_column",
        /// Problem `csv.unknown_column`: `column`, `delimiter`.
        CsvUnknownColumn => "csv.unknown_column",
        /// Problem `csv.unknown_column_expected`: `column`, `columns`, `delimiter`.
        CsvUnknownColumnExpected => "csv.unknown_column_expected",
        /// Problem `csv.expected_column`: `aliases`, `name`.
        CsvExpectedColumn => "csv.expected_column",
        /// Problem `csv.expected_column_optional`: `aliases`, `name`.
        CsvExpectedColumnOptional => "csv.expected_column_optional",
        /// Problem `csv.missing_column`: `aliases`, `delimiter`, `name`.
        CsvMissingColumn => "csv.missing_column",
        /// Problem `csv.line_unreadable`.
        CsvLineUnreadable => "csv.line_unreadable",
        /// Problem `csv.value_count`: `count`, `delimiter`, `expected`.
        CsvValueCount => "csv.value_count",
        /// Problem `csv.delimiter.semicolon`.
        CsvDelimiterSemicolon => "csv.delimiter.semicolon",
        /// Problem `csv.delimiter.comma`.
        CsvDelimiterComma => "csv.delimiter.comma",
        /// Problem `csv.delimiter.tab`.
        CsvDelimiterTab => "csv.delimiter.tab",
        /// Problem `csv.column.number`.
        CsvColumnNumber => "csv.column.number",
        /// Problem `csv.column.family_name`.
        CsvColumnFamilyName => "csv.column.family_name",
        /// Problem `csv.column.given_name`.
        CsvColumnGivenName => "csv.column.given_name",
        /// Problem `csv.column.given_names`.
        CsvColumnGivenNames => "csv.column.given_names",
        /// Problem `csv.column.email`.
        CsvColumnEmail => "csv.column.email",
        /// Problem `csv.column.part`.
        CsvColumnPart => "csv.column.part",
        /// Problem `csv.column.examiner`.
        CsvColumnExaminer => "csv.column.examiner",
        /// Problem `csv.column.examiner_1`.
        CsvColumnExaminer1 => "csv.column.examiner_1",
        /// Problem `csv.column.examiner_2`.
        CsvColumnExaminer2 => "csv.column.examiner_2",
        /// Problem `csv.column.position`.
        CsvColumnPosition => "csv.column.position",
        /// Problem `csv.column.case`.
        CsvColumnCase => "csv.column.case",
        /// Problem `csv.column.version`.
        CsvColumnVersion => "csv.column.version",
        /// Problem `csv.column.username`.
        CsvColumnUsername => "csv.column.username",
        /// Problem `csv.column.role`.
        CsvColumnRole => "csv.column.role",
        /// Problem `csv.column.candidate_number`.
        CsvColumnCandidateNumber => "csv.column.candidate_number",
        /// Problem `csv.column.school`.
        CsvColumnSchool => "csv.column.school",
        /// Problem `csv.column.date_of_birth`.
        CsvColumnDateOfBirth => "csv.column.date_of_birth",
        /// Problem `csv.column.place_of_origin`.
        CsvColumnPlaceOfOrigin => "csv.column.place_of_origin",
        /// Problem `csv.column.address`.
        CsvColumnAddress => "csv.column.address",
        /// Problem `csv.column.exam_language`.
        CsvColumnExamLanguage => "csv.column.exam_language",
        /// Problem `csv.column.canton`.
        CsvColumnCanton => "csv.column.canton",
        /// Problem `csv.column.item`.
        CsvColumnItem => "csv.column.item",
        /// Problem `csv.no_candidate`.
        CsvNoCandidate => "csv.no_candidate",
        /// Problem `csv.no_account`.
        CsvNoAccount => "csv.no_account",
        /// Problem `csv.no_assignment`.
        CsvNoAssignment => "csv.no_assignment",
        /// Problem `date.form`: `text`.
        DateForm => "date.form",
        /// Problem `date.no_such_day`: `text`.
        DateNoSuchDay => "date.no_such_day",
        /// Problem `date.out_of_range`: `text`.
        DateOutOfRange => "date.out_of_range",
        /// Problem `date.birth_not_past`: `text`.
        DateOfBirthNotPast => "date.birth_not_past",
        /// Problem `input.required`.
        FieldRequired => "input.required",
        /// Problem `input.too_long`: `max`.
        TextTooLong => "input.too_long",
        /// Problem `input.control_character`.
        ControlCharacter => "input.control_character",
        /// Problem `input.name_required`.
        NameRequired => "input.name_required",
        /// Problem `input.email_invalid`.
        EmailInvalid => "input.email_invalid",
        /// Problem `input.address_lines`: `max`.
        AddressTooLong => "input.address_lines",
        /// Problem `input.canton_unknown`: `code`.
        CantonUnknown => "input.canton_unknown",
        /// Problem `input.exam_language_unknown`: `language`.
        ExamLanguageUnknown => "input.exam_language_unknown",
        /// Problem `candidate_number.form`.
        CandidateNumberForm => "candidate_number.form",
        /// Problem `candidate_number.twice`: `number`.
        CandidateNumberRepeated => "candidate_number.twice",
        /// Problem `candidate_number.enrolled`: `number`.
        CandidateNumberEnrolled => "candidate_number.enrolled",
        /// Problem `candidate_number.not_in_register`: `number`.
        CandidateNumberNotInRegister => "candidate_number.not_in_register",
        /// Problem `account.username_invalid`: `username`.
        AccountUsernameInvalid => "account.username_invalid",
        /// Problem `account.username_repeated`: `line`, `username`.
        AccountUsernameRepeated => "account.username_repeated",
        /// Problem `account.username_exists`: `username`.
        AccountUsernameExists => "account.username_exists",
        /// Problem `account.board_one_by_one`.
        AccountBoardOneByOne => "account.board_one_by_one",
        /// Problem `account.role_unknown`: `role`.
        AccountRoleUnknown => "account.role_unknown",
        /// Problem `account.school_unknown`: `school`.
        AccountSchoolUnknown => "account.school_unknown",
        /// Problem `account.trainer_needs_school`.
        AccountTrainerNeedsSchool => "account.trainer_needs_school",
        /// Problem `account.school_not_allowed`.
        AccountSchoolNotAllowed => "account.school_not_allowed",
        /// Problem `account.number_not_candidate`.
        AccountNumberNotCandidate => "account.number_not_candidate",
        /// Problem `account.number_invalid`: `number`.
        AccountNumberInvalid => "account.number_invalid",
        /// Problem `account.number_repeated`: `line`, `number`.
        AccountNumberRepeated => "account.number_repeated",
        /// Problem `account.number_unknown`: `number`.
        AccountNumberUnknown => "account.number_unknown",
        /// Problem `account.number_linked`: `number`.
        AccountNumberLinked => "account.number_linked",
        /// Problem `account.too_many`: `count`, `max`.
        AccountTooMany => "account.too_many",
        /// Problem `assignment.number_invalid`.
        AssignmentNumberInvalid => "assignment.number_invalid",
        /// Problem `assignment.part_invalid`.
        AssignmentPartInvalid => "assignment.part_invalid",
        /// Problem `assignment.part_unknown`: `parts`.
        AssignmentPartUnknown => "assignment.part_unknown",
        /// Problem `assignment.user_unknown`.
        AssignmentUserUnknown => "assignment.user_unknown",
        /// Problem `assignment.not_examiner`.
        AssignmentNotExaminer => "assignment.not_examiner",
        /// Problem `assignment.not_school_trainer`.
        AssignmentNotSchoolTrainer => "assignment.not_school_trainer",
        /// Problem `assignment.not_enrolled`.
        AssignmentNotEnrolled => "assignment.not_enrolled",
        /// Problem `assignment.conflict`: `examiner`, `number`, `reason`.
        AssignmentConflict => "assignment.conflict",
        /// Problem `conflict_reason.trained`.
        ConflictReasonTrained => "conflict_reason.trained",
        /// Problem `conflict_reason.employs`.
        ConflictReasonEmploys => "conflict_reason.employs",
        /// Problem `conflict_reason.other`.
        ConflictReasonOther => "conflict_reason.other",
        /// Problem `assignment.no_examiner_column`.
        AssignmentNoExaminerColumn => "assignment.no_examiner_column",
        /// Problem `assignment.no_examiner`.
        AssignmentNoExaminer => "assignment.no_examiner",
        /// Problem `assignment.repeats_line`: `line`.
        AssignmentRepeatsLine => "assignment.repeats_line",
        /// Problem `body.missing_field`: `name`.
        BodyMissingField => "body.missing_field",
        /// Problem `body.unknown_field`: `name`.
        BodyUnknownField => "body.unknown_field",
        /// Problem `body.unknown_field_admitted`: `admitted`, `name`.
        BodyUnknownFieldAdmitted => "body.unknown_field_admitted",
        /// Problem `body.value_not_admitted`: `allowed`, `found`.
        BodyValueNotAdmitted => "body.value_not_admitted",
        /// Problem `assignment.examiner_twice`: `name`.
        AssignmentExaminerTwice => "assignment.examiner_twice",
        /// Problem `assignment.already_on_line`: `line`, `name`.
        AssignmentAlreadyOnLine => "assignment.already_on_line",
        /// Problem `assignment.already_saved`: `name`.
        AssignmentAlreadySaved => "assignment.already_saved",
        /// Problem `exam.unknown_criterion`: `criterion`, `rubric`.
        ExamUnknownCriterion => "exam.unknown_criterion",
        /// Problem `exam.duplicate`: `criterion`.
        ExamDuplicate => "exam.duplicate",
        /// Problem `exam.points_on_left_out`: `criterion`.
        ExamPointsOnLeftOut => "exam.points_on_left_out",
        /// Problem `exam.points_and_not_assessable`.
        ExamPointsAndNotAssessable => "exam.points_and_not_assessable",
        /// Problem `exam.not_assessable_refused`: `criterion`.
        ExamNotAssessableRefused => "exam.not_assessable_refused",
        /// Problem `exam.no_such_level`: `criterion`, `levels`, `points`.
        ExamNoSuchLevel => "exam.no_such_level",
        /// Problem `exam.unanswered`: `criterion`.
        ExamUnanswered => "exam.unanswered",
        /// Problem `exam.points_unreadable`.
        ExamPointsUnreadable => "exam.points_unreadable",
        /// Problem `exam.remark_too_long`: `max`.
        ExamRemarkTooLong => "exam.remark_too_long",
        /// Problem `appeal.decided_needs_date`.
        AppealDecidedNeedsDate => "appeal.decided_needs_date",
        /// Problem `appeal.open_no_decision`.
        AppealOpenHasNoDecision => "appeal.open_no_decision",
        /// Problem `appeal.decision_before_receipt`.
        AppealDecisionBeforeReceipt => "appeal.decision_before_receipt",
        /// Problem `appeal.consultation_without_request`.
        AppealConsultationWithoutRequest => "appeal.consultation_without_request",
        /// Problem `appeal.consultation_before_request`.
        AppealConsultationBeforeRequest => "appeal.consultation_before_request",
        /// Problem `appeal.correction_unknown`: `id`, `number`.
        AppealCorrectionUnknown => "appeal.correction_unknown",
        /// Problem `appeal.same_candidate`.
        AppealSameCandidate => "appeal.same_candidate",
        /// Problem `identity.signatories_too_many`: `count`, `max`.
        IdentitySignatoriesTooMany => "identity.signatories_too_many",
        /// Problem `identity.postal_days`.
        IdentityPostalDays => "identity.postal_days",
        /// Problem `identity.sittings_too_many`: `max`.
        IdentitySittingsTooMany => "identity.sittings_too_many",
        /// Problem `file.empty`.
        FileEmpty => "file.empty",
        /// Problem `logo.too_large`: `max`.
        LogoTooLarge => "logo.too_large",
        /// Problem `logo.not_image`.
        LogoNotImage => "logo.not_image",
        /// Problem `logo.svg_active`.
        LogoSvgActive => "logo.svg_active",
        /// Problem `sitting.case_not_in_bank`.
        SittingCaseNotInBank => "sitting.case_not_in_bank",
        /// Problem `sitting.case_does_not_serve`: `case`, `position`, `positions`.
        SittingCaseDoesNotServe => "sitting.case_does_not_serve",
        /// Problem `sitting.case_unknown`.
        SittingCaseUnknown => "sitting.case_unknown",
        /// Problem `sitting.case_row_unknown`: `id`.
        SittingCaseRowUnknown => "sitting.case_row_unknown",
        /// Problem `sitting.evaluated`.
        SittingEvaluated => "sitting.evaluated",
        /// Problem `sitting.other_version`.
        SittingOtherVersion => "sitting.other_version",
        /// Problem `sitting.position_unknown`: `position`.
        SittingPositionUnknown => "sitting.position_unknown",
        /// Problem `sitting.no_case`.
        SittingNoCase => "sitting.no_case",
        /// Problem `sitting.position_evaluated`: `number`, `position`.
        SittingPositionEvaluated => "sitting.position_evaluated",
        /// Problem `sitting.case_not_in_organiser_bank`: `case`.
        SittingCaseNotInOrganiserBank => "sitting.case_not_in_organiser_bank",
        /// Problem `sitting.no_such_version`: `case`, `version`, `versions`.
        SittingNoSuchVersion => "sitting.no_such_version",
        /// Problem `sitting.no_ready_version`: `case`, `versions`.
        SittingNoReadyVersion => "sitting.no_ready_version",
        /// Problem `sitting.several_versions`: `case`, `versions`.
        SittingSeveralVersions => "sitting.several_versions",
        /// Problem `sitting.candidate_not_sitting`: `number`.
        SittingCandidateNotSitting => "sitting.candidate_not_sitting",
        /// Problem `sitting.candidate_not_enrolled`: `number`.
        SittingCandidateNotEnrolled => "sitting.candidate_not_enrolled",
        /// Problem `sitting.number_invalid`: `number`.
        SittingNumberInvalid => "sitting.number_invalid",
        /// Problem `sitting.position_unknown_listed`: `position`, `positions`.
        SittingPositionUnknownListed => "sitting.position_unknown_listed",
        /// Problem `sitting.line_repeats`: `line`, `number`, `position`.
        SittingLineRepeats => "sitting.line_repeats",
        /// Problem `sitting.line_other_version`: `line`.
        SittingLineOtherVersion => "sitting.line_other_version",
        /// Problem `sitting.session_other_version`: `case`.
        SittingSessionOtherVersion => "sitting.session_other_version",
        /// Problem `sitting.no_row`.
        SittingNoRow => "sitting.no_row",
        /// Problem `session_create.document_not_in_bank`.
        SessionDocumentNotInBank => "session_create.document_not_in_bank",
        /// Problem `session_create.document_draft`: `id`, `version`.
        SessionDocumentDraft => "session_create.document_draft",
        /// Problem `session_create.rubric_id_mismatch`: `found`, `id`.
        SessionRubricIdMismatch => "session_create.rubric_id_mismatch",
        /// Problem `session_create.rubric_missing`: `id`.
        SessionRubricMissing => "session_create.rubric_missing",
        /// Problem `session_create.trainer_no_school`.
        SessionTrainerNoSchool => "session_create.trainer_no_school",
        /// Problem `session_create.official_board_only`.
        SessionOfficialBoardOnly => "session_create.official_board_only",
        /// Problem `session_create.mock_by_trainer`.
        SessionMockByTrainer => "session_create.mock_by_trainer",
        /// Problem `session_create.name_length`.
        SessionNameLength => "session_create.name_length",
        /// Problem `session_create.exam_date_form`.
        SessionExamDateForm => "session_create.exam_date_form",
        /// Problem `session_create.catalogue_unknown`: `id`.
        SessionCatalogueUnknown => "session_create.catalogue_unknown",
        /// Problem `enrol.no_candidate`.
        EnrolNoCandidate => "enrol.no_candidate",
        /// Problem `panel.part_unknown_listed`: `part`, `parts`.
        PanelPartUnknownListed => "panel.part_unknown_listed",
        /// Problem `panel.part_unknown`: `part`.
        PanelPartUnknown => "panel.part_unknown",
        /// Problem `panel.empty`.
        PanelEmpty => "panel.empty",
        /// Problem `panel.name_form`.
        PanelNameForm => "panel.name_form",
        /// Problem `panel.name_twice`: `name`.
        PanelNameTwice => "panel.name_twice",
        /// Problem `panel.item_not_position`: `item`.
        PanelItemNotPosition => "panel.item_not_position",
        /// Problem `panel.item_not_criterion`: `item`.
        PanelItemNotCriterion => "panel.item_not_criterion",
        /// Problem `panel.estimate_missing_each`: `item`.
        PanelEstimateMissingEach => "panel.estimate_missing_each",
        /// Problem `panel.not_number`: `text`.
        PanelNotNumber => "panel.not_number",
        /// Problem `panel.negative`: `text`.
        PanelNegative => "panel.negative",
        /// Problem `panel.above_max`: `item`, `max`, `text`.
        PanelAboveMax => "panel.above_max",
        /// Problem `panel.probability`: `text`.
        PanelProbability => "panel.probability",
        /// Problem `panel.range_points`: `max`, `text`.
        PanelRangePoints => "panel.range_points",
        /// Problem `panel.range_percent`: `max`, `text`.
        PanelRangePercent => "panel.range_percent",
        /// Problem `panel.range_not_number`: `text`.
        PanelRangeNotNumber => "panel.range_not_number",
        /// Problem `panel.cut_order`.
        PanelCutOrder => "panel.cut_order",
        /// Problem `panel.fail_order`.
        PanelFailOrder => "panel.fail_order",
        /// Problem `panel.header_unreadable`: `error`.
        PanelHeaderUnreadable => "panel.header_unreadable",
        /// Problem `panel.file_empty`.
        PanelFileEmpty => "panel.file_empty",
        /// Problem `panel.no_member_column`.
        PanelNoMemberColumn => "panel.no_member_column",
        /// Problem `panel.member_name_missing`.
        PanelMemberNameMissing => "panel.member_name_missing",
        /// Problem `panel.line_unreadable`: `error`.
        PanelLineUnreadable => "panel.line_unreadable",
        /// Problem `panel.cell_count`: `count`, `expected`.
        PanelCellCount => "panel.cell_count",
        /// Problem `panel.item_missing`.
        PanelItemMissing => "panel.item_missing",
        /// Problem `panel.row_twice`: `row`.
        PanelRowTwice => "panel.row_twice",
        /// Problem `panel.item_twice`: `item`.
        PanelItemTwice => "panel.item_twice",
        /// Problem `panel.estimate_missing`: `item`.
        PanelEstimateMissing => "panel.estimate_missing",
        /// Problem `panel.range_missing`: `row`.
        PanelRangeMissing => "panel.range_missing",
        /// Problem `panel.no_item`.
        PanelNoItem => "panel.no_item",
        /// Problem `panel.none`.
        PanelNone => "panel.none",
        /// Problem `panel.angoff_no_draft`.
        PanelAngoffNoDraft => "panel.angoff_no_draft",
        /// Problem `panel.hofstee_no_draft`.
        PanelHofsteeNoDraft => "panel.hofstee_no_draft",
        /// Problem `what_if.part_twice`: `first`, `part`.
        WhatIfPartTwice => "what_if.part_twice",
        /// Problem `what_if.part_unknown`: `part`, `parts`.
        WhatIfPartUnknown => "what_if.part_unknown",
        /// Problem `what_if.weight`: `max`, `part`, `weight`.
        WhatIfWeight => "what_if.weight",
        /// Problem `self_assessment.candidate_only`.
        SelfAssessmentCandidateOnly => "self_assessment.candidate_only",
        /// Problem `self_assessment.criterion_unknown`: `criterion`.
        SelfAssessmentCriterionUnknown => "self_assessment.criterion_unknown",
        /// Problem `self_assessment.level`.
        SelfAssessmentLevel => "self_assessment.level",
        /// Problem `submission.not_pdf`.
        SubmissionNotPdf => "submission.not_pdf",
        /// Problem `submission.file_name`.
        SubmissionFileName => "submission.file_name",
        /// Problem `submission.evaluated`.
        SubmissionEvaluated => "submission.evaluated",
        /// Problem `submission.deadline_form`.
        SubmissionDeadlineForm => "submission.deadline_form",
        /// Problem `submission.deadline_past`.
        SubmissionDeadlinePast => "submission.deadline_past",
        /// Problem `submission.not_sitting`.
        SubmissionNotSitting => "submission.not_sitting",
        /// Problem `reminder.no_smtp`.
        ReminderNoSmtp => "reminder.no_smtp",
        /// Problem `reminder.nothing_pending`: `name`.
        ReminderNothingPending => "reminder.nothing_pending",
        /// Problem `totp.code_wrong`.
        TotpCodeWrong => "totp.code_wrong",
        /// Problem `totp.active`.
        TotpActive => "totp.active",
        /// Problem `totp.mandatory`.
        TotpMandatory => "totp.mandatory",
        /// Problem `password.too_short`.
        PasswordTooShort => "password.too_short",
        /// Problem `password.too_long`.
        PasswordTooLong => "password.too_long",
        /// Problem `password.has_username`.
        PasswordHasUsername => "password.has_username",
        /// Problem `password.too_common`.
        PasswordTooCommon => "password.too_common",
        /// Problem `account.role_trainer_school`.
        AccountRoleTrainerSchool => "account.role_trainer_school",
        /// Problem `account.role_school`.
        AccountRoleSchool => "account.role_school",
        /// Problem `account.role_candidate`.
        AccountRoleCandidate => "account.role_candidate",
        /// Problem `account.email_invalid`: `email`.
        AccountEmailInvalid => "account.email_invalid",
        /// Problem `account.no_smtp`.
        AccountNoSmtp => "account.no_smtp",
        /// Problem `account.no_email`: `username`.
        AccountNoEmail => "account.no_email",
        /// Problem `account.mail_failed`: `reason`.
        AccountMailFailed => "account.mail_failed",
        /// Problem `case_bank.attachment_not_stored`.
        CaseBankAttachmentNotStored => "case_bank.attachment_not_stored",
        /// Problem `case_bank.version_taken`.
        CaseBankVersionTaken => "case_bank.version_taken",
        /// Problem `case_bank.attachment_not_attached`.
        CaseBankAttachmentNotAttached => "case_bank.attachment_not_attached",
        /// Problem `case_bank.version_used`.
        CaseBankVersionUsed => "case_bank.version_used",
        /// Problem `case_bank.state_change`: `from`, `to`.
        CaseBankStateChange => "case_bank.state_change",
        /// Problem `case_bank.release_unpublished`.
        CaseBankReleaseUnpublished => "case_bank.release_unpublished",
        /// Problem `case_bank.not_export`.
        CaseBankNotExport => "case_bank.not_export",
        /// Problem `case_bank.file_too_large`.
        CaseBankFileTooLarge => "case_bank.file_too_large",
        /// Problem `case_bank.base64_unreadable`.
        CaseBankBase64Unreadable => "case_bank.base64_unreadable",
        /// Problem `case_bank.sha256_mismatch`.
        CaseBankSha256Mismatch => "case_bank.sha256_mismatch",
        /// Problem `case_bank.file_type`.
        CaseBankFileType => "case_bank.file_type",
        /// Problem `case_bank.attachment_missing`.
        CaseBankAttachmentMissing => "case_bank.attachment_missing",
        /// Problem `case_bank.attachment_mismatch`.
        CaseBankAttachmentMismatch => "case_bank.attachment_mismatch",
        /// Problem `case_bank.file_type_sniffed`.
        CaseBankFileTypeSniffed => "case_bank.file_type_sniffed",
        /// Problem `case_bank.already_attached`.
        CaseBankAlreadyAttached => "case_bank.already_attached",
        /// Problem `plan.too_many`: `max`.
        PlanTooManyItems => "plan.too_many",
        /// Problem `plan.competence_unknown`: `competence`.
        PlanCompetenceUnknown => "plan.competence_unknown",
        /// Problem `plan.competence_twice`: `competence`.
        PlanCompetenceTwice => "plan.competence_twice",
        /// Problem `plan.goal_required`.
        PlanGoalRequired => "plan.goal_required",
        /// Problem `plan.due_form`: `text`.
        PlanDueForm => "plan.due_form",
        /// Problem `plan.comment_required`.
        PlanCommentRequired => "plan.comment_required",
        /// Problem `plan.consultation_closed`.
        PlanConsultationClosed => "plan.consultation_closed",
        /// Problem `document_bank.version_used`.
        DocumentBankVersionUsed => "document_bank.version_used",
        /// Problem `document_bank.version_taken`.
        DocumentBankVersionTaken => "document_bank.version_taken",
        /// Problem `document_bank.scheme_unknown`.
        DocumentBankSchemeUnknown => "document_bank.scheme_unknown",
        /// Problem `document_bank.not_scheme`.
        DocumentBankNotScheme => "document_bank.not_scheme",
        /// Problem `document_bank.used_by_hand`.
        DocumentBankUsedByHand => "document_bank.used_by_hand",
        /// Problem `document_bank.version_form`.
        DocumentBankVersionForm => "document_bank.version_form",
        /// Problem `document_bank.session_unknown`.
        DocumentBankSessionUnknown => "document_bank.session_unknown",
        /// Problem `document_bank.versions_taken`: `version`.
        DocumentBankVersionsTaken => "document_bank.versions_taken",
        /// Problem `arbitration.part_unknown`.
        ArbitrationPartUnknown => "arbitration.part_unknown",
        /// Problem `arbitration.part_not_arbitrated`: `part`.
        ArbitrationPartNotArbitrated => "arbitration.part_not_arbitrated",
        /// Problem `arbitration.position_unknown`.
        ArbitrationPositionUnknown => "arbitration.position_unknown",
        /// Problem `arbitration.examiner_unknown`.
        ArbitrationExaminerUnknown => "arbitration.examiner_unknown",
        /// Problem `agreed.justification_too_long`: `max`.
        AgreedJustificationTooLong => "agreed.justification_too_long",
        /// Problem `agreed.justification_required`.
        AgreedJustificationRequired => "agreed.justification_required",
        /// Problem `agreed.not_agreed_mode`: `mode`, `part`.
        AgreedNotAgreedMode => "agreed.not_agreed_mode",
        /// Problem `correction.reason_required`.
        CorrectionReasonRequired => "correction.reason_required",
        /// Problem `correction.not_sat`.
        CorrectionNotSat => "correction.not_sat",
        /// Problem `correction.keeps_decision`.
        CorrectionKeepsDecision => "correction.keeps_decision",
        /// Problem `correction.reject_reason_required`.
        CorrectionRejectReasonRequired => "correction.reject_reason_required",
        /// Problem `scoring.no_candidate`.
        ScoringNoCandidate => "scoring.no_candidate",
        /// Problem `candidate_status.unknown`: `allowed`.
        CandidateStatusUnknown => "candidate_status.unknown",
        /// Problem `examiner_history.session_number`: `text`.
        ExaminerHistorySessionNumber => "examiner_history.session_number",
        /// Problem `examiner_history.sessions_unknown`: `known`, `unknown`, `username`.
        ExaminerHistorySessionsUnknown => "examiner_history.sessions_unknown",
        /// Problem `examiner_history.sessions_none`: `unknown`, `username`.
        ExaminerHistorySessionsNone => "examiner_history.sessions_none",
        /// Problem `accommodation.extra_minutes`.
        AccommodationExtraMinutes => "accommodation.extra_minutes",
        /// Problem `accommodation.needs_name`.
        AccommodationNeedsName => "accommodation.needs_name",
        /// Problem `reopen.reason_required`.
        ReopenReasonRequired => "reopen.reason_required",
        /// Problem `school.name_length`.
        SchoolNameLength => "school.name_length",
        /// Problem `exam_session.no_documents`.
        ExamSessionNoDocuments => "exam_session.no_documents",
        /// Problem `mail.language_unknown`.
        MailLanguageUnknown => "mail.language_unknown",
        /// Problem `csv.decode.workbook`.
        CsvDecodeWorkbook => "csv.decode.workbook",
        /// Problem `csv.decode.not_text`: `code`, `column`, `encoding`, `line`.
        CsvDecodeNotText => "csv.decode.not_text",
        /// Problem `csv.encoding_name.utf8`.
        CsvEncodingNameUtf8 => "csv.encoding_name.utf8",
        /// Problem `csv.encoding_name.utf8_bom`.
        CsvEncodingNameUtf8Bom => "csv.encoding_name.utf8_bom",
        /// Problem `csv.encoding_name.utf16le`.
        CsvEncodingNameUtf16Le => "csv.encoding_name.utf16le",
        /// Problem `csv.encoding_name.utf16be`.
        CsvEncodingNameUtf16Be => "csv.encoding_name.utf16be",
        /// Problem `csv.encoding_name.windows1252`.
        CsvEncodingNameWindows1252 => "csv.encoding_name.windows1252",
        /// Problem `account.disabled`.
        AccountDisabled => "account.disabled",
        /// Problem `account.username_form`.
        AccountUsernameForm => "account.username_form",
        /// Problem `account.number_role_candidate`.
        AccountNumberRoleCandidate => "account.number_role_candidate",
        /// Problem `account.school_id_unknown`.
        AccountSchoolIdUnknown => "account.school_id_unknown",
        /// Problem `account.number_not_in_register`.
        AccountNumberNotInRegister => "account.number_not_in_register",
        /// Problem `sitting.warning_author`: `names`.
        SittingWarningAuthor => "sitting.warning_author",
        /// Problem `sitting.warning_sat_before`.
        SittingWarningSatBefore => "sitting.warning_sat_before",
        /// Problem `translation.file_language`: `language`.
        TranslationFileLanguage => "translation.file_language",
        /// Problem `password.current_wrong`.
        PasswordCurrentWrong => "password.current_wrong",
        /// A query string refused as a whole: serde's `error` (a message).
        QueryInvalid => "query.invalid",
        /// The query `parameter` is required.
        QueryRequired => "query.required",
        /// The query `parameter` has the value `found`; the values `allowed`.
        QueryValueAllowed => "query.value_allowed",
        /// The query `parameter` has a wrong value; the values `allowed`.
        QueryValueAllowedUnseen => "query.value_allowed_unseen",
        /// The query `parameter` has the value `found`; `expected` (a
        /// message) is expected.
        QueryValueExpected => "query.value_expected",
        /// The query `parameter` has a wrong value; `expected` is expected.
        QueryValueExpectedUnseen => "query.value_expected_unseen",
        /// The query `parameter` has the value `found`: serde's `error`.
        QueryValueError => "query.value_error",
        /// The query `parameter` has a wrong value: serde's `error`.
        QueryValueErrorUnseen => "query.value_error_unseen",
        /// A `kind` (a JSON type message) from `minimum` to `maximum`.
        QueryExpectedRange => "query.expected.range",
        /// A `kind` at least 0.
        QueryExpectedNonNegative => "query.expected.non_negative",
        /// A `kind` at least `minimum`.
        QueryExpectedAtLeast => "query.expected.at_least",
        /// A `kind` at most `maximum`.
        QueryExpectedAtMost => "query.expected.at_most",
        /// The `If-Match` header `found` is not a version.
        IfMatchForm => "if_match.form",
        /// The `If-Match` header is not a version (and not readable text).
        IfMatchFormUnreadable => "if_match.form_unreadable",
        /// An `examiner` rates more severely than the experts of `panel` (a
        /// message), by `logits` and `z` standard errors.
        QualityFlagSevere => "quality.flag_severe",
        /// As `quality.flag_severe`, with the grade `effect` at the pass mark.
        QualityFlagSevereEffect => "quality.flag_severe_effect",
        /// An `examiner` rates more leniently than the experts of `panel`.
        QualityFlagLenient => "quality.flag_lenient",
        /// As `quality.flag_lenient`, with the grade `effect` at the pass mark.
        QualityFlagLenientEffect => "quality.flag_lenient_effect",
        /// The experts of the exam `part`, as a flag compares with them.
        QualityPanelPart => "quality.panel.part",
        /// The experts of the pooled sessions, as a flag compares with them.
        QualityPanelSessions => "quality.panel.sessions",
        /// A part's model not estimated: disconnected groups.
        QualityModelDisconnected => "quality.model.disconnected",
        /// A part's model not estimated: facets confounded.
        QualityModelConfounded => "quality.model.confounded",
        /// A part's model not estimated: nothing left after exclusions.
        QualityModelNothingToEstimate => "quality.model.nothing_to_estimate",
        /// A part's model not estimated: the statistics' `error`.
        QualityModelInput => "quality.model.input",
        /// Left out of a model: no rating with a level.
        QualityExcludedNoRatings => "quality.excluded.no_ratings",
        /// Left out of a model: every rating concerns excluded elements.
        QualityExcludedNoRatingsLeft => "quality.excluded.no_ratings_left",
        /// Left out of a model: every rating at the lowest level.
        QualityExcludedAllLowest => "quality.excluded.all_lowest",
        /// Left out of a model: every rating at the highest level.
        QualityExcludedAllHighest => "quality.excluded.all_highest",
        /// Left out of a model: a criterion of one level.
        QualityExcludedSingleLevel => "quality.excluded.single_level",
        /// Left out of a model: one level used on the scale.
        QualityExcludedSingleCategoryUsed => "quality.excluded.single_category_used",
        /// A case version given on a line of a file is a draft.
        SittingCaseDraft => "sitting.case_draft",
        /// A case version given on a line of a file was never used.
        SittingCaseUnused => "sitting.case_unused",
        /// A case version given on a line of a file is used or released.
        SittingCaseFrozen => "sitting.case_frozen",
    }
}

impl std::fmt::Display for MessageCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
