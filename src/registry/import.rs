//! Importing subjects from a table (CSV): map columns to fields, check every row and report what is
//! wrong with which line and field before anything is written, then write all rows in one
//! transaction — or none. Subjects already registered (same IIN) are skipped or updated, as the user
//! chooses.

use crate::base::fold::fold;
use crate::base::progress::Progress;
use crate::error::{Error, FieldIssue, Result};
use crate::files::csv_table::{Table, unneutralize};
use crate::registry::subject::{self, Index, SubjectInput, Valid};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Iin,
    DocNumber,
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    Email,
    Phone,
    Address,
    Notes,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Iin,
        Field::DocNumber,
        Field::Surname,
        Field::GivenName,
        Field::Patronymic,
        Field::BirthDate,
        Field::Email,
        Field::Phone,
        Field::Address,
        Field::Notes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Iin => "iin",
            Field::DocNumber => "doc_number",
            Field::Surname => "surname",
            Field::GivenName => "given_name",
            Field::Patronymic => "patronymic",
            Field::BirthDate => "birth_date",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Address => "address",
            Field::Notes => "notes",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == s)
    }

    /// Header names recognised for this field, in Russian, Kazakh and English (compared folded).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Iin => &["иин", "жсн", "iin", "иин/iin"],
            Field::DocNumber => &[
                "документ",
                "номер документа",
                "құжат",
                "құжат нөмірі",
                "document",
                "document number",
                "doc_number",
                "passport",
                "паспорт",
            ],
            Field::Surname => &[
                "фамилия",
                "тегі",
                "surname",
                "last name",
                "last_name",
                "family name",
            ],
            Field::GivenName => &[
                "имя",
                "аты",
                "given name",
                "given_name",
                "first name",
                "first_name",
                "name",
            ],
            Field::Patronymic => &[
                "отчество",
                "әкесінің аты",
                "patronymic",
                "middle name",
                "middle_name",
            ],
            Field::BirthDate => &[
                "дата рождения",
                "туған күні",
                "birth date",
                "date of birth",
                "birth_date",
                "dob",
            ],
            Field::Email => &[
                "email",
                "e-mail",
                "e-mails",
                "эл. почта",
                "электронная почта",
                "почта",
                "электрондық пошта",
                "mail",
            ],
            Field::Phone => &[
                "телефон",
                "телефоны",
                "тел",
                "тел.",
                "phone",
                "phones",
                "mobile",
                "мобильный",
                "ұялы телефон",
            ],
            Field::Address => &["адрес", "мекенжай", "address", "почтовый адрес"],
            Field::Notes => &[
                "примечание",
                "примечания",
                "заметки",
                "ескерту",
                "notes",
                "note",
                "comment",
            ],
        }
    }
}

/// Which field each column holds (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping(pub Vec<Option<Field>>);

impl Mapping {
    /// A column's field by its name as the window's mapping sends it (none, or an unknown name:
    /// the column is not imported).
    pub fn of_names(names: &[Option<String>]) -> Mapping {
        Mapping(
            names
                .iter()
                .map(|n| n.as_deref().and_then(Field::parse))
                .collect(),
        )
    }
}

/// Maps columns by their header names; an unknown header is ignored.
/// Two columns whose headers name the same field (two `ИИН`, or `E-mail` and `Почта`): refused
/// naming both, rather than silently importing the first and dropping the second.
pub fn check_headers(headers: &[String]) -> Result<()> {
    let mut seen: Vec<(Field, usize)> = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = fold(h.trim());
        let Some(f) = Field::ALL
            .into_iter()
            .find(|f| f.synonyms().iter().any(|s| fold(s) == h))
        else {
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(g, _)| *g == f) {
            return Err(Error::CsvDuplicateColumn {
                first: headers[*first].trim().to_owned(),
                second: headers[i].trim().to_owned(),
            });
        }
        seen.push((f, i));
    }
    Ok(())
}

