//! The many-facet Rasch model (Linacre 1989) in its rating-scale form, to
//! put candidates, criteria and examiners on one logit scale:
//!
//! log(P_nijk / P_nij(k−1)) = B_n − D_i − C_j − F_k
//!
//! with B_n the candidate's ability, D_i the criterion's difficulty, C_j the
//! examiner's severity (positive = severe: lower ratings than the panel) and
//! F_k the Andrich threshold between levels k−1 and k.
//!
//! Choices, and why:
//! - **Thresholds per maximum.** Criteria with different maxima cannot share
//!   one set of thresholds, and giving every criterion its own (partial
//!   credit) spreads few ratings over many parameters. Criteria with the
//!   same maximum form a scale group that shares one set of thresholds,
//!   summing to 0 within the group (as FACETS does with grouped rating
//!   scales).
//! - **Unused levels are collapsed.** A level that nobody used in a group has
//!   no threshold estimate (it would run to infinity); the model's
//!   categories are the levels used, in order, and results on the raw scale
//!   (fair averages, points) map back to the levels as given. Each
//!   [`Scale`] lists the levels it left out.
//! - **Extreme elements are excluded**, not extrapolated: an element whose
//!   ratings are all at the lowest (or all at the highest) used level has no
//!   finite estimate. The exclusion is repeated until nothing else becomes
//!   extreme, and each excluded element is listed with its reason.
//! - **A design without a common frame of reference is refused** (see
//!   [`RaschError::Disconnected`] and [`RaschError::Confounded`]); the
//!   error lists the subsets, and the caller may estimate each subset on its
//!   own by passing only its ratings, knowing that measures from different
//!   subsets cannot be compared.
//! - **Joint maximum likelihood** (JMLE, as FACETS): criteria and examiners
//!   are centred at 0, candidates are free. JMLE estimates are known to be
//!   slightly too spread out when each element has few ratings; no bias
//!   correction is applied, as in FACETS by default.
//!
//! Reported per element: the measure, its model standard error
//! 1/√(Σ model variances), the infit mean square Σ(x−E)²/ΣV and the outfit
//! mean square (the mean of the squared standardised residuals (x−E)²/V),
//! both expected near 1, and the number of ratings. Per candidate, the fair
//! average is the mean, over the candidate's ratings, of the level expected
//! from the candidate's ability at the mean criterion difficulty and the
//! mean examiner severity (both 0), on the raw level scale: what the
//! candidate would have got from an average examiner on an average
//! criterion. An examiner is flagged when |severity − panel mean| exceeds
//! [`RaschOptions::severity_threshold`] logits and that difference divided
//! by the examiner's standard error exceeds [`RaschOptions::significance`].
//!
//! ```
//! use grille_statistics::rasch::{RaschOptions, estimate};
//! use grille_statistics::{Design, Observation, Rating};
//!
//! // Six candidates, each rated by two examiners on two criteria (0..=3);
//! // levels[candidate][criterion][examiner].
//! let levels = [
//!     [[0, 1], [1, 0]],
//!     [[1, 2], [2, 1]],
//!     [[2, 3], [2, 2]],
//!     [[3, 2], [1, 3]],
//!     [[1, 1], [0, 2]],
//!     [[2, 2], [3, 1]],
//! ];
//! let mut observations = Vec::new();
//! for (candidate, by_criterion) in levels.iter().enumerate() {
//!     for (criterion, by_examiner) in by_criterion.iter().enumerate() {
//!         for (examiner, &level) in by_examiner.iter().enumerate() {
//!             observations.push(Observation { candidate, criterion, examiner, rating: Rating::Level(level) });
//!         }
//!     }
//! }
//! let design = Design { candidates: 6, examiners: 2, criterion_max: vec![3, 3] };
//! let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
//! assert!(fit.convergence.converged);
//! // Examiner 1 gave higher levels: more lenient, a lower severity.
//! assert!(fit.examiners[1].severity < fit.examiners[0].severity);
//! // Severities are centred on the panel.
//! assert!((fit.examiners[0].severity + fit.examiners[1].severity).abs() < 1e-9);
//! ```

mod connect;
mod jml;
pub mod pooled;
mod prepare;

use std::fmt;

use serde::Serialize;

