//! Best-interest assessments: reading a case's assessments and their history, creating one and
//! saving its steps. The same statements on SQLite and PostgreSQL.

use dakwacht_core::{Assessment, ChildAge};
use sqlx::{Pool, Row};

use super::now;
use crate::assessments::{
    AssessmentChange, AssessmentRow, SELECT_ASSESSMENT, StoredAssessment, steps_of, steps_text,
};
use crate::{Actor, AuditAction, AuditEntry, StoreError, Subject};

/// The steps of an assessment as stored (JSON; the texts are a child's personal data, never
/// read by SQL).
fn steps_json(assessment: &Assessment) -> Result<String, StoreError> {
    serde_json::to_string(&assessment.steps)
        .map_err(|e| StoreError::Corrupt(format!("an assessment could not be written: {e}")))
}

shared_sql!(
    impl<D> Sql<D> {
        /// Every assessment of a case, by child and then in the order they were made.
        pub(crate) async fn assessments(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<StoredAssessment>, StoreError> {
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SELECT_ASSESSMENT} FROM assessments a JOIN cases c ON c.id = a.case_id \
                 JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY a.child_no, a.id"
            )))
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| Self::assessment_row(row)?.into_stored())
                .collect()
        }

        fn assessment_row(row: &D::Row) -> Result<AssessmentRow, StoreError> {
            Ok(AssessmentRow {
                id: row.try_get(0)?,
                child_no: row.try_get(1)?,
                decision: row.try_get(2)?,
                decision_described: row.try_get(3)?,
                steps: row.try_get(4)?,
                complete: row.try_get(5)?,
                version: row.try_get(6)?,
                created_at: row.try_get(7)?,
                created_by: row.try_get(8)?,
                updated_at: row.try_get(9)?,
                updated_by: row.try_get(10)?,
            })
        }

        /// The history of a case's assessments, oldest first.
        pub(crate) async fn assessment_history(
            pool: &Pool<D>,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<AssessmentChange>, StoreError> {
            let rows = sqlx::query(
                "SELECT h.assessment_id, a.child_no, h.changed_at, h.actor, h.action, h.steps \
                 FROM assessment_changes h JOIN assessments a ON a.id = h.assessment_id \
                 JOIN cases c ON c.id = h.case_id JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 ORDER BY h.changed_at, h.id",
            )
            .bind(organisation)
            .bind(case_ref)
            .fetch_all(D::on(&mut *D::acquire(pool).await?))
            .await?;
            rows.iter()
                .map(|row| {
                    let child_no: i64 = row.try_get(1)?;
                    let steps: Option<String> = row.try_get(5)?;
                    Ok(AssessmentChange {
                        assessment_id: row.try_get(0)?,
                        child_no: u8::try_from(child_no).map_err(|_| {
                            StoreError::Corrupt(format!("an assessment of child {child_no}"))
                        })?,
                        changed_at: row.try_get(2)?,
                        actor: row.try_get(3)?,
                        action: row.try_get(4)?,
                        steps: steps_of(steps.as_deref())?,
                    })
                })
                .collect()
        }

        /// Starts an assessment of a child of a case (a draft with its decision), in the history
        /// and the audit log. A child without a record gets one with its age, so that what the
        /// assessment says reaches the child's figures.
        pub(crate) async fn create_assessment(
            pool: &Pool<D>,
            actor: &Actor,
            organisation: &str,
            case_ref: &str,
            assessment: &Assessment,
        ) -> Result<i64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let (case_id, family) = Self::family_of(&mut *tx, organisation, case_ref).await?;
            let child_no = assessment.child_no;
            if child_no == 0 || child_no > family.count {
                return Err(StoreError::NotFound(Subject::Child {
                    organisation: organisation.to_string(),
                    case_ref: case_ref.to_string(),
                    child_no,
                }));
            }
            let at = now();
            let age =
                family
                    .ages
                    .as_ref()
                    .and_then(|ages| match ages.get(usize::from(child_no) - 1) {
                        Some(ChildAge::Known(age)) => Some(*age),
                        _ => None,
                    });
            Self::ensure_child_record(&mut *tx, actor, case_id, child_no, age, &at).await?;
            let complete = assessment.is_complete();
            let row = sqlx::query(
                "INSERT INTO assessments (case_id, child_no, decision, decision_described, steps, \
                 complete, version, created_at, created_by, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) RETURNING id",
            )
            .bind(case_id)
            .bind(i64::from(child_no))
            .bind(assessment.decision.code())
            .bind(assessment.decision_described.clone())
            .bind(steps_json(assessment)?)
            .bind(complete)
            .bind(&at)
            .bind(actor.as_str())
            .fetch_one(D::on(&mut *tx))
            .await?;
            let id: i64 = row.try_get(0)?;
            Self::assessment_change(&mut *tx, (id, case_id), &at, actor, "created", &[]).await?;
            Self::mark_assessed(&mut *tx, case_id, child_no).await?;
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, AuditAction::CreateAssessment)
                    .case(organisation, case_ref)
                    .detail(format!(
                        "child {child_no}, decision {}",
                        assessment.decision.code()
                    )),
            )
            .await?;
            Ok(id)
        }

        /// Saves an assessment's steps when it is still at `expected_version`, with the steps
        /// that changed in the history; the new version. The child it belongs to never changes.
        pub(crate) async fn save_assessment(
            pool: &Pool<D>,
            actor: &Actor,
            (organisation, case_ref): (&str, &str),
            id: i64,
            assessment: &Assessment,
            expected_version: i64,
        ) -> Result<i64, StoreError> {
            let mut tx = D::begin_write(pool).await?;
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {SELECT_ASSESSMENT}, a.case_id FROM assessments a \
                 JOIN cases c ON c.id = a.case_id JOIN organisations o ON o.id = c.organisation_id \
                 WHERE o.name = $1 AND c.case_ref = $2 AND a.id = $3"
            )))
            .bind(organisation)
            .bind(case_ref)
            .bind(id)
            .fetch_optional(D::on(&mut *tx))
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(Subject::Assessment {
                    organisation: organisation.to_string(),
                    case_ref: case_ref.to_string(),
                    id,
                })
            })?;
            let case_id: i64 = row.try_get(11)?;
            let stored = Self::assessment_row(&row)?.into_stored()?;
            if stored.version != expected_version {
                return Err(StoreError::StaleVersion {
                    by: stored.updated_by,
                    at: stored.updated_at,
                });
            }
            let saved = Assessment {
                child_no: stored.assessment.child_no,
                ..assessment.clone()
            };
            // Nothing changed: nothing to write, no history entry.
            if saved == stored.assessment {
                return Ok(stored.version);
            }
            let complete = saved.is_complete();
            let at = now();
            let row = sqlx::query(
                "UPDATE assessments SET decision = $1, decision_described = $2, steps = $3, \
                 complete = $4, version = version + 1, updated_at = $5, updated_by = $6 \
                 WHERE id = $7 RETURNING version",
            )
            .bind(saved.decision.code())
            .bind(saved.decision_described.clone())
            .bind(steps_json(&saved)?)
            .bind(complete)
            .bind(&at)
            .bind(actor.as_str())
            .bind(id)
            .fetch_one(D::on(&mut *tx))
            .await?;
            let version: i64 = row.try_get(0)?;
            let steps = saved.changed_steps(&stored.assessment);
            let action = if complete && !stored.complete {
                "completed"
            } else {
                "saved"
            };
            Self::assessment_change(&mut *tx, (id, case_id), &at, actor, action, &steps).await?;
            Self::mark_assessed(&mut *tx, case_id, saved.child_no).await?;
            let steps = steps_text(&steps).unwrap_or_else(|| "none".to_string());
            Self::commit_audited(
                tx,
                &AuditEntry::new(actor, AuditAction::SaveAssessment)
                    .case(organisation, case_ref)
                    .detail(format!(
                        "child {}, assessment {id}, steps changed: {steps}{}",
                        saved.child_no,
                        if complete { "; complete" } else { "; draft" }
                    )),
            )
            .await?;
            Ok(version)
        }

        async fn assessment_change(
            conn: &mut D::Connection,
            (id, case_id): (i64, i64),
            at: &str,
            actor: &Actor,
            action: &str,
            steps: &[dakwacht_core::Step],
        ) -> Result<(), StoreError> {
            sqlx::query(
                "INSERT INTO assessment_changes (assessment_id, case_id, changed_at, actor, action, steps) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(case_id)
            .bind(at)
            .bind(actor.as_str())
            .bind(action)
            .bind(steps_text(steps))
            .execute(D::on(conn))
            .await?;
            Ok(())
        }
    }
);
