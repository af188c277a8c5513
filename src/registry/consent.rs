//! Consents to processing (Law 94-V Art. 8). Each records what Art. 8 para 4 requires — purpose,
//! term, third parties, cross-border transfer (with countries), publication, the list of data, the
//! version of the privacy policy agreed to — and how it was given. A consent is never overwritten:
//! withdrawal fills its withdrawal fields, a new consent is a new row, so the history stays.
//! An expired consent counts as absent (policy 8.9).

use crate::base::input::{parse_date, typed_date};
use crate::error::{Error, FieldIssue, Result};
use crate::registry::representative::{self, Relation, Representative};
use crate::registry::subject::ensure_editable;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// The first is what the window offers first (most consents are given online).
pub const FORMS: [&str; 4] = ["electronic", "written", "egov", "other"];
pub const CHANNELS: [&str; 6] = ["email", "paper", "in_person", "egov", "phone", "other"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Active,
    Expired,
    Withdrawn,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Active => "active",
            State::Expired => "expired",
            State::Withdrawn => "withdrawn",
        }
    }
}

crate::base::wire::by_name!(State => name);

pub fn state(valid_until: Option<&str>, withdrawn_at: Option<&str>, today: NaiveDate) -> State {
    if withdrawn_at.is_some() {
        State::Withdrawn
    } else if valid_until.and_then(parse_date).is_some_and(|u| u < today) {
        State::Expired
    } else {
        State::Active
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Consent {
    pub id: i64,
    pub purpose_id: i64,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub purpose_code: String,
    pub granted_at: String,
    pub form: String,
    pub policy_version: Option<String>,
    pub valid_until: Option<String>,
    pub third_parties: bool,
    pub cross_border: bool,
    pub countries: String,
    pub published: bool,
    pub data_list: String,
    pub document_ref: String,
    pub withdrawn_at: Option<String>,
    pub withdrawal_channel: Option<String>,
    pub state: State,
    /// Who gave it for the person (a minor's parent, a guardian, an attorney); empty: the person.
    pub representative: Representative,
}

#[derive(Debug, Clone, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct ConsentInput {
    pub purpose_id: i64,
    pub granted_at: String,
    pub form: String,
    pub policy_version_id: Option<i64>,
    pub valid_until: String,
    pub third_parties: bool,
    pub cross_border: bool,
    pub countries: String,
    pub published: bool,
    pub data_list: String,
    pub document_ref: String,
    /// Given by a representative (required under the age of majority).
    pub representative: Representative,
}

pub fn for_subject(conn: &Connection, subject_id: i64, today: NaiveDate) -> Result<Vec<Consent>> {
    let mut st = conn.prepare_cached(
        "SELECT c.id, c.purpose_id, p.code, c.granted_at, c.form, v.version, c.valid_until,
                c.third_parties, c.cross_border, c.countries, c.published, c.data_list,
                c.document_ref, c.withdrawn_at, c.withdrawal_channel, c.rep_name, c.rep_relation,
                c.rep_document, coalesce(c.rep_document_date, '')
         FROM consent c JOIN purpose p ON p.id = c.purpose_id
         LEFT JOIN policy_version v ON v.id = c.policy_version_id
         WHERE c.subject_id = ?1 ORDER BY c.granted_at DESC, c.id DESC",
    )?;
    let rows = st.query_map([subject_id], |r| {
        let valid_until: Option<String> = r.get(6)?;
        let withdrawn_at: Option<String> = r.get(13)?;
        Ok(Consent {
            id: r.get(0)?,
            purpose_id: r.get(1)?,
            purpose_code: r.get(2)?,
            granted_at: r.get(3)?,
            form: r.get(4)?,
            policy_version: r.get(5)?,
            state: state(valid_until.as_deref(), withdrawn_at.as_deref(), today),
            valid_until,
            third_parties: r.get(7)?,
            cross_border: r.get(8)?,
            countries: r.get(9)?,
            published: r.get(10)?,
            data_list: r.get(11)?,
            document_ref: r.get(12)?,
            withdrawn_at,
            withdrawal_channel: r.get(14)?,
            representative: Representative {
                name: r.get(15)?,
                relation: r
                    .get::<_, Option<String>>(16)?
                    .as_deref()
                    .and_then(Relation::parse),
                document: r.get(17)?,
                document_date: r.get(18)?,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A consent checked for subject `subject_id`, ready to be written by [`insert`].
pub(crate) struct Checked {
    granted: NaiveDate,
    until: Option<NaiveDate>,
    rep: Representative,
}

/// Checks a consent for subject `subject_id` as [`record`] writes it: editable subject, purpose,
/// form, dates, countries for a cross-border one, and a representative for a minor.
pub(crate) fn check(
    conn: &Connection,
    subject_id: i64,
    input: &ConsentInput,
    today: NaiveDate,
) -> Result<Checked> {
    ensure_editable(conn, subject_id)?;
    let mut issues = Vec::new();
    let purpose_ok = conn
        .query_row(
            "SELECT 1 FROM purpose WHERE id = ?1",
            [input.purpose_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !purpose_ok {
        issues.push(FieldIssue {
            field: "purpose",
            code: "required",
        });
    }
    if !FORMS.contains(&input.form.as_str()) {
        issues.push(FieldIssue {
            field: "form",
            code: "required",
        });
    }
    let mut date = |raw: &str, default, field| {
        typed_date(raw, default, field).unwrap_or_else(|i| {
            issues.push(i);
            None
        })
    };
    let granted = date(&input.granted_at, Some(today), "granted_at");
    let until = date(&input.valid_until, None, "valid_until");
    if granted.is_some_and(|g| g > today) {
        issues.push(FieldIssue {
            field: "granted_at",
            code: "date.future",
        });
    }
    if let (Some(g), Some(u)) = (granted, until)
        && u < g
    {
        issues.push(FieldIssue {
            field: "valid_until",
            code: "date.before_start",
        });
    }
    if input.cross_border && input.countries.trim().is_empty() {
        // Art. 16 and policy 10.2: a cross-border consent names where the data goes.
        issues.push(FieldIssue {
            field: "countries",
            code: "required",
        });
    }
    let rep = match input.representative.checked() {
        Ok(r) => r,
        Err(i) => {
            issues.extend(i);
            Representative::default()
        }
    };
    if let Some(g) = granted {
        let birth = representative::birth_date(conn, subject_id)?;
        issues.extend(representative::check_minor(
            conn,
            birth,
            g,
            &input.representative,
        )?);
    }
    let Some(granted) = granted.filter(|_| issues.is_empty()) else {
        return Err(Error::Invalid(issues));
    };
    Ok(Checked {
        granted,
        until,
        rep,
    })
}

/// Writes a checked consent and its journal entry in transaction `tx`.
pub(crate) fn insert(
    tx: &crate::vault::Tx<'_>,
    subject_id: i64,
    input: &ConsentInput,
    c: &Checked,
) -> Result<i64> {
    let Checked {
        granted,
        until,
        rep,
    } = c;
    tx.execute(
        "INSERT INTO consent (subject_id, purpose_id, granted_at, form, policy_version_id,
                                  valid_until, third_parties, cross_border, countries, published,
                                  data_list, document_ref, rep_name, rep_relation, rep_document,
                                  rep_document_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        params![
            subject_id,
            input.purpose_id,
            granted.to_string(),
            input.form,
            input.policy_version_id,
            until.map(|d| d.to_string()),
            input.third_parties,
            input.cross_border,
            input.countries.trim(),
            input.published,
            input.data_list.trim(),
            input.document_ref.trim(),
            rep.name,
            rep.relation.map(Relation::name),
            rep.document,
            (!rep.document_date.is_empty()).then_some(rep.document_date.as_str())
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.journal(
        &Entry::new("consent.recorded")
            .record("subject", subject_id)
            .detail(format!("consent {id}")),
    )?;
    Ok(id)
}

/// Records a consent given by a subject (or by their representative).
pub fn record(
    vault: &mut Vault,
    subject_id: i64,
    input: &ConsentInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let checked = check(vault.conn(), subject_id, input, today)?;
    vault.transact(now, |tx| insert(tx, subject_id, input, &checked))
}

/// Records the withdrawal of a consent (Art. 8 para 5; policy 8.4), on a date and through a channel.
pub fn withdraw(
    vault: &mut Vault,
    consent_id: i64,
    on: NaiveDate,
    channel: &str,
    request_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row: Option<(i64, Option<String>, String)> = vault
        .conn()
        .query_row(
            "SELECT subject_id, withdrawn_at, granted_at FROM consent WHERE id = ?1",
            [consent_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (subject_id, withdrawn, granted) = row.ok_or(Error::NotFound {
        kind: "consent",
        id: consent_id,
    })?;
    if withdrawn.is_some() {
        return Err(Error::AlreadyWithdrawn { id: consent_id });
    }
    if !CHANNELS.contains(&channel) {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "channel",
            code: "required",
        }]));
    }
    if parse_date(&granted).is_some_and(|g| on < g) {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "withdrawn_at",
            code: "date.before_start",
        }]));
    }
    let mut entry = Entry::new("consent.withdrawn")
        .record("subject", subject_id)
        .detail(format!("consent {consent_id}"));
    if let Some(r) = request_id {
        entry = entry.request(r);
    }
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE consent SET withdrawn_at = ?2, withdrawal_channel = ?3 WHERE id = ?1",
            params![consent_id, on.to_string(), channel],
        )?;
        Ok(())
    })
}

/// Withdraws consent `consent_id` of subject `subject_id` (in force, channel checked by the caller)
/// in transaction `tx`, with its journal entry.
pub(crate) fn withdraw_in(
    tx: &crate::vault::Tx<'_>,
    subject_id: i64,
    consent_id: i64,
    on: NaiveDate,
    channel: &str,
) -> Result<()> {
    tx.execute(
        "UPDATE consent SET withdrawn_at = ?2, withdrawal_channel = ?3 WHERE id = ?1",
        params![consent_id, on.to_string(), channel],
    )?;
    tx.journal(
        &Entry::new("consent.withdrawn")
            .record("subject", subject_id)
            .detail(format!("consent {consent_id}")),
    )?;
    Ok(())
}
