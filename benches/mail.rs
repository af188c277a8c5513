//! Reading a mail folder for requests (issue 19): an mbox of 10 000 messages (≈ 200 MB, as a
//! Thunderbird Inbox of a few years: plain letters, HTML newsletters, PDF and photo attachments),
//! one in twenty a request with a policy marker from a registered subject, on a vault of the
//! benchmark's size. Measured: the first read (every message's headers, the requests drafted,
//! checked and registered in one transaction), a read when nothing is new, and a read after one
//! message was appended. Against the same file split and its headers parsed by the same parser,
//! each message's key written to a plain SQLite table in one transaction (the cost of the
//! de-duplication, the drafting, the requests, the journal and the encryption, in the same run).
//!
//! `cargo bench --bench mail` (`DERBES_BENCH_MESSAGES`, `DERBES_BENCH_SUBJECTS` for other sizes).

use derbes::files::{eml, mailbox};
use derbes::requests::mailbox as mail;
use rusqlite::Connection;
use std::io::Write;
use std::time::{Duration, Instant, SystemTime};

mod common;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A deterministic pseudo-random stream (xorshift), enough for message shapes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MARKERS: [&str; 3] = [
    "Отказ от получения уведомлений о новых продуктах и услугах и специальных предложениях",
    "Обновление персональных данных",
    "Дербес деректерді өңдеуге келісімді кері қайтарып алу",
];

fn base64_block(rng: &mut Rng, bytes: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(bytes * 4 / 3 + bytes / 57 + 8);
    let chars = bytes * 4 / 3;
    for i in 0..chars {
        s.push(A[rng.below(64) as usize] as char);
        if i % 76 == 75 {
            s.push_str("\r\n");
        }
    }
    s.push_str("\r\n");
    s
}

/// Message `i`: a request from `from` when `request`, else mail of the ordinary kinds.
fn message(rng: &mut Rng, i: usize, from: &str, request: bool) -> String {
    let day = 1 + (i % 24);
    let mut m = format!(
        "From - Mon Nov {day:02} 10:{:02}:00 2026\r\nX-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n\
         Message-ID: <m{i}.{}@mail.example.kz>\r\nDate: Mon, {day:02} Nov 2026 10:{:02}:00 +0500\r\n\
         From: {from}\r\nTo: office@derbes-demo.kz\r\nMIME-Version: 1.0\r\n",
        i % 60,
        rng.next(),
        i % 60
    );
    if request {
        use std::fmt::Write as _;
        let marker = MARKERS[i % MARKERS.len()];
        let _ = write!(
            m,
            "Subject: {marker}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Здравствуйте! Прошу выполнить по моим данным. С уважением.\r\n"
        );
        return m;
    }
    let boundary = format!("b{i}");
    m.push_str(&format!(
        "Subject: Письмо {i}\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n\
         --{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    ));
    for _ in 0..(20 + rng.below(60)) {
        m.push_str("Добрый день! Направляем информацию по вашему запросу, From the office.\r\n");
    }
    // Most carry an attachment: a scan, a photo, a price list.
    let attach = match rng.below(10) {
        0..=2 => 0,
        3..=7 => 4_000 + rng.below(8_000) as usize,
        _ => 20_000 + rng.below(20_000) as usize,
    };
    if attach > 0 {
        m.push_str(&format!(
            "--{boundary}\r\nContent-Type: application/pdf; name=\"doc{i}.pdf\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            base64_block(rng, attach)
        ));
    }
    m.push_str(&format!("--{boundary}--\r\n\r\n"));
    m
}

/// The baseline: the same file split at its envelope lines and every message's header block
/// parsed, each key inserted into a plain SQLite table in one transaction.
fn plain_read(path: &std::path::Path, db: &std::path::Path) -> usize {
    let mut c = Connection::open(db).expect("plain");
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, sender TEXT, subject TEXT)",
    )
    .expect("table");
    let tx = c.transaction().expect("tx");
    let mut n = 0;
    {
        let mut ins = tx
            .prepare("INSERT OR IGNORE INTO seen VALUES (?1, ?2, ?3)")
            .expect("insert");
        mailbox::read_mbox(
            path,
            &mailbox::MboxMark::default(),
            SystemTime::now(),
            |item| {
                if let Ok(b) = item.bytes
                    && let Ok(m) = eml::parse_headers(b, common::now())
                {
                    ins.execute(rusqlite::params![m.key(), m.from_address, m.subject])
                        .expect("row");
                    n += 1;
                }
                Ok(())
            },
        )
        .expect("read");
    }
    tx.commit().expect("commit");
    n
}

