//! Requests: typed or registered from e-mail messages, listed, shown and taken through their
//! workflow, the register exported, the period report.

use super::{Lang, OnVault};
use crate::ctx::Ctx;
use crate::output::{about, export_table, leaving, print_issue, with_output, write_file};
use chrono::{Local, Offset, Utc};
use derbes::RequestKind;
use derbes::files::eml;
use derbes::registry::representative::{Relation, Representative};
use derbes::requests::correction::{self, RequestEdit};
use derbes::requests::request::{CancelReason, Channel, IdentityMethod, PauseReason, View};
use derbes::requests::workflow::{self, Step};
use derbes::requests::{intake, journal_import, mailbox, report, request, search};
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
    /// Read a mail folder for requests — a Maildir, or an mbox file such as Thunderbird's or
    /// Evolution's Inbox — taking only what is new since the last read (the folder is remembered
    /// the first time it is named, and never written to). Messages with the policy's subject
    /// markers or written to the letterhead's e-mail are registered as requests (one line each:
    /// number, kind, due date, subject id or `unmatched`); the others wait in `requests mail
    /// list` to be taken in or dismissed. For cron: nothing new prints nothing.
    ImportMail {
        /// The Maildir folder or the mbox file
        path: PathBuf,
        /// When naming the folder the first time: messages sent before this day are recorded as
        /// seen and not offered
        #[arg(long, value_name = "DATE", value_parser = super::date)]
        since: Option<chrono::NaiveDate>,
    },
    /// The mail folders Derbes reads and the messages waiting in their list
    #[command(subcommand)]
    Mail(MailCmd),
    /// Register a request typed from a letter, a visit or a call; prints its number and due date
    Add {
        /// The kind: access, update, block, unblock, destroy, withdraw-consent, refuse-marketing,
        /// stop-processing, authority, breach, other
        #[arg(long, value_parser = request_kind)]
        kind: RequestKind,
        /// How it came: email, paper, in_person, egov, authority
        #[arg(long, default_value = "paper", value_parser = channel)]
        channel: Channel,
        /// The registered subject it is from
        #[arg(long, value_name = "ID")]
        subject: Option<i64>,
        /// Who wrote, when not a registered subject
        #[arg(long, value_name = "NAME", default_value = "")]
        requester: String,
        /// The e-mail address it came from
        #[arg(long, value_name = "EMAIL", default_value = "")]
        sender: String,
        /// The day it was received (YYYY-MM-DD or DD.MM.YYYY; today when left out)
        #[arg(long, value_name = "DATE", default_value = "")]
        received: String,
        /// The requester's own reference
        #[arg(long = "ref", value_name = "REF", default_value = "")]
        incoming_ref: String,
        /// What is asked, in the requester's words
        #[arg(long, value_name = "TEXT", default_value = "")]
        body: String,
        /// The request it repeats or continues
        #[arg(long, value_name = "ID")]
        link: Option<i64>,
        /// Who wrote for the person: their legal representative's name
        #[arg(long, value_name = "NAME", default_value = "")]
        rep_name: String,
        /// parent, guardian or attorney
        #[arg(long, value_name = "RELATION", value_parser = relation)]
        rep_relation: Option<Relation>,
        /// The power of attorney's number (an attorney)
        #[arg(long, value_name = "NUMBER", default_value = "")]
        rep_document: String,
        /// The power of attorney's date
        #[arg(long, value_name = "DATE", default_value = "")]
        rep_date: String,
    },
    /// Import the journal of requests kept before Derbes (CSV or a workbook): received date,
    /// requester (or IIN of a registered subject), kind, channel, incoming and outgoing numbers,
    /// status, answered date; each row is reported before anything is written, then all or none
    /// (--skip-invalid writes the valid ones). Closed requests keep their outcome, open ones get
    /// their legal due date.
    Import {
        /// The journal
        file: PathBuf,
        /// Write the valid rows and leave out the others
        #[arg(long)]
        skip_invalid: bool,
    },
    /// The requests of a view, most urgent first: number, kind, status, due date, who
    List {
        /// overdue, today, week, open, new, done or all
        #[arg(long, default_value = "open", value_parser = view)]
        view: View,
    },
    /// One request and its history
    Show {
        /// The request's number
        id: i64,
    },
    /// Find requests by who wrote (name, IIN, e-mail), a number in or out, or their text, in a
    /// range of received dates; the latest first: number, received, kind, status, who
    Search {
        /// Words, each the start of a word of the request or its person (may be empty with a
        /// date range)
        #[arg(default_value = "")]
        text: String,
        /// Received on or after (YYYY-MM-DD or DD.MM.YYYY)
        #[arg(long, value_name = "DATE", default_value = "")]
        from: String,
        /// Received on or before
        #[arg(long, value_name = "DATE", default_value = "")]
        to: String,
    },
    /// Correct a request's fields; the old values are kept in its history and the due date is
    /// computed again (a cancelled request is not corrected)
    Edit {
        /// The request's number
        id: i64,
        /// The day it was received
        #[arg(long, value_name = "DATE")]
        received: Option<String>,
        /// The kind
        #[arg(long, value_parser = request_kind)]
        kind: Option<RequestKind>,
        /// How it came
        #[arg(long, value_parser = channel)]
        channel: Option<Channel>,
        /// Who wrote
        #[arg(long, value_name = "NAME")]
        requester: Option<String>,
        /// The e-mail address it came from
        #[arg(long, value_name = "EMAIL")]
        sender: Option<String>,
        /// The requester's own reference
        #[arg(long = "ref", value_name = "REF")]
        incoming_ref: Option<String>,
        /// What is asked
        #[arg(long, value_name = "TEXT")]
        body: Option<String>,
    },
    /// Attach a request from someone who was not registered to their subject, registered since
    Attach {
        /// The request's number
        id: i64,
        /// The subject's id
        #[arg(long, value_name = "ID")]
        subject: i64,
    },
    /// Register the requester as a new subject (name and e-mail taken from the request, the rest
    /// given here) and attach the request to them; prints the subject's id
    NewSubject {
        /// The request's number
        id: i64,
        /// The IIN (or --doc for a foreigner)
        #[arg(long, default_value = "")]
        iin: String,
        /// The identity document's number
        #[arg(long = "doc", value_name = "NUMBER", default_value = "")]
        doc_number: String,
        /// Replaces the surname read from the request
        #[arg(long)]
        surname: Option<String>,
        /// Replaces the given name read from the request
        #[arg(long)]
        given_name: Option<String>,
        /// Replaces the patronymic read from the request
        #[arg(long)]
        patronymic: Option<String>,
        /// A phone number
        #[arg(long, default_value = "")]
        phone: String,
    },
    #[command(flatten)]
    Step(StepCmd),
    /// The requests register (CSV, or .xlsx / .ods by extension)
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
}

