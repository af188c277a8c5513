//! The journal: its hash chain and anchor verified, or exported whole for an inspection.

use super::{Lang, OnVault};
use crate::ctx::Ctx;
use crate::output::{export_table, leaving};
use derbes::{Error, Vault};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Check the journal's hash chain and its anchor (the head kept outside the vault after every
    /// write); exit 1 if entries are missing or were rewritten
    Verify,
    /// The whole journal with its hash chain (CSV, or .xlsx / .ods by extension)
    Export {
        /// The file to write (`-` for standard output)
        file: String,
        #[command(flatten)]
        lang: Lang,
    },
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, _: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::Verify => {
                let n = derbes::vault::journal::verify(vault.conn())?;
                // The chain holds against anyone without the passphrase; the anchor kept outside
                // the vault shows what someone with it removed or rewrote.
                let recorded = derbes::vault::anchor::recorded(vault.conn())?;
                if recorded.is_empty() {
                    println!("journal intact: {n} entries, agreeing with its anchor");
                } else {
                    println!("journal chain intact: {n} entries, but it diverged from its anchor:");
                    for (found, f) in &recorded {
                        println!(
                            "  found {}: {} [{}]",
                            &found[..found.len().min(10)],
                            f.describe(),
                            f.code()
                        );
                    }
                    return Ok(ExitCode::from(1));
                }
            }
            Cmd::Export { file, lang } => {
                let n = export_table(&file, |w, f| {
                    derbes::vault::journal::export(vault.conn(), w, f, lang.lang)
                })?;
                leaving(vault, "journal.exported", format!("{n} entries"))?;
                eprintln!("{n} journal entries");
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
