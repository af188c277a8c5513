//! The vault's own working-day calendar and deadline terms: the built-in tables are seeds, and the
//! user keeps them true (Kurban Ait and holiday transfers are fixed by yearly decree,
//! `docs/domain.md` §3). A change to the calendar recomputes the due dates of open requests in the
//! same transaction, journaled.
//!
//! A year with at least one row in `calendar_day` is taken as the user keeps it. A year without rows
//! gets the holidays that follow from the law's fixed dates (without Kurban Ait or transfers, which
//! nobody can know in advance) and is reported as unconfirmed so the window can say so.

use crate::base::calendar::{
    Calendar, DayOverride, Reason, builtin_year, derive_days_off, derive_year, is_weekend,
    year_in_range,
};
use crate::base::deadline::{Rule, Unit, default_rule, due_date};
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::files::csv_table::Table;
use crate::vault::journal::Entry;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Refuses a year outside [`crate::base::calendar::YEARS`]: no holiday law is known there, and such a
/// date is a typing error.
pub fn check_year(year: i32) -> Result<()> {
    if year_in_range(year) {
        Ok(())
    } else {
        Err(Error::CalendarYear { year })
    }
}

/// Years around `today` for which a calendar is built: requests are received and answered within
/// weeks, reports look back a year or two.
fn years_around(today: NaiveDate) -> std::ops::RangeInclusive<i32> {
    today.year() - 2..=today.year() + 1
}

/// The years that have rows in the vault's calendar.
pub fn kept_years(conn: &Connection) -> Result<BTreeSet<i32>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT CAST(substr(day, 1, 4) AS INTEGER) FROM calendar_day ORDER BY 1",
    )?;
    let years = st
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(years)
}

/// This year and the next, where the vault's calendar does not hold them: only their fixed-date
/// holidays are known, and new deadlines fall in them.
pub fn unconfirmed_years(conn: &Connection, today: NaiveDate) -> Result<Vec<i32>> {
    let kept = kept_years(conn)?;
    Ok((today.year()..=today.year() + 1)
        .filter(|y| !kept.contains(y))
        .collect())
}

/// The vault's calendar (see the module's note on years without rows).
pub fn load(conn: &Connection, today: NaiveDate) -> Result<Calendar> {
    let mut c = Calendar::plain();
    let kept = kept_years(conn)?;
    for year in years_around(today).filter(|y| !kept.contains(y)) {
        for d in derive_days_off(year) {
            c.set(d, DayOverride::Off);
        }
    }
    let mut st = conn.prepare_cached("SELECT day, kind FROM calendar_day")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (day, kind) = row?;
        let Some(day) = crate::base::input::parse_date(&day) else {
            continue;
        };
        c.set(
            day,
            if kind == "working" {
                DayOverride::Working
            } else {
                DayOverride::Off
            },
        );
    }
    Ok(c)
}

/// One deviation from the Monday–Friday week, as kept in the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub day: NaiveDate,
    pub kind: DayOverride,
    pub note: String,
    /// From the built-in tables (a later build may correct it), not set by the user.
    pub builtin: bool,
}

/// The kept deviations of `year`.
pub fn days_of(conn: &Connection, year: i32) -> Result<Vec<Day>> {
    let mut st = conn.prepare_cached(
        "SELECT day, kind, note, origin FROM calendar_day WHERE day >= ?1 AND day < ?2 ORDER BY day",
    )?;
    let rows = st.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (day, kind, note, origin) = row?;
        if let Some(day) = crate::base::input::parse_date(&day) {
            let kind = if kind == "working" {
                DayOverride::Working
            } else {
                DayOverride::Off
            };
            out.push(Day {
                day,
                kind,
                note,
                builtin: origin == "builtin",
            });
        }
    }
    Ok(out)
}

/// One day of a year as shown: how it deviates from the plain week and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownDay {
    pub day: NaiveDate,
    pub kind: DayOverride,
    pub reason: Reason,
}

