//! Carrying out an erasure order: what it will touch (the preview), then the destruction or
//! anonymization of each subject, the batch closed and its act issued, in one transaction.

use crate::base::language::Language;
use crate::base::progress::Progress;
use crate::documents::letters::{self, Kind};
use crate::erasure::record::{Action, Keep};
use crate::error::{Error, FieldIssue, Result};
use crate::registry::blocking::Basis;
use crate::registry::subject::{Status, status_of};
use crate::vault::journal::Entry;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// The act that records an erasure of this kind.
pub fn act_kind(action: Action) -> Kind {
    match action {
        Action::Destroy => Kind::ActDestruction,
        Action::Anonymize => Kind::ActAnonymization,
    }
}

/// Where an erasure was started from (printed in the act's basis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Subject,
    Request,
    Retention,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Subject => "subject",
            Origin::Request => "request",
            Origin::Retention => "retention",
        }
    }
}

/// One destruction or anonymization to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Order {
    pub action: Action,
    pub subjects: Vec<i64>,
    pub basis: Basis,
    #[cfg_attr(feature = "serde", serde(default))]
    pub keep: Keep,
    /// The language of the act.
    pub lang: Language,
}

/// Exactly what an erasure will touch, for the confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Preview {
    pub subjects: u64,
    pub contacts: u64,
    pub holdings: u64,
    pub consents: u64,
    pub refusals: u64,
    /// Requests whose texts (sender, requester, message) are emptied.
    pub requests: u64,
    /// Of those, still open.
    pub open_requests: u64,
    /// Issued documents whose text and addressee are removed (their register line stays).
    pub letters: u64,
    /// People who refused marketing: their addresses stay on the stop-list as keyed digests (no
    /// address readable), still matched when a mailing list is cleaned.
    pub marketing_refusers: u64,
    pub blocked: u64,
}

/// The result: the batch and the act issued for it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Done {
    pub batch_id: i64,
    pub subjects: u64,
    pub holdings: u64,
    pub act: letters::Row,
}

/// At most this many subjects in one order (a retention sweep of a large registry fits).
const MAX_SUBJECTS: usize = 1_000_000;

fn dedup(ids: &[i64]) -> Vec<i64> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

fn check_subjects(conn: &Connection, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "subjects",
            code: "required",
        }]));
    }
    if ids.len() > MAX_SUBJECTS {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "subjects",
            code: "text.too_long",
        }]));
    }
    for &id in ids {
        match status_of(conn, id)? {
            Status::Active | Status::Blocked => {}
            other => {
                return Err(Error::NotEditable {
                    id,
                    status: other.name(),
                });
            }
        }
    }
    Ok(())
}

