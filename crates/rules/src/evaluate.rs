//! Holding cases against the rules: signals for one case, counts over many.

use std::collections::HashMap;

use cel::Context;
use dakwacht_core::{Case, Child, ChildFacts, FactValue, Facts, Lang};
use serde::Serialize;

use crate::condition::base_context;
use crate::ruleset::{Rule, RuleSet, Severity, Source, Texts};

/// A rule that a case raises: what went wrong, which article says so, what to do now.
#[derive(Debug, Clone)]
pub struct Signal<'r> {
    pub rule: &'r Rule,
    pub severity: Severity,
    /// The version of the rules file that raised this signal.
    pub rules_version: &'r str,
    /// The children whose records raised it, by number; empty when the family's own fields did.
    pub children: Vec<ChildFacts>,
}

/// A rule on which a family's own fields and its child records disagree (`child_heard = yes`
/// while child 2 was not heard). The records decide; the disagreement is shown so that the
/// professional can put right whichever is wrong.
#[derive(Debug, Clone)]
pub struct Disagreement<'r> {
    pub rule: &'r Rule,
    /// What the family's own fields say: the rule raised or not.
    pub family_raises: bool,
    /// The children whose records raise the rule (empty: none of them does).
    pub children: Vec<ChildFacts>,
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
    pub disagreements: Vec<Disagreement<'r>>,
    pub problems: Vec<Problem>,
}

/// What one rule says of one case.
struct Verdict {
    /// `None`: not raised.
    severity: Option<Severity>,
    /// The children whose records raised it.
    children: Vec<ChildFacts>,
    /// `Some(what the family's fields say)` when they disagree with the child records.
    disagreement: Option<bool>,
}

impl Verdict {
    const NOT_RAISED: Verdict = Verdict {
        severity: None,
        children: Vec::new(),
        disagreement: None,
    };
}

/// How many cases raise each rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    /// The signals of a case alone (no child records: the family's own fields decide).
    pub fn case(&self, case: &Case) -> Evaluation<'r> {
        self.facts(&Facts::of(case))
    }

    /// The signals of a case and its child records.
    pub fn family(&self, case: &Case, children: &[Child]) -> Evaluation<'r> {
        self.facts(&Facts::of_family(case, children))
    }

    /// The signals raised by these facts, in file order.
    pub fn facts(&self, facts: &Facts) -> Evaluation<'r> {
        let mut evaluation = Evaluation {
            signals: Vec::new(),
            disagreements: Vec::new(),
            problems: Vec::new(),
        };
        for rule in &self.rules.rules {
            match self.verdict(rule, facts) {
                Ok(verdict) => {
                    if let Some(family_raises) = verdict.disagreement {
                        evaluation.disagreements.push(Disagreement {
                            rule,
                            family_raises,
                            children: verdict.children.clone(),
                        });
                    }
                    if let Some(severity) = verdict.severity {
                        evaluation.signals.push(Signal {
                            rule,
                            severity,
                            rules_version: &self.rules.version,
                            children: verdict.children,
                        });
                    }
                }
                Err(message) => evaluation.problems.push(Problem {
                    rule: rule.id.clone(),
                    message,
                    cases: 1,
                }),
            }
        }
        evaluation
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

    /// Whether and how `rule` is raised by these facts. A child whose record knows what
    /// `when_child` reads is judged by its record; the family's own fields (`when`) speak for
    /// the other children, and for all of them when no record knows.
    fn verdict(&self, rule: &Rule, facts: &Facts) -> Result<Verdict, String> {
        let base = &self.base;
        let family_raises = match &rule.when {
            Some(when) => when.holds(facts, base)?,
            None => false,
        };
        let family_high = |facts: &Facts| -> Result<bool, String> {
            match &rule.high_when {
                Some(high_when) => high_when.holds(facts, base),
                None => Ok(false),
            }
        };
        let deciding: Vec<&ChildFacts> = match &rule.when_child {
            Some(condition) => facts
                .children
                .iter()
                .flatten()
                .filter(|child| child.knows_any(condition.child_variables()))
                .collect(),
            None => Vec::new(),
        };
        let (Some(condition), false) = (&rule.when_child, deciding.is_empty()) else {
            if !family_raises {
                return Ok(Verdict::NOT_RAISED);
            }
            let high = family_high(facts)?;
            return Ok(Verdict {
                severity: Some(if high { Severity::High } else { rule.severity }),
                ..Verdict::NOT_RAISED
            });
        };
        let mut children = Vec::new();
        let mut high = false;
        for child in &deciding {
            if condition.holds_for(facts, Some(child), base)? {
                if let Some(high_when) = &rule.high_when {
                    high |= high_when.holds_for(facts, Some(child), base)?;
                }
                children.push(**child);
            }
        }
        // The children no record speaks for: the family's fields still speak for them.
        let count = facts.children_count.map_or(0, usize::from);
        let others = count.saturating_sub(deciding.len());
        let by_family = others > 0 && family_raises;
        if by_family {
            high |= family_high(facts)?;
        }
        let raised = !children.is_empty() || by_family;
        // The family's fields disagree with the records when they say no child while a record
        // says this one, or yes while every child's record says no. Unknown fields say nothing.
        let family_says_no = rule.when.as_ref().is_some_and(|when| {
            !family_raises
                && when
                    .variables()
                    .iter()
                    .all(|v| facts.value(*v) != FactValue::Null)
        });
        let disagreement = if family_says_no && !children.is_empty() {
            Some(false)
        } else if family_raises && children.is_empty() && others == 0 {
            Some(true)
        } else {
            None
        };
        Ok(Verdict {
            severity: raised.then_some(if high { Severity::High } else { rule.severity }),
            children,
            disagreement,
        })
    }

    /// Whether rule number `index` (file order) is raised by these facts: what a store keeps,
    /// one bit per rule, for each case ([`RuleSet::fingerprint`]). `Err` when the rule could not
    /// be evaluated for them (see [`Problem`]).
    pub fn raises(&self, index: usize, facts: &Facts) -> Result<bool, String> {
        match self.rules.rules.get(index) {
            Some(rule) => Ok(self.verdict(rule, facts)?.severity.is_some()),
            None => Err(format!("there is no rule number {index}")),
        }
    }

    /// Counts, per rule, the cases that raise it, from signals a store kept: `groups` holds each
    /// distinct set of raised rules (bit `i`: rule `i` in file order) with its number of cases.
    /// The same counts as [`Evaluator::tally_per_rule`] over the same cases.
    pub fn tally_kept(&self, groups: &[(u64, u64)]) -> Tally {
        let of = groups.iter().map(|(_, count)| count).sum();
        let rules = self
            .rules
            .rules
            .iter()
            .enumerate()
            .map(|(index, rule)| RuleCount {
                id: rule.id.clone(),
                cases: groups
                    .iter()
                    .filter(|(signals, _)| index < 64 && signals & (1 << index) != 0)
                    .map(|(_, count)| count)
                    .sum(),
                of,
            })
            .collect();
        Tally {
            rules_version: self.rules.version.clone(),
            of,
            rules,
            problems: Vec::new(),
        }
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
                match self.verdict(rule, facts) {
                    Ok(verdict) if verdict.severity.is_some() => cases += count,
                    Ok(_) => {}
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
    /// The children whose records raised it (none when the family's own fields did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildView>,
}

/// A child as a signal names it, in JSON: its number and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChildView {
    pub child_no: u8,
    pub age: Option<u8>,
}

