//! Scoring one candidate: the positions prepared once per scorer, then
//! evaluation → position → part → overall grade and decision.

use rust_decimal::Decimal;

use crate::answers::{AnswerProblem, Completeness};
use crate::blueprint::{Part, Position, Reconciliation};
use crate::calc::{self, ExplainedMean, at_step_decimals};
use crate::case::{CaseLanguage, CaseStudy};
use crate::decimal::{display, display_grade};
use crate::message::{Message, MessageCode};
use crate::rubric::{Rubric, RubricCriterion};
use crate::scheme::GradingScheme;
use crate::session::{Answer, Candidate, CandidateStatus, DocumentRef, SessionHeader};

use super::check::pinned_rubric;
use super::compare::compare;
use super::judge::judge;
use super::profile::{Attribution, ProfileBuilder};
use super::{
    CandidateResult, CaseUsed, CompetenceProfile, ConditionResult, CriterionScore, Detail, DiscrepancyStatus,
    EvaluationResult, GradeSourceRef, Mark, Outcome, PartResult, PositionResult, ReconciliationResult,
    ReconciliationRule, Scorer, SessionDocuments,
};

/// One blueprint position as a scorer sees it: its pinned rubric and the
/// attribution of each rubric criterion, in rubric order.
#[derive(Debug, Clone)]
pub(super) struct PreparedPosition<'a> {
    pub(super) rubric: Option<&'a Rubric>,
    pub(super) attributions: Vec<Attribution>,
    /// Each rubric criterion's numbers, in rubric order.
    pub(super) criteria: Vec<PreparedCriterion>,
}

impl<'a> PreparedPosition<'a> {
    /// `position` scored with the pinned rubric `rubric_id`.
    pub(super) fn of(
        documents: &SessionDocuments<'a>,
        header: &SessionHeader,
        position: &Position,
        rubric_id: &str,
    ) -> PreparedPosition<'a> {
        let rubric = pinned_rubric(documents.rubrics, header, rubric_id);
        let attributions = rubric
            .map(|rubric| {
                rubric
                    .criteria
                    .iter()
                    .map(|criterion| Attribution::of(documents.catalogue, criterion, position))
                    .collect()
            })
            .unwrap_or_default();
        let criteria = rubric
            .map(|rubric| rubric.criteria.iter().map(PreparedCriterion::of).collect())
            .unwrap_or_default();
        PreparedPosition { rubric, attributions, criteria }
    }
}

/// A pinned case study as a scorer sees it.
#[derive(Debug, Clone)]
pub(super) struct PreparedCase<'a> {
    pub(super) case: &'a CaseStudy,
    /// When the case names a rubric of its own: each position it serves,
    /// prepared with that rubric.
    pub(super) with_own_rubric: Vec<(String, PreparedPosition<'a>)>,
}

impl<'a> PreparedCase<'a> {
    pub(super) fn own_rubric(&self, position: &str) -> Option<&PreparedPosition<'a>> {
        self.with_own_rubric.iter().find(|(id, _)| id == position).map(|(_, prepared)| prepared)
    }
}

/// The numbers of one rubric criterion that scoring needs for every
/// evaluation, computed once per scorer.
#[derive(Debug, Clone, Copy)]
pub(super) struct PreparedCriterion {
    /// The weight, normalized.
    pub(super) weight: Decimal,
    /// Highest level × weight, normalized.
    pub(super) max_weighted: Decimal,
}

impl PreparedCriterion {
    pub(super) fn of(criterion: &RubricCriterion) -> PreparedCriterion {
        PreparedCriterion {
            weight: criterion.weight.normalize(),
            max_weighted: criterion.max_points().saturating_mul(criterion.weight).normalize(),
        }
    }
}

/// A candidate status, as warnings name it.
pub(super) fn status_message(status: CandidateStatus) -> Message {
    Message::new(match status {
        CandidateStatus::Present => MessageCode::StatusPresent,
        CandidateStatus::WithdrawnExcused => MessageCode::StatusWithdrawnExcused,
        CandidateStatus::WithdrawnUnexcused => MessageCode::StatusWithdrawnUnexcused,
        CandidateStatus::Excluded => MessageCode::StatusExcluded,
        CandidateStatus::Absent => MessageCode::StatusAbsent,
    })
}

