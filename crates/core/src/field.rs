//! The fields of a case, named as the interchange columns name them.
//!
//! Errors point at a field; the interchange reader turns that into a column and line, the web form
//! (later) into the input to highlight. One list keeps both in step with the spec.

use std::fmt;

use crate::expected::Expected;

/// Declares the columns of an interchange file as an enum `$list`: each with its name in files,
/// whether it is required, and its Dutch and English label. Used for the cases file ([`Field`])
/// and the children file (`crate::child::ChildField`). A list that starts with `case key;` starts
/// with the two columns that name a case (`case_ref`, `organisation`), defined once here.
macro_rules! fields {
    (
        $(#[$meta:meta])*
        $list:ident { case key; $( $variant:ident = $name:literal, $required:literal, $nl:literal, $en:literal; )+ }
    ) => {
        crate::field::fields! {
            $(#[$meta])*
            $list {
                CaseRef = "case_ref", true, "Referentie", "Reference";
                Organisation = "organisation", true, "Organisatie", "Organisation";
                $( $variant = $name, $required, $nl, $en; )+
            }
        }
    };
    (
        $(#[$meta:meta])*
        $list:ident { $( $variant:ident = $name:literal, $required:literal, $nl:literal, $en:literal; )+ }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $list { $($variant),+ }

        impl $list {
            /// All fields, in the column order of the spec (and of exported files).
            pub const ALL: &'static [$list] = &[$($list::$variant),+];

            /// The interchange column name.
            pub fn name(self) -> &'static str {
                match self { $($list::$variant => $name),+ }
            }

            /// The column's label for people, as the second header row of an export asked for
            /// with labels (`dakwacht export --labels nl`) shows it. Files are read by name, never
            /// by label.
            pub fn label(self, lang: crate::codes::Lang) -> &'static str {
                match lang {
                    crate::codes::Lang::Nl => match self { $($list::$variant => $nl),+ },
                    crate::codes::Lang::En => match self { $($list::$variant => $en),+ },
                }
            }

            /// Whether a file must have this column and every row a value in it.
            pub fn is_required(self) -> bool {
                match self { $($list::$variant => $required),+ }
            }

            /// Finds a column by header name: case-insensitive, surrounding spaces ignored.
            pub fn from_header(header: &str) -> Option<$list> {
                let header = header.trim();
                $( if header.eq_ignore_ascii_case($name) { return Some($list::$variant); } )+
                None
            }
        }

        impl std::fmt::Display for $list {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

pub(crate) use fields;

fields! {
    /// One column of the cases file, one field of a case.
    Field {
    case key;
    ReportedOn = "reported_on", true, "Gemeld op", "Reported on";
    Municipality = "municipality", false, "Gemeente", "Municipality";
    Household = "household", false, "Huishouden", "Household";
    ChildrenCount = "children_count", true, "Aantal kinderen", "Number of children";
    ChildrenAges = "children_ages", false, "Leeftijden van de kinderen", "Ages of the children";
    Tenancy = "tenancy", false, "Soort verhuur", "Tenancy";
    HomeLostOn = "home_lost_on", false, "Woning kwijt op", "Home lost on";
    Route = "route", false, "Hoe de woning verloren ging", "How the home was lost";
    MainReason = "main_reason", false, "Belangrijkste reden", "Main reason";
    OtherReasons = "other_reasons", false, "Andere redenen", "Other reasons";
    LegalSupport = "legal_support", false, "Juridische hulp", "Legal support";
    DefaultJudgment = "default_judgment", false, "Uitspraak bij verstek", "Default judgment";
    AlternativeOffered = "alternative_offered", false, "Aangeboden in plaats van de woning", "Offered instead of the home";
    SituationAfter = "situation_after", false, "Verblijf direct na het verlies", "Stay right after the loss";
    CurrentSituation = "current_situation", false, "Verblijft nu", "Stays now";
    LastSeenOn = "last_seen_on", false, "Laatst gezien op", "Last seen on";
    LastSeenSituation = "last_seen_situation", false, "Verbleef toen", "Stayed then";
    RehousedOn = "rehoused_on", false, "Opnieuw gehuisvest op", "Rehoused on";
    ChildHeard = "child_heard", false, "Kinderen gehoord", "Children heard";
    BestInterestWeighed = "best_interest_weighed", false, "Belang van het kind afgewogen", "Best interest weighed";
    FamilySeparated = "family_separated", false, "Kinderen en ouders gescheiden", "Children and parents separated";
    ShelterRefusedNoBinding = "shelter_refused_no_binding", false, "Opvang geweigerd wegens geen regiobinding", "Shelter refused for lack of regional ties";
    SchoolDisrupted = "school_disrupted", false, "Schoolgang verstoord", "School disrupted";
    Notes = "notes", false, "Aantekeningen", "Notes";
    }
}

/// A problem with one value of a file or form: its column (a case's [`Field`], a child's
/// `ChildField`), the value as given, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnError<F> {
    pub field: F,
    pub value: String,
    pub expected: Expected,
}

/// A problem with one field of a case.
pub type FieldError = ColumnError<Field>;

impl<F> ColumnError<F> {
    pub fn new(field: F, value: impl Into<String>, expected: Expected) -> Self {
        ColumnError {
            field,
            value: value.into(),
            expected,
        }
    }
}

impl<F: fmt::Display> fmt::Display for ColumnError<F> {
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

    #[test]
    fn every_column_has_a_dutch_label_that_is_not_a_column_name() {
        use crate::codes::Lang;
        for field in Field::ALL {
            assert!(!field.label(Lang::En).is_empty(), "{field}");
            // A Dutch labels row must never read as a header.
            let label = field.label(Lang::Nl);
            assert!(!label.is_empty(), "{field}");
            assert_eq!(Field::from_header(label), None, "{label}");
        }
        assert_eq!(Field::CurrentSituation.label(Lang::Nl), "Verblijft nu");
    }
}
