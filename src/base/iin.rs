//! The individual identification number (ИИН / ЖСН): 12 digits, `YYMMDD` birth date, a century-and-sex
//! digit, a serial and a check digit (rules in `docs/domain.md` §4; Law "On National Registers of
//! Identification Numbers"). Parsing is the only way to get an [`Iin`], so a held `Iin` is valid.

use chrono::NaiveDate;
use std::fmt;

/// Why a string is not a valid IIN. Holds no part of the number itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    #[error("an IIN has 12 digits, this has {0} characters")]
    Length(usize),
    #[error("an IIN has digits only")]
    NotDigits,
    #[error("the 7th digit (century and sex) must be 1 to 6")]
    CenturyDigit,
    #[error("the first six digits are not a real birth date")]
    BirthDate,
    #[error("the check digit does not match")]
    CheckDigit,
    #[error("the number cannot carry a valid check digit")]
    Uncheckable,
    #[error("the birth date in the IIN is after today")]
    BornInFuture,
}

impl IinError {
    pub fn code(&self) -> &'static str {
        match self {
            IinError::Length(_) => "iin.length",
            IinError::NotDigits => "iin.not_digits",
            IinError::CenturyDigit => "iin.century_digit",
            IinError::BirthDate => "iin.birth_date",
            IinError::CheckDigit => "iin.check_digit",
            IinError::Uncheckable => "iin.uncheckable",
            IinError::BornInFuture => "iin.birth_in_future",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A valid IIN. `Debug` does not print the number, so it cannot leak into logs by accident.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Iin([u8; 12]);

impl fmt::Debug for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Iin(…)")
    }
}

impl Iin {
    /// Parses an IIN, ignoring surrounding white space.
    pub fn parse(s: &str) -> Result<Iin, IinError> {
        let s = s.trim();
        let n = s.chars().count();
        if n != 12 {
            return Err(IinError::Length(n));
        }
        let mut d = [0u8; 12];
        for (i, c) in s.bytes().enumerate() {
            if !c.is_ascii_digit() {
                return Err(IinError::NotDigits);
            }
            d[i] = c - b'0';
        }
        if !(1..=6).contains(&d[6]) {
            return Err(IinError::CenturyDigit);
        }
        if birth_date(&d).is_none() {
            return Err(IinError::BirthDate);
        }
        match check_digit(&d) {
            None => Err(IinError::Uncheckable),
            Some(c) if c != d[11] => Err(IinError::CheckDigit),
            Some(_) => Ok(Iin(d)),
        }
    }

    /// [`Iin::parse`], and nobody is registered before being born: a birth date after `today` is
    /// refused with its own reason.
    pub fn parse_on(s: &str, today: NaiveDate) -> Result<Iin, IinError> {
        let iin = Iin::parse(s)?;
        if iin.birth_date() > today {
            return Err(IinError::BornInFuture);
        }
        Ok(iin)
    }

    pub fn as_str(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    pub fn birth_date(&self) -> NaiveDate {
        // Checked in `parse`; the fallback is unreachable but keeps this total.
        birth_date(&self.0).unwrap_or_default()
    }

    pub fn sex(&self) -> Sex {
        if self.0[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Builds a valid IIN for a birth date, sex and serial (used by the demo vault and tests).
    /// Returns `None` when that serial cannot carry a check digit; try the next one.
    pub fn compose(birth: NaiveDate, sex: Sex, serial: u16) -> Option<Iin> {
        use chrono::Datelike;
        let year = birth.year();
        let century = match year {
            1800..=1899 => 1,
            1900..=1999 => 3,
            2000..=2099 => 5,
            _ => return None,
        } + u8::from(sex == Sex::Female);
        let yy = (year % 100) as u8;
        let mut d = [0u8; 12];
        d[0] = yy / 10;
        d[1] = yy % 10;
        d[2] = birth.month() as u8 / 10;
        d[3] = birth.month() as u8 % 10;
        d[4] = birth.day() as u8 / 10;
        d[5] = birth.day() as u8 % 10;
        d[6] = century;
        let serial = serial % 10_000;
        d[7] = (serial / 1000) as u8;
        d[8] = (serial / 100 % 10) as u8;
        d[9] = (serial / 10 % 10) as u8;
        d[10] = (serial % 10) as u8;
        d[11] = check_digit(&d)?;
        Some(Iin(d))
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

fn birth_date(d: &[u8; 12]) -> Option<NaiveDate> {
    let century = match d[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return None,
    };
    let year = century + i32::from(d[0] * 10 + d[1]);
    let month = u32::from(d[2] * 10 + d[3]);
    let day = u32::from(d[4] * 10 + d[5]);
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The check digit shared by IIN and BIN: a first pass with weights 1..11, a second with
/// 3..11,1,2 when the first gives 10; `None` when the second gives 10 as well.
pub(crate) fn check_digit(d: &[u8; 12]) -> Option<u8> {
    const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let first: u32 = (0..11)
        .map(|i| u32::from(d[i]) * (i as u32 + 1))
        .sum::<u32>()
        % 11;
    if first != 10 {
        return Some(first as u8);
    }
    let second: u32 = (0..11).map(|i| u32::from(d[i]) * SECOND[i]).sum::<u32>() % 11;
    (second != 10).then_some(second as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_examples() {
        for ok in [
            "850808310738",
            "900115400109",
            "050321512348",
            "101231604577",
        ] {
            assert!(Iin::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Iin::parse("850808310737"), Err(IinError::CheckDigit));
        // Digit 7 is 7: no century, so no birth date either.
        assert_eq!(Iin::parse("123456789012"), Err(IinError::CenturyDigit));
        assert_eq!(Iin::parse("851308310738"), Err(IinError::BirthDate));
        assert_eq!(Iin::parse("85080831073a"), Err(IinError::NotDigits));
        assert_eq!(
            Iin::parse(" 850808310738 ").map(|i| i.as_str()),
            Ok("850808310738".to_owned())
        );
        for last in 0..10 {
            let s = format!("90011540002{last}");
            assert_eq!(Iin::parse(&s), Err(IinError::Uncheckable), "{s}");
        }
    }

    #[test]
    fn compose_round_trips() {
        let birth = NaiveDate::from_ymd_opt(1985, 8, 8).unwrap();
        let iin = (0..100)
            .find_map(|s| Iin::compose(birth, Sex::Female, s))
            .unwrap();
        let again = Iin::parse(&iin.as_str()).unwrap();
        assert_eq!(again.birth_date(), birth);
        assert_eq!(again.sex(), Sex::Female);
    }

    #[test]
    fn a_birth_date_after_today_is_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let later = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap_or_default();
        let iin = Iin::compose(later, Sex::Female, 7)
            .map(|i| i.as_str())
            .unwrap_or_default();
        assert!(Iin::parse(&iin).is_ok());
        assert_eq!(Iin::parse_on(&iin, today), Err(IinError::BornInFuture));
        assert_eq!(IinError::BornInFuture.code(), "iin.birth_in_future");
        assert!(Iin::parse_on("850808310738", today).is_ok());
    }
}
