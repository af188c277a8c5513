//! Bringing in the journal of requests an operator kept before Derbes (issue 18): a CSV or a
//! workbook with, per row, the received date, who wrote, the kind, the channel, the incoming
//! reference, the status, the answered date and the outgoing number. Every row is checked and
//! reported before anything is written; then all rows are written in one transaction, or none.
//! A closed request keeps its outcome and dates (its history starts with the import's journal
//! entry, which says so); an open one gets its legal due date by the vault's calendar, as if
//! typed today.

use crate::base::deadline::{default_rule, due_date};
use crate::base::fold::fold;
use crate::base::input::parse_date;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::files::csv_table::{Table, unneutralize};
use crate::registry::import::RowIssue;
use crate::requests::request::{Channel, RequestStatus};
use crate::requests::workdays;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

crate::base::wire::vocab!(
    /// A column of a journal of requests.
    Column {
        ReceivedOn => "received_on",
        Requester => "requester",
        Iin => "iin",
        Kind => "kind",
        Channel => "channel",
        IncomingRef => "incoming_ref",
        Status => "status",
        AnsweredOn => "answered_on",
        OutgoingRef => "outgoing_ref",
        Body => "body",
    }
);

impl Column {
    /// Header names recognised for the column, in Russian, Kazakh and English (compared folded).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Column::ReceivedOn => &[
                "дата поступления",
                "поступило",
                "дата",
                "түскен күні",
                "received",
                "received on",
                "date",
            ],
            Column::Requester => &[
                "заявитель",
                "фио",
                "от кого",
                "өтініш беруші",
                "кімнен",
                "requester",
                "from",
            ],
            Column::Iin => &["иин", "жсн", "iin"],
            Column::Kind => &[
                "вид",
                "тип",
                "вид обращения",
                "түрі",
                "өтініш түрі",
                "kind",
                "type",
            ],
            Column::Channel => &[
                "способ",
                "канал",
                "способ поступления",
                "түсу тәсілі",
                "channel",
            ],
            Column::IncomingRef => &[
                "вх. №",
                "вх №",
                "входящий номер",
                "входящий",
                "кіріс нөмірі",
                "incoming",
                "reference",
            ],
            Column::Status => &["статус", "состояние", "мәртебесі", "күйі", "status"],
            Column::AnsweredOn => &[
                "дата ответа",
                "отвечено",
                "жауап күні",
                "answered",
                "answered on",
            ],
            Column::OutgoingRef => &[
                "исх. №",
                "исх №",
                "исходящий номер",
                "исходящий",
                "шығыс нөмірі",
                "outgoing",
            ],
            Column::Body => &["содержание", "текст", "суть", "мазмұны", "text", "body"],
        }
    }
}

/// Which column each of the file's columns is, by its header; an unknown header is ignored.
pub fn guess_columns(headers: &[String]) -> Vec<Option<Column>> {
    let mut used = Vec::new();
    headers
        .iter()
        .map(|h| {
            let h = fold(h.trim());
            let c = Column::ALL
                .iter()
                .copied()
                .find(|c| !used.contains(c) && c.synonyms().iter().any(|s| fold(s) == h));
            if let Some(c) = c {
                used.push(c);
            }
            c
        })
        .collect()
}

