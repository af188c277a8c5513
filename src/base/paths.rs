//! Where Derbes keeps its files (XDG base directories). The vault's location can be overridden by
//! `--vault PATH` or `DERBES_VAULT`; the demo vault always lives apart from the real one.

use std::path::PathBuf;

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn xdg(var: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() && PathBuf::from(&v).is_absolute() => PathBuf::from(v),
        _ => home().join(fallback),
    }
}

/// `$XDG_DATA_HOME/derbes`: the vault, the demo vault.
pub fn data_dir() -> PathBuf {
    xdg("XDG_DATA_HOME", ".local/share").join("derbes")
}

/// `$XDG_CONFIG_HOME/derbes`: preferences that must be known before a vault is unlocked.
pub fn config_dir() -> PathBuf {
    xdg("XDG_CONFIG_HOME", ".config").join("derbes")
}

/// The vault used when none is named: `DERBES_VAULT`, else `data_dir()/vault.derbes`.
pub fn default_vault() -> PathBuf {
    match std::env::var_os("DERBES_VAULT") {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => data_dir().join("vault.derbes"),
    }
}

/// The demo vault, generated on first use (passphrase `demo`).
pub fn demo_vault() -> PathBuf {
    data_dir().join("demo.derbes")
}
