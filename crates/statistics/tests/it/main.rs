//! The integration tests of grille-statistics, one binary.

// Simulated sessions with known parameters (splitmix64, no random crate).
mod sim;
// Many-facet Rasch: recovery, flags, points, exclusions, design checks.
mod rasch;
// One Rasch model over several sessions: examiners and criteria linked.
mod pooled;
// Intraclass correlations: Shrout & Fleiss (1979), intervals, invariants.
mod icc;
// Criterion analysis and Cronbach's alpha.
mod items;
// Angoff and Hofstee.
mod standard_setting;

use grille_statistics::{Observation, Rating};

/// The observations of a property test, drawn as (candidate, criterion,
/// examiner, level or `None` for "not assessable").
fn drawn(raw: Vec<(usize, usize, usize, Option<u32>)>) -> Vec<Observation> {
    raw.into_iter()
        .map(|(candidate, criterion, examiner, level)| Observation {
            candidate,
            criterion,
            examiner,
            rating: level.map_or(Rating::NotAssessable, Rating::Level),
        })
        .collect()
}
