//! The page "Simulation « et si » / Was-wäre-wenn": the board edits a copy
//! of the session's grading scheme (scale, conversion, rounding, pass
//! rule) and part weights and reconciliation modes in a form, and sees
//! every candidate whose grades or decision would change, with the
//! engine's explanation of the simulated result. Nothing is saved.
//!
//! The form's fields are named by the JSON pointer of the value they set
//! in the API's request ([`WhatIfRequest`], `pass_rule/min_overall`,
//! `parts/0/weight`), so that the API's refusal of a value marks the field
//! it names. [`request_from_form`] builds the typed request from the
//! fields; [`form_values`] fills the fields from settings;
//! [`what_if_page`] renders the API's answer ([`WhatIfView`]).

pub mod csv;
pub mod model;

use std::collections::BTreeMap;

use grille_scoring::decimal::display_grade;
use grille_scoring::engine::{CandidateChange, GradeLevel};
use grille_scoring::{CandidateResult, Conversion, Outcome, Reconciliation, RoundingDirection};
use minijinja::Environment;
use minijinja::value::{Serde, Value};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::i18n::{self, Language};
use crate::quality::Frame;
use crate::templates::{AccountLayout, PageError, render};

pub use model::{PartEdit, PartSetting, WhatIfRequest, WhatIfSettings, WhatIfView};

/// The keys this module builds from the data (a field's label, a mode, a
/// direction, a conversion), listed so that a test checks each exists in
/// every language.
pub const CODE_KEYS: [&str; 27] = [
    "what_if.field.scale.pass_mark",
    "what_if.field.conversion.kind",
    "what_if.field.conversion.pass_fraction",
    "what_if.field.rounding.position",
    "what_if.field.rounding.part",
    "what_if.field.rounding.overall",
    "what_if.field.rounding.position_direction",
    "what_if.field.rounding.part_direction",
    "what_if.field.rounding.overall_direction",
    "what_if.field.pass_rule.min_overall",
    "what_if.field.pass_rule.max_insufficient_parts",
    "what_if.field.pass_rule.min_part_grade",
    "what_if.field.pass_rule.max_shortfall_sum",
    "what_if.field.pass_rule.min_position_grade",
    "what_if.field.parts.weight",
    "what_if.field.parts.reconciliation",
    "what_if.field.parts",
    "what_if.conversion.linear",
    "what_if.conversion.two_piece",
    "what_if.conversion.table",
    "what_if.direction.half_up",
    "what_if.direction.up",
    "what_if.direction.down",
    "what_if.error.number",
    "what_if.grade.part",
    "what_if.grade.position",
    "what_if.not_applied",
];

/// The decimal fields of the scheme, by name (their pointer without the
/// first `/`), in the form's order.
const DECIMALS: [&str; 4] = ["scale/pass_mark", "rounding/position", "rounding/part", "rounding/overall"];

/// The optional conditions of the pass rule that the form edits (empty:
/// not applied). The pass rule's lists (required parts, floors per part
/// or position) are kept as pinned.
const CONDITIONS: [&str; 5] = [
    "pass_rule/min_overall",
    "pass_rule/max_insufficient_parts",
    "pass_rule/min_part_grade",
    "pass_rule/max_shortfall_sum",
    "pass_rule/min_position_grade",
];

const DIRECTIONS: [&str; 3] =
    ["rounding/position_direction", "rounding/part_direction", "rounding/overall_direction"];

fn decimal_text(value: Decimal) -> String {
    value.normalize().to_string()
}

fn direction_name(direction: RoundingDirection) -> &'static str {
    match direction {
        RoundingDirection::HalfUp => "half_up",
        RoundingDirection::Up => "up",
        RoundingDirection::Down => "down",
    }
}

fn conversion_kind(conversion: &Conversion) -> &'static str {
    match conversion {
        Conversion::Linear => "linear",
        Conversion::TwoPiece { .. } => "two_piece",
        Conversion::Table { .. } => "table",
    }
}

