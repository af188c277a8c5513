//! `derbes-cli`: the command-line companion of the Derbes window, for unattended work. It only
//! parses arguments into typed values, calls the core, and prints. Passphrases come from
//! `DERBES_PASSPHRASE`, `--passphrase-file` or a prompt — never from the command line, where other
//! users could read them in the process list.

use chrono::{Local, NaiveDate, Offset, Utc};
use derbes::base::deadline::{default_rule, due_date};
use derbes::base::language::Language;
use derbes::{Error, Iin, Passphrase, RequestKind, Vault, base::calendar::Calendar, base::paths};
use std::io::Write;
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
                       print the due date of a request: with --vault, by the vault's
                       calendar and terms; else by the built-in calendar
  requests import-eml FILE...
                       register requests from e-mail messages (.eml); one line per
                       file: name, type (or `other`), subject id (or `unmatched`),
                       due date; a malformed file gets an error line, the rest go on
  calendar set YYYY-MM-DD off|working|plain [--note TEXT]
                       mark a day in the vault's working-day calendar (a holiday, a
                       working Saturday by decree, or as the plain week); open
                       requests' due dates are recomputed
  calendar show YEAR   every non-working weekday and working weekend day of YEAR with
                       its reason (holiday, moved holiday, decree transfer, user edit),
                       and whether the year is confirmed
  calendar import YEAR FILE [--replace] [--dry-run]
                       merge a CSV (date;kind;note) into a year: each line overrides
                       one day, the others stay; the days that change are printed
                       before anything is written. --replace makes the file the whole
                       year; --dry-run prints the changes and writes nothing
  report PERIOD FILE [--lang ru|kk|en]
                       the period report (PERIOD: 2026-11, 2026-Q4 or 2026) as CSV,
                       or as PDF when FILE ends in .pdf (`-` for CSV on standard output)
  letters list [--year YEAR]
                       the register of issued letters and acts: number, date, type,
                       request id (tab-separated, newest first)
  letters export NUMBER FILE
                       write an issued document's PDF back out, byte for byte
  letters issue --request ID --doc DOCTYPE [--lang ru|kk|en]
                       issue a letter answering a request (DOCTYPE: access-extract,
                       confirm-update, confirm-block, confirm-unblock,
                       confirm-withdrawal, confirm-marketing, no-data, answer,
                       refusal, authority-answer) with the proposed wording;
                       prints its number. A confirmation is refused unless its
                       action is recorded on that request and the vault agrees.
                       --text TEXT: the answer of `answer` (paragraphs split by a
                       blank line), added to the others. An extract listing data
                       on a consent no longer in force is refused with a warning
                       unless --accept-warnings
  letters print NUMBER [--printer NAME]
                       send an issued document to a CUPS queue (default queue
                       unless --printer); `letters printers` lists the queues
  backup DIR           write a verified, encrypted backup of the vault into DIR
                       (derbes-backup-<date>-<time>.derbes), with the vault's
                       passphrase unless --backup-passphrase-file or
                       DERBES_BACKUP_PASSPHRASE gives another
  verify FILE          check a backup: passphrase, every page, counts, journal;
                       prints what it holds, or what is wrong (exit 1)
  restore FILE         replace the vault with a verified backup (a safety copy of
                       the current vault is kept beside it); the vault then opens
                       with the backup's passphrase; where there is no vault yet
                       (a new computer), the backup becomes the vault
  rotate DIR [--daily N] [--weekly N] [--monthly N]
                       delete the backups in DIR beyond the newest of each of the
                       last N days (7), weeks (4) and months (12); the vault's
                       safety copies (*.before-restore-*) by the same rule, the
                       newest always kept
  safety-copies        list the copies of the vault kept before each restore:
                       date, size, file
  journal verify       check the journal's hash chain and its anchor (the head kept
                       outside the vault after every write); exit 1 if entries are
                       missing or were rewritten
  check                the whole vault: every page authenticated, SQLite's integrity
                       check, the journal's chain and anchor; prints `good` or each
                       problem, exit 1 on any
  subjects import FILE [--skip-invalid] [--update-duplicates]
                       import subjects from CSV (UTF-8 or Windows-1251, `;` or `,`)
                       or a workbook (.xlsx, .xls, .ods; an IIN a spreadsheet made a
                       number gets its leading zero back when it then checks out),
                       columns mapped by their headers; prints a report per row and
                       writes nothing when a row is invalid unless --skip-invalid
  subjects export FILE [--lang ru|kk|en]
                       export active subjects as CSV, or as a workbook when FILE ends
                       in .xlsx or .ods (IINs, documents and phones as text; `-` for
                       standard output)
  requests export FILE [--lang L]
                       the requests register (CSV, or .xlsx / .ods by extension)
  letters register FILE [--lang L]
                       the register of issued documents (CSV, .xlsx or .ods)
  subjects block|unblock ID --basis TEXT [--request N]
                       suspend (or resume) the processing of a subject, with the
                       stated basis or request; journaled in one transaction
  subjects destroy|anonymize ID --basis TEXT [--request N] [--keep LIST] [--lang L]
                       destroy a subject's personal data (a tombstone stays) or
                       anonymize it, keeping of LIST (birth_year,sex,holdings) what
                       is named; one transaction with the act, whose number is printed
  retention report [FILE]
                       the data held past its retention period as CSV (record
                       numbers, categories, purposes, reasons; no names); `-` or
                       no FILE for standard output
  retention apply destroy|anonymize [--keep LIST] [--lang L]
                       carry the sweep out in one batch with one act
  journal export FILE [--lang L]
                       the whole journal with its hash chain, for an inspection
                       (CSV, or .xlsx / .ods by extension)
  transfers export FILE [--lang L]
                       the register of transfers to third parties and abroad
                       (record numbers, recipient, country, basis, overrides; CSV,
                       or .xlsx / .ods by extension)
  suppression export FILE [--lang L]
                       the suppression list (e-mails, phones, reason, since) as CSV,
                       or .xlsx / .ods by extension
  suppression clean IN OUT [--require-consent]
                       write IN without the rows that must not get marketing mail
                       (the kept rows as they were); the stop-list's keyed entries
                       match too
  suppression refuse --request N | --subject ID [--request N] [--channel C] [--on DATE]
                       record a refusal of marketing (policy 6.2): the subject's, or,
                       when the request's sender is not in the registry, the sender's
                       address on the stop-list (kept as a keyed digest, it outlives
                       any destruction). By request it is dated the day the request
                       was received; --on (default today) goes with --subject
  suppression list     who is on the suppression list: whom, reason, since, the
                       addresses that can be shown, how many are kept only as keyed
                       digests (tab-separated)
  suppression check ADDRESS...
                       for each e-mail or phone, the reason it must not be mailed or
                       `not listed`; exit 1 if one is neither
  help                 this text
  version              the version (also --version, -V)

