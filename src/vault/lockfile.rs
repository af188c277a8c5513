//! One process per vault: an exclusive advisory lock on `<real vault path>.lock`, held while the
//! vault is open.
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

/// The vault's real path: symlinks and `..` resolved (of its folder when the file does not exist
/// yet), so that every alias of one file takes the same lock and a restore replaces the real file,
/// not a link to it (issue 16). A hard link is another name of the same file that no path
/// resolves: [`crate::Vault::open`] refuses a vault file with more than one.
pub fn real_path(vault: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(vault) {
        return p;
    }
    let parent = match vault.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(parent), vault.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => std::path::absolute(vault).unwrap_or_else(|_| vault.to_path_buf()),
    }
}

pub fn lock_path(vault: &Path) -> PathBuf {
    let mut name = real_path(vault).into_os_string();
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
