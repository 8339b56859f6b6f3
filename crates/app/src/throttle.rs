//! Slowing down password guessing without locking anyone out for good.
//!
//! Failed sign-ins are counted per user name and per source address. After a few free failures,
//! the next attempt for that name (or from that address) must wait; the wait doubles with every
//! further failure, up to a cap. The cap per name is low (a minute), so that someone who fails on
//! purpose for a chosen name only slows its real user down and never shuts them out; the cap per
//! address is higher, because one address that keeps failing is the guesser itself.
//!
//! Kept in memory, bounded and forgetting: a restart forgets it, which is acceptable for slowing
//! down guessing, and no stream of made-up names can make it grow without end.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How one counter (per name, or per address) slows down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    /// Failures that cost nothing: typing errors of the real user.
    pub free_failures: u32,
    /// The wait after the first failure beyond the free ones; it doubles with every further one…
    pub first_delay: Duration,
    /// …up to this.
    pub max_delay: Duration,
    /// A name or address without a failure for this long starts again from zero.
    pub forget_after: Duration,
    /// At most this many names (or addresses) are kept; the longest quiet ones make room.
    pub max_entries: usize,
}

impl ThrottleLimits {
    /// Per user name: 3 free failures, then 2, 4, 8, … seconds, never more than a minute.
    pub const PER_NAME: ThrottleLimits = ThrottleLimits {
        free_failures: 3,
        first_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(60),
        forget_after: Duration::from_secs(15 * 60),
        max_entries: 10_000,
    };

    /// Per source address: 10 free failures (an office behind one address), then 2, 4, 8, …
    /// seconds, up to 10 minutes.
    pub const PER_ADDRESS: ThrottleLimits = ThrottleLimits {
        free_failures: 10,
        first_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(10 * 60),
        forget_after: Duration::from_secs(60 * 60),
        max_entries: 10_000,
    };

    /// How long to wait after this many failures.
    fn delay(&self, failures: u32) -> Duration {
        if failures < self.free_failures {
            return Duration::ZERO;
        }
        let doublings = (failures - self.free_failures).min(31);
        self.first_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

/// Which counter made an attempt wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottledBy {
    Name,
    Address,
}

/// An attempt that must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// Whole seconds until the next attempt may be tried (at least 1).
    pub seconds: u64,
    pub by: ThrottledBy,
    /// The first refusal since the last failure: worth an audit line. Later ones within the same
    /// wait are not logged one by one, so a loop of refused attempts cannot flood the audit log.
    pub first: bool,
}

/// Whole seconds, rounded up, at least 1: what `Retry-After` and the message say.
fn whole_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

struct Failures {
    count: u32,
    last: Instant,
    refused_since: u32,
}

struct Counter<K> {
    limits: ThrottleLimits,
    entries: HashMap<K, Failures>,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(limits: ThrottleLimits) -> Self {
        Counter {
            limits,
            entries: HashMap::new(),
        }
    }

    fn stale(&self, failures: &Failures, now: Instant) -> bool {
        now.saturating_duration_since(failures.last) >= self.limits.forget_after
    }

    /// The wait left for `key`, if any (and counts this refusal).
    fn check(&mut self, key: &K, now: Instant) -> Option<(Duration, bool)> {
        let failures = self.entries.get(key)?;
        if self.stale(failures, now) {
            self.entries.remove(key);
            return None;
        }
        let until = failures.last + self.limits.delay(failures.count);
        let left = until.saturating_duration_since(now);
        if left.is_zero() {
            return None;
        }
        let failures = self.entries.get_mut(key)?;
        failures.refused_since += 1;
        Some((left, failures.refused_since == 1))
    }

