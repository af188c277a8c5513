//! The stop-list: addresses that refused marketing mail (policy 6.2), kept as entries of their own
//! so that they outlive the registry record — destroying a person who refused must not put her
//! address back on the next mailing list, and a refusal from someone who is not in the registry
//! must be recordable at all.
//!
//! An entry does not hold the address: it holds HMAC-SHA256 of the normalised address under a
//! random key of this vault (`stop_key`). Cleaning a mailing list computes the same value for each
//! of its addresses and compares; nobody can read a destroyed person's address back from the vault,
//! and a table of hashed addresses made elsewhere is of no use without this vault's key (a plain
//! hash of an e-mail address is, in practice, the address).

use crate::base::contact::{normalize_email, normalize_phone};
use crate::error::{Error, FieldIssue, Result};
use crate::vault::Tx;
use crate::vault::journal::Entry as JournalEntry;
use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;
use std::collections::HashMap;
use zeroize::Zeroizing;

/// What kind of address an entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressKind {
    Email,
    Phone,
}

impl AddressKind {
    pub fn name(self) -> &'static str {
        match self {
            AddressKind::Email => "email",
            AddressKind::Phone => "phone",
        }
    }

    fn parse(s: &str) -> Option<AddressKind> {
        match s {
            "email" => Some(AddressKind::Email),
            "phone" => Some(AddressKind::Phone),
            _ => None,
        }
    }
}

/// Why an address is on the stop-list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Why {
    /// Refused marketing mail (policy 6.2).
    Refused,
    /// Withdrew the marketing consent and gave no new one (Law 94-V Art. 8 para 5); kept when the
    /// person is destroyed or anonymized.
    Withdrawn,
}

impl Why {
    pub fn name(self) -> &'static str {
        match self {
            Why::Refused => "refused",
            Why::Withdrawn => "withdrawn",
        }
    }

    fn parse(s: &str) -> Option<Why> {
        match s {
            "refused" => Some(Why::Refused),
            "withdrawn" => Some(Why::Withdrawn),
            _ => None,
        }
    }
}

/// The refusal of text in `field` that is neither an e-mail address nor a phone number.
pub(crate) fn no_address(field: &'static str) -> Error {
    Error::Invalid(vec![FieldIssue {
        field,
        code: "stop_list.no_address",
    }])
}

/// An address read from free text (an e-mail, else a phone), normalised.
pub fn address(raw: &str) -> Option<(AddressKind, String)> {
    if let Some(e) = normalize_email(raw) {
        return Some((AddressKind::Email, e));
    }
    normalize_phone(raw).map(|p| (AddressKind::Phone, p))
}

/// The vault's stop-list key; zeroized when dropped.
pub struct Key(Zeroizing<[u8; 32]>);

impl Key {
    /// The keyed digest of a normalised address. The kind is part of the message, so an e-mail
    /// and a phone written alike never match each other.
    pub fn digest(&self, kind: AddressKind, normalized: &str) -> [u8; 32] {
        // HMAC accepts a key of any length; 32 bytes cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_ref())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of every length"));
        mac.update(kind.name().as_bytes());
        mac.update(b"\0");
        mac.update(normalized.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// The vault's key. A vault of this schema always has one (migration 13 made it).
pub fn key(conn: &Connection) -> Result<Key> {
    let blob: Option<Vec<u8>> = conn
        .prepare_cached("SELECT key FROM stop_key WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let mut blob = Zeroizing::new(blob.ok_or(Error::Damaged)?);
    let bytes: [u8; 32] = blob.as_slice().try_into().map_err(|_| Error::Damaged)?;
    blob.iter_mut().for_each(|b| *b = 0);
    Ok(Key(Zeroizing::new(bytes)))
}

fn put_key(conn: &Connection, key: &Key) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO stop_key (id, key) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET key = excluded.key",
    )?
    .execute([key.0.as_slice()])?;
    Ok(())
}

/// Who an entry came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Origin {
    pub subject_id: Option<i64>,
    pub request_id: Option<i64>,
}

/// How an address goes on the list: why, since when, from whom.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    pub why: Why,
    pub refused_on: &'a str,
    pub origin: Origin,
    /// Add nothing when the address is on the list already from any origin (else: from this one).
    pub any_origin: bool,
    pub now: DateTime<Utc>,
}

