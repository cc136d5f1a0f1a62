//! Codes that set a password (`account_codes`): an invitation for an account that has none
//! yet (made by an approval or by an administrator), and a reset for one that forgot theirs.
//!
//! A code is never stored, nor written into a message body: the message is queued with a
//! placeholder, and the mail worker makes the code as it claims the message to send it
//! ([`fill`], called by `crate::mail::claim`), keeping only its SHA-256 and when it expires (an hour for a reset, two
//! weeks for an invitation, counted from the sending — a relay that was down an hour does
//! not cost the person their hour). Each code is single-use; setting a password with one,
//! or any other way, uses up every code of the account. Wrong codes count against the
//! address's sign-in lockout (`crate::auth`), so codes cannot be guessed.

use crate::mail::messages::{Brand, Invitation, PasswordReset};
use crate::mail::outbox::{self, Claimed, Outcome, RetryPolicy};
use crate::{Error, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};

/// What an account that has not chosen a password keeps as its `password_hash`: not a PHC
/// string, so no password verifies against it (like `!` in `/etc/shadow`).
pub const NO_PASSWORD: &str = "!awaiting-password";

/// Whether a stored `password_hash` is [`NO_PASSWORD`] (or any other locked value).
pub fn awaiting_password(password_hash: &str) -> bool {
    password_hash.starts_with('!')
}

/// Where a message's code goes; the worker puts the code there as it sends.
pub const PLACEHOLDER: &str = "[[account-code]]";

/// How an admin reads a queued or sent message that carries a code.
pub const MASKED: &str = "••••-••••-••••-••••";

/// Letters and digits that cannot be mistaken for one another, upper case only (a code is
/// typed from an email as often as pasted).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A code's characters: 16 of 31, about 79 bits.
const LENGTH: usize = 16;

/// What a code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The account has no password yet.
    Invitation,
    /// The person forgot theirs (or an administrator sent them a code).
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }
}

/// A new code, grouped in fours for reading: `KM7Q-9XRT-4HPA-W3NB`.
fn generate() -> String {
    let mut code = String::with_capacity(LENGTH + 3);
    let mut taken = 0;
    while taken < LENGTH {
        // Rejection sampling keeps every character equally likely.
        let byte = (OsRng.next_u32() & 0xff) as usize;
        if byte < ALPHABET.len() * (256 / ALPHABET.len()) {
            if taken > 0 && taken % 4 == 0 {
                code.push('-');
            }
            code.push(char::from(ALPHABET[byte % ALPHABET.len()]));
            taken += 1;
        }
    }
    code
}

/// A code as typed, reduced to its 16 characters: case, spaces and dashes do not matter.
pub fn normalize(typed: &str) -> Result<String> {
    let code: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    if code.is_empty() {
        return Err(Error::validation("code", "enter the code from the email"));
    }
    if code.len() != LENGTH || !code.bytes().all(|byte| ALPHABET.contains(&byte)) {
        return Err(Error::validation(
            "code",
            "is not a code: it is 16 letters and digits in four groups, as the email shows it",
        ));
    }
    Ok(code)
}

/// What the database keeps of a code: the SHA-256 of its 16 characters.
fn code_hash(normalized: &str) -> Vec<u8> {
    Sha256::digest(normalized.as_bytes()).to_vec()
}

/// Queues a message with a code for `user_id`, in the caller's transaction: `Some(address)`
/// it goes to, or `None` when the account has no email address (or is deactivated).
pub(crate) async fn queue(
    connection: &mut PgConnection,
    brand: &Brand,
    user_id: i64,
    purpose: Purpose,
    requested_by: Option<i64>,
) -> Result<Option<String>> {
    let person = sqlx::query!(
        r#"select u.email, d.display_name as "name?" from users u left join user_directory d on d.user_id = u.id
            where u.id = $1 and u.is_active"#,
        user_id
    )
    .fetch_optional(&mut *connection)
    .await?;
    let Some((email, name)) = person.and_then(|person| Some((person.email?, person.name))) else {
        return Ok(None);
    };
    let code_id = sqlx::query_scalar!(
        "insert into account_codes (user_id, purpose, requested_by) values ($1, $2, $3) returning id",
        user_id,
        purpose.as_str(),
        requested_by
    )
    .fetch_one(&mut *connection)
    .await?;
    let name = name.as_deref().unwrap_or(&email);
    let composed = match purpose {
        Purpose::Invitation => Invitation { brand, name, email: &email, code: PLACEHOLDER }.compose(),
        Purpose::PasswordReset => PasswordReset { brand, name, email: &email, code: PLACEHOLDER }.compose(),
    };
    let mut message = composed.to(&email, format!("account-code:{code_id}"));
    message.account_code_id = Some(code_id);
    outbox::enqueue(connection, &message).await?;
    Ok(Some(email))
}

