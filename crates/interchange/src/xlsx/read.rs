//! Reading one sheet (see [`WhichSheet`]) as a stream of rows.
//!
//! The workbook is first checked ([`super::inspect`]); then a thread of its own reads the sheet
//! cell by cell with calamine's cell reader (which, unlike a range, allocates nothing by the
//! sheet's declared size) and sends the rows in small batches through a bounded channel. So a
//! million-row sheet is never in memory at once, and the thread ends as soon as the reader is
//! dropped.

use std::io::{Read, Seek};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{DataRef, Reader, Xlsx};

use super::SheetLimits;
use super::inspect::check;
use crate::error::ReadError;
use crate::header::column_letter;

/// One row of the sheet as text: its row number (1 for the first row of the sheet) and its cells,
/// by column (column A first). Cells right of the last value are left out.
pub type SheetRow = (u64, Vec<String>);

/// Which sheet of a workbook a file is (`spec/children.md`): the cases are the sheet named
/// `casussen`, or else the first sheet; the children are the sheet named `kinderen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichSheet {
    Cases,
    Children,
}

impl WhichSheet {
    /// The sheet's name in a workbook dakwacht writes.
    pub fn name(self) -> &'static str {
        match self {
            WhichSheet::Cases => "casussen",
            WhichSheet::Children => "kinderen",
        }
    }

    /// The sheet of `names` (in workbook order) that this one is, ignoring ASCII case.
    pub fn find(self, names: &[String]) -> Option<&String> {
        let named = names
            .iter()
            .find(|name| name.trim().eq_ignore_ascii_case(self.name()));
        match self {
            WhichSheet::Cases => named.or(names.first()),
            WhichSheet::Children => named,
        }
    }
}

/// Rows per message: small enough that the channel holds little, large enough to cost nothing.
const BATCH: usize = 256;
/// Messages waiting in the channel.
const WAITING: usize = 4;

/// A problem found while the sheet was being read, at a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// The row where reading stopped.
    pub line: u64,
    pub message: String,
}

enum Message {
    Rows(Vec<SheetRow>),
    Failed(SheetError),
}

/// The rows of the first sheet, read on a thread of their own.
pub struct SheetRows {
    receiver: Receiver<Message>,
    batch: std::vec::IntoIter<SheetRow>,
    finished: bool,
}

impl SheetRows {
    /// Checks the workbook against `limits` and starts reading its first sheet.
    pub fn open<R: Read + Seek + Send + 'static>(
        input: R,
        limits: SheetLimits,
    ) -> Result<Self, ReadError> {
        Self::open_sheet(input, limits, WhichSheet::Cases)
    }

    /// Checks the workbook against `limits` and starts reading the sheet `which`.
    pub fn open_sheet<R: Read + Seek + Send + 'static>(
        input: R,
        limits: SheetLimits,
        which: WhichSheet,
    ) -> Result<Self, ReadError> {
        let workbook = open_workbook(input, &limits)?;
        let (sender, receiver) = sync_channel(WAITING);
        std::thread::Builder::new()
            .name("xlsx-rows".into())
            .spawn(move || read_rows(workbook, limits, which, &sender))?;
        Ok(SheetRows {
            receiver,
            batch: Vec::new().into_iter(),
            finished: false,
        })
    }
}

impl Iterator for SheetRows {
    type Item = Result<SheetRow, SheetError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(Ok(row));
            }
            if self.finished {
                return None;
            }
            match self.receiver.recv() {
                Ok(Message::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Message::Failed(error)) => {
                    self.finished = true;
                    return Some(Err(error));
                }
                // The thread ends after the last row.
                Err(_) => {
                    self.finished = true;
                    return None;
                }
            }
        }
    }
}

/// Checks a workbook against `limits` before anything of it is unpacked, then opens it.
fn open_workbook<R: Read + Seek>(input: R, limits: &SheetLimits) -> Result<Xlsx<R>, ReadError> {
    let mut input = input;
    check(&mut input, limits)?;
    input.rewind()?;
    Xlsx::new(input).map_err(|e| {
        ReadError::Spreadsheet(format!(
            "this is not a valid .xlsx workbook; save it again from Excel or LibreOffice as .xlsx ({e})"
        ))
    })
}

/// Whether a workbook has the sheet `which` (checked against `limits` first): a workbook of
/// cases may hold its children too.
pub fn has_sheet<R: Read + Seek>(
    input: R,
    limits: &SheetLimits,
    which: WhichSheet,
) -> Result<bool, ReadError> {
    let workbook = open_workbook(input, limits)?;
    Ok(which.find(&workbook.sheet_names()).is_some())
}

/// The reading thread: sends every row, or stops at the first problem (reported as a message)
/// or when nobody listens any more.
fn read_rows<R: Read + Seek>(
    mut workbook: Xlsx<R>,
    limits: SheetLimits,
    which: WhichSheet,
    sender: &SyncSender<Message>,
) {
    let mut rows = RowBuilder {
        sender,
        batch: Vec::with_capacity(BATCH),
        current: None,
        cells: Vec::new(),
    };
    let outcome = read_cells(&mut workbook, &limits, which, &mut rows);
    let outcome = outcome.and_then(|()| rows.finish());
    if let Err(Stop::Problem(error)) = outcome {
        let _ = sender.send(Message::Failed(error));
    }
}

