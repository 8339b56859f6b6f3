//! Closing and reopening a case, and deleting closed cases after the retention period: the same
//! statements on SQLite and PostgreSQL.

use dakwacht_core::date::parse_date;
use dakwacht_core::{ClosingReason, Closure, Date};
use sqlx::{Pool, Row};

use super::now;
use crate::{Actor, AuditAction, AuditEntry, ClosedCase, RetentionSummary, StoreError, Subject};

/// What refers to a case, in the order it is deleted before the case: its stays, its
/// assessments and their history, its children, their history, its own history and its letters.
/// (Its kept signals go with it by `ON DELETE CASCADE`.)
const CASE_TABLES: [&str; 7] = [
    "observations",
    "assessment_changes",
    "assessments",
    "child_changes",
    "children",
    "case_changes",
    "case_letters",
];

/// What deleting from [`CASE_TABLES`] (in that order) and then from `cases` deleted.
fn deleted_summary(deleted: [u64; 8]) -> RetentionSummary {
    RetentionSummary {
        cases: deleted[7],
        observations: deleted[0],
        children: deleted[4],
        assessments: deleted[2],
        history_entries: deleted[1] + deleted[3] + deleted[5] + deleted[6],
    }
}

/// The cases closed on or before the day bound as `$1`.
const PAST: &str = "SELECT id FROM cases WHERE closed_on IS NOT NULL AND closed_on <= $1";

/// A stored closure, or [`StoreError::Corrupt`] when its columns hold what no closure is.
fn closure_of(on: Option<String>, reason: Option<String>) -> Result<Option<Closure>, StoreError> {
    match (on, reason) {
        (None, None) => Ok(None),
        (Some(on), Some(reason)) => match (parse_date(&on), ClosingReason::parse(&reason)) {
            (Some(on), Some(reason)) => Ok(Some(Closure { on, reason })),
            _ => Err(StoreError::Corrupt(format!(
                "a case is closed on '{on}' for '{reason}'"
            ))),
        },
        _ => Err(StoreError::Corrupt(
            "a case has a closing day without a reason, or a reason without a day".to_string(),
        )),
    }
}

/// What the history keeps of a closing or reopening: `{"closed_on": [old, new], "closing_reason":
/// [old, new]}` (codes and a day, nothing about the family).
fn change(old: Option<&Closure>, new: Option<&Closure>) -> String {
    let on = |c: Option<&Closure>| c.map(|c| c.on.to_string());
    let reason = |c: Option<&Closure>| c.map(|c| c.reason.code());
    serde_json::json!({
        "closed_on": [on(old), on(new)],
        "closing_reason": [reason(old), reason(new)],
    })
    .to_string()
}

