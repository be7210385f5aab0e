//! Numerical building blocks shared by the modules: descriptive statistics,
//! the F distribution's quantiles, a symmetric eigen-decomposition and a
//! union-find. Crate-private: the public modules wrap them in typed results.

/// Relative size under which a quantity computed from data counts as zero:
/// sums of squares of identical values come out as rounding noise, not as
/// exact zeros, and must not be divided by.
pub(crate) const NEGLIGIBLE: f64 = 1e-10;

/// Whether `value` is zero for all practical purposes next to `scale`.
pub(crate) fn negligible(value: f64, scale: f64) -> bool {
    value.abs() <= NEGLIGIBLE * scale.abs().max(f64::MIN_POSITIVE)
}

/// Arithmetic mean; `None` for no values.
pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() { None } else { Some(values.iter().sum::<f64>() / values.len() as f64) }
}

/// Sum of squared deviations from the mean, and the sum of squares of the
/// values themselves (the scale against which the first is judged zero).
pub(crate) fn sum_of_squares(values: &[f64]) -> (f64, f64) {
    let Some(m) = mean(values) else { return (0.0, 0.0) };
    let deviations = values.iter().map(|v| (v - m) * (v - m)).sum();
    let raw = values.iter().map(|v| v * v).sum();
    (deviations, raw)
}

/// Sample variance (divisor n − 1); `None` below two values.
pub(crate) fn sample_variance(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    Some(sum_of_squares(values).0 / (values.len() - 1) as f64)
}

/// Why a Pearson correlation is undefined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PearsonFailure {
    /// Fewer than two pairs.
    TooFew,
    /// One of the two variables is constant.
    Constant,
}

/// Pearson's correlation of two equally long series.
pub(crate) fn pearson(x: &[f64], y: &[f64]) -> Result<f64, PearsonFailure> {
    let n = x.len().min(y.len());
    if n < 2 {
        return Err(PearsonFailure::TooFew);
    }
    let (x, y) = (&x[..n], &y[..n]);
    let (mx, my) = (mean(x).unwrap_or(0.0), mean(y).unwrap_or(0.0));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    let (_, rx) = sum_of_squares(x);
    let (_, ry) = sum_of_squares(y);
    if negligible(sxx, rx) || negligible(syy, ry) {
        return Err(PearsonFailure::Constant);
    }
    // Rounding can push a perfect correlation a hair past ±1.
    Ok((sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0))
}

/// ln Γ(x) for x > 0, by the Lanczos approximation (g = 7, nine terms),
/// accurate to about 15 significant digits.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection keeps the series in its accurate range for small x.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised incomplete beta function I_x(a, b) for a, b > 0.
pub(crate) fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = a * x.ln() + b * (1.0 - x).ln() - (ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b));
    let front = ln_front.exp();
    // The continued fraction converges fast only left of the mean; use the
    // symmetry I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b
    }
}

/// The continued fraction of the incomplete beta function, evaluated by the
/// modified Lentz method.
fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPSILON: f64 = 1e-15;
    const MAX_TERMS: usize = 100_000;
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..=MAX_TERMS {
        let m = m as f64;
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPSILON {
            break;
        }
    }
    h
}

/// The quantile of the beta distribution with parameters a, b > 0 at
/// probability p in (0, 1), by bisection: slow but it cannot diverge, and
/// sixty halvings reach the limit of `f64`.
fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            break;
        }
        if regularized_beta(middle, a, b) < p {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}

/// The quantile of Snedecor's F distribution with `d1` and `d2` degrees of
/// freedom (both positive, not necessarily whole) at probability `p`;
/// `None` when an argument is out of range or the result is not finite.
pub(crate) fn f_quantile(p: f64, d1: f64, d2: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && d1 > 0.0 && d2 > 0.0 && d1.is_finite() && d2.is_finite()) {
        return None;
    }
    // If X ~ F(d1, d2) then d1 X / (d1 X + d2) ~ Beta(d1 / 2, d2 / 2).
    let y = beta_quantile(p, d1 / 2.0, d2 / 2.0);
    let f = d2 * y / (d1 * (1.0 - y));
    (f.is_finite() && f >= 0.0).then_some(f)
}

/// The cumulative distribution function of F(d1, d2) at x.
#[cfg(test)]
pub(crate) fn f_cdf(x: f64, d1: f64, d2: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    regularized_beta(d1 * x / (d1 * x + d2), d1 / 2.0, d2 / 2.0)
}

