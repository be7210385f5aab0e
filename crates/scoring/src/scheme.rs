//! The grading scheme (`grading-scheme.json`): the grade scale, how points
//! become a grade, how grades are rounded, the pass rule and how two
//! examiners' evaluations are reconciled.
//!
//! Every field has a default, so the smallest valid scheme is
//! `{"id": "...", "version": "...", "title": {"fr": "..."}}`. The defaults
//! follow the Swiss federal conventions (grades 1 to 6, 4 sufficient,
//! positions in half grades, averages to one decimal, half up); the pass rule
//! of a particular exam comes from its exam regulation and must be written
//! in the file.

use crate::message::{Message, MessageCode};
use grille_competence::document::{schema_of, schema_problems};
use grille_competence::{LocalizedText, Problem, Translations};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::decimal::{
    self, LARGEST_VALUE, check_not_blank, check_range, decimal_schema, display, optional_decimal_schema,
};

/// A whole grading-scheme file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradingScheme {
    /// A stable identifier, e.g. `asp-bf-reglement-2017`.
    pub id: String,
    /// The version of this scheme; a session pins the version it used.
    pub version: String,
    /// A human title (French required).
    pub title: LocalizedText,
    /// The grade scale. Default: 1 to 6, pass mark 4.
    #[serde(default)]
    pub scale: GradeScale,
    /// How the points of a position become its grade. Default: `linear`.
    #[serde(default)]
    pub conversion: Conversion,
    /// Rounding steps. Default: positions 0.5, parts 0.1, overall 0.1.
    #[serde(default)]
    pub rounding: Rounding,
    /// The conditions for passing. Default: overall grade at least 4.0 only.
    #[serde(default)]
    pub pass_rule: PassRule,
    /// Double marking by two (or more) examiners.
    #[serde(default)]
    pub double_marking: DoubleMarking,
    /// How many attempts a candidate has in all (first attempt included).
    /// Default: 3 (the exam can be retaken twice).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// Free-text notes naming the values of this file that are assumptions
    /// still to be confirmed against the exam regulation.
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// Who translated the document's texts into German or Italian, and
    /// whether the board has checked the translation (the French text is
    /// the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Translations>,
}

/// The grade scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeScale {
    /// The lowest grade. Default: 1.
    #[serde(default = "default_min")]
    #[schemars(schema_with = "decimal_schema")]
    pub min: Decimal,
    /// The highest grade. Default: 6.
    #[serde(default = "default_max")]
    #[schemars(schema_with = "decimal_schema")]
    pub max: Decimal,
    /// The lowest sufficient grade. Default: 4.
    #[serde(default = "default_pass_mark")]
    #[schemars(schema_with = "decimal_schema")]
    pub pass_mark: Decimal,
}

impl Default for GradeScale {
    fn default() -> Self {
        GradeScale { min: default_min(), max: default_max(), pass_mark: default_pass_mark() }
    }
}

/// How the points of a position become its grade (before rounding).
///
/// Written with a `kind`: `{"kind": "linear"}`,
/// `{"kind": "two_piece", "pass_fraction": "0.55"}` or
/// `{"kind": "table", "max_points": 20, "thresholds": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Conversion {
    /// grade = min + (max − min) × points / maximum; on the 1–6 scale,
    /// 1 + 5 × points / maximum, so the pass mark 4 sits at 60 %.
    #[default]
    Linear,
    /// Two linear pieces meeting at the pass mark, reached at
    /// `pass_fraction` of the maximum: below it, min → pass mark; above it,
    /// pass mark → max.
    TwoPiece {
        /// The fraction of the maximum points that gives the pass mark,
        /// strictly between 0 and 1, e.g. `"0.55"` for 4.0 at 55 %.
        #[schemars(schema_with = "decimal_schema")]
        pass_fraction: Decimal,
    },
    /// An explicit table: the grade is that of the highest threshold the
    /// points reach. Thresholds are written for `max_points`; a position
    /// with another maximum (for instance when a criterion was not
    /// assessable) is compared proportionally: points × max_points / maximum.
    Table {
        /// The maximum the thresholds are written for.
        #[schemars(schema_with = "decimal_schema")]
        max_points: Decimal,
        /// The thresholds, from 0 points upwards.
        thresholds: Vec<Threshold>,
    },
}

