//! Retention (Law 94-V Art. 12, 18; policy 5.7, 8.8, 8.9): which data is held past its time.
//!
//! A holding (a category of a person's data held for a purpose) is due when
//! - its own end date (`holding.until`, e.g. a contract's term) has passed,
//! - its purpose's retention period (`purpose.retention_days`, from law, contract or policy, an
//!   editable setting) counted from `holding.since` has run out, or
//! - it rests on consent, and the person's consent for that purpose has expired or was withdrawn,
//!   with no consent in force left (policy 8.9).
//!
//! A person all of whose holdings are due is destroyed or anonymized as a whole; otherwise only the
//! due holdings end (the rest is still lawfully held). The sweep reads active subjects only: a
//! blocked one is frozen until its block is settled.

use crate::base::language::Language;
use crate::base::progress::Progress;
use crate::erasure::{self, Action, Done, Keep, Origin};
use crate::error::{Error, FieldIssue, Result};
use crate::vault::{Tx, Vault};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The holding's own end date passed.
    Until,
    /// The purpose's retention period ran out.
    Period,
    ConsentExpired,
    ConsentWithdrawn,
}

impl Reason {
    pub fn name(self) -> &'static str {
        match self {
            Reason::Until => "until",
            Reason::Period => "period",
            Reason::ConsentExpired => "consent_expired",
            Reason::ConsentWithdrawn => "consent_withdrawn",
        }
    }
}

crate::base::wire::by_name!(Reason => name);

/// One holding whose time is over.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct DueHolding {
    #[cfg_attr(feature = "serde", serde(skip))]
    pub holding_id: i64,
    pub category_id: i64,
    pub purpose_id: i64,
    pub reason: Reason,
    /// When it ended: the end date, the end of the period, the consent's end or withdrawal.
    pub ended_on: NaiveDate,
}

/// A person with data past its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSubject {
    pub subject_id: i64,
    /// Every holding is due: the person goes as a whole.
    pub whole: bool,
    pub holdings: Vec<DueHolding>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sweep {
    /// In subject id order.
    pub subjects: Vec<DueSubject>,
    pub whole: u64,
    pub partial: u64,
    pub holdings: u64,
}

/// A person of the sweep as the window lists them: with their name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Named {
    pub subject_id: i64,
    pub name: String,
    pub whole: bool,
    pub holdings: Vec<DueHolding>,
}

/// The sweep's counts and one page (`offset`, at most `limit`, up to 500) of its people; a
/// `limit` of 0 gives the counts alone (the dashboard's figure).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Page {
    pub whole: u64,
    pub partial: u64,
    pub holdings: u64,
    pub rows: Vec<Named>,
    /// People held on no recorded basis at all (nothing is "past its time" for them: there is
    /// no time recorded); the registry's filter lists them.
    pub without_basis: i64,
}

