use std::str::FromStr;

use grille_scoring::{
    Conversion, GradingScheme, RoundingDirection, Threshold, mean, mean_in, points_to_grade, round,
    round_half_up,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal literal")
}

#[test]
fn rounding_half_up_at_every_boundary() {
    let cases = [
        ("half grades: 3.75 goes up", "3.75", "0.5", "4"),
        ("half grades: 4.25 goes up", "4.25", "0.5", "4.5"),
        ("half grades: 3.74 goes down", "3.74", "0.5", "3.5"),
        ("half grades: 4.24 goes down", "4.24", "0.5", "4"),
        ("half grades: 5.75 goes up to 6", "5.75", "0.5", "6"),
        ("half grades: 1.24 goes down to 1", "1.24", "0.5", "1"),
        ("half grades: 1.25 goes up to 1.5", "1.25", "0.5", "1.5"),
        ("tenths: 3.85 goes up", "3.85", "0.1", "3.9"),
        ("tenths: 3.849 goes down", "3.849", "0.1", "3.8"),
        ("tenths: 3.95 goes up to 4", "3.95", "0.1", "4"),
        ("tenths: 4.45 goes up (not banker's)", "4.45", "0.1", "4.5"),
        ("tenths: 1.25 goes up", "1.25", "0.1", "1.3"),
        ("tenths: a third", "4.3333333333333333333333333333", "0.1", "4.3"),
        ("whole grades: 4.5 goes up", "4.5", "1", "5"),
        ("exact value unchanged", "4.5", "0.5", "4.5"),
        ("half grades: 5.25 goes up", "5.25", "0.5", "5.5"),
        ("half grades: 2.75 goes up to 3", "2.75", "0.5", "3"),
        ("half grades: 3.95 goes up to 4", "3.95", "0.5", "4"),
        ("half grades: 3.7499 goes down", "3.7499", "0.5", "3.5"),
        ("tenths: 3.94 goes down (pass mark just missed)", "3.94", "0.1", "3.9"),
        ("tenths: 3.9499 goes down (pass mark just missed)", "3.9499", "0.1", "3.9"),
        ("tenths: 4.0 exactly stays (pass mark met)", "4.0", "0.1", "4"),
        ("tenths: 2.45 goes up", "2.45", "0.1", "2.5"),
        ("tenths: 5.55 goes up", "5.55", "0.1", "5.6"),
        ("tenths: 5.95 goes up to 6", "5.95", "0.1", "6"),
        ("tenths: 4.05 goes up", "4.05", "0.1", "4.1"),
        ("quarters: 4.125 goes up", "4.125", "0.25", "4.25"),
        ("quarters: 4.124 goes down", "4.124", "0.25", "4"),
    ];
    for (description, value, step, expected) in cases {
        let rounded = round_half_up(d(value), d(step)).expect("rounding");
        assert_eq!(rounded, d(expected), "{description}: {value} at {step}");
        assert_eq!(rounded.to_string(), expected, "{description}: normalized display");
    }
}

