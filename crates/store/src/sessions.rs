//! Exam sessions and the document versions they are pinned to.

use std::fmt;

use grille_workflow::{SessionKind, SessionState};
use sha2::{Digest as _, Sha256};

use crate::audit::record_in;
use crate::db::Db;
use crate::{Actor, SessionOwner, Store, StoreError};

/// The kinds of versioned documents a session uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// The competence catalogue (qualification profile).
    Catalogue,
    /// The exam blueprint: parts and positions.
    Blueprint,
    /// The grading scheme: scales, weights, pass rule.
    Scheme,
    /// A rubric (grille d'évaluation) of one exam part.
    Rubric,
    /// A case study some candidates of the session sit.
    Case,
}

impl DocumentKind {
    /// The name stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Catalogue => "catalogue",
            DocumentKind::Blueprint => "blueprint",
            DocumentKind::Scheme => "scheme",
            DocumentKind::Rubric => "rubric",
            DocumentKind::Case => "case",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<DocumentKind, StoreError> {
        [
            DocumentKind::Catalogue,
            DocumentKind::Blueprint,
            DocumentKind::Scheme,
            DocumentKind::Rubric,
            DocumentKind::Case,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
        .ok_or_else(|| StoreError::BadValue(format!("document kind {text:?}")))
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document to pin to a new session.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// Where it is used in the session: `catalogue`, `blueprint`,
    /// `scheme` or `rubric:<part>`.
    pub slot: String,
    /// What it is.
    pub kind: DocumentKind,
    /// The document's own id (e.g. the profile id).
    pub document_id: String,
    /// The document's own version label.
    pub version: String,
    /// The exact text; its SHA-256 is computed by the store.
    pub content: String,
}

/// A document as pinned to a session, without its text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PinnedDocument {
    /// Where it is used (`catalogue`, `rubric:1.1`, ...).
    pub slot: String,
    /// What it is.
    pub kind: DocumentKind,
    /// The document's own id.
    pub document_id: String,
    /// The document's own version label.
    pub version: String,
    /// SHA-256 of the exact text, lowercase hex.
    pub sha256: String,
}

/// A stored document with its text, checked against its hash on read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Its description.
    pub pinned: PinnedDocument,
    /// The exact text.
    pub content: String,
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewExamSession {
    /// A name such as `Examen 2027 – session de printemps`.
    pub name: String,
    /// The exam date (ISO `YYYY-MM-DD`), if known.
    pub exam_date: Option<String>,
    /// The documents it uses; slots must be unique.
    pub documents: Vec<NewDocument>,
}

/// An exam session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExamSession {
    /// Row id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The exam date, if known.
    pub exam_date: Option<String>,
    /// `open` or `closed`.
    pub status: String,
    /// The workflow state.
    pub workflow_state: SessionState,
    /// Personal data is kept until this date (`YYYY-MM-DD`), if set.
    pub retention_until: Option<String>,
    /// Official (run by the board) or mock (run by a school).
    pub kind: SessionKind,
    /// The school running a mock session.
    pub school_id: Option<i64>,
    /// When it was created.
    pub created_at: String,
    /// The pinned documents, by slot.
    pub documents: Vec<PinnedDocument>,
}

/// SHA-256 of a text, lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Finds the document row with this kind and hash, or inserts it.
pub(crate) fn document_row(db: &Db<'_>, document: &NewDocument) -> Result<i64, StoreError> {
    let hash = sha256_hex(&document.content);
    let existing = db.row_opt(
        "SELECT id FROM documents WHERE kind = ?1 AND sha256 = ?2",
        (document.kind.as_str(), &hash),
        |row| row.get(0),
    )?;
    if let Some(id) = existing {
        return Ok(id);
    }
    db.row(
        "INSERT INTO documents (kind, document_id, version, sha256, content, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        (
            document.kind.as_str(),
            &document.document_id,
            &document.version,
            &hash,
            &document.content,
            crate::time::now(),
        ),
        |row| row.get(0),
    )
}

impl Store {
    /// Creates an official exam session pinned to the given documents.
    pub fn create_exam_session(
        &self,
        actor: &Actor,
        new: &NewExamSession,
    ) -> Result<ExamSession, StoreError> {
        self.create_exam_session_for(actor, new, SessionOwner::Official)
    }

    /// Creates an exam session of the given owner (official, or a mock
    /// session of a school) pinned to the given documents.
    /// [`StoreError::NotFound`] (`school`) for an unknown school.
    pub fn create_exam_session_for(
        &self,
        actor: &Actor,
        new: &NewExamSession,
        owner: SessionOwner,
    ) -> Result<ExamSession, StoreError> {
        self.create_exam_session_from_bank(actor, new, owner, &[])
    }

    /// Creates an exam session pinned to the given documents, some of them
    /// versions of a document bank (`bank_rows`): those become `used` in
    /// the same transaction, so that they never change again.
    pub fn create_exam_session_from_bank(
        &self,
        actor: &Actor,
        new: &NewExamSession,
        owner: SessionOwner,
        bank_rows: &[i64],
    ) -> Result<ExamSession, StoreError> {
        let id = self.write(|db| {
            crate::document_bank::mark_used(db, actor, bank_rows)?;
            if let Some(school) = owner.school_id() {
                crate::schools::school_in(db, school)?.ok_or(StoreError::NotFound { entity: "school" })?;
            }
            let id: i64 = db.row(
                "INSERT INTO exam_sessions (name, exam_date, status, created_at, created_by, kind, school_id)
                 VALUES (?1, ?2, 'open', ?3, ?4, ?5, ?6) RETURNING id",
                (
                    &new.name,
                    &new.exam_date,
                    crate::time::now(),
                    actor.user_id,
                    owner.kind(),
                    owner.school_id(),
                ),
                |row| row.get(0),
            )?;
            for document in &new.documents {
                let document_id = document_row(db, document)?;
                db.run(
                    "INSERT INTO session_documents (session_id, slot, document_id) VALUES (?1, ?2, ?3)",
                    (id, &document.slot, document_id),
                )
                .map_err(|error| crate::error::constraint(error, "session document slot"))?;
            }
            let session = read_session(db, id)?.ok_or(StoreError::NotFound { entity: "exam session" })?;
            let after = serde_json::to_value(&session).unwrap_or_default();
            record_in(db, actor, "session.create", "exam_session", &id.to_string(), None, Some(&after))?;
            Ok(id)
        })?;
        self.exam_session(id)?.ok_or(StoreError::NotFound { entity: "exam session" })
    }

