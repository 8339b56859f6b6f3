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

mod measures {
    use super::*;
    use dakwacht_stats::Measure;
    use dakwacht_stats::disclosure::Suppression::{Primary, Secondary};
    use dakwacht_stats::disclosure::{
        DisclosureError, PublishedMeasure, SuppressedParts, SuppressionCount, protect_measures,
    };

    pub fn measure(id: &'static str, numerator: u64, denominator: Option<u64>) -> Measure {
        Measure {
            id,
            numerator,
            denominator,
        }
    }

    fn share(id: &'static str, numerator: u64, denominator: u64) -> Measure {
        measure(id, numerator, Some(denominator))
    }

    fn protect(measures: &[Measure]) -> Vec<PublishedMeasure> {
        protect_measures(measures, &[], &default_policy())
            .unwrap()
            .measures
    }

    fn one(measure: Measure) -> PublishedMeasure {
        protect(&[measure]).remove(0)
    }

    /// (numerator, denominator, percent, what is suppressed): a row as the spec's JSON has it.
    type Row = (
        Option<u64>,
        Option<u64>,
        Option<f64>,
        [Option<dakwacht_stats::disclosure::Suppression>; 3],
    );

    fn row(m: &PublishedMeasure) -> Row {
        let s = m.suppressed;
        (
            m.numerator,
            m.denominator,
            m.percent,
            [s.numerator, s.denominator, s.percent],
        )
    }

    const NOTHING: [Option<dakwacht_stats::disclosure::Suppression>; 3] = [None; 3];
    const SHARE_PRIMARY: [Option<dakwacht_stats::disclosure::Suppression>; 3] =
        [Some(Primary), None, Some(Primary)];
    const SHARE_SECONDARY: [Option<dakwacht_stats::disclosure::Suppression>; 3] =
        [Some(Secondary), None, Some(Secondary)];

    #[test]
    fn a_count_of_families_from_one_to_four_is_suppressed() {
        assert_eq!(
            row(&one(measure("cases", 4, None))),
            (None, None, None, [Some(Primary), None, None])
        );
        assert_eq!(
            row(&one(measure("cases", 5, None))),
            (Some(5), None, None, NOTHING)
        );
        assert_eq!(
            row(&one(measure("children.age_unknown", 0, None))),
            (Some(0), None, None, NOTHING)
        );
        assert_eq!(
            row(&one(measure("children.age_unknown", 1, None))),
            (None, None, None, [Some(Primary), None, None])
        );
    }

    #[test]
    fn a_count_of_municipalities_is_not_a_count_of_families() {
        assert_eq!(
            row(&one(measure("municipalities", 3, None))),
            (Some(3), None, None, NOTHING)
        );
    }

    #[test]
    fn a_share_under_ten_shows_its_denominator_alone() {
        // 5 of 9: neither 5 nor 4 is shown, the 9 is.
        assert_eq!(
            row(&one(share("legal.court.none", 5, 9))),
            (None, Some(9), None, SHARE_PRIMARY)
        );
        assert_eq!(
            row(&one(share("legal.court.none", 5, 10))),
            (Some(5), Some(10), Some(50.0), NOTHING)
        );
    }

    #[test]
    fn a_share_with_a_small_numerator_or_rest_is_suppressed() {
        assert_eq!(
            row(&one(share("reason.corporation.nuisance", 3, 14))),
            (None, Some(14), None, SHARE_PRIMARY)
        );
        // 19 of 22 leaves 3: 19 and 22 would give the 3 away.
        assert_eq!(
            row(&one(share("route.no_court", 19, 22))),
            (None, Some(22), None, SHARE_PRIMARY)
        );
        // A page prints 3 as `<5` and 19 as `×`: 19 is not a small count.
        assert!(one(share("reason.corporation.nuisance", 3, 14)).numerator_small);
        assert!(!one(share("route.no_court", 19, 22)).numerator_small);
        assert_eq!(
            row(&one(share("route.no_court", 17, 22))),
            (Some(17), Some(22), Some(77.27), NOTHING)
        );
        assert_eq!(
            row(&one(share("alternative.adequate", 0, 23))),
            (Some(0), Some(23), Some(0.0), NOTHING)
        );
        assert_eq!(
            row(&one(share("after.homeless", 22, 22))),
            (Some(22), Some(22), Some(100.0), NOTHING)
        );
    }

    #[test]
    fn a_small_denominator_is_suppressed_too() {
        assert_eq!(
            row(&one(share("route.no_court", 2, 4))),
            (None, None, None, [Some(Primary); 3])
        );
        // Nothing to take a share of: nothing to hide either.
        assert_eq!(
            row(&one(share("child.heard", 0, 0))),
            (Some(0), Some(0), None, NOTHING)
        );
    }

    fn duration(bands: [u64; 3]) -> Vec<Measure> {
        let known = bands.iter().sum();
        vec![
            share("duration.0_6", bands[0], known),
            share("duration.6_12", bands[1], known),
            share("duration.12_plus", bands[2], known),
            share("duration.over_6", bands[1] + bands[2], known),
        ]
    }

    #[test]
    fn a_suppressed_band_takes_the_smallest_other_band_with_it() {
        // 22 = 10 + 3 + 9: the 9 goes with the 3. Over 6 months (12) stays: 0_6 and over_6
        // are both published, and 12 = 3 + 9 does not tell the two apart.
        let got: Vec<Row> = protect(&duration([10, 3, 9])).iter().map(row).collect();
        assert_eq!(
            got,
            [
                (Some(10), Some(22), Some(45.45), NOTHING),
                (None, Some(22), None, SHARE_PRIMARY),
                (None, Some(22), None, SHARE_SECONDARY),
                (Some(12), Some(22), Some(54.55), NOTHING),
            ]
        );
        let got: Vec<Row> = protect(&duration([8, 7, 7])).iter().map(row).collect();
        assert!(got.iter().all(|r| r.3 == NOTHING), "{got:?}");
    }

    #[test]
    fn a_band_hidden_for_one_group_can_take_a_cell_of_the_other_with_it() {
        // 22 = 8 + 3 + 11: the 8 goes with the 3 (8 < 11); then 0_6 is the only hidden cell
        // of 22 = 0_6 + over_6, so over_6 (14) goes too.
        let got: Vec<Row> = protect(&duration([8, 3, 11])).iter().map(row).collect();
        assert_eq!(
            got,
            [
                (None, Some(22), None, SHARE_SECONDARY),
                (None, Some(22), None, SHARE_PRIMARY),
                (Some(11), Some(22), Some(50.0), NOTHING),
                (None, Some(22), None, SHARE_SECONDARY),
            ]
        );
    }

    fn current(cases: u64, homeless: u64, unknown: u64) -> Vec<Measure> {
        vec![
            measure("cases", cases, None),
            share("current.homeless", homeless, cases),
            share("current.unknown", unknown, cases),
        ]
    }

    #[test]
    fn a_few_housed_families_count_as_a_suppressed_cell() {
        // 25 − 11 − 12 = 2 housed: the 11 goes.
        let got: Vec<Row> = protect(&current(25, 11, 12)).iter().map(row).collect();
        assert_eq!(
            got,
            [
                (Some(25), None, None, NOTHING),
                (None, Some(25), None, SHARE_SECONDARY),
                (Some(12), Some(25), Some(48.0), NOTHING),
            ]
        );
        // 30 − 11 − 12 = 7 housed may be known.
        let got: Vec<Row> = protect(&current(30, 11, 12)).iter().map(row).collect();
        assert!(got.iter().all(|r| r.3 == NOTHING), "{got:?}");
    }

