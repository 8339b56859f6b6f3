#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The `dakwacht` binary on PostgreSQL (`--database postgres://…`): the same commands, the same
//! answers as on SQLite; the web application signs in and shows the figures; and a database
//! newer than the binary is refused on both.
//!
//! Uses the server at `DAKWACHT_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`)
//! in a schema of its own; skipped loudly without a server unless `REQUIRE_POSTGRES` is set.

mod common;

use common::{QUICKSCAN, assert_says, dakwacht, dakwacht_with_input, ok, runtime};
use dakwacht_testkit::{PgSchema, http};

/// The same file imported, reported, checked and exported on both databases gives the same answers.
fn same_answers_on_both(postgres: &str, sqlite: &str) {
    for database in [postgres, sqlite] {
        let first = ok(dakwacht(database, &["import", QUICKSCAN]));
        assert_says(&first, "23 created, 0 updated, 0 unchanged");
        let again = ok(dakwacht(database, &["import", QUICKSCAN]));
        assert_says(&again, "0 created, 0 updated, 23 unchanged");
    }
    for args in [
        &["report", "quickscan", "--format", "json"][..],
        &[
            "report",
            "quickscan",
            "--by",
            "municipality",
            "--format",
            "json",
        ][..],
        &["report", "quickscan", "--by", "quarter", "--format", "json"][..],
        &[
            "report",
            "quickscan",
            "--by",
            "organisation",
            "--format",
            "json",
        ][..],
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
    let Some(schema) = runtime.block_on(PgSchema::create()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("same.db");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        same_answers_on_both(&schema.url(), sqlite.to_str().unwrap());
    }));
    runtime.block_on(schema.drop());
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
    let Some(schema) = runtime.block_on(PgSchema::create()) else {
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
    runtime.block_on(schema.drop());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// The web application on PostgreSQL: a researcher signs in (account and session in
/// PostgreSQL) and sees the published figures computed by PostgreSQL.
fn the_web_application_serves_the_figures(url: &str) {
    use std::io::BufRead;
    ok(dakwacht(url, &["import", QUICKSCAN]));
    let password = "een lange zin als wachtwoord";
    ok(dakwacht_with_input(
        url,
        &[
            "user",
            "add",
            "onderzoek",
            "--role",
            "researcher",
            "--password-stdin",
        ],
        &format!("{password}\n"),
    ));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_dakwacht"))
        .args(["--database", url, "serve", "--listen", "127.0.0.1:0"])
        .env_remove("DAKWACHT_DATABASE")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let first = std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let served = std::panic::catch_unwind(|| {
        let address = first
            .strip_prefix("dakwacht runs at http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_string();
        let signed_in = http::sign_in(&address, "onderzoek", password);
        assert!(signed_in.starts_with("HTTP/1.1 303"), "{signed_in}");
        let cookie = http::session_of(&signed_in);
        let dashboard = http::get(&address, "/dashboard", Some(&cookie));
        assert!(dashboard.starts_with("HTTP/1.1 200"), "{dashboard}");
        assert!(dashboard.contains("59% (13/22)"), "route.no_court");
    });
    child.kill().unwrap();
    child.wait().unwrap();
    if let Err(panic) = served {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn the_web_application_runs_on_postgres() {
    let runtime = runtime();
    let Some(schema) = runtime.block_on(PgSchema::create()) else {
        return;
    };
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        the_web_application_serves_the_figures(&schema.url());
    }));
    runtime.block_on(schema.drop());
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}
