//! Holding cases against the rules: signals for one case, counts over many.

use std::collections::HashMap;

use cel::Context;
use dakwacht_core::{Case, Facts};
use serde::Serialize;

use crate::condition::base_context;
use crate::ruleset::{Rule, RuleSet, Severity, Source, Texts};

/// A rule that a case raises: what went wrong, which article says so, what to do now.
#[derive(Debug, Clone, Copy)]
pub struct Signal<'r> {
    pub rule: &'r Rule,
    pub severity: Severity,
    /// The version of the rules file that raised this signal.
    pub rules_version: &'r str,
}

/// A rule that could not be evaluated for some facts. Conditions are tried on load, so this
/// needs an unusual combination of values; it is reported, never a panic, and the rule counts as
/// not raised for those cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub rule: String,
    pub message: String,
    pub cases: u64,
}

/// The signals of one case.
#[derive(Debug, Clone)]
pub struct Evaluation<'r> {
    pub signals: Vec<Signal<'r>>,
    pub problems: Vec<Problem>,
}

/// How many cases raise each rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub rules_version: String,
    /// Number of cases held against the rules.
    pub of: u64,
    /// One entry per rule, in file order, zeros included.
    pub rules: Vec<RuleCount>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub id: String,
    pub cases: u64,
    pub of: u64,
}

/// Evaluates a rule set; keeps the CEL standard library built once.
pub struct Evaluator<'r> {
    rules: &'r RuleSet,
    base: Context<'static, 'static>,
}

impl RuleSet {
    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            rules: self,
            base: base_context(),
        }
    }
}

impl<'r> Evaluator<'r> {
    pub fn case(&self, case: &Case) -> Evaluation<'r> {
        self.facts(&Facts::of(case))
    }

    /// The signals raised by these facts, in file order.
    pub fn facts(&self, facts: &Facts) -> Evaluation<'r> {
        let mut signals = Vec::new();
        let mut problems = Vec::new();
        for rule in &self.rules.rules {
            match self.raises(rule, facts) {
                Ok(Some(severity)) => signals.push(Signal {
                    rule,
                    severity,
                    rules_version: &self.rules.version,
                }),
                Ok(None) => {}
                Err(message) => problems.push(Problem {
                    rule: rule.id.clone(),
                    message,
                    cases: 1,
                }),
            }
        }
        Evaluation { signals, problems }
    }

    /// Finds the cases that raise one rule, remembering the answer per distinct combination of
    /// the variables the rule reads: scanning many cases costs one evaluation per combination.
    pub fn matcher(&self, rule: &'r Rule) -> RuleMatcher<'_, 'r> {
        RuleMatcher {
            evaluator: self,
            rule,
            seen: std::collections::HashMap::new(),
        }
    }

    /// The severity `rule` is raised with for these facts, or `None` when it is not raised.
    fn raises(&self, rule: &Rule, facts: &Facts) -> Result<Option<Severity>, String> {
        if !rule.when.holds(facts, &self.base)? {
            return Ok(None);
        }
        let high = match &rule.high_when {
            Some(condition) => condition.holds(facts, &self.base)?,
            None => false,
        };
        Ok(Some(if high { Severity::High } else { rule.severity }))
    }

    /// Counts, per rule, the cases that raise it. `groups` holds distinct facts with the number
    /// of cases that have them. Each rule is evaluated once per distinct combination of the
    /// variables it reads, so the work does not grow with the number of cases.
    pub fn tally(&self, groups: &[(Facts, u64)]) -> Tally {
        let per_rule: Vec<Vec<(Facts, u64)>> = self
            .rules
            .rules
            .iter()
            .map(|rule| {
                let mut distinct: HashMap<Facts, u64> = HashMap::new();
                for (facts, count) in groups {
                    *distinct.entry(facts.only(&rule.variables)).or_default() += count;
                }
                distinct.into_iter().collect()
            })
            .collect();
        self.tally_per_rule(&per_rule)
    }

    /// Like [`Evaluator::tally`], with the cases already counted per rule: `per_rule[i]` holds
    /// the distinct facts of the variables rule `i` reads (see [`RuleSet::variable_sets`]), as a
    /// store counts them in one pass.
    pub fn tally_per_rule(&self, per_rule: &[Vec<(Facts, u64)>]) -> Tally {
        let of: u64 = per_rule
            .first()
            .map_or(0, |groups| groups.iter().map(|(_, n)| n).sum());
        let mut rules = Vec::with_capacity(self.rules.rules.len());
        let mut problems = Vec::new();
        for (index, rule) in self.rules.rules.iter().enumerate() {
            let groups = per_rule.get(index).map_or(&[][..], Vec::as_slice);
            let mut cases = 0;
            let mut failed: Option<Problem> = None;
            for (facts, count) in groups {
                match rule.when.holds(facts, &self.base) {
                    Ok(true) => cases += count,
                    Ok(false) => {}
                    Err(message) => {
                        let problem = failed.get_or_insert(Problem {
                            rule: rule.id.clone(),
                            message,
                            cases: 0,
                        });
                        problem.cases += count;
                    }
                }
            }
            problems.extend(failed);
            rules.push(RuleCount {
                id: rule.id.clone(),
                cases,
                of,
            });
        }
        Tally {
            rules_version: self.rules.version.clone(),
            of,
            rules,
            problems,
        }
    }
}

/// A signal with its texts, as the JSON output and the web page show it.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView<'r> {
    pub id: &'r str,
    pub severity: Severity,
    pub rules_version: &'r str,
    pub title: &'r Texts<String>,
    pub explanation: &'r Texts<String>,
    pub next_steps: &'r Texts<Vec<String>>,
    pub sources: &'r [Source],
}

impl<'r> From<&Signal<'r>> for SignalView<'r> {
    fn from(signal: &Signal<'r>) -> Self {
        SignalView {
            id: &signal.rule.id,
            severity: signal.severity,
            rules_version: signal.rules_version,
            title: &signal.rule.title,
            explanation: &signal.rule.explanation,
            next_steps: &signal.rule.next_steps,
            sources: &signal.rule.sources,
        }
    }
}

/// Counts the signals over cases in memory (tests, small files). The store offers the same
/// counting over what it holds without loading cases.
pub fn facts_groups<'c>(
    cases: impl IntoIterator<Item = &'c Case>,
    rules: &RuleSet,
) -> Vec<(Facts, u64)> {
    let variables = rules.variables();
    let mut groups: HashMap<Facts, u64> = HashMap::new();
    for case in cases {
        *groups.entry(Facts::of(case).only(&variables)).or_default() += 1;
    }
    groups.into_iter().collect()
}

/// See [`Evaluator::matcher`].
pub struct RuleMatcher<'e, 'r> {
    evaluator: &'e Evaluator<'r>,
    rule: &'r Rule,
    seen: std::collections::HashMap<Facts, bool>,
}

impl RuleMatcher<'_, '_> {
    /// Whether the case raises the rule. A rule that cannot be evaluated for a case (an error in
    /// the rules file) does not raise it; `dakwacht check` reports such problems.
    pub fn raised_by(&mut self, case: &Case) -> bool {
        let facts = Facts::of(case).only(&self.rule.variables);
        if let Some(known) = self.seen.get(&facts) {
            return *known;
        }
        let raised = matches!(self.evaluator.raises(self.rule, &facts), Ok(Some(_)));
        self.seen.insert(facts, raised);
        raised
    }
}