pub fn page(conn: &Connection, offset: usize, limit: usize, today: NaiveDate) -> Result<Page> {
    let day = today.to_string();
    // The counts from the maintained due dates (migration 23): the people wholly due by a range
    // of an index; the people due in part and the holdings due from the counts kept per day
    // (`due_tally`, migration 26), less the few people not active, by index.
    let count = |sql: &str| -> Result<u64> {
        let n: i64 = conn.prepare_cached(sql)?.query_row([&day], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    let whole = count(
        "SELECT count(*) FROM subject WHERE status = 'active' AND due_first IS NOT NULL
           AND due_last <= ?1",
    )?;
    // Some data due, all of it or not: due_last <= D implies due_first <= D. The statuses other
    // than 'active' by name (the subject table's CHECK, migration 2): `status <> 'active'` would
    // be read as a scan of every person's entry in the index (4.7 ms against 0.02 ms).
    let some = count(
        "SELECT (SELECT coalesce(sum(first), 0) FROM due_tally WHERE day <= ?1)
              - (SELECT count(*) FROM subject
                 WHERE status IN ('blocked', 'anonymized', 'destroyed')
                   AND due_first IS NOT NULL AND due_first <= ?1)",
    )?;
    let partial = some.saturating_sub(whole);
    let holdings = count(
        "SELECT (SELECT coalesce(sum(holdings), 0) FROM due_tally WHERE day <= ?1)
              - (SELECT count(*) FROM subject s CROSS JOIN holding h ON h.subject_id = s.id
                 WHERE s.status <> 'active' AND h.due_from <= ?1)",
    )?;
    // The page's people in id order: SQLite sorts every person due to find them (3–4 ms at
    // 25 000), which only the retention screen's list needs.
    let ids: Vec<i64> = if limit == 0 {
        Vec::new()
    } else {
        conn.prepare_cached(
            "SELECT id FROM subject WHERE status = 'active' AND due_first IS NOT NULL
               AND due_first <= ?1 ORDER BY id LIMIT ?2 OFFSET ?3",
        )?
        .query_map(
            rusqlite::params![
                day,
                i64::try_from(limit.min(500)).unwrap_or(500),
                i64::try_from(offset).unwrap_or(i64::MAX)
            ],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?
    };
    let mut rows = Vec::new();
    let swept = if ids.is_empty() {
        Vec::new()
    } else {
        sweep_in(conn, today, Scope::Only(&ids))?.subjects
    };
    for d in swept {
        rows.push(Named {
            subject_id: d.subject_id,
            name: crate::registry::subject::full_name(conn, d.subject_id)?,
            whole: d.whole,
            holdings: d.holdings,
        });
    }
    Ok(Page {
        whole,
        partial,
        holdings,
        rows,
        without_basis: crate::registry::holding::without_basis(conn, today)?,
    })
}

/// A consent as the sweep needs it: for which purpose, in force `today`, and when it ended.
struct ConsentState {
    purpose_id: i64,
    in_force: bool,
    withdrawn: bool,
    ended_on: Option<String>,
}

/// Whose holdings a sweep reads.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The active people with something due on the day, by the maintained `subject.due_first`.
    Due,
    /// These people (a page of the list, what the reminders name).
    Only(&'a [i64]),
    /// Everyone: the rules applied to the rows alone, which the maintained dates must agree with.
    #[cfg(test)]
    All,
}

impl Scope<'_> {
    /// The condition on `column` (a subject id) and its one parameter.
    fn condition(&self, column: &str, day: &str) -> (String, String) {
        match self {
            Scope::Due => (
                format!(
                    "{column} IN (SELECT id FROM subject WHERE status = 'active'
                                   AND due_first IS NOT NULL AND due_first <= ?1)"
                ),
                day.to_owned(),
            ),
            Scope::Only(ids) => (
                format!("{column} IN (SELECT value FROM json_each(?1))"),
                format!(
                    "[{}]",
                    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                ),
            ),
            #[cfg(test)]
            Scope::All => ("?1 IS NOT NULL".to_owned(), day.to_owned()),
        }
    }
}

/// What is held past its time `today`.
///
/// The people read are those the maintained due dates point at (migration 23); for them, two
/// ordered scans (holdings and consents by subject) merged here, rather than a correlated query
/// per holding, with a person's holdings all at hand to tell whether everything of theirs is due.
pub fn sweep(conn: &Connection, today: NaiveDate) -> Result<Sweep> {
    sweep_in(conn, today, Scope::Due)
}

pub fn sweep_in(conn: &Connection, today: NaiveDate, scope: Scope<'_>) -> Result<Sweep> {
    let day = today.to_string();
    let mut retention: HashMap<i64, i64> = HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT id, retention_days FROM purpose WHERE retention_days IS NOT NULL",
        )?;
        for row in st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (id, days) = row?;
            retention.insert(id, days);
        }
    }
    // A period set for a purpose and a category of people comes before the purpose's own.
    let mut by_category: HashMap<(i64, i64), i64> = HashMap::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT purpose_id, subject_category_id, days FROM purpose_retention",
        )?;
        for row in st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })? {
            let (p, c, days) = row?;
            by_category.insert((p, c), days);
        }
    }
    let category_of: HashMap<i64, i64> = if by_category.is_empty() {
        HashMap::new()
    } else {
        let (cond, arg) = scope.condition("id", &day);
        conn.prepare_cached(&format!(
            "SELECT id, category_id FROM subject WHERE category_id IS NOT NULL AND {cond}"
        ))?
        .query_map([arg], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<_>>()?
    };
    // Blocked, destroyed and anonymized people are left alone (few; a partial index lists them).
    let inactive: HashSet<i64> = conn
        .prepare_cached("SELECT id FROM subject WHERE status <> 'active'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (cond, arg) = scope.condition("subject_id", &day);
    let mut consents_st = conn.prepare_cached(&format!(
        "SELECT subject_id, purpose_id, valid_until, withdrawn_at FROM consent WHERE {cond}
         ORDER BY subject_id"
    ))?;
    let consents: Vec<(i64, ConsentState)> = consents_st
        .query_map([&arg], |r| {
            let valid_until: Option<String> = r.get(2)?;
            let withdrawn_at: Option<String> = r.get(3)?;
            let withdrawn = withdrawn_at.is_some();
            let in_force = !withdrawn && valid_until.as_deref().is_none_or(|u| u >= day.as_str());
            let ended_on = withdrawn_at
                .map(|w| w.chars().take(10).collect())
                .or(valid_until);
            Ok((
                r.get::<_, i64>(0)?,
                ConsentState {
                    purpose_id: r.get(1)?,
                    in_force,
                    withdrawn,
                    ended_on,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut next_consent = 0;
    let mut holdings_st = conn.prepare_cached(&format!(
        "SELECT id, subject_id, category_id, purpose_id, basis, since, until FROM holding
         WHERE {cond} ORDER BY subject_id, id"
    ))?;
    let holdings = holdings_st.query_map([&arg], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Sweep::default();
    // The subject being read: its id, how many holdings, its due ones, its consents.
    let mut current: Option<(i64, usize, Vec<DueHolding>)> = None;
    let mut theirs: &[(i64, ConsentState)] = &[];
    let finish = |cur: Option<(i64, usize, Vec<DueHolding>)>, out: &mut Sweep| {
        if let Some((subject_id, all, due)) = cur
            && !due.is_empty()
        {
            let whole = due.len() == all;
            out.holdings += due.len() as u64;
            if whole {
                out.whole += 1;
            } else {
                out.partial += 1;
            }
            out.subjects.push(DueSubject {
                subject_id,
                whole,
                holdings: due,
            });
        }
    };
    for row in holdings {
        let (holding_id, subject_id, category_id, purpose_id, basis, since, until) = row?;
        if inactive.contains(&subject_id) {
            continue;
        }
        if current.as_ref().is_none_or(|c| c.0 != subject_id) {
            finish(current.take(), &mut out);
            current = Some((subject_id, 0, Vec::new()));
            // Both lists go by subject id: skip the consents of people before this one.
            while consents.get(next_consent).is_some_and(|c| c.0 < subject_id) {
                next_consent += 1;
            }
            let from = next_consent;
            while consents
                .get(next_consent)
                .is_some_and(|c| c.0 == subject_id)
            {
                next_consent += 1;
            }
            theirs = &consents[from..next_consent];
        }
        let Some(cur) = current.as_mut() else {
            continue;
        };
        cur.1 += 1;
        let days = category_of
            .get(&subject_id)
            .and_then(|c| by_category.get(&(purpose_id, *c)))
            .or_else(|| retention.get(&purpose_id));
        let period_end = days.and_then(|days| {
            crate::base::input::parse_date(&since)
                .and_then(|s| s.checked_add_days(chrono::Days::new(u64::try_from(*days).ok()?)))
        });
        let due = match (
            until.as_deref().and_then(crate::base::input::parse_date),
            period_end,
        ) {
            (Some(u), _) if u < today => Some((Reason::Until, u)),
            (_, Some(p)) if p < today => Some((Reason::Period, p)),
            _ if basis == "consent" => {
                let mut for_purpose = theirs
                    .iter()
                    .map(|(_, c)| c)
                    .filter(|c| c.purpose_id == purpose_id);
                let any = for_purpose.clone().next().is_some();
                if any && !for_purpose.clone().any(|c| c.in_force) {
                    let reason = if for_purpose.clone().any(|c| c.withdrawn) {
                        Reason::ConsentWithdrawn
                    } else {
                        Reason::ConsentExpired
                    };
                    let ended = for_purpose
                        .by_ref()
                        .filter_map(|c| {
                            c.ended_on
                                .as_deref()
                                .and_then(crate::base::input::parse_date)
                        })
                        .max()
                        .unwrap_or(today);
                    Some((reason, ended))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((reason, ended_on)) = due {
            cur.2.push(DueHolding {
                holding_id,
                category_id,
                purpose_id,
                reason,
                ended_on,
            });
        }
    }
    finish(current.take(), &mut out);
    Ok(out)
}

/// Carries the sweep out in one batch with one act: the people whose every holding is due are
/// destroyed or anonymized (`action`, `keep`), the single due holdings of the others end.
/// `subjects`, when given, limits it to those people (as chosen in the list).
pub fn carry_out(
    vault: &mut Vault,
    action: Action,
    keep: Keep,
    subjects: Option<&[i64]>,
    lang: Language,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Done> {
    carry_out_with(
        vault,
        action,
        keep,
        subjects,
        lang,
        today,
        now,
        Progress::unwatched(),
    )
}

/// [`carry_out`], one reported step per person; a stop asked on `progress` rolls it all back.
#[allow(clippy::too_many_arguments)]
pub fn carry_out_with(
    vault: &mut Vault,
    action: Action,
    keep: Keep,
    subjects: Option<&[i64]>,
    lang: Language,
    today: NaiveDate,
    now: DateTime<Utc>,
    progress: &Progress,
) -> Result<Done> {
    let head = crate::documents::letterhead::load(vault.conn())?;
    crate::documents::letterhead::require_complete(&head)?;
    let keep = if action == Action::Destroy {
        Keep::default()
    } else {
        keep
    };
    vault.transact(now, |tx| {
        // Read again inside the transaction: it acts on exactly what it reads.
        let mut due = sweep(tx, today)?;
        if let Some(only) = subjects {
            due.subjects.retain(|s| only.contains(&s.subject_id));
        }
        if due.subjects.is_empty() {
            return Err(Error::Invalid(vec![FieldIssue {
                field: "subjects",
                code: "retention.nothing_due",
            }]));
        }
        apply(tx, &due, action, keep, lang, today, progress)
    })
}

fn apply(
    tx: &Tx<'_>,
    due: &Sweep,
    action: Action,
    keep: Keep,
    lang: Language,
    today: NaiveDate,
    progress: &Progress,
) -> Result<Done> {
    let batch = erasure::open(tx, action, Origin::Retention, "", None, keep, today)?;
    progress.begin(due.subjects.len() as u64);
    for s in &due.subjects {
        progress.advance(1)?;
        if s.whole {
            erasure::erase(tx, batch, action, keep, s.subject_id, today)?;
        } else {
            for h in &s.holdings {
                erasure::end_holding(tx, batch, h.holding_id, h.reason.name())?;
            }
        }
    }
    erasure::close(tx, batch, lang, today)
}

/// The sweep as CSV for an inspection: record numbers, categories and purposes by code, reasons
/// and dates — no names.
pub fn report_csv(conn: &Connection, sweep: &Sweep, out: &mut dyn std::io::Write) -> Result<()> {
    let code = |table: &str| -> Result<std::collections::HashMap<i64, String>> {
        let mut st = conn.prepare(&format!("SELECT id, code FROM {table}"))?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let (cats, purposes) = (code("data_category")?, code("purpose")?);
    let mut w = crate::files::csv_table::Writer::new(out)?;
    w.row([
        "subject", "scope", "category", "purpose", "reason", "ended_on",
    ])?;
    for s in &sweep.subjects {
        let id = s.subject_id.to_string();
        for h in &s.holdings {
            let ended = h.ended_on.to_string();
            w.row([
                id.as_str(),
                if s.whole { "whole" } else { "holding" },
                cats.get(&h.category_id).map_or("", String::as_str),
                purposes.get(&h.purpose_id).map_or("", String::as_str),
                h.reason.name(),
                ended.as_str(),
            ])?;
        }
    }
    w.finish()
}

/// Sets purpose `purpose_id`'s retention period (`days`, `None`: until the purpose is achieved),
/// where it comes from and the clause, keeping its names (the catalogue's own update).
pub fn set_period(
    vault: &mut Vault,
    purpose_id: i64,
    days: Option<i64>,
    source: Option<&str>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let item = crate::registry::catalog::purposes(vault.conn())?
        .into_iter()
        .find(|p| p.id == purpose_id)
        .ok_or(Error::NotFound {
            kind: "purpose",
            id: purpose_id,
        })?;
    let input = crate::registry::catalog::ItemInput {
        code: item.code,
        name_ru: item.name_ru,
        name_kk: item.name_kk,
        name_en: item.name_en,
        is_marketing: item.is_marketing,
        retention_days: days,
        retention_source: source.map(str::to_owned),
        retention_note: note.to_owned(),
    };
    crate::registry::catalog::update_item(
        vault,
        crate::registry::catalog::CatalogTable::Purpose,
        purpose_id,
        &input,
        now,
    )
}

#[cfg(test)]
mod tests {
    //! The maintained due dates (migration 23) against the rules applied to every row: after
    //! random writes of every kind the triggers follow, the sweep of the people they point at
    //! equals the sweep of everyone, on days spread over five years.

    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    fn random_date(rng: &mut StdRng, around: NaiveDate) -> String {
        (around + chrono::Duration::days(rng.random_range(-900..900))).to_string()
    }

    fn scramble(conn: &Connection, rng: &mut StdRng, today: NaiveDate) {
        let ids = |sql: &str| -> Vec<i64> {
            conn.prepare(sql)
                .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
                .expect("ids")
        };
        let holdings = ids("SELECT id FROM holding");
        let consents = ids("SELECT id FROM consent");
        let subjects = ids("SELECT id FROM subject");
        let purposes = ids("SELECT id FROM purpose");
        let pick = |rng: &mut StdRng, v: &[i64]| v[rng.random_range(0..v.len())];
        for _ in 0..300 {
            let r = rng.random_range(0..13);
            let run = |sql: &str, p: &[&dyn rusqlite::ToSql]| {
                conn.execute(sql, p).expect(sql);
            };
            match r {
                0 => run(
                    "UPDATE holding SET until = ?1 WHERE id = ?2",
                    &[&random_date(rng, today), &pick(rng, &holdings)],
                ),
                1 => run(
                    "UPDATE holding SET until = NULL, since = ?1 WHERE id = ?2",
                    &[&random_date(rng, today), &pick(rng, &holdings)],
                ),
                2 => run(
                    "UPDATE holding SET basis = ?1 WHERE id = ?2",
                    &[
                        &["consent", "contract", "law"][rng.random_range(0..3)],
                        &pick(rng, &holdings),
                    ],
                ),
                3 => run(
                    "DELETE FROM holding WHERE id = ?1",
                    &[&pick(rng, &holdings)],
                ),
                4 => run(
                    "UPDATE consent SET withdrawn_at = ?1 WHERE id = ?2",
                    &[
                        &format!("{}T10:00:00+00:00", random_date(rng, today)),
                        &pick(rng, &consents),
                    ],
                ),
                5 => run(
                    "UPDATE consent SET valid_until = ?1, withdrawn_at = NULL WHERE id = ?2",
                    &[&random_date(rng, today), &pick(rng, &consents)],
                ),
                6 => run(
                    "UPDATE consent SET valid_until = NULL WHERE id = ?1",
                    &[&pick(rng, &consents)],
                ),
                7 => run(
                    "DELETE FROM consent WHERE id = ?1",
                    &[&pick(rng, &consents)],
                ),
                8 => run(
                    "UPDATE purpose SET retention_days = ?1 WHERE id = ?2",
                    &[&rng.random_range(30..2000), &pick(rng, &purposes)],
                ),
                9 => run(
                    "INSERT OR REPLACE INTO purpose_retention (purpose_id, subject_category_id, days)
                     VALUES (?1, ?2, ?3)",
                    &[
                        &pick(rng, &purposes),
                        &rng.random_range(1..6),
                        &rng.random_range(30..2000),
                    ],
                ),
                10 => run(
                    "UPDATE subject SET category_id = ?1 WHERE id = ?2",
                    &[&rng.random_range(1..6), &pick(rng, &subjects)],
                ),
                11 => run(
                    "UPDATE consent SET subject_id = ?1 WHERE id = ?2",
                    &[&pick(rng, &subjects), &pick(rng, &consents)],
                ),
                _ => run(
                    "UPDATE subject SET status = ?1 WHERE id = ?2",
                    &[
                        &["active", "blocked"][rng.random_range(0..2)],
                        &pick(rng, &subjects),
                    ],
                ),
            }
        }
        // A category's own period withdrawn again, and consents added to old people.
        run_ok(conn, "DELETE FROM purpose_retention WHERE days < 300");
    }

    fn run_ok(conn: &Connection, sql: &str) {
        conn.execute_batch(sql).expect(sql);
    }

    #[test]
    fn the_maintained_due_dates_agree_with_the_rules_on_random_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now = chrono::Utc::now();
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        let pass = crate::Passphrase::existing("a test passphrase 2026").expect("pass");
        let mut v = Vault::create(&dir.path().join("v.derbes"), &pass, now).expect("create");
        crate::app::demo::populate(
            &mut v,
            crate::app::demo::Spec {
                subjects: 300,
                requests: 0,
                seed: 5,
            },
            today,
            now,
        )
        .expect("populate");
        let mut rng = StdRng::seed_from_u64(20);
        let mut days_seen = 0;
        for round in 0..4 {
            if round > 0 {
                scramble(v.conn(), &mut rng, today);
            }
            // The withdrawn mark of the registry's filter (migration 25), kept by the same writes.
            let wrong: i64 = v
                .conn()
                .query_row(
                    "SELECT count(*) FROM subject s WHERE has_withdrawn IS NOT EXISTS (
                         SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NOT NULL)",
                    [],
                    |r| r.get(0),
                )
                .expect("marks");
            assert_eq!(wrong, 0, "round {round}");
            for step in -30..30 {
                let day = today + chrono::Duration::days(step * 31 + rng.random_range(0..31));
                let all = sweep_in(v.conn(), day, Scope::All).expect("all");
                let due = sweep(v.conn(), day).expect("due");
                assert_eq!(all, due, "round {round}, {day}");
                let p = page(v.conn(), 0, 500, day).expect("page");
                assert_eq!(
                    (p.whole, p.partial, p.holdings),
                    (all.whole, all.partial, all.holdings),
                    "round {round}, {day}"
                );
                let listed: Vec<i64> = p.rows.iter().map(|r| r.subject_id).collect();
                let expected: Vec<i64> = all
                    .subjects
                    .iter()
                    .take(500)
                    .map(|s| s.subject_id)
                    .collect();
                assert_eq!(listed, expected, "round {round}, {day}");
                // The dashboard's figure: the same counts, no page.
                let figure = page(v.conn(), 0, 0, day).expect("figure");
                assert_eq!(
                    (
                        figure.whole,
                        figure.partial,
                        figure.holdings,
                        figure.without_basis
                    ),
                    (p.whole, p.partial, p.holdings, p.without_basis),
                    "round {round}, {day}"
                );
                assert!(figure.rows.is_empty());
                let read: i64 = v
                    .conn()
                    .query_row(
                        &format!(
                            "SELECT count(*) FROM subject s WHERE s.status IN ('active', 'blocked')
                               AND {}",
                            crate::registry::holding::no_basis_condition_read("?1")
                        ),
                        [day.to_string()],
                        |r| r.get(0),
                    )
                    .expect("read");
                assert_eq!(
                    crate::registry::holding::without_basis(v.conn(), day).expect("kept"),
                    read,
                    "round {round}, {day}"
                );
                if all.holdings > 0 && all.whole + all.partial < 300 {
                    days_seen += 1;
                }
            }
        }
        // Not a vacuous pass: most days have some people due and some not.
        assert!(days_seen > 100, "{days_seen}");
    }
}