/// The form's values for `settings`, by field name.
pub fn form_values(settings: &WhatIfSettings) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    let mut set = |name: &str, value: String| {
        values.insert(name.to_owned(), value);
    };
    let optional = |value: Option<Decimal>| value.map(decimal_text).unwrap_or_default();
    set("scale/pass_mark", decimal_text(settings.scale.pass_mark));
    set("conversion/kind", conversion_kind(&settings.conversion).to_owned());
    let fraction = match &settings.conversion {
        Conversion::TwoPiece { pass_fraction } => decimal_text(*pass_fraction),
        _ => String::new(),
    };
    set("conversion/pass_fraction", fraction);
    let rounding = &settings.rounding;
    set("rounding/position", decimal_text(rounding.position));
    set("rounding/part", decimal_text(rounding.part));
    set("rounding/overall", decimal_text(rounding.overall));
    set("rounding/position_direction", direction_name(rounding.position_direction).to_owned());
    set("rounding/part_direction", direction_name(rounding.part_direction).to_owned());
    set("rounding/overall_direction", direction_name(rounding.overall_direction).to_owned());
    let rule = &settings.pass_rule;
    set("pass_rule/min_overall", optional(rule.min_overall));
    set(
        "pass_rule/max_insufficient_parts",
        rule.max_insufficient_parts.map(|n| n.to_string()).unwrap_or_default(),
    );
    set("pass_rule/min_part_grade", optional(rule.min_part_grade));
    set("pass_rule/max_shortfall_sum", optional(rule.max_shortfall_sum));
    set("pass_rule/min_position_grade", optional(rule.min_position_grade));
    for (index, part) in settings.parts.iter().enumerate() {
        set(&format!("parts/{index}/weight"), decimal_text(part.weight));
        set(&format!("parts/{index}/reconciliation"), part.reconciliation.as_str().to_owned());
    }
    values
}

/// A field the form could not read, and why (in `language`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// The field's name (the pointer without its first `/`), or the
    /// pointer the API named.
    pub field: String,
    /// What is wrong.
    pub detail: String,
    /// Whether `detail` is the API's French sentence (rather than one in
    /// the reader's language).
    pub french: bool,
}

/// The request the form's `fields` ask for, on top of the `pinned`
/// settings; what the form cannot read as a number is a problem of its
/// own (the API checks the meaning).
pub fn request_from_form(
    fields: &[(String, String)],
    pinned: &WhatIfSettings,
    language: Language,
) -> Result<WhatIfRequest, Vec<FieldProblem>> {
    let value = |name: &str| {
        fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.trim()).unwrap_or_default()
    };
    let mut problems = Vec::new();
    let mut number = |name: &str| -> Option<Decimal> {
        let text = value(name).replace(',', ".");
        match text.parse::<Decimal>() {
            Ok(parsed) if !text.is_empty() => Some(parsed),
            _ => {
                problems.push(FieldProblem {
                    french: false,
                    field: name.to_owned(),
                    detail: i18n::format(
                        &i18n::translate(language, "what_if.error.number"),
                        &[("field", label(name, pinned, language)), ("value", value(name).to_owned())],
                    ),
                });
                None
            }
        }
    };
    let decimals: Vec<Option<Decimal>> = DECIMALS.iter().map(|name| number(name)).collect();
    let mut conditions: Vec<Option<Decimal>> = Vec::new();
    for name in CONDITIONS {
        conditions.push(if value(name).is_empty() { None } else { number(name) });
    }
    let fraction =
        if value("conversion/kind") == "two_piece" { number("conversion/pass_fraction") } else { None };
    let weights: Vec<Option<Decimal>> =
        (0..pinned.parts.len()).map(|index| number(&format!("parts/{index}/weight"))).collect();
    let count = match conditions[1] {
        Some(count)
            if count.fract().is_zero() && count >= Decimal::ZERO && count <= Decimal::from(u32::MAX) =>
        {
            count.to_string().parse::<u32>().ok()
        }
        Some(_) => {
            problems.push(FieldProblem {
                french: false,
                field: "pass_rule/max_insufficient_parts".to_owned(),
                detail: i18n::format(
                    &i18n::translate(language, "what_if.error.number"),
                    &[
                        ("field", label("pass_rule/max_insufficient_parts", pinned, language)),
                        ("value", value("pass_rule/max_insufficient_parts").to_owned()),
                    ],
                ),
            });
            None
        }
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let direction = |name: &str, pinned: RoundingDirection| match value(name) {
        "half_up" => RoundingDirection::HalfUp,
        "up" => RoundingDirection::Up,
        "down" => RoundingDirection::Down,
        _ => pinned,
    };
    let conversion = match value("conversion/kind") {
        "linear" => Conversion::Linear,
        "two_piece" => Conversion::TwoPiece { pass_fraction: fraction.unwrap_or_default() },
        _ => pinned.conversion.clone(),
    };
    let mut scale = pinned.scale.clone();
    scale.pass_mark = decimals[0].unwrap_or(scale.pass_mark);
    let mut rounding = pinned.rounding.clone();
    rounding.position = decimals[1].unwrap_or(rounding.position);
    rounding.part = decimals[2].unwrap_or(rounding.part);
    rounding.overall = decimals[3].unwrap_or(rounding.overall);
    rounding.position_direction = direction(DIRECTIONS[0], rounding.position_direction);
    rounding.part_direction = direction(DIRECTIONS[1], rounding.part_direction);
    rounding.overall_direction = direction(DIRECTIONS[2], rounding.overall_direction);
    let mut pass_rule = pinned.pass_rule.clone();
    pass_rule.min_overall = conditions[0];
    pass_rule.max_insufficient_parts = count;
    pass_rule.min_part_grade = conditions[2];
    pass_rule.max_shortfall_sum = conditions[3];
    pass_rule.min_position_grade = conditions[4];
    let parts = pinned
        .parts
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(index, (part, weight))| PartEdit {
            part: part.part.clone(),
            weight,
            reconciliation: Some(
                Reconciliation::ALL
                    .into_iter()
                    .find(|mode| mode.as_str() == value(&format!("parts/{index}/reconciliation")))
                    .unwrap_or(part.reconciliation),
            ),
        })
        .collect();
    Ok(WhatIfRequest {
        scale: Some(scale),
        conversion: Some(conversion),
        rounding: Some(rounding),
        pass_rule: Some(pass_rule),
        parts,
    })
}

