//! The header line: which column holds which field.

use std::collections::HashMap;

use dakwacht_core::{ChildField, Expected, Field, Lang};

use crate::error::LineError;

/// The columns one kind of interchange file knows: the cases file's ([`Field`]) or the children
/// file's ([`ChildField`]).
pub trait FileField: Copy + Eq + std::fmt::Debug + 'static {
    /// Every column, in the order of the spec.
    const ALL: &'static [Self];
    /// The free-text column, the only one whose text may hold line breaks and tabs.
    const NOTES: Self;
    /// The case a row is about: its reference and organisation.
    const CASE_REF: Self;
    const ORGANISATION: Self;
    /// The column's name in a header.
    fn name(self) -> &'static str;
    /// The column's label for people (the labels row of an export).
    fn label(self, lang: Lang) -> &'static str;
    /// Whether a file must have this column.
    fn is_required(self) -> bool;
    /// The column a header cell names, ignoring ASCII case and surrounding spaces.
    fn from_header(name: &str) -> Option<Self>;
    /// The column's place in [`FileField::ALL`].
    fn index(self) -> usize;
}

macro_rules! file_field {
    ($($list:ident),+) => {$(
        impl FileField for $list {
            const ALL: &'static [Self] = $list::ALL;
            const NOTES: Self = $list::Notes;
            const CASE_REF: Self = $list::CaseRef;
            const ORGANISATION: Self = $list::Organisation;
            fn name(self) -> &'static str {
                $list::name(self)
            }
            fn label(self, lang: Lang) -> &'static str {
                $list::label(self, lang)
            }
            fn is_required(self) -> bool {
                $list::is_required(self)
            }
            fn from_header(name: &str) -> Option<Self> {
                $list::from_header(name)
            }
            fn index(self) -> usize {
                self as usize
            }
        }
    )+};
}

file_field!(Field, ChildField);

/// What one column of a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column<F = Field> {
    Field(F),
    /// A free extra column (`x_…`), by its lower-case name.
    Extra(String),
}

/// The columns of a file, in file order.
#[derive(Debug, Clone)]
pub struct Columns<F = Field> {
    columns: Vec<Column<F>>,
    /// For each field, its position in the file (if present).
    positions: Vec<Option<usize>>,
}

impl<F: FileField> Columns<F> {
    /// Reads the header. Every problem is reported: unknown, duplicate and missing columns.
    pub fn from_header<'a>(
        cells: impl IntoIterator<Item = &'a str>,
    ) -> Result<Columns<F>, Vec<LineError>> {
        let mut errors = Vec::new();
        let mut columns = Vec::new();
        let mut positions = vec![None; F::ALL.len()];
        let mut extras: HashMap<String, usize> = HashMap::new();
        for (index, cell) in cells.into_iter().enumerate() {
            let name = cell.trim();
            let position = || format!("{} ({})", index + 1, column_letter(index));
            if let Some(field) = F::from_header(name) {
                let slot = &mut positions[field.index()];
                if let Some(first) = *slot {
                    errors.push(LineError::new(
                        1,
                        position(),
                        name,
                        Expected::ColumnOnce { also: first + 1 },
                    ));
                } else {
                    *slot = Some(index);
                }
                columns.push(Column::Field(field));
            } else if name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x_"))
            {
                let key = name.to_lowercase();
                if let Some(first) = extras.insert(key.clone(), index) {
                    errors.push(LineError::new(
                        1,
                        position(),
                        name,
                        Expected::ColumnOnce { also: first + 1 },
                    ));
                }
                columns.push(Column::Extra(key));
            } else {
                errors.push(LineError::new(
                    1,
                    position(),
                    name,
                    Expected::KnownColumn {
                        did_you_mean: closest_field::<F>(name).map(F::name),
                    },
                ));
                columns.push(Column::Extra(String::new()));
            }
        }
        for &field in F::ALL {
            if field.is_required() && positions[field.index()].is_none() {
                errors.push(LineError::new(
                    1,
                    field.name().to_string(),
                    "",
                    Expected::RequiredColumn,
                ));
            }
        }
        if errors.is_empty() {
            Ok(Columns { columns, positions })
        } else {
            Err(errors)
        }
    }

    pub fn len(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, &Column<F>)> {
        self.columns.iter().enumerate()
    }

    /// Where a field's column is, if the file has it.
    pub fn position(&self, field: F) -> Option<usize> {
        self.positions[field.index()]
    }

    /// Whether a row is the labels row of an export asked for with labels (`--labels nl`): every
    /// field's cell holds that field's label (in Dutch or English, case and surrounding spaces
    /// aside) and every `x_` column's cell its name or nothing. Such a row holds no record (no
    /// label is a valid number), so the reader skips it as the second header row it is, and an
    /// exported file imports as it is. A row that is only partly labels is read as data and
    /// reported cell by cell, as any other.
    pub fn is_labels_row(&self, cells: &[&str]) -> bool {
        cells.len() >= self.columns.len()
            && cells[self.columns.len()..]
                .iter()
                .all(|c| c.trim().is_empty())
            && self.columns.iter().zip(cells).all(|(column, cell)| {
                let cell = cell.trim();
                match column {
                    Column::Field(field) => [Lang::Nl, Lang::En]
                        .iter()
                        .any(|&lang| cell.eq_ignore_ascii_case(field.label(lang))),
                    Column::Extra(name) => cell.is_empty() || cell.eq_ignore_ascii_case(name),
                }
            })
    }
}

