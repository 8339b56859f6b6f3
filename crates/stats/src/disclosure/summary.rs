//! What a publication says about its protection (publication spec §2): "Every publication says,
//! in plain words, which policy was applied and how many cells were suppressed (primary and
//! secondary), and records that in the audit log."

use dakwacht_core::Lang;
use serde::Serialize;

use super::signals::signals_suppression_count;
use super::{
    Policy, PublishedBreakdown, PublishedDuration, PublishedMeasures, PublishedSignal,
    SuppressionCount,
};

/// The protection one publication got. Serialises as the `"policy"` of a publication: the policy
/// with its keys as in its file, then what it held back and the sentence that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub policy: Policy,
    /// Cells held back by the frequency rule, the share rule and secondary suppression: every
    /// numerator, denominator, percentage, signal count, row count and total.
    pub suppressed: SuppressionCount,
    /// Months of the survival table left out for too few families at risk. Not counted as cells:
    /// a row is left out whole, and the survival rule, not the frequency rule, leaves it out.
    pub survival_months_withheld: u64,
    /// Whether the median duration is left out for too few families.
    pub median_withheld: bool,
    /// [`Summary::sentence`] in Dutch, as the audit log records it.
    pub note: String,
}

impl Summary {
    /// The protection of everything one publication holds, all under `policy`.
    pub fn new(
        policy: &Policy,
        measures: &PublishedMeasures,
        duration: Option<&PublishedDuration>,
        signals: &[PublishedSignal],
        breakdowns: &[PublishedBreakdown],
    ) -> Summary {
        let suppressed = measures.suppression_count()
            + signals_suppression_count(signals)
            + duration
                .map(PublishedDuration::suppression_count)
                .unwrap_or_default()
            + breakdowns
                .iter()
                .map(PublishedBreakdown::suppression_count)
                .sum();
        let mut summary = Summary {
            policy: policy.clone(),
            suppressed,
            survival_months_withheld: duration.map_or(0, PublishedDuration::months_withheld),
            median_withheld: duration.is_some_and(PublishedDuration::median_withheld),
            note: String::new(),
        };
        summary.note = summary.sentence(Lang::Nl);
        summary
    }

    /// In plain words: "Beschermd volgens beleid dakwacht-standaard (versie 2026-12-07.1): 3
    /// cellen onderdrukt (2 primair, 1 secundair)." — with what the survival rule left out, when
    /// it left something out.
    pub fn sentence(&self, lang: Lang) -> String {
        let (name, version) = (self.policy.name(), self.policy.version());
        let SuppressionCount { primary, secondary } = self.suppressed;
        let total = self.suppressed.total();
        let months = self.survival_months_withheld;
        let at_risk = self.policy.minimum_at_risk();
        let for_median = self.policy.minimum_families_for_median();
        let mut parts = Vec::new();
        match lang {
            Lang::Nl => {
                parts.push(match total {
                    0 => "geen cellen onderdrukt".to_string(),
                    1 => format!("1 cel onderdrukt ({primary} primair, {secondary} secundair)"),
                    _ => format!(
                        "{total} cellen onderdrukt ({primary} primair, {secondary} secundair)"
                    ),
                });
                if months > 0 {
                    let unit = if months == 1 { "maand" } else { "maanden" };
                    parts.push(format!(
                        "{months} {unit} van de duurtabel niet gepubliceerd (minder dan {at_risk} gezinnen)"
                    ));
                }
                if self.median_withheld {
                    parts.push(format!(
                        "de mediane duur niet gepubliceerd (minder dan {for_median} gezinnen)"
                    ));
                }
                format!(
                    "Beschermd volgens beleid {name} (versie {version}): {}.",
                    parts.join("; ")
                )
            }
            Lang::En => {
                parts.push(match total {
                    0 => "no cells suppressed".to_string(),
                    1 => format!("1 cell suppressed ({primary} primary, {secondary} secondary)"),
                    _ => format!(
                        "{total} cells suppressed ({primary} primary, {secondary} secondary)"
                    ),
                });
                if months > 0 {
                    let unit = if months == 1 { "month" } else { "months" };
                    parts.push(format!(
                        "{months} {unit} of the duration table not published (fewer than {at_risk} families)"
                    ));
                }
                if self.median_withheld {
                    parts.push(format!(
                        "the median duration not published (fewer than {for_median} families)"
                    ));
                }
                format!(
                    "Protected under policy {name} (version {version}): {}.",
                    parts.join("; ")
                )
            }
        }
    }
}
