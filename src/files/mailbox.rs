//! Reading the mail folders an office's mail program keeps on disk (issue 19): a Maildir (Evolution,
//! KMail, mutt, Claws, any IMAP sync tool) or an mbox file (Thunderbird's and Evolution's local
//! folders, `/var/mail`). Derbes only reads them, never locks or writes them, and copes with the
//! mail program writing at the same time:
//! - a Maildir's messages are files that appear whole in `new/` (delivery writes into `tmp/` and
//!   renames), and move to `cur/` when read: a name seen in `new/` that has moved is looked for in
//!   `cur/` again; `tmp/` is never read;
//! - an mbox grows at its end and is rewritten by compaction: the reader goes on from where it last
//!   stopped only if the bytes before that point are still the ones it read ([`MboxMark`]), else it
//!   reads again from the start (the caller skips what it has already seen by `Message-ID`); the
//!   last message of the file is taken only once the file has not changed for [`SETTLE_SECS`], so
//!   a message the mail program is still appending is never read half-written.

use crate::base::limits::{O_NONBLOCK, kind_of};
use crate::error::{Error, Result};
use crate::files::eml::MAX_BYTES;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long an mbox must have been left alone before its last message is taken as complete.
pub const SETTLE_SECS: u64 = 2;
/// What is kept of a message larger than [`MAX_BYTES`]: enough of its header to name it.
const HEAD_OF_OVERSIZED: usize = 64 * 1024;
/// The bytes before an mbox's read position that must be unchanged for the reader to go on there.
const MARK_BYTES: usize = 512;
const CHUNK: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Maildir,
    Mbox,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Maildir => "maildir",
            Format::Mbox => "mbox",
        }
    }
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "maildir" => Some(Format::Maildir),
            "mbox" => Some(Format::Mbox),
            _ => None,
        }
    }
}

crate::base::wire::by_name_both!(Format => name);

fn not_a_folder(code: &'static str) -> Error {
    Error::MailFolder { code }
}

/// What the folder at `path` is: a directory with `cur/` and `new/` is a Maildir; a regular file
/// that is empty or begins with an mbox envelope line (`From `) is an mbox. Anything else (a
/// device, a FIFO, a workbook, a plain directory) is refused with the reason.
pub fn detect(path: &Path) -> Result<Format> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => not_a_folder("mail.not_found"),
        _ => Error::Io(e),
    })?;
    if meta.is_dir() {
        return if path.join("cur").is_dir() && path.join("new").is_dir() {
            Ok(Format::Maildir)
        } else {
            Err(not_a_folder("mail.not_maildir"))
        };
    }
    let mut file = open_regular(path)?;
    let mut head = [0u8; 5];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..])? {
            0 => break,
            n => got += n,
        }
    }
    if got == 0 || head[..got] == b"From "[..got] && got == 5 {
        Ok(Format::Mbox)
    } else {
        Err(not_a_folder("mail.not_mbox"))
    }
}

fn open_regular(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)?;
    let ft = file.metadata()?.file_type();
    if !ft.is_file() {
        return Err(Error::NotARegularFile { kind: kind_of(ft) });
    }
    Ok(file)
}

/// One message as read from a folder.
#[derive(Debug)]
pub struct Item<'a> {
    /// Where it is: an mbox's byte offset of its envelope line, a Maildir's unique name.
    pub location: String,
    /// Its length in the folder (an mbox's, envelope line included; a Maildir file's).
    pub length: u64,
    /// The message, without the mbox envelope line; `Err` when it could not be read (too large:
    /// then only its head is given in [`Item::head`]).
    pub bytes: std::result::Result<&'a [u8], Error>,
    /// The first bytes of a message too large to read, to name it by its headers.
    pub head: &'a [u8],
}

/// Where an mbox was read up to: the offset after the last message taken, and a digest of the
/// bytes just before it, by which a rewritten file is recognised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MboxMark {
    pub position: u64,
    pub fingerprint: String,
}

