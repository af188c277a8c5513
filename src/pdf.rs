//! A small A4 document builder over printpdf: headings, wrapped paragraphs, tables that break
//! across pages, and "page N of M" footers, in Noto Sans (every Kazakh letter; OFL, shipped in
//! `assets/fonts/`). printpdf places text but does not wrap it, so lines are measured with the
//! font's own glyph advances here.
//!
//! The document's metadata carries a title chosen by the caller (never personal data), Derbes as
//! the creator, and the given time as its dates.

use chrono::{DateTime, Utc};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 20.0;
const BOTTOM: f32 = 22.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

pub struct Doc {
    pdf: PdfDocument,
    regular: ParsedFont,
    bold: ParsedFont,
    regular_id: printpdf::FontId,
    bold_id: printpdf::FontId,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Distance of the next line's top from the page's top, in mm.
    y: f32,
    footer: String,
}

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

impl Doc {
    /// `footer`: a text printed left of "N / M" on every page.
    pub fn new(title: &str, footer: &str, now: DateTime<Utc>) -> Option<Doc> {
        let mut warnings = Vec::new();
        let regular = ParsedFont::from_bytes(REGULAR, 0, &mut warnings)?;
        let bold = ParsedFont::from_bytes(BOLD, 0, &mut warnings)?;
        let mut pdf = PdfDocument::new(title);
        let regular_id = pdf.add_font(&regular);
        let bold_id = pdf.add_font(&bold);
        let info = &mut pdf.metadata.info;
        info.creator = "Derbes".to_owned();
        info.producer = "Derbes".to_owned();
        info.author = String::new();
        if let Ok(t) = printpdf::OffsetDateTime::from_unix_timestamp(now.timestamp()) {
            info.creation_date = t;
            info.modification_date = t;
            info.metadata_date = t;
        }
        Some(Doc {
            pdf,
            regular,
            bold,
            regular_id,
            bold_id,
            pages: Vec::new(),
            ops: Vec::new(),
            y: MARGIN,
            footer: footer.to_owned(),
        })
    }

    fn font(&self, w: Weight) -> &ParsedFont {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The width of `text` at `size` points, in mm.
    pub fn width(&self, text: &str, size: f32, w: Weight) -> f32 {
        let f = self.font(w);
        let upm = f32::from(f.font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                f.lookup_glyph_index(c as u32)
                    .map_or(upm as u32 / 2, |g| u32::from(f.get_horizontal_advance(g)))
            })
            .sum();
        units as f32 / upm * size / PT_PER_MM
    }

