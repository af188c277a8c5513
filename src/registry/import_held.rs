//! What an imported row says is held about its person and on which consent (issue 18): purposes,
//! categories of data, the legal basis and its reference, since / until, the source; the consent's
//! date, form, term, third parties, cross-border transfer and countries, the policy version (Law
//! 94-V Art. 7, 8 para 4, 12). Values are read as people type them in Russian, Kazakh or English —
//! a purpose by its code or any of its names, a basis as «согласие» or «шарт», a term as a date,
//! «5 лет» or «до достижения цели» — and checked against the vault's catalogues; a name the
//! catalogue lacks is reported on its row, or added to the catalogue when the user asks.

use crate::base::fold::fold;
use crate::base::input::parse_date;
use crate::error::{FieldIssue, Result};
use crate::registry::representative::{Relation, Representative};
use chrono::{Months, NaiveDate};
use rusqlite::Connection;
use std::collections::HashMap;

/// A catalogue entry a row names: one the vault has, or one to add under the name as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Ref {
    Known(i64),
    New(String),
}

/// The catalogues, each entry under its folded code and names.
pub(crate) struct Lookup {
    purposes: HashMap<String, i64>,
    categories: HashMap<String, i64>,
    policies: HashMap<String, i64>,
    subject_categories: HashMap<String, i64>,
    category_names: HashMap<i64, String>,
}

fn named(conn: &Connection, sql: &str) -> Result<Vec<(i64, Vec<String>)>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            vec![
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ],
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Lookup {
    pub(crate) fn load(conn: &Connection) -> Result<Lookup> {
        let index = |rows: &[(i64, Vec<String>)]| {
            let mut m = HashMap::new();
            for (id, names) in rows {
                for n in names {
                    m.entry(fold(n.trim())).or_insert(*id);
                }
            }
            m
        };
        let purposes = named(
            conn,
            "SELECT id, code, name_ru, name_kk, name_en FROM purpose",
        )?;
        let categories = named(
            conn,
            "SELECT id, code, name_ru, name_kk, name_en FROM data_category",
        )?;
        let policies = named(
            conn,
            "SELECT id, version, version, version, version FROM policy_version",
        )?;
        let subject_categories = named(
            conn,
            "SELECT id, code, name_ru, name_kk, name_en FROM subject_category",
        )?;
        Ok(Lookup {
            purposes: index(&purposes),
            category_names: categories
                .iter()
                .map(|(id, n)| (*id, n[1].clone()))
                .collect(),
            categories: index(&categories),
            policies: index(&policies),
            subject_categories: index(&subject_categories),
        })
    }
}

/// The raw cells of a row's "what is held" columns; `None`: the column is not in the file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cells {
    pub purposes: Option<String>,
    pub categories: Option<String>,
    pub basis: Option<String>,
    pub basis_ref: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub source: Option<String>,
    pub consent_date: Option<String>,
    pub consent_form: Option<String>,
    pub consent_term: Option<String>,
    pub third_parties: Option<String>,
    pub cross_border: Option<String>,
    pub countries: Option<String>,
    pub policy_version: Option<String>,
    pub rep_name: Option<String>,
    pub rep_relation: Option<String>,
    /// Who the person is to the operator (patient, customer …).
    pub subject_category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HoldingRow {
    pub category: Ref,
    pub purpose: Ref,
    pub basis: &'static str,
    pub basis_ref: String,
    pub source: String,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConsentRow {
    pub purpose: Ref,
    pub granted: NaiveDate,
    pub form: &'static str,
    pub policy: Option<Ref>,
    pub valid_until: Option<NaiveDate>,
    pub third_parties: bool,
    pub cross_border: bool,
    pub countries: String,
    /// The categories of data the consent covers, by name (Art. 8 para 4: the list of data).
    pub data_list: String,
    /// Who gave it for the person (a minor's parent or guardian).
    pub representative: Representative,
}

/// What one row (or several rows of one person, merged) records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Held {
    pub holdings: Vec<HoldingRow>,
    pub consents: Vec<ConsentRow>,
    /// Purposes in this row's cell, more than one: the "several per cell" shape.
    pub purposes_in_cell: usize,
    /// The person's category, when the file gives one.
    pub subject_category: Option<Ref>,
}

/// A name a row gave that the catalogue lacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Unknown {
    pub kind: &'static str,
    pub name: String,
}

