//! Writing workbooks: exports (one sheet, written row by row with constant memory) and the empty
//! template to fill in by hand.

use std::io::{Seek, Write};

use dakwacht_core::expected::{Labelled, labelled};
use dakwacht_core::facts::{Variable, VariableKind};
use dakwacht_core::{
    Alternative, ChildField, FamilySeparated, Field, HeardBy, Household, Lang, LegalSupport,
    LivingSituation, Reason, Route, School, StaysWith, Tenancy,
};
use rust_xlsxwriter::{DataValidation, Format, Formula, Note, Workbook, XlsxError};

/// Writes one sheet named `cases`, row by row, every cell as text so that codes, month-precision
/// dates and references come back exactly as written.
///
/// The sheet is in rust_xlsxwriter's constant-memory mode: each finished row goes to a temporary
/// file (readable by the owner only), so a million rows take no more memory than one. The price:
/// rows are written in order only, and cells are stored as inline strings (which dakwacht's
/// reader, Excel and LibreOffice all read).
pub struct SheetWriter {
    workbook: Workbook,
    /// The sheet rows go to: the last one added.
    sheet: usize,
    next_row: u32,
}

impl SheetWriter {
    /// Starts the workbook with `header` in bold as its first row, frozen while scrolling.
    pub fn new(header: &[String]) -> Result<Self, XlsxError> {
        let mut writer = SheetWriter {
            workbook: Workbook::new(),
            sheet: 0,
            next_row: 1,
        };
        writer.add_sheet("cases", header)?;
        writer.sheet = 0;
        Ok(writer)
    }

