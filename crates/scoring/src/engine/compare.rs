//! Double marking: two examiners' evaluations compared criterion by
//! criterion and grade by grade, with the flags the scheme asks for.

use rust_decimal::Decimal;

use crate::decimal::{display, display_grade};
use crate::message::{Message, MessageCode};
use crate::scheme::GradingScheme;

use super::{
    Comparison, CriterionComparison, Detail, DiscrepancyFlag, DiscrepancyStatus, EvaluationResult,
    ExaminerGrade, FlagKind, Mark,
};

pub(super) fn compare(
    scheme: &GradingScheme,
    evaluations: &[EvaluationResult],
    has_agreed: bool,
    detail: Detail,
) -> Comparison {
    // Without explanation, whether every criterion agrees, without the
    // criterion by criterion list.
    let all_agree = || {
        evaluations[0].criteria.iter().enumerate().all(|(index, first)| {
            evaluations.iter().all(|evaluation| {
                evaluation.criteria.get(index).map(|score| score.mark).unwrap_or(Mark::Missing) == first.mark
            })
        })
    };
    let criteria: Vec<CriterionComparison> = if !detail.explain() {
        Vec::new()
    } else {
        evaluations[0]
            .criteria
            .iter()
            .enumerate()
            .map(|(index, first)| {
                let marks: Vec<Mark> = evaluations
                    .iter()
                    .map(|evaluation| {
                        evaluation.criteria.get(index).map(|score| score.mark).unwrap_or(Mark::Missing)
                    })
                    .collect();
                let agree = marks.iter().all(|mark| *mark == marks[0]);
                CriterionComparison { criterion: first.criterion.clone(), marks, agree }
            })
            .collect()
    };
    let grades: Vec<ExaminerGrade> = evaluations
        .iter()
        .map(|evaluation| ExaminerGrade {
            examiner: detail.text(|| evaluation.examiner.clone().unwrap_or_default()),
            grade: evaluation.grade.as_ref().map(|grade| grade.grade),
        })
        .collect();
    let known: Option<Vec<Decimal>> = grades.iter().map(|grade| grade.grade).collect();
    let criteria_agree =
        if detail.explain() { criteria.iter().all(|criterion| criterion.agree) } else { all_agree() };
    let identical = criteria_agree && evaluations.iter().all(|evaluation| evaluation.incomplete.is_empty());
    let mut flags = Vec::new();
    let mut difference = None;
    if let Some(known) = known {
        let highest = known.iter().copied().max().unwrap_or(Decimal::ZERO);
        let lowest = known.iter().copied().min().unwrap_or(Decimal::ZERO);
        let gap = highest - lowest;
        difference = Some(gap.normalize());
        let step = scheme.double_marking.discrepancy_step;
        if gap >= step {
            flags.push(flag(
                FlagKind::Step,
                Message::new(MessageCode::FlagStep)
                    .with("gap", display(gap))
                    .with("lowest", display_grade(lowest))
                    .with("highest", display_grade(highest))
                    .with("step", display(step)),
            ));
        }
        let pass = scheme.scale.pass_mark;
        if scheme.double_marking.flag_straddle && lowest < pass && highest >= pass {
            flags.push(flag(
                FlagKind::Straddle,
                Message::new(MessageCode::FlagStraddle)
                    .with("lowest", display_grade(lowest))
                    .with("highest", display_grade(highest))
                    .with("pass", display_grade(pass)),
            ));
        }
    }
    let status = if identical {
        DiscrepancyStatus::None
    } else if has_agreed {
        DiscrepancyStatus::Agreed
    } else {
        DiscrepancyStatus::Open
    };
    Comparison { criteria, grades, difference, identical, flags, status }
}

fn flag(kind: FlagKind, detail: Message) -> DiscrepancyFlag {
    DiscrepancyFlag { kind, message: detail.french(), detail: Some(detail) }
}
