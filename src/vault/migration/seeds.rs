//! The migrations' seeds, frozen: each writes literal data as it was when its migration was
//! written (or, for the calendar of version 3, when the seeds were frozen on 2026-12-03), never
//! through code that may change later, so that migrating a vault means the same thing whatever
//! build does it. Derived data is left to the current build (see the parent module).

use crate::error::Result;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::BTreeSet;

/// Left by a migration when the due dates of open requests must be recomputed (its value names
/// the calendar revision); cleared once they are.
pub const PENDING_DUE_DATES: &str = "pending.due_dates";

/// Left by a migration when the stop-list's entries must be derived from the refusals recorded
/// before it existed; cleared once they are.
pub const PENDING_STOP_LIST: &str = "pending.stop_list";

/// Set by version 15: the requests' search rows are to be written (`requests::search`). The value
/// is in the migration's SQL, literal.
pub const PENDING_REQUEST_SEARCH: &str = "pending.request_search";

/// Version 2: the operator's list of personal data and the policy's purposes.
pub(super) fn registry(tx: &Transaction<'_>, _now: DateTime<Utc>) -> Result<Option<Entry>> {
    // The usual categories of an operator's list of personal data (перечень); editable later.
    const CATEGORIES: &[(&str, &str, &str, &str)] = &[
        ("name", "ФИО", "Аты-жөні", "Full name"),
        ("iin", "ИИН", "ЖСН", "IIN"),
        ("birth_date", "Дата рождения", "Туған күні", "Date of birth"),
        (
            "contacts",
            "Контактные данные (телефон, e-mail)",
            "Байланыс деректері (телефон, e-mail)",
            "Contact details (phone, e-mail)",
        ),
        ("address", "Адрес", "Мекенжай", "Address"),
        (
            "identity_document",
            "Данные документа, удостоверяющего личность",
            "Жеке басын куәландыратын құжат деректері",
            "Identity document data",
        ),
        (
            "payment",
            "Платёжные данные",
            "Төлем деректері",
            "Payment data",
        ),
        (
            "employment",
            "Сведения о работе",
            "Жұмыс туралы мәліметтер",
            "Employment data",
        ),
        (
            "site_activity",
            "Обезличенные данные о посещении сайта",
            "Сайтқа кіру туралы иесіздендірілген деректер",
            "Anonymised website usage data",
        ),
    ];
    for (code, ru, kk, en) in CATEGORIES {
        tx.execute(
            "INSERT INTO data_category (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?3, ?4)",
            params![code, ru, kk, en],
        )?;
    }
    // The purposes of the seed policy, section 6, plus contract and law (section 7).
    const PURPOSES: &[(&str, &str, &str, &str, bool)] = &[
        (
            "informing",
            "Информирование пользователя по электронной почте",
            "Пайдаланушыны электрондық пошта арқылы хабардар ету",
            "Informing the user by e-mail",
            false,
        ),
        (
            "marketing",
            "Уведомления о новых продуктах, услугах и специальных предложениях",
            "Жаңа өнімдер, қызметтер және арнайы ұсыныстар туралы хабарламалар",
            "Notices of new products, services and special offers",
            true,
        ),
        (
            "contract",
            "Исполнение договора",
            "Шартты орындау",
            "Performance of a contract",
            false,
        ),
        (
            "legal_obligation",
            "Исполнение требований законодательства",
            "Заңнама талаптарын орындау",
            "Compliance with the law",
            false,
        ),
    ];
    for (code, ru, kk, en, marketing) in PURPOSES {
        tx.execute(
            "INSERT INTO purpose (code, name_ru, name_kk, name_en, is_marketing) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![code, ru, kk, en, marketing],
        )?;
    }
    Ok(None)
}

/// Version 3's deadline terms (docs/domain.md §2): kind, count, unit, source, confidence.
const RULES: &[(&str, u32, &str, &str, &str)] = &[
    (
        "access",
        3,
        "working",
        "Law 94-V Art. 25 para 2",
        "medium-high",
    ),
    ("update", 1, "working", "Law 94-V Art. 25 para 2", "medium"),
    ("block", 1, "working", "Law 94-V Art. 25 para 2", "medium"),
    ("unblock", 1, "working", "Law 94-V Art. 25 para 2", "medium"),
    ("destroy", 1, "working", "Law 94-V Art. 25 para 2", "medium"),
    (
        "withdraw-consent",
        1,
        "working",
        "no term in law; Derbes default (policy 8.4)",
        "low",
    ),
    (
        "refuse-marketing",
        1,
        "working",
        "no term in law; Derbes default (policy 6.2)",
        "low",
    ),
    (
        "stop-processing",
        1,
        "working",
        "by analogy with Law 94-V Art. 25",
        "low",
    ),
    (
        "authority",
        10,
        "calendar",
        "privacy policy, section 3.2",
        "policy",
    ),
    ("breach", 1, "working", "Law 44-VIII of 11.12.2023", "high"),
    (
        "other",
        10,
        "working",
        "no legal term; internal target",
        "internal",
    ),
];

