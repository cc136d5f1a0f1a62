//! Signing in and out, and passwords: `auth.*` (an administrator's reset is
//! `users.reset_password`, in `crate::users`, which lifts the lockout: `crate::lockout`).
//!
//! Failed sign-ins are throttled in the database (`login_throttle`), so every copy of the
//! hub server sees the same lockout:
//! - per identifier: five failures are free, then each failure locks the identifier for
//!   30 s, doubling up to 15 minutes; a success clears it;
//! - per client address (an IPv6 client's /64): 30 failures within 15 minutes lock the
//!   address out for 15 minutes, whichever accounts were tried; a success clears nothing,
//!   so a guesser cannot reset the count with an account of their own.

use crate::account_codes::{self, Purpose};
use crate::lockout;
use crate::mail::messages::Brand;
use crate::ops::Handler;
use crate::staff_sessions::{self, RevokeReason};
use crate::{password, Actor, Error, Hub, Result};
use hub_model::auth::{
    ChangePasswordRequest, CurrentUser, Done, ForgotPasswordRequest, LoginRequest, RedeemCodeRequest,
    SignedIn,
};
use hub_model::input::{Email, NewPassword};
use hub_model::ops::{ChangePassword, ForgotPassword, Me, RedeemCode, SignIn, SignOut};
use hub_model::NoRequest;
use sqlx::PgPool;
use std::net::IpAddr;
use std::sync::LazyLock;

/// How a person identified themselves at sign-in, normalised for lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identifier {
    Email(Email),
    /// Digits only, however the number was typed.
    Phone(String),
}

impl Identifier {
    fn parse(raw: &str) -> Result<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Error::validation("identifier", "enter your email or phone number"));
        }
        if raw.contains('@') {
            return Ok(Self::Email(Email::parse("identifier", raw)?));
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let phone_like = raw.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if digits.len() < 6 || !phone_like {
            return Err(Error::validation("identifier", "enter an email address or a phone number"));
        }
        Ok(Self::Phone(digits))
    }

    /// The throttle's key for this identifier.
    fn throttle_key(&self) -> String {
        match self {
            Self::Email(email) => lockout::email_key(email.as_str()),
            Self::Phone(digits) => lockout::phone_key(digits),
        }
    }
}

struct Account {
    id: i64,
    password_hash: String,
    is_active: bool,
}

async fn find_account(pool: &PgPool, identifier: &Identifier) -> Result<Option<Account>> {
    let account = match identifier {
        Identifier::Email(email) => {
            sqlx::query_as!(
                Account,
                "select id, password_hash, is_active from users where email = $1",
                email.as_str()
            )
            .fetch_optional(pool)
            .await?
        }
        Identifier::Phone(digits) => {
            sqlx::query_as!(
                Account,
                "select id, password_hash, is_active from users
                  where regexp_replace(phone, '[^0-9]', '', 'g') = $1
                  order by id limit 1",
                digits
            )
            .fetch_optional(pool)
            .await?
        }
    };
    Ok(account)
}

/// A hash to verify against when no account matches, so an unknown identifier takes as
/// long to refuse as a wrong password.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| password::hash("no account has this password").unwrap_or_default());

/// The signed-in user as the app shows them, with a display name from their profile.
pub async fn current_user(pool: &PgPool, id: i64) -> Result<CurrentUser> {
    let user = crate::users::summary(&mut *pool.acquire().await?, id).await?;
    Ok(CurrentUser {
        id: user.id,
        email: user.email,
        phone: user.phone,
        full_name: user.full_name,
        is_admin: user.is_admin,
        is_instructor: user.is_instructor,
        is_student: user.is_student,
    })
}

/// Refuses at once while the identifier is locked out.
async fn check_lockout(pool: &PgPool, key: &str) -> Result<()> {
    let wait = sqlx::query_scalar!(
        r#"select ceil(extract(epoch from locked_until - now()))::bigint as "seconds!"
             from login_throttle where identifier = $1 and locked_until > now()"#,
        key
    )
    .fetch_optional(pool)
    .await?;
    match wait {
        Some(seconds) => Err(Error::RateLimited(format!(
            "too many failed sign-ins; try again in {}",
            describe_wait(seconds)
        ))),
        None => Ok(()),
    }
}

