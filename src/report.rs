//! The period report: requests received in a month, quarter or year, by kind and outcome, the
//! share answered on time, and the median answer time in working days (by the vault's calendar).
//! What an inspector or the person in charge asks for at the end of a period.

use crate::error::{Error, FieldIssue, Result};
use crate::prefs::Language;
use crate::request_kind::RequestKind;
use crate::workdays;
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
    Year { year: i32 },
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

/// Counts of one kind of request (or of all, in the total line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub kind: Option<RequestKind>,
    pub received: u64,
    pub answered: u64,
    pub refused: u64,
    pub open: u64,
    /// Answered or refused no later than the due date (an extension's date when there is one).
    pub on_time: u64,
    /// Working days from receipt to answer, median over the answered and refused.
    pub median_days: Option<f64>,
}

impl Line {
    /// On time, in percent of the answered and refused; `None` when there are none.
    pub fn on_time_percent(&self) -> Option<f64> {
        let done = self.answered + self.refused;
        (done > 0).then(|| self.on_time as f64 * 100.0 / done as f64)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Kinds with requests in the period, in the order of [`RequestKind::ALL`].
    pub lines: Vec<Line>,
    pub total: Line,
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

pub fn period(conn: &Connection, period: Period) -> Result<Report> {
    let (from, to) = period.bounds()?;
    let calendar = workdays::load(conn, from)?;
    let mut st = conn.prepare_cached(
        "SELECT kind, status, received_on, answered_on, coalesce(extended_to, due_on),
                refusal_reason IS NOT NULL
         FROM request WHERE received_on >= ?1 AND received_on <= ?2",
    )?;
    let rows = st
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
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
    let parse = crate::subject::parse_date;
    for (kind, status, received, answered, due, refused) in rows {
        let Ok(kind) = RequestKind::parse(&kind) else {
            continue;
        };
        let Some(i) = RequestKind::ALL.iter().position(|k| *k == kind) else {
            continue;
        };
        let (line, days) = &mut lines[i];
        line.received += 1;
        let answered = answered.as_deref().and_then(parse);
        match (status.as_str(), answered) {
            ("new" | "in_progress", _) | (_, None) => line.open += 1,
            (_, Some(on)) => {
                if status == "refused" || refused {
                    line.refused += 1;
                } else {
                    line.answered += 1;
                }
                if parse(&due).is_some_and(|due| on <= due) {
                    line.on_time += 1;
                }
                if let Some(received) = parse(&received) {
                    let d = calendar.working_days_between(received, on).max(0);
                    days.push(d);
                    all_days.push(d);
                }
            }
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
        total.on_time += line.on_time;
        out.push(line);
    }
    total.median_days = median(all_days);
    Ok(Report {
        from,
        to,
        lines: out,
        total,
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

fn headers(lang: Language) -> [&'static str; 7] {
    match lang {
        Language::Ru => [
            "Вид обращения",
            "Поступило",
            "Исполнено",
            "Отказано",
            "В работе",
            "В срок, %",
            "Медиана срока ответа, рабочих дней",
        ],
        Language::Kk => [
            "Өтініш түрі",
            "Түсті",
            "Орындалды",
            "Бас тартылды",
            "Жұмыста",
            "Мерзімінде, %",
            "Жауап мерзімінің медианасы, жұмыс күні",
        ],
        Language::En => [
            "Request type",
            "Received",
            "Answered",
            "Refused",
            "Open",
            "On time, %",
            "Median answer time, working days",
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
        one_decimal(line.on_time_percent()),
        one_decimal(line.median_days),
    ]
}

/// The report as CSV (UTF-8 with BOM, `;`), in `lang`.
pub fn to_csv(report: &Report, lang: Language, out: impl Write) -> Result<()> {
    let mut w = crate::csv_table::Writer::new(out)?;
    w.row(headers(lang))?;
    for line in report.lines.iter().chain(std::iter::once(&report.total)) {
        w.row(cells(line, lang).iter().map(String::as_str))?;
    }
    w.finish()
}

/// The report as a table: header, rows (the total last), column widths, alignments.
pub fn table(report: &Report, lang: Language) -> crate::pdf::TableSpec {
    use crate::pdf::Align::{Left, Right};
    crate::pdf::TableSpec {
        header: headers(lang).iter().map(|s| (*s).to_owned()).collect(),
        rows: report
            .lines
            .iter()
            .chain(std::iter::once(&report.total))
            .map(|line| cells(line, lang))
            .collect(),
        widths: vec![0.22, 0.10, 0.13, 0.13, 0.11, 0.14, 0.17],
        align: vec![Left, Right, Right, Right, Right, Right, Right],
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
            "Учтены обращения, поступившие в период. «В срок» — доля ответов и отказов, данных не позднее срока (продлённого, если срок продлевался). Медиана — рабочих дней от поступления до ответа по календарю рабочих дней хранилища."
        }
        Language::Kk => {
            "Кезеңде түскен өтініштер ескерілді. «Мерзімінде» — мерзімінен (ұзартылған болса, ұзартылған мерзімнен) кешіктірілмей берілген жауаптар мен бас тартулардың үлесі. Медиана — түскен күннен жауапқа дейінгі жұмыс күндері, қойманың жұмыс күндері күнтізбесі бойынша."
        }
        Language::En => {
            "Requests received in the period. \"On time\": the share of answers and refusals given no later than the due date (the extended one, if extended). Median: working days from receipt to answer by the vault's working-day calendar."
        }
    }
}

/// The report as a PDF in `lang` (A4, Noto Sans). The metadata holds the title and the period,
/// no personal data (the report has none either: counts only).
pub fn to_pdf(
    report: &Report,
    lang: Language,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>> {
    let meta_title = format!("Derbes report {} — {}", report.from, report.to);
    let mut doc = crate::pdf::Doc::new(
        &meta_title,
        &generated(lang, now.date_naive()),
        crate::pdf::pager(lang),
        now,
    )
    .ok_or(Error::Io(std::io::Error::other(
        "the built-in font could not be read",
    )))?;
    doc.heading(title(lang), 15.0);
    doc.paragraph(&period_line(lang, report.from, report.to), 10.5);
    doc.table(&table(report, lang), 9.0);
    doc.paragraph(explanation(lang), 8.5);
    Ok(doc.finish())
}
