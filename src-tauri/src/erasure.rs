//! Commands of destruction, anonymization and the retention sweep, each a call into the core; the
//! confirmation shows the core's preview before anything is done.

use crate::commands::with_vault;
use crate::dto::CmdResult;
use crate::prefs::Language;
use crate::session::Session;
use derbes::erasure::retention;
use derbes::erasure::{self, Action, Done, Keep, Order};
use tauri::State;

/// Exactly what destroying or anonymizing these people would touch.
#[tauri::command]
pub fn erasure_preview(
    session: State<'_, Session>,
    action: Action,
    subject_ids: Vec<i64>,
    keep: Keep,
) -> CmdResult<erasure::Preview> {
    with_vault(&session, |v, _, _| {
        erasure::preview(v.conn(), action, &subject_ids, keep)
    })
}

/// Destroys or anonymizes, with the basis (words and/or a request), and issues the act.
#[tauri::command(async)]
pub fn erasure_run(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    order: Order,
) -> CmdResult<Done> {
    jobs.run(|progress| {
        with_vault(&session, |v, today, now| {
            erasure::run_with(v, &order, today, now, progress)
        })
    })
}

/// What stays of a destroyed or anonymized person (`null` for anyone else).
#[tauri::command]
pub fn subject_tombstone(
    session: State<'_, Session>,
    id: i64,
) -> CmdResult<Option<erasure::Tombstone>> {
    with_vault(&session, |v, _, _| erasure::tombstone(v.conn(), id))
}

/// The retention sweep: counts, and one page of the people concerned with their names.
#[tauri::command(async)]
pub fn retention_sweep(
    session: State<'_, Session>,
    offset: usize,
    limit: usize,
) -> CmdResult<retention::Page> {
    with_vault(&session, |v, today, _| {
        retention::page(v.conn(), offset, limit, today)
    })
}

/// Carries the sweep out in one batch with one act.
#[tauri::command(async)]
pub fn retention_carry_out(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    action: Action,
    keep: Keep,
    lang: Language,
) -> CmdResult<Done> {
    jobs.run(|progress| {
        with_vault(&session, |v, today, now| {
            retention::carry_out_with(v, action, keep, None, lang, today, now, progress)
        })
    })
}

/// What needs attention soon (issue 19): consents and holdings ending, requests due on the next
/// working day, next year's calendar in December.
#[tauri::command(async)]
pub fn reminders_list(session: State<'_, Session>) -> CmdResult<derbes::app::reminders::Reminders> {
    with_vault(&session, |v, today, _| {
        derbes::app::reminders::reminders(v.conn(), today, None)
    })
}
