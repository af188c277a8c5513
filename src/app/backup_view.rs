//! Backups as the window shows them: the Backups area's overview, and what an export, a check or a
//! restore of a backup file reports. Read from `app::backup`, which does the work.

use crate::app::backup::{self, Carried, Manifest};
use crate::error::Result;
use crate::vault::Vault;
use chrono::NaiveDate;
use std::path::Path;

/// The Backups area: when the last ones were made, the automatic backups' settings, the folder
/// the vault is in (a backup beside it is no backup) and the safety copies kept before restores.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Overview {
    pub last_backup_at: Option<String>,
    pub last_outside_at: Option<String>,
    pub reminder_due: bool,
    pub auto_dir: Option<String>,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    pub remind_days: u32,
    pub vault_dir: String,
    /// Newest first: (file name, when, bytes).
    pub safety_copies: Vec<(String, String, u64)>,
}

pub fn overview(v: &Vault, today: NaiveDate) -> Result<Overview> {
    let s = backup::auto_settings(v)?;
    Ok(Overview {
        last_backup_at: v.setting("last_backup_at")?,
        last_outside_at: v.setting("backup.last_outside_at")?,
        reminder_due: backup::reminder_due(v, today)?,
        auto_dir: s.dir.map(|d| d.display().to_string()),
        keep_daily: s.keep.daily,
        keep_weekly: s.keep.weekly,
        keep_monthly: s.keep.monthly,
        remind_days: s.remind_days,
        vault_dir: v
            .path()
            .parent()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
        safety_copies: backup::safety_copies(v.path())?
            .into_iter()
            .map(|c| {
                (
                    c.path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    c.made.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    c.bytes,
                )
            })
            .collect(),
    })
}

/// A backup file: where, how large, and what its manifest says it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Summary {
    pub file: String,
    pub bytes: u64,
    pub subjects: i64,
    pub requests: i64,
    pub letters: i64,
    pub created_at: String,
    pub app_version: String,
    pub schema_version: i64,
}

impl Summary {
    /// `bytes` as measured; the file's size on disk when `None`.
    pub fn of(path: &Path, bytes: Option<u64>, m: &Manifest) -> Summary {
        Summary {
            file: path.display().to_string(),
            bytes: bytes.unwrap_or_else(|| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)),
            subjects: m.count("subject"),
            requests: m.count("request"),
            letters: m.count("letter"),
            created_at: m.created_at.clone(),
            app_version: m.app_version.clone(),
            schema_version: m.schema_version,
        }
    }
}

/// What a restore did besides replacing the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Restored {
    pub summary: Summary,
    pub safety_copy: String,
    /// People destroyed and anonymized after the backup, erased again in the restored vault.
    pub destroyed_again: usize,
    pub anonymized_again: usize,
    /// Stop-list entries recorded after the backup, kept.
    pub stop_entries_kept: usize,
    /// The backup is of another vault: the current erasures could not be matched in it.
    pub other_vault: bool,
}

impl Restored {
    pub fn of(summary: Summary, safety_copy: &Path, carried: &Carried) -> Restored {
        Restored {
            summary,
            safety_copy: safety_copy.display().to_string(),
            destroyed_again: carried.destroyed,
            anonymized_again: carried.anonymized,
            stop_entries_kept: carried.stop_entries,
            other_vault: carried.other_vault,
        }
    }
}
