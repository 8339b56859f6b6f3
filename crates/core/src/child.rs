//! A child of a family case as a person of its own (spec `children.md`): where it stays, its
//! schooling, whether it was heard and whether its interest was weighed. No names and no birth
//! dates: the age is enough for every measure (data minimisation, AVG art. 5).

use std::collections::{BTreeMap, BTreeSet};

use crate::case::{Case, CaseRef, ChildAge, Children, Notes, OrganisationName};
use crate::codes::{FamilySeparated, HeardBy, School, StaysWith, yes_no_code};
use crate::expected::Expected;

/// School days missed, at most: two school years.
pub const MAX_SCHOOL_DAYS_MISSED: u16 = 400;

/// Whether a child was heard about the decision that affected the home (IVRK art. 12): by whom
/// is known only of a child that was heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    No,
    Yes { by: Option<HeardBy> },
}

/// A child's schooling since the home was lost: whether it stayed at its school, changed or
/// missed school, and how many days it missed (as far as known; only with a disrupted schooling,
/// see [`Child::check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Schooling {
    pub school: Option<School>,
    pub days_missed: Option<u16>,
}

/// One child's record, keyed by its case and `child_no` (1 to the case's `children_count`, in
/// the order of `children_ages`). Every field but the number may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Child {
    /// Which child of the case: 1 to its `children_count`.
    pub child_no: u8,
    /// Age on the case's `reported_on`.
    pub age: Option<u8>,
    /// Where the child stays now.
    pub stays_with: Option<StaysWith>,
    /// Separated from the parents because of the housing situation.
    pub separated: Option<FamilySeparated>,
    /// How its schooling went since the home was lost, with the days it missed.
    pub schooling: Schooling,
    /// Heard about the decision that affected the home (IVRK art. 12), and by whom.
    pub heard: Option<Heard>,
    /// A best-interest assessment was made for this child (IVRK art. 3).
    pub best_interest_assessed: Option<bool>,
    /// Youth care (jeugdhulp) is involved.
    pub youth_care: Option<bool>,
    /// Free text, sensitive: never in aggregate output.
    pub notes: Option<Notes>,
    /// Free columns of the children file (`x_…`, lower-case names), kept for the round trip.
    pub extra: BTreeMap<String, String>,
    /// A complete best-interest assessment of this child was made in dakwacht (not a column of
    /// the children file: the store keeps it with the record when an assessment is saved). It
    /// counts as `best_interest_assessed = yes` in the figures and the rules.
    pub assessed_in_dakwacht: bool,
}

crate::field::fields! {
    /// A column of the children file, in the order of the spec.
    ChildField {
        case key;
        ChildNo = "child_no", true, "Kind nummer", "Child number";
        Age = "age", false, "Leeftijd", "Age";
        StaysWith = "stays_with", false, "Verblijft bij", "Stays with";
        Separated = "separated", false, "Gescheiden van de ouders", "Separated from the parents";
        School = "school", false, "School", "School";
        SchoolDaysMissed = "school_days_missed", false, "Gemiste schooldagen", "School days missed";
        Heard = "heard", false, "Kind gehoord", "Child heard";
        HeardBy = "heard_by", false, "Gehoord door", "Heard by";
        BestInterestAssessed = "best_interest_assessed", false, "Belang van het kind afgewogen", "Best interest assessed";
        YouthCare = "youth_care", false, "Jeugdhulp betrokken", "Youth care involved";
        Notes = "notes", false, "Aantekeningen", "Notes";
    }
}

/// A child record and the case it belongs to: a row of the children file, or a stored child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRow {
    pub organisation: OrganisationName,
    pub case_ref: CaseRef,
    pub child: Child,
}

impl ChildRow {
    /// A field as the children file writes it (empty when unknown).
    pub fn text(&self, field: ChildField) -> String {
        match field {
            ChildField::CaseRef => self.case_ref.to_string(),
            ChildField::Organisation => self.organisation.to_string(),
            _ => self.child.text(field),
        }
    }
}

/// The columns of one children file: the fields it sets and its free `x_` columns. What an
/// import may change in a stored record; a field without its column stays as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildColumnSet {
    fields: Vec<ChildField>,
    /// `None`: the incoming record carries all of them (a record saved whole).
    extra: Option<BTreeSet<String>>,
}

impl ChildColumnSet {
    /// Every field and free column: the incoming record replaces the stored one.
    pub fn all() -> Self {
        ChildColumnSet {
            fields: ChildField::ALL.to_vec(),
            extra: None,
        }
    }

    /// The columns of a file: these fields and these `x_` columns.
    pub fn of(
        fields: impl IntoIterator<Item = ChildField>,
        extra: impl IntoIterator<Item = String>,
    ) -> Self {
        ChildColumnSet {
            fields: fields.into_iter().collect(),
            extra: Some(extra.into_iter().collect()),
        }
    }

    pub fn has(&self, field: ChildField) -> bool {
        self.fields.contains(&field)
    }
}

/// A value of a child record that breaks a rule: which column, what it held, what it should.
pub type ChildError = crate::field::ColumnError<ChildField>;

