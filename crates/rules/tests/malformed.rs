#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! An edited rules file with a mistake is refused with a message that names the rule, and
//! evaluation never panics, whatever the case holds.

use dakwacht_core::{
    Alternative, DateOrMonth, Facts, FamilySeparated, Household, LegalSupport, LivingSituation,
    Reason, Route, Tenancy, date::parse_date,
};
use dakwacht_rules::{BUILT_IN, RuleSet, RulesError};
use proptest::prelude::*;

fn rule(id: &str, when: &str) -> String {
    format!(
        r#"
[[rule]]
id = "{id}"
severity = "medium"
when = '{when}'
title.nl = "Titel"
title.en = "Title"
explanation.nl = "Uitleg"
explanation.en = "Explanation"
next_steps.nl = ["Stap"]
next_steps.en = ["Step"]
[[rule.source]]
instrument = "IVRK"
article = "12"
"#
    )
}

/// A file of version 1 with one rule.
fn file(id: &str, when: &str) -> String {
    format!("version = \"1\"\n{}", rule(id, when))
}

/// Asserts that `message` names rule `id` and says each of `says`.
fn assert_names(message: &str, id: &str, says: &[&str]) {
    assert!(message.contains(&format!("rule '{id}'")), "{message}");
    for words in says {
        assert!(message.contains(words), "{words}: {message}");
    }
}

