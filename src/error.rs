//! The one error type of the core. Each variant has a stable [`Error::code`] that the window and the
//! CLI branch on (the window shows its own translation of the code); the English `Display` text is for
//! logs and the CLI. No variant carries personal data: records are named by id only.

use crate::base::iin::IinError;

/// One invalid field: which field, and a stable code saying what is wrong with it (the window has a
/// message for each code). Never the value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub code: &'static str,
}

fn issues_text(issues: &[FieldIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{} ({})", i.field, i.code))
        .collect::<Vec<_>>()
        .join(", ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("no vault at this location")]
    VaultNotFound,
    #[error("a vault already exists at this location")]
    VaultExists,
    #[error("wrong passphrase, or the file is not a Derbes vault")]
    WrongPassphrase,
    #[error("this is an unencrypted SQLite database, not a Derbes vault")]
    NotEncrypted,
    #[error("the file is empty: it is not a Derbes vault")]
    EmptyFile,
    #[error("the file is not a Derbes vault")]
    NotAVault,
    #[error("the vault file is damaged or truncated")]
    Damaged,
    #[error(
        "the vault was written by a newer version of Derbes (schema {found}; this version reads up to {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("the vault is open in another Derbes window or process")]
    VaultInUse,
    #[error("the vault is locked")]
    Locked,
    /// Long work stopped at the user's request; what it was writing was rolled back.
    #[error("stopped at the user's request; nothing was changed")]
    Cancelled,
    /// A file to read or to write over is a device, FIFO, directory, socket or (to write over) a
    /// symlink: refused, never read from or replaced.
    #[error("not a regular file (a {kind}): choose a file")]
    NotARegularFile { kind: &'static str },
    #[error("the file is too large (the limit is {max_mb} MB)")]
    InputTooLarge { max_mb: u64 },
    #[error("the folder to write into does not exist")]
    FolderMissing,
    #[error(
        "the vault file has another name (a hard link): keep one name, so that it can be locked"
    )]
    VaultHardLinked,
    /// An error about a file the user named, with what the file was for and its path (the CLI's
    /// messages: "the passphrase file /x: no such file"); the code is the cause's.
    #[error("{what} {}: {source}", .path.display())]
    AboutFile {
        what: &'static str,
        path: std::path::PathBuf,
        source: Box<Error>,
    },
    #[error("the passphrase is too short: at least {min} characters are needed")]
    PassphraseTooShort { min: usize },
    #[error("the passphrase is empty")]
    PassphraseEmpty,
    #[error("the two passphrases differ")]
    PassphraseMismatch,
    #[error("invalid IIN: {0}")]
    Iin(#[from] IinError),
    #[error("unknown request type: use one of {0}")]
    UnknownRequestKind(String),
    #[error("the journal is broken at entry {seq}: {reason}")]
    JournalBroken { seq: i64, reason: &'static str },
    #[error("invalid input: {}", issues_text(.0))]
    Invalid(Vec<FieldIssue>),
    #[error("a subject with this IIN is already registered (subject {existing_id})")]
    DuplicateIin { existing_id: i64 },
    #[error("no {kind} with id {id}")]
    NotFound { kind: &'static str, id: i64 },
    #[error("subject {id} is {status}: its data cannot be changed")]
    NotEditable { id: i64, status: &'static str },
    #[error("subject {id} is not blocked")]
    NotBlocked { id: i64 },
    #[error("subject {id} is blocked: only letters about the blocking can be issued")]
    SubjectBlocked { id: i64 },
    #[error("consent {id} was already withdrawn")]
    AlreadyWithdrawn { id: i64 },
    #[error(
        "document {id} was withdrawn with the personal data it carried: only its register line remains"
    )]
    LetterRedacted { id: i64 },
    /// A document that would state what the vault does not show; `code` names what is missing.
    #[error("this document does not apply: {}", crate::error::describe(.code))]
    LetterNotApplicable { code: &'static str },
    /// The draft shows something to look at first (`code`, e.g. `letter.basis_ended`, for `count`
    /// records); issued only when the user accepts it.
    #[error("{}: {count}; look at the draft, then issue it knowingly", crate::error::describe(.code))]
    LetterWarning { code: &'static str, count: usize },
    #[error("this message is already registered as request {id}")]
    AlreadyRegistered { id: i64 },
    #[error("the request is already attached to subject {subject_id}")]
    AlreadyAttached { subject_id: i64 },
    #[error("the workbook could not be read: {0}")]
    SheetUnreadable(String),
    #[error("the workbook is protected by a password: save it without one and try again")]
    SheetProtected,
    #[error(
        "the workbook unpacks to more than a table ({unpacked_mb} MB or more): it was not read"
    )]
    SheetTooLarge { unpacked_mb: u64 },
    #[error("the sheet spans {rows} rows × {columns} columns: too large to read")]
    SheetTooWide { rows: u64, columns: u64 },
    /// A cell the reader cannot take, by its place only (never what it holds).
    #[error("sheet {sheet}, cell {cell}: {reason}")]
    SheetCell {
        sheet: u32,
        cell: String,
        reason: &'static str,
    },
    #[error("the transfer is refused ({code}): no consent, contract or law covers it")]
    TransferRefused { code: &'static str },
    #[error("the file is not text in UTF-8 or Windows-1251")]
    CsvEncoding,
    #[error("the file is binary, not a CSV table")]
    CsvBinary,
    #[error("the file is too large ({size_mb} MB; at most {max_mb} MB)")]
    CsvTooLarge { size_mb: u64, max_mb: u64 },
    #[error("the table is empty")]
    CsvEmpty,
    #[error("the table could not be read at line {line}")]
    CsvMalformed { line: u64 },
    #[error(
        "a quote opened on line {line} is never closed: the rest of the file would read as one cell"
    )]
    CsvUnterminatedQuote { line: u64 },
    #[error("the columns {first:?} and {second:?} are the same field: keep one")]
    CsvDuplicateColumn { first: String, second: String },
    #[error("no column holds {0}")]
    CsvMissingColumn(&'static str),
    #[error("{count} rows are invalid: nothing was written")]
    ImportInvalid { count: usize },
    #[error("{} rows of the calendar table are invalid (the first at line {}): nothing was written", .0.len(), .0.first().map_or(0, |r| r.0))]
    CalendarRows(Vec<(u64, &'static str)>),
    #[error("the calendar holds the years 2000 to 2100 only, not {year}")]
    CalendarYear { year: i32 },
    #[error("a request that is {from} cannot be {to}")]
    RequestTransition { from: String, to: &'static str },
    #[error("the message could not be read: {0}")]
    MessageMalformed(&'static str),
    /// A mail folder to read is missing, or is neither a Maildir nor an mbox (`mail.*`).
    #[error("not a mail folder Derbes can read ({code}): choose a Maildir folder or an mbox file")]
    MailFolder { code: &'static str },
    /// Neither Thunderbird as the desktop's mail program nor `xdg-email` could be started.
    #[error(
        "no mail program to open the message in: install one (Thunderbird, Evolution) and xdg-utils"
    )]
    NoMailProgram,
    #[error("the file is a Derbes vault but not a backup (it has no manifest)")]
    NotABackup,
    #[error("the backup does not match its manifest ({0}): it was altered or is incomplete")]
    BackupMismatch(&'static str),
    #[error("no printer is set up (CUPS has no queue, or is not running)")]
    NoPrinter,
    #[error("the printer refused the document: {0}")]
    PrintFailed(String),
    #[error("the disk is full: nothing was written")]
    DiskFull,
    #[error("file access failed: {0}")]
    Io(std::io::Error),
    #[error("database error: {0}")]
    Storage(rusqlite::Error),
}

impl Error {
    /// A stable identifier for the kind of failure, e.g. `vault.wrong_passphrase`. The UI's message
    /// catalogues have an `error.<code>` entry for each.
    pub fn code(&self) -> &'static str {
        match self {
            Error::VaultNotFound => "vault.not_found",
            Error::VaultExists => "vault.exists",
            Error::WrongPassphrase => "vault.wrong_passphrase",
            Error::NotEncrypted => "vault.not_encrypted",
            Error::EmptyFile => "vault.empty_file",
            Error::NotAVault => "vault.not_a_vault",
            Error::Damaged => "vault.damaged",
            Error::NewerSchema { .. } => "vault.newer_schema",
            Error::VaultInUse => "vault.in_use",
            Error::Locked => "vault.locked",
            Error::Cancelled => "job.cancelled",
            Error::NotARegularFile { .. } => "file.not_regular",
            Error::InputTooLarge { .. } => "file.too_large",
            Error::FolderMissing => "file.folder_missing",
            Error::VaultHardLinked => "vault.hard_linked",
            Error::AboutFile { source, .. } => source.code(),
            Error::PassphraseTooShort { .. } => "passphrase.too_short",
            Error::PassphraseEmpty => "passphrase.empty",
            Error::PassphraseMismatch => "passphrase.mismatch",
            Error::Iin(e) => e.code(),
            Error::UnknownRequestKind(_) => "request.unknown_kind",
            Error::JournalBroken { .. } => "journal.broken",
            Error::Invalid(_) => "invalid",
            Error::DuplicateIin { .. } => "subject.duplicate_iin",
            Error::NotFound { .. } => "record.not_found",
            Error::NotEditable { .. } => "subject.not_editable",
            Error::NotBlocked { .. } => "subject.not_blocked",
            Error::SubjectBlocked { .. } => "subject.blocked",
            Error::AlreadyWithdrawn { .. } => "consent.already_withdrawn",
            Error::TransferRefused { .. } => "transfer.refused",
            Error::LetterRedacted { .. } => "letter.redacted",
            // The code of what is missing, e.g. `letter.no_block_recorded`.
            Error::LetterNotApplicable { code } => code,
            Error::LetterWarning { code, .. } => code,
            Error::AlreadyRegistered { .. } => "request.already_registered",
            Error::AlreadyAttached { .. } => "request.already_attached",
            Error::SheetUnreadable(_) => "sheet.unreadable",
            Error::SheetProtected => "sheet.protected",
            Error::SheetTooWide { .. } => "sheet.too_large",
            Error::SheetCell { .. } => "sheet.cell",
            Error::SheetTooLarge { .. } => "sheet.too_large",
            Error::CsvEncoding => "csv.encoding",
            Error::CsvBinary => "csv.binary",
            Error::CsvTooLarge { .. } => "csv.too_large",
            Error::CsvEmpty => "csv.empty",
            Error::CsvMalformed { .. } => "csv.malformed",
            Error::CsvUnterminatedQuote { .. } => "csv.unterminated_quote",
            Error::CsvDuplicateColumn { .. } => "csv.duplicate_column",
            Error::CsvMissingColumn(_) => "csv.missing_column",
            Error::ImportInvalid { .. } => "import.invalid_rows",
            Error::CalendarRows(_) => "calendar.invalid_rows",
            Error::CalendarYear { .. } => "calendar.year_range",
            Error::RequestTransition { .. } => "request.transition",
            Error::MessageMalformed(_) => "message.malformed",
            Error::MailFolder { code } => code,
            Error::NoMailProgram => "mail.no_program",
            Error::NotABackup => "backup.not_a_backup",
            Error::BackupMismatch(_) => "backup.mismatch",
            Error::NoPrinter => "print.no_printer",
            Error::PrintFailed(_) => "print.failed",
            Error::DiskFull => "disk.full",
            Error::Io(_) => "io",
            Error::Storage(_) => "storage",
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::StorageFull {
            Error::DiskFull
        } else {
            Error::Io(e)
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseCorrupt) => Error::Damaged,
            Some(ErrorCode::NotADatabase) => Error::WrongPassphrase,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::VaultInUse,
            _ => Error::Storage(e),
        }
    }
}

/// English wording of a field issue's code, for the CLI (the window has its own catalogues).
pub fn describe(code: &str) -> &'static str {
    match code {
        "required" => "required",
        "text.too_long" => "too long",
        "date.format" => "not a date (YYYY-MM-DD or DD.MM.YYYY)",
        "date.future" => "in the future",
        "date.before_start" => "before the start date",
        "birth_date.iin_mismatch" => "does not match the birth date in the IIN",
        "email.invalid" => "not an e-mail address",
        "phone.invalid" => "not a phone number",
        "iin.length" => "an IIN has 12 digits",
        "iin.not_digits" => "an IIN has digits only",
        "iin.century_digit" => "the 7th digit (century and sex) must be 1 to 6",
        "iin.birth_date" => "the first six digits are not a real birth date",
        "iin.check_digit" => "the check digit does not match",
        "iin.birth_in_future" => "the birth date in the IIN is after today",
        "iin.uncheckable" => "the number cannot carry a valid check digit",
        "iin.or_document_required" => "an IIN, or a document number for a foreigner, is required",
        "iin.duplicate_in_file" => "this IIN is already on an earlier line",
        "row.extra_cells" => "more cells than columns",
        "duplicate" => "already exists",
        "code.format" => "latin letters, digits and _ only",
        "number.positive" => "must be a positive number",
        "date.other_year" => "a date of another year",
        "date.impossible" => "no such day (e.g. 30 February)",
        "calendar.kind" => "not off or working",
        "bin.invalid" => "not a valid BIN (12 digits, 5th digit 4, 5 or 6, check digit)",
        "numbering.digits" => "the sequence has 1 to 6 digits",
        "numbering.prefix" => "the prefix has at most 20 characters and no |",
        "letterhead.incomplete" => "fill in the letterhead in Settings first",
        "logo.too_large" => "the logo is too large (at most 256 KB and 1600 pixels a side)",
        "logo.format" => "the logo must be a PNG or JPEG image",
        "number.range" => "out of range",
        "backup.keeps_nothing" => "this rule would keep no backup at all",
        "stop_list.no_address" => "no e-mail address or phone number to put on the stop-list",
        "dir.missing" => "the folder does not exist",
        "letter.not_found" => "no issued document has this number",
        "letter.number_taken" => "the numbering scheme gives a number already issued",
        "letter.act_by_action" => {
            "an act is issued by carrying out the destruction or anonymization it records"
        }
        "letter.request_needed" => "a confirmation answers a request: issue it from the request",
        "letter.request_refused" => "the request was refused: only the reasoned refusal applies",
        "letter.request_cancelled" => "the request was cancelled: nothing is answered to it",
        "catalog.unknown" => {
            "not in the catalogue (add it in Settings, or import with the names added)"
        }
        "consent.date_missing" => "a consent is marked but not dated: give the day it was given",
        "consent.term_unknown" => {
            "not a term (a date, \"5 years\", \"until the purpose is achieved\")"
        }
        "consent.form_unknown" => "not a form (written, electronic, egov, other)",
        "basis.unknown" => "not a basis (consent, contract, law, legitimate interest, public)",
        "bool.invalid" => "yes or no expected",
        "consent.minor_needs_representative" => {
            "under the age of majority on the consent's day: name the legal representative who gave it"
        }
        "representative.relation_unknown" => "not a relation (parent, guardian, attorney)",
        "request.kind_unknown" => "not a kind of request",
        "bulk.blocked" => "blocked: their data is not changed",
        "bulk.erased" => "destroyed or anonymized: there is no data to change",
        "bulk.not_found" => "no such subject",
        "bulk.too_many_matches" => "the search finds too many to count: narrow it first",
        "request.channel_unknown" => "not a channel (email, paper, in person, egov, authority)",
        "request.status_unknown" => "not a status (new, in progress, answered, refused, closed)",
        "channel.assumed_paper" => "no channel given: recorded as a letter",
        "date.after_answer" => "after the date the request was answered",
        "request.extension_not_later" => {
            "the recorded extension would no longer be later than the legal due date"
        }
        "letter.no_update_recorded" => "no correction of the data is recorded for this request",
        "letter.no_block_recorded" => "no blocking is recorded for this request",
        "letter.not_blocked" => "the person is not blocked now",
        "letter.no_unblock_recorded" => "no lifting of a block is recorded for this request",
        "letter.still_blocked" => "the person is still blocked",
        "letter.no_withdrawal_recorded" => "no withdrawal of consent is recorded for this request",
        "letter.no_refusal_recorded" => {
            "no refusal of marketing on the stop-list is recorded for this request"
        }
        "letter.request_not_refused" => {
            "the request is not refused: record the refusal and its reason first"
        }
        "letter.subject_registered" => {
            "the request names a registered person: answer with the extract"
        }
        "letter.sender_registered" => {
            "the sender's address belongs to a registered person: link the request to them"
        }
        "letter.answer_text" => "write the answer in place of the placeholder paragraph",
        "letter.basis_ended" => "the extract lists data whose basis has ended",
        "retention.nothing_due" => "no data is held past its retention period",
        "retention.days" => "a period of 1 to 36 500 days",
        "transfer.no_basis" => "no valid consent, contract or law covers this transfer",
        "transfer.consent_needed" => {
            "the country is not on the list of adequate protection: written consent or a contract is needed"
        }
        "country.code" => "a two-letter country code (ISO 3166-1)",
        "time.format" => "not a time (HH:MM)",
        "iin.zero_restored" => {
            "the IIN had lost its leading zero (a spreadsheet made it a number): restored"
        }
        "transfer.no_consent" => "the person gave no consent for this purpose in force on that day",
        "transfer.consent_no_third_parties" => {
            "the consent does not allow passing data to third parties"
        }
        "transfer.consent_no_cross_border" => "the consent does not allow cross-border transfer",
        "transfer.consent_other_country" => "the consent names other countries",
        "transfer.written_consent_needed" => {
            "the state is not on the list of adequate protection: written consent is needed"
        }
        "transfer.no_contract" => {
            "no data is held for this purpose under a contract with the person"
        }
        _ => "invalid",
    }
}

/// Crosses as `{code, message}` — the stable code the window branches on and shows its own words
/// for, the English message, never personal data — with what some codes need beside them:
/// `issues` (`[{field, code}]`) for `invalid` and `transfer.refused`, `existingId` for
/// `subject.duplicate_iin`, `sheet` and `cell` (never what the cell holds) for `sheet.cell`.
#[cfg(feature = "serde")]
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(serde::Serialize)]
        struct Issue {
            field: &'static str,
            code: &'static str,
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("code", self.code())?;
        m.serialize_entry("message", &self.to_string())?;
        match self {
            Error::Invalid(issues) => {
                let issues: Vec<Issue> = issues
                    .iter()
                    .map(|i| Issue {
                        field: i.field,
                        code: i.code,
                    })
                    .collect();
                if !issues.is_empty() {
                    m.serialize_entry("issues", &issues)?;
                }
            }
            // Why a transfer was refused, for the page to say and to offer the override.
            Error::TransferRefused { code } => {
                m.serialize_entry(
                    "issues",
                    &[Issue {
                        field: "basis",
                        code,
                    }],
                )?;
            }
            Error::DuplicateIin { existing_id } => m.serialize_entry("existingId", existing_id)?,
            Error::SheetCell { sheet, cell, .. } => {
                m.serialize_entry("sheet", sheet)?;
                m.serialize_entry("cell", cell)?;
            }
            _ => {}
        }
        m.end()
    }
}
