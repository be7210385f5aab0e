//! The pages of a scored exam session: the results table, the statistics
//! (the "class view"), the candidate's grade sheet, the candidate's full
//! file for an appeal and the minutes of the grading meeting.
//!
//! Every function is pure: it takes a [`SessionResult`] (as computed by
//! `grille_scoring::score_session` or loaded from the database), the
//! documents the session pinned ([`ExamDocuments`]), where the pages live
//! ([`Links`]) and a [`Language`], and returns HTML. Nothing here knows
//! whether the session is the worked example or a real one.
//!
//! Texts computed by the engine (the decision sentence, the explanation of
//! each condition, discrepancy flags, grade sources, pending reasons) are
//! messages of the result, a code and its arguments, written in the page's
//! language by [`crate::messages`]; only a result stored before messages
//! existed shows its French text, marked `lang="fr"`. The assumptions of the scheme
//! and blueprint are shown in the reader's language where the document's
//! translation note gives them, in French (marked so) otherwise; every
//! session page says whose translation the pinned documents' texts are.

use grille_competence::{Catalogue, Category, LocalizedText};
use grille_scoring::calc::{ExplainedGrade, ExplainedMean, RoundingStep};
use grille_scoring::decimal::{display, display_grade};
use grille_scoring::scheme::RoundingDirection;
use grille_scoring::{
    Blueprint, CandidateResult, CandidateStatus, DiscrepancyStatus, EvaluationResult, FlagKind,
    GradingScheme, Mark, Outcome, PositionResult, Rubric, SessionResult,
};
use minijinja::Environment;
use minijinja::context;
use minijinja::value::{Serde, Value};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::agreement::Statistic;
use crate::charts::{self, Bar, Bars, GradeHistogram};
use crate::i18n::{self, Language};
use crate::messages::EngineText;
use crate::self_assessment::category_key;
use crate::statistics::{self, AgreementRow, ProfileDimension};
use crate::templates::{PageError, render};

/// Where the pages of one session live, so that pages link to each other
/// without knowing whether they are the demo or a stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The results table, e.g. `/demo/session`; the statistics are at
    /// `{session}/statistics`, the minutes at `{session}/minutes` and all
    /// grade sheets at `{session}/grade-sheets`.
    pub session: String,
    /// The prefix of candidate pages, e.g. `/demo/candidates`: a grade
    /// sheet is at `{candidates}/{number}`, the appeal file at
    /// `{candidates}/{number}/file`.
    pub candidates: String,
    /// For a stored session seen by the board: the frame of the board's
    /// pages around the session pages (account bar, way back, preview or
    /// official results). `None` for the public demo.
    pub board: Option<BoardFrame>,
    /// For a stored session seen by a trainer (a mock exam): the trainer's
    /// page of the session, linked as the way back above the session
    /// pages. `None` for the demo and the board (whose frame has its own).
    pub back: Option<String>,
}

/// What the session pages show around themselves when the board looks at
/// a stored session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardFrame {
    /// The board's page of the session (`/board/sessions/1`).
    pub session_page: String,
    /// Whether these are the stored results of a finalised session
    /// (`false`: a preview computed from the evaluations so far).
    pub official: bool,
    /// The logged-in board member.
    pub username: String,
    /// Where the board member's home is.
    pub home: String,
    /// The CSRF token of the logout form.
    pub csrf: String,
}

impl Links {
    /// The links of a session whose results table is at `session` and whose
    /// candidates are under `candidates`.
    pub fn new(session: impl Into<String>, candidates: impl Into<String>) -> Links {
        Links { session: session.into(), candidates: candidates.into(), board: None, back: None }
    }

    /// The same links with a way back to `page` (the trainer's page of a
    /// mock exam).
    pub fn with_back(self, page: impl Into<String>) -> Links {
        Links { back: Some(page.into()), ..self }
    }

    /// The same links, framed by the board's pages.
    pub fn with_board(self, frame: BoardFrame) -> Links {
        Links { board: Some(frame), ..self }
    }

    fn view(&self) -> Value {
        context! {
            results => self.session.clone(),
            statistics => format!("{}/statistics", self.session),
            minutes => format!("{}/minutes", self.session),
            sheets => format!("{}/grade-sheets", self.session),
            candidates => self.candidates.clone(),
            board => self.board.as_ref().map(|frame| Value::from(Serde(frame))),
            back => self.back.clone(),
            // The public worked example, highlighted in the main navigation.
            demo => self.board.is_none() && self.back.is_none() && self.session.starts_with("/demo/"),
        }
    }

    /// The examination-quality page of a stored session, linked from the
    /// statistics: below the board's session page or the trainer's; none
    /// for the public demo.
    pub fn quality_page(&self) -> Option<String> {
        match (&self.board, &self.back) {
            (Some(frame), _) => Some(format!("{}/quality", frame.session_page)),
            (None, Some(back)) => Some(format!("{back}/quality")),
            (None, None) => None,
        }
    }

    fn sheet(&self, number: &str) -> String {
        format!("{}/{}", self.candidates, encode(number))
    }

    fn file(&self, number: &str) -> String {
        format!("{}/{}/file", self.candidates, encode(number))
    }
}

/// Percent-encodes what is not safe in a path segment.
fn encode(segment: &str) -> String {
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The documents a session's results were computed with, and the texts
/// its pages need besides the result.
#[derive(Debug, Clone, Copy)]
pub struct ExamDocuments<'a> {
    /// The competence catalogue (competence and category names).
    pub catalogue: &'a Catalogue,
    /// The pinned grading scheme (pass mark).
    pub scheme: &'a GradingScheme,
    /// The pinned blueprint (part titles and order).
    pub blueprint: &'a Blueprint,
    /// The pinned rubrics (criterion titles and levels).
    pub rubrics: &'a [Rubric],
    /// The session's title, if it has one.
    pub session_title: Option<&'a LocalizedText>,
    /// The text on the right of appeal printed on the grade sheet of a
    /// failed candidate. The procedure is set by the exam regulation (first
    /// to SEFRI/SBFI, then the Federal Administrative Court); `None` prints
    /// the catalogue's default text (`sheet.appeal.default`), which must be
    /// checked against the regulation.
    pub appeal_notice: Option<&'a LocalizedText>,
    /// The exam body's letterhead, the candidates' names and the exam's
    /// days and places, when the grade sheet is printed as an official
    /// document (the board's); `None` for the demo and mock exams.
    pub official: Option<&'a crate::official::Official>,
}

impl ExamDocuments<'_> {
    fn rubric(&self, id: &str, version: &str) -> Option<&Rubric> {
        self.rubrics.iter().find(|rubric| rubric.id == id && rubric.version == version)
    }

    fn pass_mark(&self) -> Decimal {
        self.scheme.scale.pass_mark
    }
}

fn tr(language: Language, key: &str) -> String {
    i18n::translate(language, key)
}

fn tr_with(language: Language, key: &str, arguments: &[(&str, String)]) -> String {
    i18n::format(&i18n::translate(language, key), arguments)
}

fn outcome_key(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Pending => "pending",
        Outcome::NoResult => "no_result",
    }
}

/// The translation key of a candidate's status on the session pages.
pub fn status_key(status: CandidateStatus) -> &'static str {
    match status {
        CandidateStatus::Present => "exam.status.present",
        CandidateStatus::WithdrawnExcused => "exam.status.withdrawn_excused",
        CandidateStatus::WithdrawnUnexcused => "exam.status.withdrawn_unexcused",
        CandidateStatus::Excluded => "exam.status.excluded",
        CandidateStatus::Absent => "exam.status.absent",
    }
}

pub(crate) fn condition_key(condition: &str) -> String {
    match condition {
        "min_overall"
        | "max_insufficient_parts"
        | "min_part_grade"
        | "max_shortfall_sum"
        | "required_part"
        | "max_parts_below"
        | "part_minimum"
        | "min_position_grade"
        | "position_minimum" => {
            format!("exam.condition.{condition}")
        }
        _ => "exam.condition.other".to_owned(),
    }
}

