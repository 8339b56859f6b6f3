//! `dakwacht texts`: the texts families read, and the plain-language check they must pass.

use std::path::Path;
use std::process::ExitCode;

use dakwacht_texts::child::ChildVersion;
use dakwacht_texts::contacts::Contacts;
use dakwacht_texts::letters::Letters;
use dakwacht_texts::rights::RightsCheck;
use dakwacht_texts::{PlainLanguage, family_texts};

/// Every text a family or child reads: of the rules in use (`--rules FILE` or the built-in
/// file), of the contacts (`texts/contacts.toml`) and of the rights check's questions
/// (`texts/rights-check.toml`, checked on load against those rules) and of the letters
/// (`letters/*.toml`: the B1 explanations and the letter to a child), and the child version
/// (`texts/child-version.toml`, A2).
fn texts(rules_file: Option<&Path>) -> anyhow::Result<Vec<dakwacht_texts::Text>> {
    let rules = crate::check::load_rules(rules_file)?;
    let file = rules_file.map_or_else(
        || "rules/rules.toml (built in)".to_string(),
        |path| path.display().to_string(),
    );
    let mut texts = family_texts(&rules, &file);
    let contacts = Contacts::built_in(dakwacht_app::today())?;
    texts.extend(contacts.texts());
    texts.extend(RightsCheck::built_in(&rules)?.texts());
    texts.extend(Letters::built_in(&rules, &contacts)?.texts());
    texts.extend(ChildVersion::built_in()?.texts());
    Ok(texts)
}

/// `dakwacht texts`: lists the texts, one per line, with where each is kept.
pub fn list(rules_file: Option<&Path>) -> anyhow::Result<ExitCode> {
    for text in texts(rules_file)? {
        println!("{} ({}): {}", text.file, text.place, text.text);
    }
    Ok(ExitCode::SUCCESS)
}

/// `dakwacht texts --check`: every sentence that fails the check, with its file; exit status 1
/// when any does.
pub fn check(rules_file: Option<&Path>) -> anyhow::Result<ExitCode> {
    let checker = PlainLanguage::built_in()?;
    let report = checker.check(&texts(rules_file)?);
    for finding in &report.findings {
        println!("{finding}");
    }
    for average in &report.averages {
        println!("{average}");
    }
    if report.passes() {
        println!(
            "{} texts, {} sentences: every one passes the plain-language check.",
            report.texts, report.sentences
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} of the plain-language check in {} texts ({} sentences).",
            match report.findings.len() + report.averages.len() {
                1 => "1 problem".to_string(),
                n => format!("{n} problems"),
            },
            report.texts,
            report.sentences
        );
        Ok(ExitCode::from(1))
    }
}
