//! The vault: one SQLCipher-encrypted SQLite file holding everything Derbes knows.
//!
//! A [`Vault`] is an unlocked file: one long-lived connection (SQLCipher's key derivation costs about
//! 100 ms, so connections are never opened per call), an exclusive [`lockfile`] so that only one
//! process uses the file, and the [`Actor`] recorded in the journal. Dropping it locks the vault:
//! the connection closes and SQLCipher wipes its key material; the passphrase itself lives only in a
//! [`Passphrase`], which zeroizes its memory on drop.
//!
//! Opening refuses, each with its own error and without writing anything: a missing file, an empty
//! file, an unencrypted SQLite database, a file that is not a Derbes vault, a wrong passphrase, a
//! truncated file, and a vault written by a newer schema. Only then are pending migrations applied.

pub mod anchor;
pub mod check;
pub mod journal;
mod keying;
pub mod lockfile;
pub mod migration;
mod pages;

use crate::base::passphrase::Passphrase;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use journal::{Actor, Entry};
use lockfile::LockFile;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::fs::OpenOptions;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub use migration::SCHEMA_VERSION;

/// `PRAGMA application_id` of every Derbes vault: "DRBS".
pub const APPLICATION_ID: i32 = 0x4452_4253;

/// SQLCipher 4's page size; an intact vault is a whole number of pages.
const PAGE_SIZE: u64 = 4096;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

pub struct Vault {
    // Declared first: dropped (closed) before the lock is released.
    conn: Connection,
    path: PathBuf,
    actor: Actor,
    /// `vault_id`: the name of this vault's [`anchor`].
    id: String,
    /// What unlocking found when it compared the journal with its anchor.
    anchor_finding: Option<anchor::Finding>,
    /// The anchor as this process last wrote it (see [`anchor::record`]).
    anchor: anchor::Anchor,
    /// A passphrase change started and not finished before this unlock.
    passphrase_interrupted: bool,
    /// The derived key (zeroed on drop), for a second, read-only connection.
    key: keying::RawKey,
    _lock: LockFile,
}

const PASSPHRASE_STARTED: &str = "vault.passphrase_change_started";
const PASSPHRASE_CHANGED: &str = "vault.passphrase_changed";
const PASSPHRASE_INTERRUPTED: &str = "vault.passphrase_change_interrupted";

/// The newest of the passphrase change's entries, if any.
pub(crate) fn last_passphrase_entry(conn: &Connection) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT action, at FROM journal
             WHERE action IN ('vault.passphrase_change_started', 'vault.passphrase_changed',
                              'vault.passphrase_change_interrupted')
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// How a file is being unlocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opening {
    /// The vault as it was left: its journal is compared with the anchor.
    Usual,
    /// A backup just restored in its place: an earlier journal by the user's choice (journaled as
    /// `backup.restored`), which becomes the anchor's new start.
    Restored,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault").finish_non_exhaustive()
    }
}

/// Settings applied to every connection once it is keyed.
fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;      -- freed pages are overwritten (destroyed data leaves no trace)
         PRAGMA temp_store = MEMORY;     -- no temporary files with decrypted rows
         PRAGMA synchronous = FULL;      -- a committed change survives a power cut
         ",
    )?;
    set_cache_mib(conn, CACHE_MIB)?;
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    Ok(())
}

/// MiB of decrypted pages kept in memory: SQLCipher decrypts on every miss.
pub const CACHE_MIB: i64 = 32;

fn set_cache_mib(conn: &Connection, mib: i64) -> Result<()> {
    // A negative cache_size is in KiB; PRAGMA takes no parameters, `mib` is a number.
    conn.execute_batch(&format!("PRAGMA cache_size = {};", -mib * 1024))?;
    Ok(())
}

fn open_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI
}

