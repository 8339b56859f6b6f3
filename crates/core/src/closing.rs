//! Closing a case, and keeping it no longer than needed (issue 15.8; AVG art. 5 lid 1 e).
//!
//! A case is closed when the family no longer needs following: it leaves the follow-up list, but
//! stays in the figures (its fields are not touched), and it can be reopened. A closed case is
//! kept for a number of years after the day it was closed, the retention period; then
//! `dakwacht retention --apply` deletes it, wholly (see the README, "Bewaartermijn").

use crate::codes::ClosingReason;
use crate::date::Date;

/// That a case was closed: on which day (Dutch time) and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closure {
    pub on: Date,
    pub reason: ClosingReason,
}

/// How many whole years a closed case is kept after the day it was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    years: u8,
}

impl Retention {
    /// The default: two years after closing. The quickscan is counted once a year, over the year
    /// before, so a case closed early in a year is still there when that year's figures are made
    /// and questioned; longer than that nothing in dakwacht needs it. An organisation whose own
    /// retention policy says otherwise sets its period with `--years`.
    pub const DEFAULT_YEARS: u8 = 2;

    /// The longest period that can be set: more is a typing error, not a policy.
    pub const MAX_YEARS: u8 = 30;

    /// A period of `years` (1 to [`Retention::MAX_YEARS`]). Zero is refused: it would delete every
    /// case the moment it is closed, and a slip of the keyboard should not do that.
    pub fn years(years: u8) -> Result<Retention, String> {
        if (1..=Self::MAX_YEARS).contains(&years) {
            Ok(Retention { years })
        } else {
            Err(format!(
                "a retention period is 1 to {} years, not {years}",
                Self::MAX_YEARS
            ))
        }
    }

    pub fn in_years(self) -> u8 {
        self.years
    }

    /// The last closing day that is past the period on `today`: a case closed on or before it has
    /// been closed for the whole period. (A case closed on 29 February counts from 28 February in
    /// a year without one.)
    pub fn last_day_past(self, today: Date) -> Date {
        today
            .checked_sub(jiff::Span::new().years(i64::from(self.years)))
            .unwrap_or(Date::MIN)
    }

    /// Whether a case with this closure is past the period on `today`.
    pub fn is_past(self, closure: &Closure, today: Date) -> bool {
        closure.on <= self.last_day_past(today)
    }
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            years: Self::DEFAULT_YEARS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_case_is_past_the_period_once_closed_for_the_whole_of_it() {
        let two = Retention::years(2).unwrap_or_default();
        let today = date(2026, 12, 1);
        assert_eq!(two.last_day_past(today), date(2024, 12, 1));
        let closed = |on| Closure {
            on,
            reason: ClosingReason::Rehoused,
        };
        assert!(two.is_past(&closed(date(2024, 12, 1)), today));
        assert!(two.is_past(&closed(date(2020, 1, 1)), today));
        assert!(!two.is_past(&closed(date(2024, 12, 2)), today));
        assert!(!two.is_past(&closed(today), today));
        assert_eq!(
            Retention::years(1)
                .map(|r| r.last_day_past(date(2028, 2, 29)))
                .ok(),
            Some(date(2027, 2, 28))
        );
    }

    #[test]
    fn a_period_is_one_to_thirty_years() {
        assert!(Retention::years(0).is_err());
        assert!(Retention::years(31).is_err());
        assert_eq!(Retention::years(30).map(Retention::in_years), Ok(30));
        assert_eq!(Retention::default().in_years(), 2);
    }
}
