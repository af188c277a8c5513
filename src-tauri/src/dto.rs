//! The shapes that cross the IPC boundary. Core types stay free of serde; they are converted here.

use serde::Serialize;

/// Every failure reaches the page as a stable code (the page shows its own translation) and the
/// core's English message, which never contains personal data.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
    /// For `invalid`: which fields, with which codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<Issue>,
    /// For `subject.duplicate_iin`: the subject already registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_id: Option<i64>,
    /// For `sheet.cell`: the sheet's number and the cell's reference (never what it holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Issue {
    pub field: &'static str,
    pub code: &'static str,
}

impl CommandError {
    pub fn new(code: &'static str, message: &str) -> CommandError {
        CommandError {
            code,
            message: message.to_owned(),
            issues: Vec::new(),
            existing_id: None,
            sheet: None,
            cell: None,
        }
    }
}

impl From<derbes::Error> for CommandError {
    fn from(e: derbes::Error) -> Self {
        tracing::warn!(code = e.code(), "command failed");
        let mut out = CommandError::new(e.code(), &e.to_string());
        match e {
            derbes::Error::Invalid(issues) => {
                out.issues = issues
                    .into_iter()
                    .map(|i| Issue {
                        field: i.field,
                        code: i.code,
                    })
                    .collect();
            }
            derbes::Error::DuplicateIin { existing_id } => out.existing_id = Some(existing_id),
            derbes::Error::SheetCell { sheet, cell, .. } => {
                out.sheet = Some(sheet);
                out.cell = Some(cell);
            }
            // Why a transfer was refused, for the page to say and to offer the override.
            derbes::Error::TransferRefused { code } => {
                out.issues = vec![Issue {
                    field: "basis",
                    code,
                }]
            }
            _ => {}
        }
        out
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
