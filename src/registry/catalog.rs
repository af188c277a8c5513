//! The operator's editable catalogues: the approved list of personal data it processes (перечень),
//! the purposes of processing, and the versions of its privacy policy (policy 12.2).

use crate::error::{Error, FieldIssue, Result};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A catalogue entry with its name in the three languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    /// Purposes only: marketing (consent withdrawals put the subject on the suppression list).
    pub is_marketing: bool,
    /// Purposes only: retention in days, `None` until the purpose is achieved.
    pub retention_days: Option<i64>,
    /// Where the period comes from: `law`, `contract` or `policy` (Art. 12; policy 5.7, 8.8).
    pub retention_source: Option<String>,
    /// The clause that sets it, for an inspector.
    pub retention_note: String,
    /// From a starter kit and not yet confirmed: what to check before relying on the period.
    pub check_note: Option<String>,
}

/// Crosses with its three names as `names: [ru, kk, en]`, the order of the page's language menu.
#[cfg(feature = "serde")]
impl serde::Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Item", 8)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("names", &[&self.name_ru, &self.name_kk, &self.name_en])?;
        st.serialize_field("isMarketing", &self.is_marketing)?;
        st.serialize_field("retentionDays", &self.retention_days)?;
        st.serialize_field("retentionSource", &self.retention_source)?;
        st.serialize_field("retentionNote", &self.retention_note)?;
        st.serialize_field("checkNote", &self.check_note)?;
        st.end()
    }
}

/// Every catalogue the registry's forms choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Catalogs {
    pub categories: Vec<Item>,
    pub purposes: Vec<Item>,
    pub policy_versions: Vec<PolicyVersion>,
    /// Who people are to the operator (patient, customer, employee …).
    pub subject_categories: Vec<Item>,
    /// Retention periods for a purpose and a category of people.
    pub retention_by_category: Vec<CategoryRetention>,
}

/// A retention period of a purpose for one category of people (a medical record of a patient,
/// the same purpose's period for a visitor), with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct CategoryRetention {
    pub purpose_id: i64,
    pub subject_category_id: i64,
    pub days: i64,
    #[cfg_attr(feature = "serde", serde(default))]
    pub source: Option<String>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub note: String,
    /// From a starter kit and not yet confirmed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub check_note: Option<String>,
}

pub fn subject_categories(conn: &Connection) -> Result<Vec<Item>> {
    items(
        conn,
        "SELECT id, code, name_ru, name_kk, name_en, 0, NULL, NULL, '', NULL FROM subject_category ORDER BY id",
    )
}

