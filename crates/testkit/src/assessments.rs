//! A complete best-interest assessment, for the tests that need one (the letter to a child).
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use dakwacht_core::assessment::{Explanation, OtherInterest, Weighing};
use dakwacht_core::{
    AssessedDecision, Assessment, Finding, InterestElement, InterestHolder, Prevailed,
};
use dakwacht_store::{Actor, Store};

/// Why the decision was taken, in the complete assessment.
pub const REASONS: &str = "Jullie blijven samen als gezin.";
/// Who explained it to the child.
pub const EXPLAINED_BY: &str = "Sanne, maatschappelijk werker";
/// What the child can do if it disagrees.
pub const IF_DISAGREEING: &str = "Bel Sanne of de Kinderombudsman.";

/// Every step filled in: the child's interests, another interest, the weighing (the child's
/// interest prevailed, for [`REASONS`]) and how it was explained.
pub fn complete(child_no: u8, decision: AssessedDecision) -> Assessment {
    let mut assessment = Assessment::draft(child_no, decision, None);
    for element in InterestElement::ALL {
        assessment.steps.interests.insert(
            element.code().to_string(),
            Finding::Found {
                text: "gesprek".into(),
            },
        );
    }
    assessment.steps.other_interests = Some(vec![OtherInterest {
        holder: InterestHolder::Landlord,
        what: "huurachterstand".into(),
    }]);
    assessment.steps.weighing = Some(Weighing {
        prevailed: Prevailed::Child,
        reasons: REASONS.into(),
    });
    assessment.steps.explanation = Some(Explanation {
        how_and_when: "thuis".into(),
        by: EXPLAINED_BY.into(),
        if_disagreeing: IF_DISAGREEING.into(),
    });
    assessment
}

/// Stores a complete assessment of a child of a case (started, then every step saved); its id.
pub async fn store_complete<S: Store>(
    store: &S,
    (organisation, case_ref): (&str, &str),
    child_no: u8,
    decision: AssessedDecision,
) -> i64 {
    let actor = Actor::web("pro");
    let draft = Assessment::draft(child_no, decision, None);
    let id = store
        .create_assessment(&actor, organisation, case_ref, &draft)
        .await
        .unwrap();
    store
        .save_assessment(
            &actor,
            (organisation, case_ref),
            id,
            &complete(child_no, decision),
            1,
        )
        .await
        .unwrap();
    id
}
