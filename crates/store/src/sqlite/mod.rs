//! The embedded store: one SQLite file, created and migrated on first use, in WAL mode.

mod export;
mod import;
mod save;
mod scan;
mod signals;
mod tally;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use dakwacht_core::{Case, CaseFilter, Facts, Variable};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};
use tokio::sync::mpsc;

use crate::queries::signature_types::*;
use crate::{Actor, ImportMessage, ImportSummary, StayNews, Store, StoreError};

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// The database file, for the paths that use rusqlite directly (import, save, scan).
    pub(crate) file: SqliteFile,
}

/// The database file as the rusqlite paths open it: each opens its own connection, which waits
/// for another writer as long as the store was told to.
#[derive(Clone, Debug)]
pub(crate) struct SqliteFile {
    pub(crate) path: std::path::PathBuf,
    write_wait: Duration,
}

impl SqliteFile {
    /// A connection for one change or one read, waiting [`SqliteStore::open_waiting`]'s time.
    pub(crate) fn connect(&self) -> rusqlite::Result<rusqlite::Connection> {
        let conn = rusqlite::Connection::open(&self.path)?;
        conn.busy_timeout(self.write_wait)?;
        Ok(conn)
    }

    /// A read-only connection (it cannot take the write lock, whatever a query tries).
    pub(crate) fn connect_read_only(&self) -> rusqlite::Result<rusqlite::Connection> {
        // A rusqlite connection is used by one thread at a time: without SQLite's own mutex
        // around every call (what rusqlite's default flags also leave out), a scan of a million
        // rows spends a sixth less time (BENCHMARKS.md, 2026-12-02).
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(self.write_wait)?;
        // Pages read straight from the operating system's cache instead of copied into each
        // connection's own: the report's counts read on several connections at once.
        conn.pragma_update(None, "mmap_size", READ_MAP_BYTES)?;
        Ok(conn)
    }

    /// A connection for an import, which queues behind another import rather than fail.
    pub(crate) fn connect_for_import(&self) -> rusqlite::Result<rusqlite::Connection> {
        let conn = rusqlite::Connection::open(&self.path)?;
        conn.busy_timeout(IMPORT_WAIT.max(self.write_wait))?;
        Ok(conn)
    }
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the database at `location`: a file path or a
    /// `sqlite:` URL.
    pub async fn open(location: &str) -> Result<Self, StoreError> {
        Self::open_waiting(location, WRITE_WAIT).await
    }

    /// As [`SqliteStore::open`], with how long a change waits for another writer before it gives
    /// up with [`StoreError::Busy`].
    pub async fn open_waiting(location: &str, write_wait: Duration) -> Result<Self, StoreError> {
        let options = options_for(location)?;
        // A new database is made readable by its owner only; SQLite gives the -wal and -shm
        // files the same permissions. (An in-memory database has no file.)
        let file = options.get_filename();
        if file != Path::new(":memory:") && !file.as_os_str().is_empty() {
            crate::private_file::precreate_private(file)
                .map_err(|e| StoreError::Open(format!("cannot create {}: {e}", file.display())))?;
        }
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commit.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(write_wait)
            .pragma("cache_size", "-120000")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let file = SqliteFile {
            path: options.get_filename().to_path_buf(),
            write_wait,
        };
        crate::migrate(&MIGRATOR, &pool).await?;
        Ok(SqliteStore { pool, file })
    }
}

/// The connection options for `location`: a file path or a `sqlite:` URL.
fn options_for(location: &str) -> Result<SqliteConnectOptions, StoreError> {
    let url = if location.starts_with("sqlite:") {
        location.to_string()
    } else {
        format!("sqlite://{location}")
    };
    SqliteConnectOptions::from_str(&url).map_err(|e| StoreError::Open(e.to_string()))
}

/// The database file that `location` names.
pub(crate) fn file_of(location: &str) -> Result<std::path::PathBuf, StoreError> {
    Ok(options_for(location)?.get_filename().to_path_buf())
}

