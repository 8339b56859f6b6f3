#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! What each case contributes to the duration estimate, kept by both stores: counted as
//! `Contribution::of` says for every case, filtered like every count, and, for cases stored
//! before the column existed, filled in by the migration exactly as the code computes it.

use std::collections::BTreeMap;

use dakwacht_core::date::parse_date;
use dakwacht_core::{
    Case, CaseFilter, CaseRef, Contribution, DateOrMonth, LastSeen, LivingSituation,
};
use dakwacht_store::{SqliteStore, Store};

/// The quickscan's families, and variants of them that reach every branch of the duration:
/// losses by day and by month, reports whose day comes before or after the loss's, families
/// rehoused, still homeless, lost from view while homeless, last seen housed.
fn families() -> Vec<Case> {
    let mut cases = dakwacht_testkit::quickscan_cases();
    let base = cases.clone();
    let losses = [
        "2023-11-30",
        "2024-02",
        "2024-02-01",
        "2024-06-17",
        "2025-01-31",
    ];
    let mut n = 0;
    for case in &base {
        for lost in losses {
            for variant in 0..4 {
                n += 1;
                let mut c = case.clone();
                c.case_ref = CaseRef::parse(&format!("V-{n}")).unwrap();
                c.home_lost_on = DateOrMonth::parse(lost);
                c.situation_after = Some(LivingSituation::Car);
                c.rehoused_on = None;
                c.current_situation = None;
                c.last_seen = None;
                match variant {
                    0 => c.current_situation = Some(LivingSituation::FamilyShelter),
                    1 => {
                        c.last_seen = Some(LastSeen {
                            on: parse_date("2025-03-15").unwrap(),
                            situation: LivingSituation::SocialNetwork,
                        })
                    }
                    2 => {
                        c.rehoused_on = parse_date("2025-03-20");
                        c.current_situation = Some(LivingSituation::Housed);
                    }
                    _ => {
                        c.last_seen = Some(LastSeen {
                            on: parse_date("2025-02-10").unwrap(),
                            situation: LivingSituation::Housed,
                        })
                    }
                }
                if c.check().is_empty() {
                    cases.push(c);
                }
            }
        }
    }
    cases
}

fn expected<'a>(cases: impl IntoIterator<Item = &'a Case>) -> BTreeMap<Contribution, u64> {
    let mut counts = BTreeMap::new();
    for case in cases {
        *counts.entry(Contribution::of(case)).or_default() += 1;
    }
    counts
}

async fn counted<S: Store>(store: &S, filter: &CaseFilter) -> BTreeMap<Contribution, u64> {
    let mut counts = BTreeMap::new();
    for (contribution, cases) in store.duration_counts(filter).await.unwrap() {
        *counts.entry(contribution).or_default() += cases;
    }
    counts
}

async fn every_case_counts_as_the_code_says<S: Store>(store: &S) {
    let cases = families();
    assert!(cases.len() > 300, "{} families", cases.len());
    dakwacht_testkit::import_cases(store, cases.clone()).await;
    let all = counted(store, &CaseFilter::default()).await;
    assert_eq!(all, expected(&cases));
    // Not a trivial agreement: families lost from view have bounds apart from their estimate.
    assert!(all.keys().any(|c| matches!(
        c,
        Contribution::Counted { optimistic, pessimistic, .. } if optimistic != pessimistic
    )));
    assert!(all.contains_key(&Contribution::Excluded));

    let amsterdam = CaseFilter {
        municipality: Some("Amsterdam".into()),
        ..CaseFilter::default()
    };
    let selected = cases.iter().filter(|c| amsterdam.matches(c));
    assert_eq!(counted(store, &amsterdam).await, expected(selected));
}

dakwacht_testkit::on_both_stores!(every_case_counts_as_the_code_says);

/// The migration's statement, run again over cases the code wrote: it must write what the
/// code wrote. (A database from before the column gets its values from this statement.)
fn backfill(migration: &str) -> String {
    let start = migration.find("UPDATE cases SET survival").unwrap();
    let end = start + migration[start..].find("END;").unwrap() + "END".len();
    migration[start..end].to_string()
}

#[tokio::test]
async fn the_sqlite_migration_fills_in_what_the_code_computes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("survival.db");
    let store = SqliteStore::open(file.to_str().unwrap()).await.unwrap();
    let cases = families();
    dakwacht_testkit::import_cases(&store, cases.clone()).await;
    drop(store);
    let conn = rusqlite::Connection::open(&file).unwrap();
    let written = column(&conn);
    conn.execute("UPDATE cases SET survival = -1", []).unwrap();
    conn.execute(
        &backfill(include_str!("../migrations/sqlite/0014_survival.sql")),
        [],
    )
    .unwrap();
    assert_eq!(column(&conn), written);
    assert_eq!(written.len(), cases.len());
}

fn column(conn: &rusqlite::Connection) -> Vec<(i64, i64)> {
    let mut statement = conn
        .prepare("SELECT id, survival FROM cases ORDER BY id")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn the_postgres_migration_fills_in_what_the_code_computes() {
    let Some(schema) = dakwacht_testkit::PgSchema::create().await else {
        return;
    };
    let store = dakwacht_store::PgStore::connect(schema.options())
        .await
        .unwrap();
    let cases = families();
    dakwacht_testkit::import_cases(&store, cases.clone()).await;
    drop(store);
    let pool = sqlx::PgPool::connect_with(schema.options()).await.unwrap();
    let read = async || -> Vec<(i64, i64)> {
        sqlx::query_as("SELECT id, survival FROM cases ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap()
    };
    let written = read().await;
    sqlx::query("UPDATE cases SET survival = -1")
        .execute(&pool)
        .await
        .unwrap();
    let statement = backfill(include_str!("../migrations/postgres/0012_survival.sql"));
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(read().await, written);
    assert_eq!(written.len(), cases.len());
    pool.close().await;
    schema.drop().await;
}
