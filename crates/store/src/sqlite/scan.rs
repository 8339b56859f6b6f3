//! Counting cases by rule facts in one pass over the table.
//!
//! The rules need, per rule, the cases counted by the few columns that rule reads. Asking SQLite
//! to `GROUP BY` per rule sorts a million rows thirteen times (about 1 s each here), and one
//! `GROUP BY` over every column the rules read yields hundreds of thousands of groups. Instead we
//! read the needed columns once, give every distinct stored value of a column a small number, and
//! count per rule on those numbers in memory. See BENCHMARKS.md.

use std::collections::HashMap;

/// Hashing a million rows per rule: a fast, non-cryptographic hasher (the keys are our own
/// numbers and stored codes, not attacker-chosen in bulk) roughly halves the time.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use dakwacht_core::{CaseFilter, Facts, Variable};
use rusqlite::types::ValueRef;

use crate::StoreError;
use crate::facts::{self, Cell};

/// The distinct values of one column, numbered in order of appearance.
#[derive(Default)]
struct Dictionary {
    ints: FastMap<i64, u32>,
    texts: FastMap<Box<str>, u32>,
    /// Number → value; 0 is NULL.
    values: Vec<Cell>,
}

impl Dictionary {
    fn new() -> Self {
        Dictionary {
            values: vec![Cell::Null],
            ..Dictionary::default()
        }
    }

    /// The number of a text, given it one if it has none.
    fn text_number(&mut self, text: &str) -> u32 {
        let next = self.values.len() as u32;
        match self.texts.get(text) {
            Some(number) => *number,
            None => {
                self.texts.insert(text.into(), next);
                self.values.push(Cell::Text(text.to_string()));
                next
            }
        }
    }

    fn number(&mut self, value: ValueRef<'_>) -> Result<u32, StoreError> {
        let next = self.values.len() as u32;
        Ok(match value {
            ValueRef::Null => 0,
            ValueRef::Integer(n) => *self.ints.entry(n).or_insert_with(|| {
                self.values.push(Cell::Int(n));
                next
            }),
            ValueRef::Text(bytes) => self.text_number(
                std::str::from_utf8(bytes)
                    .map_err(|_| StoreError::Corrupt("stored text is not UTF-8".to_string()))?,
            ),
            ValueRef::Real(_) | ValueRef::Blob(_) => {
                return Err(StoreError::Corrupt(
                    "a rule column holds a number with a fraction or binary data".to_string(),
                ));
            }
        })
    }
}

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

/// `WHERE …` for a filter, with `?` parameters (all text).
fn filter_sql(filter: &CaseFilter) -> (String, Vec<String>) {
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    if let Some(org) = &filter.organisation {
        conditions.push("c.organisation_id = (SELECT id FROM organisations WHERE name = ?)");
        params.push(org.trim().to_string());
    }
    if let Some(key) = filter.municipality_key() {
        conditions.push("c.municipality_key = ?");
        params.push(key);
    }
    if let Some(from) = filter.home_lost_from {
        conditions.push("c.home_lost_on >= ?");
        params.push(dakwacht_core::date::format_date(from));
    }
    if let Some(to) = filter.home_lost_to {
        conditions.push("c.home_lost_on <= ?");
        params.push(dakwacht_core::date::format_date(to));
    }
    if conditions.is_empty() {
        (String::new(), params)
    } else {
        (format!(" WHERE {}", conditions.join(" AND ")), params)
    }
}

