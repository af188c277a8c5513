//! The Kazakh working-day calendar: a five-day week, the public holidays, and yearly government
//! transfers. Holidays come from the Law "On Holidays in the Republic of Kazakhstan" and Labour Code
//! Art. 84–85 (`shared/domain.md` §3): a state or national holiday that falls on a weekend moves to
//! the next working day; the religious days off (Orthodox Christmas, the first day of Kurban Ait) do
//! not. Kurban Ait and the transfers are fixed by yearly decree, so the calendar is data: the built-in
//! days can be overridden and extended in the vault.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// How a date deviates from the plain Monday–Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOverride {
    /// A weekday that is a day off (a holiday, a moved holiday, a transferred day off).
    Off,
    /// A Saturday or Sunday that is a working day by decree.
    Working,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    overrides: BTreeMap<NaiveDate, DayOverride>,
}

/// Fixed-date state and national holidays (month, day); they move when on a weekend.
const MOVABLE_HOLIDAYS: [(u32, u32); 13] = [
    (1, 1),
    (1, 2),
    (3, 8),
    (3, 21),
    (3, 22),
    (3, 23),
    (5, 1),
    (5, 7),
    (5, 9),
    (7, 6),
    (8, 30),
    (10, 25),
    (12, 16),
];

/// First day of Kurban Ait, fixed each year by the government (2027 is the expected date).
const KURBAN_AIT: [(i32, u32, u32); 3] = [(2025, 6, 6), (2026, 5, 27), (2027, 5, 16)];

/// Transfers by government decree: (date, kind).
const TRANSFERS: [((i32, u32, u32), DayOverride); 1] = [((2025, 1, 3), DayOverride::Off)];

/// The years the built-in calendar covers.
pub const BUILTIN_YEARS: std::ops::RangeInclusive<i32> = 2025..=2027;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with constant, valid dates.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The weekday days off of one year derived from the holiday rules, before decree transfers.
/// `religious` are the non-moving days off of that year besides 7 January.
pub fn derive_days_off(year: i32, religious: &[NaiveDate]) -> Vec<NaiveDate> {
    let mut off: Vec<NaiveDate> = Vec::new();
    let holidays: Vec<NaiveDate> = MOVABLE_HOLIDAYS
        .iter()
        .filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d))
        .collect();
    let religious_all: Vec<NaiveDate> = std::iter::once(ymd(year, 1, 7))
        .chain(religious.iter().copied())
        .collect();
    for &h in &holidays {
        if !is_weekend(h) {
            off.push(h);
        }
    }
    for &r in &religious_all {
        if !is_weekend(r) && !off.contains(&r) {
            off.push(r);
        }
    }
    // Each weekend holiday takes the next working day that is not already off, in order.
    for &h in holidays.iter().filter(|h| is_weekend(**h)) {
        let mut d = h + Duration::days(1);
        while is_weekend(d) || off.contains(&d) || holidays.contains(&d) {
            d += Duration::days(1);
        }
        off.push(d);
    }
    off.sort_unstable();
    off
}

impl Calendar {
    /// An empty calendar: Monday to Friday, no holidays.
    pub fn plain() -> Calendar {
        Calendar::default()
    }

    /// The built-in calendar for [`BUILTIN_YEARS`].
    pub fn builtin() -> Calendar {
        let mut c = Calendar::default();
        for year in BUILTIN_YEARS {
            let religious: Vec<NaiveDate> = KURBAN_AIT
                .iter()
                .filter(|(y, _, _)| *y == year)
                .map(|&(y, m, d)| ymd(y, m, d))
                .collect();
            for d in derive_days_off(year, &religious) {
                c.overrides.insert(d, DayOverride::Off);
            }
        }
        for &((y, m, d), kind) in &TRANSFERS {
            c.overrides.insert(ymd(y, m, d), kind);
        }
        c
    }

    /// Sets how a date deviates from the plain week; an override equal to the plain week is removed.
    pub fn set(&mut self, day: NaiveDate, kind: DayOverride) {
        let plain_off = is_weekend(day);
        match (kind, plain_off) {
            (DayOverride::Off, true) | (DayOverride::Working, false) => {
                self.overrides.remove(&day);
            }
            _ => {
                self.overrides.insert(day, kind);
            }
        }
    }

