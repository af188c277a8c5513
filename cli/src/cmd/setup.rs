//! The operator's set-up from the command line (issue 18): the letterhead every document and act
//! is printed on, and the catalogues — categories of data, purposes with their retention, versions
//! of the privacy policy — so that a vault made with `init` can do everything the window's Settings
//! allow (an act of destruction needs a complete letterhead).

use super::{OnVault, date};
use crate::ctx::Ctx;
use crate::output::about;
use chrono::Utc;
use derbes::documents::letterhead::{self, Letterhead};
use derbes::registry::catalog::{self, CatalogTable, ItemInput};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum LetterheadCmd {
    /// Print the letterhead, field by field, and the number the next document would get
    Show,
    /// Change the fields given (the others stay); refused whole when a field is invalid
    Set(Box<LetterheadArgs>),
}

#[derive(clap::Args)]
pub struct LetterheadArgs {
    /// The operator's name as it is registered
    #[arg(long)]
    operator: Option<String>,
    /// The operator's BIN (12 digits, checked)
    #[arg(long)]
    bin: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    phones: Option<String>,
    /// The address requests about personal data go to
    #[arg(long)]
    email: Option<String>,
    /// The person responsible for organising the processing of personal data
    #[arg(long)]
    responsible: Option<String>,
    /// Who signs the documents
    #[arg(long)]
    signer_name: Option<String>,
    #[arg(long)]
    signer_position: Option<String>,
    #[arg(long)]
    city: Option<String>,
    /// The authorized body's name as documents address it
    #[arg(long)]
    authority: Option<String>,
    /// The prefix of outgoing numbers (`ИСХ` gives ИСХ-2026/001)
    #[arg(long)]
    prefix: Option<String>,
    /// Whether outgoing numbers carry the year: yes or no
    #[arg(long, value_parser = yes_no)]
    with_year: Option<bool>,
    /// Digits of the sequence, 1 to 6
    #[arg(long)]
    digits: Option<u8>,
    /// A logo (PNG or JPEG, at most 256 KB)
    #[arg(long, value_name = "FILE", conflicts_with = "no_logo")]
    logo: Option<PathBuf>,
    /// Remove the logo
    #[arg(long)]
    no_logo: bool,
}

fn yes_no(s: &str) -> Result<bool, String> {
    match s {
        "yes" | "true" | "1" => Ok(true),
        "no" | "false" | "0" => Ok(false),
        _ => Err(format!("yes or no, not {s:?}")),
    }
}

