#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The shipped rules: every rule fires on a case that should raise it and stays silent on a
//! near-identical case that should not; the quickscan file gives the published signal counts.

use std::collections::BTreeMap;

use dakwacht_core::Case;
use dakwacht_interchange::CaseReader;
use dakwacht_rules::{RuleSet, Severity, facts_groups};

/// A family that lost its home through the court, with a lawyer, and was rehoused adequately:
/// none of the rules should fire.
const BASE: &[(&str, &str)] = &[
    ("case_ref", "T-1"),
    ("organisation", "Testorganisatie"),
    ("reported_on", "2025-04-01"),
    ("municipality", "Utrecht"),
    ("household", "two_parents"),
    ("children_count", "2"),
    ("children_ages", "4;9"),
    ("tenancy", "corporation"),
    ("home_lost_on", "2025-01-10"),
    ("route", "court_eviction"),
    ("main_reason", "rent_arrears"),
    ("legal_support", "lawyer"),
    ("default_judgment", "no"),
    ("alternative_offered", "adequate_housing"),
    ("situation_after", "housed"),
    ("current_situation", "housed"),
    ("rehoused_on", "2025-01-10"),
    ("child_heard", "yes"),
    ("best_interest_weighed", "yes"),
    ("family_separated", "no"),
    ("shelter_refused_no_binding", "no"),
    ("school_disrupted", "no"),
];

/// The base case with some columns changed (an empty value clears a column).
fn case(changes: &[(&str, &str)]) -> Case {
    let mut columns: BTreeMap<&str, &str> = BASE.iter().copied().collect();
    for (column, value) in changes {
        columns.insert(column, value);
    }
    let header: Vec<&str> = columns.keys().copied().collect();
    let row: Vec<&str> = columns.values().copied().collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let mut reader = CaseReader::csv(text.as_bytes()).unwrap().unwrap();
    let (_, parsed) = reader.next().unwrap();
    parsed.unwrap_or_else(|errors| panic!("test case {changes:?} is invalid: {errors:?}"))
}

/// Columns to change in the base case.
type Changes<'a> = Vec<(&'a str, &'a str)>;

fn raised(rules: &RuleSet, case: &Case) -> Vec<(String, Severity)> {
    let evaluation = rules.evaluator().case(case);
    assert!(evaluation.problems.is_empty(), "{:?}", evaluation.problems);
    evaluation
        .signals
        .iter()
        .map(|s| (s.rule.id.clone(), s.severity))
        .collect()
}

fn rules() -> RuleSet {
    RuleSet::built_in().unwrap()
}

#[test]
fn the_shipped_file_holds_the_thirteen_rules_of_the_framework() {
    let rules = rules();
    let ids: Vec<&str> = rules.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "removed_without_court",
            "left_without_court",
            "no_legal_support",
            "default_judgment",
            "no_adequate_rehousing",
            "homeless_after_loss",
            "family_separation",
            "child_not_heard",
            "best_interest_not_weighed",
            "shelter_refused_no_binding",
            "school_disrupted",
            "long_homelessness",
            "out_of_view",
        ]
    );
    for rule in &rules.rules {
        assert!(!rule.sources.is_empty(), "{} cites nothing", rule.id);
        assert!(
            !rule.next_steps.nl.is_empty(),
            "{} has no next steps",
            rule.id
        );
    }
    let removed = rules.rule("removed_without_court").unwrap();
    let citations: Vec<String> = removed.sources.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        citations,
        [
            "Burgerlijk Wetboek art. 7:231 lid 1",
            "Wetboek van Burgerlijke Rechtsvordering art. 555",
            "Burgerlijk Wetboek art. 7:269"
        ]
    );
}

#[test]
fn the_base_case_raises_nothing() {
    assert_eq!(raised(&rules(), &case(&[])), []);
}