impl From<&ChildFacts> for ChildView {
    fn from(child: &ChildFacts) -> Self {
        ChildView {
            child_no: child.child_no,
            age: child.age,
        }
    }
}

/// A disagreement between the family's fields and its child records, in JSON.
#[derive(Debug, Clone, Serialize)]
pub struct DisagreementView<'r> {
    pub rule: &'r str,
    /// What the family's own fields say.
    pub family_raises: bool,
    /// The children whose records raise the rule; the records decide.
    pub children: Vec<ChildView>,
}

impl<'r> From<&Disagreement<'r>> for DisagreementView<'r> {
    fn from(disagreement: &Disagreement<'r>) -> Self {
        DisagreementView {
            rule: &disagreement.rule.id,
            family_raises: disagreement.family_raises,
            children: disagreement.children.iter().map(Into::into).collect(),
        }
    }
}

impl Disagreement<'_> {
    /// The disagreement in a sentence: "Volgens de gezinsgegevens: niet. Volgens de
    /// kinddossiers: wel (kind 2 (9 jaar)). De kinddossiers gelden."
    pub fn sentence(&self, lang: Lang) -> String {
        let children = self
            .children
            .iter()
            .map(|c| c.mention(lang))
            .collect::<Vec<_>>()
            .join(", ");
        match (lang, self.family_raises) {
            (Lang::Nl, true) => format!(
                "{}: volgens de gezinsgegevens wel, volgens de kinddossiers bij geen enkel kind. \
                 De kinddossiers gelden; pas aan wat niet klopt.",
                self.rule.title.nl
            ),
            (Lang::Nl, false) => format!(
                "{}: volgens de gezinsgegevens niet, volgens de kinddossiers wel ({children}). \
                 De kinddossiers gelden; pas aan wat niet klopt.",
                self.rule.title.nl
            ),
            (Lang::En, true) => format!(
                "{}: the family's fields say yes, the child records say no for every child. \
                 The child records count; correct whichever is wrong.",
                self.rule.title.en
            ),
            (Lang::En, false) => format!(
                "{}: the family's fields say no, the child records say yes ({children}). \
                 The child records count; correct whichever is wrong.",
                self.rule.title.en
            ),
        }
    }
}

impl Signal<'_> {
    /// The children it concerns, as a professional reads them: "kind 1 (4 jaar), kind 2 (9 jaar)";
    /// empty when the family's own fields raised it.
    pub fn children_named(&self, lang: Lang) -> String {
        self.children
            .iter()
            .map(|c| c.mention(lang))
            .collect::<Vec<_>>()
            .join(", ")
    }
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
            children: signal.children.iter().map(Into::into).collect(),
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
        self.raised_by_facts(&Facts::of(case))
    }

    /// Whether a case with these facts (its child records included, see
    /// [`RuleMatcher::reads_children`]) raises the rule.
    pub fn raised_by_facts(&mut self, facts: &Facts) -> bool {
        let facts = facts.only(&self.rule.variables);
        if let Some(known) = self.seen.get(&facts) {
            return *known;
        }
        let raised = matches!(
            self.evaluator.verdict(self.rule, &facts),
            Ok(Verdict {
                severity: Some(_),
                ..
            })
        );
        self.seen.insert(facts, raised);
        raised
    }

    /// Whether the rule reads child records: then the cases must come with theirs.
    pub fn reads_children(&self) -> bool {
        self.rule.when_child.is_some()
    }
}
