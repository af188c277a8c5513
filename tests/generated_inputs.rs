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
        match derbes::csv_table::parse(&bytes) {
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
        match derbes::eml::parse(&bytes) {
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
