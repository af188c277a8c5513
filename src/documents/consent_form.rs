//! Paper consent forms (issue 19): consents are signed at a reception desk. A form is printed for
//! one purpose, blank or for a named person, on the letterhead, with every element Art. 8 para 4
//! requires (docs/domain.md §6: the operator and its BIN, the person, the purpose, the list of
//! data, the term, third parties, cross-border transfer and the countries, publication, the policy
//! version), a place to sign, and its number printed and in a QR code. Forms have their own
//! numbered register. The signed form is recorded by its number — typed, or scanned by a USB
//! scanner that types like a keyboard — and the consent is written with exactly the printed terms,
//! for that person and purpose, in one transaction with the form.

use crate::base::language::Language::{self, En, Kk, Ru};
use crate::documents::letterhead;
use crate::error::{Error, FieldIssue, Result};
use crate::files::pdf::{Align, Doc, MARGIN, TEXT_W, TableSpec, Weight};
use crate::registry::consent::{self, ConsentInput};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// What a form says besides its purpose and person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct FormInput {
    pub purpose_id: i64,
    /// A named form; `None`: blank.
    pub subject_id: Option<i64>,
    pub lang: Option<Language>,
    /// A date, or empty: until the purpose is achieved (Art. 8 para 4).
    pub valid_until: String,
    /// The list of data, as it is printed.
    pub data_list: String,
    pub third_parties: bool,
    pub cross_border: bool,
    pub countries: String,
    pub published: bool,
    /// The policy version agreed to; `None`: the newest in force on the day.
    pub policy_version_id: Option<i64>,
}

/// A form of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Form {
    pub id: i64,
    pub number: String,
    pub purpose_id: i64,
    pub subject_id: Option<i64>,
    pub lang: Language,
    pub issued_on: NaiveDate,
    pub consent_id: Option<i64>,
    pub recorded_on: Option<NaiveDate>,
}

fn invalid(field: &'static str, code: &'static str) -> Error {
    Error::Invalid(vec![FieldIssue { field, code }])
}

/// The form number as typed or scanned: its digits and the hyphen after the year
/// ("2026-00012"); anything else a scanner or a hand may add (spaces, `№`, a line end) is dropped.
pub fn normalize_number(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    (digits.len() >= 9 && digits.len() <= 12).then(|| format!("{}-{}", &digits[..4], &digits[4..]))
}

const COLUMNS: &str =
    "id, number, purpose_id, subject_id, lang, issued_on, consent_id, recorded_on";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Form> {
    let lang: String = r.get(4)?;
    let issued: String = r.get(5)?;
    let recorded: Option<String> = r.get(7)?;
    Ok(Form {
        id: r.get(0)?,
        number: r.get(1)?,
        purpose_id: r.get(2)?,
        subject_id: r.get(3)?,
        lang: Language::parse(&lang).unwrap_or(Ru),
        issued_on: crate::base::input::parse_date(&issued).unwrap_or_default(),
        consent_id: r.get(6)?,
        recorded_on: recorded.and_then(|d| crate::base::input::parse_date(&d)),
    })
}

pub fn by_number(conn: &Connection, number: &str) -> Result<Option<Form>> {
    let Some(n) = normalize_number(number) else {
        return Ok(None);
    };
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM consent_form WHERE number = ?1"),
            [n],
            read,
        )
        .optional()?)
}

/// One form of the register.
pub fn get(conn: &Connection, id: i64) -> Result<Form> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM consent_form WHERE id = ?1"),
        [id],
        read,
    )
    .optional()?
    .ok_or(Error::NotFound {
        kind: "consent_form",
        id,
    })
}

/// The register, newest first.
pub fn list(conn: &Connection, offset: i64, limit: i64) -> Result<(Vec<Form>, i64)> {
    let total = conn.query_row("SELECT count(*) FROM consent_form", [], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM consent_form ORDER BY id DESC LIMIT ?1 OFFSET ?2"
        ))?
        .query_map(params![limit, offset], read)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, total))
}

/// The form's PDF as printed.
pub fn pdf(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    conn.query_row("SELECT pdf FROM consent_form WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or(Error::NotFound {
        kind: "consent_form",
        id,
    })
}

