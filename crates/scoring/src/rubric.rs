//! Rubrics (grilles d'évaluation, `rubrics/*.json`): the criteria a position
//! is scored on, each with its levels and the catalogue criteria or
//! competences it observes.

use crate::message::{Message, MessageCode};
use std::collections::HashSet;

use grille_competence::{Catalogue, LocalizedText, Problem, Translations};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::decimal::{self, LARGEST_VALUE, check_not_blank, decimal_schema, display};

/// A whole rubric file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// A stable identifier, referenced by blueprint positions.
    pub id: String,
    /// The version of this rubric. Change it whenever levels, points or
    /// criteria change: a session pins the version it was scored with.
    pub version: String,
    /// The rubric's title.
    pub title: LocalizedText,
    /// The criteria, in the order of the scoring form.
    pub criteria: Vec<RubricCriterion>,
    /// Who translated the document's texts into German or Italian, and
    /// whether the board has checked the translation (the French text is
    /// the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Translations>,
}

/// One criterion of a rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RubricCriterion {
    /// A stable identifier, unique in the rubric, e.g. `k1`.
    pub id: String,
    /// What is observed, as the examiner reads it.
    pub title: LocalizedText,
    /// Ids of the catalogue performance criteria this criterion observes,
    /// e.g. `["A8.p1", "A8.m2"]`.
    #[serde(default)]
    pub catalogue_criteria: Vec<String>,
    /// Ids of catalogue competences this criterion observes as a whole,
    /// e.g. `["A8"]`.
    #[serde(default)]
    pub competences: Vec<String>,
    /// The levels an examiner chooses from; their points are distinct and
    /// non-negative. The criterion's maximum is its highest level.
    pub levels: Vec<Level>,
    /// The weight of this criterion: its points count `weight` times in the
    /// position's points and maximum. Default: 1.
    #[serde(default = "default_weight")]
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// Whether an examiner may mark this criterion "not assessable" (it then
    /// leaves both the points and the maximum of the position). Default:
    /// false.
    #[serde(default)]
    pub not_assessable_allowed: bool,
}

/// One level of a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The points this level gives; an evaluation chooses a level by its
    /// points.
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// What the examiner observed at this level.
    pub descriptor: LocalizedText,
}

fn default_weight() -> Decimal {
    Decimal::ONE
}

impl RubricCriterion {
    /// The points of the highest level (0 when there is no level).
    pub fn max_points(&self) -> Decimal {
        self.levels.iter().map(|level| level.points).max().unwrap_or(Decimal::ZERO)
    }

    /// The level worth `points`, if any.
    pub fn level(&self, points: Decimal) -> Option<&Level> {
        self.levels.iter().find(|level| level.points == points)
    }
}

impl Rubric {
    /// Parses a rubric and checks it against `catalogue`: JSON, schema, then
    /// meaning. Every problem is returned at once.
    pub fn from_json(source: &str, catalogue: &Catalogue) -> Result<Rubric, Vec<Problem>> {
        let rubric: Rubric = decimal::load(source)?;
        let problems = rubric.check(catalogue);
        if problems.is_empty() { Ok(rubric) } else { Err(problems) }
    }

    /// A criterion by id.
    pub fn criterion(&self, id: &str) -> Option<&RubricCriterion> {
        self.criteria.iter().find(|criterion| criterion.id == id)
    }