/// Counts a failure; returns the lockout it started, in seconds, if any.
async fn record_failure(pool: &PgPool, key: &str) -> Result<Option<i64>> {
    let locked_for = sqlx::query_scalar!(
        r#"insert into login_throttle (identifier, failures, last_failure_at) values ($1, 1, now())
           on conflict (identifier) do update
              set failures = login_throttle.failures + 1,
                  last_failure_at = now(),
                  locked_until = case when login_throttle.failures + 1 >= 5
                      then now() + least(900, 30 * power(2, login_throttle.failures + 1 - 5)) * interval '1 second'
                  end
           returning ceil(extract(epoch from locked_until - now()))::bigint as locked_for"#,
        key
    )
    .fetch_one(pool)
    .await?;
    Ok(locked_for)
}

/// The client an address belongs to, for throttles and rate limits: an IPv4 address as
/// itself (however the socket spelled it), an IPv6 address as its /64 — one household or
/// office gets a whole /64, so its addresses are one client.
pub fn client_bucket(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
}

/// The throttle's key for a client address: its bucket (see [`client_bucket`]).
fn address_key(address: IpAddr) -> String {
    match client_bucket(address) {
        IpAddr::V6(network) => format!("address:{network}/64"),
        IpAddr::V4(v4) => format!("address:{v4}"),
    }
}

/// Failures from one address within the window that lock it out.
const ADDRESS_FAILURES: i32 = 30;

/// "Forgot password?" asked from one address within the window before it must wait.
const ADDRESS_RESET_REQUESTS: i32 = 10;

/// Counts a failure from a client address; returns the lockout it started, in seconds, if any.
async fn record_address_failure(pool: &PgPool, key: &str) -> Result<Option<i64>> {
    count_from_address(pool, key, ADDRESS_FAILURES).await
}

/// Counts one more under `key` within a 15-minute window; the `limit`th locks the key for
/// 15 minutes. Returns the lockout it started, in seconds, if any.
async fn count_from_address(pool: &PgPool, key: &str, limit: i32) -> Result<Option<i64>> {
    let locked_for = sqlx::query_scalar!(
        r#"insert into login_throttle (identifier, failures, last_failure_at) values ($1, 1, now())
           on conflict (identifier) do update
              set failures = case when login_throttle.last_failure_at < now() - interval '15 minutes'
                                  then 1 else login_throttle.failures + 1 end,
                  last_failure_at = now(),
                  locked_until = case when login_throttle.last_failure_at >= now() - interval '15 minutes'
                                           and login_throttle.failures + 1 >= $2
                                      then now() + interval '15 minutes' end
           returning ceil(extract(epoch from locked_until - now()))::bigint as locked_for"#,
        key,
        limit,
    )
    .fetch_one(pool)
    .await?;
    Ok(locked_for)
}

/// "30 seconds", "1 minute", "15 minutes".
fn describe_wait(seconds: i64) -> String {
    match seconds {
        ..=1 => "1 second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        60..=119 => "1 minute".to_owned(),
        _ => format!("{} minutes", (seconds + 59) / 60),
    }
}

/// A refused sign-in's error, naming the field to fix and any lockout it started.
fn refusal(field: &str, message: &str, locked_for: Option<i64>) -> Error {
    match locked_for {
        Some(seconds) => Error::RateLimited(format!(
            "{message}; too many failed sign-ins, try again in {}",
            describe_wait(seconds)
        )),
        None => Error::validation(field, message),
    }
}

