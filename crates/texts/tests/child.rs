//! The child version (spec/rights-and-letters.md): A2 texts in "jij" that pass the check, the
//! four things the spec asks it to say, and no way to ask a child anything.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::Lang;
use dakwacht_texts::PlainLanguage;
use dakwacht_texts::child::{BUILT_IN, ChildVersion, ChildVersionError};

#[test]
fn the_child_version_is_plain_a2_in_jij() {
    let version = ChildVersion::built_in().unwrap();
    let texts = version.texts();
    assert!(texts.iter().all(|t| t.level == dakwacht_texts::Level::A2));
    let report = PlainLanguage::built_in().unwrap().check(&texts);
    let said: Vec<String> = report.findings.iter().map(ToString::to_string).collect();
    assert!(report.passes(), "{said:#?} {:?}", report.averages);
}

#[test]
fn it_says_what_happens_that_it_is_not_their_fault_their_say_and_where_to_talk() {
    let version = ChildVersion::built_in().unwrap();
    let all: String = version
        .sections
        .iter()
        .flat_map(|s| s.text.get(Lang::Nl).iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    for said in [
        "Dat heet een uitzetting.",
        "Het is niet jouw schuld",
        "Zij moeten naar jou luisteren.",
        "Kinderrechtenverdrag, artikel 12",
        "Je kunt ook bellen of chatten met:",
    ] {
        assert!(all.contains(said), "{said}");
    }
    // Nothing about the parents, and nothing asked of the child but where to find help.
    assert!(!all.to_lowercase().contains("ouders"), "{all}");
}

#[test]
fn a_question_in_the_file_is_refused() {
    let with_question =
        format!("{BUILT_IN}\n[[question]]\nid = \"parents\"\ntext.nl = \"Drinken je ouders?\"\n");
    assert!(matches!(
        ChildVersion::parse(&with_question),
        Err(ChildVersionError::Syntax(why)) if why.contains("question")
    ));
    let untranslated = BUILT_IN.replacen(
        "text.en = [\n  \"It is not your fault",
        "text.fr = [\n  \"It is not your fault",
        1,
    );
    assert_ne!(untranslated, BUILT_IN);
    assert!(ChildVersion::parse(&untranslated).is_err());
}
