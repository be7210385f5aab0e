//! Agreement between two examiners who rated the same items on an ordinal
//! scale (e.g. the four levels of a rubric criterion).
//!
//! All statistics are exact: counts are integers, each rate or kappa is one
//! integer divided by another, and the division is done once, in
//! [`Decimal`] (28 significant digits). A statistic whose denominator would
//! be zero is [`Statistic::NotDefined`], never a division by zero.
//!
//! Cohen's weighted kappa with disagreement weights `w(i, j)`:
//! `κ = 1 − Σ w·observed / Σ w·expected`, where `expected(i, j) = row(i) ·
//! column(j) / n`. Linear weights are `|i − j|`, quadratic `(i − j)²`; the
//! usual normalisation by `(k − 1)` or `(k − 1)²` cancels out, so with
//! counts `κ = 1 − n · Σ w·o / Σ w·row·column`.
//!
//! ```
//! use grille_report::agreement::{agreement, Statistic};
//! use rust_decimal::Decimal;
//!
//! // Four levels (0..=3); the examiners agree on two items out of four.
//! let result = agreement(4, &[(0, 0), (1, 2), (3, 3), (2, 0)]).unwrap();
//! assert_eq!(result.exact, Statistic::Defined(Decimal::new(5, 1)));
//! assert_eq!(result.adjacent, Statistic::Defined(Decimal::new(75, 2)));
//! ```

use rust_decimal::Decimal;

/// A statistic that may not be defined for the data at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// The value.
    Defined(Decimal),
    /// The statistic's denominator is zero for these data: there are no
    /// pairs, or (for kappa) agreement by chance alone is already perfect,
    /// e.g. both examiners gave every item the same level.
    NotDefined,
}

impl Statistic {
    /// The value, if defined.
    pub fn value(self) -> Option<Decimal> {
        match self {
            Statistic::Defined(value) => Some(value),
            Statistic::NotDefined => None,
        }
    }

    fn ratio(numerator: i128, denominator: i128) -> Statistic {
        if denominator == 0 {
            return Statistic::NotDefined;
        }
        match (
            Decimal::try_from_i128_with_scale(numerator, 0),
            Decimal::try_from_i128_with_scale(denominator, 0),
        ) {
            (Ok(numerator), Ok(denominator)) => Statistic::Defined(numerator / denominator),
            _ => Statistic::NotDefined,
        }
    }
}

/// The weights of a weighted kappa.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Disagreement weight `|i − j|`.
    Linear,
    /// Disagreement weight `(i − j)²`.
    Quadratic,
}

impl Weights {
    fn disagreement(self, first: usize, second: usize) -> i128 {
        let distance = first.abs_diff(second) as i128;
        match self {
            Weights::Linear => distance,
            Weights::Quadratic => distance * distance,
        }
    }
}

/// Why paired ratings could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// A scale needs at least two levels.
    #[error("a scale needs at least two levels, got {0}")]
    TooFewLevels(usize),
    /// A rating is not one of the scale's levels `0..levels`.
    #[error("pair {pair}: level {level} is outside the scale 0..{levels}")]
    LevelOutOfRange {
        /// The index of the pair in the input.
        pair: usize,
        /// The offending level.
        level: usize,
        /// The number of levels of the scale.
        levels: usize,
    },
}

/// The agreement statistics of two examiners over the same items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// The number of paired ratings.
    pub pairs: usize,
    /// The share of pairs with the same level, in [0, 1].
    pub exact: Statistic,
    /// The share of pairs whose levels differ by at most one (exact
    /// agreement included), in [0, 1].
    pub adjacent: Statistic,
    /// Cohen's kappa with linear weights.
    pub kappa_linear: Statistic,
    /// Cohen's kappa with quadratic weights.
    pub kappa_quadratic: Statistic,
    /// The contingency table: `table[i][j]` counts the pairs where the
    /// first examiner gave level `i` and the second level `j`.
    pub table: Vec<Vec<usize>>,
}

