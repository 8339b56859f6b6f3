use std::fmt;

use dakwacht_core::Expected;

/// One problem in an interchange file, pointing at the line and column a person must fix.
///
/// Printed as `line N, column C: value 'V': what is expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// Line in the file (the header is line 1); for a spreadsheet, the row number.
    pub line: u64,
    /// The column's name, or its position when the header gives none.
    pub column: Option<String>,
    /// The offending value, as found.
    pub value: String,
    /// What is expected instead; `Display` gives plain English, `text` Dutch or English.
    pub expected: Expected,
}

impl LineError {
    pub fn new(
        line: u64,
        column: impl Into<Option<String>>,
        value: impl Into<String>,
        expected: Expected,
    ) -> Self {
        LineError {
            line,
            column: column.into(),
            value: value.into(),
            expected,
        }
    }
}

impl LineError {
    /// A problem with a value of the record (a case, a child) on `line`.
    pub fn from_field<F: crate::header::FileField>(
        line: u64,
        error: dakwacht_core::ColumnError<F>,
    ) -> Self {
        LineError::new(
            line,
            error.field.name().to_string(),
            error.value,
            error.expected,
        )
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        // Long values (notes) would flood the terminal; the start is enough to find the cell.
        // Control characters are shown escaped: a value must not drive the terminal.
        let value: String = self.value.chars().take(80).collect();
        let value = dakwacht_core::control::escape_controls(&value);
        let ellipsis = if value.len() < self.value.len() {
            "…"
        } else {
            ""
        };
        write!(f, ": value '{value}{ellipsis}': {}", self.expected)
    }
}

/// Why a file could not be read at all (beyond errors in its contents).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot read the CSV file: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot read the spreadsheet: {0}")]
    Spreadsheet(String),
}
