//! A candidate's self-assessment: one level per criterion, and the profile
//! computed from it by domain, competence and category.
//!
//! The achievement of a group of criteria is the mean of its rated
//! criteria's scores, where the four levels score 0, 1/3, 2/3 and 1, given
//! as a percentage. Criteria not rated do not count; a group with no rated
//! criterion has no achievement.

use std::collections::BTreeMap;

use grille_competence::{Catalogue, Category};
use rust_decimal::{Decimal, RoundingStrategy};

/// The four levels of the self-assessment scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// "pas encore": not yet, or only with much help.
    NotYet,
    /// "partiellement": in simple situations or with help.
    Partly,
    /// "largement": alone in most situations.
    Largely,
    /// "entièrement": confidently, even in difficult situations.
    Fully,
}

impl Level {
    /// The levels from lowest to highest.
    pub const ALL: [Level; 4] = [Level::NotYet, Level::Partly, Level::Largely, Level::Fully];

    /// The number used in forms and exports: 1 to 4.
    pub fn number(self) -> u8 {
        match self {
            Level::NotYet => 1,
            Level::Partly => 2,
            Level::Largely => 3,
            Level::Fully => 4,
        }
    }

    /// The level for a number from 1 to 4.
    pub fn from_number(number: u8) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.number() == number)
    }

    /// The translation key of the level's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Level::NotYet => "level.not_yet",
            Level::Partly => "level.partly",
            Level::Largely => "level.largely",
            Level::Fully => "level.fully",
        }
    }

    /// The translation key of the level's description.
    pub fn description_key(self) -> &'static str {
        match self {
            Level::NotYet => "level.not_yet.description",
            Level::Partly => "level.partly.description",
            Level::Largely => "level.largely.description",
            Level::Fully => "level.fully.description",
        }
    }

    /// The score of the level, 0 to 3 (divided by 3 for a share).
    fn steps(self) -> u32 {
        u32::from(self.number() - 1)
    }
}

/// The translation key of a criterion category's label.
pub fn category_key(category: Category) -> &'static str {
    match category {
        Category::Performance => "category.performance",
        Category::Knowledge => "category.knowledge",
        Category::Attitudes => "category.attitudes",
        Category::Metacognition => "category.metacognition",
    }
}

/// The ratings of one candidate: a level for each rated criterion of the
/// catalogue. Only criteria of the catalogue can be in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ratings {
    levels: BTreeMap<String, Level>,
}

/// What could not be read from submitted ratings; the rest is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingProblem {
    /// The criterion id is not in the catalogue.
    UnknownCriterion(String),
    /// The value is not a level number 1 to 4.
    InvalidLevel {
        /// The criterion id.
        criterion: String,
        /// The value given.
        value: String,
    },
}

impl Ratings {
    /// Reads `(criterion id, level number)` pairs, e.g. from a form.
    /// Empty values mean "not rated" and are skipped; every other problem
    /// is returned beside the ratings that could be read.
    pub fn parse<'a>(
        catalogue: &Catalogue,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Ratings, Vec<RatingProblem>) {
        let mut ratings = Ratings::default();
        let mut problems = Vec::new();
        for (criterion, value) in pairs {
            if catalogue.criterion(criterion).is_none() {
                problems.push(RatingProblem::UnknownCriterion(criterion.to_owned()));
                continue;
            }
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match value.parse::<u8>().ok().and_then(Level::from_number) {
                Some(level) => {
                    ratings.levels.insert(criterion.to_owned(), level);
                }
                None => problems.push(RatingProblem::InvalidLevel {
                    criterion: criterion.to_owned(),
                    value: value.to_owned(),
                }),
            }
        }
        (ratings, problems)
    }

    /// The level given to a criterion, if rated.
    pub fn level(&self, criterion: &str) -> Option<Level> {
        self.levels.get(criterion).copied()
    }

    /// The number of rated criteria.
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// Whether no criterion is rated.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }
}

/// The achievement of one group of criteria (a domain, a competence or a
/// category).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Achievement {
    /// The id of the group: domain letter, competence id or category key.
    pub id: String,
    /// The number of rated criteria in the group.
    pub rated: usize,
    /// The number of criteria in the group.
    pub total: usize,
    /// The mean score of the rated criteria in percent (exact), or `None`
    /// when none is rated.
    pub percent: Option<Decimal>,
}

impl Achievement {
    /// The percentage rounded half up to a whole number, for display.
    pub fn rounded_percent(&self) -> Option<Decimal> {
        self.percent.map(|percent| {
            percent.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero).normalize()
        })
    }
}

#[derive(Default)]
struct Tally {
    rated: usize,
    total: usize,
    steps: u32,
}