fn cell(c: &Option<String>) -> &str {
    c.as_deref().map_or("", str::trim)
}

fn issue(field: &'static str, code: &'static str) -> FieldIssue {
    FieldIssue { field, code }
}

/// The entries a cell names: the whole cell if it is one name, else its parts split at `;` and
/// line breaks, a part split again at its commas (outside parentheses) when a piece of it is a
/// known name (a category such as «Фамилия, имя, отчество» holds commas itself).
fn entries(raw: &str, known: &HashMap<String, i64>) -> Vec<(String, Option<i64>)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Vec::new();
    }
    if let Some(id) = known.get(&fold(raw)) {
        return vec![(raw.to_owned(), Some(*id))];
    }
    let mut out = Vec::new();
    for part in raw
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if let Some(id) = known.get(&fold(part)) {
            out.push((part.to_owned(), Some(*id)));
            continue;
        }
        let pieces: Vec<&str> = top_level_commas(part)
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let ids: Vec<Option<&i64>> = pieces.iter().map(|p| known.get(&fold(p))).collect();
        // Split when a piece is a known name: «ФИО, Медицинская карта» is the known «ФИО» and
        // the unknown «Медицинская карта», not one unknown name.
        if pieces.len() > 1 && ids.iter().any(Option::is_some) {
            out.extend(
                pieces
                    .iter()
                    .zip(ids)
                    .map(|(p, id)| ((*p).to_owned(), id.copied())),
            );
        } else {
            out.push((part.to_owned(), None));
        }
    }
    out
}

/// `s` split at its commas outside parentheses: «ФИО, Контактные данные (телефон, e-mail)» is two.
fn top_level_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// A legal basis as typed: the code, or its words in the three languages.
pub(crate) fn basis(raw: &str) -> Option<&'static str> {
    let f = fold(raw.trim());
    let table: [(&str, &[&str]); 5] = [
        ("consent", &["consent", "согласие", "келісім", "с согласия"]),
        ("contract", &["contract", "договор", "шарт", "контракт"]),
        (
            "law",
            &[
                "law",
                "закон",
                "заң",
                "по закону",
                "требование закона",
                "legal obligation",
            ],
        ),
        (
            "legitimate_interest",
            &[
                "legitimate_interest",
                "legitimate interest",
                "законный интерес",
                "заңды мүдде",
            ],
        ),
        (
            "public",
            &[
                "public",
                "общедоступные",
                "общедоступные данные",
                "жалпыға қолжетімді",
            ],
        ),
    ];
    table
        .iter()
        .find(|(_, words)| words.iter().any(|w| fold(w) == f))
        .map(|(code, _)| *code)
}

fn form(raw: &str) -> Option<&'static str> {
    let f = fold(raw.trim());
    let table: [(&str, &[&str]); 4] = [
        (
            "written",
            &[
                "written",
                "письменная",
                "письменно",
                "на бумаге",
                "бумажная",
                "жазбаша",
                "paper",
            ],
        ),
        (
            "electronic",
            &[
                "electronic",
                "электронная",
                "электронно",
                "электрондық",
                "online",
                "онлайн",
                "сайт",
            ],
        ),
        (
            "egov",
            &["egov", "egov.kz", "егов", "электронное правительство"],
        ),
        ("other", &["other", "иная", "другое", "басқа"]),
    ];
    table
        .iter()
        .find(|(_, words)| words.iter().any(|w| fold(w) == f))
        .map(|(code, _)| *code)
}

/// How a representative stands to the person, as typed.
fn relation(raw: &str) -> Option<Relation> {
    let f = fold(raw.trim());
    let table: [(Relation, &[&str]); 3] = [
        (
            Relation::Parent,
            &[
                "parent",
                "родитель",
                "мать",
                "отец",
                "ата-ана",
                "ана",
                "әке",
                "mother",
                "father",
            ],
        ),
        (
            Relation::Guardian,
            &["guardian", "опекун", "попечитель", "қамқоршы"],
        ),
        (
            Relation::Attorney,
            &[
                "attorney",
                "по доверенности",
                "представитель по доверенности",
                "сенімхат бойынша",
            ],
        ),
    ];
    table
        .iter()
        .find(|(_, words)| words.iter().any(|w| fold(w) == f))
        .map(|(r, _)| *r)
}

