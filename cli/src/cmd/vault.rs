//! The vault itself: create it, open the demo, its figures, its check, its passphrase.

use super::{OnVault, Standalone};
use crate::ctx::Ctx;
use crate::output::print_status;
use crate::secret::read_passphrase;
use chrono::Utc;
use derbes::base::paths;
use derbes::{Error, Passphrase, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Init;

impl Standalone for Init {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        let path = ctx.vault_path();
        if path.exists() {
            return Err(Error::VaultExists);
        }
        let p = read_passphrase(
            ctx.global.passphrase_file.as_ref(),
            "DERBES_PASSPHRASE",
            "New passphrase: ",
            true,
        )?;
        let pass = Passphrase::new_secret(p)?;
        let strength = pass.strength();
        let vault = Vault::create(&path, &pass, Utc::now())?;
        println!(
            "created {} (passphrase strength: {})",
            vault.path().display(),
            strength.code()
        );
        Ok(ExitCode::SUCCESS)
    }
}

/// The demo vault lives apart from the real one (--vault chooses another file).
#[derive(clap::Args)]
pub struct Demo;

impl Standalone for Demo {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        let path = ctx.global.vault.clone().unwrap_or_else(paths::demo_vault);
        let vault = derbes::app::demo::open_or_create(&path, ctx.today, Utc::now())?;
        print_status(&vault, ctx.today)?;
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Status;

impl OnVault for Status {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        print_status(vault, ctx.today)?;
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Reminders {
    /// Consents ending within this many days (1 to 366; else the vault's setting)
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=366))]
    days: Option<u32>,
}

impl OnVault for Reminders {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        let r = derbes::app::reminders::reminders(vault.conn(), ctx.today, self.days)?;
        for c in &r.consents {
            println!(
                "consent {} of subject {} (purpose {}) ends on {}",
                c.consent_id, c.subject_id, c.purpose_id, c.valid_until
            );
        }
        if r.consents_total > r.consents.len() {
            println!(
                "… and {} more consents",
                r.consents_total - r.consents.len()
            );
        }
        for h in &r.holdings {
            println!(
                "holding {} of subject {} (purpose {}, category {}) ends on {} ({})",
                h.holding_id,
                h.subject_id,
                h.purpose_id,
                h.category_id,
                h.ends_on,
                h.reason.name()
            );
        }
        if r.holdings_total > r.holdings.len() {
            println!(
                "… and {} more holdings",
                r.holdings_total - r.holdings.len()
            );
        }
        for q in &r.requests {
            println!("request {} ({}) is due on {}", q.id, q.kind, q.due_on);
        }
        if let Some(y) = r.calendar_unconfirmed {
            println!(
                "the working-day calendar of {y} is not confirmed: check it against the government's decree (calendar import {y} FILE)"
            );
        }
        if r.count() == 0 {
            // Nothing to do prints nothing: cron mails nothing.
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{} consents end within {} days, {} holdings within {} days, {} requests due on {}",
            r.consents_total,
            r.consent_days,
            r.holdings_total,
            r.holding_days,
            r.requests.len(),
            r.next_working_day
        );
        Ok(ExitCode::from(1))
    }
}

#[derive(clap::Args)]
pub struct Check;

impl OnVault for Check {
    fn run(self, vault: &mut Vault, _: &Ctx) -> Result<ExitCode, Error> {
        let started = std::time::Instant::now();
        let report = derbes::vault::check::run(vault)?;
        let took = started.elapsed();
        // A damaged vault may refuse the write that records the check; the result stands.
        if let Err(e) = derbes::vault::check::record(vault, &report, Utc::now()) {
            eprintln!("the check could not be journaled: {e} [{}]", e.code());
        }
        if !report.is_good() {
            for p in &report.problems {
                println!("bad: {} [{}]", p.describe(), p.code());
            }
            return Ok(ExitCode::from(1));
        }
        println!(
            "good: {} pages authenticated, structure intact, {} journal entries chained and anchored ({} ms)",
            report.pages,
            report.journal_entries,
            took.as_millis()
        );
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Passwd {
    /// Read the new passphrase from the first line of FILE (else $DERBES_NEW_PASSPHRASE, else a
    /// prompt, twice)
    #[arg(long, value_name = "FILE")]
    new_passphrase_file: Option<PathBuf>,
}

impl OnVault for Passwd {
    fn run(self, vault: &mut Vault, _: &Ctx) -> Result<ExitCode, Error> {
        let p = read_passphrase(
            self.new_passphrase_file.as_ref(),
            "DERBES_NEW_PASSPHRASE",
            "New passphrase: ",
            true,
        )?;
        vault.change_passphrase(&Passphrase::new_secret(p)?, Utc::now())?;
        println!("passphrase changed");
        Ok(ExitCode::SUCCESS)
    }
}
