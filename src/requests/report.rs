//! The period report: requests received in a month, quarter or year, by kind and outcome, the
//! share answered on time, and the median answer time in working days (by the vault's calendar).
//! What an inspector or the person in charge asks for at the end of a period.

use crate::base::language::Language;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::requests::workdays;
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
}

/// Read from the page as typed: `2026-11`, `2026-Q4`, `2026`.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Period::parse(&s).ok_or_else(|| serde::de::Error::custom("not a period"))
    }
}

impl Period {
    /// The first and last day.
    pub fn bounds(self) -> Result<(NaiveDate, NaiveDate)> {
        let bad = || {
            Error::Invalid(vec![FieldIssue {
                field: "period",
                code: "period.invalid",
            }])
        };
        let (year, first_month, months) = match self {
            Period::Month { year, month } if (1..=12).contains(&month) => (year, month, 1),
            Period::Quarter { year, quarter } if (1..=4).contains(&quarter) => {
                (year, (quarter - 1) * 3 + 1, 3)
            }
            Period::Year { year } => (year, 1, 12),
            _ => return Err(bad()),
        };
        let from = NaiveDate::from_ymd_opt(year, first_month, 1).ok_or_else(bad)?;
        let next = from
            .checked_add_months(chrono::Months::new(months))
            .ok_or_else(bad)?;
        Ok((from, next.pred_opt().ok_or_else(bad)?))
    }

    /// `2026-11`, `2026-Q4` or `2026`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once("-q")) {
            return Some(Period::Quarter {
                year: y.parse().ok()?,
                quarter: q.parse().ok()?,
            });
        }
        if let Some((y, m)) = s.split_once('-') {
            return Some(Period::Month {
                year: y.parse().ok()?,
                month: m.parse().ok()?,
            });
        }
        Some(Period::Year {
            year: s.parse().ok()?,
        })
    }
}

/// Counts of one kind of request (or of all, in the total line). Every "on time" and "late" is
/// against the **legal** due date: an extension is a decision of the operator, not a new term, so
/// an answer after the legal date is late even when it was extended (extensions are shown apart).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub kind: Option<RequestKind>,
    pub received: u64,
    pub answered: u64,
    pub refused: u64,
    pub open: u64,
    /// Cancelled (entered in error, withdrawn by the requester): received, but in no figure of
    /// answers, delays or time.
    pub cancelled: u64,
    /// Open, and past the legal due date on the report's day.
    pub overdue: u64,
    /// The most working days an open request is past its legal due date.
    pub max_overdue_days: Option<i64>,
    /// Answered or refused no later than the legal due date.
    pub on_time: u64,
    /// Answered or refused after the legal due date (extended or not).
    pub late: u64,
    /// With a recorded extension (see [`Report::extensions`]).
    pub extended: u64,
    /// Working days from receipt to answer, median over the answered and refused.
    pub median_days: Option<f64>,
}

impl Line {
    /// The requests that had to be answered by the report's day: those answered or refused, and
    /// the open ones past their legal due date.
    pub fn due_by_now(&self) -> u64 {
        self.answered + self.refused + self.overdue
    }

    /// On time, in percent of [`Line::due_by_now`]; `None` when there are none.
    pub fn on_time_percent(&self) -> Option<f64> {
        let due = self.due_by_now();
        (due > 0).then(|| self.on_time as f64 * 100.0 / due as f64)
    }
}

/// An open request past its legal due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overdue {
    pub request_id: i64,
    pub kind: RequestKind,
    pub due_on: NaiveDate,
    /// Working days past the due date on the report's day.
    pub by_days: i64,
}

