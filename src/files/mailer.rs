//! Opening a new message in the user's mail program with a file attached (issue 19): Thunderbird's
//! own `-compose` when it is the desktop's mail program (`xdg-mime query default
//! x-scheme-handler/mailto`), else `xdg-email`, which knows the others (Evolution, KMail, Claws…).
//! Derbes never sends mail itself: the user sees the message in their mail program and sends it
//! there (no network access of our own).

use crate::error::{Error, Result};
use std::path::Path;
use std::process::{Command, Stdio};

/// A message to open.
#[derive(Debug, Clone)]
pub struct Compose<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment: &'a Path,
}

/// Which program opened the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    Thunderbird,
    XdgEmail,
}

impl Program {
    pub fn name(self) -> &'static str {
        match self {
            Program::Thunderbird => "thunderbird",
            Program::XdgEmail => "xdg-email",
        }
    }
}

crate::base::wire::by_name!(Program => name);

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|d| {
            let p = d.join(program);
            p.is_file()
                && std::fs::metadata(&p).is_ok_and(|m| {
                    std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o111 != 0
                })
        })
    })
}

/// The desktop's mail program, if it is Thunderbird (and it can be started).
fn default_is_thunderbird() -> bool {
    let out = Command::new("xdg-mime")
        .args(["query", "default", "x-scheme-handler/mailto"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    out.is_ok_and(|o| {
        String::from_utf8_lossy(&o.stdout)
            .to_lowercase()
            .contains("thunderbird")
    }) && on_path("thunderbird")
}

/// A value inside Thunderbird's `-compose` list: quoted with `'`, so none may be inside it, nor
/// a comma outside quotes matters; a `'` becomes `’`.
fn tb_value(s: &str) -> String {
    s.replace('\'', "’")
}

/// The command that opens `m` in `program`.
pub fn command(program: Program, m: &Compose<'_>) -> Command {
    match program {
        Program::Thunderbird => {
            let url = format!("file://{}", m.attachment.display());
            let spec = format!(
                "to='{}',subject='{}',body='{}',attachment='{}'",
                tb_value(m.to),
                tb_value(m.subject),
                tb_value(m.body),
                tb_value(&url)
            );
            let mut c = Command::new("thunderbird");
            c.arg("-compose").arg(spec);
            c
        }
        Program::XdgEmail => {
            let mut c = Command::new("xdg-email");
            c.args([
                "--utf8",
                "--subject",
                m.subject,
                "--body",
                m.body,
                "--attach",
            ])
            .arg(m.attachment)
            .arg(m.to);
            c
        }
    }
}

/// Opens `m` in the desktop's mail program and returns which one. The program is left running
/// (a mail program started for this stays open); a program missing is refused
/// (`mail.no_program`).
pub fn open(m: &Compose<'_>) -> Result<Program> {
    let program = if default_is_thunderbird() {
        Program::Thunderbird
    } else if on_path("xdg-email") {
        Program::XdgEmail
    } else {
        return Err(Error::NoMailProgram);
    };
    let mut child = command(program, m)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| Error::NoMailProgram)?;
    // Reaped when it ends, whenever that is.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(program)
}