    /// Counts a failure; returns the wait it starts (zero while failures are free).
    fn failed(&mut self, key: K, now: Instant) -> Duration {
        if !self.entries.contains_key(&key) && self.entries.len() >= self.limits.max_entries {
            self.make_room(now);
        }
        let forget_after = self.limits.forget_after;
        let failures = self.entries.entry(key).or_insert(Failures {
            count: 0,
            last: now,
            refused_since: 0,
        });
        if now.saturating_duration_since(failures.last) >= forget_after {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
        failures.refused_since = 0;
        self.limits.delay(failures.count)
    }

    fn forget(&mut self, key: &K) {
        self.entries.remove(key);
    }

    /// Drops what has been quiet long enough; when that is not enough (a flood of names within
    /// `forget_after`), the longest quiet tenth, so that the map stays within `max_entries`.
    fn make_room(&mut self, now: Instant) {
        let forget_after = self.limits.forget_after;
        self.entries
            .retain(|_, f| now.saturating_duration_since(f.last) < forget_after);
        if self.entries.len() < self.limits.max_entries {
            return;
        }
        let mut quiet: Vec<(Instant, K)> = self
            .entries
            .iter()
            .map(|(key, f)| (f.last, key.clone()))
            .collect();
        quiet.sort_by_key(|(last, _)| *last);
        let drop = (self.limits.max_entries / 10).max(1);
        for (_, key) in quiet.into_iter().take(drop) {
            self.entries.remove(&key);
        }
    }
}

/// The address a counter is kept for, or `None` for an address not to count: IPv6 by its /64
/// (one subscriber usually has a whole /64), and loopback not at all (a reverse proxy on the same
/// machine makes every user 127.0.0.1, and one guesser must not slow them all down).
fn address_key(address: IpAddr) -> Option<IpAddr> {
    match address.to_canonical() {
        address if address.is_loopback() => None,
        IpAddr::V4(v4) => Some(IpAddr::V4(v4)),
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !(u128::from(u64::MAX));
            Some(IpAddr::V6(prefix.into()))
        }
    }
}

struct Counters {
    names: Counter<String>,
    addresses: Counter<IpAddr>,
}

/// Failed sign-ins per user name and per source address.
pub struct SignInThrottle {
    counters: Mutex<Counters>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle::new(ThrottleLimits::PER_NAME, ThrottleLimits::PER_ADDRESS)
    }
}

/// The waits a failure started (zero while failures are still free).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slowed {
    pub name: Duration,
    pub address: Duration,
}

impl Slowed {
    /// The longer of the two waits in whole seconds, when there is one.
    pub fn seconds(&self) -> Option<u64> {
        let wait = self.name.max(self.address);
        (!wait.is_zero()).then(|| whole_seconds(wait))
    }
}

impl SignInThrottle {
    pub fn new(names: ThrottleLimits, addresses: ThrottleLimits) -> Self {
        SignInThrottle {
            counters: Mutex::new(Counters {
                names: Counter::new(names),
                addresses: Counter::new(addresses),
            }),
        }
    }

    /// The counters. They hold only counts and times, so after a panic elsewhere they are still
    /// usable: carry on with them rather than refuse every sign-in.
    fn counters(&self) -> MutexGuard<'_, Counters> {
        self.counters
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether an attempt for `name` from `address` must wait first. The address is asked first:
    /// a guesser trying many names is told about its own address.
    pub fn check(&self, name: &str, address: Option<IpAddr>) -> Option<Throttled> {
        self.check_at(name, address, Instant::now())
    }

    pub fn check_at(&self, name: &str, address: Option<IpAddr>, now: Instant) -> Option<Throttled> {
        let mut counters = self.counters();
        if let Some(key) = address.and_then(address_key)
            && let Some((wait, first)) = counters.addresses.check(&key, now)
        {
            return Some(Throttled {
                seconds: whole_seconds(wait),
                by: ThrottledBy::Address,
                first,
            });
        }
        let (wait, first) = counters.names.check(&name.to_string(), now)?;
        Some(Throttled {
            seconds: whole_seconds(wait),
            by: ThrottledBy::Name,
            first,
        })
    }

    /// Counts a failed attempt.
    pub fn failed(&self, name: &str, address: Option<IpAddr>) -> Slowed {
        self.failed_at(name, address, Instant::now())
    }

    pub fn failed_at(&self, name: &str, address: Option<IpAddr>, now: Instant) -> Slowed {
        let mut counters = self.counters();
        let address = match address.and_then(address_key) {
            Some(key) => counters.addresses.failed(key, now),
            None => Duration::ZERO,
        };
        Slowed {
            name: counters.names.failed(name.to_string(), now),
            address,
        }
    }

    /// The real user got in: their name starts again from zero. The address keeps its count, or
    /// a guesser with an account of their own could wipe it between guesses.
    pub fn succeeded(&self, name: &str) {
        self.counters().names.forget(&name.to_string());
    }

