//! One many-facet Rasch model for the ratings of several sessions: an
//! examiner's severity estimated jointly over all of them, on one scale.
//!
//! Each session brings its ratings with its own (local) indexes and says
//! which pooled examiner and which pooled criterion each local one is:
//! - **candidates are never shared**: a candidate of one session is a
//!   distinct element from every candidate of another (a repeat attempt is
//!   another performance);
//! - **examiners are shared** when the caller maps them to the same pooled
//!   index (the same person);
//! - **criteria are shared** when the caller maps them to the same pooled
//!   index (the same rubric criterion, with the same maximum); otherwise
//!   they are distinct.
//!
//! The sessions are then linked only through the examiners who rated in
//! several of them (and the shared criteria): when no chain of shared
//! examiners links two groups of sessions, the estimation is refused as for
//! one session ([`RaschError::Disconnected`] or [`RaschError::Confounded`])
//! and [`PooledError::Rasch`] says which sessions fall into which group, so
//! that the caller can report it rather than compare severities that share
//! no frame of reference.

use std::fmt;

use serde::Serialize;

use super::{RaschError, RaschEstimate, RaschOptions, estimate};
use crate::data::{Design, Facet, InputError, Observation, validate};

/// The ratings of one session, with local indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRatings {
    /// Candidates of the session (local indexes `0..candidates`).
    pub candidates: usize,
    /// The pooled examiner of each local examiner.
    pub examiners: Vec<usize>,
    /// The pooled criterion of each local criterion.
    pub criteria: Vec<usize>,
    /// The ratings, with local indexes.
    pub observations: Vec<Observation>,
}

/// Where a pooled candidate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CandidateOrigin {
    /// The session (its position in the slice given).
    pub session: usize,
    /// The candidate's local index in that session.
    pub candidate: usize,
}

/// The pooled model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PooledEstimate {
    /// The estimate, with pooled indexes: examiners and criteria as the
    /// caller mapped them, candidates numbered session after session (see
    /// [`PooledEstimate::origins`]).
    pub estimate: RaschEstimate,
    /// The origin of each pooled candidate, by pooled index.
    pub origins: Vec<CandidateOrigin>,
    /// Ratings with a level or "not assessable" brought by each session.
    pub ratings_per_session: Vec<usize>,
}

/// Why the pooled model could not be estimated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PooledError {
    /// A session maps a local examiner or criterion beyond the pooled
    /// design.
    Link {
        /// The session (position in the slice).
        session: usize,
        /// The facet.
        facet: Facet,
        /// The local index.
        local: usize,
        /// The pooled index given.
        pooled: usize,
        /// The pooled facet's size.
        count: usize,
    },
    /// A session's ratings do not fit its own design (index out of range,
    /// level above the criterion's pooled maximum, repeated rating).
    Input {
        /// The session.
        session: usize,
        /// The problem, with local indexes.
        problem: InputError,
    },
    /// The pooled ratings cannot be estimated; for a design problem
    /// (disconnected or confounded), `session_groups` lists the sessions
    /// of each group that nothing links to the others (a session may appear
    /// in two groups when its own candidates are split).
    Rasch {
        /// The problem, with pooled indexes.
        error: RaschError,
        /// The groups of sessions, each ascending; empty for other errors.
        session_groups: Vec<Vec<usize>>,
    },
}

impl fmt::Display for PooledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PooledError::Link { session, facet, local, pooled, count } => write!(
                f,
                "session {session} maps its {facet} {local} to {pooled}, but the pooled design has only {count}"
            ),
            PooledError::Input { session, problem } => write!(f, "session {session}: {problem}"),
            PooledError::Rasch { error, session_groups } if session_groups.len() > 1 => write!(
                f,
                "{error}; the sessions fall into {} groups that no shared examiner links",
                session_groups.len()
            ),
            PooledError::Rasch { error, .. } => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for PooledError {}

/// The pooled design and ratings, before estimation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pooled {
    /// The pooled design.
    pub design: Design,
    /// The ratings with pooled indexes.
    pub observations: Vec<Observation>,
    /// The origin of each pooled candidate.
    pub origins: Vec<CandidateOrigin>,
}

/// Puts the sessions' ratings into one design: `examiners` pooled
/// examiners, pooled criteria with the maxima `criterion_max`.
pub fn pool(
    examiners: usize,
    criterion_max: &[u32],
    sessions: &[SessionRatings],
) -> Result<Pooled, PooledError> {
    let mut origins = Vec::new();
    let mut observations = Vec::new();
    for (index, session) in sessions.iter().enumerate() {
        for (facet, links, count) in [
            (Facet::Examiner, &session.examiners, examiners),
            (Facet::Criterion, &session.criteria, criterion_max.len()),
        ] {
            if let Some((local, &pooled)) = links.iter().enumerate().find(|&(_, &pooled)| pooled >= count) {
                return Err(PooledError::Link { session: index, facet, local, pooled, count });
            }
        }
        let local = Design {
            candidates: session.candidates,
            examiners: session.examiners.len(),
            criterion_max: session.criteria.iter().map(|&c| criterion_max[c]).collect(),
        };
        validate(&local, &session.observations)
            .map_err(|problem| PooledError::Input { session: index, problem })?;
        let offset = origins.len();
        origins
            .extend((0..session.candidates).map(|candidate| CandidateOrigin { session: index, candidate }));
        observations.extend(session.observations.iter().map(|o| Observation {
            candidate: offset + o.candidate,
            criterion: session.criteria[o.criterion],
            examiner: session.examiners[o.examiner],
            rating: o.rating,
        }));
    }
    let design = Design { candidates: origins.len(), examiners, criterion_max: criterion_max.to_vec() };
    Ok(Pooled { design, observations, origins })
}

/// Estimates one model from the ratings of all the sessions (see the
/// module's description for what is shared).
pub fn estimate_pooled(
    examiners: usize,
    criterion_max: &[u32],
    sessions: &[SessionRatings],
    options: &RaschOptions,
) -> Result<PooledEstimate, PooledError> {
    let pooled = pool(examiners, criterion_max, sessions)?;
    let ratings_per_session = sessions.iter().map(|s| s.observations.len()).collect();
    match estimate(&pooled.design, &pooled.observations, options) {
        Ok(estimate) => Ok(PooledEstimate { estimate, origins: pooled.origins, ratings_per_session }),
        Err(error) => {
            let session_of = |candidate: usize| pooled.origins.get(candidate).map(|o| o.session);
            let groups: Vec<&Vec<usize>> = match &error {
                RaschError::Disconnected { subsets, .. } => subsets.iter().map(|s| &s.candidates).collect(),
                RaschError::Confounded { groups, .. } => groups
                    .iter()
                    .filter(|g| g.facet == Facet::Candidate)
                    .flat_map(|g| g.groups.iter())
                    .collect(),
                _ => Vec::new(),
            };
            let mut session_groups: Vec<Vec<usize>> = groups
                .into_iter()
                .map(|candidates| {
                    let mut sessions: Vec<usize> =
                        candidates.iter().filter_map(|&candidate| session_of(candidate)).collect();
                    sessions.sort_unstable();
                    sessions.dedup();
                    sessions
                })
                .filter(|sessions| !sessions.is_empty())
                .collect();
            session_groups.dedup();
            Err(PooledError::Rasch { error, session_groups })
        }
    }
}
