#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Issue 13: a file with fewer columns updates only those columns. Before, importing four columns
//! for existing cases set every other field (notes included) to unknown.

use dakwacht_core::{Case, CaseFilter, Field};
use dakwacht_interchange::CaseReader;
use dakwacht_store::{
    AUDIT_NAMED_CASES, Actor, AuditAction, ImportMessage, ImportSummary, Store, StoreError,
};
use tokio::sync::mpsc;

/// Imports CSV text the way `dakwacht import` does: the file's columns first, then its cases.
async fn import_csv<S: Store>(store: &S, text: &str) -> Result<ImportSummary, StoreError> {
    let reader = CaseReader::csv(text.as_bytes()).unwrap().unwrap();
    let columns = reader.column_set();
    let cases: Vec<Case> = reader.map(|(_, row)| row.unwrap()).collect();
    let (tx, rx) = mpsc::channel(4);
    tx.send(ImportMessage::Columns(columns)).await.unwrap();
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store.import(&Actor::cli("tester"), "test.csv", rx).await
}

const FULL: &str = "\
case_ref,organisation,reported_on,municipality,children_count,children_ages,tenancy,route,default_judgment,home_lost_on,situation_after,current_situation,rehoused_on,notes,x_team
R-1,Org,2025-01-10,Utrecht,2,3;7,private,court_eviction,yes,2024-11,car,family_shelter,,gesprek met moeder,noord
R-2,Org,2025-01-10,Utrecht,1,5,corporation,left_other,,2024-10,social_network,,,belt terug,zuid
";

async fn case<S: Store>(store: &S, case_ref: &str) -> Case {
    store.case("Org", case_ref).await.unwrap().unwrap()
}

async fn absent_columns_leave_fields_as_they_are<S: Store>(store: &S) {
    import_csv(store, FULL).await.unwrap();
    let before = case(store, "R-1").await;

    // Four columns: the required ones. Only reported_on changes for R-1; R-2 is the same.
    let update = "case_ref,organisation,reported_on,children_count\n\
                  R-1,Org,2025-02-01,2\n\
                  R-2,Org,2025-01-10,1\n";
    let summary = import_csv(store, update).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            created: 0,
            updated: 1,
            unchanged: 1,
            ..ImportSummary::default()
        }
    );
    let after = case(store, "R-1").await;
    assert_eq!(after.text(Field::ReportedOn), "2025-02-01");
    assert_eq!(after.changed_fields(&before), [Field::ReportedOn]);
    assert_eq!(after.text(Field::Notes), "gesprek met moeder");
    assert_eq!(after.extra, before.extra);
    let history = store.history("Org", "R-1").await.unwrap();
    assert_eq!(history.last().unwrap().fields, [Field::ReportedOn]);

    // The same file again changes nothing.
    let again = import_csv(store, update).await.unwrap();
    assert_eq!(again.unchanged, 2);
}

async fn an_empty_cell_in_a_present_column_sets_unknown<S: Store>(store: &S) {
    import_csv(store, FULL).await.unwrap();
    let update = "case_ref,organisation,reported_on,children_count,notes,x_team\n\
                  R-1,Org,2025-01-10,2,,\n";
    import_csv(store, update).await.unwrap();
    let after = case(store, "R-1").await;
    assert_eq!(after.notes, None);
    assert_eq!(after.extra.get("x_team"), None);
    assert_eq!(after.text(Field::Tenancy), "private", "absent column");
    assert_eq!(after.text(Field::ChildrenAges), "3;7", "absent column");
}

async fn a_rule_broken_with_the_stored_fields_stores_nothing<S: Store>(store: &S) {
    import_csv(store, FULL).await.unwrap();
    // R-2's stored route is left_other: a default judgment needs a court case. The file has no
    // route column, so only the store can see it; R-1 (a court case) would be fine alone.
    // R-1's children count changes without its ages column: 3 ages are stored for 2 children.
    let update = "case_ref,organisation,reported_on,children_count,default_judgment\n\
                  R-1,Org,2025-01-10,3,no\n\
                  R-2,Org,2025-01-10,1,yes\n";
    let error = import_csv(store, update).await.unwrap_err();
    let StoreError::Rejected(rejections) = error else {
        panic!("expected a rejection, got {error:?}");
    };
    assert_eq!(rejections.total, 2);
    let problems: Vec<(&str, Field)> = rejections
        .cases
        .iter()
        .flat_map(|c| c.errors.iter().map(move |e| (c.case_ref.as_str(), e.field)))
        .collect();
    assert_eq!(
        problems,
        [
            ("R-1", Field::ChildrenAges),
            ("R-2", Field::DefaultJudgment)
        ]
    );
    // Nothing of the file was stored.
    assert_eq!(case(store, "R-1").await.children.count, 2);
    assert_eq!(case(store, "R-2").await.default_judgment, None);
}

async fn cases_are_found_by_reference_in_one_query<S: Store>(store: &S) {
    import_csv(store, FULL).await.unwrap();
    let refs = vec!["R-2".to_string(), "R-9".to_string(), "R-1".to_string()];
    let stored = store.cases_by_ref("Org", &refs).await.unwrap();
    assert!(
        stored.iter().all(|s| s.hand_edit.is_none()),
        "only an import wrote them"
    );
    let mut found: Vec<String> = stored
        .into_iter()
        .map(|stored| stored.case.case_ref.to_string())
        .collect();
    found.sort();
    assert_eq!(found, ["R-1", "R-2"]);
    assert!(store.cases_by_ref("Other", &refs).await.unwrap().is_empty());
    assert!(store.cases_by_ref("Org", &[]).await.unwrap().is_empty());
    let filter = CaseFilter::default();
    assert_eq!(store.municipality_count(&filter).await.unwrap(), 1);
}

/// The audit line of an import names the cases it changed: the first hundred, then a count (each
/// case's own history names the import).
async fn the_audit_line_of_an_import_names_the_cases_it_changed<S: Store>(store: &S) {
    let rows = |children: u8| {
        let mut text = String::from("case_ref,organisation,reported_on,children_count\n");
        for n in 0..=AUDIT_NAMED_CASES {
            text.push_str(&format!("N-{n:03},Org,2025-01-10,{children}\n"));
        }
        text
    };
    import_csv(store, &rows(1)).await.unwrap();
    let first = dakwacht_testkit::audit_of(store, None, Some(AuditAction::Import)).await;
    let created = first[0].entry.detail.clone().unwrap_or_default();
    assert!(
        !created.contains("changed:"),
        "nothing changed yet: {created}"
    );
    import_csv(store, &rows(2)).await.unwrap();
    let audit = dakwacht_testkit::audit_of(store, None, Some(AuditAction::Import)).await;
    let detail = audit[0].entry.detail.clone().unwrap_or_default();
    assert!(detail.contains("changed: N-000, N-001, "), "{detail}");
    assert!(detail.contains("N-099 and 1 more"), "{detail}");
    assert!(!detail.contains("N-100"), "{detail}");
}

dakwacht_testkit::on_both_stores!(
    the_audit_line_of_an_import_names_the_cases_it_changed,
    absent_columns_leave_fields_as_they_are,
    an_empty_cell_in_a_present_column_sets_unknown,
    a_rule_broken_with_the_stored_fields_stores_nothing,
    cases_are_found_by_reference_in_one_query,
);
