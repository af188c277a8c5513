//! Passphrases: from a file, the environment or the terminal — never from the command line.

use crate::output::about;
use derbes::Error;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The first line of a passphrase file, read through a small cap (never a device or a FIFO).
pub fn read_line_of(f: &Path) -> Result<String, Error> {
    let bytes = Zeroizing::new(
        derbes::base::limits::read_capped(f, 64 * 1024).map_err(about("the passphrase file", f))?,
    );
    let text = Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
    Ok(text.lines().next().unwrap_or("").to_owned())
}

/// The passphrase from `file`, else the environment variable `env`, else the terminal (asked
/// twice when `confirm`).
pub fn read_passphrase(
    file: Option<&PathBuf>,
    env: &str,
    prompt: &str,
    confirm: bool,
) -> Result<String, Error> {
    if let Some(f) = file {
        return read_line_of(f);
    }
    if let Ok(p) = std::env::var(env) {
        return Ok(p);
    }
    let first = rpassword::prompt_password(prompt)?;
    if confirm {
        let again = Zeroizing::new(rpassword::prompt_password("Repeat: ")?);
        if *again != first {
            return Err(Error::PassphraseMismatch);
        }
    }
    Ok(first)
}
