//! Correcting the register of requests without losing what it said: a request's fields edited
//! (each change kept as a revision, the legal due date recomputed), a request cancelled with its
//! reason (it stays in the register), a request attached to the subject registered for its
//! requester later, or that subject created from it. Nothing is deleted; every change is one
//! transaction with its journal entry, which names the fields changed, never their values.

use crate::base::deadline::due_date;
use crate::base::input::parse_date;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::registry::request_index;
use crate::registry::subject::{self, Index, SubjectInput};
use crate::requests::request::{CancelReason, Channel, RequestStatus, required_date, too_long};
use crate::requests::workdays;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// A correction of a request: each field given replaces the stored one; `None` leaves it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct RequestEdit {
    pub received_on: Option<String>,
    pub kind: Option<RequestKind>,
    pub channel: Option<Channel>,
    pub requester: Option<String>,
    pub sender: Option<String>,
    pub incoming_ref: Option<String>,
    pub body: Option<String>,
}

/// The stored fields a correction can change, as text.
struct Stored {
    status: RequestStatus,
    received_on: String,
    kind: String,
    channel: String,
    requester: String,
    sender: String,
    incoming_ref: String,
    body: String,
    due_on: String,
    extended_to: Option<String>,
    answered_on: Option<String>,
    subject_id: Option<i64>,
}

fn stored(conn: &Connection, id: i64) -> Result<Stored> {
    let row = conn
        .prepare_cached(
            "SELECT status, received_on, kind, channel, requester, sender, incoming_ref, body,
                    due_on, extended_to, answered_on, subject_id
             FROM request WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Stored {
                    status: RequestStatus::New,
                    received_on: r.get(1)?,
                    kind: r.get(2)?,
                    channel: r.get(3)?,
                    requester: r.get(4)?,
                    sender: r.get(5)?,
                    incoming_ref: r.get(6)?,
                    body: r.get(7)?,
                    due_on: r.get(8)?,
                    extended_to: r.get(9)?,
                    answered_on: r.get(10)?,
                    subject_id: r.get(11)?,
                },
            ))
        })
        .optional()?
        .ok_or(Error::NotFound {
            kind: "request",
            id,
        })?;
    let (status, mut s) = row;
    s.status = RequestStatus::parse(&status).ok_or(Error::Damaged)?;
    Ok(s)
}

