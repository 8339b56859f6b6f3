//! Secondary suppression (publication spec §2): within a group of cells that partition one total,
//! a single hidden cell would follow from the total minus the others, so a second one is hidden
//! beside it.
//!
//! The cells are plain numbers with their suppression; [`super::measures`], [`super::duration`]
//! and [`super::breakdown`] each lay their figures out as cells and groups and hand them here.
//!
//! The part of a total that no cell of the group covers (for `current.*`: the housed families)
//! is a cell of the group too — the *remainder*. It is never printed, so when any other cell is
//! hidden it hides along with it: a reader knows only their sum. When it is the only cell the
//! reader cannot see, it follows from the total minus the others, which is harmless when the
//! frequency rule would publish it anyway (0, or 5 and more) and a disclosure when it would not.
//!
//! A hidden cell of 0 protects nothing (a reader who knows or guesses it is 0 learns the other),
//! which is why the spec hides "the smallest other non-zero cell" and why only non-zero cells are
//! counted here.

use super::{DisclosureError, Policy, Suppression};

/// One figure of a table: its true value and, when it is not published, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub value: u64,
    pub suppressed: Option<Suppression>,
}

impl Cell {
    /// A figure that nothing has suppressed (yet).
    pub fn published(value: u64) -> Cell {
        Cell {
            value,
            suppressed: None,
        }
    }

    /// A count of families or children, suppressed when the frequency rule says so.
    pub fn count(value: u64, policy: &Policy) -> Cell {
        Cell {
            value,
            suppressed: (!policy.publishes_count(value)).then_some(Suppression::Primary),
        }
    }

    pub fn is_hidden(&self) -> bool {
        self.suppressed.is_some()
    }

    /// Hidden and not 0: a cell that could be worked out, or that keeps another from being.
    fn hides_something(&self) -> bool {
        self.is_hidden() && self.value > 0
    }
}

/// Cells that partition one total: the parts are disjoint, and together with the remainder they
/// make up the total. Cells are indexes into the slice of [`suppress_secondary`]; a cell may be a
/// part of several groups (`duration.0_6`), or the total of one group and a part of another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// What the group is, for the error that names a group that does not add up.
    pub name: String,
    pub total: usize,
    /// In group order: the order in which ties are broken.
    pub parts: Vec<usize>,
}

impl Group {
    /// The part of the total that no part covers. Checked by [`suppress_secondary`] to be at
    /// least 0.
    pub fn remainder(&self, cells: &[Cell]) -> u64 {
        let covered: u64 = self.parts.iter().map(|&p| cells[p].value).sum();
        cells[self.total].value.saturating_sub(covered)
    }

    fn check(&self, cells: &[Cell]) -> Result<(), DisclosureError> {
        let problem = |problem: String| DisclosureError::Group {
            group: self.name.clone(),
            problem,
        };
        let within = |index: usize| {
            if index < cells.len() {
                Ok(())
            } else {
                Err(problem(format!(
                    "cell {index} is not among the {} cells",
                    cells.len()
                )))
            }
        };
        within(self.total)?;
        let mut covered: u64 = 0;
        for (position, &part) in self.parts.iter().enumerate() {
            within(part)?;
            if part == self.total {
                return Err(problem("its total is also one of its parts".into()));
            }
            if self.parts[..position].contains(&part) {
                return Err(problem(format!("cell {part} is a part twice")));
            }
            covered = covered
                .checked_add(cells[part].value)
                .ok_or_else(|| problem("its parts add up beyond any count".into()))?;
        }
        if covered > cells[self.total].value {
            return Err(problem(format!(
                "its parts add up to {covered}, more than its total {}",
                cells[self.total].value
            )));
        }
        Ok(())
    }

    /// The cell to hide next so that no hidden cell of this group follows from its total, if any.
    ///
    /// With the total itself hidden nothing follows from it. Otherwise the hidden cells are the
    /// non-zero suppressed parts and the remainder when it is not 0; exactly one of them follows
    /// from the total minus the published parts. That is fine only when it is the remainder and
    /// the frequency rule would have published it. Else the smallest published non-zero part is
    /// hidden, the first of equals in group order. When there is none, the hidden cell is the
    /// whole total (every other part is 0), and only hiding the total keeps it from being read.
    fn cell_to_hide(&self, cells: &[Cell], policy: &Policy) -> Option<usize> {
        if cells[self.total].is_hidden() {
            return None;
        }
        let remainder = self.remainder(cells);
        let hidden_parts = self
            .parts
            .iter()
            .filter(|&&p| cells[p].hides_something())
            .count();
        if hidden_parts + usize::from(remainder > 0) != 1 {
            return None;
        }
        if hidden_parts == 0 && policy.publishes_count(remainder) {
            return None;
        }
        let smallest = self
            .parts
            .iter()
            .copied()
            .filter(|&p| !cells[p].is_hidden() && cells[p].value > 0)
            .min_by_key(|&p| cells[p].value);
        Some(smallest.unwrap_or(self.total))
    }
}

/// Hides cells (as [`Suppression::Secondary`]) until, in every group, no hidden cell follows from
/// the total minus the published parts: each round goes through the groups in order, and rounds
/// repeat until one hides nothing, since a cell hidden for one group can leave another with a
/// single hidden cell. Every round but the last hides a cell, so it ends. Cells already hidden keep
/// their reason.
pub fn suppress_secondary(
    cells: &mut [Cell],
    groups: &[Group],
    policy: &Policy,
) -> Result<(), DisclosureError> {
    for group in groups {
        group.check(cells)?;
    }
    loop {
        let mut changed = false;
        for group in groups {
            if let Some(cell) = group.cell_to_hide(cells, policy) {
                cells[cell].suppressed = Some(Suppression::Secondary);
                changed = true;
            }
        }
        if !changed {
            return Ok(());
        }
    }
}