impl Tally {
    fn add(&mut self, level: Option<Level>) {
        self.total += 1;
        if let Some(level) = level {
            self.rated += 1;
            self.steps += level.steps();
        }
    }

    fn achievement(&self, id: &str) -> Achievement {
        let percent = (self.rated > 0).then(|| {
            Decimal::from(self.steps) * Decimal::ONE_HUNDRED / (Decimal::from(3 * self.rated as u64))
        });
        Achievement { id: id.to_owned(), rated: self.rated, total: self.total, percent }
    }
}

/// A candidate's profile, in catalogue order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// All criteria together.
    pub overall: Achievement,
    /// One entry per domain, A to E.
    pub domains: Vec<Achievement>,
    /// One entry per competence, A1 to E4.
    pub competences: Vec<Achievement>,
    /// One entry per criterion category, in the profile's order.
    pub categories: Vec<Achievement>,
}

impl Profile {
    /// Computes the profile of `ratings` over `catalogue`.
    pub fn compute(catalogue: &Catalogue, ratings: &Ratings) -> Profile {
        let mut overall = Tally::default();
        let mut categories: Vec<Tally> = Category::ALL.iter().map(|_| Tally::default()).collect();
        let mut domains = Vec::new();
        let mut competences = Vec::new();
        for domain in catalogue.domains() {
            let mut domain_tally = Tally::default();
            for competence in &domain.competences {
                let mut competence_tally = Tally::default();
                for criterion in &competence.criteria {
                    let level = ratings.level(&criterion.id);
                    overall.add(level);
                    domain_tally.add(level);
                    competence_tally.add(level);
                    let category_index =
                        Category::ALL.iter().position(|c| *c == criterion.category).unwrap_or_default();
                    categories[category_index].add(level);
                }
                competences.push(competence_tally.achievement(&competence.id));
            }
            domains.push(domain_tally.achievement(&domain.id));
        }
        Profile {
            overall: overall.achievement("all"),
            domains,
            competences,
            categories: Category::ALL
                .iter()
                .zip(&categories)
                .map(|(category, tally)| tally.achievement(category.key()))
                .collect(),
        }
    }

    /// The rated competences from the weakest to the strongest; ties keep
    /// catalogue order.
    pub fn competences_to_work_on(&self) -> Vec<&Achievement> {
        let mut rated: Vec<&Achievement> = self.competences.iter().filter(|a| a.percent.is_some()).collect();
        rated.sort_by_key(|achievement| achievement.percent);
        rated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        Catalogue::embedded().unwrap_or_else(|problems| panic!("embedded catalogue: {problems:?}"))
    }

    #[test]
    fn parses_ratings_and_reports_problems() {
        let catalogue = catalogue();
        let (ratings, problems) =
            Ratings::parse(&catalogue, [("A1.p1", "4"), ("A1.p2", ""), ("A1.k1", "7"), ("Z9.p1", "2")]);
        assert_eq!(ratings.len(), 1);
        assert_eq!(ratings.level("A1.p1"), Some(Level::Fully));
        assert_eq!(
            problems,
            vec![
                RatingProblem::InvalidLevel { criterion: "A1.k1".into(), value: "7".into() },
                RatingProblem::UnknownCriterion("Z9.p1".into()),
            ]
        );
    }

    #[test]
    fn computes_exact_percentages() {
        let catalogue = catalogue();
        // A1.p1 fully (100 %), A1.p2 partly (33.33 %): A1 at 66.67 %.
        let (ratings, _) = Ratings::parse(&catalogue, [("A1.p1", "4"), ("A1.p2", "2")]);
        let profile = Profile::compute(&catalogue, &ratings);
        let a1 = &profile.competences[0];
        assert_eq!(a1.id, "A1");
        assert_eq!(a1.rated, 2);
        assert_eq!(a1.rounded_percent(), Some(Decimal::from(67)));
        assert_eq!(profile.domains[0].rounded_percent(), Some(Decimal::from(67)));
        assert_eq!(profile.domains[1].percent, None);
        assert_eq!(profile.categories[0].id, "performance");
        assert_eq!(profile.categories[0].rated, 2);
        assert_eq!(profile.overall.total, catalogue.criteria().count());
        assert_eq!(profile.competences.len(), catalogue.competences().count());
    }

    #[test]
    fn lists_the_weakest_competences_first() {
        let catalogue = catalogue();
        let (ratings, _) = Ratings::parse(&catalogue, [("A1.p1", "4"), ("A2.p1", "1"), ("B1.p1", "3")]);
        let profile = Profile::compute(&catalogue, &ratings);
        let order: Vec<&str> = profile.competences_to_work_on().iter().map(|a| a.id.as_str()).collect();
        assert_eq!(order, ["A2", "B1", "A1"]);
    }
}
