//! Search as you type over the registry: name, IIN, document number, e-mail and phone, folded as
//! [`crate::base::fold`] says, every word a prefix; with filters, in alphabetical pages (the window never
//! loads the whole list).

use crate::base::fold::words;
use crate::error::Result;
use crate::registry::subject::Status;
use chrono::NaiveDate;
use rusqlite::{Connection, ToSql};

crate::base::wire::vocab!(ConsentFilter {
    /// Has a consent in force (for the chosen purpose, if any).
    Active => "active",
    /// Has a withdrawn consent.
    Withdrawn => "withdrawn",
    /// Has no consent in force.
    Without => "without",
});

#[derive(Debug, Clone, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Query {
    pub text: String,
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::base::wire::known_or_none")
    )]
    pub status: Option<Status>,
    pub purpose_id: Option<i64>,
    #[cfg_attr(
        feature = "serde",
        serde(deserialize_with = "crate::base::wire::known_or_none")
    )]
    pub consent: Option<ConsentFilter>,
    pub open_request: Option<bool>,
    /// Only the people with no recorded basis of processing (no holding in effect, no consent in
    /// force).
    pub no_basis: bool,
    /// Only the people of this category (`subject_category`).
    pub subject_category_id: Option<i64>,
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
    /// The full name as the list shows it.
    pub name: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub surname: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub given_name: String,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub patronymic: String,
    pub iin: Option<String>,
    pub doc_number: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
}

/// Text matches past this many are not counted exactly: reported as `COUNT_CAP + 1`.
pub const COUNT_CAP: u64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Page {
    pub rows: Vec<Row>,
    /// The number of matches; with `capped`, only the first `COUNT_CAP + 1` can be shown.
    pub total: u64,
    /// There are more than [`COUNT_CAP`] text matches: the window asks the user to type on.
    pub capped: bool,
}

