//! Two `grille serve` processes on one PostgreSQL database (the tests'
//! `GRILLE_TEST_POSTGRES`, in a schema of this test): the demo is loaded
//! once whichever starts it, a login made through one works through the
//! other, a logout through one ends it on both, and what one writes the
//! other reads (the login throttle across instances is tested in the
//! server's API tests, `instances.rs`, with a longer wait than the
//! command's one second). Skipped without a PostgreSQL database (SQLite
//! is tested by `serve_cli`).

use crate::serve_cli::Server;
use crate::support::temp_dir;

/// The tests' database, or `None` (PostgreSQL is not installed here).
pub(crate) fn postgres_url() -> Option<String> {
    std::env::var("GRILLE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// A schema of the tests' database with grille's tables, dropped when
/// dropped; `url` names it as `--database` takes it.
pub(crate) struct Schema {
    base: String,
    name: String,
    pub(crate) url: String,
}

impl Schema {
    pub(crate) fn new(base: &str, name: &str) -> Schema {
        let name = format!("{name}_{}", std::process::id());
        grille_store::Store::drop_postgres_schema(base, &name).expect("no schema left");
        // Created (and migrated) here: `grille serve` opens the search
        // path the URL names and does not create schemas.
        grille_store::Store::open_postgres_schema(base, &name).expect("schema").close().expect("closed");
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options=-csearch_path%3D{name}");
        Schema { base: base.to_owned(), name, url }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = grille_store::Store::drop_postgres_schema(&self.base, &self.name);
    }
}

fn token(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).expect("JSON");
    value["token"].as_str().expect("a token").to_owned()
}

#[test]
fn two_serve_processes_on_one_postgres_database_behave_as_one() {
    let Some(base) = postgres_url() else { return };
    let schema = Schema::new(&base, "grille_it_two_instances");
    let (one_data, two_data) = (temp_dir("pg-one"), temp_dir("pg-two"));
    let password = [("GRILLE_ADMIN_PASSWORD", "mot-de-passe-du-test")];
    let database = ["--database", schema.url.as_str(), "--demo"];
    let one = Server::start(&one_data, &database, &password);
    // The second start finds the demo loaded and the admin created: it
    // loads nothing twice.
    let two = Server::start(&two_data, &database, &[("GRILLE_DATABASE_POOL", "4")]);

    let login = r#"{"username": "admin", "password": "mot-de-passe-du-test"}"#;
    let (status, body) = one.request("POST", "/api/login", Some(login));
    assert_eq!(status, 200, "{body}");
    let admin = token(&body);
    let (status, sessions) = two.request_as("GET", "/api/sessions", None, Some(&admin));
    assert_eq!(status, 200, "a login through one works through the other: {sessions}");
    let listed: serde_json::Value = serde_json::from_str(&sessions).unwrap();
    let names: Vec<&str> = listed.as_array().unwrap().iter().filter_map(|row| row["name"].as_str()).collect();
    let distinct: std::collections::BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(distinct.len(), names.len(), "the demo was loaded once, not twice: {names:?}");
    assert!(names.contains(&grille_server::DEMO_SESSION_NAME), "{names:?}");

    // A write through the second is read through the first.
    let (status, body) =
        two.request_as("POST", "/api/sessions", Some(r#"{"name": "Automne 2027"}"#), Some(&admin));
    assert_eq!(status, 201, "{body}");
    let (status, sessions) = one.request_as("GET", "/api/sessions", None, Some(&admin));
    assert_eq!(status, 200);
    assert!(sessions.contains("Automne 2027"), "{sessions}");

    // A logout through the first ends the login on the second.
    let (status, body) = one.request_as("POST", "/api/logout", Some("{}"), Some(&admin));
    assert_eq!(status, 200, "{body}");
    let (status, _) = two.request_as("GET", "/api/sessions", None, Some(&admin));
    assert_eq!(status, 401, "logged out on both");

    for server in [one, two] {
        let (code, log) = server.terminate();
        assert_eq!(code, 0, "graceful exit; stderr:\n{log}");
    }
    assert!(!one_data.join("grille.sqlite").exists(), "no SQLite file beside PostgreSQL");
}

#[test]
fn a_database_that_is_not_postgres_is_refused_before_starting() {
    let dir = temp_dir("serve-bad-database");
    for database in ["mysql://root@localhost/grille", "grille.sqlite"] {
        let run = crate::support::grille(&["serve", "--database", database, "--data", dir.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{database}: {}", run.stdout);
        assert!(run.stderr.contains("postgres://UTILISATEUR@HÔTE/BASE"), "{database}: {}", run.stderr);
        assert!(!run.stderr.contains("root@"), "no part of the URL but its scheme is shown: {}", run.stderr);
    }
    assert!(!dir.join("grille.sqlite").exists(), "nothing was created");
}
