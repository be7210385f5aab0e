//! The many-facet Rasch estimation: recovery of known parameters from
//! simulated sessions, severity flags, the points helper, exclusions,
//! design checks and degenerate input.

use grille_statistics::rasch::{
    CONFOUNDING_CHECK_LIMIT, DesignCheck, Direction, ExclusionReason, PointsError, RaschError, RaschEstimate,
    RaschOptions, estimate,
};
use grille_statistics::{Design, Facet, Observation, Rating};

use crate::sim::{SplitMix64, Truth, correlation_and_rmse, double_marked, rated};

const DIFFICULTIES: [f64; 6] = [-1.0, -0.5, 0.0, 0.2, 0.5, 0.8];
/// Examiner 5 is deliberately severe, examiner 4 mildly lenient.
const SEVERITIES: [f64; 6] = [-0.4, -0.2, 0.0, 0.1, -0.5, 1.0];
const THRESHOLDS: [f64; 3] = [-1.5, 0.0, 1.5];

fn simulated(candidates: usize, seed: u64) -> (Truth, Design, Vec<Observation>) {
    let mut rng = SplitMix64::new(seed);
    let truth = Truth::draw(
        &mut rng,
        candidates,
        0.3,
        1.2,
        DIFFICULTIES.to_vec(),
        SEVERITIES.to_vec(),
        THRESHOLDS.to_vec(),
    );
    let (design, observations) = double_marked(&mut rng, &truth);
    (truth, design, observations)
}

#[test]
fn recovers_severities_difficulties_and_abilities() {
    let (truth, design, observations) = simulated(200, 13);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    assert!(fit.convergence.converged, "{:?}", fit.convergence);
    assert_eq!(fit.examiners.len(), 6);
    assert_eq!(fit.criteria.len(), 6);

    let severities: Vec<f64> = fit.examiners.iter().map(|e| e.severity).collect();
    let (r, rmse) = correlation_and_rmse(&severities, &SEVERITIES);
    eprintln!("severities {severities:?} r {r} rmse {rmse}");
    for (estimate, truth) in severities.iter().zip(SEVERITIES) {
        assert!((estimate - truth).abs() < 0.25, "severity {estimate} vs {truth}");
    }
    assert!(r > 0.95 && rmse < 0.15, "r {r} rmse {rmse}");

    let difficulties: Vec<f64> = fit.criteria.iter().map(|c| c.difficulty).collect();
    let (r, rmse) = correlation_and_rmse(&difficulties, &DIFFICULTIES);
    eprintln!("difficulties {difficulties:?} r {r} rmse {rmse}");
    for (estimate, truth) in difficulties.iter().zip(DIFFICULTIES) {
        assert!((estimate - truth).abs() < 0.25, "difficulty {estimate} vs {truth}");
    }

    let thresholds = &fit.scales[0].thresholds;
    eprintln!("thresholds {thresholds:?}");
    for (estimate, truth) in thresholds.iter().zip(THRESHOLDS) {
        assert!((estimate - truth).abs() < 0.3, "threshold {estimate} vs {truth}");
    }

    // Abilities of the candidates kept (extreme ones are excluded).
    let (estimated, true_values): (Vec<f64>, Vec<f64>) =
        fit.candidates.iter().map(|c| (c.ability, truth.abilities[c.candidate])).unzip();
    let (r, rmse) = correlation_and_rmse(&estimated, &true_values);
    eprintln!("abilities r {r} rmse {rmse}, {} kept", estimated.len());
    assert!(r > 0.9, "ability correlation {r}");
    assert!(rmse < 0.6, "ability rmse {rmse}");

    // Data simulated from the model fit it: mean squares near 1.
    for e in &fit.examiners {
        let infit = e.fit.infit.value().unwrap();
        let outfit = e.fit.outfit.value().unwrap();
        assert!((0.8..1.2).contains(&infit) && (0.7..1.3).contains(&outfit), "{e:?}");
    }
}

