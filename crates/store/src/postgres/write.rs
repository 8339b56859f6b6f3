//! Writing cases to PostgreSQL: imports (all or nothing, in batches) and saving one case by hand
//! (optimistic locking on `cases.version`, as in SQLite).

use std::collections::HashMap;

use dakwacht_core::Case;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgConnection, PgPool, Postgres};

use super::copy::CopyRows;
use tokio::sync::mpsc;

use crate::changes::{
    Batch, CURRENT_VERSION, INSERT_STAY, Import, REMOVE_STAY, Save, Update, observed_on,
    stay_detail,
};
use crate::rows::{COLUMNS, CaseRow, SELECT_CASE, StoredCase, change_record, update_sql};
use crate::{Actor, AuditAction, ImportMessage, ImportSummary, StayNews, StoreError, Subject};

/// Imports take this advisory lock for their whole transaction: like SQLite's single writer, two
/// imports run one after the other, so overlapping files cannot both create the same case.
const IMPORT_LOCK: i64 = 0x6461_6b77_6163_6874; // "dakwacht"

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Binds the case columns, in [`COLUMNS`] order, after the parameters already bound.
fn bind_row<'q>(
    query: Query<'q, Postgres, PgArguments>,
    row: CaseRow,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(row.case_ref)
        .bind(row.reported_on)
        .bind(row.municipality)
        .bind(row.municipality_key)
        .bind(row.household)
        .bind(row.children_count)
        .bind(row.children_ages)
        .bind(row.tenancy)
        .bind(row.home_lost_on)
        .bind(row.home_lost_precision)
        .bind(row.route)
        .bind(row.main_reason)
        .bind(row.other_reasons)
        .bind(row.legal_support)
        .bind(row.default_judgment)
        .bind(row.alternative_offered)
        .bind(row.situation_after)
        .bind(row.current_situation)
        .bind(row.last_seen_on)
        .bind(row.last_seen_situation)
        .bind(row.rehoused_on)
        .bind(row.child_heard)
        .bind(row.best_interest_weighed)
        .bind(row.family_separated)
        .bind(row.shelter_refused_no_binding)
        .bind(row.school_disrupted)
        .bind(row.notes)
        .bind(row.extra)
        .bind(row.children_age_unknown)
        .bind(row.homeless_months)
        .bind(row.profile)
        .bind(row.survival)
}

/// A new case with who made it and how.
struct NewCase {
    organisation_id: i64,
    row: CaseRow,
}

/// Inserts new cases with one `COPY` (see [`super::copy`]).
async fn insert_cases(
    conn: &mut PgConnection,
    cases: Vec<NewCase>,
    at: &str,
    actor: &Actor,
    import_id: Option<i64>,
) -> Result<(), StoreError> {
    let mut columns = vec![
        "organisation_id",
        "version",
        "created_at",
        "updated_at",
        "created_by",
        "import_id",
    ];
    columns.extend_from_slice(COLUMNS);
    let mut copy = CopyRows::new("cases", &columns);
    for case in cases {
        let row = case.row;
        copy.field(&case.organisation_id)
            .field(&1_i64)
            .field(at)
            .field(at)
            .field(actor.as_str())
            .field(&import_id)
            .field(&row.case_ref)
            .field(&row.reported_on)
            .field(&row.municipality)
            .field(&row.municipality_key)
            .field(&row.household)
            .field(&row.children_count)
            .field(&row.children_ages)
            .field(&row.tenancy)
            .field(&row.home_lost_on)
            .field(&row.home_lost_precision)
            .field(&row.route)
            .field(&row.main_reason)
            .field(&row.other_reasons)
            .field(&row.legal_support)
            .field(&row.default_judgment)
            .field(&row.alternative_offered)
            .field(&row.situation_after)
            .field(&row.current_situation)
            .field(&row.last_seen_on)
            .field(&row.last_seen_situation)
            .field(&row.rehoused_on)
            .field(&row.child_heard)
            .field(&row.best_interest_weighed)
            .field(&row.family_separated)
            .field(&row.shelter_refused_no_binding)
            .field(&row.school_disrupted)
            .field(&row.notes)
            .field(&row.extra)
            .field(&row.children_age_unknown)
            .field(&row.homeless_months)
            .field(&row.profile)
            .field(&row.survival);
        copy.end_row();
    }
    copy.send(conn).await?;
    Ok(())
}

/// Writes a changed case and its history entry; returns the new version.
async fn record_update(
    conn: &mut PgConnection,
    update: &Update,
    at: &str,
    actor: &Actor,
    import_id: Option<i64>,
) -> Result<i64, StoreError> {
    let sql = update_sql('$', 3);
    let query = bind_row(
        sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(update.id)
            .bind(at),
        CaseRow::from_case(&update.new),
    );
    let row = query.fetch_one(&mut *conn).await?;
    let version: i64 = sqlx::Row::try_get(&row, 0)?;
    sqlx::query(
        "INSERT INTO case_changes (case_id, version, changed_at, actor, action, import_id, changes) \
         VALUES ($1, $2, $3, $4, 'updated', $5, $6)",
    )
    .bind(update.id)
    .bind(version)
    .bind(at)
    .bind(actor.as_str())
    .bind(import_id)
    .bind(change_record(&update.old, &update.new, &update.changed))
    .execute(&mut *conn)
    .await?;
    Ok(version)
}

