//! Starter catalogues (issue 18), chosen when a vault is set up: the purposes, categories of data and
//! of people, and retention periods a clinic, a school or a shop with loyalty cards usually needs,
//! on top of the generic ones every vault has. Each period names the act it comes from as Derbes
//! can name it — **not confirmed against the act's current text** — and is marked "check before
//! use" (`check_note`) until the user saves the entry in Settings. Nothing here is law; everything
//! is an editable default (docs/domain.md §10).

use crate::error::{Error, FieldIssue, Result};
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

crate::base::wire::vocab!(
    /// Which kind of operator the catalogues are for.
    Kit {
        /// The catalogues every vault starts with.
        Generic => "generic",
        Clinic => "clinic",
        School => "school",
        /// A shop with a loyalty card programme.
        Shop => "shop",
    }
);

/// A purpose a kit adds: code, names (ru, kk, en), retention in days (none: until the purpose is
/// achieved), its source (`law`, `contract`, `policy`) and what to check.
struct Purpose {
    code: &'static str,
    names: [&'static str; 3],
    days: Option<i64>,
    source: &'static str,
    note: &'static str,
    marketing: bool,
}

/// Every kit: the employees' files (each operator employs people).
const EMPLOYMENT: Purpose = Purpose {
    code: "employment",
    names: [
        "Трудовые отношения и кадровый учёт",
        "Еңбек қатынастары және кадрлық есеп",
        "Employment and personnel records",
    ],
    days: Some(27_375),
    source: "law",
    note: "Labour Code of the RK; the list of standard documents with their retention periods (order of the Minister of Culture and Sports No. 263 of 29.09.2017): personnel files — 75 years. Check against the order's current text.",
    marketing: false,
};

const ACCOUNTING: Purpose = Purpose {
    code: "accounting",
    names: [
        "Бухгалтерский и налоговый учёт",
        "Бухгалтерлік және салықтық есеп",
        "Accounting and tax records",
    ],
    days: Some(1_825),
    source: "law",
    note: "Tax Code of the RK, Art. 48 (limitation period of five years) and the Law on Accounting: primary documents are kept for it. Check the current articles.",
    marketing: false,
};

fn purposes(kit: Kit) -> Vec<&'static Purpose> {
    const CLINIC: [Purpose; 1] = [Purpose {
        code: "medical_care",
        names: [
            "Оказание медицинской помощи",
            "Медициналық көмек көрсету",
            "Provision of medical care",
        ],
        days: Some(9_125),
        source: "law",
        note: "Code of the RK on the Health of the People and the Healthcare System, and the order on forms of primary medical records: the outpatient and inpatient records — 25 years. Check the order's current text.",
        marketing: false,
    }];
    const SCHOOL: [Purpose; 1] = [Purpose {
        code: "education",
        names: [
            "Организация образовательного процесса",
            "Білім беру процесін ұйымдастыру",
            "Provision of education",
        ],
        days: Some(27_375),
        source: "law",
        note: "Law of the RK on Education; the list of standard documents (order No. 263 of 29.09.2017): pupils' personal files and the books of issued certificates — periods up to 75 years. Check which documents the school keeps and their periods.",
        marketing: false,
    }];
    const SHOP: [Purpose; 1] = [Purpose {
        code: "loyalty",
        names: [
            "Программа лояльности (бонусная карта)",
            "Адалдық бағдарламасы (бонус картасы)",
            "Loyalty programme (bonus card)",
        ],
        days: None,
        source: "policy",
        note: "Until the member leaves the programme or withdraws consent (Law 94-V Art. 8; the operator's policy). Set a term if the programme's rules give one.",
        marketing: true,
    }];
    let own: &'static [Purpose] = match kit {
        Kit::Generic => &[],
        Kit::Clinic => &CLINIC,
        Kit::School => &SCHOOL,
        Kit::Shop => &SHOP,
    };
    let mut all: Vec<&'static Purpose> = own.iter().collect();
    all.push(&EMPLOYMENT);
    if kit != Kit::Generic {
        all.push(&ACCOUNTING);
    }
    all
}

fn data_categories(kit: Kit) -> &'static [(&'static str, [&'static str; 3])] {
    match kit {
        Kit::Generic => &[],
        Kit::Clinic => &[(
            "health",
            [
                "Сведения о состоянии здоровья",
                "Денсаулық жағдайы туралы мәліметтер",
                "Health data",
            ],
        )],
        Kit::School => &[(
            "education_record",
            [
                "Сведения об обучении и успеваемости",
                "Оқу және үлгерім туралы мәліметтер",
                "Education and grades",
            ],
        )],
        Kit::Shop => &[(
            "purchases",
            ["История покупок", "Сатып алулар тарихы", "Purchase history"],
        )],
    }
}

