//! Checks a workbook before calamine reads it.
//!
//! A workbook is zipped XML, and a few kilobytes can declare a cell at XFD1048576 or unpack to
//! gigabytes. Calamine keeps the shared strings, the styles and the workbook's lists in memory,
//! and trusts cell references. So every part of the archive is unpacked here once, counting the
//! bytes that really come out (the sizes in the zip directory can lie), and read with the XML
//! reader and settings calamine uses, which makes the checks see the same elements calamine will:
//!
//! - no XML event (tag or text) longer than [`SheetLimits::max_event_bytes`], so no reader
//!   buffers more than that at once;
//! - inside `sheetData` only rows of cells, each cell at most [`SheetLimits::max_cell_bytes`];
//!   elements calamine collects elsewhere (shared strings, styles, sheets) are refused there;
//! - outside `sheetData` (shared strings, styles, workbook) at most
//!   [`SheetLimits::max_other_bytes`] in all, at most [`SheetLimits::max_shared_strings`] shared
//!   strings and [`SheetLimits::max_listed`] styles, fonts, sheets and the like;
//! - every cell and row reference within Excel's grid, no cell right of
//!   [`SheetLimits::max_columns`], at most [`SheetLimits::max_rows`] rows and
//!   [`SheetLimits::max_cells`] cells;
//! - at most [`SheetLimits::max_unpacked_bytes`] unpacked in all.
//!
//! What calamine would find broken (bad XML, an unsupported compression) is left to calamine:
//! it stops there with an error, after events this check has bounded.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};

use crate::error::ReadError;
use crate::header::column_letter;

/// How large a workbook dakwacht reads. The defaults fit a workbook of a million cases with room
/// to spare, and keep the memory for reading any workbook far below a gigabyte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetLimits {
    /// Columns of the first sheet: a cell right of this many columns is refused.
    pub max_columns: u32,
    /// Rows of the first sheet, the header included.
    pub max_rows: u64,
    /// Cells of the first sheet, empty ones included.
    pub max_cells: u64,
    /// Bytes of all parts of the archive, unpacked.
    pub max_unpacked_bytes: u64,
    /// Unpacked bytes outside the sheets' cells: shared strings, styles, workbook, relationships.
    pub max_other_bytes: u64,
    /// Entries of the shared-strings table.
    pub max_shared_strings: u64,
    /// Styles, number formats, fonts, fills, borders, sheets, defined names and relationships.
    pub max_listed: u64,
    /// Unpacked bytes of one cell's XML.
    pub max_cell_bytes: u64,
    /// Unpacked bytes of one XML tag or text.
    pub max_event_bytes: u64,
    /// Files in the archive.
    pub max_parts: usize,
}

/// Excel's grid: columns A to XFD, rows 1 to 1,048,576.
const EXCEL_COLUMNS: u32 = 16_384;
const EXCEL_ROWS: u32 = 1_048_576;

const MIB: u64 = 1024 * 1024;

impl Default for SheetLimits {
    fn default() -> Self {
        SheetLimits {
            max_columns: 1000,
            max_rows: u64::from(EXCEL_ROWS),
            max_cells: 40_000_000,
            max_unpacked_bytes: 3 * 1024 * MIB,
            max_other_bytes: 256 * MIB,
            max_shared_strings: 4_000_000,
            max_listed: 200_000,
            max_cell_bytes: 4 * MIB,
            max_event_bytes: MIB,
            max_parts: 10_000,
        }
    }
}

/// Element names calamine collects into memory (outside the cells) or that start sheet data;
/// none of them belongs inside a cell.
const NOT_IN_A_CELL: &[&str] = &[
    "row",
    "c",
    "sheetData",
    "sst",
    "si",
    "numFmts",
    "numFmt",
    "fonts",
    "font",
    "fills",
    "fill",
    "borders",
    "border",
    "cellXfs",
    "xf",
    "workbook",
    "sheets",
    "sheet",
    "definedName",
    "Relationships",
    "Relationship",
    "dimension",
    "styleSheet",
];

/// Elements counted against [`SheetLimits::max_listed`].
const LISTED: &[&str] = &[
    "numFmt",
    "font",
    "fill",
    "border",
    "xf",
    "sheet",
    "definedName",
    "Relationship",
];