/// The steps of a request's workflow (`derbes::requests::workflow::Step`), each one transaction
/// with its journal entry, refused where the workflow does not allow it.
#[derive(clap::Subcommand)]
pub enum StepCmd {
    /// Take a new request up
    Start {
        /// The request's number
        id: i64,
    },
    /// The answer was sent
    Answer {
        /// The request's number
        id: i64,
        /// The day (today when left out)
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
    },
    /// Refused, with the reason given to the requester
    Refuse {
        /// The request's number
        id: i64,
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
        /// The reason
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Done with: answered or refused, nothing left to do
    Close {
        /// The request's number
        id: i64,
    },
    /// The requester's identity was checked
    Identity {
        /// The request's number
        id: i64,
        /// in_person, signed_letter, digital_signature or egov
        #[arg(long, value_parser = identity_method)]
        method: IdentityMethod,
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
    },
    /// The clock stops, waiting for the requester
    Pause {
        /// The request's number
        id: i64,
        /// identity or clarification
        #[arg(long, value_parser = pause_reason)]
        reason: PauseReason,
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
    },
    /// The clock runs again
    Resume {
        /// The request's number
        id: i64,
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
    },
    /// The due date moves, for the reason given (Law 94-V Art. 24)
    Extend {
        /// The request's number
        id: i64,
        /// The new due date
        #[arg(long, value_name = "DATE")]
        to: String,
        /// The reason
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Cancel an open request entered in error or withdrawn by its requester: it leaves the open
    /// lists and the on-time figures and stays in the register
    Cancel {
        /// The request's number
        id: i64,
        /// error or withdrawn
        #[arg(long, value_parser = cancel_reason)]
        reason: CancelReason,
        /// In your words
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// It repeats or continues another request
    Link {
        /// The request's number
        id: i64,
        /// The other request's number
        other: i64,
    },
}

impl StepCmd {
    /// The request and the step.
    fn split(self) -> (i64, Step) {
        match self {
            StepCmd::Start { id } => (id, Step::Start),
            StepCmd::Answer { id, date } => (id, Step::Answer { date }),
            StepCmd::Refuse { id, date, reason } => (id, Step::Refuse { date, text: reason }),
            StepCmd::Close { id } => (id, Step::Close),
            StepCmd::Identity { id, method, date } => (
                id,
                Step::Identity {
                    method: Some(method),
                    date,
                },
            ),
            StepCmd::Pause { id, reason, date } => (
                id,
                Step::Pause {
                    reason: Some(reason),
                    date,
                },
            ),
            StepCmd::Resume { id, date } => (id, Step::Resume { date }),
            StepCmd::Extend { id, to, reason } => (
                id,
                Step::Extend {
                    date: to,
                    text: reason,
                },
            ),
            StepCmd::Cancel { id, reason, note } => (
                id,
                Step::Cancel {
                    reason: Some(reason),
                    text: note,
                },
            ),
            StepCmd::Link { id, other } => (
                id,
                Step::Link {
                    other_id: Some(other),
                },
            ),
        }
    }
}

fn request_kind(s: &str) -> Result<RequestKind, String> {
    RequestKind::parse(s).map_err(|e| e.to_string())
}

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> String {
    all.iter().map(|x| name(*x)).collect::<Vec<_>>().join(", ")
}

fn channel(s: &str) -> Result<Channel, String> {
    Channel::parse(s).ok_or_else(|| format!("{}, not {s:?}", names(Channel::ALL, Channel::name)))
}

fn identity_method(s: &str) -> Result<IdentityMethod, String> {
    IdentityMethod::parse(s).ok_or_else(|| {
        format!(
            "{}, not {s:?}",
            names(IdentityMethod::ALL, IdentityMethod::name)
        )
    })
}

fn pause_reason(s: &str) -> Result<PauseReason, String> {
    PauseReason::parse(s)
        .ok_or_else(|| format!("{}, not {s:?}", names(PauseReason::ALL, PauseReason::name)))
}

fn relation(s: &str) -> Result<Relation, String> {
    Relation::parse(s).ok_or_else(|| format!("{}, not {s:?}", names(Relation::ALL, Relation::name)))
}

fn cancel_reason(s: &str) -> Result<CancelReason, String> {
    CancelReason::parse(s).ok_or_else(|| {
        format!(
            "{}, not {s:?}",
            names(CancelReason::ALL, CancelReason::name)
        )
    })
}

fn view(s: &str) -> Result<View, String> {
    View::parse(s).ok_or_else(|| format!("overdue, today, week, open, new, done or all, not {s:?}"))
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::ImportEml { files } => return import_eml(vault, ctx, &files),
            Cmd::ImportMail { path, since } => return import_mail(vault, ctx, &path, since),
            Cmd::Mail(cmd) => return mail(vault, ctx, cmd),
            Cmd::Import { file, skip_invalid } => {
                let table = derbes::files::sheet::read_table(&file)
                    .map_err(about("the journal to import", &file))?;
                let checked = journal_import::check(vault.conn(), &table, ctx.today)?;
                let r = &checked.report;
                for i in r.notes.iter().chain(&r.issues) {
                    print_issue(i.line, i.field, i.code);
                }
                println!(
                    "{} rows: {} open, {} closed, {} attached to registered subjects, {} invalid",
                    r.rows, r.open, r.closed, r.attached, r.invalid_rows
                );
                if r.invalid_rows > 0 && !skip_invalid {
                    println!(
                        "nothing written: fix the rows above, or run again with --skip-invalid"
                    );
                    return Ok(ExitCode::from(1));
                }
                let done =
                    journal_import::commit(vault, checked, skip_invalid, ctx.today, Utc::now())?;
                println!("written: {} requests", done.created);
            }
            Cmd::Add {
                kind,
                channel,
                subject,
                requester,
                sender,
                received,
                incoming_ref,
                body,
                link,
                rep_name,
                rep_relation,
                rep_document,
                rep_date,
            } => {
                let input = request::RequestInput {
                    subject_id: subject,
                    requester,
                    sender,
                    kind,
                    channel,
                    // Left out: today, as the option's help says.
                    received_on: if received.trim().is_empty() {
                        ctx.today.to_string()
                    } else {
                        received
                    },
                    incoming_ref,
                    body,
                    linked_to: link,
                    representative: Representative {
                        name: rep_name,
                        relation: rep_relation,
                        document: rep_document,
                        document_date: rep_date,
                    },
                };
                let id = request::create(vault, &input, ctx.today, Utc::now())?;
                let r = request::get(vault.conn(), id, ctx.today)?;
                println!("{id}\t{}\tdue {}", r.kind.name(), r.due_on);
            }
            Cmd::List { view } => {
                let q = request::ListQuery {
                    view,
                    kind: None,
                    subject_id: None,
                    offset: 0,
                    limit: u32::MAX,
                };
                for r in request::list(vault.conn(), &q, ctx.today)?.rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.id,
                        r.kind.name(),
                        r.status.name(),
                        r.extended_to.unwrap_or(r.due_on),
                        r.who
                    );
                }
            }
            Cmd::Show { id } => {
                let d = request::detail(vault.conn(), id, ctx.today)?;
                let r = &d.request;
                println!(
                    "request {}: {} ({}), {}",
                    r.id,
                    r.kind.name(),
                    r.channel.name(),
                    r.status.name()
                );
                println!("from: {}", r.who);
                println!(
                    "received {}, due {}",
                    r.received_on,
                    r.extended_to.unwrap_or(r.due_on)
                );
                if let Some(on) = r.cancelled_on {
                    let why = r.cancel_reason.map_or("", CancelReason::name);
                    println!("cancelled {on} ({why}) {}", r.cancel_note);
                }
                for h in &d.history {
                    println!("{}\t{}\t{}", h.seq, h.at, h.entry.action);
                }
                for v in &d.revisions {
                    println!(
                        "was\t{}\t{}\t{:?} → {:?}",
                        v.changed_at, v.field, v.before, v.after
                    );
                }
            }
            Cmd::Search { text, from, to } => {
                let q = search::Query {
                    text,
                    from,
                    to,
                    offset: 0,
                    limit: 500,
                };
                let found = search::search(vault.conn(), &q, ctx.today)?;
                for r in &found.rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        r.id,
                        r.received_on,
                        r.kind.name(),
                        r.status.name(),
                        r.who
                    );
                }
                if found.total > found.rows.len() as u64 {
                    eprintln!(
                        "{} of {} shown: narrow the search",
                        found.rows.len(),
                        found.total
                    );
                } else {
                    eprintln!("{} found", found.total);
                }
            }
            Cmd::Edit {
                id,
                received,
                kind,
                channel,
                requester,
                sender,
                incoming_ref,
                body,
            } => {
                let edit = RequestEdit {
                    received_on: received,
                    kind,
                    channel,
                    requester,
                    sender,
                    incoming_ref,
                    body,
                };
                let changed = correction::edit(vault, id, &edit, ctx.today, Utc::now())?;
                let r = request::get(vault.conn(), id, ctx.today)?;
                if changed.is_empty() {
                    eprintln!("nothing changed");
                }
                println!(
                    "{id}\t{}\tdue {}\t{}",
                    r.kind.name(),
                    r.due_on,
                    changed.join(",")
                );
            }
            Cmd::Attach { id, subject } => {
                correction::attach(vault, id, subject, Utc::now())?;
                println!("{id}\tsubject {subject}");
            }
            Cmd::NewSubject {
                id,
                iin,
                doc_number,
                surname,
                given_name,
                patronymic,
                phone,
            } => {
                let mut input = correction::subject_draft(vault.conn(), id)?;
                input.iin = iin;
                input.doc_number = doc_number;
                if let Some(v) = surname {
                    input.surname = v;
                }
                if let Some(v) = given_name {
                    input.given_name = v;
                }
                if let Some(v) = patronymic {
                    input.patronymic = v;
                }
                if !phone.is_empty() {
                    input.phones.push(phone);
                }
                let subject = correction::create_subject(vault, id, &input, ctx.today, Utc::now())?;
                println!("{subject}");
            }
            Cmd::Step(step) => {
                let (id, step) = step.split();
                workflow::take(vault, id, &step, ctx.today, Utc::now())?;
                let r = request::get(vault.conn(), id, ctx.today)?;
                println!(
                    "{id}\t{}\tdue {}",
                    r.status.name(),
                    r.extended_to.unwrap_or(r.due_on)
                );
            }
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

