//! The grade calculator: points to a grade, weighted means and rounding
//! (half up, up or down), each returning its explanation. The engine uses these
//! functions and nothing else for arithmetic on grades, and a command line
//! can call them directly.
//!
//! Every operation is checked: a value too large for a decimal gives a
//! [`CalcError`], never a panic.

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::decimal::{decimal_schema, display, optional_decimal_schema};
use crate::message::{Message, MessageCode};
use crate::scheme::{Conversion, GradingScheme, RoundingDirection};

/// Why a calculation could not be made. Its words are a [`Message`]
/// (codes `calc.*`, see [`CalcError::message`]); `Display` gives its
/// French text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalcError {
    /// The maximum points are zero or negative.
    MaxNotPositive(String),
    /// The points lie outside `[0, maximum]`.
    PointsOutOfRange {
        /// The points given.
        points: String,
        /// The maximum.
        max: String,
    },
    /// A mean of nothing.
    EmptyMean,
    /// Grades and weights differ in number.
    LengthMismatch {
        /// How many grades.
        grades: usize,
        /// How many weights.
        weights: usize,
    },
    /// A weight is zero or negative.
    WeightNotPositive(String),
    /// A rounding step is zero or negative.
    StepNotPositive(String),
    /// A value exceeded what a decimal holds.
    Overflow,
}

impl CalcError {
    /// This error as a message: its code and the values it names (the
    /// numbers as exact decimal text).
    pub fn message(&self) -> Message {
        match self {
            CalcError::MaxNotPositive(max) => Message::new(MessageCode::CalcMaxNotPositive).with("max", max),
            CalcError::PointsOutOfRange { points, max } => {
                Message::new(MessageCode::CalcPointsOutOfRange).with("points", points).with("max", max)
            }
            CalcError::EmptyMean => Message::new(MessageCode::CalcEmptyMean),
            CalcError::LengthMismatch { grades, weights } => Message::new(MessageCode::CalcLengthMismatch)
                .with("grades", grades.to_string())
                .with("weights", weights.to_string()),
            CalcError::WeightNotPositive(weight) => {
                Message::new(MessageCode::CalcWeightNotPositive).with("weight", weight)
            }
            CalcError::StepNotPositive(step) => {
                Message::new(MessageCode::CalcStepNotPositive).with("step", step)
            }
            CalcError::Overflow => Message::new(MessageCode::CalcOverflow),
        }
    }
}

/// The French text of the error (see [`crate::french_text`]).
impl std::fmt::Display for CalcError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message().french())
    }
}

impl std::error::Error for CalcError {}

/// One rounding, as shown in an explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RoundingStep {
    /// The step rounded to (0.5 for half grades, 0.1 for tenths).
    #[schemars(schema_with = "decimal_schema")]
    pub step: Decimal,
    /// The value before rounding.
    #[schemars(schema_with = "decimal_schema")]
    pub before: Decimal,
    /// The value after rounding, written with the decimals of the step
    /// (at least one: `4.0`, `4.5`, `4.25` at step 0.25).
    #[schemars(schema_with = "decimal_schema")]
    pub after: Decimal,
    /// The direction: `half_up`, `up` or `down`.
    #[serde(default)]
    pub direction: RoundingDirection,
    /// The rule, in French, e.g. "arrondi à la demi-note, demi vers le haut"
    /// or "arrondi à la demi-note supérieure" (empty when the calculation
    /// was not explained).
    pub rule: String,
    /// `rule`, as a code and its arguments (absent where `rule` is empty,
    /// and in results stored before it existed: [`RoundingStep::rule_message`]
    /// gives it from `step` and `direction` anyway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_message: Option<Message>,
}

impl RoundingStep {
    /// The rule as a message, as sent or from `step` and `direction`.
    pub fn rule_message(&self) -> Message {
        self.rule_message.clone().unwrap_or_else(|| rounding_rule_message(self.step, self.direction))
    }
}

/// A grade computed from points, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExplainedGrade {
    /// The points achieved.
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// The maximum points.
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// The conversion used, in French words.
    pub conversion: String,
    /// `conversion`, as a code and its arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion_message: Option<Message>,
    /// The formula with its numbers, e.g. `1 + (6 − 1) × 17 / 20`.
    pub formula: String,
    /// `formula`, as a code and its arguments, where it has words (a
    /// table of thresholds); absent where it is arithmetic only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula_message: Option<Message>,
    /// The exact grade before rounding.
    #[schemars(schema_with = "decimal_schema")]
    pub unrounded: Decimal,
    /// The rounding applied.
    pub rounding: RoundingStep,
    /// Set when the rounded grade had to be brought back into the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub clamped_from: Option<Decimal>,
    /// The grade, with the decimals of the position step (at least one).
    #[schemars(schema_with = "decimal_schema")]
    pub grade: Decimal,
}

