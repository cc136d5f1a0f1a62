//! Input newtypes: a value of one of these types has been parsed and is valid, so code
//! past the boundary cannot hold a bad one. Each parse error names the field it is for.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A refused input: which field, and why, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    pub field: &'static str,
    pub message: String,
}

impl InvalidInput {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self { field, message: message.into() }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for InvalidInput {}

/// An email address, trimmed and lower-cased so one person has one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(InvalidInput::new(field, "enter an email address"));
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(InvalidInput::new(field, "is longer than 254 characters"));
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err(InvalidInput::new(field, "must look like name@example.org"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty() && !local.contains('@');
        if !domain_ok || !local_ok || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidInput::new(field, "must look like name@example.org"));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number, stored as `+` (when typed) and digits, so one number has one spelling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(InvalidInput::new(field, "enter a phone number"));
        }
        if !raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
            return Err(InvalidInput::new(field, "may hold only digits, spaces, +, -, ( and )"));
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if !(6..=15).contains(&digits.len()) {
            return Err(InvalidInput::new(field, "must have between 6 and 15 digits"));
        }
        let plus = if raw.starts_with('+') { "+" } else { "" };
        Ok(Self(format!("{plus}{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits alone: how numbers are compared.
    pub fn digits(&self) -> &str {
        self.0.trim_start_matches('+')
    }
}

/// A person's display name: trimmed, not empty, at most 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_LEN: usize = 200;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(InvalidInput::new(field, "enter a name"));
        }
        if name.chars().count() > Self::MAX_LEN {
            return Err(InvalidInput::new(field, "is longer than 200 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidInput::new(field, "must not contain control characters"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A web address people may follow: `http://` or `https://`, a host, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebUrl(String);

impl WebUrl {
    pub const MAX_LEN: usize = 500;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let url = raw.trim();
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
        let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
        let valid = host.is_some_and(|host| {
            !host.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }) && !url.chars().any(char::is_whitespace);
        if !valid {
            return Err(InvalidInput::new(field, "must be a web address starting with https:// or http://"));
        }
        if url.chars().count() > Self::MAX_LEN {
            return Err(InvalidInput::new(field, "is longer than 500 characters"));
        }
        Ok(Self(url.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An image's address: an image the hub keeps (`/media/…`, as an upload answers) or a
    /// web address.
    pub fn image(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let address = raw.trim();
        if crate::media::MediaPath::parse(address).is_some() {
            return Ok(Self(address.to_owned()));
        }
        Self::parse(field, raw).map_err(|_| {
            InvalidInput::new(
                field,
                "must be an uploaded image or a web address starting with https:// or http://",
            )
        })
    }
}

/// A URL-safe address part: lower-case letters, digits and single hyphens, 2 to 80 long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let slug = raw.trim();
        let allowed = slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=80).contains(&slug.len())
            || !allowed
            || slug.starts_with('-')
            || slug.ends_with('-')
            || slug.contains("--")
        {
            return Err(InvalidInput::new(
                field,
                "use 2 to 80 lower-case letters, digits and single hyphens (like jana-harb)",
            ));
        }
        Ok(Self(slug.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password as chosen by a person. Never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 1024;

    pub fn parse(field: &'static str, raw: &str) -> Result<Self, InvalidInput> {
        let length = raw.chars().count();
        if length < Self::MIN_LEN {
            return Err(InvalidInput::new(field, "must be at least 10 characters long"));
        }
        if length > Self::MAX_LEN {
            return Err(InvalidInput::new(field, "must be at most 1024 characters long"));
        }
        if raw.trim().is_empty() {
            return Err(InvalidInput::new(field, "must not be only spaces"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = Email::parse("email", "  Rana.Haddad@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "rana.haddad@example.org");
    }

    #[test]
    fn email_without_domain_dot_or_at_is_refused_naming_the_field() {
        for bad in ["", "rana", "rana@", "@example.org", "rana@example", "ra na@example.org", "a@b..org"] {
            let error = Email::parse("email", bad).unwrap_err();
            assert_eq!(error.field, "email", "{bad:?}");
        }
    }

    #[test]
    fn phones_keep_the_plus_and_the_digits_only() {
        let phone = Phone::parse("phone", " +961 (71) 100-200 ").unwrap();
        assert_eq!((phone.as_str(), phone.digits()), ("+96171100200", "96171100200"));
        for bad in ["", "12345", "call me", "+1 234 567 890 123 456"] {
            assert_eq!(Phone::parse("phone", bad).unwrap_err().field, "phone", "{bad:?}");
        }
    }

    #[test]
    fn web_addresses_must_be_http_or_https_with_a_host() {
        assert_eq!(
            WebUrl::parse("github_url", " https://github.com/jana ").unwrap().as_str(),
            "https://github.com/jana"
        );
        for bad in [
            "github.com/jana",
            "javascript:alert(1)",
            "https://",
            "https://nohost",
            "http://a b.org",
            "ftp://x.org",
        ] {
            assert_eq!(WebUrl::parse("github_url", bad).unwrap_err().field, "github_url", "{bad:?}");
        }
    }

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert_eq!(Slug::parse("public_slug", "jana-harb-2").unwrap().as_str(), "jana-harb-2");
        for bad in ["J", "Jana", "jana harb", "-jana", "jana-", "jana--harb", "jana_harb"] {
            assert!(Slug::parse("public_slug", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn person_name_must_not_be_blank_or_huge() {
        assert_eq!(PersonName::parse("name", " Rana Haddad ").unwrap().as_str(), "Rana Haddad");
        assert!(PersonName::parse("name", "   ").is_err());
        assert!(PersonName::parse("name", &"x".repeat(201)).is_err());
    }

    #[test]
    fn short_passwords_are_refused_and_debug_never_shows_one() {
        assert_eq!(NewPassword::parse("password", "short").unwrap_err().field, "password");
        let password = NewPassword::parse("password", "correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn no_request_accepts_an_empty_object_and_refuses_unknown_fields() {
        let _: crate::NoRequest = serde_json::from_str("{}").unwrap();
        assert!(serde_json::from_str::<crate::NoRequest>(r#"{"x":1}"#).is_err());
    }
}
