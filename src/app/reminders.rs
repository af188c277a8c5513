//! What needs attention before it is late (issue 19): consents that expire within N days (the
//! setting `reminders.consent_days`, 30 unless changed), holdings whose retention ends within 30
//! days (by the same rules as the retention sweep: `erasure::retention`; the ones that end today
//! included), open requests due on
//! the next working day, and in December a next-year working-day calendar that is not confirmed.
//! Shown on the dashboard, in the unlock notification (counts only), in `derbes-cli status`, and as
//! `derbes-cli reminders` (exit 1 when anything is listed, for cron to mail).

use crate::error::Result;
use chrono::{Datelike, Days, NaiveDate};
use rusqlite::Connection;

/// Days ahead a consent's end is shown, unless the setting says otherwise.
pub const CONSENT_DAYS: u32 = 30;
/// Days ahead a holding's end of retention is shown.
pub const HOLDING_DAYS: u32 = 30;
/// At most this many of each kind are listed (the counts are whole).
const LISTED: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct ConsentEnding {
    pub consent_id: i64,
    pub subject_id: i64,
    pub name: String,
    pub purpose_id: i64,
    pub valid_until: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct HoldingEnding {
    pub holding_id: i64,
    pub subject_id: i64,
    pub name: String,
    pub purpose_id: i64,
    pub category_id: i64,
    pub reason: crate::erasure::retention::Reason,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct RequestDue {
    pub id: i64,
    pub kind: crate::RequestKind,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Reminders {
    pub consent_days: u32,
    pub holding_days: u32,
    pub consents: Vec<ConsentEnding>,
    pub consents_total: usize,
    pub holdings: Vec<HoldingEnding>,
    pub holdings_total: usize,
    /// The next working day after today, by the vault's calendar.
    pub next_working_day: NaiveDate,
    pub requests: Vec<RequestDue>,
    /// In December: next year, when the vault's calendar does not confirm it.
    pub calendar_unconfirmed: Option<i32>,
}

impl Reminders {
    /// How many things need attention.
    pub fn count(&self) -> usize {
        self.consents_total
            + self.holdings_total
            + self.requests.len()
            + usize::from(self.calendar_unconfirmed.is_some())
    }
}

/// The consent window: the setting, else [`CONSENT_DAYS`].
pub fn consent_days(conn: &Connection) -> Result<u32> {
    let v: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT value FROM setting WHERE key = 'reminders.consent_days'",
        [],
        |r| r.get(0),
    ))?;
    Ok(v.and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|d| (1..=366).contains(d))
        .unwrap_or(CONSENT_DAYS))
}

