//! Criterion analysis and Cronbach's alpha: hand-computed cases, the
//! Shrout & Fleiss matrix, ratings with double marking and "not
//! assessable", the review order, and invariants.

use grille_statistics::items::{Concern, ReviewThresholds, analyse, cronbach_alpha, worst_first};
use grille_statistics::{Design, Estimate, MatrixError, Observation, Rating, Reason};
use proptest::prelude::*;

use crate::icc::shrout_fleiss;
use crate::sim::rated;

/// Four candidates, three items; worked by hand in the comments below.
fn small() -> Vec<Vec<f64>> {
    vec![vec![1.0, 2.0, 2.0], vec![2.0, 2.0, 3.0], vec![0.0, 1.0, 1.0], vec![3.0, 3.0, 2.0]]
}

fn value(e: Estimate) -> f64 {
    e.value().expect("estimated")
}

#[test]
fn alpha_and_item_rest_by_hand() {
    let report = cronbach_alpha(&small()).unwrap();
    // Item variances 5/3, 2/3, 2/3 (sum 3); totals 5, 7, 2, 8 have variance
    // 7: alpha = 3/2 × (1 − 3/7) = 6/7.
    assert!((value(report.alpha) - 6.0 / 7.0).abs() < 1e-12);
    // Item 1 against 2 + 3 = (4, 5, 2, 5): r = 5 / √(5 × 6).
    // Item 2 against 1 + 3 = (3, 5, 1, 5): r = 4 / √(2 × 11).
    // Item 3 against 1 + 2 = (3, 4, 1, 6): r = 3 / √(2 × 13).
    let expected = [5.0 / 30f64.sqrt(), 4.0 / 22f64.sqrt(), 3.0 / 26f64.sqrt()];
    for (got, want) in report.item_rest.iter().zip(expected) {
        assert!((value(*got) - want).abs() < 1e-12, "{got:?} vs {want}");
    }
    // Without item 1: variances 2/3 + 2/3 against 2 → 2/3; without item 2:
    // 7/3 against 11/3 → 8/11; without item 3: 7/3 against 13/3 → 12/13.
    let expected = [2.0 / 3.0, 8.0 / 11.0, 12.0 / 13.0];
    for (got, want) in report.alpha_if_deleted.iter().zip(expected) {
        assert!((value(*got) - want).abs() < 1e-12, "{got:?} vs {want}");
    }
}

#[test]
fn alpha_of_the_shrout_fleiss_judges_is_their_icc3k() {
    // Alpha with the raters as items equals ICC(3,k), published as 0.91.
    let alpha = value(cronbach_alpha(&shrout_fleiss()).unwrap().alpha);
    assert!((alpha - 0.91).abs() < 0.005);
    assert!((alpha - 0.909_315_542_377_069_7).abs() < 1e-12);
}

#[test]
fn alpha_degenerate_cases() {
    let one_item = cronbach_alpha(&[vec![1.0], vec![2.0]]).unwrap();
    assert_eq!(one_item.alpha, Estimate::not_estimable(Reason::TooFewItems { needed: 2, found: 1 }));
    assert_eq!(one_item.item_rest[0], Estimate::not_estimable(Reason::TooFewItems { needed: 2, found: 1 }));
    let one_candidate = cronbach_alpha(&[vec![1.0, 2.0, 3.0]]).unwrap();
    assert_eq!(one_candidate.alpha, Estimate::not_estimable(Reason::TooFewCases { needed: 2, found: 1 }));
    let constant = cronbach_alpha(&[vec![2.0, 2.0], vec![2.0, 2.0], vec![2.0, 2.0]]).unwrap();
    assert_eq!(constant.alpha, Estimate::not_estimable(Reason::NoVariance));
    assert_eq!(constant.item_rest[0], Estimate::not_estimable(Reason::NoVariance));
    // Two items: alpha if deleted would leave one.
    let two = cronbach_alpha(&[vec![1.0, 2.0], vec![2.0, 2.5], vec![0.0, 1.0]]).unwrap();
    assert!(two.alpha.is_estimated());
    assert!(two.alpha_if_deleted.iter().all(|a| !a.is_estimated()));
    let empty = cronbach_alpha(&[]).unwrap();
    assert!(!empty.alpha.is_estimated());
    assert_eq!(
        cronbach_alpha(&[vec![1.0], vec![f64::INFINITY]]),
        Err(MatrixError::NotFinite { row: 1, column: 0 })
    );
}

