//! The registry of subjects: import and export, blocking, destruction and anonymization.

use super::{Lang, OnVault, keep};
use crate::ctx::Ctx;
use crate::output::{about, export_table, leaving, print_issue};
use chrono::Utc;
use derbes::erasure::{self, Action, Keep};
use derbes::registry::{blocking, bulk, import};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Import subjects from CSV (UTF-8 or Windows-1251, `;` or `,`) or a workbook (.xlsx, .xls,
    /// .ods), columns mapped by their headers; prints a report per row and writes nothing when a
    /// row is invalid unless --skip-invalid. An IIN a spreadsheet made a number gets its leading
    /// zero back when it then checks out.
    ///
    /// Besides identity and contacts, what is held and the consent: purpose (Цель), data
    /// (Данные), basis (Основание) and its reference, since / until (С / По), source; consent
    /// date (Согласие получено), form, term (Срок согласия: a date, "5 лет", "до достижения
    /// цели"), third parties, cross-border transfer, countries, policy version. One row per person
    /// and purpose, or several purposes in one cell separated by `;`.
    Import {
        /// The table to import
        file: PathBuf,
        /// Write the valid rows and skip the others
        #[arg(long)]
        skip_invalid: bool,
        /// Update the subjects already registered (by IIN or document) instead of skipping them;
        /// what the rows say is held is added to them
        #[arg(long)]
        update_duplicates: bool,
        /// Add the purposes, data categories and policy versions the catalogues lack under the
        /// names the file gives, instead of refusing their rows
        #[arg(long)]
        add_unknown: bool,
    },
    /// Export active subjects as CSV, or as a workbook when FILE ends in .xlsx or .ods (IINs,
    /// documents and phones as text)
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
    /// Suspend the processing of a subject, with the stated basis or request; journaled
    Block(Basis),
    /// Resume the processing of a blocked subject
    Unblock(Basis),
    /// Destroy a subject's personal data (a tombstone stays), in one transaction with the act,
    /// whose number is printed
    Destroy(Erase),
    /// Anonymize a subject, keeping of --keep what is named; in one transaction with the act
    Anonymize(Erase),
    /// One change for many people — chosen by --ids or by the registry's filters — in one
    /// transaction with a journal entry per person; --dry-run says how many would change
    #[command(subcommand)]
    Bulk(BulkCmd),
}

/// Whom a bulk change is for.
#[derive(clap::Args)]
pub struct Who {
    /// These subjects (comma-separated record numbers)
    #[arg(long, value_name = "LIST", value_delimiter = ',', conflicts_with_all = ["text", "purpose_filter", "no_basis"])]
    ids: Vec<i64>,
    /// Everyone the search finds by this text
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Everyone with a consent or holding for this purpose (its id)
    #[arg(long, value_name = "ID")]
    purpose_filter: Option<i64>,
    /// Everyone with no recorded basis of processing
    #[arg(long)]
    no_basis: bool,
    /// Say how many would change, and write nothing
    #[arg(long)]
    dry_run: bool,
}

impl Who {
    fn selection(&self) -> bulk::Selection {
        if !self.ids.is_empty() {
            return bulk::Selection::Subjects(self.ids.clone());
        }
        bulk::Selection::Filter(derbes::registry::search::Query {
            text: self.text.clone().unwrap_or_default(),
            purpose_id: self.purpose_filter,
            no_basis: self.no_basis,
            ..Default::default()
        })
    }
}

