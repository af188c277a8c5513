//! `derbes-cli`: the command-line companion of the Derbes window, for unattended work. It only
//! parses arguments into typed values, calls the core, and prints. Passphrases come from
//! `DERBES_PASSPHRASE`, `--passphrase-file` or a prompt — never from the command line, where other
//! users could read them in the process list.
//!
//! One file per command group under `cmd/`, each holding its arguments (clap derive: the help is
//! the doc comments) and what it runs; a group that works on the vault implements
//! [`cmd::OnVault`], so the vault is unlocked for it by type, never by a list.

mod cmd;
mod ctx;
mod output;
mod secret;

use clap::Parser;
use std::process::ExitCode;

/// Invocations worth knowing, shown under the commands in `--help`.
const EXAMPLES: &str = "\
Examples:
  derbes-cli init                                   create a vault (asks for the passphrase twice)
  DERBES_PASSPHRASE=… derbes-cli status             or --passphrase-file FILE, or a prompt
  derbes-cli deadline --type access --received 2026-03-20
  derbes-cli requests import-eml inbox/*.eml        register requests from e-mail messages
  derbes-cli suppression refuse --request N         a refusal of marketing carried by a request
  derbes-cli backup /media/usb                      a verified, encrypted backup
  derbes-cli <command> --help                       what a command takes

Environment:
  DERBES_VAULT              the vault file when --vault is not given
  DERBES_PASSPHRASE         the passphrase (for scripts; prefer a file readable only by you)
  DERBES_NEW_PASSPHRASE     the new passphrase of `passwd`
  DERBES_BACKUP_PASSPHRASE  the backup's passphrase, when it is not the vault's
  DERBES_LOG                what is logged to standard error (default: warn)";

/// The Derbes personal-data registry (Law 94-V) from the command line.
///
/// Every command works on the same vault as the window, through the same core: what the window
/// can do to the data, this can do too, for scripts, cron and tests. Exit status: 0 done, 1 the
/// command failed or found a problem, 2 the command line is wrong.
#[derive(Parser)]
#[command(name = "derbes-cli", version, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    global: ctx::Global,
    #[command(subcommand)]
    command: cmd::Command,
}

/// A closed pipe (`derbes-cli letters list | head -1`) ends the command quietly, as it does any
/// Unix tool: SIGPIPE back to its default action (Rust ignores it, and the next `println!` would
/// panic). Nothing is lost: output is printed after the transaction that it reports has committed,
/// and a kill mid-transaction leaves the last committed state (the vault's kill tests).
fn default_sigpipe() {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: restoring the default disposition of one signal, before any thread is started.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

fn main() -> ExitCode {
    default_sigpipe();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DERBES_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if cli.global.passphrase.is_some() {
        ctx::usage(
            "a passphrase is never taken from the command line: use DERBES_PASSPHRASE or --passphrase-file",
        );
    }
    let ctx = ctx::Ctx::new(cli.global);
    match cli.command.run(&ctx) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("derbes-cli: error [{}]: {e}", e.code());
            ExitCode::from(1)
        }
    }
}
