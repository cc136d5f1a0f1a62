//! The sync client: pushes the outbox in batches (2,000 a round trip) when PostgreSQL
//! answers, each mark as the person who made it and each batch acknowledged only after the
//! server committed it; then refreshes the signed-in person's sessions and rosters and pulls
//! the marks changed since their cursor. Run it again and again: a batch that was committed
//! but not acknowledged (the app was killed in between) comes back from the server as
//! duplicates and leaves the outbox.

use crate::{Error, LocalStore, Result};
use chrono::Utc;
use hub_core::{Actor, Hub};
use hub_model::attendance::{OfflinePack, PullRequest, Pulled, PushOutcome};
use serde_json::json;
use std::time::Duration;

/// Marks sent per round trip (the server takes up to 5,000).
pub const BATCH: i64 = 2_000;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncReport {
    /// Marks the server committed (applied, superseded by a later one, or received before).
    pub sent: usize,
    /// Marks the server refused, now waiting for a person.
    pub rejected: usize,
    /// Records the pull brought.
    pub pulled: usize,
}

fn unreadable(error: impl std::fmt::Display) -> Error {
    Error::Server(error.to_string())
}

impl std::ops::AddAssign for SyncReport {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.rejected += other.rejected;
        self.pulled += other.pulled;
    }
}

/// One full sync for `user_id`, who is signed in: push everything waiting here (each mark as
/// the person who made it), then pull `user_id`'s sessions, rosters and changed marks.
pub async fn sync_once(store: &LocalStore, hub: &Hub, user_id: i64) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    for person in store.people_waiting().await? {
        if person != user_id {
            report += push_outbox(store, hub, person).await?;
        }
    }
    report += push_outbox(store, hub, user_id).await?;
    report.pulled = pull(store, hub, user_id).await?;
    Ok(report)
}

/// Drains the marks `marked_by` made here: every batch committed by the server, then let go
/// of here. When their account is gone or deactivated, their marks are set aside as refused
/// (shown, not lost) rather than holding back everyone else's.
pub async fn push_outbox(store: &LocalStore, hub: &Hub, marked_by: i64) -> Result<SyncReport> {
    push_outbox_in(store, hub, marked_by, BATCH).await
}

/// [`push_outbox`] with batches of `batch` marks (the benchmark's naive path sends one at a time).
pub async fn push_outbox_in(store: &LocalStore, hub: &Hub, marked_by: i64, batch: i64) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let actor = match Actor::resolve(hub.pool(), Some(marked_by)).await {
        Ok(actor) => actor,
        Err(hub_core::Error::Unauthenticated(reason)) => {
            let set_aside = store.reject_waiting(marked_by, &format!("not sent: {reason}")).await?;
            report.rejected = usize::try_from(set_aside).unwrap_or(usize::MAX);
            return Ok(report);
        }
        Err(error) => return Err(error.into()),
    };
    loop {
        let marks = store.waiting(marked_by, batch).await?;
        if marks.is_empty() {
            break;
        }
        let mut tx = hub.pool().begin().await.map_err(hub_core::Error::from)?;
        let results = hub_core::attendance::push(&mut tx, &actor, &marks).await?;
        tx.commit().await.map_err(hub_core::Error::from)?;
        // Committed: only now does the outbox let go.
        store.acknowledge(&results).await?;
        for result in &results {
            match result.outcome {
                PushOutcome::Rejected { .. } => report.rejected += 1,
                _ => report.sent += 1,
            }
        }
    }
    Ok(report)
}

/// Refreshes the sessions and rosters kept here for `user_id` and takes the marks changed
/// since their cursor; answers how many records came. When the cohorts they teach changed
/// (a new one assigned), the pull starts over: a new cohort's marks are older than the cursor.
pub async fn pull(store: &LocalStore, hub: &Hub, user_id: i64) -> Result<usize> {
    let pack: OfflinePack = call(hub, user_id, "attendance.offline_pack", json!({})).await?;
    let mut cohorts: Vec<i64> = pack
        .sessions
        .iter()
        .map(|session| session.cohort_id)
        .chain(pack.students.iter().map(|student| student.cohort_id))
        .collect();
    cohorts.sort_unstable();
    cohorts.dedup();
    let cohorts = cohorts.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let (cursor_key, cohorts_key) = (format!("cursor:{user_id}"), format!("cohorts:{user_id}"));
    let cursor = if store.meta(&cohorts_key).await?.as_deref() == Some(cohorts.as_str()) {
        store.meta(&cursor_key).await?
    } else {
        None
    };
    store.replace_pack(user_id, &pack).await?;
    let request = serde_json::to_value(PullRequest { cursor }).map_err(unreadable)?;
    let pulled: Pulled = call(hub, user_id, "attendance.pull", request).await?;
    store.apply_records(&pulled.records).await?;
    store.set_meta(&cursor_key, &pulled.cursor).await?;
    store.set_meta(&cohorts_key, &cohorts).await?;
    store.set_meta("last_sync_at", &Utc::now().to_rfc3339()).await?;
    Ok(pulled.records.len())
}

async fn call<T: serde::de::DeserializeOwned>(
    hub: &Hub,
    user_id: i64,
    operation: &str,
    request: serde_json::Value,
) -> Result<T> {
    let called = hub_core::ops::call(hub, Some(user_id), operation, request).await?;
    serde_json::from_value(called.response).map_err(unreadable)
}

/// How long the worker waits before trying again after `failures` failed syncs in a row:
/// 2 s, doubling, at most 2 minutes.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(failures.clamp(1, 7)).min(120))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_two_minutes() {
        let waits: Vec<u64> = (1..=9).map(|failures| backoff(failures).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    }
}
