//! New rows sent with `COPY … FROM STDIN` (PostgreSQL's text format) instead of multi-row
//! `INSERT`s: the server parses plain lines instead of planning a statement of 37,000
//! parameters per thousand cases, and the client encodes no bind parameters.
//!
//! Written here rather than taken from a crate: the text format is a few escaping rules
//! (<https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2>), sqlx sends the
//! bytes, and the crates that encode it bring a second PostgreSQL client.

use sqlx::PgConnection;

use crate::StoreError;

/// A value as one field of a line of `COPY`'s text format.
pub(crate) trait CopyValue {
    fn write_to(&self, out: &mut Vec<u8>);
}

impl CopyValue for str {
    fn write_to(&self, out: &mut Vec<u8>) {
        // The text format's escapes: a backslash, and the delimiter and line ends, which
        // would otherwise end the field or the row.
        for &byte in self.as_bytes() {
            match byte {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(byte),
            }
        }
    }
}

impl CopyValue for String {
    fn write_to(&self, out: &mut Vec<u8>) {
        self.as_str().write_to(out);
    }
}

impl CopyValue for &str {
    fn write_to(&self, out: &mut Vec<u8>) {
        (**self).write_to(out);
    }
}

impl CopyValue for i64 {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.to_string().as_bytes());
    }
}

impl CopyValue for bool {
    fn write_to(&self, out: &mut Vec<u8>) {
        out.push(if *self { b't' } else { b'f' });
    }
}

impl<T: CopyValue> CopyValue for Option<T> {
    fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => value.write_to(out),
            None => out.extend_from_slice(b"\\N"),
        }
    }
}

/// Rows for one `COPY table (columns) FROM STDIN`, built field by field.
pub(crate) struct CopyRows {
    statement: String,
    data: Vec<u8>,
    /// Fields written on the current row so far.
    fields: usize,
    rows: u64,
}

impl CopyRows {
    pub(crate) fn new(table: &str, columns: &[&str]) -> Self {
        CopyRows {
            statement: format!("COPY {table} ({}) FROM STDIN", columns.join(", ")),
            data: Vec::with_capacity(1 << 20),
            fields: 0,
            rows: 0,
        }
    }

    /// Adds the next field of the current row.
    pub(crate) fn field(&mut self, value: &(impl CopyValue + ?Sized)) -> &mut Self {
        if self.fields > 0 {
            self.data.push(b'\t');
        }
        value.write_to(&mut self.data);
        self.fields += 1;
        self
    }

    /// Ends the current row.
    pub(crate) fn end_row(&mut self) {
        self.data.push(b'\n');
        self.fields = 0;
        self.rows += 1;
    }

    /// Sends the rows on `conn` (in its transaction); the number PostgreSQL stored.
    pub(crate) async fn send(self, conn: &mut PgConnection) -> Result<u64, StoreError> {
        if self.rows == 0 {
            return Ok(0);
        }
        let mut copy = conn.copy_in_raw(&self.statement).await?;
        if let Err(error) = copy.send(self.data).await {
            // Ends the COPY on the server, so that the connection can be used (and the
            // transaction rolled back) afterwards.
            let _ = copy.abort(error.to_string()).await;
            return Err(error.into());
        }
        Ok(copy.finish().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_escaped_and_nulls_marked() {
        let mut rows = CopyRows::new("t", &["a", "b", "c", "d", "e", "f"]);
        rows.field("a\tb\\c\nd\re")
            .field(&None::<String>)
            .field(&Some(42_i64))
            .field(&Some(false))
            .field(&true)
            .field("");
        rows.end_row();
        rows.field("x").field(&-1_i64);
        rows.end_row();
        assert_eq!(rows.statement, "COPY t (a, b, c, d, e, f) FROM STDIN");
        assert_eq!(
            String::from_utf8_lossy(&rows.data),
            "a\\tb\\\\c\\nd\\re\t\\N\t42\tf\tt\t\nx\t-1\n"
        );
        assert_eq!(rows.rows, 2);
    }
}
