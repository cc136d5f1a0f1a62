//! What the benchmarks share: timing a step again and again, and reading percentiles.

use std::future::Future;
use std::time::{Duration, Instant};

/// Times `step` `runs` times, one after another.
pub async fn timed<F, Fut>(runs: usize, mut step: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        step().await;
        samples.push(started.elapsed());
    }
    samples
}

/// The sample at `share` (0.5 for the median) of samples sorted from fastest to slowest.
pub fn percentile(sorted: &[Duration], share: f64) -> Duration {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let index = ((sorted.len() - 1) as f64 * share).round() as usize;
    sorted[index]
}
