//! Checks of the documents a session pins and of each candidate against
//! them, with pointers into the session file or the named document.

use crate::message::{Message, MessageCode};
use grille_competence::Problem;

use crate::blueprint::Blueprint;
use crate::calc::on_step;
use crate::decimal::display;
use crate::rubric::Rubric;
use crate::scheme::GradingScheme;
use crate::session::{Candidate, SessionHeader};

use super::SessionDocuments;

pub(super) fn prefixed(problems: Vec<Problem>, document: Message) -> impl Iterator<Item = Problem> {
    problems
        .into_iter()
        .map(move |problem| Problem::new(problem.pointer, problem.detail.in_document(document.clone())))
}

/// The document `code` names, with its `id` if it has one.
pub(super) fn document(code: MessageCode, id: Option<&str>) -> Message {
    let message = Message::new(code);
    match id {
        Some(id) => message.with("id", id),
        None => message,
    }
}

pub(super) fn pinned_rubric<'a>(
    rubrics: &'a [Rubric],
    header: &SessionHeader,
    id: &str,
) -> Option<&'a Rubric> {
    let reference = header.rubrics.iter().find(|reference| reference.id == id)?;
    rubrics.iter().find(|rubric| rubric.id == reference.id && rubric.version == reference.version)
}

pub(super) fn check_documents(documents: &SessionDocuments<'_>, session: &SessionHeader) -> Vec<Problem> {
    let SessionDocuments { catalogue, scheme, blueprint, rubrics, cases } = *documents;
    let mut problems: Vec<Problem> = Vec::new();
    problems.extend(prefixed(scheme.check(), document(MessageCode::DocumentScheme, None)));
    problems.extend(prefixed(blueprint.check(catalogue), document(MessageCode::DocumentBlueprint, None)));
    for rubric in rubrics {
        problems.extend(
            prefixed(rubric.check(catalogue), document(MessageCode::DocumentRubric, Some(&rubric.id)))
                .collect::<Vec<_>>(),
        );
    }
    problems.extend(prefixed(session.check(), document(MessageCode::DocumentSession, None)));

    for (name, reference, id, version) in [
        ("scheme", &session.scheme, &scheme.id, &scheme.version),
        ("blueprint", &session.blueprint, &blueprint.id, &blueprint.version),
    ] {
        if reference.id != *id || reference.version != *version {
            problems.push(Problem::new(
                format!("/{name}"),
                Message::new(MessageCode::SessionPinnedMismatch)
                    .with("pinned", reference.id.to_string())
                    .with("pinned_version", reference.version.to_string())
                    .with("id", id.to_string())
                    .with("version", version.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
    }
    for (index, reference) in session.rubrics.iter().enumerate() {
        if !rubrics.iter().any(|rubric| rubric.id == reference.id && rubric.version == reference.version) {
            problems.push(Problem::new(
                format!("/rubrics/{index}"),
                Message::new(MessageCode::SessionRubricNotProvided)
                    .with("rubric", reference.id.to_string())
                    .with("version", reference.version.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
    }
    for id in blueprint.rubric_ids() {
        if !session.rubrics.iter().any(|reference| reference.id == id) {
            problems.push(Problem::new(
                "/rubrics",
                Message::new(MessageCode::SessionBlueprintRubricNotPinned)
                    .with("rubric", id.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
    }
    for (index, reference) in session.cases.iter().enumerate() {
        let Some(case) =
            cases.iter().find(|case| case.id == reference.id && case.version == reference.version)
        else {
            problems.push(Problem::new(
                format!("/cases/{index}"),
                Message::new(MessageCode::SessionCaseNotProvided)
                    .with("case", reference.id.to_string())
                    .with("version", reference.version.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
            continue;
        };
        let name = document(MessageCode::DocumentCase, Some(&case.id));
        problems.extend(prefixed(case.check(catalogue), name.clone()).collect::<Vec<_>>());
        let against = case.check_against(blueprint, |id| pinned_rubric(rubrics, session, id));
        problems.extend(prefixed(against, name).collect::<Vec<_>>());
        if let Some(rubric) = &case.rubric
            && !session.rubrics.iter().any(|reference| reference.id == *rubric)
        {
            problems.push(Problem::new(
                "/rubrics",
                Message::new(MessageCode::SessionCaseRubricNotPinned)
                    .with("rubric", rubric.to_string())
                    .with("case", case.id.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
    }
    let rule = &scheme.pass_rule;
    let parts =
        rule.required_parts
            .iter()
            .enumerate()
            .map(|(index, part)| (format!("/pass_rule/required_parts/{index}"), part))
            .chain(
                rule.part_minimums.iter().enumerate().map(|(index, minimum)| {
                    (format!("/pass_rule/part_minimums/{index}/part"), &minimum.part)
                }),
            );
    for (pointer, part) in parts {
        if blueprint.part(part).is_none() {
            problems.push(Problem::new(
                pointer,
                Message::new(MessageCode::PartNotInNamedBlueprint)
                    .with("part", part.to_string())
                    .with("blueprint", blueprint.id.to_string())
                    .in_document(Message::new(MessageCode::DocumentScheme)),
            ));
        }
    }
    for (index, minimum) in rule.position_minimums.iter().enumerate() {
        if blueprint.position(&minimum.position).is_none() {
            problems.push(Problem::new(
                format!("/pass_rule/position_minimums/{index}/position"),
                Message::new(MessageCode::PositionNotInNamedBlueprint)
                    .with("position", minimum.position.to_string())
                    .with("blueprint", blueprint.id.to_string())
                    .in_document(Message::new(MessageCode::DocumentScheme)),
            ));
        }
    }
    problems
}

pub(super) fn check_candidate_references(
    scheme: &GradingScheme,
    blueprint: &Blueprint,
    index: usize,
    candidate: &Candidate,
    problems: &mut Vec<Problem>,
) {
    let base = format!("/candidates/{index}");
    if candidate.attempt > scheme.max_attempts {
        problems.push(Problem::new(
            format!("{base}/attempt"),
            Message::new(MessageCode::SessionAttemptsExceeded)
                .with("attempt", candidate.attempt.to_string())
                .with("max", scheme.max_attempts.to_string())
                .in_document(Message::new(MessageCode::DocumentSession)),
        ));
    }
    for (k, carried) in candidate.carried_parts.iter().enumerate() {
        let pointer = format!("{base}/carried_parts/{k}");
        if blueprint.part(&carried.part).is_none() {
            problems.push(Problem::new(
                format!("{pointer}/part"),
                Message::new(MessageCode::SessionPartNotInBlueprint)
                    .with("part", carried.part.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
        if carried.grade < scheme.scale.pass_mark || carried.grade > scheme.scale.max {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                Message::new(MessageCode::SessionCarriedGradeRange)
                    .with("grade", display(carried.grade))
                    .with("pass", display(scheme.scale.pass_mark))
                    .with("max", display(scheme.scale.max))
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        } else if !on_step(carried.grade, scheme.rounding.part) {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                Message::new(MessageCode::SessionCarriedGradeStep)
                    .with("grade", display(carried.grade))
                    .with("step", display(scheme.rounding.part))
                    .in_document(Message::new(MessageCode::DocumentSession)),
            ));
        }
    }
    for (k, scoring) in candidate.positions.iter().enumerate() {
        // The pointer is made only for a problem: this runs for every
        // position of every candidate.
        let pointer = || format!("{base}/positions/{k}/position");
        match blueprint.position(&scoring.position) {
            None => problems.push(Problem::new(
                pointer(),
                Message::new(MessageCode::SessionPositionNotInBlueprint)
                    .with("position", scoring.position.to_string())
                    .in_document(Message::new(MessageCode::DocumentSession)),
            )),
            Some((part, _)) => {
                if candidate.carried_parts.iter().any(|carried| carried.part == part.id) {
                    problems.push(Problem::new(
                        pointer(),
                        Message::new(MessageCode::SessionCarriedPartEvaluated)
                            .with("part", part.id.to_string())
                            .in_document(Message::new(MessageCode::DocumentSession)),
                    ));
                }
            }
        }
    }
}
