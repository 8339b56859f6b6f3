//! The code lists of the interchange format (`spec/interchange.md`), one enum each.
//!
//! Every value carries three things that must never drift apart: the code as written in files and
//! stored in the database, and its Dutch and English label. They are declared together, once, by
//! [`code_list!`]. Each value also has a small, stable number (`id`): it is used to pack a case's
//! statistical profile into one integer (see [`crate::profile`]), so numbers are never reused or
//! renumbered — a new value gets the next free number.

use std::fmt;

/// The language of a user-facing label. Dutch first: it is the language of the people we serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// What every code list has, for code that takes the list as a type parameter (a reader that
/// parses any list's cells, a form that offers any list's values). Each list has the same items
/// as inherent ones too, so `Tenancy::parse` works without importing this trait.
pub trait CodeList: Copy + Sized + 'static {
    /// Every value, in the order of the spec.
    const ALL: &'static [Self];
    /// Every code, in the order of the spec.
    const CODES: &'static [&'static str];
    /// The code as written in interchange files and stored in the database.
    fn code(self) -> &'static str;
    /// The label shown to people.
    fn label(self, lang: Lang) -> &'static str;
    /// Parses a code, ignoring ASCII case.
    fn parse(text: &str) -> Option<Self>;
}

macro_rules! code_list {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal, $code:literal, $nl:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order of the spec.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every code, in the order of the spec.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The code as written in interchange files and stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to people.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( ($name::$variant, Lang::Nl) => $nl, ($name::$variant, Lang::En) => $en, )+
                }
            }

            /// Stable number of this value (1-based; 0 is reserved for "unknown").
            pub fn id(self) -> u8 {
                match self { $($name::$variant => $id),+ }
            }

            /// The value with this stable number.
            pub fn from_id(id: u8) -> Option<Self> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }

            /// Parses a code, ignoring ASCII case (files come from spreadsheets typed by hand).
            pub fn parse(text: &str) -> Option<Self> {
                $( if text.eq_ignore_ascii_case($code) { return Some($name::$variant); } )+
                None
            }

            /// Every code, in the order of the list.
            pub fn codes() -> Vec<&'static str> {
                Self::CODES.to_vec()
            }

            /// The codes, joined for an error message: `a, b or c`.
            pub fn expected() -> String {
                crate::expected::join(Self::CODES, "or")
            }
        }

        impl CodeList for $name {
            const ALL: &'static [Self] = $name::ALL;
            const CODES: &'static [&'static str] = $name::CODES;

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn label(self, lang: Lang) -> &'static str {
                $name::label(self, lang)
            }

            fn parse(text: &str) -> Option<Self> {
                $name::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("'{code}' is not a code of {}", stringify!($name)))
                })
            }
        }
    };
}

code_list! {
    /// Who makes up the household.
    Household {
        OneParent = 1, "one_parent", "eenoudergezin", "one-parent family";
        TwoParents = 2, "two_parents", "tweeoudergezin", "two-parent family";
    }
}

code_list! {
    /// Who the family rented from.
    Tenancy {
        Corporation = 1, "corporation", "woningcorporatie", "housing corporation";
        Private = 2, "private", "particuliere verhuurder", "private landlord";
        Sublet = 3, "sublet", "onderhuur", "sublet";
    }
}

code_list! {
    /// How the home was lost.
    Route {
        CourtEviction = 1, "court_eviction", "ontruiming na uitspraak kantonrechter", "eviction ordered by the court";
        LeftOnLandlordRequest = 2, "left_on_landlord_request", "vertrokken op verzoek of druk van de verhuurder", "left at the landlord's request";
        LeftOther = 3, "left_other", "zelf vertrokken om een andere reden", "left for another reason";
        RemovedWithoutCourt = 4, "removed_without_court", "uit huis gezet zonder rechter", "removed without a court order";
    }
}

impl Route {
    /// Group `court`: a court decided.
    pub fn is_court(self) -> bool {
        self == Route::CourtEviction
    }

    /// Group `no_court`: the home was lost without a judge.
    pub fn is_no_court(self) -> bool {
        !self.is_court()
    }

    /// Group `left_self`: the family left (on request or for another reason), no court.
    pub fn is_left_self(self) -> bool {
        matches!(self, Route::LeftOnLandlordRequest | Route::LeftOther)
    }
}