/// [`queue`] for many new people at once (an import): `(id, email, name)` each, one code
/// and one invitation each, in two statements whatever their number. Returns how many.
pub(crate) async fn queue_invitations(
    connection: &mut PgConnection,
    brand: &Brand,
    people: &[(i64, String, String)],
    requested_by: i64,
) -> Result<u32> {
    let ids: Vec<i64> = people.iter().map(|(id, _, _)| *id).collect();
    let code_of: std::collections::HashMap<i64, i64> = sqlx::query!(
        "insert into account_codes (user_id, purpose, requested_by)
         select id, 'invitation', $2 from unnest($1::bigint[]) as person (id)
         returning user_id, id",
        &ids,
        requested_by,
    )
    .fetch_all(&mut *connection)
    .await?
    .into_iter()
    .map(|code| (code.user_id, code.id))
    .collect();
    let mut columns: [Vec<String>; 6] = Default::default();
    let mut code_ids = Vec::with_capacity(people.len());
    for (id, email, name) in people {
        let code_id = code_of[id];
        let message = Invitation { brand, name, email, code: PLACEHOLDER }
            .compose()
            .to(email, format!("account-code:{code_id}"));
        for (column, value) in columns.iter_mut().zip([
            message.event_key,
            message.kind.as_str().to_owned(),
            message.recipient,
            message.subject,
            message.text_body,
            message.html_body,
        ]) {
            column.push(value);
        }
        code_ids.push(code_id);
    }
    let [keys, kinds, recipients, subjects, texts, htmls] = columns;
    let queued = sqlx::query!(
        "insert into mail_outbox (event_key, kind, recipient, subject, text_body, html_body, account_code_id)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
         on conflict do nothing",
        &keys,
        &kinds,
        &recipients,
        &subjects,
        &texts,
        &htmls,
        &code_ids,
    )
    .execute(&mut *connection)
    .await?;
    Ok(u32::try_from(queued.rows_affected()).unwrap_or(u32::MAX))
}

/// Gives each claimed message that carries a code its code, in the bodies to be sent (never
/// in the row); one whose code may no longer be used is marked failed, not sent. Returns
/// the messages to send.
pub(crate) async fn fill(pool: &PgPool, claimed: Vec<Claimed>) -> Result<Vec<Claimed>> {
    let mut ready = Vec::with_capacity(claimed.len());
    for mut message in claimed {
        let Some(code_id) = message.account_code_id else {
            ready.push(message);
            continue;
        };
        match issue(pool, code_id).await? {
            Some(code) => {
                message.text_body = message.text_body.replace(PLACEHOLDER, &code);
                message.html_body = message.html_body.replace(PLACEHOLDER, &code);
                ready.push(message);
            }
            None => {
                let withdrawn = Outcome::Refused(
                    "not sent: the account's password was set, or the account deactivated, before its code went out"
                        .to_owned(),
                );
                outbox::record(pool, &message, &withdrawn, &RetryPolicy::default()).await?;
            }
        }
    }
    Ok(ready)
}

/// Makes the code of `code_id` as its message is sent: `None` when it may no longer be
/// used (a password was set meanwhile, or the account was deactivated). Each call makes a
/// new code; the one sent last is the one that works.
async fn issue(pool: &PgPool, code_id: i64) -> Result<Option<String>> {
    let code = generate();
    let hash = code_hash(&normalize(&code)?);
    let mut tx = crate::db::begin_as(pool, "mail.issue_code").await?;
    let issued = sqlx::query_scalar!(
        "update account_codes c
            set code_hash = $2, issued_at = now(),
                expires_at = now() + case c.purpose when 'invitation' then interval '14 days' else interval '1 hour' end
           from users u
          where c.id = $1 and u.id = c.user_id and u.is_active and c.used_at is null
          returning c.id",
        code_id,
        hash
    )
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(issued.map(|_| code))
}

/// The account a live code for `email` belongs to, its code row locked until the caller's
/// transaction ends; `None` for a wrong, used or expired code.
pub(crate) async fn find(
    connection: &mut PgConnection,
    email: &str,
    normalized: &str,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar!(
        "select c.user_id from account_codes c join users u on u.id = c.user_id
          where c.code_hash = $1 and u.email = $2 and u.is_active
            and c.used_at is null and c.expires_at > now()
            for update of c",
        code_hash(normalized),
        email
    )
    .fetch_optional(connection)
    .await?)
}

/// Uses up every live code of the account: its password was just set, by a code or not.
pub(crate) async fn use_up(connection: &mut PgConnection, user_id: i64) -> Result<()> {
    sqlx::query!("update account_codes set used_at = now() where user_id = $1 and used_at is null", user_id)
        .execute(connection)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_four_groups_of_unmistakable_characters_and_read_back_however_typed() {
        let code = generate();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3, "{code}");
        assert_ne!(code, generate());
        let normalized = normalize(&code).unwrap();
        assert_eq!(normalized, code.replace('-', ""));
        let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
        assert_eq!(normalize(&typed).unwrap(), normalized);
        assert_eq!(code_hash(&normalized), code_hash(&normalize(&typed).unwrap()));
        for wrong in ["", "KM7Q-9XRT", "KM7Q-9XRT-4HPA-W3N0", "KM7Q-9XRT-4HPA-W3NBX"] {
            let error = normalize(wrong).unwrap_err().to_api();
            assert_eq!(error.field.as_deref(), Some("code"), "{wrong:?}");
        }
    }

    #[test]
    fn an_account_without_a_password_verifies_none() {
        assert!(awaiting_password(NO_PASSWORD));
        assert!(!crate::password::verify("", NO_PASSWORD));
        assert!(!crate::password::verify(NO_PASSWORD, NO_PASSWORD));
        assert!(!awaiting_password("$argon2id$v=19$m=19456,t=2,p=1$abc$def"));
    }
}
