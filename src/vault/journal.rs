//! The journal: an append-only, hash-chained record of every change and of every opening of a
//! subject's card (the access log inspectors expect under Order 179/НҚ). Each entry's hash covers the
//! previous entry's hash and all its own fields, so editing or removing a past entry breaks the chain
//! from there on, and [`verify`] names the first broken entry. It is written in the same transaction
//! as the change it records. It holds ids, never personal data values.

use crate::base::language::Language;
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who acts: the operating-system user and the operator's person in charge of personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Actor {
    pub os_user: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub responsible: String,
}

impl Actor {
    /// The operating-system account this process runs as: its name and uid from the account
    /// database (`getpwuid_r` of the real uid), never `$USER`, which anyone can set (issue 16).
    /// `responsible` is filled from the vault's settings.
    pub fn current() -> Actor {
        // SAFETY: getuid cannot fail and touches no memory of ours.
        let uid = unsafe { libc::getuid() };
        let os_user = match account_name(uid) {
            Some(name) => format!("{name} ({uid})"),
            None => format!("uid {uid}"),
        };
        Actor {
            os_user,
            responsible: String::new(),
        }
    }
}

/// The name of account `uid` in the system's account database, if it has one.
fn account_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    // SAFETY: `pwd` is plain old data filled by getpwuid_r; `buf` outlives every pointer the call
    // stores in it, and its length is passed with it.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        );
        if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
        (!name.is_empty()).then(|| name.into_owned())
    }
}

/// What happened. `detail` must not contain personal data: name records by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Entry {
    pub action: String,
    pub record_kind: Option<String>,
    pub record_id: Option<i64>,
    pub request_id: Option<i64>,
    pub detail: String,
}

impl Entry {
    pub fn new(action: &str) -> Entry {
        Entry {
            action: action.to_owned(),
            ..Entry::default()
        }
    }

    pub fn record(mut self, kind: &str, id: i64) -> Entry {
        self.record_kind = Some(kind.to_owned());
        self.record_id = Some(id);
        self
    }

