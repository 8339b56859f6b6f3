//! Spreadsheet (XLSX) reading and writing, with the same columns as the CSV format.
//!
//! Reading checks the workbook against [`SheetLimits`] before anything is read ([`inspect`]), then
//! streams one sheet row by row ([`SheetRows`], [`WhichSheet`]). Writing streams too ([`SheetWriter`]).

mod inspect;
mod read;
mod write;

pub use inspect::SheetLimits;
pub use read::{SheetError, SheetRow, SheetRows, WhichSheet, has_sheet};
pub use write::{SheetWriter, template_workbook, template_workbook_with_children, write_workbook};

use crate::error::ReadError;

/// The first sheet's rows as text, each with its row number (row 1 is the header), all in memory:
/// for small workbooks (the template, tests). Imports stream with [`SheetRows`].
pub fn read_first_sheet(bytes: Vec<u8>) -> Result<Vec<SheetRow>, ReadError> {
    SheetRows::open(std::io::Cursor::new(bytes), SheetLimits::default())?
        .map(|row| {
            row.map_err(|e| ReadError::Spreadsheet(format!("row {}: {}", e.line, e.message)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use dakwacht_core::Field;

    use super::*;

    #[test]
    fn the_template_reads_back_as_an_empty_file_with_every_column() {
        let bytes = template_workbook().expect("template");
        let rows = read_first_sheet(bytes).expect("readable");
        assert_eq!(rows.len(), 1, "only the header");
        let header: Vec<&str> = rows[0].1.iter().map(String::as_str).collect();
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(header, names);
    }
}
