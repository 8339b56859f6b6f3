//! The quickscan and child measures as they may be published: each measure's numerator,
//! denominator and percentage, or `None` with the reason it is held back.
//!
//! A measure's figures are laid out as cells for [`suppress_secondary`]: its numerator, and its
//! denominator for a share. Figures that count the same families are one cell, shown in several
//! places and hidden in all of them together: the denominators of the measures of one group, and
//! a count of exactly those families (`cases` for `current.*`). The percentage is not a cell of
//! its own: with the denominator it gives the numerator, and with the numerator (unless 0) the
//! denominator, so it is held back whenever either is.

use serde::Serialize;

use super::groups::{MEASURE_GROUPS, NOT_FAMILIES_OR_CHILDREN};
use super::secondary::{Cell, Group, suppress_secondary};
use super::{DisclosureError, Policy, Suppression, SuppressionCount};
use crate::Measure;

/// Which parts of a measure are held back, and why (`"suppressed"` in the JSON of publication
/// spec §3). Parts that are published are left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SuppressedParts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numerator: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<Suppression>,
}

impl SuppressedParts {
    pub fn is_empty(&self) -> bool {
        self.numerator.is_none() && self.denominator.is_none() && self.percent.is_none()
    }

    /// One cell per suppressed part.
    pub fn count(&self) -> SuppressionCount {
        let mut count = SuppressionCount::default();
        for part in [self.numerator, self.denominator, self.percent] {
            count.add(part);
        }
        count
    }
}

/// A measure as it may be published. A figure held back is `None` and named in `suppressed`;
/// a `None` that is not named there is not a figure at all (a count has no denominator, an
/// empty denominator no percentage). Serialises as publication spec §3:
/// `{"id", "numerator", "denominator", "percent", "suppressed": {"numerator": "primary", …}}`,
/// `suppressed` only when something is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedMeasure {
    pub id: &'static str,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// In percent with two decimals, rounded half up, as [`Measure::percent`].
    pub percent: Option<f64>,
    #[serde(skip_serializing_if = "SuppressedParts::is_empty")]
    pub suppressed: SuppressedParts,
    /// The numerator is held back because it is a count from 1 to 4 (printed `<5`), not for
    /// another reason (printed `×`). Not in the JSON, where every held-back number is `null`.
    #[serde(skip)]
    pub numerator_small: bool,
    /// The same for the denominator.
    #[serde(skip)]
    pub denominator_small: bool,
}

impl PublishedMeasure {
    /// The percentage in whole percents, as the report prints it, when it is published.
    pub fn whole_percent(&self) -> Option<u64> {
        self.percent?;
        crate::whole_percent(self.numerator?, self.denominator?)
    }
}

/// The quickscan measures and the child measures, protected together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedMeasures {
    pub measures: Vec<PublishedMeasure>,
    pub child_measures: Vec<PublishedMeasure>,
}

impl PublishedMeasures {
    /// Every suppressed numerator, denominator and percentage is one cell.
    pub fn suppression_count(&self) -> SuppressionCount {
        self.measures
            .iter()
            .chain(&self.child_measures)
            .map(|m| m.suppressed.count())
            .sum()
    }
}

/// Applies the policy to the quickscan measures and the child measures of one selection
/// ([`crate::compute`], [`crate::compute_children`]): primary suppression of each figure, then
/// secondary suppression over the groups of [`MEASURE_GROUPS`]. A subset of the measures may be
/// given; a group's measures that are left out are part of what its published measures do not
/// cover. Figures that cannot come from one selection (a group whose measures do not share one
/// denominator, or whose parts exceed it) are refused rather than protected wrongly.
pub fn protect_measures(
    measures: &[Measure],
    child_measures: &[Measure],
    policy: &Policy,
) -> Result<PublishedMeasures, DisclosureError> {
    let all: Vec<&Measure> = measures.iter().chain(child_measures).collect();
    let layout = Layout::new(&all)?;
    let mut cells = layout.cells(&all);

    let mut share_failed = vec![false; all.len()];
    for (index, measure) in all.iter().enumerate() {
        let numerator = layout.numerator(index);
        let counts_people =
            measure.denominator.is_some() || !NOT_FAMILIES_OR_CHILDREN.contains(&measure.id);
        if counts_people && !policy.publishes_count(measure.numerator) {
            cells[numerator].suppressed = Some(Suppression::Primary);
        }
        if let (Some(denominator), Some(cell)) = (measure.denominator, layout.denominator(index)) {
            if !policy.publishes_count(denominator) {
                cells[cell].suppressed = Some(Suppression::Primary);
            }
            // The spec: "otherwise its percentage is suppressed (its denominator alone may still
            // be shown…)": the numerator goes with the percentage, or the percentage would follow.
            if denominator > 0 && !policy.publishes_share(measure.numerator, denominator) {
                share_failed[index] = true;
                cells[numerator].suppressed = Some(Suppression::Primary);
            }
        }
    }

    suppress_secondary(&mut cells, &layout.groups, policy)?;

    let published: Vec<PublishedMeasure> = all
        .iter()
        .enumerate()
        .map(|(index, measure)| {
            let numerator = cells[layout.numerator(index)];
            let denominator = layout.denominator(index).map(|cell| cells[cell]);
            let percent_suppressed = denominator.filter(|d| d.value > 0).and_then(|d| {
                let share = share_failed[index].then_some(Suppression::Primary);
                [share, numerator.suppressed, d.suppressed]
                    .into_iter()
                    .flatten()
                    .min()
            });
            let percent = denominator
                .filter(|_| percent_suppressed.is_none())
                .and_then(|d| crate::percent(numerator.value, d.value));
            PublishedMeasure {
                id: measure.id,
                numerator: shown(numerator),
                denominator: denominator.and_then(shown),
                percent,
                suppressed: SuppressedParts {
                    numerator: numerator.suppressed,
                    denominator: denominator.and_then(|d| d.suppressed),
                    percent: percent_suppressed,
                },
                numerator_small: numerator.is_hidden() && !policy.publishes_count(numerator.value),
                denominator_small: denominator
                    .is_some_and(|d| d.is_hidden() && !policy.publishes_count(d.value)),
            }
        })
        .collect();
    let mut measures_out = published;
    let child_measures_out = measures_out.split_off(measures.len());
    Ok(PublishedMeasures {
        measures: measures_out,
        child_measures: child_measures_out,
    })
}

