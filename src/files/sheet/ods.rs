//! Tables written as OpenDocument spreadsheets (`.ods`, ODF 1.2), for offices that use
//! LibreOffice Calc rather than Excel (issue 9). The same promises as the `.xlsx` writer in
//! [`crate::files::sheet`]: identifier columns are text (a text number format on the column, so what the
//! user types there later stays text too), dates are dates, the header row is bold and frozen,
//! columns have widths, the table has an autofilter, and the document carries no author.
//!
//! An `.ods` is a zip: `mimetype` stored first and uncompressed, then `content.xml` (written row by
//! row straight into the compressor, so a large table is never held as XML), `styles.xml`,
//! `settings.xml` (the frozen row), `meta.xml` and the manifest. A cell's text is always
//! character data: ODF keeps formulas in an attribute this writer never writes, so `=1+1` stays text.

use crate::error::{Error, Result};
use crate::files::sheet::cell::{Cell, Column, Kind, MAX_ROWS, Out, sheet_name};
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

const NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" "#,
    r#"office:version="1.2""#
);

fn zip_error(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(e) => Error::Io(e),
        other => Error::SheetUnreadable(other.to_string()),
    }
}

pub(crate) struct OdsOut<'w> {
    out: &'w mut dyn Write,
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    sheet: String,
    columns: usize,
    next_row: u32,
    buf: String,
}

fn deflated() -> SimpleFileOptions {
    // Level 1, as the .xlsx writer: most of the saving time is compression (see crate::files::sheet).
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
}

impl<'w> OdsOut<'w> {
    pub(crate) fn new(
        out: &'w mut dyn Write,
        sheet: &str,
        columns: &[Column],
    ) -> Result<OdsOut<'w>> {
        let sheet = sheet_name(sheet);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        // The first entry, uncompressed, so the type is readable at a fixed offset (ODF 1.2 §17.4).
        zip.start_file(
            "mimetype",
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
        )
        .map_err(zip_error)?;
        zip.write_all(MIMETYPE.as_bytes())?;
        zip.start_file("content.xml", deflated())
            .map_err(zip_error)?;
        let mut head = String::with_capacity(4096);
        head.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = write!(head, "<office:document-content {NS}>");
        head.push_str("<office:automatic-styles>");
        for (i, c) in columns.iter().enumerate() {
            // A character of the default font is about 0.2 cm wide.
            let _ = write!(
                head,
                r#"<style:style style:name="co{i}" style:family="table-column"><style:table-column-properties style:column-width="{:.2}cm"/></style:style>"#,
                c.width.clamp(1.0, 255.0) * 0.2 + 0.1
            );
        }
        head.push_str(concat!(
            r#"<number:text-style style:name="NText"><number:text-content/></number:text-style>"#,
            r#"<number:date-style style:name="NDate"><number:day number:style="long"/><number:text>.</number:text>"#,
            r#"<number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>"#,
            r#"<style:style style:name="ceH" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties style:vertical-align="top"/>"#,
            r#"<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>"#,
            r#"<style:style style:name="ceT" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="NText"/>"#,
            r#"<style:style style:name="ceD" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="NDate"/>"#,
            r#"<style:style style:name="ceN" style:family="table-cell" style:parent-style-name="Default"/>"#,
            "</office:automatic-styles><office:body><office:spreadsheet>"
        ));
        let _ = write!(head, r#"<table:table table:name="{}">"#, attr(&sheet));
        for (i, c) in columns.iter().enumerate() {
            let cell = match c.kind {
                Kind::Text => "ceT",
                Kind::Date => "ceD",
                Kind::Number => "ceN",
            };
            let _ = write!(
                head,
                r#"<table:table-column table:style-name="co{i}" table:default-cell-style-name="{cell}"/>"#
            );
        }
        head.push_str("<table:table-header-rows><table:table-row>");
        for c in columns {
            head.push_str(
                r#"<table:table-cell table:style-name="ceH" office:value-type="string">"#,
            );
            paragraphs(&mut head, &c.header);
            head.push_str("</table:table-cell>");
        }
        head.push_str("</table:table-row></table:table-header-rows>");
        zip.write_all(head.as_bytes())?;
        Ok(OdsOut {
            out,
            zip,
            sheet,
            columns: columns.len(),
            next_row: 1,
            buf: String::with_capacity(1024),
        })
    }
}