fn kind_of(raw: &str) -> Option<RequestKind> {
    if let Ok(k) = RequestKind::parse(raw.trim()) {
        return Some(k);
    }
    let f = fold(raw.trim());
    let table: [(RequestKind, &[&str]); 11] = [
        (
            RequestKind::Access,
            &[
                "доступ",
                "сведения",
                "ознакомление",
                "выписка",
                "мәлімет",
                "access",
            ],
        ),
        (
            RequestKind::Update,
            &[
                "изменение",
                "исправление",
                "уточнение",
                "өзгерту",
                "update",
                "correction",
            ],
        ),
        (RequestKind::Block, &["блокирование", "бұғаттау", "block"]),
        (
            RequestKind::Unblock,
            &["разблокирование", "бұғаттан шығару", "unblock"],
        ),
        (
            RequestKind::Destroy,
            &["уничтожение", "удаление", "жою", "destroy", "erasure"],
        ),
        (
            RequestKind::WithdrawConsent,
            &[
                "отзыв согласия",
                "келісімді кері қайтарып алу",
                "withdrawal of consent",
            ],
        ),
        (
            RequestKind::RefuseMarketing,
            &["отказ от рассылки", "таратудан бас тарту", "unsubscribe"],
        ),
        (
            RequestKind::StopProcessing,
            &[
                "прекращение обработки",
                "өңдеуді тоқтату",
                "stop processing",
            ],
        ),
        (
            RequestKind::Authority,
            &[
                "уполномоченный орган",
                "запрос органа",
                "уәкілетті орган",
                "authority",
            ],
        ),
        (RequestKind::Breach, &["утечка", "инцидент", "breach"]),
        (
            RequestKind::Other,
            &["иное", "прочее", "другое", "басқа", "other"],
        ),
    ];
    table
        .iter()
        .find(|(_, w)| w.iter().any(|x| fold(x) == f))
        .map(|(k, _)| *k)
}

fn channel_of(raw: &str) -> Option<Channel> {
    if let Some(c) = Channel::parse(raw.trim()) {
        return Some(c);
    }
    let f = fold(raw.trim());
    let table: [(Channel, &[&str]); 5] = [
        (
            Channel::Email,
            &[
                "e-mail",
                "email",
                "эл. почта",
                "электронная почта",
                "электрондық пошта",
            ],
        ),
        (
            Channel::Paper,
            &[
                "бумага",
                "письмо",
                "почта",
                "почтой",
                "хат",
                "paper",
                "letter",
            ],
        ),
        (
            Channel::InPerson,
            &["лично", "на приёме", "на приеме", "жеке", "in person"],
        ),
        (Channel::Egov, &["egov", "egov.kz", "егов"]),
        (
            Channel::Authority,
            &["орган", "уполномоченный орган", "уәкілетті орган"],
        ),
    ];
    table
        .iter()
        .find(|(_, w)| w.iter().any(|x| fold(x) == f))
        .map(|(c, _)| *c)
}

fn status_of(raw: &str) -> Option<RequestStatus> {
    if let Some(s) = RequestStatus::parse(raw.trim()) {
        return Some(s);
    }
    let f = fold(raw.trim());
    let table: [(RequestStatus, &[&str]); 5] = [
        (RequestStatus::New, &["новое", "новый", "жаңа", "new"]),
        (
            RequestStatus::InProgress,
            &["в работе", "жұмыста", "in progress"],
        ),
        (
            RequestStatus::Answered,
            &[
                "исполнено",
                "отвечено",
                "дан ответ",
                "орындалды",
                "answered",
                "done",
            ],
        ),
        (
            RequestStatus::Refused,
            &["отказано", "отказ", "бас тартылды", "refused"],
        ),
        (RequestStatus::Closed, &["закрыто", "жабылды", "closed"]),
    ];
    table
        .iter()
        .find(|(_, w)| w.iter().any(|x| fold(x) == f))
        .map(|(s, _)| *s)
}

/// One row ready to be written.
#[derive(Debug, Clone)]
struct Row {
    subject_id: Option<i64>,
    requester: String,
    kind: RequestKind,
    channel: Channel,
    received: NaiveDate,
    incoming_ref: String,
    status: RequestStatus,
    answered: Option<NaiveDate>,
    outgoing_ref: String,
    body: String,
}

/// What the import would write, row by row, or wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Report {
    pub rows: usize,
    pub invalid_rows: usize,
    pub issues: Vec<RowIssue>,
    /// What was assumed, row by row (a channel the file does not give).
    pub notes: Vec<RowIssue>,
    /// Valid rows, open (they get a legal due date) and closed.
    pub open: usize,
    pub closed: usize,
    /// Rows whose IIN is a registered subject's: attached to them.
    pub attached: usize,
    /// After a commit: requests written.
    pub created: usize,
}

