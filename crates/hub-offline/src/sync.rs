//! The sync client: pushes the signed-in person's outbox to the hub server in batches
//! (2,000 a round trip), each batch let go of only after the server answered that it
//! committed it; then refreshes that person's sessions and rosters and pulls the marks
//! changed since their cursor. Every call carries the person's own session: the server
//! checks every rule again, and a mark is never sent as anyone but its maker. Run it again
//! and again: a batch that was committed but not acknowledged (the app was killed, the
//! answer lost) comes back from the server as duplicates and leaves the outbox.

use crate::{Error, LocalStore, Result};
use chrono::Utc;
use hub_client::HubClient;
use hub_model::attendance::{
    DeviceMark, OfflinePack, PullRequest, PushMarksRequest, PushOutcome, PushedMark,
};
use hub_model::auth::SessionToken;
use hub_model::ops::{GetOfflinePack, PullMarks, PushMarks};
use hub_model::NoRequest;
use std::time::Duration;

/// Marks sent per round trip (the server takes up to 5,000).
pub const BATCH: i64 = 2_000;

/// The most a batch's request may weigh, well under the server's cap (4 MiB): a batch of
/// marks with long notes is sent in smaller parts.
const BATCH_BYTES: usize = 3 * 1024 * 1024;

/// What a mark weighs at most as JSON: its fixed fields, and its note with every character
/// escaped as `\u00XX` (six bytes).
fn weight(mark: &DeviceMark) -> usize {
    200 + mark.note.as_ref().map_or(0, |note| note.len() * 6)
}

/// Keeps the first marks of `marks` that fit in [`BATCH_BYTES`] (at least one); the rest
/// stay in the outbox for the next batch.
fn fitting(mut marks: Vec<DeviceMark>) -> Vec<DeviceMark> {
    let mut total = 0;
    let fit = marks
        .iter()
        .position(|mark| {
            total += weight(mark);
            total > BATCH_BYTES
        })
        .unwrap_or(marks.len())
        .max(1);
    marks.truncate(fit);
    marks
}

/// The signed-in person's side of the hub: whose marks go, and the session they go with.
#[derive(Clone, Copy)]
pub struct Session<'a> {
    pub client: &'a HubClient,
    pub token: &'a SessionToken,
    pub user_id: i64,
}

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

impl SyncReport {
    /// Counts what the server answered for a batch.
    fn count(&mut self, results: &[PushedMark]) {
        for result in results {
            match result.outcome {
                PushOutcome::Rejected { .. } => self.rejected += 1,
                _ => self.sent += 1,
            }
        }
    }
}

impl std::ops::AddAssign for SyncReport {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.rejected += other.rejected;
        self.pulled += other.pulled;
    }
}

/// One full sync for the signed-in person: push every mark they made here, then pull their
/// sessions, rosters and changed marks. Marks others made here wait for them.
pub async fn sync_once(store: &LocalStore, session: Session<'_>) -> Result<SyncReport> {
    let mut report = push_outbox(store, session).await?;
    report.pulled = pull(store, session).await?;
    Ok(report)
}

/// Drains the marks the session's person made here: every batch committed by the server,
/// then let go of here.
pub async fn push_outbox(store: &LocalStore, session: Session<'_>) -> Result<SyncReport> {
    push_outbox_in(store, session, BATCH).await
}

/// [`push_outbox`] with batches of `batch` marks (the benchmark's naive path sends one at a time).
///
/// While a batch is on its way, the local work around it is done: the previous batch's
/// answer is written down and the next batch read, so the hub and this computer work side
/// by side. One batch is in flight at a time.
pub async fn push_outbox_in(store: &LocalStore, session: Session<'_>, batch: i64) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let mut sending = fitting(store.waiting(session.user_id, batch, 0).await?);
    let mut answered: Option<Vec<PushedMark>> = None;
    while !sending.is_empty() {
        let in_flight = i64::try_from(sending.len()).unwrap_or(i64::MAX);
        let request = PushMarksRequest { marks: sending };
        let push = session.client.call::<PushMarks>(Some(session.token), &request);
        let local = async {
            if let Some(results) = answered.take() {
                // Committed: only now does the outbox let go.
                store.acknowledge(&results).await?;
                report.count(&results);
            }
            // The oldest marks waiting after those in flight (which stay first in the
            // outbox until their answer is written down).
            store.waiting(session.user_id, batch, in_flight).await
        };
        let (pushed, next) = futures_util::future::join(push, local).await;
        answered = Some(pushed.map_err(Error::Hub)?.marks);
        sending = fitting(next?);
    }
    if let Some(results) = answered {
        store.acknowledge(&results).await?;
        report.count(&results);
    }
    Ok(report)
}

/// Refreshes the sessions and rosters kept here for the session's person and takes the
/// marks changed since their cursor; answers how many records came. When the cohorts they
/// teach changed (a new one assigned), the pull starts over: a new cohort's marks are older
/// than the cursor.
pub async fn pull(store: &LocalStore, session: Session<'_>) -> Result<usize> {
    let user_id = session.user_id;
    let pack: OfflinePack = session
        .client
        .call::<GetOfflinePack>(Some(session.token), &NoRequest {})
        .await
        .map_err(Error::Hub)?;
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
    let pulled = session
        .client
        .call::<PullMarks>(Some(session.token), &PullRequest { cursor })
        .await
        .map_err(Error::Hub)?;
    store.apply_records(&pulled.records).await?;
    store.set_meta(&cursor_key, &pulled.cursor).await?;
    store.set_meta(&cohorts_key, &cohorts).await?;
    store.set_meta("last_sync_at", &Utc::now().to_rfc3339()).await?;
    Ok(pulled.records.len())
}

/// How long the worker waits before trying again after `failures` failed syncs in a row:
/// 2 s, doubling, at most 2 minutes.
pub fn backoff(failures: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(failures.clamp(1, 7)).min(120))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(note: Option<String>) -> DeviceMark {
        DeviceMark {
            client_id: uuid::Uuid::new_v4(),
            session_id: 1,
            enrollment_id: 1,
            status: hub_model::attendance::Mark::Late,
            note,
            marked_at: Utc::now(),
        }
    }

    #[test]
    fn a_batch_of_long_notes_is_cut_to_what_the_server_takes_and_one_mark_always_goes() {
        let short: Vec<DeviceMark> = (0..2_000).map(|_| mark(Some("came late".to_owned()))).collect();
        assert_eq!(fitting(short).len(), 2_000, "ordinary notes: the whole batch");
        // The longest note there is, in four-byte characters, on every mark.
        let longest = "🙂".repeat(hub_model::attendance::MAX_NOTE_CHARS);
        let long: Vec<DeviceMark> = (0..2_000).map(|_| mark(Some(longest.clone()))).collect();
        let sent = fitting(long);
        assert!(sent.len() < 2_000 && !sent.is_empty(), "{}", sent.len());
        let json = serde_json::to_vec(&PushMarksRequest { marks: sent }).unwrap();
        assert!(json.len() < 4 * 1024 * 1024, "under the server's cap: {}", json.len());
        assert_eq!(fitting(vec![mark(Some("x".repeat(1_000_000)))]).len(), 1, "one mark always goes");
    }

    #[test]
    fn retries_back_off_to_two_minutes() {
        let waits: Vec<u64> = (1..=9).map(|failures| backoff(failures).as_secs()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
    }
}