/// The organisation's id (created if new), and whether it had cases already.
async fn organisation(
    conn: &mut PgConnection,
    name: &str,
    at: &str,
) -> Result<(i64, bool), StoreError> {
    sqlx::query("INSERT INTO organisations (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    let id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1")
        .bind(name)
        .fetch_one(&mut *conn)
        .await?;
    let has_cases: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM cases WHERE organisation_id = $1)")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    Ok((id, has_cases))
}

pub(crate) async fn import(
    pool: &PgPool,
    actor: &Actor,
    source: &str,
    mut messages: mpsc::Receiver<ImportMessage>,
) -> Result<ImportSummary, StoreError> {
    // Dropping `tx` without commit (an early return, a stream that ends without Commit, a killed
    // process) rolls everything back: nothing of this file is kept.
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(IMPORT_LOCK)
        .execute(&mut *tx)
        .await?;
    let at = now();
    let import_id: i64 = sqlx::query_scalar(
        "INSERT INTO imports (actor, source, started_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(actor.as_str())
    .bind(source)
    .bind(&at)
    .fetch_one(&mut *tx)
    .await?;
    // FOR UPDATE: a hand edit of one of these cases that commits while this import runs must
    // not be overwritten by an update computed from the version read before it. The edit either
    // waits for this import, or this import waits for the edit and then sees it.
    let lookup = format!(
        "{SELECT_CASE} WHERE c.organisation_id = $1 AND c.case_ref = ANY($2::text[]) FOR UPDATE OF c"
    );
    let mut organisations: HashMap<String, (i64, bool)> = HashMap::new();
    let mut import = Import::new();
    // Into empty tables (the first load of a national file), the indexes and foreign keys are
    // made once at the end.
    let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM cases)")
        .fetch_one(&mut *tx)
        .await?;
    // The cases it creates are not noted as due for signals one by one (migration 0017): the
    // signals of an import are worked out in one pass at its end.
    sqlx::query("SET LOCAL dakwacht.importing = 'on'")
        .execute(&mut *tx)
        .await?;
    let mut set_aside = Vec::new();
    if empty {
        // The indexes are built in memory when they fit (the server's default is 64 MB).
        sqlx::query("SET LOCAL maintenance_work_mem = '256MB'")
            .execute(&mut *tx)
            .await?;
        for table in ["cases", "children"] {
            set_aside.push(super::set_aside::SetAside::pause(&mut tx, table).await?);
        }
    }

    let children = super::children::Writer {
        actor,
        at: &at,
        import_id,
    };
    while let Some(batch) = import.next_batch(messages.recv().await)? {
        let cases = match batch {
            Batch::Cases(cases) => cases,
            Batch::Children(rows) => {
                children.write(&mut tx, &mut import, &rows).await?;
                continue;
            }
        };
        // The stored versions of the cases of this batch, per organisation that had cases.
        let mut by_organisation: HashMap<String, Vec<String>> = HashMap::new();
        for case in &cases {
            let name = case.organisation.as_str();
            if !organisations.contains_key(name) {
                let known = organisation(&mut tx, name, &at).await?;
                organisations.insert(name.to_string(), known);
            }
            if organisations.get(name).is_some_and(|&(_, had)| had) {
                by_organisation
                    .entry(name.to_string())
                    .or_default()
                    .push(case.case_ref.as_str().to_string());
            }
        }
        let mut stored: HashMap<(i64, String), StoredCase> = HashMap::new();
        for (name, refs) in by_organisation {
            let Some(&(org_id, _)) = organisations.get(&name) else {
                continue;
            };
            let rows: Vec<StoredCase> = sqlx::query_as(sqlx::AssertSqlSafe(lookup.as_str()))
                .bind(org_id)
                .bind(refs)
                .fetch_all(&mut *tx)
                .await?;
            for row in rows {
                stored.insert((org_id, row.case_ref.clone()), row);
            }
        }

        let mut new = Vec::new();
        for case in cases {
            let Some(&(org_id, _)) = organisations.get(case.organisation.as_str()) else {
                continue;
            };
            match stored.remove(&(org_id, case.case_ref.as_str().to_string())) {
                None => {
                    import.create(&case);
                    new.push(NewCase {
                        organisation_id: org_id,
                        row: CaseRow::from_case(&case),
                    });
                }
                Some(stored) => {
                    if let Some(update) = import.update(stored, &case)? {
                        record_update(&mut tx, &update, &at, actor, Some(import_id)).await?;
                    }
                }
            }
        }
        match insert_cases(&mut tx, new, &at, actor, Some(import_id)).await {
            // Someone created one of these cases by hand after this batch looked it up (a narrow
            // window: the lookup sees everything committed before it). Nothing of the file is kept;
            // importing it again updates that case instead.
            Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                return Err(StoreError::ImportRace);
            }
            other => other?,
        }
    }

    for paused in set_aside {
        paused.resume(&mut tx).await?;
    }
    for case_id in import.cases_to_recheck().to_vec() {
        let case = super::children::case_by_id(&mut tx, case_id).await?;
        let stored = super::children::children_of(&mut tx, case_id).await?;
        import.recheck_children(&case, &stored);
    }

    // Dropping the transaction on a rejected case rolls it back.
    let finished = import.finish(source)?;
    let summary = finished.summary;
    let at = now();
    sqlx::query(
        "UPDATE imports SET finished_at = $1, created = $2, updated = $3, unchanged = $4 WHERE id = $5",
    )
    .bind(&at)
    .bind(summary.created as i64)
    .bind(summary.updated as i64)
    .bind(summary.unchanged as i64)
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    crate::dialect::Sql::<sqlx::Postgres>::append(
        &mut tx,
        &crate::AuditEntry::new(actor, AuditAction::Import).detail(&finished.audit_detail),
    )
    .await?;
    tx.commit().await?;
    if summary.created + summary.updated >= TIDY_AFTER_ROWS {
        tidy(pool, "cases, children").await;
    }
    Ok(summary)
}

