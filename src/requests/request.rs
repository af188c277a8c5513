//! Requests from data subjects and from the authorized body: intake, the legal due date, the
//! workflow (new → in progress → answered / refused → closed), the identity check, pauses while
//! waiting for the requester and extensions. Every step is one transaction with its journal entry
//! naming the request (Law 94-V Art. 24–25; the policy, sections 3 and 8; `docs/domain.md` §2).

use crate::base::deadline::{Standing, due_date, standing};
use crate::base::input::typed_date;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, FieldIssue, Result};
use crate::registry::representative::{Relation, Representative};
use crate::requests::workdays;
use crate::vault::journal::Entry;
use crate::vault::{Tx, Vault};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

crate::base::wire::vocab!(
    /// How a request arrived.
    Channel {
        Email => "email",
        Paper => "paper",
        InPerson => "in_person",
        Egov => "egov",
        Authority => "authority",
    }
);

crate::base::wire::vocab!(
    /// Where a request is in its workflow.
    RequestStatus {
        New => "new",
        InProgress => "in_progress",
        Answered => "answered",
        Refused => "refused",
        Closed => "closed",
        /// Entered in error or withdrawn by the requester: out of the open lists and the on-time
        /// figures, kept in the register.
        Cancelled => "cancelled",
    }
);

crate::base::wire::vocab!(
    /// How the requester's identity was checked (no copy of a document is kept).
    IdentityMethod {
        InPerson => "in_person",
        SignedLetter => "signed_letter",
        DigitalSignature => "digital_signature",
        Egov => "egov",
    }
);

crate::base::wire::vocab!(
    /// Why a request waits for its requester.
    PauseReason {
        Identity => "identity",
        Clarification => "clarification",
    }
);

/// What a corrected field was before.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Revision {
    pub changed_at: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

