//! Retention: what is held past its time, and the sweep carried out in one batch with one act.

use super::{Lang, OnVault, keep};
use crate::ctx::Ctx;
use crate::output::{leaving, with_output};
use chrono::Utc;
use derbes::erasure::{Action, Keep, retention};
use derbes::{Error, Vault};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// The data held past its retention period as CSV (record numbers, categories, purposes,
    /// reasons; no names)
    Report {
        /// The file to write (`-`, the default, for standard output)
        #[arg(default_value = "-")]
        file: String,
    },
    /// Carry the sweep out in one batch with one act: destroy or anonymize
    Apply {
        /// destroy or anonymize
        #[arg(value_parser = action)]
        action: Action,
        /// What an anonymization keeps: birth_year, sex, holdings (comma-separated)
        #[arg(long, value_name = "LIST", value_parser = keep, default_value = "")]
        keep: Keep,
        #[command(flatten)]
        lang: Lang,
    },
}

fn action(s: &str) -> Result<Action, String> {
    Action::parse(s).ok_or_else(|| format!("destroy or anonymize, not {s:?}"))
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::Report { file } => {
                let sweep = retention::sweep(vault.conn(), ctx.today)?;
                with_output(&file, |w| retention::report_csv(vault.conn(), &sweep, w))?;
                leaving(
                    vault,
                    "retention.reported",
                    format!("{} holdings", sweep.holdings),
                )?;
                eprintln!(
                    "{} people past retention as a whole, {} in part, {} holdings",
                    sweep.whole, sweep.partial, sweep.holdings
                );
            }
            Cmd::Apply { action, keep, lang } => {
                let done = retention::carry_out(
                    vault,
                    action,
                    keep,
                    None,
                    lang.lang,
                    ctx.today,
                    Utc::now(),
                )?;
                println!(
                    "{} subjects, {} holdings; act {}",
                    done.subjects, done.holdings, done.act.number
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
