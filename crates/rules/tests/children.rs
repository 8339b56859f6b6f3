#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Rules held against each child record (`when_child`): each child rule raised by a record and
//! not by a near-identical one, the signal naming the child, the child record winning over the
//! family's own field with the disagreement shown, and the counts over many cases agreeing with
//! the evaluation of each case.

use dakwacht_core::{Case, Child, Facts, FamilySeparated, Heard, Lang, School, Schooling};
use dakwacht_interchange::CaseReader;
use dakwacht_rules::{RuleSet, Severity};

/// A family of two children (4 and 9) whose every right was respected, by its own fields.
fn family(changes: &[(&str, &str)]) -> Case {
    let mut columns: Vec<(&str, &str)> = vec![
        ("case_ref", "K-1"),
        ("organisation", "Testorganisatie"),
        ("reported_on", "2025-04-01"),
        ("household", "two_parents"),
        ("children_count", "2"),
        ("children_ages", "4;9"),
        ("route", "court_eviction"),
        ("legal_support", "lawyer"),
        ("default_judgment", "no"),
        ("alternative_offered", "adequate_housing"),
        ("situation_after", "housed"),
        ("current_situation", "housed"),
        ("rehoused_on", "2025-01-10"),
        ("home_lost_on", "2025-01-10"),
        ("child_heard", "yes"),
        ("best_interest_weighed", "yes"),
        ("family_separated", "no"),
        ("school_disrupted", "no"),
    ];
    for (column, value) in changes {
        match columns.iter_mut().find(|(c, _)| c == column) {
            Some(entry) => entry.1 = value,
            None => columns.push((column, value)),
        }
    }
    let header: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    let row: Vec<&str> = columns.iter().map(|(_, v)| *v).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let mut reader = CaseReader::csv(text.as_bytes()).unwrap().unwrap();
    reader.next().unwrap().1.unwrap()
}

/// Child `no` of the family, with its age and nothing else known.
fn child(no: u8) -> Child {
    Child {
        child_no: no,
        age: Some([4, 9][usize::from(no) - 1]),
        ..Child::default()
    }
}

fn rules() -> RuleSet {
    RuleSet::built_in().unwrap()
}

/// The signals (id, severity, numbers of the children named) of a family with these records.
fn signals(case: &Case, children: &[Child]) -> Vec<(String, Severity, Vec<u8>)> {
    let rules = rules();
    let evaluation = rules.evaluator().family(case, children);
    assert!(evaluation.problems.is_empty(), "{:?}", evaluation.problems);
    evaluation
        .signals
        .iter()
        .map(|s| {
            (
                s.rule.id.clone(),
                s.severity,
                s.children.iter().map(|c| c.child_no).collect(),
            )
        })
        .collect()
}

/// The disagreements (rule, what the family's fields say, children raising it).
fn disagreements(case: &Case, children: &[Child]) -> Vec<(String, bool, Vec<u8>)> {
    let rules = rules();
    let evaluation = rules.evaluator().family(case, children);
    evaluation
        .disagreements
        .iter()
        .map(|d| {
            (
                d.rule.id.clone(),
                d.family_raises,
                d.children.iter().map(|c| c.child_no).collect(),
            )
        })
        .collect()
}

/// Each child rule, a record that raises it and a near-identical one that does not.
fn child_rules() -> Vec<(&'static str, Severity, Child, Child)> {
    let with = |change: fn(&mut Child)| {
        let mut record = child(2);
        change(&mut record);
        record
    };
    vec![
        (
            "family_separation",
            Severity::High,
            with(|c| c.separated = Some(FamilySeparated::Yes)),
            with(|c| c.separated = Some(FamilySeparated::No)),
        ),
        (
            "family_separation",
            Severity::High,
            with(|c| c.separated = Some(FamilySeparated::Threatened)),
            with(|c| c.separated = Some(FamilySeparated::No)),
        ),
        (
            "child_not_heard",
            Severity::Medium,
            with(|c| c.heard = Some(Heard::No)),
            with(|c| c.heard = Some(Heard::Yes { by: None })),
        ),
        (
            "best_interest_not_weighed",
            Severity::Medium,
            with(|c| c.best_interest_assessed = Some(false)),
            with(|c| c.best_interest_assessed = Some(true)),
        ),
        (
            "school_disrupted",
            Severity::Medium,
            with(|c| {
                c.schooling = Schooling {
                    school: Some(School::MissingSchool),
                    days_missed: Some(30),
                }
            }),
            with(|c| c.schooling.school = Some(School::AttendsSame)),
        ),
        (
            "school_disrupted",
            Severity::Medium,
            with(|c| c.schooling.school = Some(School::ChangedSchool)),
            with(|c| c.schooling.school = Some(School::NotSchoolAge)),
        ),
    ]
}