    #[test]
    fn a_hidden_share_that_is_its_whole_denominator_hides_the_denominator() {
        // 7 cases, all 7 homeless: both shares are under 10, so both numerators go, but 7 − 0
        // would still say that all 7 are homeless. The 7 goes, as `cases` and as denominator.
        let got: Vec<Row> = protect(&current(7, 7, 0)).iter().map(row).collect();
        assert_eq!(
            got,
            [
                (None, None, None, [Some(Secondary), None, None]),
                (
                    None,
                    None,
                    None,
                    [Some(Primary), Some(Secondary), Some(Primary)]
                ),
                (
                    None,
                    None,
                    None,
                    [Some(Primary), Some(Secondary), Some(Primary)]
                ),
            ]
        );
    }

    #[test]
    fn the_child_age_bands_are_a_group() {
        let children = [
            share("child.age.0_3", 3, 20),
            share("child.age.4_11", 9, 20),
            share("child.age.12_17", 8, 20),
        ];
        let published = protect_measures(&[], &children, &default_policy()).unwrap();
        let got: Vec<Row> = published.child_measures.iter().map(row).collect();
        assert_eq!(
            got,
            [
                (None, Some(20), None, SHARE_PRIMARY),
                (Some(9), Some(20), Some(45.0), NOTHING),
                (None, Some(20), None, SHARE_SECONDARY),
            ]
        );
        assert_eq!(
            published.suppression_count(),
            SuppressionCount {
                primary: 2,
                secondary: 2
            }
        );
    }

    #[test]
    fn a_measure_left_out_is_part_of_what_the_group_does_not_cover() {
        // Without duration.12_plus, its 3 families are 22 − 10 − 9.
        let got: Vec<Row> =
            protect(&[share("duration.0_6", 10, 22), share("duration.6_12", 9, 22)])
                .iter()
                .map(row)
                .collect();
        assert_eq!(
            got,
            [
                (Some(10), Some(22), Some(45.45), NOTHING),
                (None, Some(22), None, SHARE_SECONDARY),
            ]
        );
    }

    #[test]
    fn the_json_names_each_suppressed_part() {
        let published = protect(&[
            share("alternative.none", 19, 23),
            share("alternative.hotel_or_shelter", 4, 23),
            share("alternative.adequate", 0, 23),
        ]);
        assert_eq!(
            serde_json::to_value(&published).unwrap(),
            serde_json::json!([
                {"id": "alternative.none", "numerator": null, "denominator": 23, "percent": null,
                 "suppressed": {"numerator": "primary", "percent": "primary"}},
                {"id": "alternative.hotel_or_shelter", "numerator": null, "denominator": 23,
                 "percent": null, "suppressed": {"numerator": "primary", "percent": "primary"}},
                {"id": "alternative.adequate", "numerator": 0, "denominator": 23, "percent": 0.0},
            ])
        );
        assert_eq!(published[0].suppressed.count().total(), 2);
        assert_eq!(
            SuppressedParts::default().count(),
            SuppressionCount::default()
        );
    }

    #[test]
    fn figures_that_do_not_fit_together_are_refused() {
        let policy = default_policy();
        let error = protect_measures(
            &[measure("cases", 3, None), measure("cases", 3, None)],
            &[],
            &policy,
        )
        .unwrap_err();
        assert_eq!(
            error,
            DisclosureError::DuplicateMeasure { id: "cases".into() }
        );
        let mut bands = duration([8, 7, 7]);
        bands[1].denominator = Some(21);
        let error = protect_measures(&bands, &[], &policy).unwrap_err();
        assert!(
            matches!(&error, DisclosureError::Group { group, problem } if group == "duration bands" && problem.contains("21")),
            "{error}"
        );
        let mut bands = duration([8, 7, 7]);
        bands[0].numerator = 9;
        let error = protect_measures(&bands, &[], &policy).unwrap_err();
        assert!(error.to_string().contains("more than its total"), "{error}");
        let error = protect_measures(
            &current(24, 11, 12)[..1],
            &current(23, 11, 12)[1..],
            &policy,
        )
        .unwrap_err();
        assert!(error.to_string().contains("`cases`"), "{error}");
        let error =
            protect_measures(&[measure("duration.0_6", 3, None)], &[], &policy).unwrap_err();
        assert!(error.to_string().contains("is a count"), "{error}");
    }
}

mod duration {
    use super::*;
    use dakwacht_stats::disclosure::Suppression::{Primary, Secondary};
    use dakwacht_stats::disclosure::{SuppressionCount, protect_duration};
    use dakwacht_stats::survival::{DurationEstimate, SensitivityBound, SurvivalAt, SurvivalRow};

    fn row(month: u32, at_risk: u64, events: u64, censored: u64, survival: f64) -> SurvivalRow {
        SurvivalRow {
            month,
            at_risk,
            events,
            censored,
            survival,
            ci_low: survival / 2.0,
            ci_high: 1.0,
        }
    }

    /// 12 families: 2 rehoused in month 1, 1 lost from view in month 1; 5 more rehoused in
    /// month 2, 1 in month 3; 3 still homeless in month 3.
    fn twelve_families() -> DurationEstimate {
        let at = |three| SurvivalAt {
            three_months: Some(three),
            six_months: None,
            twelve_months: None,
            twenty_four_months: None,
        };
        DurationEstimate {
            n: 12,
            events: 8,
            censored: 4,
            excluded: 0,
            median_months: Some(2),
            median_ci: [Some(2), None],
            survival_at: at(0.1),
            table: vec![
                row(0, 12, 0, 0, 1.0),
                row(1, 12, 2, 1, 0.83),
                row(2, 9, 5, 0, 0.37),
                row(3, 4, 1, 3, 0.28),
            ],
            optimistic: SensitivityBound {
                median_months: Some(1),
                survival_at: at(0.05),
            },
            pessimistic: SensitivityBound {
                median_months: Some(3),
                survival_at: at(0.3),
            },
        }
    }

    /// What a reader of the dashboard sees of a protected estimate: a held-back count as `<5`,
    /// a month of `survival_at` as `×`, and a sentence for the months cut from the table.
    #[test]
    fn the_published_estimate_in_html_says_what_was_held_back() {
        use dakwacht_core::Lang;
        use dakwacht_stats::duration_report::published_duration_html;
        let policy = default_policy();
        let mut estimate = twelve_families();
        estimate.excluded = 3;
        let published = protect_duration(&estimate, &policy).unwrap();
        let html = published_duration_html(&published, Some(&policy), Lang::Nl);
        assert!(html.contains("<dd>&lt;5</dd>"), "3 excluded: {html}");
        assert!(html.contains("3 mnd ×"), "{html}");
        assert!(
            html.contains("2 maanden met minder dan 10 gezinnen at risk zijn niet gepubliceerd."),
            "{html}"
        );
        assert!(
            html.contains("mediaan 1 maand"),
            "12 families: the median is published"
        );

        estimate.n = 9;
        estimate.censored = 1;
        let published = protect_duration(&estimate, &policy).unwrap();
        let html = published_duration_html(&published, Some(&policy), Lang::En);
        assert!(
            html.contains("not published (fewer than 10 families)"),
            "{html}"
        );
        assert!(!html.contains("median 1 month"), "{html}");

        // Without a policy: the figures as they are, nothing said about holding back.
        let html = dakwacht_stats::duration_report::duration_html(&estimate, Lang::Nl);
        assert!(html.contains("<dd>3</dd>"), "{html}");
        assert!(!html.contains("niet gepubliceerd"), "{html}");
    }