/// Corrects request `id`: every field given is checked as at intake, the legal due date follows
/// from the (new) kind and received date with the vault's calendar, and each changed field is kept
/// as a revision. A cancelled request is not corrected. Returns the fields changed (none: nothing
/// written).
pub fn edit(
    vault: &mut Vault,
    id: i64,
    edit: &RequestEdit,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<&'static str>> {
    let old = stored(vault.conn(), id)?;
    if old.status == RequestStatus::Cancelled {
        return Err(Error::RequestTransition {
            from: old.status.name().to_owned(),
            to: "edited",
        });
    }
    let mut issues = Vec::new();
    let received = match &edit.received_on {
        Some(raw) => required_date(raw, "received_on", &mut issues),
        None => parse_date(&old.received_on),
    };
    if let Some(r) = received {
        if r > today {
            issues.push(FieldIssue {
                field: "received_on",
                code: "date.future",
            });
        }
        if old
            .answered_on
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|a| a < r)
        {
            issues.push(FieldIssue {
                field: "received_on",
                code: "date.after_answer",
            });
        }
    }
    let requester = edit.requester.as_deref().map(str::trim);
    if let Some(who) = requester {
        issues.extend(too_long("requester", who, 200));
        if who.is_empty() && old.subject_id.is_none() {
            issues.push(FieldIssue {
                field: "requester",
                code: "required",
            });
        }
    }
    let sender = edit.sender.as_deref().map(|s| s.trim().to_lowercase());
    if let Some(s) = &sender
        && !s.is_empty()
        && crate::base::contact::normalize_email(s).is_none()
    {
        issues.push(FieldIssue {
            field: "sender",
            code: "email.invalid",
        });
    }
    let incoming_ref = edit.incoming_ref.as_deref().map(str::trim);
    if let Some(r) = incoming_ref {
        issues.extend(too_long("incoming_ref", r, 200));
    }
    if let Some(b) = &edit.body {
        issues.extend(too_long("body", b, 100_000));
    }
    let kind = match edit.kind {
        Some(k) => k,
        None => RequestKind::parse(&old.kind).map_err(|_| Error::Damaged)?,
    };
    let Some(received) = received else {
        return Err(Error::Invalid(issues));
    };
    let calendar = workdays::load(vault.conn(), today)?;
    let rule = workdays::rules(vault.conn())?
        .remove(&kind)
        .unwrap_or_else(|| crate::base::deadline::default_rule(kind));
    let due = due_date(&rule, received, &calendar).to_string();
    // An extension is a later date than the legal one; one that would no longer be later is
    // refused rather than kept meaning nothing or dropped without a word.
    if old
        .extended_to
        .as_deref()
        .is_some_and(|e| e <= due.as_str())
    {
        issues.push(FieldIssue {
            field: "received_on",
            code: "request.extension_not_later",
        });
    }
    if !issues.is_empty() {
        return Err(Error::Invalid(issues));
    }
    let new = [
        ("received_on", old.received_on.clone(), received.to_string()),
        ("kind", old.kind.clone(), kind.name().to_owned()),
        (
            "channel",
            old.channel.clone(),
            edit.channel
                .map_or(old.channel.clone(), |c| c.name().to_owned()),
        ),
        (
            "requester",
            old.requester.clone(),
            requester.map_or(old.requester.clone(), str::to_owned),
        ),
        (
            "sender",
            old.sender.clone(),
            sender.unwrap_or(old.sender.clone()),
        ),
        (
            "incoming_ref",
            old.incoming_ref.clone(),
            incoming_ref.map_or(old.incoming_ref.clone(), str::to_owned),
        ),
        (
            "body",
            old.body.clone(),
            edit.body.clone().unwrap_or(old.body.clone()),
        ),
        ("due_on", old.due_on.clone(), due.clone()),
    ];
    let changed: Vec<&(&'static str, String, String)> = new
        .iter()
        .filter(|(_, before, after)| before != after)
        .collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let fields: Vec<&'static str> = changed.iter().map(|(f, _, _)| *f).collect();
    let stamp = now.to_rfc3339();
    let value = |f: &str| {
        new.iter()
            .find(|(n, _, _)| *n == f)
            .map_or(String::new(), |(_, _, a)| a.clone())
    };
    let mut detail = fields.join(", ");
    if old.due_on != due {
        detail.push_str(&format!("; due {} → {due}", old.due_on));
    }
    vault.transact(now, |tx| {
        tx.execute(
            "UPDATE request SET received_on = ?2, kind = ?3, channel = ?4, requester = ?5,
                                sender = ?6, incoming_ref = ?7, body = ?8, due_on = ?9,
                                updated_at = ?10
             WHERE id = ?1",
            params![
                id,
                value("received_on"),
                value("kind"),
                value("channel"),
                value("requester"),
                value("sender"),
                value("incoming_ref"),
                value("body"),
                value("due_on"),
                stamp
            ],
        )?;
        let mut st = tx.prepare_cached(
            "INSERT INTO request_revision (request_id, changed_at, field, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (field, before, after) in &changed {
            st.execute(params![id, stamp, field, before, after])?;
        }
        request_index::reindex(tx, id)?;
        tx.journal(&Entry::new("request.edited").request(id).detail(detail))?;
        Ok(())
    })?;
    Ok(fields)
}

