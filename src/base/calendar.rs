//! The Kazakh working-day calendar: a five-day week, the public holidays, and yearly government
//! transfers (`docs/domain.md` §3, `docs/calendar-sources.md`). Holidays come from the Law "On
//! Holidays in the Republic of Kazakhstan" and Labour Code Art. 84–85: a state or national holiday
//! that falls on a weekend moves to the next working day; the religious days off (Orthodox
//! Christmas, the first day of Kurban Ait) do not.
//!
//! A holiday is a rule with the years it applies to, not a fixed date: Constitution Day was
//! 30 August up to 2025, there is none in 2026, and it is 15 March from 2027 (the Constitution
//! adopted by the referendum of 15 March 2026, Art. 94). Kurban Ait and the transfers are fixed by
//! yearly decree, so they are dated entries; the vault keeps its own copy that the user can edit.

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

impl DayOverride {
    pub fn name(self) -> &'static str {
        match self {
            DayOverride::Off => "off",
            DayOverride::Working => "working",
        }
    }
}

/// The first and last year the calendar accepts: outside them a date is surely a typing error, and
/// no holiday law is known.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether `year` is one the calendar can hold.
pub fn year_in_range(year: i32) -> bool {
    YEARS.contains(&year)
}

/// A state or national holiday on a fixed date, valid from one year to another (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRule {
    /// Stable key: the window and the CLI name the holiday by it.
    pub key: &'static str,
    pub month: u32,
    pub day: u32,
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    /// State and national holidays move to the next working day when on a weekend; religious days
    /// off do not (Labour Code Art. 85).
    pub moves: bool,
}

impl HolidayRule {
    pub fn applies(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f) && self.to_year.is_none_or(|t| year <= t)
    }
}

const fn rule(key: &'static str, month: u32, day: u32, moves: bool) -> HolidayRule {
    HolidayRule {
        key,
        month,
        day,
        from_year: None,
        to_year: None,
        moves,
    }
}

/// The holidays on fixed dates (docs/domain.md §3).
pub const HOLIDAY_RULES: &[HolidayRule] = &[
    rule("new_year", 1, 1, true),
    rule("new_year", 1, 2, true),
    rule("orthodox_christmas", 1, 7, false),
    rule("womens_day", 3, 8, true),
    // Constitution Day from 2027: the day of the referendum that adopted the new Constitution.
    HolidayRule {
        from_year: Some(2027),
        ..rule("constitution_day", 3, 15, true)
    },
    rule("nauryz", 3, 21, true),
    rule("nauryz", 3, 22, true),
    rule("nauryz", 3, 23, true),
    rule("unity_day", 5, 1, true),
    rule("defender_day", 5, 7, true),
    rule("victory_day", 5, 9, true),
    rule("capital_day", 7, 6, true),
    // Constitution Day of the 1995 Constitution: a holiday up to and including 2025; the Ministry of
    // Labour announced that 30 August is a working day from 2026.
    HolidayRule {
        to_year: Some(2025),
        ..rule("constitution_day", 8, 30, true)
    },
    rule("republic_day", 10, 25, true),
    rule("independence_day", 12, 16, true),
];

/// A day off fixed for one year only (the first day of Kurban Ait), which does not move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedDayOff {
    pub key: &'static str,
    pub date: (i32, u32, u32),
    /// Announced in advance but not yet fixed by the government.
    pub expected: bool,
}

/// The first day of Kurban Ait, fixed each year by the government.
pub const KURBAN_AIT: &[DatedDayOff] = &[
    DatedDayOff {
        key: "kurban_ait",
        date: (2025, 6, 6),
        expected: false,
    },
    DatedDayOff {
        key: "kurban_ait",
        date: (2026, 5, 27),
        expected: false,
    },
    DatedDayOff {
        key: "kurban_ait",
        date: (2027, 5, 16),
        expected: true,
    },
];

/// A transfer of a day off by government decree: always two halves, a weekday that becomes a day
/// off and a weekend day that becomes a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    pub off: (i32, u32, u32),
    pub working: (i32, u32, u32),
}

/// Known transfers: for 2025, Friday 3 January off, worked on Sunday 5 January. None is known for
/// 2026 or 2027 (docs/domain.md §3).
pub const TRANSFERS: &[Transfer] = &[Transfer {
    off: (2025, 1, 3),
    working: (2025, 1, 5),
}];

/// The years whose Kurban Ait and transfers the built-in tables hold.
pub const BUILTIN_YEARS: std::ops::RangeInclusive<i32> = 2025..=2027;