    #[test]
    fn months_with_fewer_than_ten_at_risk_are_not_published() {
        let published = protect_duration(&twelve_families(), &default_policy()).unwrap();
        let months: Vec<(u32, u64)> = published
            .table
            .iter()
            .map(|r| (r.month, r.at_risk))
            .collect();
        // 12, 12 at risk are published; 9 and 4 are not.
        assert_eq!(months, [(0, 12), (1, 12)]);
        assert_eq!(published.months_withheld(), 2);
        // Month 3 has 4 at risk: its survival goes with its row, in the bounds too.
        assert_eq!(published.survival_at, SurvivalAt::default());
        assert_eq!(published.optimistic.survival_at, SurvivalAt::default());
        assert_eq!(published.pessimistic.survival_at, SurvivalAt::default());
        assert_eq!(published.suppressed.survival_at.three_months, Some(Primary));
        // Nothing at 6 months to hold back.
        assert_eq!(published.suppressed.survival_at.six_months, None);
    }

    #[test]
    fn the_median_of_ten_families_or_more_is_published() {
        let published = protect_duration(&twelve_families(), &default_policy()).unwrap();
        assert_eq!(published.median_months, Some(2));
        assert_eq!(published.median_ci, [Some(2), None]);
        assert_eq!(published.optimistic.median_months, Some(1));
        assert_eq!(published.pessimistic.median_months, Some(3));
        assert!(!published.median_withheld());
        assert_eq!(published.suppressed.median_months, None);
    }

    #[test]
    fn the_median_of_nine_families_is_not() {
        let mut nine = twelve_families();
        nine.n = 9;
        nine.censored = 1;
        nine.table = vec![row(0, 9, 0, 0, 1.0), row(1, 9, 8, 1, 0.11)];
        let published = protect_duration(&nine, &default_policy()).unwrap();
        assert_eq!(published.median_months, None);
        assert_eq!(published.median_ci, [None, None]);
        assert_eq!(published.optimistic.median_months, None);
        assert_eq!(published.pessimistic.median_months, None);
        assert!(published.median_withheld());
        assert_eq!(published.suppressed.median_ci, Some(Primary));
        assert!(published.table.is_empty());
        assert_eq!(published.months_withheld(), 2);
    }

    #[test]
    fn the_counts_of_the_estimate_follow_the_frequency_rule() {
        let mut estimate = twelve_families();
        (estimate.events, estimate.censored, estimate.excluded) = (3, 9, 2);
        let published = protect_duration(&estimate, &default_policy()).unwrap();
        // 3 rehoused of 12 would be 12 − 9: the 9 goes too.
        assert_eq!(
            (
                published.n,
                published.events,
                published.censored,
                published.excluded
            ),
            (Some(12), None, None, None)
        );
        let s = published.suppressed;
        assert_eq!(
            (s.n, s.events, s.censored, s.excluded),
            (None, Some(Primary), Some(Secondary), Some(Primary))
        );
        assert_eq!(
            published.suppression_count(),
            SuppressionCount {
                primary: 2,
                secondary: 1
            }
        );
        // 5 and 7 of 12: nothing to hold back.
        (estimate.events, estimate.censored, estimate.excluded) = (5, 7, 0);
        let published = protect_duration(&estimate, &default_policy()).unwrap();
        assert_eq!(
            (
                published.n,
                published.events,
                published.censored,
                published.excluded
            ),
            (Some(12), Some(5), Some(7), Some(0))
        );
        assert_eq!(published.suppression_count(), SuppressionCount::default());
    }

