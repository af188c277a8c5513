//! Commands of the transfers register, the list of states protecting personal data, and the
//! breaches register: each a call into the core (a transfer's typed date checked here first).

use crate::commands::with_vault;
use crate::dto::CmdResult;
use crate::registry::{save_table, today};
use crate::session::Session;
use derbes::registry::transfer::{self, Basis, Country, Transfer, TransferInput};
use derbes::requests::breach::{self, Breach, BreachInput};
use serde::Deserialize;
use tauri::State;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferArgs {
    subject_id: i64,
    recipient: String,
    country: String,
    category_ids: Vec<i64>,
    purpose_id: i64,
    basis: Basis,
    #[serde(default)]
    basis_ref: String,
    transferred_on: String,
    #[serde(default)]
    override_reason: Option<String>,
}

/// Records a transfer; refused (`transfer.refused`, the reason in `issues`) without a basis
/// unless `overrideReason` gives a written justification.
#[tauri::command]
pub fn transfer_record(session: State<'_, Session>, t: TransferArgs) -> CmdResult<i64> {
    let input = TransferInput {
        subject_id: t.subject_id,
        recipient: t.recipient,
        country: t.country,
        category_ids: t.category_ids,
        purpose_id: t.purpose_id,
        basis: t.basis,
        basis_ref: t.basis_ref,
        transferred_on: crate::dto::typed_date(&t.transferred_on, None, "transferred_on")?,
        override_reason: t.override_reason,
    };
    with_vault(&session, |v, _, now| transfer::record(v, &input, now))
}

#[tauri::command]
pub fn transfer_list(session: State<'_, Session>, subject_id: i64) -> CmdResult<Vec<Transfer>> {
    with_vault(&session, |v, _, _| {
        transfer::for_subject(v.conn(), subject_id)
    })
}

#[tauri::command(async)]
pub fn transfers_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-transfers-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "transfers.exported",
        |v, w, format| {
            let n = transfer::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

#[tauri::command]
pub fn adequate_country_list(session: State<'_, Session>) -> CmdResult<Vec<Country>> {
    with_vault(&session, |v, _, _| transfer::adequate_countries(v.conn()))
}

#[tauri::command]
pub fn adequate_country_add(session: State<'_, Session>, country: Country) -> CmdResult<()> {
    with_vault(&session, |v, _, now| {
        transfer::add_adequate(v, &country, now)
    })
}

#[tauri::command]
pub fn adequate_country_remove(session: State<'_, Session>, code: String) -> CmdResult<()> {
    with_vault(&session, |v, _, now| {
        transfer::remove_adequate(v, &code, now)
    })
}

#[tauri::command]
pub fn breach_list(session: State<'_, Session>) -> CmdResult<Vec<Breach>> {
    with_vault(&session, |v, today, _| breach::list(v.conn(), today))
}

#[tauri::command]
pub fn breach_register(session: State<'_, Session>, breach: BreachInput) -> CmdResult<i64> {
    with_vault(&session, |v, today, now| {
        breach::register(v, &breach, today, now)
    })
}

#[tauri::command]
pub fn breach_update(session: State<'_, Session>, id: i64, breach: BreachInput) -> CmdResult<()> {
    with_vault(&session, |v, today, now| {
        breach::update(v, id, &breach, today, now)
    })
}

#[tauri::command]
pub fn breach_notified(
    session: State<'_, Session>,
    id: i64,
    on: String,
    notice_ref: String,
) -> CmdResult<()> {
    let on = crate::dto::typed_date(&on, None, "notified_on")?;
    with_vault(&session, |v, today, now| {
        breach::notified(v, id, on, &notice_ref, today, now)
    })
}

#[tauri::command]
pub fn breach_close(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    with_vault(&session, |v, today, now| breach::close(v, id, today, now))
}

/// The requests register as a workbook (or CSV), for the office's records or an inspection.
#[tauri::command(async)]
pub fn requests_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-requests-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "requests.exported",
        |v, w, format| {
            let n = derbes::requests::request::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

/// The register of issued documents as a workbook (or CSV).
#[tauri::command(async)]
pub fn letters_register_export(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-letters-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "letters.register_exported",
        |v, w, format| {
            let n = derbes::documents::letters::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

/// The journal with its hash chain as a workbook (or CSV).
#[tauri::command(async)]
pub fn journal_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-journal-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "journal.exported",
        |v, w, format| {
            let n = derbes::vault::journal::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}
