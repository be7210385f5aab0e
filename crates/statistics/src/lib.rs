//! Statistics on the quality of an exam, for exam boards: how severe each
//! examiner is, how well each rubric criterion works, how much examiners
//! agree, and where a pass mark could be set.
//!
//! The crate does no I/O and knows nothing of grille's documents: inputs are
//! plain indexes, levels and matrices, so that the same code serves one
//! session, several sessions or a class. It computes in binary floating
//! point (`f64`), which is fine for statistics shown as information and is
//! never used for official grades.
//!
//! Modules, one job each:
//! - [`data`]: the ratings every analysis starts from ([`Observation`]: a
//!   candidate, a criterion, an examiner and a level or "not assessable")
//!   and their validation;
//! - [`rasch`]: the many-facet Rasch model (rating-scale form) estimated by
//!   joint maximum likelihood, with fit statistics, fair averages and
//!   severity flags, for one session or pooled over several
//!   ([`rasch::pooled`]: candidates per session, examiners and shared
//!   criteria linked);
//! - [`items`]: criterion analysis (level distribution, difficulty,
//!   discrimination, disagreement) and Cronbach's alpha;
//! - [`icc`]: intraclass correlations after Shrout & Fleiss (1979) with
//!   confidence intervals;
//! - [`standard_setting`]: modified Angoff and Hofstee cut scores.
//!
//! Nothing panics on odd input: invalid input is an error value, and a
//! statistic that cannot be computed from valid input (too few candidates,
//! no variance, a zero denominator) is an [`Estimate::NotEstimable`] with a
//! [`Reason`], never a silent `NaN`.
//!
//! ```
//! use grille_statistics::icc::icc;
//!
//! // Shrout & Fleiss (1979): six targets rated by four judges.
//! let ratings = vec![
//!     vec![9.0, 2.0, 5.0, 8.0],
//!     vec![6.0, 1.0, 3.0, 2.0],
//!     vec![8.0, 4.0, 6.0, 8.0],
//!     vec![7.0, 1.0, 2.0, 6.0],
//!     vec![10.0, 5.0, 6.0, 9.0],
//!     vec![6.0, 2.0, 4.0, 7.0],
//! ];
//! let report = icc(&ratings, 0.95).unwrap();
//! let icc31 = report.icc3_1.value.value().unwrap();
//! assert!((icc31 - 0.71).abs() < 0.005);
//! ```

pub mod data;
pub mod icc;
pub mod items;
mod numeric;
pub mod rasch;
pub mod standard_setting;

use std::fmt;

use serde::Serialize;

pub use data::{Design, Facet, InputError, Observation, Rating};

/// A statistic that was either computed or could not be, with the reason.
///
/// Serialised as `{"status": "estimated", "value": …}` or
/// `{"status": "not_estimable", "reason": {…}}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Estimate<T = f64> {
    /// The statistic was computed.
    Estimated {
        /// Its value.
        value: T,
    },
    /// The statistic cannot be computed from these data.
    NotEstimable {
        /// Why not.
        reason: Reason,
    },
}

impl<T> Estimate<T> {
    /// The value, if it was computed.
    pub fn value(self) -> Option<T> {
        match self {
            Estimate::Estimated { value } => Some(value),
            Estimate::NotEstimable { .. } => None,
        }
    }

    /// The reason, if it was not computed.
    pub fn reason(&self) -> Option<Reason> {
        match self {
            Estimate::Estimated { .. } => None,
            Estimate::NotEstimable { reason } => Some(*reason),
        }
    }

    /// Whether the statistic was computed.
    pub fn is_estimated(&self) -> bool {
        matches!(self, Estimate::Estimated { .. })
    }

    /// A statistic that cannot be computed, for this reason.
    pub fn not_estimable(reason: Reason) -> Self {
        Estimate::NotEstimable { reason }
    }
}