/// Counts what an erasure of `ids` would touch.
pub fn preview(conn: &Connection, action: Action, ids: &[i64], keep: Keep) -> Result<Preview> {
    let ids = dedup(ids);
    check_subjects(conn, &ids)?;
    let keep = if action == Action::Destroy {
        Keep::default()
    } else {
        keep
    };
    let mut p = Preview {
        subjects: ids.len() as u64,
        ..Preview::default()
    };
    let count = |sql: &str, id: i64| -> Result<u64> {
        let n: i64 = conn.prepare_cached(sql)?.query_row([id], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    };
    for &id in &ids {
        p.contacts += count("SELECT count(*) FROM contact WHERE subject_id = ?1", id)?;
        if !keep.holdings {
            p.holdings += count("SELECT count(*) FROM holding WHERE subject_id = ?1", id)?;
            p.consents += count("SELECT count(*) FROM consent WHERE subject_id = ?1", id)?;
        }
        p.refusals += count(
            "SELECT count(*) FROM marketing_refusal WHERE subject_id = ?1",
            id,
        )?;
        p.marketing_refusers += count(
            "SELECT count(*) > 0 FROM marketing_refusal WHERE subject_id = ?1 AND revoked_at IS NULL",
            id,
        )?;
        p.requests += count("SELECT count(*) FROM request WHERE subject_id = ?1", id)?;
        p.open_requests += count(
            "SELECT count(*) FROM request WHERE subject_id = ?1 AND status IN ('new', 'in_progress')",
            id,
        )?;
        p.letters += count(
            "SELECT count(*) FROM letter WHERE subject_id = ?1 AND redacted_on IS NULL
               AND kind NOT IN ('act-destruction', 'act-anonymization')",
            id,
        )?;
        p.blocked += count(
            "SELECT count(*) FROM subject WHERE id = ?1 AND status = 'blocked'",
            id,
        )?;
    }
    Ok(p)
}

/// Destroys or anonymizes the subjects of `order`, issues the act, all in one transaction.
pub fn run(vault: &mut Vault, order: &Order, today: NaiveDate, now: DateTime<Utc>) -> Result<Done> {
    run_with(vault, order, today, now, Progress::unwatched())
}

/// [`run`], one reported step per subject; a stop asked on `progress` rolls the batch back.
pub fn run_with(
    vault: &mut Vault,
    order: &Order,
    today: NaiveDate,
    now: DateTime<Utc>,
    progress: &Progress,
) -> Result<Done> {
    let text = crate::registry::blocking::check(&order.basis)?;
    let ids = dedup(&order.subjects);
    check_subjects(vault.conn(), &ids)?;
    if let Some(r) = order.basis.request_id {
        crate::requests::request::get(vault.conn(), r, today)?;
    }
    let head = crate::documents::letterhead::load(vault.conn())?;
    crate::documents::letterhead::require_complete(&head)?;
    let keep = if order.action == Action::Destroy {
        Keep::default()
    } else {
        order.keep
    };
    let origin = if order.basis.request_id.is_some() {
        Origin::Request
    } else {
        Origin::Subject
    };
    vault.transact(now, |tx| {
        let batch = open(
            tx,
            order.action,
            origin,
            &text,
            order.basis.request_id,
            keep,
            today,
        )?;
        progress.begin(ids.len() as u64);
        for &id in &ids {
            erase(tx, batch, order.action, keep, id, today)?;
            progress.advance(1)?;
        }
        close(tx, batch, order.lang, today)
    })
}

/// Starts a batch; its counts and act are filled in by [`close`].
pub(crate) fn open(
    tx: &Tx<'_>,
    action: Action,
    origin: Origin,
    basis: &str,
    request_id: Option<i64>,
    keep: Keep,
    today: NaiveDate,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO erasure_batch (action, done_on, done_at, basis, request_id, origin, subjects,
                                    holdings, kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0, ?7)",
        params![
            action.name(),
            today.to_string(),
            tx.now().to_rfc3339(),
            basis,
            request_id,
            origin.name(),
            keep.text(),
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Destroys or anonymizes one subject inside batch `batch`.
pub(crate) fn erase(
    tx: &Tx<'_>,
    batch: i64,
    action: Action,
    keep: Keep,
    id: i64,
    today: NaiveDate,
) -> Result<()> {
    let (iin, birth_date, rank): (Option<String>, Option<String>, Option<i64>) = tx
        .prepare_cached("SELECT iin, birth_date, rank FROM subject WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or(Error::NotFound {
            kind: "subject",
            id,
        })?;
    let categories: Vec<String> = tx
        .prepare_cached(
            "SELECT DISTINCT c.code FROM holding h JOIN data_category c ON c.id = h.category_id
             WHERE h.subject_id = ?1 ORDER BY c.code",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let anonymize = action == Action::Anonymize;
    let birth_year = (anonymize && keep.birth_year)
        .then(|| {
            birth_date
                .as_deref()
                .and_then(|d| d.get(..4)?.parse::<i64>().ok())
        })
        .flatten();
    let sex = (anonymize && keep.sex)
        .then(|| {
            iin.as_deref()
                .and_then(|i| crate::Iin::parse(i).ok())
                .map(|i| match i.sex() {
                    crate::base::iin::Sex::Male => "m",
                    crate::base::iin::Sex::Female => "f",
                })
        })
        .flatten();
    // Her refusal of marketing outlives her data (policy 6.2): the addresses stay on the stop-list
    // as keyed digests before the contacts go.
    crate::registry::stop_list::keep_for_erasure(tx, id, today)?;
    // Messages from her addresses still waiting in a mail folder's list lose their sender and
    // subject line (issue 19); the folder itself is the mail program's.
    let addresses: Vec<String> = tx
        .prepare_cached(
            "SELECT normalized FROM contact WHERE subject_id = ?1 AND kind = 'email'
             UNION SELECT sender FROM request WHERE subject_id = ?1 AND sender <> ''",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    crate::requests::mailbox::erase_from(tx, &addresses)?;
    if let Some(rank) = rank {
        crate::registry::index::Fts::Subjects.remove(tx, rank)?;
    }
    let mut statements = vec![
        "DELETE FROM contact WHERE subject_id = ?1",
        "DELETE FROM marketing_refusal WHERE subject_id = ?1",
        "DELETE FROM subject_block WHERE subject_id = ?1",
        // The request stays in the register (kind, dates, outcome); what the person wrote goes.
        "UPDATE request SET requester = '', sender = '', sender_raw = '', body = '', intake_note = '',
                            rep_name = '', rep_document = '', message_id = NULL
         WHERE subject_id = ?1",
    ];
    if anonymize && keep.holdings {
        // Who gave a consent for the person is personal data of its own.
        statements.push(
            "UPDATE consent SET document_ref = '', rep_name = '', rep_document = '' WHERE subject_id = ?1",
        );
    } else {
        statements.push("DELETE FROM holding WHERE subject_id = ?1");
        statements.push("DELETE FROM consent WHERE subject_id = ?1");
    }
    // What corrections of the person's requests kept of their old texts goes with the texts.
    statements.push(
        "DELETE FROM request_revision WHERE request_id IN (SELECT id FROM request WHERE subject_id = ?1)",
    );
    for sql in statements {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    // Documents sent to the person keep their number, date and checksum; their text goes.
    tx.prepare_cached(
        "UPDATE letter SET addressee = '', pdf = zeroblob(0), redacted_on = ?2
         WHERE subject_id = ?1 AND redacted_on IS NULL
           AND kind NOT IN ('act-destruction', 'act-anonymization')",
    )?
    .execute(params![id, today.to_string()])?;
    tx.prepare_cached(
        "UPDATE subject SET iin = NULL, doc_number = '', surname = '', given_name = '',
                            patronymic = '', birth_date = NULL, address = '', notes = '',
                            sort_key = '', rank = NULL, status = ?2, birth_year = ?3, sex = ?4,
                            updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        action.status().name(),
        birth_year,
        sex,
        tx.now().to_rfc3339()
    ])?;
    // The requests' search rows keep only what stays (their numbers in and out): written once the
    // person's names and texts are gone, so that nothing of them is read into the rows.
    crate::registry::request_index::for_subject(tx, id)?;
    tx.prepare_cached(
        "INSERT INTO erasure (subject_id, batch_id, categories) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, batch, categories.join(",")])?;
    let verb = match action {
        Action::Destroy => "subject.destroyed",
        Action::Anonymize => "subject.anonymized",
    };
    tx.journal(
        &Entry::new(verb)
            .record("subject", id)
            .detail(format!("batch {batch}")),
    )?;
    Ok(())
}

/// Ends one holding in batch `batch` (retention: its period is over while the subject stays).
pub(crate) fn end_holding(tx: &Tx<'_>, batch: i64, holding_id: i64, reason: &str) -> Result<()> {
    let n = tx
        .prepare_cached(
            "INSERT INTO erasure_holding (batch_id, subject_id, category_id, purpose_id, reason)
             SELECT ?1, subject_id, category_id, purpose_id, ?3 FROM holding WHERE id = ?2",
        )?
        .execute(params![batch, holding_id, reason])?;
    if n == 0 {
        return Err(Error::NotFound {
            kind: "holding",
            id: holding_id,
        });
    }
    tx.prepare_cached("DELETE FROM holding WHERE id = ?1")?
        .execute([holding_id])?;
    Ok(())
}

/// Finishes batch `batch`: counts, the search index merged, the act issued, the journal entry.
pub(crate) fn close(tx: &Tx<'_>, batch: i64, lang: Language, today: NaiveDate) -> Result<Done> {
    let (subjects, holdings, action, request_id): (i64, i64, String, Option<i64>) = tx.query_row(
        "SELECT (SELECT count(*) FROM erasure WHERE batch_id = ?1),
                (SELECT count(*) FROM erasure_holding WHERE batch_id = ?1),
                action, request_id
         FROM erasure_batch WHERE id = ?1",
        [batch],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let action = Action::parse(&action).ok_or(Error::Damaged)?;
    tx.execute(
        "UPDATE erasure_batch SET subjects = ?2, holdings = ?3 WHERE id = ?1",
        params![batch, subjects, holdings],
    )?;
    // No merge of the search indexes: each row left with its exact terms, and secure-delete
    // rewrote the segments that held them (`registry::index::Fts`, migration 24).
    let single: Option<i64> = if subjects == 1 {
        tx.query_row(
            "SELECT subject_id FROM erasure WHERE batch_id = ?1",
            [batch],
            |r| r.get(0),
        )
        .optional()?
    } else {
        None
    };
    let source = letters::Source {
        kind: act_kind(action),
        lang,
        request_id,
        subject_id: single,
        period: None,
        corrects: None,
        erasure: Some(batch),
        breach: None,
    };
    let act_id = letters::issue_in(tx, &source, &letters::Edits::default(), today)?;
    tx.execute(
        "UPDATE erasure_batch SET act_id = ?2 WHERE id = ?1",
        params![batch, act_id],
    )?;
    let mut entry = Entry::new(match action {
        Action::Destroy => "erasure.destroyed",
        Action::Anonymize => "erasure.anonymized",
    })
    .record("erasure", batch)
    .detail(format!("{subjects} subjects, {holdings} holdings"));
    if let Some(r) = request_id {
        entry = entry.request(r);
    }
    tx.journal(&entry)?;
    Ok(Done {
        batch_id: batch,
        subjects: u64::try_from(subjects).unwrap_or(0),
        holdings: u64::try_from(holdings).unwrap_or(0),
        act: letters::row(tx, act_id)?,
    })
}
