//! The connection to PostgreSQL over TLS (ASVS 5.0 V12.3.1, V12.3.2): a server that offers TLS
//! is spoken to encrypted by default (`sslmode=prefer`, as libpq); `sslmode=verify-full` checks
//! the server's certificate and name, against the public roots or the `sslrootcert` given, and
//! refuses a server it cannot check. PostgreSQL only (SQLite is a local file).
//!
//! Debian's server offers TLS with its self-signed "snakeoil" certificate for `localhost`; a
//! server without TLS skips this test, loudly.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::str::FromStr;

use dakwacht_store::{PgStore, StoreError};
use dakwacht_testkit::{PgSchema, postgres_url};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{ConnectOptions, Connection};

/// Whether the connection made with `options` is encrypted, as the server sees it.
async fn encrypted(options: &PgConnectOptions) -> bool {
    let mut conn = options.connect().await.unwrap();
    let ssl: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    ssl
}

#[tokio::test]
async fn postgres_is_spoken_to_over_tls_and_its_certificate_checked_when_asked() {
    let Some(schema) = PgSchema::create().await else {
        return;
    };
    let options = schema.options();
    let mut conn = options.connect().await.unwrap();
    let (ssl, certificate): (String, String) =
        sqlx::query_as("SELECT current_setting('ssl'), current_setting('ssl_cert_file')")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    if ssl != "on" {
        eprintln!(
            "!!! SKIPPED: the PostgreSQL server at {} offers no TLS (ssl = {ssl})",
            postgres_url()
        );
        schema.drop().await;
        return;
    }

    // By default (as libpq: `prefer`), and when asked for (`require`).
    assert!(encrypted(&options).await, "sslmode=prefer");
    let required = options.clone().ssl_mode(PgSslMode::Require);
    assert!(encrypted(&required).await, "sslmode=require");
    let store = PgStore::connect(required).await.unwrap();
    drop(store);

    // A certificate no public root signed is refused when it is to be checked, with the reason.
    let checked = PgConnectOptions::from_str(&postgres_url())
        .unwrap()
        .host("localhost")
        .ssl_mode(PgSslMode::VerifyFull);
    let refused = PgStore::connect(checked.clone()).await.err().unwrap();
    assert!(matches!(refused, StoreError::Open(_)), "{refused:?}");
    let message = refused.to_string();
    assert!(
        message.starts_with("the database cannot be opened") && message.contains("certificate"),
        "{message}"
    );

    // With the server's own certificate as the root to trust (`sslrootcert`), the server and
    // its name are checked and the connection is made. (Only where the test can read the
    // certificate the server names, as on Debian.)
    if std::fs::metadata(&certificate).is_ok() {
        let trusted = checked.ssl_root_cert(certificate.as_str());
        assert!(encrypted(&trusted).await, "sslmode=verify-full");
        // The name is checked too: the certificate is for "localhost", not for 127.0.0.1.
        let wrong_name = trusted.clone().host("127.0.0.1");
        assert!(PgStore::connect(wrong_name).await.is_err());
    } else {
        eprintln!("!!! SKIPPED: the server's certificate {certificate} cannot be read here");
    }
    schema.drop().await;
}
