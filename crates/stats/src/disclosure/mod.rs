//! Disclosure control (publication spec §2): what of a set of figures may be published, and what
//! must be held back so that no family can be recognised in them.
//!
//! Pure and deterministic: the same figures and the same [`Policy`] give the same result, every
//! time, whatever order a hash map would have chosen. No I/O: the policy is read from a text
//! ([`Policy::from_toml`]) and the figures come in as values.
//!
//! Each job in its own module:
//! - [`policy`]: the policy file and its checks;
//! - [`primary`]: the rules about each figure on its own (frequency rule, shares);
//! - [`secondary`]: secondary suppression over groups of cells that partition one total;
//! - [`groups`]: which measures form such a group, defined once;
//! - [`measures`]: the quickscan and child measures as published;
//! - [`duration`]: the survival estimate as published;
//! - [`breakdown`]: tables by municipality, organisation or period as published;
//! - [`signals`]: the signal counts as published;
//! - [`summary`]: what a publication says about the protection it got.

pub mod breakdown;
pub mod duration;
pub mod groups;
pub mod measures;
pub mod policy;
pub mod primary;
pub mod secondary;
pub mod signals;
pub mod summary;

pub use breakdown::{
    Breakdown, BreakdownRow, CountSuppressed, PublishedBreakdown, PublishedRow, TotalSuppressed,
    protect_breakdown,
};
pub use duration::{DurationSuppressed, PublishedDuration, SurvivalAtSuppressed, protect_duration};
pub use groups::{MEASURE_GROUPS, MeasureGroup, NOT_FAMILIES_OR_CHILDREN};
pub use measures::{PublishedMeasure, PublishedMeasures, SuppressedParts, protect_measures};
pub use policy::{BUILT_IN, Policy, PolicyError};
pub use secondary::{Cell, Group, suppress_secondary};
pub use signals::{PublishedSignal, protect_signals};
pub use summary::Summary;

/// Why a figure is not published. Serialised as in the spec's JSON: `"primary"`, `"secondary"`.
///
/// The order matters: where a figure is held back for both reasons, the primary one is named,
/// because it would be held back even if nothing else were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Suppression {
    /// A rule about the figure itself holds it back: a count from 1 to 4, a share over too small
    /// a denominator or with a small numerator or rest, a survival figure over too few families.
    Primary,
    /// The figure is held back only so that a suppressed figure beside it cannot be worked out.
    Secondary,
}

/// How a figure is printed where a reader sees it: its number; `<5` (by the default policy) where
/// the frequency rule holds back a count (`small`: the figure itself is from 1 to 4); `×` where it
/// is held back for another reason (a share over too few families, or to protect a small count
/// beside it); `–` where there is no figure at all. Without a policy nothing is held back.
pub fn figure_text(
    value: Option<u64>,
    held: Option<Suppression>,
    small: bool,
    policy: Option<&Policy>,
) -> String {
    match (value, held, policy) {
        (Some(value), _, _) => value.to_string(),
        (None, Some(Suppression::Primary), Some(policy)) if small => policy.suppressed_count_text(),
        (None, Some(_), _) => "×".to_string(),
        (None, None, _) => "–".to_string(),
    }
}

/// How many cells a publication holds back, by reason. A cell is one figure that would have been
/// printed: a numerator, a denominator, a percentage, a row's count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SuppressionCount {
    pub primary: u64,
    pub secondary: u64,
}

impl SuppressionCount {
    pub fn total(&self) -> u64 {
        self.primary + self.secondary
    }

    /// Counts one cell, when it is suppressed.
    pub fn add(&mut self, suppression: Option<Suppression>) {
        match suppression {
            Some(Suppression::Primary) => self.primary += 1,
            Some(Suppression::Secondary) => self.secondary += 1,
            None => {}
        }
    }
}

impl std::ops::Add for SuppressionCount {
    type Output = SuppressionCount;

    fn add(self, other: SuppressionCount) -> SuppressionCount {
        SuppressionCount {
            primary: self.primary + other.primary,
            secondary: self.secondary + other.secondary,
        }
    }
}

impl std::iter::Sum for SuppressionCount {
    fn sum<I: Iterator<Item = SuppressionCount>>(counts: I) -> SuppressionCount {
        counts.fold(SuppressionCount::default(), |sum, count| sum + count)
    }
}

/// Figures that cannot be protected because they do not fit together: the caller handed over
/// something other than what one selection of cases gives.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisclosureError {
    #[error("measure `{id}` is given more than once")]
    DuplicateMeasure { id: String },
    #[error("group `{group}` does not add up: {problem}")]
    Group { group: String, problem: String },
}
