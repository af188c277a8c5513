//! The operator's letterhead, printed at the top of every letter and act: name, BIN, address,
//! phones, e-mail, the person in charge of personal data (`docs/domain.md` §7), the signer, an
//! optional logo, the city printed on acts, the authorized body's name (a setting, since the
//! ministry was renamed in 2025: `docs/domain.md` §1) and the outgoing-number scheme.
//!
//! The text fields are settings (`letterhead.*`); the person in charge is the `responsible_person`
//! setting the journal already records; the logo is a row of `letterhead_logo`. None of it is
//! personal data of a data subject.

use crate::error::{Error, FieldIssue, Result};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

/// The authorized body's name until the user changes it (`docs/domain.md` §1).
pub const AUTHORITY_DEFAULT: &str =
    "Министерство искусственного интеллекта и цифрового развития Республики Казахстан";

/// Logos larger than this are refused: the letter must stay small (issue 6: ≤ 40 KB a letter).
pub const LOGO_MAX_BYTES: usize = 256 * 1024;
pub const LOGO_MAX_PIXELS: u32 = 1600;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Letterhead {
    pub operator: String,
    pub bin: String,
    pub address: String,
    pub phones: String,
    pub email: String,
    pub responsible: String,
    pub signer_name: String,
    pub signer_position: String,
    pub city: String,
    pub authority: String,
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub numbering: Numbering,
}

/// The letterhead as Settings shows it: whether there is a logo, and a sample of the numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct View {
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub head: Letterhead,
    pub has_logo: bool,
    /// The number the first document of `today`'s year gets.
    pub sample: String,
}

pub fn view(conn: &Connection, today: chrono::NaiveDate) -> Result<View> {
    let head = load(conn)?;
    Ok(View {
        has_logo: logo(conn)?.is_some(),
        sample: head.numbering.format(chrono::Datelike::year(&today), 1),
        head,
    })
}

/// Outgoing numbers: `{prefix}-{year}/{seq}` with `seq` zero-padded to `digits`, or without the
/// year when `with_year` is off. The sequence restarts every calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Numbering {
    pub prefix: String,
    pub with_year: bool,
    pub digits: u8,
}

impl Default for Numbering {
    fn default() -> Self {
        Numbering {
            prefix: "ИСХ".to_owned(),
            with_year: true,
            digits: 3,
        }
    }
}

impl Numbering {
    pub fn format(&self, year: i32, seq: i64) -> String {
        let digits = usize::from(self.digits.clamp(1, 6));
        let seq = format!("{seq:0digits$}");
        let body = if self.with_year {
            format!("{year}/{seq}")
        } else {
            seq
        };
        if self.prefix.trim().is_empty() {
            body
        } else {
            format!("{}-{body}", self.prefix.trim())
        }
    }
}

/// A logo as stored: PNG or JPEG bytes with their pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

const FIELDS: [&str; 11] = [
    "letterhead.operator",
    "letterhead.bin",
    "letterhead.address",
    "letterhead.phones",
    "letterhead.email",
    "responsible_person",
    "letterhead.signer_name",
    "letterhead.signer_position",
    "letterhead.city",
    "letterhead.authority",
    "letterhead.numbering",
];

fn setting(conn: &Connection, key: &str) -> Result<String> {
    Ok(conn
        .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .unwrap_or_default())
}

pub fn load(conn: &Connection) -> Result<Letterhead> {
    let mut v = Vec::with_capacity(FIELDS.len());
    for key in FIELDS {
        v.push(setting(conn, key)?);
    }
    let numbering = parse_numbering(&v[10]).unwrap_or_default();
    let mut it = v.into_iter();
    let mut next = || it.next().unwrap_or_default();
    let mut head = Letterhead {
        operator: next(),
        bin: next(),
        address: next(),
        phones: next(),
        email: next(),
        responsible: next(),
        signer_name: next(),
        signer_position: next(),
        city: next(),
        authority: next(),
        numbering,
    };
    if head.authority.trim().is_empty() {
        head.authority = AUTHORITY_DEFAULT.to_owned();
    }
    Ok(head)
}

/// `ИСХ|1|3`: prefix, year on or off, digits.
fn parse_numbering(s: &str) -> Option<Numbering> {
    let mut parts = s.rsplitn(3, '|');
    let digits = parts.next()?.parse().ok()?;
    let with_year = parts.next()? == "1";
    let prefix = parts.next()?.to_owned();
    Some(Numbering {
        prefix,
        with_year,
        digits,
    })
}

fn numbering_text(n: &Numbering) -> String {
    format!("{}|{}|{}", n.prefix.trim(), u8::from(n.with_year), n.digits)
}

/// A BIN (БИН / БСН): 12 digits, the 5th telling a legal entity (4, 5 or 6), the shared check
/// digit (`docs/domain.md` §4).
pub fn bin_is_valid(bin: &str) -> bool {
    let b = bin.trim().as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut d = [0u8; 12];
    for (i, c) in b.iter().enumerate() {
        d[i] = c - b'0';
    }
    let month = d[2] * 10 + d[3];
    (1..=12).contains(&month)
        && matches!(d[4], 4..=6)
        && crate::base::iin::check_digit(&d) == Some(d[11])
}