pub fn retention_by_category(conn: &Connection) -> Result<Vec<CategoryRetention>> {
    let mut st = conn.prepare_cached(
        "SELECT purpose_id, subject_category_id, days, source, note, check_note FROM purpose_retention
         ORDER BY purpose_id, subject_category_id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(CategoryRetention {
            purpose_id: r.get(0)?,
            subject_category_id: r.get(1)?,
            days: r.get(2)?,
            source: r.get(3)?,
            note: r.get(4)?,
            check_note: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets (or, with `days` none, removes) the retention period of a purpose for a category of people.
pub fn set_category_retention(
    vault: &mut Vault,
    purpose_id: i64,
    subject_category_id: i64,
    days: Option<i64>,
    source: Option<&str>,
    note: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut issues = Vec::new();
    if days.is_some_and(|d| !(1..=36_500).contains(&d)) {
        issues.push(FieldIssue {
            field: "retention_days",
            code: "retention.days",
        });
    }
    if source.is_some_and(|s| !["law", "contract", "policy"].contains(&s)) {
        issues.push(FieldIssue {
            field: "retention_source",
            code: "required",
        });
    }
    if note.chars().count() > 500 {
        issues.push(FieldIssue {
            field: "retention_note",
            code: "text.too_long",
        });
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    for (table, id) in [
        ("purpose", purpose_id),
        ("subject_category", subject_category_id),
    ] {
        let found: bool = vault.conn().query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"),
            [id],
            |r| r.get(0),
        )?;
        if !found {
            return Err(Error::NotFound { kind: table, id });
        }
    }
    let entry = Entry::new("catalog.retention_set")
        .record("purpose", purpose_id)
        .detail(format!(
            "subject category {subject_category_id}: {}",
            days.map_or("the purpose's own period".to_owned(), |d| format!(
                "{d} days"
            ))
        ));
    vault.write(now, &entry, |tx| {
        match days {
            Some(d) => tx.execute(
                "INSERT INTO purpose_retention (purpose_id, subject_category_id, days, source, note)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (purpose_id, subject_category_id)
                 DO UPDATE SET days = excluded.days, source = excluded.source, note = excluded.note,
                               check_note = NULL",
                params![purpose_id, subject_category_id, d, source, note.trim()],
            )?,
            None => tx.execute(
                "DELETE FROM purpose_retention WHERE purpose_id = ?1 AND subject_category_id = ?2",
                params![purpose_id, subject_category_id],
            )?,
        };
        Ok(())
    })
}

pub fn all(conn: &Connection) -> Result<Catalogs> {
    Ok(Catalogs {
        categories: categories(conn)?,
        purposes: purposes(conn)?,
        policy_versions: policy_versions(conn)?,
        subject_categories: subject_categories(conn)?,
        retention_by_category: retention_by_category(conn)?,
    })
}

fn items(conn: &Connection, sql: &str) -> Result<Vec<Item>> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([], |r| {
        Ok(Item {
            id: r.get(0)?,
            code: r.get(1)?,
            name_ru: r.get(2)?,
            name_kk: r.get(3)?,
            name_en: r.get(4)?,
            is_marketing: r.get(5)?,
            retention_days: r.get(6)?,
            retention_source: r.get(7)?,
            retention_note: r.get(8)?,
            check_note: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn categories(conn: &Connection) -> Result<Vec<Item>> {
    items(
        conn,
        "SELECT id, code, name_ru, name_kk, name_en, 0, NULL, NULL, '', NULL FROM data_category ORDER BY id",
    )
}

pub fn purposes(conn: &Connection) -> Result<Vec<Item>> {
    items(
        conn,
        "SELECT id, code, name_ru, name_kk, name_en, is_marketing, retention_days, retention_source,
                retention_note, check_note
         FROM purpose ORDER BY id",
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyVersion {
    pub id: i64,
    pub version: String,
    pub effective_from: String,
}

/// Crosses as `[id, version, effective_from]`.
#[cfg(feature = "serde")]
impl serde::Serialize for PolicyVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(self.id, &self.version, &self.effective_from), s)
    }
}

pub fn policy_versions(conn: &Connection) -> Result<Vec<PolicyVersion>> {
    let mut st = conn.prepare_cached(
        "SELECT id, version, effective_from FROM policy_version ORDER BY effective_from DESC",
    )?;
    let rows = st.query_map([], |r| {
        Ok(PolicyVersion {
            id: r.get(0)?,
            version: r.get(1)?,
            effective_from: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// New entry of a catalogue: names in three languages (Russian required; the others default to it).
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub code: String,
    pub name_ru: String,
    pub name_kk: String,
    pub name_en: String,
    pub is_marketing: bool,
    pub retention_days: Option<i64>,
    pub retention_source: Option<String>,
    pub retention_note: String,
}

/// Read from the page as `{code, names: [ru, kk, en], isMarketing, retentionDays,
/// retentionSource, retentionNote}`; an empty source is none.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ItemInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(serde::Deserialize, Default)]
        #[serde(rename_all = "camelCase", default)]
        struct Page {
            code: String,
            names: [String; 3],
            is_marketing: bool,
            retention_days: Option<i64>,
            retention_source: Option<String>,
            retention_note: String,
        }
        let p = Page::deserialize(d)?;
        let [name_ru, name_kk, name_en] = p.names;
        Ok(ItemInput {
            code: p.code,
            name_ru,
            name_kk,
            name_en,
            is_marketing: p.is_marketing,
            retention_days: p.retention_days,
            retention_source: p.retention_source.filter(|s| !s.is_empty()),
            retention_note: p.retention_note,
        })
    }
}

/// Adds an entry to `table` (`id` none) or changes entry `id`; its id.
pub fn save_item(
    vault: &mut Vault,
    table: CatalogTable,
    id: Option<i64>,
    input: &ItemInput,
    now: DateTime<Utc>,
) -> Result<i64> {
    match (id, table) {
        (Some(id), t) => update_item(vault, t, id, input, now).map(|()| id),
        (None, CatalogTable::Category) => add_category(vault, input, now),
        (None, CatalogTable::Purpose) => add_purpose(vault, input, now),
        (None, CatalogTable::SubjectCategory) => add_subject_category(vault, input, now),
    }
}

fn checked(input: &ItemInput) -> Result<(String, String, String, String)> {
    let code: String = input.code.trim().to_lowercase();
    let mut issues = Vec::new();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        issues.push(FieldIssue {
            field: "code",
            code: "code.format",
        });
    }
    let ru = input.name_ru.trim().to_owned();
    if ru.is_empty() {
        issues.push(FieldIssue {
            field: "name_ru",
            code: "required",
        });
    }
    if input
        .retention_days
        .is_some_and(|d| !(1..=36_500).contains(&d))
    {
        issues.push(FieldIssue {
            field: "retention_days",
            code: "retention.days",
        });
    }
    if input
        .retention_source
        .as_deref()
        .is_some_and(|s| !["law", "contract", "policy"].contains(&s))
    {
        issues.push(FieldIssue {
            field: "retention_source",
            code: "required",
        });
    }
    if input.retention_note.chars().count() > 500 {
        issues.push(FieldIssue {
            field: "retention_note",
            code: "text.too_long",
        });
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    let or_ru = |s: &str| {
        if s.trim().is_empty() {
            ru.clone()
        } else {
            s.trim().to_owned()
        }
    };
    Ok((
        code,
        ru.clone(),
        or_ru(&input.name_kk),
        or_ru(&input.name_en),
    ))
}

pub fn add_category(vault: &mut Vault, input: &ItemInput, now: DateTime<Utc>) -> Result<i64> {
    let (code, ru, kk, en) = checked(input)?;
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO data_category (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?3, ?4)",
            params![code, ru, kk, en],
        )
        .map_err(|e| duplicate_code(e, "code"))?;
        let id = tx.last_insert_rowid();
        tx.journal(&Entry::new("catalog.category_added").record("data_category", id))?;
        Ok(id)
    })
}

pub fn add_subject_category(
    vault: &mut Vault,
    input: &ItemInput,
    now: DateTime<Utc>,
) -> Result<i64> {
    let (code, ru, kk, en) = checked(input)?;
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO subject_category (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?3, ?4)",
            params![code, ru, kk, en],
        )
        .map_err(|e| duplicate_code(e, "code"))?;
        let id = tx.last_insert_rowid();
        tx.journal(&Entry::new("catalog.subject_category_added").record("subject_category", id))?;
        Ok(id)
    })
}

pub fn add_purpose(vault: &mut Vault, input: &ItemInput, now: DateTime<Utc>) -> Result<i64> {
    let (code, ru, kk, en) = checked(input)?;
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO purpose (code, name_ru, name_kk, name_en, is_marketing, retention_days,
                                  retention_source, retention_note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                code,
                ru,
                kk,
                en,
                input.is_marketing,
                input.retention_days,
                input.retention_source,
                input.retention_note.trim()
            ],
        )
        .map_err(|e| duplicate_code(e, "code"))?;
        let id = tx.last_insert_rowid();
        tx.journal(&Entry::new("catalog.purpose_added").record("purpose", id))?;
        Ok(id)
    })
}