fn labels(lang: Language) -> [&'static str; 11] {
    match lang {
        Ru => [
            "Оператор",
            "Субъект персональных данных (Ф. И. О., ИИН)",
            "Цель обработки",
            "Перечень персональных данных",
            "Срок, в течение которого действует согласие",
            "Передача третьим лицам",
            "Трансграничная передача",
            "Распространение в общедоступных источниках",
            "Политика конфиденциальности, редакция",
            "до достижения цели обработки",
            "да",
        ],
        Kk => [
            "Оператор",
            "Дербес деректер субъектісі (Т. А. Ә., ЖСН)",
            "Өңдеу мақсаты",
            "Дербес деректер тізбесі",
            "Келісімнің қолданылу мерзімі",
            "Үшінші тұлғаларға беру",
            "Трансшекаралық беру",
            "Жалпыға қолжетімді көздерде тарату",
            "Құпиялылық саясаты, редакциясы",
            "өңдеу мақсатына жеткенге дейін",
            "иә",
        ],
        En => [
            "Operator",
            "Data subject (full name, IIN)",
            "Purpose of processing",
            "List of personal data",
            "Term of the consent",
            "Transfer to third parties",
            "Cross-border transfer",
            "Publication in public sources",
            "Privacy policy, version",
            "until the purpose of processing is achieved",
            "yes",
        ],
    }
}

fn no(lang: Language) -> &'static str {
    match lang {
        Ru => "нет",
        Kk => "жоқ",
        En => "no",
    }
}

fn title(lang: Language) -> &'static str {
    match lang {
        Ru => "СОГЛАСИЕ на сбор и обработку персональных данных",
        Kk => "Дербес деректерді жинауға және өңдеуге КЕЛІСІМ",
        En => "CONSENT to the collection and processing of personal data",
    }
}

fn form_word(lang: Language) -> &'static str {
    match lang {
        Ru => "Форма №",
        Kk => "Нысан №",
        En => "Form No.",
    }
}

fn declaration(lang: Language, operator: &str) -> String {
    match lang {
        Ru => format!(
            "Я, нижеподписавшийся(-аяся), в соответствии со статьёй 8 Закона Республики Казахстан «О персональных данных и их защите» даю {operator} согласие на сбор и обработку моих персональных данных на условиях, указанных выше. Я вправе отозвать согласие, направив оператору обращение (пункт 8.4 Политики); отзыв не действует, если обработка требуется законом или для исполнения договора."
        ),
        Kk => format!(
            "Мен, төменде қол қоюшы, «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 8-бабына сәйкес {operator} жоғарыда көрсетілген шарттармен дербес деректерімді жинауға және өңдеуге келісім беремін. Операторға өтініш жіберіп, келісімді кері қайтарып алуға құқығым бар (Саясаттың 8.4-тармағы); өңдеу заң бойынша немесе шартты орындау үшін талап етілсе, кері қайтару қолданылмайды."
        ),
        En => format!(
            "I, the undersigned, in accordance with Article 8 of the Law of the Republic of Kazakhstan “On Personal Data and Its Protection”, give {operator} my consent to the collection and processing of my personal data on the terms above. I may withdraw it by writing to the operator (policy, clause 8.4); a withdrawal does not apply where the processing is required by law or for a contract."
        ),
    }
}

fn signature_labels(lang: Language) -> (&'static str, &'static str, &'static str) {
    match lang {
        Ru => (
            "Подпись субъекта (законного представителя)",
            "Дата",
            "Законный представитель (Ф. И. О., документ), если подписывает он",
        ),
        Kk => (
            "Субъектінің (заңды өкілінің) қолы",
            "Күні",
            "Заңды өкіл (Т. А. Ә., құжат), егер ол қол қойса",
        ),
        En => (
            "Signature of the subject (or legal representative)",
            "Date",
            "Legal representative (name, document), if they sign",
        ),
    }
}

