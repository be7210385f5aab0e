//! Joint maximum likelihood estimation of the rating-scale many-facet Rasch
//! model, and the residual statistics at the estimates.
//!
//! log(P_k / P_{k−1}) = B_n − D_i − C_j − F_{g,k}, with g the scale group of
//! criterion i. The estimation alternates, facet by facet, one Newton step
//! per element using the diagonal of the information (the same scheme as
//! FACETS' JMLE): the score residual Σ(x − E) divided by the model variance
//! Σ V, each step capped at `max_step` logits so that a bad start cannot
//! overshoot. Criteria and examiners are re-centred at 0 after their step,
//! and the candidates shifted so that no fitted value changes; thresholds
//! sum to 0 within each group.

use super::prepare::{Obs, Prepared};

/// The parameters in compact indexes.
#[derive(Debug, Clone)]
pub(super) struct Parameters {
    pub(super) abilities: Vec<f64>,
    pub(super) difficulties: Vec<f64>,
    pub(super) severities: Vec<f64>,
    /// Per group, F_1..F_m (index 0 holds F_1).
    pub(super) thresholds: Vec<Vec<f64>>,
}

/// How the iterations ended.
#[derive(Debug, Clone, Copy)]
pub(super) struct Iterations {
    pub(super) iterations: u32,
    pub(super) max_change: f64,
    pub(super) converged: bool,
}

/// The category probabilities at `eta` with thresholds F_1..F_m, written to
/// `probabilities` (length m + 1); returns the expected category and its
/// variance. Computed relative to the largest log-numerator so that no
/// logit, however large, overflows.
pub(super) fn categories(eta: f64, thresholds: &[f64], probabilities: &mut Vec<f64>) -> (f64, f64) {
    probabilities.clear();
    probabilities.push(0.0);
    let mut cumulative = 0.0;
    for f in thresholds {
        cumulative += eta - f;
        probabilities.push(cumulative);
    }
    let top = probabilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for p in probabilities.iter_mut() {
        *p = (*p - top).exp();
        total += *p;
    }
    let (mut expected, mut square) = (0.0, 0.0);
    for (k, p) in probabilities.iter_mut().enumerate() {
        *p /= total;
        expected += k as f64 * *p;
        square += (k * k) as f64 * *p;
    }
    (expected, (square - expected * expected).max(0.0))
}

/// Which facet a Newton pass updates.
#[derive(Clone, Copy)]
enum Pass {
    Candidates,
    Criteria,
    Examiners,
}

/// Runs the iterations from a neutral start.
pub(super) fn estimate(
    p: &Prepared,
    max_iterations: u32,
    convergence: f64,
    max_step: f64,
) -> (Parameters, Iterations) {
    let mut params = Parameters {
        abilities: vec![0.0; p.candidates.len()],
        difficulties: vec![0.0; p.criteria.len()],
        severities: vec![0.0; p.examiners.len()],
        thresholds: p.groups.iter().map(|g| initial_thresholds(&g.counts)).collect(),
    };
    let mut scratch = Vec::new();
    let mut residual = Vec::new();
    let mut information = Vec::new();
    let mut result = Iterations { iterations: 0, max_change: f64::INFINITY, converged: false };
    for iteration in 1..=max_iterations {
        let before = params.clone();
        for pass in [Pass::Candidates, Pass::Criteria, Pass::Examiners] {
            let size = match pass {
                Pass::Candidates => params.abilities.len(),
                Pass::Criteria => params.difficulties.len(),
                Pass::Examiners => params.severities.len(),
            };
            residual.clear();
            residual.resize(size, 0.0);
            information.clear();
            information.resize(size, 0.0);
            for o in &p.obs {
                let (expected, variance) = fitted(o, &params, p, &mut scratch);
                let e = match pass {
                    Pass::Candidates => o.candidate,
                    Pass::Criteria => o.criterion,
                    Pass::Examiners => o.examiner,
                };
                residual[e] += o.category as f64 - expected;
                information[e] += variance;
            }
            let steps = residual.iter().zip(&information).map(|(r, i)| newton(*r, *i, max_step));
            match pass {
                Pass::Candidates => params.abilities.iter_mut().zip(steps).for_each(|(b, s)| *b += s),
                Pass::Criteria => {
                    params.difficulties.iter_mut().zip(steps).for_each(|(d, s)| *d -= s);
                    let shift = centre(&mut params.difficulties);
                    params.abilities.iter_mut().for_each(|b| *b -= shift);
                }
                Pass::Examiners => {
                    params.severities.iter_mut().zip(steps).for_each(|(c, s)| *c -= s);
                    let shift = centre(&mut params.severities);
                    params.abilities.iter_mut().for_each(|b| *b -= shift);
                }
            }
        }
        update_thresholds(p, &mut params, &mut scratch, max_step);

        let change = largest_change(&before, &params);
        result = Iterations { iterations: iteration, max_change: change, converged: change < convergence };
        if result.converged || !change.is_finite() {
            break;
        }
    }
    (params, result)
}

