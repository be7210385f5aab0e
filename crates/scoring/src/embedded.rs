//! The federal exam's documents as shipped with grille: grading scheme,
//! blueprint, rubrics and the worked example session, embedded at build
//! time from `rubrics/` and `examples/` so that the binary runs with no
//! file beside it. Still no I/O: `include_str!` happens at compile time.

use grille_competence::{Catalogue, Problem};

use crate::{Blueprint, CaseStudy, GradingScheme, Rubric, Session};

/// One embedded document: its path in the repository and its text.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    /// The path relative to the repository root, used in messages.
    pub path: &'static str,
    /// The JSON text.
    pub text: &'static str,
}

macro_rules! embedded {
    ($path:literal) => {
        EmbeddedFile { path: $path, text: include_str!(concat!("../../../", $path)) }
    };
}

/// The default grading scheme of the federal exam (its pass rule is an
/// assumption until checked against the exam regulation; see the file).
pub const GRADING_SCHEME: EmbeddedFile = embedded!("rubrics/grading-scheme.json");

/// The blueprint of the federal exam as publicly described.
pub const BLUEPRINT: EmbeddedFile = embedded!("rubrics/blueprint.json");

/// The rubrics of every position of the federal exam.
pub const RUBRICS: [EmbeddedFile; 4] = [
    embedded!("rubrics/rubric-1-1-rapport-reflexion.json"),
    embedded!("rubrics/rubric-1-2-presentation-entretien.json"),
    embedded!("rubrics/rubric-2-developpement-individuel.json"),
    embedded!("rubrics/rubric-3-solutions-equipe-interdisciplinaire.json"),
];

/// The two case studies of part 2 that the worked example's candidates
/// sat (fictitious, one in French, one in German).
pub const EXAMPLE_CASES: [EmbeddedFile; 2] = [
    embedded!("examples/cases/cas-2-atelier-bois.json"),
    embedded!("examples/cases/fall-2-grosskueche.json"),
];

/// The attachments of the worked example's cases: (file name, bytes).
pub const EXAMPLE_ATTACHMENTS: [(&str, &[u8]); 1] =
    [("plan-atelier-bois.pdf", include_bytes!("../../../examples/cases/plan-atelier-bois.pdf"))];

/// The worked example session (a few candidates, two examiners, one
/// discrepancy, one failure by the compensation rule).
pub const EXAMPLE_SESSION: EmbeddedFile = embedded!("examples/session-demo.json");

/// The federal exam's documents, validated.
#[derive(Debug, Clone)]
pub struct ExamDocuments {
    /// The grading scheme.
    pub scheme: GradingScheme,
    /// The blueprint.
    pub blueprint: Blueprint,
    /// The rubrics, one per rubric id used by the blueprint (and by its
    /// cases).
    pub rubrics: Vec<Rubric>,
    /// The case studies a session pins (none for the federal exam's own
    /// documents).
    pub cases: Vec<CaseStudy>,
}

/// Problems of one embedded file.
#[derive(Debug, Clone)]
pub struct FileProblems {
    /// The file's path in the repository.
    pub path: &'static str,
    /// What is wrong, each with its JSON pointer.
    pub problems: Vec<Problem>,
}

/// Loads and checks the embedded federal exam documents against
/// `catalogue`. The test suite guarantees they are valid for the embedded
/// catalogue; with another catalogue they may not be, hence the result.
pub fn federal_exam(catalogue: &Catalogue) -> Result<ExamDocuments, Vec<FileProblems>> {
    let mut failures = Vec::new();
    let mut record =
        |path: &'static str, problems: Vec<Problem>| failures.push(FileProblems { path, problems });
    let scheme =
        GradingScheme::from_json(GRADING_SCHEME.text).map_err(|p| record(GRADING_SCHEME.path, p)).ok();
    let blueprint =
        Blueprint::from_json(BLUEPRINT.text, catalogue).map_err(|p| record(BLUEPRINT.path, p)).ok();
    let mut rubrics = Vec::new();
    for file in RUBRICS {
        if let Ok(rubric) = Rubric::from_json(file.text, catalogue).map_err(|p| record(file.path, p)) {
            rubrics.push(rubric);
        }
    }
    match (scheme, blueprint) {
        (Some(scheme), Some(blueprint)) if failures.is_empty() => {
            Ok(ExamDocuments { scheme, blueprint, rubrics, cases: Vec::new() })
        }
        _ => Err(failures),
    }
}

/// The worked example's case studies, checked against `catalogue`.
pub fn example_cases(catalogue: &Catalogue) -> Result<Vec<CaseStudy>, Vec<FileProblems>> {
    let mut cases = Vec::new();
    let mut failures = Vec::new();
    for file in EXAMPLE_CASES {
        match CaseStudy::from_json(file.text, catalogue) {
            Ok(case) => cases.push(case),
            Err(problems) => failures.push(FileProblems { path: file.path, problems }),
        }
    }
    if failures.is_empty() { Ok(cases) } else { Err(failures) }
}

/// The embedded example session, parsed (not yet scored).
pub fn example_session() -> Result<Session, FileProblems> {
    Session::from_json(EXAMPLE_SESSION.text)
        .map_err(|problems| FileProblems { path: EXAMPLE_SESSION.path, problems })
}
