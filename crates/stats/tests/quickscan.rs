#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The published quickscan figures (`spec/measures.md`) come out exactly for the quickscan file.

use dakwacht_core::Case;
use dakwacht_interchange::CaseReader;
use dakwacht_stats::{
    Measure, Report, SignalCount, quickscan, render_html, render_json, render_text,
};

fn quickscan_cases() -> Vec<Case> {
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

/// (id, numerator, denominator, whole percent) as published.
pub const PUBLISHED: &[(&str, u64, Option<u64>, Option<u64>)] = &[
    ("cases", 23, None, None),
    ("children", 28, None, None),
    ("children.age_unknown", 4, None, None),
    ("municipalities", 8, None, None),
    ("reason.corporation.rent_arrears", 5, Some(14), Some(36)),
    ("reason.corporation.nuisance", 3, Some(14), Some(21)),
    (
        "reason.private.conflict_violence_arrears",
        4,
        Some(6),
        Some(67),
    ),
    ("route.no_court", 13, Some(22), Some(59)),
    ("route.no_court.landlord_request", 6, Some(13), Some(46)),
    ("legal.left_self.none", 4, Some(10), Some(40)),
    ("legal.left_self.unknown", 5, Some(10), Some(50)),
    ("legal.court.none", 5, Some(9), Some(56)),
    ("alternative.none", 19, Some(23), Some(83)),
    ("alternative.hotel_or_shelter", 4, Some(23), Some(17)),
    ("alternative.adequate", 0, Some(23), Some(0)),
    ("after.no_alternative.social_network", 8, Some(18), Some(44)),
    ("after.no_alternative.car_or_tent", 4, Some(18), Some(22)),
    ("after.homeless", 22, Some(22), Some(100)),
    ("duration.0_6", 8, Some(22), Some(36)),
    ("duration.6_12", 7, Some(22), Some(32)),
    ("duration.12_plus", 7, Some(22), Some(32)),
    ("duration.over_6", 14, Some(22), Some(64)),
    ("current.homeless", 11, Some(23), Some(48)),
    ("current.unknown", 12, Some(23), Some(52)),
];

pub fn assert_published(measures: &[Measure]) {
    let got: Vec<_> = measures
        .iter()
        .map(|m| (m.id, m.numerator, m.denominator, m.whole_percent()))
        .collect();
    assert_eq!(got, PUBLISHED);
}

#[test]
fn the_published_figures_come_out_exactly() {
    assert_published(&quickscan(&quickscan_cases()));
}

#[test]
fn the_text_report_prints_whole_percents_with_n_of_n() {
    let measures = quickscan(&quickscan_cases());
    let text = render_text(&report(&measures, &[]));
    assert!(text.contains("59% (13/22)"), "{text}");
    assert!(text.contains("Woning kwijt zonder tussenkomst van de rechter"));
    assert!(text.contains("0% (0/23)"));
    let children_line = text
        .lines()
        .find(|l| l.starts_with("Aantal minderjarige kinderen"))
        .unwrap();
    assert!(children_line.contains(" 28 "), "{children_line}");
}

#[test]
fn the_json_report_has_the_documented_shape() {
    let measures = quickscan(&quickscan_cases());
    let json = render_json(&report(&measures, &[]));
    let first_share = &json["measures"][7];
    assert_eq!(first_share["id"], "route.no_court");
    assert_eq!(first_share["numerator"], 13);
    assert_eq!(first_share["denominator"], 22);
    assert_eq!(first_share["percent"], 59.09);
    assert_eq!(json["measures"][0]["denominator"], serde_json::Value::Null);
}

fn report<'a>(measures: &'a [Measure], signals: &'a [SignalCount]) -> Report<'a> {
    Report {
        scope: "alle casussen",
        measures,
        child_measures: &[],
        signals,
        rules_version: "test.1",
        duration: None,
    }
}

#[test]
fn signals_follow_the_measures_in_every_form() {
    let measures = quickscan(&quickscan_cases());
    let signals = [SignalCount {
        id: "out_of_view".to_string(),
        label: "Gezin uit beeld".to_string(),
        cases: 12,
        of: 23,
    }];
    let report = report(&measures, &signals);

    let text = render_text(&report);
    let (before, after) = text.split_once("Signalen (regels versie test.1)").unwrap();
    assert!(before.contains("59% (13/22)"));
    let line = after.lines().find(|l| l.contains("out_of_view")).unwrap();
    assert!(
        line.starts_with("Gezin uit beeld") && line.contains("52% (12/23)"),
        "{line}"
    );

    let json = render_json(&report);
    assert_eq!(json["rules_version"], "test.1");
    assert_eq!(json["signals"][0]["id"], "out_of_view");
    assert_eq!(json["signals"][0]["cases"], 12);
    assert_eq!(json["signals"][0]["of"], 23);
    assert_eq!(json["signals"][0]["percent"], 52.17);

    let html = render_html(&report);
    let signals_part = html.split("<h2>Signalen</h2>").nth(1).unwrap();
    assert!(
        signals_part
            .contains("<th scope=\"row\">Gezin uit beeld</th><td>12</td><td>23</td><td>52%</td>")
    );
}
