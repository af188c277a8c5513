//! Native file dialogs (rfd, GTK). Called from worker threads: rfd hands the dialog to the GTK main
//! loop, which Tauri runs on the main thread, and waits here for the answer.

use crate::dto::{CmdResult, CommandError};
use std::path::PathBuf;

fn ensure_display() -> CmdResult<()> {
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        // Without a display the dialog would wait forever.
        return Err(CommandError::new(
            "dialog.unavailable",
            "no display for the file dialog",
        ));
    }
    Ok(())
}

pub fn open_file(title: &str, filter: &str, extensions: &[&str]) -> CmdResult<Option<PathBuf>> {
    ensure_display()?;
    Ok(rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter, extensions)
        .pick_file())
}

pub fn open_files(title: &str, filter: &str, extensions: &[&str]) -> CmdResult<Vec<PathBuf>> {
    ensure_display()?;
    Ok(rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter, extensions)
        .pick_files()
        .unwrap_or_default())
}

pub fn save_file(title: &str, default_name: &str) -> CmdResult<Option<PathBuf>> {
    ensure_display()?;
    Ok(rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(default_name)
        .save_file())
}

/// A folder, the chooser opened in `start` (or the home folder): without a current folder
/// GTK's chooser shows "Recent" and cannot take a typed folder.
pub fn pick_folder(title: &str, start: Option<&std::path::Path>) -> CmdResult<Option<PathBuf>> {
    ensure_display()?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut d = rfd::FileDialog::new().set_title(title);
    if let Some(dir) = start
        .map(std::path::Path::to_path_buf)
        .or(home)
        .filter(|d| d.is_dir())
    {
        d = d.set_directory(dir);
    }
    Ok(d.pick_folder())
}

/// A file, the chooser opened in `start` (or the home folder).
pub fn open_file_in(
    title: &str,
    filter: &str,
    extensions: &[&str],
    start: Option<&std::path::Path>,
) -> CmdResult<Option<PathBuf>> {
    ensure_display()?;
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut d = rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter, extensions);
    if let Some(dir) = start
        .map(std::path::Path::to_path_buf)
        .or(home)
        .filter(|d| d.is_dir())
    {
        d = d.set_directory(dir);
    }
    Ok(d.pick_file())
}

/// Any file, with no filter (an mbox has no extension: Thunderbird's is `Inbox`), the chooser
/// opened in the home folder.
pub fn open_any_file(title: &str) -> CmdResult<Option<PathBuf>> {
    ensure_display()?;
    let mut d = rfd::FileDialog::new().set_title(title);
    if let Some(home) = std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
    {
        d = d.set_directory(home);
    }
    Ok(d.pick_file())
}
