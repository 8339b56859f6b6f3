//! The fields of a case, named as the interchange columns name them.
//!
//! Errors point at a field; the interchange reader turns that into a column and line, the web form
//! (later) into the input to highlight. One list keeps both in step with the spec.

use std::fmt;

use crate::expected::Expected;

macro_rules! fields {
    ($( $variant:ident = $name:literal, $required:literal; )+) => {
        /// One interchange column / case field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant),+ }

        impl Field {
            /// All fields, in the column order of the spec (and of exported files).
            pub const ALL: &'static [Field] = &[$(Field::$variant),+];

            /// The interchange column name.
            pub fn name(self) -> &'static str {
                match self { $(Field::$variant => $name),+ }
            }

            /// Whether a file must have this column and every row a value in it.
            pub fn is_required(self) -> bool {
                match self { $(Field::$variant => $required),+ }
            }

            /// Finds a column by header name: case-insensitive, surrounding spaces ignored.
            pub fn from_header(header: &str) -> Option<Field> {
                let header = header.trim();
                $( if header.eq_ignore_ascii_case($name) { return Some(Field::$variant); } )+
                None
            }
        }
    };
}

fields! {
    CaseRef = "case_ref", true;
    Organisation = "organisation", true;
    ReportedOn = "reported_on", true;
    Municipality = "municipality", false;
    Household = "household", false;
    ChildrenCount = "children_count", true;
    ChildrenAges = "children_ages", false;
    Tenancy = "tenancy", false;
    HomeLostOn = "home_lost_on", false;
    Route = "route", false;
    MainReason = "main_reason", false;
    OtherReasons = "other_reasons", false;
    LegalSupport = "legal_support", false;
    DefaultJudgment = "default_judgment", false;
    AlternativeOffered = "alternative_offered", false;
    SituationAfter = "situation_after", false;
    CurrentSituation = "current_situation", false;
    LastSeenOn = "last_seen_on", false;
    LastSeenSituation = "last_seen_situation", false;
    RehousedOn = "rehoused_on", false;
    ChildHeard = "child_heard", false;
    BestInterestWeighed = "best_interest_weighed", false;
    FamilySeparated = "family_separated", false;
    ShelterRefusedNoBinding = "shelter_refused_no_binding", false;
    SchoolDisrupted = "school_disrupted", false;
    Notes = "notes", false;
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A problem with one field's value: the field, the value as given, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub value: String,
    pub expected: Expected,
}

impl FieldError {
    pub fn new(field: Field, value: impl Into<String>, expected: Expected) -> Self {
        FieldError {
            field,
            value: value.into(),
            expected,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "column {}: value '{}': {}",
            self.field, self.value, self.expected
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely_but_exactly_by_name() {
        assert_eq!(Field::from_header("  Case_Ref "), Some(Field::CaseRef));
        assert_eq!(Field::from_header("HOME_LOST_ON"), Some(Field::HomeLostOn));
        assert_eq!(Field::from_header("home lost on"), None);
        assert_eq!(Field::ALL.len(), 26);
        let required: Vec<_> = Field::ALL
            .iter()
            .filter(|f| f.is_required())
            .map(|f| f.name())
            .collect();
        assert_eq!(
            required,
            ["case_ref", "organisation", "reported_on", "children_count"]
        );
    }
}
