//! The candidate's loop (migration 0018): a candidate's development plan
//! (the competences they work on, with goals, actions, dates and
//! progress), shared or not with the trainers of their school, who append
//! comments; and the board's switch that opens an official session's
//! filled rubrics to its candidates.
//!
//! The plan is written whole, with the same optimistic concurrency as the
//! self-assessment: a write names the version it read (`None` or 0: none
//! yet) and one on top of another version is [`StoreError::StaleVersion`]
//! (the server answers 409), checked in one `UPDATE ... WHERE version = ?`.
//! The store keeps the items as the caller gives them (a JSON array); the
//! server checks them. Every write is audited in its transaction; the
//! audit entry of a plan records its versions, item count and sharing,
//! not the candidate's texts.

use serde_json::json;

use crate::audit::record_in;
use crate::db::Db;
use crate::{Actor, Store, StoreError};

/// A stored development plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DevelopmentPlan {
    /// The candidate's account.
    pub user_id: i64,
    /// The items, as the JSON array the server wrote.
    pub items: serde_json::Value,
    /// Whether the trainers of the candidate's school may read it.
    pub shared: bool,
    /// 1 for the first write, +1 on each write.
    pub version: i64,
    /// When it was last written (RFC 3339 UTC).
    pub updated_at: String,
}

/// A trainer's comment on a plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlanComment {
    /// Row id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// The text.
    pub text: String,
    /// When (RFC 3339 UTC).
    pub created_at: String,
}

/// A shared plan in a school's list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SharedPlan {
    /// The candidate's account.
    pub user_id: i64,
    /// Their username.
    pub username: String,
    /// Their candidate number, when linked.
    pub number: Option<String>,
    /// The plan's version.
    pub version: i64,
    /// When it was last written.
    pub updated_at: String,
    /// How many comments it has.
    pub comments: i64,
}