/// Crosses as `{day, kind, note, reason, holiday, otherDay, expected}`: the reason's code, the
/// holiday's key (the catalogue's `holiday.<key>`), the other date of a moved holiday or a
/// transfer, and whether a religious day off is announced but not fixed yet.
#[cfg(feature = "serde")]
impl serde::Serialize for ShownDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (note, other_day, expected) = match &self.reason {
            Reason::User { note } => (note.as_str(), None, false),
            Reason::Moved { from, .. } => ("", Some(from.to_string()), false),
            Reason::TransferOff { working } => ("", Some(working.to_string()), false),
            Reason::TransferWorking { off } => ("", Some(off.to_string()), false),
            Reason::Religious { expected, .. } => ("", None, *expected),
            Reason::Holiday { .. } => ("", None, false),
        };
        let mut st = s.serialize_struct("ShownDay", 7)?;
        st.serialize_field("day", &self.day)?;
        st.serialize_field("kind", self.kind.name())?;
        st.serialize_field("note", note)?;
        st.serialize_field("reason", self.reason.code())?;
        st.serialize_field("holiday", &self.reason.holiday())?;
        st.serialize_field("otherDay", &other_day)?;
        st.serialize_field("expected", &expected)?;
        st.end()
    }
}

/// Crosses as `{year, days, unconfirmed}`.
#[cfg(feature = "serde")]
impl serde::Serialize for YearView {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("YearView", 3)?;
        st.serialize_field("year", &self.year)?;
        st.serialize_field("days", &self.days)?;
        st.serialize_field("unconfirmed", &!self.confirmed)?;
        st.end()
    }
}

/// A year of the calendar as the vault counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearView {
    pub year: i32,
    /// The vault keeps this year (built-in tables or the user's): its days are confirmed. Otherwise
    /// only the holidays the law fixes in advance are known — no Kurban Ait, no transfers.
    pub confirmed: bool,
    /// Every non-working weekday and every working weekend day, in date order.
    pub days: Vec<ShownDay>,
}

/// Every deviation of `year` from the plain week with its reason: a holiday, a moved holiday, a
/// decree transfer, or the user's edit.
pub fn show_year(conn: &Connection, year: i32) -> Result<YearView> {
    check_year(year)?;
    let confirmed = kept_years(conn)?.contains(&year);
    let days = if confirmed {
        let builtin = builtin_year(year);
        days_of(conn, year)?
            .into_iter()
            .map(|d| {
                let reason = match builtin.get(&d.day) {
                    Some((k, r)) if d.builtin && *k == d.kind => r.clone(),
                    _ => Reason::User {
                        note: if d.builtin { String::new() } else { d.note },
                    },
                };
                ShownDay {
                    day: d.day,
                    kind: d.kind,
                    reason,
                }
            })
            .collect()
    } else {
        derive_year(year, &[], &[])
            .into_iter()
            .map(|(day, (kind, reason))| ShownDay { day, kind, reason })
            .collect()
    };
    Ok(YearView {
        year,
        confirmed,
        days,
    })
}

/// What a date becomes: a day off, a working day, or as the plain week says (the row is removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayChange {
    Off,
    Working,
    Plain,
}

/// Marks one date; open requests' due dates are recomputed. Returns how many changed.
pub fn set_day(
    vault: &mut Vault,
    day: NaiveDate,
    change: DayChange,
    note: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    check_year(day.year())?;
    let note = note.trim();
    if note.chars().count() > 200 {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "note",
            code: "text.too_long",
        }]));
    }
    vault.transact(now, |tx| {
        // A year that was not kept yet starts from what the window showed for it.
        adopt_year(tx, day.year())?;
        match (change, is_weekend(day)) {
            (DayChange::Plain, _) | (DayChange::Off, true) | (DayChange::Working, false) => {
                tx.execute("DELETE FROM calendar_day WHERE day = ?1", [day.to_string()])?;
            }
            (DayChange::Off, false) | (DayChange::Working, true) => {
                let kind = if change == DayChange::Off {
                    DayOverride::Off
                } else {
                    DayOverride::Working
                };
                tx.execute(
                    "INSERT INTO calendar_day (day, kind, note, origin) VALUES (?1, ?2, ?3, 'user')
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
                         origin = 'user'",
                    params![day.to_string(), kind.name(), note],
                )?;
            }
        }
        let changed = recompute_open(tx, today)?;
        tx.journal(&Entry::new("calendar.changed").detail(format!(
            "{day}: {}; {changed} open due dates recomputed",
            match change {
                DayChange::Off => "day off",
                DayChange::Working => "working day",
                DayChange::Plain => "as the week",
            }
        )))?;
        Ok(changed)
    })
}

