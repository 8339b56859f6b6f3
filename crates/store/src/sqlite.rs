//! The embedded store: one SQLite file, created and migrated on first use, in WAL mode.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use dakwacht_core::{Case, CaseFilter, CaseProfile, Field, ProfileCount};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, Transaction};
use tokio::sync::mpsc;

use crate::rows::{COLUMNS, CaseRow, SELECT_CASE, StoredCase};
use crate::{Actor, Change, ImportMessage, ImportSummary, Store, StoreError};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Rows per multi-row INSERT: 37 parameters × 800 rows stays under SQLite's 32,766 parameters.
const INSERT_BATCH: usize = 800;
/// Rows per lookup of existing cases (one parameter each, plus the organisation).
const LOOKUP_BATCH: usize = 900;

#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the database at `location`: a file path or a
    /// `sqlite:` URL.
    pub async fn open(location: &str) -> Result<Self, StoreError> {
        let url = if location.starts_with("sqlite:") {
            location.to_string()
        } else {
            format!("sqlite://{location}")
        };
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Open(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL never corrupts the database; a power cut may lose the last commit.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-120000")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Open(e.to_string()))?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore { pool })
    }

    /// A write transaction that takes the write lock at once, so that it never fails half-way
    /// with "database is locked" when another writer came first; it waits instead.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }
}

/// Appends ` WHERE …` for a filter over `cases c`.
fn push_filter(query: &mut QueryBuilder<Sqlite>, filter: &CaseFilter) {
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
}

/// The state of one import transaction.
struct Import<'t> {
    tx: Transaction<'t, Sqlite>,
    actor: &'t Actor,
    import_id: i64,
    at: String,
    /// Organisation ids by name, and whether the organisation had cases before this import
    /// (if not, every case of it is new and lookups can be skipped).
    organisations: HashMap<String, (i64, bool)>,
    summary: ImportSummary,
}

impl Import<'_> {
    async fn organisation(&mut self, name: &str) -> Result<(i64, bool), StoreError> {
        if let Some(&known) = self.organisations.get(name) {
            return Ok(known);
        }
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *self.tx)
                .await?;
        let entry = match existing {
            Some(id) => {
                let has_cases: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM cases WHERE organisation_id = $1)",
                )
                .bind(id)
                .fetch_one(&mut *self.tx)
                .await?;
                (id, has_cases)
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(name)
                .bind(&self.at)
                .fetch_one(&mut *self.tx)
                .await?;
                (id, false)
            }
        };
        self.organisations.insert(name.to_string(), entry);
        Ok(entry)
    }

    async fn store(&mut self, cases: Vec<Case>) -> Result<(), StoreError> {
        let mut by_organisation: HashMap<String, Vec<Case>> = HashMap::new();
        for case in cases {
            by_organisation
                .entry(case.organisation.to_string())
                .or_default()
                .push(case);
        }
        for (name, cases) in by_organisation {
            let (org_id, had_cases) = self.organisation(&name).await?;
            let existing = if had_cases {
                self.existing(org_id, &cases).await?
            } else {
                HashMap::new()
            };
            let mut new = Vec::new();
            for case in cases {
                match existing.get(case.case_ref.as_str()) {
                    None => new.push(case),
                    Some((id, old)) => {
                        let changed: Vec<Field> = old.changed_fields(&case);
                        let extra_changed = old.extra != case.extra;
                        if changed.is_empty() && !extra_changed {
                            self.summary.unchanged += 1;
                        } else {
                            self.update(*id, old, &case, &changed).await?;
                            self.summary.updated += 1;
                        }
                    }
                }
            }
            for chunk in new.chunks(INSERT_BATCH) {
                self.insert(org_id, chunk).await?;
            }
        }
        Ok(())
    }

    /// The stored versions of these cases that exist, by case reference.
    async fn existing(
        &mut self,
        org_id: i64,
        cases: &[Case],
    ) -> Result<HashMap<String, (i64, Case)>, StoreError> {
        let mut found = HashMap::new();
        for chunk in cases.chunks(LOOKUP_BATCH) {
            let mut query = QueryBuilder::<Sqlite>::new(SELECT_CASE);
            query
                .push(" WHERE c.organisation_id = ")
                .push_bind(org_id)
                .push(" AND c.case_ref IN (");
            let mut refs = query.separated(", ");
            for case in chunk {
                refs.push_bind(case.case_ref.to_string());
            }
            query.push(")");
            let rows: Vec<StoredCase> = query.build_query_as().fetch_all(&mut *self.tx).await?;
            for row in rows {
                let id = row.id;
                let case = row.into_case()?;
                found.insert(case.case_ref.to_string(), (id, case));
            }
        }
        Ok(found)
    }

    async fn insert(&mut self, org_id: i64, cases: &[Case]) -> Result<(), StoreError> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO cases (organisation_id, version, created_at, updated_at, created_by, import_id, ",
        );
        query.push(COLUMNS.join(", ")).push(") ");
        let rows: Vec<CaseRow> = cases.iter().map(CaseRow::from_case).collect();
        query.push_values(rows, |mut b, row| {
            b.push_bind(org_id)
                .push_bind(1i64)
                .push_bind(self.at.clone())
                .push_bind(self.at.clone())
                .push_bind(self.actor.as_str().to_string())
                .push_bind(self.import_id);
            bind_row(&mut b, row);
        });
        let result = query.build().execute(&mut *self.tx).await?;
        self.summary.created += result.rows_affected();
        Ok(())
    }

    async fn update(
        &mut self,
        id: i64,
        old: &Case,
        new: &Case,
        changed: &[Field],
    ) -> Result<(), StoreError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("UPDATE cases SET version = version + 1, updated_at = ");
        query.push_bind(self.at.clone());
        let row = CaseRow::from_case(new);
        {
            let mut set = query.separated(", ");
            set.push_unseparated(", ");
            for (column, value) in COLUMNS.iter().zip(row_values(row)) {
                set.push(format!("{column} = "));
                value.bind_unseparated(&mut set);
            }
        }
        query
            .push(" WHERE id = ")
            .push_bind(id)
            .push(" RETURNING version");
        let version: i64 = query.build_query_scalar().fetch_one(&mut *self.tx).await?;

        // What changed, old and new; the text of notes stays out of the history (it may be the very
        // thing someone wanted gone), only the fact that it changed is kept.
        let mut changes = serde_json::Map::new();
        for field in changed {
            let pair = if *field == Field::Notes {
                serde_json::Value::Null
            } else {
                serde_json::json!([old.text(*field), new.text(*field)])
            };
            changes.insert(field.name().to_string(), pair);
        }
        if old.extra != new.extra {
            changes.insert("extra".into(), serde_json::json!([old.extra, new.extra]));
        }
        sqlx::query(
            "INSERT INTO case_changes (case_id, version, changed_at, actor, action, import_id, changes) \
             VALUES ($1, $2, $3, $4, 'updated', $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(&self.at)
        .bind(self.actor.as_str())
        .bind(self.import_id)
        .bind(serde_json::Value::Object(changes).to_string())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}