    /// Adds a sheet named `name` with `header` as its first row; the rows written after go to
    /// it (a sheet is written whole before the next: constant memory).
    pub fn add_sheet(&mut self, name: &str, header: &[String]) -> Result<(), XlsxError> {
        let sheet = self.workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(name)?;
        sheet.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (c, cell) in header.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string_with_format(0, column(c)?, cell, &bold)?;
            }
        }
        self.sheet = self.workbook.worksheets().len().saturating_sub(1);
        self.next_row = 1;
        Ok(())
    }

    /// Adds the next row.
    pub fn write_row(&mut self, cells: &[String]) -> Result<(), XlsxError> {
        let row = self.next_row;
        let sheet = self.workbook.worksheet_from_index(self.sheet)?;
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

/// The Dutch label of each code of a coded column, for the template's `codes` sheet.
fn dutch_labels(field: Field) -> Vec<Labelled> {
    use Field as F;
    match field {
        F::Household => labelled::<Household>(),
        F::Tenancy => labelled::<Tenancy>(),
        F::Route => labelled::<Route>(),
        F::MainReason | F::OtherReasons => labelled::<Reason>(),
        F::LegalSupport => labelled::<LegalSupport>(),
        F::AlternativeOffered => labelled::<Alternative>(),
        F::SituationAfter | F::CurrentSituation | F::LastSeenSituation => {
            labelled::<LivingSituation>()
        }
        F::FamilySeparated => labelled::<FamilySeparated>(),
        _ => vec![("yes", "ja"), ("no", "nee"), ("unknown", "onbekend")],
    }
}

/// A column of a template sheet: its name in files, its Dutch label, and for a coded column the
/// codes it accepts with their Dutch labels.
struct TemplateColumn {
    name: &'static str,
    label: &'static str,
    codes: Option<Vec<Labelled>>,
}

/// The cases sheet's columns.
fn case_columns() -> Vec<TemplateColumn> {
    Field::ALL
        .iter()
        .map(|&field| TemplateColumn {
            name: field.name(),
            label: field.label(Lang::Nl),
            codes: column_codes(field).map(|codes| {
                let labels = dutch_labels(field);
                codes
                    .into_iter()
                    .map(|code| {
                        let label = labels.iter().find(|(known, _)| *known == code);
                        (code, label.map_or("", |(_, label)| *label))
                    })
                    .collect()
            }),
        })
        .collect()
}

/// The children sheet's columns (`spec/children.md`).
fn child_columns() -> Vec<TemplateColumn> {
    use ChildField as C;
    let yes_no = || vec![("yes", "ja"), ("no", "nee"), ("unknown", "onbekend")];
    ChildField::ALL
        .iter()
        .map(|&field| TemplateColumn {
            name: field.name(),
            label: field.label(Lang::Nl),
            codes: match field {
                C::StaysWith => Some(labelled::<StaysWith>()),
                C::Separated => Some(labelled::<FamilySeparated>()),
                C::School => Some(labelled::<School>()),
                C::HeardBy => Some(labelled::<HeardBy>()),
                C::Heard | C::BestInterestAssessed | C::YouthCare => Some(yes_no()),
                _ => None,
            },
        })
        .collect()
}

/// An empty workbook to fill in by hand: the header of the cases file on sheet `cases` (each
/// column name with a note giving its Dutch label), every code list on sheet `codes` with the
/// Dutch label beside each code, and a drop-down list on every coded column that offers exactly
/// the codes the importer accepts (files hold codes; people read the labels).
pub fn template_workbook() -> Result<Vec<u8>, XlsxError> {
    template(&[("cases", case_columns())])
}

/// The template with the children file on a second sheet, `kinderen`, made the same way. Not
/// offered for download until the import reads that sheet: children filled in there would
/// otherwise be left behind without a word.
pub fn template_workbook_with_children() -> Result<Vec<u8>, XlsxError> {
    template(&[("cases", case_columns()), ("kinderen", child_columns())])
}

/// A template of these sheets, then the sheet `codes`.
fn template(sheets: &[(&str, Vec<TemplateColumn>)]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    // Each coded column takes two columns of `codes`: the codes, then their labels.
    let mut listed: Vec<&TemplateColumn> = Vec::new();
    // `cases` comes first: the importer reads the first sheet when none is named `casussen`.
    for (name, columns) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name)?;
        for (c, column) in (0u16..).zip(columns) {
            sheet.write_string_with_format(0, c, column.name, &bold)?;
            sheet.insert_note(0, c, &Note::new(column.label).set_author("dakwacht"))?;
            sheet.set_column_width(c, 18)?;
            let Some(codes) = &column.codes else {
                continue;
            };
            let letter = crate::header::column_letter(2 * listed.len());
            listed.push(column);
            let last = codes.len() + 1;
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(format!("=codes!${letter}$2:${letter}${last}")))
                .ignore_blank(true)
                .set_error_title("Onbekende code")?
                .set_error_message(format!(
                    "Kies een code uit de lijst (tabblad codes, kolom {}).",
                    column.name
                ))?;
            sheet.add_data_validation(1, c, TEMPLATE_ROWS, c, &validation)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }

    let codes = workbook.add_worksheet();
    codes.set_name("codes")?;
    for (c, column) in (0u16..).step_by(2).zip(&listed) {
        codes.write_string_with_format(0, c, column.name, &bold)?;
        codes.write_string_with_format(0, c + 1, "betekenis", &bold)?;
        codes.set_column_width(c, 24)?;
        codes.set_column_width(c + 1, 36)?;
        for (row, (code, label)) in (1u32..).zip(column.codes.iter().flatten()) {
            codes.write_string(row, c, *code)?;
            codes.write_string(row, c + 1, *label)?;
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

    #[test]
    fn every_code_offered_has_a_dutch_label() {
        for field in Field::ALL {
            let Some(codes) = column_codes(*field) else {
                continue;
            };
            let labels = dutch_labels(*field);
            for code in codes {
                assert!(
                    labels
                        .iter()
                        .any(|(known, label)| *known == code && !label.is_empty()),
                    "{field}: {code}"
                );
            }
        }
    }
}
