//! A family case: everything the interchange format holds, typed.
//!
//! Values are parsed into types that cannot hold invalid data ([`CaseRef`], [`ChildAge`], the code
//! lists); rules that span several fields (dates in order, `default_judgment` only after a court
//! case, …) are checked by [`Case::check`], which the importer and the web form both use.

use std::collections::BTreeMap;
use std::fmt;

use crate::codes::{
    Alternative, FamilySeparated, Household, LegalSupport, LivingSituation, Reason, Route, Tenancy,
};
use crate::date::{Date, DateOrMonth, format_date};
use crate::expected::Expected;
use crate::field::{Field, FieldError};
use crate::timeline::{Observation, ObservationSource};

/// Checks a trimmed text's length in characters (not bytes: Dutch names have accents).
fn bounded_text(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    let chars = text.chars().count();
    (chars >= 1 && chars <= max).then(|| text.to_string())
}

macro_rules! text_newtype {
    ($(#[$meta:meta])* $name:ident, $max:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Maximum length in characters.
            pub const MAX_CHARS: usize = $max;

            /// Accepts a text of 1 to `MAX_CHARS` characters after trimming.
            pub fn parse(text: &str) -> Option<Self> {
                bounded_text(text, $max).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_newtype! {
    /// The organisation's own reference for a case (never a personal name).
    CaseRef, 64
}
text_newtype! {
    /// The reporting organisation's name.
    OrganisationName, 120
}
text_newtype! {
    /// Free-text notes. May be sensitive: never part of aggregate output or logs.
    Notes, 4000
}
text_newtype! {
    /// A municipality (gemeente) as written by the reporter.
    Municipality, 120
}

impl Municipality {
    /// The form used to compare municipalities: trimmed and lower-case, so that `Den Haag` and
    /// `den haag ` are one municipality.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A child's age: 0–17, or `?` when not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChildAge {
    Known(u8),
    Unknown,
}

impl ChildAge {
    pub const MAX: u8 = 17;

    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text == "?" {
            return Some(ChildAge::Unknown);
        }
        match text.parse::<u8>() {
            Ok(age) if age <= Self::MAX && !text.starts_with('+') => Some(ChildAge::Known(age)),
            _ => None,
        }
    }
}

impl fmt::Display for ChildAge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildAge::Known(age) => write!(f, "{age}"),
            ChildAge::Unknown => f.write_str("?"),
        }
    }
}

/// The minor children of the household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Children {
    /// Number of minor children, 1–20.
    pub count: u8,
    /// Their ages, when the reporter gave them; then exactly `count` entries.
    pub ages: Option<Vec<ChildAge>>,
}

impl Children {
    pub const MAX_COUNT: u8 = 20;

    pub fn parse_count(text: &str) -> Option<u8> {
        match text.trim().parse::<u8>() {
            Ok(n) if (1..=Self::MAX_COUNT).contains(&n) => Some(n),
            _ => None,
        }
    }

    /// Children whose age is not known: a `?`, or every child when no ages were given.
    pub fn age_unknown(&self) -> u8 {
        match &self.ages {
            None => self.count,
            Some(ages) => ages.iter().filter(|a| **a == ChildAge::Unknown).count() as u8,
        }
    }

    /// Parses ages in interchange notation, `2;5;?` (the inverse of [`Children::ages_text`]).
    pub fn parse_ages(text: &str) -> Option<Vec<ChildAge>> {
        text.split(';').map(ChildAge::parse).collect()
    }

    /// The ages in interchange notation, `2;5;?`.
    pub fn ages_text(&self) -> Option<String> {
        self.ages.as_ref().map(|ages| {
            ages.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";")
        })
    }
}

/// The last time the family's situation was known, when it is not known today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastSeen {
    pub on: Date,
    pub situation: LivingSituation,
}