/// One term of a weighted mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WeightedTerm {
    /// The grade (already rounded at its own step).
    #[schemars(schema_with = "decimal_schema")]
    pub grade: Decimal,
    /// Its weight.
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
}

/// The formula of a conversion: arithmetic, or words (a table).
enum Formula {
    Text(String),
    Message(Option<Message>),
}

/// A weighted mean with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExplainedMean {
    /// The terms, in order.
    pub terms: Vec<WeightedTerm>,
    /// Σ grade × weight.
    #[schemars(schema_with = "decimal_schema")]
    pub weighted_sum: Decimal,
    /// Σ weight.
    #[schemars(schema_with = "decimal_schema")]
    pub total_weight: Decimal,
    /// The formula with its numbers, e.g. `(4.5 × 1 + 3.5 × 1) / 2`.
    pub formula: String,
    /// The exact mean before rounding.
    #[schemars(schema_with = "decimal_schema")]
    pub unrounded: Decimal,
    /// The rounding applied.
    pub rounding: RoundingStep,
    /// The mean, rounded, with the decimals of the step (at least one).
    #[schemars(schema_with = "decimal_schema")]
    pub value: Decimal,
}

/// Rounds half up to a multiple of `step`: divide by the step, round to a
/// whole number with ties away from zero, multiply back. Grades are
/// positive, so "away from zero" is "up": 3.75 → 4.0 at step 0.5, 3.85 →
/// 3.9 at step 0.1. The result has no trailing zeros.
pub fn round_half_up(value: Decimal, step: Decimal) -> Result<Decimal, CalcError> {
    round(value, step, RoundingDirection::HalfUp)
}

/// Rounds to a multiple of `step` in `direction`: half up (see
/// [`round_half_up`]), up (the multiple at or above: 3.6 → 4.0 at step
/// 0.5) or down (the multiple at or below: 3.9 → 3.5). The result has no
/// trailing zeros.
pub fn round(value: Decimal, step: Decimal, direction: RoundingDirection) -> Result<Decimal, CalcError> {
    if step <= Decimal::ZERO {
        return Err(CalcError::StepNotPositive(display(step)));
    }
    let steps = value.checked_div(step).ok_or(CalcError::Overflow)?;
    let strategy = match direction {
        RoundingDirection::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundingDirection::Up => RoundingStrategy::ToPositiveInfinity,
        RoundingDirection::Down => RoundingStrategy::ToNegativeInfinity,
    };
    let whole = steps.round_dp_with_strategy(0, strategy);
    Ok(whole.checked_mul(step).ok_or(CalcError::Overflow)?.normalize())
}

/// How many decimals a grade rounded at `step` is written with: those of
/// the step, at least one (step 0.5 or 1 → `4.0`, step 0.25 → `4.25`).
pub fn grade_decimals(step: Decimal) -> u32 {
    step.normalize().scale().max(1)
}

/// `value` written with the decimals of a grade rounded at `step` (see
/// [`grade_decimals`]): the same number, so that JSON and tables print it
/// alike (`4.0`, never `4`). A value with more decimals is left as it is.
pub fn at_step_decimals(value: Decimal, step: Decimal) -> Decimal {
    let mut value = value.normalize();
    let decimals = grade_decimals(step);
    if value.scale() < decimals {
        value.rescale(decimals);
    }
    value
}

/// Whether `value` is a multiple of `step` (a positive step).
pub fn on_step(value: Decimal, step: Decimal) -> bool {
    step > Decimal::ZERO && value.checked_rem(step).is_some_and(|rest| rest.is_zero())
}

/// The French name of a rounding at `step` in `direction`: "arrondi à la
/// demi-note, demi vers le haut", "arrondi à la demi-note supérieure",
/// "arrondi au dixième inférieur".
pub fn rounding_rule(step: Decimal, direction: RoundingDirection) -> String {
    rounding_rule_message(step, direction).french()
}

/// A rounding at `step` in `direction` as a message: a code per direction
/// and step (half grade, tenth, whole grade, any other `step`).
pub fn rounding_rule_message(step: Decimal, direction: RoundingDirection) -> Message {
    use MessageCode::*;
    let codes = match direction {
        RoundingDirection::HalfUp => {
            [RoundingHalfUpHalf, RoundingHalfUpTenth, RoundingHalfUpWhole, RoundingHalfUpStep]
        }
        RoundingDirection::Up => [RoundingUpHalf, RoundingUpTenth, RoundingUpWhole, RoundingUpStep],
        RoundingDirection::Down => [RoundingDownHalf, RoundingDownTenth, RoundingDownWhole, RoundingDownStep],
    };
    if step == Decimal::new(5, 1) {
        Message::new(codes[0])
    } else if step == Decimal::new(1, 1) {
        Message::new(codes[1])
    } else if step == Decimal::ONE {
        Message::new(codes[2])
    } else {
        Message::new(codes[3]).with("step", display(step))
    }
}

