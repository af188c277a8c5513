//! Commands that need no vault: IINs, deadlines by the built-in calendar, completions, man pages.

use super::{Standalone, date};
use crate::ctx::Ctx;
use chrono::{Datelike, Local};
use clap::CommandFactory;
use derbes::base::calendar::Calendar;
use derbes::base::deadline::{default_rule, due_date};
use derbes::requests::workdays;
use derbes::{Error, Iin, RequestKind};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckIin {
    /// The IINs to check (12 digits each)
    #[arg(required = true, value_name = "IIN")]
    iins: Vec<String>,
}

impl Standalone for CheckIin {
    fn run(self, _: &Ctx) -> Result<ExitCode, Error> {
        let mut all_valid = true;
        for raw in &self.iins {
            match Iin::parse_on(raw, Local::now().date_naive()) {
                Ok(_) => println!("{raw}: valid"),
                Err(e) => {
                    all_valid = false;
                    println!("{raw}: invalid: {e}");
                }
            }
        }
        Ok(if all_valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        })
    }
}

#[derive(clap::Args)]
pub struct Deadline {
    /// The kind of request (access, update, block, unblock, destroy, withdraw-consent,
    /// refuse-marketing, stop-processing, authority, breach, other)
    #[arg(long = "type", value_name = "TYPE", value_parser = kind)]
    kind: RequestKind,
    /// The day it was received
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    received: chrono::NaiveDate,
}

fn kind(s: &str) -> Result<RequestKind, String> {
    RequestKind::parse(s).map_err(|e| e.to_string())
}

impl Standalone for Deadline {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        workdays::check_year(self.received.year())?;
        let due = if ctx.global.vault.is_some() {
            let vault = ctx.unlock()?;
            let calendar = workdays::load(vault.conn(), self.received)?;
            let rule = workdays::rules(vault.conn())?
                .remove(&self.kind)
                .unwrap_or_else(|| default_rule(self.kind));
            due_date(&rule, self.received, &calendar)
        } else {
            due_date(
                &default_rule(self.kind),
                self.received,
                &Calendar::builtin(),
            )
        };
        println!("{due}");
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Completions {
    /// The shell
    shell: clap_complete::Shell,
}

impl Standalone for Completions {
    fn run(self, _: &Ctx) -> Result<ExitCode, Error> {
        let mut cmd = crate::Cli::command();
        clap_complete::generate(self.shell, &mut cmd, "derbes-cli", &mut std::io::stdout());
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Man {
    /// The folder to write the pages into
    dir: PathBuf,
}

impl Standalone for Man {
    fn run(self, _: &Ctx) -> Result<ExitCode, Error> {
        let cmd = crate::Cli::command();
        write_pages(&self.dir, &cmd, "derbes-cli")?;
        Ok(ExitCode::SUCCESS)
    }
}

/// `derbes-cli.1`, then a page for each command (`derbes-cli-backup.1`, `derbes-cli-letters-issue.1`).
fn write_pages(dir: &std::path::Path, cmd: &clap::Command, name: &str) -> Result<(), Error> {
    let cmd = cmd.clone().name(name.to_owned());
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    crate::output::write_file(&dir.join(format!("{name}.1")), &page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(dir, sub, &format!("{name}-{}", sub.get_name()))?;
    }
    Ok(())
}
