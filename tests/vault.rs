//! The vault file: creation, unlocking, refusals, passphrase change, migrations, one process per vault.

mod common;

use common::*;
use derbes::vault::{APPLICATION_ID, SCHEMA_VERSION, migration};
use derbes::{Error, Passphrase, Vault, vault::journal};
use std::os::unix::fs::PermissionsExt;

#[test]
fn created_vault_is_encrypted_private_and_reopens() {
    let t = TempVault::new();
    let v = t.create();
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        SCHEMA_VERSION
    );
    drop(v);
    let head = &bytes(&t.path)[..16];
    assert_ne!(
        head, b"SQLite format 3\0",
        "the file must not start with the SQLite header"
    );
    let mode = std::fs::metadata(&t.path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let v = t.open().expect("reopen");
    // The journal recorded the creation and the migrations, and its chain holds.
    let n = journal::verify(v.conn()).unwrap();
    assert_eq!(n, SCHEMA_VERSION as u64 + 1);
    let recent = journal::recent(v.conn(), 1).unwrap();
    assert_eq!(recent[0].entry.action, "vault.created");
}

#[test]
fn create_refuses_an_existing_file() {
    let t = TempVault::new();
    drop(t.create());
    let before = bytes(&t.path);
    let err = Vault::create(&t.path, &pass(PASS), now()).unwrap_err();
    assert!(matches!(err, Error::VaultExists), "{err:?}");
    assert_eq!(bytes(&t.path), before);
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let t = TempVault::new();
    drop(t.create());
    let before = bytes(&t.path);
    let err = Vault::open(&t.path, &pass("not the passphrase"), now()).unwrap_err();
    assert_eq!(err.code(), "vault.wrong_passphrase");
    assert_eq!(bytes(&t.path), before);
    assert!(t.open().is_ok(), "the right passphrase still works");
}

#[test]
fn foreign_files_each_get_their_own_error() {
    let t = TempVault::new();
    // Missing.
    assert_eq!(t.open().unwrap_err().code(), "vault.not_found");
    // Empty.
    std::fs::write(&t.path, b"").unwrap();
    assert_eq!(t.open().unwrap_err().code(), "vault.empty_file");
    // A plain SQLite database.
    std::fs::remove_file(&t.path).unwrap();
    {
        let c = rusqlite::Connection::open(&t.path).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = bytes(&t.path);
    assert_eq!(t.open().unwrap_err().code(), "vault.not_encrypted");
    assert_eq!(bytes(&t.path), before);
    // Random bytes.
    let random: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&t.path, &random).unwrap();
    assert_eq!(t.open().unwrap_err().code(), "vault.not_a_vault");
    assert_eq!(bytes(&t.path), random);
    // A text file.
    std::fs::write(&t.path, "Фамилия;Имя\nҚасымов;Қайрат\n").unwrap();
    assert_eq!(t.open().unwrap_err().code(), "vault.not_a_vault");
}

#[test]
fn another_sqlcipher_database_is_not_a_vault() {
    let t = TempVault::new();
    {
        let c = rusqlite::Connection::open(&t.path).unwrap();
        c.pragma_update(None, "key", PASS).unwrap();
        c.execute_batch("CREATE TABLE other(x);").unwrap();
    }
    assert_eq!(t.open().unwrap_err().code(), "vault.not_a_vault");
}

#[test]
fn truncated_vault_is_damaged_and_left_alone() {
    let t = TempVault::new();
    {
        let mut v = t.create();
        derbes::app::demo::populate(
            &mut v,
            derbes::app::demo::Spec {
                subjects: 300,
                requests: 50,
                seed: 1,
            },
            now().date_naive(),
            now(),
        )
        .unwrap();
    }
    let full = bytes(&t.path);
    assert!(full.len() > 8 * 4096);
    for cut in [full.len() / 2, full.len() / 2 + 1000, 4096 * 3] {
        std::fs::write(&t.path, &full[..cut]).unwrap();
        let err = t.open().unwrap_err();
        assert_eq!(err.code(), "vault.damaged", "cut at {cut}");
        assert_eq!(bytes(&t.path).len(), cut, "the file is not modified");
    }
}

