//! Criterion analysis in the sense of classical test theory: how each
//! rubric criterion is used, how hard it is, whether it separates strong
//! from weak candidates, how often examiners disagree on it, and how
//! consistent the rubric is as a whole (Cronbach's alpha).
//!
//! [`analyse`] takes the ratings of one rubric. A candidate's score on a
//! criterion is the mean of the levels its examiners gave (so double
//! marking counts once per candidate); the rubric-level statistics
//! (discrimination, alpha) use the candidates with a score on every
//! criterion that was rated at all (listwise deletion), and say how many
//! that was.
//!
//! - difficulty is the classical p-value, mean level / maximum (higher is
//!   easier);
//! - discrimination is the corrected item–rest correlation: Pearson's r
//!   between the criterion and the sum of the other criteria;
//! - alpha = k/(k−1) × (1 − Σ item variances / variance of the total), and
//!   "alpha if deleted" is the same without one criterion;
//! - disagreement counts, over every pair of examiners who both gave a level
//!   to the same candidate on the criterion, how often the levels differ.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::{Design, InputError, Observation, Rating, validate};
use crate::numeric::{PearsonFailure, negligible, pearson, sample_variance, sum_of_squares};
use crate::{Estimate, MatrixError, Reason, check_matrix};

/// How often the examiners of the same candidate gave different levels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Disagreement {
    /// Pairs of levels from two examiners on the same candidate.
    pub pairs: usize,
    /// Pairs whose levels differ.
    pub differing: usize,
    /// `differing / pairs`.
    pub rate: Estimate,
    /// Mean absolute difference between the two levels of a pair.
    pub mean_absolute_difference: Estimate,
}

/// The statistics of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionStats {
    /// The criterion (index in the design).
    pub criterion: usize,
    /// Its highest level.
    pub max: u32,
    /// Number of levels given (ratings other than "not assessable").
    pub ratings: usize,
    /// Number of "not assessable" ratings.
    pub not_assessable: usize,
    /// Share of "not assessable" among all ratings of the criterion.
    pub not_assessable_rate: Estimate,
    /// Mean level over all levels given.
    pub mean_level: Estimate,
    /// How many times each level `0..=max` was given.
    pub distribution: Vec<usize>,
    /// Mean level / maximum (the classical p-value; higher is easier).
    pub difficulty: Estimate,
    /// Corrected item–rest correlation over the complete candidates.
    pub discrimination: Estimate,
    /// The rubric's alpha without this criterion.
    pub alpha_if_deleted: Estimate,
    /// Agreement between the examiners of the same candidate.
    pub disagreement: Disagreement,
}

/// The analysis of one rubric's criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemAnalysis {
    /// One entry per criterion of the design, in index order.
    pub criteria: Vec<CriterionStats>,
    /// Cronbach's alpha of the rubric.
    pub alpha: Estimate,
    /// The criteria that entered alpha and discrimination: those rated at
    /// least once.
    pub criteria_in_alpha: Vec<usize>,
    /// Candidates with a score on each of those criteria (used for alpha and
    /// discrimination).
    pub complete_candidates: usize,
    /// Candidates with some ratings but not on every such criterion (left
    /// out of alpha and discrimination).
    pub incomplete_candidates: usize,
}