#[test]
fn each_child_rule_names_the_child_it_concerns_and_is_silent_for_a_near_identical_record() {
    let case = family(&[]);
    for (id, severity, raising, silent) in child_rules() {
        let raised = signals(&case, &[child(1), raising.clone()]);
        assert_eq!(
            raised,
            vec![(id.to_string(), severity, vec![2])],
            "{id} for {raising:?}"
        );
        assert_eq!(signals(&case, &[child(1), silent.clone()]), vec![], "{id}");
    }
}

#[test]
fn the_signal_names_each_child_by_number_and_age() {
    let case = family(&[]);
    let not_heard = |no| Child {
        heard: Some(Heard::No),
        ..child(no)
    };
    let rules = rules();
    let evaluation = rules
        .evaluator()
        .family(&case, &[not_heard(1), not_heard(2)]);
    let signal = &evaluation.signals[0];
    assert_eq!(signal.rule.id, "child_not_heard");
    assert_eq!(
        signal.children_named(Lang::Nl),
        "kind 1 (4 jaar), kind 2 (9 jaar)"
    );
    assert_eq!(
        signal.children_named(Lang::En),
        "child 1 (age 4), child 2 (age 9)"
    );

    // A record without an age is named with the age its case gives it.
    let without_age = Child {
        age: None,
        ..not_heard(2)
    };
    let evaluation = rules.evaluator().family(&case, &[without_age]);
    assert_eq!(
        evaluation.signals[0].children_named(Lang::Nl),
        "kind 2 (9 jaar)"
    );
}

#[test]
fn the_child_record_wins_over_the_familys_field_and_the_disagreement_is_shown() {
    // The family's field says the children were heard; child 2's record says it was not.
    let case = family(&[("child_heard", "yes")]);
    let not_heard = Child {
        heard: Some(Heard::No),
        ..child(2)
    };
    let heard = Child {
        heard: Some(Heard::Yes { by: None }),
        ..child(1)
    };
    assert_eq!(
        signals(&case, &[heard.clone(), not_heard.clone()]),
        vec![("child_not_heard".to_string(), Severity::Medium, vec![2])]
    );
    assert_eq!(
        disagreements(&case, &[heard.clone(), not_heard]),
        vec![("child_not_heard".to_string(), false, vec![2])]
    );

    // The other way round: the family's field says no, every record says heard.
    let case = family(&[("child_heard", "no")]);
    let heard_2 = Child {
        heard: Some(Heard::Yes { by: None }),
        ..child(2)
    };
    assert_eq!(signals(&case, &[heard.clone(), heard_2.clone()]), vec![]);
    let shown = disagreements(&case, &[heard.clone(), heard_2.clone()]);
    assert_eq!(shown, vec![("child_not_heard".to_string(), true, vec![])]);
    let rules = rules();
    let evaluation = rules.evaluator().family(&case, &[heard.clone(), heard_2]);
    let sentence = evaluation.disagreements[0].sentence(Lang::Nl);
    assert!(sentence.contains("Kinderen niet gehoord"), "{sentence}");
    assert!(sentence.contains("kinddossiers gelden"), "{sentence}");

    // Agreement is no disagreement; an unknown family field says nothing to disagree with.
    let agreeing = family(&[("child_heard", "yes")]);
    assert_eq!(
        disagreements(&agreeing, std::slice::from_ref(&heard)),
        vec![]
    );
    let unknown = family(&[("child_heard", "")]);
    let not_heard_1 = Child {
        heard: Some(Heard::No),
        ..child(1)
    };
    assert_eq!(
        disagreements(&unknown, std::slice::from_ref(&not_heard_1)),
        vec![]
    );
    assert_eq!(
        signals(&unknown, &[not_heard_1]),
        vec![("child_not_heard".to_string(), Severity::Medium, vec![1])]
    );
}

#[test]
fn records_that_know_nothing_of_the_rule_leave_the_familys_field_in_force() {
    // Only ages are known of the children: the family's own fields decide, as before records.
    let case = family(&[("child_heard", "no"), ("school_disrupted", "yes")]);
    let ages_only = [child(1), child(2)];
    let expected = vec![
        ("child_not_heard".to_string(), Severity::Medium, vec![]),
        ("school_disrupted".to_string(), Severity::Medium, vec![]),
    ];
    assert_eq!(signals(&case, &ages_only), expected);
    assert_eq!(signals(&case, &[]), expected);
    assert_eq!(disagreements(&case, &ages_only), vec![]);

    // A record speaks for its own child; the family's field still speaks for the other one.
    let at_school = |no| Child {
        schooling: Schooling {
            school: Some(School::AttendsSame),
            days_missed: None,
        },
        ..child(no)
    };
    assert_eq!(signals(&case, &[at_school(1), child(2)]), expected);
    assert_eq!(disagreements(&case, &[at_school(1), child(2)]), vec![]);
    // When every child's record says it attends its school, the records decide against the
    // family's field, and say so.
    assert_eq!(
        signals(&case, &[at_school(1), at_school(2)]),
        vec![("child_not_heard".to_string(), Severity::Medium, vec![])]
    );
    assert_eq!(
        disagreements(&case, &[at_school(1), at_school(2)]),
        vec![("school_disrupted".to_string(), true, vec![])]
    );
}