/// Eigen-decomposition of a symmetric n × n matrix (row-major) by cyclic
/// Jacobi rotations. Returns the eigenvalues and the eigenvectors as the
/// columns of a row-major n × n matrix. Jacobi is slow for large n but very
/// accurate for small eigenvalues, which is what a rank decision needs.
pub(crate) fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let mut off = 0.0;
        for p in 0..n {
            for q in p + 1..n {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if off <= 1e-30 * total || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = if theta.abs() > 1e150 {
                    0.5 / theta
                } else {
                    let sign = if theta >= 0.0 { 1.0 } else { -1.0 };
                    sign / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let values = (0..n).map(|i| a[i * n + i]).collect();
    (values, v)
}

/// Disjoint sets over 0..n with path halving and union by size.
pub(crate) struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    pub(crate) fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        for (x, expected) in [(1.0, 0.0), (2.0, 0.0), (5.0, 24f64.ln()), (10.0, 362_880f64.ln())] {
            assert!((ln_gamma(x) - expected).abs() < 1e-12, "{x}");
        }
        // Γ(1/2) = √π.
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        // Γ(0.1) = 9.513507698668731836...
        assert!((ln_gamma(0.1) - 9.513_507_698_668_732_f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn incomplete_beta_closed_forms() {
        // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
        for x in [0.01_f64, 0.2, 0.5, 0.77, 0.99] {
            for s in [0.5, 1.0, 2.5, 7.0] {
                assert!((regularized_beta(x, s, 1.0) - x.powf(s)).abs() < 1e-13, "{x} {s}");
                assert!((regularized_beta(x, 1.0, s) - (1.0 - (1.0 - x).powf(s))).abs() < 1e-13);
            }
        }
        // Symmetric parameters: I_{1/2}(a, a) = 1/2.
        for a in [0.3, 1.0, 4.0, 50.0, 2000.0] {
            assert!((regularized_beta(0.5, a, a) - 0.5).abs() < 1e-12, "{a}");
        }
    }

    #[test]
    fn f_quantiles_match_closed_forms_and_tables() {
        // With two numerator degrees of freedom the F quantile is explicit:
        // F_p(2, d) = d/2 × ((1 − p)^(−2/d) − 1).
        for d in [1.0_f64, 3.0, 10.0, 18.0, 57.5] {
            for p in [0.025_f64, 0.5, 0.95, 0.975] {
                let expected = d / 2.0 * ((1.0 - p).powf(-2.0 / d) - 1.0);
                let got = f_quantile(p, 2.0, d).unwrap();
                assert!((got - expected).abs() < 1e-9 * expected.max(1.0), "{p} {d}: {got} vs {expected}");
            }
        }
        // F(1, d) is the square of Student's t: t_{0.975}(10) = 2.2281388519649.
        let t = 2.228_138_851_964_9_f64;
        assert!((f_quantile(0.95, 1.0, 10.0).unwrap() - t * t).abs() < 1e-9);
        // Printed tables: F_{0.95}(5, 10) = 3.3258, F_{0.975}(5, 15) = 3.5764.
        assert!((f_quantile(0.95, 5.0, 10.0).unwrap() - 3.3258).abs() < 5e-5);
        assert!((f_quantile(0.975, 5.0, 15.0).unwrap() - 3.5764).abs() < 5e-5);
        // The quantile inverts the distribution function.
        for (d1, d2) in [(0.7, 3.3), (5.0, 18.0), (40.0, 2.0), (300.0, 900.0)] {
            for p in [0.001, 0.2, 0.9, 0.999] {
                let q = f_quantile(p, d1, d2).unwrap();
                assert!((f_cdf(q, d1, d2) - p).abs() < 1e-10, "{d1} {d2} {p}");
            }
        }
        assert_eq!(f_quantile(0.0, 1.0, 1.0), None);
        assert_eq!(f_quantile(0.5, 0.0, 1.0), None);
        assert_eq!(f_quantile(0.5, 1.0, f64::NAN), None);
    }

    #[test]
    fn jacobi_diagonalises() {
        let n = 4;
        let a = vec![4.0, 1.0, -2.0, 2.0, 1.0, 2.0, 0.0, 1.0, -2.0, 0.0, 3.0, -2.0, 2.0, 1.0, -2.0, -1.0];
        let (values, vectors) = symmetric_eigen(a.clone(), n);
        for k in 0..n {
            for i in 0..n {
                let av: f64 = (0..n).map(|j| a[i * n + j] * vectors[j * n + k]).sum();
                assert!((av - values[k] * vectors[i * n + k]).abs() < 1e-12);
            }
        }
        let trace: f64 = values.iter().sum();
        assert!((trace - 8.0).abs() < 1e-12);
    }

    #[test]
    #[ignore = "timing only: cargo test --release -p grille-statistics -- --ignored jacobi_time"]
    fn jacobi_time_at_the_confounding_limit() {
        let n = 200;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = if i == j { 10.0 } else { ((i * 7 + j * 7) % 5) as f64 / 10.0 };
            }
        }
        let start = std::time::Instant::now();
        let _ = symmetric_eigen(a, n);
        eprintln!("jacobi {n}: {:?}", start.elapsed());
    }

    #[test]
    fn pearson_edge_cases() {
        assert_eq!(pearson(&[1.0], &[2.0]), Err(PearsonFailure::TooFew));
        assert_eq!(pearson(&[0.1, 0.1, 0.1], &[1.0, 2.0, 3.0]), Err(PearsonFailure::Constant));
        assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]).unwrap() - 1.0).abs() < 1e-15);
    }
}