/// The label of field `name` (a part's field names its part).
fn label(name: &str, settings: &WhatIfSettings, language: Language) -> String {
    let segments: Vec<&str> = name.trim_start_matches('/').split('/').collect();
    if let ["parts", index, rest @ ..] = segments.as_slice() {
        let part = index
            .parse::<usize>()
            .ok()
            .and_then(|index| settings.parts.get(index))
            .map_or_else(|| (*index).to_owned(), |part| part.part.clone());
        let key = match rest.first() {
            Some(&"weight") => "what_if.field.parts.weight",
            Some(&"reconciliation") => "what_if.field.parts.reconciliation",
            _ => "what_if.field.parts",
        };
        return i18n::format(&i18n::translate(language, key), &[("part", part)]);
    }
    let key = format!("what_if.field.{}", segments.join("."));
    i18n::lookup(language, &key).map(str::to_owned).unwrap_or_else(|| name.to_owned())
}

/// How a field's value reads on the page (a mode or a direction in words).
fn readable(name: &str, value: &str, language: Language) -> String {
    if value.is_empty() {
        return i18n::translate(language, "what_if.not_applied");
    }
    if name.ends_with("_direction") {
        return i18n::translate(language, &format!("what_if.direction.{value}"));
    }
    if name.ends_with("/reconciliation") {
        return i18n::translate(language, &format!("reconciliation.mode.{value}"));
    }
    if name == "conversion/kind" {
        return i18n::translate(language, &format!("what_if.conversion.{value}"));
    }
    value.to_owned()
}

#[derive(Serialize)]
struct Field {
    name: String,
    id: String,
    label: String,
    value: String,
    invalid: bool,
}

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
}

#[derive(Serialize)]
struct PartFields {
    part: String,
    title: String,
    weight: Field,
    reconciliation: Field,
}

#[derive(Serialize)]
struct Edit {
    label: String,
    before: String,
    after: String,
}

#[derive(Serialize)]
struct ConditionRow {
    label: String,
    satisfied: bool,
    verdict: String,
    explanation: crate::messages::EngineText,
}

#[derive(Serialize)]
struct ChangeRow {
    number: String,
    link: Option<String>,
    before: String,
    after: String,
    outcome_before: &'static str,
    outcome_after: &'static str,
    decision_changes: bool,
    overall_before: String,
    overall_after: String,
    grades: Vec<String>,
    decision_before: crate::messages::EngineText,
    decision_after: crate::messages::EngineText,
    conditions: Vec<ConditionRow>,
    overall_formula: Option<String>,
    part_formulas: Vec<String>,
    pending: Vec<crate::messages::EngineText>,
}

fn outcome_name(outcome: Outcome) -> &'static str {
    crate::candidate::outcome_name(outcome)
}

fn grade(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), display_grade)
}