    #[test]
    fn an_empty_estimate_has_nothing_to_hold_back() {
        let published = protect_duration(&DurationEstimate::default(), &default_policy()).unwrap();
        assert_eq!(published.n, Some(0));
        assert!(published.suppressed.is_empty());
        assert_eq!(
            serde_json::to_value(&published).unwrap()["suppressed"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn counts_that_do_not_add_up_are_refused() {
        let mut estimate = twelve_families();
        estimate.events = 20;
        assert!(protect_duration(&estimate, &default_policy()).is_err());
    }

    #[test]
    fn the_quickscan_estimate_as_published() {
        let cases = super::quickscan::quickscan_cases();
        let estimate = DurationEstimate::of_cases(&cases);
        let published = protect_duration(&estimate, &default_policy()).unwrap();
        // 22 families, none seen rehoused, 22 censored, none excluded: all shown.
        assert_eq!(
            (
                published.n,
                published.events,
                published.censored,
                published.excluded
            ),
            (Some(22), Some(0), Some(22), Some(0))
        );
        // At risk 22, 22, 21, 19, 17, 16, 14, 13, 11, 10 in months 0 to 9; 9 in month 10.
        let at_risk: Vec<u64> = published.table.iter().map(|r| r.at_risk).collect();
        assert_eq!(at_risk, [22, 22, 21, 19, 17, 16, 14, 13, 11, 10]);
        assert_eq!(published.months_withheld(), 16, "months 10 to 25");
        // Nobody seen rehoused: the median is not reached, and n = 22 lets that be said.
        assert_eq!(
            (published.median_months, published.median_ci),
            (None, [None, None])
        );
        assert!(!published.median_withheld());
        assert_eq!(published.optimistic.median_months, Some(15));
        assert_eq!(published.pessimistic.median_months, None);
        // Months 3 and 6 are published; 12 (7 at risk) and 24 (1) are not.
        assert_eq!(
            published.survival_at.by_month(),
            [(3, Some(1.0)), (6, Some(1.0)), (12, None), (24, None)]
        );
        assert_eq!(published.optimistic.survival_at.twelve_months, None);
        let json = serde_json::to_value(&published).unwrap();
        assert_eq!(
            json["suppressed"],
            serde_json::json!({"table_rows": 16, "survival_at": {"12": "primary", "24": "primary"}})
        );
        assert_eq!(published.suppression_count(), SuppressionCount::default());
    }
}

mod breakdowns {
    use super::*;
    use dakwacht_stats::disclosure::Suppression::{self, Primary, Secondary};
    use dakwacht_stats::disclosure::{
        Breakdown, BreakdownRow, PublishedBreakdown, SuppressionCount, protect_breakdown,
    };

    pub fn breakdown(by: &str, rows: &[(&str, u64)], total: u64) -> Breakdown {
        Breakdown {
            by: by.to_string(),
            rows: rows
                .iter()
                .map(|&(label, count)| BreakdownRow {
                    label: label.to_string(),
                    count,
                })
                .collect(),
            total,
            unknown: "onbekend".to_string(),
        }
    }

    type Row = (String, Option<u64>, Option<Suppression>);

    fn rows(published: &PublishedBreakdown) -> Vec<Row> {
        published
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.count, r.suppressed.count))
            .collect()
    }

    fn row(label: &str, count: Option<u64>, suppressed: Option<Suppression>) -> Row {
        (label.to_string(), count, suppressed)
    }

    fn protect(by: &str, given: &[(&str, u64)], total: u64) -> PublishedBreakdown {
        protect_breakdown(&breakdown(by, given, total), &default_policy()).unwrap()
    }

    #[test]
    fn small_rows_are_merged_into_one() {
        // 3 + 2 = 5 in "overige": it passes.
        let published = protect(
            "gemeente",
            &[
                ("Amsterdam", 12),
                ("Almere", 3),
                ("Haarlem", 2),
                ("Utrecht", 7),
            ],
            24,
        );
        assert_eq!(
            rows(&published),
            [
                row("Amsterdam", Some(12), None),
                row("Utrecht", Some(7), None),
                row("overige", Some(5), None),
            ]
        );
        assert!(published.rows[2].merged && !published.rows[0].merged);
        assert_eq!(published.total, Some(24));
        assert_eq!(published.suppression_count(), SuppressionCount::default());
    }

    #[test]
    fn rows_that_pass_are_kept_and_nothing_is_merged() {
        // A row of 0 passes the frequency rule.
        let published = protect(
            "kwartaal",
            &[("2025-1", 12), ("2025-2", 0), ("2025-3", 7)],
            19,
        );
        assert_eq!(
            rows(&published),
            [
                row("2025-1", Some(12), None),
                row("2025-2", Some(0), None),
                row("2025-3", Some(7), None),
            ]
        );
    }

    #[test]
    fn a_small_merged_row_is_suppressed_and_protected() {
        // "overige" holds 3: suppressed; 22 − 12 − 7 would give it, so the 7 goes too.
        let published = protect(
            "gemeente",
            &[("Amsterdam", 12), ("Almere", 3), ("Utrecht", 7)],
            22,
        );
        assert_eq!(
            rows(&published),
            [
                row("Amsterdam", Some(12), None),
                row("Utrecht", None, Some(Secondary)),
                row("overige", None, Some(Primary)),
            ]
        );
        assert_eq!(
            published.suppression_count(),
            SuppressionCount {
                primary: 1,
                secondary: 1
            }
        );
    }

    #[test]
    fn families_in_no_row_are_a_row_protected_like_the_others() {
        // 20 families without a municipality: shown, so the rows add up to the total.
        let published = protect("gemeente", &[("Amsterdam", 12), ("Utrecht", 7)], 39);
        assert_eq!(
            rows(&published),
            [
                row("Amsterdam", Some(12), None),
                row("Utrecht", Some(7), None),
                row("onbekend", Some(20), None),
            ]
        );
        assert!(!published.rows[2].merged);
        // 3: held back, and 22 − 12 − 7 would give it, so the 7 goes too.
        let published = protect("gemeente", &[("Amsterdam", 12), ("Utrecht", 7)], 22);
        assert_eq!(
            rows(&published),
            [
                row("Amsterdam", Some(12), None),
                row("Utrecht", None, Some(Secondary)),
                row("onbekend", None, Some(Primary)),
            ]
        );
        assert_eq!(published.total, Some(22));
        // None: no such row.
        let published = protect("gemeente", &[("Amsterdam", 12), ("Utrecht", 7)], 19);
        assert_eq!(published.rows.len(), 2);
    }

    #[test]
    fn a_small_total_is_suppressed() {
        let published = protect("gemeente", &[("Almere", 3)], 3);
        assert_eq!(rows(&published), [row("overige", None, Some(Primary))]);
        assert_eq!(published.total, None);
        assert_eq!(published.suppressed.total, Some(Primary));
        assert_eq!(
            serde_json::to_value(&published).unwrap(),
            serde_json::json!({"by": "gemeente", "rows": [{"label": "overige", "count": null,
                "merged": true, "suppressed": {"count": "primary"}}],
                "total": null, "suppressed": {"total": "primary"}})
        );
    }

    #[test]
    fn the_merged_row_has_the_policys_label() {
        let policy = policy_with(
            "merged_row_label = \"overige\"",
            "merged_row_label = \"overige gemeenten\"",
        )
        .unwrap();
        let published = protect_breakdown(
            &breakdown(
                "gemeente",
                &[("Amsterdam", 12), ("Almere", 3), ("Haarlem", 2)],
                17,
            ),
            &policy,
        )
        .unwrap();
        assert_eq!(published.rows[1].label, "overige gemeenten");
    }

    #[test]
    fn rows_beyond_the_total_are_refused() {
        let error = protect_breakdown(
            &breakdown("gemeente", &[("Amsterdam", 12)], 11),
            &default_policy(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("gemeente"), "{error}");
    }

    #[test]
    fn the_quickscan_by_municipality() {
        // Amsterdam 6; Almere 2, Den Haag 3, Eindhoven 2, Gooise Meren 1, Haarlem 2, Rotterdam 4,
        // Utrecht 2 merged into 16; 1 case without a municipality, held back in a row of its
        // own. 23 − 16 − 6 would be that 1 case, so Amsterdam's 6 goes.
        let cases = super::quickscan::quickscan_cases();
        let published = protect_breakdown(
            &super::quickscan::by_municipality(&cases),
            &default_policy(),
        )
        .unwrap();
        assert_eq!(
            rows(&published),
            [
                row("Amsterdam", None, Some(Secondary)),
                row("overige", Some(16), None),
                row("onbekend", None, Some(Primary)),
            ]
        );
        assert_eq!(published.total, Some(23));
    }
}

/// The signal counts: the frequency rule and the share rule, each count on its own.
mod signals {
    use super::default_policy;
    use dakwacht_stats::SignalCount;
    use dakwacht_stats::disclosure::{PublishedSignal, Suppression, protect_signals};

    fn one(cases: u64, of: u64) -> PublishedSignal {
        let signal = SignalCount {
            id: "no_court".to_string(),
            label: "Zonder rechter".to_string(),
            cases,
            of,
        };
        protect_signals(&[signal], &default_policy()).remove(0)
    }

    type Row = (
        Option<u64>,
        Option<u64>,
        Option<u64>,
        [Option<Suppression>; 3],
    );

    fn row(signal: &PublishedSignal) -> Row {
        let s = signal.suppressed;
        (
            signal.cases,
            signal.of,
            signal.whole_percent(),
            [s.numerator, s.denominator, s.percent],
        )
    }

    const P: Option<Suppression> = Some(Suppression::Primary);

    #[test]
    fn a_signal_of_one_to_four_families_is_suppressed_and_zero_is_shown() {
        assert_eq!(row(&one(3, 40)), (None, Some(40), None, [P, None, P]));
        assert_eq!(row(&one(0, 40)), (Some(0), Some(40), Some(0), [None; 3]));
        assert_eq!(row(&one(5, 40)), (Some(5), Some(40), Some(13), [None; 3]));
    }

    #[test]
    fn a_signal_over_fewer_than_ten_families_shows_its_denominator_alone() {
        assert_eq!(row(&one(0, 9)), (None, Some(9), None, [P, None, P]));
        assert_eq!(row(&one(5, 10)), (Some(5), Some(10), Some(50), [None; 3]));
    }

    #[test]
    fn a_signal_raised_by_nearly_everyone_is_suppressed_too() {
        // 38 of 40 would tell that 2 families do not raise it.
        assert_eq!(row(&one(38, 40)), (None, Some(40), None, [P, None, P]));
        // Printed `×`, not `<5`: the count itself is not small.
        assert!(!one(38, 40).cases_small);
        assert!(one(3, 40).cases_small);
        assert!(one(2, 3).of_small);
        assert_eq!(row(&one(35, 40)), (Some(35), Some(40), Some(88), [None; 3]));
    }

    #[test]
    fn a_handful_of_families_counted_hides_everything_and_none_has_no_percentage() {
        assert_eq!(row(&one(2, 3)), (None, None, None, [P, P, P]));
        assert_eq!(row(&one(0, 0)), (Some(0), Some(0), None, [None; 3]));
    }

    #[test]
    fn the_json_names_each_suppressed_part_and_the_summary_counts_them() {
        let json = serde_json::to_value(one(3, 40)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "no_court", "label": "Zonder rechter", "cases": null,
                "of": 40, "percent": null,
                "suppressed": {"numerator": "primary", "percent": "primary"}})
        );
        let json = serde_json::to_value(one(5, 40)).unwrap();
        assert_eq!(json["percent"], 12.5);
        assert!(json.get("suppressed").is_none(), "{json}");

        let policy = default_policy();
        let measures = dakwacht_stats::disclosure::protect_measures(&[], &[], &policy).unwrap();
        let summary = dakwacht_stats::disclosure::Summary::new(
            &policy,
            &measures,
            None,
            &[one(3, 40), one(2, 3), one(5, 40)],
            &[],
        );
        assert_eq!(summary.suppressed.primary, 5);
        assert_eq!(summary.suppressed.secondary, 0);
    }
}

