//! Kept signals on SQLite (see [`crate::kept_signals`]): worked out in one write transaction,
//! which holds the database against every other writer, so no case can change between reading
//! its facts and keeping its signals. Which cases need them is found before, without the lock.

use rusqlite::TransactionBehavior;
use rusqlite::types::Value;

use dakwacht_core::{CaseFilter, Variable};

use crate::StoreError;
use crate::facts::Grouping;
use crate::kept_signals::{Judge, KeptCounts, KeptTally, Verdicts};
use crate::sqlite::scan::{CaseScan, filter_sql};
use crate::sqlite::tally::{self, SetAside};

/// From this many cases without kept signals on (after an import, or a new rules file), the
/// signals are worked out in one pass over the whole table; below it, case by case from the
/// list found beforehand.
const WHOLE_TABLE_FROM: usize = 10_000;

pub(crate) fn keep_signals(
    file: &crate::sqlite::SqliteFile,
    fingerprint: i64,
    sets: &[Vec<Variable>],
    judge: &Judge,
) -> Result<u64, StoreError> {
    keep_signals_from(file, fingerprint, sets, judge, WHOLE_TABLE_FROM)
}

/// [`keep_signals`], choosing the whole-table pass from `whole_table_from` missing cases.
fn keep_signals_from(
    file: &crate::sqlite::SqliteFile,
    fingerprint: i64,
    sets: &[Vec<Variable>],
    judge: &Judge,
    whole_table_from: usize,
) -> Result<u64, StoreError> {
    // Which cases have no signals kept, found before taking the write lock: every page's audit
    // line waits for the writer. The write transaction below reads those cases again, so a case
    // changed in between is worked out as it is then; one that lost its signals in between
    // waits for the next time.
    let Search {
        missing,
        outdated,
        due,
    } = {
        let conn = file.connect_read_only()?;
        conn.pragma_update(None, "cache_size", "-120000")?;
        let tx = conn.unchecked_transaction()?;
        search(&tx, fingerprint)?
    };
    if missing.is_empty() {
        return Ok(0);
    }
    // The few cases by their ids (integers read from the database, written into the statement).
    let whole_table = missing.len() >= whole_table_from;
    let (cases_where, records_where) = match whole_table {
        false => {
            let ids: Vec<String> = missing.iter().map(i64::to_string).collect();
            let ids = ids.join(",");
            (
                format!("{MISSING} AND c.id IN ({ids})"),
                format!(" WHERE case_id IN ({ids})"),
            )
        }
        true => (MISSING.to_string(), String::new()),
    };

    let mut verdicts = Verdicts::new(sets.len())?;
    let mut conn = file.connect()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut grouping = Grouping::new(sets);
    let mut cases: Vec<i64> = Vec::new();
    let mut groups: Vec<u32> = Vec::new();
    {
        let mut scan =
            CaseScan::prepare(&tx, grouping.columns(), &cases_where, &records_where, true)?;
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
    if outdated {
        tx.execute("DELETE FROM case_signals WHERE rules <> ?1", [fingerprint])?;
    }
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
    // Every case read here keeps its signals now (the lock held since), and so does every case
    // after a pass over the whole table: neither is due. A case changed after this commit is
    // noted again by its trigger.
    match whole_table {
        true => tx.execute("DELETE FROM signals_due", [])?,
        false => {
            let mut forget = tx.prepare("DELETE FROM signals_due WHERE case_id = ?1")?;
            for id in cases.iter().chain(&due) {
                forget.execute([id])?;
            }
            0
        }
    };
    tx.commit()?;
    Ok(cases.len() as u64)
}

/// What [`keep_signals`] finds before it takes the write lock.
struct Search {
    /// The cases without signals kept under the current rules.
    missing: Vec<i64>,
    /// Whether signals are kept under other rules (forgotten by the write).
    outdated: bool,
    /// The list of due cases as read (migration 0021), forgotten once worked out: some may be
    /// gone, or kept since.
    due: Vec<i64>,
}

/// The cases without signals kept under `fingerprint`: from the list of due cases when it holds
/// as many of them as the running counts say are missing (each case on it is checked, so then
/// it holds all of them), else from every case (about 0.7 s at a million). The list can fall
/// short after an import, which does not note its cases, or under a new rules file.
fn search(tx: &rusqlite::Transaction<'_>, fingerprint: i64) -> Result<Search, StoreError> {
    // From the running counts (migration 0016): reading the kept signals took a scan.
    let outdated: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM tally_signals WHERE rules <> ?1 AND cases > 0)",
        [fingerprint],
        |row| row.get(0),
    )?;
    let counted: i64 = tx.query_row(
        "SELECT (SELECT COUNT(*) FROM cases) \
         - (SELECT IFNULL(SUM(cases), 0) FROM tally_signals WHERE rules = ?1)",
        [fingerprint],
        |row| row.get(0),
    )?;
    let due: Vec<i64> = tx
        .prepare("SELECT case_id FROM signals_due")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    if counted <= 0 {
        return Ok(Search {
            missing: Vec::new(),
            outdated,
            due,
        });
    }
    // `CROSS JOIN` keeps the list the outer loop: SQLite has no statistics of it and guessed it
    // as large as the cases, and read all million cases instead (0.6 s, seen under load).
    let on_the_list = tx
        .prepare(&format!(
            "SELECT c.id FROM signals_due d CROSS JOIN cases c ON c.id = d.case_id{MISSING}"
        ))?
        .query_map([fingerprint], |row| row.get::<_, i64>(0))?
        .collect::<Result<Vec<i64>, _>>()?;
    let missing = match on_the_list.len() as i64 == counted {
        true => on_the_list,
        false => tx
            .prepare(&format!("SELECT c.id FROM cases c{MISSING}"))?
            .query_map([fingerprint], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<i64>, _>>()?,
    };
    Ok(Search {
        missing,
        outdated,
        due,
    })
}