#[test]
fn a_family_offered_shelter_for_the_children_only_raises_separation_for_every_child() {
    let case = family(&[("alternative_offered", "children_only")]);
    let not_separated = |no| Child {
        separated: Some(FamilySeparated::No),
        ..child(no)
    };
    let raised = signals(&case, &[not_separated(1), not_separated(2)]);
    assert!(
        raised.contains(&("family_separation".to_string(), Severity::High, vec![1, 2])),
        "{raised:?}"
    );
}

#[test]
fn counting_over_many_cases_agrees_with_each_case() {
    let rules = rules();
    let evaluator = rules.evaluator();
    let mut families: Vec<(Case, Vec<Child>)> = Vec::new();
    for (index, (_, _, raising, silent)) in child_rules().into_iter().enumerate() {
        let heard = if index % 2 == 0 { "yes" } else { "no" };
        families.push((family(&[("child_heard", heard)]), vec![child(1), raising]));
        families.push((family(&[("child_heard", heard)]), vec![silent]));
        families.push((family(&[("child_heard", heard)]), Vec::new()));
    }
    let variables = rules.variables();
    let mut groups: std::collections::HashMap<Facts, u64> = Default::default();
    for (case, children) in &families {
        *groups
            .entry(Facts::of_family(case, children).only(&variables))
            .or_default() += 1;
    }
    let groups: Vec<(Facts, u64)> = groups.into_iter().collect();
    let tally = evaluator.tally(&groups);
    for count in &tally.rules {
        let by_case = families
            .iter()
            .filter(|(case, children)| {
                evaluator
                    .family(case, children)
                    .signals
                    .iter()
                    .any(|s| s.rule.id == count.id)
            })
            .count() as u64;
        assert_eq!(count.cases, by_case, "{}", count.id);
        let mut matcher = evaluator.matcher(rules.rule(&count.id).unwrap());
        let matched = families
            .iter()
            .filter(|(case, children)| matcher.raised_by_facts(&Facts::of_family(case, children)))
            .count() as u64;
        assert_eq!(matched, by_case, "{}", count.id);
    }
    let heard = tally
        .rules
        .iter()
        .find(|c| c.id == "child_not_heard")
        .unwrap();
    assert!(heard.cases > 0);
}

/// A rules file of one rule with these conditions, as `RuleSet::parse` reports it.
fn parse_rule(conditions: &str) -> Result<RuleSet, String> {
    let text = format!(
        "version = \"t\"\n[[rule]]\nid = \"r\"\nseverity = \"medium\"\n{conditions}\n\
         title.nl = \"t\"\ntitle.en = \"t\"\nexplanation.nl = \"e\"\nexplanation.en = \"e\"\n\
         next_steps.nl = [\"s\"]\nnext_steps.en = [\"s\"]\n[[rule.source]]\ninstrument = \"IVRK\"\n"
    );
    RuleSet::parse(&text).map_err(|e| e.to_string())
}

#[test]
fn a_child_condition_is_checked_when_the_file_is_loaded() {
    let error = |conditions: &str| parse_rule(conditions).unwrap_err();
    assert!(
        error("when_child = 'child.hears == false'").contains("did you mean `child.heard`"),
        "{}",
        error("when_child = 'child.hears == false'")
    );
    assert!(
        error("when_child = 'child.school == \"skipping\"'").contains("not a code of child.school")
    );
    assert!(error("when = 'child.heard == false'").contains("only be read in `when_child`"));
    assert!(
        error("when_child = 'child.age != null && child.age >= 4'")
            .contains("reads nothing of the child's situation")
    );
    assert!(error("when_child = 'child.age >= 4'").contains("check for null first"));
    assert!(
        error("severity_high_when = 'route == \"removed_without_court\"'")
            .contains("`when` is missing")
    );
    assert!(error("when_chil = 'child.heard == false'").contains("did you mean `when_child`"));

    let rules = parse_rule(
        "when_child = 'child.heard == false'\n\
         severity_high_when = 'child.age != null && child.age <= 4'",
    )
    .unwrap();
    let case = family(&[]);
    let not_heard = |no| Child {
        heard: Some(Heard::No),
        ..child(no)
    };
    // A rule of child records only: raised by the records, high for the youngest child.
    let evaluation = rules.evaluator().family(&case, &[not_heard(1)]);
    assert_eq!(evaluation.signals[0].severity, Severity::High);
    let evaluation = rules.evaluator().family(&case, &[not_heard(2)]);
    assert_eq!(evaluation.signals[0].severity, Severity::Medium);
    assert!(
        rules
            .evaluator()
            .family(&case, &[child(1)])
            .signals
            .is_empty()
    );
    assert!(rules.evaluator().case(&case).signals.is_empty());
}