/// Writes the derived days of a year that has no rows yet, so that editing one date of it keeps
/// the others it showed.
fn adopt_year(tx: &Tx<'_>, year: i32) -> Result<()> {
    if kept_years(tx)?.contains(&year) {
        return Ok(());
    }
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO calendar_day (day, kind, note, origin)
         VALUES (?1, ?2, 'derived', 'builtin')",
    )?;
    for (d, (k, _)) in builtin_year(year) {
        st.execute(params![d.to_string(), k.name()])?;
    }
    Ok(())
}

/// How an imported table meets the year's kept days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Each line overrides one day; the other days of the year stay (the default: a file with only
    /// a decree's transfer must not drop Nauryz).
    Merge,
    /// The table becomes the year: days it does not list are as the plain week.
    Replace,
}

/// One day an import changes: its deviation before and after (`None` is the plain week).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayDiff {
    pub day: NaiveDate,
    pub before: Option<DayOverride>,
    pub after: Option<DayOverride>,
    pub note: String,
}

/// A checked calendar table and what writing it would change; nothing is written to make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub year: i32,
    pub mode: ImportMode,
    /// The table's days: date, kind, note.
    pub rows: Vec<(NaiveDate, DayOverride, String)>,
    pub changes: Vec<DayDiff>,
}

/// A day an import would change, before and after (`plain`: as the normal week).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct PreviewChange {
    pub day: NaiveDate,
    pub before: &'static str,
    pub after: &'static str,
}

/// A row of an imported table as the window shows it and sends it back to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PreviewRow {
    pub day: String,
    /// `off` or `working`.
    pub kind: String,
    pub note: String,
}

/// A calendar table checked against a year, before anything is written: the days it would change
/// and its rows, or, when some rows are bad, those by `(line, code)` (then nothing can be written).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Preview {
    pub changes: Vec<PreviewChange>,
    pub rows: Vec<PreviewRow>,
    pub bad_rows: Vec<(u64, &'static str)>,
}

pub fn preview(conn: &Connection, table: &Table, year: i32, mode: ImportMode) -> Result<Preview> {
    let state = |k: Option<DayOverride>| k.map_or("plain", DayOverride::name);
    match plan_import(conn, table, year, mode) {
        Ok(plan) => Ok(Preview {
            changes: plan
                .changes
                .iter()
                .map(|c| PreviewChange {
                    day: c.day,
                    before: state(c.before),
                    after: state(c.after),
                })
                .collect(),
            rows: plan
                .rows
                .into_iter()
                .map(|(d, k, note)| PreviewRow {
                    day: d.to_string(),
                    kind: k.name().to_owned(),
                    note,
                })
                .collect(),
            bad_rows: Vec::new(),
        }),
        Err(Error::CalendarRows(bad_rows)) => Ok(Preview {
            bad_rows,
            ..Preview::default()
        }),
        Err(e) => Err(e),
    }
}

/// Writes the rows a preview showed into `year`; how many open due dates moved.
pub fn apply_rows(
    vault: &mut Vault,
    year: i32,
    mode: ImportMode,
    rows: &[PreviewRow],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut parsed = Vec::with_capacity(rows.len());
    for r in rows {
        let day = crate::base::input::parse_date(&r.day).ok_or_else(|| {
            Error::Invalid(vec![FieldIssue {
                field: "day",
                code: "date.format",
            }])
        })?;
        let kind = if r.kind == "working" {
            DayOverride::Working
        } else {
            DayOverride::Off
        };
        parsed.push((day, kind, r.note.clone()));
    }
    let plan = plan_rows(vault.conn(), year, mode, parsed)?;
    let (_, moved) = apply_import(vault, &plan, today, now)?;
    Ok(moved)
}

