//! One store test suite for both databases: each scenario is written once, generic over
//! [`Store`], and [`on_both_stores!`] runs it on a fresh SQLite file and on a fresh schema of a
//! real PostgreSQL server.
//!
//! PostgreSQL is found at `DAKWACHT_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/test`). Every test gets its own schema and drops it
//! afterwards, also when it fails. Without a server the PostgreSQL half is skipped with a loud
//! line, unless `REQUIRE_POSTGRES` is set (as `.ci/run` does): then it fails.
#![allow(dead_code, clippy::unwrap_used)] // not every test file uses every helper

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use dakwacht_store::{PgStore, SqliteStore};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The 23 cases of the published 2025 quickscan.
pub fn quickscan_cases() -> Vec<dakwacht_core::Case> {
    let text = std::fs::read("../../../shared/data/quickscan-2025.csv").unwrap();
    dakwacht_interchange::CaseReader::csv(&text[..])
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect()
}

pub async fn sqlite() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dakwacht.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    (dir, store)
}

pub fn postgres_url() -> String {
    std::env::var("DAKWACHT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A PostgreSQL store in a schema of its own.
pub struct TestDatabase {
    pub store: PgStore,
    pub schema: String,
    /// A connection to the same schema, for what the store deliberately does not offer.
    pub raw: PgPool,
    admin: PgPool,
}

impl TestDatabase {
    pub async fn drop_schema(self) {
        self.raw.close().await;
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {} CASCADE",
            self.schema
        )))
        .execute(&self.admin)
        .await;
    }
}

/// Options for a connection whose tables live in `schema`.
pub fn options_in(schema: &str) -> PgConnectOptions {
    PgConnectOptions::from_str(&postgres_url())
        .unwrap()
        .options([("search_path", schema)])
}

/// A fresh schema on the test server, or `None` (said loudly) when there is no server and
/// PostgreSQL is not required.
pub async fn postgres() -> Option<TestDatabase> {
    let url = postgres_url();
    let admin = match PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(3))
        .connect(&url)
        .await
    {
        Ok(pool) => pool,
        Err(error) => {
            if std::env::var_os("REQUIRE_POSTGRES").is_some() {
                panic!("REQUIRE_POSTGRES is set, but there is no PostgreSQL at {url}: {error}");
            }
            eprintln!(
                "!!! SKIPPED: the PostgreSQL half of this test, no server at {url} ({error}). \
                 Set DAKWACHT_TEST_POSTGRES, or REQUIRE_POSTGRES=1 to make this an error."
            );
            return None;
        }
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "dakwacht_test_{}_{}_{}",
        std::process::id(),
        nanos,
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    let store = PgStore::connect(options_in(&schema)).await.unwrap();
    let raw = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options_in(&schema))
        .await
        .unwrap();
    Some(TestDatabase {
        store,
        schema,
        raw,
        admin,
    })
}

/// Runs each named scenario `async fn name<S: Store>(store: &S)` once on SQLite and once on
/// PostgreSQL, as the tests `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_stores {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (_dir, store) = $crate::support::sqlite().await;
                    super::$name(&store).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(database) = $crate::support::postgres().await else {
                        return;
                    };
                    let outcome = futures_util::FutureExt::catch_unwind(
                        std::panic::AssertUnwindSafe(super::$name(&database.store)),
                    )
                    .await;
                    database.drop_schema().await;
                    if let Err(panic) = outcome {
                        std::panic::resume_unwind(panic);
                    }
                }
            )+
        }
    };
}

/// A second handle on the SQLite file of `first`: its own connections, as another process
/// (the web server next to a command-line import) would have.
pub async fn second_sqlite(dir: &tempfile::TempDir) -> SqliteStore {
    SqliteStore::open(dir.path().join("dakwacht.db").to_str().unwrap())
        .await
        .unwrap()
}

/// Runs each named scenario `async fn name<S: Store>(one: &S, other: &S)` with two independent
/// handles on one database (each with its own connections), on SQLite and on PostgreSQL, on a
/// multi-threaded runtime so the two really run at the same time.
#[macro_export]
macro_rules! on_both_stores_with_two_writers {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let (dir, one) = $crate::support::sqlite().await;
                    let other = $crate::support::second_sqlite(&dir).await;
                    super::$name(&one, &other).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(database) = $crate::support::postgres().await else {
                        return;
                    };
                    let other = dakwacht_store::PgStore::connect(
                        $crate::support::options_in(&database.schema),
                    )
                    .await
                    .unwrap();
                    let outcome = futures_util::FutureExt::catch_unwind(
                        std::panic::AssertUnwindSafe(super::$name(&database.store, &other)),
                    )
                    .await;
                    drop(other);
                    database.drop_schema().await;
                    if let Err(panic) = outcome {
                        std::panic::resume_unwind(panic);
                    }
                }
            )+
        }
    };
}
