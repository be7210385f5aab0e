//! Standard setting: where to put the pass mark.
//!
//! - [`angoff`] (modified Angoff): each judge estimates, item by item, what a
//!   minimally competent candidate obtains; a judge's cut score is the sum
//!   of their estimates, and the panel's is the mean over judges, with the
//!   standard deviation between judges and the standard error of the mean
//!   (SD / √judges).
//! - [`hofstee`]: the judges give the lowest and highest acceptable cut
//!   score and the lowest and highest acceptable fail rate; with the means
//!   of these four numbers, the line from (lowest cut, highest fail rate) to
//!   (highest cut, lowest fail rate) is intersected with the observed fail
//!   rate as a function of the cut score. The result is a proposal on the
//!   raw score scale; turning it into a grading scheme is the caller's job.

use std::fmt;

use serde::Serialize;

use crate::numeric::{mean, sample_variance};
use crate::{Estimate, Reason};

/// Whether Angoff ratings are points or probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AngoffUnit {
    /// Expected points of a minimally competent candidate, from 0 to the
    /// item's maximum.
    Points,
    /// Probability (0 to 1) that a minimally competent candidate gets the
    /// item right; multiplied by the item's maximum.
    Probability,
}

/// A modified-Angoff panel's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AngoffResult {
    /// Each judge's cut score in points (sum over items).
    pub judge_cut_scores: Vec<f64>,
    /// Each item's mean expected points over the judges.
    pub item_means: Vec<f64>,
    /// The highest possible total (sum of the item maxima).
    pub max_total: f64,
    /// The panel's cut score: the mean of the judges' cut scores.
    pub cut_score: f64,
    /// The cut score as a share of the highest possible total.
    pub cut_share: Estimate,
    /// Standard deviation of the judges' cut scores (divisor judges − 1).
    pub standard_deviation: Estimate,
    /// Standard error of the cut score: SD / √judges.
    pub standard_error: Estimate,
}

/// One judge's Hofstee ranges. Fail rates are shares from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HofsteeJudgement {
    /// Lowest acceptable cut score (points).
    pub min_cut: f64,
    /// Highest acceptable cut score (points).
    pub max_cut: f64,
    /// Lowest acceptable fail rate.
    pub min_fail_rate: f64,
    /// Highest acceptable fail rate.
    pub max_fail_rate: f64,
}

/// A Hofstee compromise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HofsteeResult {
    /// The judges' mean ranges that define the line.
    pub panel: HofsteeJudgement,
    /// Number of observed scores.
    pub candidates: usize,
    /// The intersection, or why there is none.
    pub outcome: HofsteeOutcome,
}

/// Where the Hofstee line meets the observed fail-rate curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HofsteeOutcome {
    /// The line meets the curve within the acceptable ranges.
    Cut {
        /// The compromise cut score: a candidate passes with a score at or
        /// above it.
        cut_score: f64,
        /// The fail rate on the line at the cut score.
        line_fail_rate: f64,
        /// The share of observed scores strictly below the cut score, i.e.
        /// the fail rate this cut would produce.
        fail_rate: f64,
    },
    /// Even at the lowest acceptable cut score, more candidates fail than
    /// the highest acceptable fail rate.
    TooManyFailAtLowestCut {
        /// The fail rate at the lowest acceptable cut score.
        fail_rate: f64,
    },
    /// Even at the highest acceptable cut score, fewer candidates fail than
    /// the lowest acceptable fail rate.
    TooFewFailAtHighestCut {
        /// The fail rate at the highest acceptable cut score.
        fail_rate: f64,
    },
}

/// Input that a standard-setting method cannot use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StandardSettingError {
    /// No judge.
    NoJudges,
    /// No item.
    NoItems,
    /// A judge rated a different number of items than there are maxima.
    Ragged {
        /// The judge (row).
        judge: usize,
        /// Items rated.
        length: usize,
        /// Items expected.
        expected: usize,
    },
    /// An item's maximum is not a positive finite number.
    InvalidMaximum {
        /// The item.
        item: usize,
        /// Its maximum.
        max: f64,
    },
    /// A rating is not finite or lies outside 0..=maximum (or 0..=1 for
    /// probabilities).
    RatingOutOfRange {
        /// The judge.
        judge: usize,
        /// The item.
        item: usize,
        /// The rating.
        value: f64,
    },
    /// A Hofstee judgement is not finite, has a minimum above its maximum,
    /// or a fail rate outside 0..=1.
    InvalidJudgement {
        /// The judge.
        judge: usize,
    },
    /// The panel's mean ranges are empty (lowest = highest cut score or
    /// lowest = highest fail rate), so there is no line.
    DegenerateRanges,
    /// The numbers are so large that their sums or differences leave the
    /// range of floating-point numbers.
    TooLarge,
    /// No observed score.
    NoScores,
    /// An observed score is not finite.
    ScoreNotFinite {
        /// Its position.
        index: usize,
    },
}

