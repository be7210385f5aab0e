//! The case bank (cases being written and the versions sessions used), the
//! attachments of cases, and which case each candidate sits.

use crate::audit::record_in;
use crate::bank::{Bank, mark_row_used, read_all, read_existing, read_one, set_state};
use crate::candidates::CandidateNumber;
use crate::db::Db;
use crate::evaluations::unscored_candidate;
use crate::sessions::{DocumentKind, NewDocument, document_row, sha256_hex};
use crate::{Actor, Store, StoreError};
pub use grille_workflow::CaseState;

/// Whose bank a case is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum CaseOwner {
    /// The exam board's bank.
    #[default]
    Board,
    /// A school's bank (its trainers' mock cases).
    School(i64),
}

impl CaseOwner {
    pub(crate) fn school_id(self) -> Option<i64> {
        match self {
            CaseOwner::Board => None,
            CaseOwner::School(id) => Some(id),
        }
    }

    pub(crate) fn of(school_id: Option<i64>) -> CaseOwner {
        school_id.map_or(CaseOwner::Board, CaseOwner::School)
    }
}

/// The text of a case version and what the bank indexes of it (computed
/// by the caller, who parsed and checked the case).
#[derive(Debug, Clone)]
pub struct CaseText {
    /// The case's own id.
    pub case_id: String,
    /// The case's own version label.
    pub version: String,
    /// The case document, as checked.
    pub content: String,
    /// The title, for lists.
    pub title: String,
    /// `fr`, `de` or `it`.
    pub language: String,
    /// The exam year, if given.
    pub year: Option<u16>,
    /// The case's text folded for the accent-insensitive search.
    pub search_text: String,
}

/// One case version of a bank.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CaseRecord {
    /// Row id (the bank's handle on this version).
    pub id: i64,
    /// Whose bank.
    pub owner: CaseOwner,
    /// The case's own id.
    pub case_id: String,
    /// The case's own version label.
    pub version: String,
    /// Where it is in its life.
    #[serde(serialize_with = "state_name")]
    pub state: CaseState,
    /// The case document.
    pub content: String,
    /// SHA-256 of the document, lowercase hex.
    pub sha256: String,
    /// The title.
    pub title: String,
    /// `fr`, `de` or `it`.
    pub language: String,
    /// The exam year, if given.
    pub year: Option<u16>,
    /// The optimistic-concurrency version of this row.
    pub row_version: i64,
    /// When created.
    pub created_at: String,
    /// When last changed.
    pub updated_at: String,
}

fn state_name<S: serde::Serializer>(state: &CaseState, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(state.as_str())
}

/// One use of a case version by a session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CaseUse {
    /// The bank row of the version used.
    pub case_row: i64,
    /// The version label.
    pub version: String,
    /// The session.
    pub session_id: i64,
    /// The session's name.
    pub session_name: String,
    /// The session's exam date, if known.
    pub exam_date: Option<String>,
    /// How many candidates sat it there.
    pub candidates: i64,
}

/// Which case a candidate sits for a position of a session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SessionCase {
    /// The candidate.
    pub candidate: CandidateNumber,
    /// The blueprint position.
    pub position: String,
    /// The bank row of the version.
    pub case_row: i64,
    /// The case's own id.
    pub case_id: String,
    /// The version.
    pub version: String,
    /// The title.
    pub title: String,
}

/// An attachment's bytes and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttachment {
    /// `application/pdf`, `image/png` or `image/jpeg`.
    pub media_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

const CASE_COLUMNS: &str = "id, school_id, case_id, version, state, content, sha256, title, language, year, row_version, created_at, updated_at";

/// The case bank, for what it does as the document bank does.
pub(crate) struct CaseBank;

impl Bank for CaseBank {
    type Record = CaseRecord;
    const TABLE: &'static str = "case_bank";
    const COLUMNS: &'static str = CASE_COLUMNS;
    const ORDER: &'static str = "case_id, id";
    const ENTITY: &'static str = "case";
    const AUDIT_ENTITY: &'static str = "case";