/// Computes the agreement of two examiners over `pairs` of levels in
/// `0..levels` (first examiner, second examiner).
pub fn agreement(levels: usize, pairs: &[(usize, usize)]) -> Result<Agreement, AgreementError> {
    if levels < 2 {
        return Err(AgreementError::TooFewLevels(levels));
    }
    let mut table = vec![vec![0usize; levels]; levels];
    for (index, &(first, second)) in pairs.iter().enumerate() {
        for level in [first, second] {
            if level >= levels {
                return Err(AgreementError::LevelOutOfRange { pair: index, level, levels });
            }
        }
        table[first][second] += 1;
    }
    let n = pairs.len() as i128;
    let exact = pairs.iter().filter(|(first, second)| first == second).count() as i128;
    let adjacent = pairs.iter().filter(|(first, second)| first.abs_diff(*second) <= 1).count() as i128;
    Ok(Agreement {
        pairs: pairs.len(),
        exact: Statistic::ratio(exact, n),
        adjacent: Statistic::ratio(adjacent, n),
        kappa_linear: weighted_kappa(&table, Weights::Linear),
        kappa_quadratic: weighted_kappa(&table, Weights::Quadratic),
        table,
    })
}

/// Cohen's weighted kappa of a square contingency table of counts.
pub fn weighted_kappa(table: &[Vec<usize>], weights: Weights) -> Statistic {
    let levels = table.len();
    let count = |i: usize, j: usize| table[i].get(j).copied().unwrap_or(0) as i128;
    let rows: Vec<i128> = (0..levels).map(|i| (0..levels).map(|j| count(i, j)).sum()).collect();
    let columns: Vec<i128> = (0..levels).map(|j| (0..levels).map(|i| count(i, j)).sum()).collect();
    let n: i128 = rows.iter().sum();
    let mut observed = 0i128;
    let mut expected = 0i128;
    for (i, row) in rows.iter().enumerate() {
        for (j, column) in columns.iter().enumerate() {
            let weight = weights.disagreement(i, j);
            observed += weight * count(i, j);
            expected += weight * row * column;
        }
    }
    // κ = 1 − n·observed / expected = (expected − n·observed) / expected.
    Statistic::ratio(expected - n * observed, expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn defined(statistic: Statistic, places: u32) -> String {
        match statistic {
            Statistic::Defined(value) => value.round_dp(places).normalize().to_string(),
            Statistic::NotDefined => "not defined".to_owned(),
        }
    }

    /// One case: levels, pairs, then expected exact, adjacent, linear and
    /// quadratic kappa, rounded to 4 places (computed by hand below).
    fn check(description: &str, levels: usize, pairs: &[(usize, usize)], expected: [&str; 4]) {
        let result = agreement(levels, pairs).unwrap();
        let actual = [
            defined(result.exact, 4),
            defined(result.adjacent, 4),
            defined(result.kappa_linear, 4),
            defined(result.kappa_quadratic, 4),
        ];
        assert_eq!(actual, expected.map(str::to_owned), "{description}");
    }

    #[test]
    fn hand_computed_cases() {
        // Perfect agreement over two levels used: κ = 1.
        check("identical", 4, &[(0, 0), (1, 1), (3, 3)], ["1", "1", "1", "1"]);
        // Two levels, 2x2 table [[1,1],[0,2]], n = 4. Rows (2,2), columns
        // (1,3). Observed disagreement (weight 1) = 1; expected =
        // 2·3 + 2·1 = 8; κ = 1 − 4·1/8 = 0.5 (linear = quadratic with two
        // levels). Exact 3/4; adjacent 4/4.
        check("two levels", 2, &[(0, 0), (0, 1), (1, 1), (1, 1)], ["0.75", "1", "0.5", "0.5"]);
        // Three levels, pairs (0,1), (1,2), (2,0), n = 3. Rows (1,1,1),
        // columns (1,1,1). Linear: observed 1+1+2 = 4; expected = Σ|i−j| =
        // 8; κ = 1 − 3·4/8 = −0.5. Quadratic: observed 1+1+4 = 6; expected
        // = Σ(i−j)² = 12; κ = 1 − 3·6/12 = −0.5. Exact 0, adjacent 2/3.
        check("systematic disagreement", 3, &[(0, 1), (1, 2), (2, 0)], ["0", "0.6667", "-0.5", "-0.5"]);
        // Four levels: (0,0), (1,2), (3,3), (2,0). Rows (1,1,1,1), columns
        // (2,0,1,1). Linear: observed 1 + 2 = 3; expected = Σ_i Σ_j |i−j|
        // c_j = c·(Σ_i|i−j|) = 2·6 + 0·4 + 1·4 + 1·6 = 22; κ = 1 − 12/22 =
        // 5/11 ≈ 0.4545. Quadratic: observed 1 + 4 = 5; Σ_i (i−j)² = 14, 6,
        // 6, 14; expected = 28 + 0 + 6 + 14 = 48; κ = 1 − 20/48 = 7/12 ≈
        // 0.5833.
        check("mixed", 4, &[(0, 0), (1, 2), (3, 3), (2, 0)], ["0.5", "0.75", "0.4545", "0.5833"]);
        // Both examiners always give the same single level: chance
        // agreement is perfect, κ is not defined.
        check("one level only", 4, &[(2, 2), (2, 2)], ["1", "1", "not defined", "not defined"]);
        check("no pairs", 4, &[], ["not defined", "not defined", "not defined", "not defined"]);
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(agreement(1, &[]), Err(AgreementError::TooFewLevels(1)));
        assert_eq!(
            agreement(4, &[(0, 0), (1, 4)]),
            Err(AgreementError::LevelOutOfRange { pair: 1, level: 4, levels: 4 })
        );
    }

    #[test]
    fn fills_the_contingency_table() {
        let result = agreement(3, &[(0, 1), (0, 1), (2, 2)]).unwrap();
        assert_eq!(result.table, vec![vec![0, 2, 0], vec![0, 0, 0], vec![0, 0, 1]]);
        assert_eq!(result.pairs, 3);
    }

    fn pairs_strategy() -> impl Strategy<Value = (usize, Vec<(usize, usize)>)> {
        (2usize..7)
            .prop_flat_map(|levels| (Just(levels), prop::collection::vec((0..levels, 0..levels), 0..60)))
    }

    proptest! {
        #[test]
        fn kappa_of_identical_ratings_is_one_when_defined(levels in 2usize..7, ratings in prop::collection::vec(0usize..6, 0..60)) {
            let pairs: Vec<(usize, usize)> = ratings.iter().map(|&r| (r % levels, r % levels)).collect();
            let result = agreement(levels, &pairs).unwrap();
            for kappa in [result.kappa_linear, result.kappa_quadratic] {
                if let Statistic::Defined(value) = kappa {
                    prop_assert_eq!(value, Decimal::ONE);
                }
            }
            let distinct: std::collections::BTreeSet<usize> = pairs.iter().map(|p| p.0).collect();
            // κ is defined exactly when at least two levels are used.
            prop_assert_eq!(result.kappa_linear.value().is_some(), distinct.len() >= 2);
        }

        #[test]
        fn statistics_are_symmetric_in_the_two_examiners((levels, pairs) in pairs_strategy()) {
            let swapped: Vec<(usize, usize)> = pairs.iter().map(|&(a, b)| (b, a)).collect();
            let forward = agreement(levels, &pairs).unwrap();
            let backward = agreement(levels, &swapped).unwrap();
            prop_assert_eq!(forward.exact, backward.exact);
            prop_assert_eq!(forward.adjacent, backward.adjacent);
            prop_assert_eq!(forward.kappa_linear, backward.kappa_linear);
            prop_assert_eq!(forward.kappa_quadratic, backward.kappa_quadratic);
        }

        #[test]
        fn rates_are_within_zero_and_one((levels, pairs) in pairs_strategy()) {
            let result = agreement(levels, &pairs).unwrap();
            for rate in [result.exact, result.adjacent] {
                match rate {
                    Statistic::Defined(value) => prop_assert!(value >= Decimal::ZERO && value <= Decimal::ONE),
                    Statistic::NotDefined => prop_assert!(pairs.is_empty()),
                }
            }
            if let (Some(exact), Some(adjacent)) = (result.exact.value(), result.adjacent.value()) {
                prop_assert!(exact <= adjacent);
            }
            for kappa in [result.kappa_linear, result.kappa_quadratic] {
                if let Statistic::Defined(value) = kappa {
                    prop_assert!(value <= Decimal::ONE);
                }
            }
        }
    }
}
