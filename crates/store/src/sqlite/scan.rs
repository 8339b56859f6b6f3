//! Counting cases by rule facts in one pass over the table.
//!
//! The rules need, per rule, the cases counted by the few columns that rule reads. Asking SQLite
//! to `GROUP BY` per rule sorts a million rows thirteen times (about 1 s each here), and one
//! `GROUP BY` over every column the rules read yields hundreds of thousands of groups. Instead we
//! read the needed columns once, give every distinct stored value of a column a small number, and
//! count per rule on those numbers in memory. See BENCHMARKS.md.

use dakwacht_core::{CaseFilter, Facts, Variable};
use rusqlite::types::ValueRef;

use crate::StoreError;
use crate::facts::{self, Grouping};

/// The child records of the cases, read in case order beside them: each case's records as the
/// text the rules read (`core::ChildFacts::encode`, joined by `,`), as the subquery
/// `facts::CHILDREN` would give it.
struct CaseRecords<'s> {
    rows: rusqlite::Rows<'s>,
    /// The next record not yet given: its case, then its text.
    next: Option<(i64, String)>,
    started: bool,
}

impl<'s> CaseRecords<'s> {
    fn new(rows: rusqlite::Rows<'s>) -> Self {
        CaseRecords {
            rows,
            next: None,
            started: false,
        }
    }

    fn advance(&mut self) -> Result<(), StoreError> {
        self.next = match self.rows.next()? {
            Some(row) => {
                let case_id: i64 = row.get(0)?;
                let child_no: i64 = row.get(1)?;
                let age: Option<i64> = row.get(2)?;
                let profile: i64 = row.get(3)?;
                // As `ChildFacts::encode` writes it, without the formatting machinery: this runs
                // once per record of a million families.
                let mut text = child_no.to_string();
                text.push(':');
                if let Some(age) = age {
                    text.push_str(&age.to_string());
                }
                text.push(':');
                text.push_str(&profile.to_string());
                Some((case_id, text))
            }
            None => None,
        };
        Ok(())
    }

    /// The records of case `case_id` (cases come in increasing order), or `None` without any.
    fn text_of(&mut self, case_id: i64) -> Result<Option<String>, StoreError> {
        if !self.started {
            self.started = true;
            self.advance()?;
        }
        let mut text: Option<String> = None;
        while let Some((of, record)) = &self.next {
            if *of > case_id {
                break;
            }
            if *of == case_id {
                match &mut text {
                    Some(text) => {
                        text.push(',');
                        text.push_str(record);
                    }
                    None => text = Some(record.clone()),
                }
            }
            self.advance()?;
        }
        Ok(text)
    }
}

/// `WHERE …` for a filter, with `?` parameters (all text): the conditions every store uses.
pub(crate) fn filter_sql(filter: &CaseFilter) -> (String, Vec<String>) {
    use crate::dialect::Dialect;
    let conditions = crate::filter::conditions(filter, sqlx::Sqlite::CASE_REF_LIKE);
    if conditions.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut params = Vec::new();
    let sql: Vec<String> = conditions
        .into_iter()
        .map(|condition| {
            let placeholder = match condition.value {
                Some(value) => {
                    params.push(value);
                    "?"
                }
                None => "",
            };
            format!("{}{placeholder}{}", condition.before, condition.after)
        })
        .collect();
    (format!(" WHERE {}", sql.join(" AND ")), params)
}

/// Whether the running counts over all cases (`tally_*`, migration 0016) answer for `filter`.
/// Their rows come in the order of their key, one per value: no grouping is needed.
fn tallied(filter: &CaseFilter) -> bool {
    filter.is_empty()
}

/// Cases per statistical profile (as the shared statement counts them), read without sqlx:
/// a million synthetic cases have 370,000 profiles, and sqlx's SQLite driver hands every row
/// across threads (1.2 s of the report; BENCHMARKS.md).
pub(crate) fn profile_counts(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
) -> Result<Vec<dakwacht_core::ProfileCount>, StoreError> {
    let conn = file.connect_read_only()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let sql = match tallied(filter) {
        true => (
            "SELECT profile, cases, children, age_unknown FROM tally_profile WHERE cases > 0"
                .to_string(),
            Vec::new(),
        ),
        false => {
            let (where_sql, params) = filter_sql(filter);
            (
                format!(
                    "SELECT c.profile, COUNT(*), SUM(c.children_count), \
                     SUM(c.children_age_unknown) FROM cases c{where_sql} GROUP BY c.profile"
                ),
                params,
            )
        }
    };
    let (sql, params) = sql;
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut counts = Vec::new();
    while let Some(row) = rows.next()? {
        counts.push(crate::rows::profile_count(
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
        )?);
    }
    Ok(counts)
}