#[derive(clap::Subcommand)]
pub enum BulkCmd {
    /// Record the same consent for each (one in force for the purpose: left as it is)
    Consent {
        #[command(flatten)]
        who: Who,
        /// The purpose's id (`catalog list`)
        #[arg(long)]
        purpose: i64,
        /// The day it was given (today when left out)
        #[arg(long, value_name = "DATE", default_value = "")]
        granted: String,
        /// written, electronic, egov or other
        #[arg(long, default_value = "written")]
        form: String,
        /// Valid until (none: until the purpose is achieved)
        #[arg(long, value_name = "DATE", default_value = "")]
        until: String,
        /// The list of data it covers
        #[arg(long, value_name = "TEXT", default_value = "")]
        data: String,
    },
    /// Record the same holding for each
    Holding {
        #[command(flatten)]
        who: Who,
        /// The category's id
        #[arg(long)]
        category: i64,
        /// The purpose's id
        #[arg(long)]
        purpose: i64,
        /// consent, contract, law, legitimate_interest or public
        #[arg(long)]
        basis: String,
        /// The contract's number, the law's article
        #[arg(long, value_name = "TEXT", default_value = "")]
        basis_ref: String,
        #[arg(long, value_name = "DATE", default_value = "")]
        since: String,
        #[arg(long, value_name = "DATE", default_value = "")]
        until: String,
    },
    /// End every holding of a purpose
    EndHoldings {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        purpose: i64,
        /// The last day (today when left out)
        #[arg(long, value_name = "DATE", default_value = "")]
        on: String,
    },
    /// Withdraw the consents in force (of one purpose, or all)
    Withdraw {
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        purpose: Option<i64>,
        #[arg(long, value_name = "DATE", default_value = "")]
        on: String,
        /// email, paper, in_person, egov, phone or other
        #[arg(long, default_value = "paper")]
        channel: String,
    },
    /// Put on the stop-list: marketing refused
    StopList {
        #[command(flatten)]
        who: Who,
        #[arg(long, value_name = "DATE", default_value = "")]
        on: String,
        #[arg(long, default_value = "paper")]
        channel: String,
    },
}