    pub fn request(mut self, id: i64) -> Entry {
        self.request_id = Some(id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Entry {
        self.detail = detail.into();
        self
    }
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Stored {
    pub seq: i64,
    pub at: String,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub actor: Actor,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub entry: Entry,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub prev_hash: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub hash: String,
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each length-prefixed.
/// Public so that the chain can be recomputed outside Derbes (an inspection's own check).
pub fn hash_of(seq: i64, at: &str, actor: &Actor, e: &Entry, prev: &str) -> String {
    let mut h = Sha256::new();
    // Every field is length-prefixed so that moving text between fields changes the hash.
    let mut field = |b: &[u8]| {
        h.update((b.len() as u64).to_le_bytes());
        h.update(b);
    };
    field(prev.as_bytes());
    field(&seq.to_le_bytes());
    field(at.as_bytes());
    field(actor.os_user.as_bytes());
    field(actor.responsible.as_bytes());
    field(e.action.as_bytes());
    field(e.record_kind.as_deref().unwrap_or("\u{0}").as_bytes());
    field(&e.record_id.map_or([0xff; 8], i64::to_le_bytes));
    field(&e.request_id.map_or([0xff; 8], i64::to_le_bytes));
    field(e.detail.as_bytes());
    // By a table, not `format!` per byte: verifying walks every entry (0.57 s → see
    // benches/vault.rs for 100 000 entries).
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in h.finalize() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// An entry's time as the journal writes it (RFC 3339, milliseconds, UTC).
pub fn time_of(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The newest entry's sequence number and hash, if any.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Appends an entry. Call it inside the transaction of the change it records.
pub fn append(conn: &Connection, actor: &Actor, now: DateTime<Utc>, e: &Entry) -> Result<i64> {
    let head = head(conn)?;
    Ok(append_after(conn, actor, now, e, head)?.0)
}

/// Appends an entry after a known head (as returned by [`head`] or by the previous append in the
/// same transaction) and returns the new head: a large batch saves a query per entry.
pub fn append_after(
    conn: &Connection,
    actor: &Actor,
    now: DateTime<Utc>,
    e: &Entry,
    last: Option<(i64, String)>,
) -> Result<(i64, String)> {
    let (seq, prev) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_owned()),
    };
    let at = time_of(now);
    let hash = hash_of(seq, &at, actor, e, &prev);
    conn.prepare_cached(
        "INSERT INTO journal (seq, at, os_user, responsible, action, record_kind, record_id,
                              request_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        at,
        actor.os_user,
        actor.responsible,
        e.action,
        e.record_kind,
        e.record_id,
        e.request_id,
        e.detail,
        prev,
        hash
    ])?;
    Ok((seq, hash))
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: Actor {
            os_user: r.get(2)?,
            responsible: r.get(3)?,
        },
        entry: Entry {
            action: r.get(4)?,
            record_kind: r.get(5)?,
            record_id: r.get(6)?,
            request_id: r.get(7)?,
            detail: r.get(8)?,
        },
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}

const SELECT: &str = "SELECT seq, at, os_user, responsible, action, record_kind, record_id,
                             request_id, detail, prev_hash, hash FROM journal";

/// The newest `limit` entries, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<Stored>> {
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY seq DESC LIMIT ?1"))?;
    let rows = st.query_map([limit], read_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The whole journal for an inspection, oldest first, in `format` (CSV or `.xlsx`), with each
/// entry's hash so the chain can be checked outside Derbes. Entries hold ids and codes, never
/// personal data.
pub fn export(
    conn: &Connection,
    out: &mut dyn std::io::Write,
    format: crate::files::sheet::Format,
    lang: Language,
) -> Result<u64> {
    use crate::files::sheet::{Cell, Kind};
    let columns = crate::files::sheet::columns(
        lang,
        &[
            ("№", "№", "seq", Kind::Number, 8.0),
            ("Время (UTC)", "Уақыты (UTC)", "at (UTC)", Kind::Text, 26.0),
            (
                "Пользователь ОС",
                "ОЖ пайдаланушысы",
                "OS user",
                Kind::Text,
                14.0,
            ),
            ("Ответственный", "Жауапты", "responsible", Kind::Text, 22.0),
            ("Действие", "Әрекет", "action", Kind::Text, 24.0),
            ("Запись", "Жазба", "record kind", Kind::Text, 12.0),
            ("№ записи", "Жазба №", "record id", Kind::Number, 10.0),
            ("№ обращения", "Өтініш №", "request id", Kind::Number, 10.0),
            ("Подробности", "Толығырақ", "detail", Kind::Text, 30.0),
            (
                "Хеш предыдущей",
                "Алдыңғы хеш",
                "prev_hash",
                Kind::Text,
                20.0,
            ),
            ("Хеш", "Хеш", "hash", Kind::Text, 20.0),
        ],
    );
    let sheet = crate::files::sheet::name(lang, "Журнал", "Журнал", "Journal");
    let mut w = crate::files::sheet::writer(format, out, &sheet, &columns)?;
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
    let mut n = 0;
    for row in st.query_map([], read_row)? {
        let e = row?;
        let id = |v: Option<i64>| v.map_or(Cell::Text(""), Cell::Int);
        w.row(&[
            Cell::Int(e.seq),
            Cell::Text(&e.at),
            Cell::Text(&e.actor.os_user),
            Cell::Text(&e.actor.responsible),
            Cell::Text(&e.entry.action),
            Cell::Text(e.entry.record_kind.as_deref().unwrap_or("")),
            id(e.entry.record_id),
            id(e.entry.request_id),
            Cell::Text(&e.entry.detail),
            Cell::Text(&e.prev_hash),
            Cell::Text(&e.hash),
        ])?;
        n += 1;
    }
    w.finish()?;
    Ok(n)
}

/// The entries about one request, oldest first: its history.
pub fn for_request(conn: &Connection, request_id: i64) -> Result<Vec<Stored>> {
    let mut st = conn.prepare_cached(&format!("{SELECT} WHERE request_id = ?1 ORDER BY seq"))?;
    let rows = st.query_map([request_id], read_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Checks the whole chain; returns the number of entries, or the first broken one.
pub fn verify(conn: &Connection) -> Result<u64> {
    let mut st = conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
    let mut rows = st.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut n = 0u64;
    while let Some(row) = rows.next()? {
        let s = read_row(row)?;
        if s.seq != expected_seq {
            return Err(Error::JournalBroken {
                seq: expected_seq,
                reason: "an entry is missing",
            });
        }
        if s.prev_hash != prev {
            return Err(Error::JournalBroken {
                seq: s.seq,
                reason: "it does not follow the entry before it",
            });
        }
        if hash_of(s.seq, &s.at, &s.actor, &s.entry, &s.prev_hash) != s.hash {
            return Err(Error::JournalBroken {
                seq: s.seq,
                reason: "its content was changed",
            });
        }
        prev = s.hash;
        expected_seq += 1;
        n += 1;
    }
    Ok(n)
}
/// The journal's head an act or a report was made at : with it, the document can be
/// checked against the journal and its anchor later.
pub fn position_line(lang: Language, seq: i64, hash: &str) -> String {
    match lang {
        Language::Ru => {
            format!("Журнал действий на момент составления: запись № {seq}, хеш {hash}")
        }
        Language::Kk => format!("Жасалған сәттегі әрекеттер журналы: № {seq} жазба, хеш {hash}"),
        Language::En => format!("Journal at the time this was made: entry No. {seq}, hash {hash}"),
    }
}
