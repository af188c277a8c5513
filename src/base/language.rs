//! The three languages of the interface, the letters and the exported tables: Russian, Kazakh and
//! English, by their ISO 639-1 codes.

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

crate::base::wire::by_name_both!(Language => code);
