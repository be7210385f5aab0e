//! `grille validate` on a case study and the files it names: a case is
//! valid only with its attachments beside it, byte for byte.

use crate::support::{grille, repo_root, temp_dir};

#[test]
fn a_case_is_checked_against_the_attachments_beside_it() {
    let dir = temp_dir("case-attachments");
    let examples = repo_root().join("examples/cases");
    let case = dir.join("cas-2-atelier-bois.json");
    std::fs::copy(examples.join("cas-2-atelier-bois.json"), &case).unwrap();
    let plan = dir.join("plan-atelier-bois.pdf");
    let case_arg = case.to_str().unwrap();

    // Without its plan: the attachment's name is the pointer.
    let run = grille(&["validate", case_arg]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("/attachments/0/name"), "{}", run.stderr);
    assert!(run.stderr.contains("introuvable"), "{}", run.stderr);

    // With it: valid.
    std::fs::copy(examples.join("plan-atelier-bois.pdf"), &plan).unwrap();
    let run = grille(&["validate", case_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Another file under its name: its hash (and size) no longer match.
    let mut changed = std::fs::read(&plan).unwrap();
    changed.extend_from_slice(b"\n% changed\n");
    std::fs::write(&plan, &changed).unwrap();
    let run = grille(&["validate", case_arg]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("/attachments/0/sha256"), "{}", run.stderr);

    // A PNG named .pdf: its type, read in the bytes, is said too.
    std::fs::write(&plan, [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]).unwrap();
    let run = grille(&["validate", case_arg]);
    assert!(run.stderr.contains("/attachments/0/media_type"), "{}", run.stderr);

    // In German too.
    let run = crate::support::grille_with_env(&["validate", case_arg], &[("GRILLE_LANG", "de")]);
    assert!(run.stderr.contains("SHA-256-Fingerabdruck"), "{}", run.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}
