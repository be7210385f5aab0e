//! The pass rule: every condition judged on rounded grades, and the
//! what-if of a scheme on given part grades (`simulate`).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calc::{self};
use crate::decimal::{display, display_grade, optional_decimal_schema};
use crate::scheme::GradingScheme;

use super::{ConditionResult, PartResult};

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
