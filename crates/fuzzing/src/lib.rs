//! The fuzz targets' bodies, one function per input dakwacht reads from outside: the cases and
//! children files (CSV and XLSX), the rules file with its CEL conditions, the pages' forms and
//! queries, and the text a writer puts into a letter's PDF and DOCX. Each must answer any bytes
//! with a result or an error, never a panic, an abort or unbounded memory.
//!
//! `fuzz/` runs them under libFuzzer (`scripts/fuzz TARGET SECONDS`); `tests/replay.rs` runs every
//! input of `fuzz/seeds/TARGET/` and `fuzz/corpus/TARGET.zip` through them as a normal test, so
//! what a fuzzing run found stays found.

#[cfg(feature = "heavy")]
mod requests;

#[cfg(feature = "heavy")]
pub use requests::web_request;

use std::io::Cursor;

use dakwacht_interchange::{CaseReader, ChildReader};

/// A target: the name of its corpus folder, and what it runs.
pub type Target = (&'static str, fn(&[u8]));

/// Every target (those of feature `heavy` with it).
pub fn targets() -> Vec<Target> {
    #[cfg_attr(not(feature = "heavy"), allow(unused_mut))]
    let mut targets: Vec<Target> = vec![
        ("csv_cases", csv_cases),
        ("xlsx_cases", xlsx_cases),
        ("children_file", children_file),
        ("rules_file", rules_file),
        ("cel_condition", cel_condition),
    ];
    #[cfg(feature = "heavy")]
    targets.extend([
        ("web_request", web_request as fn(&[u8])),
        ("letter_text", letter_text as fn(&[u8])),
    ]);
    targets
}

/// A cases file as CSV: every row read.
pub fn csv_cases(data: &[u8]) {
    if let Ok(Ok(reader)) = CaseReader::csv(Cursor::new(data)) {
        for _row in reader {}
    }
}

/// A cases file as an XLSX workbook: checked against the limits, then every row read.
pub fn xlsx_cases(data: &[u8]) {
    if let Ok(Ok(reader)) = CaseReader::xlsx(data.to_vec()) {
        for _row in reader {}
    }
}

/// A children file, as CSV and as a workbook.
pub fn children_file(data: &[u8]) {
    if let Ok(Ok(reader)) = ChildReader::csv(Cursor::new(data)) {
        for _row in reader {}
    }
    if let Ok(Ok(reader)) = ChildReader::xlsx(data.to_vec()) {
        for _row in reader {}
    }
}

/// A rules file; when it loads, its rules are evaluated for the quickscan's families.
pub fn rules_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rules) = dakwacht_rules::RuleSet::parse(text) {
        evaluate_all(&rules);
    }
}

/// One CEL condition, as the `when` of a rule in an otherwise valid rules file.
pub fn cel_condition(data: &[u8]) {
    let Ok(condition) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rules) = dakwacht_rules::RuleSet::parse(&with_condition(condition)) {
        evaluate_all(&rules);
    }
}

/// A rules file of one rule whose `when` is `condition` (written as a TOML string, whatever it
/// holds).
fn with_condition(condition: &str) -> String {
    format!(
        "version = \"fuzz\"\n\n[[rule]]\nid = \"fuzzed\"\nseverity = \"high\"\nwhen = {}\n\
         title.nl = \"t\"\ntitle.en = \"t\"\nexplanation.nl = \"e\"\nexplanation.en = \"e\"\n\
         next_steps.nl = [\"s\"]\nnext_steps.en = [\"s\"]\n[[rule.source]]\n\
         instrument = \"Burgerlijk Wetboek\"\nurl = \"https://wetten.overheid.nl/BWBR0005290/\"\n\
         article = \"7:231 lid 1\"\nnote = \"n\"\n",
        toml::Value::String(condition.into()),
    )
}

fn evaluate_all(rules: &dakwacht_rules::RuleSet) {
    use std::sync::OnceLock;
    static CASES: OnceLock<Vec<dakwacht_core::Case>> = OnceLock::new();
    // The quickscan's 23 families, as the repository keeps them.
    let cases = CASES.get_or_init(|| {
        let file: &[u8] = include_bytes!("../../cli/demo/quickscan-2025.csv");
        match CaseReader::csv(Cursor::new(file)) {
            Ok(Ok(reader)) => reader.filter_map(|(_, case)| case.ok()).collect(),
            _ => Vec::new(),
        }
    });
    let evaluator = rules.evaluator();
    for case in cases {
        let _ = evaluator.family(case, &[]);
    }
}

#[cfg(feature = "heavy")]
/// The text a writer types into a letter (names, addresses, the subject, the body), as the
/// letter's PDF and DOCX take it: each must be made, whatever the text.
pub fn letter_text(data: &[u8]) {
    let text = dakwacht_texts::letters::printable(&String::from_utf8_lossy(data));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let document = dakwacht_texts::letters::Document {
        title: lines.first().cloned().unwrap_or_default(),
        lang: "nl",
        sender: lines.iter().take(3).cloned().collect(),
        recipient: lines.iter().rev().take(3).cloned().collect(),
        dateline: "Amsterdam, 7 december 2026".into(),
        subject_label: "Betreft",
        subject: lines.last().cloned().unwrap_or_default(),
        paragraphs: dakwacht_texts::letters::paragraphs(&text),
        sources_heading: "Bronnen",
        sources: lines.iter().take(2).cloned().collect(),
    };
    #[allow(clippy::expect_used)] // a letter that cannot be made is the finding
    {
        dakwacht_publish::letter::letter_pdf(&document).expect("the PDF is made");
        dakwacht_publish::letter::letter_docx(&document).expect("the DOCX is made");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_condition_target_reaches_the_evaluator() {
        // The families it evaluates are read.
        cel_condition(b"true");
        let rules = dakwacht_rules::RuleSet::parse(&with_condition("route == \"court_eviction\""));
        assert!(rules.is_ok(), "{rules:?}");
        assert!(dakwacht_rules::RuleSet::parse(&with_condition("route ==")).is_err());
    }
}
