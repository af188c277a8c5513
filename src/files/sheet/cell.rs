//! The cells, columns and sheet names every table writer shares (CSV, .xlsx, .ods).

use crate::base::language::Language;
use crate::error::Result;
use chrono::NaiveDate;

/// What a column holds: text (identifiers included, so no spreadsheet turns them into numbers),
/// dates, or numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Number,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: Kind,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: Kind, width: f64) -> Column {
        Column {
            header: header.into(),
            kind,
            width,
        }
    }
}

/// Columns from `(ru, kk, en, kind, width)`, headed in `lang`.
pub fn columns(lang: Language, spec: &[(&str, &str, &str, Kind, f64)]) -> Vec<Column> {
    use Language::*;
    spec.iter()
        .map(|(ru, kk, en, kind, width)| {
            let h = match lang {
                Ru => ru,
                Kk => kk,
                En => en,
            };
            Column::new(*h, *kind, *width)
        })
        .collect()
}

/// A sheet's name in `lang`.
pub fn name(lang: Language, ru: &str, kk: &str, en: &str) -> String {
    match lang {
        Language::Ru => ru,
        Language::Kk => kk,
        Language::En => en,
    }
    .to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    Int(i64),
}

/// A table being written.
pub trait Out {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// A sheet name Excel and LibreOffice both accept: at most 31 characters, none of `[]:*?/\'`
/// or control characters, not empty.
pub(crate) fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .filter(|c| !c.is_control())
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Derbes".to_owned()
    } else {
        clean
    }
}

/// Excel's limit on the rows of a sheet (LibreOffice's too, before 7.4).
pub(crate) const MAX_ROWS: u32 = 1_048_576;