pub fn guess_mapping(headers: &[String]) -> Mapping {
    let mut used = Vec::new();
    Mapping(
        headers
            .iter()
            .map(|h| {
                let h = fold(h.trim());
                let f = Field::ALL
                    .into_iter()
                    .find(|f| !used.contains(f) && f.synonyms().iter().any(|s| fold(s) == h));
                if let Some(f) = f {
                    used.push(f);
                }
                f
            })
            .collect(),
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub line: u64,
    pub field: &'static str,
    pub code: &'static str,
}

/// Crosses as `[line, field, code]`.
#[cfg(feature = "serde")]
impl serde::Serialize for RowIssue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(self.line, self.field, self.code), s)
    }
}

crate::base::wire::vocab!(
    /// What an import does with a row whose IIN is already registered.
    Duplicates {
        Skip => "skip",
        Update => "update",
    }
);

/// What an import would do, or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Report {
    pub rows: usize,
    pub new: usize,
    /// Rows whose IIN is already registered.
    pub existing: usize,
    pub invalid_rows: usize,
    pub issues: Vec<RowIssue>,
    /// What was corrected on the way, row by row (an IIN's lost leading zero restored).
    pub notes: Vec<RowIssue>,
    /// After a commit: what was written.
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
}

fn input_of(cells: &[String], mapping: &Mapping) -> SubjectInput {
    let mut s = SubjectInput::default();
    for (i, f) in mapping.0.iter().enumerate() {
        let (Some(f), Some(cell)) = (f, cells.get(i)) else {
            continue;
        };
        let v = unneutralize(cell).to_owned();
        match f {
            Field::Iin => s.iin = v,
            Field::DocNumber => s.doc_number = v,
            Field::Surname => s.surname = v,
            Field::GivenName => s.given_name = v,
            Field::Patronymic => s.patronymic = v,
            Field::BirthDate => s.birth_date = v,
            Field::Email => s.emails.extend(
                v.split([',', ';', ' '])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned),
            ),
            Field::Phone => s.phones.extend(
                v.split([',', ';'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(|p| unneutralize(p).to_owned()),
            ),
            Field::Address => s.address = v,
            Field::Notes => s.notes = v,
        }
    }
    s
}

/// An IIN that a spreadsheet turned into a number has lost its leading zero (everyone born in
/// 2000–2009: the IIN starts with the year's two digits). It is given back only when the 11 digits with a zero in front pass the check digit and the date rules;
/// otherwise it stays as it came and is reported invalid.
fn restored_iin(iin: &str) -> Option<String> {
    let digits = iin.trim();
    if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let candidate = format!("0{digits}");
    crate::Iin::parse(&candidate).ok().map(|_| candidate)
}

/// A checked table: the report the user sees, and the valid rows ready to be written.
pub struct Checked {
    pub report: Report,
    /// Valid rows with the id of the registered subject of the same IIN, if any.
    valid: Vec<(Valid, Option<i64>)>,
    mapping: Mapping,
    today: NaiveDate,
    /// The journal's last entry when checked: a write since then means checking again, since
    /// every write is journaled.
    head: Option<i64>,
}

impl std::fmt::Debug for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checked")
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

/// What an import does with what it finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Options {
    pub duplicates: Duplicates,
    /// Write the valid rows even when some are invalid.
    pub skip_invalid: bool,
}

impl Checked {
    /// The column mapping the table was checked with.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }
}

fn journal_head(conn: &Connection) -> Result<Option<i64>> {
    Ok(crate::vault::journal::head(conn)?.map(|(seq, _)| seq))
}

