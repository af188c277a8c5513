//! Preferences kept outside the vault because they are needed before it is unlocked: the interface
//! language, the idle time before the window locks, and the last vault opened. A plain `key=value`
//! file in the config directory; it never holds personal data.

use crate::error::Result;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Ru,
    Kk,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::Kk => "kk",
            Language::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "ru" => Some(Language::Ru),
            "kk" => Some(Language::Kk),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// Auto-lock bounds in minutes (issue: default 10).
pub const IDLE_DEFAULT: u32 = 10;
pub const IDLE_MIN: u32 = 1;
pub const IDLE_MAX: u32 = 240;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub language: Language,
    pub idle_minutes: u32,
    pub last_vault: Option<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            language: Language::Ru,
            idle_minutes: IDLE_DEFAULT,
            last_vault: None,
        }
    }
}

impl Prefs {
    pub fn file() -> PathBuf {
        crate::paths::config_dir().join("prefs")
    }

    /// Reads the preferences; a missing or unreadable file gives the defaults, an unknown or
    /// out-of-range value is ignored (a hand-edited file must not keep the app from starting).
    pub fn load_from(path: &Path) -> Prefs {
        let mut p = Prefs::default();
        let Ok(text) = std::fs::read_to_string(path) else {
            return p;
        };
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            match (k.trim(), v.trim()) {
                ("language", v) => {
                    if let Some(l) = Language::parse(v) {
                        p.language = l;
                    }
                }
                ("idle_minutes", v) => {
                    if let Ok(m) = v.parse::<u32>() {
                        p.idle_minutes = m.clamp(IDLE_MIN, IDLE_MAX);
                    }
                }
                ("last_vault", v) if !v.is_empty() => p.last_vault = Some(PathBuf::from(v)),
                _ => {}
            }
        }
        p
    }

    /// Writes atomically: a temporary file renamed over the old one.
    pub fn save_to(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = format!(
            "language={}\nidle_minutes={}\n",
            self.language.code(),
            self.idle_minutes.clamp(IDLE_MIN, IDLE_MAX)
        );
        if let Some(v) = &self.last_vault {
            text.push_str(&format!("last_vault={}\n", v.display()));
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tolerance() {
        let dir = std::env::temp_dir().join(format!("derbes-prefs-{}", std::process::id()));
        let f = dir.join("prefs");
        let p = Prefs {
            language: Language::Kk,
            idle_minutes: 5,
            last_vault: Some(PathBuf::from("/tmp/x.derbes")),
        };
        p.save_to(&f).unwrap();
        assert_eq!(Prefs::load_from(&f), p);
        std::fs::write(&f, "language=fr\nidle_minutes=99999\ngarbage\n").unwrap();
        let q = Prefs::load_from(&f);
        assert_eq!(q.language, Language::Ru);
        assert_eq!(q.idle_minutes, IDLE_MAX);
        std::fs::remove_dir_all(dir).ok();
    }
}