#[test]
fn rounding_up_and_down_at_every_boundary() {
    // (description, value, step, direction, expected, rule)
    let cases = [
        (
            "half grades up: 3.6 goes to 4",
            "3.6",
            "0.5",
            RoundingDirection::Up,
            "4",
            "arrondi à la demi-note supérieure",
        ),
        (
            "half grades up: 3.51 goes to 4",
            "3.51",
            "0.5",
            RoundingDirection::Up,
            "4",
            "arrondi à la demi-note supérieure",
        ),
        (
            "half grades up: 3.5 stays",
            "3.5",
            "0.5",
            RoundingDirection::Up,
            "3.5",
            "arrondi à la demi-note supérieure",
        ),
        (
            "half grades down: 3.9 goes to 3.5",
            "3.9",
            "0.5",
            RoundingDirection::Down,
            "3.5",
            "arrondi à la demi-note inférieure",
        ),
        (
            "half grades down: 3.99 goes to 3.5",
            "3.99",
            "0.5",
            RoundingDirection::Down,
            "3.5",
            "arrondi à la demi-note inférieure",
        ),
        (
            "half grades down: 4 stays",
            "4",
            "0.5",
            RoundingDirection::Down,
            "4",
            "arrondi à la demi-note inférieure",
        ),
        (
            "tenths up: 3.91 goes to 4",
            "3.91",
            "0.1",
            RoundingDirection::Up,
            "4",
            "arrondi au dixième supérieur",
        ),
        (
            "tenths down: 3.99 goes to 3.9",
            "3.99",
            "0.1",
            RoundingDirection::Down,
            "3.9",
            "arrondi au dixième inférieur",
        ),
        (
            "tenths up: a third",
            "4.3333333333333333333333333333",
            "0.1",
            RoundingDirection::Up,
            "4.4",
            "arrondi au dixième supérieur",
        ),
        ("whole grades up", "4.1", "1", RoundingDirection::Up, "5", "arrondi à l'entier supérieur"),
        (
            "quarters down",
            "4.49",
            "0.25",
            RoundingDirection::Down,
            "4.25",
            "arrondi au multiple de 0.25 inférieur",
        ),
        (
            "half up keeps its rule",
            "3.75",
            "0.5",
            RoundingDirection::HalfUp,
            "4",
            "arrondi à la demi-note, demi vers le haut",
        ),
    ];
    for (description, value, step, direction, expected, rule) in cases {
        assert_eq!(round(d(value), d(step), direction).unwrap().to_string(), expected, "{description}");
        let explained = grille_scoring::calc::explain_rounding_in(d(value), d(step), direction).unwrap();
        assert_eq!(explained.rule, rule, "{description}");
        assert_eq!(explained.direction, direction, "{description}");
        assert_eq!(explained.after, d(expected), "{description}");
    }
}

fn scheme_with(conversion: Conversion) -> GradingScheme {
    let mut scheme = GradingScheme::with_defaults("t", "1");
    scheme.conversion = conversion;
    scheme
}

#[test]
fn conversions() {
    let two_piece = Conversion::TwoPiece { pass_fraction: d("0.55") };
    let table = Conversion::Table {
        max_points: d("20"),
        thresholds: vec![
            Threshold { min_points: d("0"), grade: d("1") },
            Threshold { min_points: d("8"), grade: d("3") },
            Threshold { min_points: d("12"), grade: d("4") },
            Threshold { min_points: d("16"), grade: d("5") },
            Threshold { min_points: d("19"), grade: d("6") },
        ],
    };
    // (description, conversion, points, max, unrounded, grade)
    let cases = [
        ("linear: 0 points give 1", Conversion::Linear, "0", "20", "1", "1"),
        ("linear: max gives 6", Conversion::Linear, "20", "20", "6", "6"),
        ("linear: 60 % gives 4", Conversion::Linear, "12", "20", "4", "4"),
        ("linear: 17/20 = 5.25 rounds up to 5.5", Conversion::Linear, "17", "20", "5.25", "5.5"),
        ("linear: 11/20 = 3.75 rounds up to 4", Conversion::Linear, "11", "20", "3.75", "4"),
        (
            "linear: 2/3 with a repeating decimal",
            Conversion::Linear,
            "2",
            "3",
            "4.3333333333333333333333333333",
            "4.5",
        ),
        ("two-piece: 55 % gives 4", two_piece.clone(), "11", "20", "4", "4"),
        ("two-piece: 0 gives 1", two_piece.clone(), "0", "20", "1", "1"),
        ("two-piece: max gives 6", two_piece.clone(), "20", "20", "6", "6"),
        ("two-piece: below the knee", two_piece.clone(), "5.5", "20", "2.5", "2.5"),
        ("two-piece: above the knee 15.5/20", two_piece.clone(), "15.5", "20", "5", "5"),
        ("table: threshold reached exactly", table.clone(), "12", "20", "4", "4"),
        ("table: just below a threshold", table.clone(), "11.5", "20", "3", "3"),
        ("table: top", table.clone(), "20", "20", "6", "6"),
        ("table: other maximum compared proportionally", table.clone(), "6", "10", "4", "4"),
    ];
    for (description, conversion, points, max, unrounded, grade) in cases {
        let scheme = scheme_with(conversion);
        let explained = points_to_grade(d(points), d(max), &scheme).expect(description);
        assert_eq!(explained.unrounded, d(unrounded), "{description}: unrounded ({})", explained.formula);
        assert_eq!(explained.grade, d(grade), "{description}: grade ({})", explained.formula);
        assert!(!explained.formula.is_empty(), "{description}: formula present");
    }
}

