//! Intraclass correlations after Shrout & Fleiss (1979), from a complete
//! matrix of n targets (rows, e.g. candidates) rated by k raters (columns).
//!
//! The six coefficients come from the mean squares of a two-way analysis of
//! variance without replication:
//!
//! | coefficient | model | formula |
//! | --- | --- | --- |
//! | ICC(1,1) | one-way random: each target has its own raters | (BMS − WMS) / (BMS + (k−1) WMS) |
//! | ICC(2,1) | two-way random, absolute agreement | (BMS − EMS) / (BMS + (k−1) EMS + k (JMS − EMS) / n) |
//! | ICC(3,1) | two-way mixed, consistency | (BMS − EMS) / (BMS + (k−1) EMS) |
//! | ICC(1,k) | mean of k raters, model 1 | (BMS − WMS) / BMS |
//! | ICC(2,k) | mean of k raters, model 2 | (BMS − EMS) / (BMS + (JMS − EMS) / n) |
//! | ICC(3,k) | mean of k raters, model 3 | (BMS − EMS) / BMS |
//!
//! BMS: between targets, WMS: within targets, JMS: between raters (judges),
//! EMS: residual. For double marking with changing examiner pairs, raters
//! are "first" and "second" examiner and ICC(1,1) is the fitting model.
//!
//! Confidence intervals use the F distribution: exact for models 1 and 3
//! (Shrout & Fleiss 1979), and for model 2 the Satterthwaite approximation
//! of the degrees of freedom in the form given by McGraw & Wong (1996,
//! table 7). Unlike the others, ICC(2,1) has no lower bound of −1: with very
//! few targets and raters it can fall below −1 when targets and raters
//! explain less than the residual.

use std::fmt;

use serde::Serialize;

use crate::numeric::{f_quantile, negligible};
use crate::{Estimate, MatrixError, Reason, check_matrix};

/// Lower and upper limits of a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower limit.
    pub lower: f64,
    /// Upper limit.
    pub upper: f64,
}

/// One intraclass correlation coefficient.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coefficient {
    /// The point estimate.
    pub value: Estimate,
    /// The F statistic that tests "coefficient = 0" (BMS/WMS for model 1,
    /// BMS/EMS for models 2 and 3).
    pub f_statistic: Estimate,
    /// The confidence interval at the requested level.
    pub interval: Estimate<Interval>,
}

/// The two-way analysis of variance behind the coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeanSquares {
    /// Between targets (BMS), n − 1 degrees of freedom.
    pub between_targets: f64,
    /// Within targets (WMS), n (k − 1) degrees of freedom.
    pub within_targets: f64,
    /// Between raters (JMS), k − 1 degrees of freedom.
    pub between_raters: f64,
    /// Residual (EMS), (n − 1)(k − 1) degrees of freedom.
    pub residual: f64,
}

/// The intraclass correlations of one matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IccReport {
    /// Number of targets n (rows).
    pub targets: usize,
    /// Number of raters k (columns).
    pub raters: usize,
    /// The confidence level of the intervals, e.g. 0.95.
    pub confidence: f64,
    /// The analysis of variance.
    pub mean_squares: MeanSquares,
    /// ICC(1,1): one rating, raters differ from target to target.
    pub icc1_1: Coefficient,
    /// ICC(2,1): one rating, absolute agreement, raters a random sample.
    pub icc2_1: Coefficient,
    /// ICC(3,1): one rating, consistency, these raters only.
    pub icc3_1: Coefficient,
    /// ICC(1,k): the mean of k ratings, model 1.
    pub icc1_k: Coefficient,
    /// ICC(2,k): the mean of k ratings, model 2.
    pub icc2_k: Coefficient,
    /// ICC(3,k): the mean of k ratings, model 3 (equal to Cronbach's alpha
    /// with the raters as items).
    pub icc3_k: Coefficient,
}

/// Why no intraclass correlation can be computed from a matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IccError {
    /// The matrix is ragged or has a non-finite value.
    Matrix {
        /// The problem.
        problem: MatrixError,
    },
    /// Fewer than two targets or two raters.
    TooSmall {
        /// Targets (rows).
        targets: usize,
        /// Raters (columns).
        raters: usize,
    },
    /// The confidence level is not strictly between 0 and 1.
    InvalidConfidence {
        /// The level given.
        confidence: f64,
    },
    /// Every rating is the same: there is nothing to correlate.
    NoVariance,
    /// The values are so large that their squares leave the range of
    /// floating-point numbers.
    TooLarge,
}

impl fmt::Display for IccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IccError::Matrix { problem } => write!(f, "{problem}"),
            IccError::TooSmall { targets, raters } => write!(
                f,
                "intraclass correlations need at least two targets and two raters, found {targets} and {raters}"
            ),
            IccError::InvalidConfidence { confidence } => {
                write!(f, "the confidence level {confidence} is not between 0 and 1")
            }
            IccError::NoVariance => write!(f, "every rating is the same"),
            IccError::TooLarge => write!(f, "the ratings are too large to square"),
        }
    }
}