    fn read(row: &crate::db::Row<'_>) -> Result<CaseRecord, StoreError> {
        let state: String = row.get(4)?;
        Ok(CaseRecord {
            id: row.get(0)?,
            owner: CaseOwner::of(row.get(1)?),
            case_id: row.get(2)?,
            version: row.get(3)?,
            state: CaseState::parse(&state)
                .ok_or_else(|| StoreError::BadValue(format!("case state {state:?}")))?,
            content: row.get(5)?,
            sha256: row.get(6)?,
            title: row.get(7)?,
            language: row.get(8)?,
            year: row.get(9)?,
            row_version: row.get(10)?,
            created_at: row.get(11)?,
            updated_at: row.get(12)?,
        })
    }

    fn id(record: &CaseRecord) -> i64 {
        record.id
    }

    fn row_version(record: &CaseRecord) -> i64 {
        record.row_version
    }

    fn audit_view(record: &CaseRecord) -> serde_json::Value {
        serde_json::json!({
            "case_id": record.case_id,
            "version": record.version,
            "state": record.state.as_str(),
            "sha256": record.sha256,
            "owner": record.owner,
            "row_version": record.row_version,
        })
    }
}

impl Store {
    /// Adds a case version to a bank, as a draft. [`StoreError::AlreadyExists`]
    /// when the bank has this id and version already.
    pub fn create_case(
        &self,
        actor: &Actor,
        owner: CaseOwner,
        text: &CaseText,
    ) -> Result<CaseRecord, StoreError> {
        self.write(|db| {
            let now = crate::time::now();
            let id: i64 = db
                .row(
                    "INSERT INTO case_bank (school_id, case_id, version, state, content, sha256, title, language, year, search_text, row_version, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'draft', ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10) RETURNING id",
                    (&owner.school_id(), &text.case_id, &text.version, &text.content, &sha256_hex(&text.content), &text.title, &text.language, &text.year, &text.search_text, &now),
                    |row| row.get(0),
                )
                .map_err(|error| crate::error::constraint(error, "case version"))?;
            let record = read_existing::<CaseBank>(db, id)?;
            CaseBank::audit(db, actor, "case.create", None, &record)?;
            Ok(record)
        })
    }

    /// Replaces the text of an editable case version (draft or ready),
    /// if the row is still at `expected` ([`StoreError::StaleVersion`]
    /// otherwise). A used or released version is [`StoreError::Locked`].
    pub fn update_case(
        &self,
        actor: &Actor,
        id: i64,
        expected: i64,
        text: &CaseText,
    ) -> Result<CaseRecord, StoreError> {
        self.write(|db| {
            let before = read_existing::<CaseBank>(db, id)?;
            if !before.state.is_editable() {
                return Err(StoreError::Locked { entity: "case version" });
            }
            let changed = db
                .run(
                    "UPDATE case_bank SET case_id = ?1, version = ?2, content = ?3, sha256 = ?4, title = ?5,
                     language = ?6, year = ?7, search_text = ?8, row_version = row_version + 1, updated_at = ?9
                     WHERE id = ?10 AND row_version = ?11",
                    (&text.case_id, &text.version, &text.content, &sha256_hex(&text.content), &text.title, &text.language, &text.year, &text.search_text, &crate::time::now(), &id, &expected),
                )
                .map_err(|error| crate::error::constraint(error, "case version"))?;
            crate::versioned::refuse_if_stale(changed, Some(expected), before.row_version)?;
            let after = read_existing::<CaseBank>(db, id)?;
            CaseBank::audit(db, actor, "case.update", Some(&before), &after)?;
            Ok(after)
        })
    }

