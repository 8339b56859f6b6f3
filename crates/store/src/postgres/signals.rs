//! Kept signals on PostgreSQL (see [`crate::kept_signals`]), worked out in batches of cases, each
//! in a transaction of its own that never waits for a writer (so it can deadlock with none): it
//! takes the child records' table lock only if it is free, and skips cases a writer holds. What it
//! skips stays without signals and is counted the long way until a later pass keeps it.

use dakwacht_core::{CaseFilter, Variable};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

use crate::StoreError;
use crate::facts::Grouping;
use crate::kept_signals::{Judge, KeptCounts, KeptTally, Verdicts};
use crate::postgres::scan::cell;

/// Cases per transaction: large enough that the round trips do not count, small enough that a
/// writer never waits long for the child records.
const BATCH: i64 = 20_000;

/// From this many cases without kept signals (after an import, or under a new rules file), they
/// are found by a pass over all cases rather than from the list of due cases.
const FROM_THE_LIST_BELOW: i64 = 10_000;

pub(crate) async fn keep_signals(
    pool: &PgPool,
    fingerprint: i64,
    sets: &[Vec<Variable>],
    judge: &Judge,
) -> Result<u64, StoreError> {
    let mut pass = Pass::new(sets, judge)?;
    // How many cases keep no signals, and those of them on the list of due cases (migration
    // 0017): one statement, so both see the same state. When the list holds them all, only
    // they are read (each checked, so the list need not be exact); else every case is.
    let (missing, listed): (i64, Vec<i64>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cases) \
         - (SELECT COUNT(*) FROM case_signals WHERE rules = $1), \
         ARRAY(SELECT c.id FROM signals_due d JOIN cases c ON c.id = d.case_id \
               WHERE NOT EXISTS (SELECT 1 FROM case_signals s \
                                 WHERE s.case_id = c.id AND s.rules = $1) \
               ORDER BY c.id LIMIT $2)",
    )
    .bind(fingerprint)
    .bind(FROM_THE_LIST_BELOW)
    .fetch_one(pool)
    .await?;
    if missing <= 0 {
        return Ok(0);
    }
    if missing < FROM_THE_LIST_BELOW && listed.len() as i64 == missing {
        let sql = format!(
            "SELECT c.id{} FROM cases c WHERE c.id = ANY($1) AND NOT EXISTS \
             (SELECT 1 FROM case_signals s WHERE s.case_id = c.id AND s.rules = $2) \
             ORDER BY c.id FOR SHARE OF c SKIP LOCKED",
            pass.select
        );
        let mut tx = pool.begin().await?;
        // (Why, in the pass over all cases below.)
        sqlx::query("LOCK TABLE children IN SHARE MODE NOWAIT")
            .execute(&mut *tx)
            .await?;
        // Made of the fixed column expressions of `facts::columns`; every value is bound.
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(&listed)
            .bind(fingerprint)
            .fetch_all(&mut *tx)
            .await?;
        let kept = pass.keep(&mut tx, fingerprint, &rows).await?;
        tx.commit().await?;
        return Ok(kept);
    }
    // A batch is a range of case ids, both in the cases and in their kept signals: right after
    // a large import the planner's statistics still say the tables are small, and an anti-join
    // over all kept signals then took 20 s a batch.
    let sql = format!(
        "SELECT c.id{} FROM cases c WHERE c.id > $1 AND c.id <= $3 AND NOT EXISTS \
         (SELECT 1 FROM case_signals s WHERE s.case_id = c.id AND s.rules = $2 \
         AND s.case_id > $1 AND s.case_id <= $3) \
         ORDER BY c.id FOR SHARE OF c SKIP LOCKED",
        pass.select
    );
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
        kept += pass.keep(&mut tx, fingerprint, &rows).await?;
        tx.commit().await?;
    }
    // Cases on the list that keep their signals by now (a race with a writer can leave one).
    sqlx::query(
        "DELETE FROM signals_due d WHERE EXISTS \
         (SELECT 1 FROM case_signals s WHERE s.case_id = d.case_id AND s.rules = $1)",
    )
    .bind(fingerprint)
    .execute(pool)
    .await?;
    if kept >= super::write::TIDY_AFTER_ROWS {
        // The list of due cases was emptied of as many: otherwise the planner still thinks it
        // large, and reads it whole.
        super::write::tidy(pool, "case_signals, signals_due").await;
    }
    Ok(kept)
}

/// The signals of cases read in batches: their facts grouped, each group judged once.
struct Pass<'a> {
    verdicts: Verdicts,
    grouping: Grouping,
    columns: usize,
    per_case: usize,
    /// The fact columns, each after a comma, for the `SELECT`.
    select: String,
    judge: &'a Judge,
}

impl<'a> Pass<'a> {
    fn new(sets: &[Vec<Variable>], judge: &'a Judge) -> Result<Self, StoreError> {
        let grouping = Grouping::new(sets);
        let select: String = grouping
            .columns()
            .iter()
            .map(|c| format!(", {c}"))
            .collect();
        Ok(Pass {
            verdicts: Verdicts::new(sets.len())?,
            columns: grouping.columns().len(),
            grouping,
            per_case: sets.len(),
            select,
            judge,
        })
    }

    /// Keeps the signals of the cases in `rows` (the id, then the fact columns), and takes
    /// them off the list of due cases.
    async fn keep(
        &mut self,
        tx: &mut sqlx::PgConnection,
        fingerprint: i64,
        rows: &[PgRow],
    ) -> Result<u64, StoreError> {
        if rows.is_empty() {
            return Ok(0);
        }
        let mut cases: Vec<i64> = Vec::with_capacity(rows.len());
        let mut groups: Vec<u32> = Vec::with_capacity(rows.len() * self.per_case);
        for row in rows {
            cases.push(row.try_get(0)?);
            for column in 0..self.columns {
                self.grouping.cell(column, &cell(row, column + 1)?);
            }
            groups.extend_from_slice(self.grouping.add_case());
        }
        self.verdicts.judge_new_groups(&self.grouping, self.judge)?;
        let per_case = self.per_case;
        let (signals, problems): (Vec<i64>, Vec<i64>) = (0..cases.len())
            .map(|i| {
                self.verdicts
                    .bits(&groups[i * per_case..(i + 1) * per_case])
            })
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
        // Read under a share lock (the case) and the child records' table lock: a change
        // after this commit notes the case again.
        sqlx::query("DELETE FROM signals_due WHERE case_id = ANY($1)")
            .bind(&cases)
            .execute(&mut *tx)
            .await?;
        Ok(cases.len() as u64)
    }
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
