//! The wording of each document kind per language, editable (issue 19): the heading, the
//! paragraphs before the tables and after them, with variables the draft fills in — `{name}`,
//! `{request}`, `{received}`, `{incoming}`, `{due}`, `{date}`, `{operator}`, `{authority}`,
//! `{clause}` (the article or policy clause the document rests on). Every
//! save is a new version kept in the vault; a reset is a version that goes back to the built-in
//! wording ([`super::wording`]). A letter records the version it was drafted from (NULL: the
//! built-in text). Acts and the period report keep their fixed wording: what they state comes from
//! the vault, not from a text.

use super::kind::Kind;
use super::wording as w;
use crate::base::language::Language;
use crate::error::{Error, FieldIssue, Result};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// The variables a template may use, and what each is filled with.
pub const VARIABLES: [&str; 9] = [
    "name",
    "request",
    "received",
    "incoming",
    "due",
    "date",
    "operator",
    "authority",
    "clause",
];

const MAX_PARAGRAPH: usize = 5000;
const MAX_PARAGRAPHS: usize = 40;

/// Whether a kind's wording can be edited.
pub fn editable(kind: Kind) -> bool {
    !kind.is_act() && kind != Kind::PeriodReport
}

/// A kind's wording in one language: the built-in one (`version` `None`) or a saved version.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Template {
    pub kind: Kind,
    pub lang: Language,
    pub version: Option<i64>,
    pub title: String,
    pub intro: Vec<String>,
    pub outro: Vec<String>,
}

/// One version of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Version {
    pub version: i64,
    pub created_at: String,
    /// Back to the built-in wording.
    pub reset: bool,
}

/// The built-in wording with its variables in place of the values.
pub fn builtin(kind: Kind, lang: Language) -> Template {
    let intro = if kind == Kind::ClarificationRequest {
        w::waiting_for(lang, false, "{request}")
    } else {
        w::intro(kind, lang, "{request}", "{operator}", "{date}")
    };
    Template {
        kind,
        lang,
        version: None,
        title: w::title(kind, lang).to_owned(),
        intro,
        outro: w::outro(kind, lang, "{authority}"),
    }
}