/// Puts one normalised address on the list unless it is already there (see [`Listing`]);
/// returns whether an entry was added.
pub(crate) fn add(
    conn: &Connection,
    key: &Key,
    kind: AddressKind,
    normalized: &str,
    l: &Listing<'_>,
) -> Result<bool> {
    let digest = key.digest(kind, normalized);
    let known = conn
        .prepare_cached(
            "SELECT 1 FROM stop_entry WHERE digest = ?1 AND kind = ?2 AND revoked_at IS NULL
               AND (?5 OR (request_id IS ?3 AND subject_id IS ?4))",
        )?
        .exists(params![
            digest.as_slice(),
            kind.name(),
            l.origin.request_id,
            l.origin.subject_id,
            l.any_origin
        ])?;
    if known {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO stop_entry (kind, digest, reason, refused_on, request_id, subject_id, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        kind.name(),
        digest.as_slice(),
        l.why.name(),
        l.refused_on,
        l.origin.request_id,
        l.origin.subject_id,
        l.now.to_rfc3339()
    ])?;
    Ok(true)
}

/// Puts every contact of `l.origin`'s subject on the list (in the caller's transaction).
pub(crate) fn add_contacts(conn: &Connection, key: &Key, l: &Listing<'_>) -> Result<u64> {
    let Some(subject_id) = l.origin.subject_id else {
        return Ok(0);
    };
    let contacts: Vec<(String, String)> = conn
        .prepare_cached("SELECT kind, normalized FROM contact WHERE subject_id = ?1 ORDER BY id")?
        .query_map([subject_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut added = 0;
    for (kind, normalized) in contacts {
        let Some(kind) = AddressKind::parse(&kind) else {
            continue;
        };
        if add(conn, key, kind, &normalized, l)? {
            added += 1;
        }
    }
    Ok(added)
}

/// Before subject `subject_id`'s contacts are erased: if the person refused marketing, or withdrew
/// the marketing consent without a new one, each of her addresses stays on the list (contacts added
/// after the refusal included). Returns the entries added.
pub(crate) fn keep_for_erasure(tx: &Tx<'_>, subject_id: i64, today: NaiveDate) -> Result<u64> {
    let refused: Option<(String, Option<i64>)> = tx
        .prepare_cached(
            "SELECT refused_at, request_id FROM marketing_refusal
             WHERE subject_id = ?1 AND revoked_at IS NULL ORDER BY refused_at, id LIMIT 1",
        )?
        .query_row([subject_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (why, on, request_id) = match refused {
        Some((on, request_id)) => (Why::Refused, on, request_id),
        None => {
            let withdrawn: Option<String> = tx
                .prepare_cached(
                    "SELECT max(c.withdrawn_at) FROM consent c JOIN purpose p ON p.id = c.purpose_id
                     WHERE c.subject_id = ?1 AND p.is_marketing = 1 AND c.withdrawn_at IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM consent a JOIN purpose q ON q.id = a.purpose_id
                            WHERE a.subject_id = ?1 AND q.is_marketing = 1 AND a.withdrawn_at IS NULL
                              AND (a.valid_until IS NULL OR a.valid_until >= ?2))",
                )?
                .query_row(params![subject_id, today.to_string()], |r| r.get(0))?;
            match withdrawn {
                Some(on) => (Why::Withdrawn, on, None),
                None => return Ok(0),
            }
        }
    };
    let key = key(tx)?;
    let on = on.get(..10).unwrap_or(&on).to_owned();
    let l = Listing {
        why,
        refused_on: &on,
        origin: Origin {
            subject_id: Some(subject_id),
            request_id,
        },
        // An address already on the list from elsewhere needs no second entry.
        any_origin: true,
        now: tx.now(),
    };
    add_contacts(tx, &key, &l)
}

/// The digests on the list now, with the reason (a refusal outranks a withdrawal).
pub(crate) fn active(conn: &Connection) -> Result<HashMap<(AddressKind, [u8; 32]), Why>> {
    let mut st =
        conn.prepare("SELECT kind, digest, reason FROM stop_entry WHERE revoked_at IS NULL")?;
    let mut map = HashMap::new();
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, digest, why) = row?;
        let (Some(kind), Ok(digest), Some(why)) = (
            AddressKind::parse(&kind),
            <[u8; 32]>::try_from(digest.as_slice()),
            Why::parse(&why),
        ) else {
            return Err(Error::Damaged);
        };
        map.entry((kind, digest))
            .and_modify(|w: &mut Why| *w = (*w).min(why))
            .or_insert(why);
    }
    Ok(map)
}

/// One entry as the list shows it (no address: it is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub kind: AddressKind,
    pub why: Why,
    pub refused_on: String,
    pub subject_id: Option<i64>,
    pub request_id: Option<i64>,
    digest: [u8; 32],
}

