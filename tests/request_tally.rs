//! The dashboard's request figures come from the open requests counted by the vault's triggers
//! (`request_open_tally`, migration 26). Whatever writes the request table — Derbes's own code, a
//! migration, a script with the passphrase — the figures must equal a count of the requests
//! themselves. Random writes straight to the table, then the two compared after each one.

mod common;

use chrono::{Days, NaiveDate};
use common::*;
use derbes::app::status::{RequestFigures, request_figures};
use rusqlite::Connection;

const KINDS: [&str; 4] = ["access", "update", "destroy", "authority"];
const STATUSES: [&str; 6] = [
    "new",
    "in_progress",
    "answered",
    "refused",
    "closed",
    "cancelled",
];

/// The figures counted from the requests, as the dashboard did before the tally.
fn recount(c: &Connection, today: NaiveDate) -> RequestFigures {
    let week = today + Days::new(7);
    let (overdue, due_today, due_this_week, new, open) = c
        .query_row(
            "SELECT coalesce(sum(e < ?1), 0), coalesce(sum(e = ?1), 0),
                    coalesce(sum(e > ?1 AND e <= ?2), 0), coalesce(sum(status = 'new'), 0), count(*)
             FROM (SELECT coalesce(extended_to, due_on) AS e, status FROM request
                   WHERE status IN ('new', 'in_progress'))",
            [today.to_string(), week.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let mut st = c
        .prepare(
            "SELECT kind, count(*) FROM request WHERE status IN ('new', 'in_progress')
             GROUP BY kind",
        )
        .unwrap();
    let mut open_by_kind: Vec<(derbes::RequestKind, i64)> = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|r| {
            let (k, n) = r.unwrap();
            (derbes::RequestKind::parse(&k).unwrap(), n)
        })
        .collect();
    open_by_kind.sort_by_key(|(k, _)| *k);
    RequestFigures {
        overdue,
        due_today,
        due_this_week,
        new,
        open,
        open_by_kind,
    }
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn figures_from_the_tally_equal_a_recount_after_every_kind_of_write() {
    let t = TempVault::new();
    let v = t.create();
    let c = v.conn();
    let today = today();
    let day = |offset: usize| (today - Days::new(10) + Days::new(offset as u64)).to_string();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut steps = [0usize; 6];
    for step in 0..600 {
        let ids: Vec<i64> = c
            .prepare("SELECT id FROM request")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let pick = |rng: &mut Rng| ids[rng.below(ids.len())];
        // Registrations three times as often as each other write, so that the vault fills.
        let what = if ids.is_empty() {
            0
        } else {
            rng.below(8).saturating_sub(2)
        };
        steps[what] += 1;
        match what {
            // A request registered, open or not (an import brings closed ones too).
            0 => {
                let extended = (rng.below(3) == 0).then(|| day(rng.below(25)));
                c.execute(
                    "INSERT INTO request (kind, channel, received_on, status, due_on, extended_to,
                                          created_at, updated_at)
                     VALUES (?1, 'paper', ?2, ?3, ?4, ?5, 'x', 'x')",
                    rusqlite::params![
                        KINDS[rng.below(KINDS.len())],
                        day(0),
                        STATUSES[rng.below(STATUSES.len())],
                        day(rng.below(20)),
                        extended
                    ],
                )
                .unwrap();
            }
            // Started, answered, refused, cancelled, reopened by a correction.
            1 => {
                let id = pick(&mut rng);
                c.execute(
                    "UPDATE request SET status = ?1 WHERE id = ?2",
                    rusqlite::params![STATUSES[rng.below(STATUSES.len())], id],
                )
                .unwrap();
            }
            // Extended, or the extension taken back.
            2 => {
                let id = pick(&mut rng);
                let to = (rng.below(2) == 0).then(|| day(rng.below(25)));
                c.execute(
                    "UPDATE request SET extended_to = ?1 WHERE id = ?2",
                    rusqlite::params![to, id],
                )
                .unwrap();
            }
            // The kind or the legal due date corrected (issue 18), sometimes both with the status.
            3 => {
                let id = pick(&mut rng);
                c.execute(
                    "UPDATE request SET kind = ?1, due_on = ?2,
                            status = CASE WHEN ?3 THEN 'in_progress' ELSE status END
                     WHERE id = ?4",
                    rusqlite::params![
                        KINDS[rng.below(KINDS.len())],
                        day(rng.below(20)),
                        rng.below(2) == 0,
                        id
                    ],
                )
                .unwrap();
            }
            // An update that touches none of the counted columns.
            4 => {
                let id = pick(&mut rng);
                c.execute(
                    "UPDATE request SET body = 'text', updated_at = 'y' WHERE id = ?1",
                    [id],
                )
                .unwrap();
            }
            // Deleted (a vault's rows removed by a script; Derbes itself keeps requests).
            _ => {
                let id = pick(&mut rng);
                c.execute("DELETE FROM request WHERE id = ?1", [id])
                    .unwrap();
            }
        }
        // Every day of the window, so that overdue, today and the week all move.
        for d in [today - Days::new(3), today, today + Days::new(4)] {
            assert_eq!(
                request_figures(c, d).unwrap(),
                recount(c, d),
                "step {step} (write {what}), as of {d}"
            );
        }
    }
    // The run did exercise every kind of write, and left open requests to count.
    assert!(steps.iter().all(|&n| n > 30), "{steps:?}");
    assert!(recount(c, today).open > 10);
    // No row is left counting nothing.
    let empty: i64 = c
        .query_row(
            "SELECT count(*) FROM request_open_tally WHERE n <= 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(empty, 0);
}

#[test]
fn a_vault_migrated_from_before_the_tallies_counts_what_it_holds() {
    let t = TempVault::new();
    let v = filled(&t);
    let c = v.conn();
    let today = today();
    // The retention figure on days from now to ten years ahead, before the tallies existed.
    let days: Vec<NaiveDate> = (0..40).map(|i| today + Days::new(i * 97)).collect();
    let figure = |c: &Connection| -> Vec<(u64, u64, u64)> {
        days.iter()
            .map(|d| {
                let p = derbes::erasure::retention::page(c, 0, 0, *d).unwrap();
                (p.whole, p.partial, p.holdings)
            })
            .collect()
    };
    let before = figure(c);
    assert!(
        before.iter().any(|&(w, p, h)| w > 0 && p > 0 && h > 0),
        "{before:?}"
    );
    let before_requests = recount(c, today);
    for (status, due) in [
        ("new", today - Days::new(2)),
        ("in_progress", today),
        ("new", today + Days::new(3)),
        ("answered", today - Days::new(5)),
    ] {
        c.execute(
            "INSERT INTO request (kind, channel, received_on, status, due_on, created_at, updated_at)
             VALUES ('access', 'paper', ?1, ?2, ?3, 'x', 'x')",
            rusqlite::params![today.to_string(), status, due.to_string()],
        )
        .unwrap();
    }
    // Back to schema 25, as a vault written before this version has it, then reopened.
    c.execute_batch(
        "DROP TRIGGER request_tally_insert; DROP TRIGGER request_tally_update;
         DROP TRIGGER request_tally_delete; DROP TABLE request_open_tally;
         DROP INDEX request_open_due;
             DROP TRIGGER subject_tally_insert; DROP TRIGGER subject_tally_update; DROP TRIGGER subject_tally_delete;
             DROP TRIGGER holding_tally_insert; DROP TRIGGER holding_tally_update; DROP TRIGGER holding_tally_delete; DROP TABLE due_tally; PRAGMA user_version = 25;",
    )
    .unwrap();
    drop(v);
    let v = t.open().unwrap();
    let f = request_figures(v.conn(), today).unwrap();
    let b = &before_requests;
    assert_eq!(
        (f.overdue, f.due_today, f.due_this_week, f.new, f.open),
        (
            b.overdue + 1,
            b.due_today + 1,
            b.due_this_week + 1,
            b.new + 2,
            b.open + 3
        )
    );
    assert_eq!(f, recount(v.conn(), today));
    assert_eq!(figure(v.conn()), before);
}
