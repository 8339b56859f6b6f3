//! A case's values as people read them: code lists by their labels, yes/no in words, dates
//! written out, in the reader's language. Files and the API keep the codes.

use dakwacht_core::written::{long_date, long_date_or_month};
use dakwacht_core::{Case, Child, ChildAge, ChildField, Field, Heard};

use crate::i18n::Tr;

/// The value of `field` in `case`; "onbekend" when it is not known.
pub fn value(case: &Case, field: Field, tr: &Tr) -> String {
    let lang = tr.lang;
    let label = |code: Option<&'static str>| code.map(str::to_string);
    let yes_no = |value: Option<bool>| value.map(|v| tr.t(if v { "yes" } else { "no" }));
    let shown = match field {
        Field::ReportedOn => Some(long_date(case.reported_on, lang)),
        Field::Household => label(case.household.map(|v| v.label(lang))),
        Field::Tenancy => label(case.tenancy.map(|v| v.label(lang))),
        Field::HomeLostOn => case.home_lost_on.map(|d| long_date_or_month(d, lang)),
        Field::Route => label(case.route.map(|v| v.label(lang))),
        Field::MainReason => label(case.main_reason.map(|v| v.label(lang))),
        Field::OtherReasons => (!case.other_reasons.is_empty()).then(|| {
            let labels: Vec<&str> = case.other_reasons.iter().map(|r| r.label(lang)).collect();
            labels.join(", ")
        }),
        Field::LegalSupport => label(case.legal_support.map(|v| v.label(lang))),
        Field::DefaultJudgment => yes_no(case.default_judgment),
        Field::AlternativeOffered => label(case.alternative_offered.map(|v| v.label(lang))),
        Field::SituationAfter => label(case.situation_after.map(|v| v.label(lang))),
        Field::CurrentSituation => label(case.current_situation.map(|v| v.label(lang))),
        Field::LastSeenOn => case.last_seen.map(|seen| long_date(seen.on, lang)),
        Field::LastSeenSituation => label(case.last_seen.map(|seen| seen.situation.label(lang))),
        Field::RehousedOn => case.rehoused_on.map(|d| long_date(d, lang)),
        Field::ChildHeard => yes_no(case.child_heard),
        Field::BestInterestWeighed => yes_no(case.best_interest_weighed),
        Field::FamilySeparated => label(case.family_separated.map(|v| v.label(lang))),
        Field::ShelterRefusedNoBinding => yes_no(case.shelter_refused_no_binding),
        Field::SchoolDisrupted => yes_no(case.school_disrupted),
        Field::ChildrenAges => case.children.ages.as_ref().map(|_| children(case, tr)),
        // References, names, counts and notes read the same as in the file.
        _ => Some(case.text(field)).filter(|text| !text.is_empty()),
    };
    shown.unwrap_or_else(|| tr.t("unknown"))
}

/// One child of a case as its card shows it: a heading (`Kind 2 (9 jaar)`) and its facts by the
/// children file's labels, "onbekend" where unknown. `record` is `None` for a child of whom only
/// the case knows something.
pub fn child_card(case: &Case, child_no: u8, record: Option<&Child>, tr: &Tr) -> ChildCard {
    let lang = tr.lang;
    let age = record.map(|r| r.age_in(case)).unwrap_or_else(|| {
        Child {
            child_no,
            ..Child::default()
        }
        .age_in(case)
    });
    let heading = match age {
        Some(age) => tr.t2("child-heading-age", "number", child_no, "age", age),
        None => tr.t1("child-heading", "number", child_no),
    };
    let Some(child) = record else {
        return ChildCard {
            heading,
            facts: Vec::new(),
            signals: Vec::new(),
            assessments: Vec::new(),
            start_assessment: None,
            edit: None,
        };
    };
    let unknown = || tr.t("unknown");
    let label = |code: Option<&'static str>| code.map_or_else(unknown, str::to_string);
    let yes_no =
        |value: Option<bool>| value.map_or_else(unknown, |v| tr.t(if v { "yes" } else { "no" }));
    let school = match (child.schooling.school, child.schooling.days_missed) {
        (Some(school), Some(days)) => tr.t2(
            "child-school-days",
            "school",
            school.label(lang),
            "days",
            i64::from(days),
        ),
        (school, _) => label(school.map(|s| s.label(lang))),
    };
    let heard = match child.heard {
        Some(Heard::Yes { by: Some(by) }) => tr.t1("child-heard-by", "by", by.label(lang)),
        Some(heard) => yes_no(Some(heard != Heard::No)),
        None => unknown(),
    };
    let facts = vec![
        (
            ChildField::StaysWith.label(lang),
            label(child.stays_with.map(|v| v.label(lang))),
        ),
        (
            ChildField::Separated.label(lang),
            label(child.separated.map(|v| v.label(lang))),
        ),
        (ChildField::School.label(lang), school),
        (ChildField::Heard.label(lang), heard),
        (
            ChildField::BestInterestAssessed.label(lang),
            if child.assessed_in_dakwacht {
                tr.t("child-assessed-in-dakwacht")
            } else {
                yes_no(child.best_interest_assessed)
            },
        ),
        (ChildField::YouthCare.label(lang), yes_no(child.youth_care)),
    ];
    ChildCard {
        heading,
        facts,
        signals: Vec::new(),
        assessments: Vec::new(),
        start_assessment: None,
        edit: None,
    }
}

