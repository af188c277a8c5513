//! Commands of the letters: the letterhead in Settings, drafts and their preview, issuing, the
//! register, Save as… and printing. Each a call into the core, the dialogs and the printer the
//! shell's.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::CmdResult;
use crate::session::Session;
use derbes::documents::letterhead::{self, Letterhead};
use derbes::documents::letters::{self, Edits, Kind, Query, Row, Source};
use derbes::files::print;
use tauri::State;

#[tauri::command]
pub fn letterhead_get(session: State<'_, Session>) -> CmdResult<letterhead::View> {
    with_vault(&session, |v, today, _| letterhead::view(v.conn(), today))
}

#[tauri::command]
pub fn letterhead_set(
    session: State<'_, Session>,
    head: Letterhead,
) -> CmdResult<letterhead::View> {
    with_vault(&session, |v, today, now| {
        letterhead::save(v, &head, now)?;
        letterhead::view(v.conn(), today)
    })
}

/// Picks a PNG or JPEG with the native dialog and makes it the logo; `false` if cancelled.
#[tauri::command(async)]
pub fn letterhead_logo_pick(session: State<'_, Session>, title: String) -> CmdResult<bool> {
    let Some(path) = dialogs::open_file(&title, "PNG, JPEG", &["png", "jpg", "jpeg"])? else {
        return Ok(false);
    };
    // Through the logo's cap (and a regular file only); set_logo checks the size again.
    let bytes = derbes::base::limits::read_capped(
        &path,
        derbes::documents::letterhead::LOGO_MAX_BYTES as u64 + 1,
    )?;
    with_vault(&session, |v, _, now| {
        letterhead::set_logo(v, Some(&bytes), now)
    })?;
    Ok(true)
}

#[tauri::command]
pub fn letterhead_logo_remove(session: State<'_, Session>) -> CmdResult<()> {
    with_vault(&session, |v, _, now| letterhead::set_logo(v, None, now))
}

/// The documents that answer request `request_id`, the usual one first, each with the reason it
/// does not apply yet (a confirmation of what the vault does not show was done).
#[tauri::command]
pub fn letter_kind_list(
    session: State<'_, Session>,
    request_id: i64,
) -> CmdResult<Vec<letters::Offer>> {
    with_vault(&session, |v, today, _| {
        letters::offers(v.conn(), request_id, today)
    })
}

/// The wording Derbes proposes, for the preview and the editor.
#[tauri::command]
pub fn letter_draft(session: State<'_, Session>, source: Source) -> CmdResult<letters::Preview> {
    with_vault(&session, |v, today, _| {
        letters::preview(v.conn(), &source, today)
    })
}

#[tauri::command(async)]
pub fn letter_issue(session: State<'_, Session>, source: Source, edits: Edits) -> CmdResult<Row> {
    with_vault(&session, |v, today, now| {
        letters::issue(v, &source, &edits, today, now)
    })
}

#[tauri::command]
pub fn letter_list(
    session: State<'_, Session>,
    kind: Option<String>,
    year: Option<i32>,
    request_id: Option<i64>,
    text: Option<String>,
    offset: u32,
    limit: u32,
) -> CmdResult<letters::Page> {
    let q = Query {
        kind: kind.as_deref().and_then(Kind::parse),
        year,
        request_id,
        subject_id: None,
        text: text.unwrap_or_default(),
        limit,
        offset,
    };
    with_vault(&session, |v, _, _| letters::list(v.conn(), &q))
}

/// Save as…: the stored bytes, through the native dialog; the size written, `None` if cancelled.
#[tauri::command(async)]
pub fn letter_save(
    session: State<'_, Session>,
    id: i64,
    title: String,
) -> CmdResult<Option<usize>> {
    let number = with_vault(&session, |v, _, _| letters::row(v.conn(), id))?.number;
    // A file name from the number alone: slashes would make folders.
    let name = format!("{}.pdf", number.replace(['/', '\\'], "-"));
    let Some(path) = dialogs::save_file(&title, &name)? else {
        return Ok(None);
    };
    with_vault(&session, |v, _, now| {
        let pdf = letters::pdf(v.conn(), id)?;
        derbes::registry::export::to_file(&path, |w| Ok(w.write_all(&pdf)?))?;
        // Journaled once the file is complete, the letter by id only.
        derbes::registry::export::journal_leaving(v, "letter.saved", format!("letter {id}"), now)?;
        Ok(pdf.len())
    })
    .map(Some)
}

