#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! An import into a database of few cases builds the report indexes after its rows (SQLite):
//! afterwards, and after an import that stored nothing, the schema has every index as its
//! migrations made it.

use dakwacht_store::{Actor, ImportMessage, Store};
use dakwacht_testkit::quickscan_cases;

fn indexes(file: &std::path::Path) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(file).unwrap();
    conn.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

async fn import(store: &impl Store, commit: bool) {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tx.send(ImportMessage::Cases(quickscan_cases()))
        .await
        .unwrap();
    if commit {
        tx.send(ImportMessage::Commit).await.unwrap();
    }
    drop(tx);
    let imported = store.import(&Actor::cli("test"), "test.csv", rx).await;
    assert_eq!(imported.is_ok(), commit, "{imported:?}");
}

#[tokio::test]
async fn an_import_leaves_every_index_as_the_migrations_made_it() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    let file = dir.path().join("dakwacht.db");
    let migrated = indexes(&file);
    assert!(
        migrated.iter().any(|(name, _)| name == "cases_profile"),
        "{migrated:?}"
    );
    assert!(migrated.iter().any(|(name, _)| name == "children_profile"));

    // Stopped before the end: nothing stored, the indexes dropped in it are back.
    import(&store, false).await;
    assert_eq!(indexes(&file), migrated);

    import(&store, true).await;
    assert_eq!(indexes(&file), migrated);
    // The rebuilt index holds the rows: a report's query through it counts every case.
    let conn = rusqlite::Connection::open(&file).unwrap();
    let through_index: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM cases INDEXED BY cases_profile",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(through_index, quickscan_cases().len() as i64);
}
