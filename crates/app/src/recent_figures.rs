//! The dashboard's figures over large selections, counted at most about once a minute.
//!
//! A dashboard over one organisation of 100,000 families groups all its cases (0.6–1.1 s on
//! this project's 2-core benchmark machine, BENCHMARKS.md issue 19.3); fifty people opening
//! dashboards kept both cores busy and every other page waited behind them. So a count that
//! took long is kept, shown with the time it was made, and made again in the background when a
//! view finds it older than [`FiguresPolicy::renew_after`], at most one such count at a time.
//! A count that is quick (every selection of a small organisation) is never kept: those
//! dashboards stay exact to the last save.
//!
//! The key is the selection as the principal may count it ([`crate::Acting::countable`]), so
//! kept figures only ever reach someone who was allowed to count that selection; each view is
//! still checked and audited on its own.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dakwacht_core::{CaseFilter, ChildFigures, Contribution, ProfileCount};
use dakwacht_rules::Tally;

use crate::Error;

/// When figures are kept and how long they are shown.
#[derive(Debug, Clone, Copy)]
pub struct FiguresPolicy {
    /// Figures whose count took at least this long are kept.
    pub keep_when_slower_than: Duration,
    /// A view of kept figures this old has them counted again in the background.
    pub renew_after: Duration,
    /// Kept figures this old (nobody looked in between) are not shown: the view counts anew.
    pub shown_at_most: Duration,
}

impl Default for FiguresPolicy {
    fn default() -> Self {
        FiguresPolicy {
            keep_when_slower_than: Duration::from_millis(200),
            renew_after: Duration::from_secs(60),
            shown_at_most: Duration::from_secs(600),
        }
    }
}

impl FiguresPolicy {
    /// Never keeps anything: every view counts (the command line, which counts once).
    pub fn never() -> Self {
        FiguresPolicy {
            keep_when_slower_than: Duration::MAX,
            ..FiguresPolicy::default()
        }
    }
}

/// What the store counted for one selection: everything a dashboard shows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    pub profiles: Vec<ProfileCount>,
    pub municipalities: u64,
    pub children: ChildFigures,
    pub months: Vec<(String, u64)>,
    pub by_municipality: Vec<(String, u64)>,
    pub durations: Vec<(Contribution, u64)>,
    pub signals: Tally,
}

/// A selection as counted, under one rules file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    pub filter: CaseFilter,
    pub rules: i64,
}

/// A count made in the background, when one is due.
pub(crate) type Renewal = Pin<Box<dyn Future<Output = Result<Counts, Error>> + Send>>;

struct Kept {
    counts: Counts,
    /// When the count started: the figures are those of this moment.
    at: jiff::Timestamp,
    started: Instant,
}

#[derive(Default)]
struct Slot {
    kept: Option<Arc<Kept>>,
    /// Held by whoever is counting this selection, so that one count serves everyone waiting.
    counting: Arc<tokio::sync::Mutex<()>>,
}

/// At most this many selections are kept; the oldest count goes first.
const MOST_KEPT: usize = 128;

pub(crate) struct RecentFigures {
    policy: FiguresPolicy,
    slots: Mutex<HashMap<Key, Slot>>,
    /// One background count at a time: the rest of the server keeps a core.
    renewing: Arc<tokio::sync::Semaphore>,
}

impl RecentFigures {
    pub(crate) fn new(policy: FiguresPolicy) -> Arc<Self> {
        Arc::new(RecentFigures {
            policy,
            slots: Mutex::new(HashMap::new()),
            renewing: Arc::new(tokio::sync::Semaphore::new(1)),
        })
    }

