//! What the server computes once and keeps: the pinned exam documents,
//! parsed and checked, by the SHA-256 of their texts (they never change
//! under a hash), and each session's data and results by the session's
//! revision (bumped by the database with every write to the session, see
//! `grille_store::Store::session_revision`).
//!
//! Why a revision and not a time to live: a board member who corrects a
//! result and reloads must see the correction, and an examiner who saves
//! must see the new live grade. A reader first reads the revision, then
//! either finds the snapshot of that revision or reads the session anew
//! (the data it reads is at least that recent). A snapshot can therefore
//! be newer than its key, never older than a write acknowledged before the
//! revision was read.
//!
//! A focused read (the rows about one candidate and one user, which an
//! examiner's form and saves need) is kept the same way, keyed by the
//! session's revision, the candidate and the user: the form read again and
//! again while nobody writes reads the database once.
//!
//! An examiner's joint Rasch estimate across sessions is kept the same
//! way, keyed by the examiner, the sessions pooled and each one's revision:
//! a write to any of them changes the key, so the next read estimates anew.
//!
//! Every cache is bounded; when full, the least recently used entry goes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use grille_report::examiner_history::JointSeverity;

use crate::exam::{PinnedExam, SessionData};

/// How many distinct pinned exams (scheme, blueprint, rubrics) are kept.
const EXAMS: usize = 64;
/// How many sessions' snapshots are kept. A snapshot of a 500-candidate
/// session with its serialised results is tens of megabytes: a board
/// works on a handful of sessions at a time.
const SESSIONS: usize = 32;
/// How many focused reads (one candidate and one user of a session, see
/// `exam::load_around`) are kept: a few kilobytes each, one per examiner
/// and candidate being scored.
const AROUND: usize = 256;
/// How many joint estimates are kept: small answers (one row per
/// examiner), each about a second to estimate at 3 × 500 candidates.
const JOINTS: usize = 64;

/// The caches of one application state.
#[derive(Debug, Default)]
pub(crate) struct Caches {
    exams: Mutex<Lru<String, Arc<PinnedExam>>>,
    sessions: Mutex<Lru<i64, Snapshot>>,
    around: Mutex<Lru<AroundKey, Snapshot>>,
    joints: Mutex<Lru<JointKey, Arc<JointSeverity>>>,
}

/// What a joint estimate is computed from: the examiner followed, whether
/// the board chose the sessions, and each pooled session (id, revision).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct JointKey {
    pub(crate) examiner: String,
    pub(crate) chosen: bool,
    pub(crate) sessions: Vec<(i64, i64)>,
}

/// What a focused read of a session was made for: the session at a
/// revision, one candidate and one user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct AroundKey {
    pub(crate) session: i64,
    pub(crate) revision: i64,
    pub(crate) candidate: String,
    pub(crate) user: String,
}

/// A session's data at a revision, with its pinned exam. The memoised
/// computations live in [`SessionData::memo`].
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) revision: i64,
    pub(crate) data: Arc<SessionData>,
    pub(crate) exam: Arc<PinnedExam>,
}

impl Caches {
    /// The parsed exam whose documents have these hashes, if kept.
    pub(crate) fn exam(&self, key: &str) -> Option<Arc<PinnedExam>> {
        lock(&self.exams).get(&key.to_owned())
    }

    /// Keeps a parsed exam.
    pub(crate) fn keep_exam(&self, key: String, exam: Arc<PinnedExam>) {
        lock(&self.exams).put(key, exam, EXAMS);
    }

    /// The snapshot of `session` at exactly `revision`, if kept.
    pub(crate) fn session(&self, session: i64, revision: i64) -> Option<Snapshot> {
        lock(&self.sessions).get(&session).filter(|snapshot| snapshot.revision == revision)
    }

    /// Keeps a snapshot unless a later revision of the session is kept
    /// already (two readers may race; the later revision wins).
    pub(crate) fn keep_session(&self, session: i64, snapshot: Snapshot) {
        let mut sessions = lock(&self.sessions);
        if sessions.peek(&session).is_some_and(|kept| kept.revision > snapshot.revision) {
            return;
        }
        sessions.put(session, snapshot, SESSIONS);
    }

