//! Lists a page at a time: what a list answers, and the sort order it was asked for.

use serde::{Deserialize, Serialize};

/// One page of a list, and how many items match the list's filters over all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// How many pages the list has (at least one, empty or not).
    pub fn pages(&self) -> u32 {
        let per_page = i64::from(self.per_page.max(1));
        u32::try_from(((self.total + per_page - 1) / per_page).max(1)).unwrap_or(u32::MAX)
    }
}

/// Declares a list's sort keys: an enum (snake_case on the wire, the first one the
/// default) with `as_str` for queries and `parse` for the UI's column headers.
#[macro_export]
macro_rules! sort_keys {
    ($(#[$meta:meta])* $name:ident { $first:ident = $first_key:literal $(, $variant:ident = $key:literal)* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            #[default]
            $first,
            $($variant,)*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    Self::$first => $first_key,
                    $(Self::$variant => $key,)*
                }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $first_key => Some(Self::$first),
                    $($key => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    sort_keys!(Example { Title = "title", StartsAt = "starts_at" });

    #[test]
    fn sort_keys_read_as_they_are_written() {
        assert_eq!(Example::default(), Example::Title);
        assert_eq!(Example::parse("starts_at"), Some(Example::StartsAt));
        assert_eq!(serde_json::to_string(&Example::StartsAt).unwrap(), "\"starts_at\"");
        assert_eq!(Example::parse("nope"), None);
        assert_eq!(Example::StartsAt.as_str(), "starts_at");
    }

    #[test]
    fn an_empty_list_has_one_page() {
        let page = Page::<u8> { items: vec![], total: 0, page: 1, per_page: 25 };
        assert_eq!(page.pages(), 1);
        assert_eq!(Page::<u8> { total: 51, ..page }.pages(), 3);
    }
}
