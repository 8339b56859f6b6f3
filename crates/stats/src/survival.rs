//! The duration of homelessness as a Kaplan–Meier estimate (publication spec §1).
//!
//! The quickscan's duration bands treat a family still homeless, or lost from view, as if its
//! homelessness ended on the last known day, which understates the duration exactly for the families
//! that worry us most. Here those families are right-censored instead: they count as at risk for as
//! long as they were seen homeless, and no longer.
//!
//! Pure and aggregated: the estimate reads counted [`Observation`]s, so a store can group a million
//! cases by their [`Contribution`] in its database and hand over a few hundred rows.

use std::collections::BTreeMap;

use dakwacht_core::Case;
pub use dakwacht_core::duration::{Contribution, Observation};

/// The months at which the report reads the survival off the curve.
pub const SURVIVAL_AT_MONTHS: [u32; 4] = [3, 6, 12, 24];

/// The 0.975 quantile of the standard normal distribution: a two-sided 95% band.
const Z_95: f64 = 1.959963984540054;

/// A survival of exactly one half is a product of fractions that binary floating point may miss by
/// an ulp either way; the spec counts it as reached.
const HALF_TOLERANCE: f64 = 1e-12;

fn at_most_half(value: f64) -> bool {
    value <= 0.5 + HALF_TOLERANCE
}

/// One whole month of the estimate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SurvivalRow {
    pub month: u32,
    /// Families whose duration is at least `month`: still homeless when the month began, as far as
    /// known.
    pub at_risk: u64,
    /// Families rehoused after exactly `month` months.
    pub events: u64,
    /// Families last known homeless after exactly `month` months. They still count as at risk for
    /// this month's rehousings (events before censorings).
    pub censored: u64,
    /// The estimated share of families still homeless after `month` months.
    pub survival: f64,
    /// The 95% band around `survival`: log(−log) transform of Greenwood's variance, as R's
    /// `conf.type = "log-log"` and Python `lifelines`. [1, 1] before anyone is rehoused (the
    /// variance is 0/0 there; `lifelines` fills in 1) and [0, 0] once `survival` is 0.
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The Kaplan–Meier estimate over whole months, from counted observations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KaplanMeier {
    /// One row per month, from 0 to the largest month with a case; `table[m].month == m`.
    table: Vec<SurvivalRow>,
}

impl KaplanMeier {
    /// Counts may name the same observation more than once (a store's groups are finer than
    /// months); they are summed. A count of 0 is no case at all.
    ///
    /// Months come from calendar dates, so the table (one row per month up to the longest duration)
    /// stays within the calendar's few hundred thousand months.
    pub fn from_counts(counts: impl IntoIterator<Item = (Observation, u64)>) -> Self {
        // (events, censored) per month with a case.
        let mut by_month: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
        let mut n: u64 = 0;
        for (observation, count) in counts {
            if count == 0 {
                continue;
            }
            n = n.saturating_add(count);
            let (events, censored) = by_month.entry(observation.months).or_default();
            let tally = if observation.event { events } else { censored };
            *tally = tally.saturating_add(count);
        }
        let Some(&last) = by_month.keys().next_back() else {
            return KaplanMeier::default();
        };

        let mut table = Vec::with_capacity(last as usize + 1);
        let mut at_risk = n;
        let mut survival = 1.0_f64;
        // Σ d / (n (n − d)): Greenwood's variance of log survival.
        let mut greenwood = 0.0_f64;
        for month in 0..=last {
            let (events, censored) = by_month.get(&month).copied().unwrap_or_default();
            if events > 0 {
                let remaining = at_risk.saturating_sub(events);
                survival *= remaining as f64 / at_risk as f64;
                if remaining > 0 {
                    greenwood += events as f64 / (at_risk as f64 * remaining as f64);
                }
            }
            let (ci_low, ci_high) = log_log_band(survival, greenwood);
            table.push(SurvivalRow {
                month,
                at_risk,
                events,
                censored,
                survival,
                ci_low,
                ci_high,
            });
            at_risk = at_risk.saturating_sub(events.saturating_add(censored));
        }
        KaplanMeier { table }
    }

    pub fn table(&self) -> &[SurvivalRow] {
        &self.table
    }

    pub fn into_table(self) -> Vec<SurvivalRow> {
        self.table
    }

    /// The families in the estimate: everyone is at risk in month 0.
    pub fn n(&self) -> u64 {
        self.table.first().map_or(0, |row| row.at_risk)
    }

    /// The families seen rehoused.
    pub fn events(&self) -> u64 {
        self.table.iter().map(|row| row.events).sum()
    }

    /// The families whose end was not seen.
    pub fn censored(&self) -> u64 {
        self.table.iter().map(|row| row.censored).sum()
    }