/// Rounds half up with an explanation.
pub fn explain_rounding(value: Decimal, step: Decimal) -> Result<RoundingStep, CalcError> {
    explain_rounding_in(value, step, RoundingDirection::HalfUp)
}

/// Rounds in `direction` with an explanation.
pub fn explain_rounding_in(
    value: Decimal,
    step: Decimal,
    direction: RoundingDirection,
) -> Result<RoundingStep, CalcError> {
    rounding_with(value, step, direction, true)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, CalcError> {
    a.checked_add(b).ok_or(CalcError::Overflow)
}
fn sub(a: Decimal, b: Decimal) -> Result<Decimal, CalcError> {
    a.checked_sub(b).ok_or(CalcError::Overflow)
}
fn mul(a: Decimal, b: Decimal) -> Result<Decimal, CalcError> {
    a.checked_mul(b).ok_or(CalcError::Overflow)
}
fn div(a: Decimal, b: Decimal) -> Result<Decimal, CalcError> {
    a.checked_div(b).ok_or(CalcError::Overflow)
}

/// Converts points to a position grade by the scheme's scale, conversion
/// and position rounding step, and explains it.
pub fn points_to_grade(
    points: Decimal,
    max_points: Decimal,
    scheme: &GradingScheme,
) -> Result<ExplainedGrade, CalcError> {
    points_to_grade_with(points, max_points, scheme, true)
}

/// [`points_to_grade`]; without `explain`, the same numbers with the texts
/// (`conversion`, `formula`, the rounding rule) left empty, for callers
/// that print only grades.
pub(crate) fn points_to_grade_with(
    points: Decimal,
    max_points: Decimal,
    scheme: &GradingScheme,
    explain: bool,
) -> Result<ExplainedGrade, CalcError> {
    if max_points <= Decimal::ZERO {
        return Err(CalcError::MaxNotPositive(display(max_points)));
    }
    if points < Decimal::ZERO || points > max_points {
        return Err(CalcError::PointsOutOfRange { points: display(points), max: display(max_points) });
    }
    let scale = &scheme.scale;
    let (min, max, pass) = (scale.min, scale.max, scale.pass_mark);
    // The texts, built only when explaining.
    let text = |build: &dyn Fn() -> String| if explain { build() } else { String::new() };
    let (p, m) = (text(&|| display(points)), text(&|| display(max_points)));
    let (conversion, formula, unrounded) = match &scheme.conversion {
        Conversion::Linear => {
            let value = add(min, div(mul(sub(max, min)?, points)?, max_points)?)?;
            (
                Message::new(MessageCode::ConversionLinear),
                Formula::Text(text(&|| {
                    format!("{} + ({} − {}) × {p} / {m}", display(min), display(max), display(min))
                })),
                value,
            )
        }
        Conversion::TwoPiece { pass_fraction } => {
            let fraction = div(points, max_points)?;
            let f = text(&|| display(*pass_fraction));
            // Said only when explaining: building it writes two numbers.
            let conversion = if explain {
                Message::new(MessageCode::ConversionTwoPiece)
                    .with("pass", display(pass))
                    .with("fraction", display(*pass_fraction))
            } else {
                Message::new(MessageCode::ConversionTwoPiece)
            };
            if fraction <= *pass_fraction {
                let value = add(min, div(mul(sub(pass, min)?, fraction)?, *pass_fraction)?)?;
                let formula = text(&|| {
                    format!(
                        "{p} / {m} = {} ≤ {f} : {} + ({} − {}) × {} / {f}",
                        display(fraction),
                        display(min),
                        display(pass),
                        display(min),
                        display(fraction)
                    )
                });
                (conversion, Formula::Text(formula), value)
            } else {
                let above = sub(fraction, *pass_fraction)?;
                let span = sub(Decimal::ONE, *pass_fraction)?;
                let value = add(pass, div(mul(sub(max, pass)?, above)?, span)?)?;
                let formula = text(&|| {
                    format!(
                        "{p} / {m} = {} > {f} : {} + ({} − {}) × ({} − {f}) / (1 − {f})",
                        display(fraction),
                        display(pass),
                        display(max),
                        display(pass),
                        display(fraction)
                    )
                });
                (conversion, Formula::Text(formula), value)
            }
        }
        Conversion::Table { max_points: table_max, thresholds } => {
            let scaled =
                if *table_max == max_points { points } else { div(mul(points, *table_max)?, max_points)? };
            let reached = thresholds.iter().rev().find(|threshold| threshold.min_points <= scaled);
            let grade = reached.map(|threshold| threshold.grade).unwrap_or(min);
            let formula = explain.then(|| {
                let scaled_message = if *table_max == max_points {
                    Message::new(MessageCode::FormulaTablePoints)
                } else {
                    Message::new(MessageCode::FormulaTablePointsScaled)
                        .with("table", display(*table_max))
                        .with("scaled", display(scaled))
                }
                .with("points", display(points))
                .with("max", display(max_points));
                match reached {
                    Some(threshold) => Message::new(MessageCode::FormulaTableReached)
                        .with("threshold", display(threshold.min_points)),
                    None => Message::new(MessageCode::FormulaTableNoneReached),
                }
                .with_message("points", scaled_message)
                .with("grade", display(grade))
            });
            (Message::new(MessageCode::ConversionTable), Formula::Message(formula), grade)
        }
    };
    // The formula of a table has words; the others are arithmetic.
    let (formula, formula_message) = match formula {
        Formula::Text(text) => (text, None),
        Formula::Message(message) => (message.as_ref().map(Message::french).unwrap_or_default(), message),
    };
    let conversion_message = explain.then_some(conversion);
    let conversion = conversion_message.as_ref().map(Message::french).unwrap_or_default();
    let step = scheme.rounding.position;
    let rounding = rounding_with(unrounded, step, scheme.rounding.position_direction, explain)?;
    let clamped = at_step_decimals(rounding.after.max(min).min(max), step);
    let clamped_from = (clamped != rounding.after).then_some(rounding.after);
    Ok(ExplainedGrade {
        points: points.normalize(),
        max_points: max_points.normalize(),
        conversion,
        conversion_message,
        formula,
        formula_message,
        unrounded: unrounded.normalize(),
        rounding,
        clamped_from,
        grade: clamped,
    })
}

/// [`explain_rounding_in`], with the rule's text only when explaining.
fn rounding_with(
    value: Decimal,
    step: Decimal,
    direction: RoundingDirection,
    explain: bool,
) -> Result<RoundingStep, CalcError> {
    let after = at_step_decimals(round(value, step, direction)?, step);
    let rule_message = explain.then(|| rounding_rule_message(step, direction));
    let rule = rule_message.as_ref().map(Message::french).unwrap_or_default();
    Ok(RoundingStep {
        step: step.normalize(),
        before: value.normalize(),
        after,
        direction,
        rule,
        rule_message,
    })
}

/// The weighted mean of grades, rounded half up to `step`, with its
/// explanation.
pub fn mean(grades: &[Decimal], weights: &[Decimal], step: Decimal) -> Result<ExplainedMean, CalcError> {
    mean_with(grades, weights, step, RoundingDirection::HalfUp, true)
}

/// The weighted mean of grades, rounded to `step` in `direction`, with its
/// explanation.
pub fn mean_in(
    grades: &[Decimal],
    weights: &[Decimal],
    step: Decimal,
    direction: RoundingDirection,
) -> Result<ExplainedMean, CalcError> {
    mean_with(grades, weights, step, direction, true)
}

/// [`mean_in`]; without `explain`, the same numbers with the texts
/// (`formula`, the rounding rule) left empty.
pub(crate) fn mean_with(
    grades: &[Decimal],
    weights: &[Decimal],
    step: Decimal,
    direction: RoundingDirection,
    explain: bool,
) -> Result<ExplainedMean, CalcError> {
    if grades.is_empty() {
        return Err(CalcError::EmptyMean);
    }
    if grades.len() != weights.len() {
        return Err(CalcError::LengthMismatch { grades: grades.len(), weights: weights.len() });
    }
    let mut weighted_sum = Decimal::ZERO;
    let mut total_weight = Decimal::ZERO;
    let mut terms = Vec::with_capacity(grades.len());
    let mut products = Vec::with_capacity(if explain { grades.len() } else { 0 });
    for (&grade, &weight) in grades.iter().zip(weights) {
        if weight <= Decimal::ZERO {
            return Err(CalcError::WeightNotPositive(display(weight)));
        }
        weighted_sum = add(weighted_sum, mul(grade, weight)?)?;
        total_weight = add(total_weight, weight)?;
        terms.push(WeightedTerm { grade, weight: weight.normalize() });
        if explain {
            products.push(format!("{} × {}", display(grade), display(weight)));
        }
    }
    let unrounded = div(weighted_sum, total_weight)?;
    let rounding = rounding_with(unrounded, step, direction, explain)?;
    let formula = if explain {
        format!("({}) / {}", products.join(" + "), display(total_weight))
    } else {
        String::new()
    };
    Ok(ExplainedMean {
        terms,
        weighted_sum: weighted_sum.normalize(),
        total_weight: total_weight.normalize(),
        formula,
        unrounded: unrounded.normalize(),
        value: rounding.after,
        rounding,
    })
}