/// The quickscan file (`spec/measures.md`, 23 cases) through the default policy.
mod quickscan {
    use super::*;
    use dakwacht_core::{Case, ChildFigures};
    use dakwacht_interchange::CaseReader;
    use dakwacht_stats::disclosure::Suppression::{self, Primary};
    use dakwacht_stats::disclosure::{PublishedMeasures, SuppressionCount, protect_measures};

    pub fn quickscan_cases() -> Vec<Case> {
        let text = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../cli/demo/quickscan-2025.csv"
        ))
        .unwrap();
        CaseReader::csv(&text[..])
            .unwrap()
            .unwrap()
            .map(|(_, row)| row.unwrap())
            .collect()
    }

    /// Cases per municipality, in alphabetical order; the cases without one in the total only.
    pub fn by_municipality(cases: &[Case]) -> dakwacht_stats::disclosure::Breakdown {
        let mut counts = std::collections::BTreeMap::<String, u64>::new();
        for case in cases {
            if let Some(municipality) = &case.municipality {
                *counts.entry(municipality.to_string()).or_default() += 1;
            }
        }
        let rows: Vec<(&str, u64)> = counts
            .iter()
            .map(|(name, &count)| (name.as_str(), count))
            .collect();
        super::breakdowns::breakdown("gemeente", &rows, cases.len() as u64)
    }

    pub fn published_measures() -> PublishedMeasures {
        let cases = quickscan_cases();
        protect_measures(
            &dakwacht_stats::quickscan(&cases),
            &dakwacht_stats::compute_children(&ChildFigures::of(&cases, &[])),
            &default_policy(),
        )
        .unwrap()
    }

    type Published = (
        &'static str,
        Option<u64>,
        Option<u64>,
        Option<f64>,
        [Option<Suppression>; 3],
    );

    const P: Option<Suppression> = Some(Primary);
    const SHOWN: [Option<Suppression>; 3] = [None; 3];
    /// Numerator and percentage suppressed, the denominator shown.
    const SHARE: [Option<Suppression>; 3] = [P, None, P];

    /// Worked out by hand from the published figures of `spec/measures.md`.
    const PUBLISHED: &[Published] = &[
        ("cases", Some(23), None, None, SHOWN),
        ("children", Some(28), None, None, SHOWN),
        // 4 children of unknown age.
        ("children.age_unknown", None, None, None, [P, None, None]),
        // Municipalities are not families.
        ("municipalities", Some(8), None, None, SHOWN),
        // 5 of 14 leaves 9.
        (
            "reason.corporation.rent_arrears",
            Some(5),
            Some(14),
            Some(35.71),
            SHOWN,
        ),
        // 3 of 14.
        ("reason.corporation.nuisance", None, Some(14), None, SHARE),
        // 4 of 6.
        (
            "reason.private.conflict_violence_arrears",
            None,
            Some(6),
            None,
            SHARE,
        ),
        ("route.no_court", Some(13), Some(22), Some(59.09), SHOWN),
        (
            "route.no_court.landlord_request",
            Some(6),
            Some(13),
            Some(46.15),
            SHOWN,
        ),
        // 4 of 10.
        ("legal.left_self.none", None, Some(10), None, SHARE),
        // 5 of 10 leaves 5.
        (
            "legal.left_self.unknown",
            Some(5),
            Some(10),
            Some(50.0),
            SHOWN,
        ),
        // 5 of 9: under 10.
        ("legal.court.none", None, Some(9), None, SHARE),
        // 19 of 23 leaves 4, and 4 of 23: the two suppressed cells of the group protect each
        // other (adequate housing is 0, nothing is uncovered).
        ("alternative.none", None, Some(23), None, SHARE),
        ("alternative.hotel_or_shelter", None, Some(23), None, SHARE),
        ("alternative.adequate", Some(0), Some(23), Some(0.0), SHOWN),
        (
            "after.no_alternative.social_network",
            Some(8),
            Some(18),
            Some(44.44),
            SHOWN,
        ),
        // 4 of 18.
        (
            "after.no_alternative.car_or_tent",
            None,
            Some(18),
            None,
            SHARE,
        ),
        // 22 of 22 leaves 0: 100% is shown.
        ("after.homeless", Some(22), Some(22), Some(100.0), SHOWN),
        ("duration.0_6", Some(8), Some(22), Some(36.36), SHOWN),
        ("duration.6_12", Some(7), Some(22), Some(31.82), SHOWN),
        ("duration.12_plus", Some(7), Some(22), Some(31.82), SHOWN),
        ("duration.over_6", Some(14), Some(22), Some(63.64), SHOWN),
        // 23 − 11 − 12 = 0 housed.
        ("current.homeless", Some(11), Some(23), Some(47.83), SHOWN),
        ("current.unknown", Some(12), Some(23), Some(52.17), SHOWN),
    ];

    /// No child records in the quickscan file: ages from `children_ages` only.
    const PUBLISHED_CHILDREN: &[Published] = &[
        ("child.records", Some(0), Some(28), Some(0.0), SHOWN),
        ("child.separated", Some(0), Some(0), None, SHOWN),
        ("child.separation_threatened", Some(0), Some(0), None, SHOWN),
        ("child.not_with_parents", Some(0), Some(0), None, SHOWN),
        ("child.school_disrupted", Some(0), Some(0), None, SHOWN),
        ("child.heard", Some(0), Some(0), None, SHOWN),
        (
            "child.best_interest_assessed",
            Some(0),
            Some(0),
            None,
            SHOWN,
        ),
        ("child.youth_care", Some(0), Some(0), None, SHOWN),
        ("child.age.0_3", Some(5), Some(24), Some(20.83), SHOWN),
        ("child.age.4_11", Some(14), Some(24), Some(58.33), SHOWN),
        ("child.age.12_17", Some(5), Some(24), Some(20.83), SHOWN),
    ];

    fn rows(measures: &[dakwacht_stats::disclosure::PublishedMeasure]) -> Vec<Published> {
        measures
            .iter()
            .map(|m| {
                let s = m.suppressed;
                (
                    m.id,
                    m.numerator,
                    m.denominator,
                    m.percent,
                    [s.numerator, s.denominator, s.percent],
                )
            })
            .collect()
    }

    #[test]
    fn the_quickscan_measures_as_published() {
        let published = published_measures();
        assert_eq!(rows(&published.measures), PUBLISHED);
        assert_eq!(rows(&published.child_measures), PUBLISHED_CHILDREN);
        // children.age_unknown, then numerator and percentage of seven shares.
        assert_eq!(
            published.suppression_count(),
            SuppressionCount {
                primary: 15,
                secondary: 0
            }
        );
    }

    #[test]
    fn the_quickscan_json_has_the_spec_shape() {
        let json = serde_json::to_value(published_measures()).unwrap();
        assert_eq!(
            json["measures"][12],
            serde_json::json!({"id": "alternative.none", "numerator": null, "denominator": 23,
                "percent": null, "suppressed": {"numerator": "primary", "percent": "primary"}})
        );
        assert_eq!(
            json["measures"][7],
            serde_json::json!({"id": "route.no_court", "numerator": 13, "denominator": 22,
                "percent": 59.09})
        );
        assert_eq!(
            json["measures"][0],
            serde_json::json!({"id": "cases", "numerator": 23, "denominator": null, "percent": null})
        );
    }

    #[test]
    fn the_published_whole_percents_are_the_reports() {
        let published = published_measures();
        let route = &published.measures[7];
        assert_eq!(route.whole_percent(), Some(59));
        assert_eq!(published.measures[12].whole_percent(), None);
    }
}

