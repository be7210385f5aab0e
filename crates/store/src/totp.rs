//! The second factor of a login: a TOTP secret (RFC 6238) per user and
//! single-use recovery codes. Neither the secret nor any code ever goes
//! into the audit log.

use serde_json::json;

use crate::audit::{record_in, record_own};
use crate::{Actor, Store, StoreError, User};

/// A user's TOTP enrolment.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpState {
    /// The shared secret in base32: as sensitive as a password hash, kept
    /// in clear because the server computes the codes from it.
    pub secret: String,
    /// Whether the user confirmed it with a code (only then is it asked at
    /// login).
    pub confirmed: bool,
    /// The last time step accepted: a code of this step or an earlier one
    /// is refused.
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for TotpState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpState")
            .field("secret", &"…")
            .field("confirmed", &self.confirmed)
            .field("last_step", &self.last_step)
            .finish()
    }
}

impl Store {
    /// The TOTP enrolment of user `user_id`, confirmed or not.
    pub fn totp(&self, user_id: i64) -> Result<Option<TotpState>, StoreError> {
        self.read_db(|db| {
            db.row_opt(
                "SELECT secret, confirmed_at IS NOT NULL, last_step FROM user_totp WHERE user_id = ?1",
                [user_id],
                |row| Ok(TotpState { secret: row.get(0)?, confirmed: row.get(1)?, last_step: row.get(2)? }),
            )
        })
    }

    /// Starts (or restarts) `user`'s enrolment with a new secret and new
    /// recovery codes (their SHA-256 hashes), replacing an unconfirmed one.
    /// [`StoreError::AlreadyExists`] (`second factor`) if a confirmed one
    /// exists: it must be turned off first.
    pub fn start_totp(
        &self,
        user: &User,
        secret: &str,
        recovery_hashes: &[String],
    ) -> Result<(), StoreError> {
        self.write(|db| {
            let confirmed: Option<bool> = db.row_opt(
                "SELECT confirmed_at IS NOT NULL FROM user_totp WHERE user_id = ?1",
                [user.id],
                |row| row.get(0),
            )?;
            if confirmed == Some(true) {
                return Err(StoreError::AlreadyExists { entity: "second factor" });
            }
            db.run("DELETE FROM user_totp WHERE user_id = ?1", [user.id])?;
            db.run("DELETE FROM user_recovery_codes WHERE user_id = ?1", [user.id])?;
            db.run(
                "INSERT INTO user_totp (user_id, secret, created_at) VALUES (?1, ?2, ?3)",
                (user.id, secret, crate::time::now()),
            )?;
            for hash in recovery_hashes {
                db.run(
                    "INSERT INTO user_recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
                    (user.id, hash),
                )?;
            }
            let after = json!({ "recovery_codes": recovery_hashes.len() });
            record_own(db, user, "user.totp.start", Some(&after))?;
            Ok(())
        })
    }