pub use connect::{CONFOUNDING_CHECK_LIMIT, ComparableGroups, DesignCheck, Subset};

use crate::data::{Design, Facet, InputError, Observation, validate};
use crate::{Estimate, Reason};
use connect::ConnectionProblem;
use jml::{Iterations, Parameters, categories, fitted};
use prepare::Prepared;

/// Settings of the estimation and of the severity flag.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RaschOptions {
    /// Iterations at most; 500 by default.
    pub max_iterations: u32,
    /// Converged when no parameter moves by this many logits or more in an
    /// iteration; 1e-5 by default.
    pub convergence: f64,
    /// Largest step of one parameter in one iteration (damping), in logits;
    /// 1 by default.
    pub max_step: f64,
    /// Smallest distance from the panel mean, in logits, for a severity
    /// flag; 0.5 by default.
    pub severity_threshold: f64,
    /// Smallest |distance / standard error| for a severity flag; 2 by
    /// default (about 95 % two-sided).
    pub significance: f64,
}

impl Default for RaschOptions {
    fn default() -> Self {
        RaschOptions {
            max_iterations: 500,
            convergence: 1e-5,
            max_step: 1.0,
            severity_threshold: 0.5,
            significance: 2.0,
        }
    }
}

/// Why an element was left out of the estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// It has no rating with a level (none at all, or only "not
    /// assessable").
    NoRatings,
    /// All its ratings involve elements excluded for another reason.
    NoRatingsLeft,
    /// All its ratings are at the lowest level used on their scale: its
    /// measure is below anything the data can locate.
    AllLowest,
    /// All its ratings are at the highest level used on their scale.
    AllHighest,
    /// The criterion has a single level (maximum 0).
    SingleLevel,
    /// Only one level was used on the criterion's scale (all criteria with
    /// its maximum), so the ratings carry no information.
    SingleCategoryUsed,
}

impl fmt::Display for ExclusionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExclusionReason::NoRatings => "no rating with a level",
            ExclusionReason::NoRatingsLeft => "all its ratings involve excluded elements",
            ExclusionReason::AllLowest => "every rating at the lowest level used (extreme score)",
            ExclusionReason::AllHighest => "every rating at the highest level used (extreme score)",
            ExclusionReason::SingleLevel => "the criterion has a single level",
            ExclusionReason::SingleCategoryUsed => "only one level was used on this scale",
        })
    }
}

/// An element left out of the estimation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Exclusion {
    /// Its facet.
    pub facet: Facet,
    /// Its index in the design.
    pub index: usize,
    /// Why.
    pub reason: ExclusionReason,
}

/// Infit and outfit mean squares (expected near 1; above about 1.5 the
/// ratings are noisier than the model expects, below about 0.5 more
/// predictable, e.g. an examiner who gives the same level to everyone).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Fit {
    /// Information-weighted mean square: Σ(x − E)² / Σ V.
    pub infit: Estimate,
    /// Unweighted mean square: mean of (x − E)² / V.
    pub outfit: Estimate,
}

/// A candidate's measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateMeasure {
    /// The candidate's index.
    pub candidate: usize,
    /// Ability in logits.
    pub ability: f64,
    /// Model standard error.
    pub standard_error: Estimate,
    /// Fit.
    pub fit: Fit,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings (not used).
    pub not_assessable: usize,
    /// Mean level of the ratings used.
    pub observed_average: f64,
    /// Mean expected level at average difficulty and severity.
    pub fair_average: f64,
}

/// A criterion's measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionMeasure {
    /// The criterion's index.
    pub criterion: usize,
    /// Its scale group (index into [`RaschEstimate::scales`]).
    pub scale: usize,
    /// Difficulty in logits (criteria are centred at 0).
    pub difficulty: f64,
    /// Model standard error.
    pub standard_error: Estimate,
    /// Fit.
    pub fit: Fit,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings (not used).
    pub not_assessable: usize,
    /// Mean level of the ratings used.
    pub observed_average: f64,
}

/// Whether a flagged examiner rates lower or higher than the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Gives lower levels than the panel (severity above the mean).
    Severe,
    /// Gives higher levels than the panel (severity below the mean).
    Lenient,
}