mod summary {
    use super::*;
    use dakwacht_core::{ChildFigures, Lang};
    use dakwacht_stats::Measure;
    use dakwacht_stats::disclosure::{
        Summary, protect_breakdown, protect_duration, protect_measures,
    };
    use dakwacht_stats::survival::DurationEstimate;

    fn summary_of(measures: &[Measure]) -> Summary {
        let policy = default_policy();
        let published = protect_measures(measures, &[], &policy).unwrap();
        Summary::new(&policy, &published, None, &[], &[])
    }

    fn share(id: &'static str, numerator: u64, denominator: u64) -> Measure {
        super::measures::measure(id, numerator, Some(denominator))
    }

    #[test]
    fn the_sentence_says_how_many_cells_and_why() {
        let version = default_policy().version().to_string();
        let none = summary_of(&[super::measures::measure("cases", 23, None)]);
        assert_eq!(
            none.note,
            format!(
                "Beschermd volgens beleid dakwacht-standaard (versie {version}): geen cellen onderdrukt."
            )
        );
        let one = summary_of(&[super::measures::measure("cases", 4, None)]);
        assert_eq!(
            one.note,
            format!(
                "Beschermd volgens beleid dakwacht-standaard (versie {version}): 1 cel onderdrukt (1 primair, 0 secundair)."
            )
        );
        // The 3 with its percentage, the 9 with its percentage.
        let four = summary_of(&[
            share("duration.0_6", 10, 22),
            share("duration.6_12", 3, 22),
            share("duration.12_plus", 9, 22),
        ]);
        assert_eq!(
            four.note,
            format!(
                "Beschermd volgens beleid dakwacht-standaard (versie {version}): 4 cellen onderdrukt (2 primair, 2 secundair)."
            )
        );
        assert_eq!(
            four.sentence(Lang::En),
            format!(
                "Protected under policy dakwacht-standaard (version {version}): 4 cells suppressed (2 primary, 2 secondary)."
            )
        );
    }

    #[test]
    fn the_sentence_says_what_the_survival_rule_left_out() {
        let policy = default_policy();
        let version = policy.version();
        let measures = protect_measures(&[], &[], &policy).unwrap();
        let estimate = DurationEstimate {
            n: 9,
            censored: 9,
            table: vec![dakwacht_stats::survival::SurvivalRow {
                month: 0,
                at_risk: 9,
                events: 0,
                censored: 9,
                survival: 1.0,
                ci_low: 1.0,
                ci_high: 1.0,
            }],
            ..DurationEstimate::default()
        };
        let duration = protect_duration(&estimate, &policy).unwrap();
        let summary = Summary::new(&policy, &measures, Some(&duration), &[], &[]);
        assert_eq!(
            summary.note,
            format!(
                "Beschermd volgens beleid dakwacht-standaard (versie {version}): geen cellen onderdrukt; 1 maand van de duurtabel niet gepubliceerd (minder dan 10 gezinnen); de mediane duur niet gepubliceerd (minder dan 10 gezinnen)."
            )
        );
        assert_eq!(
            summary.sentence(Lang::En),
            format!(
                "Protected under policy dakwacht-standaard (version {version}): no cells suppressed; 1 month of the duration table not published (fewer than 10 families); the median duration not published (fewer than 10 families)."
            )
        );
    }

    #[test]
    fn the_quickscan_publication_summed_up() {
        let policy = default_policy();
        let cases = super::quickscan::quickscan_cases();
        let measures = protect_measures(
            &dakwacht_stats::quickscan(&cases),
            &dakwacht_stats::compute_children(&ChildFigures::of(&cases, &[])),
            &policy,
        )
        .unwrap();
        let duration = protect_duration(&DurationEstimate::of_cases(&cases), &policy).unwrap();
        let breakdown =
            protect_breakdown(&super::quickscan::by_municipality(&cases), &policy).unwrap();
        let summary = Summary::new(&policy, &measures, Some(&duration), &[], &[breakdown]);
        // 15 primary in the measures and the 1 family without a municipality; Amsterdam's 6
        // secondary; months 10 to 25 of the table.
        assert_eq!(
            summary.note,
            format!(
                "Beschermd volgens beleid dakwacht-standaard (versie {}): 17 cellen onderdrukt (16 primair, 1 secundair); 16 maanden van de duurtabel niet gepubliceerd (minder dan 10 gezinnen).",
                policy.version()
            )
        );
        let json = serde_json::to_value(&summary).unwrap();
        assert_eq!(json["name"], "dakwacht-standaard");
        assert_eq!(json["version"], policy.version());
        assert_eq!(json["frequency"]["smallest_published_count"], 5);
        assert_eq!(json["share"]["minimum_denominator"], 10);
        assert_eq!(json["breakdown"]["merged_row_label"], "overige");
        assert_eq!(
            json["suppressed"],
            serde_json::json!({"primary": 16, "secondary": 1})
        );
        assert_eq!(json["survival_months_withheld"], 16);
        assert_eq!(json["median_withheld"], false);
        assert_eq!(json["note"], summary.note.as_str());
    }
}

/// Checks that hold for any figures: the properties of issue 17.2.
mod properties {
    use super::*;
    use dakwacht_stats::Measure;
    use dakwacht_stats::disclosure::{
        Cell, Group, MEASURE_GROUPS, NOT_FAMILIES_OR_CHILDREN, PublishedMeasure, Suppression,
        protect_breakdown, protect_duration, protect_measures, suppress_secondary,
    };
    use dakwacht_stats::survival::{Contribution, DurationEstimate, Observation};
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