fn raw_keyed(path: &std::path::Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "key", PASS).unwrap();
    c
}

/// A Derbes vault as an older build left it: migrated up to `version` only.
fn vault_at_version(
    path: &std::path::Path,
    version: i64,
) -> (rusqlite::Connection, journal::Actor) {
    let mut c = raw_keyed(path);
    c.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    let actor = journal::Actor {
        os_user: "tester".into(),
        responsible: String::new(),
    };
    let applied = migration::migrate_to(&mut c, version, &actor, now()).unwrap();
    assert_eq!(applied, (1..=version).collect::<Vec<_>>());
    (c, actor)
}

#[test]
fn newer_schema_is_refused_untouched() {
    let t = TempVault::new();
    drop(t.create());
    raw_keyed(&t.path)
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let before = bytes(&t.path);
    let err = t.open().unwrap_err();
    assert!(
        matches!(err, Error::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION)
    );
    assert_eq!(err.code(), "vault.newer_schema");
    assert_eq!(bytes(&t.path), before);
}

#[test]
fn first_schema_migrates_up_keeping_its_data() {
    let t = TempVault::new();
    {
        let (c, actor) = vault_at_version(&t.path, 1);
        c.execute(
            "INSERT INTO setting (key, value) VALUES ('operator_name', 'ТОО «Тест»')",
            [],
        )
        .unwrap();
        journal::append(&c, &actor, now(), &journal::Entry::new("test.v1")).unwrap();
    }
    let v = t.open().expect("open migrates");
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        SCHEMA_VERSION
    );
    assert_eq!(
        v.setting("operator_name").unwrap().as_deref(),
        Some("ТОО «Тест»")
    );
    let rules: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM deadline_rule", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rules, 11);
    let days: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM calendar_day", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        days,
        17 + 14 + 14,
        "docs/domain.md §3 lists 16, 14 and 14 days off and one working Sunday (2025)"
    );
    // migration 1 + test entry + migrations 2..=SCHEMA_VERSION
    assert_eq!(
        journal::verify(v.conn()).unwrap(),
        1 + 1 + (SCHEMA_VERSION as u64 - 1)
    );
}

#[test]
fn passphrase_change_rekeys() {
    let t = TempVault::new();
    let mut v = t.create();
    let new = Passphrase::new_secret("Жаңа құпиясөз 2026").unwrap();
    assert!(v.verify_passphrase(&pass("wrong one")).is_err());
    v.verify_passphrase(&pass(PASS)).unwrap();
    v.change_passphrase(&new, now()).unwrap();
    // The live check reads on connections of its own, keyed with the key derived now.
    let r = derbes::vault::check::run(&v).unwrap();
    assert!(r.is_good(), "{:?}", r.problems);
    drop(v);
    assert_eq!(t.open().unwrap_err().code(), "vault.wrong_passphrase");
    let v = Vault::open(&t.path, &pass("Жаңа құпиясөз 2026"), now()).unwrap();
    assert!(derbes::vault::check::run(&v).unwrap().is_good());
    let last = journal::recent(v.conn(), 1).unwrap();
    assert_eq!(last[0].entry.action, "vault.passphrase_changed");
    // The migrations, the creation, and the change's start and end.
    assert_eq!(
        journal::verify(v.conn()).unwrap(),
        SCHEMA_VERSION as u64 + 3
    );
}

#[test]
fn one_process_per_vault() {
    let t = TempVault::new();
    let v = t.create();
    assert!(derbes::vault::lockfile::is_held(&t.path));
    assert_eq!(t.open().unwrap_err().code(), "vault.in_use");
    v.lock();
    assert!(!derbes::vault::lockfile::is_held(&t.path));
    assert!(t.open().is_ok());
}

#[test]
fn short_passphrase_is_refused_for_new_vaults() {
    let err = Passphrase::new_secret("short").unwrap_err();
    assert_eq!(err.code(), "passphrase.too_short");
}

