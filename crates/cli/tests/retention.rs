#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! `dakwacht retention`: on a database with closed cases on both sides of the retention period
//! (and open ones), a dry run lists only those past it and changes nothing; `--apply` deletes
//! exactly those, wholly; each run writes one audit line of counts. On SQLite and PostgreSQL.

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, ok, runtime};
use dakwacht_core::{ClosingReason, Closure, Date, LivingSituation, Observation};
use dakwacht_store::{Actor, PgStore, SqliteStore, Store};
use dakwacht_testkit::PgSchema;

const ORG: &str = "Straatalliantie";

fn years_ago(today: Date, years: i64, then_days: i64) -> Date {
    today
        .checked_sub(jiff::Span::new().years(years))
        .unwrap()
        .checked_add(jiff::Span::new().days(then_days))
        .unwrap()
}

/// Closes Straatalliantie's cases on days around a two-year period: QS-01 three years ago and
/// QS-06 exactly two years ago (both past it), QS-11 two years ago less a day and QS-16 today
/// (both within it); QS-21 stays open. QS-01 gets an observation, so that it has one to lose.
async fn close_around_the_period<S: Store>(store: &S) {
    let today = dakwacht_app::today();
    let actor = Actor::cli("test");
    for (case_ref, on) in [
        ("QS-01", years_ago(today, 3, 0)),
        ("QS-06", years_ago(today, 2, 0)),
        ("QS-11", years_ago(today, 2, 1)),
        ("QS-16", today),
    ] {
        let closure = Closure {
            on,
            reason: ClosingReason::ContactEnded,
        };
        assert!(
            store
                .close_case(&actor, ORG, case_ref, &closure)
                .await
                .unwrap()
        );
    }
    let stay = Observation {
        on: None,
        situation: LivingSituation::Car,
        source: dakwacht_core::ObservationSource::Recorded,
    };
    let (case, version) = store
        .case_with_version(ORG, "QS-01")
        .await
        .unwrap()
        .unwrap();
    store
        .record_stay(&actor, &case.after_stay(&stay), version, &stay)
        .await
        .unwrap();
}

async fn kept<S: Store>(store: &S) -> Vec<String> {
    let mut kept = Vec::new();
    for case_ref in ["QS-01", "QS-06", "QS-11", "QS-16", "QS-21"] {
        if store.case(ORG, case_ref).await.unwrap().is_some() {
            kept.push(case_ref.to_string());
        }
    }
    kept
}

/// The scenario on `database`, whose store `open` gives.
fn retention_deletes_only_the_cases_past_the_period<S: Store>(
    database: &str,
    open: impl AsyncFn() -> S,
) {
    let runtime = runtime();
    ok(dakwacht(database, &["import", QUICKSCAN]));
    runtime.block_on(async { close_around_the_period(&open().await).await });
    let today = dakwacht_app::today();
    let last_day = years_ago(today, 2, 0);

    // A dry run lists the two past the period, closed longest ago first, and deletes nothing.
    let dry = ok(dakwacht(database, &["retention", "--years", "2"]));
    assert_says(
        &dry,
        format!("cases closed on or before {last_day} are past it"),
    );
    let qs01 = dry.find("Straatalliantie/QS-01").expect(&dry);
    let qs06 = dry.find("Straatalliantie/QS-06").expect(&dry);
    assert!(qs01 < qs06, "{dry}");
    assert_says(&dry, "(contact_ended)");
    for within in ["QS-11", "QS-16", "QS-21"] {
        assert!(!dry.contains(within), "{within}: {dry}");
    }
    assert_says(
        &dry,
        "Dry run: nothing was deleted. 2 case(s) would be deleted",
    );
    let all = ["QS-01", "QS-06", "QS-11", "QS-16", "QS-21"];
    assert_eq!(runtime.block_on(async { kept(&open().await).await }), all);

    // The default period is two years as well.
    let default = ok(dakwacht(database, &["retention"]));
    assert_says(&default, "Retention: 2 year(s) after closing");

    // Applied: exactly those two are gone, with their observations and history.
    let applied = ok(dakwacht(
        database,
        &["retention", "--years", "2", "--apply"],
    ));
    assert_says(
        &applied,
        "Deleted 2 case(s), with 1 observation(s), 0 child record(s), 0 assessment(s) and 2 history entries.",
    );
    runtime.block_on(async {
        let store = open().await;
        assert_eq!(kept(&store).await, ["QS-11", "QS-16", "QS-21"]);
        assert!(store.history(ORG, "QS-01").await.unwrap().is_empty());
        assert!(store.observations(ORG, "QS-01").await.unwrap().is_empty());
        // The history of a case still kept can not be deleted, closed or not.
        assert_eq!(store.history(ORG, "QS-11").await.unwrap().len(), 2);
    });
    let report = ok(dakwacht(
        database,
        &["report", "quickscan", "--format", "json"],
    ));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["measures"][0]["id"], "cases");
    assert_eq!(
        report["measures"][0]["numerator"], 21,
        "23 cases less the 2 deleted"
    );

    // Nothing is past the period any more; a longer period finds nothing either.
    let again = ok(dakwacht(
        database,
        &["retention", "--years", "2", "--apply"],
    ));
    assert_says(&again, "Deleted 0 case(s)");

    // One audit line per run, with counts and no case reference.
    let audit = ok(dakwacht(
        database,
        &["audit", "--action", "retention", "--format", "json"],
    ));
    let lines: serde_json::Value = serde_json::from_str(&audit).unwrap();
    let details = dakwacht_testkit::texts_of(&lines, "detail");
    assert_eq!(details.len(), 4, "{details:?}");
    assert_eq!(
        details[1],
        format!(
            "2 year(s) after closing, closed on or before {last_day}: 2 case(s) deleted, with 1 observation(s), 0 child record(s), 0 assessment(s) and 2 history entries"
        )
    );
    assert_eq!(
        details[3],
        format!(
            "dry run, 2 year(s) after closing, closed on or before {last_day}: 2 case(s) would be deleted"
        )
    );
    assert!(!audit.contains("QS-"), "{audit}");

    // A period of no years is refused before anything is read.
    let zero = dakwacht(database, &["retention", "--years", "0", "--apply"]);
    assert!(!zero.status.success());
    assert!(String::from_utf8_lossy(&zero.stderr).contains("1 to 30 years"));
}

#[test]
fn retention_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bewaren.db");
    let database = path.to_str().unwrap().to_string();
    retention_deletes_only_the_cases_past_the_period(&database, async || {
        SqliteStore::open(&database).await.unwrap()
    });
}

#[test]
fn retention_on_postgres() {
    let runtime = runtime();
    let Some(schema) = runtime.block_on(PgSchema::create()) else {
        return;
    };
    let url = schema.url();
    let options = schema.options();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        retention_deletes_only_the_cases_past_the_period(&url, async || {
            PgStore::connect(options.clone()).await.unwrap()
        });
    }));
    runtime.block_on(schema.drop());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