fn percent_text(statistic: Statistic, language: Language) -> String {
    match statistic {
        Statistic::Defined(value) => {
            let shown = (value * Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            tr_with(language, "results.percent", &[("value", display(shown))])
        }
        Statistic::NotDefined => tr(language, "stats.not_defined"),
    }
}

fn kappa_text(statistic: Statistic, language: Language) -> String {
    match statistic {
        Statistic::Defined(value) => {
            display(value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
        }
        Statistic::NotDefined => tr(language, "stats.not_defined"),
    }
}

fn grade_text(grade: Option<Decimal>) -> Option<String> {
    grade.map(display_grade)
}

/// A rounding rule in the page language, with its direction.
fn rounding_rule(step: Decimal, direction: RoundingDirection, language: Language) -> String {
    let half = step == Decimal::new(5, 1);
    let tenth = step == Decimal::new(1, 1);
    let key = match (direction, half, tenth) {
        (RoundingDirection::HalfUp, true, _) => "exam.rounding.half",
        (RoundingDirection::HalfUp, _, true) => "exam.rounding.tenth",
        (RoundingDirection::HalfUp, _, _) => "exam.rounding.step",
        (RoundingDirection::Up, true, _) => "exam.rounding.up.half",
        (RoundingDirection::Up, _, true) => "exam.rounding.up.tenth",
        (RoundingDirection::Up, _, _) => "exam.rounding.up.step",
        (RoundingDirection::Down, true, _) => "exam.rounding.down.half",
        (RoundingDirection::Down, _, true) => "exam.rounding.down.tenth",
        (RoundingDirection::Down, _, _) => "exam.rounding.down.step",
    };
    tr_with(language, key, &[("step", display(step))])
}

#[derive(Serialize)]
struct RoundingView {
    before: String,
    after: String,
    rule: String,
    changed: bool,
}

/// An exact value as written in an explanation: up to four decimals, cut
/// with "…" when more follow (4.1666… rather than 28 digits).
fn exact(value: Decimal) -> String {
    let cut = value.trunc_with_scale(4);
    if cut == value { display(value) } else { format!("{}…", display(cut)) }
}

fn rounding_view(rounding: &RoundingStep, language: Language) -> RoundingView {
    RoundingView {
        before: exact(rounding.before),
        after: display_grade(rounding.after),
        rule: rounding_rule(rounding.step, rounding.direction, language),
        changed: rounding.before.normalize() != rounding.after.normalize(),
    }
}

#[derive(Serialize)]
struct MeanView {
    formula: String,
    unrounded: String,
    rounding: RoundingView,
    value: String,
}

fn mean_view(mean: &ExplainedMean, language: Language) -> MeanView {
    MeanView {
        formula: mean.formula.clone(),
        unrounded: exact(mean.unrounded),
        rounding: rounding_view(&mean.rounding, language),
        value: display_grade(mean.value),
    }
}

#[derive(Serialize)]
struct GradeCalcView {
    conversion: EngineText,
    formula: String,
    unrounded: String,
    rounding: RoundingView,
    clamped_from: Option<String>,
    grade: String,
}

fn grade_calc_view(grade: &ExplainedGrade, language: Language) -> GradeCalcView {
    GradeCalcView {
        conversion: EngineText::of(grade.conversion_message.as_ref(), &grade.conversion, language),
        formula: crate::messages::plain(grade.formula_message.as_ref(), &grade.formula, language),
        unrounded: exact(grade.unrounded),
        rounding: rounding_view(&grade.rounding, language),
        clamped_from: grade.clamped_from.map(display_grade),
        grade: display_grade(grade.grade),
    }
}

#[derive(Serialize)]
struct EvaluationView {
    label: String,
    agreed: bool,
    points: String,
    max_points: String,
    grade: Option<GradeCalcView>,
    incomplete: Vec<EngineText>,
    remark: Option<String>,
    /// The remarks' language where it is not the page's (`lang`).
    remark_lang: Option<&'static str>,
}

fn evaluation_view(evaluation: &EvaluationResult, language: Language) -> EvaluationView {
    let agreed = evaluation.examiner.is_none();
    EvaluationView {
        label: evaluation.examiner.clone().unwrap_or_else(|| tr(language, "exam.agreed_evaluation")),
        agreed,
        points: display(evaluation.points),
        max_points: display(evaluation.max_points),
        grade: evaluation.grade.as_ref().map(|grade| grade_calc_view(grade, language)),
        incomplete: EngineText::list(&evaluation.incomplete_messages, &evaluation.incomplete, language),
        remark: evaluation.remark.clone(),
        remark_lang: crate::i18n::text_lang(evaluation.remark_language, language),
    }
}

#[derive(Serialize)]
struct CellView {
    level: String,
    descriptor: Option<String>,
    points: Option<String>,
    remark: Option<String>,
    /// The remark's language where it is not the page's (`lang`).
    remark_lang: Option<&'static str>,
}

#[derive(Serialize)]
struct CriterionRowView {
    id: String,
    title: String,
    weight: Option<String>,
    cells: Vec<CellView>,
    agree: Option<bool>,
}

#[derive(Serialize)]
struct FlagView {
    kind: String,
    message: EngineText,
}

#[derive(Serialize)]
struct ComparisonView {
    grades: Vec<(String, Option<String>)>,
    difference: Option<String>,
    identical: bool,
    flags: Vec<FlagView>,
    status: &'static str,
    status_text: String,
}

#[derive(Serialize)]
struct PositionView {
    id: String,
    title: String,
    weight: String,
    grade: Option<String>,
    below: bool,
    grade_source: Option<EngineText>,
    rubric: String,
    /// The case study the candidate sat here, if any.
    case: Option<CaseLine>,
    evaluations: Vec<EvaluationView>,
    criteria: Vec<CriterionRowView>,
    comparison: Option<ComparisonView>,
    pending: Vec<EngineText>,
}

/// The case a candidate sat for a position, as grade sheets, appeal files
/// and minutes name it.
#[derive(Serialize)]
struct CaseLine {
    id: String,
    version: String,
    title: String,
    /// The language of the title, when it is not the page's (`fr` in a
    /// German page): the title is marked with it.
    lang: Option<&'static str>,
    /// Rubric criteria the case leaves out, with the case's reason.
    not_assessed: Vec<String>,
}

fn comparison_view(position: &PositionResult, language: Language) -> Option<ComparisonView> {
    let comparison = position.comparison.as_ref()?;
    let status = match comparison.status {
        DiscrepancyStatus::None => "none",
        DiscrepancyStatus::Agreed => "agreed",
        DiscrepancyStatus::Open => "open",
    };
    Some(ComparisonView {
        grades: comparison.grades.iter().map(|g| (g.examiner.clone(), grade_text(g.grade))).collect(),
        difference: comparison.difference.map(display_grade),
        identical: comparison.identical,
        flags: comparison
            .flags
            .iter()
            .map(|flag| FlagView {
                kind: tr(
                    language,
                    match flag.kind {
                        FlagKind::Step => "exam.flag.step",
                        FlagKind::Straddle => "exam.flag.straddle",
                    },
                ),
                message: EngineText::of(flag.detail.as_ref(), &flag.message, language),
            })
            .collect(),
        status,
        status_text: tr(language, &format!("exam.discrepancy.{status}")),
    })
}

fn mark_cell(
    rubric: Option<&Rubric>,
    criterion: &str,
    mark: Mark,
    points: Decimal,
    remark: Option<&String>,
    remark_lang: Option<&'static str>,
    language: Language,
) -> CellView {
    let remark_lang = remark_lang.filter(|_| remark.is_some());
    match mark {
        Mark::Points(level_points) => {
            let descriptor = rubric
                .and_then(|r| r.criterion(criterion))
                .and_then(|c| c.level(level_points))
                .map(|level| level.descriptor.get(language.code()).to_owned());
            CellView {
                level: display(level_points),
                descriptor,
                points: Some(display(points)),
                remark: remark.cloned(),
                remark_lang,
            }
        }
        Mark::NotAssessable => CellView {
            level: tr(language, "exam.mark.not_assessable"),
            descriptor: None,
            points: None,
            remark: remark.cloned(),
            remark_lang,
        },
        Mark::NotAssessedInCase => CellView {
            level: tr(language, "exam.mark.not_assessed_in_case"),
            descriptor: None,
            points: None,
            remark: remark.cloned(),
            remark_lang,
        },
        Mark::Missing => CellView {
            level: tr(language, "exam.mark.missing"),
            descriptor: None,
            points: None,
            remark: remark.cloned(),
            remark_lang,
        },
    }
}

fn position_view(
    documents: &ExamDocuments<'_>,
    position: &PositionResult,
    detailed: bool,
    language: Language,
) -> PositionView {
    let rubric = documents.rubric(&position.rubric.id, &position.rubric.version);
    let mut evaluations: Vec<&EvaluationResult> = position.evaluations.iter().collect();
    if let Some(agreed) = &position.agreed {
        evaluations.push(agreed);
    }
    let criteria = if detailed {
        let ids: Vec<String> = match rubric {
            Some(rubric) => rubric.criteria.iter().map(|c| c.id.clone()).collect(),
            None => evaluations
                .first()
                .map(|e| e.criteria.iter().map(|c| c.criterion.clone()).collect())
                .unwrap_or_default(),
        };
        ids.iter()
            .map(|id| {
                let criterion = rubric.and_then(|r| r.criterion(id));
                let weight = criterion.map(|c| c.weight).filter(|w| *w != Decimal::ONE).map(display);
                CriterionRowView {
                    id: id.clone(),
                    title: criterion.map(|c| c.title.get(language.code()).to_owned()).unwrap_or_default(),
                    weight,
                    cells: evaluations
                        .iter()
                        .map(|evaluation| {
                            match evaluation.criteria.iter().find(|score| &score.criterion == id) {
                                Some(score) => mark_cell(
                                    rubric,
                                    id,
                                    score.mark,
                                    score.points,
                                    score.remark.as_ref(),
                                    crate::i18n::text_lang(evaluation.remark_language, language),
                                    language,
                                ),
                                None => {
                                    mark_cell(rubric, id, Mark::Missing, Decimal::ZERO, None, None, language)
                                }
                            }
                        })
                        .collect(),
                    agree: position
                        .comparison
                        .as_ref()
                        .and_then(|c| c.criteria.iter().find(|c| &c.criterion == id))
                        .map(|c| c.agree),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    PositionView {
        id: position.position.clone(),
        // The pinned blueprint's title in the page language, where it has one.
        title: documents
            .blueprint
            .position(&position.position)
            .map(|(_, found)| found.title.get(language.code()).to_owned())
            .unwrap_or_else(|| position.title.clone()),
        weight: display(position.weight),
        grade: grade_text(position.grade),
        below: position.grade.is_some_and(|g| g < documents.pass_mark()),
        grade_source: position
            .grade_source
            .as_ref()
            .map(|source| EngineText::of(position.grade_source_message.as_ref(), source, language)),
        rubric: format!("{} {}", position.rubric.id, position.rubric.version),
        case: position.case.as_ref().map(|case| CaseLine {
            id: case.id.clone(),
            version: case.version.clone(),
            title: case.title.clone(),
            lang: case.language.map(|written| written.code()).filter(|code| *code != language.code()),
            not_assessed: case
                .not_assessed
                .iter()
                .map(|item| format!("{} ({})", item.criterion, item.reason))
                .collect(),
        }),
        evaluations: evaluations.iter().map(|e| evaluation_view(e, language)).collect(),
        criteria,
        comparison: comparison_view(position, language),
        pending: EngineText::list(&position.pending_messages, &position.pending, language),
    }
}

#[derive(Serialize)]
struct PartView {
    id: String,
    title: String,
    weight: String,
    grade: Option<String>,
    below: bool,
    carried: Option<EngineText>,
    calculation: Option<MeanView>,
    positions: Vec<PositionView>,
    pending: Vec<EngineText>,
}

#[derive(Serialize)]
struct ConditionView {
    label: String,
    satisfied: bool,
    verdict: String,
    explanation: EngineText,
}

#[derive(Serialize)]
struct CandidateView {
    number: String,
    status: String,
    attempt: u32,
    outcome: &'static str,
    outcome_text: String,
    decision: EngineText,
    pending: Vec<EngineText>,
    parts: Vec<PartView>,
    /// One grade per blueprint part, in blueprint order (for tables).
    part_grades: Vec<Option<(String, bool)>>,
    overall: Option<String>,
    overall_below: bool,
    overall_calculation: Option<MeanView>,
    conditions: Vec<ConditionView>,
    open_discrepancies: usize,
    flagged: usize,
    sheet: String,
    file: String,
}

/// One row of the results table: only what the table shows, so that a
/// large session's table does not build every candidate's full
/// explanation view.
#[derive(Serialize)]
struct ResultRowView {
    number: String,
    outcome: &'static str,
    outcome_text: String,
    /// One grade per blueprint part, in blueprint order.
    part_grades: Vec<Option<(String, bool)>>,
    overall: Option<String>,
    overall_below: bool,
    open_discrepancies: usize,
    sheet: String,
    file: String,
}

/// The grade of each blueprint part of `candidate`, in blueprint order,
/// with whether it is below the pass mark.
fn part_grades(documents: &ExamDocuments<'_>, candidate: &CandidateResult) -> Vec<Option<(String, bool)>> {
    let pass_mark = documents.pass_mark();
    documents
        .blueprint
        .parts
        .iter()
        .map(|blueprint_part| {
            candidate
                .parts
                .iter()
                .find(|part| part.part == blueprint_part.id)
                .and_then(|part| part.grade)
                .map(|grade| (display_grade(grade), grade < pass_mark))
        })
        .collect()
}

fn result_row_view(
    documents: &ExamDocuments<'_>,
    links: &Links,
    candidate: &CandidateResult,
    language: Language,
) -> ResultRowView {
    let pass_mark = documents.pass_mark();
    let outcome = outcome_key(candidate.outcome);
    ResultRowView {
        number: candidate.number.clone(),
        outcome,
        outcome_text: tr(language, &format!("exam.outcome.{outcome}")),
        part_grades: part_grades(documents, candidate),
        overall: candidate.overall.as_ref().map(|o| display_grade(o.value)),
        overall_below: candidate.overall.as_ref().is_some_and(|o| o.value < pass_mark),
        open_discrepancies: open_discrepancies(candidate),
        sheet: links.sheet(&candidate.number),
        file: links.file(&candidate.number),
    }
}

fn open_discrepancies(candidate: &CandidateResult) -> usize {
    positions(candidate)
        .filter(|p| p.comparison.as_ref().is_some_and(|c| c.status == DiscrepancyStatus::Open))
        .count()
}

fn positions(candidate: &CandidateResult) -> impl Iterator<Item = &PositionResult> {
    candidate.parts.iter().flat_map(|part| part.positions.iter())
}

fn candidate_view(
    documents: &ExamDocuments<'_>,
    links: &Links,
    candidate: &CandidateResult,
    detailed: bool,
    language: Language,
) -> CandidateView {
    let pass_mark = documents.pass_mark();
    let part_title = |id: &str, fallback: &str| {
        documents
            .blueprint
            .part(id)
            .map(|part| part.title.get(language.code()).to_owned())
            .unwrap_or_else(|| fallback.to_owned())
    };
    let parts: Vec<PartView> = candidate
        .parts
        .iter()
        .map(|part| PartView {
            id: part.part.clone(),
            title: part_title(&part.part, &part.title),
            weight: display(part.weight),
            grade: grade_text(part.grade),
            below: part.grade.is_some_and(|g| g < pass_mark),
            carried: part
                .carried
                .as_ref()
                .map(|carried| EngineText::of(part.carried_message.as_ref(), carried, language)),
            calculation: part.calculation.as_ref().map(|m| mean_view(m, language)),
            positions: part
                .positions
                .iter()
                .map(|p| position_view(documents, p, detailed, language))
                .collect(),
            pending: EngineText::list(&part.pending_messages, &part.pending, language),
        })
        .collect();
    let part_grades = part_grades(documents, candidate);
    let outcome = outcome_key(candidate.outcome);
    CandidateView {
        number: candidate.number.clone(),
        status: tr(language, status_key(candidate.status)),
        attempt: candidate.attempt,
        outcome,
        outcome_text: tr(language, &format!("exam.outcome.{outcome}")),
        decision: EngineText::of(candidate.decision_message.as_ref(), &candidate.decision, language),
        pending: EngineText::list(&candidate.pending_messages, &candidate.pending, language),
        parts,
        part_grades,
        overall: candidate.overall.as_ref().map(|o| display_grade(o.value)),
        overall_below: candidate.overall.as_ref().is_some_and(|o| o.value < pass_mark),
        overall_calculation: candidate.overall.as_ref().map(|o| mean_view(o, language)),
        conditions: candidate
            .conditions
            .iter()
            .map(|condition| ConditionView {
                label: tr(language, &condition_key(&condition.condition)),
                satisfied: condition.satisfied,
                verdict: tr(
                    language,
                    if condition.satisfied { "exam.condition.met" } else { "exam.condition.not_met" },
                ),
                explanation: EngineText::of(
                    condition.explanation_message.as_ref(),
                    &condition.explanation,
                    language,
                ),
            })
            .collect(),
        open_discrepancies: open_discrepancies(candidate),
        flagged: positions(candidate)
            .filter(|p| p.comparison.as_ref().is_some_and(|c| !c.flags.is_empty()))
            .count(),
        sheet: links.sheet(&candidate.number),
        file: links.file(&candidate.number),
    }
}

#[derive(Serialize)]
struct DocumentView {
    kind: String,
    id: String,
    version: String,
    title: Option<String>,
    /// `fr` when `title` is the French shown for want of a translation.
    title_lang: Option<&'static str>,
}

/// The session header shared by every page: title, documents and versions.
fn session_view(documents: &ExamDocuments<'_>, result: &SessionResult, language: Language) -> Value {
    let view = |kind: &str, id: &str, version: &str, title: Option<&LocalizedText>| {
        let shown = title.map(|title| i18n::localized(title, language));
        DocumentView {
            kind: tr(language, kind),
            id: id.to_owned(),
            version: version.to_owned(),
            title: shown.map(|shown| shown.text.to_owned()),
            title_lang: shown.and_then(|shown| shown.lang),
        }
    };
    let mut used = vec![
        view(
            "exam.document.scheme",
            &result.scheme.id,
            &result.scheme.version,
            (documents.scheme.id == result.scheme.id).then_some(&documents.scheme.title),
        ),
        view(
            "exam.document.blueprint",
            &result.blueprint.id,
            &result.blueprint.version,
            (documents.blueprint.id == result.blueprint.id).then_some(&documents.blueprint.title),
        ),
    ];
    for reference in &result.rubrics {
        used.push(view(
            "exam.document.rubric",
            &reference.id,
            &reference.version,
            documents.rubric(&reference.id, &reference.version).map(|rubric| &rubric.title),
        ));
    }
    let parts: Vec<(String, String)> = documents
        .blueprint
        .parts
        .iter()
        .map(|part| (part.id.clone(), part.title.get(language.code()).to_owned()))
        .collect();
    // Who translated the pinned documents into the reader's language, once
    // per distinct note (the shipped documents share one).
    let rubric_translations = result.rubrics.iter().map(|reference| {
        documents.rubric(&reference.id, &reference.version).and_then(|r| r.translation.as_ref())
    });
    let session_title = documents.session_title.map(|title| i18n::localized(title, language));
    let mut translation_notes: Vec<String> = Vec::new();
    for translation in [documents.scheme.translation.as_ref(), documents.blueprint.translation.as_ref()]
        .into_iter()
        .chain(rubric_translations)
    {
        if let Some(note) = crate::templates::translation_note(translation, language)
            && !translation_notes.contains(&note)
        {
            translation_notes.push(note);
        }
    }
    context! {
        id => result.session.clone(),
        title => session_title.map(|title| title.text),
        title_lang => session_title.and_then(|title| title.lang),
        translation_notes => translation_notes,
        documents => Value::from(Serde(used)),
        versions => format!("{} {} · {} {}", result.scheme.id, result.scheme.version, result.blueprint.id, result.blueprint.version),
        parts => Value::from(Serde(parts)),
        pass_mark => display_grade(documents.pass_mark()),
    }
}

/// How the results table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// By candidate number.
    #[default]
    Number,
    /// By overall grade (candidates without one last).
    Overall,
}

/// Which parts a results-table filter asks to be below the pass mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BelowFilter {
    /// At least one part grade below the pass mark.
    AnyPart,
    /// This part's grade below the pass mark.
    Part(String),
}

/// The filters and order of the results table, read from the query
/// parameters `outcome` (`passed`, `failed`, `pending`, `no_result`),
/// `open` (`1`: open discrepancies only), `below` (`any` or a part id),
/// `sort` (`number`, `overall`) and `order` (`asc`, `desc`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultsFilter {
    /// Only candidates with this outcome.
    pub outcome: Option<Outcome>,
    /// Only candidates with at least one open discrepancy.
    pub open_only: bool,
    /// Only candidates with a part below the pass mark.
    pub below: Option<BelowFilter>,
    /// The sort column.
    pub sort: SortKey,
    /// Descending order.
    pub descending: bool,
}

impl ResultsFilter {
    /// Reads the filter from decoded query pairs; unknown names and values
    /// are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ResultsFilter {
        let mut filter = ResultsFilter::default();
        for (name, value) in pairs {
            match (name, value) {
                ("outcome", "passed") => filter.outcome = Some(Outcome::Passed),
                ("outcome", "failed") => filter.outcome = Some(Outcome::Failed),
                ("outcome", "pending") => filter.outcome = Some(Outcome::Pending),
                ("outcome", "no_result") => filter.outcome = Some(Outcome::NoResult),
                ("open", "1" | "on" | "true") => filter.open_only = true,
                ("below", "") => filter.below = None,
                ("below", "any") => filter.below = Some(BelowFilter::AnyPart),
                ("below", part) => filter.below = Some(BelowFilter::Part(part.to_owned())),
                ("sort", "number") => filter.sort = SortKey::Number,
                ("sort", "overall") => filter.sort = SortKey::Overall,
                ("order", "desc") => filter.descending = true,
                ("order", "asc") => filter.descending = false,
                _ => {}
            }
        }
        filter
    }

    /// Whether `candidate` passes the filter (`pass_mark` for `below`).
    pub fn accepts(&self, candidate: &CandidateResult, pass_mark: Decimal) -> bool {
        if self.outcome.is_some_and(|outcome| outcome != candidate.outcome) {
            return false;
        }
        if self.open_only && open_discrepancies(candidate) == 0 {
            return false;
        }
        let below = |part: &grille_scoring::PartResult| part.grade.is_some_and(|g| g < pass_mark);
        match &self.below {
            None => true,
            Some(BelowFilter::AnyPart) => candidate.parts.iter().any(below),
            Some(BelowFilter::Part(id)) => candidate.parts.iter().any(|p| &p.part == id && below(p)),
        }
    }

    /// The candidates of `result` that pass, in the filter's order.
    pub fn apply<'r>(&self, result: &'r SessionResult, pass_mark: Decimal) -> Vec<&'r CandidateResult> {
        let mut rows: Vec<&CandidateResult> =
            result.candidates.iter().filter(|c| self.accepts(c, pass_mark)).collect();
        match self.sort {
            SortKey::Number => rows.sort_by(|a, b| a.number.cmp(&b.number)),
            SortKey::Overall => rows.sort_by(|a, b| {
                let grade = |c: &CandidateResult| c.overall.as_ref().map(|o| o.value);
                // Without a grade sorts last in both orders.
                match (grade(a), grade(b)) {
                    (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.number.cmp(&b.number)),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => a.number.cmp(&b.number),
                }
            }),
        }
        if self.descending {
            let (mut graded, ungraded): (Vec<_>, Vec<_>) =
                rows.into_iter().partition(|c| c.overall.is_some() || self.sort == SortKey::Number);
            graded.reverse();
            graded.extend(ungraded);
            rows = graded;
        }
        rows
    }

    fn query(&self, sort: SortKey, descending: bool) -> String {
        let mut pairs: Vec<String> = Vec::new();
        if let Some(outcome) = self.outcome {
            pairs.push(format!("outcome={}", outcome_key(outcome)));
        }
        if self.open_only {
            pairs.push("open=1".to_owned());
        }
        match &self.below {
            Some(BelowFilter::AnyPart) => pairs.push("below=any".to_owned()),
            Some(BelowFilter::Part(id)) => pairs.push(format!("below={}", encode(id))),
            None => {}
        }
        pairs.push(format!("sort={}", if sort == SortKey::Overall { "overall" } else { "number" }));
        pairs.push(format!("order={}", if descending { "desc" } else { "asc" }));
        format!("?{}", pairs.join("&"))
    }

    fn is_active(&self) -> bool {
        self.outcome.is_some() || self.open_only || self.below.is_some()
    }
}

