//! `dakwacht letter`: a letter for a case, as PDF or DOCX, recorded in the case's history (the
//! same use case as the letter page).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use dakwacht_app::letters::{LetterFormat, LetterText};
use dakwacht_app::{Acting, Store};
use dakwacht_core::Lang;
use dakwacht_rules::RuleSet;
use dakwacht_texts::contacts::Contacts;
use dakwacht_texts::letters::{Letters, OPEN, placeholder};

/// What was asked on the command line.
pub struct Asked<'a> {
    pub letter: &'a str,
    pub case: &'a str,
    pub format: &'a str,
    pub output: &'a Path,
    pub set: &'a [String],
    pub assessment: Option<i64>,
}

pub async fn run<S: Store>(
    acting: &Acting<S>,
    rules: &RuleSet,
    asked: Asked<'_>,
) -> anyhow::Result<ExitCode> {
    let today = dakwacht_app::today();
    let contacts = Contacts::built_in(today)?;
    let letters = Letters::built_in(rules, &contacts)?;
    let Some(letter) = letters.get(asked.letter) else {
        let known: Vec<&str> = letters.letters.iter().map(|l| l.id.as_str()).collect();
        bail!(
            "there is no letter '{}'; the letters are: {}",
            asked.letter,
            known.join(", ")
        );
    };
    let Some(format) = LetterFormat::parse(asked.format) else {
        bail!("--format must be pdf or docx, not '{}'", asked.format);
    };
    let Some((organisation, case_ref)) = asked.case.split_once('/') else {
        bail!(
            "--case must be ORGANISATION/REFERENCE, not '{}'",
            asked.case
        );
    };
    if letter.from_assessment && asked.assessment.is_none() {
        bail!(
            "the letter {} is made from a best-interest assessment: give --assessment NUMBER",
            letter.id
        );
    }
    let fields = letters.fields(letter);
    let mut values = acting
        .letter_values(organisation, case_ref, letter, asked.assessment)
        .await
        .with_context(|| format!("the case {organisation}/{case_ref}"))?;
    for set in asked.set {
        let Some((name, value)) = set.split_once('=') else {
            bail!("--set must be NAME=VALUE, not '{set}'");
        };
        let name = name.trim();
        if !fields.iter().any(|p| p.name == name) {
            let names: Vec<&str> = fields.iter().map(|p| p.name).collect();
            bail!(
                "the letter {} has no value '{name}'; it has: {}",
                letter.id,
                names.join(", ")
            );
        }
        values
            .given
            .insert(name.to_string(), value.replace("\\n", "\n"));
    }
    let filled = letters.fill(letter, &values, today, &contacts);
    let text = LetterText {
        subject: &filled.subject,
        body: &filled.body,
    };
    let file = acting
        .make_letter(
            (organisation, case_ref),
            &letters,
            letter,
            &values,
            today,
            text,
            format,
        )
        .await?;
    std::fs::write(asked.output, file)
        .with_context(|| format!("cannot write {}", asked.output.display()))?;
    println!("{}", asked.output.display());
    for (name, day) in &filled.dates {
        let label = placeholder(name).map_or(*name, |p| p.label(Lang::Nl));
        println!(
            "{label}: {}",
            dakwacht_core::written::long_date(*day, Lang::Nl)
        );
    }
    let open: Vec<&str> = fields
        .iter()
        .filter(|p| values.given.get(p.name).is_none_or(|v| v.trim().is_empty()))
        .map(|p| p.name)
        .collect();
    if !open.is_empty() {
        println!(
            "Left open ({OPEN}, to fill in by hand): {}",
            open.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