/// Prints a form: checks it, gives it the next number of the year, renders it and keeps it in the
/// register, in one transaction with its journal entry. Returns the form and its PDF.
pub fn issue(
    vault: &mut Vault,
    input: &FormInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Form, Vec<u8>)> {
    let conn = vault.conn();
    let lang = input.lang.unwrap_or(Ru);
    let purpose: Option<(String, String, String)> = conn
        .query_row(
            "SELECT name_ru, name_kk, name_en FROM purpose WHERE id = ?1",
            [input.purpose_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((p_ru, p_kk, p_en)) = purpose else {
        return Err(invalid("purpose_id", "catalog.unknown"));
    };
    let until = match input.valid_until.trim() {
        "" => None,
        s => match crate::base::input::parse_date(s) {
            Some(d) if d > today => Some(d),
            Some(_) => return Err(invalid("valid_until", "date.past")),
            None => return Err(invalid("valid_until", "date.format")),
        },
    };
    for (field, text, max) in [
        ("data_list", &input.data_list, 2000),
        ("countries", &input.countries, 500),
    ] {
        if text.chars().count() > max {
            return Err(invalid(field, "text.too_long"));
        }
    }
    if input.data_list.trim().is_empty() {
        return Err(invalid("data_list", "required"));
    }
    if input.cross_border && input.countries.trim().is_empty() {
        return Err(invalid("countries", "required"));
    }
    let person = match input.subject_id {
        Some(id) => {
            let status = crate::registry::subject::status_of(conn, id)?;
            if !matches!(status, crate::registry::subject::Status::Active) {
                return Err(invalid("subject_id", "subject.not_editable"));
            }
            let iin: Option<String> = conn
                .query_row("SELECT iin FROM subject WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .flatten();
            let name = crate::registry::subject::full_name(conn, id)?;
            Some(match iin {
                Some(i) if !i.is_empty() => format!("{name}, {i}"),
                _ => name,
            })
        }
        None => None,
    };
    let policy: Option<(i64, String)> = match input.policy_version_id {
        Some(id) => conn
            .query_row(
                "SELECT id, version FROM policy_version WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .map(Some)
            .ok_or(invalid("policy_version_id", "catalog.unknown"))?,
        None => conn
            .query_row(
                "SELECT id, version FROM policy_version WHERE effective_from <= ?1
                 ORDER BY effective_from DESC, id DESC LIMIT 1",
                [today.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    let head = letterhead::load(conn)?;
    if head.operator.trim().is_empty() || head.bin.trim().is_empty() {
        return Err(Error::Invalid(vec![FieldIssue {
            field: "operator",
            code: "letterhead.incomplete",
        }]));
    }
    let logo = letterhead::logo(conn)?;
    let year = today.year();
    let seq: i64 = conn.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM consent_form WHERE year = ?1",
        [year],
        |r| r.get(0),
    )?;
    let number = format!("{year}-{seq:05}");
    let purpose_name = match lang {
        Ru => p_ru,
        Kk => p_kk,
        En => p_en,
    };
    let l = labels(lang);
    let yes_no = |b: bool| if b { l[10] } else { no(lang) };
    let blank = "______________________________________________";
    let rows = vec![
        vec![
            l[0].to_owned(),
            format!("{}, {} {}", head.operator, bin_word(lang), head.bin),
        ],
        vec![l[1].to_owned(), person.unwrap_or_else(|| blank.to_owned())],
        vec![l[2].to_owned(), purpose_name],
        vec![l[3].to_owned(), input.data_list.trim().to_owned()],
        vec![
            l[4].to_owned(),
            until.map_or_else(|| l[9].to_owned(), crate::documents::letters::wording::date),
        ],
        vec![l[5].to_owned(), yes_no(input.third_parties).to_owned()],
        vec![
            l[6].to_owned(),
            if input.cross_border {
                format!("{}: {}", l[10], input.countries.trim())
            } else {
                no(lang).to_owned()
            },
        ],
        vec![l[7].to_owned(), yes_no(input.published).to_owned()],
        vec![
            l[8].to_owned(),
            policy
                .as_ref()
                .map_or_else(|| "—".to_owned(), |(_, v)| v.clone()),
        ],
    ];
    let pdf = render(&head, logo.as_ref(), lang, &number, rows, now)?;
    let (form, pdf) = vault.transact(now, |tx| {
        tx.execute(
            "INSERT INTO consent_form (number, year, seq, purpose_id, subject_id, lang, valid_until,
                 data_list, third_parties, cross_border, countries, published, policy_version_id,
                 issued_on, pdf, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                number,
                year,
                seq,
                input.purpose_id,
                input.subject_id,
                lang.code(),
                until.map(|d| d.to_string()),
                input.data_list.trim(),
                input.third_parties,
                input.cross_border,
                input.countries.trim(),
                input.published,
                policy.as_ref().map(|(id, _)| *id),
                today.to_string(),
                pdf,
                now.to_rfc3339()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let detail = match input.subject_id {
            Some(s) => format!("purpose {}, for subject {s}", input.purpose_id),
            None => format!("purpose {}, blank", input.purpose_id),
        };
        tx.journal(
            &Entry::new("consent_form.issued")
                .record("consent_form", id)
                .detail(detail),
        )?;
        Ok((
            Form {
                id,
                number: number.clone(),
                purpose_id: input.purpose_id,
                subject_id: input.subject_id,
                lang,
                issued_on: today,
                consent_id: None,
                recorded_on: None,
            },
            pdf,
        ))
    })?;
    Ok((form, pdf))
}

fn bin_word(lang: Language) -> &'static str {
    match lang {
        Ru => "БИН",
        Kk => "БСН",
        En => "BIN",
    }
}

fn render(
    head: &letterhead::Letterhead,
    logo: Option<&letterhead::Logo>,
    lang: Language,
    number: &str,
    rows: Vec<Vec<String>>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    // The metadata names the form, never the person.
    let meta = format!("{} {number}", form_word(lang));
    let mut doc = Doc::new(&meta, &head.operator, crate::files::pdf::pager(lang), now).ok_or(
        Error::Io(std::io::Error::other("the built-in font could not be read")),
    )?;
    doc.set_author(&head.operator);
    crate::documents::letters::layout::letterhead(&mut doc, head, logo, lang);
    // The number, printed and as a QR code holding it, at the top right.
    let qr =
        qrcode::QrCode::with_error_correction_level(number, qrcode::EcLevel::M).map_err(|_| {
            Error::Io(std::io::Error::other(
                "the form number does not fit a QR code",
            ))
        })?;
    let top = doc.y();
    let side = 24.0;
    doc.modules(
        &qr.to_colors()
            .iter()
            .map(|c| *c == qrcode::Color::Dark)
            .collect::<Vec<_>>(),
        qr.width(),
        MARGIN + TEXT_W - side,
        top - 4.0,
        side,
    );
    doc.column(
        MARGIN,
        TEXT_W - side - 6.0,
        &[format!("{} {number}", form_word(lang))],
        11.0,
        Weight::Bold,
        Align::Left,
    );
    doc.set_y(top + side + 2.0);
    doc.centered(title(lang), 13.0, Weight::Bold);
    doc.space(4.0);
    doc.table(
        &TableSpec {
            header: Vec::new(),
            rows,
            widths: vec![0.38, 0.62],
            align: vec![Align::Left, Align::Left],
            bold: Vec::new(),
        },
        10.0,
    );
    doc.space(4.0);
    doc.paragraph(&declaration(lang, &head.operator), 10.0);
    doc.space(8.0);
    let (sign, date, rep) = signature_labels(lang);
    doc.signature(sign, "", 10.0);
    doc.signature(date, "", 10.0);
    doc.space(4.0);
    doc.signature(rep, "", 9.0);
    Ok(doc.finish())
}

/// Records a signed form by its number: the consent, with the form's terms, for its person (a
/// named form) or `subject_id` (a blank one), signed on `signed_on`; the form points to it. A
/// form recorded before, a named form given another person, or a blank form without one is
/// refused with the reason; nothing is written then.
pub fn record(
    vault: &mut Vault,
    number: &str,
    subject_id: Option<i64>,
    signed_on: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64> {
    let conn = vault.conn();
    let form = by_number(conn, number)?.ok_or(invalid("number", "consent_form.unknown"))?;
    if let Some(c) = form.consent_id {
        tracing::debug!(consent = c, "consent form recorded before");
        return Err(invalid("number", "consent_form.recorded"));
    }
    if form.recorded_on.is_some() {
        return Err(invalid("number", "consent_form.recorded"));
    }
    let subject = match (form.subject_id, subject_id) {
        (Some(f), Some(s)) if f != s => {
            return Err(invalid("subject_id", "consent_form.other_person"));
        }
        (Some(f), _) => f,
        (None, Some(s)) => s,
        (None, None) => return Err(invalid("subject_id", "required")),
    };
    let (until, data_list, third, cross, countries, published, policy): (
        Option<String>,
        String,
        bool,
        bool,
        String,
        bool,
        Option<i64>,
    ) = conn.query_row(
        "SELECT valid_until, data_list, third_parties, cross_border, countries, published,
                policy_version_id FROM consent_form WHERE id = ?1",
        [form.id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        },
    )?;
    let input = ConsentInput {
        purpose_id: form.purpose_id,
        granted_at: signed_on.to_owned(),
        form: "written".to_owned(),
        policy_version_id: policy,
        valid_until: until.unwrap_or_default(),
        third_parties: third,
        cross_border: cross,
        countries,
        published,
        data_list,
        document_ref: format!("{} {}", form_word(form.lang), form.number),
        ..ConsentInput::default()
    };
    // The consent's own rules: a signing date not in the future, a minor's consent needs the
    // representative (recorded on the card instead), the person not blocked or erased.
    let checked = consent::check(conn, subject, &input, today)?;
    vault.transact(now, |tx| {
        let consent_id = consent::insert(tx, subject, &input, &checked)?;
        let n = tx.execute(
            "UPDATE consent_form SET consent_id = ?2, recorded_on = ?3,
                    subject_id = coalesce(subject_id, ?4)
             WHERE id = ?1 AND consent_id IS NULL AND recorded_on IS NULL",
            params![form.id, consent_id, today.to_string(), subject],
        )?;
        if n == 0 {
            return Err(invalid("number", "consent_form.recorded"));
        }
        tx.journal(
            &Entry::new("consent_form.recorded")
                .record("subject", subject)
                .detail(format!("consent {consent_id} from form {}", form.id)),
        )?;
        Ok(consent_id)
    })
}