fn read(db: &Db<'_>, user_id: i64) -> Result<Option<DevelopmentPlan>, StoreError> {
    let row: Option<(String, bool, i64, String)> = db.row_opt(
        "SELECT items, shared, version, updated_at FROM development_plans WHERE user_id = ?1",
        [user_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    row.map(|(text, shared, version, updated_at)| {
        let items = serde_json::from_str(&text)
            .map_err(|error| StoreError::BadValue(format!("development plan JSON: {error}")))?;
        Ok(DevelopmentPlan { user_id, items, shared, version, updated_at })
    })
    .transpose()
}

fn count_items(items: &serde_json::Value) -> usize {
    items.as_array().map_or(0, Vec::len)
}

impl Store {
    /// The development plan of `user_id`, if one was ever saved.
    pub fn development_plan(&self, user_id: i64) -> Result<Option<DevelopmentPlan>, StoreError> {
        self.write(|db| read(db, user_id))
    }

    /// Replaces the plan of `user_id`. `expected_version` is the version
    /// the caller read (`None` or `Some(0)`: none).
    /// [`StoreError::StaleVersion`] when the stored version is another;
    /// [`StoreError::NotFound`] (`user`) for an unknown account.
    pub fn save_development_plan(
        &self,
        actor: &Actor,
        user_id: i64,
        items: &serde_json::Value,
        shared: bool,
        expected_version: Option<i64>,
    ) -> Result<DevelopmentPlan, StoreError> {
        let expected = expected_version.unwrap_or(0);
        self.write(|db| {
            crate::users::require_user(db, user_id)?;
            let before = read(db, user_id)?;
            let current = before.as_ref().map_or(0, |stored| stored.version);
            let text = serde_json::to_string(items)
                .map_err(|error| StoreError::BadValue(format!("development plan JSON: {error}")))?;
            let now = crate::time::now();
            let changed = if expected == 0 {
                if before.is_some() {
                    return Err(StoreError::StaleVersion { expected: expected_version, current });
                }
                db.run(
                    "INSERT INTO development_plans (user_id, items, shared, version, updated_at)
                     VALUES (?1, ?2, ?3, 1, ?4)",
                    (user_id, &text, shared, &now),
                )?
            } else {
                db.run(
                    "UPDATE development_plans SET items = ?1, shared = ?2, version = version + 1, updated_at = ?3
                     WHERE user_id = ?4 AND version = ?5",
                    (&text, shared, &now, user_id, expected),
                )?
            };
            crate::versioned::refuse_if_stale(changed, expected_version, current)?;
            let after =
                read(db, user_id)?.ok_or(StoreError::NotFound { entity: "development plan" })?;
            let summary = |plan: &DevelopmentPlan| {
                json!({ "version": plan.version, "items": count_items(&plan.items), "shared": plan.shared })
            };
            record_in(
                db,
                actor,
                "development_plan.save",
                "development_plan",
                &user_id.to_string(),
                before.as_ref().map(summary).as_ref(),
                Some(&summary(&after)),
            )?;
            Ok(after)
        })
    }

    /// The comments on the plan of `user_id`, oldest first.
    pub fn development_plan_comments(&self, user_id: i64) -> Result<Vec<PlanComment>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                "SELECT c.id, u.username, c.text, c.created_at FROM development_plan_comments c
                 JOIN users u ON u.id = c.author_id WHERE c.plan_user_id = ?1 ORDER BY c.id",
                [user_id],
                |row| {
                    Ok(PlanComment {
                        id: row.get(0)?,
                        author: row.get(1)?,
                        text: row.get(2)?,
                        created_at: row.get(3)?,
                    })
                },
            )?;

            Ok(rows)
        })
    }

    /// Appends `author`'s comment to the plan of `user_id`, which must be
    /// saved and shared ([`StoreError::NotFound`] `development plan`
    /// otherwise: an unshared plan does not exist for its readers).
    pub fn comment_development_plan(
        &self,
        actor: &Actor,
        user_id: i64,
        author_id: i64,
        text: &str,
    ) -> Result<PlanComment, StoreError> {
        self.write(|db| {
            match read(db, user_id)? {
                Some(plan) if plan.shared => {}
                _ => return Err(StoreError::NotFound { entity: "development plan" }),
            }
            let now = crate::time::now();
            let id: i64 = db.row(
                "INSERT INTO development_plan_comments (plan_user_id, author_id, text, created_at)
                 VALUES (?1, ?2, ?3, ?4) RETURNING id",
                (user_id, author_id, text, &now),
                |row| row.get(0),
            )?;
            let author: String =
                db.row("SELECT username FROM users WHERE id = ?1", [author_id], |row| row.get(0))?;
            record_in(
                db,
                actor,
                "development_plan.comment",
                "development_plan",
                &user_id.to_string(),
                None,
                Some(&json!({ "comment": id, "characters": text.chars().count() })),
            )?;
            Ok(PlanComment { id, author, text: text.to_owned(), created_at: now })
        })
    }

    /// The shared plans of the candidates of `school_id`, most recently
    /// written first.
    pub fn shared_development_plans(&self, school_id: i64) -> Result<Vec<SharedPlan>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                "SELECT p.user_id, u.username, c.candidate_number, p.version, p.updated_at,
                        (SELECT COUNT(*) FROM development_plan_comments m WHERE m.plan_user_id = p.user_id)
                 FROM development_plans p JOIN users u ON u.id = p.user_id
                 LEFT JOIN candidates c ON c.id = u.candidate_id
                 WHERE p.shared = 1 AND u.school_id = ?1 AND u.role = 'candidate'
                 ORDER BY p.updated_at DESC, p.user_id",
                [school_id],
                |row| {
                    Ok(SharedPlan {
                        user_id: row.get(0)?,
                        username: row.get(1)?,
                        number: row.get(2)?,
                        version: row.get(3)?,
                        updated_at: row.get(4)?,
                        comments: row.get(5)?,
                    })
                },
            )?;

            Ok(rows)
        })
    }

    /// Whether the board opened the filled rubrics of session `session_id`
    /// to its candidates.
    pub fn file_consultation(&self, session_id: i64) -> Result<bool, StoreError> {
        self.read_db(|db| {
            let enabled: Option<bool> = db.row_opt(
                "SELECT enabled FROM session_file_consultation WHERE session_id = ?1",
                [session_id],
                |row| row.get(0),
            )?;
            Ok(enabled.unwrap_or(false))
        })
    }

    /// Opens (or closes) the filled rubrics of session `session_id` to its
    /// candidates, audited as `session.file_consultation`.
    pub fn set_file_consultation(
        &self,
        actor: &Actor,
        session_id: i64,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        self.write(|db| {
            let exists: Option<i64> = db
                .row_opt("SELECT id FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))
                ?;
            if exists.is_none() {
                return Err(StoreError::NotFound { entity: "exam session" });
            }
            let before: Option<bool> = db
                .row_opt(
                    "SELECT enabled FROM session_file_consultation WHERE session_id = ?1",
                    [session_id],
                    |row| row.get(0),
                )
                ?;
            db.run(
                "INSERT INTO session_file_consultation (session_id, enabled, changed_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (session_id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at",
                (session_id, enabled, crate::time::now()),
            )?;
            record_in(
                db,
                actor,
                "session.file_consultation",
                "exam_session",
                &session_id.to_string(),
                Some(&json!({ "enabled": before.unwrap_or(false) })),
                Some(&json!({ "enabled": enabled })),
            )?;
            Ok(enabled)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewUser, Role};

    #[test]
    fn plans_are_versioned_shared_commented_and_audited() {
        let store = Store::open_in_memory().unwrap();
        let new = |name: &str, role| NewUser { username: name.into(), password_hash: "$x".into(), role };
        let alice = store.create_user(&Actor::system(), &new("alice", Role::Candidate)).unwrap();
        let trainer = store.create_user(&Actor::system(), &new("tina", Role::Trainer)).unwrap();
        let actor = Actor::user(&alice);
        assert_eq!(store.development_plan(alice.id).unwrap(), None);
        let items = json!([{ "competence": "A8", "goal": "g" }]);
        let first = store.save_development_plan(&actor, alice.id, &items, false, None).unwrap();
        assert_eq!((first.version, first.shared), (1, false));
        // Another device that saw no plan is stale; so is an old version.
        let stale = store.save_development_plan(&actor, alice.id, &items, true, Some(0));
        assert!(matches!(stale, Err(StoreError::StaleVersion { current: 1, .. })), "{stale:?}");
        // Not shared: no comment (the plan does not exist for a trainer).
        let hidden = store.comment_development_plan(&Actor::user(&trainer), alice.id, trainer.id, "Bien");
        assert!(matches!(hidden, Err(StoreError::NotFound { .. })), "{hidden:?}");
        let second = store.save_development_plan(&actor, alice.id, &json!([]), true, Some(1)).unwrap();
        assert_eq!((second.version, second.shared), (2, true));
        let stale = store.save_development_plan(&actor, alice.id, &json!([]), true, Some(1));
        assert!(
            matches!(stale, Err(StoreError::StaleVersion { expected: Some(1), current: 2 })),
            "{stale:?}"
        );
        let comment =
            store.comment_development_plan(&Actor::user(&trainer), alice.id, trainer.id, "Bon plan").unwrap();
        assert_eq!(comment.author, "tina");
        assert_eq!(store.development_plan_comments(alice.id).unwrap(), vec![comment]);
        let missing = store.save_development_plan(&actor, 999, &json!([]), false, None);
        assert!(matches!(missing, Err(StoreError::NotFound { entity: "user" })), "{missing:?}");
        let log = store
            .audit_log(&crate::AuditQuery { entity: Some("development_plan".into()), ..Default::default() })
            .unwrap();
        assert_eq!(log.len(), 3);
        assert!(log.iter().all(|entry| !format!("{:?}", entry.after).contains("Bon plan")));
    }
}
