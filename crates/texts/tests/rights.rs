//! The rights check's questions: asked one at a time, only when the answer can change which
//! rights apply, for three families of the issue and one with a term that runs out; the file
//! validated on load; its texts plain.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::collections::BTreeMap;

use dakwacht_core::Lang;
use dakwacht_rules::{BUILT_IN as RULES, RuleSet};
use dakwacht_texts::PlainLanguage;
use dakwacht_texts::rights::{Answers, BUILT_IN, RightsCheck, RightsCheckError};

/// Answers the questions the check asks, from what the family would say; gives the questions
/// asked, in order, and the answers.
fn walk(check: &RightsCheck, rules: &RuleSet, family: &[(&str, &str)]) -> (Vec<String>, Answers) {
    let says: BTreeMap<&str, &str> = family.iter().copied().collect();
    let mut answers = Answers::new();
    let mut asked = Vec::new();
    while let Some(question) = check.next(rules, &answers) {
        let answer = says
            .get(question.id.as_str())
            .unwrap_or_else(|| panic!("the family was not expected to be asked '{}'", question.id));
        asked.push(question.id.clone());
        answers.insert(question.id.clone(), answer.to_string());
    }
    (asked, answers)
}

fn rights(check: &RightsCheck, rules: &RuleSet, answers: &Answers) -> Vec<String> {
    check
        .rights(rules, answers, Lang::Nl)
        .iter()
        .map(|r| r.rule.id.clone())
        .collect()
}

fn built_in() -> (RuleSet, RightsCheck) {
    let rules = RuleSet::built_in().unwrap();
    let check = RightsCheck::built_in(&rules).unwrap();
    (rules, check)
}

#[test]
fn removed_without_a_court_with_two_children() {
    let (rules, check) = built_in();
    let (asked, answers) = walk(
        &check,
        &rules,
        &[
            ("judge", "no"),
            ("locks", "yes"),
            ("legal_help", "no"),
            ("sleep", "friends"),
            ("shelter_refused", "no"),
            ("school", "no"),
        ],
    );
    // No "verstek" (no judge) and no "notice" (the locks were changed).
    assert_eq!(
        asked,
        [
            "judge",
            "locks",
            "legal_help",
            "sleep",
            "shelter_refused",
            "school"
        ]
    );
    assert_eq!(
        rights(&check, &rules, &answers),
        [
            "removed_without_court",
            "homeless_after_loss",
            "no_legal_support",
            "school_disrupted"
        ]
    );
}

#[test]
fn a_notice_to_quit_not_yet_accepted() {
    let (rules, check) = built_in();
    let (asked, answers) = walk(
        &check,
        &rules,
        &[
            ("judge", "no"),
            ("locks", "no"),
            ("notice", "yes"),
            ("legal_help", "no"),
            ("sleep", "home"),
            ("shelter_refused", "no"),
            ("school", "yes"),
        ],
    );
    assert_eq!(asked.len(), 7);
    assert_eq!(
        rights(&check, &rules, &answers),
        ["left_without_court", "no_legal_support"]
    );
}

#[test]
fn shelter_refused_for_lack_of_regional_ties() {
    let (rules, check) = built_in();
    let (asked, answers) = walk(
        &check,
        &rules,
        &[
            ("judge", "yes"),
            ("absent", "no"),
            ("legal_help", "yes"),
            ("sleep", "outside"),
            ("shelter_refused", "yes"),
            ("school", "yes"),
        ],
    );
    assert!(!asked.contains(&"served_on".to_string()), "no term runs");
    assert_eq!(
        rights(&check, &rules, &answers),
        ["homeless_after_loss", "shelter_refused_no_binding"]
    );
}

#[test]
fn a_default_judgment_comes_first_with_the_last_day_to_object() {
    let (rules, check) = built_in();
    let (asked, answers) = walk(
        &check,
        &rules,
        &[
            ("judge", "yes"),
            ("absent", "yes"),
            ("served_on", "2026-12-01"),
            ("legal_help", "yes"),
            ("sleep", "friends"),
            ("shelter_refused", "no"),
            ("school", "yes"),
        ],
    );
    assert_eq!(&asked[..3], ["judge", "absent", "served_on"]);
    let rights = check.rights(&rules, &answers, Lang::Nl);
    assert_eq!(rights[0].rule.id, "default_judgment");
    let (end, said) = rights[0].term.clone().unwrap();
    assert_eq!(end, dakwacht_core::date::parse_date("2026-12-29"));
    assert_eq!(
        said,
        "U kunt verzet doen tot en met 29 december 2026. Zoek vandaag nog juridische hulp."
    );
    assert_eq!(rights[1].rule.id, "homeless_after_loss");
    // Without the day, the term is said without an end date.
    let mut without = answers.clone();
    without.remove("served_on");
    let rights = check.rights(&rules, &without, Lang::En);
    let (end, said) = rights[0].term.clone().unwrap();
    assert_eq!(end, None);
    assert!(said.contains("4 weeks after that day"), "{said}");
}

