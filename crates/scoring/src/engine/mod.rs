//! The scoring engine: a session's evaluations → position grades → part
//! grades → overall grade → pass or fail, each step explained; examiner
//! comparison; competence profiles.
//!
//! Rules decided here (see also the crate documentation):
//! - An evaluation gives a grade only when every rubric criterion is
//!   answered with the points of an existing level, or "not assessable"
//!   where the rubric allows it. A not-assessable criterion leaves both the
//!   points and the maximum.
//! - The official grade of a position follows its part's reconciliation
//!   mode (`Part::reconciliation`); a part examined by one examiner takes
//!   that evaluation whatever the mode.
//!   - `agreed` (the default): the agreed evaluation when there is one;
//!     otherwise the examiners' evaluations when they are identical on
//!     every criterion and the scheme lets identical evaluations agree;
//!     otherwise (they differ) the position has no official grade yet and
//!     its discrepancy is open.
//!   - `mean`: once every examiner's evaluation is complete, the mean of
//!     their position grades, rounded at the scheme's position step and
//!     direction (equal weights).
//!   - `arbitration`: once every examiner's evaluation is complete, when
//!     their grades raise a discrepancy flag (a gap of the scheme's
//!     discrepancy step, or grades on either side of the pass mark when the
//!     scheme flags it), the arbiter's (chief expert's) evaluation is
//!     official, and the discrepancy stays open until it is complete;
//!     without a flag, the mean as in `mean` (identical grades give that
//!     grade). An arbiter's evaluation entered without a flag is not used.
//!
//!   In every mode an agreed evaluation, once every examiner named in its
//!   `awaiting_confirmation` has confirmed it, is official: in the
//!   `agreed` mode it is the examiners' joint one, in the others only a
//!   board's correction puts one there. Each position result says which
//!   rule applied (`reconciliation`).
//! - Part grade = weighted mean of the rounded position grades, rounded at
//!   the part step; overall grade = weighted mean of the rounded part
//!   grades, rounded at the overall step.
//! - Unexcused withdrawal and exclusion fail without grades; an excused
//!   withdrawal gives no result (the attempt does not count); an absence
//!   stays pending until the board records it as excused or not.
//!   Evaluations entered for such a candidate (before the withdrawal was
//!   recorded) are kept in the file, ignored for grading, and reported as
//!   a warning of the candidate's result.
//!
//! Here: the [`Scorer`] and [`score_session`]. One job per module beside:
//! `result` (the explained result types), `check` (documents and
//! candidates checked against each other), `score` (a candidate scored
//! evaluation by evaluation up to the decision), `compare` (double
//! marking), `judge` (the pass rule and `simulate`), `profile` (the
//! competence profile), `what_if` (real grades against grades under other
//! documents).

use crate::message::{Message, MessageCode};
use std::collections::HashSet;
use std::sync::Mutex;

use grille_competence::{Catalogue, Problem};

use crate::answers::Completeness;
use crate::blueprint::Blueprint;
use crate::case::CaseStudy;
use crate::rubric::Rubric;
use crate::scheme::GradingScheme;
use crate::session::{Candidate, Session, SessionHeader};

mod check;
mod compare;
mod judge;
mod profile;
mod result;
mod score;
mod what_if;

pub use judge::{Simulation, judge, simulate};
pub use result::{
    CandidateGrades, CandidateResult, CaseUsed, Comparison, CompetenceProfile, ConditionResult,
    CriterionComparison, CriterionScore, DiscrepancyFlag, DiscrepancyStatus, EvaluationResult, ExaminerGrade,
    FlagKind, GradeSourceRef, Mark, Outcome, PartGrade, PartResult, PositionGrade, PositionResult,
    ProfileEntry, ReconciliationResult, ReconciliationRule, SessionResult, SessionSummary,
};
pub use score::score_evaluation_answers;
pub use what_if::{CandidateChange, GradeChange, GradeLevel, WhatIf};

use check::{check_candidate_references, check_documents, prefixed};
use score::{PreparedCase, PreparedPosition, score_candidate};

/// Everything a scoring run needs, already loaded.
#[derive(Debug, Clone, Copy)]
pub struct ScoringInput<'a> {
    /// The competence catalogue.
    pub catalogue: &'a Catalogue,
    /// The grading scheme the session pins.
    pub scheme: &'a GradingScheme,
    /// The blueprint the session pins.
    pub blueprint: &'a Blueprint,
    /// The rubrics the session pins (others are ignored).
    pub rubrics: &'a [Rubric],
    /// The case studies the session pins (others are ignored).
    pub cases: &'a [CaseStudy],
    /// The session.
    pub session: &'a Session,
}

