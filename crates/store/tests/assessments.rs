#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Best-interest assessments on both stores: started as a draft, filled in step by step over
//! several saves, refused when someone else saved in between, complete when every step is
//! filled in (and then counted for the child, by the figures and the rules), in the history and
//! the audit log, kept through a later import, deleted with a closed case.

use dakwacht_core::assessment::{Explanation, OtherInterest, Weighing};
use dakwacht_core::{
    AssessedDecision, Assessment, CaseFilter, ClosingReason, Closure, Finding, InterestElement,
    InterestHolder, Prevailed, Step,
};
use dakwacht_store::{Actor, AuditAction, AuditFilter, Store, StoreError, Subject};

const ORG: &str = "Straatalliantie";
/// QS-01 has two children (4 and 9) and no child records.
const CASE: (&str, &str) = (ORG, "QS-01");

fn actor() -> Actor {
    Actor::web("pro")
}

/// Step 1 filled in: a finding for each of the seven elements, one of them "not known".
fn with_interests(mut assessment: Assessment) -> Assessment {
    for element in InterestElement::ALL {
        let finding = if *element == InterestElement::Health {
            Finding::NotKnown {
                reason: "huisarts niet bereikt".into(),
            }
        } else {
            Finding::Found {
                text: format!("bevinding over {}", element.code()),
            }
        };
        assessment
            .steps
            .interests
            .insert(element.code().to_string(), finding);
    }
    assessment
}

/// Steps 2 to 4 filled in.
fn with_the_rest(mut assessment: Assessment) -> Assessment {
    assessment.steps.other_interests = Some(vec![OtherInterest {
        holder: InterestHolder::Landlord,
        what: "huurachterstand".into(),
    }]);
    assessment.steps.weighing = Some(Weighing {
        prevailed: Prevailed::Child,
        reasons: "uitstel tot er passende woonruimte is".into(),
    });
    assessment.steps.explanation = Some(Explanation {
        how_and_when: "op 3 maart, thuis, met tekeningen".into(),
        by: "maatschappelijk werker".into(),
        if_disagreeing: "Kinderombudsman".into(),
    });
    assessment
}

/// The measure `child.best_interest_assessed` over everything stored: (numerator, denominator).
async fn assessed_children<S: Store>(store: &S) -> (u64, Option<u64>) {
    let figures = store.child_figures(&CaseFilter::default()).await.unwrap();
    let measures = dakwacht_stats::compute_children(&figures);
    let assessed = measures
        .iter()
        .find(|m| m.id == "child.best_interest_assessed")
        .unwrap();
    (assessed.numerator, assessed.denominator)
}

async fn an_assessment_is_filled_in_over_two_visits_and_then_counts<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let draft = Assessment::draft(1, AssessedDecision::Eviction, None);
    let id = store
        .create_assessment(&actor(), ORG, "QS-01", &draft)
        .await
        .unwrap();

    // The child had no record: it now has one with its age, not yet assessed.
    let children = store.children(ORG, "QS-01").await.unwrap();
    assert_eq!(children.len(), 1);
    assert_eq!((children[0].child_no, children[0].age), (1, Some(4)));
    assert!(!children[0].assessed_in_dakwacht);
    let stored = &store.assessments(ORG, "QS-01").await.unwrap()[0];
    assert_eq!((stored.id, stored.version, stored.complete), (id, 1, false));
    assert_eq!(stored.assessment, draft);
    assert_eq!(stored.created_by, "user:pro");

    // First visit: step 1.
    let first = with_interests(draft.clone());
    let version = store
        .save_assessment(&actor(), CASE, id, &first, 1)
        .await
        .unwrap();
    assert_eq!(version, 2);
    // A colleague who opened it before cannot save over it.
    let stale = store
        .save_assessment(&Actor::web("colleague"), CASE, id, &draft, 1)
        .await
        .unwrap_err();
    assert!(
        matches!(&stale, StoreError::StaleVersion { by, .. } if by == "user:pro"),
        "{stale:?}"
    );
    let stored = &store.assessments(ORG, "QS-01").await.unwrap()[0];
    assert_eq!((stored.version, stored.complete), (2, false));
    assert_eq!(stored.assessment, first);

    // Second visit: the rest; the child it belongs to does not change whatever is sent.
    let whole = with_the_rest(first.clone());
    let moved = Assessment {
        child_no: 2,
        ..whole.clone()
    };
    assert_eq!(
        store
            .save_assessment(&actor(), CASE, id, &moved, 2)
            .await
            .unwrap(),
        3
    );
    let stored = &store.assessments(ORG, "QS-01").await.unwrap()[0];
    assert!(stored.complete);
    assert_eq!(stored.assessment, whole);

    // Complete: the child counts as assessed, in the figures and for the rules.
    let children = store.children(ORG, "QS-01").await.unwrap();
    assert!(children[0].assessed_in_dakwacht);
    assert_eq!(assessed_children(store).await, (1, Some(1)));

    // The history says which steps changed, never what they say; the audit log the same.
    let history = store.assessment_history(ORG, "QS-01").await.unwrap();
    let lines: Vec<(&str, Vec<Step>, &str)> = history
        .iter()
        .map(|h| (h.action.as_str(), h.steps.clone(), h.actor.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("created", vec![], "user:pro"),
            ("saved", vec![Step::ChildInterests], "user:pro"),
            (
                "completed",
                vec![Step::OtherInterests, Step::Weighing, Step::Explanation],
                "user:pro"
            ),
        ]
    );
    assert!(
        history
            .iter()
            .all(|h| h.child_no == 1 && h.assessment_id == id)
    );
    let audit = store
        .audit_log(&AuditFilter {
            actor: Some("user:pro".into()),
            action: None,
            organisation: None,
            case_ref: Some("QS-01".into()),
            limit: None,
        })
        .await
        .unwrap();
    let actions: Vec<AuditAction> = audit.iter().map(|r| r.entry.action).collect();
    assert!(actions.contains(&AuditAction::CreateAssessment));
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == AuditAction::SaveAssessment)
            .count(),
        2
    );
    let details: String = audit
        .iter()
        .filter_map(|r| r.entry.detail.clone())
        .collect();
    assert!(
        !details.contains("bevinding"),
        "no finding in the audit log"
    );
    assert!(!details.contains("huurachterstand"));
}