Options:
  --vault PATH             the vault file (default: $DERBES_VAULT, else ~/.local/share/derbes/vault.derbes)
  --passphrase-file FILE   read the passphrase from the first line of FILE
  --backup-passphrase-file FILE
                           the backup's passphrase, when it is not the vault's
Environment:
  DERBES_PASSPHRASE        the passphrase (for scripts; prefer a file readable only by you)
  DERBES_BACKUP_PASSPHRASE the backup's passphrase, when it is not the vault's
";

/// A usage error: exit code 2.
struct Usage(String);

enum Command {
    Init,
    Demo,
    Status,
    Check,
    Passwd {
        new_file: Option<PathBuf>,
    },
    CheckIin(Vec<String>),
    Deadline {
        kind: RequestKind,
        received: NaiveDate,
    },
    JournalVerify,
    LettersList {
        year: Option<i32>,
    },
    LettersExport {
        number: String,
        file: PathBuf,
    },
    LettersIssue {
        request: i64,
        doc: derbes::documents::letters::Kind,
        lang: Language,
        text: Option<String>,
        accept_warnings: bool,
    },
    LettersPrint {
        number: String,
        printer: Option<String>,
    },
    LettersPrinters,
    SubjectsErase {
        action: derbes::erasure::Action,
        id: i64,
        basis: derbes::registry::blocking::Basis,
        keep: derbes::erasure::Keep,
        lang: Language,
    },
    RetentionReport {
        file: String,
    },
    RetentionApply {
        action: derbes::erasure::Action,
        keep: derbes::erasure::Keep,
        lang: Language,
    },
    JournalExport {
        file: String,
        lang: Language,
    },
    TransfersExport {
        file: String,
        lang: Language,
    },
    SubjectsBlock {
        id: i64,
        basis: derbes::registry::blocking::Basis,
    },
    SubjectsUnblock {
        id: i64,
        basis: derbes::registry::blocking::Basis,
    },
    Backup {
        dir: PathBuf,
    },
    Verify {
        file: PathBuf,
    },
    Restore {
        file: PathBuf,
    },
    SafetyCopies,
    Rotate {
        dir: PathBuf,
        keep: derbes::app::backup::Rotation,
    },
    RequestsImportEml(Vec<PathBuf>),
    Report {
        period: derbes::requests::report::Period,
        file: String,
        lang: Language,
    },
    CalendarSet {
        day: NaiveDate,
        change: derbes::requests::workdays::DayChange,
        note: String,
    },
    CalendarImport {
        year: i32,
        file: PathBuf,
        mode: derbes::requests::workdays::ImportMode,
        dry_run: bool,
    },
    CalendarShow {
        year: i32,
    },
    SubjectsImport {
        file: PathBuf,
        skip_invalid: bool,
        update_duplicates: bool,
    },
    SubjectsExport {
        file: String,
        lang: Language,
    },
    SuppressionExport {
        file: String,
        lang: Language,
    },
    RequestsExport {
        file: String,
        lang: Language,
    },
    LettersRegister {
        file: String,
        lang: Language,
    },
    SuppressionClean {
        input: PathBuf,
        output: String,
        require_consent: bool,
    },
    SuppressionRefuse {
        subject: Option<i64>,
        request: Option<i64>,
        channel: Option<String>,
        on: Option<NaiveDate>,
    },
    SuppressionList,
    SuppressionCheck(Vec<String>),
    Help,
    Version,
}

struct Args {
    vault: Option<PathBuf>,
    passphrase_file: Option<PathBuf>,
    backup_passphrase_file: Option<PathBuf>,
    command: Command,
}

