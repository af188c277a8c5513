//! Requests: registered from e-mail messages, the register exported, the period report.

use super::{Lang, OnVault};
use crate::ctx::Ctx;
use crate::output::{export_table, leaving, with_output, write_file};
use chrono::{Local, Offset, Utc};
use derbes::files::eml;
use derbes::requests::{intake, report, request};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Register requests from e-mail messages (.eml): one line per file — name, type (or
    /// `other`), subject id (or `unmatched`), due date; a malformed file gets an error line, the
    /// rest go on (exit 1 if one failed)
    ImportEml {
        /// The messages
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The requests register (CSV, or .xlsx / .ods by extension)
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::ImportEml { files } => return import_eml(vault, ctx, &files),
            Cmd::Export { file, lang } => {
                let n = export_table(&file, |w, f| request::export(vault.conn(), w, f, lang.lang))?;
                leaving(vault, "requests.exported", format!("{n} requests"))?;
                eprintln!("{n} requests");
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn import_eml(vault: &mut Vault, ctx: &Ctx, files: &[PathBuf]) -> Result<ExitCode, Error> {
    let today = ctx.today;
    let office = Local::now().offset().fix();
    let mut failed = 0;
    for file in files {
        let name = file.display();
        // A regular file, read through the message cap (a FIFO or /dev/zero is refused).
        let result = derbes::base::limits::read_capped(file, eml::MAX_BYTES as u64)
            .map_err(|e| match e {
                Error::InputTooLarge { .. } => Error::MessageMalformed("too large for a message"),
                e => e,
            })
            .and_then(|bytes| eml::parse(&bytes))
            .and_then(|msg| {
                let draft = intake::draft(vault.conn(), &msg, office, today)?;
                let mut input = draft.input();
                if input.received_on.is_empty() {
                    // No readable, plausible Date: the day it is registered.
                    input.received_on = today.to_string();
                }
                let id = request::create_from_mail(
                    vault,
                    &input,
                    &draft.mail_origin(),
                    today,
                    Utc::now(),
                )?;
                Ok((draft, id))
            });
        match result {
            Ok((draft, id)) => {
                let r = request::get(vault.conn(), id, today)?;
                let subject = draft
                    .subject_id
                    .map_or_else(|| "unmatched".to_owned(), |s| s.to_string());
                let dup = match draft.duplicates.first() {
                    Some(d) => format!("\tlikely duplicate of request {d}"),
                    None => String::new(),
                };
                let mut notes = String::new();
                if !draft.sender_raw.is_empty() || draft.sender.is_empty() {
                    notes.push_str("\tsender unknown: the From header is kept to read and fix");
                }
                if draft.date_ignored {
                    notes.push_str("\tthe Date header is implausible: received on the import date");
                }
                println!(
                    "{name}\t{}\t{subject}\t{}\trequest {id}{dup}{notes}",
                    draft.kind, r.due_on
                );
            }
            Err(Error::AlreadyRegistered { id }) => {
                println!("{name}\talready registered as request {id}");
            }
            Err(e) => {
                failed += 1;
                println!("{name}\terror\t{e} [{}]", e.code());
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args)]
pub struct Report {
    /// The period: a month (2026-11), a quarter (2026-Q4) or a year (2026)
    #[arg(value_parser = period)]
    period: report::Period,
    /// The file to write: PDF when it ends in .pdf, else CSV (`-` for standard output)
    file: String,
    #[command(flatten)]
    lang: Lang,
}

fn period(s: &str) -> Result<report::Period, String> {
    report::Period::parse(s)
        .ok_or_else(|| format!("a month, quarter or year (2026-11, 2026-Q4 or 2026), not {s:?}"))
}

impl OnVault for Report {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        let lang = self.lang.lang;
        let r = report::period(vault.conn(), self.period, ctx.today)?;
        if self.file.to_lowercase().ends_with(".pdf") {
            let pdf = report::to_pdf(&r, lang, Utc::now())?;
            write_file(&PathBuf::from(&self.file), &pdf)?;
        } else {
            with_output(&self.file, |w| report::to_csv(&r, lang, w))?;
        }
        leaving(vault, "report.exported", format!("{} — {}", r.from, r.to))?;
        eprintln!(
            "{} — {}: {} requests; {} of {} due by {} answered on time, {} late, {} open overdue",
            r.from,
            r.to,
            r.total.received,
            r.total.on_time,
            r.total.due_by_now(),
            r.as_of,
            r.total.late,
            r.total.overdue
        );
        Ok(ExitCode::SUCCESS)
    }
}
