//! Simulated double-marked sessions with known parameters, for the
//! recovery tests and the bench. A deterministic splitmix64 generator keeps
//! every run identical without a random-number crate.

use grille_statistics::{Design, Observation, Rating};

/// Examiner `examiner`'s `level` for `candidate` on `criterion`.
pub(crate) fn rated(candidate: usize, criterion: usize, examiner: usize, level: u32) -> Observation {
    Observation { candidate, criterion, examiner, rating: Rating::Level(level) }
}

/// Sebastiano Vigna's splitmix64: tiny, fast, good enough for simulation.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1), never exactly 0 or 1.
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Standard normal, by Box–Muller.
    pub(crate) fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// The true parameters of a simulated session (one rating scale 0..=max
/// with `thresholds.len()` = max).
pub(crate) struct Truth {
    pub(crate) abilities: Vec<f64>,
    pub(crate) difficulties: Vec<f64>,
    pub(crate) severities: Vec<f64>,
    pub(crate) thresholds: Vec<f64>,
}

impl Truth {
    /// Abilities drawn from N(mean, sd²), the rest given.
    pub(crate) fn draw(
        rng: &mut SplitMix64,
        candidates: usize,
        mean: f64,
        sd: f64,
        difficulties: Vec<f64>,
        severities: Vec<f64>,
        thresholds: Vec<f64>,
    ) -> Self {
        let abilities = (0..candidates).map(|_| mean + sd * rng.normal()).collect();
        Truth { abilities, difficulties, severities, thresholds }
    }
}

/// Draws a level from the rating-scale model at logit `eta`.
pub(crate) fn draw_level(rng: &mut SplitMix64, eta: f64, thresholds: &[f64]) -> u32 {
    let mut logs = vec![0.0];
    for f in thresholds {
        let last = *logs.last().unwrap();
        logs.push(last + eta - f);
    }
    let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logs.iter().map(|l| (l - top).exp()).collect();
    let mut u = rng.uniform() * weights.iter().sum::<f64>();
    for (k, w) in weights.iter().enumerate() {
        if u < *w {
            return k as u32;
        }
        u -= w;
    }
    thresholds.len() as u32
}

/// Every candidate rated on every criterion by a pair of examiners; the
/// pairs cycle through all pairs of examiners, so the design is linked.
pub(crate) fn double_marked(rng: &mut SplitMix64, truth: &Truth) -> (Design, Vec<Observation>) {
    let examiners = truth.severities.len();
    let pairs: Vec<(usize, usize)> =
        (0..examiners).flat_map(|a| (a + 1..examiners).map(move |b| (a, b))).collect();
    let mut observations = Vec::new();
    for (candidate, ability) in truth.abilities.iter().enumerate() {
        let (a, b) = pairs[candidate % pairs.len()];
        for examiner in [a, b] {
            for (criterion, difficulty) in truth.difficulties.iter().enumerate() {
                let eta = ability - difficulty - truth.severities[examiner];
                let level = draw_level(rng, eta, &truth.thresholds);
                observations.push(rated(candidate, criterion, examiner, level));
            }
        }
    }
    let design = Design {
        candidates: truth.abilities.len(),
        examiners,
        criterion_max: vec![truth.thresholds.len() as u32; truth.difficulties.len()],
    };
    (design, observations)
}

/// Pearson correlation and root mean square difference of two series.
pub(crate) fn correlation_and_rmse(a: &[f64], b: &[f64]) -> (f64, f64) {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb, mut squares) = (0.0, 0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
        squares += (x - y) * (x - y);
    }
    (sab / (saa * sbb).sqrt(), (squares / n).sqrt())
}

/// One simulated session of a pooled design: `candidates` new candidates
/// (abilities from N(0.3, 1.2²)), each rated on every criterion of
/// `criteria` (pooled indexes) by a pair of the `panel` (pooled examiner
/// indexes), the pairs cycling through all pairs of the panel. Local
/// indexes follow the order of `panel` and `criteria`.
pub(crate) fn pooled_session(
    rng: &mut SplitMix64,
    candidates: usize,
    panel: &[usize],
    criteria: &[usize],
    truth: &Truth,
) -> grille_statistics::rasch::pooled::SessionRatings {
    let pairs: Vec<(usize, usize)> =
        (0..panel.len()).flat_map(|a| (a + 1..panel.len()).map(move |b| (a, b))).collect();
    let mut observations = Vec::new();
    for candidate in 0..candidates {
        let ability = 0.3 + 1.2 * rng.normal();
        let (a, b) = pairs[candidate % pairs.len()];
        for examiner in [a, b] {
            for (criterion, &pooled) in criteria.iter().enumerate() {
                let eta = ability - truth.difficulties[pooled] - truth.severities[panel[examiner]];
                let level = draw_level(rng, eta, &truth.thresholds);
                observations.push(rated(candidate, criterion, examiner, level));
            }
        }
    }
    grille_statistics::rasch::pooled::SessionRatings {
        candidates,
        examiners: panel.to_vec(),
        criteria: criteria.to_vec(),
        observations,
    }
}