fn yes_no(raw: &str) -> Option<bool> {
    match fold(raw.trim()).as_str() {
        "" | "нет" | "no" | "жоқ" | "0" | "false" | "-" | "не" => Some(false),
        "да" | "yes" | "иа" | "1" | "true" | "+" | "x" | "х" | "v" => Some(true),
        _ => None,
    }
}

/// A consent's term as typed: a date, a number of years or months from the day it was given, or
/// "until the purpose is achieved" (none).
fn term(raw: &str, granted: NaiveDate) -> std::result::Result<Option<NaiveDate>, ()> {
    let raw = raw.trim();
    let f = fold(raw);
    if f.is_empty()
        || [
            "до достижения цели",
            "бессрочно",
            "бессрочное",
            "until the purpose is achieved",
            "until withdrawn",
            "до отзыва",
            "мақсатқа жеткенге дейін",
            "мерзімсіз",
        ]
        .iter()
        .any(|w| fold(w) == f)
    {
        return Ok(None);
    }
    if let Some(d) = parse_date(raw) {
        return Ok(Some(d));
    }
    let digits: String = f.chars().take_while(char::is_ascii_digit).collect();
    let rest = f[digits.len()..].trim();
    let n: u32 = digits.parse().map_err(|_| ())?;
    let months = if ["год", "года", "лет", "year", "years", "жыл", "г", "г."].contains(&rest)
    {
        n.checked_mul(12).ok_or(())?
    } else if [
        "мес",
        "мес.",
        "месяц",
        "месяца",
        "месяцев",
        "month",
        "months",
        "ай",
    ]
    .contains(&rest)
    {
        n
    } else {
        return Err(());
    };
    granted
        .checked_add_months(Months::new(months))
        .map(Some)
        .ok_or(())
}

fn date_cell(
    raw: &str,
    field: &'static str,
    today: NaiveDate,
    issues: &mut Vec<FieldIssue>,
) -> Option<NaiveDate> {
    if raw.is_empty() {
        return None;
    }
    match parse_date(raw) {
        Some(d) if d > today => {
            issues.push(issue(field, "date.future"));
            None
        }
        Some(d) => Some(d),
        None => {
            issues.push(issue(field, "date.format"));
            None
        }
    }
}

