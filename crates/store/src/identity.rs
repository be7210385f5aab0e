//! The exam body's identity (migration 0015): name, address, seat, logo,
//! signatories, the canton and holidays its appeal deadlines count with,
//! the wording of its legal remedies; and per session the days and places
//! of the exam and the day its decisions count as notified. The caller
//! checks the values (lengths, the logo's type by content); the store
//! keeps them and audits every change in the same db.

use grille_workflow::appeal::Holiday;

use crate::audit::record_in;
use crate::db::Db;
use crate::{Actor, Store, StoreError};

/// One person who signs the exam body's documents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Signatory {
    /// Full name.
    pub name: String,
    /// Function (« Président de la commission d'examen »).
    pub function: String,
}

/// What the exam body's documents say about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BoardIdentity {
    /// The exam body's name.
    pub name: String,
    /// Its postal address, one line per item.
    pub address: Vec<String>,
    /// Where its letters are signed (« Berne »), before the date.
    pub seat: String,
    /// Who signs, at most three.
    pub signatories: Vec<Signatory>,
    /// The canton whose holidays count (two-letter code), if set.
    pub canton: Option<String>,
    /// The holidays on which an appeal period does not end.
    pub holidays: Vec<Holiday>,
    /// Days between publication and notification (postal delivery).
    pub postal_days: u32,
    /// The legal remedies in French, where the body words them itself.
    pub remedy_fr: Option<String>,
    /// The same in German.
    pub remedy_de: Option<String>,
    /// The same in Italian.
    pub remedy_it: Option<String>,
}

impl Default for BoardIdentity {
    fn default() -> Self {
        BoardIdentity {
            name: String::new(),
            address: Vec::new(),
            seat: String::new(),
            signatories: Vec::new(),
            canton: None,
            holidays: Holiday::DEFAULT.to_vec(),
            postal_days: 2,
            remedy_fr: None,
            remedy_de: None,
            remedy_it: None,
        }
    }
}

/// The stored logo, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogoInfo {
    /// `image/png`, `image/jpeg` or `image/svg+xml`.
    pub media_type: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
}

/// The stored logo with its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// What it is.
    pub info: LogoInfo,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The identity as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIdentity {
    /// The texts.
    pub identity: BoardIdentity,
    /// The logo, if one was uploaded.
    pub logo: Option<LogoInfo>,
    /// When last changed (RFC 3339 UTC).
    pub updated_at: String,
    /// By whom (username).
    pub updated_by: String,
}

impl StoredIdentity {
    /// The version of what is stored, for optimistic concurrency (the
    /// API's ETag and If-Match): a number derived from the texts, the logo
    /// and the last change, so that any write gives another one (the table
    /// has a single row and no version column).
    pub fn version(&self) -> i64 {
        let content = serde_json::json!({
            "identity": self.identity,
            "logo": logo_view(self.logo.as_ref()),
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        });
        let hash = crate::sha256_hex(&content.to_string());
        // 15 hex digits: 60 bits, a positive i64 of at most 18 digits.
        i64::from_str_radix(&hash[..15], 16).unwrap_or(0)
    }
}

/// The version of an identity not written yet.
pub const NO_IDENTITY_VERSION: i64 = 0;

/// One day and place of an exam session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sitting {
    /// The day (ISO date).
    pub date: String,
    /// Where.
    pub place: String,
}

/// What a session's official documents say about the exam.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct SessionParticulars {
    /// The days and places of the exam, in order.
    pub sittings: Vec<Sitting>,
    /// The day its decisions count as notified (ISO date); `None`: the
    /// publication date plus the postal delivery days.
    pub notified_on: Option<String>,
}

