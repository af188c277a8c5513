//! Spreadsheets without damage (issue 9). A CSV opened in a spreadsheet turns IINs into numbers
//! and drops the leading zero of everyone born in 2000–2009; an `.xlsx` written here declares IIN,
//! BIN, phone and document columns as text, dates as dates, so nothing is reinterpreted.
//!
//! - **Out**: one table to CSV, `.xlsx` or `.ods` ([`crate::files::sheet::ods`]), by the file's extension: a bold frozen header row,
//!   column widths, an autofilter, the sheet name and headers in the user's language, no author or
//!   other personal data in the document properties. Cells are written as values, never formulas:
//!   a name beginning with `=` stays text.
//! - **In**: `.xlsx`, `.xlsm`, `.xls` and `.ods` read into the same [`Table`] as CSV, so import maps,
//!   checks and commits them the same way. A workbook is refused before it is parsed when it is
//!   too large, encrypted (password-protected), or a zip that unpacks to far more than a table
//!   (a zip bomb).

pub mod cell;
pub(crate) mod ods;

use crate::error::{Error, Result};
use crate::files::csv_table::{Encoding, Table};
pub use cell::{Cell, Column, Kind, Out, columns, name};
use cell::{MAX_ROWS, sheet_name};
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
    /// OpenDocument (LibreOffice Calc), see [`crate::files::sheet::ods`].
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

/// Starts writing a table with `columns` to `out` in `format`; `sheet` names the worksheet.
pub fn writer<'w>(
    format: Format,
    out: &'w mut dyn Write,
    sheet: &str,
    columns: &[Column],
) -> Result<Box<dyn Out + 'w>> {
    Ok(match format {
        Format::Csv => {
            let mut w = crate::files::csv_table::Writer::new(out)?;
            w.row(columns.iter().map(|c| c.header.as_str()))?;
            Box::new(CsvOut { w })
        }
        Format::Xlsx => Box::new(XlsxOut::new(out, sheet, columns)?),
        Format::Ods => Box::new(crate::files::sheet::ods::OdsOut::new(out, sheet, columns)?),
    })
}

struct CsvOut<'w> {
    w: crate::files::csv_table::Writer<&'w mut dyn Write>,
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
        _ => crate::files::csv_table::read_file(path),
    }
}

