//! Preferences kept outside the vault because they are needed before it is unlocked: the interface
//! language, the idle time before the window locks, and the last vault opened. A plain `key=value`
//! file in the config directory; it never holds personal data.

use derbes::Result;
pub use derbes::base::language::Language;
use std::path::{Path, PathBuf};

/// Auto-lock bounds in minutes (issue: default 10).
pub const IDLE_DEFAULT: u32 = 10;
pub const IDLE_MIN: u32 = 1;
pub const IDLE_MAX: u32 = 240;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub language: Language,
    pub idle_minutes: u32,
    pub last_vault: Option<PathBuf>,
    /// Where the window was when it was last closed.
    pub window: Option<Geometry>,
}

/// The window's place and size in physical pixels, and whether it was maximized (then the place
/// and size are those it returns to when unmaximized).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

impl Geometry {
    /// Smaller than the window's minimum or larger than any screen: a damaged file.
    const MIN: u32 = 300;
    const MAX: u32 = 20_000;

    fn parse(s: &str) -> Option<Geometry> {
        let v: Vec<&str> = s.split(',').map(str::trim).collect();
        let [x, y, w, h, m] = v.as_slice() else {
            return None;
        };
        let g = Geometry {
            x: x.parse().ok()?,
            y: y.parse().ok()?,
            width: w.parse().ok()?,
            height: h.parse().ok()?,
            maximized: *m == "1",
        };
        let sane = |n: u32| (Self::MIN..=Self::MAX).contains(&n);
        (sane(g.width) && sane(g.height) && g.x.abs() < 100_000 && g.y.abs() < 100_000).then_some(g)
    }

    fn format(&self) -> String {
        format!(
            "{},{},{},{},{}",
            self.x,
            self.y,
            self.width,
            self.height,
            u8::from(self.maximized)
        )
    }
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            language: Language::Ru,
            idle_minutes: IDLE_DEFAULT,
            last_vault: None,
            window: None,
        }
    }
}

impl Prefs {
    pub fn file() -> PathBuf {
        derbes::base::paths::config_dir().join("prefs")
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
                ("window", v) => p.window = Geometry::parse(v),
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
        if let Some(g) = &self.window {
            text.push_str(&format!("window={}\n", g.format()));
        }
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    }
}
