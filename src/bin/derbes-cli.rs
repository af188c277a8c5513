//! `derbes-cli`: the command-line companion of the Derbes window, for unattended work. It only
//! parses arguments into typed values, calls the core, and prints. Passphrases come from
//! `DERBES_PASSPHRASE`, `--passphrase-file` or a prompt — never from the command line, where other
//! users could read them in the process list.

use chrono::{Local, NaiveDate, Utc};
use derbes::deadline::{default_rule, due_date};
use derbes::{Error, Iin, Passphrase, RequestKind, Vault, calendar::Calendar, paths};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
derbes-cli — the Derbes personal-data registry from the command line

Usage: derbes-cli [--vault PATH] [--passphrase-file FILE] <command> [arguments]

Commands:
  init                 create a new vault (asks for a passphrase twice)
  demo                 create the demo vault, or open it, and print its status
  status               schema version and counts of the vault
  passwd               change the vault's passphrase (--new-passphrase-file FILE,
                       DERBES_NEW_PASSPHRASE, or a prompt)
  check-iin IIN...     print `valid` or the reason for each IIN; exit 1 if any is invalid
  deadline --type TYPE --received YYYY-MM-DD
                       print the due date of a request (built-in calendar)
  journal verify       check the journal's hash chain
  help                 this text

Options:
  --vault PATH             the vault file (default: $DERBES_VAULT, else ~/.local/share/derbes/vault.derbes)
  --passphrase-file FILE   read the passphrase from the first line of FILE
Environment:
  DERBES_PASSPHRASE        the passphrase (for scripts; prefer a file readable only by you)
";

/// A usage error: exit code 2.
struct Usage(String);

enum Command {
    Init,
    Demo,
    Status,
    Passwd {
        new_file: Option<PathBuf>,
    },
    CheckIin(Vec<String>),
    Deadline {
        kind: RequestKind,
        received: NaiveDate,
    },
    JournalVerify,
    Help,
}

struct Args {
    vault: Option<PathBuf>,
    passphrase_file: Option<PathBuf>,
    command: Command,
}

fn parse_args(mut raw: Vec<String>) -> Result<Args, Usage> {
    let mut vault = None;
    let mut passphrase_file = None;
    let mut new_file = None;
    let mut kind = None;
    let mut received = None;
    let mut positional = Vec::new();
    raw.reverse();
    while let Some(a) = raw.pop() {
        let mut value = |name: &str| {
            raw.pop()
                .ok_or_else(|| Usage(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--vault" => vault = Some(PathBuf::from(value("--vault")?)),
            "--passphrase-file" => {
                passphrase_file = Some(PathBuf::from(value("--passphrase-file")?))
            }
            "--new-passphrase-file" => {
                new_file = Some(PathBuf::from(value("--new-passphrase-file")?))
            }
            "--type" => {
                kind =
                    Some(RequestKind::parse(&value("--type")?).map_err(|e| Usage(e.to_string()))?)
            }
            "--received" => {
                let v = value("--received")?;
                received = Some(NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                    Usage(format!("--received takes a date as YYYY-MM-DD, not {v:?}"))
                })?);
            }
            "--passphrase" => {
                return Err(Usage(
                    "a passphrase is never taken from the command line: use DERBES_PASSPHRASE or --passphrase-file".into(),
                ));
            }
            "-h" | "--help" => positional.insert(0, "help".to_owned()),
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}"))),
            _ => positional.push(a),
        }
    }
    let mut it = positional.into_iter();
    let command = match it.next().as_deref() {
        None | Some("help") => Command::Help,
        Some("init") => Command::Init,
        Some("demo") => Command::Demo,
        Some("status") => Command::Status,
        Some("passwd") => Command::Passwd { new_file },
        Some("check-iin") => {
            let list: Vec<String> = it.by_ref().collect();
            if list.is_empty() {
                return Err(Usage("check-iin needs at least one IIN".into()));
            }
            Command::CheckIin(list)
        }
        Some("deadline") => Command::Deadline {
            kind: kind.ok_or_else(|| Usage("deadline needs --type TYPE".into()))?,
            received: received
                .ok_or_else(|| Usage("deadline needs --received YYYY-MM-DD".into()))?,
        },
        Some("journal") => match it.next().as_deref() {
            Some("verify") => Command::JournalVerify,
            _ => return Err(Usage("journal takes: verify".into())),
        },
        Some(other) => return Err(Usage(format!("unknown command {other:?}"))),
    };
    if let Some(extra) = it.next() {
        return Err(Usage(format!("unexpected argument {extra:?}")));
    }
    Ok(Args {
        vault,
        passphrase_file,
        command,
    })
}

