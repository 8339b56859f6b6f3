//! The statements SQLite and PostgreSQL share, written once for any [`crate::dialect::Dialect`].

mod accounts;
mod activation;
mod cases;

/// The time of a change as stored: RFC 3339 in UTC, whose text order is time order.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}
