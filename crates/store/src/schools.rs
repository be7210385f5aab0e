//! Training schools: they own mock exam sessions, their trainers and
//! their cohorts' candidate numbers.

use serde_json::json;

use crate::audit::record_in;
use crate::db::{Db, constraint};
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

/// School `id`, if it exists.
pub(crate) fn school_in(db: &Db<'_>, id: i64) -> Result<Option<School>, StoreError> {
    db.row_opt("SELECT id, name, created_at FROM schools WHERE id = ?1", [id], |row| {
        Ok(School { id: row.get(0)?, name: row.get(1)?, created_at: row.get(2)? })
    })
}

impl Store {
    /// Creates a school; [`StoreError::AlreadyExists`] if the name is taken.
    pub fn create_school(&self, actor: &Actor, name: &str) -> Result<School, StoreError> {
        self.write(|db| {
            let now = crate::time::now();
            let id: i64 = db
                .row(
                    "INSERT INTO schools (name, created_at) VALUES (?1, ?2) RETURNING id",
                    (name, &now),
                    |row| row.get(0),
                )
                .map_err(|error| constraint(error, "school"))?;
            let school = School { id, name: name.to_owned(), created_at: now };
            let after = serde_json::to_value(&school).unwrap_or_default();
            record_in(db, actor, "school.create", "school", &id.to_string(), None, Some(&after))?;
            Ok(school)
        })
    }

    /// Every school, by name.
    pub fn schools(&self) -> Result<Vec<School>, StoreError> {
        self.read_db(|db| {
            db.rows("SELECT id, name, created_at FROM schools ORDER BY name, id", (), |row| {
                Ok(School { id: row.get(0)?, name: row.get(1)?, created_at: row.get(2)? })
            })
        })
    }

    /// One school.
    pub fn school(&self, id: i64) -> Result<Option<School>, StoreError> {
        self.read_db(|db| school_in(db, id))
    }

    /// Renames a school.
    pub fn rename_school(&self, actor: &Actor, id: i64, name: &str) -> Result<School, StoreError> {
        self.write(|db| {
            let before = school_in(db, id)?.ok_or(StoreError::NotFound { entity: "school" })?;
            db.run("UPDATE schools SET name = ?1 WHERE id = ?2", (name, id))
                .map_err(|error| constraint(error, "school"))?;
            record_in(
                db,
                actor,
                "school.rename",
                "school",
                &id.to_string(),
                Some(&json!({ "name": before.name })),
                Some(&json!({ "name": name })),
            )?;
            Ok(School { name: name.to_owned(), ..before })
        })
    }

    /// Deletes a school that nothing refers to (no user, session or
    /// candidate): [`StoreError::InUse`] otherwise.
    pub fn delete_school(&self, actor: &Actor, id: i64) -> Result<(), StoreError> {
        self.write(|db| {
            let before = school_in(db, id)?.ok_or(StoreError::NotFound { entity: "school" })?;
            let references: i64 = db.row(
                "SELECT (SELECT COUNT(*) FROM users WHERE school_id = ?1)
                      + (SELECT COUNT(*) FROM exam_sessions WHERE school_id = ?1)
                      + (SELECT COUNT(*) FROM candidates WHERE school_id = ?1)",
                [id],
                |row| row.get(0),
            )?;
            if references > 0 {
                return Err(StoreError::InUse { entity: "school" });
            }
            db.run("DELETE FROM schools WHERE id = ?1", [id])?;
            let before = serde_json::to_value(&before).unwrap_or_default();
            record_in(db, actor, "school.delete", "school", &id.to_string(), Some(&before), None)?;
            Ok(())
        })
    }
}
