//! Commands of the Requests area, the calendar in Settings and the period report: translate page
//! values to core types and back.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::{CmdResult, CommandError};
use crate::registry::{JournalRow, save_export, today};
use crate::session::Session;
use chrono::{Local, NaiveDate, Offset, Utc};
use derbes::base::calendar::{DayOverride, Reason};
use derbes::base::deadline::Standing;
use derbes::requests::intake::Draft;
use derbes::requests::request::{
    self, Channel, IdentityMethod, ListQuery, PauseReason, RequestInput, View,
};
use derbes::requests::workdays::{self, DayChange, ImportMode};
use derbes::{RequestKind, requests::report};
use serde::{Deserialize, Serialize};
use tauri::State;

/// `{kind: "in"|"today"|"overdue", days}` for the page's "due in N working days".
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandingDto {
    kind: &'static str,
    days: i64,
}

fn standing(s: Option<Standing>) -> Option<StandingDto> {
    s.map(|s| match s {
        Standing::DueIn(days) => StandingDto { kind: "in", days },
        Standing::DueToday => StandingDto {
            kind: "today",
            days: 0,
        },
        Standing::Overdue(days) => StandingDto {
            kind: "overdue",
            days,
        },
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestRowDto {
    id: i64,
    who: String,
    kind: &'static str,
    status: &'static str,
    received_on: String,
    due_on: String,
    extended_to: Option<String>,
    incoming_ref: String,
    standing: Option<StandingDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestPage {
    rows: Vec<RequestRowDto>,
    total: u64,
}

fn kind_of(s: &str) -> CmdResult<RequestKind> {
    Ok(RequestKind::parse(s)?)
}

#[tauri::command]
pub fn request_list(
    session: State<'_, Session>,
    view: String,
    kind: Option<String>,
    offset: u32,
    limit: u32,
) -> CmdResult<RequestPage> {
    let q = ListQuery {
        view: View::parse(&view).unwrap_or_default(),
        kind: kind.as_deref().map(kind_of).transpose()?,
        subject_id: None,
        offset,
        limit,
    };
    with_vault(&session, |v| request_page(v, &q, today()))
}

pub(crate) fn request_page(
    v: &derbes::Vault,
    q: &ListQuery,
    today: NaiveDate,
) -> derbes::Result<RequestPage> {
    {
        let page = request::list(v.conn(), q, today)?;
        Ok(RequestPage {
            total: page.total,
            rows: page
                .rows
                .into_iter()
                .map(|r| RequestRowDto {
                    id: r.id,
                    who: r.who,
                    kind: r.kind.name(),
                    status: r.status.name(),
                    received_on: r.received_on.to_string(),
                    due_on: r.due_on.to_string(),
                    extended_to: r.extended_to.map(|d| d.to_string()),
                    incoming_ref: r.incoming_ref,
                    standing: standing(r.standing),
                })
                .collect(),
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PauseDto {
    reason: &'static str,
    from_on: String,
    until_on: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestDto {
    id: i64,
    subject_id: Option<i64>,
    who: String,
    requester: String,
    sender: String,
    kind: &'static str,
    channel: &'static str,
    received_on: String,
    incoming_ref: String,
    body: String,
    status: &'static str,
    due_on: String,
    extended_to: Option<String>,
    extension_reason: Option<String>,
    answered_on: Option<String>,
    refusal_reason: Option<String>,
    closed_on: Option<String>,
    identity_method: Option<&'static str>,
    identity_checked_on: Option<String>,
    linked_to: Option<i64>,
    pauses: Vec<PauseDto>,
    standing: Option<StandingDto>,
    history: Vec<JournalRow>,
}

fn ds(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

#[tauri::command]
pub fn request_get(session: State<'_, Session>, id: i64) -> CmdResult<RequestDto> {
    with_vault(&session, |v| request_detail(v, id, today()))
}

pub(crate) fn request_detail(
    v: &derbes::Vault,
    id: i64,
    today: NaiveDate,
) -> derbes::Result<RequestDto> {
    {
        let r = request::get(v.conn(), id, today)?;
        let history = derbes::vault::journal::for_request(v.conn(), id)?;
        Ok(RequestDto {
            id: r.id,
            subject_id: r.subject_id,
            who: r.who,
            requester: r.requester,
            sender: r.sender,
            kind: r.kind.name(),
            channel: r.channel.name(),
            received_on: r.received_on.to_string(),
            incoming_ref: r.incoming_ref,
            body: r.body,
            status: r.status.name(),
            due_on: r.due_on.to_string(),
            extended_to: ds(r.extended_to),
            extension_reason: r.extension_reason,
            answered_on: ds(r.answered_on),
            refusal_reason: r.refusal_reason,
            closed_on: ds(r.closed_on),
            identity_method: r.identity_method.map(IdentityMethod::name),
            identity_checked_on: ds(r.identity_checked_on),
            linked_to: r.linked_to,
            pauses: r
                .pauses
                .into_iter()
                .map(|p| PauseDto {
                    reason: p.reason.name(),
                    from_on: p.from_on.to_string(),
                    until_on: ds(p.until_on),
                })
                .collect(),
            standing: standing(r.standing),
            history: history.into_iter().map(JournalRow::from).collect(),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestArgs {
    subject_id: Option<i64>,
    requester: String,
    sender: String,
    kind: String,
    channel: String,
    received_on: String,
    incoming_ref: String,
    body: String,
    linked_to: Option<i64>,
    /// From an e-mail draft: the message's key, its raw `From:`, the note on its date.
    message_key: Option<String>,
    sender_raw: String,
    intake_note: String,
}

#[tauri::command]
pub fn request_create(session: State<'_, Session>, request: RequestArgs) -> CmdResult<i64> {
    let input = RequestInput {
        subject_id: request.subject_id,
        requester: request.requester,
        sender: request.sender,
        kind: kind_of(&request.kind)?,
        channel: Channel::parse(&request.channel)
            .ok_or_else(|| CommandError::new("request.channel", "unknown channel"))?,
        received_on: request.received_on,
        incoming_ref: request.incoming_ref,
        body: request.body,
        linked_to: request.linked_to,
    };
    let mail = request::MailOrigin {
        key: request.message_key.filter(|k| !k.is_empty()),
        sender_raw: request.sender_raw,
        // Only the one note Derbes itself writes.
        note: if request.intake_note == "date.implausible" {
            request.intake_note
        } else {
            String::new()
        },
    };
    with_vault(&session, |v| {
        request::create_from_mail(v, &input, &mail, today(), Utc::now())
    })
}

/// Likely duplicates of a request about to be registered.
#[tauri::command]
pub fn request_duplicates(
    session: State<'_, Session>,
    subject_id: i64,
    kind: String,
) -> CmdResult<Vec<i64>> {
    let kind = kind_of(&kind)?;
    with_vault(&session, |v| {
        request::likely_duplicates(v.conn(), subject_id, kind, today())
    })
}

/// One workflow step. `action`: start, answer, refuse, close, identity, pause, resume, extend,
/// link; `date`, `text` and `choice` as the step needs them.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct StepArgs {
    action: String,
    date: String,
    text: String,
    choice: String,
    other_id: Option<i64>,
}

#[tauri::command]
pub fn request_step(session: State<'_, Session>, id: i64, step: StepArgs) -> CmdResult<()> {
    let now = Utc::now();
    let t = today();
    with_vault(&session, |v| match step.action.as_str() {
        "start" => request::start(v, id, now),
        "answer" => request::answer(v, id, &step.date, t, now),
        "refuse" => request::refuse(v, id, &step.date, &step.text, t, now),
        "close" => request::close(v, id, t, now),
        "identity" => match IdentityMethod::parse(&step.choice) {
            Some(m) => request::record_identity(v, id, m, &step.date, t, now),
            None => Err(derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "identity_method",
                code: "required",
            }])),
        },
        "pause" => match PauseReason::parse(&step.choice) {
            Some(r) => request::pause(v, id, r, &step.date, t, now),
            None => Err(derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "pause_reason",
                code: "required",
            }])),
        },
        "resume" => request::resume(v, id, &step.date, t, now),
        "extend" => request::extend(v, id, &step.date, &step.text, now),
        "link" => match step.other_id {
            Some(other) => request::link(v, id, other, now),
            None => Err(derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "linked_to",
                code: "required",
            }])),
        },
        _ => Err(derbes::Error::Invalid(vec![derbes::FieldIssue {
            field: "action",
            code: "required",
        }])),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftDto {
    file: String,
    error: Option<CommandError>,
    kind: &'static str,
    recognised: bool,
    subject_id: Option<i64>,
    subject_name: Option<String>,
    requester: String,
    sender: String,
    received_on: String,
    title: String,
    text: String,
    duplicates: Vec<i64>,
    message_key: String,
    sender_raw: String,
    /// The request this very message was registered as already.
    already: Option<i64>,
    date_ignored: bool,
}

fn office_offset() -> chrono::FixedOffset {
    Local::now().offset().fix()
}

pub(crate) fn draft_dto(
    v: &derbes::Vault,
    file: String,
    bytes: &[u8],
    offset: chrono::FixedOffset,
    today: NaiveDate,
) -> DraftDto {
    let result = derbes::files::eml::parse(bytes).and_then(|m| {
        let d: Draft = derbes::requests::intake::draft(v.conn(), &m, offset, today)?;
        let name = match d.subject_id {
            Some(id) => Some(
                derbes::registry::card::read_card(v.conn(), id, today).map(|c| {
                    crate::registry::full_name(&c.surname, &c.given_name, &c.patronymic)
                })?,
            ),
            None => None,
        };
        Ok((d, name))
    });
    match result {
        Ok((d, subject_name)) => DraftDto {
            file,
            error: None,
            kind: d.kind.name(),
            recognised: d.recognised,
            subject_id: d.subject_id,
            subject_name,
            requester: d.requester,
            sender: d.sender,
            received_on: ds(d.received_on).unwrap_or_default(),
            title: d.title,
            text: d.text,
            duplicates: d.duplicates,
            message_key: d.message_key,
            sender_raw: d.sender_raw,
            already: d.already,
            date_ignored: d.date_ignored,
        },
        Err(e) => DraftDto {
            error: Some(e.into()),
            ..draft_dto_empty(file)
        },
    }
}

/// Asks for one or more `.eml` files and drafts a request from each; nothing is written yet.
#[tauri::command(async)]
pub fn intake_open_eml(session: State<'_, Session>, title: String) -> CmdResult<Vec<DraftDto>> {
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
                    out.push(DraftDto {
                        error: Some(e.into()),
                        ..draft_dto_empty(name)
                    });
                    continue;
                }
            };
        let d = with_vault(&session, |v| {
            Ok(draft_dto(v, name.clone(), &bytes, office_offset(), today()))
        })?;
        out.push(d);
    }
    Ok(out)
}

fn draft_dto_empty(file: String) -> DraftDto {
    DraftDto {
        file,
        error: None,
        kind: "other",
        recognised: false,
        subject_id: None,
        subject_name: None,
        requester: String::new(),
        sender: String::new(),
        received_on: String::new(),
        title: String::new(),
        text: String::new(),
        duplicates: Vec::new(),
        message_key: String::new(),
        sender_raw: String::new(),
        already: None,
        date_ignored: false,
    }
}

/// Drafts a request from message text pasted from a mail program.
#[tauri::command]
pub fn intake_paste(session: State<'_, Session>, text: String) -> CmdResult<DraftDto> {
    with_vault(&session, |v| {
        Ok(draft_dto(
            v,
            String::new(),
            text.as_bytes(),
            office_offset(),
            today(),
        ))
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarDayDto {
    day: String,
    kind: &'static str,
    note: String,
    /// Why the day deviates: holiday, moved, religious, transfer_off, transfer_working, user.
    reason: &'static str,
    /// The holiday's key (the catalogue's `holiday.<key>`), where there is one.
    holiday: Option<&'static str>,
    /// The other date of the reason: the weekend date a holiday moved from, a transfer's other half.
    other_day: Option<String>,
    /// A religious day off whose date is announced but not fixed yet.
    expected: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarYear {
    year: i32,
    days: Vec<CalendarDayDto>,
    /// The year has no rows yet: only the fixed-date holidays are known.
    unconfirmed: bool,
}

#[tauri::command]
pub fn calendar_year(session: State<'_, Session>, year: i32) -> CmdResult<CalendarYear> {
    with_vault(&session, |v| calendar_year_view(v, year))
}

pub(crate) fn calendar_year_view(v: &derbes::Vault, year: i32) -> derbes::Result<CalendarYear> {
    {
        let view = workdays::show_year(v.conn(), year)?;
        let days = view
            .days
            .into_iter()
            .map(|d| {
                let (note, other_day, expected) = match &d.reason {
                    Reason::User { note } => (note.clone(), None, false),
                    Reason::Moved { from, .. } => (String::new(), Some(from.to_string()), false),
                    Reason::TransferOff { working } => {
                        (String::new(), Some(working.to_string()), false)
                    }
                    Reason::TransferWorking { off } => {
                        (String::new(), Some(off.to_string()), false)
                    }
                    Reason::Religious { expected, .. } => (String::new(), None, *expected),
                    Reason::Holiday { .. } => (String::new(), None, false),
                };
                CalendarDayDto {
                    day: d.day.to_string(),
                    kind: d.kind.name(),
                    note,
                    reason: d.reason.code(),
                    holiday: d.reason.holiday(),
                    other_day,
                    expected,
                }
            })
            .collect();
        Ok(CalendarYear {
            year,
            days,
            unconfirmed: !view.confirmed,
        })
    }
}

/// Marks a day; returns how many open due dates moved.
#[tauri::command]
pub fn calendar_set(
    session: State<'_, Session>,
    day: String,
    change: String,
    note: String,
) -> CmdResult<usize> {
    let day = derbes::base::input::parse_date(&day).ok_or_else(|| {
        CommandError::from(derbes::Error::Invalid(vec![derbes::FieldIssue {
            field: "day",
            code: "date.format",
        }]))
    })?;
    let change = match change.as_str() {
        "off" => DayChange::Off,
        "working" => DayChange::Working,
        _ => DayChange::Plain,
    };
    with_vault(&session, |v| {
        workdays::set_day(v, day, change, &note, today(), Utc::now())
    })
}

/// One day an import would change: before and after (`plain` is the normal week).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarChangeDto {
    day: String,
    before: &'static str,
    after: &'static str,
}

#[derive(Serialize, Deserialize)]
pub struct CalendarRowDto {
    day: String,
    kind: String,
    note: String,
}

/// A checked calendar table and the days writing it would change; nothing is written yet.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarPreview {
    changes: Vec<CalendarChangeDto>,
    /// The table's rows, sent back unchanged to apply them.
    rows: Vec<CalendarRowDto>,
    /// `(line, code)` of each bad row; nothing can be written when there are any.
    bad_rows: Vec<(u64, &'static str)>,
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
) -> CmdResult<Option<CalendarPreview>> {
    workdays::check_year(year)?;
    let Some(path) = dialogs::open_file(&title, "CSV", &["csv", "txt"])? else {
        return Ok(None);
    };
    let table = derbes::files::csv_table::read_file(&path)?;
    let state = |k: Option<DayOverride>| k.map_or("plain", DayOverride::name);
    with_vault(&session, |v| {
        match workdays::plan_import(v.conn(), &table, year, mode_of(replace)) {
            Ok(plan) => Ok(Some(CalendarPreview {
                changes: plan
                    .changes
                    .iter()
                    .map(|c| CalendarChangeDto {
                        day: c.day.to_string(),
                        before: state(c.before),
                        after: state(c.after),
                    })
                    .collect(),
                rows: plan
                    .rows
                    .into_iter()
                    .map(|(d, k, note)| CalendarRowDto {
                        day: d.to_string(),
                        kind: k.name().to_owned(),
                        note,
                    })
                    .collect(),
                bad_rows: Vec::new(),
            })),
            Err(derbes::Error::CalendarRows(rows)) => Ok(Some(CalendarPreview {
                changes: Vec::new(),
                rows: Vec::new(),
                bad_rows: rows,
            })),
            Err(e) => Err(e),
        }
    })
}

/// Writes the rows a preview showed; returns how many open due dates moved.
#[tauri::command]
pub fn calendar_import_apply(
    session: State<'_, Session>,
    year: i32,
    replace: bool,
    rows: Vec<CalendarRowDto>,
) -> CmdResult<usize> {
    let mut parsed = Vec::with_capacity(rows.len());
    for r in rows {
        let day = derbes::base::input::parse_date(&r.day).ok_or_else(|| {
            CommandError::from(derbes::Error::Invalid(vec![derbes::FieldIssue {
                field: "day",
                code: "date.format",
            }]))
        })?;
        let kind = if r.kind == "working" {
            DayOverride::Working
        } else {
            DayOverride::Off
        };
        parsed.push((day, kind, r.note));
    }
    with_vault(&session, |v| {
        let plan = workdays::plan_rows(v.conn(), year, mode_of(replace), parsed)?;
        let (_, moved) = workdays::apply_import(v, &plan, today(), Utc::now())?;
        Ok(moved)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportLineDto {
    kind: Option<&'static str>,
    received: u64,
    answered: u64,
    refused: u64,
    open: u64,
    overdue: u64,
    max_overdue_days: Option<i64>,
    on_time: u64,
    late: u64,
    extended: u64,
    due_by_now: u64,
    on_time_percent: Option<f64>,
    median_days: Option<f64>,
}

/// A detail table under the report (open overdue requests, extensions), as the PDF prints it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportDetailDto {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportDto {
    from: String,
    to: String,
    as_of: String,
    lines: Vec<ReportLineDto>,
    total: ReportLineDto,
    details: Vec<ReportDetailDto>,
}

fn line(l: &report::Line) -> ReportLineDto {
    ReportLineDto {
        kind: l.kind.map(RequestKind::name),
        received: l.received,
        answered: l.answered,
        refused: l.refused,
        open: l.open,
        overdue: l.overdue,
        max_overdue_days: l.max_overdue_days,
        on_time: l.on_time,
        late: l.late,
        extended: l.extended,
        due_by_now: l.due_by_now(),
        on_time_percent: l.on_time_percent(),
        median_days: l.median_days,
    }
}

fn period_of(s: &str) -> CmdResult<report::Period> {
    report::Period::parse(s).ok_or_else(|| CommandError::new("period.invalid", "not a period"))
}

#[tauri::command]
pub fn report_period(session: State<'_, Session>, period: String) -> CmdResult<ReportDto> {
    let p = period_of(&period)?;
    // Read before `with_vault`, which holds the session's lock.
    let lang = session.get().prefs.language;
    with_vault(&session, |v| report_view(v, p, lang, today()))
}

pub(crate) fn report_view(
    v: &derbes::Vault,
    p: report::Period,
    lang: crate::prefs::Language,
    today: NaiveDate,
) -> derbes::Result<ReportDto> {
    {
        let r = report::period(v.conn(), p, today)?;
        Ok(ReportDto {
            from: r.from.to_string(),
            to: r.to.to_string(),
            as_of: r.as_of.to_string(),
            lines: r.lines.iter().map(line).collect(),
            total: line(&r.total),
            details: report::detail_tables(&r, lang)
                .into_iter()
                .map(|(caption, t)| ReportDetailDto {
                    caption,
                    header: t.header,
                    rows: t.rows,
                })
                .collect(),
        })
    }
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleDto {
    kind: &'static str,
    count: u32,
    unit: &'static str,
    source: String,
    confidence: String,
}

/// The deadline terms by kind of request, with their sources.
#[tauri::command]
pub fn deadline_rule_list(session: State<'_, Session>) -> CmdResult<Vec<RuleDto>> {
    with_vault(&session, |v| rule_list(v))
}

pub(crate) fn rule_list(v: &derbes::Vault) -> derbes::Result<Vec<RuleDto>> {
    {
        let rules = workdays::rules(v.conn())?;
        Ok(RequestKind::ALL
            .iter()
            .filter_map(|k| rules.get(k))
            .map(|r| RuleDto {
                kind: r.kind.name(),
                count: r.count,
                unit: r.unit.name(),
                source: r.source.clone(),
                confidence: r.confidence.clone(),
            })
            .collect())
    }
}

/// Changes one term; returns how many open due dates moved.
#[tauri::command]
pub fn deadline_rule_set(
    session: State<'_, Session>,
    kind: String,
    count: u32,
    unit: String,
    source: String,
) -> CmdResult<usize> {
    let kind = kind_of(&kind)?;
    let unit = derbes::base::deadline::Unit::parse(&unit)
        .ok_or_else(|| CommandError::new("rule.unit", "unknown unit"))?;
    with_vault(&session, |v| {
        workdays::set_rule(v, kind, count, unit, &source, today(), Utc::now())
    })
}
