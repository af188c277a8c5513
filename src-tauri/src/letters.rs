//! Commands of the letters: the letterhead in Settings, drafts and their preview, issuing, the
//! register, Save as… and printing. They translate page values to core types and back.

use crate::commands::with_vault;
use crate::dialogs;
use crate::dto::{CmdResult, CommandError};
use crate::prefs::Language;
use crate::registry::today;
use crate::session::Session;
use chrono::Utc;
use derbes::documents::letterhead::{self, Letterhead, Numbering};
use derbes::documents::letters::{self, Draft, Edits, Kind, Query, Row, Source};
use derbes::files::print;
use serde::{Deserialize, Serialize};
use tauri::State;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterheadDto {
    operator: String,
    bin: String,
    address: String,
    phones: String,
    email: String,
    responsible: String,
    signer_name: String,
    signer_position: String,
    city: String,
    authority: String,
    prefix: String,
    with_year: bool,
    digits: u8,
    #[serde(default)]
    has_logo: bool,
    /// The number the next document would get, as a sample of the scheme.
    #[serde(default)]
    sample: String,
}

pub(crate) fn letterhead_dto(
    v: &derbes::Vault,
    today: chrono::NaiveDate,
) -> derbes::Result<LetterheadDto> {
    let h = letterhead::load(v.conn())?;
    let has_logo = letterhead::logo(v.conn())?.is_some();
    let sample = h.numbering.format(chrono::Datelike::year(&today), 1);
    Ok(LetterheadDto {
        operator: h.operator,
        bin: h.bin,
        address: h.address,
        phones: h.phones,
        email: h.email,
        responsible: h.responsible,
        signer_name: h.signer_name,
        signer_position: h.signer_position,
        city: h.city,
        authority: h.authority,
        prefix: h.numbering.prefix,
        with_year: h.numbering.with_year,
        digits: h.numbering.digits,
        has_logo,
        sample,
    })
}

#[tauri::command]
pub fn letterhead_get(session: State<'_, Session>) -> CmdResult<LetterheadDto> {
    with_vault(&session, |v| letterhead_dto(v, today()))
}

#[tauri::command]
pub fn letterhead_set(
    session: State<'_, Session>,
    head: LetterheadDto,
) -> CmdResult<LetterheadDto> {
    let h = Letterhead {
        operator: head.operator,
        bin: head.bin,
        address: head.address,
        phones: head.phones,
        email: head.email,
        responsible: head.responsible,
        signer_name: head.signer_name,
        signer_position: head.signer_position,
        city: head.city,
        authority: head.authority,
        numbering: Numbering {
            prefix: head.prefix,
            with_year: head.with_year,
            digits: head.digits,
        },
    };
    with_vault(&session, |v| {
        letterhead::save(v, &h, Utc::now())?;
        letterhead_dto(v, today())
    })
}

/// Picks a PNG or JPEG with the native dialog and makes it the logo; `false` if cancelled.
#[tauri::command(async)]
pub fn letterhead_logo_pick(session: State<'_, Session>, title: String) -> CmdResult<bool> {
    let Some(path) = dialogs::open_file(&title, "PNG, JPEG", &["png", "jpg", "jpeg"])? else {
        return Ok(false);
    };
    // Through the logo's cap (and a regular file only); set_logo checks the size again.
    let bytes = derbes::base::limits::read_capped(
        &path,
        derbes::documents::letterhead::LOGO_MAX_BYTES as u64 + 1,
    )?;
    with_vault(&session, |v| {
        letterhead::set_logo(v, Some(&bytes), Utc::now())
    })?;
    Ok(true)
}

#[tauri::command]
pub fn letterhead_logo_remove(session: State<'_, Session>) -> CmdResult<()> {
    with_vault(&session, |v| letterhead::set_logo(v, None, Utc::now()))
}

/// A document that answers a request, and why it cannot be issued now (`None`: it can).
#[derive(Serialize)]
pub struct KindOffer {
    kind: &'static str,
    why: Option<&'static str>,
}

/// The documents that answer request `request_id`, the usual one first, each with the reason it
/// does not apply yet (a confirmation of what the vault does not show was done).
#[tauri::command]
pub fn letter_kind_list(session: State<'_, Session>, request_id: i64) -> CmdResult<Vec<KindOffer>> {
    with_vault(&session, |v| kind_offers(v, request_id, today()))
}

