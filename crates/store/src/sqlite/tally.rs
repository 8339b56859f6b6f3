//! The running counts over all cases (`tally_*`, migration 0016), for the cases and child records
//! an import creates.
//!
//! A trigger keeps the counts when a case is inserted, but three upserts per case more than doubled
//! the import of a million cases (20 s → 55 s, BENCHMARKS.md). An import therefore sets the two
//! insert triggers aside, adds up the cases and records it creates here, and writes the sums once,
//! in key order, in its own transaction. Updates and deletes keep their triggers: they count from
//! the row as it was stored.

use std::collections::HashMap;

use crate::StoreError;
use crate::rows::CaseRow;

/// The triggers an import sets aside: those that count an inserted case and child record.
pub(crate) const CASE_INSERT_TRIGGER: &str = "tally_case_added";
pub(crate) const CHILD_INSERT_TRIGGER: &str = "tally_child_added";
/// The trigger that notes a created case as due for signals (migration 0021): an import's cases
/// are worked out in one pass at its end, which needs no list.
pub(crate) const DUE_INSERT_TRIGGER: &str = "signals_due_case_added";
/// The trigger that counts kept signals, set aside while the signals of many cases are kept.
pub(crate) const SIGNALS_INSERT_TRIGGER: &str = "tally_signals_added";

/// What the created cases and child records add to each count.
#[derive(Default)]
pub(crate) struct Created {
    /// Per packed profile: cases, children, children of unknown age.
    profiles: HashMap<i64, [i64; 3]>,
    /// Per `children_ages` ('' for none): cases, children.
    ages: HashMap<String, [i64; 2]>,
    /// Per packed duration contribution: cases.
    survival: HashMap<i64, i64>,
    /// Per packed child profile: records.
    records: HashMap<i64, i64>,
}

impl Created {
    pub(crate) fn add(&mut self, row: &CaseRow) {
        let profile = self.profiles.entry(row.profile).or_default();
        profile[0] += 1;
        profile[1] += row.children_count;
        profile[2] += row.children_age_unknown;
        let ages = row.children_ages.as_deref().unwrap_or_default();
        let ages = match self.ages.get_mut(ages) {
            Some(counts) => counts,
            None => self.ages.entry(ages.to_string()).or_default(),
        };
        ages[0] += 1;
        ages[1] += row.children_count;
        *self.survival.entry(row.survival).or_default() += 1;
    }

    /// A child record with this packed profile was created.
    pub(crate) fn add_record(&mut self, profile: i64) {
        *self.records.entry(profile).or_default() += 1;
    }

    /// Adds the sums to the stored counts, as the trigger would have case by case.
    pub(crate) fn write(self, tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
        // In key order, so that the table's B-tree is walked once instead of jumped around in.
        let mut profiles: Vec<_> = self.profiles.into_iter().collect();
        profiles.sort_unstable_by_key(|(profile, _)| *profile);
        let mut statement = tx.prepare(
            "INSERT INTO tally_profile VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (profile) DO UPDATE SET cases = cases + excluded.cases, \
             children = children + excluded.children, \
             age_unknown = age_unknown + excluded.age_unknown",
        )?;
        for (profile, [cases, children, age_unknown]) in profiles {
            statement.execute([profile, cases, children, age_unknown])?;
        }
        let mut ages: Vec<_> = self.ages.into_iter().collect();
        ages.sort_unstable();
        let mut statement = tx.prepare(
            "INSERT INTO tally_ages VALUES (?1, ?2, ?3) \
             ON CONFLICT (children_ages) DO UPDATE SET cases = cases + excluded.cases, \
             children = children + excluded.children",
        )?;
        for (text, [cases, children]) in ages {
            statement.execute(rusqlite::params![text, cases, children])?;
        }
        let mut statement = tx.prepare(
            "INSERT INTO tally_survival VALUES (?1, ?2) \
             ON CONFLICT (survival) DO UPDATE SET cases = cases + excluded.cases",
        )?;
        let mut survival: Vec<_> = self.survival.into_iter().collect();
        survival.sort_unstable();
        for (packed, cases) in survival {
            statement.execute([packed, cases])?;
        }
        let mut statement = tx.prepare(
            "INSERT INTO tally_child_profile VALUES (?1, ?2) \
             ON CONFLICT (profile) DO UPDATE SET records = records + excluded.records",
        )?;
        let mut records: Vec<_> = self.records.into_iter().collect();
        records.sort_unstable();
        for (profile, count) in records {
            statement.execute([profile, count])?;
        }
        Ok(())
    }
}

