//! What the tests of dakwacht share, so that each test reads like the product it checks:
//!
//! - [`Database`]: a fresh database of either kind (a SQLite file, or a schema of its own on a
//!   real PostgreSQL server, dropped afterwards), and [`on_both_stores!`] to run one scenario on
//!   both;
//! - the 23 cases of the published 2025 quickscan, read from the repository's own copy
//!   ([`quickscan_path`]);
//! - [`web::Client`]: the web application on a store, and [`web::Session`]s of signed-in users
//!   that send their form tokens themselves;
//! - [`http`]: raw HTTP/1.1 to a running `dakwacht serve`.
//!
//! Only for tests (a dev-dependency): it fails loudly on purpose.
#![allow(clippy::unwrap_used)]

pub mod accounts;
pub mod assessments;
mod database;
pub mod documents;
pub mod http;
pub mod second_factor;
pub mod web;

pub use database::{
    Database, PgSchema, TestStore, postgres, postgres_from_before, postgres_url, run_on, sqlite,
    sqlite_from_before, sqlite_in,
};

use std::path::PathBuf;

use dakwacht_core::Case;
use dakwacht_store::{Actor, AuditAction, AuditFilter, AuditRecord, ImportMessage, Store};

/// The password of every account a test makes with [`web::Client::add_user`].
pub const PASSWORD: &str = "een lange zin als wachtwoord";

/// The repository's copy of the published 2025 quickscan (`crates/cli/demo/quickscan-2025.csv`,
/// built into the binary as its demo data).
pub fn quickscan_path() -> PathBuf {
    PathBuf::from(QUICKSCAN)
}

/// [`quickscan_path`] as text, for command lines.
pub const QUICKSCAN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../cli/demo/quickscan-2025.csv"
);

/// Where the published file lives next to a checkout (`../shared/data/quickscan-2025.csv`),
/// when it does: a clean clone elsewhere may not have it.
pub fn published_quickscan_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/quickscan-2025.csv"
    ))
}

/// The bytes of the quickscan file.
pub fn quickscan_bytes() -> Vec<u8> {
    std::fs::read(quickscan_path()).unwrap()
}

/// The 23 cases of the published 2025 quickscan.
pub fn quickscan_cases() -> Vec<Case> {
    read_cases(&quickscan_bytes())
}

/// Every case of interchange CSV text that must be valid, all of it.
pub fn read_cases(text: &[u8]) -> Vec<Case> {
    dakwacht_interchange::CaseReader::csv(text)
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect()
}

/// Every record of children-file CSV text that must be valid, all of it.
pub fn read_children(text: &[u8]) -> Vec<dakwacht_core::ChildRow> {
    dakwacht_interchange::ChildReader::csv(text)
        .unwrap()
        .unwrap()
        .map(|(line, row)| row.unwrap_or_else(|e| panic!("line {line}: {e:?}")))
        .collect()
}

/// Imports `cases` in one import, committed, as the command line would.
pub async fn import_cases<S: Store>(store: &S, cases: Vec<Case>) {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store
        .import(&Actor::cli("test"), "test.csv", rx)
        .await
        .unwrap();
}

/// Imports interchange CSV text that must be valid, all of it.
pub async fn import_csv<S: Store>(store: &S, text: &[u8]) {
    import_cases(store, read_cases(text)).await;
}

/// The audit log, newest first: the lines of one actor (`"user:pro"`), of one action, or both.
pub async fn audit_of<S: Store>(
    store: &S,
    actor: Option<&str>,
    action: Option<AuditAction>,
) -> Vec<AuditRecord> {
    let filter = AuditFilter {
        actor: actor.map(str::to_string),
        action,
        ..AuditFilter::default()
    };
    store.audit_log(&filter).await.unwrap()
}

/// The measure `id` of a quickscan report in JSON (from the API or `dakwacht report`).
pub fn measure<'r>(report: &'r serde_json::Value, id: &str) -> &'r serde_json::Value {
    by_id(&report["measures"], id)
}

/// The entry of a JSON list (measures, signals, rules) whose `id` is `id`.
pub fn by_id<'r>(list: &'r serde_json::Value, id: &str) -> &'r serde_json::Value {
    let entries = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    let found = entries.iter().find(|entry| entry["id"] == id);
    found.unwrap_or_else(|| panic!("no {id} in {list}"))
}

/// The text under `key` of each entry of a JSON list (the actions of `dakwacht audit --format
/// json`, say), in order; every entry must have one.
pub fn texts_of<'r>(list: &'r serde_json::Value, key: &str) -> Vec<&'r str> {
    let entries = list
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"));
    let text = |entry: &'r serde_json::Value| {
        entry[key]
            .as_str()
            .unwrap_or_else(|| panic!("no text {key} in {entry}"))
    };
    entries.iter().map(text).collect()
}

#[doc(hidden)]
pub mod __private {
    pub use dakwacht_store::{PgStore, SqliteStore};
}
