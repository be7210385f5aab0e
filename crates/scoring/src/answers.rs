//! The one check of an evaluation's answers against its rubric (and the
//! case the candidate sat): which criterion each answer names, whether its
//! points are a level, whether "not assessable" is allowed, whether every
//! criterion is answered. The engine (an evaluation with a problem is
//! incomplete), the file check (`grille validate`), the server (a save, a
//! submission, an agreed evaluation, a correction) and the evaluation
//! preview all ask this function; each phrases the problems for its reader.

use rust_decimal::Decimal;

use crate::case::CaseStudy;
use crate::decimal::display;
use crate::message::{Message, MessageCode};
use crate::rubric::Rubric;
use crate::session::Answer;

/// Whether every criterion of the rubric must be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// A draft, or a session file in progress: a criterion may still be
    /// without an answer.
    Draft,
    /// A submission, an agreed evaluation, an evaluation being scored: every
    /// criterion the case does not leave out has an answer (a level or
    /// "not assessable").
    Complete,
}

/// What is wrong with one answer (or with the answers as a whole, for
/// [`AnswerFault::Missing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerFault {
    /// The rubric has no criterion of this id.
    UnknownCriterion,
    /// An earlier answer already names this criterion (the first one counts).
    Duplicate,
    /// The case leaves the criterion out (not assessable by design), yet the
    /// answer gives points.
    PointsOnLeftOut,
    /// Points and "not assessable" together.
    PointsAndNotAssessable,
    /// "Not assessable" where the rubric does not allow it.
    NotAssessableRefused,
    /// The points are no level of the criterion.
    NoSuchLevel(Decimal),
    /// The answer gives neither points nor "not assessable" (complete
    /// answers only).
    Unanswered,
    /// No answer names the criterion (complete answers only).
    Missing,
}

/// One problem of an evaluation's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerProblem {
    /// The index of the answer in the evaluation; `None` for a criterion
    /// without an answer ([`AnswerFault::Missing`]).
    pub index: Option<usize>,
    /// The criterion the answer names (or the one without an answer).
    pub criterion: String,
    /// What is wrong.
    pub fault: AnswerFault,
}

impl AnswerProblem {
    /// The JSON pointer of the problem under `base`, the pointer of the
    /// evaluation (its `answers` array is `{base}/answers`).
    pub fn pointer(&self, base: &str) -> String {
        let Some(index) = self.index else { return format!("{base}/answers") };
        let field = match self.fault {
            AnswerFault::UnknownCriterion | AnswerFault::Duplicate => "/criterion",
            AnswerFault::PointsOnLeftOut | AnswerFault::NoSuchLevel(_) | AnswerFault::Unanswered => "/points",
            AnswerFault::PointsAndNotAssessable => "",
            AnswerFault::NotAssessableRefused => "/not_assessable",
            AnswerFault::Missing => "",
        };
        format!("{base}/answers/{index}{field}")
    }

    /// Whether the problem is about an answer as a whole (an unknown
    /// criterion, a second answer) rather than about a criterion's mark.
    pub fn about_the_answer(&self) -> bool {
        matches!(self.fault, AnswerFault::UnknownCriterion | AnswerFault::Duplicate)
    }

    /// The problem as a file check states it (`grille validate`, the
    /// session file): said of the session (in French, "session : ...").
    pub fn session_message(&self, rubric: &Rubric) -> Message {
        let criterion = self.criterion.clone();
        let message = match &self.fault {
            AnswerFault::UnknownCriterion => {
                let known: Vec<&str> = rubric.criteria.iter().map(|c| c.id.as_str()).collect();
                Message::new(MessageCode::SessionAnswerUnknownCriterion)
                    .with("rubric", rubric.id.clone())
                    .with("criteria", known.join(", "))
            }
            AnswerFault::Duplicate => Message::new(MessageCode::SessionAnswerDuplicate),
            AnswerFault::PointsOnLeftOut => Message::new(MessageCode::SessionAnswerPointsOnLeftOut),
            AnswerFault::PointsAndNotAssessable => {
                Message::new(MessageCode::SessionAnswerPointsAndNotAssessable)
            }
            AnswerFault::NotAssessableRefused => Message::new(MessageCode::SessionAnswerNotAssessableRefused),
            AnswerFault::NoSuchLevel(given) => Message::new(MessageCode::SessionAnswerNoSuchLevel)
                .with("points", display(*given))
                .with("levels", levels(rubric, &criterion)),
            AnswerFault::Unanswered | AnswerFault::Missing => {
                Message::new(MessageCode::SessionAnswerUnanswered)
            }
        };
        message.with("criterion", criterion).in_document(Message::new(MessageCode::DocumentSession))
    }

