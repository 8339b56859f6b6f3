//! The rights check (`texts/rights-check.toml`): questions a family answers one at a time, whose
//! answers fill in interchange fields, so that the rules file decides which rights apply.
//!
//! Nothing here is stored: the answers are a map from question to answer that the caller keeps
//! (the web form carries them from screen to screen). A question is asked only when its answer
//! can change the outcome: two of its answers make the rules say different things, a later
//! question depends on it, or (for a date) a term of a right that applies starts on it.

use std::collections::BTreeMap;

use dakwacht_core::{Case, Date, Lang};
use dakwacht_rules::{Rule, RuleSet, Severity};
use serde::Deserialize;

use crate::contacts::Both;
use crate::{Level, Text};

/// The shipped questions.
pub const BUILT_IN: &str = include_str!("../../../texts/rights-check.toml");
const FILE: &str = "texts/rights-check.toml";

/// The answers so far: question id → answer id (or a date `YYYY-MM-DD` for a date question).
pub type Answers = BTreeMap<String, String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One answer of a list.
    #[default]
    Choice,
    /// A day.
    Date,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    #[serde(default)]
    pub kind: Kind,
    /// Asked only after this answer to an earlier question: `"question = answer"`.
    pub only_if: Option<String>,
    pub text: Both,
    #[serde(default, rename = "answer")]
    pub answers: Vec<Answer>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub id: String,
    pub text: Both,
    /// Interchange column → code.
    #[serde(default)]
    pub sets: BTreeMap<String, String>,
}

/// A term that runs out: `weeks` after the day a date question gives, while `rule` applies.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub rule: String,
    pub from: String,
    pub weeks: u8,
    /// `{end}` stands for the last day.
    pub text: Both,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionsFile {
    question: Vec<Question>,
    #[serde(default)]
    term: Vec<Term>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RightsCheckError {
    #[error("{FILE}: {0}")]
    Syntax(String),
    #[error("{FILE}: question '{question}': {problem}")]
    Question { question: String, problem: String },
    #[error("{FILE}: term of rule '{rule}': {problem}")]
    Term { rule: String, problem: String },
}

/// A right that applies, as the family reads it.
#[derive(Debug, Clone)]
pub struct Right<'r> {
    pub rule: &'r Rule,
    /// A term that runs out, with its last day where the answers give its start.
    pub term: Option<(Option<Date>, String)>,
}

/// The questions, checked against the rules they feed.
#[derive(Debug, Clone)]
pub struct RightsCheck {
    pub questions: Vec<Question>,
    pub terms: Vec<Term>,
}

impl RightsCheck {
    pub fn built_in(rules: &RuleSet) -> Result<RightsCheck, RightsCheckError> {
        RightsCheck::parse(BUILT_IN, rules)
    }

