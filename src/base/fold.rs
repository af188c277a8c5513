//! Text folding for search and sorting: case, `ё`→`е`, and each Kazakh letter to the Russian letter a
//! user types for it on a Russian keyboard (`кайрат` finds `Қайрат`, `айгерим` finds `Әйгерім`).
//! SQLite's FTS5 folds Cyrillic case but keeps `ё` and the Kazakh letters distinct, so the registry
//! indexes folded text and folds queries the same way.

/// Folds one character (after lower-casing).
fn fold_char(c: char) -> char {
    match c {
        'ё' => 'е',
        'ә' => 'а',
        'ғ' => 'г',
        'қ' => 'к',
        'ң' => 'н',
        'ө' => 'о',
        'ұ' | 'ү' => 'у',
        'һ' => 'х',
        'і' => 'и',
        c => c,
    }
}

pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .collect()
}

/// The folded words of `s`: runs of letters and digits.
pub fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Appends the folded words of `s` to `out`, each after a space when `out` is not empty: the
/// words of [`words`] joined, without a string per word (an import folds a million of them).
pub fn push_words(out: &mut String, s: &str) {
    let mut in_word = false;
    for c in s.chars().flat_map(char::to_lowercase).map(fold_char) {
        if c.is_alphanumeric() {
            if !in_word && !out.is_empty() {
                out.push(' ');
            }
            in_word = true;
            out.push(c);
        } else {
            in_word = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_and_yo() {
        assert_eq!(fold("Қайрат"), "кайрат");
        assert_eq!(fold("Әйгерім"), "айгерим");
        assert_eq!(fold("Фёдоров"), "федоров");
        assert_eq!(fold("ҒҢӨҰҮҺІ"), "гноуухи");
        assert_eq!(
            words("Ұлжан, kasymova@mail.kz"),
            ["улжан", "kasymova", "mail", "kz"]
        );
        let mut out = String::new();
        push_words(&mut out, "  Ұлжан, kasymova@mail.kz ");
        push_words(&mut out, "");
        push_words(&mut out, "Ёлка-2");
        assert_eq!(out, "улжан kasymova mail kz елка 2");
        assert_eq!(
            out,
            [words("Ұлжан, kasymova@mail.kz"), words("Ёлка-2")]
                .concat()
                .join(" ")
        );
    }
}