fn bulk_run(vault: &mut Vault, ctx: &Ctx, who: &Who, change: bulk::Change) -> Result<(), Error> {
    let sel = who.selection();
    let out = if who.dry_run {
        bulk::preview(vault.conn(), &sel, &change, ctx.today)?
    } else {
        bulk::run(vault, &sel, &change, ctx.today, Utc::now())?
    };
    let refused: Vec<String> = out
        .refused
        .iter()
        .map(|(c, n)| format!("{n} {c}"))
        .collect();
    println!(
        "{} selected: {} {}, {} unchanged{}",
        out.selected,
        out.changed,
        if who.dry_run {
            "would change"
        } else {
            "changed"
        },
        out.unchanged,
        if refused.is_empty() {
            String::new()
        } else {
            format!(", refused: {}", refused.join(", "))
        }
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct Basis {
    /// The subject's record number
    id: i64,
    /// Why (the law, the order, the request's demand)
    #[arg(long, value_name = "TEXT", default_value = "")]
    basis: String,
    /// The request this carries out
    #[arg(long, value_name = "N")]
    request: Option<i64>,
}

impl Basis {
    fn of(&self) -> blocking::Basis {
        blocking::Basis {
            request_id: self.request,
            text: self.basis.clone(),
        }
    }
}

#[derive(clap::Args)]
pub struct Erase {
    #[command(flatten)]
    basis: Basis,
    /// What an anonymization keeps: birth_year, sex, holdings (comma-separated)
    #[arg(long, value_name = "LIST", value_parser = keep, default_value = "")]
    keep: Keep,
    #[command(flatten)]
    lang: Lang,
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::Import {
                file,
                skip_invalid,
                update_duplicates,
                add_unknown,
            } => {
                let table = derbes::files::sheet::read_table(&file)
                    .map_err(about("the file to import", &file))?;
                import::check_headers(&table.headers)?;
                let mapping = import::guess_mapping(&table.headers);
                let checked =
                    import::check_adding(vault.conn(), &table, &mapping, add_unknown, ctx.today)?;
                let r = &checked.report;
                for i in r.notes.iter().chain(&r.issues) {
                    print_issue(i.line, i.field, i.code);
                }
                for u in &r.unknown {
                    let what = if add_unknown {
                        "added to the catalogue"
                    } else {
                        "not in the catalogue (--add-unknown adds it)"
                    };
                    println!("{} {:?}: {what}, {} rows", u.kind, u.name, u.rows);
                }
                println!(
                    "{} rows: {} new, {} already registered, {} invalid",
                    r.rows, r.new, r.existing, r.invalid_rows
                );
                if let Some(shape) = r.shape {
                    let shape = match shape {
                        "row_per_purpose" => "a person on several rows, one purpose each",
                        "purposes_in_cell" => "several purposes in one cell",
                        _ => "one row per person",
                    };
                    println!(
                        "what is held: {} holdings, {} consents ({shape}; {} rows joined)",
                        r.holdings, r.consents, r.merged_rows
                    );
                }
                if r.invalid_rows > 0 && !skip_invalid {
                    println!(
                        "nothing written: fix the rows above, or run again with --skip-invalid"
                    );
                    return Ok(ExitCode::from(1));
                }
                let options = import::Options {
                    duplicates: if update_duplicates {
                        import::Duplicates::Update
                    } else {
                        import::Duplicates::Skip
                    },
                    skip_invalid,
                    add_unknown,
                };
                let done = import::commit(vault, &table, checked, options, Utc::now())?;
                println!(
                    "written: {} created, {} updated, {} skipped; {} holdings, {} consents, {} catalogue entries added",
                    done.created,
                    done.updated,
                    done.skipped,
                    done.holdings,
                    done.consents,
                    done.catalog_added
                );
            }
            Cmd::Export { file, lang } => {
                let n = export_table(&file, |w, f| {
                    derbes::registry::export::subjects(vault.conn(), w, f, lang.lang)
                        .map(|n| n as u64)
                })?;
                leaving(vault, "subjects.exported", format!("{n} subjects"))?;
                eprintln!("{n} subjects exported");
            }
            Cmd::Block(b) => {
                blocking::block(vault, b.id, &b.of(), Utc::now())?;
                println!("subject {} blocked", b.id);
            }
            Cmd::Unblock(b) => {
                blocking::unblock(vault, b.id, &b.of(), Utc::now())?;
                println!("subject {} unblocked", b.id);
            }
            Cmd::Bulk(b) => {
                use derbes::registry::bulk::Change;
                let (who, change) = match b {
                    BulkCmd::Consent {
                        who,
                        purpose,
                        granted,
                        form,
                        until,
                        data,
                    } => (
                        who,
                        Change::RecordConsent {
                            consent: derbes::registry::consent::ConsentInput {
                                purpose_id: purpose,
                                granted_at: granted,
                                form,
                                valid_until: until,
                                data_list: data,
                                ..Default::default()
                            },
                        },
                    ),
                    BulkCmd::Holding {
                        who,
                        category,
                        purpose,
                        basis,
                        basis_ref,
                        since,
                        until,
                    } => (
                        who,
                        Change::AddHolding {
                            holding: derbes::registry::holding::HoldingInput {
                                category_id: category,
                                purpose_id: purpose,
                                basis,
                                basis_ref,
                                source: String::new(),
                                since,
                                until,
                            },
                        },
                    ),
                    BulkCmd::EndHoldings { who, purpose, on } => (
                        who,
                        Change::EndHoldings {
                            purpose_id: purpose,
                            on,
                        },
                    ),
                    BulkCmd::Withdraw {
                        who,
                        purpose,
                        on,
                        channel,
                    } => (
                        who,
                        Change::WithdrawConsents {
                            purpose_id: purpose,
                            on,
                            channel,
                        },
                    ),
                    BulkCmd::StopList { who, on, channel } => {
                        (who, Change::StopList { on, channel })
                    }
                };
                bulk_run(vault, ctx, &who, change)?;
            }
            Cmd::Destroy(e) => erase(vault, ctx, Action::Destroy, e)?,
            Cmd::Anonymize(e) => erase(vault, ctx, Action::Anonymize, e)?,
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn erase(vault: &mut Vault, ctx: &Ctx, action: Action, e: Erase) -> Result<(), Error> {
    let order = erasure::Order {
        action,
        subjects: vec![e.basis.id],
        basis: e.basis.of(),
        keep: e.keep,
        lang: e.lang.lang,
    };
    let done = erasure::run(vault, &order, ctx.today, Utc::now())?;
    let verb = match action {
        Action::Destroy => "destroyed",
        Action::Anonymize => "anonymized",
    };
    println!("subject {} {verb}; act {}", e.basis.id, done.act.number);
    Ok(())
}
