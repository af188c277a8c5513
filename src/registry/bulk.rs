//! One change for many people (issue 18): a consent or a holding recorded, holdings of a purpose
//! ended, consents of a purpose withdrawn, or marketing refused (the stop-list), for a chosen list
//! of subjects or everyone a registry filter finds. A preview says how many would change and why
//! the others would not; the change itself is one transaction with one journal entry per person
//! changed and one for the whole, each person checked as the card would check them.

use crate::error::{Error, FieldIssue, Result};
use crate::registry::consent::{self, ConsentInput};
use crate::registry::holding::{self, HoldingInput};
use crate::registry::search::{self, Query};
use crate::registry::suppression;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};

/// What is done to each person.
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(
        tag = "action",
        rename_all = "snake_case",
        rename_all_fields = "camelCase"
    )
)]
pub enum Change {
    /// The same consent recorded for each (a person with one in force for the purpose is left).
    RecordConsent { consent: ConsentInput },
    /// The same holding recorded for each (one in effect for the category and purpose: left).
    AddHolding { holding: HoldingInput },
    /// Every holding of the purpose in effect ends on `on` (`YYYY-MM-DD` or `DD.MM.YYYY`).
    EndHoldings { purpose_id: i64, on: String },
    /// Every consent in force for the purpose (any purpose: `None`) is withdrawn on `on`.
    WithdrawConsents {
        purpose_id: Option<i64>,
        on: String,
        channel: String,
    },
    /// Marketing refused on `on`: the person's addresses go on the stop-list (policy 6.2).
    StopList { on: String, channel: String },
}

/// Whom it is done to: these subjects, or everyone the registry's filter finds.
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Selection {
    Subjects(Vec<i64>),
    Filter(Query),
}

/// How many a change touches: the people chosen, those it changes, those it leaves as they are
/// (nothing to change), and those it cannot change, by reason code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Outcome {
    pub selected: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: Vec<(&'static str, usize)>,
}

impl Outcome {
    fn refuse(&mut self, code: &'static str) {
        match self.refused.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.refused.push((code, 1)),
        }
    }
}

/// At most this many people in one change.
pub const MAX: usize = 200_000;

fn people(conn: &Connection, sel: &Selection, today: NaiveDate) -> Result<Vec<i64>> {
    match sel {
        Selection::Subjects(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        }
        Selection::Filter(q) => {
            // Text matches are capped in the list's count; a bulk change over them would be a
            // guess, so a filter with text must be narrow enough to count exactly.
            let mut out = Vec::new();
            let mut q = q.clone();
            q.offset = 0;
            q.limit = 500;
            loop {
                let page = search::search(conn, &q, today)?;
                if page.capped {
                    return Err(Error::Invalid(vec![FieldIssue {
                        field: "selection",
                        code: "bulk.too_many_matches",
                    }]));
                }
                let n = page.rows.len();
                out.extend(page.rows.into_iter().map(|r| r.id));
                if n < 500 || out.len() > MAX {
                    break;
                }
                q.offset += 500;
            }
            Ok(out)
        }
    }
}

fn day(raw: &str, field: &'static str, today: NaiveDate) -> Result<NaiveDate> {
    match crate::base::input::typed_date(raw, Some(today), field) {
        Ok(Some(d)) if d > today => Err(Error::Invalid(vec![FieldIssue {
            field,
            code: "date.future",
        }])),
        Ok(Some(d)) => Ok(d),
        Ok(None) => Ok(today),
        Err(i) => Err(Error::Invalid(vec![i])),
    }
}

/// What the change does to one person: written when `tx` is given, else only decided.
enum Plan {
    Consent(consent::Checked),
    Holding(NaiveDate, Option<NaiveDate>),
    End(Vec<i64>),
    Withdraw(Vec<i64>),
    Refuse,
}

/// Decides for one person: `Ok(Some)` to change, `Ok(None)` nothing to change, `Err(code)` refused.
fn plan(
    conn: &Connection,
    id: i64,
    change: &Change,
    today: NaiveDate,
) -> Result<std::result::Result<Option<Plan>, &'static str>> {
    let status: Option<String> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT status FROM subject WHERE id = ?1",
        [id],
        |r| r.get(0),
    ))?;
    match status.as_deref() {
        None => return Ok(Err("bulk.not_found")),
        Some("active") => {}
        // A blocked person's data is not changed; an erased record has none.
        Some("blocked") => return Ok(Err("bulk.blocked")),
        Some(_) => return Ok(Err("bulk.erased")),
    }
    let t = today.to_string();
    Ok(match change {
        Change::RecordConsent { consent: input } => {
            let has: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM consent WHERE subject_id = ?1 AND purpose_id = ?2
                       AND withdrawn_at IS NULL AND (valid_until IS NULL OR valid_until >= ?3))",
                )?
                .query_row(params![id, input.purpose_id, t], |r| r.get(0))?;
            if has {
                Ok(None)
            } else {
                match consent::check(conn, id, input, today) {
                    Ok(c) => Ok(Some(Plan::Consent(c))),
                    Err(Error::Invalid(issues))
                        if issues
                            .iter()
                            .any(|i| i.code == "consent.minor_needs_representative") =>
                    {
                        Err("consent.minor_needs_representative")
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Change::AddHolding { holding: input } => {
            let has: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM holding WHERE subject_id = ?1 AND category_id = ?2
                       AND purpose_id = ?3 AND (until IS NULL OR until >= ?4))",
                )?
                .query_row(params![id, input.category_id, input.purpose_id, t], |r| {
                    r.get(0)
                })?;
            if has {
                Ok(None)
            } else {
                let (since, until) = holding::check(conn, id, input, today)?;
                Ok(Some(Plan::Holding(since, until)))
            }
        }
        Change::EndHoldings { purpose_id, on } => {
            let on = day(on, "on", today)?.to_string();
            let ids: Vec<i64> = conn
                .prepare_cached(
                    "SELECT id FROM holding WHERE subject_id = ?1 AND purpose_id = ?2
                       AND (until IS NULL OR until > ?3) AND since <= ?3",
                )?
                .query_map(params![id, purpose_id, on], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((!ids.is_empty()).then_some(Plan::End(ids)))
        }
        Change::WithdrawConsents { purpose_id, on, .. } => {
            let on = day(on, "on", today)?.to_string();
            let ids: Vec<i64> = conn
                .prepare_cached(
                    "SELECT id FROM consent WHERE subject_id = ?1
                       AND (?2 IS NULL OR purpose_id = ?2) AND withdrawn_at IS NULL
                       AND (valid_until IS NULL OR valid_until >= ?3) AND granted_at <= ?3",
                )?
                .query_map(params![id, purpose_id, on], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((!ids.is_empty()).then_some(Plan::Withdraw(ids)))
        }
        Change::StopList { .. } => {
            let has: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM marketing_refusal WHERE subject_id = ?1
                       AND revoked_at IS NULL)",
                )?
                .query_row([id], |r| r.get(0))?;
            Ok((!has).then_some(Plan::Refuse))
        }
    })
}

