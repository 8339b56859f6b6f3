//! The letters (spec/rights-and-letters.md, "Letters"): the shipped files load, a letter with an
//! unknown placeholder, citation or contact is refused naming the letter, the dates are
//! computed from the day of writing, and what a family or child reads of them is plain.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::Date;
use dakwacht_core::date::parse_date;
use dakwacht_rules::RuleSet;
use dakwacht_texts::PlainLanguage;
use dakwacht_texts::contacts::Contacts;
use dakwacht_texts::letters::{
    BUILT_IN, CITATIONS, LetterError, Letters, OPEN, Paragraph, Values, paragraphs,
};

fn day(text: &str) -> Date {
    parse_date(text).unwrap()
}

fn contacts() -> Contacts {
    Contacts::built_in(day("2026-12-07")).unwrap()
}

fn letters() -> Letters {
    Letters::built_in(&RuleSet::built_in().unwrap(), &contacts()).unwrap()
}

/// The shipped no_self_help letter with `from` replaced by `to`, loaded alone.
fn edited(from: &str, to: &str) -> Result<Letters, LetterError> {
    let (file, text) = BUILT_IN[0];
    assert!(text.contains(from), "{from}");
    let text = text.replacen(from, to, 1);
    Letters::parse(
        CITATIONS,
        &[(file, &text)],
        &RuleSet::built_in().unwrap(),
        &contacts(),
    )
}

fn refusal(from: &str, to: &str) -> String {
    match edited(from, to) {
        Err(LetterError::Letter {
            file,
            letter,
            problem,
        }) => {
            assert_eq!(file, "letters/no_self_help.toml");
            assert_eq!(letter, "no_self_help");
            problem
        }
        other => panic!("not refused as a letter: {other:?}"),
    }
}

#[test]
fn the_five_letters_of_the_spec_load() {
    let letters = letters();
    let ids: Vec<&str> = letters.letters.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "no_self_help",
            "refuse_notice",
            "shelter_request",
            "postal_address",
            "child_explanation"
        ]
    );
    for letter in &letters.letters {
        assert!(!letters.sources(letter).is_empty(), "{}", letter.id);
    }
}

#[test]
fn an_unknown_placeholder_citation_or_contact_is_refused_naming_the_letter() {
    assert_eq!(
        refusal("{home_address}.", "{home_adress}."),
        "body: unknown placeholder {home_adress}"
    );
    assert!(
        refusal("{cite:rv_555}", "{cite:rv_556}")
            .contains("citation 'rv_556' is not in letters/citations.toml"),
    );
    assert!(
        refusal("{sender_name}", "{contact:kinderlijn}")
            .contains("contact 'kinderlijn' is not in texts/contacts.toml"),
    );
    assert!(refusal("{sender_name}", "{reasons}").contains("comes from an assessment"));
    assert!(refusal("respond_days = 3\n", "").contains("{respond_by} needs respond_days"));
    assert!(
        refusal(
            "offered_with = [\"removed_without_court\"]",
            "offered_with = [\"locks_changed\"]"
        )
        .contains("rule 'locks_changed'"),
    );
    assert!(refusal("{sender_name}", "{sender_name").contains("without its '}'"));
    let renamed = edited("id = \"no_self_help\"", "id = \"other\"");
    assert!(
        matches!(renamed, Err(LetterError::Letter { letter, problem, .. }) if letter == "other" && problem.contains("its file's name"))
    );
    // Both citations taken out: nothing cited.
    let (file, text) = BUILT_IN[0];
    let text = text
        .replace(" ({cite:bw_7_231_1})", "")
        .replace(" ({cite:rv_555})", "");
    let none = Letters::parse(
        CITATIONS,
        &[(file, &text)],
        &RuleSet::built_in().unwrap(),
        &contacts(),
    );
    assert!(
        matches!(none, Err(LetterError::Letter { problem, .. }) if problem.contains("cites nothing"))
    );
}

#[test]
fn every_cited_article_is_one_a_rule_cites_or_the_framework_names() {
    let rules = RuleSet::built_in().unwrap();
    let letters = letters();
    for (key, citation) in &letters.citations {
        let in_rules = rules.rules.iter().flat_map(|r| &r.sources).any(|s| {
            s.instrument == citation.instrument
                && s.article == citation.article
                && (citation.url.is_none() || s.url == citation.url)
        });
        assert!(
            in_rules || citation.framework_only.is_some(),
            "{key} is cited by no rule and not marked framework_only"
        );
    }
}

