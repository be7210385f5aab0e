//! Running the server: open the store, create the first admin, listen,
//! shut down gracefully.

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;

use grille_store::{
    Actor, CandidateIdentity, CandidateNumber, NewCandidate, NewDocument, NewExamSession, NewUser,
};
use grille_store::{DocumentKind, Role, Store, StoreError};
use tokio::net::TcpListener;

use crate::{AppConfig, AppState, app, auth};

/// The environment variable that sets the first admin's password.
pub const ADMIN_PASSWORD_ENV: &str = "GRILLE_ADMIN_PASSWORD";
/// The database file name inside the data folder.
pub const DATABASE_FILE: &str = "grille.sqlite";

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Where to listen (default `127.0.0.1:8080`; port 0 picks a free port).
    pub addr: SocketAddr,
    /// The folder holding `grille.sqlite` (created if missing).
    pub data_dir: PathBuf,
    /// Seed demonstration data (two examiners and a session with three
    /// candidates) when the database has no exam session yet.
    pub demo: bool,
    /// The application settings.
    pub app: AppConfig,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            demo: false,
            app: AppConfig::default(),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The data folder could not be created.
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The database could not be opened, migrated, written or closed.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The embedded catalogue is broken (a build defect).
    #[error("embedded catalogue: {0}")]
    Catalogue(String),
    /// Setting up (hashing the first password, ...) failed.
    #[error("setup: {0}")]
    Setup(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// A server that is listening but not yet serving.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
}

impl Server {
    /// Opens the store (creating and migrating it), creates the first admin
    /// if there is no user, seeds demo data if asked, and binds the address.
    pub async fn bind(config: ServeConfig) -> Result<Server, ServeError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| ServeError::DataDir { path: config.data_dir.clone(), source })?;
        let path = config.data_dir.join(DATABASE_FILE);
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .map_err(|error| ServeError::Setup(error.to_string()))??;
        let state = AppState::new(store, config.app.clone())?;
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
        Ok(Server { listener, state })
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
        let served = axum::serve(self.listener, app(self.state)).with_graceful_shutdown(shutdown).await;
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
    let server = Server::bind(config).await?;
    eprintln!("grille : à l'écoute sur http://{}", server.local_addr()?);
    server.run_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("grille : arrêt demandé, fin des requêtes en cours…");
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
    let (password, generated) = match std::env::var(ADMIN_PASSWORD_ENV) {
        Ok(password) if !password.is_empty() => (password, false),
        _ => (auth::random_token().map_err(setup_error)?[..24].to_owned(), true),
    };
    let password_hash = auth::hash_password(&password, state.config().password_cost).map_err(setup_error)?;
    store.create_user(
        &Actor::system(),
        &NewUser { username: "admin".into(), password_hash, role: Role::Admin },
    )?;
    if generated {
        eprintln!("grille : utilisateur « admin » créé. Mot de passe (affiché une seule fois) : {password}");
    } else {
        eprintln!("grille : utilisateur « admin » créé avec le mot de passe de {ADMIN_PASSWORD_ENV}.");
    }
    Ok(())
}

/// Demo data: two examiners (random passwords printed once) and a session
/// with three fictitious candidates, each assigned to both examiners for
/// part 1.1. Does nothing if a session exists already.
fn seed_demo(state: &AppState) -> Result<(), ServeError> {
    let store = state.store();
    if !store.exam_sessions()?.is_empty() {
        return Ok(());
    }
    let actor = Actor::system();
    let mut examiners = Vec::new();
    for username in ["expert.demo1", "expert.demo2"] {
        if let Some(user) = store.user_by_username(username)? {
            examiners.push(user);
            continue;
        }
        let password = auth::random_token().map_err(setup_error)?[..16].to_owned();
        let password_hash =
            auth::hash_password(&password, state.config().password_cost).map_err(setup_error)?;
        examiners.push(store.create_user(
            &actor,
            &NewUser { username: username.into(), password_hash, role: Role::Examiner },
        )?);
        eprintln!("grille (démo) : expert·e « {username} », mot de passe : {password}");
    }
    let profile = state.catalogue().profile();
    let session = store.create_exam_session(
        &actor,
        &NewExamSession {
            name: "Session de démonstration".into(),
            exam_date: None,
            documents: vec![NewDocument {
                slot: "catalogue".into(),
                kind: DocumentKind::Catalogue,
                document_id: profile.id.clone(),
                version: profile.version.clone(),
                content: grille_competence::EMBEDDED_CATALOGUE_JSON.to_owned(),
            }],
        },
    )?;
    let people = [
        ("DEMO-001", "Exemple", "Alice"),
        ("DEMO-002", "Exemple", "Bruno"),
        ("DEMO-003", "Exemple", "Chloé"),
    ];
    let mut candidates = Vec::new();
    for (number, family_name, given_name) in people {
        let number = CandidateNumber::parse(number).map_err(setup_error)?;
        candidates.push(NewCandidate {
            number,
            identity: Some(CandidateIdentity {
                family_name: family_name.into(),
                given_name: given_name.into(),
                email: None,
            }),
        });
    }
    store.enrol_candidates(&actor, session.id, &candidates)?;
    for candidate in &candidates {
        for examiner in &examiners {
            store.assign_examiner(&actor, session.id, &candidate.number, "1.1", examiner)?;
        }
    }
    Ok(())
}