    /// Every problem of meaning, each with its JSON pointer.
    pub fn check(&self, catalogue: &Catalogue) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_not_blank(&mut problems, "/id", &self.id, MessageCode::FieldRubricId);
        check_not_blank(&mut problems, "/version", &self.version, MessageCode::FieldRubricVersion);
        check_not_blank(&mut problems, "/title/fr", &self.title.fr, MessageCode::FieldTitle);
        if self.criteria.is_empty() {
            problems.push(Problem::new("/criteria", Message::new(MessageCode::RubricNoCriterion)));
        }
        crate::translation::check(&mut problems, self.translation.as_ref(), false);
        let mut ids = HashSet::new();
        for (index, criterion) in self.criteria.iter().enumerate() {
            let base = format!("/criteria/{index}");
            check_not_blank(
                &mut problems,
                &format!("{base}/id"),
                &criterion.id,
                MessageCode::FieldCriterionId,
            );
            if !ids.insert(criterion.id.as_str()) {
                problems.push(Problem::new(
                    format!("{base}/id"),
                    Message::new(MessageCode::CriterionDuplicate).with("criterion", criterion.id.to_string()),
                ));
            }
            check_not_blank(
                &mut problems,
                &format!("{base}/title/fr"),
                &criterion.title.fr,
                MessageCode::FieldCriterionTitle,
            );
            for (k, id) in criterion.catalogue_criteria.iter().enumerate() {
                let pointer = format!("{base}/catalogue_criteria/{k}");
                if catalogue.criterion(id).is_none() {
                    problems.push(Problem::new(
                        &pointer,
                        Message::new(MessageCode::RubricPerformanceCriterionUnknown)
                            .with("criterion", id.to_string()),
                    ));
                }
                if criterion.catalogue_criteria[..k].contains(id) {
                    problems.push(Problem::new(
                        pointer,
                        Message::new(MessageCode::RubricPerformanceCriterionTwice)
                            .with("criterion", id.to_string()),
                    ));
                }
            }
            for (k, id) in criterion.competences.iter().enumerate() {
                let pointer = format!("{base}/competences/{k}");
                match catalogue.competence(id) {
                    None => problems.push(Problem::new(
                        &pointer,
                        Message::new(MessageCode::CompetenceUnknown).with("competence", id.to_string()),
                    )),
                    Some(found) if found.id != *id => problems.push(Problem::new(
                        &pointer,
                        Message::new(MessageCode::CompetenceSpelling)
                            .with("expected", found.id.to_string())
                            .with("competence", id.to_string()),
                    )),
                    Some(_) => {}
                }
                if criterion.competences[..k].contains(id) {
                    problems.push(Problem::new(
                        pointer,
                        Message::new(MessageCode::CompetenceTwice).with("competence", id.to_string()),
                    ));
                }
            }
            if criterion.levels.len() < 2 {
                problems.push(Problem::new(
                    format!("{base}/levels"),
                    Message::new(MessageCode::RubricTwoLevels).with("criterion", criterion.id.to_string()),
                ));
            }
            for (k, level) in criterion.levels.iter().enumerate() {
                let pointer = format!("{base}/levels/{k}");
                if level.points < Decimal::ZERO || level.points > LARGEST_VALUE {
                    problems.push(Problem::new(
                        format!("{pointer}/points"),
                        Message::new(MessageCode::RubricLevelPoints)
                            .with("points", display(level.points))
                            .with("max", display(LARGEST_VALUE)),
                    ));
                }
                if criterion.levels[..k].iter().any(|other| other.points == level.points) {
                    problems.push(Problem::new(
                        format!("{pointer}/points"),
                        Message::new(MessageCode::RubricLevelsDistinct)
                            .with("criterion", criterion.id.to_string())
                            .with("points", display(level.points)),
                    ));
                }
                check_not_blank(
                    &mut problems,
                    &format!("{pointer}/descriptor/fr"),
                    &level.descriptor.fr,
                    MessageCode::FieldLevelDescriptor,
                );
            }
            if criterion.levels.len() >= 2 && criterion.max_points() <= Decimal::ZERO {
                problems.push(Problem::new(
                    format!("{base}/levels"),
                    Message::new(MessageCode::RubricTopLevelZero).with("criterion", criterion.id.to_string()),
                ));
            }
            if criterion.weight <= Decimal::ZERO || criterion.weight > Decimal::from(1000) {
                problems.push(Problem::new(
                    format!("{base}/weight"),
                    Message::new(MessageCode::WeightRange)
                        .with("weight", display(criterion.weight))
                        .with("max", "1000"),
                ));
            }
        }
        problems
    }
}
