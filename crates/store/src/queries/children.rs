//! Reading child records: a case's children, and the children of a selection for an export. The
//! same statements on SQLite and PostgreSQL.

use std::collections::BTreeSet;

use dakwacht_core::{
    CaseFilter, CaseRef, Child, ChildAge, ChildField, ChildFigures, ChildProfile, ChildRow,
    Children, OrganisationName,
};
use sqlx::{Pool, QueryBuilder, Row};
use tokio::sync::mpsc;

use crate::children::{
    ChildColumns, ChildWrite, INSERT_CHILD, INSERT_CHILD_CHANGE, SELECT_CHILD_COLUMNS, StoredChild,
    UPDATE_CHILD,
};
use crate::{ChildChange, StoreError};

/// A stored child record with the key of its case.
#[derive(sqlx::FromRow)]
pub(crate) struct ChildOfCase {
    organisation: String,
    case_ref: String,
    case_id: i64,
    #[sqlx(flatten)]
    child: StoredChild,
}

/// The export of child records: the statement up to its filter, which [`EXPORT_CHILDREN_ORDER`]
/// follows (the columns of [`ChildOfCase`]).
pub(crate) fn export_children_select() -> String {
    format!(
        "SELECT o.name AS organisation, c.case_ref, c.id AS case_id, {SELECT_CHILD_COLUMNS} \
         FROM children ch JOIN cases c ON c.id = ch.case_id \
         JOIN organisations o ON o.id = c.organisation_id"
    )
}

/// The order of an export of child records: as their cases, then by number.
pub(crate) const EXPORT_CHILDREN_ORDER: &str = " ORDER BY o.name, c.case_ref, ch.child_no";

/// The age the case's `children_ages` (`2;?;9`) gives child `child_no`, if any.
fn age_in_case(ages: &str, child_no: i64) -> Option<u8> {
    // Without parsing the whole list: this runs for every record of a family with an open age.
    let text = ages
        .split(';')
        .nth(usize::try_from(child_no).ok()?.checked_sub(1)?)?;
    match ChildAge::parse(text)? {
        ChildAge::Known(age) => Some(age),
        ChildAge::Unknown => None,
    }
}

/// The counts behind the child measures, from the rows of three statements (the same on every
/// database and read path; each statement is its start, the filter, and its end).
#[derive(Default)]
pub(crate) struct ChildCounting {
    pub figures: ChildFigures,
}

type Statement = (&'static str, &'static str);

impl ChildCounting {
    /// The child records by packed profile; the cases by their ages; the records whose age the
    /// case does not give (a record's age counts there), grouped.
    pub(crate) fn statements(filter: &CaseFilter) -> [Statement; 3] {
        [
            (
                // Without a selection the index on the packed profile answers alone.
                if filter.is_empty() {
                    "SELECT ch.profile, CAST(COUNT(*) AS BIGINT) FROM children ch"
                } else {
                    "SELECT ch.profile, CAST(COUNT(*) AS BIGINT) FROM children ch \
                     JOIN cases c ON c.id = ch.case_id"
                },
                " GROUP BY ch.profile",
            ),
            (
                "SELECT c.children_ages, CAST(COUNT(*) AS BIGINT), \
                 CAST(SUM(c.children_count) AS BIGINT) FROM cases c",
                " GROUP BY c.children_ages",
            ),
            (
                "SELECT ch.age, ch.child_no, c.children_ages, CAST(COUNT(*) AS BIGINT) \
                 FROM children ch JOIN cases c ON c.id = ch.case_id",
                // (after the filter and ` WHERE ` or ` AND `)
                "ch.age IS NOT NULL AND (c.children_ages IS NULL OR c.children_ages LIKE '%?%') \
                 GROUP BY ch.age, ch.child_no, c.children_ages",
            ),
        ]
    }

    pub(crate) fn records(&mut self, packed: i64, records: i64) {
        self.figures
            .records
            .push((ChildProfile::unpack(packed), records.max(0) as u64));
    }

