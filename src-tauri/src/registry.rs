//! Commands of the Subjects area and the journal: each a call into the core with the core's types,
//! plus what the shell owns — the native dialogs, the file being imported, exports journaled once
//! written.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::{CmdResult, CommandError};
use crate::session::{PendingImport, Session};
use chrono::{Local, NaiveDate, Utc};
use derbes::registry::bulk;
use derbes::registry::card;
use derbes::registry::consent::ConsentInput;
use derbes::registry::holding::HoldingInput;
use derbes::registry::import::Mapping;
use derbes::registry::search::Query;
use derbes::registry::subject::SubjectInput;
use derbes::{
    registry::catalog, registry::consent, registry::holding, registry::import, registry::search,
    registry::subject, registry::suppression,
};
use tauri::State;

pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}

#[tauri::command]
pub fn catalog_list(session: State<'_, Session>) -> CmdResult<catalog::Catalogs> {
    with_vault(&session, |v, _, _| catalog::all(v.conn()))
}

/// How many a bulk change would touch; nothing is written.
#[tauri::command]
pub fn bulk_preview(
    session: State<'_, Session>,
    selection: bulk::Selection,
    change: bulk::Change,
) -> CmdResult<bulk::Outcome> {
    with_vault(&session, |v, today, _| {
        bulk::preview(v.conn(), &selection, &change, today)
    })
}

/// Carries a bulk change out in one transaction.
#[tauri::command]
pub fn bulk_run(
    session: State<'_, Session>,
    selection: bulk::Selection,
    change: bulk::Change,
) -> CmdResult<bulk::Outcome> {
    with_vault(&session, |v, today, now| {
        bulk::run(v, &selection, &change, today, now)
    })
}

#[tauri::command]
pub fn subject_search(session: State<'_, Session>, query: Query) -> CmdResult<search::Page> {
    with_vault(&session, |v, today, _| {
        search::search(v.conn(), &query, today)
    })
}

#[tauri::command]
pub fn subject_create(session: State<'_, Session>, subject: SubjectInput) -> CmdResult<i64> {
    with_vault(&session, |v, today, now| {
        subject::create(v, &subject, today, now)
    })
}

#[tauri::command]
pub fn subject_update(
    session: State<'_, Session>,
    id: i64,
    subject: SubjectInput,
    request_id: Option<i64>,
) -> CmdResult<()> {
    with_vault(&session, |v, today, now| {
        subject::update_serving(v, id, &subject, request_id, today, now)
    })
}

/// Opens a card: recorded in the journal as an access.
#[tauri::command]
pub fn subject_card(session: State<'_, Session>, id: i64) -> CmdResult<card::Card> {
    with_vault(&session, |v, today, now| card::open_card(v, id, today, now))
}

#[tauri::command]
pub fn consent_record(
    session: State<'_, Session>,
    subject_id: i64,
    consent: ConsentInput,
) -> CmdResult<i64> {
    with_vault(&session, |v, today, now| {
        consent::record(v, subject_id, &consent, today, now)
    })
}

#[tauri::command]
pub fn consent_withdraw(
    session: State<'_, Session>,
    consent_id: i64,
    on: String,
    channel: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let on = crate::dto::typed_date(&on, Some(today()), "date")?;
    with_vault(&session, |v, _, now| {
        consent::withdraw(v, consent_id, on, &channel, request_id, now)
    })
}

/// Suspends a subject's processing, with the stated basis or for a request.
#[tauri::command]
pub fn subject_block(
    session: State<'_, Session>,
    subject_id: i64,
    basis: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let b = derbes::registry::blocking::Basis {
        request_id,
        text: basis,
    };
    with_vault(&session, |v, _, now| {
        derbes::registry::blocking::block(v, subject_id, &b, now)
    })
}

