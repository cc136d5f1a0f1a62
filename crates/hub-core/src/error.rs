//! hub-core's one error type, and its mapping to the `{kind, message}` shape callers see.

use hub_model::{choices::UnknownChoice, input::InvalidInput, ApiError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; the message says how long to wait.
    #[error("{0}")]
    RateLimited(String),
    /// The database cannot be used: unreachable, misconfigured, or at a schema this build
    /// does not understand. The message is one line an operator can act on.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation { .. } => ErrorKind::Validation,
            Self::Unauthenticated(_) => ErrorKind::Unauthenticated,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::RateLimited(_) => ErrorKind::RateLimited,
            Self::Unavailable(_) => ErrorKind::Unavailable,
            Self::Db(error) if is_connection_error(error) => ErrorKind::Unavailable,
            Self::Db(_) | Self::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The error as a caller sees it. Database details are logged here, once, and never
    /// passed on: the message says what happened in words, not in SQL.
    pub fn to_api(&self) -> ApiError {
        let kind = self.kind();
        let message = match self {
            Self::Db(error) if is_connection_error(error) => {
                tracing::warn!(%error, "database unavailable");
                "the database cannot be reached; try again in a moment".to_owned()
            }
            Self::Db(error) => {
                tracing::error!(%error, "database error");
                "something went wrong on our side; it has been logged".to_owned()
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "something went wrong on our side; it has been logged".to_owned()
            }
            Self::Validation { field, message } => format!("{field}: {message}"),
            other => other.to_string(),
        };
        let field = match self {
            Self::Validation { field, .. } => Some(field.clone()),
            _ => None,
        };
        ApiError { kind, message, field }
    }
}

/// A stored value outside its set (the database's CHECK constraints keep them in): a
/// fault on our side, not the caller's.
impl From<UnknownChoice> for Error {
    fn from(unknown: UnknownChoice) -> Self {
        Self::Internal(format!("the database holds {unknown}"))
    }
}

impl From<InvalidInput> for Error {
    fn from(invalid: InvalidInput) -> Self {
        Self::Validation { field: invalid.field.to_owned(), message: invalid.message }
    }
}

/// Errors that mean "the server is not there", as opposed to "the query was wrong".
pub(crate) fn is_connection_error(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed
    )
}

/// The name of the constraint a database error violated, if it was a constraint violation.
pub(crate) fn violated_constraint(error: &sqlx::Error) -> Option<&str> {
    match error {
        sqlx::Error::Database(db) => db.constraint(),
        _ => None,
    }
}
