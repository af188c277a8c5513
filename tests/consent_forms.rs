//! Paper consent forms (issue 19): printed blank or for a person with every element of Art. 8
//! para 4 and a QR code holding the number, read back with poppler and the QR decoded from the
//! rendered page; recorded by the number as a scanner types it, once.

mod common;

use common::*;
use derbes::base::language::Language;
use derbes::documents::consent_form::{self, FormInput};
use derbes::registry::consent;
use std::process::Command;

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.pdf");
    std::fs::write(&p, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&p)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn purpose(v: &derbes::Vault) -> i64 {
    v.conn()
        .query_row("SELECT min(id) FROM purpose", [], |r| r.get(0))
        .unwrap()
}

fn input(v: &derbes::Vault, subject_id: Option<i64>, lang: Language) -> FormInput {
    FormInput {
        purpose_id: purpose(v),
        subject_id,
        lang: Some(lang),
        valid_until: "2031-11-25".into(),
        data_list: "Ф. И. О., ИИН, телефон, e-mail".into(),
        third_parties: false,
        cross_border: true,
        countries: "Российская Федерация".into(),
        published: false,
        policy_version_id: None,
    }
}

#[test]
fn a_named_form_carries_every_element_and_is_recorded_once_by_its_number() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let id = add_person(&mut v, "850808310738");
    let (form, pdf) = {
        let i = input(&v, Some(id), Language::Kk);
        consent_form::issue(&mut v, &i, today(), now())
    }
    .unwrap();
    assert_eq!(form.number, "2026-00001");
    if let Some(dir) = std::env::var_os("DERBES_PDF_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("consent-form-kk.pdf"), &pdf).unwrap();
    }
    let text = pdftotext(&pdf);
    for needle in [
        "Дербес деректерді жинауға және өңдеуге КЕЛІСІМ",
        "Нысан № 2026-00001",
        "Жаңабаев Ерлан, 850808310738",
        "Ф. И. О., ИИН, телефон, e-mail",
        "25.11.2031",
        "Российская Федерация",
        "БСН",
        "қолы",
    ] {
        assert!(text.contains(needle), "«{needle}» in {text}");
    }
    // The metadata names the form, never the person.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let info = String::from_utf8_lossy(&Command::new("pdfinfo").arg(&p).output().unwrap().stdout)
        .into_owned();
    assert!(
        !info.contains("Жаңабаев") && !info.contains("850808310738"),
        "{info}"
    );
    // A scanner under a Russian layout types digits and the hyphen, and a line end.
    let consent_id =
        consent_form::record(&mut v, "2026-00001\n", None, "2026-11-24", today(), now()).unwrap();
    let c = consent::for_subject(v.conn(), id, today())
        .unwrap()
        .into_iter()
        .find(|c| c.id == consent_id)
        .unwrap();
    assert_eq!(
        c.valid_until.map(|d| d.to_string()).as_deref(),
        Some("2031-11-25")
    );
    assert!(c.cross_border);
    assert_eq!(c.countries, "Российская Федерация");
    assert!(c.document_ref.contains("2026-00001"), "{}", c.document_ref);
    // Once only; another person for a named form is refused.
    let again = consent_form::record(&mut v, "202600001", None, "2026-11-24", today(), now());
    assert_eq!(field_code(again), "consent_form.recorded");
    let other = add_person(&mut v, "900115400109");
    let (_, _) = {
        let i = input(&v, Some(id), Language::Ru);
        consent_form::issue(&mut v, &i, today(), now())
    }
    .unwrap();
    let wrong = consent_form::record(
        &mut v,
        "2026-00002",
        Some(other),
        "2026-11-24",
        today(),
        now(),
    );
    assert_eq!(field_code(wrong), "consent_form.other_person");
    let unknown = consent_form::record(&mut v, "2026-09999", None, "2026-11-24", today(), now());
    assert_eq!(field_code(unknown), "consent_form.unknown");
}

fn field_code(r: derbes::Result<i64>) -> &'static str {
    match r.unwrap_err() {
        derbes::Error::Invalid(i) => i[0].code,
        e => panic!("{e}"),
    }
}

#[test]
fn a_blank_form_is_recorded_for_the_person_chosen_then() {
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let (form, pdf) = {
        let i = input(&v, None, Language::Ru);
        consent_form::issue(&mut v, &i, today(), now())
    }
    .unwrap();
    assert!(
        pdftotext(&pdf).contains("______"),
        "a line to write the name on"
    );
    let without = consent_form::record(&mut v, &form.number, None, "2026-11-24", today(), now());
    assert_eq!(field_code(without), "required");
    let id = add_person(&mut v, "850808310738");
    consent_form::record(&mut v, &form.number, Some(id), "2026-11-24", today(), now()).unwrap();
    let (rows, total) = consent_form::list(v.conn(), 0, 10).unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].subject_id, Some(id));
    assert_eq!(rows[0].recorded_on, Some(today()));
    // A past term, no list of data, a cross-border transfer without its countries: refused.
    let mut bad = input(&v, None, Language::Ru);
    bad.valid_until = "2020-01-01".into();
    assert!(consent_form::issue(&mut v, &bad, today(), now()).is_err());
    let mut bad = input(&v, None, Language::Ru);
    bad.countries = String::new();
    assert!(consent_form::issue(&mut v, &bad, today(), now()).is_err());
}

#[test]
fn the_qr_code_on_the_printed_page_holds_the_number() {
    // Decoded from the page as poppler renders it, by zbar (zbar-tools, installed by
    // scripts/setup.sh test), as a phone or a camera scanner would read the printed sheet.
    assert!(
        Command::new("zbarimg").arg("--version").output().is_ok(),
        "zbarimg (zbar-tools) is needed to read the QR code"
    );
    let t = TempVault::new();
    let mut v = t.create();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    let (form, pdf) = {
        let i = input(&v, None, Language::En);
        consent_form::issue(&mut v, &i, today(), now())
    }
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.pdf");
    std::fs::write(&p, &pdf).unwrap();
    let png = dir.path().join("page");
    assert!(
        Command::new("pdftoppm")
            .args(["-r", "150", "-png", "-singlefile"])
            .arg(&p)
            .arg(&png)
            .status()
            .unwrap()
            .success()
    );
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), form.number);
}
