//! Spreadsheets without damage (issue 9). A CSV opened in a spreadsheet turns IINs into numbers
//! and drops the leading zero of everyone born in 2000–2009; an `.xlsx` written here declares IIN,
//! BIN, phone and document columns as text, dates as dates, so nothing is reinterpreted.
//!
//! - **Out**: one table to CSV, `.xlsx` or `.ods` ([`crate::ods`]), by the file's extension: a bold frozen header row,
//!   column widths, an autofilter, the sheet name and headers in the user's language, no author or
//!   other personal data in the document properties. Cells are written as values, never formulas:
//!   a name beginning with `=` stays text.
//! - **In**: `.xlsx`, `.xlsm`, `.xls` and `.ods` read into the same [`Table`] as CSV, so import maps,
//!   checks and commits them the same way. A workbook is refused before it is parsed when it is
//!   too large, encrypted (password-protected), or a zip that unpacks to far more than a table
//!   (a zip bomb).

use crate::csv_table::{Encoding, Table};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::io::{Cursor, Write};
use std::path::Path;

/// Workbooks larger than this are refused before they are read (100 000 subjects make ~6 MB).
pub const MAX_WORKBOOK_BYTES: u64 = 32 * 1024 * 1024;
/// What a workbook may unpack to in all; a table of 100 000 subjects unpacks to about 40 MB.
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// More entries than any workbook of one table has.
const MAX_ENTRIES: usize = 10_000;

/// The file formats a table is written in, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    /// OpenDocument (LibreOffice Calc), see [`crate::ods`].
    Ods,
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase()
}

impl Format {
    /// `.xlsx` and `.ods` write a workbook; anything else (`.csv`, `-`) CSV.
    pub fn of(path: &Path) -> Format {
        match extension(path).as_str() {
            "xlsx" => Format::Xlsx,
            "ods" => Format::Ods,
            _ => Format::Csv,
        }
    }

    pub fn of_name(name: &str) -> Format {
        Format::of(Path::new(name))
    }
}

/// What a column holds: text (identifiers included, so no spreadsheet turns them into numbers),
/// dates, or numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Date,
    Number,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: Kind,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: Kind, width: f64) -> Column {
        Column {
            header: header.into(),
            kind,
            width,
        }
    }
}

/// Columns from `(ru, kk, en, kind, width)`, headed in `lang`.
pub fn columns(
    lang: crate::prefs::Language,
    spec: &[(&str, &str, &str, Kind, f64)],
) -> Vec<Column> {
    use crate::prefs::Language::*;
    spec.iter()
        .map(|(ru, kk, en, kind, width)| {
            let h = match lang {
                Ru => ru,
                Kk => kk,
                En => en,
            };
            Column::new(*h, *kind, *width)
        })
        .collect()
}

/// A sheet's name in `lang`.
pub fn name(lang: crate::prefs::Language, ru: &str, kk: &str, en: &str) -> String {
    match lang {
        crate::prefs::Language::Ru => ru,
        crate::prefs::Language::Kk => kk,
        crate::prefs::Language::En => en,
    }
    .to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Date(Option<NaiveDate>),
    Int(i64),
}

/// A table being written.
pub trait Out {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Starts writing a table with `columns` to `out` in `format`; `sheet` names the worksheet.
pub fn writer<'w>(
    format: Format,
    out: &'w mut dyn Write,
    sheet: &str,
    columns: &[Column],
) -> Result<Box<dyn Out + 'w>> {
    Ok(match format {
        Format::Csv => {
            let mut w = crate::csv_table::Writer::new(out)?;
            w.row(columns.iter().map(|c| c.header.as_str()))?;
            Box::new(CsvOut { w })
        }
        Format::Xlsx => Box::new(XlsxOut::new(out, sheet, columns)?),
        Format::Ods => Box::new(crate::ods::OdsOut::new(out, sheet, columns)?),
    })
}

