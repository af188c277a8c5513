//! Who must not get marketing mail (policy 6.2): the list, refusals recorded, a mailing list
//! cleaned, addresses checked.

use super::{Lang, OnVault, date};
use crate::ctx::{Ctx, usage};
use crate::output::{about, export_table, leaving, with_output};
use chrono::{NaiveDate, Utc};
use derbes::registry::suppression::{self, Whom};
use derbes::requests::refusal::{self, FromRequest};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// The suppression list (e-mails, phones, reason, since) as CSV, or .xlsx / .ods by extension
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
    /// Write IN without the rows that must not get marketing mail (the kept rows as they were);
    /// the stop-list's keyed entries match too
    Clean {
        /// The mailing list (CSV or a workbook)
        input: PathBuf,
        /// The cleaned list (`-` for standard output)
        output: String,
        /// Also remove the rows of people without a marketing consent in force
        #[arg(long)]
        require_consent: bool,
    },
    /// Record a refusal of marketing: the subject's (--subject), or the one a request carries
    /// (--request N): when its sender is not in the registry, the sender's address goes on the
    /// stop-list, kept as a keyed digest that outlives any destruction
    Refuse {
        /// The subject who refused
        #[arg(long, value_name = "ID")]
        subject: Option<i64>,
        /// The request that carries the refusal (a refusal by request is dated the day it was
        /// received)
        #[arg(long, value_name = "N")]
        request: Option<i64>,
        /// How it came: email, paper, in_person, egov, phone, other
        #[arg(long, value_name = "CHANNEL")]
        channel: Option<String>,
        /// The day of the refusal, with --subject [default: today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        on: Option<NaiveDate>,
    },
    /// Who is on the list: whom, reason, since, the addresses that can be shown, how many are kept
    /// only as keyed digests (tab-separated)
    List,
    /// For each e-mail or phone, the reason it must not be mailed or `not listed`; exit 1 if one
    /// is neither
    Check {
        /// The addresses
        #[arg(required = true, value_name = "ADDRESS")]
        addresses: Vec<String>,
    },
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        let today = ctx.today;
        match self {
            Cmd::Export { file, lang } => {
                let mut done = suppression::Exported::default();
                export_table(&file, |w, f| {
                    done = suppression::export(vault.conn(), w, f, lang.lang, today)?;
                    Ok(done.lines as u64)
                })?;
                leaving(
                    vault,
                    "suppression.exported",
                    format!(
                        "{} lines, {} keyed addresses not exportable",
                        done.lines, done.hashed
                    ),
                )?;
                eprintln!("{} lines of the suppression list written", done.lines);
                if done.hashed > 0 {
                    eprintln!(
                        "{} addresses of erased people are kept only as keyed digests and cannot \
                         be written out; they are still removed by `suppression clean`",
                        done.hashed
                    );
                }
            }
            Cmd::Clean {
                input,
                output,
                require_consent,
            } => {
                let table = derbes::files::sheet::read_table(&input)
                    .map_err(about("the mailing list", &input))?;
                let mut report = None;
                with_output(&output, |w| {
                    report = Some(suppression::clean(
                        vault.conn(),
                        &table,
                        w,
                        require_consent,
                        today,
                    )?);
                    Ok(())
                })?;
                if let Some(r) = report {
                    leaving(
                        vault,
                        "mailing_list.cleaned",
                        format!("{} rows, {} removed", r.rows, r.removed),
                    )?;
                    let reasons: Vec<String> = r
                        .removed_by_reason
                        .iter()
                        .map(|(k, n)| format!("{} {n}", k.name()))
                        .collect();
                    eprintln!(
                        "{} rows: {} kept, {} removed ({})",
                        r.rows,
                        r.kept,
                        r.removed,
                        reasons.join(", ")
                    );
                }
            }
            Cmd::Refuse {
                subject,
                request,
                channel,
                on,
            } => match (subject, request) {
                (Some(s), r) => {
                    let on = on.unwrap_or(today);
                    let channel = channel.as_deref().unwrap_or("other");
                    suppression::refuse_marketing(vault, s, on, channel, r, Utc::now())?;
                    println!("refusal of subject {s} recorded; its addresses are on the stop-list");
                }
                (None, Some(r)) => {
                    if on.is_some() {
                        usage(
                            "a refusal by request is dated the day the request was received; \
                             --on goes with --subject",
                        );
                    }
                    match refusal::refuse_from_request(vault, r, today, Utc::now())? {
                        FromRequest::Subject { .. } => println!(
                            "refusal of request {r} recorded for its subject; its addresses are \
                             on the stop-list"
                        ),
                        FromRequest::Sender { kind, added: true } => println!(
                            "the sender of request {r} ({}) is on the stop-list",
                            kind.name()
                        ),
                        FromRequest::Sender { added: false, .. } => {
                            println!("the sender of request {r} was on the stop-list already")
                        }
                    }
                }
                (None, None) => usage("suppression refuse needs --request N or --subject ID"),
            },
            Cmd::List => {
                for l in suppression::listed(vault.conn(), today)? {
                    let whom = match l.whom {
                        Whom::Subject(id) => format!("subject {id}"),
                        Whom::Erased(id) => format!("erased {id}"),
                        Whom::Request(id) => format!("request {id}"),
                        Whom::Entry(id) => format!("entry {id}"),
                    };
                    let mut addresses: Vec<String> =
                        l.emails.iter().chain(&l.phones).cloned().collect();
                    if l.hashed > 0 {
                        addresses.push(format!("{} keyed", l.hashed));
                    }
                    println!(
                        "{whom}\t{}\t{}\t{}",
                        l.reason.name(),
                        l.since(),
                        addresses.join(", ")
                    );
                }
            }
            Cmd::Check { addresses } => {
                let checker = suppression::Checker::new(vault.conn(), today, false)?;
                let mut bad = false;
                for a in &addresses {
                    match checker.check(a) {
                        Ok(Some(r)) => println!("{a}\t{}", r.name()),
                        Ok(None) => println!("{a}\tnot listed"),
                        Err(_) => {
                            bad = true;
                            println!("{a}\tnot an e-mail address or phone number");
                        }
                    }
                }
                if bad {
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