shared_sql!(
    impl<D> Sql<D> {
        /// The row id and closure of a case, in the caller's transaction.
        async fn closing_of(
            conn: &mut D::Connection,
            organisation: &str,
            case_ref: &str,
        ) -> Result<(i64, Option<Closure>), StoreError> {
            let row = sqlx::query(
                "SELECT c.id, c.closed_on, c.closing_reason FROM cases c
                 JOIN organisations o ON o.id = c.organisation_id
                 WHERE o.name = $1 AND c.case_ref = $2",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(conn))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::case(organisation, case_ref)))?;
            Ok((
                row.try_get(0)?,
                closure_of(row.try_get(1)?, row.try_get(2)?)?,
            ))
        }

        /// Closes or reopens (`to` `None`) a case, with its history entry and audit line;
        /// `false` when it was so already.
        pub(crate) async fn set_closure(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            case_ref: &str,
            to: Option<&Closure>,
        ) -> Result<bool, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (id, old) = Self::closing_of(&mut *tx, organisation, case_ref).await?;
            if old.is_some() == to.is_some() {
                return Ok(false);
            }
            let at = now();
            // A change of the case like any other: its version goes up, so an editor who opened
            // it before sees who closed it instead of saving over it unawares.
            let row = sqlx::query(
                "UPDATE cases SET closed_on = $1, closing_reason = $2, version = version + 1,
                        updated_at = $3
                 WHERE id = $4 RETURNING version",
            )
            .bind(to.map(|c| c.on.to_string()))
            .bind(to.map(|c| c.reason.code().to_string()))
            .bind(&at)
            .bind(id)
            .fetch_one(D::on(&mut *tx))
            .await?;
            let version: i64 = row.try_get(0)?;
            let (action, audit, detail) = match (to, &old) {
                (Some(new), _) => (
                    "closed",
                    AuditAction::CloseCase,
                    format!("closed: {}", new.reason.code()),
                ),
                (None, Some(old)) => (
                    "reopened",
                    AuditAction::ReopenCase,
                    format!("reopened; closed on {}: {}", old.on, old.reason.code()),
                ),
                (None, None) => return Ok(false),
            };
            sqlx::query(
                "INSERT INTO case_changes (case_id, version, changed_at, actor, action, import_id, changes) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $6)",
            )
            .bind(id)
            .bind(version)
            .bind(&at)
            .bind(actor.as_str())
            .bind(action)
            .bind(change(old.as_ref(), to))
            .execute(D::on(&mut *tx))
            .await?;
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, audit)
                    .case(organisation, case_ref)
                    .detail(detail),
            )
            .await?;
            Ok(true)
        }

        pub(crate) async fn closure(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Option<Closure>, StoreError> {
            let mut conn = D::acquire(pool).await?;
            Ok(Self::closing_of(&mut *conn, organisation, case_ref)
                .await?
                .1)
        }

        pub(crate) async fn closed_cases(
            pool: &Pool<D>,
            last_day: Date,
        ) -> Result<Vec<ClosedCase>, StoreError> {
            let rows = sqlx::query(
                "SELECT o.name, c.case_ref, c.closed_on, c.closing_reason
                 FROM cases c JOIN organisations o ON o.id = c.organisation_id
                 WHERE c.closed_on IS NOT NULL AND c.closed_on <= $1
                 ORDER BY c.closed_on, o.name, c.case_ref",
            )
            .bind(last_day.to_string())
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let closure = closure_of(row.try_get(2)?, row.try_get(3)?)?;
                    Ok(ClosedCase {
                        organisation: row.try_get(0)?,
                        case_ref: row.try_get(1)?,
                        closure: closure.ok_or_else(|| {
                            StoreError::Corrupt("a closed case without a closure".to_string())
                        })?,
                    })
                })
                .collect()
        }

        /// Erases one case and everything kept with it (a family's request, AVG art. 17), in
        /// one transaction with its audit line (`why` and the counts). The histories may only
        /// go with a closed case, so an open one is closed first, in the same transaction.
        pub(crate) async fn erase_case(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            case_ref: &str,
            why: &str,
        ) -> Result<RetentionSummary, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let case_id: i64 = sqlx::query(
                "SELECT c.id FROM cases c JOIN organisations o ON o.id = c.organisation_id
                 WHERE o.name = $1 AND c.case_ref = $2",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_optional(D::on(&mut *tx))
            .await?
            .ok_or_else(|| StoreError::NotFound(Subject::case(organisation, case_ref)))?
            .try_get(0)?;
            sqlx::query(
                "UPDATE cases SET closed_on = COALESCE(closed_on, $1),
                        closing_reason = COALESCE(closing_reason, 'contact_ended')
                 WHERE id = $2",
            )
            .bind(jiff::Zoned::now().date().to_string())
            .bind(case_id)
            .execute(D::on(&mut *tx))
            .await?;
            let mut deleted = [0u64; 8];
            for (count, table) in deleted.iter_mut().zip(CASE_TABLES) {
                let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE case_id = $1"
                )))
                .bind(case_id)
                .execute(D::on(&mut *tx))
                .await?;
                *count = D::rows_affected(&done);
            }
            let done = sqlx::query("DELETE FROM cases WHERE id = $1")
                .bind(case_id)
                .execute(D::on(&mut *tx))
                .await?;
            deleted[7] = D::rows_affected(&done);
            let summary = deleted_summary(deleted);
            let why: String = why.chars().filter(|c| !c.is_control()).take(200).collect();
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, AuditAction::EraseCase)
                    .case(organisation, case_ref)
                    .detail(format!(
                        "{why}: erased with {} observation(s), {} child record(s), {} assessment(s) and {} history entries",
                        summary.observations, summary.children, summary.assessments, summary.history_entries
                    )),
            )
            .await?;
            Ok(summary)
        }

        pub(crate) async fn delete_closed(
            pool: &Pool<D>,
            actor: &Actor,
            last_day: Date,
            about: &str,
        ) -> Result<RetentionSummary, StoreError> {
            let last_day = last_day.to_string();
            let mut tx = D::begin_write(pool).await?;
            let mut deleted = [0u64; 8];
            // What refers to the case first (its stays, its assessments and their history, its
            // children, their history, its own and its letters), then the cases.
            for (count, table) in deleted.iter_mut().zip(CASE_TABLES) {
                let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM {table} WHERE case_id IN ({PAST})"
                )))
                .bind(&last_day)
                .execute(D::on(&mut *tx))
                .await?;
                *count = D::rows_affected(&done);
            }
            let done =
                sqlx::query("DELETE FROM cases WHERE closed_on IS NOT NULL AND closed_on <= $1")
                    .bind(&last_day)
                    .execute(D::on(&mut *tx))
                    .await?;
            deleted[7] = D::rows_affected(&done);
            let summary = deleted_summary(deleted);
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, AuditAction::Retention).detail(format!(
                    "{about}, closed on or before {last_day}: {} case(s) deleted, with {} observation(s), {} child record(s), {} assessment(s) and {} history entries",
                    summary.cases, summary.observations, summary.children, summary.assessments, summary.history_entries
                )),
            )
.await?;
            Ok(summary)
        }
    }
);
