//! Running the server: open the store, create the first admin, listen,
//! shut down gracefully.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;

use grille_report::i18n::{self, Language};
use grille_store::{Actor, CandidateIdentity, CandidateNumber, NewCandidate, NewExamSession, NewUser};
use grille_store::{Role, Store, StoreError};
use tokio::net::TcpListener;

use crate::{AppConfig, AppState, app, app_with_pages, auth};

/// The environment variable that sets the first admin's password.
pub const ADMIN_PASSWORD_ENV: &str = "GRILLE_ADMIN_PASSWORD";
/// The database file name inside the data folder.
pub const DATABASE_FILE: &str = "grille.sqlite";

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen (default `127.0.0.1:8080`; port 0 picks a free port).
    pub addr: SocketAddr,
    /// The folder holding `grille.sqlite` (created if missing) and the
    /// catalogue's translations.
    pub data_dir: PathBuf,
    /// The PostgreSQL database to use instead of `grille.sqlite`
    /// (`postgres://USER@HOST/DB`); several instances may share it.
    pub database: Option<String>,
    /// At most this many connections to PostgreSQL at once (see
    /// [`Store::DEFAULT_POOL`]).
    pub database_pool: usize,
    /// Load the worked example session as a demo exam session (see
    /// [`DEMO_PASSWORD`]) when the database has no exam session yet; on a
    /// database with sessions, nothing is loaded and a message says so.
    pub demo: bool,
    /// The application settings.
    pub app: AppConfig,
    /// The HTML pages to serve beside the API, built once the store is
    /// open (the pages crate sits above this one, so the binary passes it
    /// in). `None` serves the API alone.
    pub pages: Option<PagesBuilder>,
}

/// Builds the router of the HTML pages from the application state.
#[derive(Clone)]
pub struct PagesBuilder(Arc<dyn Fn(&AppState) -> Router + Send + Sync>);

impl PagesBuilder {
    /// Wraps the function that builds the pages' router.
    pub fn new(build: impl Fn(&AppState) -> Router + Send + Sync + 'static) -> PagesBuilder {
        PagesBuilder(Arc::new(build))
    }
}

