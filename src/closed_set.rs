//! Closed sets of named values (a pending request's state, a record's kind, who decided, …):
//! one list per set gives the enum, its wire and database text, its parser and the list the
//! documentation shows, so the four cannot drift apart. Pure; no I/O.

/// A value outside a closed set: read from the wire, the database or the command line, it is an
/// error, never a silent default.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{got}` is not a known {what} (expected one of: {expected})")]
pub struct UnknownValue {
    /// What the value names, e.g. "record kind".
    pub what: &'static str,
    pub got: String,
    /// The known values, comma-separated.
    pub expected: String,
}

/// Declares an enum whose every variant has one fixed text: `Variant = "text"`. The enum gets
/// serde (`#[serde(rename = …)]` per variant: the text is the wire and export form, and an
/// unknown text is a deserialization error), `ALL`, `as_str`, `Display`, `FromStr` (an
/// [`UnknownValue`] naming the set) and `list` (the texts, for documentation).
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's text on the wire, in the database and in exports.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Every value's text, in backquotes, joined as a sentence lists them
            /// ("`a`, `b` or `c`"): what the documentation shows.
            pub fn list(last: &str) -> String {
                $crate::closed_set::join(Self::ALL.iter().map(|v| v.as_str()), last)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::closed_set::UnknownValue;
            fn from_str(s: &str) -> Result<$name, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::closed_set::UnknownValue {
                        what: $what,
                        got: s.to_owned(),
                        expected: Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    }),
                }
            }
        }
    };
}
pub(crate) use closed_set;

/// "`a`, `b` and `c`" (with `last` = "and").
pub fn join<'a>(items: impl Iterator<Item = &'a str>, last: &str) -> String {
    let items: Vec<String> = items.map(|s| format!("`{s}`")).collect();
    match items.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((tail, head)) => format!("{} {last} {tail}", head.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    closed_set! {
        /// A test set.
        enum Colour ("colour") {
            Red = "red",
            DarkBlue = "dark_blue",
        }
    }

    #[test]
    fn the_text_is_the_wire_form_and_an_unknown_one_is_an_error() {
        for c in Colour::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::Value::String(c.as_str().into()));
            assert_eq!(serde_json::from_value::<Colour>(c.as_str().into()).unwrap(), *c);
            assert_eq!(c.as_str().parse::<Colour>().unwrap(), *c);
        }
        let e = "green".parse::<Colour>().unwrap_err();
        assert_eq!(e.to_string(), "`green` is not a known colour (expected one of: red, dark_blue)");
        assert!(serde_json::from_value::<Colour>("Red".into()).is_err());
        assert_eq!(Colour::list("or"), "`red` or `dark_blue`");
        assert_eq!(super::join(["a", "b", "c"].into_iter(), "and"), "`a`, `b` and `c`");
        assert_eq!(super::join(["a"].into_iter(), "and"), "`a`");
    }
}
