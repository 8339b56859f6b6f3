//! One data row: cells to a validated [`Case`], or every problem in the row.

use dakwacht_core::case::parse_reasons;
use dakwacht_core::codes::parse_yes_no;
use dakwacht_core::date::{format_date, parse_date};
use dakwacht_core::{
    Alternative, Case, CaseRef, Children, CodeList, ColumnError, Date, DateOrMonth,
    FamilySeparated, Field, Household, LastSeen, LegalSupport, LivingSituation, Municipality,
    Notes, OrganisationName, Reason, Route, Tenancy,
};

use dakwacht_core::Expected;
use dakwacht_core::control::{TextKind, check_text, escape_controls};

use crate::error::LineError;
use crate::header::{Column, Columns, FileField};
use crate::safety::unescape_formula;

/// Parses one data row. `line` is the row's line in the file, for error messages.
pub fn parse_row(columns: &Columns, line: u64, cells: &[&str]) -> Result<Case, Vec<LineError>> {
    read_row(columns, line, cells, |row| {
        let case = row.case()?;
        // A rule between fields says nothing useful when one of them could not be read: a
        // misspelt route must not also make `default_judgment` "need route court_eviction".
        // Without a route column the stored route decides: the store checks the updated case.
        let route_unknown = row.is_refused(Field::Route)
            || row.errors.iter().any(|e| e.field == Field::Route)
            || columns.position(Field::Route).is_none();
        row.errors.extend(
            case.check()
                .into_iter()
                .filter(|e| !(route_unknown && e.field == Field::DefaultJudgment)),
        );
        Some(case)
    })
}

/// Reads one data row of a file with columns `F`: the number of cells, then `read`, which reads
/// the cells and checks the rules between them (its problems go to `row.errors`). A cell with a
/// control character is reported and read as absent. Every problem of the row is returned.
pub(crate) fn read_row<F: FileField, T>(
    columns: &Columns<F>,
    line: u64,
    cells: &[&str],
    read: impl FnOnce(&mut Row<'_, F>) -> Option<T>,
) -> Result<T, Vec<LineError>> {
    if cells.len() != columns.len() {
        return Err(vec![LineError::new(
            line,
            None,
            format!("{} values", cells.len()),
            Expected::ValueCount {
                columns: columns.len(),
            },
        )]);
    }
    let (refused, control_errors) = refuse_controls(columns, line, cells);
    let mut row = Row {
        columns,
        cells,
        refused,
        errors: Vec::new(),
    };
    let record = read(&mut row);
    match record {
        Some(record) if row.errors.is_empty() && control_errors.is_empty() => Ok(record),
        _ => {
            let mut located = control_errors;
            located.extend(
                row.errors
                    .into_iter()
                    .map(|e| LineError::from_field(line, e)),
            );
            Err(located)
        }
    }
}

/// Finds the cells holding a control character (see [`dakwacht_core::control`]): one located
/// error per such cell, its value escaped so the message itself carries no control character.
/// Those cells are then read as absent, so they are not reported a second time.
fn refuse_controls<F: FileField>(
    columns: &Columns<F>,
    line: u64,
    cells: &[&str],
) -> (Vec<bool>, Vec<LineError>) {
    let mut refused = vec![false; cells.len()];
    let mut errors = Vec::new();
    for (index, column) in columns.iter() {
        let Some(cell) = cells.get(index) else {
            continue;
        };
        let kind = match column {
            Column::Field(field) if *field == F::NOTES => TextKind::MultiLine,
            _ => TextKind::SingleLine,
        };
        if let Err(expected) = check_text(cell.trim(), kind) {
            refused[index] = true;
            let name = match column {
                Column::Field(field) => field.name().to_string(),
                Column::Extra(name) => name.clone(),
            };
            errors.push(LineError::new(
                line,
                name,
                escape_controls(cell.trim()).into_owned(),
                expected,
            ));
        }
    }
    (refused, errors)
}

/// The cells of one data row of a file with columns `F`, read value by value; every problem is
/// kept, not just the first.
pub(crate) struct Row<'a, F = Field> {
    pub(crate) columns: &'a Columns<F>,
    pub(crate) cells: &'a [&'a str],
    /// Per cell: refused for a control character (already reported).
    pub(crate) refused: Vec<bool>,
    pub(crate) errors: Vec<ColumnError<F>>,
}