pub fn revisions(conn: &Connection, request_id: i64) -> Result<Vec<Revision>> {
    let mut st = conn.prepare_cached(
        "SELECT changed_at, field, before, after FROM request_revision
         WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([request_id], |r| {
        Ok(Revision {
            changed_at: r.get(0)?,
            field: r.get(1)?,
            before: r.get(2)?,
            after: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

crate::base::wire::vocab!(
    /// Why a request is cancelled.
    CancelReason {
        /// Registered by mistake (a duplicate entry, a message that was not a request).
        Error => "error",
        /// The requester withdrew it.
        Withdrawn => "withdrawn",
    }
);

impl RequestStatus {
    pub fn is_open(self) -> bool {
        matches!(self, RequestStatus::New | RequestStatus::InProgress)
    }
}

/// A new request as typed (or pre-filled from an e-mail).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct RequestInput {
    /// A registered subject, or `None` with `requester` naming who wrote.
    #[cfg_attr(feature = "serde", serde(default))]
    pub subject_id: Option<i64>,
    #[cfg_attr(feature = "serde", serde(default))]
    pub requester: String,
    /// The e-mail address it came from, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub sender: String,
    pub kind: RequestKind,
    pub channel: Channel,
    /// `YYYY-MM-DD` or `DD.MM.YYYY`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub received_on: String,
    #[cfg_attr(feature = "serde", serde(default))]
    pub incoming_ref: String,
    #[cfg_attr(feature = "serde", serde(default))]
    pub body: String,
    /// A likely duplicate the user chose to link this one to.
    #[cfg_attr(feature = "serde", serde(default))]
    pub linked_to: Option<i64>,
    /// Who wrote for the person: a parent, a guardian, an attorney (policy 3.2).
    #[cfg_attr(feature = "serde", serde(default))]
    pub representative: Representative,
}

/// How long the duplicate check looks back at answered requests (issue 5: 30 days).
const DUPLICATE_DAYS: i64 = 30;
const MAX_TEXT: usize = 200;
const MAX_BODY: usize = 100_000;

/// A date the user must type: `None` with the issue recorded when it is missing or malformed.
pub(crate) fn required_date(
    raw: &str,
    field: &'static str,
    issues: &mut Vec<FieldIssue>,
) -> Option<NaiveDate> {
    match typed_date(raw, None, field) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            issues.push(FieldIssue {
                field,
                code: "required",
            });
            None
        }
        Err(issue) => {
            issues.push(issue);
            None
        }
    }
}

pub(crate) fn too_long(field: &'static str, s: &str, max: usize) -> Option<FieldIssue> {
    (s.chars().count() > max).then_some(FieldIssue {
        field,
        code: "text.too_long",
    })
}

/// Requests of the same subject and kind that are open, or were answered in the last 30 days:
/// likely the same request again.
pub fn likely_duplicates(
    conn: &Connection,
    subject_id: i64,
    kind: RequestKind,
    today: NaiveDate,
) -> Result<Vec<i64>> {
    let since = (today - Duration::days(DUPLICATE_DAYS)).to_string();
    let mut st = conn.prepare_cached(
        "SELECT id FROM request WHERE subject_id = ?1 AND kind = ?2
           AND (status IN ('new', 'in_progress')
                OR (status IN ('answered', 'refused', 'closed') AND answered_on >= ?3))
         ORDER BY id DESC",
    )?;
    let ids = st
        .query_map(params![subject_id, kind.name(), since], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Where a request that came by e-mail came from, beyond its [`RequestInput`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailOrigin {
    /// The message's identity ([`crate::files::eml::Message::key`]): the same message is never
    /// registered twice.
    pub key: Option<String>,
    /// The `From:` header as it came, when no address could be read from it.
    pub sender_raw: String,
    /// Why the received date is the import date (an implausible `Date:`), else empty.
    pub note: String,
    /// The message's `Message-ID` (without angle brackets), for an answer's `In-Reply-To`.
    pub message_id: Option<String>,
}

/// Registers a request; its due date follows from its kind and received date with the vault's
/// calendar and terms.
pub fn create(
    vault: &mut Vault,
    input: &RequestInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    create_from_mail(vault, input, &MailOrigin::default(), today, now)
}

/// The request already registered from the message with this key, if any.
pub fn by_message_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM request WHERE message_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// [`create`] for a request that came by e-mail: its message key, raw sender and note are written
/// in the same transaction; a message already registered is refused with the request's number.
pub fn create_from_mail(
    vault: &mut Vault,
    input: &RequestInput,
    mail: &MailOrigin,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let calendar = workdays::load(vault.conn(), today)?;
    let checked = check(vault.conn(), input, mail, &calendar, today)?;
    vault.transact(now, |tx| insert(tx, &checked))
}

/// A request checked against the vault, with its due date, ready to [`insert`].
#[derive(Debug, Clone)]
pub struct Checked {
    input: RequestInput,
    mail: MailOrigin,
    received: NaiveDate,
    due: NaiveDate,
    rep: Representative,
}

/// Checks a request to register and computes its due date with `calendar` (the vault's, loaded by
/// the caller once for a batch): nothing is written.
pub fn check(
    conn: &Connection,
    input: &RequestInput,
    mail: &MailOrigin,
    calendar: &crate::base::calendar::Calendar,
    today: NaiveDate,
) -> Result<Checked> {
    if let Some(key) = &mail.key
        && let Some(id) = by_message_key(conn, key)?
    {
        return Err(Error::AlreadyRegistered { id });
    }
    let mut issues = Vec::new();
    let received = required_date(&input.received_on, "received_on", &mut issues);
    if let Some(r) = received
        && r > today
    {
        issues.push(FieldIssue {
            field: "received_on",
            code: "date.future",
        });
    }
    let requester = input.requester.trim();
    if input.subject_id.is_none() && requester.is_empty() && mail.sender_raw.trim().is_empty() {
        issues.push(FieldIssue {
            field: "requester",
            code: "required",
        });
    }
    let sender = input.sender.trim().to_lowercase();
    if !sender.is_empty() && crate::base::contact::normalize_email(&sender).is_none() {
        issues.push(FieldIssue {
            field: "sender",
            code: "email.invalid",
        });
    }
    issues.extend(too_long("requester", requester, MAX_TEXT));
    issues.extend(too_long("incoming_ref", &input.incoming_ref, MAX_TEXT));
    issues.extend(too_long("body", &input.body, MAX_BODY));
    let rep = input.representative.checked().unwrap_or_else(|i| {
        issues.extend(i);
        Representative::default()
    });
    let (Some(received), true) = (received, issues.is_empty()) else {
        return Err(Error::Invalid(issues));
    };
    if let Some(id) = input.subject_id {
        ensure_exists(conn, "subject", "SELECT 1 FROM subject WHERE id = ?1", id)?;
    }
    if let Some(id) = input.linked_to {
        ensure_exists(conn, "request", "SELECT 1 FROM request WHERE id = ?1", id)?;
    }
    let rule = workdays::rules(conn)?
        .remove(&input.kind)
        .unwrap_or_else(|| crate::base::deadline::default_rule(input.kind));
    let due = due_date(&rule, received, calendar);
    Ok(Checked {
        input: input.clone(),
        mail: mail.clone(),
        received,
        due,
        rep,
    })
}

/// Writes a [`check`]ed request with its journal entry in `tx`. A message registered since the
/// check (another window, a mail folder read) is refused by the key's unique index.
pub fn insert(tx: &Tx<'_>, c: &Checked) -> Result<i64> {
    let (input, mail, rep, due) = (&c.input, &c.mail, &c.rep, c.due);
    let stamp = tx.now().to_rfc3339();
    tx.execute(
        "INSERT INTO request (subject_id, requester, sender, kind, channel, received_on,
                              incoming_ref, body, status, due_on, linked_to, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'new', ?9, ?10, ?11, ?11)",
        params![
            input.subject_id,
            input.requester.trim(),
            input.sender.trim().to_lowercase(),
            input.kind.name(),
            input.channel.name(),
            c.received.to_string(),
            input.incoming_ref.trim(),
            input.body,
            due.to_string(),
            input.linked_to,
            stamp
        ],
    )?;
    let id = tx.last_insert_rowid();
    if !rep.is_empty() {
        tx.execute(
            "UPDATE request SET rep_name = ?2, rep_relation = ?3, rep_document = ?4,
                                rep_document_date = ?5
             WHERE id = ?1",
            params![
                id,
                rep.name,
                rep.relation.map(Relation::name),
                rep.document,
                (!rep.document_date.is_empty()).then_some(rep.document_date.as_str())
            ],
        )?;
    }
    if mail != &MailOrigin::default() {
        tx.execute(
            "UPDATE request SET message_key = ?2, sender_raw = ?3, intake_note = ?4, message_id = ?5
             WHERE id = ?1",
            params![
                id,
                mail.key,
                mail.sender_raw.chars().take(1000).collect::<String>(),
                mail.note,
                mail.message_id
                    .as_deref()
                    .map(|m| m.chars().take(998).collect::<String>())
            ],
        )?;
        if let Some(key) = &mail.key {
            // A message waiting in a mail folder's list is taken in by this request; what the
            // list kept of it to show (sender, subject line) is no longer needed.
            tx.prepare_cached(
                "UPDATE mail_message SET state = 'registered', request_id = ?2, sender = NULL,
                        subject_line = NULL
                 WHERE message_key = ?1",
            )?
            .execute(params![key, id])?;
        }
    }
    crate::registry::request_index::reindex(tx, id)?;
    let mut entry = Entry::new("request.created")
        .request(id)
        .detail(format!("{}, due {due}", input.kind));
    if let Some(s) = input.subject_id {
        entry = entry.record("subject", s);
    }
    tx.journal(&entry)?;
    Ok(id)
}

fn ensure_exists(conn: &Connection, kind: &'static str, sql: &str, id: i64) -> Result<()> {
    let found: Option<i64> = conn.query_row(sql, [id], |r| r.get(0)).optional()?;
    found.map(|_| ()).ok_or(Error::NotFound { kind, id })
}

/// A request waited for its requester from `from_on` until `until_on` (still waiting: `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Pause {
    #[cfg_attr(feature = "serde", serde(skip))]
    pub id: i64,
    pub reason: PauseReason,
    pub from_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Request {
    pub id: i64,
    pub subject_id: Option<i64>,
    /// The subject's full name, or who wrote when not a registered subject.
    pub who: String,
    pub requester: String,
    pub sender: String,
    pub kind: RequestKind,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub incoming_ref: String,
    pub body: String,
    pub status: RequestStatus,
    /// The legal due date.
    pub due_on: NaiveDate,
    pub extended_to: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub answered_on: Option<NaiveDate>,
    pub refusal_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub identity_method: Option<IdentityMethod>,
    pub identity_checked_on: Option<NaiveDate>,
    pub linked_to: Option<i64>,
    /// Cancelled: when, why, and the user's words.
    pub cancelled_on: Option<NaiveDate>,
    pub cancel_reason: Option<CancelReason>,
    pub cancel_note: String,
    /// Who wrote for the person, if anyone did.
    pub representative: Representative,
    pub pauses: Vec<Pause>,
    /// Against the effective due date, for open requests.
    pub standing: Option<Standing>,
}

impl Request {
    /// The extension when there is one, else the legal due date.
    pub fn effective_due(&self) -> NaiveDate {
        self.extended_to.unwrap_or(self.due_on)
    }
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(crate::base::input::parse_date)
}

const WHO: &str = "coalesce(nullif(trim(s.surname || ' ' || s.given_name || ' ' || s.patronymic), ''), r.requester)";

/// A request with its history (the journal entries naming it), as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Detail {
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub request: Request,
    pub history: Vec<crate::vault::journal::Stored>,
    /// What corrected fields were before, oldest first.
    pub revisions: Vec<Revision>,
}

pub fn detail(conn: &Connection, id: i64, today: NaiveDate) -> Result<Detail> {
    Ok(Detail {
        request: get(conn, id, today)?,
        history: crate::vault::journal::for_request(conn, id)?,
        revisions: revisions(conn, id)?,
    })
}

pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Request> {
    let row = conn
        .query_row(
            &format!(
                "SELECT r.id, r.subject_id, {WHO}, r.requester, r.sender, r.kind, r.channel,
                        r.received_on, r.incoming_ref, r.body, r.status, r.due_on, r.extended_to,
                        r.extension_reason, r.answered_on, r.refusal_reason, r.closed_on,
                        r.identity_method, r.identity_checked_on, r.linked_to, r.cancelled_on,
                        r.cancel_reason, r.cancel_note, r.rep_name, r.rep_relation, r.rep_document,
                        coalesce(r.rep_document_date, '')
                 FROM request r LEFT JOIN subject s ON s.id = r.subject_id WHERE r.id = ?1"
            ),
            [id],
            |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ),
                    (
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, String>(9)?,
                        r.get::<_, String>(10)?,
                        r.get::<_, String>(11)?,
                        r.get::<_, Option<String>>(12)?,
                        r.get::<_, Option<String>>(13)?,
                    ),
                    (
                        r.get::<_, Option<String>>(14)?,
                        r.get::<_, Option<String>>(15)?,
                        r.get::<_, Option<String>>(16)?,
                        r.get::<_, Option<String>>(17)?,
                        r.get::<_, Option<String>>(18)?,
                        r.get::<_, Option<i64>>(19)?,
                    ),
                    (
                        r.get::<_, Option<String>>(20)?,
                        r.get::<_, Option<String>>(21)?,
                        r.get::<_, String>(22)?,
                    ),
                    Representative {
                        name: r.get(23)?,
                        relation: r
                            .get::<_, Option<String>>(24)?
                            .as_deref()
                            .and_then(Relation::parse),
                        document: r.get(25)?,
                        document_date: r.get(26)?,
                    },
                ))
            },
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "request",
            id,
        })?;
    let ((id, subject_id, who, requester, sender, kind, channel), a, b, c, representative) = row;
    let (cancelled_on, cancel_reason, cancel_note) = c;
    let (received, incoming_ref, body, status, due, extended_to, extension_reason) = a;
    let (answered_on, refusal_reason, closed_on, identity_method, identity_on, linked_to) = b;
    let damaged = || Error::Damaged;
    let kind = RequestKind::parse(&kind).map_err(|_| damaged())?;
    let status = RequestStatus::parse(&status).ok_or_else(damaged)?;
    let due_on = date(Some(due)).ok_or_else(damaged)?;
    let extended_to = date(extended_to);
    let mut st = conn.prepare_cached(
        "SELECT id, reason, from_on, until_on FROM request_pause WHERE request_id = ?1 ORDER BY id",
    )?;
    let pauses = st
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(id, reason, from, until)| {
            Some(Pause {
                id,
                reason: PauseReason::parse(&reason)?,
                from_on: date(Some(from))?,
                until_on: date(until),
            })
        })
        .collect();
    let standing = if status.is_open() {
        let calendar = workdays::load(conn, today)?;
        Some(standing(extended_to.unwrap_or(due_on), today, &calendar))
    } else {
        None
    };
    Ok(Request {
        id,
        subject_id,
        who,
        requester,
        sender,
        kind,
        channel: Channel::parse(&channel).ok_or_else(damaged)?,
        received_on: date(Some(received)).ok_or_else(damaged)?,
        incoming_ref,
        body,
        status,
        due_on,
        extended_to,
        extension_reason,
        answered_on: date(answered_on),
        refusal_reason,
        closed_on: date(closed_on),
        identity_method: identity_method.as_deref().and_then(IdentityMethod::parse),
        identity_checked_on: date(identity_on),
        linked_to,
        cancelled_on: date(cancelled_on),
        cancel_reason: cancel_reason.as_deref().and_then(CancelReason::parse),
        cancel_note,
        representative,
        pauses,
        standing,
    })
}