/// Reads a calendar CSV table: a date column (`YYYY-MM-DD` or `DD.MM.YYYY`), a kind column
/// (`off`/`working`, or the Russian and Kazakh words), an optional note. Every row is checked; a bad
/// row is reported by line and code (`Error::CalendarRows`).
pub fn read_table(table: &Table, year: i32) -> Result<Vec<(NaiveDate, DayOverride, String)>> {
    check_year(year)?;
    let find = |names: &[&str]| {
        table.headers.iter().position(|h| {
            let h = h.trim().to_lowercase();
            names.iter().any(|n| *n == h)
        })
    };
    let date_col =
        find(&["date", "day", "дата", "день", "күн"]).ok_or(Error::CsvMissingColumn("date"))?;
    let kind_col =
        find(&["kind", "type", "вид", "тип", "түрі"]).ok_or(Error::CsvMissingColumn("kind"))?;
    let note_col = find(&["note", "примечание", "название", "ескерту", "атауы"]);
    let mut days: BTreeMap<NaiveDate, (DayOverride, String)> = BTreeMap::new();
    let mut issues = Vec::new();
    for (line, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
        let date = crate::base::input::parse_date(cell(date_col));
        let kind = match cell(kind_col).to_lowercase().as_str() {
            "off" | "holiday" | "day off" | "выходной" | "праздник" | "демалыс" | "мереке" => {
                Some(DayOverride::Off)
            }
            "working"
            | "work"
            | "working day"
            | "рабочий"
            | "рабочий день"
            | "жұмыс"
            | "жұмыс күні" => Some(DayOverride::Working),
            _ => None,
        };
        match (date, kind) {
            (Some(d), Some(k)) if d.year() == year => {
                let note = note_col.map(|i| cell(i).to_owned()).unwrap_or_default();
                days.insert(d, (k, note.chars().take(200).collect()));
            }
            (Some(_), Some(_)) => issues.push((*line, "date.other_year")),
            (None, _) if looks_like_a_date(cell(date_col)) => {
                issues.push((*line, "date.impossible"))
            }
            (None, _) => issues.push((*line, "date.format")),
            (_, None) => issues.push((*line, "calendar.kind")),
        }
    }
    if !issues.is_empty() {
        return Err(Error::CalendarRows(issues));
    }
    Ok(days.into_iter().map(|(d, (k, n))| (d, k, n)).collect())
}

/// `2027-02-30` or `31.04.2027`: the shape of a date, but no such day.
fn looks_like_a_date(s: &str) -> bool {
    let digits: Vec<&str> = s.split(['-', '.', '/']).collect();
    digits.len() == 3
        && digits
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
}

/// The deviation a kept day leaves once written: a weekend "off" or a weekday "working" is the
/// plain week.
fn effective(day: NaiveDate, kind: DayOverride) -> Option<DayOverride> {
    ((kind == DayOverride::Off) != is_weekend(day)).then_some(kind)
}

/// The year's deviations as the vault counts them now (a year not kept yet: what it would adopt).
fn current_year(conn: &Connection, year: i32) -> Result<BTreeMap<NaiveDate, DayOverride>> {
    Ok(if kept_years(conn)?.contains(&year) {
        days_of(conn, year)?
            .into_iter()
            .map(|d| (d.day, d.kind))
            .collect()
    } else {
        builtin_year(year)
            .into_iter()
            .map(|(d, (k, _))| (d, k))
            .collect()
    })
}

/// Checks a table and lists the days writing it would change; writes nothing.
pub fn plan_import(
    conn: &Connection,
    table: &Table,
    year: i32,
    mode: ImportMode,
) -> Result<ImportPlan> {
    let rows = read_table(table, year)?;
    plan_rows(conn, year, mode, rows)
}

