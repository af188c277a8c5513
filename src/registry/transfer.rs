//! The register of transfers of personal data to third parties, within Kazakhstan and abroad
//! (Law 94-V Art. 16; policy 8.2, 10.1–10.2).
//!
//! A transfer is recorded only on a basis that covers it, checked against the vault:
//! - **consent**: a consent of the person for the transfer's purpose, in force on its date, that
//!   allows passing data to third parties; abroad, one that allows cross-border transfer — and
//!   written (on paper or through eGov) when the country is not on the list of states protecting
//!   personal data (`adequate_country`, editable, empty by default);
//! - **contract**: a contract the person is party to (its number), with data held for the purpose
//!   on that basis (policy 8.2, 10.2);
//! - **law**: the article that requires it.
//!
//! Anything else is refused with the reason. It can still be recorded with a written
//! justification (an override), which is kept with the transfer and journaled as such.

use crate::error::{Error, FieldIssue, Result};
use crate::registry::subject::ensure_editable;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// The country of the operator: a transfer elsewhere is cross-border.
pub const HOME: &str = "KZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Consent,
    Contract,
    Law,
}

impl Basis {
    pub const ALL: [Basis; 3] = [Basis::Consent, Basis::Contract, Basis::Law];

    pub fn name(self) -> &'static str {
        match self {
            Basis::Consent => "consent",
            Basis::Contract => "contract",
            Basis::Law => "law",
        }
    }

    pub fn parse(s: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.name() == s)
    }
}

crate::base::wire::by_name_both!(Basis => name);

/// A transfer as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferInput {
    pub subject_id: i64,
    pub recipient: String,
    /// ISO 3166-1 alpha-2, e.g. `KZ`, `DE`.
    pub country: String,
    pub category_ids: Vec<i64>,
    pub purpose_id: i64,
    pub basis: Basis,
    /// The contract's number or the law's article (for those bases).
    pub basis_ref: String,
    pub transferred_on: NaiveDate,
    /// A written justification to record it although the check found no basis.
    pub override_reason: Option<String>,
}

/// A recorded transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Transfer {
    pub id: i64,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub subject_id: i64,
    pub recipient: String,
    pub country: String,
    pub cross_border: bool,
    pub categories: Vec<String>,
    pub purpose_id: i64,
    pub basis: Basis,
    pub consent_id: Option<i64>,
    pub basis_ref: String,
    pub transferred_on: NaiveDate,
    pub override_reason: Option<String>,
}

fn issue(field: &'static str, code: &'static str) -> FieldIssue {
    FieldIssue { field, code }
}

/// Whether `code` is on the list of states that protect personal data.
pub fn is_adequate(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM adequate_country WHERE code = ?1")?
        .query_row([code], |_| Ok(()))
        .optional()?
        .is_some())
}

fn country_code(s: &str) -> Option<String> {
    let c = s.trim().to_uppercase();
    (c.len() == 2 && c.chars().all(|x| x.is_ascii_uppercase())).then_some(c)
}

/// What the check found: the consent it rests on, or why it is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Covered { consent_id: Option<i64> },
    Refused { code: &'static str },
}

