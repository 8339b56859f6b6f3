//! The embedded store: one SQLite file, created and migrated on first use, in WAL mode.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use dakwacht_core::{
    Case, CaseFilter, CaseProfile, Facts, Field, Observation, ProfileCount, Variable,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use tokio::sync::mpsc;

use crate::rows::{SELECT_CASE, SELECT_VERSIONED_CASE, StoredCase, VersionedCase};
use crate::sqlite_accounts;
use crate::{
    Actor, AuditEntry, AuditFilter, AuditRecord, CaseSummary, Change, ImportMessage, ImportSummary,
    NewSession, NewUser, SessionKind, Store, StoreError, User,
};

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
        let conn = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        conn.busy_timeout(self.write_wait)?;
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
pub(crate) const WRITE_WAIT: Duration = Duration::from_secs(30);

/// How long an import waits for another writer (usually another import): an import is
/// started by hand and waited for, so it queues behind the other rather than fails.
pub(crate) const IMPORT_WAIT: Duration = Duration::from_secs(10 * 60);

/// Appends ` WHERE …` for a filter over `cases c`.
/// Adds ` WHERE …` for the filter; `true` when it added any condition.
pub(crate) fn push_filter(query: &mut QueryBuilder<Sqlite>, filter: &CaseFilter) -> bool {
    let mut first = true;
    let mut and = |query: &mut QueryBuilder<Sqlite>| {
        query.push(if first { " WHERE " } else { " AND " });
        first = false;
    };
    if let Some(org) = &filter.organisation {
        and(query);
        query.push("c.organisation_id = (SELECT id FROM organisations WHERE name = ");
        query.push_bind(org.trim().to_string());
        query.push(")");
    }
    if let Some(key) = filter.municipality_key() {
        and(query);
        query.push("c.municipality_key = ");
        query.push_bind(key);
    }
    for (column, code) in [
        ("c.tenancy", filter.tenancy.map(|t| t.code())),
        ("c.route", filter.route.map(|r| r.code())),
        (
            "c.current_situation",
            filter.current_situation.map(|s| s.code()),
        ),
    ] {
        if let Some(code) = code {
            and(query);
            query.push(column).push(" = ").push_bind(code);
        }
    }
    if filter.out_of_view {
        and(query);
        query.push("c.current_situation IS NULL AND c.rehoused_on IS NULL");
    }
    if let Some(part) = filter.case_ref_search() {
        // LIKE is case-insensitive for ASCII in SQLite, as the domain's test is; `\` escapes the
        // wildcards a reference may contain.
        let escaped = part
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        and(query);
        query
            .push("c.case_ref LIKE ")
            .push_bind(format!("%{escaped}%"))
            .push(" ESCAPE '\\'");
    }
    if let Some(from) = filter.home_lost_from {
        and(query);
        query.push("c.home_lost_on >= ");
        query.push_bind(dakwacht_core::date::format_date(from));
    }
    if let Some(to) = filter.home_lost_to {
        and(query);
        query.push("c.home_lost_on <= ");
        query.push_bind(dakwacht_core::date::format_date(to));
    }
    !first
}

/// The selection, then one page of it in `(organisation, case_ref)` order after `after`: keyset
/// paging, which the unique index on that pair keeps as fast on the last page as on the first.
pub(crate) fn push_page(
    query: &mut QueryBuilder<Sqlite>,
    filter: &CaseFilter,
    after: Option<(&str, &str)>,
    limit: u32,
) {
    let filtered = push_filter(query, filter);
    query.push(if filtered { " AND " } else { " WHERE " });
    let (after_org, after_ref) = after.unwrap_or(("", ""));
    query
        .push("(o.name, c.case_ref) > (")
        .push_bind(after_org.to_string())
        .push(", ")
        .push_bind(after_ref.to_string())
        .push(") ORDER BY o.name, c.case_ref LIMIT ")
        .push_bind(i64::from(limit));
}

