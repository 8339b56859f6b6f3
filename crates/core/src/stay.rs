//! Stays recorded by professionals, and taking a wrong one back.
//!
//! A recorded stay can change the case ([`Case::after_stay`]): the report date, where the family
//! stays now, the last contact, the rehousing date. A stay recorded by mistake must not leave
//! those behind, but neither may removing it undo what someone wrote since. So a removal puts back
//! the values from before the stay only where the case still holds what the stay set.

use crate::case::{Case, LastSeen};
use crate::codes::LivingSituation;
use crate::date::parse_date;
use crate::field::Field;
use crate::timeline::Observation;

/// One field a recorded stay changed: its interchange text before and after the stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayEffect {
    pub field: Field,
    pub before: String,
    pub after: String,
}

/// A stay as recorded: by whom and when, what it changed in the case, and whether it was taken
/// back since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedStay {
    /// The stay's own number in the store: what a removal names.
    pub id: i64,
    pub observation: Observation,
    /// RFC 3339, UTC.
    pub recorded_at: String,
    pub recorded_by: String,
    /// `(at, by)` once removed; a removed stay is history, not part of the timeline.
    pub removed: Option<(String, String)>,
    /// What recording it changed in the case (empty when it only joined the timeline).
    pub effects: Vec<StayEffect>,
}

impl RecordedStay {
    pub fn is_removed(&self) -> bool {
        self.removed.is_some()
    }
}

/// The case without a stay's effects, and the fields left as they are because they were
/// changed since the stay (or could not be read back).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithoutStay {
    pub case: Case,
    pub kept: Vec<Field>,
}

impl Case {
    /// This case with the `effects` of a recorded stay taken back: each field the stay set goes
    /// back to its value from before the stay if it still holds what the stay set. The date and
    /// the situation of the last contact are one fact: both go back, or neither.
    pub fn without_stay(&self, effects: &[StayEffect]) -> WithoutStay {
        let mut case = self.clone();
        let mut kept = Vec::new();
        let still_set = |effect: &StayEffect| self.text(effect.field) == effect.after;
        let before_of = |field: Field| {
            effects
                .iter()
                .find(|e| e.field == field)
                .map_or_else(|| self.text(field), |e| e.before.clone())
        };
        let mut last_seen_done = false;
        for effect in effects {
            let restored = match effect.field {
                Field::LastSeenOn | Field::LastSeenSituation if last_seen_done => continue,
                Field::LastSeenOn | Field::LastSeenSituation => {
                    last_seen_done = true;
                    let parts = [Field::LastSeenOn, Field::LastSeenSituation];
                    let unchanged = effects
                        .iter()
                        .filter(|e| parts.contains(&e.field))
                        .all(still_set);
                    let back = last_seen_of(
                        &before_of(Field::LastSeenOn),
                        &before_of(Field::LastSeenSituation),
                    );
                    match (unchanged, back) {
                        (true, Some(last_seen)) => {
                            case.last_seen = last_seen;
                            true
                        }
                        _ => {
                            kept.extend(
                                effects
                                    .iter()
                                    .map(|e| e.field)
                                    .filter(|f| parts.contains(f)),
                            );
                            continue;
                        }
                    }
                }
                _ if !still_set(effect) => false,
                Field::ReportedOn => parse_date(&effect.before)
                    .map(|day| case.reported_on = day)
                    .is_some(),
                Field::RehousedOn => optional(&effect.before, parse_date)
                    .map(|day| case.rehoused_on = day)
                    .is_some(),
                Field::CurrentSituation => optional(&effect.before, LivingSituation::parse)
                    .map(|situation| case.current_situation = situation)
                    .is_some(),
                // A stay sets nothing else; a field it did not set is not taken back.
                _ => false,
            };
            if !restored {
                kept.push(effect.field);
            }
        }
        WithoutStay { case, kept }
    }
}

/// An optional value from its interchange text: empty is unknown, `None` when unreadable.
fn optional<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if text.is_empty() {
        Some(None)
    } else {
        parse(text).map(Some)
    }
}