fn split(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// The wording in force: the newest saved version, unless it is a reset; else the built-in one.
pub fn current(conn: &Connection, kind: Kind, lang: Language) -> Result<Template> {
    // (version, title, intro, outro); a NULL title is a reset.
    type Saved = (i64, Option<String>, Option<String>, Option<String>);
    let row: Option<Saved> = conn
        .prepare_cached(
            "SELECT version, title, intro, outro FROM letter_template
             WHERE kind = ?1 AND lang = ?2 ORDER BY version DESC LIMIT 1",
        )?
        .query_row(params![kind.name(), lang.code()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    Ok(match row {
        Some((version, Some(title), intro, outro)) => Template {
            kind,
            lang,
            version: Some(version),
            title,
            intro: split(intro),
            outro: split(outro),
        },
        _ => builtin(kind, lang),
    })
}

/// Every version, newest first.
pub fn history(conn: &Connection, kind: Kind, lang: Language) -> Result<Vec<Version>> {
    Ok(conn
        .prepare_cached(
            "SELECT version, created_at, title IS NULL FROM letter_template
             WHERE kind = ?1 AND lang = ?2 ORDER BY version DESC",
        )?
        .query_map(params![kind.name(), lang.code()], |r| {
            Ok(Version {
                version: r.get(0)?,
                created_at: r.get(1)?,
                reset: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn issue(field: &'static str, code: &'static str) -> FieldIssue {
    FieldIssue { field, code }
}

/// The problems of a text: a `{variable}` that is not one, a brace left open, too long.
fn check_text(field: &'static str, text: &str, issues: &mut Vec<FieldIssue>) {
    if text.chars().count() > MAX_PARAGRAPH {
        issues.push(issue(field, "text.too_long"));
    }
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            issues.push(issue(field, "template.brace"));
            return;
        };
        let name = &after[..close];
        if !VARIABLES.contains(&name) {
            issues.push(issue(field, "template.unknown_variable"));
            return;
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        issues.push(issue(field, "template.brace"));
    }
}

fn not_editable() -> Error {
    Error::Invalid(vec![issue("kind", "template.not_editable")])
}

/// Saves a new version of a kind's wording; returns its number. The same text as in force
/// writes nothing and returns the version in force.
pub fn save(
    vault: &mut Vault,
    kind: Kind,
    lang: Language,
    title: &str,
    intro: &[String],
    outro: &[String],
    now: DateTime<Utc>,
) -> Result<i64> {
    if !editable(kind) {
        return Err(not_editable());
    }
    let clean = |ps: &[String]| -> Vec<String> {
        ps.iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect()
    };
    let (title, intro, outro) = (title.trim().to_owned(), clean(intro), clean(outro));
    let mut issues = Vec::new();
    if title.is_empty() {
        issues.push(issue("title", "required"));
    }
    check_text("title", &title, &mut issues);
    if intro.is_empty() {
        issues.push(issue("intro", "required"));
    }
    if intro.len() + outro.len() > MAX_PARAGRAPHS {
        issues.push(issue("intro", "letter.too_many_paragraphs"));
    }
    for p in &intro {
        check_text("intro", p, &mut issues);
    }
    for p in &outro {
        check_text("outro", p, &mut issues);
    }
    if !issues.is_empty() {
        issues.dedup();
        return Err(Error::Invalid(issues));
    }
    let now_in_force = current(vault.conn(), kind, lang)?;
    if now_in_force.title == title && now_in_force.intro == intro && now_in_force.outro == outro {
        return Ok(now_in_force.version.unwrap_or(0));
    }
    vault.transact(now, |tx| {
        let version: i64 = tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM letter_template WHERE kind = ?1 AND lang = ?2",
            params![kind.name(), lang.code()],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO letter_template (kind, lang, version, title, intro, outro, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                kind.name(),
                lang.code(),
                version,
                title,
                intro.join("\n\n"),
                outro.join("\n\n"),
                now.to_rfc3339()
            ],
        )?;
        tx.journal(
            &Entry::new("template.saved").detail(format!("{} {} v{version}", kind.name(), lang.code())),
        )?;
        Ok(version)
    })
}

/// Back to the built-in wording, as a new version of the history.
pub fn reset(vault: &mut Vault, kind: Kind, lang: Language, now: DateTime<Utc>) -> Result<i64> {
    if !editable(kind) {
        return Err(not_editable());
    }
    if current(vault.conn(), kind, lang)?.version.is_none() {
        return Ok(0);
    }
    vault.transact(now, |tx| {
        let version: i64 = tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM letter_template WHERE kind = ?1 AND lang = ?2",
            params![kind.name(), lang.code()],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO letter_template (kind, lang, version, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![kind.name(), lang.code(), version, now.to_rfc3339()],
        )?;
        tx.journal(
            &Entry::new("template.reset").detail(format!("{} {} v{version}", kind.name(), lang.code())),
        )?;
        Ok(version)
    })
}

/// The values of the variables for one draft.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub name: String,
    pub request: String,
    pub received: String,
    pub incoming: String,
    pub due: String,
    pub date: String,
    pub operator: String,
    pub authority: String,
    pub clause: String,
}

impl Values {
    /// Sample values, for the preview in Settings.
    pub fn sample(kind: Kind, lang: Language) -> Values {
        Values {
            name: "Әбілқасымова Әйгерім Серікқызы".to_owned(),
            request: w::request_phrase(lang, "20.11.2026", "ВХ-17"),
            received: "20.11.2026".to_owned(),
            incoming: "ВХ-17".to_owned(),
            due: "27.11.2026".to_owned(),
            date: "25.11.2026".to_owned(),
            operator: "ТОО «Қызғалдақ Сервис»".to_owned(),
            authority:
                "Министерство цифрового развития, инноваций и аэрокосмической промышленности РК"
                    .to_owned(),
            clause: w::clause(kind, lang).to_owned(),
        }
    }
}

/// `text` with each `{variable}` replaced by its value (one pass: a value holding braces stays
/// as it is).
pub fn fill(text: &str, v: &Values) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let value = match &after[..close] {
                "name" => &v.name,
                "request" => &v.request,
                "received" => &v.received,
                "incoming" => &v.incoming,
                "due" => &v.due,
                "date" => &v.date,
                "operator" => &v.operator,
                "authority" => &v.authority,
                "clause" => &v.clause,
                _ => return None,
            };
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A template filled with the sample values: what Settings shows as its preview.
pub fn preview(t: &Template) -> Template {
    let v = Values::sample(t.kind, t.lang);
    Template {
        title: fill(&t.title, &v),
        intro: t.intro.iter().map(|p| fill(p, &v)).collect(),
        outro: t.outro.iter().map(|p| fill(p, &v)).collect(),
        ..t.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_filled_once_and_unknown_ones_refused() {
        let v = Values {
            name: "{date}".into(),
            date: "25.11.2026".into(),
            ..Values::default()
        };
        assert_eq!(fill("{name} — {date} {x}", &v), "{date} — 25.11.2026 {x}");
        let mut issues = Vec::new();
        check_text("intro", "Уважаемый {nme}", &mut issues);
        check_text("outro", "открыта {date", &mut issues);
        assert_eq!(
            issues.iter().map(|i| i.code).collect::<Vec<_>>(),
            ["template.unknown_variable", "template.brace"]
        );
    }

    #[test]
    fn every_built_in_wording_uses_known_variables_only() {
        for kind in Kind::ALL.iter().copied().filter(|k| editable(*k)) {
            for lang in [Language::Ru, Language::Kk, Language::En] {
                let t = builtin(kind, lang);
                let mut issues = Vec::new();
                for p in t.intro.iter().chain(&t.outro) {
                    check_text("intro", p, &mut issues);
                }
                assert!(issues.is_empty(), "{kind:?} {lang:?}: {issues:?}");
            }
        }
    }
}