/// An examiner whose severity differs from the panel's, substantially and
/// significantly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeverityFlag {
    /// Severe or lenient.
    pub direction: Direction,
    /// Severity − panel mean, in logits.
    pub difference: f64,
    /// The difference divided by the examiner's standard error.
    pub z: f64,
}

/// An examiner's measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExaminerMeasure {
    /// The examiner's index.
    pub examiner: usize,
    /// Severity in logits (examiners are centred at 0; positive is severe).
    pub severity: f64,
    /// Model standard error.
    pub standard_error: Estimate,
    /// Fit.
    pub fit: Fit,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings (not used).
    pub not_assessable: usize,
    /// Mean level of the ratings used.
    pub observed_average: f64,
    /// Set when the examiner is significantly more severe or lenient than
    /// the panel.
    pub flag: Option<SeverityFlag>,
}

/// A scale group: the criteria sharing a maximum, and their thresholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    /// The maximum level of its criteria.
    pub max: u32,
    /// Its criteria (indexes in the design).
    pub criteria: Vec<usize>,
    /// The levels used, ascending: the model's categories.
    pub levels: Vec<u32>,
    /// How often each used level was given.
    pub counts: Vec<usize>,
    /// Andrich thresholds in logits, `thresholds[k]` between `levels[k]` and
    /// `levels[k + 1]`, summing to 0.
    pub thresholds: Vec<f64>,
    /// Whether the thresholds increase (if not, some level is never the most
    /// probable one: a sign that the rubric's levels are hard to tell apart).
    pub ordered: bool,
    /// Levels from 0 to the maximum that nobody used, collapsed.
    pub unused_levels: Vec<u32>,
}

/// How the iterations ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Convergence {
    /// Iterations run.
    pub iterations: u32,
    /// Largest change of a parameter in the last iteration, in logits.
    pub max_change: f64,
    /// Whether that change was below [`RaschOptions::convergence`]. When
    /// false the measures are the last iterate, to be read with caution:
    /// with sparse data the joint maximum may not exist at all (e.g. a level
    /// given only once, to the weakest candidate, lets that candidate and
    /// the threshold drift away together), even though no element is
    /// extreme. More ratings, not more iterations, is then the remedy.
    pub converged: bool,
}

/// The estimated model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaschEstimate {
    /// The estimated candidates, by index.
    pub candidates: Vec<CandidateMeasure>,
    /// The estimated criteria, by index.
    pub criteria: Vec<CriterionMeasure>,
    /// The estimated examiners, by index.
    pub examiners: Vec<ExaminerMeasure>,
    /// The scale groups.
    pub scales: Vec<Scale>,
    /// Elements left out, with the reason.
    pub excluded: Vec<Exclusion>,
    /// Ratings used.
    pub ratings: usize,
    /// "Not assessable" ratings (counted, not used).
    pub not_assessable: usize,
    /// Mean severity of the estimated examiners (0 up to rounding).
    pub panel_mean_severity: f64,
    /// How the iterations ended.
    pub convergence: Convergence,
    /// The options used.
    pub options: RaschOptions,
    /// Which design checks were made.
    pub design_check: DesignCheck,
}

/// Why the model could not be estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RaschError {
    /// The input does not fit the design.
    Input {
        /// The problem.
        problem: InputError,
    },
    /// An option is not a finite number in its range (`max_iterations` ≥ 1,
    /// `convergence` and `max_step` > 0, the flag limits ≥ 0).
    InvalidOption {
        /// The option's name.
        option: &'static str,
    },
    /// After the exclusions no rating is left.
    NothingToEstimate {
        /// Everything excluded, with the reasons.
        excluded: Vec<Exclusion>,
    },
    /// The ratings fall into subsets that no rating links.
    Disconnected {
        /// The subsets.
        subsets: Vec<Subset>,
        /// Elements excluded before the check.
        excluded: Vec<Exclusion>,
    },
    /// Everything is linked, but the design confounds facets: e.g. two
    /// groups of examiners rated two separate groups of candidates, so a
    /// difference in severity cannot be told from a difference in ability.
    Confounded {
        /// For each affected facet, the groups whose measures could be
        /// compared only within a group.
        groups: Vec<ComparableGroups>,
        /// Elements excluded before the check.
        excluded: Vec<Exclusion>,
    },
}

