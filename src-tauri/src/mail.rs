//! Commands of the mail folders (issue 19): the Maildir or mbox the office's mail program keeps,
//! chosen in the native dialog, read on unlock and on the user's button; the messages waiting to
//! be taken in or dismissed.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::CmdResult;
use crate::session::Session;
use chrono::{Local, Offset};
use derbes::requests::intake::Drafted;
use derbes::requests::mailbox::{self, Outcome, Source, Waiting};
use serde::Serialize;
use tauri::State;

fn office() -> chrono::FixedOffset {
    Local::now().offset().fix()
}

#[tauri::command]
pub fn mail_sources(session: State<'_, Session>) -> CmdResult<Vec<Source>> {
    with_vault(&session, |v, _, _| mailbox::sources(v.conn()))
}

/// Asks for the folder (`maildir`: a directory; `mbox`: a file) and adds it; `since` (a date, or
/// empty): messages sent before it are not offered. `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn mail_add_source(
    session: State<'_, Session>,
    format: String,
    since: String,
    title: String,
) -> CmdResult<Option<i64>> {
    let since = match since.trim() {
        "" => None,
        s => Some(derbes::base::input::parse_date(s).ok_or_else(|| {
            derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "since",
                code: "date.invalid",
            }])
        })?),
    };
    let picked = if format == "maildir" {
        dialogs::pick_folder(&title, None)?
    } else {
        dialogs::open_any_file(&title)?
    };
    let Some(path) = picked else {
        return Ok(None);
    };
    with_vault(&session, |v, _, now| {
        mailbox::add_source(v, &path, since, now).map(Some)
    })
}

#[tauri::command]
pub fn mail_remove_source(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    with_vault(&session, |v, _, now| mailbox::remove_source(v, id, now))
}

/// One folder's read: what it did, or why it could not be read.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Read {
    pub source_id: i64,
    pub outcome: Option<Outcome>,
    pub error: Option<derbes::Error>,
}

/// Reads every folder for what is new.
#[tauri::command(async)]
pub fn mail_read(session: State<'_, Session>) -> CmdResult<Vec<Read>> {
    with_vault(&session, |v, today, now| {
        Ok(mailbox::read_all(v, office(), today, now)?
            .into_iter()
            .map(|(source_id, r)| match r {
                Ok(o) => Read {
                    source_id,
                    outcome: Some(o),
                    error: None,
                },
                Err(e) => Read {
                    source_id,
                    outcome: None,
                    error: Some(e),
                },
            })
            .collect())
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitingPage {
    pub rows: Vec<Waiting>,
    pub total: i64,
}

#[tauri::command]
pub fn mail_waiting(
    session: State<'_, Session>,
    offset: i64,
    limit: i64,
) -> CmdResult<WaitingPage> {
    with_vault(&session, |v, _, _| {
        let (rows, total) = mailbox::waiting(v.conn(), offset.max(0), limit.clamp(1, 500))?;
        Ok(WaitingPage { rows, total })
    })
}

/// A waiting message as a pre-filled request form; nothing is written until it is registered.
#[tauri::command(async)]
pub fn mail_draft(session: State<'_, Session>, id: i64) -> CmdResult<Drafted> {
    with_vault(&session, |v, today, now| {
        mailbox::drafted(v.conn(), id, office(), today, now)
    })
}

#[tauri::command]
pub fn mail_dismiss(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    with_vault(&session, |v, _, now| mailbox::dismiss(v, id, now))
}
