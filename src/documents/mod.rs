//! Layer 6: the documents Derbes issues — letters and acts on the operator's letterhead, each
//! numbered in the register of outgoing documents, in Russian, Kazakh or English.

pub mod consent_form;
pub mod letterhead;
pub mod letters;
