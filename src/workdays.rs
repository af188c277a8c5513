//! The vault's own working-day calendar and deadline terms: the built-in tables are seeds, and the
//! user keeps them true (Kurban Ait and holiday transfers are fixed by yearly decree,
//! `shared/domain.md` §3). A change to the calendar recomputes the due dates of open requests in the
//! same transaction, journaled.
//!
//! A year with at least one row in `calendar_day` is taken as the user keeps it. A year without rows
//! gets the holidays that follow from the law's fixed dates (without Kurban Ait or transfers, which
//! nobody can know in advance) and is reported as unconfirmed so the window can say so.

use crate::calendar::{Calendar, DayOverride, derive_days_off, is_weekend};
use crate::csv_table::Table;
use crate::deadline::{Rule, Unit, default_rule, due_date};
use crate::error::{Error, FieldIssue, Result};
use crate::journal::Entry;
use crate::request_kind::RequestKind;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, params};
use std::collections::{BTreeSet, HashMap};

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
        for d in derive_days_off(year, &[]) {
            c.set(d, DayOverride::Off);
        }
    }
    let mut st = conn.prepare_cached("SELECT day, kind FROM calendar_day")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (day, kind) = row?;
        let Some(day) = crate::subject::parse_date(&day) else {
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
}

/// The kept deviations of `year`.
pub fn days_of(conn: &Connection, year: i32) -> Result<Vec<Day>> {
    let mut st = conn.prepare_cached(
        "SELECT day, kind, note FROM calendar_day WHERE day >= ?1 AND day < ?2 ORDER BY day",
    )?;
    let rows = st.query_map(
        params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (day, kind, note) = row?;
        if let Some(day) = crate::subject::parse_date(&day) {
            let kind = if kind == "working" {
                DayOverride::Working
            } else {
                DayOverride::Off
            };
            out.push(Day { day, kind, note });
        }
    }
    Ok(out)
}

fn kind_name(k: DayOverride) -> &'static str {
    match k {
        DayOverride::Off => "off",
        DayOverride::Working => "working",
    }
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
                    "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, ?3)
                     ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
                    params![day.to_string(), kind_name(kind), note],
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
    let derived = if crate::calendar::BUILTIN_YEARS.contains(&year) {
        Calendar::builtin()
            .overrides()
            .filter(|(d, _)| d.year() == year)
            .collect::<Vec<_>>()
    } else {
        derive_days_off(year, &[])
            .into_iter()
            .map(|d| (d, DayOverride::Off))
            .collect()
    };
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO calendar_day (day, kind, note) VALUES (?1, ?2, 'derived')",
    )?;
    for (d, k) in derived {
        st.execute(params![d.to_string(), kind_name(k)])?;
    }
    Ok(())
}

/// Replaces the days of one year with a CSV table: a date column (`YYYY-MM-DD` or `DD.MM.YYYY`),
/// a kind column (`off`/`working`, or the Russian and Kazakh words), an optional note. Every row is
/// checked first; a bad row writes nothing. Returns (rows kept, open due dates recomputed).
pub fn import_year(
    vault: &mut Vault,
    table: &Table,
    year: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(usize, usize)> {
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
    let mut days: Vec<(NaiveDate, DayOverride, String)> = Vec::new();
    let mut issues = Vec::new();
    for (line, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
        let date = crate::subject::parse_date(cell(date_col));
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
                days.push((d, k, note.chars().take(200).collect()));
            }
            (Some(_), Some(_)) => issues.push((*line, "date.other_year")),
            (None, _) => issues.push((*line, "date.format")),
            (_, None) => issues.push((*line, "calendar.kind")),
        }
    }
    if !issues.is_empty() {
        return Err(Error::CalendarRows(issues));
    }
    vault.transact(now, |tx| {
        tx.execute(
            "DELETE FROM calendar_day WHERE day >= ?1 AND day < ?2",
            params![format!("{year:04}-01-01"), format!("{:04}-01-01", year + 1)],
        )?;
        let mut st = tx.prepare_cached(
            "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, ?3)
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
        )?;
        let mut kept = 0;
        for (d, k, note) in &days {
            // A weekend "off" or a weekday "working" is the plain week: nothing to keep.
            if (*k == DayOverride::Off) != is_weekend(*d) {
                st.execute(params![d.to_string(), kind_name(*k), note])?;
                kept += 1;
            }
        }
        let changed = recompute_open(tx, today)?;
        tx.journal(&Entry::new("calendar.imported").detail(format!(
            "year {year}: {kept} days; {changed} open due dates recomputed"
        )))?;
        Ok((kept, changed))
    })
}

/// The deadline terms kept in the vault, by kind (the defaults for any kind without a row).
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

/// Changes the term of one kind of request (the law's wording leaves some terms open: domain.md
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
            crate::subject::parse_date(&received),
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
        let Some(found) = crate::subject::parse_date(&found) else {
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
