//! `dakwacht backup` and `dakwacht restore`: a copy of the whole SQLite database, and putting one
//! back. PostgreSQL has `pg_dump` and `pg_restore` for this (see the README).

use std::path::Path;
use std::process::ExitCode;

use dakwacht_app::{App, SqliteStore};

use crate::import::operator;

/// Said when someone asks for a backup of a PostgreSQL database.
pub const POSTGRES_ROUTE: &str = "backup and restore are for the SQLite database; for PostgreSQL use pg_dump and pg_restore (see 'Backups' in the README)";

pub async fn backup(app: &App<SqliteStore>, file: &Path) -> anyhow::Result<ExitCode> {
    let summary = app.backup(&operator(), file).await?;
    println!(
        "{}: {} case(s) written ({}).",
        file.display(),
        summary.cases,
        size(summary.bytes)
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(database: &str, file: &Path) -> anyhow::Result<ExitCode> {
    let summary = dakwacht_app::restore(&crate::import::os_user(), database, file).await?;
    println!(
        "{}: {} case(s) restored into {database}.",
        file.display(),
        summary.cases
    );
    if let Some(kept) = summary.previous_kept_as {
        println!(
            "The database as it was before is kept as {} (restore that file to undo this).",
            kept.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn size(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{} kB", bytes.div_ceil(1000)),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}