fn change_row(
    change: &CandidateChange,
    explained: Option<&CandidateResult>,
    link: Option<String>,
    language: Language,
) -> ChangeRow {
    let tr = |key: &str| i18n::translate(language, key);
    let grades = change
        .grades
        .iter()
        .map(|each| {
            let key = match each.level {
                GradeLevel::Part => "what_if.grade.part",
                GradeLevel::Position => "what_if.grade.position",
            };
            i18n::format(
                &tr(key),
                &[("id", each.id.clone()), ("before", grade(each.before)), ("after", grade(each.after))],
            )
        })
        .collect();
    let conditions = explained
        .map(|result| {
            result
                .conditions
                .iter()
                .map(|condition| ConditionRow {
                    label: tr(&crate::exam::condition_key(&condition.condition)),
                    satisfied: condition.satisfied,
                    verdict: tr(if condition.satisfied {
                        "exam.condition.met"
                    } else {
                        "exam.condition.not_met"
                    }),
                    explanation: crate::messages::EngineText::of(
                        condition.explanation_message.as_ref(),
                        &condition.explanation,
                        language,
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    let mean =
        |mean: &grille_scoring::ExplainedMean| format!("{} = {}", mean.formula, display_grade(mean.value));
    ChangeRow {
        number: change.number.clone(),
        link,
        before: tr(&format!("exam.outcome.{}", outcome_name(change.outcome_before))),
        after: tr(&format!("exam.outcome.{}", outcome_name(change.outcome_after))),
        outcome_before: outcome_name(change.outcome_before),
        outcome_after: outcome_name(change.outcome_after),
        decision_changes: change.decision_changes(),
        overall_before: grade(change.overall_before),
        overall_after: grade(change.overall_after),
        grades,
        decision_before: crate::messages::EngineText::of(
            change.decision_before_message.as_ref(),
            &change.decision_before,
            language,
        ),
        decision_after: crate::messages::EngineText::of(
            change.decision_after_message.as_ref(),
            &change.decision_after,
            language,
        ),
        conditions,
        overall_formula: explained.and_then(|result| result.overall.as_ref()).map(mean),
        part_formulas: explained
            .map(|result| {
                result
                    .parts
                    .iter()
                    .filter_map(|part| {
                        let calculation = part.calculation.as_ref()?;
                        Some(i18n::labelled(
                            language,
                            &i18n::format(&tr("exam.part_label"), &[("id", part.part.clone())]),
                            &mean(calculation),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        pending: explained
            .map(|result| {
                crate::messages::EngineText::list(&result.pending_messages, &result.pending, language)
            })
            .unwrap_or_default(),
    }
}

/// What the page shows besides the API's answer.
#[derive(Debug, Clone)]
pub struct WhatIfPage<'a> {
    /// The form's values (as typed, after a refusal).
    pub values: &'a BTreeMap<String, String>,
    /// The problems of the values sent, when refused.
    pub problems: &'a [FieldProblem],
    /// Whether the answer is a simulation the reader asked for (rather
    /// than the first view of the form).
    pub simulated: bool,
}

/// Renders the page from the API's answer (`GET` or `POST
/// /api/sessions/{id}/what-if`).
pub fn what_if_page(
    environment: &Environment<'_>,
    view: &WhatIfView,
    page: &WhatIfPage<'_>,
    frame: &Frame,
    account: &AccountLayout,
    language: Language,
) -> Result<String, PageError> {
    let pinned = &view.pinned;
    let invalid: Vec<&str> = page.problems.iter().map(|p| p.field.trim_start_matches('/')).collect();
    let field = |name: &str| Field {
        name: name.to_owned(),
        id: format!("field-{}", name.replace('/', "-")),
        label: label(name, pinned, language),
        value: page.values.get(name).cloned().unwrap_or_default(),
        invalid: invalid.iter().any(|bad| bad.starts_with(name)),
    };
    let fields: BTreeMap<&str, Field> = DECIMALS
        .iter()
        .chain(&CONDITIONS)
        .chain(&DIRECTIONS)
        .chain(&["conversion/kind", "conversion/pass_fraction"])
        .map(|name| (*name, field(name)))
        .collect();
    let parts: Vec<PartFields> = pinned
        .parts
        .iter()
        .enumerate()
        .map(|(index, part)| PartFields {
            part: part.part.clone(),
            title: part.title.get(language.code()).to_owned(),
            weight: field(&format!("parts/{index}/weight")),
            reconciliation: field(&format!("parts/{index}/reconciliation")),
        })
        .collect();
    let directions: Vec<Choice> = ["half_up", "up", "down"]
        .into_iter()
        .map(|value| Choice {
            value,
            label: i18n::translate(language, &format!("what_if.direction.{value}")),
        })
        .collect();
    let mut kinds = vec!["linear", "two_piece"];
    if matches!(pinned.conversion, Conversion::Table { .. }) {
        kinds.push("table");
    }
    let conversions: Vec<Choice> = kinds
        .into_iter()
        .map(|value| Choice {
            value,
            label: i18n::translate(language, &format!("what_if.conversion.{value}")),
        })
        .collect();
    let modes: Vec<Choice> = Reconciliation::ALL
        .into_iter()
        .map(|mode| Choice {
            value: mode.as_str(),
            label: i18n::translate(language, &format!("reconciliation.mode.{}", mode.as_str())),
        })
        .collect();
    // What the simulation changed, setting by setting.
    let (before, after) = (form_values(pinned), form_values(&view.simulated));
    let edits: Vec<Edit> = after
        .iter()
        .filter(|(name, value)| before.get(*name) != Some(*value))
        .map(|(name, value)| Edit {
            label: label(name, pinned, language),
            before: readable(name, before.get(name).map(String::as_str).unwrap_or_default(), language),
            after: readable(name, value, language),
        })
        .collect();
    let id = view.session_id;
    let changes: Vec<ChangeRow> = view
        .comparison
        .changes
        .iter()
        .enumerate()
        .map(|(index, change)| {
            let explained = view.explanations.get(index).filter(|result| result.number == change.number);
            let link = frame.board.then(|| format!("{}/candidates/{}", frame.base, change.number));
            change_row(change, explained, link, language)
        })
        .collect();
    let problems: Vec<(String, String, bool)> = page
        .problems
        .iter()
        .map(|p| (label(&p.field, pinned, language), p.detail.clone(), p.french))
        .collect();
    let rule = &pinned.pass_rule;
    let kept = !rule.required_parts.is_empty()
        || !rule.max_parts_below.is_empty()
        || !rule.part_minimums.is_empty()
        || !rule.position_minimums.is_empty();
    let context = minijinja::context! {
        account => Value::from(Serde(account)),
        session => if frame.board { minijinja::context! { id => id, name => &view.name } } else { Value::UNDEFINED },
        what_if_session => minijinja::context! { id => id, name => &view.name, official => view.is_final },
        frame => Value::from(Serde(frame)),
        action => format!("{}/what-if", frame.base),
        fields => Value::from(Serde(&fields)),
        parts => Value::from(Serde(&parts)),
        directions => Value::from(Serde(&directions)),
        conversions => Value::from(Serde(&conversions)),
        modes => Value::from(Serde(&modes)),
        kept_conditions => kept,
        problems => problems,
        simulated => page.simulated && page.problems.is_empty(),
        edited => view.edited,
        edits => Value::from(Serde(&edits)),
        comparison => Value::from(Serde(&view.comparison)),
        changes => Value::from(Serde(&changes)),
        download => format!("{}/what-if/csv", frame.base),
        download_values => form_values(&view.simulated).into_iter().collect::<Vec<(String, String)>>(),
    };
    render(environment, "session_what_if.html", language, "session_what_if", context)
}

#[cfg(test)]
mod tests {
    use grille_scoring::GradingScheme;

    use super::*;

    fn settings() -> WhatIfSettings {
        let scheme = GradingScheme::with_defaults("s", "1");
        WhatIfSettings {
            scale: scheme.scale,
            conversion: scheme.conversion,
            rounding: scheme.rounding,
            pass_rule: scheme.pass_rule,
            parts: vec![PartSetting {
                part: "1".into(),
                title: grille_competence::LocalizedText { fr: "Épreuve".into(), de: None, it: None },
                weight: Decimal::ONE,
                reconciliation: Reconciliation::Agreed,
            }],
        }
    }

    fn fields(values: &BTreeMap<String, String>) -> Vec<(String, String)> {
        values.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    #[test]
    fn the_pinned_values_read_back_as_the_pinned_settings() {
        let pinned = settings();
        let request = request_from_form(&fields(&form_values(&pinned)), &pinned, Language::Fr).unwrap();
        assert_eq!(request.pass_rule.as_ref(), Some(&pinned.pass_rule));
        assert_eq!(request.rounding.as_ref(), Some(&pinned.rounding));
        assert_eq!(request.parts[0].weight, Some(Decimal::ONE));
    }

    fn decimal(tenths: i64) -> Decimal {
        Decimal::new(tenths, 1)
    }

    fn direction(index: usize) -> RoundingDirection {
        [RoundingDirection::HalfUp, RoundingDirection::Up, RoundingDirection::Down][index % 3]
    }

    proptest::proptest! {
        /// The page's side of "the session's own settings change nothing":
        /// whatever the pinned settings, the form filled with them sends
        /// them back unchanged (the API's test shows that the pinned
        /// settings give an empty comparison).
        #[test]
        fn any_settings_come_back_from_the_form_unchanged(
            min_overall in proptest::option::of(10i64..60),
            count in proptest::option::of(0u32..5),
            part_floor in proptest::option::of(10i64..40),
            shortfall in proptest::option::of(1i64..30),
            steps in proptest::collection::vec(proptest::sample::select(vec![1i64, 2, 5, 10]), 3),
            directions in proptest::collection::vec(0usize..3, 3),
            fraction in proptest::option::of(1i64..10),
            parts in proptest::collection::vec((1i64..200, 0usize..3), 1..5),
        ) {
            let mut pinned = settings();
            pinned.pass_rule.min_overall = min_overall.map(decimal);
            pinned.pass_rule.max_insufficient_parts = count;
            pinned.pass_rule.min_part_grade = part_floor.map(decimal);
            pinned.pass_rule.max_shortfall_sum = shortfall.map(decimal);
            pinned.rounding.position = decimal(steps[0]);
            pinned.rounding.part = decimal(steps[1]);
            pinned.rounding.overall = decimal(steps[2]);
            pinned.rounding.position_direction = direction(directions[0]);
            pinned.rounding.part_direction = direction(directions[1]);
            pinned.rounding.overall_direction = direction(directions[2]);
            if let Some(tenths) = fraction {
                pinned.conversion = Conversion::TwoPiece { pass_fraction: decimal(tenths) };
            }
            pinned.parts = parts
                .iter()
                .enumerate()
                .map(|(index, (weight, mode))| PartSetting {
                    part: (index + 1).to_string(),
                    title: grille_competence::LocalizedText::fr("Épreuve"),
                    weight: decimal(*weight),
                    reconciliation: Reconciliation::ALL[*mode],
                })
                .collect();
            let request = request_from_form(&fields(&form_values(&pinned)), &pinned, Language::Fr).unwrap();
            proptest::prop_assert_eq!(request.scale.as_ref(), Some(&pinned.scale));
            proptest::prop_assert_eq!(request.conversion.as_ref(), Some(&pinned.conversion));
            proptest::prop_assert_eq!(request.rounding.as_ref(), Some(&pinned.rounding));
            proptest::prop_assert_eq!(request.pass_rule.as_ref(), Some(&pinned.pass_rule));
            proptest::prop_assert_eq!(request.parts.len(), pinned.parts.len());
            for (edit, part) in request.parts.iter().zip(&pinned.parts) {
                proptest::prop_assert_eq!(&edit.part, &part.part);
                proptest::prop_assert_eq!(edit.weight, Some(part.weight));
                proptest::prop_assert_eq!(edit.reconciliation, Some(part.reconciliation));
            }
        }
    }

    #[test]
    fn each_unreadable_number_names_its_field_in_each_language() {
        let pinned = settings();
        for (name, text) in [
            ("pass_rule/min_overall", "quatre"),
            ("pass_rule/max_insufficient_parts", "1.5"),
            ("rounding/overall", ""),
            ("parts/0/weight", "x"),
        ] {
            let mut values = form_values(&pinned);
            values.insert(name.to_owned(), text.to_owned());
            for language in Language::ALL {
                let problems = request_from_form(&fields(&values), &pinned, language).unwrap_err();
                assert_eq!(problems.len(), 1, "{name}: {problems:?}");
                assert_eq!(problems[0].field, name);
                assert!(!problems[0].detail.contains('⟦'), "{language:?}: {}", problems[0].detail);
            }
        }
        // A decimal comma is read; an empty condition is "not applied".
        let mut values = form_values(&pinned);
        values.insert("pass_rule/min_overall".into(), "4,5".into());
        values.insert("pass_rule/min_part_grade".into(), String::new());
        let request = request_from_form(&fields(&values), &pinned, Language::De).unwrap();
        let rule = request.pass_rule.unwrap();
        assert_eq!((rule.min_overall, rule.min_part_grade), (Some(Decimal::new(45, 1)), None));
    }
}
