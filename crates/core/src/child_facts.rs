//! What a rule can know about one child: the [`ChildVariable`]s a `when_child` condition names as
//! `child.<name>`, and a child record's values for them ([`ChildFacts`]).
//!
//! A rule with a `when_child` condition is held against every child record of the case, so its
//! signal can name the child ("kind 2 (9 jaar)"). Notes, school days and who heard the child are
//! not offered: a check reads the facts the child measures read, nothing more.

use crate::child::Child;
use crate::child_figures::ChildProfile;
use crate::codes::{CodeList, FamilySeparated, Lang, School, StaysWith};
use crate::facts::{FactValue, VariableKind};

/// A fact of one child record, read in a condition as `child.<name>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChildVariable {
    No,
    Age,
    StaysWith,
    Separated,
    School,
    Heard,
    BestInterestAssessed,
    YouthCare,
}

impl ChildVariable {
    pub const ALL: &'static [ChildVariable] = &[
        ChildVariable::No,
        ChildVariable::Age,
        ChildVariable::StaysWith,
        ChildVariable::Separated,
        ChildVariable::School,
        ChildVariable::Heard,
        ChildVariable::BestInterestAssessed,
        ChildVariable::YouthCare,
    ];

    /// The name after `child.` (the children file's column name where there is one).
    pub fn name(self) -> &'static str {
        match self {
            ChildVariable::No => "no",
            ChildVariable::Age => "age",
            ChildVariable::StaysWith => "stays_with",
            ChildVariable::Separated => "separated",
            ChildVariable::School => "school",
            ChildVariable::Heard => "heard",
            ChildVariable::BestInterestAssessed => "best_interest_assessed",
            ChildVariable::YouthCare => "youth_care",
        }
    }

    pub fn kind(self) -> VariableKind {
        match self {
            ChildVariable::No | ChildVariable::Age => VariableKind::Number,
            ChildVariable::StaysWith => VariableKind::Code(StaysWith::CODES),
            ChildVariable::Separated => VariableKind::Code(FamilySeparated::CODES),
            ChildVariable::School => VariableKind::Code(School::CODES),
            ChildVariable::Heard
            | ChildVariable::BestInterestAssessed
            | ChildVariable::YouthCare => VariableKind::YesNo,
        }
    }

    /// One line for the rules documentation.
    pub fn about(self) -> &'static str {
        match self {
            ChildVariable::No => "which child of the case (child_no, never null)",
            ChildVariable::Age => "the child's age on reported_on",
            ChildVariable::StaysWith => "where the child stays now",
            ChildVariable::Separated => {
                "separated from the parents because of the housing situation"
            }
            ChildVariable::School => "the child's schooling since the home was lost",
            ChildVariable::Heard => "the child was heard about the decision (IVRK art. 12)",
            ChildVariable::BestInterestAssessed => {
                "a best-interest assessment was made for this child (IVRK art. 3)"
            }
            ChildVariable::YouthCare => "youth care is involved",
        }
    }

    pub fn from_name(name: &str) -> Option<ChildVariable> {
        ChildVariable::ALL
            .iter()
            .copied()
            .find(|v| v.name() == name)
    }

    /// Whether this describes the child's situation rather than which child it is: a record
    /// speaks to a rule only when it knows one of the situation facts the rule reads, so a
    /// record with only an age leaves the family's own fields in force.
    pub fn is_situation(self) -> bool {
        !matches!(self, ChildVariable::No | ChildVariable::Age)
    }
}

/// One child record as the rules see it: its number, its age and the facts of its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ChildFacts {
    pub child_no: u8,
    pub age: Option<u8>,
    pub profile: ChildProfile,
}

impl ChildFacts {
    pub fn of(child: &Child) -> ChildFacts {
        ChildFacts {
            child_no: child.child_no,
            age: child.age,
            profile: ChildProfile::of(child),
        }
    }

    /// The value a condition sees for `child.<variable>`.
    pub fn value(&self, variable: ChildVariable) -> FactValue {
        fn code<T: CodeList>(value: Option<T>) -> FactValue {
            value.map_or(FactValue::Null, |v| FactValue::Code(v.code()))
        }
        let yes_no = |value: Option<bool>| value.map_or(FactValue::Null, FactValue::Bool);
        let profile = &self.profile;
        match variable {
            ChildVariable::No => FactValue::Number(self.child_no.into()),
            ChildVariable::Age => self
                .age
                .map_or(FactValue::Null, |age| FactValue::Number(age.into())),
            ChildVariable::StaysWith => code(profile.stays_with),
            ChildVariable::Separated => code(profile.separated),
            ChildVariable::School => code(profile.school),
            ChildVariable::Heard => yes_no(profile.heard),
            ChildVariable::BestInterestAssessed => yes_no(profile.best_interest_assessed),
            ChildVariable::YouthCare => yes_no(profile.youth_care),
        }
    }

    /// Whether the record knows any of `variables` that describe the child's situation.
    pub fn knows_any(&self, variables: &[ChildVariable]) -> bool {
        variables
            .iter()
            .any(|v| v.is_situation() && self.value(*v) != FactValue::Null)
    }

