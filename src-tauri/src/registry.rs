//! Commands of the Subjects area: translate page values to core types and back.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::{CmdResult, CommandError};
use crate::session::{PendingImport, Session};
use chrono::{Local, NaiveDate, Utc};
use derbes::registry::card;
use derbes::registry::consent::ConsentInput;
use derbes::registry::holding::HoldingInput;
use derbes::registry::import::{Duplicates, Field, Mapping};
use derbes::registry::search::{ConsentFilter, Query};
use derbes::registry::subject::{Status, SubjectInput};
use derbes::{
    registry::catalog, registry::consent, registry::holding, registry::import, registry::search,
    registry::subject, registry::suppression,
};
use serde::{Deserialize, Serialize};
use tauri::State;

pub(crate) fn today() -> NaiveDate {
    Local::now().date_naive()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogItem {
    id: i64,
    code: String,
    names: [String; 3],
    is_marketing: bool,
    retention_days: Option<i64>,
    retention_source: Option<String>,
    retention_note: String,
}

impl From<catalog::Item> for CatalogItem {
    fn from(i: catalog::Item) -> Self {
        CatalogItem {
            id: i.id,
            code: i.code,
            names: [i.name_ru, i.name_kk, i.name_en],
            is_marketing: i.is_marketing,
            retention_days: i.retention_days,
            retention_source: i.retention_source,
            retention_note: i.retention_note,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalogs {
    categories: Vec<CatalogItem>,
    purposes: Vec<CatalogItem>,
    policy_versions: Vec<(i64, String, String)>,
}

pub(crate) fn catalogs(v: &derbes::Vault) -> derbes::Result<Catalogs> {
    Ok(Catalogs {
        categories: catalog::categories(v.conn())?
            .into_iter()
            .map(Into::into)
            .collect(),
        purposes: catalog::purposes(v.conn())?
            .into_iter()
            .map(Into::into)
            .collect(),
        policy_versions: catalog::policy_versions(v.conn())?
            .into_iter()
            .map(|p| (p.id, p.version, p.effective_from))
            .collect(),
    })
}

#[tauri::command]
pub fn catalog_list(session: State<'_, Session>) -> CmdResult<Catalogs> {
    with_vault(&session, |v| catalogs(v))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchArgs {
    text: String,
    status: Option<String>,
    purpose_id: Option<i64>,
    consent: Option<String>,
    open_request: Option<bool>,
    offset: u32,
    limit: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRow {
    id: i64,
    name: String,
    iin: Option<String>,
    doc_number: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    status: String,
}

#[derive(Serialize)]
pub struct SearchPage {
    rows: Vec<SearchRow>,
    total: u64,
    capped: bool,
}

pub(crate) fn full_name(surname: &str, given: &str, patronymic: &str) -> String {
    [surname, given, patronymic]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tauri::command]
pub fn subject_search(session: State<'_, Session>, query: SearchArgs) -> CmdResult<SearchPage> {
    with_vault(&session, |v| search_page(v, query, today()))
}

pub(crate) fn search_page(
    v: &derbes::Vault,
    query: SearchArgs,
    today: NaiveDate,
) -> derbes::Result<SearchPage> {
    let q = Query {
        text: query.text,
        status: query.status.as_deref().and_then(Status::parse),
        purpose_id: query.purpose_id,
        consent: match query.consent.as_deref() {
            Some("active") => Some(ConsentFilter::Active),
            Some("withdrawn") => Some(ConsentFilter::Withdrawn),
            Some("without") => Some(ConsentFilter::Without),
            _ => None,
        },
        open_request: query.open_request,
        offset: query.offset,
        limit: query.limit,
    };
    let page = search::search(v.conn(), &q, today)?;
    Ok(SearchPage {
        total: page.total,
        capped: page.capped,
        rows: page
            .rows
            .into_iter()
            .map(|r| SearchRow {
                id: r.id,
                name: full_name(&r.surname, &r.given_name, &r.patronymic),
                iin: r.iin,
                doc_number: r.doc_number,
                email: r.email,
                phone: r.phone,
                status: r.status,
            })
            .collect(),
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct SubjectArgs {
    iin: String,
    doc_number: String,
    surname: String,
    given_name: String,
    patronymic: String,
    birth_date: String,
    emails: Vec<String>,
    phones: Vec<String>,
    address: String,
    notes: String,
}

impl From<SubjectArgs> for SubjectInput {
    fn from(a: SubjectArgs) -> Self {
        SubjectInput {
            iin: a.iin,
            doc_number: a.doc_number,
            surname: a.surname,
            given_name: a.given_name,
            patronymic: a.patronymic,
            birth_date: a.birth_date,
            emails: a.emails,
            phones: a.phones,
            address: a.address,
            notes: a.notes,
        }
    }
}

#[tauri::command]
pub fn subject_create(session: State<'_, Session>, subject: SubjectArgs) -> CmdResult<i64> {
    let input = SubjectInput::from(subject);
    with_vault(&session, |v| {
        subject::create(v, &input, today(), Utc::now())
    })
}

#[tauri::command]
pub fn subject_update(
    session: State<'_, Session>,
    id: i64,
    subject: SubjectArgs,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let input = SubjectInput::from(subject);
    with_vault(&session, |v| {
        subject::update_serving(v, id, &input, request_id, today(), Utc::now())
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldingDto {
    id: i64,
    category_id: i64,
    purpose_id: i64,
    basis: String,
    source: String,
    since: String,
    until: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentDto {
    id: i64,
    purpose_id: i64,
    granted_at: String,
    form: String,
    policy_version: Option<String>,
    valid_until: Option<String>,
    third_parties: bool,
    cross_border: bool,
    countries: String,
    published: bool,
    data_list: String,
    document_ref: String,
    withdrawn_at: Option<String>,
    withdrawal_channel: Option<String>,
    state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusalDto {
    id: i64,
    refused_at: String,
    channel: String,
    revoked_at: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestDto {
    id: i64,
    kind: String,
    status: String,
    received_on: String,
    due_on: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDto {
    id: i64,
    iin: Option<String>,
    doc_number: Option<String>,
    surname: String,
    given_name: String,
    patronymic: String,
    birth_date: Option<String>,
    address: String,
    notes: String,
    status: &'static str,
    created_at: String,
    updated_at: String,
    emails: Vec<String>,
    phones: Vec<String>,
    holdings: Vec<HoldingDto>,
    consents: Vec<ConsentDto>,
    refusals: Vec<RefusalDto>,
    requests: Vec<RequestDto>,
}

impl From<card::Card> for CardDto {
    fn from(c: card::Card) -> Self {
        CardDto {
            id: c.id,
            iin: c.iin,
            doc_number: c.doc_number,
            surname: c.surname,
            given_name: c.given_name,
            patronymic: c.patronymic,
            birth_date: c.birth_date,
            address: c.address,
            notes: c.notes,
            status: c.status.name(),
            created_at: c.created_at,
            updated_at: c.updated_at,
            emails: c.emails,
            phones: c.phones,
            holdings: c
                .holdings
                .into_iter()
                .map(|h| HoldingDto {
                    id: h.id,
                    category_id: h.category_id,
                    purpose_id: h.purpose_id,
                    basis: h.basis,
                    source: h.source,
                    since: h.since,
                    until: h.until,
                })
                .collect(),
            consents: c
                .consents
                .into_iter()
                .map(|k| ConsentDto {
                    id: k.id,
                    purpose_id: k.purpose_id,
                    granted_at: k.granted_at,
                    form: k.form,
                    policy_version: k.policy_version,
                    valid_until: k.valid_until,
                    third_parties: k.third_parties,
                    cross_border: k.cross_border,
                    countries: k.countries,
                    published: k.published,
                    data_list: k.data_list,
                    document_ref: k.document_ref,
                    withdrawn_at: k.withdrawn_at,
                    withdrawal_channel: k.withdrawal_channel,
                    state: k.state.name(),
                })
                .collect(),
            refusals: c
                .refusals
                .into_iter()
                .map(|r| RefusalDto {
                    id: r.id,
                    refused_at: r.refused_at,
                    channel: r.channel,
                    revoked_at: r.revoked_at,
                })
                .collect(),
            requests: c
                .requests
                .into_iter()
                .map(|r| RequestDto {
                    id: r.id,
                    kind: r.kind,
                    status: r.status,
                    received_on: r.received_on,
                    due_on: r.due_on,
                })
                .collect(),
        }
    }
}

/// Opens a card: recorded in the journal as an access.
#[tauri::command]
pub fn subject_card(session: State<'_, Session>, id: i64) -> CmdResult<CardDto> {
    with_vault(&session, |v| {
        card::open_card(v, id, today(), Utc::now()).map(CardDto::from)
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ConsentArgs {
    purpose_id: i64,
    granted_at: String,
    form: String,
    policy_version_id: Option<i64>,
    valid_until: String,
    third_parties: bool,
    cross_border: bool,
    countries: String,
    published: bool,
    data_list: String,
    document_ref: String,
}

#[tauri::command]
pub fn consent_record(
    session: State<'_, Session>,
    subject_id: i64,
    consent: ConsentArgs,
) -> CmdResult<i64> {
    let input = ConsentInput {
        purpose_id: consent.purpose_id,
        granted_at: consent.granted_at,
        form: consent.form,
        policy_version_id: consent.policy_version_id,
        valid_until: consent.valid_until,
        third_parties: consent.third_parties,
        cross_border: consent.cross_border,
        countries: consent.countries,
        published: consent.published,
        data_list: consent.data_list,
        document_ref: consent.document_ref,
    };
    with_vault(&session, |v| {
        consent::record(v, subject_id, &input, today(), Utc::now())
    })
}

fn date_or_today(s: &str) -> CmdResult<NaiveDate> {
    if s.trim().is_empty() {
        return Ok(today());
    }
    derbes::base::input::parse_date(s).ok_or_else(|| {
        derbes::Error::Invalid(vec![derbes::FieldIssue {
            field: "date",
            code: "date.format",
        }])
        .into()
    })
}

#[tauri::command]
pub fn consent_withdraw(
    session: State<'_, Session>,
    consent_id: i64,
    on: String,
    channel: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let on = date_or_today(&on)?;
    with_vault(&session, |v| {
        consent::withdraw(v, consent_id, on, &channel, request_id, Utc::now())
    })
}

/// Suspends a subject's processing, with the stated basis or for a request.
#[tauri::command]
pub fn subject_block(
    session: State<'_, Session>,
    subject_id: i64,
    basis: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let b = derbes::registry::blocking::Basis {
        request_id,
        text: basis,
    };
    with_vault(&session, |v| {
        derbes::registry::blocking::block(v, subject_id, &b, Utc::now())
    })
}

/// Lifts a block, with the reason.
#[tauri::command]
pub fn subject_unblock(
    session: State<'_, Session>,
    subject_id: i64,
    basis: String,
    request_id: Option<i64>,
) -> CmdResult<()> {
    let b = derbes::registry::blocking::Basis {
        request_id,
        text: basis,
    };
    with_vault(&session, |v| {
        derbes::registry::blocking::unblock(v, subject_id, &b, Utc::now())
    })
}

#[tauri::command]
pub fn marketing_refuse(
    session: State<'_, Session>,
    subject_id: i64,
    on: String,
    channel: String,
    request_id: Option<i64>,
) -> CmdResult<i64> {
    let on = date_or_today(&on)?;
    with_vault(&session, |v| {
        suppression::refuse_marketing(v, subject_id, on, &channel, request_id, Utc::now())
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct HoldingArgs {
    category_id: i64,
    purpose_id: i64,
    basis: String,
    source: String,
    since: String,
    until: String,
}

#[tauri::command]
pub fn holding_add(
    session: State<'_, Session>,
    subject_id: i64,
    holding: HoldingArgs,
) -> CmdResult<i64> {
    let input = HoldingInput {
        category_id: holding.category_id,
        purpose_id: holding.purpose_id,
        basis: holding.basis,
        source: holding.source,
        since: holding.since,
        until: holding.until,
    };
    with_vault(&session, |v| {
        holding::add(v, subject_id, &input, today(), Utc::now())
    })
}

#[tauri::command]
pub fn holding_remove(session: State<'_, Session>, holding_id: i64) -> CmdResult<()> {
    with_vault(&session, |v| holding::remove(v, holding_id, Utc::now()))
}

/// What recording a request's refusal did (the window words it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusedDto {
    /// `subject`, `sender` or `sender_already`.
    outcome: &'static str,
}

/// Records the refusal of marketing request `request_id` carries: its subject's, or, when the
/// sender is not in the registry, the sender's address on the stop-list.
#[tauri::command]
pub fn marketing_refuse_from_request(
    session: State<'_, Session>,
    request_id: i64,
) -> CmdResult<RefusedDto> {
    with_vault(&session, |v| {
        use derbes::requests::refusal::{self, FromRequest};
        let outcome = match refusal::refuse_from_request(v, request_id, today(), Utc::now())? {
            FromRequest::Subject { .. } => "subject",
            FromRequest::Sender { added: true, .. } => "sender",
            FromRequest::Sender { added: false, .. } => "sender_already",
        };
        Ok(RefusedDto { outcome })
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuppressedDto {
    /// The registry record to open (a person in the registry, or an erased one's tombstone).
    subject_id: Option<i64>,
    /// The request to open, for a sender who is not in the registry.
    request_id: Option<i64>,
    erased: bool,
    name: String,
    emails: Vec<String>,
    phones: Vec<String>,
    /// Addresses kept only as keyed digests: matched when cleaning, never shown.
    hashed: usize,
    reason: &'static str,
    since: String,
}

#[tauri::command]
pub fn suppression_list(session: State<'_, Session>) -> CmdResult<Vec<SuppressedDto>> {
    with_vault(&session, |v| suppressed(v, today()))
}

pub(crate) fn suppressed(v: &derbes::Vault, today: NaiveDate) -> derbes::Result<Vec<SuppressedDto>> {
    use suppression::Whom;
    {
        Ok(suppression::listed(v.conn(), today)?
            .into_iter()
            .map(|l| {
                let (subject_id, request_id, erased) = match l.whom {
                    Whom::Subject(id) => (Some(id), None, false),
                    Whom::Erased(id) => (Some(id), None, true),
                    Whom::Request(id) => (None, Some(id), false),
                    Whom::Entry(_) => (None, None, false),
                };
                SuppressedDto {
                    subject_id,
                    request_id,
                    erased,
                    since: l.since().to_owned(),
                    reason: l.reason.name(),
                    name: l.name,
                    emails: l.emails,
                    phones: l.phones,
                    hashed: l.hashed,
                }
            })
            .collect())
    }
}

// ---- files: import, export, cleaning (native dialogs) ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    rows: usize,
    new: usize,
    existing: usize,
    invalid_rows: usize,
    issues: Vec<(u64, &'static str, &'static str)>,
    notes: Vec<(u64, &'static str, &'static str)>,
    created: usize,
    updated: usize,
    skipped: usize,
}

impl From<import::Report> for ImportReport {
    fn from(r: import::Report) -> Self {
        ImportReport {
            rows: r.rows,
            new: r.new,
            existing: r.existing,
            invalid_rows: r.invalid_rows,
            issues: r
                .issues
                .into_iter()
                .map(|i| (i.line, i.field, i.code))
                .collect(),
            notes: r
                .notes
                .into_iter()
                .map(|i| (i.line, i.field, i.code))
                .collect(),
            created: r.created,
            updated: r.updated,
            skipped: r.skipped,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    file_name: String,
    encoding: &'static str,
    headers: Vec<String>,
    mapping: Vec<Option<&'static str>>,
    sample: Vec<Vec<String>>,
    report: Option<ImportReport>,
    /// Why the report could not be made (e.g. a required column is not mapped).
    problem: Option<CommandError>,
}

fn mapping_of(names: &[Option<String>]) -> Mapping {
    Mapping(
        names
            .iter()
            .map(|n| n.as_deref().and_then(Field::parse))
            .collect(),
    )
}

fn preview_of(
    s: &crate::session::Inner,
    table: &derbes::files::csv_table::Table,
    file_name: String,
    mapping: &Mapping,
) -> CmdResult<(ImportPreview, Option<import::Checked>)> {
    let vault = s.vault.as_ref().ok_or(derbes::Error::Locked)?;
    let (checked, problem) = match import::check(vault.conn(), table, mapping, today()) {
        Ok(c) => (Some(c), None),
        Err(e) => (None, Some(e.into())),
    };
    let preview = ImportPreview {
        file_name,
        encoding: match table.encoding {
            derbes::files::csv_table::Encoding::Utf8 => "UTF-8",
            derbes::files::csv_table::Encoding::Utf8Bom => "UTF-8 BOM",
            derbes::files::csv_table::Encoding::Windows1251 => "Windows-1251",
            derbes::files::csv_table::Encoding::Workbook => "workbook",
        },
        headers: table.headers.clone(),
        mapping: mapping.0.iter().map(|f| f.map(Field::name)).collect(),
        sample: table.rows.iter().take(5).map(|(_, r)| r.clone()).collect(),
        report: checked.as_ref().map(|c| c.report.clone().into()),
        problem,
    };
    Ok((preview, checked))
}

/// The tables a user may bring: CSV and the workbooks of Excel and LibreOffice.
const TABLE_FILES: &[&str] = &["csv", "txt", "xlsx", "xlsm", "xls", "ods"];

/// Asks for a CSV file or a workbook, reads and checks it; nothing is written yet.
#[tauri::command(async)]
pub fn import_open(session: State<'_, Session>, title: String) -> CmdResult<Option<ImportPreview>> {
    let Some(path) = dialogs::open_file(&title, "CSV, Excel, OpenDocument", TABLE_FILES)? else {
        return Ok(None);
    };
    let table = derbes::files::sheet::read_table(&path)?;
    import::check_headers(&table.headers)?;
    let mapping = import::guess_mapping(&table.headers);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut s = session.get();
    let (preview, checked) = preview_of(&s, &table, name.clone(), &mapping)?;
    s.pending_import = Some(PendingImport {
        table,
        name,
        checked,
    });
    Ok(Some(preview))
}

/// Re-checks the pending file with another column mapping.
#[tauri::command]
pub fn import_remap(
    session: State<'_, Session>,
    mapping: Vec<Option<String>>,
) -> CmdResult<ImportPreview> {
    let mut s = session.get();
    let pending = s
        .pending_import
        .take()
        .ok_or_else(|| CommandError::new("import.none", "no file is being imported"))?;
    let result = preview_of(
        &s,
        &pending.table,
        pending.name.clone(),
        &mapping_of(&mapping),
    );
    let (preview, checked) = match result {
        Ok(x) => x,
        Err(e) => {
            s.pending_import = Some(pending);
            return Err(e);
        }
    };
    s.pending_import = Some(PendingImport { checked, ..pending });
    Ok(preview)
}

#[tauri::command(async)]
pub fn import_commit(
    session: State<'_, Session>,
    jobs: State<'_, crate::jobs::Jobs>,
    mapping: Vec<Option<String>>,
    update_duplicates: bool,
    skip_invalid: bool,
) -> CmdResult<ImportReport> {
    let mut s = session.get();
    let pending = s
        .pending_import
        .take()
        .ok_or_else(|| CommandError::new("import.none", "no file is being imported"))?;
    let options = import::Options {
        duplicates: if update_duplicates {
            Duplicates::Update
        } else {
            Duplicates::Skip
        },
        skip_invalid,
    };
    let mapping = mapping_of(&mapping);
    let vault = s.vault.as_mut().ok_or(derbes::Error::Locked)?;
    let result = match pending.checked {
        Some(c) if *c.mapping() == mapping => Ok(c),
        _ => import::check(vault.conn(), &pending.table, &mapping, today()),
    }
    .and_then(|checked| {
        jobs.run(|progress| {
            import::commit_with(
                vault,
                &pending.table,
                checked,
                options,
                Utc::now(),
                progress,
            )
        })
    });
    if result.is_err() {
        // Keep the file so that the user can change the options and try again.
        s.pending_import = Some(PendingImport {
            checked: None,
            ..pending
        });
    }
    Ok(result?.into())
}

/// Asks where to save `default_name`, then writes it with `write` (atomically); `None` if cancelled.
/// Once the file is complete it is journaled as `leaving` with the count `write` returned (what
/// failed is not journaled: nothing left the vault).
pub(crate) fn save_export(
    session: &Session,
    title: &str,
    default_name: &str,
    leaving: &'static str,
    write: impl FnOnce(&mut derbes::Vault, &mut dyn std::io::Write) -> derbes::Result<usize>,
) -> CmdResult<Option<usize>> {
    save_table(session, title, default_name, leaving, |v, w, _| write(v, w))
}

/// Like [`save_export`] for a table: written as `.xlsx` or CSV by the extension the user chose.
pub(crate) fn save_table(
    session: &Session,
    title: &str,
    default_name: &str,
    leaving: &'static str,
    write: impl FnOnce(
        &mut derbes::Vault,
        &mut dyn std::io::Write,
        derbes::files::sheet::Format,
    ) -> derbes::Result<usize>,
) -> CmdResult<Option<usize>> {
    let Some(path) = dialogs::save_file(title, default_name)? else {
        return Ok(None);
    };
    let format = derbes::files::sheet::Format::of(&path);
    with_vault(session, |v| {
        let n = derbes::registry::export::to_file(&path, |w| write(v, w, format))?;
        derbes::registry::export::journal_leaving(v, leaving, n.to_string(), Utc::now())?;
        Ok(n)
    })
    .map(Some)
}

#[tauri::command(async)]
pub fn subjects_export(session: State<'_, Session>, title: String) -> CmdResult<Option<usize>> {
    let lang = session.get().prefs.language;
    // A workbook by default: a CSV opened in a spreadsheet loses IINs' leading zeros.
    let name = format!("derbes-subjects-{}.xlsx", today());
    save_table(
        &session,
        &title,
        &name,
        "subjects.exported",
        |v, w, format| derbes::registry::export::subjects(v.conn(), w, format, lang),
    )
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuppressionExportDto {
    lines: usize,
    /// Addresses not written: only their keyed digest is kept.
    hashed: usize,
}

#[tauri::command(async)]
pub fn suppression_export(
    session: State<'_, Session>,
    title: String,
) -> CmdResult<Option<SuppressionExportDto>> {
    let lang = session.get().prefs.language;
    let name = format!("derbes-suppression-{}.xlsx", today());
    let mut hashed = 0;
    let lines = save_table(
        &session,
        &title,
        &name,
        "suppression.exported",
        |v, w, format| {
            let done = suppression::export(v.conn(), w, format, lang, today())?;
            hashed = done.hashed;
            Ok(done.lines)
        },
    )?;
    Ok(lines.map(|lines| SuppressionExportDto { lines, hashed }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CleanDto {
    rows: usize,
    kept: usize,
    removed: usize,
    removed_by_reason: Vec<(&'static str, usize)>,
}

/// Asks for a mailing list, then where to save the cleaned copy.
#[tauri::command(async)]
pub fn mailing_list_clean(
    session: State<'_, Session>,
    open_title: String,
    save_title: String,
    require_consent: bool,
) -> CmdResult<Option<CleanDto>> {
    let Some(input) = dialogs::open_file(&open_title, "CSV, Excel, OpenDocument", TABLE_FILES)?
    else {
        return Ok(None);
    };
    let table = derbes::files::sheet::read_table(&input)?;
    let stem = input
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "list".into());
    let Some(output) = dialogs::save_file(&save_title, &format!("{stem}-clean.csv"))? else {
        return Ok(None);
    };
    with_vault(&session, |v| {
        let r = derbes::registry::export::to_file(&output, |w| {
            suppression::clean(v.conn(), &table, w, require_consent, today())
        })?;
        derbes::registry::export::journal_leaving(
            v,
            "mailing_list.cleaned",
            format!("{} rows, {} removed", r.rows, r.removed),
            Utc::now(),
        )?;
        Ok(r)
    })
    .map(|r| {
        Some(CleanDto {
            rows: r.rows,
            kept: r.kept,
            removed: r.removed,
            removed_by_reason: r
                .removed_by_reason
                .into_iter()
                .map(|(k, n)| (k.name(), n))
                .collect(),
        })
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JournalRow {
    seq: i64,
    at: String,
    os_user: String,
    action: String,
    record_kind: Option<String>,
    record_id: Option<i64>,
    request_id: Option<i64>,
    detail: String,
}

impl From<derbes::vault::journal::Stored> for JournalRow {
    fn from(s: derbes::vault::journal::Stored) -> Self {
        JournalRow {
            seq: s.seq,
            at: s.at,
            os_user: s.actor.os_user,
            action: s.entry.action,
            record_kind: s.entry.record_kind,
            record_id: s.entry.record_id,
            request_id: s.entry.request_id,
            detail: s.entry.detail,
        }
    }
}

#[tauri::command]
pub fn journal_recent(session: State<'_, Session>, limit: u32) -> CmdResult<Vec<JournalRow>> {
    with_vault(&session, |v| {
        Ok(derbes::vault::journal::recent(v.conn(), limit.min(1000))?
            .into_iter()
            .map(JournalRow::from)
            .collect())
    })
}

#[tauri::command(async)]
pub fn journal_verify(session: State<'_, Session>) -> CmdResult<u64> {
    with_vault(&session, |v| derbes::vault::journal::verify(v.conn()))
}

/// One problem of the live check, with what the catalogue's sentence for its code needs.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CheckProblem {
    code: &'static str,
    n: usize,
    pages: String,
    messages: String,
    seq: i64,
    from: i64,
    to: i64,
    /// When the entries concerned were written (YYYY-MM-DD).
    date: String,
    /// For a divergence found at an earlier unlock: that day.
    found: String,
}

impl CheckProblem {
    fn of(p: derbes::vault::check::Problem) -> CheckProblem {
        use derbes::vault::anchor::Finding;
        use derbes::vault::check::Problem;
        let code = p.code();
        let finding = |f: Finding, found: String| {
            let (from, to, at) = f.span();
            CheckProblem {
                code,
                from,
                to,
                date: at.get(..10).unwrap_or(at).to_owned(),
                found,
                ..CheckProblem::default()
            }
        };
        match p {
            Problem::Pages { pages, total } => CheckProblem {
                code,
                n: total,
                pages: pages
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                ..CheckProblem::default()
            },
            Problem::Structure { messages, total } => CheckProblem {
                code,
                n: total,
                messages: messages.join("; "),
                ..CheckProblem::default()
            },
            Problem::Journal { seq, .. } => CheckProblem {
                code,
                seq,
                ..CheckProblem::default()
            },
            Problem::Anchor(f) => finding(f, String::new()),
            Problem::Recorded {
                found_at,
                finding: f,
            } => finding(f, found_at.get(..10).unwrap_or(&found_at).to_owned()),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    good: bool,
    pages: u64,
    journal_entries: u64,
    millis: u64,
    problems: Vec<CheckProblem>,
}

/// The live check of the vault (issue 16): on the button in Settings, and with `weekly` after an
/// unlock, where it runs only when the last check is a week old (then `None` when not due).
#[tauri::command(async)]
pub fn vault_check(session: State<'_, Session>, weekly: bool) -> CmdResult<Option<CheckResult>> {
    with_vault(&session, |v| {
        if weekly && !derbes::vault::check::due(v, Local::now().date_naive())? {
            return Ok(None);
        }
        let started = std::time::Instant::now();
        let report = derbes::vault::check::run(v)?;
        let millis = started.elapsed().as_millis() as u64;
        // A damaged vault may refuse the write that records the check; the result stands.
        if let Err(e) = derbes::vault::check::record(v, &report, Utc::now()) {
            tracing::warn!(code = e.code(), "the check could not be journaled");
        }
        Ok(Some(CheckResult {
            good: report.is_good(),
            pages: report.pages,
            journal_entries: report.journal_entries,
            millis,
            problems: report.problems.into_iter().map(CheckProblem::of).collect(),
        }))
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemArgs {
    code: String,
    names: [String; 3],
    is_marketing: bool,
    retention_days: Option<i64>,
    retention_source: Option<String>,
    retention_note: String,
}

/// Adds an entry to a catalogue (`id` null) or changes one.
#[tauri::command]
pub fn catalog_item_save(
    session: State<'_, Session>,
    table: String,
    id: Option<i64>,
    item: ItemArgs,
) -> CmdResult<i64> {
    let [ru, kk, en] = item.names;
    let input = catalog::ItemInput {
        code: item.code,
        name_ru: ru,
        name_kk: kk,
        name_en: en,
        is_marketing: item.is_marketing,
        retention_days: item.retention_days,
        retention_source: item.retention_source.filter(|s| !s.is_empty()),
        retention_note: item.retention_note,
    };
    let which = match table.as_str() {
        "category" => catalog::CatalogTable::Category,
        "purpose" => catalog::CatalogTable::Purpose,
        _ => return Err(CommandError::new("catalog.unknown", "unknown catalogue")),
    };
    with_vault(&session, |v| match (id, which) {
        (Some(id), t) => catalog::update_item(v, t, id, &input, Utc::now()).map(|()| id),
        (None, catalog::CatalogTable::Category) => catalog::add_category(v, &input, Utc::now()),
        (None, catalog::CatalogTable::Purpose) => catalog::add_purpose(v, &input, Utc::now()),
    })
}

#[tauri::command]
pub fn policy_version_add(
    session: State<'_, Session>,
    version: String,
    effective_from: String,
) -> CmdResult<i64> {
    let from = date_or_today(&effective_from)?;
    with_vault(&session, |v| {
        catalog::add_policy_version(v, &version, from, Utc::now())
    })
}