    /// How many names and addresses are held (to check that it stays bounded).
    pub fn tracked(&self) -> usize {
        let counters = self.counters();
        counters.names.entries.len() + counters.addresses.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Option<IpAddr> {
        text.parse().ok()
    }

    #[test]
    fn the_wait_doubles_per_failure_and_stops_at_a_minute_for_a_name() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        let mut now = start;
        let mut waits = Vec::new();
        for _ in 0..12 {
            assert_eq!(throttle.check_at("anna", None, now), None);
            let slowed = throttle.failed_at("anna", None, now);
            waits.push(slowed.name.as_secs());
            // Wait exactly as long as asked: then the next attempt is let through.
            if let Some(seconds) = slowed.seconds() {
                let refused = throttle.check_at("anna", None, now).unwrap();
                assert_eq!((refused.seconds, refused.by), (seconds, ThrottledBy::Name));
                now += Duration::from_secs(seconds);
            }
        }
        assert_eq!(waits, [0, 0, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]);
        // However long someone keeps failing for this name, its real user waits a minute at most.
        for _ in 0..1000 {
            throttle.failed_at("anna", None, now);
        }
        let refused = throttle.check_at("anna", None, now).unwrap();
        assert_eq!(refused.seconds, 60);
        throttle.succeeded("anna");
        assert_eq!(throttle.check_at("anna", None, now), None);
    }

    #[test]
    fn only_the_first_refusal_of_a_wait_is_worth_recording() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..3 {
            throttle.failed_at("anna", None, now);
        }
        assert!(throttle.check_at("anna", None, now).unwrap().first);
        assert!(!throttle.check_at("anna", None, now).unwrap().first);
        throttle.failed_at("anna", None, now + Duration::from_secs(2));
        let after = now + Duration::from_secs(3);
        assert!(throttle.check_at("anna", None, after).unwrap().first);
    }

    #[test]
    fn an_address_that_keeps_failing_waits_longer_whatever_the_name() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        let guesser = address("203.0.113.7");
        for i in 0..10 {
            assert_eq!(throttle.check_at(&format!("n{i}"), guesser, now), None);
            throttle.failed_at(&format!("n{i}"), guesser, now);
        }
        let refused = throttle.check_at("someone-else", guesser, now).unwrap();
        assert_eq!((refused.seconds, refused.by), (2, ThrottledBy::Address));
        assert_eq!(
            throttle.check_at("someone-else", address("198.51.100.1"), now),
            None
        );
        let mut later = now;
        for _ in 0..30 {
            later += Duration::from_secs(1);
            throttle.failed_at("x", guesser, later);
        }
        let refused = throttle.check_at("y", guesser, later).unwrap();
        assert_eq!(refused.seconds, 600, "capped at 10 minutes");
    }

    #[test]
    fn ipv6_counts_per_64_and_loopback_not_at_all() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..10 {
            throttle.failed_at(
                &format!("n{i}"),
                address(&format!("2001:db8:1:2::{i}")),
                now,
            );
            throttle.failed_at(&format!("n{i}"), address("127.0.0.1"), now);
            throttle.failed_at(&format!("n{i}"), address("::1"), now);
        }
        assert!(
            throttle
                .check_at("z", address("2001:db8:1:2:ffff::1"), now)
                .is_some()
        );
        assert!(
            throttle
                .check_at("z", address("2001:db8:1:3::1"), now)
                .is_none()
        );
        assert!(throttle.check_at("z", address("127.0.0.1"), now).is_none());
        assert!(
            throttle
                .check_at("z", address("::ffff:127.0.0.1"), now)
                .is_none()
        );
    }

    #[test]
    fn quiet_names_are_forgotten_and_the_map_stays_bounded() {
        let limits = ThrottleLimits {
            max_entries: 100,
            ..ThrottleLimits::PER_NAME
        };
        let throttle = SignInThrottle::new(limits, ThrottleLimits::PER_ADDRESS);
        let now = Instant::now();
        for i in 0..10_000 {
            throttle.failed_at(&format!("name-{i}"), None, now);
        }
        assert!(throttle.tracked() <= 100, "{}", throttle.tracked());

        // After a quiet quarter of an hour a name starts again from zero.
        let throttle = SignInThrottle::default();
        for _ in 0..8 {
            throttle.failed_at("anna", None, now);
        }
        assert!(throttle.check_at("anna", None, now).is_some());
        let later = now + ThrottleLimits::PER_NAME.forget_after;
        assert_eq!(throttle.check_at("anna", None, later), None);
        assert_eq!(throttle.tracked(), 0, "the quiet name was dropped");
        assert_eq!(throttle.failed_at("anna", None, later).name, Duration::ZERO);
    }
}
