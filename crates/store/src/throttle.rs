//! The login throttle's failure counts (migration 0023), shared by every
//! server instance on the database. The policy (how many failures, how
//! long to wait) is the server's; the store reads and writes the counts of
//! the keys of one attempt in one write transaction, so that two instances
//! counting attempts at once each see the other's count.

use crate::db::Db;
use crate::{Store, StoreError};

/// The failures counted on one throttled key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleEntry {
    /// Failed attempts counted (an attempt counts until it succeeds).
    pub failures: u32,
    /// When the last one was counted, in milliseconds since 1970 (UTC).
    pub last_ms: i64,
    /// Logins on the key wait until then (milliseconds since 1970).
    pub blocked_until_ms: i64,
}

/// How long the throttle keeps its rows, and how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleBounds {
    /// Rows whose last failure is older than this (milliseconds since
    /// 1970) are forgotten.
    pub forget_before_ms: i64,
    /// At most this many rows: a new key beyond it makes room by dropping
    /// the oldest row, keys starting with `account:` last.
    pub capacity: usize,
}

impl Store {
    /// Reads the entries of `keys` (`None` where a key has none, or one
    /// older than `bounds.forget_before_ms`), lets `f` change them, and
    /// writes them back (`None` deletes the row), in one write transaction.
    /// Returns what `f` returns.
    pub fn login_throttle<T: Send>(
        &self,
        keys: &[&str],
        bounds: ThrottleBounds,
        f: impl FnOnce(&mut [Option<ThrottleEntry>]) -> T + Send,
    ) -> Result<T, StoreError> {
        self.write(|db| {
            db.run("DELETE FROM login_throttle WHERE last_ms < ?1", (bounds.forget_before_ms,))?;
            let mut entries = Vec::with_capacity(keys.len());
            for key in keys {
                entries.push(entry(db, key)?);
            }
            let before = entries.clone();
            let answer = f(&mut entries);
            for ((key, old), new) in keys.iter().zip(before).zip(entries) {
                match new {
                    None if old.is_some() => {
                        db.run("DELETE FROM login_throttle WHERE key = ?1", (key,))?;
                    }
                    None => {}
                    Some(new) if Some(new) == old => {}
                    Some(new) => {
                        if old.is_none() {
                            make_room(db, bounds.capacity)?;
                        }
                        db.run(
                            "INSERT INTO login_throttle (key, failures, last_ms, blocked_until_ms)
                             VALUES (?1, ?2, ?3, ?4)
                             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
                                 last_ms = excluded.last_ms, blocked_until_ms = excluded.blocked_until_ms",
                            (key, new.failures, new.last_ms, new.blocked_until_ms),
                        )?;
                    }
                }
            }
            Ok(answer)
        })
    }

    /// How many keys the throttle holds.
    pub fn login_throttle_len(&self) -> Result<usize, StoreError> {
        self.read_db(|db| {
            let count: i64 = db.row("SELECT count(*) FROM login_throttle", (), |row| row.get(0))?;
            Ok(usize::try_from(count).unwrap_or(0))
        })
    }
}

fn entry(db: &Db<'_>, key: &str) -> Result<Option<ThrottleEntry>, StoreError> {
    db.row_opt(
        "SELECT failures, last_ms, blocked_until_ms FROM login_throttle WHERE key = ?1",
        (key,),
        |row| {
            Ok(ThrottleEntry { failures: row.get(0)?, last_ms: row.get(1)?, blocked_until_ms: row.get(2)? })
        },
    )
}

/// Drops the oldest rows (pairs before accounts, so that flooding the
/// table from many addresses does not make an account forget its count)
/// until one more fits.
fn make_room(db: &Db<'_>, capacity: usize) -> Result<(), StoreError> {
    let count: i64 = db.row("SELECT count(*) FROM login_throttle", (), |row| row.get(0))?;
    let excess = usize::try_from(count).unwrap_or(0).saturating_add(1).saturating_sub(capacity.max(1));
    if excess > 0 {
        db.run(
            "DELETE FROM login_throttle WHERE key IN (
                 SELECT key FROM login_throttle
                 ORDER BY CASE WHEN key LIKE 'account:%' THEN 1 ELSE 0 END, last_ms, key LIMIT ?1)",
            (excess,),
        )?;
    }
    Ok(())
}
