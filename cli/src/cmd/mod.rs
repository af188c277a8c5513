//! The commands. A group that works on the unlocked vault implements [`OnVault`]; one that needs
//! no vault (or opens it in its own way: `init`, `demo`, `restore` onto a new computer) implements
//! [`Standalone`]. The dispatcher only says which is which by calling the trait's `run`.

mod backup;
mod calendar;
mod forms;
mod journal;
mod letters;
mod requests;
mod retention;
mod setup;
mod subjects;
mod suppression;
mod templates;
mod tools;
mod transfers;
mod vault;

use crate::ctx::Ctx;
use chrono::NaiveDate;
use clap::Subcommand;
use derbes::base::language::Language;
use derbes::{Error, Vault};
use std::process::ExitCode;

/// A command that works on the vault, unlocked for it before it runs.
pub trait OnVault {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error>;
}

/// A command that needs no vault, or opens one in its own way.
pub trait Standalone {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error>;
}

#[derive(Subcommand)]
pub enum Command {
    /// Create a new vault (asks for a passphrase twice)
    Init(vault::Init),
    /// Create the demo vault, or open it, and print its status
    Demo(vault::Demo),
    /// Schema version and counts of the vault, and what needs attention soon
    Status(vault::Status),
    /// What needs attention before it is late: consents that expire within the days given
    /// (the vault's setting, 30 unless changed), holdings whose retention ends within 30 days,
    /// requests due on the next working day, and in December a next-year calendar not yet
    /// confirmed. Records by number only (no names: cron mails what it prints). Exit 1 when
    /// anything is listed, 0 when nothing is
    Reminders(vault::Reminders),
    /// The whole vault: every page authenticated, SQLite's integrity check, the journal's chain
    /// and anchor; prints `good` or each problem, exit 1 on any
    Check(vault::Check),
    /// Change the vault's passphrase
    Passwd(vault::Passwd),
    /// Print `valid` or the reason for each IIN; exit 1 if any is invalid
    CheckIin(tools::CheckIin),
    /// The due date of a request: by the vault's calendar and terms with --vault, else by the
    /// built-in calendar
    Deadline(tools::Deadline),
    /// Write a verified, encrypted backup of the vault into DIR
    Backup(backup::Export),
    /// Check a backup: passphrase, every page, counts, journal; prints what it holds, or what is
    /// wrong (exit 1)
    Verify(backup::Verify),
    /// Replace the vault with a verified backup (a safety copy of the current vault is kept)
    Restore(backup::Restore),
    /// Delete the backups in DIR beyond the newest of each of the last days, weeks and months
    Rotate(backup::Rotate),
    /// List the copies of the vault kept before each restore: date, size, file
    SafetyCopies(backup::SafetyCopies),
    /// The period report (PERIOD: 2026-11, 2026-Q4 or 2026) as CSV, or as PDF when FILE ends in
    /// .pdf
    Report(requests::Report),
    /// The registry of subjects: import, export, block, unblock, destroy, anonymize
    #[command(subcommand)]
    Subjects(subjects::Cmd),
    /// Requests: import from e-mail messages, export the register
    #[command(subcommand)]
    Requests(requests::Cmd),
    /// Letters and acts: the register, issuing, printing
    #[command(subcommand)]
    Letters(letters::Cmd),
    /// Paper consent forms: printed with their number in a QR code, recorded by that number
    #[command(subcommand)]
    Forms(forms::Cmd),
    /// The wording of each document kind per language: show, set from a file, history, reset
    #[command(subcommand)]
    Templates(templates::Cmd),
    /// The vault's working-day calendar
    #[command(subcommand)]
    Calendar(calendar::Cmd),
    /// Data held past its retention period
    #[command(subcommand)]
    Retention(retention::Cmd),
    /// The journal: its chain and anchor, an export for an inspection
    #[command(subcommand)]
    Journal(journal::Cmd),
    /// The register of transfers to third parties and abroad
    #[command(subcommand)]
    Transfers(transfers::Cmd),
    /// Who must not get marketing mail: refusals, the stop-list, cleaning a mailing list
    #[command(subcommand)]
    Suppression(suppression::Cmd),
    /// The operator's letterhead, which every document and act is printed on
    #[command(subcommand)]
    Letterhead(setup::LetterheadCmd),
    /// The catalogues: categories of data, purposes with their retention, policy versions
    #[command(subcommand)]
    Catalog(setup::CatalogCmd),
    /// Print a completion script for SHELL (bash, zsh, fish, elvish, powershell)
    Completions(tools::Completions),
    /// Write the man pages into DIR (derbes-cli.1 and one per command)
    #[command(hide = true)]
    Man(tools::Man),
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        fn on_vault(c: impl OnVault, ctx: &Ctx) -> Result<ExitCode, Error> {
            c.run(&mut ctx.unlock()?, ctx)
        }
        match self {
            Command::Init(c) => c.run(ctx),
            Command::Demo(c) => c.run(ctx),
            Command::Status(c) => on_vault(c, ctx),
            Command::Reminders(c) => on_vault(c, ctx),
            Command::Check(c) => on_vault(c, ctx),
            Command::Passwd(c) => on_vault(c, ctx),
            Command::CheckIin(c) => c.run(ctx),
            Command::Deadline(c) => c.run(ctx),
            Command::Backup(c) => on_vault(c, ctx),
            Command::Verify(c) => c.run(ctx),
            Command::Restore(c) => c.run(ctx),
            Command::Rotate(c) => c.run(ctx),
            Command::SafetyCopies(c) => c.run(ctx),
            Command::Report(c) => on_vault(c, ctx),
            Command::Subjects(c) => on_vault(c, ctx),
            Command::Requests(c) => on_vault(c, ctx),
            Command::Letters(letters::Cmd::Printers(c)) => c.run(ctx),
            Command::Letters(c) => on_vault(c, ctx),
            Command::Forms(c) => on_vault(c, ctx),
            Command::Templates(c) => on_vault(c, ctx),
            Command::Calendar(c) => on_vault(c, ctx),
            Command::Retention(c) => on_vault(c, ctx),
            Command::Journal(c) => on_vault(c, ctx),
            Command::Transfers(c) => on_vault(c, ctx),
            Command::Suppression(c) => on_vault(c, ctx),
            Command::Letterhead(c) => on_vault(c, ctx),
            Command::Catalog(c) => on_vault(c, ctx),
            Command::Completions(c) => c.run(ctx),
            Command::Man(c) => c.run(ctx),
        }
    }
}

/// `--lang ru|kk|en`: the language of a document or of a table's headers.
#[derive(clap::Args, Clone, Copy)]
pub struct Lang {
    /// The language: ru, kk or en
    #[arg(long = "lang", value_name = "LANG", default_value = "ru", value_parser = language)]
    pub lang: Language,
}

fn language(s: &str) -> Result<Language, String> {
    Language::parse(s).ok_or_else(|| format!("ru, kk or en, not {s:?}"))
}

/// A date as `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("a date as YYYY-MM-DD, not {s:?}"))
}

/// What an anonymization keeps, `--keep birth_year,sex,holdings`.
pub fn keep(s: &str) -> Result<derbes::erasure::Keep, String> {
    let mut keep = derbes::erasure::Keep::default();
    for w in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match w {
            "birth_year" => keep.birth_year = true,
            "sex" => keep.sex = true,
            "holdings" => keep.holdings = true,
            other => return Err(format!("birth_year, sex, holdings, not {other:?}")),
        }
    }
    Ok(keep)
}