/// A family case, as reported by one organisation.
///
/// Living situations: the interchange columns `situation_after`, `current_situation`,
/// `last_seen_*` and `rehoused_on` are the fixed points of the family's timeline;
/// `observations` holds any further observations recorded over time. [`Case::timeline`] gives all
/// of them in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub case_ref: CaseRef,
    pub organisation: OrganisationName,
    pub reported_on: Date,
    pub municipality: Option<Municipality>,
    pub household: Option<Household>,
    pub children: Children,
    pub tenancy: Option<Tenancy>,
    pub home_lost_on: Option<DateOrMonth>,
    pub route: Option<Route>,
    pub main_reason: Option<Reason>,
    pub other_reasons: Vec<Reason>,
    pub legal_support: Option<LegalSupport>,
    pub default_judgment: Option<bool>,
    pub alternative_offered: Option<Alternative>,
    pub situation_after: Option<LivingSituation>,
    /// Where the family stays on `reported_on`; `None` = out of view.
    pub current_situation: Option<LivingSituation>,
    pub last_seen: Option<LastSeen>,
    pub rehoused_on: Option<Date>,
    pub child_heard: Option<bool>,
    pub best_interest_weighed: Option<bool>,
    pub family_separated: Option<FamilySeparated>,
    pub shelter_refused_no_binding: Option<bool>,
    pub school_disrupted: Option<bool>,
    pub notes: Option<Notes>,
    /// Observations beyond the interchange columns (recorded by professionals over time).
    pub observations: Vec<Observation>,
    /// Free extra columns (`x_…`) of an imported file, by lower-case column name; kept so an
    /// export gives them back.
    pub extra: BTreeMap<String, String>,
}

impl Case {
    /// A minimal case: the required fields, everything else unknown.
    pub fn new(
        case_ref: CaseRef,
        organisation: OrganisationName,
        reported_on: Date,
        children_count: u8,
    ) -> Self {
        Case {
            case_ref,
            organisation,
            reported_on,
            municipality: None,
            household: None,
            children: Children {
                count: children_count,
                ages: None,
            },
            tenancy: None,
            home_lost_on: None,
            route: None,
            main_reason: None,
            other_reasons: Vec::new(),
            legal_support: None,
            default_judgment: None,
            alternative_offered: None,
            situation_after: None,
            current_situation: None,
            last_seen: None,
            rehoused_on: None,
            child_heard: None,
            best_interest_weighed: None,
            family_separated: None,
            shelter_refused_no_binding: None,
            school_disrupted: None,
            notes: None,
            observations: Vec::new(),
            extra: BTreeMap::new(),
        }
    }

    /// Out of view: the family's current situation is not known while it has not been rehoused.
    pub fn is_out_of_view(&self) -> bool {
        self.current_situation.is_none() && self.rehoused_on.is_none()
    }

