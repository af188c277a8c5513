//! The window's session: which vault file is targeted, the unlocked vault if any, and the time of the
//! last user activity. A watcher thread locks the vault when the idle time set in the preferences has
//! passed, whatever the page does.

use crate::prefs::Prefs;
use derbes::Vault;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tauri::{AppHandle, Manager};

pub struct Inner {
    /// The real vault the window works on (the demo vault is separate).
    pub target: PathBuf,
    pub vault: Option<Vault>,
    pub last_activity: BootTime,
    pub prefs: Prefs,
    /// A CSV file read for import, waiting for the user to confirm the mapping.
    pub pending_import: Option<PendingImport>,
    /// A journal of requests read for import, checked again when committed.
    pub pending_journal: Option<derbes::files::csv_table::Table>,
    /// The folder last chosen in the native dialog for automatic backups: the only folder
    /// `backup_auto_set` accepts (the page never sends a path of its own).
    pub picked_folder: Option<PathBuf>,
}

/// A point on the boot-time clock (`CLOCK_BOOTTIME`), which, unlike [`std::time::Instant`]
/// (`CLOCK_MONOTONIC`), goes on while the machine sleeps: idle time then includes the night the lid
/// was closed (issue 16), and a clock set by hand moves nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BootTime(Duration);

impl BootTime {
    pub fn now() -> BootTime {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec, which lives for the call; CLOCK_BOOTTIME
        // exists on every Linux Derbes runs on (2.6.39 and later).
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_BOOTTIME, &mut ts) };
        if rc != 0 {
            // Not reachable on Linux; the monotonic clock's idea of now is the next best.
            return BootTime(Duration::ZERO);
        }
        BootTime(Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
    }

    pub fn elapsed(&self) -> Duration {
        BootTime::now().0.saturating_sub(self.0)
    }
}

pub struct Session(Mutex<Inner>);

impl Session {
    pub fn new(cli_vault: Option<PathBuf>) -> Session {
        let prefs = Prefs::load_from(&Prefs::file());
        let target = cli_vault
            .or_else(|| std::env::var_os("DERBES_VAULT").map(PathBuf::from))
            .or_else(|| prefs.last_vault.clone().filter(|p| p.exists()))
            .unwrap_or_else(derbes::base::paths::default_vault);
        Session(Mutex::new(Inner {
            target,
            vault: None,
            last_activity: BootTime::now(),
            prefs,
            pending_import: None,
            pending_journal: None,
            picked_folder: None,
        }))
    }

    /// Opens the demo vault (generating it on first use) and targets it.
    pub fn open_demo(&self) -> derbes::Result<()> {
        let mut s = self.get();
        s.lock_vault();
        let path = derbes::base::paths::demo_vault();
        let vault = derbes::app::demo::open_or_create(
            &path,
            chrono::Local::now().date_naive(),
            chrono::Utc::now(),
        )?;
        // Locking the demo returns to the demo's unlock screen, not to the real vault's.
        s.target = path;
        s.vault = Some(vault);
        s.last_activity = BootTime::now();
        Ok(())
    }

    /// The session, recovering from a poisoned lock (a panic elsewhere must not brick the window).
    pub fn get(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    /// Locks the open vault, if any, after the day's automatic backup when one is set up.
    pub fn lock_vault(&mut self) {
        self.pending_import = None;
        self.pending_journal = None;
        if let Some(mut v) = self.vault.take() {
            let today = chrono::Local::now().date_naive();
            match derbes::app::backup::auto(&mut v, today, chrono::Utc::now()) {
                Ok(Some(made)) => tracing::info!(bytes = made.bytes, "automatic backup made"),
                Ok(None) => {}
                // Never a reason not to lock; the dashboard's reminder will show it is missing.
                Err(e) => tracing::warn!(code = e.code(), "automatic backup failed"),
            }
            v.lock();
        }
    }

    pub fn idle_limit(&self) -> Duration {
        Duration::from_secs(u64::from(self.prefs.idle_minutes) * 60)
    }

    /// Locks the vault if it has been idle too long; true when it did.
    pub fn lock_if_idle(&mut self) -> bool {
        if self.vault.is_some() && self.last_activity.elapsed() >= self.idle_limit() {
            self.lock_vault();
            tracing::info!("vault locked after idle time");
            return true;
        }
        false
    }
}

pub fn spawn_idle_watch(app: AppHandle) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(5));
            let session = app.state::<Session>();
            session.get().lock_if_idle();
        }
    });
}

/// A CSV file read for import, its name, and its last check (kept so that confirming does not
/// check 100 000 rows a second time).
pub struct PendingImport {
    pub table: derbes::files::csv_table::Table,
    pub name: String,
    pub checked: Option<derbes::registry::import::Checked>,
}
