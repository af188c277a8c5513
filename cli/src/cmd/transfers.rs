//! The register of transfers of personal data to third parties and abroad.

use super::{Lang, OnVault};
use crate::ctx::Ctx;
use crate::output::{export_table, leaving};
use derbes::{Error, Vault};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// The register (record numbers, recipient, country, basis, overrides; CSV, or .xlsx / .ods
    /// by extension)
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, _: &Ctx) -> Result<ExitCode, Error> {
        let Cmd::Export { file, lang } = self;
        let n = export_table(&file, |w, f| {
            derbes::registry::transfer::export(vault.conn(), w, f, lang.lang)
        })?;
        leaving(vault, "transfers.exported", format!("{n} transfers"))?;
        eprintln!("{n} transfers");
        Ok(ExitCode::SUCCESS)
    }
}
