//! The checks of a session file shared by `grille score` and `grille
//! validate`: its header and the documents it pins (first walk over the
//! text), then every candidate against them (second walk). Neither builds
//! the whole JSON tree; see `grille_scoring::stream`.

use grille_competence::{Catalogue, Problem};
use grille_scoring::session::SessionHeader;
use grille_scoring::stream::walk;
use grille_scoring::{Scorer, SessionDocuments, SessionLoader, SessionSummary};

use super::documents::{DocumentPool, PinnedDocuments};
use super::text::tr;

/// The header of a session and the documents it pins, when both are valid.
pub(super) type Pinned<'p> = Option<(SessionHeader, PinnedDocuments<'p>)>;

/// First walk: the header and the pinned documents. A syntax error of the
/// file is returned alone; other problems are added to `problems`.
pub(super) fn header_pass<'p>(
    text: &str,
    loader: &SessionLoader,
    pool: &'p DocumentPool,
    problems: &mut Vec<Problem>,
) -> Result<Pinned<'p>, Problem> {
    let top = walk(text, None)?;
    if !top.has_candidates {
        problems.push(Problem::text("", tr("cli.session.candidates_missing")));
    }
    let header = match loader.header(top.fields) {
        Ok(header) => header,
        Err(header_problems) => {
            problems.extend(header_problems);
            return Ok(None);
        }
    };
    match pool.pinned(&header) {
        Ok(pinned) => Ok(Some((header, pinned))),
        Err(pin_problems) => {
            problems.extend(pin_problems);
            Ok(None)
        }
    }
}

/// The scorer over the pinned documents, when they fit together.
pub(super) fn scorer<'a>(
    catalogue: &'a Catalogue,
    pinned: &'a Pinned<'_>,
    problems: &mut Vec<Problem>,
) -> Option<Scorer<'a>> {
    let (header, pinned) = pinned.as_ref()?;
    let documents = SessionDocuments {
        catalogue,
        scheme: pinned.scheme,
        blueprint: pinned.blueprint,
        rubrics: &pinned.rubrics,
        cases: &pinned.cases,
    };
    Scorer::new(documents, header.clone()).map_err(|scorer_problems| problems.extend(scorer_problems)).ok()
}

/// How strictly answers are checked in the second walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answers {
    /// As scoring takes them: an answer that fits no level makes its
    /// evaluation incomplete, with the reason (`grille score`).
    AsScored,
    /// Answers that can never be right are problems of the file
    /// (`grille validate`).
    Strict,
}

/// Second walk: every candidate on its own, and against the pinned
/// documents when there is a scorer. Returns the number of candidates.
pub(super) fn candidates_pass(
    text: &str,
    loader: &SessionLoader,
    mut scorer: Option<&mut Scorer<'_>>,
    answers: Answers,
    problems: &mut Vec<Problem>,
) -> Result<usize, Problem> {
    let mut count = 0;
    walk(
        text,
        Some(&mut |index, value| {
            count += 1;
            match loader.candidate(index, value) {
                Ok(candidate) => {
                    if let Some(scorer) = scorer.as_deref_mut() {
                        problems.extend(scorer.check_candidate(index, &candidate));
                        if answers == Answers::Strict {
                            problems.extend(scorer.answer_problems(index, &candidate));
                        }
                    }
                }
                Err(candidate_problems) => problems.extend(candidate_problems),
            }
        }),
    )?;
    Ok(count)
}

/// Third walk, for a session without problems: what is still open (pending
/// candidates, discrepancies), so that `validate` can say a session is
/// valid but not yet complete, and the warnings of its candidates (what is
/// kept but ignored for grading), with their pointers.
pub(super) fn summary_pass(
    text: &str,
    loader: &SessionLoader,
    scorer: &Scorer<'_>,
) -> (SessionSummary, Vec<Problem>) {
    let mut summary = SessionSummary::default();
    let mut warnings = Vec::new();
    // The text was walked successfully just before; a failure here cannot
    // happen and would only leave the summary short.
    let _ = walk(
        text,
        Some(&mut |index, value| {
            if let Ok(candidate) = loader.candidate(index, value) {
                warnings.extend(candidate.warnings(index));
                summary.add(&scorer.score_candidate(&candidate));
            }
        }),
    );
    (summary, warnings)
}