    /// The problem as the reason an evaluation is incomplete (a result's
    /// pending reasons).
    pub fn incomplete_reason(&self, rubric: &Rubric) -> String {
        self.message(rubric).french()
    }

    /// Why an evaluation with this problem is incomplete, as a code and
    /// its arguments (see [`crate::message`]).
    pub fn message(&self, rubric: &Rubric) -> Message {
        let code = match &self.fault {
            AnswerFault::UnknownCriterion => MessageCode::AnswerUnknownCriterion,
            AnswerFault::Duplicate => MessageCode::AnswerDuplicate,
            AnswerFault::PointsOnLeftOut => MessageCode::AnswerPointsOnLeftOut,
            AnswerFault::PointsAndNotAssessable => MessageCode::AnswerPointsAndNotAssessable,
            AnswerFault::NotAssessableRefused => MessageCode::AnswerNotAssessableRefused,
            AnswerFault::NoSuchLevel(_) => MessageCode::AnswerNoSuchLevel,
            AnswerFault::Unanswered | AnswerFault::Missing => MessageCode::AnswerUnanswered,
        };
        let message = Message::new(code).with("criterion", self.criterion.clone());
        match &self.fault {
            AnswerFault::UnknownCriterion => message.with("rubric", rubric.id.clone()),
            AnswerFault::NoSuchLevel(given) => {
                message.with("points", display(*given)).with("levels", levels(rubric, &self.criterion))
            }
            _ => message,
        }
    }
}

/// The levels of `criterion` in `rubric`, as "0, 1, 2".
pub fn levels(rubric: &Rubric, criterion: &str) -> String {
    let Some(criterion) = rubric.criterion(criterion) else { return String::new() };
    let levels: Vec<String> = criterion.levels.iter().map(|level| display(level.points)).collect();
    levels.join(", ")
}

impl Rubric {
    /// Checks `answers` against this rubric and the case the candidate sat
    /// (`None`: no case). Problems come in the answers' order, one per
    /// answer at most (the first rule it breaks, in this order: unknown
    /// criterion, second answer, points on a criterion the case leaves
    /// out, points and "not assessable", "not assessable" not allowed,
    /// points that are no level, no answer), then, for
    /// [`Completeness::Complete`], the criteria without an answer in the
    /// rubric's order. A criterion the case leaves out needs no answer and
    /// takes no points; "not assessable" on it is accepted.
    pub fn check_answers(
        &self,
        answers: &[Answer],
        case: Option<&CaseStudy>,
        completeness: Completeness,
    ) -> Vec<AnswerProblem> {
        let mut problems = Vec::new();
        let left_out = |criterion: &str| case.is_some_and(|case| case.leaves_out(criterion));
        // Answers are usually written in the rubric's order, one per
        // criterion: then none is unknown or twice (a rubric's criterion
        // ids are unique), and every criterion has one.
        let in_rubric_order = answers.len() == self.criteria.len()
            && answers.iter().zip(&self.criteria).all(|(answer, criterion)| answer.criterion == criterion.id);
        for (index, answer) in answers.iter().enumerate() {
            let problem =
                |fault| AnswerProblem { index: Some(index), criterion: answer.criterion.clone(), fault };
            let criterion = if in_rubric_order {
                &self.criteria[index]
            } else {
                let Some(criterion) = self.criterion(&answer.criterion) else {
                    problems.push(problem(AnswerFault::UnknownCriterion));
                    continue;
                };
                if answers[..index].iter().any(|other| other.criterion == answer.criterion) {
                    problems.push(problem(AnswerFault::Duplicate));
                    continue;
                }
                criterion
            };
            let left_out = left_out(&criterion.id);
            let fault = match answer.points {
                Some(_) if left_out => Some(AnswerFault::PointsOnLeftOut),
                Some(_) if answer.not_assessable => Some(AnswerFault::PointsAndNotAssessable),
                Some(given) if criterion.level(given).is_none() => Some(AnswerFault::NoSuchLevel(given)),
                Some(_) => None,
                None if answer.not_assessable && !criterion.not_assessable_allowed && !left_out => {
                    Some(AnswerFault::NotAssessableRefused)
                }
                None if completeness == Completeness::Complete && !answer.not_assessable && !left_out => {
                    Some(AnswerFault::Unanswered)
                }
                None => None,
            };
            if let Some(fault) = fault {
                problems.push(problem(fault));
            }
        }
        if completeness == Completeness::Complete && !in_rubric_order {
            for criterion in &self.criteria {
                if !left_out(&criterion.id) && !answers.iter().any(|answer| answer.criterion == criterion.id)
                {
                    problems.push(AnswerProblem {
                        index: None,
                        criterion: criterion.id.clone(),
                        fault: AnswerFault::Missing,
                    });
                }
            }
        }
        problems
    }
}