pub(crate) fn facts_counts(
    file: &crate::sqlite::SqliteFile,
    filter: &CaseFilter,
    sets: &[Vec<Variable>],
) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
    let (columns, positions) = facts::plan(sets);

    let conn = file.connect_read_only()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let (where_sql, params) = filter_sql(filter);
    // The child records are read in one pass beside the cases (both in case order), not by a
    // subquery per case: a million subqueries cost seconds.
    let records_at = columns.iter().position(|c| *c == facts::CHILDREN);
    let select = if columns.is_empty() {
        "1".to_string()
    } else {
        columns
            .iter()
            .map(|c| if *c == facts::CHILDREN { "c.id" } else { c })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let order = if records_at.is_some() {
        " ORDER BY c.id"
    } else {
        ""
    };
    let mut statement = conn.prepare(&format!("SELECT {select} FROM cases c{where_sql}{order}"))?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut records_statement = conn.prepare(
        "SELECT case_id, child_no, age, profile FROM children ORDER BY case_id, child_no",
    )?;
    let mut records = match records_at {
        Some(_) => Some(CaseRecords::new(records_statement.query([])?)),
        None => None,
    };

    let mut dictionaries: Vec<Dictionary> = columns.iter().map(|_| Dictionary::new()).collect();
    let mut numbers = vec![0u32; columns.len()];
    let mut counts: Vec<FastMap<Box<[u32]>, u64>> =
        sets.iter().map(|_| FastMap::default()).collect();
    let mut key = Vec::new();
    // Per set that reads child records: the cut, and per records' text (by its number) the
    // number of the text cut down (u32::MAX: not yet cut).
    let mut cuts: Vec<Option<(facts::ChildCut, Vec<u32>)>> = sets
        .iter()
        .map(|set| facts::ChildCut::of(set).map(|cut| (cut, Vec::new())))
        .collect();
    while let Some(row) = rows.next()? {
        for (i, dictionary) in dictionaries.iter_mut().enumerate() {
            numbers[i] = match (records_at, records.as_mut()) {
                (Some(at), Some(records)) if at == i => {
                    let case_id: i64 = row.get(i)?;
                    match records.text_of(case_id)? {
                        Some(text) => dictionary.text_number(&text),
                        None => 0,
                    }
                }
                _ => dictionary.number(row.get_ref(i)?)?,
            };
        }
        for ((set_counts, set_positions), cut) in
            counts.iter_mut().zip(&positions).zip(cuts.iter_mut())
        {
            key.clear();
            key.extend(set_positions.iter().map(|&p| numbers[p]));
            if let Some((cut, cache)) = cut {
                let column = set_positions[cut.at];
                let raw = key[cut.at] as usize;
                if cache.len() <= raw {
                    cache.resize(raw + 1, u32::MAX);
                }
                if cache[raw] == u32::MAX {
                    let dictionary = &mut dictionaries[column];
                    let cut_text = match &dictionary.values[raw] {
                        Cell::Text(text) => cut.cut(text),
                        _ => None,
                    };
                    cache[raw] = match cut_text {
                        Some(text) => dictionary.text_number(&text),
                        None => raw as u32,
                    };
                }
                key[cut.at] = cache[raw];
                if let Some(ages_at) = cut.ages_at {
                    key[ages_at] = 0;
                }
            }
            match set_counts.get_mut(&key[..]) {
                Some(count) => *count += 1,
                None => {
                    set_counts.insert(key.clone().into_boxed_slice(), 1);
                }
            }
        }
    }

    // Back from numbers to facts. Different stored texts can mean the same facts ('6;?' and '6'
    // both give ages [6]), so equal facts are merged.
    let mut result = Vec::with_capacity(sets.len());
    for ((set, set_positions), set_counts) in sets.iter().zip(&positions).zip(counts) {
        let mut merged: HashMap<Facts, u64> = HashMap::with_capacity(set_counts.len());
        for (key, count) in set_counts {
            let cells: Vec<Cell> = key
                .iter()
                .zip(set_positions)
                .map(|(&number, &p)| dictionaries[p].values[number as usize].clone())
                .collect();
            let facts = facts::decode(set, &cells).map_err(StoreError::Corrupt)?;
            *merged.entry(facts).or_default() += count;
        }
        result.push(merged.into_iter().collect());
    }
    Ok(result)
}
