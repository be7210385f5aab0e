//! Intraclass correlations: the Shrout & Fleiss (1979) worked example,
//! degenerate matrices, and invariants over generated matrices.

use grille_statistics::icc::{IccError, icc};
use grille_statistics::{Estimate, MatrixError, Reason};
use proptest::prelude::*;

/// Shrout & Fleiss (1979), table 2: six targets rated by four judges.
pub(crate) fn shrout_fleiss() -> Vec<Vec<f64>> {
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
        .iter()
        .map(|row| row.iter().map(|&x| f64::from(x)).collect())
        .collect()
}

fn value(e: Estimate) -> f64 {
    e.value().expect("estimated")
}

#[test]
fn reproduces_shrout_and_fleiss() {
    let report = icc(&shrout_fleiss(), 0.95).unwrap();
    // The published coefficients, to their two decimals (table 4).
    let published = [
        (report.icc1_1.value, 0.17),
        (report.icc2_1.value, 0.29),
        (report.icc3_1.value, 0.71),
        (report.icc1_k.value, 0.44),
        (report.icc2_k.value, 0.62),
        (report.icc3_k.value, 0.91),
    ];
    for (estimate, expected) in published {
        assert!((value(estimate) - expected).abs() < 0.005, "{estimate:?} vs {expected}");
    }
    // The mean squares of the analysis of variance (table 3): BMS 11.24,
    // WMS 6.26, JMS 32.49, EMS 1.02.
    let ms = report.mean_squares;
    assert!((ms.between_targets - 11.2417).abs() < 1e-4);
    assert!((ms.within_targets - 6.2639).abs() < 1e-4);
    assert!((ms.between_raters - 32.4861).abs() < 1e-4);
    assert!((ms.residual - 1.0194).abs() < 1e-4);
    // And to full precision (exact fractions: 0.1657…, 0.2897…, 0.7148…).
    assert!((value(report.icc1_1.value) - 0.165_741_768_405_475_5).abs() < 1e-12);
    assert!((value(report.icc2_1.value) - 0.289_763_779_527_559_2).abs() < 1e-12);
    assert!((value(report.icc3_1.value) - 0.714_840_714_840_715_4).abs() < 1e-12);
    assert!((value(report.icc3_1.f_statistic) - 11.027_247_956_403_27).abs() < 1e-9);
}

#[test]
fn confidence_intervals_match_the_f_formulas() {
    // Reference values computed independently with SciPy's F quantiles from
    // the formulas of Shrout & Fleiss (models 1 and 3) and McGraw & Wong
    // (1996, model 2); to two decimals they are also what common
    // statistics packages print for this example.
    let report = icc(&shrout_fleiss(), 0.95).unwrap();
    let expected = [
        (report.icc1_1.interval, -0.132_932_324_874_750_96, 0.722_560_062_328_121_1),
        (report.icc2_1.interval, 0.018_786_513_374_712_027, 0.761_084_369_678_952_9),
        (report.icc3_1.interval, 0.342_464_765_033_926_14, 0.945_858_259_955_359_7),
        (report.icc1_k.interval, -0.884_442_155_238_119_6, 0.912_415_420_340_775_5),
        (report.icc2_k.interval, 0.071_136_815_302_503_4, 0.927_232_040_167_722),
        (report.icc3_k.interval, 0.675_674_713_816_305_5, 0.985_891_678_169_082_1),
    ];
    for (interval, lower, upper) in expected {
        let interval = interval.value().expect("interval");
        assert!((interval.lower - lower).abs() < 1e-7, "{interval:?} vs {lower}");
        assert!((interval.upper - upper).abs() < 1e-7, "{interval:?} vs {upper}");
    }
    // A wider level gives a wider interval.
    let wide = icc(&shrout_fleiss(), 0.99).unwrap().icc3_1.interval.value().unwrap();
    assert!(wide.lower < 0.342 && wide.upper > 0.946);
}

#[test]
fn degenerate_matrices() {
    assert_eq!(icc(&[], 0.95), Err(IccError::TooSmall { targets: 0, raters: 0 }));
    assert_eq!(icc(&[vec![1.0, 2.0]], 0.95), Err(IccError::TooSmall { targets: 1, raters: 2 }));
    assert_eq!(icc(&[vec![1.0], vec![2.0]], 0.95), Err(IccError::TooSmall { targets: 2, raters: 1 }));
    assert_eq!(
        icc(&[vec![1.0, 2.0], vec![1.0]], 0.95),
        Err(IccError::Matrix { problem: MatrixError::Ragged { row: 1, length: 1, expected: 2 } })
    );
    assert_eq!(
        icc(&[vec![1.0, f64::NAN], vec![1.0, 2.0]], 0.95),
        Err(IccError::Matrix { problem: MatrixError::NotFinite { row: 0, column: 1 } })
    );
    assert_eq!(icc(&vec![vec![0.1; 3]; 4], 0.95), Err(IccError::NoVariance));
    for confidence in [0.0, 1.0, f64::NAN, -3.0] {
        assert!(matches!(icc(&shrout_fleiss(), confidence), Err(IccError::InvalidConfidence { .. })));
    }

    // Perfect agreement, targets differ: the coefficients are 1, the F
    // ratios divide by a zero residual.
    let perfect = vec![vec![1.0, 1.0], vec![2.0, 2.0], vec![4.0, 4.0]];
    let report = icc(&perfect, 0.95).unwrap();
    assert_eq!(report.icc1_1.value, Estimate::Estimated { value: 1.0 });
    assert_eq!(report.icc3_1.value, Estimate::Estimated { value: 1.0 });
    assert_eq!(report.icc1_1.f_statistic, Estimate::not_estimable(Reason::ZeroDenominator));
    assert!(!report.icc1_1.interval.is_estimated());

    // Targets identical, raters differ: no between-target variance.
    let raters_only = vec![vec![1.0, 3.0], vec![1.0, 3.0], vec![1.0, 3.0]];
    let report = icc(&raters_only, 0.95).unwrap();
    assert_eq!(report.icc1_k.value, Estimate::not_estimable(Reason::ZeroDenominator));
    // 2 × 2 with equal row and column means: ICC(2,1)'s denominator is 0.
    let balanced = vec![vec![1.0, 0.0], vec![0.0, 1.0]];
    let report = icc(&balanced, 0.95).unwrap();
    assert_eq!(report.icc2_1.value, Estimate::not_estimable(Reason::ZeroDenominator));
    assert!(report.icc3_1.value.is_estimated());
}