impl Child {
    /// A child number of the children file: a whole number from 1 to 20.
    pub fn parse_child_no(text: &str) -> Option<u8> {
        Children::parse_count(text)
    }

    /// School days missed as written in a file: a whole number from 0 to 400.
    pub fn parse_school_days(text: &str) -> Option<u16> {
        match text.trim().parse::<u16>() {
            Ok(days) if days <= MAX_SCHOOL_DAYS_MISSED && !text.trim().starts_with('+') => {
                Some(days)
            }
            _ => None,
        }
    }

    /// A field of the record as the children file writes it (empty when unknown; the case's key
    /// is not the child's: see [`ChildRow::text`]).
    pub fn text(&self, field: ChildField) -> String {
        fn opt<T: ToString>(value: Option<T>) -> String {
            value.map_or(String::new(), |v| v.to_string())
        }
        let code = |code: Option<&'static str>| code.unwrap_or_default().to_string();
        let yes_no = |value: Option<bool>| code(value.map(yes_no_code));
        match field {
            ChildField::CaseRef | ChildField::Organisation => String::new(),
            ChildField::ChildNo => self.child_no.to_string(),
            ChildField::Age => opt(self.age),
            ChildField::StaysWith => code(self.stays_with.map(StaysWith::code)),
            ChildField::Separated => code(self.separated.map(FamilySeparated::code)),
            ChildField::School => code(self.schooling.school.map(School::code)),
            ChildField::SchoolDaysMissed => opt(self.schooling.days_missed),
            ChildField::Heard => yes_no(self.heard.map(|heard| heard != Heard::No)),
            ChildField::HeardBy => code(match self.heard {
                Some(Heard::Yes { by }) => by.map(HeardBy::code),
                _ => None,
            }),
            ChildField::BestInterestAssessed => yes_no(self.best_interest_assessed),
            ChildField::YouthCare => yes_no(self.youth_care),
            ChildField::Notes => opt(self.notes.as_ref()),
        }
    }

    /// This stored record after importing `incoming` from a file with `columns`: the fields of
    /// the file's columns come from `incoming` (an empty cell made them unknown), every other
    /// field stays as stored, so a file with fewer columns loses nothing. Whether and by whom
    /// the child was heard is one fact, as are the school and the days missed: a file with
    /// either column sets both.
    pub fn updated_by(&self, incoming: &Child, columns: &ChildColumnSet) -> Child {
        use ChildField as F;
        let mut merged = incoming.clone();
        let has_either = |a, b| columns.has(a) || columns.has(b);
        if !columns.has(F::Age) {
            merged.age = self.age;
        }
        if !columns.has(F::StaysWith) {
            merged.stays_with = self.stays_with;
        }
        if !columns.has(F::Separated) {
            merged.separated = self.separated;
        }
        if !has_either(F::School, F::SchoolDaysMissed) {
            merged.schooling = self.schooling;
        }
        if !has_either(F::Heard, F::HeardBy) {
            merged.heard = self.heard;
        }
        if !columns.has(F::BestInterestAssessed) {
            merged.best_interest_assessed = self.best_interest_assessed;
        }
        // No file says anything of the assessments made in dakwacht.
        merged.assessed_in_dakwacht = self.assessed_in_dakwacht;
        if !columns.has(F::YouthCare) {
            merged.youth_care = self.youth_care;
        }
        if !columns.has(F::Notes) {
            merged.notes = self.notes.clone();
        }
        if let Some(names) = &columns.extra {
            let mut extra = self.extra.clone();
            extra.retain(|name, _| !names.contains(name));
            extra.extend(
                incoming
                    .extra
                    .iter()
                    .filter(|(name, _)| names.contains(*name))
                    .map(|(name, value)| (name.clone(), value.clone())),
            );
            merged.extra = extra;
        }
        merged
    }

    /// The fields of the record that differ in `other` (the free columns aside).
    pub fn changed_fields(&self, other: &Child) -> Vec<ChildField> {
        ChildField::ALL
            .iter()
            .copied()
            .filter(|&field| self.text(field) != other.text(field))
            .collect()
    }

    /// The record knows more about the child than its age (the measure `child.records`).
    pub fn knows_more_than_age(&self) -> bool {
        // The record as it would be with only its number, its age and its free columns.
        let only_the_age = Child {
            child_no: self.child_no,
            age: self.age,
            extra: self.extra.clone(),
            ..Child::default()
        };
        *self != only_the_age
    }

    /// The rules between the fields of one record (who heard the child is part of whether it
    /// was heard, see [`Heard`]). Returns every problem, not just the first.
    pub fn check(&self) -> Vec<ChildError> {
        let mut errors = Vec::new();
        let Schooling {
            school,
            days_missed,
        } = self.schooling;
        if let Some(days) = days_missed
            && !school.is_some_and(School::is_disrupted)
        {
            errors.push(ChildError::new(
                ChildField::SchoolDaysMissed,
                days.to_string(),
                Expected::SchoolDaysNeedDisruption {
                    school: school.map_or("", School::code).to_string(),
                },
            ));
        }
        errors
    }

