//! Signing in and out, sessions on the hub server, and one's own password.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// An email address or a phone number.
    pub identifier: String,
    pub password: String,
    /// What the person signs in on, as their list of signed-in devices shows it
    /// ("Maya's laptop (Linux)"); the server says "unnamed device" without one.
    #[serde(default)]
    pub device: Option<String>,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("identifier", &self.identifier)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// A session's bearer token: opaque, random (256 bits), shown once at sign-in and kept
/// hashed by the server. Never printed: its `Debug` hides it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn new(token: String) -> Self {
        Self(token)
    }

    /// The token itself, for an `Authorization: Bearer` header or the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<hidden>)")
    }
}

/// A successful sign-in: the session's token and when it ends at the latest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub token: SessionToken,
    /// The session ends then even if used every day; unused, it ends sooner.
    pub expires_at: DateTime<Utc>,
    pub user: CurrentUser,
}

/// The signed-in person, as the app shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// From their profile (manager, instructor or student), else their email or phone.
    pub full_name: String,
    pub is_admin: bool,
    pub is_instructor: bool,
    pub is_student: bool,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

impl fmt::Debug for ChangePasswordRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChangePasswordRequest(<hidden>)")
    }
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPasswordRequest {
    /// The user whose password is reset.
    pub id: i64,
    /// The new password; omitted, a one-time password is generated and returned once.
    #[serde(default)]
    pub new_password: Option<String>,
}

impl fmt::Debug for ResetPasswordRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResetPasswordRequest").field("id", &self.id).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetPasswordResponse {
    /// The generated password, shown once to the admin; `None` when the admin chose one.
    pub generated_password: Option<String>,
}

/// The answer of operations that only succeed or fail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {}

/// Sets one's password with the code an invitation or a "forgot password?" message brought.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedeemCodeRequest {
    /// The address the code was sent to.
    pub email: String,
    /// As the message shows it (`KM7Q-9XRT-4HPA-W3NB`); case, spaces and dashes do not matter.
    pub code: String,
    pub new_password: String,
}

impl fmt::Debug for RedeemCodeRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedeemCodeRequest").field("email", &self.email).finish_non_exhaustive()
    }
}

/// "Forgot password?": a code by email to the account that uses this address, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForgotPasswordRequest {
    pub email: String,
}