    /// Splits `text` into lines no wider than `max` mm (words longer than a line are cut).
    pub fn wrap(&self, text: &str, size: f32, w: Weight, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if self.width(&candidate, size, w) <= max {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut where it overflows.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, w) > max && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn text_at(&mut self, x: f32, baseline_from_top: f32, text: &str, size: f32, w: Weight) {
        let font = match w {
            Weight::Regular => self.regular_id.clone(),
            Weight::Bold => self.bold_id.clone(),
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: pt(x),
                    y: pt(PAGE_H - baseline_from_top),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_owned())],
            },
            Op::EndTextSection,
        ]);
    }

    fn rule(&mut self, from_top: f32, x0: f32, x1: f32, grey: f32, thickness: f32) {
        let y = pt(PAGE_H - from_top);
        self.ops.extend([
            Op::SetOutlineColor {
                col: Color::Rgb(Rgb::new(grey, grey, grey, None)),
            },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point { x: pt(x0), y },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point { x: pt(x1), y },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    fn line_height(size: f32) -> f32 {
        size * 1.35 / PT_PER_MM
    }

    /// Starts a new page when `needed` mm do not fit on this one.
    fn room(&mut self, needed: f32) {
        if self.y + needed > PAGE_H - BOTTOM {
            self.pages.push(std::mem::take(&mut self.ops));
            self.y = MARGIN;
        }
    }

    pub fn heading(&mut self, text: &str, size: f32) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, size, Weight::Bold, PAGE_W - 2.0 * MARGIN) {
            self.room(lh);
            self.y += lh;
            self.text_at(MARGIN, self.y - lh * 0.25, &line, size, Weight::Bold);
        }
        self.y += lh * 0.4;
    }

    pub fn paragraph(&mut self, text: &str, size: f32) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, size, Weight::Regular, PAGE_W - 2.0 * MARGIN) {
            self.room(lh);
            self.y += lh;
            self.text_at(MARGIN, self.y - lh * 0.25, &line, size, Weight::Regular);
        }
        self.y += lh * 0.5;
    }

    /// A table: `widths` are fractions of the text width; the header repeats on every page;
    /// rows in `bold` (by index) are set in bold.
    pub fn table(
        &mut self,
        header: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
        align: &[Align],
        bold: &[usize],
        size: f32,
    ) {
        let total = PAGE_W - 2.0 * MARGIN;
        let cols: Vec<f32> = widths.iter().map(|w| w * total).collect();
        let pad = 1.5;
        let lh = Self::line_height(size);
        let wrap_row = |doc: &Doc, cells: &[String], w: Weight| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&cols)
                .map(|(c, width)| doc.wrap(c, size, w, width - 2.0 * pad))
                .collect()
        };
        // The header a point smaller, so that column titles keep their words whole.
        let head_size = size - 1.0;
        let head_lh = Self::line_height(head_size);
        let head: Vec<Vec<String>> = header
            .iter()
            .zip(&cols)
            .map(|(c, width)| self.wrap(c, head_size, Weight::Bold, width - 2.0 * pad))
            .collect();
        let head_h = head.iter().map(Vec::len).max().unwrap_or(1) as f32 * head_lh + 2.0 * pad;
        let draw = |doc: &mut Doc, cells: &[Vec<String>], w: Weight, h: f32, size: f32| {
            let lh = Self::line_height(size);
            let top = doc.y;
            let mut x = MARGIN;
            for (i, lines) in cells.iter().enumerate() {
                for (k, line) in lines.iter().enumerate() {
                    let base = top + pad + lh * (k as f32 + 1.0) - lh * 0.25;
                    let tx = match align.get(i) {
                        Some(Align::Right) => x + cols[i] - pad - doc.width(line, size, w),
                        _ => x + pad,
                    };
                    doc.text_at(tx, base, line, size, w);
                }
                x += cols[i];
            }
            doc.y = top + h;
            doc.rule(doc.y, MARGIN, MARGIN + total, 0.75, 0.5);
        };
        self.room(head_h + lh + 2.0 * pad);
        draw(self, &head, Weight::Bold, head_h, head_size);
        for (r, row) in rows.iter().enumerate() {
            let w = if bold.contains(&r) {
                Weight::Bold
            } else {
                Weight::Regular
            };
            let cells = wrap_row(self, row, w);
            let h = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
            if self.y + h > PAGE_H - BOTTOM {
                self.room(PAGE_H);
                draw(self, &head, Weight::Bold, head_h, head_size);
            }
            draw(self, &cells, w, h, size);
        }
        self.y += lh;
    }

    /// The PDF, with "N / M" and the footer text on every page.
    pub fn finish(mut self) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.ops));
        }
        let count = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let number = format!("{} / {count}", i + 1);
            let size = 8.0;
            let base = PAGE_H - 12.0;
            let footer = self.footer.clone();
            self.text_at(MARGIN, base, &footer, size, Weight::Regular);
            let w = self.width(&number, size, Weight::Regular);
            self.text_at(PAGE_W - MARGIN - w, base, &number, size, Weight::Regular);
            out.push(PdfPage::new(
                Mm(PAGE_W),
                Mm(PAGE_H),
                std::mem::take(&mut self.ops),
            ));
        }
        let mut warnings = Vec::new();
        self.pdf
            .with_pages(out)
            .save(&PdfSaveOptions::default(), &mut warnings)
    }
}
