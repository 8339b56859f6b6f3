#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The duration estimate (publication spec §1) against reference values computed once with Python
//! `lifelines` (`scripts/survival-reference.py`), each case's contribution by hand, and the JSON
//! shape of the report.

use std::path::Path;

use dakwacht_core::codes::LivingSituation::{self, *};
use dakwacht_core::date::parse_date;
use dakwacht_core::{Case, CaseRef, DateOrMonth, LastSeen, OrganisationName};
use dakwacht_stats::survival::{Contribution, DurationEstimate, KaplanMeier, Observation};
use serde_json::Value;

const TOLERANCE: f64 = 1e-6;

/// Every data set the script writes; a missing fixture is a failure, not a skipped check.
const FIXTURES: &[&str] = &[
    "ties",
    "censored_with_events",
    "rehoused_in_month_zero",
    "median_not_reached",
    "everyone_rehoused",
    "generated",
    "exactly_half",
    "exactly_half_in_lifelines",
    "nobody_rehoused",
    "one_family",
];

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/survival/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn observations(fixture: &Value) -> Vec<Observation> {
    fixture["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| Observation {
            months: case[0].as_u64().unwrap().try_into().unwrap(),
            event: case[1].as_u64().unwrap() == 1,
        })
        .collect()
}

fn assert_close(name: &str, what: &str, got: &Value, want: &Value) {
    match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= TOLERANCE,
            "{name}: {what} is {g}, lifelines {w}"
        ),
        _ => assert_eq!(got, want, "{name}: {what}"),
    }
}

/// The report's figures against the fixture's: counts and months exactly, shares to 6 decimals.
fn assert_matches_reference(name: &str, report: &DurationEstimate, reference: &Value) {
    let got = serde_json::to_value(report).unwrap();
    for key in ["n", "events", "censored", "median_months", "median_ci"] {
        assert_eq!(got[key], reference[key], "{name}: {key}");
    }
    for months in ["3", "6", "12", "24"] {
        assert_close(
            name,
            &format!("survival at {months}"),
            &got["survival_at"][months],
            &reference["survival_at"][months],
        );
    }
    let (rows, reference_rows) = (
        got["table"].as_array().unwrap(),
        reference["table"].as_array().unwrap(),
    );
    assert_eq!(rows.len(), reference_rows.len(), "{name}: table rows");
    for (row, want) in rows.iter().zip(reference_rows) {
        let month = &want["month"];
        for key in ["month", "at_risk", "events", "censored"] {
            assert_eq!(row[key], want[key], "{name}: {key} in month {month}");
        }
        for key in ["survival", "ci_low", "ci_high"] {
            assert_close(
                name,
                &format!("{key} in month {month}"),
                &row[key],
                &want[key],
            );
        }
    }
}

#[test]
fn the_estimate_agrees_with_lifelines() {
    for name in FIXTURES {
        let reference = fixture(name);
        let cases = observations(&reference);
        // One contribution per case, as cases held in memory give them.
        let one_by_one = DurationEstimate::from_contributions(cases.iter().map(|&o| {
            (
                Contribution::Counted {
                    main: o,
                    optimistic: o,
                    pessimistic: o,
                },
                1,
            )
        }));
        assert_matches_reference(name, &one_by_one, &reference);

        // Grouped and counted, as a store hands them over.
        let mut grouped = std::collections::BTreeMap::<Observation, u64>::new();
        for &o in &cases {
            *grouped.entry(o).or_default() += 1;
        }
        let km = KaplanMeier::from_counts(grouped);
        assert_eq!(km.table(), one_by_one.table, "{name}: grouped");
        assert_eq!(km.median_months(), one_by_one.median_months);
        assert_eq!(km.median_ci(), one_by_one.median_ci);
        assert_eq!(km.survival_at_milestones(), one_by_one.survival_at);
        assert_eq!(
            km.survival_at_milestones(),
            one_by_one.optimistic.survival_at
        );
    }
}

