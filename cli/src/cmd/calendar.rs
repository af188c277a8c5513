//! The vault's working-day calendar: a day set, a year shown with its reasons, a year imported.

use super::{OnVault, date};
use crate::ctx::Ctx;
use crate::output::about;
use chrono::{NaiveDate, Utc};
use derbes::base::calendar::DayOverride;
use derbes::requests::workdays::{self, DayChange, ImportMode};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Mark a day: off (a holiday), working (a working Saturday by decree) or plain (as the
    /// week); open requests' due dates are recomputed
    Set {
        /// The day
        #[arg(value_name = "YYYY-MM-DD", value_parser = date)]
        day: NaiveDate,
        /// off, working or plain
        #[arg(value_parser = change)]
        kind: DayChange,
        /// Why (the decree, the order)
        #[arg(long, value_name = "TEXT", default_value = "")]
        note: String,
    },
    /// Every non-working weekday and working weekend day of YEAR with its reason (holiday, moved
    /// holiday, decree transfer, user edit), and whether the year is confirmed
    Show {
        /// The year
        year: i32,
    },
    /// Merge a CSV (date;kind;note) into a year: each line overrides one day, the others stay;
    /// the days that change are printed before anything is written
    Import {
        /// The year
        year: i32,
        /// The CSV file
        file: PathBuf,
        /// Make the file the whole year instead of merging it
        #[arg(long)]
        replace: bool,
        /// Print the changes and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

fn change(s: &str) -> Result<DayChange, String> {
    match s {
        "off" => Ok(DayChange::Off),
        "working" => Ok(DayChange::Working),
        "plain" => Ok(DayChange::Plain),
        _ => Err(format!("off, working or plain, not {s:?}")),
    }
}

fn word(k: Option<DayOverride>) -> &'static str {
    match k {
        Some(DayOverride::Off) => "day off",
        Some(DayOverride::Working) => "working day",
        None => "as the week",
    }
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::Set { day, kind, note } => {
                let n = workdays::set_day(vault, day, kind, &note, ctx.today, Utc::now())?;
                println!("{day} set; {n} open due dates recomputed");
            }
            Cmd::Show { year } => {
                let view = workdays::show_year(vault.conn(), year)?;
                if view.confirmed {
                    println!("{year}: confirmed (kept in the vault)");
                } else {
                    println!(
                        "{year}: not confirmed — only the holidays the law fixes in advance; \
                         Kurban Ait and decree transfers are unknown until set"
                    );
                }
                for d in &view.days {
                    println!(
                        "{}\t{}\t{}\t{}",
                        d.day,
                        d.day.format("%a"),
                        word(Some(d.kind)),
                        d.reason.describe()
                    );
                }
            }
            Cmd::Import {
                year,
                file,
                replace,
                dry_run,
            } => {
                workdays::check_year(year)?;
                let table = derbes::files::csv_table::read_file(&file)
                    .map_err(about("the calendar file", &file))?;
                let mode = if replace {
                    ImportMode::Replace
                } else {
                    ImportMode::Merge
                };
                let plan = match workdays::plan_import(vault.conn(), &table, year, mode) {
                    Ok(plan) => plan,
                    Err(Error::CalendarRows(rows)) => {
                        for (line, code) in rows {
                            println!("line {line}: {} [{code}]", derbes::error::describe(code));
                        }
                        println!("nothing written");
                        return Ok(ExitCode::from(1));
                    }
                    Err(e) => return Err(e),
                };
                for c in &plan.changes {
                    println!("{}: {} -> {}", c.day, word(c.before), word(c.after));
                }
                if dry_run {
                    println!("{} days would change; nothing written", plan.changes.len());
                } else {
                    let (n, moved) = workdays::apply_import(vault, &plan, ctx.today, Utc::now())?;
                    println!("{year}: {n} days changed; {moved} open due dates recomputed");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
