//! Who acts for a person: a parent, a guardian, or an attorney with a power of attorney (Law 94-V
//! Art. 8 para 1: "the subject or his legal representative gives (withdraws) consent"; the
//! policy, 3.2: the operator answers subjects and their legal representatives). A consent given
//! for someone under the age of majority names who gave it; that age is editable data with its
//! source (`majority.age`, `majority.source`; docs/domain.md §8).

use crate::base::input::typed_date;
use crate::error::{FieldIssue, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension};

crate::base::wire::vocab!(
    /// How the representative stands to the person.
    Relation {
        Parent => "parent",
        Guardian => "guardian",
        /// By a power of attorney, whose number and date are recorded.
        Attorney => "attorney",
    }
);

/// A representative as typed or stored; all empty: the person acted alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Representative {
    pub name: String,
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::base::wire::known_or_none")
    )]
    pub relation: Option<Relation>,
    /// The power of attorney's number (an attorney only).
    pub document: String,
    /// Its date, `YYYY-MM-DD` once stored.
    pub document_date: String,
}

impl Representative {
    pub fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.relation.is_none()
            && self.document.trim().is_empty()
            && self.document_date.trim().is_empty()
    }

    /// The representative checked, with the power of attorney's date as stored; the issues name
    /// the fields (`representative_name`, `representative_relation`, …).
    pub fn checked(&self) -> std::result::Result<Representative, Vec<FieldIssue>> {
        if self.is_empty() {
            return Ok(Representative::default());
        }
        let mut issues = Vec::new();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            issues.push(FieldIssue {
                field: "representative_name",
                code: "required",
            });
        }
        if name.chars().count() > 200 {
            issues.push(FieldIssue {
                field: "representative_name",
                code: "text.too_long",
            });
        }
        if self.relation.is_none() {
            issues.push(FieldIssue {
                field: "representative_relation",
                code: "required",
            });
        }
        let date = match typed_date(&self.document_date, None, "representative_document_date") {
            Ok(d) => d,
            Err(i) => {
                issues.push(i);
                None
            }
        };
        // An attorney acts by a power of attorney: its number and date are what an inspector
        // asks for.
        if self.relation == Some(Relation::Attorney) {
            if self.document.trim().is_empty() {
                issues.push(FieldIssue {
                    field: "representative_document",
                    code: "required",
                });
            }
            if date.is_none() && self.document_date.trim().is_empty() {
                issues.push(FieldIssue {
                    field: "representative_document_date",
                    code: "required",
                });
            }
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        Ok(Representative {
            name,
            relation: self.relation,
            document: self.document.trim().to_owned(),
            document_date: date.map(|d| d.to_string()).unwrap_or_default(),
        })
    }
}

/// The age of majority the vault is set to (18 unless changed: `majority.age`).
pub fn majority_age(conn: &Connection) -> Result<u32> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM setting WHERE key = 'majority.age'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| s.trim().parse().ok()).unwrap_or(18))
}

/// Full years from `birth` to `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut years = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// A person's birth date as the registry knows it: the one recorded, else the IIN's.
pub fn birth_date(conn: &Connection, subject_id: i64) -> Result<Option<NaiveDate>> {
    let row: Option<(Option<String>, Option<String>)> = conn
        .query_row(
            "SELECT birth_date, iin FROM subject WHERE id = ?1",
            [subject_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((birth, iin)) = row else {
        return Ok(None);
    };
    Ok(birth
        .as_deref()
        .and_then(crate::base::input::parse_date)
        .or_else(|| {
            iin.as_deref()
                .and_then(|i| crate::Iin::parse(i).ok())
                .map(|i| i.birth_date())
        }))
}

/// Refuses a consent given on `day` by a minor alone: under the age of majority, a
/// representative gives it (Art. 8 para 1).
pub fn check_minor(
    conn: &Connection,
    birth: Option<NaiveDate>,
    day: NaiveDate,
    rep: &Representative,
) -> Result<Option<FieldIssue>> {
    let Some(birth) = birth else {
        return Ok(None);
    };
    let age = age_on(birth, day);
    Ok(
        (rep.is_empty() && age < majority_age(conn)? as i32).then_some(FieldIssue {
            field: "representative_name",
            code: "consent.minor_needs_representative",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_counts_full_years() {
        assert_eq!(age_on(d(2008, 12, 5), d(2026, 12, 4)), 17);
        assert_eq!(age_on(d(2008, 12, 4), d(2026, 12, 4)), 18);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(age_on(d(2008, 2, 29), d(2026, 3, 1)), 18);
    }

    #[test]
    fn a_representative_is_named_with_the_relation_and_an_attorney_with_the_power() {
        assert_eq!(
            Representative::default().checked(),
            Ok(Representative::default())
        );
        let parent = Representative {
            name: "  Нұрланова   Гүлмира ".into(),
            relation: Some(Relation::Parent),
            ..Default::default()
        };
        assert_eq!(parent.checked().unwrap().name, "Нұрланова Гүлмира");
        let fields = |r: Representative| {
            r.checked()
                .unwrap_err()
                .into_iter()
                .map(|i| i.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(Representative {
                name: "Кто-то".into(),
                ..Default::default()
            }),
            ["representative_relation"]
        );
        assert_eq!(
            fields(Representative {
                name: "Адвокат".into(),
                relation: Some(Relation::Attorney),
                ..Default::default()
            }),
            ["representative_document", "representative_document_date"]
        );
        let attorney = Representative {
            name: "Адвокат".into(),
            relation: Some(Relation::Attorney),
            document: "ДВ-17".into(),
            document_date: "01.02.2026".into(),
        };
        assert_eq!(attorney.checked().unwrap().document_date, "2026-02-01");
    }
}