#[derive(clap::Subcommand)]
pub enum MailCmd {
    /// The folders: number, format, messages waiting, last read, path
    Folders,
    /// Read every folder for what is new (as `requests import-mail` does for one)
    Read,
    /// The messages waiting: number, sent, sender, subject line (or why it could not be read)
    List,
    /// Register a waiting message as a request, as drafted from it (kind by its subject line,
    /// the sender matched by address)
    Take {
        /// The message's number in the list
        id: i64,
    },
    /// "Not a request": the message leaves the list (only its identity is kept, so that it is
    /// not offered again)
    Dismiss {
        /// The message's number in the list
        id: i64,
    },
    /// Stop reading a folder (what was registered from it stays)
    Remove {
        /// The folder's number
        id: i64,
    },
}

fn office() -> chrono::FixedOffset {
    Local::now().offset().fix()
}

fn print_outcome(vault: &Vault, ctx: &Ctx, o: &mailbox::Outcome) -> Result<(), Error> {
    for id in &o.registered {
        let r = request::get(vault.conn(), *id, ctx.today)?;
        let subject = r
            .subject_id
            .map_or_else(|| "unmatched".to_owned(), |s| s.to_string());
        println!("request {id}\t{}\t{}\t{subject}", r.kind, r.due_on);
    }
    if !o.is_empty() || o.earlier > 0 {
        let mut line = format!(
            "{} registered, {} waiting to be taken in or dismissed, {} unreadable",
            o.registered.len(),
            o.listed,
            o.unreadable
        );
        if o.earlier > 0 {
            line.push_str(&format!(", {} sent before the start date", o.earlier));
        }
        if o.already > 0 {
            line.push_str(&format!(", {} already known", o.already));
        }
        println!("{line}");
    }
    if o.restarted {
        println!(
            "the mbox was rewritten by the mail program (compacted): read again from its start; nothing registered twice"
        );
    }
    if o.held_back {
        println!("its last message is still being written: it will be read next time");
    }
    Ok(())
}

