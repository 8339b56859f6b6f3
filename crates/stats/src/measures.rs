//! The quickscan measures (`spec/measures.md`), each defined once, over [`CaseProfile`].
//!
//! A share is `numerator / denominator` over cases; a case is in the numerator only if it is in the
//! denominator. The ids are stable: they appear in JSON output and other tools rely on them.

use dakwacht_core::{
    Alternative, CaseProfile, DurationBand, LegalSupport, LivingSituation, Reason, Route, Tenancy,
};

/// What a measure counts.
pub enum Definition {
    /// A count that is not a share: cases, children, … (no denominator).
    Count(fn(&Totals) -> u64),
    /// A share of cases: those matching `numerator` among those matching `denominator`.
    Share {
        numerator: fn(&CaseProfile) -> bool,
        denominator: fn(&CaseProfile) -> bool,
    },
}

/// Totals that are not per-profile shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub cases: u64,
    pub children: u64,
    pub children_age_unknown: u64,
    pub municipalities: u64,
}

/// One measure of the quickscan report.
pub struct MeasureDefinition {
    pub id: &'static str,
    /// Dutch label, as the report would phrase it.
    pub label_nl: &'static str,
    pub label_en: &'static str,
    pub definition: Definition,
}

fn homeless(s: Option<LivingSituation>) -> bool {
    s.is_some_and(LivingSituation::is_homeless)
}

fn route_known(p: &CaseProfile) -> bool {
    p.route.is_some()
}
fn no_court(p: &CaseProfile) -> bool {
    p.route.is_some_and(Route::is_no_court)
}
fn left_self(p: &CaseProfile) -> bool {
    p.route.is_some_and(Route::is_left_self)
}
fn corporation_reason_known(p: &CaseProfile) -> bool {
    p.tenancy == Some(Tenancy::Corporation) && p.main_reason.is_some()
}
fn private_reason_known(p: &CaseProfile) -> bool {
    p.tenancy == Some(Tenancy::Private) && p.main_reason.is_some()
}
fn alternative_known(p: &CaseProfile) -> bool {
    p.alternative_offered.is_some()
}
fn nothing_offered_after_known(p: &CaseProfile) -> bool {
    p.alternative_offered == Some(Alternative::None) && p.situation_after.is_some()
}
fn duration_known(p: &CaseProfile) -> bool {
    p.duration.is_some()
}
fn all_cases(_: &CaseProfile) -> bool {
    true
}

