//! Writing workbooks: exports (one sheet, written row by row with constant memory) and the empty
//! template to fill in by hand.

use std::io::{Seek, Write};

use dakwacht_core::Field;
use dakwacht_core::facts::{Variable, VariableKind};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

/// Writes one sheet named `cases`, row by row, every cell as text so that codes, month-precision
/// dates and references come back exactly as written.
///
/// The sheet is in rust_xlsxwriter's constant-memory mode: each finished row goes to a temporary
/// file (readable by the owner only), so a million rows take no more memory than one. The price:
/// rows are written in order only, and cells are stored as inline strings (which dakwacht's
/// reader, Excel and LibreOffice all read).
pub struct SheetWriter {
    workbook: Workbook,
    next_row: u32,
}

impl SheetWriter {
    /// Starts the workbook with `header` in bold as its first row, frozen while scrolling.
    pub fn new(header: &[String]) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("cases")?;
        sheet.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (c, cell) in header.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string_with_format(0, column(c)?, cell, &bold)?;
            }
        }
        Ok(SheetWriter {
            workbook,
            next_row: 1,
        })
    }

    /// Adds the next row.
    pub fn write_row(&mut self, cells: &[String]) -> Result<(), XlsxError> {
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (c, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row, column(c)?, cell)?;
            }
        }
        self.next_row = row.checked_add(1).ok_or(XlsxError::RowColumnLimitError)?;
        Ok(())
    }

    /// Writes the finished workbook to `output`.
    pub fn save<W: Write + Seek + Send>(mut self, output: W) -> Result<(), XlsxError> {
        self.workbook.save_to_writer(output)
    }
}

fn column(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Writes rows (the first is the header) to an XLSX workbook in memory. For small files (tests,
/// a handful of rows); exports go through [`SheetWriter`] to a file.
pub fn write_workbook(mut rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, XlsxError> {
    let header = rows.next().unwrap_or_default();
    let mut sheet = SheetWriter::new(&header)?;
    for row in rows {
        sheet.write_row(&row)?;
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    sheet.save(&mut bytes)?;
    Ok(bytes.into_inner())
}

/// Rows of the template that get drop-down lists (Excel stores a validation per range, so this
/// costs nothing per row).
const TEMPLATE_ROWS: u32 = 10_000;

/// The codes a column accepts, for a drop-down list; `None` for free columns. Multi-code columns
/// (`other_reasons`) get none: Excel lists allow one value per cell.
fn column_codes(field: Field) -> Option<Vec<&'static str>> {
    match Variable::from_name(field.name())?.kind() {
        VariableKind::Code(codes) => Some(codes.to_vec()),
        VariableKind::YesNo => Some(vec!["yes", "no", "unknown"]),
        _ => None,
    }
}

/// An empty workbook to fill in by hand: the header of the interchange format on sheet `cases`,
/// every code list on sheet `codes`, and a drop-down list on every coded column that offers
/// exactly the codes the importer accepts.
pub fn template_workbook() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let coded: Vec<(Field, Vec<&'static str>)> = Field::ALL
        .iter()
        .filter_map(|field| column_codes(*field).map(|codes| (*field, codes)))
        .collect();
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    // `cases` comes first: the importer reads the first sheet.
    let cases = workbook.add_worksheet();
    cases.set_name("cases")?;
    for (c, field) in (0u16..).zip(Field::ALL) {
        cases.write_string_with_format(0, c, field.name(), &bold)?;
        cases.set_column_width(c, 18)?;
        let Some(position) = coded.iter().position(|(f, _)| f == field) else {
            continue;
        };
        let letter = crate::header::column_letter(position);
        let last = coded[position].1.len() + 1;
        let validation = DataValidation::new()
            .allow_list_formula(Formula::new(format!("=codes!${letter}$2:${letter}${last}")))
            .ignore_blank(true)
            .set_error_title("Onbekende code")?
            .set_error_message(format!(
                "Kies een code uit de lijst (tabblad codes, kolom {}).",
                field.name()
            ))?;
        cases.add_data_validation(1, c, TEMPLATE_ROWS, c, &validation)?;
    }
    cases.set_freeze_panes(1, 0)?;

    let codes = workbook.add_worksheet();
    codes.set_name("codes")?;
    for (c, (field, list)) in (0u16..).zip(&coded) {
        codes.write_string_with_format(0, c, field.name(), &bold)?;
        codes.set_column_width(c, 24)?;
        for (row, code) in (1u32..).zip(list) {
            codes.write_string(row, c, *code)?;
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_columns_offer_exactly_the_codes_of_their_list() {
        assert_eq!(
            column_codes(Field::CurrentSituation),
            Some(dakwacht_core::LivingSituation::CODES.to_vec())
        );
        assert_eq!(column_codes(Field::Notes), None);
        assert_eq!(column_codes(Field::OtherReasons), None);
        assert!(column_codes(Field::ChildHeard).is_some_and(|c| c.contains(&"yes")));
    }
}