code_list! {
    /// Why the home was lost (main reason and further reasons use the same list).
    Reason {
        RentArrears = 1, "rent_arrears", "huurachterstand", "rent arrears";
        Nuisance = 2, "nuisance", "overlast", "nuisance";
        LandlordConflict = 3, "landlord_conflict", "verstoorde relatie met verhuurder", "conflict with the landlord";
        DomesticViolence = 4, "domestic_violence", "huiselijk geweld", "domestic violence";
        Crime = 5, "crime", "(drugs)criminaliteit of sluiting door de burgemeester", "crime or closure by the mayor";
        TemporaryContractEnd = 6, "temporary_contract_end", "einde tijdelijk contract", "end of a temporary contract";
        SaleOrRenovation = 7, "sale_or_renovation", "verkoop, renovatie of eigen gebruik", "sale, renovation or own use";
        RelationshipBreakdown = 8, "relationship_breakdown", "scheiding", "relationship breakdown";
        UnlawfulSublet = 9, "unlawful_sublet", "onderhuur zonder toestemming", "sublet without permission";
        Other = 10, "other", "andere reden", "other reason";
    }
}

code_list! {
    /// Legal help before or at the loss of the home.
    LegalSupport {
        Lawyer = 1, "lawyer", "advocaat", "lawyer";
        OtherLegalHelp = 2, "other_legal_help", "andere juridische hulp", "other legal help";
        None = 3, "none", "geen juridische hulp", "no legal help";
    }
}

code_list! {
    /// What was offered to the family when the home was lost.
    Alternative {
        None = 1, "none", "niets aangeboden", "nothing offered";
        AdequateHousing = 2, "adequate_housing", "passende woonruimte", "adequate housing";
        Shelter = 3, "shelter", "(nood)opvang", "shelter";
        Hotel = 4, "hotel", "hotel", "hotel";
        HolidayHome = 5, "holiday_home", "vakantiewoning", "holiday home";
        SocialNetworkReferral = 6, "social_network_referral", "verwezen naar familie of vrienden", "referred to family or friends";
        ChildrenOnly = 7, "children_only", "alleen plek voor de kinderen", "a place for the children only";
    }
}

code_list! {
    /// Whether separation of the children from their parents happened or was threatened.
    FamilySeparated {
        No = 1, "no", "nee", "no";
        Threatened = 2, "threatened", "gedreigd of voorgesteld", "threatened or proposed";
        Yes = 3, "yes", "ja", "yes";
    }
}

code_list! {
    /// Where a family stays. Every value but `housed` is homelessness (ETHOS Light 1–6).
    LivingSituation {
        Housed = 1, "housed", "eigen, passende woning", "own, adequate home";
        RoughSleeping = 2, "rough_sleeping", "op straat / buiten", "sleeping rough";
        NightShelter = 3, "night_shelter", "nachtopvang", "night shelter";
        FamilyShelter = 4, "family_shelter", "(gezins)opvang, noodopvang", "family or emergency shelter";
        WomensShelter = 5, "womens_shelter", "vrouwenopvang", "women's shelter";
        Hotel = 6, "hotel", "hotel of pension", "hotel or guesthouse";
        Institution = 7, "institution", "instelling, zonder woning bij vertrek", "institution, no home on leaving";
        Car = 8, "car", "auto", "car";
        Tent = 9, "tent", "tent", "tent";
        Caravan = 10, "caravan", "caravan, stacaravan", "caravan or mobile home";
        HolidayHome = 11, "holiday_home", "vakantiewoning, chalet", "holiday home or chalet";
        Squat = 12, "squat", "kraakpand", "squat";
        OtherNonConventional = 13, "other_non_conventional", "garagebox, schuur of andere noodoplossing", "garage, shed or other makeshift place";
        SocialNetwork = 14, "social_network", "bij familie, vrienden of kennissen", "with family or friends";
    }
}

code_list! {
    /// The decision a best-interest assessment weighs for one child (`spec/children.md`).
    AssessedDecision {
        Eviction = 1, "eviction", "uitzetting (door verhuurder of rechter)", "eviction (by the landlord or the court)";
        ShelterPlacement = 2, "shelter_placement", "plaatsing in de opvang", "placement in a shelter";
        ShelterRefusal = 3, "shelter_refusal", "weigering van opvang", "refusal of shelter";
        Separation = 4, "separation", "scheiding van de ouders", "separation from the parents";
        SchoolChange = 5, "school_change", "verandering van school", "change of school";
        Other = 6, "other", "andere beslissing", "other decision";
    }
}

