//! Kept signals on PostgreSQL (see [`crate::kept_signals`]), worked out in batches of cases, each
//! in a transaction of its own that never waits for a writer (so it can deadlock with none): it
//! takes the child records' table lock only if it is free, and skips cases a writer holds. What it
//! skips stays without signals and is counted the long way until a later pass keeps it.

use dakwacht_core::{CaseFilter, Variable};
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use crate::StoreError;
use crate::facts::Grouping;
use crate::kept_signals::{Judge, KeptCounts, KeptTally, Verdicts};
use crate::postgres::scan::cell;

/// Cases per transaction: large enough that the round trips do not count, small enough that a
/// writer never waits long for the child records.
const BATCH: i64 = 20_000;

pub(crate) async fn keep_signals(
    pool: &PgPool,
    fingerprint: i64,
    sets: &[Vec<Variable>],
    judge: &Judge,
) -> Result<u64, StoreError> {
    let mut verdicts = Verdicts::new(sets.len())?;
    let mut grouping = Grouping::new(sets);
    let columns: Vec<&'static str> = grouping.columns().to_vec();
    let select: String = columns.iter().map(|c| format!(", {c}")).collect();
    // A batch is a range of case ids, both in the cases and in their kept signals: right after
    // a large import the planner's statistics still say the tables are small, and an anti-join
    // over all kept signals then took 20 s a batch.
    let sql = format!(
        "SELECT c.id{select} FROM cases c WHERE c.id > $1 AND c.id <= $3 AND NOT EXISTS \
         (SELECT 1 FROM case_signals s WHERE s.case_id = c.id AND s.rules = $2 \
         AND s.case_id > $1 AND s.case_id <= $3) \
         ORDER BY c.id FOR SHARE OF c SKIP LOCKED"
    );
    let per_case = sets.len();
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM cases")
        .fetch_one(pool)
        .await?;
    let last = last.unwrap_or(0);
    let mut after = 0i64;
    let mut kept = 0u64;
    while after < last {
        let until = after.saturating_add(BATCH);
        let mut tx = pool.begin().await?;
        // No child record may change while its family's signals are worked out. A writer that
        // holds them now: this pass stops (Busy, 55P03) rather than make it wait.
        sqlx::query("LOCK TABLE children IN SHARE MODE NOWAIT")
            .execute(&mut *tx)
            .await?;
        // A nested loop over a range the statistics think small is what went wrong above.
        sqlx::query("SET LOCAL enable_nestloop = off")
            .execute(&mut *tx)
            .await?;
        // Made of the fixed column expressions of `facts::columns`; every value is bound.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(after)
            .bind(fingerprint)
            .bind(until)
            .fetch_all(&mut *tx)
            .await?;
        after = until;
        if rows.is_empty() {
            continue;
        }
        let mut cases: Vec<i64> = Vec::with_capacity(rows.len());
        let mut groups: Vec<u32> = Vec::with_capacity(rows.len() * per_case);
        for row in &rows {
            cases.push(row.try_get(0)?);
            for column in 0..columns.len() {
                grouping.cell(column, &cell(row, column + 1)?);
            }
            groups.extend_from_slice(grouping.add_case());
        }
        verdicts.judge_new_groups(&grouping, judge)?;
        let (signals, problems): (Vec<i64>, Vec<i64>) = (0..cases.len())
            .map(|i| verdicts.bits(&groups[i * per_case..(i + 1) * per_case]))
            .unzip();
        sqlx::query(
            "INSERT INTO case_signals (case_id, rules, signals, problems) \
             SELECT u.id, $2, u.signals, u.problems \
             FROM UNNEST($1::BIGINT[], $3::BIGINT[], $4::BIGINT[]) AS u (id, signals, problems) \
             ON CONFLICT (case_id) DO UPDATE SET rules = EXCLUDED.rules, \
             signals = EXCLUDED.signals, problems = EXCLUDED.problems",
        )
        .bind(&cases)
        .bind(fingerprint)
        .bind(&signals)
        .bind(&problems)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        kept += cases.len() as u64;
    }
    if kept >= super::write::TIDY_AFTER_ROWS {
        super::write::tidy(pool, "case_signals").await;
    }
    Ok(kept)
}

pub(crate) async fn kept_counts(
    pool: &PgPool,
    filter: &CaseFilter,
    fingerprint: i64,
) -> Result<KeptCounts, StoreError> {
    let mut tally = KeptTally::default();
    if filter.is_empty() {
        // Every case: the narrow table alone, and the cases counted (as on SQLite). Both in
        // one statement, so both see the same state.
        let rows = sqlx::query(
            "SELECT s.signals, s.problems, COUNT(*), (SELECT COUNT(*) FROM cases) \
             FROM case_signals s WHERE s.rules = $1 GROUP BY s.signals, s.problems \
             UNION ALL SELECT NULL, NULL, 0, (SELECT COUNT(*) FROM cases)",
        )
        .bind(fingerprint)
        .fetch_all(pool)
        .await?;
        let mut kept = 0i64;
        let mut cases = 0i64;
        for row in rows {
            let signals: Option<i64> = row.try_get(0)?;
            let problems: Option<i64> = row.try_get(1)?;
            let count: i64 = row.try_get(2)?;
            cases = row.try_get(3)?;
            if let Some(key) = signals.zip(problems) {
                tally.add(Some(key), count.max(0) as u64);
                kept += count;
            }
        }
        tally.add(None, (cases - kept).max(0) as u64);
        return Ok(tally.finish());
    }
    let mut query = QueryBuilder::<Postgres>::new(
        "SELECT s.signals, s.problems, COUNT(*) FROM cases c \
         LEFT JOIN case_signals s ON s.case_id = c.id AND s.rules = ",
    );
    query.push_bind(fingerprint);
    crate::dialect::Sql::<Postgres>::push_filter(&mut query, filter);
    query.push(" GROUP BY s.signals, s.problems");
    for row in query.build().fetch_all(pool).await? {
        let signals: Option<i64> = row.try_get(0)?;
        let problems: Option<i64> = row.try_get(1)?;
        let cases: i64 = row.try_get(2)?;
        tally.add(signals.zip(problems), cases.max(0) as u64);
    }
    Ok(tally.finish())
}
