//! A small A4 document builder over printpdf: headings, wrapped paragraphs, tables that break
//! across pages, and "page N of M" footers, in Noto Sans (every Kazakh letter; OFL, shipped in
//! `assets/fonts/`). printpdf places text but does not wrap it, so lines are measured with the
//! font's own glyph advances here.
//!
//! The document's metadata carries a title chosen by the caller (never personal data), Derbes as
//! the creator, and the given time as its dates.

use chrono::{DateTime, Utc};
use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, Rgb, TextItem, WindingOrder,
    XObjectTransform,
};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

pub const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
/// Left and right margins (GOST R 7.0.97 asks for at least 20 mm left, 10 mm right; 20 both).
pub const MARGIN: f32 = 20.0;
/// The text width between the margins.
pub const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
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
    Center,
}

/// A table: `widths` are fractions of the text width; rows in `bold` (by index) are set in bold.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct TableSpec {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub widths: Vec<f32>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub align: Vec<Align>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub bold: Vec<usize>,
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
    /// "page N of M" with `{n}` and `{m}` in it.
    pager: String,
}

/// "Page N of M" in `lang`, with `{n}` and `{m}` for [`Doc::new`].
pub fn pager(lang: crate::base::language::Language) -> &'static str {
    use crate::base::language::Language;
    match lang {
        Language::Ru => "Страница {n} из {m}",
        Language::Kk => "{m} беттің {n}-беті",
        Language::En => "Page {n} of {m}",
    }
}

fn pt(mm: f32) -> Pt {
    Pt(mm * PT_PER_MM)
}

