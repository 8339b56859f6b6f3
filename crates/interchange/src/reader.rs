//! Reading interchange files: CSV (`,` or `;`, optional BOM, RFC 4180) and XLSX (first sheet).
//!
//! A [`Reader`] yields one row per data row, with the row's line number: a [`CaseReader`] a case,
//! a [`ChildReader`] a child. It checks what spans rows too: a case (`organisation, case_ref`),
//! or a child of a case, may occur once per file.

use std::collections::HashMap;
use std::collections::VecDeque;
use std::hash::{BuildHasher, Hash};
use std::io::{BufRead, BufReader, Read, Seek};
use std::sync::{Arc, Mutex};

use dakwacht_core::{Case, Expected};

use crate::error::{LineError, ReadError};
use crate::header::{Columns, column_letter};
pub use crate::kind::{CasesFile, ChildrenFile, FileKind};
use crate::xlsx::{SheetLimits, SheetRows};

/// One data row of a cases file: its line number and the case, or every problem in it.
pub type ReadRow = Row<Case>;

/// One data row of a file: its line number and its record, or every problem in it.
pub type Row<T> = (u64, Result<T, Vec<LineError>>);

/// Reads the cases file.
pub type CaseReader<R> = Reader<R, CasesFile>;
/// Reads the children file.
pub type ChildReader<R> = Reader<R, ChildrenFile>;

/// Where rows come from.
enum Source<R: Read> {
    Csv(csv::Reader<BufReader<LineCounting<R>>>, Newlines),
    /// A spreadsheet's first sheet, read row by row on a thread of its own; `usize` is the
    /// header's width, to which short rows are padded.
    Sheet(SheetRows, usize),
}

/// Reads the records of an interchange file (cases, or children), row by row.
pub struct Reader<R: Read, K: FileKind> {
    source: Source<R>,
    columns: Columns<K::Field>,
    /// First line of every `(organisation, case_ref)` seen, by a 128-bit hash of the pair. A hash
    /// keeps memory small at a million rows; at 128 bits a false "duplicate" will not happen.
    seen: HashMap<u128, u64>,
    hasher: Hashers,
    record: csv::ByteRecord,
    /// Whether the first row with values was read: only it may be a labels row (see
    /// [`Columns::is_labels_row`]).
    past_labels: bool,
    kind: std::marker::PhantomData<K>,
}

/// Result of opening a file: its reader, or the header's problems.
pub type Opened<R, K = CasesFile> = Result<Reader<R, K>, Vec<LineError>>;

impl<R: Read, K: FileKind> Reader<R, K> {
    /// Opens a CSV file. Detects the delimiter from the header line and skips a byte-order mark.
    pub fn csv(input: R) -> Result<Opened<R, K>, ReadError> {
        let newlines = Newlines::default();
        let input = LineCounting {
            inner: input,
            offset: 0,
            newlines: newlines.clone(),
        };
        let mut input = BufReader::with_capacity(256 * 1024, input);
        let delimiter = detect_delimiter(input.fill_buf()?);
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut header = csv::ByteRecord::new();
        if !read_record(&mut csv, &mut header)? {
            return Ok(Err(vec![LineError::new(1, None, "", Expected::HeaderLine)]));
        }
        let cells = match utf8_cells(&header, 1) {
            Ok(cells) => cells,
            Err(error) => return Ok(Err(vec![error])),
        };
        // The csv crate strips a UTF-8 byte-order mark itself; be sure, Excel writes one.
        let cells: Vec<&str> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == 0 {
                    c.trim_start_matches('\u{feff}')
                } else {
                    c
                }
            })
            .collect();
        let columns = Columns::from_header(without_trailing_empty(&cells));
        newlines.line_of(&header, csv.position().byte());
        Ok(columns.map(|columns| Reader::new(Source::Csv(csv, newlines), columns)))
    }

    fn new(source: Source<R>, columns: Columns<K::Field>) -> Self {
        Reader {
            source,
            columns,
            seen: HashMap::new(),
            hasher: Default::default(),
            record: csv::ByteRecord::new(),
            past_labels: false,
            kind: std::marker::PhantomData,
        }
    }

    /// Bytes of the input read so far (for progress bars); 0 for spreadsheets.
    pub fn bytes_read(&self) -> u64 {
        match &self.source {
            Source::Csv(csv, _) => csv.position().byte(),
            Source::Sheet(..) => 0,
        }
    }

    fn key_hash(&self, record: &K::Record) -> u128 {
        let (organisation, case_ref, number) = K::key(record);
        key_hash(&self.hasher, organisation, case_ref, number)
    }

    /// Adds the row-spanning check: a key (see [`FileKind::key`]) once per file.
    fn check_unique(
        &mut self,
        line: u64,
        row: Result<K::Record, Vec<LineError>>,
    ) -> Result<K::Record, Vec<LineError>> {
        let record = row?;
        let key = self.key_hash(&record);
        match self.seen.insert(key, line) {
            None => Ok(record),
            Some(first) => {
                self.seen.insert(key, first);
                Err(vec![K::twice(&record, line, first)])
            }
        }
    }

    fn next_csv_row(&mut self) -> Option<Row<K::Record>> {
        let Source::Csv(csv, newlines) = &mut self.source else {
            return None;
        };
        loop {
            match read_record(csv, &mut self.record) {
                Ok(false) => return None,
                Err(error) => {
                    let line = newlines.line_of(&self.record, csv.position().byte());
                    return Some((
                        line,
                        Err(vec![LineError::new(
                            line,
                            None,
                            "",
                            Expected::ReadableRow {
                                error: error.to_string(),
                            },
                        )]),
                    ));
                }
                Ok(true) => {}
            }
            let line = newlines.line_of(&self.record, csv.position().byte());
            // Spreadsheets leave rows of only delimiters behind; they hold no case.
            if self
                .record
                .iter()
                .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            let row = match utf8_cells(&self.record, line) {
                Ok(cells)
                    if !std::mem::replace(&mut self.past_labels, true)
                        && self.columns.is_labels_row(&cells) =>
                {
                    continue;
                }
                Ok(cells) => K::parse(
                    &self.columns,
                    line,
                    fit_to_header(&cells, self.columns.len()),
                ),
                Err(error) => Err(vec![error]),
            };
            return Some((line, row));
        }
    }
}