impl std::error::Error for IccError {}

/// Computes the six intraclass correlations of an n × k matrix (targets ×
/// raters, complete, n ≥ 2, k ≥ 2) with confidence intervals at level
/// `confidence` (e.g. 0.95).
pub fn icc(ratings: &[Vec<f64>], confidence: f64) -> Result<IccReport, IccError> {
    let k = check_matrix(ratings).map_err(|problem| IccError::Matrix { problem })?;
    let n = ratings.len();
    if n < 2 || k < 2 {
        return Err(IccError::TooSmall { targets: n, raters: k });
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(IccError::InvalidConfidence { confidence });
    }
    let (nf, kf) = (n as f64, k as f64);
    let grand = ratings.iter().flatten().sum::<f64>() / (nf * kf);
    let row_means: Vec<f64> = ratings.iter().map(|r| r.iter().sum::<f64>() / kf).collect();
    let column_means: Vec<f64> = (0..k).map(|j| ratings.iter().map(|r| r[j]).sum::<f64>() / nf).collect();
    let total: f64 = ratings.iter().flatten().map(|x| (x - grand) * (x - grand)).sum();
    // The scale against which sums of squares are judged to be zero.
    let scale: f64 = ratings.iter().flatten().map(|x| x * x).sum();
    if !(total.is_finite() && scale.is_finite()) {
        return Err(IccError::TooLarge);
    }
    if negligible(total, scale) {
        return Err(IccError::NoVariance);
    }
    let rows: f64 = kf * row_means.iter().map(|m| (m - grand) * (m - grand)).sum::<f64>();
    let columns: f64 = nf * column_means.iter().map(|m| (m - grand) * (m - grand)).sum::<f64>();
    // Clamped: rounding could make a zero residual slightly negative.
    let within = (total - rows).max(0.0);
    let residual = (total - rows - columns).max(0.0);
    let ms = MeanSquares {
        between_targets: rows / (nf - 1.0),
        within_targets: within / (nf * (kf - 1.0)),
        between_raters: columns / (kf - 1.0),
        residual: residual / ((nf - 1.0) * (kf - 1.0)),
    };
    let alpha = 1.0 - confidence;
    let tail = 1.0 - alpha / 2.0;
    let calc = Calculation { n: nf, k: kf, ms, tail, scale: total / (nf * kf) };
    Ok(IccReport {
        targets: n,
        raters: k,
        confidence,
        mean_squares: ms,
        icc1_1: calc.model1(false),
        icc2_1: calc.model2(false),
        icc3_1: calc.model3(false),
        icc1_k: calc.model1(true),
        icc2_k: calc.model2(true),
        icc3_k: calc.model3(true),
    })
}

/// The quantities every coefficient is computed from.
struct Calculation {
    n: f64,
    k: f64,
    ms: MeanSquares,
    /// Upper tail probability of the F quantiles: 1 − (1 − confidence) / 2.
    tail: f64,
    /// A mean square of the data's own size, to judge denominators zero.
    scale: f64,
}

impl Calculation {
    /// `numerator / denominator`, or the reason it is undefined. Every
    /// denominator estimates a variance; a negative one (only ICC(2,k)'s can
    /// be) makes the ratio meaningless.
    fn ratio(&self, numerator: f64, denominator: f64) -> Estimate {
        if negligible(denominator, self.scale) {
            Estimate::not_estimable(Reason::ZeroDenominator)
        } else if denominator < 0.0 {
            Estimate::not_estimable(Reason::NegativeVariance)
        } else {
            Estimate::finite(numerator / denominator)
        }
    }

    /// Model 1 (one-way): F = BMS / WMS on (n − 1, n (k − 1)) degrees of
    /// freedom; `average` selects ICC(1,k) instead of ICC(1,1).
    fn model1(&self, average: bool) -> Coefficient {
        let MeanSquares { between_targets: bms, within_targets: wms, .. } = self.ms;
        let k = self.k;
        let value =
            if average { self.ratio(bms - wms, bms) } else { self.ratio(bms - wms, bms + (k - 1.0) * wms) };
        let df_between = self.n - 1.0;
        let df_within = self.n * (k - 1.0);
        self.f_based(value, bms, wms, df_between, df_within, average)
    }

    /// Model 3 (two-way mixed, consistency): F = BMS / EMS on (n − 1,
    /// (n − 1)(k − 1)) degrees of freedom.
    fn model3(&self, average: bool) -> Coefficient {
        let MeanSquares { between_targets: bms, residual: ems, .. } = self.ms;
        let k = self.k;
        let value =
            if average { self.ratio(bms - ems, bms) } else { self.ratio(bms - ems, bms + (k - 1.0) * ems) };
        let df_between = self.n - 1.0;
        let df_residual = (self.n - 1.0) * (k - 1.0);
        self.f_based(value, bms, ems, df_between, df_residual, average)
    }

