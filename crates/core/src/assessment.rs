//! The best-interest assessment of one child for one decision (`spec/children.md`), along the
//! four steps of the Kinderombudsman's step plan "Het beste besluit voor het kind":
//!
//! 1. the child's interests: a finding for each of the seven elements of UN CRC General
//!    Comment 14, or explicitly "not known" with the reason;
//! 2. the other interests (zero or more);
//! 3. the weighing: which interest prevailed and why (the child's interest comes first, so when
//!    another prevailed the reasons must say why it weighed more);
//! 4. how the decision was explained to the child, by whom, and what the child can do if it
//!    disagrees.
//!
//! A professional fills it in over several visits: each step is saved on its own and the
//! assessment is a draft until every step is filled. Only a complete one counts as "assessed".
//! Every text is a child's personal data: never in logs, exports to others or aggregate output.

use std::collections::BTreeMap;

use crate::case::Notes;
use crate::codes::{AssessedDecision, InterestElement, InterestHolder, Prevailed};

/// A free text of an assessment: 1 to 4,000 characters, sensitive.
pub type AssessmentText = Notes;

/// A finding on one element of the child's interests.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// What was found.
    Found { text: String },
    /// Not known, and why not.
    NotKnown { reason: String },
}

/// Another interest that weighs in the decision (step 2).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OtherInterest {
    pub holder: InterestHolder,
    pub what: String,
}

/// The weighing (step 3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Weighing {
    pub prevailed: Prevailed,
    pub reasons: String,
}

/// How the decision was explained to the child (step 4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Explanation {
    /// How and when it was explained, in a way suited to the child's age.
    pub how_and_when: String,
    /// By whom.
    pub by: String,
    /// What the child can do if it disagrees: whom to contact, how to object or complain.
    pub if_disagreeing: String,
}

/// One of the four steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    ChildInterests = 1,
    OtherInterests = 2,
    Weighing = 3,
    Explanation = 4,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::ChildInterests,
        Step::OtherInterests,
        Step::Weighing,
        Step::Explanation,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(number: u8) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.number() == number)
    }
}

/// What an assessment holds: the decision and the four steps, each `None` until saved.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct AssessmentSteps {
    /// Step 1: a finding per element; complete when all seven have one.
    #[serde(default)]
    pub interests: BTreeMap<String, Finding>,
    /// Step 2: `Some(empty)` when there are no other interests.
    pub other_interests: Option<Vec<OtherInterest>>,
    /// Step 3.
    pub weighing: Option<Weighing>,
    /// Step 4.
    pub explanation: Option<Explanation>,
}

/// A best-interest assessment of one child for one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Which child of the case.
    pub child_no: u8,
    pub decision: AssessedDecision,
    /// What the decision is, in words: required for `other`, allowed for every decision.
    pub decision_described: Option<String>,
    pub steps: AssessmentSteps,
}

/// What is wrong with (a step of) an assessment: which part, and why, for the form to show at
/// its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentProblem {
    /// The part: `decision_described`, `interests.child_view`, `weighing.reasons`, …
    pub part: String,
    pub problem: ProblemKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A text that must be there is empty.
    Missing,
    /// A text longer than 4,000 characters.
    TooLong,
    /// The child's interest did not prevail and the reasons do not say why.
    ReasonsRequired,
}

fn check_text(part: impl Into<String>, text: &str, problems: &mut Vec<AssessmentProblem>) {
    let chars = text.trim().chars().count();
    let problem = if chars == 0 {
        Some(ProblemKind::Missing)
    } else if chars > AssessmentText::MAX_CHARS {
        Some(ProblemKind::TooLong)
    } else {
        None
    };
    if let Some(problem) = problem {
        problems.push(AssessmentProblem {
            part: part.into(),
            problem,
        });
    }
}

impl Assessment {
    /// A new draft: the decision and nothing else.
    pub fn draft(
        child_no: u8,
        decision: AssessedDecision,
        decision_described: Option<String>,
    ) -> Assessment {
        Assessment {
            child_no,
            decision,
            decision_described: decision_described
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            steps: AssessmentSteps::default(),
        }
    }

    /// Whether `step` is filled in.
    pub fn step_done(&self, step: Step) -> bool {
        let steps = &self.steps;
        match step {
            Step::ChildInterests => InterestElement::ALL
                .iter()
                .all(|e| steps.interests.contains_key(e.code())),
            Step::OtherInterests => steps.other_interests.is_some(),
            Step::Weighing => steps.weighing.is_some(),
            Step::Explanation => steps.explanation.is_some(),
        }
    }

    /// Complete when every step is filled in and nothing is wrong: only then does it count as
    /// an assessment made (`child.best_interest_assessed`).
    pub fn is_complete(&self) -> bool {
        Step::ALL.into_iter().all(|s| self.step_done(s)) && self.problems().is_empty()
    }

    /// The first step not yet filled in, where the form continues.
    pub fn next_step(&self) -> Option<Step> {
        Step::ALL.into_iter().find(|s| !self.step_done(*s))
    }