/// What writing `rows` into `year` would change (the window sends back the rows it previewed).
pub fn plan_rows(
    conn: &Connection,
    year: i32,
    mode: ImportMode,
    rows: Vec<(NaiveDate, DayOverride, String)>,
) -> Result<ImportPlan> {
    check_year(year)?;
    if rows.iter().any(|(d, _, _)| d.year() != year) {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "day",
            code: "date.other_year",
        }]));
    }
    let before = current_year(conn, year)?;
    let mut after = match mode {
        ImportMode::Merge => before.clone(),
        ImportMode::Replace => BTreeMap::new(),
    };
    let mut notes: HashMap<NaiveDate, String> = HashMap::new();
    for (d, k, note) in &rows {
        match effective(*d, *k) {
            Some(k) => after.insert(*d, k),
            None => after.remove(d),
        };
        notes.insert(*d, note.clone());
    }
    let days: BTreeSet<NaiveDate> = before.keys().chain(after.keys()).copied().collect();
    let changes = days
        .into_iter()
        .filter(|d| before.get(d) != after.get(d))
        .map(|d| DayDiff {
            day: d,
            before: before.get(&d).copied(),
            after: after.get(&d).copied(),
            note: notes.remove(&d).unwrap_or_default(),
        })
        .collect();
    Ok(ImportPlan {
        year,
        mode,
        rows,
        changes,
    })
}

/// Writes a planned import in one transaction; open requests' due dates are recomputed. Returns
/// (days changed, open due dates recomputed).
pub fn apply_import(
    vault: &mut Vault,
    plan: &ImportPlan,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(usize, usize)> {
    check_year(plan.year)?;
    let year = plan.year;
    vault.transact(now, |tx| {
        match plan.mode {
            ImportMode::Replace => {
                tx.execute(
                    "DELETE FROM calendar_day WHERE day >= ?1 AND day < ?2",
                    params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
                )?;
            }
            // The days the table does not list stay as the year showed them.
            ImportMode::Merge => adopt_year(tx, year)?,
        }
        let mut upsert = tx.prepare_cached(
            "INSERT INTO calendar_day (day, kind, note, origin) VALUES (?1, ?2, ?3, 'user')
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
                 origin = 'user'",
        )?;
        let mut delete = tx.prepare_cached("DELETE FROM calendar_day WHERE day = ?1")?;
        for (d, k, note) in &plan.rows {
            if d.year() != year {
                continue;
            }
            match effective(*d, *k) {
                Some(k) => upsert.execute(params![d.to_string(), k.name(), note])?,
                None => delete.execute([d.to_string()])?,
            };
        }
        let changed = recompute_open(tx, today)?;
        tx.journal(&Entry::new("calendar.imported").detail(format!(
            "year {year} ({}): {} days changed; {changed} open due dates recomputed",
            match plan.mode {
                ImportMode::Merge => "merged",
                ImportMode::Replace => "replaced",
            },
            plan.changes.len()
        )))?;
        Ok((plan.changes.len(), changed))
    })
}

/// The last correction of the built-in calendar applied to this vault, if it is recent (the
/// dashboard tells for 30 days how many due dates it moved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub name: String,
    pub applied_on: NaiveDate,
    pub days_changed: i64,
    pub days_kept: i64,
    pub due_moved: i64,
}

pub fn recent_revision(conn: &Connection, today: NaiveDate) -> Result<Option<Revision>> {
    let row: Option<(String, String, i64, i64, i64)> = conn
        .query_row(
            "SELECT name, applied_at, days_changed, days_kept, due_moved FROM calendar_revision
             ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    Ok(
        row.and_then(|(name, at, days_changed, days_kept, due_moved)| {
            let applied_on = DateTime::parse_from_rfc3339(&at).ok()?.date_naive();
            ((today - applied_on).num_days() <= 30).then_some(Revision {
                name,
                applied_on,
                days_changed,
                days_kept,
                due_moved,
            })
        }),
    )
}

/// The deadline terms kept in the vault, by kind (the defaults for any kind without a row).
/// The terms in the order of [`RequestKind::ALL`], as Settings lists them.
pub fn rule_list(conn: &Connection) -> Result<Vec<Rule>> {
    let mut rules = rules(conn)?;
    Ok(RequestKind::ALL
        .iter()
        .filter_map(|k| rules.remove(k))
        .collect())
}

pub fn rules(conn: &Connection) -> Result<HashMap<RequestKind, Rule>> {
    let mut out: HashMap<RequestKind, Rule> = RequestKind::ALL
        .iter()
        .map(|k| (*k, default_rule(*k)))
        .collect();
    let mut st =
        conn.prepare_cached("SELECT kind, count, unit, source, confidence FROM deadline_rule")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (kind, count, unit, source, confidence) = row?;
        if let (Ok(kind), Some(unit)) = (RequestKind::parse(&kind), Unit::parse(&unit)) {
            out.insert(
                kind,
                Rule {
                    kind,
                    count,
                    unit,
                    source,
                    confidence,
                },
            );
        }
    }
    Ok(out)
}

