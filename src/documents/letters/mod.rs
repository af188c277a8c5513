//! Letters and acts on the operator's letterhead, and their register (issue 6).
//!
//! A [`Draft`] is made from the vault for a [`Source`] (a request, a subject, a period) in one of
//! three languages; the user may edit its addressee, heading and paragraphs ([`Edits`]); [`issue`]
//! then gives it the next outgoing number of the year, renders the PDF and stores those exact bytes
//! in the vault, in one transaction with its journal entry. An issued document never changes
//! (the table's triggers refuse it); a correction is a new document that names the one it corrects.
//! The tables of a document (the extract, the act's fields, the report) always come from the vault
//! when it is issued, never from what the window sent.

mod content;
pub mod draft;
pub mod kind;
pub(crate) mod layout;
pub mod reply;
pub mod template;
pub mod wording;

pub use draft::{Captioned, Draft, Edits, Source};
pub use kind::Kind;

use crate::base::language::Language;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::vault::journal::Entry;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The documents that answer a request of this kind, the usual one first, then the letters between
/// request and answer (acknowledgement, extension, clarification).
pub fn kinds_for(kind: RequestKind) -> Vec<Kind> {
    let mut out = answers_for(kind).to_vec();
    if kind != RequestKind::Breach {
        out.extend([
            Kind::Acknowledgement,
            Kind::ExtensionNotice,
            Kind::ClarificationRequest,
        ]);
    }
    out
}

/// The documents that answer a request of this kind, the usual one first.
pub fn answers_for(kind: RequestKind) -> &'static [Kind] {
    use Kind as K;
    match kind {
        // Someone not in the registry still gets an answer in the term: nothing is held (Art. 25).
        RequestKind::Access => &[K::AccessExtract, K::NoData, K::Refusal],
        RequestKind::Update => &[K::ConfirmUpdate, K::Refusal],
        RequestKind::Block => &[K::ConfirmBlock, K::Refusal],
        RequestKind::Unblock => &[K::ConfirmUnblock, K::Refusal],
        // Acts are issued by carrying the destruction or anonymization out (`erasure.rs`).
        RequestKind::Destroy => &[K::Refusal],
        RequestKind::WithdrawConsent => &[K::ConfirmWithdrawal, K::Refusal],
        RequestKind::RefuseMarketing => &[K::ConfirmMarketing],
        RequestKind::StopProcessing => &[K::ConfirmBlock, K::Refusal],
        RequestKind::Authority => &[K::AuthorityAnswer],
        RequestKind::Breach => &[],
        // Policy 12.1: other requests and appeals get a plain answer.
        RequestKind::Other => &[K::Answer, K::Refusal],
    }
}

/// Whether a journal entry of `action` names request `request_id`: what was carried out for it.
fn journaled_for(conn: &Connection, request_id: i64, action: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM journal WHERE request_id = ?1 AND action = ?2 LIMIT 1")?
        .exists(params![request_id, action])?)
}

fn not_applicable(code: &'static str) -> Error {
    Error::LetterNotApplicable { code }
}