#[test]
fn analysis_from_double_marked_ratings() {
    // The small matrix again, now as the mean of two examiners' levels;
    // they disagree once (candidate 1, criterion 0: 1 and 3, mean 2).
    let mut observations = Vec::new();
    for (candidate, row) in small().iter().enumerate() {
        for (criterion, &mean) in row.iter().enumerate() {
            if candidate == 1 && criterion == 0 {
                observations.push(rated(1, 0, 0, 1));
                observations.push(rated(1, 0, 1, 3));
            } else {
                observations.push(rated(candidate, criterion, 0, mean as u32));
                observations.push(rated(candidate, criterion, 1, mean as u32));
            }
        }
    }
    // A third examiner finds criterion 1 not assessable for candidate 0,
    // and candidate 4 is rated on criterion 0 only (left out of alpha).
    observations.push(Observation { candidate: 0, criterion: 1, examiner: 2, rating: Rating::NotAssessable });
    observations.push(rated(4, 0, 0, 2));
    let design = Design { candidates: 5, examiners: 3, criterion_max: vec![3, 3, 3] };
    let analysis = analyse(&design, &observations).unwrap();

    assert_eq!(analysis.complete_candidates, 4);
    assert_eq!(analysis.incomplete_candidates, 1);
    assert_eq!(analysis.criteria_in_alpha, vec![0, 1, 2]);
    assert!((value(analysis.alpha) - 6.0 / 7.0).abs() < 1e-12);
    assert!((value(analysis.criteria[0].discrimination) - 5.0 / 30f64.sqrt()).abs() < 1e-12);
    assert!((value(analysis.criteria[2].alpha_if_deleted) - 12.0 / 13.0).abs() < 1e-12);

    let first = &analysis.criteria[0];
    // Levels given on criterion 0: 1, 1 | 1, 3 | 0, 0 | 3, 3 | 2.
    assert_eq!(first.distribution, vec![2, 3, 1, 3]);
    assert_eq!(first.ratings, 9);
    assert!((value(first.mean_level) - 14.0 / 9.0).abs() < 1e-12);
    assert!((value(first.difficulty) - 14.0 / 27.0).abs() < 1e-12);
    assert_eq!(first.disagreement.pairs, 4);
    assert_eq!(first.disagreement.differing, 1);
    assert_eq!(first.disagreement.rate, Estimate::Estimated { value: 0.25 });
    assert_eq!(first.disagreement.mean_absolute_difference, Estimate::Estimated { value: 0.5 });

    let second = &analysis.criteria[1];
    assert_eq!(second.not_assessable, 1);
    assert!((value(second.not_assessable_rate) - 1.0 / 9.0).abs() < 1e-12);
    assert_eq!(second.disagreement.rate, Estimate::Estimated { value: 0.0 });
}

