//! Reading and writing CSV tables as office software makes them: UTF-8 with or without a BOM, or
//! Windows-1251; `;`, `,` or tab between cells. A file is read whole and checked before anything
//! is done with it: too large, binary, or in an unknown encoding gets its own error.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Larger files are refused before they are read (100 000 subjects make about 15 MB).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Windows1251,
    /// Read from a workbook (`.xlsx`, `.xls`, `.ods`), not text.
    Workbook,
}

/// A table: the header row and the data rows, each with its line number in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    pub encoding: Encoding,
    pub delimiter: u8,
}

/// Reads and parses a CSV file: a regular file of at most [`MAX_BYTES`], read through that cap
/// (a device, FIFO or an endless file is refused, never read until memory runs out).
pub fn read_file(path: &Path) -> Result<Table> {
    let bytes = crate::base::limits::read_capped(path, MAX_BYTES).map_err(|e| match e {
        Error::InputTooLarge { .. } => Error::CsvTooLarge {
            size_mb: std::fs::metadata(path)
                .map(|m| m.len().div_ceil(1024 * 1024))
                .unwrap_or(0),
            max_mb: MAX_BYTES / (1024 * 1024),
        },
        e => e,
    })?;
    parse(&bytes)
}

/// Turns bytes into text, telling UTF-8 from Windows-1251.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding)> {
    let (body, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if body.contains(&0) {
        return Err(Error::CsvBinary);
    }
    let (text, encoding) = match std::str::from_utf8(body) {
        Ok(t) => (
            t.to_owned(),
            if bom {
                Encoding::Utf8Bom
            } else {
                Encoding::Utf8
            },
        ),
        Err(_) if !bom => {
            let (t, _, _) = encoding_rs::WINDOWS_1251.decode(body);
            // Text from Windows-1251 is letters: most non-ASCII characters must be Cyrillic.
            let non_ascii: Vec<char> = t.chars().filter(|c| !c.is_ascii()).collect();
            let cyrillic = non_ascii
                .iter()
                .filter(|c| ('\u{400}'..='\u{4ff}').contains(*c))
                .count();
            if cyrillic * 10 < non_ascii.len() * 9 {
                return Err(Error::CsvEncoding);
            }
            (t.into_owned(), Encoding::Windows1251)
        }
        Err(_) => return Err(Error::CsvEncoding),
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(Error::CsvBinary);
    }
    Ok((text, encoding))
}

/// The separator most used in the first line outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in first.bytes() {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in counts.iter_mut() {
                if *d == c {
                    *n += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// The line a quoted cell opens on when it is never closed (the csv reader would take the rest of
/// the file as that one cell, and the rows after it would be "missing" instead of the quote being
/// named).
fn unterminated_quote(text: &str, delimiter: u8) -> Option<u64> {
    let b = text.as_bytes();
    let (mut line, mut opened) = (1u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
            } else if c == b'\n' {
                line += 1;
            }
        } else if c == b'"' && field_start {
            quoted = true;
            opened = line;
            field_start = false;
        } else if c == b'\n' {
            line += 1;
            field_start = true;
        } else if c == delimiter {
            field_start = true;
        } else if c != b' ' && c != b'\r' {
            field_start = false;
        }
        i += 1;
    }
    quoted.then_some(opened)
}

/// The line a record starting at byte `at` is on. The reader may place a record's start on the
/// line breaks before it (of a blank line, or the `\n` of a `\r\n`): those are skipped, so that
/// the line is the one the user's editor shows.
fn line_of(text: &str, breaks: &[usize], mut at: usize) -> u64 {
    let bytes = text.as_bytes();
    while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
        at += 1;
    }
    (breaks.partition_point(|&b| b < at) + 1) as u64
}

