//! The batch scoring benchmark of `grille score`: for sessions of 1,000,
//! 10,000 and 50,000 candidates (the synthetic session of `score_session`),
//! measures in the same run
//! - the baseline: serde_json parsing the session text (already in memory)
//!   into `serde::de::IgnoredAny`, in this process;
//! - `grille score SESSION --format csv`, `--format json` and `--format
//!   json --compact`, the release binary run as a child process with its
//!   output to `/dev/null`;
//!
//! and prints the median of several runs, the ratio to the baseline, the
//! time per candidate, and the child's peak memory (maximum resident set
//! size from `/usr/bin/time -f %M`, when that program exists) beside the
//! file size.
//!
//! Build the binary first, then run:
//!
//! ```text
//! cargo build --release -p grille
//! cargo bench -p grille-scoring --bench batch_score -- [--runs N] [--sizes 1000,10000,50000] [--grille PATH[,PATH...]] [--keep]
//! ```
//!
//! With several binaries (e.g. the one of the commit before a change and
//! the new one), their runs alternate, so that each sees the same load of
//! a shared machine; one line per binary and size.

#![allow(missing_docs)]

#[path = "support/session_generator.rs"]
mod generator;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use grille_competence::Catalogue;

struct Options {
    runs: usize,
    sizes: Vec<usize>,
    grille: Vec<PathBuf>,
    /// Keep the generated files (to profile `grille score` on them).
    keep: bool,
}