/// Version 10 rebuilds the letter table (acts and other tables refer to it): a schema-9 vault with
/// issued documents keeps every row, every reference and the immutability of what was issued.
#[test]
fn the_letter_table_rebuild_keeps_documents_and_references() {
    let t = TempVault::new();
    {
        let (c, _) = vault_at_version(&t.path, 9);
        c.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO letter (id, number, year, seq, kind, lang, issued_on, pages, pdf, sha256,
                                 created_at)
             VALUES (1, 'ИСХ-2026/001', 2026, 1, 'act-destruction', 'ru', '2026-11-20', 1,
                     x'255044462d', 'aa', '2026-11-20T09:00:00Z'),
                    (2, 'ИСХ-2026/002', 2026, 2, 'refusal', 'kk', '2026-11-21', 1,
                     x'255044462d', 'bb', '2026-11-21T09:00:00Z');
             INSERT INTO letter (id, number, year, seq, kind, lang, issued_on, pages, pdf, sha256,
                                 created_at, corrects)
             VALUES (3, 'ИСХ-2026/003', 2026, 3, 'refusal', 'kk', '2026-11-22', 1, x'255044462d',
                     'cc', '2026-11-22T09:00:00Z', 2);
             INSERT INTO erasure_batch (id, action, done_on, done_at, basis, origin, subjects,
                                        holdings, act_id)
             VALUES (1, 'destroy', '2026-11-20', '2026-11-20T09:00:00Z', 'x', 'subject', 0, 0, 1);",
        )
        .unwrap();
    }
    let v = t.open().expect("open migrates");
    assert_eq!(
        migration::current_version(v.conn()).unwrap(),
        SCHEMA_VERSION
    );
    let rows: Vec<(i64, String, Option<i64>)> = v
        .conn()
        .prepare("SELECT id, number, corrects FROM letter ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2], (3, "ИСХ-2026/003".to_owned(), Some(2)));
    let act: i64 = v
        .conn()
        .query_row("SELECT act_id FROM erasure_batch WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(act, 1);
    let broken: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
    // Still immutable and kept; foreign keys back on.
    assert!(
        v.conn()
            .execute("UPDATE letter SET addressee = 'x' WHERE id = 2", [])
            .is_err()
    );
    assert!(
        v.conn()
            .execute("DELETE FROM letter WHERE id = 2", [])
            .is_err()
    );
    let fk: i64 = v
        .conn()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    // A new kind of document fits without another rebuild.
    let kinds: String = v
        .conn()
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'letter'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!kinds.contains("act-destruction"), "{kinds}");
    v.check().unwrap();
}

#[test]
fn every_alias_of_a_vault_takes_the_same_lock_and_a_restore_keeps_the_link() {
    let t = TempVault::new();
    let v = t.create();
    // A symlink to it, and a path through `..`: the vault is in use.
    let link = t.file("link.derbes");
    std::os::unix::fs::symlink(&t.path, &link).unwrap();
    let dotted = t.dir.path().join("sub");
    std::fs::create_dir(&dotted).unwrap();
    let dotted = dotted.join("..").join("vault.derbes");
    for alias in [&link, &dotted] {
        let err = Vault::open(alias, &pass(PASS), now()).unwrap_err();
        assert_eq!(err.code(), "vault.in_use", "{}", alias.display());
    }
    // A hard link is another name no path resolves: refused with its own reason.
    let hard = t.file("hard.derbes");
    std::fs::hard_link(&t.path, &hard).unwrap();
    drop(v);
    assert_eq!(
        Vault::open(&hard, &pass(PASS), now()).unwrap_err().code(),
        "vault.hard_linked"
    );
    std::fs::remove_file(&hard).unwrap();

    // Opened through the link, the vault is the real file: a restore replaces that file and the
    // link still points at it.
    let mut v = Vault::open(&link, &pass(PASS), now()).unwrap();
    assert_eq!(v.path(), std::fs::canonicalize(&t.path).unwrap());
    let out = tempfile::tempdir().unwrap();
    let made = derbes::app::backup::export(&mut v, out.path(), None, now()).unwrap();
    let prepared =
        derbes::app::backup::prepare_restore(&v, &made.path, &pass(PASS), now()).unwrap();
    let v = derbes::app::backup::finish_restore(v, prepared, &pass(PASS), now()).unwrap();
    drop(v);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    Vault::open(&link, &pass(PASS), now()).expect("opens through the link");
}

