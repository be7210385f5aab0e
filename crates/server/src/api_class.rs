//! The class grid of a session: candidate × competence and candidate ×
//! criterion category, in per cent of the points possible, for the
//! organiser (a school's trainers on its mock exam, the board on an
//! official one) while the scoring runs and after.
//!
//! A cell counts the official evaluation of each position where there is
//! one, and otherwise the examiners' evaluations submitted so far (their
//! points and maxima summed, i.e. their mean share); such a cell, or one
//! a position still lacks any evaluation for, is marked incomplete.
//! Organising a mock exam and marking in it are two roles: a trainer who
//! also scores sees the class's progress, but a position whose own
//! evaluation they have not submitted yet is left out of its candidate's
//! cells (blind double marking hides the partner's marks) and the cells
//! say so.
//!
//! Points are attributed as the engine's competence profile attributes
//! them (`grille_scoring::engine::profile`): a rubric criterion counts in
//! full for each distinct competence it observes (through its catalogue
//! criteria and the competences it names; a criterion naming nothing
//! counts for its position's competences) and for each distinct category
//! of its catalogue criteria. The test `grid_matches_engine_profile`
//! keeps the two equal for a complete candidate.

use std::collections::{BTreeMap, BTreeSet};

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use grille_competence::Catalogue;
use grille_scoring::decimal::DECIMAL_PATTERN;
use grille_scoring::{CandidateResult, EvaluationResult, Mark};
use grille_workflow::{Action, SessionKind, SessionState};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Staff;
use crate::error::ApiError;
use crate::exam::{PinnedExam, SessionData};
use crate::extract::ApiPath;

pub(crate) fn router() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/api/sessions/{id}/class-grid",
        get_with(class_grid, |op| {
            op.tag("résultats").summary(
                "La grille de la classe : candidat·e × compétence et × catégorie, en % des points, pendant l'évaluation et après (organisateur·trice)",
            )
        }),
    )
}

/// The JSON Schema of a decimal as these answers write it: a string.
pub(crate) fn decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "pattern": DECIMAL_PATTERN })
}

/// The same, or absent.
pub(crate) fn optional_decimal_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": ["string", "null"], "pattern": DECIMAL_PATTERN })
}

/// The category keys, in the catalogue's order.
pub const CATEGORIES: [&str; 4] = ["performance", "knowledge", "attitudes", "metacognition"];

/// A share below this per cent is marked weak: 60 % is where a linear
/// scale puts the pass mark 4.0.
const WEAK_BELOW: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// The class grid of a session.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ClassGrid {
    /// The session id.
    pub session_id: i64,
    /// The session's name.
    pub name: String,
    /// Official or mock.
    pub kind: SessionKind,
    /// The workflow state (scoring: the grid grows as evaluations come in).
    pub state: SessionState,
    /// The competences some position of the blueprint assesses, in
    /// catalogue order: the grid's columns.
    pub competences: Vec<String>,
    /// The four category keys (`performance`, `knowledge`, `attitudes`,
    /// `metacognition`).
    pub categories: Vec<String>,
    /// One row per enrolled candidate, in enrolment order.
    pub rows: Vec<GridRow>,
    /// The class: each competence's share over every candidate's cells.
    pub class_competences: Vec<GridCell>,
    /// The class: each category's share.
    pub class_categories: Vec<GridCell>,
    /// Whether some cell is incomplete (evaluations still to come).
    pub incomplete: bool,
    /// Whether some position is left out for the caller's own evaluation
    /// still to be submitted.
    pub withheld: bool,
}

/// One candidate's row.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GridRow {
    /// The candidate number.
    pub number: String,
    /// Given and family name, when known.
    pub name: Option<String>,
    /// Whether they sat the exam (`present`, `absent`...).
    pub status: String,
    /// One cell per column of [`ClassGrid::competences`].
    pub competences: Vec<GridCell>,
    /// One cell per category.
    pub categories: Vec<GridCell>,
}