impl fmt::Display for StandardSettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StandardSettingError::NoJudges => write!(f, "no judge"),
            StandardSettingError::NoItems => write!(f, "no item"),
            StandardSettingError::Ragged { judge, length, expected } => {
                write!(f, "judge {judge} rated {length} items, expected {expected}")
            }
            StandardSettingError::InvalidMaximum { item, max } => {
                write!(f, "item {item} has maximum {max}, which is not a positive number")
            }
            StandardSettingError::RatingOutOfRange { judge, item, value } => {
                write!(f, "judge {judge} rated item {item} {value}, outside its range")
            }
            StandardSettingError::InvalidJudgement { judge } => write!(
                f,
                "judge {judge}'s ranges are not finite, inverted, or have fail rates outside 0 to 1"
            ),
            StandardSettingError::DegenerateRanges => {
                write!(f, "the panel's acceptable cut scores or fail rates are a single value")
            }
            StandardSettingError::TooLarge => write!(f, "the numbers are too large to add up"),
            StandardSettingError::NoScores => write!(f, "no observed score"),
            StandardSettingError::ScoreNotFinite { index } => {
                write!(f, "score {index} is not a finite number")
            }
        }
    }
}

impl std::error::Error for StandardSettingError {}

/// The modified-Angoff cut score from a judges × items matrix of ratings
/// (`ratings[judge][item]`) and the items' maximum points.
pub fn angoff(
    ratings: &[Vec<f64>],
    item_max: &[f64],
    unit: AngoffUnit,
) -> Result<AngoffResult, StandardSettingError> {
    if ratings.is_empty() {
        return Err(StandardSettingError::NoJudges);
    }
    if item_max.is_empty() {
        return Err(StandardSettingError::NoItems);
    }
    if let Some((item, &max)) = item_max.iter().enumerate().find(|(_, m)| !(m.is_finite() && **m > 0.0)) {
        return Err(StandardSettingError::InvalidMaximum { item, max });
    }
    // Every judge's sum is at most this, so all sums are finite if it is.
    if !item_max.iter().sum::<f64>().is_finite() {
        return Err(StandardSettingError::TooLarge);
    }
    let mut points = Vec::with_capacity(ratings.len());
    for (judge, row) in ratings.iter().enumerate() {
        if row.len() != item_max.len() {
            return Err(StandardSettingError::Ragged { judge, length: row.len(), expected: item_max.len() });
        }
        let mut judge_points = Vec::with_capacity(row.len());
        for (item, (&value, &max)) in row.iter().zip(item_max).enumerate() {
            let limit = match unit {
                AngoffUnit::Points => max,
                AngoffUnit::Probability => 1.0,
            };
            if !(value.is_finite() && (0.0..=limit).contains(&value)) {
                return Err(StandardSettingError::RatingOutOfRange { judge, item, value });
            }
            judge_points.push(match unit {
                AngoffUnit::Points => value,
                AngoffUnit::Probability => value * max,
            });
        }
        points.push(judge_points);
    }
    let judge_cut_scores: Vec<f64> = points.iter().map(|row| row.iter().sum()).collect();
    let judges = judge_cut_scores.len();
    let item_means =
        (0..item_max.len()).map(|i| points.iter().map(|row| row[i]).sum::<f64>() / judges as f64).collect();
    let max_total: f64 = item_max.iter().sum();
    let cut_score = mean(&judge_cut_scores).unwrap_or(0.0);
    let (standard_deviation, standard_error) = match sample_variance(&judge_cut_scores) {
        Some(variance) => {
            let sd = variance.max(0.0).sqrt();
            (Estimate::finite(sd), Estimate::finite(sd / (judges as f64).sqrt()))
        }
        None => {
            let reason = Reason::TooFewCases { needed: 2, found: judges };
            (Estimate::not_estimable(reason), Estimate::not_estimable(reason))
        }
    };
    Ok(AngoffResult {
        judge_cut_scores,
        item_means,
        max_total,
        cut_score,
        cut_share: Estimate::finite(cut_score / max_total),
        standard_deviation,
        standard_error,
    })
}