/// Cancels open request `id`: entered in error or withdrawn by the requester. It leaves the open
/// lists and the on-time figures and stays in the register with its reason; a pause in progress
/// ends. A finished request is not cancelled: its answer stands.
pub fn cancel(
    vault: &mut Vault,
    id: i64,
    reason: CancelReason,
    note: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let old = stored(vault.conn(), id)?;
    if !old.status.is_open() {
        return Err(Error::RequestTransition {
            from: old.status.name().to_owned(),
            to: "cancelled",
        });
    }
    let note = note.trim();
    if let Some(issue) = too_long("note", note, 1000) {
        return Err(Error::Invalid(vec![issue]));
    }
    let t = today.to_string();
    vault.transact(now, |tx| {
        tx.execute(
            "UPDATE request SET status = 'cancelled', cancelled_on = ?2, cancel_reason = ?3,
                                cancel_note = ?4, updated_at = ?5
             WHERE id = ?1",
            params![id, t, reason.name(), note, now.to_rfc3339()],
        )?;
        tx.execute(
            "UPDATE request_pause SET until_on = ?2 WHERE request_id = ?1 AND until_on IS NULL",
            params![id, t],
        )?;
        tx.journal(
            &Entry::new("request.cancelled")
                .request(id)
                .detail(reason.name()),
        )?;
        Ok(())
    })
}

/// The subject a request can be attached to: registered, and neither destroyed nor anonymized.
fn attachable(conn: &Connection, subject_id: i64) -> Result<()> {
    let status: String = conn
        .query_row(
            "SELECT status FROM subject WHERE id = ?1",
            [subject_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "subject",
            id: subject_id,
        })?;
    match status.as_str() {
        "active" | "blocked" => Ok(()),
        "anonymized" => Err(Error::NotEditable {
            id: subject_id,
            status: "anonymized",
        }),
        _ => Err(Error::NotEditable {
            id: subject_id,
            status: "destroyed",
        }),
    }
}

fn unattached(old: &Stored) -> Result<()> {
    match old.subject_id {
        Some(subject_id) => Err(Error::AlreadyAttached { subject_id }),
        None => Ok(()),
    }
}

/// Attaches request `id`, registered for someone not (yet) in the registry, to subject
/// `subject_id`: the request then shows on the card and its actions apply to that person.
pub fn attach(vault: &mut Vault, id: i64, subject_id: i64, now: DateTime<Utc>) -> Result<()> {
    let old = stored(vault.conn(), id)?;
    unattached(&old)?;
    attachable(vault.conn(), subject_id)?;
    vault.transact(now, |tx| {
        tx.execute(
            "UPDATE request SET subject_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, subject_id, now.to_rfc3339()],
        )?;
        request_index::reindex(tx, id)?;
        tx.journal(
            &Entry::new("request.attached")
                .request(id)
                .record("subject", subject_id),
        )?;
        Ok(())
    })
}

/// The new subject's form as a request pre-fills it: the requester's name split into surname,
/// given name and patronymic (as Kazakh and Russian names are written), the address it came from.
pub fn subject_draft(conn: &Connection, id: i64) -> Result<SubjectInput> {
    let old = stored(conn, id)?;
    unattached(&old)?;
    let mut words = old.requester.split_whitespace();
    let surname = words.next().unwrap_or_default().to_owned();
    let given_name = words.next().unwrap_or_default().to_owned();
    let patronymic = words.collect::<Vec<_>>().join(" ");
    let mut input = SubjectInput {
        surname,
        given_name,
        patronymic,
        ..SubjectInput::default()
    };
    if !old.sender.is_empty() {
        input.emails.push(old.sender);
    }
    Ok(input)
}

/// Registers the subject `input` describes (the form [`subject_draft`] pre-filled, completed by
/// the user) and attaches request `id` to it, in one transaction. Returns the subject's id.
pub fn create_subject(
    vault: &mut Vault,
    id: i64,
    input: &SubjectInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let old = stored(vault.conn(), id)?;
    unattached(&old)?;
    let v = subject::validate(input, today).map_err(Error::Invalid)?;
    vault.transact(now, |tx| {
        let subject_id = subject::insert(tx, &v, now, Index::Now)?;
        tx.journal(
            &Entry::new("subject.created")
                .record("subject", subject_id)
                .detail(format!("from request {id}")),
        )?;
        tx.execute(
            "UPDATE request SET subject_id = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, subject_id, now.to_rfc3339()],
        )?;
        request_index::reindex(tx, id)?;
        tx.journal(
            &Entry::new("request.attached")
                .request(id)
                .record("subject", subject_id),
        )?;
        Ok(subject_id)
    })
}
