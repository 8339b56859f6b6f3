//! Indexes and foreign keys set aside while an import fills empty tables, and made again from
//! their own definitions before it commits (as `sqlite::tally::SetAside` does on SQLite).
//!
//! Into an empty `cases` table (the first load of a national file), a row-by-row check of each
//! foreign key and an insert into each of seven indexes cost two thirds of the import: building
//! each index once from the sorted rows and checking each key once with one join is several
//! times cheaper (BENCHMARKS.md, issue 19.4). Dropping them takes the table's exclusive lock
//! until the import commits: readers of the (empty) table wait for it. A failed import rolls
//! back to them.

use sqlx::PgConnection;

use crate::StoreError;

pub(crate) struct SetAside {
    /// The statements that make each index and constraint again.
    statements: Vec<String>,
}

impl SetAside {
    /// Sets aside the indexes of `table` that back no constraint (its primary key and `UNIQUE`
    /// stay: the import needs them), and its foreign keys.
    pub(crate) async fn pause(conn: &mut PgConnection, table: &str) -> Result<Self, StoreError> {
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i \
             WHERE i.indrelid = $1::regclass \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
        let references: Vec<(String, String)> = sqlx::query_as(
            "SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = $1::regclass AND contype = 'f'",
        )
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
        let mut statements = Vec::new();
        // Names and definitions come from the catalog, quoted by PostgreSQL itself.
        for (name, definition) in indexes {
            execute(conn, format!("DROP INDEX {name}")).await?;
            statements.push(definition);
        }
        for (name, definition) in references {
            execute(conn, format!("ALTER TABLE {table} DROP CONSTRAINT {name}")).await?;
            statements.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            ));
        }
        Ok(SetAside { statements })
    }

    pub(crate) async fn resume(self, conn: &mut PgConnection) -> Result<(), StoreError> {
        for statement in self.statements {
            execute(conn, statement).await?;
        }
        Ok(())
    }
}

async fn execute(conn: &mut PgConnection, statement: String) -> Result<(), StoreError> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
        .execute(conn)
        .await?;
    Ok(())
}