#[test]
fn a_question_whose_answer_changes_nothing_is_not_asked() {
    // Without the rules on shelter and school, those questions cannot change the outcome.
    let start = |id: &str| RULES.find(&format!("id = \"{id}\"")).unwrap();
    let mut text = RULES.to_string();
    for id in ["shelter_refused_no_binding", "school_disrupted"] {
        let begin = text[..start(id)].rfind("[[rule]]").unwrap();
        let begin = text[..begin].len();
        let after = text[begin + 8..]
            .find("[[rule]]")
            .map_or(text.len(), |n| begin + 8 + n);
        text.replace_range(begin..after, "");
        assert!(!text.contains(&format!("id = \"{id}\"")));
    }
    let rules = RuleSet::parse(&text).unwrap();
    let check = RightsCheck::built_in(&rules).unwrap();
    let (asked, _) = walk(
        &check,
        &rules,
        &[
            ("judge", "no"),
            ("locks", "yes"),
            ("legal_help", "no"),
            ("sleep", "friends"),
        ],
    );
    assert_eq!(asked, ["judge", "locks", "legal_help", "sleep"]);
}

#[test]
fn the_questions_are_plain_language() {
    let (_, check) = built_in();
    let texts = check.texts();
    assert!(texts.len() > 40);
    let report = PlainLanguage::built_in().unwrap().check(&texts);
    let said: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.passes(), "{said:#?} {:?}", report.averages);
}

fn refused(text: &str) -> RightsCheckError {
    RightsCheck::parse(text, &RuleSet::built_in().unwrap()).unwrap_err()
}

#[test]
fn a_file_that_does_not_fit_the_interchange_or_the_rules_is_refused() {
    let error = refused(&BUILT_IN.replace(
        "sets = { route = \"court_eviction\" }",
        "sets = { rout = \"court_eviction\" }",
    ));
    assert!(
        error
            .to_string()
            .contains("question 'judge': answer 'yes' sets 'rout', which is not a column"),
        "{error}"
    );
    let error = refused(&BUILT_IN.replace(
        "sets = { route = \"court_eviction\" }",
        "sets = { route = \"court\" }",
    ));
    assert!(
        error
            .to_string()
            .contains("question 'judge': answer 'yes':"),
        "{error}"
    );
    let error =
        refused(&BUILT_IN.replace("only_if = \"judge = yes\"", "only_if = \"rechter = ja\""));
    assert!(
        error
            .to_string()
            .contains("only_if 'rechter = ja' names no earlier question and answer"),
        "{error}"
    );
    let error = refused(&BUILT_IN.replace("rule = \"default_judgment\"", "rule = \"verstek\""));
    assert_eq!(
        error,
        RightsCheckError::Term {
            rule: "verstek".into(),
            problem: "the rules file has no such rule".into()
        }
    );
    let error = refused(&BUILT_IN.replace("from = \"served_on\"", "from = \"judge\""));
    assert!(
        error
            .to_string()
            .contains("`from` must name a date question"),
        "{error}"
    );
}

#[test]
fn answers_that_do_not_belong_together_are_dropped() {
    let (rules, check) = built_in();
    let given: Answers = [
        // "absent" only follows "judge = yes": with "judge = no" it is dropped, and so is an
        // answer the question does not offer and a day that is not one.
        ("judge", "no"),
        ("absent", "yes"),
        ("locks", "maybe"),
        ("served_on", "2026-02-30"),
        ("legal_help", "no"),
        ("unknown", "yes"),
    ]
    .into_iter()
    .map(|(q, a)| (q.to_string(), a.to_string()))
    .collect();
    let kept = check.consistent(&given);
    let kept: Vec<(&str, &str)> = kept.iter().map(|(q, a)| (q.as_str(), a.as_str())).collect();
    assert_eq!(kept, [("judge", "no"), ("legal_help", "no")]);
    // Without the dropping, the family would be told of a judgment given in its absence after
    // saying no judge ruled.
    assert_eq!(check.case_of(&given).unwrap().default_judgment, Some(true));
    assert_eq!(
        check
            .case_of(&check.consistent(&given))
            .unwrap()
            .default_judgment,
        None
    );
    assert_eq!(
        check.next(&rules, &check.consistent(&given)).unwrap().id,
        "locks"
    );
}
