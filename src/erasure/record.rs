//! What an erasure left, read back: the facts of a batch (for its act) and the tombstone of a
//! subject. Below [`crate::documents`], which prints them; [`crate::erasure::order`] writes them.

use crate::error::{Error, Result};
use crate::registry::subject::Status;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Destroy,
    Anonymize,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Action::Destroy => "destroy",
            Action::Anonymize => "anonymize",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [Action::Destroy, Action::Anonymize]
            .into_iter()
            .find(|a| a.name() == s)
    }

    pub(crate) fn status(self) -> Status {
        match self {
            Action::Destroy => Status::Destroyed,
            Action::Anonymize => Status::Anonymized,
        }
    }
}

crate::base::wire::by_name_both!(Action => name);

/// What an anonymization keeps (a destruction keeps nothing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Keep {
    pub birth_year: bool,
    pub sex: bool,
    /// Holdings and consents: category, purpose, basis, dates (their document references go).
    pub holdings: bool,
}

impl Keep {
    pub(crate) fn text(self) -> String {
        let mut v = Vec::new();
        if self.birth_year {
            v.push("birth_year");
        }
        if self.sex {
            v.push("sex");
        }
        if self.holdings {
            v.push("holdings");
        }
        v.join(",")
    }

    pub(crate) fn parse(s: &str) -> Keep {
        let has = |w| s.split(',').any(|x| x == w);
        Keep {
            birth_year: has("birth_year"),
            sex: has("sex"),
            holdings: has("holdings"),
        }
    }
}

/// What stays of a destroyed or anonymized subject.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Tombstone {
    pub subject_id: i64,
    pub action: Action,
    pub done_on: NaiveDate,
    pub basis: String,
    pub request_id: Option<i64>,
    pub act_id: Option<i64>,
    pub act_number: Option<String>,
    /// Codes of the data categories it had.
    pub categories: Vec<String>,
    pub birth_year: Option<i64>,
    pub sex: Option<String>,
}

/// What an act about batch `batch` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFacts {
    pub action: Action,
    pub done_on: NaiveDate,
    pub basis: String,
    pub request_id: Option<i64>,
    pub retention: bool,
    /// The subjects erased as a whole, in id order.
    pub subjects: Vec<i64>,
    /// Subjects who lost single holdings, in id order, and how many holdings in all.
    pub partial: Vec<i64>,
    pub holdings: u64,
    /// Category codes concerned (whole subjects' and single holdings').
    pub categories: Vec<String>,
    pub keep: Keep,
}

pub fn batch_facts(conn: &Connection, batch: i64) -> Result<BatchFacts> {
    let (action, done_on, basis, request_id, origin, kept): (
        String,
        String,
        String,
        Option<i64>,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT action, done_on, basis, request_id, origin, kept FROM erasure_batch WHERE id = ?1",
            [batch],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "erasure",
            id: batch,
        })?;
    let mut subjects = Vec::new();
    let mut categories: Vec<String> = Vec::new();
    {
        let mut st = conn.prepare_cached(
            "SELECT subject_id, categories FROM erasure WHERE batch_id = ?1 ORDER BY subject_id",
        )?;
        let rows = st.query_map([batch], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, cats) = row?;
            subjects.push(id);
            for c in crate::registry::catalog::split_codes(&cats) {
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
        }
    }
    let mut partial = Vec::new();
    let mut holdings = 0u64;
    {
        let mut st = conn.prepare_cached(
            "SELECT h.subject_id, c.code FROM erasure_holding h
             JOIN data_category c ON c.id = h.category_id
             WHERE h.batch_id = ?1 ORDER BY h.subject_id",
        )?;
        let rows = st.query_map([batch], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (id, code) = row?;
            holdings += 1;
            if partial.last() != Some(&id) {
                partial.push(id);
            }
            if !categories.contains(&code) {
                categories.push(code);
            }
        }
    }
    categories.sort();
    Ok(BatchFacts {
        action: Action::parse(&action).ok_or(Error::Damaged)?,
        done_on: crate::base::input::parse_date(&done_on).ok_or(Error::Damaged)?,
        basis,
        request_id,
        retention: origin == "retention",
        subjects,
        partial,
        holdings,
        categories,
        keep: Keep::parse(&kept),
    })
}

/// The tombstone of subject `id`, if it was destroyed or anonymized.
pub fn tombstone(conn: &Connection, id: i64) -> Result<Option<Tombstone>> {
    type Raw = (
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        String,
        Option<i64>,
        Option<String>,
    );
    let raw: Option<Raw> = conn
        .query_row(
            "SELECT b.action, b.done_on, b.basis, b.request_id, b.act_id, l.number, e.categories,
                    s.birth_year, s.sex
             FROM erasure e JOIN erasure_batch b ON b.id = e.batch_id
             JOIN subject s ON s.id = e.subject_id
             LEFT JOIN letter l ON l.id = b.act_id
             WHERE e.subject_id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            },
        )
        .optional()?;
    let Some((action, done_on, basis, request_id, act_id, act_number, cats, birth_year, sex)) = raw
    else {
        return Ok(None);
    };
    Ok(Some(Tombstone {
        subject_id: id,
        action: Action::parse(&action).ok_or(Error::Damaged)?,
        done_on: crate::base::input::parse_date(&done_on).ok_or(Error::Damaged)?,
        basis,
        request_id,
        act_id,
        act_number,
        categories: crate::registry::catalog::split_codes(&cats),
        birth_year,
        sex,
    }))
}