/// The Hofstee compromise from the judges' ranges and the observed total
/// scores.
///
/// The fail rate as a function of the cut score c is the share of scores
/// strictly below c: a step function that rises at each observed score.
/// Drawn with its vertical rises, it is a monotone curve that the falling
/// line crosses exactly once, either on a level part (the cut score is
/// where the line has that fail rate) or on a rise (the cut score is the
/// observed score where the curve rises). No interpolation between scores
/// is made up.
pub fn hofstee(
    judgements: &[HofsteeJudgement],
    scores: &[f64],
) -> Result<HofsteeResult, StandardSettingError> {
    if judgements.is_empty() {
        return Err(StandardSettingError::NoJudges);
    }
    for (judge, j) in judgements.iter().enumerate() {
        let finite = [j.min_cut, j.max_cut, j.min_fail_rate, j.max_fail_rate].iter().all(|v| v.is_finite());
        let rates = (0.0..=1.0).contains(&j.min_fail_rate) && (0.0..=1.0).contains(&j.max_fail_rate);
        if !(finite && rates && j.min_cut <= j.max_cut && j.min_fail_rate <= j.max_fail_rate) {
            return Err(StandardSettingError::InvalidJudgement { judge });
        }
    }
    if scores.is_empty() {
        return Err(StandardSettingError::NoScores);
    }
    if let Some(index) = scores.iter().position(|s| !s.is_finite()) {
        return Err(StandardSettingError::ScoreNotFinite { index });
    }
    let average =
        |f: fn(&HofsteeJudgement) -> f64| judgements.iter().map(f).sum::<f64>() / judgements.len() as f64;
    let panel = HofsteeJudgement {
        min_cut: average(|j| j.min_cut),
        max_cut: average(|j| j.max_cut),
        min_fail_rate: average(|j| j.min_fail_rate),
        max_fail_rate: average(|j| j.max_fail_rate),
    };
    let cut_range = panel.max_cut - panel.min_cut;
    let rate_range = panel.max_fail_rate - panel.min_fail_rate;
    if !cut_range.is_finite() {
        return Err(StandardSettingError::TooLarge);
    }
    if !(cut_range > 0.0 && rate_range > 0.0) {
        return Err(StandardSettingError::DegenerateRanges);
    }
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let count = sorted.len() as f64;
    // Share of scores strictly below c, and at or below c.
    let below = |c: f64| sorted.partition_point(|&s| s < c) as f64 / count;
    let at_or_below = |c: f64| sorted.partition_point(|&s| s <= c) as f64 / count;
    let line = |c: f64| panel.max_fail_rate - (c - panel.min_cut) / cut_range * rate_range;
    let line_inverse = |rate: f64| panel.min_cut + (panel.max_fail_rate - rate) / rate_range * cut_range;

    let crossing = crossing(&sorted, below, at_or_below, line, line_inverse);
    let outcome = if crossing < panel.min_cut {
        HofsteeOutcome::TooManyFailAtLowestCut { fail_rate: below(panel.min_cut) }
    } else if crossing > panel.max_cut {
        HofsteeOutcome::TooFewFailAtHighestCut { fail_rate: below(panel.max_cut) }
    } else {
        HofsteeOutcome::Cut {
            cut_score: crossing,
            line_fail_rate: line(crossing),
            fail_rate: below(crossing),
        }
    };
    Ok(HofsteeResult { panel, candidates: scores.len(), outcome })
}

/// The cut score where the falling line (extended beyond the panel's
/// ranges) crosses the fail-rate curve.
fn crossing(
    sorted: &[f64],
    below: impl Fn(f64) -> f64,
    at_or_below: impl Fn(f64) -> f64,
    line: impl Fn(f64) -> f64,
    line_inverse: impl Fn(f64) -> f64,
) -> f64 {
    let mut previous: Option<f64> = None;
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    for &score in &distinct {
        // The level part before this score, at the rate of the scores
        // below it.
        let level = below(score);
        let c = line_inverse(level);
        if c < score && previous.is_none_or(|p| c > p) {
            return c;
        }
        // The rise at this score, from `below` to `at_or_below`.
        let on_line = line(score);
        if level <= on_line && on_line <= at_or_below(score) {
            return score;
        }
        previous = Some(score);
    }
    // Past the highest score everybody fails.
    line_inverse(1.0)
}
