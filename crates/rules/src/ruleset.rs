//! A loaded, checked rules file.

use std::collections::HashSet;
use std::fmt;

use dakwacht_core::{Lang, Variable};
use serde::Serialize;

use crate::condition::{Condition, ConditionError, Scope};
use crate::file::{FileDef, RuleDef, SourceDef};

/// The rules file that ships with dakwacht (`rules/rules.toml`), built into the binary so the
/// program works wherever it is copied. `--rules FILE` replaces it.
pub const BUILT_IN: &str = include_str!("../../../rules/rules.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    fn parse(text: &str) -> Option<Severity> {
        match text {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Low, Lang::Nl) => "laag",
            (Severity::Medium, Lang::Nl) => "middel",
            (Severity::High, Lang::Nl) => "hoog",
            (severity, Lang::En) => severity.code(),
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Texts<T> {
    pub nl: T,
    pub en: T,
}

impl<T> Texts<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// A legal source a rule cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub instrument: String,
    pub article: Option<String>,
    pub note: Option<String>,
    pub url: Option<String>,
}

impl fmt::Display for Source {
    /// `Burgerlijk Wetboek art. 7:231 lid 1`: the citation as a professional writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.instrument)?;
        match &self.article {
            // The report is cited by its own numbering ("paragraaf 4"), not by article.
            Some(article) if article.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
                write!(f, " art. {article}")
            }
            Some(article) => write!(f, ", {article}"),
            None => Ok(()),
        }
    }
}

/// One check of the legal framework.
///
/// A rule with `when_child` is held against each child record of a case: its signal names the
/// children it concerns. Where a record knows the facts `when_child` reads, the records decide,
/// whatever the family's own fields say (`when`); where none does, `when` decides, as before
/// child records existed. See [`crate::Evaluator`].
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    /// The condition over the case's own fields; `None` for a check of child records only.
    pub when: Option<Condition>,
    /// The condition held against each child record (`child.…`).
    pub when_child: Option<Condition>,
    /// When this holds too, the signal is raised as high whatever `severity` says (per child
    /// for a rule with `when_child`).
    pub high_when: Option<Condition>,
    pub title: Texts<String>,
    pub explanation: Texts<String>,
    pub next_steps: Texts<Vec<String>>,
    /// The steps as the family reads them (the rights check); `None`: the same as `next_steps`.
    pub family_steps: Option<Texts<Vec<String>>>,
    pub sources: Vec<Source>,
    /// Every variable `when`, `when_child` and `high_when` read (with [`Variable::Child`] for
    /// a rule that reads child records).
    pub variables: Vec<Variable>,
}

/// The rules of one file, in file order, with the file's version.
#[derive(Debug)]
pub struct RuleSet {
    pub version: String,
    pub rules: Vec<Rule>,
    /// Names this rule set as a store keeps signals for it (see [`RuleSet::fingerprint`]).
    fingerprint: i64,
    /// The file's text, to make the same rule set again ([`RuleSet::again`]).
    source: std::sync::Arc<str>,
}

/// Why a rules file was refused. Always names the rule (by id, or by position when the id
/// itself is missing) so the writer knows where to look.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("the rules file is not valid TOML: {0}")]
    Toml(String),
    #[error("the rules file has no `version`; add e.g. version = \"2026-11-23.1\" at the top")]
    NoVersion,
    #[error("rule {rule}: {message}")]
    Rule { rule: String, message: String },
    #[error("the rules file has {count} rules; at most {max} are allowed")]
    TooManyRules { count: usize, max: usize },
}

impl RuleSet {
    /// The rules that ship with dakwacht.
    pub fn built_in() -> Result<RuleSet, RulesError> {
        RuleSet::parse(BUILT_IN)
    }

