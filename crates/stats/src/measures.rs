//! The quickscan measures (`spec/measures.md`), each defined once, over [`CaseProfile`].
//!
//! A share is `numerator / denominator` over cases; a case is in the numerator only if it is in the
//! denominator. The ids are stable: they appear in JSON output and other tools rely on them.

use dakwacht_core::{
    Alternative, CaseProfile, ChildProfile, DurationBand, FamilySeparated, LegalSupport,
    LivingSituation, Reason, Route, School, Tenancy,
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
    /// A share of children: the child records matching `numerator` among those matching
    /// `denominator`.
    ChildShare {
        numerator: fn(&ChildProfile) -> bool,
        denominator: fn(&ChildProfile) -> bool,
    },
    /// Children with a record that knows more than their age, among all children.
    ChildRecords,
    /// Children of an age from `from` to `to`, among the children whose age is known.
    ChildrenAged { from: usize, to: usize },
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

fn separated_known(p: &ChildProfile) -> bool {
    p.separated.is_some()
}

/// The child measures (`spec/children.md`): children are the unit, the denominators count
/// children, not families. In report order, the section "Kinderen".
pub const CHILD_MEASURES: &[MeasureDefinition] = &[
    MeasureDefinition {
        id: "child.records",
        label_nl: "Kinderen met een eigen kindrecord (meer dan de leeftijd)",
        label_en: "Children with a record of their own (more than the age)",
        definition: Definition::ChildRecords,
    },
    MeasureDefinition {
        id: "child.separated",
        label_nl: "Kind gescheiden van de ouders door de woonsituatie",
        label_en: "Child separated from the parents by the housing situation",
        definition: Definition::ChildShare {
            numerator: |p| p.separated == Some(FamilySeparated::Yes),
            denominator: separated_known,
        },
    },
    MeasureDefinition {
        id: "child.separation_threatened",
        label_nl: "Scheiding van de ouders dreigt",
        label_en: "Separation from the parents threatened",
        definition: Definition::ChildShare {
            numerator: |p| p.separated == Some(FamilySeparated::Threatened),
            denominator: separated_known,
        },
    },
    MeasureDefinition {
        id: "child.not_with_parents",
        label_nl: "Kind verblijft niet bij een ouder",
        label_en: "Child does not stay with a parent",
        definition: Definition::ChildShare {
            numerator: |p| p.stays_with.is_some_and(|s| s.is_away_from_parents()),
            denominator: |p| p.stays_with.is_some(),
        },
    },
    MeasureDefinition {
        id: "child.school_disrupted",
        label_nl: "Schoolgang verstoord (van school veranderd of school gemist)",
        label_en: "Schooling disrupted (changed school or missing school)",
        definition: Definition::ChildShare {
            numerator: |p| p.school.is_some_and(School::is_disrupted),
            denominator: |p| p.school.is_some_and(|s| s != School::NotSchoolAge),
        },
    },
    MeasureDefinition {
        id: "child.heard",
        label_nl: "Kind gehoord over het besluit",
        label_en: "Child heard about the decision",
        definition: Definition::ChildShare {
            numerator: |p| p.heard == Some(true),
            denominator: |p| p.heard.is_some(),
        },
    },
    MeasureDefinition {
        id: "child.best_interest_assessed",
        label_nl: "Belang van het kind afgewogen",
        label_en: "Best interest of the child assessed",
        definition: Definition::ChildShare {
            numerator: |p| p.best_interest_assessed == Some(true),
            denominator: |p| p.best_interest_assessed.is_some(),
        },
    },
    MeasureDefinition {
        id: "child.youth_care",
        label_nl: "Jeugdhulp betrokken",
        label_en: "Youth care involved",
        definition: Definition::ChildShare {
            numerator: |p| p.youth_care == Some(true),
            denominator: |p| p.youth_care.is_some(),
        },
    },
    MeasureDefinition {
        id: "child.age.0_3",
        label_nl: "Kinderen van 0 tot en met 3 jaar",
        label_en: "Children aged 0 to 3",
        definition: Definition::ChildrenAged { from: 0, to: 3 },
    },
    MeasureDefinition {
        id: "child.age.4_11",
        label_nl: "Kinderen van 4 tot en met 11 jaar",
        label_en: "Children aged 4 to 11",
        definition: Definition::ChildrenAged { from: 4, to: 11 },
    },
    MeasureDefinition {
        id: "child.age.12_17",
        label_nl: "Kinderen van 12 tot en met 17 jaar",
        label_en: "Children aged 12 to 17",
        definition: Definition::ChildrenAged { from: 12, to: 17 },
    },
];
