//! The SQLite export read path: the selected cases (or child records) read with rusqlite on a
//! blocking thread and sent on in batches, while the file is written on the other side.
//!
//! Why not sqlx, as the shared statement does: sqlx's SQLite driver hands every row from its own
//! thread to the caller, and for a million cases of ~30 columns that hand-over took most of the
//! export's 21 s (BENCHMARKS.md). One statement is one read transaction: the file is the
//! database as it was when the export started, whatever is saved meanwhile.

use dakwacht_core::{Case, CaseFilter, ChildRow};
use tokio::sync::mpsc;

use crate::StoreError;
use crate::queries::children::{ChildOfCase, EXPORT_CHILDREN_ORDER, export_children_select};
use crate::rows::{EXPORT_ORDER, SELECT_CASE};
use crate::sqlite::SqliteFile;
use crate::sqlite::import::stored_case;
use crate::sqlite::scan::filter_sql;

/// Records are sent this many at a time.
const BATCH: usize = 1000;

/// Sends the selected cases, ordered by organisation and case reference; the number sent.
pub(crate) fn export(
    file: &SqliteFile,
    filter: &CaseFilter,
    batches: &mpsc::Sender<Vec<Case>>,
) -> Result<u64, StoreError> {
    let (where_sql, params) = filter_sql(filter);
    let sql = format!("{SELECT_CASE}{where_sql}{EXPORT_ORDER}");
    send_rows(file, &sql, params, batches, |row| {
        stored_case(row)?.into_case()
    })
}

/// Sends the child records of the selected cases, in the order of their cases, then by number.
pub(crate) fn export_children(
    file: &SqliteFile,
    filter: &CaseFilter,
    batches: &mpsc::Sender<Vec<ChildRow>>,
) -> Result<u64, StoreError> {
    let (where_sql, params) = filter_sql(filter);
    let sql = format!(
        "{}{where_sql}{EXPORT_CHILDREN_ORDER}",
        export_children_select()
    );
    send_rows(file, &sql, params, batches, |row| {
        ChildOfCase::of_sqlite(row)?.into_row()
    })
}

/// Runs `sql` with `params` and sends what `record` makes of each row. A receiver that is gone
/// (the file could not be written) ends the read early; what was sent is counted.
fn send_rows<T>(
    file: &SqliteFile,
    sql: &str,
    params: Vec<String>,
    batches: &mpsc::Sender<Vec<T>>,
    record: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError>,
) -> Result<u64, StoreError> {
    let conn = file.connect_read_only()?;
    conn.pragma_update(None, "cache_size", "-120000")?;
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params))?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut sent = 0;
    while let Some(row) = rows.next()? {
        batch.push(record(row)?);
        sent += 1;
        if batch.len() == BATCH && batches.blocking_send(std::mem::take(&mut batch)).is_err() {
            return Ok(sent);
        }
    }
    if !batch.is_empty() {
        let _ = batches.blocking_send(batch);
    }
    Ok(sent)
}