    /// The rules between this record and its case: a child the case has, and the age the case
    /// gives it (when both are known).
    pub fn check_in(&self, case: &Case) -> Vec<ChildError> {
        self.check_in_family(&case.children)
    }

    /// [`Child::check_in`] with only the case's children: how many, and their ages.
    pub fn check_in_family(&self, children: &Children) -> Vec<ChildError> {
        let mut errors = self.check();
        let count = children.count;
        if !(1..=count).contains(&self.child_no) {
            errors.push(ChildError::new(
                ChildField::ChildNo,
                self.child_no.to_string(),
                Expected::ChildNo { max: count },
            ));
            return errors;
        }
        let in_case = children
            .ages
            .as_ref()
            .and_then(|ages| ages.get(usize::from(self.child_no) - 1));
        if let (Some(age), Some(ChildAge::Known(given))) = (self.age, in_case)
            && age != *given
        {
            errors.push(ChildError::new(
                ChildField::Age,
                age.to_string(),
                Expected::AgeAsInCase { age: *given },
            ));
        }
        errors
    }

    /// The child's age: from its record, else from the case's `children_ages`.
    pub fn age_in(&self, case: &Case) -> Option<u8> {
        self.age.or_else(|| {
            match case
                .children
                .ages
                .as_ref()?
                .get(usize::from(self.child_no).checked_sub(1)?)?
            {
                ChildAge::Known(age) => Some(*age),
                ChildAge::Unknown => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case_with_ages(ages: &str) -> Case {
        let ages = Children::parse_ages(ages).unwrap();
        let mut case = Case::new(
            crate::case::CaseRef::parse("A").unwrap(),
            crate::case::OrganisationName::parse("Org").unwrap(),
            jiff::civil::date(2025, 4, 3),
            ages.len() as u8,
        );
        case.children.ages = Some(ages);
        case
    }

    #[test]
    fn school_days_only_with_a_disrupted_schooling() {
        let mut child = Child {
            child_no: 1,
            schooling: Schooling {
                school: Some(School::AttendsSame),
                days_missed: Some(3),
            },
            ..Child::default()
        };
        let fields: Vec<ChildField> = child.check().iter().map(|e| e.field).collect();
        assert_eq!(fields, [ChildField::SchoolDaysMissed]);
        child.schooling.school = Some(School::MissingSchool);
        assert_eq!(child.check(), []);
        // Unknown is not "no": days missed with an unknown schooling are refused too.
        child.schooling.school = None;
        assert_eq!(child.check().len(), 1);
    }

    #[test]
    fn a_child_is_one_the_case_has_with_the_age_the_case_gives() {
        let case = case_with_ages("4;9;?");
        let child = |child_no, age| Child {
            child_no,
            age,
            ..Child::default()
        };
        assert_eq!(child(2, Some(9)).check_in(&case), []);
        assert_eq!(child(3, Some(12)).check_in(&case), [], "? leaves it open");
        assert_eq!(child(1, None).age_in(&case), Some(4), "from the case");
        assert_eq!(child(3, None).age_in(&case), None);
        let wrong_age = child(2, Some(8)).check_in(&case);
        assert_eq!(
            wrong_age,
            [ChildError::new(
                ChildField::Age,
                "8",
                Expected::AgeAsInCase { age: 9 }
            )]
        );
        let too_many = child(4, None).check_in(&case);
        assert_eq!(too_many[0].expected, Expected::ChildNo { max: 3 });
    }

    #[test]
    fn numbers_are_read_within_their_range() {
        assert_eq!(Child::parse_child_no("20"), Some(20));
        assert_eq!(Child::parse_child_no("0"), None);
        assert_eq!(Child::parse_child_no("21"), None);
        assert_eq!(Child::parse_school_days("400"), Some(400));
        assert_eq!(Child::parse_school_days("401"), None);
        assert_eq!(Child::parse_school_days("+3"), None);
        assert_eq!(Child::parse_school_days("-1"), None);
    }

    #[test]
    fn a_record_of_only_an_age_knows_no_more_than_the_age() {
        let mut child = Child {
            child_no: 1,
            age: Some(5),
            ..Child::default()
        };
        assert!(!child.knows_more_than_age());
        child.youth_care = Some(false);
        assert!(child.knows_more_than_age(), "a known 'no' is knowledge");
    }

    #[test]
    fn columns_are_found_by_name() {
        for &field in ChildField::ALL {
            assert_eq!(ChildField::from_header(field.name()), Some(field));
            assert_ne!(field.label(crate::codes::Lang::Nl), field.name());
        }
        assert_eq!(
            ChildField::from_header(" Child_No "),
            Some(ChildField::ChildNo)
        );
        assert_eq!(ChildField::from_header("name"), None);
        let required: Vec<&str> = ChildField::ALL
            .iter()
            .filter(|f| f.is_required())
            .map(|f| f.name())
            .collect();
        assert_eq!(required, ["case_ref", "organisation", "child_no"]);
    }
}