impl fmt::Display for RaschError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RaschError::Input { problem } => write!(f, "{problem}"),
            RaschError::InvalidOption { option } => write!(f, "option {option} is out of range"),
            RaschError::NothingToEstimate { excluded } => write!(
                f,
                "no rating is left to estimate from after excluding {} elements without information",
                excluded.len()
            ),
            RaschError::Disconnected { subsets, .. } => write!(
                f,
                "the ratings fall into {} subsets that no rating links; measures from different subsets cannot be compared",
                subsets.len()
            ),
            RaschError::Confounded { groups, .. } => {
                let facets: Vec<String> = groups.iter().map(|g| g.facet.to_string()).collect();
                write!(
                    f,
                    "the design does not separate the facets: {} fall into groups that cannot be compared",
                    facets.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for RaschError {}

/// Why a conversion to raw points could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PointsError {
    /// The examiner is not among the estimated ones.
    ExaminerNotEstimated {
        /// The examiner's index.
        examiner: usize,
    },
    /// An argument is `NaN` or infinite.
    NotFinite,
    /// The total is not strictly between the lowest and highest possible
    /// totals, which correspond to infinite abilities.
    TotalOutOfRange {
        /// The total asked for.
        total: f64,
        /// The lowest possible total.
        lowest: f64,
        /// The highest possible total.
        highest: f64,
    },
}

impl fmt::Display for PointsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointsError::ExaminerNotEstimated { examiner } => {
                write!(f, "examiner {examiner} has no estimated severity")
            }
            PointsError::NotFinite => write!(f, "an argument is not a finite number"),
            PointsError::TotalOutOfRange { total, lowest, highest } => {
                write!(f, "total {total} is not strictly between {lowest} and {highest}")
            }
        }
    }
}

impl std::error::Error for PointsError {}

/// Estimates the model from the ratings of one or more sessions.
pub fn estimate(
    design: &Design,
    observations: &[Observation],
    options: &RaschOptions,
) -> Result<RaschEstimate, RaschError> {
    validate(design, observations).map_err(|problem| RaschError::Input { problem })?;
    check_options(options)?;
    let prepared = prepare::prepare(design, observations);
    if prepared.obs.is_empty() {
        return Err(RaschError::NothingToEstimate { excluded: prepared.excluded });
    }
    let design_check = match connect::check(&prepared) {
        Ok(check) => check,
        Err(ConnectionProblem::Disjoint(subsets)) => {
            return Err(RaschError::Disconnected { subsets, excluded: prepared.excluded });
        }
        Err(ConnectionProblem::Confounded(groups)) => {
            return Err(RaschError::Confounded { groups, excluded: prepared.excluded });
        }
    };
    let (params, iterations) =
        jml::estimate(&prepared, options.max_iterations, options.convergence, options.max_step);
    Ok(report(&prepared, &params, iterations, options, design_check))
}

fn check_options(o: &RaschOptions) -> Result<(), RaschError> {
    let checks: [(&'static str, bool); 5] = [
        ("max_iterations", o.max_iterations >= 1),
        ("convergence", o.convergence.is_finite() && o.convergence > 0.0),
        ("max_step", o.max_step.is_finite() && o.max_step > 0.0),
        ("severity_threshold", o.severity_threshold.is_finite() && o.severity_threshold >= 0.0),
        ("significance", o.significance.is_finite() && o.significance >= 0.0),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((option, _)) => Err(RaschError::InvalidOption { option }),
        None => Ok(()),
    }
}

/// Residual sums of one element.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    ratings: usize,
    levels: f64,
    variance: f64,
    squared_residuals: f64,
    standardised: f64,
    /// A rating with zero model variance: its standardised residual is
    /// undefined.
    degenerate: bool,
    fair: f64,
}

impl Sums {
    fn add(&mut self, level: u32, residual: f64, variance: f64) {
        self.ratings += 1;
        self.levels += f64::from(level);
        self.variance += variance;
        self.squared_residuals += residual * residual;
        if variance > 0.0 {
            self.standardised += residual * residual / variance;
        } else {
            self.degenerate = true;
        }
    }