/// One row of a conversion table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// The points from which this grade is given (inclusive).
    #[schemars(schema_with = "decimal_schema")]
    pub min_points: Decimal,
    /// The grade given.
    #[schemars(schema_with = "decimal_schema")]
    pub grade: Decimal,
}

/// Rounding steps and directions, at each level on the already rounded
/// values below it. By default rounding is half up (a value exactly between
/// two steps goes to the higher one: 3.75 → 4.0 at half grades, 3.85 → 3.9
/// at tenths); a level may instead round up or down, as a regulation says
/// "arrondie à la demi-note supérieure" (or "inférieure").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// The step of position grades. Default: 0.5 (whole and half grades).
    #[serde(default = "default_position_step")]
    #[schemars(schema_with = "decimal_schema")]
    pub position: Decimal,
    /// The step of part grades. Default: 0.1.
    #[serde(default = "default_mean_step")]
    #[schemars(schema_with = "decimal_schema")]
    pub part: Decimal,
    /// The step of the overall grade. Default: 0.1.
    #[serde(default = "default_mean_step")]
    #[schemars(schema_with = "decimal_schema")]
    pub overall: Decimal,
    /// How position grades are rounded to their step: `half_up`, `up` or
    /// `down`. Default: `half_up`.
    #[serde(default)]
    pub position_direction: RoundingDirection,
    /// How part grades are rounded to their step: `half_up`, `up` or
    /// `down`. Default: `half_up`.
    #[serde(default)]
    pub part_direction: RoundingDirection,
    /// How the overall grade is rounded to its step: `half_up`, `up` or
    /// `down`. Default: `half_up`.
    #[serde(default)]
    pub overall_direction: RoundingDirection,
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding {
            position: default_position_step(),
            part: default_mean_step(),
            overall: default_mean_step(),
            position_direction: RoundingDirection::default(),
            part_direction: RoundingDirection::default(),
            overall_direction: RoundingDirection::default(),
        }
    }
}

/// Which way a value between two multiples of the step goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundingDirection {
    /// To the nearest multiple; exactly half way, to the higher one
    /// ("demi vers le haut"): 3.75 → 4.0 at half grades.
    #[default]
    HalfUp,
    /// To the multiple at or above ("à la demi-note supérieure"): 3.6 → 4.0
    /// at half grades.
    Up,
    /// To the multiple at or below ("à la demi-note inférieure"): 3.9 → 3.5
    /// at half grades.
    Down,
}

/// The pass rule: the exam is passed when every condition that is set holds.
/// A condition set to `null` (or left out, for those without a default) is
/// not applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PassRule {
    /// The overall grade must be at least this. Default: 4 (`null` to drop).
    #[serde(default = "default_min_overall")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub min_overall: Option<Decimal>,
    /// At most this many part grades may lie below the pass mark.
    /// Default: not applied.
    #[serde(default)]
    pub max_insufficient_parts: Option<u32>,
    /// No part grade may lie below this. Default: not applied.
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub min_part_grade: Option<Decimal>,
    /// The sum of the shortfalls of part grades below the pass mark
    /// (pass mark − grade, over insufficient parts) may be at most this.
    /// Default: not applied.
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub max_shortfall_sum: Option<Decimal>,
    /// Ids of blueprint parts whose grade must reach the pass mark.
    /// Default: none.
    #[serde(default)]
    pub required_parts: Vec<String>,
    /// Limits on how many part grades may lie below a floor other than (or
    /// as well as) the pass mark, e.g. "at most two parts below 3.5":
    /// `[{"below": "3.5", "max": 2}]`. Each entry is a condition of its own.
    /// Default: none.
    #[serde(default)]
    pub max_parts_below: Vec<PartsBelow>,
    /// A minimum grade for particular blueprint parts, other than the pass
    /// mark, e.g. "part 1 at least 4.5": `[{"part": "1", "min": "4.5"}]`.
    /// Default: none.
    #[serde(default)]
    pub part_minimums: Vec<PartMinimum>,
    /// No position grade may lie below this (positions of parts carried
    /// from an earlier attempt are not judged: they have no grade here).
    /// Default: not applied.
    #[serde(default)]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub min_position_grade: Option<Decimal>,
    /// A minimum grade for particular blueprint positions, e.g.
    /// `[{"position": "2.1", "min": "3"}]` (not judged when the position's
    /// part is carried from an earlier attempt). Default: none.
    #[serde(default)]
    pub position_minimums: Vec<PositionMinimum>,
}

