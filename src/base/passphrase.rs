//! The vault passphrase: held in memory that is wiped when dropped, never printed.

use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// Minimum length of a new passphrase. Short passphrases fall to offline guessing once the file is
/// copied; SQLCipher's KDF (PBKDF2-SHA512, 256 000 rounds) only slows each guess.
pub const MIN_LEN: usize = 10;

pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// How hard a new passphrase would be to guess, shown as a hint while it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    TooShort,
    Weak,
    Fair,
    Strong,
}

impl Strength {
    pub fn code(self) -> &'static str {
        match self {
            Strength::TooShort => "too_short",
            Strength::Weak => "weak",
            Strength::Fair => "fair",
            Strength::Strong => "strong",
        }
    }
}

impl Passphrase {
    /// Wraps a passphrase to unlock an existing vault: any non-empty text.
    pub fn existing(s: impl Into<String>) -> Result<Passphrase> {
        let s = Zeroizing::new(s.into());
        if s.is_empty() {
            return Err(Error::PassphraseEmpty);
        }
        Ok(Passphrase(s))
    }

    /// Wraps a passphrase for a new vault or a rekey: at least [`MIN_LEN`] characters.
    pub fn new_secret(s: impl Into<String>) -> Result<Passphrase> {
        let p = Passphrase::existing(s)?;
        if p.0.chars().count() < MIN_LEN {
            return Err(Error::PassphraseTooShort { min: MIN_LEN });
        }
        Ok(p)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Compares with another secret (e.g. the confirmation field) without copying either.
    pub fn bytes_eq(&self, other: &[u8]) -> bool {
        self.0.as_bytes() == other
    }

    pub fn strength(&self) -> Strength {
        strength(&self.0)
    }
}

/// A rough estimate: length times the size of the alphabets used, with a penalty for repeats.
/// Enough to steer a user away from `1234567890`; not a cracking model.
pub fn strength(s: &str) -> Strength {
    let len = s.chars().count();
    if len < MIN_LEN {
        return Strength::TooShort;
    }
    let mut pool = 0u32;
    if s.chars().any(|c| c.is_lowercase()) {
        pool += 26;
    }
    if s.chars().any(|c| c.is_uppercase()) {
        pool += 26;
    }
    if s.chars().any(|c| c.is_ascii_digit()) {
        pool += 10;
    }
    if s.chars().any(|c| !c.is_alphanumeric()) {
        pool += 20;
    }
    if !s.is_ascii() {
        // Cyrillic and Kazakh letters widen the alphabet.
        pool += 40;
    }
    let mut distinct: Vec<char> = s.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let effective = len.min(distinct.len() * 2) as f64;
    let bits = effective * f64::from(pool.max(1)).log2();
    match bits {
        b if b < 45.0 => Strength::Weak,
        b if b < 70.0 => Strength::Fair,
        _ => Strength::Strong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_grades() {
        assert_eq!(strength("short"), Strength::TooShort);
        assert_eq!(strength("1234567890"), Strength::Weak);
        assert_eq!(strength("aaaaaaaaaaaaaaaa"), Strength::Weak);
        assert_eq!(strength("correcthorse"), Strength::Fair);
        assert_eq!(strength("Қызыл-алма 2026 көктемде!"), Strength::Strong);
    }

    #[test]
    fn rules() {
        assert!(matches!(
            Passphrase::existing(""),
            Err(Error::PassphraseEmpty)
        ));
        assert!(matches!(
            Passphrase::new_secret("abc"),
            Err(Error::PassphraseTooShort { min: MIN_LEN })
        ));
        assert!(Passphrase::existing("demo").is_ok());
    }
}
