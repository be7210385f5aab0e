//! The competence profile: where the points of each rubric criterion count
//! (catalogue criteria, competences, domains, categories), prepared once
//! per scorer and summed candidate by candidate.

use std::collections::{BTreeMap, BTreeSet};

use grille_competence::Catalogue;
use rust_decimal::Decimal;

use crate::blueprint::Position;
use crate::calc::{self};
use crate::rubric::RubricCriterion;

use super::{CompetenceProfile, ProfileEntry};

/// Where the points of one rubric criterion of one position count in the
/// competence profile, computed once per scorer.
#[derive(Debug, Clone, Default)]
pub(super) struct Attribution {
    pub(super) criteria: Vec<String>,
    pub(super) competences: Vec<String>,
    pub(super) domains: Vec<String>,
    pub(super) categories: Vec<&'static str>,
}

impl Attribution {
    /// Attribution rule: a rubric criterion's weighted points and maximum
    /// count in full (not split) once for each catalogue criterion it
    /// observes, once for each distinct competence it observes (those of its
    /// catalogue criteria and those it names), once for each distinct
    /// domain of these competences and once for each distinct category of
    /// its catalogue criteria. A rubric criterion that observes nothing
    /// counts for the competences of its position.
    pub(super) fn of(catalogue: &Catalogue, criterion: &RubricCriterion, position: &Position) -> Attribution {
        let mut criteria = Vec::new();
        let mut competences = BTreeSet::new();
        let mut categories = BTreeSet::new();
        for id in &criterion.catalogue_criteria {
            if let Some((competence, found)) = catalogue.criterion(id) {
                criteria.push(id.clone());
                competences.insert(competence.id.clone());
                categories.insert(found.category.key());
            }
        }
        competences.extend(criterion.competences.iter().cloned());
        if criterion.catalogue_criteria.is_empty() && criterion.competences.is_empty() {
            competences.extend(position.competences.iter().cloned());
        }
        let domains: BTreeSet<String> = competences
            .iter()
            .filter_map(|id| catalogue.domain_of(id))
            .map(|domain| domain.id.clone())
            .collect();
        Attribution {
            criteria,
            competences: competences.into_iter().collect(),
            domains: domains.into_iter().collect(),
            categories: categories.into_iter().collect(),
        }
    }
}

#[derive(Default)]
pub(super) struct ProfileBuilder {
    pub(super) competences: BTreeMap<String, (Decimal, Decimal)>,
    pub(super) domains: BTreeMap<String, (Decimal, Decimal)>,
    pub(super) categories: BTreeMap<String, (Decimal, Decimal)>,
    pub(super) criteria: BTreeMap<String, (Decimal, Decimal)>,
}

pub(super) fn credit(
    map: &mut BTreeMap<String, (Decimal, Decimal)>,
    id: &str,
    points: Decimal,
    max: Decimal,
) {
    // Look up before inserting: `entry` would allocate the key every time.
    match map.get_mut(id) {
        Some(entry) => {
            entry.0 = entry.0.saturating_add(points);
            entry.1 = entry.1.saturating_add(max);
        }
        None => {
            map.insert(id.to_owned(), (points, max));
        }
    }
}

impl ProfileBuilder {
    /// Credits a rubric criterion's weighted points and maximum to every
    /// entry of its attribution.
    pub(super) fn add(&mut self, attribution: &Attribution, points: Decimal, max: Decimal) {
        for id in &attribution.criteria {
            credit(&mut self.criteria, id, points, max);
        }
        for id in &attribution.competences {
            credit(&mut self.competences, id, points, max);
        }
        for id in &attribution.domains {
            credit(&mut self.domains, id, points, max);
        }
        for key in &attribution.categories {
            credit(&mut self.categories, key, points, max);
        }
    }

    pub(super) fn build(self) -> CompetenceProfile {
        let entries = |map: BTreeMap<String, (Decimal, Decimal)>| {
            map.into_iter()
                .map(|(id, (points, max))| {
                    let percent = points
                        .checked_mul(Decimal::ONE_HUNDRED)
                        .and_then(|value| value.checked_div(max))
                        .and_then(|value| calc::round_half_up(value, Decimal::new(1, 1)).ok())
                        .unwrap_or(Decimal::ZERO);
                    ProfileEntry { id, points: points.normalize(), max_points: max.normalize(), percent }
                })
                .collect()
        };
        CompetenceProfile {
            competences: entries(self.competences),
            domains: entries(self.domains),
            categories: entries(self.categories),
            criteria: entries(self.criteria),
        }
    }
}