fn check_rows(
    conn: &Connection,
    table: &Table,
    mapping: &Mapping,
    today: NaiveDate,
) -> Result<Checked> {
    let has = |f: Field| mapping.0.contains(&Some(f));
    for (f, name) in [
        (Field::Surname, "surname"),
        (Field::GivenName, "given name"),
    ] {
        if !has(f) {
            return Err(Error::CsvMissingColumn(name));
        }
    }
    if !has(Field::Iin) && !has(Field::DocNumber) {
        return Err(Error::CsvMissingColumn("IIN or document number"));
    }
    let mut report = Report {
        rows: table.rows.len(),
        ..Report::default()
    };
    let mut valid = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    // One read transaction for all the lookups: outside one, each would take and drop the file's
    // lock and re-read its first page (measured: half the check's time on 100 000 rows).
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut by_iin = conn.prepare_cached("SELECT id FROM subject WHERE iin = ?1")?;
    for (line, cells) in &table.rows {
        let mut row_issues: Vec<FieldIssue> = Vec::new();
        if cells.len() > table.headers.len() {
            row_issues.push(FieldIssue {
                field: "row",
                code: "row.extra_cells",
            });
        }
        let mut input = input_of(cells, mapping);
        if let Some(fixed) = restored_iin(&input.iin) {
            input.iin = fixed;
            report.notes.push(RowIssue {
                line: *line,
                field: "iin",
                code: "iin.zero_restored",
            });
        }
        let parsed = subject::validate(&input, today);
        match parsed {
            Err(issues) => row_issues.extend(issues),
            Ok(v) if row_issues.is_empty() => {
                let key = v.iin.as_ref().map(|i| i.as_str());
                if let Some(k) = &key
                    && seen.insert(k.clone(), *line).is_some()
                {
                    row_issues.push(FieldIssue {
                        field: "iin",
                        code: "iin.duplicate_in_file",
                    });
                } else {
                    let existing: Option<i64> = match &key {
                        Some(k) => {
                            use rusqlite::OptionalExtension;
                            by_iin.query_row([k], |r| r.get(0)).optional()?
                        }
                        None => None,
                    };
                    if existing.is_some() {
                        report.existing += 1;
                    } else {
                        report.new += 1;
                    }
                    valid.push((v, existing));
                }
            }
            Ok(_) => {}
        }
        if !row_issues.is_empty() {
            report.invalid_rows += 1;
            report
                .issues
                .extend(row_issues.into_iter().map(|i| RowIssue {
                    line: *line,
                    field: i.field,
                    code: i.code,
                }));
        }
    }
    Ok(Checked {
        report,
        valid,
        mapping: mapping.clone(),
        today,
        head: journal_head(conn)?,
    })
}

/// A table read for import as the window shows it before anything is written: the file, how it was
/// read, its columns and how they are mapped, its first rows, and the check's report — or why
/// there is none (a required column is not mapped).
#[derive(Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Preview {
    pub file_name: String,
    pub encoding: &'static str,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<&'static str>>,
    pub sample: Vec<Vec<String>>,
    pub report: Option<Report>,
    pub problem: Option<Error>,
}

/// Checks `table` with `mapping` for the preview; the check too, to be committed without a second.
pub fn preview(
    conn: &Connection,
    table: &Table,
    file_name: &str,
    mapping: &Mapping,
    today: NaiveDate,
) -> (Preview, Option<Checked>) {
    use crate::files::csv_table::Encoding;
    let (checked, problem) = match check(conn, table, mapping, today) {
        Ok(c) => (Some(c), None),
        Err(e) => (None, Some(e)),
    };
    let preview = Preview {
        file_name: file_name.to_owned(),
        encoding: match table.encoding {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 BOM",
            Encoding::Windows1251 => "Windows-1251",
            Encoding::Workbook => "workbook",
        },
        headers: table.headers.clone(),
        mapping: mapping.0.iter().map(|f| f.map(Field::name)).collect(),
        sample: table.rows.iter().take(5).map(|(_, r)| r.clone()).collect(),
        report: checked.as_ref().map(|c| c.report.clone()),
        problem,
    };
    (preview, checked)
}

/// Checks a table without writing anything: the report the user sees before confirming, and the
/// rows [`commit`] writes.
pub fn check(
    conn: &Connection,
    table: &Table,
    mapping: &Mapping,
    today: NaiveDate,
) -> Result<Checked> {
    check_rows(conn, table, mapping, today)
}