/// One cell: points achieved over points possible.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GridCell {
    /// The competence id or category key.
    pub id: String,
    /// Points achieved (weighted).
    #[schemars(schema_with = "decimal_schema")]
    pub points: Decimal,
    /// Points possible (weighted).
    #[schemars(schema_with = "decimal_schema")]
    pub max_points: Decimal,
    /// Per cent, to one decimal; absent when nothing is scored yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(schema_with = "optional_decimal_schema")]
    pub percent: Option<Decimal>,
    /// Some position behind the cell has no official evaluation yet.
    pub incomplete: bool,
    /// Some position behind the cell is left out until the caller's own
    /// evaluation of it is submitted.
    pub withheld: bool,
    /// Below 60 %.
    pub weak: bool,
    /// The lowest share of its row (of the class row: the lowest column).
    pub weakest: bool,
}

impl GridCell {
    fn new(id: &str) -> GridCell {
        GridCell { id: id.to_owned(), ..GridCell::default() }
    }

    fn add(&mut self, points: Decimal, max: Decimal) {
        self.points = self.points.saturating_add(points);
        self.max_points = self.max_points.saturating_add(max);
    }

    fn finish(&mut self) {
        self.percent = share(self.points, self.max_points);
        self.weak = self.percent.is_some_and(|percent| percent < WEAK_BELOW);
    }
}

/// Per cent to one decimal, half up; `None` without points possible.
fn share(points: Decimal, max: Decimal) -> Option<Decimal> {
    if max <= Decimal::ZERO {
        return None;
    }
    let percent = points.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(max)?;
    grille_scoring::calc::round_half_up(percent, Decimal::new(1, 1)).ok()
}

/// Marks the lowest scored cells of a row as the weakest.
fn mark_weakest(cells: &mut [GridCell]) {
    let lowest = cells.iter().filter_map(|cell| cell.percent).min();
    if let Some(lowest) = lowest {
        for cell in cells.iter_mut() {
            cell.weakest = cell.percent == Some(lowest);
        }
    }
}

/// Where one rubric criterion's points count.
struct Attribution {
    competences: BTreeSet<String>,
    categories: BTreeSet<&'static str>,
}

fn attribution(
    catalogue: &Catalogue,
    criterion: &grille_scoring::rubric::RubricCriterion,
    position_competences: &[String],
) -> Attribution {
    let mut competences = BTreeSet::new();
    let mut categories = BTreeSet::new();
    for id in &criterion.catalogue_criteria {
        if let Some((competence, found)) = catalogue.criterion(id) {
            competences.insert(competence.id.clone());
            categories.insert(found.category.key());
        }
    }
    competences.extend(criterion.competences.iter().cloned());
    if criterion.catalogue_criteria.is_empty() && criterion.competences.is_empty() {
        competences.extend(position_competences.iter().cloned());
    }
    Attribution { competences, categories }
}

/// A candidate's cells, keyed by competence id and category key.
#[derive(Default)]
struct Cells {
    competences: BTreeMap<String, GridCell>,
    categories: BTreeMap<String, GridCell>,
}

impl Cells {
    fn touch(&mut self, attribution: &Attribution, apply: impl Fn(&mut GridCell)) {
        for id in &attribution.competences {
            apply(self.competences.entry(id.clone()).or_insert_with(|| GridCell::new(id)));
        }
        for key in &attribution.categories {
            apply(self.categories.entry((*key).to_owned()).or_insert_with(|| GridCell::new(key)));
        }
    }
}

/// The cells of one candidate's result. `withheld(position)` says
/// whether a position is left out for the caller.
fn candidate_cells(
    catalogue: &Catalogue,
    exam: &PinnedExam,
    result: &CandidateResult,
    withheld: &dyn Fn(&str) -> bool,
) -> Cells {
    let mut cells = Cells::default();
    for part in &result.parts {
        for position in &part.positions {
            let Some(rubric) = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric.id) else {
                continue;
            };
            let competences = exam
                .blueprint
                .position(&position.position)
                .map(|(_, found)| found.competences.clone())
                .unwrap_or_default();
            let official: Option<&EvaluationResult> =
                position.grade.and(position.agreed.as_ref().or(position.evaluations.first()));
            let hidden = withheld(&position.position);
            let used: Vec<&EvaluationResult> = match official {
                _ if hidden => Vec::new(),
                Some(evaluation) => vec![evaluation],
                None => position.evaluations.iter().collect(),
            };
            for criterion in &rubric.criteria {
                let attribution = attribution(catalogue, criterion, &competences);
                cells.touch(&attribution, |cell| {
                    cell.incomplete |= official.is_none() || hidden;
                    cell.withheld |= hidden;
                });
                for evaluation in &used {
                    if let Some(score) =
                        evaluation.criteria.iter().find(|score| score.criterion == criterion.id)
                        && matches!(score.mark, Mark::Points(_))
                    {
                        let (points, max) = (score.points, score.max_points);
                        cells.touch(&attribution, |cell| cell.add(points, max));
                    }
                }
            }
        }
    }
    cells
}

