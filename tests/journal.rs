//! The journal's chain: append-only in SQL, and any edit behind SQL's back is found.

mod common;

use common::*;
use derbes::vault::journal::{self, Entry};

#[test]
fn tampering_is_found_at_the_first_broken_entry() {
    let t = TempVault::new();
    let mut v = t.create();
    for i in 0..5 {
        v.write(
            now(),
            &Entry::new("test.action").record("subject", i),
            |_| Ok(()),
        )
        .unwrap();
    }
    let total = journal::verify(v.conn()).unwrap();
    // SQL refuses updates and deletes.
    let err = v
        .conn()
        .execute("UPDATE journal SET detail = 'x' WHERE seq = 3", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"));
    assert!(
        v.conn()
            .execute("DELETE FROM journal WHERE seq = 3", [])
            .is_err()
    );
    // Someone who drops the trigger and edits an entry is still caught.
    v.conn()
        .execute_batch("DROP TRIGGER journal_append_only_update")
        .unwrap();
    v.conn()
        .execute("UPDATE journal SET record_id = 99 WHERE seq = 6", [])
        .unwrap();
    let err = journal::verify(v.conn()).unwrap_err();
    assert_eq!(err.code(), "journal.broken");
    assert!(
        matches!(err, derbes::Error::JournalBroken { seq: 6, .. }),
        "{err:?}"
    );
    assert!(total >= 8);
}

#[test]
fn a_removed_entry_is_found() {
    let t = TempVault::new();
    let mut v = t.create();
    for _ in 0..3 {
        v.write(now(), &Entry::new("test.action"), |_| Ok(()))
            .unwrap();
    }
    v.conn()
        .execute_batch(
            "DROP TRIGGER journal_append_only_delete; DELETE FROM journal WHERE seq = 2;",
        )
        .unwrap();
    assert!(matches!(
        journal::verify(v.conn()).unwrap_err(),
        derbes::Error::JournalBroken { seq: 2, .. }
    ));
}

#[test]
fn a_failed_change_leaves_no_journal_entry() {
    let t = TempVault::new();
    let mut v = t.create();
    let before = journal::verify(v.conn()).unwrap();
    let r: derbes::Result<()> = v.write(now(), &Entry::new("test.fails"), |tx| {
        tx.execute("INSERT INTO setting (key, value) VALUES ('k', 'v')", [])?;
        Err(derbes::Error::Locked)
    });
    assert!(r.is_err());
    assert_eq!(journal::verify(v.conn()).unwrap(), before);
    assert_eq!(v.setting("k").unwrap(), None);
}

// --- The anchor outside the vault (issue 16) -------------------------------------------------

use derbes::app::backup;
use derbes::vault::anchor::Finding;

fn some_writes(v: &mut derbes::Vault, n: i64) {
    for i in 0..n {
        v.write(
            now(),
            &Entry::new("test.action").record("subject", i),
            |_| Ok(()),
        )
        .unwrap();
    }
}

/// What someone holding the passphrase can do with any SQLCipher binding: remove the triggers,
/// edit, and recompute every hash from the edit on, so that the chain inside the file is whole.
fn rewrite_and_rechain(v: &derbes::Vault, seq: i64, action: &str) {
    let c = v.conn();
    c.execute_batch(
        "DROP TRIGGER journal_append_only_update; DROP TRIGGER journal_append_only_delete;",
    )
    .unwrap();
    c.execute(
        "UPDATE journal SET action = ?2 WHERE seq = ?1",
        rusqlite::params![seq, action],
    )
    .unwrap();
    let mut prev: String = c
        .query_row(
            "SELECT coalesce((SELECT hash FROM journal WHERE seq = ?1 - 1), ?2)",
            rusqlite::params![seq, journal::GENESIS],
            |r| r.get(0),
        )
        .unwrap();
    let rows: Vec<journal::Stored> = journal::recent(c, 100_000)
        .unwrap()
        .into_iter()
        .rev()
        .filter(|s| s.seq >= seq)
        .collect();
    for s in rows {
        let h = journal::hash_of(s.seq, &s.at, &s.actor, &s.entry, &prev);
        c.execute(
            "UPDATE journal SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
            rusqlite::params![s.seq, prev, h],
        )
        .unwrap();
        prev = h;
    }
}

#[test]
fn the_last_entries_deleted_with_the_passphrase_are_found_at_the_next_unlock() {
    let t = TempVault::new();
    let mut v = t.create();
    some_writes(&mut v, 10);
    let last = journal::head(v.conn()).unwrap().unwrap().0;
    assert!(v.anchor_finding().is_none());
    v.conn()
        .execute_batch("DROP TRIGGER journal_append_only_delete;")
        .unwrap();
    v.conn()
        .execute("DELETE FROM journal WHERE seq > ?1", [last - 3])
        .unwrap();
    // The chain alone cannot tell.
    journal::verify(v.conn()).unwrap();
    drop(v);
    let v = t.open().unwrap();
    assert_eq!(
        v.anchor_finding(),
        Some(&Finding::Missing {
            from: last - 2,
            to: last,
            up_to: journal::time_of(now()),
        })
    );
    assert_eq!(
        v.anchor_finding().unwrap().describe(),
        format!(
            "entries {}–{last}, written up to 2026-11-25, are missing from the journal",
            last - 2
        )
    );
    // Recorded in the journal (so the window and `journal verify` keep saying it) and in the
    // status; the next unlock does not record it twice.
    let s = derbes::app::status::status(&v, now().date_naive()).unwrap();
    assert_eq!(
        s.journal_divergence.as_ref().map(|d| &d.1),
        v.anchor_finding()
    );
    drop(v);
    let v = t.open().unwrap();
    assert!(v.anchor_finding().is_none());
    assert_eq!(derbes::vault::anchor::recorded(v.conn()).unwrap().len(), 1);
}

#[test]
fn a_rewritten_and_rechained_entry_is_found_and_placed() {
    let t = TempVault::new();
    let mut v = t.create();
    some_writes(&mut v, 40);
    let target = 20;
    rewrite_and_rechain(&v, target, "setting.changed");
    journal::verify(v.conn()).expect("the chain is whole again");
    drop(v);
    let v = t.open().unwrap();
    match v.anchor_finding() {
        Some(Finding::Rewritten { agrees_to, seq, .. }) => {
            assert!(*agrees_to < target && *seq >= target, "{agrees_to} {seq}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(v.anchor_finding().unwrap().code(), "journal.rewritten");
}

#[test]
fn an_untouched_vault_and_a_restore_agree_with_their_anchor() {
    let t = TempVault::new();
    let mut v = t.create();
    some_writes(&mut v, 5);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    some_writes(&mut v, 5);
    drop(v);
    let v = t.open().unwrap();
    assert!(v.anchor_finding().is_none());
    // The backup is an earlier state of the same journal: shorter is no finding.
    let verified = backup::verify(&made.path, &pass(PASS)).unwrap();
    assert_eq!(verified.anchor, None);
    assert_eq!(backup::vault_agrees(&v, &verified).unwrap(), None);
    // Restoring it goes back by the user's choice: journaled, and the anchor starts again.
    let prepared = backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    let v = backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    assert!(v.anchor_finding().is_none());
    drop(v);
    assert!(t.open().unwrap().anchor_finding().is_none());
}

#[test]
fn a_backup_disagrees_with_a_vault_rewritten_after_it() {
    let t = TempVault::new();
    let mut v = t.create();
    some_writes(&mut v, 12);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    rewrite_and_rechain(&v, 5, "setting.changed");
    let verified = backup::verify(&made.path, &pass(PASS)).unwrap();
    // The backup itself agrees with what this computer recorded…
    assert_eq!(verified.anchor, None);
    // …and the vault no longer holds the backup's last entry.
    let f = backup::vault_agrees(&v, &verified).unwrap();
    assert!(matches!(f, Some(Finding::Rewritten { .. })), "{f:?}");
}

#[test]
fn a_doctored_backup_disagrees_with_the_anchor() {
    let t = TempVault::new();
    let mut v = t.create();
    some_writes(&mut v, 12);
    let out = tempfile::tempdir().unwrap();
    // The vault doctored, then backed up: the backup's journal is whole but not the one recorded.
    rewrite_and_rechain(&v, 4, "setting.changed");
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    let verified = backup::verify(&made.path, &pass(PASS)).unwrap();
    assert!(
        matches!(verified.anchor, Some(Finding::Rewritten { .. })),
        "{:?}",
        verified.anchor
    );
}

#[test]
fn the_journal_names_the_operating_system_account_not_user() {
    let t = TempVault::new();
    let v = t.create();
    let who = &journal::recent(v.conn(), 1).unwrap()[0].actor.os_user;
    // SAFETY of the comparison: the uid is the process's real one.
    let uid = std::fs::metadata("/proc/self").map(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid()
    });
    assert!(who.ends_with(&format!("({})", uid.unwrap())), "{who}");
}
