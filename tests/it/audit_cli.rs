//! `grille audit verify` as a user runs it: an intact log, a log edited by
//! hand in the database file, a missing data folder.

use crate::support::{grille, grille_with_env, temp_dir};

/// A data folder with a database written by the store: a few users, so a
/// few audit entries.
fn data_folder(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = grille_store::Store::open(&data.join("grille.sqlite")).unwrap();
    for username in ["admin", "expert-1", "expert-2", "expert-3"] {
        store
            .create_user(
                &grille_store::Actor::system(),
                &grille_store::NewUser {
                    username: username.into(),
                    password_hash: "$argon2id$x".into(),
                    role: grille_store::Role::Admin,
                },
            )
            .unwrap();
    }
    store.close().unwrap();
    data
}

#[test]
fn an_intact_log_verifies_with_its_count_and_exits_0() {
    let data = data_folder("audit-intact");
    let run = grille(&["audit", "verify", "--data", data.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("journal d'audit intact : 4 entrée(s), de "), "{}", run.stdout);
    assert!(run.stdout.contains("dernière empreinte : "), "{}", run.stdout);
    // The data folder from the environment, as `grille serve` reads it.
    let run = grille_with_env(
        &["audit", "verify"],
        &[("GRILLE_DATA", data.to_str().unwrap()), ("GRILLE_LANG", "de")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Audit-Protokoll intakt: 4 "), "{}", run.stdout);
}

#[test]
fn a_log_edited_by_hand_names_the_entry_and_exits_1() {
    let data = data_folder("audit-tampered");
    let database = data.join("grille.sqlite");
    let connection = rusqlite::Connection::open(&database).unwrap();
    let changed = connection
        .execute(
            "UPDATE audit_log SET after_value = replace(after_value, 'expert-2', 'intrus') WHERE id = 3",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(connection);
    let run = grille(&["audit", "verify", "--data", data.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("journal d'audit altéré à l'entrée 3 ("), "{}", run.stderr);
    assert!(run.stderr.contains("user.create, user 3"), "{}", run.stderr);
    assert!(run.stderr.contains("entrée modifiée"), "{}", run.stderr);
    assert!(run.stderr.contains("les 2 entrée(s) précédentes sont intactes"), "{}", run.stderr);

    // A deleted entry is named at the one after it, in German too.
    let connection = rusqlite::Connection::open(&database).unwrap();
    connection.execute("DELETE FROM audit_log WHERE id = 3", []).unwrap();
    drop(connection);
    let run =
        grille_with_env(&["audit", "verify", "--data", data.to_str().unwrap()], &[("GRILLE_LANG", "de")]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("Audit-Protokoll verändert bei Eintrag 4 ("), "{}", run.stderr);
    assert!(run.stderr.contains("gelöscht oder eingefügt"), "{}", run.stderr);
}

#[test]
fn a_missing_data_folder_is_named_and_exits_1() {
    let dir = temp_dir("audit-missing");
    let run = grille(&["audit", "verify", "--data", dir.join("nulle-part").to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("nulle-part") && run.stderr.contains("n'existe pas"), "{}", run.stderr);
    assert!(run.stderr.contains("--data"), "{}", run.stderr);
}
