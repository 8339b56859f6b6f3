//! Which columns a file has, and what importing it does to a case that exists already.
//!
//! The interchange spec: "a column absent from the file leaves that field as it is; an empty cell
//! (or `unknown`) in a present column sets it to unknown." A four-column update must never wipe the
//! other twenty-two fields of a case, notes included.

use std::collections::BTreeSet;

use crate::case::Case;
use crate::field::Field;

/// The columns of one file: the case fields it sets and its free `x_` columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSet {
    /// Bit `field as usize` is set when the file has that field's column.
    fields: u32,
    /// The file's `x_` columns (lower-case); `None` = the incoming case carries all of them (a case
    /// saved whole, by hand or through the API), so its extra columns replace the stored ones.
    extra: Option<BTreeSet<String>>,
}

// Every field fits in the bit set.
const _: () = assert!(Field::ALL.len() <= 32);

impl ColumnSet {
    /// Every field and every extra column: the incoming case replaces the stored one.
    pub fn all() -> Self {
        ColumnSet {
            fields: Field::ALL
                .iter()
                .fold(0, |bits, &field| bits | (1 << field as u32)),
            extra: None,
        }
    }

    /// The columns of a file: these fields and these `x_` columns.
    pub fn of(
        fields: impl IntoIterator<Item = Field>,
        extra: impl IntoIterator<Item = String>,
    ) -> Self {
        ColumnSet {
            fields: fields
                .into_iter()
                .fold(0, |bits, field| bits | (1 << field as u32)),
            extra: Some(extra.into_iter().collect()),
        }
    }

    /// Whether the file has this field's column.
    pub fn has(&self, field: Field) -> bool {
        self.fields & (1 << field as u32) != 0
    }

    /// Whether every field is present (the incoming case is complete).
    pub fn is_complete(&self) -> bool {
        Field::ALL.iter().all(|&field| self.has(field)) && self.extra.is_none()
    }

    /// The fields the file has not, in column order.
    pub fn absent(&self) -> impl Iterator<Item = Field> + '_ {
        Field::ALL.iter().copied().filter(|&field| !self.has(field))
    }
}

impl Case {
    /// This stored case after importing `incoming` from a file with `columns`: the fields of the
    /// file's columns come from `incoming` (an empty cell made them unknown), every other field
    /// stays as stored. Observations recorded in dakwacht are never part of a file and stay.
    pub fn updated_by(&self, incoming: &Case, columns: &ColumnSet) -> Case {
        let mut merged = incoming.clone();
        for field in columns.absent() {
            merged.keep_field(self, field);
        }
        // The date and the situation of the last sighting are one fact: a file with either column
        // sets both (the reader refuses a date without its situation and the reverse).
        if !columns.has(Field::LastSeenOn) && !columns.has(Field::LastSeenSituation) {
            merged.last_seen = self.last_seen;
        }
        merged.extra = match &columns.extra {
            None => incoming.extra.clone(),
            Some(names) => {
                let mut extra = self.extra.clone();
                extra.retain(|name, _| !names.contains(name));
                extra.extend(
                    incoming
                        .extra
                        .iter()
                        .filter(|(name, _)| names.contains(*name))
                        .map(|(name, value)| (name.clone(), value.clone())),
                );
                extra
            }
        };
        merged.observations = self.observations.clone();
        merged
    }