impl<R: Read> Reader<R, crate::kind::ChildrenFile> {
    /// The file's columns: what importing it may change in a stored child record.
    pub fn column_set(&self) -> dakwacht_core::ChildColumnSet {
        self.columns.child_column_set()
    }
}

impl<R: Read> Reader<R, CasesFile> {
    /// The file's columns: what importing it may change in a stored case.
    pub fn column_set(&self) -> dakwacht_core::ColumnSet {
        self.columns.column_set()
    }
}

impl<R: Read, K: FileKind> Reader<R, K> {
    /// Where each record of the rows read so far is in the file, for errors found later (when the
    /// store checks a case together with its stored fields).
    pub fn into_line_index(self) -> LineIndex {
        LineIndex {
            seen: self.seen,
            hasher: self.hasher,
        }
    }
}

impl<K: FileKind> Reader<std::io::Empty, K> {
    /// Opens an XLSX workbook and reads this file's sheet ([`FileKind::SHEET`]), within the
    /// default [`SheetLimits`].
    pub fn xlsx(bytes: Vec<u8>) -> Result<Opened<std::io::Empty, K>, ReadError> {
        Self::xlsx_from(std::io::Cursor::new(bytes), SheetLimits::default())
    }

    /// Opens an XLSX workbook from a file or any other seekable input. The workbook is checked
    /// against `limits` first (a workbook too large is a [`ReadError`] naming the limit); the
    /// file's sheet is then read as a stream, so a sheet of a million rows is never held whole.
    pub fn xlsx_from<W: Read + Seek + Send + 'static>(
        workbook: W,
        limits: SheetLimits,
    ) -> Result<Opened<std::io::Empty, K>, ReadError> {
        let mut rows = SheetRows::open_sheet(workbook, limits, K::SHEET)?;
        let header = match rows.next() {
            None => return Ok(Err(vec![LineError::new(1, None, "", Expected::HeaderRow)])),
            Some(Err(error)) => return Err(ReadError::Spreadsheet(error.message)),
            Some(Ok((_, header))) => header,
        };
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let columns = Columns::from_header(without_trailing_empty(&header));
        Ok(columns.map(|columns| {
            let width = columns.len();
            Reader::new(Source::Sheet(rows, width), columns)
        }))
    }
}

impl<R: Read, K: FileKind> Iterator for Reader<R, K> {
    type Item = Row<K::Record>;

    fn next(&mut self) -> Option<Self::Item> {
        let (line, row) = match &mut self.source {
            Source::Csv(..) => self.next_csv_row()?,
            Source::Sheet(rows, width) => loop {
                let (line, mut cells) = match rows.next()? {
                    Ok(row) => row,
                    // The sheet stops here; the file as a whole is not stored.
                    Err(error) => {
                        return Some((
                            error.line,
                            Err(vec![LineError::new(
                                error.line,
                                None,
                                "",
                                Expected::ReadableSheetRow {
                                    error: error.message,
                                },
                            )]),
                        ));
                    }
                };
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                // A sheet row ends at its last value; pad it so that it fits the header.
                if cells.len() < *width {
                    cells.resize(*width, String::new());
                }
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                if !std::mem::replace(&mut self.past_labels, true)
                    && self.columns.is_labels_row(&cells)
                {
                    continue;
                }
                break (
                    line,
                    K::parse(
                        &self.columns,
                        line,
                        fit_to_header(&cells, self.columns.len()),
                    ),
                );
            },
        };
        Some((line, self.check_unique(line, row)))
    }
}

type Hashers = (std::hash::RandomState, std::hash::RandomState);