code_list! {
    /// An element of the child's interests (UN CRC General Comment 14), step 1 of the
    /// Kinderombudsman's step plan.
    InterestElement {
        Identity = 1, "identity", "identiteit", "identity";
        ChildView = 2, "child_view", "mening van het kind", "the child's view";
        FamilyEnvironment = 3, "family_environment", "gezinsomgeving en belangrijke contacten", "family environment and important contacts";
        CareSafety = 4, "care_safety", "zorg, bescherming en veiligheid", "care, protection and safety";
        Vulnerability = 5, "vulnerability", "kwetsbaarheid", "vulnerability";
        Health = 6, "health", "gezondheid", "health";
        Education = 7, "education", "onderwijs", "education";
    }
}

code_list! {
    /// Whose interest weighs against the child's (step 2).
    InterestHolder {
        Landlord = 1, "landlord", "verhuurder", "landlord";
        Neighbours = 2, "neighbours", "buren", "neighbours";
        Municipality = 3, "municipality", "gemeente", "municipality";
        Parents = 4, "parents", "ouders", "parents";
        Other = 5, "other", "iemand anders", "someone else";
    }
}

code_list! {
    /// Whose interest prevailed in the weighing (step 3).
    Prevailed {
        Child = 1, "child", "het belang van het kind", "the child's interest";
        Other = 2, "other", "een ander belang", "another interest";
    }
}

code_list! {
    /// Where a child stays now (children file, `stays_with`).
    StaysWith {
        BothParents = 1, "both_parents", "bij beide ouders", "with both parents";
        OneParent = 2, "one_parent", "bij één ouder", "with one parent";
        OtherFamily = 3, "other_family", "bij andere familie", "with other family";
        FosterCare = 4, "foster_care", "in een pleeggezin", "in foster care";
        Institution = 5, "institution", "in een instelling", "in an institution";
        Alone = 6, "alone", "alleen", "alone";
    }
}

impl StaysWith {
    /// Away from both parents (the measure `child.not_with_parents`).
    pub fn is_away_from_parents(self) -> bool {
        !matches!(self, StaysWith::BothParents | StaysWith::OneParent)
    }
}

code_list! {
    /// A child's schooling since the home was lost (children file, `school`).
    School {
        NotSchoolAge = 1, "not_school_age", "nog niet of niet meer leerplichtig", "not of school age";
        AttendsSame = 2, "attends_same", "gaat naar dezelfde school", "attends the same school";
        ChangedSchool = 3, "changed_school", "moest van school veranderen", "had to change school";
        MissingSchool = 4, "missing_school", "mist school", "is missing school";
    }
}

impl School {
    /// The home's loss disrupted the schooling (the measure `child.school_disrupted`); only
    /// then can school days have been missed.
    pub fn is_disrupted(self) -> bool {
        matches!(self, School::ChangedSchool | School::MissingSchool)
    }
}

code_list! {
    /// Who heard the child about the decision that affected the home (children file, `heard_by`).
    HeardBy {
        Landlord = 1, "landlord", "verhuurder", "landlord";
        Court = 2, "court", "rechter", "court";
        Municipality = 3, "municipality", "gemeente", "municipality";
        SocialWork = 4, "social_work", "sociaal werk", "social work";
        Shelter = 5, "shelter", "opvang", "shelter";
        Other = 6, "other", "anders", "other";
    }
}

code_list! {
    /// Why a case was closed: the family is no longer followed (issue 15.8). Not an interchange
    /// column: a closed case keeps its fields, and its figures, as they were.
    ClosingReason {
        Rehoused = 1, "rehoused", "gezin heeft weer een woning", "the family has a home again";
        MovedAway = 2, "moved_away", "gezin is verhuisd naar elders", "the family moved away";
        ContactEnded = 3, "contact_ended", "contact beëindigd", "contact ended";
    }
}

/// ETHOS Light (FEANTSA) operational categories of homelessness, as used by the report and CBS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum EthosCategory {
    /// 1: people living rough, in public space.
    PublicSpace = 1,
    /// 2: people in emergency accommodation.
    EmergencyShelter = 2,
    /// 3: people in accommodation for the homeless.
    AccommodationForHomeless = 3,
    /// 4: people due to be released from an institution with no home.
    Institution = 4,
    /// 5: people in non-conventional dwellings due to lack of housing.
    NonConventionalDwelling = 5,
    /// 6: homeless people living temporarily with family and friends.
    WithFamilyOrFriends = 6,
}