/// How long a change (a save, an audit entry, a sign-in) waits for another writer before it
/// gives up with [`StoreError::Busy`]. SQLite has one writer at a time, and a large import holds
/// it for as long as it stores its file (about 17 seconds for a million cases): long enough to
/// outlast most imports, short enough that a web request answers before a browser gives up.
/// How much of the database file a read-only connection maps into memory (SQLite caps it at
/// its compiled limit, about 2 GB).
const READ_MAP_BYTES: i64 = 2_000_000_000;

pub(crate) const WRITE_WAIT: Duration = Duration::from_secs(30);

/// How long an import waits for another writer (usually another import): an import is
/// started by hand and waited for, so it queues behind the other rather than fails.
pub(crate) const IMPORT_WAIT: Duration = Duration::from_secs(10 * 60);

impl SqliteStore {
    /// Runs `work` on the file on a thread that may block (rusqlite's fast paths), with the
    /// filter it reads; `what` names the task if it stops unexpectedly.
    async fn on_file<T: Send + 'static>(
        &self,
        what: &'static str,
        filter: &CaseFilter,
        work: impl FnOnce(&SqliteFile, &CaseFilter) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (file, filter) = (self.file.clone(), filter.clone());
        tokio::task::spawn_blocking(move || work(&file, &filter))
            .await
            .map_err(|e| StoreError::Corrupt(format!("the {what} task stopped: {e}")))?
    }
}

impl Store for SqliteStore {
    async fn import(
        &self,
        actor: &Actor,
        source: &str,
        messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, StoreError> {
        let (file, actor, source) = (self.file.clone(), actor.clone(), source.to_string());
        tokio::task::spawn_blocking(move || import::import(&file, &actor, &source, messages))
            .await
            .map_err(|e| StoreError::Open(format!("the import stopped unexpectedly: {e}")))?
    }

    async fn export(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<Case>>,
    ) -> Result<u64, StoreError> {
        self.on_file("export", filter, move |file, filter| {
            export::export(file, filter, &batches)
        })
        .await
    }

    async fn export_children(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<dakwacht_core::ChildRow>>,
    ) -> Result<u64, StoreError> {
        self.on_file("export", filter, move |file, filter| {
            export::export_children(file, filter, &batches)
        })
        .await
    }

    async fn facts_counts(
        &self,
        filter: &CaseFilter,
        sets: &[Vec<Variable>],
    ) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
        let sets = sets.to_vec();
        self.on_file("counting", filter, move |file, filter| {
            scan::facts_counts(file, filter, &sets)
        })
        .await
    }

    async fn profile_counts(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<dakwacht_core::ProfileCount>, StoreError> {
        self.on_file("counting", filter, scan::profile_counts).await
    }

    async fn duration_counts(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<(dakwacht_core::Contribution, u64)>, StoreError> {
        self.on_file("counting", filter, scan::duration_counts)
            .await
    }

    async fn child_figures(
        &self,
        filter: &CaseFilter,
    ) -> Result<dakwacht_core::ChildFigures, StoreError> {
        self.on_file("counting", filter, scan::child_figures).await
    }

    async fn keep_signals(
        &self,
        fingerprint: i64,
        sets: &[Vec<Variable>],
        judge: crate::Judge,
    ) -> Result<u64, StoreError> {
        let (file, sets) = (self.file.clone(), sets.to_vec());
        tokio::task::spawn_blocking(move || {
            signals::keep_signals(&file, fingerprint, &sets, &judge)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("the signals task stopped: {e}")))?
    }

    async fn kept_signal_counts(
        &self,
        filter: &CaseFilter,
        fingerprint: i64,
    ) -> Result<crate::KeptCounts, StoreError> {
        self.on_file("counting", filter, move |file, filter| {
            signals::kept_counts(file, filter, fingerprint)
        })
        .await
    }

    async fn save_with_stay(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
        news: Option<StayNews>,
    ) -> Result<i64, StoreError> {
        let (file, actor, case) = (self.file.clone(), actor.clone(), case.clone());
        tokio::task::spawn_blocking(move || {
            save::save(&file, &actor, &case, expected_version, news)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("the save task stopped: {e}")))?
    }

    crate::queries::shared_store_methods!(dialect: Sqlite, pool: pool);
}
