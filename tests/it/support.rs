use std::path::PathBuf;
use std::process::{Command, Output};

/// The result of one run of the `grille` binary.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// The environment variables that choose the language of grille's messages.
pub(crate) const LANGUAGE_VARIABLES: [&str; 4] = ["GRILLE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"];

/// Runs `grille` with `args` and no standard input, in French whatever the
/// machine's locale: the language variables are cleared.
pub(crate) fn grille(args: &[&str]) -> Run {
    grille_with_env(args, &[])
}

/// Runs `grille` with `args`, no standard input, the language variables
/// cleared and then `variables` set.
pub(crate) fn grille_with_env(args: &[&str], variables: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_grille"));
    for name in LANGUAGE_VARIABLES {
        command.env_remove(name);
    }
    let output: Output = command
        .envs(variables.iter().copied())
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the grille binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fresh temporary directory for one test.
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grille-it-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The repository root (where the workspace Cargo.toml is).
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
