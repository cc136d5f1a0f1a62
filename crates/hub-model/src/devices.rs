//! The sessions people hold on the hub server, one per device they signed in on: what an
//! administrator sees of a person's signed-in devices, and ends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One signed-in device: a session that has not ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    pub id: i64,
    /// As the app named it at sign-in ("Maya's laptop (Linux)").
    pub device: String,
    pub signed_in_at: DateTime<Utc>,
    /// To the minute: the server notes a session's use at most once a minute.
    pub last_seen_at: DateTime<Utc>,
    /// The network address it was last used from, as the server saw it.
    pub last_address: Option<String>,
    /// When it ends unless used again before (and at the latest).
    pub ends_at: DateTime<Utc>,
    /// The session making this request.
    pub current: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserDevicesRequest {
    pub user_id: i64,
}

/// How many sessions an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    pub revoked: i64,
}
