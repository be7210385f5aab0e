//! The candidate register (migration 0019): the master data federal exams
//! need (names, date of birth, place of origin, address, exam language)
//! and the accommodations decided for a candidate. Both live in the
//! erasable `candidate_identities` row, so erasure removes them with the
//! names. The caller checks the values (dates, lengths, languages); the
//! store keeps them and audits every change in the same db. The
//! audit entries name the fields that changed, never their values, so that
//! an erasure leaves no personal data behind in the log.

use std::collections::BTreeMap;

use serde_json::json;

use crate::audit::record_in;
use crate::candidates::candidate_id;
use crate::db::Db;
use crate::{Actor, CandidateNumber, Store, StoreError};

/// A candidate's master data, as the certificate and the decision need it.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct MasterData {
    /// Surname.
    pub family_name: String,
    /// Given names.
    pub given_name: String,
    /// Date of birth, ISO (`1990-12-31`).
    pub date_of_birth: Option<String>,
    /// Place of origin (Heimatort / lieu d'origine).
    pub place_of_origin: Option<String>,
    /// Postal address, one line per item.
    pub address: Vec<String>,
    /// Exam language: `fr`, `de` or `it`.
    pub exam_language: Option<String>,
    /// The canton where the candidate lives (two upper-case letters),
    /// whose holidays count for their appeal period.
    pub canton: Option<String>,
}

/// The compensation for disadvantages decided for a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Accommodation {
    /// Extra time per exam part, in minutes.
    pub extra_minutes: Option<u32>,
    /// Aids allowed (a reader, a laptop, a separate room, ...).
    pub aids: Option<String>,
    /// Anything else the examiners must know.
    pub note: Option<String>,
}

impl Accommodation {
    /// Whether nothing was decided.
    pub fn is_empty(&self) -> bool {
        self.extra_minutes.is_none() && self.aids.is_none() && self.note.is_none()
    }
}

/// What the register holds about one candidate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterEntry {
    /// The candidate number.
    pub number: CandidateNumber,
    /// Master data, `None` when no names were ever given (or erased).
    pub master: Option<MasterData>,
    /// Accommodations, empty when none were decided.
    pub accommodation: Accommodation,
}

const ENTRY_COLUMNS: &str =
    "c.candidate_number, i.family_name, i.given_name, i.date_of_birth, i.place_of_origin,
     i.address, i.exam_language, i.extra_minutes, i.aids, i.accommodation_note, i.canton";

fn entry(row: &crate::db::Row<'_>) -> Result<RegisterEntry, StoreError> {
    let family_name: Option<String> = row.get(1)?;
    let given_name: Option<String> = row.get(2)?;
    let address: Option<String> = row.get(5)?;
    let master = match (family_name, given_name) {
        (Some(family_name), Some(given_name)) => Some(MasterData {
            family_name,
            given_name,
            date_of_birth: row.get(3)?,
            place_of_origin: row.get(4)?,
            address: address
                .map(|text| text.lines().map(str::to_owned).filter(|line| !line.is_empty()).collect())
                .unwrap_or_default(),
            exam_language: row.get(6)?,
            canton: row.get(10)?,
        }),
        _ => None,
    };
    let extra: Option<i64> = row.get(7)?;
    Ok(RegisterEntry {
        number: CandidateNumber::stored(row.get(0)?),
        master,
        accommodation: Accommodation {
            extra_minutes: extra.and_then(|minutes| u32::try_from(minutes).ok()),
            aids: row.get(8)?,
            note: row.get(9)?,
        },
    })
}

/// The names of the master-data fields that differ between `before` and
/// `after`, for the audit log.
fn changed_fields(before: Option<&MasterData>, after: &MasterData) -> Vec<&'static str> {
    let empty = MasterData::default();
    let before = before.unwrap_or(&empty);
    let compared = [
        ("family_name", before.family_name != after.family_name),
        ("given_name", before.given_name != after.given_name),
        ("date_of_birth", before.date_of_birth != after.date_of_birth),
        ("place_of_origin", before.place_of_origin != after.place_of_origin),
        ("address", before.address != after.address),
        ("exam_language", before.exam_language != after.exam_language),
        ("canton", before.canton != after.canton),
    ];
    compared.into_iter().filter(|(_, changed)| *changed).map(|(name, _)| name).collect()
}

fn entry_in(db: &Db<'_>, id: i64) -> Result<RegisterEntry, StoreError> {
    db.row(
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM candidates c LEFT JOIN candidate_identities i ON i.candidate_id = c.id
             WHERE c.id = ?1"
        ),
        [id],
        entry,
    )
}

