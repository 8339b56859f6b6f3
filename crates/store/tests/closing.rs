#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Closing a case, on both stores, and the migration that brought closing to a database that
//! existed before it (SQLite rebuilds the history table for it: nothing may be lost).

use dakwacht_core::{ClosingReason, Closure};
use dakwacht_store::{Actor, SqliteStore, Store, StoreError};

const ORG: &str = "Straatalliantie";

fn closure(reason: ClosingReason) -> Closure {
    Closure {
        on: jiff::civil::date(2026, 4, 3),
        reason,
    }
}

/// Closes a case that exists: whether it was open (and is closed now).
async fn close<S: Store>(store: &S, case_ref: &str, closure: &Closure) -> bool {
    let actor = Actor::cli("anna");
    store
        .close_case(&actor, ORG, case_ref, closure)
        .await
        .unwrap()
}

async fn a_case_is_closed_once_and_reopened_with_its_history<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let actor = Actor::cli("anna");
    let before = store
        .case_with_version(ORG, "QS-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.closure(ORG, "QS-01").await.unwrap(), None);

    let moved = closure(ClosingReason::MovedAway);
    assert!(close(store, "QS-01", &moved).await);
    assert!(
        !close(store, "QS-01", &closure(ClosingReason::Rehoused)).await,
        "closed already: the first closure stays"
    );
    assert_eq!(store.closure(ORG, "QS-01").await.unwrap(), Some(moved));
    // The content is as it was; the version went up, as for any change.
    let (case, version) = store
        .case_with_version(ORG, "QS-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((case, version), (before.0.clone(), before.1 + 1));
    // A save of the version before is refused, saying who closed it.
    let stale = store.save_case(&actor, &before.0, Some(before.1)).await;
    assert!(
        matches!(&stale, Err(StoreError::StaleVersion { by, .. }) if by == "cli:anna"),
        "{stale:?}"
    );

    assert!(store.reopen_case(&actor, ORG, "QS-01").await.unwrap());
    assert!(!store.reopen_case(&actor, ORG, "QS-01").await.unwrap());
    assert_eq!(store.closure(ORG, "QS-01").await.unwrap(), None);
    let history = store.history(ORG, "QS-01").await.unwrap();
    let actions: Vec<(&str, i64)> = history
        .iter()
        .map(|c| (c.action.as_str(), c.version))
        .collect();
    assert_eq!(actions, [("created", 1), ("closed", 2), ("reopened", 3)]);

    // Not there: not found, for each.
    for outcome in [
        store.close_case(&actor, ORG, "NOPE", &moved).await,
        store.reopen_case(&actor, ORG, "NOPE").await,
        store.closure(ORG, "NOPE").await.map(|c| c.is_some()),
    ] {
        assert!(
            matches!(outcome, Err(StoreError::NotFound(_))),
            "{outcome:?}"
        );
    }

    // Only the cases closed on or before the day are listed, and deleted.
    let early = Closure {
        on: jiff::civil::date(2020, 1, 31),
        reason: ClosingReason::ContactEnded,
    };
    assert!(close(store, "QS-06", &early).await);
    assert!(close(store, "QS-11", &moved).await);
    let listed = store
        .closed_cases(jiff::civil::date(2020, 1, 31))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].case_ref.as_str(), listed[0].closure),
        ("QS-06", early)
    );
    let deleted = store
        .delete_closed(&actor, jiff::civil::date(2020, 1, 31), "test")
        .await
        .unwrap();
    assert_eq!((deleted.cases, deleted.history_entries), (1, 1));
    assert!(store.case(ORG, "QS-06").await.unwrap().is_none());
    assert!(store.case(ORG, "QS-11").await.unwrap().is_some());
    assert_eq!(store.history(ORG, "QS-01").await.unwrap().len(), 3);
}

dakwacht_testkit::on_both_stores!(a_case_is_closed_once_and_reopened_with_its_history);

/// A database made before closing existed (schema version 5) keeps every case and history entry
/// when it is opened, and its history stays append-only for open cases.
#[tokio::test]
async fn a_database_from_before_closing_migrates_without_loss() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oud.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    dakwacht_testkit::sqlite_from_before(
        &file,
        "0006",
        &[
            "INSERT INTO organisations (id, name, created_at) VALUES (1, 'Straatalliantie', '2025-01-01T00:00:00Z')",
            "INSERT INTO cases (id, organisation_id, case_ref, version, created_at, updated_at, created_by, \
             reported_on, children_count, children_age_unknown, profile) \
             VALUES (7, 1, 'OUD-1', 2, '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', 'user:jan', '2025-01-01', 2, 0, 0)",
            "INSERT INTO case_changes (id, case_id, version, changed_at, actor, action, changes) \
             VALUES (41, 7, 2, '2025-02-01T00:00:00Z', 'user:jan', 'updated', '{\"children_count\": [\"1\", \"2\"]}')",
        ],
    )
    .await;

    let store = SqliteStore::open(file.to_str().unwrap()).await.unwrap();
    let history = store.history(ORG, "OUD-1").await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (
            history[1].action.as_str(),
            history[1].actor.as_str(),
            history[1].version
        ),
        ("updated", "user:jan", 2)
    );
    assert_eq!(history[1].fields, [dakwacht_core::Field::ChildrenCount]);
    assert_eq!(store.closure(ORG, "OUD-1").await.unwrap(), None);

    // Append-only as before, for an open case.
    let mut raw = sqlx::SqliteConnection::connect(&url).await.unwrap();
    for statement in [
        "DELETE FROM case_changes WHERE id = 41",
        "UPDATE case_changes SET actor = 'x' WHERE id = 41",
    ] {
        let refused = sqlx::query(statement).execute(&mut raw).await;
        assert!(refused.is_err(), "{statement}");
    }
    raw.close().await.unwrap();

    assert!(close(&store, "OUD-1", &closure(ClosingReason::Rehoused)).await);
    assert_eq!(store.history(ORG, "OUD-1").await.unwrap().len(), 3);
}
