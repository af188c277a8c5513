//! The vocabularies the window offers in its forms and filters, by the stable names the vault
//! stores and the CLI accepts: the page loads them once instead of retyping them (issue 17), so a
//! kind or a channel added here reaches every list. The words shown for each name are the UI
//! catalogue's (`kind.<name>`, `channel.<name>` …).

use crate::base::request_kind::RequestKind;
use crate::documents::letters::Kind;
use crate::registry::{consent, holding, transfer};
use crate::requests::request::{CancelReason, Channel, IdentityMethod, PauseReason, RequestStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Vocabularies {
    pub request_kinds: Vec<&'static str>,
    /// How a request arrives.
    pub request_channels: Vec<&'static str>,
    pub identity_methods: Vec<&'static str>,
    pub pause_reasons: Vec<&'static str>,
    /// Why a request is cancelled.
    pub cancel_reasons: Vec<&'static str>,
    /// Where a request is in its workflow (`rstatus.<name>`).
    pub request_statuses: Vec<&'static str>,
    /// How a representative stands to the person (`relation.<name>`).
    pub representative_relations: Vec<&'static str>,
    /// The form a consent was given in; the first is the form's default.
    pub consent_forms: Vec<&'static str>,
    /// How a consent was withdrawn or marketing refused.
    pub withdrawal_channels: Vec<&'static str>,
    /// The legal bases of a holding (Law 94-V Art. 7, 9).
    pub holding_bases: Vec<&'static str>,
    pub transfer_bases: Vec<&'static str>,
    pub letter_kinds: Vec<&'static str>,
}

pub fn all() -> Vocabularies {
    Vocabularies {
        request_kinds: RequestKind::ALL.iter().map(|k| k.name()).collect(),
        request_channels: Channel::ALL.iter().map(|c| c.name()).collect(),
        identity_methods: IdentityMethod::ALL.iter().map(|m| m.name()).collect(),
        pause_reasons: PauseReason::ALL.iter().map(|p| p.name()).collect(),
        cancel_reasons: CancelReason::ALL.iter().map(|c| c.name()).collect(),
        request_statuses: RequestStatus::ALL.iter().map(|s| s.name()).collect(),
        representative_relations: crate::registry::representative::Relation::ALL
            .iter()
            .map(|r| r.name())
            .collect(),
        consent_forms: consent::FORMS.to_vec(),
        withdrawal_channels: consent::CHANNELS.to_vec(),
        holding_bases: holding::BASES.to_vec(),
        transfer_bases: transfer::Basis::ALL.iter().map(|b| b.name()).collect(),
        letter_kinds: Kind::ALL.iter().map(|k| k.name()).collect(),
    }
}
