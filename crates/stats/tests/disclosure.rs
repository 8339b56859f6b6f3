#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Disclosure control (publication spec §2): every rule both ways, with the numbers written out by
//! hand; the quickscan's figures through the default policy; and properties over random tables.

use dakwacht_stats::disclosure::{Policy, PolicyError};

/// The built-in policy with one line replaced: `key = value` in `[section]` (or at the top).
fn policy_with(line: &str, replacement: &str) -> Result<Policy, PolicyError> {
    let text = dakwacht_stats::disclosure::BUILT_IN;
    assert!(
        text.contains(line),
        "the built-in policy has no line {line:?}"
    );
    Policy::from_toml(&text.replacen(line, replacement, 1))
}

fn default_policy() -> Policy {
    Policy::built_in().unwrap()
}

mod policy_file {
    use super::*;

    #[test]
    fn the_built_in_policy_has_the_spec_defaults_and_a_name_and_version() {
        let policy = default_policy();
        assert_eq!(policy.name(), "dakwacht-standaard");
        assert!(!policy.version().is_empty());
        assert_eq!(policy.smallest_published_count(), 5);
        assert_eq!(policy.minimum_denominator(), 10);
        assert_eq!(policy.minimum_at_risk(), 10);
        assert_eq!(policy.minimum_families_for_median(), 10);
        assert_eq!(policy.merged_row_label(), "overige");
        assert_eq!(policy.suppressed_count_text(), "<5");
    }

    #[test]
    fn a_changed_threshold_is_read() {
        let policy = policy_with(
            "smallest_published_count = 5",
            "smallest_published_count = 11",
        )
        .unwrap();
        assert_eq!(policy.smallest_published_count(), 11);
        assert_eq!(policy.suppressed_count_text(), "<11");
        let policy = policy_with(
            "merged_row_label = \"overige\"",
            "merged_row_label = \"overige gemeenten\"",
        )
        .unwrap();
        assert_eq!(policy.merged_row_label(), "overige gemeenten");
    }

