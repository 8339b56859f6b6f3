#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Recording a stay and taking a wrong one back, on both stores: the removal is history, not a
//! deletion, and it puts back only what nobody changed since the stay.

use dakwacht_core::date::YearMonth;
use dakwacht_core::{DateOrMonth, Field, LivingSituation, Observation, ObservationSource};
use dakwacht_store::{Actor, AuditFilter, Store, StoreError};

/// The details of the case's audit lines, newest first.
async fn audit_details<S: Store>(store: &S, case_ref: &str) -> Vec<String> {
    let filter = AuditFilter {
        case_ref: Some(case_ref.to_string()),
        ..AuditFilter::default()
    };
    let audit = store.audit_log(&filter).await.unwrap();
    audit.into_iter().filter_map(|r| r.entry.detail).collect()
}

const ORG: &str = "Straatalliantie";

fn stay_on(day: jiff::civil::Date, situation: LivingSituation) -> Observation {
    Observation {
        on: Some(DateOrMonth::Day(day)),
        situation,
        source: ObservationSource::Recorded,
    }
}

/// The case as it is stored now, and its version.
async fn stored<S: Store>(store: &S, case_ref: &str) -> (dakwacht_core::Case, i64) {
    store
        .case_with_version(ORG, case_ref)
        .await
        .unwrap()
        .unwrap()
}

/// Records `stay` on the case as it is stored now.
async fn record<S: Store>(store: &S, case_ref: &str, stay: &Observation) -> i64 {
    let (case, version) = store
        .case_with_version(ORG, case_ref)
        .await
        .unwrap()
        .unwrap();
    store
        .record_stay(&Actor::web("anna"), &case.after_stay(stay), version, stay)
        .await
        .unwrap()
}

async fn a_wrong_stay_is_taken_back_keeping_what_changed_since<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let (before, _) = stored(store, "QS-01").await;
    let car = stay_on(jiff::civil::date(2026, 11, 2), LivingSituation::Car);
    record(store, "QS-01", &car).await;

    let stays = store.recorded_stays(ORG, "QS-01").await.unwrap();
    assert_eq!(stays.len(), 1);
    let wrong = &stays[0];
    assert_eq!((wrong.observation, wrong.removed.clone()), (car, None));
    assert_eq!(wrong.recorded_by, "user:anna");
    let set: Vec<Field> = wrong.effects.iter().map(|e| e.field).collect();
    for field in [
        Field::ReportedOn,
        Field::CurrentSituation,
        Field::LastSeenOn,
    ] {
        assert!(set.contains(&field), "{field:?} not among {set:?}");
    }

    // Someone corrects where the family stays now by hand after the stay.
    let (mut case, version) = stored(store, "QS-01").await;
    case.current_situation = Some(LivingSituation::FamilyShelter);
    let version = store
        .save_case(&Actor::web("bram"), &case, Some(version))
        .await
        .unwrap();

    // A removal against an older version is refused, naming who changed the case.
    let undone = case.without_stay(&wrong.effects);
    let stale = store
        .remove_stay(&Actor::web("anna"), &undone.case, version - 1, wrong.id)
        .await;
    assert!(
        matches!(&stale, Err(StoreError::StaleVersion { by, .. }) if by == "user:bram"),
        "{stale:?}"
    );

    assert_eq!(undone.kept, vec![Field::CurrentSituation]);
    let removed_version = store
        .remove_stay(&Actor::web("anna"), &undone.case, version, wrong.id)
        .await
        .unwrap();
    assert_eq!(removed_version, version + 1);
    let (after, _) = stored(store, "QS-01").await;
    // Put back, except where the family stays now: that changed since the stay.
    let kept = Some(LivingSituation::FamilyShelter);
    assert_eq!(
        (after.reported_on, after.last_seen, after.current_situation),
        (before.reported_on, before.last_seen, kept)
    );

    // Kept in the history, marked removed; out of the timeline.
    let stays = store.recorded_stays(ORG, "QS-01").await.unwrap();
    let (_, by) = stays[0].removed.clone().unwrap();
    assert_eq!(by, "user:anna");
    assert!(store.observations(ORG, "QS-01").await.unwrap().is_empty());
    let last = store.history(ORG, "QS-01").await.unwrap().pop().unwrap();
    assert_eq!(last.version, removed_version);
    let audit = audit_details(store, "QS-01").await;
    assert!(audit[0].starts_with("stay removed; changed: "), "{audit:?}");

    // Removed once: a second removal, or a stay of another case, is not found and changes
    // nothing.
    let again = store
        .remove_stay(&Actor::web("anna"), &after, removed_version, stays[0].id)
        .await;
    assert!(matches!(again, Err(StoreError::NotFound(_))), "{again:?}");
    let other_case = record(
        store,
        "QS-06",
        &stay_on(
            jiff::civil::date(2026, 11, 3),
            LivingSituation::SocialNetwork,
        ),
    )
    .await;
    let other_stay = store.recorded_stays(ORG, "QS-06").await.unwrap()[0].id;
    let elsewhere = store
        .remove_stay(&Actor::web("anna"), &after, removed_version, other_stay)
        .await;
    assert!(
        matches!(elsewhere, Err(StoreError::NotFound(_))),
        "{elsewhere:?}"
    );
    let (_, version) = stored(store, "QS-01").await;
    assert_eq!(version, removed_version);
    let (_, version) = stored(store, "QS-06").await;
    assert_eq!(version, other_case);
    assert!(!store.recorded_stays(ORG, "QS-06").await.unwrap()[0].is_removed());
}

