//! Backups: export, verify, restore, rotation, and every fault the issue names — a flipped byte, a
//! cut file, an empty file, plain SQLite, a vault that is not a backup, a newer schema, a wrong
//! passphrase, a full disk, and `kill -9` during export and restore.

mod common;

use common::*;
use derbes::Vault;
use derbes::app::backup::{self, Rotation};
use derbes::app::demo::{self};
use derbes::registry::card;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn a_backup_is_verified_and_restored_with_a_safety_copy() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    let name = made
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert_eq!(name, "derbes-backup-2026-11-25-090000.derbes");
    assert_eq!(made.manifest.count("subject"), 300);
    assert_eq!(made.manifest.count("letter"), count(&v, "letter"));
    assert!(made.manifest.count("letter") >= 10);
    // Encrypted: no SQLite header, no readable name.
    let bytes = std::fs::read(&made.path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert_eq!(std::fs::metadata(&made.path).unwrap().len() % 4096, 0);
    // Only the finished file is left in the folder.
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);

    let good = backup::verify(&made.path, &pass(PASS)).unwrap();
    assert_eq!(good.subjects(), 300);
    assert_eq!(
        good.requests(),
        61,
        "the demo has 60 and one from a stranger"
    );
    assert_eq!(good.manifest.schema_version, derbes::vault::SCHEMA_VERSION);
    // The dashboard's "last backup" is set, journaled.
    assert!(v.setting("last_backup_at").unwrap().is_some());
    assert!(v.setting("backup.last_outside_at").unwrap().is_some());
    assert!(!backup::reminder_due(&v, today()).unwrap());

    // Changes after the backup are undone by restoring it; the safety copy keeps them.
    let added = add_person(&mut v, "850808310738");
    assert_eq!(count(&v, "subject"), 301);
    let prepared = backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    // Until the swap the vault is untouched and usable.
    assert_eq!(count(&v, "subject"), 301);
    let safety = prepared.safety_copy.clone();
    let v = backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    assert_eq!(count(&v, "subject"), 300);
    derbes::vault::journal::verify(v.conn()).unwrap();
    let restored: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM journal WHERE action = 'backup.restored'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restored, 1);
    let has_manifest: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'backup_manifest'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has_manifest, 0, "the manifest is not part of the vault");
    // Issued letters come back byte for byte.
    let row =
        derbes::documents::letters::list(v.conn(), &derbes::documents::letters::Query::default())
            .unwrap()
            .rows
            .remove(0);
    let pdf = derbes::documents::letters::pdf(v.conn(), row.id).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha, row.sha256);
    v.lock();
    let old = Vault::open(&safety, &pass(PASS), now()).unwrap();
    assert!(
        card::read_card(old.conn(), added, today()).is_ok(),
        "the safety copy has the person added before the restore"
    );
}

#[test]
fn a_backup_under_another_passphrase_opens_only_with_it() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let other = derbes::Passphrase::new_secret("пароль копии 2026").unwrap();
    let made = backup::export(&mut v, out.path(), Some(&other), now()).unwrap();
    assert_eq!(
        backup::verify(&made.path, &pass(PASS)).unwrap_err().code(),
        "vault.wrong_passphrase"
    );
    assert_eq!(backup::verify(&made.path, &other).unwrap().subjects(), 300);
    // The vault itself keeps its passphrase.
    v.verify_passphrase(&pass(PASS)).unwrap();
    let prepared = backup::prepare_restore(&v, &made.path, &other, now()).unwrap();
    let v = backup::finish_restore(v, prepared, &other, now()).unwrap();
    v.lock();
    assert_eq!(
        t.open().unwrap_err().code(),
        "vault.wrong_passphrase",
        "restored: the backup's passphrase now"
    );
    Vault::open(&t.path, &other, now()).unwrap();
}

