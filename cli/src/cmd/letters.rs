//! Letters and acts: the register, a document's stored copy, issuing, printing.

use super::{Lang, OnVault, Standalone};
use crate::ctx::Ctx;
use crate::output::{export_table, leaving, write_file};
use chrono::Utc;
use derbes::documents::letters::{self, Kind};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// The register of issued letters and acts: number, date, type, request id (tab-separated,
    /// newest first)
    List {
        /// Only the documents of this year
        #[arg(long)]
        year: Option<i32>,
    },
    /// Write an issued document's PDF back out, byte for byte
    Export {
        /// Its outgoing number
        number: String,
        /// The file to write
        file: PathBuf,
    },
    /// Write an issued document as an e-mail message file (.eml) to its requester: To the address
    /// the request came from (else the person's e-mail), the outgoing number and the document's
    /// name as subject, In-Reply-To the request's Message-ID when it came by mail, a cover text in
    /// the document's language, the PDF attached byte for byte — for a mail program to open and
    /// send. Prints the address it is for.
    Reply {
        /// Its outgoing number
        number: String,
        /// The message file to write
        file: PathBuf,
    },
    /// Open a new message in the desktop's mail program (Thunderbird's -compose when it is the
    /// default, else xdg-email) to the requester, with the PDF attached from the private outbox
    /// (emptied when the window next starts); prints the program and the address
    Mail {
        /// Its outgoing number
        number: String,
    },
    /// Issue a letter answering a request with the proposed wording; prints its number. A
    /// confirmation is refused unless its action is recorded on that request and the vault
    /// agrees; an extract listing data on a consent no longer in force is refused with a warning
    /// unless --accept-warnings.
    Issue(Issue),
    /// Send an issued document to a CUPS queue (the default queue unless --printer)
    Print {
        /// Its outgoing number
        number: String,
        /// The queue (`letters printers` lists them)
        #[arg(long, value_name = "NAME")]
        printer: Option<String>,
    },
    /// The CUPS print queues, the default one marked
    Printers(Printers),
    /// The register of issued documents as a table (CSV, .xlsx or .ods)
    Register {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
}

#[derive(clap::Args)]
pub struct Issue {
    /// The request it answers
    #[arg(long, value_name = "ID")]
    request: i64,
    /// The document: access-extract, confirm-update, confirm-block, confirm-unblock,
    /// confirm-withdrawal, confirm-marketing, no-data, answer, refusal, authority-answer; between
    /// request and answer: acknowledgement (with the due date), extension-notice (the new date
    /// and reason), clarification-request (while the request waits for its requester)
    #[arg(long, value_name = "DOCTYPE", value_parser = doc)]
    doc: Kind,
    #[command(flatten)]
    lang: Lang,
    /// The answer of `answer` (paragraphs split by a blank line), added to the others
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Issue it although the draft warns
    #[arg(long)]
    accept_warnings: bool,
}

fn doc(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("unknown document type {s:?}"))
}

#[derive(clap::Args)]
pub struct Printers;

