//! What the benchmarks share: the run size, a fixed clock, percentiles, and the plain-SQLite copy
//! of an encrypted vault that every encrypted figure is compared with.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

pub const PASS: &str = "benchmark passphrase 2026";

/// `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: then everything runs small.
pub fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// How many subjects: `DERBES_BENCH_SUBJECTS`, else 100 000 (2 000 when only checked by tests).
pub fn subjects() -> u32 {
    std::env::var("DERBES_BENCH_SUBJECTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if bench_mode() { 100_000 } else { 2_000 })
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .single()
        .expect("time")
}

/// (p50, p95) of the samples.
pub fn percentiles(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort_unstable();
    (v[v.len() / 2], v[(v.len() * 95 / 100).min(v.len() - 1)])
}

/// An unencrypted copy of the vault with exactly the same rows and indexes (`sqlcipher_export`).
pub fn plain_copy(enc: &Path, plain: &Path) {
    let c = Connection::open(enc).expect("open");
    c.pragma_update(None, "key", PASS).expect("key");
    c.execute(
        "ATTACH DATABASE ?1 AS plaintext KEY ''",
        [plain.to_str().expect("utf-8")],
    )
    .expect("attach");
    c.query_row("SELECT sqlcipher_export('plaintext')", [], |_| Ok(()))
        .expect("export");
    c.execute_batch("DETACH DATABASE plaintext")
        .expect("detach");
}

/// A new vault at `path` filled by the generator: `n` subjects, `n / 2` requests.
pub fn populated_vault(path: &Path, n: u32, seed: u64) -> derbes::Vault {
    let pass = derbes::Passphrase::existing(PASS).expect("pass");
    let mut v = derbes::Vault::create(path, &pass, now()).expect("create");
    derbes::app::demo::populate(
        &mut v,
        derbes::app::demo::Spec {
            subjects: n,
            requests: n / 2,
            seed,
        },
        now().date_naive(),
        now(),
    )
    .expect("populate");
    v
}
