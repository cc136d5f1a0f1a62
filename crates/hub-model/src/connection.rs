//! The hub server the desktop app talks to: what the first-run screen asks for, and what
//! the app reports about its connection. (The desktop shell's own business, not hub-core
//! operations: they decide where the operations are sent.)

use crate::app::HubHealth;
use crate::{ApiError, ErrorKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A hub server's address as a person types it, and the CA certificate to trust it by
/// when it uses a certificate of the school's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HubSettings {
    /// `https://hub.example.org` (the scheme may be left out: HTTPS is assumed).
    pub address: String,
    /// The path of a PEM file holding the CA certificate(s) to trust besides the
    /// computer's own; empty for a hub with a certificate the computer already trusts.
    #[serde(default)]
    pub ca_certificate_path: String,
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError {
        kind: ErrorKind::Validation,
        message: format!("{field}: {message}"),
        field: Some(field.to_owned()),
    }
}

/// A checked hub address: `https://host[:port][/path]`, or `http://` to this computer
/// only (plain HTTP elsewhere would carry passwords and tokens in the clear). Kept without
/// a trailing slash, the scheme and host lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HubAddress(String);

impl HubAddress {
    /// Parses a typed address; the refusal names `field` and says what to change.
    pub fn parse(field: &str, text: &str) -> Result<Self, ApiError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid(field, "enter the hub's address, e.g. https://hub.example.org"));
        }
        let lower = text.to_ascii_lowercase();
        let (https, rest) = if lower.starts_with("https://") {
            (true, &text["https://".len()..])
        } else if lower.starts_with("http://") {
            (false, &text["http://".len()..])
        } else if lower.contains("://") {
            return Err(invalid(field, "the address must start with https://"));
        } else {
            (true, text)
        };
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], rest[slash..].trim_end_matches('/')),
            None => (rest, ""),
        };
        if path.contains(['?', '#', ' ']) {
            return Err(invalid(field, "an address has no spaces, ? or # in its path"));
        }
        let (host, port) = split_port(authority)
            .ok_or_else(|| invalid(field, "the port must be a number from 1 to 65535"))?;
        let host = host.to_ascii_lowercase();
        if !valid_host(&host) {
            return Err(invalid(field, "that is not a server's name or address"));
        }
        if !https && !is_loopback(&host) {
            return Err(invalid(
                field,
                "plain http:// is only for a hub on this computer; use https:// (the hub's operator can tell you the address)",
            ));
        }
        let scheme = if https { "https" } else { "http" };
        let port = port.map(|port| format!(":{port}")).unwrap_or_default();
        Ok(Self(format!("{scheme}://{host}{port}{path}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// The address of something the hub serves: `path` starts with `/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

impl fmt::Display for HubAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for HubAddress {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse("address", &text).map_err(|error| error.message)
    }
}

impl From<HubAddress> for String {
    fn from(address: HubAddress) -> Self {
        address.0
    }
}

/// `host` and the port, if any (`None`: a port that is not a number in range).
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        // [v6]:port
        let end = authority.find(']')?;
        let rest = &authority[end + 1..];
        match rest.strip_prefix(':') {
            Some(port) => (&authority[..=end], Some(port)),
            None if rest.is_empty() => (&authority[..=end], None),
            None => return None,
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    match port {
        None => Some((host, None)),
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => Some((host, Some(port))),
            _ => None,
        },
    }
}

fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|host| host.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host == "[::1]"
}

/// Where the app's hub address comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionSource {
    /// `DIGITAL_HUB_URL` is set (`cargo xtask run`, tests): it wins over anything saved.
    Environment,
    /// Saved by the first-run screen.
    Saved,
    /// Nothing yet: the app asks.
    None,
}

/// Where the app keeps the signed-in person's session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretStorage {
    /// The operating system's keychain (macOS Keychain, Windows Credential Manager,
    /// the Secret Service on Linux).
    Keychain,
    /// No keychain answered: the app's settings file, readable by this account only.
    SettingsFile,
}

/// The hub the app talks to, for the first-run screen and the status line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionState {
    pub source: ConnectionSource,
    /// The address in use; `None` before the first run's choice.
    pub address: Option<HubAddress>,
    /// The path of the CA certificate the app trusts the hub by, if one was given.
    pub ca_certificate_path: Option<String>,
    /// Where a signed-in person's session token is kept on this computer.
    pub token_storage: Option<SecretStorage>,
}

/// A hub that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionCheck {
    pub address: HubAddress,
    pub health: HubHealth,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<String, String> {
        HubAddress::parse("address", text).map(String::from).map_err(|error| error.message)
    }

    #[test]
    fn addresses_are_normalised_https_being_assumed() {
        assert_eq!(parse(" hub.example.org ").unwrap(), "https://hub.example.org");
        assert_eq!(parse("HTTPS://Hub.Example.org:8443/").unwrap(), "https://hub.example.org:8443");
        assert_eq!(parse("https://example.org/hub/").unwrap(), "https://example.org/hub");
        assert_eq!(parse("https://10.0.0.5:8443").unwrap(), "https://10.0.0.5:8443");
        assert_eq!(parse("https://[2001:db8::1]:8443").unwrap(), "https://[2001:db8::1]:8443");
    }

    #[test]
    fn plain_http_is_for_this_computer_only() {
        assert_eq!(parse("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse("http://localhost:8080").unwrap(), "http://localhost:8080");
        assert_eq!(parse("http://[::1]:8080").unwrap(), "http://[::1]:8080");
        for remote in ["http://hub.example.org", "http://10.0.0.5:8080", "http://127.0.0.1.example.org"] {
            assert!(parse(remote).unwrap_err().contains("only for a hub on this computer"), "{remote}");
        }
    }

    #[test]
    fn malformed_addresses_are_refused_naming_the_field() {
        for bad in [
            "",
            "ftp://hub.example.org",
            "https://hub .example.org",
            "https://hub.example.org:0",
            "https://hub.example.org:99999",
            "https://hub.example.org/?x=1",
            "https://-hub.example.org",
            "https://[nope]:80",
            "https://",
        ] {
            let error = HubAddress::parse("address", bad).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("address"), "{bad:?}");
        }
    }

    #[test]
    fn an_address_reads_back_from_json_only_when_valid() {
        let address: HubAddress = serde_json::from_str("\"https://hub.example.org\"").unwrap();
        assert_eq!(address.join("/api/v1/health"), "https://hub.example.org/api/v1/health");
        assert!(serde_json::from_str::<HubAddress>("\"http://hub.example.org\"").is_err());
    }
}