fn import_mail(
    vault: &mut Vault,
    ctx: &Ctx,
    path: &std::path::Path,
    since: Option<chrono::NaiveDate>,
) -> Result<ExitCode, Error> {
    let canonical = std::fs::canonicalize(path).ok();
    let known = mailbox::sources(vault.conn())?
        .into_iter()
        .find(|s| canonical.as_deref() == Some(std::path::Path::new(&s.path)));
    let id = match known {
        Some(s) => s.id,
        None => mailbox::add_source(vault, path, since, Utc::now())
            .map_err(about("the mail folder", path))?,
    };
    let o = mailbox::read(vault, id, office(), ctx.today, Utc::now())
        .map_err(about("the mail folder", path))?;
    print_outcome(vault, ctx, &o)?;
    Ok(ExitCode::SUCCESS)
}

fn mail(vault: &mut Vault, ctx: &Ctx, cmd: MailCmd) -> Result<ExitCode, Error> {
    match cmd {
        MailCmd::Folders => {
            for s in mailbox::sources(vault.conn())? {
                println!(
                    "{}\t{}\t{} waiting\t{}\t{}",
                    s.id,
                    s.format.name(),
                    s.waiting,
                    s.read_at.as_deref().unwrap_or("never read"),
                    s.path
                );
            }
        }
        MailCmd::Read => {
            let mut failed = false;
            for (id, result) in mailbox::read_all(vault, office(), ctx.today, Utc::now())? {
                match result {
                    Ok(o) => print_outcome(vault, ctx, &o)?,
                    Err(e) => {
                        failed = true;
                        println!("folder {id}\terror\t{e} [{}]", e.code());
                    }
                }
            }
            if failed {
                return Ok(ExitCode::from(1));
            }
        }
        MailCmd::List => {
            let (rows, total) = mailbox::waiting(vault.conn(), 0, i64::MAX)?;
            for w in rows {
                let what = match &w.error_code {
                    Some(code) => format!("{} [{code}]", w.subject_line),
                    None => w.subject_line.clone(),
                };
                println!(
                    "{}\t{}\t{}\t{what}",
                    w.id,
                    w.sent_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "—".into()),
                    w.sender
                );
            }
            eprintln!("{total} waiting");
        }
        MailCmd::Take { id } => {
            let d = mailbox::drafted(vault.conn(), id, office(), ctx.today, Utc::now())?;
            if let Some(e) = d.error {
                return Err(e);
            }
            let mut input = d.draft.input();
            if input.received_on.is_empty() {
                input.received_on = ctx.today.to_string();
            }
            let rid = request::create_from_mail(
                vault,
                &input,
                &d.draft.mail_origin(),
                ctx.today,
                Utc::now(),
            )?;
            let r = request::get(vault.conn(), rid, ctx.today)?;
            println!("request {rid}\t{}\t{}", r.kind, r.due_on);
        }
        MailCmd::Dismiss { id } => {
            mailbox::dismiss(vault, id, Utc::now())?;
            println!("message {id} is not a request: out of the list");
        }
        MailCmd::Remove { id } => {
            mailbox::remove_source(vault, id, Utc::now())?;
            println!("folder {id} is no longer read");
        }
    }
    Ok(ExitCode::SUCCESS)
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