#[test]
fn review_lists_the_worst_criteria_first() {
    // Criterion 0 works; criterion 1 gets the same level from everyone;
    // criterion 2's examiners disagree on every candidate; criterion 3 is
    // marked "not assessable" half the time; criterion 4 is never rated.
    let levels = [0u32, 1, 2, 3, 1, 2];
    let mut observations = Vec::new();
    for (candidate, &l) in levels.iter().enumerate() {
        for examiner in 0..2 {
            observations.push(rated(candidate, 0, examiner, l));
            observations.push(rated(candidate, 1, examiner, 1));
            observations.push(rated(candidate, 2, examiner, if examiner == 0 { l } else { 3 - l }));
            let r = if candidate % 2 == 0 { Rating::Level(l) } else { Rating::NotAssessable };
            observations.push(Observation { candidate, criterion: 3, examiner, rating: r });
        }
    }
    let design = Design { candidates: 6, examiners: 2, criterion_max: vec![3; 5] };
    let analysis = analyse(&design, &observations).unwrap();
    let review = worst_first(&analysis, &ReviewThresholds::default());
    let order: Vec<usize> = review.iter().map(|r| r.criterion).collect();
    assert_eq!(review.len(), 5);
    // Criterion 0 raises nothing and comes last.
    assert_eq!(*order.last().unwrap(), 0);
    assert!(review.last().unwrap().concerns.is_empty());
    let concerns =
        |criterion: usize| review.iter().find(|r| r.criterion == criterion).unwrap().concerns.clone();
    assert_eq!(concerns(1), vec![Concern::NoVariance]);
    assert!(
        concerns(2).iter().any(|c| matches!(c, Concern::FrequentDisagreement { rate, .. } if *rate == 1.0))
    );
    assert!(
        concerns(3).iter().any(|c| matches!(c, Concern::OftenNotAssessable { rate, .. } if *rate == 0.5))
    );
    assert_eq!(concerns(4), vec![Concern::NeverRated]);
    // More concerns first; ties broken by discrimination, lowest first.
    for pair in review.windows(2) {
        assert!(pair[0].concerns.len() >= pair[1].concerns.len(), "{order:?}");
    }
    // Among the single-concern criteria, the one without variance leads.
    let singles: Vec<usize> = review.iter().filter(|r| r.concerns.len() == 1).map(|r| r.criterion).collect();
    assert_eq!(singles.first(), Some(&1), "{review:?}");
}

#[test]
fn analysis_of_nothing_and_bad_input() {
    let design = Design { candidates: 0, examiners: 0, criterion_max: vec![2, 0] };
    let analysis = analyse(&design, &[]).unwrap();
    assert_eq!(analysis.criteria.len(), 2);
    assert_eq!(analysis.criteria[0].mean_level, Estimate::not_estimable(Reason::NoRatings));
    assert_eq!(analysis.criteria[0].disagreement.rate, Estimate::not_estimable(Reason::NoPairedRatings));
    assert!(!analysis.alpha.is_estimated());
    // Maximum 0: the difficulty (mean / max) is undefined.
    let design = Design { candidates: 1, examiners: 1, criterion_max: vec![0] };
    let analysis = analyse(&design, &[rated(0, 0, 0, 0)]).unwrap();
    assert_eq!(analysis.criteria[0].difficulty, Estimate::not_estimable(Reason::SingleLevel));
    assert!(analyse(&design, &[rated(0, 0, 0, 1)]).is_err());
    assert!(analyse(&design, &[rated(0, 1, 0, 0)]).is_err());
}

proptest! {
    #[test]
    fn alpha_never_exceeds_one(
        m in (2usize..10, 1usize..6).prop_flat_map(|(n, k)| {
            proptest::collection::vec(proptest::collection::vec((0u8..=4).prop_map(f64::from), k), n)
        })
    ) {
        let report = cronbach_alpha(&m).unwrap();
        for a in std::iter::once(report.alpha).chain(report.alpha_if_deleted) {
            if let Some(a) = a.value() {
                prop_assert!(a <= 1.0 + 1e-12 && a.is_finite(), "{a}");
            }
        }
        for r in report.item_rest {
            if let Some(r) = r.value() {
                prop_assert!((-1.0..=1.0).contains(&r));
            }
        }
    }

    #[test]
    fn analysis_never_panics(
        max in proptest::collection::vec(0u32..4, 0..4),
        raw in proptest::collection::vec((0usize..5, 0usize..4, 0usize..3, proptest::option::of(0u32..5)), 0..40),
    ) {
        let design = Design { candidates: 4, examiners: 2, criterion_max: max };
        let observations = crate::drawn(raw);
        if let Ok(analysis) = analyse(&design, &observations) {
            let review = worst_first(&analysis, &ReviewThresholds::default());
            prop_assert_eq!(review.len(), analysis.criteria.len());
            for c in &analysis.criteria {
                for e in [c.mean_level, c.difficulty, c.discrimination, c.alpha_if_deleted, c.disagreement.rate] {
                    prop_assert!(e.value().is_none_or(f64::is_finite));
                }
            }
        }
    }
}