fn options() -> Options {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut options = Options {
        runs: 5,
        sizes: vec![1_000, 10_000, 50_000],
        grille: vec![workspace.join("target/release/grille")],
        keep: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut index = 0;
    while index < args.len() {
        let value = args.get(index + 1).cloned().unwrap_or_default();
        match args[index].as_str() {
            "--runs" => options.runs = value.parse::<usize>().expect("--runs N").max(1),
            "--sizes" => {
                options.sizes =
                    value.split(',').map(|size| size.trim().parse().expect("--sizes N,N")).collect()
            }
            "--grille" => options.grille = value.split(',').map(PathBuf::from).collect(),
            "--keep" => {
                options.keep = true;
                index += 1;
                continue;
            }
            // `cargo bench` passes `--bench`.
            _ => {
                index += 1;
                continue;
            }
        }
        index += 2;
    }
    options
}

/// Milliseconds with one decimal, without floating point.
fn millis(duration: Duration) -> String {
    let micros = duration.as_micros();
    format!("{}.{}", micros / 1000, (micros % 1000) / 100)
}

/// `a / b` with one decimal, without floating point.
fn ratio(a: Duration, b: Duration) -> String {
    let tenths = a.as_nanos() * 10 / b.as_nanos().max(1);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Megabytes (10⁶ bytes) with one decimal.
fn megabytes(bytes: u64) -> String {
    format!("{}.{}", bytes / 1_000_000, (bytes % 1_000_000) / 100_000)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// One run of `grille score`: its wall time and, through `/usr/bin/time`,
/// its peak resident memory in kilobytes; `None` when it fails (an older
/// binary without `--compact`, measured with `--grille`).
fn run_grille(
    grille: &Path,
    session: &Path,
    documents: &Path,
    format: &[&str],
) -> Option<(Duration, Option<u64>)> {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("grille-bench-time-{}", std::process::id()));
    let mut command = if time.exists() {
        let mut command = Command::new(time);
        command.arg("-f").arg("%M").arg("-o").arg(&report).arg(grille);
        command
    } else {
        Command::new(grille)
    };
    command
        .arg("score")
        .arg(session)
        .args(format)
        .arg("--documents")
        .arg(documents)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let output = command.output().expect("run grille");
    let elapsed = start.elapsed();
    if !output.status.success() {
        eprintln!("grille score {format:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        return None;
    }
    let peak =
        std::fs::read_to_string(&report).ok().and_then(|text| text.trim().lines().last()?.parse().ok());
    let _ = std::fs::remove_file(&report);
    Some((elapsed, peak))
}

fn main() {
    let options = options();
    for grille in &options.grille {
        assert!(
            grille.exists(),
            "{} not found: build it first with `cargo build --release -p grille`",
            grille.display()
        );
    }
    let catalogue = Catalogue::embedded().expect("embedded catalogue");
    let (scheme, blueprint, rubrics) = generator::documents(&catalogue);
    let dir = std::env::temp_dir().join(format!("grille-batch-bench-{}", std::process::id()));
    let documents = dir.join("documents");
    std::fs::create_dir_all(&documents).expect("temporary folder");
    let write = |path: PathBuf, value: &dyn erased::Json| std::fs::write(path, value.json()).expect("write");
    write(documents.join("scheme.json"), &scheme);
    write(documents.join("blueprint.json"), &blueprint);
    for rubric in &rubrics {
        write(documents.join(format!("{}.json", rubric.id)), rubric);
    }
    let memory =
        if Path::new("/usr/bin/time").exists() { "" } else { " (no /usr/bin/time: no memory figures)" };
    for (index, grille) in options.grille.iter().enumerate() {
        println!("grille {}: {}", index + 1, grille.display());
    }
    println!("{} runs per figure, median{memory}", options.runs);
    println!();
    println!(
        "| grille | candidates | file MB | parse (IgnoredAny) ms | csv ms | ÷ parse | json ms | ÷ parse | json --compact ms | ÷ parse | csv µs/cand. | json µs/cand. | peak MB csv / json / compact |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &size in &options.sizes {
        let session = generator::session(&blueprint, &rubrics, size);
        let path = dir.join(format!("session-{size}.json"));
        write(path.clone(), &session);
        drop(session);
        let text = std::fs::read_to_string(&path).expect("read the session back");
        let bytes = text.len() as u64;

        let mut parse = Vec::new();
        for _ in 0..options.runs.max(3) {
            let start = Instant::now();
            let parsed: serde::de::IgnoredAny = serde_json::from_str(&text).expect("valid JSON");
            parse.push(start.elapsed());
            std::hint::black_box(parsed);
        }
        drop(text);
        let parse = median(parse);

        // figures[binary][format]
        let mut figures = vec![Vec::new(); options.grille.len()];
        let formats: [&[&str]; 3] =
            [&["--format", "csv"], &["--format", "json"], &["--format", "json", "--compact"]];
        for format in formats {
            let mut times = vec![Vec::new(); options.grille.len()];
            let mut peaks = vec![None; options.grille.len()];
            let mut failed = vec![false; options.grille.len()];
            for _ in 0..options.runs {
                for (index, grille) in options.grille.iter().enumerate() {
                    if failed[index] {
                        continue;
                    }
                    match run_grille(grille, &path, &documents, format) {
                        Some((elapsed, memory)) => {
                            times[index].push(elapsed);
                            peaks[index] = peaks[index].max(memory);
                        }
                        None => failed[index] = true,
                    }
                }
            }
            for (index, times) in times.into_iter().enumerate() {
                figures[index].push((!times.is_empty()).then(|| (median(times), peaks[index])));
            }
        }
        let per_candidate = |time: Duration| (time.as_nanos() / size.max(1) as u128 / 1000).to_string();
        let peak = |kilobytes: Option<u64>| kilobytes.map_or("n/a".to_owned(), |kb| megabytes(kb * 1000));
        type Figure = Option<(Duration, Option<u64>)>;
        let time = |figure: Figure| figure.map_or("n/a".to_owned(), |f| millis(f.0));
        let times_parse =
            |figure: Figure| figure.map_or("n/a".to_owned(), |f| format!("{}×", ratio(f.0, parse)));
        let each = |figure: Figure| figure.map_or("n/a".to_owned(), |f| per_candidate(f.0));
        let memory = |figure: Figure| figure.map_or("n/a".to_owned(), |f| peak(f.1));
        for (index, figures) in figures.iter().enumerate() {
            let [csv, json, compact] = [figures[0], figures[1], figures[2]];
            println!(
                "| {} | {size} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} |",
                index + 1,
                megabytes(bytes),
                millis(parse),
                time(csv),
                times_parse(csv),
                time(json),
                times_parse(json),
                time(compact),
                times_parse(compact),
                each(csv),
                each(json),
                memory(csv),
                memory(json),
                memory(compact),
            );
        }
        if !options.keep {
            let _ = std::fs::remove_file(&path);
        }
    }
    if options.keep {
        println!("\nsessions and documents kept in {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Serialising documents of different types with one closure.
mod erased {
    pub(super) trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).expect("serialise")
        }
    }
}