impl Estimate<f64> {
    /// A computed value, or [`Reason::NotFinite`] if it is `NaN` or infinite
    /// (so that a rounding accident never reaches a page as `NaN`).
    pub fn finite(value: f64) -> Self {
        if value.is_finite() {
            Estimate::Estimated { value }
        } else {
            Estimate::not_estimable(Reason::NotFinite)
        }
    }
}

/// Why a statistic could not be computed from valid input.
///
/// Serialised with a snake_case `kind` that a page can use as a translation
/// key; [`fmt::Display`] gives an English sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// There are fewer cases than the statistic needs.
    TooFewCases {
        /// How many it needs at least.
        needed: usize,
        /// How many there are.
        found: usize,
    },
    /// There are fewer items (criteria, raters) than the statistic needs.
    TooFewItems {
        /// How many it needs at least.
        needed: usize,
        /// How many there are.
        found: usize,
    },
    /// Every value is the same, so there is no variance to analyse.
    NoVariance,
    /// A denominator of the formula is zero (or negligible against the
    /// data's scale), so the ratio is undefined.
    ZeroDenominator,
    /// A variance estimated by the formula came out negative (possible with
    /// few data, e.g. for ICC(2,k) when raters explain less than the
    /// residual), so the ratio has no meaning.
    NegativeVariance,
    /// No candidate was rated by two examiners on this criterion.
    NoPairedRatings,
    /// The criterion has a single level (its maximum is 0).
    SingleLevel,
    /// The criterion was never rated with a level.
    NoRatings,
    /// The computation left the range of floating-point numbers.
    NotFinite,
    /// The element's expected variance is zero: its measure is so far out
    /// that the model predicts every rating with certainty (the estimation
    /// did not converge towards a finite value).
    NoInformation,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::TooFewCases { needed, found } => {
                write!(f, "needs at least {needed} cases, found {found}")
            }
            Reason::TooFewItems { needed, found } => {
                write!(f, "needs at least {needed} items, found {found}")
            }
            Reason::NoVariance => write!(f, "every value is the same, so there is no variance to analyse"),
            Reason::ZeroDenominator => write!(f, "the formula's denominator is zero"),
            Reason::NegativeVariance => write!(f, "an estimated variance is negative"),
            Reason::NoPairedRatings => write!(f, "no candidate was rated by two examiners"),
            Reason::SingleLevel => write!(f, "the criterion has a single level"),
            Reason::NoRatings => write!(f, "the criterion was never rated with a level"),
            Reason::NotFinite => write!(f, "the result is not a finite number"),
            Reason::NoInformation => {
                write!(f, "the measure is so extreme that the ratings carry no information about it")
            }
        }
    }
}

/// A problem with a matrix handed to [`icc::icc`] or [`items::cronbach_alpha`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatrixError {
    /// A row does not have as many columns as the first row.
    Ragged {
        /// The row (from 0).
        row: usize,
        /// Its length.
        length: usize,
        /// The first row's length.
        expected: usize,
    },
    /// A value is `NaN` or infinite.
    NotFinite {
        /// The row (from 0).
        row: usize,
        /// The column (from 0).
        column: usize,
    },
}

impl fmt::Display for MatrixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatrixError::Ragged { row, length, expected } => {
                write!(f, "row {row} has {length} values, the first row has {expected}")
            }
            MatrixError::NotFinite { row, column } => {
                write!(f, "the value in row {row}, column {column} is not a finite number")
            }
        }
    }
}

impl std::error::Error for MatrixError {}

/// Checks that a matrix is rectangular and finite; returns its number of
/// columns (0 for an empty matrix).
pub(crate) fn check_matrix(rows: &[Vec<f64>]) -> Result<usize, MatrixError> {
    let expected = rows.first().map_or(0, Vec::len);
    for (row, values) in rows.iter().enumerate() {
        if values.len() != expected {
            return Err(MatrixError::Ragged { row, length: values.len(), expected });
        }
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(MatrixError::NotFinite { row, column });
        }
    }
    Ok(expected)
}