/// The full name from a row's surname, given name and patronymic, from column `at` on.
fn name_at(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<String> {
    let (s, g, p): (String, String, String) = (r.get(at)?, r.get(at + 1)?, r.get(at + 2)?);
    Ok(crate::base::input::full_name(&s, &g, &p))
}

/// What needs attention as of `today`; `consent_days` overrides the setting.
pub fn reminders(
    conn: &Connection,
    today: NaiveDate,
    consent_days: Option<u32>,
) -> Result<Reminders> {
    let days = match consent_days {
        Some(d) => d,
        None => self::consent_days(conn)?,
    };
    let horizon = today + Days::new(u64::from(days));
    // A consent in force that ends within the window, of an active person, not renewed by a
    // later consent for the same purpose that outlasts it (the consents by their end date first:
    // CROSS JOIN keeps that order).
    let mut st = conn.prepare_cached(
        "SELECT c.id, c.subject_id, c.purpose_id, c.valid_until, s.surname, s.given_name,
                s.patronymic FROM consent c
         CROSS JOIN subject s ON s.id = c.subject_id AND s.status = 'active'
         WHERE c.withdrawn_at IS NULL AND c.valid_until >= ?1 AND c.valid_until <= ?2
           AND NOT EXISTS (SELECT 1 FROM consent n WHERE n.subject_id = c.subject_id
                 AND n.purpose_id = c.purpose_id AND n.id <> c.id AND n.withdrawn_at IS NULL
                 AND (n.valid_until IS NULL OR n.valid_until > c.valid_until))
         ORDER BY c.valid_until, c.id",
    )?;
    // The names come with the rows: a lookup per person listed cost more than the list itself.
    let mut consents_total = 0;
    let mut consents = Vec::new();
    let mut rows = st.query([today.to_string(), horizon.to_string()])?;
    while let Some(r) = rows.next()? {
        consents_total += 1;
        if consents.len() == LISTED {
            continue;
        }
        let Some(valid_until) = crate::base::input::parse_date(&r.get::<_, String>(3)?) else {
            continue;
        };
        consents.push(ConsentEnding {
            consent_id: r.get(0)?,
            subject_id: r.get(1)?,
            name: name_at(r, 4)?,
            purpose_id: r.get(2)?,
            valid_until,
        });
    }
    drop(rows);
    // What becomes due within 30 days and is not due today: the maintained due dates (migration
    // 23) count and choose them, the retention sweep's rules, ahead, say why and when.
    let ahead = today + Days::new(u64::from(HOLDING_DAYS));
    let window = [today.to_string(), ahead.to_string()];
    let holdings_total: i64 = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM holding WHERE due_from > ?1 AND due_from <= ?2)
                  - (SELECT count(*) FROM subject s CROSS JOIN holding h ON h.subject_id = s.id
                     WHERE s.status <> 'active' AND h.due_from > ?1 AND h.due_from <= ?2)",
        )?
        .query_row(rusqlite::params![window[0], window[1]], |r| r.get(0))?;
    let chosen: Vec<(i64, i64, String)> = conn
        .prepare_cached(
            "SELECT h.id, h.subject_id, s.surname, s.given_name, s.patronymic FROM holding h
             CROSS JOIN subject s ON s.id = h.subject_id AND s.status = 'active'
             WHERE h.due_from > ?1 AND h.due_from <= ?2
             ORDER BY h.due_from, h.subject_id, h.id LIMIT ?3",
        )?
        .query_map(
            rusqlite::params![window[0], window[1], LISTED as i64],
            |r| Ok((r.get(0)?, r.get(1)?, name_at(r, 2)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut people: Vec<i64> = chosen.iter().map(|(_, s, _)| *s).collect();
    people.sort_unstable();
    people.dedup();
    let listed: std::collections::HashSet<i64> = chosen.iter().map(|(h, _, _)| *h).collect();
    let names: std::collections::HashMap<i64, String> =
        chosen.into_iter().map(|(_, s, name)| (s, name)).collect();
    let sweep = crate::erasure::retention::sweep_in(
        conn,
        ahead,
        crate::erasure::retention::Scope::Only(&people),
    )?;
    let mut ending: Vec<(i64, crate::erasure::retention::DueHolding)> = sweep
        .subjects
        .into_iter()
        .flat_map(|s| s.holdings.into_iter().map(move |h| (s.subject_id, h)))
        .filter(|(_, h)| listed.contains(&h.holding_id))
        .collect();
    ending.sort_by_key(|(s, h)| (h.ended_on, *s, h.holding_id));
    let holdings_total = usize::try_from(holdings_total).unwrap_or(0);
    let mut holdings = Vec::new();
    for (subject_id, h) in ending {
        holdings.push(HoldingEnding {
            holding_id: h.holding_id,
            subject_id,
            name: names.get(&subject_id).cloned().unwrap_or_default(),
            purpose_id: h.purpose_id,
            category_id: h.category_id,
            reason: h.reason,
            ends_on: h.ended_on,
        });
    }
    let calendar = crate::requests::workdays::load(conn, today)?;
    let next_working_day = calendar.add_working_days(today, 1);
    // As the dashboard's "due today" counts them: by the due date in force (the open requests'
    // index of it, migration 26).
    let mut st = conn.prepare_cached(
        "SELECT id, kind, coalesce(extended_to, due_on) FROM request
         WHERE status IN ('new', 'in_progress') AND coalesce(extended_to, due_on) = ?1
         ORDER BY id",
    )?;
    let rows: Vec<(i64, String)> = st
        .query_map([next_working_day.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let requests = rows
        .into_iter()
        .filter_map(|(id, kind)| {
            Some(RequestDue {
                id,
                kind: crate::RequestKind::parse(&kind).ok()?,
                due_on: next_working_day,
            })
        })
        .collect();
    let next_year = today.year() + 1;
    let calendar_unconfirmed = (today.month() == 12
        && crate::requests::workdays::unconfirmed_years(conn, today)?.contains(&next_year))
    .then_some(next_year);
    Ok(Reminders {
        consent_days: days,
        holding_days: HOLDING_DAYS,
        consents,
        consents_total,
        holdings,
        holdings_total,
        next_working_day,
        requests,
        calendar_unconfirmed,
    })
}