/// What the first bytes and the length of a file say before any key is tried.
/// Files beside the vault with Derbes' own temporary names, left by a run that was killed: a
/// restore's `<vault>.restoring-<pid>` and a creation's `<vault>.creating-<pid>` (with their
/// `-journal`), removed at unlock when that process is gone.
fn remove_leftovers(vault: &Path) {
    let (Some(dir), Some(file)) = (vault.parent(), vault.file_name()) else {
        return;
    };
    let file = file.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(file.as_ref()) else {
            continue;
        };
        let Some(pid) = rest
            .strip_prefix(".restoring-")
            .or_else(|| rest.strip_prefix(".creating-"))
        else {
            continue;
        };
        let pid = pid.strip_suffix("-journal").unwrap_or(pid);
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn probe_file(path: &Path) -> Result<u64> {
    // Without blocking: a FIFO named as the vault would otherwise wait for a writer for ever.
    let mut f = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(crate::base::limits::O_NONBLOCK)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::VaultNotFound),
        Err(e) => return Err(e.into()),
    };
    let meta = f.metadata()?;
    {
        use std::os::unix::fs::MetadataExt;
        if meta.is_file() && meta.nlink() > 1 {
            // Another name of the same file would take another lock (issue 16).
            return Err(Error::VaultHardLinked);
        }
    }
    if !meta.is_file() {
        return Err(Error::NotARegularFile {
            kind: crate::base::limits::kind_of(meta.file_type()),
        });
    }
    let len = meta.len();
    if len == 0 {
        return Err(Error::EmptyFile);
    }
    let mut head = [0u8; 16];
    let n = f.read(&mut head)?;
    if n == 16 && &head == SQLITE_HEADER {
        return Err(Error::NotEncrypted);
    }
    Ok(len)
}

