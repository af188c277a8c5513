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

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub schema_version: i64,
    pub is_demo: bool,
    pub subjects: i64,
    pub consents: i64,
    pub requests: i64,
    pub open_requests: i64,
    pub overdue_requests: i64,
    pub due_today: i64,
    pub due_this_week: i64,
    pub new_requests: i64,
    pub open_by_kind: Vec<(&'static str, i64)>,
    pub journal_entries: i64,
    pub last_backup_at: Option<String>,
    pub backup_reminder: bool,
    pub unconfirmed_years: Vec<i32>,
    /// A correction of the built-in calendar applied lately: (days changed, days left as the user
    /// set them, open due dates moved).
    pub calendar_revision: Option<(i64, i64, i64)>,
    pub breaches_unnotified: i64,
    pub breaches_overdue: i64,
    pub journal_divergence: Option<Divergence>,
    /// The last live check: (when, `good` or the codes found).
    pub last_check: Option<(String, String)>,
    /// When a passphrase change was found interrupted (no change finished since).
    pub passphrase_interrupted: Option<String>,
}

/// The journal found shorter than, or different from, its anchor (see `derbes::vault::anchor`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Divergence {
    /// When the unlock that found it ran.
    pub found_at: String,
    /// `journal.entries_missing` or `journal.rewritten`.
    pub code: &'static str,
    /// The first entry missing, or the first that may have been changed.
    pub from: i64,
    /// The last entry missing, or the first one known to differ.
    pub to: i64,
    /// When the last of them was written.
    pub written_at: String,
}

impl From<(String, derbes::vault::anchor::Finding)> for Divergence {
    fn from((found_at, f): (String, derbes::vault::anchor::Finding)) -> Self {
        let (from, to, at) = f.span();
        Divergence {
            found_at,
            code: f.code(),
            from,
            to,
            written_at: at.to_owned(),
        }
    }
}

impl From<derbes::app::status::Status> for Status {
    fn from(s: derbes::app::status::Status) -> Self {
        Status {
            schema_version: s.schema_version,
            is_demo: s.is_demo,
            subjects: s.subjects,
            consents: s.consents,
            requests: s.requests,
            open_requests: s.open_requests,
            overdue_requests: s.overdue_requests,
            due_today: s.due_today,
            due_this_week: s.due_this_week,
            new_requests: s.new_requests,
            open_by_kind: s
                .open_by_kind
                .into_iter()
                .map(|(k, n)| (k.name(), n))
                .collect(),
            journal_entries: s.journal_entries,
            last_backup_at: s.last_backup_at,
            backup_reminder: s.backup_reminder,
            unconfirmed_years: s.unconfirmed_years,
            calendar_revision: s
                .calendar_revision
                .map(|r| (r.days_changed, r.days_kept, r.due_moved)),
            breaches_unnotified: s.breaches_unnotified,
            breaches_overdue: s.breaches_overdue,
            journal_divergence: s.journal_divergence.map(Divergence::from),
            last_check: s.last_check,
            passphrase_interrupted: s.passphrase_interrupted,
        }
    }
}
