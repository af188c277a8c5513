//! Importing subjects from a table (CSV): map columns to fields, check every row and report what is
//! wrong with which line and field before anything is written, then write all rows in one
//! transaction — or none. Subjects already registered (same IIN) are skipped or updated, as the user
//! chooses.

use crate::base::fold::fold;
use crate::base::progress::Progress;
use crate::error::{Error, FieldIssue, Result};
use crate::files::csv_table::{Table, unneutralize};
use crate::registry::import_held::{self as held, Held, Ref};
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
    // What is held and the consent (issue 18), read by `import_held`.
    Purposes,
    Categories,
    Basis,
    BasisRef,
    Since,
    Until,
    Source,
    ConsentDate,
    ConsentForm,
    ConsentTerm,
    ThirdParties,
    CrossBorder,
    Countries,
    PolicyVersion,
    RepresentativeName,
    RepresentativeRelation,
    SubjectCategory,
}

impl Field {
    pub const ALL: [Field; 27] = [
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
        Field::Purposes,
        Field::Categories,
        Field::Basis,
        Field::BasisRef,
        Field::Since,
        Field::Until,
        Field::Source,
        Field::ConsentDate,
        Field::ConsentForm,
        Field::ConsentTerm,
        Field::ThirdParties,
        Field::CrossBorder,
        Field::Countries,
        Field::PolicyVersion,
        Field::RepresentativeName,
        Field::RepresentativeRelation,
        Field::SubjectCategory,
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
            Field::Purposes => "purposes",
            Field::Categories => "categories",
            Field::Basis => "basis",
            Field::BasisRef => "basis_ref",
            Field::Since => "since",
            Field::Until => "until",
            Field::Source => "source",
            Field::ConsentDate => "consent_date",
            Field::ConsentForm => "consent_form",
            Field::ConsentTerm => "consent_term",
            Field::ThirdParties => "third_parties",
            Field::CrossBorder => "cross_border",
            Field::Countries => "countries",
            Field::PolicyVersion => "policy_version",
            Field::RepresentativeName => "representative_name",
            Field::RepresentativeRelation => "representative_relation",
            Field::SubjectCategory => "subject_category",
        }
    }

    /// Whether the field says what is held or on which consent, rather than who the person is.
    pub fn is_held(self) -> bool {
        !matches!(
            self,
            Field::Iin
                | Field::DocNumber
                | Field::Surname
                | Field::GivenName
                | Field::Patronymic
                | Field::BirthDate
                | Field::Email
                | Field::Phone
                | Field::Address
                | Field::Notes
        )
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
            Field::Purposes => &[
                "цель",
                "цели",
                "цель обработки",
                "цели обработки",
                "мақсат",
                "мақсаты",
                "өңдеу мақсаты",
                "purpose",
                "purposes",
            ],
            Field::Categories => &[
                "данные",
                "состав данных",
                "категории данных",
                "категория данных",
                "перечень данных",
                "деректер",
                "деректер санаты",
                "деректер тізбесі",
                "data",
                "data categories",
                "categories",
            ],
            Field::Basis => &[
                "основание",
                "правовое основание",
                "негіз",
                "құқықтық негіз",
                "basis",
                "legal basis",
            ],
            Field::BasisRef => &[
                "реквизиты основания",
                "номер договора",
                "договор №",
                "статья закона",
                "негіз деректемелері",
                "шарт нөмірі",
                "basis reference",
                "contract number",
            ],
            Field::Since => &[
                "с",
                "с даты",
                "дата начала",
                "начало обработки",
                "бастап",
                "басталған күні",
                "since",
                "start date",
            ],
            Field::Until => &[
                "по",
                "до",
                "дата окончания",
                "срок хранения до",
                "дейін",
                "аяқталу күні",
                "until",
                "end date",
            ],
            Field::Source => &["источник", "источник данных", "дереккөз", "көзі", "source"],
            Field::ConsentDate => &[
                "согласие получено",
                "дата согласия",
                "согласие",
                "келісім алынды",
                "келісім күні",
                "consent date",
                "consent given",
                "consent",
            ],
            Field::ConsentForm => &["форма согласия", "келісім нысаны", "consent form"],
            Field::ConsentTerm => &[
                "срок согласия",
                "согласие до",
                "келісім мерзімі",
                "consent term",
                "consent until",
            ],
            Field::ThirdParties => &[
                "третьим лицам",
                "передача третьим лицам",
                "үшінші тұлғаларға",
                "third parties",
            ],
            Field::CrossBorder => &[
                "трансграничная передача",
                "трансгранично",
                "шекара арқылы",
                "трансшекаралық беру",
                "cross-border",
                "cross border",
            ],
            Field::Countries => &["страны", "страна", "елдер", "countries", "country"],
            Field::PolicyVersion => &[
                "версия политики",
                "редакция политики",
                "саясат нұсқасы",
                "policy version",
            ],
            Field::RepresentativeName => &[
                "законный представитель",
                "представитель",
                "фио представителя",
                "родитель",
                "заңды өкіл",
                "өкіл",
                "legal representative",
                "representative",
            ],
            Field::SubjectCategory => &[
                "категория субъекта",
                "категория лица",
                "субъект санаты",
                "subject category",
                "category of person",
            ],
            Field::RepresentativeRelation => &[
                "кем приходится",
                "статус представителя",
                "кім болып келеді",
                "өкілдің мәртебесі",
                "relation",
                "representative relation",
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
    /// What the rows say is held about their people, and their consents: counted by the check,
    /// written by the commit.
    pub holdings: usize,
    pub consents: usize,
    /// How the file gives purposes: `per_person` (one row each), `row_per_purpose` (a person on
    /// several rows, one purpose each) or `purposes_in_cell` (several in one cell); none when it
    /// gives no purposes.
    pub shape: Option<&'static str>,
    /// Rows joined to an earlier row of the same person (one row per person and purpose).
    pub merged_rows: usize,
    /// Names the catalogues lack, with the number of rows naming each.
    pub unknown: Vec<UnknownName>,
    /// After a commit: entries added to the catalogues for those names.
    pub catalog_added: usize,
}

/// A purpose, category or policy version a file names that the vault's catalogue lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct UnknownName {
    /// `purpose`, `category` or `policy_version`.
    pub kind: &'static str,
    pub name: String,
    pub rows: usize,
}