/// What a freshly keyed connection to `path` says of the file: a wrong passphrase, something that
/// is not a Derbes vault, a damaged or truncated file, a newer schema. Returns the schema version.
pub(crate) fn check_keyed(conn: &Connection, path: &Path) -> Result<i64> {
    let page1 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
        r.get::<_, i64>(0)
    });
    // Re-read the length now: the first read may have rolled back a hot journal.
    let len = std::fs::metadata(path)?.len();
    match page1.map_err(Error::from) {
        Ok(_) => {}
        // A file whose length is not whole pages cannot be a vault with a wrong passphrase:
        // it is something else, unless page 1 decrypted (then it is a truncated vault).
        Err(Error::WrongPassphrase) => {
            return Err(if len % PAGE_SIZE != 0 {
                Error::NotAVault
            } else {
                Error::WrongPassphrase
            });
        }
        Err(_) => return Err(Error::Damaged),
    }
    let (app_id, version, pages): (i32, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version),
                    (SELECT page_count FROM pragma_page_count)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|_| Error::Damaged)?;
    if app_id != APPLICATION_ID {
        return Err(Error::NotAVault);
    }
    if u64::try_from(pages).unwrap_or(0) * PAGE_SIZE != len {
        return Err(Error::Damaged);
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Opens `path` read-only with `passphrase` after the same checks as unlocking, without the lock
/// file or migrations (for reading a backup).
pub(crate) fn open_read_only(path: &Path, passphrase: &Passphrase) -> Result<(Connection, i64)> {
    probe_file(path)?;
    let conn = keying::connect(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        passphrase,
    )?;
    let version = check_keyed(&conn, path)?;
    conn.execute_batch("PRAGMA temp_store = MEMORY;")?;
    Ok((conn, version))
}

/// Opens `path` read-write with `passphrase` and migrates it, without the lock file (a file being
/// prepared under a temporary name).
pub(crate) fn open_for_migration(
    path: &Path,
    passphrase: &Passphrase,
    now: DateTime<Utc>,
) -> Result<Connection> {
    probe_file(path)?;
    let mut conn = keying::connect(path, open_flags(), passphrase)?;
    check_keyed(&conn, path)?;
    configure(&conn)?;
    migration::migrate_to(&mut conn, SCHEMA_VERSION, &Actor::current(), now)?;
    Ok(conn)
}

pub(crate) use keying::rekey_attached;

impl Vault {
    /// Creates a new vault file at `path` (mode 0600, its folder 0700), migrated to this build's
    /// schema; [`Vault::create`] then brings its derived data up to date. The file is built under a
    /// temporary name and renamed into place only when complete.
    pub(crate) fn create_file(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Vault> {
        if path.exists() {
            return Err(Error::VaultExists);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        // The folder exists now: the real path can be resolved.
        let path = &lockfile::real_path(path);
        let lock = LockFile::acquire(path)?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(format!(".creating-{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let result = Self::build_new(&tmp, passphrase, now);
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Vault::open_locked(path, passphrase, now, lock, Opening::Usual)
    }

    fn build_new(tmp: &Path, passphrase: &Passphrase, now: DateTime<Utc>) -> Result<()> {
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(tmp)?;
        let mut conn = keying::connect(tmp, open_flags(), passphrase)?;
        configure(&conn)?;
        conn.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID};"))?;
        let actor = Actor::current();
        migration::migrate_to(&mut conn, SCHEMA_VERSION, &actor, now)?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES ('created_at', ?1)",
            [now.to_rfc3339()],
        )?;
        journal::append(&tx, &actor, now, &Entry::new("vault.created"))?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| Error::from(e))?;
        Ok(())
    }

    /// Unlocks the vault file at `path`, migrating an older schema; [`Vault::open`] then brings its
    /// derived data up to date.
    pub(crate) fn open_file(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<Vault> {
        // By its real path: a symlink or `..` alias takes the same lock, and a restore or backup
        // works on the real file.
        let path = &lockfile::real_path(path);
        probe_file(path)?;
        let lock = LockFile::acquire(path)?;
        Vault::open_locked(path, passphrase, now, lock, Opening::Usual)
    }

    fn open_locked(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        lock: LockFile,
        opening: Opening,
    ) -> Result<Vault> {
        // The key is derived once, here, with SQLCipher's own derivation (see `keying::RawKey`).
        let key = keying::RawKey::derive(path, passphrase)?;
        let mut conn = keying::connect_raw(path, open_flags(), &key)?;
        check_keyed(&conn, path)?;
        configure(&conn)?;
        let mut actor = Actor::current();
        // Compared before migrating: a migration's entries would land where missing ones were.
        let old_id = get_setting(&conn, "vault_id")?;
        let loaded = old_id.as_deref().and_then(anchor::load);
        let finding = match (opening, &loaded) {
            (Opening::Usual, Some(a)) => anchor::compare(&conn, a)?,
            _ => None,
        };
        migration::migrate_to(&mut conn, SCHEMA_VERSION, &actor, now)?;
        actor.responsible = get_setting(&conn, "responsible_person")?.unwrap_or_default();
        let id = get_setting(&conn, "vault_id")?.unwrap_or_default();
        if let Some(f) = &finding {
            tracing::warn!(code = f.code(), "the journal diverges from its anchor");
            if let Some(a) = &loaded {
                anchor::keep_evidence(&id, a, &now.format("%Y%m%dT%H%M%S").to_string());
            }
            transact_on(&mut conn, &actor, now, |tx| {
                tx.journal(&Entry::new("journal.diverged").detail(f.detail()))
            })?;
        }
        let passphrase_interrupted =
            last_passphrase_entry(&conn)?.is_some_and(|(action, _)| action == PASSPHRASE_STARTED);
        if passphrase_interrupted {
            tracing::warn!("a passphrase change was interrupted");
            transact_on(&mut conn, &actor, now, |tx| {
                tx.journal(&Entry::new(PASSPHRASE_INTERRUPTED))
            })?;
        }
        let mut held = if finding.is_some() || opening == Opening::Restored {
            // A new start: the evidence of the old one is kept beside it (above).
            anchor::reset(&id);
            anchor::Anchor::default()
        } else if old_id.as_deref() == Some(id.as_str()) {
            loaded.unwrap_or_default()
        } else {
            // The id was made by this unlock's migration: no anchor can name it yet.
            anchor::Anchor::default()
        };
        if let Some(head) = anchor::head_of(&conn)? {
            anchor::record(&id, &mut held, head);
        }
        tracing::info!(schema = SCHEMA_VERSION, "vault unlocked");
        remove_leftovers(path);
        // Plaintext left by an export killed mid-write (issue 16): gone at the next unlock.
        let removed = crate::files::out_file::in_flight::clean_up();
        if removed > 0 {
            tracing::info!(removed, "partial files of interrupted exports removed");
        }
        Ok(Vault {
            conn,
            path: path.to_owned(),
            actor,
            id,
            anchor_finding: finding,
            anchor: held,
            passphrase_interrupted,
            key,
            _lock: lock,
        })
    }

    /// Re-encrypts the vault under a new passphrase (one transaction; journaled).
    ///
    /// SQLCipher's rekey commits on its own, so it cannot share a transaction with its journal
    /// entry. The journal records the start before it and the end after it (issue 16): a crash
    /// between them leaves a start without an end, which the next unlock finds and journals as
    /// `vault.passphrase_change_interrupted` (see [`Vault::passphrase_interrupted`]).
    pub fn change_passphrase(&mut self, new: &Passphrase, now: DateTime<Utc>) -> Result<()> {
        self.write(now, &Entry::new(PASSPHRASE_STARTED), |_| Ok(()))?;
        keying::rekey(&self.conn, new)?;
        // Rekeying keeps the file's salt: the new key is derived from it.
        self.key = keying::RawKey::derive(&self.path, new)?;
        self.write(now, &Entry::new(PASSPHRASE_CHANGED), |_| Ok(()))?;
        tracing::info!("vault passphrase changed");
        Ok(())
    }

    /// Whether this unlock found a passphrase change that started and never finished (the vault
    /// opened with the passphrase given now, the old one or the new one).
    pub fn passphrase_interrupted(&self) -> bool {
        self.passphrase_interrupted
    }

    /// A second connection to this vault, read-only, with the key it was unlocked with (no key
    /// derivation): for reading on another thread while this one works (the live check).
    pub(crate) fn reader(&self) -> Result<Connection> {
        let c = keying::connect_raw(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            &self.key,
        )?;
        c.execute_batch("PRAGMA temp_store = MEMORY;")?;
        Ok(c)
    }

    /// Checks that `p` unlocks this vault (before a passphrase change), on a second, read-only
    /// connection.
    pub fn verify_passphrase(&self, p: &Passphrase) -> Result<()> {
        let c = keying::connect(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            p,
        )?;
        c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(())
    }

    /// Closes the connection but keeps the file lock (to replace the file, then reopen it).
    pub(crate) fn close_keep_lock(self) -> Result<(PathBuf, LockFile)> {
        let Vault {
            conn, path, _lock, ..
        } = self;
        conn.close().map_err(|(_, e)| Error::from(e))?;
        Ok((path, _lock))
    }

    /// Unlocks `path` under a lock already held.
    pub(crate) fn open_file_with_lock(
        path: &Path,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
        lock: LockFile,
        opening: Opening,
    ) -> Result<Vault> {
        probe_file(path)?;
        Vault::open_locked(path, passphrase, now, lock, opening)
    }

    /// Locks the vault: closes the connection (SQLCipher wipes its keys) and releases the file lock.
    pub fn lock(self) {
        drop(self);
        tracing::info!("vault locked");
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether every page of `copy`, a byte copy of this vault's file (its key and salt), is
    /// authentic, checked on every core: a backup's check (src/app/backup.rs). `Ok(false)` names
    /// no page: the copy is simply not to be trusted.
    pub fn copy_authenticates(&self, copy: &Path) -> Result<bool> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        Ok(pages::authenticate_in(copy, &self.key, threads)?.total_bad == 0)
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// This vault's identifier (`vault_id`), under which its anchor is kept.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The journal's anchor as this session holds it.
    pub fn anchor(&self) -> &anchor::Anchor {
        &self.anchor
    }

    /// What unlocking found when it compared the journal with its anchor: entries missing or
    /// rewritten since the last write this account saw (journaled as `journal.diverged`).
    pub fn anchor_finding(&self) -> Option<&anchor::Finding> {
        self.anchor_finding.as_ref()
    }

    /// The connection, for reading.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `change` and appends `entry` to the journal in one transaction.
    pub fn write<T>(
        &mut self,
        now: DateTime<Utc>,
        entry: &Entry,
        change: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.transact(now, |tx| {
            let out = change(tx)?;
            tx.journal(entry)?;
            Ok(out)
        })
    }

    /// Runs `change` in one transaction; it writes its own journal entries through [`Tx::journal`].
    /// Nothing is kept unless `change` succeeds.
    pub fn transact<T>(
        &mut self,
        now: DateTime<Utc>,
        change: impl FnOnce(&Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = Tx {
            tx: self.conn.transaction()?,
            actor: &self.actor,
            now,
            head: std::cell::RefCell::new(None),
        };
        let out = change(&tx)?;
        let head = tx.head.borrow_mut().take();
        tx.tx.commit()?;
        if let Some(Some((seq, hash))) = head {
            anchor::record(
                &self.id,
                &mut self.anchor,
                anchor::Mark {
                    seq,
                    hash,
                    at: journal::time_of(now),
                },
            );
        }
        Ok(out)
    }

    /// Resizes the page cache, for a large write (imports) and back to [`CACHE_MIB`].
    pub fn set_cache_mib(&self, mib: i64) -> Result<()> {
        set_cache_mib(&self.conn, mib)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        get_setting(&self.conn, key)
    }

    pub fn set_setting(&mut self, key: &str, value: &str, now: DateTime<Utc>) -> Result<()> {
        let entry = Entry::new("setting.changed").detail(key.to_owned());
        self.write(now, &entry, |tx| tx.put_setting(key, value))?;
        if key == "responsible_person" {
            self.actor.responsible = value.to_owned();
        }
        Ok(())
    }

    /// Re-reads what the journal records of the user from the settings (after they changed).
    pub fn refresh_actor(&mut self) -> Result<()> {
        self.actor.responsible = get_setting(&self.conn, "responsible_person")?.unwrap_or_default();
        Ok(())
    }

    /// The integrity of the file (SQLite's `quick_check`) and of the journal's chain.
    pub fn check(&self) -> Result<u64> {
        let ok: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Damaged);
        }
        journal::verify(&self.conn)
    }
}

/// Runs `change` in one transaction of a connection that is not an open [`Vault`] (a restore being
/// prepared), journaling as `actor`. Nothing is kept unless `change` succeeds.
pub(crate) fn transact_on<T>(
    conn: &mut Connection,
    actor: &Actor,
    now: DateTime<Utc>,
    change: impl FnOnce(&Tx<'_>) -> Result<T>,
) -> Result<T> {
    let tx = Tx {
        tx: conn.transaction()?,
        actor,
        now,
        head: std::cell::RefCell::new(None),
    };
    let out = change(&tx)?;
    tx.tx.commit()?;
    Ok(out)
}

/// A write transaction of the vault, able to journal what it does.
pub struct Tx<'a> {
    tx: rusqlite::Transaction<'a>,
    actor: &'a Actor,
    now: DateTime<Utc>,
    /// The journal's head as this transaction left it: read once, then carried along.
    head: std::cell::RefCell<Option<Option<(i64, String)>>>,
}

impl Tx<'_> {
    /// Sets (or replaces) a setting in this transaction.
    pub fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO setting (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
        Ok(())
    }

    pub fn journal(&self, e: &Entry) -> Result<i64> {
        let known = self.head.borrow_mut().take();
        let head = match known {
            Some(h) => h,
            None => journal::head(&self.tx)?,
        };
        let (seq, hash) = journal::append_after(&self.tx, self.actor, self.now, e, head)?;
        *self.head.borrow_mut() = Some(Some((seq, hash)));
        Ok(seq)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.tx
    }
}

fn get_setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}