#[test]
fn calculator_refuses_bad_arguments_without_panicking() {
    let scheme = GradingScheme::with_defaults("t", "1");
    let cases = [
        ("zero maximum", "1", "0"),
        ("negative points", "-1", "10"),
        ("points above maximum", "11", "10"),
        ("huge values", "79228162514264337593543950335", "79228162514264337593543950335"),
    ];
    for (description, points, max) in cases {
        let outcome = points_to_grade(d(points), d(max), &scheme);
        if description == "huge values" {
            // Either a grade within the scale or an overflow error, never a panic.
            if let Ok(grade) = outcome {
                assert_eq!(grade.grade, d("6"), "{description}");
            }
        } else {
            assert!(outcome.is_err(), "{description}: should be refused");
        }
    }
    assert!(mean(&[], &[], d("0.1")).is_err(), "empty mean");
    assert!(mean(&[d("4")], &[], d("0.1")).is_err(), "length mismatch");
    assert!(mean(&[d("4")], &[d("0")], d("0.1")).is_err(), "zero weight");
    assert!(round_half_up(d("4"), d("0")).is_err(), "zero step");
}

#[test]
fn means() {
    let cases = [
        ("equal weights, 3.75 rounds to 3.8", vec!["4", "3.5"], vec!["1", "1"], "0.1", "3.75", "3.8"),
        ("weighted 2:1", vec!["5", "3.5"], vec!["2", "1"], "0.1", "4.5", "4.5"),
        (
            "third of a grade",
            vec!["4", "4", "5"],
            vec!["1", "1", "1"],
            "0.1",
            "4.3333333333333333333333333333",
            "4.3",
        ),
        ("3.85 rounds to 3.9", vec!["3.7", "4"], vec!["1", "1"], "0.1", "3.85", "3.9"),
        ("half-grade step", vec!["4", "4.5"], vec!["1", "1"], "0.5", "4.25", "4.5"),
        ("pass mark exactly met", vec!["4.5", "3.5"], vec!["1", "1"], "0.1", "4", "4"),
        ("3.95 rounds to the pass mark", vec!["3.9", "4"], vec!["1", "1"], "0.1", "3.95", "4"),
        ("3.94 misses the pass mark", vec!["3.9", "4"], vec!["3", "2"], "0.1", "3.94", "3.9"),
        (
            "weights 2:1, repeating decimal",
            vec!["4.1", "3.55"],
            vec!["2", "1"],
            "0.1",
            "3.9166666666666666666666666667",
            "3.9",
        ),
        ("proportional weights 0.5:0.5 as 1:1", vec!["4", "3.5"], vec!["0.5", "0.5"], "0.1", "3.75", "3.8"),
    ];
    for (description, grades, weights, step, unrounded, value) in cases {
        let grades: Vec<Decimal> = grades.into_iter().map(d).collect();
        let weights: Vec<Decimal> = weights.into_iter().map(d).collect();
        let explained = mean(&grades, &weights, d(step)).expect(description);
        assert_eq!(explained.unrounded, d(unrounded), "{description}: {}", explained.formula);
        assert_eq!(explained.value, d(value), "{description}: {}", explained.formula);
        assert_eq!(explained.rounding.before, d(unrounded), "{description}: rounding step recorded");
    }
}

fn decimal_in(low: i64, high: i64, scale: u32) -> impl Strategy<Value = Decimal> {
    (low..=high).prop_map(move |units| Decimal::new(units, scale))
}

pub(crate) fn any_direction() -> impl Strategy<Value = RoundingDirection> {
    prop_oneof![Just(RoundingDirection::HalfUp), Just(RoundingDirection::Up), Just(RoundingDirection::Down)]
}

pub(crate) fn any_step() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        Just(Decimal::new(5, 1)),
        Just(Decimal::new(1, 1)),
        Just(Decimal::ONE),
        Just(Decimal::new(25, 2))
    ]
}