/// A recorded extension: the legal date, the date it was extended to, the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub request_id: i64,
    pub kind: RequestKind,
    pub due_on: NaiveDate,
    pub extended_to: NaiveDate,
    pub reason: String,
    /// Answered after the legal date (or still open past it).
    pub late: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The day the open requests' standing is counted on.
    pub as_of: NaiveDate,
    /// Kinds with requests in the period, in the order of [`RequestKind::ALL`].
    pub lines: Vec<Line>,
    pub total: Line,
    /// Open requests past their legal due date, the longest overdue first.
    pub overdue: Vec<Overdue>,
    pub extensions: Vec<Extension>,
    /// The journal's head when the report was made (printed on its PDF; issue 16).
    pub journal_head: Option<(i64, String)>,
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

/// The report of the requests received in `period`, their open ones counted as of `today`.
pub fn period(conn: &Connection, period: Period, today: NaiveDate) -> Result<Report> {
    let (from, to) = period.bounds()?;
    let calendar = workdays::load(conn, today)?;
    let mut st = conn.prepare_cached(
        "SELECT id, kind, status, received_on, answered_on, due_on, extended_to,
                coalesce(extension_reason, ''), refusal_reason IS NOT NULL
         FROM request WHERE received_on >= ?1 AND received_on <= ?2 ORDER BY id",
    )?;
    type Row = (
        i64,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
        bool,
    );
    let rows = st
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    let mut lines: Vec<(Line, Vec<i64>)> = RequestKind::ALL
        .iter()
        .map(|k| {
            (
                Line {
                    kind: Some(*k),
                    ..Line::default()
                },
                Vec::new(),
            )
        })
        .collect();
    let mut all_days = Vec::new();
    let mut overdue = Vec::new();
    let mut extensions = Vec::new();
    let parse = crate::base::input::parse_date;
    for (id, kind, status, received, answered, due, extended_to, reason, refused) in rows {
        let Ok(kind) = RequestKind::parse(&kind) else {
            continue;
        };
        let Some(i) = RequestKind::ALL.iter().position(|k| *k == kind) else {
            continue;
        };
        let Some(due) = parse(&due) else {
            continue;
        };
        let (line, days) = &mut lines[i];
        line.received += 1;
        if status == "cancelled" {
            line.cancelled += 1;
            continue;
        }
        let answered = answered.as_deref().and_then(parse);
        let late = match (status.as_str(), answered) {
            ("new" | "in_progress", _) | (_, None) => {
                line.open += 1;
                if today > due {
                    let by = calendar.working_days_between(due, today).max(0);
                    line.overdue += 1;
                    line.max_overdue_days = Some(line.max_overdue_days.unwrap_or(0).max(by));
                    overdue.push(Overdue {
                        request_id: id,
                        kind,
                        due_on: due,
                        by_days: by,
                    });
                    true
                } else {
                    false
                }
            }
            (_, Some(on)) => {
                if status == "refused" || refused {
                    line.refused += 1;
                } else {
                    line.answered += 1;
                }
                let late = on > due;
                if late {
                    line.late += 1;
                } else {
                    line.on_time += 1;
                }
                if let Some(received) = parse(&received) {
                    let d = calendar.working_days_between(received, on).max(0);
                    days.push(d);
                    all_days.push(d);
                }
                late
            }
        };
        if let Some(to) = extended_to.as_deref().and_then(parse) {
            line.extended += 1;
            extensions.push(Extension {
                request_id: id,
                kind,
                due_on: due,
                extended_to: to,
                reason,
                late,
            });
        }
    }
    let mut total = Line::default();
    let mut out = Vec::new();
    for (mut line, days) in lines {
        if line.received == 0 {
            continue;
        }
        line.median_days = median(days);
        total.received += line.received;
        total.answered += line.answered;
        total.refused += line.refused;
        total.open += line.open;
        total.cancelled += line.cancelled;
        total.overdue += line.overdue;
        total.on_time += line.on_time;
        total.late += line.late;
        total.extended += line.extended;
        total.max_overdue_days = match (total.max_overdue_days, line.max_overdue_days) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        out.push(line);
    }
    total.median_days = median(all_days);
    overdue.sort_by(|a, b| {
        b.by_days
            .cmp(&a.by_days)
            .then(a.request_id.cmp(&b.request_id))
    });
    Ok(Report {
        from,
        to,
        as_of: today,
        lines: out,
        total,
        overdue,
        extensions,
        journal_head: crate::vault::journal::head(conn)?,
    })
}

