//! Text typed by a user or read from a file, turned into values: dates in the three ways offices
//! write them. A value that does not parse is a `FieldIssue` naming the field, never its content.

use crate::error::FieldIssue;
use chrono::NaiveDate;

/// A date typed by a user: empty text gives `default`; anything else must be a date, or it is a
/// `date.format` issue of `field`.
pub fn typed_date(
    raw: &str,
    default: Option<NaiveDate>,
    field: &'static str,
) -> Result<Option<NaiveDate>, FieldIssue> {
    match raw.trim() {
        "" => Ok(default),
        s => parse_date(s).map(Some).ok_or(FieldIssue {
            field,
            code: "date.format",
        }),
    }
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// A person's name as lists and cards show it: the parts that are filled in, in order.
pub fn full_name(surname: &str, given_name: &str, patronymic: &str) -> String {
    [surname, given_name, patronymic]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
