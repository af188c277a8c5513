//! E-mail addresses and phone numbers: validated, stored as typed for display and normalised for
//! matching (a lower-case e-mail; a phone in E.164, `+7XXXXXXXXXX` for Kazakhstan).

/// A normalised e-mail address, or `None` when it is not one.
pub fn normalize_email(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = s.rsplit_once('@')?;
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return None;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return None;
    }
    if !local
        .chars()
        .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    for l in &labels {
        if l.is_empty()
            || l.len() > 63
            || l.starts_with('-')
            || l.ends_with('-')
            || !l.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return None;
        }
    }
    Some(s.to_lowercase())
}

/// A phone number in E.164 (`+` and 8–15 digits), or `None`. Kazakh habits are understood:
/// `8 701 …` and `7 701 …` (11 digits) and a bare 10-digit `701 …` mean `+7 701 …`.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let plus = s.starts_with('+');
    let mut digits = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '(' | ')' | '.' | '\u{a0}' => {}
            _ => return None,
        }
    }
    let e164 = if plus {
        digits
    } else if digits.len() == 11 && (digits.starts_with('8') || digits.starts_with('7')) {
        format!("7{}", &digits[1..])
    } else if digits.len() == 10 && digits.starts_with('7') {
        format!("7{digits}")
    } else {
        return None;
    };
    if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
        return None;
    }
    if e164.starts_with('7') && e164.len() != 11 {
        return None;
    }
    Some(format!("+{e164}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Aigerim.Kasymova@Mail.KZ ").as_deref(),
            Some("aigerim.kasymova@mail.kz")
        );
        assert_eq!(
            normalize_email("user@пример.қаз").as_deref(),
            Some("user@пример.қаз")
        );
        for bad in [
            "",
            "no-at",
            "a@b",
            "a@@b.kz",
            "a b@c.kz",
            ".a@b.kz",
            "a@-b.kz",
            "<script>@x.kz",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn phones() {
        for (raw, norm) in [
            ("+7 (701) 123 45 67", "+77011234567"),
            ("87011234567", "+77011234567"),
            ("7 701 123-45-67", "+77011234567"),
            ("701 123 45 67", "+77011234567"),
            ("+49 30 1234567", "+49301234567"),
        ] {
            assert_eq!(normalize_phone(raw).as_deref(), Some(norm), "{raw}");
        }
        for bad in ["", "123", "+7 701 123", "phone", "8-800", "+0123456789"] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }
}