fn refused(text: &str) -> String {
    match RuleSet::parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_valid_edited_file_is_accepted() {
    let text = format!(
        "version = \"test.1\"\n{}",
        rule("child_not_heard", "child_heard == false")
    );
    let rules = RuleSet::parse(&text).unwrap();
    assert_eq!(rules.version, "test.1");
    assert_eq!(rules.rules.len(), 1);
}

/// A mistaken condition names the rule and says what is wrong with it.
#[test]
fn a_mistaken_condition_names_the_rule_and_the_mistake() {
    let mistakes: [(&str, &str, &[&str]); 4] = [
        // An unknown field, and the field meant.
        (
            "my_rule",
            "child_herd == false",
            &["unknown field `child_herd`", "did you mean `child_heard`"],
        ),
        // A syntax error.
        ("broken", "child_heard == ", &["syntax error"]),
        // A misspelt code, and the codes there are.
        ("typo", "route == \"court_evicton\"", &["court_eviction"]),
        // A condition that breaks on unknown values.
        ("long", "duration_months >= 6", &["check for null first"]),
    ];
    for (id, when, says) in mistakes {
        refuses(id, when, says);
    }
}

#[test]
fn steps_for_the_family_are_optional_but_never_empty_or_misspelt() {
    use dakwacht_core::Lang;
    let plain = RuleSet::parse(&file("x", "child_heard == false")).unwrap();
    assert_eq!(plain.rules[0].steps_for_family(Lang::Nl), &["Stap"]);
    let own = file("x", "child_heard == false").replace(
        "next_steps.en = [\"Step\"]\n",
        "next_steps.en = [\"Step\"]\nfamily_steps.nl = [\"Bel ons\"]\nfamily_steps.en = [\"Call us\"]\n",
    );
    let rules = RuleSet::parse(&own).unwrap();
    assert_eq!(rules.rules[0].steps_for_family(Lang::Nl), &["Bel ons"]);
    assert_eq!(rules.rules[0].steps_for_family(Lang::En), &["Call us"]);
    assert_eq!(rules.rules[0].next_steps.nl, ["Stap"]);
    assert_names(
        &refused(&own.replace("[\"Bel ons\"]", "[]")),
        "x",
        &["family_steps needs at least one step"],
    );
    assert_names(
        &refused(&own.replace("family_steps.en", "family_steps.de")),
        "x",
        &["family_steps.de"],
    );
}

#[test]
fn a_duplicate_id_names_the_rule() {
    let text = format!(
        "version = \"1\"\n{}{}",
        rule("twice", "child_heard == false"),
        rule("twice", "school_disrupted == true")
    );
    assert_names(&refused(&text), "twice", &["used by an earlier rule"]);
}

#[test]
fn a_misspelt_key_or_bad_severity_names_the_rule() {
    // Rule, what the file had, what it has instead, and what the message says.
    for (id, right, wrong, says) in [
        ("keys", "explanation.nl", "explenation.nl", "explenation"),
        ("level", "\"medium\"", "\"urgent\"", "urgent"),
    ] {
        let text = file(id, "child_heard == false").replace(right, wrong);
        assert_names(&refused(&text), id, &[says]);
    }
}

#[test]
fn a_rule_without_an_id_is_named_by_its_position() {
    let text = file("x", "child_heard == false").replace("id = \"x\"\n", "");
    assert!(refused(&text).contains("rule number 1 (it has no id)"));
}

#[test]
fn broken_toml_and_a_missing_version_are_clear() {
    let message = refused("version = \"1\"\n[[rule]\nid = \"x\"");
    assert!(
        message.contains("not valid TOML") && message.contains("line 2"),
        "{message}"
    );
    assert_eq!(
        RuleSet::parse("version = \"\"\n").unwrap_err(),
        RulesError::NoVersion
    );
}

/// Asserts that a file with only rule `id`, with condition `when`, is refused quickly with a
/// message that names the rule and says each of `says`.
fn refuses(id: &str, when: &str, says: &[&str]) {
    assert_names(&refused_quickly(&file(id, when)), id, says);
}

/// Refuses a hostile file within a second (in a test thread's small stack, as a server's worker
/// would have), and returns the message.
fn refused_quickly(text: &str) -> String {
    let started = std::time::Instant::now();
    let message = refused(text);
    let took = started.elapsed();
    assert!(took.as_secs_f64() < 1.0, "took {took:?}: {message}");
    message
}

/// `[1,1,…]` with `n` elements.
fn list(n: usize) -> String {
    format!("[{}]", vec!["1"; n].join(","))
}

#[test]
fn ten_thousand_nested_parentheses_are_refused_before_parsing() {
    let deep = format!(
        "{}child_heard == false{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    refuses("deep", &deep, &["characters"]);
    // Short enough, but too deep: the nesting is checked on the text too.
    let deep = format!("{}child_heard == false{}", "[".repeat(40), "]".repeat(40));
    refuses("deep", &deep, &["nested more than 16 deep"]);
}

#[test]
fn a_long_chain_of_operators_is_refused_without_overflowing_the_stack() {
    // 20,000 terms overflowed the parser's stack in a 2 MB thread before the length was bounded.
    let chain = format!("{} > 0", vec!["1"; 20_000].join(" + "));
    refuses("chain", &chain, &["at most 1000 are allowed"]);
    // Within the length, but too many parts.
    let chain = format!("{} > 0", vec!["1"; 450].join("+"));
    refuses("parts", &chain, &["parts; at most 400"]);
}

#[test]
fn exponential_comprehensions_are_refused_by_their_steps() {
    // Four nested exists over ten elements: 10,000 bodies per case, each of several steps.
    let l = list(10);
    let nested =
        format!("{l}.exists(a, {l}.exists(b, {l}.exists(c, {l}.exists(d, a + b + c + d == 0))))");
    refuses("nested", &nested, &["nested 4 deep"]);
    // Two levels, each over a big list literal.
    let l = list(150);
    let wide = format!("{l}.exists(a, {l}.exists(b, a + b == 0))");
    refuses("wide", &wide, &["steps per case"]);
    // map over map builds big lists too.
    let l = list(60);
    let mapped = format!("size({l}.map(a, {l}.map(b, a + b))) > 0");
    refuses("mapped", &mapped, &[]);

    // What a rule really needs stays allowed.
    let fine = "children_ages.exists(a, a < 4) && other_reasons.all(r, r != \"nuisance\")";
    RuleSet::parse(&file("fine", fine)).unwrap();
}

#[test]
fn a_file_with_too_many_rules_or_deep_toml_is_refused_quickly() {
    let many: String = (0..600)
        .map(|i| rule(&format!("r{i}"), "child_heard == false"))
        .collect();
    let message = refused_quickly(&format!("version = \"1\"\n{many}"));
    assert!(message.contains("600 rules; at most 500"), "{message}");

    let deep = format!(
        "version = \"1\"\nx = {}1{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let message = refused_quickly(&deep);
    assert!(message.contains("not valid TOML"), "{message}");
}

#[test]
fn the_shipped_file_is_the_built_in_one() {
    let on_disk = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../rules/rules.toml"
    ))
    .unwrap();
    assert_eq!(on_disk, BUILT_IN);
}

fn pick<T: Copy + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(proptest::sample::select(all))
}

