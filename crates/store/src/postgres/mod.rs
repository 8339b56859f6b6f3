//! The shared store: PostgreSQL, for one dakwacht used by several organisations.
//!
//! The same tables as SQLite (see `migrations/postgres`), the same row type ([`StoredCase`]), the
//! same behaviour; only the SQL dialect differs. Writes that SQLite serialises by having one
//! writer are serialised here with row locks (`SELECT … FOR UPDATE` when saving a case) and one
//! advisory lock for imports, so two imports of overlapping files cannot interleave.

mod children;
mod copy;
mod scan;
mod set_aside;
mod signals;
mod write;

use std::str::FromStr;

use dakwacht_core::{Case, CaseFilter, Facts, Variable};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};
use tokio::sync::mpsc;

use crate::queries::signature_types::*;
use crate::{Actor, ImportMessage, ImportSummary, StayNews, Store, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host/database`) and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Open(e.to_string()))?;
        Self::connect(options).await
    }

    /// Connects with prepared options (for instance with a `search_path`, as the tests do to
    /// give every test run its own schema).
    pub async fn connect(options: PgConnectOptions) -> Result<Self, StoreError> {
        // One plain connection first: a wrong address or password is reported at once, instead
        // of after the pool's half a minute of retrying.
        use sqlx::{ConnectOptions, Connection};
        let probe = options
            .connect()
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        probe.close().await?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        crate::migrate(&MIGRATOR, &pool).await?;
        Ok(PgStore { pool })
    }
}

impl Store for PgStore {
    async fn import(
        &self,
        actor: &Actor,
        source: &str,
        messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, StoreError> {
        write::import(&self.pool, actor, source, messages).await
    }

    async fn facts_counts(
        &self,
        filter: &CaseFilter,
        sets: &[Vec<Variable>],
    ) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
        scan::facts_counts(&self.pool, filter, sets).await
    }

    async fn profile_counts(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<dakwacht_core::ProfileCount>, StoreError> {
        crate::dialect::Sql::<Postgres>::profile_counts(&self.pool, filter).await
    }

    async fn duration_counts(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<(dakwacht_core::Contribution, u64)>, StoreError> {
        crate::dialect::Sql::<Postgres>::duration_counts(&self.pool, filter).await
    }

    async fn child_figures(
        &self,
        filter: &CaseFilter,
    ) -> Result<dakwacht_core::ChildFigures, StoreError> {
        crate::dialect::Sql::<Postgres>::child_figures(&self.pool, filter).await
    }

    async fn keep_signals(
        &self,
        fingerprint: i64,
        sets: &[Vec<Variable>],
        judge: crate::Judge,
    ) -> Result<u64, StoreError> {
        signals::keep_signals(&self.pool, fingerprint, sets, &judge).await
    }

    async fn kept_signal_counts(
        &self,
        filter: &CaseFilter,
        fingerprint: i64,
    ) -> Result<crate::KeptCounts, StoreError> {
        signals::kept_counts(&self.pool, filter, fingerprint).await
    }

    async fn save_with_stay(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
        news: Option<StayNews>,
    ) -> Result<i64, StoreError> {
        write::save(&self.pool, actor, case, expected_version, news).await
    }

    // SQLite reads an export its own way (`sqlite::export`); PostgreSQL streams the shared
    // statement.
    crate::queries::forward_to_sql! {
        dialect: Postgres, pool: pool;
        export(filter: &CaseFilter, batches: Sender<Vec<Case>>) -> u64;
        export_children(filter: &CaseFilter, batches: Sender<Vec<ChildRow>>) -> u64;
    }

    crate::queries::shared_store_methods!(dialect: Postgres, pool: pool);
}