fn input_of(cells: &[String], mapping: &Mapping) -> (SubjectInput, held::Cells) {
    let mut s = SubjectInput::default();
    let mut h = held::Cells::default();
    for (i, f) in mapping.0.iter().enumerate() {
        let Some(f) = f else {
            continue;
        };
        let Some(cell) = cells.get(i) else {
            // A mapped column this short row has no cell for: empty, not absent.
            if let Some(slot) = held_slot(&mut h, *f) {
                slot.get_or_insert_with(String::new);
            }
            continue;
        };
        let v = unneutralize(cell).to_owned();
        if let Some(slot) = held_slot(&mut h, *f) {
            *slot = Some(v);
            continue;
        }
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
            _ => {}
        }
    }
    (s, h)
}

/// The cell a "what is held" field fills; `None` for the identity fields.
fn held_slot(h: &mut held::Cells, f: Field) -> Option<&mut Option<String>> {
    Some(match f {
        Field::Purposes => &mut h.purposes,
        Field::Categories => &mut h.categories,
        Field::Basis => &mut h.basis,
        Field::BasisRef => &mut h.basis_ref,
        Field::Since => &mut h.since,
        Field::Until => &mut h.until,
        Field::Source => &mut h.source,
        Field::ConsentDate => &mut h.consent_date,
        Field::ConsentForm => &mut h.consent_form,
        Field::ConsentTerm => &mut h.consent_term,
        Field::ThirdParties => &mut h.third_parties,
        Field::CrossBorder => &mut h.cross_border,
        Field::Countries => &mut h.countries,
        Field::PolicyVersion => &mut h.policy_version,
        Field::RepresentativeName => &mut h.rep_name,
        Field::RepresentativeRelation => &mut h.rep_relation,
        Field::SubjectCategory => &mut h.subject_category,
        Field::Iin
        | Field::DocNumber
        | Field::Surname
        | Field::GivenName
        | Field::Patronymic
        | Field::BirthDate
        | Field::Email
        | Field::Phone
        | Field::Address
        | Field::Notes => return None,
    })
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
    /// Valid rows with the id of the registered subject of the same IIN, if any, and what they
    /// say is held (several rows of one person joined).
    valid: Vec<(Valid, Option<i64>, Held)>,
    mapping: Mapping,
    /// Checked with the catalogues' unknown names to be added.
    add_unknown: bool,
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
    /// Add the purposes, categories and policy versions the catalogues lack, under the names the
    /// file gives (to be completed in Settings), instead of refusing their rows.
    #[cfg_attr(feature = "serde", serde(default))]
    pub add_unknown: bool,
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
    add_unknown: bool,
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
    let reads_held = mapping.0.iter().flatten().any(|f| f.is_held());
    let lookup = if reads_held {
        Some(held::Lookup::load(conn)?)
    } else {
        None
    };
    let mut report = Report {
        rows: table.rows.len(),
        ..Report::default()
    };
    let mut valid: Vec<(Valid, Option<i64>, Held)> = Vec::new();
    // The first valid row of each IIN, by its place in `valid`.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unknown: HashMap<held::Unknown, usize> = HashMap::new();
    let (mut several_in_cell, mut several_rows) = (false, false);
    // One read transaction for all the lookups: outside one, each would take and drop the file's
    // lock and re-read its first page (measured: half the check's time on 100 000 rows).
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut by_iin = conn.prepare_cached("SELECT id FROM subject WHERE iin = ?1")?;
    let majority = if reads_held {
        Some(crate::registry::representative::majority_age(conn)? as i32)
    } else {
        None
    };
    for (line, cells) in &table.rows {
        let mut row_issues: Vec<FieldIssue> = Vec::new();
        if cells.len() > table.headers.len() {
            row_issues.push(FieldIssue {
                field: "row",
                code: "row.extra_cells",
            });
        }
        let (mut input, held_cells) = input_of(cells, mapping);
        if let Some(fixed) = restored_iin(&input.iin) {
            input.iin = fixed;
            report.notes.push(RowIssue {
                line: *line,
                field: "iin",
                code: "iin.zero_restored",
            });
        }
        let row_held = match &lookup {
            Some(l) => {
                let (h, issues, names) = held::read(&held_cells, l, add_unknown, today);
                row_issues.extend(issues);
                for n in names {
                    *unknown.entry(n).or_default() += 1;
                }
                h
            }
            None => Held::default(),
        };
        several_in_cell |= row_held.purposes_in_cell > 1;
        let parsed = subject::validate(&input, today);
        // A consent given for a minor names who gave it (Law 94-V Art. 8 para 1).
        if let Ok(v) = &parsed
            && let Some(majority) = majority
        {
            let birth = v
                .birth_date
                .or_else(|| v.iin.as_ref().map(|i| i.birth_date()));
            if let Some(birth) = birth
                && row_held.consents.iter().any(|c| {
                    c.representative.is_empty()
                        && crate::registry::representative::age_on(birth, c.granted) < majority
                })
            {
                row_issues.push(FieldIssue {
                    field: "representative_name",
                    code: "consent.minor_needs_representative",
                });
            }
        }
        match parsed {
            Err(issues) => row_issues.extend(issues),
            Ok(v) if row_issues.is_empty() => {
                let key = v.iin.as_ref().map(|i| i.as_str().to_owned());
                match key.as_ref().and_then(|k| seen.get(k)) {
                    // The same person again on a row of their own, for another purpose: joined to
                    // the first row when it names the same person and adds what is held.
                    Some(at)
                        if reads_held
                            && same_person(&valid[*at].0, &v)
                            && !(row_held.holdings.is_empty() && row_held.consents.is_empty()) =>
                    {
                        let first = &mut valid[*at].2;
                        for h in row_held.holdings {
                            if !first.holdings.contains(&h) {
                                first.holdings.push(h);
                            }
                        }
                        for c in row_held.consents {
                            if !first.consents.contains(&c) {
                                first.consents.push(c);
                            }
                        }
                        report.merged_rows += 1;
                        several_rows = true;
                    }
                    Some(_) => {
                        row_issues.push(FieldIssue {
                            field: "iin",
                            code: "iin.duplicate_in_file",
                        });
                    }
                    None => {
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
                        if let Some(k) = key {
                            seen.insert(k, valid.len());
                        }
                        valid.push((v, existing, row_held));
                    }
                }
            }
            // An invalid row takes no IIN: a later valid row of the same person stands on its own
            // (as before what is held was imported).
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
    report.holdings = valid.iter().map(|(_, _, h)| h.holdings.len()).sum();
    report.consents = valid.iter().map(|(_, _, h)| h.consents.len()).sum();
    report.shape = if !has(Field::Purposes) {
        None
    } else if several_rows {
        Some("row_per_purpose")
    } else if several_in_cell {
        Some("purposes_in_cell")
    } else {
        Some("per_person")
    };
    let mut names: Vec<UnknownName> = unknown
        .into_iter()
        .map(|(u, rows)| UnknownName {
            kind: u.kind,
            name: u.name,
            rows,
        })
        .collect();
    names.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    report.unknown = names;
    Ok(Checked {
        report,
        valid,
        mapping: mapping.clone(),
        add_unknown,
        today,
        head: journal_head(conn)?,
    })
}

/// Two rows of one IIN name the same person: the same names and birth date.
fn same_person(a: &Valid, b: &Valid) -> bool {
    (&a.surname, &a.given_name, &a.patronymic, a.birth_date)
        == (&b.surname, &b.given_name, &b.patronymic, b.birth_date)
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
    /// Every field a column can be mapped to, identity first, then what is held and the consent.
    pub fields: Vec<&'static str>,
    /// Checked with the catalogues' missing names to be added.
    pub add_unknown: bool,
}

/// Checks `table` with `mapping` for the preview; the check too, to be committed without a second.
pub fn preview(
    conn: &Connection,
    table: &Table,
    file_name: &str,
    mapping: &Mapping,
    add_unknown: bool,
    today: NaiveDate,
) -> (Preview, Option<Checked>) {
    use crate::files::csv_table::Encoding;
    let (checked, problem) = match check_rows(conn, table, mapping, add_unknown, today) {
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
        fields: Field::ALL.iter().map(|f| f.name()).collect(),
        add_unknown,
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
    check_rows(conn, table, mapping, false, today)
}

/// [`check`], with the names the catalogues lack to be added by the commit (their rows valid).
pub fn check_adding(
    conn: &Connection,
    table: &Table,
    mapping: &Mapping,
    add_unknown: bool,
    today: NaiveDate,
) -> Result<Checked> {
    check_rows(conn, table, mapping, add_unknown, today)
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
    let checked = if journal_head(vault.conn())? == checked.head
        && checked.add_unknown == options.add_unknown
    {
        checked
    } else {
        check_rows(
            vault.conn(),
            table,
            &checked.mapping,
            options.add_unknown,
            checked.today,
        )?
    };
    let Checked {
        mut report,
        valid,
        today: checked_today,
        ..
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
    report.holdings = 0;
    report.consents = 0;
    let today = checked_today;
    let written = vault.transact(now, |tx| {
        // The names the catalogues lacked, added first so that the rows can name them.
        let added = add_to_catalogs(tx, &valid, today)?;
        report.catalog_added = added.len();
        let mut fresh = Vec::with_capacity(valid.len());
        for (n, (v, existing, held)) in valid.iter().enumerate() {
            if n % EVERY == 0 {
                progress.check()?;
            }
            match (existing, options.duplicates) {
                (Some(_), Duplicates::Skip) => report.skipped += 1,
                (Some(id), Duplicates::Update) => {
                    // A file that does not give the person's category keeps the one recorded.
                    let mut v = v.clone();
                    v.category_id = match &held.subject_category {
                        Some(r) => Some(added.id(r, |a| &a.subject_categories)?),
                        None => tx.query_row(
                            "SELECT category_id FROM subject WHERE id = ?1",
                            [id],
                            |r| r.get(0),
                        )?,
                    };
                    match subject::replace(tx, *id, &v, now, Index::Now) {
                        Ok(()) => {}
                        // A blocked subject's data is not changed by an import (issue of blocking).
                        Err(Error::NotEditable { .. }) => {
                            report.skipped += 1;
                            continue;
                        }
                        Err(e) => return Err(e),
                    }
                    let (h, c) = write_held(tx, *id, held, &added, true)?;
                    report.holdings += h;
                    report.consents += c;
                    tx.journal(
                        &Entry::new("subject.updated")
                            .record("subject", *id)
                            .detail(import_detail(h, c)),
                    )?;
                    report.updated += 1;
                }
                (None, _) => fresh.push((v, held)),
            }
        }
        progress.advance((valid.len() - fresh.len()) as u64)?;
        // New subjects are written in list order, each straight into its place in the search
        // index (src/rank.rs); a crowded list is renumbered once at the end instead.
        let mut keyed: Vec<(String, &Valid, &Held)> = fresh
            .into_iter()
            .map(|(v, h)| (subject::sort_key(v), v, h))
            .collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let ranks = if keyed.len() > crate::registry::rank::BULK {
            let keys: Vec<&str> = keyed.iter().map(|(k, _, _)| k.as_str()).collect();
            crate::registry::rank::plan_new(tx, &keys)?
        } else {
            None
        };
        // The ranks whose search rows are written together after the loop (`Index::At`).
        let mut placed = Vec::with_capacity(ranks.as_ref().map_or(0, Vec::len));
        for (i, (_, v, held)) in keyed.iter().enumerate() {
            let index = match &ranks {
                Some(r) => r.get(i).map_or(Index::Later, |rank| Index::At(*rank)),
                None if keyed.len() > crate::registry::rank::BULK => Index::Later,
                None => Index::Now,
            };
            if let Index::At(rank) = index {
                placed.push(rank);
            }
            let id = match &held.subject_category {
                Some(r) => {
                    let mut v = (*v).clone();
                    v.category_id = Some(added.id(r, |a| &a.subject_categories)?);
                    subject::insert(tx, &v, now, index)?
                }
                None => subject::insert(tx, v, now, index)?,
            };
            let (h, c) = write_held(tx, id, held, &added, false)?;
            report.holdings += h;
            report.consents += c;
            tx.journal(
                &Entry::new("subject.created")
                    .record("subject", id)
                    .detail(import_detail(h, c)),
            )?;
            report.created += 1;
            if report.created % EVERY == 0 {
                progress.advance(EVERY as u64)?;
            }
        }
        crate::registry::index::Fts::Subjects.index_kept(tx, &mut placed)?;
        if ranks.is_none() && keyed.len() > crate::registry::rank::BULK {
            crate::registry::rank::rebuild(tx)?;
        }
        // The last rows, then the commit itself (not cancellable: it is the point of no return).
        progress.advance((report.created % EVERY) as u64)?;
        tx.journal(&Entry::new("subjects.imported").detail(format!(
            "{} created, {} updated, {} skipped, {} invalid rows left out; {} holdings, {} consents, {} catalogue entries added",
            report.created,
            report.updated,
            report.skipped,
            report.invalid_rows,
            report.holdings,
            report.consents,
            report.catalog_added
        )))?;
        Ok(())
    });
    if big {
        vault.set_cache_mib(crate::vault::CACHE_MIB)?;
    }
    written?;
    Ok(report)
}

fn import_detail(holdings: usize, consents: usize) -> String {
    if holdings + consents == 0 {
        "import".to_owned()
    } else {
        format!("import: {holdings} holdings, {consents} consents")
    }
}

/// The ids of the catalogue entries added for the names the rows gave that the catalogues lacked.
#[derive(Default)]
struct Added {
    purposes: HashMap<String, i64>,
    categories: HashMap<String, i64>,
    policies: HashMap<String, i64>,
    subject_categories: HashMap<String, i64>,
}

impl Added {
    fn len(&self) -> usize {
        self.purposes.len()
            + self.categories.len()
            + self.policies.len()
            + self.subject_categories.len()
    }

    fn id(&self, r: &Ref, of: fn(&Added) -> &HashMap<String, i64>) -> Result<i64> {
        match r {
            Ref::Known(id) => Ok(*id),
            Ref::New(name) => of(self).get(name).copied().ok_or(Error::Damaged),
        }
    }
}

/// A code for an entry added under a name: `imported_<n>`, the first free one (the user gives it
/// a real code, names in the other languages and a retention period in Settings).
fn free_code(tx: &Connection, table: &str) -> Result<String> {
    let mut n: i64 = tx.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    loop {
        n += 1;
        let code = format!("imported_{n}");
        let taken: bool = tx.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE code = ?1)"),
            [&code],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(code);
        }
    }
}

/// Adds an entry named `name` (in all three languages, to be completed in Settings) to catalogue
/// `table` under a free `imported_N` code, journaled as `action`; its id.
fn add_named(
    tx: &crate::vault::Tx<'_>,
    table: &'static str,
    action: &'static str,
    name: &str,
) -> Result<i64> {
    let code = free_code(tx, table)?;
    tx.execute(
        &format!("INSERT INTO {table} (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?2, ?2)"),
        rusqlite::params![code, name],
    )?;
    let id = tx.last_insert_rowid();
    tx.journal(&Entry::new(action).record(table, id).detail("import"))?;
    Ok(id)
}

fn add_to_catalogs(
    tx: &crate::vault::Tx<'_>,
    valid: &[(Valid, Option<i64>, Held)],
    today: NaiveDate,
) -> Result<Added> {
    use rusqlite::params;
    let mut added = Added::default();
    let mut policy_from: Vec<(String, NaiveDate)> = Vec::new();
    for (_, _, h) in valid {
        let refs = h
            .holdings
            .iter()
            .map(|x| (&x.purpose, Some(&x.category)))
            .chain(h.consents.iter().map(|c| (&c.purpose, None)));
        for (purpose, category) in refs {
            if let Ref::New(name) = purpose
                && !added.purposes.contains_key(name)
            {
                let id = add_named(tx, "purpose", "catalog.purpose_added", name)?;
                added.purposes.insert(name.clone(), id);
            }
            if let Some(Ref::New(name)) = category
                && !added.categories.contains_key(name)
            {
                let id = add_named(tx, "data_category", "catalog.category_added", name)?;
                added.categories.insert(name.clone(), id);
            }
        }
        if let Some(Ref::New(name)) = &h.subject_category
            && !added.subject_categories.contains_key(name)
        {
            let id = add_named(
                tx,
                "subject_category",
                "catalog.subject_category_added",
                name,
            )?;
            added.subject_categories.insert(name.clone(), id);
        }
        for c in &h.consents {
            if let Some(Ref::New(name)) = &c.policy {
                match policy_from.iter_mut().find(|(n, _)| n == name) {
                    Some((_, from)) => *from = (*from).min(c.granted),
                    None => policy_from.push((name.clone(), c.granted)),
                }
            }
        }
    }
    // A version first named by a consent was in effect by that consent's day at the latest.
    for (name, from) in policy_from {
        tx.execute(
            "INSERT INTO policy_version (version, effective_from) VALUES (?1, ?2)",
            params![name, from.min(today).to_string()],
        )?;
        let id = tx.last_insert_rowid();
        tx.journal(
            &Entry::new("catalog.policy_version_added")
                .record("policy_version", id)
                .detail("import"),
        )?;
        added.policies.insert(name, id);
    }
    Ok(added)
}

/// Writes what a row says is held about subject `id`, and its consents. For a subject already
/// registered (`existing`), what the vault already records the same way is not written twice.
fn write_held(
    tx: &Connection,
    id: i64,
    held: &Held,
    added: &Added,
    existing: bool,
) -> Result<(usize, usize)> {
    use rusqlite::params;
    let mut holdings = 0;
    for h in &held.holdings {
        let category = added.id(&h.category, |a| &a.categories)?;
        let purpose = added.id(&h.purpose, |a| &a.purposes)?;
        if existing
            && tx
                .prepare_cached(
                    "SELECT 1 FROM holding WHERE subject_id = ?1 AND category_id = ?2
                       AND purpose_id = ?3 AND since = ?4",
                )?
                .exists(params![id, category, purpose, h.since.to_string()])?
        {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO holding (subject_id, category_id, purpose_id, basis, basis_ref, source,
                                  since, until)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            id,
            category,
            purpose,
            h.basis,
            h.basis_ref,
            h.source,
            h.since.to_string(),
            h.until.map(|d| d.to_string())
        ])?;
        holdings += 1;
    }
    let mut consents = 0;
    for c in &held.consents {
        let purpose = added.id(&c.purpose, |a| &a.purposes)?;
        let policy = match &c.policy {
            Some(p) => Some(added.id(p, |a| &a.policies)?),
            None => None,
        };
        if existing
            && tx
                .prepare_cached(
                    "SELECT 1 FROM consent WHERE subject_id = ?1 AND purpose_id = ?2
                       AND granted_at = ?3",
                )?
                .exists(params![id, purpose, c.granted.to_string()])?
        {
            continue;
        }
        tx.prepare_cached(
            "INSERT INTO consent (subject_id, purpose_id, granted_at, form, policy_version_id,
                                  valid_until, third_parties, cross_border, countries, data_list,
                                  rep_name, rep_relation)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            id,
            purpose,
            c.granted.to_string(),
            c.form,
            policy,
            c.valid_until.map(|d| d.to_string()),
            c.third_parties,
            c.cross_border,
            c.countries,
            c.data_list,
            c.representative.name,
            c.representative.relation.map(|r| r.name())
        ])?;
        consents += 1;
    }
    Ok((holdings, consents))
}
