//! Writing cases in the interchange format.

use std::io::Write;

use dakwacht_core::{Case, ChildField, ChildRow, Field, Lang};

use crate::header::FileField;
use crate::kind::{CasesFile, ChildrenFile, FileKind};
use crate::safety::escape_formula;

/// The header of a cases export: the spec's columns in spec order, then the extra (`x_…`)
/// columns.
pub fn header(extra_columns: &[String]) -> Vec<String> {
    header_of::<Field>(extra_columns)
}

/// The header of an export of a file with columns `F`, then the extra columns.
pub fn header_of<F: FileField>(extra_columns: &[String]) -> Vec<String> {
    F::ALL
        .iter()
        .map(|f| f.name().to_string())
        .chain(extra_columns.iter().cloned())
        .collect()
}

/// The second header row of an export asked for with labels: each column's label in `lang`
/// (an `x_` column has none and shows its name). The reader skips such a row (see
/// [`crate::header::Columns::is_labels_row`]), so a file with it imports as it is.
pub fn labels(extra_columns: &[String], lang: Lang) -> Vec<String> {
    labels_of::<Field>(extra_columns, lang)
}

/// The labels row of an export of a file with columns `F`.
pub fn labels_of<F: FileField>(extra_columns: &[String], lang: Lang) -> Vec<String> {
    F::ALL
        .iter()
        .map(|f| f.label(lang).to_string())
        .chain(extra_columns.iter().cloned())
        .collect()
}

/// How a CSV file is written. The default is what Dutch Excel opens correctly on a double click:
/// `;` between cells (a Dutch Excel takes `,` as the decimal sign and puts a whole `,`-separated
/// line in one cell) and UTF-8 with a byte-order mark (without one Excel reads `ë` as `Ã«`).
/// [`CsvStyle::PLAIN`] is the form for other programs: `,`, no mark. Both are the interchange
/// format, which allows either delimiter and an optional mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    pub delimiter: u8,
    pub byte_order_mark: bool,
    /// A second header row with the columns' labels in this language.
    pub labels: Option<Lang>,
}

impl CsvStyle {
    pub const EXCEL_NL: CsvStyle = CsvStyle {
        delimiter: b';',
        byte_order_mark: true,
        labels: None,
    };

    pub const PLAIN: CsvStyle = CsvStyle {
        delimiter: b',',
        byte_order_mark: false,
        labels: None,
    };

    /// The style with this delimiter: `;` for Dutch Excel (with a byte-order mark), `,` for
    /// the plain form (without).
    pub fn with_delimiter(delimiter: u8) -> Option<CsvStyle> {
        match delimiter {
            b';' => Some(CsvStyle::EXCEL_NL),
            b',' => Some(CsvStyle::PLAIN),
            _ => None,
        }
    }

    pub fn with_labels(self, labels: Option<Lang>) -> CsvStyle {
        CsvStyle { labels, ..self }
    }
}

impl Default for CsvStyle {
    fn default() -> Self {
        CsvStyle::EXCEL_NL
    }
}

/// The cells of one case as written to a file: values made safe to open in a spreadsheet.
pub fn export_cells(case: &Case, extra_columns: &[String]) -> Vec<String> {
    safe_cells::<CasesFile>(case, extra_columns)
}

/// The cells of a record as written to a file, made safe to open in a spreadsheet.
fn safe_cells<K: FileKind>(record: &K::Record, extra_columns: &[String]) -> Vec<String> {
    K::cells(record, extra_columns)
        .into_iter()
        .map(|cell| escape_formula(&cell).into_owned())
        .collect()
}

/// Streams records to an interchange CSV file (UTF-8, RFC 4180 quoting, in a [`CsvStyle`]).
pub struct CsvWriter<W: Write, K: FileKind = CasesFile> {
    csv: csv::Writer<W>,
    extra_columns: Vec<String>,
    kind: std::marker::PhantomData<K>,
}

/// Streams cases to a cases file.
pub type CsvCaseWriter<W> = CsvWriter<W, CasesFile>;
/// Streams children to a children file.
pub type CsvChildWriter<W> = CsvWriter<W, ChildrenFile>;

impl<W: Write, K: FileKind> CsvWriter<W, K> {
    /// Starts a file and writes its header (and labels row, when the style asks for one).
    pub fn new(
        mut output: W,
        extra_columns: Vec<String>,
        style: CsvStyle,
    ) -> Result<Self, csv::Error> {
        if style.byte_order_mark {
            output.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = csv::WriterBuilder::new()
            .delimiter(style.delimiter)
            .from_writer(output);
        csv.write_record(header_of::<K::Field>(&extra_columns))?;
        if let Some(lang) = style.labels {
            csv.write_record(labels_of::<K::Field>(&extra_columns, lang))?;
        }
        Ok(CsvWriter {
            csv,
            extra_columns,
            kind: std::marker::PhantomData,
        })
    }

    pub fn write(&mut self, record: &K::Record) -> Result<(), csv::Error> {
        self.csv
            .write_record(safe_cells::<K>(record, &self.extra_columns))
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
    /// Starts a workbook and writes its header, and a row of labels in `labels` when given.
    pub fn new(
        extra_columns: Vec<String>,
        labels: Option<Lang>,
    ) -> Result<Self, rust_xlsxwriter::XlsxError> {
        let mut sheet = crate::xlsx::SheetWriter::new(&header(&extra_columns))?;
        if let Some(lang) = labels {
            sheet.write_row(&self::labels(&extra_columns, lang))?;
        }
        Ok(XlsxCaseWriter {
            sheet,
            extra_columns,
        })
    }

    pub fn write(&mut self, case: &Case) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet
            .write_row(&export_cells(case, &self.extra_columns))
    }

    /// Starts the sheet `kinderen` (the children file in a workbook, `spec/children.md`) after
    /// the cases: its header, and a row of labels in `labels` when given. Write the cases first.
    pub fn start_children(
        &mut self,
        extra_columns: Vec<String>,
        labels: Option<Lang>,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet
            .add_sheet("kinderen", &header_of::<ChildField>(&extra_columns))?;
        if let Some(lang) = labels {
            self.sheet
                .write_row(&labels_of::<ChildField>(&extra_columns, lang))?;
        }
        self.extra_columns = extra_columns;
        Ok(())
    }

    /// Adds a child record to the sheet `kinderen` (after [`XlsxCaseWriter::start_children`]).
    pub fn write_child(&mut self, row: &ChildRow) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet
            .write_row(&safe_cells::<ChildrenFile>(row, &self.extra_columns))
    }

    /// Writes the finished workbook to `output`.
    pub fn finish<W: Write + std::io::Seek + Send>(
        self,
        output: W,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        self.sheet.save(output)
    }
}