/// Lifts a block, with the reason.
#[tauri::command]
pub fn subject_unblock(
    session: State<'_, Session>,
    subject_id: i64,
    basis: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let b = derbes::registry::blocking::Basis {
        request_id,
        text: basis,
    };
    with_vault(&session, |v, _, now| {
        derbes::registry::blocking::unblock(v, subject_id, &b, now)
    })
}

#[tauri::command]
pub fn marketing_refuse(
    session: State<'_, Session>,
    subject_id: i64,
    on: String,
    channel: String,
    request_id: Option<i64>,
) -> CmdResult<i64> {
    let on = crate::dto::typed_date(&on, Some(today()), "date")?;
    with_vault(&session, |v, _, now| {
        suppression::refuse_marketing(v, subject_id, on, &channel, request_id, now)
    })
}

#[tauri::command]
pub fn holding_add(
    session: State<'_, Session>,
    subject_id: i64,
    holding: HoldingInput,
) -> CmdResult<i64> {
    with_vault(&session, |v, today, now| {
        holding::add(v, subject_id, &holding, today, now)
    })
}

#[tauri::command]
pub fn holding_remove(session: State<'_, Session>, holding_id: i64) -> CmdResult<()> {
    with_vault(&session, |v, _, now| holding::remove(v, holding_id, now))
}

/// Records the refusal of marketing request `request_id` carries: its subject's, or, when the
/// sender is not in the registry, the sender's address on the stop-list.
#[tauri::command]
pub fn marketing_refuse_from_request(
    session: State<'_, Session>,
    request_id: i64,
) -> CmdResult<derbes::requests::refusal::FromRequest> {
    with_vault(&session, |v, today, now| {
        derbes::requests::refusal::refuse_from_request(v, request_id, today, now)
    })
}

#[tauri::command]
pub fn suppression_list(session: State<'_, Session>) -> CmdResult<Vec<suppression::Listed>> {
    with_vault(&session, |v, today, _| suppression::listed(v.conn(), today))
}

// ---- files: import, export, cleaning (native dialogs) ----

fn preview_of(
    s: &crate::session::Inner,
    table: &derbes::files::csv_table::Table,
    file_name: &str,
    mapping: &Mapping,
    add_unknown: bool,
) -> CmdResult<(import::Preview, Option<import::Checked>)> {
    let v = s.vault.as_ref().ok_or(derbes::Error::Locked)?;
    Ok(import::preview(
        v.conn(),
        table,
        file_name,
        mapping,
        add_unknown,
        today(),
    ))
}

/// The tables a user may bring: CSV and the workbooks of Excel and LibreOffice.
pub(crate) const TABLE_FILES: &[&str] = &["csv", "txt", "xlsx", "xlsm", "xls", "ods"];

