//! Exporting subjects as CSV (UTF-8 with BOM, `;`), with headers the importer recognises, so a file
//! exported, edited in a spreadsheet and imported again round-trips. Only active subjects are
//! exported: a blocked subject's processing is suspended (Law 94-V Art. 1 p. 3, policy 2.2), and an
//! anonymized or destroyed one has no personal data left.

use crate::base::language::Language;
use crate::error::Result;
use crate::files::sheet::{Cell, Column, Format, Kind};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use std::collections::HashMap;
use std::io::Write;

pub fn headers(lang: Language) -> [&'static str; 12] {
    match lang {
        Language::Ru => [
            "ID",
            "ИИН",
            "Документ",
            "Фамилия",
            "Имя",
            "Отчество",
            "Дата рождения",
            "E-mail",
            "Телефон",
            "Адрес",
            "Примечание",
            "Категория субъекта",
        ],
        Language::Kk => [
            "ID",
            "ЖСН",
            "Құжат нөмірі",
            "Тегі",
            "Аты",
            "Әкесінің аты",
            "Туған күні",
            "E-mail",
            "Телефон",
            "Мекенжай",
            "Ескерту",
            "Субъект санаты",
        ],
        Language::En => [
            "ID",
            "IIN",
            "Document number",
            "Surname",
            "Given name",
            "Patronymic",
            "Birth date",
            "E-mail",
            "Phone",
            "Address",
            "Notes",
            "Subject category",
        ],
    }
}

/// Writes every active subject as CSV; returns how many. The caller journals it once the file is
/// complete ([`journal_leaving`]).
pub fn subjects_csv(conn: &Connection, mut out: impl Write, lang: Language) -> Result<usize> {
    subjects(conn, &mut out, Format::Csv, lang)
}

/// Writes every active subject in `format` (CSV or `.xlsx`: IIN, document and phone columns as
/// text, the birth date as a date); returns how many. The caller journals it once the file is
/// complete ([`journal_leaving`]).
pub fn subjects(
    conn: &Connection,
    out: &mut dyn Write,
    format: Format,
    lang: Language,
) -> Result<usize> {
    let h = headers(lang);
    let kinds = [
        (Kind::Number, 8.0),
        (Kind::Text, 14.0),
        (Kind::Text, 14.0),
        (Kind::Text, 18.0),
        (Kind::Text, 14.0),
        (Kind::Text, 18.0),
        (Kind::Date, 12.0),
        (Kind::Text, 28.0),
        (Kind::Text, 18.0),
        (Kind::Text, 36.0),
        (Kind::Text, 30.0),
        (Kind::Text, 18.0),
    ];
    let columns: Vec<Column> = h
        .iter()
        .zip(kinds)
        .map(|(h, (k, w))| Column::new(*h, k, w))
        .collect();
    let sheet = crate::files::sheet::name(lang, "Субъекты", "Субъектілер", "Subjects");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let mut n = 0;
    {
        // Every contact in one scan, rather than two lookups per subject.
        let mut contacts: HashMap<i64, (String, String)> = HashMap::new();
        let mut st = conn.prepare("SELECT subject_id, kind, value FROM contact ORDER BY id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let (kind, value): (String, String) = (r.get(1)?, r.get(2)?);
            let e = contacts.entry(r.get(0)?).or_default();
            let list = if kind == "email" { &mut e.0 } else { &mut e.1 };
            if !list.is_empty() {
                list.push_str(", ");
            }
            list.push_str(&value);
        }
        let name = match lang {
            Language::Ru => "c.name_ru",
            Language::Kk => "c.name_kk",
            Language::En => "c.name_en",
        };
        let mut st = conn.prepare(&format!(
            "SELECT s.id, coalesce(s.iin, ''), coalesce(s.doc_number, ''), s.surname, s.given_name,
                    s.patronymic, coalesce(s.birth_date, ''), s.address, s.notes, coalesce({name}, '')
             FROM subject s LEFT JOIN subject_category c ON c.id = s.category_id
             WHERE s.status = 'active' ORDER BY s.sort_key, s.id"
        ))?;
        let mut rows = st.query([])?;
        let none = (String::new(), String::new());
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let text: Vec<String> = (1..10)
                .map(|i| r.get::<_, String>(i))
                .collect::<rusqlite::Result<_>>()?;
            let (emails, phones) = contacts.get(&id).unwrap_or(&none);
            w.row(&[
                Cell::Int(id),
                Cell::Text(&text[0]),
                Cell::Text(&text[1]),
                Cell::Text(&text[2]),
                Cell::Text(&text[3]),
                Cell::Text(&text[4]),
                Cell::Date(crate::base::input::parse_date(&text[5])),
                Cell::Text(emails),
                Cell::Text(phones),
                Cell::Text(&text[6]),
                Cell::Text(&text[7]),
                Cell::Text(&text[8]),
            ])?;
            n += 1;
        }
    }
    w.finish()?;
    Ok(n)
}

/// Journals that personal data left the vault in a file (or on standard output), once it is
/// complete: `action` (`subjects.exported`, `letter.saved`, …) and a detail of counts and ids only.
/// A write that failed is not journaled: nothing left.
pub fn journal_leaving(
    vault: &mut Vault,
    action: &'static str,
    detail: String,
    now: DateTime<Utc>,
) -> Result<()> {
    vault.write(now, &Entry::new(action).detail(detail), |_| Ok(()))
}

/// Writes `path` as a new `0600` file, never over a device, FIFO or symlink, renamed into place
/// only when complete (see [`crate::files::out_file`]).
pub use crate::files::out_file::write as to_file;