    /// Takes one field's value from `stored`.
    fn keep_field(&mut self, stored: &Case, field: Field) {
        match field {
            Field::CaseRef => self.case_ref = stored.case_ref.clone(),
            Field::Organisation => self.organisation = stored.organisation.clone(),
            Field::ReportedOn => self.reported_on = stored.reported_on,
            Field::Municipality => self.municipality = stored.municipality.clone(),
            Field::Household => self.household = stored.household,
            Field::ChildrenCount => self.children.count = stored.children.count,
            Field::ChildrenAges => self.children.ages = stored.children.ages.clone(),
            Field::Tenancy => self.tenancy = stored.tenancy,
            Field::HomeLostOn => self.home_lost_on = stored.home_lost_on,
            Field::Route => self.route = stored.route,
            Field::MainReason => self.main_reason = stored.main_reason,
            Field::OtherReasons => self.other_reasons = stored.other_reasons.clone(),
            Field::LegalSupport => self.legal_support = stored.legal_support,
            Field::DefaultJudgment => self.default_judgment = stored.default_judgment,
            Field::AlternativeOffered => self.alternative_offered = stored.alternative_offered,
            Field::SituationAfter => self.situation_after = stored.situation_after,
            Field::CurrentSituation => self.current_situation = stored.current_situation,
            // One fact, two columns: see `updated_by`.
            Field::LastSeenOn | Field::LastSeenSituation => {}
            Field::RehousedOn => self.rehoused_on = stored.rehoused_on,
            Field::ChildHeard => self.child_heard = stored.child_heard,
            Field::BestInterestWeighed => self.best_interest_weighed = stored.best_interest_weighed,
            Field::FamilySeparated => self.family_separated = stored.family_separated,
            Field::ShelterRefusedNoBinding => {
                self.shelter_refused_no_binding = stored.shelter_refused_no_binding;
            }
            Field::SchoolDisrupted => self.school_disrupted = stored.school_disrupted,
            Field::Notes => self.notes = stored.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseRef, LastSeen, Notes, OrganisationName};
    use crate::codes::{LivingSituation, Route, Tenancy};
    use crate::date::{DateOrMonth, parse_date};

    /// Case R-1 of Org with only its required fields.
    fn case(reported_on: &str, children: u8) -> Case {
        Case::new(
            CaseRef::parse("R-1").unwrap(),
            OrganisationName::parse("Org").unwrap(),
            parse_date(reported_on).unwrap(),
            children,
        )
    }

    fn stored() -> Case {
        let mut case = case("2025-01-10", 2);
        case.tenancy = Some(Tenancy::Private);
        case.route = Some(Route::CourtEviction);
        case.home_lost_on = DateOrMonth::parse("2024-11");
        case.notes = Notes::parse("gesprek met moeder");
        case.last_seen = Some(LastSeen {
            on: parse_date("2024-12-01").unwrap(),
            situation: LivingSituation::Car,
        });
        case.extra.insert("x_team".into(), "noord".into());
        case.extra.insert("x_wijk".into(), "oost".into());
        case
    }

    fn incoming() -> Case {
        let mut case = case("2025-02-01", 3);
        case.current_situation = Some(LivingSituation::FamilyShelter);
        case.extra.insert("x_team".into(), "zuid".into());
        case
    }

    #[test]
    fn absent_columns_keep_the_stored_values() {
        let columns = ColumnSet::of(
            [
                Field::CaseRef,
                Field::Organisation,
                Field::ReportedOn,
                Field::ChildrenCount,
                Field::CurrentSituation,
            ],
            ["x_team".to_string()],
        );
        let merged = stored().updated_by(&incoming(), &columns);
        assert_eq!(merged.children.count, 3);
        assert_eq!(merged.text(Field::ReportedOn), "2025-02-01");
        assert_eq!(
            merged.current_situation,
            Some(LivingSituation::FamilyShelter)
        );
        assert_eq!(merged.tenancy, Some(Tenancy::Private));
        assert_eq!(merged.route, Some(Route::CourtEviction));
        assert_eq!(merged.text(Field::Notes), "gesprek met moeder");
        assert_eq!(merged.last_seen, stored().last_seen);
        assert_eq!(merged.extra.get("x_team").map(String::as_str), Some("zuid"));
        assert_eq!(merged.extra.get("x_wijk").map(String::as_str), Some("oost"));
        assert!(!columns.is_complete());
    }

    #[test]
    fn an_empty_cell_in_a_present_column_makes_the_field_unknown() {
        let columns = ColumnSet::of(
            Field::ALL.iter().copied().filter(|f| *f != Field::Tenancy),
            ["x_wijk".to_string()],
        );
        let merged = stored().updated_by(&incoming(), &columns);
        assert_eq!(merged.notes, None, "notes column present and empty");
        assert_eq!(merged.route, None);
        assert_eq!(merged.last_seen, None);
        assert_eq!(merged.tenancy, Some(Tenancy::Private), "absent column");
        assert_eq!(merged.extra.get("x_wijk"), None, "present and empty");
        assert_eq!(
            merged.extra.get("x_team").map(String::as_str),
            Some("noord")
        );
    }

    #[test]
    fn a_whole_case_replaces_the_stored_one() {
        let merged = stored().updated_by(&incoming(), &ColumnSet::all());
        assert_eq!(merged, incoming());
        assert!(ColumnSet::all().is_complete());
    }

    #[test]
    fn either_last_seen_column_sets_the_sighting() {
        let columns = ColumnSet::of(
            [
                Field::CaseRef,
                Field::Organisation,
                Field::ReportedOn,
                Field::ChildrenCount,
                Field::LastSeenOn,
            ],
            [],
        );
        assert_eq!(stored().updated_by(&incoming(), &columns).last_seen, None);
    }
}
