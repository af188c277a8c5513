//! A vault's figures at a glance: what the CLI's `status` prints and the dashboard's first row shows.

use crate::error::Result;
use crate::vault::{Vault, migration};
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub schema_version: i64,
    pub is_demo: bool,
    pub subjects: i64,
    pub consents: i64,
    pub requests: i64,
    pub open_requests: i64,
    pub overdue_requests: i64,
    pub due_today: i64,
    pub journal_entries: i64,
}

/// Open requests are `new` or `in_progress`; a recorded extension replaces the legal due date for
/// being overdue.
pub fn status(vault: &Vault, today: NaiveDate) -> Result<Status> {
    let c = vault.conn();
    let count = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    let today = today.to_string();
    let open_with = |cmp: &str| -> Result<i64> {
        Ok(c.query_row(
            &format!(
                "SELECT count(*) FROM request WHERE status IN ('new', 'in_progress')
                 AND coalesce(extended_to, due_on) {cmp} ?1"
            ),
            [&today],
            |r| r.get(0),
        )?)
    };
    Ok(Status {
        schema_version: migration::current_version(c)?,
        is_demo: vault.setting("demo")?.as_deref() == Some("1"),
        subjects: count("SELECT count(*) FROM subject")?,
        consents: count("SELECT count(*) FROM consent")?,
        requests: count("SELECT count(*) FROM request")?,
        open_requests: count(
            "SELECT count(*) FROM request WHERE status IN ('new', 'in_progress')",
        )?,
        overdue_requests: open_with("<")?,
        due_today: open_with("=")?,
        journal_entries: count("SELECT count(*) FROM journal")?,
    })
}
