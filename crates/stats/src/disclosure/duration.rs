//! The survival estimate as it may be published (publication spec §2, "Survival estimate").
//!
//! The spec's own rule for the estimate: a month of the table is published only with at least 10
//! families at risk (each step of a curve over fewer is one family that can be recognised), and
//! the median with its interval only over at least 10 families. The survival read off the curve at
//! 3, 6, 12 and 24 months is the survival of that month's row, so it goes with the row, for the
//! main estimate and the two bounds alike; the bounds' medians go with the median.
//!
//! The estimate's counts (`n`, `events`, `censored`, `excluded`) are counts of families and get
//! the frequency rule, with rehoused and not rehoused a group over `n`.

use serde::Serialize;

use super::secondary::{Cell, Group, suppress_secondary};
use super::{DisclosureError, Policy, Suppression, SuppressionCount};
use crate::survival::{DurationEstimate, SensitivityBound, SurvivalAt, SurvivalRow};

/// [`DurationEstimate`] as it may be published: the same shape, with a figure held back `None`
/// and named in `suppressed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedDuration {
    pub n: Option<u64>,
    pub events: Option<u64>,
    pub censored: Option<u64>,
    pub excluded: Option<u64>,
    /// `None` both when not reached and when held back; `suppressed.median_months` tells which.
    pub median_months: Option<u32>,
    pub median_ci: [Option<u32>; 2],
    pub survival_at: SurvivalAt,
    /// The months with enough families at risk.
    pub table: Vec<SurvivalRow>,
    pub optimistic: SensitivityBound,
    pub pessimistic: SensitivityBound,
    #[serde(skip_serializing_if = "DurationSuppressed::is_empty")]
    pub suppressed: DurationSuppressed,
}

/// What of the estimate is held back, and why; figures published are left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DurationSuppressed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub censored: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<Suppression>,
    /// The median, and with it the medians of the two bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_months: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_ci: Option<Suppression>,
    /// Rows of the table not published for too few families at risk.
    #[serde(skip_serializing_if = "is_zero")]
    pub table_rows: u64,
    /// The months of `survival_at` (of the estimate and its bounds) whose row is not published.
    #[serde(skip_serializing_if = "SurvivalAtSuppressed::is_empty")]
    pub survival_at: SurvivalAtSuppressed,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

impl DurationSuppressed {
    pub fn is_empty(&self) -> bool {
        *self == DurationSuppressed::default()
    }
}

/// Which of the survival figures at 3, 6, 12 and 24 months are held back, keyed by month in JSON
/// as [`SurvivalAt`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SurvivalAtSuppressed {
    #[serde(rename = "3", skip_serializing_if = "Option::is_none")]
    pub three_months: Option<Suppression>,
    #[serde(rename = "6", skip_serializing_if = "Option::is_none")]
    pub six_months: Option<Suppression>,
    #[serde(rename = "12", skip_serializing_if = "Option::is_none")]
    pub twelve_months: Option<Suppression>,
    #[serde(rename = "24", skip_serializing_if = "Option::is_none")]
    pub twenty_four_months: Option<Suppression>,
}

impl SurvivalAtSuppressed {
    pub fn is_empty(&self) -> bool {
        *self == SurvivalAtSuppressed::default()
    }
}

impl PublishedDuration {
    /// The estimate with nothing held back: the same figures in the published shape, for the
    /// pages and reports that are not a publication ("niet voor publicatie"), so that one
    /// renderer serves both.
    pub fn unprotected(estimate: &DurationEstimate) -> PublishedDuration {
        PublishedDuration {
            n: Some(estimate.n),
            events: Some(estimate.events),
            censored: Some(estimate.censored),
            excluded: Some(estimate.excluded),
            median_months: estimate.median_months,
            median_ci: estimate.median_ci,
            survival_at: estimate.survival_at,
            table: estimate.table.clone(),
            optimistic: estimate.optimistic,
            pessimistic: estimate.pessimistic,
            suppressed: DurationSuppressed::default(),
        }
    }

    /// The estimate's counts held back by the frequency rule and secondary suppression, one cell
    /// each. What the survival rule withholds is told apart: [`PublishedDuration::months_withheld`]
    /// and [`PublishedDuration::median_withheld`].
    pub fn suppression_count(&self) -> SuppressionCount {
        let mut count = SuppressionCount::default();
        let s = &self.suppressed;
        for part in [s.n, s.events, s.censored, s.excluded] {
            count.add(part);
        }
        count
    }