struct CsvOut<'w> {
    w: crate::csv_table::Writer<&'w mut dyn Write>,
}

impl Out for CsvOut<'_> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        let text: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(s) => (*s).to_owned(),
                Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
                Cell::Int(i) => i.to_string(),
            })
            .collect();
        self.w.row(text.iter().map(String::as_str))
    }

    fn finish(self: Box<Self>) -> Result<()> {
        self.w.finish()
    }
}

struct XlsxOut<'w> {
    out: &'w mut dyn Write,
    sheet: rust_xlsxwriter::Worksheet,
    date: rust_xlsxwriter::Format,
    text: rust_xlsxwriter::Format,
    kinds: Vec<Kind>,
    next_row: u32,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::SheetUnreadable(e.to_string())
}

/// A sheet name Excel and LibreOffice both accept: at most 31 characters, none of `[]:*?/\'`
/// or control characters, not empty.
pub(crate) fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .filter(|c| !c.is_control())
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Derbes".to_owned()
    } else {
        clean
    }
}

/// Excel's limit on the rows of a sheet (LibreOffice's too, before 7.4).
pub(crate) const MAX_ROWS: u32 = 1_048_576;
/// Excel's limit on the characters of a cell.
const MAX_CELL: usize = 32_767;

impl<'w> XlsxOut<'w> {
    fn new(out: &'w mut dyn Write, name: &str, columns: &[Column]) -> Result<XlsxOut<'w>> {
        use rust_xlsxwriter::{Format, FormatAlign, Worksheet};
        let mut sheet = Worksheet::new();
        sheet.set_name(sheet_name(name)).map_err(xlsx_error)?;
        let bold = Format::new().set_bold().set_align(FormatAlign::Top);
        let text = Format::new().set_num_format("@");
        let date = Format::new().set_num_format("dd.mm.yyyy");
        for (i, c) in columns.iter().enumerate() {
            let col = u16::try_from(i).map_err(|_| Error::SheetTooLarge { unpacked_mb: 0 })?;
            sheet.set_column_width(col, c.width).map_err(xlsx_error)?;
            // Text-typed columns stay text for what the user types into them later, too.
            match c.kind {
                Kind::Text => sheet.set_column_format(col, &text),
                Kind::Date => sheet.set_column_format(col, &date),
                Kind::Number => Ok(&mut sheet),
            }
            .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(0, col, c.header.as_str(), &bold)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(XlsxOut {
            out,
            sheet,
            date,
            text,
            kinds: columns.iter().map(|c| c.kind).collect(),
            next_row: 1,
        })
    }
}

impl Out for XlsxOut<'_> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        if self.next_row >= MAX_ROWS {
            return Err(Error::SheetTooLarge { unpacked_mb: 0 });
        }
        let r = self.next_row;
        for (i, cell) in cells.iter().enumerate() {
            let col = u16::try_from(i).map_err(|_| Error::SheetTooLarge { unpacked_mb: 0 })?;
            match cell {
                // An empty cell is left out: autofilter and Ctrl+arrow then behave as expected.
                Cell::Text("") | Cell::Date(None) => {}
                Cell::Text(s) => {
                    // Bytes bound characters: only a very long text is cut to Excel's limit.
                    let s: std::borrow::Cow<'_, str> = if s.len() <= MAX_CELL {
                        (*s).into()
                    } else {
                        s.chars().take(MAX_CELL).collect::<String>().into()
                    };
                    self.sheet
                        .write_string_with_format(r, col, s, &self.text)
                        .map_err(xlsx_error)?;
                }
                Cell::Date(Some(d)) => {
                    self.sheet
                        .write_datetime_with_format(r, col, d, &self.date)
                        .map_err(xlsx_error)?;
                }
                Cell::Int(n) => {
                    // Only counts and record numbers, far below 2^53.
                    self.sheet
                        .write_number(r, col, *n as f64)
                        .map_err(xlsx_error)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let XlsxOut {
            out,
            mut sheet,
            kinds,
            next_row,
            ..
        } = *self;
        if let Some(last) = kinds.len().checked_sub(1) {
            let last = u16::try_from(last).map_err(|_| Error::SheetTooLarge { unpacked_mb: 0 })?;
            sheet
                .autofilter(0, 0, next_row.saturating_sub(1).max(1), last)
                .map_err(xlsx_error)?;
        }
        let mut book = rust_xlsxwriter::Workbook::new();
        // No author, company or other personal data; the creation time is not personal.
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_title("Derbes"));
        // Most of the saving time is compression: level 1 halves it against the default 6 for a
        // file still smaller than the same table as CSV (measured: 100 000 subjects).
        book.set_zip_compression_level(1);
        book.push_worksheet(sheet);
        let bytes = book.save_to_buffer().map_err(xlsx_error)?;
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// Reads a table from `path`: a workbook by its extension (`.xlsx`, `.xlsm`, `.xls`, `.ods`),
/// anything else as CSV.
pub fn read_table(path: &Path) -> Result<Table> {
    match extension(path).as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path),
        _ => crate::csv_table::read_file(path),
    }
}

