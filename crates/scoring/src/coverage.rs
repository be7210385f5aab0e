//! Which competences and criterion categories of the catalogue an exam
//! blueprint assesses, and through which positions: what `grille blueprint
//! coverage` shows and what a board checks before adopting a blueprint.

use std::collections::{BTreeMap, BTreeSet};

use grille_competence::{Catalogue, Category};

use crate::{Blueprint, CaseStudy, Rubric};

/// How one competence is assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetenceCoverage {
    /// The competence id, e.g. `A7`.
    pub competence: String,
    /// Positions that assess the competence in any way (listed on the
    /// position, named by a rubric criterion, or through one of its
    /// catalogue criteria), in blueprint order.
    pub positions: Vec<String>,
    /// For each category, in profile order, the positions whose rubric
    /// observes at least one catalogue criterion of this competence in that
    /// category. Empty when no rubric criterion reaches that category.
    pub categories: Vec<(Category, Vec<String>)>,
    /// How many of the competence's catalogue criteria some rubric
    /// criterion observes directly.
    pub criteria_observed: usize,
    /// How many criteria the competence has.
    pub criteria_total: usize,
}

/// The coverage of the whole catalogue by a blueprint and its rubrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// One entry per competence, in catalogue order.
    pub competences: Vec<CompetenceCoverage>,
    /// Rubric ids the blueprint names but that were not supplied.
    pub missing_rubrics: Vec<String>,
}

impl Coverage {
    /// Competences no position assesses at all.
    pub fn unassessed(&self) -> impl Iterator<Item = &CompetenceCoverage> {
        self.competences.iter().filter(|entry| entry.positions.is_empty())
    }

    /// (competence, category) pairs, among categories in which the
    /// competence has criteria, that no rubric criterion observes.
    pub fn unobserved_categories<'a>(
        &'a self,
        catalogue: &'a Catalogue,
    ) -> impl Iterator<Item = (&'a str, Category)> + 'a {
        self.competences.iter().flat_map(move |entry| {
            let competence = catalogue.competence(&entry.competence);
            entry.categories.iter().filter_map(move |(category, positions)| {
                let has_criteria =
                    competence.is_some_and(|c| c.criteria.iter().any(|k| k.category == *category));
                (has_criteria && positions.is_empty()).then_some((entry.competence.as_str(), *category))
            })
        })
    }
}

/// Computes the coverage of `catalogue` by `blueprint` scored with
/// `rubrics` (matched by id; versions are a session's business).
pub fn coverage(catalogue: &Catalogue, blueprint: &Blueprint, rubrics: &[Rubric]) -> Coverage {
    // competence -> positions; (competence, category) -> positions;
    // competence -> observed criteria. Positions keep blueprint order
    // because they are pushed in that order and deduplicated on insert.
    let mut positions: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_category: BTreeMap<(&str, Category), Vec<String>> = BTreeMap::new();
    let mut observed: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut missing_rubrics = BTreeSet::new();

    let push = |list: &mut Vec<String>, position: &str| {
        if !list.iter().any(|p| p == position) {
            list.push(position.to_owned());
        }
    };

    for part in &blueprint.parts {
        for position in &part.positions {
            for competence in &position.competences {
                if let Some(c) = catalogue.competence(competence) {
                    push(positions.entry(c.id.as_str()).or_default(), &position.id);
                }
            }
            let Some(rubric) = rubrics.iter().find(|rubric| rubric.id == position.rubric) else {
                missing_rubrics.insert(position.rubric.clone());
                continue;
            };
            for criterion in &rubric.criteria {
                for competence in &criterion.competences {
                    if let Some(c) = catalogue.competence(competence) {
                        push(positions.entry(c.id.as_str()).or_default(), &position.id);
                    }
                }
                for criterion_id in &criterion.catalogue_criteria {
                    if let Some((competence, catalogue_criterion)) = catalogue.criterion(criterion_id) {
                        let id = competence.id.as_str();
                        push(positions.entry(id).or_default(), &position.id);
                        push(
                            by_category.entry((id, catalogue_criterion.category)).or_default(),
                            &position.id,
                        );
                        observed.entry(id).or_default().insert(catalogue_criterion.id.as_str());
                    }
                }
            }
        }
    }

    let competences = catalogue
        .competences()
        .map(|competence| {
            let id = competence.id.as_str();
            CompetenceCoverage {
                competence: competence.id.clone(),
                positions: positions.get(id).cloned().unwrap_or_default(),
                categories: Category::ALL
                    .into_iter()
                    .map(|category| (category, by_category.get(&(id, category)).cloned().unwrap_or_default()))
                    .collect(),
                criteria_observed: observed.get(id).map_or(0, BTreeSet::len),
                criteria_total: competence.criteria.len(),
            }
        })
        .collect();
    Coverage { competences, missing_rubrics: missing_rubrics.into_iter().collect() }
}

/// The coverage of `catalogue` by a set of case studies (a case bank, or
/// the cases of one exam year): the same shape as a blueprint's
/// [`Coverage`], with case ids where a blueprint has positions. A case
/// assesses a competence it names, or one of whose criteria it names; it
/// reaches a category through the catalogue criteria it names.
pub fn case_coverage(catalogue: &Catalogue, cases: &[&CaseStudy]) -> Coverage {
    let mut by_competence: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut by_category: BTreeMap<(&str, Category), Vec<String>> = BTreeMap::new();
    let mut observed: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let push = |list: &mut Vec<String>, id: &str| {
        if !list.iter().any(|existing| existing == id) {
            list.push(id.to_owned());
        }
    };
    for case in cases {
        for competence in &case.competences {
            if let Some(c) = catalogue.competence(competence) {
                push(by_competence.entry(c.id.as_str()).or_default(), &case.id);
            }
        }
        for criterion in &case.criteria {
            if let Some((competence, catalogue_criterion)) = catalogue.criterion(criterion) {
                let id = competence.id.as_str();
                push(by_competence.entry(id).or_default(), &case.id);
                push(by_category.entry((id, catalogue_criterion.category)).or_default(), &case.id);
                observed.entry(id).or_default().insert(catalogue_criterion.id.as_str());
            }
        }
    }
    let competences = catalogue
        .competences()
        .map(|competence| {
            let id = competence.id.as_str();
            CompetenceCoverage {
                competence: competence.id.clone(),
                positions: by_competence.get(id).cloned().unwrap_or_default(),
                categories: Category::ALL
                    .into_iter()
                    .map(|category| (category, by_category.get(&(id, category)).cloned().unwrap_or_default()))
                    .collect(),
                criteria_observed: observed.get(id).map_or(0, BTreeSet::len),
                criteria_total: competence.criteria.len(),
            }
        })
        .collect();
    Coverage { competences, missing_rubrics: Vec::new() }
}
