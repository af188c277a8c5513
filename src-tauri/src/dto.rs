//! What the shell itself puts on the wire: its errors and the page's state. The core's types
//! cross as they are (the core's `serde` feature, see `derbes::base::wire`).

use serde::Serialize;

/// Every failure reaches the page as a stable code (the page shows its own translation) and an
/// English message without personal data: the core's errors as the core serialises them (with the
/// fields, the existing subject or the sheet's cell some codes carry), and the few the shell finds
/// itself (no file being imported, an unknown language).
#[derive(Debug)]
pub enum CommandError {
    Core(derbes::Error),
    Shell { code: &'static str, message: String },
}

impl CommandError {
    pub fn new(code: &'static str, message: &str) -> CommandError {
        CommandError::Shell {
            code,
            message: message.to_owned(),
        }
    }
}

impl serde::Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CommandError::Core(e) => e.serialize(s),
            CommandError::Shell { code, message } => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("code", code)?;
                m.serialize_entry("message", message)?;
                m.end()
            }
        }
    }
}

impl From<derbes::Error> for CommandError {
    fn from(e: derbes::Error) -> Self {
        tracing::warn!(code = e.code(), "command failed");
        CommandError::Core(e)
    }
}

pub type CmdResult<T> = Result<T, CommandError>;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppState {
    pub version: &'static str,
    pub language: &'static str,
    pub idle_minutes: u32,
    pub unlocked: bool,
    pub is_demo: bool,
    /// The targeted vault file, so the user sees which file they unlock.
    pub vault_path: String,
    pub vault_exists: bool,
    /// The targeted file is the demo vault.
    pub demo_target: bool,
    pub vault_in_use: bool,
    pub demo_passphrase: &'static str,
    pub min_passphrase_len: usize,
    /// A new vault whose first-run wizard is not finished yet.
    pub setup_pending: bool,
}

/// A date as typed (`DD.MM.YYYY` or ISO), `default` when empty; else the field's `date.format`.
pub fn typed_date(
    raw: &str,
    default: Option<chrono::NaiveDate>,
    field: &'static str,
) -> CmdResult<chrono::NaiveDate> {
    let bad = || {
        derbes::Error::Invalid(vec![derbes::FieldIssue {
            field,
            code: "date.format",
        }])
    };
    derbes::base::input::typed_date(raw, default, field)
        .map_err(|_| bad())?
        .ok_or_else(|| bad().into())
}