#[test]
fn a_survival_of_exactly_one_half_is_the_median() {
    // 8/10 · 6/8 · 5/6 multiplied in binary floating point overshoots one half by an ulp; the spec
    // counts one half as reached all the same.
    let reference = fixture("exactly_half");
    let km = KaplanMeier::from_counts(observations(&reference).into_iter().map(|o| (o, 1)));
    let survival = km.survival_at(4).unwrap();
    assert!(survival > 0.5 && survival - 0.5 < 1e-15, "{survival}");
    assert_eq!(km.median_months(), Some(4));
    assert_eq!(reference["median_months"], 4);

    // lifelines overshoots 4/6 · 3/4 and its own median skips to month 6; the fixture's is the spec's.
    let reference = fixture("exactly_half_in_lifelines");
    assert_eq!(reference["lifelines"]["median_survival_time"], 6);
    assert_eq!(reference["median_months"], 3);
    let km = KaplanMeier::from_counts(observations(&reference).into_iter().map(|o| (o, 1)));
    assert_eq!(km.median_months(), Some(3));
}

fn case(lost: &str, after: LivingSituation) -> Case {
    let mut c = Case::new(
        CaseRef::parse("R").unwrap(),
        OrganisationName::parse("O").unwrap(),
        parse_date("2025-04-15").unwrap(),
        1,
    );
    c.home_lost_on = DateOrMonth::parse(lost);
    c.situation_after = Some(after);
    c
}

fn seen(on: &str, situation: LivingSituation) -> Option<LastSeen> {
    Some(LastSeen {
        on: parse_date(on).unwrap(),
        situation,
    })
}

fn same(main: Observation) -> Contribution {
    Contribution::Counted {
        main,
        optimistic: main,
        pessimistic: main,
    }
}

#[test]
fn a_rehoused_family_is_an_event() {
    let mut c = case("2024-01-20", Car);
    c.rehoused_on = parse_date("2024-07-19");
    c.current_situation = Some(Housed);
    assert_eq!(Contribution::of(&c), same(Observation::rehoused(5)));
    // Out of view since the rehousing: the end is still known.
    c.current_situation = None;
    assert_eq!(Contribution::of(&c), same(Observation::rehoused(5)));
}

#[test]
fn a_family_still_homeless_is_censored_at_the_report() {
    let mut c = case("2024-04-15", Car);
    c.current_situation = Some(FamilyShelter);
    c.last_seen = seen("2024-10-01", Car);
    assert_eq!(Contribution::of(&c), same(Observation::still_homeless(12)));
}

#[test]
fn a_family_lost_from_view_gives_three_observations() {
    let mut c = case("2024-03", SocialNetwork);
    c.last_seen = seen("2024-11-17", SocialNetwork);
    assert_eq!(
        Contribution::of(&c),
        Contribution::Counted {
            main: Observation::still_homeless(8),
            optimistic: Observation::rehoused(8),
            // From 2024-03 to the report on 2025-04-15.
            pessimistic: Observation::still_homeless(13),
        }
    );
}

#[test]
fn a_family_housed_without_a_rehousing_date_is_not_lost_from_view() {
    // The spec's bounds are for families whose current situation is unknown; this one's is known.
    let mut c = case("2024-03", SocialNetwork);
    c.current_situation = Some(Housed);
    c.last_seen = seen("2024-11-17", SocialNetwork);
    assert_eq!(Contribution::of(&c), same(Observation::still_homeless(8)));
}

#[test]
fn homelessness_without_a_known_end_or_start_is_excluded() {
    let mut c = case("2024-03", Car);
    c.last_seen = seen("2024-11-17", Housed);
    assert_eq!(
        Contribution::of(&c),
        Contribution::Excluded,
        "last seen housed"
    );
    let c = case("2024-03", Car);
    assert_eq!(Contribution::of(&c), Contribution::Excluded, "never seen");
    let mut c = case("2024-03", Car);
    c.home_lost_on = None;
    c.current_situation = Some(Car);
    assert_eq!(
        Contribution::of(&c),
        Contribution::Excluded,
        "start unknown"
    );
}

#[test]
fn a_family_not_homeless_after_the_loss_is_outside() {
    let mut c = case("2024-03", Housed);
    c.current_situation = Some(Car);
    assert_eq!(Contribution::of(&c), Contribution::Outside);
    c.situation_after = None;
    assert_eq!(Contribution::of(&c), Contribution::Outside, "unknown after");
}