#[test]
fn icc21_can_fall_below_minus_one() {
    // Documented property of the estimator, not a bug: three targets, two
    // raters, no target or rater effect, all residual.
    let matrix = vec![vec![1.0, 0.0], vec![0.0, 1.0], vec![0.5, 0.5]];
    let report = icc(&matrix, 0.95).unwrap();
    assert!((value(report.icc2_1.value) + 3.0).abs() < 1e-9);
    assert!((value(report.icc3_1.value) + 1.0).abs() < 1e-9);
}

fn matrix() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (2usize..8, 2usize..5).prop_flat_map(|(n, k)| {
        proptest::collection::vec(proptest::collection::vec((0u8..=6).prop_map(f64::from), k), n)
    })
}

fn close(a: Estimate, b: Estimate) -> bool {
    match (a, b) {
        (Estimate::Estimated { value: x }, Estimate::Estimated { value: y }) => (x - y).abs() < 1e-9,
        (Estimate::NotEstimable { reason: r }, Estimate::NotEstimable { reason: s }) => r == s,
        _ => false,
    }
}

proptest! {
    #[test]
    fn coefficients_stay_in_their_ranges(m in matrix()) {
        let Ok(report) = icc(&m, 0.95) else { return Ok(()) };
        let k = m[0].len() as f64;
        for c in [report.icc1_1, report.icc3_1] {
            if let Some(v) = c.value.value() {
                prop_assert!((-1.0 / (k - 1.0) - 1e-9..=1.0 + 1e-9).contains(&v), "{v}");
            }
        }
        for c in [report.icc1_1, report.icc2_1, report.icc3_1, report.icc1_k, report.icc2_k, report.icc3_k] {
            if let Some(v) = c.value.value() {
                prop_assert!(v <= 1.0 + 1e-9 && v.is_finite());
                if let Some(i) = c.interval.value() {
                    prop_assert!(i.lower <= v + 1e-9 && v <= i.upper + 1e-9, "{i:?} {v}");
                }
            }
        }
    }

    #[test]
    fn shifting_and_scaling_all_scores_changes_nothing(m in matrix(), shift in -50i32..50, scale in 1u8..5) {
        let moved: Vec<Vec<f64>> =
            m.iter().map(|r| r.iter().map(|x| x * f64::from(scale) + f64::from(shift)).collect()).collect();
        match (icc(&m, 0.95), icc(&moved, 0.95)) {
            (Ok(a), Ok(b)) => {
                for (x, y) in [(a.icc1_1, b.icc1_1), (a.icc2_1, b.icc2_1), (a.icc3_1, b.icc3_1),
                               (a.icc1_k, b.icc1_k), (a.icc2_k, b.icc2_k), (a.icc3_k, b.icc3_k)] {
                    prop_assert!(close(x.value, y.value), "{x:?} {y:?}");
                }
            }
            (a, b) => prop_assert_eq!(a.is_err(), b.is_err()),
        }
    }

    #[test]
    fn permuting_targets_changes_nothing(m in matrix(), rotate in 0usize..8) {
        let mut rotated = m.clone();
        let by = rotate % m.len();
        rotated.rotate_left(by);
        match (icc(&m, 0.95), icc(&rotated, 0.95)) {
            (Ok(a), Ok(b)) => {
                prop_assert!(close(a.icc2_1.value, b.icc2_1.value));
                prop_assert!(close(a.icc1_1.value, b.icc1_1.value));
            }
            (a, b) => prop_assert_eq!(a.is_err(), b.is_err()),
        }
    }

    #[test]
    fn any_floats_give_a_result_or_an_error(
        m in proptest::collection::vec(proptest::collection::vec(proptest::num::f64::ANY, 0..4), 0..5),
        confidence in proptest::num::f64::ANY,
    ) {
        if let Ok(report) = icc(&m, confidence) {
            for c in [report.icc1_1, report.icc2_1, report.icc3_1, report.icc1_k, report.icc2_k, report.icc3_k] {
                prop_assert!(c.value.value().is_none_or(f64::is_finite));
            }
        }
    }
}