impl<F: FileField> Columns<F> {
    /// The fields this file has a column of, in column order of the spec.
    fn present(&self) -> impl Iterator<Item = F> + '_ {
        F::ALL
            .iter()
            .copied()
            .filter(|&field| self.position(field).is_some())
    }

    /// The names of the file's free `x_` columns.
    fn extra_names(&self) -> impl Iterator<Item = String> + '_ {
        self.columns.iter().filter_map(|column| match column {
            Column::Extra(name) if !name.is_empty() => Some(name.clone()),
            _ => None,
        })
    }
}

impl Columns<Field> {
    /// The fields and free columns of this file: what an import of it may change in a stored
    /// case (see [`dakwacht_core::ColumnSet`]).
    pub fn column_set(&self) -> dakwacht_core::ColumnSet {
        dakwacht_core::ColumnSet::of(self.present(), self.extra_names())
    }
}

impl Columns<dakwacht_core::ChildField> {
    /// The fields and free columns of this children file: what an import of it may change in a
    /// stored child record (see [`dakwacht_core::ChildColumnSet`]).
    pub fn child_column_set(&self) -> dakwacht_core::ChildColumnSet {
        dakwacht_core::ChildColumnSet::of(self.present(), self.extra_names())
    }
}

/// Spreadsheet column letter for a 0-based index: A, B, …, Z, AA, …
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// The known column nearest to a misspelt one, for a helpful hint.
fn closest_field<F: FileField>(name: &str) -> Option<F> {
    let name = name.to_lowercase().replace([' ', '-'], "_");
    F::ALL
        .iter()
        .map(|f| (edit_distance(&name, f.name()), *f))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn headers_in_any_order_and_case() {
        let columns = Columns::<Field>::from_header([
            " Reported_On",
            "CASE_REF",
            "organisation",
            "children_count",
            "x_Team",
        ])
        .unwrap();
        assert_eq!(columns.position(Field::CaseRef), Some(1));
        assert_eq!(columns.position(Field::Notes), None);
        assert_eq!(
            columns.iter().nth(4).map(|(_, c)| c.clone()),
            Some(Column::Extra("x_team".into()))
        );
    }

    #[test]
    fn a_labels_row_is_told_from_data() {
        let columns = Columns::<Field>::from_header([
            "case_ref",
            "organisation",
            "reported_on",
            "children_count",
            "x_team",
        ])
        .unwrap();
        let row = |cells: [&'static str; 5]| columns.is_labels_row(&cells);
        assert!(row([
            "Referentie",
            " organisatie ",
            "Gemeld op",
            "Aantal kinderen",
            ""
        ]));
        assert!(row([
            "Reference",
            "Organisation",
            "Reported on",
            "Number of children",
            "x_team"
        ]));
        assert!(!row(["Referentie", "Organisatie", "Gemeld op", "2", ""]));
        assert!(!row([
            "Referentie",
            "Organisatie",
            "Gemeld op",
            "Aantal kinderen",
            "A-team"
        ]));
        assert!(!columns.is_labels_row(&["Referentie", "Organisatie"]));
    }

    #[test]
    fn header_names_with_multibyte_characters_are_unknown_columns_not_panics() {
        let errors = Columns::<Field>::from_header(["€x", "ñ", "x_é"]).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .starts_with("line 1, column 1 (A): value '€x'")
        );
        assert!(
            !errors.iter().any(|e| e.value == "x_é"),
            "x_é is a free column"
        );
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_all_reported() {
        let errors =
            Columns::<Field>::from_header(["case_ref", "organisaton", "case_ref", "reported_on"])
                .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("line 1, column 2 (B): value 'organisaton'"),
            "{}",
            text[0]
        );
        assert!(text[0].contains("did you mean organisation?"));
        assert!(text[1].contains("column 3 (C): value 'case_ref': each column once"));
        assert!(
            text.iter()
                .any(|t| t.contains("column organisation: value '': this required column"))
        );
        assert!(text.iter().any(|t| t.contains("column children_count")));
    }

    #[test]
    fn a_children_file_header_is_read_with_its_own_columns() {
        let columns =
            Columns::<ChildField>::from_header(["Child_No", "case_ref", "organisation", "x_team"])
                .unwrap();
        assert_eq!(columns.position(ChildField::ChildNo), Some(0));
        assert_eq!(columns.position(ChildField::Age), None);
        let errors = Columns::<ChildField>::from_header(["case_ref", "stays_wth", "reported_on"])
            .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(text[0].contains("did you mean stays_with?"), "{text:?}");
        assert!(
            text[1].contains("value 'reported_on'"),
            "a cases column is not a children column: {text:?}"
        );
        for missing in ["organisation", "child_no"] {
            assert!(
                text.iter()
                    .any(|t| t
                        .contains(&format!("column {missing}: value '': this required column"))),
                "{missing}: {text:?}"
            );
        }
    }
}