impl std::fmt::Debug for PagesBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PagesBuilder")
    }
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            database: None,
            database_pool: Store::DEFAULT_POOL,
            demo: false,
            app: AppConfig::default(),
            pages: None,
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data folder could not be created.
    #[error("impossible de créer le dossier de données {path} : {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database could not be opened, migrated, written or closed.
    #[error("base de données : {0}")]
    Store(#[from] StoreError),
    /// The embedded catalogue is broken (a build defect).
    #[error("catalogue intégré : {0}")]
    Catalogue(String),
    /// A translation of the catalogue in the data folder cannot be used.
    #[error("traduction du catalogue : {0}")]
    CatalogueTranslation(#[from] crate::catalogue_files::TranslationFileError),
    /// Setting up (hashing the first password, ...) failed.
    #[error("mise en place : {0}")]
    Setup(String),
    /// The first administrator's password given in the environment does
    /// not follow the password policy.
    #[error("mise en place : le mot de passe de {variable} est refusé : {} Le serveur ne démarre pas.", .problem.detail)]
    AdminPassword {
        /// The environment variable that gave it.
        variable: &'static str,
        /// What is wrong with it.
        problem: Box<crate::error::FieldError>,
    },
    /// The address could not be bound.
    #[error(
        "impossible d'écouter sur {addr} : {source} (adresse déjà utilisée ? choisissez-en une autre avec --addr)"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("serveur : {0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    /// The error in `language`, as the console shows it (the French text
    /// is its `Display`); the causes from the system and the database
    /// drivers are kept as they are written.
    pub fn said(&self, language: Language) -> String {
        let say = |key: &str, arguments: &[(&str, String)]| {
            i18n::format(&i18n::translate(language, &format!("cli.serve.error.{key}")), arguments)
        };
        match self {
            ServeError::DataDir { path, source } => {
                say("data_dir", &[("path", path.display().to_string()), ("error", source.to_string())])
            }
            ServeError::Store(error) => say("store", &[("error", store_said(error, language))]),
            ServeError::Catalogue(error) => say("catalogue", &[("error", error.clone())]),
            ServeError::CatalogueTranslation(error) => i18n::format(
                &i18n::translate(language, "cli.translation.bad_file"),
                &[("error", error.to_string())],
            ),
            ServeError::Setup(error) => say("setup", &[("error", error.clone())]),
            ServeError::AdminPassword { variable, problem } => {
                let text =
                    grille_report::messages::plain(problem.message().as_ref(), &problem.detail, language);
                let refused = i18n::format(
                    &i18n::translate(language, "cli.serve.admin_password_refused"),
                    &[("variable", (*variable).to_owned()), ("problem", text)],
                );
                say("setup", &[("error", refused)])
            }
            ServeError::Bind { addr, source } => {
                say("bind", &[("addr", addr.to_string()), ("error", source.to_string())])
            }
            ServeError::Io(error) => say("io", &[("error", error.to_string())]),
        }
    }
}

/// A database error in `language`: those a board meets when starting a
/// server (a database too new, unreachable, a migration that failed) in
/// words, the drivers' own messages as they are; any other (a defect)
/// as its French `Display`.
fn store_said(error: &StoreError, language: Language) -> String {
    let say = |key: &str, arguments: &[(&str, String)]| {
        i18n::format(&i18n::translate(language, &format!("cli.serve.error.{key}")), arguments)
    };
    match error {
        StoreError::Sqlite(cause) => say("database", &[("error", cause.to_string())]),
        StoreError::Postgres(cause) => say("database", &[("error", cause.to_string())]),
        StoreError::Unavailable(cause) => say("unreachable", &[("error", cause.clone())]),
        StoreError::Migration { version, name, source } => say(
            "migration",
            &[
                ("version", version.to_string()),
                ("name", (*name).to_owned()),
                ("error", store_said(source, language)),
            ],
        ),
        StoreError::TooNew { found, known } => {
            say("too_new", &[("found", found.to_string()), ("known", known.to_string())])
        }
        other => other.to_string(),
    }
}

/// `key` of the console's messages in `language`, its placeholders filled.
fn console(language: Language, key: &str, arguments: &[(&str, String)]) -> String {
    i18n::format(&i18n::translate(language, key), arguments)
}

/// A server that is listening but not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
    pages: Option<PagesBuilder>,
}

impl Server {
    /// Opens the store (creating and migrating it), creates the first admin
    /// if there is no user, seeds demo data if asked, and binds the address.
    pub async fn bind(config: ServeConfig) -> Result<Server, ServeError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| ServeError::DataDir { path: config.data_dir.clone(), source })?;
        let path = config.data_dir.join(DATABASE_FILE);
        let (database, pool) = (config.database.clone(), config.database_pool);
        let store = tokio::task::spawn_blocking(move || match database {
            Some(url) => Store::open_postgres_pool(&url, pool),
            None => Store::open(&path),
        })
        .await
        .map_err(|error| ServeError::Setup(error.to_string()))??;
        // The catalogue with the translations imported into the data
        // folder (`grille catalogue translation import`).
        let embedded = grille_competence::Catalogue::embedded().map_err(|problems| {
            ServeError::Catalogue(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
        })?;
        let catalogue = crate::catalogue_files::translated_catalogue(&config.data_dir, embedded)?;
        let state = AppState::with_catalogue(store, config.app.clone(), catalogue);
        let setup = state.clone();
        let demo = config.demo;
        tokio::task::spawn_blocking(move || -> Result<(), ServeError> {
            first_admin(&setup)?;
            if demo {
                seed_demo(&setup)?;
            }
            Ok(())
        })
        .await
        .map_err(|error| ServeError::Setup(error.to_string()))??;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: config.addr, source })?;
        Ok(Server { listener, state, pages: config.pages })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> Result<SocketAddr, ServeError> {
        Ok(self.listener.local_addr()?)
    }

    /// Serves until `shutdown` completes, lets requests in flight finish,
    /// then checkpoints and closes the store.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let store = self.state.store().clone();
        if let Ok(addr) = self.listener.local_addr() {
            tracing::info!(%addr, "listening");
        }
        let router = match &self.pages {
            Some(PagesBuilder(build)) => app_with_pages(self.state.clone(), build(&self.state)),
            None => app(self.state),
        };
        // The peer address feeds the login throttle (per account and address).
        let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
        let served = axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await;
        let closed = tokio::task::spawn_blocking(move || store.close())
            .await
            .map_err(|error| ServeError::Setup(error.to_string()))?;
        served?;
        closed?;
        tracing::info!("stopped; database closed");
        Ok(())
    }
}

