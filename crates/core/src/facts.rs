//! What a rule can know about a case: the [`Variable`]s a rule condition may name, and a case's
//! values for them ([`Facts`]).
//!
//! Rules see the fields that describe what happened to the family, plus derived values such as the
//! duration of homelessness. They do not see identifiers or free text (`case_ref`, `organisation`,
//! `municipality`, `notes`, `x_` columns): a legal check should not depend on who or where, and
//! free text must not leak into conditions.
//!
//! `Facts` is a plain value that can be hashed: many cases share the same facts, so the rules
//! crate evaluates each distinct combination once and the store can count combinations for it.

use crate::case::{Case, ChildAge};
use crate::child::Child;
use crate::child_facts::{ChildFacts, ChildVariable};
use crate::codes::{
    Alternative, FamilySeparated, Household, LegalSupport, LivingSituation, Reason, Route, School,
    StaysWith, Tenancy,
};
use crate::date::{Date, DateOrMonth};
use crate::duration::homeless_months;

/// The kind of value a variable holds, for validating conditions and documenting variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    /// One code of a code list (a CEL string), or null when unknown.
    Code(&'static [&'static str]),
    /// A list of codes (CEL list of strings), empty when none.
    CodeList(&'static [&'static str]),
    /// `true`/`false` from a yes/no column, or null when unknown.
    YesNo,
    /// A whole number, or null when unknown.
    Number,
    /// A list of whole numbers.
    NumberList,
    /// A date as text `YYYY-MM-DD`, or `YYYY-MM` when only the month is known; null when unknown.
    Date,
    /// Always `true` or `false`.
    Flag,
    /// One child record, bound while a `when_child` condition is held against it.
    ChildRecord,
}

macro_rules! variables {
    ($( $variant:ident = $name:literal, $kind:expr, $about:literal; )+) => {
        /// A value a rule condition can name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Variable { $($variant),+ }

        impl Variable {
            pub const ALL: &'static [Variable] = &[$(Variable::$variant),+];

            /// The name used in conditions (the interchange column name where there is one).
            pub fn name(self) -> &'static str {
                match self { $(Variable::$variant => $name),+ }
            }

            pub fn kind(self) -> VariableKind {
                match self { $(Variable::$variant => $kind),+ }
            }

            /// One line for the rules documentation.
            pub fn about(self) -> &'static str {
                match self { $(Variable::$variant => $about),+ }
            }

            pub fn from_name(name: &str) -> Option<Variable> {
                match name { $($name => Some(Variable::$variant),)+ _ => None }
            }
        }
    };
}

variables! {
    ReportedOn = "reported_on", VariableKind::Date, "date of the registration this row describes";
    Household = "household", VariableKind::Code(Household::CODES), "household composition";
    ChildrenCount = "children_count", VariableKind::Number, "number of minor children";
    ChildrenAges = "children_ages", VariableKind::NumberList, "the known ages of the children (unknown ages left out)";
    Tenancy = "tenancy", VariableKind::Code(Tenancy::CODES), "kind of tenancy that was lost";
    HomeLostOn = "home_lost_on", VariableKind::Date, "when the home was lost";
    Route = "route", VariableKind::Code(Route::CODES), "how the home was lost";
    MainReason = "main_reason", VariableKind::Code(Reason::CODES), "main reason the home was lost";
    OtherReasons = "other_reasons", VariableKind::CodeList(Reason::CODES), "other reasons";
    LegalSupport = "legal_support", VariableKind::Code(LegalSupport::CODES), "legal help the family had";
    DefaultJudgment = "default_judgment", VariableKind::YesNo, "the court judged by default";
    AlternativeOffered = "alternative_offered", VariableKind::Code(Alternative::CODES), "what was offered instead of the home";
    SituationAfter = "situation_after", VariableKind::Code(LivingSituation::CODES), "living situation right after losing the home";
    CurrentSituation = "current_situation", VariableKind::Code(LivingSituation::CODES), "living situation on reported_on (null: out of view)";
    LastSeenOn = "last_seen_on", VariableKind::Date, "last date the family was seen";
    LastSeenSituation = "last_seen_situation", VariableKind::Code(LivingSituation::CODES), "living situation when last seen";
    RehousedOn = "rehoused_on", VariableKind::Date, "date the family got housing again";
    ChildHeard = "child_heard", VariableKind::YesNo, "the children were heard";
    BestInterestWeighed = "best_interest_weighed", VariableKind::YesNo, "the child's best interest was weighed";
    FamilySeparated = "family_separated", VariableKind::Code(FamilySeparated::CODES), "children and parents separated";
    ShelterRefusedNoBinding = "shelter_refused_no_binding", VariableKind::YesNo, "shelter refused for lack of regional ties";
    SchoolDisrupted = "school_disrupted", VariableKind::YesNo, "the children's schooling was disrupted";
    DurationMonths = "duration_months", VariableKind::Number, "duration of homelessness in whole months as far as known (the interchange spec's definition)";
    OutOfView = "out_of_view", VariableKind::Flag, "current_situation unknown while not rehoused";
    Child = "child", VariableKind::ChildRecord, "in `when_child` conditions only: the child record the condition is held against, read as child.<fact> (below)";
    ChildNo = "child.no", VariableKind::Number, "which child of the case (child_no, never null)";
    ChildAge = "child.age", VariableKind::Number, "the child's age on reported_on (from the case's children_ages when the record has none)";
    ChildStaysWith = "child.stays_with", VariableKind::Code(StaysWith::CODES), "where the child stays now";
    ChildSeparated = "child.separated", VariableKind::Code(FamilySeparated::CODES), "separated from the parents because of the housing situation";
    ChildSchool = "child.school", VariableKind::Code(School::CODES), "the child's schooling since the home was lost";
    ChildHeardByRecord = "child.heard", VariableKind::YesNo, "the child was heard about the decision (IVRK art. 12)";
    ChildAssessed = "child.best_interest_assessed", VariableKind::YesNo, "a best-interest assessment was made for this child (IVRK art. 3), by the record or complete in dakwacht";
    ChildYouthCare = "child.youth_care", VariableKind::YesNo, "youth care is involved";
}