impl OnVault for LetterheadCmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            LetterheadCmd::Show => {
                let v = letterhead::view(vault.conn(), ctx.today)?;
                print_letterhead(&v.head);
                println!("logo\t{}", if v.has_logo { "yes" } else { "no" });
                println!("next number\t{}", v.sample);
                let complete = letterhead::require_complete(&v.head).is_ok();
                println!(
                    "complete\t{}",
                    if complete {
                        "yes"
                    } else {
                        "no: documents and acts need the operator, BIN, address, signer"
                    }
                );
            }
            LetterheadCmd::Set(a) => {
                let mut head = letterhead::load(vault.conn())?;
                let set = |field: &mut String, v: Option<String>| {
                    if let Some(v) = v {
                        *field = v;
                    }
                };
                set(&mut head.operator, a.operator);
                set(&mut head.bin, a.bin);
                set(&mut head.address, a.address);
                set(&mut head.phones, a.phones);
                set(&mut head.email, a.email);
                set(&mut head.responsible, a.responsible);
                set(&mut head.signer_name, a.signer_name);
                set(&mut head.signer_position, a.signer_position);
                set(&mut head.city, a.city);
                set(&mut head.authority, a.authority);
                set(&mut head.numbering.prefix, a.prefix);
                if let Some(y) = a.with_year {
                    head.numbering.with_year = y;
                }
                if let Some(d) = a.digits {
                    head.numbering.digits = d;
                }
                // The logo is checked before anything is written: a bad image changes nothing.
                let logo = match &a.logo {
                    Some(path) => {
                        let bytes = derbes::base::limits::read_capped(path, 4 * 1024 * 1024)
                            .map_err(about("the logo", path))?;
                        letterhead::check_logo(&bytes)?;
                        Some(bytes)
                    }
                    None => None,
                };
                letterhead::save(vault, &head, Utc::now())?;
                if let Some(bytes) = logo {
                    letterhead::set_logo(vault, Some(&bytes), Utc::now())?;
                } else if a.no_logo {
                    letterhead::set_logo(vault, None, Utc::now())?;
                }
                print_letterhead(&letterhead::load(vault.conn())?);
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn print_letterhead(h: &Letterhead) {
    for (k, v) in [
        ("operator", &h.operator),
        ("bin", &h.bin),
        ("address", &h.address),
        ("phones", &h.phones),
        ("email", &h.email),
        ("responsible", &h.responsible),
        ("signer-name", &h.signer_name),
        ("signer-position", &h.signer_position),
        ("city", &h.city),
        ("authority", &h.authority),
    ] {
        println!("{k}\t{v}");
    }
    println!(
        "numbering\t{} (year {}, {} digits)",
        h.numbering.prefix,
        if h.numbering.with_year { "yes" } else { "no" },
        h.numbering.digits
    );
}

#[derive(clap::Subcommand)]
pub enum CatalogCmd {
    /// The catalogues: id, code, names in Russian, Kazakh and English (purposes also their
    /// retention), and the policy versions
    List,
    /// Add a category of personal data to the operator's list (перечень)
    AddCategory(ItemArgs),
    /// Add a purpose of processing, with its retention period and where it comes from
    AddPurpose {
        #[command(flatten)]
        item: ItemArgs,
        /// Consent withdrawals for it put the person on the marketing stop-list
        #[arg(long)]
        marketing: bool,
        /// Days the data is kept once the purpose is achieved (none: until it is achieved)
        #[arg(long, value_name = "DAYS")]
        retention_days: Option<i64>,
        /// Where the period comes from: law, contract or policy
        #[arg(long, value_name = "SOURCE")]
        retention_source: Option<String>,
        /// The clause that sets it, for an inspector
        #[arg(long, value_name = "TEXT", default_value = "")]
        retention_note: String,
    },
    /// Change an entry's names (and a purpose's retention) by its id
    Edit {
        /// category, purpose or subject_category
        #[arg(value_parser = table)]
        table: CatalogTable,
        id: i64,
        #[command(flatten)]
        item: ItemArgs,
        #[arg(long)]
        marketing: bool,
        #[arg(long, value_name = "DAYS")]
        retention_days: Option<i64>,
        #[arg(long, value_name = "SOURCE")]
        retention_source: Option<String>,
        #[arg(long, value_name = "TEXT", default_value = "")]
        retention_note: String,
    },
    /// Add a starter kit's catalogues — clinic, school or shop (generic: what every vault has):
    /// purposes with their retention and its legal source, categories of data and of people;
    /// each period is marked "check before use" until saved with `catalog edit`
    Starter {
        /// generic, clinic, school or shop
        kit: String,
    },
    /// Add a category of people (patient, customer, employee, student …)
    AddSubjectCategory(ItemArgs),
    /// Set a purpose's retention for one category of people (--days none: back to the purpose's own)
    SetRetention {
        /// The purpose's id
        #[arg(long)]
        purpose: i64,
        /// The category of people's id
        #[arg(long)]
        subject_category: i64,
        /// Days, 1 to 36 500; left out: the row is removed
        #[arg(long)]
        days: Option<i64>,
        /// law, contract or policy
        #[arg(long)]
        source: Option<String>,
        /// The clause that sets it
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Record a version of the privacy policy and the day it took effect
    AddPolicy {
        /// The version as consents name it
        version: String,
        /// In effect from (YYYY-MM-DD)
        #[arg(long, value_parser = date)]
        from: chrono::NaiveDate,
    },
}

#[derive(clap::Args)]
pub struct ItemArgs {
    /// Latin letters, digits and _
    #[arg(long)]
    code: String,
    /// The name in Russian
    #[arg(long)]
    ru: String,
    /// The name in Kazakh (the Russian one when left out)
    #[arg(long, default_value = "")]
    kk: String,
    /// The name in English (the Russian one when left out)
    #[arg(long, default_value = "")]
    en: String,
}

fn table(s: &str) -> Result<CatalogTable, String> {
    CatalogTable::parse(s)
        .ok_or_else(|| format!("category, purpose or subject_category, not {s:?}"))
}

fn item(
    a: ItemArgs,
    marketing: bool,
    retention_days: Option<i64>,
    retention_source: Option<String>,
    retention_note: String,
) -> ItemInput {
    ItemInput {
        code: a.code,
        name_ru: a.ru,
        name_kk: a.kk,
        name_en: a.en,
        is_marketing: marketing,
        retention_days,
        retention_source,
        retention_note,
    }
}

impl OnVault for CatalogCmd {
    fn run(self, vault: &mut Vault, _ctx: &Ctx) -> Result<ExitCode, Error> {
        let now = Utc::now();
        match self {
            CatalogCmd::List => {
                let c = catalog::all(vault.conn())?;
                for i in &c.categories {
                    println!(
                        "category\t{}\t{}\t{}\t{}\t{}",
                        i.id, i.code, i.name_ru, i.name_kk, i.name_en
                    );
                }
                for i in &c.purposes {
                    let retention = match (i.retention_days, &i.retention_source) {
                        (Some(d), Some(s)) => format!("{d} days ({s}) {}", i.retention_note),
                        (Some(d), None) => format!("{d} days"),
                        _ => "until achieved".to_owned(),
                    };
                    println!(
                        "purpose\t{}\t{}\t{}\t{}\t{}\t{}{}{}",
                        i.id,
                        i.code,
                        i.name_ru,
                        i.name_kk,
                        i.name_en,
                        retention.trim_end(),
                        if i.is_marketing { "\tmarketing" } else { "" },
                        if i.check_note.is_some() {
                            "\tcheck before use"
                        } else {
                            ""
                        }
                    );
                }
                for p in &c.policy_versions {
                    println!("policy\t{}\t{}\t{}", p.id, p.version, p.effective_from);
                }
                for i in &c.subject_categories {
                    println!(
                        "subject-category\t{}\t{}\t{}\t{}\t{}",
                        i.id, i.code, i.name_ru, i.name_kk, i.name_en
                    );
                }
                for r in &c.retention_by_category {
                    println!(
                        "retention\tpurpose {}\tsubject-category {}\t{} days\t{}\t{}",
                        r.purpose_id,
                        r.subject_category_id,
                        r.days,
                        r.source.as_deref().unwrap_or(""),
                        r.note
                    );
                }
            }
            CatalogCmd::AddCategory(a) => {
                let id =
                    catalog::add_category(vault, &item(a, false, None, None, String::new()), now)?;
                println!("{id}");
            }
            CatalogCmd::AddPurpose {
                item: a,
                marketing,
                retention_days,
                retention_source,
                retention_note,
            } => {
                let input = item(
                    a,
                    marketing,
                    retention_days,
                    retention_source,
                    retention_note,
                );
                println!("{}", catalog::add_purpose(vault, &input, now)?);
            }
            CatalogCmd::Edit {
                table,
                id,
                item: a,
                marketing,
                retention_days,
                retention_source,
                retention_note,
            } => {
                let input = item(
                    a,
                    marketing,
                    retention_days,
                    retention_source,
                    retention_note,
                );
                catalog::save_item(vault, table, Some(id), &input, now)?;
                println!("{id}");
            }
            CatalogCmd::Starter { kit } => {
                let kit = derbes::app::starter::parse(&kit)?;
                let a = derbes::app::starter::apply(vault, kit, now)?;
                println!(
                    "{}: {} purposes, {} data categories, {} subject categories, {} retention rows added; check each period before relying on it",
                    kit.name(),
                    a.purposes,
                    a.data_categories,
                    a.subject_categories,
                    a.retention_rows
                );
            }
            CatalogCmd::AddSubjectCategory(a) => {
                let input = item(a, false, None, None, String::new());
                println!("{}", catalog::add_subject_category(vault, &input, now)?);
            }
            CatalogCmd::SetRetention {
                purpose,
                subject_category,
                days,
                source,
                note,
            } => {
                catalog::set_category_retention(
                    vault,
                    purpose,
                    subject_category,
                    days,
                    source.as_deref(),
                    &note,
                    now,
                )?;
                println!("purpose {purpose}, subject category {subject_category}");
            }
            CatalogCmd::AddPolicy { version, from } => {
                println!(
                    "{}",
                    catalog::add_policy_version(vault, &version, from, now)?
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
