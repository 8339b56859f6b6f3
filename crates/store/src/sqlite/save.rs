//! Saving one case by hand (the web form): create, or update only when nobody else changed it
//! since the editor opened it (optimistic locking on `cases.version`).

use dakwacht_core::Case;
use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::import::{
    bind_case, insert_sql, organisation, record_update, stored_case, update_case_sql,
};
use crate::changes::{
    CURRENT_VERSION, INSERT_STAY, REMOVE_STAY, Save, Update, observed_on, stay_detail,
};
use crate::rows::{CaseRow, SELECT_CASE};
use crate::{Actor, AuditAction, StayNews, StoreError, Subject};

/// Saves `case`; with `news` of a stay, records or takes back the stay in the same transaction
/// (the case is then the stored one after it, and is not created by it).
pub(crate) fn save(
    file: &crate::sqlite::SqliteFile,
    actor: &Actor,
    case: &Case,
    expected_version: Option<i64>,
    news: Option<StayNews>,
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
    let (version, action, detail) = match Save::of(case, existing, expected_version)? {
        Save::Create => {
            let mut statement = tx.prepare(&insert_sql())?;
            statement.raw_bind_parameter(1, org_id)?;
            statement.raw_bind_parameter(2, &at)?;
            statement.raw_bind_parameter(3, actor.as_str())?;
            statement.raw_bind_parameter(4, None::<i64>)?;
            bind_case(&mut statement, &CaseRow::from_case(case))?;
            statement.raw_execute()?;
            (1, AuditAction::CreateCase, None)
        }
        Save::Update { stored, expected } => {
            let current: (i64, String, String) =
                tx.query_row(CURRENT_VERSION, params![stored.id], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
                })?;
            match Update::saved(*stored, case, expected, &current)? {
                Some(update) => {
                    if update.changes_children() {
                        update.check_children(&super::import::children_of(&tx, update.id)?)?;
                    }
                    let version =
                        record_update(&tx, &update_case_sql(), &update, &at, actor, None)?;
                    (version, AuditAction::UpdateCase, Some(update.detail()))
                }
                None if news.is_some() => (current.0, AuditAction::UpdateCase, None),
                None => return Ok(current.0),
            }
        }
    };
    let detail = match news {
        Some(StayNews::Record(stay)) => {
            let (on, precision) = observed_on(&stay);
            tx.execute(
                INSERT_STAY,
                params![
                    on,
                    precision,
                    stay.situation.code(),
                    at,
                    actor.as_str(),
                    detail.is_some().then_some(version),
                    org_id,
                    case.case_ref.as_str()
                ],
            )?;
            Some(stay_detail(false, detail))
        }
        Some(StayNews::Remove(stay_id)) => {
            let removed = tx.execute(
                REMOVE_STAY,
                params![at, actor.as_str(), stay_id, org_id, case.case_ref.as_str()],
            )?;
            if removed == 0 {
                return Err(StoreError::NotFound(Subject::of_case(case)));
            }
            Some(stay_detail(true, detail))
        }
        None => detail,
    };
    let mut entry = crate::AuditEntry::new(actor, action)
        .case(case.organisation.as_str(), case.case_ref.as_str());
    entry.detail = detail;
    crate::audit_chain::append_on_sqlite(&tx, &at, &entry)?;
    tx.commit()?;
    Ok(version)
}