    /// Moves a case version to `state` if the row is still at `expected`.
    /// The caller asked grille-workflow whether the move is allowed.
    pub fn set_case_state(
        &self,
        actor: &Actor,
        id: i64,
        expected: i64,
        state: CaseState,
    ) -> Result<CaseRecord, StoreError> {
        self.write(|db| set_state::<CaseBank>(db, actor, id, expected, state.as_str(), |_| Ok(())))
    }

    /// One case version by row id.
    pub fn case(&self, id: i64) -> Result<Option<CaseRecord>, StoreError> {
        self.read_db(|db| read_one::<CaseBank>(db, id))
    }

    /// Every case version of every bank, by case id then creation. The
    /// caller keeps what the asker may see.
    pub fn cases(&self) -> Result<Vec<CaseRecord>, StoreError> {
        self.read_db(read_all::<CaseBank>)
    }

    /// The row ids of the case versions whose folded text contains every
    /// one of `words` (already folded).
    pub fn search_cases(&self, words: &[String]) -> Result<Vec<i64>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows("SELECT id, search_text FROM case_bank ORDER BY id", (), |row| {
                Ok((row.get::<i64>(0)?, row.get::<String>(1)?))
            })?;

            Ok(rows
                .into_iter()
                .filter(|(_, text)| words.iter().all(|word| text.contains(word.as_str())))
                .map(|(id, _)| id)
                .collect())
        })
    }

    /// Which sessions used the versions of the case `case_id` of `owner`'s
    /// bank, newest session first.
    pub fn case_uses(&self, owner: CaseOwner, case_id: &str) -> Result<Vec<CaseUse>, StoreError> {
        self.read_db(|db| {
            let uses = db.rows(
                "SELECT b.id, b.version, s.id, s.name, s.exam_date, COUNT(*)
                 FROM session_cases sc
                 JOIN case_bank b ON b.id = sc.case_bank_id
                 JOIN exam_sessions s ON s.id = sc.session_id
                 WHERE COALESCE(b.school_id, 0) = COALESCE(?1, 0) AND b.case_id = ?2
                 GROUP BY b.id, s.id ORDER BY s.id DESC, b.id",
                (owner.school_id(), case_id),
                |row| {
                    Ok(CaseUse {
                        case_row: row.get(0)?,
                        version: row.get(1)?,
                        session_id: row.get(2)?,
                        session_name: row.get(3)?,
                        exam_date: row.get(4)?,
                        candidates: row.get(5)?,
                    })
                },
            )?;

            Ok(uses)
        })
    }

    /// Stores an attachment's bytes once per SHA-256 and returns the hash.
    /// The caller checked the type (by content) and the size.
    pub fn put_attachment(
        &self,
        actor: &Actor,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<String, StoreError> {
        let hash = sha256_bytes(bytes);
        self.write(|db| {
            let inserted = db.run(
                "INSERT INTO attachments (sha256, media_type, size, bytes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (sha256) DO NOTHING",
                (&hash, media_type, bytes.len() as i64, bytes, crate::time::now()),
            )?;
            if inserted > 0 {
                let after = serde_json::json!({ "media_type": media_type, "size": bytes.len() });
                record_in(db, actor, "attachment.store", "attachment", &hash, None, Some(&after))?;
            }
            Ok(hash.clone())
        })
    }

    /// An attachment by its SHA-256.
    pub fn attachment(&self, sha256: &str) -> Result<Option<StoredAttachment>, StoreError> {
        self.read_db(|db| {
            db.row_opt("SELECT media_type, bytes FROM attachments WHERE sha256 = ?1", [sha256], |row| {
                Ok(StoredAttachment { media_type: row.get(0)?, bytes: row.get(1)? })
            })
        })
    }

    /// Has the candidate `number` sit the case version `case_row` for
    /// `position` in the session (replacing another case there). The
    /// version is pinned to the session under the slot `case:<case id>`
    /// (one version per case id and session: another version already
    /// pinned is [`StoreError::AlreadyExists`]), and its bank row becomes
    /// `used`. [`StoreError::Locked`] when the candidate already has an
    /// evaluation of that position: the case they were scored on stays.
    pub fn assign_case(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        position: &str,
        case_row: i64,
    ) -> Result<(), StoreError> {
        self.assign_cases(actor, session_id, &[(number.clone(), position.to_owned(), case_row)])
    }

    /// Gives each (candidate, position) its case version, all in one
    /// transaction: a refusal of any (a scored position, a second version
    /// of a case) saves none of them.
    pub fn assign_cases(
        &self,
        actor: &Actor,
        session_id: i64,
        sittings: &[(CandidateNumber, String, i64)],
    ) -> Result<(), StoreError> {
        self.write(|db| {
            for (number, position, case_row) in sittings {
                assign_one(db, actor, session_id, number, position, *case_row)?;
            }
            Ok(())
        })
    }

    /// Removes the case of a candidate's position (before it is scored).
    /// The case's pin is dropped when no other candidate sits it.
    pub fn unassign_case(
        &self,
        actor: &Actor,
        session_id: i64,
        number: &CandidateNumber,
        position: &str,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let candidate = unscored_candidate(db, session_id, number, position, "case assignment")?;
            let Some(previous) = current_sitting(db, session_id, candidate, position)? else {
                return Err(StoreError::NotFound { entity: "case assignment" });
            };
            db.run(
                "DELETE FROM session_cases WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3",
                (session_id, candidate, position),
            )?;
            unpin_if_unused(db, session_id, previous)?;
            let entity = format!("{session_id}/{number}/{position}");
            let before = serde_json::json!({ "case_row": previous });
            record_in(db, actor, "session.case.unassign", "session_case", &entity, Some(&before), None)?;
            Ok(())
        })
    }

    /// Which case each candidate of the session sits, by candidate and
    /// position.
    pub fn session_cases(&self, session_id: i64) -> Result<Vec<SessionCase>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                "SELECT c.candidate_number, sc.position, b.id, b.case_id, b.version, b.title
                 FROM session_cases sc
                 JOIN candidates c ON c.id = sc.candidate_id
                 JOIN case_bank b ON b.id = sc.case_bank_id
                 WHERE sc.session_id = ?1 ORDER BY c.candidate_number, sc.position",
                [session_id],
                |row| {
                    Ok((
                        row.get::<String>(0)?,
                        row.get::<String>(1)?,
                        row.get::<i64>(2)?,
                        row.get::<String>(3)?,
                        row.get::<String>(4)?,
                        row.get::<String>(5)?,
                    ))
                },
            )?;

            rows.into_iter()
                .map(|(number, position, case_row, case_id, version, title)| {
                    Ok(SessionCase {
                        candidate: CandidateNumber::parse(&number)
                            .map_err(|_| StoreError::BadValue(format!("candidate number {number:?}")))?,
                        position,
                        case_row,
                        case_id,
                        version,
                        title,
                    })
                })
                .collect()
        })
    }
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    use sha2::{Digest as _, Sha256};
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn current_sitting(
    db: &Db<'_>,
    session_id: i64,
    candidate: i64,
    position: &str,
) -> Result<Option<i64>, StoreError> {
    db
        .row_opt(
            "SELECT case_bank_id FROM session_cases WHERE session_id = ?1 AND candidate_id = ?2 AND position = ?3",
            (session_id, candidate, position),
            |row| row.get(0),
        )
}