/// Which requests a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Open and past their (effective) due date.
    Overdue,
    /// Open and due today.
    DueToday,
    /// Open and due within the next seven days (today excluded).
    DueWeek,
    /// All open ones, the most urgent first.
    #[default]
    Open,
    /// Not yet taken up.
    New,
    /// Answered, refused or closed, the latest first.
    Done,
    All,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        Some(match s {
            "overdue" => View::Overdue,
            "today" => View::DueToday,
            "week" => View::DueWeek,
            "open" => View::Open,
            "new" => View::New,
            "done" => View::Done,
            "all" => View::All,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub view: View,
    pub kind: Option<RequestKind>,
    pub subject_id: Option<i64>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Row {
    pub id: i64,
    pub who: String,
    pub kind: RequestKind,
    pub status: RequestStatus,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub extended_to: Option<NaiveDate>,
    pub incoming_ref: String,
    pub standing: Option<Standing>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct ListPage {
    pub rows: Vec<Row>,
    pub total: u64,
}

const OPEN: &str = "r.status IN ('new', 'in_progress')";
const EFFECTIVE_DUE: &str = "coalesce(r.extended_to, r.due_on)";

pub fn list(conn: &Connection, q: &ListQuery, today: NaiveDate) -> Result<ListPage> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    let t = today.to_string();
    let mut order = format!("{EFFECTIVE_DUE}, r.id");
    match q.view {
        View::Overdue => {
            let p = arg(Box::new(t));
            conds.push(format!("{OPEN} AND {EFFECTIVE_DUE} < {p}"));
        }
        View::DueToday => {
            let p = arg(Box::new(t));
            conds.push(format!("{OPEN} AND {EFFECTIVE_DUE} = {p}"));
        }
        View::DueWeek => {
            let p = arg(Box::new(t));
            let w = arg(Box::new((today + Duration::days(7)).to_string()));
            conds.push(format!(
                "{OPEN} AND {EFFECTIVE_DUE} > {p} AND {EFFECTIVE_DUE} <= {w}"
            ));
        }
        View::Open => conds.push(OPEN.to_owned()),
        View::New => conds.push("r.status = 'new'".to_owned()),
        View::Done => {
            conds.push(format!("NOT ({OPEN})"));
            order = "coalesce(r.answered_on, r.received_on) DESC, r.id DESC".to_owned();
        }
        View::All => order = "r.received_on DESC, r.id DESC".to_owned(),
    }
    if let Some(k) = q.kind {
        let p = arg(Box::new(k.name()));
        conds.push(format!("r.kind = {p}"));
    }
    if let Some(s) = q.subject_id {
        let p = arg(Box::new(s));
        conds.push(format!("r.subject_id = {p}"));
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let total: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM request r {where_}"))?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let limit = q.limit.clamp(1, 500);
    let rows = row_of(
        conn,
        &format!(
            "{where_} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        ),
        params.as_slice(),
        today,
    )?;
    Ok(ListPage {
        rows,
        total: u64::try_from(total).unwrap_or(0),
    })
}

/// The list rows of the requests that `tail` (a `WHERE … ORDER BY … LIMIT …` over `request r`)
/// selects, with their standing as of `today`.
pub(crate) fn row_of(
    conn: &Connection,
    tail: &str,
    params: &[&dyn ToSql],
    today: NaiveDate,
) -> Result<Vec<Row>> {
    let sql = format!(
        "SELECT r.id, {WHO}, r.kind, r.status, r.received_on, r.due_on, r.extended_to, r.incoming_ref
         FROM request r LEFT JOIN subject s ON s.id = r.subject_id {tail}"
    );
    let calendar = workdays::load(conn, today)?;
    let mut st = conn.prepare_cached(&sql)?;
    let raw = st
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut rows = Vec::with_capacity(raw.len());
    for (id, who, kind, status, received, due, extended, incoming_ref) in raw {
        let kind = RequestKind::parse(&kind).map_err(|_| Error::Damaged)?;
        let status = RequestStatus::parse(&status).ok_or(Error::Damaged)?;
        let due_on = date(Some(due)).ok_or(Error::Damaged)?;
        let extended_to = date(extended);
        rows.push(Row {
            id,
            who,
            kind,
            status,
            received_on: date(Some(received)).ok_or(Error::Damaged)?,
            due_on,
            extended_to,
            incoming_ref,
            standing: status
                .is_open()
                .then(|| standing(extended_to.unwrap_or(due_on), today, &calendar)),
        });
    }
    Ok(rows)
}

fn status_of(conn: &Connection, id: i64) -> Result<(RequestStatus, NaiveDate)> {
    let (status, received): (String, String) = conn
        .query_row(
            "SELECT status, received_on FROM request WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NotFound {
            kind: "request",
            id,
        })?;
    Ok((
        RequestStatus::parse(&status).ok_or(Error::Damaged)?,
        date(Some(received)).ok_or(Error::Damaged)?,
    ))
}

/// A date typed for a workflow step: not before the request was received, not in the future.
fn step_date(
    typed: &str,
    field: &'static str,
    received: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let mut issues = Vec::new();
    let d = required_date(typed, field, &mut issues);
    match d {
        Some(d) if d > today => Err(Error::Invalid(vec![FieldIssue {
            field,
            code: "date.future",
        }])),
        Some(d) if d < received => Err(Error::Invalid(vec![FieldIssue {
            field,
            code: "date.before_received",
        }])),
        Some(d) => Ok(d),
        None => Err(Error::Invalid(issues)),
    }
}

/// The date typed for a step of request `id` (see [`step_date`]).
fn typed_step_date(
    vault: &Vault,
    id: i64,
    typed: &str,
    field: &'static str,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let (_, received) = status_of(vault.conn(), id)?;
    step_date(typed, field, received, today)
}

/// One workflow step: checks the request's status is one of `from`, runs `change`, journals
/// `action`.
fn step(
    vault: &mut Vault,
    id: i64,
    from: &[RequestStatus],
    to: &'static str,
    entry: Entry,
    now: DateTime<Utc>,
    change: impl FnOnce(&Connection, NaiveDate) -> Result<()>,
) -> Result<()> {
    let (status, received) = status_of(vault.conn(), id)?;
    if !from.contains(&status) {
        return Err(Error::RequestTransition {
            from: status.name().to_owned(),
            to,
        });
    }
    vault.transact(now, |tx| {
        change(tx, received)?;
        tx.execute(
            "UPDATE request SET updated_at = ?2 WHERE id = ?1",
            params![id, now.to_rfc3339()],
        )?;
        tx.journal(&entry.request(id))?;
        Ok(())
    })
}

use RequestStatus as S;

/// Takes a new request up.
pub fn start(vault: &mut Vault, id: i64, now: DateTime<Utc>) -> Result<()> {
    step(
        vault,
        id,
        &[S::New],
        "started",
        Entry::new("request.started"),
        now,
        |tx, _| {
            tx.execute(
                "UPDATE request SET status = 'in_progress' WHERE id = ?1",
                [id],
            )?;
            Ok(())
        },
    )
}

/// Records the answer sent on `on`.
pub fn answer(
    vault: &mut Vault,
    id: i64,
    on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let on = typed_step_date(vault, id, on, "answered_on", today)?;
    let entry = Entry::new("request.answered").detail(format!("on {on}"));
    step(
        vault,
        id,
        &[S::New, S::InProgress],
        "answered",
        entry,
        now,
        |tx, _| {
            tx.execute(
                "UPDATE request SET status = 'answered', answered_on = ?2 WHERE id = ?1",
                params![id, on.to_string()],
            )?;
            close_pauses(tx, id, on)
        },
    )
}

/// Records a reasoned refusal sent on `on` (the legal reason is required: Law 94-V Art. 25).
pub fn refuse(
    vault: &mut Vault,
    id: i64,
    on: &str,
    reason: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let on = typed_step_date(vault, id, on, "answered_on", today)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "refusal_reason",
            code: "required",
        }]));
    }
    if let Some(issue) = too_long("refusal_reason", reason, 2000) {
        return Err(Error::Invalid(vec![issue]));
    }
    let entry = Entry::new("request.refused").detail(format!("on {on}"));
    step(
        vault,
        id,
        &[S::New, S::InProgress],
        "refused",
        entry,
        now,
        |tx, _| {
            tx.execute(
            "UPDATE request SET status = 'refused', answered_on = ?2, refusal_reason = ?3 WHERE id = ?1",
            params![id, on.to_string(), reason],
        )?;
            close_pauses(tx, id, on)
        },
    )
}

