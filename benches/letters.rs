//! Letters: making one letter (target ≤ 10 ms, ≤ 40 KB), the extract, a 20-page extract, issuing
//! (render + store + journal) in a vault of 100 000 subjects, storing the PDF in the encrypted vault
//! against plain SQLite, and the same letter made by LibreOffice headless from an equivalent
//! document (when `soffice` is installed) as the ratio a user would otherwise live with.
//!
//! `cargo bench --bench letters` (`DERBES_BENCH_SUBJECTS` for another size).

use derbes::app::demo::{self, Spec};
use derbes::base::language::Language;
use derbes::documents::letters::{self, Edits, Kind, Source};
use derbes::registry::holding::{self, HoldingInput};
use derbes::{Passphrase, Vault};
use rusqlite::Connection;
use std::time::{Duration, Instant};

mod common;
use common::{PASS, percentiles as pct};

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn src(kind: Kind, lang: Language, request_id: i64) -> Source {
    Source {
        kind,
        lang,
        request_id: Some(request_id),
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: None,
    }
}

fn request_of(v: &Vault, kind: &str) -> i64 {
    v.conn()
        .query_row(
            "SELECT id FROM request WHERE kind = ?1 AND subject_id IS NOT NULL AND status <> 'refused'
             ORDER BY id LIMIT 1",
            [kind],
            |r| r.get(0),
        )
        .expect("a request of the kind")
}

/// Renders `runs` times; (p50, p95, bytes, pages).
fn render(v: &Vault, source: &Source, runs: usize) -> (Duration, Duration, usize, usize) {
    let today = common::now().date_naive();
    let draft = letters::draft(v.conn(), source, today).expect("draft");
    let mut times = Vec::with_capacity(runs);
    let mut out = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        // The draft is read from the vault each time, as issuing does.
        let d = letters::draft(v.conn(), source, today).expect("draft");
        let (pdf, pages) =
            letters::render(v.conn(), &d, "ИСХ-2026/001", today, common::now()).expect("render");
        times.push(t.elapsed());
        out = (pdf.len(), pages);
    }
    let _ = draft;
    let (p50, p95) = pct(times);
    (p50, p95, out.0, out.1)
}

fn main() {
    let bench = common::bench_mode();
    let n = common::subjects();
    let runs = if bench { 200 } else { 5 };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("letters.derbes");
    let now = common::now();
    let today = now.date_naive();
    let mut v =
        Vault::create(&path, &Passphrase::existing(PASS).expect("pass"), now).expect("create");
    demo::populate(
        &mut v,
        Spec {
            subjects: n,
            requests: n / 2,
            seed: 5,
        },
        today,
        now,
    )
    .expect("populate");
    demo::letterhead(&mut v, now).expect("letterhead");
    println!("vault of {n} subjects, {} requests", n / 2);

    let marketing = request_of(&v, "refuse-marketing");
    // A confirmation states only what was done: the refusal is recorded first.
    derbes::requests::refusal::refuse_from_request(&mut v, marketing, today, now).expect("refusal");
    let access = request_of(&v, "access");
    for (name, kind, rid) in [
        (
            "confirmation of marketing refusal",
            Kind::ConfirmMarketing,
            marketing,
        ),
        ("answer with extract", Kind::AccessExtract, access),
    ] {
        for lang in [Language::Ru, Language::Kk, Language::En] {
            let (p50, p95, bytes, pages) = render(&v, &src(kind, lang, rid), runs);
            println!(
                "letter: {name} ({}): p50 {} / p95 {}, {:.1} KB, {pages} page(s)",
                lang.code(),
                ms(p50),
                ms(p95),
                bytes as f64 / 1024.0
            );
        }
    }

    // A 20-page extract: one person holding many categories for many purposes.
    let subject: i64 = v
        .conn()
        .query_row(
            "SELECT subject_id FROM request WHERE id = ?1",
            [access],
            |r| r.get(0),
        )
        .expect("subject");
    let cats = derbes::registry::catalog::categories(v.conn()).expect("cats");
    let purposes = derbes::registry::catalog::purposes(v.conn()).expect("purposes");
    let mut added = 0usize;
    let mut pages = 0;
    while pages < 20 {
        for _ in 0..40 {
            let c = &cats[added % cats.len()];
            let p = &purposes[(added / cats.len()) % purposes.len()];
            holding::add(
                &mut v,
                subject,
                &HoldingInput {
                    category_id: c.id,
                    purpose_id: p.id,
                    basis: "contract".into(),
                    basis_ref: String::new(),
                    source: format!("договор № 2025/ДУ-{added:06} от 01.03.2025"),
                    since: "2025-03-01".into(),
                    until: "2030-03-01".into(),
                },
                today,
                now,
            )
            .expect("holding");
            added += 1;
        }
        let d = letters::draft(
            v.conn(),
            &src(Kind::AccessExtract, Language::Ru, access),
            today,
        )
        .expect("draft");
        pages = letters::render(v.conn(), &d, "ИСХ-2026/001", today, now)
            .expect("render")
            .1;
    }
    let (p50, p95, bytes, pages) = render(
        &v,
        &src(Kind::AccessExtract, Language::Ru, access),
        if bench { 20 } else { 2 },
    );
    println!(
        "extract of {added} rows: p50 {} / p95 {}, {:.1} KB, {pages} pages",
        ms(p50),
        ms(p95),
        bytes as f64 / 1024.0
    );

    // Issuing: number, render, store the bytes, journal — one transaction.
    let mut times = Vec::new();
    let mut last = None;
    for i in 0..runs.min(100) {
        let lang = [Language::Ru, Language::Kk, Language::En][i % 3];
        let t = Instant::now();
        let row = letters::issue(
            &mut v,
            &src(Kind::ConfirmMarketing, lang, marketing),
            &Edits::default(),
            today,
            now,
        )
        .expect("issue");
        times.push(t.elapsed());
        last = Some(row);
    }
    let (p50, p95) = pct(times);
    println!(
        "issue a letter (render + store + journal): p50 {} / p95 {}",
        ms(p50),
        ms(p95)
    );

    // Storing the same PDF: encrypted vault against plain SQLite.
    let pdf = letters::pdf(v.conn(), last.expect("issued").id).expect("pdf");
    let plain_path = dir.path().join("plain.sqlite");
    drop(v);
    common::plain_copy(&path, &plain_path);
    let enc = Connection::open(&path).expect("open");
    enc.pragma_update(None, "key", PASS).expect("key");
    let plain = Connection::open(&plain_path).expect("plain");
    for c in [&enc, &plain] {
        c.execute_batch("CREATE TABLE bench_blob (id INTEGER PRIMARY KEY, pdf BLOB NOT NULL)")
            .expect("table");
    }
    let store = |c: &Connection| {
        let mut t = Vec::new();
        for _ in 0..runs {
            let s = Instant::now();
            c.execute("INSERT INTO bench_blob (pdf) VALUES (?1)", [&pdf])
                .expect("insert");
            t.push(s.elapsed());
        }
        pct(t).0
    };
    let (e, p) = (store(&enc), store(&plain));
    println!(
        "store a {:.1} KB PDF: encrypted {} vs plain {} ({:.2}×)",
        pdf.len() as f64 / 1024.0,
        ms(e),
        ms(p),
        e.as_secs_f64() / p.as_secs_f64()
    );

    libreoffice(dir.path());
}