    /// Reads and checks a rules file; the first problem found is returned.
    pub fn parse(text: &str) -> Result<RuleSet, RulesError> {
        let fingerprint = fingerprint(text);
        let file: FileDef = toml::from_str(text).map_err(|e| RulesError::Toml(toml_error(&e)))?;
        if file.version.trim().is_empty() {
            return Err(RulesError::NoVersion);
        }
        // Every rule is checked on every case: a file of a million rules is not a rules file.
        if file.rules.len() > crate::limits::MAX_RULES {
            return Err(RulesError::TooManyRules {
                count: file.rules.len(),
                max: crate::limits::MAX_RULES,
            });
        }
        let mut seen = HashSet::new();
        let mut rules = Vec::with_capacity(file.rules.len());
        for (index, table) in file.rules.into_iter().enumerate() {
            let name = match table.get("id").and_then(|id| id.as_str()) {
                Some(id) => format!("'{id}'"),
                None => format!("number {} (it has no id)", index + 1),
            };
            let fail = |message: String| RulesError::Rule {
                rule: name.clone(),
                message,
            };
            crate::file::check_keys(&table).map_err(fail)?;
            let def: RuleDef = table
                .try_into()
                .map_err(|e: toml::de::Error| fail(e.message().to_string()))?;
            let rule = Rule::from_def(def).map_err(fail)?;
            if !seen.insert(rule.id.clone()) {
                return Err(fail(
                    "the id is used by an earlier rule; every rule needs its own id".to_string(),
                ));
            }
            rules.push(rule);
        }
        Ok(RuleSet {
            version: file.version.trim().to_string(),
            rules,
            fingerprint,
            source: text.into(),
        })
    }

    /// A number that changes whenever what this rule set says of a case can change: its file's
    /// text, or how dakwacht evaluates rules ([`EVALUATION_VERSION`]). A store keeps each case's
    /// signals with the fingerprint of the rules that raised them, so signals kept under other
    /// rules are never counted as these rules' signals.
    pub fn fingerprint(&self) -> i64 {
        self.fingerprint
    }

    /// The same rule set, made again from its file's text: for work on another thread that
    /// must own its rules (compiled conditions cannot be copied).
    pub fn again(&self) -> Result<RuleSet, RulesError> {
        RuleSet::parse(&self.source)
    }