fn subject_categories(kit: Kit) -> &'static [(&'static str, [&'static str; 3])] {
    match kit {
        Kit::School => &[(
            "parent",
            [
                "Родитель (законный представитель)",
                "Ата-ана (заңды өкіл)",
                "Parent (legal representative)",
            ],
        )],
        Kit::Shop => &[(
            "loyalty_member",
            [
                "Участник программы лояльности",
                "Адалдық бағдарламасының қатысушысы",
                "Loyalty programme member",
            ],
        )],
        Kit::Generic | Kit::Clinic => &[],
    }
}

/// A period of a purpose for one category of people (the kit's codes).
fn by_category(kit: Kit) -> &'static [(&'static str, &'static str, i64, &'static str)] {
    match kit {
        // A patient's record is kept for the medical record's period; a visitor's contact for a
        // visit is not medical care.
        Kit::Clinic => &[(
            "medical_care",
            "patient",
            9_125,
            "The medical record's period (see the purpose). Check the current order.",
        )],
        Kit::School => &[(
            "education",
            "student",
            27_375,
            "Pupils' personal files (see the purpose). Check the current order.",
        )],
        Kit::Generic | Kit::Shop => &[],
    }
}

/// What a kit added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Applied {
    pub purposes: usize,
    pub data_categories: usize,
    pub subject_categories: usize,
    pub retention_rows: usize,
}

/// Adds what `kit` brings that the catalogues lack (by code), in one transaction; an entry already
/// there is left as the user has it. Every period added is marked "check before use".
pub fn apply(vault: &mut Vault, kit: Kit, now: DateTime<Utc>) -> Result<Applied> {
    let mut done = Applied::default();
    vault.transact(now, |tx| {
        let exists = |table: &str, code: &str| -> Result<bool> {
            Ok(tx.query_row(
                &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE code = ?1)"),
                [code],
                |r| r.get(0),
            )?)
        };
        for p in purposes(kit) {
            if exists("purpose", p.code)? {
                continue;
            }
            tx.execute(
                "INSERT INTO purpose (code, name_ru, name_kk, name_en, is_marketing, retention_days,
                                      retention_source, retention_note, check_note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    p.code,
                    p.names[0],
                    p.names[1],
                    p.names[2],
                    p.marketing,
                    p.days,
                    p.source,
                    p.note,
                    format!("starter kit {}: check before use", kit.name())
                ],
            )?;
            done.purposes += 1;
        }
        for (code, names) in data_categories(kit) {
            if exists("data_category", code)? {
                continue;
            }
            tx.execute(
                "INSERT INTO data_category (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?3, ?4)",
                params![code, names[0], names[1], names[2]],
            )?;
            done.data_categories += 1;
        }
        for (code, names) in subject_categories(kit) {
            if exists("subject_category", code)? {
                continue;
            }
            tx.execute(
                "INSERT INTO subject_category (code, name_ru, name_kk, name_en) VALUES (?1, ?2, ?3, ?4)",
                params![code, names[0], names[1], names[2]],
            )?;
            done.subject_categories += 1;
        }
        for (purpose, category, days, note) in by_category(kit) {
            let ids: Option<(i64, i64)> = tx
                .query_row(
                    "SELECT p.id, c.id FROM purpose p, subject_category c
                     WHERE p.code = ?1 AND c.code = ?2",
                    [purpose, category],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((p, c)) = ids else {
                continue;
            };
            let n = tx.execute(
                "INSERT OR IGNORE INTO purpose_retention (purpose_id, subject_category_id, days,
                                                          source, note, check_note)
                 VALUES (?1, ?2, ?3, 'law', ?4, ?5)",
                params![
                    p,
                    c,
                    days,
                    note,
                    format!("starter kit {}: check before use", kit.name())
                ],
            )?;
            done.retention_rows += n;
        }
        tx.journal(&Entry::new("catalog.starter_applied").detail(format!(
            "{}: {} purposes, {} data categories, {} subject categories, {} retention rows",
            kit.name(),
            done.purposes,
            done.data_categories,
            done.subject_categories,
            done.retention_rows
        )))?;
        Ok(())
    })?;
    Ok(done)
}

/// A kit by its name, refused with the field when unknown.
pub fn parse(name: &str) -> Result<Kit> {
    Kit::parse(name).ok_or_else(|| {
        Error::Invalid(vec![FieldIssue {
            field: "kit",
            code: "required",
        }])
    })
}
