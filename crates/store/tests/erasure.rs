#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! A family's request under the AVG: erasing one case takes everything kept with it, open or
//! closed, leaves the others, and is audited; a publication's figures are kept as published.

use dakwacht_store::{Actor, AuditAction, AuditFilter, NewPublication, StoreError};
use dakwacht_testkit::{TestStore, import_cases, quickscan_cases};

async fn erasing_a_case_takes_everything_kept_with_it<S: TestStore>(store: &S) {
    let operator = Actor::cli("beheer");
    import_cases(store, quickscan_cases()).await;
    for (child_no, age) in [(1, 4), (2, 9)] {
        let child = dakwacht_core::Child {
            child_no,
            age: Some(age),
            ..dakwacht_core::Child::default()
        };
        store
            .save_child(&operator, ("Straatalliantie", "QS-01"), &child)
            .await
            .unwrap();
    }
    let children = store.children("Straatalliantie", "QS-01").await.unwrap();
    assert_eq!(children.len(), 2);
    assert!(
        !store
            .history("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );

    // An open case: its history may go only with a closed one, so it is closed first.
    let erased = store
        .erase_case(
            &operator,
            "Straatalliantie",
            "QS-01",
            "AVG art. 17, verzoek 2026-12",
        )
        .await
        .unwrap();
    assert_eq!(erased.cases, 1);
    assert_eq!(erased.children, children.len() as u64);
    assert!(
        store
            .case_with_version("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .children("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .history("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .case_with_version("Straatalliantie", "QS-06")
            .await
            .unwrap()
            .is_some(),
        "the other cases stay"
    );
    assert!(matches!(
        store
            .erase_case(&operator, "Straatalliantie", "QS-01", "again")
            .await,
        Err(StoreError::NotFound(_))
    ));

    // The audit log keeps its lines about the case, and says why and how much went.
    let lines = store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::EraseCase),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    let detail = lines[0].entry.detail.as_deref().unwrap();
    assert!(
        detail.starts_with("AVG art. 17, verzoek 2026-12: erased with"),
        "{detail}"
    );
    assert_eq!(lines[0].entry.case_ref.as_deref(), Some("QS-01"));
    assert!(store.verify_audit_chain().await.unwrap().intact());
}

async fn a_publication_is_kept_as_published<S: TestStore>(store: &S) {
    let researcher = Actor::web("onderzoek");
    let figures = r#"{"measures": [{"id": "q1", "n": 23}]}"#;
    let (id, sha256) = store
        .record_publication(
            &researcher,
            &NewPublication {
                organisation: None,
                scope: "alle organisaties",
                figures,
            },
        )
        .await
        .unwrap();
    assert_eq!(sha256.len(), 64);
    let (record, kept) = store.publication(id).await.unwrap().unwrap();
    assert_eq!(kept, figures, "byte for byte");
    assert_eq!(record.figures_sha256, sha256);
    assert_eq!(record.made_by, "user:onderzoek");
    assert_eq!(store.publications().await.unwrap(), vec![record]);
    assert!(store.publication(id + 1).await.unwrap().is_none());
    let line = store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::Publish),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        line[0].entry.detail.as_deref(),
        Some(format!("publication {id}: figures SHA-256 {sha256}").as_str())
    );
}

dakwacht_testkit::on_both_stores!(
    erasing_a_case_takes_everything_kept_with_it,
    a_publication_is_kept_as_published,
);