impl Store {
    /// What the register of `register` (`None`: the board's) holds about
    /// candidate `number`; [`StoreError::NotFound`] for an unknown number.
    pub fn register_entry(
        &self,
        register: Option<i64>,
        number: &CandidateNumber,
    ) -> Result<RegisterEntry, StoreError> {
        self.read_db(|db| {
            db.row_opt(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM candidates c
                         LEFT JOIN candidate_identities i ON i.candidate_id = c.id
                         WHERE c.candidate_number = ?1 AND c.school_id IS NOT DISTINCT FROM ?2"
                ),
                (number.as_str(), register),
                entry,
            )?
            .ok_or(StoreError::NotFound { entity: "candidate" })
        })
    }

    /// The register entries of a session's enrolled candidates, by number.
    pub fn session_register(&self, session_id: i64) -> Result<BTreeMap<String, RegisterEntry>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM enrolments e
                 JOIN candidates c ON c.id = e.candidate_id
                 LEFT JOIN candidate_identities i ON i.candidate_id = c.id
                 WHERE e.session_id = ?1 ORDER BY c.candidate_number"
                ),
                [session_id],
                entry,
            )?;

            let mut entries = BTreeMap::new();
            for row in rows {
                entries.insert(row.number.as_str().to_owned(), row);
            }
            Ok(entries)
        })
    }

    /// Writes the master data of candidates of `register`, all or none: an
    /// unknown number is [`StoreError::NotFound`] and nothing is saved.
    /// The e-mail and the accommodations stay. Each candidate whose data
    /// changed gets an audit entry naming the fields (not their values).
    /// Returns how many candidates changed.
    pub fn set_master_data(
        &self,
        actor: &Actor,
        register: Option<i64>,
        rows: &[(CandidateNumber, MasterData)],
    ) -> Result<usize, StoreError> {
        self.write(|db| {
            let now = crate::time::now();
            let mut changed = 0;
            for (number, data) in rows {
                let id = candidate_id(db, register, number)?
                    .ok_or(StoreError::NotFound { entity: "candidate" })?;
                let before = entry_in(db, id)?;
                let fields = changed_fields(before.master.as_ref(), data);
                if fields.is_empty() {
                    continue;
                }
                let address = (!data.address.is_empty()).then(|| data.address.join("\n"));
                db.run(
                    "INSERT INTO candidate_identities (candidate_id, family_name, given_name, date_of_birth,
                       place_of_origin, address, exam_language, canton, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (candidate_id) DO UPDATE SET family_name = excluded.family_name,
                       given_name = excluded.given_name, date_of_birth = excluded.date_of_birth,
                       place_of_origin = excluded.place_of_origin, address = excluded.address,
                       exam_language = excluded.exam_language, canton = excluded.canton,
                       updated_at = excluded.updated_at",
                    (
                        id,
                        &data.family_name,
                        &data.given_name,
                        &data.date_of_birth,
                        &data.place_of_origin,
                        &address,
                        &data.exam_language,
                        &data.canton,
                        &now,
                    ),
                )?;
                let after = json!({ "fields": fields, "language": data.exam_language });
                record_in(
                    db,
                    actor,
                    "candidate.master_data",
                    "candidate",
                    number.as_str(),
                    None,
                    Some(&after),
                )?;
                changed += 1;
            }
            Ok(changed)
        })
    }

    /// Writes the accommodations of candidate `number` of `register`. The
    /// candidate's names must be known ([`StoreError::BadValue`]
    /// otherwise: accommodations are personal data and live beside them).
    /// Audited with whether extra time, aids and a note are given.
    pub fn set_accommodation(
        &self,
        actor: &Actor,
        register: Option<i64>,
        number: &CandidateNumber,
        accommodation: &Accommodation,
    ) -> Result<RegisterEntry, StoreError> {
        self.write(|db| {
            let id =
                candidate_id(db, register, number)?.ok_or(StoreError::NotFound { entity: "candidate" })?;
            let before = entry_in(db, id)?;
            if before.master.is_none() {
                return Err(StoreError::BadValue("the candidate's names must be entered first".to_owned()));
            }
            db.run(
                "UPDATE candidate_identities SET extra_minutes = ?2, aids = ?3, accommodation_note = ?4,
                   updated_at = ?5 WHERE candidate_id = ?1",
                (
                    id,
                    accommodation.extra_minutes.map(i64::from),
                    &accommodation.aids,
                    &accommodation.note,
                    crate::time::now(),
                ),
            )?;
            let summary = |value: &Accommodation| {
                json!({
                    "extra_minutes": value.extra_minutes,
                    "aids_given": value.aids.is_some(),
                    "note_given": value.note.is_some(),
                })
            };
            record_in(
                db,
                actor,
                "candidate.accommodation",
                "candidate",
                number.as_str(),
                Some(&summary(&before.accommodation)),
                Some(&summary(accommodation)),
            )?;
            let saved = entry_in(db, id)?;
            Ok(saved)
        })
    }
}