    fn standard_error(&self) -> Estimate {
        if self.variance > 0.0 {
            Estimate::finite(1.0 / self.variance.sqrt())
        } else {
            Estimate::not_estimable(Reason::NoInformation)
        }
    }

    fn fit(&self) -> Fit {
        let infit = if self.variance > 0.0 {
            Estimate::finite(self.squared_residuals / self.variance)
        } else {
            Estimate::not_estimable(Reason::NoInformation)
        };
        let outfit = if self.degenerate || self.ratings == 0 {
            Estimate::not_estimable(Reason::NoInformation)
        } else {
            Estimate::finite(self.standardised / self.ratings as f64)
        };
        Fit { infit, outfit }
    }

    fn observed_average(&self) -> f64 {
        if self.ratings == 0 { 0.0 } else { self.levels / self.ratings as f64 }
    }
}

/// Expected level (on the raw scale) of a rating at logit `eta` on a scale.
fn expected_level(eta: f64, levels: &[u32], thresholds: &[f64], scratch: &mut Vec<f64>) -> f64 {
    categories(eta, thresholds, scratch);
    scratch.iter().zip(levels).map(|(p, &l)| p * f64::from(l)).sum()
}

fn report(
    p: &Prepared,
    params: &Parameters,
    iterations: Iterations,
    options: &RaschOptions,
    design_check: DesignCheck,
) -> RaschEstimate {
    let mut candidates = vec![Sums::default(); p.candidates.len()];
    let mut criteria = vec![Sums::default(); p.criteria.len()];
    let mut examiners = vec![Sums::default(); p.examiners.len()];
    let mut scratch = Vec::new();
    for o in &p.obs {
        let (expected, variance) = fitted(o, params, p, &mut scratch);
        let residual = o.category as f64 - expected;
        candidates[o.candidate].add(o.level, residual, variance);
        criteria[o.criterion].add(o.level, residual, variance);
        examiners[o.examiner].add(o.level, residual, variance);
        let g = &p.groups[p.criterion_group[o.criterion]];
        let thresholds = &params.thresholds[p.criterion_group[o.criterion]];
        candidates[o.candidate].fair +=
            expected_level(params.abilities[o.candidate], &g.levels, thresholds, &mut scratch);
    }

    let candidate_measures = p
        .candidates
        .iter()
        .zip(&candidates)
        .zip(&params.abilities)
        .map(|((&candidate, sums), &ability)| CandidateMeasure {
            candidate,
            ability,
            standard_error: sums.standard_error(),
            fit: sums.fit(),
            ratings: sums.ratings,
            not_assessable: p.not_assessable.candidates[candidate],
            observed_average: sums.observed_average(),
            fair_average: if sums.ratings == 0 { 0.0 } else { sums.fair / sums.ratings as f64 },
        })
        .collect();
    let criterion_measures = p
        .criteria
        .iter()
        .enumerate()
        .map(|(i, &criterion)| CriterionMeasure {
            criterion,
            scale: p.criterion_group[i],
            difficulty: params.difficulties[i],
            standard_error: criteria[i].standard_error(),
            fit: criteria[i].fit(),
            ratings: criteria[i].ratings,
            not_assessable: p.not_assessable.criteria[criterion],
            observed_average: criteria[i].observed_average(),
        })
        .collect();
    let panel_mean_severity = if params.severities.is_empty() {
        0.0
    } else {
        params.severities.iter().sum::<f64>() / params.severities.len() as f64
    };
    let examiner_measures =
        p.examiners
            .iter()
            .enumerate()
            .map(|(j, &examiner)| {
                let severity = params.severities[j];
                let standard_error = examiners[j].standard_error();
                let difference = severity - panel_mean_severity;
                let flag = standard_error.value().and_then(|se| {
                    let z = difference / se;
                    (difference.abs() > options.severity_threshold && z.abs() > options.significance)
                        .then_some(SeverityFlag {
                            direction: if difference > 0.0 { Direction::Severe } else { Direction::Lenient },
                            difference,
                            z,
                        })
                });
                ExaminerMeasure {
                    examiner,
                    severity,
                    standard_error,
                    fit: examiners[j].fit(),
                    ratings: examiners[j].ratings,
                    not_assessable: p.not_assessable.examiners[examiner],
                    observed_average: examiners[j].observed_average(),
                    flag,
                }
            })
            .collect();
    let scales = p
        .groups
        .iter()
        .zip(&params.thresholds)
        .map(|(g, thresholds)| Scale {
            max: g.max,
            criteria: g.criteria.clone(),
            levels: g.levels.clone(),
            counts: g.counts.clone(),
            thresholds: thresholds.clone(),
            ordered: thresholds.windows(2).all(|w| w[0] < w[1]),
            unused_levels: (0..=g.max).filter(|l| !g.levels.contains(l)).collect(),
        })
        .collect();
    RaschEstimate {
        candidates: candidate_measures,
        criteria: criterion_measures,
        examiners: examiner_measures,
        scales,
        excluded: p.excluded.clone(),
        ratings: p.obs.len(),
        not_assessable: p.not_assessable.total,
        panel_mean_severity,
        convergence: Convergence {
            iterations: iterations.iterations,
            max_change: iterations.max_change,
            converged: iterations.converged,
        },
        options: *options,
        design_check,
    }
}