/// Pins `case` to the session under `case:<case id>`, unless that exact
/// version is pinned already.
fn pin_case(db: &Db<'_>, session_id: i64, case: &CaseRecord) -> Result<(), StoreError> {
    let slot = format!("case:{}", case.case_id);
    let pinned: Option<String> = db.row_opt(
        "SELECT d.sha256 FROM session_documents sd JOIN documents d ON d.id = sd.document_id
             WHERE sd.session_id = ?1 AND sd.slot = ?2",
        (session_id, &slot),
        |row| row.get(0),
    )?;
    match pinned {
        Some(hash) if hash == case.sha256 => Ok(()),
        Some(_) => Err(StoreError::AlreadyExists { entity: "another version of this case in the session" }),
        None => {
            let document = NewDocument {
                slot: slot.clone(),
                kind: DocumentKind::Case,
                document_id: case.case_id.clone(),
                version: case.version.clone(),
                content: case.content.clone(),
            };
            let document_id = document_row(db, &document)?;
            db.run(
                "INSERT INTO session_documents (session_id, slot, document_id) VALUES (?1, ?2, ?3)",
                (session_id, &slot, document_id),
            )?;
            Ok(())
        }
    }
}

/// Drops the pin of the case version `case_row` when no candidate of the
/// session sits it any more.
fn unpin_if_unused(db: &Db<'_>, session_id: i64, case_row: i64) -> Result<(), StoreError> {
    let still: Option<i64> = db.row_opt(
        "SELECT 1 FROM session_cases WHERE session_id = ?1 AND case_bank_id = ?2 LIMIT 1",
        (session_id, case_row),
        |row| row.get(0),
    )?;
    if still.is_none()
        && let Some(case) = read_one::<CaseBank>(db, case_row)?
    {
        db.run(
            "DELETE FROM session_documents WHERE session_id = ?1 AND slot = ?2",
            (session_id, format!("case:{}", case.case_id)),
        )?;
    }
    Ok(())
}

