//! Every data file format has a JSON Schema generated from its Rust type
//! and committed under `schemas/`. This test regenerates them and fails
//! when a committed copy is stale; run with `UPDATE_SCHEMAS=1` to rewrite.

use grille_competence::{CatalogueFile, CatalogueTranslation, document};
use grille_scoring::engine::WhatIf;
use grille_scoring::{Blueprint, CandidateResult, CaseStudy, GradingScheme, Rubric, Session};

use crate::support::repo_root;

/// (file name under `schemas/`, generated text)
fn generated() -> Vec<(&'static str, String)> {
    vec![
        ("catalogue.schema.json", document::schema_text_of::<CatalogueFile>()),
        // A translation of the catalogue imported into the data folder
        // (`grille catalogue translation import`).
        ("catalogue-translation.schema.json", document::schema_text_of::<CatalogueTranslation>()),
        ("grading-scheme.schema.json", document::schema_text_of::<GradingScheme>()),
        ("blueprint.schema.json", document::schema_text_of::<Blueprint>()),
        ("rubric.schema.json", document::schema_text_of::<Rubric>()),
        ("case.schema.json", document::schema_text_of::<CaseStudy>()),
        ("session.schema.json", document::schema_text_of::<Session>()),
        // A candidate's explained result: what `grille score --format json`
        // prints per candidate, what finalisation stores and the results
        // API sends as `explanation`.
        ("candidate-result.schema.json", document::schema_text_of::<CandidateResult>()),
        // What `grille score --what-if ... --format json` prints.
        ("what-if.schema.json", document::schema_text_of::<WhatIf>()),
    ]
}

#[test]
fn committed_schemas_are_current() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, text) in generated() {
        let path = repo_root().join("schemas").join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != text {
            if update {
                std::fs::write(&path, &text).expect("write schema");
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale schemas (regenerate with `UPDATE_SCHEMAS=1 cargo test --test it schemas`): {stale:?}"
    );
}
