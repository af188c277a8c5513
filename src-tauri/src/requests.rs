//! Commands of the Requests area, the calendar in Settings and the period report: each a call into
//! the core with the core's types, the native dialogs around the imports and exports.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::{CmdResult, CommandError};
use crate::registry::{save_export, today};
use crate::session::Session;
use chrono::{Local, Offset, Utc};
use derbes::registry::subject::SubjectInput;
use derbes::requests::correction::{self, RequestEdit};
use derbes::requests::request::{self, ListQuery, RequestInput, View};
use derbes::requests::workdays::{self, DayChange, ImportMode};
use derbes::requests::workflow::{self, Step};
use derbes::requests::{intake, journal_import, search};
use derbes::{RequestKind, requests::report};
use serde::Deserialize;
use tauri::State;

#[tauri::command]
pub fn request_list(
    session: State<'_, Session>,
    view: String,
    kind: Option<RequestKind>,
    offset: u32,
    limit: u32,
) -> CmdResult<request::ListPage> {
    let q = ListQuery {
        view: View::parse(&view).unwrap_or_default(),
        kind,
        subject_id: None,
        offset,
        limit,
    };
    with_vault(&session, |v, today, _| request::list(v.conn(), &q, today))
}

/// Asks for the journal of requests kept before Derbes, reads and checks it; nothing is written.
#[tauri::command(async)]
pub fn request_import_open(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<journal_import::Preview>> {
    let Some(path) = dialogs::open_file(
        &title,
        "CSV, Excel, OpenDocument",
        crate::registry::TABLE_FILES,
    )?
    else {
        return Ok(None);
    };
    let table = derbes::files::sheet::read_table(&path)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = session.get();
    let v = s.vault.as_ref().ok_or(derbes::Error::Locked)?;
    let report = journal_import::check(v.conn(), &table, today())?.report;
    s.pending_journal = Some(table);
    Ok(Some(journal_import::Preview { file_name, report }))
}

/// Writes the journal read by `request_import_open`, checked again (the vault may have changed).
#[tauri::command(async)]
pub fn request_import_commit(
    session: State<'_, Session>,
    skip_invalid: bool,
) -> CmdResult<journal_import::Report> {
    let mut s = session.get();
    let table = s
        .pending_journal
        .take()
        .ok_or_else(|| CommandError::new("import.none", "no file is being imported"))?;
    let vault = s.vault.as_mut().ok_or(derbes::Error::Locked)?;
    let result = journal_import::check(vault.conn(), &table, today()).and_then(|checked| {
        journal_import::commit(vault, checked, skip_invalid, today(), Utc::now())
    });
    if result.is_err() {
        s.pending_journal = Some(table);
    }
    Ok(result?)
}

/// Requests found by words (who wrote, numbers, text) and received dates, the latest first.
#[tauri::command]
pub fn request_search(
    session: State<'_, Session>,
    query: search::Query,
) -> CmdResult<search::Found> {
    with_vault(&session, |v, today, _| {
        search::search(v.conn(), &query, today)
    })
}

/// Corrects a request's fields; returns the fields changed.
#[tauri::command]
pub fn request_edit(
    session: State<'_, Session>,
    id: i64,
    edit: RequestEdit,
) -> CmdResult<Vec<&'static str>> {
    with_vault(&session, |v, today, now| {
        correction::edit(v, id, &edit, today, now)
    })
}

/// Attaches a request from someone not registered then to their subject.
#[tauri::command]
pub fn request_attach(session: State<'_, Session>, id: i64, subject_id: i64) -> CmdResult<()> {
    with_vault(&session, |v, _, now| {
        correction::attach(v, id, subject_id, now)
    })
}

/// The new subject's form as the request pre-fills it.
#[tauri::command]
pub fn request_subject_draft(session: State<'_, Session>, id: i64) -> CmdResult<SubjectInput> {
    with_vault(&session, |v, _, _| correction::subject_draft(v.conn(), id))
}

