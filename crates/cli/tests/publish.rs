#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `report publish` (publication spec §3, issue 17.4): the bundle of the quickscan file written
//! into a folder; its figures are the report's where the policy publishes them and held back with
//! a reason where it does not; the same data give the same files; another policy and the English
//! bundle are one flag away.

use std::path::Path;

use serde_json::Value;

mod common;

use common::{QUICKSCAN, dakwacht, ok};

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_bundle_holds_the_reports_figures_as_the_policy_publishes_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("publish.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    let out = dir.path().join("bundel");
    let printed = ok(dakwacht(
        &db,
        &["report", "publish", "--output", out.to_str().unwrap()],
    ));
    assert!(
        printed.contains("Beschermd volgens beleid dakwacht-standaard"),
        "{printed}"
    );
    for file in ["rapport.pdf", "cijfers.xlsx", "cijfers.csv", "cijfers.json"] {
        assert!(out.join(file).is_file(), "{file}");
    }

    let published = read_json(&out.join("cijfers.json"));
    let report: Value = serde_json::from_str(&ok(dakwacht(
        &db,
        &["report", "quickscan", "--format", "json"],
    )))
    .unwrap();
    let mut held_back = 0;
    for measure in report["measures"].as_array().unwrap() {
        let id = measure["id"].as_str().unwrap();
        let shown = dakwacht_testkit::measure(&published, id);
        for part in ["numerator", "denominator"] {
            if shown[part].is_null() && !measure[part].is_null() {
                assert!(
                    shown["suppressed"][part].is_string(),
                    "{id} {part}: {shown}"
                );
                held_back += 1;
            } else {
                assert_eq!(shown[part], measure[part], "{id} {part}");
            }
        }
    }
    assert!(held_back > 0, "the quickscan has small counts to hold back");

    // The same data, the same day: the same files.
    let again = dir.path().join("nogmaals");
    ok(dakwacht(
        &db,
        &["report", "publish", "--output", again.to_str().unwrap()],
    ));
    for file in ["rapport.pdf", "cijfers.xlsx", "cijfers.csv", "cijfers.json"] {
        assert!(
            std::fs::read(out.join(file)).unwrap() == std::fs::read(again.join(file)).unwrap(),
            "{file} differs"
        );
    }

    let audit = ok(dakwacht(&db, &["audit", "--format", "json"]));
    assert!(audit.contains("report publish: gepubliceerd"), "{audit}");
}

#[test]
fn another_policy_and_another_language_are_one_flag_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("publish.db");
    ok(dakwacht(&db, &["import", QUICKSCAN]));
    let policy = dir.path().join("streng.toml");
    std::fs::write(
        &policy,
        dakwacht_stats::disclosure::BUILT_IN
            .replace(
                "name = \"dakwacht-standaard\"",
                "name = \"gemeente-streng\"",
            )
            .replace(
                "smallest_published_count = 5",
                "smallest_published_count = 15",
            ),
    )
    .unwrap();
    let out = dir.path().join("en");
    ok(dakwacht(
        &db,
        &[
            "report",
            "publish",
            "--output",
            out.to_str().unwrap(),
            "--policy",
            policy.to_str().unwrap(),
            "--lang",
            "en",
        ],
    ));
    let published = read_json(&out.join("cijfers.json"));
    assert_eq!(published["policy"]["name"], "gemeente-streng");
    let no_court = dakwacht_testkit::measure(&published, "route.no_court");
    assert_eq!(no_court["numerator"], Value::Null, "13 is under 15");
    assert_eq!(
        published["scope"], "all cases",
        "the English bundle speaks English"
    );

    let broken = dir.path().join("kapot.toml");
    std::fs::write(&broken, "name = \"x\"\n").unwrap();
    let refused = dakwacht(
        &db,
        &[
            "report",
            "publish",
            "--output",
            dir.path().join("niets").to_str().unwrap(),
            "--policy",
            broken.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("kapot.toml"));
    assert!(!dir.path().join("niets").exists(), "nothing written");
}

/// A family's request under the AVG: `subject export` writes everything kept about its case,
/// `subject erase` takes it away (only with --yes), and a bundle published before keeps its
/// figures exactly (`publications --show`), while figures counted afterwards no longer count
/// the family.
#[test]
fn an_erased_case_leaves_the_published_figures_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("avg.db");
    let children = dir.path().join("kinderen.csv");
    std::fs::write(
        &children,
        "case_ref,organisation,child_no,age\nQS-01,Straatalliantie,1,4\nQS-01,Straatalliantie,2,9\n",
    )
    .unwrap();
    ok(dakwacht(
        &db,
        &[
            "import",
            QUICKSCAN,
            "--children",
            children.to_str().unwrap(),
        ],
    ));
    let out = dir.path().join("bundel");
    let printed = ok(dakwacht(
        &db,
        &["report", "publish", "--output", out.to_str().unwrap()],
    ));
    assert!(printed.contains("Kept as publication 1"), "{printed}");
    let published = std::fs::read_to_string(out.join("cijfers.json")).unwrap();
    let listed = ok(dakwacht(&db, &["publications"]));
    assert!(listed.trim_start().starts_with("1  "), "{listed}");

    ok(dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"]));
    let export = dir.path().join("qs-01.json");
    ok(dakwacht(
        &db,
        &[
            "subject",
            "export",
            "--case",
            "Straatalliantie/QS-01",
            "--output",
            export.to_str().unwrap(),
        ],
    ));
    let everything = read_json(&export);
    assert_eq!(everything["case_ref"], "QS-01");
    assert_eq!(everything["fields"]["municipality"], "Amsterdam");
    assert_eq!(everything["children"].as_array().unwrap().len(), 2);
    assert!(!everything["history"].as_array().unwrap().is_empty());
    assert_eq!(
        everything["audit"][0]["action"], "view_case",
        "{}",
        everything["audit"]
    );

    // Without --yes nothing is erased.
    let asked = dakwacht(
        &db,
        &[
            "subject",
            "erase",
            "--case",
            "Straatalliantie/QS-01",
            "--reason",
            "AVG art. 17",
        ],
    );
    assert!(!asked.status.success());
    assert!(String::from_utf8_lossy(&asked.stderr).contains("cannot be undone"));
    ok(dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"]));

    let erased = ok(dakwacht(
        &db,
        &[
            "subject",
            "erase",
            "--case",
            "Straatalliantie/QS-01",
            "--reason",
            "AVG art. 17",
            "--yes",
        ],
    ));
    assert!(
        erased.contains("Straatalliantie/QS-01 is erased, with"),
        "{erased}"
    );
    assert!(
        !dakwacht(&db, &["check", "--case", "Straatalliantie/QS-01"])
            .status
            .success()
    );

    // What was published stays as it was published; new figures count one family fewer.
    assert_eq!(
        ok(dakwacht(&db, &["publications", "--show", "1"])).trim_end(),
        published.trim_end()
    );
    let report: Value = serde_json::from_str(&ok(dakwacht(
        &db,
        &["report", "quickscan", "--format", "json"],
    )))
    .unwrap();
    let then = read_json(&out.join("cijfers.json"));
    let cases = |figures: &Value| dakwacht_testkit::measure(figures, "cases")["numerator"].clone();
    assert_eq!(cases(&then), 23);
    assert_eq!(cases(&report), 22);
    assert!(ok(dakwacht(&db, &["audit", "--verify"])).contains("The chain is intact"));
}