fn read_workbook(path: &Path) -> Result<Table> {
    let bytes = crate::limits::read_capped(path, MAX_WORKBOOK_BYTES).map_err(|e| match e {
        Error::InputTooLarge { .. } => Error::CsvTooLarge {
            size_mb: std::fs::metadata(path)
                .map(|m| m.len().div_ceil(1024 * 1024))
                .unwrap_or(0),
            max_mb: MAX_WORKBOOK_BYTES / (1024 * 1024),
        },
        e => e,
    })?;
    parse_workbook(bytes, &extension(path))
}

/// A zip whose entries unpack to more than a table's worth is refused unread.
fn check_zip(bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::SheetUnreadable(e.to_string()))?;
    if zip.len() > MAX_ENTRIES {
        return Err(Error::SheetTooLarge { unpacked_mb: 0 });
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| Error::SheetUnreadable(e.to_string()))?;
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED {
            return Err(Error::SheetTooLarge {
                unpacked_mb: total.div_ceil(1024 * 1024),
            });
        }
    }
    Ok(())
}

/// Parses a workbook's bytes; `ext` tells which kind the user meant (for the messages).
pub fn parse_workbook(bytes: Vec<u8>, ext: &str) -> Result<Table> {
    use calamine::Reader;
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(ZIP) {
        check_zip(&bytes)?;
        check_extent(&bytes)?;
    } else if bytes.starts_with(OLE) && ext != "xls" {
        // An .xlsx or .ods inside an OLE container is an encrypted (password-protected) one.
        return Err(Error::SheetProtected);
    } else if !bytes.starts_with(OLE) {
        return Err(Error::SheetUnreadable("not a workbook".into()));
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(sheet_error)?;
    let mut first_error = None;
    for name in book.sheet_names() {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            // A chart sheet or another kind of sheet without cells.
            Err(e) => {
                first_error.get_or_insert(e);
                continue;
            }
        };
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let start = u64::from(range.start().map_or(0, |(r, _)| r));
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            // Lines are the spreadsheet's row numbers, as the user sees them.
            let line = start + i as u64 + 1;
            if headers.is_none() {
                headers = Some(cells);
            } else {
                rows.push((line, trim_end(cells)));
            }
        }
        if let Some(headers) = headers {
            return Ok(Table {
                headers: trim_end(headers),
                rows,
                encoding: Encoding::Workbook,
                delimiter: 0,
            });
        }
    }
    match first_error {
        Some(e) => Err(sheet_error(e)),
        None => Err(Error::CsvEmpty),
    }
}

/// Trailing empty cells (a sheet's used range is as wide as its widest row) are dropped.
fn trim_end(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    cells
}