/// Registers the requester as a subject and attaches the request to them; returns the subject.
#[tauri::command]
pub fn request_create_subject(
    session: State<'_, Session>,
    id: i64,
    subject: SubjectInput,
) -> CmdResult<i64> {
    with_vault(&session, |v, today, now| {
        correction::create_subject(v, id, &subject, today, now)
    })
}

#[tauri::command]
pub fn request_get(session: State<'_, Session>, id: i64) -> CmdResult<request::Detail> {
    with_vault(&session, |v, today, _| request::detail(v.conn(), id, today))
}

/// A request as the form sends it; from an e-mail draft, also where the message came from.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestArgs {
    #[serde(flatten)]
    input: RequestInput,
    #[serde(default)]
    message_key: Option<String>,
    #[serde(default)]
    sender_raw: String,
    #[serde(default)]
    intake_note: String,
    #[serde(default)]
    message_id: Option<String>,
}

#[tauri::command]
pub fn request_create(session: State<'_, Session>, request: RequestArgs) -> CmdResult<i64> {
    let mail = request::MailOrigin {
        key: request.message_key.filter(|k| !k.is_empty()),
        sender_raw: request.sender_raw,
        // Only the one note Derbes itself writes.
        note: if request.intake_note == "date.implausible" {
            request.intake_note
        } else {
            String::new()
        },
        message_id: request.message_id.filter(|m| !m.is_empty()),
    };
    with_vault(&session, |v, today, now| {
        request::create_from_mail(v, &request.input, &mail, today, now)
    })
}

/// Likely duplicates of a request about to be registered.
#[tauri::command]
pub fn request_duplicates(
    session: State<'_, Session>,
    subject_id: i64,
    kind: RequestKind,
) -> CmdResult<Vec<i64>> {
    with_vault(&session, |v, today, _| {
        request::likely_duplicates(v.conn(), subject_id, kind, today)
    })
}

/// One step of the request's workflow (see `derbes::requests::workflow::Step`).
#[tauri::command]
pub fn request_step(session: State<'_, Session>, id: i64, step: Step) -> CmdResult<()> {
    with_vault(&session, |v, today, now| {
        workflow::take(v, id, &step, today, now)
    })
}

fn office_offset() -> chrono::FixedOffset {
    Local::now().offset().fix()
}

/// Asks for one or more `.eml` files and drafts a request from each; nothing is written yet.
#[tauri::command(async)]
pub fn intake_open_eml(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Vec<intake::Drafted>> {
    let files = dialogs::open_files(&title, "E-mail", &["eml", "txt"])?;
    let mut out = Vec::with_capacity(files.len());
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes =
            match derbes::base::limits::read_capped(&path, derbes::files::eml::MAX_BYTES as u64) {
                Ok(b) => b,
                Err(e) => {
                    out.push(intake::Drafted::failed(name, e));
                    continue;
                }
            };
        let d = with_vault(&session, |v, today, _| {
            Ok(intake::drafted(
                v.conn(),
                name.clone(),
                &bytes,
                office_offset(),
                today,
            ))
        })?;
        out.push(d);
    }
    Ok(out)
}

/// Drafts a request from message text pasted from a mail program.
#[tauri::command]
pub fn intake_paste(session: State<'_, Session>, text: String) -> CmdResult<intake::Drafted> {
    with_vault(&session, |v, today, _| {
        Ok(intake::drafted(
            v.conn(),
            String::new(),
            text.as_bytes(),
            office_offset(),
            today,
        ))
    })
}

#[tauri::command]
pub fn calendar_year(session: State<'_, Session>, year: i32) -> CmdResult<workdays::YearView> {
    with_vault(&session, |v, _, _| workdays::show_year(v.conn(), year))
}

/// Marks a day; returns how many open due dates moved.
#[tauri::command]
pub fn calendar_set(
    session: State<'_, Session>,
    day: String,
    change: String,
    note: String,
) -> CmdResult<usize> {
    let day = crate::dto::typed_date(&day, None, "day")?;
    let change = match change.as_str() {
        "off" => DayChange::Off,
        "working" => DayChange::Working,
        _ => DayChange::Plain,
    };
    with_vault(&session, |v, today, now| {
        workdays::set_day(v, day, change, &note, today, now)
    })
}

