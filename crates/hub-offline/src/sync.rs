//! The sync client: pushes the outbox in batches (2,000 a round trip) when PostgreSQL answers (each batch
//! acknowledged only after the server committed it), then refreshes the sessions and
//! rosters and pulls the marks changed since the last cursor. Run it again and again: a
//! batch that was committed but not acknowledged (the app was killed in between) comes
//! back from the server as duplicates and leaves the outbox.

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

fn server(error: impl std::fmt::Display) -> Error {
    Error::Server(error.to_string())
}

/// One full sync for `user_id`: push everything waiting, then pull.
pub async fn sync_once(store: &LocalStore, hub: &Hub, user_id: i64) -> Result<SyncReport> {
    let mut report = push_outbox(store, hub, user_id).await?;
    report.pulled = pull(store, hub, user_id).await?;
    Ok(report)
}

/// Drains the outbox: every batch committed by the server, then let go of here.
pub async fn push_outbox(store: &LocalStore, hub: &Hub, user_id: i64) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let actor = Actor::resolve(hub.pool(), Some(user_id)).await.map_err(server)?;
    loop {
        let batch = store.waiting(BATCH).await?;
        if batch.is_empty() {
            break;
        }
        let mut tx = hub.pool().begin().await.map_err(server)?;
        let results = hub_core::attendance::push(&mut tx, &actor, &batch).await.map_err(server)?;
        tx.commit().await.map_err(server)?;
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

/// Refreshes the sessions and rosters kept here and takes the marks changed since the
/// cursor; answers how many records came.
pub async fn pull(store: &LocalStore, hub: &Hub, user_id: i64) -> Result<usize> {
    let pack: OfflinePack = call(hub, user_id, "attendance.offline_pack", json!({})).await?;
    store.replace_pack(&pack).await?;
    let cursor = store.meta("cursor").await?;
    let pulled: Pulled =
        call(hub, user_id, "attendance.pull", serde_json::to_value(PullRequest { cursor }).map_err(server)?)
            .await?;
    store.apply_records(&pulled.records).await?;
    store.set_meta("cursor", &pulled.cursor).await?;
    store.set_meta("last_sync_at", &Utc::now().to_rfc3339()).await?;
    Ok(pulled.records.len())
}

async fn call<T: serde::de::DeserializeOwned>(
    hub: &Hub,
    user_id: i64,
    operation: &str,
    request: serde_json::Value,
) -> Result<T> {
    let called = hub_core::ops::call(hub, Some(user_id), operation, request).await.map_err(server)?;
    serde_json::from_value(called.response).map_err(server)
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