/// Refuses a document that would state what the vault does not show (issue 15): a confirmation
/// needs its action recorded on that request, the vault's state to still agree, and the request
/// not refused; a reasoned refusal needs the request refused; the answer that nothing is held needs
/// a requester nobody in the registry matches. Each refusal has its own code naming what is missing.
pub fn check_applies(
    conn: &Connection,
    kind: Kind,
    request: Option<&crate::requests::request::Request>,
    subject_id: Option<i64>,
) -> Result<()> {
    use crate::requests::request::RequestStatus;
    if request.is_some_and(|r| r.status == RequestStatus::Cancelled) {
        return Err(not_applicable("letter.request_cancelled"));
    }
    let confirms = matches!(
        kind,
        Kind::ConfirmUpdate
            | Kind::ConfirmBlock
            | Kind::ConfirmUnblock
            | Kind::ConfirmWithdrawal
            | Kind::ConfirmMarketing
    );
    if confirms {
        let Some(r) = request else {
            return Err(not_applicable("letter.request_needed"));
        };
        if r.status == RequestStatus::Refused {
            return Err(not_applicable("letter.request_refused"));
        }
        let status = match subject_id {
            Some(id) => Some(crate::registry::subject::status_of(conn, id)?),
            None => None,
        };
        use crate::registry::subject::Status;
        // The subject's refusal with this request, or (a sender not in the registry) the
        // stop-list's entry from it.
        let on_list = || -> Result<bool> {
            Ok(conn
                .prepare_cached(
                    "SELECT 1 FROM marketing_refusal WHERE request_id = ?1 AND revoked_at IS NULL",
                )?
                .exists([r.id])?
                || crate::registry::stop_list::has_request(conn, r.id)?)
        };
        let missing = match kind {
            Kind::ConfirmUpdate => (!journaled_for(conn, r.id, "subject.updated")?)
                .then_some("letter.no_update_recorded"),
            Kind::ConfirmBlock if !journaled_for(conn, r.id, "subject.blocked")? => {
                Some("letter.no_block_recorded")
            }
            Kind::ConfirmBlock => (status != Some(Status::Blocked)).then_some("letter.not_blocked"),
            Kind::ConfirmUnblock if !journaled_for(conn, r.id, "subject.unblocked")? => {
                Some("letter.no_unblock_recorded")
            }
            Kind::ConfirmUnblock => {
                (status != Some(Status::Active)).then_some("letter.still_blocked")
            }
            Kind::ConfirmWithdrawal => (!journaled_for(conn, r.id, "consent.withdrawn")?)
                .then_some("letter.no_withdrawal_recorded"),
            Kind::ConfirmMarketing => (!on_list()?).then_some("letter.no_refusal_recorded"),
            _ => None,
        };
        if let Some(code) = missing {
            return Err(not_applicable(code));
        }
    }
    if kind.is_interim() {
        let Some(r) = request else {
            return Err(not_applicable("letter.request_needed"));
        };
        // Said only of an open request, and only what it shows: its extension, its wait.
        if !matches!(r.status, RequestStatus::New | RequestStatus::InProgress) {
            return Err(not_applicable("letter.request_closed"));
        }
        let waiting = r.pauses.last().is_some_and(|p| p.until_on.is_none());
        match kind {
            Kind::ExtensionNotice if r.extended_to.is_none() => {
                return Err(not_applicable("letter.no_extension_recorded"));
            }
            Kind::ClarificationRequest if !waiting => {
                return Err(not_applicable("letter.request_not_waiting"));
            }
            _ => {}
        }
    }
    match kind {
        Kind::Refusal if request.is_some_and(|r| r.status != RequestStatus::Refused) => {
            return Err(not_applicable("letter.request_not_refused"));
        }
        Kind::NoData => {
            let Some(r) = request else {
                return Err(not_applicable("letter.request_needed"));
            };
            if subject_id.is_some() {
                return Err(not_applicable("letter.subject_registered"));
            }
            let sender = crate::base::contact::normalize_email(&r.sender);
            if let Some(email) = sender {
                let matched: bool = conn
                    .prepare_cached(
                        "SELECT 1 FROM contact WHERE kind = 'email' AND normalized = ?1",
                    )?
                    .exists([email])?;
                if matched {
                    return Err(not_applicable("letter.sender_registered"));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether each document answering request `id` can be issued now: `None` if it can, else the
/// code of what is missing (the window offers only those that apply and says why of the others).
/// A document that answers a request, and why it cannot be issued now (`None`: it can).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Offer {
    pub kind: Kind,
    pub why: Option<&'static str>,
}

/// [`applicable_for`] as offers, the usual one first.
pub fn offers(conn: &Connection, request_id: i64, today: NaiveDate) -> Result<Vec<Offer>> {
    Ok(applicable_for(conn, request_id, today)?
        .into_iter()
        .map(|(kind, why)| Offer { kind, why })
        .collect())
}

pub fn applicable_for(
    conn: &Connection,
    request_id: i64,
    today: NaiveDate,
) -> Result<Vec<(Kind, Option<&'static str>)>> {
    let r = crate::requests::request::get(conn, request_id, today)?;
    let mut out = Vec::new();
    for k in kinds_for(r.kind) {
        let why = match check_applies(conn, k, Some(&r), r.subject_id) {
            Ok(()) => None,
            Err(Error::LetterNotApplicable { code }) => Some(code),
            Err(e) => return Err(e),
        };
        out.push((k, why));
    }
    Ok(out)
}

const MAX_PARAGRAPH: usize = 5000;
const MAX_PARAGRAPHS: usize = 60;

fn required(field: &'static str) -> Error {
    Error::Invalid(vec![FieldIssue {
        field,
        code: "required",
    }])
}

/// The draft Derbes proposes for `source`, from the vault as it is `today`.
pub fn draft(conn: &Connection, source: &Source, today: NaiveDate) -> Result<Draft> {
    let request = source
        .request_id
        .map(|id| crate::requests::request::get(conn, id, today))
        .transpose()?;
    let subject_id = source
        .subject_id
        .or(request.as_ref().and_then(|r| r.subject_id));
    if source.kind.needs_subject() && subject_id.is_none() {
        return Err(required("subject"));
    }
    match source.kind {
        k if k.is_act() && source.erasure.is_none() => return Err(required("erasure")),
        k if k.is_act() => {}
        Kind::BreachNotice if source.breach.is_none() => return Err(required("breach")),
        Kind::BreachNotice => {}
        Kind::PeriodReport if source.period.is_none() => return Err(required("period")),
        Kind::PeriodReport => {}
        Kind::AuthorityAnswer | Kind::Refusal | Kind::NoData | Kind::Answer
            if request.is_none() =>
        {
            return Err(required("request"));
        }
        _ if request.is_none() && subject_id.is_none() => return Err(required("request")),
        _ => {}
    }
    let corrects_number = source
        .corrects
        .map(|id| row(conn, id).map(|r| r.number))
        .transpose()?;
    check_applies(conn, source.kind, request.as_ref(), subject_id)?;
    let head = crate::documents::letterhead::load(conn)?;
    let mut d = content::make(conn, source, request.as_ref(), subject_id, &head, today)?;
    d.corrects_number = corrects_number;
    if let (Kind::AccessExtract, Some(sid)) = (source.kind, subject_id) {
        let ended = basis_ended(conn, sid, today)?;
        if ended > 0 {
            d.warnings.push(("letter.basis_ended", ended));
        }
    }
    Ok(d)
}

/// Holdings of subject `id` whose basis is consent while no consent for their purpose is in force
/// on `today` (expired or withdrawn): an extract would list them as held on a basis that has ended.
fn basis_ended(conn: &Connection, id: i64, today: NaiveDate) -> Result<usize> {
    let consents = crate::registry::consent::for_subject(conn, id, today)?;
    let ended = crate::registry::holding::for_subject(conn, id)?
        .iter()
        .filter(|h| h.basis == "consent")
        .filter(|h| {
            !consents.iter().any(|c| {
                c.purpose_id == h.purpose_id && c.state == crate::registry::consent::State::Active
            })
        })
        .count();
    Ok(ended)
}

fn clean_lines(v: &[String]) -> Vec<String> {
    v.iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Applies the user's edits, refusing text too long to be a letter.
pub fn apply(mut d: Draft, edits: &Edits) -> Result<Draft> {
    let too_long = |field| {
        Error::Invalid(vec![FieldIssue {
            field,
            code: "text.too_long",
        }])
    };
    if let Some(a) = &edits.addressee {
        if a.len() > 8 || a.iter().any(|l| l.chars().count() > 300) {
            return Err(too_long("addressee"));
        }
        d.addressee = clean_lines(a);
    }
    if let Some(t) = &edits.title {
        if t.chars().count() > 300 {
            return Err(too_long("title"));
        }
        d.title = t.trim().to_owned();
    }
    if let Some(s) = &edits.salutation {
        if s.chars().count() > 300 {
            return Err(too_long("salutation"));
        }
        d.salutation = s.trim().to_owned();
    }
    for (field, src, dst) in [
        ("intro", &edits.intro, &mut d.intro),
        ("outro", &edits.outro, &mut d.outro),
    ] {
        if let Some(p) = src {
            if p.len() > MAX_PARAGRAPHS || p.iter().any(|x| x.chars().count() > MAX_PARAGRAPH) {
                return Err(too_long(field));
            }
            *dst = clean_lines(p);
        }
    }
    if d.title.is_empty() {
        return Err(required("title"));
    }
    Ok(d)
}

/// The PDF of a draft as it would be issued, numbered `number` (for a preview or a benchmark).
pub fn render(
    conn: &Connection,
    d: &Draft,
    number: &str,
    issued_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, usize)> {
    let head = crate::documents::letterhead::load(conn)?;
    let logo = crate::documents::letterhead::logo(conn)?;
    let journal = journal_head_for(conn, d.source.kind)?;
    layout::render(
        d,
        &head,
        logo.as_ref(),
        number,
        issued_on,
        journal.as_ref(),
        now,
    )
}

/// The journal's head printed on an act and on the period report to the authority (issue 16):
/// in a transaction, the head including what it journaled so far (the destruction the act records).
fn journal_head_for(conn: &Connection, kind: Kind) -> Result<Option<(i64, String)>> {
    if kind.is_act() || kind == Kind::PeriodReport {
        crate::vault::journal::head(conn)
    } else {
        Ok(None)
    }
}

/// An issued document in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Row {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub lang: Language,
    pub issued_on: NaiveDate,
    pub addressee: String,
    pub request_id: Option<i64>,
    pub subject_id: Option<i64>,
    pub corrects: Option<i64>,
    pub pages: i64,
    pub bytes: i64,
    pub sha256: String,
    /// When its text was removed with the personal data of the person it was sent to.
    pub redacted_on: Option<NaiveDate>,
}

/// Issues a document: the next number of `today`'s year, the PDF stored as issued, one
/// transaction with its journal entry.
pub fn issue(
    vault: &mut Vault,
    source: &Source,
    edits: &Edits,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Row> {
    // An act records a destruction or anonymization and is issued by carrying it out, in the
    // same transaction (`erasure.rs`): never on its own, for data that is still there.
    if source.kind.is_act() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "kind",
            code: "letter.act_by_action",
        }]));
    }
    let id = vault.transact(now, |tx| issue_in(tx, source, edits, today))?;
    row(vault.conn(), id)
}

