//! The number of criteria of every competence, category by category, against
//! a count made by hand.
//!
//! The table below was counted by reading the seed
//! (`profil-de-qualification-2017-01-24.txt`, section 3), criterion by
//! criterion, independently of the script that produced the catalogue JSON.
//! Where the seed lost its bullet marks and several criteria run together in
//! one line, each criterion was counted on its own (e.g. A3 has six
//! knowledge criteria: "... et à faire preuve d'assurance" and "dispose de
//! connaissances approfondies concernant l'anamnèse professionnelle." are
//! two). Rows continued across a page break were counted once, in the
//! category they continue (e.g. A2's knowledge criteria, A6's
//! metacognition, B2's attitudes, D4's attitudes, E1's attitudes).

use grille_competence::{Catalogue, Category};

/// Criteria per competence: performance, knowledge, attitudes, metacognition.
/// Counted by reading the seed, not generated from the catalogue.
const HAND_COUNT: [(&str, [usize; 4]); 28] = [
    ("A1", [2, 5, 1, 2]),
    ("A2", [1, 4, 3, 2]),
    ("A3", [1, 6, 3, 1]),
    ("A4", [1, 4, 1, 2]),
    ("A5", [1, 3, 3, 1]),
    ("A6", [1, 2, 2, 2]),
    ("A7", [1, 6, 4, 1]),
    ("A8", [1, 5, 4, 4]),
    ("A9", [2, 3, 6, 1]),
    ("A10", [1, 6, 3, 3]),
    ("B1", [1, 4, 3, 2]),
    ("B2", [1, 5, 7, 2]),
    ("B3", [1, 1, 5, 1]),
    ("B4", [2, 5, 3, 3]),
    ("B5", [1, 2, 3, 1]),
    ("B6", [1, 3, 2, 1]),
    ("C1", [1, 4, 5, 2]),
    ("C2", [1, 4, 4, 2]),
    ("D1", [1, 3, 6, 2]),
    ("D2", [1, 2, 3, 1]),
    ("D3", [1, 2, 2, 1]),
    ("D4", [1, 3, 4, 1]),
    ("D5", [1, 3, 4, 1]),
    ("D6", [1, 1, 3, 1]),
    ("E1", [1, 3, 5, 1]),
    ("E2", [1, 2, 3, 1]),
    ("E3", [1, 3, 5, 1]),
    ("E4", [1, 1, 3, 1]),
];

/// Total criteria by the hand count: A 105, B 60, C 23, D 49, E 33.
const HAND_TOTAL: usize = 270;

const CATEGORIES: [Category; 4] =
    [Category::Performance, Category::Knowledge, Category::Attitudes, Category::Metacognition];

#[test]
fn criteria_per_competence_and_category_match_the_hand_count() {
    let catalogue = Catalogue::embedded().expect("the embedded catalogue is valid");

    let table_total: usize = HAND_COUNT.iter().flat_map(|(_, counts)| counts.iter()).sum();
    assert_eq!(table_total, HAND_TOTAL, "the hand-count table does not add up to its own total");

    let mut mismatches = Vec::new();
    for (id, expected) in HAND_COUNT {
        let Some(competence) = catalogue.competence(id) else {
            mismatches.push(format!("{id}: missing from the catalogue"));
            continue;
        };
        for (category, expected) in CATEGORIES.into_iter().zip(expected) {
            let actual = catalogue.criteria_in(competence, category).count();
            if actual != expected {
                mismatches.push(format!(
                    "{id} {} ({}): catalogue has {actual}, hand count says {expected}",
                    category.key(),
                    category.label_fr()
                ));
            }
        }
    }
    for competence in catalogue.competences() {
        if !HAND_COUNT.iter().any(|(id, _)| *id == competence.id) {
            mismatches.push(format!("{}: in the catalogue but not in the hand count", competence.id));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatch(es) against the hand count:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );

    assert_eq!(catalogue.competences().count(), 28, "number of competences");
    assert_eq!(catalogue.criteria().count(), HAND_TOTAL, "total number of criteria");
}
