//! Paper consent forms (issue 19): printed for a purpose, blank or for a person, with the number
//! in a QR code; recorded by that number once signed; their register.

use super::{Lang, OnVault};
use crate::ctx::Ctx;
use crate::output::write_file;
use chrono::Utc;
use derbes::documents::consent_form::{self, FormInput};
use derbes::{Error, Vault};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Print a consent form to a PDF: the operator and BIN, the person (or a line to write one
    /// on), the purpose, the list of data, the term, third parties, cross-border transfer and
    /// countries, publication, the policy version (Art. 8 para 4), a place to sign, and the form's
    /// number in a QR code. Prints the number.
    Print {
        /// The purpose (its number in `catalog list`)
        #[arg(long, value_name = "ID")]
        purpose: i64,
        /// For this registered person; left out: a blank form
        #[arg(long, value_name = "ID")]
        subject: Option<i64>,
        /// The list of data, as it is to be printed
        #[arg(long, value_name = "TEXT")]
        data: String,
        /// Valid until this day (YYYY-MM-DD); left out: until the purpose is achieved
        #[arg(long, value_name = "DATE", default_value = "")]
        until: String,
        /// Data may be passed to third parties
        #[arg(long)]
        third_parties: bool,
        /// Data is transferred abroad, to --countries
        #[arg(long)]
        cross_border: bool,
        #[arg(long, value_name = "LIST", default_value = "")]
        countries: String,
        /// Data may be published in public sources
        #[arg(long)]
        published: bool,
        #[command(flatten)]
        lang: Lang,
        /// The PDF to write
        file: PathBuf,
    },
    /// Record a signed form by its number (typed, or scanned from its QR code): the consent with
    /// the form's terms, for its person — or --subject for a blank form
    Record {
        /// The form's number (2026-00012)
        number: String,
        /// The person, for a blank form
        #[arg(long, value_name = "ID")]
        subject: Option<i64>,
        /// The day it was signed (YYYY-MM-DD; today when left out)
        #[arg(long, value_name = "DATE", default_value = "")]
        signed: String,
    },
    /// The register of forms: number, printed, purpose, person (or `blank`), recorded consent
    List,
    /// Write a printed form's PDF again, byte for byte
    Export { number: String, file: PathBuf },
}

impl OnVault for Cmd {
    fn run(self, vault: &mut Vault, ctx: &Ctx) -> Result<ExitCode, Error> {
        match self {
            Cmd::Print {
                purpose,
                subject,
                data,
                until,
                third_parties,
                cross_border,
                countries,
                published,
                lang,
                file,
            } => {
                let input = FormInput {
                    purpose_id: purpose,
                    subject_id: subject,
                    lang: Some(lang.lang),
                    valid_until: until,
                    data_list: data,
                    third_parties,
                    cross_border,
                    countries,
                    published,
                    policy_version_id: None,
                };
                let (form, pdf) = consent_form::issue(vault, &input, ctx.today, Utc::now())?;
                write_file(&file, &pdf)?;
                println!("{}", form.number);
            }
            Cmd::Record {
                number,
                subject,
                signed,
            } => {
                let signed = if signed.is_empty() {
                    ctx.today.to_string()
                } else {
                    signed
                };
                let id =
                    consent_form::record(vault, &number, subject, &signed, ctx.today, Utc::now())?;
                println!("consent {id}");
            }
            Cmd::List => {
                let (rows, total) = consent_form::list(vault.conn(), 0, i64::MAX)?;
                for f in rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        f.number,
                        f.issued_on,
                        f.purpose_id,
                        f.subject_id
                            .map_or_else(|| "blank".to_owned(), |s| s.to_string()),
                        f.consent_id
                            .map_or_else(|| "not recorded".to_owned(), |c| format!("consent {c}"))
                    );
                }
                eprintln!("{total} forms");
            }
            Cmd::Export { number, file } => {
                let form = consent_form::by_number(vault.conn(), &number)?.ok_or_else(|| {
                    Error::Invalid(vec![derbes::FieldIssue {
                        field: "number",
                        code: "consent_form.unknown",
                    }])
                })?;
                let pdf = consent_form::pdf(vault.conn(), form.id)?;
                write_file(&file, &pdf)?;
                crate::output::leaving(vault, "consent_form.saved", format!("form {}", form.id))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    }
}
