//! Angoff and Hofstee: hand-computed panels, every way a Hofstee line can
//! miss the curve, bad input, and invariants.

use grille_statistics::standard_setting::{
    AngoffUnit, HofsteeJudgement, HofsteeOutcome, StandardSettingError, angoff, hofstee,
};
use grille_statistics::{Estimate, Reason};
use proptest::prelude::*;

#[test]
fn angoff_by_hand() {
    // Judges' expected points on four items worth 2, 2, 3 and 3 points:
    // sums 6, 7 and 8, mean 7, SD 1, SE 1/√3.
    let ratings = vec![vec![1.0, 1.5, 2.0, 1.5], vec![1.0, 1.0, 2.5, 2.5], vec![1.5, 1.5, 2.0, 3.0]];
    let result = angoff(&ratings, &[2.0, 2.0, 3.0, 3.0], AngoffUnit::Points).unwrap();
    assert_eq!(result.judge_cut_scores, vec![6.0, 7.0, 8.0]);
    assert_eq!(result.cut_score, 7.0);
    assert_eq!(result.max_total, 10.0);
    assert_eq!(result.cut_share, Estimate::Estimated { value: 0.7 });
    assert_eq!(result.standard_deviation, Estimate::Estimated { value: 1.0 });
    assert!((result.standard_error.value().unwrap() - 1.0 / 3f64.sqrt()).abs() < 1e-12);
    let expected_means = [7.0 / 6.0, 4.0 / 3.0, 13.0 / 6.0, 7.0 / 3.0];
    for (got, want) in result.item_means.iter().zip(expected_means) {
        assert!((got - want).abs() < 1e-12);
    }

    // The same panel as probabilities of full marks.
    let probabilities: Vec<Vec<f64>> = ratings
        .iter()
        .map(|row| row.iter().zip([2.0, 2.0, 3.0, 3.0]).map(|(p, m)| p / m).collect())
        .collect();
    let same = angoff(&probabilities, &[2.0, 2.0, 3.0, 3.0], AngoffUnit::Probability).unwrap();
    assert!((same.cut_score - 7.0).abs() < 1e-12);

    // One judge: no spread to measure.
    let single = angoff(&ratings[..1], &[2.0, 2.0, 3.0, 3.0], AngoffUnit::Points).unwrap();
    assert_eq!(single.standard_error, Estimate::not_estimable(Reason::TooFewCases { needed: 2, found: 1 }));
}

#[test]
fn angoff_rejects_bad_input() {
    let max = [1.0, 1.0];
    assert_eq!(angoff(&[], &max, AngoffUnit::Points), Err(StandardSettingError::NoJudges));
    assert_eq!(angoff(&[vec![]], &[], AngoffUnit::Points), Err(StandardSettingError::NoItems));
    assert_eq!(
        angoff(&[vec![0.5]], &max, AngoffUnit::Points),
        Err(StandardSettingError::Ragged { judge: 0, length: 1, expected: 2 })
    );
    assert!(matches!(
        angoff(&[vec![0.5, 0.5]], &[1.0, 0.0], AngoffUnit::Points),
        Err(StandardSettingError::InvalidMaximum { item: 1, .. })
    ));
    assert!(matches!(
        angoff(&[vec![0.5, 1.5]], &max, AngoffUnit::Points),
        Err(StandardSettingError::RatingOutOfRange { judge: 0, item: 1, .. })
    ));
    assert!(matches!(
        angoff(&[vec![0.5, f64::NAN]], &[1.0, 3.0], AngoffUnit::Points),
        Err(StandardSettingError::RatingOutOfRange { .. })
    ));
    // 1.5 points is fine on a 3-point item, but not as a probability.
    assert!(angoff(&[vec![0.5, 1.5]], &[1.0, 3.0], AngoffUnit::Points).is_ok());
    assert!(angoff(&[vec![0.5, 1.5]], &[1.0, 3.0], AngoffUnit::Probability).is_err());
}