    /// The quickscan and child measures of a made-up selection: every share over a denominator
    /// that fits the others (a group's measures share theirs, the route measures nest), so that
    /// they could come from one set of cases.
    fn random_measures(numbers: &[u64]) -> (Vec<Measure>, Vec<Measure>) {
        let mut e = Entropy { numbers, next: 0 };
        // `parts` disjoint counts within `total`; with `cover`, the last takes what is left.
        fn split(e: &mut Entropy, total: u64, parts: usize, cover: bool) -> Vec<u64> {
            let mut left = total;
            let mut values: Vec<u64> = (0..parts)
                .map(|_| {
                    let value = e.count().min(left);
                    left -= value;
                    value
                })
                .collect();
            if (cover || e.chance(30))
                && let Some(last) = values.last_mut()
            {
                *last += left;
            }
            values
        }
        let mut measures = Vec::new();
        let mut push = |id: &'static str, numerator: u64, denominator: Option<u64>| {
            measures.push(Measure {
                id,
                numerator,
                denominator,
            })
        };
        let cases = e.count() * (1 + e.below(3));
        let children = e.count() * (1 + e.below(2));
        let age_unknown = e.count().min(children);
        push("cases", cases, None);
        push("children", children, None);
        push("children.age_unknown", age_unknown, None);
        push("municipalities", e.below(12), None);
        let corporation = e.count();
        let reasons = split(&mut e, corporation, 2, false);
        push(
            "reason.corporation.rent_arrears",
            reasons[0],
            Some(corporation),
        );
        push("reason.corporation.nuisance", reasons[1], Some(corporation));
        let private = e.count();
        let conflict = e.count().min(private);
        push(
            "reason.private.conflict_violence_arrears",
            conflict,
            Some(private),
        );
        let route_known = e.count() * (1 + e.below(2));
        let no_court = split(&mut e, route_known, 1, false)[0];
        push("route.no_court", no_court, Some(route_known));
        let on_request = split(&mut e, no_court, 1, false)[0];
        push(
            "route.no_court.landlord_request",
            on_request,
            Some(no_court),
        );
        let left_self = on_request + split(&mut e, no_court - on_request, 1, false)[0];
        let legal = split(&mut e, left_self, 2, false);
        push("legal.left_self.none", legal[0], Some(left_self));
        push("legal.left_self.unknown", legal[1], Some(left_self));
        let court = route_known - no_court;
        push(
            "legal.court.none",
            split(&mut e, court, 1, false)[0],
            Some(court),
        );
        let alternative_known = e.count() * (1 + e.below(2));
        let alternatives = split(&mut e, alternative_known, 3, false);
        push("alternative.none", alternatives[0], Some(alternative_known));
        push(
            "alternative.hotel_or_shelter",
            alternatives[1],
            Some(alternative_known),
        );
        push(
            "alternative.adequate",
            alternatives[2],
            Some(alternative_known),
        );
        let after_known = split(&mut e, alternatives[0], 1, false)[0];
        let after = split(&mut e, after_known, 2, false);
        push(
            "after.no_alternative.social_network",
            after[0],
            Some(after_known),
        );
        push(
            "after.no_alternative.car_or_tent",
            after[1],
            Some(after_known),
        );
        let situation_known = e.count();
        let homeless = split(&mut e, situation_known, 1, false)[0];
        push("after.homeless", homeless, Some(situation_known));
        let duration_known = e.count() * (1 + e.below(2));
        let bands = split(&mut e, duration_known, 3, true);
        push("duration.0_6", bands[0], Some(duration_known));
        push("duration.6_12", bands[1], Some(duration_known));
        push("duration.12_plus", bands[2], Some(duration_known));
        push("duration.over_6", bands[1] + bands[2], Some(duration_known));
        let current = split(&mut e, cases, 2, false);
        push("current.homeless", current[0], Some(cases));
        push("current.unknown", current[1], Some(cases));

