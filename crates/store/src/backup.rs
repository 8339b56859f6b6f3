//! Backups of the SQLite database, and restoring one.
//!
//! A backup is `VACUUM INTO`: one read transaction, so the copy is the database as it was at one
//! moment, while imports and edits go on (in WAL mode a reader and the writer do not wait for
//! each other). It is written under a temporary name and renamed when it is complete and checked,
//! so a backup file that exists is whole.
//!
//! A restore checks the backup before it touches anything: an SQLite file that passes
//! `PRAGMA integrity_check`, made by dakwacht, with a schema this dakwacht knows. The current
//! database is then copied aside, and replaced with SQLite's backup API in one write
//! transaction: a server that has the database open sees either the old or the restored data.
//!
//! PostgreSQL has its own tools for this (`pg_dump`, `pg_restore`); see the README.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, backup::StepResult};

use crate::sqlite::{MIGRATOR, SqliteFile, SqliteStore, WRITE_WAIT, file_of};
use crate::{Actor, AuditAction, AuditEntry, Store, StoreError};

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub cases: u64,
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    /// The cases in the restored database.
    pub cases: u64,
    /// Where the database as it was before the restore was kept, if there was one.
    pub previous_kept_as: Option<PathBuf>,
}

impl SqliteStore {
    /// Writes a consistent copy of the whole database to `target`, which must not exist yet.
    pub async fn backup(&self, actor: &Actor, target: &Path) -> Result<BackupSummary, StoreError> {
        if target.exists() {
            return Err(StoreError::Backup(format!(
                "{} exists already; nothing was written (a backup never overwrites a file: choose a new name)",
                target.display()
            )));
        }
        if let Some(folder) = target.parent().filter(|f| !f.as_os_str().is_empty())
            && !folder.is_dir()
        {
            return Err(StoreError::Backup(format!(
                "{}: there is no such folder; nothing was written",
                folder.display()
            )));
        }
        let partial = with_suffix(target, ".partial");
        // What a backup that was stopped half-way left behind.
        let _ = std::fs::remove_file(&partial);
        // Made empty and owner-only first, so the copy is never readable by others, not even
        // while it is written (VACUUM INTO writes into an empty file).
        crate::private_file::precreate_private(&partial).map_err(|e| {
            StoreError::Backup(format!("{}: cannot be written: {e}", target.display()))
        })?;
        let name = partial.to_str().ok_or_else(|| {
            StoreError::Backup(format!(
                "{}: dakwacht can only write to a path that is valid UTF-8",
                target.display()
            ))
        })?;
        if let Err(error) = sqlx::query("VACUUM INTO ?")
            .bind(name)
            .execute(&self.pool)
            .await
        {
            let _ = std::fs::remove_file(&partial);
            return Err(match StoreError::from(error) {
                StoreError::Database(error) => StoreError::Backup(format!(
                    "the backup could not be written to {}: {error}",
                    target.display()
                )),
                other => other,
            });
        }
        let (checked, file, who) = (partial.clone(), self.file.clone(), actor.clone());
        let cases = tokio::task::spawn_blocking(move || {
            let cases = seal(&checked)?;
            record(&file, &who, cases)?;
            Ok::<_, StoreError>(cases)
        })
        .await
        .map_err(|e| StoreError::Backup(format!("the backup was stopped: {e}")))?;
        let cases = match cases {
            Ok(cases) => cases,
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
        };
        crate::private_file::make_private(&partial).map_err(|e| {
            StoreError::Backup(format!("{}: cannot be written: {e}", target.display()))
        })?;
        std::fs::rename(&partial, target).map_err(|e| {
            StoreError::Backup(format!("{}: cannot be written: {e}", target.display()))
        })?;
        let bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
        Ok(BackupSummary { cases, bytes })
    }

    /// Replaces the database at `location` (a file path or `sqlite:` URL) by the backup at
    /// `backup`, after checking the backup; the current database is kept next to it first. An
    /// older backup is brought up to this dakwacht's schema; a newer one is refused.
    pub async fn restore(
        location: &str,
        backup: &Path,
        actor: &Actor,
    ) -> Result<RestoreSummary, StoreError> {
        let database = file_of(location)?;
        let source = backup.to_path_buf();
        let previous_kept_as = tokio::task::spawn_blocking(move || replace(&source, &database))
            .await
            .map_err(|e| StoreError::Backup(format!("the restore was stopped: {e}")))??;
        let store = SqliteStore::open(location).await?;
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&store.pool)
            .await?;
        let cases = u64::try_from(count).unwrap_or(0);
        store
            .audit(
                &AuditEntry::new(actor, AuditAction::Restore)
                    .detail(format!("{cases} cases from a backup")),
            )
            .await?;
        Ok(RestoreSummary {
            cases,
            previous_kept_as,
        })
    }
}

/// Makes a fresh copy a file of its own (no write-ahead log beside it), checks it and counts
/// its cases.
fn seal(copy: &Path) -> Result<u64, StoreError> {
    let conn = Connection::open(copy)?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(StoreError::Backup(format!(
            "the copy did not pass SQLite's check ({check}); no backup was written"
        )));
    }
    count_cases(&conn)
}