fn shown(cell: Cell) -> Option<u64> {
    (!cell.is_hidden()).then_some(cell.value)
}

/// Where each figure of the measures sits among the cells, and the groups over those cells.
///
/// Measure `i` has two slots, its numerator (`2i`) and its denominator (`2i + 1`); slots that
/// count the same families are joined (a small union–find), and each set of joined slots that
/// holds a figure becomes one cell.
struct Layout {
    /// The cell of each slot; `None` for the denominator slot of a count.
    cell_of_slot: Vec<Option<usize>>,
    groups: Vec<Group>,
}

impl Layout {
    fn new(measures: &[&Measure]) -> Result<Layout, DisclosureError> {
        let position = |id: &str| measures.iter().position(|m| m.id == id);
        for (index, measure) in measures.iter().enumerate() {
            if measures[..index].iter().any(|m| m.id == measure.id) {
                return Err(DisclosureError::DuplicateMeasure {
                    id: measure.id.to_string(),
                });
            }
        }

        let mut joined = Joined::new(2 * measures.len());
        let mut group_members = Vec::new();
        for group in MEASURE_GROUPS {
            let problem = |problem: String| DisclosureError::Group {
                group: group.name.to_string(),
                problem,
            };
            let members: Vec<usize> = group.parts.iter().filter_map(|id| position(id)).collect();
            let Some(&first) = members.first() else {
                continue;
            };
            let shared = measures[first].denominator;
            for &member in &members {
                let measure = measures[member];
                match measure.denominator {
                    None => {
                        return Err(problem(format!("`{}` is a count, not a share", measure.id)));
                    }
                    denominator if denominator != shared => {
                        return Err(problem(format!(
                            "`{}` is out of {}, `{}` out of {}",
                            measures[first].id,
                            shared.unwrap_or_default(),
                            measure.id,
                            denominator.unwrap_or_default()
                        )));
                    }
                    _ => joined.join(2 * first + 1, 2 * member + 1),
                }
            }
            if let Some(count) = group.total_count.and_then(position) {
                let measure = measures[count];
                if measure.denominator.is_some() || Some(measure.numerator) != shared {
                    return Err(problem(format!(
                        "`{}` should count the {} families of `{}`",
                        measure.id,
                        shared.unwrap_or_default(),
                        measures[first].id
                    )));
                }
                joined.join(2 * first + 1, 2 * count);
            }
            group_members.push((group.name, members));
        }

        let mut cell_of_root: Vec<Option<usize>> = vec![None; 2 * measures.len()];
        let mut cell_of_slot = vec![None; 2 * measures.len()];
        let mut cells = 0;
        for (index, measure) in measures.iter().enumerate() {
            let slots = [Some(2 * index), measure.denominator.map(|_| 2 * index + 1)];
            for slot in slots.into_iter().flatten() {
                let root = joined.root(slot);
                let cell = *cell_of_root[root].get_or_insert_with(|| {
                    cells += 1;
                    cells - 1
                });
                cell_of_slot[slot] = Some(cell);
            }
        }

        let mut layout = Layout {
            cell_of_slot,
            groups: Vec::new(),
        };
        for (name, members) in group_members {
            let total = layout.denominator(members[0]).unwrap_or_default();
            let parts = members.iter().map(|&m| layout.numerator(m)).collect();
            layout.groups.push(Group {
                name: name.to_string(),
                total,
                parts,
            });
        }
        Ok(layout)
    }

    /// One cell per set of joined slots, with the value its measures give it (the same for all, as
    /// [`Layout::new`] checked), nothing suppressed yet.
    fn cells(&self, measures: &[&Measure]) -> Vec<Cell> {
        let count = self
            .cell_of_slot
            .iter()
            .flatten()
            .max()
            .map_or(0, |c| c + 1);
        let mut cells = vec![Cell::published(0); count];
        for (index, measure) in measures.iter().enumerate() {
            cells[self.numerator(index)] = Cell::published(measure.numerator);
            if let (Some(cell), Some(value)) = (self.denominator(index), measure.denominator) {
                cells[cell] = Cell::published(value);
            }
        }
        cells
    }

    fn numerator(&self, measure: usize) -> usize {
        self.cell_of_slot[2 * measure].unwrap_or_default()
    }

    fn denominator(&self, measure: usize) -> Option<usize> {
        self.cell_of_slot[2 * measure + 1]
    }
}

/// Slots joined into sets (union–find).
struct Joined {
    parent: Vec<usize>,
}

impl Joined {
    fn new(slots: usize) -> Joined {
        Joined {
            parent: (0..slots).collect(),
        }
    }

    fn root(&self, mut slot: usize) -> usize {
        while self.parent[slot] != slot {
            slot = self.parent[slot];
        }
        slot
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        // The smaller slot leads, so the layout does not depend on the order of joining.
        self.parent[a.max(b)] = a.min(b);
    }
}