/// Issues a document inside transaction `tx` (with its journal entry); returns its id.
pub(crate) fn issue_in(
    tx: &Tx<'_>,
    source: &Source,
    edits: &Edits,
    today: NaiveDate,
) -> Result<i64> {
    let now = tx.now();
    let head = crate::documents::letterhead::load(tx)?;
    crate::documents::letterhead::require_complete(&head)?;
    if let Some(id) = source.corrects {
        row(tx, id)?;
    }
    let d = apply(draft(tx, source, today)?, edits)?;
    // Warned of what the draft shows (an ended basis), the user issues it only knowingly.
    if let Some((code, count)) = d.warnings.first()
        && !edits.accept_warnings
    {
        return Err(Error::LetterWarning {
            code,
            count: *count,
        });
    }
    // A plain answer says what the administrator wrote, never the placeholder (policy 12.1); a
    // request for clarification asks the administrator's question.
    if matches!(source.kind, Kind::Answer | Kind::ClarificationRequest)
        && d.intro.iter().any(|p| {
            wording::ANSWER_PLACEHOLDER.contains(&p.trim())
                || wording::CLARIFY_PLACEHOLDER.contains(&p.trim())
        })
    {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "intro",
            code: "letter.answer_text",
        }]));
    }
    // A blocked subject's processing is suspended: only the answers about the blocking itself
    // (and a reasoned refusal) may still go out (issue 8; Law 94-V Art. 1).
    if let Some(sid) = d.source.subject_id {
        let allowed = matches!(
            source.kind,
            Kind::ConfirmBlock | Kind::ConfirmUnblock | Kind::Refusal
        ) || source.kind.is_act();
        if !allowed {
            crate::registry::subject::ensure_editable(tx, sid).map_err(|e| match e {
                Error::NotEditable {
                    status: "blocked", ..
                } => Error::SubjectBlocked { id: sid },
                e => e,
            })?;
        }
    }
    let logo = crate::documents::letterhead::logo(tx)?;
    let year = today.year();
    let mut entry = Entry::new("letter.issued").detail(source.kind.name());
    if let Some(r) = source.request_id {
        entry = entry.request(r);
    }
    let (seq, number) = next_number(tx, &head.numbering, year)?;
    let journal = journal_head_for(tx, source.kind)?;
    let (pdf, pages) = layout::render(
        &d,
        &head,
        logo.as_ref(),
        &number,
        today,
        journal.as_ref(),
        now,
    )?;
    let sha = hex(&Sha256::digest(&pdf));
    tx.execute(
        "INSERT INTO letter (number, year, seq, kind, lang, issued_on, addressee, request_id,
                             subject_id, corrects, pages, pdf, sha256, created_at, template_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            number,
            year,
            seq,
            source.kind.name(),
            source.lang.code(),
            today.to_string(),
            d.addressee.first().cloned().unwrap_or_default(),
            source.request_id,
            d.source.subject_id,
            source.corrects,
            pages as i64,
            pdf,
            sha,
            now.to_rfc3339(),
            d.template_version,
        ],
    )
    .map_err(|e| match e {
        // Two numbers alike: the scheme was changed to one that repeats an earlier number.
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Error::Invalid(vec![FieldIssue {
                field: "number",
                code: "letter.number_taken",
            }])
        }
        e => Error::from(e),
    })?;
    let id = tx.last_insert_rowid();
    if let Some(r) = source.request_id {
        // Found by its outgoing number from now on.
        crate::registry::request_index::reindex(tx, r)?;
    }
    tx.journal(&entry.record("letter", id))?;
    if let (Kind::BreachNotice, Some(b)) = (source.kind, source.breach) {
        tx.execute(
            "UPDATE breach SET letter_id = ?2 WHERE id = ?1",
            params![b, id],
        )?;
    }
    Ok(id)
}

