//! Tests of the store against a fresh database file in a temporary folder.

use serde_json::json;

use crate::*;

struct Fixture {
    store: Store,
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn fresh() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("grille.sqlite");
    let store = Store::open(&path).expect("open");
    Fixture { store, _dir: dir, path }
}

fn user(store: &Store, username: &str, role: Role) -> User {
    store
        .create_user(
            &Actor::system(),
            &NewUser { username: username.into(), password_hash: "$argon2id$x".into(), role },
        )
        .expect("create user")
}

/// The version of every migration, as a fresh or upgraded database
/// records them (derived, so that a new migration changes no test).
fn every_migration() -> Vec<i64> {
    MIGRATIONS.iter().map(|migration| migration.version).collect()
}

fn document(slot: &str, kind: DocumentKind, content: &str) -> NewDocument {
    NewDocument {
        slot: slot.into(),
        kind,
        document_id: "doc".into(),
        version: "1".into(),
        content: content.into(),
    }
}

fn session(store: &Store, actor: &Actor) -> ExamSession {
    store
        .create_exam_session(
            actor,
            &NewExamSession {
                name: "Printemps 2027".into(),
                exam_date: Some("2027-05-03".into()),
                documents: vec![
                    document("catalogue", DocumentKind::Catalogue, "{\"c\":1}"),
                    document("blueprint", DocumentKind::Blueprint, "{\"b\":1}"),
                ],
            },
        )
        .expect("create session")
}

fn number(text: &str) -> CandidateNumber {
    CandidateNumber::parse(text).expect("number")
}

/// A session with `count` candidates numbered `<prefix>01`, `<prefix>02`,
/// ... enrolled, and their numbers in order.
fn session_numbered(store: &Store, admin: &Actor, prefix: &str, count: usize) -> (ExamSession, Vec<String>) {
    let exam = session(store, admin);
    let numbers: Vec<String> = (1..=count).map(|n| format!("{prefix}{n:02}")).collect();
    let texts: Vec<&str> = numbers.iter().map(String::as_str).collect();
    enrol(store, admin, exam.id, &texts).unwrap();
    (exam, numbers)
}

/// The key of `candidate`'s evaluation of `position` in `part`.
fn evaluation_key(session_id: i64, candidate: &str, part: &str, position: &str) -> EvaluationKey {
    EvaluationKey { session_id, candidate: number(candidate), part: part.into(), position: position.into() }
}

fn enrol(store: &Store, actor: &Actor, session_id: i64, numbers: &[&str]) -> Result<usize, StoreError> {
    let candidates: Vec<NewCandidate> = numbers
        .iter()
        .map(|text| NewCandidate {
            number: number(text),
            identity: Some(CandidateIdentity {
                family_name: "Muster".into(),
                given_name: "Anna".into(),
                email: None,
            }),
        })
        .collect();
    store.enrol_candidates(actor, session_id, &candidates)
}

#[test]
fn open_sets_wal_and_records_migrations_once() {
    let fixture = fresh();
    assert_eq!(fixture.store.journal_mode().unwrap(), "wal");
    assert_eq!(fixture.store.applied_migrations().unwrap(), every_migration());
    fixture.store.close().unwrap();
    // Reopening applies nothing twice.
    let again = Store::open(&fixture.path).unwrap();
    assert_eq!(again.applied_migrations().unwrap(), every_migration());
}

#[test]
fn close_makes_later_calls_fail_cleanly() {
    let fixture = fresh();
    fixture.store.close().unwrap();
    assert!(matches!(fixture.store.user_count(), Err(StoreError::Closed)));
    // Closing twice is fine.
    fixture.store.close().unwrap();
}

#[test]
fn writes_survive_reopen() {
    for fixture in crate::backend_tests::backends() {
        user(&fixture.store, "admin", Role::Admin);
        fixture.store.close().unwrap();
        let again = fixture.reopen();
        assert_eq!(again.user_count().unwrap(), 1);
        assert_eq!(again.user_by_username("admin").unwrap().unwrap().role, Role::Admin);
    }
}

#[test]
fn duplicate_username_is_already_exists() {
    for fixture in crate::backend_tests::backends() {
        user(&fixture.store, "anna", Role::Examiner);
        let again = fixture.store.create_user(
            &Actor::system(),
            &NewUser { username: "anna".into(), password_hash: "h".into(), role: Role::Trainer },
        );
        assert!(matches!(again, Err(StoreError::AlreadyExists { entity: "user" })), "{again:?}");
    }
}

#[test]
fn auth_sessions_are_found_until_logout() {
    for fixture in crate::backend_tests::backends() {
        let anna = user(&fixture.store, "anna", Role::Examiner);
        fixture.store.create_auth_session(&anna, "hash1", "csrf1", "2999-01-01T00:00:00Z").unwrap();
        fixture.store.create_auth_session(&anna, "old", "csrf2", "2000-01-01T00:00:00Z").unwrap();
        let found = fixture.store.auth_session("hash1").unwrap().unwrap();
        assert_eq!(found.user, anna);
        assert_eq!(found.csrf_token, "csrf1");
        assert!(fixture.store.auth_session("old").unwrap().is_none(), "expired");
        fixture.store.delete_auth_session(&anna, "hash1").unwrap();
        assert!(fixture.store.auth_session("hash1").unwrap().is_none());
    }
}

#[test]
fn login_sessions_have_a_public_id_a_last_use_and_end_one_by_one_or_all_at_once() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let anna = user(store, "anna", Role::Examiner);
        let bert = user(store, "bert", Role::Examiner);
        let first = store.create_auth_session(&anna, "hash1", "csrf1", "2999-01-01T00:00:00Z").unwrap();
        let second = store.create_auth_session(&anna, "hash2", "csrf2", "2999-01-01T00:00:00Z").unwrap();
        let berts = store.create_auth_session(&bert, "hash3", "csrf3", "2999-01-01T00:00:00Z").unwrap();
        let found = store.auth_session("hash1").unwrap().unwrap();
        assert_eq!(found.id, first);
        let listed = store.login_sessions(anna.id, "2000-01-01T00:00:00Z").unwrap();
        assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), [second, first]);
        assert_eq!(listed[1].last_seen_at, found.last_seen_at);
        assert_eq!(listed[1].created_at, found.last_seen_at, "last seen at login");
        // Idle since before the cut-off: not listed.
        assert!(store.login_sessions(anna.id, "2999-01-01T00:00:00Z").unwrap().is_empty());
        // The last use moves forward only.
        store.touch_auth_session("hash1", "2998-01-01T00:00:00Z").unwrap();
        store.touch_auth_session("hash1", "2001-01-01T00:00:00Z").unwrap();
        assert_eq!(store.auth_session("hash1").unwrap().unwrap().last_seen_at, "2998-01-01T00:00:00Z");
        // One user cannot end another's session.
        let ended = store.end_login_session(&Actor::user(&anna), &anna, berts);
        assert!(matches!(ended, Err(StoreError::NotFound { entity: "login session" })), "{ended:?}");
        store.end_login_session(&Actor::user(&anna), &anna, second).unwrap();
        assert!(store.auth_session("hash2").unwrap().is_none());
        assert!(store.auth_session("hash3").unwrap().is_some());
        assert_eq!(store.end_user_sessions(&Actor::system(), "anna").unwrap(), 1);
        assert!(store.auth_session("hash1").unwrap().is_none());
        let unknown = store.end_user_sessions(&Actor::system(), "ghost");
        assert!(matches!(unknown, Err(StoreError::NotFound { entity: "user" })), "{unknown:?}");
        // A new session never gets an ended one's id.
        let third = store.create_auth_session(&anna, "hash4", "csrf4", "2999-01-01T00:00:00Z").unwrap();
        assert!(third > berts, "{third} after {berts}");
    }
}

#[test]
fn the_sessions_migration_keeps_open_logins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grille.sqlite");
    {
        // A database as the previous version left it: migrations 1 to 5.
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                 applied_at TEXT NOT NULL)",
            )
            .unwrap();
        for migration in MIGRATIONS.iter().filter(|migration| migration.version <= 5) {
            let transaction = connection.transaction().unwrap();
            transaction.execute_batch(migration.sql).unwrap();
            transaction
                .execute(
                    "INSERT INTO schema_migrations VALUES (?1, ?2, '2026-01-01T00:00:00Z')",
                    (migration.version, migration.name),
                )
                .unwrap();
            transaction.commit().unwrap();
        }
        connection
            .execute_batch(
                "INSERT INTO users (id, username, password_hash, role, created_at)
                     VALUES (1, 'anna', 'h', 'examiner', '2026-01-01T00:00:00Z');
                 INSERT INTO auth_sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                     VALUES ('old-hash', 1, 'csrf', '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z');",
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let session = store.auth_session("old-hash").unwrap().expect("kept");
    assert_eq!(session.user.username, "anna");
    assert!(session.last_seen_at.as_str() > "2026-01-02", "counted as used at the upgrade");
    assert_eq!(store.login_sessions(1, "2026-01-02T00:00:00Z").unwrap()[0].id, session.id);
}

#[test]
fn sessions_pin_documents_by_hash_and_share_identical_texts() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let first = session(&fixture.store, &admin);
        let second = session(&fixture.store, &admin);
        assert_eq!(first.documents.len(), 2);
        assert_eq!(first.documents[0].slot, "blueprint");
        assert_eq!(first.documents[0].sha256, sha256_hex("{\"b\":1}"));
        assert_eq!(first.documents, second.documents);
        let document = fixture.store.pinned_document(first.id, "catalogue").unwrap().unwrap();
        assert_eq!(document.content, "{\"c\":1}");
        assert!(fixture.store.pinned_document(first.id, "scheme").unwrap().is_none());
        assert_eq!(fixture.store.exam_sessions().unwrap().len(), 2);
    }
}

