//! `grille`: the command line of the grille exam engine.
//!
//! The binary is thin glue: it reads files and arguments, calls the library
//! crates, and prints. Every error is printed once on stderr, in the run's
//! language (French unless `GRILLE_LANG` or the locale asks for German, see
//! `cli::text`), and gives a non-zero exit code; nothing panics on bad
//! input.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{}", cli::text::tr_with("cli.error", &[("message", error.to_string())]));
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
