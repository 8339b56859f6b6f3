//! Duration of homelessness, as the interchange spec defines it.

use crate::case::Case;
use crate::date::DateOrMonth;

/// How long a family has been homeless, in whole months, as far as known.
///
/// Defined only when `home_lost_on` is known and `situation_after` is homelessness. The end is
/// `rehoused_on` if given; else `reported_on` if the current situation is homelessness; else
/// `last_seen_on` if the last seen situation was homelessness; else the duration is unknown. For
/// families out of view this is a lower bound (right-censored).
pub fn homeless_months(case: &Case) -> Option<u32> {
    let start = case.home_lost_on?;
    if !case.situation_after?.is_homeless() {
        return None;
    }
    let end: DateOrMonth = if let Some(rehoused) = case.rehoused_on {
        rehoused.into()
    } else if case.current_situation.is_some_and(|s| s.is_homeless()) {
        case.reported_on.into()
    } else if let Some(seen) = case.last_seen.filter(|seen| seen.situation.is_homeless()) {
        seen.on.into()
    } else {
        return None;
    };
    // Validation keeps the end from preceding the start; a negative count would be a data error
    // elsewhere, and "zero months" is the honest floor.
    Some(start.whole_months_until(end).max(0) as u32)
}

/// The survival-analysis view of a case's duration (publication spec §1), kept here beside
/// [`homeless_months`] because the stores keep it packed per case; the estimate is in `stats`.
/// How long one family's homelessness lasted as far as known, and whether its end was seen.
///
/// Not to be confused with the timeline's [`crate::Observation`] (what a professional
/// recorded); this is the survival-analysis sense of the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Observation {
    /// Whole months from the loss of the home to the end as far as known (`interchange.md`).
    pub months: u32,
    /// The family was rehoused after `months`; `false` means it was last known still homeless then
    /// (right-censored).
    pub event: bool,
}

impl Observation {
    /// A family rehoused after `months`.
    pub fn rehoused(months: u32) -> Self {
        Observation {
            months,
            event: true,
        }
    }

    /// A family last known homeless after `months`, its end not (yet) seen.
    pub fn still_homeless(months: u32) -> Self {
        Observation {
            months,
            event: false,
        }
    }
}

/// What one case contributes to the duration estimate. Small and hashable on purpose: a store
/// groups its cases by it and counts, and the estimate needs nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Contribution {
    /// No duration, and no homelessness after the loss recorded: the estimate is not about this
    /// family.
    Outside,
    /// Homeless after the loss, but when it began or how long it lasted is unknown. Counted, so the
    /// report can say how many families the estimate leaves out.
    Excluded,
    /// A duration. `optimistic` and `pessimistic` differ from `main` only for a family lost from view
    /// while homeless, whose end nobody knows: the two bounds assume it was rehoused the day it was
    /// last seen, or stayed homeless until the report.
    Counted {
        main: Observation,
        optimistic: Observation,
        pessimistic: Observation,
    },
}

impl Contribution {
    pub fn of(case: &Case) -> Self {
        let Some(months) = homeless_months(case) else {
            return if case.situation_after.is_some_and(|s| s.is_homeless()) {
                Contribution::Excluded
            } else {
                Contribution::Outside
            };
        };
        // `homeless_months` ends at `rehoused_on` first, so a rehousing date is exactly the event.
        let main = Observation {
            months,
            event: case.rehoused_on.is_some(),
        };
        // With a duration but neither rehoused nor a current situation, the end can only have been
        // the last sighting while homeless.
        let lost_from_view = case.rehoused_on.is_none() && case.current_situation.is_none();
        match case.home_lost_on {
            Some(lost) if lost_from_view => Contribution::Counted {
                main,
                optimistic: Observation::rehoused(months),
                pessimistic: Observation::still_homeless(months_between(
                    lost,
                    case.reported_on.into(),
                )),
            },
            _ => Contribution::Counted {
                main,
                optimistic: main,
                pessimistic: main,
            },
        }
    }
}

/// Validation keeps ends from preceding the start; should one slip through, zero months is the
/// honest floor (as in `homeless_months`).
fn months_between(start: DateOrMonth, end: DateOrMonth) -> u32 {
    u32::try_from(start.whole_months_until(end).max(0)).unwrap_or(0)
}

/// The bits of one packed [`Observation`]: the event, then 19 bits of months (over 40,000 years).
const OBSERVATION_BITS: u32 = 20;
const MONTHS_MAX: u32 = (1 << (OBSERVATION_BITS - 1)) - 1;

impl Observation {
    fn pack(self) -> i64 {
        i64::from(self.event) | i64::from(self.months.min(MONTHS_MAX)) << 1
    }

    fn unpack(bits: i64) -> Observation {
        Observation {
            event: bits & 1 == 1,
            months: ((bits >> 1) & i64::from(MONTHS_MAX)) as u32,
        }
    }
}

impl Contribution {
    /// The contribution in one number, as the stores keep it beside each case (the `survival`
    /// column, written with the case, so the estimate counts one indexed column): 0 outside, 1
    /// excluded, else 2 and the three observations, 20 bits each.
    pub fn pack(self) -> i64 {
        match self {
            Contribution::Outside => 0,
            Contribution::Excluded => 1,
            Contribution::Counted {
                main,
                optimistic,
                pessimistic,
            } => {
                2 | main.pack() << 2
                    | optimistic.pack() << (2 + OBSERVATION_BITS)
                    | pessimistic.pack() << (2 + 2 * OBSERVATION_BITS)
            }
        }
    }