/// Scores a whole session. Returns every problem of the documents and of
/// their cross-references (each with a JSON pointer into the session, or
/// into the named document) instead of a result when any is found.
/// Incomplete evaluations and open discrepancies are not problems: they
/// appear in the result as pending reasons.
///
/// This is a loop over a [`Scorer`]: check every candidate, then score
/// every candidate. A caller that wants to print results as they come uses
/// the [`Scorer`] directly.
pub fn score_session(input: &ScoringInput<'_>) -> Result<SessionResult, Vec<Problem>> {
    let ScoringInput { catalogue, scheme, blueprint, rubrics, cases, session } = *input;
    let documents = SessionDocuments { catalogue, scheme, blueprint, rubrics, cases };
    let (scorer, mut problems) = Scorer::unchecked(documents, session.header());
    for (index, candidate) in session.candidates.iter().enumerate() {
        problems.extend(scorer.check_candidate(index, candidate));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let candidates = session.candidates.iter().map(|candidate| scorer.score_candidate(candidate)).collect();
    Ok(scorer.session_result(candidates))
}

/// The documents a [`Scorer`] scores against, already loaded.
#[derive(Debug, Clone, Copy)]
pub struct SessionDocuments<'a> {
    /// The competence catalogue.
    pub catalogue: &'a Catalogue,
    /// The grading scheme the session pins.
    pub scheme: &'a GradingScheme,
    /// The blueprint the session pins.
    pub blueprint: &'a Blueprint,
    /// The rubrics the session pins (others are ignored).
    pub rubrics: &'a [Rubric],
    /// The case studies the session pins (others are ignored).
    pub cases: &'a [CaseStudy],
}

/// Scores a session candidate by candidate, so that a large session can be
/// streamed: the documents and their cross-references are checked once by
/// [`Scorer::new`], then each candidate is checked with
/// [`Scorer::check_candidate`] and scored with [`Scorer::score_candidate`].
/// [`score_session`] is a loop over these, so both paths share every line
/// of scoring logic.
///
/// ```
/// # use grille_scoring::{Scorer, SessionDocuments, SessionSummary, Session, GradingScheme, Blueprint, Rubric};
/// # fn stream(documents: SessionDocuments<'_>, session: &Session) -> Result<(), Vec<grille_scoring::Problem>> {
/// let scorer = Scorer::new(documents, session.header())?;
/// let mut summary = SessionSummary::default();
/// for (index, candidate) in session.candidates.iter().enumerate() {
///     let problems = scorer.check_candidate(index, candidate);
///     if !problems.is_empty() {
///         return Err(problems);
///     }
///     let result = scorer.score_candidate(candidate);
///     summary.add(&result);
///     // print `result` now
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Scorer<'a> {
    scheme: &'a GradingScheme,
    blueprint: &'a Blueprint,
    header: SessionHeader,
    /// Each position, part by part, in blueprint order: its pinned rubric
    /// (`None` when the session does not supply it) and attributions.
    positions: Vec<Vec<PreparedPosition<'a>>>,
    /// The pinned case studies, each with the positions it serves with a
    /// rubric of its own, prepared with that rubric.
    cases: Vec<PreparedCase<'a>>,
    /// The candidate numbers seen by [`Scorer::check_candidate`].
    numbers: SeenNumbers,
}

/// The candidate numbers a scorer has checked, shared by the threads that
/// check candidates with the same scorer (`grille score` on every core).
#[derive(Debug, Default)]
struct SeenNumbers(Mutex<HashSet<String>>);

impl SeenNumbers {
    /// Whether `number` is new (and remembers it).
    fn insert(&self, number: &str) -> bool {
        // A poisoned lock only means another thread panicked while
        // inserting; the set itself is whole.
        let mut numbers = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        !numbers.contains(number) && numbers.insert(number.to_owned())
    }
}

impl Clone for SeenNumbers {
    fn clone(&self) -> SeenNumbers {
        let numbers = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        SeenNumbers(Mutex::new(numbers.clone()))
    }
}