fn parse_args(mut raw: Vec<String>) -> Result<Args, Usage> {
    let mut vault = None;
    let mut passphrase_file = None;
    let mut new_file = None;
    let mut kind = None;
    let mut received = None;
    let mut skip_invalid = false;
    let mut replace = false;
    let mut text: Option<String> = None;
    let mut dry_run = false;
    let mut accept_warnings = false;
    let mut update_duplicates = false;
    let mut require_consent = false;
    let mut lang = Language::Ru;
    let mut erase_keep = derbes::erasure::Keep::default();
    let mut note = String::new();
    let mut year = None;
    let mut request = None;
    let mut doc = None;
    let mut printer = None;
    let mut backup_passphrase_file = None;
    let mut basis: Option<String> = None;
    let mut subject: Option<i64> = None;
    let mut channel: Option<String> = None;
    let mut on: Option<NaiveDate> = None;
    let mut keep = derbes::app::backup::Rotation::default();
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
            "--note" => note = value("--note")?,
            "--year" => {
                let v = value("--year")?;
                year = Some(
                    v.parse::<i32>()
                        .map_err(|_| Usage(format!("--year takes a year, not {v:?}")))?,
                );
            }
            "--request" => {
                let v = value("--request")?;
                request = Some(
                    v.parse::<i64>()
                        .map_err(|_| Usage(format!("--request takes a request id, not {v:?}")))?,
                );
            }
            "--doc" => {
                let v = value("--doc")?;
                doc = Some(
                    derbes::documents::letters::Kind::parse(&v)
                        .ok_or_else(|| Usage(format!("unknown document type {v:?}")))?,
                );
            }
            "--subject" => {
                let v = value("--subject")?;
                subject =
                    Some(v.parse::<i64>().map_err(|_| {
                        Usage(format!("--subject takes a record number, not {v:?}"))
                    })?);
            }
            "--channel" => channel = Some(value("--channel")?),
            "--on" => {
                let v = value("--on")?;
                on =
                    Some(NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                        Usage(format!("--on takes a date as YYYY-MM-DD, not {v:?}"))
                    })?);
            }
            "--printer" => printer = Some(value("--printer")?),
            "--basis" => basis = Some(value("--basis")?),
            "--keep" => {
                let v = value("--keep")?;
                for w in v.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                    match w {
                        "birth_year" => erase_keep.birth_year = true,
                        "sex" => erase_keep.sex = true,
                        "holdings" => erase_keep.holdings = true,
                        other => {
                            return Err(Usage(format!(
                                "--keep takes birth_year, sex, holdings, not {other:?}"
                            )));
                        }
                    }
                }
            }
            "--backup-passphrase-file" => {
                backup_passphrase_file = Some(PathBuf::from(value("--backup-passphrase-file")?))
            }
            "--daily" | "--weekly" | "--monthly" => {
                let v = value(&a)?;
                let n: u32 = v
                    .parse()
                    .map_err(|_| Usage(format!("{a} takes a number, not {v:?}")))?;
                match a.as_str() {
                    "--daily" => keep.daily = n,
                    "--weekly" => keep.weekly = n,
                    _ => keep.monthly = n,
                }
            }
            "--skip-invalid" => skip_invalid = true,
            "--replace" => replace = true,
            "--text" => text = Some(value("--text")?),
            "--dry-run" => dry_run = true,
            "--accept-warnings" => accept_warnings = true,
            "--update-duplicates" => update_duplicates = true,
            "--require-consent" => require_consent = true,
            "--lang" => {
                let v = value("--lang")?;
                lang = Language::parse(&v)
                    .ok_or_else(|| Usage(format!("--lang takes ru, kk or en, not {v:?}")))?;
            }
            "-h" | "--help" => positional.insert(0, "help".to_owned()),
            "-V" | "--version" => positional.insert(0, "version".to_owned()),
            s if s.starts_with("--") => return Err(Usage(format!("unknown option {s}"))),
            _ => positional.push(a),
        }
    }
    let mut it = positional.into_iter();
    let command = match it.next().as_deref() {
        None | Some("help") => Command::Help,
        Some("version") => Command::Version,
        Some("init") => Command::Init,
        Some("demo") => Command::Demo,
        Some("status") => Command::Status,
        Some("check") => Command::Check,
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
        Some("backup") => Command::Backup {
            dir: PathBuf::from(it.next().ok_or_else(|| Usage("backup needs DIR".into()))?),
        },
        Some("verify") => Command::Verify {
            file: PathBuf::from(it.next().ok_or_else(|| Usage("verify needs FILE".into()))?),
        },
        Some("restore") => Command::Restore {
            file: PathBuf::from(
                it.next()
                    .ok_or_else(|| Usage("restore needs FILE".into()))?,
            ),
        },
        Some("safety-copies") => Command::SafetyCopies,
        Some("rotate") => Command::Rotate {
            dir: PathBuf::from(it.next().ok_or_else(|| Usage("rotate needs DIR".into()))?),
            keep,
        },
        Some("letters") => match it.next().as_deref() {
            Some("list") => Command::LettersList { year },
            Some("export") => {
                let usage = || Usage("letters export needs NUMBER and FILE".into());
                let number = it.next().ok_or_else(usage)?;
                let file = PathBuf::from(it.next().ok_or_else(usage)?);
                Command::LettersExport { number, file }
            }
            Some("issue") => Command::LettersIssue {
                request: request.ok_or_else(|| Usage("letters issue needs --request ID".into()))?,
                doc: doc.ok_or_else(|| Usage("letters issue needs --doc DOCTYPE".into()))?,
                lang,
                text: text.take(),
                accept_warnings,
            },
            Some("print") => Command::LettersPrint {
                number: it
                    .next()
                    .ok_or_else(|| Usage("letters print needs NUMBER".into()))?,
                printer,
            },
            Some("printers") => Command::LettersPrinters,
            Some("register") => Command::LettersRegister {
                file: it
                    .next()
                    .ok_or_else(|| Usage("letters register needs a FILE (or -)".into()))?,
                lang,
            },
            _ => {
                return Err(Usage(
                    "letters takes: list, export, issue, print, printers".into(),
                ));
            }
        },
        Some("transfers") => match it.next().as_deref() {
            Some("export") => Command::TransfersExport {
                file: it
                    .next()
                    .ok_or_else(|| Usage("transfers export needs a FILE (or -)".into()))?,
                lang,
            },
            _ => return Err(Usage("transfers takes: export".into())),
        },
        Some("retention") => match it.next().as_deref() {
            Some("report") => Command::RetentionReport {
                file: it.next().unwrap_or_else(|| "-".to_owned()),
            },
            Some("apply") => {
                let a = it.next().unwrap_or_default();
                Command::RetentionApply {
                    action: derbes::erasure::Action::parse(&a).ok_or_else(|| {
                        Usage("retention apply takes destroy or anonymize".into())
                    })?,
                    keep: erase_keep,
                    lang,
                }
            }
            _ => return Err(Usage("retention takes: report, apply".into())),
        },
        Some("journal") => match it.next().as_deref() {
            Some("verify") => Command::JournalVerify,
            Some("export") => Command::JournalExport {
                file: it
                    .next()
                    .ok_or_else(|| Usage("journal export needs a FILE (or -)".into()))?,
                lang,
            },
            _ => return Err(Usage("journal takes: verify".into())),
        },
        Some("report") => {
            let usage = || Usage("report needs PERIOD (2026-11, 2026-Q4 or 2026) and FILE".into());
            let period = it
                .next()
                .and_then(|p| derbes::requests::report::Period::parse(&p))
                .ok_or_else(usage)?;
            let file = it.next().ok_or_else(usage)?;
            Command::Report { period, file, lang }
        }
        Some("calendar") => match it.next().as_deref() {
            Some("set") => {
                let usage =
                    || Usage("calendar set needs YYYY-MM-DD and off, working or plain".into());
                let day = it
                    .next()
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
                    .ok_or_else(usage)?;
                let change = match it.next().as_deref() {
                    Some("off") => derbes::requests::workdays::DayChange::Off,
                    Some("working") => derbes::requests::workdays::DayChange::Working,
                    Some("plain") => derbes::requests::workdays::DayChange::Plain,
                    _ => return Err(usage()),
                };
                Command::CalendarSet { day, change, note }
            }
            Some("import") => {
                let usage = || Usage("calendar import needs YEAR and FILE".into());
                let year = it.next().and_then(|y| y.parse().ok()).ok_or_else(usage)?;
                let file = PathBuf::from(it.next().ok_or_else(usage)?);
                Command::CalendarImport {
                    year,
                    file,
                    mode: if replace {
                        derbes::requests::workdays::ImportMode::Replace
                    } else {
                        derbes::requests::workdays::ImportMode::Merge
                    },
                    dry_run,
                }
            }
            Some("show") => {
                let usage = || Usage("calendar show needs YEAR".into());
                let year = it.next().and_then(|y| y.parse().ok()).ok_or_else(usage)?;
                Command::CalendarShow { year }
            }
            _ => return Err(Usage("calendar takes: show, set, import".into())),
        },
        Some("requests") => match it.next().as_deref() {
            Some("export") => Command::RequestsExport {
                file: it
                    .next()
                    .ok_or_else(|| Usage("requests export needs a FILE (or -)".into()))?,
                lang,
            },
            Some("import-eml") => {
                let files: Vec<PathBuf> = it.by_ref().map(PathBuf::from).collect();
                if files.is_empty() {
                    return Err(Usage("requests import-eml needs at least one FILE".into()));
                }
                Command::RequestsImportEml(files)
            }
            _ => return Err(Usage("requests takes: import-eml".into())),
        },
        Some("subjects") => match it.next().as_deref() {
            Some("import") => Command::SubjectsImport {
                file: PathBuf::from(
                    it.next()
                        .ok_or_else(|| Usage("subjects import needs a FILE".into()))?,
                ),
                skip_invalid,
                update_duplicates,
            },
            Some("export") => Command::SubjectsExport {
                file: it
                    .next()
                    .ok_or_else(|| Usage("subjects export needs a FILE (or -)".into()))?,
                lang,
            },
            Some(action @ ("destroy" | "anonymize")) => {
                let id = it
                    .next()
                    .and_then(|v| v.parse::<i64>().ok())
                    .ok_or_else(|| Usage(format!("subjects {action} needs a subject ID")))?;
                Command::SubjectsErase {
                    action: derbes::erasure::Action::parse(action)
                        .ok_or_else(|| Usage(format!("unknown action {action}")))?,
                    id,
                    basis: derbes::registry::blocking::Basis {
                        request_id: request,
                        text: basis.clone().unwrap_or_default(),
                    },
                    keep: erase_keep,
                    lang,
                }
            }
            Some(action @ ("block" | "unblock")) => {
                let id = it
                    .next()
                    .and_then(|v| v.parse::<i64>().ok())
                    .ok_or_else(|| Usage(format!("subjects {action} needs a subject ID")))?;
                let basis = derbes::registry::blocking::Basis {
                    request_id: request,
                    text: basis.clone().unwrap_or_default(),
                };
                if action == "block" {
                    Command::SubjectsBlock { id, basis }
                } else {
                    Command::SubjectsUnblock { id, basis }
                }
            }
            _ => {
                return Err(Usage(
                    "subjects takes: import, export, block, unblock, destroy, anonymize".into(),
                ));
            }
        },
        Some("suppression") => match it.next().as_deref() {
            Some("export") => Command::SuppressionExport {
                file: it
                    .next()
                    .ok_or_else(|| Usage("suppression export needs a FILE (or -)".into()))?,
                lang,
            },
            Some("clean") => Command::SuppressionClean {
                input: PathBuf::from(
                    it.next()
                        .ok_or_else(|| Usage("suppression clean needs IN and OUT".into()))?,
                ),
                output: it
                    .next()
                    .ok_or_else(|| Usage("suppression clean needs IN and OUT".into()))?,
                require_consent,
            },
            Some("refuse") => {
                if subject.is_none() && request.is_none() {
                    return Err(Usage(
                        "suppression refuse needs --request N or --subject ID".into(),
                    ));
                }
                if subject.is_none() && on.is_some() {
                    return Err(Usage(
                        "a refusal by request is dated the day the request was received; \
                         --on goes with --subject"
                            .into(),
                    ));
                }
                Command::SuppressionRefuse {
                    subject,
                    request,
                    channel: channel.clone(),
                    on,
                }
            }
            Some("list") => Command::SuppressionList,
            Some("check") => {
                let list: Vec<String> = it.by_ref().collect();
                if list.is_empty() {
                    return Err(Usage("suppression check needs an ADDRESS".into()));
                }
                Command::SuppressionCheck(list)
            }
            _ => {
                return Err(Usage(
                    "suppression takes: export, clean, refuse, list, check".into(),
                ));
            }
        },
        Some(other) => return Err(Usage(format!("unknown command {other:?}"))),
    };
    if let Some(extra) = it.next() {
        return Err(Usage(format!("unexpected argument {extra:?}")));
    }
    Ok(Args {
        vault,
        passphrase_file,
        backup_passphrase_file,
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
        // A passphrase file is one short line: read through a small cap, never a device.
        let bytes = zeroize::Zeroizing::new(
            derbes::base::limits::read_capped(f, 64 * 1024)
                .map_err(about("the passphrase file", f))?,
        );
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
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
    let s = derbes::app::status::status(vault, Local::now().date_naive())?;
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
    if let Some((found, f)) = &s.journal_divergence {
        println!(
            "journal diverged from its anchor (found {}): {} [{}]",
            &found[..found.len().min(10)],
            f.describe(),
            f.code()
        );
    }
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
        let vault = Vault::open(&vault_path(), &Passphrase::existing(p)?, Utc::now())?;
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
    };
    match &args.command {
        Command::Help => print!("{USAGE}"),
        Command::Version => println!("derbes-cli {}", env!("CARGO_PKG_VERSION")),
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
            let vault =
                derbes::app::demo::open_or_create(&path, Local::now().date_naive(), Utc::now())?;
            print_status(&vault)?;
        }
        Command::Status => print_status(&unlock()?)?,
        Command::Check => {
            let mut vault = unlock()?;
            let started = std::time::Instant::now();
            let report = derbes::vault::check::run(&vault)?;
            let took = started.elapsed();
            // A damaged vault may refuse the write that records the check; the result stands.
            if let Err(e) = derbes::vault::check::record(&mut vault, &report, Utc::now()) {
                eprintln!("the check could not be journaled: {e} [{}]", e.code());
            }
            if report.is_good() {
                println!(
                    "good: {} pages authenticated, structure intact, {} journal entries chained and anchored ({} ms)",
                    report.pages,
                    report.journal_entries,
                    took.as_millis()
                );
            } else {
                for p in &report.problems {
                    println!("bad: {} [{}]", p.describe(), p.code());
                }
                return Ok(ExitCode::from(1));
            }
        }
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
                match Iin::parse_on(raw, Local::now().date_naive()) {
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
            derbes::requests::workdays::check_year(chrono::Datelike::year(received))?;
            let due = if args.vault.is_some() {
                let vault = unlock()?;
                let calendar = derbes::requests::workdays::load(vault.conn(), *received)?;
                let rule = derbes::requests::workdays::rules(vault.conn())?
                    .remove(kind)
                    .unwrap_or_else(|| default_rule(*kind));
                due_date(&rule, *received, &calendar)
            } else {
                due_date(&default_rule(*kind), *received, &Calendar::builtin())
            };
            println!("{due}");
        }
        Command::JournalVerify => {
            let vault = unlock()?;
            let n = derbes::vault::journal::verify(vault.conn())?;
            // The chain holds against anyone without the passphrase; the anchor kept outside the
            // vault shows what someone with it removed or rewrote (issue 16).
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
        Command::Verify { file } => {
            let p = existing_backup_passphrase(&args)?;
            match derbes::app::backup::verify(file, &p) {
                Ok(v) => {
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
                }
                Err(e) => {
                    println!("bad: {e} [{}]", e.code());
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Rotate { dir, keep } => {
            for p in derbes::app::backup::rotate(dir, *keep)? {
                println!("removed {}", p.display());
            }
            for p in derbes::app::backup::rotate_safety_copies(&vault_path(), *keep)? {
                println!("removed {}", p.display());
            }
        }
        Command::SafetyCopies => {
            for c in derbes::app::backup::safety_copies(&vault_path())? {
                println!(
                    "{}\t{}\t{}",
                    c.made.format("%Y-%m-%d %H:%M:%S"),
                    c.bytes,
                    c.path.display()
                );
            }
        }
        Command::LettersPrinters => {
            for p in derbes::files::print::printers()? {
                let mark = if p.is_default { "\tdefault" } else { "" };
                println!("{}{mark}", p.name);
            }
        }
        Command::Restore { file } if !vault_path().exists() => {
            // No vault here yet (a new computer): the backup becomes the vault.
            let p = existing_backup_passphrase(&args)?;
            let vault = derbes::app::backup::restore_new(&vault_path(), file, &p, Utc::now())?;
            let s = derbes::app::status::status(&vault, Local::now().date_naive())?;
            println!(
                "restored: {} subjects into {}",
                s.subjects,
                vault.path().display()
            );
            eprintln!(
                "warning: there was no vault here, so people destroyed or anonymized after this \
                 backup was made cannot be erased again: do it anew from the acts you keep"
            );
        }
        Command::Restore { file } => {
            let vault = unlock()?;
            // The backup's passphrase: another one if given, else the vault's own.
            let p = existing_backup_passphrase(&args)?;
            let prepared = derbes::app::backup::prepare_restore(&vault, file, &p, Utc::now())
                .map_err(about("the backup", file))?;
            let safety = prepared.safety_copy.clone();
            let subjects = prepared.verified.subjects();
            let carried = prepared.carried.clone();
            let vault = derbes::app::backup::finish_restore(vault, prepared, &p, Utc::now())?;
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
        }
        Command::RequestsImportEml(_)
        | Command::SubjectsBlock { .. }
        | Command::SubjectsUnblock { .. }
        | Command::SubjectsErase { .. }
        | Command::RetentionReport { .. }
        | Command::RetentionApply { .. }
        | Command::JournalExport { .. }
        | Command::TransfersExport { .. }
        | Command::Backup { .. }
        | Command::LettersList { .. }
        | Command::LettersExport { .. }
        | Command::LettersIssue { .. }
        | Command::LettersPrint { .. }
        | Command::Report { .. }
        | Command::CalendarSet { .. }
        | Command::CalendarImport { .. }
        | Command::CalendarShow { .. }
        | Command::SubjectsImport { .. }
        | Command::SubjectsExport { .. }
        | Command::SuppressionExport { .. }
        | Command::RequestsExport { .. }
        | Command::LettersRegister { .. }
        | Command::SuppressionClean { .. }
        | Command::SuppressionRefuse { .. }
        | Command::SuppressionList
        | Command::SuppressionCheck(_) => {
            let mut vault = unlock()?;
            return run_more(&args, &mut vault);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A table written to `target` (`-` for standard output) as `.xlsx`, `.ods` or CSV by its extension;
/// returns how many rows `write` wrote.
fn export_table(
    target: &str,
    write: impl FnOnce(&mut dyn Write, derbes::files::sheet::Format) -> Result<u64, Error>,
) -> Result<u64, Error> {
    let mut n = 0;
    with_output(target, |w| {
        n = write(w, derbes::files::sheet::Format::of_name(target))?;
        Ok(())
    })?;
    Ok(n)
}

/// A file to write, or standard output for `-`. A file is written under a temporary name and
/// renamed when complete, so a failed export never leaves a half-written file.
fn with_output(
    target: &str,
    f: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    if target == "-" {
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        f(&mut lock)?;
        lock.flush()?;
        return Ok(());
    }
    let path = PathBuf::from(target);
    derbes::registry::export::to_file(&path, |w| f(w)).map_err(about("the file to write", &path))
}

/// An error about a file the user named: what it was for, and its path.
fn about<'a>(what: &'static str, path: &'a std::path::Path) -> impl FnOnce(Error) -> Error + 'a {
    move |e| Error::AboutFile {
        what,
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

/// Journals what left the vault, once it is written (ids and counts only).
fn leaving(vault: &mut derbes::Vault, action: &'static str, detail: String) -> Result<(), Error> {
    derbes::registry::export::journal_leaving(vault, action, detail, Utc::now())
}

fn print_report(r: &derbes::registry::import::Report) {
    for i in &r.notes {
        println!(
            "line {}: {}: {} [{}]",
            i.line,
            i.field,
            derbes::error::describe(i.code),
            i.code
        );
    }
    for i in &r.issues {
        println!(
            "line {}: {}: {} [{}]",
            i.line,
            i.field,
            derbes::error::describe(i.code),
            i.code
        );
    }
    println!(
        "{} rows: {} new, {} already registered, {} invalid",
        r.rows, r.new, r.existing, r.invalid_rows
    );
}

/// The backup's own passphrase, when one is given (file or environment).
/// An existing backup's passphrase: another one if given, else the vault's own sources.
fn existing_backup_passphrase(args: &Args) -> Result<Passphrase, Error> {
    match backup_passphrase(args, false)? {
        Some(p) => Ok(p),
        None => Passphrase::existing(read_passphrase(
            args.passphrase_file.as_ref(),
            "DERBES_PASSPHRASE",
            "Backup passphrase: ",
            false,
        )?),
    }
}

/// `new`: for a backup being written, which needs a passphrase as long as a vault's.
fn backup_passphrase(args: &Args, new: bool) -> Result<Option<Passphrase>, Error> {
    let wrap = |p: String| {
        if new {
            Passphrase::new_secret(p)
        } else {
            Passphrase::existing(p)
        }
    };
    if let Some(f) = &args.backup_passphrase_file {
        // A passphrase file is one short line: read through a small cap, never a device.
        let bytes = zeroize::Zeroizing::new(
            derbes::base::limits::read_capped(f, 64 * 1024)
                .map_err(about("the passphrase file", f))?,
        );
        let text = zeroize::Zeroizing::new(String::from_utf8_lossy(&bytes).into_owned());
        return wrap(text.lines().next().unwrap_or("").to_owned()).map(Some);
    }
    match std::env::var("DERBES_BACKUP_PASSPHRASE") {
        Ok(p) => wrap(p).map(Some),
        Err(_) => Ok(None),
    }
}

fn unknown_number() -> Error {
    Error::Invalid(vec![derbes::FieldIssue {
        field: "number",
        code: "letter.not_found",
    }])
}

fn run_more(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let today = Local::now().date_naive();
    match &args.command {
        Command::SubjectsErase {
            action,
            id,
            basis,
            keep,
            lang,
        } => {
            let order = derbes::erasure::Order {
                action: *action,
                subjects: vec![*id],
                basis: basis.clone(),
                keep: *keep,
                lang: *lang,
            };
            let done = derbes::erasure::run(vault, &order, today, Utc::now())?;
            let verb = match action {
                derbes::erasure::Action::Destroy => "destroyed",
                derbes::erasure::Action::Anonymize => "anonymized",
            };
            println!("subject {id} {verb}; act {}", done.act.number);
        }
        Command::RetentionReport { file } => {
            let sweep = derbes::erasure::retention::sweep(vault.conn(), today)?;
            with_output(file, |w| {
                derbes::erasure::retention::report_csv(vault.conn(), &sweep, w)
            })?;
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
        Command::RetentionApply { action, keep, lang } => {
            let done = derbes::erasure::retention::carry_out(
                vault,
                *action,
                *keep,
                None,
                *lang,
                today,
                Utc::now(),
            )?;
            println!(
                "{} subjects, {} holdings; act {}",
                done.subjects, done.holdings, done.act.number
            );
        }
        Command::TransfersExport { file, lang } => {
            let n = export_table(file, |w, f| {
                derbes::registry::transfer::export(vault.conn(), w, f, *lang)
            })?;
            leaving(vault, "transfers.exported", format!("{n} transfers"))?;
            eprintln!("{n} transfers");
        }
        Command::JournalExport { file, lang } => {
            let n = export_table(file, |w, f| {
                derbes::vault::journal::export(vault.conn(), w, f, *lang)
            })?;
            leaving(vault, "journal.exported", format!("{n} entries"))?;
            eprintln!("{n} journal entries");
        }
        Command::SubjectsBlock { id, basis } => {
            derbes::registry::blocking::block(vault, *id, basis, Utc::now())?;
            println!("subject {id} blocked");
        }
        Command::SubjectsUnblock { id, basis } => {
            derbes::registry::blocking::unblock(vault, *id, basis, Utc::now())?;
            println!("subject {id} unblocked");
        }
        Command::Backup { dir } => {
            let p = backup_passphrase(args, true)?;
            let made = derbes::app::backup::export(vault, dir, p.as_ref(), Utc::now())
                .map_err(about("the backup folder", dir))?;
            println!(
                "{}\t{} bytes\t{} subjects, {} requests, {} letters",
                made.path.display(),
                made.bytes,
                made.manifest.count("subject"),
                made.manifest.count("request"),
                made.manifest.count("letter")
            );
        }
        Command::LettersList { year } => {
            let q = derbes::documents::letters::Query {
                year: *year,
                limit: 500,
                ..Default::default()
            };
            let mut offset = 0;
            loop {
                let page = derbes::documents::letters::list(
                    vault.conn(),
                    &derbes::documents::letters::Query {
                        offset,
                        ..q.clone()
                    },
                )?;
                for r in &page.rows {
                    let request = r
                        .request_id
                        .map_or_else(|| "-".to_owned(), |id| id.to_string());
                    println!(
                        "{}\t{}\t{}\t{request}",
                        r.number,
                        r.issued_on,
                        r.kind.name()
                    );
                }
                offset += page.rows.len() as u32;
                if page.rows.is_empty() || u64::from(offset) >= page.total {
                    break;
                }
            }
        }
        Command::LettersExport { number, file } => {
            let row = derbes::documents::letters::by_number(vault.conn(), number)?
                .ok_or_else(unknown_number)?;
            let pdf = derbes::documents::letters::pdf(vault.conn(), row.id)?;
            derbes::registry::export::to_file(file, |w| Ok(w.write_all(&pdf)?))
                .map_err(about("the file to write", file))?;
            leaving(vault, "letter.saved", format!("letter {}", row.id))?;
            eprintln!("{}: {} bytes, sha256 {}", row.number, pdf.len(), row.sha256);
        }
        Command::LettersIssue {
            request,
            doc,
            lang,
            text,
            accept_warnings,
        } => {
            let source = derbes::documents::letters::Source {
                kind: *doc,
                lang: *lang,
                request_id: Some(*request),
                subject_id: None,
                period: None,
                corrects: None,
                erasure: None,
                breach: None,
            };
            let mut edits = derbes::documents::letters::Edits {
                accept_warnings: *accept_warnings,
                ..derbes::documents::letters::Edits::default()
            };
            if let Some(text) = text {
                // The text takes the placeholder's place in a plain answer, else it is added.
                let mut intro =
                    derbes::documents::letters::draft(vault.conn(), &source, today)?.intro;
                let placeholder = derbes::documents::letters::wording::ANSWER_PLACEHOLDER;
                intro.retain(|p| !placeholder.contains(&p.trim()));
                intro.extend(text.split("\n\n").map(str::to_owned));
                edits.intro = Some(intro);
            }
            let row = derbes::documents::letters::issue(vault, &source, &edits, today, Utc::now())?;
            println!("{}\t{}\t{} page(s)", row.number, row.issued_on, row.pages);
        }
        Command::LettersPrint { number, printer } => {
            let row = derbes::documents::letters::by_number(vault.conn(), number)?
                .ok_or_else(unknown_number)?;
            let pdf = derbes::documents::letters::pdf(vault.conn(), row.id)?;
            let queue = match printer {
                Some(p) => p.clone(),
                None => derbes::files::print::printers()?
                    .into_iter()
                    .find(|p| p.is_default)
                    .map(|p| p.name)
                    .ok_or(Error::NoPrinter)?,
            };
            let job = derbes::files::print::print(&queue, &row.number, &pdf)?;
            leaving(vault, "letter.printed", format!("letter {}", row.id))?;
            println!("{job}");
        }
        Command::Report { period, file, lang } => {
            let r = derbes::requests::report::period(vault.conn(), *period, today)?;
            if file.to_lowercase().ends_with(".pdf") {
                let pdf = derbes::requests::report::to_pdf(&r, *lang, Utc::now())?;
                let path = PathBuf::from(file);
                derbes::registry::export::to_file(&path, |w| Ok(w.write_all(&pdf)?))
                    .map_err(about("the file to write", &path))?;
            } else {
                with_output(file, |w| derbes::requests::report::to_csv(&r, *lang, w))?;
            }
            leaving(vault, "report.exported", format!("{} — {}", r.from, r.to))?;
            eprintln!(
                "{} — {}: {} requests; {} of {} due by {} answered on time, {} late, {} open overdue",
                r.from,
                r.to,
                r.total.received,
                r.total.on_time,
                r.total.due_by_now(),
                r.as_of,
                r.total.late,
                r.total.overdue
            );
        }
        Command::CalendarSet { day, change, note } => {
            let n =
                derbes::requests::workdays::set_day(vault, *day, *change, note, today, Utc::now())?;
            println!("{day} set; {n} open due dates recomputed");
        }
        Command::CalendarShow { year } => {
            let view = derbes::requests::workdays::show_year(vault.conn(), *year)?;
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
                    match d.kind {
                        derbes::base::calendar::DayOverride::Off => "day off",
                        derbes::base::calendar::DayOverride::Working => "working day",
                    },
                    d.reason.describe()
                );
            }
        }
        Command::CalendarImport {
            year,
            file,
            mode,
            dry_run,
        } => {
            derbes::requests::workdays::check_year(*year)?;
            let table = derbes::files::csv_table::read_file(file)
                .map_err(about("the calendar file", file))?;
            match derbes::requests::workdays::plan_import(vault.conn(), &table, *year, *mode) {
                Ok(plan) => {
                    let word = |k: Option<derbes::base::calendar::DayOverride>| match k {
                        Some(derbes::base::calendar::DayOverride::Off) => "day off",
                        Some(derbes::base::calendar::DayOverride::Working) => "working day",
                        None => "as the week",
                    };
                    for c in &plan.changes {
                        println!("{}: {} -> {}", c.day, word(c.before), word(c.after));
                    }
                    if *dry_run {
                        println!("{} days would change; nothing written", plan.changes.len());
                    } else {
                        let (n, moved) = derbes::requests::workdays::apply_import(
                            vault,
                            &plan,
                            today,
                            Utc::now(),
                        )?;
                        println!("{year}: {n} days changed; {moved} open due dates recomputed");
                    }
                }
                Err(Error::CalendarRows(rows)) => {
                    for (line, code) in rows {
                        println!("line {line}: {} [{code}]", derbes::error::describe(code));
                    }
                    println!("nothing written");
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e),
            }
        }
        Command::RequestsImportEml(files) => {
            let office = Local::now().offset().fix();
            let mut failed = 0;
            for file in files {
                let name = file.display();
                // A regular file, read through the message cap (a FIFO or /dev/zero is refused).
                let result =
                    derbes::base::limits::read_capped(file, derbes::files::eml::MAX_BYTES as u64)
                        .map_err(|e| match e {
                            Error::InputTooLarge { .. } => {
                                Error::MessageMalformed("too large for a message")
                            }
                            e => e,
                        })
                        .and_then(|bytes| derbes::files::eml::parse(&bytes))
                        .and_then(|msg| {
                            let draft =
                                derbes::requests::intake::draft(vault.conn(), &msg, office, today)?;
                            let mut input = draft.input();
                            if input.received_on.is_empty() {
                                // No readable, plausible Date: the day it is registered.
                                input.received_on = today.to_string();
                            }
                            let id = derbes::requests::request::create_from_mail(
                                vault,
                                &input,
                                &draft.mail_origin(),
                                today,
                                Utc::now(),
                            )?;
                            Ok((draft, id))
                        });
                match result {
                    Ok((draft, id)) => {
                        let r = derbes::requests::request::get(vault.conn(), id, today)?;
                        let subject = draft
                            .subject_id
                            .map_or_else(|| "unmatched".to_owned(), |s| s.to_string());
                        let dup = match draft.duplicates.first() {
                            Some(d) => format!("\tlikely duplicate of request {d}"),
                            None => String::new(),
                        };
                        let mut notes = String::new();
                        if !draft.sender_raw.is_empty() || draft.sender.is_empty() {
                            notes.push_str(
                                "\tsender unknown: the From header is kept to read and fix",
                            );
                        }
                        if draft.date_ignored {
                            notes.push_str(
                                "\tthe Date header is implausible: received on the import date",
                            );
                        }
                        println!(
                            "{name}\t{}\t{subject}\t{}\trequest {id}{dup}{notes}",
                            draft.kind, r.due_on
                        );
                    }
                    Err(Error::AlreadyRegistered { id }) => {
                        println!("{name}\talready registered as request {id}");
                    }
                    Err(e) => {
                        failed += 1;
                        println!("{name}\terror\t{e} [{}]", e.code());
                    }
                }
            }
            if failed > 0 {
                return Ok(ExitCode::from(1));
            }
        }
        Command::SubjectsImport {
            file,
            skip_invalid,
            update_duplicates,
        } => {
            let table = derbes::files::sheet::read_table(file)
                .map_err(about("the file to import", file))?;
            derbes::registry::import::check_headers(&table.headers)?;
            let mapping = derbes::registry::import::guess_mapping(&table.headers);
            let checked = derbes::registry::import::check(vault.conn(), &table, &mapping, today)?;
            print_report(&checked.report);
            if checked.report.invalid_rows > 0 && !skip_invalid {
                println!("nothing written: fix the rows above, or run again with --skip-invalid");
                return Ok(ExitCode::from(1));
            }
            let dup = if *update_duplicates {
                derbes::registry::import::Duplicates::Update
            } else {
                derbes::registry::import::Duplicates::Skip
            };
            let options = derbes::registry::import::Options {
                duplicates: dup,
                skip_invalid: *skip_invalid,
            };
            let done =
                derbes::registry::import::commit(vault, &table, checked, options, Utc::now())?;
            println!(
                "written: {} created, {} updated, {} skipped",
                done.created, done.updated, done.skipped
            );
        }
        Command::SubjectsExport { file, lang } => {
            let n = export_table(file, |w, f| {
                derbes::registry::export::subjects(vault.conn(), w, f, *lang).map(|n| n as u64)
            })?;
            leaving(vault, "subjects.exported", format!("{n} subjects"))?;
            eprintln!("{n} subjects exported");
        }
        Command::SuppressionExport { file, lang } => {
            let mut done = derbes::registry::suppression::Exported::default();
            export_table(file, |w, f| {
                done = derbes::registry::suppression::export(vault.conn(), w, f, *lang, today)?;
                Ok(done.lines as u64)
            })?;
            leaving(
                vault,
                "suppression.exported",
                format!(
                    "{} lines, {} keyed addresses not exportable",
                    done.lines, done.hashed
                ),
            )?;
            eprintln!("{} lines of the suppression list written", done.lines);
            if done.hashed > 0 {
                eprintln!(
                    "{} addresses of erased people are kept only as keyed digests and cannot be \
                     written out; they are still removed by `suppression clean`",
                    done.hashed
                );
            }
        }
        Command::SuppressionRefuse {
            subject,
            request,
            channel,
            on,
        } => match (subject, request) {
            (Some(s), r) => {
                let on = on.unwrap_or(today);
                let channel = channel.as_deref().unwrap_or("other");
                derbes::registry::suppression::refuse_marketing(
                    vault,
                    *s,
                    on,
                    channel,
                    *r,
                    Utc::now(),
                )?;
                println!("refusal of subject {s} recorded; its addresses are on the stop-list");
            }
            (None, Some(r)) => {
                use derbes::requests::refusal::FromRequest;
                match derbes::requests::refusal::refuse_from_request(vault, *r, today, Utc::now())?
                {
                    FromRequest::Subject { .. } => println!(
                        "refusal of request {r} recorded for its subject; its addresses are on \
                             the stop-list"
                    ),
                    FromRequest::Sender { kind, added: true } => println!(
                        "the sender of request {r} ({}) is on the stop-list",
                        kind.name()
                    ),
                    FromRequest::Sender { added: false, .. } => {
                        println!("the sender of request {r} was on the stop-list already")
                    }
                }
            }
            (None, None) => {}
        },
        Command::SuppressionList => {
            use derbes::registry::suppression::Whom;
            for l in derbes::registry::suppression::listed(vault.conn(), today)? {
                let whom = match l.whom {
                    Whom::Subject(id) => format!("subject {id}"),
                    Whom::Erased(id) => format!("erased {id}"),
                    Whom::Request(id) => format!("request {id}"),
                    Whom::Entry(id) => format!("entry {id}"),
                };
                let mut addresses: Vec<String> =
                    l.emails.iter().chain(&l.phones).cloned().collect();
                if l.hashed > 0 {
                    addresses.push(format!("{} keyed", l.hashed));
                }
                println!(
                    "{whom}\t{}\t{}\t{}",
                    l.reason.name(),
                    l.since(),
                    addresses.join(", ")
                );
            }
        }
        Command::SuppressionCheck(list) => {
            let checker = derbes::registry::suppression::Checker::new(vault.conn(), today, false)?;
            let mut bad = false;
            for a in list {
                match checker.check(a) {
                    Ok(Some(r)) => println!("{a}\t{}", r.name()),
                    Ok(None) => println!("{a}\tnot listed"),
                    Err(_) => {
                        bad = true;
                        println!("{a}\tnot an e-mail address or phone number");
                    }
                }
            }
            if bad {
                return Ok(ExitCode::from(1));
            }
        }
        Command::RequestsExport { file, lang } => {
            let n = export_table(file, |w, f| {
                derbes::requests::request::export(vault.conn(), w, f, *lang)
            })?;
            leaving(vault, "requests.exported", format!("{n} requests"))?;
            eprintln!("{n} requests");
        }
        Command::LettersRegister { file, lang } => {
            let n = export_table(file, |w, f| {
                derbes::documents::letters::export(vault.conn(), w, f, *lang)
            })?;
            leaving(vault, "letters.register_exported", format!("{n} documents"))?;
            eprintln!("{n} documents");
        }
        Command::SuppressionClean {
            input,
            output,
            require_consent,
        } => {
            let table = derbes::files::sheet::read_table(input)
                .map_err(about("the mailing list", input))?;
            let mut report = None;
            with_output(output, |w| {
                report = Some(derbes::registry::suppression::clean(
                    vault.conn(),
                    &table,
                    w,
                    *require_consent,
                    today,
                )?);
                Ok(())
            })?;
            if let Some(r) = report {
                leaving(
                    vault,
                    "mailing_list.cleaned",
                    format!("{} rows, {} removed", r.rows, r.removed),
                )?;
                let reasons: Vec<String> = r
                    .removed_by_reason
                    .iter()
                    .map(|(k, n)| format!("{} {n}", k.name()))
                    .collect();
                eprintln!(
                    "{} rows: {} kept, {} removed ({})",
                    r.rows,
                    r.kept,
                    r.removed,
                    reasons.join(", ")
                );
            }
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
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