/// Runs the server until Ctrl-C (or SIGTERM on Unix).
///
/// This is what `grille serve --addr ADDR --data DIR [--demo]` calls.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let language = config.app.console_language;
    let server = Server::bind(config).await?;
    // The signals are caught before the server says where it listens, so
    // that a supervisor (or a test) that stops it as soon as it reads that
    // line gets a clean stop, never the default action of SIGTERM.
    let stop = shutdown_signal(language);
    eprintln!("{}", console(language, "cli.serve.listening", &[("addr", server.local_addr()?.to_string())]));
    server.run_until(stop).await
}

/// Catches Ctrl-C (and SIGTERM on Unix) now, and returns what completes
/// when one arrives.
fn shutdown_signal(language: Language) -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let caught = {
        use tokio::signal::unix::{SignalKind, signal};
        let catch = |kind: SignalKind, name: &'static str| match signal(kind) {
            Ok(signal) => Some(signal),
            Err(error) => {
                tracing::error!(%error, signal = name, "cannot listen for the signal");
                None
            }
        };
        [catch(SignalKind::interrupt(), "SIGINT"), catch(SignalKind::terminate(), "SIGTERM")]
    };
    async move {
        #[cfg(unix)]
        {
            let [interrupt, terminate] = caught;
            let arrival = |signal: Option<tokio::signal::unix::Signal>| async move {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = arrival(interrupt) => {},
                () = arrival(terminate) => {},
            }
        }
        #[cfg(not(unix))]
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        eprintln!("{}", console(language, "cli.serve.stopping", &[]));
    }
}

fn setup_error(error: impl std::fmt::Display) -> ServeError {
    ServeError::Setup(error.to_string())
}

/// On a database without users, creates `admin` with the password from
/// `GRILLE_ADMIN_PASSWORD` or a random one printed once on stderr.
fn first_admin(state: &AppState) -> Result<(), ServeError> {
    let store = state.store();
    if store.user_count()? > 0 {
        return Ok(());
    }
    let language = state.config().console_language;
    let (password, generated) = admin_password(std::env::var(ADMIN_PASSWORD_ENV).ok())?;
    let password_hash = auth::hash_password(&password, state.config().password_cost).map_err(setup_error)?;
    store.create_user(
        &Actor::system(),
        &NewUser { username: "admin".into(), password_hash, role: Role::Admin },
    )?;
    if generated {
        eprintln!("{}", console(language, "cli.serve.admin_generated", &[("password", password)]));
    } else {
        eprintln!(
            "{}",
            console(language, "cli.serve.admin_given", &[("variable", ADMIN_PASSWORD_ENV.to_owned())])
        );
    }
    Ok(())
}

/// The first admin's password: the one given (`GRILLE_ADMIN_PASSWORD`),
/// which must follow the password policy, or a random one (and `true`).
fn admin_password(given: Option<String>) -> Result<(String, bool), ServeError> {
    match given {
        Some(password) if !password.is_empty() => {
            if let Some(problem) =
                crate::passwords::password_policy("admin", &password, "/password").into_iter().next()
            {
                return Err(ServeError::AdminPassword {
                    variable: ADMIN_PASSWORD_ENV,
                    problem: Box::new(problem),
                });
            }
            Ok((password, false))
        }
        _ => Ok((auth::random_token().map_err(setup_error)?[..24].to_owned(), true)),
    }
}

/// The password of every demo examiner account created by `--demo`.
/// **Demo only**: it is public (printed and documented); never use `--demo`
/// on a database holding real data.
pub const DEMO_PASSWORD: &str = "demo-grille-2026";

/// The demo candidate enrolled without evaluations, assigned to `exp-01`
/// and `exp-02` for part 1, so that the scoring can be tried.
pub const DEMO_UNSCORED_CANDIDATE: &str = "2026-006";

/// The name of the demo exam session: a name, not a sentence, so that it
/// reads the same on French, German and Italian pages (a board names its
/// own sessions in its own language; the pages say "fictitious data"
/// around the demo in the reader's language).
pub const DEMO_SESSION_NAME: &str = "Demo 2026";

/// The name of the demo school's mock exam (see [`DEMO_SESSION_NAME`]).
pub const DEMO_MOCK_SESSION_NAME: &str = "Demo 2026 – Campus";