    /// Refuses a question whose answers set a field that is not an interchange column or a
    /// value that column does not take, an `only_if` that names no earlier question and answer,
    /// a choice without answers, ids used twice, and a term of a rule the rules file does not
    /// have or from a question that is not a date.
    pub fn parse(text: &str, rules: &RuleSet) -> Result<RightsCheck, RightsCheckError> {
        let file: QuestionsFile =
            toml::from_str(text).map_err(|e| RightsCheckError::Syntax(e.to_string()))?;
        let check = RightsCheck {
            questions: file.question,
            terms: file.term,
        };
        for (i, question) in check.questions.iter().enumerate() {
            let refuse = |problem: String| RightsCheckError::Question {
                question: question.id.clone(),
                problem,
            };
            if check.questions[..i].iter().any(|q| q.id == question.id) {
                return Err(refuse("its id is used twice".into()));
            }
            match question.kind {
                Kind::Choice if question.answers.len() < 2 => {
                    return Err(refuse("a choice needs at least two answers".into()));
                }
                Kind::Date if !question.answers.is_empty() => {
                    return Err(refuse(
                        "a date question has no answers to choose from".into(),
                    ));
                }
                _ => {}
            }
            if let Some(condition) = &question.only_if {
                let known = parse_condition(condition).is_some_and(|(q, a)| {
                    check.questions[..i]
                        .iter()
                        .any(|earlier| earlier.id == q && earlier.answers.iter().any(|x| x.id == a))
                });
                if !known {
                    return Err(refuse(format!(
                        "only_if '{condition}' names no earlier question and answer"
                    )));
                }
            }
            for answer in &question.answers {
                for column in answer.sets.keys() {
                    if dakwacht_core::Field::from_header(column).is_none() {
                        return Err(refuse(format!(
                            "answer '{}' sets '{column}', which is not a column of the cases file",
                            answer.id
                        )));
                    }
                }
                let mut answers = Answers::new();
                answers.insert(question.id.clone(), answer.id.clone());
                check
                    .case_of(&answers)
                    .map_err(|why| refuse(format!("answer '{}': {why}", answer.id)))?;
            }
        }
        for term in &check.terms {
            let refuse = |problem: &str| RightsCheckError::Term {
                rule: term.rule.clone(),
                problem: problem.to_string(),
            };
            if rules.rule(&term.rule).is_none() {
                return Err(refuse("the rules file has no such rule"));
            }
            if !check
                .questions
                .iter()
                .any(|q| q.id == term.from && q.kind == Kind::Date)
            {
                return Err(refuse("`from` must name a date question"));
            }
        }
        Ok(check)
    }

