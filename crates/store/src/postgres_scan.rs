//! Counting cases by rule facts in PostgreSQL.
//!
//! One `GROUP BY` over every column the rules read lets the server do the scan (in parallel,
//! with a hash aggregate) and send one row per distinct combination instead of one per case;
//! each rule's counts are then summed over those groups here.

use std::collections::HashMap;

use dakwacht_core::{CaseFilter, Facts, Variable};
use sqlx::postgres::PgRow;
use sqlx::{Column, PgPool, Postgres, QueryBuilder, Row, TypeInfo};

use crate::StoreError;
use crate::facts::{self, Cell};

/// A stored value as the shared decoder expects it: yes/no and numbers as whole numbers.
fn cell(row: &PgRow, index: usize) -> Result<Cell, StoreError> {
    let kind = row.column(index).type_info().name().to_string();
    Ok(match kind.as_str() {
        "BOOL" => row
            .try_get::<Option<bool>, _>(index)?
            .map_or(Cell::Null, |b| Cell::Int(i64::from(b))),
        "INT8" => row
            .try_get::<Option<i64>, _>(index)?
            .map_or(Cell::Null, Cell::Int),
        "INT4" => row
            .try_get::<Option<i32>, _>(index)?
            .map_or(Cell::Null, |n| Cell::Int(i64::from(n))),
        "TEXT" | "VARCHAR" => row
            .try_get::<Option<String>, _>(index)?
            .map_or(Cell::Null, Cell::Text),
        other => {
            return Err(StoreError::Corrupt(format!(
                "a rule column has the unexpected type {other}"
            )));
        }
    })
}

pub(crate) async fn facts_counts(
    pool: &PgPool,
    filter: &CaseFilter,
    sets: &[Vec<Variable>],
) -> Result<Vec<Vec<(Facts, u64)>>, StoreError> {
    let (columns, positions) = facts::plan(sets);

    let mut query = QueryBuilder::<Postgres>::new("SELECT ");
    for column in &columns {
        query.push(*column).push(", ");
    }
    query.push("COUNT(*) FROM cases c");
    crate::postgres::push_filter(&mut query, filter);
    if !columns.is_empty() {
        let groups: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        query.push(" GROUP BY ").push(groups.join(", "));
    }
    let rows = query.build().fetch_all(pool).await?;
    let mut groups: Vec<(Vec<Cell>, u64)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let cells = (0..columns.len())
            .map(|i| cell(row, i))
            .collect::<Result<Vec<_>, _>>()?;
        let total: i64 = row.try_get(columns.len())?;
        if total > 0 {
            groups.push((cells, total as u64));
        }
    }

    let mut result = Vec::with_capacity(sets.len());
    for (set, set_positions) in sets.iter().zip(&positions) {
        // Sum per combination of this set's cells first, then decode each combination once.
        let mut per_key: HashMap<Vec<&Cell>, u64> = HashMap::new();
        for (cells, total) in &groups {
            let key: Vec<&Cell> = set_positions.iter().map(|&p| &cells[p]).collect();
            *per_key.entry(key).or_default() += total;
        }
        let mut merged: HashMap<Facts, u64> = HashMap::with_capacity(per_key.len());
        for (key, total) in per_key {
            let cells: Vec<Cell> = key.into_iter().cloned().collect();
            let facts = facts::decode(set, &cells).map_err(StoreError::Corrupt)?;
            *merged.entry(facts).or_default() += total;
        }
        result.push(merged.into_iter().collect());
    }
    Ok(result)
}
