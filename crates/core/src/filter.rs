//! Which cases a report or export covers.

use crate::codes::{LivingSituation, Route, Tenancy};
use crate::date::Date;

/// A selection of cases. Every condition given must hold; `None` selects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
