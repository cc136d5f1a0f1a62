//! The error shape every transport hands to its caller: a stable `kind` that code
//! matches on, a message a person can read, and for validation errors the field.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong, as callers branch on it. Messages are for people; kinds are for code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input was refused; `field` names what to fix.
    Validation,
    /// Nobody is signed in, or the account can no longer act.
    Unauthenticated,
    /// Signed in, but this operation is not allowed for this person.
    Forbidden,
    NotFound,
    /// The request clashes with what is stored (a duplicate, a state that forbids it).
    Conflict,
    /// Too many attempts: the message says how long to wait.
    RateLimited,
    /// The database cannot be reached or is not at a schema this build understands.
    Unavailable,
    /// A fault on our side; details are logged, never shown.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), field: None }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
