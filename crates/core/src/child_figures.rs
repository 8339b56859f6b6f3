//! What the child measures count (`spec/children.md`, "Child measures"): children grouped by the
//! facts the measures read, and the known ages of all children, from their record or else from
//! their case's `children_ages`. The store counts these in its database; [`ChildFigures::of`]
//! counts the same in memory, so both can be checked against each other.

use crate::case::{Case, ChildAge};
use crate::child::{Child, ChildRow, Heard};
use crate::codes::{CodeList, FamilySeparated, School, StaysWith};

/// The facts of one child record that the child measures read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ChildProfile {
    /// The record knows more than the child's age (see [`Child::knows_more_than_age`]).
    pub knows_more_than_age: bool,
    pub stays_with: Option<StaysWith>,
    pub separated: Option<FamilySeparated>,
    pub school: Option<School>,
    pub heard: Option<bool>,
    pub best_interest_assessed: Option<bool>,
    pub youth_care: Option<bool>,
}

impl ChildProfile {
    pub fn of(child: &Child) -> ChildProfile {
        ChildProfile {
            knows_more_than_age: child.knows_more_than_age(),
            stays_with: child.stays_with,
            separated: child.separated,
            school: child.schooling.school,
            heard: child.heard.map(|heard| heard != Heard::No),
            // A complete assessment in dakwacht is an assessment made, whatever a file said.
            best_interest_assessed: if child.assessed_in_dakwacht {
                Some(true)
            } else {
                child.best_interest_assessed
            },
            youth_care: child.youth_care,
        }
    }
}

/// A code as a small number: 0 unknown, else its place in the code list from 1.
fn code_number<T: CodeList + PartialEq>(code: Option<T>) -> i64 {
    code.and_then(|code| T::ALL.iter().position(|c| *c == code))
        .map_or(0, |i| i as i64 + 1)
}

fn code_of<T: CodeList>(number: i64) -> Option<T> {
    usize::try_from(number)
        .ok()?
        .checked_sub(1)
        .and_then(|i| T::ALL.get(i).copied())
}

/// A yes/no as a small number: 0 unknown, 1 no, 2 yes.
fn yes_no_number(value: Option<bool>) -> i64 {
    value.map_or(0, |yes| if yes { 2 } else { 1 })
}

fn yes_no_of(number: i64) -> Option<bool> {
    match number {
        1 => Some(false),
        2 => Some(true),
        _ => None,
    }
}

impl ChildProfile {
    /// The profile as one number, as the store keeps it beside each record (so the child
    /// measures read one indexed column, not seven): each fact in bits of its own.
    pub fn pack(&self) -> i64 {
        i64::from(self.knows_more_than_age)
            | code_number(self.stays_with) << 1
            | code_number(self.separated) << 4
            | code_number(self.school) << 6
            | yes_no_number(self.heard) << 9
            | yes_no_number(self.best_interest_assessed) << 11
            | yes_no_number(self.youth_care) << 13
    }

    /// The bits of [`ChildProfile::pack`] that hold `fact` (none for the number and the age,
    /// which are not in the profile): a database can cut a profile down to what a rule reads.
    pub fn bits(fact: crate::ChildVariable) -> i64 {
        use crate::ChildVariable as V;
        match fact {
            V::No | V::Age => 0,
            V::StaysWith => 0b111 << 1,
            V::Separated => 0b11 << 4,
            V::School => 0b111 << 6,
            V::Heard => 0b11 << 9,
            V::BestInterestAssessed => 0b11 << 11,
            V::YouthCare => 0b11 << 13,
        }
    }

    /// The profile of a number made by [`ChildProfile::pack`].
    pub fn unpack(packed: i64) -> ChildProfile {
        ChildProfile {
            knows_more_than_age: packed & 1 == 1,
            stays_with: code_of(packed >> 1 & 0b111),
            separated: code_of(packed >> 4 & 0b11),
            school: code_of(packed >> 6 & 0b111),
            heard: yes_no_of(packed >> 9 & 0b11),
            best_interest_assessed: yes_no_of(packed >> 11 & 0b11),
            youth_care: yes_no_of(packed >> 13 & 0b11),
        }
    }
}

/// The oldest age a minor child can have.
pub const OLDEST: usize = 17;

/// The counts behind the child measures of a selection of cases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChildFigures {
    /// Child records, counted by profile.
    pub records: Vec<(ChildProfile, u64)>,
    /// Every child of the selected cases (the sum of `children_count`), with a record or not.
    pub children: u64,
    /// Children of each age (0 to 17), from the record, else from the case's `children_ages`;
    /// a child whose age neither knows is not counted.
    pub ages: [u64; OLDEST + 1],
}

impl ChildFigures {
    /// The figures of cases and child records held in memory (each record of one of `cases`).
    pub fn of(cases: &[Case], records: &[ChildRow]) -> ChildFigures {
        let mut figures = ChildFigures::default();
        let mut profiles: std::collections::HashMap<ChildProfile, u64> = Default::default();
        for record in records {
            *profiles.entry(ChildProfile::of(&record.child)).or_default() += 1;
        }
        figures.records = profiles.into_iter().collect();
        for case in cases {
            figures.children += u64::from(case.children.count);
            let of_case = |record: &&ChildRow| {
                record.organisation == case.organisation && record.case_ref == case.case_ref
            };
            for child_no in 1..=case.children.count {
                let record = records
                    .iter()
                    .filter(of_case)
                    .find(|r| r.child.child_no == child_no);
                let from_case = case
                    .children
                    .ages
                    .as_ref()
                    .and_then(|ages| ages.get(usize::from(child_no) - 1))
                    .and_then(|age| match age {
                        ChildAge::Known(age) => Some(*age),
                        ChildAge::Unknown => None,
                    });
                let age = record.and_then(|r| r.child.age).or(from_case);
                if let Some(age) = age {
                    figures.ages[usize::from(age).min(OLDEST)] += 1;
                }
            }
        }
        figures
    }

    /// Children of an age from `from` to `to` (both included).
    pub fn aged(&self, from: usize, to: usize) -> u64 {
        self.ages[from..=to.min(OLDEST)].iter().sum()
    }

    /// Children whose age is known.
    pub fn of_known_age(&self) -> u64 {
        self.ages.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_packs_and_unpacks_to_itself() {
        let yes_no = [None, Some(false), Some(true)];
        let mut seen = std::collections::HashSet::new();
        for more in [false, true] {
            for stays_with in std::iter::once(None).chain(StaysWith::ALL.iter().copied().map(Some))
            {
                for separated in
                    std::iter::once(None).chain(FamilySeparated::ALL.iter().copied().map(Some))
                {
                    for school in std::iter::once(None).chain(School::ALL.iter().copied().map(Some))
                    {
                        for heard in yes_no {
                            for assessed in yes_no {
                                for youth_care in yes_no {
                                    let profile = ChildProfile {
                                        knows_more_than_age: more,
                                        stays_with,
                                        separated,
                                        school,
                                        heard,
                                        best_interest_assessed: assessed,
                                        youth_care,
                                    };
                                    assert_eq!(ChildProfile::unpack(profile.pack()), profile);
                                    assert!(seen.insert(profile.pack()), "{profile:?}");
                                    // Each fact's bits hold that fact alone.
                                    let heard_only = ChildProfile {
                                        heard,
                                        ..ChildProfile::default()
                                    };
                                    assert_eq!(
                                        profile.pack()
                                            & ChildProfile::bits(crate::ChildVariable::Heard),
                                        heard_only.pack()
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