proptest! {
    #[test]
    fn grades_stay_within_the_scale(points in decimal_in(0, 10_000, 2), extra in decimal_in(1, 10_000, 2), kind in 0..3u8) {
        let max = points + extra;
        let conversion = match kind {
            0 => Conversion::Linear,
            1 => Conversion::TwoPiece { pass_fraction: Decimal::new(55, 2) },
            _ => Conversion::Table {
                max_points: Decimal::from(10),
                thresholds: vec![
                    Threshold { min_points: Decimal::ZERO, grade: Decimal::ONE },
                    Threshold { min_points: Decimal::from(6), grade: Decimal::from(4) },
                    Threshold { min_points: Decimal::from(10), grade: Decimal::from(6) },
                ],
            },
        };
        let scheme = scheme_with(conversion);
        let grade = points_to_grade(points, max, &scheme).unwrap().grade;
        prop_assert!(grade >= Decimal::ONE && grade <= Decimal::from(6), "grade {} out of scale", grade);
        prop_assert!((grade / Decimal::new(5, 1)).is_integer(), "position grade {} is not a half grade", grade);
    }

    #[test]
    fn linear_ends(max in decimal_in(1, 1_000_000, 3)) {
        let scheme = GradingScheme::with_defaults("t", "1");
        prop_assert_eq!(points_to_grade(max, max, &scheme).unwrap().grade, Decimal::from(6));
        prop_assert_eq!(points_to_grade(Decimal::ZERO, max, &scheme).unwrap().grade, Decimal::ONE);
    }

    #[test]
    fn rounding_is_idempotent_monotone_and_on_the_step(a in decimal_in(100, 600, 3), b in decimal_in(100, 600, 3), step in any_step()) {
        let ra = round_half_up(a, step).unwrap();
        prop_assert_eq!(round_half_up(ra, step).unwrap(), ra, "idempotent");
        prop_assert!((ra / step).is_integer(), "{} is a multiple of {}", ra, step);
        let rb = round_half_up(b, step).unwrap();
        if a <= b { prop_assert!(ra <= rb, "monotone: {} -> {}, {} -> {}", a, ra, b, rb); }
        prop_assert!((ra - a).abs() <= step / Decimal::TWO, "within half a step");
    }

    #[test]
    fn rounding_directions_are_ordered_on_the_step_and_within_a_step(value in decimal_in(100_000, 700_000, 5), step in any_step()) {
        let down = round(value, step, RoundingDirection::Down).unwrap();
        let half_up = round(value, step, RoundingDirection::HalfUp).unwrap();
        let up = round(value, step, RoundingDirection::Up).unwrap();
        prop_assert!(down <= half_up && half_up <= up, "{} ≤ {} ≤ {} for {} at {}", down, half_up, up, value, step);
        prop_assert!(down <= value && value <= up, "down {} and up {} enclose {}", down, up, value);
        for (name, rounded) in [("down", down), ("half up", half_up), ("up", up)] {
            prop_assert!((rounded / step).is_integer(), "{}: {} is a multiple of {}", name, rounded, step);
            prop_assert!((rounded - value).abs() < step, "{}: |{} − {}| < {}", name, rounded, value, step);
            prop_assert_eq!(round(rounded, step, RoundingDirection::Down).unwrap(), rounded, "{} is idempotent", name);
        }
        prop_assert!(up - down == Decimal::ZERO || up - down == step, "up and down are one step apart or equal");
        if (value / step).is_integer() {
            prop_assert!(down == value && up == value, "a multiple is left as it is");
        }
    }

    #[test]
    fn a_mean_rounded_in_each_direction_prints_the_decimals_of_its_step(
        terms in prop::collection::vec(decimal_in(10, 60, 1), 1..6),
        step in any_step(),
        direction in any_direction(),
    ) {
        let weights = vec![Decimal::ONE; terms.len()];
        let explained = mean_in(&terms, &weights, step, direction).unwrap();
        let decimals = step.normalize().scale().max(1);
        prop_assert_eq!(explained.value.scale(), decimals, "{} at step {}", explained.value, step);
        prop_assert_eq!(explained.rounding.direction, direction);
        prop_assert_eq!(explained.value, round(explained.unrounded, step, direction).unwrap());
    }

    #[test]
    fn weighted_mean_lies_between_min_and_max(
        terms in prop::collection::vec((decimal_in(10, 60, 1), decimal_in(1, 50, 1)), 1..8)
    ) {
        let grades: Vec<Decimal> = terms.iter().map(|(grade, _)| *grade).collect();
        let weights: Vec<Decimal> = terms.iter().map(|(_, weight)| *weight).collect();
        let explained = mean(&grades, &weights, Decimal::new(1, 1)).unwrap();
        let low = grades.iter().copied().min().unwrap();
        let high = grades.iter().copied().max().unwrap();
        prop_assert!(explained.unrounded >= low && explained.unrounded <= high);
        // Grades are on tenths here, so the rounded mean stays within them too.
        prop_assert!(explained.value >= low && explained.value <= high);
    }
}