#[derive(Serialize)]
struct SortLink {
    href: String,
    aria_sort: &'static str,
}

fn sort_link(filter: &ResultsFilter, key: SortKey) -> SortLink {
    let active = filter.sort == key;
    SortLink {
        href: filter.query(key, active && !filter.descending),
        aria_sort: match (active, filter.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        },
    }
}

/// The results table of a session: one row per candidate that passes
/// `filter`, with every part grade, the overall grade, the outcome and the
/// open discrepancies; the filter form works without JavaScript.
pub fn session_results(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    filter: &ResultsFilter,
    language: Language,
) -> Result<String, PageError> {
    let pass_mark = documents.pass_mark();
    let shown = filter.apply(result, pass_mark);
    let rows: Vec<ResultRowView> =
        shown.iter().map(|candidate| result_row_view(documents, links, candidate, language)).collect();
    let outcomes: Vec<(&str, String, bool)> = ["passed", "failed", "pending", "no_result"]
        .into_iter()
        .map(|key| {
            let selected = filter.outcome.map(outcome_key) == Some(key);
            (key, tr(language, &format!("exam.outcome.{key}")), selected)
        })
        .collect();
    let below_selected = match &filter.below {
        None => String::new(),
        Some(BelowFilter::AnyPart) => "any".to_owned(),
        Some(BelowFilter::Part(id)) => id.clone(),
    };
    let summary = result.summary();
    let view = context! {
        session => session_view(documents, result, language),
        links => links.view(),
        rows => Value::from(Serde(rows)),
        shown => shown.len(),
        total => result.candidates.len(),
        filtered => filter.is_active(),
        outcomes => Value::from(Serde(outcomes)),
        open_only => filter.open_only,
        below_selected => below_selected,
        sort => context! {
            number => Value::from(Serde(sort_link(filter, SortKey::Number))),
            overall => Value::from(Serde(sort_link(filter, SortKey::Overall))),
            key => if filter.sort == SortKey::Overall { "overall" } else { "number" },
            order => if filter.descending { "desc" } else { "asc" },
        },
        summary => context! {
            passed => summary.passed,
            failed => summary.failed,
            pending => summary.pending,
            no_result => summary.no_result,
            open => summary.open_discrepancies,
        },
    };
    render(environment, "session_results.html", language, "session", context! { view => "results", ..view })
}