pub fn add_policy_version(
    vault: &mut Vault,
    version: &str,
    effective_from: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let version = version.trim();
    if version.is_empty() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "version",
            code: "required",
        }]));
    }
    vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO policy_version (version, effective_from) VALUES (?1, ?2)",
            params![version, effective_from.to_string()],
        )
        .map_err(|e| duplicate_code(e, "version"))?;
        let id = tx.last_insert_rowid();
        tx.journal(&Entry::new("catalog.policy_version_added").record("policy_version", id))?;
        Ok(id)
    })
}

fn duplicate_code(e: rusqlite::Error, field: &'static str) -> Error {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        Error::Invalid(vec![FieldIssue {
            field,
            code: "duplicate",
        }])
    } else {
        e.into()
    }
}

/// Changes the names (and, for a purpose, the marketing flag and retention) of an entry; its code
/// stays, since records refer to it.
pub fn update_item(
    vault: &mut Vault,
    table: CatalogTable,
    id: i64,
    input: &ItemInput,
    now: DateTime<Utc>,
) -> Result<()> {
    let (_, ru, kk, en) = checked(&ItemInput {
        code: "x".into(),
        ..input.clone()
    })?;
    let (sql, record) = match table {
        CatalogTable::Category => (
            "UPDATE data_category SET name_ru = ?2, name_kk = ?3, name_en = ?4 WHERE id = ?1",
            "data_category",
        ),
        CatalogTable::Purpose => (
            // Saved by the user: a starter kit's "check before use" is answered.
            "UPDATE purpose SET name_ru = ?2, name_kk = ?3, name_en = ?4, is_marketing = ?5,
                                retention_days = ?6, retention_source = ?7, retention_note = ?8,
                                check_note = NULL
             WHERE id = ?1",
            "purpose",
        ),
        CatalogTable::SubjectCategory => (
            "UPDATE subject_category SET name_ru = ?2, name_kk = ?3, name_en = ?4 WHERE id = ?1",
            "subject_category",
        ),
    };
    let entry = Entry::new("catalog.updated").record(record, id);
    vault.write(now, &entry, |tx| {
        let n = match table {
            CatalogTable::Category | CatalogTable::SubjectCategory => {
                tx.execute(sql, params![id, ru, kk, en])?
            }
            CatalogTable::Purpose => tx.execute(
                sql,
                params![
                    id,
                    ru,
                    kk,
                    en,
                    input.is_marketing,
                    input.retention_days,
                    input.retention_source,
                    input.retention_note.trim()
                ],
            )?,
        };
        if n == 0 {
            return Err(Error::NotFound { kind: record, id });
        }
        Ok(())
    })
}