/// A conversion for property tests: linear, two pieces with a knee between
/// 30 % and 80 %, or a table of increasing thresholds and non-decreasing
/// grades on half grades, written for 20 points.
pub(crate) fn any_conversion() -> impl Strategy<Value = Conversion> {
    let two_piece =
        (30..=80i64).prop_map(|percent| Conversion::TwoPiece { pass_fraction: Decimal::new(percent, 2) });
    let table = prop::collection::btree_set(1..=20i64, 1..8).prop_flat_map(|points| {
        let len = points.len();
        (Just(points), prop::collection::vec(0..=2i64, len + 1))
    });
    let table = table.prop_map(|(points, steps)| {
        // Grades start at 1 and climb by 0, 0.5 or 1 at each threshold, capped at 6.
        let mut grade = Decimal::ONE;
        let mut thresholds = vec![Threshold { min_points: Decimal::ZERO, grade }];
        for (min_points, step) in points.into_iter().zip(steps) {
            grade = (grade + Decimal::new(step * 5, 1)).min(Decimal::from(6));
            thresholds.push(Threshold { min_points: Decimal::from(min_points), grade });
        }
        Conversion::Table { max_points: Decimal::from(20), thresholds }
    });
    prop_oneof![Just(Conversion::Linear), two_piece, table]
}

proptest! {
    #[test]
    fn more_points_never_give_a_lower_position_grade(
        conversion in any_conversion(),
        a in decimal_in(0, 2_000, 2),
        b in decimal_in(0, 2_000, 2),
        max in prop_oneof![Just(Decimal::from(20)), decimal_in(2_000, 5_000, 2)],
        step in any_step(),
    ) {
        let mut scheme = scheme_with(conversion);
        scheme.rounding.position = step;
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        // Points on [0, 20] scaled to the maximum drawn.
        let scale = |points: Decimal| points * max / Decimal::from(20);
        let g_low = points_to_grade(scale(low), max, &scheme).unwrap();
        let g_high = points_to_grade(scale(high), max, &scheme).unwrap();
        prop_assert!(g_low.unrounded <= g_high.unrounded, "unrounded: {} ({}) > {} ({})", g_low.unrounded, g_low.formula, g_high.unrounded, g_high.formula);
        prop_assert!(g_low.grade <= g_high.grade, "grade: {} > {}", g_low.grade, g_high.grade);
    }

    #[test]
    fn proportional_weights_give_the_same_mean(
        terms in prop::collection::vec((decimal_in(10, 60, 1), decimal_in(1, 50, 1)), 1..8),
        factor in prop_oneof![decimal_in(2, 20, 0), decimal_in(1, 99, 2), Just(Decimal::new(1, 1))],
        step in any_step(),
    ) {
        let grades: Vec<Decimal> = terms.iter().map(|(grade, _)| *grade).collect();
        let weights: Vec<Decimal> = terms.iter().map(|(_, weight)| *weight).collect();
        let scaled: Vec<Decimal> = weights.iter().map(|weight| weight * factor).collect();
        let plain = mean(&grades, &weights, step).unwrap();
        let proportional = mean(&grades, &scaled, step).unwrap();
        prop_assert_eq!(plain.unrounded, proportional.unrounded, "{} vs {}", plain.formula, proportional.formula);
        prop_assert_eq!(plain.value, proportional.value);
    }
}