enum Stop {
    /// The receiver is gone: nobody wants the rest.
    Unwanted,
    Problem(SheetError),
}

fn read_cells<R: Read + Seek>(
    workbook: &mut Xlsx<R>,
    limits: &SheetLimits,
    which: WhichSheet,
    rows: &mut RowBuilder<'_>,
) -> Result<(), Stop> {
    let problem = |line: u64, message: String| Stop::Problem(SheetError { line, message });
    let names = workbook.sheet_names();
    let Some(name) = which.find(&names).cloned() else {
        let message = match which {
            WhichSheet::Cases => "the workbook has no sheet".to_string(),
            WhichSheet::Children => "the workbook has no sheet named 'kinderen'".to_string(),
        };
        return Err(problem(1, message));
    };
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| problem(1, format!("cannot read sheet '{name}' ({e})")))?;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => return Ok(()),
            Err(e) => {
                let line = rows.line();
                return Err(problem(
                    line,
                    format!("the sheet cannot be read here ({e})"),
                ));
            }
        };
        let (row, column) = cell.get_position();
        let line = u64::from(row) + 1;
        // The check before reading saw every reference; a cell without one is placed after the
        // previous cell, so its column is checked here.
        if column >= limits.max_columns {
            return Err(problem(
                line,
                format!(
                    "cell {}{line} is beyond column {}; dakwacht reads at most {} columns",
                    column_letter(column as usize),
                    column_letter(limits.max_columns.saturating_sub(1) as usize),
                    limits.max_columns
                ),
            ));
        }
        rows.cell(line, column as usize, cell_text(cell.get_value()))?;
    }
}

/// Gathers cells into rows and rows into batches.
struct RowBuilder<'a> {
    sender: &'a SyncSender<Message>,
    batch: Vec<SheetRow>,
    current: Option<u64>,
    cells: Vec<String>,
}

impl RowBuilder<'_> {
    /// The row being read (or the first).
    fn line(&self) -> u64 {
        self.current.unwrap_or(1)
    }

    fn cell(&mut self, line: u64, column: usize, text: String) -> Result<(), Stop> {
        match self.current {
            Some(current) if current == line => {}
            Some(current) if line < current => {
                return Err(Stop::Problem(SheetError {
                    line,
                    message: format!(
                        "row {line} comes after row {current} in the file; dakwacht reads rows in order (save the workbook again from Excel or LibreOffice)"
                    ),
                }));
            }
            _ => {
                self.end_row()?;
                self.current = Some(line);
            }
        }
        // Empty cells take no room: a row is as long as its last value.
        if !text.is_empty() {
            if self.cells.len() <= column {
                self.cells.resize(column + 1, String::new());
            }
            self.cells[column] = text;
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Stop> {
        if let Some(line) = self.current
            && !self.cells.is_empty()
        {
            self.batch.push((line, std::mem::take(&mut self.cells)));
            if self.batch.len() == BATCH {
                self.send()?;
            }
        }
        self.cells.clear();
        Ok(())
    }

    fn send(&mut self) -> Result<(), Stop> {
        let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        self.sender
            .send(Message::Rows(rows))
            .map_err(|_| Stop::Unwanted)
    }

    fn finish(&mut self) -> Result<(), Stop> {
        self.end_row()?;
        if !self.batch.is_empty() {
            self.send()?;
        }
        Ok(())
    }
}

/// A cell as the interchange format's text.
///
/// Spreadsheet cells have types; the interchange format is text. Whole numbers become `3`, not
/// `3.0`; a cell formatted as a date becomes `YYYY-MM-DD`, so people may type dates as Excel likes.
pub(crate) fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        DataRef::DateTime(dt) => {
            excel_serial_to_date(dt.as_f64()).unwrap_or_else(|| dt.as_f64().to_string())
        }
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's serial day number (days since 1899-12-30, for dates after February 1900) as ISO date.
fn excel_serial_to_date(serial: f64) -> Option<String> {
    let epoch = dakwacht_core::Date::new(1899, 12, 30).ok()?;
    let days = serial.floor() as i64;
    let date = epoch
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()?;
    Some(dakwacht_core::date::format_date(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_iso_dates() {
        assert_eq!(
            excel_serial_to_date(45_383.0).as_deref(),
            Some("2024-04-01")
        );
        assert_eq!(
            excel_serial_to_date(45_383.75).as_deref(),
            Some("2024-04-01")
        );
    }

    #[test]
    fn numbers_are_written_as_people_typed_them() {
        assert_eq!(cell_text(&DataRef::Float(2.0)), "2");
        assert_eq!(cell_text(&DataRef::Float(2.5)), "2.5");
        assert_eq!(cell_text(&DataRef::Int(7)), "7");
    }
}
