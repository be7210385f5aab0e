//! The exam documents written in the browser (grading schemes, blueprints,
//! rubrics): their bank rows, versions and states. A session pins a used
//! version through `documents` like any other document
//! ([`Store::create_exam_session_from_bank`]).

use crate::bank::{Bank, mark_row_used, read_all, read_existing, read_one, set_state};
use crate::cases::CaseOwner;
use crate::db::Db;
use crate::sessions::{DocumentKind, sha256_hex};
use crate::{Actor, Store, StoreError};

/// Where a bank document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DraftState {
    /// Being written.
    Draft,
    /// Reviewed; a session may pin it.
    Ready,
    /// Pinned by a session: never changes again.
    Used,
}

impl DraftState {
    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Ready => "ready",
            DraftState::Used => "used",
        }
    }

    fn parse(text: &str) -> Result<DraftState, StoreError> {
        [DraftState::Draft, DraftState::Ready, DraftState::Used]
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| StoreError::BadValue(format!("document state {text:?}")))
    }
}

/// The text of a bank document and what lists show of it.
#[derive(Debug, Clone)]
pub struct DraftText {
    /// What it is: scheme, blueprint or rubric.
    pub kind: DocumentKind,
    /// The document's own id.
    pub document_id: String,
    /// The document's own version label.
    pub version: String,
    /// The document, as checked by its loader.
    pub content: String,
    /// The title, for lists.
    pub title: String,
}

/// One document version of a bank.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DraftRecord {
    /// Row id.
    pub id: i64,
    /// Whose bank.
    pub owner: CaseOwner,
    /// What it is.
    pub kind: DocumentKind,
    /// The document's own id.
    pub document_id: String,
    /// The version label.
    pub version: String,
    /// Where it is in its life.
    pub state: DraftState,
    /// The document.
    pub content: String,
    /// SHA-256 of the document.
    pub sha256: String,
    /// The title.
    pub title: String,
    /// The optimistic-concurrency version of the row.
    pub row_version: i64,
    /// When created.
    pub created_at: String,
    /// When last changed.
    pub updated_at: String,
}

const COLUMNS: &str = "id, school_id, kind, document_id, version, state, content, sha256, title, row_version, created_at, updated_at";

/// The document bank, for what it does as the case bank does.
pub(crate) struct DocumentBank;

impl Bank for DocumentBank {
    type Record = DraftRecord;
    const TABLE: &'static str = "document_bank";
    const COLUMNS: &'static str = COLUMNS;
    const ORDER: &'static str = "kind, document_id, id";
    const ENTITY: &'static str = "document";
    const AUDIT_ENTITY: &'static str = "bank_document";

    fn read(row: &crate::db::Row<'_>) -> Result<DraftRecord, StoreError> {
        Ok(DraftRecord {
            id: row.get(0)?,
            owner: CaseOwner::of(row.get(1)?),
            kind: DocumentKind::parse(&row.get::<String>(2)?)?,
            document_id: row.get(3)?,
            version: row.get(4)?,
            state: DraftState::parse(&row.get::<String>(5)?)?,
            content: row.get(6)?,
            sha256: row.get(7)?,
            title: row.get(8)?,
            row_version: row.get(9)?,
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
        })
    }

    fn id(record: &DraftRecord) -> i64 {
        record.id
    }

    fn row_version(record: &DraftRecord) -> i64 {
        record.row_version
    }

    fn audit_view(record: &DraftRecord) -> serde_json::Value {
        serde_json::json!({
            "kind": record.kind.as_str(),
            "document_id": record.document_id,
            "version": record.version,
            "state": record.state.as_str(),
            "sha256": record.sha256,
            "row_version": record.row_version,
        })
    }
}

impl Store {
    /// Adds a document version to a bank, as a draft.
    /// [`StoreError::AlreadyExists`] when the bank has this kind, id and
    /// version already.
    pub fn create_draft(
        &self,
        actor: &Actor,
        owner: CaseOwner,
        text: &DraftText,
    ) -> Result<DraftRecord, StoreError> {
        let mut created = self.create_drafts(actor, owner, std::slice::from_ref(text))?;
        created.pop().ok_or(StoreError::NotFound { entity: "document" })
    }

