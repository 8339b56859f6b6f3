//! Saving one case by hand (the web form): create, or update only when nobody else changed it
//! since the editor opened it (optimistic locking on `cases.version`).

use dakwacht_core::Case;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::import::{bind_case, insert_sql, organisation, record_update, stored_case, update_sql};
use crate::rows::{CaseRow, SELECT_CASE};
use crate::{Actor, AuditAction, StoreError, Subject};

pub(crate) fn save(
    file: &crate::sqlite::SqliteFile,
    actor: &Actor,
    case: &Case,
    expected_version: Option<i64>,
) -> Result<i64, StoreError> {
    let mut conn = file.connect()?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let at = jiff::Timestamp::now().to_string();
    let (org_id, _) = organisation(&tx, case.organisation.as_str(), &at)?;
    let existing = tx
        .query_row(
            &format!("{SELECT_CASE} WHERE c.organisation_id = ?1 AND c.case_ref = ?2"),
            params![org_id, case.case_ref.as_str()],
            stored_case,
        )
        .optional()?;
    let (version, action, detail) = match (existing, expected_version) {
        (Some(_), None) => {
            return Err(StoreError::AlreadyExists(Subject::Case {
                organisation: case.organisation.to_string(),
                case_ref: case.case_ref.to_string(),
            }));
        }
        (None, Some(_)) => {
            return Err(StoreError::NotFound(Subject::Case {
                organisation: case.organisation.to_string(),
                case_ref: case.case_ref.to_string(),
            }));
        }
        (None, None) => {
            let mut statement = tx.prepare(&insert_sql())?;
            statement.raw_bind_parameter(1, org_id)?;
            statement.raw_bind_parameter(2, &at)?;
            statement.raw_bind_parameter(3, actor.as_str())?;
            statement.raw_bind_parameter(4, None::<i64>)?;
            bind_case(&mut statement, &CaseRow::from_case(case))?;
            statement.raw_execute()?;
            (1, AuditAction::CreateCase, None)
        }
        (Some(stored), Some(expected)) => {
            let id = stored.id;
            let (current, by, when): (i64, String, String) = tx.query_row(
                "SELECT c.version, COALESCE((SELECT actor FROM case_changes WHERE case_id = c.id ORDER BY version DESC LIMIT 1), c.created_by), c.updated_at FROM cases c WHERE c.id = ?1",
                params![id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
            if current != expected {
                return Err(StoreError::StaleVersion { by, at: when });
            }
            let old = stored.into_case()?;
            let changed = old.changed_fields(case);
            if changed.is_empty() && old.extra == case.extra {
                return Ok(current);
            }
            record_update(
                &tx,
                &update_sql(),
                id,
                &old,
                case,
                &changed,
                &at,
                actor,
                None,
            )?;
            let names: Vec<&str> = changed.iter().map(|f| f.name()).collect();
            (
                current + 1,
                AuditAction::UpdateCase,
                Some(format!("changed: {}", names.join(", "))),
            )
        }
    };
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, organisation, case_ref, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            at,
            actor.as_str(),
            action.code(),
            case.organisation.as_str(),
            case.case_ref.as_str(),
            detail
        ],
    )?;
    tx.commit()?;
    Ok(version)
}