impl Standalone for Printers {
    fn run(self, _: &Ctx) -> Result<ExitCode, Error> {
        for p in derbes::files::print::printers()? {
            let mark = if p.is_default { "\tdefault" } else { "" };
            println!("{}{mark}", p.name);
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn unknown_number() -> Error {
    Error::Invalid(vec![derbes::FieldIssue {
        field: "number",
        code: "letter.not_found",
    }])
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::List { year } => list(vault, year)?,
            Cmd::Export { number, file } => {
                let row = letters::by_number(vault.conn(), &number)?.ok_or_else(unknown_number)?;
                let pdf = letters::pdf(vault.conn(), row.id)?;
                write_file(&file, &pdf)?;
                leaving(vault, "letter.saved", format!("letter {}", row.id))?;
                eprintln!("{}: {} bytes, sha256 {}", row.number, pdf.len(), row.sha256);
            }
            Cmd::Issue(i) => issue(vault, ctx, i)?,
            Cmd::Mail { number } => {
                let row = letters::by_number(vault.conn(), &number)?.ok_or_else(unknown_number)?;
                let reply = letters::reply::reply(vault.conn(), row.id)?;
                let path = derbes::files::outbox::put(&reply.file_name, &reply.pdf)?;
                let program = derbes::files::mailer::open(&derbes::files::mailer::Compose {
                    to: &reply.to_address,
                    subject: &reply.subject,
                    body: &reply.text,
                    attachment: &path,
                })?;
                leaving(
                    vault,
                    "letter.emailed",
                    format!("letter {} via {}", row.id, program.name()),
                )?;
                println!("{}\t{}", program.name(), reply.to_address);
            }
            Cmd::Reply { number, file } => {
                let row = letters::by_number(vault.conn(), &number)?.ok_or_else(unknown_number)?;
                let reply = letters::reply::reply(vault.conn(), row.id)?;
                let eml = letters::reply::message(&reply, chrono::Local::now().fixed_offset());
                write_file(&file, &eml)?;
                leaving(vault, "letter.reply_written", format!("letter {}", row.id))?;
                println!("{}", reply.to_address);
            }
            Cmd::Print { number, printer } => {
                let row = letters::by_number(vault.conn(), &number)?.ok_or_else(unknown_number)?;
                let pdf = letters::pdf(vault.conn(), row.id)?;
                let queue = match printer {
                    Some(p) => p,
                    None => derbes::files::print::printers()?
                        .into_iter()
                        .find(|p| p.is_default)
                        .map(|p| p.name)
                        .ok_or(Error::NoPrinter)?,
                };
                let job = derbes::files::print::print(&queue, &row.number, &pdf)?;
                leaving(vault, "letter.printed", format!("letter {}", row.id))?;
                println!("{job}");
            }
            Cmd::Printers(p) => return p.run(ctx),
            Cmd::Register { file, lang } => {
                let n = export_table(&file, |w, f| letters::export(vault.conn(), w, f, lang.lang))?;
                leaving(vault, "letters.register_exported", format!("{n} documents"))?;
                eprintln!("{n} documents");
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn list(vault: &Vault, year: Option<i32>) -> Result<(), Error> {
    let q = letters::Query {
        year,
        limit: 500,
        ..Default::default()
    };
    let mut offset = 0;
    loop {
        let page = letters::list(
            vault.conn(),
            &letters::Query {
                offset,
                ..q.clone()
            },
        )?;
        for r in &page.rows {
            let request = r
                .request_id
                .map_or_else(|| "-".to_owned(), |id| id.to_string());
            println!(
                "{}\t{}\t{}\t{request}",
                r.number,
                r.issued_on,
                r.kind.name()
            );
        }
        offset += page.rows.len() as u32;
        if page.rows.is_empty() || u64::from(offset) >= page.total {
            return Ok(());
        }
    }
}

fn issue(vault: &mut Vault, ctx: &Ctx, i: Issue) -> Result<(), Error> {
    let source = letters::Source {
        kind: i.doc,
        lang: i.lang.lang,
        request_id: Some(i.request),
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: None,
    };
    let mut edits = letters::Edits {
        accept_warnings: i.accept_warnings,
        ..letters::Edits::default()
    };
    if let Some(text) = i.text {
        // The text takes the placeholder's place in a plain answer, else it is added.
        let mut intro = letters::draft(vault.conn(), &source, ctx.today)?.intro;
        let placeholder = letters::wording::ANSWER_PLACEHOLDER;
        intro.retain(|p| !placeholder.contains(&p.trim()));
        intro.extend(text.split("\n\n").map(str::to_owned));
        edits.intro = Some(intro);
    }
    let row = letters::issue(vault, &source, &edits, ctx.today, Utc::now())?;
    println!("{}\t{}\t{} page(s)", row.number, row.issued_on, row.pages);
    Ok(())
}