    /// Everything wrong with what is filled in (an empty step is not wrong: it is a draft).
    pub fn problems(&self) -> Vec<AssessmentProblem> {
        let mut problems = Vec::new();
        match &self.decision_described {
            Some(text) => check_text("decision_described", text, &mut problems),
            None if self.decision == AssessedDecision::Other => problems.push(AssessmentProblem {
                part: "decision_described".to_string(),
                problem: ProblemKind::Missing,
            }),
            None => {}
        }
        let steps = &self.steps;
        for (element, finding) in &steps.interests {
            let text = match finding {
                Finding::Found { text } => text,
                Finding::NotKnown { reason } => reason,
            };
            check_text(format!("interests.{element}"), text, &mut problems);
        }
        for (index, interest) in steps.other_interests.iter().flatten().enumerate() {
            check_text(
                format!("other_interests.{}", index + 1),
                &interest.what,
                &mut problems,
            );
        }
        if let Some(weighing) = &steps.weighing {
            if weighing.prevailed == Prevailed::Other && weighing.reasons.trim().is_empty() {
                problems.push(AssessmentProblem {
                    part: "weighing.reasons".to_string(),
                    problem: ProblemKind::ReasonsRequired,
                });
            } else {
                check_text("weighing.reasons", &weighing.reasons, &mut problems);
            }
        }
        if let Some(explanation) = &steps.explanation {
            check_text(
                "explanation.how_and_when",
                &explanation.how_and_when,
                &mut problems,
            );
            check_text("explanation.by", &explanation.by, &mut problems);
            check_text(
                "explanation.if_disagreeing",
                &explanation.if_disagreeing,
                &mut problems,
            );
        }
        problems
    }

    /// The steps that differ between this assessment and `other`, for the history (which step
    /// changed, never what it says).
    pub fn changed_steps(&self, other: &Assessment) -> Vec<Step> {
        let (a, b) = (&self.steps, &other.steps);
        let mut changed = Vec::new();
        if a.interests != b.interests {
            changed.push(Step::ChildInterests);
        }
        if a.other_interests != b.other_interests {
            changed.push(Step::OtherInterests);
        }
        if a.weighing != b.weighing {
            changed.push(Step::Weighing);
        }
        if a.explanation != b.explanation {
            changed.push(Step::Explanation);
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Finding {
        Finding::Found {
            text: text.to_string(),
        }
    }

    /// Every step filled in.
    fn complete() -> Assessment {
        let mut assessment = Assessment::draft(2, AssessedDecision::Eviction, None);
        for element in InterestElement::ALL {
            assessment
                .steps
                .interests
                .insert(element.code().to_string(), found("gesprek met moeder"));
        }
        assessment.steps.interests.insert(
            "health".to_string(),
            Finding::NotKnown {
                reason: "huisarts niet bereikt".to_string(),
            },
        );
        assessment.steps.other_interests = Some(vec![OtherInterest {
            holder: InterestHolder::Landlord,
            what: "huurachterstand van zes maanden".to_string(),
        }]);
        assessment.steps.weighing = Some(Weighing {
            prevailed: Prevailed::Child,
            reasons: "uitstel tot er passende woonruimte is".to_string(),
        });
        assessment.steps.explanation = Some(Explanation {
            how_and_when: "op 3 maart, thuis, met tekeningen".to_string(),
            by: "maatschappelijk werker".to_string(),
            if_disagreeing: "Kinderombudsman, 0800-8011".to_string(),
        });
        assessment
    }

    #[test]
    fn a_draft_is_complete_only_when_every_step_is_filled_in() {
        let full = complete();
        assert!(full.is_complete(), "{:?}", full.problems());
        assert_eq!(full.next_step(), None);

        let mut draft = full.clone();
        draft.steps.interests.remove("education");
        assert!(!draft.is_complete());
        assert_eq!(draft.next_step(), Some(Step::ChildInterests));
        assert!(draft.problems().is_empty(), "a draft is not wrong");

        let mut no_explanation = full.clone();
        no_explanation.steps.explanation = None;
        assert_eq!(no_explanation.next_step(), Some(Step::Explanation));
        assert!(!no_explanation.is_complete());

        // No other interests is an answer: the step is done.
        let mut none_other = full;
        none_other.steps.other_interests = Some(Vec::new());
        assert!(none_other.is_complete());
    }

    #[test]
    fn another_interest_prevails_only_with_reasons() {
        let mut assessment = complete();
        assessment.steps.weighing = Some(Weighing {
            prevailed: Prevailed::Other,
            reasons: "  ".to_string(),
        });
        assert_eq!(
            assessment.problems(),
            vec![AssessmentProblem {
                part: "weighing.reasons".to_string(),
                problem: ProblemKind::ReasonsRequired,
            }]
        );
        assert!(!assessment.is_complete());
        assessment.steps.weighing = Some(Weighing {
            prevailed: Prevailed::Other,
            reasons: "de veiligheid van de buren (geweld)".to_string(),
        });
        assert!(assessment.is_complete());
    }

    #[test]
    fn an_other_decision_needs_its_description_and_texts_their_words() {
        let mut assessment = complete();
        assessment.decision = AssessedDecision::Other;
        assert_eq!(assessment.problems()[0].part, "decision_described");
        assessment.decision_described = Some("verhuizing naar andere gemeente".to_string());
        assert!(assessment.is_complete());

        assessment.steps.interests.insert(
            "identity".to_string(),
            Finding::NotKnown {
                reason: String::new(),
            },
        );
        assert_eq!(
            assessment.problems(),
            vec![AssessmentProblem {
                part: "interests.identity".to_string(),
                problem: ProblemKind::Missing,
            }]
        );
        assessment
            .steps
            .interests
            .insert("identity".to_string(), found(&"x".repeat(4001)));
        assert_eq!(assessment.problems()[0].problem, ProblemKind::TooLong);
    }

    #[test]
    fn the_history_names_the_steps_that_changed() {
        let before = complete();
        let mut after = before.clone();
        after.steps.weighing = None;
        after.steps.other_interests = Some(Vec::new());
        assert_eq!(
            after.changed_steps(&before),
            vec![Step::OtherInterests, Step::Weighing]
        );
        assert_eq!(before.changed_steps(&before), vec![]);
    }
}