/// Adds `message` to a list of reasons, with its French text beside it.
fn push(texts: &mut Vec<String>, messages: &mut Vec<Message>, message: Message) {
    texts.push(message.french());
    messages.push(message);
}

pub(super) fn score_candidate(scorer: &Scorer<'_>, candidate: &Candidate, detail: Detail) -> CandidateResult {
    let mut result = CandidateResult {
        number: candidate.number.clone(),
        status: candidate.status,
        attempt: candidate.attempt,
        outcome: Outcome::Pending,
        decision: String::new(),
        decision_message: None,
        pending: Vec::new(),
        pending_messages: Vec::new(),
        parts: Vec::new(),
        overall: None,
        conditions: Vec::new(),
        profile: CompetenceProfile::default(),
        warnings: Vec::new(),
        warning_messages: Vec::new(),
    };
    let decided_without_grades = match candidate.status {
        CandidateStatus::Present => None,
        CandidateStatus::WithdrawnUnexcused => {
            Some((Outcome::Failed, MessageCode::DecisionWithdrawnUnexcused))
        }
        CandidateStatus::Excluded => Some((Outcome::Failed, MessageCode::DecisionExcluded)),
        CandidateStatus::WithdrawnExcused => Some((Outcome::NoResult, MessageCode::DecisionWithdrawnExcused)),
        CandidateStatus::Absent => Some((Outcome::Pending, MessageCode::DecisionAbsent)),
    };
    if let Some((outcome, code)) = decided_without_grades {
        if !candidate.positions.is_empty() {
            let positions: Vec<&str> =
                candidate.positions.iter().map(|scoring| scoring.position.as_str()).collect();
            push(
                &mut result.warnings,
                &mut result.warning_messages,
                Message::new(MessageCode::WarningEvaluationsIgnored)
                    .with("positions", positions.join(", "))
                    .with_message("status", status_message(candidate.status)),
            );
        }
        result.outcome = outcome;
        let decision = Message::new(code);
        if outcome == Outcome::Pending {
            push(&mut result.pending, &mut result.pending_messages, decision.clone());
        }
        decide(&mut result, decision);
        return result;
    }

    let mut profile = detail.explain().then(ProfileBuilder::default);
    for (index, part) in scorer.blueprint.parts.iter().enumerate() {
        let prepared = &scorer.positions[index];
        result.parts.push(score_part(scorer, candidate, part, prepared, profile.as_mut(), detail));
    }
    result.profile = profile.map(ProfileBuilder::build).unwrap_or_default();
    let mut pending = Vec::new();
    for part in &result.parts {
        for reason in &part.pending_messages {
            pending.push(
                Message::new(MessageCode::PendingPart)
                    .with("part", part.part.clone())
                    .with_message("reason", reason.clone()),
            );
        }
    }
    for message in pending {
        push(&mut result.pending, &mut result.pending_messages, message);
    }
    let grades: Option<Vec<Decimal>> = result.parts.iter().map(|part| part.grade).collect();
    let Some(grades) = grades else {
        result.outcome = Outcome::Pending;
        decide(&mut result, Message::new(MessageCode::DecisionPartGradeMissing));
        return result;
    };
    let weights: Vec<Decimal> = result.parts.iter().map(|part| part.weight).collect();
    let rounding = &scorer.scheme.rounding;
    let overall = match calc::mean_with(
        &grades,
        &weights,
        rounding.overall,
        rounding.overall_direction,
        detail.explain(),
    ) {
        Ok(overall) => overall,
        Err(error) => {
            result.outcome = Outcome::Pending;
            let decision =
                Message::new(MessageCode::DecisionOverallIncalculable).with_message("error", error.message());
            push(&mut result.pending, &mut result.pending_messages, decision.clone());
            decide(&mut result, decision);
            return result;
        }
    };
    result.conditions = judge(scorer.scheme, &result.parts, overall.value);
    let failed: Vec<&ConditionResult> = result.conditions.iter().filter(|c| !c.satisfied).collect();
    let decision = if failed.is_empty() {
        result.outcome = Outcome::Passed;
        Message::new(MessageCode::DecisionPassed)
    } else {
        result.outcome = Outcome::Failed;
        let reasons: Vec<Message> = failed.iter().filter_map(|c| c.explanation_message.clone()).collect();
        Message::new(MessageCode::DecisionFailed).with_list("conditions", reasons)
    };
    decide(&mut result, decision.with("grade", display_grade(overall.value)));
    result.overall = Some(overall);
    result
}