impl Default for PassRule {
    fn default() -> Self {
        PassRule {
            min_overall: default_min_overall(),
            max_insufficient_parts: None,
            min_part_grade: None,
            max_shortfall_sum: None,
            required_parts: Vec::new(),
            max_parts_below: Vec::new(),
            part_minimums: Vec::new(),
            min_position_grade: None,
            position_minimums: Vec::new(),
        }
    }
}

/// At most `max` part grades may lie below `below`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartsBelow {
    /// The floor: a part grade strictly below it counts.
    #[schemars(schema_with = "decimal_schema")]
    pub below: Decimal,
    /// How many part grades may lie below the floor.
    pub max: u32,
}

/// The grade of blueprint part `part` must be at least `min`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartMinimum {
    /// The blueprint part id.
    pub part: String,
    /// The lowest grade accepted for that part.
    #[schemars(schema_with = "decimal_schema")]
    pub min: Decimal,
}

/// The grade of blueprint position `position` must be at least `min`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PositionMinimum {
    /// The blueprint position id.
    pub position: String,
    /// The lowest grade accepted for that position.
    #[schemars(schema_with = "decimal_schema")]
    pub min: Decimal,
}

/// How the evaluations of several examiners of one position are compared
/// and reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DoubleMarking {
    /// Two position grades that differ by at least this are flagged.
    /// Default: 1 (one whole grade).
    #[serde(default = "default_discrepancy_step")]
    #[schemars(schema_with = "decimal_schema")]
    pub discrepancy_step: Decimal,
    /// Flag two position grades on either side of the pass mark, however
    /// close. Default: true.
    #[serde(default = "default_true")]
    pub flag_straddle: bool,
    /// Evaluations that give the same level on every criterion are agreed
    /// without an explicit agreed evaluation. Default: true.
    #[serde(default = "default_true")]
    pub identical_agree: bool,
}

impl Default for DoubleMarking {
    fn default() -> Self {
        DoubleMarking {
            discrepancy_step: default_discrepancy_step(),
            flag_straddle: true,
            identical_agree: true,
        }
    }
}

fn default_min() -> Decimal {
    Decimal::ONE
}
fn default_max() -> Decimal {
    Decimal::from(6)
}
fn default_pass_mark() -> Decimal {
    Decimal::from(4)
}
fn default_position_step() -> Decimal {
    Decimal::new(5, 1)
}
fn default_mean_step() -> Decimal {
    Decimal::new(1, 1)
}
fn default_min_overall() -> Option<Decimal> {
    Some(Decimal::from(4))
}
fn default_discrepancy_step() -> Decimal {
    Decimal::ONE
}
fn default_true() -> bool {
    true
}
fn default_max_attempts() -> u32 {
    3
}

impl GradingScheme {
    /// A scheme with every default and the given identity.
    pub fn with_defaults(id: &str, version: &str) -> GradingScheme {
        GradingScheme {
            id: id.to_owned(),
            version: version.to_owned(),
            title: LocalizedText::fr("Barème par défaut"),
            scale: GradeScale::default(),
            conversion: Conversion::default(),
            rounding: Rounding::default(),
            pass_rule: PassRule::default(),
            double_marking: DoubleMarking::default(),
            max_attempts: default_max_attempts(),
            assumptions: Vec::new(),
            translation: None,
        }
    }