/// The kind's name in a report.
pub fn kind_label(kind: RequestKind, lang: Language) -> &'static str {
    use RequestKind as K;
    match (lang, kind) {
        (Language::Ru, K::Access) => "Сведения о данных",
        (Language::Ru, K::Update) => "Изменение и дополнение",
        (Language::Ru, K::Block) => "Блокирование",
        (Language::Ru, K::Unblock) => "Снятие блокирования",
        (Language::Ru, K::Destroy) => "Уничтожение",
        (Language::Ru, K::WithdrawConsent) => "Отзыв согласия",
        (Language::Ru, K::RefuseMarketing) => "Отказ от рассылки",
        (Language::Ru, K::StopProcessing) => "Прекращение обработки",
        (Language::Ru, K::Authority) => "Запрос уполномоченного органа",
        (Language::Ru, K::Breach) => "Уведомление об утечке",
        (Language::Ru, K::Other) => "Иное обращение",
        (Language::Kk, K::Access) => "Деректер туралы мәлімет",
        (Language::Kk, K::Update) => "Өзгерту және толықтыру",
        (Language::Kk, K::Block) => "Бұғаттау",
        (Language::Kk, K::Unblock) => "Бұғаттан шығару",
        (Language::Kk, K::Destroy) => "Жою",
        (Language::Kk, K::WithdrawConsent) => "Келісімді кері қайтарып алу",
        (Language::Kk, K::RefuseMarketing) => "Таратудан бас тарту",
        (Language::Kk, K::StopProcessing) => "Өңдеуді тоқтату",
        (Language::Kk, K::Authority) => "Уәкілетті органның сұрауы",
        (Language::Kk, K::Breach) => "Ақпараттың жылыстауы туралы хабарлама",
        (Language::Kk, K::Other) => "Өзге өтініш",
        (Language::En, K::Access) => "Information about the data",
        (Language::En, K::Update) => "Update or correction",
        (Language::En, K::Block) => "Blocking",
        (Language::En, K::Unblock) => "Unblocking",
        (Language::En, K::Destroy) => "Destruction",
        (Language::En, K::WithdrawConsent) => "Withdrawal of consent",
        (Language::En, K::RefuseMarketing) => "Refusal of marketing",
        (Language::En, K::StopProcessing) => "Stop of processing",
        (Language::En, K::Authority) => "Authorized body's inquiry",
        (Language::En, K::Breach) => "Breach notification",
        (Language::En, K::Other) => "Other or appeal",
    }
}

fn headers(lang: Language) -> [&'static str; 11] {
    match lang {
        Language::Ru => [
            "Вид обращения",
            "Поступило",
            "Исполнено",
            "Отказано",
            "В работе",
            "Отменено",
            "Из них просрочено",
            "Ответ позже срока",
            "Срок продлён",
            "В срок, %",
            "Медиана, рабочих дней",
        ],
        Language::Kk => [
            "Өтініш түрі",
            "Түсті",
            "Орындалды",
            "Бас тартылды",
            "Жұмыста",
            "Күші жойылды",
            "Оның ішінде мерзімі өткен",
            "Мерзімнен кеш жауап",
            "Мерзімі ұзартылды",
            "Мерзімінде, %",
            "Медиана, жұмыс күні",
        ],
        Language::En => [
            "Request type",
            "Received",
            "Answered",
            "Refused",
            "Open",
            "Cancelled",
            "Of them overdue",
            "Answered late",
            "Extended",
            "On time, %",
            "Median, working days",
        ],
    }
}

