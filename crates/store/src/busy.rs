//! Telling "another writer holds the database" apart from every other database error.
//!
//! A busy database is not a fault: SQLite has one writer at a time, so a web save that arrives
//! while a large import is being stored waits, and after its time gives up with
//! [`StoreError::Busy`]. The web shows that as "try again in a moment" (and keeps the form), not
//! as an internal error. On PostgreSQL the same holds for a lock that could not be had or a
//! deadlock that the server broke by cancelling this transaction.

use crate::StoreError;

/// SQLite's primary result codes for "another connection holds a lock" (SQLITE_BUSY, and
/// SQLITE_LOCKED within one shared cache). Extended codes keep the primary in the low byte.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;

/// PostgreSQL's SQLSTATEs for a lock not had in time, a broken deadlock and a serialisation
/// failure: each means "nothing was done; the same change may succeed when tried again".
const POSTGRES_RETRYABLE: [&str; 3] = ["55P03", "40P01", "40001"];

fn is_busy_code(code: &str) -> bool {
    if POSTGRES_RETRYABLE.contains(&code) {
        return true;
    }
    code.parse::<i64>()
        .is_ok_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            sqlx::Error::Database(database)
                if database.code().is_some_and(|c| is_busy_code(&c)) =>
            {
                StoreError::Busy
            }
            _ => StoreError::Database(error),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            _ => StoreError::Sqlite(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_busy_codes_and_their_extended_forms_are_busy() {
        // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT
        for code in ["5", "6", "261", "517", "773"] {
            assert!(is_busy_code(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CORRUPT, SQLITE_READONLY
        for code in ["2067", "11", "8"] {
            assert!(!is_busy_code(code), "{code}");
        }
    }

    #[test]
    fn postgres_lock_failures_are_busy_but_a_unique_violation_is_not() {
        for code in POSTGRES_RETRYABLE {
            assert!(is_busy_code(code), "{code}");
        }
        assert!(!is_busy_code("23505"));
        assert!(!is_busy_code("42P01"));
    }

    #[test]
    fn a_locked_sqlite_file_gives_busy_not_a_database_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let mut holder = rusqlite::Connection::open(&path).unwrap();
        holder.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let _lock = holder
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .unwrap();
        let mut waiter = rusqlite::Connection::open(&path).unwrap();
        waiter
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        let error = waiter
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(StoreError::from(error), StoreError::Busy));
    }
}