impl<'a, F: FileField> Row<'a, F> {
    /// The cell of a field, trimmed; `None` when the column is absent or the cell empty.
    pub(crate) fn raw(&self, field: F) -> Option<&'a str> {
        let index = self.columns.position(field)?;
        if self.refused[index] {
            return None;
        }
        let cell = self.cells[index].trim();
        (!cell.is_empty()).then_some(cell)
    }

    /// Whether the field's cell was refused for a control character.
    pub(crate) fn is_refused(&self, field: F) -> bool {
        self.columns
            .position(field)
            .is_some_and(|index| self.refused[index])
    }

    /// A cell where the literal `unknown` means empty (every column but identifiers and notes).
    pub(crate) fn known(&self, field: F) -> Option<&'a str> {
        self.raw(field)
            .filter(|c| !c.eq_ignore_ascii_case("unknown"))
    }

    pub(crate) fn error(&mut self, field: F, value: &str, expected: Expected) {
        self.errors.push(ColumnError::new(field, value, expected));
    }

    pub(crate) fn required<T>(
        &mut self,
        field: F,
        parse: impl Fn(&str) -> Option<T>,
        expected: Expected,
    ) -> Option<T> {
        match self.raw(field) {
            None if self.is_refused(field) => None,
            None => {
                self.error(field, "", Expected::Required(Box::new(expected)));
                None
            }
            Some(cell) => self.parsed(field, cell, parse, expected),
        }
    }

    pub(crate) fn optional<T>(
        &mut self,
        field: F,
        parse: impl Fn(&str) -> Option<T>,
        expected: Expected,
    ) -> Option<T> {
        let cell = self.known(field)?;
        self.parsed(field, cell, parse, expected)
    }

    pub(crate) fn parsed<T>(
        &mut self,
        field: F,
        cell: &str,
        parse: impl Fn(&str) -> Option<T>,
        expected: Expected,
    ) -> Option<T> {
        let value = parse(cell);
        if value.is_none() {
            let cell = cell.to_string();
            self.error(field, &cell, expected);
        }
        value
    }

    pub(crate) fn code<T: CodeList>(&mut self, field: F) -> Option<T> {
        let cell = self.known(field)?;
        let value = T::parse(cell);
        if value.is_none() {
            let cell = cell.to_string();
            let codes = dakwacht_core::expected::labelled::<T>();
            self.error(field, &cell, Expected::Code { codes });
        }
        value
    }

    /// Reports `field` as required because its partner has a value, unless its cell holds
    /// something (reported already when it did not parse or was refused).
    pub(crate) fn partner_missing(&mut self, field: F, expected: Expected) {
        if self.known(field).is_none() && !self.is_refused(field) {
            self.error(field, "", expected);
        }
    }

    pub(crate) fn yes_no(&mut self, field: F) -> Option<bool> {
        self.optional(field, parse_yes_no, Expected::YesNo)
    }

    pub(crate) fn date(&mut self, field: F) -> Option<Date> {
        self.optional(field, parse_date, Expected::Date)
    }

    pub(crate) fn text<T>(
        &mut self,
        field: F,
        parse: fn(&str) -> Option<T>,
        max: usize,
    ) -> Option<T> {
        let cell = self.known(field)?;
        let cell = unescape_formula(cell);
        self.parsed(field, &cell, parse, Expected::Text { max })
    }

    /// The free text of the row's notes (`unknown` is a note too: notes are never a code).
    pub(crate) fn notes(&mut self) -> Option<Notes> {
        let notes = unescape_formula(self.raw(F::NOTES)?);
        let parsed = Notes::parse(&notes);
        if parsed.is_none() {
            let max = Notes::MAX_CHARS;
            self.error(F::NOTES, &notes, Expected::Text { max });
        }
        parsed
    }

    /// The case a row is about: its reference and its organisation, each reported when missing
    /// or wrong.
    pub(crate) fn case_key(&mut self) -> (Option<CaseRef>, Option<OrganisationName>) {
        let case_ref = self.required(
            F::CASE_REF,
            |c| CaseRef::parse(&unescape_formula(c)),
            Expected::CaseRef,
        );
        let organisation = self.required(
            F::ORGANISATION,
            |c| OrganisationName::parse(&unescape_formula(c)),
            Expected::OrganisationName,
        );
        (case_ref, organisation)
    }

    /// The free `x_` columns with a value, by their lower-case names.
    pub(crate) fn extra(&self) -> std::collections::BTreeMap<String, String> {
        let mut extra = std::collections::BTreeMap::new();
        for (index, column) in self.columns.iter() {
            if let Column::Extra(name) = column {
                let cell = self.cells[index].trim();
                if !cell.is_empty() && !name.is_empty() && !self.refused[index] {
                    extra.insert(name.clone(), unescape_formula(cell).into_owned());
                }
            }
        }
        extra
    }
}

