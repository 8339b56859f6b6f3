//! Tables by municipality, organisation or period as they may be published (publication spec §2):
//! rows whose count the frequency rule suppresses are merged into one row ("overige"), itself
//! subject to the rules, and the rows with their total are a group for secondary suppression.
//!
//! Merging first keeps a table readable: a row per small municipality would be a column of `<5`,
//! and the merged row usually passes on its own. Which municipalities it holds is not said, since
//! that would tell that each has a few families.

use serde::Serialize;

use super::secondary::{Cell, Group, suppress_secondary};
use super::{DisclosureError, Policy, Suppression, SuppressionCount};

/// A count of families per municipality, organisation or period, before protection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// What the rows are ("gemeente", "kwartaal"): kept with the result, named in errors.
    pub by: String,
    /// In the order they are to be published; the merged row comes last.
    pub rows: Vec<BreakdownRow>,
    /// Every family of the selection, also those in no row (municipality unknown): what the
    /// rows do not cover is a row of its own, [`Breakdown::unknown`], protected like the others.
    pub total: u64,
    /// The label of the row of families in no other row ("gemeente onbekend"), shown only when
    /// there are such families.
    pub unknown: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownRow {
    pub label: String,
    pub count: u64,
}

/// A breakdown as it may be published. Serialises as
/// `{"by", "rows": [{"label", "count", "merged"?, "suppressed"?: {"count": …}}], "total",
/// "suppressed"?: {"total": …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedBreakdown {
    pub by: String,
    pub rows: Vec<PublishedRow>,
    pub total: Option<u64>,
    #[serde(skip_serializing_if = "TotalSuppressed::is_empty")]
    pub suppressed: TotalSuppressed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedRow {
    pub label: String,
    pub count: Option<u64>,
    /// The row of the policy's merged row label, holding the rows too small to show.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub merged: bool,
    #[serde(skip_serializing_if = "CountSuppressed::is_empty")]
    pub suppressed: CountSuppressed,
}

/// Why a row's count is held back, if it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CountSuppressed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<Suppression>,
}

impl CountSuppressed {
    pub fn is_empty(&self) -> bool {
        self.count.is_none()
    }
}

/// Why a breakdown's total is held back, if it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TotalSuppressed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Suppression>,
}

impl TotalSuppressed {
    pub fn is_empty(&self) -> bool {
        self.total.is_none()
    }
}

impl PublishedBreakdown {
    /// Every suppressed row count and total is one cell.
    pub fn suppression_count(&self) -> SuppressionCount {
        let mut count = SuppressionCount::default();
        for row in &self.rows {
            count.add(row.suppressed.count);
        }
        count.add(self.suppressed.total);
        count
    }
}

/// Applies the policy to a breakdown. Refused when its rows hold more families than its total.
pub fn protect_breakdown(
    breakdown: &Breakdown,
    policy: &Policy,
) -> Result<PublishedBreakdown, DisclosureError> {
    let too_many = || DisclosureError::Group {
        group: format!("breakdown by {}", breakdown.by),
        problem: "its rows hold more families than any count".to_string(),
    };
    let (kept, small): (Vec<&BreakdownRow>, Vec<&BreakdownRow>) = breakdown
        .rows
        .iter()
        .partition(|row| policy.publishes_count(row.count));
    let mut rows: Vec<(&str, u64, bool)> = kept
        .iter()
        .map(|row| (row.label.as_str(), row.count, false))
        .collect();
    if !small.is_empty() {
        let merged = small
            .iter()
            .try_fold(0u64, |sum, row| sum.checked_add(row.count))
            .ok_or_else(too_many)?;
        rows.push((policy.merged_row_label(), merged, true));
    }
    // The families in no row are a cell too: left out, the total minus the rows would give
    // their number, however small.
    let covered = rows
        .iter()
        .try_fold(0u64, |sum, &(_, count, _)| sum.checked_add(count))
        .ok_or_else(too_many)?;
    let uncovered = breakdown.total.checked_sub(covered).ok_or_else(too_many)?;
    if uncovered > 0 {
        rows.push((breakdown.unknown.as_str(), uncovered, false));
    }

    let mut cells: Vec<Cell> = rows
        .iter()
        .map(|&(_, count, _)| Cell::count(count, policy))
        .collect();
    cells.push(Cell::count(breakdown.total, policy));
    let group = Group {
        name: format!("breakdown by {}", breakdown.by),
        total: rows.len(),
        parts: (0..rows.len()).collect(),
    };
    suppress_secondary(&mut cells, &[group], policy)?;

    let shown = |cell: &Cell| (!cell.is_hidden()).then_some(cell.value);
    let total = cells[rows.len()];
    Ok(PublishedBreakdown {
        by: breakdown.by.clone(),
        rows: rows
            .iter()
            .zip(&cells)
            .map(|(&(label, _, merged), cell)| PublishedRow {
                label: label.to_string(),
                count: shown(cell),
                merged,
                suppressed: CountSuppressed {
                    count: cell.suppressed,
                },
            })
            .collect(),
        total: shown(&total),
        suppressed: TotalSuppressed {
            total: total.suppressed,
        },
    })
}