#[test]
fn leftovers_of_a_killed_restore_or_creation_are_removed_at_unlock() {
    let t = TempVault::new();
    drop(t.create());
    // PID 4194304 is above Linux's largest: that process is gone.
    let gone = [
        t.file("vault.derbes.restoring-4194304"),
        t.file("vault.derbes.restoring-4194304-journal"),
        t.file("vault.derbes.creating-4194304"),
    ];
    let kept = [
        t.file("vault.derbes.restoring-notapid"),
        t.file("other.derbes.restoring-4194304"),
        t.file(&format!("vault.derbes.restoring-{}", std::process::id())),
    ];
    for p in gone.iter().chain(&kept) {
        std::fs::write(p, b"x").unwrap();
    }
    drop(t.open().unwrap());
    for p in &gone {
        assert!(!p.exists(), "{}", p.display());
    }
    for p in &kept {
        assert!(p.exists(), "{}", p.display());
    }
}

// --- The live check (issue 16) ----------------------------------------------------------------

#[test]
fn the_live_check_finds_a_byte_flipped_in_the_middle_that_opening_does_not() {
    use derbes::vault::check::{self, Problem};
    let t = TempVault::new();
    let v = t.create();
    let good = check::run(&v).unwrap();
    assert!(good.is_good(), "{:?}", good.problems);
    assert!(good.pages > 1 && good.journal_entries > 0);
    // Forty pages of filler, written last: they sit at the end of the file.
    v.conn()
        .execute_batch("CREATE TABLE filler (x BLOB);")
        .unwrap();
    for _ in 0..40 {
        v.conn()
            .execute("INSERT INTO filler VALUES (randomblob(4000))", [])
            .unwrap();
    }
    drop(v);
    let len = std::fs::metadata(&t.path).unwrap().len();
    let pages = len / 4096;
    let flip_page = pages - 5;
    {
        use std::io::{Read, Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&t.path)
            .unwrap();
        let at = (flip_page - 1) * 4096 + 2000;
        let mut b = [0u8; 1];
        f.seek(SeekFrom::Start(at)).unwrap();
        f.read_exact(&mut b).unwrap();
        f.seek(SeekFrom::Start(at)).unwrap();
        f.write_all(&[b[0] ^ 0x10]).unwrap();
    }
    // Unlocking, the status and the journal's chain do not touch that page…
    let mut v = t.open().unwrap();
    derbes::app::status::status(&v, chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        .unwrap();
    derbes::vault::journal::verify(v.conn()).unwrap();
    // …the check does, and names it.
    let r = check::run(&v).unwrap();
    assert!(!r.is_good());
    assert_eq!(
        r.problems[0],
        Problem::Pages {
            pages: vec![flip_page],
            total: 1
        }
    );
    assert_eq!(r.problems[0].code(), "check.pages");
    check::record(&mut v, &r, now()).unwrap();
    assert!(!check::due(&v, now().date_naive()).unwrap());
    assert!(check::due(&v, now().date_naive() + chrono::Days::new(7)).unwrap());
}

#[test]
fn a_passphrase_change_cut_between_its_rekey_and_its_end_is_found_at_the_next_unlock() {
    let t = TempVault::new();
    let mut v = t.create();
    v.change_passphrase(&pass("a new passphrase for the test"), now())
        .unwrap();
    let actions: Vec<String> = journal::recent(v.conn(), 2)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    assert_eq!(
        actions,
        [
            "vault.passphrase_changed",
            "vault.passphrase_change_started"
        ]
    );
    // A crash after the rekey committed and before its end was journaled: the start stands alone.
    v.write(
        now(),
        &journal::Entry::new("vault.passphrase_change_started"),
        |_| Ok(()),
    )
    .unwrap();
    drop(v);
    let v = Vault::open(&t.path, &pass("a new passphrase for the test"), now()).unwrap();
    assert!(v.passphrase_interrupted());
    let s = derbes::app::status::status(&v, now().date_naive()).unwrap();
    assert!(s.passphrase_interrupted.is_some());
    drop(v);
    // Found once: the next unlock knows it was.
    let v = Vault::open(&t.path, &pass("a new passphrase for the test"), now()).unwrap();
    assert!(!v.passphrase_interrupted());
}

#[test]
fn the_live_check_names_the_same_damaged_pages_as_sqlciphers_own_check() {
    use derbes::vault::check::{self, Problem};
    let t = TempVault::new();
    let v = t.create();
    v.conn()
        .execute_batch("CREATE TABLE filler (x BLOB);")
        .unwrap();
    // Enough pages that the middle and the end of the file are the filler's, past the schema's own
    // (and past the pages its migrations freed, which the filler takes first).
    for _ in 0..200 {
        v.conn()
            .execute("INSERT INTO filler VALUES (randomblob(3000))", [])
            .unwrap();
    }
    drop(v);
    let pages = std::fs::metadata(&t.path).unwrap().len() / 4096;
    assert!(pages > 40);
    // One byte in each place a page can be changed: page 1 after its salt, the content of a page
    // in the middle, an IV, a stored HMAC, and the last page.
    let flips: [(u64, u64); 5] = [
        (1, 100),
        (pages / 2, 1234),
        (pages / 2 + 3, 4096 - 80 + 5),
        (pages / 2 + 7, 4096 - 10),
        (pages, 7),
    ];
    {
        use std::io::{Read, Seek, SeekFrom, Write};
        let mut f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&t.path)
            .unwrap();
        for (page, at) in flips {
            let at = (page - 1) * 4096 + at;
            let mut b = [0u8; 1];
            f.seek(SeekFrom::Start(at)).unwrap();
            f.read_exact(&mut b).unwrap();
            f.seek(SeekFrom::Start(at)).unwrap();
            f.write_all(&[b[0] ^ 0x01]).unwrap();
        }
    }
    let expected: Vec<u64> = flips.iter().map(|(p, _)| *p).collect();
    // SQLCipher's own check of the same file…
    let c = raw_keyed(&t.path);
    let theirs: Vec<u64> = c
        .prepare("PRAGMA cipher_integrity_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|m| {
            let m = m.unwrap();
            m.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .next_back()
                .unwrap()
        })
        .collect();
    drop(c);
    assert_eq!(theirs, expected);
    // …and Derbes' (page 1 is damaged: the vault cannot even be unlocked, so mend it first and
    // compare the rest; page 1's own case is SQLCipher's).
    let mut file = bytes(&t.path);
    file[100] ^= 0x01;
    std::fs::write(&t.path, &file).unwrap();
    let v = t.open().unwrap();
    let r = check::run(&v).unwrap();
    assert_eq!(
        r.problems[0],
        Problem::Pages {
            pages: expected[1..].to_vec(),
            total: 4
        }
    );
}