    /// The focused read made for exactly `key` (the same revision, candidate
    /// and user), if kept.
    pub(crate) fn around(&self, key: &AroundKey) -> Option<Snapshot> {
        lock(&self.around).get(key)
    }

    /// Keeps a focused read.
    pub(crate) fn keep_around(&self, key: AroundKey, snapshot: Snapshot) {
        lock(&self.around).put(key, snapshot, AROUND);
    }

    /// The joint estimate computed from exactly these sessions' revisions, if kept.
    pub(crate) fn joint(&self, key: &JointKey) -> Option<Arc<JointSeverity>> {
        lock(&self.joints).get(key)
    }

    /// Keeps a joint estimate.
    pub(crate) fn keep_joint(&self, key: JointKey, joint: Arc<JointSeverity>) {
        lock(&self.joints).put(key, joint, JOINTS);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a cache lock leaves it consistent (every
    // operation is one insert or remove), so a poisoned lock is usable.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A small least-recently-used map: a use stamp per entry, the oldest
/// evicted when full. Linear eviction is fine at these sizes.
#[derive(Debug)]
struct Lru<K, V> {
    entries: HashMap<K, (u64, V)>,
    clock: u64,
}

impl<K, V> Default for Lru<K, V> {
    fn default() -> Self {
        Lru { entries: HashMap::new(), clock: 0 }
    }
}

impl<K: std::hash::Hash + Eq + Clone, V: Clone> Lru<K, V> {
    fn get(&mut self, key: &K) -> Option<V> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(used, value)| {
            *used = clock;
            value.clone()
        })
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.entries.get(key).map(|(_, value)| value)
    }

    fn put(&mut self, key: K, value: V, capacity: usize) {
        self.clock += 1;
        if !self.entries.contains_key(&key) && self.entries.len() >= capacity {
            let oldest = self.entries.iter().min_by_key(|(_, (used, _))| *used).map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.entries.remove(&oldest);
            }
        }
        self.entries.insert(key, (self.clock, value));
    }
}

/// Computations memoised on a snapshot: each runs at most once per
/// revision, whoever asks first.
#[derive(Debug)]
pub(crate) struct Memo<T> {
    cell: OnceLock<Arc<T>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo { cell: OnceLock::new() }
    }
}

impl<T> Clone for Memo<T> {
    /// A clone starts empty: the copy is data that is about to change.
    fn clone(&self) -> Self {
        Memo { cell: OnceLock::new() }
    }
}

impl<T> Memo<T> {
    /// The memoised value, if computed already.
    pub(crate) fn peek(&self) -> Option<Arc<T>> {
        self.cell.get().cloned()
    }

    /// Keeps `value` unless a value was kept meanwhile; returns the kept one.
    pub(crate) fn keep(&self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        self.cell.get_or_init(|| value).clone()
    }

    /// The memoised value, computing it if this is the first call. An
    /// error is not kept: the next call tries again.
    pub(crate) fn get_or_try<E>(&self, compute: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some(value) = self.cell.get() {
            return Ok(value.clone());
        }
        let value = Arc::new(compute()?);
        Ok(self.cell.get_or_init(|| value).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_evicts_the_least_recently_used() {
        let mut lru = Lru::default();
        lru.put(1, "a", 2);
        lru.put(2, "b", 2);
        assert_eq!(lru.get(&1), Some("a"));
        lru.put(3, "c", 2);
        assert_eq!(lru.get(&2), None, "2 was the least recently used");
        assert_eq!(lru.get(&1), Some("a"));
        assert_eq!(lru.get(&3), Some("c"));
    }

    #[test]
    fn memo_computes_once_and_forgets_errors() {
        let memo: Memo<u32> = Memo::default();
        assert_eq!(memo.get_or_try(|| Err::<u32, &str>("no")), Err("no"));
        assert_eq!(*memo.get_or_try(|| Ok::<u32, &str>(7)).unwrap(), 7);
        assert_eq!(*memo.get_or_try(|| Ok::<u32, &str>(8)).unwrap(), 7);
    }
}
