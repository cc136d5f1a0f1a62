//! The operation catalogue: every operation's dotted name, who may call it, and its
//! request and response types. hub-core implements each one; the desktop UI and
//! `hubctl call` reach them by name through the same dispatcher.

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// Who may call an operation. Checked by hub-core before the handler runs; handlers add
/// ownership rules (an instructor's own cohorts, a student's own records) on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// No sign-in needed.
    Anyone,
    /// Any active signed-in user.
    Authenticated,
    Admin,
    Instructor,
    Student,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::Authenticated => "authenticated",
            Self::Admin => "admin",
            Self::Instructor => "instructor",
            Self::Student => "student",
        }
    }
}

impl fmt::Display for Access {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One operation of the catalogue. Implemented by a unit struct per operation, so the
/// UI's `ipc::call::<AppInfo>(…)` and hub-core's handler share one name and one pair of types.
pub trait Operation {
    /// `area.verb`, e.g. `users.create`.
    const NAME: &'static str;
    const ACCESS: Access;
    /// One line for `hubctl call --list`.
    const SUMMARY: &'static str;
    type Request: Serialize + DeserializeOwned + Send + 'static;
    type Response: Serialize + DeserializeOwned + Send + 'static;
}

/// The request of operations that take no arguments: `{}` (or nothing at all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoRequest {}

/// `app.info`: the build's version and the database's state, for status lines and health checks.
pub struct AppInfo;

impl Operation for AppInfo {
    const NAME: &'static str = "app.info";
    const ACCESS: Access = Access::Anyone;
    const SUMMARY: &'static str = "Version, database reachability and schema level";
    type Request = NoRequest;
    type Response = crate::app::AppInfoResponse;
}
