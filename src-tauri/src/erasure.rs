//! Commands of destruction, anonymization and the retention sweep. They translate page values to
//! core types and back; the confirmation shows the core's preview before anything is done.

use crate::commands::with_vault;
use crate::dto::{CmdResult, CommandError};
use crate::prefs::Language;
use crate::registry::today;
use crate::session::Session;
use chrono::Utc;
use derbes::erasure::retention;
use derbes::erasure::{self, Action, Done, Keep, Order};
use derbes::registry::blocking::Basis;
use tauri::State;

fn action(s: &str) -> CmdResult<Action> {
    Action::parse(s).ok_or_else(|| CommandError::new("erasure.unknown_action", "unknown action"))
}

fn lang(s: &str) -> CmdResult<Language> {
    Language::parse(s)
        .ok_or_else(|| CommandError::new("prefs.unknown_language", "unknown language"))
}

/// Exactly what destroying or anonymizing these people would touch.
#[tauri::command]
pub fn erasure_preview(
    session: State<'_, Session>,
    action: String,
    subject_ids: Vec<i64>,
    keep: Keep,
) -> CmdResult<erasure::Preview> {
    let a = self::action(&action)?;
    with_vault(&session, |v| {
        erasure::preview(v.conn(), a, &subject_ids, keep)
    })
}

/// Destroys or anonymizes, with the basis (words and/or a request), and issues the act.
#[tauri::command(async)]
#[allow(clippy::too_many_arguments)]
pub fn erasure_run(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    action: String,
    subject_ids: Vec<i64>,
    basis: String,
    request_id: Option<i64>,
    keep: Keep,
    lang: String,
) -> CmdResult<Done> {
    let order = Order {
        action: self::action(&action)?,
        subjects: subject_ids,
        basis: Basis {
            request_id,
            text: basis,
        },
        keep,
        lang: self::lang(&lang)?,
    };
    jobs.run(|progress| {
        with_vault(&session, |v| {
            erasure::run_with(v, &order, today(), Utc::now(), progress)
        })
    })
}

/// What stays of a destroyed or anonymized person (`null` for anyone else).
#[tauri::command]
pub fn subject_tombstone(
    session: State<'_, Session>,
    id: i64,
) -> CmdResult<Option<erasure::Tombstone>> {
    with_vault(&session, |v| erasure::tombstone(v.conn(), id))
}

/// The retention sweep: counts, and one page of the people concerned with their names.
#[tauri::command(async)]
pub fn retention_sweep(
    session: State<'_, Session>,
    offset: usize,
    limit: usize,
) -> CmdResult<retention::Page> {
    with_vault(&session, |v| {
        retention::page(v.conn(), offset, limit, today())
    })
}

/// Carries the sweep out in one batch with one act.
#[tauri::command(async)]
pub fn retention_carry_out(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    action: String,
    keep: Keep,
    lang: String,
) -> CmdResult<Done> {
    let a = self::action(&action)?;
    let l = self::lang(&lang)?;
    jobs.run(|progress| {
        with_vault(&session, |v| {
            retention::carry_out_with(v, a, keep, None, l, today(), Utc::now(), progress)
        })
    })
}