#[test]
fn sha256_of_known_text() {
    assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#[test]
fn candidate_numbers_are_checked() {
    for (text, ok) in [("2027-001", true), (" A12 ", true), ("", false), ("a b", false), ("é1", false)] {
        assert_eq!(CandidateNumber::parse(text).is_ok(), ok, "{text:?}");
    }
    assert!(CandidateNumber::parse(&"9".repeat(33)).is_err());
}

#[test]
fn enrolment_is_all_or_nothing() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let exam = session(&fixture.store, &admin);
        assert_eq!(enrol(&fixture.store, &admin, exam.id, &["001", "002"]).unwrap(), 2);
        let again = enrol(&fixture.store, &admin, exam.id, &["003", "001"]);
        assert!(matches!(again, Err(StoreError::AlreadyExists { entity: "enrolment" })), "{again:?}");
        let numbers: Vec<String> =
            fixture.store.session_candidates(exam.id).unwrap().iter().map(|c| c.number.to_string()).collect();
        assert_eq!(numbers, ["001", "002"], "003 must not have been saved");
        let missing = enrol(&fixture.store, &admin, 999, &["004"]);
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    }
}

#[test]
fn erasing_identity_keeps_the_candidate_and_audit_has_no_names() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let exam = session(&fixture.store, &admin);
        enrol(&fixture.store, &admin, exam.id, &["001"]).unwrap();
        assert!(fixture.store.session_candidates(exam.id).unwrap()[0].identity.is_some());
        let work = crate::NewSubmission {
            candidate: &number("001"),
            position: "2.1",
            file_name: "Muster rapport.pdf",
            media_type: "application/pdf",
            bytes: b"%PDF-1.4 rapport de Muster",
        };
        fixture.store.put_submission(&admin, exam.id, &work).unwrap();
        fixture.store.erase_candidate_identity(&admin, None, &number("001")).unwrap();
        let candidates = fixture.store.session_candidates(exam.id).unwrap();
        assert_eq!(candidates.len(), 1);
        assert_eq!(candidates[0].identity, None);
        // The work they handed in goes with it, bytes included.
        assert_eq!(fixture.store.submission(exam.id, &number("001"), "2.1").unwrap(), None);
        let hash = crate::sha256_bytes(b"%PDF-1.4 rapport de Muster");
        assert!(fixture.store.attachment(&hash).unwrap().is_none(), "the file's bytes are erased");
        let log = serde_json::to_string(&fixture.store.audit_log(&AuditQuery::default()).unwrap()).unwrap();
        assert!(!log.contains("Muster"), "personal data leaked into the audit log: {log}");
    }
}

#[test]
fn assignments_need_an_enrolled_candidate_and_an_examiner() {
    for fixture in crate::backend_tests::backends() {
        let admin_user = user(&fixture.store, "admin", Role::Admin);
        let admin = Actor::user(&admin_user);
        let expert = user(&fixture.store, "expert", Role::Examiner);
        let exam = session(&fixture.store, &admin);
        enrol(&fixture.store, &admin, exam.id, &["001"]).unwrap();
        fixture.store.assign_examiner(&admin, exam.id, &number("001"), "1.1", &expert).unwrap();
        let twice = fixture.store.assign_examiner(&admin, exam.id, &number("001"), "1.1", &expert);
        assert!(matches!(twice, Err(StoreError::AlreadyExists { .. })), "{twice:?}");
        let stranger = fixture.store.assign_examiner(&admin, exam.id, &number("999"), "1.1", &expert);
        assert!(matches!(stranger, Err(StoreError::NotFound { .. })), "{stranger:?}");
        let not_examiner = fixture.store.assign_examiner(&admin, exam.id, &number("001"), "2", &admin_user);
        assert!(matches!(not_examiner, Err(StoreError::BadValue(_))), "{not_examiner:?}");
        let list = fixture.store.assignments(exam.id).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].examiner, "expert");
    }
}

#[test]
fn evaluations_use_optimistic_concurrency() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let expert_user = user(&fixture.store, "expert", Role::Examiner);
        let expert = Actor::user(&expert_user);
        let exam = session(&fixture.store, &admin);
        enrol(&fixture.store, &admin, exam.id, &["001"]).unwrap();
        let key = evaluation_key(exam.id, "001", "1.1", "p1");
        let save = |content, status, expected| {
            fixture.store.save_evaluation(&expert, &key, expert_user.id, &content, status, expected)
        };
        let first = save(json!({"points": 3}), EvaluationStatus::Draft, None).unwrap();
        assert_eq!(first.version, 1);
        let second = save(json!({"points": 4}), EvaluationStatus::Draft, Some(1)).unwrap();
        assert_eq!(second.version, 2);
        let stale = save(json!({"points": 5}), EvaluationStatus::Draft, Some(1));
        assert!(
            matches!(stale, Err(StoreError::StaleVersion { expected: Some(1), current: 2 })),
            "{stale:?}"
        );
        let blind = save(json!({"points": 5}), EvaluationStatus::Draft, None);
        assert!(matches!(blind, Err(StoreError::StaleVersion { expected: None, current: 2 })), "{blind:?}");
        save(json!({"points": 4}), EvaluationStatus::Submitted, Some(2)).unwrap();
        let locked = save(json!({"points": 1}), EvaluationStatus::Draft, Some(3));
        assert!(matches!(locked, Err(StoreError::Locked { .. })), "{locked:?}");
        let stored = fixture.store.evaluation(&key, expert_user.id).unwrap().unwrap();
        assert_eq!(stored.content, json!({"points": 4}));
        assert_eq!(stored.status, EvaluationStatus::Submitted);

        let agreed =
            fixture.store.save_agreed_evaluation(&admin, &key, &json!({}), Some("4.5"), None).unwrap();
        assert_eq!((agreed.version, agreed.grade.as_deref()), (1, Some("4.5")));
        let stale = fixture.store.save_agreed_evaluation(&admin, &key, &json!({}), Some("5"), Some(7));
        assert!(matches!(stale, Err(StoreError::StaleVersion { .. })), "{stale:?}");
        assert_eq!(fixture.store.agreed_evaluation(&key).unwrap().unwrap().grade.as_deref(), Some("4.5"));
    }
}

#[test]
fn the_language_of_remarks_is_kept_and_only_fr_de_or_it_is_accepted() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let expert_user = user(store, "expert", Role::Examiner);
        let expert = Actor::user(&expert_user);
        let exam = session(store, &admin);
        enrol(store, &admin, exam.id, &["001"]).unwrap();
        let key = evaluation_key(exam.id, "001", "1.1", "p1");
        let content = |language: serde_json::Value| json!({"answers": [], "remark": "Gut begründet.", "remark_language": language});
        // (language written, accepted): absent and null are "unknown".
        let cases = [
            (json!("de"), true),
            (json!("en"), false),
            (json!("DE"), false),
            (json!(7), false),
            (serde_json::Value::Null, true),
            (json!("it"), true),
        ];
        let (mut version, mut agreed_version) = (None, None);
        for (language, accepted) in cases {
            let saved = store.save_evaluation(
                &expert,
                &key,
                expert_user.id,
                &content(language.clone()),
                EvaluationStatus::Draft,
                version,
            );
            assert_eq!(saved.is_ok(), accepted, "{}: {language}: {saved:?}", fixture.backend);
            if let Ok(saved) = saved {
                version = Some(saved.version);
                let stored = store.evaluation(&key, expert_user.id).unwrap().unwrap();
                assert_eq!(stored.content["remark_language"], language, "{}", fixture.backend);
            }
            let agreed =
                store.save_agreed_evaluation(&admin, &key, &content(language.clone()), None, agreed_version);
            assert_eq!(agreed.is_ok(), accepted, "{}: agreed {language}: {agreed:?}", fixture.backend);
            if let Ok(agreed) = agreed {
                agreed_version = Some(agreed.version);
                assert_eq!(agreed.content["remark_language"], language, "{}", fixture.backend);
            }
        }
        // An evaluation written before the language was recorded stays valid.
        let old = store.save_evaluation(
            &expert,
            &key,
            expert_user.id,
            &json!({"answers": []}),
            EvaluationStatus::Draft,
            version,
        );
        assert!(old.is_ok(), "{}: {old:?}", fixture.backend);
    }
}

#[test]
fn the_language_of_a_confirmation_justification_is_kept_and_only_fr_de_or_it_is_accepted() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let anna = user(store, "anna", Role::Examiner);
        let exam = session(store, &admin);
        enrol(store, &admin, exam.id, &["001"]).unwrap();
        let key = evaluation_key(exam.id, "001", "1", "1.1");
        store.save_agreed_evaluation(&admin, &key, &json!({"answers": []}), Some("3.5"), None).unwrap();
        // (language written, accepted); none is "unknown".
        let cases = [
            (Some("de"), true),
            (Some("en"), false),
            (Some("DE"), false),
            (Some(""), false),
            (None, true),
            (Some("it"), true),
        ];
        for (language, accepted) in cases {
            let confirmed =
                store.confirm_agreed(&Actor::user(&anna), &key, &anna, 1, Some("Vu ensemble."), language);
            assert_eq!(confirmed.is_ok(), accepted, "{}: {language:?}: {confirmed:?}", fixture.backend);
            let stored = store.session_confirmations(exam.id).unwrap();
            if let Ok(confirmed) = confirmed {
                assert_eq!(confirmed.justification_language.as_deref(), language, "{}", fixture.backend);
                assert_eq!(stored[0].justification_language.as_deref(), language, "{}", fixture.backend);
            } else {
                // A refused confirmation leaves the one before as it was.
                assert_ne!(stored[0].justification_language.as_deref(), language, "{}", fixture.backend);
            }
        }
        // A confirmation given before the language was recorded (the
        // column left empty by migration 0025) is read without one.
        fixture.raw("UPDATE agreed_confirmations SET justification_language = NULL");
        let old = store.session_confirmations(exam.id).unwrap();
        assert_eq!(
            (old[0].justification.as_deref(), old[0].justification_language.as_deref()),
            (Some("Vu ensemble."), None),
            "{}",
            fixture.backend
        );
    }
}