/// Expected category and variance of one rating under the parameters.
pub(super) fn fitted(o: &Obs, params: &Parameters, p: &Prepared, scratch: &mut Vec<f64>) -> (f64, f64) {
    let eta =
        params.abilities[o.candidate] - params.difficulties[o.criterion] - params.severities[o.examiner];
    categories(eta, &params.thresholds[p.criterion_group[o.criterion]], scratch)
}

/// One capped Newton step; none where the model has no information.
fn newton(residual: f64, information: f64, max_step: f64) -> f64 {
    if information > 0.0 { (residual / information).clamp(-max_step, max_step) } else { 0.0 }
}

/// Subtracts the mean and returns it.
fn centre(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter_mut().for_each(|v| *v -= mean);
    mean
}

/// A start close to the answer for the thresholds: the log-ratio of
/// adjacent category counts, centred.
fn initial_thresholds(counts: &[usize]) -> Vec<f64> {
    let mut thresholds: Vec<f64> =
        counts.windows(2).map(|w| ((w[0] as f64 + 0.5) / (w[1] as f64 + 0.5)).ln()).collect();
    centre(&mut thresholds);
    thresholds
}

/// One Newton step per threshold: the observed count at or above category
/// k against its expectation, then re-centred. The re-centring is a shift
/// of every rating's logit, which the candidates' next step takes back.
fn update_thresholds(p: &Prepared, params: &mut Parameters, scratch: &mut Vec<f64>, max_step: f64) {
    let mut gradient: Vec<Vec<f64>> = params.thresholds.iter().map(|t| vec![0.0; t.len()]).collect();
    let mut information = gradient.clone();
    for o in &p.obs {
        let g = p.criterion_group[o.criterion];
        if params.thresholds[g].len() < 2 {
            // One threshold summing to zero is fixed at zero.
            continue;
        }
        fitted(o, params, p, scratch);
        // P(X ≥ k) for k = m down to 1.
        let mut at_least = 0.0;
        for k in (1..scratch.len()).rev() {
            at_least += scratch[k];
            let observed = if o.category >= k { 1.0 } else { 0.0 };
            gradient[g][k - 1] += at_least - observed;
            information[g][k - 1] += at_least * (1.0 - at_least);
        }
    }
    for (g, thresholds) in params.thresholds.iter_mut().enumerate() {
        if thresholds.len() < 2 {
            continue;
        }
        let mut steps: Vec<f64> =
            gradient[g].iter().zip(&information[g]).map(|(r, i)| newton(*r, *i, max_step)).collect();
        centre(&mut steps);
        thresholds.iter_mut().zip(steps).for_each(|(f, s)| *f += s);
    }
}

fn largest_change(before: &Parameters, after: &Parameters) -> f64 {
    let pairs = before
        .abilities
        .iter()
        .zip(&after.abilities)
        .chain(before.difficulties.iter().zip(&after.difficulties))
        .chain(before.severities.iter().zip(&after.severities))
        .chain(before.thresholds.iter().flatten().zip(after.thresholds.iter().flatten()));
    pairs.map(|(a, b)| (a - b).abs()).fold(0.0, f64::max)
}
