//! Whether the design lets every measure be compared with every other.
//!
//! Two checks, from the coarse to the fine:
//!
//! 1. Disjoint subsets: a union-find over candidates, criteria and examiners
//!    linked by each rating. Elements that no chain of ratings connects have
//!    no common frame of reference.
//! 2. Confounding: even when everything is linked, the additive model
//!    B − D − C can be unidentified. The classic case: examiners X and Y rate
//!    candidates 1–50 and examiners Z and W candidates 51–100 on the same
//!    criteria. The shared criteria link everything, yet "X and Y are more
//!    severe" and "candidates 1–50 are abler" explain the data equally well.
//!    The model is identified exactly when the design matrix (one row per
//!    rating: +1 for the candidate, −1 for the criterion and the examiner)
//!    has no null vectors beyond the two that the centring removes (shift
//!    all criteria, or all examiners, and the candidates with them). The
//!    candidates are eliminated first (their block of the normal equations
//!    is diagonal), leaving a small symmetric matrix over criteria and
//!    examiners whose null space gives, for each facet, the groups of
//!    elements that can be compared with each other.

use serde::Serialize;

use crate::data::Facet;
use crate::numeric::{UnionFind, symmetric_eigen};

use super::prepare::Prepared;

/// Elements linked by ratings to each other but to no element outside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subset {
    /// The candidates (original indexes).
    pub candidates: Vec<usize>,
    /// The criteria.
    pub criteria: Vec<usize>,
    /// The examiners.
    pub examiners: Vec<usize>,
}

/// For one facet, the groups of elements whose measures can be compared
/// within the group but not across groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComparableGroups {
    /// The facet.
    pub facet: Facet,
    /// The groups (original indexes); more than one.
    pub groups: Vec<Vec<usize>>,
}

/// The largest number of criteria and examiners together for which the
/// confounding check runs: it decomposes a square matrix of that size, in
/// time growing with the cube of it (a fraction of a second at this limit in
/// an optimised build; a session has a few dozen).
pub const CONFOUNDING_CHECK_LIMIT: usize = 200;

/// Which checks of the design were made before estimating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DesignCheck {
    /// Both: no disjoint subsets, no confounded facets.
    Complete,
    /// Disjoint subsets were checked, but there are too many criteria and
    /// examiners for the confounding check, which was skipped: measures may
    /// be unidentified without notice.
    ConfoundingSkipped {
        /// Criteria and examiners estimated.
        elements: usize,
        /// [`CONFOUNDING_CHECK_LIMIT`].
        limit: usize,
    },
}

/// Why the measures would not share one frame of reference.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ConnectionProblem {
    Disjoint(Vec<Subset>),
    Confounded(Vec<ComparableGroups>),
}

/// Runs both checks on the prepared data (the second only up to
/// [`CONFOUNDING_CHECK_LIMIT`]).
pub(super) fn check(prepared: &Prepared) -> Result<DesignCheck, ConnectionProblem> {
    let subsets = disjoint_subsets(prepared);
    if subsets.len() > 1 {
        return Err(ConnectionProblem::Disjoint(subsets));
    }
    let elements = prepared.criteria.len() + prepared.examiners.len();
    if elements > CONFOUNDING_CHECK_LIMIT {
        return Ok(DesignCheck::ConfoundingSkipped { elements, limit: CONFOUNDING_CHECK_LIMIT });
    }
    let groups = confounded_groups(prepared);
    if groups.is_empty() { Ok(DesignCheck::Complete) } else { Err(ConnectionProblem::Confounded(groups)) }
}

fn disjoint_subsets(p: &Prepared) -> Vec<Subset> {
    let (nc, ni) = (p.candidates.len(), p.criteria.len());
    let mut sets = UnionFind::new(nc + ni + p.examiners.len());
    for o in &p.obs {
        sets.union(o.candidate, nc + o.criterion);
        sets.union(o.candidate, nc + ni + o.examiner);
    }
    let mut roots: Vec<usize> = Vec::new();
    let mut subsets: Vec<Subset> = Vec::new();
    let mut subset_of = |sets: &mut UnionFind, node: usize| {
        let root = sets.find(node);
        match roots.iter().position(|&r| r == root) {
            Some(s) => s,
            None => {
                roots.push(root);
                subsets.push(Subset { candidates: Vec::new(), criteria: Vec::new(), examiners: Vec::new() });
                roots.len() - 1
            }
        }
    };
    let mut placements = Vec::new();
    for (n, &original) in p.candidates.iter().enumerate() {
        placements.push((subset_of(&mut sets, n), Facet::Candidate, original));
    }
    for (i, &original) in p.criteria.iter().enumerate() {
        placements.push((subset_of(&mut sets, nc + i), Facet::Criterion, original));
    }
    for (j, &original) in p.examiners.iter().enumerate() {
        placements.push((subset_of(&mut sets, nc + ni + j), Facet::Examiner, original));
    }
    for (s, facet, original) in placements {
        let subset = &mut subsets[s];
        match facet {
            Facet::Candidate => subset.candidates.push(original),
            Facet::Criterion => subset.criteria.push(original),
            Facet::Examiner => subset.examiners.push(original),
        }
    }
    subsets
}