crate::base::wire::vocab!(CatalogTable {
    Category => "category",
    Purpose => "purpose",
    SubjectCategory => "subject_category",
});

/// Category codes kept in a text column, comma-separated (`transfer`, `breach`, `erasure`).
pub fn split_codes(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The codes of categories `ids`, or `None` when one of them is not in the catalogue.
pub(crate) fn category_codes(conn: &Connection, ids: &[i64]) -> Result<Option<Vec<String>>> {
    let mut st = conn.prepare_cached("SELECT code FROM data_category WHERE id = ?1")?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match st.query_row([id], |r| r.get::<_, String>(0)).optional()? {
            Some(c) => out.push(c),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// The names of categories `codes` in `lang` (a code no longer in the catalogue stands as itself).
pub(crate) fn category_names(
    conn: &Connection,
    codes: &[String],
    lang: crate::base::language::Language,
) -> Result<Vec<String>> {
    let col = match lang {
        crate::base::language::Language::Ru => "name_ru",
        crate::base::language::Language::Kk => "name_kk",
        crate::base::language::Language::En => "name_en",
    };
    let mut st = conn.prepare(&format!("SELECT code, {col} FROM data_category"))?;
    let names: std::collections::HashMap<String, String> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(codes
        .iter()
        .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
        .collect())
}