/// What one read of an mbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MboxRead {
    pub mark: MboxMark,
    /// The file was rewritten (compacted, replaced) since the last read: read from its start.
    pub restarted: bool,
    /// Its last message was still being written (or the file changed during the read): left for
    /// the next read.
    pub held_back: bool,
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `line` (without its line end) is an mbox envelope line: `From `, a sender (or `-`, as
/// Thunderbird writes), and a date with a four-digit year and a time. A body line that merely
/// begins with "From " and is not quoted (`>From `) by a careless writer is not a separator
/// unless it also looks like a date.
fn is_envelope(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let has_year = rest.windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
    let has_time = rest
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    rest.first().is_some_and(|c| !c.is_ascii_whitespace()) && has_year && has_time
}

/// mboxrd's quoting undone: a body line `>From ` (any number of `>`) loses one `>`.
pub fn unquote_from(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let quoted = |b: &[u8]| {
        let n = b.iter().take_while(|c| **c == b'>').count();
        n > 0 && b[n..].starts_with(b"From ")
    };
    let any = bytes.starts_with(b">") && quoted(bytes)
        || memchr::memmem::find_iter(bytes, b"\n>").any(|i| quoted(&bytes[i + 1..]));
    if !any {
        return std::borrow::Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for line in bytes.split_inclusive(|c| *c == b'\n') {
        if quoted(line) {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The bytes before `mark` if the file still holds what was read before it (`None`: rewritten).
fn mark_holds(file: &mut std::fs::File, len: u64, mark: &MboxMark) -> Result<Option<Vec<u8>>> {
    if mark.position == 0 {
        return Ok(Some(Vec::new()));
    }
    if len < mark.position {
        return Ok(None);
    }
    let from = mark.position.saturating_sub(MARK_BYTES as u64);
    file.seek(SeekFrom::Start(from))?;
    let mut before = vec![0u8; (mark.position - from) as usize + 5];
    let mut got = 0;
    while got < before.len() {
        match file.read(&mut before[got..])? {
            0 => break,
            n => got += n,
        }
    }
    let cut = (mark.position - from) as usize;
    if got < cut {
        return Ok(None);
    }
    let next = &before[cut..got];
    // After the mark: nothing yet, or the next envelope line.
    let next_ok = next.is_empty() || b"From "[..next.len().min(5)] == next[..next.len().min(5)];
    before.truncate(cut);
    Ok((digest(&before) == mark.fingerprint && next_ok).then_some(before))
}

/// The last [`MARK_BYTES`] bytes read, across messages: what the next read checks.
struct Tail(Vec<u8>);

impl Tail {
    fn push(&mut self, bytes: &[u8]) {
        self.0
            .extend_from_slice(&bytes[bytes.len().saturating_sub(MARK_BYTES)..]);
        let over = self.0.len().saturating_sub(MARK_BYTES);
        self.0.drain(..over);
    }
}

/// The message's bytes after its envelope line.
fn after_envelope(msg: &[u8]) -> &[u8] {
    &msg[memchr::memchr(b'\n', msg).map_or(msg.len(), |i| i + 1)..]
}

/// Reads the messages of the mbox at `path` after `mark` (from the start when the file was
/// rewritten), giving each to `visit` in order; returns where to go on next time. `now` decides
/// whether the file has settled ([`SETTLE_SECS`]). Memory stays within one message and a chunk,
/// whatever the file's size; a message larger than [`MAX_BYTES`] is given as an error with its head.
pub fn read_mbox(
    path: &Path,
    mark: &MboxMark,
    now: SystemTime,
    mut visit: impl FnMut(Item<'_>) -> Result<()>,
) -> Result<MboxRead> {
    let mut file = open_regular(path)?;
    let before = file.metadata()?;
    let len = before.len();
    let held = mark_holds(&mut file, len, mark)?;
    let restarted = held.is_none();
    let mut tail = Tail(held.unwrap_or_default());
    let start = if restarted { 0 } else { mark.position };
    file.seek(SeekFrom::Start(start))?;
    let mut reader = file.take(len - start);

    // `buf[cur..]` is the message being gathered; it starts at file offset `cur_offset`, and
    // `skipped` bytes of it (an oversized message's middle) are already dropped.
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK * 2);
    let mut cur = 0usize;
    let mut cur_offset = start;
    let mut skipped = 0u64;
    let mut head: Option<Vec<u8>> = None;
    // `buf[..scanned]` holds no envelope line after the message's first line.
    let mut scanned = 0usize;
    let mut eof = false;

    let mut emit = |msg: &[u8], offset: u64, skipped: u64, head: Option<Vec<u8>>| -> Result<()> {
        let length = msg.len() as u64 + skipped;
        match head {
            Some(head) => visit(Item {
                location: offset.to_string(),
                length,
                bytes: Err(Error::MessageMalformed("too large for a message")),
                head: after_envelope(&head),
            }),
            None => visit(Item {
                location: offset.to_string(),
                length,
                bytes: Ok(after_envelope(msg)),
                head: &[],
            }),
        }
    };

    while !eof {
        // Keep the unfinished message at the front, then read the next chunk after it.
        if cur > 0 {
            buf.drain(..cur);
            scanned -= cur;
            cur = 0;
        }
        let old = buf.len();
        buf.resize(old + CHUNK, 0);
        let n = reader.read(&mut buf[old..])?;
        buf.truncate(old + n);
        eof = n == 0;
        loop {
            let from = scanned.max(cur + 1).min(buf.len());
            let Some(i) = memchr::memmem::find(&buf[from..], b"\nFrom ").map(|i| from + i) else {
                scanned = buf.len().saturating_sub(5).max(cur);
                break;
            };
            let line_start = i + 1;
            let Some(line_end) = memchr::memchr(b'\n', &buf[line_start..]).map(|e| line_start + e)
            else {
                // The line goes on in the next chunk (at the end of the file: a body line).
                scanned = if eof { buf.len() } else { i };
                break;
            };
            let line = &buf[line_start..line_end];
            if !is_envelope(line.strip_suffix(b"\r").unwrap_or(line)) {
                scanned = line_start;
                continue;
            }
            tail.push(&buf[cur..line_start]);
            emit(&buf[cur..line_start], cur_offset, skipped, head.take())?;
            cur_offset += (line_start - cur) as u64 + skipped;
            skipped = 0;
            cur = line_start;
            scanned = line_start;
        }
        // Larger than any message: keep its head, drop what has been searched as it streams by.
        if buf.len() - cur > MAX_BYTES && !eof {
            if head.is_none() {
                head = Some(buf[cur..cur + HEAD_OF_OVERSIZED].to_vec());
            }
            let drop = scanned.saturating_sub(cur + 1);
            buf.drain(cur + 1..cur + 1 + drop);
            skipped += drop as u64;
            scanned = cur + 1;
        }
    }
    let mut position = cur_offset;
    let mut held_back = false;
    // The last message: taken only when the file has settled and did not change while read.
    if cur < buf.len() {
        let after = std::fs::metadata(path)?;
        let unchanged = after.len() == len && after.modified().ok() == before.modified().ok();
        let settled = before
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= Duration::from_secs(SETTLE_SECS));
        if unchanged && settled {
            tail.push(&buf[cur..]);
            emit(&buf[cur..], cur_offset, skipped, head.take())?;
            position = len;
        } else {
            held_back = true;
        }
    }
    Ok(MboxRead {
        mark: MboxMark {
            position,
            fingerprint: digest(&tail.0),
        },
        restarted,
        held_back,
    })
}

/// A Maildir file name's unique part: before the `:2,` info (or `!2,`, the form some tools use
/// where `:` is not allowed in names).
pub fn unique_name(file_name: &str) -> &str {
    file_name
        .split_once([':', '!'])
        .map_or(file_name, |(u, _)| u)
}

fn maildir_names(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Dot files are the mail program's own (`.mh_sequences`, `.uidvalidity`, …).
        if name.starts_with('.') {
            continue;
        }
        out.push((name, entry.path()));
    }
    Ok(out)
}

/// Reads the messages of the Maildir at `path` whose unique names are not in `seen`, from `new/`
/// and `cur/` in name order (delivery names begin with the time), giving each to `visit`.
pub fn read_maildir(
    path: &Path,
    seen: &HashSet<String>,
    mut visit: impl FnMut(Item<'_>) -> Result<()>,
) -> Result<()> {
    let mut names = maildir_names(&path.join("new"))?;
    names.extend(maildir_names(&path.join("cur"))?);
    names.sort_by(|a, b| unique_name(&a.0).cmp(unique_name(&b.0)));
    names.dedup_by(|a, b| unique_name(&a.0) == unique_name(&b.0));
    for (name, file) in names {
        let unique = unique_name(&name).to_owned();
        if seen.contains(&unique) {
            continue;
        }
        let read = match read_one(&file) {
            // Moved from new/ to cur/ (read in the mail program) since the listing.
            Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                match find_in_maildir(path, &unique) {
                    Ok(Some(bytes)) => Ok(bytes),
                    // Deleted meanwhile: nothing to read.
                    Ok(None) => continue,
                    Err(e) => Err(e),
                }
            }
            other => other,
        };
        match read {
            Ok(bytes) => visit(Item {
                location: unique,
                length: bytes.len() as u64,
                bytes: Ok(&bytes),
                head: &[],
            })?,
            Err(e) => {
                let head = read_head(&file).unwrap_or_default();
                visit(Item {
                    location: unique,
                    length: 0,
                    bytes: Err(e),
                    head: &head,
                })?
            }
        }
    }
    Ok(())
}

fn read_one(file: &Path) -> Result<Vec<u8>> {
    crate::base::limits::read_capped(file, MAX_BYTES as u64).map_err(|e| match e {
        Error::InputTooLarge { .. } => Error::MessageMalformed("too large for a message"),
        e => e,
    })
}

fn read_head(file: &Path) -> Result<Vec<u8>> {
    let f = open_regular(file)?;
    let mut out = Vec::new();
    f.take(HEAD_OF_OVERSIZED as u64).read_to_end(&mut out)?;
    Ok(out)
}

/// The message with this unique name in the Maildir at `path`, wherever it is now (`new/` or
/// `cur/`, whatever its flags); `None` when it is gone.
pub fn find_in_maildir(path: &Path, unique: &str) -> Result<Option<Vec<u8>>> {
    for sub in ["new", "cur"] {
        for (name, file) in maildir_names(&path.join(sub))? {
            if unique_name(&name) == unique {
                match read_one(&file) {
                    Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    other => return other.map(Some),
                }
            }
        }
    }
    Ok(None)
}

/// The message of `length` bytes at `offset` in the mbox at `path`, without its envelope line,
/// if an envelope line is still there.
pub fn read_mbox_at(path: &Path, offset: u64, length: u64) -> Result<Option<Vec<u8>>> {
    if length > MAX_BYTES as u64 + 1024 {
        return Err(Error::MessageMalformed("too large for a message"));
    }
    let mut file = open_regular(path)?;
    if file.metadata()?.len() < offset.saturating_add(length) {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut out = vec![0u8; length as usize];
    file.read_exact(&mut out)?;
    let line_end = memchr::memchr(b'\n', &out).unwrap_or(out.len());
    let line = out[..line_end]
        .strip_suffix(b"\r")
        .unwrap_or(&out[..line_end]);
    if !is_envelope(line) {
        return Ok(None);
    }
    Ok(Some(out[(line_end + 1).min(out.len())..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_lines_are_told_from_body_lines() {
        assert!(is_envelope(b"From - Thu Dec 03 10:11:12 2026"));
        assert!(is_envelope(b"From aigul@mail.kz Thu Dec  3 10:11:12 2026"));
        assert!(is_envelope(b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011"));
        assert!(!is_envelope(b"From my point of view, delete my data."));
        assert!(!is_envelope(b"From 2020 on I lived at 12 Abay street"));
        assert!(!is_envelope(b">From - Thu Dec 03 10:11:12 2026"));
    }

    #[test]
    fn quoted_from_lines_lose_one_quote() {
        let text = b"a\n>From here\n>>From there\nFrom x\n";
        assert_eq!(
            &*unquote_from(text),
            &b"a\nFrom here\n>From there\nFrom x\n"[..]
        );
        assert!(matches!(
            unquote_from(b"plain\ntext"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn maildir_unique_names_drop_their_flags() {
        assert_eq!(unique_name("1733.M1P2.host:2,S"), "1733.M1P2.host");
        assert_eq!(unique_name("1733.M1P2.host!2,RS"), "1733.M1P2.host");
        assert_eq!(unique_name("1733.M1P2.host"), "1733.M1P2.host");
    }
}
