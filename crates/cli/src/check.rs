//! `dakwacht check` (signals per case or counted over all cases) and `dakwacht rules`.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;
use dakwacht_app::Wanted;
use dakwacht_app::{Acting, Store};
use dakwacht_core::{Case, CaseFilter, Child, Lang, Variable, VariableKind};
use dakwacht_rules::{DisagreementView, FUNCTIONS, RuleSet, SignalView, Source, Tally};
use dakwacht_stats::{SignalCount, percent};

use crate::OutputFormat;

/// The rules in force: the file given with `--rules`, or the rules built into dakwacht.
pub fn load_rules(file: Option<&Path>) -> anyhow::Result<RuleSet> {
    match file {
        None => Ok(RuleSet::built_in()?),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read rules file {}", path.display()))?;
            RuleSet::parse(&text).with_context(|| format!("rules file {}", path.display()))
        }
    }
}

/// The tally as the report's "Signalen" section shows it.
pub fn signal_counts(rules: &RuleSet, tally: &Tally) -> Vec<SignalCount> {
    SignalCount::from_tally(rules, tally, dakwacht_core::Lang::Nl)
}

/// `dakwacht check`: who checks, against which rules, and how it prints what it found.
pub struct Check<'a, S: Store> {
    pub acting: &'a Acting<S>,
    pub rules: &'a RuleSet,
    pub format: OutputFormat,
    pub lang: Lang,
}

impl<S: Store> Check<'_, S> {
    /// `dakwacht check` over all selected cases.
    pub async fn all(&self, filter: &CaseFilter) -> anyhow::Result<ExitCode> {
        let (acting, rules, format, lang) = (self.acting, self.rules, self.format, self.lang);
        // Statistics read no single case, but they are still a use of case data: recorded.
        let figures = acting
            .figures(filter.clone(), rules, Wanted::Signals, "check")
            .await?;
        let tally = &figures.signals;
        match format {
            OutputFormat::Json => {
                let json = serde_json::json!({
                    "rules_version": tally.rules_version,
                    "rules": tally.rules,
                });
                println!("{}", serde_json::to_string_pretty(&json)?);
            }
            OutputFormat::Text => print!("{}", tally_text(rules, tally, lang)),
        }
        for problem in &tally.problems {
            eprintln!(
                "dakwacht: rule {} could not be evaluated for {} case(s): {}",
                problem.rule, problem.cases, problem.message
            );
        }
        Ok(if tally.problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    }

    /// `dakwacht check --case ORG/REF`.
    pub async fn one(&self, reference: &str) -> anyhow::Result<ExitCode> {
        let (acting, rules, format, lang) = (self.acting, self.rules, self.format, self.lang);
        let Some((case, children)) = find_case(acting, reference).await? else {
            anyhow::bail!(
                "no case '{reference}'; give it as ORGANISATION/CASE_REF, e.g. --case 'Straatalliantie/QS-01'"
            );
        };
        let evaluation = rules.evaluator().family(&case, &children);
        match format {
            OutputFormat::Json => {
                let signals: Vec<SignalView<'_>> =
                    evaluation.signals.iter().map(Into::into).collect();
                let disagreements: Vec<DisagreementView<'_>> =
                    evaluation.disagreements.iter().map(Into::into).collect();
                let json = serde_json::json!({
                    "organisation": case.organisation.as_str(),
                    "case_ref": case.case_ref.as_str(),
                    "rules_version": rules.version,
                    "signals": signals,
                    "disagreements": disagreements,
                });
                println!("{}", serde_json::to_string_pretty(&json)?);
            }
            OutputFormat::Text => {
                let mut out = String::new();
                let count = evaluation.signals.len();
                let _ = writeln!(
                    out,
                    "{} {}/{} — {count} {} ({} {})",
                    match lang {
                        Lang::Nl => "Casus",
                        Lang::En => "Case",
                    },
                    case.organisation.as_str(),
                    case.case_ref.as_str(),
                    match (lang, count) {
                        (Lang::Nl, 1) => "signaal",
                        (Lang::Nl, _) => "signalen",
                        (Lang::En, 1) => "signal",
                        (Lang::En, _) => "signals",
                    },
                    match lang {
                        Lang::Nl => "regels versie",
                        Lang::En => "rules version",
                    },
                    rules.version
                );
                for signal in &evaluation.signals {
                    let rule = signal.rule;
                    let _ = writeln!(out);
                    let _ = writeln!(
                        out,
                        "[{}] {}  ({})",
                        signal.severity.label(lang),
                        rule.title.get(lang),
                        rule.id
                    );
                    if !signal.children.is_empty() {
                        let _ = writeln!(
                            out,
                            "  {} {}",
                            match lang {
                                Lang::Nl => "Betreft:",
                                Lang::En => "Concerns:",
                            },
                            signal.children_named(lang)
                        );
                    }
                    let _ = writeln!(out, "  {}", rule.explanation.get(lang));
                    let _ = writeln!(
                        out,
                        "  {}",
                        match lang {
                            Lang::Nl => "Bronnen:",
                            Lang::En => "Sources:",
                        }
                    );
                    for source in &rule.sources {
                        let _ = writeln!(out, "    - {source}{}", link_of(source));
                    }
                    let _ = writeln!(
                        out,
                        "  {}",
                        match lang {
                            Lang::Nl => "Wat u kunt doen:",
                            Lang::En => "What you can do:",
                        }
                    );
                    for step in rule.next_steps.get(lang) {
                        let _ = writeln!(out, "    - {step}");
                    }
                }
                for disagreement in &evaluation.disagreements {
                    let _ = writeln!(out);
                    let _ = writeln!(
                        out,
                        "{} {}",
                        match lang {
                            Lang::Nl => "Let op, gegevens verschillen:",
                            Lang::En => "Note, the data differ:",
                        },
                        disagreement.sentence(lang)
                    );
                }
                print!("{out}");
            }
        }
        for problem in &evaluation.problems {
            eprintln!(
                "dakwacht: rule {} could not be evaluated: {}",
                problem.rule, problem.message
            );
        }
        Ok(ExitCode::SUCCESS)
    }
}