/// Every broken backup is refused with its own error, and the vault is left as it was.
#[test]
fn broken_foreign_and_newer_backups_are_refused_and_nothing_is_lost() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    let good = std::fs::read(&made.path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let mut flipped = good.clone();
    let mid = flipped.len() / 2 + 100;
    flipped[mid] ^= 0x20;
    let half = &good[..good.len() / 2];
    let plain = {
        let p = dir.path().join("plain.sqlite");
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(c);
        std::fs::read(&p).unwrap()
    };
    // Another vault, under another passphrase.
    let vault_copy = {
        let t2 = TempVault::new();
        Vault::create(&t2.path, &pass("чужой пароль 2026"), now())
            .unwrap()
            .lock();
        std::fs::read(&t2.path).unwrap()
    };
    // A backup from a newer Derbes: its schema is ahead of this build.
    let newer = write("newer.derbes", &good);
    {
        let c = rusqlite::Connection::open(&newer).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.pragma_update(None, "user_version", derbes::vault::SCHEMA_VERSION + 1)
            .unwrap();
    }
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("flipped.derbes", &flipped), "vault.damaged"),
        (write("half.derbes", half), "vault.damaged"),
        (write("empty.derbes", b""), "vault.empty_file"),
        (write("plain.derbes", &plain), "vault.not_encrypted"),
        (write("vault.derbes", &vault_copy), "vault.wrong_passphrase"),
        (newer, "vault.newer_schema"),
    ];
    let before = count(&v, "subject");
    for (path, code) in &cases {
        let err = backup::verify(path, &pass(PASS)).unwrap_err();
        assert_eq!(err.code(), *code, "{}", path.display());
        let err = backup::prepare_restore(&v, path, &pass(PASS), now()).unwrap_err();
        assert_eq!(err.code(), *code, "restore of {}", path.display());
        assert_eq!(count(&v, "subject"), before, "the vault is untouched");
    }
    // A vault keyed with the same passphrase but without a manifest.
    let same_key_vault = {
        let t3 = TempVault::new();
        t3.create().lock();
        std::fs::read(&t3.path).unwrap()
    };
    let p = write("not-a-backup.derbes", &same_key_vault);
    assert_eq!(
        backup::verify(&p, &pass(PASS)).unwrap_err().code(),
        "backup.not_a_backup"
    );
    // A wrong passphrase.
    assert_eq!(
        backup::verify(&made.path, &pass("not the passphrase"))
            .unwrap_err()
            .code(),
        "vault.wrong_passphrase"
    );
    // A manifest that no longer matches the rows (edited with the key).
    let edited = write("edited.derbes", &good);
    {
        let c = rusqlite::Connection::open(&edited).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.execute_batch("DROP TRIGGER IF EXISTS journal_append_only_delete;")
            .unwrap();
        c.execute(
            "DELETE FROM consent WHERE id = (SELECT min(id) FROM consent)",
            [],
        )
        .unwrap();
    }
    let err = backup::verify(&edited, &pass(PASS)).unwrap_err();
    assert_eq!(err.code(), "backup.mismatch", "{err}");
    // No failed restore left a temporary file beside the vault.
    let left: Vec<String> = std::fs::read_dir(t.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".restoring-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    v.lock();
    assert_eq!(count(&t.open().unwrap(), "subject"), before);
}