#[derive(Serialize)]
struct HistogramView {
    id: String,
    heading: String,
    svg: String,
    rows: Vec<(String, usize)>,
    count: usize,
    mean: String,
}

fn histogram(
    id: String,
    heading: String,
    grades: &[Decimal],
    pass_mark: Decimal,
    language: Language,
) -> HistogramView {
    let title = tr_with(language, "stats.histogram.chart", &[("name", heading.clone())]);
    let label = tr(language, "stats.pass_mark");
    let svg = charts::grade_histogram(&GradeHistogram {
        title: &title,
        grades,
        pass_mark,
        pass_mark_label: &label,
    });
    let mean = match statistics::mean(grades) {
        Statistic::Defined(value) => display_grade(
            value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
        ),
        Statistic::NotDefined => tr(language, "stats.not_defined"),
    };
    HistogramView {
        id,
        heading,
        svg,
        rows: charts::grade_counts(grades)
            .into_iter()
            .map(|(bin, count)| {
                let upper = charts::grade_bin_upper(bin, grades);
                let label = if upper == bin {
                    display_grade(bin)
                } else {
                    format!("{}–{}", display_grade(bin), display_grade(upper))
                };
                (label, count)
            })
            .collect(),
        count: grades.len(),
        mean,
    }
}

#[derive(Serialize)]
struct AchievementRowView {
    code: Option<String>,
    label: String,
    /// `fr` when the label is a catalogue title shown in French for want
    /// of a translation.
    lang: Option<&'static str>,
    candidates: usize,
    value: String,
}

#[derive(Serialize)]
struct AchievementChartView {
    id: &'static str,
    heading: String,
    caption: String,
    column: String,
    svg: String,
    rows: Vec<AchievementRowView>,
}

#[derive(Serialize)]
struct AgreementRowView {
    label: String,
    version: String,
    compared: usize,
    excluded: usize,
    exact: String,
    adjacent: String,
    kappa_linear: String,
    kappa_quadratic: String,
}

fn agreement_rows(rows: &[AgreementRow], language: Language) -> Vec<AgreementRowView> {
    rows.iter()
        .map(|row| AgreementRowView {
            label: row.label.clone(),
            version: row.version.clone(),
            compared: row.compared,
            excluded: row.excluded,
            exact: percent_text(row.agreement.exact, language),
            adjacent: percent_text(row.agreement.adjacent, language),
            kappa_linear: kappa_text(row.agreement.kappa_linear, language),
            kappa_quadratic: kappa_text(row.agreement.kappa_quadratic, language),
        })
        .collect()
}

/// The statistics of a session: grade distributions (overall and per
/// part), the pass rate, mean achievement by competence and by criterion
/// category, agreement between examiners. Each chart has its numbers in a
/// table beside it.
///
/// The same as [`statistics_content`] given to [`session_statistics_around`].
pub fn session_statistics(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    language: Language,
) -> Result<String, PageError> {
    let content = statistics_content(environment, documents, links, result, language)?;
    session_statistics_around(environment, documents, links, result, language, &content)
}

/// The statistics page around `content`, as [`statistics_content`]
/// rendered it for the same result, language and
/// [`Links::quality_page`]: the frame (who is logged in, the way back, the
/// session's header and navigation) is the only part rendered per viewer.
pub fn session_statistics_around(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    language: Language,
    content: &str,
) -> Result<String, PageError> {
    let view = context! {
        view => "statistics",
        session => session_view(documents, result, language),
        links => links.view(),
        content => Value::from_safe_string(content.to_owned()),
    };
    render(environment, "session_statistics.html", language, "session", view)
}