    pub(crate) fn cases(&mut self, ages: Option<&str>, cases: i64, children: i64) {
        self.figures.children += children.max(0) as u64;
        let Some(ages) = ages.and_then(Children::parse_ages) else {
            return;
        };
        for age in ages {
            if let ChildAge::Known(age) = age {
                self.figures.ages[usize::from(age).min(dakwacht_core::child_figures::OLDEST)] +=
                    cases.max(0) as u64;
            }
        }
    }

    /// A record's age counts where the case does not give that child's.
    pub(crate) fn record_ages(
        &mut self,
        age: i64,
        child_no: i64,
        ages: Option<&str>,
        records: i64,
    ) {
        let given = ages.and_then(|ages| age_in_case(ages, child_no));
        if given.is_none() {
            let age = usize::try_from(age).unwrap_or_default();
            self.figures.ages[age.min(dakwacht_core::child_figures::OLDEST)] +=
                records.max(0) as u64;
        }
    }
}

impl ChildOfCase {
    /// Reads the columns of [`export_children_select`] (rusqlite's export path).
    pub(crate) fn of_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(ChildOfCase {
            organisation: row.get(0)?,
            case_ref: row.get(1)?,
            case_id: row.get(2)?,
            child: StoredChild::of_sqlite(row, 3)?,
        })
    }

    pub(crate) fn into_row(self) -> Result<ChildRow, StoreError> {
        let corrupt =
            |what: &str| StoreError::Corrupt(format!("case {}: unreadable {what}", self.case_id));
        Ok(ChildRow {
            organisation: OrganisationName::parse(&self.organisation)
                .ok_or_else(|| corrupt("organisation"))?,
            case_ref: CaseRef::parse(&self.case_ref).ok_or_else(|| corrupt("case_ref"))?,
            child: self.child.into_child(self.case_id)?,
        })
    }
}

