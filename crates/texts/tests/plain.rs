//! The plain-language check (spec/rights-and-letters.md): every rule both ways, the shipped texts
//! pass, a planted long sentence fails with its sentence and file.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::Lang;
use dakwacht_rules::{BUILT_IN, RuleSet};
use dakwacht_texts::{Level, PlainLanguage, Problem, Report, Text, family_texts};

fn checker() -> PlainLanguage {
    PlainLanguage::built_in().unwrap()
}

fn text(level: Level, lang: Lang, text: &str) -> Text {
    Text {
        file: "test.toml".into(),
        place: "here".into(),
        lang,
        level,
        text: text.into(),
    }
}

fn check(level: Level, lang: Lang, sentence: &str) -> Report {
    checker().check(&[text(level, lang, sentence)])
}

fn problems(level: Level, sentence: &str) -> Vec<Problem> {
    check(level, Lang::Nl, sentence)
        .findings
        .into_iter()
        .map(|f| f.problem)
        .collect()
}

/// A sentence of `n` plain words.
fn words(n: usize) -> String {
    let mut sentence = vec!["huis"; n].join(" ");
    sentence.push('.');
    sentence
}

#[test]
fn the_shipped_texts_pass() {
    let rules = RuleSet::built_in().unwrap();
    let texts = family_texts(&rules, "rules/rules.toml");
    assert!(texts.len() > 40, "{} texts", texts.len());
    let report = checker().check(&texts);
    let said: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.passes(), "{said:#?} {:?}", report.averages);
    assert!(report.sentences >= texts.len());
}

#[test]
fn a_planted_long_sentence_fails_with_its_sentence_and_file() {
    let planted = "Alleen een rechter kan uw huurcontract stoppen, en dat geldt ook als de verhuurder zegt dat u al lang weg had moeten zijn omdat de huur te laat was.";
    let text = BUILT_IN.replacen(
        "Alleen een rechter kan uw huurcontract stoppen.",
        planted,
        1,
    );
    assert_ne!(text, BUILT_IN);
    let rules = RuleSet::parse(&text).unwrap();
    let report = checker().check(&family_texts(&rules, "edited-rules.toml"));
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let finding = &report.findings[0];
    assert_eq!(finding.sentence, planted);
    assert_eq!(
        finding.problem,
        Problem::LongSentence { words: 29, max: 20 }
    );
    let said = finding.to_string();
    assert!(said.starts_with("edited-rules.toml (rule removed_without_court, explanation.nl): 29 words in one sentence, at most 20"), "{said}");
    assert!(said.contains(planted), "{said}");
}

#[test]
fn a_sentence_may_be_as_long_as_its_level_allows_and_no_longer() {
    assert!(problems(Level::B1, &words(20)).is_empty());
    assert_eq!(
        problems(Level::B1, &words(21)),
        [Problem::LongSentence { words: 21, max: 20 }]
    );
    assert!(problems(Level::A2, &words(15)).is_empty());
    assert_eq!(
        problems(Level::A2, &words(16)),
        [Problem::LongSentence { words: 16, max: 15 }]
    );
    // English texts are held to the same lengths.
    assert_eq!(check(Level::B1, Lang::En, &words(21)).findings.len(), 1);
}

#[test]
fn sentences_end_at_a_full_stop_but_not_after_an_abbreviation() {
    // Two sentences of 11 and 10 words: each passes, together they would not.
    let two = format!("{} {}", words(11), words(10));
    assert!(problems(Level::B1, &two).is_empty());
    assert_eq!(check(Level::B1, Lang::Nl, &two).sentences, 2);
    // "art." and "bijv." do not end a sentence: this is one sentence of 21 words.
    let one = "Zie art. 7:231 van het Burgerlijk Wetboek, bijv. over de huur en wat de rechter daarover beslist als u niet betaalt.";
    assert_eq!(check(Level::B1, Lang::Nl, one).sentences, 1);
    assert_eq!(
        problems(Level::B1, one),
        [Problem::LongSentence { words: 21, max: 20 }]
    );
    // A question and an exclamation end one too.
    assert_eq!(
        check(Level::B1, Lang::Nl, "Wat nu? Bel ons! Wij helpen.").sentences,
        3
    );
}