    /// These records as a rule that reads only `facts` sees them: the other facts cleared (the
    /// number and age too, unless read), the records that know none of the situation facts
    /// left out, in a fixed order. Families whose records differ only in what the rule does not
    /// read then count as one.
    pub fn restricted(records: &[ChildFacts], facts: &[ChildVariable]) -> Vec<ChildFacts> {
        let keeps = |v: ChildVariable| facts.contains(&v);
        let mut kept: Vec<ChildFacts> = records
            .iter()
            .filter(|record| record.knows_any(facts))
            .map(|record| {
                let p = &record.profile;
                ChildFacts {
                    child_no: if keeps(ChildVariable::No) {
                        record.child_no
                    } else {
                        0
                    },
                    age: record.age.filter(|_| keeps(ChildVariable::Age)),
                    profile: ChildProfile {
                        knows_more_than_age: false,
                        stays_with: p.stays_with.filter(|_| keeps(ChildVariable::StaysWith)),
                        separated: p.separated.filter(|_| keeps(ChildVariable::Separated)),
                        school: p.school.filter(|_| keeps(ChildVariable::School)),
                        heard: p.heard.filter(|_| keeps(ChildVariable::Heard)),
                        best_interest_assessed: p
                            .best_interest_assessed
                            .filter(|_| keeps(ChildVariable::BestInterestAssessed)),
                        youth_care: p.youth_care.filter(|_| keeps(ChildVariable::YouthCare)),
                    },
                }
            })
            .collect();
        kept.sort_by_key(|record| (record.child_no, record.age, record.profile.pack()));
        kept
    }

    /// The child as a signal names it: "kind 2 (9 jaar)", "child 2 (age 9)".
    pub fn mention(&self, lang: Lang) -> String {
        let no = self.child_no;
        match (lang, self.age) {
            (Lang::Nl, Some(age)) => format!("kind {no} ({age} jaar)"),
            (Lang::Nl, None) => format!("kind {no} (leeftijd onbekend)"),
            (Lang::En, Some(age)) => format!("child {no} (age {age})"),
            (Lang::En, None) => format!("child {no} (age unknown)"),
        }
    }

    /// A record as the store keeps it for the rules (`no:age:profile`, age empty when
    /// unknown), so a database can hand over a case's children in one text.
    pub fn encode(&self) -> String {
        let age = self.age.map(|a| a.to_string()).unwrap_or_default();
        format!("{}:{age}:{}", self.child_no, self.profile.pack())
    }

    /// The records of a text of [`ChildFacts::encode`]d records joined by `,`, by number.
    pub fn decode_list(text: &str) -> Option<Vec<ChildFacts>> {
        let mut children = Vec::new();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let mut fields = part.split(':');
            let child_no = fields.next()?.parse().ok()?;
            let age = match fields.next()? {
                "" => None,
                age => Some(age.parse().ok()?),
            };
            let profile = ChildProfile::unpack(fields.next()?.parse().ok()?);
            if fields.next().is_some() {
                return None;
            }
            children.push(ChildFacts {
                child_no,
                age,
                profile,
            });
        }
        children.sort_by_key(|c| c.child_no);
        Some(children)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::child::Heard;

    #[test]
    fn every_child_variable_reads_back_by_name() {
        for variable in ChildVariable::ALL {
            assert_eq!(ChildVariable::from_name(variable.name()), Some(*variable));
        }
        assert_eq!(ChildVariable::from_name("notes"), None);
    }

    #[test]
    fn a_record_travels_through_its_text_unchanged() {
        let heard = Child {
            child_no: 2,
            age: Some(9),
            heard: Some(Heard::No),
            separated: Some(FamilySeparated::Yes),
            ..Child::default()
        };
        let unknown_age = Child {
            child_no: 1,
            ..Child::default()
        };
        let records = [ChildFacts::of(&heard), ChildFacts::of(&unknown_age)];
        let text = records.map(|r| r.encode()).join(",");
        let back = ChildFacts::decode_list(&text).expect("decodes");
        assert_eq!(back, vec![records[1], records[0]]);
        assert_eq!(back[1].value(ChildVariable::Heard), FactValue::Bool(false));
        assert_eq!(back[0].value(ChildVariable::Age), FactValue::Null);
        assert_eq!(ChildFacts::decode_list("1:x:0"), None);
        assert_eq!(ChildFacts::decode_list(""), Some(Vec::new()));
    }

    #[test]
    fn names_the_child_by_number_and_age() {
        let child = ChildFacts {
            child_no: 2,
            age: Some(9),
            ..ChildFacts::default()
        };
        assert_eq!(child.mention(Lang::Nl), "kind 2 (9 jaar)");
        assert_eq!(child.mention(Lang::En), "child 2 (age 9)");
    }

    #[test]
    fn an_age_alone_does_not_speak_to_a_rule() {
        let child = ChildFacts {
            child_no: 1,
            age: Some(4),
            ..ChildFacts::default()
        };
        assert!(!child.knows_any(&[ChildVariable::Age, ChildVariable::Heard]));
        let heard = ChildFacts {
            profile: ChildProfile {
                heard: Some(true),
                ..ChildProfile::default()
            },
            ..child
        };
        assert!(heard.knows_any(&[ChildVariable::Heard]));
    }
}
