//! Legal deadlines of requests (`docs/domain.md` §2). The terms are defaults kept as an editable
//! table in the vault, each with its source, because several are read from the law with only medium
//! confidence.
//!
//! Counting: in working days, the day of receipt does not count and the due date is the Nth working
//! day after it; in calendar days, due = receipt + N, moved to the next working day when that is a
//! day off (the Civil Code's general rule on terms).

use crate::base::calendar::Calendar;
use crate::base::request_kind::RequestKind;
use chrono::{Duration, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    WorkingDays,
    CalendarDays,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::WorkingDays => "working",
            Unit::CalendarDays => "calendar",
        }
    }

    pub fn parse(s: &str) -> Option<Unit> {
        match s {
            "working" => Some(Unit::WorkingDays),
            "calendar" => Some(Unit::CalendarDays),
            _ => None,
        }
    }
}

crate::base::wire::by_name_both!(Unit => name);

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Rule {
    pub kind: RequestKind,
    pub count: u32,
    pub unit: Unit,
    /// Where the term comes from, shown beside it so the user can re-check it.
    pub source: String,
    pub confidence: String,
}

/// The default terms (docs/domain.md §2).
pub fn default_rule(kind: RequestKind) -> Rule {
    use RequestKind as K;
    use Unit::*;
    let (count, unit, source, confidence) = match kind {
        K::Access => (3, WorkingDays, "Law 94-V Art. 25 para 2", "medium-high"),
        K::Update => (1, WorkingDays, "Law 94-V Art. 25 para 2", "medium"),
        K::Block => (1, WorkingDays, "Law 94-V Art. 25 para 2", "medium"),
        K::Unblock => (1, WorkingDays, "Law 94-V Art. 25 para 2", "medium"),
        K::Destroy => (1, WorkingDays, "Law 94-V Art. 25 para 2", "medium"),
        K::WithdrawConsent => (
            1,
            WorkingDays,
            "no term in law; Derbes default (policy 8.4)",
            "low",
        ),
        K::RefuseMarketing => (
            1,
            WorkingDays,
            "no term in law; Derbes default (policy 6.2)",
            "low",
        ),
        K::StopProcessing => (1, WorkingDays, "by analogy with Law 94-V Art. 25", "low"),
        K::Authority => (10, CalendarDays, "privacy policy, section 3.2", "policy"),
        K::Breach => (1, WorkingDays, "Law 44-VIII of 11.12.2023", "high"),
        K::Other => (
            10,
            WorkingDays,
            "no legal term; internal target",
            "internal",
        ),
    };
    Rule {
        kind,
        count,
        unit,
        source: source.to_owned(),
        confidence: confidence.to_owned(),
    }
}

/// The due date of a request received on `received` under `rule`.
pub fn due_date(rule: &Rule, received: NaiveDate, calendar: &Calendar) -> NaiveDate {
    match rule.unit {
        Unit::WorkingDays => calendar.add_working_days(received, rule.count),
        Unit::CalendarDays => {
            calendar.on_or_next_working_day(received + Duration::days(i64::from(rule.count)))
        }
    }
}

/// Where a request stands against its due date on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Due in this many working days (≥ 1).
    DueIn(i64),
    DueToday,
    /// Overdue by this many working days (≥ 0: a due date on a day off passed without a working day).
    Overdue(i64),
}

/// `{"kind": "in" | "today" | "overdue", "days": n}` for the page's "due in N working days".
#[cfg(feature = "serde")]
impl serde::Serialize for Standing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (kind, days) = match *self {
            Standing::DueIn(n) => ("in", n),
            Standing::DueToday => ("today", 0),
            Standing::Overdue(n) => ("overdue", n),
        };
        let mut st = s.serialize_struct("Standing", 2)?;
        st.serialize_field("kind", kind)?;
        st.serialize_field("days", &days)?;
        st.end()
    }
}

pub fn standing(due: NaiveDate, today: NaiveDate, calendar: &Calendar) -> Standing {
    if today == due {
        Standing::DueToday
    } else if today < due {
        Standing::DueIn(calendar.working_days_between(today, due).max(1))
    } else {
        Standing::Overdue(calendar.working_days_between(due, today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn domain_worked_examples() {
        let c = Calendar::builtin();
        let due = |k, r| due_date(&default_rule(k), r, &c);
        assert_eq!(due(RequestKind::Access, d(2026, 3, 20)), d(2026, 3, 30));
        assert_eq!(due(RequestKind::Update, d(2026, 5, 6)), d(2026, 5, 8));
        // 30 August is no longer a holiday from 2026 (docs/domain.md §3, corrected 2026-12-02).
        assert_eq!(due(RequestKind::Authority, d(2026, 8, 20)), d(2026, 8, 31));
    }

    #[test]
    fn standing_on_today() {
        let c = Calendar::builtin();
        let due = d(2026, 11, 27);
        assert_eq!(standing(due, d(2026, 11, 25), &c), Standing::DueIn(2));
        assert_eq!(standing(due, due, &c), Standing::DueToday);
        assert_eq!(standing(due, d(2026, 11, 30), &c), Standing::Overdue(1));
    }
}
