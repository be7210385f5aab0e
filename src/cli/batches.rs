//! Scoring a session on every core: this thread reads the candidates
//! (`read_typed`, one pass over the text) and hands them in batches to
//! worker threads, which check and score them and write their part of the
//! output; the parts come back here and are handed on in the session's
//! order, whichever thread finished first.
//!
//! Reading is about a third of the work and scoring the rest, so one
//! reader keeps the workers busy on a machine of a few cores. The
//! candidates' memory goes round: a batch comes back with its output and
//! is overwritten by the next candidates read, so a session of any size
//! costs a few batches of candidates, not one allocation per string.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::mpsc;

use grille_scoring::Candidate;
use grille_scoring::stream::{Stopped, blank_candidate, read_typed};

/// Candidates per batch when their output is small (a CSV line each):
/// large enough that handing a batch over costs little beside scoring it,
/// small enough that a few hundred candidates still keep every thread
/// busy.
pub(super) const SMALL_OUTPUT: usize = 32;

/// Candidates per batch when each writes tens of kilobytes (JSON with
/// the explanation of every grade): fewer, so that the batches in flight
/// hold little memory.
pub(super) const LARGE_OUTPUT: usize = 8;

/// Batches read ahead of the one handed on, per worker: enough that no
/// worker waits for the reader, few enough that memory stays bounded.
const AHEAD_PER_WORKER: usize = 2;

/// Workers at most: reading a candidate costs about a third of checking,
/// scoring and writing it, so one reader keeps two or three workers busy;
/// more would only hold more batches in memory.
const MAX_WORKERS: usize = 4;

/// The number of worker threads: one per core the process may use, up to
/// [`MAX_WORKERS`].
pub(super) fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(MAX_WORKERS)
}

/// Candidates read, in the session's order: `candidates[..len]`, the
/// first of them at index `first` of the session.
struct Batch {
    number: usize,
    first: usize,
    candidates: Vec<Candidate>,
    len: usize,
}

/// A batch done: its output (`None` when `work` refused it) and its
/// candidates' memory.
struct Done<O> {
    number: usize,
    candidates: Vec<Candidate>,
    output: Option<O>,
}

/// Reads the candidates of `text` on this thread; `work` runs on
/// `workers` threads, `batch` candidates at a time, each with its own state made by `state`, and gets
/// the candidates in batches (the index of the first, and the batch);
/// `collect` gets each batch's output on this thread, in the session's
/// order. Returns the number of candidates, or why the reading stopped:
/// `Stopped::Refused` when `work` returned `None` for a batch (nothing
/// after that batch is collected) or `collect` returned `false`.
pub(super) fn in_batches<S, O: Send>(
    text: &str,
    workers: usize,
    batch: usize,
    state: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, usize, &[Candidate]) -> Option<O> + Sync,
    mut collect: impl FnMut(O) -> bool,
) -> Result<usize, Stopped> {
    let workers = workers.max(1);
    let (to_workers, jobs) = mpsc::channel::<Batch>();
    let jobs = Mutex::new(jobs);
    let (to_reader, done) = mpsc::channel::<Done<O>>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let to_reader = to_reader.clone();
            let (jobs, state, work) = (&jobs, &state, &work);
            scope.spawn(move || {
                let mut state = state();
                loop {
                    // The lock is held while waiting, so one idle worker
                    // waits for the next batch and the others for it.
                    let job = match jobs.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => return,
                    };
                    let Ok(batch) = job else { return };
                    // A panic while scoring (a bug) refuses the batch, so
                    // that the reader is not left waiting for it; the
                    // explaining path then reads the file again.
                    let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        work(&mut state, batch.first, &batch.candidates[..batch.len])
                    }))
                    .ok()
                    .flatten();
                    let done = Done { number: batch.number, candidates: batch.candidates, output };
                    if to_reader.send(done).is_err() {
                        return;
                    }
                }
            });
        }
        drop(to_reader);
        let mut reader = Reader {
            to_workers: Some(to_workers),
            batch: batch.max(1),
            done,
            ahead: workers * AHEAD_PER_WORKER,
            filling: Batch { number: 0, first: 0, candidates: Vec::new(), len: 0 },
            spare: Vec::new(),
            sent: 0,
            next_to_collect: 0,
            waiting: BTreeMap::new(),
            refused: false,
        };
        let read = read_typed(text, &mut |_| true, &mut |index, candidate| {
            reader.take(index, candidate, &mut collect)
        });
        // What is still being worked on is collected (or, after a
        // refusal, waited for and dropped) before the workers end.
        let rest = match read {
            Ok(_) => reader.finish(&mut collect),
            Err(_) => {
                reader.abandon();
                true
            }
        };
        match read {
            Ok(_) if !rest || reader.refused => Err(Stopped::Refused),
            read => read,
        }
    })
}