/// The cases (`c`) with no signals kept under the rules bound as the one parameter.
const MISSING: &str =
    " WHERE NOT EXISTS (SELECT 1 FROM case_signals s WHERE s.case_id = c.id AND s.rules = ?)";

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;

    use dakwacht_rules::RuleSet;
    use dakwacht_testkit::{quickscan_cases, read_children};

    use super::*;
    use crate::{Actor, ImportMessage, SqliteStore, Store};

    const CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes\n\
        QS-01,Straatalliantie,1,4,both_parents,no,not_school_age,,no,,,,\n\
        QS-03,Ombudsman Metropool Amsterdam,2,6,other_family,yes,changed_school,,yes,social_work,no,,\n";

    async fn quickscan() -> (tempfile::TempDir, SqliteStore) {
        // (The test kit's store is another build of this crate: open one of this build.)
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dakwacht.db");
        let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        let (sender, receiver) = tokio::sync::mpsc::channel(4);
        sender
            .send(ImportMessage::Cases(quickscan_cases()))
            .await
            .unwrap();
        let records = read_children(CHILDREN.as_bytes());
        sender.send(ImportMessage::Children(records)).await.unwrap();
        sender.send(ImportMessage::Commit).await.unwrap();
        drop(sender);
        store
            .import(&Actor::cli("test"), "test", receiver)
            .await
            .unwrap();
        (dir, store)
    }

    fn judge(rules: &RuleSet) -> Judge {
        let rules = Arc::new(rules.again().unwrap());
        Arc::new(move |groups: &[Vec<dakwacht_core::Facts>]| {
            let evaluator = rules.evaluator();
            groups
                .iter()
                .enumerate()
                .map(|(rule, facts)| facts.iter().map(|f| evaluator.raises(rule, f)).collect())
                .collect()
        })
    }

    type Rows = Vec<(i64, i64, i64, i64)>;

    /// The kept signals and their running counts, in key order.
    fn kept(store: &SqliteStore) -> (Rows, Rows) {
        let conn = store.file.connect_read_only().unwrap();
        let rows = |sql: &str| -> Rows {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        (
            rows("SELECT case_id, rules, signals, problems FROM case_signals ORDER BY case_id"),
            rows(
                "SELECT rules, signals, problems, cases FROM tally_signals WHERE cases > 0 ORDER BY 1, 2, 3",
            ),
        )
    }

    /// Case by case from the list found before the write lock, or in one pass over the table:
    /// the same signals and counts, at first and after a change of a case and of a record.
    #[tokio::test]
    async fn the_few_missing_cases_get_the_signals_the_whole_table_pass_gives() {
        let rules = RuleSet::built_in().unwrap();
        let (fingerprint, sets, judge) =
            (rules.fingerprint(), rules.variable_sets(), judge(&rules));
        let ((_a, few), (_b, whole)) = (quickscan().await, quickscan().await);
        let keep = |store: &SqliteStore, from: usize| {
            keep_signals_from(&store.file, fingerprint, &sets, &judge, from).unwrap()
        };
        let cases = quickscan_cases().len() as u64;
        assert_eq!((keep(&few, usize::MAX), keep(&whole, 0)), (cases, cases));
        assert_eq!(kept(&few), kept(&whole));
        assert!(!kept(&few).0.is_empty());
        assert_eq!(
            (keep(&few, usize::MAX), keep(&whole, 0)),
            (0, 0),
            "all kept"
        );

        // A case and a child record change: only those cases are worked out again.
        for store in [&few, &whole] {
            let conn = store.file.connect().unwrap();
            conn.execute_batch(
                "UPDATE cases SET route = 'removed_without_court', default_judgment = NULL \
                 WHERE case_ref = 'QS-02'; \
                 UPDATE children SET heard = 'yes' WHERE child_no = 1;",
            )
            .unwrap();
        }
        assert_eq!((keep(&few, usize::MAX), keep(&whole, 0)), (2, 2));
        assert_eq!(kept(&few), kept(&whole));
    }
}
