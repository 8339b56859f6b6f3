#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `report quickscan --by municipality|organisation|quarter|year` (issue 17.3): every measure per
//! row, with the same definitions as the report over the whole selection. Each row is checked
//! against the plain report narrowed to that row's municipality, organisation or dates, and the
//! rows together against the whole (PostgreSQL gives the same answers: `tests/postgres.rs`).

use std::path::PathBuf;

use serde_json::Value;

mod common;

use common::{QUICKSCAN, dakwacht, ok};

fn json(database: &PathBuf, args: &[&str]) -> Value {
    let text = ok(dakwacht(database, args));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

fn quickscan_database(dir: &tempfile::TempDir) -> PathBuf {
    let db = dir.path().join("breakdown.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    db
}

/// The measures of a report or a row, without the labels: what the definitions give.
fn figures(measures: &Value) -> Vec<(String, Value, Value)> {
    measures
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["numerator"].clone(),
                m["denominator"].clone(),
            )
        })
        .collect()
}

fn cases(row: &Value) -> u64 {
    row["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "cases")
        .unwrap()["numerator"]
        .as_u64()
        .unwrap()
}

/// Every row of `--by by` is the plain report with `narrow(label)` added to its arguments.
fn rows_are_the_narrowed_reports(
    db: &PathBuf,
    by: &str,
    narrow: impl Fn(&str) -> Vec<String>,
) -> Vec<Value> {
    let breakdown = json(db, &["report", "quickscan", "--by", by, "--format", "json"]);
    assert_eq!(breakdown["by"], by);
    assert_eq!(breakdown["scope"], "alle casussen");
    let rows = breakdown["rows"].as_array().unwrap().clone();
    assert!(rows.len() > 1, "{breakdown}");
    for row in &rows {
        let label = row["label"].as_str().unwrap();
        let mut args = vec!["report", "quickscan", "--format", "json"];
        let narrowed = narrow(label);
        args.extend(narrowed.iter().map(String::as_str));
        let report = json(db, &args);
        assert_eq!(
            figures(&row["measures"]),
            figures(&report["measures"]),
            "{by} {label}"
        );
        assert_eq!(
            figures(&row["child_measures"]),
            figures(&report["child_measures"]),
            "{by} {label}"
        );
    }
    rows
}

#[test]
fn every_measure_per_municipality_is_the_report_over_that_municipality() {
    let dir = tempfile::tempdir().unwrap();
    let db = quickscan_database(&dir);
    let rows = rows_are_the_narrowed_reports(&db, "municipality", |label| {
        vec!["--municipality".into(), label.into()]
    });
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "Almere",
            "Amsterdam",
            "Den Haag",
            "Eindhoven",
            "Gooise Meren",
            "Haarlem",
            "Rotterdam",
            "Utrecht"
        ]
    );
    // One family's municipality is unknown: in no row, and said so.
    assert_eq!(rows.iter().map(cases).sum::<u64>(), 22);
    let breakdown = json(
        &db,
        &[
            "report",
            "quickscan",
            "--by",
            "municipality",
            "--format",
            "json",
        ],
    );
    assert_eq!(breakdown["not_in_any_row"], 1);
    let text = ok(dakwacht(
        &db,
        &["report", "quickscan", "--by", "municipality"],
    ));
    assert!(
        text.contains("1 casus staat in geen rij (gemeente onbekend)."),
        "{text}"
    );
}

#[test]
fn every_measure_per_organisation_is_the_report_over_that_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let db = quickscan_database(&dir);
    let rows = rows_are_the_narrowed_reports(&db, "organisation", |label| {
        vec!["--organisation".into(), label.into()]
    });
    assert_eq!(rows.len(), 5);
    assert_eq!(rows.iter().map(cases).sum::<u64>(), 23);
}

#[test]
fn every_measure_per_quarter_and_year_is_the_report_over_those_dates() {
    let dir = tempfile::tempdir().unwrap();
    let db = quickscan_database(&dir);
    let quarter_dates = |label: &str| {
        let (year, quarter) = label.split_once("-K").unwrap();
        let quarter: u32 = quarter.parse().unwrap();
        vec![
            "--from".to_string(),
            format!("{year}-{:02}", quarter * 3 - 2),
            "--to".to_string(),
            format!("{year}-{:02}", quarter * 3),
        ]
    };
    let quarters = rows_are_the_narrowed_reports(&db, "quarter", quarter_dates);
    let labels: Vec<&str> = quarters
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "2023-K1", "2023-K3", "2023-K4", "2024-K1", "2024-K2", "2024-K3", "2024-K4", "2025-K1"
        ]
    );
    let years = rows_are_the_narrowed_reports(&db, "year", |label| {
        vec![
            "--from".into(),
            format!("{label}-01-01"),
            "--to".into(),
            format!("{label}-12-31"),
        ]
    });
    // Every family's home_lost_on is known in the quickscan file: the periods hold them all.
    assert_eq!(quarters.iter().map(cases).sum::<u64>(), 23);
    assert_eq!(years.iter().map(cases).sum::<u64>(), 23);

    // The selection's own dates narrow the periods: from March 2024, the first quarter of 2024
    // holds March only.
    let narrowed = json(
        &db,
        &[
            "report",
            "quickscan",
            "--by",
            "quarter",
            "--from",
            "2024-03",
            "--format",
            "json",
        ],
    );
    let first = &narrowed["rows"][0];
    assert_eq!(first["label"], "2024-K1");
    let march = json(
        &db,
        &[
            "report",
            "quickscan",
            "--from",
            "2024-03",
            "--to",
            "2024-03",
            "--format",
            "json",
        ],
    );
    assert_eq!(figures(&first["measures"]), figures(&march["measures"]));
}

#[test]
fn the_breakdown_reads_as_text_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let db = quickscan_database(&dir);
    let text = ok(dakwacht(
        &db,
        &["report", "quickscan", "--by", "municipality"],
    ));
    assert!(
        text.starts_with("Quickscan per gemeente — alle casussen"),
        "{text}"
    );
    // Each measure, then a line per municipality: Amsterdam's 6 families.
    let cases = text.split("Aantal casussen (cases)\n").nth(1).unwrap();
    assert!(
        cases
            .lines()
            .any(|l| l.trim_start().starts_with("Amsterdam") && l.ends_with(" 6")),
        "{text}"
    );
    assert!(text.contains("(route.no_court)"), "{text}");

    let html = ok(dakwacht(
        &db,
        &["report", "quickscan", "--by", "year", "--format", "html"],
    ));
    assert!(html.contains("<h1>Quickscan per jaar</h1>"), "{html}");
    assert!(html.contains("<th scope=\"row\">2024</th>"), "{html}");
    assert!(
        html.contains("<caption>Aantal casussen (<code>cases</code>)</caption>"),
        "{html}"
    );

    // An empty selection says so.
    let none = ok(dakwacht(
        &db,
        &[
            "report",
            "quickscan",
            "--by",
            "municipality",
            "--municipality",
            "Nergens",
        ],
    ));
    assert!(none.contains("Geen casussen in deze selectie."), "{none}");
}