/// The last contact from the texts of its date and situation: both empty is none.
fn last_seen_of(on: &str, situation: &str) -> Option<Option<LastSeen>> {
    match (
        optional(on, parse_date)?,
        optional(situation, LivingSituation::parse)?,
    ) {
        (None, None) => Some(None),
        (Some(on), Some(situation)) => Some(Some(LastSeen { on, situation })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseRef, OrganisationName};
    use crate::date::DateOrMonth;
    use crate::timeline::ObservationSource;

    fn day(text: &str) -> crate::date::Date {
        parse_date(text).unwrap()
    }

    fn case() -> Case {
        let mut case = Case::new(
            CaseRef::parse("R-1").unwrap(),
            OrganisationName::parse("Org").unwrap(),
            day("2025-05-01"),
            2,
        );
        case.current_situation = Some(LivingSituation::FamilyShelter);
        case
    }

    fn stay(on: &str, situation: LivingSituation) -> Observation {
        Observation {
            on: Some(DateOrMonth::Day(day(on))),
            situation,
            source: ObservationSource::Recorded,
        }
    }

    /// What recording `stay` on `case` changed, as the store keeps it.
    fn effects(case: &Case, stay: &Observation) -> (Case, Vec<StayEffect>) {
        let after = case.after_stay(stay);
        let effects = case
            .changed_fields(&after)
            .into_iter()
            .map(|field| StayEffect {
                field,
                before: case.text(field),
                after: after.text(field),
            })
            .collect();
        (after, effects)
    }

    #[test]
    fn removing_the_latest_stay_gives_back_the_case_from_before_it() {
        let before = case();
        let (after, effects) = effects(&before, &stay("2025-06-01", LivingSituation::Housed));
        assert_eq!(after.rehoused_on, Some(day("2025-06-01")));
        let undone = after.without_stay(&effects);
        assert_eq!(undone.case, before);
        assert!(undone.kept.is_empty());
    }

    #[test]
    fn a_field_changed_since_the_stay_is_kept_and_named() {
        let before = case();
        let (mut after, effects) =
            effects(&before, &stay("2025-06-01", LivingSituation::SocialNetwork));
        // Someone wrote the situation by hand after the stay.
        after.current_situation = Some(LivingSituation::Car);
        let undone = after.without_stay(&effects);
        assert_eq!(undone.kept, vec![Field::CurrentSituation]);
        assert_eq!(undone.case.current_situation, Some(LivingSituation::Car));
        assert_eq!(undone.case.reported_on, before.reported_on);
        assert_eq!(undone.case.last_seen, before.last_seen);
    }

    #[test]
    fn an_earlier_stay_under_a_later_one_leaves_the_later_news() {
        let first = case();
        let (second, first_effects) =
            effects(&first, &stay("2025-06-01", LivingSituation::SocialNetwork));
        let (third, _) = effects(&second, &stay("2025-07-01", LivingSituation::Car));
        let undone = third.without_stay(&first_effects);
        assert_eq!(undone.case, third, "the later stay's news stays");
        assert!(undone.kept.contains(&Field::ReportedOn));
        assert!(undone.kept.contains(&Field::LastSeenOn));
    }

    #[test]
    fn the_last_contact_goes_back_whole_or_not_at_all() {
        let mut before = case();
        before.last_seen = Some(LastSeen {
            on: day("2025-04-01"),
            situation: LivingSituation::FamilyShelter,
        });
        let (mut after, effects) =
            effects(&before, &stay("2025-06-01", LivingSituation::SocialNetwork));
        let whole = after.without_stay(&effects);
        assert_eq!(whole.case.last_seen, before.last_seen);
        // Its date changed by hand since: neither half goes back.
        after.last_seen = Some(LastSeen {
            on: day("2025-06-02"),
            situation: LivingSituation::SocialNetwork,
        });
        let partial = after.without_stay(&effects);
        assert_eq!(partial.case.last_seen, after.last_seen);
        assert!(partial.kept.contains(&Field::LastSeenOn));
        assert!(partial.kept.contains(&Field::LastSeenSituation));
    }

    #[test]
    fn an_unreadable_old_value_is_kept_not_guessed() {
        let before = case();
        let (after, mut effects) =
            effects(&before, &stay("2025-06-01", LivingSituation::SocialNetwork));
        for effect in &mut effects {
            if effect.field == Field::ReportedOn {
                effect.before = "not a date".into();
            }
        }
        let undone = after.without_stay(&effects);
        assert_eq!(undone.case.reported_on, after.reported_on);
        assert_eq!(undone.kept, vec![Field::ReportedOn]);
    }
}