/// Every measure, in report order.
pub const MEASURES: &[MeasureDefinition] = &[
    MeasureDefinition {
        id: "cases",
        label_nl: "Aantal casussen",
        label_en: "Number of cases",
        definition: Definition::Count(|t| t.cases),
    },
    MeasureDefinition {
        id: "children",
        label_nl: "Aantal minderjarige kinderen",
        label_en: "Number of minor children",
        definition: Definition::Count(|t| t.children),
    },
    MeasureDefinition {
        id: "children.age_unknown",
        label_nl: "Kinderen van wie de leeftijd niet bekend is",
        label_en: "Children whose age is not known",
        definition: Definition::Count(|t| t.children_age_unknown),
    },
    MeasureDefinition {
        id: "municipalities",
        label_nl: "Aantal gemeenten",
        label_en: "Number of municipalities",
        definition: Definition::Count(|t| t.municipalities),
    },
    MeasureDefinition {
        id: "reason.corporation.rent_arrears",
        label_nl: "Corporatiehuur: huurachterstand als hoofdreden",
        label_en: "Corporation tenancy: rent arrears as main reason",
        definition: Definition::Share {
            numerator: |p| p.main_reason == Some(Reason::RentArrears),
            denominator: corporation_reason_known,
        },
    },
    MeasureDefinition {
        id: "reason.corporation.nuisance",
        label_nl: "Corporatiehuur: overlast als hoofdreden",
        label_en: "Corporation tenancy: nuisance as main reason",
        definition: Definition::Share {
            numerator: |p| p.main_reason == Some(Reason::Nuisance),
            denominator: corporation_reason_known,
        },
    },
    MeasureDefinition {
        id: "reason.private.conflict_violence_arrears",
        label_nl: "Particuliere huur: conflict, huiselijk geweld of huurachterstand",
        label_en: "Private tenancy: conflict, domestic violence or rent arrears",
        definition: Definition::Share {
            numerator: |p| {
                matches!(
                    p.main_reason,
                    Some(Reason::LandlordConflict | Reason::DomesticViolence | Reason::RentArrears)
                )
            },
            denominator: private_reason_known,
        },
    },
    MeasureDefinition {
        id: "route.no_court",
        label_nl: "Woning kwijt zonder tussenkomst van de rechter",
        label_en: "Home lost without a court",
        definition: Definition::Share {
            numerator: no_court,
            denominator: route_known,
        },
    },
    MeasureDefinition {
        id: "route.no_court.landlord_request",
        label_nl: "Zonder rechter: vertrokken op verzoek van de verhuurder",
        label_en: "Without a court: left at the landlord's request",
        definition: Definition::Share {
            numerator: |p| p.route == Some(Route::LeftOnLandlordRequest),
            denominator: no_court,
        },
    },
    MeasureDefinition {
        id: "legal.left_self.none",
        label_nl: "Zelf vertrokken: geen juridische hulp",
        label_en: "Left themselves: no legal help",
        definition: Definition::Share {
            numerator: |p| p.legal_support == Some(LegalSupport::None),
            denominator: left_self,
        },
    },
    MeasureDefinition {
        id: "legal.left_self.unknown",
        label_nl: "Zelf vertrokken: juridische hulp onbekend",
        label_en: "Left themselves: legal help unknown",
        definition: Definition::Share {
            numerator: |p| p.legal_support.is_none(),
            denominator: left_self,
        },
    },
    MeasureDefinition {
        id: "legal.court.none",
        label_nl: "Ontruiming na rechter: geen juridische hulp",
        label_en: "Court eviction: no legal help",
        definition: Definition::Share {
            numerator: |p| p.legal_support == Some(LegalSupport::None),
            denominator: |p| p.route == Some(Route::CourtEviction),
        },
    },
    MeasureDefinition {
        id: "alternative.none",
        label_nl: "Geen alternatief aangeboden",
        label_en: "No alternative offered",
        definition: Definition::Share {
            numerator: |p| p.alternative_offered == Some(Alternative::None),
            denominator: alternative_known,
        },
    },
    MeasureDefinition {
        id: "alternative.hotel_or_shelter",
        label_nl: "Hotel of opvang aangeboden",
        label_en: "Hotel or shelter offered",
        definition: Definition::Share {
            numerator: |p| {
                matches!(
                    p.alternative_offered,
                    Some(Alternative::Hotel | Alternative::Shelter)
                )
            },
            denominator: alternative_known,
        },
    },
    MeasureDefinition {
        id: "alternative.adequate",
        label_nl: "Passende woonruimte aangeboden",
        label_en: "Adequate housing offered",
        definition: Definition::Share {
            numerator: |p| p.alternative_offered == Some(Alternative::AdequateHousing),
            denominator: alternative_known,
        },
    },
    MeasureDefinition {
        id: "after.no_alternative.social_network",
        label_nl: "Zonder alternatief: daarna bij familie of vrienden",
        label_en: "No alternative: then with family or friends",
        definition: Definition::Share {
            numerator: |p| p.situation_after == Some(LivingSituation::SocialNetwork),
            denominator: nothing_offered_after_known,
        },
    },
    MeasureDefinition {
        id: "after.no_alternative.car_or_tent",
        label_nl: "Zonder alternatief: daarna in auto of tent",
        label_en: "No alternative: then in a car or tent",
        definition: Definition::Share {
            numerator: |p| {
                matches!(
                    p.situation_after,
                    Some(LivingSituation::Car | LivingSituation::Tent)
                )
            },
            denominator: nothing_offered_after_known,
        },
    },
    MeasureDefinition {
        id: "after.homeless",
        label_nl: "Dakloos direct na verlies van de woning",
        label_en: "Homeless directly after losing the home",
        definition: Definition::Share {
            numerator: |p| homeless(p.situation_after),
            denominator: |p| p.situation_after.is_some(),
        },
    },
    MeasureDefinition {
        id: "duration.0_6",
        label_nl: "Duur dakloosheid korter dan 6 maanden",
        label_en: "Homeless for less than 6 months",
        definition: Definition::Share {
            numerator: |p| p.duration == Some(DurationBand::UnderSix),
            denominator: duration_known,
        },
    },
    MeasureDefinition {
        id: "duration.6_12",
        label_nl: "Duur dakloosheid 6 tot 12 maanden",
        label_en: "Homeless for 6 to 12 months",
        definition: Definition::Share {
            numerator: |p| p.duration == Some(DurationBand::SixToTwelve),
            denominator: duration_known,
        },
    },
    MeasureDefinition {
        id: "duration.12_plus",
        label_nl: "Duur dakloosheid 12 maanden of langer",
        label_en: "Homeless for 12 months or more",
        definition: Definition::Share {
            numerator: |p| p.duration == Some(DurationBand::TwelvePlus),
            denominator: duration_known,
        },
    },
    MeasureDefinition {
        id: "duration.over_6",
        label_nl: "Duur dakloosheid 6 maanden of langer",
        label_en: "Homeless for 6 months or more",
        definition: Definition::Share {
            numerator: |p| {
                matches!(
                    p.duration,
                    Some(DurationBand::SixToTwelve | DurationBand::TwelvePlus)
                )
            },
            denominator: duration_known,
        },
    },
    MeasureDefinition {
        id: "current.homeless",
        label_nl: "Nu (bij melding) dakloos",
        label_en: "Homeless when reported",
        definition: Definition::Share {
            numerator: |p| homeless(p.current_situation),
            denominator: all_cases,
        },
    },
    MeasureDefinition {
        id: "current.unknown",
        label_nl: "Huidige situatie onbekend (uit beeld)",
        label_en: "Current situation unknown (out of view)",
        definition: Definition::Share {
            numerator: |p| p.current_situation.is_none(),
            denominator: all_cases,
        },
    },
];
