//! The long work in progress (import, backup, restore, batch destruction, the retention sweep),
//! kept apart from the session so that the page can ask how far it is, and ask it to stop, while
//! the work holds the vault.

use derbes::base::progress::Progress;
use serde::Serialize;
use std::sync::{Arc, Mutex};
use tauri::State;

#[derive(Default)]
pub struct Jobs(Mutex<Option<Arc<Progress>>>);

impl Jobs {
    /// Runs `work` as the current job, with a fresh [`Progress`] the page can watch.
    pub fn run<T>(&self, work: impl FnOnce(&Progress) -> T) -> T {
        let p = Arc::new(Progress::new());
        if let Ok(mut g) = self.0.lock() {
            *g = Some(p.clone());
        }
        let out = work(&p);
        if let Ok(mut g) = self.0.lock() {
            *g = None;
        }
        out
    }

    fn current(&self) -> Option<Arc<Progress>> {
        self.0.lock().ok().and_then(|g| g.clone())
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobState {
    running: bool,
    done: u64,
    total: u64,
    stopping: bool,
}

#[tauri::command]
pub fn job_progress(jobs: State<'_, Jobs>) -> JobState {
    match jobs.current() {
        Some(p) => {
            let (done, total) = p.snapshot();
            JobState {
                running: true,
                done,
                total,
                stopping: p.cancelled(),
            }
        }
        None => JobState {
            running: false,
            done: 0,
            total: 0,
            stopping: false,
        },
    }
}

/// Asks the current job to stop; it rolls back what it was writing.
#[tauri::command]
pub fn job_cancel(jobs: State<'_, Jobs>) -> bool {
    jobs.current().map(|p| p.cancel()).is_some()
}