    /// Whether a case's signals fit in the 64 bits a store keeps them in (one bit per rule).
    pub fn fits_kept_signals(&self) -> bool {
        self.rules.len() <= 64
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// Per rule (in file order), the variables it reads: what a store counts cases by so that
    /// [`crate::Evaluator::tally_per_rule`] can count signals.
    pub fn variable_sets(&self) -> Vec<Vec<Variable>> {
        self.rules
            .iter()
            .map(|rule| rule.variables.clone())
            .collect()
    }

    /// Every variable any rule reads.
    pub fn variables(&self) -> Vec<Variable> {
        let mut all: Vec<Variable> = self
            .rules
            .iter()
            .flat_map(|rule| rule.variables.iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// Raise this when a change to dakwacht's code can change which rules a case raises (how facts
/// are read, how a verdict is reached): signals kept under the old code are then recomputed.
pub const EVALUATION_VERSION: u32 = 1;

fn fingerprint(text: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(EVALUATION_VERSION.to_be_bytes());
    hasher.update(text.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

impl Rule {
    /// The steps the family reads: its own where the file has them, the professional's otherwise.
    pub fn steps_for_family(&self, lang: Lang) -> &Vec<String> {
        self.family_steps
            .as_ref()
            .unwrap_or(&self.next_steps)
            .get(lang)
    }

    fn from_def(def: RuleDef) -> Result<Rule, String> {
        let id = def.id.trim().to_string();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(
                "the id must be lower-case letters, digits and '_' (it is used in files and links)"
                    .to_string(),
            );
        }
        let severity = Severity::parse(def.severity.trim()).ok_or_else(|| {
            format!(
                "severity '{}' is not one of: low, medium, high",
                def.severity
            )
        })?;
        let when = def
            .when
            .as_deref()
            .map(Condition::compile)
            .transpose()
            .map_err(|ConditionError(e)| format!("when: {e}"))?;
        let when_child = def
            .when_child
            .as_deref()
            .map(|source| Condition::compile_in(source, Scope::Child))
            .transpose()
            .map_err(|ConditionError(e)| format!("when_child: {e}"))?;
        if let Some(condition) = &when_child
            && !condition.child_variables().iter().any(|v| v.is_situation())
        {
            return Err(format!(
                "when_child: `{}` reads nothing of the child's situation; name at least one of \
                 child.stays_with, child.separated, child.school, child.heard, \
                 child.best_interest_assessed, child.youth_care",
                condition.source()
            ));
        }
        // The severity is decided per child where the child records decide.
        let high_scope = if when_child.is_some() {
            Scope::Child
        } else {
            Scope::Case
        };
        let high_when = def
            .severity_high_when
            .as_deref()
            .map(|source| Condition::compile_in(source, high_scope))
            .transpose()
            .map_err(|ConditionError(e)| format!("severity_high_when: {e}"))?;
        for (what, text) in [
            ("title.nl", &def.title.nl),
            ("title.en", &def.title.en),
            ("explanation.nl", &def.explanation.nl),
            ("explanation.en", &def.explanation.en),
        ] {
            if text.trim().is_empty() {
                return Err(format!("{what} is empty"));
            }
        }
        if def.next_steps.nl.is_empty() || def.next_steps.en.is_empty() {
            return Err("next_steps needs at least one step in nl and in en".to_string());
        }
        if let Some(steps) = &def.family_steps
            && (steps.nl.is_empty() || steps.en.is_empty())
        {
            return Err("family_steps needs at least one step in nl and in en".to_string());
        }
        if def.sources.is_empty() {
            return Err("a rule needs at least one [[rule.source]]".to_string());
        }
        let sources = def
            .sources
            .into_iter()
            .map(Source::from_def)
            .collect::<Result<Vec<_>, _>>()?;
        let mut variables: Vec<Variable> = [&when, &when_child, &high_when]
            .into_iter()
            .flatten()
            .flat_map(|c| c.variables().iter().copied())
            .collect();
        if when_child.is_some() {
            // The family's fields speak for the children without a record: how many there are.
            variables.extend([Variable::Child, Variable::ChildrenCount]);
        }
        variables.sort();
        variables.dedup();
        Ok(Rule {
            id,
            severity,
            when,
            when_child,
            high_when,
            title: Texts {
                nl: def.title.nl.trim().to_string(),
                en: def.title.en.trim().to_string(),
            },
            explanation: Texts {
                nl: def.explanation.nl.trim().to_string(),
                en: def.explanation.en.trim().to_string(),
            },
            next_steps: Texts {
                nl: def.next_steps.nl,
                en: def.next_steps.en,
            },
            family_steps: def.family_steps.map(|steps| Texts {
                nl: steps.nl,
                en: steps.en,
            }),
            sources,
            variables,
        })
    }
}

impl Source {
    fn from_def(def: SourceDef) -> Result<Source, String> {
        if def.instrument.trim().is_empty() {
            return Err("a source needs an instrument".to_string());
        }
        if let Some(url) = &def.url
            && !url.starts_with("https://")
        {
            return Err(format!("source url '{url}' must start with https://"));
        }
        let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(Source {
            instrument: def.instrument.trim().to_string(),
            article: clean(def.article),
            note: clean(def.note),
            url: clean(def.url),
        })
    }
}

/// toml's message with its line and column, on one line.
fn toml_error(error: &toml::de::Error) -> String {
    let message = error.message().trim();
    match error.span() {
        Some(_) => {
            let text = error.to_string();
            // toml renders "TOML parse error at line L, column C\n  |\n…\n<message>".
            match text.lines().next() {
                Some(first) if first.contains("line") => {
                    format!(
                        "{}: {message}",
                        first.trim_start_matches("TOML parse error ")
                    )
                }
                _ => message.to_string(),
            }
        }
        None => message.to_string(),
    }
}