fn total_label(lang: Language) -> &'static str {
    match lang {
        Language::Ru => "Итого",
        Language::Kk => "Барлығы",
        Language::En => "Total",
    }
}

fn one_decimal(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// One line's cells, as the CSV and the PDF show them.
fn cells(line: &Line, lang: Language) -> Vec<String> {
    let name = line
        .kind
        .map_or_else(|| total_label(lang), |k| kind_label(k, lang));
    vec![
        name.to_owned(),
        line.received.to_string(),
        line.answered.to_string(),
        line.refused.to_string(),
        line.open.to_string(),
        line.cancelled.to_string(),
        line.overdue.to_string(),
        line.late.to_string(),
        line.extended.to_string(),
        one_decimal(line.on_time_percent()),
        one_decimal(line.median_days),
    ]
}

/// The report as CSV (UTF-8 with BOM, `;`), in `lang`.
pub fn to_csv(report: &Report, lang: Language, out: impl Write) -> Result<()> {
    let mut w = crate::files::csv_table::Writer::new(out)?;
    w.row(headers(lang))?;
    for line in report.lines.iter().chain(std::iter::once(&report.total)) {
        w.row(cells(line, lang).iter().map(String::as_str))?;
    }
    // The same detail the PDF shows, each under its caption after an empty line; every line has
    // the table's number of cells, as a spreadsheet expects.
    let width = headers(lang).len();
    fn padded(mut cells: Vec<&str>, width: usize) -> Vec<&str> {
        cells.resize(width, "");
        cells
    }
    for (caption, t) in detail_tables(report, lang) {
        w.row(padded(Vec::new(), width))?;
        w.row(padded(vec![caption.as_str()], width))?;
        w.row(padded(t.header.iter().map(String::as_str).collect(), width))?;
        for r in &t.rows {
            w.row(padded(r.iter().map(String::as_str).collect(), width))?;
        }
    }
    w.finish()
}

/// The report as a table: header, rows (the total last), column widths, alignments.
pub fn table(report: &Report, lang: Language) -> crate::files::pdf::TableSpec {
    use crate::files::pdf::Align::{Left, Right};
    crate::files::pdf::TableSpec {
        header: headers(lang).iter().map(|s| (*s).to_owned()).collect(),
        rows: report
            .lines
            .iter()
            .chain(std::iter::once(&report.total))
            .map(|line| cells(line, lang))
            .collect(),
        widths: vec![
            0.25, 0.065, 0.075, 0.075, 0.065, 0.07, 0.075, 0.075, 0.07, 0.08, 0.08,
        ],
        align: vec![
            Left, Right, Right, Right, Right, Right, Right, Right, Right, Right, Right,
        ],
        bold: vec![report.lines.len()],
    }
}

pub fn title(lang: Language) -> &'static str {
    match lang {
        Language::Ru => "Отчёт об обращениях субъектов персональных данных",
        Language::Kk => "Дербес деректер субъектілерінің өтініштері туралы есеп",
        Language::En => "Report on requests of data subjects",
    }
}

pub fn period_line(lang: Language, from: NaiveDate, to: NaiveDate) -> String {
    let f = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    match lang {
        Language::Ru => format!("Период: {} — {}", f(from), f(to)),
        Language::Kk => format!("Кезең: {} — {}", f(from), f(to)),
        Language::En => format!("Period: {} — {}", f(from), f(to)),
    }
}

fn generated(lang: Language, on: NaiveDate) -> String {
    let d = on.format("%d.%m.%Y");
    match lang {
        Language::Ru => format!("Derbes · сформирован {d}"),
        Language::Kk => format!("Derbes · {d} жасалды"),
        Language::En => format!("Derbes · generated {d}"),
    }
}

