#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The `dakwacht` binary on PostgreSQL (`--database postgres://…`): the same commands, the same
//! answers as on SQLite; and a database newer than the binary is refused on both.
//!
//! Uses the server at `DAKWACHT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`)
//! in a schema of its own; skipped loudly without a server unless `REQUIRE_POSTGRES` is set.

use std::process::{Command, Output};

const QUICKSCAN: &str = "../../../shared/data/quickscan-2025.csv";

fn dakwacht(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env_remove("DAKWACHT_DATABASE")
        .env_remove("DAKWACHT_RULES")
        .output()
        .expect("the binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn base_url() -> String {
    std::env::var("DAKWACHT_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A schema of its own on the test server, dropped at the end; `None` when there is no server
/// and PostgreSQL is not required.
struct Schema {
    name: String,
    admin: sqlx::PgPool,
}

impl Schema {
    fn create(runtime: &tokio::runtime::Runtime, label: &str) -> Option<Schema> {
        let url = base_url();
        let admin = runtime.block_on(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .acquire_timeout(std::time::Duration::from_secs(3))
                .connect(&url),
        );
        let admin = match admin {
            Ok(admin) => admin,
            Err(error) if std::env::var_os("REQUIRE_POSTGRES").is_none() => {
                eprintln!("!!! SKIPPED: PostgreSQL test, no server at {url} ({error})");
                return None;
            }
            Err(error) => {
                panic!("REQUIRE_POSTGRES is set, but there is no PostgreSQL at {url}: {error}")
            }
        };
        let name = format!("dakwacht_cli_{label}_{}", std::process::id());
        runtime
            .block_on(
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
                )))
                .execute(&admin),
            )
            .unwrap();
        Some(Schema { name, admin })
    }

    /// The URL dakwacht is given: the test database, with this schema first on the path.
    fn url(&self) -> String {
        format!("{}?options=-c%20search_path%3D{}", base_url(), self.name)
    }

    fn drop(self, runtime: &tokio::runtime::Runtime) {
        let _ = runtime.block_on(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {} CASCADE",
                self.name
            )))
            .execute(&self.admin),
        );
    }
}

/// The same file imported, reported, checked and exported on both databases gives the same answers.
fn same_answers_on_both(postgres: &str, sqlite: &str) {
    for database in [postgres, sqlite] {
        let first = ok(dakwacht(database, &["import", QUICKSCAN]));
        assert!(
            first.contains("23 created, 0 updated, 0 unchanged"),
            "{first}"
        );
        let again = ok(dakwacht(database, &["import", QUICKSCAN]));
        assert!(
            again.contains("0 created, 0 updated, 23 unchanged"),
            "{again}"
        );
    }
    for args in [
        &["report", "quickscan", "--format", "json"][..],
        &["check", "--format", "json"][..],
        &["export", "--format", "csv"][..],
        &["organisation", "list"][..],
    ] {
        assert_eq!(
            ok(dakwacht(postgres, args)),
            ok(dakwacht(sqlite, args)),
            "{args:?}"
        );
    }
    let report = ok(dakwacht(
        postgres,
        &["report", "quickscan", "--format", "json"],
    ));
    assert!(
        report.contains("\"numerator\": 13") || report.contains("\"numerator\":13"),
        "{report}"
    );
}

#[test]
fn every_command_answers_the_same_on_postgres_and_sqlite() {
    let runtime = runtime();
    let Some(schema) = Schema::create(&runtime, "same") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("same.db");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        same_answers_on_both(&schema.url(), sqlite.to_str().unwrap());
    }));
    schema.drop(&runtime);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

const FUTURE_MIGRATION: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
     VALUES (9999, 'from a newer dakwacht', TRUE, X'00', 0)";

fn refused_as_too_new(database: &str) {
    let refused = dakwacht(database, &["report", "quickscan"]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("newer dakwacht (schema version 9999"),
        "{message}"
    );
}

#[test]
fn a_database_newer_than_the_binary_is_refused() {
    let runtime = runtime();
    // SQLite: a file that a newer dakwacht migrated further.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("newer.db");
    ok(dakwacht(file.to_str().unwrap(), &["organisation", "list"]));
    runtime.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        sqlx::query(FUTURE_MIGRATION).execute(&pool).await.unwrap();
        pool.close().await;
    });
    refused_as_too_new(file.to_str().unwrap());

    // PostgreSQL: the same.
    let Some(schema) = Schema::create(&runtime, "newer") else {
        return;
    };
    let url = schema.url();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ok(dakwacht(&url, &["organisation", "list"]));
        runtime.block_on(async {
            let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
            let pool = sqlx::PgPool::connect_with(options).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(
                FUTURE_MIGRATION.replace("X'00'", "'\\x00'::bytea"),
            ))
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        });
        refused_as_too_new(&url);
    }));
    schema.drop(&runtime);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
