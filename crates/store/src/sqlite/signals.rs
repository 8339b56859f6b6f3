//! Kept signals on SQLite (see [`crate::kept_signals`]): worked out in one write transaction,
//! which holds the database against every other writer, so no case can change between reading
//! its facts and keeping its signals.

use rusqlite::TransactionBehavior;
use rusqlite::types::Value;

use dakwacht_core::{CaseFilter, Variable};

use crate::StoreError;
use crate::facts::Grouping;
use crate::kept_signals::{Judge, KeptCounts, KeptTally, Verdicts};
use crate::sqlite::scan::{CaseScan, filter_sql};
use crate::sqlite::tally::{self, SetAside};

pub(crate) fn keep_signals(
    file: &crate::sqlite::SqliteFile,
    fingerprint: i64,
    sets: &[Vec<Variable>],
    judge: &Judge,
) -> Result<u64, StoreError> {
    let mut verdicts = Verdicts::new(sets.len())?;
    let mut conn = file.connect()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut grouping = Grouping::new(sets);
    let mut cases: Vec<i64> = Vec::new();
    let mut groups: Vec<u32> = Vec::new();
    {
        let mut scan = CaseScan::prepare(
            &tx,
            grouping.columns(),
            " WHERE NOT EXISTS (SELECT 1 FROM case_signals s WHERE s.case_id = c.id AND s.rules = ?)",
            true,
        )?;
        scan.run(
            std::iter::once(fingerprint),
            &mut grouping,
            |id, case_groups| {
                cases.push(id);
                groups.extend_from_slice(case_groups);
                Ok(())
            },
        )?;
    }
    if cases.is_empty() {
        return Ok(0);
    }
    verdicts.judge_new_groups(&grouping, judge)?;
    // Signals kept under other rules are of no more use; their delete trigger takes them out of
    // the running counts. The new rows are counted here and written once (a trigger per row
    // cost a second at a million cases).
    tx.execute("DELETE FROM case_signals WHERE rules <> ?1", [fingerprint])?;
    let counting = SetAside::pause(&tx, "case_signals", tally::SIGNALS_INSERT_TRIGGER)?;
    let mut kept = tally::KeptSignals::default();
    {
        let mut insert = tx.prepare(
            "INSERT INTO case_signals (case_id, rules, signals, problems) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let per_case = sets.len();
        for (i, id) in cases.iter().enumerate() {
            let (signals, problems) = verdicts.bits(&groups[i * per_case..(i + 1) * per_case]);
            insert.execute(rusqlite::params![id, fingerprint, signals, problems])?;
            kept.add(signals, problems);
        }
    }
    kept.write(&tx, fingerprint)?;
    counting.resume(&tx)?;
    tx.commit()?;
    Ok(cases.len() as u64)
}

pub(crate) fn kept_counts(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
    fingerprint: i64,
) -> Result<KeptCounts, StoreError> {
    let mut conn = file.connect_read_only()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    // Both reads below see the same state of the database.
    let tx = conn.transaction()?;
    let (where_sql, filter_params) = filter_sql(filter);
    let mut tally = KeptTally::default();
    if where_sql.is_empty() {
        // Every case: the narrow table alone, and the cases counted through an index (a scan
        // of the wide cases table for a join took 1.3 s of a million). Each row belongs to a
        // case (deleted with it), so the cases without one are the difference.
        // The kept rows are counted per bit sets in `tally_signals` (migration 0016).
        let cases: i64 = tx.query_row("SELECT COUNT(*) FROM cases", [], |row| row.get(0))?;
        let mut statement = tx.prepare(
            "SELECT signals, problems, cases FROM tally_signals WHERE rules = ?1 AND cases > 0",
        )?;
        let mut rows = statement.query([fingerprint])?;
        let mut kept = 0i64;
        while let Some(row) = rows.next()? {
            let count: i64 = row.get(2)?;
            tally.add(Some((row.get(0)?, row.get(1)?)), count.max(0) as u64);
            kept += count;
        }
        tally.add(None, (cases - kept).max(0) as u64);
    } else {
        let mut statement = tx.prepare(&format!(
            "SELECT s.signals, s.problems FROM cases c \
             LEFT JOIN case_signals s ON s.case_id = c.id AND s.rules = ?{where_sql}"
        ))?;
        let params = std::iter::once(Value::Integer(fingerprint))
            .chain(filter_params.into_iter().map(Value::Text));
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            let signals: Option<i64> = row.get(0)?;
            let problems: Option<i64> = row.get(1)?;
            tally.add(signals.zip(problems), 1);
        }
    }
    Ok(tally.finish())
}
