//! Reading a file the user names, with limits: it must be a regular file (a FIFO would block for
//! ever, `/dev/zero` never ends), opened without blocking so that a FIFO is refused rather than
//! waited on, and read through a hard cap that never trusts the length the metadata gives (a file
//! can grow while it is read, and `/proc` files say 0).

use crate::error::{Error, Result};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// `O_NONBLOCK` on Linux: a FIFO opens at once (and is then refused) instead of waiting for a
/// writer. On a regular file it changes nothing.
pub(crate) const O_NONBLOCK: i32 = 0o4000;

/// What a path that is not a regular file is, for the refusal (`file.not_regular`).
pub(crate) fn kind_of(ft: std::fs::FileType) -> &'static str {
    if ft.is_symlink() {
        "symlink"
    } else if ft.is_dir() {
        "directory"
    } else if ft.is_fifo() {
        "fifo"
    } else if ft.is_char_device() || ft.is_block_device() {
        "device"
    } else if ft.is_socket() {
        "socket"
    } else {
        "other"
    }
}

/// The whole of `path`, if it is a regular file of at most `max` bytes (symlinks to one are
/// followed, as a user expects); else a clear refusal.
pub fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)?;
    let ft = file.metadata()?.file_type();
    if !ft.is_file() {
        return Err(Error::NotARegularFile { kind: kind_of(ft) });
    }
    let mut out = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut out)?;
    if out.len() as u64 > max {
        return Err(Error::InputTooLarge {
            max_mb: max.div_ceil(1024 * 1024),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_directories_and_oversized_files_are_refused() {
        let code = |p: &str, max| read_capped(Path::new(p), max).unwrap_err().code();
        assert_eq!(code("/dev/zero", 1024), "file.not_regular");
        assert_eq!(code("/dev/null", 1024), "file.not_regular");
        assert_eq!(code("/tmp", 1024), "file.not_regular");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Refused at once, not waited on.
            assert_eq!(
                read_capped(&fifo, 1024).unwrap_err().code(),
                "file.not_regular"
            );
        }
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert_eq!(
            read_capped(&big, 1024).unwrap_err().code(),
            "file.too_large"
        );
        assert_eq!(read_capped(&big, 2048).unwrap().len(), 2048);
    }
}