fn key_hash(hasher: &Hashers, organisation: &str, case_ref: &str, number: u8) -> u128 {
    let key = (organisation, case_ref, number);
    let hash = |state: &std::hash::RandomState| {
        let mut h = state.build_hasher();
        key.hash(&mut h);
        std::hash::Hasher::finish(&h)
    };
    (u128::from(hash(&hasher.0)) << 64) | u128::from(hash(&hasher.1))
}

/// The line of every case of a file that was read, by `(organisation, case_ref)`.
pub struct LineIndex {
    seen: HashMap<u128, u64>,
    hasher: Hashers,
}

impl LineIndex {
    pub fn line_of(&self, organisation: &str, case_ref: &str) -> Option<u64> {
        self.line_of_record(organisation, case_ref, 0)
    }

    /// The line of a record by its key: `(organisation, case_ref, child_no)` in a children
    /// file, `child_no` 0 for a case.
    pub fn line_of_record(&self, organisation: &str, case_ref: &str, child_no: u8) -> Option<u64> {
        self.seen
            .get(&key_hash(&self.hasher, organisation, case_ref, child_no))
            .copied()
    }

    /// Problems found with a case after reading (by the store, together with its stored fields)
    /// as problems of the file, at the case's line (0 if the case is not from this file).
    pub fn locate(
        &self,
        organisation: &str,
        case_ref: &str,
        errors: &[dakwacht_core::FieldError],
    ) -> Vec<LineError> {
        self.locate_record((organisation, case_ref, 0), errors)
    }

    /// Problems found with a record of the file after reading, at its line (0 if it is not
    /// from this file); the key as in [`LineIndex::line_of_record`].
    pub fn locate_record<F: crate::header::FileField>(
        &self,
        (organisation, case_ref, child_no): (&str, &str, u8),
        errors: &[dakwacht_core::ColumnError<F>],
    ) -> Vec<LineError> {
        let line = self
            .line_of_record(organisation, case_ref, child_no)
            .unwrap_or(0);
        errors
            .iter()
            .map(|error| LineError::from_field(line, error.clone()))
            .collect()
    }
}

/// Where the newlines of the input are, so that errors name the physical line a person sees in
/// an editor. (The csv crate's own line count lags behind on CRLF files and quoted line breaks.)
#[derive(Clone, Default)]
struct Newlines(Arc<Mutex<NewlineState>>);

#[derive(Default)]
struct NewlineState {
    /// Offsets of newlines read from the input but not yet passed by the parser.
    ahead: VecDeque<u64>,
    /// Newlines the parser has passed.
    passed: u64,
}

impl Newlines {
    /// The line a record started on, given the parser's byte position just after the record.
    /// The record's own terminator is not counted, nor are line breaks inside its quoted cells.
    fn line_of(&self, record: &csv::ByteRecord, end: u64) -> u64 {
        let mut state = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let limit = end.saturating_sub(1);
        while state.ahead.front().is_some_and(|&offset| offset < limit) {
            state.ahead.pop_front();
            state.passed += 1;
        }
        let inside: usize = record
            .iter()
            .map(|cell| cell.iter().filter(|&&b| b == b'\n').count())
            .sum();
        1 + state.passed - inside as u64
    }
}

/// Passes the input through, noting where its newlines are.
struct LineCounting<R> {
    inner: R,
    offset: u64,
    newlines: Newlines,
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self
            .newlines
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, b)| **b == b'\n') {
            state.ahead.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The header without empty cells at its end (spreadsheets often leave a trailing delimiter).
fn without_trailing_empty<'a>(cells: &[&'a str]) -> Vec<&'a str> {
    let end = cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    cells[..end].to_vec()
}

/// A row without the empty cells beyond the header's width; a longer row with values there is left
/// as it is, and reported for its length.
fn fit_to_header<'a, 'b>(cells: &'b [&'a str], width: usize) -> &'b [&'a str] {
    if cells.len() > width && cells[width..].iter().all(|c| c.trim().is_empty()) {
        &cells[..width]
    } else {
        cells
    }
}

fn read_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<bool, csv::Error> {
    csv.read_byte_record(record)
}

/// The cells of a record as text; a cell that is not UTF-8 is an error naming that cell.
fn utf8_cells(record: &csv::ByteRecord, line: u64) -> Result<Vec<&str>, LineError> {
    record
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            std::str::from_utf8(cell).map_err(|_| {
                LineError::new(
                    line,
                    format!("{} ({})", i + 1, column_letter(i)),
                    String::from_utf8_lossy(cell).into_owned(),
                    Expected::Utf8,
                )
            })
        })
        .collect()
}

/// The delimiter of the header line: `;` when it has more semicolons than commas outside quotes.
fn detect_delimiter(start: &[u8]) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for &byte in start {
        match byte {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            b'\n' if !quoted => break,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_delimiter_from_the_header_only() {
        assert_eq!(detect_delimiter(b"a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n1,2,3,4,5"), b';');
        assert_eq!(detect_delimiter(b"\"a,b\";c;d\n"), b';');
    }
}
