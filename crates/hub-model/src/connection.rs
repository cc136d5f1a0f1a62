//! The desktop app's database connection: what the first-run screen asks for, and what
//! the app reports about the connection it uses. (The desktop shell's own commands, not
//! hub-core operations: they decide which database the operations run against.)

use crate::app::SchemaStatus;
use crate::{ApiError, ErrorKind};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A PostgreSQL server, database and account, as a person types them.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSettings {
    pub host: String,
    /// As typed: checked to be a port number by [`ConnectionSettings::check`].
    pub port: String,
    pub database: String,
    pub user: String,
    /// Empty for servers that need none (trust or peer authentication).
    #[serde(default)]
    pub password: String,
}

impl fmt::Debug for ConnectionSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError {
        kind: ErrorKind::Validation,
        message: format!("{field}: {message}"),
        field: Some(field.to_owned()),
    }
}

impl ConnectionSettings {
    /// The settings trimmed, with the port as a number; the first missing or malformed
    /// field named.
    pub fn check(&self) -> Result<(Self, u16), ApiError> {
        let trimmed = Self {
            host: self.host.trim().to_owned(),
            port: self.port.trim().to_owned(),
            database: self.database.trim().to_owned(),
            user: self.user.trim().to_owned(),
            password: self.password.clone(),
        };
        if trimmed.host.is_empty() {
            return Err(invalid("host", "enter the server's name or address"));
        }
        if trimmed.host.chars().any(|c| c.is_whitespace() || c == '/' || c == '@') {
            return Err(invalid("host", "a server name or address has no spaces, slashes or @"));
        }
        let port = match trimmed.port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ if trimmed.port.is_empty() => {
                return Err(invalid("port", "enter the port (PostgreSQL's is 5432)"))
            }
            _ => return Err(invalid("port", "must be a number from 1 to 65535")),
        };
        if trimmed.database.is_empty() {
            return Err(invalid("database", "enter the database's name"));
        }
        if trimmed.user.is_empty() {
            return Err(invalid("user", "enter the PostgreSQL user name"));
        }
        Ok((trimmed, port))
    }

    /// `host:port/database`, for messages; never the password.
    pub fn target(&self) -> String {
        format!("{}:{}/{}", self.host.trim(), self.port.trim(), self.database.trim())
    }
}

/// Where the app's database connection comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionSource {
    /// DATABASE_URL is set (`cargo xtask run`, tests, operators): it wins over anything saved.
    Environment,
    /// Saved by the first-run screen.
    Saved,
    /// Nothing yet: the app asks.
    None,
}

/// Where a saved connection's password is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordStorage {
    /// The connection needs no password.
    NotNeeded,
    /// The operating system's keychain (macOS Keychain, Windows Credential Manager,
    /// the Secret Service on Linux).
    Keychain,
    /// No keychain answered: the app's settings file, readable by this account only.
    SettingsFile,
}

/// What the app knows about its connection, for the first-run screen and settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionState {
    pub source: ConnectionSource,
    /// The saved settings, without the password, to edit them.
    pub saved: Option<ConnectionSettings>,
    pub password_storage: Option<PasswordStorage>,
}

/// A successful test of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionCheck {
    /// `host:port/database`.
    pub target: String,
    pub schema: SchemaStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(host: &str, port: &str, database: &str, user: &str) -> ConnectionSettings {
        ConnectionSettings {
            host: host.into(),
            port: port.into(),
            database: database.into(),
            user: user.into(),
            password: "secret".into(),
        }
    }

    #[test]
    fn each_missing_or_malformed_field_is_named() {
        let field = |s: ConnectionSettings| s.check().unwrap_err().field.unwrap();
        assert_eq!(field(settings(" ", "5432", "hub", "me")), "host");
        assert_eq!(field(settings("db host", "5432", "hub", "me")), "host");
        assert_eq!(field(settings("db", "", "hub", "me")), "port");
        assert_eq!(field(settings("db", "70000", "hub", "me")), "port");
        assert_eq!(field(settings("db", "0", "hub", "me")), "port");
        assert_eq!(field(settings("db", "5432", " ", "me")), "database");
        assert_eq!(field(settings("db", "5432", "hub", "")), "user");
    }

    #[test]
    fn good_settings_are_trimmed_and_the_password_kept_as_typed() {
        let (checked, port) = settings(" db.local ", " 6432 ", " hub ", " me ").check().unwrap();
        assert_eq!((checked.host.as_str(), port, checked.database.as_str()), ("db.local", 6432, "hub"));
        assert_eq!(checked.user, "me");
        assert_eq!(checked.password, "secret");
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        assert!(!format!("{:?}", settings("db", "5432", "hub", "me")).contains("secret"));
    }
}