impl Doc {
    /// `footer`: a text printed at the foot of every page, left of `pager` ("page {n} of {m}").
    pub fn new(title: &str, footer: &str, pager: &str, now: DateTime<Utc>) -> Option<Doc> {
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
            pager: pager.to_owned(),
        })
    }

    /// The document's author in the metadata (the operator, never a data subject).
    pub fn set_author(&mut self, author: &str) {
        self.pdf.metadata.info.author = author.to_owned();
    }

    /// Distance of the next line's top from the page's top, in mm.
    pub fn y(&self) -> f32 {
        self.y
    }

    pub fn set_y(&mut self, y: f32) {
        self.y = y;
    }

    /// Vertical space, in mm (none at the top of a page).
    pub fn space(&mut self, mm: f32) {
        if !self.ops.is_empty() || !self.pages.is_empty() {
            self.room(mm);
            if self.y > MARGIN {
                self.y += mm;
            }
        }
    }

    /// Lines of text in a column at `x` mm, `width` mm wide, from the current line down; the
    /// current line is left where it was. Returns the column's bottom (for a neighbour column).
    pub fn column(
        &mut self,
        x: f32,
        width: f32,
        text: &[String],
        size: f32,
        w: Weight,
        align: Align,
    ) -> f32 {
        let lh = Self::line_height(size);
        let top = self.y;
        let mut y = top;
        for para in text {
            for line in self.wrap(para, size, w, width) {
                y += lh;
                let tx = match align {
                    Align::Left => x,
                    Align::Right => x + width - self.width(&line, size, w),
                    Align::Center => x + (width - self.width(&line, size, w)) / 2.0,
                };
                self.text_at(tx, y - lh * 0.25, &line, size, w);
            }
        }
        y
    }

    /// A line centred between the margins, wrapped when long.
    pub fn centered(&mut self, text: &str, size: f32, w: Weight) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, size, w, TEXT_W) {
            self.room(lh);
            self.y += lh;
            let x = MARGIN + (TEXT_W - self.width(&line, size, w)) / 2.0;
            self.text_at(x, self.y - lh * 0.25, &line, size, w);
        }
    }

    /// A thin rule across the text width at the current line.
    pub fn hrule(&mut self, grey: f32, thickness: f32) {
        let y = self.y;
        self.rule(y, MARGIN, MARGIN + TEXT_W, grey, thickness);
    }

    /// A signature line: `left` (a position), a line to sign on, `right` (a name), kept together.
    pub fn signature(&mut self, left: &str, right: &str, size: f32) {
        let lh = Self::line_height(size);
        let left_w = TEXT_W * 0.45;
        let lines = self.wrap(left, size, Weight::Regular, left_w);
        let h = lines.len().max(1) as f32 * lh;
        self.room(h + 4.0);
        let top = self.y;
        let bottom = self.column(MARGIN, left_w, &lines, size, Weight::Regular, Align::Left);
        let base = top + h - lh * 0.25;
        self.rule(
            base + 0.8,
            MARGIN + TEXT_W * 0.5,
            MARGIN + TEXT_W * 0.7,
            0.2,
            0.5,
        );
        let name_x = MARGIN + TEXT_W * 0.72;
        let name = self.wrap(right, size, Weight::Regular, TEXT_W * 0.28);
        let mut y = top + h - lh * name.len() as f32;
        for line in &name {
            y += lh;
            self.text_at(name_x, y - lh * 0.25, line, size, Weight::Regular);
        }
        self.y = bottom.max(top + h) + lh * 0.6;
    }

    /// An image with its top-left corner at `x` mm and `top` mm from the page's top, scaled to fit
    /// `max_w` × `max_h` mm with its proportions. Returns its size in mm.
    pub fn image(
        &mut self,
        image: &RawImage,
        x: f32,
        top: f32,
        max_w: f32,
        max_h: f32,
    ) -> (f32, f32) {
        let (pw, ph) = (image.width.max(1) as f32, image.height.max(1) as f32);
        let scale = (max_w / pw).min(max_h / ph);
        let (w, h) = (pw * scale, ph * scale);
        let dpi = 300.0;
        let native_w = pw / dpi * 25.4;
        let id = self.pdf.add_image(image);
        self.ops.push(Op::UseXobject {
            id,
            transform: XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(PAGE_H - top - h)),
                scale_x: Some(w / native_w),
                scale_y: Some(w / native_w),
                dpi: Some(dpi),
                ..XObjectTransform::default()
            },
        });
        (w, h)
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
                // A word wider than the line is cut where it overflows, with a hyphen.
                let mut piece = String::new();
                let chars: Vec<char> = word.chars().collect();
                for (i, &c) in chars.iter().enumerate() {
                    piece.push(c);
                    let more = i + 1 < chars.len();
                    let shown = if more {
                        format!("{piece}-")
                    } else {
                        piece.clone()
                    };
                    if self.width(&shown, size, w) > max && piece.chars().count() > 1 {
                        piece.pop();
                        let cut = if piece.ends_with('-') {
                            std::mem::take(&mut piece)
                        } else {
                            format!("{}-", std::mem::take(&mut piece))
                        };
                        lines.push(cut);
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

    /// A square matrix of dark modules (`dark[y * width + x]`), e.g. a QR code, drawn in black
    /// with its top-left corner at `x` mm and `top` mm from the page's top, `side` mm wide; a
    /// row's adjacent dark modules are one rectangle.
    pub fn modules(&mut self, dark: &[bool], width: usize, x: f32, top: f32, side: f32) {
        if width == 0 {
            return;
        }
        let m = side / width as f32;
        self.ops.push(Op::SetFillColor {
            col: Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None)),
        });
        let corner = |px: f32, py: f32| LinePoint {
            p: Point {
                x: pt(px),
                y: pt(PAGE_H - py),
            },
            bezier: false,
        };
        for row in 0..width {
            let mut col = 0;
            while col < width {
                if !dark.get(row * width + col).copied().unwrap_or(false) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < width && dark.get(row * width + col).copied().unwrap_or(false) {
                    col += 1;
                }
                let (x0, x1) = (x + start as f32 * m, x + col as f32 * m);
                let (y0, y1) = (top + row as f32 * m, top + (row + 1) as f32 * m);
                self.ops.push(Op::DrawPolygon {
                    polygon: Polygon {
                        rings: vec![PolygonRing {
                            points: vec![
                                corner(x0, y0),
                                corner(x1, y0),
                                corner(x1, y1),
                                corner(x0, y1),
                            ],
                        }],
                        mode: PaintMode::Fill,
                        winding_order: WindingOrder::NonZero,
                    },
                });
            }
        }
    }

    pub fn line_height(size: f32) -> f32 {
        size * 1.35 / PT_PER_MM
    }

    /// Starts a new page when `needed` mm do not fit on this one.
    pub fn room(&mut self, needed: f32) {
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

    /// A table whose header repeats on every page it runs over.
    pub fn table(&mut self, spec: &TableSpec, size: f32) {
        let TableSpec {
            header,
            rows,
            widths,
            align,
            bold,
        } = spec;
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
                        Some(Align::Center) => x + (cols[i] - doc.width(line, size, w)) / 2.0,
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

    /// The PDF, with the footer and "page N of M" on every page.
    pub fn finish(self) -> Vec<u8> {
        self.finish_counted().0
    }

    /// The PDF and its number of pages.
    pub fn finish_counted(mut self) -> (Vec<u8>, usize) {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.ops));
        }
        let count = self.pages.len();
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(count);
        for (i, ops) in pages.into_iter().enumerate() {
            self.ops = ops;
            let number = self
                .pager
                .replace("{n}", &(i + 1).to_string())
                .replace("{m}", &count.to_string());
            let size = 8.0;
            let base = PAGE_H - 12.0;
            let w = self.width(&number, size, Weight::Regular);
            // The footer is cut to the room left of the page number.
            let footer = self
                .wrap(&self.footer, size, Weight::Regular, TEXT_W - w - 4.0)
                .into_iter()
                .next()
                .unwrap_or_default();
            self.text_at(MARGIN, base, &footer, size, Weight::Regular);
            self.text_at(PAGE_W - MARGIN - w, base, &number, size, Weight::Regular);
            out.push(PdfPage::new(
                Mm(PAGE_W),
                Mm(PAGE_H),
                std::mem::take(&mut self.ops),
            ));
        }
        let mut warnings = Vec::new();
        let bytes = self
            .pdf
            .with_pages(out)
            .save(&PdfSaveOptions::default(), &mut warnings);
        (bytes, count)
    }
}
