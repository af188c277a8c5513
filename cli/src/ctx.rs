//! What every command shares: the global options, today's date, and the vault unlocked on demand.

use crate::secret::{read_line_of, read_passphrase};
use chrono::{Local, NaiveDate, Utc};
use clap::CommandFactory;
use derbes::base::paths;
use derbes::{Error, Passphrase, Vault};
use std::path::PathBuf;

/// The options every command takes, before or after its name.
#[derive(clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// The vault file [default: $DERBES_VAULT, else ~/.local/share/derbes/vault.derbes]
    #[arg(long, global = true, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Read the passphrase from the first line of FILE (else $DERBES_PASSPHRASE, else a prompt)
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// The backup's passphrase, when it is not the vault's (else $DERBES_BACKUP_PASSPHRASE)
    #[arg(long, global = true, value_name = "FILE")]
    pub backup_passphrase_file: Option<PathBuf>,
    /// Refused: a passphrase on the command line can be read by other users in the process list.
    #[arg(long, global = true, hide = true, value_name = "PASSPHRASE")]
    pub passphrase: Option<String>,
}

pub struct Ctx {
    pub global: Global,
    /// Today in the office's time zone: the date business rules are given.
    pub today: NaiveDate,
}

/// A usage error found after parsing: printed as clap prints its own, exit status 2.
pub fn usage(message: &str) -> ! {
    crate::Cli::command()
        .error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
}

impl Ctx {
    pub fn new(global: Global) -> Ctx {
        Ctx {
            global,
            today: Local::now().date_naive(),
        }
    }

    pub fn vault_path(&self) -> PathBuf {
        self.global
            .vault
            .clone()
            .unwrap_or_else(paths::default_vault)
    }

    /// Unlocks the vault with the passphrase from the file, the environment or a prompt; warns of
    /// what the unlock found (a journal diverging from its anchor, an interrupted rekey).
    pub fn unlock(&self) -> Result<Vault, Error> {
        let p = read_passphrase(
            self.global.passphrase_file.as_ref(),
            "DERBES_PASSPHRASE",
            "Passphrase: ",
            false,
        )?;
        let vault = Vault::open(&self.vault_path(), &Passphrase::existing(p)?, Utc::now())?;
        if let Some(f) = vault.anchor_finding() {
            eprintln!(
                "warning: the journal diverges from its anchor: {} [{}]; recorded in the journal",
                f.describe(),
                f.code()
            );
        }
        if vault.passphrase_interrupted() {
            eprintln!(
                "warning: a passphrase change was interrupted before it finished; the vault opened \
                 with the passphrase given now, which is the one it has"
            );
        }
        Ok(vault)
    }

    /// An existing backup's passphrase: another one if given, else the vault's own sources.
    pub fn existing_backup_passphrase(&self) -> Result<Passphrase, Error> {
        match self.backup_passphrase(false)? {
            Some(p) => Ok(p),
            None => Passphrase::existing(read_passphrase(
                self.global.passphrase_file.as_ref(),
                "DERBES_PASSPHRASE",
                "Backup passphrase: ",
                false,
            )?),
        }
    }

    /// The backup's own passphrase, when one is given (file or environment); `new`: for a backup
    /// being written, which needs a passphrase as long as a vault's.
    pub fn backup_passphrase(&self, new: bool) -> Result<Option<Passphrase>, Error> {
        let wrap = |p: String| {
            if new {
                Passphrase::new_secret(p)
            } else {
                Passphrase::existing(p)
            }
        };
        if let Some(f) = &self.global.backup_passphrase_file {
            return wrap(read_line_of(f)?).map(Some);
        }
        match std::env::var("DERBES_BACKUP_PASSPHRASE") {
            Ok(p) => wrap(p).map(Some),
            Err(_) => Ok(None),
        }
    }
}