/// The groups of mutually comparable elements, for each facet that has more
/// than one; empty when the design identifies the model.
fn confounded_groups(p: &Prepared) -> Vec<ComparableGroups> {
    let (ni, nj) = (p.criteria.len(), p.examiners.len());
    let k = ni + nj;
    if k == 0 {
        return Vec::new();
    }
    // S = Σ f fᵀ − Σ_candidates u uᵀ / n, with f the criterion and examiner
    // indicator of a rating and u the sum of f over a candidate's n ratings.
    let mut s = vec![0.0; k * k];
    let mut per_candidate: Vec<Vec<usize>> = vec![Vec::new(); p.candidates.len()];
    for o in &p.obs {
        let (a, b) = (o.criterion, ni + o.examiner);
        s[a * k + a] += 1.0;
        s[b * k + b] += 1.0;
        s[a * k + b] += 1.0;
        s[b * k + a] += 1.0;
        per_candidate[o.candidate].push(a);
        per_candidate[o.candidate].push(b);
    }
    let mut u = vec![0.0; k];
    for entries in &per_candidate {
        if entries.is_empty() {
            continue;
        }
        let count = entries.len() as f64 / 2.0;
        let mut touched: Vec<usize> = entries.clone();
        touched.sort_unstable();
        touched.dedup();
        for &e in entries {
            u[e] += 1.0;
        }
        for &x in &touched {
            for &y in &touched {
                s[x * k + y] -= u[x] * u[y] / count;
            }
        }
        for &x in &touched {
            u[x] = 0.0;
        }
    }
    let (values, vectors) = symmetric_eigen(s, k);
    let largest = values.iter().fold(1.0_f64, |m, v| m.max(v.abs()));
    let null: Vec<usize> = (0..k).filter(|&e| values[e].abs() <= 1e-9 * largest).collect();
    // The two centring directions are always there.
    if null.len() <= 2 {
        return Vec::new();
    }
    let signature = |row: usize| -> Vec<f64> { null.iter().map(|&e| vectors[row * k + e]).collect() };
    let criterion_signatures: Vec<Vec<f64>> = (0..ni).map(signature).collect();
    let examiner_signatures: Vec<Vec<f64>> = (0..nj).map(|j| signature(ni + j)).collect();
    // A candidate's measure moves with the mean of what it was rated on.
    let mut candidate_signatures = vec![vec![0.0; null.len()]; p.candidates.len()];
    let mut counts = vec![0usize; p.candidates.len()];
    for o in &p.obs {
        let sig = &mut candidate_signatures[o.candidate];
        for (e, value) in sig.iter_mut().enumerate() {
            *value += criterion_signatures[o.criterion][e] + examiner_signatures[o.examiner][e];
        }
        counts[o.candidate] += 1;
    }
    for (sig, &count) in candidate_signatures.iter_mut().zip(&counts) {
        for value in sig.iter_mut() {
            *value /= count.max(1) as f64;
        }
    }
    let mut result = Vec::new();
    for (facet, signatures, originals) in [
        (Facet::Candidate, &candidate_signatures, &p.candidates),
        (Facet::Criterion, &criterion_signatures, &p.criteria),
        (Facet::Examiner, &examiner_signatures, &p.examiners),
    ] {
        let groups = group_equal(signatures, originals);
        if groups.len() > 1 {
            result.push(ComparableGroups { facet, groups });
        }
    }
    result
}

/// Groups elements whose signatures are equal (up to rounding): their
/// differences are orthogonal to every null vector, hence estimable.
fn group_equal(signatures: &[Vec<f64>], originals: &[usize]) -> Vec<Vec<usize>> {
    const TOLERANCE: f64 = 1e-6;
    let mut representatives: Vec<usize> = Vec::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (e, sig) in signatures.iter().enumerate() {
        let same = representatives
            .iter()
            .position(|&r| signatures[r].iter().zip(sig).all(|(a, b)| (a - b).abs() <= TOLERANCE));
        match same {
            Some(g) => groups[g].push(originals[e]),
            None => {
                representatives.push(e);
                groups.push(vec![originals[e]]);
            }
        }
    }
    groups
}
