//! The command-line companion, run as a user would run it.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
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

/// Runs the CLI on the vault at `vault`, its passphrase from the environment.
fn in_vault(vault: &str, passphrase: &str, args: &[&str]) -> (i32, String, String) {
    let mut c = cli();
    c.args(["--vault", vault])
        .args(args)
        .env("DERBES_PASSPHRASE", passphrase);
    run(&mut c)
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
        // 30 August is no longer Constitution Day from 2026 (docs/domain.md §3, corrected 2026-12-02).
        ("authority", "2026-08-20", "2026-08-31"),
        // Sunday 5 January 2025 was a working day (the transfer of 3 January).
        ("update", "2025-01-02", "2025-01-05"),
        // Constitution Day 15 March from 2027.
        ("update", "2027-03-12", "2027-03-16"),
        ("update", "2027-08-27", "2027-08-30"),
    ] {
        let (code, out, _) = run(cli().args(["deadline", "--type", kind, "--received", received]));
        assert_eq!((code, out.trim()), (0, due), "{kind}");
    }
    let (code, _, err) =
        run(cli().args(["deadline", "--type", "nonsense", "--received", "2026-01-01"]));
    assert_eq!(code, 2);
    assert!(err.contains("access"), "{err}");
    let (code, _, err) =
        run(cli().args(["deadline", "--type", "access", "--received", "1850-01-01"]));
    assert_eq!(code, 1);
    assert!(err.contains("2000 to 2100"), "{err}");
    let (code, _, err) =
        run(cli().args(["deadline", "--type", "access", "--received", "2026-02-30"]));
    assert_eq!(code, 2);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

#[test]
fn calendar_show_and_a_merging_import() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v.derbes");
    let passfile = dir.path().join("pass");
    std::fs::write(&passfile, "тауық жұмыртқа 1234\n").unwrap();
    let v = vault.to_str().unwrap();
    let pf = passfile.to_str().unwrap();
    let base = |args: &[&str]| {
        let mut c = cli();
        c.args(["--vault", v, "--passphrase-file", pf]).args(args);
        run(&mut c)
    };
    assert_eq!(base(&["init"]).0, 0);
    let (code, out, err) = base(&["calendar", "show", "2025"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("2025: confirmed"), "{out}");
    assert!(
        out.contains("2025-01-05\tSun\tworking day\tdecree transfer: working day for the day off on 2025-01-03"),
        "{out}"
    );
    assert!(
        out.contains(
            "2025-09-01\tMon\tday off\tConstitution Day of 2025-08-30 moved from the weekend"
        ),
        "{out}"
    );
    let (_, out, _) = base(&["calendar", "show", "2027"]);
    assert!(
        out.contains("2027-03-15\tMon\tday off\tConstitution Day\n"),
        "{out}"
    );
    assert!(!out.contains("2027-08-30"), "{out}");
    let (_, out, _) = base(&["calendar", "show", "2030"]);
    assert!(out.starts_with("2030: not confirmed"), "{out}");
    let (code, _, err) = base(&["calendar", "show", "2101"]);
    assert_eq!(code, 1);
    assert!(err.contains("2000 to 2100"), "{err}");

    // Only a decree's two lines: merged, Nauryz stays; the changes are shown first.
    let csv = dir.path().join("decree.csv");
    std::fs::write(
        &csv,
        "date;kind;note\n2027-01-08;off;перенос\n2027-01-09;working;перенос\n",
    )
    .unwrap();
    let c = csv.to_str().unwrap();
    let (code, out, _) = base(&["calendar", "import", "2027", c, "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "2027-01-08: as the week -> day off\n2027-01-09: as the week -> working day\n2 days would change; nothing written\n"
    );
    let (_, out, _) = base(&["calendar", "show", "2027"]);
    assert!(!out.contains("2027-01-09"), "dry run wrote nothing: {out}");
    let (code, out, _) = base(&["calendar", "import", "2027", c]);
    assert_eq!(code, 0);
    assert!(
        out.ends_with("2027: 2 days changed; 0 open due dates recomputed\n"),
        "{out}"
    );
    let (_, out, _) = base(&["calendar", "show", "2027"]);
    assert!(
        out.contains("2027-03-22\tMon\tday off\tNauryz meirami"),
        "{out}"
    );
    assert!(
        out.contains("2027-01-09\tSat\tworking day\tuser edit: перенос"),
        "{out}"
    );
    let (code, out, _) = base(&["calendar", "import", "2027", c, "--replace"]);
    assert_eq!(code, 0);
    assert!(out.contains("2027-03-22: day off -> as the week"), "{out}");
    let (_, out, _) = base(&["calendar", "show", "2027"]);
    assert_eq!(out.lines().count(), 3, "{out}");
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
        out.contains("demo: yes") && out.contains("subjects: 238"),
        "{out}"
    );
    let (code, out, _) = run(cli()
        .args(["--vault", demo.to_str().unwrap(), "journal", "verify"])
        .env("DERBES_PASSPHRASE", "demo"));
    assert_eq!(code, 0);
    assert!(out.starts_with("journal intact: "), "{out}");
}