impl Out for OdsOut<'_> {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<()> {
        if self.next_row >= MAX_ROWS {
            return Err(Error::SheetTooLarge { unpacked_mb: 0 });
        }
        let b = &mut self.buf;
        b.clear();
        b.push_str("<table:table-row>");
        for cell in cells {
            match cell {
                // An empty cell is written empty: it keeps the column's style and filters as empty.
                Cell::Text("") | Cell::Date(None) => b.push_str("<table:table-cell/>"),
                Cell::Text(s) => {
                    b.push_str(r#"<table:table-cell office:value-type="string">"#);
                    paragraphs(b, s);
                    b.push_str("</table:table-cell>");
                }
                Cell::Date(Some(d)) => {
                    let _ = write!(
                        b,
                        r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{}</text:p></table:table-cell>"#,
                        d.format("%d.%m.%Y")
                    );
                }
                Cell::Int(n) => {
                    let _ = write!(
                        b,
                        r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                    );
                }
            }
        }
        b.push_str("</table:table-row>");
        self.zip.write_all(b.as_bytes())?;
        self.next_row += 1;
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<()> {
        let OdsOut {
            out,
            mut zip,
            sheet,
            columns,
            next_row,
            ..
        } = *self;
        let mut tail = String::from("</table:table>");
        if columns > 0 {
            // The autofilter: LibreOffice's unnamed range of the sheet, buttons on the header.
            let last = format!("{}{}", column_letters(columns - 1), next_row.max(2));
            let q = quoted(&sheet);
            let _ = write!(
                tail,
                r#"<table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" table:target-range-address="{}" table:display-filter-buttons="true"/></table:database-ranges>"#,
                attr(&format!("{q}.A1:{q}.{last}"))
            );
        }
        tail.push_str("</office:spreadsheet></office:body></office:document-content>");
        zip.write_all(tail.as_bytes())?;

        zip.start_file("styles.xml", deflated())
            .map_err(zip_error)?;
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-styles {NS}><office:styles><style:style style:name="Default" style:family="table-cell"/></office:styles></office:document-styles>"#
        )?;

        // The header row frozen: the view split below row 1, the lower pane active.
        zip.start_file("settings.xml", deflated())
            .map_err(zip_error)?;
        let name = attr(&sheet);
        write!(
            zip,
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ns}><office:settings>"#,
                r#"<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views">"#,
                r#"<config:config-item-map-entry><config:config-item config:name="ViewId" config:type="string">view1</config:config-item>"#,
                r#"<config:config-item-map-named config:name="Tables"><config:config-item-map-entry config:name="{name}">"#,
                r#"<config:config-item config:name="HorizontalSplitMode" config:type="short">0</config:config-item>"#,
                r#"<config:config-item config:name="VerticalSplitMode" config:type="short">2</config:config-item>"#,
                r#"<config:config-item config:name="HorizontalSplitPosition" config:type="int">0</config:config-item>"#,
                r#"<config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item>"#,
                r#"<config:config-item config:name="ActiveSplitRange" config:type="short">2</config:config-item>"#,
                r#"<config:config-item config:name="PositionLeft" config:type="int">0</config:config-item>"#,
                r#"<config:config-item config:name="PositionRight" config:type="int">0</config:config-item>"#,
                r#"<config:config-item config:name="PositionTop" config:type="int">0</config:config-item>"#,
                r#"<config:config-item config:name="PositionBottom" config:type="int">1</config:config-item>"#,
                r#"</config:config-item-map-entry></config:config-item-map-named>"#,
                r#"<config:config-item config:name="ActiveTable" config:type="string">{name}</config:config-item>"#,
                r#"</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>"#,
                r#"</office:settings></office:document-settings>"#
            ),
            ns = NS,
            name = name
        )?;

        // No author, company or dates: only what made the file.
        zip.start_file("meta.xml", deflated()).map_err(zip_error)?;
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-meta {NS}><office:meta><meta:generator>Derbes</meta:generator><dc:title>Derbes</dc:title></office:meta></office:document-meta>"#
        )?;

        zip.start_file("META-INF/manifest.xml", deflated())
            .map_err(zip_error)?;
        zip.write_all(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
                r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
                r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
                r#"<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>"#,
                r#"<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>"#,
                r#"<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
                r#"</manifest:manifest>"#
            )
            .as_bytes(),
        )?;
        let bytes = zip.finish().map_err(zip_error)?.into_inner();
        out.write_all(&bytes)?;
        Ok(())
    }
}

