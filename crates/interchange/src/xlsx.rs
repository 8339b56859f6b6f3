//! Spreadsheet (XLSX) reading and writing, with the same columns as the CSV format.

use calamine::{Data, Reader, Xlsx};
use dakwacht_core::Field;
use dakwacht_core::facts::{Variable, VariableKind};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};

use crate::error::ReadError;

/// The first sheet's rows as text, each with its row number (row 1 is the header).
///
/// Spreadsheet cells have types; the interchange format is text. Whole numbers become `3`, not
/// `3.0`; a cell formatted as a date becomes `YYYY-MM-DD`, so people may type dates as Excel likes.
pub fn read_first_sheet(bytes: Vec<u8>) -> Result<Vec<(u64, Vec<String>)>, ReadError> {
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| {
            ReadError::Spreadsheet(format!(
                "this is not a valid .xlsx workbook; save it again from Excel or LibreOffice as .xlsx ({e})"
            ))
        })?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ReadError::Spreadsheet("the workbook has no sheet".into()))?
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            // Cells left of the used range are empty; keep column positions as the user sees them.
            let mut cells = vec![String::new(); first_col as usize];
            cells.extend(row.iter().map(cell_text));
            (u64::from(first_row) + i as u64 + 1, cells)
        })
        .collect())
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(dt) => {
            excel_serial_to_date(dt.as_f64()).unwrap_or_else(|| dt.as_f64().to_string())
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's serial day number (days since 1899-12-30, for dates after February 1900) as ISO date.
fn excel_serial_to_date(serial: f64) -> Option<String> {
    let epoch = jiff_epoch()?;
    let days = serial.floor() as i64;
    let date = epoch
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()?;
    Some(dakwacht_core::date::format_date(date))
}

fn jiff_epoch() -> Option<dakwacht_core::Date> {
    dakwacht_core::Date::new(1899, 12, 30).ok()
}

/// Writes rows (the first is the header) to an XLSX workbook, every cell as text so that codes,
/// month-precision dates and references come back exactly as written.
pub fn write_workbook(
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("cases")?;
    let bold = Format::new().set_bold();
    for (r, row) in rows.enumerate() {
        let r = u32::try_from(r).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            let c =
                u16::try_from(c).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
            if cell.is_empty() {
                continue;
            }
            if r == 0 {
                sheet.write_string_with_format(r, c, cell, &bold)?;
            } else {
                sheet.write_string(r, c, cell)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
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
        assert_eq!(cell_text(&Data::Float(2.0)), "2");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(7)), "7");
    }

    #[test]
    fn the_template_reads_back_as_an_empty_file_with_every_column() {
        let bytes = template_workbook().expect("template");
        let rows = read_first_sheet(bytes).expect("readable");
        assert_eq!(rows.len(), 1, "only the header");
        let header: Vec<&str> = rows[0].1.iter().map(String::as_str).collect();
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(header, names);
    }

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