    #[test]
    fn an_unknown_key_is_named() {
        let error = policy_with(
            "smallest_published_count = 5",
            "smallest_published_count = 5\nsmalest_published_count = 7",
        )
        .unwrap_err();
        assert!(
            matches!(&error, PolicyError::UnknownKey { key, .. } if key == "frequency.smalest_published_count"),
            "{error}"
        );
        assert!(
            error.to_string().contains("smallest_published_count"),
            "{error}"
        );
        let error = policy_with("name = ", "owner = \"me\"\nname = ").unwrap_err();
        assert!(
            matches!(&error, PolicyError::UnknownKey { key, .. } if key == "owner"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_key_is_named() {
        for (line, key) in [
            ("minimum_denominator = 10", "share.minimum_denominator"),
            ("minimum_at_risk = 10", "survival.minimum_at_risk"),
            (
                "minimum_families_for_median = 10",
                "survival.minimum_families_for_median",
            ),
            (
                "merged_row_label = \"overige\"",
                "breakdown.merged_row_label",
            ),
            ("version = \"", "version"),
        ] {
            let line_end = dakwacht_stats::disclosure::BUILT_IN
                .lines()
                .find(|l| l.starts_with(line))
                .unwrap();
            let error = policy_with(line_end, "").unwrap_err();
            assert_eq!(
                error,
                PolicyError::MissingKey {
                    key: key.to_string()
                },
                "{line}"
            );
            assert!(error.to_string().contains(key));
        }
        let error = policy_with("[frequency]", "[frequencies]").unwrap_err();
        assert!(
            matches!(&error, PolicyError::UnknownKey { key, .. } if key == "frequencies"),
            "{error}"
        );
    }

    #[test]
    fn a_nonsensical_value_is_named() {
        for (line, replacement, key) in [
            (
                "smallest_published_count = 5",
                "smallest_published_count = 1",
                "frequency.smallest_published_count",
            ),
            (
                "smallest_published_count = 5",
                "smallest_published_count = -5",
                "frequency.smallest_published_count",
            ),
            (
                "smallest_published_count = 5",
                "smallest_published_count = \"5\"",
                "frequency.smallest_published_count",
            ),
            (
                "smallest_published_count = 5",
                "smallest_published_count = 5.5",
                "frequency.smallest_published_count",
            ),
            (
                "minimum_denominator = 10",
                "minimum_denominator = 0",
                "share.minimum_denominator",
            ),
            (
                "minimum_at_risk = 10",
                "minimum_at_risk = 0",
                "survival.minimum_at_risk",
            ),
            (
                "minimum_families_for_median = 10",
                "minimum_families_for_median = 0",
                "survival.minimum_families_for_median",
            ),
            (
                "merged_row_label = \"overige\"",
                "merged_row_label = \"  \"",
                "breakdown.merged_row_label",
            ),
            (
                "merged_row_label = \"overige\"",
                "merged_row_label = 3",
                "breakdown.merged_row_label",
            ),
            ("name = \"dakwacht-standaard\"", "name = \"\"", "name"),
        ] {
            let error = policy_with(line, replacement).unwrap_err();
            assert!(
                matches!(&error, PolicyError::Invalid { key: named, .. } if named == key),
                "{replacement}: {error}"
            );
            assert!(error.to_string().contains(key), "{error}");
        }
    }

    #[test]
    fn a_broken_file_is_refused() {
        assert!(matches!(
            Policy::from_toml("name = \"x"),
            Err(PolicyError::Toml(_))
        ));
        let text = dakwacht_stats::disclosure::BUILT_IN
            .replacen("[share]", "", 1)
            .replacen("minimum_denominator = 10", "", 1)
            .replacen("name = ", "share = 10\nname = ", 1);
        let error = Policy::from_toml(&text).unwrap_err();
        assert!(
            matches!(&error, PolicyError::Invalid { key, .. } if key == "share"),
            "{error}"
        );
    }
}

mod primary_rules {
    use super::*;

    #[test]
    fn the_frequency_rule_suppresses_one_to_four_and_shows_zero() {
        let policy = default_policy();
        assert!(policy.publishes_count(0));
        for count in 1..=4 {
            assert!(!policy.publishes_count(count), "{count}");
        }
        assert!(policy.publishes_count(5));
        assert!(policy.publishes_count(1_000));
    }

    #[test]
    fn a_share_needs_ten_in_its_denominator() {
        let policy = default_policy();
        assert!(!policy.publishes_share(5, 9));
        assert!(policy.publishes_share(5, 10));
        assert!(
            !policy.publishes_share(0, 0),
            "no denominator, no percentage"
        );
    }

    #[test]
    fn a_share_is_suppressed_when_its_numerator_or_its_rest_is() {
        let policy = default_policy();
        assert!(!policy.publishes_share(4, 23), "numerator 4");
        assert!(!policy.publishes_share(19, 23), "rest 23 − 19 = 4");
        assert!(policy.publishes_share(5, 23));
        assert!(policy.publishes_share(18, 23), "rest 5");
        assert!(policy.publishes_share(0, 23), "0% is shown");
        assert!(policy.publishes_share(22, 22), "100% is shown");
        assert!(!policy.publishes_share(24, 23), "not a share");
    }

    #[test]
    fn survival_rows_and_median_need_ten_families() {
        let policy = default_policy();
        assert!(!policy.publishes_survival_row(9));
        assert!(policy.publishes_survival_row(10));
        assert!(!policy.publishes_median(9));
        assert!(policy.publishes_median(10));
    }
}

mod secondary_suppression {
    use super::*;
    use dakwacht_stats::disclosure::Suppression::{Primary, Secondary};
    use dakwacht_stats::disclosure::{
        Cell, DisclosureError, Group, Suppression, suppress_secondary,
    };

    /// Counts under the default policy, the last one the total of one group over the others.
    fn one_group(values: &[u64]) -> Vec<Option<Suppression>> {
        let policy = default_policy();
        let mut cells: Vec<Cell> = values.iter().map(|&v| Cell::count(v, &policy)).collect();
        let total = cells.len() - 1;
        let group = Group {
            name: "test".into(),
            total,
            parts: (0..total).collect(),
        };
        suppress_secondary(&mut cells, &[group], &policy).unwrap();
        cells.iter().map(|c| c.suppressed).collect()
    }

    #[test]
    fn a_single_suppressed_cell_takes_the_smallest_other_with_it() {
        // 22 = 10 + 3 + 9: the 3 would be 22 − 10 − 9.
        assert_eq!(
            one_group(&[10, 3, 9, 22]),
            [None, Some(Primary), Some(Secondary), None]
        );
    }

    #[test]
    fn a_group_with_nothing_suppressed_keeps_everything() {
        assert_eq!(one_group(&[8, 7, 7, 22]), [None; 4]);
    }

    #[test]
    fn two_suppressed_cells_protect_each_other() {
        // 22 = 3 + 2 + 17: only 3 + 2 = 5 follows.
        assert_eq!(
            one_group(&[3, 2, 17, 22]),
            [Some(Primary), Some(Primary), None, None]
        );
    }

    #[test]
    fn a_small_remainder_counts_as_a_suppressed_cell() {
        // current.*: 25 cases, 11 homeless, 12 unknown, so 2 housed = 25 − 11 − 12.
        assert_eq!(one_group(&[11, 12, 25]), [Some(Secondary), None, None]);
    }

    #[test]
    fn a_remainder_the_frequency_rule_publishes_may_follow_from_the_total() {
        // 25 − 11 − 7 = 7 housed: a figure that could be published anyway.
        assert_eq!(one_group(&[11, 7, 25]), [None; 3]);
        // Nothing uncovered: 23 − 11 − 12 = 0.
        assert_eq!(one_group(&[11, 12, 23]), [None; 3]);
    }

    #[test]
    fn an_unpublished_remainder_protects_a_suppressed_cell() {
        // 21 − 11 = 10 is the 3 and the 7 not covered together; neither follows.
        assert_eq!(one_group(&[11, 3, 21]), [None, Some(Primary), None]);
    }

    #[test]
    fn a_cell_of_zero_protects_nothing() {
        // 12 = 0 + 3 + 9: hiding the 0 would leave the 3 at 12 − 9.
        assert_eq!(
            one_group(&[0, 3, 9, 12]),
            [None, Some(Primary), Some(Secondary), None]
        );
    }

    #[test]
    fn of_equal_cells_the_first_in_group_order_is_hidden() {
        assert_eq!(
            one_group(&[3, 9, 9, 21]),
            [Some(Primary), Some(Secondary), None, None]
        );
    }

    #[test]
    fn a_suppressed_total_hides_its_parts() {
        // A total of 4 is suppressed itself: 3 + 1 do not follow from anything.
        assert_eq!(
            one_group(&[3, 1, 0, 4]),
            [Some(Primary), Some(Primary), None, Some(Primary)]
        );
    }

    #[test]
    fn a_hidden_cell_that_is_the_whole_total_hides_the_total() {
        // 7 = 7 + 0 + 0, the 7 suppressed (say its share is too small): only the total can go.
        let policy = default_policy();
        let mut cells = vec![
            Cell {
                value: 7,
                suppressed: Some(Primary),
            },
            Cell::published(0),
            Cell::published(0),
            Cell::published(7),
        ];
        let group = Group {
            name: "test".into(),
            total: 3,
            parts: vec![0, 1, 2],
        };
        suppress_secondary(&mut cells, &[group], &policy).unwrap();
        let got: Vec<_> = cells.iter().map(|c| c.suppressed).collect();
        assert_eq!(got, [Some(Primary), None, None, Some(Secondary)]);
    }

    #[test]
    fn suppression_repeats_over_overlapping_groups_until_nothing_changes() {
        // The duration bands: 22 = 8 (0_6) + 3 (6_12) + 11 (12_plus), and 22 = 8 (0_6) + 14
        // (over_6). The 3 takes the 8 with it in the first group (8 < 11); the 8 is then alone
        // in the second, so the 14 goes too.
        let policy = default_policy();
        let values = [8, 3, 11, 14, 22];
        let mut cells: Vec<Cell> = values.iter().map(|&v| Cell::count(v, &policy)).collect();
        let groups = [
            Group {
                name: "duration bands".into(),
                total: 4,
                parts: vec![0, 1, 2],
            },
            Group {
                name: "under and over 6 months".into(),
                total: 4,
                parts: vec![0, 3],
            },
        ];
        suppress_secondary(&mut cells, &groups, &policy).unwrap();
        let got: Vec<_> = cells.iter().map(|c| c.suppressed).collect();
        assert_eq!(
            got,
            [Some(Secondary), Some(Primary), None, Some(Secondary), None]
        );
    }

    #[test]
    fn a_group_that_does_not_add_up_is_refused() {
        let policy = default_policy();
        let mut cells: Vec<Cell> = [10, 9, 15].iter().map(|&v| Cell::published(v)).collect();
        for (parts, total, words) in [
            (vec![0, 1], 2, "more than its total"),
            (vec![0, 7], 2, "not among"),
            (vec![0, 2], 2, "also one of its parts"),
            (vec![0, 0], 2, "twice"),
        ] {
            let group = Group {
                name: "wrong".into(),
                total,
                parts,
            };
            let error = suppress_secondary(&mut cells, &[group], &policy).unwrap_err();
            assert!(
                matches!(&error, DisclosureError::Group { group, problem } if group == "wrong" && problem.contains(words)),
                "{error}"
            );
        }
    }
}

/// Checks that hold for any figures: the properties of issue 17.2.
mod properties {
    use super::*;
    use dakwacht_stats::disclosure::{Cell, Group, Suppression, suppress_secondary};
    use proptest::prelude::*;

    /// Draws numbers from a vector of random numbers, so that proptest can shrink a table by
    /// shrinking the numbers it was built from.
    struct Entropy<'a> {
        numbers: &'a [u64],
        next: usize,
    }

    impl Entropy<'_> {
        fn below(&mut self, bound: u64) -> u64 {
            let number = self.numbers.get(self.next).copied().unwrap_or(0);
            self.next += 1;
            number % bound.max(1)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }

        /// A count, mostly small: the interesting counts are around the threshold.
        fn count(&mut self) -> u64 {
            match self.below(4) {
                0 => 0,
                1 => self.below(6),
                2 => self.below(12),
                _ => self.below(40),
            }
        }
    }

    /// A table as a tree of totals split into parts: each split is a group; a split into three or
    /// more parts sometimes also gets a coarser group (the first part against the rest summed in a
    /// cell of its own, as `duration.0_6` against `duration.over_6`). Counts are suppressed by
    /// the frequency rule, and a few more cells as other primary rules would (a share too small).
    fn random_table(numbers: &[u64], policy: &Policy) -> (Vec<Cell>, Vec<Group>) {
        let mut entropy = Entropy { numbers, next: 0 };
        let mut cells = Vec::new();
        let mut groups = Vec::new();
        let add = |cells: &mut Vec<Cell>, value: u64, entropy: &mut Entropy| {
            let mut cell = Cell::count(value, policy);
            if entropy.chance(10) {
                cell.suppressed = Some(Suppression::Primary);
            }
            cells.push(cell);
            cells.len() - 1
        };
        let mut to_split = vec![];
        for _ in 0..=entropy.below(3) {
            let total = entropy.count() * (1 + entropy.below(3));
            to_split.push((add(&mut cells, total, &mut entropy), 0));
        }
        while let Some((total, depth)) = to_split.pop() {
            if depth > 2 || !entropy.chance(70) {
                continue;
            }
            let mut left = cells[total].value;
            let mut parts = Vec::new();
            for _ in 0..=entropy.below(4) {
                let value = entropy.count().min(left);
                left -= value;
                parts.push(add(&mut cells, value, &mut entropy));
            }
            if entropy.chance(50) {
                // No remainder: the parts cover the total.
                let last = *parts.last().unwrap();
                cells[last] = Cell::count(cells[last].value + left, policy);
            }
            if parts.len() >= 3 && entropy.chance(50) {
                let rest: u64 = parts[1..].iter().map(|&p| cells[p].value).sum();
                let rest = add(&mut cells, rest, &mut entropy);
                groups.push(Group {
                    name: format!("coarse {total}"),
                    total,
                    parts: vec![parts[0], rest],
                });
            }
            for &part in &parts {
                to_split.push((part, depth + 1));
            }
            groups.push(Group {
                name: format!("split {total}"),
                total,
                parts,
            });
        }
        (cells, groups)
    }

    /// What a reader can work out of a group: the total minus the published parts is what the
    /// hidden parts and the remainder hold together. When that equals one hidden cell that is not
    /// 0, all the others are 0 and that cell is known. The remainder may be known when the
    /// frequency rule would publish it; no suppressed part may be.
    fn worked_out(cells: &[Cell], group: &Group, policy: &Policy) -> Option<String> {
        let total = cells[group.total];
        if total.is_hidden() {
            return None;
        }
        let published: u64 = group
            .parts
            .iter()
            .map(|&p| cells[p])
            .filter(|c| !c.is_hidden())
            .map(|c| c.value)
            .sum();
        let unseen = total.value - published;
        for &part in &group.parts {
            let cell = cells[part];
            if cell.is_hidden() && cell.value > 0 && cell.value == unseen {
                return Some(format!(
                    "cell {part} = {} follows in {}",
                    cell.value, group.name
                ));
            }
        }
        let remainder = group.remainder(cells);
        if remainder > 0 && remainder == unseen && !policy.publishes_count(remainder) {
            return Some(format!(
                "the remainder {remainder} follows in {}",
                group.name
            ));
        }
        None
    }

    fn entropy() -> impl Strategy<Value = Vec<u64>> {
        proptest::collection::vec(0u64..1_000_000, 0..200)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn no_hidden_cell_follows_from_its_group(numbers in entropy()) {
            let policy = default_policy();
            let (mut cells, groups) = random_table(&numbers, &policy);
            let before = cells.clone();
            suppress_secondary(&mut cells, &groups, &policy).unwrap();
            for group in &groups {
                prop_assert_eq!(worked_out(&cells, group, &policy), None);
            }
            for (cell, before) in cells.iter().zip(&before) {
                // (a) no published count from 1 to 4.
                prop_assert!(cell.is_hidden() || policy.publishes_count(cell.value));
                // A primary suppression stays primary; nothing comes back.
                if before.is_hidden() {
                    prop_assert_eq!(cell.suppressed, before.suppressed);
                }
            }
        }

        #[test]
        fn the_same_table_is_protected_the_same_way(numbers in entropy()) {
            let policy = default_policy();
            let (cells, groups) = random_table(&numbers, &policy);
            let (mut once, mut twice) = (cells.clone(), cells);
            suppress_secondary(&mut once, &groups, &policy).unwrap();
            suppress_secondary(&mut twice, &groups, &policy).unwrap();
            prop_assert_eq!(once, twice);
        }
    }
}
