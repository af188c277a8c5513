//! Printing through the system's CUPS queues with its own client (`lpstat`, `lp`): the printers
//! the user may pick, and a PDF sent to one of them **through a pipe** — the document never lands
//! in a temporary file (issue 6). The job's title is the outgoing number, never a name.

use crate::error::{Error, Result};
use std::io::Write;
use std::process::{Command, Stdio};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Printer {
    pub name: String,
    pub is_default: bool,
}

fn client(program: &str, server: Option<&str>) -> Command {
    let mut c = Command::new(program);
    if let Some(s) = server {
        c.env("CUPS_SERVER", s);
    }
    // Parsed output must not depend on the user's locale.
    c.env("LC_ALL", "C").env("LANG", "C");
    c
}

/// The queues CUPS knows, the default one marked. No CUPS, or no queue: [`Error::NoPrinter`].
pub fn printers() -> Result<Vec<Printer>> {
    printers_at(None)
}

/// [`printers`] of the CUPS server at `server` (a socket path or host), `None` for the system's.
pub fn printers_at(server: Option<&str>) -> Result<Vec<Printer>> {
    let out = match client("lpstat", server).arg("-e").output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoPrinter),
        Err(e) => return Err(Error::Io(e)),
    };
    // `lpstat -e` fails when the scheduler is not running: that is "no printer" to the user.
    if !out.status.success() {
        return Err(Error::NoPrinter);
    }
    let default = client("lpstat", server)
        .arg("-d")
        .output()
        .ok()
        .and_then(|o| {
            let s = String::from_utf8_lossy(&o.stdout).into_owned();
            s.split_once(':').map(|(_, d)| d.trim().to_owned())
        })
        .unwrap_or_default();
    let list: Vec<Printer> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|name| Printer {
            name: name.to_owned(),
            is_default: name == default,
        })
        .collect();
    if list.is_empty() {
        return Err(Error::NoPrinter);
    }
    Ok(list)
}

/// Sends `pdf` to `printer`; returns the CUPS job id (e.g. `Office-12`).
pub fn print(printer: &str, title: &str, pdf: &[u8]) -> Result<String> {
    print_at(None, printer, title, pdf)
}

/// [`print`] through the CUPS server at `server`.
pub fn print_at(server: Option<&str>, printer: &str, title: &str, pdf: &[u8]) -> Result<String> {
    let known = printers_at(server)?;
    if !known.iter().any(|p| p.name == printer) {
        return Err(Error::NoPrinter);
    }
    let mut child = client("lp", server)
        .args(["-d", printer, "-t", title, "-o", "media=A4", "--", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NoPrinter,
            _ => Error::Io(e),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(pdf)?;
    }
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        // lp's message names the queue and the reason, not the document's content.
        let why = String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or("lp failed")
            .chars()
            .take(200)
            .collect();
        return Err(Error::PrintFailed(why));
    }
    // "request id is Office-12 (1 file(s))"
    Ok(text
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or("")
        .to_owned())
}