/// Checks every part of the workbook in `input` against `limits`.
pub(crate) fn check<R: Read + Seek>(input: R, limits: &SheetLimits) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(input).map_err(|e| {
        ReadError::Spreadsheet(format!(
            "this is not a valid .xlsx workbook; save it again from Excel or LibreOffice as .xlsx ({e})"
        ))
    })?;
    if zip.len() > limits.max_parts {
        return Err(refused(format!(
            "the workbook holds {} files; dakwacht reads workbooks of at most {}",
            zip.len(),
            limits.max_parts
        )));
    }
    let mut totals = Totals::default();
    for index in 0..zip.len() {
        // A part the zip library cannot open (encrypted, unknown compression) cannot be read by
        // calamine either; if calamine needs it, it stops with that error.
        let Ok(part) = zip.by_index(index) else {
            continue;
        };
        if part.is_dir() {
            continue;
        }
        let name = part
            .name()
            .map_or_else(|_| format!("number {}", index + 1), |name| printable(&name));
        check_part(part, &name, limits, &mut totals)?;
    }
    Ok(())
}

/// What all parts together used so far.
#[derive(Default)]
struct Totals {
    unpacked: u64,
    other_bytes: u64,
    shared_strings: u64,
    listed: u64,
}

/// Passes a part's unpacked bytes through, stopping at the limits.
struct Metered<R> {
    inner: R,
    /// Bytes this part may still unpack (what is left of the archive's budget).
    allowed: u64,
    read: u64,
    /// Bytes since the reader last produced an event.
    since_event: u64,
    max_event: u64,
    tripped: Option<Trip>,
}

#[derive(Clone, Copy)]
enum Trip {
    Unpacked,
    Event,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.since_event += n as u64;
        if self.read > self.allowed {
            self.tripped = Some(Trip::Unpacked);
        } else if self.since_event > self.max_event {
            self.tripped = Some(Trip::Event);
        }
        match self.tripped {
            Some(_) => Err(std::io::Error::other("workbook limit reached")),
            None => Ok(n),
        }
    }
}

/// Where the reader is in a part's `sheetData`.
struct SheetData {
    /// Depth of the `sheetData` element itself.
    depth: usize,
    rows: u64,
    cells: u64,
    /// Calamine's row and column for a cell without a reference.
    row: u32,
    next_column: u32,
    /// Where the current cell began, while inside one.
    cell_start: Option<u64>,
}