/// Asks for a CSV file or a workbook, reads and checks it; nothing is written yet.
#[tauri::command(async)]
pub fn import_open(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<import::Preview>> {
    let Some(path) = dialogs::open_file(&title, "CSV, Excel, OpenDocument", TABLE_FILES)? else {
        return Ok(None);
    };
    let table = derbes::files::sheet::read_table(&path)?;
    import::check_headers(&table.headers)?;
    let mapping = import::guess_mapping(&table.headers);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = session.get();
    let (preview, checked) = preview_of(&s, &table, &name, &mapping, false)?;
    s.pending_import = Some(PendingImport {
        table,
        name,
        checked,
    });
    Ok(Some(preview))
}

/// Re-checks the pending file with another column mapping, or with the catalogues' missing names
/// to be added.
#[tauri::command]
pub fn import_remap(
    session: State<'_, Session>,
    mapping: Vec<Option<String>>,
    add_unknown: bool,
) -> CmdResult<import::Preview> {
    let mut s = session.get();
    let pending = s
        .pending_import
        .take()
        .ok_or_else(|| CommandError::new("import.none", "no file is being imported"))?;
    let result = preview_of(
        &s,
        &pending.table,
        &pending.name,
        &Mapping::of_names(&mapping),
        add_unknown,
    );
    let (preview, checked) = match result {
        Ok(x) => x,
        Err(e) => {
            s.pending_import = Some(pending);
            return Err(e);
        }
    };
    s.pending_import = Some(PendingImport { checked, ..pending });
    Ok(preview)
}

#[tauri::command(async)]
pub fn import_commit(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    mapping: Vec<Option<String>>,
    options: import::Options,
) -> CmdResult<import::Report> {
    let mut s = session.get();
    let pending = s
        .pending_import
        .take()
        .ok_or_else(|| CommandError::new("import.none", "no file is being imported"))?;
    let mapping = Mapping::of_names(&mapping);
    let vault = s.vault.as_mut().ok_or(derbes::Error::Locked)?;
    let result = match pending.checked {
        Some(c) if *c.mapping() == mapping => Ok(c),
        _ => import::check_adding(
            vault.conn(),
            &pending.table,
            &mapping,
            options.add_unknown,
            today(),
        ),
    }
    .and_then(|checked| {
        jobs.run(|progress| {
            import::commit_with(
                vault,
                &pending.table,
                checked,
                options,
                Utc::now(),
                progress,
            )
        })
    });
    if result.is_err() {
        // Keep the file so that the user can change the options and try again.
        s.pending_import = Some(PendingImport {
            checked: None,
            ..pending
        });
    }
    Ok(result?)
}

/// Asks where to save `default_name`, then writes it with `write` (atomically); `None` if cancelled.
/// Once the file is complete it is journaled as `leaving` with the count `write` returned (what
/// failed is not journaled: nothing left the vault).
pub(crate) fn save_export(
    session: &Session,
    title: &str,
    default_name: &str,
    leaving: &'static str,
    write: impl FnOnce(&mut derbes::Vault, &mut dyn std::io::Write) -> derbes::Result<usize>,
) -> CmdResult<Option<usize>> {
    save_table(session, title, default_name, leaving, |v, w, _| write(v, w))
}

/// Like [`save_export`] for a table: written as `.xlsx` or CSV by the extension the user chose.
pub(crate) fn save_table(
    session: &Session,
    title: &str,
    default_name: &str,
    leaving: &'static str,
    write: impl FnOnce(
        &mut derbes::Vault,
        &mut dyn std::io::Write,
        derbes::files::sheet::Format,
    ) -> derbes::Result<usize>,
) -> CmdResult<Option<usize>> {
    let Some(path) = dialogs::save_file(title, default_name)? else {
        return Ok(None);
    };
    let format = derbes::files::sheet::Format::of(&path);
    with_vault(session, |v, _, now| {
        let n = derbes::registry::export::to_file(&path, |w| write(v, w, format))?;
        derbes::registry::export::journal_leaving(v, leaving, n.to_string(), now)?;
        Ok(n)
    })
    .map(Some)
}

#[tauri::command(async)]
pub fn subjects_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    // A workbook by default: a CSV opened in a spreadsheet loses IINs' leading zeros.
    let name = format!("derbes-subjects-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "subjects.exported",
        |v, w, format| derbes::registry::export::subjects(v.conn(), w, format, lang),
    )
}

#[tauri::command(async)]
pub fn suppression_export(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<suppression::Exported>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-suppression-{}.xlsx", today());
    let mut hashed = 0;
    let lines = save_table(
        &session,
        &title,
        &name,
        "suppression.exported",
        |v, w, format| {
            let done = suppression::export(v.conn(), w, format, lang, today())?;
            hashed = done.hashed;
            Ok(done.lines)
        },
    )?;
    Ok(lines.map(|lines| suppression::Exported { lines, hashed }))
}