fn read_workbook(path: &Path) -> Result<Table> {
    let bytes =
        crate::base::limits::read_capped(path, MAX_WORKBOOK_BYTES).map_err(|e| match e {
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
    } else if bytes.starts_with(OLE) && ext == "xls" {
        check_xls_extent(&bytes)?;
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

/// The error values an `.xlsx` cell of type `e` may hold (ECMA-376 §18.17.4.1 as calamine reads it).
const EXCEL_ERRORS: &[&[u8]] = &[
    b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!",
];

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
        let ods = name == "content.xml";
        if !(ods || name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        // Bounded: check_zip has summed the declared sizes, and the read is capped again.
        let mut xml = Vec::new();
        (&mut entry)
            .take(MAX_UNPACKED)
            .read_to_end(&mut xml)
            .map_err(Error::from)?;
        if ods {
            check_ods_extent(&xml)?;
            continue;
        }
        // `xl/worksheets/sheet3.xml`: the third sheet, as the user counts them.
        let sheet_no: u32 = name
            .trim_start_matches("xl/worksheets/sheet")
            .trim_end_matches(".xml")
            .parse()
            .unwrap_or(0);
        let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0, u64::MAX, 0);
        let mut at = 0;
        while let Some(p) = find(&xml[at..], b"<c ") {
            let start = at + p + 3;
            let end = find(&xml[start..], b">").map_or(xml.len(), |e| start + e);
            let tag = &xml[start..end];
            if let Some(q) = find(tag, b"r=\"") {
                let v = &tag[q + 3..];
                let v = &v[..find(v, b"\"").unwrap_or(v.len())];
                // An error cell whose value is not one of Excel's: calamine would refuse the
                // whole file quoting the value (often a person's name and IIN typed over it).
                if find(tag, b" t=\"e\"").is_some() || tag.starts_with(b"t=\"e\"") {
                    let rest = &xml[end..];
                    let value = find(rest, b"<v>").and_then(|a| {
                        let b = find(&rest[a + 3..], b"</v>")?;
                        // Only the cell's own value, not one of a later cell.
                        (find(&rest[..a], b"</c>").is_none()).then(|| &rest[a + 3..a + 3 + b])
                    });
                    if let Some(value) = value
                        && !EXCEL_ERRORS.contains(&value)
                    {
                        return Err(Error::SheetCell {
                            sheet: sheet_no,
                            cell: String::from_utf8_lossy(v).into_owned(),
                            reason: "an error value Excel does not define",
                        });
                    }
                }
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
            too_wide(max_r - min_r + 1, max_c - min_c + 1)?;
        }
    }
    Ok(())
}

fn too_wide(rows: u64, columns: u64) -> Result<()> {
    if rows.saturating_mul(columns) > MAX_CELLS {
        return Err(Error::SheetTooWide { rows, columns });
    }
    Ok(())
}

/// The value of attribute `name` (`table:number-rows-repeated`) in a tag's bytes, as a number.
fn attr_number(tag: &[u8], name: &[u8]) -> Option<u64> {
    let mut at = 0;
    while let Some(p) = find(&tag[at..], name) {
        let i = at + p;
        let rest = &tag[i + name.len()..];
        // The whole attribute name: preceded by a space, followed by `="`.
        if i > 0 && tag[i - 1].is_ascii_whitespace() && rest.starts_with(b"=\"") {
            let v = &rest[2..];
            let v = &v[..find(v, b"\"").unwrap_or(v.len())];
            return std::str::from_utf8(v).ok()?.parse().ok();
        }
        at = i + name.len();
    }
    None
}

/// An `.ods` sheet spans what its rows and cells *repeated* declare: a 1 KB `content.xml` can
/// declare a row repeated a million times holding a cell repeated 16 384 times, which calamine
/// would build in full. Counted as calamine counts them: rows and columns up to the last cell
/// with content (the empty rows and columns LibreOffice writes to the sheet's end do not count).
fn check_ods_extent(xml: &[u8]) -> Result<()> {
    let name_of = |tag: &[u8]| {
        let end = tag
            .iter()
            .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
            .unwrap_or(tag.len());
        tag[..end].to_vec()
    };
    #[derive(Default)]
    struct Sheet {
        row: u64,
        first_row: Option<u64>,
        last_row: u64,
        columns: u64,
    }
    let mut sheet = Sheet::default();
    let (mut row_rep, mut cells, mut last_full) = (1u64, 0u64, 0u64);
    let mut cell: Option<(u64, bool)> = None;
    let mut at = 0;
    while let Some(p) = find(&xml[at..], b"<") {
        let start = at + p + 1;
        let end = find(&xml[start..], b">").map_or(xml.len(), |e| start + e);
        let tag = &xml[start..end];
        at = end;
        let closing = tag.first() == Some(&b'/');
        let self_closing = tag.last() == Some(&b'/');
        let name = name_of(if closing { &tag[1..] } else { tag });
        match (name.as_slice(), closing) {
            (b"table:table", false) => {
                too_wide(
                    sheet.first_row.map_or(0, |f| sheet.last_row - f + 1),
                    sheet.columns,
                )?;
                sheet = Sheet::default();
            }
            (b"table:table-row", false) => {
                row_rep = attr_number(tag, b"table:number-rows-repeated").unwrap_or(1);
                (cells, last_full) = (0, 0);
                if self_closing {
                    sheet.row = sheet.row.saturating_add(row_rep);
                }
            }
            (b"table:table-row", true) => {
                if last_full > 0 {
                    sheet.first_row.get_or_insert(sheet.row);
                    sheet.last_row = sheet.row.saturating_add(row_rep - 1);
                    sheet.columns = sheet.columns.max(last_full);
                    too_wide(
                        sheet.last_row - sheet.first_row.unwrap_or(0) + 1,
                        sheet.columns,
                    )?;
                }
                sheet.row = sheet.row.saturating_add(row_rep);
            }
            (b"table:table-cell" | b"table:covered-table-cell", false) => {
                let rep = attr_number(tag, b"table:number-columns-repeated").unwrap_or(1);
                let typed = find(tag, b"office:value-type=").is_some();
                if self_closing {
                    cells = cells.saturating_add(rep);
                    if typed {
                        last_full = cells;
                    }
                } else {
                    cell = Some((rep, typed));
                }
            }
            (b"table:table-cell" | b"table:covered-table-cell", true) => {
                if let Some((rep, full)) = cell.take() {
                    cells = cells.saturating_add(rep);
                    if full {
                        last_full = cells;
                    }
                }
            }
            (n, false) if n.starts_with(b"text:") => {
                if let Some(c) = cell.as_mut() {
                    c.1 = true;
                }
            }
            _ => {}
        }
    }
    too_wide(
        sheet.first_row.map_or(0, |f| sheet.last_row - f + 1),
        sheet.columns,
    )
}

/// An `.xls` (BIFF8) sheet spans its cells' rows and columns: two cells at (0, 0) and
/// (65535, 65535) would make calamine build four billion. The cell records of the workbook stream
/// are read for their row and column (as calamine keeps them: blanks do not count) before.
fn check_xls_extent(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Error::SheetUnreadable(without_contents(&e.to_string()));
    let mut ole = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(unreadable)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| ole.is_stream(n))
        .ok_or_else(|| Error::SheetUnreadable("no workbook stream".into()))?;
    let mut stream = Vec::new();
    ole.open_stream(name)
        .map_err(unreadable)?
        .take(MAX_UNPACKED)
        .read_to_end(&mut stream)
        .map_err(unreadable)?;
    let u16_at = |d: &[u8], i: usize| {
        d.get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (mut min_r, mut max_r, mut min_c, mut max_c) = (u64::MAX, 0u64, u64::MAX, 0u64);
    let mut any = false;
    let mut i = 0;
    while i + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[i], stream[i + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[i + 2], stream[i + 3]]));
        let data = stream
            .get(i + 4..(i + 4 + len).min(stream.len()))
            .unwrap_or(&[]);
        i += 4 + len;
        let span = match kind {
            // BOF: a new substream (a sheet).
            0x0809 => {
                if any {
                    too_wide(max_r - min_r + 1, max_c - min_c + 1)?;
                }
                (min_r, max_r, min_c, max_c, any) = (u64::MAX, 0, u64::MAX, 0, false);
                None
            }
            // NUMBER, LABELSST, LABEL, RK, BOOLERR, FORMULA: one cell at (row, column).
            0x0203 | 0x00FD | 0x0204 | 0x027E | 0x0205 | 0x0006 => {
                match (u16_at(data, 0), u16_at(data, 2)) {
                    (Some(r), Some(c)) => Some((r, c, c)),
                    _ => None,
                }
            }
            // MULRK: a row of cells from the first column to the last (the record's last u16).
            0x00BD => match (
                u16_at(data, 0),
                u16_at(data, 2),
                u16_at(data, len.saturating_sub(2)),
            ) {
                (Some(r), Some(f), Some(l)) if len >= 6 => Some((r, f, l.max(f))),
                _ => None,
            },
            _ => None,
        };
        if let Some((r, c0, c1)) = span {
            any = true;
            min_r = min_r.min(r);
            max_r = max_r.max(r);
            min_c = min_c.min(c0);
            max_c = max_c.max(c1);
        }
    }
    if any {
        too_wide(max_r - min_r + 1, max_c - min_c + 1)?;
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
