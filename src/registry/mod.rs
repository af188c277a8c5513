//! Layer 4: the registry of data subjects and what is held about them — holdings, consents,
//! refusals of marketing and the stop-list, blocking, transfers, the operator's catalogues — with
//! search, import and export. `card` sits above the other modules of this folder: it assembles
//! what they hold about one person.

pub mod blocking;
pub mod bulk;
pub mod card;
pub mod catalog;
pub mod consent;
pub mod export;
pub mod holding;
pub mod import;
pub(crate) mod import_held;
pub(crate) mod index;
pub(crate) mod rank;
pub mod representative;
pub mod request_index;
pub mod search;
pub mod stop_list;
pub mod subject;
pub mod suppression;
pub mod transfer;