/// Demo data: the worked example session shipped with grille
/// (`grille_scoring::embedded::example_session`) as an exam session pinned
/// to the shipped federal exam documents, in the scoring state: its
/// candidates (fictitious names), one examiner account per examiner id of
/// the example (password [`DEMO_PASSWORD`]), their assignments, their
/// submitted evaluations and the agreed evaluations; plus
/// [`DEMO_UNSCORED_CANDIDATE`], assigned to `exp-01` and `exp-02` for part 1
/// without any evaluation, to try the scoring form. The board can finalise
/// once that candidate is scored (or recorded absent).
///
/// Refuses to touch a database that already has an exam session, and says
/// so on stderr. Public so that tests of the pages can compose the app as
/// `grille serve --demo` does without a socket; blocking (call it outside
/// the async runtime or in `spawn_blocking`).
pub fn seed_demo(state: &AppState) -> Result<(), ServeError> {
    let store = state.store();
    let language = state.config().console_language;
    if !store.exam_sessions()?.is_empty() {
        eprintln!("{}", console(language, "cli.serve.demo_not_loaded", &[]));
        return Ok(());
    }
    let example =
        grille_scoring::embedded::example_session().map_err(|failure| setup_error(format!("{failure:?}")))?;
    let blueprint =
        grille_scoring::Blueprint::from_json(grille_scoring::embedded::BLUEPRINT.text, state.catalogue())
            .map_err(|problems| setup_error(format!("{problems:?}")))?;
    let system = Actor::system();
    let documents = crate::api_sessions::shipped_documents(state).map_err(setup_error)?;
    let session = store.create_exam_session(
        &system,
        &NewExamSession { name: DEMO_SESSION_NAME.into(), exam_date: None, documents },
    )?;
    // Examiner accounts, one per examiner id of the example.
    let mut examiners: Vec<grille_store::User> = Vec::new();
    let names: std::collections::BTreeSet<&str> = example
        .candidates
        .iter()
        .flat_map(|candidate| candidate.positions.iter())
        .flat_map(|scoring| scoring.evaluations.iter())
        .map(|evaluation| evaluation.examiner.as_str())
        .collect();
    let password_hash =
        auth::hash_password(DEMO_PASSWORD, state.config().password_cost).map_err(setup_error)?;
    for name in names {
        let user = match store.user_by_username(name)? {
            Some(user) => user,
            None => store.create_user(
                &system,
                &NewUser {
                    username: name.into(),
                    password_hash: password_hash.clone(),
                    role: Role::Examiner,
                },
            )?,
        };
        examiners.push(user);
    }
    let examiner = |name: &str| {
        examiners.iter().find(|user| user.username == name).cloned().ok_or_else(|| setup_error(name))
    };
    let mut candidates = Vec::new();
    for (index, candidate) in example.candidates.iter().enumerate() {
        candidates.push(NewCandidate {
            number: CandidateNumber::parse(&candidate.number).map_err(setup_error)?,
            identity: Some(demo_identity(index)),
        });
    }
    store.enrol_candidates(&system, session.id, &candidates)?;
    for (candidate, enrolled) in example.candidates.iter().zip(&candidates) {
        let status = serde_json::to_value(candidate.status).map_err(setup_error)?;
        let status = status.as_str().unwrap_or("present");
        if status != "present" {
            store.set_candidate_status(&system, session.id, &enrolled.number, status)?;
        }
        let mut assigned: Vec<(String, String)> = Vec::new();
        for scoring in &candidate.positions {
            let part =
                blueprint.position(&scoring.position).map(|(part, _)| part.id.clone()).unwrap_or_default();
            for evaluation in &scoring.evaluations {
                let pair = (part.clone(), evaluation.examiner.clone());
                if !assigned.contains(&pair) {
                    store.assign_examiner(
                        &system,
                        session.id,
                        &enrolled.number,
                        &part,
                        &examiner(&pair.1)?,
                    )?;
                    assigned.push(pair);
                }
            }
        }
    }
    // The worked example's two cases of part 2, in the board's bank, each
    // candidate sitting the one the example names (which pins them).
    let mut case_rows: Vec<(String, i64)> = Vec::new();
    let cases = grille_scoring::embedded::example_cases(state.catalogue())
        .map_err(|failure| setup_error(format!("{failure:?}")))?;
    for (_, bytes) in grille_scoring::embedded::EXAMPLE_ATTACHMENTS {
        let media_type =
            grille_scoring::case::sniff_media_type(bytes).ok_or_else(|| setup_error("attachment"))?;
        store.put_attachment(&system, media_type, bytes)?;
    }
    for case in &cases {
        let text = crate::api_cases::case_text(state.catalogue(), case);
        let record = store.create_case(&system, grille_store::CaseOwner::Board, &text)?;
        let record =
            store.set_case_state(&system, record.id, record.row_version, grille_store::CaseState::Ready)?;
        case_rows.push((case.id.clone(), record.id));
    }
    for (candidate, enrolled) in example.candidates.iter().zip(&candidates) {
        for sitting in &candidate.cases {
            let row = case_rows
                .iter()
                .find(|(id, _)| *id == sitting.case)
                .map(|(_, row)| *row)
                .ok_or_else(|| setup_error(&sitting.case))?;
            store.assign_case(&system, session.id, &enrolled.number, &sitting.position, row)?;
        }
    }
    // One more candidate, left to score: exp-01 and exp-02 can try the
    // scoring form on part 1 (the board finalises once it is scored).
    let unscored = CandidateNumber::parse(DEMO_UNSCORED_CANDIDATE).map_err(setup_error)?;
    store.enrol_candidates(
        &system,
        session.id,
        &[NewCandidate { number: unscored.clone(), identity: Some(demo_identity(candidates.len())) }],
    )?;
    for name in ["exp-01", "exp-02"] {
        store.assign_examiner(&system, session.id, &unscored, "1", &examiner(name)?)?;
    }
    // And one to score on part 2 with the French case and its plan (PDF):
    // exp-03 and exp-04 read the case and its notes beside the rubric.
    let with_case = CandidateNumber::parse(DEMO_CASE_CANDIDATE).map_err(setup_error)?;
    store.enrol_candidates(
        &system,
        session.id,
        &[NewCandidate { number: with_case.clone(), identity: Some(demo_identity(candidates.len() + 1)) }],
    )?;
    for name in ["exp-03", "exp-04"] {
        store.assign_examiner(&system, session.id, &with_case, "2", &examiner(name)?)?;
    }
    let atelier = case_rows
        .iter()
        .find(|(id, _)| id == "cas-2-atelier-bois")
        .map(|(_, row)| *row)
        .ok_or_else(|| setup_error("cas-2-atelier-bois"))?;
    store.assign_case(&system, session.id, &with_case, "2.1", atelier)?;
    store.set_session_state(&system, session.id, "enrolment", "scoring")?;
    for (candidate, enrolled) in example.candidates.iter().zip(&candidates) {
        for scoring in &candidate.positions {
            let part =
                blueprint.position(&scoring.position).map(|(part, _)| part.id.clone()).unwrap_or_default();
            let key = grille_store::EvaluationKey {
                session_id: session.id,
                candidate: enrolled.number.clone(),
                part,
                position: scoring.position.clone(),
            };
            for evaluation in &scoring.evaluations {
                let user = examiner(&evaluation.examiner)?;
                let content = crate::exam::StoredContent {
                    answers: evaluation.answers.clone(),
                    remark: evaluation.remark.clone(),
                    remark_language: evaluation.remark_language.or(example.remark_language),
                };
                store.save_evaluation(
                    &Actor::user(&user),
                    &key,
                    user.id,
                    &content.to_value(),
                    grille_store::EvaluationStatus::Submitted,
                    None,
                )?;
            }
            if let Some(agreed) = &scoring.agreed {
                let first =
                    scoring.evaluations.first().map(|evaluation| evaluation.examiner.as_str()).unwrap_or("");
                let content = crate::exam::StoredContent {
                    answers: agreed.answers.clone(),
                    remark: agreed.remark.clone(),
                    remark_language: agreed.remark_language.or(example.remark_language),
                };
                let saved = store.save_agreed_evaluation(
                    &Actor::user(&examiner(first)?),
                    &key,
                    &content.to_value(),
                    None,
                    None,
                )?;
                // Both examiners confirmed it, as they do in their accounts.
                for evaluation in &scoring.evaluations {
                    let user = examiner(&evaluation.examiner)?;
                    store.confirm_agreed(
                        &Actor::user(&user),
                        &key,
                        &user,
                        saved.version,
                        Some("Accord après discussion (démonstration)."),
                        Some(grille_scoring::CaseLanguage::Fr.code()),
                    )?;
                }
            }
        }
    }
    // A candidate account for the first candidate (its results show once
    // the board publishes the session).
    let account = store.create_user(
        &system,
        &NewUser {
            username: DEMO_CANDIDATE.into(),
            password_hash: password_hash.clone(),
            role: Role::Candidate,
        },
    )?;
    let first = CandidateNumber::parse(DEMO_CANDIDATE_NUMBER).map_err(setup_error)?;
    store.link_candidate_user(&system, account.id, &first)?;
    seed_demo_school(state, &password_hash)?;
    let usernames: Vec<&str> = examiners.iter().map(|user| user.username.as_str()).collect();
    let say = |key: &str, arguments: &[(&str, String)]| eprintln!("{}", console(language, key, arguments));
    say(
        "cli.serve.demo_candidate",
        &[("account", DEMO_CANDIDATE.to_owned()), ("number", DEMO_CANDIDATE_NUMBER.to_owned())],
    );
    say(
        "cli.serve.demo_session",
        &[
            ("name", DEMO_SESSION_NAME.to_owned()),
            ("id", session.id.to_string()),
            ("count", candidates.len().to_string()),
            ("unscored", DEMO_UNSCORED_CANDIDATE.to_owned()),
            ("case_candidate", DEMO_CASE_CANDIDATE.to_owned()),
        ],
    );
    say(
        "cli.serve.demo_examiners",
        &[("accounts", usernames.join(", ")), ("password", DEMO_PASSWORD.to_owned())],
    );
    Ok(())
}

