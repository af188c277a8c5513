//! The request workflow as one type: each step a user can take on a request (new → in progress →
//! answered / refused → closed, or cancelled, with the identity check, pauses, extensions and links between
//! requests; Law 94-V Art. 24–25, `docs/domain.md` §2), so the window and the CLI name a step by
//! the same value and [`take`] is the one place that carries it out.

use crate::error::{Error, FieldIssue, Result};
use crate::requests::correction;
use crate::requests::request::{self, CancelReason, IdentityMethod, PauseReason};
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, Utc};

/// A step. Dates are as typed (`DD.MM.YYYY` or ISO; empty for today where the step allows it):
/// each step checks its own. A choice the page left empty arrives as `None` and is refused with
/// the field to fill in, as a form would.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(
        tag = "action",
        rename_all = "snake_case",
        rename_all_fields = "camelCase"
    )
)]
pub enum Step {
    /// Takes a new request up.
    Start,
    /// The answer was sent on `date`.
    Answer {
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
    },
    /// Refused on `date`, with the reason given to the requester.
    Refuse {
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
        #[cfg_attr(feature = "serde", serde(default))]
        text: String,
    },
    /// Done with: answered or refused, nothing left to do.
    Close,
    /// The requester's identity was checked, how and when.
    Identity {
        #[cfg_attr(
            feature = "serde",
            serde(default, deserialize_with = "crate::base::wire::known_or_none")
        )]
        method: Option<IdentityMethod>,
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
    },
    /// The clock stops from `date`, waiting for the requester.
    Pause {
        #[cfg_attr(
            feature = "serde",
            serde(default, deserialize_with = "crate::base::wire::known_or_none")
        )]
        reason: Option<PauseReason>,
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
    },
    /// The clock runs again from `date`.
    Resume {
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
    },
    /// The due date moved to `date`, for the reason given.
    Extend {
        #[cfg_attr(feature = "serde", serde(default))]
        date: String,
        #[cfg_attr(feature = "serde", serde(default))]
        text: String,
    },
    /// Entered in error or withdrawn by the requester (`reason`), with the user's words.
    Cancel {
        #[cfg_attr(
            feature = "serde",
            serde(default, deserialize_with = "crate::base::wire::known_or_none")
        )]
        reason: Option<CancelReason>,
        #[cfg_attr(feature = "serde", serde(default))]
        text: String,
    },
    /// The request repeats or continues request `other_id`.
    Link {
        #[cfg_attr(feature = "serde", serde(default))]
        other_id: Option<i64>,
    },
}

fn required(field: &'static str) -> Error {
    Error::Invalid(vec![FieldIssue {
        field,
        code: "required",
    }])
}

/// Carries `step` out on request `id`: one transaction with its journal entry.
pub fn take(
    vault: &mut Vault,
    id: i64,
    step: &Step,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    match step {
        Step::Start => request::start(vault, id, now),
        Step::Answer { date } => request::answer(vault, id, date, today, now),
        Step::Refuse { date, text } => request::refuse(vault, id, date, text, today, now),
        Step::Close => request::close(vault, id, today, now),
        Step::Identity { method, date } => {
            let m = method.ok_or_else(|| required("identity_method"))?;
            request::record_identity(vault, id, m, date, today, now)
        }
        Step::Pause { reason, date } => {
            let r = reason.ok_or_else(|| required("pause_reason"))?;
            request::pause(vault, id, r, date, today, now)
        }
        Step::Resume { date } => request::resume(vault, id, date, today, now),
        Step::Extend { date, text } => request::extend(vault, id, date, text, now),
        Step::Cancel { reason, text } => {
            let r = reason.ok_or_else(|| required("cancel_reason"))?;
            correction::cancel(vault, id, r, text, today, now)
        }
        Step::Link { other_id } => {
            let other = other_id.ok_or_else(|| required("linked_to"))?;
            request::link(vault, id, other, now)
        }
    }
}
