//! How a document sits on A4: the letterhead (logo, operator, BIN, address, contacts) over a rule;
//! for letters the outgoing number and the request answered on the left and the addressee on the
//! right; for acts the act's number centred with the place and date; then the heading, the text,
//! the tables, the signatures, and on every page the person in charge and "page N of M".

use super::draft::Draft;
use super::kind::Kind;
use super::wording::{self as w, date};
use crate::documents::letterhead::{Letterhead, Logo};
use crate::error::{Error, Result};
use crate::files::pdf::{Align, Doc, MARGIN, TEXT_W, Weight};
use chrono::{DateTime, NaiveDate, Utc};

const BODY: f32 = 10.5;
const SMALL: f32 = 8.5;

pub(super) fn render(
    d: &Draft,
    head: &Letterhead,
    logo: Option<&Logo>,
    number: &str,
    issued_on: NaiveDate,
    journal: Option<&(i64, String)>,
    now: DateTime<Utc>,
) -> Result<(Vec<u8>, usize)> {
    let lang = d.source.lang;
    let kind = d.source.kind;
    // The metadata carries the number and the kind of document, never whom it concerns.
    let meta_title = format!("{number} · {}", w::kind_name(kind, lang));
    let who = if head.responsible.is_empty() {
        head.signer_name.as_str()
    } else {
        head.responsible.as_str()
    };
    let footer = if who.is_empty() {
        head.operator.clone()
    } else {
        w::responsible_line(lang, who)
    };
    let mut doc = Doc::new(&meta_title, &footer, crate::files::pdf::pager(lang), now).ok_or(
        Error::Io(std::io::Error::other("the built-in font could not be read")),
    )?;
    doc.set_author(&head.operator);

    letterhead(&mut doc, head, logo, lang);
    let on = date(issued_on);
    if kind.is_act() {
        doc.space(4.0);
        doc.centered(
            &format!("{} № {number}", w::act_word(lang)),
            13.0,
            Weight::Bold,
        );
        doc.centered(&d.title, 11.5, Weight::Bold);
        doc.space(3.0);
        let top = doc.y();
        let left = doc.column(
            MARGIN,
            TEXT_W / 2.0,
            std::slice::from_ref(&head.city),
            BODY,
            Weight::Regular,
            Align::Left,
        );
        let right = doc.column(
            MARGIN + TEXT_W / 2.0,
            TEXT_W / 2.0,
            std::slice::from_ref(&on),
            BODY,
            Weight::Regular,
            Align::Right,
        );
        doc.set_y(left.max(right).max(top));
        doc.space(4.0);
    } else {
        let top = doc.y();
        let mut left_lines = w::outgoing(lang, number, &on).to_vec();
        left_lines.extend(d.reference.iter().cloned());
        let left = doc.column(
            MARGIN,
            TEXT_W * 0.42,
            &left_lines,
            9.5,
            Weight::Regular,
            Align::Left,
        );
        let right = doc.column(
            MARGIN + TEXT_W * 0.5,
            TEXT_W * 0.5,
            &d.addressee,
            BODY,
            Weight::Bold,
            Align::Left,
        );
        doc.set_y(left.max(right).max(top));
        doc.space(8.0);
        if kind == Kind::PeriodReport {
            doc.centered(&d.title, 13.0, Weight::Bold);
        } else {
            doc.heading(&d.title, 11.0);
        }
    }
    if let Some(n) = &d.corrects_number {
        doc.paragraph(&corrects_line(lang, n), SMALL);
    }
    if !d.salutation.is_empty() {
        doc.space(1.0);
        doc.centered(&d.salutation, BODY, Weight::Regular);
        doc.space(2.0);
    }
    for p in &d.intro {
        doc.paragraph(p, BODY);
    }
    for t in &d.tables {
        if !t.caption.is_empty() {
            // A caption stays with its table's header and first rows.
            doc.room(35.0);
            doc.space(1.0);
            doc.heading(&t.caption, 9.5);
        }
        doc.table(&t.table, SMALL);
    }
    for p in &d.outro {
        doc.paragraph(p, BODY);
    }
    doc.space(8.0);
    for (role, name) in &d.signatures {
        doc.signature(role, name, BODY);
        doc.space(2.0);
    }
    if let Some((seq, hash)) = journal {
        doc.space(4.0);
        doc.paragraph(&crate::vault::journal::position_line(lang, *seq, hash), 7.5);
    }
    Ok(doc.finish_counted())
}

fn corrects_line(lang: crate::base::language::Language, number: &str) -> String {
    match lang {
        crate::base::language::Language::Ru => format!("Взамен документа № {number}"),
        crate::base::language::Language::Kk => format!("№ {number} құжаттың орнына"),
        crate::base::language::Language::En => format!("Replaces document No. {number}"),
    }
}

pub(crate) fn letterhead(
    doc: &mut Doc,
    head: &Letterhead,
    logo: Option<&Logo>,
    lang: crate::base::language::Language,
) {
    let top = doc.y();
    let mut x = MARGIN;
    let mut bottom = top;
    if let Some(l) = logo {
        let mut warnings = Vec::new();
        if let Ok(image) = printpdf::RawImage::decode_from_bytes(&l.bytes, &mut warnings) {
            let (w, h) = doc.image(&image, MARGIN, top, 38.0, 20.0);
            x = MARGIN + w + 5.0;
            bottom = top + h;
        }
    }
    let width = TEXT_W - (x - MARGIN);
    let name = if head.operator.is_empty() {
        "—".to_owned()
    } else {
        head.operator.clone()
    };
    let after_name = doc.column(
        x,
        width,
        std::slice::from_ref(&name),
        12.0,
        Weight::Bold,
        Align::Left,
    );
    doc.set_y(after_name + 0.5);
    let mut lines = Vec::new();
    if !head.address.is_empty() {
        lines.push(head.address.replace('\n', ", "));
    }
    lines.extend(w::letterhead_lines(
        lang,
        &head.bin,
        &head.phones,
        &head.email,
    ));
    let end = doc.column(x, width, &lines, SMALL, Weight::Regular, Align::Left);
    doc.set_y(end.max(bottom) + 2.5);
    doc.hrule(0.35, 0.8);
    doc.space(7.0);
}