/// A stay that changed nothing in the case (known only to the month) is removed from the
/// timeline without a change to the case's fields.
async fn a_stay_that_changed_nothing_is_removed_from_the_timeline<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let month = Observation {
        on: Some(DateOrMonth::Month(YearMonth::of(jiff::civil::date(
            2026, 10, 1,
        )))),
        situation: LivingSituation::Car,
        source: ObservationSource::Recorded,
    };
    let version = record(store, "QS-01", &month).await;
    let stays = store.recorded_stays(ORG, "QS-01").await.unwrap();
    assert!(stays[0].effects.is_empty(), "{:?}", stays[0].effects);
    assert_eq!(store.observations(ORG, "QS-01").await.unwrap(), vec![month]);
    let (case, _) = stored(store, "QS-01").await;
    let undone = case.without_stay(&stays[0].effects);
    assert_eq!(undone.case, case);
    store
        .remove_stay(&Actor::web("anna"), &undone.case, version, stays[0].id)
        .await
        .unwrap();
    assert!(store.observations(ORG, "QS-01").await.unwrap().is_empty());
    let audit = audit_details(store, "QS-01").await;
    assert_eq!(audit[0], "stay removed", "{audit:?}");
}

dakwacht_testkit::on_both_stores!(
    a_wrong_stay_is_taken_back_keeping_what_changed_since,
    a_stay_that_changed_nothing_is_removed_from_the_timeline,
);

/// A database from before stays could be removed (schema version 7) learns which change each
/// stay made: the one saved with it, at the same moment and by hand.
#[tokio::test]
async fn stays_recorded_before_removal_existed_know_their_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oud.db");
    dakwacht_testkit::sqlite_from_before(
        &file,
        "0008",
        &[
            "INSERT INTO organisations (id, name, created_at) VALUES (1, 'Straatalliantie', '2025-01-01T00:00:00Z')",
            "INSERT INTO cases (id, organisation_id, case_ref, version, created_at, updated_at, created_by, \
             reported_on, current_situation, children_count, children_age_unknown, profile) \
             VALUES (7, 1, 'OUD-1', 2, '2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z', 'user:jan', '2025-03-01', 'car', 1, 0, 0)",
            "INSERT INTO case_changes (id, case_id, version, changed_at, actor, action, changes) \
             VALUES (41, 7, 2, '2025-03-01T10:00:00Z', 'user:jan', 'updated', \
             '{\"reported_on\": [\"2025-01-01\", \"2025-03-01\"], \"current_situation\": [\"\", \"car\"]}')",
            "INSERT INTO observations (case_id, observed_on, precision, situation, recorded_at, recorded_by) \
             VALUES (7, '2025-03-01', 'day', 'car', '2025-03-01T10:00:00Z', 'user:jan')",
            "INSERT INTO observations (case_id, observed_on, precision, situation, recorded_at, recorded_by) \
             VALUES (7, '2025-02-01', 'month', 'tent', '2025-03-02T10:00:00Z', 'user:jan')",
        ],
    )
    .await;
    let store = dakwacht_store::SqliteStore::open(file.to_str().unwrap())
        .await
        .unwrap();
    let stays = store.recorded_stays(ORG, "OUD-1").await.unwrap();
    let fields: Vec<Vec<Field>> = stays
        .iter()
        .map(|stay| stay.effects.iter().map(|e| e.field).collect())
        .collect();
    // Oldest first by date: the month-only stay of February changed nothing.
    assert_eq!(
        fields,
        vec![vec![], vec![Field::ReportedOn, Field::CurrentSituation]]
    );
    assert!(stays.iter().all(|stay| !stay.is_removed()));
}