prop_compose! {
    /// Any combination of values, known or unknown: more than any valid case can hold.
    fn any_facts()(
        household in pick(Household::ALL),
        children_count in proptest::option::of(1u8..=20),
        children_ages in proptest::option::of(proptest::collection::vec(0u8..=17, 0..6)),
        tenancy in pick(Tenancy::ALL),
        home_lost in proptest::option::of((2000i16..2030, 1i8..=12, proptest::option::of(1i8..=28))),
        route in pick(Route::ALL),
        main_reason in pick(Reason::ALL),
        other_reasons in proptest::option::of(proptest::collection::vec(proptest::sample::select(Reason::ALL), 0..4)),
        legal_support in pick(LegalSupport::ALL),
        yes_no in proptest::collection::vec(proptest::option::of(any::<bool>()), 6),
        alternative_offered in pick(Alternative::ALL),
        situations in proptest::collection::vec(pick(LivingSituation::ALL), 3),
        family_separated in pick(FamilySeparated::ALL),
        duration_months in proptest::option::of(0u32..600),
        out_of_view in proptest::option::of(any::<bool>()),
        children in proptest::option::of(proptest::collection::vec(
            (1u8..=20, proptest::option::of(0u8..=17), 0i64..(1 << 15)),
            0..5,
        )),
    ) -> Facts {
        let home_lost_on = home_lost.and_then(|(year, month, day)| match day {
            Some(day) => parse_date(&format!("{year}-{month:02}-{day:02}")).map(DateOrMonth::from),
            None => DateOrMonth::parse(&format!("{year}-{month:02}")),
        });
        Facts {
            reported_on: parse_date("2025-04-01"),
            household,
            children_count,
            children_ages,
            tenancy,
            home_lost_on,
            route,
            main_reason,
            other_reasons,
            legal_support,
            default_judgment: yes_no[0],
            alternative_offered,
            situation_after: situations[0],
            current_situation: situations[1],
            last_seen_on: None,
            last_seen_situation: situations[2],
            rehoused_on: None,
            child_heard: yes_no[1],
            best_interest_weighed: yes_no[2],
            family_separated,
            shelter_refused_no_binding: yes_no[3],
            school_disrupted: yes_no[4],
            duration_months,
            out_of_view,
            // Any record: every packed profile, known or not, for any child number.
            children: children.map(|records| {
                records
                    .into_iter()
                    .map(|(child_no, age, packed)| dakwacht_core::ChildFacts {
                        child_no,
                        age,
                        profile: dakwacht_core::ChildProfile::unpack(packed),
                    })
                    .collect()
            }),
        }
    }
}

proptest! {
    #[test]
    fn evaluation_never_panics_and_never_fails_on_the_shipped_rules(facts in any_facts()) {
        let rules = RuleSet::built_in().unwrap();
        let evaluation = rules.evaluator().facts(&facts);
        prop_assert!(evaluation.problems.is_empty(), "{:?}", evaluation.problems);
        let tally = rules.evaluator().tally(&[(facts.clone(), 3)]);
        for (count, rule) in tally.rules.iter().zip(&rules.rules) {
            let raised = evaluation.signals.iter().any(|s| s.rule.id == rule.id);
            prop_assert_eq!(count.cases, if raised { 3 } else { 0 });
        }
    }

    #[test]
    fn arbitrary_condition_text_never_panics(when in any::<String>()) {
        let text = file("fuzz", &when.replace('\'', ""));
        let _ = RuleSet::parse(&text);
    }
}
