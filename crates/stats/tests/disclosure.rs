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
