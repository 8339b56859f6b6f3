//! Writing cases in the interchange format.

use std::io::Write;

use dakwacht_core::{Case, Field};

use crate::row::case_cells;
use crate::safety::escape_formula;

/// The header of an export: the spec's columns in spec order, then the extra (`x_…`) columns.
pub fn header(extra_columns: &[String]) -> Vec<String> {
    Field::ALL
        .iter()
        .map(|f| f.name().to_string())
        .chain(extra_columns.iter().cloned())
        .collect()
}

/// The cells of one case as written to a file: values made safe to open in a spreadsheet.
pub fn export_cells(case: &Case, extra_columns: &[String]) -> Vec<String> {
    case_cells(case, extra_columns)
        .into_iter()
        .map(|cell| escape_formula(&cell).into_owned())
        .collect()
}

/// Streams cases to an interchange CSV file (comma-separated, UTF-8, RFC 4180 quoting).
pub struct CsvCaseWriter<W: Write> {
    csv: csv::Writer<W>,
    extra_columns: Vec<String>,
}

impl<W: Write> CsvCaseWriter<W> {
    /// Starts a file and writes its header.
    pub fn new(output: W, extra_columns: Vec<String>) -> Result<Self, csv::Error> {
        let mut csv = csv::WriterBuilder::new().from_writer(output);
        csv.write_record(header(&extra_columns))?;
        Ok(CsvCaseWriter { csv, extra_columns })
    }

    pub fn write(&mut self, case: &Case) -> Result<(), csv::Error> {
        self.csv
            .write_record(export_cells(case, &self.extra_columns))
    }

    /// Flushes and returns the output.
    pub fn finish(self) -> Result<W, std::io::Error> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// Streams cases to an interchange XLSX workbook, one row per case, with constant memory (see
/// [`crate::xlsx::SheetWriter`]); the workbook is whole only once [`XlsxCaseWriter::finish`] wrote it.
pub struct XlsxCaseWriter {
    sheet: crate::xlsx::SheetWriter,
    extra_columns: Vec<String>,
}

impl XlsxCaseWriter {
    /// Starts a workbook and writes its header.
    pub fn new(extra_columns: Vec<String>) -> Result<Self, rust_xlsxwriter::XlsxError> {
        Ok(XlsxCaseWriter {
            sheet: crate::xlsx::SheetWriter::new(&header(&extra_columns))?,
            extra_columns,
        })
    }

    pub fn write(&mut self, case: &Case) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet
            .write_row(&export_cells(case, &self.extra_columns))
    }

    /// Writes the finished workbook to `output`.
    pub fn finish<W: Write + std::io::Seek + Send>(
        self,
        output: W,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet.save(output)
    }
}
