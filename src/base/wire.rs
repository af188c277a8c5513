//! How the core's values cross to the window, with the `serde` feature (the window's shell enables
//! it; the CLI and the tests of the core build without it). Read models derive `Serialize` with
//! camelCase fields where they are declared; a vocabulary crosses as its stable name — the one the
//! vault stores and the CLI accepts — written once here instead of in a copy per front-end.
//! `src-tauri/src/wire_test.rs` keeps what the page reads from changing.

/// A vocabulary: the enum, `ALL`, `name` (the stable name the vault stores and the CLI and the page
/// use), `parse`, and its serde form by that name.
macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        $crate::base::wire::by_name_both!($name => name);
    };
}
pub(crate) use vocab;

/// `Serialize` (and `Deserialize` through `parse`, for the vocabularies the page sends) by a
/// method that names the value: `by_name!(Channel => name)`, `by_name!(Language => code)`.
macro_rules! by_name {
    ($($t:ty => $name:ident),+ $(,)?) => {$(
        #[cfg(feature = "serde")]
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.$name())
            }
        }
    )+};
}
pub(crate) use by_name;

/// Like [`by_name!`], and read back from the page through the type's `parse` (an `Option`).
macro_rules! by_name_both {
    ($($t:ty => $name:ident),+ $(,)?) => {$(
        $crate::base::wire::by_name!($t => $name);
        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                <$t>::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format_args!("unknown {}", stringify!($t)))
                })
            }
        }
    )+};
}
pub(crate) use by_name_both;

/// For an optional choice the page may send empty: a known name, or `None` for anything else
/// (the step then says which field is required, as the form shows it).
#[cfg(feature = "serde")]
pub(crate) fn known_or_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(s.and_then(|s| {
        T::deserialize(serde::de::value::StringDeserializer::<D::Error>::new(s)).ok()
    }))
}

/// An optional date as the page's date fields take it: `YYYY-MM-DD`, or empty.
#[cfg(feature = "serde")]
pub(crate) fn date_or_empty<S: serde::Serializer>(
    d: &Option<chrono::NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_str(""),
    }
}