#[tauri::command(async)]
pub fn printer_list() -> CmdResult<Vec<print::Printer>> {
    Ok(print::printers()?)
}

/// Sends the stored PDF to `printer` through a pipe; returns the CUPS job id.
#[tauri::command(async)]
pub fn letter_print(session: State<'_, Session>, id: i64, printer: String) -> CmdResult<String> {
    let (number, pdf) = with_vault(&session, |v, _, _| {
        Ok((
            letters::row(v.conn(), id)?.number,
            letters::pdf(v.conn(), id)?,
        ))
    })?;
    let job = print::print(&printer, &number, &pdf)?;
    // Personal data left the vault on paper: journaled, the letter by id only.
    with_vault(&session, |v, _, now| {
        derbes::registry::export::journal_leaving(v, "letter.printed", format!("letter {id}"), now)
    })?;
    Ok(job)
}

/// What "Send by e-mail" did: which mail program opened the message, and to whom.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mailed {
    pub program: derbes::files::mailer::Program,
    pub to: String,
}

/// "Send by e-mail": a new message in the user's mail program to the requester, the PDF attached
/// from the private outbox (emptied when the window closes and on the next start). Journaled as
/// handed to the mail program, the letter by id only.
#[tauri::command(async)]
pub fn letter_mail(session: State<'_, Session>, id: i64) -> CmdResult<Mailed> {
    let reply = with_vault(&session, |v, _, _| letters::reply::reply(v.conn(), id))?;
    let path = derbes::files::outbox::put(&reply.file_name, &reply.pdf)?;
    let program = derbes::files::mailer::open(&derbes::files::mailer::Compose {
        to: &reply.to_address,
        subject: &reply.subject,
        body: &reply.text,
        attachment: &path,
    })?;
    with_vault(&session, |v, _, now| {
        derbes::registry::export::journal_leaving(
            v,
            "letter.emailed",
            format!("letter {id} via {}", program.name()),
            now,
        )
    })?;
    Ok(Mailed {
        program,
        to: reply.to_address,
    })
}

/// A kind's wording in one language for Settings: the one in force, the built-in one, the history.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Wording {
    pub current: letters::template::Template,
    pub builtin: letters::template::Template,
    pub history: Vec<letters::template::Version>,
    pub variables: &'static [&'static str],
}

fn editable_kind(kind: &str) -> CmdResult<letters::Kind> {
    letters::Kind::parse(kind)
        .filter(|k| letters::template::editable(*k))
        .ok_or_else(|| {
            derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "kind",
                code: "template.not_editable",
            }])
            .into()
        })
}

#[tauri::command]
pub fn template_get(
    session: State<'_, Session>,
    kind: String,
    lang: derbes::base::language::Language,
) -> CmdResult<Wording> {
    let kind = editable_kind(&kind)?;
    with_vault(&session, |v, _, _| {
        Ok(Wording {
            current: letters::template::current(v.conn(), kind, lang)?,
            builtin: letters::template::builtin(kind, lang),
            history: letters::template::history(v.conn(), kind, lang)?,
            variables: &letters::template::VARIABLES,
        })
    })
}

/// The text as the user has it now (not saved), filled with sample values.
#[tauri::command]
pub fn template_preview(
    kind: String,
    lang: derbes::base::language::Language,
    title: String,
    intro: Vec<String>,
    outro: Vec<String>,
) -> CmdResult<letters::template::Template> {
    let kind = editable_kind(&kind)?;
    Ok(letters::template::preview(&letters::template::Template {
        kind,
        lang,
        version: None,
        title,
        intro,
        outro,
    }))
}

#[tauri::command]
pub fn template_save(
    session: State<'_, Session>,
    kind: String,
    lang: derbes::base::language::Language,
    title: String,
    intro: Vec<String>,
    outro: Vec<String>,
) -> CmdResult<i64> {
    let kind = editable_kind(&kind)?;
    with_vault(&session, |v, _, now| {
        letters::template::save(v, kind, lang, &title, &intro, &outro, now)
    })
}

#[tauri::command]
pub fn template_reset(
    session: State<'_, Session>,
    kind: String,
    lang: derbes::base::language::Language,
) -> CmdResult<i64> {
    let kind = editable_kind(&kind)?;
    with_vault(&session, |v, _, now| {
        letters::template::reset(v, kind, lang, now)
    })
}
