//! Backups through the command line: written, verified and rotated, and `kill -9` during a
//! backup and a restore.

#[path = "../../tests/common/mod.rs"]
mod common;

use common::*;
use derbes::app::backup;
use std::process::Command;

fn cli() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_derbes-cli"));
    c.env("DERBES_PASSPHRASE", PASS)
        .env_remove("DERBES_BACKUP_PASSPHRASE");
    c
}

/// Kills `derbes-cli` with SIGKILL `at` after starting it.
fn killed(mut cmd: Command, at: std::time::Duration) {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(at);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn kill_9_during_export_and_restore_loses_nothing() {
    let t = TempVault::new();
    let mut v = filled(&t);
    let subjects = count(&v, "subject");
    let out = tempfile::tempdir().unwrap();
    let first = backup::export(&mut v, out.path(), None, now()).unwrap();
    // One more person after the backup: a restore takes the vault back to 300.
    add_person(&mut v, "850808310738");
    v.lock();
    let vault = t.path.to_str().unwrap().to_owned();
    let (out_dir, first_file) = (out.path().to_str().unwrap(), first.path.to_str().unwrap());
    // How long each command takes here, unkilled: the kills are spread over 1.4 times that, so
    // that some fall inside a run and some after it, however loaded the machine is.
    let timed = |args: &[&str]| {
        let started = std::time::Instant::now();
        assert!(cli().args(args).status().unwrap().success(), "{args:?}");
        started.elapsed()
    };
    let export_takes = timed(&["--vault", &vault, "backup", out_dir]);
    let restore_takes = timed(&["--vault", &vault, "restore", first_file]);
    {
        // That restore took the vault back: the person again.
        let mut v = t.open().unwrap();
        add_person(&mut v, "850808310738");
        v.lock();
    }
    let rounds = 20;
    let at = |took: std::time::Duration, i: u32| took.mul_f64(1.4 * (f64::from(i) + 0.5) / 20.0);
    let mut restored = 0;
    for i in 0..rounds {
        let mut c = cli();
        c.args(["--vault", &vault, "backup", out_dir]);
        killed(c, at(export_takes, i));
        let mut c = cli();
        c.args(["--vault", &vault, "restore", first_file]);
        killed(c, at(restore_takes, i));
        // The vault opens, in one of its two committed states.
        let mut v = t.open().unwrap_or_else(|e| panic!("round {i}: {e}"));
        let n = count(&v, "subject");
        assert!(n == subjects || n == subjects + 1, "round {i}: {n}");
        derbes::vault::journal::verify(v.conn()).unwrap();
        if n == subjects {
            // Restored: the person again, so that the next restore has something to undo.
            restored += 1;
            add_person(&mut v, "850808310738");
        }
        v.lock();
        // Every file under a backup's name is a good backup.
        for b in backups(out.path()) {
            backup::verify(&b, &pass(PASS)).unwrap_or_else(|e| panic!("{}: {e}", b.display()));
        }
    }
    // Some runs were killed before they finished, some finished: the kills fell inside them.
    // Less the first and the timed one.
    let made = backups(out.path()).len() - 2;
    assert!(
        made > 0 && made < rounds as usize,
        "{made} of {rounds} backups finished"
    );
    assert!(
        restored > 0 && restored < rounds,
        "{restored} of {rounds} restores finished"
    );
    // Leftovers of killed runs are hidden partial files, never taken for backups.
    for e in std::fs::read_dir(out.path()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            backup::made_at(&e.path()).is_some() || name.starts_with('.'),
            "{name}"
        );
    }
}

#[test]
fn the_cli_backs_up_verifies_and_rotates() {
    let t = TempVault::new();
    filled(&t).lock();
    let out = tempfile::tempdir().unwrap();
    let vault = t.path.to_str().unwrap().to_owned();
    let o = cli()
        .args(["--vault", &vault, "backup", out.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let line = String::from_utf8_lossy(&o.stdout).into_owned();
    let file = line.split('\t').next().unwrap().to_owned();
    let o = cli().args(["verify", &file]).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && text.starts_with("good: 300 subjects, 61 requests"),
        "{text}"
    );
    let o = cli()
        .args(["verify", &file])
        .env("DERBES_PASSPHRASE", "wrong one")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("[vault.wrong_passphrase]"));
    // Rotation keeps one.
    for i in 0..3 {
        std::fs::copy(
            &file,
            out.path()
                .join(format!("derbes-backup-2020-01-0{}-120000.derbes", i + 1)),
        )
        .unwrap();
    }
    let o = cli()
        .args([
            "rotate",
            out.path().to_str().unwrap(),
            "--daily",
            "1",
            "--weekly",
            "0",
            "--monthly",
            "0",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(backups(out.path()).len(), 1);
    // A short passphrase for a new backup is refused.
    let o = cli()
        .args(["--vault", &vault, "backup", out.path().to_str().unwrap()])
        .env("DERBES_BACKUP_PASSPHRASE", "short")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("passphrase.too_short"));
}
