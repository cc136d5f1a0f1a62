//! Application-level facts: version and database status.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfoResponse {
    /// The running build's version (the workspace version).
    pub version: String,
    pub database: DatabaseStatus,
}

/// A newer release the installed app may update to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailableUpdate {
    pub version: String,
    /// The release's notes, as published.
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseStatus {
    pub reachable: bool,
    /// Why the database cannot be used, in one line; `None` when all is well.
    pub problem: Option<String>,
    pub schema: Option<SchemaStatus>,
}

/// How the database's applied migrations compare with the ones this build carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaStatus {
    /// The highest migration version applied to the database; `None` on an empty database.
    pub applied: Option<i64>,
    /// The highest migration version this build knows.
    pub expected: i64,
    pub state: SchemaState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaState {
    /// Every migration this build knows is applied, and nothing else.
    Current,
    /// Some migrations of this build are not applied yet: run `hubctl migrate`.
    Behind,
    /// The database was migrated by a newer version of Digital Hub.
    Ahead,
}

/// What `GET /api/v1/health` answers: the hub server's version and its database's state,
/// for the desktop's first-run screen, load balancers and monitoring. No detail that would
/// tell a stranger where the database lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubHealth {
    pub version: String,
    /// The database answered.
    pub database: bool,
    /// The schema's level, when the database answered.
    pub schema: Option<SchemaStatus>,
}