/// A journal as the window shows it before anything is written: the file and the check's report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Preview {
    pub file_name: String,
    pub report: Report,
}

/// A checked journal: its report and the rows to write.
pub struct Checked {
    pub report: Report,
    rows: Vec<Row>,
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// Checks every row of `table`, writing nothing.
pub fn check(conn: &Connection, table: &Table, today: NaiveDate) -> Result<Checked> {
    let columns = guess_columns(&table.headers);
    let has = |c: Column| columns.contains(&Some(c));
    if !has(Column::ReceivedOn) {
        return Err(Error::CsvMissingColumn("received date"));
    }
    if !has(Column::Kind) {
        return Err(Error::CsvMissingColumn("kind of request"));
    }
    if !has(Column::Requester) && !has(Column::Iin) {
        return Err(Error::CsvMissingColumn("requester or IIN"));
    }
    let mut report = Report {
        rows: table.rows.len(),
        ..Report::default()
    };
    let mut rows = Vec::new();
    let mut by_iin = conn.prepare_cached(
        "SELECT id FROM subject WHERE iin = ?1 AND status IN ('active', 'blocked')",
    )?;
    for (line, cells) in &table.rows {
        let cell = |c: Column| {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .and_then(|i| cells.get(i))
                .map_or("", |v| unneutralize(v).trim())
        };
        let mut issues: Vec<FieldIssue> = Vec::new();
        let mut issue = |field, code| issues.push(FieldIssue { field, code });
        let received = match parse_date(cell(Column::ReceivedOn)) {
            Some(d) if d > today => {
                issue("received_on", "date.future");
                None
            }
            Some(d) => Some(d),
            None if cell(Column::ReceivedOn).is_empty() => {
                issue("received_on", "required");
                None
            }
            None => {
                issue("received_on", "date.format");
                None
            }
        };
        let kind = kind_of(cell(Column::Kind));
        if kind.is_none() {
            issue("kind", "request.kind_unknown");
        }
        let channel = match cell(Column::Channel) {
            // A journal without the channel: recorded as a letter, and the report says so.
            "" => {
                report.notes.push(RowIssue {
                    line: *line,
                    field: "channel",
                    code: "channel.assumed_paper",
                });
                Some(Channel::Paper)
            }
            c => channel_of(c).or_else(|| {
                issue("channel", "request.channel_unknown");
                None
            }),
        };
        let answered = match cell(Column::AnsweredOn) {
            "" => None,
            a => match parse_date(a) {
                Some(d) if d > today => {
                    issue("answered_on", "date.future");
                    None
                }
                Some(d) if received.is_some_and(|r| d < r) => {
                    issue("answered_on", "date.before_received");
                    None
                }
                Some(d) => Some(d),
                None => {
                    issue("answered_on", "date.format");
                    None
                }
            },
        };
        let status = match cell(Column::Status) {
            "" if answered.is_some() || !cell(Column::AnsweredOn).is_empty() => {
                Some(RequestStatus::Answered)
            }
            "" => Some(RequestStatus::New),
            s => status_of(s).or_else(|| {
                issue("status", "request.status_unknown");
                None
            }),
        };
        // A request answered, refused or closed says when; a cancelled one is not a journal's.
        if let Some(s) = status {
            if s == RequestStatus::Cancelled {
                issue("status", "request.status_unknown");
            } else if !s.is_open() && answered.is_none() && cell(Column::AnsweredOn).is_empty() {
                issue("answered_on", "required");
            }
        }
        let iin = cell(Column::Iin);
        let subject_id: Option<i64> = if iin.is_empty() {
            None
        } else {
            by_iin.query_row([iin], |r| r.get(0)).optional()?
        };
        let requester = cell(Column::Requester).to_owned();
        if requester.is_empty() && subject_id.is_none() {
            issue("requester", "required");
        }
        for (field, v, max) in [
            ("requester", requester.as_str(), 200),
            ("incoming_ref", cell(Column::IncomingRef), 200),
            ("outgoing_ref", cell(Column::OutgoingRef), 200),
            ("body", cell(Column::Body), 100_000),
        ] {
            if v.chars().count() > max {
                issue(field, "text.too_long");
            }
        }
        match (received, kind, channel, status) {
            (Some(received), Some(kind), Some(channel), Some(status)) if issues.is_empty() => {
                if status.is_open() {
                    report.open += 1;
                } else {
                    report.closed += 1;
                }
                if subject_id.is_some() {
                    report.attached += 1;
                }
                rows.push(Row {
                    subject_id,
                    requester,
                    kind,
                    channel,
                    received,
                    incoming_ref: cell(Column::IncomingRef).to_owned(),
                    status,
                    answered: if status.is_open() { None } else { answered },
                    outgoing_ref: cell(Column::OutgoingRef).to_owned(),
                    body: cell(Column::Body).to_owned(),
                });
            }
            _ => {
                report.invalid_rows += 1;
                report.issues.extend(issues.into_iter().map(|i| RowIssue {
                    line: *line,
                    field: i.field,
                    code: i.code,
                }));
            }
        }
    }
    Ok(Checked { report, rows })
}

/// Writes the checked rows in one transaction, each with its journal entry; with invalid rows and
/// `skip_invalid` false, nothing.
pub fn commit(
    vault: &mut Vault,
    checked: Checked,
    skip_invalid: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Report> {
    let Checked { mut report, rows } = checked;
    if report.invalid_rows > 0 && !skip_invalid {
        return Err(Error::ImportInvalid {
            count: report.invalid_rows,
        });
    }
    let calendar = workdays::load(vault.conn(), today)?;
    let rules = workdays::rules(vault.conn())?;
    let stamp = now.to_rfc3339();
    vault.transact(now, |tx| {
        // The search rows are written together after the loop (see `Fts::keep`).
        let mut indexed = Vec::with_capacity(rows.len());
        for r in &rows {
            let rule = rules
                .get(&r.kind)
                .cloned()
                .unwrap_or_else(|| default_rule(r.kind));
            let due = due_date(&rule, r.received, &calendar);
            let closed_on = (r.status == RequestStatus::Closed).then_some(r.answered).flatten();
            tx.prepare_cached(
                "INSERT INTO request (subject_id, requester, kind, channel, received_on, incoming_ref,
                                      body, status, due_on, answered_on, closed_on, outgoing_ref,
                                      created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(params![
                r.subject_id,
                r.requester,
                r.kind.name(),
                r.channel.name(),
                r.received.to_string(),
                r.incoming_ref,
                r.body,
                r.status.name(),
                due.to_string(),
                r.answered.map(|d| d.to_string()),
                closed_on.map(|d| d.to_string()),
                r.outgoing_ref,
                stamp
            ])?;
            let id = tx.last_insert_rowid();
            if crate::registry::request_index::keep(tx, id)? {
                indexed.push(id);
            }
            let mut entry = Entry::new("request.imported").request(id).detail(format!(
                "{}, {}, due {due}{}",
                r.kind,
                r.status.name(),
                r.answered
                    .map(|a| format!(", answered {a}"))
                    .unwrap_or_default()
            ));
            if let Some(s) = r.subject_id {
                entry = entry.record("subject", s);
            }
            tx.journal(&entry)?;
            report.created += 1;
        }
        crate::registry::index::Fts::Requests.index_kept(tx, &mut indexed)?;
        tx.journal(&Entry::new("requests.imported").detail(format!(
            "{} created ({} open, {} closed), {} invalid rows left out",
            report.created, report.open, report.closed, report.invalid_rows
        )))?;
        Ok(())
    })?;
    Ok(report)
}