/// A write of this many cases (or signals) leaves the tables to be tidied at once
/// ([`tidy`]) rather than by autovacuum a minute or more later.
pub(crate) const TIDY_AFTER_ROWS: u64 = 10_000;

/// `VACUUM (ANALYZE)` of `tables` after a large write: the planner learns the new sizes (right
/// after an import it still thinks the tables empty and chooses nested loops), and the
/// visibility map lets the counts read indexes only. A report of a million freshly imported
/// cases took 24 s before it and 1.8 s after it (BENCHMARKS.md, issue 19.4). What was written is
/// kept whatever happens here; autovacuum does the same later.
pub(crate) async fn tidy(pool: &PgPool, tables: &str) {
    let statement = format!("VACUUM (ANALYZE) {tables}");
    if let Err(error) = sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(pool)
        .await
    {
        tracing::warn!(%error, "tables not vacuumed after a large write; autovacuum will");
    }
}

/// Saves `case`; with `news` of a stay, records or takes back the stay in the same transaction
/// (the case is then the stored one after it, and is not created by it).
pub(crate) async fn save(
    pool: &PgPool,
    actor: &Actor,
    case: &Case,
    expected_version: Option<i64>,
    news: Option<StayNews>,
) -> Result<i64, StoreError> {
    let mut tx = pool.begin().await?;
    let at = now();
    let (org_id, _) = organisation(&mut tx, case.organisation.as_str(), &at).await?;
    // FOR UPDATE: a second editor saving at the same moment waits here, then sees the new version.
    let existing: Option<StoredCase> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT_CASE} WHERE c.organisation_id = $1 AND c.case_ref = $2 FOR UPDATE OF c"
    )))
    .bind(org_id)
    .bind(case.case_ref.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    let (version, action, detail) = match Save::of(case, existing, expected_version)? {
        Save::Create => {
            let new = vec![NewCase {
                organisation_id: org_id,
                row: CaseRow::from_case(case),
            }];
            match insert_cases(&mut tx, new, &at, actor, None).await {
                Err(StoreError::Database(sqlx::Error::Database(e))) if e.is_unique_violation() => {
                    return Err(StoreError::AlreadyExists(Subject::of_case(case)));
                }
                other => other?,
            }
            (1, AuditAction::CreateCase, None)
        }
        Save::Update { stored, expected } => {
            let current: (i64, String, String) = sqlx::query_as(CURRENT_VERSION)
                .bind(stored.id)
                .fetch_one(&mut *tx)
                .await?;
            match Update::saved(*stored, case, expected, &current)? {
                Some(update) => {
                    if update.changes_children() {
                        let children = super::children::children_of(&mut tx, update.id).await?;
                        update.check_children(&children)?;
                    }
                    let version = record_update(&mut tx, &update, &at, actor, None).await?;
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
            sqlx::query(INSERT_STAY)
                .bind(on)
                .bind(precision)
                .bind(stay.situation.code())
                .bind(&at)
                .bind(actor.as_str())
                .bind(detail.is_some().then_some(version))
                .bind(org_id)
                .bind(case.case_ref.as_str())
                .execute(&mut *tx)
                .await?;
            Some(stay_detail(false, detail))
        }
        Some(StayNews::Remove(stay_id)) => {
            let removed = sqlx::query(REMOVE_STAY)
                .bind(&at)
                .bind(actor.as_str())
                .bind(stay_id)
                .bind(org_id)
                .bind(case.case_ref.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
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
    crate::dialect::Sql::<sqlx::Postgres>::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(version)
}