/// Checks a transfer against the person's consents, contracts and the list of states.
pub fn check(conn: &Connection, t: &TransferInput) -> Result<Check> {
    let country = country_code(&t.country).unwrap_or_default();
    let abroad = country != HOME;
    let adequate = !abroad || is_adequate(conn, &country)?;
    let on = t.transferred_on.to_string();
    Ok(match t.basis {
        Basis::Consent => {
            // Consents for the purpose, in force on the day, best first.
            let mut st = conn.prepare_cached(
                "SELECT id, third_parties, cross_border, form, countries FROM consent
                 WHERE subject_id = ?1 AND purpose_id = ?2 AND granted_at <= ?3
                   AND (withdrawn_at IS NULL OR substr(withdrawn_at, 1, 10) > ?3)
                   AND (valid_until IS NULL OR valid_until >= ?3)
                 ORDER BY third_parties DESC, cross_border DESC, id DESC",
            )?;
            let consents: Vec<(i64, bool, bool, String, String)> = st
                .query_map(params![t.subject_id, t.purpose_id, on], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut refused = if consents.is_empty() {
                "transfer.no_consent"
            } else {
                "transfer.consent_no_third_parties"
            };
            // The reason given is the one of the consent that came closest.
            let closer = |now: &'static str, new: &'static str| {
                let rank = |c: &str| {
                    [
                        "transfer.no_consent",
                        "transfer.consent_no_third_parties",
                        "transfer.consent_no_cross_border",
                        "transfer.consent_other_country",
                        "transfer.written_consent_needed",
                    ]
                    .iter()
                    .position(|x| *x == c)
                };
                if rank(new) > rank(now) { new } else { now }
            };
            let mut found = None;
            for (id, third, cross, form, countries) in consents {
                if !third {
                    continue;
                }
                if abroad {
                    if !cross {
                        refused = closer(refused, "transfer.consent_no_cross_border");
                        continue;
                    }
                    // A consent naming countries covers those only.
                    let named: Vec<String> = countries
                        .split([',', ';', ' '])
                        .filter_map(country_code)
                        .collect();
                    if !named.is_empty() && !named.contains(&country) {
                        refused = closer(refused, "transfer.consent_other_country");
                        continue;
                    }
                    if !adequate && !matches!(form.as_str(), "written" | "egov") {
                        refused = closer(refused, "transfer.written_consent_needed");
                        continue;
                    }
                }
                found = Some(id);
                break;
            }
            match found {
                Some(id) => Check::Covered {
                    consent_id: Some(id),
                },
                None => Check::Refused { code: refused },
            }
        }
        Basis::Contract => {
            let held: bool = conn
                .prepare_cached(
                    "SELECT count(*) > 0 FROM holding
                     WHERE subject_id = ?1 AND purpose_id = ?2 AND basis = 'contract'",
                )?
                .query_row(params![t.subject_id, t.purpose_id], |r| r.get(0))?;
            if held {
                Check::Covered { consent_id: None }
            } else {
                Check::Refused {
                    code: "transfer.no_contract",
                }
            }
        }
        Basis::Law => Check::Covered { consent_id: None },
    })
}

/// Records a transfer after checking it; refused without a basis unless overridden in writing.
pub fn record(vault: &mut Vault, t: &TransferInput, now: DateTime<Utc>) -> Result<i64> {
    let conn = vault.conn();
    ensure_editable(conn, t.subject_id)?;
    let mut issues = Vec::new();
    let recipient = t.recipient.trim();
    if recipient.is_empty() {
        issues.push(issue("recipient", "required"));
    } else if recipient.chars().count() > 300 {
        issues.push(issue("recipient", "text.too_long"));
    }
    let country = country_code(&t.country);
    if country.is_none() {
        issues.push(issue("country", "country.code"));
    }
    if t.category_ids.is_empty() {
        issues.push(issue("categories", "required"));
    }
    let basis_ref = t.basis_ref.trim();
    if t.basis != Basis::Consent && basis_ref.is_empty() {
        issues.push(issue("basis_ref", "required"));
    }
    if basis_ref.chars().count() > 300 {
        issues.push(issue("basis_ref", "text.too_long"));
    }
    let override_reason = t
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if override_reason.is_some_and(|s| s.chars().count() > 2000) {
        issues.push(issue("override", "text.too_long"));
    }
    let codes =
        crate::registry::catalog::category_codes(conn, &t.category_ids)?.unwrap_or_else(|| {
            issues.push(issue("categories", "required"));
            Vec::new()
        });
    let purpose_ok = conn
        .prepare_cached("SELECT 1 FROM purpose WHERE id = ?1")?
        .query_row([t.purpose_id], |_| Ok(()))
        .optional()?
        .is_some();
    if !purpose_ok {
        issues.push(issue("purpose", "required"));
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    let country = country.unwrap_or_default();
    let consent_id = match check(conn, t)? {
        Check::Covered { consent_id } => consent_id,
        Check::Refused { code } => {
            if override_reason.is_none() {
                return Err(Error::TransferRefused { code });
            }
            None
        }
    };
    let entry = Entry::new(if override_reason.is_some() && consent_id.is_none() {
        "transfer.recorded_override"
    } else {
        "transfer.recorded"
    })
    .record("subject", t.subject_id)
    .detail(format!("{} {}", t.basis.name(), country));
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO transfer (subject_id, recipient, country, categories, purpose_id, basis,
                                   consent_id, basis_ref, transferred_on, override, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                t.subject_id,
                recipient,
                country,
                codes.join(","),
                t.purpose_id,
                t.basis.name(),
                consent_id,
                basis_ref,
                t.transferred_on.to_string(),
                override_reason,
                now.to_rfc3339(),
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.journal(&entry.clone().record("transfer", id))?;
        Ok(id)
    })
}

const SELECT: &str = "SELECT id, subject_id, recipient, country, categories, purpose_id, basis,
                             consent_id, basis_ref, transferred_on, override FROM transfer";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Transfer> {
    let country: String = r.get(3)?;
    let cats: String = r.get(4)?;
    let basis: String = r.get(6)?;
    let on: String = r.get(9)?;
    Ok(Transfer {
        id: r.get(0)?,
        subject_id: r.get(1)?,
        recipient: r.get(2)?,
        cross_border: country != HOME,
        country,
        categories: crate::registry::catalog::split_codes(&cats),
        purpose_id: r.get(5)?,
        basis: Basis::parse(&basis).unwrap_or(Basis::Law),
        consent_id: r.get(7)?,
        basis_ref: r.get(8)?,
        transferred_on: crate::base::input::parse_date(&on).unwrap_or_default(),
        override_reason: r.get(10)?,
    })
}

