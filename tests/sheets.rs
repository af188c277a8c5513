//! Spreadsheets without damage: `.xlsx` written with identifiers as text and read back; the real
//! LibreOffice converting it (to CSV, `.ods`, `.xls`) changes no IIN; a sheet where LibreOffice
//! already made IINs numbers gets its zeros back; bad workbooks are refused clearly.

mod common;

use common::*;
use derbes::files::sheet::{self, Format};
use derbes::registry::subject::{self, SubjectInput};
use derbes::{Vault, registry::import};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Converts `file` with LibreOffice headless (its own profile, so tests can run side by side).
fn soffice(file: &Path, to: &str, infilter: Option<&str>) -> PathBuf {
    let dir = file.parent().expect("dir");
    let profile = tempfile::tempdir().expect("profile");
    let mut cmd = Command::new("soffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.path().display()
    ))
    .args(["--headless", "--norestore"]);
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    let out = cmd
        .args(["--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("soffice (LibreOffice Calc, installed by scripts/setup.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ext = to.split(':').next().unwrap_or(to);
    let made = file.with_extension(ext);
    assert!(made.exists(), "LibreOffice made {}", made.display());
    made
}

fn zip_entry(file: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn person(v: &mut Vault, iin: &str, surname: &str) -> i64 {
    subject::create(
        v,
        &SubjectInput {
            iin: iin.into(),
            surname: surname.into(),
            given_name: "Әлия".into(),
            birth_date: String::new(),
            phones: vec!["+7 701 000 11 22".into()],
            ..SubjectInput::default()
        },
        today(),
        now(),
    )
    .unwrap()
}

fn iin_born(y: i32, m: u32, d: u32, serial: u16) -> String {
    derbes::Iin::compose(
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        derbes::base::iin::Sex::Female,
        serial,
    )
    .unwrap()
    .to_string()
}

fn iins(table: &derbes::files::csv_table::Table) -> Vec<String> {
    let col = table
        .headers
        .iter()
        .position(|h| h == "ИИН" || h == "IIN" || h == "ЖСН")
        .expect("an IIN column");
    let mut v: Vec<String> = table
        .rows
        .iter()
        .map(|(_, r)| r.get(col).cloned().unwrap_or_default())
        .collect();
    v.sort();
    v
}

#[test]
fn an_xlsx_keeps_identifiers_as_text_formulas_as_text_and_names_out_of_its_properties() {
    let t = TempVault::new();
    let mut v = t.create();
    let young = iin_born(2005, 3, 9, 41);
    assert!(young.starts_with('0'));
    person(&mut v, &young, "=HYPERLINK(\"http://x\")");
    person(&mut v, &iin_born(1987, 12, 1, 7), "Нұрғалиева");
    let file = t.file("subjects.xlsx");
    let n = derbes::registry::export::to_file(&file, |w| {
        derbes::registry::export::subjects(
            v.conn(),
            w,
            Format::of(&file),
            derbes::base::language::Language::Kk,
        )
    })
    .unwrap();
    assert_eq!(n, 2);
    let sheet1 = zip_entry(&file, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains("<pane ySplit=\"1\""),
        "frozen header: {sheet1}"
    );
    assert!(
        sheet1.contains("<autoFilter ref=\"A1:L3\""),
        "autofilter: {sheet1}"
    );
    assert!(!sheet1.contains("<f>"), "no formulas: {sheet1}");
    let strings = zip_entry(&file, "xl/sharedStrings.xml");
    assert!(strings.contains(&young), "the IIN as text, zero first");
    assert!(strings.contains("=HYPERLINK"), "kept as text");
    assert!(zip_entry(&file, "xl/workbook.xml").contains("name=\"Субъектілер\""));
    let core = zip_entry(&file, "docProps/core.xml");
    let app = zip_entry(&file, "docProps/app.xml");
    for secret in ["Нұрғалиева", "HYPERLINK", &young, "root"] {
        assert!(
            !core.contains(secret) && !app.contains(secret),
            "{secret} in properties"
        );
    }
    // Read back: the same cells the CSV export has.
    let back = sheet::read_table(&file).unwrap();
    let csv = t.file("subjects.csv");
    derbes::registry::export::to_file(&csv, |w| {
        derbes::registry::export::subjects(
            v.conn(),
            w,
            Format::Csv,
            derbes::base::language::Language::Kk,
        )
    })
    .unwrap();
    let plain = sheet::read_table(&csv).unwrap();
    assert_eq!(back.headers, plain.headers);
    let cells = |t: &derbes::files::csv_table::Table| -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|(_, r)| {
                let mut v: Vec<String> = r
                    .iter()
                    .map(|c| derbes::files::csv_table::unneutralize(c).to_owned())
                    .collect();
                // A workbook has no trailing empty cells.
                while v.last().is_some_and(String::is_empty) {
                    v.pop();
                }
                v
            })
            .collect()
    };
    assert_eq!(cells(&back), cells(&plain));
    assert_eq!(iins(&back), iins(&plain));
}

#[test]
fn an_ods_keeps_identifiers_as_text_and_libreoffice_reads_it_as_written() {
    let t = TempVault::new();
    let mut v = t.create();
    let young = iin_born(2007, 1, 30, 12);
    assert!(young.starts_with('0'));
    person(&mut v, &young, "=1+1 <script>alert(1)</script>");
    person(&mut v, &iin_born(1979, 6, 5, 3), "Өмірзақова");
    let write = |v: &mut Vault, file: &Path| {
        derbes::registry::export::to_file(file, |w| {
            derbes::registry::export::subjects(
                v.conn(),
                w,
                Format::of(file),
                derbes::base::language::Language::Kk,
            )
        })
        .unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("subjects.ods");
    assert_eq!(write(&mut v, &file), 2);
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes[30..].starts_with(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
        "the type stored first, as ODF requires"
    );
    let content = zip_entry(&file, "content.xml");
    assert!(!content.contains("table:formula"), "no formulas");
    assert!(content.contains(&format!("<text:p>{young}</text:p>")));
    assert!(content.contains("&lt;script&gt;"));
    let meta = zip_entry(&file, "meta.xml");
    for secret in ["Өмірзақова", &young, "root", "creator"] {
        assert!(!meta.contains(secret), "{secret} in meta.xml");
    }
    // Read back by the import: the cells the CSV export has.
    let csv = dir.path().join("subjects.csv");
    write(&mut v, &csv);
    let plain = sheet::read_table(&csv).unwrap();
    let ours = sheet::read_table(&file).unwrap();
    assert_eq!(ours.headers, plain.headers);
    let surname = ours
        .headers
        .iter()
        .position(|h| h == "Тегі")
        .expect("Kazakh headers");
    assert_eq!(iins(&ours), iins(&plain));
    // The header frozen: a view setting, which LibreOffice reads when it shows the file (a headless
    // conversion drops view settings, so it is checked in the file).
    let settings = zip_entry(&file, "settings.xml");
    assert!(
        settings.contains(r#"config:name="Субъектілер">"#),
        "{settings}"
    );
    assert!(settings.contains(r#"config:name="VerticalSplitPosition" config:type="int">1<"#));
    // LibreOffice: the filter on, the IINs text with their zero, the header's style bold.
    let xlsx = soffice(&file, "xlsx", None);
    let sheet1 = zip_entry(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains("<autoFilter ref=\"A1:"),
        "autofilter: {sheet1}"
    );
    assert!(!sheet1.contains("<f>"), "no formulas: {sheet1}");
    assert!(zip_entry(&xlsx, "xl/sharedStrings.xml").contains(&young));
    assert!(zip_entry(&xlsx, "xl/workbook.xml").contains("name=\"Субъектілер\""));
    let back = sheet::read_table(&soffice(
        &file,
        "csv:Text - txt - csv (StarCalc):59,34,76,1",
        None,
    ))
    .unwrap();
    assert_eq!(iins(&back), iins(&plain));
    let names = |t: &derbes::files::csv_table::Table| -> Vec<String> {
        let mut n: Vec<String> = t
            .rows
            .iter()
            .map(|(_, r)| derbes::files::csv_table::unneutralize(&r[surname]).to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&back), names(&plain));
}

#[test]
fn libreoffice_converting_the_workbook_changes_no_iin() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::populate(
        &mut v,
        derbes::app::demo::Spec {
            subjects: 3000,
            requests: 0,
            seed: 5,
        },
        today(),
        now(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("subjects.xlsx");
    derbes::registry::export::to_file(&file, |w| {
        derbes::registry::export::subjects(
            v.conn(),
            w,
            Format::Xlsx,
            derbes::base::language::Language::Ru,
        )
    })
    .unwrap();
    let ours = iins(&sheet::read_table(&file).unwrap());
    assert!(
        ours.iter().any(|i| i.starts_with('0')),
        "people born in 2000–2009"
    );
    // What a user's LibreOffice makes of it: CSV (the UTF-8, `;` filter), .ods and .xls.
    let csv = soffice(&file, "csv:Text - txt - csv (StarCalc):59,34,76,1", None);
    let ods = soffice(&file, "ods", None);
    let xls = soffice(&file, "xls", None);
    // Our own .ods, as LibreOffice reads it.
    let our_ods = dir.path().join("ours.ods");
    derbes::registry::export::to_file(&our_ods, |w| {
        derbes::registry::export::subjects(
            v.conn(),
            w,
            Format::Ods,
            derbes::base::language::Language::Ru,
        )
    })
    .unwrap();
    assert_eq!(iins(&sheet::read_table(&our_ods).unwrap()), ours);
    let ods_csv = soffice(&our_ods, "csv:Text - txt - csv (StarCalc):59,34,76,1", None);
    for converted in [&csv, &ods, &xls, &ods_csv] {
        let table = sheet::read_table(converted).unwrap();
        assert_eq!(iins(&table), ours, "{}", converted.display());
    }
    // And imported into a new vault: every row valid, no IIN restored (none was damaged).
    let t2 = TempVault::new();
    let v2 = t2.create();
    let table = sheet::read_table(&csv).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check(v2.conn(), &table, &mapping, today()).unwrap();
    assert_eq!(
        checked.report.invalid_rows,
        0,
        "{:?}",
        checked.report.issues.first()
    );
    assert!(checked.report.notes.is_empty());
    assert_eq!(checked.report.new, 3000);
}

#[test]
fn iins_that_a_spreadsheet_made_numbers_get_their_zero_back_when_they_check_out() {
    let dir = tempfile::tempdir().unwrap();
    let young = [iin_born(2003, 1, 5, 11), iin_born(2009, 11, 30, 12)];
    let old = iin_born(1990, 1, 15, 13);
    let csv = dir.path().join("people.csv");
    // The file someone opened in LibreOffice and saved as .xlsx: the IINs became numbers.
    std::fs::write(
        &csv,
        format!(
            "ИИН;Фамилия;Имя\n{};Ахметова;Дана\n{};Бекова;Аружан\n{old};Сейітова;Гүлнар\n12345678901;Қате;Жол\n",
            young[0], young[1]
        ),
    )
    .unwrap();
    let xlsx = soffice(&csv, "xlsx", Some("CSV:59,34,76,1"));
    let table = sheet::read_table(&xlsx).unwrap();
    let cells = iins(&table);
    assert!(
        cells.contains(&young[0][1..].to_owned()),
        "LibreOffice dropped the zero: {cells:?}"
    );
    let t = TempVault::new();
    let v = t.create();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check(v.conn(), &table, &mapping, today()).unwrap();
    let r = &checked.report;
    assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
    assert!(r.notes.iter().all(|n| n.code == "iin.zero_restored"));
    assert_eq!(r.notes[0].line, 2);
    // An 11-digit number that does not check out with a zero in front stays invalid.
    assert_eq!(r.invalid_rows, 1, "{:?}", r.issues);
    assert_eq!(r.issues[0].line, 5);
    assert_eq!(r.new, 3);
}

#[test]
fn bad_workbooks_are_refused_clearly_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let code = |p: &Path| sheet::read_table(p).unwrap_err().code();
    // Protected by a password (made with msoffcrypto-tool; the content is invented).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/protected.xlsx");
    assert_eq!(code(&fixture), "sheet.protected");
    // A workbook with only a chart sheet.
    let chart_only = dir.path().join("chart.xlsx");
    {
        use rust_xlsxwriter::{Chart, ChartType, Workbook, Worksheet};
        // The chart first; its data sheet holds no cells.
        let mut book = Workbook::new();
        let mut chart = Chart::new(ChartType::Column);
        chart.add_series().set_values(("Data", 0, 0, 2, 0));
        let mut sheet = Worksheet::new_chartsheet();
        sheet.insert_chart(0, 0, &chart).unwrap();
        book.push_worksheet(sheet);
        let mut data = Worksheet::new();
        data.set_name("Data").unwrap();
        book.push_worksheet(data);
        book.save(&chart_only).unwrap();
    }
    assert!(
        matches!(code(&chart_only), "csv.empty" | "sheet.unreadable"),
        "{}",
        code(&chart_only)
    );
    // 50 MB.
    let big = dir.path().join("big.xlsx");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let err = sheet::read_table(&big).unwrap_err();
    assert_eq!(err.code(), "csv.too_large");
    assert!(err.to_string().contains("50 MB"), "{err}");
    // A zip bomb: 1 GB of zeros packed into about a megabyte, named like a workbook.
    let bomb = dir.path().join("bomb.xlsx");
    let made = Command::new("python3")
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
    assert_eq!(code(&bomb), "sheet.too_large");
    // Text named .xlsx.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, "ИИН;Фамилия\n").unwrap();
    assert_eq!(code(&fake), "sheet.unreadable");
}

#[test]
fn a_sheet_spanning_a1_to_xfd1048576_is_refused_at_once_and_errors_carry_no_cell() {
    use rust_xlsxwriter::Workbook;
    let t = TempVault::new();
    let file = t.file("wide.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Фамилия").unwrap();
    sheet
        .write_string(1_048_575, 16_383, "850808310738 Қасымов Қайрат")
        .unwrap();
    book.save(&file).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() < 16 * 1024);
    let started = std::time::Instant::now();
    let err = sheet::read_table(&file).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(err.code(), "sheet.too_large");
    assert!(
        err.to_string().contains("1048576 rows × 16384 columns"),
        "{err}"
    );
    assert!(!err.to_string().contains("Қасымов"), "{err}");
}

#[test]
fn an_ods_repeating_a_cell_over_the_whole_sheet_is_refused_at_once() {
    let t = TempVault::new();
    let file = t.file("repeated.ods");
    // 1 KB that declares a row repeated 1 048 576 times, each with a string cell repeated 16 384
    // times: 17 billion cells for a reader that builds them.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Лист1"><table:table-row><table:table-cell office:value-type="string"><text:p>Фамилия</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>850808310738 Қасымов</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let made = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
             \x20   z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')\n\
             \x20   z.writestr('content.xml', sys.argv[2], zipfile.ZIP_DEFLATED)\n",
        )
        .arg(&file)
        .arg(content)
        .status()
        .expect("python3");
    assert!(made.success());
    let started = std::time::Instant::now();
    let err = sheet::read_table(&file).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(err.code(), "sheet.too_large");
    assert!(
        err.to_string().contains("1048576 rows × 16384 columns"),
        "{err}"
    );
    assert!(!err.to_string().contains("Қасымов"), "{err}");
    // The same sheet with the repeats LibreOffice writes (empty rows and cells to the sheet's
    // end) reads as its two rows.
    let ordinary = content
        .replace(
            r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>850808310738 Қасымов</text:p></table:table-cell></table:table-row>"#,
            r#"<table:table-cell office:value-type="string"><text:p>Қасымов</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        )
        .replace(r#"table:number-rows-repeated="1048575""#, "");
    let file2 = t.file("ordinary.ods");
    let made = Command::new("python3")
        .arg("-c")
        .arg(
            "import sys, zipfile\n\
             with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
             \x20   z.writestr('mimetype', 'application/vnd.oasis.opendocument.spreadsheet')\n\
             \x20   z.writestr('content.xml', sys.argv[2], zipfile.ZIP_DEFLATED)\n\
             \x20   z.writestr('META-INF/manifest.xml', '<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>')\n",
        )
        .arg(&file2)
        .arg(&ordinary)
        .status()
        .expect("python3");
    assert!(made.success());
    let table = sheet::read_table(&file2).unwrap();
    assert_eq!(table.headers, ["Фамилия"]);
    assert_eq!(table.rows.len(), 1);
}

#[test]
fn an_xls_with_cells_at_opposite_corners_is_refused_before_it_is_read() {
    use std::io::Write;
    let t = TempVault::new();
    let file = t.file("corners.xls");
    // A BIFF8 workbook stream: BOF, then two NUMBER cells at (0, 0) and (65535, 65535): four
    // billion cells for calamine's range.
    let mut stream = Vec::new();
    let mut record = |kind: u16, data: &[u8]| {
        stream.extend_from_slice(&kind.to_le_bytes());
        stream.extend_from_slice(&(data.len() as u16).to_le_bytes());
        stream.extend_from_slice(data);
    };
    record(
        0x0809,
        &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    for (r, c) in [(0u16, 0u16), (65535, 65535)] {
        let mut d = Vec::new();
        d.extend_from_slice(&r.to_le_bytes());
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&850808310738f64.to_le_bytes());
        record(0x0203, &d);
    }
    record(0x000A, &[]);
    {
        let mut ole = cfb::create(&file).unwrap();
        let mut s = ole.create_stream("/Workbook").unwrap();
        s.write_all(&stream).unwrap();
        s.flush().unwrap();
    }
    let started = std::time::Instant::now();
    let err = sheet::read_table(&file).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(err.code(), "sheet.too_large");
    assert!(
        err.to_string().contains("65536 rows × 65536 columns"),
        "{err}"
    );
}

#[test]
fn a_cell_the_reader_refuses_is_named_by_its_place_never_by_what_it_holds() {
    use rust_xlsxwriter::Workbook;
    let t = TempVault::new();
    let plain = t.file("plain.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Фамилия").unwrap();
    sheet.write_number(6, 1, 5.0).unwrap();
    book.save(&plain).unwrap();
    // B7 turned into an error cell whose "value" is a person's IIN and name.
    let bad = t.file("bad.xlsx");
    let made = Command::new("python3")
        .arg("-c")
        .arg(
            "import re, sys, zipfile\n\
             src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)\n\
             for i in src.infolist():\n\
             \x20   data = src.read(i.filename)\n\
             \x20   if i.filename == 'xl/worksheets/sheet1.xml':\n\
             \x20       data = re.sub(rb'<c r=\"B7\"[^>]*>.*?</c>', '<c r=\"B7\" t=\"e\"><v>850808310738 Қасымов Қайрат</v></c>'.encode(), data)\n\
             \x20   dst.writestr(i, data)\n\
             dst.close()\n",
        )
        .arg(&plain)
        .arg(&bad)
        .status()
        .expect("python3");
    assert!(made.success());
    assert!(zip_entry(&bad, "xl/worksheets/sheet1.xml").contains("t=\"e\""));
    let err = sheet::read_table(&bad).unwrap_err();
    assert_eq!(err.code(), "sheet.cell");
    let text = err.to_string();
    assert!(text.contains("sheet 1, cell B7"), "{text}");
    assert!(
        !text.contains("Қасымов") && !text.contains("850808"),
        "{text}"
    );
}

/// Issue 18: the clinic's export saved as `.xlsx` by LibreOffice (IINs and dates become numbers and
/// dates there) brings the same people, holdings and consents as the CSV.
#[test]
fn a_clinics_export_as_xlsx_brings_its_holdings_and_consents() {
    let t = TempVault::new();
    let mut v = t.create();
    let cp1251 = std::fs::read(format!(
        "{}/tests/fixtures/import/clinic-cp1251.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (utf8, _, _) = encoding_rs::WINDOWS_1251.decode(&cp1251);
    let csv = t.file("clinic.csv");
    std::fs::write(&csv, utf8.as_bytes()).unwrap();
    let xlsx = soffice(&csv, "xlsx", Some("CSV:59,34,76,1"));
    let table = sheet::read_table(&xlsx).unwrap();
    let mapping = import::guess_mapping(&table.headers);
    let checked = import::check_adding(v.conn(), &table, &mapping, true, today()).unwrap();
    let r = checked.report.clone();
    assert_eq!(r.invalid_rows, 0, "{:?}", r.issues);
    assert_eq!((r.new, r.merged_rows, r.holdings, r.consents), (2, 1, 7, 3));
    let done = import::commit(
        &mut v,
        &table,
        checked,
        import::Options {
            duplicates: import::Duplicates::Skip,
            skip_invalid: false,
            add_unknown: true,
        },
        now(),
    )
    .unwrap();
    assert_eq!((done.created, done.holdings, done.consents), (2, 7, 3));
    let granted: String = v
        .conn()
        .query_row(
            "SELECT granted_at FROM consent c JOIN purpose p ON p.id = c.purpose_id
             WHERE p.code = 'marketing'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(granted, "2024-01-10");
}