    /// Confirms `user`'s pending enrolment with the code of time step
    /// `step` (which is then used up). [`StoreError::NotFound`]
    /// (`second factor`) without a pending enrolment.
    pub fn confirm_totp(&self, user: &User, step: i64) -> Result<(), StoreError> {
        self.write(|db| {
            let changed = db.run(
                "UPDATE user_totp SET confirmed_at = ?2, last_step = ?3
                 WHERE user_id = ?1 AND confirmed_at IS NULL",
                (user.id, crate::time::now(), step),
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound { entity: "second factor" });
            }
            record_own(db, user, "user.totp.confirm", None)?;
            Ok(())
        })
    }

    /// Uses up the TOTP code of time step `step` for user `user_id`:
    /// `false` when that step (or a later one) was accepted already
    /// (replay) or the enrolment is not confirmed.
    pub fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        self.write_once(|db| {
            let changed = db.run(
                "UPDATE user_totp SET last_step = ?2
                 WHERE user_id = ?1 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < ?2)",
                (user_id, step),
            )?;
            Ok(changed == 1)
        })
    }

    /// Uses up the recovery code whose SHA-256 is `code_hash`: `false` if
    /// `user` has no such unused code. The audit entry says how many are
    /// left, never the code.
    pub fn use_recovery_code(&self, user: &User, code_hash: &str) -> Result<bool, StoreError> {
        self.write(|db| {
            let changed = db.run(
                "UPDATE user_recovery_codes SET used_at = ?3
                 WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
                (user.id, code_hash, crate::time::now()),
            )?;
            if changed == 0 {
                return Ok(false);
            }
            let left: i64 = db.row(
                "SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = ?1 AND used_at IS NULL",
                [user.id],
                |row| row.get(0),
            )?;
            let after = json!({ "recovery_codes_left": left });
            record_own(db, user, "user.totp.recovery_code", Some(&after))?;
            Ok(true)
        })
    }

    /// Turns `user`'s second factor off: the secret and recovery codes are
    /// deleted. [`StoreError::NotFound`] (`second factor`) if there was none.
    pub fn disable_totp(&self, user: &User) -> Result<(), StoreError> {
        self.write(|db| {
            let changed = db.run("DELETE FROM user_totp WHERE user_id = ?1", [user.id])?;
            db.run("DELETE FROM user_recovery_codes WHERE user_id = ?1", [user.id])?;
            if changed == 0 {
                return Err(StoreError::NotFound { entity: "second factor" });
            }
            record_own(db, user, "user.totp.disable", None)?;
            Ok(())
        })
    }

    /// The board turns off the second factor of `username`, who lost it:
    /// secret and recovery codes deleted and every session of that user
    /// ended, in one transaction audited as the board member's act.
    /// [`StoreError::NotFound`] for an unknown user (`user`) or one
    /// without a second factor (`second factor`).
    pub fn reset_totp(&self, actor: &Actor, username: &str) -> Result<usize, StoreError> {
        self.write(|db| {
            let user_id: i64 = db
                .row_opt("SELECT id FROM users WHERE username = ?1", [username], |row| row.get(0))?
                .ok_or(StoreError::NotFound { entity: "user" })?;
            let removed = db.run("DELETE FROM user_totp WHERE user_id = ?1", [user_id])?;
            db.run("DELETE FROM user_recovery_codes WHERE user_id = ?1", [user_id])?;
            if removed == 0 {
                return Err(StoreError::NotFound { entity: "second factor" });
            }
            let ended = db.run("DELETE FROM auth_sessions WHERE user_id = ?1", [user_id])?;
            let after = json!({ "sessions_ended": ended });
            record_in(db, actor, "user.totp.reset", "user", &user_id.to_string(), None, Some(&after))?;
            Ok(ended)
        })
    }

    /// Per user id: whether a confirmed second factor is on, and when they
    /// last logged in (from the audit log), for the board's list of
    /// accounts.
    pub fn account_overview(&self) -> Result<Vec<AccountOverview>, StoreError> {
        self.read_db(|db| {
            db.rows(
                "SELECT u.id,
                        EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL),
                        (SELECT MAX(a.at) FROM audit_log a
                          WHERE a.entity = 'user' AND a.entity_id = CAST(u.id AS TEXT) AND a.action = 'user.login'),
                        (SELECT c.candidate_number FROM candidates c WHERE c.id = u.candidate_id),
                        u.disabled_at IS NOT NULL,
                        u.email
                   FROM users u ORDER BY u.username",
                (),
                |row| {
                    Ok(AccountOverview {
                        user_id: row.get(0)?,
                        second_factor: row.get(1)?,
                        last_login_at: row.get(2)?,
                        candidate_number: row.get(3)?,
                        disabled: row.get(4)?,
                        email: row.get(5)?,
                    })
                },
            )
        })
    }
}

/// What the board's list of accounts shows beside a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountOverview {
    /// The user's id.
    pub user_id: i64,
    /// A confirmed second factor is asked at login.
    pub second_factor: bool,
    /// The last login (RFC 3339 UTC), if any.
    pub last_login_at: Option<String>,
    /// The candidate number a candidate's account is linked to.
    pub candidate_number: Option<String>,
    /// The board disabled the account.
    pub disabled: bool,
    /// The account's e-mail address, if the board or the user gave one.
    pub email: Option<String>,
}