#[test]
fn every_write_has_its_audit_entry() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let exam = session(&fixture.store, &admin);
        enrol(&fixture.store, &admin, exam.id, &["001"]).unwrap();
        let actions: Vec<(String, String)> = fixture
            .store
            .audit_log(&AuditQuery::default())
            .unwrap()
            .into_iter()
            .rev()
            .map(|entry| (entry.actor, entry.action))
            .collect();
        let expected = [("system", "user.create"), ("admin", "session.create"), ("admin", "candidate.enrol")];
        let expected: Vec<(String, String)> =
            expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(actions, expected);
        let session_entries = fixture
            .store
            .audit_log(&AuditQuery {
                entity: Some("exam_session".into()),
                entity_id: Some(exam.id.to_string()),
                limit: None,
                ..AuditQuery::default()
            })
            .unwrap();
        assert_eq!(session_entries.len(), 1);
        assert_eq!(session_entries[0].before, None);
        assert_eq!(session_entries[0].after.as_ref().unwrap()["name"], "Printemps 2027");
    }
}

#[test]
fn finalisation_stores_results_locks_evaluations_and_corrections_keep_the_original() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let expert_user = user(store, "expert", Role::Examiner);
        let exam = session(store, &admin);
        assert_eq!(exam.workflow_state, grille_workflow::SessionState::Enrolment);
        enrol(store, &admin, exam.id, &["001", "002"]).unwrap();
        store.set_candidate_status(&admin, exam.id, &number("002"), "excluded").unwrap();
        assert!(matches!(
            store.set_candidate_status(&admin, exam.id, &number("002"), "gone"),
            Err(StoreError::BadValue(_))
        ));
        let statuses: Vec<String> =
            store.session_candidates(exam.id).unwrap().into_iter().map(|c| c.status).collect();
        assert_eq!(statuses, ["present", "excluded"]);
        // Compare-and-set of the state.
        store.set_session_state(&admin, exam.id, "enrolment", "scoring").unwrap();
        let twice = store.set_session_state(&admin, exam.id, "enrolment", "scoring");
        assert!(
            matches!(twice, Err(StoreError::WrongState { ref current }) if current == "scoring"),
            "{twice:?}"
        );
        let key = evaluation_key(exam.id, "001", "1", "1.1");
        let expert = Actor::user(&expert_user);
        store
            .save_evaluation(&expert, &key, expert_user.id, &json!({"a": 1}), EvaluationStatus::Draft, None)
            .unwrap();
        let all = store.session_evaluations(exam.id).unwrap();
        assert_eq!((all.len(), all[0].examiner.as_str()), (1, "expert"));
        // A write after the results were computed makes the finalisation stale.
        let stamp = store.evaluation_stamp(exam.id).unwrap();
        store
            .save_evaluation(
                &expert,
                &key,
                expert_user.id,
                &json!({"a": 2}),
                EvaluationStatus::Submitted,
                Some(1),
            )
            .unwrap();
        let result = |outcome: &str, grade: Option<&str>| NewResult {
            candidate: number("001"),
            outcome: outcome.into(),
            overall_grade: grade.map(str::to_owned),
            explanation: json!({"outcome": outcome}),
        };
        let stale = store.finalise_session(&admin, exam.id, &stamp, &[result("passed", Some("4.5"))]);
        assert!(matches!(stale, Err(StoreError::StaleVersion { .. })), "{stale:?}");
        let stamp = store.evaluation_stamp(exam.id).unwrap();
        store.finalise_session(&admin, exam.id, &stamp, &[result("passed", Some("4.5"))]).unwrap();
        assert_eq!(
            store.exam_session(exam.id).unwrap().unwrap().workflow_state,
            grille_workflow::SessionState::Finalised
        );
        let locked = store.save_evaluation(
            &expert,
            &key,
            expert_user.id,
            &json!({}),
            EvaluationStatus::Draft,
            Some(2),
        );
        assert!(matches!(locked, Err(StoreError::Locked { .. })), "{locked:?}");
        // A correction replaces the result and keeps the original.
        let correction = NewCorrection {
            position: "1.1".into(),
            reason: "Recours admis".into(),
            evaluation: json!({"answers": []}),
            result: result("failed", Some("3.9")),
        };
        let stale = store.correct_result(&admin, exam.id, &correction, 7);
        assert!(matches!(stale, Err(StoreError::StaleVersion { .. })), "{stale:?}");
        let after = store.correct_result(&admin, exam.id, &correction, 1).unwrap();
        assert_eq!((after.version, after.overall_grade.as_deref()), (2, Some("3.9")));
        let corrections = store.corrections(exam.id, &number("001")).unwrap();
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0].before, json!({"outcome": "passed"}));
        assert_eq!(corrections[0].corrected_by, "admin");
        // Retention, and the candidate account link.
        store.set_retention(&admin, exam.id, "2030-12-31").unwrap();
        let sessions = store.candidate_sessions(None, &number("001")).unwrap();
        assert_eq!(sessions[0].retention_until.as_deref(), Some("2030-12-31"));
        let account = user(store, "cand", Role::Candidate);
        store.link_candidate_user(&admin, account.id, &number("001")).unwrap();
        assert_eq!(store.user_candidate(account.id).unwrap(), Some(number("001")));
        // Everything survives a reopen.
        store.close().unwrap();
        let again = fixture.reopen();
        assert_eq!(again.session_results(exam.id).unwrap()[0].overall_grade.as_deref(), Some("3.9"));
    }
}

#[test]
fn schools_own_mock_sessions_trainers_and_their_cohort_register() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let school = store.create_school(&admin, "École A").unwrap();
        let other = store.create_school(&admin, "École B").unwrap();
        assert!(matches!(
            store.create_school(&admin, "École A"),
            Err(StoreError::AlreadyExists { entity: "school" })
        ));
        assert_eq!(
            store.schools().unwrap().iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["École A", "École B"]
        );
        let new_trainer = NewUser {
            username: "formatrice".into(),
            password_hash: "$argon2id$x".into(),
            role: Role::Trainer,
        };
        let trainer = store.create_user_in_school(&admin, &new_trainer, Some(school.id)).unwrap();
        assert_eq!(trainer.school_id, Some(school.id));
        assert_eq!(store.user_by_username("formatrice").unwrap().unwrap().school_id, Some(school.id));
        assert!(matches!(
            store.create_user_in_school(
                &admin,
                &NewUser { username: "x".into(), ..new_trainer.clone() },
                Some(999)
            ),
            Err(StoreError::NotFound { entity: "school" })
        ));
        assert_eq!(store.school_users(school.id).unwrap().len(), 1);

        // An official and a mock session: kinds and owners stored.
        let official = session(store, &admin);
        assert_eq!((official.kind.as_str(), official.school_id), ("official", None));
        let new = NewExamSession { name: "Examen blanc".into(), exam_date: None, documents: Vec::new() };
        let mock = store
            .create_exam_session_for(
                &Actor::user(&trainer),
                &new,
                SessionOwner::Mock { school_id: school.id },
            )
            .unwrap();
        assert_eq!((mock.kind.as_str(), mock.school_id), ("mock", Some(school.id)));
        assert!(matches!(
            store.create_exam_session_for(&admin, &new, SessionOwner::Mock { school_id: 999 }),
            Err(StoreError::NotFound { entity: "school" })
        ));
        assert_eq!(store.school_sessions(school.id).unwrap().len(), 1);
        assert!(store.school_sessions(other.id).unwrap().is_empty());

        // Registers: a number belongs to one register; the same number in
        // another register is another candidate, and enrolling it says nothing
        // about the first (no existence oracle).
        enrol(store, &admin, official.id, &["OFF-1"]).unwrap();
        enrol(store, &Actor::user(&trainer), mock.id, &["ECA-1"]).unwrap();
        enrol(store, &Actor::user(&trainer), mock.id, &["ECA-2", "OFF-1"]).unwrap();
        let second = store
            .create_exam_session_for(
                &Actor::user(&trainer),
                &new,
                SessionOwner::Mock { school_id: school.id },
            )
            .unwrap();
        enrol(store, &Actor::user(&trainer), second.id, &["ECA-1"]).unwrap();
        let other_mock =
            store.create_exam_session_for(&admin, &new, SessionOwner::Mock { school_id: other.id }).unwrap();
        enrol(store, &admin, other_mock.id, &["ECA-1"]).unwrap();
        enrol(store, &admin, official.id, &["ECA-1"]).unwrap();
        let board =
            store.numbers_in_register(None, &[number("OFF-1"), number("ECA-1"), number("NEW-1")]).unwrap();
        assert_eq!(board.into_iter().collect::<Vec<_>>(), ["ECA-1", "OFF-1"]);
        let cohort = store
            .numbers_in_register(Some(school.id), &[number("OFF-1"), number("ECA-1"), number("ECA-2")])
            .unwrap();
        assert_eq!(cohort.len(), 3);
        // Each register's candidate has their own sessions.
        let sessions = store.candidate_sessions(Some(school.id), &number("ECA-1")).unwrap();
        assert_eq!(sessions.iter().map(|s| s.session_id).collect::<Vec<_>>(), [mock.id, second.id]);
        let sessions = store.candidate_sessions(None, &number("OFF-1")).unwrap();
        assert_eq!(sessions.iter().map(|s| s.session_id).collect::<Vec<_>>(), [official.id]);
        let sessions = store.candidate_sessions(Some(school.id), &number("OFF-1")).unwrap();
        assert_eq!(sessions.iter().map(|s| s.session_id).collect::<Vec<_>>(), [mock.id]);

        // Trainers can be assigned; their assignments are listed across sessions.
        store.assign_examiner(&Actor::user(&trainer), mock.id, &number("ECA-1"), "1", &trainer).unwrap();
        let mine = store.user_assignments(trainer.id).unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].session_id, mine[0].kind.as_str(), mine[0].part.as_str()),
            (mock.id, "mock", "1")
        );

        // A school in use cannot be deleted; an unused one can; renames are audited.
        assert!(matches!(
            store.delete_school(&admin, school.id),
            Err(StoreError::InUse { entity: "school" })
        ));
        let empty = store.create_school(&admin, "École C").unwrap();
        assert_eq!(store.rename_school(&admin, empty.id, "École D").unwrap().name, "École D");
        assert!(matches!(
            store.rename_school(&admin, empty.id, "École A"),
            Err(StoreError::AlreadyExists { .. })
        ));
        store.delete_school(&admin, empty.id).unwrap();
        assert_eq!(store.school(empty.id).unwrap(), None);
        let audit = store
            .audit_log(&AuditQuery {
                entity: Some("school".into()),
                entity_id: Some(empty.id.to_string()),
                limit: None,
                ..AuditQuery::default()
            })
            .unwrap();
        let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
        assert_eq!(actions, ["school.delete", "school.rename", "school.create"]);
    }
}

