//! The texts families and children read, and the plain-language check every one of them passes
//! (spec/rights-and-letters.md).
//!
//! [`family_texts`] gathers every such text dakwacht shows; [`plain::PlainLanguage`] checks them.
//! The test suite and `dakwacht texts --check` run the same check over the same texts.

pub mod child;
pub mod contacts;
pub mod letters;
pub mod plain;
pub mod rights;

use dakwacht_core::Lang;
use dakwacht_rules::RuleSet;

pub use plain::{Finding, Level, PlainLanguage, Problem, Report, Text};

/// Every text of `rules` a family reads: each rule's explanation, next steps and steps for the
/// family, in both languages, at level B1. `file` names the rules file in the findings.
pub fn family_texts(rules: &RuleSet, file: &str) -> Vec<Text> {
    let mut texts = Vec::new();
    for rule in &rules.rules {
        for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
            texts.push(Text {
                file: file.to_string(),
                place: format!("rule {}, explanation.{code}", rule.id),
                lang,
                level: Level::B1,
                text: rule.explanation.get(lang).clone(),
            });
            let family = rule.family_steps.as_ref().map(|steps| steps.get(lang));
            for (key, steps) in [
                ("next_steps", Some(rule.next_steps.get(lang))),
                ("family_steps", family),
            ] {
                for (i, step) in steps.into_iter().flatten().enumerate() {
                    texts.push(Text {
                        file: file.to_string(),
                        place: format!("rule {}, {key}.{code} {}", rule.id, i + 1),
                        lang,
                        level: Level::B1,
                        text: step.clone(),
                    });
                }
            }
        }
    }
    texts
}
