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
}