    /// The smallest month with a survival of at most one half: by then half the families are
    /// estimated rehoused. `None` when the curve never gets there ("not reached").
    pub fn median_months(&self) -> Option<u32> {
        self.first_month_at_most_half(|row| row.survival)
    }

    /// The median's 95% interval: where the band's low end, and where its high end, first reach one
    /// half. Each end is `None` when not reached.
    pub fn median_ci(&self) -> [Option<u32>; 2] {
        [
            self.first_month_at_most_half(|row| row.ci_low),
            self.first_month_at_most_half(|row| row.ci_high),
        ]
    }

    fn first_month_at_most_half(&self, value: impl Fn(&SurvivalRow) -> f64) -> Option<u32> {
        self.table
            .iter()
            .find(|row| at_most_half(value(row)))
            .map(|row| row.month)
    }

    /// The share still homeless after `months` months. `None` past the table's last month, the
    /// longest duration of any case and the last month anyone is at risk: beyond it the data say
    /// nothing, not even when the curve has reached 0.
    pub fn survival_at(&self, months: u32) -> Option<f64> {
        self.table.get(months as usize).map(|row| row.survival)
    }

    /// The survival at each of [`SURVIVAL_AT_MONTHS`].
    pub fn survival_at_milestones(&self) -> SurvivalAt {
        SurvivalAt {
            three_months: self.survival_at(3),
            six_months: self.survival_at(6),
            twelve_months: self.survival_at(12),
            twenty_four_months: self.survival_at(24),
        }
    }
}

/// The 95% band of a survival estimate on the log(−log) scale, where it stays inside [0, 1]:
/// `survival ^ exp(±z · √greenwood / |log survival|)`, in lifelines' arrangement of the formula.
fn log_log_band(survival: f64, greenwood: f64) -> (f64, f64) {
    if survival <= 0.0 {
        return (0.0, 0.0);
    }
    if greenwood <= 0.0 {
        // Nobody rehoused yet: survival 1, nothing to vary.
        return (1.0, 1.0);
    }
    let log_survival = survival.ln();
    let spread = Z_95 * greenwood.sqrt() / log_survival;
    let centre = (-log_survival).ln();
    (
        (-(centre - spread).exp()).exp(),
        (-(centre + spread).exp()).exp(),
    )
}

/// The survival read off the curve at 3, 6, 12 and 24 months, keyed by month in JSON as the spec's
/// `survival_at`.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct SurvivalAt {
    #[serde(rename = "3")]
    pub three_months: Option<f64>,
    #[serde(rename = "6")]
    pub six_months: Option<f64>,
    #[serde(rename = "12")]
    pub twelve_months: Option<f64>,
    #[serde(rename = "24")]
    pub twenty_four_months: Option<f64>,
}

impl SurvivalAt {
    /// The values beside their months, in [`SURVIVAL_AT_MONTHS`] order.
    pub fn by_month(&self) -> [(u32, Option<f64>); 4] {
        [
            (3, self.three_months),
            (6, self.six_months),
            (12, self.twelve_months),
            (24, self.twenty_four_months),
        ]
    }
}

/// An estimate under an assumption about the families lost from view, shown beside the main one so
/// a reader sees how much that unknown matters.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct SensitivityBound {
    pub median_months: Option<u32>,
    pub survival_at: SurvivalAt,
}

impl SensitivityBound {
    fn of(estimate: &KaplanMeier) -> Self {
        SensitivityBound {
            median_months: estimate.median_months(),
            survival_at: estimate.survival_at_milestones(),
        }
    }
}

/// The duration of homelessness as the report publishes it (`report duration --format json`).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct DurationEstimate {
    pub n: u64,
    pub events: u64,
    pub censored: u64,
    /// Families homeless after the loss whose duration is unknown: left out of the estimate, and
    /// said so.
    pub excluded: u64,
    pub median_months: Option<u32>,
    pub median_ci: [Option<u32>; 2],
    pub survival_at: SurvivalAt,
    pub table: Vec<SurvivalRow>,
    /// Families lost from view counted as rehoused when last seen.
    pub optimistic: SensitivityBound,
    /// Families lost from view counted as homeless until the report.
    pub pessimistic: SensitivityBound,
}

