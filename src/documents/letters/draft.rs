//! A document before it is issued, what it is made from and what the user changed in it.

use crate::base::language::Language;
use crate::documents::letters::kind::Kind;
use crate::files::pdf::TableSpec;

/// What a document is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Source {
    pub kind: Kind,
    pub lang: Language,
    #[cfg_attr(feature = "serde", serde(default))]
    pub request_id: Option<i64>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub subject_id: Option<i64>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub period: Option<crate::requests::report::Period>,
    /// The issued document this one corrects.
    #[cfg_attr(feature = "serde", serde(default))]
    pub corrects: Option<i64>,
    /// For an act: the destruction or anonymization it records (`erasure_batch`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub erasure: Option<i64>,
    /// For a breach notice: the incident (`breach`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub breach: Option<i64>,
}

/// A table with a caption above it.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Captioned {
    pub caption: String,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub table: TableSpec,
}

/// A document before it is issued.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Draft {
    #[cfg_attr(feature = "serde", serde(skip))]
    pub source: Source,
    /// The addressee block, a line each; the first line names the addressee in the register.
    pub addressee: Vec<String>,
    /// Lines under the outgoing number: the request answered.
    pub reference: Vec<String>,
    pub title: String,
    pub salutation: String,
    pub intro: Vec<String>,
    pub tables: Vec<Captioned>,
    pub outro: Vec<String>,
    /// (role or position, name) signature lines.
    pub signatures: Vec<(String, String)>,
    /// The corrected document's number, printed under the heading.
    pub corrects_number: Option<String>,
    /// What the user must see before issuing it: `(code, how many)`, e.g. holdings an extract
    /// shows on a consent no longer in force (`letter.basis_ended`).
    pub warnings: Vec<(&'static str, usize)>,
    /// The version of the user's wording it was drafted from (`None`: the built-in wording).
    pub template_version: Option<i64>,
}

/// What the user changed in a draft; `None` keeps the wording Derbes proposed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Edits {
    pub addressee: Option<Vec<String>>,
    pub title: Option<String>,
    pub salutation: Option<String>,
    pub intro: Option<Vec<String>>,
    pub outro: Option<Vec<String>>,
    /// The user has seen the draft's warnings and issues it as it is.
    pub accept_warnings: bool,
}
