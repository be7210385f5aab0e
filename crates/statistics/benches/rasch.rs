//! Many-facet Rasch estimation on simulated double-marked sessions: time
//! per estimation, and how well the known parameters are recovered.
//!
//! Sizes from issue 13: 50 and 500 candidates, 6 examiners (each candidate
//! rated by a pair, the pairs cycling through all 15), 30 criteria of
//! levels 0..=3; then the pooled model of an examiner's history: three
//! sessions of 500 candidates on the same 30 criteria, panels of four of
//! the six examiners overlapping. Run with `cargo bench -p grille-statistics --bench rasch`
//! (optionally `-- RUNS`).

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use grille_statistics::rasch::pooled::estimate_pooled;
use grille_statistics::rasch::{RaschOptions, estimate};

#[path = "../tests/it/sim.rs"]
mod sim;

use sim::{SplitMix64, Truth, correlation_and_rmse, double_marked, pooled_session};

fn main() {
    let runs: u32 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let severities = vec![-0.4, -0.2, 0.0, 0.1, -0.5, 1.0];
    // 30 criteria evenly spread from −1.2 to 1.2 logits.
    let difficulties: Vec<f64> = (0..30).map(|i| -1.2 + 2.4 * f64::from(i) / 29.0).collect();
    for candidates in [50, 500] {
        let mut rng = SplitMix64::new(2024);
        let truth = Truth::draw(
            &mut rng,
            candidates,
            0.3,
            1.2,
            difficulties.clone(),
            severities.clone(),
            vec![-1.5, 0.0, 1.5],
        );
        let (design, observations) = double_marked(&mut rng, &truth);
        let options = RaschOptions::default();
        let mut fit = estimate(&design, &observations, &options).expect("estimable");
        let start = Instant::now();
        for _ in 0..runs {
            fit = black_box(
                estimate(black_box(&design), black_box(&observations), &options).expect("estimable"),
            );
        }
        let per_run = start.elapsed() / runs;

        let pick = |values: Vec<(f64, f64)>| -> (f64, f64) {
            let (a, b): (Vec<f64>, Vec<f64>) = values.into_iter().unzip();
            correlation_and_rmse(&a, &b)
        };
        let (rs, es) = pick(fit.examiners.iter().map(|e| (e.severity, severities[e.examiner])).collect());
        let (rd, ed) = pick(fit.criteria.iter().map(|c| (c.difficulty, difficulties[c.criterion])).collect());
        let (ra, ea) =
            pick(fit.candidates.iter().map(|c| (c.ability, truth.abilities[c.candidate])).collect());
        let flagged: Vec<usize> =
            fit.examiners.iter().filter(|e| e.flag.is_some()).map(|e| e.examiner).collect();
        println!(
            "{candidates} candidates, {} ratings: {:.1} ms per estimation ({} iterations, converged {})",
            observations.len(),
            per_run.as_secs_f64() * 1000.0,
            fit.convergence.iterations,
            fit.convergence.converged,
        );
        println!("  severities:   r {rs:.3}, RMSE {es:.3} logits; flagged {flagged:?}");
        println!("  difficulties: r {rd:.3}, RMSE {ed:.3} logits");
        println!(
            "  abilities:    r {ra:.3}, RMSE {ea:.3} logits ({} of {candidates} estimated, the rest extreme)",
            fit.candidates.len()
        );
    }
    pooled(runs, &severities, &difficulties);
}

/// Three sessions of 500 candidates pooled in one model.
fn pooled(runs: u32, severities: &[f64], difficulties: &[f64]) {
    let mut rng = SplitMix64::new(2026);
    let truth = Truth {
        abilities: Vec::new(),
        difficulties: difficulties.to_vec(),
        severities: severities.to_vec(),
        thresholds: vec![-1.5, 0.0, 1.5],
    };
    let criteria: Vec<usize> = (0..difficulties.len()).collect();
    let sessions: Vec<_> = [[0, 1, 2, 5], [2, 3, 4, 5], [0, 3, 4, 1]]
        .iter()
        .map(|panel| pooled_session(&mut rng, 500, panel, &criteria, &truth))
        .collect();
    let maxima = vec![3; difficulties.len()];
    let options = RaschOptions::default();
    let mut fit = estimate_pooled(severities.len(), &maxima, &sessions, &options).expect("estimable");
    let start = Instant::now();
    for _ in 0..runs {
        fit = black_box(
            estimate_pooled(severities.len(), &maxima, black_box(&sessions), &options).expect("estimable"),
        );
    }
    let per_run = start.elapsed() / runs;
    let (a, b): (Vec<f64>, Vec<f64>) =
        fit.estimate.examiners.iter().map(|e| (e.severity, severities[e.examiner])).unzip();
    let (r, rmse) = correlation_and_rmse(&a, &b);
    println!(
        "pooled, 3 sessions × 500 candidates, {} ratings: {:.1} ms per estimation ({} iterations, converged {})",
        fit.estimate.ratings,
        per_run.as_secs_f64() * 1000.0,
        fit.estimate.convergence.iterations,
        fit.estimate.convergence.converged,
    );
    println!("  severities:   r {r:.3}, RMSE {rmse:.3} logits");
}