fn panel(min_cut: f64, max_cut: f64, min_fail_rate: f64, max_fail_rate: f64) -> Vec<HofsteeJudgement> {
    // Two judges whose means are the given ranges (a spread of half a
    // point, exact in binary, so that the means are exact too).
    let judge = |shift: f64| HofsteeJudgement {
        min_cut: min_cut + shift,
        max_cut: max_cut + shift,
        min_fail_rate,
        max_fail_rate,
    };
    vec![judge(-0.5), judge(0.5)]
}

#[test]
fn hofstee_crossing_a_level_part() {
    // Scores 0 to 19 once each; the line from (8, 50 %) to (14, 10 %).
    // Between 8 and 9 the fail rate is 9/20 = 45 %; the line is at 45 % at
    // 8 + 0.05 / 0.4 × 6 = 8.75.
    let scores: Vec<f64> = (0..20).map(f64::from).collect();
    let result = hofstee(&panel(8.0, 14.0, 0.1, 0.5), &scores).unwrap();
    assert_eq!(result.candidates, 20);
    let HofsteeOutcome::Cut { cut_score, line_fail_rate, fail_rate } = result.outcome else {
        panic!("{result:?}")
    };
    assert!((cut_score - 8.75).abs() < 1e-12, "{cut_score}");
    assert!((line_fail_rate - 0.45).abs() < 1e-12);
    assert!((fail_rate - 0.45).abs() < 1e-12);
}

#[test]
fn hofstee_crossing_a_rise() {
    // Half the candidates at 5, half at 10; the line from (2, 50 %) to
    // (8, 10 %) is at 30 % at 5, where the curve rises from 0 to 50 %: the
    // cut is 5 and nobody fails.
    let scores: Vec<f64> = [5.0; 10].into_iter().chain([10.0; 10]).collect();
    let result = hofstee(&panel(2.0, 8.0, 0.1, 0.5), &scores).unwrap();
    assert_eq!(result.outcome, HofsteeOutcome::Cut { cut_score: 5.0, line_fail_rate: 0.3, fail_rate: 0.0 });
}

#[test]
fn hofstee_without_intersection() {
    let low: Vec<f64> = (0..10).map(f64::from).collect();
    // 80 % fail at the lowest acceptable cut (8), 30 % at most accepted.
    let result = hofstee(&panel(8.0, 9.0, 0.1, 0.3), &low).unwrap();
    assert_eq!(result.outcome, HofsteeOutcome::TooManyFailAtLowestCut { fail_rate: 0.8 });
    let high: Vec<f64> = (10..20).map(f64::from).collect();
    // Nobody fails at the highest acceptable cut (6), 10 % at least wanted.
    let result = hofstee(&panel(2.0, 6.0, 0.1, 0.3), &high).unwrap();
    assert_eq!(result.outcome, HofsteeOutcome::TooFewFailAtHighestCut { fail_rate: 0.0 });
}

#[test]
fn hofstee_rejects_bad_input() {
    let scores = [1.0, 2.0];
    let good = HofsteeJudgement { min_cut: 1.0, max_cut: 2.0, min_fail_rate: 0.1, max_fail_rate: 0.2 };
    assert_eq!(hofstee(&[], &scores), Err(StandardSettingError::NoJudges));
    assert_eq!(hofstee(&[good], &[]), Err(StandardSettingError::NoScores));
    assert_eq!(hofstee(&[good], &[1.0, f64::NAN]), Err(StandardSettingError::ScoreNotFinite { index: 1 }));
    for bad in [
        HofsteeJudgement { min_cut: 3.0, ..good },
        HofsteeJudgement { max_fail_rate: 1.5, ..good },
        HofsteeJudgement { min_fail_rate: 0.3, ..good },
        HofsteeJudgement { max_cut: f64::INFINITY, ..good },
    ] {
        assert_eq!(hofstee(&[good, bad], &scores), Err(StandardSettingError::InvalidJudgement { judge: 1 }));
    }
    let flat = HofsteeJudgement { max_cut: 1.0, ..good };
    assert_eq!(hofstee(&[flat], &scores), Err(StandardSettingError::DegenerateRanges));
    let flat = HofsteeJudgement { max_fail_rate: 0.1, ..good };
    assert_eq!(hofstee(&[flat], &scores), Err(StandardSettingError::DegenerateRanges));
}