fn check_part<R: Read>(
    part: R,
    name: &str,
    limits: &SheetLimits,
    totals: &mut Totals,
) -> Result<(), ReadError> {
    let metered = Metered {
        inner: part,
        allowed: limits.max_unpacked_bytes.saturating_sub(totals.unpacked),
        read: 0,
        since_event: 0,
        max_event: limits.max_event_bytes,
        tripped: None,
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(metered));
    // The settings of calamine's reader, so that both see the same events.
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;

    let mut buf = Vec::with_capacity(1024);
    let mut depth = 0usize;
    let mut sheet: Option<SheetData> = None;
    loop {
        buf.clear();
        xml.get_mut().get_mut().since_event = 0;
        let before = xml.buffer_position();
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(event) => event,
            Err(_) => {
                let metered = xml.get_ref().get_ref();
                return match metered.tripped {
                    Some(Trip::Unpacked) => Err(refused(format!(
                        "it unpacks to more than {}; dakwacht reads workbooks of at most that size (part {name})",
                        megabytes(limits.max_unpacked_bytes)
                    ))),
                    Some(Trip::Event) => Err(refused(format!(
                        "part {name} has a tag or text of more than {} at byte {}",
                        megabytes(limits.max_event_bytes),
                        xml.buffer_position()
                    ))),
                    // Not XML, or broken XML: calamine stops at the same place if it reads it.
                    None => Ok(()),
                };
            }
        };
        let position = xml.buffer_position();
        match &event {
            Event::Start(start) => {
                depth += 1;
                let local = start.local_name();
                let local = local.as_ref();
                match &mut sheet {
                    Some(data) => {
                        check_in_sheet_data(start, local, depth, data, name, limits, before)?
                    }
                    None if local == "sheetData" => {
                        sheet = Some(SheetData {
                            depth,
                            rows: 0,
                            cells: 0,
                            row: 0,
                            next_column: 0,
                            cell_start: None,
                        });
                    }
                    None => check_outside(start, local, name, limits, totals)?,
                }
            }
            Event::End(_) => {
                if let Some(data) = &mut sheet {
                    if depth == data.depth + 2 {
                        data.cell_start = None;
                    }
                    if depth == data.depth + 1 {
                        data.row = data.row.saturating_add(1);
                        data.next_column = 0;
                    }
                    if depth == data.depth {
                        sheet = None;
                    }
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        match &sheet {
            Some(data) => {
                if let Some(start) = data.cell_start
                    && position - start > limits.max_cell_bytes
                {
                    return Err(refused(format!(
                        "part {name} has a cell of more than {} (row {})",
                        megabytes(limits.max_cell_bytes),
                        u64::from(data.row) + 1
                    )));
                }
            }
            None => {
                totals.other_bytes += position - before;
                if totals.other_bytes > limits.max_other_bytes {
                    return Err(refused(format!(
                        "its shared strings, styles and other parts besides the cells unpack to more than {} (part {name})",
                        megabytes(limits.max_other_bytes)
                    )));
                }
            }
        }
    }
    totals.unpacked += xml.get_ref().get_ref().read;
    Ok(())
}

/// An element inside `sheetData`: only rows, in rows only cells, and nothing inside a cell that
/// calamine reads as something else.
fn check_in_sheet_data(
    start: &BytesStart<'_>,
    local: &str,
    depth: usize,
    data: &mut SheetData,
    name: &str,
    limits: &SheetLimits,
    position: u64,
) -> Result<(), ReadError> {
    let level = depth - data.depth;
    let unexpected = || {
        refused(format!(
            "part {name} has an unexpected element <{}> in its cells (row {})",
            printable(local),
            u64::from(data.row) + 1
        ))
    };
    match level {
        1 if local == "row" => {
            one_more(&mut data.rows, limits.max_rows, |max| {
                format!("its sheet has more than {max} rows (part {name}); split the file")
            })?;
            for value in attribute_values(start, "r") {
                match value.parse::<u32>() {
                    Ok(row @ 1..=EXCEL_ROWS) => data.row = row - 1,
                    _ => {
                        return Err(refused(format!(
                            "part {name} has a row numbered '{}', outside Excel's rows 1 to {EXCEL_ROWS}",
                            printable(value)
                        )));
                    }
                }
            }
            data.next_column = 0;
            Ok(())
        }
        1 => Err(unexpected()),
        2 if local == "c" => {
            one_more(&mut data.cells, limits.max_cells, |max| {
                format!("its sheet has more than {max} cells (part {name}); split the file")
            })?;
            let mut column = data.next_column;
            let mut row = data.row;
            for value in attribute_values(start, "r") {
                let Some((c, r)) = cell_reference(value) else {
                    return Err(refused(format!(
                        "part {name} has a cell reference '{}' outside Excel's grid A1:XFD{EXCEL_ROWS}",
                        printable(value)
                    )));
                };
                column = c;
                row = r;
            }
            if column >= limits.max_columns {
                return Err(refused(format!(
                    "cell {}{} is beyond column {} (part {name}); dakwacht reads at most {} columns",
                    column_letter(column as usize),
                    u64::from(row) + 1,
                    column_letter(limits.max_columns.saturating_sub(1) as usize),
                    limits.max_columns
                )));
            }
            data.next_column = column + 1;
            data.cell_start = Some(position);
            Ok(())
        }
        _ if NOT_IN_A_CELL.contains(&local) => Err(unexpected()),
        _ => Ok(()),
    }
}

/// An element outside `sheetData`: counts what calamine will keep in memory.
fn check_outside(
    start: &BytesStart<'_>,
    local: &str,
    name: &str,
    limits: &SheetLimits,
    totals: &mut Totals,
) -> Result<(), ReadError> {
    if local == "si" {
        one_more(
            &mut totals.shared_strings,
            limits.max_shared_strings,
            |max| format!("it has more than {max} shared strings (part {name})"),
        )?;
    } else if local == "sst" {
        // Calamine reserves room for the declared count before reading one string.
        for value in attribute_values(start, "uniqueCount") {
            if value
                .parse::<u64>()
                .is_ok_and(|n| n > limits.max_shared_strings)
            {
                return Err(refused(format!(
                    "it declares {} shared strings, more than {} (part {name})",
                    printable(value),
                    limits.max_shared_strings
                )));
            }
        }
    } else if local == "dimension" {
        for value in attribute_values(start, "ref") {
            if !valid_range(value) {
                return Err(refused(format!(
                    "part {name} declares the sheet's size as '{}', which is not a range of Excel's grid",
                    printable(value)
                )));
            }
        }
    } else if LISTED.contains(&local) {
        one_more(&mut totals.listed, limits.max_listed, |max| {
            format!("it has more than {max} styles, fonts, sheets and names (part {name})")
        })?;
    }
    Ok(())
}

/// Counts one more of something a workbook may hold at most `max` of; past that, refuses it with
/// the reason `why` gives for `max`.
fn one_more(count: &mut u64, max: u64, why: impl FnOnce(u64) -> String) -> Result<(), ReadError> {
    *count += 1;
    if *count > max {
        return Err(refused(why(max)));
    }
    Ok(())
}

/// Every value of attribute `key` (exactly that name, as calamine matches it), raw. Parsing stops
/// where calamine's would fail.
fn attribute_values<'a>(start: &'a BytesStart<'_>, key: &'a str) -> impl Iterator<Item = &'a str> {
    RawAttributes::new(start.attributes_raw()).filter_map(move |(k, v)| (k == key).then_some(v))
}