fn identity_of(content: &str) -> Result<BoardIdentity, StoreError> {
    serde_json::from_str(content).map_err(|error| StoreError::BadValue(format!("board identity: {error}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::BadValue(error.to_string()))
}

fn read_identity(db: &Db<'_>) -> Result<Option<StoredIdentity>, StoreError> {
    let row = db.row_opt(
        "SELECT content, logo_media_type, logo_sha256, length(logo), updated_at, updated_by
             FROM board_identity WHERE id = 1",
        (),
        |row| {
            Ok((
                row.get::<String>(0)?,
                row.get::<Option<String>>(1)?,
                row.get::<Option<String>>(2)?,
                row.get::<Option<i64>>(3)?,
                row.get::<String>(4)?,
                row.get::<String>(5)?,
            ))
        },
    )?;
    let Some((content, media_type, sha256, size, updated_at, updated_by)) = row else { return Ok(None) };
    let logo = match (media_type, sha256, size) {
        (Some(media_type), Some(sha256), Some(size)) => Some(LogoInfo { media_type, sha256, size }),
        _ => None,
    };
    Ok(Some(StoredIdentity { identity: identity_of(&content)?, logo, updated_at, updated_by }))
}

fn logo_view(logo: Option<&LogoInfo>) -> serde_json::Value {
    match logo {
        Some(logo) => {
            serde_json::json!({ "media_type": logo.media_type, "sha256": logo.sha256, "size": logo.size })
        }
        None => serde_json::Value::Null,
    }
}

impl Store {
    /// The exam body's identity, if the board has written one.
    pub fn board_identity(&self) -> Result<Option<StoredIdentity>, StoreError> {
        self.read_db(read_identity)
    }

    /// Writes the exam body's identity (the logo stays as it is). With
    /// `expected`, the version the caller read ([`StoredIdentity::version`],
    /// [`NO_IDENTITY_VERSION`] before the first write): another version
    /// stored meanwhile is [`StoreError::StaleVersion`] and nothing is
    /// written.
    pub fn set_board_identity(
        &self,
        actor: &Actor,
        identity: &BoardIdentity,
        expected: Option<i64>,
    ) -> Result<StoredIdentity, StoreError> {
        let content = to_json(identity)?;
        self.write(|db| {
            let before = read_identity(db)?;
            let current = before.as_ref().map_or(NO_IDENTITY_VERSION, StoredIdentity::version);
            if expected.is_some_and(|expected| expected != current) {
                return Err(StoreError::StaleVersion { expected, current });
            }
            let now = crate::time::now();
            db.run(
                "INSERT INTO board_identity (id, content, updated_at, updated_by) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET
                   content = excluded.content, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (&content, &now, &actor.name),
            )?;
            let before_value = before.as_ref().map(|stored| serde_json::json!(stored.identity));
            record_in(
                db,
                actor,
                "board_identity.update",
                "board_identity",
                "1",
                before_value.as_ref(),
                Some(&serde_json::json!(identity)),
            )?;
            let after = read_identity(db)?.ok_or(StoreError::NotFound { entity: "board identity" })?;
            Ok(after)
        })
    }

    /// Replaces the logo (`Some((media type, bytes))`, checked by the
    /// caller) or removes it (`None`). An identity not written yet is
    /// created empty around it.
    pub fn set_board_logo(
        &self,
        actor: &Actor,
        logo: Option<(&str, &[u8])>,
    ) -> Result<StoredIdentity, StoreError> {
        let empty = to_json(&BoardIdentity::default())?;
        self.write(|db| {
            let before = read_identity(db)?;
            if logo.is_none() && before.as_ref().is_none_or(|stored| stored.logo.is_none()) {
                return Err(StoreError::NotFound { entity: "logo" });
            }
            let now = crate::time::now();
            let (media_type, sha256, bytes) = match logo {
                Some((media_type, bytes)) => {
                    (Some(media_type), Some(crate::cases::sha256_bytes(bytes)), Some(bytes))
                }
                None => (None, None, None),
            };
            db.run(
                "INSERT INTO board_identity (id, content, logo_media_type, logo_sha256, logo, updated_at, updated_by)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (id) DO UPDATE SET
                   logo_media_type = excluded.logo_media_type, logo_sha256 = excluded.logo_sha256,
                   logo = excluded.logo, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (&empty, media_type, &sha256, bytes, &now, &actor.name),
            )?;
            let after = read_identity(db)?.ok_or(StoreError::NotFound { entity: "board identity" })?;
            record_in(
                db,
                actor,
                if logo.is_some() { "board_identity.logo" } else { "board_identity.logo_remove" },
                "board_identity",
                "1",
                Some(&logo_view(before.as_ref().and_then(|stored| stored.logo.as_ref()))),
                Some(&logo_view(after.logo.as_ref())),
            )?;
            Ok(after)
        })
    }

    /// The logo with its bytes, if there is one.
    pub fn board_logo(&self) -> Result<Option<Logo>, StoreError> {
        self.read_db(|db| {
            let row = db.row_opt(
                "SELECT logo_media_type, logo_sha256, logo FROM board_identity
                     WHERE id = 1 AND logo IS NOT NULL",
                (),
                |row| Ok((row.get::<String>(0)?, row.get::<String>(1)?, row.get::<Vec<u8>>(2)?)),
            )?;
            Ok(row.map(|(media_type, sha256, bytes)| Logo {
                info: LogoInfo { media_type, sha256, size: bytes.len() as i64 },
                bytes,
            }))
        })
    }

    /// The days and places of session `session_id` and the day its
    /// decisions count as notified; empty when never written.
    pub fn session_particulars(&self, session_id: i64) -> Result<SessionParticulars, StoreError> {
        self.read_db(|db| read_particulars(db, session_id))
    }

    /// Writes the days, places and notification day of session
    /// `session_id`. [`StoreError::NotFound`] for an unknown session.
    pub fn set_session_particulars(
        &self,
        actor: &Actor,
        session_id: i64,
        particulars: &SessionParticulars,
    ) -> Result<SessionParticulars, StoreError> {
        let sittings = to_json(&particulars.sittings)?;
        self.write(|db| {
            let exists: Option<i64> =
                db.row_opt("SELECT id FROM exam_sessions WHERE id = ?1", [session_id], |row| row.get(0))?;
            if exists.is_none() {
                return Err(StoreError::NotFound { entity: "exam session" });
            }
            let before = read_particulars(db, session_id)?;
            db.run(
                "INSERT INTO session_particulars (session_id, sittings, notified_on, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (session_id) DO UPDATE SET
                   sittings = excluded.sittings, notified_on = excluded.notified_on,
                   updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                (session_id, &sittings, &particulars.notified_on, crate::time::now(), &actor.name),
            )?;
            record_in(
                db,
                actor,
                "session.particulars",
                "exam_session",
                &session_id.to_string(),
                Some(&serde_json::json!(before)),
                Some(&serde_json::json!(particulars)),
            )?;
            Ok(particulars.clone())
        })
    }

    /// When session `session_id` was last published (RFC 3339 UTC), from
    /// the audit log; `None` if it never was.
    pub fn session_published_at(&self, session_id: i64) -> Result<Option<String>, StoreError> {
        self.read_db(|db| {
            db.row_opt(
                "SELECT at FROM audit_log
                     WHERE entity = 'exam_session' AND entity_id = ?1 AND action = 'session.published'
                     ORDER BY id DESC LIMIT 1",
                [session_id.to_string()],
                |row| row.get(0),
            )
        })
    }
}

fn read_particulars(db: &Db<'_>, session_id: i64) -> Result<SessionParticulars, StoreError> {
    let row: Option<(String, Option<String>)> = db.row_opt(
        "SELECT sittings, notified_on FROM session_particulars WHERE session_id = ?1",
        [session_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let Some((sittings, notified_on)) = row else { return Ok(SessionParticulars::default()) };
    let sittings = serde_json::from_str(&sittings)
        .map_err(|error| StoreError::BadValue(format!("session sittings: {error}")))?;
    Ok(SessionParticulars { sittings, notified_on })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewExamSession, NewUser, Role};

    fn store_with_board() -> (Store, Actor) {
        let store = Store::open_in_memory().unwrap();
        let user = store
            .create_user(
                &Actor::system(),
                &NewUser { username: "board".into(), password_hash: "x".into(), role: Role::Admin },
            )
            .unwrap();
        (store, Actor::user(&user))
    }

    fn entries(store: &Store) -> Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> {
        let query =
            crate::AuditQuery { entity: Some("board_identity".into()), ..crate::AuditQuery::default() };
        let mut entries: Vec<_> =
            store.audit_log(&query).unwrap().into_iter().map(|e| (e.action, e.before, e.after)).collect();
        entries.reverse();
        entries
    }

    #[test]
    fn identity_and_logo_are_kept_and_audited() {
        let (store, board) = store_with_board();
        assert_eq!(store.board_identity().unwrap(), None);
        assert_eq!(store.board_logo().unwrap(), None);
        assert!(matches!(store.set_board_logo(&board, None), Err(StoreError::NotFound { entity: "logo" })));

        let identity = BoardIdentity {
            name: "Commission d'examen".into(),
            address: vec!["Case postale 1".into(), "3000 Berne".into()],
            seat: "Berne".into(),
            signatories: vec![Signatory { name: "A. Muster".into(), function: "Président".into() }],
            canton: Some("BE".into()),
            remedy_de: Some("Gegen diese Verfügung …".into()),
            ..BoardIdentity::default()
        };
        let stored = store.set_board_identity(&board, &identity, None).unwrap();
        assert_eq!(stored.identity, identity);
        assert_eq!(stored.logo, None);
        assert_eq!(stored.updated_by, "board");

        let png = b"\x89PNG\r\n\x1a\nrest";
        let with_logo = store.set_board_logo(&board, Some(("image/png", png))).unwrap();
        assert_eq!(with_logo.identity, identity, "the texts stay");
        let logo = store.board_logo().unwrap().unwrap();
        assert_eq!(logo.bytes, png);
        assert_eq!(logo.info.media_type, "image/png");
        assert_eq!(logo.info.size, png.len() as i64);
        assert_eq!(Some(logo.info.clone()), with_logo.logo);

        // Writing the texts again keeps the logo.
        let renamed = BoardIdentity { name: "Prüfungskommission".into(), ..identity.clone() };
        assert_eq!(store.set_board_identity(&board, &renamed, None).unwrap().logo, Some(logo.info.clone()));
        store.set_board_logo(&board, None).unwrap();
        assert_eq!(store.board_logo().unwrap(), None);

        let actions: Vec<String> = entries(&store).into_iter().map(|(action, _, _)| action).collect();
        assert_eq!(
            actions,
            [
                "board_identity.update",
                "board_identity.logo",
                "board_identity.update",
                "board_identity.logo_remove"
            ]
        );
        let (_, before, after) = &entries(&store)[2];
        assert_eq!(before.as_ref().unwrap()["name"], "Commission d'examen");
        assert_eq!(after.as_ref().unwrap()["name"], "Prüfungskommission");
        assert!(matches!(store.verify_audit_chain().unwrap(), crate::AuditVerification::Intact(_)));
    }

    #[test]
    fn a_logo_before_any_text_creates_an_empty_identity() {
        let (store, board) = store_with_board();
        let stored = store.set_board_logo(&board, Some(("image/svg+xml", b"<svg/>"))).unwrap();
        assert_eq!(stored.identity, BoardIdentity::default());
        assert_eq!(stored.identity.holidays, Holiday::DEFAULT);
    }

    #[test]
    fn session_particulars_are_kept_per_session() {
        let (store, board) = store_with_board();
        let session = store
            .create_exam_session(
                &board,
                &NewExamSession { name: "2027".into(), exam_date: None, documents: Vec::new() },
            )
            .unwrap();
        assert_eq!(store.session_particulars(session.id).unwrap(), SessionParticulars::default());
        let particulars = SessionParticulars {
            sittings: vec![
                Sitting { date: "2027-05-03".into(), place: "Olten".into() },
                Sitting { date: "2027-05-04".into(), place: "Berne".into() },
            ],
            notified_on: Some("2027-07-01".into()),
        };
        store.set_session_particulars(&board, session.id, &particulars).unwrap();
        assert_eq!(store.session_particulars(session.id).unwrap(), particulars);
        assert!(matches!(
            store.set_session_particulars(&board, session.id + 1, &particulars),
            Err(StoreError::NotFound { entity: "exam session" })
        ));
        assert_eq!(store.session_published_at(session.id).unwrap(), None);
    }
}