fn tally_text(rules: &RuleSet, tally: &Tally, lang: Lang) -> String {
    let mut out = String::new();
    let (heading, rule_h, title_h, cases_h, share_h) = match lang {
        Lang::Nl => ("Signalen — ", "regel", "titel", "casussen", "aandeel"),
        Lang::En => ("Signals — ", "rule", "title", "cases", "share"),
    };
    let _ = writeln!(
        out,
        "{heading}{} {}",
        tally.of,
        match lang {
            Lang::Nl => format!("casussen (regels versie {})", tally.rules_version),
            Lang::En => format!("cases (rules version {})", tally.rules_version),
        }
    );
    let _ = writeln!(out);
    let title = |id: &str| rules.rule(id).map_or("", |r| r.title.get(lang).as_str());
    let id_width = tally
        .rules
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max(rule_h.len());
    let title_width = tally
        .rules
        .iter()
        .map(|r| title(&r.id).chars().count())
        .max()
        .unwrap_or(0)
        .max(title_h.len());
    let _ = writeln!(
        out,
        "{rule_h:<id_width$}  {title_h:<title_width$}  {cases_h:>8}  {share_h:>8}"
    );
    for count in &tally.rules {
        let share =
            percent(count.cases, count.of).map_or("–".to_string(), |p| format!("{p:.2}%"));
        let title = title(&count.id);
        let pad = title_width - title.chars().count();
        let _ = writeln!(
            out,
            "{:<id_width$}  {title}{}  {:>8}  {share:>8}",
            count.id,
            " ".repeat(pad),
            count.cases,
        );
    }
    out
}