/// The demo candidate left to score on part 2 (exp-03 and exp-04), who sat
/// the French case of the worked example (with its PDF plan).
pub const DEMO_CASE_CANDIDATE: &str = "2026-007";

/// The demo candidate account (password [`DEMO_PASSWORD`]), linked to
/// [`DEMO_CANDIDATE_NUMBER`] of the demo session.
pub const DEMO_CANDIDATE: &str = "candidat-demo";

/// The candidate number of [`DEMO_CANDIDATE`].
pub const DEMO_CANDIDATE_NUMBER: &str = "2026-001";

/// The demo account of the mock exam's first cohort candidate, `ECOLE-01`
/// (password [`DEMO_PASSWORD`]).
pub const DEMO_COHORT_CANDIDATE: &str = "candidat-ecole-demo";

/// The demo school's name.
/// A name that reads alike in French, German and Italian (a bilingual
/// town's two names), so that no page needs to mark its language.
pub(crate) const DEMO_SCHOOL_NAME: &str = "Campus Demo Biel/Bienne";

/// The demo trainer who runs the demo mock exam (password [`DEMO_PASSWORD`]).
pub(crate) const DEMO_TRAINER: &str = "formatrice-demo";

/// The fictitious candidates of the demo session (then the school's
/// cohort): ordinary given and
/// family names of every language region, which read alike on French,
/// German and Italian pages (no `lang` to mark); `index` from 0, in the
/// order they are enrolled.
const DEMO_NAMES: [(&str, &str); 10] = [
    ("Laura", "Keller"),
    ("Marco", "Rossi"),
    ("Nina", "Favre"),
    ("Jonas", "Brunner"),
    ("Sara", "Bernasconi"),
    ("David", "Rochat"),
    ("Elena", "Meier"),
    ("Simon", "Moretti"),
    ("Anna", "Perret"),
    ("Luca", "Huber"),
];