pub fn parse(bytes: &[u8]) -> Result<Table> {
    let (text, encoding) = decode(bytes)?;

    let delimiter = sniff_delimiter(&text);
    if let Some(line) = unterminated_quote(&text, delimiter) {
        return Err(Error::CsvUnterminatedQuote { line });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    let breaks: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::CsvMalformed {
            line: e.position().map_or(0, |p| p.line()),
        })?;
        let line = rec
            .position()
            .map_or(0, |p| line_of(&text, &breaks, p.byte() as usize));
        let cells: Vec<String> = rec.iter().map(|c| c.trim().to_owned()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if headers.is_none() {
            headers = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    let headers = headers.ok_or(Error::CsvEmpty)?;
    Ok(Table {
        headers,
        rows,
        encoding,
        delimiter,
    })
}

/// A cell that a spreadsheet would run as a formula is written with a leading apostrophe, which
/// spreadsheets show as text: one that starts with `=`, `@`, a tab or a carriage return, or with
/// `+` or `-` followed by anything but a number or phone number (digits, spaces, brackets, dots,
/// dashes). `+7 701 234 56 78` and `-5` stay as they are: the most a spreadsheet makes of them is
/// a number, never a function, a reference or a link to another program (OWASP, "CSV Injection").
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if is_formula(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn is_formula(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => {
            let rest = chars.as_str();
            !rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.' | '\u{a0}'))
        }
        _ => false,
    }
}

/// Undoes [`neutralize`] on import.
pub fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Writes rows as UTF-8 with a BOM and `;` — what Excel and LibreOffice open correctly in
/// Kazakhstan's locales — neutralising formula-like cells.
pub struct Writer<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W) -> Result<Writer<W>> {
        out.write_all(b"\xEF\xBB\xBF")?;
        Ok(Writer {
            inner: csv::WriterBuilder::new().delimiter(b';').from_writer(out),
        })
    }

    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> Result<()> {
        self.inner
            .write_record(cells.into_iter().map(|c| neutralize(c).into_owned()))
            .map_err(csv_io)
    }

    pub fn finish(mut self) -> Result<()> {
        self.inner.flush()?;
        Ok(())
    }
}

fn csv_io(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        _ => Error::CsvMalformed { line: 0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_delimiters() {
        let utf8 = "Фамилия;Имя\nҚасымов;Қайрат\n";
        let t = parse(utf8.as_bytes()).unwrap();
        assert_eq!((t.encoding, t.delimiter), (Encoding::Utf8, b';'));
        assert_eq!(
            t.rows,
            vec![(2, vec!["Қасымов".to_owned(), "Қайрат".to_owned()])]
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), b"a,b\n1,2\n"].concat();
        assert_eq!(parse(&bom).unwrap().encoding, Encoding::Utf8Bom);
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Фамилия,Имя\nИванов,Сергей\n");
        let t = parse(&cp1251).unwrap();
        assert_eq!(t.encoding, Encoding::Windows1251);
        assert_eq!(t.rows[0].1[0], "Иванов");
    }

    #[test]
    fn bad_files() {
        assert!(matches!(parse(b"a,b\n\x00\x01\x02"), Err(Error::CsvBinary)));
        assert!(matches!(parse(b""), Err(Error::CsvEmpty)));
        // Bytes that are neither UTF-8 nor Cyrillic Windows-1251.
        assert!(matches!(
            parse(b"a,b\n\x81\x83\x8a\x99\xa6\xa9,x\n"),
            Err(Error::CsvEncoding)
        ));
    }

    #[test]
    fn an_unterminated_quote_is_named() {
        let err = parse("Фамилия;Имя\nИванов;\"Иван\nПетров;Пётр\n".as_bytes()).unwrap_err();
        assert!(
            matches!(err, Error::CsvUnterminatedQuote { line: 2 }),
            "{err:?}"
        );
        // Quotes that close, doubled quotes and a quote inside a cell are fine.
        assert!(parse("a;b\n\"x\"\"y\";z\n\"multi\nline\";w\nsay \"hi;v\n".as_bytes()).is_ok());
        // The same line numbers whatever the line ends.
        let lf = parse("a;b\n1;2\n\n3;4\n".as_bytes()).unwrap();
        let crlf = parse("a;b\r\n1;2\r\n\r\n3;4\r\n".as_bytes()).unwrap();
        let lines = |t: &Table| t.rows.iter().map(|(l, _)| *l).collect::<Vec<_>>();
        assert_eq!(lines(&lf), [2, 4]);
        assert_eq!(lines(&crlf), [2, 4]);
    }

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(
            neutralize("-2+3+cmd|' /C calc'!A0"),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(neutralize("@SUM(A1:A9)"), "'@SUM(A1:A9)");
        assert_eq!(neutralize("+A1"), "'+A1");
        assert_eq!(neutralize("-"), "-");
        assert_eq!(neutralize("\tx"), "'\tx");
        // Phone numbers and numbers are data, written as they were.
        assert_eq!(neutralize("+77011234567"), "+77011234567");
        assert_eq!(neutralize("+7 (701) 234-56-78"), "+7 (701) 234-56-78");
        assert_eq!(neutralize("-5"), "-5");
        assert_eq!(neutralize("Иванов"), "Иванов");
        assert_eq!(unneutralize("'+77011234567"), "+77011234567");
        assert_eq!(unneutralize("'quoted"), "'quoted");
    }
}
