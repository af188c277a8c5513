//! Generated inputs for the readers a user or an attacker can feed (issue 16, "property tests"):
//! the IIN parser, the CSV reader and the `.eml` reader each get 100 000 generated cases from a
//! fixed seed (so a failure is reproducible), built to be nearly valid — mutations of real inputs
//! rather than noise — and each must either accept the input or refuse it with a stable code,
//! never panic. `DERBES_GENERATED_CASES` sets another count.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn cases() -> usize {
    std::env::var("DERBES_GENERATED_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

/// Applies 1–4 random edits (replace, insert, delete, duplicate a span) to `base`.
fn mutate(rng: &mut StdRng, base: &[u8], alphabet: &[&[u8]]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..rng.random_range(1..=4) {
        let at = if v.is_empty() {
            0
        } else {
            rng.random_range(0..v.len())
        };
        let piece = alphabet[rng.random_range(0..alphabet.len())];
        match rng.random_range(0..4) {
            0 if !v.is_empty() => {
                let end = (at + piece.len()).min(v.len());
                v.splice(at..end, piece.iter().copied());
            }
            1 => {
                v.splice(at..at, piece.iter().copied());
            }
            2 if !v.is_empty() => {
                let end = (at + rng.random_range(1..8)).min(v.len());
                v.drain(at..end);
            }
            _ => {
                let end = (at + rng.random_range(0..40)).min(v.len());
                let span = v[at..end].to_vec();
                v.splice(at..at, span);
            }
        }
    }
    v
}

#[test]
fn the_iin_parser_accepts_or_refuses_with_a_code() {
    let mut rng = StdRng::seed_from_u64(16_001);
    let bases: [&[u8]; 4] = [
        b"850808310738",
        b"900115400109",
        b"000101500005",
        b" 850808310738 ",
    ];
    let alphabet: &[&[u8]] = &[
        b"0",
        b"1",
        b"5",
        b"9",
        b" ",
        b"a",
        "Ә".as_bytes(),
        b"\x00",
        b"12",
    ];
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..cases() {
        let base = bases[rng.random_range(0..bases.len())];
        let bytes = mutate(&mut rng, base, alphabet);
        let text = String::from_utf8_lossy(&bytes);
        match derbes::Iin::parse(&text) {
            Ok(iin) => {
                // Accepted means 12 digits that parse back to themselves.
                let digits = iin.as_str();
                assert_eq!(digits.len(), 12);
                assert_eq!(derbes::Iin::parse(&digits).map(|i| i.as_str()), Ok(digits));
                accepted += 1;
            }
            Err(e) => {
                assert!(e.code().starts_with("iin."), "{e:?}");
                refused += 1;
            }
        }
    }
    eprintln!("IIN: {accepted} accepted, {refused} refused");
    assert!(accepted > 0 && refused > 0);
}

#[test]
fn the_csv_reader_accepts_or_refuses_with_a_code() {
    let mut rng = StdRng::seed_from_u64(16_002);
    let bases: [&[u8]; 3] = [
        "Фамилия;Имя;ИИН;E-mail\nҚасымов;Қайрат;850808310738;k@mail.kz\n".as_bytes(),
        b"surname,given_name,iin\n\"Smith, J\",\"A \"\"B\"\"\",900115400109\r\n",
        b"\xef\xbb\xbf\xd4\xe0\xec\xe8\xeb\xe8\xff;\xc8\xec\xff\n\xc8\xe2\xe0\xed\xee\xe2;\xc8\xe2\xe0\xed\n",
    ];
    let alphabet: &[&[u8]] = &[
        b"\"",
        b";",
        b",",
        b"\n",
        b"\r",
        b"\t",
        b"\x00",
        b"\xff",
        b"\xd0",
        "қ".as_bytes(),
        b"=1+1",
        b"\"\"",
    ];
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..cases() {
        let base = bases[rng.random_range(0..bases.len())];
        let bytes = mutate(&mut rng, base, alphabet);
        match derbes::files::csv_table::parse(&bytes) {
            Ok(t) => {
                assert!(!t.headers.is_empty() || t.rows.is_empty());
                accepted += 1;
            }
            Err(e) => {
                assert!(!e.code().is_empty(), "{e:?}");
                refused += 1;
            }
        }
    }
    eprintln!("CSV: {accepted} accepted, {refused} refused");
    assert!(accepted > 0 && refused > 0);
}

#[test]
fn the_eml_reader_accepts_or_refuses_with_a_code() {
    let dir = format!("{}/tests/fixtures/eml", env!("CARGO_MANIFEST_DIR"));
    let mut bases: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .filter_map(|e| std::fs::read(e.path()).ok())
        .filter(|b| b.len() < 64 * 1024)
        .collect();
    bases.sort();
    assert!(!bases.is_empty());
    let mut rng = StdRng::seed_from_u64(16_003);
    let alphabet: &[&[u8]] = &[
        b"\r\n",
        b"\n\n",
        b": ",
        b"=?utf-8?B?",
        b"?=",
        b"=?koi8-r?Q?=F0=D2?=",
        b"--boundary\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"<",
        b">",
        b"\x00",
        b"\xff\xfe",
        b"From: ",
        b"Date: Mon, 31 Feb 9999 99:99:99 +9999\r\n",
    ];
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..cases() {
        let base = &bases[rng.random_range(0..bases.len())];
        let bytes = mutate(&mut rng, base, alphabet);
        match derbes::files::eml::parse(&bytes) {
            Ok(_) => accepted += 1,
            Err(e) => {
                assert_eq!(e.code(), "message.malformed", "{e:?}");
                refused += 1;
            }
        }
    }
    eprintln!(".eml: {accepted} accepted, {refused} refused");
    assert!(accepted > 0);
}

/// The backup reader, in two parts. Whole files: mutated copies of a real backup (bytes flipped,
/// cut, appended, a page zeroed, the header replaced) through `backup::verify`, each of which
/// costs a key derivation, so a few hundred. Content: 100 000 generated edits of what a backup
/// holds (its manifest, counts, rows, tables, the journal) made with the passphrase — the
/// attacker who holds it — each inside a savepoint of one keyed connection, read by everything
/// `verify` does after the key (`backup::verify_keyed`), then rolled back.
#[test]
fn the_backup_reader_accepts_or_refuses_with_a_code() {
    use derbes::app::backup;
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T09:00:00Z")
        .unwrap()
        .to_utc();
    let pass = derbes::Passphrase::existing("generated backups 2026").unwrap();
    let made = {
        let mut v = derbes::Vault::create(&dir.path().join("v.derbes"), &pass, now).unwrap();
        derbes::app::demo::populate(
            &mut v,
            derbes::app::demo::Spec {
                subjects: 30,
                requests: 10,
                seed: 3,
            },
            now.date_naive(),
            now,
        )
        .unwrap();
        let out = dir.path().join("backups");
        std::fs::create_dir(&out).unwrap();
        backup::export(&mut v, &out, None, now).unwrap()
    };
    let original = std::fs::read(&made.path).unwrap();
    let mut rng = StdRng::seed_from_u64(16_004);

    // Whole files.
    let file_cases = (cases() / 500).max(20);
    let target = dir.path().join("case.derbes");
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..file_cases {
        let mut b = original.clone();
        match rng.random_range(0..6) {
            0 => {
                for _ in 0..rng.random_range(1..4) {
                    let at = rng.random_range(0..b.len());
                    b[at] ^= 1 << rng.random_range(0..8);
                }
            }
            1 => b.truncate(rng.random_range(0..b.len())),
            2 => b.extend((0..rng.random_range(1..9000)).map(|_| rng.random::<u8>())),
            3 => {
                let page = rng.random_range(0..b.len() / 4096);
                b[page * 4096..(page + 1) * 4096].fill(0);
            }
            4 => b[..16].copy_from_slice(b"SQLite format 3\0"),
            _ => {
                let at = rng.random_range(0..b.len());
                let end = (at + rng.random_range(1..64)).min(b.len());
                b.drain(at..end);
            }
        }
        std::fs::write(&target, &b).unwrap();
        match backup::verify(&target, &pass) {
            Ok(_) => accepted += 1,
            Err(e) => {
                assert!(!e.code().is_empty(), "{e:?}");
                refused += 1;
            }
        }
    }
    eprintln!("backup files: {accepted} accepted, {refused} refused");
    assert!(refused > 0);

    // Content.
    let copy = dir.path().join("content.derbes");
    // A keyed connection to a fresh copy, as the passphrase holder has it: the journal's triggers
    // gone first. Every case is rolled back, so no rollback file or sync on disk (the reader is
    // the same).
    let fresh = || {
        std::fs::write(&copy, &original).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        c.pragma_update(None, "key", "generated backups 2026")
            .unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;
             DROP TRIGGER journal_append_only_update; DROP TRIGGER journal_append_only_delete;",
        )
        .unwrap();
        c
    };
    let mut c = fresh();
    assert!(backup::verify_keyed(&c).is_ok(), "the copy itself reads");
    let tables: Vec<String> = c
        // Not the search index's shadow tables: SQLite's full-text module reads them even to roll
        // back, and a vault whose index was hand-broken is the live check's business, not a
        // backup reader's.
        .prepare(
            "SELECT name FROM sqlite_schema t WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
               AND sql NOT LIKE 'CREATE VIRTUAL%'
               AND NOT EXISTS (SELECT 1 FROM sqlite_schema v WHERE v.sql LIKE 'CREATE VIRTUAL%'
                               AND t.name LIKE v.name || '\\_%' ESCAPE '\\')",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let keys = [
        "app_version",
        "schema_version",
        "created_at",
        "counts",
        "journal_head",
        "digest",
    ];
    let values: &[&[u8]] = &[
        b"",
        b"0",
        b"-1",
        b"14",
        b"x",
        b";",
        b"=",
        b":",
        b"subject=",
        b"9999999999999999999999",
        b"\xd0\x96",
    ];
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..cases() {
        c.execute_batch("SAVEPOINT g").unwrap();
        for _ in 0..rng.random_range(1..=3) {
            let table = &tables[rng.random_range(0..tables.len())];
            let key = keys[rng.random_range(0..keys.len())];
            let sql = match rng.random_range(0..8) {
                0 | 1 => {
                    let old: String = c
                        .query_row("SELECT value FROM backup_manifest WHERE key = ?1", [key], |r| r.get(0))
                        .unwrap_or_default();
                    let new = mutate(&mut rng, old.as_bytes(), values);
                    let new = String::from_utf8_lossy(&new).replace('\'', "''");
                    format!("UPDATE backup_manifest SET value = '{new}' WHERE key = '{key}'")
                }
                2 => format!("DELETE FROM backup_manifest WHERE key = '{key}'"),
                3 => format!(
                    "DELETE FROM \"{table}\" WHERE rowid = (SELECT rowid FROM \"{table}\" ORDER BY random() LIMIT 1)"
                ),
                4 => format!("INSERT INTO \"{table}\" DEFAULT VALUES"),
                5 => "UPDATE journal SET hash = lower(hex(randomblob(32))) WHERE seq = (SELECT max(seq) FROM journal)".to_owned(),
                6 => "UPDATE letter SET sha256 = 'ab' WHERE id = (SELECT min(id) FROM letter)".to_owned(),
                _ => format!("DROP TABLE \"{table}\""),
            };
            // An edit SQL itself refuses (a constraint, a foreign key) is simply not made.
            let _ = c.execute_batch(&sql);
        }
        match backup::verify_keyed(&c) {
            Ok(_) => accepted += 1,
            Err(e) => {
                assert!(!e.code().is_empty(), "{e:?}");
                refused += 1;
            }
        }
        // An edit that broke what SQLite itself needs to roll back (the search index's
        // triggers write through it) leaves a file no use for the next case: a fresh copy.
        if c.execute_batch("ROLLBACK TO g; RELEASE g").is_err() {
            drop(c);
            c = fresh();
        }
    }
    eprintln!("backup contents: {accepted} accepted, {refused} refused");
    assert!(accepted > 0 && refused > 0);
}
