//! The journal's chain: append-only in SQL, and any edit behind SQL's back is found.

mod common;

use common::*;
use derbes::journal::{self, Entry};

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