/// `ORG/REF`: organisation names and case references may both hold a '/', so every split is
/// tried; the first that names a stored case wins.
async fn find_case<S: Store>(
    acting: &Acting<S>,
    reference: &str,
) -> anyhow::Result<Option<(Case, Vec<Child>)>> {
    for (at, _) in reference.match_indices('/') {
        let (organisation, case_ref) = (&reference[..at], &reference[at + 1..]);
        match acting
            .read_family(organisation.trim(), case_ref.trim(), "check: signals")
            .await
        {
            Ok(family) => return Ok(Some(family)),
            Err(dakwacht_app::Error::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(None)
}

/// `dakwacht rules`: the rules with their citations.
pub fn list(rules: &RuleSet, format: OutputFormat, lang: Lang) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .rules
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "severity": rule.severity,
                        "when": rule.when.as_ref().map(|c| c.source()),
                        "when_child": rule.when_child.as_ref().map(|c| c.source()),
                        "severity_high_when": rule.high_when.as_ref().map(|c| c.source()),
                        "title": rule.title,
                        "explanation": rule.explanation,
                        "next_steps": rule.next_steps,
                        "sources": rule.sources,
                    })
                })
                .collect();
            let json = serde_json::json!({ "version": rules.version, "rules": list });
            println!("{}", serde_json::to_string_pretty(&json)?);
        }
        OutputFormat::Text => {
            let mut out = String::new();
            let _ = writeln!(
                out,
                "{} {} — {} {}",
                match lang {
                    Lang::Nl => "Regels versie",
                    Lang::En => "Rules version",
                },
                rules.version,
                rules.rules.len(),
                match lang {
                    Lang::Nl => "regels",
                    Lang::En => "rules",
                }
            );
            for rule in &rules.rules {
                let _ = writeln!(out);
                let _ = writeln!(
                    out,
                    "{}  [{}]  {}",
                    rule.id,
                    rule.severity.label(lang),
                    rule.title.get(lang)
                );
                if let Some(when) = &rule.when {
                    let _ = writeln!(out, "  when: {}", when.source());
                }
                if let Some(when_child) = &rule.when_child {
                    let _ = writeln!(
                        out,
                        "  {}: {}",
                        match lang {
                            Lang::Nl => "per kind",
                            Lang::En => "per child",
                        },
                        when_child.source()
                    );
                }
                if let Some(high) = &rule.high_when {
                    let _ = writeln!(
                        out,
                        "  {}: {}",
                        match lang {
                            Lang::Nl => "hoog als",
                            Lang::En => "high when",
                        },
                        high.source()
                    );
                }
                for source in &rule.sources {
                    let _ = writeln!(out, "  - {source}{}", note_of(source));
                }
            }
            print!("{out}");
        }
    }
    Ok(())
}

/// `dakwacht rules --validate FILE`: exit 0 and a summary, or exit 1 and the problem.
pub fn validate(file: &Path) -> anyhow::Result<ExitCode> {
    let rules = load_rules(Some(file))?;
    println!(
        "{}: valid — version {}, {} rules: {}",
        file.display(),
        rules.version,
        rules.rules.len(),
        rules
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// `dakwacht rules --variables`: what a condition can read.
pub fn variables() {
    println!("Fields and values a rule condition can read (null when unknown):\n");
    for variable in Variable::ALL {
        println!(
            "{}\n  {}\n  {}",
            variable.name(),
            variable.about(),
            kind_text(variable.kind())
        );
    }
    println!("\nFunctions:\n");
    for (function, about) in FUNCTIONS {
        println!("{function}\n  {about}");
    }
}

fn kind_text(kind: VariableKind) -> String {
    match kind {
        VariableKind::Code(codes) => format!("code: {}", codes.join(", ")),
        VariableKind::CodeList(codes) => format!("list of codes: {}", codes.join(", ")),
        VariableKind::YesNo => "true or false".to_string(),
        VariableKind::Number => "whole number".to_string(),
        VariableKind::NumberList => "list of whole numbers".to_string(),
        VariableKind::Date => {
            "date text YYYY-MM-DD (YYYY-MM when only the month is known)".to_string()
        }
        VariableKind::Flag => "true or false, never null".to_string(),
        VariableKind::ChildRecord => "a child record: read its facts as child.<fact>".to_string(),
    }
}

/// ` — https://…` after a citation that has an address.
fn link_of(source: &Source) -> String {
    source
        .url
        .as_ref()
        .map_or(String::new(), |u| format!(" — {u}"))
}

/// ` (the note)` after a citation that has one.
fn note_of(source: &Source) -> String {
    source
        .note
        .as_ref()
        .map_or(String::new(), |n| format!(" ({n})"))
}