/// Why a date is not as the plain week says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A holiday on its own date.
    Holiday { key: &'static str },
    /// A holiday that fell on a weekend, moved to this weekday.
    Moved { key: &'static str, from: NaiveDate },
    /// A non-moving religious day off; `expected` when not yet fixed by the government.
    Religious { key: &'static str, expected: bool },
    /// A weekday off by decree, worked on `working`.
    TransferOff { working: NaiveDate },
    /// A weekend day worked by decree for the day off on `off`.
    TransferWorking { off: NaiveDate },
    /// Set by the user (an edit or an imported table), with its note.
    User { note: String },
}

impl Reason {
    /// Stable code for the window's catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Holiday { .. } => "holiday",
            Reason::Moved { .. } => "moved",
            Reason::Religious { .. } => "religious",
            Reason::TransferOff { .. } => "transfer_off",
            Reason::TransferWorking { .. } => "transfer_working",
            Reason::User { .. } => "user",
        }
    }

    /// The holiday's key, where there is one.
    pub fn holiday(&self) -> Option<&'static str> {
        match self {
            Reason::Holiday { key } | Reason::Moved { key, .. } | Reason::Religious { key, .. } => {
                Some(key)
            }
            _ => None,
        }
    }

    /// English text for the CLI (the window has its own catalogue).
    pub fn describe(&self) -> String {
        match self {
            Reason::Holiday { key } => holiday_name(key).to_owned(),
            Reason::Moved { key, from } => {
                format!("{} of {from} moved from the weekend", holiday_name(key))
            }
            Reason::Religious { key, expected } => {
                if *expected {
                    format!(
                        "{} (expected date, not yet fixed by the government)",
                        holiday_name(key)
                    )
                } else {
                    holiday_name(key).to_owned()
                }
            }
            Reason::TransferOff { working } => {
                format!("decree transfer: day off, worked on {working}")
            }
            Reason::TransferWorking { off } => {
                format!("decree transfer: working day for the day off on {off}")
            }
            Reason::User { note } if note.is_empty() => "user edit".to_owned(),
            Reason::User { note } => format!("user edit: {note}"),
        }
    }
}