pub fn explanation(lang: Language) -> &'static str {
    match lang {
        Language::Ru => {
            "Учтены обращения, поступившие в период; открытые — на дату отчёта. Сроки — законные: ответ после законного срока считается данным не в срок, даже если срок продлевался (продления показаны отдельно, с причинами). «В срок, %» — доля ответов и отказов, данных не позднее законного срока, от всех обращений, на которые к дате отчёта следовало ответить (исполненные, отклонённые и просроченные открытые). Медиана — рабочих дней от поступления до ответа по календарю рабочих дней хранилища. Отменённые обращения (внесённые по ошибке, отозванные заявителем) учтены как поступившие и не входят в другие показатели."
        }
        Language::Kk => {
            "Кезеңде түскен өтініштер ескерілді; ашық өтініштер — есеп күніне. Мерзімдер — заңдағы мерзімдер: заңды мерзімнен кейін берілген жауап, мерзім ұзартылса да, мерзімінде емес деп есептеледі (ұзартулар себептерімен бөлек көрсетілген). «Мерзімінде, %» — заңды мерзімнен кешіктірілмей берілген жауаптар мен бас тартулардың есеп күніне дейін жауап берілуге тиіс барлық өтініштерге (орындалған, бас тартылған және мерзімі өткен ашық) үлесі. Медиана — түскен күннен жауапқа дейінгі жұмыс күндері, қойманың күнтізбесі бойынша. Күші жойылған өтініштер (қате енгізілген, өтініш беруші қайтарып алған) түскендер қатарында ескеріледі, басқа көрсеткіштерге кірмейді."
        }
        Language::En => {
            "Requests received in the period; the open ones as of the report's date. Terms are the legal ones: an answer after the legal due date is late even when the term was extended (extensions are shown apart, with their reasons). \"On time, %\": answers and refusals given no later than the legal due date, as a share of all requests that had to be answered by the report's date (answered, refused, and open past their due date). Median: working days from receipt to answer by the vault's working-day calendar. Cancelled requests (entered in error, withdrawn by the requester) count as received and in no other figure."
        }
    }
}

/// Crosses with its derived figures (`dueByNow`, `onTimePercent`) beside the counted ones.
#[cfg(feature = "serde")]
impl serde::Serialize for Line {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Line", 14)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("received", &self.received)?;
        st.serialize_field("answered", &self.answered)?;
        st.serialize_field("refused", &self.refused)?;
        st.serialize_field("open", &self.open)?;
        st.serialize_field("cancelled", &self.cancelled)?;
        st.serialize_field("overdue", &self.overdue)?;
        st.serialize_field("maxOverdueDays", &self.max_overdue_days)?;
        st.serialize_field("onTime", &self.on_time)?;
        st.serialize_field("late", &self.late)?;
        st.serialize_field("extended", &self.extended)?;
        st.serialize_field("dueByNow", &self.due_by_now())?;
        st.serialize_field("onTimePercent", &self.on_time_percent())?;
        st.serialize_field("medianDays", &self.median_days)?;
        st.end()
    }
}

/// A table under the report, as the PDF prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct DetailTable {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The report as the window shows it: its lines, and the tables under it in `lang`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct View {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub lines: Vec<Line>,
    pub total: Line,
    pub details: Vec<DetailTable>,
}

pub fn view(conn: &Connection, p: Period, lang: Language, today: NaiveDate) -> Result<View> {
    let r = period(conn, p, today)?;
    let details = detail_tables(&r, lang)
        .into_iter()
        .map(|(caption, t)| DetailTable {
            caption,
            header: t.header,
            rows: t.rows,
        })
        .collect();
    Ok(View {
        from: r.from,
        to: r.to,
        as_of: r.as_of,
        lines: r.lines,
        total: r.total,
        details,
    })
}

