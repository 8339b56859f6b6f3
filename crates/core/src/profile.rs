//! The statistical profile of a case: the few coded facts the quickscan measures look at.
//!
//! Statistics over a million cases must not read a million cases. The store keeps each case's
//! profile packed into one integer (a derived column, recomputed on every write) and hands the
//! statistics crate one row per distinct profile with a count. The measures themselves are defined
//! in `dakwacht-stats` over [`CaseProfile`], so their meaning lives in Rust, next to their tests,
//! not in SQL.

use crate::case::Case;
use crate::codes::{Alternative, LegalSupport, LivingSituation, Reason, Route, Tenancy};
use crate::duration::{DurationBand, homeless_months};

/// The coded facts of one case that the measures use. `None` = unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CaseProfile {
    pub tenancy: Option<Tenancy>,
    pub main_reason: Option<Reason>,
    pub route: Option<Route>,
    pub legal_support: Option<LegalSupport>,
    pub alternative_offered: Option<Alternative>,
    pub situation_after: Option<LivingSituation>,
    pub current_situation: Option<LivingSituation>,
    pub duration: Option<DurationBand>,
}

/// Bits per packed field: room for 63 values per code list.
const BITS: u32 = 6;
const MASK: i64 = (1 << BITS) - 1;

impl CaseProfile {
    pub fn of(case: &Case) -> Self {
        CaseProfile {
            tenancy: case.tenancy,
            main_reason: case.main_reason,
            route: case.route,
            legal_support: case.legal_support,
            alternative_offered: case.alternative_offered,
            situation_after: case.situation_after,
            current_situation: case.current_situation,
            duration: homeless_months(case).map(DurationBand::of_months),
        }
    }

    /// Packs the profile into one integer: each field's stable id in its own 6 bits.
    pub fn pack(&self) -> i64 {
        let ids = [
            self.tenancy.map_or(0, Tenancy::id),
            self.main_reason.map_or(0, Reason::id),
            self.route.map_or(0, Route::id),
            self.legal_support.map_or(0, LegalSupport::id),
            self.alternative_offered.map_or(0, Alternative::id),
            self.situation_after.map_or(0, LivingSituation::id),
            self.current_situation.map_or(0, LivingSituation::id),
            self.duration.map_or(0, DurationBand::id),
        ];
        ids.iter().enumerate().fold(0i64, |acc, (i, &id)| {
            acc | (i64::from(id) & MASK) << (BITS * i as u32)
        })
    }

    /// Unpacks a profile; `None` when the integer holds an id no code list knows (a database
    /// written by a newer dakwacht, or damaged).
    pub fn unpack(packed: i64) -> Option<Self> {
        let id = |i: u32| ((packed >> (BITS * i)) & MASK) as u8;
        fn known<T>(id: u8, from_id: fn(u8) -> Option<T>) -> Option<Option<T>> {
            if id == 0 {
                Some(None)
            } else {
                from_id(id).map(Some)
            }
        }
        if packed < 0 || packed >> (BITS * 8) != 0 {
            return None;
        }
        Some(CaseProfile {
            tenancy: known(id(0), Tenancy::from_id)?,
            main_reason: known(id(1), Reason::from_id)?,
            route: known(id(2), Route::from_id)?,
            legal_support: known(id(3), LegalSupport::from_id)?,
            alternative_offered: known(id(4), Alternative::from_id)?,
            situation_after: known(id(5), LivingSituation::from_id)?,
            current_situation: known(id(6), LivingSituation::from_id)?,
            duration: known(id(7), DurationBand::from_id)?,
        })
    }
}

/// Cases sharing one profile, with their children: the unit statistics are computed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProfileCount {
    pub profile: CaseProfile,
    pub cases: u64,
    pub children: u64,
    pub children_age_unknown: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pick<T: Copy + std::fmt::Debug + 'static>(
        all: &'static [T],
    ) -> impl Strategy<Value = Option<T>> {
        proptest::option::of(proptest::sample::select(all))
    }

    proptest! {
        #[test]
        fn packing_round_trips(
            tenancy in pick(Tenancy::ALL), main_reason in pick(Reason::ALL), route in pick(Route::ALL),
            legal_support in pick(LegalSupport::ALL), alternative_offered in pick(Alternative::ALL),
            situation_after in pick(LivingSituation::ALL), current_situation in pick(LivingSituation::ALL),
            duration in pick(&[DurationBand::UnderSix, DurationBand::SixToTwelve, DurationBand::TwelvePlus]),
        ) {
            let p = CaseProfile { tenancy, main_reason, route, legal_support, alternative_offered, situation_after, current_situation, duration };
            prop_assert_eq!(CaseProfile::unpack(p.pack()), Some(p));
        }
    }

    #[test]
    fn unknown_ids_are_refused() {
        assert_eq!(CaseProfile::unpack(0), Some(CaseProfile::default()));
        assert_eq!(
            CaseProfile::unpack(63),
            None,
            "tenancy id 63 does not exist"
        );
        assert_eq!(CaseProfile::unpack(-1), None);
    }
}