impl Entry {
    /// Equal for the entries of one address (and only for them).
    pub fn address_id(&self) -> (AddressKind, [u8; 32]) {
        (self.kind, self.digest)
    }

    /// Whether this entry is of the normalised address `normalized`.
    pub fn is_of(&self, key: &Key, normalized: &str) -> bool {
        key.digest(self.kind, normalized) == self.digest
    }
}

/// Every entry in force, oldest first.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut st = conn.prepare(
        "SELECT id, kind, reason, refused_on, subject_id, request_id, digest FROM stop_entry
         WHERE revoked_at IS NULL ORDER BY refused_on, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, Vec<u8>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, kind, why, refused_on, subject_id, request_id, digest) = row?;
        let (Some(kind), Some(why), Ok(digest)) = (
            AddressKind::parse(&kind),
            Why::parse(&why),
            <[u8; 32]>::try_from(digest.as_slice()),
        ) else {
            return Err(Error::Damaged);
        };
        out.push(Entry {
            id,
            kind,
            why,
            refused_on,
            subject_id,
            request_id,
            digest,
        });
    }
    Ok(out)
}

/// Whether request `request_id`'s refusal is on the list.
pub fn has_request(conn: &Connection, request_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM stop_entry WHERE request_id = ?1 AND revoked_at IS NULL")?
        .exists([request_id])?)
}

/// The entries of the refusals recorded before the stop-list existed, derived under this vault's
/// key once its migration has made one (`vault::migration::PENDING_STOP_LIST`). Returns how many.
pub(crate) fn derive_pending(conn: &Connection, now: DateTime<Utc>) -> Result<u64> {
    let key = key(conn)?;
    derive_from_refusals(conn, &key, now)
}

