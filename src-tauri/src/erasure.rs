//! Commands of destruction, anonymization and the retention sweep. They translate page values to
//! core types and back; the confirmation shows the core's preview before anything is done.

use crate::commands::with_vault;
use crate::dto::{CmdResult, CommandError};
use crate::letters::{LetterRowDto, row_dto};
use crate::prefs::Language;
use crate::registry::today;
use crate::session::Session;
use chrono::Utc;
use derbes::erasure::retention;
use derbes::erasure::{self, Action, Done, Keep, Order};
use derbes::registry::blocking::Basis;
use serde::{Deserialize, Serialize};
use tauri::State;

fn action(s: &str) -> CmdResult<Action> {
    Action::parse(s).ok_or_else(|| CommandError::new("erasure.unknown_action", "unknown action"))
}

fn lang(s: &str) -> CmdResult<Language> {
    Language::parse(s)
        .ok_or_else(|| CommandError::new("prefs.unknown_language", "unknown language"))
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "camelCase", default)]
pub struct KeepDto {
    birth_year: bool,
    sex: bool,
    holdings: bool,
}

impl From<KeepDto> for Keep {
    fn from(k: KeepDto) -> Keep {
        Keep {
            birth_year: k.birth_year,
            sex: k.sex,
            holdings: k.holdings,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewDto {
    subjects: u64,
    contacts: u64,
    holdings: u64,
    consents: u64,
    refusals: u64,
    requests: u64,
    open_requests: u64,
    letters: u64,
    marketing_refusers: u64,
    blocked: u64,
}

/// Exactly what destroying or anonymizing these people would touch.
#[tauri::command]
pub fn erasure_preview(
    session: State<'_, Session>,
    action: String,
    subject_ids: Vec<i64>,
    keep: KeepDto,
) -> CmdResult<PreviewDto> {
    let a = self::action(&action)?;
    with_vault(&session, |v| preview_view(v, a, &subject_ids, keep))
}

pub(crate) fn preview_view(
    v: &derbes::Vault,
    a: Action,
    subject_ids: &[i64],
    keep: KeepDto,
) -> derbes::Result<PreviewDto> {
    {
        let p = erasure::preview(v.conn(), a, subject_ids, keep.into())?;
        Ok(PreviewDto {
            subjects: p.subjects,
            contacts: p.contacts,
            holdings: p.holdings,
            consents: p.consents,
            refusals: p.refusals,
            requests: p.requests,
            open_requests: p.open_requests,
            letters: p.letters,
            marketing_refusers: p.marketing_refusers,
            blocked: p.blocked,
        })
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoneDto {
    batch_id: i64,
    subjects: u64,
    holdings: u64,
    act: LetterRowDto,
}

fn done_dto(d: Done) -> DoneDto {
    DoneDto {
        batch_id: d.batch_id,
        subjects: d.subjects,
        holdings: d.holdings,
        act: row_dto(d.act),
    }
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
    keep: KeepDto,
    lang: String,
) -> CmdResult<DoneDto> {
    let order = Order {
        action: self::action(&action)?,
        subjects: subject_ids,
        basis: Basis {
            request_id,
            text: basis,
        },
        keep: keep.into(),
        lang: self::lang(&lang)?,
    };
    jobs.run(|progress| {
        with_vault(&session, |v| {
            erasure::run_with(v, &order, today(), Utc::now(), progress).map(done_dto)
        })
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TombstoneDto {
    subject_id: i64,
    action: &'static str,
    done_on: String,
    basis: String,
    request_id: Option<i64>,
    act_id: Option<i64>,
    act_number: Option<String>,
    categories: Vec<String>,
    birth_year: Option<i64>,
    sex: Option<String>,
}

/// What stays of a destroyed or anonymized person (`null` for anyone else).
#[tauri::command]
pub fn subject_tombstone(session: State<'_, Session>, id: i64) -> CmdResult<Option<TombstoneDto>> {
    with_vault(&session, |v| tombstone_view(v, id))
}

pub(crate) fn tombstone_view(v: &derbes::Vault, id: i64) -> derbes::Result<Option<TombstoneDto>> {
    {
        Ok(erasure::tombstone(v.conn(), id)?.map(|t| TombstoneDto {
            subject_id: t.subject_id,
            action: t.action.name(),
            done_on: t.done_on.to_string(),
            basis: t.basis,
            request_id: t.request_id,
            act_id: t.act_id,
            act_number: t.act_number,
            categories: t.categories,
            birth_year: t.birth_year,
            sex: t.sex,
        }))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueHoldingDto {
    category_id: i64,
    purpose_id: i64,
    reason: &'static str,
    ended_on: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueSubjectDto {
    subject_id: i64,
    name: String,
    whole: bool,
    holdings: Vec<DueHoldingDto>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepDto {
    whole: u64,
    partial: u64,
    holdings: u64,
    /// The page asked for (`offset`, `limit`), in subject order.
    rows: Vec<DueSubjectDto>,
}

/// The retention sweep: counts, and one page of the people concerned with their names.
#[tauri::command(async)]
pub fn retention_sweep(
    session: State<'_, Session>,
    offset: usize,
    limit: usize,
) -> CmdResult<SweepDto> {
    with_vault(&session, |v| sweep_view(v, offset, limit, today()))
}

pub(crate) fn sweep_view(
    v: &derbes::Vault,
    offset: usize,
    limit: usize,
    today: chrono::NaiveDate,
) -> derbes::Result<SweepDto> {
    {
        let s = retention::sweep(v.conn(), today)?;
        let mut rows = Vec::new();
        for d in s.subjects.iter().skip(offset).take(limit.clamp(1, 500)) {
            let card = derbes::registry::card::read_card(v.conn(), d.subject_id, today)?;
            rows.push(DueSubjectDto {
                subject_id: d.subject_id,
                name: [card.surname, card.given_name, card.patronymic]
                    .iter()
                    .filter(|x| !x.is_empty())
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
                whole: d.whole,
                holdings: d
                    .holdings
                    .iter()
                    .map(|h| DueHoldingDto {
                        category_id: h.category_id,
                        purpose_id: h.purpose_id,
                        reason: h.reason.name(),
                        ended_on: h.ended_on.to_string(),
                    })
                    .collect(),
            });
        }
        Ok(SweepDto {
            whole: s.whole,
            partial: s.partial,
            holdings: s.holdings,
            rows,
        })
    }
}

/// Carries the sweep out in one batch with one act.
#[tauri::command(async)]
pub fn retention_carry_out(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    action: String,
    keep: KeepDto,
    lang: String,
) -> CmdResult<DoneDto> {
    let a = self::action(&action)?;
    let l = self::lang(&lang)?;
    jobs.run(|progress| {
        with_vault(&session, |v| {
            retention::carry_out_with(v, a, keep.into(), None, l, today(), Utc::now(), progress)
                .map(done_dto)
        })
    })
}