/// The passphrase from a file, the environment, or the terminal.
fn read_passphrase(
    file: Option<&PathBuf>,
    env: &str,
    prompt: &str,
    confirm: bool,
) -> Result<String, Error> {
    if let Some(f) = file {
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(f)?);
        return Ok(text.lines().next().unwrap_or("").to_owned());
    }
    if let Ok(p) = std::env::var(env) {
        return Ok(p);
    }
    let first = rpassword::prompt_password(prompt)?;
    if confirm {
        let again = zeroize::Zeroizing::new(rpassword::prompt_password("Repeat: ")?);
        if *again != first {
            return Err(Error::PassphraseMismatch);
        }
    }
    Ok(first)
}

fn print_status(vault: &Vault) -> Result<(), Error> {
    let s = derbes::status::status(vault, Local::now().date_naive())?;
    println!("vault: {}", vault.path().display());
    println!("schema: {}", s.schema_version);
    println!("demo: {}", if s.is_demo { "yes" } else { "no" });
    println!("subjects: {}", s.subjects);
    println!("consents: {}", s.consents);
    println!(
        "requests: {} ({} open, {} overdue, {} due today)",
        s.requests, s.open_requests, s.overdue_requests, s.due_today
    );
    println!("journal entries: {}", s.journal_entries);
    Ok(())
}

fn run(args: Args) -> Result<ExitCode, Error> {
    let vault_path = || args.vault.clone().unwrap_or_else(paths::default_vault);
    let unlock = || -> Result<Vault, Error> {
        let p = read_passphrase(
            args.passphrase_file.as_ref(),
            "DERBES_PASSPHRASE",
            "Passphrase: ",
            false,
        )?;
        Vault::open(&vault_path(), &Passphrase::existing(p)?, Utc::now())
    };
    match &args.command {
        Command::Help => print!("{USAGE}"),
        Command::Init => {
            let path = vault_path();
            if path.exists() {
                return Err(Error::VaultExists);
            }
            let p = read_passphrase(
                args.passphrase_file.as_ref(),
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
        }
        Command::Demo => {
            let path = args.vault.clone().unwrap_or_else(paths::demo_vault);
            let vault = derbes::demo::open_or_create(&path, Local::now().date_naive(), Utc::now())?;
            print_status(&vault)?;
        }
        Command::Status => print_status(&unlock()?)?,
        Command::Passwd { new_file } => {
            let mut vault = unlock()?;
            let p = read_passphrase(
                new_file.as_ref(),
                "DERBES_NEW_PASSPHRASE",
                "New passphrase: ",
                true,
            )?;
            vault.change_passphrase(&Passphrase::new_secret(p)?, Utc::now())?;
            println!("passphrase changed");
        }
        Command::CheckIin(list) => {
            let mut all_valid = true;
            for raw in list {
                match Iin::parse(raw) {
                    Ok(_) => println!("{raw}: valid"),
                    Err(e) => {
                        all_valid = false;
                        println!("{raw}: invalid: {e}");
                    }
                }
            }
            return Ok(if all_valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Deadline { kind, received } => {
            let due = due_date(&default_rule(*kind), *received, &Calendar::builtin());
            println!("{due}");
        }
        Command::JournalVerify => {
            let vault = unlock()?;
            let n = derbes::journal::verify(vault.conn())?;
            println!("journal intact: {n} entries");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DERBES_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = match parse_args(std::env::args().skip(1).collect()) {
        Ok(a) => a,
        Err(Usage(msg)) => {
            eprintln!("derbes-cli: {msg}\nRun `derbes-cli --help` for the commands.");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("derbes-cli: error [{}]: {e}", e.code());
            ExitCode::from(1)
        }
    }
}