impl Handler for SignIn {
    async fn handle(hub: &Hub, actor: &Actor, request: LoginRequest) -> Result<SignedIn> {
        let identifier = Identifier::parse(&request.identifier)?;
        if request.password.is_empty() {
            return Err(Error::validation("password", "enter your password"));
        }
        let pool = hub.pool();
        let key = identifier.throttle_key();
        let address_key = actor.address().map(address_key);
        // A locked identifier or address costs no password work.
        check_lockout(pool, &key).await?;
        if let Some(address_key) = &address_key {
            check_lockout(pool, address_key).await?;
        }
        let account = find_account(pool, &identifier).await?;
        let stored =
            account.as_ref().map_or_else(|| DECOY_HASH.clone(), |account| account.password_hash.clone());
        let matches = password::verify_blocking(request.password, stored).await?;
        let account = match (account, matches) {
            (Some(account), true) => account,
            (account, _) => {
                let (field, message) = match account {
                    None => ("identifier", "no account uses this email or phone number"),
                    Some(account) if account_codes::awaiting_password(&account.password_hash) => (
                        "password",
                        "this account has no password yet: choose one with the code from your invitation \
                         email (\"Have a code?\")",
                    ),
                    Some(_) => ("password", "wrong password"),
                };
                let mut locked_for = record_failure(pool, &key).await?;
                if let Some(address_key) = &address_key {
                    locked_for = locked_for.max(record_address_failure(pool, address_key).await?);
                }
                return Err(refusal(field, message, locked_for));
            }
        };
        if !account.is_active {
            return Err(Error::Unauthenticated(
                "this account has been deactivated; ask an administrator".to_owned(),
            ));
        }
        let mut tx = hub.begin().await?;
        sqlx::query!("delete from login_throttle where identifier = $1", key).execute(&mut *tx).await?;
        sqlx::query!("update users set last_login_at = now() where id = $1", account.id)
            .execute(&mut *tx)
            .await?;
        let (token, expires_at) = staff_sessions::open(
            &mut tx,
            account.id,
            request.device.as_deref(),
            actor.address(),
            hub.sessions(),
        )
        .await?;
        tx.commit().await?;
        Ok(SignedIn { token, expires_at, user: current_user(pool, account.id).await? })
    }
}

impl Handler for SignOut {
    async fn handle(hub: &Hub, actor: &Actor, _request: NoRequest) -> Result<Done> {
        // Signing out of a session that has already ended is no error: the device forgets
        // its token either way.
        if let Some(session_id) = actor.signed_in().and_then(|me| me.session_id) {
            staff_sessions::revoke(&mut *hub.pool().acquire().await?, session_id, RevokeReason::SignedOut)
                .await?;
        }
        Ok(Done {})
    }
}

impl Handler for Me {
    async fn handle(hub: &Hub, actor: &Actor, _request: NoRequest) -> Result<CurrentUser> {
        current_user(hub.pool(), actor.require_auth()?.id).await
    }
}

impl Handler for ChangePassword {
    async fn handle(hub: &Hub, actor: &Actor, request: ChangePasswordRequest) -> Result<Done> {
        let user = actor.require_auth()?;
        let pool = hub.pool();
        let stored = sqlx::query_scalar!("select password_hash from users where id = $1", user.id)
            .fetch_one(pool)
            .await?;
        let new_password = NewPassword::parse("new_password", &request.new_password)?;
        if !password::verify_blocking(request.current_password.clone(), stored).await? {
            return Err(Error::validation("current_password", "is not your current password"));
        }
        if request.current_password == request.new_password {
            return Err(Error::validation("new_password", "must differ from the current password"));
        }
        let hash = password::hash_blocking(new_password.expose().to_owned()).await?;
        let mut tx = hub.begin().await?;
        sqlx::query!("update users set password_hash = $1 where id = $2", hash, user.id)
            .execute(&mut *tx)
            .await?;
        account_codes::use_up(&mut tx, user.id).await?;
        // Every other device signs in again with the new password; this one stays.
        staff_sessions::revoke_all(&mut tx, user.id, RevokeReason::PasswordChanged, user.session_id).await?;
        tx.commit().await?;
        Ok(Done {})
    }
}