impl Store {
    /// The ids of the cases `number` sat (was assigned) in sessions other
    /// than `except_session`.
    pub fn cases_sat_by(
        &self,
        number: &CandidateNumber,
        except_session: i64,
    ) -> Result<Vec<String>, StoreError> {
        self.read_db(|db| {
            let ids = db.rows(
                "SELECT DISTINCT b.case_id FROM session_cases sc
                 JOIN candidates c ON c.id = sc.candidate_id
                 JOIN case_bank b ON b.id = sc.case_bank_id
                 WHERE c.candidate_number = ?1 AND sc.session_id <> ?2
                   AND c.school_id IS NOT DISTINCT FROM (SELECT school_id FROM exam_sessions WHERE id = ?2)
                 ORDER BY b.case_id",
                (number.as_str(), except_session),
                |row| row.get(0),
            )?;

            Ok(ids)
        })
    }
}

/// One assignment of [`Store::assign_cases`], inside its db.
fn assign_one(
    db: &Db<'_>,
    actor: &Actor,
    session_id: i64,
    number: &CandidateNumber,
    position: &str,
    case_row: i64,
) -> Result<(), StoreError> {
    let candidate = unscored_candidate(db, session_id, number, position, "case assignment")?;
    let case = read_existing::<CaseBank>(db, case_row)?;
    pin_case(db, session_id, &case)?;
    let before = current_sitting(db, session_id, candidate, position)?;
    db.run(
        "INSERT INTO session_cases (session_id, candidate_id, position, case_bank_id, assigned_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (session_id, candidate_id, position) DO UPDATE SET case_bank_id = excluded.case_bank_id, assigned_at = excluded.assigned_at",
        (session_id, candidate, position, case_row, crate::time::now()),
    )?;
    if let Some(previous) = before.filter(|previous| *previous != case_row) {
        unpin_if_unused(db, session_id, previous)?;
    }
    if case.state != CaseState::Used {
        mark_row_used::<CaseBank>(db, case_row)?;
    }
    let entity = format!("{session_id}/{number}/{position}");
    let after = serde_json::json!({ "case_id": case.case_id, "version": case.version, "case_row": case_row });
    let before = before.map(|row| serde_json::json!({ "case_row": row }));
    record_in(db, actor, "session.case.assign", "session_case", &entity, before.as_ref(), Some(&after))
}
