//! The statements SQLite and PostgreSQL share, written once for any [`crate::dialect::Dialect`].

/// A block `impl<D> Sql<D> { … }` of shared statements, with the bounds that every such block
/// needs: the values its statements bind and read on `D`. Rust does not carry a trait's
/// where-clauses about other types over to the trait's users, so these bounds cannot live on
/// [`crate::dialect::Dialect`]; they are written once here instead. (Called with parentheses, so
/// that rustfmt still formats the block.)
macro_rules! shared_sql {
    (impl<D> Sql<D> { $($body:tt)* }) => {
        impl<D> crate::dialect::Sql<D>
        where
            D: crate::dialect::Dialect,
            for<'a> &'a str: sqlx::Encode<'a, D> + sqlx::Type<D>,
            String: crate::dialect::Stored<D>,
            i64: crate::dialect::Stored<D>,
            bool: crate::dialect::Stored<D>,
            Option<String>: crate::dialect::Param<D>,
            Option<i64>: crate::dialect::Param<D>,
            for<'a> Option<&'a str>: sqlx::Encode<'a, D>,
            usize: sqlx::ColumnIndex<D::Row>,
            for<'r> crate::rows::StoredCase: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::rows::VersionedCase: sqlx::FromRow<'r, D::Row>,
        {
            $($body)*
        }
    };
}

mod accounts;
mod activation;
mod cases;

/// The time of a change as stored: RFC 3339 in UTC, whose text order is time order.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}