#[test]
fn automatic_backups_once_a_day_rotated() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let dir = tempfile::tempdir().unwrap();
    assert!(
        backup::auto(&mut v, today(), now()).unwrap().is_none(),
        "no folder set"
    );
    let mut s = backup::auto_settings(&v).unwrap();
    assert_eq!(s.keep, Rotation::default());
    assert_eq!(s.remind_days, 7);
    s.dir = Some(dir.path().to_owned());
    s.keep = Rotation {
        daily: 2,
        weekly: 1,
        monthly: 1,
    };
    backup::set_auto_settings(&mut v, &s, now()).unwrap();
    let mut day = today();
    for i in 0..5 {
        let at = now() + chrono::Duration::days(i);
        assert!(backup::auto(&mut v, day, at).unwrap().is_some(), "day {i}");
        assert!(
            backup::auto(&mut v, day, at + chrono::Duration::hours(1))
                .unwrap()
                .is_none(),
            "at most one a day"
        );
        day = day.succ_opt().unwrap();
    }
    // 2 daily (the last two days); the week's and the month's newest are among them.
    assert_eq!(backups(dir.path()).len(), 2, "{:?}", backups(dir.path()));
    let bad = backup::AutoSettings {
        dir: Some(dir.path().join("missing")),
        ..s
    };
    assert_eq!(
        backup::set_auto_settings(&mut v, &bad, now())
            .unwrap_err()
            .code(),
        "invalid"
    );
}

#[test]
fn the_reminder_comes_when_the_last_outside_backup_is_old() {
    let t = TempVault::new();
    let mut v = filled(&t);
    assert!(
        backup::reminder_due(&v, today()).unwrap(),
        "never backed up"
    );
    // A backup in the vault's own folder does not count as outside.
    backup::export(&mut v, t.dir.path(), None, now()).unwrap();
    assert!(backup::reminder_due(&v, today()).unwrap());
    let out = tempfile::tempdir().unwrap();
    backup::export(&mut v, out.path(), None, now()).unwrap();
    assert!(!backup::reminder_due(&v, today() + chrono::Duration::days(6)).unwrap());
    assert!(backup::reminder_due(&v, today() + chrono::Duration::days(8)).unwrap());
}

/// A full disk (a 1 MiB tmpfs) during export: a clear error, no file left, the vault intact.
#[test]
#[ignore = "mounts a tmpfs: needs root; scripts/test.sh runs it"]
fn a_full_disk_during_export_loses_nothing() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let mnt = tempfile::tempdir().unwrap();
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=512k", "tmpfs"])
        .arg(mnt.path())
        .status()
        .unwrap()
        .success();
    assert!(ok, "mount a tmpfs (root)");
    let result = backup::export(&mut v, mnt.path(), None, now());
    let left: Vec<_> = std::fs::read_dir(mnt.path()).unwrap().flatten().collect();
    let _ = Command::new("umount").arg(mnt.path()).status();
    let err = result.unwrap_err();
    assert_eq!(err.code(), "disk.full", "{err}");
    assert!(left.is_empty(), "nothing left on the full disk: {left:?}");
    assert_eq!(count(&v, "subject"), 300);
    assert!(v.setting("last_backup_at").unwrap().is_none());
    v.lock();
    t.open().unwrap();
}

#[test]
fn a_backup_restores_onto_a_new_computer() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let path = fresh.path().join("derbes/vault.derbes");
    let restored = backup::restore_new(&path, &made.path, &pass(PASS), now()).unwrap();
    assert_eq!(count(&restored, "subject"), 300);
    derbes::vault::journal::verify(restored.conn()).unwrap();
    // Not over an existing vault: that is what prepare/finish (with a safety copy) are for.
    assert_eq!(
        backup::restore_new(&t.path, &made.path, &pass(PASS), now())
            .unwrap_err()
            .code(),
        "vault.exists"
    );
    // A broken backup leaves nothing behind.
    let broken = out.path().join("broken.derbes");
    std::fs::write(&broken, b"not a backup at all, just text").unwrap();
    let other = fresh.path().join("other/vault.derbes");
    assert!(backup::restore_new(&other, &broken, &pass(PASS), now()).is_err());
    assert!(!other.exists());
}

