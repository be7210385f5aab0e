//! Scoring a large synthetic session, phase by phase.
//!
//! 10,000 candidates × 3 parts (5 positions) × 2 examiners × 30 rubric
//! criteria per candidate, linked to the embedded catalogue. Measures:
//! 1. parsing and validating the session JSON (`Session::from_json`), then
//!    `Scorer::new` and `Scorer::check_candidate` for every candidate;
//! 2. `Scorer::score_candidate` for every candidate;
//! 3. serialising every candidate result to JSON (into a reused buffer, as
//!    a streaming command line would before writing it out).
//!
//! And, first, from a clean memory baseline, the streamed path of
//! `grille score` (walk the text, check, score and serialise candidate by
//! candidate, no tree and no list of results held).
//!
//! Run with `cargo bench -p grille-scoring --bench score_session`
//! (optionally `-- CANDIDATES RUNS`). Peak memory is the process's
//! `VmHWM` from `/proc/self/status`: Linux only, "n/a" elsewhere.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use grille_competence::{Catalogue, LocalizedText};
use grille_scoring::SessionLoader;
use grille_scoring::stream::walk;
use grille_scoring::{
    AgreedEvaluation, Answer, Blueprint, Candidate, CandidateStatus, DocumentRef, Evaluation, GradingScheme,
    Level, Part, Position, PositionScoring, Rubric, RubricCriterion, Scorer, Session, SessionDocuments,
    SessionSummary,
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

fn documents(catalogue: &Catalogue) -> (GradingScheme, Blueprint, Vec<Rubric>) {
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
            positions,
        });
    }
    let blueprint = Blueprint {
        id: "bench".to_owned(),
        version: "1".to_owned(),
        title: LocalizedText::fr("Examen de mesure"),
        assumptions: Vec::new(),
        parts,
    };
    (scheme, blueprint, rubrics)
}

fn session(blueprint: &Blueprint, rubrics: &[Rubric], candidates: usize) -> Session {
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
                        examiners: vec!["E1".to_owned(), "E2".to_owned()],
                        answers: first.clone(),
                        remark: Some("accord".to_owned()),
                    });
                    positions.push(PositionScoring {
                        position: position.id.clone(),
                        evaluations: vec![
                            Evaluation { examiner: "E1".to_owned(), answers: first, remark: None },
                            Evaluation { examiner: "E2".to_owned(), answers: second, remark: None },
                        ],
                        agreed,
                    });
                }
            }
            Candidate {
                number: format!("{:06}", n + 1),
                status,
                attempt: 1,
                carried_parts: Vec::new(),
                positions,
            }
        })
        .collect();
    Session {
        id: "bench".to_owned(),
        title: None,
        scheme: DocumentRef { id: "bench".to_owned(), version: "1".to_owned() },
        blueprint: DocumentRef { id: "bench".to_owned(), version: "1".to_owned() },
        rubrics: rubrics
            .iter()
            .map(|rubric| DocumentRef { id: rubric.id.clone(), version: rubric.version.clone() })
            .collect(),
        candidates,
    }
}

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".to_owned())
}

/// Milliseconds with one decimal, without floating point (the crate has
/// none, and a check greps for it).
fn millis(duration: Duration) -> String {
    let micros = duration.as_micros();
    format!("{}.{}", micros / 1000, (micros % 1000) / 100)
}

/// Megabytes (10⁶ bytes) with one decimal.
fn megabytes(bytes: usize) -> String {
    format!("{}.{}", bytes / 1_000_000, (bytes % 1_000_000) / 100_000)
}

/// Resets the peak memory to the current memory (Linux ≥ 4.0), so that the
/// next reading is the peak of one phase. Silently does nothing elsewhere.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn report(name: &str, times: &mut [Duration], candidates: usize) {
    times.sort();
    let min = times[0];
    let median = times[times.len() / 2];
    let per_candidate = median.as_nanos() / candidates.max(1) as u128;
    println!(
        "{name:<34} min {:>9} ms   median {:>9} ms   ({} µs/candidate, median)",
        millis(min),
        millis(median),
        per_candidate / 1000
    );
}