/// A reader's error as a message that never carries what a cell holds (calamine quotes cell
/// values in some messages: `Unsupported cell error value '850808310738 Қасымов Қайрат'`): quoted
/// parts are cut out, and the rest is cut short.
fn sheet_error(e: calamine::Error) -> Error {
    let text = e.to_string();
    if text.to_lowercase().contains("password") || text.to_lowercase().contains("encrypt") {
        return Error::SheetProtected;
    }
    Error::SheetUnreadable(without_contents(&text))
}

/// `text` with every quoted part (`'…'`, `"…"`, `` `…` ``) replaced by `…`, at most 120 characters.
fn without_contents(text: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '\'' | '"' | '`') => {
                quote = Some(c);
                out.push('…');
            }
            None => out.push(c),
        }
    }
    out.chars().take(120).collect()
}

/// The most cells a sheet may span (rows × columns of its used range) before it is read: calamine
/// builds the whole rectangle, so two cells at A1 and XFD1048576 would ask for 512 GiB.
const MAX_CELLS: u64 = 20_000_000;

/// Column letters (`A`, `XFD`) and row digits of a cell reference, as 1-based numbers.
fn cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0u64, |n, c| {
        n * 26 + u64::from(c.to_ascii_uppercase() - b'A' + 1)
    });
    let digits = &r[letters..];
    if digits.is_empty() || digits.len() > 7 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row = digits
        .iter()
        .fold(0u64, |n, c| n * 10 + u64::from(c - b'0'));
    Some((row, col))
}

/// Refuses an `.xlsx` whose worksheets' cells span more than [`MAX_CELLS`], from the cell
/// references themselves (the declared `<dimension>` may lie), before a range is built.
fn check_extent(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Error::SheetUnreadable(without_contents(&e.to_string())))?;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| Error::SheetUnreadable(without_contents(&e.to_string())))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .map_err(|e| Error::SheetUnreadable(without_contents(&e.to_string())))?;
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        // Bounded: check_zip has summed the declared sizes, and the read is capped again.
        let mut xml = Vec::new();
        (&mut entry)
            .take(MAX_UNPACKED)
            .read_to_end(&mut xml)
            .map_err(Error::from)?;
        let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0, u64::MAX, 0);
        let mut at = 0;
        while let Some(p) = find(&xml[at..], b"<c ") {
            let start = at + p + 3;
            let end = find(&xml[start..], b">").map_or(xml.len(), |e| start + e);
            let tag = &xml[start..end];
            if let Some(q) = find(tag, b"r=\"") {
                let v = &tag[q + 3..];
                let v = &v[..find(v, b"\"").unwrap_or(v.len())];
                if let Some((r, c)) = cell_ref(v) {
                    min_r = min_r.min(r);
                    max_r = max_r.max(r);
                    min_c = min_c.min(c);
                    max_c = max_c.max(c);
                }
            }
            at = end;
        }
        if max_r > 0 {
            let cells = (max_r - min_r + 1).saturating_mul(max_c - min_c + 1);
            if cells > MAX_CELLS {
                return Err(Error::SheetTooWide {
                    rows: max_r - min_r + 1,
                    columns: max_c - min_c + 1,
                });
            }
        }
    }
    Ok(())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A cell as text: numbers without a spurious `.0` (an IIN a spreadsheet made a number comes back
/// as its digits), dates as `YYYY-MM-DD`.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::String(s) => s.trim().to_owned(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| {
                if t.time() == chrono::NaiveTime::MIN {
                    t.date().to_string()
                } else {
                    t.format("%Y-%m-%d %H:%M").to_string()
                }
            })
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_no_cell_contents() {
        assert_eq!(
            without_contents("Unsupported cell error value '850808310738 Қасымов Қайрат'"),
            "Unsupported cell error value …"
        );
        assert_eq!(cell_ref(b"XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref(b"A1"), Some((1, 1)));
        assert_eq!(cell_ref(b"1A"), None);
    }
}