#[test]
fn dates_are_computed_from_the_day_of_writing_and_open_values_become_lines() {
    let letters = letters();
    let letter = letters.get("no_self_help").unwrap();
    let mut values = Values::default();
    values.given.insert("children_count".into(), "2".into());
    values.given.insert("recipient_name".into(), "  ".into());
    let filled = letters.fill(letter, &values, day("2026-12-30"), &contacts());
    assert_eq!(
        filled.dates,
        [
            ("letter_date", day("2026-12-30")),
            ("respond_by", day("2027-01-02"))
        ]
    );
    assert!(
        filled.body.contains("uiterlijk op 2 januari 2027"),
        "{}",
        filled.body
    );
    assert!(filled.body.contains("met 2 minderjarige kinderen"));
    assert!(filled.body.starts_with(&format!("Geachte {OPEN},")));
    assert!(
        filled
            .body
            .contains("(artikel 555 van het Wetboek van Burgerlijke Rechtsvordering)")
    );
    assert!(!filled.body.contains('{'));

    let child = letters.get("child_explanation").unwrap();
    let filled = letters.fill(child, &Values::default(), day("2026-12-30"), &contacts());
    assert_eq!(filled.dates, [("letter_date", day("2026-12-30"))]);
    assert!(
        filled.body.contains("De Kindertelefoon (0800-0432)"),
        "{}",
        filled.body
    );
}

#[test]
fn letters_are_offered_by_the_rules_a_case_raises() {
    let letters = letters();
    let offered = |raised: &[&str]| -> Vec<String> {
        let raised: Vec<String> = raised.iter().map(|s| s.to_string()).collect();
        letters.offered(&raised).map(|l| l.id.clone()).collect()
    };
    assert_eq!(offered(&["removed_without_court"]), ["no_self_help"]);
    assert_eq!(offered(&["left_without_court"]), ["refuse_notice"]);
    assert_eq!(
        offered(&["homeless_after_loss"]),
        ["shelter_request", "postal_address"]
    );
    assert_eq!(
        offered(&["shelter_refused_no_binding"]),
        ["shelter_request"]
    );
    assert!(offered(&["child_not_heard"]).is_empty());
}

#[test]
fn the_form_asks_the_head_and_what_the_text_uses() {
    let letters = letters();
    let names = |id: &str| -> Vec<&str> {
        letters
            .fields(letters.get(id).unwrap())
            .iter()
            .map(|p| p.name)
            .collect()
    };
    assert_eq!(
        names("postal_address"),
        [
            "sender_name",
            "sender_address",
            "recipient_name",
            "recipient_address",
            "place",
            "postal_address",
            "municipality",
            "children_count",
            "home_lost_on"
        ]
    );
    assert_eq!(
        names("child_explanation"),
        [
            "sender_name",
            "sender_address",
            "place",
            "child_name",
            "decision",
            "reasons",
            "if_disagreeing"
        ]
    );
}

#[test]
fn the_document_has_its_head_paragraphs_lists_and_sources() {
    let letters = letters();
    let letter = letters.get("shelter_request").unwrap();
    let mut values = Values::default();
    values
        .given
        .insert("sender_name".into(), "A. de Vries".into());
    values.given.insert(
        "sender_address".into(),
        "Postbus 1\n1000 AA Amsterdam".into(),
    );
    values.given.insert("place".into(), "Utrecht".into());
    let filled = letters.fill(letter, &values, day("2026-12-07"), &contacts());
    let document = letters.document(
        letter,
        &values,
        day("2026-12-07"),
        &filled.subject,
        &filled.body,
    );
    assert_eq!(
        document.sender,
        ["A. de Vries", "Postbus 1", "1000 AA Amsterdam"]
    );
    assert_eq!(document.recipient, [OPEN, OPEN]);
    assert_eq!(document.dateline, "Utrecht, 7 december 2026");
    assert!(
        document
            .paragraphs
            .iter()
            .any(|p| matches!(p, Paragraph::List(items) if items.len() == 2))
    );
    assert_eq!(document.sources.len(), 4);
    assert!(document.sources[0].starts_with("Wet maatschappelijke ondersteuning 2015 (https://"));
    assert!(
        document
            .sources
            .iter()
            .any(|s| s.starts_with("CESCR General Comment 7, par. 16"))
    );
}

#[test]
fn paragraphs_split_at_blank_lines_and_a_list_follows_its_lead_in() {
    assert_eq!(
        paragraphs("Een.\n  \nTwee:\n- a\n- b\n\nGroet,\n\nNaam\n"),
        [
            Paragraph::Text(vec!["Een.".into()]),
            Paragraph::Text(vec!["Twee:".into()]),
            Paragraph::List(vec!["a".into(), "b".into()]),
            Paragraph::Text(vec!["Groet,".into()]),
            Paragraph::Text(vec!["Naam".into()]),
        ]
    );
}

#[test]
fn what_families_and_children_read_of_the_letters_is_plain() {
    let texts = letters().texts();
    // Five explanations in two languages, and the child's letter.
    assert_eq!(texts.len(), 11);
    let report = PlainLanguage::built_in().unwrap().check(&texts);
    let said: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.passes(), "{said:#?} {:?}", report.averages);
}
