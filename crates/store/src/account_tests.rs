//! Accounts the board disables, re-roles and imports.

use crate::*;

fn fresh() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("grille.sqlite")).expect("open");
    (store, dir)
}

fn new_user(username: &str, role: Role) -> NewUser {
    NewUser { username: username.into(), password_hash: "$argon2id$x".into(), role }
}

fn account(username: &str, role: Role, number: Option<&str>) -> NewAccount {
    NewAccount {
        user: new_user(username, role),
        school_id: None,
        candidate_number: number.map(|text| CandidateNumber::parse(text).expect("number")),
    }
}

#[test]
fn a_disabled_account_does_not_log_in_and_its_sessions_end() {
    for test in crate::backend_tests::backends() {
        let store = &test.store;
        let anna = store.create_user(&Actor::system(), &new_user("anna", Role::Examiner)).unwrap();
        store
            .open_auth_session(&anna, "hash1", "csrf1", "2999-01-01T00:00:00Z", Some("Firefox\u{7}/140"))
            .unwrap();
        let listed = store.login_sessions(anna.id, "2000-01-01T00:00:00Z").unwrap();
        assert_eq!(listed[0].user_agent.as_deref(), Some("Firefox/140"), "control characters dropped");
        let board = Actor::system();
        assert_eq!(store.set_user_active(&board, "anna", false).unwrap(), 1);
        assert!(store.auth_session("hash1").unwrap().is_none());
        assert!(store.credentials("anna").unwrap().unwrap().disabled);
        assert!(store.account_overview().unwrap()[0].disabled);
        // Disabling twice changes nothing more.
        assert_eq!(store.set_user_active(&board, "anna", false).unwrap(), 0);
        store.set_user_active(&board, "anna", true).unwrap();
        assert!(!store.credentials("anna").unwrap().unwrap().disabled);
        let unknown = store.set_user_active(&board, "ghost", false);
        assert!(matches!(unknown, Err(StoreError::NotFound { entity: "user" })), "{unknown:?}");
        let actions: Vec<String> = store
            .audit_log(&AuditQuery { entity: Some("user".into()), ..AuditQuery::default() })
            .unwrap()
            .into_iter()
            .map(|entry| entry.action)
            .collect();
        assert_eq!(actions.iter().filter(|action| *action == "user.disable").count(), 1, "{actions:?}");
        assert!(actions.contains(&"user.enable".to_owned()), "{actions:?}");
        assert!(matches!(store.verify_audit_chain().unwrap(), AuditVerification::Intact(_)));
    }
}

#[test]
fn a_role_changes_with_its_audit_entry() {
    for test in crate::backend_tests::backends() {
        let store = &test.store;
        store.create_user(&Actor::system(), &new_user("anna", Role::Examiner)).unwrap();
        store.change_role(&Actor::system(), "anna", Role::Admin).unwrap();
        assert_eq!(store.user_by_username("anna").unwrap().unwrap().role, Role::Admin);
        let entry = store
            .audit_log(&AuditQuery { entity: Some("user".into()), ..AuditQuery::default() })
            .unwrap()
            .into_iter()
            .find(|entry| entry.action == "user.role")
            .expect("audited");
        assert_eq!(entry.before, Some(serde_json::json!({"role": "examiner"})));
        assert_eq!(entry.after, Some(serde_json::json!({"role": "admin"})));
    }
}

#[test]
fn an_import_creates_every_account_or_none() {
    let (store, _dir) = fresh();
    let board = Actor::system();
    store.create_user(&board, &new_user("taken", Role::Examiner)).unwrap();
    let session = store
        .create_exam_session(
            &board,
            &NewExamSession { name: "S".into(), exam_date: None, documents: Vec::new() },
        )
        .unwrap();
    let number = CandidateNumber::parse("2027-001").unwrap();
    store
        .enrol_candidates(&board, session.id, &[NewCandidate { number: number.clone(), identity: None }])
        .unwrap();
    // The last account's name is taken: the first is not created either.
    let refused = store.create_accounts(
        &board,
        &[account("new-one", Role::Examiner, None), account("taken", Role::Trainer, None)],
    );
    assert!(matches!(refused, Err(StoreError::AlreadyExists { entity: "user" })), "{refused:?}");
    assert!(store.user_by_username("new-one").unwrap().is_none());
    let unknown = store.create_accounts(&board, &[account("cand", Role::Candidate, Some("2027-999"))]);
    assert!(matches!(unknown, Err(StoreError::NotFound { entity: "candidate" })), "{unknown:?}");
    let created = store
        .create_accounts(
            &board,
            &[account("new-one", Role::Examiner, None), account("cand", Role::Candidate, Some("2027-001"))],
        )
        .unwrap();
    assert_eq!(created.len(), 2);
    assert_eq!(store.user_candidate(created[1].id).unwrap(), Some(number));
    assert!(matches!(store.verify_audit_chain().unwrap(), AuditVerification::Intact(_)));
}
