//! Users, roles and login sessions.

use std::fmt;
use std::str::FromStr;

use serde_json::json;

use crate::audit::{record_in, record_own};
use crate::db::{Db, Row, constraint, is_check_violation};
use crate::{Actor, Store, StoreError};

/// What a user may do. The server checks it on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The exam board (commission d'examen): manages users, sessions,
    /// candidates, assignments and results.
    Admin,
    /// An examiner (expert·e aux examens): scores the candidates assigned.
    Examiner,
    /// A trainer at a school: mock exams and class reports.
    Trainer,
    /// A candidate: self-assessment and their own file.
    Candidate,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Examiner, Role::Trainer, Role::Candidate];

    /// The name stored and sent (`admin`, `examiner`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Examiner => "examiner",
            Role::Trainer => "trainer",
            Role::Candidate => "candidate",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = StoreError;

    fn from_str(text: &str) -> Result<Role, StoreError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| StoreError::BadValue(format!("role {text:?}")))
    }
}

/// A user as the rest of the program sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Unique login name.
    pub username: String,
    /// What the user may do.
    pub role: Role,
    /// When the account was created.
    pub created_at: String,
    /// The school a trainer (or a cohort's candidate) belongs to.
    pub school_id: Option<i64>,
}

/// A user with the stored password hash, for login only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// The argon2id hash in PHC string form.
    pub password_hash: String,
    /// The board disabled the account: it does not log in.
    pub disabled: bool,
}

/// A user to create. The caller hashes the password (argon2id).
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Unique login name.
    pub username: String,
    /// The argon2id hash in PHC string form.
    pub password_hash: String,
    /// The role.
    pub role: Role,
}

/// A valid login session found by its token hash.
#[derive(Debug, Clone)]
pub struct AuthSession {
    /// Its public id (not the token hash).
    pub id: i64,
    /// Whose session it is.
    pub user: User,
    /// The CSRF token bound to this session.
    pub csrf_token: String,
    /// When it expires (RFC 3339 UTC).
    pub expires_at: String,
    /// When it was last used, to within the server's refresh interval
    /// (RFC 3339 UTC).
    pub last_seen_at: String,
    /// Whether the user has a confirmed second factor (TOTP).
    pub second_factor: bool,
}

/// One login session of a user, as listed to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSession {
    /// Its public id.
    pub id: i64,
    /// The hash of its token, to tell the caller's own session (never
    /// shown).
    pub token_hash: String,
    /// When it was opened (RFC 3339 UTC).
    pub created_at: String,
    /// When it was last used (RFC 3339 UTC).
    pub last_seen_at: String,
    /// When it expires (RFC 3339 UTC).
    pub expires_at: String,
    /// The User-Agent of the browser that opened it, if it sent one.
    pub user_agent: Option<String>,
}

/// An account the board creates from a file: the user, their school and
/// the candidate number of their school's register (or the board's) that
/// a candidate's account is linked to.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// The user.
    pub user: NewUser,
    /// The school of a trainer or of a cohort's candidate.
    pub school_id: Option<i64>,
    /// For a candidate: the number their account sees the results of.
    pub candidate_number: Option<crate::CandidateNumber>,
}

/// How long a stored User-Agent may be: enough to tell browsers and
/// systems apart, bounded so a client cannot fill the table.
const USER_AGENT_MAX: usize = 200;

const USER_COLUMNS: &str = "id, username, role, created_at, school_id";

type UserRow = (i64, String, String, String, Option<i64>);

/// [`StoreError::NotFound`] (`user`) unless the account `user_id` exists:
/// the check of every write that an account owns (its plan, its
/// self-assessment).
pub(crate) fn require_user(db: &Db<'_>, user_id: i64) -> Result<(), StoreError> {
    let found: Option<i64> = db.row_opt("SELECT id FROM users WHERE id = ?1", [user_id], |row| row.get(0))?;
    found.map(|_| ()).ok_or(StoreError::NotFound { entity: "user" })
}

fn user_from_row(row: &Row<'_>) -> Result<UserRow, StoreError> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
}

fn to_user((id, username, role, created_at, school_id): UserRow) -> Result<User, StoreError> {
    Ok(User { id, username, role: role.parse()?, created_at, school_id })
}

