//! `kill -9` while `derbes-cli` exports the registry and while it imports one (issue 16): the
//! kills are spread over each command's run, some land mid-run; none loses a committed state, and
//! no plaintext file is left once the vault is next unlocked.

mod common;

use common::*;
use derbes::demo::{self, Spec};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const ROUNDS: u64 = 40;

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

    // Exports: killed at 20 ms … 800 ms.
    let (mut mid, mut done, mut partials) = (0, 0, 0);
    for i in 0..ROUNDS {
        // Dense where the export writes (after the ~100 ms unlock), thinner after.
        let at = Duration::from_millis(if i < 30 { 60 + i * 8 } else { 300 + i * 15 });
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
    let (mut mid, mut landed) = (0, 0);
    let mut now_held = before;
    for i in 0..ROUNDS {
        let at = Duration::from_millis(20 + i * 40);
        let mut c = cli(data.path());
        c.args([
            "--vault",
            &vault,
            "subjects",
            "import",
            csv.to_str().unwrap(),
        ]);
        let finished = killed(c, at);
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