    /// Every exam session, newest first.
    pub fn exam_sessions(&self) -> Result<Vec<ExamSession>, StoreError> {
        self.read_db(|db| {
            let ids: Vec<i64> =
                db.rows("SELECT id FROM exam_sessions ORDER BY id DESC", (), |row| row.get(0))?;
            let mut sessions = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(session) = read_session(db, id)? {
                    sessions.push(session);
                }
            }
            Ok(sessions)
        })
    }

    /// The mock sessions of a school, newest first.
    pub fn school_sessions(&self, school_id: i64) -> Result<Vec<ExamSession>, StoreError> {
        Ok(self.exam_sessions()?.into_iter().filter(|session| session.school_id == Some(school_id)).collect())
    }

    /// One exam session.
    pub fn exam_session(&self, id: i64) -> Result<Option<ExamSession>, StoreError> {
        self.read_db(|db| read_session(db, id))
    }

    /// The session's revision: a number the database bumps in the same
    /// transaction as every write to the session, its candidates,
    /// assignments, evaluations, results or corrections (migration 0005).
    /// Anything computed from a session read after observing revision `n`
    /// includes every write acknowledged before that observation. `None`
    /// for an unknown session.
    pub fn session_revision(&self, id: i64) -> Result<Option<i64>, StoreError> {
        self.read_db(|db| {
            db.row_opt("SELECT revision FROM exam_sessions WHERE id = ?1", [id], |row| row.get(0))
        })
    }

    /// The text of a document pinned to a session, checked against its hash.
    pub fn pinned_document(&self, session_id: i64, slot: &str) -> Result<Option<Document>, StoreError> {
        self.read_db(|db| {
            let row = db.row_opt(
                "SELECT d.id, d.kind, d.document_id, d.version, d.sha256, d.content
                     FROM session_documents sd JOIN documents d ON d.id = sd.document_id
                     WHERE sd.session_id = ?1 AND sd.slot = ?2",
                (session_id, slot),
                |row| {
                    Ok((
                        row.get::<i64>(0)?,
                        row.get::<String>(1)?,
                        row.get::<String>(2)?,
                        row.get::<String>(3)?,
                        row.get::<String>(4)?,
                        row.get::<String>(5)?,
                    ))
                },
            )?;
            let Some((id, kind, document_id, version, sha256, content)) = row else { return Ok(None) };
            if sha256_hex(&content) != sha256 {
                return Err(StoreError::Corrupt { id });
            }
            let kind = DocumentKind::parse(&kind)?;
            Ok(Some(Document {
                pinned: PinnedDocument { slot: slot.to_owned(), kind, document_id, version, sha256 },
                content,
            }))
        })
    }
}

pub(crate) fn read_session(db: &Db<'_>, id: i64) -> Result<Option<ExamSession>, StoreError> {
    let row = db.row_opt(
        "SELECT name, exam_date, status, created_at, workflow_state, retention_until, kind, school_id
             FROM exam_sessions WHERE id = ?1",
        [id],
        |row| {
            Ok((
                (row.get::<String>(0)?, row.get::<Option<String>>(1)?, row.get::<String>(2)?),
                row.get::<String>(3)?,
                row.get::<String>(4)?,
                row.get::<Option<String>>(5)?,
                (row.get::<String>(6)?, row.get::<Option<i64>>(7)?),
            ))
        },
    )?;
    let Some(((name, exam_date, status), created_at, workflow_state, retention_until, (kind, school_id))) =
        row
    else {
        return Ok(None);
    };
    let rows = db.rows(
        "SELECT sd.slot, d.kind, d.document_id, d.version, d.sha256
         FROM session_documents sd JOIN documents d ON d.id = sd.document_id
         WHERE sd.session_id = ?1 ORDER BY sd.slot",
        [id],
        |row| {
            Ok((
                row.get::<String>(0)?,
                row.get::<String>(1)?,
                row.get::<String>(2)?,
                row.get::<String>(3)?,
                row.get::<String>(4)?,
            ))
        },
    )?;
    let documents = rows
        .into_iter()
        .map(|(slot, kind, document_id, version, sha256)| {
            Ok(PinnedDocument { slot, kind: DocumentKind::parse(&kind)?, document_id, version, sha256 })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Text the workflow does not know is a damaged row, never a default.
    let workflow_state = SessionState::parse(&workflow_state)
        .ok_or_else(|| StoreError::BadValue(format!("session {id}: workflow state {workflow_state:?}")))?;
    let kind = SessionKind::parse(&kind)
        .ok_or_else(|| StoreError::BadValue(format!("session {id}: kind {kind:?}")))?;
    Ok(Some(ExamSession {
        id,
        name,
        exam_date,
        status,
        workflow_state,
        retention_until,
        kind,
        school_id,
        created_at,
        documents,
    }))
}
