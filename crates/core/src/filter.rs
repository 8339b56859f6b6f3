//! Which cases a report or export covers.

use crate::codes::{LivingSituation, Route, Tenancy};
use crate::date::Date;

/// A selection of cases. Every condition given must hold; `None` selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CaseFilter {
    /// Exact organisation name.
    pub organisation: Option<String>,
    /// Municipality, compared trimmed and case-insensitively.
    pub municipality: Option<String>,
    /// Home lost on or after this date. For a month-precision `home_lost_on`, its first day counts.
    /// Cases without `home_lost_on` are left out when a date bound is given.
    pub home_lost_from: Option<Date>,
    /// Home lost on or before this date (same reading).
    pub home_lost_to: Option<Date>,
    pub tenancy: Option<Tenancy>,
    pub route: Option<Route>,
    /// Where the family stays now (as last recorded in `current_situation`).
    pub current_situation: Option<LivingSituation>,
    /// Only families out of view: situation unknown and not rehoused.
    pub out_of_view: bool,
    /// Part of the case reference, compared case-insensitively (ASCII).
    pub case_ref_contains: Option<String>,
}

impl CaseFilter {
    pub fn is_empty(&self) -> bool {
        *self == CaseFilter::default()
    }

    /// The municipality in the form it is compared in.
    pub fn municipality_key(&self) -> Option<String> {
        self.municipality.as_ref().map(|m| m.trim().to_lowercase())
    }

    /// The reference search in the form it is compared in; `None` when empty.
    pub fn case_ref_search(&self) -> Option<String> {
        self.case_ref_contains
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_ascii_lowercase)
    }

    /// Whether a case falls within the selection (the store's queries implement the same test).
    pub fn matches(&self, case: &crate::case::Case) -> bool {
        if let Some(org) = &self.organisation
            && case.organisation.as_str() != org.trim()
        {
            return false;
        }
        if let Some(key) = self.municipality_key()
            && case.municipality.as_ref().map(|m| m.key()) != Some(key)
        {
            return false;
        }
        if self.tenancy.is_some() && case.tenancy != self.tenancy
            || self.route.is_some() && case.route != self.route
            || self.current_situation.is_some() && case.current_situation != self.current_situation
            || self.out_of_view && !case.is_out_of_view()
        {
            return false;
        }
        if let Some(part) = self.case_ref_search()
            && !case.case_ref.as_str().to_ascii_lowercase().contains(&part)
        {
            return false;
        }
        if self.home_lost_from.is_some() || self.home_lost_to.is_some() {
            let Some(lost) = case.home_lost_on.map(|d| d.first_day()) else {
                return false;
            };
            if self.home_lost_from.is_some_and(|from| lost < from)
                || self.home_lost_to.is_some_and(|to| lost > to)
            {
                return false;
            }
        }
        true
    }
}

/// What a breakdown of the figures is by (publication spec §2, issue 17.3): one row per
/// municipality, organisation, or quarter or year of `home_lost_on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakdownBy {
    Municipality,
    Organisation,
    Quarter,
    Year,
}

impl BreakdownBy {
    /// As the command line spells it (`--by municipality`) and the JSON names it.
    pub fn id(self) -> &'static str {
        match self {
            BreakdownBy::Municipality => "municipality",
            BreakdownBy::Organisation => "organisation",
            BreakdownBy::Quarter => "quarter",
            BreakdownBy::Year => "year",
        }
    }

    /// The word for one row, in Dutch ("gemeente") or English.
    pub fn word(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (BreakdownBy::Municipality, crate::Lang::Nl) => "gemeente",
            (BreakdownBy::Organisation, crate::Lang::Nl) => "organisatie",
            (BreakdownBy::Quarter, crate::Lang::Nl) => "kwartaal",
            (BreakdownBy::Year, crate::Lang::Nl) => "jaar",
            (BreakdownBy::Municipality, crate::Lang::En) => "municipality",
            (BreakdownBy::Organisation, crate::Lang::En) => "organisation",
            (BreakdownBy::Quarter, crate::Lang::En) => "quarter",
            (BreakdownBy::Year, crate::Lang::En) => "year",
        }
    }
}

/// A period of `home_lost_on` as a breakdown's row: the quarter (`2024-K4`, `2024-Q4` in English)
/// or year (`2024`) of a month written `YYYY-MM`, with its first and last day. `None` for a month
/// that is not one.
pub fn period_of_month(
    month: &str,
    by: BreakdownBy,
    lang: crate::Lang,
) -> Option<(String, Date, Date)> {
    let (year, number) = month.split_once('-')?;
    let year: i16 = year.parse().ok()?;
    let number: i8 = number.parse().ok()?;
    let (first, last, label) = match by {
        BreakdownBy::Quarter => {
            let quarter = (number.checked_sub(1)? / 3) + 1;
            let letter = match lang {
                crate::Lang::Nl => 'K',
                crate::Lang::En => 'Q',
            };
            let first = Date::new(year, (quarter - 1) * 3 + 1, 1).ok()?;
            let last = Date::new(year, quarter * 3, 1).ok()?.last_of_month();
            (first, last, format!("{year}-{letter}{quarter}"))
        }
        BreakdownBy::Year => (
            Date::new(year, 1, 1).ok()?,
            Date::new(year, 12, 31).ok()?,
            year.to_string(),
        ),
        BreakdownBy::Municipality | BreakdownBy::Organisation => return None,
    };
    (1..=12).contains(&number).then_some((label, first, last))
}

#[cfg(test)]
mod period_tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn a_month_falls_in_its_quarter_and_year() {
        let date = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(
            period_of_month("2024-11", BreakdownBy::Quarter, Lang::Nl),
            Some(("2024-K4".to_string(), date(2024, 10, 1), date(2024, 12, 31)))
        );
        assert_eq!(
            period_of_month("2024-03", BreakdownBy::Quarter, Lang::En),
            Some(("2024-Q1".to_string(), date(2024, 1, 1), date(2024, 3, 31)))
        );
        assert_eq!(
            period_of_month("2024-06", BreakdownBy::Year, Lang::Nl),
            Some(("2024".to_string(), date(2024, 1, 1), date(2024, 12, 31)))
        );
        for wrong in ["2024-13", "2024-00", "2024", "abcd-01"] {
            assert_eq!(period_of_month(wrong, BreakdownBy::Quarter, Lang::Nl), None);
        }
        assert_eq!(
            period_of_month("2024-01", BreakdownBy::Municipality, Lang::Nl),
            None
        );
    }
}
