//! Fuzzing every loader of data files on stable Rust, with proptest: text
//! that is not JSON at all, and the shipped documents mutated structurally
//! (fields removed, values replaced by other kinds of JSON, arrays emptied
//! or duplicated, numbers pushed to extremes, deep nesting). Each loader
//! must answer `Ok` or its problems, never panic.
//!
//! `cargo test` runs a short bounded run (64 cases per loader and kind of
//! input); a longer one: `PROPTEST_CASES=20000 cargo test -p grille --test
//! it fuzz_loaders -- --nocapture`.

use grille_competence::Catalogue;
use grille_scoring::{Blueprint, GradingScheme, Rubric, Session, embedded, stream};
use proptest::prelude::*;
use serde_json::{Value, json};

fn catalogue() -> Catalogue {
    Catalogue::embedded().expect("the embedded catalogue")
}

/// A loader fed a text; its result is dropped (only a panic fails).
type Loader = Box<dyn Fn(&str)>;

/// Every loader, by name.
fn loaders() -> Vec<(&'static str, Loader)> {
    let catalogue = std::rc::Rc::new(catalogue());
    let (for_blueprint, for_rubric) = (catalogue.clone(), catalogue.clone());
    vec![
        ("catalogue", Box::new(|text: &str| drop(Catalogue::from_json(text)))),
        ("scheme", Box::new(|text: &str| drop(GradingScheme::from_json(text)))),
        ("blueprint", Box::new(move |text: &str| drop(Blueprint::from_json(text, &for_blueprint)))),
        ("rubric", Box::new(move |text: &str| drop(Rubric::from_json(text, &for_rubric)))),
        ("session", Box::new(|text: &str| drop(Session::from_json(text)))),
        (
            "session (streamed)",
            Box::new(|text: &str| {
                drop(stream::walk(text, Some(&mut |_, _| {})));
                drop(stream::read_typed(text, &mut |_| true, &mut |_, _| true));
            }),
        ),
    ]
}

/// The valid documents each loader starts from.
fn seeds() -> Vec<(&'static str, Value)> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).expect("a shipped document");
    let mut seeds = vec![
        ("catalogue", parse(grille_competence::EMBEDDED_CATALOGUE_JSON)),
        ("scheme", parse(embedded::GRADING_SCHEME.text)),
        ("blueprint", parse(embedded::BLUEPRINT.text)),
        ("session", parse(embedded::EXAMPLE_SESSION.text)),
        ("session (streamed)", parse(embedded::EXAMPLE_SESSION.text)),
    ];
    for rubric in embedded::RUBRICS {
        seeds.push(("rubric", parse(rubric.text)));
    }
    seeds
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        Just(json!(u64::MAX)),
        Just(json!("4.25")),
        Just(json!("-0")),
        Just(json!("1e400")),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// One structural change at a position chosen by `path` (indices taken
/// modulo the size of each container on the way down).
#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    EmptyArray,
    Duplicate,
    Nest(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        any_json().prop_map(Mutation::Replace),
        Just(Mutation::EmptyArray),
        Just(Mutation::Duplicate),
        (1usize..200).prop_map(Mutation::Nest),
    ]
}

fn apply(value: &mut Value, path: &[usize], mutation: &Mutation) {
    let children = match value {
        Value::Object(map) => map.len(),
        Value::Array(items) => items.len(),
        _ => 0,
    };
    if path.is_empty() || children == 0 {
        match mutation {
            Mutation::Remove | Mutation::EmptyArray => *value = Value::Array(Vec::new()),
            Mutation::Replace(other) => *value = other.clone(),
            Mutation::Duplicate => *value = Value::Array(vec![value.clone(), value.clone()]),
            Mutation::Nest(depth) => {
                for _ in 0..*depth {
                    *value = Value::Array(vec![value.take()]);
                }
            }
        }
        return;
    }
    let index = path[0] % children;
    match value {
        Value::Object(map) => {
            let key = map.keys().nth(index).cloned().unwrap_or_default();
            if path.len() == 1 && matches!(mutation, Mutation::Remove) {
                map.remove(&key);
            } else if let Some(child) = map.get_mut(&key) {
                apply(child, &path[1..], mutation);
            }
        }
        Value::Array(items) => {
            if path.len() == 1 && matches!(mutation, Mutation::Remove) {
                items.remove(index);
            } else if path.len() == 1 && matches!(mutation, Mutation::Duplicate) {
                let copy = items[index].clone();
                items.insert(index, copy);
            } else {
                apply(&mut items[index], &path[1..], mutation);
            }
        }
        _ => {}
    }
}

/// 64 cases per property, or `PROPTEST_CASES` for a longer run.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|text| text.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_loader_panics_on_arbitrary_text(text in ".{0,300}") {
        for (_, load) in loaders() {
            load(&text);
        }
    }

    #[test]
    fn no_loader_panics_on_arbitrary_json(value in any_json()) {
        let text = value.to_string();
        for (_, load) in loaders() {
            load(&text);
        }
    }

    #[test]
    fn no_loader_panics_on_a_mutated_document(
        changes in prop::collection::vec((prop::collection::vec(any::<usize>(), 0..6), mutation()), 1..4),
        seed in any::<prop::sample::Index>(),
    ) {
        let seeds = seeds();
        let (kind, mut document) = seeds[seed.index(seeds.len())].clone();
        for (path, change) in &changes {
            apply(&mut document, path, change);
        }
        let text = document.to_string();
        for (name, load) in loaders() {
            if name == kind {
                load(&text);
            }
        }
    }
}

#[test]
fn the_seeds_load_so_mutations_start_from_valid_documents() {
    let seeds = seeds();
    let catalogue = catalogue();
    for (kind, document) in &seeds {
        let text = document.to_string();
        let loaded = match *kind {
            "catalogue" => Catalogue::from_json(&text).map(drop),
            "scheme" => GradingScheme::from_json(&text).map(drop),
            "blueprint" => Blueprint::from_json(&text, &catalogue).map(drop),
            "rubric" => Rubric::from_json(&text, &catalogue).map(drop),
            _ => Session::from_json(&text).map(drop),
        };
        assert!(loaded.is_ok(), "{kind}: {loaded:?}");
    }
}