    /// Whether a JSON object's top-level fields say it is a grading scheme:
    /// it has a field only a scheme has (`scale`, `conversion`, `rounding`,
    /// `pass_rule`, `double_marking`, `max_attempts`), or it has an `id`
    /// and every field it has is a field of a scheme. The second case is a
    /// scheme that keeps every default: `{"id", "version", "title"}`.
    /// The field names come from the scheme's JSON Schema, so a field added
    /// to the type is known here at once.
    pub fn has_scheme_fields(object: &serde_json::Map<String, Value>) -> bool {
        static FIELDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
            schema_of::<GradingScheme>()
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default()
        });
        // Fields other documents have too.
        const SHARED: [&str; 5] = ["id", "version", "title", "assumptions", "translation"];
        let own = |key: &str| FIELDS.iter().any(|field| field == key);
        let specific = object.keys().any(|key| own(key) && !SHARED.contains(&key.as_str()));
        specific || (object.contains_key("id") && object.keys().all(|key| own(key)))
    }

    /// Parses a scheme and checks it: JSON, schema, then meaning. Every
    /// problem is returned at once.
    pub fn from_json(source: &str) -> Result<GradingScheme, Vec<Problem>> {
        let scheme: GradingScheme = decimal::load_refined(source, refine_conversion_problems)?;
        let problems = scheme.check();
        if problems.is_empty() { Ok(scheme) } else { Err(problems) }
    }

    /// Every problem of meaning, each with its JSON pointer.
    pub fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_not_blank(&mut problems, "/id", &self.id, MessageCode::FieldSchemeId);
        check_not_blank(&mut problems, "/version", &self.version, MessageCode::FieldSchemeVersion);
        check_not_blank(&mut problems, "/title/fr", &self.title.fr, MessageCode::FieldTitle);

        let scale = &self.scale;
        let limit = Decimal::from(100);
        check_range(&mut problems, "/scale/min", scale.min, Decimal::ZERO, limit, MessageCode::FieldScaleMin);
        check_range(&mut problems, "/scale/max", scale.max, Decimal::ZERO, limit, MessageCode::FieldScaleMax);
        let scale_ok = scale.min < scale.pass_mark && scale.pass_mark <= scale.max;
        if !scale_ok {
            problems.push(Problem::new(
                "/scale/pass_mark",
                Message::new(MessageCode::SchemePassMark)
                    .with("pass_mark", display(scale.pass_mark))
                    .with("min", display(scale.min))
                    .with("max", display(scale.max)),
            ));
        }

        match &self.conversion {
            Conversion::Linear => {}
            Conversion::TwoPiece { pass_fraction } => {
                if *pass_fraction <= Decimal::ZERO || *pass_fraction >= Decimal::ONE {
                    problems.push(Problem::new(
                        "/conversion/pass_fraction",
                        Message::new(MessageCode::SchemePassFraction).with("value", display(*pass_fraction)),
                    ));
                }
            }
            Conversion::Table { max_points, thresholds } => {
                if *max_points <= Decimal::ZERO || *max_points > LARGEST_VALUE {
                    problems.push(Problem::new(
                        "/conversion/max_points",
                        Message::new(MessageCode::SchemeTableMax)
                            .with("value", display(*max_points))
                            .with("max", display(LARGEST_VALUE)),
                    ));
                }
                if thresholds.is_empty() {
                    problems.push(Problem::new(
                        "/conversion/thresholds",
                        Message::new(MessageCode::SchemeTableEmpty),
                    ));
                }
                if let Some(first) = thresholds.first()
                    && !first.min_points.is_zero()
                {
                    problems.push(Problem::new(
                        "/conversion/thresholds/0/min_points",
                        Message::new(MessageCode::SchemeFirstThreshold)
                            .with("value", display(first.min_points)),
                    ));
                }
                for (index, threshold) in thresholds.iter().enumerate() {
                    let pointer = format!("/conversion/thresholds/{index}");
                    if threshold.min_points > *max_points {
                        problems.push(Problem::new(
                            format!("{pointer}/min_points"),
                            Message::new(MessageCode::SchemeThresholdAboveMax)
                                .with("threshold", display(threshold.min_points))
                                .with("max", display(*max_points)),
                        ));
                    }
                    if scale_ok {
                        check_range(
                            &mut problems,
                            &format!("{pointer}/grade"),
                            threshold.grade,
                            scale.min,
                            scale.max,
                            MessageCode::FieldThresholdGrade,
                        );
                    }
                    if index > 0 {
                        let previous = &thresholds[index - 1];
                        if threshold.min_points <= previous.min_points {
                            problems.push(Problem::new(
                                format!("{pointer}/min_points"),
                                Message::new(MessageCode::SchemeThresholdsIncrease)
                                    .with("threshold", display(threshold.min_points))
                                    .with("previous", display(previous.min_points)),
                            ));
                        }
                        if threshold.grade < previous.grade {
                            problems.push(Problem::new(
                                format!("{pointer}/grade"),
                                Message::new(MessageCode::SchemeGradesDecrease)
                                    .with("grade", display(threshold.grade))
                                    .with("previous", display(previous.grade)),
                            ));
                        }
                    }
                }
            }
        }

        for (field, step) in [
            ("position", self.rounding.position),
            ("part", self.rounding.part),
            ("overall", self.rounding.overall),
        ] {
            if step <= Decimal::ZERO || step > Decimal::ONE {
                problems.push(Problem::new(
                    format!("/rounding/{field}"),
                    Message::new(MessageCode::SchemeRoundingStep).with("value", display(step)),
                ));
            }
        }

        let rule = &self.pass_rule;
        if scale_ok {
            if let Some(min_overall) = rule.min_overall {
                check_range(
                    &mut problems,
                    "/pass_rule/min_overall",
                    min_overall,
                    scale.min,
                    scale.max,
                    MessageCode::FieldMinOverall,
                );
            }
            if let Some(min_part) = rule.min_part_grade {
                check_range(
                    &mut problems,
                    "/pass_rule/min_part_grade",
                    min_part,
                    scale.min,
                    scale.max,
                    MessageCode::FieldMinPartGrade,
                );
            }
            if let Some(min_position) = rule.min_position_grade {
                check_range(
                    &mut problems,
                    "/pass_rule/min_position_grade",
                    min_position,
                    scale.min,
                    scale.max,
                    MessageCode::FieldMinPositionGrade,
                );
            }
            for (index, limit) in rule.max_parts_below.iter().enumerate() {
                check_range(
                    &mut problems,
                    &format!("/pass_rule/max_parts_below/{index}/below"),
                    limit.below,
                    scale.min,
                    scale.max,
                    MessageCode::FieldThreshold,
                );
            }
            for (index, minimum) in rule.part_minimums.iter().enumerate() {
                check_range(
                    &mut problems,
                    &format!("/pass_rule/part_minimums/{index}/min"),
                    minimum.min,
                    scale.min,
                    scale.max,
                    MessageCode::FieldPartMinimum,
                );
            }
            for (index, minimum) in rule.position_minimums.iter().enumerate() {
                check_range(
                    &mut problems,
                    &format!("/pass_rule/position_minimums/{index}/min"),
                    minimum.min,
                    scale.min,
                    scale.max,
                    MessageCode::FieldPositionMinimum,
                );
            }
        }
        for (index, limit) in rule.max_parts_below.iter().enumerate() {
            if rule.max_parts_below[..index].iter().any(|other| other.below == limit.below) {
                problems.push(Problem::new(
                    format!("/pass_rule/max_parts_below/{index}/below"),
                    Message::new(MessageCode::SchemeThresholdTwice).with("threshold", display(limit.below)),
                ));
            }
        }
        for (index, minimum) in rule.part_minimums.iter().enumerate() {
            let pointer = format!("/pass_rule/part_minimums/{index}/part");
            check_not_blank(&mut problems, &pointer, &minimum.part, MessageCode::FieldPartRef);
            if rule.part_minimums[..index].iter().any(|other| other.part == minimum.part) {
                problems.push(Problem::new(
                    pointer,
                    Message::new(MessageCode::PartTwice).with("part", minimum.part.to_string()),
                ));
            }
        }
        for (index, minimum) in rule.position_minimums.iter().enumerate() {
            let pointer = format!("/pass_rule/position_minimums/{index}/position");
            check_not_blank(&mut problems, &pointer, &minimum.position, MessageCode::FieldPositionRef);
            if rule.position_minimums[..index].iter().any(|other| other.position == minimum.position) {
                problems.push(Problem::new(
                    pointer,
                    Message::new(MessageCode::PositionTwice).with("position", minimum.position.to_string()),
                ));
            }
        }
        if let Some(sum) = rule.max_shortfall_sum {
            check_range(
                &mut problems,
                "/pass_rule/max_shortfall_sum",
                sum,
                Decimal::ZERO,
                LARGEST_VALUE,
                MessageCode::FieldMaxShortfallSum,
            );
        }
        for (index, part) in rule.required_parts.iter().enumerate() {
            check_not_blank(
                &mut problems,
                &format!("/pass_rule/required_parts/{index}"),
                part,
                MessageCode::FieldPartRef,
            );
            if rule.required_parts[..index].contains(part) {
                problems.push(Problem::new(
                    format!("/pass_rule/required_parts/{index}"),
                    Message::new(MessageCode::PartTwice).with("part", part.to_string()),
                ));
            }
        }

        if rule.min_overall.is_none()
            && rule.max_insufficient_parts.is_none()
            && rule.min_part_grade.is_none()
            && rule.max_shortfall_sum.is_none()
            && rule.required_parts.is_empty()
            && rule.max_parts_below.is_empty()
            && rule.part_minimums.is_empty()
            && rule.min_position_grade.is_none()
            && rule.position_minimums.is_empty()
        {
            problems.push(Problem::new("/pass_rule", Message::new(MessageCode::SchemeNoCondition)));
        }

        let step = self.double_marking.discrepancy_step;
        if step <= Decimal::ZERO || step > Decimal::from(100) {
            problems.push(Problem::new(
                "/double_marking/discrepancy_step",
                Message::new(MessageCode::SchemeDiscrepancyStep).with("value", display(step)),
            ));
        }
        if self.max_attempts == 0 {
            problems.push(Problem::new("/max_attempts", Message::new(MessageCode::SchemeMaxAttempts)));
        }
        for (index, note) in self.assumptions.iter().enumerate() {
            check_not_blank(
                &mut problems,
                &format!("/assumptions/{index}"),
                note,
                MessageCode::FieldAssumption,
            );
        }
        crate::translation::check(&mut problems, self.translation.as_ref(), true);
        problems
    }
}