/// Sets the decision of `result`, with its French text.
fn decide(result: &mut CandidateResult, decision: Message) {
    result.decision = decision.french();
    result.decision_message = Some(decision);
}

pub(super) fn score_part(
    scorer: &Scorer<'_>,
    candidate: &Candidate,
    part: &Part,
    prepared: &[PreparedPosition<'_>],
    mut profile: Option<&mut ProfileBuilder>,
    detail: Detail,
) -> PartResult {
    let mut result = PartResult {
        part: part.id.clone(),
        title: detail.text(|| part.title.fr.clone()),
        weight: part.weight.normalize(),
        grade: None,
        calculation: None,
        carried: None,
        carried_message: None,
        positions: Vec::new(),
        pending: Vec::new(),
        pending_messages: Vec::new(),
    };
    if let Some(carried) = candidate.carried_parts.iter().find(|carried| carried.part == part.id) {
        result.grade = Some(at_step_decimals(carried.grade, scorer.scheme.rounding.part));
        let message = match &carried.from_session {
            Some(session) => Message::new(MessageCode::CarriedFromSession).with("session", session.clone()),
            None => Message::new(MessageCode::CarriedEarlierAttempt),
        };
        result.carried = Some(message.french());
        result.carried_message = Some(message);
        return result;
    }
    for (position, prepared) in part.positions.iter().zip(prepared) {
        let case = scorer.case_of(candidate, &position.id);
        let prepared = case.and_then(|case| case.own_rubric(&position.id)).unwrap_or(prepared);
        let case = case.map(|case| case.case);
        let position_result =
            score_position(scorer, candidate, part, position, prepared, case, profile.as_deref_mut(), detail);
        for reason in &position_result.pending_messages {
            push(
                &mut result.pending,
                &mut result.pending_messages,
                Message::new(MessageCode::PendingPosition)
                    .with("position", position.id.clone())
                    .with_message("reason", reason.clone()),
            );
        }
        result.positions.push(position_result);
    }
    let grades: Option<Vec<Decimal>> = result.positions.iter().map(|position| position.grade).collect();
    if let Some(grades) = grades {
        let weights: Vec<Decimal> = part.positions.iter().map(|position| position.weight).collect();
        let rounding = &scorer.scheme.rounding;
        match calc::mean_with(&grades, &weights, rounding.part, rounding.part_direction, detail.explain()) {
            Ok(mean) => {
                result.grade = Some(mean.value);
                result.calculation = Some(mean);
            }
            Err(error) => push(
                &mut result.pending,
                &mut result.pending_messages,
                Message::new(MessageCode::PendingPartIncalculable).with_message("error", error.message()),
            ),
        }
    }
    result
}

#[allow(clippy::too_many_arguments)]
pub(super) fn score_position(
    scorer: &Scorer<'_>,
    candidate: &Candidate,
    part: &Part,
    position: &Position,
    prepared: &PreparedPosition<'_>,
    case: Option<&CaseStudy>,
    profile: Option<&mut ProfileBuilder>,
    detail: Detail,
) -> PositionResult {
    let rubric = prepared.rubric;
    let mut result = PositionResult {
        position: position.id.clone(),
        title: detail.text(|| position.title.fr.clone()),
        weight: position.weight.normalize(),
        rubric: DocumentRef {
            id: detail
                .text(|| rubric.map(|rubric| rubric.id.clone()).unwrap_or_else(|| position.rubric.clone())),
            version: detail.text(|| rubric.map(|rubric| rubric.version.clone()).unwrap_or_default()),
        },
        case: case.filter(|_| detail.explain()).map(CaseUsed::of),
        evaluations: Vec::new(),
        agreed: None,
        arbiter: None,
        comparison: None,
        reconciliation: None,
        grade: None,
        grade_source: None,
        grade_source_message: None,
        pending: Vec::new(),
        pending_messages: Vec::new(),
    };
    let Some(rubric) = rubric else {
        let rubric_id = case.and_then(|case| case.rubric.as_deref()).unwrap_or(&position.rubric);
        push(
            &mut result.pending,
            &mut result.pending_messages,
            Message::new(MessageCode::PendingRubricMissing).with("rubric", rubric_id),
        );
        return result;
    };
    let Some(scoring) = candidate.positions.iter().find(|scoring| scoring.position == position.id) else {
        push(
            &mut result.pending,
            &mut result.pending_messages,
            Message::new(MessageCode::PendingNoEvaluation),
        );
        return result;
    };
    let default_language = scorer.header.remark_language;
    for evaluation in &scoring.evaluations {
        result.evaluations.push(score_evaluation(
            scorer.scheme,
            rubric,
            &prepared.criteria,
            case,
            Some(&evaluation.examiner),
            &evaluation.answers,
            Remark {
                text: evaluation.remark.as_ref(),
                language: evaluation.remark_language.or(default_language),
            },
            detail,
        ));
    }
    result.agreed = scoring.agreed.as_ref().map(|agreed| {
        score_evaluation(
            scorer.scheme,
            rubric,
            &prepared.criteria,
            case,
            None,
            &agreed.answers,
            Remark { text: agreed.remark.as_ref(), language: agreed.remark_language.or(default_language) },
            detail,
        )
    });

    result.arbiter = scoring.arbiter.as_ref().map(|arbiter| {
        score_evaluation(
            scorer.scheme,
            rubric,
            &prepared.criteria,
            case,
            Some(&arbiter.examiner),
            &arbiter.answers,
            Remark { text: arbiter.remark.as_ref(), language: arbiter.remark_language.or(default_language) },
            detail,
        )
    });

    let mode = part.reconciliation;
    let awaiting: &[String] = scoring.agreed.as_ref().map_or(&[], |agreed| &agreed.awaiting_confirmation);
    if result.evaluations.len() >= 2 {
        let has_agreed = result.agreed.is_some() && awaiting.is_empty();
        result.comparison = Some(compare(scorer.scheme, &result.evaluations, has_agreed, detail));
    }
    let reconciled = reconcile(scorer.scheme, part, &mut result, awaiting);
    if mode != Reconciliation::Agreed
        && reconciled.official.is_some()
        && let Some(comparison) = result.comparison.as_mut()
        && comparison.status == DiscrepancyStatus::Open
    {
        // A mean or an arbiter's evaluation settles the difference.
        comparison.status = DiscrepancyStatus::Agreed;
    }
    let Reconciled { official, rule, sources, calculation, explanation } = reconciled;
    result.reconciliation = Some(ReconciliationResult {
        mode,
        rule,
        sources,
        calculation: calculation.clone().filter(|_| detail.explain()),
        explanation: detail.text(|| explanation.french()),
        explanation_message: detail.explain().then(|| explanation.clone()),
    });
    match official {
        Some(Official::Evaluation(which)) => {
            let evaluation = match which {
                Which::Examiner(index) => &result.evaluations[index],
                Which::Agreed => result.agreed.as_ref().unwrap_or(&result.evaluations[0]),
                Which::Arbiter => result.arbiter.as_ref().unwrap_or(&result.evaluations[0]),
            };
            result.grade = evaluation.grade.as_ref().map(|grade| grade.grade);
            // In French only where the result is explained (the grades
            // alone do not keep it).
            result.grade_source = detail.explain().then(|| explanation.french());
            result.grade_source_message = Some(explanation);
            // The scored criteria follow the rubric's order, as do the attributions.
            if let Some(profile) = profile {
                for (score, attribution) in evaluation.criteria.iter().zip(&prepared.attributions) {
                    if let Mark::Points(_) = score.mark {
                        profile.add(attribution, score.points, score.max_points);
                    }
                }
            }
        }
        Some(Official::Mean(grade)) => {
            result.grade = Some(grade);
            result.grade_source = detail.explain().then(|| explanation.french());
            result.grade_source_message = Some(explanation);
            // Each examiner's evaluation counts for its share, so that the
            // position weighs as much in the profile as a position with one
            // official evaluation.
            if let Some(profile) = profile {
                let share = Decimal::from(result.evaluations.len());
                for evaluation in &result.evaluations {
                    for (score, attribution) in evaluation.criteria.iter().zip(&prepared.attributions) {
                        if let Mark::Points(_) = score.mark {
                            profile.add(
                                attribution,
                                score.points.checked_div(share).unwrap_or(score.points),
                                score.max_points.checked_div(share).unwrap_or(score.max_points),
                            );
                        }
                    }
                }
            }
        }
        None => {}
    }
    result
}

/// Which evaluation of a position is official.
#[derive(Debug, Clone, Copy)]
enum Which {
    Examiner(usize),
    Agreed,
    Arbiter,
}

/// What makes a position's official grade.
#[derive(Debug, Clone, Copy)]
enum Official {
    Evaluation(Which),
    Mean(Decimal),
}

/// The outcome of a reconciliation: the official evaluation or grade (if
/// any), the rule, and its explanation.
struct Reconciled {
    official: Option<Official>,
    rule: ReconciliationRule,
    sources: Vec<GradeSourceRef>,
    calculation: Option<ExplainedMean>,
    explanation: Message,
}

impl Reconciled {
    fn waiting(rule: ReconciliationRule, explanation: Message) -> Reconciled {
        Reconciled { official: None, rule, sources: Vec::new(), calculation: None, explanation }
    }

    fn evaluation(
        which: Which,
        rule: ReconciliationRule,
        source: GradeSourceRef,
        explanation: Message,
    ) -> Reconciled {
        Reconciled {
            official: Some(Official::Evaluation(which)),
            rule,
            sources: vec![source],
            calculation: None,
            explanation,
        }
    }
}

fn examiner_source(evaluation: &EvaluationResult) -> GradeSourceRef {
    GradeSourceRef::Examiner(evaluation.examiner.clone().unwrap_or_default())
}

/// Applies the part's reconciliation mode to a position whose evaluations
/// are scored (and compared), pushing the pending reasons.
fn reconcile(
    scheme: &GradingScheme,
    part: &Part,
    result: &mut PositionResult,
    awaiting: &[String],
) -> Reconciled {
    let mode = part.reconciliation;
    let expected = part.examiners as usize;
    // An agreed evaluation prevails in every mode: in the `agreed` mode it is
    // the examiners' joint one; in the others only a board's correction
    // (after finalisation) puts one there, and it must count.
    if let Some(agreed) = &result.agreed {
        if agreed.incomplete.is_empty() && !awaiting.is_empty() {
            let names = awaiting.join(", ");
            push(
                &mut result.pending,
                &mut result.pending_messages,
                Message::new(MessageCode::PendingAwaitingConfirmation).with("names", names.clone()),
            );
            return Reconciled::waiting(
                ReconciliationRule::AwaitingConfirmation,
                Message::new(MessageCode::ReconciliationAwaitingConfirmation).with("names", names),
            );
        }
        if agreed.incomplete.is_empty() {
            return Reconciled::evaluation(
                Which::Agreed,
                ReconciliationRule::Agreed,
                GradeSourceRef::Agreed,
                Message::new(MessageCode::ReconciliationAgreed),
            );
        }
        let reasons: Vec<Message> = agreed
            .incomplete_messages
            .iter()
            .map(|reason| {
                Message::new(MessageCode::PendingAgreedIncomplete).with_message("reason", reason.clone())
            })
            .collect();
        for reason in reasons {
            push(&mut result.pending, &mut result.pending_messages, reason);
        }
        return Reconciled::waiting(
            ReconciliationRule::AwaitingAgreement,
            Message::new(MessageCode::ReconciliationAgreedIncomplete),
        );
    }
    let mut reasons = Vec::new();
    for evaluation in &result.evaluations {
        for reason in &evaluation.incomplete_messages {
            let examiner = evaluation.examiner.as_deref().unwrap_or("?");
            reasons.push(
                Message::new(MessageCode::PendingEvaluationIncomplete)
                    .with("examiner", examiner)
                    .with_message("reason", reason.clone()),
            );
        }
    }
    if result.evaluations.len() < expected {
        reasons.push(
            Message::new(MessageCode::PendingEvaluationsExpected)
                .with("expected", expected.to_string())
                .with("entered", result.evaluations.len().to_string()),
        );
    }
    for reason in reasons {
        push(&mut result.pending, &mut result.pending_messages, reason);
    }
    if !result.pending.is_empty() {
        return Reconciled::waiting(
            ReconciliationRule::AwaitingEvaluations,
            Message::new(MessageCode::ReconciliationAwaitingEvaluations),
        );
    }
    if result.evaluations.len() == 1 {
        return Reconciled::evaluation(
            Which::Examiner(0),
            ReconciliationRule::Single,
            examiner_source(&result.evaluations[0]),
            Message::new(MessageCode::ReconciliationSingle),
        );
    }
    let identical = result.comparison.as_ref().is_some_and(|comparison| comparison.identical);
    match mode {
        Reconciliation::Agreed => {
            if identical && scheme.double_marking.identical_agree {
                Reconciled::evaluation(
                    Which::Examiner(0),
                    ReconciliationRule::Identical,
                    examiner_source(&result.evaluations[0]),
                    Message::new(MessageCode::ReconciliationIdentical),
                )
            } else if identical {
                push(
                    &mut result.pending,
                    &mut result.pending_messages,
                    Message::new(MessageCode::PendingIdenticalNeedsAgreement),
                );
                Reconciled::waiting(
                    ReconciliationRule::AwaitingAgreement,
                    Message::new(MessageCode::ReconciliationNeedsExplicitAgreement),
                )
            } else {
                push(
                    &mut result.pending,
                    &mut result.pending_messages,
                    Message::new(MessageCode::PendingOpenDiscrepancy),
                );
                Reconciled::waiting(
                    ReconciliationRule::AwaitingAgreement,
                    Message::new(MessageCode::ReconciliationAwaitingAgreement),
                )
            }
        }
        Reconciliation::Mean => mean_of_examiners(scheme, result, MessageCode::ReconciliationMean),
        Reconciliation::Arbitration => {
            let flags: Vec<Message> = result
                .comparison
                .as_ref()
                .map(|comparison| comparison.flags.iter().filter_map(|flag| flag.detail.clone()).collect())
                .unwrap_or_default();
            if flags.is_empty() {
                let mut reconciled = mean_of_examiners(scheme, result, MessageCode::ReconciliationMeanNoFlag);
                if result.arbiter.is_some()
                    && reconciled.explanation.code == MessageCode::ReconciliationMeanNoFlag
                {
                    reconciled.explanation.code = MessageCode::ReconciliationMeanNoFlagArbiterUnused;
                }
                return reconciled;
            }
            match &result.arbiter {
                Some(arbiter) if arbiter.incomplete.is_empty() => {
                    let name = arbiter.examiner.clone().unwrap_or_default();
                    Reconciled::evaluation(
                        Which::Arbiter,
                        ReconciliationRule::Arbiter,
                        GradeSourceRef::Arbiter(name.clone()),
                        Message::new(MessageCode::ReconciliationArbiter)
                            .with_list("flags", flags)
                            .with("arbiter", name),
                    )
                }
                Some(arbiter) => {
                    let name = arbiter.examiner.as_deref().unwrap_or("?").to_owned();
                    let reasons: Vec<Message> = arbiter
                        .incomplete_messages
                        .iter()
                        .map(|reason| {
                            Message::new(MessageCode::PendingArbiterIncomplete)
                                .with("arbiter", name.clone())
                                .with_message("reason", reason.clone())
                        })
                        .collect();
                    for reason in reasons {
                        push(&mut result.pending, &mut result.pending_messages, reason);
                    }
                    Reconciled::waiting(
                        ReconciliationRule::AwaitingArbiter,
                        Message::new(MessageCode::ReconciliationArbiterIncomplete).with_list("flags", flags),
                    )
                }
                None => {
                    push(
                        &mut result.pending,
                        &mut result.pending_messages,
                        Message::new(MessageCode::PendingArbiterMissing).with_list("flags", flags.clone()),
                    );
                    Reconciled::waiting(
                        ReconciliationRule::AwaitingArbiter,
                        Message::new(MessageCode::ReconciliationArbiterAwaited).with_list("flags", flags),
                    )
                }
            }
        }
    }
}

/// The mean of the examiners' complete evaluations' grades, rounded as the
/// scheme rounds position grades; `code` says which mode asked for it.
fn mean_of_examiners(scheme: &GradingScheme, result: &mut PositionResult, code: MessageCode) -> Reconciled {
    let grades: Vec<Decimal> = result
        .evaluations
        .iter()
        .filter_map(|evaluation| evaluation.grade.as_ref().map(|grade| grade.grade))
        .collect();
    let weights = vec![Decimal::ONE; grades.len()];
    let rounding = &scheme.rounding;
    // Explained whatever the detail asked: the grade source names the
    // numbers, and the mean of two grades is cheap.
    match calc::mean_with(&grades, &weights, rounding.position, rounding.position_direction, true) {
        Ok(mean) => {
            let value = at_step_decimals(mean.value, rounding.position);
            let listed: Vec<String> = grades.iter().map(|grade| display_grade(*grade)).collect();
            let explanation = Message::new(code)
                .with("grades", listed.join(", "))
                .with("unrounded", display(mean.unrounded))
                .with("grade", display_grade(value));
            Reconciled {
                official: Some(Official::Mean(value)),
                rule: ReconciliationRule::Mean,
                sources: result.evaluations.iter().map(examiner_source).collect(),
                calculation: Some(mean),
                explanation,
            }
        }
        Err(error) => {
            push(
                &mut result.pending,
                &mut result.pending_messages,
                Message::new(MessageCode::PendingMeanIncalculable).with_message("error", error.message()),
            );
            Reconciled::waiting(
                ReconciliationRule::AwaitingEvaluations,
                Message::new(MessageCode::ReconciliationMeanIncalculable)
                    .with_message("error", error.message()),
            )
        }
    }
}

/// Scores one evaluation's answers with `rubric` (and the case the
/// candidate sat) as the engine scores every evaluation of a session: the
/// points and maximum of the criteria answered with a level, the reasons
/// it is incomplete, and its grade when it is complete. The examiner's
/// form previews answers being entered with it.
pub fn score_evaluation_answers(
    scheme: &GradingScheme,
    rubric: &Rubric,
    case: Option<&CaseStudy>,
    answers: &[Answer],
) -> EvaluationResult {
    score_evaluation(scheme, rubric, &[], case, None, answers, Remark::default(), Detail::Full)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn score_evaluation(
    scheme: &GradingScheme,
    rubric: &Rubric,
    prepared: &[PreparedCriterion],
    case: Option<&CaseStudy>,
    examiner: Option<&String>,
    answers: &[Answer],
    remark: Remark<'_>,
    detail: Detail,
) -> EvaluationResult {
    let problems = rubric.check_answers(answers, case, Completeness::Complete);
    // The reasons name an unknown or repeated answer first, then the
    // criteria in the rubric's order.
    let mut incomplete: Vec<String> = Vec::new();
    let mut incomplete_messages: Vec<Message> = Vec::new();
    if !problems.is_empty() {
        let mut ordered: Vec<&AnswerProblem> = problems.iter().collect();
        ordered.sort_by_key(|problem| {
            if problem.about_the_answer() {
                (0, problem.index.unwrap_or_default())
            } else {
                (1, rubric.criteria.iter().position(|c| c.id == problem.criterion).unwrap_or_default())
            }
        });
        for problem in ordered {
            push(&mut incomplete, &mut incomplete_messages, problem.message(rubric));
        }
    }
    let in_rubric_order = answers.len() == rubric.criteria.len()
        && answers.iter().zip(&rubric.criteria).all(|(answer, criterion)| answer.criterion == criterion.id);
    let mut criteria = Vec::with_capacity(rubric.criteria.len());
    let mut points = Decimal::ZERO;
    let mut max_points = Decimal::ZERO;
    for (index, criterion) in rubric.criteria.iter().enumerate() {
        // The first answer naming the criterion is the one that counts.
        let answered = if in_rubric_order {
            answers.get(index).map(|answer| (index, answer))
        } else {
            answers.iter().enumerate().find(|(_, answer)| answer.criterion == criterion.id)
        };
        let answer = answered.map(|(_, answer)| answer);
        let faulty = answered.is_some_and(|(at, _)| problems.iter().any(|problem| problem.index == Some(at)));
        let mark = match answer {
            _ if case.is_some_and(|case| case.leaves_out(&criterion.id)) => Mark::NotAssessedInCase,
            None => Mark::Missing,
            Some(_) if faulty => Mark::Missing,
            Some(Answer { points: Some(given), .. }) => Mark::Points(given.normalize()),
            Some(Answer { not_assessable: true, .. }) => Mark::NotAssessable,
            Some(_) => Mark::Missing,
        };
        let numbers = prepared.get(index).copied().unwrap_or_else(|| PreparedCriterion::of(criterion));
        let (criterion_points, criterion_max) = match mark {
            Mark::Points(level) => {
                let points = if numbers.weight == Decimal::ONE {
                    level
                } else {
                    level.saturating_mul(criterion.weight)
                };
                (points.normalize(), numbers.max_weighted)
            }
            Mark::NotAssessable | Mark::NotAssessedInCase | Mark::Missing => (Decimal::ZERO, Decimal::ZERO),
        };
        points = points.saturating_add(criterion_points);
        max_points = max_points.saturating_add(criterion_max);
        criteria.push(CriterionScore {
            criterion: detail.text(|| criterion.id.clone()),
            mark,
            weight: numbers.weight,
            points: criterion_points,
            max_points: criterion_max,
            remark: answer.filter(|_| detail.explain()).and_then(|answer| answer.remark.clone()),
        });
    }
    if incomplete.is_empty() && max_points <= Decimal::ZERO {
        push(&mut incomplete, &mut incomplete_messages, Message::new(MessageCode::EvaluationNoMaximum));
    }
    let grade = if incomplete.is_empty() {
        match calc::points_to_grade_with(points, max_points, scheme, detail.explain()) {
            Ok(grade) => Some(grade),
            Err(error) => {
                push(
                    &mut incomplete,
                    &mut incomplete_messages,
                    Message::new(MessageCode::EvaluationIncalculable).with_message("error", error.message()),
                );
                None
            }
        }
    } else {
        None
    };
    EvaluationResult {
        examiner: examiner.cloned(),
        criteria,
        points: points.normalize(),
        max_points: max_points.normalize(),
        grade,
        incomplete,
        incomplete_messages,
        remark: remark.text.filter(|_| detail.explain()).cloned(),
        remark_language: remark.language.filter(|_| detail.explain()),
    }
}

/// An evaluation's remarks as the engine keeps them: the overall remark
/// and the language of every remark of the evaluation (its own, else the
/// session's).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Remark<'a> {
    pub(super) text: Option<&'a String>,
    pub(super) language: Option<CaseLanguage>,
}