fn mode_of(replace: bool) -> ImportMode {
    if replace {
        ImportMode::Replace
    } else {
        ImportMode::Merge
    }
}

/// Asks for a CSV and previews merging it into `year` (or replacing it); `None` if cancelled.
#[tauri::command(async)]
pub fn calendar_import(
    session: State<'_, Session>,
    year: i32,
    replace: bool,
    title: String,
) -> CmdResult<Option<workdays::Preview>> {
    workdays::check_year(year)?;
    let Some(path) = dialogs::open_file(&title, "CSV", &["csv", "txt"])? else {
        return Ok(None);
    };
    let table = derbes::files::csv_table::read_file(&path)?;
    with_vault(&session, |v, _, _| {
        workdays::preview(v.conn(), &table, year, mode_of(replace)).map(Some)
    })
}

/// Writes the rows a preview showed; returns how many open due dates moved.
#[tauri::command]
pub fn calendar_import_apply(
    session: State<'_, Session>,
    year: i32,
    replace: bool,
    rows: Vec<workdays::PreviewRow>,
) -> CmdResult<usize> {
    with_vault(&session, |v, today, now| {
        workdays::apply_rows(v, year, mode_of(replace), &rows, today, now)
    })
}

fn period_of(s: &str) -> CmdResult<report::Period> {
    report::Period::parse(s).ok_or_else(|| CommandError::new("period.invalid", "not a period"))
}

#[tauri::command]
pub fn report_period(session: State<'_, Session>, period: String) -> CmdResult<report::View> {
    let p = period_of(&period)?;
    // Read before `with_vault`, which holds the session's lock.
    let lang = session.get().prefs.language;
    with_vault(&session, |v, today, _| {
        report::view(v.conn(), p, lang, today)
    })
}

/// Asks where to save the report of `period` and writes it with `write`; `None` if cancelled.
fn export_report(
    session: &Session,
    period: &str,
    title: &str,
    extension: &str,
    write: impl FnOnce(
        &report::Report,
        crate::prefs::Language,
        &mut dyn std::io::Write,
    ) -> derbes::Result<()>,
) -> CmdResult<Option<usize>> {
    let p = period_of(period)?;
    let lang = session.get().prefs.language;
    let name = format!("derbes-report-{period}.{extension}");
    save_export(session, title, &name, "report.exported", |v, w| {
        let r = report::period(v.conn(), p, today())?;
        write(&r, lang, w)?;
        Ok(r.lines.len())
    })
}

#[tauri::command(async)]
pub fn report_export_csv(
    session: State<'_, Session>,
    period: String,
    title: String,
) -> CmdResult<Option<usize>> {
    export_report(&session, &period, &title, "csv", |r, lang, w| {
        report::to_csv(r, lang, w)
    })
}

#[tauri::command(async)]
pub fn report_export_pdf(
    session: State<'_, Session>,
    period: String,
    title: String,
) -> CmdResult<Option<usize>> {
    export_report(&session, &period, &title, "pdf", |r, lang, w| {
        Ok(w.write_all(&report::to_pdf(r, lang, Utc::now())?)?)
    })
}

/// The deadline terms by kind of request, with their sources.
#[tauri::command]
pub fn deadline_rule_list(
    session: State<'_, Session>,
) -> CmdResult<Vec<derbes::base::deadline::Rule>> {
    with_vault(&session, |v, _, _| workdays::rule_list(v.conn()))
}

/// Changes one term; returns how many open due dates moved.
#[tauri::command]
pub fn deadline_rule_set(
    session: State<'_, Session>,
    kind: RequestKind,
    count: u32,
    unit: derbes::base::deadline::Unit,
    source: String,
) -> CmdResult<usize> {
    with_vault(&session, |v, today, now| {
        workdays::set_rule(v, kind, count, unit, &source, today, now)
    })
}