/// Reads a row's "what is held" cells. Returns what it records, the issues of its cells, and the
/// names the catalogues lack (refused, each an issue, unless `add_unknown`).
pub(crate) fn read(
    c: &Cells,
    lookup: &Lookup,
    add_unknown: bool,
    today: NaiveDate,
) -> (Held, Vec<FieldIssue>, Vec<Unknown>) {
    let mut issues = Vec::new();
    let mut unknown = Vec::new();
    let mut held = Held::default();
    let mut resolve = |found: Vec<(String, Option<i64>)>,
                       kind: &'static str,
                       issues: &mut Vec<FieldIssue>|
     -> Vec<Ref> {
        found
            .into_iter()
            .filter_map(|(name, id)| match id {
                Some(id) => Some(Ref::Known(id)),
                None => {
                    unknown.push(Unknown {
                        kind,
                        name: name.clone(),
                    });
                    if add_unknown {
                        Some(Ref::New(name))
                    } else {
                        issues.push(issue(kind, "catalog.unknown"));
                        None
                    }
                }
            })
            .collect()
    };
    let purposes = resolve(
        entries(cell(&c.purposes), &lookup.purposes),
        "purpose",
        &mut issues,
    );
    let categories = resolve(
        entries(cell(&c.categories), &lookup.categories),
        "category",
        &mut issues,
    );
    let policy = resolve(
        entries(cell(&c.policy_version), &lookup.policies),
        "policy_version",
        &mut issues,
    )
    .into_iter()
    .next();
    held.purposes_in_cell = purposes.len();
    // The person's category stands apart from what is held: a row may give it alone.
    let raw_category = cell(&c.subject_category);
    if !raw_category.is_empty() {
        held.subject_category = match lookup.subject_categories.get(&fold(raw_category)) {
            Some(id) => Some(Ref::Known(*id)),
            None => {
                unknown.push(Unknown {
                    kind: "subject_category",
                    name: raw_category.to_owned(),
                });
                if add_unknown {
                    Some(Ref::New(raw_category.to_owned()))
                } else {
                    issues.push(issue("subject_category", "catalog.unknown"));
                    None
                }
            }
        };
    }

    // A column «Согласие» may say yes or no instead of a date: "no" is no consent, "yes" is a
    // consent whose day nobody wrote down — not recorded as given on some day it was not.
    let consent_date = match yes_no(cell(&c.consent_date)) {
        Some(false) => None,
        Some(true) => {
            issues.push(issue("consent_date", "consent.date_missing"));
            None
        }
        None => date_cell(cell(&c.consent_date), "consent_date", today, &mut issues),
    };
    let consent_fields = [
        &c.rep_name,
        &c.rep_relation,
        &c.consent_form,
        &c.consent_term,
        &c.third_parties,
        &c.cross_border,
        &c.countries,
        &c.policy_version,
    ]
    .iter()
    .any(|v| !cell(v).is_empty());
    let holding_fields = [
        &c.categories,
        &c.basis,
        &c.basis_ref,
        &c.since,
        &c.until,
        &c.source,
    ]
    .iter()
    .any(|v| !cell(v).is_empty());
    let nothing = purposes.is_empty()
        && consent_date.is_none()
        && !consent_fields
        && !holding_fields
        && cell(&c.purposes).is_empty()
        && yes_no(cell(&c.consent_date)) == Some(false);
    if nothing {
        return (held, issues, unknown);
    }
    if purposes.is_empty() {
        if cell(&c.purposes).is_empty() {
            issues.push(issue("purpose", "required"));
        }
        return (held, issues, unknown);
    }

    // The consent, for each purpose of the row.
    if consent_date.is_none() && yes_no(cell(&c.consent_date)) == Some(false) && consent_fields {
        issues.push(issue("consent_date", "required"));
    }
    if let Some(granted) = consent_date {
        let form = match cell(&c.consent_form) {
            // A file that does not say how it was given: recorded as "other", not guessed.
            "" => Some("other"),
            f => form(f),
        };
        if form.is_none() {
            issues.push(issue("consent_form", "consent.form_unknown"));
        }
        let valid_until = match term(cell(&c.consent_term), granted) {
            Ok(Some(u)) if u < granted => {
                issues.push(issue("consent_term", "date.before_start"));
                None
            }
            Ok(u) => u,
            Err(()) => {
                issues.push(issue("consent_term", "consent.term_unknown"));
                None
            }
        };
        let flag = |v: &Option<String>, field: &'static str, issues: &mut Vec<FieldIssue>| {
            yes_no(cell(v)).unwrap_or_else(|| {
                issues.push(issue(field, "bool.invalid"));
                false
            })
        };
        let third_parties = flag(&c.third_parties, "third_parties", &mut issues);
        let countries = cell(&c.countries).to_owned();
        // A list of countries says the data goes abroad even when the yes/no column is empty.
        let cross_border =
            flag(&c.cross_border, "cross_border", &mut issues) || !countries.is_empty();
        let data_list = categories
            .iter()
            .map(|r| match r {
                Ref::Known(id) => lookup.category_names.get(id).cloned().unwrap_or_default(),
                Ref::New(name) => name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let typed = Representative {
            name: cell(&c.rep_name).to_owned(),
            relation: match cell(&c.rep_relation) {
                "" => None,
                r => relation(r).or_else(|| {
                    issues.push(issue(
                        "representative_relation",
                        "representative.relation_unknown",
                    ));
                    None
                }),
            },
            ..Representative::default()
        };
        let representative = if typed.name.is_empty() && cell(&c.rep_relation).is_empty() {
            Representative::default()
        } else {
            typed.checked().unwrap_or_else(|i| {
                issues.extend(i);
                Representative::default()
            })
        };
        if let Some(form) = form {
            for p in &purposes {
                held.consents.push(ConsentRow {
                    purpose: p.clone(),
                    granted,
                    form,
                    policy: policy.clone(),
                    valid_until,
                    third_parties,
                    cross_border,
                    countries: countries.clone(),
                    data_list: data_list.clone(),
                    representative: representative.clone(),
                });
            }
        }
    }

    // What is held, for each purpose and category of the row.
    if categories.is_empty() {
        if cell(&c.categories).is_empty() && cell(&c.consent_date).is_empty() {
            // Neither what is held nor a consent: the row would record nothing it names.
            issues.push(issue("category", "required"));
        }
        return (held, issues, unknown);
    }
    let basis = match cell(&c.basis) {
        // A consent on the same row is the basis when none is named.
        "" if consent_date.is_some() => Some("consent"),
        "" => {
            issues.push(issue("basis", "required"));
            None
        }
        b => basis(b).or_else(|| {
            issues.push(issue("basis", "basis.unknown"));
            None
        }),
    };
    // Since when: as written, else the consent's date; never a date nobody gave.
    let since = match cell(&c.since) {
        "" => consent_date.or_else(|| {
            issues.push(issue("since", "required"));
            None
        }),
        s => date_cell(s, "since", today, &mut issues),
    };
    let until = match cell(&c.until) {
        "" => None,
        u => match parse_date(u) {
            Some(d) => Some(d),
            None => {
                issues.push(issue("until", "date.format"));
                None
            }
        },
    };
    if let (Some(s), Some(u)) = (since, until)
        && u < s
    {
        issues.push(issue("until", "date.before_start"));
    }
    if let (Some(basis), Some(since)) = (basis, since) {
        for p in &purposes {
            for cat in &categories {
                held.holdings.push(HoldingRow {
                    category: cat.clone(),
                    purpose: p.clone(),
                    basis,
                    basis_ref: cell(&c.basis_ref).to_owned(),
                    source: cell(&c.source).to_owned(),
                    since,
                    until,
                });
            }
        }
    }
    (held, issues, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_term_is_read_as_people_write_it() {
        let g = d(2025, 3, 10);
        assert_eq!(term("", g), Ok(None));
        assert_eq!(term("до достижения цели", g), Ok(None));
        assert_eq!(term("Мақсатқа жеткенге дейін", g), Ok(None));
        assert_eq!(term("5 лет", g), Ok(Some(d(2030, 3, 10))));
        assert_eq!(term("3 жыл", g), Ok(Some(d(2028, 3, 10))));
        assert_eq!(term("18 месяцев", g), Ok(Some(d(2026, 9, 10))));
        assert_eq!(term("31.12.2027", g), Ok(Some(d(2027, 12, 31))));
        assert_eq!(term("пока не надоест", g), Err(()));
        assert_eq!(term("99999999999 лет", g), Err(()));
    }

    #[test]
    fn a_basis_and_a_form_are_read_in_three_languages() {
        assert_eq!(basis("Согласие"), Some("consent"));
        assert_eq!(basis("шарт"), Some("contract"));
        assert_eq!(basis("ЗАҢ"), Some("law"));
        assert_eq!(basis("legitimate interest"), Some("legitimate_interest"));
        assert_eq!(basis("по дружбе"), None);
        assert_eq!(form("письменная"), Some("written"));
        assert_eq!(form("Электрондық"), Some("electronic"));
        assert_eq!(form("eGov"), Some("egov"));
        assert_eq!(yes_no("Иә"), Some(true));
        assert_eq!(yes_no("нет"), Some(false));
        assert_eq!(yes_no("может быть"), None);
    }

    #[test]
    fn a_cell_names_one_entry_or_several() {
        let known: HashMap<String, i64> = [
            (fold("Фамилия, имя, отчество"), 1),
            (fold("Телефон"), 2),
            (fold("Адрес"), 3),
        ]
        .into_iter()
        .collect();
        let ids = |raw: &str| {
            entries(raw, &known)
                .into_iter()
                .map(|(n, id)| (n, id.unwrap_or(0)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids("Фамилия, имя, отчество"),
            [("Фамилия, имя, отчество".into(), 1)]
        );
        assert_eq!(
            ids("Фамилия, имя, отчество; телефон"),
            [("Фамилия, имя, отчество".into(), 1), ("телефон".into(), 2)]
        );
        assert_eq!(
            ids("телефон, адрес"),
            [("телефон".into(), 2), ("адрес".into(), 3)]
        );
        assert_eq!(
            ids("телефон, группа крови"),
            [("телефон".into(), 2), ("группа крови".into(), 0)]
        );
        assert_eq!(
            ids("группа крови, резус"),
            [("группа крови, резус".into(), 0)]
        );
        let with_brackets: HashMap<String, i64> = [
            (fold("ФИО"), 1),
            (fold("Контактные данные (телефон, e-mail)"), 4),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            entries("ФИО, Контактные данные (телефон, e-mail)", &with_brackets)
                .into_iter()
                .map(|(_, id)| id)
                .collect::<Vec<_>>(),
            [Some(1), Some(4)]
        );
    }
}
