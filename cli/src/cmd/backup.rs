//! Backups: write, verify, restore, rotate; the safety copies a restore keeps.

use super::{OnVault, Standalone};
use crate::ctx::Ctx;
use crate::output::about;
use chrono::Utc;
use derbes::app::backup;
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

/// With the vault's passphrase unless --backup-passphrase-file or $DERBES_BACKUP_PASSPHRASE gives
/// another; named derbes-backup-<date>-<time>.derbes.
#[derive(clap::Args)]
pub struct Export {
    /// The folder to write the backup into
    dir: PathBuf,
}

impl OnVault for Export {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        let p = ctx.backup_passphrase(true)?;
        let made = backup::export(vault, &self.dir, p.as_ref(), Utc::now())
            .map_err(about("the backup folder", &self.dir))?;
        println!(
            "{}\t{} bytes\t{} subjects, {} requests, {} letters",
            made.path.display(),
            made.bytes,
            made.manifest.count("subject"),
            made.manifest.count("request"),
            made.manifest.count("letter")
        );
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct Verify {
    /// The backup file
    file: PathBuf,
}

impl Standalone for Verify {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        let p = ctx.existing_backup_passphrase()?;
        let v = match backup::verify(&self.file, &p) {
            Ok(v) => v,
            Err(e) => {
                println!("bad: {e} [{}]", e.code());
                return Ok(ExitCode::from(1));
            }
        };
        println!(
            "good: {} subjects, {} requests, {} letters, {} journal entries; made {} by Derbes {} (schema {})",
            v.subjects(),
            v.requests(),
            v.letters(),
            v.journal_entries,
            v.manifest.created_at,
            v.manifest.app_version,
            v.manifest.schema_version
        );
        if let Some(f) = &v.anchor {
            println!(
                "but its journal differs from the one recorded on this computer: {} [{}]",
                f.describe(),
                f.code()
            );
            return Ok(ExitCode::from(1));
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The vault then opens with the backup's passphrase. Where there is no vault yet (a new
/// computer), the backup becomes the vault.
#[derive(clap::Args)]
pub struct Restore {
    /// The backup file
    file: PathBuf,
}

impl Standalone for Restore {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        let file = &self.file;
        if !ctx.vault_path().exists() {
            // No vault here yet (a new computer): the backup becomes the vault.
            let p = ctx.existing_backup_passphrase()?;
            let vault = backup::restore_new(&ctx.vault_path(), file, &p, Utc::now())?;
            let s = derbes::app::status::status(&vault, ctx.today)?;
            println!(
                "restored: {} subjects into {}",
                s.subjects,
                vault.path().display()
            );
            eprintln!(
                "warning: there was no vault here, so people destroyed or anonymized after this \
                 backup was made cannot be erased again: do it anew from the acts you keep"
            );
            return Ok(ExitCode::SUCCESS);
        }
        let vault = ctx.unlock()?;
        // The backup's passphrase: another one if given, else the vault's own.
        let p = ctx.existing_backup_passphrase()?;
        let prepared = backup::prepare_restore(&vault, file, &p, Utc::now())
            .map_err(about("the backup", file))?;
        let safety = prepared.safety_copy.clone();
        let subjects = prepared.verified.subjects();
        let carried = prepared.carried.clone();
        let vault = backup::finish_restore(vault, prepared, &p, Utc::now())?;
        println!(
            "restored: {subjects} subjects into {}; the previous vault is kept as {}",
            vault.path().display(),
            safety.display()
        );
        if carried.destroyed + carried.anonymized + carried.holdings_ended > 0 {
            println!(
                "{} people destroyed and {} anonymized since this backup were erased again \
                 ({} holdings ended again, {} acts kept)",
                carried.destroyed, carried.anonymized, carried.holdings_ended, carried.acts
            );
        }
        if carried.stop_entries > 0 {
            println!(
                "{} stop-list entries recorded since this backup were kept",
                carried.stop_entries
            );
        }
        if carried.other_vault {
            eprintln!(
                "warning: this backup is not an earlier copy of this vault: the people \
                 destroyed or anonymized here, and the stop-list's entries, could not be \
                 matched in it and were not carried over"
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}

/// The vault's safety copies (*.before-restore-*) go by the same rule; the newest is always kept.
#[derive(clap::Args)]
pub struct Rotate {
    /// The folder of backups
    dir: PathBuf,
    /// Keep the newest backup of each of the last N days
    #[arg(long, value_name = "N", default_value_t = backup::Rotation::default().daily)]
    daily: u32,
    /// ... of each of the last N weeks
    #[arg(long, value_name = "N", default_value_t = backup::Rotation::default().weekly)]
    weekly: u32,
    /// ... of each of the last N months
    #[arg(long, value_name = "N", default_value_t = backup::Rotation::default().monthly)]
    monthly: u32,
}

impl Standalone for Rotate {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        let keep = backup::Rotation {
            daily: self.daily,
            weekly: self.weekly,
            monthly: self.monthly,
        };
        for p in backup::rotate(&self.dir, keep)? {
            println!("removed {}", p.display());
        }
        for p in backup::rotate_safety_copies(&ctx.vault_path(), keep)? {
            println!("removed {}", p.display());
        }
        Ok(ExitCode::SUCCESS)
    }
}

#[derive(clap::Args)]
pub struct SafetyCopies;

impl Standalone for SafetyCopies {
    fn run(self, ctx: &Ctx) -> Result<ExitCode, Error> {
        for c in backup::safety_copies(&ctx.vault_path())? {
            println!(
                "{}\t{}\t{}",
                c.made.format("%Y-%m-%d %H:%M:%S"),
                c.bytes,
                c.path.display()
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}