/// A draft as the preview and the editor show it: on the letterhead, with the number it would get
/// if issued now (another issue first takes it).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Preview {
    pub kind: Kind,
    pub lang: Language,
    pub is_act: bool,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub draft: Draft,
    pub letterhead: crate::documents::letterhead::View,
    pub next_number: String,
}

/// The draft Derbes proposes for `source`, for the preview.
pub fn preview(conn: &Connection, source: &Source, today: NaiveDate) -> Result<Preview> {
    let draft = draft(conn, source, today)?;
    let letterhead = crate::documents::letterhead::view(conn, today)?;
    let (_, next_number) = next_number(conn, &letterhead.head.numbering, today.year())?;
    Ok(Preview {
        kind: draft.source.kind,
        lang: draft.source.lang,
        is_act: draft.source.kind.is_act(),
        draft,
        letterhead,
        next_number,
    })
}

/// The next outgoing number of `year`: its sequence and its text by the scheme.
pub fn next_number(
    conn: &Connection,
    numbering: &crate::documents::letterhead::Numbering,
    year: i32,
) -> Result<(i64, String)> {
    let seq: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM letter WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok((seq, numbering.format(year, seq)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const ROW: &str = "SELECT id, number, kind, lang, issued_on, addressee, request_id, subject_id,
                          corrects, pages, length(pdf), sha256, redacted_on FROM letter";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let kind: String = r.get(2)?;
    let lang: String = r.get(3)?;
    let on: String = r.get(4)?;
    Ok(Row {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Refusal),
        lang: Language::parse(&lang).unwrap_or(Language::Ru),
        issued_on: crate::base::input::parse_date(&on).unwrap_or_default(),
        addressee: r.get(5)?,
        request_id: r.get(6)?,
        subject_id: r.get(7)?,
        corrects: r.get(8)?,
        pages: r.get(9)?,
        bytes: r.get(10)?,
        sha256: r.get(11)?,
        redacted_on: r
            .get::<_, Option<String>>(12)?
            .and_then(|d| crate::base::input::parse_date(&d)),
    })
}

pub fn row(conn: &Connection, id: i64) -> Result<Row> {
    conn.query_row(&format!("{ROW} WHERE id = ?1"), [id], read_row)
        .optional()?
        .ok_or(Error::NotFound { kind: "letter", id })
}

pub fn by_number(conn: &Connection, number: &str) -> Result<Option<Row>> {
    Ok(conn
        .query_row(
            &format!("{ROW} WHERE number = ?1"),
            [number.trim()],
            read_row,
        )
        .optional()?)
}

/// The stored PDF, byte for byte as issued.
pub fn pdf(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    let (pdf, redacted): (Vec<u8>, Option<String>) = conn
        .query_row(
            "SELECT pdf, redacted_on FROM letter WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NotFound { kind: "letter", id })?;
    if redacted.is_some() {
        return Err(Error::LetterRedacted { id });
    }
    Ok(pdf)
}

/// The register's filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub kind: Option<Kind>,
    pub year: Option<i32>,
    pub request_id: Option<i64>,
    pub subject_id: Option<i64>,
    /// Part of the number or of the addressee, case-insensitive.
    pub text: String,
    pub limit: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Page {
    pub rows: Vec<Row>,
    pub total: u64,
}

/// The register, newest first.
pub fn list(conn: &Connection, q: &Query) -> Result<Page> {
    let mut cond = vec!["1 = 1".to_owned()];
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(k) = q.kind {
        args.push(k.name().to_owned().into());
        cond.push(format!("kind = ?{}", args.len()));
    }
    if let Some(y) = q.year {
        args.push(i64::from(y).into());
        cond.push(format!("year = ?{}", args.len()));
    }
    if let Some(r) = q.request_id {
        args.push(r.into());
        cond.push(format!("request_id = ?{}", args.len()));
    }
    if let Some(s) = q.subject_id {
        args.push(s.into());
        cond.push(format!("subject_id = ?{}", args.len()));
    }
    let cond = cond.join(" AND ");
    let mut st = conn.prepare(&format!(
        "{ROW} WHERE {cond} ORDER BY issued_on DESC, id DESC"
    ))?;
    let mut rows: Vec<Row> = st
        .query_map(rusqlite::params_from_iter(args.iter()), read_row)?
        .collect::<rusqlite::Result<_>>()?;
    // A register holds thousands of documents, not millions: the text filter folds case and
    // Kazakh letters in Rust as the subject search does.
    let text = crate::base::fold::fold(q.text.trim());
    if !text.is_empty() {
        rows.retain(|r| {
            crate::base::fold::fold(&r.number).contains(&text)
                || crate::base::fold::fold(&r.addressee).contains(&text)
        });
    }
    let total = rows.len() as u64;
    let limit = if q.limit == 0 { 100 } else { q.limit.min(500) } as usize;
    let rows = rows
        .into_iter()
        .skip(q.offset as usize)
        .take(limit)
        .collect();
    Ok(Page { rows, total })
}

/// The register of issued documents in `format`: number, date, type, language, addressee (the
/// first line, as issued), request, pages, SHA-256, and when a text was withdrawn.
pub fn export(
    conn: &Connection,
    out: &mut dyn std::io::Write,
    format: crate::files::sheet::Format,
    lang: Language,
) -> Result<u64> {
    use crate::files::sheet::{Cell, Kind as K};
    let columns = crate::files::sheet::columns(
        lang,
        &[
            ("Исх. №", "Шығыс №", "Number", K::Text, 16.0),
            ("Дата", "Күні", "Date", K::Date, 12.0),
            ("Документ", "Құжат", "Document", K::Text, 30.0),
            ("Язык", "Тілі", "Language", K::Text, 8.0),
            ("Адресат", "Адресат", "Addressee", K::Text, 30.0),
            ("Обращение №", "Өтініш №", "Request No.", K::Number, 10.0),
            ("Страниц", "Беттер", "Pages", K::Number, 8.0),
            ("SHA-256", "SHA-256", "SHA-256", K::Text, 20.0),
            (
                "Текст изъят",
                "Мәтін алынды",
                "Text withdrawn",
                K::Date,
                12.0,
            ),
        ],
    );
    let sheet = crate::files::sheet::name(lang, "Письма", "Хаттар", "Letters");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let mut st = conn.prepare(&format!("{ROW} ORDER BY issued_on, id"))?;
    let mut n = 0;
    for row in st.query_map([], read_row)? {
        let r = row?;
        w.row(&[
            Cell::Text(&r.number),
            Cell::Date(Some(r.issued_on)),
            Cell::Text(wording::kind_name(r.kind, lang)),
            Cell::Text(r.lang.code()),
            Cell::Text(&r.addressee),
            r.request_id.map_or(Cell::Text(""), Cell::Int),
            Cell::Int(r.pages),
            Cell::Text(&r.sha256),
            Cell::Date(r.redacted_on),
        ])?;
        n += 1;
    }
    w.finish()?;
    Ok(n)
}