impl Row<'_, Field> {
    fn case(&mut self) -> Option<Case> {
        let (case_ref, organisation) = self.case_key();
        let reported_on = self.required(Field::ReportedOn, parse_date, Expected::Date);
        let children_count = self.required(
            Field::ChildrenCount,
            Children::parse_count,
            Expected::ChildrenCount,
        );

        let municipality = self.text(
            Field::Municipality,
            Municipality::parse,
            Municipality::MAX_CHARS,
        );
        let household = self.code::<Household>(Field::Household);
        let children_ages = self.optional(
            Field::ChildrenAges,
            Children::parse_ages,
            Expected::ChildrenAges,
        );
        let tenancy = self.code::<Tenancy>(Field::Tenancy);
        let home_lost_on =
            self.optional(Field::HomeLostOn, DateOrMonth::parse, Expected::DateOrMonth);
        let route = self.code::<Route>(Field::Route);
        let main_reason = self.code::<Reason>(Field::MainReason);
        let other_reasons = self
            .optional(
                Field::OtherReasons,
                parse_reasons,
                Expected::Codes {
                    codes: dakwacht_core::expected::labelled::<Reason>(),
                },
            )
            .unwrap_or_default();
        let legal_support = self.code::<LegalSupport>(Field::LegalSupport);
        let default_judgment = self.yes_no(Field::DefaultJudgment);
        let alternative_offered = self.code::<Alternative>(Field::AlternativeOffered);
        let situation_after = self.code::<LivingSituation>(Field::SituationAfter);
        let current_situation = self.code::<LivingSituation>(Field::CurrentSituation);
        let last_seen_on = self.date(Field::LastSeenOn);
        let last_seen_situation = self.code::<LivingSituation>(Field::LastSeenSituation);
        let rehoused_on = self.date(Field::RehousedOn);
        let child_heard = self.yes_no(Field::ChildHeard);
        let best_interest_weighed = self.yes_no(Field::BestInterestWeighed);
        let family_separated = self.code::<FamilySeparated>(Field::FamilySeparated);
        let shelter_refused_no_binding = self.yes_no(Field::ShelterRefusedNoBinding);
        let school_disrupted = self.yes_no(Field::SchoolDisrupted);
        let notes = self.notes();

        // last_seen_on and last_seen_situation come as a pair. A value that failed to parse was
        // reported already; only a truly missing partner is an error here.
        let last_seen = match (last_seen_on, last_seen_situation) {
            (Some(on), Some(situation)) => Some(LastSeen { on, situation }),
            (Some(on), None) => {
                let last_seen_on = format_date(on);
                self.partner_missing(
                    Field::LastSeenSituation,
                    Expected::LastSeenSituation { last_seen_on },
                );
                None
            }
            (None, Some(situation)) => {
                let situation = situation.to_string();
                self.partner_missing(Field::LastSeenOn, Expected::LastSeenOn { situation });
                None
            }
            (None, None) => None,
        };

        let extra = self.extra();

        let mut case = Case::new(case_ref?, organisation?, reported_on?, children_count?);
        case.municipality = municipality;
        case.household = household;
        case.children.ages = children_ages;
        case.tenancy = tenancy;
        case.home_lost_on = home_lost_on;
        case.route = route;
        case.main_reason = main_reason;
        case.other_reasons = other_reasons;
        case.legal_support = legal_support;
        case.default_judgment = default_judgment;
        case.alternative_offered = alternative_offered;
        case.situation_after = situation_after;
        case.current_situation = current_situation;
        case.last_seen = last_seen;
        case.rehoused_on = rehoused_on;
        case.child_heard = child_heard;
        case.best_interest_weighed = best_interest_weighed;
        case.family_separated = family_separated;
        case.shelter_refused_no_binding = shelter_refused_no_binding;
        case.school_disrupted = school_disrupted;
        case.notes = notes;
        case.extra = extra;
        Some(case)
    }
}

/// The interchange cells of a case, in [`Field::ALL`] order, followed by the given extra columns.
pub fn case_cells(case: &Case, extra_columns: &[String]) -> Vec<String> {
    let mut cells: Vec<String> = Field::ALL.iter().map(|&field| case.text(field)).collect();
    cells.extend(
        extra_columns
            .iter()
            .map(|name| case.extra.get(name).cloned().unwrap_or_default()),
    );
    cells
}