/// Triggers (and indexes, [`SetAside::pause_indexes`]) set aside while an import (or the
/// keeping of signals) writes, made again from their own statements before it commits: a
/// trigger per row cost seconds at a million rows. Two kinds: those that forget a
/// case's kept signals when one of its child records is written (migration 0013; the records of
/// cases this import created have no signals to forget, and the import forgets the signals of
/// the other cases itself, `import::FORGET_SIGNALS`), and the one that counts a created case
/// and child record ([`CASE_INSERT_TRIGGER`], [`CHILD_INSERT_TRIGGER`]; the import
/// counts what it created itself).
/// Dropping and making a trigger again are part of the import's transaction: no other
/// connection ever sees the table without them, and a failed import rolls back to them.
pub(crate) struct SetAside {
    /// Each trigger's own statement, as the schema holds it.
    statements: Vec<String>,
}

impl SetAside {
    /// Sets aside the triggers on `table` whose name is like `name` (SQL `LIKE`).
    pub(crate) fn pause(
        tx: &rusqlite::Transaction<'_>,
        table: &str,
        name: &str,
    ) -> Result<Self, StoreError> {
        Self::drop_each(tx, "trigger", table, name)
    }

    /// Sets aside the indexes [`REBUILT_AFTER_FIRST_LOAD`], for an import into empty tables:
    /// building such an index once from the sorted rows at the end is cheaper than a B-tree
    /// descent per row while the rows come (BENCHMARKS.md, issue 19.4).
    pub(crate) fn pause_indexes(tx: &rusqlite::Transaction<'_>) -> Result<Self, StoreError> {
        let mut statements = Vec::new();
        for name in REBUILT_AFTER_FIRST_LOAD {
            statements.extend(Self::drop_each(tx, "index", "%", name)?.statements);
        }
        Ok(SetAside { statements })
    }

    fn drop_each(
        tx: &rusqlite::Transaction<'_>,
        kind: &str,
        table: &str,
        name: &str,
    ) -> Result<Self, StoreError> {
        // `sql` is NULL for the indexes SQLite makes for a constraint: those cannot be dropped.
        let objects: Vec<(String, String)> = tx
            .prepare(
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = ?1 AND tbl_name LIKE ?2 AND name LIKE ?3 AND sql IS NOT NULL",
            )?
            .query_map([kind, table, name], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut statements = Vec::new();
        for (name, statement) in objects {
            tx.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            statements.push(statement);
        }
        Ok(SetAside { statements })
    }

    pub(crate) fn resume(self, tx: &rusqlite::Transaction<'_>) -> Result<(), StoreError> {
        for statement in &self.statements {
            tx.execute_batch(statement)?;
        }
        Ok(())
    }
}

/// The indexes a first load builds at its end: those whose keys come in random order. Each
/// `CREATE INDEX` reads the whole table once (about a second for a million cases), so the
/// indexes that a new row only extends at their end (the ids of `cases_open_ages` and
/// `children_ages_given`, the empty `assigned_to` and `closed_on`) cost less row by row and
/// stay. The primary keys and `UNIQUE` constraints always stay: the import finds cases by them.
pub(crate) const REBUILT_AFTER_FIRST_LOAD: [&str; 7] = [
    "cases_profile",
    "cases_follow_up",
    "cases_municipality",
    "cases_home_lost_on",
    "cases_children_ages",
    "cases_survival",
    "children_profile",
];

/// The kept signals written by one working out, per bit sets, for `tally_signals`.
#[derive(Default)]
pub(crate) struct KeptSignals(HashMap<(i64, i64), i64>);

impl KeptSignals {
    pub(crate) fn add(&mut self, signals: i64, problems: i64) {
        *self.0.entry((signals, problems)).or_default() += 1;
    }

    pub(crate) fn write(
        self,
        tx: &rusqlite::Transaction<'_>,
        fingerprint: i64,
    ) -> Result<(), StoreError> {
        let mut statement = tx.prepare(
            "INSERT INTO tally_signals VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (rules, signals, problems) DO UPDATE SET cases = cases + excluded.cases",
        )?;
        for ((signals, problems), cases) in self.0 {
            statement.execute([fingerprint, signals, problems, cases])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A renamed or dropped index would silently be maintained row by row again.
    #[tokio::test]
    async fn every_index_a_first_load_builds_at_its_end_is_in_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        crate::SqliteStore::open(path.to_str().unwrap())
            .await
            .unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        for name in REBUILT_AFTER_FIRST_LOAD {
            let found: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
                    [name],
                    |row| row.get(0),
                )
                .unwrap();
            assert!(found, "no index {name}");
        }
    }
}
