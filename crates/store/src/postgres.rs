//! The shared store: PostgreSQL, for one dakwacht used by several organisations.
//!
//! The same tables as SQLite (see `migrations/postgres`), the same row type ([`StoredCase`]), the
//! same behaviour; only the SQL dialect differs. Writes that SQLite serialises by having one
//! writer are serialised here with row locks (`SELECT … FOR UPDATE` when saving a case) and one
//! advisory lock for imports, so two imports of overlapping files cannot interleave.

use std::str::FromStr;

use dakwacht_core::{
    Case, CaseFilter, CaseProfile, Facts, Field, Observation, ProfileCount, Variable,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use tokio::sync::mpsc;

use crate::postgres_accounts as accounts;
use crate::rows::{SELECT_CASE, SELECT_VERSIONED_CASE, StoredCase, VersionedCase};
use crate::{
    Actor, AuditEntry, AuditFilter, AuditRecord, CaseSummary, Change, ImportMessage, ImportSummary,
    NewSession, NewUser, SessionKind, Store, StoreError, User,
};

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

/// Adds ` WHERE …` for the filter over `cases c`; `true` when it added any condition. The same
/// conditions as [`crate::sqlite::push_filter`], in PostgreSQL's dialect.
pub(crate) fn push_filter(query: &mut QueryBuilder<Postgres>, filter: &CaseFilter) -> bool {
    let mut first = true;
    let mut and = |query: &mut QueryBuilder<Postgres>| {
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
        // LIKE is case-sensitive in PostgreSQL; the domain's search is not.
        let escaped = part
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        and(query);
        query
            .push("lower(c.case_ref) LIKE lower(")
            .push_bind(format!("%{escaped}%"))
            .push(") ESCAPE '\\'");
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

/// The selection, then one keyset page of it in `(organisation, case_ref)` order.
pub(crate) fn push_page(
    query: &mut QueryBuilder<Postgres>,
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

fn count(value: i64) -> u64 {
    value.max(0) as u64
}

impl Store for PgStore {
    async fn import(
        &self,
        actor: &Actor,
        source: &str,
        messages: mpsc::Receiver<ImportMessage>,
    ) -> Result<ImportSummary, StoreError> {
        crate::postgres_write::import(&self.pool, actor, source, messages).await
    }

    async fn export(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<Case>>,
    ) -> Result<u64, StoreError> {
        use futures_util::TryStreamExt;
        let mut query = QueryBuilder::<Postgres>::new(SELECT_CASE);
        push_filter(&mut query, filter);
        query.push(" ORDER BY o.name, c.case_ref");
        let mut rows = query.build_query_as::<StoredCase>().fetch(&self.pool);
        let mut batch = Vec::with_capacity(1000);
        let mut sent = 0;
        while let Some(row) = rows.try_next().await? {
            batch.push(row.into_case()?);
            sent += 1;
            if batch.len() == 1000 && batches.send(std::mem::take(&mut batch)).await.is_err() {
                return Ok(sent);
            }
        }
        if !batch.is_empty() {
            let _ = batches.send(batch).await;
        }
        Ok(sent)
    }

    async fn cases_after(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<Case>, StoreError> {
        let mut query = QueryBuilder::<Postgres>::new(SELECT_CASE);
        push_page(&mut query, filter, after, limit);
        let rows: Vec<StoredCase> = query.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(StoredCase::into_case).collect()
    }

    async fn extra_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, StoreError> {
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT DISTINCT k.key COLLATE \"C\" FROM cases c, jsonb_object_keys(c.extra::jsonb) AS k(key)",
        );
        let filtered = push_filter(&mut query, filter);
        query.push(if filtered { " AND " } else { " WHERE " });
        query.push("c.extra IS NOT NULL ORDER BY 1");
        Ok(query.build_query_scalar().fetch_all(&self.pool).await?)
    }

    async fn profile_counts(&self, filter: &CaseFilter) -> Result<Vec<ProfileCount>, StoreError> {
        // SUM of BIGINT is NUMERIC in PostgreSQL; the counts fit in BIGINT.
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT c.profile, COUNT(*), SUM(c.children_count)::int8, SUM(c.children_age_unknown)::int8 FROM cases c",
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
                Ok(ProfileCount {
                    profile,
                    cases: count(row.try_get(1)?),
                    children: count(row.try_get(2)?),
                    children_age_unknown: count(row.try_get(3)?),
                })
            })
            .collect()
    }

    async fn facts_counts(
        &self,
        filter: &CaseFilter,
        sets: &[Vec<Variable>],
    ) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
        crate::postgres_scan::facts_counts(&self.pool, filter, sets).await
    }

    async fn municipality_count(&self, filter: &CaseFilter) -> Result<u64, StoreError> {
        let mut query =
            QueryBuilder::<Postgres>::new("SELECT COUNT(DISTINCT c.municipality_key) FROM cases c");
        push_filter(&mut query, filter);
        let total: i64 = query.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(count(total))
    }

    async fn home_losses_by_month(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT substr(c.home_lost_on, 1, 7) AS month, COUNT(*) FROM cases c",
        );
        let filtered = push_filter(&mut query, filter);
        query.push(if filtered { " AND " } else { " WHERE " });
        query.push("c.home_lost_on IS NOT NULL GROUP BY month ORDER BY month");
        let rows: Vec<(String, i64)> = query.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(month, total)| (month, count(total)))
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
            "{SELECT_CASE} WHERE o.name = $1 AND c.case_ref = ANY($2::text[])"
        )))
        .bind(organisation)
        .bind(case_refs)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(StoredCase::into_case).collect()
    }

    async fn history(&self, organisation: &str, case_ref: &str) -> Result<Vec<Change>, StoreError> {
        let rows = sqlx::query(
            "SELECT 1::int8 AS version, c.created_at, c.created_by, 'created'::text, NULL::text FROM cases c \
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
        accounts::add_organisation(&self.pool, actor, name).await
    }

    async fn organisations(&self) -> Result<Vec<String>, StoreError> {
        accounts::organisations(&self.pool).await
    }

    async fn add_user(&self, actor: &Actor, user: &NewUser) -> Result<(), StoreError> {
        accounts::add_user(&self.pool, actor, user).await
    }

    async fn users(&self, organisation: Option<&str>) -> Result<Vec<User>, StoreError> {
        accounts::users(&self.pool, organisation).await
    }

    async fn disable_user(&self, actor: &Actor, username: &str) -> Result<bool, StoreError> {
        accounts::disable_user(&self.pool, actor, username).await
    }

    async fn invite_user(
        &self,
        actor: &Actor,
        invitation: &crate::Invitation,
    ) -> Result<crate::Admission, StoreError> {
        crate::postgres_activation::invite_user(&self.pool, actor, invitation).await
    }

    async fn renew_activation_link(
        &self,
        actor: &Actor,
        username: &str,
        organisation: Option<&str>,
        by_administrator: bool,
        link: &crate::NewActivationLink,
    ) -> Result<crate::Admission, StoreError> {
        crate::postgres_activation::renew_activation_link(
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
        crate::postgres_activation::approve_user(&self.pool, actor, organisation, username, link)
            .await
    }

    async fn reject_user(
        &self,
        actor: &Actor,
        organisation: &str,
        username: &str,
    ) -> Result<bool, StoreError> {
        crate::postgres_activation::reject_user(&self.pool, actor, organisation, username).await
    }

    async fn activation_link(&self, token_hash: &str) -> Result<crate::LinkState, StoreError> {
        crate::postgres_activation::activation_link(&self.pool, token_hash).await
    }

    async fn activate_user(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<crate::LinkState, StoreError> {
        crate::postgres_activation::activate_user(&self.pool, token_hash, password_hash).await
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>, StoreError> {
        accounts::user_for_login(&self.pool, username).await
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        accounts::append(&mut conn, entry).await
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        accounts::audit_log(&self.pool, filter).await
    }

    async fn create_session(
        &self,
        username: &str,
        session: &NewSession,
    ) -> Result<bool, StoreError> {
        accounts::create_session(&self.pool, username, session).await
    }

    async fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<Option<(User, String)>, StoreError> {
        accounts::session(&self.pool, token_hash, kind).await
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        accounts::end_session(&self.pool, token_hash).await
    }

    async fn case_page(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        accounts::case_page(&self.pool, filter, after, limit).await
    }

    async fn save_case(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
    ) -> Result<i64, StoreError> {
        crate::postgres_write::save(&self.pool, actor, case, expected_version).await
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
        accounts::follow_up(&self.pool, organisation, contact_before, limit).await
    }

    async fn add_observation(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        observation: &Observation,
    ) -> Result<(), StoreError> {
        accounts::add_observation(&self.pool, actor, organisation, case_ref, observation).await
    }

    async fn observations(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Vec<Observation>, StoreError> {
        accounts::observations(&self.pool, organisation, case_ref).await
    }
}
