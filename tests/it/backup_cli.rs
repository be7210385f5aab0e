//! `grille backup` and `grille restore` as a user runs them: a copy of a
//! data folder, each kind of refusal with its message and exit code, and a
//! restoration that keeps the replaced database.

use crate::support::{grille, grille_with_env, temp_dir};

/// A data folder with a database created by the store (what `grille serve`
/// leaves behind), holding one user.
fn data_folder(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let store = grille_store::Store::open(&data.join("grille.sqlite")).unwrap();
    store
        .create_user(
            &grille_store::Actor::system(),
            &grille_store::NewUser {
                username: "admin".into(),
                password_hash: "$argon2id$x".into(),
                role: grille_store::Role::Admin,
            },
        )
        .unwrap();
    store.close().unwrap();
    dir
}

#[test]
fn a_backup_is_written_checked_and_restored_keeping_the_replaced_database() {
    let dir = data_folder("backup-ok");
    let data = dir.join("data");
    let copy = dir.join("sauvegarde.sqlite");
    let run = grille(&["backup", "--data", data.to_str().unwrap(), copy.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("sauvegarde écrite") && run.stdout.contains("intégrité vérifiée"),
        "{}",
        run.stdout
    );
    assert!(copy.is_file());

    let restored = grille(&["restore", copy.to_str().unwrap(), "--data", data.to_str().unwrap()]);
    assert_eq!(restored.code, 0, "{}", restored.stderr);
    assert!(restored.stdout.contains("base restaurée"), "{}", restored.stdout);
    assert!(restored.stdout.contains("l'ancienne base est gardée"), "{}", restored.stdout);
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert!(!kept.is_empty(), "the replaced database is kept beside the restored one");
    let store = grille_store::Store::open(&data.join("grille.sqlite")).unwrap();
    assert_eq!(store.user_count().unwrap(), 1);
}

#[test]
fn each_refusal_says_what_and_where_and_exits_1() {
    let dir = data_folder("backup-refusals");
    let data = dir.join("data");
    let copy = dir.join("copie.sqlite");
    let ok = grille(&["backup", "--data", data.to_str().unwrap(), copy.to_str().unwrap()]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);

    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "backup".into(),
                "--data".into(),
                dir.join("nulle-part").display().to_string(),
                dir.join("x.sqlite").display().to_string(),
            ],
            "n'existe pas",
        ),
        (
            vec!["backup".into(), "--data".into(), data.display().to_string(), copy.display().to_string()],
            "existe déjà",
        ),
        (
            vec![
                "restore".into(),
                dir.join("absente.sqlite").display().to_string(),
                "--data".into(),
                data.display().to_string(),
            ],
            "n'existe pas",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = grille(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    let text = dir.join("notes.txt");
    std::fs::write(&text, "ceci n'est pas une base").unwrap();
    let run = grille(&["restore", text.to_str().unwrap(), "--data", data.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("n'est pas une base grille intacte"), "{}", run.stderr);
    // German, as every message of the command line.
    let run = grille_with_env(
        &["backup", "--data", data.to_str().unwrap(), copy.to_str().unwrap()],
        &[("GRILLE_LANG", "de")],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("existiert bereits"), "{}", run.stderr);
}