/// Checks what the change needs before touching anyone: the channel, the dates.
fn precheck(change: &Change, today: NaiveDate) -> Result<()> {
    match change {
        Change::WithdrawConsents { on, channel, .. } | Change::StopList { on, channel } => {
            day(on, "on", today)?;
            if !consent::CHANNELS.contains(&channel.as_str()) {
                return Err(Error::Invalid(vec![FieldIssue {
                    field: "channel",
                    code: "required",
                }]));
            }
        }
        Change::EndHoldings { on, .. } => {
            day(on, "on", today)?;
        }
        Change::RecordConsent { .. } | Change::AddHolding { .. } => {}
    }
    Ok(())
}

/// How many the change would touch, without writing anything.
pub fn preview(
    conn: &Connection,
    sel: &Selection,
    change: &Change,
    today: NaiveDate,
) -> Result<Outcome> {
    precheck(change, today)?;
    let ids = people(conn, sel, today)?;
    let mut out = Outcome {
        selected: ids.len(),
        ..Outcome::default()
    };
    for id in ids {
        match plan(conn, id, change, today)? {
            Ok(Some(_)) => out.changed += 1,
            Ok(None) => out.unchanged += 1,
            Err(code) => out.refuse(code),
        }
    }
    Ok(out)
}

/// Carries the change out for everyone it applies to, in one transaction; returns what it did.
pub fn run(
    vault: &mut Vault,
    sel: &Selection,
    change: &Change,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Outcome> {
    precheck(change, today)?;
    let ids = people(vault.conn(), sel, today)?;
    if ids.len() > MAX {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "selection",
            code: "bulk.too_many_matches",
        }]));
    }
    let mut out = Outcome {
        selected: ids.len(),
        ..Outcome::default()
    };
    let mut plans = Vec::new();
    for id in ids {
        match plan(vault.conn(), id, change, today)? {
            Ok(Some(p)) => plans.push((id, p)),
            Ok(None) => out.unchanged += 1,
            Err(code) => out.refuse(code),
        }
    }
    let name = match change {
        Change::RecordConsent { .. } => "consent recorded",
        Change::AddHolding { .. } => "holding added",
        Change::EndHoldings { .. } => "holdings ended",
        Change::WithdrawConsents { .. } => "consents withdrawn",
        Change::StopList { .. } => "marketing refused",
    };
    vault.transact(now, |tx| {
        for (id, p) in &plans {
            match (p, change) {
                (Plan::Consent(c), Change::RecordConsent { consent: input }) => {
                    consent::insert(tx, *id, input, c)?;
                }
                (Plan::Holding(since, until), Change::AddHolding { holding: input }) => {
                    holding::insert(tx, *id, input, *since, *until)?;
                }
                (Plan::End(holdings), Change::EndHoldings { on, .. }) => {
                    let on = day(on, "on", today)?.to_string();
                    for h in holdings {
                        tx.execute(
                            "UPDATE holding SET until = ?2 WHERE id = ?1",
                            params![h, on],
                        )?;
                    }
                    tx.journal(
                        &Entry::new("holding.ended")
                            .record("subject", *id)
                            .detail(format!("{} holdings, until {on}", holdings.len())),
                    )?;
                }
                (Plan::Withdraw(consents), Change::WithdrawConsents { on, channel, .. }) => {
                    let on = day(on, "on", today)?;
                    for c in consents {
                        consent::withdraw_in(tx, *id, *c, on, channel)?;
                    }
                }
                (Plan::Refuse, Change::StopList { on, channel }) => {
                    suppression::refuse_in(tx, *id, day(on, "on", today)?, channel, None)?;
                }
                _ => return Err(Error::Damaged),
            }
        }
        tx.journal(&Entry::new("subjects.bulk").detail(format!(
            "{name}: {} of {} changed, {} unchanged, {} refused",
            plans.len(),
            out.selected,
            out.unchanged,
            out.refused.iter().map(|(_, n)| n).sum::<usize>()
        )))?;
        Ok(())
    })?;
    out.changed = plans.len();
    Ok(out)
}