/// Closes an answered or refused request.
pub fn close(vault: &mut Vault, id: i64, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    step(
        vault,
        id,
        &[S::Answered, S::Refused],
        "closed",
        Entry::new("request.closed"),
        now,
        |tx, _| {
            tx.execute(
                "UPDATE request SET status = 'closed', closed_on = ?2 WHERE id = ?1",
                params![id, today.to_string()],
            )?;
            Ok(())
        },
    )
}

/// Records how the requester's identity was checked, and when.
pub fn record_identity(
    vault: &mut Vault,
    id: i64,
    method: IdentityMethod,
    on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let on = typed_step_date(vault, id, on, "identity_checked_on", today)?;
    let entry = Entry::new("request.identity_checked").detail(format!("{} on {on}", method.name()));
    let open = [S::New, S::InProgress];
    step(vault, id, &open, "identity-checked", entry, now, |tx, _| {
        tx.execute(
            "UPDATE request SET identity_method = ?2, identity_checked_on = ?3 WHERE id = ?1",
            params![id, method.name(), on.to_string()],
        )?;
        // Waiting for the identity ends with the check.
        tx.execute(
            "UPDATE request_pause SET until_on = ?2
             WHERE request_id = ?1 AND reason = 'identity' AND until_on IS NULL",
            params![id, on.to_string()],
        )?;
        Ok(())
    })
}

