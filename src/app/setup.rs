//! The first-run wizard's state (issue 10): a vault created in the window is set up step by step —
//! the operator's profile and letterhead, the language, the backup folder — before the dashboard.
//! Only such a vault is marked; one made by the CLI, restored from a backup or made before the
//! wizard existed opens on the dashboard.

use crate::error::Result;
use crate::vault::Vault;
use chrono::{DateTime, Utc};

const KEY: &str = "setup_pending";

/// Marks a new vault for the wizard (the window calls it right after creating the vault).
pub fn begin(vault: &mut Vault, now: DateTime<Utc>) -> Result<()> {
    vault.set_setting(KEY, "1", now)
}

/// Whether the wizard still has to be shown for this vault.
pub fn pending(vault: &Vault) -> Result<bool> {
    Ok(vault.setting(KEY)?.as_deref() == Some("1"))
}

/// The wizard was finished (or skipped): it is not shown again. Journaled as a setting change.
pub fn finish(vault: &mut Vault, now: DateTime<Utc>) -> Result<()> {
    if pending(vault)? {
        vault.set_setting(KEY, "0", now)?;
    }
    Ok(())
}
