//! Spreadsheets on 100 000 subjects: `.xlsx` export and import (targets ≤ 2 s and ≤ 3 s), against
//! CSV in the same run; then the round trip through the real LibreOffice (to CSV and back into a
//! new vault) with every IIN compared.
//!
//! `cargo bench --bench sheets` (`DERBES_BENCH_SUBJECTS` for another size).

use derbes::base::language::Language;
use derbes::files::sheet::{self, Format};
use derbes::{Passphrase, Vault, registry::import};
use std::process::Command;
use std::time::{Duration, Instant};

mod common;

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn iins(t: &derbes::files::csv_table::Table) -> Vec<String> {
    let col = t
        .headers
        .iter()
        .position(|h| h == "ИИН")
        .expect("IIN column");
    let mut v: Vec<String> = t
        .rows
        .iter()
        .map(|(_, r)| r.get(col).cloned().unwrap_or_default())
        .collect();
    v.sort();
    v
}

fn main() {
    let n = common::subjects();
    let dir = tempfile::tempdir().expect("tempdir");
    let now = common::now();
    let today = now.date_naive();
    let mut v = common::populated_vault(&dir.path().join("vault.derbes"), n, 9);
    let export = |v: &mut Vault, name: &str, format: Format| -> (std::path::PathBuf, Duration) {
        let path = dir.path().join(name);
        let t = Instant::now();
        derbes::registry::export::to_file(&path, |w| {
            derbes::registry::export::subjects(v.conn(), w, format, Language::Ru)
        })
        .expect("export");
        (path, t.elapsed())
    };
    let (xlsx, x_out) = export(&mut v, "subjects.xlsx", Format::Xlsx);
    let (csv, c_out) = export(&mut v, "subjects.csv", Format::Csv);
    let size = |p: &std::path::Path| std::fs::metadata(p).expect("size").len() as f64 / 1048576.0;
    println!(
        "export {n} subjects: xlsx {} ({:.1} MiB), csv {} ({:.1} MiB); xlsx/csv {:.2}×",
        secs(x_out),
        size(&xlsx),
        secs(c_out),
        size(&csv),
        x_out.as_secs_f64() / c_out.as_secs_f64()
    );

    // Import into a new vault: read + check + commit, as the window does.
    let import_into =
        |file: &std::path::Path, name: &str| -> (Duration, Duration, usize, Duration) {
            let pass = Passphrase::existing(common::PASS).expect("pass");
            let mut fresh = Vault::create(&dir.path().join(name), &pass, now).expect("create");
            let t = Instant::now();
            let table = sheet::read_table(file).expect("read");
            let read = t.elapsed();
            let mapping = import::guess_mapping(&table.headers);
            let checked = import::check(fresh.conn(), &table, &mapping, today).expect("check");
            let checked_at = t.elapsed();
            let notes = checked.report.notes.len();
            let options = import::Options {
                duplicates: import::Duplicates::Skip,
                skip_invalid: false,
                add_unknown: false,
            };
            import::commit(&mut fresh, &table, checked, options, now).expect("commit");
            (read, t.elapsed(), notes, checked_at - read)
        };
    let (x_read, x_in, _, x_check) = import_into(&xlsx, "from-xlsx.derbes");
    let (c_read, c_in, _, c_check) = import_into(&csv, "from-csv.derbes");
    // The window's two waits: reading and checking (then the report), and writing after "Import".
    println!(
        "import {n} subjects: xlsx {} (reading {}, check {}, commit {}), csv {} (reading {}, check {}, commit {}); xlsx/csv {:.2}×",
        secs(x_in),
        secs(x_read),
        secs(x_check),
        secs(x_in - x_read - x_check),
        secs(c_in),
        secs(c_read),
        secs(c_check),
        secs(c_in - c_read - c_check),
        x_in.as_secs_f64() / c_in.as_secs_f64()
    );

    // The real program a user has: LibreOffice turns the workbook into CSV; nothing changes.
    let profile = tempfile::tempdir().expect("profile");
    let t = Instant::now();
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--norestore", "--convert-to"])
        .arg("csv:Text - txt - csv (StarCalc):59,34,76,1")
        .arg("--outdir")
        .arg(dir.path().join("lo"))
        .arg(&xlsx)
        .output()
        .expect("soffice");
    assert!(status.status.success());
    let lo_csv = dir.path().join("lo/subjects.csv");
    let ours = iins(&sheet::read_table(&xlsx).expect("ours"));
    let theirs = iins(&sheet::read_table(&lo_csv).expect("LibreOffice's"));
    let changed = ours.iter().zip(&theirs).filter(|(a, b)| a != b).count()
        + ours.len().abs_diff(theirs.len());
    let zeros = ours.iter().filter(|i| i.starts_with('0')).count();
    let (_, lo_in, restored, _) = import_into(&lo_csv, "from-lo.derbes");
    println!(
        "LibreOffice xlsx → csv: {}; IINs changed: {changed} of {} ({zeros} start with 0); re-import {} with {restored} restored",
        secs(t.elapsed()),
        ours.len(),
        secs(lo_in)
    );
    assert_eq!(changed, 0);
}