    /// The counts of `key`, with the time they were made when they are kept ones; `count` makes
    /// them now, `renewal` makes a count to run in the background (`None` when it cannot).
    pub(crate) async fn counts(
        self: &Arc<Self>,
        key: Key,
        count: impl Future<Output = Result<Counts, Error>>,
        renewal: impl FnOnce() -> Option<Renewal>,
    ) -> Result<(Counts, Option<jiff::Timestamp>), Error> {
        let (kept, counting) = self.slot(&key);
        if let Some(kept) = kept {
            let age = kept.started.elapsed();
            if age < self.policy.shown_at_most {
                if age >= self.policy.renew_after {
                    self.renew(key, counting, renewal);
                }
                return Ok((kept.counts.clone(), Some(kept.at)));
            }
        }
        let _counting = counting.lock().await;
        // Whoever held the lock may just have counted it.
        if let (Some(kept), _) = self.slot(&key)
            && kept.started.elapsed() < self.policy.renew_after
        {
            return Ok((kept.counts.clone(), Some(kept.at)));
        }
        let at = jiff::Timestamp::now();
        let started = Instant::now();
        let counts = count.await?;
        self.keep(key, &counts, at, started);
        Ok((counts, None))
    }

    fn slot(&self, key: &Key) -> (Option<Arc<Kept>>, Arc<tokio::sync::Mutex<()>>) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let slot = slots.entry(key.clone()).or_default();
        (slot.kept.clone(), slot.counting.clone())
    }

    /// Counts `key` again in the background, unless it is being counted or another count runs.
    fn renew(
        self: &Arc<Self>,
        key: Key,
        counting: Arc<tokio::sync::Mutex<()>>,
        renewal: impl FnOnce() -> Option<Renewal>,
    ) {
        let Ok(counting) = counting.try_lock_owned() else {
            return;
        };
        let Ok(permit) = self.renewing.clone().try_acquire_owned() else {
            return;
        };
        let Some(renewal) = renewal() else {
            return;
        };
        let recent = self.clone();
        tokio::spawn(async move {
            let at = jiff::Timestamp::now();
            let started = Instant::now();
            match renewal.await {
                Ok(counts) => recent.keep(key, &counts, at, started),
                // The kept figures stay until they are too old to show; the next view tries again.
                Err(error) => {
                    tracing::warn!(%error, "the dashboard's figures could not be renewed")
                }
            }
            drop(counting);
            drop(permit);
        });
    }

    /// Keeps a count that took long; forgets the selection's kept count when this one was quick.
    fn keep(&self, key: Key, counts: &Counts, at: jiff::Timestamp, started: Instant) {
        let slow = started.elapsed() >= self.policy.keep_when_slower_than;
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if !slow {
            slots.remove(&key);
            return;
        }
        let kept = Arc::new(Kept {
            counts: counts.clone(),
            at,
            started,
        });
        slots.entry(key).or_default().kept = Some(kept);
        let shown_at_most = self.policy.shown_at_most;
        slots.retain(|_, slot| {
            slot.kept
                .as_ref()
                .is_some_and(|kept| kept.started.elapsed() < shown_at_most)
                || Arc::strong_count(&slot.counting) > 1
        });
        while slots.len() > MOST_KEPT {
            let oldest = slots
                .iter()
                .filter_map(|(key, slot)| slot.kept.as_ref().map(|kept| (key, kept.started)))
                .min_by_key(|(_, started)| *started)
                .map(|(key, _)| key.clone());
            match oldest {
                Some(oldest) => slots.remove(&oldest),
                None => break,
            };
        }
    }

    /// How many selections have kept figures (for tests).
    #[cfg(test)]
    fn kept(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.values().filter(|slot| slot.kept.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn key(organisation: &str) -> Key {
        Key {
            filter: CaseFilter {
                organisation: Some(organisation.to_string()),
                ..CaseFilter::default()
            },
            rules: 1,
        }
    }

    /// Counts whose `municipalities` says which count made them.
    fn numbered(n: u64) -> Counts {
        Counts {
            municipalities: n,
            ..Counts::default()
        }
    }

    fn policy(keep_ms: u64, renew_ms: u64, shown_ms: u64) -> FiguresPolicy {
        FiguresPolicy {
            keep_when_slower_than: Duration::from_millis(keep_ms),
            renew_after: Duration::from_millis(renew_ms),
            shown_at_most: Duration::from_millis(shown_ms),
        }
    }

    /// A count that takes `ms` and gives the next number of `made`.
    fn count(
        made: &Arc<AtomicU64>,
        ms: u64,
    ) -> impl Future<Output = Result<Counts, Error>> + use<> {
        let made = made.clone();
        async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Ok(numbered(made.fetch_add(1, Ordering::SeqCst) + 1))
        }
    }

    fn renewal(made: &Arc<AtomicU64>, ms: u64) -> impl FnOnce() -> Option<Renewal> + use<> {
        let made = made.clone();
        move || Some(Box::pin(count(&made, ms)) as Renewal)
    }

    #[tokio::test]
    async fn a_quick_count_is_never_kept() {
        let recent = RecentFigures::new(policy(50, 60_000, 600_000));
        let made = Arc::new(AtomicU64::new(0));
        for n in 1..=3 {
            let (counts, at) = recent
                .counts(key("A"), count(&made, 0), renewal(&made, 0))
                .await
                .unwrap();
            assert_eq!((counts.municipalities, at), (n, None));
        }
        assert_eq!(recent.kept(), 0);
    }

    #[tokio::test]
    async fn a_slow_count_is_shown_with_its_time_until_renewed_in_the_background() {
        let recent = RecentFigures::new(policy(10, 100, 60_000));
        let made = Arc::new(AtomicU64::new(0));
        let (first, at) = recent
            .counts(key("A"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        assert_eq!((first.municipalities, at), (1, None));
        // Within `renew_after`: the kept count, with the time it was made; nothing counted.
        let (again, at) = recent
            .counts(key("A"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        assert_eq!(again.municipalities, 1);
        assert!(at.is_some());
        assert_eq!(made.load(Ordering::SeqCst), 1);
        // Another selection is counted on its own.
        let (other, _) = recent
            .counts(key("B"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        assert_eq!(other.municipalities, 2);
        // Past `renew_after`: still the kept count at once, and a count in the background...
        tokio::time::sleep(Duration::from_millis(120)).await;
        let (stale, _) = recent
            .counts(key("A"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        assert_eq!(stale.municipalities, 1);
        tokio::time::sleep(Duration::from_millis(100)).await;
        // ...whose figures the next view shows.
        let (renewed, at) = recent
            .counts(key("A"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        assert_eq!(renewed.municipalities, 3);
        assert!(at.is_some());
    }

    #[tokio::test]
    async fn figures_too_old_to_show_are_counted_while_the_viewer_waits() {
        let recent = RecentFigures::new(policy(10, 20, 50));
        let made = Arc::new(AtomicU64::new(0));
        recent
            .counts(key("A"), count(&made, 20), renewal(&made, 20))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(80)).await;
        let (counts, at) = recent
            .counts(key("A"), count(&made, 20), || None)
            .await
            .unwrap();
        assert_eq!((counts.municipalities, at), (2, None));
    }

    #[tokio::test]
    async fn viewers_of_a_selection_being_counted_wait_for_that_one_count() {
        let recent = RecentFigures::new(policy(10, 60_000, 600_000));
        let made = Arc::new(AtomicU64::new(0));
        let view = || recent.counts(key("A"), count(&made, 40), || None);
        let shown = tokio::join!(view(), view(), view(), view());
        assert_eq!(made.load(Ordering::SeqCst), 1);
        for counts in [shown.0, shown.1, shown.2, shown.3] {
            assert_eq!(counts.unwrap().0.municipalities, 1);
        }
    }

    #[tokio::test]
    async fn a_failed_count_keeps_nothing_and_says_why() {
        let recent = RecentFigures::new(policy(0, 60_000, 600_000));
        let failed = recent
            .counts(key("A"), async { Err(Error::NotFound) }, || None)
            .await;
        assert!(matches!(failed, Err(Error::NotFound)));
        assert_eq!(recent.kept(), 0);
    }

    #[tokio::test]
    async fn at_most_so_many_selections_are_kept() {
        let recent = RecentFigures::new(policy(0, 60_000, 600_000));
        let made = Arc::new(AtomicU64::new(0));
        for n in 0..MOST_KEPT + 5 {
            recent
                .counts(key(&n.to_string()), count(&made, 0), || None)
                .await
                .unwrap();
        }
        assert_eq!(recent.kept(), MOST_KEPT);
    }
}