#[test]
fn every_write_to_a_session_bumps_its_revision_and_only_its_own() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let expert_user = user(store, "expert", Role::Examiner);
        let exam = session(store, &admin);
        let other = session(store, &admin);
        let revision = |id| store.session_revision(id).unwrap().unwrap();
        let other_before = revision(other.id);
        let mut last = revision(exam.id);
        let mut bumped = |what: &str| {
            let now = revision(exam.id);
            assert!(now > last, "{what} did not bump the revision ({last} → {now})");
            last = now;
        };
        enrol(store, &admin, exam.id, &["001", "002"]).unwrap();
        bumped("enrolment");
        store.assign_examiner(&admin, exam.id, &number("001"), "1", &expert_user).unwrap();
        bumped("assignment");
        store.set_candidate_status(&admin, exam.id, &number("002"), "absent").unwrap();
        bumped("candidate status");
        store.set_session_state(&admin, exam.id, "enrolment", "scoring").unwrap();
        bumped("workflow state");
        let key = evaluation_key(exam.id, "001", "1", "1.1");
        let expert = Actor::user(&expert_user);
        store
            .save_evaluation(&expert, &key, expert_user.id, &json!({}), EvaluationStatus::Draft, None)
            .unwrap();
        bumped("new evaluation");
        store
            .save_evaluation(
                &expert,
                &key,
                expert_user.id,
                &json!({"a": 1}),
                EvaluationStatus::Draft,
                Some(1),
            )
            .unwrap();
        bumped("evaluation update");
        store.save_agreed_evaluation(&admin, &key, &json!({}), Some("4"), None).unwrap();
        bumped("agreed evaluation");
        store.erase_candidate_identity(&admin, None, &number("002")).unwrap();
        bumped("erased personal data");
        assert_eq!(revision(other.id), other_before, "another session's revision moved");
        assert_eq!(store.session_revision(9999).unwrap(), None);
    }
}

#[test]
fn a_focused_read_has_the_candidate_and_the_user_and_nothing_else() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let anna = user(store, "anna", Role::Examiner);
        let ben = user(store, "ben", Role::Examiner);
        let exam = session(store, &admin);
        enrol(store, &admin, exam.id, &["001", "002", "003"]).unwrap();
        // anna scores 001 and 002, ben scores 001 and 003.
        for (examiner, numbers) in [(&anna, ["001", "002"]), (&ben, ["001", "003"])] {
            for text in numbers {
                store.assign_examiner(&admin, exam.id, &number(text), "1", examiner).unwrap();
                let key = evaluation_key(exam.id, text, "1", "1.1");
                let actor = Actor::user(examiner);
                store
                    .save_evaluation(&actor, &key, examiner.id, &json!({}), EvaluationStatus::Draft, None)
                    .unwrap();
            }
        }
        let key = evaluation_key(exam.id, "003", "1", "1.1");
        store.save_agreed_evaluation(&admin, &key, &json!({}), None, None).unwrap();
        let focus = Focus::Around { candidate: "003", user: "anna" };
        // Around 003 and anna: anna's own rows, and 003's (ben's).
        let around = [("001", "anna"), ("002", "anna"), ("003", "ben")];
        let evaluations = store.session_evaluations_in(exam.id, focus).unwrap();
        let evaluated: Vec<(&str, &str)> =
            evaluations.iter().map(|row| (row.candidate.as_str(), row.examiner.as_str())).collect();
        assert_eq!(evaluated, around);
        let assignments = store.assignments_in(exam.id, focus).unwrap();
        let assigned: Vec<(&str, &str)> =
            assignments.iter().map(|row| (row.candidate_number.as_str(), row.examiner.as_str())).collect();
        assert_eq!(assigned, around);
        // A focus reads its candidate and its user's: all three, both ways round.
        let candidates_around = |focus| -> Vec<String> {
            let candidates = store.session_candidates_in(exam.id, focus).unwrap();
            candidates.into_iter().map(|candidate| candidate.number.as_str().to_owned()).collect()
        };
        assert_eq!(candidates_around(focus), ["001", "002", "003"]);
        let agreed =
            store.session_agreed_in(exam.id, Focus::Around { candidate: "001", user: "anna" }).unwrap();
        assert!(agreed.is_empty(), "003's agreed evaluation is not about 001");
        assert_eq!(store.session_agreed_in(exam.id, focus).unwrap().len(), 1);
        // The unfocused reads are unchanged.
        assert_eq!(store.session_evaluations(exam.id).unwrap().len(), 4);
        assert_eq!(store.assignments(exam.id).unwrap().len(), 4);
        assert_eq!(store.session_candidates(exam.id).unwrap().len(), 3);
        assert_eq!(candidates_around(Focus::Around { candidate: "002", user: "ben" }), ["001", "002", "003"]);
        let one = Focus::Around { candidate: "002", user: "nobody" };
        let numbers: Vec<String> = store
            .session_evaluations_in(exam.id, one)
            .unwrap()
            .into_iter()
            .map(|row| row.candidate.as_str().to_owned())
            .collect();
        assert_eq!(numbers, ["002"]);
    }
}

#[test]
fn concurrent_saves_are_committed_together_and_a_refused_one_changes_nothing_else() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let admin = Actor::user(&user(store, "admin", Role::Admin));
        let (exam, numbers) = session_numbered(store, &admin, "G", 8);
        let examiners: Vec<User> =
            (0..16).map(|n| user(store, &format!("exp-{n:02}"), Role::Examiner)).collect();
        let audit_before = store.audit_count().unwrap();
        const ROUNDS: i64 = 15;
        std::thread::scope(|scope| {
            for (index, examiner) in examiners.iter().enumerate() {
                let key = evaluation_key(exam.id, &numbers[index / 2], "1", "1.1");
                scope.spawn(move || {
                    let actor = Actor::user(examiner);
                    let mut version = None;
                    for round in 0..ROUNDS {
                        let content = json!({"round": round, "examiner": examiner.username});
                        let saved = store
                            .save_evaluation(
                                &actor,
                                &key,
                                examiner.id,
                                &content,
                                EvaluationStatus::Draft,
                                version,
                            )
                            .unwrap();
                        assert_eq!(saved.version, round + 1);
                        // A stale write in the same stream of saves is refused
                        // alone, whatever batch it lands in.
                        let stale = store.save_evaluation(
                            &actor,
                            &key,
                            examiner.id,
                            &json!({}),
                            EvaluationStatus::Draft,
                            version,
                        );
                        assert!(
                            matches!(stale, Err(StoreError::StaleVersion { .. })) || version.is_none(),
                            "{stale:?}"
                        );
                        version = Some(saved.version);
                    }
                });
            }
        });
        // Every acknowledged save is there after a reopen, with its audit entry.
        store.close().unwrap();
        let reopened = fixture.reopen();
        let evaluations = reopened.session_evaluations(exam.id).unwrap();
        assert_eq!(evaluations.len(), examiners.len());
        for row in &evaluations {
            assert_eq!(row.evaluation.version, ROUNDS, "{}", row.examiner);
            assert_eq!(row.evaluation.content["round"], ROUNDS - 1);
            assert_eq!(row.evaluation.content["examiner"], row.examiner.as_str());
        }
        assert_eq!(reopened.audit_count().unwrap() - audit_before, examiners.len() as i64 * ROUNDS);
        // The refused (rolled-back) saves left no hole in the audit chain.
        let count = reopened.audit_count().unwrap();
        assert!(
            matches!(reopened.verify_audit_chain().unwrap(), AuditVerification::Intact(summary) if summary.entries == count)
        );
    }
}

