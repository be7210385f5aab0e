//! `grille`: the command line of the grille exam engine.
//!
//! The binary is thin glue: it reads files and arguments, calls the library
//! crates, and prints. Every error is printed once on stderr in French and
//! gives a non-zero exit code; nothing panics on bad input.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    match cli::run(arguments) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("erreur : {error}");
            ExitCode::from(cli::EXIT_FAILURE)
        }
    }
}
