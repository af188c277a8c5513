//! Files that leave the vault — exports, PDFs, workbooks, reports, cleaned lists — written so that
//! nothing lands anywhere but a new regular file of the user's: the target must be absent or a
//! regular file (a device, FIFO, directory or symlink is refused, so `export /dev/null` as root
//! cannot replace the device with a world-readable copy of the registry); the data goes into
//! `<target>.partial`, created `0600` with `O_CREAT | O_EXCL | O_NOFOLLOW` (a planted file or symlink
//! of that name is never followed or reused), synced, then renamed over the target. A leftover
//! `.partial` of an interrupted run is removed when the same export starts again, and at the next
//! unlock through the list of files in flight kept beside the preferences.

use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Refuses a target that exists and is not a regular file (without following a symlink), or
/// whose folder does not exist.
pub fn check_target(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) => Err(Error::NotARegularFile {
            kind: crate::base::limits::kind_of(m.file_type()),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = folder(path);
            match std::fs::metadata(&dir) {
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => Err(Error::NotARegularFile { kind: "other" }),
                Err(_) => Err(Error::FolderMissing),
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn folder(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `<target>.partial`, the temporary name beside the target.
pub fn partial_of(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

/// Removes a leftover `.partial` of an interrupted write to `path`: the name is Derbes' own, so
/// whatever is there (a file, or a planted symlink — unlinked, never followed) goes.
fn remove_leftover(partial: &Path) {
    if let Ok(m) = std::fs::symlink_metadata(partial)
        && !m.is_dir()
    {
        let _ = std::fs::remove_file(partial);
    }
}

/// Writes `path` as described above; `write` fills the file. On any failure the partial file is
/// removed and the target is as it was.
pub fn write<T>(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    check_target(path)?;
    let tmp = partial_of(path);
    remove_leftover(&tmp);
    in_flight::add(&tmp);
    let result = (|| {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc_flags::O_NOFOLLOW)
            .open(&tmp)?;
        let mut buf = std::io::BufWriter::new(file);
        let out = write(&mut buf)?;
        let file = buf.into_inner().map_err(|e| Error::from(e.into_error()))?;
        file.sync_all()?;
        // Checked again just before the swap: the target may have been replaced meanwhile.
        check_target(path)?;
        std::fs::rename(&tmp, path)?;
        if let Ok(d) = std::fs::File::open(folder(path)) {
            let _ = d.sync_all();
        }
        Ok(out)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    in_flight::remove(&tmp);
    result
}

/// `O_NOFOLLOW` without a libc dependency: its value on Linux (all architectures Derbes is built
/// for use the generic value, except the few listed).
mod libc_flags {
    #[cfg(any(target_arch = "aarch64", target_arch = "arm"))]
    pub const O_NOFOLLOW: i32 = 0o100000;
    #[cfg(not(any(target_arch = "aarch64", target_arch = "arm")))]
    pub const O_NOFOLLOW: i32 = 0o400000;
}

/// The partial files being written now, listed in a file beside the preferences, so that a run
/// killed mid-export has its plaintext leftover removed at the next unlock.
pub mod in_flight {
    use std::io::Write;
    use std::path::{Path, PathBuf};

    fn list_path() -> Option<PathBuf> {
        Some(crate::base::paths::data_dir().join("in-flight"))
    }

    /// (the writing process, the partial file) per line.
    fn read(list: &Path) -> Vec<(u32, PathBuf)> {
        // Capped: the list holds a handful of paths; anything larger is not ours.
        let Ok(text) = crate::base::limits::read_capped(list, 64 * 1024) else {
            return Vec::new();
        };
        String::from_utf8_lossy(&text)
            .lines()
            .filter_map(|l| {
                let (pid, path) = l.split_once('\t')?;
                Some((pid.parse().ok()?, PathBuf::from(path)))
            })
            .collect()
    }

    fn store(list: &Path, paths: &[(u32, PathBuf)]) {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::OpenOptionsExt;
        if paths.is_empty() {
            let _ = std::fs::remove_file(list);
            return;
        }
        if let Some(d) = list.parent() {
            let _ = std::fs::create_dir_all(d);
        }
        let tmp = list.with_extension("tmp");
        let _ = std::fs::remove_file(&tmp);
        let Ok(mut f) = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
        else {
            return;
        };
        for (pid, p) in paths {
            let _ = f.write_all(format!("{pid}\t").as_bytes());
            let _ = f.write_all(p.as_os_str().as_bytes());
            let _ = f.write_all(b"\n");
        }
        if f.sync_all().is_ok() {
            let _ = std::fs::rename(&tmp, list);
        }
    }

    pub(super) fn add(p: &Path) {
        let Some(list) = list_path() else { return };
        let mut paths = read(&list);
        let entry = (
            std::process::id(),
            std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
        );
        if !paths.contains(&entry) {
            paths.push(entry);
        }
        store(&list, &paths);
    }

    pub(super) fn remove(p: &Path) {
        let Some(list) = list_path() else { return };
        let entry = (
            std::process::id(),
            std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
        );
        let paths: Vec<(u32, PathBuf)> = read(&list).into_iter().filter(|q| *q != entry).collect();
        store(&list, &paths);
    }

    /// At unlock: removes the partial files of writes whose process is gone (killed mid-write;
    /// only names ending in `.partial`, never a directory). A write still running elsewhere is
    /// left alone. Returns how many were removed.
    pub fn clean_up() -> usize {
        match list_path() {
            Some(list) => clean_up_list(&list),
            None => 0,
        }
    }

    /// [`clean_up`] with the list at `list`.
    pub fn clean_up_list(list: &Path) -> usize {
        let list = list.to_path_buf();
        let mut removed = 0;
        let mut running = Vec::new();
        for (pid, p) in read(&list) {
            if Path::new(&format!("/proc/{pid}")).exists() {
                running.push((pid, p));
                continue;
            }
            let ours = p.extension().is_some_and(|e| e == "partial");
            if ours
                && std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir())
                && std::fs::remove_file(&p).is_ok()
            {
                removed += 1;
            }
        }
        store(&list, &running);
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn only_regular_files_are_written_over_and_partials_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let code = |p: &Path| write(p, |w| Ok(w.write_all(b"data")?)).unwrap_err().code();
        assert_eq!(code(Path::new("/dev/null")), "file.not_regular");
        assert_eq!(code(dir.path()), "file.not_regular");
        assert_eq!(
            code(&dir.path().join("no/such/folder/x.csv")),
            "file.folder_missing"
        );
        // A symlink as the target: refused, what it points at untouched.
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, b"theirs").unwrap();
        let link = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        assert_eq!(code(&link), "file.not_regular");
        std::fs::remove_file(&link).unwrap();
        // A planted `<target>.partial` symlink is removed, not followed.
        std::os::unix::fs::symlink(&victim, partial_of(&link)).unwrap();
        write(&link, |w| Ok(w.write_all(b"ours")?)).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"theirs");
        assert_eq!(std::fs::read(&link).unwrap(), b"ours");
        let mode = std::fs::metadata(&link).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert!(std::fs::symlink_metadata(partial_of(&link)).is_err());
        // A failed write leaves the target as it was and no partial file.
        let err = write(&link, |w| {
            w.write_all(b"half")?;
            Err::<(), _>(Error::Cancelled)
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read(&link).unwrap(), b"ours");
        assert!(std::fs::symlink_metadata(partial_of(&link)).is_err());
    }

    #[test]
    fn partials_of_dead_writers_are_removed_at_unlock() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("in-flight");
        let dead = dir.path().join("a.csv.partial");
        let alive = dir.path().join("b.csv.partial");
        let not_ours = dir.path().join("c.csv");
        for p in [&dead, &alive, &not_ours] {
            std::fs::write(p, b"names and IINs").unwrap();
        }
        // PID 4194304 is above Linux's largest (pid_max is at most 2^22).
        let text = format!(
            "4194304\t{}\n{}\t{}\n4194304\t{}\n",
            dead.display(),
            std::process::id(),
            alive.display(),
            not_ours.display()
        );
        std::fs::write(&list, text).unwrap();
        assert_eq!(in_flight::clean_up_list(&list), 1);
        assert!(!dead.exists());
        assert!(alive.exists(), "a write still running is left alone");
        assert!(not_ours.exists(), "only Derbes' own partial names");
    }
}
