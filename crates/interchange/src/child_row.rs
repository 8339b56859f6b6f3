//! One data row of a children file (`spec/children.md`): cells to a validated [`ChildRow`], or
//! every problem in the row. The rules between a child and its case (a child the case has, the
//! age the case gives it) need the case, and are checked where both are known.

pub use dakwacht_core::ChildRow;
use dakwacht_core::codes::parse_yes_no;
use dakwacht_core::{
    Child, ChildAge, ChildField, Expected, FamilySeparated, Heard, HeardBy, School, Schooling,
    StaysWith,
};

use crate::error::LineError;
use crate::header::Columns;
use crate::row::{Row, read_row};

/// Parses one data row of a children file. `line` is the row's line in the file.
pub fn parse_child_row(
    columns: &Columns<ChildField>,
    line: u64,
    cells: &[&str],
) -> Result<ChildRow, Vec<LineError>> {
    read_row(columns, line, cells, |row| {
        let read = row.child()?;
        row.errors.extend(read.child.check());
        Some(read)
    })
}

impl Row<'_, ChildField> {
    fn child(&mut self) -> Option<ChildRow> {
        use ChildField as F;
        let (case_ref, organisation) = self.case_key();
        let child_no = self.required(F::ChildNo, Child::parse_child_no, Expected::ChildrenCount);
        // `?` is an age nobody knows: the same as an empty cell.
        let age = self
            .optional(F::Age, ChildAge::parse, Expected::ChildAge)
            .and_then(|age| match age {
                ChildAge::Known(age) => Some(age),
                ChildAge::Unknown => None,
            });
        // Every cell is read before anything is given up, so that every problem is reported.
        let stays_with = self.code::<StaysWith>(F::StaysWith);
        let separated = self.code::<FamilySeparated>(F::Separated);
        let school = self.code::<School>(F::School);
        let days_missed = self.optional(
            F::SchoolDaysMissed,
            Child::parse_school_days,
            Expected::SchoolDays,
        );
        let heard = self.optional(F::Heard, parse_yes_no, Expected::YesNo);
        let heard_by = self.code::<HeardBy>(F::HeardBy);
        let heard = match (heard, heard_by) {
            (Some(true), by) => Some(Heard::Yes { by }),
            (Some(false), None) => Some(Heard::No),
            (None, None) => None,
            // Who heard a child that was not heard, or of whom nobody knows.
            (_, Some(by)) => {
                self.error(F::HeardBy, by.code(), Expected::HeardByNeedsHeard);
                None
            }
        };
        let best_interest_assessed =
            self.optional(F::BestInterestAssessed, parse_yes_no, Expected::YesNo);
        let youth_care = self.optional(F::YouthCare, parse_yes_no, Expected::YesNo);
        let notes = self.notes();
        let child = Child {
            child_no: child_no?,
            age,
            stays_with,
            separated,
            schooling: Schooling {
                school,
                days_missed,
            },
            heard,
            best_interest_assessed,
            youth_care,
            notes,
            extra: self.extra(),
            // Only the assessments made in dakwacht say this; a file never does.
            assessed_in_dakwacht: false,
        };
        Some(ChildRow {
            organisation: organisation?,
            case_ref: case_ref?,
            child,
        })
    }
}

/// The cells of a child record, in [`ChildField::ALL`] order, then the given free columns. An
/// unknown value is an empty cell.
pub fn child_cells(row: &ChildRow, extra_columns: &[String]) -> Vec<String> {
    let mut cells: Vec<String> = ChildField::ALL.iter().map(|&f| row.text(f)).collect();
    cells.extend(
        extra_columns
            .iter()
            .map(|name| row.child.extra.get(name).cloned().unwrap_or_default()),
    );
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes,x_team";

    fn read(row: &str) -> Result<ChildRow, Vec<String>> {
        let columns = Columns::<ChildField>::from_header(HEADER.split(',')).unwrap();
        let cells: Vec<&str> = row.split(',').collect();
        parse_child_row(&columns, 2, &cells)
            .map_err(|errors| errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_full_row_is_a_child_of_its_case() {
        let row = read("QS-01,Org,2,9,other_family,Threatened,missing_school,12,yes,court,no,yes,Logeert bij oma,Noord").unwrap();
        assert_eq!(
            (row.case_ref.as_str(), row.organisation.as_str()),
            ("QS-01", "Org")
        );
        let child = row.child;
        assert_eq!((child.child_no, child.age), (2, Some(9)));
        assert_eq!(child.stays_with, Some(StaysWith::OtherFamily));
        assert_eq!(child.separated, Some(FamilySeparated::Threatened));
        assert_eq!(child.schooling.school, Some(School::MissingSchool));
        assert_eq!(child.schooling.days_missed, Some(12));
        let by = Some(HeardBy::Court);
        assert_eq!(child.heard, Some(Heard::Yes { by }));
        assert_eq!(
            (child.best_interest_assessed, child.youth_care),
            (Some(false), Some(true))
        );
        assert_eq!(
            child.notes.map(|n| n.to_string()).as_deref(),
            Some("Logeert bij oma")
        );
        assert_eq!(child.extra.get("x_team").map(String::as_str), Some("Noord"));
    }

    #[test]
    fn only_the_key_is_required_and_unknown_is_empty() {
        let child = read("QS-01,Org,1,?,unknown,,,,unknown,,,,,").unwrap().child;
        assert_eq!(
            child,
            Child {
                child_no: 1,
                ..Child::default()
            }
        );
    }

    #[test]
    fn every_problem_of_a_row_is_reported_with_its_column() {
        let errors = read(",Org,0,18,sofa,maybe,school,401,ja?,judge,,,,").unwrap_err();
        let columns: Vec<&str> = errors
            .iter()
            .map(|e| e.split(": value").next().unwrap())
            .collect();
        assert_eq!(
            columns,
            [
                "line 2, column case_ref",
                "line 2, column child_no",
                "line 2, column age",
                "line 2, column stays_with",
                "line 2, column separated",
                "line 2, column school",
                "line 2, column school_days_missed",
                "line 2, column heard",
                "line 2, column heard_by",
            ],
            "{errors:#?}"
        );
        assert!(
            errors[2].contains("an age from 0 to 17, or ?"),
            "{}",
            errors[2]
        );
    }

    #[test]
    fn the_rules_between_fields_of_a_child_are_checked() {
        let errors = read("QS-01,Org,1,5,,,attends_same,3,no,court,,,,").unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("column heard_by: value 'court'"));
        assert!(errors[1].contains("column school_days_missed: value '3'"));
        let errors = read("QS-01,Org,1,5,,,,,,shelter,,,,").unwrap_err();
        assert!(errors[0].contains("heard_by is given only when heard is yes"));
        let child = read("QS-01,Org,1,5,,,,,yes,,,,,").unwrap().child;
        assert_eq!(child.heard, Some(Heard::Yes { by: None }));
    }

    #[test]
    fn a_control_character_is_refused_and_a_formula_is_text() {
        let errors = read("QS-01,Org,1,5,,,,,,,,,a\u{1b}b,").unwrap_err();
        assert!(
            errors[0].contains("column notes: value 'a\\u{1B}b'"),
            "{errors:?}"
        );
        let child = read("QS-01,Org,1,5,,,,,,,,,'=1+1,").unwrap().child;
        assert_eq!(child.notes.map(|n| n.to_string()).as_deref(), Some("=1+1"));
    }
}
