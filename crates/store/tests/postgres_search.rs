//! The reference search on PostgreSQL reads a trigram index (migration 0019) where the server
//! has `pg_trgm`, and finds any part of a reference whatever its case, with or without it.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::CaseFilter;
use dakwacht_store::{PgStore, Store};
use dakwacht_testkit::{PgSchema, import_cases, quickscan_cases};
use sqlx::ConnectOptions;

#[tokio::test]
async fn any_part_of_a_reference_is_found_through_the_trigram_index() {
    let Some(schema) = PgSchema::create().await else {
        return;
    };
    let store = PgStore::connect(schema.options()).await.unwrap();
    import_cases(&store, quickscan_cases()).await;

    let mut conn = schema.options().connect().await.unwrap();
    let (available, indexed): (bool, bool) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'), \
         EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() \
                 AND indexname = 'cases_case_ref_trigrams')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    if available {
        assert!(indexed, "pg_trgm is there, so the index must be");
    } else {
        eprintln!("!!! SKIPPED: the trigram index half of this test, the server has no pg_trgm");
    }

    // Part of a reference, in either case: found, and only those.
    for part in ["qs-0", "S-01", "qs-1"] {
        let filter = CaseFilter {
            case_ref_contains: Some(part.into()),
            ..CaseFilter::default()
        };
        let mut found: Vec<String> = store
            .case_page(&filter, None, 100)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.case_ref)
            .collect();
        found.sort();
        let mut expected: Vec<String> = quickscan_cases()
            .into_iter()
            .map(|c| c.case_ref.as_str().to_string())
            .filter(|r| r.to_lowercase().contains(&part.to_lowercase()))
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{part}");
        assert_eq!(found, expected, "{part}");
    }
    drop(conn);
    schema.drop().await;
}
