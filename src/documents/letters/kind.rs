//! What a document is: the kinds of letters and acts, by their stable names.

macro_rules! kinds {
    ($($variant:ident => $text:literal),+ $(,)?) => {
        /// What a document is.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind { $($variant),+ }
        impl Kind {
            pub const ALL: &[Kind] = &[$(Kind::$variant),+];
            pub fn name(self) -> &'static str {
                match self { $(Kind::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Kind> {
                match s { $($text => Some(Kind::$variant),)+ _ => None }
            }
        }
    };
}

kinds! {
    AccessExtract => "access-extract",
    ConfirmUpdate => "confirm-update",
    ConfirmBlock => "confirm-block",
    ConfirmUnblock => "confirm-unblock",
    ConfirmWithdrawal => "confirm-withdrawal",
    ConfirmMarketing => "confirm-marketing",
    ActDestruction => "act-destruction",
    ActAnonymization => "act-anonymization",
    Refusal => "refusal",
    NoData => "no-data",
    Answer => "answer",
    AuthorityAnswer => "authority-answer",
    PeriodReport => "period-report",
    BreachNotice => "breach-notice",
    Acknowledgement => "acknowledgement",
    ExtensionNotice => "extension-notice",
    ClarificationRequest => "clarification-request",
}

crate::base::wire::by_name_both!(Kind => name);

impl Kind {
    pub fn is_act(self) -> bool {
        matches!(self, Kind::ActDestruction | Kind::ActAnonymization)
    }

    /// The letters between a request and its answer (issue 19): they answer nothing, and a
    /// request they were sent for is still open.
    pub fn is_interim(self) -> bool {
        matches!(
            self,
            Kind::Acknowledgement | Kind::ExtensionNotice | Kind::ClarificationRequest
        )
    }

    /// Documents that need a registered subject (their content is the subject's data).
    pub(crate) fn needs_subject(self) -> bool {
        self == Kind::AccessExtract
    }
}