/// For each rule: changes that raise it, and near-identical changes that do not.
#[test]
fn every_rule_fires_on_its_case_and_not_on_the_near_identical_one() {
    let rules = rules();
    let no_court = [("default_judgment", "")];
    let homeless = [
        ("situation_after", "car"),
        ("current_situation", "car"),
        ("rehoused_on", ""),
    ];
    #[rustfmt::skip]
    let pairs: Vec<(&str, Changes, Changes)> = vec![
        ("removed_without_court",
            [&no_court[..], &[("route", "removed_without_court")]].concat(),
            [&no_court[..], &[("route", "left_other")]].concat()),
        ("left_without_court",
            [&no_court[..], &[("route", "left_on_landlord_request")]].concat(),
            [&no_court[..], &[("route", "left_other")]].concat()),
        ("no_legal_support", vec![("legal_support", "none")], vec![("legal_support", "other_legal_help")]),
        ("default_judgment", vec![("default_judgment", "yes")], vec![("default_judgment", "unknown")]),
        ("no_adequate_rehousing", vec![("alternative_offered", "hotel")], vec![("alternative_offered", "unknown")]),
        ("homeless_after_loss",
            vec![("situation_after", "social_network"), ("rehoused_on", "2025-02-01")],
            vec![("situation_after", "housed"), ("rehoused_on", "2025-02-01")]),
        ("family_separation", vec![("family_separated", "threatened")], vec![("family_separated", "no")]),
        ("child_not_heard", vec![("child_heard", "no")], vec![("child_heard", "unknown")]),
        ("best_interest_not_weighed", vec![("best_interest_weighed", "no")], vec![("best_interest_weighed", "unknown")]),
        ("shelter_refused_no_binding", vec![("shelter_refused_no_binding", "yes")], vec![("shelter_refused_no_binding", "unknown")]),
        ("school_disrupted", vec![("school_disrupted", "yes")], vec![("school_disrupted", "no")]),
        ("long_homelessness",
            [&homeless[..], &[("home_lost_on", "2024-10-01")]].concat(),
            [&homeless[..], &[("home_lost_on", "2024-10-02")]].concat()),
        ("out_of_view",
            vec![("current_situation", ""), ("rehoused_on", "")],
            vec![("current_situation", ""), ("rehoused_on", "2025-03-01")]),
    ];
    assert_eq!(pairs.len(), rules.rules.len(), "a rule without a test pair");
    for (id, raising, not_raising) in pairs {
        let on = raised(&rules, &case(&raising));
        assert!(
            on.iter().any(|(raised, _)| raised == id),
            "{id} not raised by {raising:?}: {on:?}"
        );
        let off = raised(&rules, &case(&not_raising));
        assert!(
            !off.iter().any(|(raised, _)| raised == id),
            "{id} raised by {not_raising:?}"
        );
    }
}

#[test]
fn family_separation_also_fires_when_only_the_children_get_a_place() {
    let on = raised(&rules(), &case(&[("alternative_offered", "children_only")]));
    assert!(on.contains(&("family_separation".to_string(), Severity::High)));
}

#[test]
fn long_homelessness_is_medium_from_six_months_and_high_from_twelve() {
    let rules = rules();
    let homeless = |lost: &'static str| {
        case(&[
            ("situation_after", "car"),
            ("current_situation", "car"),
            ("rehoused_on", ""),
            ("home_lost_on", lost),
        ])
    };
    let severity = |case: &Case| {
        raised(&rules, case)
            .into_iter()
            .find(|(id, _)| id == "long_homelessness")
            .map(|(_, severity)| severity)
    };
    assert_eq!(severity(&homeless("2024-10-01")), Some(Severity::Medium)); // 6 months
    assert_eq!(severity(&homeless("2024-04-02")), Some(Severity::Medium)); // 11 months
    assert_eq!(severity(&homeless("2024-04-01")), Some(Severity::High)); // 12 months
    assert_eq!(severity(&homeless("2024-10")), Some(Severity::Medium)); // month only
}

#[test]
fn every_signal_records_the_rules_version() {
    let rules = rules();
    let evaluation = rules.evaluator().case(&case(&[("child_heard", "no")]));
    assert_eq!(evaluation.signals.len(), 1);
    assert_eq!(evaluation.signals[0].rules_version, rules.version);
    assert!(!rules.version.is_empty());
}

/// The published signal counts of the quickscan file (issue 3).
#[test]
fn the_quickscan_file_gives_the_published_signal_counts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/demo/quickscan-2025.csv"
    );
    let bytes = std::fs::read(path).unwrap();
    let cases: Vec<Case> = CaseReader::csv(&bytes[..])
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    assert_eq!(cases.len(), 23);
    let rules = rules();
    let tally = rules.evaluator().tally(&facts_groups(&cases, &rules));
    assert_eq!(tally.of, 23);
    assert!(tally.problems.is_empty(), "{:?}", tally.problems);
    let counts: BTreeMap<&str, u64> = tally
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.cases))
        .collect();
    // The published counts, as the command line's tests read them too.
    let published = include_str!("../../cli/demo/quickscan-2025-signals.csv");
    for (id, expected) in published.lines().skip(1).filter_map(|l| l.split_once(',')) {
        assert_eq!(counts[id].to_string(), expected, "{id}");
    }
    assert_eq!(counts.len(), 13, "one entry per rule, zeros included");

    // Finding the cases of one rule (the case list's signal filter) agrees with evaluating
    // every case in full.
    let evaluator = rules.evaluator();
    for rule in &rules.rules {
        let mut matcher = evaluator.matcher(rule);
        for case in &cases {
            let full = evaluator
                .case(case)
                .signals
                .iter()
                .any(|s| s.rule.id == rule.id);
            assert_eq!(
                matcher.raised_by(case),
                full,
                "{} on {}",
                rule.id,
                case.case_ref.as_str()
            );
        }
    }
    for rule in &tally.rules {
        assert_eq!(rule.of, 23);
    }

    // The tally over grouped facts agrees with evaluating case by case.
    let evaluator = rules.evaluator();
    for rule in &tally.rules {
        let one_by_one = cases
            .iter()
            .filter(|c| {
                evaluator
                    .case(c)
                    .signals
                    .iter()
                    .any(|s| s.rule.id == rule.id)
            })
            .count() as u64;
        assert_eq!(one_by_one, rule.cases, "{}", rule.id);
    }
}