fn sample_cases() -> Vec<Case> {
    let mut rehoused_early = case("2024-01-10", Car);
    rehoused_early.rehoused_on = parse_date("2024-03-10");
    let mut lost = case("2024-06-15", SocialNetwork);
    lost.last_seen = seen("2024-09-20", SocialNetwork);
    let mut rehoused_late = case("2024-02", FamilyShelter);
    rehoused_late.rehoused_on = parse_date("2024-07-01");
    let mut still = case("2024-10-15", Car);
    still.current_situation = Some(Car);
    let excluded = case("2024-03", Car);
    let mut outside = case("2024-03", Housed);
    outside.current_situation = Some(Housed);
    vec![
        rehoused_early,
        lost,
        rehoused_late,
        still,
        excluded,
        outside,
    ]
}

#[test]
fn the_bounds_move_the_median_as_expected() {
    // Main: rehoused at 2 and 5, censored at 3 (lost) and 6 (still homeless).
    // Optimistic: the lost family rehoused at 3. Pessimistic: homeless until the report, 10 months.
    let report = DurationEstimate::of_cases(&sample_cases());
    assert_eq!(
        (report.n, report.events, report.censored, report.excluded),
        (4, 2, 2, 1)
    );
    assert_eq!(report.table.len(), 7);
    assert_eq!(report.median_months, Some(5));
    assert_eq!(report.survival_at.three_months, Some(0.75));
    assert_eq!(report.survival_at.six_months, Some(0.375));
    assert_eq!(report.survival_at.twelve_months, None);
    assert_eq!(report.optimistic.median_months, Some(3));
    assert_eq!(report.optimistic.survival_at.six_months, Some(0.25));
    assert_eq!(report.pessimistic.median_months, Some(5));
    assert_eq!(report.pessimistic.survival_at.six_months, Some(0.5));
    assert_eq!(report.pessimistic.survival_at.twelve_months, None);
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn the_json_has_the_shape_of_the_spec() {
    let json = serde_json::to_value(DurationEstimate::of_cases(&sample_cases())).unwrap();
    assert_eq!(
        keys(&json),
        [
            "n",
            "events",
            "censored",
            "excluded",
            "median_months",
            "median_ci",
            "survival_at",
            "table",
            "optimistic",
            "pessimistic"
        ]
    );
    assert_eq!(json["n"], 4);
    assert_eq!(json["excluded"], 1);
    assert_eq!(json["median_months"], 5);
    assert_eq!(json["median_ci"].as_array().unwrap().len(), 2);
    assert_eq!(keys(&json["survival_at"]), ["3", "6", "12", "24"]);
    assert_eq!(json["survival_at"]["3"], 0.75);
    assert_eq!(json["survival_at"]["24"], Value::Null);
    assert_eq!(
        keys(&json["table"][0]),
        [
            "month", "at_risk", "events", "censored", "survival", "ci_low", "ci_high"
        ]
    );
    assert_eq!(
        json["table"][0],
        serde_json::json!({"month": 0, "at_risk": 4, "events": 0, "censored": 0,
                           "survival": 1.0, "ci_low": 1.0, "ci_high": 1.0})
    );
    for bound in ["optimistic", "pessimistic"] {
        assert_eq!(keys(&json[bound]), ["median_months", "survival_at"]);
        assert_eq!(keys(&json[bound]["survival_at"]), ["3", "6", "12", "24"]);
    }
    assert_eq!(json["optimistic"]["median_months"], 3);

    let empty = serde_json::to_value(DurationEstimate::of_cases(&[])).unwrap();
    assert_eq!(
        empty,
        serde_json::json!({
            "n": 0, "events": 0, "censored": 0, "excluded": 0,
            "median_months": null, "median_ci": [null, null],
            "survival_at": {"3": null, "6": null, "12": null, "24": null},
            "table": [],
            "optimistic": {"median_months": null,
                           "survival_at": {"3": null, "6": null, "12": null, "24": null}},
            "pessimistic": {"median_months": null,
                            "survival_at": {"3": null, "6": null, "12": null, "24": null}}
        })
    );
}
