//! A candidate's self-assessment, kept on the server: one level (1 to 4)
//! per rated criterion, for one account and one catalogue.
//!
//! Writes use the same optimistic concurrency as evaluations: the row
//! carries a version that grows by one on every write, a writer names the
//! version it read (`None` or 0: "there is none yet"), and a write on top
//! of another version is refused with [`StoreError::StaleVersion`] (the
//! server answers 409). The check and the update are one
//! `UPDATE ... WHERE version = ?`, so two devices saving at once cannot
//! both win and nothing is overwritten silently.
//!
//! The store keeps the ratings as given; which criterion ids and levels
//! are valid is the caller's business (the server checks them against the
//! catalogue). The audit entry of a save records the versions and the
//! number of rated criteria, not the ratings themselves.

use std::collections::BTreeMap;

use serde_json::json;

use crate::audit::record_in;
use crate::db::Db;
use crate::{Actor, Store, StoreError};

/// The stored self-assessment of one account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SelfAssessment {
    /// The account.
    pub user_id: i64,
    /// The id of the catalogue the criterion ids belong to.
    pub catalogue_id: String,
    /// Level 1 to 4 by criterion id.
    pub ratings: BTreeMap<String, u8>,
    /// 1 for the first write, +1 on each write.
    pub version: i64,
    /// When it was last written (RFC 3339 UTC).
    pub updated_at: String,
}

fn read(db: &Db<'_>, user_id: i64, catalogue_id: &str) -> Result<Option<SelfAssessment>, StoreError> {
    let row: Option<(String, i64, String)> = db.row_opt(
        "SELECT ratings, version, updated_at FROM self_assessments WHERE user_id = ?1 AND catalogue_id = ?2",
        (user_id, catalogue_id),
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    row.map(|(text, version, updated_at)| {
        let ratings = serde_json::from_str(&text)
            .map_err(|error| StoreError::BadValue(format!("self-assessment JSON: {error}")))?;
        Ok(SelfAssessment { user_id, catalogue_id: catalogue_id.to_owned(), ratings, version, updated_at })
    })
    .transpose()
}

impl Store {
    /// The self-assessment of `user_id` over catalogue `catalogue_id`, if
    /// one was ever saved.
    pub fn self_assessment(
        &self,
        user_id: i64,
        catalogue_id: &str,
    ) -> Result<Option<SelfAssessment>, StoreError> {
        self.write(|db| read(db, user_id, catalogue_id))
    }

    /// Replaces the ratings of `user_id` over `catalogue_id`.
    /// `expected_version` is the version the caller read: `None` or
    /// `Some(0)` when it saw none. [`StoreError::StaleVersion`] when the
    /// stored version is another one; [`StoreError::NotFound`] (`user`)
    /// for an unknown account.
    pub fn save_self_assessment(
        &self,
        actor: &Actor,
        user_id: i64,
        catalogue_id: &str,
        ratings: &BTreeMap<String, u8>,
        expected_version: Option<i64>,
    ) -> Result<SelfAssessment, StoreError> {
        let expected = expected_version.unwrap_or(0);
        self.write(|db| {
            crate::users::require_user(db, user_id)?;
            let before = read(db, user_id, catalogue_id)?;
            let current = before.as_ref().map_or(0, |stored| stored.version);
            let text = serde_json::to_string(ratings)
                .map_err(|error| StoreError::BadValue(format!("self-assessment JSON: {error}")))?;
            let now = crate::time::now();
            let changed = if expected == 0 {
                if before.is_some() {
                    return Err(StoreError::StaleVersion { expected: expected_version, current });
                }
                db.run(
                    "INSERT INTO self_assessments (user_id, catalogue_id, ratings, version, updated_at)
                     VALUES (?1, ?2, ?3, 1, ?4)",
                    (user_id, catalogue_id, &text, &now),
                )?
            } else {
                db.run(
                    "UPDATE self_assessments SET ratings = ?1, version = version + 1, updated_at = ?2
                     WHERE user_id = ?3 AND catalogue_id = ?4 AND version = ?5",
                    (&text, &now, user_id, catalogue_id, expected),
                )?
            };
            crate::versioned::refuse_if_stale(changed, expected_version, current)?;
            let after =
                read(db, user_id, catalogue_id)?.ok_or(StoreError::NotFound { entity: "self-assessment" })?;
            record_in(
                db,
                actor,
                "self_assessment.save",
                "self_assessment",
                &format!("{user_id}/{catalogue_id}"),
                before.as_ref().map(|b| json!({ "version": b.version, "rated": b.ratings.len() })).as_ref(),
                Some(&json!({ "version": after.version, "rated": after.ratings.len() })),
            )?;
            Ok(after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewUser, Role};

    fn ratings(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
        pairs.iter().map(|(id, level)| ((*id).to_owned(), *level)).collect()
    }

    #[test]
    fn saves_versions_and_refuses_stale_writes() {
        let store = Store::open_in_memory().unwrap();
        let new =
            |name: &str| NewUser { username: name.into(), password_hash: "$x".into(), role: Role::Candidate };
        let alice = store.create_user(&Actor::system(), &new("alice")).unwrap();
        let bob = store.create_user(&Actor::system(), &new("bob")).unwrap();
        let actor = Actor::user(&alice);
        assert_eq!(store.self_assessment(alice.id, "p").unwrap(), None);

        let first =
            store.save_self_assessment(&actor, alice.id, "p", &ratings(&[("A1.p1", 4)]), None).unwrap();
        assert_eq!(first.version, 1);
        // A second "first write" (another device that saw nothing) is stale.
        let stale = store.save_self_assessment(&actor, alice.id, "p", &ratings(&[("A1.p1", 1)]), Some(0));
        assert!(matches!(stale, Err(StoreError::StaleVersion { current: 1, .. })), "{stale:?}");
        let second = store
            .save_self_assessment(&actor, alice.id, "p", &ratings(&[("A1.p1", 3), ("B1.k1", 2)]), Some(1))
            .unwrap();
        assert_eq!(second.version, 2);
        let stale = store.save_self_assessment(&actor, alice.id, "p", &ratings(&[]), Some(1));
        assert!(
            matches!(stale, Err(StoreError::StaleVersion { expected: Some(1), current: 2 })),
            "{stale:?}"
        );
        let stored = store.self_assessment(alice.id, "p").unwrap().unwrap();
        assert_eq!(stored.ratings, ratings(&[("A1.p1", 3), ("B1.k1", 2)]));
        // Each account and catalogue has its own row.
        assert_eq!(store.self_assessment(bob.id, "p").unwrap(), None);
        assert_eq!(store.self_assessment(alice.id, "other").unwrap(), None);
        let missing = store.save_self_assessment(&actor, 999, "p", &ratings(&[]), None);
        assert!(matches!(missing, Err(StoreError::NotFound { entity: "user" })), "{missing:?}");
        // Every write has its audit entry, without the ratings themselves.
        let log = store
            .audit_log(&crate::AuditQuery { entity: Some("self_assessment".into()), ..Default::default() })
            .unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].after, Some(json!({ "version": 2, "rated": 2 })));
    }
}