impl EthosCategory {
    /// The category number, 1–6.
    pub fn number(self) -> u8 {
        self as u8
    }
}

impl LivingSituation {
    /// The ETHOS Light category; `None` for `housed`, which is not homelessness.
    pub fn ethos(self) -> Option<EthosCategory> {
        use EthosCategory as E;
        use LivingSituation as S;
        match self {
            S::Housed => None,
            S::RoughSleeping => Some(E::PublicSpace),
            S::NightShelter => Some(E::EmergencyShelter),
            S::FamilyShelter | S::WomensShelter | S::Hotel => Some(E::AccommodationForHomeless),
            S::Institution => Some(E::Institution),
            S::Car | S::Tent | S::Caravan | S::HolidayHome | S::Squat | S::OtherNonConventional => {
                Some(E::NonConventionalDwelling)
            }
            S::SocialNetwork => Some(E::WithFamilyOrFriends),
        }
    }

    /// Feitelijk dakloos: every situation but an own, adequate home.
    pub fn is_homeless(self) -> bool {
        self.ethos().is_some()
    }
}

/// Parses a yes/no cell: `yes`, `no`, any case.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if text.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// The code of a yes/no value.
pub fn yes_no_code(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_list<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        id: fn(T) -> u8,
        from_id: fn(u8) -> Option<T>,
        parse: fn(&str) -> Option<T>,
    ) {
        let mut ids = std::collections::HashSet::new();
        for &value in all {
            assert!(ids.insert(id(value)), "duplicate id for {value:?}");
            assert_eq!(from_id(id(value)), Some(value));
            assert_eq!(parse(code(value)), Some(value));
            assert_eq!(parse(&code(value).to_uppercase()), Some(value));
            assert_eq!(
                code(value),
                code(value).to_lowercase(),
                "codes are lower-case"
            );
        }
        assert_eq!(from_id(0), None, "0 means unknown");
        assert_eq!(parse("unknown"), None);
    }

    #[test]
    fn every_code_list_round_trips_its_codes_and_ids() {
        macro_rules! check_lists {
            ($($list:ident),+) => {$(
                check_list($list::ALL, $list::code, $list::id, $list::from_id, $list::parse);
            )+};
        }
        check_lists!(
            Household,
            Tenancy,
            Route,
            Reason,
            LegalSupport,
            Alternative,
            FamilySeparated,
            LivingSituation,
            StaysWith,
            School,
            HeardBy,
            AssessedDecision,
            InterestElement,
            InterestHolder,
            Prevailed
        );
    }

    #[test]
    fn only_housed_is_not_homeless() {
        for &s in LivingSituation::ALL {
            assert_eq!(s.is_homeless(), s != LivingSituation::Housed, "{s}");
        }
        assert_eq!(
            LivingSituation::SocialNetwork
                .ethos()
                .map(EthosCategory::number),
            Some(6)
        );
        assert_eq!(
            LivingSituation::Car.ethos().map(EthosCategory::number),
            Some(5)
        );
        assert_eq!(
            LivingSituation::RoughSleeping
                .ethos()
                .map(EthosCategory::number),
            Some(1)
        );
    }

    #[test]
    fn route_groups_follow_the_spec() {
        use Route::*;
        assert!(CourtEviction.is_court() && !CourtEviction.is_no_court());
        for r in [LeftOnLandlordRequest, LeftOther, RemovedWithoutCourt] {
            assert!(r.is_no_court());
        }
        assert!(LeftOnLandlordRequest.is_left_self() && LeftOther.is_left_self());
        assert!(!RemovedWithoutCourt.is_left_self() && !CourtEviction.is_left_self());
    }

    #[test]
    fn labels_exist_in_both_languages() {
        for &s in LivingSituation::ALL {
            assert!(!s.label(Lang::Nl).is_empty() && !s.label(Lang::En).is_empty());
        }
        assert_eq!(Tenancy::Corporation.label(Lang::Nl), "woningcorporatie");
        for &r in ClosingReason::ALL {
            assert!(!r.label(Lang::Nl).is_empty() && !r.label(Lang::En).is_empty());
            assert_eq!(ClosingReason::parse(r.code()), Some(r));
        }
    }

    #[test]
    fn expected_lists_the_codes() {
        assert_eq!(Household::expected(), "one_parent or two_parents");
        assert_eq!(Tenancy::expected(), "corporation, private or sublet");
    }
}