    /// The family's living situations over time, in date order (undated ones first).
    pub fn timeline(&self) -> Vec<Observation> {
        let mut timeline = Vec::with_capacity(4 + self.observations.len());
        if let Some(situation) = self.situation_after {
            timeline.push(Observation {
                on: self.home_lost_on,
                situation,
                source: ObservationSource::AfterLoss,
            });
        }
        if let Some(seen) = self.last_seen {
            timeline.push(Observation {
                on: Some(seen.on.into()),
                situation: seen.situation,
                source: ObservationSource::LastSeen,
            });
        }
        if let Some(on) = self.rehoused_on {
            timeline.push(Observation {
                on: Some(on.into()),
                situation: LivingSituation::Housed,
                source: ObservationSource::Rehoused,
            });
        }
        if let Some(situation) = self.current_situation {
            timeline.push(Observation {
                on: Some(self.reported_on.into()),
                situation,
                source: ObservationSource::Report,
            });
        }
        // A recorded stay sets the report and last contact to itself (`after_stay`): the same
        // news is shown once, as recorded.
        let recorded = |o: &Observation| {
            self.observations
                .iter()
                .any(|r| r.on == o.on && r.situation == o.situation)
        };
        timeline.retain(|o| !recorded(o));
        if let (Some(seen), Some(now)) = (self.last_seen, self.current_situation) {
            let same = seen.on == self.reported_on && seen.situation == now;
            timeline.retain(|o| !(same && o.source == ObservationSource::LastSeen));
        }
        timeline.extend(self.observations.iter().copied());
        timeline.sort_by(|a, b| match (a.on, b.on) {
            (Some(x), Some(y)) => x.compare(y),
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        timeline
    }

    /// Checks the rules that span several fields. Returns every problem, not just the first.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let reported = DateOrMonth::Day(self.reported_on);
        let reported_text = format_date(self.reported_on);

        let not_after_reported =
            |field: Field, value: DateOrMonth, errors: &mut Vec<FieldError>| {
                if value.compare(reported).is_gt() {
                    errors.push(FieldError::new(
                        field,
                        value.to_string(),
                        Expected::NotAfterReported {
                            reported_on: reported_text.clone(),
                        },
                    ));
                }
            };
        let not_before_loss = |field: Field, value: DateOrMonth, errors: &mut Vec<FieldError>| {
            if let Some(lost) = self.home_lost_on
                && value.compare(lost).is_lt()
            {
                errors.push(FieldError::new(
                    field,
                    value.to_string(),
                    Expected::NotBeforeLoss {
                        home_lost_on: lost.to_string(),
                    },
                ));
            }
        };

        if let Some(lost) = self.home_lost_on {
            not_after_reported(Field::HomeLostOn, lost, &mut errors);
        }
        if let Some(seen) = self.last_seen {
            not_after_reported(Field::LastSeenOn, seen.on.into(), &mut errors);
            not_before_loss(Field::LastSeenOn, seen.on.into(), &mut errors);
        }
        if let Some(rehoused) = self.rehoused_on {
            not_after_reported(Field::RehousedOn, rehoused.into(), &mut errors);
            not_before_loss(Field::RehousedOn, rehoused.into(), &mut errors);
        }

        if let Some(ages) = &self.children.ages
            && ages.len() != usize::from(self.children.count)
        {
            errors.push(FieldError::new(
                Field::ChildrenAges,
                self.children.ages_text().unwrap_or_default(),
                Expected::AgesPerChild {
                    count: self.children.count,
                },
            ));
        }

        if let Some(default_judgment) = self.default_judgment
            && self.route != Some(Route::CourtEviction)
        {
            errors.push(FieldError::new(
                Field::DefaultJudgment,
                crate::codes::yes_no_code(default_judgment),
                Expected::DefaultJudgmentNeedsCourt {
                    route: self.route.map_or("unknown", Route::code).to_string(),
                },
            ));
        }

        if let Some(main) = self.main_reason
            && self.other_reasons.contains(&main)
        {
            errors.push(FieldError::new(
                Field::OtherReasons,
                join_reasons(&self.other_reasons),
                Expected::OtherThanMainReason {
                    main: main.to_string(),
                },
            ));
        }
        let mut seen = Vec::with_capacity(self.other_reasons.len());
        for reason in &self.other_reasons {
            if seen.contains(reason) {
                errors.push(FieldError::new(
                    Field::OtherReasons,
                    join_reasons(&self.other_reasons),
                    Expected::ReasonOnce {
                        reason: reason.to_string(),
                    },
                ));
                break;
            }
            seen.push(*reason);
        }
        errors
    }
}

impl Case {
    /// A field's value as the interchange format writes it; empty when unknown.
    pub fn text(&self, field: Field) -> String {
        fn opt<T: ToString>(v: Option<T>) -> String {
            v.map_or(String::new(), |c| c.to_string())
        }
        let yes_no = |v: Option<bool>| opt(v.map(crate::codes::yes_no_code));
        match field {
            Field::CaseRef => self.case_ref.to_string(),
            Field::Organisation => self.organisation.to_string(),
            Field::ReportedOn => format_date(self.reported_on),
            Field::Municipality => opt(self.municipality.as_ref()),
            Field::Household => opt(self.household),
            Field::ChildrenCount => self.children.count.to_string(),
            Field::ChildrenAges => self.children.ages_text().unwrap_or_default(),
            Field::Tenancy => opt(self.tenancy),
            Field::HomeLostOn => opt(self.home_lost_on),
            Field::Route => opt(self.route),
            Field::MainReason => opt(self.main_reason),
            Field::OtherReasons => join_reasons(&self.other_reasons),
            Field::LegalSupport => opt(self.legal_support),
            Field::DefaultJudgment => yes_no(self.default_judgment),
            Field::AlternativeOffered => opt(self.alternative_offered),
            Field::SituationAfter => opt(self.situation_after),
            Field::CurrentSituation => opt(self.current_situation),
            Field::LastSeenOn => opt(self.last_seen.map(|s| format_date(s.on))),
            Field::LastSeenSituation => opt(self.last_seen.map(|s| s.situation)),
            Field::RehousedOn => opt(self.rehoused_on.map(format_date)),
            Field::ChildHeard => yes_no(self.child_heard),
            Field::BestInterestWeighed => yes_no(self.best_interest_weighed),
            Field::FamilySeparated => opt(self.family_separated),
            Field::ShelterRefusedNoBinding => yes_no(self.shelter_refused_no_binding),
            Field::SchoolDisrupted => yes_no(self.school_disrupted),
            Field::Notes => opt(self.notes.as_ref()),
        }
    }

