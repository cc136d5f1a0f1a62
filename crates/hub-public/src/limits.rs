//! One rate-limit policy for everything a stranger can send — a sign-in, a contact
//! message, an application: the generic cell rate algorithm (`governor`) per client, a
//! client being an IPv4 address or an IPv6 /64 (one household or office holds a whole /64,
//! and a flooder would otherwise take a fresh address per request).
//!
//! In memory: each copy of the hub server counts on its own, so behind a load balancer a
//! client may send up to copies × the limit; the balancer should limit too (docs/INSTALL.md).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// How many checks pass between two sweeps of clients whose allowance is whole again.
const SWEEP_EVERY: u32 = 4096;

pub struct ClientLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    checks: AtomicU32,
}

impl ClientLimit {
    /// `per_minute` requests from one client at once, then one more every minute /
    /// `per_minute`: a classroom behind one address signs in together; a bot is slowed to
    /// the sustained rate.
    pub fn per_minute(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            checks: AtomicU32::new(0),
        }
    }

    /// Counts one request from `address`: `Err(wait)` when it is over the limit, `wait`
    /// being how long until one more would pass.
    pub fn check(&self, address: IpAddr) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        self.limiter
            .check_key(&hub_core::auth::client_bucket(address))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// A wait as whole seconds, rounded up (what `Retry-After` says).
pub fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_gets_its_burst_then_waits_and_a_64_is_one_client() {
        let limit = ClientLimit::per_minute(3);
        let address = |text: &str| text.parse::<IpAddr>().unwrap();
        for n in 0..3 {
            assert!(limit.check(address(&format!("2001:db8:1:2::{n}"))).is_ok(), "request {n}");
        }
        let wait = limit.check(address("2001:db8:1:2::99")).unwrap_err();
        assert!(wait > Duration::from_secs(15) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(limit.check(address("2001:db8:1:3::1")).is_ok(), "the next /64 is someone else");
        assert!(limit.check(address("203.0.113.7")).is_ok());
        assert_eq!(seconds(Duration::from_millis(19_001)), 20);
        assert_eq!(seconds(Duration::from_secs(20)), 20);
    }
}