    pub fn overrides(&self) -> impl Iterator<Item = (NaiveDate, DayOverride)> + '_ {
        self.overrides.iter().map(|(d, k)| (*d, *k))
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.overrides.get(&d) {
            Some(DayOverride::Off) => false,
            Some(DayOverride::Working) => true,
            None => !is_weekend(d),
        }
    }

    /// The `n`th working day after `from` (`from` itself never counts). `n = 0` gives `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// `d` itself when it is a working day, else the next working day.
    pub fn on_or_next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// Working days after `from` up to and including `to`; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let mut n = 0i64;
        let mut d = a;
        while d < b {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n * sign
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(list: &[(i32, u32, u32)]) -> Vec<NaiveDate> {
        list.iter().map(|&(y, m, d)| ymd(y, m, d)).collect()
    }

    fn builtin_off(year: i32) -> Vec<NaiveDate> {
        Calendar::builtin()
            .overrides()
            .filter(|(d, k)| d.year() == year && *k == DayOverride::Off)
            .map(|(d, _)| d)
            .collect()
    }

    #[test]
    fn builtin_matches_domain_table() {
        // shared/domain.md §3, "Built-in weekday days off".
        let y2025 = days(&[
            (2025, 1, 1),
            (2025, 1, 2),
            (2025, 1, 3),
            (2025, 1, 7),
            (2025, 3, 10),
            (2025, 3, 21),
            (2025, 3, 24),
            (2025, 3, 25),
            (2025, 5, 1),
            (2025, 5, 7),
            (2025, 5, 9),
            (2025, 6, 6),
            (2025, 7, 7),
            (2025, 9, 1),
            (2025, 10, 27),
            (2025, 12, 16),
        ]);
        let y2026 = days(&[
            (2026, 1, 1),
            (2026, 1, 2),
            (2026, 1, 7),
            (2026, 3, 9),
            (2026, 3, 23),
            (2026, 3, 24),
            (2026, 3, 25),
            (2026, 5, 1),
            (2026, 5, 7),
            (2026, 5, 11),
            (2026, 5, 27),
            (2026, 7, 6),
            (2026, 8, 31),
            (2026, 10, 26),
            (2026, 12, 16),
        ]);
        let y2027 = days(&[
            (2027, 1, 1),
            (2027, 1, 4),
            (2027, 1, 7),
            (2027, 3, 8),
            (2027, 3, 22),
            (2027, 3, 23),
            (2027, 3, 24),
            (2027, 5, 3),
            (2027, 5, 7),
            (2027, 5, 10),
            (2027, 7, 6),
            (2027, 8, 30),
            (2027, 10, 25),
            (2027, 12, 16),
        ]);
        assert_eq!(builtin_off(2025), y2025);
        assert_eq!(builtin_off(2026), y2026);
        assert_eq!(builtin_off(2027), y2027);
    }

    #[test]
    fn counting() {
        let c = Calendar::builtin();
        // Receipt on a Friday before Nauryz: the next working day is Thursday 26 March.
        assert_eq!(c.add_working_days(ymd(2026, 3, 20), 1), ymd(2026, 3, 26));
        assert_eq!(c.add_working_days(ymd(2026, 3, 20), 3), ymd(2026, 3, 30));
        // Across the year end: 1 Jan 2027 (Fri) is off, then a weekend, then 4 Jan (2 Jan moved).
        assert_eq!(c.add_working_days(ymd(2026, 12, 31), 1), ymd(2027, 1, 5));
        assert_eq!(
            c.working_days_between(ymd(2026, 3, 20), ymd(2026, 3, 30)),
            3
        );
        assert_eq!(
            c.working_days_between(ymd(2026, 3, 30), ymd(2026, 3, 20)),
            -3
        );
        assert_eq!(c.on_or_next_working_day(ymd(2026, 8, 30)), ymd(2026, 9, 1));
    }

    #[test]
    fn overrides_both_ways() {
        let mut c = Calendar::builtin();
        let sat = ymd(2026, 12, 12);
        assert!(!c.is_working_day(sat));
        c.set(sat, DayOverride::Working);
        assert!(c.is_working_day(sat));
        let mon = ymd(2026, 12, 14);
        c.set(mon, DayOverride::Off);
        assert!(!c.is_working_day(mon));
        c.set(mon, DayOverride::Working);
        assert!(c.is_working_day(mon));
        assert!(c.overrides().all(|(d, _)| d != mon));
    }
}