#[test]
fn a_backup_taken_under_write_load_restores_every_write_acknowledged_before_it() {
    let fixture = fresh();
    let store = &fixture.store;
    let admin = Actor::user(&user(store, "admin", Role::Admin));
    let expert = user(store, "expert", Role::Examiner);
    let (exam, numbers) = session_numbered(store, &admin, "B", 20);
    let acknowledged = std::sync::Mutex::new(Vec::new());
    let stop = std::sync::atomic::AtomicBool::new(false);
    let copy = fixture.path.with_file_name("copy.sqlite");
    let summary = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let actor = Actor::user(&expert);
            let mut round = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let key = evaluation_key(exam.id, &numbers[round % numbers.len()], "1", &format!("p{round}"));
                let saved = store
                    .save_evaluation(
                        &actor,
                        &key,
                        expert.id,
                        &json!({"round": round}),
                        EvaluationStatus::Draft,
                        None,
                    )
                    .unwrap();
                acknowledged.lock().unwrap().push((round, saved.version));
                round += 1;
            }
        });
        // Let some writes land, note them, then copy while writing goes on.
        while acknowledged.lock().unwrap().len() < 50 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let before: Vec<usize> = acknowledged.lock().unwrap().iter().map(|(round, _)| *round).collect();
        let summary = backup::backup(&fixture.path, &copy).unwrap();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        writer.join().unwrap();
        (summary, before)
    });
    let (summary, before) = summary;
    assert!(summary.evaluations >= before.len() as i64, "{summary:?}");
    // Restore the copy over a fresh database and find every write
    // acknowledged before the backup began.
    let target = fixture.path.with_file_name("restored.sqlite");
    Store::open(&target).unwrap().close().unwrap();
    let (_, kept) = backup::restore(&copy, &target).unwrap();
    assert!(kept.is_some_and(|kept| kept.exists()), "the replaced database is kept");
    let restored = Store::open(&target).unwrap();
    let rounds: std::collections::BTreeSet<i64> = restored
        .session_evaluations(exam.id)
        .unwrap()
        .iter()
        .map(|row| row.evaluation.content["round"].as_i64().unwrap())
        .collect();
    for round in before {
        assert!(rounds.contains(&(round as i64)), "round {round} is missing from the restored copy");
    }
    assert_eq!(restored.applied_migrations().unwrap(), every_migration());
    assert!(matches!(restored.verify_audit_chain().unwrap(), AuditVerification::Intact(_)));
}

#[test]
fn backups_refuse_what_they_cannot_use() {
    let fixture = fresh();
    let dir = fixture.path.parent().unwrap().to_owned();
    let copy = dir.join("copy.sqlite");
    assert!(matches!(backup::backup(&dir.join("none.sqlite"), &copy), Err(backup::BackupError::Missing(_))));
    backup::backup(&fixture.path, &copy).unwrap();
    assert!(matches!(backup::backup(&fixture.path, &copy), Err(backup::BackupError::Exists(_))));
    let text = dir.join("notes.txt");
    std::fs::write(&text, "pas une base").unwrap();
    assert!(matches!(
        backup::check(&text),
        Err(backup::BackupError::Damaged { .. } | backup::BackupError::Store(_))
    ));
    assert!(backup::restore(&text, &fixture.path).is_err());
    // A copy from a newer grille is refused, and nothing is replaced.
    let newer = dir.join("newer.sqlite");
    std::fs::copy(&copy, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'x', 'now')", [])
        .unwrap();
    assert!(matches!(
        backup::restore(&newer, &fixture.path),
        Err(backup::BackupError::TooNew { found: 99, .. })
    ));
    assert!(fixture.store.user_count().is_ok(), "the database in use is untouched");
}

/// A store with a few kinds of writes (users, a session, candidates,
/// evaluations saved through the group commit): 30-odd audit entries.
fn busy_store() -> (Fixture, i64) {
    let fixture = fresh();
    let store = &fixture.store;
    let admin = Actor::user(&user(store, "admin", Role::Admin));
    let expert = user(store, "expert", Role::Examiner);
    let (exam, numbers) = session_numbered(store, &admin, "H", 10);
    for (round, text) in numbers.iter().enumerate() {
        let key = evaluation_key(exam.id, text, "1", "1.1");
        let content = json!({"round": round, "note": "« accents » et \"guillemets\""});
        store
            .save_evaluation(&Actor::user(&expert), &key, expert.id, &content, EvaluationStatus::Draft, None)
            .unwrap();
    }
    let count = store.audit_count().unwrap();
    (fixture, count)
}

fn raw(fixture: &Fixture) -> rusqlite::Connection {
    let connection = rusqlite::Connection::open(&fixture.path).unwrap();
    connection.busy_timeout(std::time::Duration::from_secs(5)).unwrap();
    connection
}

fn broken(verification: AuditVerification) -> AuditBreak {
    match verification {
        AuditVerification::Broken(broken) => broken,
        other => panic!("expected a broken chain, got {other:?}"),
    }
}

#[test]
fn the_audit_chain_over_many_writes_verifies() {
    let (fixture, count) = busy_store();
    assert!(count > 20, "{count}");
    let AuditVerification::Intact(summary) = fixture.store.verify_audit_chain().unwrap() else {
        panic!("the chain should verify");
    };
    assert_eq!(summary.entries, count);
    assert!(summary.first_at.is_some() && summary.first_at <= summary.last_at, "{summary:?}");
    assert_ne!(summary.last_hash, GENESIS_HASH);
    // The file check (read-only, what `grille audit verify` runs) agrees,
    // with the server's store still open.
    assert_eq!(verify_audit_file(&fixture.path).unwrap(), AuditVerification::Intact(summary));
    // The documented format: the first entry chains to the genesis value,
    // hash = SHA-256(previous hash || JSON array of the stored values).
    let (id, at, actor, action, entity, entity_id, after, previous, hash): (
        i64,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = raw(&fixture)
        .query_row(
            "SELECT id, at, actor, action, entity, entity_id, after_value, previous_hash, hash
             FROM audit_log ORDER BY id LIMIT 1",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(previous, GENESIS_HASH);
    let quoted = |text: &str| serde_json::Value::from(text).to_string();
    let canonical = format!(
        "[{id},{},null,{},{},{},{},null,{}]",
        quoted(&at),
        quoted(&actor),
        quoted(&action),
        quoted(&entity),
        quoted(&entity_id),
        quoted(&after)
    );
    assert_eq!(hash, sha256_hex(&format!("{GENESIS_HASH}{canonical}")));
}

#[test]
fn an_edited_audit_entry_is_detected_at_that_entry() {
    let (fixture, _) = busy_store();
    let target: (i64, String, String) = raw(&fixture)
        .query_row(
            "SELECT id, action, entity FROM audit_log WHERE after_value IS NOT NULL ORDER BY id LIMIT 1 OFFSET 7",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .unwrap();
    let changed = raw(&fixture)
        .execute("UPDATE audit_log SET after_value = '{\"forged\":true}' WHERE id = ?1", [target.0]);
    assert_eq!(changed.unwrap(), 1);
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!((found.id, found.problem), (target.0, ChainProblem::HashMismatch), "{found:?}");
    assert_eq!((found.action, found.entity), (target.1, target.2));
    assert_eq!(found.intact_before, target.0 - 1);
    assert!(matches!(verify_audit_file(&fixture.path).unwrap(), AuditVerification::Broken(_)));

    // A stored hash replaced is caught at that entry.
    let (fixture, _) = busy_store();
    raw(&fixture).execute("UPDATE audit_log SET hash = ?1 WHERE id = 5", [GENESIS_HASH]).unwrap();
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!((found.id, found.problem), (5, ChainProblem::HashMismatch), "{found:?}");
    // An entry added by hand, without a hash, is caught too.
    let (fixture, _) = busy_store();
    let last: i64 = raw(&fixture).query_row("SELECT MAX(id) FROM audit_log", [], |row| row.get(0)).unwrap();
    raw(&fixture)
        .execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id) VALUES ('2027-01-01T00:00:00Z', 'x', 'user.create', 'user', '99')",
            [],
        )
        .unwrap();
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!((found.id, found.problem), (last + 1, ChainProblem::HashMismatch), "{found:?}");
}

#[test]
fn a_deleted_audit_entry_is_detected_at_the_next() {
    let (fixture, count) = busy_store();
    raw(&fixture).execute("DELETE FROM audit_log WHERE id = 12", []).unwrap();
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!(
        (found.id, found.problem, found.intact_before),
        (13, ChainProblem::LinkMismatch, 11),
        "{found:?}"
    );
    // The first entry deleted: the second no longer links to the genesis.
    let (fixture, _) = busy_store();
    raw(&fixture).execute("DELETE FROM audit_log WHERE id = 1", []).unwrap();
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!((found.id, found.problem), (2, ChainProblem::LinkMismatch), "{found:?}");
    // Entries swapped (ids exchanged) are caught: the id is hashed.
    let (fixture, _) = busy_store();
    let swap = raw(&fixture);
    swap.execute_batch(
        "UPDATE audit_log SET id = -1 WHERE id = 3;
         UPDATE audit_log SET id = 3 WHERE id = 4;
         UPDATE audit_log SET id = 4 WHERE id = -1;",
    )
    .unwrap();
    let found = broken(fixture.store.verify_audit_chain().unwrap());
    assert_eq!(found.id, 3, "{found:?}");
    assert!(count > 13);
}

#[test]
fn an_audit_entry_rolled_back_with_its_savepoint_leaves_the_chain_linear() {
    let (fixture, count) = busy_store();
    let store = &fixture.store;
    let last_hash = |connection: &rusqlite::Connection| -> (i64, String) {
        connection
            .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap()
    };
    // An entry about the test itself, appended inside a savepoint.
    let append =
        |connection: &rusqlite::Connection, action: &str, id: &str, after: Option<&serde_json::Value>| {
            audit::record_in(
                &crate::db::Db::Sqlite(connection),
                &Actor::system(),
                action,
                "test",
                id,
                None,
                after,
            )
        };
    store
        .with(|connection| {
            let mut transaction = connection.transaction()?;
            let before = last_hash(&transaction);
            {
                let savepoint = transaction.savepoint()?;
                append(&savepoint, "test.kept", "1", None)?;
                savepoint.commit()?;
            }
            {
                let mut savepoint = transaction.savepoint()?;
                append(&savepoint, "test.refused", "2", Some(&json!(2)))?;
                assert_eq!(last_hash(&savepoint).0, before.0 + 2);
                savepoint.rollback()?;
            }
            let kept = last_hash(&transaction);
            assert_eq!(kept.0, before.0 + 1);
            {
                let savepoint = transaction.savepoint()?;
                append(&savepoint, "test.next", "3", None)?;
                savepoint.commit()?;
            }
            // The next entry takes the refused one's id and chains to the
            // entry before it.
            let (id, previous): (i64, String) = transaction.query_row(
                "SELECT id, previous_hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?;
            assert_eq!((id, previous), (before.0 + 2, kept.1));
            transaction.commit()?;
            Ok(())
        })
        .unwrap();
    // A stale write through the real group commit: refused alone.
    let expert = store.user_by_username("expert").unwrap().unwrap();
    let exam_id: i64 =
        raw(&fixture).query_row("SELECT MIN(id) FROM exam_sessions", [], |row| row.get(0)).unwrap();
    let key = evaluation_key(exam_id, "H01", "1", "1.1");
    let actor = Actor::user(&expert);
    let stale = store.save_evaluation(&actor, &key, expert.id, &json!({}), EvaluationStatus::Draft, Some(99));
    assert!(matches!(stale, Err(StoreError::StaleVersion { .. })), "{stale:?}");
    store
        .save_evaluation(&actor, &key, expert.id, &json!({"ok": 1}), EvaluationStatus::Draft, Some(1))
        .unwrap();
    assert!(matches!(
        store.verify_audit_chain().unwrap(),
        AuditVerification::Intact(summary) if summary.entries == count + 3
    ));
}

#[test]
fn a_database_created_at_migration_5_verifies_once_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        migrate::apply_until(&mut connection, 5).unwrap();
        // Entries as grille wrote them before the chain.
        for (index, (actor_id, before, after)) in [
            (None, None, Some("{\"username\":\"admin\",\"role\":\"admin\"}")),
            (Some(1), None, Some("{\"name\":\"Printemps\"}")),
            (Some(1), Some("{\"name\":\"Printemps\"}"), Some("{\"name\":\"Été « 2027 »\"}")),
        ]
        .into_iter()
        .enumerate()
        {
            connection
                .execute(
                    "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, before_value, after_value)
                     VALUES (?1, ?2, 'admin', 'x.change', 'x', ?3, ?4, ?5)",
                    (format!("2026-01-0{}T10:00:00Z", index + 1), actor_id, index.to_string(), before, after),
                )
                .unwrap();
        }
    }
    assert_eq!(verify_audit_file(&path).unwrap(), AuditVerification::Unchained);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.applied_migrations().unwrap(), every_migration());
    let AuditVerification::Intact(summary) = store.verify_audit_chain().unwrap() else {
        panic!("an upgraded database verifies");
    };
    assert_eq!((summary.entries, summary.first_at.as_deref()), (3, Some("2026-01-01T10:00:00Z")));
    // New entries chain on after the old ones.
    user(&store, "later", Role::Examiner);
    assert!(matches!(
        store.verify_audit_chain().unwrap(),
        AuditVerification::Intact(summary) if summary.entries == 4
    ));
    store.close().unwrap();
    assert!(matches!(verify_audit_file(&path).unwrap(), AuditVerification::Intact(_)));
}

