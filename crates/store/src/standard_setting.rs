//! A session's standard-setting panel (migration 0020): the modified
//! Angoff estimates and Hofstee ranges of each panellist, recorded by the
//! board (or a school's trainers on their mock exam). The server checks
//! the panel against the session's pinned documents; the store keeps it
//! as one versioned row, audits every write in the same transaction and
//! refuses a stale version, so that two board members editing at once
//! never silently overwrite each other.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::record_in;
use crate::db::Db;
use crate::{Actor, Store, StoreError};

/// One panellist's acceptable ranges for the Hofstee compromise, as
/// decimal texts: cut scores in points, fail rates in per cent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelRanges {
    /// Lowest acceptable cut score.
    pub min_cut: String,
    /// Highest acceptable cut score.
    pub max_cut: String,
    /// Lowest acceptable fail rate (per cent).
    pub min_fail_rate: String,
    /// Highest acceptable fail rate (per cent).
    pub max_fail_rate: String,
}

/// One panellist: a name (free text, not necessarily an account), an
/// estimate per item (decimal text) and optionally their ranges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panellist {
    /// The name as the board wrote it.
    pub name: String,
    /// Item id → estimate.
    pub estimates: BTreeMap<String, String>,
    /// The Hofstee ranges, if given.
    pub ranges: Option<PanelRanges>,
}

/// A panel as checked by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelInput {
    /// The exam part the panel is about (`None`: the whole session).
    pub part: Option<String>,
    /// `position` or `criterion`: what the items are.
    pub basis: String,
    /// `points` or `probability`: what the estimates are.
    pub unit: String,
    /// The panellists, in the order the board gave them.
    pub panellists: Vec<Panellist>,
}

/// A panel as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPanel {
    /// The session.
    pub session_id: i64,
    /// What was recorded.
    pub panel: PanelInput,
    /// Its version (1 when first recorded).
    pub version: i64,
    /// When last written (RFC 3339 UTC).
    pub updated_at: String,
    /// By whom.
    pub updated_by: String,
}

fn panel_of(db: &Db<'_>, session_id: i64) -> Result<Option<StoredPanel>, StoreError> {
    let row = db.row_opt(
        "SELECT panel, version, updated_at, updated_by FROM standard_setting_panels WHERE session_id = ?1",
        [session_id],
        |row| Ok((row.get::<String>(0)?, row.get::<i64>(1)?, row.get::<String>(2)?, row.get::<String>(3)?)),
    )?;
    row.map(|(text, version, updated_at, updated_by)| {
        let panel = serde_json::from_str(&text)
            .map_err(|error| StoreError::BadValue(format!("standard-setting panel {session_id}: {error}")))?;
        Ok(StoredPanel { session_id, panel, version, updated_at, updated_by })
    })
    .transpose()
}

/// The audit snapshot: the shape of the panel and its panellists' names
/// (the board's own members or invited experts, named in its minutes),
/// not every estimate.
fn snapshot(panel: &PanelInput) -> serde_json::Value {
    json!({
        "part": panel.part,
        "basis": panel.basis,
        "unit": panel.unit,
        "panellists": panel.panellists.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        "items": panel.panellists.first().map_or(0, |p| p.estimates.len()),
        "ranges": panel.panellists.iter().filter(|p| p.ranges.is_some()).count(),
    })
}

impl Store {
    /// The standard-setting panel of a session, if one was recorded.
    pub fn standard_setting_panel(&self, session_id: i64) -> Result<Option<StoredPanel>, StoreError> {
        self.read_db(|db| panel_of(db, session_id))
    }