/// Writes the valid rows of `checked` (a check of `table`) in one transaction; the table is checked
/// again only if the vault changed since. With invalid rows and `skip_invalid` false, nothing is
/// written.
pub fn commit(
    vault: &mut Vault,
    table: &Table,
    checked: Checked,
    options: Options,
    now: DateTime<Utc>,
) -> Result<Report> {
    commit_with(vault, table, checked, options, now, Progress::unwatched())
}

/// [`commit`], reporting each written row to `progress`; a stop asked there rolls the whole import
/// back ([`Error::Cancelled`]).
pub fn commit_with(
    vault: &mut Vault,
    table: &Table,
    checked: Checked,
    options: Options,
    now: DateTime<Utc>,
    progress: &Progress,
) -> Result<Report> {
    let checked = if journal_head(vault.conn())? == checked.head {
        checked
    } else {
        check_rows(vault.conn(), table, &checked.mapping, checked.today)?
    };
    let Checked {
        mut report, valid, ..
    } = checked;
    if report.invalid_rows > 0 && !options.skip_invalid {
        return Err(Error::ImportInvalid {
            count: report.invalid_rows,
        });
    }
    // A large import writes most of the file in one transaction: a bigger page cache for it
    // saves writing pages out and reading them back (decrypting) before the commit.
    let big = valid.len() > crate::registry::rank::BULK;
    if big {
        vault.set_cache_mib(256)?;
    }
    progress.begin(valid.len() as u64);
    // Checked every this many rows: often enough to stop within a few milliseconds.
    const EVERY: usize = 256;
    let written = vault.transact(now, |tx| {
        let mut fresh = Vec::with_capacity(valid.len());
        for (n, (v, existing)) in valid.iter().enumerate() {
            if n % EVERY == 0 {
                progress.check()?;
            }
            match (existing, options.duplicates) {
                (Some(_), Duplicates::Skip) => report.skipped += 1,
                (Some(id), Duplicates::Update) => {
                    match subject::replace(tx, *id, v, now, Index::Now) {
                        Ok(()) => {}
                        // A blocked subject's data is not changed by an import (issue of blocking).
                        Err(Error::NotEditable { .. }) => {
                            report.skipped += 1;
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                    tx.journal(
                        &Entry::new("subject.updated")
                            .record("subject", *id)
                            .detail("import"),
                    )?;
                    report.updated += 1;
                }
                (None, _) => fresh.push(v),
            }
        }
        progress.advance((valid.len() - fresh.len()) as u64)?;
        // New subjects are written in list order, each straight into its place in the search
        // index (src/rank.rs); a crowded list is renumbered once at the end instead.
        let mut keyed: Vec<(String, &Valid)> = fresh
            .into_iter()
            .map(|v| (subject::sort_key(v), v))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let ranks = if keyed.len() > crate::registry::rank::BULK {
            let keys: Vec<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
            crate::registry::rank::plan_new(tx, &keys)?
        } else {
            None
        };
        for (i, (_, v)) in keyed.iter().enumerate() {
            let index = match &ranks {
                Some(r) => r.get(i).map_or(Index::Later, |rank| Index::At(*rank)),
                None if keyed.len() > crate::registry::rank::BULK => Index::Later,
                None => Index::Now,
            };
            let id = subject::insert(tx, v, now, index)?;
            tx.journal(
                &Entry::new("subject.created")
                    .record("subject", id)
                    .detail("import"),
            )?;
            report.created += 1;
            if report.created % EVERY == 0 {
                progress.advance(EVERY as u64)?;
            }
        }
        if ranks.is_none() && keyed.len() > crate::registry::rank::BULK {
            crate::registry::rank::rebuild(tx)?;
        }
        // The last rows, then the commit itself (not cancellable: it is the point of no return).
        progress.advance((report.created % EVERY) as u64)?;
        tx.journal(&Entry::new("subjects.imported").detail(format!(
            "{} created, {} updated, {} skipped, {} invalid rows left out",
            report.created, report.updated, report.skipped, report.invalid_rows
        )))?;
        Ok(())
    });
    if big {
        vault.set_cache_mib(crate::vault::CACHE_MIB)?;
    }
    written?;
    Ok(report)
}