impl RaschEstimate {
    /// The expected total, on the raw level scale, over all estimated
    /// criteria (each at its own difficulty) for a candidate of this ability
    /// rated by an examiner of this severity.
    pub fn expected_total(&self, ability: f64, severity: f64) -> Result<f64, PointsError> {
        if !(ability.is_finite() && severity.is_finite()) {
            return Err(PointsError::NotFinite);
        }
        let mut scratch = Vec::new();
        Ok(self
            .criteria
            .iter()
            .map(|c| {
                let scale = &self.scales[c.scale];
                expected_level(
                    ability - c.difficulty - severity,
                    &scale.levels,
                    &scale.thresholds,
                    &mut scratch,
                )
            })
            .sum())
    }

    /// What an examiner's severity costs a candidate of this ability, in raw
    /// points over all estimated criteria: the expected total from an
    /// examiner at the panel's mean severity minus the expected total from
    /// this examiner. Positive for a severe examiner, negative for a lenient
    /// one. The caller turns points into grades with the grading scheme;
    /// [`RaschEstimate::ability_for_total`] gives the ability at the pass
    /// mark.
    pub fn severity_in_points(&self, examiner: usize, ability: f64) -> Result<f64, PointsError> {
        let measure = self
            .examiners
            .iter()
            .find(|e| e.examiner == examiner)
            .ok_or(PointsError::ExaminerNotEstimated { examiner })?;
        Ok(self.expected_total(ability, self.panel_mean_severity)?
            - self.expected_total(ability, measure.severity)?)
    }

    /// The ability whose expected total (over all estimated criteria, at the
    /// panel's mean severity) equals `total`, e.g. the pass mark in points.
    pub fn ability_for_total(&self, total: f64) -> Result<f64, PointsError> {
        if !total.is_finite() {
            return Err(PointsError::NotFinite);
        }
        let lowest: f64 = self.criteria.iter().map(|c| bound(&self.scales[c.scale], false)).sum();
        let highest: f64 = self.criteria.iter().map(|c| bound(&self.scales[c.scale], true)).sum();
        if !(total > lowest && total < highest) {
            return Err(PointsError::TotalOutOfRange { total, lowest, highest });
        }
        let at = |ability: f64| self.expected_total(ability, self.panel_mean_severity).unwrap_or(f64::NAN);
        // The expected total rises strictly with ability: widen a bracket,
        // then bisect.
        let (mut low, mut high) = (-10.0_f64, 10.0_f64);
        while at(low) > total && low > -1e4 {
            low *= 2.0;
        }
        while at(high) < total && high < 1e4 {
            high *= 2.0;
        }
        for _ in 0..200 {
            let middle = 0.5 * (low + high);
            if middle <= low || middle >= high {
                break;
            }
            if at(middle) < total {
                low = middle;
            } else {
                high = middle;
            }
        }
        Ok(0.5 * (low + high))
    }
}

/// The lowest or highest level of a scale's used levels.
fn bound(scale: &Scale, highest: bool) -> f64 {
    let level = if highest { scale.levels.last() } else { scale.levels.first() };
    level.map_or(0.0, |&l| f64::from(l))
}