/// A backup written by the previous schema (6: before letters) is restored and migrated.
#[test]
fn a_backup_of_an_older_schema_is_migrated_on_restore() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    let old = out.path().join("old-schema.derbes");
    std::fs::copy(&made.path, &old).unwrap();
    {
        // Take the later schema steps (7: letters, 8: blocking, 9: erasure, 10: transfers and
        // breaches, 11: calendar rules, 12: mail intake, 13: stop-list, 14: the journal's index,
        // 15: request corrections and search) back out, as a
        // schema-6 Derbes wrote it, and rewrite the
        // manifest by its documented rule: SHA-256 of "table=count\n" lines, the journal head,
        // then each letter's hash (none here).
        let c = rusqlite::Connection::open(&old).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.execute_batch(
            "DROP TRIGGER request_tally_insert; DROP TRIGGER request_tally_update; DROP TRIGGER request_tally_delete; DROP TABLE request_open_tally; DROP INDEX request_open_due;
             DROP TRIGGER subject_tally_insert; DROP TRIGGER subject_tally_update; DROP TRIGGER subject_tally_delete;
             DROP TRIGGER holding_tally_insert; DROP TRIGGER holding_tally_update; DROP TRIGGER holding_tally_delete; DROP TABLE due_tally;
             DROP TRIGGER subject_rank_insert; DROP TRIGGER subject_rank_update; DROP TRIGGER subject_rank_delete; DROP TABLE rank_block;
             DROP TRIGGER consent_withdrawn_insert; DROP TRIGGER consent_withdrawn_update; DROP TRIGGER consent_withdrawn_delete;
             DROP INDEX subject_withdrawn; ALTER TABLE subject DROP COLUMN has_withdrawn;
             DROP TABLE subject_terms; DROP TABLE request_terms;
             DROP TRIGGER holding_due_insert; DROP TRIGGER holding_due_update; DROP TRIGGER holding_due_delete;
             DROP TRIGGER consent_due_insert; DROP TRIGGER consent_due_update; DROP TRIGGER consent_due_delete;
             DROP TRIGGER purpose_due_update; DROP TRIGGER purpose_retention_due_insert;
             DROP TRIGGER purpose_retention_due_update; DROP TRIGGER purpose_retention_due_delete;
             DROP TRIGGER subject_due_category; DROP INDEX holding_due; DROP INDEX subject_due;
             DROP INDEX subject_due_whole; DROP INDEX subject_basis_until; DROP INDEX consent_ends;
             ALTER TABLE holding DROP COLUMN due_from; ALTER TABLE subject DROP COLUMN due_first;
             ALTER TABLE subject DROP COLUMN due_last; ALTER TABLE subject DROP COLUMN basis_until;
             DROP TABLE letter_template; ALTER TABLE letter DROP COLUMN template_version;
             DROP TABLE consent_form; DROP TABLE mail_message; DROP TABLE mail_source;
             ALTER TABLE request DROP COLUMN message_id;
             DROP TABLE purpose_retention; DROP INDEX subject_by_category; ALTER TABLE purpose DROP COLUMN check_note;
             ALTER TABLE subject DROP COLUMN category_id; DROP TABLE subject_category;
             ALTER TABLE request DROP COLUMN outgoing_ref;
             DELETE FROM setting WHERE key LIKE 'majority.%';
             ALTER TABLE consent DROP COLUMN rep_name; ALTER TABLE consent DROP COLUMN rep_relation; ALTER TABLE consent DROP COLUMN rep_document; ALTER TABLE consent DROP COLUMN rep_document_date; ALTER TABLE request DROP COLUMN rep_name; ALTER TABLE request DROP COLUMN rep_relation; ALTER TABLE request DROP COLUMN rep_document; ALTER TABLE request DROP COLUMN rep_document_date;
             ALTER TABLE holding DROP COLUMN basis_ref;
             DROP TABLE request_revision; DROP TABLE request_fts;
             ALTER TABLE request DROP COLUMN cancelled_on; ALTER TABLE request DROP COLUMN cancel_reason;
             ALTER TABLE request DROP COLUMN cancel_note;
             DROP INDEX journal_by_action; DROP TABLE stop_entry; DROP TABLE stop_key;
             DROP INDEX request_message_key; ALTER TABLE request DROP COLUMN sender_raw;
             ALTER TABLE request DROP COLUMN message_key; ALTER TABLE request DROP COLUMN intake_note;
             DROP TABLE calendar_revision; ALTER TABLE calendar_day DROP COLUMN origin;
             DROP TABLE breach; DROP TABLE transfer; DROP TABLE adequate_country;
             DROP INDEX subject_listed;
             DROP TABLE erasure_holding; DROP TABLE erasure; DROP TABLE erasure_batch;
             ALTER TABLE subject DROP COLUMN sex; ALTER TABLE subject DROP COLUMN birth_year;
             ALTER TABLE purpose DROP COLUMN retention_source;
             ALTER TABLE purpose DROP COLUMN retention_note;
             DROP TRIGGER letter_immutable; DROP TRIGGER letter_kept;
             DROP TABLE letter; DROP TABLE letterhead_logo; DROP TABLE subject_block;
             PRAGMA user_version = 6;",
        )
        .unwrap();
        let mut counts: Vec<(String, i64)> = Vec::new();
        let names: Vec<String> = c
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name <> 'backup_manifest' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for n in names {
            let k: i64 = c
                .query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0))
                .unwrap();
            counts.push((n, k));
        }
        let head: String = c
            .query_row(
                "SELECT seq || ':' || hash FROM journal ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        for (n, k) in &counts {
            h.update(format!("{n}={k}\n").as_bytes());
        }
        h.update(head.as_bytes());
        let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let text = counts
            .iter()
            .map(|(n, k)| format!("{n}={k}"))
            .collect::<Vec<_>>()
            .join(";");
        for (k, val) in [
            ("counts", text),
            ("digest", digest),
            ("schema_version", "6".into()),
        ] {
            c.execute(
                "UPDATE backup_manifest SET value = ?2 WHERE key = ?1",
                [k, val.as_str()],
            )
            .unwrap();
        }
    }
    let verified = backup::verify(&old, &pass(PASS)).unwrap();
    assert_eq!(verified.manifest.schema_version, 6);
    let prepared = backup::prepare_restore(&v, &old, &pass(PASS), now()).unwrap();
    let v = backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    assert_eq!(
        derbes::vault::migration::current_version(v.conn()).unwrap(),
        derbes::vault::SCHEMA_VERSION
    );
    assert_eq!(count(&v, "letter"), 0, "the letters' table is back, empty");
    assert_eq!(count(&v, "subject"), 300);
    derbes::vault::journal::verify(v.conn()).unwrap();
}