/// The cases per packed duration contribution (as [`profile_counts`], without sqlx).
pub(crate) fn duration_counts(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
) -> Result<Vec<(dakwacht_core::Contribution, u64)>, StoreError> {
    let conn = file.connect_read_only()?;
    let (sql, params) = match tallied(filter) {
        true => (
            "SELECT survival, cases FROM tally_survival WHERE cases > 0".to_string(),
            Vec::new(),
        ),
        false => {
            let (where_sql, params) = filter_sql(filter);
            (
                format!("SELECT c.survival, COUNT(*) FROM cases c{where_sql} GROUP BY c.survival"),
                params,
            )
        }
    };
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut counts = Vec::new();
    while let Some(row) = rows.next()? {
        counts.push(crate::rows::duration_count(row.get(0)?, row.get(1)?)?);
    }
    Ok(counts)
}

/// The counts behind the child measures, read without sqlx (as [`profile_counts`]).
pub(crate) fn child_figures(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
) -> Result<dakwacht_core::ChildFigures, StoreError> {
    use crate::queries::children::ChildCounting;
    let (where_sql, params) = filter_sql(filter);
    let [records, ages, _] = ChildCounting::statements(filter);
    // The records whose age the case does not give: the cases with an open age first (a partial
    // index holds them; `CROSS JOIN` keeps SQLite from starting at the records), then their
    // records by key, each row counted as it comes. Joining every record to its case and
    // grouping took three times as long (BENCHMARKS.md, issue 17.5).
    let and = if where_sql.is_empty() {
        " WHERE "
    } else {
        " AND "
    };
    let filling_sql = format!(
        "SELECT ch.age, ch.child_no, c.children_ages \
         FROM cases c CROSS JOIN children ch ON ch.case_id = c.id\
         {where_sql}{and}c.children_age_unknown > 0 AND ch.age IS NOT NULL"
    );
    let (filled, mut counting) = std::thread::scope(|scope| {
        let filled = scope.spawn(|| -> Result<_, StoreError> {
            let conn = file.connect_read_only()?;
            let mut statement = conn.prepare(&filling_sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
            let mut filled = ChildCounting::default();
            while let Some(row) = rows.next()? {
                let ages: Option<&str> = row.get_ref(2)?.as_str_or_null().map_err(|_| {
                    StoreError::Corrupt("a case's children_ages is not text".to_string())
                })?;
                filled.record_ages(row.get(0)?, row.get(1)?, ages, 1);
            }
            Ok(filled.figures.ages)
        });
        let counted = (|| -> Result<ChildCounting, StoreError> {
            let conn = file.connect_read_only()?;
            let mut counting = ChildCounting::default();
            let (records_sql, records_params) = match tallied(filter) {
                true => (
                    "SELECT profile, records FROM tally_child_profile WHERE records > 0"
                        .to_string(),
                    Vec::new(),
                ),
                false => (
                    format!("{}{where_sql}{}", records.0, records.1),
                    params.clone(),
                ),
            };
            let mut statement = conn.prepare(&records_sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(records_params.iter()))?;
            while let Some(row) = rows.next()? {
                counting.records(row.get(0)?, row.get(1)?);
            }
            let (ages_sql, ages_params) = match tallied(filter) {
                true => (
                    "SELECT NULLIF(children_ages, ''), cases, children FROM tally_ages \
                     WHERE cases > 0"
                        .to_string(),
                    Vec::new(),
                ),
                false => (format!("{}{where_sql}{}", ages.0, ages.1), params.clone()),
            };
            let mut statement = conn.prepare(&ages_sql)?;
            let mut rows = statement.query(rusqlite::params_from_iter(ages_params.iter()))?;
            while let Some(row) = rows.next()? {
                let text: Option<String> = row.get(0)?;
                counting.cases(text.as_deref(), row.get(1)?, row.get(2)?);
            }
            Ok(counting)
        })();
        let filled = filled
            .join()
            .map_err(|_| StoreError::Corrupt("the counting thread stopped".to_string()));
        (filled, counted)
    });
    let filled = filled??;
    let counting = counting
        .as_mut()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    for (age, records) in filled.into_iter().enumerate() {
        counting.figures.ages[age] += records;
    }
    Ok(std::mem::take(&mut counting.figures))
}

pub(crate) fn facts_counts(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
    sets: &[Vec<Variable>],
) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
    let conn = file.connect_read_only()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let mut grouping = Grouping::new(sets);
    let (where_sql, params) = filter_sql(filter);
    let mut scan = CaseScan::prepare(&conn, grouping.columns(), &where_sql, "", false)?;
    scan.run(params.iter(), &mut grouping, |_, _| Ok(()))?;
    grouping.counts()
}

