//! The exam blueprint (`blueprint.json`): the parts (épreuves) of an exam,
//! their positions (points d'appréciation), weights, the rubric each
//! position is scored with and the competences it assesses.

use crate::message::{Message, MessageCode};
use std::collections::HashSet;

use grille_competence::{Catalogue, LocalizedText, Problem, Translations};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::decimal::{self, LARGEST_VALUE, check_not_blank, decimal_schema, display};

/// A whole blueprint file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// A stable identifier, e.g. `asp-bf-examen-final`.
    pub id: String,
    /// The version of this blueprint; a session pins the version it used.
    pub version: String,
    /// The exam's title (French required).
    pub title: LocalizedText,
    /// Free-text notes naming the values of this file that are assumptions
    /// still to be confirmed against the exam regulation (weights,
    /// examiner counts...).
    #[serde(default)]
    pub assumptions: Vec<String>,
    /// The parts of the exam, in order.
    pub parts: Vec<Part>,
    /// Who translated the document's texts into German or Italian, and
    /// whether the board has checked the translation (the French text is
    /// the reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Translations>,
}

/// One exam part (épreuve), e.g. "1.1 Rapport de réflexion".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// A stable identifier, unique in the blueprint, e.g. `1.1` or `2`.
    pub id: String,
    /// The part's title.
    pub title: LocalizedText,
    /// The weight of the part grade in the overall grade. Default: 1.
    #[serde(default = "default_weight")]
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// How many examiners evaluate each position of this part. Default: 2
    /// (federal exams are normally assessed by two experts).
    #[serde(default = "default_examiners")]
    pub examiners: u32,
    /// How the examiners' evaluations of a position of this part make its
    /// grade when they differ: `agreed` (their joint evaluation), `mean`
    /// (the mean of their position grades) or `arbitration` (a third
    /// examiner decides flagged differences). Default: `agreed`.
    #[serde(default, skip_serializing_if = "Reconciliation::is_default")]
    pub reconciliation: Reconciliation,
    /// The positions (points d'appréciation) of this part.
    pub positions: Vec<Position>,
}

/// How the evaluations of a position's examiners become its grade. The
/// engine says in each position result which rule applied
/// (`PositionResult::reconciliation`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reconciliation {
    /// Identical evaluations agree automatically (when the scheme says so);
    /// otherwise the evaluation the examiners agreed on is official.
    #[default]
    Agreed,
    /// The position grade is the mean of the examiners' position grades,
    /// rounded as the scheme rounds position grades; no joint evaluation.
    Mean,
    /// When the examiners' grades raise a discrepancy flag (the scheme's
    /// step or the pass mark straddled), a third examiner (the chief
    /// expert) evaluates the position and that evaluation is official;
    /// without a flag the mean applies, as in `mean`.
    Arbitration,
}

impl Reconciliation {
    /// Every mode.
    pub const ALL: [Reconciliation; 3] =
        [Reconciliation::Agreed, Reconciliation::Mean, Reconciliation::Arbitration];

    /// The name in files and in the API (`agreed`, `mean`, `arbitration`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reconciliation::Agreed => "agreed",
            Reconciliation::Mean => "mean",
            Reconciliation::Arbitration => "arbitration",
        }
    }

    fn is_default(&self) -> bool {
        *self == Reconciliation::Agreed
    }
}

/// One position (point d'appréciation): what gets one position grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// A stable identifier, unique in the whole blueprint, e.g. `1.1-a`.
    pub id: String,
    /// The position's title.
    pub title: LocalizedText,
    /// The weight of this position's grade in its part grade. Default: 1.
    #[serde(default = "default_weight")]
    #[schemars(schema_with = "decimal_schema")]
    pub weight: Decimal,
    /// The id of the rubric this position is scored with (its version is
    /// pinned by the session).
    pub rubric: String,
    /// Ids of the catalogue competences this position assesses, e.g.
    /// `["A8", "E1"]`. Rubric criteria that name no competence or criterion
    /// of their own are attributed to these in the competence profile.
    #[serde(default)]
    pub competences: Vec<String>,
}

fn default_weight() -> Decimal {
    Decimal::ONE
}
fn default_examiners() -> u32 {
    2
}

impl Blueprint {
    /// Parses a blueprint and checks it against `catalogue`: JSON, schema,
    /// then meaning. Every problem is returned at once.
    pub fn from_json(source: &str, catalogue: &Catalogue) -> Result<Blueprint, Vec<Problem>> {
        let blueprint: Blueprint = decimal::load(source)?;
        let problems = blueprint.check(catalogue);
        if problems.is_empty() { Ok(blueprint) } else { Err(problems) }
    }

