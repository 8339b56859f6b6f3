#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Which PostgreSQL errors are "busy, try again": only a lock not had in time, a broken deadlock
//! and a serialisation failure, told by their SQLSTATE text. Errors raised by a real server.

use std::str::FromStr;
use std::time::Duration;

use dakwacht_core::access::Role;
use dakwacht_store::{Actor, PgStore, Store, StoreError};
use dakwacht_testkit::accounts::invitation;
use sqlx::{Connection, PgConnection};

/// The error a real server gives for a statement that fails with `sqlstate`.
async fn raised(conn: &mut PgConnection, sqlstate: &str) -> StoreError {
    let error = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DO $$ BEGIN RAISE EXCEPTION 'raised for a test' USING ERRCODE = '{sqlstate}'; END $$"
    )))
    .execute(&mut *conn)
    .await
    .unwrap_err();
    StoreError::from(error)
}

#[tokio::test]
async fn only_lock_and_serialisation_failures_of_postgres_are_busy() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    let mut conn = PgConnection::connect_with(&database.schema().options())
        .await
        .unwrap();
    let mut outcomes = Vec::new();
    for sqlstate in ["55P03", "40P01", "40001"] {
        outcomes.push((sqlstate, true, raised(&mut conn, sqlstate).await));
    }
    // 42501 (permission) reads as SQLite's BUSY when taken for a number.
    for sqlstate in ["42501", "23505", "42P01", "53300", "57014"] {
        outcomes.push((sqlstate, false, raised(&mut conn, sqlstate).await));
    }
    conn.close().await.unwrap();
    database.close().await;
    for (sqlstate, busy, outcome) in outcomes {
        if busy {
            assert!(
                matches!(outcome, StoreError::Busy),
                "{sqlstate}: {outcome:?}"
            );
        } else {
            assert!(
                matches!(outcome, StoreError::Database(_)),
                "{sqlstate}: {outcome:?}"
            );
        }
    }
}

/// An admission locks its organisation's row; another transaction holding that row past the
/// store's `lock_timeout` makes the store answer Busy (SQLSTATE 55P03), and nothing is stored.
#[tokio::test]
async fn a_row_held_past_the_lock_timeout_is_busy() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    let operator = Actor::cli("beheer");
    let store = &database.store;
    store.add_organisation(&operator, "Org").await.unwrap();
    // Connecting checks the migrations under PostgreSQL's advisory lock, which another test
    // process migrating its own schema may hold for a moment: with this timeout that is a lock
    // timeout too, so the connection is tried again.
    let mut attempts = 0;
    let impatient = loop {
        let options = database
            .schema()
            .options()
            .options([("lock_timeout", "100ms")]);
        match PgStore::connect(options).await {
            Ok(store) => break store,
            Err(error) if attempts < 50 => {
                attempts += 1;
                eprintln!("connecting again after: {error}");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(error) => panic!("{error}"),
        }
    };
    let mut holder = database.raw().begin().await.unwrap();
    sqlx::query("SELECT id FROM organisations WHERE name = 'Org' FOR UPDATE")
        .execute(&mut *holder)
        .await
        .unwrap();
    let outcome = tokio::time::timeout(
        Duration::from_secs(10),
        impatient.invite_user(
            &operator,
            &invitation("anna", Role::Coordinator, "Org", true),
        ),
    )
    .await;
    holder.rollback().await.unwrap();
    let users = store.users(None).await.unwrap();
    drop(impatient);
    database.close().await;
    assert!(matches!(outcome, Ok(Err(StoreError::Busy))), "{outcome:?}");
    assert!(users.is_empty(), "nothing stored");
}

/// A role without rights on the tables gets a permission error (42501): a fault to report, not
/// "busy, try again".
#[tokio::test]
async fn a_permission_error_is_not_busy() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    let role = format!("{}_norights", database.schema().name);
    let mut conn = PgConnection::connect_with(&database.schema().options())
        .await
        .unwrap();
    let schema = &database.schema().name;
    for statement in [
        format!("CREATE ROLE {role} NOLOGIN"),
        format!("GRANT USAGE ON SCHEMA {schema} TO {role}"),
        format!("SET ROLE {role}"),
    ] {
        execute(&mut conn, statement).await;
    }
    let error = sqlx::query("SELECT name FROM organisations")
        .execute(&mut conn)
        .await
        .unwrap_err();
    let sqlstate = error
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.to_string());
    let outcome = StoreError::from(error);
    for statement in [
        "RESET ROLE".to_string(),
        format!("DROP OWNED BY {role}"),
        format!("DROP ROLE {role}"),
    ] {
        execute(&mut conn, statement).await;
    }
    conn.close().await.unwrap();
    database.close().await;
    assert_eq!(sqlstate.as_deref(), Some("42501"));
    assert!(matches!(outcome, StoreError::Database(_)), "{outcome:?}");
}

/// Runs one statement of a test's own making.
async fn execute(conn: &mut PgConnection, statement: String) {
    sqlx::query(sqlx::AssertSqlSafe(statement))
        .execute(conn)
        .await
        .unwrap();
}

/// A server that cannot be reached is not busy.
#[tokio::test]
async fn an_unreachable_server_is_unavailable_not_busy() {
    // Nothing listens on port 1 of this machine.
    let mut options =
        sqlx::postgres::PgConnectOptions::from_str(&dakwacht_testkit::postgres_url()).unwrap();
    options = options.host("127.0.0.1").port(1);
    let error = PgConnection::connect_with(&options).await.unwrap_err();
    let outcome = StoreError::from(error);
    assert!(matches!(outcome, StoreError::Unavailable(_)), "{outcome:?}");
}
