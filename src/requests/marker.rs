//! The fixed subject lines the operator's policy tells people to use (policy 6.2, 8.3, 8.4;
//! `docs/domain.md` §5), in English, Russian and Kazakh, and recognising them in a message
//! subject whatever the case, spacing, `Re:`/`Fwd:` prefixes or Kazakh letters typed as Russian
//! ones.

use crate::base::fold::fold;
use crate::base::request_kind::RequestKind;

/// (kind, the policy's English line, Russian, Kazakh).
pub const MARKERS: [(RequestKind, &str, &str, &str); 3] = [
    (
        RequestKind::RefuseMarketing,
        "Refusal to receive notifications about new products and services and special offers",
        "Отказ от получения уведомлений о новых продуктах и услугах и специальных предложениях",
        "Жаңа өнімдер мен қызметтер және арнайы ұсыныстар туралы хабарламаларды алудан бас тарту",
    ),
    (
        RequestKind::Update,
        "Update of personal data",
        "Обновление персональных данных",
        "Дербес деректерді жаңарту",
    ),
    (
        RequestKind::WithdrawConsent,
        "Withdrawal of consent to the processing of personal data",
        "Отзыв согласия на обработку персональных данных",
        "Дербес деректерді өңдеуге келісімді кері қайтарып алу",
    ),
];

/// Reply and forward prefixes of common mail programs (English, Russian, German, Kazakh).
const PREFIXES: [&str; 9] = [
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "ответ",
    "отв",
    "пересл",
    "жауап",
];

/// Folded words of `s` joined by single spaces, without leading reply/forward prefixes.
fn normalize(s: &str) -> String {
    let folded = fold(s);
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // "Re[2]:" leaves a number behind its prefix.
    while let Some(first) = words.first() {
        if PREFIXES.contains(first)
            || (first.chars().all(|c| c.is_ascii_digit()) && words.len() > 1)
        {
            words.remove(0);
        } else {
            break;
        }
    }
    words.join(" ")
}

/// The request kind a subject line names, if it carries one of the policy's markers.
pub fn recognise(subject: &str) -> Option<RequestKind> {
    let s = normalize(subject);
    if s.is_empty() {
        return None;
    }
    MARKERS.iter().find_map(|(kind, en, ru, kk)| {
        [en, ru, kk]
            .iter()
            .any(|m| s.contains(&normalize(m)))
            .then_some(*kind)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_marker_in_every_language() {
        for (kind, en, ru, kk) in MARKERS {
            for m in [en, ru, kk] {
                assert_eq!(recognise(m), Some(kind), "{m}");
                assert_eq!(recognise(&m.to_uppercase()), Some(kind), "{m}");
                assert_eq!(recognise(&format!("Re: Fwd:  {m}.")), Some(kind), "{m}");
            }
        }
    }

    #[test]
    fn tolerant_but_not_loose() {
        assert_eq!(
            recognise("RE[2]:   обновление   ПЕРСОНАЛЬНЫХ данных!"),
            Some(RequestKind::Update)
        );
        // Kazakh letters typed with a Russian keyboard.
        assert_eq!(
            recognise("Дербес деректерди жанарту"),
            Some(RequestKind::Update)
        );
        assert_eq!(recognise("Обновление данных"), None);
        assert_eq!(recognise("Re: вопрос по заказу"), None);
        assert_eq!(recognise(""), None);
    }
}
