//! `grille serve`: the exam-board server on its embedded defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::text::tr_with;

#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    /// Adresse d'écoute.
    #[arg(long, env = "GRILLE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Dossier des données (la base SQLite y est créée au premier démarrage).
    #[arg(long, env = "GRILLE_DATA", default_value = "data")]
    data: PathBuf,
    /// Charge des données de démonstration dans une base encore vide : la
    /// session d'exemple et ses expert·e·s, une école avec un examen blanc,
    /// des comptes de candidat·e·s (mot de passe de démonstration :
    /// demo-grille-2026).
    #[arg(long)]
    demo: bool,
}

pub(super) fn run(args: ServeArgs) -> Result<(), CliError> {
    // Logs go to stderr; `RUST_LOG=debug` shows more.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Colours only on a terminal: a log file gets plain text.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colours)
        .with_writer(std::io::stderr)
        .try_init();

    let config = grille_server::ServeConfig {
        addr: args.addr,
        data_dir: args.data,
        demo: args.demo,
        pages: Some(grille_server::PagesBuilder::new(|state| {
            grille_web::router(grille_web::WebState::with_app(state.clone()))
        })),
        ..Default::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|error| {
        CliError::Usage(tr_with("cli.serve.start_failed", &[("error", error.to_string())]))
    })?;
    runtime
        .block_on(grille_server::serve(config))
        .map_err(|error| CliError::Usage(tr_with("cli.serve.failed", &[("error", format!("{error:#}"))])))
}
