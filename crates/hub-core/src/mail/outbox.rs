//! The outbox's rows: queued in the transaction of the change that causes them, claimed by
//! the mail workers of every hub server, and marked with what the mail server answered.
//!
//! A worker claims a few due rows at once (`for update skip locked`: two workers never
//! claim the same row) and holds each for a lease while it sends; each row's outcome is
//! recorded as soon as its own send ends. A worker killed mid-send lets its rows go when
//! the lease runs out, and they are sent again: a message is sent twice only when the
//! mail server accepted it and the worker died before recording so (its Message-ID is the
//! same both times, for the receiving side to see).

use super::messages::Composed;
use crate::Result;
use hub_model::mail::MailKind;
use sqlx::{PgConnection, PgPool};
use std::time::Duration;

/// A message to queue: one per event and recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The event it comes from and its idempotency key (`application:42:received`):
    /// queuing the same key again queues nothing.
    pub event_key: String,
    pub kind: MailKind,
    pub recipient: String,
    /// Where replies go, when not to the hub's own address.
    pub reply_to: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// The code the message carries (`crate::account_codes`): its bodies hold a
    /// placeholder, and the code is made as the message is claimed to be sent.
    pub account_code_id: Option<i64>,
}

impl Composed {
    /// The message to `recipient` for the event `event_key`.
    pub fn to(self, recipient: &str, event_key: String) -> Outgoing {
        Outgoing {
            event_key,
            kind: self.kind,
            recipient: recipient.trim().to_owned(),
            reply_to: None,
            subject: self.subject,
            text_body: self.text_body,
            html_body: self.html_body,
            account_code_id: None,
        }
    }
}

/// Queues `message` on `connection`, in the caller's transaction: it is sent if and only
/// if that transaction commits. `false` when its event had a message already.
pub async fn enqueue(connection: &mut PgConnection, message: &Outgoing) -> Result<bool> {
    if let Some(code_id) = message.account_code_id {
        // Only the staff role may queue a code's message: the website's role may not name
        // one (it could have a code made and mailed to an address of its choosing).
        let queued = sqlx::query!(
            "insert into mail_outbox (event_key, kind, recipient, subject, text_body, html_body, account_code_id)
             values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
            message.event_key,
            message.kind.as_str(),
            message.recipient,
            message.subject,
            message.text_body,
            message.html_body,
            code_id
        )
        .execute(connection)
        .await?;
        return Ok(queued.rows_affected() == 1);
    }
    // `on conflict` without a target: the website's role, which may insert and not read,
    // may not name one (the event key is the table's one unique value besides its id).
    let queued = sqlx::query!(
        "insert into mail_outbox (event_key, kind, recipient, reply_to, subject, text_body, html_body)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
        message.event_key,
        message.kind.as_str(),
        message.recipient,
        message.reply_to,
        message.subject,
        message.text_body,
        message.html_body
    )
    .execute(connection)
    .await?;
    Ok(queued.rows_affected() == 1)
}

/// Queues one message, `composed`, to each of `recipients` (a person's id and address), in
/// the caller's transaction, with the event key `{event}:{id}`: a person already sent this
/// event's message is not sent it again. Returns how many were queued.
pub async fn enqueue_each(
    connection: &mut PgConnection,
    composed: &Composed,
    event: &str,
    recipients: &[(i64, String)],
) -> Result<u64> {
    let (ids, addresses): (Vec<i64>, Vec<String>) = recipients.iter().cloned().unzip();
    let queued = sqlx::query!(
        "insert into mail_outbox (event_key, kind, recipient, subject, text_body, html_body)
         select $1 || ':' || person.id, $2, btrim(person.email), $3, $4, $5
           from unnest($6::bigint[], $7::text[]) as person (id, email)
         on conflict do nothing",
        event,
        composed.kind.as_str(),
        composed.subject,
        composed.text_body,
        composed.html_body,
        &ids,
        &addresses
    )
    .execute(connection)
    .await?;
    Ok(queued.rows_affected())
}

/// A row a worker holds while it sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub event_key: String,
    pub recipient: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// This send included.
    pub attempts: i32,
    pub account_code_id: Option<i64>,
}

