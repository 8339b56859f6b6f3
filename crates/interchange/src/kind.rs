//! The kinds of interchange file: the cases file and the children file (`spec/children.md`),
//! each with its columns, what a row becomes and what it may hold once.

use dakwacht_core::{Case, ChildField, ColumnError, Expected, Field};

use crate::child_row::{ChildRow, child_cells, parse_child_row};
use crate::error::LineError;
use crate::header::{Columns, FileField};
use crate::row::{case_cells, parse_row};
use crate::xlsx::WhichSheet;

/// What one kind of interchange file holds row by row: its columns, what a row becomes, and what
/// may stand in it once.
pub trait FileKind {
    type Field: FileField;
    type Record;
    /// Where this file is in a workbook.
    const SHEET: WhichSheet;
    /// A data row's record, or every problem in it.
    fn parse(
        columns: &Columns<Self::Field>,
        line: u64,
        cells: &[&str],
    ) -> Result<Self::Record, Vec<LineError>>;
    /// What a file may hold once: organisation, case reference and (children) the child's number.
    fn key(record: &Self::Record) -> (&str, &str, u8);
    /// What is wrong with a record whose key stood on `first_line` already.
    fn once(record: &Self::Record, first_line: u64) -> ColumnError<Self::Field>;
    /// The problem of a record on `line` whose key stood on `first_line` already.
    fn twice(record: &Self::Record, line: u64, first_line: u64) -> LineError {
        LineError::from_field(line, Self::once(record, first_line))
    }
    /// A record's cells as written to a file, in the order of [`FileField::ALL`], then the free
    /// columns `extra` (not yet made safe for spreadsheets).
    fn cells(record: &Self::Record, extra: &[String]) -> Vec<String>;
}

/// The cases file: a case per row, each `(organisation, case_ref)` once.
pub struct CasesFile;

impl FileKind for CasesFile {
    type Field = Field;
    type Record = Case;
    const SHEET: WhichSheet = WhichSheet::Cases;

    fn parse(columns: &Columns, line: u64, cells: &[&str]) -> Result<Case, Vec<LineError>> {
        parse_row(columns, line, cells)
    }

    fn key(case: &Case) -> (&str, &str, u8) {
        (case.organisation.as_str(), case.case_ref.as_str(), 0)
    }

    fn cells(case: &Case, extra: &[String]) -> Vec<String> {
        case_cells(case, extra)
    }

    fn once(case: &Case, first_line: u64) -> ColumnError<Field> {
        let organisation = case.organisation.to_string();
        let expected = Expected::CaseRefOncePerFile {
            first_line,
            organisation,
        };
        ColumnError::new(Field::CaseRef, case.case_ref.as_str(), expected)
    }
}

/// The children file: a child per row, each `(organisation, case_ref, child_no)` once.
pub struct ChildrenFile;

impl FileKind for ChildrenFile {
    type Field = ChildField;
    type Record = ChildRow;
    const SHEET: WhichSheet = WhichSheet::Children;

    fn parse(
        columns: &Columns<ChildField>,
        line: u64,
        cells: &[&str],
    ) -> Result<ChildRow, Vec<LineError>> {
        parse_child_row(columns, line, cells)
    }

    fn key(row: &ChildRow) -> (&str, &str, u8) {
        (
            row.organisation.as_str(),
            row.case_ref.as_str(),
            row.child.child_no,
        )
    }

    fn cells(row: &ChildRow, extra: &[String]) -> Vec<String> {
        child_cells(row, extra)
    }

    fn once(row: &ChildRow, first_line: u64) -> ColumnError<ChildField> {
        let case_ref = row.case_ref.to_string();
        let expected = Expected::ChildOncePerFile {
            first_line,
            case_ref,
        };
        ColumnError::new(
            ChildField::ChildNo,
            row.child.child_no.to_string(),
            expected,
        )
    }
}