#[test]
fn a_restore_never_brings_destroyed_people_back() {
    use derbes::erasure::{Action, Keep, Order};
    let t = TempVault::new();
    let mut v = filled(&t);
    let out = tempfile::tempdir().unwrap();
    let made = backup::export(&mut v, out.path(), None, now()).unwrap();
    // After the backup: one person destroyed, one anonymized (each with its act).
    let (gone, anon): (i64, i64) = v
        .conn()
        .query_row(
            "SELECT min(id), max(id) FROM subject WHERE status = 'active' AND iin IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let iin_of = |v: &Vault, id: i64| -> Option<String> {
        v.conn()
            .query_row("SELECT iin FROM subject WHERE id = ?1", [id], |r| r.get(0))
            .unwrap()
    };
    let iin = iin_of(&v, gone).expect("an IIN");
    let basis = derbes::registry::blocking::Basis {
        request_id: None,
        text: "Отзыв согласия, иных оснований нет".into(),
    };
    for (action, id) in [(Action::Destroy, gone), (Action::Anonymize, anon)] {
        let order = Order {
            action,
            subjects: vec![id],
            basis: basis.clone(),
            keep: Keep::default(),
            lang: derbes::base::language::Language::Ru,
        };
        derbes::erasure::run(&mut v, &order, today(), now()).unwrap();
    }
    let acts_now = count(&v, "letter");
    let prepared = backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    assert_eq!(
        prepared.carried,
        backup::Carried {
            destroyed: 1,
            anonymized: 1,
            holdings_ended: 0,
            acts: 2,
            stop_entries: 0,
            other_vault: false
        }
    );
    let v = backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    // Still destroyed: no IIN, the tombstone and the act are there, the search does not find him.
    assert_eq!(iin_of(&v, gone), None);
    let status: String = v
        .conn()
        .query_row("SELECT status FROM subject WHERE id = ?1", [gone], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "destroyed");
    let t = derbes::erasure::tombstone(v.conn(), gone)
        .unwrap()
        .expect("tombstone");
    assert!(t.act_number.is_some(), "{t:?}");
    assert_eq!(
        count(&v, "letter"),
        acts_now,
        "both acts are in the register"
    );
    let found: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM subject_fts WHERE subject_fts MATCH ?1",
            [format!("\"{iin}\"")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(found, 0);
    derbes::vault::journal::verify(v.conn()).unwrap();
    // Restoring the same backup again changes nothing more (idempotent) — and a backup made
    // before anything was destroyed still cannot bring them back.
    let again = backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    assert_eq!((again.carried.destroyed, again.carried.anonymized), (1, 1));
}

#[test]
fn safety_copies_are_listed_and_rotated_keeping_the_newest() {
    let t = TempVault::new();
    drop(t.create());
    let name = t.path.file_name().unwrap().to_str().unwrap().to_owned();
    for day in 1..=3 {
        let p = t.file(&format!("{name}.before-restore-2026-01-0{day}-120000"));
        std::fs::write(&p, b"copy").unwrap();
    }
    // A link of that name is not one of ours: neither listed nor removed.
    let link = t.file(&format!("{name}.before-restore-2026-01-04-120000"));
    std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
    let copies = backup::safety_copies(&t.path).unwrap();
    assert_eq!(copies.len(), 3);
    assert!(
        copies[0]
            .path
            .to_string_lossy()
            .ends_with("2026-01-03-120000")
    );
    let none = backup::Rotation {
        daily: 0,
        weekly: 0,
        monthly: 0,
    };
    let removed = backup::rotate_safety_copies(&t.path, none).unwrap();
    assert_eq!(removed.len(), 2, "the newest is always kept");
    let left = backup::safety_copies(&t.path).unwrap();
    assert_eq!(left.len(), 1);
    assert!(
        left[0]
            .path
            .to_string_lossy()
            .ends_with("2026-01-03-120000")
    );
    assert!(
        std::fs::symlink_metadata(&link).is_ok(),
        "the link is untouched"
    );
}

#[test]
fn a_backup_of_another_vault_is_said_to_carry_nothing_forward() {
    use derbes::erasure::{Action, Keep, Order};
    let other = TempVault::new();
    let mut o = other.create();
    add_person(&mut o, "900115400109");
    let out = tempfile::tempdir().unwrap();
    let foreign = backup::export(&mut o, out.path(), None, now()).unwrap();
    drop(o);
    let t = TempVault::new();
    let mut v = t.create();
    demo::letterhead(&mut v, now()).unwrap();
    let id = add_person(&mut v, "850808310738");
    let order = Order {
        action: Action::Destroy,
        subjects: vec![id],
        basis: derbes::registry::blocking::Basis {
            request_id: None,
            text: "Договор исполнен".into(),
        },
        keep: Keep::default(),
        lang: derbes::base::language::Language::Ru,
    };
    derbes::erasure::run(&mut v, &order, today(), now()).unwrap();
    let prepared = backup::prepare_restore(&v, &foreign.path, &pass(PASS), now()).unwrap();
    assert!(prepared.carried.other_vault);
    assert_eq!(
        prepared.carried.destroyed, 0,
        "nobody matched by id in a foreign file"
    );
}