/// The reading side of [`in_batches`].
struct Reader<O> {
    /// `None` once every batch is sent, so that the workers end.
    to_workers: Option<mpsc::Sender<Batch>>,
    /// Candidates per batch.
    batch: usize,
    done: mpsc::Receiver<Done<O>>,
    /// How many batches may be with the workers at once.
    ahead: usize,
    /// The batch being filled.
    filling: Batch,
    /// Candidates' memory back from the workers, for the next batches.
    spare: Vec<Vec<Candidate>>,
    /// Batches sent so far (the number of the next one).
    sent: usize,
    /// The number of the next batch to hand to `collect`.
    next_to_collect: usize,
    /// Batches done before their turn.
    waiting: BTreeMap<usize, Option<O>>,
    /// A batch was refused, or `collect` said to stop.
    refused: bool,
}

impl<O> Reader<O> {
    /// Puts the candidate just read into the batch being filled (taking
    /// its memory and leaving a spare candidate's in its place), and sends
    /// the batch when full. Returns `false` to stop reading.
    fn take(&mut self, index: usize, candidate: &mut Candidate, collect: &mut impl FnMut(O) -> bool) -> bool {
        if self.filling.len == 0 {
            self.filling.first = index;
        }
        if self.filling.candidates.len() == self.filling.len {
            self.filling.candidates.push(blank_candidate());
        }
        std::mem::swap(&mut self.filling.candidates[self.filling.len], candidate);
        self.filling.len += 1;
        if self.filling.len == self.batch {
            self.send();
            // Collect what is done; wait when the workers are far enough
            // behind.
            while !self.refused && self.sent - self.next_to_collect >= self.ahead {
                if !self.receive(true, collect) {
                    break;
                }
            }
            while !self.refused && self.receive(false, collect) {}
        }
        !self.refused
    }

    /// Sends the batch being filled to the workers and starts the next
    /// one with spare memory.
    fn send(&mut self) {
        let candidates = self.spare.pop().unwrap_or_default();
        let next = Batch { number: self.sent + 1, first: 0, candidates, len: 0 };
        let batch = std::mem::replace(&mut self.filling, next);
        self.sent += 1;
        let sent = self.to_workers.as_ref().is_some_and(|to_workers| to_workers.send(batch).is_ok());
        if !sent {
            // Every worker is gone: nothing more can be scored.
            self.refused = true;
        }
    }

    /// Receives one batch done (waiting for it when `wait`), then hands
    /// on every batch whose turn has come. Returns whether one was
    /// received.
    fn receive(&mut self, wait: bool, collect: &mut impl FnMut(O) -> bool) -> bool {
        let done = if wait { self.done.recv().ok() } else { self.done.try_recv().ok() };
        let Some(done) = done else {
            if wait {
                // The workers ended before every batch came back.
                self.refused = true;
            }
            return false;
        };
        self.spare.push(done.candidates);
        self.waiting.insert(done.number, done.output);
        while let Some(output) = self.waiting.remove(&self.next_to_collect) {
            self.next_to_collect += 1;
            match output {
                Some(output) if !self.refused => {
                    if !collect(output) {
                        self.refused = true;
                    }
                }
                Some(_) => {}
                None => self.refused = true,
            }
        }
        true
    }

    /// After the last candidate: sends the last batch, lets the workers
    /// end, and collects every batch still out. Returns `false` when one
    /// was refused.
    fn finish(&mut self, collect: &mut impl FnMut(O) -> bool) -> bool {
        if self.filling.len > 0 {
            self.send();
        }
        self.to_workers = None;
        while self.next_to_collect < self.sent {
            if !self.receive(true, collect) {
                break;
            }
        }
        !self.refused
    }

    /// After the reading stopped: lets the workers end and waits for what
    /// they were doing, collecting nothing more.
    fn abandon(&mut self) {
        self.refused = true;
        self.to_workers = None;
        while self.done.recv().is_ok() {}
    }
}