/// Entries for the addresses of every refusal recorded in the registry.
fn derive_from_refusals(conn: &Connection, key: &Key, now: DateTime<Utc>) -> Result<u64> {
    let refusals: Vec<(i64, String, Option<i64>)> = conn
        .prepare(
            "SELECT subject_id, refused_at, request_id FROM marketing_refusal
             WHERE revoked_at IS NULL ORDER BY refused_at, id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut added = 0;
    for (subject_id, on, request_id) in refusals {
        let on = on.get(..10).unwrap_or(&on);
        let l = Listing {
            why: Why::Refused,
            refused_on: on,
            origin: Origin {
                subject_id: Some(subject_id),
                request_id,
            },
            any_origin: false,
            now,
        };
        added += add_contacts(conn, key, &l)?;
    }
    Ok(added)
}

/// On a restore of this vault's own backup: the restored file (`restored`, being made the vault)
/// takes the current vault's key and every entry it does not have, so a refusal recorded after the
/// backup — an unregistered sender's, or a person's since destroyed — stays on the list. A backup
/// older than the stop-list got a key of its own when it was migrated; its entries then all come
/// from its refusals and are derived again under the current key. Returns the entries carried.
pub(crate) fn carry_forward(
    current: &Connection,
    restored: &Tx<'_>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let key = key(current)?;
    let theirs = self::key(restored)?;
    if theirs.0.as_slice() != key.0.as_slice() {
        restored.execute("DELETE FROM stop_entry", [])?;
        put_key(restored, &key)?;
        derive_from_refusals(restored, &key, now)?;
    }
    type Row = (
        String,
        Vec<u8>,
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = current
        .prepare(
            "SELECT kind, digest, reason, refused_on, request_id, subject_id, added_at, revoked_at
             FROM stop_entry ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut exists = restored.prepare_cached(
        "SELECT 1 FROM stop_entry WHERE kind = ?1 AND digest = ?2 AND reason = ?3
           AND request_id IS ?4 AND subject_id IS ?5",
    )?;
    let mut has_request = restored.prepare_cached("SELECT 1 FROM request WHERE id = ?1")?;
    let mut has_subject = restored.prepare_cached("SELECT 1 FROM subject WHERE id = ?1")?;
    let mut insert = restored.prepare_cached(
        "INSERT INTO stop_entry (kind, digest, reason, refused_on, request_id, subject_id,
                                 added_at, revoked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut carried = 0;
    for (kind, digest, why, on, request_id, subject_id, added_at, revoked_at) in rows {
        // A request or record made after the backup is not in the restored file; the entry stays,
        // without the link.
        let request_id = match request_id {
            Some(r) if has_request.exists([r])? => Some(r),
            _ => None,
        };
        let subject_id = match subject_id {
            Some(s) if has_subject.exists([s])? => Some(s),
            _ => None,
        };
        if exists.exists(params![kind, digest, why, request_id, subject_id])? {
            continue;
        }
        insert.execute(params![
            kind, digest, why, on, request_id, subject_id, added_at, revoked_at
        ])?;
        carried += 1;
    }
    Ok(carried)
}

/// What recording an unregistered sender's refusal did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub kind: AddressKind,
    /// False when the same request's refusal was already on the list.
    pub added: bool,
}

/// Puts the sender of request `request_id`, who is not in the registry, on the list (policy
/// 6.2: anyone can refuse, registered or not). In the caller's transaction; journaled with the
/// request (no address in the journal).
pub(crate) fn add_sender(
    tx: &Tx<'_>,
    request_id: i64,
    sender: &str,
    on: NaiveDate,
) -> Result<Recorded> {
    let Some((kind, normalized)) = address(sender) else {
        return Err(no_address("sender"));
    };
    let key = key(tx)?;
    let on = on.to_string();
    let l = Listing {
        why: Why::Refused,
        refused_on: &on,
        origin: Origin {
            subject_id: None,
            request_id: Some(request_id),
        },
        any_origin: false,
        now: tx.now(),
    };
    let added = add(tx, &key, kind, &normalized, &l)?;
    if added {
        tx.journal(
            &JournalEntry::new("marketing.refused")
                .request(request_id)
                .detail(format!("unregistered sender, {}", kind.name())),
        )?;
    }
    Ok(Recorded { kind, added })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_keyed_and_typed() {
        let (a, b) = (Key(Zeroizing::new([1; 32])), Key(Zeroizing::new([2; 32])));
        let d = a.digest(AddressKind::Email, "aigerim@example.kz");
        assert_eq!(d, a.digest(AddressKind::Email, "aigerim@example.kz"));
        assert_ne!(d, b.digest(AddressKind::Email, "aigerim@example.kz"));
        assert_ne!(d, a.digest(AddressKind::Phone, "aigerim@example.kz"));
        // Not the plain SHA-256 of the address.
        use sha2::Digest;
        let plain: [u8; 32] = Sha256::digest(b"aigerim@example.kz").into();
        assert_ne!(d, plain);
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address(" Aigerim@Example.KZ "),
            Some((AddressKind::Email, "aigerim@example.kz".into()))
        );
        assert_eq!(
            address("8 (701) 234-56-78"),
            Some((AddressKind::Phone, "+77012345678".into()))
        );
        assert_eq!(address("Айгерим"), None);
    }
}