impl Store for SqliteStore {
    async fn import(
        &self,
        actor: &Actor,
        source: &str,
        messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, StoreError> {
        let (file, actor, source) = (self.file.clone(), actor.clone(), source.to_string());
        tokio::task::spawn_blocking(move || {
            crate::sqlite_import::import(&file, &actor, &source, messages)
        })
        .await
        .map_err(|e| StoreError::Open(format!("the import stopped unexpectedly: {e}")))?
    }

    async fn export(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<Case>>,
    ) -> Result<u64, StoreError> {
        use futures_util::TryStreamExt;
        let mut query = QueryBuilder::<Sqlite>::new(SELECT_CASE);
        push_filter(&mut query, filter);
        query.push(" ORDER BY o.name, c.case_ref");
        let mut rows = query.build_query_as::<StoredCase>().fetch(&self.pool);
        let mut batch = Vec::with_capacity(1000);
        let mut count = 0;
        while let Some(row) = rows.try_next().await? {
            batch.push(row.into_case()?);
            count += 1;
            if batch.len() == 1000 && batches.send(std::mem::take(&mut batch)).await.is_err() {
                return Ok(count);
            }
        }
        if !batch.is_empty() {
            let _ = batches.send(batch).await;
        }
        Ok(count)
    }

    async fn cases_after(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<Case>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(SELECT_CASE);
        push_page(&mut query, filter, after, limit);
        let rows: Vec<StoredCase> = query.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(StoredCase::into_case).collect()
    }

    async fn extra_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, StoreError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT DISTINCT j.key FROM cases c, json_each(c.extra) j");
        let filtered = push_filter(&mut query, filter);
        query.push(if filtered { " AND " } else { " WHERE " });
        query.push("c.extra IS NOT NULL ORDER BY j.key");
        Ok(query.build_query_scalar().fetch_all(&self.pool).await?)
    }