/// Replaces the schema's generic message for a malformed `conversion`
/// ("ne correspond à aucune des formes admises") by precise ones: the
/// `kind` values allowed, and for a known `kind` the missing, unknown or
/// malformed fields with their own pointers.
fn refine_conversion_problems(document: &Value, problems: Vec<Problem>) -> Vec<Problem> {
    let Some(conversion) = document.get("conversion") else {
        return problems;
    };
    let mut refined = Vec::with_capacity(problems.len());
    for problem in problems {
        if problem.pointer == "/conversion" {
            let precise = conversion_problems(conversion);
            if !precise.is_empty() {
                // One generic problem becomes the precise ones (once).
                if !refined.iter().any(|known: &Problem| known.pointer.starts_with("/conversion")) {
                    refined.extend(precise);
                }
                continue;
            }
        }
        refined.push(problem);
    }
    refined
}

/// The precise problems of a `conversion` value (empty when it is valid).
fn conversion_problems(conversion: &Value) -> Vec<Problem> {
    let Some(fields) = conversion.as_object() else {
        return vec![Problem::new("/conversion", Message::new(MessageCode::SchemeConversionNotObject))];
    };
    let Some(kind) = fields.get("kind") else {
        return vec![Problem::new("/conversion", Message::new(MessageCode::SchemeConversionKindMissing))];
    };
    let schema = schema_of::<GradingScheme>();
    let branches = schema.pointer("/$defs/Conversion/oneOf").and_then(Value::as_array);
    let branch = branches.and_then(|branches| {
        branches.iter().find(|branch| branch.pointer("/properties/kind/const") == Some(kind))
    });
    let Some(branch) = branch else {
        return vec![Problem::new(
            "/conversion/kind",
            Message::new(MessageCode::SchemeConversionKindUnknown).with("kind", kind.to_string()),
        )];
    };
    let kind = kind.as_str().unwrap_or_default();
    let allowed: Vec<&str> = branch
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| properties.keys().map(String::as_str).collect())
        .unwrap_or_default();
    // Validate against this form alone, with the shared definitions.
    let mut form = branch.clone();
    if let (Some(form), Some(definitions)) = (form.as_object_mut(), schema.get("$defs")) {
        form.insert("$defs".to_owned(), definitions.clone());
    }
    schema_problems(&form, conversion)
        .into_iter()
        .map(|problem| {
            let message = if problem.detail.code == MessageCode::SchemaAdditionalProperties {
                Message::new(MessageCode::SchemeConversionFieldAllowed).with("allowed", allowed.join(", "))
            } else {
                Message::new(MessageCode::SchemeConversionField)
            };
            Problem::new(
                format!("/conversion{}", problem.pointer),
                message.with("kind", kind).with_message("problem", problem.detail),
            )
        })
        .collect()
}