    /// The contribution of [`Contribution::pack`]; `None` for a number it cannot have made.
    pub fn unpack(packed: i64) -> Option<Contribution> {
        let observation = |shift: u32| Observation::unpack(packed >> shift);
        match packed & 3 {
            _ if packed < 0 || packed >> (2 + 3 * OBSERVATION_BITS) != 0 => None,
            0 if packed == 0 => Some(Contribution::Outside),
            1 if packed == 1 => Some(Contribution::Excluded),
            2 => Some(Contribution::Counted {
                main: observation(2),
                optimistic: observation(2 + OBSERVATION_BITS),
                pessimistic: observation(2 + 2 * OBSERVATION_BITS),
            }),
            _ => None,
        }
    }
}

/// The duration bands of the report (and of the `long_homelessness` rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationBand {
    /// Less than 6 months.
    UnderSix = 1,
    /// 6 months up to 12.
    SixToTwelve = 2,
    /// 12 months or more.
    TwelvePlus = 3,
}

impl DurationBand {
    pub fn of_months(months: u32) -> Self {
        match months {
            0..6 => DurationBand::UnderSix,
            6..12 => DurationBand::SixToTwelve,
            _ => DurationBand::TwelvePlus,
        }
    }

    pub fn id(self) -> u8 {
        self as u8
    }

    pub fn from_id(id: u8) -> Option<Self> {
        match id {
            1 => Some(DurationBand::UnderSix),
            2 => Some(DurationBand::SixToTwelve),
            3 => Some(DurationBand::TwelvePlus),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{CaseRef, LastSeen, OrganisationName};
    use crate::codes::LivingSituation::*;
    use crate::date::parse_date;

    fn case(lost: &str, after: crate::codes::LivingSituation) -> Case {
        let mut c = Case::new(
            CaseRef::parse("R").unwrap(),
            OrganisationName::parse("O").unwrap(),
            parse_date("2025-04-15").unwrap(),
            1,
        );
        c.home_lost_on = DateOrMonth::parse(lost);
        c.situation_after = Some(after);
        c
    }

    #[test]
    fn ends_at_rehousing_first() {
        let mut c = case("2024-01-20", Car);
        c.rehoused_on = parse_date("2024-07-19");
        c.current_situation = Some(Car);
        assert_eq!(homeless_months(&c), Some(5));
    }

    #[test]
    fn ends_at_the_report_when_still_homeless() {
        let mut c = case("2024-04-15", Car);
        c.current_situation = Some(FamilyShelter);
        assert_eq!(homeless_months(&c), Some(12));
    }

    #[test]
    fn ends_when_last_seen_homeless_if_out_of_view() {
        let mut c = case("2024-03", SocialNetwork);
        c.last_seen = Some(LastSeen {
            on: parse_date("2025-03-17").unwrap(),
            situation: SocialNetwork,
        });
        assert_eq!(
            homeless_months(&c),
            Some(12),
            "month precision ignores the day"
        );
        c.last_seen = Some(LastSeen {
            on: parse_date("2025-03-17").unwrap(),
            situation: Housed,
        });
        assert_eq!(homeless_months(&c), None, "last seen housed: end unknown");
    }

    #[test]
    fn undefined_without_a_loss_date_or_homelessness_after() {
        let mut c = case("2024-03", Housed);
        c.current_situation = Some(Car);
        assert_eq!(homeless_months(&c), None);
        let mut c = case("2024-03", Car);
        c.home_lost_on = None;
        c.current_situation = Some(Car);
        assert_eq!(homeless_months(&c), None);
        let c = case("2024-03", Car);
        assert_eq!(
            homeless_months(&c),
            None,
            "out of view and never seen since"
        );
    }

    #[test]
    fn bands_split_at_6_and_12() {
        assert_eq!(DurationBand::of_months(0), DurationBand::UnderSix);
        assert_eq!(DurationBand::of_months(5), DurationBand::UnderSix);
        assert_eq!(DurationBand::of_months(6), DurationBand::SixToTwelve);
        assert_eq!(DurationBand::of_months(11), DurationBand::SixToTwelve);
        assert_eq!(DurationBand::of_months(12), DurationBand::TwelvePlus);
    }

    fn observation() -> impl proptest::strategy::Strategy<Value = Observation> {
        use proptest::prelude::*;
        (0..=MONTHS_MAX, any::<bool>()).prop_map(|(months, event)| Observation { months, event })
    }

    proptest::proptest! {
        #[test]
        fn a_packed_contribution_unpacks_to_itself(
            main in observation(),
            optimistic in observation(),
            pessimistic in observation(),
        ) {
            let counted = Contribution::Counted { main, optimistic, pessimistic };
            for contribution in [counted, Contribution::Outside, Contribution::Excluded] {
                let packed = contribution.pack();
                proptest::prop_assert!(packed >= 0);
                proptest::prop_assert_eq!(Contribution::unpack(packed), Some(contribution));
            }
        }

        #[test]
        fn a_number_no_contribution_packs_to_is_refused(packed in proptest::prelude::any::<i64>()) {
            if let Some(contribution) = Contribution::unpack(packed) {
                proptest::prop_assert_eq!(contribution.pack(), packed);
            }
        }
    }

    #[test]
    fn a_family_lost_from_view_has_its_two_bounds() {
        let mut c = case("2024-03", SocialNetwork);
        c.last_seen = Some(LastSeen {
            on: parse_date("2024-11-02").unwrap(),
            situation: SocialNetwork,
        });
        // Reported on 2025-04-15: 13 whole months after March 2024 (month precision).
        assert_eq!(
            Contribution::of(&c),
            Contribution::Counted {
                main: Observation::still_homeless(8),
                optimistic: Observation::rehoused(8),
                pessimistic: Observation::still_homeless(13),
            }
        );
        assert_eq!(Contribution::unpack(1), Some(Contribution::Excluded));
        assert_eq!(Contribution::unpack(3), None);
        assert_eq!(Contribution::unpack(-2), None);
    }
}
