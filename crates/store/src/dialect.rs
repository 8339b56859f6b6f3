//! What SQLite and PostgreSQL do differently in the statements both stores share.
//!
//! The shared statements are written once, with `$1`-style parameters (SQLite takes them as
//! numbered parameters too), in the functions of [`Sql`]; each database says here how it starts a
//! writing transaction, how it locks a row, how it matches text, and what its pool's time-outs
//! mean.

use std::future::Future;
use std::marker::PhantomData;

use sqlx::pool::PoolConnection;
use sqlx::{Decode, Encode, Executor, Pool, Postgres, Sqlite, Transaction, Type};

use crate::StoreError;

/// A database both stores' shared statements run on.
pub(crate) trait Dialect:
    sqlx::Database<Arguments: sqlx::IntoArguments<Self>> + sqlx::database::HasStatementCache
{
    /// What follows a `SELECT` of one organisation's row to keep others from admitting accounts
    /// into it until this transaction ends. SQLite needs nothing: `BEGIN IMMEDIATE` holds the
    /// whole database.
    const LOCK_ROW: &'static str;

    /// What makes appenders to the audit log's hash chain take turns within their transactions
    /// (see `audit_chain`). SQLite needs nothing: `BEGIN IMMEDIATE` holds the whole database.
    const LOCK_AUDIT: Option<&'static str>;

    /// The text of a `LIKE` comparison of the case reference: the domain's search ignores case,
    /// as SQLite's `LIKE` does for ASCII and PostgreSQL's does not.
    const CASE_REF_LIKE: (&'static str, &'static str);

    /// The start of the statement for the free `x_` columns: the distinct keys of the JSON
    /// object `c.extra` of `cases c`, compared byte by byte (SQLite's order).
    const EXTRA_KEYS: &'static str;

    /// What follows `cases c` in the follow-up list of one professional's own cases: they are
    /// few, and SQLite (which keeps no statistics here) walked all of an organisation's open
    /// cases in the list's order instead (0.2–0.7 s at 100,000, under load).
    const BY_ASSIGNEE: &'static str;

    /// What follows `c.case_ref` to match it against a list of references bound as parameter 2.
    const CASE_REF_IN: &'static str;

    /// A list of references as that parameter takes it.
    type CaseRefs: Param<Self> + Send;

    fn case_refs(refs: &[String]) -> Result<Self::CaseRefs, StoreError>;

    /// Starts a transaction that will write: on SQLite it takes the write lock at once, so two
    /// writers queue instead of one failing halfway.
    fn begin_write(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<Transaction<'static, Self>, StoreError>> + Send;

    /// A connection for reading.
    fn acquire(
        pool: &Pool<Self>,
    ) -> impl Future<Output = Result<PoolConnection<Self>, StoreError>> + Send;

    /// A connection as something to run statements on.
    fn on(connection: &mut Self::Connection) -> impl Executor<'_, Database = Self>;

    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// A value that can be bound to a parameter of a statement on `D`.
pub(crate) trait Param<D: sqlx::Database>: for<'q> Encode<'q, D> + Type<D> {}

impl<T, D: sqlx::Database> Param<D> for T where T: for<'q> Encode<'q, D> + Type<D> {}

/// A value that is written to and read from columns of `D` (text, integers, booleans).
pub(crate) trait Stored<D: sqlx::Database>: Param<D> + for<'r> Decode<'r, D> {}

impl<T, D: sqlx::Database> Stored<D> for T where T: Param<D> + for<'r> Decode<'r, D> {}

/// The statements both stores share, for the database `D` (see the `queries` modules).
pub(crate) struct Sql<D>(PhantomData<D>);

impl Dialect for Sqlite {
    const LOCK_ROW: &'static str = "";
    const LOCK_AUDIT: Option<&'static str> = None;
    const CASE_REF_LIKE: (&'static str, &'static str) = ("c.case_ref LIKE ", "");
    const EXTRA_KEYS: &'static str = "SELECT DISTINCT j.key FROM cases c, json_each(c.extra) j";
    const BY_ASSIGNEE: &'static str = " INDEXED BY cases_assigned_to";
    const CASE_REF_IN: &'static str = "IN (SELECT value FROM json_each($2))";
    /// A JSON array: SQLite has no array parameters.
    type CaseRefs = String;

    fn case_refs(refs: &[String]) -> Result<String, StoreError> {
        serde_json::to_string(refs).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, StoreError> {
        pool.begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(sqlite_wait)
    }

    async fn acquire(pool: &Pool<Self>) -> Result<PoolConnection<Self>, StoreError> {
        pool.acquire().await.map_err(sqlite_wait)
    }

    fn on(connection: &mut Self::Connection) -> impl Executor<'_, Database = Self> {
        connection
    }

    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}

/// SQLite's pool runs out of time only when every connection waits for another writer: the
/// database is busy, not out of reach (it is a file on this machine).
fn sqlite_wait(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        other => other.into(),
    }
}

impl Dialect for Postgres {
    const LOCK_ROW: &'static str = " FOR UPDATE";
    const LOCK_AUDIT: Option<&'static str> = Some(crate::audit_chain::LOCK_AUDIT);
    const CASE_REF_LIKE: (&'static str, &'static str) = ("lower(c.case_ref) LIKE lower(", ")");
    const EXTRA_KEYS: &'static str = "SELECT DISTINCT k.key COLLATE \"C\" FROM cases c, jsonb_object_keys(c.extra::jsonb) AS k(key)";
    const BY_ASSIGNEE: &'static str = "";
    const CASE_REF_IN: &'static str = "= ANY($2::text[])";
    type CaseRefs = Vec<String>;

    fn case_refs(refs: &[String]) -> Result<Vec<String>, StoreError> {
        Ok(refs.to_vec())
    }

    async fn begin_write(pool: &Pool<Self>) -> Result<Transaction<'static, Self>, StoreError> {
        Ok(pool.begin().await?)
    }

    async fn acquire(pool: &Pool<Self>) -> Result<PoolConnection<Self>, StoreError> {
        Ok(pool.acquire().await?)
    }

    fn on(connection: &mut Self::Connection) -> impl Executor<'_, Database = Self> {
        connection
    }

    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}