async fn a_later_import_keeps_what_the_assessment_says<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let draft = Assessment::draft(2, AssessedDecision::ShelterRefusal, None);
    let id = store
        .create_assessment(&actor(), ORG, "QS-01", &draft)
        .await
        .unwrap();
    let whole = with_the_rest(with_interests(draft));
    store
        .save_assessment(&actor(), CASE, id, &whole, 1)
        .await
        .unwrap();
    // A children file says no assessment was made for child 2: dakwacht's own still counts.
    let file = "case_ref,organisation,child_no,age,best_interest_assessed\n\
                QS-01,Straatalliantie,2,9,no\n";
    let rows: Vec<dakwacht_core::ChildRow> =
        dakwacht_interchange::ChildReader::csv(file.as_bytes())
            .unwrap()
            .unwrap()
            .map(|(_, row)| row.unwrap())
            .collect();
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tx.send(dakwacht_store::ImportMessage::Children(rows))
        .await
        .unwrap();
    tx.send(dakwacht_store::ImportMessage::Commit)
        .await
        .unwrap();
    drop(tx);
    store.import(&actor(), "kinderen.csv", rx).await.unwrap();
    let child = store.children(ORG, "QS-01").await.unwrap().remove(0);
    assert_eq!(child.best_interest_assessed, Some(false));
    assert!(child.assessed_in_dakwacht);
    assert_eq!(assessed_children(store).await, (1, Some(1)));
}

async fn what_does_not_exist_is_not_found<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let third = Assessment::draft(3, AssessedDecision::Eviction, None);
    let error = store
        .create_assessment(&actor(), ORG, "QS-01", &third)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotFound(Subject::Child { child_no: 3, .. })
        ),
        "{error:?}"
    );
    let first = Assessment::draft(1, AssessedDecision::Eviction, None);
    let error = store
        .create_assessment(&actor(), ORG, "QS-99", &first)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound(Subject::Case { .. })));
    let error = store
        .save_assessment(&actor(), CASE, 12345, &first, 1)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        StoreError::NotFound(Subject::Assessment { id: 12345, .. })
    ));
    // Another organisation's name does not reach the assessment.
    let id = store
        .create_assessment(&actor(), ORG, "QS-01", &first)
        .await
        .unwrap();
    let error = store
        .save_assessment(&actor(), ("Stichting Kernkracht", "QS-01"), id, &first, 1)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound(_)), "{error:?}");
    assert!(
        store
            .assessments("Stichting Kernkracht", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_closed_case_is_deleted_with_its_assessments<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let draft = Assessment::draft(1, AssessedDecision::Eviction, None);
    let id = store
        .create_assessment(&actor(), ORG, "QS-01", &draft)
        .await
        .unwrap();
    store
        .save_assessment(&actor(), CASE, id, &with_interests(draft), 1)
        .await
        .unwrap();
    let on = dakwacht_core::date::parse_date("2020-01-01").unwrap();
    let closure = Closure {
        on,
        reason: ClosingReason::Rehoused,
    };
    store
        .set_closure(&actor(), ORG, "QS-01", Some(&closure))
        .await
        .unwrap();
    let deleted = store
        .delete_closed(&Actor::cli("beheer"), on, "test")
        .await
        .unwrap();
    assert_eq!((deleted.cases, deleted.assessments), (1, 1));
    assert!(store.assessments(ORG, "QS-01").await.unwrap().is_empty());
}

dakwacht_testkit::on_both_stores!(
    an_assessment_is_filled_in_over_two_visits_and_then_counts,
    a_later_import_keeps_what_the_assessment_says,
    what_does_not_exist_is_not_found,
    a_closed_case_is_deleted_with_its_assessments,
);