/// One pass over cases, reading what a [`Grouping`] needs, with the child records read beside
/// them (both in case order), not by a subquery per case: a million subqueries cost seconds.
pub(crate) struct CaseScan<'c> {
    cases: rusqlite::Statement<'c>,
    records: Option<rusqlite::Statement<'c>>,
    /// Where the records' text stands among the grouping's columns.
    records_at: Option<usize>,
    /// The columns start with `c.id`.
    with_id: bool,
}

impl<'c> CaseScan<'c> {
    /// `where_sql` selects the cases (parameters `?`, bound in `run`); `records_where` (no
    /// parameters) may leave out the child records of cases it does not select; with
    /// `with_id`, each case is given with its id, in id order.
    pub(crate) fn prepare(
        conn: &'c rusqlite::Connection,
        columns: &[&'static str],
        where_sql: &str,
        records_where: &str,
        with_id: bool,
    ) -> Result<Self, StoreError> {
        let records_at = columns.iter().position(|c| *c == facts::CHILDREN);
        let mut select: Vec<&str> = columns
            .iter()
            .map(|c| if *c == facts::CHILDREN { "c.id" } else { c })
            .collect();
        if with_id {
            select.insert(0, "c.id");
        }
        if select.is_empty() {
            select.push("1");
        }
        let order = if records_at.is_some() || with_id {
            " ORDER BY c.id"
        } else {
            ""
        };
        let cases = conn.prepare(&format!(
            "SELECT {} FROM cases c{where_sql}{order}",
            select.join(", ")
        ))?;
        let records = match records_at {
            Some(_) => Some(conn.prepare(&format!(
                "SELECT case_id, child_no, age, profile FROM children{records_where} \
                 ORDER BY case_id, child_no"
            ))?),
            None => None,
        };
        Ok(CaseScan {
            cases,
            records,
            records_at,
            with_id,
        })
    }

    /// Adds every selected case to `grouping`, then calls `each` with its id (0 without
    /// `with_id`) and its groups.
    pub(crate) fn run<P: rusqlite::ToSql>(
        &mut self,
        params: impl Iterator<Item = P>,
        grouping: &mut Grouping,
        mut each: impl FnMut(i64, &[u32]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut rows = self.cases.query(rusqlite::params_from_iter(params))?;
        let mut records = match &mut self.records {
            Some(statement) => Some(CaseRecords::new(statement.query([])?)),
            None => None,
        };
        let offset = usize::from(self.with_id);
        let columns = grouping.columns().len();
        while let Some(row) = rows.next()? {
            let id: i64 = if self.with_id { row.get(0)? } else { 0 };
            for i in 0..columns {
                match (self.records_at, records.as_mut()) {
                    (Some(at), Some(records)) if at == i => {
                        let case_id: i64 = row.get(i + offset)?;
                        match records.text_of(case_id)? {
                            Some(text) => grouping.text(i, &text),
                            None => grouping.null(i),
                        }
                    }
                    _ => match row.get_ref(i + offset)? {
                        ValueRef::Null => grouping.null(i),
                        ValueRef::Integer(n) => grouping.int(i, n),
                        ValueRef::Text(bytes) => grouping.text(
                            i,
                            std::str::from_utf8(bytes).map_err(|_| {
                                StoreError::Corrupt("stored text is not UTF-8".to_string())
                            })?,
                        ),
                        ValueRef::Real(_) | ValueRef::Blob(_) => {
                            return Err(StoreError::Corrupt(
                                "a rule column holds a number with a fraction or binary data"
                                    .to_string(),
                            ));
                        }
                    },
                }
            }
            let groups = grouping.add_case();
            each(id, groups)?;
        }
        Ok(())
    }
}