/// The same one-page letter as an HTML document converted by LibreOffice headless.
fn libreoffice(dir: &std::path::Path) {
    let Ok(out) = std::process::Command::new("soffice")
        .arg("--version")
        .output()
    else {
        println!("LibreOffice: not installed (apt install libreoffice-writer-nogui to compare)");
        return;
    };
    println!(
        "LibreOffice: {}",
        String::from_utf8_lossy(&out.stdout).trim()
    );
    let html = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{font-family:"Noto Sans";font-size:10.5pt} .head{font-weight:bold;font-size:12pt}
table{width:100%} td{vertical-align:top}</style></head><body>
<div class="head">ТОО «Дербес Демо»</div><div>050000, г. Алматы, пр. Абая, 150, офис 12</div>
<div>БИН 180540012343 · тел. +7 727 300 00 00 · e-mail: privacy@derbes-demo.kz</div><hr>
<table><tr><td>Исх. № ИСХ-2026/001<br>от 25.11.2026<br>На № ВХ-17 от 20.11.2026</td>
<td><b>Әбілқасымова Әйгерім Серікқызы<br>г. Шымкент, ул. Әуезова, 7</b></td></tr></table>
<p><b>Об отказе от рекламных рассылок</b></p><p style="text-align:center">Уважаемая Әйгерім Серікқызы!</p>
<p>Рассмотрев ваше обращение от 20.11.2026 № ВХ-17, сообщаем, что 25.11.2026 ваш отказ от получения уведомлений о новых продуктах и услугах и специальных предложениях принят. Ваши адреса внесены в список исключений, и рекламные сообщения вам больше не направляются (пункт 6.2 Политики).</p>
<table><tr><td>Директор</td><td>____________</td><td>Жақсылықов Н. Ғ.</td></tr></table>
</body></html>"#;
    let input = dir.join("letter.html");
    std::fs::write(&input, html).expect("write");
    let profile = dir.join("lo-profile");
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let status = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
            ])
            .arg(dir)
            .arg(&input)
            .output()
            .expect("soffice");
        times.push(t.elapsed());
        assert!(status.status.success(), "soffice failed");
    }
    let size = std::fs::metadata(dir.join("letter.pdf"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "LibreOffice headless, same letter from HTML: first {} (new profile), then {} / {}, {:.1} KB",
        ms(times[0]),
        ms(times[1]),
        ms(times[2]),
        size as f64 / 1024.0
    );
}
