//! The shared store: PostgreSQL, for one dakwacht used by several organisations.
//!
//! The same tables as SQLite (see `migrations/postgres`), the same row type ([`StoredCase`]), the
//! same behaviour; only the SQL dialect differs. Writes that SQLite serialises by having one
//! writer are serialised here with row locks (`SELECT … FOR UPDATE` when saving a case) and one
//! advisory lock for imports, so two imports of overlapping files cannot interleave.

mod scan;
mod write;

use std::str::FromStr;

use dakwacht_core::{Case, CaseFilter, CaseProfile, Facts, Observation, ProfileCount, Variable};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};
use tokio::sync::mpsc;

use crate::dialect::{Dialect, Sql};
use crate::rows::{SELECT_CASE, StoredCase};
use crate::{
    Actor, Admission, AuditEntry, AuditFilter, AuditRecord, CaseSummary, Change, ImportMessage,
    ImportSummary, Invitation, LinkState, NewActivationLink, NewSession, NewUser, SessionKind,
    Store, StoreError, User,
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
        write::import(&self.pool, actor, source, messages).await
    }

    async fn extra_columns(&self, filter: &CaseFilter) -> Result<Vec<String>, StoreError> {
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT DISTINCT k.key COLLATE \"C\" FROM cases c, jsonb_object_keys(c.extra::jsonb) AS k(key)",
        );
        let filtered = Sql::<Postgres>::push_filter(&mut query, filter);
        query.push(if filtered { " AND " } else { " WHERE " });
        query.push("c.extra IS NOT NULL ORDER BY 1");
        Ok(query.build_query_scalar().fetch_all(&self.pool).await?)
    }

    async fn profile_counts(&self, filter: &CaseFilter) -> Result<Vec<ProfileCount>, StoreError> {
        // SUM of BIGINT is NUMERIC in PostgreSQL; the counts fit in BIGINT.
        let mut query = QueryBuilder::<Postgres>::new(
            "SELECT c.profile, COUNT(*), SUM(c.children_count)::int8, SUM(c.children_age_unknown)::int8 FROM cases c",
        );
        Sql::<Postgres>::push_filter(&mut query, filter);
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
        scan::facts_counts(&self.pool, filter, sets).await
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

    async fn save_case(
        &self,
        actor: &Actor,
        case: &Case,
        expected_version: Option<i64>,
    ) -> Result<i64, StoreError> {
        write::save(&self.pool, actor, case, expected_version).await
    }

    async fn export(
        &self,
        filter: &CaseFilter,
        batches: mpsc::Sender<Vec<Case>>,
    ) -> Result<u64, StoreError> {
        Sql::<Postgres>::export(&self.pool, filter, batches).await
    }

    async fn cases_after(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<Case>, StoreError> {
        Sql::<Postgres>::cases_after(&self.pool, filter, after, limit).await
    }

    async fn municipality_count(&self, filter: &CaseFilter) -> Result<u64, StoreError> {
        Sql::<Postgres>::municipality_count(&self.pool, filter).await
    }

    async fn home_losses_by_month(
        &self,
        filter: &CaseFilter,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        Sql::<Postgres>::home_losses_by_month(&self.pool, filter).await
    }

    async fn case(&self, organisation: &str, case_ref: &str) -> Result<Option<Case>, StoreError> {
        Sql::<Postgres>::case(&self.pool, organisation, case_ref).await
    }

    async fn case_with_version(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Option<(Case, i64)>, StoreError> {
        Sql::<Postgres>::case_with_version(&self.pool, organisation, case_ref).await
    }

    async fn history(&self, organisation: &str, case_ref: &str) -> Result<Vec<Change>, StoreError> {
        Sql::<Postgres>::history(&self.pool, organisation, case_ref).await
    }

    async fn add_organisation(&self, actor: &Actor, name: &str) -> Result<bool, StoreError> {
        Sql::<Postgres>::add_organisation(&self.pool, actor, name).await
    }

    async fn organisations(&self) -> Result<Vec<String>, StoreError> {
        Sql::<Postgres>::organisations(&self.pool).await
    }

    async fn add_user(&self, actor: &Actor, user: &NewUser) -> Result<(), StoreError> {
        Sql::<Postgres>::add_user(&self.pool, actor, user).await
    }

    async fn users(&self, organisation: Option<&str>) -> Result<Vec<User>, StoreError> {
        Sql::<Postgres>::users(&self.pool, organisation).await
    }

    async fn disable_user(&self, actor: &Actor, username: &str) -> Result<bool, StoreError> {
        Sql::<Postgres>::disable_user(&self.pool, actor, username).await
    }

    async fn invite_user(
        &self,
        actor: &Actor,
        invitation: &Invitation,
    ) -> Result<Admission, StoreError> {
        Sql::<Postgres>::invite_user(&self.pool, actor, invitation).await
    }

    async fn renew_activation_link(
        &self,
        actor: &Actor,
        username: &str,
        organisation: Option<&str>,
        by_administrator: bool,
        link: &NewActivationLink,
    ) -> Result<Admission, StoreError> {
        Sql::<Postgres>::renew_activation_link(
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
        link: &NewActivationLink,
    ) -> Result<bool, StoreError> {
        Sql::<Postgres>::approve_user(&self.pool, actor, organisation, username, link).await
    }

    async fn reject_user(
        &self,
        actor: &Actor,
        organisation: &str,
        username: &str,
    ) -> Result<bool, StoreError> {
        Sql::<Postgres>::reject_user(&self.pool, actor, organisation, username).await
    }

    async fn activation_link(&self, token_hash: &str) -> Result<LinkState, StoreError> {
        Sql::<Postgres>::activation_link(&self.pool, token_hash).await
    }

    async fn activate_user(
        &self,
        token_hash: &str,
        password_hash: &str,
    ) -> Result<LinkState, StoreError> {
        Sql::<Postgres>::activate_user(&self.pool, token_hash, password_hash).await
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>, StoreError> {
        Sql::<Postgres>::user_for_login(&self.pool, username).await
    }

    async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut conn = Postgres::acquire(&self.pool).await?;
        Sql::<Postgres>::append(&mut conn, entry).await
    }

    async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StoreError> {
        Sql::<Postgres>::audit_log(&self.pool, filter).await
    }

    async fn create_session(
        &self,
        username: &str,
        session: &NewSession,
    ) -> Result<bool, StoreError> {
        Sql::<Postgres>::create_session(&self.pool, username, session).await
    }

    async fn session(
        &self,
        token_hash: &str,
        kind: SessionKind,
    ) -> Result<Option<(User, String)>, StoreError> {
        Sql::<Postgres>::session(&self.pool, token_hash, kind).await
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        Sql::<Postgres>::end_session(&self.pool, token_hash).await
    }

    async fn case_page(
        &self,
        filter: &CaseFilter,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        Sql::<Postgres>::case_page(&self.pool, filter, after, limit).await
    }

    async fn follow_up(
        &self,
        organisation: &str,
        contact_before: &str,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        Sql::<Postgres>::follow_up(&self.pool, organisation, contact_before, limit).await
    }

    async fn add_observation(
        &self,
        actor: &Actor,
        organisation: &str,
        case_ref: &str,
        observation: &Observation,
    ) -> Result<(), StoreError> {
        Sql::<Postgres>::add_observation(&self.pool, actor, organisation, case_ref, observation)
            .await
    }

    async fn observations(
        &self,
        organisation: &str,
        case_ref: &str,
    ) -> Result<Vec<Observation>, StoreError> {
        Sql::<Postgres>::observations(&self.pool, organisation, case_ref).await
    }
}