    /// Records the panel of a session: the first time with `expected`
    /// `None`, afterwards with the version it replaces. A panel recorded
    /// meanwhile, or a version that is not the stored one, is
    /// [`StoreError::StaleVersion`] and nothing is written. Audited
    /// (`standard_setting.record`) in the same db.
    pub fn save_standard_setting_panel(
        &self,
        actor: &Actor,
        session_id: i64,
        expected: Option<i64>,
        panel: &PanelInput,
    ) -> Result<StoredPanel, StoreError> {
        let text = serde_json::to_string(panel).map_err(|error| StoreError::BadValue(error.to_string()))?;
        self.write(|db| {
            let before = panel_of(db, session_id)?;
            match (&before, expected) {
                (None, None) => {
                    db.run(
                        "INSERT INTO standard_setting_panels (session_id, panel, updated_at, updated_by)
                         VALUES (?1, ?2, ?3, ?4)",
                        (&session_id, &text, &crate::time::now(), &actor.name),
                    )
                    .map_err(|error| crate::error::constraint(error, "exam session"))?;
                }
                (Some(stored), Some(version)) if stored.version == version => {
                    db.run(
                        "UPDATE standard_setting_panels SET panel = ?2, version = version + 1, updated_at = ?3,
                           updated_by = ?4 WHERE session_id = ?1 AND version = ?5",
                        (&session_id, &text, &crate::time::now(), &actor.name, &version),
                    )?;
                }
                (Some(stored), _) => {
                    return Err(StoreError::StaleVersion { expected, current: stored.version });
                }
                (None, Some(_)) => return Err(StoreError::StaleVersion { expected, current: 0 }),
            }
            let old = before.as_ref().map(|stored| snapshot(&stored.panel));
            let new = snapshot(panel);
            record_in(
                db,
                actor,
                "standard_setting.record",
                "standard_setting_panel",
                &session_id.to_string(),
                old.as_ref(),
                Some(&new),
            )?;
            let saved = panel_of(db, session_id)?
                .ok_or(StoreError::NotFound { entity: "standard-setting panel" })?;
            Ok(saved)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditQuery, DocumentKind, NewDocument, NewExamSession};

    fn panel(names: &[&str], estimate: &str) -> PanelInput {
        PanelInput {
            part: None,
            basis: "position".into(),
            unit: "points".into(),
            panellists: names
                .iter()
                .map(|name| Panellist {
                    name: (*name).into(),
                    estimates: BTreeMap::from([("1.1".to_owned(), estimate.to_owned())]),
                    ranges: None,
                })
                .collect(),
        }
    }

    fn entries(store: &Store) -> Vec<crate::AuditEntry> {
        let query = AuditQuery { entity: Some("standard_setting_panel".into()), ..Default::default() };
        store.audit_log(&query).unwrap()
    }

    #[test]
    fn panels_are_versioned_and_audited_with_their_write() {
        let store = Store::open_in_memory().unwrap();
        let actor = Actor::system();
        let session = store
            .create_exam_session(
                &actor,
                &NewExamSession {
                    name: "Printemps 2027".into(),
                    exam_date: None,
                    documents: vec![NewDocument {
                        slot: "blueprint".into(),
                        kind: DocumentKind::Blueprint,
                        document_id: "b".into(),
                        version: "1".into(),
                        content: "{}".into(),
                    }],
                },
            )
            .unwrap();
        assert_eq!(store.standard_setting_panel(session.id).unwrap(), None);
        // Naming a version before anything exists is stale, and writes
        // neither the panel nor an audit entry.
        let early = store.save_standard_setting_panel(&actor, session.id, Some(1), &panel(&["Anna"], "10"));
        assert!(
            matches!(early, Err(StoreError::StaleVersion { expected: Some(1), current: 0 })),
            "{early:?}"
        );
        assert!(entries(&store).is_empty());

        let first =
            store.save_standard_setting_panel(&actor, session.id, None, &panel(&["Anna"], "10")).unwrap();
        assert_eq!(first.version, 1);
        assert_eq!(first.panel, panel(&["Anna"], "10"));
        assert_eq!(entries(&store).len(), 1);

        // Two tabs: the second one saved on version 1 after the first.
        let second = store
            .save_standard_setting_panel(&actor, session.id, Some(1), &panel(&["Anna", "Bruno"], "12"))
            .unwrap();
        assert_eq!(second.version, 2);
        for (expected, lost) in [(Some(1), "9"), (None, "8")] {
            let stale =
                store.save_standard_setting_panel(&actor, session.id, expected, &panel(&["Chiara"], lost));
            assert!(matches!(stale, Err(StoreError::StaleVersion { current: 2, .. })), "{stale:?}");
        }
        // Nothing of the refused writes is kept; each kept write has its
        // one audit entry with the before and after.
        let stored = store.standard_setting_panel(session.id).unwrap().unwrap();
        assert_eq!(stored.panel, panel(&["Anna", "Bruno"], "12"));
        let log = entries(&store);
        assert_eq!(log.len(), 2);
        assert!(log.iter().any(|entry| entry.before.is_some() && entry.after.is_some()));
        store.verify_audit_chain().unwrap();

        let missing = store.save_standard_setting_panel(&actor, 999, None, &panel(&["Anna"], "10"));
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
        assert_eq!(entries(&store).len(), 2);
    }
}
