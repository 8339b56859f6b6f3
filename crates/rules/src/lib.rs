//! The legal and child-rights checks of dakwacht.
//!
//! The rules live in a TOML file (`rules/rules.toml`) that a lawyer can read and change without
//! Rust: per rule an id, a severity, a condition in the Common Expression Language (CEL), texts in
//! Dutch and English, the legal sources and next steps. [`RuleSet::parse`] checks the whole file
//! (unknown fields, syntax errors, unknown codes, duplicate ids) and names the rule at fault;
//! [`Evaluator`] turns a case into [`Signal`]s and counts signals over many cases.
//!
//! ```
//! use dakwacht_rules::RuleSet;
//! let rules = RuleSet::built_in().expect("the shipped rules are valid");
//! assert_eq!(rules.rules.len(), 13);
//! ```

mod condition;
mod evaluate;
mod file;
pub mod limits;
mod ruleset;

pub use condition::{Condition, ConditionError, FUNCTIONS, Scope};
pub use evaluate::{
    ChildView, Disagreement, DisagreementView, Evaluation, Evaluator, Problem, RuleCount,
    RuleMatcher, Signal, SignalView, Tally, facts_groups,
};
pub use ruleset::{
    BUILT_IN, EVALUATION_VERSION, Rule, RuleSet, RulesError, Severity, Source, Texts,
};