/// A column value to bind, whatever its Rust type.
enum Value {
    Text(Option<String>),
    Code(Option<&'static str>),
    Int(Option<i64>),
    Bool(Option<bool>),
}

impl Value {
    fn bind_unseparated(self, set: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>) {
        match self {
            Value::Text(v) => set.push_bind_unseparated(v),
            Value::Code(v) => set.push_bind_unseparated(v),
            Value::Int(v) => set.push_bind_unseparated(v),
            Value::Bool(v) => set.push_bind_unseparated(v),
        };
    }

    fn bind(self, set: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>) {
        match self {
            Value::Text(v) => set.push_bind(v),
            Value::Code(v) => set.push_bind(v),
            Value::Int(v) => set.push_bind(v),
            Value::Bool(v) => set.push_bind(v),
        };
    }
}

/// The values of a row in [`COLUMNS`] order.
fn row_values(r: CaseRow) -> Vec<Value> {
    use Value::*;
    vec![
        Text(Some(r.case_ref)),
        Text(Some(r.reported_on)),
        Text(r.municipality),
        Text(r.municipality_key),
        Code(r.household),
        Int(Some(r.children_count)),
        Text(r.children_ages),
        Code(r.tenancy),
        Text(r.home_lost_on),
        Code(r.home_lost_precision),
        Code(r.route),
        Code(r.main_reason),
        Text(r.other_reasons),
        Code(r.legal_support),
        Bool(r.default_judgment),
        Code(r.alternative_offered),
        Code(r.situation_after),
        Code(r.current_situation),
        Text(r.last_seen_on),
        Code(r.last_seen_situation),
        Text(r.rehoused_on),
        Bool(r.child_heard),
        Bool(r.best_interest_weighed),
        Code(r.family_separated),
        Bool(r.shelter_refused_no_binding),
        Bool(r.school_disrupted),
        Text(r.notes),
        Text(r.extra),
        Int(Some(r.children_age_unknown)),
        Int(r.homeless_months),
        Int(Some(r.profile)),
    ]
}

fn bind_row(b: &mut sqlx::query_builder::Separated<'_, Sqlite, &'static str>, row: CaseRow) {
    for value in row_values(row) {
        value.bind(b);
    }
}

impl Store for SqliteStore {
    async fn import(
        &self,
        actor: &Actor,
        source: &str,
        mut messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.begin_write().await?;
        let at = now();
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (actor, source, started_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(actor.as_str())
        .bind(source)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        let mut import = Import {
            tx,
            actor,
            import_id,
            at,
            organisations: HashMap::new(),
            summary: ImportSummary::default(),
        };
        loop {
            match messages.recv().await {
                Some(ImportMessage::Cases(cases)) => import.store(cases).await?,
                Some(ImportMessage::Commit) => break,
                // Dropping the transaction rolls it back: nothing of this file is kept.
                None => return Err(StoreError::ImportAborted),
            }
        }
        let s = import.summary;
        sqlx::query("UPDATE imports SET finished_at = $1, created = $2, updated = $3, unchanged = $4 WHERE id = $5")
            .bind(now())
            .bind(s.created as i64)
            .bind(s.updated as i64)
            .bind(s.unchanged as i64)
            .bind(import_id)
            .execute(&mut *import.tx)
            .await?;
        import.tx.commit().await?;
        Ok(s)
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

    async fn extra_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, StoreError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT DISTINCT j.key FROM cases c, json_each(c.extra) j");
        push_filter(&mut query, filter);
        query.push(if filter.is_empty() {
            " WHERE "
        } else {
            " AND "
        });
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

    async fn municipality_count(&self, filter: &CaseFilter) -> Result<u64, StoreError> {
        let mut query =
            QueryBuilder::<Sqlite>::new("SELECT COUNT(DISTINCT c.municipality_key) FROM cases c");
        push_filter(&mut query, filter);
        let count: i64 = query.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(count.max(0) as u64)
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
}