#[test]
fn the_average_over_a_file_stays_under_its_limit() {
    let file = |sentences: &[String], level: Level| -> Report {
        let texts: Vec<Text> = sentences.iter().map(|s| text(level, Lang::Nl, s)).collect();
        checker().check(&texts)
    };
    // 12 and 11: 11.5 on average, under 12.
    assert!(file(&[words(12), words(11)], Level::B1).passes());
    // 12 and 12: 12 is not under 12.
    let report = file(&[words(12), words(12)], Level::B1);
    assert!(report.findings.is_empty());
    assert_eq!(report.averages.len(), 1);
    assert_eq!(report.averages[0].average, 12.0);
    assert!(report.averages[0].to_string().contains("test.toml"));
    // The child version: under 10.
    assert!(file(&[words(10), words(9)], Level::A2).passes());
    assert!(!file(&[words(10), words(10)], Level::A2).passes());
}

#[test]
fn a_difficult_word_is_named_with_the_plain_one() {
    assert_eq!(
        problems(Level::B1, "Indien u hulp wilt, bel ons."),
        [Problem::DifficultWord {
            word: "indien".into(),
            instead: "als".into()
        }]
    );
    assert!(problems(Level::B1, "Als u hulp wilt, bel ons.").is_empty());
    // Longer forms of a word with `*`, and phrases.
    assert_eq!(
        problems(Level::B1, "De gemeente verstrekt een uitkering."),
        [Problem::DifficultWord {
            word: "verstrekt".into(),
            instead: "geven".into()
        }]
    );
    assert_eq!(
        problems(Level::B1, "Dit is ten behoeve van de kinderen."),
        [Problem::DifficultWord {
            word: "ten behoeve van".into(),
            instead: "voor".into()
        }]
    );
    assert!(problems(Level::B1, "Dit is voor de kinderen.").is_empty());
    // The Dutch list does not apply to English texts.
    assert!(check(Level::B1, Lang::En, "Indien is a Dutch word.").passes());
}

#[test]
fn a_legal_name_is_allowed_only_where_the_same_text_explains_it() {
    assert_eq!(
        problems(Level::B1, "De deurwaarder komt morgen."),
        [Problem::Unexplained {
            word: "deurwaarder".into(),
            instead: "iemand die de uitspraak van de rechter uitvoert".into()
        }]
    );
    assert!(
        problems(
            Level::B1,
            "De deurwaarder (iemand die de uitspraak van de rechter uitvoert) komt morgen."
        )
        .is_empty()
    );
    assert!(
        problems(
            Level::B1,
            "De deurwaarder komt morgen. Een deurwaarder is iemand die de uitspraak uitvoert."
        )
        .is_empty()
    );
    assert!(problems(Level::B1, "Verstek betekent: de rechter besliste zonder u.").is_empty());
}

#[test]
fn families_are_addressed_with_u_and_children_with_jij() {
    assert_eq!(
        problems(Level::B1, "Bel je advocaat."),
        [Problem::FormOfAddress {
            word: "je".into(),
            level: Level::B1
        }]
    );
    assert!(problems(Level::B1, "Bel uw advocaat.").is_empty());
    assert_eq!(
        problems(Level::A2, "Wat vindt u ervan?"),
        [Problem::FormOfAddress {
            word: "u".into(),
            level: Level::A2
        }]
    );
    assert!(problems(Level::A2, "Wat vind jij ervan?").is_empty());
}

#[test]
fn a_check_file_without_a_level_or_with_an_empty_word_is_refused() {
    let without_a2 = dakwacht_texts::plain::BUILT_IN.replace("[level.a2]", "[level.c1]");
    let error = PlainLanguage::parse(&without_a2).err().unwrap().to_string();
    assert!(error.contains("no [level.a2]"), "{error}");
    let star = dakwacht_texts::plain::BUILT_IN.replace("word = \"indien\"", "word = \"*\"");
    let error = PlainLanguage::parse(&star).err().unwrap().to_string();
    assert!(error.contains("'*'"), "{error}");
    let empty = dakwacht_texts::plain::BUILT_IN.replace("instead = \"als\"", "instead = \" \"");
    let error = PlainLanguage::parse(&empty).err().unwrap().to_string();
    assert!(error.contains("indien"), "{error}");
}