/// A sheet name in a cell range address: in single quotes, a quote doubled.
fn quoted(sheet: &str) -> String {
    format!("'{}'", sheet.replace('\'', "''"))
}

/// `A`, …, `Z`, `AA`, … for a zero-based column.
fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Characters XML 1.0 cannot carry at all (C0 controls but tab and line breaks) are dropped.
fn xml_char(c: char) -> bool {
    let control = c.is_control() && (c as u32) < 0x80 && !matches!(c, '\t' | '\n' | '\r');
    !control && c != '\u{FFFE}' && c != '\u{FFFF}'
}

/// Escapes text for an attribute value.
fn attr(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => {
                let _ = write!(o, "&#{};", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

/// Writes `s` as a cell's paragraphs: one `<text:p>` per line; ODF collapses white space in text,
/// so runs of spaces, leading spaces and tabs are written as elements and come back as typed.
fn paragraphs(o: &mut String, s: &str) {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    for line in s.split('\n') {
        o.push_str("<text:p>");
        let mut spaces = 0usize;
        let mut at_start = true;
        let flush = |o: &mut String, spaces: &mut usize, at_start: bool| {
            if *spaces == 0 {
                return;
            }
            // One literal space is kept unless it starts the paragraph; the rest are counted.
            let counted = if at_start { *spaces } else { *spaces - 1 };
            if !at_start {
                o.push(' ');
            }
            match counted {
                0 => {}
                1 => o.push_str("<text:s/>"),
                n => {
                    let _ = write!(o, r#"<text:s text:c="{n}"/>"#);
                }
            }
            *spaces = 0;
        };
        for c in line.chars().filter(|c| xml_char(*c)) {
            if c == ' ' {
                spaces += 1;
                continue;
            }
            flush(o, &mut spaces, at_start);
            at_start = false;
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' => o.push_str("&gt;"),
                '\t' => o.push_str("<text:tab/>"),
                c => o.push(c),
            }
        }
        // Trailing spaces: all counted, since a literal one at the end would be dropped.
        flush(o, &mut spaces, true);
        o.push_str("</text:p>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn white_space_and_markup_are_kept_as_text() {
        let mut o = String::new();
        paragraphs(&mut o, "  a  b <script>&\tc \nd ");
        assert_eq!(
            o,
            concat!(
                r#"<text:p><text:s text:c="2"/>a <text:s/>b &lt;script&gt;&amp;<text:tab/>c<text:s/></text:p>"#,
                "<text:p>d<text:s/></text:p>"
            )
        );
    }

    #[test]
    fn controls_xml_cannot_carry_are_dropped() {
        let mut o = String::new();
        paragraphs(&mut o, "a\u{1}b\u{7f}c");
        assert_eq!(o, "<text:p>abc</text:p>");
        assert_eq!(attr("x\"&\u{2}y"), "x&quot;&amp;y");
    }
}
