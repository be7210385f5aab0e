//! The ratings that the Rasch and criterion analyses start from, and their
//! validation.
//!
//! Elements are numbered from 0 within each facet (candidates, criteria,
//! examiners); the caller keeps the mapping to its own identifiers. A
//! criterion's levels are `0..=max`.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

/// The largest number of elements in one facet, so that the per-element
/// tables can always be allocated.
pub const MAX_ELEMENTS: usize = 1 << 24;

/// The largest criterion maximum: rubric levels are a handful, and the
/// per-level tables must stay small.
pub const MAX_LEVEL: u32 = 1000;

/// The shape of the data: how many elements each facet has and each
/// criterion's highest level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Design {
    /// Number of candidates (indexes `0..candidates`).
    pub candidates: usize,
    /// Number of examiners (indexes `0..examiners`).
    pub examiners: usize,
    /// The highest level of each criterion (the criterion's index is the
    /// position); its levels are `0..=max`.
    pub criterion_max: Vec<u32>,
}

/// One examiner's rating of one candidate on one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// The candidate (from 0).
    pub candidate: usize,
    /// The criterion (from 0).
    pub criterion: usize,
    /// The examiner (from 0).
    pub examiner: usize,
    /// The level given, or "not assessable".
    pub rating: Rating,
}

/// What an examiner gave on a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "level", rename_all = "snake_case")]
pub enum Rating {
    /// A level from 0 to the criterion's maximum.
    Level(u32),
    /// The examiner judged the criterion not assessable for this candidate;
    /// counted, never turned into a level.
    NotAssessable,
}

/// One of the three facets of a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// The candidates.
    Candidate,
    /// The rubric criteria.
    Criterion,
    /// The examiners.
    Examiner,
}

impl fmt::Display for Facet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Facet::Candidate => "candidate",
            Facet::Criterion => "criterion",
            Facet::Examiner => "examiner",
        })
    }
}

/// Input that cannot be analysed at all (a caller's mistake rather than a
/// property of the data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InputError {
    /// A facet has more elements than [`MAX_ELEMENTS`].
    TooManyElements {
        /// The facet.
        facet: Facet,
        /// Its declared size.
        count: usize,
    },
    /// A criterion's maximum is above [`MAX_LEVEL`].
    MaximumTooLarge {
        /// The criterion.
        criterion: usize,
        /// Its declared maximum.
        max: u32,
    },
    /// The criteria have more levels in all (Σ (max + 1)) than
    /// [`MAX_ELEMENTS`], too many for the per-level tables.
    TooManyLevels {
        /// Σ (max + 1) over the criteria.
        total: usize,
    },
    /// An observation names an element beyond its facet's size.
    OutOfRange {
        /// The observation (position in the slice).
        observation: usize,
        /// The facet.
        facet: Facet,
        /// The index given.
        index: usize,
        /// The facet's size.
        count: usize,
    },
    /// A level is above the criterion's maximum.
    LevelAboveMaximum {
        /// The observation (position in the slice).
        observation: usize,
        /// The level given.
        level: u32,
        /// The criterion's maximum.
        max: u32,
    },
    /// The same examiner rated the same candidate on the same criterion
    /// twice; counting both would weigh that rating double.
    DuplicateRating {
        /// The first observation.
        first: usize,
        /// The repeated one.
        second: usize,
    },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::TooManyElements { facet, count } => {
                write!(f, "{count} elements in facet {facet}, more than the {MAX_ELEMENTS} supported")
            }
            InputError::MaximumTooLarge { criterion, max } => {
                write!(f, "criterion {criterion} has maximum {max}, more than the {MAX_LEVEL} supported")
            }
            InputError::TooManyLevels { total } => {
                write!(f, "the criteria have {total} levels in all, more than the {MAX_ELEMENTS} supported")
            }
            InputError::OutOfRange { observation, facet, index, count } => write!(
                f,
                "observation {observation} names {facet} {index}, but there are only {count} elements"
            ),
            InputError::LevelAboveMaximum { observation, level, max } => {
                write!(f, "observation {observation} has level {level}, above the criterion's maximum {max}")
            }
            InputError::DuplicateRating { first, second } => write!(
                f,
                "observations {first} and {second} are the same examiner rating the same candidate on the same criterion"
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Checks the design's sizes and that every observation fits it: indexes in
/// range, levels within the criterion's maximum, no repeated rating.
pub fn validate(design: &Design, observations: &[Observation]) -> Result<(), InputError> {
    for (facet, count) in [
        (Facet::Candidate, design.candidates),
        (Facet::Criterion, design.criterion_max.len()),
        (Facet::Examiner, design.examiners),
    ] {
        if count > MAX_ELEMENTS {
            return Err(InputError::TooManyElements { facet, count });
        }
    }
    if let Some((criterion, &max)) = design.criterion_max.iter().enumerate().find(|(_, m)| **m > MAX_LEVEL) {
        return Err(InputError::MaximumTooLarge { criterion, max });
    }
    let total: usize = design.criterion_max.iter().map(|&m| m as usize + 1).sum();
    if total > MAX_ELEMENTS {
        return Err(InputError::TooManyLevels { total });
    }
    let mut seen: HashMap<(usize, usize, usize), usize> = HashMap::with_capacity(observations.len());
    for (position, o) in observations.iter().enumerate() {
        for (facet, index, count) in [
            (Facet::Candidate, o.candidate, design.candidates),
            (Facet::Criterion, o.criterion, design.criterion_max.len()),
            (Facet::Examiner, o.examiner, design.examiners),
        ] {
            if index >= count {
                return Err(InputError::OutOfRange { observation: position, facet, index, count });
            }
        }
        if let Rating::Level(level) = o.rating {
            let max = design.criterion_max[o.criterion];
            if level > max {
                return Err(InputError::LevelAboveMaximum { observation: position, level, max });
            }
        }
        if let Some(&first) = seen.get(&(o.candidate, o.criterion, o.examiner)) {
            return Err(InputError::DuplicateRating { first, second: position });
        }
        seen.insert((o.candidate, o.criterion, o.examiner), position);
    }
    Ok(())
}