    /// Models 1 and 3 share the interval construction: the observed F is
    /// divided (lower) or multiplied (upper) by F quantiles, then turned
    /// back into a correlation.
    fn f_based(
        &self,
        value: Estimate,
        numerator_ms: f64,
        denominator_ms: f64,
        df1: f64,
        df2: f64,
        average: bool,
    ) -> Coefficient {
        let f_statistic = self.ratio(numerator_ms, denominator_ms);
        let interval = match (value, f_statistic) {
            (Estimate::Estimated { .. }, Estimate::Estimated { value: f0 }) => {
                match (f_quantile(self.tail, df1, df2), f_quantile(self.tail, df2, df1)) {
                    (Some(q_lower), Some(q_upper)) => {
                        let f_lower = f0 / q_lower;
                        let f_upper = f0 * q_upper;
                        let to_icc = |f: f64| {
                            if average { 1.0 - 1.0 / f } else { (f - 1.0) / (f + self.k - 1.0) }
                        };
                        interval(to_icc(f_lower), to_icc(f_upper))
                    }
                    _ => Estimate::not_estimable(Reason::NotFinite),
                }
            }
            (Estimate::NotEstimable { reason }, _) | (_, Estimate::NotEstimable { reason }) => {
                Estimate::not_estimable(reason)
            }
        };
        Coefficient { value, f_statistic, interval }
    }

    /// Model 2 (two-way random, absolute agreement), with the Satterthwaite
    /// degrees of freedom for the interval.
    fn model2(&self, average: bool) -> Coefficient {
        let MeanSquares { between_targets: bms, between_raters: jms, residual: ems, .. } = self.ms;
        let (n, k) = (self.n, self.k);
        let single = self.ratio(bms - ems, bms + (k - 1.0) * ems + k * (jms - ems) / n);
        let value = if average { self.ratio(bms - ems, bms + (jms - ems) / n) } else { single };
        let f_statistic = self.ratio(bms, ems);
        let interval = match (value, single) {
            (Estimate::Estimated { .. }, Estimate::Estimated { value: rho }) => {
                self.model2_interval(rho, average)
            }
            (Estimate::NotEstimable { reason }, _) | (_, Estimate::NotEstimable { reason }) => {
                Estimate::not_estimable(reason)
            }
        };
        Coefficient { value, f_statistic, interval }
    }

    fn model2_interval(&self, rho: f64, average: bool) -> Estimate<Interval> {
        let MeanSquares { between_targets: bms, between_raters: jms, residual: ems, .. } = self.ms;
        let (n, k) = (self.n, self.k);
        // The approximation weighs JMS and EMS by the single-rating
        // estimate; it breaks down at perfect agreement (ρ = 1).
        if negligible(1.0 - rho, 1.0) {
            return Estimate::not_estimable(Reason::ZeroDenominator);
        }
        let a = k * rho / (n * (1.0 - rho));
        let b = 1.0 + k * rho * (n - 1.0) / (n * (1.0 - rho));
        let numerator = (a * jms + b * ems).powi(2);
        let denominator = (a * jms).powi(2) / (k - 1.0) + (b * ems).powi(2) / ((n - 1.0) * (k - 1.0));
        if negligible(denominator, numerator) {
            return Estimate::not_estimable(Reason::ZeroDenominator);
        }
        let v = numerator / denominator;
        let (Some(f_star), Some(f_star_inverse)) =
            (f_quantile(self.tail, n - 1.0, v), f_quantile(self.tail, v, n - 1.0))
        else {
            return Estimate::not_estimable(Reason::NotFinite);
        };
        // The limits are ratios whose denominators estimate variances; with
        // a negative point estimate they can turn negative, and the limits
        // then mean nothing.
        let rater_term = if average { jms - ems } else { k * jms + (k * n - k - n) * ems };
        let lower_denominator = f_star * rater_term + n * bms;
        let upper_denominator = rater_term + n * f_star_inverse * bms;
        if lower_denominator <= 0.0 || upper_denominator <= 0.0 {
            return Estimate::not_estimable(Reason::NegativeVariance);
        }
        let lower = n * (bms - f_star * ems) / lower_denominator;
        let upper = n * (f_star_inverse * bms - ems) / upper_denominator;
        interval(lower, upper)
    }
}

/// An interval from two computed limits, unless one is not finite.
fn interval(lower: f64, upper: f64) -> Estimate<Interval> {
    if lower.is_finite() && upper.is_finite() {
        Estimate::Estimated { value: Interval { lower, upper } }
    } else {
        Estimate::not_estimable(Reason::NotFinite)
    }
}
