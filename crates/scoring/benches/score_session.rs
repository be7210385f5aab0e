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

use grille_competence::Catalogue;
use grille_scoring::SessionLoader;
use grille_scoring::stream::walk;
use grille_scoring::{Scorer, Session, SessionDocuments, SessionSummary};

#[path = "support/session_generator.rs"]
mod generator;

use generator::{documents, session};

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

    let documents = SessionDocuments {
        catalogue: &catalogue,
        scheme: &scheme,
        blueprint: &blueprint,
        rubrics: &rubrics,
        cases: &[],
    };
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
        let scorer = Scorer::new(documents, header).expect("valid documents");
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
        let scorer = Scorer::new(documents, session.header()).expect("valid documents");
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