/// The identity of the demo session's candidate at `index`.
fn demo_identity(index: usize) -> CandidateIdentity {
    let (given, family) = DEMO_NAMES[index % DEMO_NAMES.len()];
    CandidateIdentity { family_name: family.into(), given_name: given.into(), email: None }
}

/// Demo data of a training school: [`DEMO_SCHOOL_NAME`], the trainers
/// [`DEMO_TRAINER`] and `formateur-demo` (password [`DEMO_PASSWORD`]), and
/// a mock exam pinned to the shipped documents with a cohort of three
/// fictitious candidates, in the scoring state and partly scored (part 1:
/// ECOLE-01 scored by both trainers, ECOLE-02 by one, ECOLE-03 not yet),
/// so that a class view has data.
fn seed_demo_school(state: &AppState, password_hash: &str) -> Result<(), ServeError> {
    let store = state.store();
    let system = Actor::system();
    let school = store.create_school(&system, DEMO_SCHOOL_NAME)?;
    let mut trainers = Vec::new();
    for name in [DEMO_TRAINER, "formateur-demo"] {
        let new =
            NewUser { username: name.into(), password_hash: password_hash.to_owned(), role: Role::Trainer };
        trainers.push(store.create_user_in_school(&system, &new, Some(school.id))?);
    }
    let runner = Actor::user(&trainers[0]);
    let documents = crate::api_sessions::shipped_documents(state).map_err(setup_error)?;
    let session = store.create_exam_session_for(
        &runner,
        &NewExamSession { name: DEMO_MOCK_SESSION_NAME.into(), exam_date: None, documents },
        grille_store::SessionOwner::Mock { school_id: school.id },
    )?;
    let cohort: Vec<NewCandidate> = (1..=3)
        .map(|index| {
            Ok(NewCandidate {
                number: CandidateNumber::parse(&format!("ECOLE-0{index}")).map_err(setup_error)?,
                // After the seven of the demo session.
                identity: Some(demo_identity(6 + index)),
            })
        })
        .collect::<Result<_, ServeError>>()?;
    store.enrol_candidates(&runner, session.id, &cohort)?;
    // The account of the cohort's first candidate, in the school's register.
    let pupil = store.create_user_in_school(
        &system,
        &NewUser {
            username: DEMO_COHORT_CANDIDATE.into(),
            password_hash: password_hash.to_owned(),
            role: Role::Candidate,
        },
        Some(school.id),
    )?;
    store.link_candidate_user(&system, pupil.id, &cohort[0].number)?;
    for candidate in &cohort {
        for trainer in &trainers {
            store.assign_examiner(&runner, session.id, &candidate.number, "1", trainer)?;
        }
    }
    store.set_session_state(&runner, session.id, "enrolment", "scoring")?;
    // The marks of the worked example's first candidate, part 1.
    let example =
        grille_scoring::embedded::example_session().map_err(|failure| setup_error(format!("{failure:?}")))?;
    let blueprint =
        grille_scoring::Blueprint::from_json(grille_scoring::embedded::BLUEPRINT.text, state.catalogue())
            .map_err(|problems| setup_error(format!("{problems:?}")))?;
    let source = example.candidates.first().ok_or_else(|| setup_error("example without candidates"))?;
    for (candidate, scorers) in cohort.iter().zip([2, 1, 0]) {
        for scoring in &source.positions {
            if blueprint.position(&scoring.position).map(|(part, _)| part.id.as_str()) != Some("1") {
                continue;
            }
            let key = grille_store::EvaluationKey {
                session_id: session.id,
                candidate: candidate.number.clone(),
                part: "1".into(),
                position: scoring.position.clone(),
            };
            for (trainer, evaluation) in trainers.iter().zip(&scoring.evaluations).take(scorers) {
                let content = crate::exam::StoredContent {
                    answers: evaluation.answers.clone(),
                    remark: evaluation.remark.clone(),
                    remark_language: evaluation.remark_language.or(example.remark_language),
                };
                store.save_evaluation(
                    &Actor::user(trainer),
                    &key,
                    trainer.id,
                    &content.to_value(),
                    grille_store::EvaluationStatus::Submitted,
                    None,
                )?;
            }
        }
    }
    eprintln!(
        "{}",
        console(
            state.config().console_language,
            "cli.serve.demo_school",
            &[
                ("school", DEMO_SCHOOL_NAME.to_owned()),
                ("id", session.id.to_string()),
                ("trainer", DEMO_TRAINER.to_owned()),
                ("candidate", DEMO_COHORT_CANDIDATE.to_owned()),
            ],
        )
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_admin_password_must_follow_the_policy() {
        let refused = admin_password(Some("admin-12345678".to_owned())).unwrap_err().to_string();
        assert_eq!(
            refused,
            "mise en place : le mot de passe de GRILLE_ADMIN_PASSWORD est refusé : \
             Le mot de passe ne doit pas reprendre le nom d'utilisateur. Le serveur ne démarre pas."
        );
        let short = admin_password(Some("court".to_owned())).unwrap_err().to_string();
        assert!(short.contains("au moins 12 caractères"), "{short}");
        assert_eq!(
            admin_password(Some(DEMO_PASSWORD.to_owned())).unwrap(),
            (DEMO_PASSWORD.to_owned(), false)
        );
        let (generated, was_generated) = admin_password(None).unwrap();
        assert!(was_generated && generated.len() == 24);
        assert!(crate::passwords::password_policy("admin", &generated, "/password").is_empty());
        assert!(admin_password(Some(String::new())).unwrap().1, "empty: generated");
    }
}
