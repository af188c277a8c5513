//! Progress and cancelling of long work (issue 10): import, backup, restore, batch destruction and
//! the retention sweep report how far they are, and the window can ask them to stop. Work that
//! writes does it in one transaction, so a stop is an error that rolls everything back: nothing is
//! left half-done, and a backup being written is removed.

use crate::error::{Error, Result};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How far a piece of work is, shared between the worker and whoever shows it.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    stop: AtomicBool,
}

/// For callers with nobody watching (the CLI, tests): never asked to stop.
static UNWATCHED: Progress = Progress {
    done: AtomicU64::new(0),
    total: AtomicU64::new(0),
    stop: AtomicBool::new(false),
};

impl Progress {
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Work nobody watches or stops.
    pub fn unwatched() -> &'static Progress {
        &UNWATCHED
    }

    /// A (new) stretch of `total` steps begins.
    pub fn begin(&self, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// `n` more steps are done; an error once a stop was asked for.
    pub fn advance(&self, n: u64) -> Result<()> {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.check()
    }

    /// An error once a stop was asked for: the work returns it, and its transaction rolls back.
    pub fn check(&self) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Asks the work to stop at its next step.
    pub fn cancel(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// (steps done, steps in all); the total is 0 while it is not known yet.
    pub fn snapshot(&self) -> (u64, u64) {
        let total = self.total.load(Ordering::Relaxed);
        (self.done.load(Ordering::Relaxed).min(total), total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_is_an_error_at_the_next_step() {
        let p = Progress::new();
        p.begin(10);
        p.advance(3).unwrap();
        assert_eq!(p.snapshot(), (3, 10));
        p.cancel();
        assert_eq!(p.advance(1).unwrap_err().code(), "job.cancelled");
        assert!(Progress::unwatched().check().is_ok());
    }
}