    /// Every problem of meaning, each with its JSON pointer.
    pub fn check(&self, catalogue: &Catalogue) -> Vec<Problem> {
        let mut problems = Vec::new();
        check_not_blank(&mut problems, "/id", &self.id, MessageCode::FieldBlueprintId);
        check_not_blank(&mut problems, "/version", &self.version, MessageCode::FieldBlueprintVersion);
        check_not_blank(&mut problems, "/title/fr", &self.title.fr, MessageCode::FieldTitle);
        for (index, note) in self.assumptions.iter().enumerate() {
            check_not_blank(
                &mut problems,
                &format!("/assumptions/{index}"),
                note,
                MessageCode::FieldAssumption,
            );
        }
        crate::translation::check(&mut problems, self.translation.as_ref(), true);
        if self.parts.is_empty() {
            problems.push(Problem::new("/parts", Message::new(MessageCode::BlueprintNoPart)));
        }
        let mut part_ids = HashSet::new();
        let mut position_ids = HashSet::new();
        for (part_index, part) in self.parts.iter().enumerate() {
            let base = format!("/parts/{part_index}");
            check_not_blank(&mut problems, &format!("{base}/id"), &part.id, MessageCode::FieldPartId);
            if !part_ids.insert(part.id.as_str()) {
                problems.push(Problem::new(
                    format!("{base}/id"),
                    Message::new(MessageCode::BlueprintPartDuplicate).with("part", part.id.to_string()),
                ));
            }
            check_not_blank(
                &mut problems,
                &format!("{base}/title/fr"),
                &part.title.fr,
                MessageCode::FieldPartTitle,
            );
            check_weight(&mut problems, &format!("{base}/weight"), part.weight);
            if part.examiners == 0 || part.examiners > 10 {
                problems.push(Problem::new(
                    format!("{base}/examiners"),
                    Message::new(MessageCode::BlueprintExaminers).with("count", part.examiners.to_string()),
                ));
            }
            if part.reconciliation != Reconciliation::Agreed && part.examiners < 2 {
                // A mean or an arbitration needs two evaluations to reconcile.
                problems.push(Problem::new(
                    format!("{base}/reconciliation"),
                    Message::new(MessageCode::BlueprintReconciliation)
                        .with("mode", part.reconciliation.as_str().to_string())
                        .with("part", part.id.to_string())
                        .with("count", part.examiners.to_string()),
                ));
            }
            if part.positions.is_empty() {
                problems.push(Problem::new(
                    format!("{base}/positions"),
                    Message::new(MessageCode::BlueprintNoPosition).with("part", part.id.to_string()),
                ));
            }
            for (position_index, position) in part.positions.iter().enumerate() {
                let pointer = format!("{base}/positions/{position_index}");
                check_not_blank(
                    &mut problems,
                    &format!("{pointer}/id"),
                    &position.id,
                    MessageCode::FieldPositionId,
                );
                if !position_ids.insert(position.id.as_str()) {
                    problems.push(Problem::new(
                        format!("{pointer}/id"),
                        Message::new(MessageCode::BlueprintPositionDuplicate)
                            .with("position", position.id.to_string()),
                    ));
                }
                check_not_blank(
                    &mut problems,
                    &format!("{pointer}/title/fr"),
                    &position.title.fr,
                    MessageCode::FieldPositionTitle,
                );
                check_weight(&mut problems, &format!("{pointer}/weight"), position.weight);
                check_not_blank(
                    &mut problems,
                    &format!("{pointer}/rubric"),
                    &position.rubric,
                    MessageCode::FieldRubric,
                );
                for (index, competence) in position.competences.iter().enumerate() {
                    let competence_pointer = format!("{pointer}/competences/{index}");
                    match catalogue.competence(competence) {
                        None => problems.push(Problem::new(
                            competence_pointer,
                            Message::new(MessageCode::CompetenceUnknown)
                                .with("competence", competence.to_string()),
                        )),
                        Some(found) if found.id != *competence => problems.push(Problem::new(
                            competence_pointer,
                            Message::new(MessageCode::CompetenceSpelling)
                                .with("expected", found.id.to_string())
                                .with("competence", competence.to_string()),
                        )),
                        Some(_) => {}
                    }
                    if position.competences[..index].contains(competence) {
                        problems.push(Problem::new(
                            format!("{pointer}/competences/{index}"),
                            Message::new(MessageCode::CompetenceTwice)
                                .with("competence", competence.to_string()),
                        ));
                    }
                }
            }
        }
        problems
    }

    /// A part by id.
    pub fn part(&self, id: &str) -> Option<&Part> {
        self.parts.iter().find(|part| part.id == id)
    }

    /// A position by id, with its part.
    pub fn position(&self, id: &str) -> Option<(&Part, &Position)> {
        self.parts.iter().find_map(|part| part.positions.iter().find(|p| p.id == id).map(|p| (part, p)))
    }

    /// The ids of the rubrics the positions use, each once, in order.
    pub fn rubric_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for position in self.parts.iter().flat_map(|part| part.positions.iter()) {
            if !ids.contains(&position.rubric.as_str()) {
                ids.push(&position.rubric);
            }
        }
        ids
    }
}

fn check_weight(problems: &mut Vec<Problem>, pointer: &str, weight: Decimal) {
    if weight <= Decimal::ZERO || weight > LARGEST_VALUE {
        problems.push(Problem::new(
            pointer,
            Message::new(MessageCode::WeightRange)
                .with("weight", display(weight))
                .with("max", display(LARGEST_VALUE)),
        ));
    }
}