fn main() {
    // `cargo bench` passes `--bench`; numbers are optional arguments.
    let numbers: Vec<usize> = std::env::args().skip(1).filter_map(|arg| arg.parse().ok()).collect();
    let candidates = numbers.first().copied().unwrap_or(10_000);
    let runs = numbers.get(1).copied().unwrap_or(5).max(1);

    let catalogue = Catalogue::embedded().expect("embedded catalogue");
    let (scheme, blueprint, rubrics) = documents(&catalogue);
    let json = serde_json::to_string(&session(&blueprint, &rubrics, candidates)).expect("serialise session");
    let criteria: usize = blueprint
        .parts
        .iter()
        .flat_map(|part| &part.positions)
        .map(|position| rubrics.iter().find(|r| r.id == position.rubric).unwrap().criteria.len())
        .sum();
    println!(
        "session: {candidates} candidates, {} parts, {} positions, {criteria} criteria per candidate, 2 examiners; JSON {} MB; {runs} runs",
        blueprint.parts.len(),
        blueprint.parts.iter().map(|part| part.positions.len()).sum::<usize>(),
        megabytes(json.len())
    );
    println!("peak memory after building the input (VmHWM): {}", peak_memory());

    let documents =
        SessionDocuments { catalogue: &catalogue, scheme: &scheme, blueprint: &blueprint, rubrics: &rubrics };
    // The streamed path of `grille score`: the session text is walked
    // candidate by candidate (header, then check every candidate, then
    // score and serialise each), so no JSON tree of the whole session and
    // no list of results is ever held.
    let loader = SessionLoader::new();
    let mut streamed = Vec::new();
    let mut streamed_peak = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let top = walk(&json, None).expect("valid JSON");
        let header = loader.header(top.fields).expect("valid header");
        let mut scorer = Scorer::new(documents, header).expect("valid documents");
        walk(
            &json,
            Some(&mut |index, value| {
                let candidate = loader.candidate(index, value).expect("valid candidate");
                assert!(scorer.check_candidate(index, &candidate).is_empty());
            }),
        )
        .expect("valid JSON");
        let mut buffer = Vec::with_capacity(64 * 1024);
        walk(
            &json,
            Some(&mut |index, value| {
                let candidate = loader.candidate(index, value).expect("valid candidate");
                let result = scorer.score_candidate(&candidate);
                buffer.clear();
                serde_json::to_writer(&mut buffer, &result).expect("serialise result");
                black_box(&buffer);
            }),
        )
        .expect("valid JSON");
        streamed.push(start.elapsed());
        streamed_peak = peak_memory();
    }
    report("streamed: check, score and serialise", &mut streamed, candidates);
    println!(
        "peak memory of the streamed path (VmHWM after a reset, last run; the session text is held): {streamed_peak}"
    );

    let (mut parse, mut score, mut serialise) = (Vec::new(), Vec::new(), Vec::new());
    let mut output_bytes = 0;
    let mut summary = SessionSummary::default();
    let mut peaks = [String::new(), String::new(), String::new()];
    for _ in 0..runs {
        reset_peak_memory();
        let start = Instant::now();
        let session = Session::from_json(&json).expect("valid session");
        let mut scorer = Scorer::new(documents, session.header()).expect("valid documents");
        for (index, candidate) in session.candidates.iter().enumerate() {
            let problems = scorer.check_candidate(index, candidate);
            assert!(problems.is_empty(), "{problems:?}");
        }
        parse.push(start.elapsed());
        peaks[0] = peak_memory();

        reset_peak_memory();
        let start = Instant::now();
        let results: Vec<_> =
            session.candidates.iter().map(|candidate| scorer.score_candidate(black_box(candidate))).collect();
        score.push(start.elapsed());
        peaks[1] = peak_memory();

        reset_peak_memory();
        let start = Instant::now();
        let mut buffer = Vec::with_capacity(64 * 1024);
        output_bytes = 0;
        for result in &results {
            buffer.clear();
            serde_json::to_writer(&mut buffer, result).expect("serialise result");
            buffer.push(b'\n');
            output_bytes += buffer.len();
        }
        serialise.push(start.elapsed());
        peaks[2] = peak_memory();

        summary = SessionSummary::default();
        for result in &results {
            summary.add(result);
        }
        black_box(&results);
    }
    report("parse + validate session", &mut parse, candidates);
    report("score all candidates", &mut score, candidates);
    report("serialise all results (JSON)", &mut serialise, candidates);
    // Each phase's peak includes what earlier phases still hold (the JSON
    // text, the session, the results).
    println!(
        "peak memory per phase (VmHWM after a reset, last run): parse {}, score {}, serialise {}",
        peaks[0], peaks[1], peaks[2]
    );
    println!("results as JSON lines: {} MB", megabytes(output_bytes));
    println!(
        "outcomes: {} passed, {} failed, {} pending, {} no result; {} open discrepancies",
        summary.passed, summary.failed, summary.pending, summary.no_result, summary.open_discrepancies
    );
    println!("peak memory since the last reset (VmHWM, Linux only): {}", peak_memory());
}
