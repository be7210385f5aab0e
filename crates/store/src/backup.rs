//! Consistent copies of a store and their restoration.
//!
//! A backup is taken with SQLite's online backup API from a read-only
//! connection, in one step: in WAL mode that step reads one snapshot of the
//! database while the server keeps writing, so the copy holds every write
//! committed before it started and none half-done. A copy is checked
//! (`PRAGMA integrity_check`, the schema version this program knows) both
//! after it is written and before it is restored.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;
use crate::migrate::MIGRATIONS;

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The highest migration applied to it.
    pub schema_version: i64,
    /// Exam sessions.
    pub sessions: i64,
    /// Examiners' evaluations.
    pub evaluations: i64,
    /// Entries of the audit log.
    pub audit_entries: i64,
}

/// Why a copy cannot be taken or restored (besides SQLite errors).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file to copy from does not exist.
    #[error("la base de données {0} n'existe pas")]
    Missing(PathBuf),
    /// The destination exists already: a backup never overwrites a file.
    #[error("{0} existe déjà : une sauvegarde n'écrase jamais un fichier")]
    Exists(PathBuf),
    /// The file is not a grille database, or is damaged.
    #[error("{path} n'est pas une base grille intacte : {reason}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What SQLite found.
        reason: String,
    },
    /// The copy comes from a newer grille.
    #[error(
        "{path} est à la migration {found}, plus récente que ce programme ({known}) : mettez grille à jour"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its migration.
        found: i64,
        /// This program's newest migration.
        known: i64,
    },
    /// The store itself failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file operation failed.
    #[error("{path} : {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for BackupError {
    fn from(error: rusqlite::Error) -> Self {
        BackupError::Store(StoreError::Sqlite(error))
    }
}

/// Copies the database at `source` (in use or not) to `destination`, a
/// file that must not exist yet, and checks the copy.
pub fn backup(source: &Path, destination: &Path) -> Result<BackupSummary, BackupError> {
    if !source.is_file() {
        return Err(BackupError::Missing(source.to_owned()));
    }
    if destination.exists() {
        return Err(BackupError::Exists(destination.to_owned()));
    }
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    from.busy_timeout(std::time::Duration::from_secs(10))?;
    let partial = partial_path(destination);
    let _ = std::fs::remove_file(&partial);
    {
        let mut to = Connection::open(&partial)?;
        let copy = rusqlite::backup::Backup::new(&from, &mut to)?;
        // One step: one read snapshot of the source, however busy it is.
        loop {
            match copy.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    let summary = check(&partial)?;
    std::fs::rename(&partial, destination)
        .map_err(|source| BackupError::Io { path: destination.to_owned(), source })?;
    Ok(summary)
}

/// Checks a copy: intact, a grille database, a schema this program knows.
pub fn check(path: &Path) -> Result<BackupSummary, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    let damaged = |reason: String| BackupError::Damaged { path: path.to_owned(), reason };
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|error| damaged(error.to_string()))?;
    if integrity != "ok" {
        return Err(damaged(integrity));
    }
    let found: i64 = connection
        .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |row| row.get(0))
        .map_err(|_| damaged("aucune table schema_migrations".to_owned()))?;
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    if found > known {
        return Err(BackupError::TooNew { path: path.to_owned(), found, known });
    }
    let count = |table: &str| -> Result<i64, BackupError> {
        connection
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| row.get(0))
            .map_err(|error| damaged(error.to_string()))
    };
    Ok(BackupSummary {
        schema_version: found,
        sessions: count("exam_sessions")?,
        evaluations: count("evaluations")?,
        audit_entries: count("audit_log")?,
    })
}

/// Replaces the database at `target` by the checked copy `backup`. The
/// server must be stopped. The database replaced is kept beside it as
/// `<target>.before-restore-<unix seconds>` (with its WAL, if any), never
/// deleted. Returns that path, if there was a database.
pub fn restore(backup: &Path, target: &Path) -> Result<(BackupSummary, Option<PathBuf>), BackupError> {
    let summary = check(backup)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| BackupError::Io { path, source }
    };
    // Copy first, next to the target, so that the swap is a rename.
    let incoming = partial_path(target);
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(backup, &incoming).map_err(io(&incoming))?;
    let kept = if target.exists() {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let kept = with_suffix(target, &format!(".before-restore-{stamp}"));
        std::fs::rename(target, &kept).map_err(io(target))?;
        for side in ["-wal", "-shm"] {
            let file = with_suffix(target, side);
            if file.exists() {
                std::fs::rename(&file, with_suffix(&kept, side)).map_err(io(&file))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    std::fs::rename(&incoming, target).map_err(io(target))?;
    Ok((summary, kept))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_owned();
    text.push(suffix);
    PathBuf::from(text)
}

fn partial_path(path: &Path) -> PathBuf {
    with_suffix(path, ".partial")
}