impl Variable {
    /// The fact of a child record this variable names (`child.heard`), if it names one.
    pub fn child_fact(self) -> Option<ChildVariable> {
        Some(match self {
            Variable::ChildNo => ChildVariable::No,
            Variable::ChildAge => ChildVariable::Age,
            Variable::ChildStaysWith => ChildVariable::StaysWith,
            Variable::ChildSeparated => ChildVariable::Separated,
            Variable::ChildSchool => ChildVariable::School,
            Variable::ChildHeardByRecord => ChildVariable::Heard,
            Variable::ChildAssessed => ChildVariable::BestInterestAssessed,
            Variable::ChildYouthCare => ChildVariable::YouthCare,
            _ => return None,
        })
    }
}

/// The variables that name a fact of a child record (`child.heard`), as one pattern.
#[macro_export]
macro_rules! child_fact_variables {
    () => {
        $crate::Variable::ChildNo
            | $crate::Variable::ChildAge
            | $crate::Variable::ChildStaysWith
            | $crate::Variable::ChildSeparated
            | $crate::Variable::ChildSchool
            | $crate::Variable::ChildHeardByRecord
            | $crate::Variable::ChildAssessed
            | $crate::Variable::ChildYouthCare
    };
}

/// A case's values for every [`Variable`]. `None` means unknown (CEL `null`), or, after
/// [`Facts::only`], not needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Facts {
    pub reported_on: Option<Date>,
    pub household: Option<Household>,
    pub children_count: Option<u8>,
    pub children_ages: Option<Vec<u8>>,
    pub tenancy: Option<Tenancy>,
    pub home_lost_on: Option<DateOrMonth>,
    pub route: Option<Route>,
    pub main_reason: Option<Reason>,
    pub other_reasons: Option<Vec<Reason>>,
    pub legal_support: Option<LegalSupport>,
    pub default_judgment: Option<bool>,
    pub alternative_offered: Option<Alternative>,
    pub situation_after: Option<LivingSituation>,
    pub current_situation: Option<LivingSituation>,
    pub last_seen_on: Option<Date>,
    pub last_seen_situation: Option<LivingSituation>,
    pub rehoused_on: Option<Date>,
    pub child_heard: Option<bool>,
    pub best_interest_weighed: Option<bool>,
    pub family_separated: Option<FamilySeparated>,
    pub shelter_refused_no_binding: Option<bool>,
    pub school_disrupted: Option<bool>,
    pub duration_months: Option<u32>,
    pub out_of_view: Option<bool>,
    /// The case's child records, by number (empty when it has none).
    pub children: Option<Vec<ChildFacts>>,
}