    /// Months of the table not published for too few families at risk.
    pub fn months_withheld(&self) -> u64 {
        self.suppressed.table_rows
    }

    /// Whether the median is held back for too few families.
    pub fn median_withheld(&self) -> bool {
        self.suppressed.median_months.is_some()
    }
}

/// Applies the policy to a survival estimate. Refused when its counts do not fit together (more
/// rehoused and not rehoused than families).
pub fn protect_duration(
    estimate: &DurationEstimate,
    policy: &Policy,
) -> Result<PublishedDuration, DisclosureError> {
    let mut cells = [
        estimate.n,
        estimate.events,
        estimate.censored,
        estimate.excluded,
    ]
    .map(|count| Cell::count(count, policy));
    let rehoused_or_not = Group {
        name: "duration: rehoused and not".to_string(),
        total: 0,
        parts: vec![1, 2],
    };
    suppress_secondary(&mut cells, &[rehoused_or_not], policy)?;
    let [n, events, censored, excluded] = cells;

    let row_published = |month: u32| {
        estimate
            .table
            .iter()
            .find(|row| row.month == month)
            .is_some_and(|row| policy.publishes_survival_row(row.at_risk))
    };
    let table: Vec<SurvivalRow> = estimate
        .table
        .iter()
        .filter(|row| policy.publishes_survival_row(row.at_risk))
        .copied()
        .collect();
    // Nothing to hide of an estimate over nobody.
    let median_published = estimate.n == 0 || policy.publishes_median(estimate.n);
    let median_withheld = (!median_published).then_some(Suppression::Primary);
    let bound = |bound: &SensitivityBound| SensitivityBound {
        median_months: bound.median_months.filter(|_| median_published),
        survival_at: keep_published_months(&bound.survival_at, row_published),
    };

    Ok(PublishedDuration {
        n: shown(n),
        events: shown(events),
        censored: shown(censored),
        excluded: shown(excluded),
        median_months: estimate.median_months.filter(|_| median_published),
        median_ci: estimate
            .median_ci
            .map(|end| end.filter(|_| median_published)),
        survival_at: keep_published_months(&estimate.survival_at, row_published),
        optimistic: bound(&estimate.optimistic),
        pessimistic: bound(&estimate.pessimistic),
        suppressed: DurationSuppressed {
            n: n.suppressed,
            events: events.suppressed,
            censored: censored.suppressed,
            excluded: excluded.suppressed,
            median_months: median_withheld,
            median_ci: median_withheld,
            table_rows: (estimate.table.len() - table.len()) as u64,
            survival_at: withheld_months(estimate, row_published),
        },
        table,
    })
}

fn shown(cell: Cell) -> Option<u64> {
    (!cell.is_hidden()).then_some(cell.value)
}

/// The survival at each month whose row is published.
fn keep_published_months(at: &SurvivalAt, row_published: impl Fn(u32) -> bool) -> SurvivalAt {
    let keep = |month: u32, value: Option<f64>| value.filter(|_| row_published(month));
    SurvivalAt {
        three_months: keep(3, at.three_months),
        six_months: keep(6, at.six_months),
        twelve_months: keep(12, at.twelve_months),
        twenty_four_months: keep(24, at.twenty_four_months),
    }
}

/// The months with a survival, in the estimate or a bound, whose row is not published. A month
/// past every table has no survival to hold back. The bounds' own numbers at risk are not kept,
/// so a bound's month goes with the estimate's row: a month the estimate does not reach is not
/// published for the bounds either.
fn withheld_months(
    estimate: &DurationEstimate,
    row_published: impl Fn(u32) -> bool,
) -> SurvivalAtSuppressed {
    let all = [
        estimate.survival_at,
        estimate.optimistic.survival_at,
        estimate.pessimistic.survival_at,
    ];
    let withheld = |month: u32, value: fn(&SurvivalAt) -> Option<f64>| {
        (all.iter().any(|at| value(at).is_some()) && !row_published(month))
            .then_some(Suppression::Primary)
    };
    SurvivalAtSuppressed {
        three_months: withheld(3, |at| at.three_months),
        six_months: withheld(6, |at| at.six_months),
        twelve_months: withheld(12, |at| at.twelve_months),
        twenty_four_months: withheld(24, |at| at.twenty_four_months),
    }
}
