//! `kill -9` while `derbes-cli` exports the registry, imports one, destroys a person and applies
//! the retention sweep (issue 16): 50 kills per command (200 in all), spread over the command's run as measured
//! on this machine in the same test (so a slower machine moves the points with it), some landing
//! mid-run; none loses a committed state or leaves half a change, and no plaintext file is left
//! once the vault is next unlocked.

#[path = "../../tests/common/mod.rs"]
mod common;

use common::*;
use derbes::app::demo::{self, Spec};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: u64 = 50;

/// The kill points are fractions of a run measured in the test: the two tests run one at a time,
/// or each would measure the other's load.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// How long `cmd` takes when left to finish (it must succeed).
fn duration_of(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    started.elapsed()
}

/// Kill point `i` of [`ROUNDS`]: from 5 % to 145 % of a measured run, evenly.
fn point(i: u64, run: Duration) -> Duration {
    run.mul_f64(0.05 + 1.4 * i as f64 / ROUNDS as f64)
}

fn cli(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_derbes-cli"));
    // The in-flight list lives beside the preferences: a folder of this test's own.
    c.env("DERBES_PASSPHRASE", PASS)
        .env("XDG_DATA_HOME", data)
        .env("XDG_CONFIG_HOME", data);
    c
}

/// Runs `cmd`, killing it with SIGKILL `at` after it started; whether it had finished by then.
fn killed(mut cmd: Command, at: Duration) -> bool {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(at);
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

fn subjects(vault: &Path, data: &Path) -> usize {
    let o = cli(data)
        .args(["--vault", vault.to_str().unwrap(), "status"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("subjects: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{text}"))
}

#[test]
fn kill_9_during_export_and_import_loses_nothing_and_leaves_no_plaintext() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let t = TempVault::new();
    let data = tempfile::tempdir().unwrap();
    {
        let mut v = t.create();
        demo::populate(
            &mut v,
            Spec {
                subjects: 4_000,
                requests: 100,
                seed: 9,
            },
            now().date_naive(),
            now(),
        )
        .unwrap();
    }
    let before = subjects(&t.path, data.path());
    let vault = t.path.to_str().unwrap().to_owned();
    let out = t.file("registry.csv");
    let partial = t.file("registry.csv.partial");

    // Exports, spread over a measured run.
    let run = duration_of({
        let mut c = cli(data.path());
        c.args([
            "--vault",
            &vault,
            "subjects",
            "export",
            out.to_str().unwrap(),
        ]);
        c
    });
    std::fs::remove_file(&out).unwrap();
    let (mut mid, mut done, mut partials) = (0, 0, 0);
    for i in 0..ROUNDS {
        let at = point(i, run);
        let mut c = cli(data.path());
        c.args([
            "--vault",
            &vault,
            "subjects",
            "export",
            out.to_str().unwrap(),
        ]);
        if killed(c, at) {
            done += 1;
        } else {
            mid += 1;
        }
        if partial.exists() {
            partials += 1;
        }
        // The next unlock removes a killed run's partial file; the export is whole or absent.
        assert_eq!(subjects(&t.path, data.path()), before, "round {i}");
        assert!(!partial.exists(), "round {i}: plaintext partial left");
        if out.exists() {
            let text = std::fs::read_to_string(&out).unwrap();
            assert_eq!(
                text.lines().count(),
                before + 1,
                "round {i}: a whole export"
            );
            std::fs::remove_file(&out).unwrap();
        }
    }
    assert!(
        mid > 0 && done > 0,
        "exports: {mid} killed mid-run, {done} finished"
    );
    assert!(
        partials > 0,
        "some kills left a partial file for the unlock to remove"
    );
    eprintln!("exports: {mid} killed mid-run ({partials} left a partial), {done} finished");

    // Imports of 2 000 new people: all or none.
    let csv = t.file("new.csv");
    let mut text = String::from("Фамилия;Имя;Паспорт\n");
    for i in 0..2_000 {
        text.push_str(&format!("Жаңа{i};Адам;N{i:07}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let import = || {
        let mut c = cli(data.path());
        c.args([
            "--vault",
            &vault,
            "subjects",
            "import",
            csv.to_str().unwrap(),
        ]);
        c
    };
    let run = duration_of(import());
    let (mut mid, mut landed) = (0, 0);
    let mut now_held = before + 2_000;
    assert_eq!(subjects(&t.path, data.path()), now_held);
    for i in 0..ROUNDS {
        let finished = killed(import(), point(i, run));
        if !finished {
            mid += 1;
        }
        // One transaction: the 2 000 are all there or none of them is.
        let n = subjects(&t.path, data.path());
        assert!(
            n == now_held || n == now_held + 2_000,
            "round {i}: {n} after {now_held}"
        );
        if n != now_held {
            landed += 1;
            now_held = n;
        }
    }
    assert!(
        mid > 0 && landed > 0,
        "imports: {mid} killed mid-run, {landed} landed"
    );
    eprintln!("imports: {mid} killed mid-run, {landed} landed");
    eprintln!("kill points: {ROUNDS} exports, {ROUNDS} imports");
}

/// What of a vault a killed destruction or sweep may have changed: (destroyed people, acts,
/// holdings ended by an erasure), read in the test's own process.
fn erasure_state(vault: &Path) -> (i64, i64, i64) {
    let v = derbes::Vault::open(vault, &pass(PASS), now()).unwrap();
    v.conn()
        .query_row(
            "SELECT (SELECT count(*) FROM subject WHERE status = 'destroyed'),
                    (SELECT count(*) FROM letter WHERE kind LIKE 'act%'),
                    (SELECT count(*) FROM erasure_holding)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

/// Nothing but the vault, its lock and (after a kill) its encrypted rollback journal.
fn only_the_vault_beside(vault: &Path) {
    for e in std::fs::read_dir(vault.parent().unwrap()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            [
                "vault.derbes",
                "vault.derbes.lock",
                "vault.derbes-journal",
                "start.derbes"
            ]
            .contains(&name.as_str()),
            "left beside the vault: {name}"
        );
    }
}

#[test]
fn kill_9_during_destruction_and_the_retention_sweep_leaves_all_or_nothing() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let t = TempVault::new();
    let data = tempfile::tempdir().unwrap();
    {
        let mut v = t.create();
        demo::populate(
            &mut v,
            Spec {
                subjects: 4_000,
                requests: 100,
                seed: 11,
            },
            now().date_naive(),
            now(),
        )
        .unwrap();
        // An act needs the operator's letterhead.
        demo::letterhead(&mut v, now()).unwrap();
    }
    let vault = t.path.to_str().unwrap().to_owned();
    let ids: Vec<i64> = {
        let v = derbes::Vault::open(&t.path, &pass(PASS), now()).unwrap();
        let mut st = v
            .conn()
            .prepare("SELECT id FROM subject WHERE status = 'active' ORDER BY id LIMIT ?1")
            .unwrap();
        st.query_map([(ROUNDS + 1) as i64], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let destroy = |id: i64| {
        let mut c = cli(data.path());
        c.args(["--vault", &vault, "subjects", "destroy", &id.to_string()])
            .args(["--basis", "Отзыв согласия"]);
        c
    };
    // Destruction of one person: the tombstone and its act together, or neither.
    let run = duration_of(destroy(ids[0]));
    let (mut destroyed, mut acts, _) = erasure_state(&t.path);
    let (mut mid, mut landed) = (0, 0);
    for i in 0..ROUNDS {
        if !killed(destroy(ids[i as usize + 1]), point(i, run)) {
            mid += 1;
        }
        let (d, a, _) = erasure_state(&t.path);
        assert!(
            (d, a) == (destroyed, acts) || (d, a) == (destroyed + 1, acts + 1),
            "round {i}: {d} destroyed and {a} acts after {destroyed} and {acts}"
        );
        if d != destroyed {
            landed += 1;
        }
        (destroyed, acts) = (d, a);
        only_the_vault_beside(&t.path);
    }
    assert!(
        mid > 0 && landed > 0,
        "destruction: {mid} killed mid-run, {landed} landed"
    );
    eprintln!("destruction: {mid} killed mid-run, {landed} landed");

    // The sweep, each round from the same starting vault: one batch, all of it or none.
    let start = t.file("start.derbes");
    std::fs::copy(&t.path, &start).unwrap();
    let sweep = || {
        let mut c = cli(data.path());
        c.args(["--vault", &vault, "retention", "apply", "destroy"]);
        c
    };
    let before = erasure_state(&t.path);
    let run = duration_of(sweep());
    let after = erasure_state(&t.path);
    assert!(
        after.1 == before.1 + 1 && after.2 > before.2,
        "{before:?} {after:?}"
    );
    let (mut mid, mut landed) = (0, 0);
    for i in 0..ROUNDS {
        std::fs::copy(&start, &t.path).unwrap();
        let _ = std::fs::remove_file(t.file("vault.derbes-journal"));
        // The copy is the vault as it was: the anchors of the run before would call it short.
        let _ = std::fs::remove_dir_all(data.path().join("derbes/anchors"));
        if !killed(sweep(), point(i, run)) {
            mid += 1;
        }
        let s = erasure_state(&t.path);
        assert!(
            s == before || s == after,
            "round {i}: {s:?}, not {before:?} or {after:?}"
        );
        if s == after {
            landed += 1;
        }
        only_the_vault_beside(&t.path);
    }
    assert!(
        mid > 0 && landed > 0,
        "retention: {mid} killed mid-run, {landed} landed"
    );
    eprintln!("retention: {mid} killed mid-run, {landed} landed");
}