/// Calamine's way of splitting a tag's attributes (`key="value"`, values not unescaped).
struct RawAttributes<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> RawAttributes<'a> {
    fn new(raw: &'a str) -> Self {
        RawAttributes { raw, pos: 0 }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.raw.as_bytes();
        let mut pos = self.pos;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = bytes.len();
            return None;
        }
        let key = self.raw.get(key_start..pos)?.trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = *bytes.get(pos).filter(|q| **q == b'"' || **q == b'\'')?;
        pos += 1;
        let value_start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = self.raw.get(value_start..pos)?;
        self.pos = (pos + 1).min(bytes.len());
        Some((key, value))
    }
}

/// A cell reference such as `B7` as zero-based (column, row), within Excel's grid.
pub(crate) fn cell_reference(reference: &str) -> Option<(u32, u32)> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let (letters, digits) = reference.split_at(letters);
    if !(1..=3).contains(&letters.len())
        || !(1..=7).contains(&digits.len())
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let column = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let row: u32 = digits.parse().ok()?;
    ((1..=EXCEL_COLUMNS).contains(&column) && (1..=EXCEL_ROWS).contains(&row))
        .then(|| (column - 1, row - 1))
}

/// A sheet dimension such as `A1` or `A1:H40`, within the grid and not upside down.
fn valid_range(range: &str) -> bool {
    let mut corners = range.split(':').map(cell_reference);
    match (corners.next(), corners.next(), corners.next()) {
        (Some(Some(_)), None, None) => true,
        (Some(Some((c1, r1))), Some(Some((c2, r2))), None) => c1 <= c2 && r1 <= r2,
        _ => false,
    }
}

fn refused(why: String) -> ReadError {
    ReadError::Spreadsheet(format!("the workbook is refused: {why}"))
}

fn megabytes(bytes: u64) -> String {
    if bytes >= 1024 * MIB && bytes.is_multiple_of(1024 * MIB) {
        format!("{} GB", bytes / (1024 * MIB))
    } else {
        format!("{} MB", bytes.div_ceil(MIB))
    }
}

/// A name or value from the file, safe to show: printable ASCII, at most 60 characters.
fn printable(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if text.chars().count() > 60 {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_stay_in_excels_grid() {
        assert_eq!(cell_reference("A1"), Some((0, 0)));
        assert_eq!(cell_reference("xfd1048576"), Some((16_383, 1_048_575)));
        assert_eq!(cell_reference("XFE1"), None);
        assert_eq!(cell_reference("A1048577"), None);
        assert_eq!(cell_reference("AAAAAAAA1"), None);
        assert_eq!(cell_reference("A99999999999"), None);
        assert_eq!(cell_reference("A0"), None);
        assert_eq!(cell_reference("7"), None);
        assert_eq!(cell_reference("A1B"), None);
    }

    #[test]
    fn dimensions_are_ranges_the_right_way_up() {
        assert!(valid_range("A1"));
        assert!(valid_range("A1:Z9"));
        assert!(!valid_range("B2:A1"));
        assert!(!valid_range("A1:B2:C3"));
        assert!(!valid_range("A1:ZZZZ1"));
    }

    #[test]
    fn attributes_are_split_as_calamine_splits_them() {
        let raw = r#" r="A1" s = '3' t="s" r="B2""#;
        let all: Vec<_> = RawAttributes::new(raw).collect();
        assert_eq!(all, [("r", "A1"), ("s", "3"), ("t", "s"), ("r", "B2")]);
    }
}