impl DurationEstimate {
    /// The estimate from counted contributions, as a store groups them; the same contribution may
    /// come more than once.
    pub fn from_contributions(counts: impl IntoIterator<Item = (Contribution, u64)>) -> Self {
        let mut excluded: u64 = 0;
        let (mut main, mut optimistic, mut pessimistic) = (Vec::new(), Vec::new(), Vec::new());
        for (contribution, count) in counts {
            match contribution {
                Contribution::Outside => {}
                Contribution::Excluded => excluded = excluded.saturating_add(count),
                Contribution::Counted {
                    main: m,
                    optimistic: o,
                    pessimistic: p,
                } => {
                    main.push((m, count));
                    optimistic.push((o, count));
                    pessimistic.push((p, count));
                }
            }
        }
        let main = KaplanMeier::from_counts(main);
        let optimistic = KaplanMeier::from_counts(optimistic);
        let pessimistic = KaplanMeier::from_counts(pessimistic);
        DurationEstimate {
            n: main.n(),
            events: main.events(),
            censored: main.censored(),
            excluded,
            median_months: main.median_months(),
            median_ci: main.median_ci(),
            survival_at: main.survival_at_milestones(),
            optimistic: SensitivityBound::of(&optimistic),
            pessimistic: SensitivityBound::of(&pessimistic),
            table: main.into_table(),
        }
    }

    /// The estimate over cases held in memory (the store counts the same contributions in its
    /// database).
    pub fn of_cases<'a>(cases: impl IntoIterator<Item = &'a Case>) -> Self {
        Self::from_contributions(cases.into_iter().map(|case| (Contribution::of(case), 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(counts: &[(u32, bool, u64)]) -> KaplanMeier {
        KaplanMeier::from_counts(
            counts
                .iter()
                .map(|&(months, event, count)| (Observation { months, event }, count)),
        )
    }

    #[test]
    fn nothing_counted_gives_an_empty_estimate() {
        for empty in [estimate(&[]), estimate(&[(4, true, 0)])] {
            assert!(empty.table().is_empty());
            assert_eq!(empty.n(), 0);
            assert_eq!(empty.median_months(), None);
            assert_eq!(empty.median_ci(), [None, None]);
            assert_eq!(empty.survival_at(0), None);
            assert_eq!(empty.survival_at_milestones(), SurvivalAt::default());
        }
        let report = DurationEstimate::from_contributions([]);
        assert_eq!(report, DurationEstimate::default());
        let report = DurationEstimate::from_contributions([
            (Contribution::Outside, 3),
            (Contribution::Excluded, 2),
        ]);
        assert_eq!((report.n, report.excluded), (0, 2));
        assert!(report.table.is_empty());
        assert_eq!(report.optimistic, SensitivityBound::default());
    }

    #[test]
    fn repeated_observations_are_summed() {
        let split = estimate(&[
            (2, true, 1),
            (5, false, 2),
            (2, true, 3),
            (5, false, 1),
            (3, true, 2),
        ]);
        let whole = estimate(&[(2, true, 4), (3, true, 2), (5, false, 3)]);
        assert_eq!(split, whole);
        assert_eq!(whole.n(), 9);
        assert_eq!(whole.table()[2].events, 4);
        assert_eq!(whole.table()[5].censored, 3);
    }

    #[test]
    fn rehousings_count_before_censorings_of_the_same_month() {
        // 4 at risk in month 1: 2 rehoused, 2 censored. Events first: survival 2/4, not 2/2.
        let km = estimate(&[(1, true, 2), (1, false, 2)]);
        let row = km.table()[1];
        assert_eq!((row.at_risk, row.events, row.censored), (4, 2, 2));
        assert_eq!(row.survival, 0.5);
        assert_eq!(km.median_months(), Some(1));
    }

    #[test]
    fn survival_at_ends_with_the_table() {
        let km = estimate(&[(3, true, 1), (6, false, 1)]);
        assert_eq!(km.survival_at(6), Some(0.5));
        assert_eq!(km.survival_at(7), None);
        let at = km.survival_at_milestones();
        assert_eq!(
            at.by_month(),
            [(3, Some(0.5)), (6, Some(0.5)), (12, None), (24, None)]
        );
        // A curve at 0 says nothing past its last month either.
        let gone = estimate(&[(2, true, 2)]);
        assert_eq!(gone.survival_at(2), Some(0.0));
        assert_eq!(gone.survival_at(3), None);
    }

    #[test]
    fn the_band_is_certain_at_one_and_at_zero() {
        let km = estimate(&[(2, false, 1), (3, true, 1), (5, true, 1)]);
        for month in [0, 1, 2] {
            let row = km.table()[month];
            assert_eq!((row.survival, row.ci_low, row.ci_high), (1.0, 1.0, 1.0));
        }
        let row = km.table()[3];
        assert!(0.0 < row.ci_low && row.ci_low < row.survival && row.survival < row.ci_high);
        let last = km.table()[5];
        assert_eq!((last.survival, last.ci_low, last.ci_high), (0.0, 0.0, 0.0));
    }
}