        let mut child_measures = Vec::new();
        let mut push = |id: &'static str, numerator: u64, denominator: u64| {
            child_measures.push(Measure {
                id,
                numerator,
                denominator: Some(denominator),
            })
        };
        push(
            "child.records",
            split(&mut e, children, 1, false)[0],
            children,
        );
        let separated_known = e.count();
        let separated = split(&mut e, separated_known, 2, false);
        push("child.separated", separated[0], separated_known);
        push("child.separation_threatened", separated[1], separated_known);
        for id in [
            "child.not_with_parents",
            "child.school_disrupted",
            "child.heard",
            "child.best_interest_assessed",
            "child.youth_care",
        ] {
            let known = e.count();
            push(id, split(&mut e, known, 1, false)[0], known);
        }
        let ages = split(&mut e, children - age_unknown, 3, true);
        push("child.age.0_3", ages[0], children - age_unknown);
        push("child.age.4_11", ages[1], children - age_unknown);
        push("child.age.12_17", ages[2], children - age_unknown);
        (measures, child_measures)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn published_measures_keep_every_rule(numbers in entropy()) {
            let policy = default_policy();
            let (measures, child_measures) = random_measures(&numbers);
            let published = protect_measures(&measures, &child_measures, &policy).unwrap();
            let given: Vec<&Measure> = measures.iter().chain(&child_measures).collect();
            let out: Vec<&PublishedMeasure> =
                published.measures.iter().chain(&published.child_measures).collect();
            prop_assert_eq!(given.len(), out.len());
            for (given, out) in given.iter().zip(&out) {
                prop_assert_eq!(given.id, out.id);
                // (a) no published count of families or children from 1 to 4.
                if !NOT_FAMILIES_OR_CHILDREN.contains(&given.id) {
                    for figure in [out.numerator, out.denominator].into_iter().flatten() {
                        prop_assert!(policy.publishes_count(figure), "{} shows {}", out.id, figure);
                    }
                }
                // (d) a published share: its denominator at least 10, numerator and rest
                // published by the frequency rule.
                if out.percent.is_some() {
                    let (numerator, denominator) = (out.numerator.unwrap(), out.denominator.unwrap());
                    prop_assert!(denominator >= policy.minimum_denominator(), "{}", out.id);
                    prop_assert!(policy.publishes_share(numerator, denominator), "{}", out.id);
                }
                // What is shown is what was given; what is not is said why.
                prop_assert!(out.numerator.is_none_or(|n| n == given.numerator));
                prop_assert!(out.denominator.is_none_or(|d| Some(d) == given.denominator));
                prop_assert_eq!(out.numerator.is_none(), out.suppressed.numerator.is_some());
                if let Some(d) = given.denominator {
                    prop_assert_eq!(out.denominator.is_none(), out.suppressed.denominator.is_some());
                    prop_assert_eq!(out.percent.is_none() && d > 0, out.suppressed.percent.is_some());
                }
                // A suppressed percentage does not follow from a numerator and a denominator.
                if out.suppressed.percent.is_some() {
                    prop_assert!(out.numerator.is_none() || out.denominator.is_none(), "{}", out.id);
                }
            }
            // (b) in every group, no hidden cell follows from the total minus the published
            // cells.
            let by_id = |id: &str| given.iter().zip(&out).find(|(g, _)| g.id == id);
            for group in MEASURE_GROUPS {
                let members: Vec<_> = group.parts.iter().filter_map(|id| by_id(id)).collect();
                let Some(total) = members[0].1.denominator else {
                    if let Some(count) = group.total_count.and_then(by_id) {
                        prop_assert_eq!(count.1.numerator, None, "{} shown", count.0.id);
                    }
                    continue;
                };
                let mut cells: Vec<Cell> = members
                    .iter()
                    .map(|(given, out)| Cell { value: given.numerator, suppressed: out.suppressed.numerator })
                    .collect();
                cells.push(Cell::published(total));
                let group = Group {
                    name: group.name.into(),
                    total: members.len(),
                    parts: (0..members.len()).collect(),
                };
                prop_assert_eq!(worked_out(&cells, &group, &policy), None);
            }
        }

        #[test]
        fn the_same_measures_are_published_the_same_way(numbers in entropy()) {
            let policy = default_policy();
            let (measures, child_measures) = random_measures(&numbers);
            let once = protect_measures(&measures, &child_measures, &policy).unwrap();
            let twice = protect_measures(&measures, &child_measures, &policy).unwrap();
            prop_assert_eq!(
                serde_json::to_string(&once).unwrap(),
                serde_json::to_string(&twice).unwrap()
            );
        }
    }

    /// A survival estimate of made-up families: months, rehoused or not, and lost from view (the
    /// bounds differ) or not.
    fn random_estimate(numbers: &[u64]) -> DurationEstimate {
        let mut e = Entropy { numbers, next: 0 };
        let families = e.below(60);
        let contributions: Vec<(Contribution, u64)> = (0..families)
            .map(|_| {
                let months = e.below(30) as u32;
                let event = e.chance(40);
                let main = Observation { months, event };
                let contribution = if e.chance(10) {
                    Contribution::Excluded
                } else if !event && e.chance(30) {
                    Contribution::Counted {
                        main,
                        optimistic: Observation {
                            months,
                            event: true,
                        },
                        pessimistic: Observation {
                            months: months + e.below(12) as u32,
                            event: false,
                        },
                    }
                } else {
                    Contribution::Counted {
                        main,
                        optimistic: main,
                        pessimistic: main,
                    }
                };
                (contribution, 1 + e.below(2))
            })
            .collect();
        DurationEstimate::from_contributions(contributions)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn a_published_estimate_keeps_every_rule(numbers in entropy()) {
            let policy = default_policy();
            let estimate = random_estimate(&numbers);
            let published = protect_duration(&estimate, &policy).unwrap();
            for row in &published.table {
                prop_assert!(row.at_risk >= policy.minimum_at_risk());
            }
            prop_assert_eq!(
                published.table.len() as u64 + published.months_withheld(),
                estimate.table.len() as u64
            );
            if estimate.n < policy.minimum_families_for_median() {
                prop_assert_eq!(published.median_months, None);
                prop_assert_eq!(published.median_ci, [None, None]);
                prop_assert_eq!(published.optimistic.median_months, None);
                prop_assert_eq!(published.pessimistic.median_months, None);
            } else {
                prop_assert_eq!(published.median_months, estimate.median_months);
            }
            for at in [published.survival_at, published.optimistic.survival_at, published.pessimistic.survival_at] {
                for (month, value) in at.by_month() {
                    if value.is_some() {
                        let row = published.table.iter().find(|r| r.month == month);
                        prop_assert!(row.is_some(), "survival at {} without its row", month);
                    }
                }
            }
            // (a) no published count from 1 to 4; (b) rehoused and not, over n.
            for count in [published.n, published.events, published.censored, published.excluded].into_iter().flatten() {
                prop_assert!(policy.publishes_count(count));
            }
            let s = published.suppressed;
            let cells = [
                Cell { value: estimate.n, suppressed: s.n },
                Cell { value: estimate.events, suppressed: s.events },
                Cell { value: estimate.censored, suppressed: s.censored },
            ];
            let group = Group { name: "rehoused and not".into(), total: 0, parts: vec![1, 2] };
            prop_assert_eq!(worked_out(&cells, &group, &policy), None);
            // (c) deterministic.
            let again = protect_duration(&estimate, &policy).unwrap();
            prop_assert_eq!(
                serde_json::to_string(&published).unwrap(),
                serde_json::to_string(&again).unwrap()
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn a_published_breakdown_keeps_every_rule(numbers in entropy()) {
            let policy = default_policy();
            let mut e = Entropy { numbers: &numbers, next: 0 };
            let labels = ["Almere", "Amsterdam", "Den Haag", "Eindhoven", "Haarlem", "Utrecht"];
            let given: Vec<(&str, u64)> = labels[..e.below(7) as usize]
                .iter()
                .map(|&label| (label, e.count()))
                .collect();
            let total = given.iter().map(|(_, count)| count).sum::<u64>()
                + if e.chance(50) { e.count() } else { 0 };
            let breakdown = super::breakdowns::breakdown("gemeente", &given, total);
            let published = protect_breakdown(&breakdown, &policy).unwrap();
            // (a) no published count from 1 to 4.
            for count in published.rows.iter().filter_map(|r| r.count).chain(published.total) {
                prop_assert!(policy.publishes_count(count));
            }
            // Every row that passes is kept, in order; the rest are in the merged row.
            let kept: Vec<&str> = given
                .iter()
                .filter(|(_, count)| policy.publishes_count(*count))
                .map(|(label, _)| *label)
                .collect();
            let merged: u64 = given
                .iter()
                .filter(|(_, count)| !policy.publishes_count(*count))
                .map(|(_, count)| count)
                .sum();
            let mut values: Vec<u64> = given
                .iter()
                .filter(|(_, count)| policy.publishes_count(*count))
                .map(|(_, count)| *count)
                .collect();
            let labels: Vec<&str> = published.rows.iter().map(|r| r.label.as_str()).collect();
            prop_assert_eq!(&labels[..kept.len()], &kept[..]);
            let mut expected_rows = kept.len();
            if kept.len() < given.len() {
                prop_assert!(published.rows[kept.len()].merged);
                values.push(merged);
                expected_rows += 1;
            }
            // The families in no row are a row of their own, after the others.
            let uncovered = total - given.iter().map(|(_, count)| count).sum::<u64>();
            if uncovered > 0 {
                prop_assert_eq!(labels.last().copied(), Some("onbekend"));
                values.push(uncovered);
                expected_rows += 1;
            }
            prop_assert_eq!(labels.len(), expected_rows);
            // (b) no hidden row follows from the total minus the published rows.
            let mut cells: Vec<Cell> = values
                .iter()
                .zip(&published.rows)
                .map(|(&value, row)| Cell { value, suppressed: row.suppressed.count })
                .collect();
            cells.push(Cell { value: total, suppressed: published.suppressed.total });
            let group = Group { name: "breakdown".into(), total: values.len(), parts: (0..values.len()).collect() };
            prop_assert_eq!(worked_out(&cells, &group, &policy), None);
            // (c) deterministic.
            prop_assert_eq!(&protect_breakdown(&breakdown, &policy).unwrap(), &published);
        }
    }
}

/// Properties of the signal counts as published: no count from 1 to 4, no percentage over a
/// small denominator or with a small rest, and the same output twice.
mod signal_properties {
    use super::default_policy;
    use dakwacht_stats::SignalCount;
    use dakwacht_stats::disclosure::protect_signals;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn published_signals_keep_every_rule(counts in proptest::collection::vec((0u64..40, 0u64..40), 1..20)) {
            let policy = default_policy();
            let signals: Vec<SignalCount> = counts
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| SignalCount {
                    id: format!("rule{i}"),
                    label: format!("Regel {i}"),
                    cases: a.min(b),
                    of: a.max(b),
                })
                .collect();
            let published = protect_signals(&signals, &policy);
            for (shown, counted) in published.iter().zip(&signals) {
                for count in [shown.cases, shown.of].into_iter().flatten() {
                    prop_assert!(policy.publishes_count(count), "{:?}", shown);
                }
                if shown.percent.is_some() {
                    prop_assert!(counted.of >= policy.minimum_denominator());
                    prop_assert!(policy.publishes_count(counted.of - counted.cases));
                    prop_assert!(shown.cases.is_some() && shown.of.is_some());
                }
                // Nothing held back without a reason, nothing shown that is not the count.
                prop_assert_eq!(shown.cases.is_none(), shown.suppressed.numerator.is_some());
                prop_assert_eq!(shown.of.is_none(), shown.suppressed.denominator.is_some());
                if let Some(cases) = shown.cases {
                    prop_assert_eq!(cases, counted.cases);
                }
            }
            prop_assert_eq!(
                serde_json::to_string(&published).unwrap(),
                serde_json::to_string(&protect_signals(&signals, &policy)).unwrap()
            );
        }
    }
}