pub fn validate(head: &Letterhead) -> Result<()> {
    let mut issues = Vec::new();
    if !head.bin.trim().is_empty() && !bin_is_valid(&head.bin) {
        issues.push(FieldIssue {
            field: "bin",
            code: "bin.invalid",
        });
    }
    let email = head.email.trim();
    if !email.is_empty() && crate::base::contact::normalize_email(email).is_none() {
        issues.push(FieldIssue {
            field: "email",
            code: "email.invalid",
        });
    }
    let n = &head.numbering;
    if !(1..=6).contains(&n.digits) {
        issues.push(FieldIssue {
            field: "digits",
            code: "numbering.digits",
        });
    }
    if n.prefix.contains('|') || n.prefix.chars().count() > 20 {
        issues.push(FieldIssue {
            field: "prefix",
            code: "numbering.prefix",
        });
    }
    for (field, value, max) in [
        ("operator", &head.operator, 300),
        ("address", &head.address, 500),
        ("phones", &head.phones, 200),
        ("responsible", &head.responsible, 200),
        ("signer_name", &head.signer_name, 200),
        ("signer_position", &head.signer_position, 200),
        ("city", &head.city, 100),
        ("authority", &head.authority, 300),
    ] {
        if value.chars().count() > max {
            issues.push(FieldIssue {
                field,
                code: "text.too_long",
            });
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(issues))
    }
}

/// What a document cannot be issued without: the operator's name and the signer.
pub fn require_complete(head: &Letterhead) -> Result<()> {
    let mut issues = Vec::new();
    if head.operator.trim().is_empty() {
        issues.push(FieldIssue {
            field: "operator",
            code: "letterhead.incomplete",
        });
    }
    if head.signer_name.trim().is_empty() {
        issues.push(FieldIssue {
            field: "signer_name",
            code: "letterhead.incomplete",
        });
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(issues))
    }
}

pub fn save(vault: &mut Vault, head: &Letterhead, now: DateTime<Utc>) -> Result<()> {
    validate(head)?;
    let values = [
        head.operator.trim().to_owned(),
        head.bin.trim().to_owned(),
        head.address.trim().to_owned(),
        head.phones.trim().to_owned(),
        head.email.trim().to_owned(),
        head.responsible.trim().to_owned(),
        head.signer_name.trim().to_owned(),
        head.signer_position.trim().to_owned(),
        head.city.trim().to_owned(),
        head.authority.trim().to_owned(),
        numbering_text(&head.numbering),
    ];
    let entry = Entry::new("letterhead.changed");
    vault.write(now, &entry, |tx| {
        for (key, value) in FIELDS.iter().zip(&values) {
            tx.put_setting(key, value)?;
        }
        Ok(())
    })?;
    vault.refresh_actor()?;
    Ok(())
}

/// Reads a PNG or JPEG and its size; anything else, or too large, is refused.
pub fn check_logo(bytes: &[u8]) -> Result<Logo> {
    let bad = |code| {
        Error::Invalid(vec![FieldIssue {
            field: "logo",
            code,
        }])
    };
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(bad("logo.too_large"));
    }
    let mime = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(bad("logo.format"));
    };
    let mut warnings = Vec::new();
    let image = printpdf::RawImage::decode_from_bytes(bytes, &mut warnings)
        .map_err(|_| bad("logo.format"))?;
    let (width, height) = (image.width as u32, image.height as u32);
    if width == 0 || height == 0 {
        return Err(bad("logo.format"));
    }
    if width > LOGO_MAX_PIXELS || height > LOGO_MAX_PIXELS {
        return Err(bad("logo.too_large"));
    }
    Ok(Logo {
        mime,
        bytes: bytes.to_vec(),
        width,
        height,
    })
}

pub fn logo(conn: &Connection) -> Result<Option<Logo>> {
    let row = conn
        .query_row(
            "SELECT mime, bytes FROM letterhead_logo WHERE id = 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
        )
        .optional()?;
    // Stored logos were checked when set; a damaged one is left out rather than failing a letter.
    Ok(row.and_then(|(_, bytes)| check_logo(&bytes).ok()))
}

pub fn set_logo(vault: &mut Vault, bytes: Option<&[u8]>, now: DateTime<Utc>) -> Result<()> {
    let logo = bytes.map(check_logo).transpose()?;
    let entry = Entry::new(if logo.is_some() {
        "letterhead.logo_set"
    } else {
        "letterhead.logo_removed"
    });
    vault.write(now, &entry, |tx| {
        tx.execute("DELETE FROM letterhead_logo", [])?;
        if let Some(l) = &logo {
            tx.execute(
                "INSERT INTO letterhead_logo (id, mime, bytes) VALUES (1, ?1, ?2)",
                rusqlite::params![l.mime, l.bytes],
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_scheme() {
        let n = Numbering::default();
        assert_eq!(n.format(2026, 7), "ИСХ-2026/007");
        let plain = Numbering {
            prefix: String::new(),
            with_year: false,
            digits: 1,
        };
        assert_eq!(plain.format(2026, 42), "42");
        assert_eq!(
            parse_numbering(&numbering_text(&n)).as_ref(),
            Some(&n),
            "round trip"
        );
        let odd = Numbering {
            prefix: "A-B".to_owned(),
            with_year: false,
            digits: 4,
        };
        assert_eq!(parse_numbering(&numbering_text(&odd)), Some(odd));
    }

    #[test]
    fn bins() {
        // 12 digits, month 1..12, 5th digit 4, check digit computed below.
        let mut d = [0u8, 4, 1, 1, 4, 0, 0, 0, 1, 2, 3, 0];
        d[11] = crate::base::iin::check_digit(&d).unwrap_or(0);
        let bin: String = d.iter().map(|x| char::from(b'0' + x)).collect();
        assert!(bin_is_valid(&bin), "{bin}");
        // An IIN is not a BIN.
        assert!(!bin_is_valid("850808310738"));
        assert!(!bin_is_valid("12345"));
        let mut wrong = d;
        wrong[11] = (wrong[11] + 1) % 10;
        let wrong: String = wrong.iter().map(|x| char::from(b'0' + x)).collect();
        assert!(!bin_is_valid(&wrong));
    }
}