#[test]
fn totp_is_confirmed_once_its_steps_and_recovery_codes_are_used_once_and_the_audit_keeps_no_secret() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let anna = user(store, "anna", Role::Admin);
        let hashes = vec![sha256_hex("aaaa"), sha256_hex("bbbb")];
        store.start_totp(&anna, "SECRETSECRETSECRET", &hashes).unwrap();
        let pending = store.totp(anna.id).unwrap().unwrap();
        assert!(!pending.confirmed);
        assert!(!store.accept_totp_step(anna.id, 100).unwrap(), "not confirmed yet");
        // Restarting replaces a pending enrolment.
        store.start_totp(&anna, "OTHERSECRETOTHERSECRET", &hashes).unwrap();
        store.confirm_totp(&anna, 100).unwrap();
        assert!(matches!(store.confirm_totp(&anna, 101), Err(StoreError::NotFound { .. })));
        assert!(matches!(store.start_totp(&anna, "X", &hashes), Err(StoreError::AlreadyExists { .. })));
        let confirmed = store.totp(anna.id).unwrap().unwrap();
        assert_eq!(
            (confirmed.secret.as_str(), confirmed.confirmed, confirmed.last_step),
            ("OTHERSECRETOTHERSECRET", true, Some(100))
        );
        assert!(!store.accept_totp_step(anna.id, 100).unwrap(), "replay");
        assert!(!store.accept_totp_step(anna.id, 99).unwrap(), "earlier step");
        assert!(store.accept_totp_step(anna.id, 101).unwrap());
        assert!(store.use_recovery_code(&anna, &sha256_hex("aaaa")).unwrap());
        assert!(!store.use_recovery_code(&anna, &sha256_hex("aaaa")).unwrap(), "used once");
        assert!(!store.use_recovery_code(&anna, &sha256_hex("cccc")).unwrap());
        store.disable_totp(&anna).unwrap();
        assert!(store.totp(anna.id).unwrap().is_none());
        assert!(!store.use_recovery_code(&anna, &sha256_hex("bbbb")).unwrap(), "codes go with it");
        assert!(matches!(store.disable_totp(&anna), Err(StoreError::NotFound { .. })));
        let log = serde_json::to_string(&store.audit_log(&AuditQuery::default()).unwrap()).unwrap();
        for action in ["user.totp.start", "user.totp.confirm", "user.totp.recovery_code", "user.totp.disable"]
        {
            assert!(log.contains(action), "{action}");
        }
        assert!(!log.contains("SECRET") && !log.contains(&sha256_hex("aaaa")));
    }
}

fn case_text(case_id: &str, version: &str, content: &str) -> CaseText {
    CaseText {
        case_id: case_id.into(),
        version: version.into(),
        content: content.into(),
        title: format!("Cas {case_id}"),
        language: "de".into(),
        year: Some(2027),
        search_text: format!("werkstatt {case_id}"),
    }
}

#[test]
fn the_cases_migration_keeps_pinned_documents_and_their_references() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grille.sqlite");
    {
        let mut connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        crate::migrate::apply_until(&mut connection, 8).unwrap();
        connection
            .execute_batch(
                "INSERT INTO documents (id, kind, document_id, version, sha256, content, created_at)
                     VALUES (7, 'rubric', 'r', '1', 'abc', '{}', '2026-01-01T00:00:00Z');
                 INSERT INTO exam_sessions (id, name, status, created_at) VALUES (3, 'S', 'open', '2026-01-01T00:00:00Z');
                 INSERT INTO session_documents (session_id, slot, document_id) VALUES (3, 'rubric:1', 7);",
            )
            .unwrap();
    }
    let fixture = Fixture { store: Store::open(&path).unwrap(), _dir: dir, path };
    let store = &fixture.store;
    let session = store.exam_session(3).unwrap().expect("kept");
    assert_eq!(session.documents[0].slot, "rubric:1");
    assert_eq!(session.documents[0].sha256, "abc");
    let connection = raw(&fixture);
    let violations: i64 =
        connection.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |row| row.get(0)).unwrap();
    assert_eq!(violations, 0);
    // The reference still points at `documents`, which now takes cases.
    let sql: String = connection
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'session_documents'", [], |row| row.get(0))
        .unwrap();
    assert!(sql.contains("REFERENCES documents (id)"), "{sql}");
    connection
        .execute(
            "INSERT INTO documents (kind, document_id, version, sha256, content, created_at)
             VALUES ('case', 'c', '1', 'def', '{}', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
}

#[test]
fn cases_are_edited_with_versions_pinned_when_assigned_and_never_changed_after() {
    let fixture = fresh();
    let store = &fixture.store;
    let board = Actor::user(&user(store, "board", Role::Admin));
    let created = store.create_case(&board, CaseOwner::Board, &case_text("bois", "1", "{\"v\":1}")).unwrap();
    assert_eq!(created.state, CaseState::Draft);
    assert!(matches!(
        store.create_case(&board, CaseOwner::Board, &case_text("bois", "1", "{}")),
        Err(StoreError::AlreadyExists { .. })
    ));
    // The same id and version in a school's bank is another case.
    let school = store.create_school(&board, "École A").unwrap();
    store.create_case(&board, CaseOwner::School(school.id), &case_text("bois", "1", "{}")).unwrap();

    let edited = store.update_case(&board, created.id, 1, &case_text("bois", "1", "{\"v\":2}")).unwrap();
    assert_eq!(edited.row_version, 2);
    // A second tab that started from version 1 overwrites nothing.
    assert!(matches!(
        store.update_case(&board, created.id, 1, &case_text("bois", "1", "{\"v\":3}")),
        Err(StoreError::StaleVersion { expected: Some(1), current: 2 })
    ));
    let ready = store.set_case_state(&board, created.id, 2, CaseState::Ready).unwrap();

    let exam = session(store, &board);
    enrol(store, &board, exam.id, &["2027-001", "2027-002"]).unwrap();
    let revision = store.session_revision(exam.id).unwrap().unwrap();
    store.assign_case(&board, exam.id, &number("2027-001"), "2", ready.id).unwrap();
    store.assign_case(&board, exam.id, &number("2027-002"), "2", ready.id).unwrap();
    assert!(store.session_revision(exam.id).unwrap().unwrap() > revision);
    let pinned = store.exam_session(exam.id).unwrap().unwrap();
    let slot = pinned.documents.iter().find(|document| document.slot == "case:bois").expect("pinned");
    assert_eq!(slot.kind, DocumentKind::Case);
    assert_eq!(store.pinned_document(exam.id, "case:bois").unwrap().unwrap().content, "{\"v\":2}");
    let used = store.case(created.id).unwrap().unwrap();
    assert_eq!(used.state, CaseState::Used);
    assert!(matches!(
        store.update_case(&board, used.id, used.row_version, &case_text("bois", "1", "{\"v\":4}")),
        Err(StoreError::Locked { .. })
    ));
    // The database refuses it too.
    let refused = raw(&fixture).execute("UPDATE case_bank SET content = 'x' WHERE id = ?1", [used.id]);
    assert!(refused.is_err());

    // Another version of the same case cannot join the session.
    let second = store.create_case(&board, CaseOwner::Board, &case_text("bois", "2", "{\"v\":5}")).unwrap();
    assert!(matches!(
        store.assign_case(&board, exam.id, &number("2027-001"), "1.1", second.id),
        Err(StoreError::AlreadyExists { .. })
    ));
    let cases = store.session_cases(exam.id).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!((cases[0].case_id.as_str(), cases[0].version.as_str()), ("bois", "1"));
    let uses = store.case_uses(CaseOwner::Board, "bois").unwrap();
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].candidates, 2);

    // Unassigning every candidate drops the pin; a candidate not enrolled is not found.
    store.unassign_case(&board, exam.id, &number("2027-001"), "2").unwrap();
    assert!(store.pinned_document(exam.id, "case:bois").unwrap().is_some());
    store.unassign_case(&board, exam.id, &number("2027-002"), "2").unwrap();
    assert!(store.pinned_document(exam.id, "case:bois").unwrap().is_none());
    assert!(matches!(
        store.assign_case(&board, exam.id, &number("2027-999"), "2", second.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.search_cases(&["werkstatt".into(), "bois".into()]).unwrap().len(), 3);
}

#[test]
fn attachments_are_stored_once_per_hash() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let board = Actor::user(&user(store, "board", Role::Admin));
        let first = store.put_attachment(&board, "application/pdf", b"%PDF-1.4 x").unwrap();
        let again = store.put_attachment(&board, "application/pdf", b"%PDF-1.4 x").unwrap();
        assert_eq!(first, again);
        assert_eq!(first, sha256_bytes(b"%PDF-1.4 x"));
        let stored = store.attachment(&first).unwrap().unwrap();
        assert_eq!(stored.bytes, b"%PDF-1.4 x");
        assert!(store.attachment(&"0".repeat(64)).unwrap().is_none());
    }
}