/// Analyses the criteria of one rubric from its ratings.
pub fn analyse(design: &Design, observations: &[Observation]) -> Result<ItemAnalysis, InputError> {
    validate(design, observations)?;
    let criteria = design.criterion_max.len();
    let mut distribution: Vec<Vec<usize>> =
        design.criterion_max.iter().map(|&max| vec![0; max as usize + 1]).collect();
    let mut not_assessable = vec![0usize; criteria];
    // (candidate, criterion) → levels given by its examiners, in input order.
    let mut cells: BTreeMap<(usize, usize), Vec<u32>> = BTreeMap::new();
    for o in observations {
        match o.rating {
            Rating::Level(level) => {
                distribution[o.criterion][level as usize] += 1;
                cells.entry((o.candidate, o.criterion)).or_default().push(level);
            }
            Rating::NotAssessable => not_assessable[o.criterion] += 1,
        }
    }

    let disagreements = disagreements(criteria, &cells);

    // The candidate × criterion matrix over the criteria rated at all.
    let criteria_in_alpha: Vec<usize> =
        (0..criteria).filter(|&i| distribution[i].iter().any(|&c| c > 0)).collect();
    let mut by_candidate: BTreeMap<usize, Vec<Option<f64>>> = BTreeMap::new();
    for (&(candidate, criterion), levels) in &cells {
        if let Some(column) = criteria_in_alpha.iter().position(|&i| i == criterion) {
            let row = by_candidate.entry(candidate).or_insert_with(|| vec![None; criteria_in_alpha.len()]);
            row[column] = Some(levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64);
        }
    }
    let complete: Vec<Vec<f64>> =
        by_candidate.values().filter_map(|row| row.iter().copied().collect::<Option<Vec<f64>>>()).collect();
    let incomplete_candidates = by_candidate.len() - complete.len();
    // Finite by construction (means of small integers), so this cannot fail.
    let report = cronbach_alpha(&complete).unwrap_or_else(|_| AlphaReport::empty());
    let by_column = |values: &[Estimate], criterion: usize, absent: Reason| {
        criteria_in_alpha
            .iter()
            .position(|&i| i == criterion)
            .and_then(|column| values.get(column).copied())
            .unwrap_or(Estimate::not_estimable(absent))
    };

    let stats = (0..criteria)
        .map(|criterion| {
            let max = design.criterion_max[criterion];
            let counts = &distribution[criterion];
            let ratings: usize = counts.iter().sum();
            let total: f64 = counts.iter().enumerate().map(|(level, &c)| level as f64 * c as f64).sum();
            let mean_level = if ratings == 0 {
                Estimate::not_estimable(Reason::NoRatings)
            } else {
                Estimate::finite(total / ratings as f64)
            };
            let difficulty = match mean_level {
                Estimate::Estimated { value } if max > 0 => Estimate::finite(value / f64::from(max)),
                Estimate::Estimated { .. } => Estimate::not_estimable(Reason::SingleLevel),
                other => other,
            };
            let all = ratings + not_assessable[criterion];
            CriterionStats {
                criterion,
                max,
                ratings,
                not_assessable: not_assessable[criterion],
                not_assessable_rate: if all == 0 {
                    Estimate::not_estimable(Reason::NoRatings)
                } else {
                    Estimate::finite(not_assessable[criterion] as f64 / all as f64)
                },
                mean_level,
                distribution: counts.clone(),
                difficulty,
                discrimination: by_column(&report.item_rest, criterion, Reason::NoRatings),
                alpha_if_deleted: by_column(&report.alpha_if_deleted, criterion, Reason::NoRatings),
                disagreement: disagreements[criterion],
            }
        })
        .collect();
    Ok(ItemAnalysis {
        criteria: stats,
        alpha: report.alpha,
        criteria_in_alpha,
        complete_candidates: complete.len(),
        incomplete_candidates,
    })
}

/// Per criterion, the disagreement over all pairs of levels given to the
/// same candidate by different examiners (validation guarantees that one
/// examiner rates a candidate on a criterion at most once).
fn disagreements(criteria: usize, cells: &BTreeMap<(usize, usize), Vec<u32>>) -> Vec<Disagreement> {
    let mut pairs = vec![0usize; criteria];
    let mut differing = vec![0usize; criteria];
    let mut absolute = vec![0u64; criteria];
    for (&(_, criterion), levels) in cells {
        for (a, &x) in levels.iter().enumerate() {
            for &y in &levels[a + 1..] {
                pairs[criterion] += 1;
                if x != y {
                    differing[criterion] += 1;
                }
                absolute[criterion] += u64::from(x.abs_diff(y));
            }
        }
    }
    (0..criteria)
        .map(|i| {
            let (rate, mean_absolute_difference) = if pairs[i] == 0 {
                (
                    Estimate::not_estimable(Reason::NoPairedRatings),
                    Estimate::not_estimable(Reason::NoPairedRatings),
                )
            } else {
                let p = pairs[i] as f64;
                (Estimate::finite(differing[i] as f64 / p), Estimate::finite(absolute[i] as f64 / p))
            };
            Disagreement { pairs: pairs[i], differing: differing[i], rate, mean_absolute_difference }
        })
        .collect()
}