/// Schema and seeded reference data of a vault, comparable across vaults: every table, index and
/// trigger as SQLite keeps it, and the rows every migration seeds.
fn shape(c: &rusqlite::Connection) -> Vec<String> {
    let mut out: Vec<String> = c
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{} {}: {}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for q in [
        "SELECT code || '|' || name_ru || '|' || name_kk || '|' || name_en FROM data_category ORDER BY code",
        "SELECT code || '|' || name_ru || '|' || is_marketing FROM purpose ORDER BY code",
        "SELECT kind || '|' || count || '|' || unit || '|' || source || '|' || confidence FROM deadline_rule ORDER BY kind",
        "SELECT day || '|' || kind || '|' || note || '|' || origin FROM calendar_day ORDER BY day",
        "SELECT key FROM setting WHERE key NOT IN ('created_at', 'vault_id') ORDER BY key",
        "SELECT 'stop_key ' || length(key) FROM stop_key",
        "SELECT 'revisions ' || count(*) FROM calendar_revision",
        "PRAGMA user_version",
    ] {
        let rows: Vec<String> = c
            .prepare(q)
            .unwrap()
            .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))
            .unwrap()
            .map(|v| format!("{q}: {:?}", v.unwrap()))
            .collect();
        out.extend(rows);
    }
    out
}

