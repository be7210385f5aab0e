//! Training schools: they own mock exam sessions, their trainers and
//! their cohorts' candidate numbers.

use crate::CachedSql as _;
use rusqlite::{Connection, OptionalExtension as _};
use serde_json::json;

use crate::audit::record;
use crate::error::constraint;
use crate::{Actor, Store, StoreError};

/// A training school.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct School {
    /// Row id.
    pub id: i64,
    /// Its name, unique.
    pub name: String,
    /// When it was created.
    pub created_at: String,
}

/// Who runs an exam session: the board (official) or a school (mock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionOwner {
    /// The federal exam, run by the board.
    #[default]
    Official,
    /// A mock exam of this school.
    Mock {
        /// The school's id.
        school_id: i64,
    },
}

impl SessionOwner {
    /// `official` or `mock`, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            SessionOwner::Official => "official",
            SessionOwner::Mock { .. } => "mock",
        }
    }

    /// The owning school, for a mock session.
    pub fn school_id(self) -> Option<i64> {
        match self {
            SessionOwner::Official => None,
            SessionOwner::Mock { school_id } => Some(school_id),
        }
    }
}

pub(crate) fn read_school(connection: &Connection, id: i64) -> Result<Option<School>, StoreError> {
    Ok(connection
        .row("SELECT id, name, created_at FROM schools WHERE id = ?1", [id], |row| {
            Ok(School { id: row.get(0)?, name: row.get(1)?, created_at: row.get(2)? })
        })
        .optional()?)
}

impl Store {
    /// Creates a school; [`StoreError::AlreadyExists`] if the name is taken.
    pub fn create_school(&self, actor: &Actor, name: &str) -> Result<School, StoreError> {
        self.with(|connection| {
            let transaction = connection.transaction()?;
            let now = crate::time::now();
            let id: i64 = transaction
                .row(
                    "INSERT INTO schools (name, created_at) VALUES (?1, ?2) RETURNING id",
                    (name, &now),
                    |row| row.get(0),
                )
                .map_err(|error| constraint(error, "school"))?;
            let school = School { id, name: name.to_owned(), created_at: now };
            let after = serde_json::to_value(&school).unwrap_or_default();
            record(&transaction, actor, "school.create", "school", &id.to_string(), None, Some(&after))?;
            transaction.commit()?;
            Ok(school)
        })
    }

    /// Every school, by name.
    pub fn schools(&self) -> Result<Vec<School>, StoreError> {
        self.read(|connection| {
            let mut statement =
                connection.prepare_cached("SELECT id, name, created_at FROM schools ORDER BY name, id")?;
            let rows = statement.query_map([], |row| {
                Ok(School { id: row.get(0)?, name: row.get(1)?, created_at: row.get(2)? })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// One school.
    pub fn school(&self, id: i64) -> Result<Option<School>, StoreError> {
        self.read(|connection| read_school(connection, id))
    }

    /// Renames a school.
    pub fn rename_school(&self, actor: &Actor, id: i64, name: &str) -> Result<School, StoreError> {
        self.with(|connection| {
            let transaction = connection.transaction()?;
            let before = read_school(&transaction, id)?.ok_or(StoreError::NotFound { entity: "school" })?;
            transaction
                .run("UPDATE schools SET name = ?1 WHERE id = ?2", (name, id))
                .map_err(|error| constraint(error, "school"))?;
            record(
                &transaction,
                actor,
                "school.rename",
                "school",
                &id.to_string(),
                Some(&json!({ "name": before.name })),
                Some(&json!({ "name": name })),
            )?;
            transaction.commit()?;
            Ok(School { name: name.to_owned(), ..before })
        })
    }

    /// Deletes a school that nothing refers to (no user, session or
    /// candidate): [`StoreError::InUse`] otherwise.
    pub fn delete_school(&self, actor: &Actor, id: i64) -> Result<(), StoreError> {
        self.with(|connection| {
            let transaction = connection.transaction()?;
            let before = read_school(&transaction, id)?.ok_or(StoreError::NotFound { entity: "school" })?;
            let references: i64 = transaction.row(
                "SELECT (SELECT COUNT(*) FROM users WHERE school_id = ?1)
                      + (SELECT COUNT(*) FROM exam_sessions WHERE school_id = ?1)
                      + (SELECT COUNT(*) FROM candidates WHERE school_id = ?1)",
                [id],
                |row| row.get(0),
            )?;
            if references > 0 {
                return Err(StoreError::InUse { entity: "school" });
            }
            transaction.run("DELETE FROM schools WHERE id = ?1", [id])?;
            let before = serde_json::to_value(&before).unwrap_or_default();
            record(&transaction, actor, "school.delete", "school", &id.to_string(), Some(&before), None)?;
            transaction.commit()?;
            Ok(())
        })
    }
}
