//! The command-line companion, run as a user would run it.

mod common;

use std::process::Command;

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_derbes-cli"))
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run derbes-cli");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_iin_reports_each_number() {
    let (code, out, _) = run(cli().args(["check-iin", "850808310738", "900115400109"]));
    assert_eq!(code, 0);
    assert_eq!(out, "850808310738: valid\n900115400109: valid\n");
    let (code, out, _) =
        run(cli().args(["check-iin", "850808310738", "850808310737", "90011540002"]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "850808310738: valid");
    assert_eq!(
        lines[1],
        "850808310737: invalid: the check digit does not match"
    );
    assert_eq!(
        lines[2],
        "90011540002: invalid: an IIN has 12 digits, this has 11 characters"
    );
}

#[test]
fn deadline_prints_the_due_date() {
    for (kind, received, due) in [
        ("access", "2026-03-20", "2026-03-30"),
        ("update", "2026-05-06", "2026-05-08"),
        ("authority", "2026-08-20", "2026-09-01"),
    ] {
        let (code, out, _) = run(cli().args(["deadline", "--type", kind, "--received", received]));
        assert_eq!((code, out.trim()), (0, due), "{kind}");
    }
    let (code, _, err) =
        run(cli().args(["deadline", "--type", "nonsense", "--received", "2026-01-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("access"), "{err}");
}

#[test]
fn passphrase_is_never_taken_from_argv() {
    let (code, _, err) = run(cli().args(["--passphrase", "secret", "status"]));
    assert_eq!(code, 2);
    assert!(err.contains("never taken from the command line"));
}

#[test]
fn init_demo_status_and_journal() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v.derbes");
    let passfile = dir.path().join("pass");
    std::fs::write(&passfile, "тауық жұмыртқа 1234\n").unwrap();
    let v = vault.to_str().unwrap();
    let pf = passfile.to_str().unwrap();
    let (code, out, err) = run(cli().args(["--vault", v, "--passphrase-file", pf, "init"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("created "), "{out}");
    let (code, out, _) = run(cli().args(["--vault", v, "--passphrase-file", pf, "status"]));
    assert_eq!(code, 0);
    assert!(
        out.contains(&format!("schema: {}\n", derbes::vault::SCHEMA_VERSION))
            && out.contains("subjects: 0\n"),
        "{out}"
    );
    let (code, _, err) = run(cli()
        .args(["--vault", v, "status"])
        .env("DERBES_PASSPHRASE", "wrong passphrase"));
    assert_eq!(code, 1);
    assert!(err.contains("[vault.wrong_passphrase]"), "{err}");

    let demo = dir.path().join("demo.derbes");
    let (code, out, err) = run(cli().args(["--vault", demo.to_str().unwrap(), "demo"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("demo: yes") && out.contains("subjects: 240"),
        "{out}"
    );
    let (code, out, _) = run(cli()
        .args(["--vault", demo.to_str().unwrap(), "journal", "verify"])
        .env("DERBES_PASSPHRASE", "demo"));
    assert_eq!(code, 0);
    assert!(out.starts_with("journal intact: "), "{out}");
}