#[test]
fn submissions_are_one_file_per_candidate_and_position_replaced_until_scored() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let board = Actor::user(&user(store, "board", Role::Admin));
        let expert_user = user(store, "expert", Role::Examiner);
        let exam = session(store, &board);
        enrol(store, &board, exam.id, &["2027-001", "2027-002"]).unwrap();
        let first = number("2027-001");
        let new = |bytes: &'static [u8], name: &'static str| NewSubmission {
            candidate: &first,
            position: "2.1",
            file_name: name,
            media_type: "application/pdf",
            bytes,
        };
        let revision = store.session_revision(exam.id).unwrap().unwrap();
        let audit = store.audit_count().unwrap();
        let stored = store.put_submission(&board, exam.id, &new(b"%PDF-1.4 one", "travail.pdf")).unwrap();
        assert_eq!(stored.candidate, first);
        assert_eq!(stored.file_name, "travail.pdf");
        assert_eq!(stored.sha256, sha256_bytes(b"%PDF-1.4 one"));
        assert_eq!(stored.size, 12);
        assert_eq!(stored.uploaded_by, "board");
        assert!(store.session_revision(exam.id).unwrap().unwrap() > revision);
        // The file and the submission, each with its entry, in one transaction.
        assert_eq!(store.audit_count().unwrap(), audit + 2);
        assert_eq!(store.attachment(&stored.sha256).unwrap().unwrap().bytes, b"%PDF-1.4 one");

        // A new upload replaces the file; the same bytes are stored once.
        let replaced = store.put_submission(&board, exam.id, &new(b"%PDF-1.4 two", "v2.pdf")).unwrap();
        assert_eq!(replaced.file_name, "v2.pdf");
        assert_eq!(store.submission(exam.id, &first, "2.1").unwrap(), Some(replaced.clone()));
        let entries =
            store.audit_log(&AuditQuery { entity: Some("submission".into()), ..AuditQuery::default() });
        let entries = entries.unwrap();
        assert_eq!(entries[0].action, "submission.replace");
        assert_eq!(entries[0].entity_id, format!("{}/2027-001/2.1", exam.id));
        // The file's name can name the candidate: the chained log never keeps it.
        assert_eq!(entries[0].before.as_ref().unwrap()["sha256"], sha256_bytes(b"%PDF-1.4 one"));
        assert!(entries[0].before.as_ref().unwrap().get("file_name").is_none());
        assert_eq!(store.submissions(exam.id).unwrap(), vec![replaced]);
        assert!(store.submission(exam.id, &first, "1.1").unwrap().is_none());

        // A candidate who is not enrolled is not found.
        let stranger = number("2027-999");
        let refused = store.put_submission(
            &board,
            exam.id,
            &NewSubmission { candidate: &stranger, ..new(b"%PDF-1.4 x", "x.pdf") },
        );
        assert!(matches!(refused, Err(StoreError::NotFound { .. })));

        // Removing it, then nothing left to remove.
        store.delete_submission(&board, exam.id, &first, "2.1").unwrap();
        assert!(store.submissions(exam.id).unwrap().is_empty());
        assert!(matches!(
            store.delete_submission(&board, exam.id, &first, "2.1"),
            Err(StoreError::NotFound { .. })
        ));

        // Once the position has an evaluation, the work stays as it is.
        store.put_submission(&board, exam.id, &new(b"%PDF-1.4 one", "travail.pdf")).unwrap();
        store.assign_examiner(&board, exam.id, &first, "2", &expert_user).unwrap();
        store.set_session_state(&board, exam.id, "enrolment", "scoring").unwrap();
        let key = evaluation_key(exam.id, first.as_str(), "2", "2.1");
        let expert = Actor::user(&expert_user);
        store
            .save_evaluation(&expert, &key, expert_user.id, &json!({}), EvaluationStatus::Draft, None)
            .unwrap();
        assert!(matches!(
            store.put_submission(&board, exam.id, &new(b"%PDF-1.4 three", "v3.pdf")),
            Err(StoreError::Locked { .. })
        ));
        assert!(matches!(
            store.delete_submission(&board, exam.id, &first, "2.1"),
            Err(StoreError::Locked { .. })
        ));
        assert_eq!(store.submission(exam.id, &first, "2.1").unwrap().unwrap().file_name, "travail.pdf");
    }
}

#[test]
fn master_data_is_kept_across_a_retake_all_or_nothing_and_erased_with_the_names() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let board = Actor::user(&user(store, "board", Role::Admin));
        let first = session(store, &board);
        enrol(store, &board, first.id, &["C-1", "C-2"]).unwrap();
        let data = MasterData {
            family_name: "Muster".into(),
            given_name: "Anna Maria".into(),
            date_of_birth: Some("1990-12-31".into()),
            place_of_origin: Some("Trub BE".into()),
            address: vec!["Bahnhofstrasse 1".into(), "3000 Bern".into()],
            exam_language: Some("de".into()),
            canton: Some("BE".into()),
        };
        // An unknown number refuses the whole batch.
        let refused = store.set_master_data(
            &board,
            None,
            &[(number("C-1"), data.clone()), (number("C-9"), data.clone())],
        );
        assert!(matches!(refused, Err(StoreError::NotFound { entity: "candidate" })), "{refused:?}");
        assert_eq!(store.register_entry(None, &number("C-1")).unwrap().master.unwrap().date_of_birth, None);
        assert_eq!(store.set_master_data(&board, None, &[(number("C-1"), data.clone())]).unwrap(), 1);
        // The same data again changes nothing and is not audited again.
        assert_eq!(store.set_master_data(&board, None, &[(number("C-1"), data.clone())]).unwrap(), 0);
        let accommodation =
            Accommodation { extra_minutes: Some(30), aids: Some("Laptop".into()), note: None };
        store.set_accommodation(&board, None, &number("C-1"), &accommodation).unwrap();
        // A retake with names keeps the master data and the accommodations.
        let second = session(store, &board);
        enrol(store, &board, second.id, &["C-1"]).unwrap();
        let entry = store.session_register(second.id).unwrap().remove("C-1").unwrap();
        assert_eq!(entry.master.as_ref().unwrap().place_of_origin.as_deref(), Some("Trub BE"));
        assert_eq!(entry.master.as_ref().unwrap().canton.as_deref(), Some("BE"));
        assert_eq!(entry.master.as_ref().unwrap().given_name, "Anna");
        assert_eq!(entry.accommodation, accommodation);
        // The audit log names the fields, never the values.
        let log = store
            .audit_log(&AuditQuery { entity: Some("candidate".into()), ..AuditQuery::default() })
            .unwrap();
        let text = serde_json::to_string(&log.iter().map(|entry| &entry.after).collect::<Vec<_>>()).unwrap();
        assert!(text.contains("place_of_origin") && !text.contains("Trub"), "{text}");
        // The candidate's own account wrote a development plan (shared and
        // commented by a trainer) and a self-assessment: personal data too.
        let account = NewAccount {
            user: NewUser {
                username: "anna".into(),
                password_hash: "$argon2id$x".into(),
                role: Role::Candidate,
            },
            school_id: None,
            candidate_number: Some(number("C-1")),
        };
        let anna = store.create_accounts(&board, &[account]).unwrap().remove(0);
        let trainer = user(store, "trainer", Role::Trainer);
        let items = serde_json::json!([{"competence": "A1", "goal": "Gespräche führen"}]);
        store.save_development_plan(&Actor::user(&anna), anna.id, &items, true, None).unwrap();
        store.comment_development_plan(&Actor::user(&trainer), anna.id, trainer.id, "Gut").unwrap();
        let ratings = std::collections::BTreeMap::from([("A1.P1".to_owned(), 3u8)]);
        store.save_self_assessment(&Actor::user(&anna), anna.id, "profil", &ratings, None).unwrap();
        // Another candidate's plan stays.
        let other = NewAccount {
            user: NewUser {
                username: "ben".into(),
                password_hash: "$argon2id$x".into(),
                role: Role::Candidate,
            },
            school_id: None,
            candidate_number: Some(number("C-2")),
        };
        let ben = store.create_accounts(&board, &[other]).unwrap().remove(0);
        store.save_development_plan(&Actor::user(&ben), ben.id, &items, false, None).unwrap();
        store.erase_candidate_identity(&board, None, &number("C-1")).unwrap();
        let erased = store.register_entry(None, &number("C-1")).unwrap();
        assert_eq!((erased.master, erased.accommodation), (None, Accommodation::default()));
        assert_eq!(store.development_plan(anna.id).unwrap(), None);
        assert!(store.development_plan_comments(anna.id).unwrap().is_empty());
        assert_eq!(store.self_assessment(anna.id, "profil").unwrap(), None);
        assert!(store.development_plan(ben.id).unwrap().is_some());
        let log = store
            .audit_log(&AuditQuery { entity: Some("candidate".into()), ..AuditQuery::default() })
            .unwrap();
        let erasure = log.iter().find(|entry| entry.action == "candidate.erase_identity").unwrap();
        let after = erasure.after.as_ref().unwrap();
        assert_eq!(
            (after["development_plans_erased"].as_u64(), after["self_assessments_erased"].as_u64()),
            (Some(1), Some(1))
        );
    }
}

