//! Primary suppression: the rules about each figure on its own (publication spec §2, "Frequency
//! rule" and "Shares").

use super::Policy;

impl Policy {
    /// Whether a count of families or children may be published: 0 may (that nobody is in a cell
    /// identifies nobody), and so may any count from the policy's smallest published count up;
    /// 1 to 4 (by default) are few enough to point at particular families.
    pub fn publishes_count(&self, count: u64) -> bool {
        count == 0 || count >= self.smallest_published_count()
    }

    /// Whether the percentage `numerator / denominator` may be published. A small denominator
    /// makes the percentage unreliable and the families behind it few; a numerator or a rest
    /// (denominator − numerator) that the frequency rule suppresses would follow from the
    /// percentage and the denominator. An empty denominator has no percentage at all; a numerator
    /// above its denominator is not a share and is never published as one.
    pub fn publishes_share(&self, numerator: u64, denominator: u64) -> bool {
        denominator > 0
            && denominator >= self.minimum_denominator()
            && numerator <= denominator
            && self.publishes_count(numerator)
            && self.publishes_count(denominator - numerator)
    }

    /// Whether a month of the survival table may be published: with few families at risk, each
    /// step of the curve is one identifiable family.
    pub fn publishes_survival_row(&self, at_risk: u64) -> bool {
        at_risk >= self.minimum_at_risk()
    }

    /// Whether the median of a survival estimate over `n` families, and its interval, may be
    /// published.
    pub fn publishes_median(&self, n: u64) -> bool {
        n >= self.minimum_families_for_median()
    }

    /// How a count suppressed by the frequency rule is shown in text: `<5`.
    pub fn suppressed_count_text(&self) -> String {
        format!("<{}", self.smallest_published_count())
    }
}
