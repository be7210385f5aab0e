//! The pass rule: every condition judged on rounded grades, and the
//! what-if of a scheme on given part grades (`simulate`).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calc::{self};
use crate::decimal::{display, display_grade, optional_decimal_schema};
use crate::scheme::GradingScheme;

use super::{ConditionResult, PartResult};
use crate::message::{Message, MessageCode};

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
            carried_message: None,
            positions: Vec::new(),
            pending: Vec::new(),
            pending_messages: Vec::new(),
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
    let list = |items: &[(&str, Decimal)]| -> Vec<Message> {
        items
            .iter()
            .map(|(id, grade)| {
                Message::new(MessageCode::PartGrade).with("part", *id).with("grade", display_grade(*grade))
            })
            .collect()
    };
    if let Some(minimum) = rule.min_overall {
        let satisfied = overall >= minimum;
        conditions.push(condition(
            "min_overall",
            satisfied,
            Message::new(MessageCode::ConditionMinOverall)
                .with("grade", display_grade(overall))
                .with("relation", if satisfied { "≥" } else { "<" })
                .with("minimum", display_grade(minimum)),
        ));
    }
    if let Some(maximum) = rule.max_insufficient_parts {
        let count = insufficient.len();
        let satisfied = count <= maximum as usize;
        let message = if insufficient.is_empty() {
            Message::new(MessageCode::ConditionMaxInsufficientParts)
        } else {
            Message::new(MessageCode::ConditionMaxInsufficientPartsListed)
                .with_list("parts", list(&insufficient))
        };
        conditions.push(condition(
            "max_insufficient_parts",
            satisfied,
            message
                .with("count", count.to_string())
                .with("pass", display_grade(pass))
                .with("max", maximum.to_string()),
        ));
    }
    if let Some(minimum) = rule.min_part_grade {
        let below: Vec<(&str, Decimal)> =
            graded.iter().copied().filter(|(_, grade)| *grade < minimum).collect();
        let satisfied = below.is_empty();
        let message = if satisfied {
            Message::new(MessageCode::ConditionMinPartGradeMet)
        } else {
            Message::new(MessageCode::ConditionMinPartGradeUnmet).with_list("parts", list(&below))
        };
        conditions.push(condition(
            "min_part_grade",
            satisfied,
            message.with("minimum", display_grade(minimum)),
        ));
    }
    if let Some(maximum) = rule.max_shortfall_sum {
        let sum =
            insufficient.iter().fold(Decimal::ZERO, |sum, (_, grade)| sum.saturating_add(pass - *grade));
        let satisfied = sum <= maximum;
        conditions.push(condition(
            "max_shortfall_sum",
            satisfied,
            Message::new(MessageCode::ConditionMaxShortfallSum)
                .with("pass", display_grade(pass))
                .with("sum", display(sum))
                .with("max", display(maximum)),
        ));
    }
    for required in &rule.required_parts {
        let grade = graded.iter().find(|(id, _)| id == required).map(|(_, grade)| *grade);
        let satisfied = grade.is_some_and(|grade| grade >= pass);
        let message = match grade {
            Some(grade) => {
                Message::new(MessageCode::ConditionRequiredPart).with("grade", display_grade(grade))
            }
            None => Message::new(MessageCode::ConditionRequiredPartAbsent),
        };
        conditions.push(condition(
            "required_part",
            satisfied,
            message.with("part", required.clone()).with("pass", display_grade(pass)),
        ));
    }
    for limit in &rule.max_parts_below {
        let below: Vec<(&str, Decimal)> =
            graded.iter().copied().filter(|(_, grade)| *grade < limit.below).collect();
        let count = below.len();
        let message = if below.is_empty() {
            Message::new(MessageCode::ConditionMaxPartsBelow)
        } else {
            Message::new(MessageCode::ConditionMaxPartsBelowListed).with_list("parts", list(&below))
        };
        conditions.push(condition(
            "max_parts_below",
            count <= limit.max as usize,
            message
                .with("count", count.to_string())
                .with("below", display_grade(limit.below))
                .with("max", limit.max.to_string()),
        ));
    }
    for minimum in &rule.part_minimums {
        let grade = graded.iter().find(|(id, _)| *id == minimum.part).map(|(_, grade)| *grade);
        let satisfied = grade.is_some_and(|grade| grade >= minimum.min);
        let message = match grade {
            Some(grade) => {
                Message::new(MessageCode::ConditionPartMinimum).with("grade", display_grade(grade))
            }
            None => Message::new(MessageCode::ConditionPartMinimumAbsent),
        };
        conditions.push(condition(
            "part_minimum",
            satisfied,
            message.with("part", minimum.part.clone()).with("minimum", display_grade(minimum.min)),
        ));
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
        let below: Vec<Message> = positions
            .iter()
            .filter(|(_, grade)| *grade < minimum)
            .map(|(id, grade)| {
                Message::new(MessageCode::PositionGrade)
                    .with("position", *id)
                    .with("grade", display_grade(*grade))
            })
            .collect();
        let satisfied = below.is_empty();
        let message = if satisfied {
            Message::new(MessageCode::ConditionMinPositionGradeMet)
        } else {
            Message::new(MessageCode::ConditionMinPositionGradeUnmet).with_list("positions", below)
        };
        conditions.push(condition(
            "min_position_grade",
            satisfied,
            message.with("minimum", display_grade(minimum)),
        ));
    }
    for minimum in &rule.position_minimums {
        let grade = positions.iter().find(|(id, _)| *id == minimum.position).map(|(_, grade)| *grade);
        let (satisfied, message) = match grade {
            None if in_carried_part(&minimum.position) => {
                (true, Message::new(MessageCode::ConditionPositionMinimumCarried))
            }
            None => (false, Message::new(MessageCode::ConditionPositionMinimumAbsent)),
            Some(grade) => (
                grade >= minimum.min,
                Message::new(MessageCode::ConditionPositionMinimum).with("grade", display_grade(grade)),
            ),
        };
        conditions.push(condition(
            "position_minimum",
            satisfied,
            message.with("position", minimum.position.clone()).with("minimum", display_grade(minimum.min)),
        ));
    }
    conditions
}

/// A judged condition, its French text written from its message.
fn condition(name: &str, satisfied: bool, message: Message) -> ConditionResult {
    ConditionResult {
        condition: name.to_owned(),
        satisfied,
        explanation: message.french(),
        explanation_message: Some(message),
    }
}