#[test]
fn conflict_declarations_are_the_examiners_own_and_audited() {
    for fixture in crate::backend_tests::backends() {
        let store = &fixture.store;
        let examiner = user(store, "exp-01", Role::Examiner);
        let other = user(store, "exp-02", Role::Examiner);
        let actor = Actor::user(&examiner);
        store
            .declare_conflict(&actor, &examiner, &number("2026-003"), "trained", Some("Praxisausbildnerin"))
            .unwrap();
        // Declaring again replaces the reason.
        let saved = store.declare_conflict(&actor, &examiner, &number("2026-003"), "employs", None).unwrap();
        assert_eq!((saved.reason.as_str(), saved.note), ("employs", None));
        store.declare_conflict(&Actor::user(&other), &other, &number("2026-001"), "other", None).unwrap();
        assert_eq!(store.conflict_declarations(Some(examiner.id)).unwrap().len(), 1);
        assert_eq!(store.conflict_declarations(None).unwrap().len(), 2);
        store.withdraw_conflict(&actor, &examiner, &number("2026-003")).unwrap();
        assert!(matches!(
            store.withdraw_conflict(&actor, &examiner, &number("2026-003")),
            Err(StoreError::NotFound { .. })
        ));
        let log =
            store.audit_log(&AuditQuery { entity: Some("user".into()), ..AuditQuery::default() }).unwrap();
        let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
        assert!(
            actions.contains(&"conflict.declare") && actions.contains(&"conflict.withdraw"),
            "{actions:?}"
        );
    }
}

#[test]
fn arbiters_arbitrations_and_confirmations_are_versioned_and_audited() {
    for fixture in crate::backend_tests::backends() {
        let admin = Actor::user(&user(&fixture.store, "admin", Role::Admin));
        let chief = user(&fixture.store, "chef", Role::Examiner);
        let anna = user(&fixture.store, "anna", Role::Examiner);
        let exam = session(&fixture.store, &admin);
        enrol(&fixture.store, &admin, exam.id, &["001"]).unwrap();
        let store = &fixture.store;
        // Named per part, replaced, removed; a board account is no arbiter.
        store.set_arbiter(&admin, exam.id, "1", "", Some(&anna)).unwrap();
        store.set_arbiter(&admin, exam.id, "1", "", Some(&chief)).unwrap();
        store.set_arbiter(&admin, exam.id, "1", "1.2", Some(&anna)).unwrap();
        let arbiters = store.session_arbiters(exam.id).unwrap();
        let named: Vec<(&str, &str, &str)> =
            arbiters.iter().map(|a| (a.part.as_str(), a.position.as_str(), a.examiner.as_str())).collect();
        assert_eq!(named, vec![("1", "", "chef"), ("1", "1.2", "anna")]);
        assert_eq!(store.set_arbiter(&admin, exam.id, "1", "1.2", None).unwrap(), None);
        assert_eq!(store.session_arbiters(exam.id).unwrap().len(), 1);
        let board_user = user(store, "commission", Role::Admin);
        assert!(matches!(
            store.set_arbiter(&admin, exam.id, "1", "", Some(&board_user)),
            Err(StoreError::BadValue(_))
        ));

        let key = evaluation_key(exam.id, "001", "1", "1.1");
        let actor = Actor::user(&chief);
        let save = |content, status, expected| {
            store.save_arbitration(&actor, &key, chief.id, &content, status, expected)
        };
        assert_eq!(save(json!({"answers": []}), EvaluationStatus::Draft, None).unwrap().version, 1);
        assert!(matches!(
            save(json!({}), EvaluationStatus::Draft, None),
            Err(StoreError::StaleVersion { .. })
        ));
        assert!(matches!(
            save(json!({}), EvaluationStatus::Draft, Some(5)),
            Err(StoreError::StaleVersion { .. })
        ));
        // Someone else cannot write over the arbiter's evaluation.
        let other = store.save_arbitration(
            &Actor::user(&anna),
            &key,
            anna.id,
            &json!({}),
            EvaluationStatus::Draft,
            Some(1),
        );
        assert!(matches!(other, Err(StoreError::Locked { .. })), "{other:?}");
        assert_eq!(save(json!({"answers": [1]}), EvaluationStatus::Submitted, Some(1)).unwrap().version, 2);
        assert!(matches!(save(json!({}), EvaluationStatus::Draft, Some(2)), Err(StoreError::Locked { .. })));
        let rows = store.session_arbitrations(exam.id).unwrap();
        assert_eq!(
            (rows.len(), rows[0].examiner.as_str(), rows[0].evaluation.status),
            (1, "chef", EvaluationStatus::Submitted)
        );

        // A confirmation is given on a version of the joint evaluation.
        assert!(matches!(
            store.confirm_agreed(&Actor::user(&anna), &key, &anna, 1, None, None),
            Err(StoreError::NotFound { .. })
        ));
        store.save_agreed_evaluation(&Actor::user(&anna), &key, &json!({}), Some("4.5"), None).unwrap();
        store.confirm_agreed(&Actor::user(&anna), &key, &anna, 1, None, None).unwrap();
        let stale = store.confirm_agreed(&Actor::user(&anna), &key, &anna, 2, None, None);
        assert!(matches!(stale, Err(StoreError::StaleVersion { current: 1, .. })), "{stale:?}");
        store
            .save_agreed_evaluation(&Actor::user(&anna), &key, &json!({"x": 1}), Some("3.5"), Some(1))
            .unwrap();
        store
            .confirm_agreed(&Actor::user(&anna), &key, &anna, 2, Some("Relu ensemble."), Some("fr"))
            .unwrap();
        let confirmations = store.session_confirmations(exam.id).unwrap();
        assert_eq!(confirmations.len(), 1, "one row per examiner, replaced");
        assert_eq!(
            (
                confirmations[0].agreed_version,
                confirmations[0].justification.as_deref(),
                confirmations[0].justification_language.as_deref()
            ),
            (2, Some("Relu ensemble."), Some("fr"))
        );

        let actions: Vec<String> =
            store.audit_log(&AuditQuery::default()).unwrap().into_iter().map(|entry| entry.action).collect();
        for action in [
            "arbiter.assign",
            "arbiter.remove",
            "arbitration.save",
            "arbitration.submit",
            "agreed_evaluation.confirm",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
        }
    }
}

/// A cached statement keeps its plan whatever is bound to it. Without the
/// query planner stability guarantee, SQLite marks a parameter of an `=`
/// term that no index serves for re-planning, and rusqlite's cache,
/// clearing the bindings of every statement it takes back, then expired
/// it on every use: the statement cache saved nothing. Checked on every
/// reader and on the writer.
#[test]
fn cached_statements_are_not_prepared_again_for_new_values() {
    let fixture = fresh();
    let store = &fixture.store;
    let board = user(store, "board", Role::Admin);
    let actor = Actor::user(&board);
    session(store, &actor);
    // `name` has no index: the term SQLite would re-plan on.
    let sql = "SELECT id FROM exam_sessions WHERE name = ?1 AND status = ?2";
    let run = |connection: &rusqlite::Connection| -> i32 {
        // Values on both sides of 0/1 and of each other.
        for value in [0, 1, 7, 0, 1, 42] {
            let mut statement = connection.prepare_cached(sql).expect("prepare");
            statement.query_map((value, value), |_| Ok(())).expect("query").for_each(drop);
        }
        connection.prepare_cached(sql).expect("prepare").get_status(rusqlite::StatementStatus::RePrepare)
    };
    let on_readers: Vec<i32> = store
        .readers
        .iter()
        .map(|reader| run(reader.lock().expect("reader").as_ref().expect("open")))
        .collect();
    let on_writer = store.with(|connection| Ok(run(connection))).expect("writer");
    assert_eq!((on_readers, on_writer), (vec![0; READERS], 0), "statements prepared again");
}