/// Version 3's weekday days off of 2025–2027 (docs/domain.md §3, as corrected on 2026-12-02: a
/// vault that ran this migration before then got the first tables, which version 11 corrects).
const DAYS_OFF: &[&str] = &[
    "2025-01-01",
    "2025-01-02",
    "2025-01-03",
    "2025-01-07",
    "2025-03-10",
    "2025-03-21",
    "2025-03-24",
    "2025-03-25",
    "2025-05-01",
    "2025-05-07",
    "2025-05-09",
    "2025-06-06",
    "2025-07-07",
    "2025-09-01",
    "2025-10-27",
    "2025-12-16",
    "2026-01-01",
    "2026-01-02",
    "2026-01-07",
    "2026-03-09",
    "2026-03-23",
    "2026-03-24",
    "2026-03-25",
    "2026-05-01",
    "2026-05-07",
    "2026-05-11",
    "2026-05-27",
    "2026-07-06",
    "2026-10-26",
    "2026-12-16",
    "2027-01-01",
    "2027-01-04",
    "2027-01-07",
    "2027-03-08",
    "2027-03-15",
    "2027-03-22",
    "2027-03-23",
    "2027-03-24",
    "2027-05-03",
    "2027-05-07",
    "2027-05-10",
    "2027-07-06",
    "2027-10-25",
    "2027-12-16",
];

/// Version 3's working weekend days: Sunday 5 January 2025, the other half of the 3 January
/// transfer.
const WORKING_DAYS: &[&str] = &["2025-01-05"];

/// Version 3: the deadline terms and the built-in working-day calendar.
pub(super) fn requests(tx: &Transaction<'_>, _now: DateTime<Utc>) -> Result<Option<Entry>> {
    for (kind, count, unit, source, confidence) in RULES {
        tx.execute(
            "INSERT INTO deadline_rule (kind, count, unit, source, confidence) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind, count, unit, source, confidence],
        )?;
    }
    let days = DAYS_OFF
        .iter()
        .map(|d| (d, "off"))
        .chain(WORKING_DAYS.iter().map(|d| (d, "working")));
    for (day, kind) in days {
        tx.execute(
            "INSERT INTO calendar_day (day, kind, note) VALUES (?1, ?2, 'built-in')",
            params![day, kind],
        )?;
    }
    Ok(None)
}

/// Version 11's corrections of the built-in tables (docs/domain.md §3): the day, what the first
/// tables kept (`None`: no row), what is true (`None`: the plain week). Constitution Day is no
/// longer 30 August from 2026 (its weekday replacements 31 August 2026 and 30 August 2027 were
/// kept off), it is 15 March from 2027, and the 2025 transfer of 3 January was worked on Sunday
/// 5 January.
const CORRECTIONS_2026_12_02: [(&str, Option<&str>, Option<&str>); 4] = [
    ("2025-01-05", None, Some("working")),
    ("2026-08-31", Some("off"), None),
    ("2027-03-15", None, Some("off")),
    ("2027-08-30", Some("off"), None),
];

/// Version 11: applies [`CORRECTIONS_2026_12_02`] to the years the vault keeps, only to the days
/// the user has not edited, and records the revision; the open due dates it moves are recomputed
/// after the migration (`pending.due_dates`).
pub(super) fn calendar_2026_12_02(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Entry>> {
    let kept: BTreeSet<String> = tx
        .prepare("SELECT DISTINCT substr(day, 1, 4) FROM calendar_day")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut changed, mut left) = (0i64, 0i64);
    for (day, old, new) in CORRECTIONS_2026_12_02 {
        // A year the vault does not keep is derived from the rules, which are correct now.
        if !kept.contains(&day[..4]) {
            continue;
        }
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT kind, origin FROM calendar_day WHERE day = ?1",
                [day],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let now_kind = row
            .as_ref()
            .map(|(k, _)| if k == "working" { "working" } else { "off" });
        if now_kind == new {
            continue;
        }
        let untouched = now_kind == old && row.as_ref().is_none_or(|(_, o)| o == "builtin");
        if !untouched {
            left += 1;
            continue;
        }
        match new {
            Some(k) => tx.execute(
                "INSERT INTO calendar_day (day, kind, note, origin) VALUES (?1, ?2, 'built-in', 'builtin')
                 ON CONFLICT (day) DO UPDATE SET kind = excluded.kind",
                params![day, k],
            )?,
            None => tx.execute("DELETE FROM calendar_day WHERE day = ?1", [day])?,
        };
        changed += 1;
    }
    if changed == 0 && left == 0 {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO calendar_revision (name, applied_at, days_changed, days_kept, due_moved)
         VALUES ('2026-12-02', ?1, ?2, ?3, 0)",
        params![now.to_rfc3339(), changed, left],
    )?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, '2026-12-02')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [PENDING_DUE_DATES],
    )?;
    Ok(Some(Entry::new("calendar.corrected").detail(format!(
        "built-in tables of 2026-12-02: {changed} days corrected, {left} left as the user set them"
    ))))
}

/// Version 13: the stop-list's key, 32 random bytes of this vault; the entries of the refusals
/// recorded before it are derived after the migration (`pending.stop_list`).
pub(super) fn stop_list(tx: &Transaction<'_>, _now: DateTime<Utc>) -> Result<Option<Entry>> {
    use rand::RngCore;
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(key.as_mut());
    tx.execute(
        "INSERT INTO stop_key (id, key) VALUES (1, ?1)",
        [key.as_slice()],
    )?;
    tx.execute(
        "INSERT INTO setting (key, value) VALUES (?1, 'from refusals')",
        [PENDING_STOP_LIST],
    )?;
    Ok(None)
}
