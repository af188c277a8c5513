//! The kinds of request a subject or the authorized body can send (`docs/domain.md` §2), by the
//! names the CLI and the vault use.

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestKind {
    /// Information about the data held (Law 94-V Art. 24 para 1, Art. 25 para 2).
    Access,
    Update,
    Block,
    Unblock,
    Destroy,
    /// Withdrawal of consent (Art. 8 para 5; policy 8.4).
    WithdrawConsent,
    /// Refusal of marketing mail (policy 6.2).
    RefuseMarketing,
    StopProcessing,
    /// Request of the authorized body (policy 3.2: 10 days).
    Authority,
    /// Notice of a breach to the authorized body (Law 44-VIII).
    Breach,
    Other,
}

impl RequestKind {
    pub const ALL: [RequestKind; 11] = [
        RequestKind::Access,
        RequestKind::Update,
        RequestKind::Block,
        RequestKind::Unblock,
        RequestKind::Destroy,
        RequestKind::WithdrawConsent,
        RequestKind::RefuseMarketing,
        RequestKind::StopProcessing,
        RequestKind::Authority,
        RequestKind::Breach,
        RequestKind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Access => "access",
            RequestKind::Update => "update",
            RequestKind::Block => "block",
            RequestKind::Unblock => "unblock",
            RequestKind::Destroy => "destroy",
            RequestKind::WithdrawConsent => "withdraw-consent",
            RequestKind::RefuseMarketing => "refuse-marketing",
            RequestKind::StopProcessing => "stop-processing",
            RequestKind::Authority => "authority",
            RequestKind::Breach => "breach",
            RequestKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<RequestKind, Error> {
        let s = s.trim();
        RequestKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = RequestKind::ALL.iter().map(|k| k.name()).collect();
                Error::UnknownRequestKind(names.join(", "))
            })
    }
}

crate::base::wire::by_name!(RequestKind => name);

/// Read from the page by its name, like [`RequestKind::parse`].
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for RequestKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        RequestKind::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for RequestKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