impl Handler for RedeemCode {
    async fn handle(hub: &Hub, actor: &Actor, request: RedeemCodeRequest) -> Result<Done> {
        let email = Email::parse("email", &request.email)?;
        let code = account_codes::normalize(&request.code)?;
        let new_password = NewPassword::parse("new_password", &request.new_password)?;
        let pool = hub.pool();
        // A code is guessed no faster than a password: the same lockouts count both.
        let key = lockout::email_key(email.as_str());
        let address_key = actor.address().map(address_key);
        check_lockout(pool, &key).await?;
        if let Some(address_key) = &address_key {
            check_lockout(pool, address_key).await?;
        }
        let mut tx = hub.begin().await?;
        let Some(user_id) = account_codes::find(&mut tx, email.as_str(), &code).await? else {
            drop(tx);
            let mut locked_for = record_failure(pool, &key).await?;
            if let Some(address_key) = &address_key {
                locked_for = locked_for.max(record_address_failure(pool, address_key).await?);
            }
            return Err(refusal(
                "code",
                "is wrong for this address, used already, or expired; ask for a new one with \"Forgot password?\"",
                locked_for,
            ));
        };
        // The code's row stays locked while the password is hashed: it is used once.
        let hash = password::hash_blocking(new_password.expose().to_owned()).await?;
        let user = sqlx::query!(
            "update users set password_hash = $1 where id = $2 returning email, phone",
            hash,
            user_id
        )
        .fetch_one(&mut *tx)
        .await?;
        account_codes::use_up(&mut tx, user_id).await?;
        // Whoever knew the old password (or holds a session made with it) is out.
        staff_sessions::revoke_all(&mut tx, user_id, RevokeReason::PasswordReset, None).await?;
        lockout::lift(&mut tx, user.email.as_deref(), user.phone.as_deref()).await?;
        tx.commit().await?;
        Ok(Done {})
    }
}

impl Handler for ForgotPassword {
    /// Answers the same whether or not an account uses the address, and whether or not a
    /// code goes out: a stranger learns nothing of who has an account here.
    async fn handle(hub: &Hub, actor: &Actor, request: ForgotPasswordRequest) -> Result<Done> {
        let email = Email::parse("email", &request.email)?;
        let pool = hub.pool();
        if let Some(address) = actor.address() {
            let key = format!("reset-{}", address_key(address));
            check_lockout(pool, &key).await.map_err(|_| {
                Error::RateLimited("too many password codes asked for from here; try again later".to_owned())
            })?;
            count_from_address(pool, &key, ADDRESS_RESET_REQUESTS).await?;
        }
        let brand = Brand::current(pool).await?;
        let mut tx = hub.begin().await?;
        // The account's row locked: two requests at once send one code, not two.
        let account = sqlx::query!(
            "select id, password_hash from users where email = $1 and is_active for update",
            email.as_str()
        )
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(account) = account {
            // One code a minute and five an hour per account: a stranger cannot flood a
            // person's mailbox, whatever addresses they ask from.
            let recent = sqlx::query!(
                r#"select count(*) filter (where created_at > now() - interval '1 minute') as "last_minute!",
                          count(*) as "last_hour!"
                     from account_codes
                    where user_id = $1 and requested_by is null and created_at > now() - interval '1 hour'"#,
                account.id
            )
            .fetch_one(&mut *tx)
            .await?;
            if recent.last_minute == 0 && recent.last_hour < 5 {
                let purpose = if account_codes::awaiting_password(&account.password_hash) {
                    Purpose::Invitation
                } else {
                    Purpose::PasswordReset
                };
                account_codes::queue(&mut tx, &brand, account.id, purpose, None).await?;
            }
        }
        tx.commit().await?;
        Ok(Done {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_emails_or_phone_digits() {
        assert_eq!(
            Identifier::parse(" Admin@Example.org ").unwrap().throttle_key(),
            "email:admin@example.org"
        );
        assert_eq!(Identifier::parse("+961 (71) 100-200").unwrap().throttle_key(), "phone:96171100200");
        for bad in ["", "   ", "12345", "not a phone", "a@b"] {
            let error = Identifier::parse(bad).unwrap_err().to_api();
            assert_eq!(error.field.as_deref(), Some("identifier"), "{bad:?}");
        }
    }

    #[test]
    fn addresses_are_throttled_per_ipv4_address_and_per_ipv6_64() {
        let key = |text: &str| address_key(text.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "address:203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:203.0.113.7"), "address:203.0.113.7");
    }

    #[test]
    fn waits_read_as_people_say_them() {
        assert_eq!(describe_wait(30), "30 seconds");
        assert_eq!(describe_wait(60), "1 minute");
        assert_eq!(describe_wait(61), "1 minute");
        assert_eq!(describe_wait(120), "2 minutes");
        assert_eq!(describe_wait(900), "15 minutes");
    }
}
