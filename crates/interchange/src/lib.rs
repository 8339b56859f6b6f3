//! The case interchange format (`spec/interchange.md`): the spreadsheet professionals fill in,
//! import and get back on export.
//!
//! Reading validates every rule of the spec and reports every problem with its line, column and
//! value ([`LineError`]); whether a file with problems stores anything is the caller's decision
//! (dakwacht's importer stores all of a file or nothing).

pub mod child_row;
pub mod error;
pub mod header;
pub mod kind;
pub mod reader;
pub mod row;
pub mod safety;
pub mod writer;
pub mod xlsx;

pub use child_row::{ChildRow, child_cells, parse_child_row};
pub use error::{LineError, ReadError};
pub use reader::{
    CaseReader, CasesFile, ChildReader, ChildrenFile, FileKind, LineIndex, ReadRow, Reader,
};
pub use writer::{
    CsvCaseWriter, CsvChildWriter, CsvStyle, CsvWriter, XlsxCaseWriter, export_cells, header,
    header_of, labels, labels_of,
};

/// Spreadsheet formats dakwacht reads and writes, told apart by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "txt" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }
}