    /// Adds several document versions to a bank in one transaction: all or
    /// none (e.g. next year's scheme, blueprint and rubrics).
    pub fn create_drafts(
        &self,
        actor: &Actor,
        owner: CaseOwner,
        texts: &[DraftText],
    ) -> Result<Vec<DraftRecord>, StoreError> {
        self.write(|db| {
            let now = crate::time::now();
            let mut created = Vec::new();
            for text in texts {
                let id: i64 = db
                    .row(
                        "INSERT INTO document_bank (school_id, kind, document_id, version, state, content, sha256, title, row_version, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, 1, ?8, ?8) RETURNING id",
                        (
                            owner.school_id(),
                            text.kind.as_str(),
                            &text.document_id,
                            &text.version,
                            &text.content,
                            sha256_hex(&text.content),
                            &text.title,
                            &now,
                        ),
                        |row| row.get(0),
                    )
                    .map_err(|error| crate::error::constraint(error, "document version"))?;
                let record = read_existing::<DocumentBank>(db, id)?;
                DocumentBank::audit(db, actor, "document.create", None, &record)?;
                created.push(record);
            }
            Ok(created)
        })
    }

    /// Replaces the text of a draft or ready document if the row is still
    /// at `expected`; a used one is [`StoreError::Locked`].
    pub fn update_draft(
        &self,
        actor: &Actor,
        id: i64,
        expected: i64,
        text: &DraftText,
    ) -> Result<DraftRecord, StoreError> {
        self.write(|db| {
            let before = read_existing::<DocumentBank>(db, id)?;
            if before.state == DraftState::Used {
                return Err(StoreError::Locked { entity: "document version" });
            }
            if before.kind != text.kind {
                return Err(StoreError::BadValue("a document keeps its kind".to_owned()));
            }
            let changed = db
                .run(
                    "UPDATE document_bank SET document_id = ?1, version = ?2, content = ?3, sha256 = ?4, title = ?5,
                     row_version = row_version + 1, updated_at = ?6 WHERE id = ?7 AND row_version = ?8",
                    (
                        &text.document_id,
                        &text.version,
                        &text.content,
                        sha256_hex(&text.content),
                        &text.title,
                        crate::time::now(),
                        id,
                        expected,
                    ),
                )
                .map_err(|error| crate::error::constraint(error, "document version"))?;
            crate::versioned::refuse_if_stale(changed, Some(expected), before.row_version)?;
            let after = read_existing::<DocumentBank>(db, id)?;
            DocumentBank::audit(db, actor, "document.update", Some(&before), &after)?;
            Ok(after)
        })
    }

    /// Moves a document between draft and ready, if the row is still at
    /// `expected`. A used document keeps its state.
    pub fn set_draft_state(
        &self,
        actor: &Actor,
        id: i64,
        expected: i64,
        state: DraftState,
    ) -> Result<DraftRecord, StoreError> {
        self.write(|db| {
            set_state::<DocumentBank>(db, actor, id, expected, state.as_str(), |before| {
                if before.state == DraftState::Used || state == DraftState::Used {
                    return Err(StoreError::Locked { entity: "document version" });
                }
                Ok(())
            })
        })
    }

    /// One bank document by row id.
    pub fn draft(&self, id: i64) -> Result<Option<DraftRecord>, StoreError> {
        self.read_db(|db| read_one::<DocumentBank>(db, id))
    }

    /// Every bank document of every bank, by kind, id and creation; the
    /// caller keeps what the asker may see.
    pub fn drafts(&self) -> Result<Vec<DraftRecord>, StoreError> {
        self.read_db(read_all::<DocumentBank>)
    }
}

/// Marks bank rows used (pinned by a session), inside the session's
/// creation db.
pub(crate) fn mark_used(db: &Db<'_>, actor: &Actor, rows: &[i64]) -> Result<(), StoreError> {
    for row in rows {
        let before = read_existing::<DocumentBank>(db, *row)?;
        if before.state == DraftState::Draft {
            return Err(StoreError::WrongState { current: "draft".to_owned() });
        }
        if before.state == DraftState::Used {
            continue;
        }
        mark_row_used::<DocumentBank>(db, *row)?;
        let after = read_existing::<DocumentBank>(db, *row)?;
        DocumentBank::audit(db, actor, "document.used", Some(&before), &after)?;
    }
    Ok(())
}