/// Audits the backup. The copy did not wait for a running import, but this entry has to: it
/// waits as long as an import would, so a backup during a long import still completes.
fn record(file: &SqliteFile, actor: &Actor, cases: u64) -> Result<(), StoreError> {
    let mut conn = file.connect_for_import()?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    crate::audit_chain::append_on_sqlite(
        &tx,
        &jiff::Timestamp::now().to_string(),
        &AuditEntry::new(actor, AuditAction::Backup).detail(format!("{cases} cases")),
    )?;
    tx.commit()?;
    Ok(())
}

fn count_cases(conn: &Connection) -> Result<u64, StoreError> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM cases", [], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

fn replace(backup: &Path, database: &Path) -> Result<Option<PathBuf>, StoreError> {
    if same_file(backup, database) {
        return Err(StoreError::Backup(format!(
            "{} is the database itself; nothing was changed",
            backup.display()
        )));
    }
    let source = checked_backup(backup)?;
    let kept = keep_current(database)?;
    crate::private_file::precreate_private(database).map_err(|e| {
        StoreError::Backup(format!(
            "{} cannot be written: {e}; nothing was changed",
            database.display()
        ))
    })?;
    let mut target = Connection::open(database)?;
    target.busy_timeout(WRITE_WAIT)?;
    let copy = rusqlite::backup::Backup::new(&source, &mut target)?;
    // All pages in one step: one write transaction on the database, so it is replaced whole.
    match copy.step(-1)? {
        StepResult::Done => Ok(kept),
        StepResult::Busy | StepResult::Locked => Err(StoreError::Busy),
        // `step(-1)` copies everything or fails; this is for the compiler's sake.
        _ => Err(StoreError::Backup(
            "the restore did not finish; run it again".to_string(),
        )),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Opens the backup read-only after checking that it can be restored.
fn checked_backup(path: &Path) -> Result<Connection, StoreError> {
    let refuse =
        |why: String| StoreError::Backup(format!("{}: {why}; nothing was changed", path.display()));
    if !path.is_file() {
        return Err(refuse("there is no such file".to_string()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let check: String = match conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)) {
        Ok(check) => check,
        Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(refuse(
                "this is not a dakwacht backup (not an SQLite database)".to_string(),
            ));
        }
        Err(error) if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            return Err(refuse(format!("the backup is damaged ({error})")));
        }
        Err(error) => return Err(error.into()),
    };
    if check != "ok" {
        return Err(refuse(format!(
            "the backup is damaged (SQLite's check says: {check})"
        )));
    }
    let tables: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'cases')",
        [],
        |row| row.get(0),
    )?;
    if tables != 2 {
        return Err(refuse(
            "this SQLite file is not a dakwacht database".to_string(),
        ));
    }
    let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    let applied = {
        let mut query =
            conn.prepare("SELECT version, checksum FROM _sqlx_migrations WHERE success")?;
        query
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?
    };
    for (version, checksum) in applied {
        match MIGRATOR.iter().find(|m| m.version == version) {
            Some(ours) if *ours.checksum == *checksum => {}
            None if version > known => {
                return Err(StoreError::TooNew {
                    found: version,
                    known,
                });
            }
            _ => {
                return Err(refuse(format!(
                    "its schema step {version} is not this dakwacht's; it was not made by dakwacht"
                )));
            }
        }
    }
    Ok(conn)
}

/// Copies the current database aside (`<file>.before-restore-<time>`), so a restore of the
/// wrong backup can be undone. `None` when there is no database yet.
fn keep_current(database: &Path) -> Result<Option<PathBuf>, StoreError> {
    if std::fs::metadata(database).map(|m| m.len()).unwrap_or(0) == 0 {
        return Ok(None);
    }
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let kept = with_suffix(database, &format!(".before-restore-{stamp}"));
    let name = kept.to_str().ok_or_else(|| {
        StoreError::Backup(format!(
            "{}: dakwacht can only write to a path that is valid UTF-8",
            kept.display()
        ))
    })?;
    let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.busy_timeout(WRITE_WAIT)?;
    let not_kept = |e: std::io::Error| {
        StoreError::Backup(format!(
            "the current database could not be kept as {}: {e}; nothing was changed",
            kept.display()
        ))
    };
    // Owner-only from the start: the kept copy holds every case.
    crate::private_file::precreate_private(&kept).map_err(not_kept)?;
    match conn.execute("VACUUM INTO ?1", [name]) {
        Ok(_) => {
            crate::private_file::make_private(&kept).map_err(not_kept)?;
            Ok(Some(kept))
        }
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            let _ = std::fs::remove_file(&kept);
            Err(StoreError::Busy)
        }
        // A database too damaged to read is the very reason to restore: keep its bytes as they are.
        Err(_) => {
            // `copy` gives the copy the database's permissions; narrow them again.
            std::fs::copy(database, &kept).map_err(not_kept)?;
            crate::private_file::make_private(&kept).map_err(not_kept)?;
            Ok(Some(kept))
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