shared_sql!(
    impl<D> Sql<D> {
        /// Every child record of a case, by number (none for a case that does not exist).
        pub(crate) async fn children(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<Child>, StoreError> {
            let sql = format!(
                "SELECT o.name AS organisation, c.case_ref, c.id AS case_id, {SELECT_CHILD_COLUMNS} \
                 FROM children ch JOIN cases c ON c.id = ch.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY ch.child_no"
            );
            let rows: Vec<ChildOfCase> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(organisation)
                .bind(case_ref)
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
            rows.into_iter()
                .map(|row| Ok(row.into_row()?.child))
                .collect()
        }

        /// The child records of several cases of one organisation, by case reference and
        /// number: one statement for a batch of cases (the case list's signal filter).
        pub(crate) async fn children_of_cases(
            pool: &Pool<D>,
            organisation: &str,
            case_refs: &[String],
        ) -> Result<Vec<ChildRow>, StoreError> {
            let sql = format!(
                "SELECT o.name AS organisation, c.case_ref, c.id AS case_id, {SELECT_CHILD_COLUMNS} \
                 FROM children ch JOIN cases c ON c.id = ch.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref {} ORDER BY c.case_ref, ch.child_no",
                D::CASE_REF_IN
            );
            let rows: Vec<ChildOfCase> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(organisation)
                .bind(D::case_refs(case_refs)?)
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
            rows.into_iter().map(ChildOfCase::into_row).collect()
        }

        /// See [`crate::Store::save_child`].
        pub(crate) async fn save_child(
            pool: &Pool<D>,
            actor: &crate::Actor,
            (organisation, case_ref): (&str, &str),
            child: &Child,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (case_id, family) = Self::family_of(&mut *tx, organisation, case_ref).await?;
            let errors = child.check_in_family(&family);
            if !errors.is_empty() {
                return Err(StoreError::ChildDoesNotFit(errors));
            }
            let sql = format!(
                "SELECT o.name AS organisation, c.case_ref, c.id AS case_id, {SELECT_CHILD_COLUMNS} \
                 FROM children ch JOIN cases c ON c.id = ch.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE ch.case_id = $1 AND ch.child_no = $2"
            );
            let stored: Option<ChildOfCase> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(case_id)
                .bind(i64::from(child.child_no))
                .fetch_optional(D::on(&mut *tx))
                .await?;
            let stored = stored
                .map(ChildOfCase::into_row)
                .transpose()?
                .map(|r| r.child);
            // What the assessments say is theirs, not the form's.
            let saved = Child {
                assessed_in_dakwacht: stored.as_ref().is_some_and(|s| s.assessed_in_dakwacht),
                ..child.clone()
            };
            let at = super::now();
            let columns = ChildColumns::of(&saved);
            let profile = ChildProfile::of(&saved).pack();
            let detail = match ChildWrite::of(stored.as_ref(), &saved) {
                ChildWrite::Unchanged => return Ok(false),
                ChildWrite::Create => {
                    sqlx::query(INSERT_CHILD)
                        .bind(case_id)
                        .bind(i64::from(saved.child_no))
                        .bind(&at)
                        .bind(actor.as_str())
                        .bind(columns.age)
                        .bind(columns.stays_with)
                        .bind(columns.separated)
                        .bind(columns.school)
                        .bind(columns.school_days_missed)
                        .bind(columns.heard)
                        .bind(columns.heard_by)
                        .bind(columns.best_interest_assessed)
                        .bind(columns.youth_care)
                        .bind(columns.notes)
                        .bind(columns.extra)
                        .bind(profile)
                        .execute(D::on(&mut *tx))
                        .await?;
                    format!("child {}: record created", saved.child_no)
                }
                ChildWrite::Update { changes } => {
                    sqlx::query(UPDATE_CHILD)
                        .bind(&at)
                        .bind(columns.age)
                        .bind(columns.stays_with)
                        .bind(columns.separated)
                        .bind(columns.school)
                        .bind(columns.school_days_missed)
                        .bind(columns.heard)
                        .bind(columns.heard_by)
                        .bind(columns.best_interest_assessed)
                        .bind(columns.youth_care)
                        .bind(columns.notes)
                        .bind(columns.extra)
                        .bind(profile)
                        .bind(case_id)
                        .bind(i64::from(saved.child_no))
                        .execute(D::on(&mut *tx))
                        .await?;
                    sqlx::query(INSERT_CHILD_CHANGE)
                        .bind(case_id)
                        .bind(i64::from(saved.child_no))
                        .bind(&at)
                        .bind(actor.as_str())
                        .bind("updated")
                        .bind(None::<i64>)
                        .bind(&changes)
                        .execute(D::on(&mut *tx))
                        .await?;
                    let fields: Vec<&str> = stored
                        .as_ref()
                        .map(|old| old.changed_fields(&saved))
                        .unwrap_or_default()
                        .iter()
                        .map(|f| f.name())
                        .collect();
                    format!("child {}: {}", saved.child_no, fields.join(", "))
                }
            };
            Self::commit_audited(
                tx,
                &crate::AuditEntry::new(actor, crate::AuditAction::SaveChild)
                    .case(organisation, case_ref)
                    .detail(detail),
            )
            .await?;
            Ok(true)
        }

        /// A case's row id and its children (how many, their ages), in the caller's
        /// transaction; [`StoreError::NotFound`] without the case.
        pub(crate) async fn family_of(
            conn: &mut D::Connection,
            organisation: &str,
            case_ref: &str,
        ) -> Result<(i64, Children), StoreError> {
            let row = sqlx::query(
                "SELECT c.id, c.children_count, c.children_ages FROM cases c \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(conn))
            .await?
            .ok_or_else(|| StoreError::NotFound(crate::Subject::case(organisation, case_ref)))?;
            let case_id: i64 = row.try_get(0)?;
            let count: i64 = row.try_get(1)?;
            let ages: Option<String> = row.try_get(2)?;
            let family = Children {
                count: u8::try_from(count).map_err(|_| {
                    StoreError::Corrupt(format!("case {case_id}: {count} children"))
                })?,
                ages: ages.as_deref().and_then(Children::parse_ages),
            };
            Ok((case_id, family))
        }

        /// Gives child `child_no` of a case a record with only its age when it has none (its
        /// creation kept on the record, as an import keeps it).
        pub(crate) async fn ensure_child_record(
            conn: &mut D::Connection,
            actor: &crate::Actor,
            case_id: i64,
            child_no: u8,
            age: Option<u8>,
            at: &str,
        ) -> Result<(), StoreError> {
            let record = Child {
                child_no,
                age,
                ..Child::default()
            };
            sqlx::query(
                "INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, age, \
                 profile) VALUES ($1, $2, $3, $4, $3, $5, $6) ON CONFLICT (case_id, child_no) DO NOTHING",
            )
            .bind(case_id)
            .bind(i64::from(child_no))
            .bind(at)
            .bind(actor.as_str())
            .bind(age.map(i64::from))
            .bind(ChildProfile::of(&record).pack())
            .execute(D::on(conn))
            .await?;
            Ok(())
        }

        /// Keeps with child `child_no`'s record whether a complete assessment of it exists, and
        /// its packed profile with it: what the figures and the rules read.
        pub(crate) async fn mark_assessed(
            conn: &mut D::Connection,
            case_id: i64,
            child_no: u8,
        ) -> Result<(), StoreError> {
            let row = sqlx::query(
                "SELECT COUNT(*) FROM assessments WHERE case_id = $1 AND child_no = $2 AND complete",
            )
            .bind(case_id)
            .bind(i64::from(child_no))
            .fetch_one(D::on(&mut *conn))
            .await?;
            let complete: i64 = row.try_get(0)?;
            let sql = format!(
                "SELECT o.name AS organisation, c.case_ref, c.id AS case_id, {SELECT_CHILD_COLUMNS} \
                 FROM children ch JOIN cases c ON c.id = ch.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE ch.case_id = $1 AND ch.child_no = $2"
            );
            let stored: ChildOfCase = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(case_id)
                .bind(i64::from(child_no))
                .fetch_one(D::on(&mut *conn))
                .await?;
            let mut child = stored.into_row()?.child;
            child.assessed_in_dakwacht = complete > 0;
            sqlx::query(
                "UPDATE children SET assessed = $1, profile = $2 WHERE case_id = $3 AND child_no = $4",
            )
            .bind(child.assessed_in_dakwacht)
            .bind(ChildProfile::of(&child).pack())
            .bind(case_id)
            .bind(i64::from(child_no))
            .execute(D::on(conn))
            .await?;
            Ok(())
        }

        /// The history of a case's child records: their creation, then every change, oldest
        /// first (by child within a moment).
        pub(crate) async fn child_history(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<ChildChange>, StoreError> {
            // Creation is kept on the record itself; later changes in child_changes. The casts
            // give PostgreSQL the types of the first SELECT's constants.
            let rows = sqlx::query(
                "SELECT ch.child_no, ch.created_at, ch.created_by, CAST('created' AS TEXT), \
                 CAST(NULL AS TEXT), CAST(0 AS BIGINT) FROM children ch \
                 JOIN cases c ON c.id = ch.case_id JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 \
                 UNION ALL \
                 SELECT h.child_no, h.changed_at, h.actor, h.action, h.changes, h.id \
                 FROM child_changes h JOIN cases c ON c.id = h.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY 2, 6, 1",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let changes: Option<String> = row.try_get(4)?;
                    let fields = changes
                        .and_then(|c| {
                            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&c)
                                .ok()
                        })
                        .map(|m| {
                            m.keys()
                                .filter_map(|k| ChildField::from_header(k))
                                .collect()
                        })
                        .unwrap_or_default();
                    let child_no: i64 = row.try_get(0)?;
                    let child_no = u8::try_from(child_no).map_err(|_| {
                        StoreError::Corrupt(format!("a child's history names child {child_no}"))
                    })?;
                    Ok(ChildChange {
                        child_no,
                        changed_at: row.try_get(1)?,
                        actor: row.try_get(2)?,
                        action: row.try_get(3)?,
                        fields,
                    })
                })
                .collect()
        }

        /// Sends the child records of the selected cases in batches, ordered by organisation,
        /// case reference and child number (the order of [`Sql::export`]'s cases).
        pub(crate) async fn export_children(
            pool: &Pool<D>,
            filter: &CaseFilter,
            batches: mpsc::Sender<Vec<ChildRow>>,
        ) -> Result<u64, StoreError> {
            let mut query = QueryBuilder::<D>::new(export_children_select());
            Self::push_filter(&mut query, filter);
            query.push(EXPORT_CHILDREN_ORDER);
            let mut conn = D::acquire(pool).await?;
            let rows = query
                .build_query_as::<ChildOfCase>()
                .fetch(D::on(&mut conn));
            super::send_in_batches(rows, &batches, ChildOfCase::into_row).await
        }

        /// The counts behind the child measures of the selected cases (see [`ChildFigures`]).
        pub(crate) async fn child_figures(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<ChildFigures, StoreError> {
            let mut conn = D::acquire(pool).await?;
            let mut counting = ChildCounting::default();
            let [records, ages, filling] = ChildCounting::statements(filter);
            let mut query = QueryBuilder::<D>::new(records.0);
            Self::push_filter(&mut query, filter);
            query.push(records.1);
            let rows: Vec<(i64, i64)> = query.build_query_as().fetch_all(D::on(&mut conn)).await?;
            for (packed, count) in rows {
                counting.records(packed, count);
            }

            let mut query = QueryBuilder::<D>::new(ages.0);
            Self::push_filter(&mut query, filter);
            query.push(ages.1);
            let groups: Vec<(Option<String>, i64, i64)> =
                query.build_query_as().fetch_all(D::on(&mut conn)).await?;
            for (ages, cases, children) in groups {
                counting.cases(ages.as_deref(), cases, children);
            }

            let mut query = QueryBuilder::<D>::new(filling.0);
            Self::push_filter_and(&mut query, filter);
            query.push(filling.1);
            let filling: Vec<(i64, i64, Option<String>, i64)> =
                query.build_query_as().fetch_all(D::on(&mut conn)).await?;
            for (age, child_no, ages, records) in filling {
                counting.record_ages(age, child_no, ages.as_deref(), records);
            }
            Ok(counting.figures)
        }

        /// The free `x_` columns of the child records of the selected cases, sorted.
        pub(crate) async fn child_extra_columns(
            pool: &Pool<D>,
            filter: &CaseFilter,
        ) -> Result<Vec<String>, StoreError> {
            let mut query = QueryBuilder::<D>::new(
                "SELECT DISTINCT ch.extra FROM children ch JOIN cases c ON c.id = ch.case_id",
            );
            let filtered = Self::push_filter(&mut query, filter);
            query.push(if filtered { " AND " } else { " WHERE " });
            query.push("ch.extra IS NOT NULL");
            let texts: Vec<String> = query
                .build_query_scalar()
                .fetch_all(D::on(&mut *D::acquire(pool).await?))
                .await?;
            let mut names = BTreeSet::new();
            for text in texts {
                let extra: std::collections::BTreeMap<String, String> = serde_json::from_str(&text)
                    .map_err(|_| {
                        StoreError::Corrupt(format!("unreadable free columns of a child: {text}"))
                    })?;
                names.extend(extra.into_keys());
            }
            Ok(names.into_iter().collect())
        }
    }
);
