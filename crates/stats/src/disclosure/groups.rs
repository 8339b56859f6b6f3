//! Which measures partition one denominator: the groups of secondary suppression over the
//! quickscan and child measures, defined here and nowhere else.

/// Measures whose numerators are disjoint parts of the one denominator they share. What the parts
/// do not cover (for `current.*`: the housed families) is a cell of the group as well.
#[derive(Debug)]
pub struct MeasureGroup {
    /// What the parts divide, for an error about the group.
    pub name: &'static str,
    /// Measure ids, in group order: of equal cells, the first is the one suppressed.
    pub parts: &'static [&'static str],
    /// A count measure of exactly the families in the parts' denominator: the same number, shown
    /// twice, so hidden together.
    pub total_count: Option<&'static str>,
}

/// The groups of publication spec §2, "Secondary suppression": "measures that partition one
/// denominator form a group (the duration bands `duration.0_6`/`6_12`/`12_plus`, and `0_6` with
/// `over_6`; `alternative.*`; `current.*`; the child age bands; …)", with the ids of
/// `spec/measures.md` and `spec/children.md`. Breakdowns with their totals are groups too, made
/// per breakdown ([`super::breakdown`]).
pub const MEASURE_GROUPS: &[MeasureGroup] = &[
    MeasureGroup {
        name: "duration bands",
        parts: &["duration.0_6", "duration.6_12", "duration.12_plus"],
        total_count: None,
    },
    MeasureGroup {
        name: "duration under and over 6 months",
        parts: &["duration.0_6", "duration.over_6"],
        total_count: None,
    },
    MeasureGroup {
        // Not every alternative has a measure (holiday home, a place for the children only, …):
        // those families are the group's uncovered part.
        name: "alternative offered",
        parts: &[
            "alternative.none",
            "alternative.hotel_or_shelter",
            "alternative.adequate",
        ],
        total_count: None,
    },
    MeasureGroup {
        // The denominator is every case: the `cases` count. The housed families are the
        // uncovered part.
        name: "current situation",
        parts: &["current.homeless", "current.unknown"],
        total_count: Some("cases"),
    },
    MeasureGroup {
        name: "child age bands",
        parts: &["child.age.0_3", "child.age.4_11", "child.age.12_17"],
        total_count: None,
    },
];

/// Count measures that do not count families or children, to which the frequency rule ("a count
/// of families or children from 1 to 4") does not apply. Any other count is protected, including
/// one this table does not know.
pub const NOT_FAMILIES_OR_CHILDREN: &[&str] = &["municipalities"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CHILD_MEASURES, Definition, MEASURES};

    fn definition(id: &str) -> &'static Definition {
        &MEASURES
            .iter()
            .chain(CHILD_MEASURES)
            .find(|m| m.id == id)
            .unwrap_or_else(|| panic!("`{id}` is not a measure"))
            .definition
    }

    #[test]
    fn every_group_names_shares_of_existing_measures() {
        for group in MEASURE_GROUPS {
            for (position, id) in group.parts.iter().enumerate() {
                assert!(
                    !matches!(definition(id), Definition::Count(_)),
                    "{id} in {} is a count",
                    group.name
                );
                assert!(!group.parts[..position].contains(id), "{id} twice");
            }
            if let Some(id) = group.total_count {
                assert!(matches!(definition(id), Definition::Count(_)), "{id}");
            }
        }
        for id in NOT_FAMILIES_OR_CHILDREN {
            assert!(matches!(definition(id), Definition::Count(_)), "{id}");
        }
    }
}
