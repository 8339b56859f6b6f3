//! Reading cases: the selection of a filter, pages of it, one case, its history. The same
//! statements on SQLite and PostgreSQL.

use dakwacht_core::{Case, CaseFilter, Field, ProfileCount};
use sqlx::{Pool, QueryBuilder, Row};
use tokio::sync::mpsc;

use crate::rows::{
    CaseWithHandEdit, SELECT_CASE, SELECT_CASE_WITH_HAND_EDIT, SELECT_VERSIONED_CASE, StoredCase,
    VersionedCase,
};
use crate::{Change, HandEdit, StoreError, StoredForImport};

fn count(value: i64) -> u64 {
    value.max(0) as u64
}

/// The number of distinct municipalities of all cases, read as a skip scan of the index
/// `cases_municipality`: each step asks the index for the next key.
const ALL_MUNICIPALITIES: &str = "WITH RECURSIVE m (k) AS ( \
       SELECT MIN(municipality_key) FROM cases \
       UNION ALL \
       SELECT (SELECT MIN(c.municipality_key) FROM cases c WHERE c.municipality_key > m.k) \
       FROM m WHERE m.k IS NOT NULL) \
     SELECT COUNT(k) FROM m";

shared_sql!(
    impl<D> Sql<D> {
        /// The rows a built query reads, on a connection of its own.
        pub(crate) async fn rows_of(
            pool: &Pool<D>,
            query: &mut QueryBuilder<D>,
        ) -> Result<Vec<D::Row>, StoreError> {
            Ok(query
                .build()
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?)
        }

        /// Adds ` WHERE …` for the filter over `cases c`; `true` when it added any condition.
        pub(crate) fn push_filter(query: &mut QueryBuilder<D>, filter: &CaseFilter) -> bool {
            let conditions = crate::filter::conditions(filter, D::CASE_REF_LIKE);
            for (i, condition) in conditions.iter().enumerate() {
                query.push(if i == 0 { " WHERE " } else { " AND " });
                query.push(condition.before);
                if let Some(value) = &condition.value {
                    query.push_bind(value.clone());
                }
                query.push(&condition.after);
            }
            !conditions.is_empty()
        }

        /// The filter, then ` WHERE ` or ` AND `: ready for one more condition.
        pub(crate) fn push_filter_and(query: &mut QueryBuilder<D>, filter: &CaseFilter) {
            let filtered = Self::push_filter(query, filter);
            query.push(if filtered { " AND " } else { " WHERE " });
        }

        /// The selection, then one page of it in `(organisation, case_ref)` order after `after`:
        /// keyset paging, which the unique index on that pair keeps as fast on the last page as on
        /// the first.
        pub(crate) fn push_page(
            query: &mut QueryBuilder<D>,
            filter: &CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
        ) {
            Self::push_filter_and(query, filter);
            // Within one organisation (every professional's list), the order is the reference's:
            // said so, the database reads one page from the unique index on (organisation,
            // reference) instead of sorting the organisation's cases by the pair. PostgreSQL
            // took 0.3 s a page for an organisation of 100,000 (BENCHMARKS.md, issue 19.3).
            if let Some(organisation) = filter.organisation.as_deref().map(str::trim) {
                let after_ref = match after {
                    None => Some(""),
                    Some((after_org, after_ref)) if after_org == organisation => Some(after_ref),
                    Some(_) => None,
                };
                if let Some(after_ref) = after_ref {
                    query
                        .push("c.case_ref > ")
                        .push_bind(after_ref.to_string())
                        .push(" ORDER BY c.case_ref LIMIT ")
                        .push_bind(i64::from(limit));
                    return;
                }
            }
            let (after_org, after_ref) = after.unwrap_or(("", ""));
            query
                .push("(o.name, c.case_ref) > (")
                .push_bind(after_org.to_string())
                .push(", ")
                .push_bind(after_ref.to_string())
                .push(") ORDER BY o.name, c.case_ref LIMIT ")
                .push_bind(i64::from(limit));
        }

        pub(crate) async fn export(
            pool: &Pool<D>,
            filter: &CaseFilter,
            batches: mpsc::Sender<Vec<Case>>,
        ) -> Result<u64, StoreError> {
            let mut query = QueryBuilder::<D>::new(SELECT_CASE);
            Self::push_filter(&mut query, filter);
            query.push(crate::rows::EXPORT_ORDER);
            let mut conn = D::acquire(pool).await?;
            let rows = query.build_query_as::<StoredCase>().fetch(D::on(&mut conn));
            super::send_in_batches(rows, &batches, StoredCase::into_case).await
        }

        pub(crate) async fn cases_after(
            pool: &Pool<D>,
            filter: &CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
        ) -> Result<Vec<Case>, StoreError> {
            let mut query = QueryBuilder::<D>::new(SELECT_CASE);
            Self::push_page(&mut query, filter, after, limit);
            let rows: Vec<StoredCase> = query
                .build_query_as()
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
            rows.into_iter().map(StoredCase::into_case).collect()
        }

        pub(crate) async fn extra_columns(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<String>, StoreError> {
            let mut query = QueryBuilder::<D>::new(D::EXTRA_KEYS);
            Self::push_filter_and(&mut query, filter);
            query.push("c.extra IS NOT NULL ORDER BY 1");
            Ok(query
                .build_query_scalar()
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?)
        }

        pub(crate) async fn profile_counts(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<ProfileCount>, StoreError> {
            // SUM of BIGINT is NUMERIC in PostgreSQL; the counts fit in BIGINT.
            let mut query = QueryBuilder::<D>::new(
                "SELECT c.profile, COUNT(*), CAST(SUM(c.children_count) AS BIGINT),
                        CAST(SUM(c.children_age_unknown) AS BIGINT) FROM cases c",
            );
            Self::push_filter(&mut query, filter);
            query.push(" GROUP BY c.profile");
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter()
                .map(|row| {
                    crate::rows::profile_count(
                        row.try_get(0)?,
                        row.try_get(1)?,
                        row.try_get(2)?,
                        row.try_get(3)?,
                    )
                })
                .collect()
        }

        pub(crate) async fn duration_counts(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<(dakwacht_core::Contribution, u64)>, StoreError> {
            let mut query = QueryBuilder::<D>::new("SELECT c.survival, COUNT(*) FROM cases c");
            Self::push_filter(&mut query, filter);
            query.push(" GROUP BY c.survival");
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter()
                .map(|row| crate::rows::duration_count(row.try_get(0)?, row.try_get(1)?))
                .collect()
        }

        pub(crate) async fn municipality_count(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<u64, StoreError> {
            // Over all cases: hop from key to key through the index (a few hundred lookups)
            // instead of reading every case; PostgreSQL took 0.85 s for a million cases.
            if filter.is_empty() {
                let total: i64 = sqlx::query_scalar(ALL_MUNICIPALITIES)
                    .fetch_one(D::on(&mut *D::acquire(pool).await?))
                    .await?;
                return Ok(count(total));
            }
            let mut query =
                QueryBuilder::<D>::new("SELECT COUNT(DISTINCT c.municipality_key) FROM cases c");
            Self::push_filter(&mut query, filter);
            let total: i64 = query
                .build_query_scalar()
                .fetch_one(D::on(&mut *D::acquire(pool).await?))
                .await?;
            Ok(count(total))
        }

        pub(crate) async fn municipalities(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<(String, u64)>, StoreError> {
            // One name per municipality as the filter compares it (case and spaces aside): the
            // first in sort order, so the same data always gives the same name.
            let mut query =
                QueryBuilder::<D>::new("SELECT MIN(c.municipality) AS name, COUNT(*) FROM cases c");
            Self::push_filter_and(&mut query, filter);
            query.push("c.municipality_key IS NOT NULL GROUP BY c.municipality_key ORDER BY name");
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter()
                .map(|row| Ok((row.try_get(0)?, count(row.try_get(1)?))))
                .collect()
        }

        pub(crate) async fn home_losses_by_month(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<(String, u64)>, StoreError> {
            let mut query = QueryBuilder::<D>::new(
                "SELECT substr(c.home_lost_on, 1, 7) AS month, COUNT(*) FROM cases c",
            );
            Self::push_filter_and(&mut query, filter);
            query.push("c.home_lost_on IS NOT NULL GROUP BY month ORDER BY month");
            let rows = Self::rows_of(pool, &mut query).await?;
            rows.iter()
                .map(|row| Ok((row.try_get(0)?, count(row.try_get(1)?))))
                .collect()
        }

        pub(crate) async fn cases_by_ref(
            pool: &Pool<D>,
            organisation: &str,
            case_refs: &[String],
        ) -> Result<Vec<StoredForImport>, StoreError> {
            let rows: Vec<CaseWithHandEdit> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT_CASE_WITH_HAND_EDIT} WHERE o.name = $1 AND c.case_ref {}",
                D::CASE_REF_IN
            )))
            .bind(organisation)
            .bind(D::case_refs(case_refs)?)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.into_iter()
                .map(|row| {
                    let hand_edit = match (row.edited_at, row.edited_by) {
                        (Some(at), Some(by)) => Some(HandEdit { at, by }),
                        _ => None,
                    };
                    Ok(StoredForImport {
                        case: row.case.into_case()?,
                        hand_edit,
                    })
                })
                .collect()
        }

        /// One statement, so the version is that of the content on both databases.
        pub(crate) async fn case_with_version(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Option<(Case, i64)>, StoreError> {
            let row: Option<VersionedCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT_VERSIONED_CASE} WHERE o.name = $1 AND c.case_ref = $2"
            )))
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(&mut *D::acquire(pool).await?))
            .await?;
            row.map(|row| Ok((row.case.into_case()?, row.version)))
                .transpose()
        }

        pub(crate) async fn history(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<Change>, StoreError> {
            // Creation is kept on the case row itself; later changes in case_changes. The casts
            // give PostgreSQL the types of the first SELECT's constants.
            let rows = sqlx::query(
                "SELECT CAST(1 AS BIGINT) AS version, c.created_at, c.created_by, \
                 CAST('created' AS TEXT), CAST(NULL AS TEXT) FROM cases c \
                 JOIN organisations o ON o.id = c.organisation_id WHERE o.name = $1 AND c.case_ref = $2 \
                 UNION ALL \
                 SELECT h.version, h.changed_at, h.actor, h.action, h.changes FROM case_changes h \
                 JOIN cases c ON c.id = h.case_id JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY 1",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let fields = super::changed_fields(row.try_get(4)?, Field::from_header);
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
);
