//! Telling "another writer holds the database" apart from every other database error.
//!
//! A busy database is not a fault: SQLite has one writer at a time, so a web save that arrives
//! while a large import is being stored waits, and after its time gives up with
//! [`StoreError::Busy`]. The web shows that as "try again in a moment" (and keeps the form), not
//! as an internal error. On PostgreSQL the same holds for a lock that could not be had or a
//! deadlock that the server broke by cancelling this transaction. A server that cannot be reached
//! is not busy: that is [`StoreError::Unavailable`].

use crate::StoreError;

/// SQLite's primary result codes for "another connection holds a lock" (SQLITE_BUSY, and
/// SQLITE_LOCKED within one shared cache). Extended codes keep the primary in the low byte.
const SQLITE_BUSY: i64 = 5;
const SQLITE_LOCKED: i64 = 6;

/// PostgreSQL's SQLSTATEs for a lock not had in time, a broken deadlock and a serialisation
/// failure: each means "nothing was done; the same change may succeed when tried again".
const POSTGRES_RETRYABLE: [&str; 3] = ["55P03", "40P01", "40001"];

/// Whether an SQLite (extended) result code, as sqlx gives it in text, is BUSY or LOCKED.
fn sqlite_code_is_busy(code: &str) -> bool {
    code.parse::<i64>()
        .is_ok_and(|code| matches!(code & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

/// Whether a PostgreSQL SQLSTATE means "try again". SQLSTATEs are five characters of text
/// (`42P01`), compared as text: read as a number, a permission error (42501) would look like
/// SQLite's BUSY.
fn postgres_code_is_busy(sqlstate: &str) -> bool {
    POSTGRES_RETRYABLE.contains(&sqlstate)
}

/// Whether an error the database reported means another transaction holds what this one needs.
/// Each database's codes are read only on that database's errors.
fn is_busy(error: &(dyn sqlx::error::DatabaseError + 'static)) -> bool {
    if let Some(postgres) = error.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return postgres_code_is_busy(postgres.code());
    }
    if error
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_some()
    {
        return error.code().is_some_and(|code| sqlite_code_is_busy(&code));
    }
    false
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(database) if is_busy(database.as_ref()) => StoreError::Busy,
            // The connection to the server broke or could not be made: nothing about other
            // writers, so not "busy".
            sqlx::Error::Io(_) | sqlx::Error::Tls(_) => StoreError::Unavailable(error.to_string()),
            // On PostgreSQL the pool also times out while the server refuses connections. (The
            // SQLite store asks for its connections itself and answers Busy: see `dialect`.)
            sqlx::Error::PoolTimedOut => StoreError::Unavailable(
                "no connection to the database could be had in time".to_string(),
            ),
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
            assert!(sqlite_code_is_busy(code), "{code}");
        }
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CORRUPT, SQLITE_READONLY
        for code in ["2067", "11", "8"] {
            assert!(!sqlite_code_is_busy(code), "{code}");
        }
    }

    #[test]
    fn postgres_lock_failures_are_busy_but_nothing_else_is() {
        for code in POSTGRES_RETRYABLE {
            assert!(postgres_code_is_busy(code), "{code}");
        }
        // 42501 & 0xff is 5, SQLite's BUSY: read as text it is a permission error.
        for code in ["42501", "23505", "42P01", "53300", "57014", "00005"] {
            assert!(!postgres_code_is_busy(code), "{code}");
        }
    }

    #[test]
    fn a_broken_connection_is_unavailable_not_busy() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(matches!(
            StoreError::from(sqlx::Error::Io(refused)),
            StoreError::Unavailable(_)
        ));
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
