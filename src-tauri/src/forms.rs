//! Commands of the paper consent forms (issue 19): printed (saved or sent to a CUPS queue), and
//! recorded by the number a USB scanner types from the form's QR code.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::CmdResult;
use crate::session::Session;
use derbes::documents::consent_form::{self, Form, FormInput};
use tauri::State;

#[tauri::command]
pub fn consent_form_issue(session: State<'_, Session>, input: FormInput) -> CmdResult<Form> {
    with_vault(&session, |v, today, now| {
        consent_form::issue(v, &input, today, now).map(|(f, _)| f)
    })
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormPage {
    pub rows: Vec<Form>,
    pub total: i64,
}

#[tauri::command]
pub fn consent_form_list(
    session: State<'_, Session>,
    offset: i64,
    limit: i64,
) -> CmdResult<FormPage> {
    with_vault(&session, |v, _, _| {
        let (rows, total) = consent_form::list(v.conn(), offset.max(0), limit.clamp(1, 500))?;
        Ok(FormPage { rows, total })
    })
}

/// Save as…: the form's PDF through the native dialog; the size written, `None` if cancelled.
#[tauri::command(async)]
pub fn consent_form_save(
    session: State<'_, Session>,
    id: i64,
    title: String,
) -> CmdResult<Option<usize>> {
    let number = with_vault(&session, |v, _, _| consent_form::get(v.conn(), id))?.number;
    let Some(path) = dialogs::save_file(&title, &format!("{number}.pdf"))? else {
        return Ok(None);
    };
    with_vault(&session, |v, _, now| {
        let pdf = consent_form::pdf(v.conn(), id)?;
        derbes::registry::export::to_file(&path, |w| Ok(w.write_all(&pdf)?))?;
        derbes::registry::export::journal_leaving(
            v,
            "consent_form.saved",
            format!("form {id}"),
            now,
        )?;
        Ok(pdf.len())
    })
    .map(Some)
}

/// Sends the form to `printer`; returns the CUPS job id.
#[tauri::command(async)]
pub fn consent_form_print(
    session: State<'_, Session>,
    id: i64,
    printer: String,
) -> CmdResult<String> {
    let pdf = with_vault(&session, |v, _, _| consent_form::pdf(v.conn(), id))?;
    let job = derbes::files::print::print(&printer, &format!("form-{id}"), &pdf)?;
    with_vault(&session, |v, _, now| {
        derbes::registry::export::journal_leaving(
            v,
            "consent_form.printed",
            format!("form {id}"),
            now,
        )
    })?;
    Ok(job)
}

/// Records a signed form by its number; returns the consent's id and the person's.
#[tauri::command]
pub fn consent_form_record(
    session: State<'_, Session>,
    number: String,
    subject_id: Option<i64>,
    signed_on: String,
) -> CmdResult<(i64, i64)> {
    with_vault(&session, |v, today, now| {
        let signed = if signed_on.trim().is_empty() {
            today.to_string()
        } else {
            signed_on
        };
        let consent = consent_form::record(v, &number, subject_id, &signed, today, now)?;
        let subject: i64 = v.conn().query_row(
            "SELECT subject_id FROM consent WHERE id = ?1",
            [consent],
            |r| r.get(0),
        )?;
        Ok((consent, subject))
    })
}
