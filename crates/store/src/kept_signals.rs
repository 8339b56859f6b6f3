//! Each case's signals, kept in `case_signals` (issue 17.5): counting signals then reads one
//! small row per case instead of holding every family against the rules.
//!
//! The store does not know the rules: it sorts the cases without kept signals into groups of
//! equal facts per rule (the same [`Grouping`] the counting uses), asks a [`Judge`] about each
//! group once, and keeps per case one bit per rule. Triggers in the schema forget a case's row
//! whenever the case or one of its child records changes, so a row is either current or absent.

use std::sync::Arc;

use dakwacht_core::Facts;

use crate::StoreError;
use crate::facts::Grouping;

/// Holds groups of facts against the rules: given, per rule (file order), facts of several
/// groups of cases, answers per group whether the rule is raised, or why it could not be said.
pub type Judge = Arc<dyn Fn(&[Vec<Facts>]) -> Vec<Vec<Result<bool, String>>> + Send + Sync>;

/// At most this many rules: a case keeps one bit per rule in a 64-bit integer.
pub const MAX_KEPT_RULES: usize = 64;

/// One rule's kept signal: the cases that raise rule number `rule` (file order) of the rules
/// with this fingerprint, as kept; for the signal filter of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptSignal {
    pub rules: i64,
    pub rule: usize,
}

impl KeptSignal {
    /// The rule's bit in `case_signals.signals`.
    pub(crate) fn mask(self) -> i64 {
        // Bit 63 is the sign bit: the mask is then negative, which `&` handles alike.
        (1u64 << (self.rule % MAX_KEPT_RULES)) as i64
    }
}

/// The selected cases counted by their kept signals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptCounts {
    /// Each distinct combination of raised rules and rules that could not be evaluated.
    pub groups: Vec<KeptGroup>,
    /// Selected cases without signals kept under these rules.
    pub missing: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptGroup {
    /// Bit `i`: rule `i` (file order) is raised.
    pub signals: u64,
    /// Bit `i`: rule `i` could not be evaluated for these cases.
    pub problems: u64,
    pub cases: u64,
}

/// The answers of a [`Judge`] so far, per rule and group: a scan in several batches asks only
/// about the groups it has not seen before.
pub(crate) struct Verdicts {
    raised: Vec<Vec<bool>>,
    failed: Vec<Vec<bool>>,
}

impl Verdicts {
    pub(crate) fn new(rules: usize) -> Result<Verdicts, StoreError> {
        if rules > MAX_KEPT_RULES {
            return Err(StoreError::Corrupt(format!(
                "signals can be kept for at most {MAX_KEPT_RULES} rules, not {rules}"
            )));
        }
        Ok(Verdicts {
            raised: vec![Vec::new(); rules],
            failed: vec![Vec::new(); rules],
        })
    }

    /// Asks the judge about the groups it has not answered for yet.
    pub(crate) fn judge_new_groups(
        &mut self,
        grouping: &Grouping,
        judge: &Judge,
    ) -> Result<(), StoreError> {
        let from: Vec<usize> = self.raised.iter().map(Vec::len).collect();
        let groups = grouping.group_facts(&from)?;
        if groups.iter().all(Vec::is_empty) {
            return Ok(());
        }
        let answers = judge(&groups);
        for (rule, asked) in groups.iter().enumerate() {
            let answered = answers.get(rule).map_or(&[][..], Vec::as_slice);
            if answered.len() != asked.len() {
                return Err(StoreError::Corrupt(
                    "the rules did not answer for every group of cases".to_string(),
                ));
            }
            for answer in answered {
                self.raised[rule].push(matches!(answer, Ok(true)));
                self.failed[rule].push(answer.is_err());
            }
        }
        Ok(())
    }

    /// A case's signals and problems, from its groups (one per rule).
    pub(crate) fn bits(&self, groups: &[u32]) -> (i64, i64) {
        let mut signals = 0u64;
        let mut problems = 0u64;
        for (rule, &group) in groups.iter().enumerate() {
            let group = group as usize;
            if self.raised[rule].get(group).copied().unwrap_or(false) {
                signals |= 1 << rule;
            }
            if self.failed[rule].get(group).copied().unwrap_or(false) {
                problems |= 1 << rule;
            }
        }
        // Stored as the bits of a signed 64-bit integer, the widest both databases have.
        (signals as i64, problems as i64)
    }
}

/// Counts (signals, problems) pairs as read from a LEFT JOIN; `None` is a case without a row.
#[derive(Default)]
pub(crate) struct KeptTally {
    groups: std::collections::HashMap<(i64, i64), u64>,
    missing: u64,
}

impl KeptTally {
    pub(crate) fn add(&mut self, kept: Option<(i64, i64)>, cases: u64) {
        match kept {
            Some(key) => *self.groups.entry(key).or_default() += cases,
            None => self.missing += cases,
        }
    }

    pub(crate) fn finish(self) -> KeptCounts {
        let mut groups: Vec<KeptGroup> = self
            .groups
            .into_iter()
            .map(|((signals, problems), cases)| KeptGroup {
                signals: signals as u64,
                problems: problems as u64,
                cases,
            })
            .collect();
        groups.sort_by_key(|g| (g.signals, g.problems));
        KeptCounts {
            groups,
            missing: self.missing,
        }
    }
}
