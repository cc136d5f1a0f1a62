//! Serialized responses kept in memory, each with its strong ETag. Emptied whenever the
//! database announces a content change on the `hub_public_content` channel (migration 0004's
//! triggers), and each entry expires after a short time for what time alone changes.

use axum::body::Bytes;
use axum::http::HeaderValue;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

/// The channel the content tables' triggers notify.
pub const CHANNEL: &str = "hub_public_content";

/// How long an entry lives without a change notification: events become past and
/// enrolment windows open and close with time alone.
const TIME_TO_LIVE: Duration = Duration::from_secs(30);

/// One answer in each content coding a client may accept, compressed once when stored.
pub struct Entry {
    pub identity: Representation,
    pub gzip: Representation,
    pub brotli: Representation,
    stored_at: Instant,
}

/// The bytes of one coding and their strong ETag (each coding has its own: they are
/// different bytes).
pub struct Representation {
    pub body: Bytes,
    pub etag: String,
    pub etag_header: HeaderValue,
}

impl Representation {
    fn new(body: Vec<u8>, tag: &str, coding: &str) -> Self {
        let etag = format!("\"{tag}{coding}\"");
        let etag_header = HeaderValue::from_str(&etag).expect("hex digits and quotes are a valid header");
        Self { body: Bytes::from(body), etag, etag_header }
    }
}

impl Entry {
    /// `body` in each coding, with their tags (a hash of the bytes: the same content has the
    /// same tag on every copy of the server).
    pub fn new(body: Vec<u8>) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let tag = format!("{:016x}-{:x}", hasher.finish(), body.len());
        Self {
            gzip: Representation::new(gzip(&body), &tag, "-gz"),
            brotli: Representation::new(brotli(&body), &tag, "-br"),
            identity: Representation::new(body, &tag, ""),
            stored_at: Instant::now(),
        }
    }
}

fn gzip(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(body).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn brotli(body: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut compressed = Vec::new();
    {
        let mut encoder = brotli::CompressorWriter::new(&mut compressed, 4096, 9, 22);
        encoder.write_all(body).expect("writing to memory");
    }
    compressed
}

#[derive(Default)]
pub struct Cache {
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    /// Bumped by every invalidation: a response built before it is not kept.
    generation: AtomicU64,
}

impl Cache {
    pub fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        entries.get(key).filter(|entry| entry.stored_at.elapsed() < TIME_TO_LIVE).cloned()
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps `body` under `key`, unless the content changed since `generation` was read
    /// (it may be stale); returns the entry to serve either way.
    pub fn put(&self, key: String, body: Vec<u8>, generation: u64) -> Arc<Entry> {
        let entry = Arc::new(Entry::new(body));
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if self.generation() == generation {
            entries.insert(key, entry.clone());
        }
        entry
    }

    /// Forgets everything: the next request of each kind reads the database again.
    pub fn clear(&self) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How long a change waits, at most, for a replica to replay it before the cache is
/// emptied again anyway.
const REPLAY_WAIT: Duration = Duration::from_secs(5);

/// Listens (on `changes`, the primary) for content changes for as long as the server runs,
/// emptying the cache on each, and whenever the listening connection was lost (changes may
/// have been missed). When the content is read from a streaming replica (`reads`), the
/// notification may come before the replica has replayed the change, and a request in
/// between would fill the cache with the old content: so the cache is emptied once more when
/// the replica has caught up with where the primary was when it said so.
pub async fn follow_changes(changes: PgPool, reads: PgPool, cache: Arc<Cache>) {
    loop {
        match PgListener::connect_with(&changes).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "public API: cannot listen for content changes");
                } else {
                    cache.clear();
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(_)) => {
                                cache.clear();
                                if wait_for_replay(&changes, &reads).await {
                                    cache.clear();
                                }
                            }
                            Ok(None) => {
                                tracing::warn!("public API: lost the change listener; reconnecting");
                                cache.clear();
                            }
                            Err(error) => {
                                tracing::warn!(%error, "public API: the change listener failed");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "public API: cannot connect the change listener"),
        }
        cache.clear();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// When `reads` is a replica: waits (at most [`REPLAY_WAIT`]) until it has replayed what the
/// primary had written by now; `true` when it was a replica. Reading the primary itself, or
/// when either cannot say, returns at once.
async fn wait_for_replay(changes: &PgPool, reads: &PgPool) -> bool {
    let replica = sqlx::query_scalar!(r#"select pg_is_in_recovery() as "replica!""#).fetch_one(reads).await;
    if !matches!(replica, Ok(true)) {
        return false;
    }
    let Ok(target) =
        sqlx::query_scalar!(r#"select pg_current_wal_lsn()::text as "lsn!""#).fetch_one(changes).await
    else {
        return true;
    };
    let started = Instant::now();
    while started.elapsed() < REPLAY_WAIT {
        let replayed = sqlx::query_scalar!(
            r#"select coalesce(pg_last_wal_replay_lsn() >= $1::text::pg_lsn, false) as "replayed!""#,
            target
        )
        .fetch_one(reads)
        .await;
        match replayed {
            Ok(true) => return true,
            Ok(false) => tokio::time::sleep(Duration::from_millis(10)).await,
            Err(error) => {
                tracing::warn!(%error, "public API: cannot tell how far the replica has replayed");
                return true;
            }
        }
    }
    tracing::warn!("public API: the replica is more than 5 s behind the primary");
    true
}