proptest! {
    #[test]
    fn hofstee_cut_lies_on_the_curve_and_in_the_ranges(
        scores in proptest::collection::vec((0u8..=40).prop_map(|s| f64::from(s) / 2.0), 1..60),
        cuts in (0.0f64..20.0, 0.0f64..20.0),
        rates in (0.0f64..=1.0, 0.0f64..=1.0),
    ) {
        let judgement = HofsteeJudgement {
            min_cut: cuts.0.min(cuts.1),
            max_cut: cuts.0.max(cuts.1),
            min_fail_rate: rates.0.min(rates.1),
            max_fail_rate: rates.0.max(rates.1),
        };
        let Ok(result) = hofstee(&[judgement], &scores) else { return Ok(()) };
        let share = |pass: fn(f64, f64) -> bool, c: f64| {
            scores.iter().filter(|&&s| pass(s, c)).count() as f64 / scores.len() as f64
        };
        match result.outcome {
            HofsteeOutcome::Cut { cut_score, line_fail_rate, fail_rate } => {
                prop_assert!(cut_score >= judgement.min_cut - 1e-9 && cut_score <= judgement.max_cut + 1e-9);
                prop_assert!((fail_rate - share(|s, c| s < c, cut_score)).abs() < 1e-12);
                prop_assert!(fail_rate <= line_fail_rate + 1e-9);
                prop_assert!(line_fail_rate <= share(|s, c| s <= c, cut_score) + 1e-9);
            }
            HofsteeOutcome::TooManyFailAtLowestCut { fail_rate } => {
                prop_assert!(fail_rate >= judgement.max_fail_rate - 1e-9);
            }
            HofsteeOutcome::TooFewFailAtHighestCut { fail_rate } => {
                prop_assert!(fail_rate <= judgement.min_fail_rate + 1e-9);
            }
        }
    }

    #[test]
    fn angoff_cut_lies_between_the_judges(
        ratings in proptest::collection::vec(proptest::collection::vec(0.0f64..=1.0, 3), 1..8),
    ) {
        let result = angoff(&ratings, &[1.0, 2.0, 3.0], AngoffUnit::Probability).unwrap();
        let low = result.judge_cut_scores.iter().copied().fold(f64::INFINITY, f64::min);
        let high = result.judge_cut_scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(result.cut_score >= low - 1e-9 && result.cut_score <= high + 1e-9);
        prop_assert!(result.standard_error.value().is_none_or(|se| se >= 0.0));
    }

    #[test]
    fn arbitrary_numbers_never_panic(
        ratings in proptest::collection::vec(proptest::collection::vec(proptest::num::f64::ANY, 0..3), 0..3),
        max in proptest::collection::vec(proptest::num::f64::ANY, 0..3),
        judgements in proptest::collection::vec(
            (proptest::num::f64::ANY, proptest::num::f64::ANY, proptest::num::f64::ANY, proptest::num::f64::ANY), 0..3),
        scores in proptest::collection::vec(proptest::num::f64::ANY, 0..5),
    ) {
        if let Ok(result) = angoff(&ratings, &max, AngoffUnit::Points) {
            prop_assert!(result.cut_score.is_finite());
        }
        let judgements: Vec<HofsteeJudgement> = judgements
            .into_iter()
            .map(|(a, b, c, d)| HofsteeJudgement { min_cut: a, max_cut: b, min_fail_rate: c, max_fail_rate: d })
            .collect();
        if let Ok(result) = hofstee(&judgements, &scores)
            && let HofsteeOutcome::Cut { cut_score, line_fail_rate, fail_rate } = result.outcome
        {
            prop_assert!(cut_score.is_finite() && line_fail_rate.is_finite() && fail_rate.is_finite());
        }
    }
}