    /// The family the answers describe, as a case the rules can read (one child, reported on
    /// a fixed day: the rules the check feeds do not read either).
    pub fn case_of(&self, answers: &Answers) -> Result<Case, String> {
        let columns = self.columns(answers);
        let mut header = String::from("case_ref,organisation,reported_on,children_count");
        let mut row = String::from("RECHTENCHECK,rechtencheck,2026-01-01,1");
        for (column, value) in &columns {
            header.push(',');
            header.push_str(column);
            row.push(',');
            row.push_str(value);
        }
        let text = format!("{header}\n{row}\n");
        let mut reader = dakwacht_interchange::CaseReader::csv(text.as_bytes())
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("{e:?}"))?;
        match reader.next() {
            Some((_, Ok(case))) => Ok(case),
            Some((_, Err(errors))) => Err(format!("{errors:?}")),
            None => Err("no case".to_string()),
        }
    }

    /// The interchange columns the answers fill in, with their codes (a later answer's over an
    /// earlier one's): what a professional saves into a case.
    pub fn columns(&self, answers: &Answers) -> BTreeMap<String, String> {
        let mut columns = BTreeMap::new();
        for question in &self.questions {
            let Some(given) = answers.get(&question.id) else {
                continue;
            };
            if let Some(answer) = question.answers.iter().find(|a| &a.id == given) {
                for (column, value) in &answer.sets {
                    columns.insert(column.clone(), value.clone());
                }
            }
        }
        columns
    }

    /// The rules the answers raise, by id.
    fn raised(&self, rules: &RuleSet, answers: &Answers) -> Vec<String> {
        match self.case_of(answers) {
            Ok(case) => rules
                .evaluator()
                .case(&case)
                .signals
                .iter()
                .map(|s| s.rule.id.clone())
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn holds(&self, question: &Question, answers: &Answers) -> bool {
        match question.only_if.as_deref().and_then(parse_condition) {
            None => true,
            Some((q, a)) => answers.get(q).is_some_and(|given| given == a),
        }
    }

    /// Whether the answer to `question` can change which rights apply.
    fn matters(&self, question: &Question, rules: &RuleSet, answers: &Answers) -> bool {
        match question.kind {
            Kind::Date => {
                let raised = self.raised(rules, answers);
                self.terms
                    .iter()
                    .any(|t| t.from == question.id && raised.contains(&t.rule))
            }
            Kind::Choice => {
                let depended_on = self.questions.iter().any(|q| {
                    q.only_if
                        .as_deref()
                        .and_then(parse_condition)
                        .is_some_and(|(on, _)| on == question.id)
                });
                if depended_on {
                    return true;
                }
                let mut outcomes = question.answers.iter().map(|answer| {
                    let mut with = answers.clone();
                    with.insert(question.id.clone(), answer.id.clone());
                    self.raised(rules, &with)
                });
                let first = outcomes.next();
                outcomes.any(|outcome| Some(outcome) != first)
            }
        }
    }

    /// The answers that belong together: in the order the questions are asked, each kept only
    /// when its question is one the check has, its answer one the question offers (or a day),
    /// and its `only_if` holds for the answers kept before it. What a form sends is read through
    /// this, so that a hand-made request cannot combine answers no family could give.
    pub fn consistent(&self, given: &Answers) -> Answers {
        let mut kept = Answers::new();
        for question in &self.questions {
            let Some(answer) = given.get(&question.id) else {
                continue;
            };
            let offered = match question.kind {
                Kind::Choice => question.answers.iter().any(|a| &a.id == answer),
                Kind::Date => dakwacht_core::date::parse_date(answer).is_some(),
            };
            if offered && self.holds(question, &kept) {
                kept.insert(question.id.clone(), answer.clone());
            }
        }
        kept
    }

    /// The next question to ask, or `None` when the answers are enough for the result.
    pub fn next(&self, rules: &RuleSet, answers: &Answers) -> Option<&Question> {
        self.questions.iter().find(|q| {
            !answers.contains_key(&q.id)
                && self.holds(q, answers)
                && self.matters(q, rules, answers)
        })
    }

    /// Every right that applies: those with a term that runs out first (soonest end first),
    /// then the others, high severity before medium, in the order of the rules file.
    pub fn rights<'r>(&self, rules: &'r RuleSet, answers: &Answers, lang: Lang) -> Vec<Right<'r>> {
        let raised = self.raised(rules, answers);
        let mut rights: Vec<Right<'r>> = rules
            .rules
            .iter()
            .filter(|rule| raised.contains(&rule.id))
            .map(|rule| Right {
                rule,
                term: self.terms.iter().find(|t| t.rule == rule.id).map(|term| {
                    let end = answers
                        .get(&term.from)
                        .and_then(|day| dakwacht_core::date::parse_date(day))
                        .and_then(|start| {
                            start
                                .checked_add(jiff::Span::new().weeks(i64::from(term.weeks)))
                                .ok()
                        });
                    let text = term.text.get(lang);
                    let said = match end {
                        Some(end) => {
                            text.replace("{end}", &dakwacht_core::written::long_date(end, lang))
                        }
                        None => {
                            text.replace("{end}", &format!("{} {}", term.weeks, weeks_word(lang)))
                        }
                    };
                    (end, said)
                }),
            })
            .collect();
        rights.sort_by_key(|right| {
            (
                right.term.is_none(),
                right.term.as_ref().and_then(|(end, _)| *end),
                right.rule.severity != Severity::High,
            )
        });
        rights
    }

    /// What a family reads of the questions, for the plain-language check.
    pub fn texts(&self) -> Vec<Text> {
        let mut texts = Vec::new();
        let mut add = |place: String, both: &Both| {
            for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
                texts.push(Text {
                    file: FILE.to_string(),
                    place: format!("{place}.{code}"),
                    lang,
                    level: Level::B1,
                    text: both.get(lang).to_string(),
                });
            }
        };
        for question in &self.questions {
            add(format!("question {}, text", question.id), &question.text);
            for answer in &question.answers {
                add(
                    format!("question {}, answer {}", question.id, answer.id),
                    &answer.text,
                );
            }
        }
        for term in &self.terms {
            add(format!("term of {}, text", term.rule), &term.text);
        }
        texts
    }
}

fn weeks_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "weken na die dag",
        Lang::En => "weeks after that day",
    }
}

/// `"question = answer"`.
fn parse_condition(text: &str) -> Option<(&str, &str)> {
    let (question, answer) = text.split_once('=')?;
    Some((question.trim(), answer.trim()))
}