/// The cells of `ids` taken out of `cells` (an empty cell where nothing
/// counted), finished, the weakest marked; each added to `class` first.
fn row_of(
    cells: &mut BTreeMap<String, GridCell>,
    ids: &[String],
    mut class: Option<&mut BTreeMap<String, GridCell>>,
) -> Vec<GridCell> {
    let mut row: Vec<GridCell> = ids
        .iter()
        .map(|id| {
            let mut cell = cells.remove(id).unwrap_or_else(|| GridCell::new(id));
            if let Some(class) = class.as_deref_mut() {
                let total = class.entry(id.clone()).or_insert_with(|| GridCell::new(id));
                total.add(cell.points, cell.max_points);
                total.incomplete |= cell.incomplete;
                total.withheld |= cell.withheld;
            }
            cell.finish();
            cell
        })
        .collect();
    mark_weakest(&mut row);
    row
}

/// Builds the grid of a scored session for `viewer`.
pub(crate) fn build_grid(
    catalogue: &Catalogue,
    data: &SessionData,
    exam: &PinnedExam,
    results: &[CandidateResult],
    viewer: &str,
) -> ClassGrid {
    let assessed: BTreeSet<&str> = exam
        .blueprint
        .parts
        .iter()
        .flat_map(|part| part.positions.iter())
        .flat_map(|position| {
            let rubric = exam.rubrics.iter().find(|rubric| rubric.id == position.rubric);
            let mut ids: Vec<String> = position.competences.clone();
            for criterion in rubric.map(|rubric| rubric.criteria.as_slice()).unwrap_or_default() {
                ids.extend(attribution(catalogue, criterion, &position.competences).competences);
            }
            ids
        })
        .filter_map(|id| catalogue.competence(&id).map(|competence| competence.id.as_str()))
        .collect();
    let competences: Vec<String> = catalogue
        .domains()
        .iter()
        .flat_map(|domain| domain.competences.iter())
        .filter(|competence| assessed.contains(competence.id.as_str()))
        .map(|competence| competence.id.clone())
        .collect();
    let categories: Vec<String> = CATEGORIES.iter().map(|key| (*key).to_owned()).collect();
    let mut class = Cells::default();
    let mut rows = Vec::new();
    for enrolled in &data.candidates {
        let number = enrolled.number.as_str();
        let Some(result) = results.iter().find(|result| result.number == number) else { continue };
        let withheld = |position: &str| {
            let Some((part, _)) = exam.blueprint.position(position) else { return false };
            data.assigned(viewer, &enrolled.number, &part.id)
                && !data.position_evaluations(&enrolled.number, position).any(|row| {
                    row.examiner == viewer
                        && row.evaluation.status == grille_store::EvaluationStatus::Submitted
                })
        };
        let mut cells = candidate_cells(catalogue, exam, result, &withheld);
        rows.push(GridRow {
            number: number.to_owned(),
            name: enrolled
                .identity
                .as_ref()
                .map(|identity| format!("{} {}", identity.given_name, identity.family_name).trim().to_owned())
                .filter(|name| !name.is_empty()),
            status: enrolled.status.clone(),
            competences: row_of(&mut cells.competences, &competences, Some(&mut class.competences)),
            categories: row_of(&mut cells.categories, &categories, Some(&mut class.categories)),
        });
    }
    let class_competences = row_of(&mut class.competences, &competences, None);
    let class_categories = row_of(&mut class.categories, &categories, None);
    let cells = || rows.iter().flat_map(|row| row.competences.iter().chain(&row.categories));
    let incomplete = cells().any(|cell| cell.incomplete);
    let withheld = cells().any(|cell| cell.withheld);
    ClassGrid {
        session_id: data.session.id,
        name: data.session.name.clone(),
        kind: data.session.kind,
        state: data.session.workflow_state,
        competences,
        categories,
        rows,
        class_competences,
        class_categories,
        incomplete,
        withheld,
    }
}