    /// The case after news of where the family stays. A stay dated to the day and no older than
    /// the case's report date is the situation now: it becomes the report date, the situation and
    /// the last contact, and a stay in an adequate home is the rehousing unless one was recorded.
    /// An older stay of a family out of view moves its last contact forward. Anything else (an
    /// undated stay, one known only to the month, an older one) joins the timeline only.
    pub fn after_stay(&self, stay: &Observation) -> Case {
        let mut case = self.clone();
        let Some(DateOrMonth::Day(day)) = stay.on else {
            return case;
        };
        let seen = LastSeen {
            on: day,
            situation: stay.situation,
        };
        if day >= self.reported_on {
            case.reported_on = day;
            case.current_situation = Some(stay.situation);
            case.last_seen = Some(seen);
            if stay.situation == LivingSituation::Housed && case.rehoused_on.is_none() {
                case.rehoused_on = Some(day);
            }
        } else if self.is_out_of_view() && self.last_seen.is_none_or(|last| last.on < day) {
            case.last_seen = Some(seen);
        }
        case
    }

    /// The fields whose interchange value differs between two versions of a case.
    pub fn changed_fields(&self, other: &Case) -> Vec<Field> {
        Field::ALL
            .iter()
            .copied()
            .filter(|&f| self.text(f) != other.text(f))
            .collect()
    }
}

/// Parses reasons in interchange notation, `a;b` (the inverse of [`join_reasons`]).
pub fn parse_reasons(text: &str) -> Option<Vec<Reason>> {
    text.split(';').map(|r| Reason::parse(r.trim())).collect()
}

/// Reasons in interchange notation, `a;b`.
pub fn join_reasons(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| r.code())
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn case() -> Case {
        Case::new(
            CaseRef::parse("R-1").unwrap(),
            OrganisationName::parse("Org").unwrap(),
            parse_date("2025-05-01").unwrap(),
            2,
        )
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_minimal_case_is_valid() {
        assert!(case().check().is_empty());
    }

    #[test]
    fn text_newtypes_bound_their_length_in_characters() {
        assert!(CaseRef::parse(&"é".repeat(64)).is_some());
        assert!(CaseRef::parse(&"é".repeat(65)).is_none());
        assert!(CaseRef::parse("   ").is_none());
        assert_eq!(CaseRef::parse("  R-1 ").unwrap().as_str(), "R-1");
        assert!(OrganisationName::parse(&"a".repeat(120)).is_some());
        assert!(OrganisationName::parse(&"a".repeat(121)).is_none());
        assert!(Notes::parse(&"a".repeat(4000)).is_some());
        assert!(Notes::parse(&"a".repeat(4001)).is_none());
        assert_eq!(Municipality::parse(" Den Haag ").unwrap().key(), "den haag");
    }

    #[test]
    fn list_notations_round_trip() {
        let ages = Children::parse_ages("2;?;17").unwrap();
        assert_eq!(
            Children {
                count: 3,
                ages: Some(ages)
            }
            .ages_text()
            .as_deref(),
            Some("2;?;17")
        );
        assert_eq!(Children::parse_ages("2;;3"), None);
        let reasons = parse_reasons("nuisance; Crime").unwrap();
        assert_eq!(join_reasons(&reasons), "nuisance;crime");
        assert_eq!(parse_reasons("nuisance;debt"), None);
    }

    #[test]
    fn child_ages_are_0_to_17_or_unknown() {
        assert_eq!(ChildAge::parse("0"), Some(ChildAge::Known(0)));
        assert_eq!(ChildAge::parse("17"), Some(ChildAge::Known(17)));
        assert_eq!(ChildAge::parse("?"), Some(ChildAge::Unknown));
        for bad in ["18", "-1", "+3", "2.5", "", "x"] {
            assert_eq!(ChildAge::parse(bad), None, "{bad}");
        }
        assert_eq!(Children::parse_count("0"), None);
        assert_eq!(Children::parse_count("21"), None);
        assert_eq!(Children::parse_count("20"), Some(20));
    }

    #[test]
    fn dates_must_not_be_after_reported_on() {
        let mut c = case();
        c.home_lost_on = DateOrMonth::parse("2025-05-02");
        assert_eq!(fields(&c.check()), [Field::HomeLostOn]);
        c.home_lost_on = DateOrMonth::parse("2025-05");
        assert!(
            c.check().is_empty(),
            "same month at month precision is fine"
        );
        c.rehoused_on = parse_date("2025-06-01");
        c.last_seen = Some(LastSeen {
            on: parse_date("2025-05-02").unwrap(),
            situation: LivingSituation::Car,
        });
        assert_eq!(fields(&c.check()), [Field::LastSeenOn, Field::RehousedOn]);
    }

    #[test]
    fn dates_must_not_be_before_the_loss() {
        let mut c = case();
        c.home_lost_on = DateOrMonth::parse("2025-03-10");
        c.rehoused_on = parse_date("2025-03-09");
        c.last_seen = Some(LastSeen {
            on: parse_date("2025-03-01").unwrap(),
            situation: LivingSituation::Car,
        });
        assert_eq!(fields(&c.check()), [Field::LastSeenOn, Field::RehousedOn]);
        c.home_lost_on = DateOrMonth::parse("2025-03");
        assert!(c.check().is_empty(), "month precision compares months");
    }

    #[test]
    fn ages_must_match_the_count() {
        let mut c = case();
        c.children.ages = Some(vec![ChildAge::Known(3)]);
        let errors = c.check();
        assert_eq!(fields(&errors), [Field::ChildrenAges]);
        assert_eq!(errors[0].value, "3");
        c.children.ages = Some(vec![ChildAge::Known(3), ChildAge::Unknown]);
        assert!(c.check().is_empty());
        assert_eq!(c.children.age_unknown(), 1);
    }

    #[test]
    fn default_judgment_only_after_a_court_case() {
        let mut c = case();
        c.default_judgment = Some(false);
        assert_eq!(fields(&c.check()), [Field::DefaultJudgment]);
        c.route = Some(Route::LeftOther);
        assert_eq!(fields(&c.check()), [Field::DefaultJudgment]);
        c.route = Some(Route::CourtEviction);
        assert!(c.check().is_empty());
    }

    #[test]
    fn other_reasons_neither_repeat_nor_repeat_the_main_reason() {
        let mut c = case();
        c.main_reason = Some(Reason::Nuisance);
        c.other_reasons = vec![Reason::RentArrears, Reason::Nuisance];
        assert_eq!(fields(&c.check()), [Field::OtherReasons]);
        c.other_reasons = vec![Reason::RentArrears, Reason::RentArrears];
        assert_eq!(fields(&c.check()), [Field::OtherReasons]);
        c.other_reasons = vec![Reason::RentArrears, Reason::Crime];
        assert!(c.check().is_empty());
    }

    fn stay(on: &str, situation: LivingSituation) -> Observation {
        Observation {
            on: DateOrMonth::parse(on),
            situation,
            source: ObservationSource::Recorded,
        }
    }

    #[test]
    fn the_latest_stay_is_the_situation_now_and_the_last_contact() {
        let mut c = case();
        c.home_lost_on = DateOrMonth::parse("2024-03");
        c.situation_after = Some(LivingSituation::SocialNetwork);
        assert!(c.is_out_of_view());
        let after = c.after_stay(&stay("2025-06-10", LivingSituation::Car));
        assert_eq!(after.reported_on, parse_date("2025-06-10").unwrap());
        assert_eq!(after.current_situation, Some(LivingSituation::Car));
        assert_eq!(
            after.last_seen.map(|s| s.situation),
            Some(LivingSituation::Car)
        );
        assert!(!after.is_out_of_view());
        assert!(after.check().is_empty(), "{:?}", after.check());

        // A stay in an adequate home is the rehousing, unless one was recorded.
        let housed = after.after_stay(&stay("2025-08-01", LivingSituation::Housed));
        assert_eq!(housed.rehoused_on, parse_date("2025-08-01"));
        let mut rehoused = after.clone();
        rehoused.rehoused_on = parse_date("2025-07-01");
        let again = rehoused.after_stay(&stay("2025-08-01", LivingSituation::Housed));
        assert_eq!(again.rehoused_on, parse_date("2025-07-01"));

        // Older news of a family in view, undated news, news known to the month: timeline only.
        assert_eq!(
            after.after_stay(&stay("2025-05-02", LivingSituation::Hotel)),
            after
        );
        assert_eq!(
            after.after_stay(&stay("2025-09", LivingSituation::Hotel)),
            after
        );
        let undated = Observation {
            on: None,
            ..stay("2025-09-01", LivingSituation::Hotel)
        };
        assert_eq!(after.after_stay(&undated), after);

        // Older news of a family out of view moves its last contact forward, never back.
        let seen = c.after_stay(&stay("2025-04-01", LivingSituation::Car));
        assert_eq!(seen.reported_on, c.reported_on);
        assert_eq!(seen.current_situation, None);
        assert_eq!(seen.last_seen.map(|s| s.on), parse_date("2025-04-01"));
        assert_eq!(
            seen.after_stay(&stay("2025-03-01", LivingSituation::Hotel)),
            seen
        );

        // The recorded stay is on the timeline once, not also as the report and last contact.
        let mut recorded = after.clone();
        recorded
            .observations
            .push(stay("2025-06-10", LivingSituation::Car));
        let sources: Vec<_> = recorded.timeline().iter().map(|o| o.source).collect();
        assert_eq!(
            sources,
            [ObservationSource::AfterLoss, ObservationSource::Recorded]
        );
    }

    #[test]
    fn the_timeline_orders_the_interchange_observations() {
        let mut c = case();
        c.home_lost_on = DateOrMonth::parse("2024-03");
        c.situation_after = Some(LivingSituation::SocialNetwork);
        c.last_seen = Some(LastSeen {
            on: parse_date("2024-09-01").unwrap(),
            situation: LivingSituation::Car,
        });
        c.current_situation = Some(LivingSituation::FamilyShelter);
        let sources: Vec<_> = c.timeline().iter().map(|o| o.source).collect();
        assert_eq!(
            sources,
            [
                ObservationSource::AfterLoss,
                ObservationSource::LastSeen,
                ObservationSource::Report
            ]
        );
        assert!(!c.is_out_of_view());
        c.current_situation = None;
        assert!(c.is_out_of_view());
    }
}
