//! The refusal of marketing a request carries (policy 6.2), recorded from the request: on the
//! subject's card when the request is matched to one, else on the stop-list by the sender's
//! address.

use crate::error::Result;
use crate::registry::{consent, stop_list, suppression};
use crate::requests::request;
use crate::vault::Vault;
use chrono::{DateTime, NaiveDate, Utc};

/// What recording a request's refusal of marketing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromRequest {
    /// The request's subject: her refusal, id `refusal`.
    Subject { refusal: i64 },
    /// A sender not in the registry: the address went on the stop-list (`added` is false when this
    /// request's refusal was there already).
    Sender {
        kind: stop_list::AddressKind,
        added: bool,
    },
}

/// Crosses as `{outcome}`: `subject`, `sender` or `sender_already` (the window words it).
#[cfg(feature = "serde")]
impl serde::Serialize for FromRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let outcome = match self {
            FromRequest::Subject { .. } => "subject",
            FromRequest::Sender { added: true, .. } => "sender",
            FromRequest::Sender { added: false, .. } => "sender_already",
        };
        let mut st = s.serialize_struct("FromRequest", 1)?;
        st.serialize_field("outcome", outcome)?;
        st.end()
    }
}

/// Records the refusal of marketing that request `request_id` carries (policy 6.2): the subject's
/// when the request is matched to one, else its sender's address, who need not be in the registry.
/// The refusal is dated the day the request was received (the person refused then, not when it was
/// recorded). Journaled with the request.
pub fn refuse_from_request(
    vault: &mut Vault,
    request_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<FromRequest> {
    let r = request::get(vault.conn(), request_id, today)?;
    let on = r.received_on;
    if let Some(subject_id) = r.subject_id {
        let channel = match r.channel.name() {
            c if consent::CHANNELS.contains(&c) => c,
            _ => "other",
        };
        let refusal =
            suppression::refuse_marketing(vault, subject_id, on, channel, Some(request_id), now)?;
        return Ok(FromRequest::Subject { refusal });
    }
    vault.transact(now, |tx| {
        let done = stop_list::add_sender(tx, request_id, &r.sender, on)?;
        Ok(FromRequest::Sender {
            kind: done.kind,
            added: done.added,
        })
    })
}