impl Store {
    /// How many users exist (zero on a fresh database).
    pub fn user_count(&self) -> Result<i64, StoreError> {
        self.read_db(|db| db.row("SELECT COUNT(*) FROM users", (), |row| row.get(0)))
    }

    /// Creates a user. [`StoreError::AlreadyExists`] if the username is taken.
    pub fn create_user(&self, actor: &Actor, new: &NewUser) -> Result<User, StoreError> {
        self.create_user_in_school(actor, new, None)
    }

    /// Creates a user belonging to a school (a trainer, a cohort's
    /// candidate), or to none. [`StoreError::NotFound`] (`school`) if the
    /// school does not exist.
    pub fn create_user_in_school(
        &self,
        actor: &Actor,
        new: &NewUser,
        school_id: Option<i64>,
    ) -> Result<User, StoreError> {
        self.write(|db| {
            if let Some(school) = school_id {
                crate::schools::school_in(db, school)?.ok_or(StoreError::NotFound { entity: "school" })?;
            }
            let now = crate::time::now();
            let id: i64 = db
                .row(
                    "INSERT INTO users (username, password_hash, role, created_at, school_id)
                     VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                    (&new.username, &new.password_hash, new.role.as_str(), &now, school_id),
                    |row| row.get(0),
                )
                .map_err(|error| constraint(error, "user"))?;
            let after =
                json!({ "username": new.username, "role": new.role.as_str(), "school_id": school_id });
            record_in(db, actor, "user.create", "user", &id.to_string(), None, Some(&after))?;
            Ok(User { id, username: new.username.clone(), role: new.role, created_at: now, school_id })
        })
    }