#[test]
fn subjects_import_export_and_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "Фамилия;Имя;ИИН;E-mail\nҚасымов;Қайрат;850808310738;kairat@mail.kz\nОшибкин;Иван;850808310737;ivan@mail.kz\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    let (code, out, _) = with_pass(&["subjects", "import", csv]);
    assert_eq!(code, 1);
    assert!(
        out.contains("line 3: iin: the check digit does not match [iin.check_digit]"),
        "{out}"
    );
    assert!(out.contains("nothing written"), "{out}");
    let (code, out, _) = with_pass(&["subjects", "import", csv, "--skip-invalid"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("written: 1 created, 0 updated, 0 skipped"),
        "{out}"
    );
    let (code, out, _) = with_pass(&["subjects", "export", "-", "--lang", "kk"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("\u{feff}ID;ЖСН;"), "{out}");
    assert!(out.contains(";850808310738;;Қасымов;Қайрат;"), "{out}");
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "email\nkairat@mail.kz\nother@example.com\n").unwrap();
    let out_path = dir.path().join("clean.csv");
    let (code, _, err) = with_pass(&[
        "suppression",
        "clean",
        list.to_str().unwrap(),
        out_path.to_str().unwrap(),
        "--require-consent",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 rows: 1 kept, 1 removed (no_consent 1)"),
        "{err}"
    );
    let cleaned = std::fs::read_to_string(&out_path).unwrap();
    assert_eq!(cleaned, "\u{feff}email\nother@example.com\n");
}

#[test]
fn suppression_refuse_list_and_check_for_a_sender_not_in_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    // Nobody is registered: the refusal comes from an unknown sender.
    let eml = format!(
        "{}/../tests/fixtures/eml/thunderbird-plain-ru.eml",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, out, _) = with_pass(&["requests", "import-eml", &eml]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("refuse-marketing\tunmatched"), "{out}");
    let (code, out, err) = with_pass(&["suppression", "refuse", "--request", "1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim(),
        "the sender of request 1 (email) is on the stop-list"
    );
    let (_, out, _) = with_pass(&["suppression", "refuse", "--request", "1"]);
    assert_eq!(
        out.trim(),
        "the sender of request 1 was on the stop-list already"
    );
    let (code, out, _) = with_pass(&[
        "suppression",
        "check",
        "kairat.kasymov@MAIL.kz",
        "other@example.com",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "kairat.kasymov@MAIL.kz\trefused\nother@example.com\tnot listed\n"
    );
    let (code, out, _) = with_pass(&["suppression", "check", "Қайрат"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("not an e-mail address or phone number"),
        "{out}"
    );
    let (code, out, _) = with_pass(&["suppression", "list"]);
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        "request 1\trefused\t2026-11-23\tkairat.kasymov@mail.kz"
    );
    let (code, _, err) = with_pass(&["suppression", "refuse"]);
    assert_eq!(code, 2);
    assert!(err.contains("--request N or --subject ID"), "{err}");
    let (code, out, _) = run(cli().args(["help"]));
    assert_eq!(code, 0);
    assert!(out.contains("suppression refuse --request N"), "{out}");
}

#[test]
fn hostile_files_are_refused_and_only_a_finished_export_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let exported = |what: &str| -> usize {
        let (_, out, _) = with_pass(&["journal", "export", "-"]);
        out.lines().filter(|l| l.contains(what)).count()
    };
    // Writing over a device, a directory or a symlink, or into a missing folder: refused, and not
    // journaled (nothing left the vault).
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "theirs").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let missing = dir.path().join("no/such/out.csv");
    for target in [
        "/dev/null",
        dir.path().to_str().unwrap(),
        link.to_str().unwrap(),
        missing.to_str().unwrap(),
    ] {
        let (code, _, err) = with_pass(&["subjects", "export", target]);
        assert_eq!(code, 1, "{target}: {err}");
        assert!(
            err.contains("not a regular file") || err.contains("folder to write into"),
            "{target}: {err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "theirs");
    assert!(
        std::fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(exported("subjects.exported"), 0);
    let out = dir.path().join("out.csv");
    let (code, _, err) = with_pass(&["subjects", "export", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(exported("subjects.exported"), 1);
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Every register export is journaled too.
    assert_eq!(with_pass(&["requests", "export", "-"]).0, 0);
    assert_eq!(exported("requests.exported"), 1);

    // Reading: a device, a FIFO, an endless file — refused at once, never read or waited on.
    let fifo = dir.path().join("fifo.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let started = std::time::Instant::now();
    for args in [
        vec!["subjects", "import", "/dev/zero"],
        vec!["subjects", "import", fifo.to_str().unwrap()],
        vec!["requests", "import-eml", "/dev/zero"],
        vec!["calendar", "import", "2027", fifo.to_str().unwrap()],
    ] {
        let (code, out, err) = with_pass(&args);
        assert_ne!(code, 0, "{args:?}");
        assert!(
            format!("{out}{err}").contains("not a regular file"),
            "{args:?}: {out}{err}"
        );
    }
    let mut c = cli();
    c.args(["--vault", v, "--passphrase-file", "/dev/zero", "status"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 1);
    assert!(err.contains("not a regular file"), "{err}");
    let (code, _, err) = in_vault(fifo.to_str().unwrap(), "x", &["status"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a regular file"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "nothing waited on a FIFO"
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly_and_the_version_prints() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("demo.derbes");
    let v = v.to_str().unwrap();
    assert_eq!(in_vault(v, "demo", &["demo"]).0, 0);
    // `letters list | head -0`: the reader is gone before the first line is printed.
    for args in [&["letters", "list"][..], &["journal", "export", "-"][..]] {
        let mut child = cli()
            .args(["--vault", v])
            .args(args)
            .env("DERBES_PASSPHRASE", "demo")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
    let (code, out, _) = run(cli().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("derbes-cli {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_demo_killed_while_it_builds_leaves_no_half_vault() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("demo.derbes");
    let v = v.to_str().unwrap();
    let mut mid_build = 0;
    for delay_ms in [50, 150, 300, 500, 800] {
        let mut child = cli()
            .args(["--vault", v, "demo"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            mid_build += 1;
        }
        // Either no vault under the final name, or a whole demo vault.
        if std::path::Path::new(v).exists() {
            let (code, out, err) = in_vault(v, "demo", &["status"]);
            assert_eq!(code, 0, "{err}");
            assert!(out.contains("demo: yes"), "{out}");
            std::fs::remove_file(v).unwrap();
        }
    }
    assert!(
        mid_build > 0,
        "some kills landed while the demo was being built"
    );
    // A leftover of a killed build does not stop the next one.
    let (code, out, err) = in_vault(v, "demo", &["demo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("demo: yes"), "{out}");
}

#[test]
fn requests_import_eml_and_deadline_by_the_vaults_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "Фамилия;Имя;ИИН;E-mail\nҚасымов;Қайрат;850808310738;kairat.kasymov@mail.kz\n",
    )
    .unwrap();
    assert_eq!(
        with_pass(&["subjects", "import", csv.to_str().unwrap()]).0,
        0
    );
    let fixtures = format!("{}/../tests/fixtures/eml", env!("CARGO_MANIFEST_DIR"));
    let f = |n: &str| format!("{fixtures}/{n}");
    let files = [
        f("thunderbird-plain-ru.eml"),
        f("broken-binary.eml"),
        f("mailru-koi8-other.eml"),
    ];
    let mut args = vec!["requests", "import-eml"];
    args.extend(files.iter().map(String::as_str));
    let (code, out, _) = with_pass(&args);
    assert_eq!(code, 1, "one file failed: {out}");
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{out}");
    // Received Mon 23 Nov 2026; refusal of marketing: 1 working day.
    assert_eq!(
        lines[0][..4],
        [files[0].as_str(), "refuse-marketing", "1", "2026-11-24"]
    );
    assert_eq!(lines[1][..2], [files[1].as_str(), "error"]);
    assert!(lines[1][2].contains("message.malformed"), "{out}");
    // Fri 20 Nov 2026, no marker: "other", 10 working days.
    assert_eq!(
        lines[2][..4],
        [files[2].as_str(), "other", "unmatched", "2026-12-04"]
    );
    // The same message again: not registered twice (issue 15).
    let (code, out, _) = with_pass(&["requests", "import-eml", files[0].as_str()]);
    assert_eq!(code, 0, "{out}");
    let first = lines[0][4].trim_start_matches("request ");
    assert_eq!(
        out.trim(),
        format!("{}\talready registered as request {first}", files[0])
    );

    // The vault's calendar: a decree day off moves the due date; without --vault, the built-in.
    let base = ["deadline", "--type", "update", "--received", "2026-12-03"];
    assert_eq!(with_pass(&base).1.trim(), "2026-12-04");
    let (code, out, _) = with_pass(&["calendar", "set", "2026-12-04", "off", "--note", "decree"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(with_pass(&base).1.trim(), "2026-12-07");

    // The period report, as CSV on standard output and as PDF.
    let (code, out, _) = with_pass(&["report", "2026-11", "-", "--lang", "en"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Refusal of marketing;1;0;0;1"), "{out}");
    assert!(out.contains("Total;2;0;0;2"), "{out}");
    let pdf = dir.path().join("report.pdf");
    let (code, _, err) = with_pass(&["report", "2026-Q4", pdf.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let (code, out, _) = run(cli().args(base));
    assert_eq!((code, out.trim()), (0, "2026-12-04"));
}

#[test]
fn letters_list_export_and_issue_on_the_demo_vault() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.derbes");
    let d = demo.to_str().unwrap();
    assert_eq!(run(cli().args(["--vault", d, "demo"])).0, 0);
    let with_pass = |args: &[&str]| in_vault(d, "demo", args);
    // The demo vault has one issued document of each kind (but the letters between request and
    // answer, which its finished requests no longer call for).
    let (code, out, err) = with_pass(&["letters", "list"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows.len(),
        derbes::documents::letters::Kind::ALL
            .iter()
            .filter(|k| !k.is_interim())
            .count(),
        "{out}"
    );
    for k in derbes::documents::letters::Kind::ALL
        .iter()
        .filter(|k| !k.is_interim())
    {
        assert!(
            rows.iter().any(|r| r[2] == k.name()),
            "{} in {out}",
            k.name()
        );
    }
    let period = rows.iter().find(|r| r[2] == "period-report").unwrap();
    assert_eq!(period[3], "-", "the period report answers no request");
    // Export gives back the stored bytes: the same SHA-256 the vault recorded.
    let number = rows[0][0];
    let file = dir.path().join("out.pdf");
    let (code, _, err) = with_pass(&["letters", "export", number, file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(err.contains(&sha), "{err}");
    let (code, _, err) = with_pass(&["letters", "export", "НЕТ-1", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("letter.not_found"), "{err}");
    // A refusal letter on a request that is not refused states what is not so: refused.
    let (code, _, err) = with_pass(&["letters", "issue", "--request", "1", "--doc", "refusal"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("[letter.request_not_refused]"), "{err}");
    // Issue a letter answering a refused request: the next number of the year.
    let refused = rows.iter().find(|r| r[2] == "refusal").unwrap()[3].to_owned();
    let (code, out, err) = with_pass(&[
        "letters",
        "issue",
        "--request",
        &refused,
        "--doc",
        "refusal",
        "--lang",
        "kk",
    ]);
    assert_eq!(code, 0, "{err}");
    let (_, list, _) = with_pass(&["letters", "list"]);
    assert!(
        list.lines()
            .next()
            .unwrap()
            .starts_with(out.split('\t').next().unwrap()),
        "newest first: {list}"
    );
    let (code, _, err) = with_pass(&["letters", "issue", "--request", "1", "--doc", "nonsense"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn subjects_block_and_unblock_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.derbes");
    let d = demo.to_str().unwrap();
    assert_eq!(run(cli().args(["--vault", d, "demo"])).0, 0);
    let with_pass = |args: &[&str]| in_vault(d, "demo", args);
    let (code, _, err) = with_pass(&["subjects", "block", "1"]);
    assert_eq!(code, 1, "a basis is required");
    assert!(err.contains("[invalid]"), "{err}");
    let (code, out, err) = with_pass(&["subjects", "block", "1", "--basis", "проверка жалобы"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "subject 1 blocked");
    let (code, _, err) = with_pass(&["subjects", "block", "1", "--basis", "ещё раз"]);
    assert_eq!(code, 1);
    assert!(err.contains("subject.not_editable"), "{err}");
    let (code, out, _) = with_pass(&["subjects", "unblock", "1", "--basis", "не подтвердилось"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "subject 1 unblocked");
    let (code, _, err) = with_pass(&["subjects", "unblock", "1", "--basis", "x"]);
    assert_eq!(code, 1);
    assert!(err.contains("subject.not_blocked"), "{err}");
}

#[test]
fn destroy_anonymize_retention_and_journal_export_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.derbes");
    let d = demo.to_str().unwrap();
    assert_eq!(run(cli().args(["--vault", d, "demo"])).0, 0);
    let active: Vec<i64> = {
        let v = derbes::Vault::open(
            &demo,
            &derbes::Passphrase::existing("demo").unwrap(),
            chrono::Utc::now(),
        )
        .unwrap();
        let mut st = v
            .conn()
            .prepare("SELECT id FROM subject WHERE status = 'active' ORDER BY id LIMIT 2")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let (a, b) = (active[0].to_string(), active[1].to_string());
    let with_pass = |args: &[&str]| in_vault(d, "demo", args);
    let (code, _, err) = with_pass(&["subjects", "destroy", &a]);
    assert_eq!(code, 1, "a basis is required");
    assert!(err.contains("[invalid]"), "{err}");
    let (code, out, err) = with_pass(&["subjects", "destroy", &a, "--basis", "цель достигнута"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("subject {a} destroyed; act ")),
        "{out}"
    );
    let (code, _, err) = with_pass(&["subjects", "destroy", &a, "--basis", "ещё раз"]);
    assert_eq!(code, 1);
    assert!(err.contains("subject.not_editable"), "{err}");
    let (code, out, err) = with_pass(&[
        "subjects",
        "anonymize",
        &b,
        "--basis",
        "договор исполнен",
        "--keep",
        "birth_year,sex",
        "--lang",
        "kk",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("anonymized; act "), "{out}");
    let (code, _, err) = with_pass(&["subjects", "anonymize", &b, "--keep", "eyes"]);
    assert_eq!(code, 2, "{err}");

    // The retention report names no one; applying it empties it.
    let report = dir.path().join("retention.csv");
    let (code, _, err) = with_pass(&["retention", "report", report.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(
        csv.contains("subject;scope;category;purpose;reason;ended_on"),
        "{csv}"
    );
    let due = csv.lines().count() - 1;
    assert!(due > 0, "the demo has withdrawn consents: {csv}");
    let (code, out, err) = with_pass(&["retention", "apply", "anonymize", "--keep", "birth_year"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("; act "), "{out}");
    let (_, csv, _) = with_pass(&["retention", "report", "-"]);
    assert_eq!(csv.lines().count(), 1, "only the header is left: {csv}");
    let (code, _, err) = with_pass(&["retention", "apply", "destroy"]);
    assert_eq!(code, 1);
    assert!(err.contains("retention.nothing_due"), "{err}");

    // The requests and letters registers as workbooks (Excel and OpenDocument), headed in Kazakh.
    for (cmd, first, ext) in [("requests", "№", "xlsx"), ("letters", "Шығыс №", "ods")] {
        let file = dir.path().join(format!("{cmd}.{ext}"));
        let sub = if cmd == "requests" {
            "export"
        } else {
            "register"
        };
        let (code, _, err) = with_pass(&[cmd, sub, file.to_str().unwrap(), "--lang", "kk"]);
        assert_eq!(code, 0, "{err}");
        let table = derbes::files::sheet::read_table(&file).unwrap();
        assert_eq!(table.headers[0], first);
        assert!(!table.rows.is_empty(), "{cmd}");
    }

    // The transfers register (empty in the demo: a header only).
    let (code, out, err) = with_pass(&["transfers", "export", "-", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("recipient;country;cross-border"), "{out}");
    assert!(err.contains("0 transfers"), "{err}");

    // The journal for an inspection: every entry with its chain.
    let journal = dir.path().join("journal.csv");
    let (code, _, err) = with_pass(&["journal", "export", journal.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(text.contains("subject.destroyed") && text.contains("erasure.anonymized"));
    assert!(err.contains("journal entries"), "{err}");
    let (_, verify, _) = with_pass(&["journal", "verify"]);
    let n: usize = verify
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(0);
    // A header and every entry but the last: the export's own entry, journaled once the file was
    // complete.
    assert_eq!(text.lines().count(), n, "{verify}");
    assert!(!text.contains("journal.exported"));
}

#[test]
fn errors_about_files_name_the_file_and_what_it_was_for() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let mut c = cli();
    c.args(["--vault", v, "--passphrase-file", "/no/such/pass", "status"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 1);
    assert!(err.contains("the passphrase file /no/such/pass:"), "{err}");
    let (_, _, err) = with_pass(&["subjects", "import", "/no/such.csv"]);
    assert!(err.contains("the file to import /no/such.csv:"), "{err}");
    let (_, _, err) = with_pass(&["backup", "/no/such/folder"]);
    assert!(
        err.contains("[file.folder_missing]: the backup folder /no/such/folder:"),
        "{err}"
    );
    // An IIN born after today, an unterminated quote, two columns for one field.
    let born = chrono::Local::now().date_naive() + chrono::Duration::days(60);
    let later = (1..100)
        .find_map(|n| derbes::Iin::compose(born, derbes::base::iin::Sex::Male, n))
        .unwrap()
        .as_str();
    let (code, out, _) = run(cli().args(["check-iin", &later]));
    assert_eq!(code, 1);
    assert!(out.contains("after today"), "{out}");
    let csv = dir.path().join("q.csv");
    std::fs::write(
        &csv,
        "Фамилия;Имя;ИИН\nҚасымов;\"Қайрат;850808310738\nОмарова;Әйгерім;900101300146\n",
    )
    .unwrap();
    let (code, _, err) = with_pass(&["subjects", "import", csv.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("a quote opened on line 2 is never closed"),
        "{err}"
    );
    std::fs::write(
        &csv,
        "Фамилия;Имя;ИИН;ЖСН\nҚасымов;Қайрат;850808310738;850808310738\n",
    )
    .unwrap();
    let (code, _, err) = with_pass(&["subjects", "import", csv.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("\"ИИН\" and \"ЖСН\""), "{err}");
}

#[test]
fn the_demo_is_built_where_its_folder_does_not_exist_yet() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("new/folder/demo.derbes");
    let (code, out, err) = in_vault(v.to_str().unwrap(), "demo", &["demo"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("demo: yes"), "{out}");
}

#[test]
fn check_journal_anchor_and_the_account_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v.derbes");
    let v = vault.to_str().unwrap();
    let pass = "тауық жұмыртқа 1234";
    let (code, _, err) = in_vault(v, pass, &["init"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = in_vault(v, pass, &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("good: ") && out.contains("pages authenticated"),
        "{out}"
    );
    // The journal's "who" is the account, whatever $USER says.
    let (code, _, err) = run(cli()
        .args(["--vault", v, "calendar", "set", "2026-12-31", "off"])
        .env("DERBES_PASSPHRASE", pass)
        .env("USER", "mallory")
        .env("LOGNAME", "mallory"));
    assert_eq!(code, 0, "{err}");
    let journal = dir.path().join("j.csv");
    in_vault(v, pass, &["journal", "export", journal.to_str().unwrap()]);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(!text.contains("mallory"), "{text}");
    // The last entries removed with the passphrase: the chain is whole, the anchor is not.
    {
        let c = rusqlite::Connection::open(&vault).unwrap();
        c.pragma_update(None, "key", pass).unwrap();
        c.execute_batch(
            "DROP TRIGGER journal_append_only_delete;
             DELETE FROM journal WHERE seq > (SELECT max(seq) - 2 FROM journal);",
        )
        .unwrap();
    }
    let (code, out, err) = in_vault(v, pass, &["journal", "verify"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("[journal.entries_missing]"), "{err}");
    assert!(out.contains("are missing from the journal"), "{out}");
    let (code, out, _) = in_vault(v, pass, &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("bad: found at the unlock of"), "{out}");
}

/// The commands a `--help` lists under `Commands:` (without `help` itself).
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_answers_help_from_its_own_definition() {
    let (code, top, _) = run(cli().arg("--help"));
    assert_eq!(code, 0);
    let mut queue: Vec<Vec<String>> = listed_commands(&top).into_iter().map(|c| vec![c]).collect();
    assert!(queue.len() >= 20, "{top}");
    let mut seen = 0;
    while let Some(path) = queue.pop() {
        let (code, out, err) = run(cli().args(&path).arg("--help"));
        assert_eq!(code, 0, "{path:?}: {err}");
        let usage = format!("Usage: derbes-cli {}", path.join(" "));
        assert!(
            out.contains(&usage),
            "{path:?} answers its own usage:\n{out}"
        );
        // Only a command's own options, the global ones under their heading.
        assert!(out.contains("Global options:"), "{path:?}:\n{out}");
        for sub in listed_commands(&out) {
            let mut p = path.clone();
            p.push(sub);
            queue.push(p);
        }
        seen += 1;
    }
    assert!(seen >= 45, "{seen} commands");
    // An option of one command is not accepted by another.
    let (code, _, err) = run(cli().args(["backup", "--skip-invalid", "/tmp"]));
    assert_eq!(code, 2);
    assert!(err.contains("--skip-invalid"), "{err}");
}

#[test]
fn completions_and_man_pages_come_from_the_same_definitions() {
    let (code, bash, _) = run(cli().args(["completions", "bash"]));
    assert_eq!(code, 0);
    assert!(
        bash.contains("derbes-cli") && bash.contains("import-eml"),
        "{bash}"
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(cli().arg("man").arg(dir.path()));
    assert_eq!(code, 0, "{err}");
    for page in [
        "derbes-cli.1",
        "derbes-cli-backup.1",
        "derbes-cli-letters-issue.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{page}: {text}"
        );
    }
    let issue = std::fs::read_to_string(dir.path().join("derbes-cli-letters-issue.1")).unwrap();
    assert!(issue.contains("accept\\-warnings"), "{issue}");
}

/// A zip bomb named like a workbook: an error line, exit 1, the journal untouched.
#[test]
fn a_zip_bomb_named_xlsx_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    // A zip bomb: 1 GB of zeros packed into about a megabyte, named like a workbook.
    let bomb = dir.path().join("bomb.xlsx");
    let made = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n\
             \x20   with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:\n\
             \x20       block = b'\\0' * (1 << 20)\n\
             \x20       for _ in range(1024): f.write(block)\n",
        )
        .arg(&bomb)
        .status()
        .expect("python3");
    assert!(made.success());
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 * 1024 * 1024);
    let t = common::TempVault::new();
    drop(t.create());
    let head =
        |t: &common::TempVault| derbes::vault::journal::verify(t.open().unwrap().conn()).unwrap();
    let before = head(&t);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_derbes-cli"))
        .args(["--vault", t.path.to_str().unwrap(), "subjects", "import"])
        .arg(&bomb)
        .env("DERBES_PASSPHRASE", common::PASS)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[sheet.too_large]"));
    assert_eq!(head(&t), before);
}

/// A request typed at the command line goes through its workflow as it would in the window: each
/// step refused where the workflow does not allow it, journaled where it does.
#[test]
fn a_request_is_added_listed_stepped_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("v.derbes");
    let v = vault.to_str().unwrap();
    let pass = "тауық жұмыртқа 1234";
    let (code, _, err) = in_vault(v, pass, &["init"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = in_vault(
        v,
        pass,
        &[
            "requests",
            "add",
            "--kind",
            "access",
            "--channel",
            "paper",
            "--requester",
            "Айгерім Сәрсенова",
            "--received",
            "2026-11-30",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let id = out.split('\t').next().unwrap().to_owned();
    assert!(out.contains("\taccess\tdue "), "{out}");
    let (code, out, _) = in_vault(v, pass, &["requests", "list", "--view", "new"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!("{id}\taccess\tnew\t")) && out.contains("Айгерім"),
        "{out}"
    );
    // Closing a request not yet answered is refused with the workflow's code.
    let (code, _, err) = in_vault(v, pass, &["requests", "close", &id]);
    assert_eq!(code, 1);
    assert!(err.contains("[request.transition]"), "{err}");
    for step in [
        &["start"][..],
        &[
            "identity",
            "--method",
            "signed_letter",
            "--date",
            "30.11.2026",
        ],
        &["answer", "--date", "2026-12-01"],
        &["close"],
    ] {
        let mut args = vec!["requests", step[0], id.as_str()];
        args.extend_from_slice(&step[1..]);
        let (code, _, err) = in_vault(v, pass, &args);
        assert_eq!(code, 0, "{step:?}: {err}");
    }
    let (code, _, err) = in_vault(v, pass, &["requests", "pause", &id, "--reason", "later"]);
    assert_eq!(
        code, 2,
        "a reason that is none is a wrong command line: {err}"
    );
    let (code, out, _) = in_vault(v, pass, &["requests", "show", &id]);
    assert_eq!(code, 0);
    assert!(out.contains(", closed\n"), "{out}");
    for action in [
        "request.created",
        "request.identity",
        "request.answered",
        "request.closed",
    ] {
        assert!(out.contains(action), "{action}: {out}");
    }
}

/// Issue 18: a request typed with the wrong date is corrected, found, attached to the subject
/// registered from it, and another cancelled — from the command line, as a script would.
#[test]
fn requests_are_corrected_searched_attached_and_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let (code, out, err) = with_pass(&[
        "requests",
        "add",
        "--kind",
        "access",
        "--requester",
        "Нұрланова Айгерім Серікқызы",
        "--sender",
        "aigerim.n@mail.kz",
        "--received",
        "2026-11-20",
        "--ref",
        "ВХ-318",
    ]);
    assert_eq!(code, 0, "{err}");
    let id = out.split('\t').next().unwrap().to_owned();
    let (code, out, err) = with_pass(&["requests", "edit", &id, "--received", "02.11.2026"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("received_on,due_on\n"), "{out}");
    let (_, out, _) = with_pass(&["requests", "show", &id]);
    assert!(out.contains("received 2026-11-02"), "{out}");
    assert!(
        out.contains("was\t") && out.contains("\"2026-11-20\""),
        "{out}"
    );
    // Nothing to change: said, and exit 0.
    let (code, _, err) = with_pass(&["requests", "edit", &id, "--received", "2026-11-02"]);
    assert_eq!((code, err.as_str()), (0, "nothing changed\n"));
    // A date in the future is refused with the field and its reason.
    let (code, _, err) = with_pass(&["requests", "edit", &id, "--received", "2099-01-01"]);
    assert_ne!(code, 0);
    assert!(err.contains("received_on"), "{err}");

    let (code, out, err) = with_pass(&["requests", "search", "нурлан"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("{id}\t2026-11-02\taccess\tnew\t")),
        "{out}"
    );
    let (_, out, _) = with_pass(&["requests", "search", "", "--from", "2026-11-10"]);
    assert_eq!(out, "");
    let (code, _, err) = with_pass(&["requests", "search", "x", "--from", "31.02.2026"]);
    assert_ne!(code, 0);
    assert!(err.contains("from"), "{err}");

    let (code, out, err) = with_pass(&["requests", "new-subject", &id, "--iin", "850808310738"]);
    assert_eq!(code, 0, "{err}");
    let subject = out.trim().to_owned();
    let (_, out, _) = with_pass(&["requests", "search", "850808"]);
    assert!(
        out.starts_with(&format!("{id}\t")),
        "found by the new subject's IIN: {out}"
    );
    let (code, _, err) = with_pass(&["requests", "attach", &id, "--subject", &subject]);
    assert_ne!(code, 0);
    assert!(err.contains("already attached"), "{err}");

    let (_, out, _) = with_pass(&[
        "requests",
        "add",
        "--kind",
        "update",
        "--requester",
        "Ошибка",
    ]);
    let other = out.split('\t').next().unwrap().to_owned();
    let (code, out, err) = with_pass(&[
        "requests",
        "cancel",
        &other,
        "--reason",
        "error",
        "--note",
        "дубль",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cancelled"), "{out}");
    let (_, out, _) = with_pass(&["requests", "list", "--view", "open"]);
    assert!(!out.contains("Ошибка"), "{out}");
    let (code, _, err) = with_pass(&["requests", "cancel", &other, "--reason", "maybe"]);
    assert_ne!(code, 0);
    assert!(err.contains("error, withdrawn"), "{err}");
}

/// Issue 18: a vault made with `init` is set up from the command line — the letterhead and the
/// catalogues — and can then destroy a person (the act needs the letterhead).
#[test]
fn a_vault_made_with_init_is_set_up_from_the_command_line_and_can_destroy() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let (code, out, _) = with_pass(&["letterhead", "show"]);
    assert_eq!(code, 0);
    assert!(out.contains("complete\tno"), "{out}");
    // An invalid BIN refuses the whole change.
    let (code, _, err) = with_pass(&[
        "letterhead",
        "set",
        "--operator",
        "ТОО «Клиника»",
        "--bin",
        "123",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("bin"), "{err}");
    let (_, out, _) = with_pass(&["letterhead", "show"]);
    assert!(out.contains("operator\t\n"), "nothing written: {out}");
    let (code, out, err) = with_pass(&[
        "letterhead",
        "set",
        "--operator",
        "ТОО «Клиника Шипагер»",
        "--bin",
        "180540012343",
        "--address",
        "г. Алматы, ул. Төле би, 1",
        "--email",
        "privacy@clinic.kz",
        "--responsible",
        "Әбенова Ә.",
        "--signer-name",
        "Құрманов Қ.",
        "--signer-position",
        "Директор",
        "--city",
        "г. Алматы",
        "--prefix",
        "КЛ",
        "--digits",
        "4",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("numbering\tКЛ (year yes, 4 digits)"), "{out}");
    let (_, out, _) = with_pass(&["letterhead", "show"]);
    assert!(
        out.contains("complete\tyes") && out.contains("next number\tКЛ-"),
        "{out}"
    );
    // A bad logo changes nothing and says why.
    let not_png = dir.path().join("logo.png");
    std::fs::write(&not_png, b"not an image").unwrap();
    let (code, _, err) = with_pass(&[
        "letterhead",
        "set",
        "--city",
        "Астана",
        "--logo",
        not_png.to_str().unwrap(),
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("logo"), "{err}");
    let (_, out, _) = with_pass(&["letterhead", "show"]);
    assert!(out.contains("city\tг. Алматы"), "{out}");

    // The catalogues.
    let (code, out, err) = with_pass(&[
        "catalog",
        "add-purpose",
        "--code",
        "medical",
        "--ru",
        "Оказание медицинских услуг",
        "--kk",
        "Медициналық көмек көрсету",
        "--retention-days",
        "9125",
        "--retention-source",
        "law",
        "--retention-note",
        "Кодекс о здоровье народа и системе здравоохранения",
    ]);
    assert_eq!(code, 0, "{err}");
    let purpose = out.trim().to_owned();
    let (code, _, err) = with_pass(&["catalog", "add-purpose", "--code", "bad code", "--ru", "x"]);
    assert_ne!(code, 0);
    assert!(err.contains("code"), "{err}");
    assert_eq!(
        with_pass(&[
            "catalog",
            "add-category",
            "--code",
            "medical_record",
            "--ru",
            "Медицинская карта"
        ])
        .0,
        0
    );
    assert_eq!(
        with_pass(&["catalog", "add-policy", "2026-1", "--from", "2026-01-01"]).0,
        0
    );
    let (_, out, _) = with_pass(&["catalog", "list"]);
    assert!(out.contains(&format!("purpose\t{purpose}\tmedical\tОказание медицинских услуг\tМедициналық көмек көрсету\tОказание медицинских услуг\t9125 days (law)")), "{out}");
    assert!(
        out.contains("category\t") && out.contains("\tmedical_record\tМедицинская карта"),
        "{out}"
    );
    assert!(out.contains("policy\t1\t2026-1\t2026-01-01"), "{out}");

    // With the letterhead set, a person can be destroyed and the act is issued.
    let list = dir.path().join("people.csv");
    std::fs::write(&list, "ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n").unwrap();
    assert_eq!(
        with_pass(&["subjects", "import", list.to_str().unwrap()]).0,
        0
    );
    let (code, out, err) =
        with_pass(&["subjects", "destroy", "1", "--basis", "Истёк срок хранения"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("subject 1 destroyed; act КЛ-"), "{out}");
}

#[test]
fn a_request_names_the_representative_who_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let base = [
        "requests",
        "add",
        "--kind",
        "access",
        "--requester",
        "Сейтова Аяла",
    ];
    // An attorney acts by a power of attorney: without its number and date, refused.
    let mut args = base.to_vec();
    args.extend(["--rep-name", "Ахметов А.", "--rep-relation", "attorney"]);
    let (code, _, err) = with_pass(&args);
    assert_ne!(code, 0);
    assert!(err.contains("representative_document"), "{err}");
    let mut args = base.to_vec();
    args.extend([
        "--rep-name",
        "Ахметов А.",
        "--rep-relation",
        "attorney",
        "--rep-document",
        "ДВ-17",
        "--rep-date",
        "01.11.2026",
    ]);
    let (code, out, err) = with_pass(&args);
    assert_eq!(code, 0, "{err}");
    let id = out.split('\t').next().unwrap().to_owned();
    let (code, _, err) = with_pass(&[
        "requests",
        "add",
        "--kind",
        "access",
        "--requester",
        "X",
        "--rep-relation",
        "uncle",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("parent, guardian, attorney"), "{err}");
    assert_eq!(with_pass(&["requests", "show", &id]).0, 0);
}

#[test]
fn a_bulk_consent_is_previewed_then_recorded_for_everyone_without_a_basis() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let list = dir.path().join("people.csv");
    std::fs::write(
        &list,
        "ИИН;Фамилия;Имя\n850808310738;Касымов;Кайрат\n900115400109;Кудайбергенова;Айгерим\n",
    )
    .unwrap();
    assert_eq!(
        with_pass(&["subjects", "import", list.to_str().unwrap()]).0,
        0
    );
    let args = [
        "subjects",
        "bulk",
        "consent",
        "--no-basis",
        "--purpose",
        "3",
        "--granted",
        "2026-11-02",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let (code, out, err) = with_pass(&dry);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "2 selected: 2 would change, 0 unchanged\n");
    let (code, out, err) = with_pass(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "2 selected: 2 changed, 0 unchanged\n");
    let (_, out, _) = with_pass(&dry);
    assert_eq!(
        out, "0 selected: 0 would change, 0 unchanged\n",
        "nobody is without a basis now"
    );
    let (code, out, _) = with_pass(&["subjects", "bulk", "stop-list", "--ids", "1"]);
    assert_eq!(code, 0);
    assert_eq!(out, "1 selected: 1 changed, 0 unchanged\n");
}

#[test]
fn subject_categories_and_their_retention_are_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let (code, out, err) = with_pass(&[
        "catalog",
        "add-subject-category",
        "--code",
        "subscriber",
        "--ru",
        "Абонент",
    ]);
    assert_eq!(code, 0, "{err}");
    let id = out.trim().to_owned();
    let (code, _, err) = with_pass(&[
        "catalog",
        "set-retention",
        "--purpose",
        "3",
        "--subject-category",
        &id,
        "--days",
        "1825",
        "--source",
        "contract",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = with_pass(&[
        "catalog",
        "set-retention",
        "--purpose",
        "3",
        "--subject-category",
        &id,
        "--days",
        "0",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("retention_days"), "{err}");
    let (_, out, _) = with_pass(&["catalog", "list"]);
    assert!(
        out.contains(&format!("subject-category\t{id}\tsubscriber\tАбонент")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "retention\tpurpose 3\tsubject-category {id}\t1825 days\tcontract"
        )),
        "{out}"
    );
}

#[test]
fn a_starter_kit_is_added_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let (code, out, err) = with_pass(&["catalog", "starter", "shop"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("shop: 3 purposes, 1 data categories, 1 subject categories"),
        "{out}"
    );
    let (_, out, _) = with_pass(&["catalog", "list"]);
    assert!(
        out.contains("\tloyalty\t") && out.contains("check before use"),
        "{out}"
    );
    let (code, _, err) = with_pass(&["catalog", "starter", "zoo"]);
    assert_ne!(code, 0);
    assert!(err.contains("kit"), "{err}");
}

#[test]
fn requests_come_from_a_mail_folder_for_cron() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    // Thunderbird's Inbox: one message with the policy's marker, one without.
    let mut mbox = Vec::new();
    for f in ["thunderbird-plain-ru.eml", "mailru-koi8-other.eml"] {
        mbox.extend_from_slice(b"From - Mon Nov 23 18:42:10 2026\r\nX-Mozilla-Status: 0001\r\n");
        mbox.extend(common::bytes(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/eml")
                .join(f),
        ));
        mbox.extend_from_slice(b"\r\n");
    }
    let inbox = dir.path().join("Inbox");
    std::fs::write(&inbox, &mbox).unwrap();
    std::fs::File::options()
        .append(true)
        .open(&inbox)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(60))
        .unwrap();
    let inbox = inbox.to_str().unwrap();
    let (code, out, err) = with_pass(&["requests", "import-mail", inbox]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("request 1\trefuse-marketing\t"),
        "{out}"
    );
    assert!(lines[0].ends_with("\tunmatched"), "{out}");
    assert_eq!(
        lines[1],
        "1 registered, 1 waiting to be taken in or dismissed, 0 unreadable"
    );
    // Nothing new prints nothing: cron mails nothing.
    let (code, out, _) = with_pass(&["requests", "import-mail", inbox]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (_, out, err) = with_pass(&["requests", "mail", "list"]);
    assert!(out.starts_with("2\t2026-11-20\tpetrov@mail.ru\t"), "{out}");
    assert_eq!(err.trim(), "1 waiting");
    let (code, out, _) = with_pass(&["requests", "mail", "take", "2"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("request 2\tother\t"), "{out}");
    let (_, out, _) = with_pass(&["requests", "mail", "folders"]);
    assert!(out.starts_with("1\tmbox\t0 waiting\t"), "{out}");
    let (code, out, err) = with_pass(&["requests", "import-mail", "/dev/zero"]);
    assert_eq!(code, 1);
    assert!(
        format!("{out}{err}").contains("not a regular file"),
        "{out}{err}"
    );
    let (code, _, err) = with_pass(&["requests", "import-mail", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("mail.not_maildir"), "{err}");
}

#[test]
fn an_answer_is_written_as_a_message_file_for_the_mail_program() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let eml = format!(
        "{}/../tests/fixtures/eml/thunderbird-plain-ru.eml",
        env!("CARGO_MANIFEST_DIR")
    );
    assert_eq!(with_pass(&["requests", "import-eml", &eml]).0, 0);
    let (code, _, err) = with_pass(&["suppression", "refuse", "--request", "1"]);
    assert_eq!(code, 0, "{err}");
    for (key, value) in [
        ("operator", "ТОО «Кызгалдак»"),
        ("signer-name", "А. Сапарова"),
    ] {
        let (code, _, err) = with_pass(&["letterhead", "set", &format!("--{key}"), value]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = with_pass(&[
        "letters",
        "issue",
        "--request",
        "1",
        "--doc",
        "confirm-marketing",
    ]);
    assert_eq!(code, 0, "{err}");
    let number = out.split_whitespace().next().unwrap().to_owned();
    let file = dir.path().join("answer.eml");
    let (code, out, err) = with_pass(&["letters", "reply", &number, file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "kairat.kasymov@mail.kz");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("In-Reply-To: <a1@mail.kz>"),
        "threaded under the request"
    );
    assert!(text.contains("Content-Type: application/pdf"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let (code, _, err) = with_pass(&["letters", "reply", "НЕТ-1", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("letter.not_found") || err.contains("no document"),
        "{err}"
    );
}

#[test]
fn reminders_print_nothing_when_nothing_is_due_and_exit_1_when_something_is() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    // Nothing in the vault: silence (in December, perhaps next year's calendar, and only that).
    let (code, out, err) = with_pass(&["reminders"]);
    if out.is_empty() {
        assert_eq!((code, err.as_str()), (0, ""));
    } else {
        assert_eq!(code, 1);
        assert!(out.contains("calendar of"), "{out}");
    }
    // An update (one working day) received today is due on the next working day.
    let (code, _, err) = with_pass(&[
        "requests",
        "add",
        "--kind",
        "update",
        "--requester",
        "Ерлан Д.",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = with_pass(&["reminders"]);
    assert_eq!(code, 1);
    assert!(out.contains("request 1 (update) is due on "), "{out}");
    assert!(!out.contains("Ерлан"), "no names for cron's mail: {out}");
    let (_, out, _) = with_pass(&["status"]);
    assert!(out.contains(" 1 requests due on "), "{out}");
    let (code, out, _) = run(cli().args(["reminders", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("cron"), "{out}");
}

#[test]
fn a_consent_form_is_printed_and_recorded_by_its_number() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    for (key, value) in [("operator", "ТОО «Кызгалдак»"), ("bin", "180540012343")] {
        let (code, _, err) = with_pass(&["letterhead", "set", &format!("--{key}"), value]);
        assert_eq!(code, 0, "{err}");
    }
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "ИИН;Фамилия;Имя\n850808310738;Жаңабаев;Ерлан\n").unwrap();
    let (code, out, err) = with_pass(&["subjects", "import", people.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    let pdf = dir.path().join("form.pdf");
    let (code, out, err) = with_pass(&[
        "forms",
        "print",
        "--purpose",
        "1",
        "--data",
        "Ф. И. О., телефон",
        "--lang",
        "kk",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let number = out.trim().to_owned();
    assert!(number.ends_with("-00001"), "{number}");
    assert!(common::bytes(&pdf).starts_with(b"%PDF"));
    // Blank: the person is named when it is recorded.
    let (code, _, err) = with_pass(&["forms", "record", &number]);
    assert_eq!(code, 1);
    assert!(err.contains("required"), "{err}");
    let (code, out, err) = with_pass(&["forms", "record", &number, "--subject", "1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("consent "), "{out}");
    let (_, out, _) = with_pass(&["forms", "list"]);
    assert!(
        out.contains(&format!("{number}\t")) && out.contains("\t1\tconsent "),
        "{out}"
    );
    let (code, _, err) = with_pass(&["forms", "record", &number, "--subject", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("consent_form.recorded"), "{err}");
}

#[test]
fn a_documents_wording_is_shown_set_from_a_file_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path().join("v.derbes");
    let v = v.to_str().unwrap();
    let with_pass = |args: &[&str]| in_vault(v, "cli test passphrase", args);
    assert_eq!(with_pass(&["init"]).0, 0);
    let (code, out, _) = with_pass(&["templates", "show", "acknowledgement", "kk"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("Өтініштің алынғаны туралы\n"), "{out}");
    assert!(out.contains("{request}"), "{out}");
    let file = dir.path().join("ack.txt");
    std::fs::write(
        &file,
        "Өтінішіңіз алынды\n\nҚұрметті {name}! {request} {date} алынды.\n\n---\n\nРақмет.\n",
    )
    .unwrap();
    let (code, out, err) = with_pass(&[
        "templates",
        "set",
        "acknowledgement",
        "kk",
        file.to_str().unwrap(),
    ]);
    assert_eq!((code, out.trim()), (0, "v1"), "{err}");
    let (_, out, _) = with_pass(&["templates", "show", "acknowledgement", "kk", "--preview"]);
    assert!(
        out.contains("Құрметті Әбілқасымова Әйгерім Серікқызы!"),
        "{out}"
    );
    let (_, out, _) = with_pass(&["templates", "list"]);
    assert!(out.contains("acknowledgement\tkk\tv1"), "{out}");
    let (_, out, _) = with_pass(&["templates", "reset", "acknowledgement", "kk"]);
    assert_eq!(out.trim(), "v2: the built-in wording");
    let (_, out, _) = with_pass(&["templates", "history", "acknowledgement", "kk"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("v2\t") && lines[0].ends_with("\treset"),
        "{out}"
    );
    assert!(lines[1].starts_with("v1\t"), "{out}");
    std::fs::write(&file, "Жауап\n\n{белгісіз}\n").unwrap();
    let (code, _, err) = with_pass(&["templates", "set", "answer", "kk", file.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("template.unknown_variable"), "{err}");
    let (code, _, err) = with_pass(&["templates", "show", "act-destruction", "ru"]);
    assert_eq!(code, 2, "{err}");
}