/// The model's category probabilities, written independently of the crate.
fn probabilities(eta: f64, thresholds: &[f64]) -> Vec<f64> {
    let mut logs = vec![0.0];
    for f in thresholds {
        logs.push(logs.last().unwrap() + eta - f);
    }
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

#[test]
fn estimates_solve_the_likelihood_equations() {
    // At the joint maximum every element's observed score equals its
    // expected score, and each category's count its expected count.
    let (_, design, observations) = simulated(200, 13);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    let scale = &fit.scales[0];
    assert_eq!(scale.levels, vec![0, 1, 2, 3]);
    let ability = |n: usize| fit.candidates.iter().find(|c| c.candidate == n).map(|c| c.ability);
    let mut residual = [vec![0.0; 200], vec![0.0; 6], vec![0.0; 6]];
    let mut categories = [0.0; 4];
    for o in &observations {
        let Some(b) = ability(o.candidate) else { continue };
        let Rating::Level(x) = o.rating else { continue };
        let eta = b - fit.criteria[o.criterion].difficulty - fit.examiners[o.examiner].severity;
        let p = probabilities(eta, &scale.thresholds);
        let expected: f64 = p.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        residual[0][o.candidate] += f64::from(x) - expected;
        residual[1][o.criterion] += f64::from(x) - expected;
        residual[2][o.examiner] += f64::from(x) - expected;
        for (k, p) in p.iter().enumerate() {
            categories[k] += p;
        }
    }
    for facet in &residual {
        for r in facet {
            assert!(r.abs() < 0.01, "score residual {r}");
        }
    }
    for (expected, observed) in categories.iter().zip(&scale.counts) {
        assert!((expected - *observed as f64).abs() < 0.05, "{expected} vs {observed}");
    }
}

#[test]
fn flags_the_severe_examiner_and_only_clear_cases() {
    let (_, design, observations) = simulated(200, 13);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    let severe = fit.examiners.iter().find(|e| e.examiner == 5).unwrap();
    let flag = severe.flag.expect("examiner 5 is one logit more severe than the panel");
    assert_eq!(flag.direction, Direction::Severe);
    assert!(flag.difference > 0.5 && flag.z > 2.0);
    // Examiners within 0.4 logits of the panel's mean are never flagged.
    for e in fit.examiners.iter().filter(|e| e.examiner < 4) {
        assert!(e.flag.is_none(), "{e:?}");
    }
    let flagged: Vec<usize> = fit.examiners.iter().filter(|e| e.flag.is_some()).map(|e| e.examiner).collect();
    eprintln!("flagged {flagged:?}");

    // A threshold above the largest difference flags nobody.
    let strict = RaschOptions { severity_threshold: 3.0, ..RaschOptions::default() };
    let fit = estimate(&design, &observations, &strict).unwrap();
    assert!(fit.examiners.iter().all(|e| e.flag.is_none()));
}

#[test]
fn a_lenient_examiner_is_flagged_lenient() {
    let mut rng = SplitMix64::new(7);
    let severities = vec![0.3, 0.2, 0.25, 0.25, -1.0];
    let truth = Truth::draw(&mut rng, 150, 0.0, 1.0, DIFFICULTIES.to_vec(), severities, THRESHOLDS.to_vec());
    let (design, observations) = double_marked(&mut rng, &truth);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    let lenient = fit.examiners.iter().find(|e| e.examiner == 4).unwrap();
    assert_eq!(lenient.flag.map(|f| f.direction), Some(Direction::Lenient));
    assert!(lenient.flag.unwrap().z < -2.0);
}

#[test]
fn severity_in_points_and_ability_for_total() {
    let (_, design, observations) = simulated(200, 13);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    // Six criteria of 0..=3: totals from 0 to 18. The pass mark at 60 %.
    let ability = fit.ability_for_total(10.8).unwrap();
    let total = fit.expected_total(ability, fit.panel_mean_severity).unwrap();
    assert!((total - 10.8).abs() < 1e-6, "{total}");
    let severe = fit.severity_in_points(5, ability).unwrap();
    let lenient = fit.severity_in_points(4, ability).unwrap();
    eprintln!("points at the pass mark: severe {severe}, lenient {lenient}");
    // One logit of severity costs a candidate at the pass mark points, not
    // fractions of a point.
    assert!(severe > 1.0 && severe < 5.0, "{severe}");
    assert!(lenient < 0.0, "{lenient}");
    // At the panel mean, nothing.
    let zero = fit.expected_total(ability, fit.panel_mean_severity).unwrap()
        - fit.expected_total(ability, fit.panel_mean_severity).unwrap();
    assert_eq!(zero, 0.0);

    assert_eq!(fit.severity_in_points(6, 0.0), Err(PointsError::ExaminerNotEstimated { examiner: 6 }));
    assert_eq!(fit.severity_in_points(5, f64::NAN), Err(PointsError::NotFinite));
    assert!(matches!(fit.ability_for_total(0.0), Err(PointsError::TotalOutOfRange { .. })));
    assert!(matches!(fit.ability_for_total(18.0), Err(PointsError::TotalOutOfRange { .. })));
    assert_eq!(fit.ability_for_total(f64::INFINITY), Err(PointsError::NotFinite));
    // Close to the extremes the ability is large but finite.
    assert!(fit.ability_for_total(17.999).unwrap() > 5.0);
}

#[test]
fn fair_average_removes_the_examiners_severity() {
    // Two candidates of equal true ability, one rated by the severe
    // examiner: their observed averages differ more than their fair
    // averages, on average over many such pairs.
    let (_, design, observations) = simulated(200, 13);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    for c in &fit.candidates {
        assert!(c.fair_average >= 0.0 && c.fair_average <= 3.0);
        assert!(c.standard_error.is_estimated());
    }
    // Candidates seen by examiner 5 (pairs (0,5), (1,5), …) have fair
    // averages above their observed averages, on average.
    let with_severe: Vec<usize> =
        observations.iter().filter(|o| o.examiner == 5).map(|o| o.candidate).collect();
    let (mut gap, mut count) = (0.0, 0);
    for c in fit.candidates.iter().filter(|c| with_severe.contains(&c.candidate)) {
        gap += c.fair_average - c.observed_average;
        count += 1;
    }
    assert!(gap / count as f64 > 0.1, "mean fair − observed {}", gap / count as f64);
}

#[test]
fn extreme_elements_are_excluded_with_reasons() {
    let (_, design, mut observations) = simulated(60, 3);
    let mut design = design;
    // Candidate 60: all highest; candidate 61: all lowest; candidate 62:
    // only "not assessable"; candidate 63: never rated.
    design.candidates = 64;
    for criterion in 0..6 {
        for examiner in [0, 1] {
            observations.push(rated(60, criterion, examiner, 3));
            observations.push(rated(61, criterion, examiner, 0));
            observations.push(Observation {
                candidate: 62,
                criterion,
                examiner,
                rating: Rating::NotAssessable,
            });
        }
    }
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    let reason = |index: usize| {
        fit.excluded.iter().find(|e| e.facet == Facet::Candidate && e.index == index).map(|e| e.reason)
    };
    assert_eq!(reason(60), Some(ExclusionReason::AllHighest));
    assert_eq!(reason(61), Some(ExclusionReason::AllLowest));
    assert_eq!(reason(62), Some(ExclusionReason::NoRatings));
    assert_eq!(reason(63), Some(ExclusionReason::NoRatings));
    assert!(fit.candidates.iter().all(|c| c.candidate < 60));
    assert_eq!(fit.not_assessable, 12);
    let examiner0 = fit.examiners.iter().find(|e| e.examiner == 0).unwrap();
    assert_eq!(examiner0.not_assessable, 6);
}

#[test]
fn exclusions_cascade_and_unused_levels_collapse() {
    // Criterion 1 (max 4) is only ever rated 1 or 2 (levels 0, 3 and 4
    // unused); candidate 2's only non-extreme ratings come from criterion 2,
    // which everybody gets 2 on (a single level used on a scale of its own),
    // so that candidate becomes extreme once criterion 2 is out.
    let design = Design { candidates: 4, examiners: 2, criterion_max: vec![2, 4, 3] };
    let mut observations = Vec::new();
    for examiner in 0..2 {
        observations.push(rated(0, 0, examiner, 0));
        observations.push(rated(0, 1, examiner, 2));
        observations.push(rated(1, 0, examiner, 2));
        observations.push(rated(1, 1, examiner, 1));
        observations.push(rated(3, 0, examiner, 1));
        observations.push(rated(3, 1, examiner, 2 - examiner as u32));
        observations.push(rated(2, 0, examiner, 2));
        observations.push(rated(2, 1, examiner, 2));
        for candidate in 0..4 {
            observations.push(rated(candidate, 2, examiner, 2));
        }
    }
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    let find = |facet: Facet, index: usize| {
        fit.excluded.iter().find(|e| e.facet == facet && e.index == index).map(|e| e.reason)
    };
    assert_eq!(find(Facet::Criterion, 2), Some(ExclusionReason::SingleCategoryUsed));
    assert_eq!(find(Facet::Candidate, 2), Some(ExclusionReason::AllHighest));
    let scale = fit.scales.iter().find(|s| s.max == 4).unwrap();
    assert_eq!(scale.levels, vec![1, 2]);
    assert_eq!(scale.unused_levels, vec![0, 3, 4]);
    assert_eq!(scale.thresholds, vec![0.0]);
    // Fair averages stay on the raw scale: between the levels used.
    for c in &fit.candidates {
        assert!(c.fair_average.is_finite());
    }
}

#[test]
fn disjoint_subsets_are_refused_and_listed() {
    // Examiner 0 rates candidates 0–2 on criteria 0 and 1; examiner 1 rates
    // candidates 3–5 on criteria 2 and 3: nothing links the two halves.
    let design = Design { candidates: 6, examiners: 2, criterion_max: vec![2; 4] };
    let pattern = [(0, 1), (1, 2), (2, 0)];
    let mut observations = Vec::new();
    for (offset, (a, b)) in pattern.iter().enumerate() {
        observations.push(rated(offset, 0, 0, *a));
        observations.push(rated(offset, 1, 0, *b));
        observations.push(rated(3 + offset, 2, 1, *b));
        observations.push(rated(3 + offset, 3, 1, *a));
    }
    let error = estimate(&design, &observations, &RaschOptions::default()).unwrap_err();
    let RaschError::Disconnected { subsets, excluded } = &error else { panic!("{error:?}") };
    assert!(excluded.is_empty());
    assert_eq!(subsets.len(), 2);
    assert_eq!(subsets[0].candidates, vec![0, 1, 2]);
    assert_eq!(subsets[0].criteria, vec![0, 1]);
    assert_eq!(subsets[0].examiners, vec![0]);
    assert_eq!(subsets[1].candidates, vec![3, 4, 5]);
    assert_eq!(subsets[1].criteria, vec![2, 3]);
    assert_eq!(subsets[1].examiners, vec![1]);
    assert!(error.to_string().contains("2 subsets"));

    // The caller can estimate one subset on its own.
    let first: Vec<Observation> = observations.iter().copied().filter(|o| o.examiner == 0).collect();
    assert!(estimate(&design, &first, &RaschOptions::default()).is_ok());

    // A repeated rating is an input error, not a design problem.
    let mut repeated = observations.clone();
    repeated.push(rated(0, 0, 0, 1));
    assert!(matches!(estimate(&design, &repeated, &RaschOptions::default()), Err(RaschError::Input { .. })));
}

#[test]
fn examiners_nested_in_candidate_groups_are_confounded() {
    // Examiners 0 and 1 rate candidates 0–29, examiners 2 and 3 candidates
    // 30–59, all on the same criteria: linked through the criteria, but a
    // severity difference between the two pairs cannot be told from an
    // ability difference between the two groups.
    let mut rng = SplitMix64::new(5);
    let truth = Truth::draw(&mut rng, 60, 0.0, 1.0, DIFFICULTIES.to_vec(), vec![0.0; 4], THRESHOLDS.to_vec());
    let mut observations = Vec::new();
    for (candidate, ability) in truth.abilities.iter().enumerate() {
        let pair = if candidate < 30 { [0, 1] } else { [2, 3] };
        for examiner in pair {
            for (criterion, difficulty) in DIFFICULTIES.iter().enumerate() {
                let l = crate::sim::draw_level(&mut rng, ability - difficulty, &THRESHOLDS);
                observations.push(rated(candidate, criterion, examiner, l));
            }
        }
    }
    let design = Design { candidates: 60, examiners: 4, criterion_max: vec![3; 6] };
    let error = estimate(&design, &observations, &RaschOptions::default()).unwrap_err();
    let RaschError::Confounded { groups, .. } = &error else { panic!("{error:?}") };
    let examiners = groups.iter().find(|g| g.facet == Facet::Examiner).expect("examiners confounded");
    assert_eq!(examiners.groups, vec![vec![0, 1], vec![2, 3]]);
    let candidates = groups.iter().find(|g| g.facet == Facet::Candidate).expect("candidates confounded");
    assert_eq!(candidates.groups.len(), 2);
    assert!(candidates.groups[0].iter().all(|&c| c < 30));
    // Criteria are comparable among themselves.
    assert!(groups.iter().all(|g| g.facet != Facet::Criterion));

    // One candidate rated by examiners 1 and 2 links the pairs.
    let mut linked = observations.clone();
    let bridge = truth.abilities[0];
    for (criterion, difficulty) in DIFFICULTIES.iter().enumerate() {
        let l = crate::sim::draw_level(&mut rng, bridge - difficulty, &THRESHOLDS);
        linked.push(rated(0, criterion, 2, l));
    }
    let fit = estimate(&design, &linked, &RaschOptions::default());
    assert!(fit.is_ok(), "{:?}", fit.err());
}

#[test]
fn examiners_nested_in_criteria_are_confounded() {
    // Examiner 0 rates only criterion 0 and examiner 1 only criterion 1: an
    // examiner's severity is indistinguishable from its criterion's
    // difficulty.
    let design = Design { candidates: 5, examiners: 2, criterion_max: vec![2, 2] };
    let levels = [(0, 1), (1, 2), (2, 1), (1, 0), (0, 2)];
    let mut observations = Vec::new();
    for (candidate, (a, b)) in levels.iter().enumerate() {
        observations.push(rated(candidate, 0, 0, *a));
        observations.push(rated(candidate, 1, 1, *b));
    }
    let error = estimate(&design, &observations, &RaschOptions::default()).unwrap_err();
    let RaschError::Confounded { groups, .. } = &error else { panic!("{error:?}") };
    let facets: Vec<Facet> = groups.iter().map(|g| g.facet).collect();
    assert!(facets.contains(&Facet::Examiner) && facets.contains(&Facet::Criterion), "{groups:?}");
}

#[test]
fn a_design_too_large_for_the_confounding_check_says_so() {
    let (_, design, observations) = simulated(40, 9);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    assert_eq!(fit.design_check, DesignCheck::Complete);

    // 200 criteria and 2 examiners: the disjoint-subset check runs, the
    // confounding check is skipped and reported.
    let mut rng = SplitMix64::new(21);
    let criteria = CONFOUNDING_CHECK_LIMIT;
    let difficulties: Vec<f64> = (0..criteria).map(|i| (i % 7) as f64 / 3.0 - 1.0).collect();
    let truth = Truth::draw(&mut rng, 12, 0.0, 1.0, difficulties, vec![0.2, -0.2], THRESHOLDS.to_vec());
    let (design, observations) = double_marked(&mut rng, &truth);
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    assert!(matches!(
        fit.design_check,
        DesignCheck::ConfoundingSkipped { limit: CONFOUNDING_CHECK_LIMIT, .. }
    ));
}

#[test]
fn degenerate_inputs_give_reasons_not_panics() {
    let options = RaschOptions::default();
    let empty = Design { candidates: 0, examiners: 0, criterion_max: vec![] };
    assert!(matches!(estimate(&empty, &[], &options), Err(RaschError::NothingToEstimate { .. })));

    // All the same level: every element is extreme.
    let design = Design { candidates: 3, examiners: 2, criterion_max: vec![3, 3] };
    let same: Vec<Observation> =
        (0..3).flat_map(|n| (0..2).flat_map(move |i| (0..2).map(move |j| rated(n, i, j, 2)))).collect();
    let Err(RaschError::NothingToEstimate { excluded }) = estimate(&design, &same, &options) else {
        panic!("all the same level")
    };
    assert!(excluded.iter().all(
        |e| e.reason == ExclusionReason::SingleCategoryUsed || e.reason == ExclusionReason::NoRatingsLeft
    ));

    // One candidate: fine as long as the ratings vary.
    let one = Design { candidates: 1, examiners: 1, criterion_max: vec![2, 2, 2] };
    let ratings = vec![rated(0, 0, 0, 0), rated(0, 1, 0, 1), rated(0, 2, 0, 2)];
    let fit = estimate(&one, &ratings, &options);
    match fit {
        Ok(fit) => assert!(fit.candidates.iter().all(|c| c.ability.is_finite())),
        Err(error) => assert!(!error.to_string().is_empty()),
    }

    // Criteria of maximum 0.
    let flat = Design { candidates: 2, examiners: 1, criterion_max: vec![0, 0] };
    let ratings = vec![rated(0, 0, 0, 0), rated(1, 1, 0, 0)];
    let Err(RaschError::NothingToEstimate { excluded }) = estimate(&flat, &ratings, &options) else {
        panic!("single-level criteria")
    };
    assert!(excluded.iter().any(|e| e.reason == ExclusionReason::SingleLevel));

    // Bad input and bad options.
    let bad = [rated(5, 0, 0, 1)];
    assert!(matches!(estimate(&design, &bad, &options), Err(RaschError::Input { .. })));
    let above = [rated(0, 0, 0, 4)];
    assert!(matches!(estimate(&design, &above, &options), Err(RaschError::Input { .. })));
    for broken in [
        RaschOptions { max_iterations: 0, ..options },
        RaschOptions { convergence: f64::NAN, ..options },
        RaschOptions { max_step: 0.0, ..options },
        RaschOptions { severity_threshold: -1.0, ..options },
        RaschOptions { significance: f64::INFINITY, ..options },
    ] {
        assert!(matches!(estimate(&design, &same, &broken), Err(RaschError::InvalidOption { .. })));
    }
    let huge = Design { candidates: usize::MAX, examiners: 1, criterion_max: vec![1] };
    assert!(matches!(estimate(&huge, &[], &options), Err(RaschError::Input { .. })));
    let huge_max = Design { candidates: 1, examiners: 1, criterion_max: vec![u32::MAX] };
    assert!(matches!(estimate(&huge_max, &[], &options), Err(RaschError::Input { .. })));
}

#[test]
fn sparse_data_without_a_joint_maximum_report_no_convergence() {
    // Level 0 is given once, to the weakest candidate: that candidate's
    // ability and the lowest threshold can run off together, so the
    // likelihood has no finite maximum although nothing is extreme.
    let levels = [[[0, 1], [1, 1]], [[1, 2], [2, 1]], [[2, 3], [2, 2]], [[3, 2], [1, 3]]];
    let mut observations = Vec::new();
    for (candidate, by_criterion) in levels.iter().enumerate() {
        for (criterion, by_examiner) in by_criterion.iter().enumerate() {
            for (examiner, &l) in by_examiner.iter().enumerate() {
                observations.push(rated(candidate, criterion, examiner, l));
            }
        }
    }
    let design = Design { candidates: 4, examiners: 2, criterion_max: vec![3, 3] };
    let fit = estimate(&design, &observations, &RaschOptions::default()).unwrap();
    assert!(fit.excluded.is_empty());
    assert!(!fit.convergence.converged);
    assert_eq!(fit.convergence.iterations, 500);
    assert!(all_finite(&fit));
}

#[test]
fn a_tiny_design_stays_finite() {
    // Few ratings, some elements extreme once others are excluded, and a
    // small iteration budget: whatever comes out is finite.
    let design = Design { candidates: 3, examiners: 1, criterion_max: vec![1, 1, 1] };
    let observations = vec![
        rated(0, 0, 0, 1),
        rated(0, 1, 0, 0),
        rated(0, 2, 0, 0),
        rated(1, 0, 0, 1),
        rated(1, 1, 0, 1),
        rated(1, 2, 0, 0),
        rated(2, 0, 0, 1),
        rated(2, 1, 0, 0),
        rated(2, 2, 0, 1),
    ];
    let options = RaschOptions { max_iterations: 50, ..RaschOptions::default() };
    let fit = estimate(&design, &observations, &options).unwrap();
    assert!(all_finite(&fit));
}

/// Every number in the estimate is finite (a `NaN` would serialise as null).
pub(crate) fn all_finite(fit: &RaschEstimate) -> bool {
    let mut numbers = vec![fit.panel_mean_severity, fit.convergence.max_change];
    for c in &fit.candidates {
        numbers.extend([c.ability, c.observed_average, c.fair_average]);
        numbers.extend(c.standard_error.value());
        numbers.extend(c.fit.infit.value());
        numbers.extend(c.fit.outfit.value());
    }
    for c in &fit.criteria {
        numbers.extend([c.difficulty, c.observed_average]);
        numbers.extend(c.standard_error.value());
    }
    for e in &fit.examiners {
        numbers.extend([e.severity, e.observed_average]);
        numbers.extend(e.standard_error.value());
    }
    for s in &fit.scales {
        numbers.extend(&s.thresholds);
    }
    numbers.iter().all(|n| n.is_finite())
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A small simulated session: 30 candidates, 4 criteria, 4 examiners.
    fn small_session(seed: u64) -> (Design, Vec<Observation>) {
        let mut rng = SplitMix64::new(seed);
        let truth = Truth::draw(
            &mut rng,
            30,
            0.0,
            1.0,
            vec![-0.5, 0.0, 0.2, 0.3],
            vec![-0.3, 0.0, 0.1, 0.2],
            vec![-1.0, 1.0],
        );
        double_marked(&mut rng, &truth)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn relabelling_candidates_and_examiners_changes_no_estimate(
            seed in any::<u64>(),
            shift in 1usize..30,
            swap in 1usize..4,
        ) {
            let (design, observations) = small_session(seed);
            let options = RaschOptions::default();
            let original = estimate(&design, &observations, &options);
            // Candidate n becomes (n + shift) mod 30, and the order of the
            // ratings is reversed; examiners 0 and `swap` trade places.
            let relabel = |j: usize| if j == 0 { swap } else if j == swap { 0 } else { j };
            let moved: Vec<Observation> = observations
                .iter()
                .rev()
                .map(|o| Observation {
                    candidate: (o.candidate + shift) % 30,
                    examiner: relabel(o.examiner),
                    ..*o
                })
                .collect();
            let permuted = estimate(&design, &moved, &options);
            let (Ok(a), Ok(b)) = (&original, &permuted) else {
                prop_assert_eq!(original.is_err(), permuted.is_err());
                return Ok(());
            };
            for c in &a.candidates {
                let twin = b.candidates.iter().find(|d| d.candidate == (c.candidate + shift) % 30).unwrap();
                prop_assert!(close(c.ability, twin.ability), "{} {}", c.ability, twin.ability);
                prop_assert!(close(c.fair_average, twin.fair_average));
            }
            for e in &a.examiners {
                let twin = b.examiners.iter().find(|f| f.examiner == relabel(e.examiner)).unwrap();
                prop_assert!(close(e.severity, twin.severity));
                prop_assert_eq!(e.flag.is_some(), twin.flag.is_some());
            }
            for (c, d) in a.criteria.iter().zip(&b.criteria) {
                prop_assert!(close(c.difficulty, d.difficulty));
            }
            prop_assert_eq!(a.excluded.len(), b.excluded.len());
        }

        #[test]
        fn any_ratings_give_finite_estimates_or_a_reason(
            max in proptest::collection::vec(0u32..4, 1..4),
            raw in proptest::collection::vec(
                (0usize..7, 0usize..4, 0usize..4, proptest::option::weighted(0.9, 0u32..5)), 0..60),
        ) {
            let design = Design { candidates: 6, examiners: 3, criterion_max: max };
            let observations = crate::drawn(raw);
            let options = RaschOptions { max_iterations: 100, ..RaschOptions::default() };
            match estimate(&design, &observations, &options) {
                Ok(fit) => {
                    prop_assert!(all_finite(&fit));
                    prop_assert!(fit.panel_mean_severity.abs() < 1e-9);
                    let total = fit.expected_total(0.0, 0.0).unwrap();
                    prop_assert!(total.is_finite());
                }
                Err(error) => prop_assert!(!error.to_string().is_empty()),
            }
        }
    }
}