fn close_pauses(tx: &Connection, id: i64, on: NaiveDate) -> Result<()> {
    tx.execute(
        "UPDATE request_pause SET until_on = ?2 WHERE request_id = ?1 AND until_on IS NULL",
        params![id, on.to_string()],
    )?;
    Ok(())
}

/// Starts waiting for the requester. The legal due date does not move (docs/domain.md §2); the wait is
/// recorded and shown.
pub fn pause(
    vault: &mut Vault,
    id: i64,
    reason: PauseReason,
    from: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let from = typed_step_date(vault, id, from, "from_on", today)?;
    let waiting: Option<i64> = vault
        .conn()
        .query_row(
            "SELECT id FROM request_pause WHERE request_id = ?1 AND until_on IS NULL",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if waiting.is_some() {
        return Err(Error::RequestTransition {
            from: "waiting".to_owned(),
            to: "paused",
        });
    }
    let entry = Entry::new("request.paused").detail(format!("{} from {from}", reason.name()));
    step(
        vault,
        id,
        &[S::New, S::InProgress],
        "paused",
        entry,
        now,
        |tx, _| {
            tx.execute(
                "INSERT INTO request_pause (request_id, reason, from_on) VALUES (?1, ?2, ?3)",
                params![id, reason.name(), from.to_string()],
            )?;
            Ok(())
        },
    )
}

/// Ends the current wait (the requester answered).
pub fn resume(
    vault: &mut Vault,
    id: i64,
    on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let on = typed_step_date(vault, id, on, "until_on", today)?;
    let entry = Entry::new("request.resumed").detail(format!("on {on}"));
    step(
        vault,
        id,
        &[S::New, S::InProgress],
        "resumed",
        entry,
        now,
        |tx, _| {
            let n = tx.execute(
                "UPDATE request_pause SET until_on = ?2 WHERE request_id = ?1 AND until_on IS NULL",
                params![id, on.to_string()],
            )?;
            if n == 0 {
                return Err(Error::RequestTransition {
                    from: "not waiting".to_owned(),
                    to: "resumed",
                });
            }
            Ok(())
        },
    )
}

/// Extends the deadline to `to` with a recorded reason; the legal due date stays visible beside it.
pub fn extend(
    vault: &mut Vault,
    id: i64,
    to: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut issues = Vec::new();
    let to = required_date(to, "extended_to", &mut issues);
    let reason = reason.trim();
    if reason.is_empty() {
        issues.push(FieldIssue {
            field: "extension_reason",
            code: "required",
        });
    }
    issues.extend(too_long("extension_reason", reason, 2000));
    let due: Option<String> = vault
        .conn()
        .query_row("SELECT due_on FROM request WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let due = date(due).ok_or(Error::NotFound {
        kind: "request",
        id,
    })?;
    if let Some(t) = to
        && t <= due
    {
        issues.push(FieldIssue {
            field: "extended_to",
            code: "date.not_after_due",
        });
    }
    let (Some(to), true) = (to, issues.is_empty()) else {
        return Err(Error::Invalid(issues));
    };
    let entry = Entry::new("request.extended").detail(format!("from {due} to {to}"));
    step(
        vault,
        id,
        &[S::New, S::InProgress],
        "extended",
        entry,
        now,
        |tx, _| {
            tx.execute(
                "UPDATE request SET extended_to = ?2, extension_reason = ?3 WHERE id = ?1",
                params![id, to.to_string(), reason],
            )?;
            Ok(())
        },
    )
}