    /// The users of a school, by username.
    pub fn school_users(&self, school_id: i64) -> Result<Vec<User>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows(
                &format!("SELECT {USER_COLUMNS} FROM users WHERE school_id = ?1 ORDER BY username"),
                [school_id],
                user_from_row,
            )?;
            rows.into_iter().map(to_user).collect()
        })
    }

    /// Every user, by username.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        self.read_db(|db| {
            let rows =
                db.rows(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"), (), user_from_row)?;
            rows.into_iter().map(to_user).collect()
        })
    }

    /// A user by username.
    pub fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        Ok(self.credentials(username)?.map(|credentials| credentials.user))
    }

    /// A user with the password hash, for login.
    pub fn credentials(&self, username: &str) -> Result<Option<UserCredentials>, StoreError> {
        self.read_db(|db| {
            let row = db
                .row_opt(
                    &format!(
                        "SELECT {USER_COLUMNS}, password_hash, disabled_at IS NOT NULL FROM users WHERE username = ?1"
                    ),
                    [username],
                    |row| Ok((user_from_row(row)?, row.get::<String>(5)?, row.get::<bool>(6)?)),
                )
                ?;
            row.map(|(user, password_hash, disabled)| {
                Ok(UserCredentials { user: to_user(user)?, password_hash, disabled })
            })
            .transpose()
        })
    }

    /// Records a login: a session found later by `token_hash` until
    /// `expires_at`, last seen now; returns its public id.
    pub fn create_auth_session(
        &self,
        user: &User,
        token_hash: &str,
        csrf_token: &str,
        expires_at: &str,
    ) -> Result<i64, StoreError> {
        self.open_auth_session(user, token_hash, csrf_token, expires_at, None)
    }

    /// [`Store::create_auth_session`], noting the browser's User-Agent
    /// (cut to 200 characters) so that the user recognises the session.
    pub fn open_auth_session(
        &self,
        user: &User,
        token_hash: &str,
        csrf_token: &str,
        expires_at: &str,
        user_agent: Option<&str>,
    ) -> Result<i64, StoreError> {
        let user_agent: Option<String> =
            user_agent.map(|agent| agent.chars().filter(|c| !c.is_control()).take(USER_AGENT_MAX).collect());
        self.write(|db| {
            let now = crate::time::now();
            // Expired sessions of anyone are dropped here, so the table
            // stays small without a background task.
            db.run("DELETE FROM auth_sessions WHERE expires_at <= ?1", [&now])?;
            let id = db.row(
                "INSERT INTO auth_sessions
                   (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, user_agent)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?6) RETURNING id",
                (token_hash, user.id, csrf_token, &now, expires_at, &user_agent),
                |row| row.get(0),
            )?;
            record_own(db, user, "user.login", None)?;
            Ok(id)
        })
    }

    /// The unexpired session with this token hash (idle or not: the
    /// server judges idleness by `last_seen_at`).
    pub fn auth_session(&self, token_hash: &str) -> Result<Option<AuthSession>, StoreError> {
        self.read_db(|db| {
            let row = db.row_opt(
                "SELECT u.id, u.username, u.role, u.created_at, u.school_id,
                            s.csrf_token, s.expires_at, s.id, s.last_seen_at,
                            EXISTS (SELECT 1 FROM user_totp t
                                    WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                     FROM auth_sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL",
                (token_hash, crate::time::now()),
                |row| {
                    Ok((
                        user_from_row(row)?,
                        row.get::<String>(5)?,
                        row.get::<String>(6)?,
                        row.get::<i64>(7)?,
                        row.get::<String>(8)?,
                        row.get::<bool>(9)?,
                    ))
                },
            )?;
            row.map(|(user, csrf_token, expires_at, id, last_seen_at, second_factor)| {
                Ok(AuthSession {
                    id,
                    user: to_user(user)?,
                    csrf_token,
                    expires_at,
                    last_seen_at,
                    second_factor,
                })
            })
            .transpose()
        })
    }

    /// Notes that the session with this token hash was used at `at`
    /// (RFC 3339 UTC); never moves `last_seen_at` back.
    pub fn touch_auth_session(&self, token_hash: &str, at: &str) -> Result<(), StoreError> {
        self.write_once(|db| {
            db.run(
                "UPDATE auth_sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND last_seen_at < ?2",
                (token_hash, at),
            )?;
            Ok(())
        })
    }

    /// The sessions of user `user_id` neither expired nor idle since before
    /// `idle_since` (RFC 3339 UTC), most recently used first.
    pub fn login_sessions(&self, user_id: i64, idle_since: &str) -> Result<Vec<LoginSession>, StoreError> {
        self.read_db(|db| {
            db.rows(
                "SELECT id, token_hash, created_at, last_seen_at, expires_at, user_agent FROM auth_sessions
                 WHERE user_id = ?1 AND expires_at > ?2 AND last_seen_at >= ?3
                 ORDER BY last_seen_at DESC, id DESC",
                (user_id, crate::time::now(), idle_since),
                |row| {
                    Ok(LoginSession {
                        id: row.get(0)?,
                        token_hash: row.get(1)?,
                        created_at: row.get(2)?,
                        last_seen_at: row.get(3)?,
                        expires_at: row.get(4)?,
                        user_agent: row.get(5)?,
                    })
                },
            )
        })
    }

    /// Ends session `session_id` of `owner` (by its public id), as `actor`
    /// (the owner, or the board). [`StoreError::NotFound`] (`login session`)
    /// if `owner` has no such session.
    pub fn end_login_session(&self, actor: &Actor, owner: &User, session_id: i64) -> Result<(), StoreError> {
        self.write(|db| {
            let ended =
                db.run("DELETE FROM auth_sessions WHERE id = ?1 AND user_id = ?2", (session_id, owner.id))?;
            if ended == 0 {
                return Err(StoreError::NotFound { entity: "login session" });
            }
            let after = json!({ "session": session_id });
            record_in(db, actor, "user.session.end", "user", &owner.id.to_string(), None, Some(&after))?;
            Ok(())
        })
    }

    /// Ends every session of the user `username`, as `actor` (the board);
    /// returns how many there were. [`StoreError::NotFound`] (`user`) for
    /// an unknown user.
    pub fn end_user_sessions(&self, actor: &Actor, username: &str) -> Result<usize, StoreError> {
        self.end_all_sessions(actor, username, None)
    }

    /// The board sets a new password for `username` (who forgot theirs):
    /// the hash is replaced and every session of that user ends, in one
    /// transaction with its audit entry (by the board member, never the
    /// password). [`StoreError::NotFound`] for an unknown username.
    pub fn reset_password(
        &self,
        actor: &Actor,
        username: &str,
        password_hash: &str,
    ) -> Result<usize, StoreError> {
        self.end_all_sessions(actor, username, Some(password_hash))
    }

    /// Sets (or with `None` removes) the e-mail address of `username`, in
    /// one transaction with its audit entry (`user.email`), which says
    /// whether an address is set, never which. The server checks the
    /// address's form; the database refuses one without `@`
    /// ([`StoreError::BadValue`]). [`StoreError::NotFound`] for an unknown
    /// username. Returns whether anything changed.
    pub fn set_user_email(
        &self,
        actor: &Actor,
        username: &str,
        email: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.write(|db| {
            let (user_id, before): (i64, Option<String>) = db
                .row_opt("SELECT id, email FROM users WHERE username = ?1", [username], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .ok_or(StoreError::NotFound { entity: "user" })?;
            if before.as_deref() == email {
                return Ok(false);
            }
            db.run("UPDATE users SET email = ?1 WHERE id = ?2", (email, user_id)).map_err(|error| {
                if is_check_violation(&error) { StoreError::BadValue("e-mail address".into()) } else { error }
            })?;
            record_in(
                db,
                actor,
                "user.email",
                "user",
                &user_id.to_string(),
                Some(&json!({ "email_set": before.is_some() })),
                Some(&json!({ "email_set": email.is_some() })),
            )?;
            Ok(true)
        })
    }

    /// Every account's e-mail address, by username (accounts without one
    /// left out).
    pub fn user_emails(&self) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        self.read_db(|db| {
            let rows = db.rows("SELECT username, email FROM users WHERE email IS NOT NULL", (), |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
            Ok(rows.into_iter().collect())
        })
    }

    /// The e-mail address of `username`, if one is set.
    pub fn user_email(&self, username: &str) -> Result<Option<String>, StoreError> {
        self.read_db(|db| {
            let email: Option<Option<String>> =
                db.row_opt("SELECT email FROM users WHERE username = ?1", [username], |row| row.get(0))?;
            Ok(email.flatten())
        })
    }

    /// Ends every session of `username`, after replacing their password
    /// hash when one is given; one transaction with its audit entry
    /// (`user.password.reset` or `user.sessions.end`).
    fn end_all_sessions(
        &self,
        actor: &Actor,
        username: &str,
        new_password_hash: Option<&str>,
    ) -> Result<usize, StoreError> {
        self.write(|db| {
            let user_id: i64 = db
                .row_opt("SELECT id FROM users WHERE username = ?1", [username], |row| row.get(0))?
                .ok_or(StoreError::NotFound { entity: "user" })?;
            if let Some(hash) = new_password_hash {
                db.run("UPDATE users SET password_hash = ?1 WHERE id = ?2", (hash, user_id))?;
            }
            let ended = db.run("DELETE FROM auth_sessions WHERE user_id = ?1", [user_id])?;
            let action =
                if new_password_hash.is_some() { "user.password.reset" } else { "user.sessions.end" };
            let after = json!({ "sessions_ended": ended });
            record_in(db, actor, action, "user", &user_id.to_string(), None, Some(&after))?;
            Ok(ended)
        })
    }

    /// Disables (`active` false) or enables the account `username`, as
    /// `actor` (the board): a disabled account keeps its history but does
    /// not log in, and its sessions end in the same db. Returns
    /// how many sessions ended. [`StoreError::NotFound`] (`user`) for an
    /// unknown user; nothing changes (and nothing is audited) when the
    /// account is already so.
    pub fn set_user_active(&self, actor: &Actor, username: &str, active: bool) -> Result<usize, StoreError> {
        self.write(|db| {
            let (user_id, disabled): (i64, bool) = db
                .row_opt(
                    "SELECT id, disabled_at IS NOT NULL FROM users WHERE username = ?1",
                    [username],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )?
                .ok_or(StoreError::NotFound { entity: "user" })?;
            if disabled != active {
                return Ok(0);
            }
            let now = crate::time::now();
            let at = if active { None } else { Some(now.as_str()) };
            db.run("UPDATE users SET disabled_at = ?1 WHERE id = ?2", (at, user_id))?;
            let ended =
                if active { 0 } else { db.run("DELETE FROM auth_sessions WHERE user_id = ?1", [user_id])? };
            let (action, after) = if active {
                ("user.enable", json!({ "active": true }))
            } else {
                ("user.disable", json!({ "active": false, "sessions_ended": ended }))
            };
            record_in(db, actor, action, "user", &user_id.to_string(), None, Some(&after))?;
            Ok(ended)
        })
    }

    /// Gives the account `username` the role `role`, as `actor` (the
    /// board), audited with the role before and after; the user's sessions
    /// go on (each request reads the role anew). [`StoreError::NotFound`]
    /// (`user`) for an unknown user.
    pub fn change_role(&self, actor: &Actor, username: &str, role: Role) -> Result<(), StoreError> {
        self.write(|db| {
            let (user_id, before): (i64, String) = db
                .row_opt("SELECT id, role FROM users WHERE username = ?1", [username], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .ok_or(StoreError::NotFound { entity: "user" })?;
            if before == role.as_str() {
                return Ok(());
            }
            db.run("UPDATE users SET role = ?1 WHERE id = ?2", (role.as_str(), user_id))?;
            record_in(
                db,
                actor,
                "user.role",
                "user",
                &user_id.to_string(),
                Some(&json!({ "role": before })),
                Some(&json!({ "role": role.as_str() })),
            )?;
            Ok(())
        })
    }

    /// Creates every account of `accounts` in one transaction, each
    /// audited, a candidate's linked to its number in its own register
    /// (its school's, or the board's): all or none. A username taken is
    /// [`StoreError::AlreadyExists`] (`user`), an unknown school or number
    /// [`StoreError::NotFound`], and then nothing is created.
    pub fn create_accounts(&self, actor: &Actor, accounts: &[NewAccount]) -> Result<Vec<User>, StoreError> {
        self.write(|db| {
            let now = crate::time::now();
            let mut created = Vec::with_capacity(accounts.len());
            for account in accounts {
                let new = &account.user;
                if let Some(school) = account.school_id {
                    crate::schools::school_in(db, school)?
                        .ok_or(StoreError::NotFound { entity: "school" })?;
                }
                let candidate: Option<i64> = match &account.candidate_number {
                    None => None,
                    Some(number) => Some(
                        db
                            .row_opt(
                                "SELECT id FROM candidates WHERE candidate_number = ?1 AND school_id IS NOT DISTINCT FROM ?2",
                                (number.as_str(), account.school_id),
                                |row| row.get(0),
                            )
                            ?
                            .ok_or(StoreError::NotFound { entity: "candidate" })?,
                    ),
                };
                let id: i64 = db
                    .row(
                        "INSERT INTO users (username, password_hash, role, created_at, school_id, candidate_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                        (&new.username, &new.password_hash, new.role.as_str(), &now, account.school_id, candidate),
                        |row| row.get(0),
                    )
                    .map_err(|error| constraint(error, "user"))?;
                let mut after = json!({
                    "username": new.username, "role": new.role.as_str(), "school_id": account.school_id,
                    "import": true,
                });
                if let Some(number) = &account.candidate_number {
                    after["candidate_number"] = json!(number.as_str());
                }
                record_in(db, actor, "user.create", "user", &id.to_string(), None, Some(&after))?;
                created.push(User {
                    id,
                    username: new.username.clone(),
                    role: new.role,
                    created_at: now.clone(),
                    school_id: account.school_id,
                });
            }
            Ok(created)
        })
    }

    /// Ends a login session (logout).
    pub fn delete_auth_session(&self, user: &User, token_hash: &str) -> Result<(), StoreError> {
        self.write(|db| {
            db.run("DELETE FROM auth_sessions WHERE token_hash = ?1", [token_hash])?;
            record_own(db, user, "user.logout", None)?;
            Ok(())
        })
    }

    /// Replaces `user`'s password hash and ends every other login session
    /// of theirs (all but the one whose token hash is `keep`); returns how
    /// many were ended. The audit entry says so, never the hash.
    pub fn change_password(&self, user: &User, password_hash: &str, keep: &str) -> Result<usize, StoreError> {
        self.write(|db| {
            db.run("UPDATE users SET password_hash = ?1 WHERE id = ?2", (password_hash, user.id))?;
            let ended =
                db.run("DELETE FROM auth_sessions WHERE user_id = ?1 AND token_hash <> ?2", (user.id, keep))?;
            let after = json!({ "other_sessions_ended": ended });
            record_own(db, user, "user.password", Some(&after))?;
            Ok(ended)
        })
    }
}