/// Cronbach's alpha of a score matrix, with each item's item–rest
/// correlation and the alpha without it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaReport {
    /// Number of candidates (rows).
    pub candidates: usize,
    /// Number of items (columns).
    pub items: usize,
    /// Cronbach's alpha.
    pub alpha: Estimate,
    /// Per item, alpha computed without it (needs three items or more).
    pub alpha_if_deleted: Vec<Estimate>,
    /// Per item, Pearson's r between it and the sum of the other items.
    pub item_rest: Vec<Estimate>,
}

impl AlphaReport {
    fn empty() -> Self {
        AlphaReport {
            candidates: 0,
            items: 0,
            alpha: Estimate::not_estimable(Reason::TooFewCases { needed: 2, found: 0 }),
            alpha_if_deleted: Vec::new(),
            item_rest: Vec::new(),
        }
    }
}

/// Cronbach's alpha of a candidates × items matrix, with item–rest
/// correlations and alpha-if-deleted. Alpha needs two candidates, two items
/// and a total score that varies.
pub fn cronbach_alpha(scores: &[Vec<f64>]) -> Result<AlphaReport, MatrixError> {
    let items = check_matrix(scores)?;
    let candidates = scores.len();
    let columns: Vec<Vec<f64>> = (0..items).map(|j| scores.iter().map(|r| r[j]).collect()).collect();
    let all: Vec<usize> = (0..items).collect();
    let alpha = alpha_of(&columns, &all, candidates);
    let alpha_if_deleted = (0..items)
        .map(|left_out| {
            let kept: Vec<usize> = (0..items).filter(|&j| j != left_out).collect();
            alpha_of(&columns, &kept, candidates)
        })
        .collect();
    let item_rest = (0..items)
        .map(|item| {
            if items < 2 {
                return Estimate::not_estimable(Reason::TooFewItems { needed: 2, found: items });
            }
            let rest: Vec<f64> = scores
                .iter()
                .map(|row| row.iter().enumerate().filter(|(j, _)| *j != item).map(|(_, v)| v).sum())
                .collect();
            match pearson(&columns[item], &rest) {
                Ok(r) => Estimate::finite(r),
                Err(PearsonFailure::TooFew) => {
                    Estimate::not_estimable(Reason::TooFewCases { needed: 2, found: candidates })
                }
                Err(PearsonFailure::Constant) => Estimate::not_estimable(Reason::NoVariance),
            }
        })
        .collect();
    Ok(AlphaReport { candidates, items, alpha, alpha_if_deleted, item_rest })
}

/// Alpha over the listed columns.
fn alpha_of(columns: &[Vec<f64>], kept: &[usize], candidates: usize) -> Estimate {
    let k = kept.len();
    if k < 2 {
        return Estimate::not_estimable(Reason::TooFewItems { needed: 2, found: k });
    }
    if candidates < 2 {
        return Estimate::not_estimable(Reason::TooFewCases { needed: 2, found: candidates });
    }
    let totals: Vec<f64> = (0..candidates).map(|n| kept.iter().map(|&j| columns[j][n]).sum()).collect();
    let (deviations, raw) = sum_of_squares(&totals);
    if negligible(deviations, raw) {
        return Estimate::not_estimable(Reason::NoVariance);
    }
    let total_variance = deviations / (candidates - 1) as f64;
    let item_variances: f64 = kept.iter().filter_map(|&j| sample_variance(&columns[j])).sum();
    let kf = k as f64;
    Estimate::finite(kf / (kf - 1.0) * (1.0 - item_variances / total_variance))
}

/// Limits beyond which [`worst_first`] raises a concern about a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReviewThresholds {
    /// Discrimination (item–rest r) below this is a concern; 0.2 by default,
    /// a common rule of thumb for "poor" items.
    pub min_discrimination: f64,
    /// A disagreement rate above this is a concern; 0.3 by default.
    pub max_disagreement: f64,
    /// A "not assessable" rate above this is a concern; 0.1 by default.
    pub max_not_assessable: f64,
}