/// Claims up to `batch` due messages, oldest first, for `lease`: no other worker claims
/// them until the lease runs out or their outcome is recorded. A message waits while an
/// earlier one to the same address is still to be sent: each person reads them in order.
/// (A message that carries a code gets it from `crate::mail::claim`, which workers call.)
pub async fn claim(pool: &PgPool, batch: i64, lease: Duration) -> Result<Vec<Claimed>> {
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
    Ok(sqlx::query_as!(
        Claimed,
        r#"update mail_outbox o
              set claimed_until = now() + make_interval(secs => $2::bigint / 1000.0), attempts = o.attempts + 1
            where o.id in (select m.id from mail_outbox m
                            where m.status = 'queued' and m.next_attempt_at <= now()
                              and (m.claimed_until is null or m.claimed_until < now())
                              -- One person's messages go in the order they were queued.
                              and not exists (select from mail_outbox earlier
                                               where earlier.recipient = m.recipient and earlier.status = 'queued'
                                                 and earlier.id < m.id)
                            order by m.next_attempt_at, m.id
                            limit $1
                              for update skip locked)
        returning o.id, o.event_key, o.recipient, o.reply_to, o.subject, o.text_body, o.html_body, o.attempts,
                  o.account_code_id"#,
        batch,
        lease_ms
    )
    .fetch_all(pool)
    .await?)
}

/// How a send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The mail server took it, answering this.
    Sent(String),
    /// Not now (a 4xx answer, or no server to answer): try again later.
    NotNow(String),
    /// Never (a 5xx answer, an address no server takes).
    Refused(String),
}

/// When to try a message again after a failed send, and when to give up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each further failure doubles it.
    pub first: Duration,
    /// The longest wait between two tries.
    pub longest: Duration,
    /// Tries in all before a message is marked failed.
    pub attempts: i32,
}

impl Default for RetryPolicy {
    /// 1, 2, 4 … minutes up to 2 hours between tries, 12 tries: about 11 hours in all.
    fn default() -> Self {
        Self { first: Duration::from_secs(60), longest: Duration::from_secs(2 * 3600), attempts: 12 }
    }
}

impl RetryPolicy {
    /// The wait before the next try, after `attempts` tries failed; `None`: give up.
    pub fn wait(&self, attempts: i32) -> Option<Duration> {
        if attempts >= self.attempts {
            return None;
        }
        let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(30);
        Some(self.first.saturating_mul(1 << doublings).min(self.longest))
    }
}

/// Records how the send of `claimed` ended, with the mail server's answer.
pub async fn record(pool: &PgPool, claimed: &Claimed, outcome: &Outcome, policy: &RetryPolicy) -> Result<()> {
    let (status, answer, wait) = match outcome {
        Outcome::Sent(answer) => ("sent", answer, None),
        Outcome::NotNow(answer) => match policy.wait(claimed.attempts) {
            Some(wait) => ("queued", answer, Some(wait)),
            None => ("failed", answer, None),
        },
        Outcome::Refused(answer) => ("failed", answer, None),
    };
    let wait_ms = wait.map(|wait| i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
    let answer: String = answer.chars().take(1000).collect();
    sqlx::query!(
        "update mail_outbox
            set status = $2, provider_answer = $3, claimed_until = null,
                sent_at = case when $2 = 'sent' then now() end,
                next_attempt_at = case when $4::bigint is not null
                                       then now() + make_interval(secs => $4::bigint / 1000.0)
                                       else next_attempt_at end
          where id = $1 and status = 'queued'",
        claimed.id,
        status,
        answer,
        wait_ms
    )
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_doubles_up_to_the_longest_then_the_message_fails() {
        let policy =
            RetryPolicy { first: Duration::from_secs(60), longest: Duration::from_secs(300), attempts: 5 };
        let waits: Vec<Option<u64>> =
            (1..=5).map(|tried| policy.wait(tried).map(|wait| wait.as_secs())).collect();
        assert_eq!(waits, [Some(60), Some(120), Some(240), Some(300), None]);
    }
}