async fn class_grid(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(path): ApiPath<crate::api_results::SessionPath>,
) -> Result<Json<ClassGrid>, ApiError> {
    let user = staff.current.user.clone();
    let (data, exam) = crate::scope::load_for(&state, &user, path.id, Action::ViewProgress).await?;
    let scored = crate::api_evaluations::compute_progress(state.catalogue(), &data, &exam)?;
    Ok(Json(build_grid(state.catalogue(), &data, &exam, &scored.1, &user.username)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use grille_scoring::engine::ScoringInput;

    /// For a candidate whose every position has its official evaluation,
    /// the grid's cells are the engine's competence profile: the same
    /// points and maxima per competence and per category.
    #[test]
    fn grid_matches_engine_profile() {
        let catalogue = Catalogue::embedded().unwrap();
        let mut exam = grille_scoring::embedded::federal_exam(&catalogue).unwrap();
        exam.cases = grille_scoring::embedded::example_cases(&catalogue).unwrap();
        let session = grille_scoring::embedded::example_session().unwrap();
        let input = ScoringInput {
            catalogue: &catalogue,
            scheme: &exam.scheme,
            blueprint: &exam.blueprint,
            rubrics: &exam.rubrics,
            cases: &exam.cases,
            session: &session,
        };
        let results = grille_scoring::engine::score_session(&input).unwrap();
        let complete: Vec<&CandidateResult> = results
            .candidates
            .iter()
            .filter(|result| {
                !result.parts.is_empty()
                    && result
                        .parts
                        .iter()
                        .all(|part| part.positions.iter().all(|position| position.grade.is_some()))
            })
            .collect();
        assert!(!complete.is_empty());
        for result in complete {
            let cells = candidate_cells(&catalogue, &exam, result, &|_| false);
            // A competence only left-out criteria observe has an empty
            // cell (shown "–"), and no line in the profile.
            let grid: Vec<(String, Decimal, Decimal)> = cells
                .competences
                .values()
                .filter(|cell| cell.max_points > Decimal::ZERO)
                .map(|cell| (cell.id.clone(), cell.points.normalize(), cell.max_points.normalize()))
                .collect();
            let profile: Vec<(String, Decimal, Decimal)> = result
                .profile
                .competences
                .iter()
                .map(|entry| (entry.id.clone(), entry.points.normalize(), entry.max_points.normalize()))
                .collect();
            assert_eq!(grid, profile, "{}", result.number);
            let categories: Vec<(String, Decimal)> = cells
                .categories
                .values()
                .filter(|cell| cell.max_points > Decimal::ZERO)
                .map(|cell| (cell.id.clone(), cell.points.normalize()))
                .collect();
            let expected: Vec<(String, Decimal)> = result
                .profile
                .categories
                .iter()
                .map(|entry| (entry.id.clone(), entry.points.normalize()))
                .collect();
            assert_eq!(categories, expected, "{}", result.number);
            assert!(cells.competences.values().all(|cell| !cell.incomplete));
        }
    }

    #[test]
    fn weakest_and_weak_cells_are_marked() {
        let cell = |id: &str, points: i64, max: i64| {
            let mut cell = GridCell::new(id);
            cell.add(Decimal::from(points), Decimal::from(max));
            cell.finish();
            cell
        };
        let mut row = vec![cell("A1", 3, 4), cell("A2", 1, 4), cell("A3", 0, 0)];
        mark_weakest(&mut row);
        let marks: Vec<(Option<Decimal>, bool, bool)> =
            row.iter().map(|cell| (cell.percent, cell.weak, cell.weakest)).collect();
        assert_eq!(
            marks,
            vec![
                (Some(Decimal::new(750, 1)), false, false),
                (Some(Decimal::new(250, 1)), true, true),
                (None, false, false)
            ]
        );
    }
}