    async fn profile_counts(&self, filter: &CaseFilter) -> Result<Vec<ProfileCount>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT c.profile, COUNT(*), SUM(c.children_count), SUM(c.children_age_unknown) FROM cases c",
        );
        push_filter(&mut query, filter);
        query.push(" GROUP BY c.profile");
        let rows = query.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let packed: i64 = row.try_get(0)?;
                let profile = CaseProfile::unpack(packed).ok_or_else(|| {
                    StoreError::Corrupt(format!("unknown statistical profile {packed}"))
                })?;
                let count = |i: usize| row.try_get::<i64, _>(i).map(|v| v.max(0) as u64);
                Ok(ProfileCount {
                    profile,
                    cases: count(1)?,
                    children: count(2)?,
                    children_age_unknown: count(3)?,
                })
            })
            .collect()
    }

    async fn facts_counts(
        &self,
        filter: &CaseFilter,
        sets: &[Vec<Variable>],
    ) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
        let (file, filter, sets) = (self.file.clone(), filter.clone(), sets.to_vec());
        tokio::task::spawn_blocking(move || crate::sqlite_scan::facts_counts(&file, &filter, &sets))
            .await
            .map_err(|e| StoreError::Corrupt(format!("the counting task stopped: {e}")))?
    }

    async fn municipality_count(&self, filter: &CaseFilter) -> Result<u64, StoreError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT COUNT(DISTINCT c.municipality_key) FROM cases c");
        push_filter(&mut query, filter);
        let count: i64 = query.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(count.max(0) as u64)
    }

    async fn home_losses_by_month(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT substr(c.home_lost_on, 1, 7) AS month, COUNT(*) FROM cases c",
        );
        let filtered = push_filter(&mut query, filter);
        query.push(if filtered { " AND " } else { " WHERE " });
        query.push("c.home_lost_on IS NOT NULL GROUP BY month ORDER BY month");
        let rows: Vec<(String, i64)> = query.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(month, count)| (month, count.max(0) as u64))
            .collect())
    }

    async fn case(&self, organisation: &str, case_ref: &str) -> Result<Option<Case>, StoreError> {
        let row: Option<StoredCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_CASE} WHERE o.name = $1 AND c.case_ref = $2"
        )))
        .bind(organisation)
        .bind(case_ref)
        .fetch_optional(&self.pool)
        .await?;
        row.map(StoredCase::into_case).transpose()
    }

    async fn cases_by_ref(
        &self,
        organisation: &str,
        case_refs: &[String],
    ) -> Result<Vec<Case>, StoreError> {
        let rows: Vec<StoredCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_CASE} WHERE o.name = $1 AND c.case_ref IN (SELECT value FROM json_each($2))"
        )))
        .bind(organisation)
        .bind(serde_json::to_string(case_refs).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StoredCase::into_case).collect()
    }

    async fn history(&self, organisation: &str, case_ref: &str) -> Result<Vec<Change>, StoreError> {
        // Creation is kept on the case row itself; later changes in case_changes.
        let rows = sqlx::query(
            "SELECT 1 AS version, c.created_at, c.created_by, 'created', NULL FROM cases c \
             JOIN organisations o ON o.id = c.organisation_id WHERE o.name = $1 AND c.case_ref = $2 \
             UNION ALL \
             SELECT h.version, h.changed_at, h.actor, h.action, h.changes FROM case_changes h \
             JOIN cases c ON c.id = h.case_id JOIN organisations o ON o.id = c.organisation_id \
             WHERE o.name = $1 AND c.case_ref = $2 ORDER BY 1",
        )
        .bind(organisation)
        .bind(case_ref)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let changes: Option<String> = row.try_get(4)?;
                let fields = changes
                    .and_then(|c| {
                        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&c).ok()
                    })
                    .map(|m| m.keys().filter_map(|k| Field::from_header(k)).collect())
                    .unwrap_or_default();
                Ok(Change {
                    version: row.try_get(0)?,
                    changed_at: row.try_get(1)?,
                    actor: row.try_get(2)?,
                    action: row.try_get(3)?,
                    fields,
                })
            })
            .collect()
    }

    async fn add_organisation(&self, actor: &Actor, name: &str) -> Result<bool, StoreError> {
        sqlite_accounts::add_organisation(&self.pool, actor, name).await
    }

    async fn organisations(&self) -> Result<Vec<String>, StoreError> {
        sqlite_accounts::organisations(&self.pool).await
    }

    async fn add_user(&self, actor: &Actor, user: &NewUser) -> Result<(), StoreError> {
        sqlite_accounts::add_user(&self.pool, actor, user).await
    }

    async fn users(&self, organisation: Option<&str>) -> Result<Vec<User>, StoreError> {
        sqlite_accounts::users(&self.pool, organisation).await
    }

    async fn disable_user(&self, actor: &Actor, username: &str) -> Result<bool, StoreError> {
        sqlite_accounts::disable_user(&self.pool, actor, username).await
    }

    async fn invite_user(
        &self,
        actor: &Actor,
        invitation: &crate::Invitation,
    ) -> Result<crate::Admission, StoreError> {
        crate::sqlite_activation::invite_user(&self.pool, actor, invitation).await
    }

    async fn renew_activation_link(
        &self,
        actor: &Actor,
        username: &str,
        organisation: Option<&str>,
        by_administrator: bool,
        link: &crate::NewActivationLink,
    ) -> Result<crate::Admission, StoreError> {
        crate::sqlite_activation::renew_activation_link(
            &self.pool,
            actor,
            username,
            organisation,
            by_administrator,
            link,
        )
        .await
    }

    async fn approve_user(
        &self,
        actor: &Actor,
        organisation: &str,
        username: &str,
        link: &crate::NewActivationLink,
    ) -> Result<bool, StoreError> {
        crate::sqlite_activation::approve_user(&self.pool, actor, organisation, username, link)
            .await
    }

    async fn reject_user(
        &self,
        actor: &Actor,
        organisation: &str,
        username: &str,
    ) -> Result<bool, StoreError> {
        crate::sqlite_activation::reject_user(&self.pool, actor, organisation, username).await
    }

    async fn activation_link(&self, token_hash: &str) -> Result<crate::LinkState, StoreError> {
        crate::sqlite_activation::activation_link(&self.pool, token_hash).await
    }

    async fn activate_user(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<crate::LinkState, StoreError> {
        crate::sqlite_activation::activate_user(&self.pool, token_hash, password_hash).await
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>, StoreError> {
        sqlite_accounts::user_for_login(&self.pool, username).await
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlite_accounts::append(&mut conn, entry).await
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        sqlite_accounts::audit_log(&self.pool, filter).await
    }

    async fn create_session(
        &self,
        username: &str,
        session: &NewSession,
    ) -> Result<bool, StoreError> {
        sqlite_accounts::create_session(&self.pool, username, session).await
    }

    async fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<Option<(User, String)>, StoreError> {
        sqlite_accounts::session(&self.pool, token_hash, kind).await
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlite_accounts::end_session(&self.pool, token_hash).await
    }

    async fn save_case(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
    ) -> Result<i64, StoreError> {
        let (file, actor, case) = (self.file.clone(), actor.clone(), case.clone());
        tokio::task::spawn_blocking(move || {
            crate::sqlite_save::save(&file, &actor, &case, expected_version)
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("the save task stopped: {e}")))?
    }

    async fn case_with_version(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Option<(Case, i64)>, StoreError> {
        let row: Option<VersionedCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SELECT_VERSIONED_CASE} WHERE o.name = $1 AND c.case_ref = $2"
        )))
        .bind(organisation)
        .bind(case_ref)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| Ok((row.case.into_case()?, row.version)))
            .transpose()
    }

    async fn follow_up(
        &self,
        organisation: &str,
        contact_before: &str,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        sqlite_accounts::follow_up(&self.pool, organisation, contact_before, limit).await
    }

    async fn add_observation(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        observation: &Observation,
    ) -> Result<(), StoreError> {
        sqlite_accounts::add_observation(&self.pool, actor, organisation, case_ref, observation)
            .await
    }

    async fn observations(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Vec<Observation>, StoreError> {
        sqlite_accounts::observations(&self.pool, organisation, case_ref).await
    }

    async fn case_page(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        sqlite_accounts::case_page(&self.pool, filter, after, limit).await
    }
}