/// The content of the statistics page (below its frame): the charts and
/// tables of [`session_statistics`]. It depends only on the result, the
/// documents, the language and [`Links::quality_page`], so a caller may
/// keep it for as long as those stay the same, however many viewers ask;
/// computing the histograms, charts and agreement tables is most of the
/// page's cost.
pub fn statistics_content(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    language: Language,
) -> Result<String, PageError> {
    let pass_mark = documents.pass_mark();
    let mut histograms = vec![histogram(
        "hist-overall".to_owned(),
        tr(language, "stats.overall"),
        &statistics::overall_grades(result),
        pass_mark,
        language,
    )];
    for part in &documents.blueprint.parts {
        histograms.push(histogram(
            format!("hist-part-{}", encode(&part.id)),
            tr_with(
                language,
                "stats.part",
                &[("id", part.id.clone()), ("title", part.title.get(language.code()).to_owned())],
            ),
            &statistics::part_grades(result, &part.id),
            pass_mark,
            language,
        ));
    }

    let rate = statistics::pass_rate(result);
    let rate_bars = [
        Bar {
            label: tr(language, "exam.outcome.passed"),
            value: Some(Decimal::from(rate.passed)),
            value_text: rate.passed.to_string(),
            lang: None,
        },
        Bar {
            label: tr(language, "exam.outcome.failed"),
            value: Some(Decimal::from(rate.failed)),
            value_text: rate.failed.to_string(),
            lang: None,
        },
        Bar {
            label: tr(language, "exam.outcome.pending"),
            value: Some(Decimal::from(rate.pending)),
            value_text: rate.pending.to_string(),
            lang: None,
        },
        Bar {
            label: tr(language, "exam.outcome.no_result"),
            value: Some(Decimal::from(rate.no_result)),
            value_text: rate.no_result.to_string(),
            lang: None,
        },
    ];
    let rate_title = tr(language, "stats.pass_rate.chart");
    let rate_svg = charts::bars(&Bars {
        title: &rate_title,
        bars: &rate_bars,
        maximum: Decimal::from(result.candidates.len().max(1)),
    });

    let hundred = Decimal::ONE_HUNDRED;
    let achievement_value = |statistic: Statistic| match statistic {
        Statistic::Defined(value) => tr_with(language, "results.percent", &[("value", display(value))]),
        Statistic::NotDefined => tr(language, "stats.not_defined"),
    };
    let competence_ids: Vec<&str> = documents.catalogue.competences().map(|c| c.id.as_str()).collect();
    let competence_means =
        statistics::mean_achievement(result, ProfileDimension::Competences, competence_ids.iter().copied());
    let mut competence_means: Vec<_> = competence_means.into_iter().filter(|m| m.candidates > 0).collect();
    // Weakest first, so that a class sees what to work on (ties keep the
    // catalogue's order).
    competence_means.sort_by_key(|m| m.percent.value());
    // A title shown in French for want of a translation is marked so, in
    // the chart and in its table.
    let competence_title = |id: &str| {
        documents
            .catalogue
            .competence(id)
            .map(|c| i18n::localized(&c.title, language).text.to_owned())
            .unwrap_or_default()
    };
    let competence_in_french =
        |id: &str| documents.catalogue.competence(id).and_then(|c| i18n::localized(&c.title, language).lang);
    let competence_bars: Vec<Bar> = competence_means
        .iter()
        .map(|m| Bar {
            label: format!("{} {}", m.id, competence_title(&m.id)),
            value: m.percent.value(),
            value_text: achievement_value(m.percent),
            lang: competence_in_french(&m.id),
        })
        .collect();
    let competences_chart_title = tr(language, "stats.competences.chart");
    let category_keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
    let category_means =
        statistics::mean_achievement(result, ProfileDimension::Categories, category_keys.iter().copied());
    let category_label = |key: &str| {
        Category::ALL
            .iter()
            .find(|c| c.key() == key)
            .map(|c| tr(language, category_key(*c)))
            .unwrap_or_default()
    };
    let category_bars: Vec<Bar> = category_means
        .iter()
        .map(|m| Bar {
            label: category_label(&m.id),
            value: m.percent.value(),
            value_text: achievement_value(m.percent),
            lang: None,
        })
        .collect();
    let categories_chart_title = tr(language, "stats.categories.chart");
    let achievement = vec![
        AchievementChartView {
            id: "chart-categories",
            heading: tr(language, "stats.categories.heading"),
            caption: tr(language, "stats.categories.caption"),
            column: tr(language, "results.categories.column"),
            svg: charts::bars(&Bars {
                title: &categories_chart_title,
                bars: &category_bars,
                maximum: hundred,
            }),
            rows: category_means
                .iter()
                .map(|m| AchievementRowView {
                    code: None,
                    label: category_label(&m.id),
                    lang: None,
                    candidates: m.candidates,
                    value: achievement_value(m.percent),
                })
                .collect(),
        },
        AchievementChartView {
            id: "chart-competences",
            heading: tr(language, "stats.competences.heading"),
            caption: tr(language, "stats.competences.caption"),
            column: tr(language, "results.competences.column"),
            svg: charts::bars(&Bars {
                title: &competences_chart_title,
                bars: &competence_bars,
                maximum: hundred,
            }),
            rows: competence_means
                .iter()
                .map(|m| AchievementRowView {
                    code: Some(m.id.clone()),
                    label: competence_title(&m.id),
                    lang: competence_in_french(&m.id),
                    candidates: m.candidates,
                    value: achievement_value(m.percent),
                })
                .collect(),
        },
    ];

    let agreement = statistics::examiner_agreement(result, documents.rubrics);
    // A rubric's title in the reader's language, or its French marked so.
    let rubric_title =
        |id: &str| documents.rubrics.iter().find(|r| r.id == id).map(|r| i18n::localized(&r.title, language));
    let by_rubric: Vec<(AgreementRowView, Option<String>, Option<&'static str>)> =
        agreement_rows(&agreement.by_rubric, language)
            .into_iter()
            .map(|row| {
                let title = rubric_title(&row.label);
                let lang = title.and_then(|title| title.lang);
                (row, title.map(|title| title.text.to_owned()), lang)
            })
            .collect();
    let view = context! {
        session => session_view(documents, result, language),
        quality_link => links.quality_page(),
        histograms => Value::from(Serde(histograms)),
        rate => context! {
            passed => rate.passed,
            failed => rate.failed,
            pending => rate.pending,
            no_result => rate.no_result,
            decided => rate.passed + rate.failed,
            value => percent_text(rate.rate, language),
            svg => rate_svg,
        },
        achievement => Value::from(Serde(achievement)),
        by_pair => Value::from(Serde(agreement_rows(&agreement.by_pair, language))),
        by_rubric => Value::from(Serde(by_rubric)),
    };
    render(environment, "session_statistics_content.html", language, "session", view)
}

fn appeal_notice(documents: &ExamDocuments<'_>, language: Language) -> String {
    match (documents.appeal_notice, documents.official) {
        (Some(text), _) => text.get(language.code()).to_owned(),
        (None, Some(official)) => official.remedy(language).to_owned(),
        (None, None) => tr(language, "sheet.appeal.default"),
    }
}

/// The language of one grade sheet and its appeal notice in it.
#[derive(Serialize)]
struct SheetLanguage {
    lang: &'static str,
    appeal: String,
}

fn sheets_page(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    candidates: &[&CandidateResult],
    single: bool,
    language: Language,
) -> Result<String, PageError> {
    // Each sheet is written in its candidate's exam language where the
    // register holds it, in the page's language otherwise.
    let languages: Vec<Language> = candidates
        .iter()
        .map(|candidate| {
            documents
                .official
                .and_then(|official| official.person(&candidate.number).language)
                .unwrap_or(language)
        })
        .collect();
    let views: Vec<CandidateView> = candidates
        .iter()
        .zip(&languages)
        .map(|(c, language)| candidate_view(documents, links, c, false, *language))
        .collect();
    let sheet_languages: Vec<SheetLanguage> = languages
        .iter()
        .map(|language| SheetLanguage { lang: language.code(), appeal: appeal_notice(documents, *language) })
        .collect();
    let view = context! {
        session => session_view(documents, result, language),
        links => links.view(),
        candidates => Value::from(Serde(views)),
        sheet_languages => Value::from(Serde(sheet_languages)),
        single => single,
        official => documents.official.map(|official| crate::official::sheet_context(official, candidates)),
    };
    render(
        environment,
        "grade_sheet.html",
        language,
        "session",
        context! { view => if single { "sheet" } else { "sheets" }, ..view },
    )
}

/// The grade sheet of candidate `number`: every part and position grade,
/// the overall grade, the decision with each condition and, for a failure,
/// the right of appeal. `None` when the session has no such candidate.
pub fn grade_sheet(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    number: &str,
    language: Language,
) -> Result<Option<String>, PageError> {
    let Some(candidate) = result.candidates.iter().find(|c| c.number == number) else {
        return Ok(None);
    };
    // An official grade sheet is written in the candidate's exam language
    // where the register holds it, whoever prints it.
    let language =
        documents.official.and_then(|official| official.person(number).language).unwrap_or(language);
    sheets_page(environment, documents, links, result, &[candidate], true, language).map(Some)
}

/// The grade sheets of every candidate of the session, one per printed
/// page.
pub fn grade_sheets(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    language: Language,
) -> Result<String, PageError> {
    let all: Vec<&CandidateResult> = result.candidates.iter().collect();
    sheets_page(environment, documents, links, result, &all, false, language)
}

/// One assumption of the scheme or blueprint as a page shows it.
#[derive(Debug, Serialize, PartialEq, Eq)]
struct AssumptionView {
    text: String,
    /// The language it is written in, for its `lang` attribute.
    lang: &'static str,
}

/// The assumptions of a result in `language`: the scheme's then the
/// blueprint's, each document's in the reader's language where its
/// translation note gives one for every French assumption, in French
/// (marked so) otherwise. Assumptions that are not those of the pinned
/// documents (a result computed elsewhere) are shown as they are, French.
fn assumptions_view(
    documents: &ExamDocuments<'_>,
    result: &SessionResult,
    language: Language,
) -> Vec<AssumptionView> {
    let french = |texts: &[String]| -> Vec<AssumptionView> {
        texts.iter().map(|text| AssumptionView { text: text.clone(), lang: "fr" }).collect()
    };
    let pinned: Vec<&String> =
        documents.scheme.assumptions.iter().chain(&documents.blueprint.assumptions).collect();
    if result.assumptions.iter().collect::<Vec<_>>() != pinned {
        return french(&result.assumptions);
    }
    let in_language =
        |assumptions: &[String], translation: Option<&grille_competence::Translations>| match translation
            .and_then(|translation| translation.assumptions(language.code(), assumptions))
        {
            Some(translated) => translated
                .iter()
                .map(|text| AssumptionView { text: text.clone(), lang: language.code() })
                .collect(),
            None => french(assumptions),
        };
    let mut view = in_language(&documents.scheme.assumptions, documents.scheme.translation.as_ref());
    view.extend(in_language(&documents.blueprint.assumptions, documents.blueprint.translation.as_ref()));
    view
}

/// The full file of candidate `number` for an appeal: both examiners'
/// evaluations criterion by criterion (level, points, remarks), the agreed
/// evaluation, the comparison with its flags, the arithmetic of every
/// grade with each rounding step, and the versions of the documents used.
/// `None` when the session has no such candidate.
pub fn candidate_file(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    number: &str,
    language: Language,
) -> Result<Option<String>, PageError> {
    let Some(candidate) = result.candidates.iter().find(|c| c.number == number) else {
        return Ok(None);
    };
    let view = context! {
        session => session_view(documents, result, language),
        links => links.view(),
        candidate => Value::from(Serde(candidate_view(documents, links, candidate, true, language))),
        assumptions => Value::from(Serde(assumptions_view(documents, result, language))),
    };
    render(environment, "candidate_file.html", language, "session", context! { view => "file", ..view })
        .map(Some)
}

#[derive(Serialize)]
struct DiscrepancyView {
    number: String,
    file: String,
    position: String,
    title: String,
    grades: Vec<(String, Option<String>)>,
    flags: Vec<FlagView>,
    status: &'static str,
    status_text: String,
    official: Option<String>,
    settlement: Option<String>,
    /// The justification's language where it is not the page's (`lang`).
    settlement_lang: Option<&'static str>,
}

/// One candidate's case for one position, in the minutes.
#[derive(Serialize)]
struct CaseSatView {
    number: String,
    position: String,
    id: String,
    version: String,
    title: String,
    /// The language of the title, when it is not the page's.
    lang: Option<&'static str>,
    not_assessed: Vec<String>,
}

/// The minutes of the grading meeting: summary counts, every candidate's
/// result, every difference between examiners and how it was settled, and
/// the assumptions of the scheme and blueprint.
pub fn grading_minutes(
    environment: &Environment<'_>,
    documents: &ExamDocuments<'_>,
    links: &Links,
    result: &SessionResult,
    language: Language,
) -> Result<String, PageError> {
    let summary = result.summary();
    let rows: Vec<CandidateView> =
        result.candidates.iter().map(|c| candidate_view(documents, links, c, false, language)).collect();
    let mut discrepancies = Vec::new();
    for candidate in &result.candidates {
        for position in positions(candidate) {
            let Some(comparison) = &position.comparison else { continue };
            if comparison.status == DiscrepancyStatus::None && comparison.flags.is_empty() {
                continue;
            }
            let Some(view) = comparison_view(position, language) else { continue };
            let agreed = position.agreed.as_ref().filter(|_| comparison.status == DiscrepancyStatus::Agreed);
            let justification = agreed.and_then(|agreed| agreed.remark.clone());
            let settlement_lang = agreed
                .filter(|_| justification.is_some())
                .and_then(|agreed| crate::i18n::text_lang(agreed.remark_language, language));
            let settlement = match comparison.status {
                DiscrepancyStatus::Agreed => {
                    Some(justification.unwrap_or_else(|| tr(language, "minutes.no_remark")))
                }
                _ => None,
            };
            discrepancies.push(DiscrepancyView {
                number: candidate.number.clone(),
                file: links.file(&candidate.number),
                position: position.position.clone(),
                title: documents
                    .blueprint
                    .position(&position.position)
                    .map(|(_, found)| found.title.get(language.code()).to_owned())
                    .unwrap_or_else(|| position.title.clone()),
                grades: view.grades,
                flags: view.flags,
                status: view.status,
                status_text: view.status_text,
                official: grade_text(position.grade),
                settlement,
                settlement_lang,
            });
        }
    }
    // Which case each candidate sat, position by position: the minutes say
    // what every grade was given on.
    let cases: Vec<CaseSatView> = result
        .candidates
        .iter()
        .flat_map(|candidate| {
            positions(candidate).filter_map(move |position| {
                let case = position.case.as_ref()?;
                Some(CaseSatView {
                    number: candidate.number.clone(),
                    position: position.position.clone(),
                    id: case.id.clone(),
                    version: case.version.clone(),
                    title: case.title.clone(),
                    lang: case.language.map(|written| written.code()).filter(|code| *code != language.code()),
                    not_assessed: case.not_assessed.iter().map(|item| item.criterion.clone()).collect(),
                })
            })
        })
        .collect();
    let view = context! {
        session => session_view(documents, result, language),
        links => links.view(),
        cases => Value::from(Serde(cases)),
        summary => context! {
            candidates => summary.candidates,
            passed => summary.passed,
            failed => summary.failed,
            pending => summary.pending,
            no_result => summary.no_result,
            open => summary.open_discrepancies,
            flagged => summary.flagged_positions,
        },
        rows => Value::from(Serde(rows)),
        discrepancies => Value::from(Serde(discrepancies)),
        assumptions => Value::from(Serde(assumptions_view(documents, result, language))),
    };
    render(environment, "minutes.html", language, "session", context! { view => "minutes", ..view })
}

#[cfg(test)]
mod tests {
    use super::*;
    use grille_scoring::embedded::{self, ExamDocuments as Shipped};
    use grille_scoring::{ScoringInput, Session, score_session};

    struct Example {
        catalogue: Catalogue,
        shipped: Shipped,
        session: Session,
        result: SessionResult,
    }

    fn example() -> Example {
        let catalogue = Catalogue::embedded().unwrap_or_else(|p| panic!("catalogue: {p:?}"));
        let shipped = embedded::federal_exam(&catalogue).unwrap_or_else(|p| panic!("documents: {p:?}"));
        let session = embedded::example_session().unwrap_or_else(|p| panic!("session: {p:?}"));
        let result = score_session(&ScoringInput {
            catalogue: &catalogue,
            scheme: &shipped.scheme,
            blueprint: &shipped.blueprint,
            rubrics: &shipped.rubrics,
            cases: &embedded::example_cases(&catalogue).unwrap_or_else(|p| panic!("cases: {p:?}")),
            session: &session,
        })
        .unwrap_or_else(|p| panic!("scoring: {p:?}"));
        Example { catalogue, shipped, session, result }
    }

    impl Example {
        fn documents(&self) -> ExamDocuments<'_> {
            ExamDocuments {
                catalogue: &self.catalogue,
                scheme: &self.shipped.scheme,
                blueprint: &self.shipped.blueprint,
                rubrics: &self.shipped.rubrics,
                session_title: self.session.title.as_ref(),
                appeal_notice: None,
                official: None,
            }
        }
    }

    fn links() -> Links {
        Links::new("/demo/session", "/demo/candidates")
    }

    /// `page` rendered over the worked example with the demo's links.
    fn render_example<T>(
        page: impl FnOnce(
            &Environment<'static>,
            &ExamDocuments<'_>,
            &Links,
            &SessionResult,
        ) -> Result<T, PageError>,
    ) -> T {
        let example = example();
        page(&crate::templates::environment(), &example.documents(), &links(), &example.result).unwrap()
    }

    /// The text of an HTML page without its tags, whitespace collapsed.
    fn text_of(html: &str) -> String {
        let mut text = String::new();
        let mut in_tag = false;
        for character in html.chars() {
            match character {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                other if !in_tag => text.push(other),
                _ => {}
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        text.replace("&#x27;", "'").replace("&#39;", "'").replace("&#x2f;", "/").replace("&amp;", "&")
    }

    #[test]
    fn rounding_rules_and_conditions_are_named_in_every_language() {
        let half = Decimal::new(5, 1);
        let tenth = Decimal::new(1, 1);
        let quarter = Decimal::new(25, 2);
        // (step, direction, French, German)
        let cases = [
            (
                half,
                RoundingDirection::HalfUp,
                "arrondi à la demi-note, la moitié vers le haut",
                "auf halbe Noten gerundet, Hälfte aufwärts",
            ),
            (
                half,
                RoundingDirection::Up,
                "arrondi à la demi-note supérieure",
                "auf die nächsthöhere halbe Note gerundet",
            ),
            (
                tenth,
                RoundingDirection::Down,
                "arrondi au dixième inférieur",
                "auf das nächsttiefere Zehntel gerundet",
            ),
            (
                quarter,
                RoundingDirection::Up,
                "arrondi au multiple de 0.25 supérieur",
                "auf das nächsthöhere Vielfache von 0.25 gerundet",
            ),
        ];
        for (step, direction, french, german) in cases {
            assert_eq!(rounding_rule(step, direction, Language::Fr), french);
            assert_eq!(rounding_rule(step, direction, Language::De), german);
        }
        for condition in ["max_parts_below", "part_minimum", "min_position_grade", "position_minimum"] {
            let key = condition_key(condition);
            assert_ne!(key, "exam.condition.other", "{condition}");
            for language in [Language::Fr, Language::De] {
                assert!(!tr(language, &key).contains('⟦'), "{condition} in {}", language.code());
            }
        }
    }

    #[test]
    fn every_session_page_renders_in_every_language_without_missing_keys() {
        let example = example();
        let environment = crate::templates::environment();
        let documents = example.documents();
        let result = &example.result;
        for language in [Language::Fr, Language::De, Language::It] {
            let mut pages = vec![
                session_results(
                    &environment,
                    &documents,
                    &links(),
                    result,
                    &ResultsFilter::default(),
                    language,
                )
                .unwrap(),
                session_statistics(&environment, &documents, &links(), result, language).unwrap(),
                grading_minutes(&environment, &documents, &links(), result, language).unwrap(),
                grade_sheets(&environment, &documents, &links(), result, language).unwrap(),
            ];
            for candidate in &result.candidates {
                pages.push(
                    grade_sheet(&environment, &documents, &links(), result, &candidate.number, language)
                        .unwrap()
                        .unwrap(),
                );
                pages.push(
                    candidate_file(&environment, &documents, &links(), result, &candidate.number, language)
                        .unwrap()
                        .unwrap(),
                );
            }
            for page in pages {
                assert!(!page.contains('⟦'), "missing translation in {}:\n{page}", language.code());
                assert!(page.contains(&format!(r#"<html lang="{}">"#, language.document_code())));
                for landmark in ["<header", "<nav", "<main", "<footer"] {
                    assert!(page.contains(landmark), "{landmark} missing");
                }
                assert_eq!(
                    page.matches("<table").count(),
                    page.matches("<caption>").count(),
                    "a table without caption"
                );
                assert!(page.contains("bf-asp-bareme-defaut 1.0"), "document versions in the header");
            }
        }
    }

    #[test]
    fn unknown_candidates_have_no_page() {
        let example = example();
        let environment = crate::templates::environment();
        let documents = example.documents();
        for number in ["2026-999", "", "../2026-001"] {
            let sheet =
                grade_sheet(&environment, &documents, &links(), &example.result, number, Language::Fr);
            assert_eq!(sheet.unwrap(), None);
            let file =
                candidate_file(&environment, &documents, &links(), &example.result, number, Language::Fr);
            assert_eq!(file.unwrap(), None);
        }
    }

    #[test]
    fn results_table_shows_the_worked_example() {
        let page = render_example(|environment, documents, links, result| {
            session_results(environment, documents, links, result, &ResultsFilter::default(), Language::Fr)
        });
        let text = text_of(&page);
        // Number (with the overall grade and outcome a phone keeps beside
        // it), part grades 1, 2, 3, overall, outcome, open discrepancies.
        for row in [
            "2026-001 5.2 · réussi 5.5 5.0 5.0 5.2 réussi 0",
            "2026-002 4.2 · réussi 4.5 4.0 4.0 4.2 réussi 0",
            "2026-003 4.1 · échoué 5.3 3.5 (insuffisante) 3.5 (insuffisante) 4.1 échoué 0",
            "2026-004 4.4 · échoué 5.3 2.5 (insuffisante) 5.5 4.4 échoué 0",
            "2026-005 – · échoué – – – – échoué 0",
        ] {
            assert!(text.contains(row), "{row:?} missing in {text}");
        }
        let unescaped = page.replace("&#x2f;", "/");
        assert!(unescaped.contains(r#"<a href="/demo/candidates/2026-003">2026-003</a>"#));
        assert!(
            page.contains(r#"<label for="filter-outcome">"#) && page.contains(r#"<label for="filter-open">"#)
        );
    }

    #[test]
    fn filters_and_sorting_select_and_order_rows() {
        let example = example();
        let pass_mark = example.shipped.scheme.scale.pass_mark;
        let numbers = |query: &[(&str, &str)]| -> Vec<String> {
            ResultsFilter::from_pairs(query.iter().copied())
                .apply(&example.result, pass_mark)
                .iter()
                .map(|c| c.number.clone())
                .collect()
        };
        for (query, expected) in [
            (vec![], vec!["2026-001", "2026-002", "2026-003", "2026-004", "2026-005"]),
            (vec![("outcome", "failed")], vec!["2026-003", "2026-004", "2026-005"]),
            (vec![("outcome", "passed")], vec!["2026-001", "2026-002"]),
            (vec![("below", "any")], vec!["2026-003", "2026-004"]),
            (vec![("below", "3")], vec!["2026-003"]),
            (vec![("below", "1")], vec![]),
            (vec![("open", "1")], vec![]),
            (
                vec![("outcome", "nonsense"), ("below", "")],
                vec!["2026-001", "2026-002", "2026-003", "2026-004", "2026-005"],
            ),
            (vec![("sort", "overall")], vec!["2026-003", "2026-002", "2026-004", "2026-001", "2026-005"]),
            (
                vec![("sort", "overall"), ("order", "desc")],
                vec!["2026-001", "2026-004", "2026-002", "2026-003", "2026-005"],
            ),
            (
                vec![("sort", "number"), ("order", "desc")],
                vec!["2026-005", "2026-004", "2026-003", "2026-002", "2026-001"],
            ),
        ] {
            assert_eq!(numbers(&query), expected, "{query:?}");
        }
        let filter = ResultsFilter::from_pairs([("outcome", "failed"), ("sort", "overall")]);
        assert_eq!(filter.query(SortKey::Overall, true), "?outcome=failed&sort=overall&order=desc");
    }

    #[test]
    fn grade_sheet_of_a_failure_gives_conditions_and_the_right_of_appeal() {
        let example = example();
        let environment = crate::templates::environment();
        let documents = example.documents();
        let page = grade_sheet(&environment, &documents, &links(), &example.result, "2026-003", Language::Fr)
            .unwrap()
            .unwrap();
        let text = text_of(&page);
        assert!(text.contains("Note globale 4.1"), "{text}");
        assert!(text.contains("Décision : échoué"), "{text}");
        assert!(text.contains("Nombre maximal de notes d'épreuve insuffisantes ✗ non remplie"), "{text}");
        assert!(text.contains("au plus 1 admise(s)"), "{text}");
        assert!(text.contains("Voies de droit") && text.contains("SEFRI"), "{text}");
        for grade in ["5.5", "5.0", "5.3", "3.5"] {
            assert!(text.contains(grade));
        }
        // The appeal notice is configurable.
        let notice: LocalizedText =
            serde_json::from_value(serde_json::json!({ "fr": "Recours : voir l'art. 99 du règlement." }))
                .unwrap();
        let configured = ExamDocuments { appeal_notice: Some(&notice), ..documents };
        let page =
            grade_sheet(&environment, &configured, &links(), &example.result, "2026-003", Language::Fr)
                .unwrap()
                .unwrap();
        assert!(page.contains("Recours : voir l&#x27;art. 99 du règlement.") && !page.contains("SEFRI"));
        // A pass has no appeal section.
        let page = grade_sheet(&environment, &documents, &links(), &example.result, "2026-001", Language::De)
            .unwrap()
            .unwrap();
        assert!(!page.contains("Rechtsmittelbelehrung") && page.contains("bestanden"));
    }

    fn official() -> crate::official::Official {
        use crate::official::{Letterhead, Official, Person, SignatoryLine, SittingLine};
        Official {
            letterhead: Letterhead {
                name: "Commission d'examen AA".into(),
                address: vec!["Case postale 12".into(), "3000 Berne".into()],
                seat: "Berne".into(),
                logo: Some("/api/board/identity/logo?v=abc".into()),
                signatories: vec![
                    SignatoryLine { name: "Anne Muster".into(), function: "Présidente".into() },
                    SignatoryLine { name: "Beat Beispiel".into(), function: "Secrétaire".into() },
                ],
            },
            sittings: vec![SittingLine { date: "03.05.2027".into(), place: "Olten".into() }],
            people: vec![Person {
                number: "2026-003".into(),
                family_name: Some("Müller".into()),
                given_name: Some("Lea".into()),
                ..Person::default()
            }],
            remedies: [
                "Recours au SEFRI dans les 30 jours.".into(),
                "Beschwerde beim SBFI innert 30 Tagen.".into(),
                "Ricorso alla SEFRI entro 30 giorni.".into(),
            ],
        }
    }

    /// Each row: language, candidate, what the official grade sheet says.
    #[test]
    fn the_official_grade_sheet_has_letterhead_name_birth_line_decision_and_signatures() {
        let example = example();
        let environment = crate::pages::environment();
        let official = official();
        let documents = ExamDocuments { official: Some(&official), ..example.documents() };
        let rows: [(Language, &str, &[&str]); 3] = [
            (
                Language::Fr,
                "2026-003",
                &[
                    "Commission d'examen AA",
                    "3000 Berne",
                    "Lea Müller",
                    "Date de naissance",
                    "03.05.2027, Olten",
                    "Décision : échoué",
                    "Recours au SEFRI",
                    "Anne Muster",
                    "Présidente",
                    "Beat Beispiel",
                ],
            ),
            (
                Language::De,
                "2026-003",
                &[
                    "Commission d'examen AA",
                    "Lea Müller",
                    "Geburtsdatum",
                    "Entscheid: nicht bestanden",
                    "Beschwerde beim SBFI",
                    "Anne Muster",
                ],
            ),
            (Language::De, "2026-001", &["Entscheid: bestanden", "Beat Beispiel"]),
        ];
        for (language, number, expected) in rows {
            let page = grade_sheet(&environment, &documents, &links(), &example.result, number, language)
                .unwrap()
                .unwrap();
            let text = text_of(&page);
            for needle in expected {
                assert!(text.contains(needle), "{} {number}: {needle} missing in\n{text}", language.code());
            }
            assert!(
                page.contains(
                    r#"<img class="letterhead-logo" src="&#x2f;api&#x2f;board&#x2f;identity&#x2f;logo?v=abc""#
                ),
                "{page}"
            );
            // No date of birth stored: a line is left for it.
            assert!(page.contains(r#"<dd class="person-birth"><span class="blank-line""#), "{page}");
        }
        // Without official data the sheet stays as the demo shows it.
        let page = grade_sheet(
            &environment,
            &example.documents(),
            &links(),
            &example.result,
            "2026-003",
            Language::Fr,
        )
        .unwrap()
        .unwrap();
        assert!(!page.contains("letterhead") && !page.contains("signature-line"));
    }

    #[test]
    fn the_batch_grade_sheets_write_each_candidate_in_their_exam_language() {
        let example = example();
        let environment = crate::pages::environment();
        let mut official = official();
        official.people[0].language = Some(Language::De);
        official.people.push(crate::official::Person {
            number: "2026-001".into(),
            language: Some(Language::It),
            ..crate::official::Person::default()
        });
        let documents = ExamDocuments { official: Some(&official), ..example.documents() };
        let page = grade_sheets(&environment, &documents, &links(), &example.result, Language::Fr).unwrap();
        let sheets: Vec<&str> = page.split(r#"<article class="sheet"#).skip(1).collect();
        let sheet_of = |number: &str| {
            sheets
                .iter()
                .find(|sheet| sheet.contains(&format!(r#"id="overall-{number}""#)))
                .copied()
                .unwrap_or_else(|| panic!("no sheet for {number}"))
        };
        // 2026-003 sits in German: its sheet and its engine texts are German.
        let german = sheet_of("2026-003");
        assert!(german.contains(r#"lang="de""#), "{german}");
        assert!(german.contains("Prüfung nicht bestanden (Gesamtnote"), "{german}");
        assert!(german.contains("Beschwerde beim SBFI"), "{german}");
        assert!(!german.contains("examen échoué"), "{german}");
        // 2026-001 sits in Italian.
        let italian = sheet_of("2026-001");
        assert!(italian.contains(r#"lang="it""#) && italian.contains("esame superato"), "{italian}");
        // The others, unknown to the register, follow the page: French.
        let french = sheet_of("2026-002");
        // Only the title of a case written in German is marked.
        let unmarked = french.replace(r#"<span lang="de">"#, "<span>");
        assert!(!unmarked.contains(r#" lang="#) && french.contains("examen réussi"), "{french}");
        assert!(french.contains(r#"Étude de cas : <span lang="de">Stagnation"#), "{french}");
    }

    #[test]
    fn decision_letters_give_result_reasons_remedies_and_deadline_in_each_language() {
        use crate::official::{Notification, decision_letters};
        let example = example();
        let environment = crate::pages::environment();
        let official = official();
        let documents = ExamDocuments { official: Some(&official), ..example.documents() };
        let notification = Notification {
            dated: "01.07.2027".into(),
            notified_on: Some("03.07.2027".into()),
            source_key: "official.notification.publication".into(),
            published_on: Some("01.07.2027".into()),
            postal_days: 2,
            last_day: Some("17.08.2027".into()),
            last_weekday_key: Some("official.weekday.tuesday".into()),
            stood_still_keys: vec!["official.stand_still.summer".into()],
        };
        let frame = Value::from(());
        let letter = |number: Option<&str>, language| {
            decision_letters(
                &environment,
                &documents,
                &links(),
                &example.result,
                &official,
                &notification,
                number,
                language,
                &frame,
            )
            .unwrap()
        };
        let failed = text_of(&letter(Some("2026-003"), Language::Fr).unwrap());
        for needle in [
            "Décision",
            "Lea Müller",
            "Vous n'avez pas réussi l'examen.",
            "Motifs",
            "Nombre maximal de notes d'épreuve insuffisantes",
            "Voie de droit",
            "Recours au SEFRI dans les 30 jours.",
            "Notification : 03.07.2027. Le délai de recours de 30 jours échoit le mardi 17.08.2027",
            "du 15 juillet au 15 août",
            "Berne, 01.07.2027",
            "Anne Muster",
        ] {
            assert!(failed.contains(needle), "{needle} missing in\n{failed}");
        }
        let german = text_of(&letter(Some("2026-003"), Language::De).unwrap());
        for needle in [
            "Verfügung",
            "Sie haben die Prüfung nicht bestanden.",
            "Begründung",
            "Rechtsmittelbelehrung",
            "Beschwerde beim SBFI",
            "endet am Dienstag, 17.08.2027",
            "vom 15. Juli bis zum 15. August",
        ] {
            assert!(german.contains(needle), "{needle} missing in\n{german}");
        }
        let passed = text_of(&letter(Some("2026-001"), Language::De).unwrap());
        assert!(
            passed.contains("Sie haben die Prüfung bestanden.") && !passed.contains("Begründung"),
            "{passed}"
        );
        assert!(passed.contains("Rechtsmittelbelehrung"), "every decision states the remedies");
        // The batch: one article per candidate, each a printed page.
        let all = letter(None, Language::Fr).unwrap();
        assert_eq!(all.matches(r#"<article class="sheet letter""#).count(), example.result.candidates.len());
        assert!(letter(Some("9999"), Language::Fr).is_none());
        // A candidate whose language is known gets their letter in it.
        let mut italian = official.clone();
        italian.people[0].language = Some(Language::It);
        let documents = ExamDocuments { official: Some(&italian), ..example.documents() };
        let page = decision_letters(
            &environment,
            &documents,
            &links(),
            &example.result,
            &italian,
            &notification,
            Some("2026-003"),
            Language::Fr,
            &frame,
        )
        .unwrap()
        .unwrap();
        assert!(
            page.contains(r#"<article class="sheet letter" lang="it""#)
                && page.contains("Non ha superato l&#x27;esame."),
            "{page}"
        );
    }

    #[test]
    fn appeal_file_shows_marks_comparison_and_every_rounding() {
        let page = render_example(|environment, documents, links, result| {
            candidate_file(environment, documents, links, result, "2026-002", Language::Fr)
        })
        .unwrap();
        let text = text_of(&page);
        // 3.1: exp-05 4.5, exp-06 3.5, flagged twice, settled: 14/24 → 4.0.
        assert!(text.contains("exp-05 : 4.5 · exp-06 : 3.5"), "{text}");
        assert!(text.contains("Écart de note") && text.contains("De part et d'autre de la note suffisante"));
        assert!(text.contains("Divergence réglée par une évaluation commune"), "{text}");
        assert!(text.contains("14 / 24 pts → 4.0"), "{text}");
        assert!(text.contains("Étude de cas : Stagnation an einem Integrationsarbeitsplatz in der Grossküche (fall-2-grosskueche, version 1) — critère(s) écarté(s) par le cas, hors du maximum : c4"), "{text}");
        assert!(text.contains("1 + (6 − 1) × 14 / 24 = 3.9166… arrondi à la demi-note, la moitié vers le haut : 3.9166… → 4.0"), "{text}");
        // 1.2 c4 not assessable; the overall grade 4.1666… → 4.2.
        assert!(text.contains("non évaluable"));
        assert!(
            text.contains("= 4.1666… arrondi au dixième, la moitié vers le haut : 4.1666… → 4.2"),
            "{text}"
        );
        assert!(text.contains("bf-asp-3-solutions-equipe-interdisciplinaire"));
        assert!(text.contains("Hypothèses du barème et du plan d'examen"));
    }

    #[test]
    fn minutes_list_every_result_and_the_settled_discrepancy() {
        let page = render_example(|environment, documents, links, result| {
            grading_minutes(environment, documents, links, result, Language::Fr)
        });
        let text = text_of(&page);
        assert!(text.contains("Candidat·e·s 5 réussi 2 échoué 3"), "{text}");
        assert!(text.contains("2026-002 3.1"), "{text}");
        assert!(text.contains("exp-05 : 4.5 exp-06 : 3.5"), "{text}");
        assert!(text.contains("Divergence réglée par une évaluation commune"));
        assert!(text.contains("retrait sans motif valable"));
        // The case each candidate sat, and what it leaves out.
        assert!(text.contains("2026-002 2.1 Stagnation an einem Integrationsarbeitsplatz in der Grossküche (fall-2-grosskueche, Version 1) c4"), "{text}");
        // The German case's title is marked in the French minutes.
        assert!(page.contains(r#"<span lang="de">Stagnation an einem"#), "{page}");
    }

    #[test]
    fn german_pages_show_the_translated_assumptions_and_whose_translation_they_are() {
        let example = example();
        let environment = crate::templates::environment();
        let minutes = |documents: &ExamDocuments<'_>, result: &SessionResult, language| {
            grading_minutes(&environment, documents, &links(), result, language).unwrap()
        };
        let german = minutes(&example.documents(), &example.result, Language::De);
        assert!(
            german.contains(r#"<li lang="de">Skala von 1 bis 6, genügend ab 4: eidgenössische Konvention (BBV Art. 34); gilt als gesichert.</li>"#),
            "{german}"
        );
        assert!(german.contains(
            r#"<li lang="de">Expertinnen und Experten: zwei Expertinnen oder Experten pro Prüfungsteil"#
        ));
        assert!(!german.contains(r#"<li lang="fr">"#), "every assumption is translated");
        // Said once for all the pinned documents, on every session page.
        assert_eq!(german.matches(r#"class="document-translation""#).count(), 1, "{german}");
        assert!(german.contains(
            "Übersetzung von grille, von der Prüfungskommission noch nicht geprüft: Massgebend ist der französische Text."
        ));
        let file = candidate_file(
            &environment,
            &example.documents(),
            &links(),
            &example.result,
            "2026-001",
            Language::De,
        )
        .unwrap()
        .unwrap();
        assert!(file.contains(r#"id="translation-note-1""#));
        assert!(
            file.contains(r#"<li lang="de">Gewichtungen: Die drei Prüfungsteile zählen gleich viel (1)"#)
        );

        // French: the originals, marked French, and no note.
        let french = minutes(&example.documents(), &example.result, Language::Fr);
        assert!(french.contains(r#"<li lang="fr">Échelle de 1 à 6, note suffisante 4"#), "{french}");
        assert!(!french.contains("document-translation"));
        // Italian: no Italian translation, so the French, marked.
        let italian = minutes(&example.documents(), &example.result, Language::It);
        assert!(italian.contains(r#"<li lang="fr">Échelle de 1 à 6, note suffisante 4"#));
        assert!(!italian.contains("document-translation"));

        // A translation that no longer has one text per French assumption
        // (the French was edited since) is not used for that document.
        let mut scheme = example.shipped.scheme.clone();
        scheme.assumptions.push("Une hypothèse ajoutée depuis.".to_owned());
        let mut result = example.result.clone();
        result.assumptions =
            scheme.assumptions.iter().chain(&example.shipped.blueprint.assumptions).cloned().collect();
        let documents = ExamDocuments { scheme: &scheme, ..example.documents() };
        let edited = minutes(&documents, &result, Language::De);
        assert!(edited.contains(r#"<li lang="fr">Une hypothèse ajoutée depuis.</li>"#), "{edited}");
        assert!(edited.contains(r#"<li lang="fr">Échelle de 1 à 6"#));
        assert!(edited.contains(r#"<li lang="de">Gewichtungen:"#), "the blueprint's still are");
        // Assumptions that are not the pinned documents' are shown as given.
        let mut other = example.result.clone();
        other.assumptions = vec!["Autre chose.".to_owned()];
        let page = minutes(&example.documents(), &other, Language::De);
        assert!(page.contains(r#"<li lang="fr">Autre chose.</li>"#));
        assert!(!page.contains(r#"<li lang="de">"#));
    }

    #[test]
    fn statistics_of_the_worked_example() {
        let page = render_example(|environment, documents, links, result| {
            session_statistics(environment, documents, links, result, Language::Fr)
        });
        let text = text_of(&page);
        // 2 passed of 5 decided (2026-005 failed without grades).
        assert!(text.contains("Taux de réussite : 40 % (2 sur 5"), "{text}");
        // Overall grades 5.2, 4.2, 4.1, 4.4: bins [5.0, 5.5) (1) and
        // [4.0, 4.5) (3); mean 4.475 → 4.48.
        assert!(text.contains("4 notes, moyenne 4.48 Notes Candidat·e·s 1.0–1.4 0"), "{text}");
        assert!(text.contains("3.5–3.9 0 4.0–4.4 3 4.5–4.9 0 5.0–5.4 1 5.5–5.9 0 6.0 0"), "{text}");
        assert_eq!(page.matches(r#"class="chart histogram""#).count(), 4);
        assert!(page.contains(r#"class="chart bars""#));
        // exp-05 / exp-06 on 3.1 of four candidates (8 criteria each): 26 of
        // 32 levels equal, all within one level.
        assert!(text.contains("exp-05 / exp-06 32 0 81.3 % 100 %"), "{text}");
        assert!(text.contains("exp-01 / exp-02 51 1 100 % 100 % 1 1"), "{text}");
    }
}