impl<'a> Scorer<'a> {
    /// Checks the scheme, blueprint and rubrics against the catalogue, the
    /// session header, and their cross-references (pinned ids and versions,
    /// rubrics supplied, parts named by the pass rule), once. Every problem
    /// is returned at once; pointers are into the session file or into the
    /// named document.
    pub fn new(documents: SessionDocuments<'a>, header: SessionHeader) -> Result<Scorer<'a>, Vec<Problem>> {
        let (scorer, problems) = Scorer::unchecked(documents, header);
        if problems.is_empty() { Ok(scorer) } else { Err(problems) }
    }

    /// Builds a scorer whatever the problems, and returns them beside it,
    /// so that [`score_session`] can also report the candidates' problems.
    fn unchecked(documents: SessionDocuments<'a>, header: SessionHeader) -> (Scorer<'a>, Vec<Problem>) {
        let problems = check_documents(&documents, &header);
        let positions = documents
            .blueprint
            .parts
            .iter()
            .map(|part| {
                part.positions
                    .iter()
                    .map(|position| PreparedPosition::of(&documents, &header, position, &position.rubric))
                    .collect()
            })
            .collect();
        let cases = header
            .cases
            .iter()
            .filter_map(|reference| {
                documents
                    .cases
                    .iter()
                    .find(|case| case.id == reference.id && case.version == reference.version)
            })
            .map(|case| {
                let with_own_rubric = case
                    .rubric
                    .as_deref()
                    .map(|rubric| {
                        case.positions
                            .iter()
                            .filter_map(|id| documents.blueprint.position(id))
                            .map(|(_, position)| {
                                (
                                    position.id.clone(),
                                    PreparedPosition::of(&documents, &header, position, rubric),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                PreparedCase { case, with_own_rubric }
            })
            .collect();
        let scorer = Scorer {
            scheme: documents.scheme,
            blueprint: documents.blueprint,
            header,
            positions,
            cases,
            numbers: SeenNumbers::default(),
        };
        (scorer, problems)
    }

    /// The session header the scorer was built with.
    pub fn header(&self) -> &SessionHeader {
        &self.header
    }

    /// The assumptions declared by the scheme and the blueprint, to be
    /// confirmed against the exam regulation.
    pub fn assumptions(&self) -> Vec<String> {
        let mut assumptions = self.scheme.assumptions.clone();
        assumptions.extend(self.blueprint.assumptions.iter().cloned());
        assumptions
    }

    /// The same assumptions in `language` (`de`, `it`): a document's
    /// translated assumptions where its translation note gives one for each
    /// French assumption, its French assumptions otherwise (and for `fr`).
    pub fn assumptions_in(&self, language: &str) -> Vec<String> {
        let in_language = |assumptions: &[String], translation: Option<&grille_competence::Translations>| {
            translation
                .and_then(|translation| translation.assumptions(language, assumptions))
                .unwrap_or(assumptions)
                .to_vec()
        };
        let mut assumptions = in_language(&self.scheme.assumptions, self.scheme.translation.as_ref());
        assumptions.extend(in_language(&self.blueprint.assumptions, self.blueprint.translation.as_ref()));
        assumptions
    }

    /// Every problem of one candidate, with pointers
    /// `/candidates/{index}/...`: its own consistency, its attempt number
    /// against the scheme, its carried parts and positions against the
    /// blueprint. The scorer remembers the numbers it has seen, so that a
    /// number used twice in the session is reported at its second use
    /// (when candidates are checked on several threads, at whichever use
    /// comes second).
    pub fn check_candidate(&self, index: usize, candidate: &Candidate) -> Vec<Problem> {
        let mut problems: Vec<Problem> =
            prefixed(candidate.check(index), Message::new(MessageCode::DocumentSession)).collect();
        if !self.numbers.insert(&candidate.number) {
            problems.push(Problem::new(
                format!("/candidates/{index}/number"),
                Message::new(MessageCode::CandidateNumberTwice)
                    .with("number", candidate.number.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
        check_candidate_references(self.scheme, self.blueprint, index, candidate, &mut problems);
        for (k, sitting) in candidate.cases.iter().enumerate() {
            let pointer = format!("/candidates/{index}/cases/{k}");
            if self.blueprint.position(&sitting.position).is_none() {
                problems.push(Problem::new(
                    format!("{pointer}/position"),
                    Message::new(MessageCode::SessionPositionNotInBlueprint)
                        .with("position", sitting.position.to_string())
                        .in_document(Message::new(MessageCode::DocumentSession)),
                ));
            }
            match self.cases.iter().find(|prepared| prepared.case.id == sitting.case) {
                None => problems.push(Problem::new(
                    format!("{pointer}/case"),
                    Message::new(MessageCode::SessionCaseNotPinned)
                        .with("case", sitting.case.to_string())
                        .in_document(Message::new(MessageCode::DocumentSession)),
                )),
                Some(prepared) if !prepared.case.serves(&sitting.position) => problems.push(Problem::new(
                    format!("{pointer}/case"),
                    Message::new(MessageCode::SessionCaseDoesNotServe)
                        .with("case", sitting.case.to_string())
                        .with("position", sitting.position.to_string())
                        .with("positions", prepared.case.positions.join(", ").to_string())
                        .in_document(Message::new(MessageCode::DocumentSession)),
                )),
                Some(_) => {}
            }
        }
        problems
    }

    /// Answers of one candidate that can never be right, as problems with
    /// pointers: a criterion the pinned rubric does not have, points that
    /// are no level of the criterion, "not assessable" where the rubric
    /// does not allow it, points and "not assessable" together, two answers
    /// to one criterion. Scoring treats such an evaluation as incomplete
    /// (no grade, with the reason); a file check (`grille validate`) refuses
    /// them, since they are typing mistakes rather than work in progress.
    /// Missing answers are not reported here: a session in progress has
    /// them.
    pub fn answer_problems(&self, index: usize, candidate: &Candidate) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (k, scoring) in candidate.positions.iter().enumerate() {
            let case = self.case_of(candidate, &scoring.position);
            let Some(rubric) = self.rubric_for(case, &scoring.position) else { continue };
            let base = format!("/candidates/{index}/positions/{k}");
            let evaluations = scoring
                .evaluations
                .iter()
                .enumerate()
                .map(|(e, evaluation)| (format!("{base}/evaluations/{e}"), &evaluation.answers));
            let agreed = scoring.agreed.iter().map(|agreed| (format!("{base}/agreed"), &agreed.answers));
            let arbiter = scoring.arbiter.iter().map(|arbiter| (format!("{base}/arbiter"), &arbiter.answers));
            for (pointer, answers) in evaluations.chain(agreed).chain(arbiter) {
                let found = rubric.check_answers(answers, case.map(|case| case.case), Completeness::Draft);
                problems.extend(
                    found.iter().map(|problem| {
                        Problem::new(problem.pointer(&pointer), problem.session_message(rubric))
                    }),
                );
            }
        }
        problems
    }

    /// The pinned rubric a position is scored with, for a candidate who
    /// sat `case` there (`None`: no case).
    fn rubric_for(&self, case: Option<&PreparedCase<'a>>, position: &str) -> Option<&'a Rubric> {
        if let Some(prepared) = case.and_then(|case| case.own_rubric(position)) {
            return prepared.rubric;
        }
        self.blueprint.parts.iter().zip(&self.positions).find_map(|(part, prepared)| {
            part.positions
                .iter()
                .zip(prepared)
                .find(|(p, _)| p.id == position)
                .and_then(|(_, prepared)| prepared.rubric)
        })
    }

    /// The pinned case `candidate` sat for `position`, if any.
    fn case_of(&self, candidate: &Candidate, position: &str) -> Option<&PreparedCase<'a>> {
        let sitting = candidate.cases.iter().find(|sitting| sitting.position == position)?;
        self.cases.iter().find(|prepared| prepared.case.id == sitting.case)
    }

    /// Scores one candidate. Call [`Scorer::check_candidate`] first: a
    /// candidate with problems is scored without panicking, but what it
    /// gets is unspecified (unknown positions are ignored, for instance).
    pub fn score_candidate(&self, candidate: &Candidate) -> CandidateResult {
        score_candidate(self, candidate, Detail::Full)
    }

    /// Scores one candidate for a listing of grades and decisions (`grille
    /// score --format csv`): the same grades, outcome, decision and pending
    /// reasons as [`Scorer::score_candidate`], without building what such
    /// a listing does not print (formulas, rounding rules, criterion by
    /// criterion comparisons, remarks, the competence profile). Call
    /// [`Scorer::check_candidate`] first, as for `score_candidate`.
    pub fn score_candidate_grades(&self, candidate: &Candidate) -> CandidateGrades {
        CandidateGrades::from(score_candidate(self, candidate, Detail::Grades))
    }

    /// The whole session's result around candidate results scored by this
    /// scorer.
    pub fn session_result(&self, candidates: Vec<CandidateResult>) -> SessionResult {
        SessionResult {
            session: self.header.id.clone(),
            scheme: self.header.scheme.clone(),
            blueprint: self.header.blueprint.clone(),
            rubrics: self.header.rubrics.clone(),
            assumptions: self.assumptions(),
            candidates,
        }
    }
}

/// How much of a candidate's result the engine builds: everything, or only
/// what [`CandidateGrades`] keeps (the same numbers and reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    Grades,
}

impl Detail {
    fn explain(self) -> bool {
        self == Detail::Full
    }

    /// `text()` when explaining, an empty string (no allocation) otherwise.
    fn text(self, text: impl FnOnce() -> String) -> String {
        if self.explain() { text() } else { String::new() }
    }
}