/// Links a request to another one (the user decided it is the same request again).
pub fn link(vault: &mut Vault, id: i64, to: i64, now: DateTime<Utc>) -> Result<()> {
    ensure_exists(
        vault.conn(),
        "request",
        "SELECT 1 FROM request WHERE id = ?1",
        to,
    )?;
    ensure_exists(
        vault.conn(),
        "request",
        "SELECT 1 FROM request WHERE id = ?1",
        id,
    )?;
    let entry = Entry::new("request.linked")
        .record("request", to)
        .request(id);
    vault.write(now, &entry, |tx| {
        tx.execute(
            "UPDATE request SET linked_to = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, to, now.to_rfc3339()],
        )?;
        Ok(())
    })
}

/// The requests register for an inspection or an office's own records, oldest first, in `format`:
/// number, type, channel, incoming reference, received, due (and extended), status, answered,
/// closed, and the subject's record number — no names or message texts.
pub fn export(
    conn: &Connection,
    out: &mut dyn std::io::Write,
    format: crate::files::sheet::Format,
    lang: crate::base::language::Language,
) -> Result<u64> {
    use crate::files::sheet::{Cell, Kind as K};
    let columns = crate::files::sheet::columns(
        lang,
        &[
            ("№", "№", "No.", K::Number, 8.0),
            ("Вид", "Түрі", "Type", K::Text, 34.0),
            ("Канал", "Арна", "Channel", K::Text, 12.0),
            ("Вх. №", "Кіріс №", "Incoming ref.", K::Text, 14.0),
            ("Получено", "Алынды", "Received", K::Date, 12.0),
            ("Срок", "Мерзімі", "Due", K::Date, 12.0),
            ("Продлено до", "Ұзартылды", "Extended to", K::Date, 12.0),
            ("Статус", "Мәртебесі", "Status", K::Text, 12.0),
            ("Ответ", "Жауап", "Answered", K::Date, 12.0),
            ("Закрыто", "Жабылды", "Closed", K::Date, 12.0),
            (
                "Субъект (запись №)",
                "Субъект (жазба №)",
                "Subject (record No.)",
                K::Number,
                12.0,
            ),
        ],
    );
    let sheet = crate::files::sheet::name(lang, "Обращения", "Өтініштер", "Requests");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let mut st = conn.prepare(
        "SELECT id, kind, channel, incoming_ref, received_on, due_on, extended_to, status,
                answered_on, closed_on, subject_id
         FROM request ORDER BY received_on, id",
    )?;
    let mut rows = st.query([])?;
    let date = |s: Option<String>| s.as_deref().and_then(crate::base::input::parse_date);
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        let label = RequestKind::parse(&kind)
            .map(|k| crate::requests::report::kind_label(k, lang))
            .unwrap_or("");
        let (channel, incoming, status): (String, String, String) =
            (r.get(2)?, r.get(3)?, r.get(7)?);
        w.row(&[
            Cell::Int(r.get(0)?),
            Cell::Text(label),
            Cell::Text(&channel),
            Cell::Text(&incoming),
            Cell::Date(date(r.get(4)?)),
            Cell::Date(date(r.get(5)?)),
            Cell::Date(date(r.get(6)?)),
            Cell::Text(&status),
            Cell::Date(date(r.get(8)?)),
            Cell::Date(date(r.get(9)?)),
            r.get::<_, Option<i64>>(10)?
                .map_or(Cell::Text(""), Cell::Int),
        ])?;
        n += 1;
    }
    w.finish()?;
    Ok(n)
}