fn main() {
    let n_subjects = common::subjects();
    let messages: usize = std::env::var("DERBES_BENCH_MESSAGES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if common::bench_mode() { 10_000 } else { 300 });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vault.derbes");
    let now = common::now();
    let today = now.date_naive();
    let office = chrono::FixedOffset::east_opt(5 * 3600).expect("offset");
    let mut v = common::populated_vault(&path, n_subjects, 19);
    // One in twenty messages is a request from a registered subject's address.
    let emails: Vec<String> = v
        .conn()
        .prepare(
            "SELECT normalized FROM contact WHERE kind = 'email' ORDER BY subject_id LIMIT 2000",
        )
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|r| r.collect::<rusqlite::Result<_>>())
        })
        .expect("emails");
    let mut rng = Rng(0x5eed_2026);
    let inbox = dir.path().join("Inbox");
    let mut expected_requests = 0;
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&inbox).expect("mbox"));
        for i in 0..messages {
            let request = i % 20 == 7 && !emails.is_empty();
            let from = if request {
                expected_requests += 1;
                emails[i % emails.len()].clone()
            } else {
                format!("sender{}@mail.example.kz", i % 700)
            };
            f.write_all(message(&mut rng, i, &from, request).as_bytes())
                .expect("write");
        }
        f.flush().expect("flush");
    }
    let size_mb = std::fs::metadata(&inbox).expect("size").len() as f64 / 1e6;
    std::fs::File::options()
        .append(true)
        .open(&inbox)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(60)))
        .expect("settled");

    let source = mail::add_source(&mut v, &inbox, None, now).expect("folder");
    let t = Instant::now();
    let first = mail::read(&mut v, source, office, today, now).expect("first read");
    let first_t = t.elapsed();
    assert_eq!(first.registered.len(), expected_requests, "{first:?}");
    assert_eq!(first.listed + first.registered.len(), messages);

    let runs = if common::bench_mode() { 20 } else { 3 };
    let mut idle = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let o = mail::read(&mut v, source, office, today, now).expect("read");
        idle.push(t.elapsed());
        assert!(o.is_empty());
    }
    let (idle_p50, idle_p95) = common::percentiles(idle);

    // One more message arrives.
    {
        let mut f = std::fs::File::options()
            .append(true)
            .open(&inbox)
            .expect("append");
        f.write_all(message(&mut rng, messages + 1, "late@mail.example.kz", false).as_bytes())
            .expect("write");
        f.set_modified(SystemTime::now() - Duration::from_secs(60))
            .expect("settled");
    }
    let t = Instant::now();
    let one = mail::read(&mut v, source, office, today, now).expect("read one");
    let one_t = t.elapsed();
    assert_eq!(one.listed, 1);

    let plain = dir.path().join("plain.sqlite");
    let t = Instant::now();
    let keyed = plain_read(&inbox, &plain);
    let plain_t = t.elapsed();
    assert_eq!(keyed, messages + 1);

    // The dashboard's reminders on the same vault (the retention rules run 30 days ahead).
    let mut rem = Vec::new();
    for _ in 0..if common::bench_mode() { 5 } else { 1 } {
        let t = Instant::now();
        let r = derbes::app::reminders::reminders(v.conn(), today, None).expect("reminders");
        rem.push(t.elapsed());
        std::hint::black_box(r);
    }
    let (rem_p50, _) = common::percentiles(rem);
    println!(
        "mail folder: an mbox of {messages} messages ({size_mb:.0} MB), {expected_requests} requests, vault of {n_subjects} subjects"
    );
    println!(
        "  first read:        {} ({} registered, {} waiting) — goal ≤ 3 s",
        ms(first_t),
        first.registered.len(),
        first.listed
    );
    println!(
        "  nothing new:       p50 {} p95 {} — goal ≤ 100 ms",
        ms(idle_p50),
        ms(idle_p95)
    );
    println!("  one new message:   {}", ms(one_t));
    println!(
        "  reminders (dashboard), {n_subjects} subjects: p50 {}",
        ms(rem_p50)
    );
    println!(
        "  plain (split + headers + keys into plain SQLite): {} — first read {:.2}×",
        ms(plain_t),
        first_t.as_secs_f64() / plain_t.as_secs_f64()
    );
}
