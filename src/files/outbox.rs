//! The private folder a document passes through on its way to the user's mail program (issue 19):
//! the mail program attaches a file by its path, so the PDF must exist outside the vault for a
//! while. It lives in `$XDG_RUNTIME_DIR` (memory, the user's alone, gone at logout) when there is
//! one, else in the cache folder; the folder is `0700`, each file `0600`, and Derbes empties it
//! when the window closes and when it starts again.

use crate::error::{Error, Result};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Where the outbox is.
pub fn dir() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() && Path::new(&d).is_absolute() && Path::new(&d).is_dir() => {
            PathBuf::from(d).join("derbes-outbox")
        }
        _ => {
            let cache = match std::env::var_os("XDG_CACHE_HOME") {
                Some(c) if !c.is_empty() && Path::new(&c).is_absolute() => PathBuf::from(c),
                _ => std::env::var_os("HOME")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("."))
                    .join(".cache"),
            };
            cache.join("derbes").join("outbox")
        }
    }
}

/// The outbox, made `0700` if it is not there; a symlink or anything but a folder of ours in its
/// place is refused (someone else's link would receive the document).
fn ensure(dir: &Path) -> Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => {
            return Err(Error::NotARegularFile {
                kind: crate::base::limits::kind_of(m.file_type()),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        Err(e) => return Err(e.into()),
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// Puts `bytes` in the outbox as `name` (`0600`), replacing an earlier file of that name.
pub fn put(name: &str, bytes: &[u8]) -> Result<PathBuf> {
    put_in(&dir(), name, bytes)
}

pub fn put_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    ensure(dir)?;
    // A name of one component only.
    let name =
        Path::new(name)
            .file_name()
            .ok_or(Error::Invalid(vec![crate::error::FieldIssue {
                field: "name",
                code: "file.name_invalid",
            }]))?;
    let path = dir.join(name);
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(path)
}

/// Empties the outbox; how many files went.
pub fn empty() -> Result<usize> {
    empty_in(&dir())
}

pub fn empty_in(dir: &Path) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut n = 0;
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_file() || entry.file_type()?.is_symlink() {
            std::fs::remove_file(entry.path())?;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_private_and_emptied() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("outbox");
        let p = put_in(&dir, "ИСХ-2026-001.pdf", b"%PDF-1.7").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&p), 0o600);
        // Again: replaced, not appended to.
        put_in(&dir, "ИСХ-2026-001.pdf", b"%PDF").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"%PDF");
        // A path in the name stays inside the outbox.
        let q = put_in(&dir, "../escape.pdf", b"x").unwrap();
        assert_eq!(q.parent(), Some(dir.as_path()));
        assert_eq!(empty_in(&dir).unwrap(), 2);
        // A link put where the outbox should be is refused.
        let link = root.path().join("linked");
        std::os::unix::fs::symlink(root.path(), &link).unwrap();
        assert_eq!(
            put_in(&link, "a.pdf", b"x").unwrap_err().code(),
            "file.not_regular"
        );
    }
}
