//! Sessions on the hub server (`staff_sessions`): opened by a sign-in, carried by an opaque
//! bearer token, ended by signing out, by a password change or reset, by a deactivation, by
//! an administrator (`crate::devices`), or by time.
//!
//! A token is 256 random bits; the database keeps only its SHA-256 (a fast hash is right
//! for a secret that cannot be guessed), so reading the table signs nobody in.

use crate::{Error, Hub, Result, SignedIn};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hub_model::auth::SessionToken;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use std::net::IpAddr;
use std::time::Duration;

/// How long sessions last: ended after `idle` without use, and after `absolute` whatever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Duration,
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    /// A week unused, a month at most: an instructor back from a week off signs in again.
    fn default() -> Self {
        Self { idle: Duration::from_secs(7 * 24 * 3600), absolute: Duration::from_secs(30 * 24 * 3600) }
    }
}

/// Why a session was ended, as `staff_sessions.revoked_reason` keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    SignedOut,
    PasswordChanged,
    PasswordReset,
    Deactivated,
    RevokedByAdmin,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::SignedOut => "signed_out",
            Self::PasswordChanged => "password_changed",
            Self::PasswordReset => "password_reset",
            Self::Deactivated => "deactivated",
            Self::RevokedByAdmin => "revoked_by_admin",
        }
    }
}

/// Tokens start with this, so a leaked one is recognisable (secret scanners, logs).
const TOKEN_PREFIX: &str = "dhs_";

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> SessionToken {
    let mut secret = [0_u8; 32];
    OsRng.fill_bytes(&mut secret);
    SessionToken::new(format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
    ))
}

/// The device name as kept: trimmed, at most 100 characters, never empty.
fn device_name(device: Option<&str>) -> String {
    let name: String = device.map(str::trim).unwrap_or_default().chars().take(100).collect();
    let name = name.trim();
    if name.is_empty() {
        "unnamed device".to_owned()
    } else {
        name.to_owned()
    }
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

/// Opens a session for `user_id`; answers its token (the only time it exists in clear) and
/// when it ends at the latest.
pub(crate) async fn open(
    connection: &mut PgConnection,
    user_id: i64,
    device: Option<&str>,
    address: Option<IpAddr>,
    policy: SessionPolicy,
) -> Result<(SessionToken, DateTime<Utc>)> {
    let token = new_token();
    let idle = policy.idle.min(policy.absolute);
    let expires_at = sqlx::query_scalar!(
        "insert into staff_sessions (user_id, token_hash, device, last_address, idle_timeout, idle_expires_at, expires_at)
         values ($1, $2, $3, $4, make_interval(secs => $5), now() + make_interval(secs => $5),
                 now() + make_interval(secs => $6))
         returning expires_at",
        user_id,
        token_hash(token.expose()),
        device_name(device),
        address.map(|address| address.to_string()),
        seconds(idle),
        seconds(policy.absolute),
    )
    .fetch_one(connection)
    .await?;
    Ok((token, expires_at))
}

/// The signed-in person behind a token, with their flags as they are now; notes the use
/// (at most once a minute, which also pushes the idle expiry back). A session that ended,
/// or whose person is no longer active, signs nobody in.
pub(crate) async fn authenticate(
    hub: &Hub,
    token: &SessionToken,
    address: Option<IpAddr>,
) -> Result<SignedIn> {
    let row = sqlx::query!(
        r#"with found as (
               select id, user_id, last_seen_at from staff_sessions
                where token_hash = $1 and revoked_at is null and idle_expires_at > now() and expires_at > now()
           ), touched as (
               update staff_sessions s
                  set last_seen_at = now(), last_address = coalesce($2, s.last_address),
                      idle_expires_at = least(s.expires_at, now() + s.idle_timeout)
                 from found
                where s.id = found.id and found.last_seen_at < now() - interval '1 minute'
           )
           select found.id as "session_id!", u.id as "user_id!", u.is_admin, u.is_instructor, u.is_student, u.is_active
             from found join users u on u.id = found.user_id"#,
        token_hash(token.expose()),
        address.map(|address| address.to_string()),
    )
    .fetch_optional(hub.pool())
    .await?;
    match row {
        Some(row) if row.is_active => Ok(SignedIn {
            id: row.user_id,
            is_admin: row.is_admin,
            is_instructor: row.is_instructor,
            is_student: row.is_student,
            session_id: Some(row.session_id),
        }),
        Some(_) => {
            Err(Error::Unauthenticated("this account has been deactivated; ask an administrator".to_owned()))
        }
        None => Err(Error::Unauthenticated("your session has ended; sign in again".to_owned())),
    }
}

/// Ends every live session of `user_id` but `except` (the caller's own, when they changed
/// their own password); answers how many ended.
pub(crate) async fn revoke_all(
    connection: &mut PgConnection,
    user_id: i64,
    reason: RevokeReason,
    except: Option<i64>,
) -> Result<i64> {
    let ended = sqlx::query!(
        "update staff_sessions set revoked_at = now(), revoked_reason = $2
          where user_id = $1 and revoked_at is null and id is distinct from $3",
        user_id,
        reason.as_str(),
        except,
    )
    .execute(connection)
    .await?
    .rows_affected();
    Ok(i64::try_from(ended).unwrap_or(i64::MAX))
}

/// Ends one session; `false` when it had ended already (or never was).
pub(crate) async fn revoke(
    connection: &mut PgConnection,
    session_id: i64,
    reason: RevokeReason,
) -> Result<bool> {
    let ended = sqlx::query!(
        "update staff_sessions set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null",
        session_id,
        reason.as_str(),
    )
    .execute(connection)
    .await?
    .rows_affected();
    Ok(ended > 0)
}

/// Removes sessions that ended more than 30 days ago; their tokens sign nobody in already.
/// The hub server runs it now and then.
pub async fn sweep(hub: &Hub) -> Result<u64> {
    Ok(sqlx::query!(
        "delete from staff_sessions
          where coalesce(revoked_at, least(idle_expires_at, expires_at)) < now() - interval '30 days'"
    )
    .execute(hub.pool())
    .await?
    .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_random_bits_and_are_hashed_to_32_bytes() {
        let first = new_token();
        let second = new_token();
        let secret = first.expose().strip_prefix(TOKEN_PREFIX).expect("the prefix");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(secret).expect("base64url");
        assert_eq!(bytes.len(), 32);
        assert_ne!(first, second);
        assert_eq!(token_hash(first.expose()).len(), 32);
        assert_ne!(token_hash(first.expose()), token_hash(second.expose()));
        assert!(!format!("{first:?}").contains(secret), "Debug hides the token");
    }

    #[test]
    fn device_names_are_trimmed_capped_and_never_empty() {
        assert_eq!(device_name(Some("  Maya's laptop  ")), "Maya's laptop");
        assert_eq!(device_name(Some("   ")), "unnamed device");
        assert_eq!(device_name(None), "unnamed device");
        assert_eq!(device_name(Some(&"x".repeat(300))).chars().count(), 100);
    }
}