/// Changes the term of one kind of request (the law's wording leaves some terms open: docs/domain.md
/// §2 keeps them as data with their source). Open requests of every kind are recomputed.
pub fn set_rule(
    vault: &mut Vault,
    kind: RequestKind,
    count: u32,
    unit: Unit,
    source: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let source = source.trim();
    let mut issues = Vec::new();
    if count == 0 || count > 365 {
        issues.push(FieldIssue {
            field: "count",
            code: "number.positive",
        });
    }
    if source.is_empty() {
        issues.push(FieldIssue {
            field: "source",
            code: "required",
        });
    } else if source.chars().count() > 200 {
        issues.push(FieldIssue {
            field: "source",
            code: "text.too_long",
        });
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO deadline_rule (kind, count, unit, source, confidence)
             VALUES (?1, ?2, ?3, ?4, 'user')
             ON CONFLICT (kind) DO UPDATE SET count = excluded.count, unit = excluded.unit,
                 source = excluded.source, confidence = 'user'",
            params![kind.name(), count, unit.name(), source],
        )?;
        let changed = recompute_open(tx, today)?;
        tx.journal(&Entry::new("deadline_rule.changed").detail(format!(
            "{kind}: {count} {} days; {changed} open due dates recomputed",
            unit.name()
        )))?;
        Ok(changed)
    })
}

/// Recomputes the legal due date of every open request from its kind and received date, with the
/// vault's calendar and terms as they are now inside `tx`. Returns how many changed.
pub(crate) fn recompute_open(tx: &Connection, today: NaiveDate) -> Result<usize> {
    let calendar = load(tx, today)?;
    let rules = rules(tx)?;
    let mut st = tx.prepare(
        "SELECT id, kind, received_on, due_on FROM request WHERE status IN ('new', 'in_progress')",
    )?;
    let open = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = tx.prepare_cached("UPDATE request SET due_on = ?2 WHERE id = ?1")?;
    let mut changed = 0;
    for (id, kind, received, due) in open {
        let (Ok(kind), Some(received)) = (
            RequestKind::parse(&kind),
            crate::base::input::parse_date(&received),
        ) else {
            continue;
        };
        let rule = rules
            .get(&kind)
            .cloned()
            .unwrap_or_else(|| default_rule(kind));
        let new_due = due_date(&rule, received, &calendar).to_string();
        if new_due != due {
            update.execute(params![id, new_due])?;
            changed += 1;
        }
    }
    // Breaches not yet notified run on the same rule table and calendar.
    let rule = rules
        .get(&RequestKind::Breach)
        .cloned()
        .unwrap_or_else(|| default_rule(RequestKind::Breach));
    let mut st = tx.prepare("SELECT id, found_on, due_on FROM breach WHERE notified_on IS NULL")?;
    let open = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = tx.prepare_cached("UPDATE breach SET due_on = ?2 WHERE id = ?1")?;
    for (id, found, due) in open {
        let Some(found) = crate::base::input::parse_date(&found) else {
            continue;
        };
        let new_due = due_date(&rule, found, &calendar).to_string();
        if new_due != due {
            update.execute(params![id, new_due])?;
            changed += 1;
        }
    }
    Ok(changed)
}