/// Asks for a mailing list, then where to save the cleaned copy.
#[tauri::command(async)]
pub fn mailing_list_clean(
    session: State<'_, Session>,
    open_title: String,
    save_title: String,
    require_consent: bool,
) -> CmdResult<Option<suppression::CleanReport>> {
    let Some(input) = dialogs::open_file(&open_title, "CSV, Excel, OpenDocument", TABLE_FILES)?
    else {
        return Ok(None);
    };
    let table = derbes::files::sheet::read_table(&input)?;
    let stem = input
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "list".into());
    let Some(output) = dialogs::save_file(&save_title, &format!("{stem}-clean.csv"))? else {
        return Ok(None);
    };
    with_vault(&session, |v, today, now| {
        let r = derbes::registry::export::to_file(&output, |w| {
            suppression::clean(v.conn(), &table, w, require_consent, today)
        })?;
        derbes::registry::export::journal_leaving(
            v,
            "mailing_list.cleaned",
            format!("{} rows, {} removed", r.rows, r.removed),
            now,
        )?;
        Ok(r)
    })
    .map(Some)
}

#[tauri::command]
pub fn journal_recent(
    session: State<'_, Session>,
    limit: u32,
) -> CmdResult<Vec<derbes::vault::journal::Stored>> {
    with_vault(&session, |v, _, _| {
        derbes::vault::journal::recent(v.conn(), limit.min(1000))
    })
}

#[tauri::command(async)]
pub fn journal_verify(session: State<'_, Session>) -> CmdResult<u64> {
    with_vault(&session, |v, _, _| derbes::vault::journal::verify(v.conn()))
}

/// The live check of the vault (issue 16): on the button in Settings, and with `weekly` after an
/// unlock, where it runs only when the last check is a week old (then `None` when not due).
#[tauri::command(async)]
pub fn vault_check(
    session: State<'_, Session>,
    weekly: bool,
) -> CmdResult<Option<derbes::vault::check::Report>> {
    with_vault(&session, |v, today, now| {
        if weekly && !derbes::vault::check::due(v, today)? {
            return Ok(None);
        }
        let report = derbes::vault::check::run(v)?;
        // A damaged vault may refuse the write that records the check; the result stands.
        if let Err(e) = derbes::vault::check::record(v, &report, now) {
            tracing::warn!(code = e.code(), "the check could not be journaled");
        }
        Ok(Some(report))
    })
}

/// Adds an entry to a catalogue (`id` null) or changes one.
#[tauri::command]
pub fn catalog_item_save(
    session: State<'_, Session>,
    table: catalog::CatalogTable,
    id: Option<i64>,
    item: catalog::ItemInput,
) -> CmdResult<i64> {
    with_vault(&session, |v, _, now| {
        catalog::save_item(v, table, id, &item, now)
    })
}

/// Adds a starter kit's catalogues (clinic, school, shop) to the vault, each period to be checked.
#[tauri::command]
pub fn catalog_starter_apply(
    session: State<'_, Session>,
    kit: derbes::app::starter::Kit,
) -> CmdResult<derbes::app::starter::Applied> {
    with_vault(&session, |v, _, now| {
        derbes::app::starter::apply(v, kit, now)
    })
}

/// Sets (or, with `days` null, removes) a purpose's retention for a category of people.
#[tauri::command]
pub fn catalog_retention_set(
    session: State<'_, Session>,
    retention: catalog::CategoryRetention,
    remove: bool,
) -> CmdResult<()> {
    with_vault(&session, |v, _, now| {
        catalog::set_category_retention(
            v,
            retention.purpose_id,
            retention.subject_category_id,
            (!remove).then_some(retention.days),
            retention.source.as_deref().filter(|s| !s.is_empty()),
            &retention.note,
            now,
        )
    })
}

#[tauri::command]
pub fn policy_version_add(
    session: State<'_, Session>,
    version: String,
    effective_from: String,
) -> CmdResult<i64> {
    let from = crate::dto::typed_date(&effective_from, Some(today()), "date")?;
    with_vault(&session, |v, _, now| {
        catalog::add_policy_version(v, &version, from, now)
    })
}
