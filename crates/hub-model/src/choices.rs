//! Closed sets of values kept as text (a cohort's status, a session's delivery mode, a
//! mark): one enum each, the same on the wire, in the database and in every screen.

/// What every set declared with [`choices!`] offers, for code that lists any of them (a
/// screen's select).
pub trait Choice: Copy + PartialEq + 'static {
    /// Every value, in the order screens list them.
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
    fn label(self) -> &'static str;
}

/// A text that is none of a set's values: what `str::parse` says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChoice {
    /// The set's name, e.g. `CohortStatus`.
    pub of: &'static str,
    pub value: String,
}

impl std::fmt::Display for UnknownChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} is not a {}", self.value, self.of)
    }
}

impl std::error::Error for UnknownChoice {}

/// Declares a closed set of values: an enum whose variants travel as their text, with
/// `ALL` (in the order screens list them), `as_str` (the text the database and the API
/// keep), `parse` (that text back), and `label` (what people read). `Display` shows the
/// label. Each text is its variant's name in snake_case (`ComingSoon = "coming_soon"`).
#[macro_export]
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $key:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // Every set's texts are its variants in snake_case: said here too for utoipa, which
        // does not read a variant's `rename` given through this macro (serde does).
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            pub const ALL: [Self; [$($key),+].len()] = [$(Self::$variant),+];

            /// The text the database and the API keep.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)+
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($key => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// What people read: "Coming soon", "On site".
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl $crate::choices::Choice for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }

            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::choices::UnknownChoice;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw).ok_or_else(|| $crate::choices::UnknownChoice { of: stringify!($name), value: raw.to_owned() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Choice;

    /// Every set's values read back as they are written, and each text is its variant's
    /// name in snake_case, as `rename_all` tells utoipa (the OpenAPI document) it is.
    fn holds<C: Choice + std::fmt::Debug + serde::Serialize + std::str::FromStr>() {
        for &choice in C::all() {
            let wire = serde_json::to_string(&choice).unwrap();
            assert_eq!(wire, format!("\"{}\"", choice.as_str()), "{choice:?}");
            assert!(choice.as_str().parse::<C>().is_ok(), "{choice:?}");
            let mut snake = String::new();
            for (index, letter) in format!("{choice:?}").chars().enumerate() {
                if letter.is_uppercase() && index > 0 {
                    snake.push('_');
                }
                snake.extend(letter.to_lowercase());
            }
            assert_eq!(choice.as_str(), snake, "{choice:?}");
            assert!(!choice.label().is_empty(), "{choice:?}");
        }
    }

    #[test]
    fn every_set_of_the_model_travels_as_its_variants_in_snake_case() {
        use crate::{
            announcements, applications, attendance, cms, inbox, mail, profiles, programs, public, sessions,
            users,
        };
        holds::<announcements::Audience>();
        holds::<announcements::AnnouncementState>();
        holds::<applications::ApplicationStatus>();
        holds::<attendance::Mark>();
        holds::<cms::TokenScope>();
        holds::<inbox::MessageStatus>();
        holds::<mail::MailKind>();
        holds::<mail::MailStatus>();
        holds::<profiles::StudentStatus>();
        holds::<programs::CohortStatus>();
        holds::<programs::CohortRole>();
        holds::<programs::EnrollmentStatus>();
        holds::<public::FieldType>();
        holds::<sessions::DeliveryMode>();
        holds::<sessions::SessionType>();
        holds::<users::Role>();
    }

    choices!(
        /// A test set.
        Example { First = "first" => "The first", SecondOne = "second_one" => "Second one" }
    );

    #[test]
    fn a_choice_reads_back_as_it_is_written() {
        for choice in Example::ALL {
            assert_eq!(Example::parse(choice.as_str()), Some(choice));
            let wire = serde_json::to_string(&choice).unwrap();
            assert_eq!(wire, format!("\"{}\"", choice.as_str()));
            assert_eq!(serde_json::from_str::<Example>(&wire).unwrap(), choice);
        }
        assert_eq!(Example::SecondOne.as_str(), "second_one");
        assert_eq!(Example::SecondOne.to_string(), "Second one");
        assert_eq!(Example::parse("Second one"), None);
        assert_eq!("second_one".parse::<Example>(), Ok(Example::SecondOne));
        assert_eq!("third".parse::<Example>().unwrap_err().to_string(), "\"third\" is not a Example");
        assert!(serde_json::from_str::<Example>("\"third\"").is_err());
    }
}