pub(crate) fn kind_offers(
    v: &derbes::Vault,
    request_id: i64,
    today: chrono::NaiveDate,
) -> derbes::Result<Vec<KindOffer>> {
    Ok(letters::applicable_for(v.conn(), request_id, today)?
        .into_iter()
        .map(|(k, why)| KindOffer {
            kind: k.name(),
            why,
        })
        .collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDto {
    kind: String,
    lang: String,
    request_id: Option<i64>,
    subject_id: Option<i64>,
    period: Option<String>,
    corrects: Option<i64>,
    erasure: Option<i64>,
    breach: Option<i64>,
}

pub(crate) fn source_of(s: &SourceDto) -> CmdResult<Source> {
    let bad = |field| {
        CommandError::from(derbes::Error::Invalid(vec![derbes::FieldIssue {
            field,
            code: "required",
        }]))
    };
    Ok(Source {
        kind: Kind::parse(&s.kind).ok_or_else(|| bad("kind"))?,
        lang: Language::parse(&s.lang).ok_or_else(|| bad("lang"))?,
        request_id: s.request_id,
        subject_id: s.subject_id,
        period: match &s.period {
            Some(p) => {
                Some(derbes::requests::report::Period::parse(p).ok_or_else(|| bad("period"))?)
            }
            None => None,
        },
        corrects: s.corrects,
        erasure: s.erasure,
        breach: s.breach,
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableDto {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    widths: Vec<f32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftDto {
    kind: &'static str,
    lang: &'static str,
    is_act: bool,
    addressee: Vec<String>,
    reference: Vec<String>,
    title: String,
    salutation: String,
    intro: Vec<String>,
    tables: Vec<TableDto>,
    outro: Vec<String>,
    signatures: Vec<(String, String)>,
    corrects_number: Option<String>,
    letterhead: LetterheadDto,
    /// The number it would get if issued now (another issue first takes it).
    next_number: String,
    /// `(code, count)` to show before issuing; issuing needs `acceptWarnings`.
    warnings: Vec<(&'static str, usize)>,
}

pub(crate) fn draft_dto(
    v: &derbes::Vault,
    d: Draft,
    today: chrono::NaiveDate,
) -> derbes::Result<DraftDto> {
    let head = letterhead::load(v.conn())?;
    let (_, next_number) =
        letters::next_number(v.conn(), &head.numbering, chrono::Datelike::year(&today))?;
    Ok(DraftDto {
        kind: d.source.kind.name(),
        lang: d.source.lang.code(),
        is_act: d.source.kind.is_act(),
        addressee: d.addressee,
        reference: d.reference,
        title: d.title,
        salutation: d.salutation,
        intro: d.intro,
        tables: d
            .tables
            .into_iter()
            .map(|t| TableDto {
                caption: t.caption,
                header: t.table.header,
                rows: t.table.rows,
                widths: t.table.widths,
            })
            .collect(),
        outro: d.outro,
        signatures: d.signatures,
        corrects_number: d.corrects_number,
        warnings: d.warnings,
        letterhead: letterhead_dto(v, today)?,
        next_number,
    })
}

/// The wording Derbes proposes, for the preview and the editor.
#[tauri::command]
pub fn letter_draft(session: State<'_, Session>, source: SourceDto) -> CmdResult<DraftDto> {
    let src = source_of(&source)?;
    with_vault(&session, |v| {
        let d = letters::draft(v.conn(), &src, today())?;
        draft_dto(v, d, today())
    })
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct EditsDto {
    addressee: Option<Vec<String>>,
    title: Option<String>,
    salutation: Option<String>,
    intro: Option<Vec<String>>,
    outro: Option<Vec<String>>,
    /// The user ticked that they saw the draft's warnings.
    #[serde(default)]
    accept_warnings: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterRowDto {
    id: i64,
    number: String,
    kind: &'static str,
    lang: &'static str,
    issued_on: String,
    addressee: String,
    request_id: Option<i64>,
    subject_id: Option<i64>,
    corrects: Option<i64>,
    pages: i64,
    bytes: i64,
    sha256: String,
    redacted_on: Option<String>,
}

pub(crate) fn row_dto(r: Row) -> LetterRowDto {
    LetterRowDto {
        id: r.id,
        number: r.number,
        kind: r.kind.name(),
        lang: r.lang.code(),
        issued_on: r.issued_on.to_string(),
        addressee: r.addressee,
        request_id: r.request_id,
        subject_id: r.subject_id,
        corrects: r.corrects,
        pages: r.pages,
        bytes: r.bytes,
        sha256: r.sha256,
        redacted_on: r.redacted_on.map(|d| d.to_string()),
    }
}

#[tauri::command(async)]
pub fn letter_issue(
    session: State<'_, Session>,
    source: SourceDto,
    edits: EditsDto,
) -> CmdResult<LetterRowDto> {
    let src = source_of(&source)?;
    let e = Edits {
        addressee: edits.addressee,
        title: edits.title,
        salutation: edits.salutation,
        intro: edits.intro,
        outro: edits.outro,
        accept_warnings: edits.accept_warnings,
    };
    with_vault(&session, |v| {
        letters::issue(v, &src, &e, today(), Utc::now()).map(row_dto)
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterPageDto {
    rows: Vec<LetterRowDto>,
    total: u64,
}

#[tauri::command]
pub fn letter_list(
    session: State<'_, Session>,
    kind: Option<String>,
    year: Option<i32>,
    request_id: Option<i64>,
    text: Option<String>,
    offset: u32,
    limit: u32,
) -> CmdResult<LetterPageDto> {
    let q = Query {
        kind: kind.as_deref().and_then(Kind::parse),
        year,
        request_id,
        subject_id: None,
        text: text.unwrap_or_default(),
        limit,
        offset,
    };
    with_vault(&session, |v| letter_page(v, &q))
}

pub(crate) fn letter_page(v: &derbes::Vault, q: &Query) -> derbes::Result<LetterPageDto> {
    let page = letters::list(v.conn(), q)?;
    Ok(LetterPageDto {
        rows: page.rows.into_iter().map(row_dto).collect(),
        total: page.total,
    })
}

/// Save as…: the stored bytes, through the native dialog; the size written, `None` if cancelled.
#[tauri::command(async)]
pub fn letter_save(
    session: State<'_, Session>,
    id: i64,
    title: String,
) -> CmdResult<Option<usize>> {
    let number = with_vault(&session, |v| letters::row(v.conn(), id))?.number;
    // A file name from the number alone: slashes would make folders.
    let name = format!("{}.pdf", number.replace(['/', '\\'], "-"));
    let Some(path) = dialogs::save_file(&title, &name)? else {
        return Ok(None);
    };
    with_vault(&session, |v| {
        let pdf = letters::pdf(v.conn(), id)?;
        derbes::registry::export::to_file(&path, |w| Ok(w.write_all(&pdf)?))?;
        // Journaled once the file is complete, the letter by id only.
        derbes::registry::export::journal_leaving(
            v,
            "letter.saved",
            format!("letter {id}"),
            Utc::now(),
        )?;
        Ok(pdf.len())
    })
    .map(Some)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrinterDto {
    name: String,
    is_default: bool,
}

#[tauri::command(async)]
pub fn printer_list() -> CmdResult<Vec<PrinterDto>> {
    Ok(print::printers()?
        .into_iter()
        .map(|p| PrinterDto {
            name: p.name,
            is_default: p.is_default,
        })
        .collect())
}

/// Sends the stored PDF to `printer` through a pipe; returns the CUPS job id.
#[tauri::command(async)]
pub fn letter_print(session: State<'_, Session>, id: i64, printer: String) -> CmdResult<String> {
    let (number, pdf) = with_vault(&session, |v| {
        Ok((
            letters::row(v.conn(), id)?.number,
            letters::pdf(v.conn(), id)?,
        ))
    })?;
    let job = print::print(&printer, &number, &pdf)?;
    // Personal data left the vault on paper: journaled, the letter by id only.
    with_vault(&session, |v| {
        derbes::registry::export::journal_leaving(
            v,
            "letter.printed",
            format!("letter {id}"),
            Utc::now(),
        )
    })?;
    Ok(job)
}