/// A child's card on the case page.
pub struct ChildCard {
    pub heading: String,
    /// Label and value; empty when the child has no record yet.
    pub facts: Vec<(&'static str, String)>,
    /// The titles of the signals raised by this child's record.
    pub signals: Vec<String>,
    /// The child's best-interest assessments: link and "decision (state)".
    pub assessments: Vec<(String, String)>,
    /// Where to start one, for who may.
    pub start_assessment: Option<String>,
    /// Where to enter or change the record, for who may.
    pub edit: Option<String>,
}

/// The children: how many, with their ages where known (`2 (4 en 9 jaar)`).
pub fn children(case: &Case, tr: &Tr) -> String {
    let count = case.children.count;
    let Some(ages) = &case.children.ages else {
        return count.to_string();
    };
    let ages: Vec<String> = ages
        .iter()
        .map(|age| match age {
            ChildAge::Known(years) => years.to_string(),
            ChildAge::Unknown => tr.t("unknown"),
        })
        .collect();
    let (last, first) = ages
        .split_last()
        .map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
    let listed = if first.is_empty() {
        last
    } else {
        format!("{} {} {last}", first.join(", "), tr.t("and"))
    };
    tr.t2("children-with-ages", "count", count, "ages", listed)
}

/// A moment the store recorded (RFC 3339, UTC) in Dutch time, `3 april 2024 om 14:05`; the
/// text itself when it is not a timestamp.
pub fn moment(at: &str, tr: &Tr) -> String {
    match at.parse::<jiff::Timestamp>() {
        Ok(timestamp) => dakwacht_core::date::long_date_time(timestamp, tr.lang),
        Err(_) => at.to_string(),
    }
}

/// Who did something, from the store's actor (`user:anna`, `cli:beheer`): the user name, or the
/// operator's with "command line".
pub fn who(actor: &str, tr: &Tr) -> String {
    match actor.split_once(':') {
        Some(("user", name)) => name.to_string(),
        Some(("cli", name)) => tr.t1("actor-command-line", "name", name),
        _ => actor.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dakwacht_core::Lang;

    #[test]
    fn codes_dates_and_yes_no_are_shown_in_words() {
        let text = "case_ref,organisation,reported_on,children_count,route,home_lost_on,default_judgment,other_reasons\n\
                    A,Org,2024-04-03,2,court_eviction,2024-01,yes,nuisance;crime\n";
        let case = dakwacht_interchange::CaseReader::csv(text.as_bytes())
            .expect("readable")
            .expect("a header")
            .next()
            .expect("a row")
            .1
            .expect("a valid row");
        let nl = Tr::new(Lang::Nl);
        assert_eq!(value(&case, Field::ReportedOn, &nl), "3 april 2024");
        assert_eq!(value(&case, Field::HomeLostOn, &nl), "januari 2024");
        assert_eq!(value(&case, Field::DefaultJudgment, &nl), "ja");
        assert_eq!(value(&case, Field::Tenancy, &nl), "onbekend");
        assert_eq!(value(&case, Field::ChildrenCount, &nl), "2");
        assert_eq!(value(&case, Field::ChildrenAges, &nl), "onbekend");
        assert_ne!(value(&case, Field::Route, &nl), "court_eviction");
        let reasons = value(&case, Field::OtherReasons, &nl);
        assert!(reasons.contains("overlast"), "{reasons}");
        let en = Tr::new(Lang::En);
        assert_eq!(value(&case, Field::ReportedOn, &en), "3 April 2024");
        assert_eq!(value(&case, Field::DefaultJudgment, &en), "yes");
    }

    #[test]
    fn moments_are_written_out() {
        let nl = Tr::new(Lang::Nl);
        assert_eq!(
            moment("2026-12-01T14:05:09.123Z", &nl),
            "1 december 2026 om 15:05"
        );
        assert_eq!(moment("gisteren", &nl), "gisteren");
        assert_eq!(who("user:anna", &nl), "anna");
        assert_eq!(who("cli:beheer", &nl), "beheer (opdrachtregel)");
    }
}