/// A conflict of interest an examiner declared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictDeclaration {
    /// The examiner's username.
    pub examiner: String,
    /// The candidate number, as declared (the board's register).
    pub candidate_number: String,
    /// `trained`, `employs` or `other`.
    pub reason: String,
    /// The examiner's own words, if any.
    pub note: Option<String>,
    /// When (RFC 3339 UTC).
    pub declared_at: String,
}

fn declaration(row: &crate::db::Row<'_>) -> Result<ConflictDeclaration, StoreError> {
    Ok(ConflictDeclaration {
        examiner: row.get(0)?,
        candidate_number: row.get(1)?,
        reason: row.get(2)?,
        note: row.get(3)?,
        declared_at: row.get(4)?,
    })
}

impl Store {
    /// Records that `examiner` declares a conflict with candidate
    /// `number` (replacing an earlier declaration about the same number),
    /// audited under the examiner's name.
    pub fn declare_conflict(
        &self,
        actor: &Actor,
        examiner: &crate::User,
        number: &CandidateNumber,
        reason: &str,
        note: Option<&str>,
    ) -> Result<ConflictDeclaration, StoreError> {
        self.write(|db| {
            db.run(
                "INSERT INTO conflict_declarations (examiner_id, candidate_number, reason, note, declared_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (examiner_id, candidate_number) DO UPDATE SET reason = excluded.reason,
                   note = excluded.note, declared_at = excluded.declared_at",
                (examiner.id, number.as_str(), reason, note, crate::time::now()),
            )?;
            let saved = db.row(
                "SELECT u.username, d.candidate_number, d.reason, d.note, d.declared_at
                 FROM conflict_declarations d JOIN users u ON u.id = d.examiner_id
                 WHERE d.examiner_id = ?1 AND d.candidate_number = ?2",
                (examiner.id, number.as_str()),
                declaration,
            )?;
            let after = json!({ "candidate_number": number.as_str(), "reason": reason });
            record_in(db, actor, "conflict.declare", "user", &examiner.id.to_string(), None, Some(&after))?;
            Ok(saved)
        })
    }

    /// Withdraws `examiner`'s declaration about `number`
    /// ([`StoreError::NotFound`] when there is none), audited.
    pub fn withdraw_conflict(
        &self,
        actor: &Actor,
        examiner: &crate::User,
        number: &CandidateNumber,
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let removed = db.run(
                "DELETE FROM conflict_declarations WHERE examiner_id = ?1 AND candidate_number = ?2",
                (examiner.id, number.as_str()),
            )?;
            if removed == 0 {
                return Err(StoreError::NotFound { entity: "conflict declaration" });
            }
            let before = json!({ "candidate_number": number.as_str() });
            record_in(db, actor, "conflict.withdraw", "user", &examiner.id.to_string(), Some(&before), None)?;
            Ok(())
        })
    }

    /// The declarations of one examiner (`Some(user id)`) or of everyone,
    /// by examiner then number.
    pub fn conflict_declarations(
        &self,
        examiner: Option<i64>,
    ) -> Result<Vec<ConflictDeclaration>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                "SELECT u.username, d.candidate_number, d.reason, d.note, d.declared_at
                 FROM conflict_declarations d JOIN users u ON u.id = d.examiner_id
                 WHERE ?1 IS NULL OR d.examiner_id = ?1 ORDER BY u.username, d.candidate_number",
                [examiner],
                declaration,
            )?;

            Ok(rows)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_that_changed_are_named() {
        let before = MasterData {
            family_name: "Muster".into(),
            given_name: "Anna".into(),
            date_of_birth: Some("1990-12-31".into()),
            place_of_origin: None,
            address: vec![],
            exam_language: Some("de".into()),
            canton: None,
        };
        let mut after = before.clone();
        assert!(changed_fields(Some(&before), &after).is_empty());
        after.place_of_origin = Some("Bern".into());
        after.exam_language = Some("fr".into());
        after.canton = Some("BE".into());
        assert_eq!(changed_fields(Some(&before), &after), ["place_of_origin", "exam_language", "canton"]);
        assert_eq!(
            changed_fields(None, &before),
            ["family_name", "given_name", "date_of_birth", "exam_language"]
        );
    }
}