/// English name of a holiday key.
pub fn holiday_name(key: &str) -> &'static str {
    match key {
        "new_year" => "New Year",
        "orthodox_christmas" => "Orthodox Christmas",
        "womens_day" => "International Women's Day",
        "constitution_day" => "Constitution Day",
        "nauryz" => "Nauryz meirami",
        "unity_day" => "Day of Unity of the People of Kazakhstan",
        "defender_day" => "Defender of the Fatherland Day",
        "victory_day" => "Victory Day",
        "capital_day" => "Capital Day",
        "republic_day" => "Republic Day",
        "independence_day" => "Independence Day",
        "kurban_ait" => "Kurban Ait (first day)",
        _ => "holiday",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    overrides: BTreeMap<NaiveDate, DayOverride>,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with constant, valid dates.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn date_of((y, m, d): (i32, u32, u32)) -> NaiveDate {
    ymd(y, m, d)
}

pub fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The deviations of one year from the plain week that follow from the holiday rules, with their
/// reasons. `dated` are the year's non-moving dated days off (Kurban Ait) and `transfers` its decree
/// transfers; with both empty, only what the law fixes in advance.
pub fn derive_year(
    year: i32,
    dated: &[DatedDayOff],
    transfers: &[Transfer],
) -> BTreeMap<NaiveDate, (DayOverride, Reason)> {
    let mut out: BTreeMap<NaiveDate, (DayOverride, Reason)> = BTreeMap::new();
    let rules: Vec<(NaiveDate, &HolidayRule)> = HOLIDAY_RULES
        .iter()
        .filter(|r| r.applies(year))
        .filter_map(|r| NaiveDate::from_ymd_opt(year, r.month, r.day).map(|d| (d, r)))
        .collect();
    let holiday_dates: Vec<NaiveDate> = rules.iter().map(|(d, _)| *d).collect();
    for (d, r) in &rules {
        if !is_weekend(*d) {
            let reason = if r.moves {
                Reason::Holiday { key: r.key }
            } else {
                Reason::Religious {
                    key: r.key,
                    expected: false,
                }
            };
            out.insert(*d, (DayOverride::Off, reason));
        }
    }
    for dd in dated.iter().filter(|dd| dd.date.0 == year) {
        let d = date_of(dd.date);
        if !is_weekend(d) && !out.contains_key(&d) {
            out.insert(
                d,
                (
                    DayOverride::Off,
                    Reason::Religious {
                        key: dd.key,
                        expected: dd.expected,
                    },
                ),
            );
        }
    }
    // Each weekend holiday takes the next working day that is not already off, in date order.
    for (h, r) in rules.iter().filter(|(d, r)| r.moves && is_weekend(*d)) {
        let mut d = *h + Duration::days(1);
        while is_weekend(d) || out.contains_key(&d) || holiday_dates.contains(&d) {
            d += Duration::days(1);
        }
        out.insert(
            d,
            (
                DayOverride::Off,
                Reason::Moved {
                    key: r.key,
                    from: *h,
                },
            ),
        );
    }
    for t in transfers
        .iter()
        .filter(|t| t.off.0 == year || t.working.0 == year)
    {
        let (off, working) = (date_of(t.off), date_of(t.working));
        if off.year() == year {
            out.insert(off, (DayOverride::Off, Reason::TransferOff { working }));
        }
        if working.year() == year {
            out.insert(
                working,
                (DayOverride::Working, Reason::TransferWorking { off }),
            );
        }
    }
    out
}

/// The built-in deviations of one year: the rules with the built-in Kurban Ait and transfers.
pub fn builtin_year(year: i32) -> BTreeMap<NaiveDate, (DayOverride, Reason)> {
    derive_year(year, KURBAN_AIT, TRANSFERS)
}

/// The weekday days off of one year that the law fixes in advance (no Kurban Ait, no transfers).
pub fn derive_days_off(year: i32) -> Vec<NaiveDate> {
    derive_year(year, &[], &[])
        .into_iter()
        .filter(|(_, (k, _))| *k == DayOverride::Off)
        .map(|(d, _)| d)
        .collect()
}

impl Calendar {
    /// An empty calendar: Monday to Friday, no holidays.
    pub fn plain() -> Calendar {
        Calendar::default()
    }

    /// The built-in calendar: [`BUILTIN_YEARS`] with their dated days off and transfers, and the
    /// fixed-date holidays of every other year of [`YEARS`].
    pub fn builtin() -> Calendar {
        let mut c = Calendar::default();
        for year in YEARS {
            for (d, (k, _)) in builtin_year(year) {
                c.overrides.insert(d, k);
            }
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
        // docs/domain.md §3, "Built-in weekday days off".
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
            (2026, 10, 26),
            (2026, 12, 16),
        ]);
        let y2027 = days(&[
            (2027, 1, 1),
            (2027, 1, 4),
            (2027, 1, 7),
            (2027, 3, 8),
            (2027, 3, 15),
            (2027, 3, 22),
            (2027, 3, 23),
            (2027, 3, 24),
            (2027, 5, 3),
            (2027, 5, 7),
            (2027, 5, 10),
            (2027, 7, 6),
            (2027, 10, 25),
            (2027, 12, 16),
        ]);
        assert_eq!(builtin_off(2025), y2025);
        assert_eq!(builtin_off(2026), y2026);
        assert_eq!(builtin_off(2027), y2027);
        // The only working weekend day of the tables: Sunday 5 January 2025, for Friday 3 January.
        let working: Vec<NaiveDate> = Calendar::builtin()
            .overrides()
            .filter(|(d, k)| BUILTIN_YEARS.contains(&d.year()) && *k == DayOverride::Working)
            .map(|(d, _)| d)
            .collect();
        assert_eq!(working, days(&[(2025, 1, 5)]));
    }

    #[test]
    fn constitution_day_follows_the_constitution_in_force() {
        // 30 August up to 2025 (moved to Monday 1 September in 2025), none in 2026, 15 March from 2027.
        let y = |year| builtin_year(year);
        assert_eq!(
            y(2025).get(&ymd(2025, 9, 1)).map(|(_, r)| r.clone()),
            Some(Reason::Moved {
                key: "constitution_day",
                from: ymd(2025, 8, 30)
            })
        );
        assert!(!y(2026).contains_key(&ymd(2026, 8, 31)));
        assert!(!y(2027).contains_key(&ymd(2027, 8, 30)));
        assert_eq!(
            y(2027).get(&ymd(2027, 3, 15)).map(|(_, r)| r.code()),
            Some("holiday")
        );
        // A year nobody has tables for still gets the rule in force: 15 March 2030 is a Friday.
        assert!(derive_days_off(2030).contains(&ymd(2030, 3, 15)));
        assert!(derive_days_off(2010).contains(&ymd(2010, 8, 30)));
        let c = Calendar::builtin();
        // Deadlines counted across the corrected days (docs/domain.md §2's worked example).
        assert_eq!(c.on_or_next_working_day(ymd(2026, 8, 30)), ymd(2026, 8, 31));
        assert_eq!(c.add_working_days(ymd(2025, 1, 2), 1), ymd(2025, 1, 5));
        assert_eq!(c.add_working_days(ymd(2027, 3, 12), 1), ymd(2027, 3, 16));
        assert_eq!(c.add_working_days(ymd(2027, 8, 27), 1), ymd(2027, 8, 30));
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