/// The open overdue requests and the extensions, as tables under the report (ids only).
pub fn detail_tables(
    report: &Report,
    lang: Language,
) -> Vec<(String, crate::files::pdf::TableSpec)> {
    use crate::files::pdf::Align::{Left, Right};
    let f = |d: NaiveDate| d.format("%d.%m.%Y").to_string();
    let mut out = Vec::new();
    if !report.overdue.is_empty() {
        let (caption, header) = match lang {
            Language::Ru => (
                format!("Открытые просроченные обращения на {}", f(report.as_of)),
                [
                    "№ обращения",
                    "Вид",
                    "Законный срок",
                    "Просрочено, рабочих дней",
                ],
            ),
            Language::Kk => (
                format!("{} күнгі мерзімі өткен ашық өтініштер", f(report.as_of)),
                [
                    "Өтініш №",
                    "Түрі",
                    "Заңды мерзім",
                    "Мерзімі өтті, жұмыс күні",
                ],
            ),
            Language::En => (
                format!("Open requests past their due date on {}", f(report.as_of)),
                [
                    "Request No.",
                    "Type",
                    "Legal due date",
                    "Overdue, working days",
                ],
            ),
        };
        out.push((
            caption,
            crate::files::pdf::TableSpec {
                header: header.iter().map(|s| (*s).to_owned()).collect(),
                rows: report
                    .overdue
                    .iter()
                    .map(|o| {
                        vec![
                            o.request_id.to_string(),
                            kind_label(o.kind, lang).to_owned(),
                            f(o.due_on),
                            o.by_days.to_string(),
                        ]
                    })
                    .collect(),
                widths: vec![0.18, 0.42, 0.2, 0.2],
                align: vec![Right, Left, Right, Right],
                bold: Vec::new(),
            },
        ));
    }
    if !report.extensions.is_empty() {
        let (caption, header) = match lang {
            Language::Ru => (
                "Продления сроков".to_owned(),
                [
                    "№ обращения",
                    "Вид",
                    "Законный срок",
                    "Продлён до",
                    "Причина",
                ],
            ),
            Language::Kk => (
                "Мерзімдерді ұзарту".to_owned(),
                ["Өтініш №", "Түрі", "Заңды мерзім", "Ұзартылды", "Себебі"],
            ),
            Language::En => (
                "Extensions".to_owned(),
                [
                    "Request No.",
                    "Type",
                    "Legal due date",
                    "Extended to",
                    "Reason",
                ],
            ),
        };
        out.push((
            caption,
            crate::files::pdf::TableSpec {
                header: header.iter().map(|s| (*s).to_owned()).collect(),
                rows: report
                    .extensions
                    .iter()
                    .map(|e| {
                        vec![
                            e.request_id.to_string(),
                            kind_label(e.kind, lang).to_owned(),
                            f(e.due_on),
                            f(e.extended_to),
                            e.reason.clone(),
                        ]
                    })
                    .collect(),
                widths: vec![0.13, 0.25, 0.14, 0.14, 0.34],
                align: vec![Right, Left, Right, Right, Left],
                bold: Vec::new(),
            },
        ));
    }
    out
}

/// The report as a PDF in `lang` (A4, Noto Sans). The metadata holds the title and the period,
/// no personal data (the report has none either: counts only).
pub fn to_pdf(
    report: &Report,
    lang: Language,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>> {
    let meta_title = format!("Derbes report {} — {}", report.from, report.to);
    let mut doc = crate::files::pdf::Doc::new(
        &meta_title,
        &generated(lang, now.date_naive()),
        crate::files::pdf::pager(lang),
        now,
    )
    .ok_or(Error::Io(std::io::Error::other(
        "the built-in font could not be read",
    )))?;
    doc.heading(title(lang), 15.0);
    doc.paragraph(&period_line(lang, report.from, report.to), 10.5);
    doc.table(&table(report, lang), 8.0);
    for (caption, t) in detail_tables(report, lang) {
        doc.paragraph(&caption, 10.0);
        doc.table(&t, 8.5);
    }
    doc.paragraph(explanation(lang), 8.5);
    if let Some((seq, hash)) = &report.journal_head {
        doc.paragraph(&crate::vault::journal::position_line(lang, *seq, hash), 7.5);
    }
    Ok(doc.finish())
}