/// The transfers of one person, newest first.
pub fn for_subject(conn: &Connection, subject_id: i64) -> Result<Vec<Transfer>> {
    let mut st = conn.prepare_cached(&format!(
        "{SELECT} WHERE subject_id = ?1 ORDER BY transferred_on DESC, id DESC"
    ))?;
    let rows = st.query_map([subject_id], read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The register for an inspection, oldest first, as a table in `format` (CSV, `.xlsx`, `.ods`)
/// headed in `lang`: the record number rather than the name, whether it went abroad and to a state
/// on the list, on which basis, and any override.
pub fn export(
    conn: &Connection,
    out: &mut dyn std::io::Write,
    format: crate::files::sheet::Format,
    lang: crate::base::language::Language,
) -> Result<u64> {
    use crate::files::sheet::{Cell, Kind};
    let purposes: std::collections::HashMap<i64, String> = conn
        .prepare("SELECT id, code FROM purpose")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let columns = crate::files::sheet::columns(
        lang,
        &[
            ("№", "№", "id", Kind::Number, 7.0),
            ("Дата", "Күні", "date", Kind::Date, 12.0),
            ("№ субъекта", "Субъект №", "subject", Kind::Number, 10.0),
            ("Получатель", "Алушы", "recipient", Kind::Text, 28.0),
            ("Страна", "Ел", "country", Kind::Text, 8.0),
            (
                "Трансграничная",
                "Трансшекаралық",
                "cross-border",
                Kind::Text,
                14.0,
            ),
            (
                "Страна из перечня",
                "Тізімдегі ел",
                "adequate state",
                Kind::Text,
                14.0,
            ),
            ("Категории", "Санаттар", "categories", Kind::Text, 24.0),
            ("Цель", "Мақсат", "purpose", Kind::Text, 16.0),
            ("Основание", "Негіз", "basis", Kind::Text, 12.0),
            ("№ согласия", "Келісім №", "consent", Kind::Number, 10.0),
            (
                "Реквизиты основания",
                "Негіз деректемелері",
                "basis reference",
                Kind::Text,
                22.0,
            ),
            (
                "Обоснование без основания",
                "Негізсіз негіздеме",
                "override",
                Kind::Text,
                30.0,
            ),
        ],
    );
    // The words of the table, in `lang` (the codes stay in the window and the CLI's own output).
    let word = |ru, kk, en| crate::files::sheet::name(lang, ru, kk, en);
    let (yes, no) = (word("да", "иә", "yes"), word("нет", "жоқ", "no"));
    let yes_no = |b: bool| if b { yes.as_str() } else { no.as_str() };
    let bases = [
        (Basis::Consent, word("согласие", "келісім", "consent")),
        (Basis::Contract, word("договор", "шарт", "contract")),
        (Basis::Law, word("закон", "заң", "law")),
    ];
    let basis = |b: Basis| {
        bases
            .iter()
            .find(|(k, _)| *k == b)
            .map_or("", |(_, w)| w.as_str())
    };
    let sheet = crate::files::sheet::name(lang, "Передачи", "Берулер", "Transfers");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY transferred_on, id"))?;
    let mut n = 0;
    for row in st.query_map([], read)? {
        let t = row?;
        let adequate = if t.cross_border {
            yes_no(is_adequate(conn, &t.country)?)
        } else {
            ""
        };
        let cats = t.categories.join(",");
        w.row(&[
            Cell::Int(t.id),
            Cell::Date(Some(t.transferred_on)),
            Cell::Int(t.subject_id),
            Cell::Text(&t.recipient),
            Cell::Text(&t.country),
            Cell::Text(yes_no(t.cross_border)),
            Cell::Text(adequate),
            Cell::Text(&cats),
            Cell::Text(purposes.get(&t.purpose_id).map_or("", String::as_str)),
            Cell::Text(basis(t.basis)),
            t.consent_id.map_or(Cell::Text(""), Cell::Int),
            Cell::Text(&t.basis_ref),
            Cell::Text(t.override_reason.as_deref().unwrap_or("")),
        ])?;
        n += 1;
    }
    w.finish()?;
    Ok(n)
}

/// A state on the list of those protecting personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Country {
    pub code: String,
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
}

pub fn adequate_countries(conn: &Connection) -> Result<Vec<Country>> {
    let mut st =
        conn.prepare_cached("SELECT code, name, note FROM adequate_country ORDER BY code")?;
    let rows = st.query_map([], |r| {
        Ok(Country {
            code: r.get(0)?,
            name: r.get(1)?,
            note: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Puts a state on the list (or changes its name and note).
pub fn add_adequate(vault: &mut Vault, c: &Country, now: DateTime<Utc>) -> Result<()> {
    let code = country_code(&c.code)
        .filter(|x| x != HOME)
        .ok_or_else(|| Error::Invalid(vec![issue("code", "country.code")]))?;
    if c.name.chars().count() > 200 || c.note.chars().count() > 500 {
        return Err(Error::Invalid(vec![issue("name", "text.too_long")]));
    }
    let entry = Entry::new("country.adequate_added").detail(code.clone());
    vault.write(now, &entry, |tx| {
        tx.execute(
            "INSERT INTO adequate_country (code, name, note) VALUES (?1, ?2, ?3)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, note = excluded.note",
            params![code, c.name.trim(), c.note.trim()],
        )?;
        Ok(())
    })
}

pub fn remove_adequate(vault: &mut Vault, code: &str, now: DateTime<Utc>) -> Result<()> {
    let code =
        country_code(code).ok_or_else(|| Error::Invalid(vec![issue("code", "country.code")]))?;
    let entry = Entry::new("country.adequate_removed").detail(code.clone());
    vault.write(now, &entry, |tx| {
        tx.execute("DELETE FROM adequate_country WHERE code = ?1", [&code])?;
        Ok(())
    })
}
