//! Checks of the documents a session pins and of each candidate against
//! them, with pointers into the session file or the named document.

use grille_competence::Problem;

use crate::blueprint::Blueprint;
use crate::calc::on_step;
use crate::decimal::display;
use crate::rubric::Rubric;
use crate::scheme::GradingScheme;
use crate::session::{Candidate, SessionHeader};

use super::SessionDocuments;

pub(super) fn prefixed(problems: Vec<Problem>, document: &str) -> impl Iterator<Item = Problem> + '_ {
    problems
        .into_iter()
        .map(move |problem| Problem::new(problem.pointer, format!("{document} : {}", problem.message)))
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
    problems.extend(prefixed(scheme.check(), "barème"));
    problems.extend(prefixed(blueprint.check(catalogue), "plan d'examen"));
    for rubric in rubrics {
        problems
            .extend(prefixed(rubric.check(catalogue), &format!("grille {}", rubric.id)).collect::<Vec<_>>());
    }
    problems.extend(prefixed(session.check(), "session"));

    for (name, reference, id, version) in [
        ("scheme", &session.scheme, &scheme.id, &scheme.version),
        ("blueprint", &session.blueprint, &blueprint.id, &blueprint.version),
    ] {
        if reference.id != *id || reference.version != *version {
            problems.push(Problem::new(
                format!("/{name}"),
                format!(
                    "session : le document épinglé est {} version {}, mais le document fourni est {id} version {version}",
                    reference.id, reference.version
                ),
            ));
        }
    }
    for (index, reference) in session.rubrics.iter().enumerate() {
        if !rubrics.iter().any(|rubric| rubric.id == reference.id && rubric.version == reference.version) {
            problems.push(Problem::new(
                format!("/rubrics/{index}"),
                format!(
                    "session : la grille {} version {} n'est pas fournie",
                    reference.id, reference.version
                ),
            ));
        }
    }
    for id in blueprint.rubric_ids() {
        if !session.rubrics.iter().any(|reference| reference.id == id) {
            problems.push(Problem::new(
                "/rubrics",
                format!("session : la grille {id}, utilisée par le plan d'examen, n'est pas épinglée (id et version)"),
            ));
        }
    }
    for (index, reference) in session.cases.iter().enumerate() {
        let Some(case) =
            cases.iter().find(|case| case.id == reference.id && case.version == reference.version)
        else {
            problems.push(Problem::new(
                format!("/cases/{index}"),
                format!("session : le cas {} version {} n'est pas fourni", reference.id, reference.version),
            ));
            continue;
        };
        let name = format!("cas {}", case.id);
        problems.extend(prefixed(case.check(catalogue), &name).collect::<Vec<_>>());
        let against = case.check_against(blueprint, |id| pinned_rubric(rubrics, session, id));
        problems.extend(prefixed(against, &name).collect::<Vec<_>>());
        if let Some(rubric) = &case.rubric
            && !session.rubrics.iter().any(|reference| reference.id == *rubric)
        {
            problems.push(Problem::new(
                "/rubrics",
                format!("session : la grille {rubric}, utilisée par le cas {}, n'est pas épinglée (id et version)", case.id),
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
                format!("barème : l'épreuve {part} n'existe pas dans le plan d'examen {}", blueprint.id),
            ));
        }
    }
    for (index, minimum) in rule.position_minimums.iter().enumerate() {
        if blueprint.position(&minimum.position).is_none() {
            problems.push(Problem::new(
                format!("/pass_rule/position_minimums/{index}/position"),
                format!(
                    "barème : le point d'appréciation {} n'existe pas dans le plan d'examen {}",
                    minimum.position, blueprint.id
                ),
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
            format!(
                "session : tentative n° {} alors que le barème en admet {}",
                candidate.attempt, scheme.max_attempts
            ),
        ));
    }
    for (k, carried) in candidate.carried_parts.iter().enumerate() {
        let pointer = format!("{base}/carried_parts/{k}");
        if blueprint.part(&carried.part).is_none() {
            problems.push(Problem::new(
                format!("{pointer}/part"),
                format!("session : l'épreuve {} n'existe pas dans le plan d'examen", carried.part),
            ));
        }
        if carried.grade < scheme.scale.pass_mark || carried.grade > scheme.scale.max {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                format!(
                    "session : seule une épreuve réussie est reportée ; la note {} doit être entre {} et {}",
                    display(carried.grade),
                    display(scheme.scale.pass_mark),
                    display(scheme.scale.max)
                ),
            ));
        } else if !on_step(carried.grade, scheme.rounding.part) {
            problems.push(Problem::new(
                format!("{pointer}/grade"),
                format!(
                    "session : la note reportée {} n'est pas arrondie au pas des notes d'épreuve du barème ({}) : une note d'épreuve en est toujours un multiple",
                    display(carried.grade),
                    display(scheme.rounding.part)
                ),
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
                format!(
                    "session : le point d'appréciation {} n'existe pas dans le plan d'examen",
                    scoring.position
                ),
            )),
            Some((part, _)) => {
                if candidate.carried_parts.iter().any(|carried| carried.part == part.id) {
                    problems.push(Problem::new(
                            pointer(),
                            format!(
                                "session : l'épreuve {} est reportée d'une tentative précédente et ne peut pas être évaluée à nouveau",
                                part.id
                            ),
                        ));
                }
            }
        }
    }
}
