//! Where output goes: standard output for `-`, else a file written whole or not at all; and what
//! left the vault, journaled once it is written.

use chrono::Utc;
use derbes::files::sheet::Format;
use derbes::{Error, Vault};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A table written to `target` (`-` for standard output) as `.xlsx`, `.ods` or CSV by its
/// extension; returns how many rows `write` wrote.
pub fn export_table(
    target: &str,
    write: impl FnOnce(&mut dyn Write, Format) -> Result<u64, Error>,
) -> Result<u64, Error> {
    let mut n = 0;
    with_output(target, |w| {
        n = write(w, Format::of_name(target))?;
        Ok(())
    })?;
    Ok(n)
}

/// A file to write, or standard output for `-`. A file is written under a temporary name and
/// renamed when complete, so a failed export never leaves a half-written file.
pub fn with_output(
    target: &str,
    f: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    if target == "-" {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        f(&mut lock)?;
        lock.flush()?;
        return Ok(());
    }
    let path = PathBuf::from(target);
    derbes::registry::export::to_file(&path, f).map_err(about("the file to write", &path))
}

/// Bytes written whole to `path` (a PDF, a document's stored copy).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    derbes::registry::export::to_file(path, |w| Ok(w.write_all(bytes)?))
        .map_err(about("the file to write", path))
}

/// An error about a file the user named: what it was for, and its path.
pub fn about<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(Error) -> Error + 'a {
    move |e| Error::AboutFile {
        what,
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

/// Journals what left the vault, once it is written (ids and counts only).
pub fn leaving(vault: &mut Vault, action: &'static str, detail: String) -> Result<(), Error> {
    derbes::registry::export::journal_leaving(vault, action, detail, Utc::now())
}

/// The vault's figures, as `status` and `demo` print them.
pub fn print_status(vault: &Vault, today: chrono::NaiveDate) -> Result<(), Error> {
    let s = derbes::app::status::status(vault, today)?;
    println!("vault: {}", vault.path().display());
    println!("schema: {}", s.schema_version);
    println!("demo: {}", if s.is_demo { "yes" } else { "no" });
    println!("subjects: {}", s.subjects);
    println!("consents: {}", s.consents);
    println!(
        "requests: {} ({} open, {} overdue, {} due today)",
        s.requests, s.open_requests, s.overdue_requests, s.due_today
    );
    println!("journal entries: {}", s.journal_entries);
    let r = derbes::app::reminders::reminders(vault.conn(), today, None)?;
    println!(
        "reminders: {} consents end within {} days, {} holdings end within {} days, {} requests due on {}{}",
        r.consents_total,
        r.consent_days,
        r.holdings_total,
        r.holding_days,
        r.requests.len(),
        r.next_working_day,
        match r.calendar_unconfirmed {
            Some(y) => format!(", the calendar of {y} is not confirmed"),
            None => String::new(),
        }
    );
    if let Some((found, f)) = &s.journal_divergence {
        println!(
            "journal diverged from its anchor (found {}): {} [{}]",
            &found[..found.len().min(10)],
            f.describe(),
            f.code()
        );
    }
    Ok(())
}

/// A line per field issue of a file's rows, `line N: field: what [code]`.
pub fn print_issue(line: u64, field: &str, code: &str) {
    println!(
        "line {line}: {field}: {} [{code}]",
        derbes::error::describe(code)
    );
}
