//! One process per vault: an exclusive advisory lock on `<vault>.lock`, held while the vault is open.
//! A sidecar file rather than the vault itself, because closing any descriptor of the database file
//! would drop SQLite's own POSIX locks on it.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct LockFile {
    _file: File,
}

pub fn lock_path(vault: &Path) -> PathBuf {
    let mut name = vault.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl LockFile {
    pub fn acquire(vault: &Path) -> Result<LockFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(lock_path(vault))?;
        match file.try_lock() {
            Ok(()) => Ok(LockFile { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::VaultInUse),
            Err(TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// Whether another process holds the vault at `vault` open (checked without keeping the lock).
pub fn is_held(vault: &Path) -> bool {
    matches!(LockFile::acquire(vault), Err(Error::VaultInUse))
}
