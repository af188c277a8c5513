//! Commands of the transfers register, the list of states protecting personal data, and the
//! breaches register. They translate page values to core types and back.

use crate::commands::with_vault;
use crate::dto::{CmdResult, CommandError};
use crate::registry::{save_table, today};
use crate::session::Session;
use chrono::Utc;
use derbes::base::deadline::Standing;
use derbes::registry::transfer::{self, Basis, Country, Transfer, TransferInput};
use derbes::requests::breach::{self, Breach, BreachInput};
use serde::{Deserialize, Serialize};
use tauri::State;

fn date(s: &str, field: &'static str) -> CmdResult<chrono::NaiveDate> {
    derbes::base::input::parse_date(s).ok_or_else(|| {
        derbes::Error::Invalid(vec![derbes::FieldIssue {
            field,
            code: "date.format",
        }])
        .into()
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferArgs {
    subject_id: i64,
    recipient: String,
    country: String,
    category_ids: Vec<i64>,
    purpose_id: i64,
    basis: String,
    #[serde(default)]
    basis_ref: String,
    transferred_on: String,
    #[serde(default)]
    override_reason: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferDto {
    id: i64,
    recipient: String,
    country: String,
    cross_border: bool,
    categories: Vec<String>,
    purpose_id: i64,
    basis: &'static str,
    consent_id: Option<i64>,
    basis_ref: String,
    transferred_on: String,
    override_reason: Option<String>,
}

impl From<Transfer> for TransferDto {
    fn from(t: Transfer) -> Self {
        TransferDto {
            id: t.id,
            recipient: t.recipient,
            country: t.country,
            cross_border: t.cross_border,
            categories: t.categories,
            purpose_id: t.purpose_id,
            basis: t.basis.name(),
            consent_id: t.consent_id,
            basis_ref: t.basis_ref,
            transferred_on: t.transferred_on.to_string(),
            override_reason: t.override_reason,
        }
    }
}

/// Records a transfer; refused (`transfer.refused`, the reason in `issues`) without a basis
/// unless `overrideReason` gives a written justification.
#[tauri::command]
pub fn transfer_record(session: State<'_, Session>, t: TransferArgs) -> CmdResult<i64> {
    let input = TransferInput {
        subject_id: t.subject_id,
        recipient: t.recipient,
        country: t.country,
        category_ids: t.category_ids,
        purpose_id: t.purpose_id,
        basis: Basis::parse(&t.basis)
            .ok_or_else(|| CommandError::new("transfer.unknown_basis", "unknown basis"))?,
        basis_ref: t.basis_ref,
        transferred_on: date(&t.transferred_on, "transferred_on")?,
        override_reason: t.override_reason,
    };
    with_vault(&session, |v| transfer::record(v, &input, Utc::now()))
}

#[tauri::command]
pub fn transfer_list(session: State<'_, Session>, subject_id: i64) -> CmdResult<Vec<TransferDto>> {
    with_vault(&session, |v| {
        Ok(transfer::for_subject(v.conn(), subject_id)?
            .into_iter()
            .map(TransferDto::from)
            .collect())
    })
}

#[tauri::command(async)]
pub fn transfers_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-transfers-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "transfers.exported",
        |v, w, format| {
            let n = transfer::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryDto {
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    note: String,
}

#[tauri::command]
pub fn adequate_country_list(session: State<'_, Session>) -> CmdResult<Vec<CountryDto>> {
    with_vault(&session, |v| countries(v))
}

pub(crate) fn countries(v: &derbes::Vault) -> derbes::Result<Vec<CountryDto>> {
    Ok(transfer::adequate_countries(v.conn())?
        .into_iter()
        .map(|c| CountryDto {
            code: c.code,
            name: c.name,
            note: c.note,
        })
        .collect())
}

#[tauri::command]
pub fn adequate_country_add(session: State<'_, Session>, country: CountryDto) -> CmdResult<()> {
    let c = Country {
        code: country.code,
        name: country.name,
        note: country.note,
    };
    with_vault(&session, |v| transfer::add_adequate(v, &c, Utc::now()))
}

#[tauri::command]
pub fn adequate_country_remove(session: State<'_, Session>, code: String) -> CmdResult<()> {
    with_vault(&session, |v| {
        transfer::remove_adequate(v, &code, Utc::now())
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BreachArgs {
    found_on: String,
    #[serde(default)]
    found_at: String,
    description: String,
    #[serde(default)]
    category_ids: Vec<i64>,
    subjects_affected: u64,
    #[serde(default)]
    measures: String,
}

impl From<BreachArgs> for BreachInput {
    fn from(b: BreachArgs) -> Self {
        BreachInput {
            found_on: b.found_on,
            found_at: b.found_at,
            description: b.description,
            category_ids: b.category_ids,
            subjects_affected: b.subjects_affected,
            measures: b.measures,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StandingDto {
    kind: &'static str,
    days: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreachDto {
    id: i64,
    found_on: String,
    found_at: String,
    description: String,
    categories: Vec<String>,
    subjects_affected: u64,
    measures: String,
    due_on: String,
    notified_on: Option<String>,
    notice_ref: String,
    letter_id: Option<i64>,
    closed_on: Option<String>,
    standing: Option<StandingDto>,
}

impl From<Breach> for BreachDto {
    fn from(b: Breach) -> Self {
        BreachDto {
            id: b.id,
            found_on: b.found_on.to_string(),
            found_at: b.found_at,
            description: b.description,
            categories: b.categories,
            subjects_affected: b.subjects_affected,
            measures: b.measures,
            due_on: b.due_on.to_string(),
            notified_on: b.notified_on.map(|d| d.to_string()),
            notice_ref: b.notice_ref,
            letter_id: b.letter_id,
            closed_on: b.closed_on.map(|d| d.to_string()),
            standing: b.standing.map(|s| match s {
                Standing::DueIn(n) => StandingDto {
                    kind: "in",
                    days: n,
                },
                Standing::DueToday => StandingDto {
                    kind: "today",
                    days: 0,
                },
                Standing::Overdue(n) => StandingDto {
                    kind: "overdue",
                    days: n,
                },
            }),
        }
    }
}

#[tauri::command]
pub fn breach_list(session: State<'_, Session>) -> CmdResult<Vec<BreachDto>> {
    with_vault(&session, |v| {
        Ok(breach::list(v.conn(), today())?
            .into_iter()
            .map(BreachDto::from)
            .collect())
    })
}

#[tauri::command]
pub fn breach_register(session: State<'_, Session>, breach: BreachArgs) -> CmdResult<i64> {
    let input = BreachInput::from(breach);
    with_vault(&session, |v| {
        breach::register(v, &input, today(), Utc::now())
    })
}

#[tauri::command]
pub fn breach_update(session: State<'_, Session>, id: i64, breach: BreachArgs) -> CmdResult<()> {
    let input = BreachInput::from(breach);
    with_vault(&session, |v| {
        breach::update(v, id, &input, today(), Utc::now())
    })
}

#[tauri::command]
pub fn breach_notified(
    session: State<'_, Session>,
    id: i64,
    on: String,
    notice_ref: String,
) -> CmdResult<()> {
    let on = date(&on, "notified_on")?;
    with_vault(&session, |v| {
        breach::notified(v, id, on, &notice_ref, today(), Utc::now())
    })
}

#[tauri::command]
pub fn breach_close(session: State<'_, Session>, id: i64) -> CmdResult<()> {
    with_vault(&session, |v| breach::close(v, id, today(), Utc::now()))
}

/// The requests register as a workbook (or CSV), for the office's records or an inspection.
#[tauri::command(async)]
pub fn requests_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-requests-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "requests.exported",
        |v, w, format| {
            let n = derbes::requests::request::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

/// The register of issued documents as a workbook (or CSV).
#[tauri::command(async)]
pub fn letters_register_export(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-letters-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "letters.register_exported",
        |v, w, format| {
            let n = derbes::documents::letters::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}

/// The journal with its hash chain as a workbook (or CSV).
#[tauri::command(async)]
pub fn journal_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-journal-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "journal.exported",
        |v, w, format| {
            let n = derbes::vault::journal::export(v.conn(), w, format, lang)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        },
    )
}
