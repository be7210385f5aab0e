//! The synthetic session of the benchmarks: 3 parts (5 positions), 2
//! examiners, 6 criteria per rubric, linked to the embedded catalogue, with
//! a deterministic mix of withdrawals, differing examiners and agreements.
//! Shared by `score_session` and `batch_score`.

#![allow(dead_code)]

use grille_competence::{Catalogue, LocalizedText};
use grille_scoring::{
    AgreedEvaluation, Answer, Blueprint, Candidate, CandidateStatus, DocumentRef, Evaluation, GradingScheme,
    Level, Part, Position, PositionScoring, Rubric, RubricCriterion, Session,
};
use rust_decimal::Decimal;

/// Positions per part; every rubric has `CRITERIA` criteria.
const POSITIONS_PER_PART: [usize; 3] = [2, 1, 2];
const CRITERIA: usize = 6;

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

pub(crate) fn documents(catalogue: &Catalogue) -> (GradingScheme, Blueprint, Vec<Rubric>) {
    let mut scheme = GradingScheme::with_defaults("bench", "1");
    scheme.pass_rule.max_insufficient_parts = Some(1);
    scheme.pass_rule.min_part_grade = Some(Decimal::from(3));
    let criteria: Vec<String> = catalogue.criteria().map(|(_, criterion)| criterion.id.clone()).collect();
    let competences: Vec<String> = catalogue.competences().map(|competence| competence.id.clone()).collect();
    let mut rubrics = Vec::new();
    let mut parts = Vec::new();
    let mut next_criterion = 0;
    for (p, &count) in POSITIONS_PER_PART.iter().enumerate() {
        let mut positions = Vec::new();
        for k in 0..count {
            let id = format!("{}.{}", p + 1, k + 1);
            let rubric_id = format!("grille-{id}");
            let rubric_criteria = (0..CRITERIA)
                .map(|c| {
                    let first = &criteria[next_criterion % criteria.len()];
                    let second = &criteria[(next_criterion + 7) % criteria.len()];
                    next_criterion += 1;
                    RubricCriterion {
                        id: format!("k{}", c + 1),
                        title: LocalizedText::fr(format!("Critère {} de la position {id}", c + 1)),
                        catalogue_criteria: if c % 3 == 2 {
                            vec![first.clone()]
                        } else {
                            vec![first.clone(), second.clone()]
                        },
                        competences: Vec::new(),
                        levels: (0..4)
                            .map(|points| Level {
                                points: Decimal::from(points),
                                descriptor: LocalizedText::fr(format!("niveau {points}")),
                            })
                            .collect(),
                        weight: if c == 0 { Decimal::TWO } else { Decimal::ONE },
                        not_assessable_allowed: c == CRITERIA - 1,
                    }
                })
                .collect();
            rubrics.push(Rubric {
                id: rubric_id.clone(),
                version: "1".to_owned(),
                title: LocalizedText::fr(format!("Grille {id}")),
                criteria: rubric_criteria,
                translation: None,
            });
            positions.push(Position {
                id,
                title: LocalizedText::fr("Point d'appréciation"),
                weight: Decimal::ONE,
                rubric: rubric_id,
                competences: vec![competences[(p * 3 + k) % competences.len()].clone()],
            });
        }
        parts.push(Part {
            id: format!("{}", p + 1),
            title: LocalizedText::fr(format!("Épreuve {}", p + 1)),
            weight: Decimal::ONE,
            examiners: 2,
            reconciliation: Default::default(),
            positions,
        });
    }
    let blueprint = Blueprint {
        id: "bench".to_owned(),
        version: "1".to_owned(),
        title: LocalizedText::fr("Examen de mesure"),
        assumptions: Vec::new(),
        parts,
        translation: None,
    };
    (scheme, blueprint, rubrics)
}

pub(crate) fn session(blueprint: &Blueprint, rubrics: &[Rubric], candidates: usize) -> Session {
    let mut random = Lcg(42);
    let candidates = (0..candidates)
        .map(|n| {
            let status = match random.next(100) {
                0 => CandidateStatus::WithdrawnExcused,
                1 => CandidateStatus::WithdrawnUnexcused,
                _ => CandidateStatus::Present,
            };
            let mut positions = Vec::new();
            if status == CandidateStatus::Present {
                let skill = 1 + random.next(3);
                for position in blueprint.parts.iter().flat_map(|part| &part.positions) {
                    let rubric = rubrics.iter().find(|rubric| rubric.id == position.rubric).unwrap();
                    let first: Vec<Answer> = rubric
                        .criteria
                        .iter()
                        .map(|criterion| {
                            let not_assessable = criterion.not_assessable_allowed && random.next(10) == 0;
                            Answer {
                                criterion: criterion.id.clone(),
                                points: (!not_assessable)
                                    .then(|| Decimal::from((skill + random.next(2)).min(3))),
                                not_assessable,
                                remark: (random.next(20) == 0).then(|| "observation".to_owned()),
                            }
                        })
                        .collect();
                    let mut second = first.clone();
                    let differs = random.next(10) < 3;
                    if differs {
                        let index = random.next(second.len() as u64) as usize;
                        second[index].points = Some(Decimal::from(random.next(4)));
                        second[index].not_assessable = false;
                    }
                    let agreed = (differs && random.next(2) == 0).then(|| AgreedEvaluation {
                        remark_language: None,
                        examiners: vec!["E1".to_owned(), "E2".to_owned()],
                        answers: first.clone(),
                        remark: Some("accord".to_owned()),
                        awaiting_confirmation: Vec::new(),
                    });
                    positions.push(PositionScoring {
                        position: position.id.clone(),
                        evaluations: vec![
                            Evaluation {
                                remark_language: None,
                                examiner: "E1".to_owned(),
                                answers: first,
                                remark: None,
                            },
                            Evaluation {
                                remark_language: None,
                                examiner: "E2".to_owned(),
                                answers: second,
                                remark: None,
                            },
                        ],
                        agreed,
                        arbiter: None,
                    });
                }
            }
            Candidate {
                number: format!("{:06}", n + 1),
                status,
                attempt: 1,
                carried_parts: Vec::new(),
                cases: Vec::new(),
                positions,
            }
        })
        .collect();
    Session {
        remark_language: None,
        id: "bench".to_owned(),
        title: None,
        scheme: DocumentRef { id: "bench".to_owned(), version: "1".to_owned() },
        blueprint: DocumentRef { id: "bench".to_owned(), version: "1".to_owned() },
        rubrics: rubrics
            .iter()
            .map(|rubric| DocumentRef { id: rubric.id.clone(), version: rubric.version.clone() })
            .collect(),
        cases: Vec::new(),
        candidates,
    }
}