/// The FTS5 query for typed text: every folded word as a prefix, all required.
pub fn fts_query(text: &str) -> Option<String> {
    let w = words(text);
    (!w.is_empty()).then(|| {
        w.iter()
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// Where a page of the whole list at `offset` starts: the first rank of the block of ranks it
/// falls in (`rank_block`, migration 25) and how many of that block's people come before it. The
/// list is in rank order (src/registry/rank.rs), so the page then steps over at most one block's
/// entries instead of every entry before it (50 000 at the middle of 100 000 people: 2.7 ms, as
/// long in plain SQLite). `None` — step over them all — when the blocks do not add up to the
/// `living` subjects the list shows (a rank not yet given, mid-rebuild) or the page is past the end.
fn far_start(conn: &Connection, offset: u32, living: u64) -> Result<Option<(i64, i64)>> {
    let mut st = conn.prepare_cached("SELECT block, n FROM rank_block ORDER BY block")?;
    let mut rows = st.query([])?;
    let (mut before, mut start) = (0i64, None);
    let offset = i64::from(offset);
    while let Some(r) = rows.next()? {
        let (block, n): (i64, i64) = (r.get(0)?, r.get(1)?);
        if start.is_none() && before + n > offset {
            start = Some((block << crate::registry::rank::BLOCK_BITS, offset - before));
        }
        before += n;
    }
    Ok(start.filter(|_| u64::try_from(before).ok() == Some(living)))
}

/// What a row of the list shows, of subject `s` ([`row_of`] reads it).
const ROW_COLUMNS: &str = "SELECT s.id, s.surname, s.given_name, s.patronymic, s.iin, s.doc_number,
        (SELECT value FROM contact c WHERE c.subject_id = s.id AND c.kind = 'email' ORDER BY c.id LIMIT 1),
        (SELECT value FROM contact c WHERE c.subject_id = s.id AND c.kind = 'phone' ORDER BY c.id LIMIT 1),
        s.status";

fn row_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let (surname, given_name, patronymic): (String, String, String) =
        (r.get(1)?, r.get(2)?, r.get(3)?);
    Ok(Row {
        id: r.get(0)?,
        name: crate::base::input::full_name(&surname, &given_name, &patronymic),
        surname,
        given_name,
        patronymic,
        iin: r.get(4)?,
        doc_number: r.get(5)?,
        email: r.get(6)?,
        phone: r.get(7)?,
        status: r.get(8)?,
    })
}

pub fn search(conn: &Connection, q: &Query, today: NaiveDate) -> Result<Page> {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    // With typed text, the search index is the outer loop: its rowids are the subjects' ranks
    // (src/rank.rs), so matches come out in list order and a page reads only its own rows.
    let mut text = false;
    let typed = words(&q.text);
    if let [w] = typed.as_slice()
        && w.chars().count() == 1
    {
        // One character: the alphabet index (surnames starting with it). A single digit narrows
        // nothing useful and shows the whole list.
        if let Some(c) = w.chars().next().filter(|c| c.is_alphabetic()) {
            let next = char::from_u32(c as u32 + 1).unwrap_or(c);
            let lo = arg(Box::new(c.to_string()));
            let hi = arg(Box::new(next.to_string()));
            conds.push(format!("s.sort_key >= {lo} AND s.sort_key < {hi}"));
        }
    } else if let Some(m) = fts_query(&q.text) {
        let p = arg(Box::new(m));
        conds.push(format!("subject_fts MATCH {p}"));
        text = true;
    }
    match q.status {
        Some(st) => {
            let p = arg(Box::new(st.name()));
            conds.push(format!("s.status = {p}"));
        }
        // Destroyed and anonymized records are tombstones, not people: they have no search
        // entry and stay out of the list.
        None if !text => conds.push("s.status IN ('active', 'blocked')".to_owned()),
        None => {}
    }
    let purpose = q.purpose_id.map(|id| {
        let p = arg(Box::new(id));
        format!(" AND c.purpose_id = {p}")
    });
    let purpose_c = purpose.clone().unwrap_or_default();
    match q.consent {
        Some(ConsentFilter::Active) | Some(ConsentFilter::Without) => {
            let t = arg(Box::new(today.to_string()));
            let exists = format!(
                "EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NULL
                         AND (c.valid_until IS NULL OR c.valid_until >= {t}){purpose_c})"
            );
            conds.push(if q.consent == Some(ConsentFilter::Active) {
                exists
            } else {
                format!("NOT {exists}")
            });
        }
        Some(ConsentFilter::Withdrawn) => {
            // The subject's own mark (migration 25), whose index holds just these people in
            // list order; a chosen purpose is then looked up among their consents.
            conds.push("s.has_withdrawn = 1".to_owned());
            if purpose.is_some() {
                conds.push(format!(
                    "EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id AND c.withdrawn_at IS NOT NULL{purpose_c})"
                ));
            }
        }
        None => {
            if let Some(p) = &purpose {
                let h = p.replace("c.purpose_id", "h.purpose_id");
                conds.push(format!(
                    "(EXISTS (SELECT 1 FROM consent c WHERE c.subject_id = s.id{p})
                      OR EXISTS (SELECT 1 FROM holding h WHERE h.subject_id = s.id{h}))"
                ));
            }
        }
    }
    if let Some(c) = q.subject_category_id {
        let p = arg(Box::new(c));
        conds.push(format!("s.category_id = {p}"));
    }
    if q.no_basis {
        let t = arg(Box::new(today.to_string()));
        conds.push(crate::registry::holding::no_basis_condition(&t));
    }
    if let Some(open) = q.open_request {
        let e = "EXISTS (SELECT 1 FROM request r WHERE r.subject_id = s.id AND r.status IN ('new', 'in_progress'))";
        conds.push(if open {
            e.to_owned()
        } else {
            format!("NOT {e}")
        });
    }
    let where_ = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let (from, order) = if text {
        (
            "subject_fts CROSS JOIN subject s ON s.rank = subject_fts.rowid",
            "subject_fts.rowid",
        )
    } else {
        ("subject s", "s.sort_key, s.id")
    };
    // Text matches are counted up to COUNT_CAP + 1: past that the window says "more than N" and
    // the user types on. Filters alone are counted exactly.
    let only_text = q.status.is_none()
        && q.purpose_id.is_none()
        && q.consent.is_none()
        && q.open_request.is_none()
        && q.subject_category_id.is_none()
        && !q.no_basis;
    // The whole list: counted as the registry is (`subject::LIVING_COUNT`).
    let whole_list = !text && q.status.is_none() && conds.len() == 1;
    let count_sql = match (text, only_text) {
        _ if whole_list => crate::registry::subject::LIVING_COUNT.to_owned(),
        (true, true) => format!(
            "SELECT count(*) FROM (SELECT 1 FROM subject_fts {where_} LIMIT {})",
            COUNT_CAP + 1
        ),
        (true, false) => format!(
            "SELECT count(*) FROM (SELECT 1 FROM {from} {where_} LIMIT {})",
            COUNT_CAP + 1
        ),
        (false, _) => format!("SELECT count(*) FROM {from} {where_}"),
    };
    let limit = q.limit.clamp(1, 500);
    // Typed text alone, on the first thousand matches: one pass of the index gives the capped
    // count and the page's ranks together, and the page's rows are read by rank; the matches'
    // doclists are not walked a second time for the page.
    if text && only_text && u64::from(q.offset) + u64::from(limit) <= COUNT_CAP + 1 {
        let ranks: Vec<i64> = conn
            .prepare_cached(&format!(
                "SELECT rowid FROM subject_fts {where_} ORDER BY rowid LIMIT {}",
                COUNT_CAP + 1
            ))?
            .query_map(params.as_slice(), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        // The page's ranks as one JSON array parameter: one statement, one read of the file's
        // state, where a lookup per rank costs a statement each (1.5–2 ms for 100 against 0.3–0.6).
        let page: Vec<String> = ranks
            .iter()
            .skip(q.offset as usize)
            .take(limit as usize)
            .map(i64::to_string)
            .collect();
        let page = format!("[{}]", page.join(","));
        // A search row without its subject is left out, as the join below leaves it.
        let rows = conn
            .prepare_cached(&format!(
                "{ROW_COLUMNS} FROM subject s WHERE s.rank IN (SELECT value FROM json_each(?1))
                 ORDER BY s.rank"
            ))?
            .query_map([page], row_of)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let total = ranks.len() as u64;
        return Ok(Page {
            rows,
            total,
            capped: total > COUNT_CAP,
        });
    }
    let total: i64 = conn
        .prepare_cached(&count_sql)?
        .query_row(params.as_slice(), |r| r.get(0))?;
    let total = u64::try_from(total).unwrap_or(0);
    // A page of the whole list past the first starts at its block of ranks (`far_start`).
    let far = if whole_list && q.offset > 0 {
        far_start(conn, q.offset, total)?
    } else {
        None
    };
    let (from, where_, order, offset) = match far {
        Some((rank, skip)) => {
            args.push(Box::new(rank));
            (
                "subject s",
                format!(
                    "WHERE s.rank >= ?{} AND {}",
                    args.len(),
                    conds.join(" AND ")
                ),
                "s.rank",
                skip,
            )
        }
        None => (from, where_, order, i64::from(q.offset)),
    };
    let params: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
    let sql = format!(
        "{ROW_COLUMNS} FROM {from} {where_} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map(params.as_slice(), row_of)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page {
        rows,
        total,
        capped: text && total > COUNT_CAP,
    })
}