/// The value of one variable, in the terms a condition sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    Null,
    Text(String),
    Code(&'static str),
    Codes(Vec<&'static str>),
    Bool(bool),
    Number(i64),
    Numbers(Vec<i64>),
}

impl Facts {
    /// The facts of a case and its child records: what a rule with a `when_child` condition
    /// is held against.
    pub fn of_family(case: &Case, children: &[Child]) -> Facts {
        // A record without an age has the one its case's `children_ages` gives it.
        let mut records: Vec<ChildFacts> = children
            .iter()
            .map(|child| ChildFacts {
                age: child.age_in(case),
                ..ChildFacts::of(child)
            })
            .collect();
        records.sort_by_key(|child| child.child_no);
        Facts {
            children: Some(records),
            ..Facts::of(case)
        }
    }

    /// The facts of a case alone, without child records.
    pub fn of(case: &Case) -> Facts {
        Facts {
            reported_on: Some(case.reported_on),
            household: case.household,
            children_count: Some(case.children.count),
            children_ages: Some(known_ages(
                case.children.ages.as_deref().unwrap_or_default(),
            )),
            tenancy: case.tenancy,
            home_lost_on: case.home_lost_on,
            route: case.route,
            main_reason: case.main_reason,
            other_reasons: Some(case.other_reasons.clone()),
            legal_support: case.legal_support,
            default_judgment: case.default_judgment,
            alternative_offered: case.alternative_offered,
            situation_after: case.situation_after,
            current_situation: case.current_situation,
            last_seen_on: case.last_seen.map(|seen| seen.on),
            last_seen_situation: case.last_seen.map(|seen| seen.situation),
            rehoused_on: case.rehoused_on,
            child_heard: case.child_heard,
            best_interest_weighed: case.best_interest_weighed,
            family_separated: case.family_separated,
            shelter_refused_no_binding: case.shelter_refused_no_binding,
            school_disrupted: case.school_disrupted,
            duration_months: homeless_months(case),
            out_of_view: Some(case.is_out_of_view()),
            children: Some(Vec::new()),
        }
    }

    /// These facts with every variable not in `keep` cleared, so that cases which differ only in
    /// what a rule does not read fall together.
    pub fn only(&self, keep: &[Variable]) -> Facts {
        let mut kept = Facts::default();
        for variable in keep {
            kept.copy_from(self, *variable);
        }
        // Of the child records, only the facts kept, and only the records that know one of
        // them: what a rule's verdict depends on, so that families fall together.
        if let Some(children) = &mut kept.children {
            let facts: Vec<ChildVariable> = keep.iter().filter_map(|v| v.child_fact()).collect();
            *children = ChildFacts::restricted(children, &facts);
        }
        kept
    }

    fn copy_from(&mut self, other: &Facts, variable: Variable) {
        match variable {
            Variable::ReportedOn => self.reported_on = other.reported_on,
            Variable::Household => self.household = other.household,
            Variable::ChildrenCount => self.children_count = other.children_count,
            Variable::ChildrenAges => self.children_ages = other.children_ages.clone(),
            Variable::Tenancy => self.tenancy = other.tenancy,
            Variable::HomeLostOn => self.home_lost_on = other.home_lost_on,
            Variable::Route => self.route = other.route,
            Variable::MainReason => self.main_reason = other.main_reason,
            Variable::OtherReasons => self.other_reasons = other.other_reasons.clone(),
            Variable::LegalSupport => self.legal_support = other.legal_support,
            Variable::DefaultJudgment => self.default_judgment = other.default_judgment,
            Variable::AlternativeOffered => self.alternative_offered = other.alternative_offered,
            Variable::SituationAfter => self.situation_after = other.situation_after,
            Variable::CurrentSituation => self.current_situation = other.current_situation,
            Variable::LastSeenOn => self.last_seen_on = other.last_seen_on,
            Variable::LastSeenSituation => self.last_seen_situation = other.last_seen_situation,
            Variable::RehousedOn => self.rehoused_on = other.rehoused_on,
            Variable::ChildHeard => self.child_heard = other.child_heard,
            Variable::BestInterestWeighed => {
                self.best_interest_weighed = other.best_interest_weighed
            }
            Variable::FamilySeparated => self.family_separated = other.family_separated,
            Variable::ShelterRefusedNoBinding => {
                self.shelter_refused_no_binding = other.shelter_refused_no_binding
            }
            Variable::SchoolDisrupted => self.school_disrupted = other.school_disrupted,
            Variable::DurationMonths => self.duration_months = other.duration_months,
            Variable::OutOfView => self.out_of_view = other.out_of_view,
            Variable::Child => self.children = other.children.clone(),
            // Read through the records of `children`.
            crate::child_fact_variables!() => {}
        }
    }

    /// The value a condition sees for `variable`.
    pub fn value(&self, variable: Variable) -> FactValue {
        fn code<T>(value: Option<T>, code: fn(T) -> &'static str) -> FactValue {
            value.map_or(FactValue::Null, |v| FactValue::Code(code(v)))
        }
        fn yes_no(value: Option<bool>) -> FactValue {
            value.map_or(FactValue::Null, FactValue::Bool)
        }
        fn date(value: Option<String>) -> FactValue {
            value.map_or(FactValue::Null, FactValue::Text)
        }
        match variable {
            Variable::ReportedOn => date(self.reported_on.map(|d| d.to_string())),
            Variable::Household => code(self.household, Household::code),
            Variable::ChildrenCount => self
                .children_count
                .map_or(FactValue::Null, |n| FactValue::Number(n.into())),
            Variable::ChildrenAges => FactValue::Numbers(
                self.children_ages
                    .iter()
                    .flatten()
                    .map(|&age| age.into())
                    .collect(),
            ),
            Variable::Tenancy => code(self.tenancy, Tenancy::code),
            Variable::HomeLostOn => date(self.home_lost_on.map(|d| d.to_string())),
            Variable::Route => code(self.route, Route::code),
            Variable::MainReason => code(self.main_reason, Reason::code),
            Variable::OtherReasons => FactValue::Codes(
                self.other_reasons
                    .iter()
                    .flatten()
                    .map(|r| r.code())
                    .collect(),
            ),
            Variable::LegalSupport => code(self.legal_support, LegalSupport::code),
            Variable::DefaultJudgment => yes_no(self.default_judgment),
            Variable::AlternativeOffered => code(self.alternative_offered, Alternative::code),
            Variable::SituationAfter => code(self.situation_after, LivingSituation::code),
            Variable::CurrentSituation => code(self.current_situation, LivingSituation::code),
            Variable::LastSeenOn => date(self.last_seen_on.map(|d| d.to_string())),
            Variable::LastSeenSituation => code(self.last_seen_situation, LivingSituation::code),
            Variable::RehousedOn => date(self.rehoused_on.map(|d| d.to_string())),
            Variable::ChildHeard => yes_no(self.child_heard),
            Variable::BestInterestWeighed => yes_no(self.best_interest_weighed),
            Variable::FamilySeparated => code(self.family_separated, FamilySeparated::code),
            Variable::ShelterRefusedNoBinding => yes_no(self.shelter_refused_no_binding),
            Variable::SchoolDisrupted => yes_no(self.school_disrupted),
            Variable::DurationMonths => self
                .duration_months
                .map_or(FactValue::Null, |n| FactValue::Number(n.into())),
            // A flag is never unknown: cleared facts read as false.
            Variable::OutOfView => FactValue::Bool(self.out_of_view.unwrap_or(false)),
            // A condition reads one record at a time (`child.…`), bound by the rules crate.
            Variable::Child | crate::child_fact_variables!() => FactValue::Null,
        }
    }
}

/// The ages that are known, in order: what `children_ages` holds for a rule.
pub fn known_ages(ages: &[ChildAge]) -> Vec<u8> {
    ages.iter()
        .filter_map(|age| match age {
            ChildAge::Known(years) => Some(*years),
            ChildAge::Unknown => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_has_a_unique_name_that_reads_back() {
        for variable in Variable::ALL {
            assert_eq!(Variable::from_name(variable.name()), Some(*variable));
        }
        assert_eq!(Variable::from_name("notes"), None);
        assert_eq!(Variable::from_name("Route"), None);
    }

    #[test]
    fn only_keeps_what_is_asked() {
        let facts = Facts {
            route: Some(Route::CourtEviction),
            child_heard: Some(false),
            duration_months: Some(7),
            ..Facts::default()
        };
        let kept = facts.only(&[Variable::Route]);
        assert_eq!(kept.route, Some(Route::CourtEviction));
        assert_eq!(kept.child_heard, None);
        assert_eq!(kept.value(Variable::DurationMonths), FactValue::Null);
        assert_eq!(
            kept.value(Variable::Route),
            FactValue::Code("court_eviction")
        );
    }
}
