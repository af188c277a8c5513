//! The wording of documents (issue 19): shown, saved as a new version from a text file, its
//! history, reset to the built-in text.

use super::OnVault;
use crate::ctx::Ctx;
use chrono::Utc;
use derbes::base::language::Language;
use derbes::documents::letters::{Kind, template};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

fn kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s)
        .filter(|k| template::editable(*k))
        .ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL
                .iter()
                .filter(|k| template::editable(**k))
                .map(|k| k.name())
                .collect();
            format!("{}, not {s:?}", names.join(", "))
        })
}

fn lang(s: &str) -> Result<Language, String> {
    Language::parse(s).ok_or_else(|| format!("ru, kk or en, not {s:?}"))
}

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Every kind and language: the version in force (`built-in` or vN)
    List,
    /// The wording in force, as a text file takes it: the heading on the first line, a blank
    /// line, the paragraphs before the tables separated by blank lines, a line `---`, the
    /// paragraphs after them. Variables: {name} {request} {received} {incoming} {due} {date}
    /// {operator} {authority} {clause}
    Show {
        #[arg(value_parser = kind)]
        kind: Kind,
        #[arg(value_parser = lang)]
        lang: Language,
        /// Filled with sample values, as the preview in Settings
        #[arg(long)]
        preview: bool,
    },
    /// Save the wording of FILE (the form `show` prints) as a new version
    Set {
        #[arg(value_parser = kind)]
        kind: Kind,
        #[arg(value_parser = lang)]
        lang: Language,
        file: PathBuf,
    },
    /// The versions, newest first: number, when, `reset` for a return to the built-in text
    History {
        #[arg(value_parser = kind)]
        kind: Kind,
        #[arg(value_parser = lang)]
        lang: Language,
    },
    /// Back to the built-in wording (a new version of the history)
    Reset {
        #[arg(value_parser = kind)]
        kind: Kind,
        #[arg(value_parser = lang)]
        lang: Language,
    },
}

const LANGS: [Language; 3] = [Language::Ru, Language::Kk, Language::En];

fn print(t: &template::Template) {
    println!("{}\n", t.title);
    println!("{}", t.intro.join("\n\n"));
    println!("\n---\n");
    println!("{}", t.outro.join("\n\n"));
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, _: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::List => {
                for k in Kind::ALL.iter().copied().filter(|k| template::editable(*k)) {
                    for l in LANGS {
                        let t = template::current(vault.conn(), k, l)?;
                        println!(
                            "{}\t{}\t{}",
                            k.name(),
                            l.code(),
                            t.version
                                .map_or_else(|| "built-in".to_owned(), |v| format!("v{v}"))
                        );
                    }
                }
            }
            Cmd::Show {
                kind,
                lang,
                preview,
            } => {
                let t = template::current(vault.conn(), kind, lang)?;
                print(&if preview { template::preview(&t) } else { t });
            }
            Cmd::Set { kind, lang, file } => {
                let text = derbes::base::limits::read_capped(&file, 256 * 1024)
                    .map_err(crate::output::about("the wording", &file))?;
                let text = String::from_utf8_lossy(&text).replace("\r\n", "\n");
                let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
                let (before, after) = rest.split_once("\n---\n").unwrap_or((rest, ""));
                let paras = |s: &str| -> Vec<String> {
                    s.split("\n\n")
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_owned)
                        .collect()
                };
                let v = template::save(
                    vault,
                    kind,
                    lang,
                    head,
                    &paras(before),
                    &paras(after),
                    Utc::now(),
                )?;
                println!("v{v}");
            }
            Cmd::History { kind, lang } => {
                for h in template::history(vault.conn(), kind, lang)? {
                    println!(
                        "v{}\t{}{}",
                        h.version,
                        h.created_at,
                        if h.reset { "\treset" } else { "" }
                    );
                }
            }
            Cmd::Reset { kind, lang } => {
                let v = template::reset(vault, kind, lang, Utc::now())?;
                if v == 0 {
                    println!("built-in already");
                } else {
                    println!("v{v}: the built-in wording");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