impl Default for ReviewThresholds {
    fn default() -> Self {
        ReviewThresholds { min_discrimination: 0.2, max_disagreement: 0.3, max_not_assessable: 0.1 }
    }
}

/// Something about a criterion that the board may want to rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Concern {
    /// Every complete candidate got the same level: the criterion does not
    /// separate candidates at all.
    NoVariance,
    /// The item–rest correlation is below the threshold (a negative value
    /// means the criterion runs against the rest of the rubric).
    LowDiscrimination {
        /// The item–rest correlation.
        value: f64,
        /// The threshold.
        threshold: f64,
    },
    /// The examiners of the same candidate disagree more often than the
    /// threshold.
    FrequentDisagreement {
        /// The disagreement rate.
        rate: f64,
        /// The threshold.
        threshold: f64,
    },
    /// The criterion is marked "not assessable" more often than the
    /// threshold.
    OftenNotAssessable {
        /// The "not assessable" rate.
        rate: f64,
        /// The threshold.
        threshold: f64,
    },
    /// The criterion was never rated with a level.
    NeverRated,
}

/// A criterion with the concerns it raises, in review order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionReview {
    /// The criterion.
    pub criterion: usize,
    /// The concerns (empty for a criterion that raises none).
    pub concerns: Vec<Concern>,
    /// Its discrimination, repeated for the reader.
    pub discrimination: Estimate,
    /// Its disagreement rate, repeated for the reader.
    pub disagreement_rate: Estimate,
}

/// Orders the criteria "worst first", each with its concerns: first by the
/// number of concerns, then by discrimination (lowest first; a criterion
/// without variance counts as lowest), then by disagreement (highest first),
/// then by index. Every criterion is listed, those without concern last.
pub fn worst_first(analysis: &ItemAnalysis, thresholds: &ReviewThresholds) -> Vec<CriterionReview> {
    let mut reviews: Vec<CriterionReview> = analysis
        .criteria
        .iter()
        .map(|c| {
            let mut concerns = Vec::new();
            if c.ratings == 0 {
                concerns.push(Concern::NeverRated);
            }
            match c.discrimination {
                Estimate::NotEstimable { reason: Reason::NoVariance } => concerns.push(Concern::NoVariance),
                Estimate::Estimated { value } if value < thresholds.min_discrimination => concerns
                    .push(Concern::LowDiscrimination { value, threshold: thresholds.min_discrimination }),
                _ => {}
            }
            if let Some(rate) = c.disagreement.rate.value()
                && rate > thresholds.max_disagreement
            {
                concerns.push(Concern::FrequentDisagreement { rate, threshold: thresholds.max_disagreement });
            }
            if let Some(rate) = c.not_assessable_rate.value()
                && rate > thresholds.max_not_assessable
            {
                concerns.push(Concern::OftenNotAssessable { rate, threshold: thresholds.max_not_assessable });
            }
            CriterionReview {
                criterion: c.criterion,
                concerns,
                discrimination: c.discrimination,
                disagreement_rate: c.disagreement.rate,
            }
        })
        .collect();
    let discrimination_key = |r: &CriterionReview| match r.discrimination {
        Estimate::Estimated { value } => value,
        Estimate::NotEstimable { reason: Reason::NoVariance } => f64::NEG_INFINITY,
        // Unknown discrimination is no evidence against the criterion.
        Estimate::NotEstimable { .. } => f64::INFINITY,
    };
    let disagreement_key = |r: &CriterionReview| r.disagreement_rate.value().unwrap_or(f64::NEG_INFINITY);
    reviews.sort_by(|a, b| {
        b.concerns
            .len()
            .cmp(&a.concerns.len())
            .then(discrimination_key(a).total_cmp(&discrimination_key(b)))
            .then(disagreement_key(b).total_cmp(&disagreement_key(a)))
            .then(a.criterion.cmp(&b.criterion))
    });
    reviews
}
