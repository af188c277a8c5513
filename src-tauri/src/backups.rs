//! Commands of the Backups area: export to a folder chosen in the native dialog, verify and restore
//! a chosen file, automatic backups. The core does the work; the shell picks the files.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::CmdResult;
use crate::session::Session;
use chrono::Utc;
use derbes::Passphrase;
use derbes::app::backup::{self, AutoSettings, Rotation};
use derbes::app::backup_view::{self, Overview, Restored, Summary};
use serde::Deserialize;
use std::path::PathBuf;
use tauri::State;
use zeroize::Zeroizing;

#[tauri::command]
pub fn backup_overview(session: State<'_, Session>) -> CmdResult<Overview> {
    with_vault(&session, |v, today, _| backup_view::overview(v, today))
}

/// A new backup's own passphrase, typed twice; `None` (empty) keeps the vault's.
fn new_passphrase(p: Option<String>, confirm: Option<String>) -> CmdResult<Option<Passphrase>> {
    let p = Zeroizing::new(p.unwrap_or_default());
    if p.is_empty() {
        return Ok(None);
    }
    let confirm = Zeroizing::new(confirm.unwrap_or_default());
    if *p != *confirm {
        return Err(derbes::Error::PassphraseMismatch.into());
    }
    Ok(Some(Passphrase::new_secret(p.as_str())?))
}

/// Picks a folder and writes a backup into it; `None` if cancelled.
#[tauri::command(async)]
pub fn backup_export(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    title: String,
    passphrase: Option<String>,
    confirm: Option<String>,
) -> CmdResult<Option<Summary>> {
    let p = new_passphrase(passphrase, confirm)?;
    // Start where the last backups went.
    let start = with_vault(&session, |v, _, _| Ok(backup::auto_settings(v)?.dir))?;
    let Some(dir) = dialogs::pick_folder(&title, start.as_deref())? else {
        return Ok(None);
    };
    jobs.run(|progress| {
        with_vault(&session, |v, _, now| {
            let made = backup::export_with(v, &dir, p.as_ref(), now, progress)?;
            Ok(Some(Summary::of(
                &made.path,
                Some(made.bytes),
                &made.manifest,
            )))
        })
    })
}

/// A backup file, the chooser opened in the automatic backups' folder when there is one.
fn pick_backup(session: &Session, title: &str) -> CmdResult<Option<PathBuf>> {
    let start = {
        let s = session.get();
        s.vault
            .as_ref()
            .and_then(|v| backup::auto_settings(v).ok())
            .and_then(|a| a.dir)
    };
    dialogs::open_file_in(title, "Derbes", &["derbes"], start.as_deref())
}

/// Picks a backup file and checks it with `passphrase`.
#[tauri::command(async)]
pub fn backup_verify(
    session: State<'_, Session>,
    title: String,
    passphrase: String,
) -> CmdResult<Option<Summary>> {
    let p = Passphrase::existing(passphrase)?;
    let Some(path) = pick_backup(&session, &title)? else {
        return Ok(None);
    };
    let v = backup::verify(&path, &p)?;
    Ok(Some(Summary::of(&path, None, &v.manifest)))
}

/// Picks a backup and replaces the open vault with it (after checking it and keeping a safety
/// copy). Until the final swap the open vault is untouched.
#[tauri::command(async)]
pub fn backup_restore(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    title: String,
    passphrase: String,
) -> CmdResult<Option<Restored>> {
    let p = Passphrase::existing(passphrase)?;
    let Some(path) = pick_backup(&session, &title)? else {
        return Ok(None);
    };
    let mut s = session.get();
    let vault = s.vault.take().ok_or(derbes::Error::Locked)?;
    let prepared = match jobs
        .run(|progress| backup::prepare_restore_with(&vault, &path, &p, Utc::now(), progress))
    {
        Ok(pr) => pr,
        Err(e) => {
            s.vault = Some(vault);
            return Err(e.into());
        }
    };
    let said = Restored::of(
        Summary::of(&path, None, &prepared.verified.manifest),
        &prepared.safety_copy,
        &prepared.carried,
    );
    s.pending_import = None;
    let restored = backup::finish_restore(vault, prepared, &p, Utc::now())?;
    s.vault = Some(restored);
    Ok(Some(said))
}

#[tauri::command(async)]
pub fn backup_pick_folder(session: State<'_, Session>, title: String) -> CmdResult<Option<String>> {
    let picked = dialogs::pick_folder(&title, None)?;
    let shown = picked.as_ref().map(|d| d.display().to_string());
    if picked.is_some() {
        session.get().picked_folder = picked;
    }
    Ok(shown)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoDto {
    /// `keep` (the folder as it is), `picked` (the one chosen in the last native dialog) or `none`.
    folder: String,
    keep_daily: u32,
    keep_weekly: u32,
    keep_monthly: u32,
    remind_days: u32,
}

#[tauri::command]
pub fn backup_auto_set(session: State<'_, Session>, settings: AutoDto) -> CmdResult<Overview> {
    // The folder comes from the native dialog, never as a path from the page.
    let picked = session.get().picked_folder.clone();
    let dir = match settings.folder.as_str() {
        "none" => None,
        "picked" => Some(
            picked.ok_or(derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "auto_dir",
                code: "required",
            }]))?,
        ),
        _ => with_vault(&session, |v, _, _| backup::auto_settings(v))?.dir,
    };
    let s = AutoSettings {
        dir,
        keep: Rotation {
            daily: settings.keep_daily,
            weekly: settings.keep_weekly,
            monthly: settings.keep_monthly,
        },
        remind_days: settings.remind_days,
    };
    with_vault(&session, |v, today, now| {
        backup::set_auto_settings(v, &s, now)?;
        backup_view::overview(v, today)
    })
}

/// On the first screen, where there is no vault yet (a new computer): a backup file becomes the
/// vault, unlocked with the backup's passphrase.
#[tauri::command(async)]
pub fn backup_restore_new(
    session: State<'_, Session>,
    title: String,
    passphrase: String,
) -> CmdResult<Option<crate::dto::AppState>> {
    let p = Passphrase::existing(passphrase)?;
    let Some(path) = dialogs::open_file_in(&title, "Derbes", &["derbes"], None)? else {
        return Ok(None);
    };
    let target = session.get().target.clone();
    let vault = backup::restore_new(&target, &path, &p, Utc::now())?;
    {
        let mut s = session.get();
        s.vault = Some(vault);
        s.last_activity = crate::session::BootTime::now();
    }
    Ok(Some(crate::commands::app_state_of(&session)))
}