#[test]
fn a_vault_migrated_from_the_first_schema_has_the_shape_of_a_new_one() {
    let fresh = TempVault::new();
    let fresh_shape = shape(fresh.create().conn());
    let old = TempVault::new();
    drop(vault_at_version(&old.path, 1));
    let migrated_shape = shape(old.open().expect("migrates").conn());
    assert_eq!(migrated_shape, fresh_shape);
    assert!(fresh_shape.iter().any(|l| l.contains("2025-01-05|working")));
    assert!(
        fresh_shape
            .iter()
            .all(|l| !l.starts_with("SELECT key FROM setting") || !l.contains("pending.")),
        "no mark of stale derived data is left: {fresh_shape:#?}"
    );
}

/// A vault of schema 4 had subjects and refusals but no ranks (5) and no stop-list (13); the
/// migrations leave those to today's code, which derives them when the vault opens.
#[test]
fn what_old_migrations_leave_stale_is_derived_at_opening() {
    let t = TempVault::new();
    {
        let (c, _) = vault_at_version(&t.path, 4);
        c.execute_batch(
            "INSERT INTO subject (id, iin, surname, given_name, created_at, updated_at)
                 VALUES (1, '850808310738', 'Сәрсенбаева', 'Әйгерім', '2025-01-10T09:00:00Z', '2025-01-10T09:00:00Z'),
                        (2, '900115400109', 'Иванов', 'Пётр', '2025-01-10T09:00:00Z', '2025-01-10T09:00:00Z');
             INSERT INTO contact (subject_id, kind, value, normalized)
                 VALUES (1, 'email', 'Aigerim@Example.kz', 'aigerim@example.kz');
             INSERT INTO marketing_refusal (subject_id, refused_at, channel)
                 VALUES (1, '2025-02-01T10:00:00Z', 'email');",
        )
        .unwrap();
    }
    let v = t.open().expect("migrates");
    let found = derbes::registry::search::search(
        v.conn(),
        &derbes::registry::search::Query {
            text: "сарсен".into(),
            limit: 10,
            ..Default::default()
        },
        now().date_naive(),
    )
    .unwrap();
    assert_eq!(found.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [1]);
    let unranked: i64 = v
        .conn()
        .query_row("SELECT count(*) FROM subject WHERE rank IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unranked, 0, "every subject has its place in the list");
    let entries = derbes::registry::stop_list::entries(v.conn()).unwrap();
    assert_eq!(
        entries.len(),
        1,
        "the refusal's address is on the stop-list"
    );
    let pending: i64 = v
        .conn()
        .query_row(
            "SELECT count(*) FROM setting WHERE key LIKE 'pending.%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
    let actions: Vec<String> = journal::recent(v.conn(), 40)
        .unwrap()
        .into_iter()
        .map(|e| e.entry.action)
        .collect();
    assert!(actions.iter().any(|a| a == "search.rebuilt"), "{actions:?}");
    assert!(
        actions.iter().any(|a| a == "stop_list.created"),
        "{actions:?}"
    );
    journal::verify(v.conn()).unwrap();
    drop(v);
    // Nothing is derived twice: the next opening finds nothing stale and writes nothing.
    let before = journal::verify(t.open().unwrap().conn()).unwrap();
    let again = t.open().unwrap();
    assert_eq!(journal::verify(again.conn()).unwrap(), before);
}
