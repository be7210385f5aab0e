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
    /// La base PostgreSQL à utiliser au lieu de la base SQLite du dossier
    /// des données, p. ex. postgres://grille@localhost/grille : plusieurs
    /// serveurs grille peuvent la partager.
    #[arg(long, env = "GRILLE_DATABASE", value_name = "URL", hide_env_values = true)]
    database: Option<String>,
    /// Nombre maximal de connexions à PostgreSQL ouvertes à la fois par ce
    /// serveur.
    #[arg(long, env = "GRILLE_DATABASE_POOL", value_name = "N", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    database_pool: u16,
    /// Charge des données de démonstration dans une base encore vide : la
    /// session d'exemple et ses expert·e·s, une école avec un examen blanc,
    /// des comptes de candidat·e·s (mot de passe de démonstration :
    /// demo-grille-2026).
    #[arg(long)]
    demo: bool,
    /// L'adresse publique du serveur, p. ex. https://examens.exemple.ch
    /// (derrière un proxy inverse qui termine HTTPS) : en https, les
    /// cookies sont « Secure » et chaque réponse porte
    /// Strict-Transport-Security.
    #[arg(long, env = "GRILLE_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Adresse(s) IP du proxy inverse dont l'en-tête X-Forwarded-For est
    /// cru (pour freiner les essais de mot de passe par adresse du client),
    /// séparées par des virgules.
    #[arg(long, env = "GRILLE_TRUSTED_PROXIES", value_name = "IP,…", value_delimiter = ',')]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// Les comptes qui doivent avoir un second facteur (TOTP) : aucun
    /// (none), la commission (board) ou tout le personnel (staff : tous
    /// sauf les candidat·e·s). Un compte concerné qui n'en a pas encore ne
    /// peut, une fois connecté, que l'inscrire.
    #[arg(long, env = "GRILLE_REQUIRE_SECOND_FACTOR", value_enum, default_value = "none")]
    require_second_factor: SecondFactorArg,
    /// Le serveur SMTP par lequel envoyer les rappels aux expert·e·s et les
    /// mots de passe provisoires, avec TLS :
    /// smtps://utilisateur:motdepasse@hote:465 ou
    /// smtp://utilisateur:motdepasse@hote:587?tls=required (smtp:// sans TLS
    /// seulement vers un relais sur cette machine). Sans lui, les pages
    /// montrent les messages à copier.
    #[arg(long, env = "GRILLE_SMTP", value_name = "URL", requires = "smtp_from", hide_env_values = true)]
    smtp: Option<String>,
    /// L'expéditeur des courriels, p. ex. "Commission d'examen <examens@exemple.ch>".
    #[arg(long, env = "GRILLE_SMTP_FROM", value_name = "ADRESSE", requires = "smtp")]
    smtp_from: Option<String>,
}

/// Qui doit avoir un second facteur.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SecondFactorArg {
    /// Personne.
    None,
    /// La commission d'examen.
    Board,
    /// Tout le personnel (tous sauf les candidat·e·s).
    Staff,
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

    let https = match args.public_url.as_deref().map(str::trim) {
        None => false,
        Some(url) if url.starts_with("https://") && url.len() > "https://".len() => true,
        Some(url) if url.starts_with("http://") && url.len() > "http://".len() => false,
        Some(url) => {
            return Err(CliError::Usage(tr_with("cli.serve.bad_public_url", &[("url", url.to_owned())])));
        }
    };
    let database = match args.database.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Some(url.to_owned())
        }
        Some(url) => {
            // Only the scheme is shown: the rest may hold a password.
            let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
            let shown = if scheme.is_empty() { "…".to_owned() } else { format!("{scheme}://…") };
            return Err(CliError::Usage(tr_with("cli.serve.bad_database", &[("database", shown)])));
        }
    };
    let mail = match (args.smtp.as_deref(), args.smtp_from.as_deref()) {
        (Some(url), Some(from)) => {
            Some(grille_server::mail::MailConfig::new(url.trim(), from.trim()).map_err(|error| {
                CliError::Usage(tr_with("cli.serve.bad_smtp", &[("error", error.to_string())]))
            })?)
        }
        _ => None,
    };
    let app = grille_server::AppConfig {
        mail,
        secure_cookies: https,
        hsts: https,
        trusted_proxies: args.trusted_proxy,
        require_second_factor: match args.require_second_factor {
            SecondFactorArg::None => grille_server::SecondFactorPolicy::None,
            SecondFactorArg::Board => grille_server::SecondFactorPolicy::Board,
            SecondFactorArg::Staff => grille_server::SecondFactorPolicy::Staff,
        },
        // The server's own lines on the console in the run's language.
        console_language: super::text::language(),
        ..Default::default()
    };
    let config = grille_server::ServeConfig {
        addr: args.addr,
        data_dir: args.data,
        database,
        database_pool: usize::from(args.database_pool),
        demo: args.demo,
        app,
        pages: Some(grille_server::PagesBuilder::new(|state| {
            grille_web::router(grille_web::WebState::with_app(state.clone()))
        })),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|error| {
        CliError::Usage(tr_with("cli.serve.start_failed", &[("error", error.to_string())]))
    })?;
    runtime.block_on(grille_server::serve(config)).map_err(|error| {
        let error = match &error {
            // The translation file's problems in the run's language.
            grille_server::ServeError::CatalogueTranslation(error) => {
                tr_with("cli.translation.bad_file", &[("error", super::translation::file_error(error))])
            }
            other => other.said(super::text::language()),
        };
        CliError::Usage(tr_with("cli.serve.failed", &[("error", error)]))
    })
}
