//! The signal counts as they may be published: per rule, the families that raise it out of the
//! families counted.
//!
//! Signals do not partition anything (a family raises several rules or none), so they form no group
//! for secondary suppression; each count passes the frequency rule and each percentage the share
//! rule, as a measure's do. Every signal has the same denominator (the families counted), so it is
//! one figure: held back in all rows or in none.

use serde::Serialize;

use super::{Policy, Suppression, SuppressionCount};
use crate::SignalCount;
use crate::disclosure::SuppressedParts;

/// One rule's count as it may be published. Serialises as
/// `{"id", "label", "cases", "of", "percent", "suppressed"?: {"numerator", "denominator", "percent"}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedSignal {
    pub id: String,
    pub label: String,
    /// The families that raise the rule.
    pub cases: Option<u64>,
    /// The families counted.
    pub of: Option<u64>,
    /// In percent with two decimals, as [`SignalCount::percent`].
    pub percent: Option<f64>,
    #[serde(skip_serializing_if = "SuppressedParts::is_empty")]
    pub suppressed: SuppressedParts,
    /// The count is held back because it is from 1 to 4 (printed `<5`), not because its share
    /// is (printed `×`). Not in the JSON.
    #[serde(skip)]
    pub cases_small: bool,
    /// The same for the families counted.
    #[serde(skip)]
    pub of_small: bool,
}

impl PublishedSignal {
    /// The percentage in whole percents, as the report prints it, when it is published.
    pub fn whole_percent(&self) -> Option<u64> {
        self.percent?;
        crate::whole_percent(self.cases?, self.of?)
    }
}

/// Applies the policy to the signal counts of one selection.
pub fn protect_signals(signals: &[SignalCount], policy: &Policy) -> Vec<PublishedSignal> {
    signals
        .iter()
        .map(|signal| {
            let primary = |held_back: bool| held_back.then_some(Suppression::Primary);
            let denominator = primary(!policy.publishes_count(signal.of));
            let share_fails = signal.of > 0 && !policy.publishes_share(signal.cases, signal.of);
            // As for a measure: where the percentage is held back the count goes with it, or the
            // percentage would follow from the count and the denominator.
            let numerator = primary(!policy.publishes_count(signal.cases) || share_fails);
            let percent = if signal.of == 0 {
                None
            } else {
                numerator.or(denominator)
            };
            PublishedSignal {
                id: signal.id.clone(),
                label: signal.label.clone(),
                cases: numerator.is_none().then_some(signal.cases),
                of: denominator.is_none().then_some(signal.of),
                percent: percent.is_none().then(|| signal.percent()).flatten(),
                suppressed: SuppressedParts {
                    numerator,
                    denominator,
                    percent,
                },
                cases_small: !policy.publishes_count(signal.cases),
                of_small: denominator.is_some(),
            }
        })
        .collect()
}

/// Every suppressed count, denominator and percentage of the signals is one cell.
pub fn signals_suppression_count(signals: &[PublishedSignal]) -> SuppressionCount {
    signals.iter().map(|s| s.suppressed.count()).sum()
}
