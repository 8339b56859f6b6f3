#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Child records on both stores: stored with the cases of the same import, all or nothing,
//! checked against their case (also when the case changes later), exported in order, kept in a
//! history, deleted with a closed case; and the migration that turns `children_ages` into records.

use dakwacht_core::{CaseFilter, Child, ChildField, ChildRow, Heard, StaysWith};
use dakwacht_interchange::ChildReader;
use dakwacht_store::{
    Actor, ChildCounts, ImportMessage, ImportSummary, SqliteStore, Store, StoreError,
};

const ORG: &str = "Straatalliantie";

/// QS-01 of the quickscan has two children, aged 4 and 9.
const CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes,x_team\n\
    QS-01,Straatalliantie,1,4,both_parents,no,not_school_age,,no,,,,,\n\
    QS-01,Straatalliantie,2,9,other_family,yes,missing_school,40,yes,social_work,yes,yes,Slaapt bij oom,Noord\n";

fn rows(text: &str) -> Vec<ChildRow> {
    dakwacht_testkit::read_children(text.as_bytes())
}

/// One import of `cases` and then `children`, committed.
async fn import<S: Store>(
    store: &S,
    cases: Vec<dakwacht_core::Case>,
    children: Vec<ChildRow>,
) -> Result<ImportSummary, StoreError> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Children(children)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store.import(&Actor::cli("test"), "test.csv", rx).await
}

/// Children of these ages.
fn children(ages: &[u8]) -> dakwacht_core::Children {
    dakwacht_core::Children {
        count: ages.len() as u8,
        ages: Some(
            ages.iter()
                .map(|&age| dakwacht_core::ChildAge::Known(age))
                .collect(),
        ),
    }
}

fn counts(created: u64, updated: u64, unchanged: u64) -> ChildCounts {
    ChildCounts {
        created,
        updated,
        unchanged,
    }
}

async fn child_records_are_stored_with_their_cases_and_kept_in_a_history<S: Store>(store: &S) {
    let cases = dakwacht_testkit::quickscan_cases();
    let summary = import(store, cases.clone(), rows(CHILDREN)).await.unwrap();
    assert_eq!((summary.created, summary.children), (23, counts(2, 0, 0)));

    let children = store.children(ORG, "QS-01").await.unwrap();
    assert_eq!(
        children,
        rows(CHILDREN)
            .into_iter()
            .map(|r| r.child)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        children[1].heard,
        Some(Heard::Yes {
            by: Some(dakwacht_core::HeardBy::SocialWork)
        })
    );
    assert_eq!(children[1].extra["x_team"], "Noord");
    assert!(store.children(ORG, "QS-03").await.unwrap().is_empty());

    // The same files again change nothing.
    let again = import(store, cases.clone(), rows(CHILDREN)).await.unwrap();
    assert_eq!((again.unchanged, again.children), (23, counts(0, 0, 2)));

    // A changed record is written, and its history says what changed (never the notes' text).
    let changed = CHILDREN.replace("other_family,yes", "foster_care,yes");
    let changed = changed.replace("Slaapt bij oom", "Pleeggezin");
    let third = import(store, cases, rows(&changed)).await.unwrap();
    assert_eq!(third.children, counts(0, 1, 1));
    let now = store.children(ORG, "QS-01").await.unwrap();
    assert_eq!(now[1].stays_with, Some(StaysWith::FosterCare));
    let history = store.child_history(ORG, "QS-01").await.unwrap();
    let entries: Vec<(u8, &str, &str)> = history
        .iter()
        .map(|h| (h.child_no, h.action.as_str(), h.actor.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            (1, "created", "cli:test"),
            (2, "created", "cli:test"),
            (2, "updated", "cli:test")
        ]
    );
    assert_eq!(
        history[2].fields,
        [ChildField::StaysWith, ChildField::Notes]
    );
    let audit =
        dakwacht_testkit::audit_of(store, None, Some(dakwacht_store::AuditAction::Import)).await;
    let detail = audit[0].entry.detail.clone().unwrap();
    assert!(
        detail.contains("children: 0 created, 1 updated, 1 unchanged"),
        "{detail}"
    );
    assert!(
        !detail.contains("Pleeggezin"),
        "no personal data in the audit log"
    );
}

/// Every broken record is reported, with its case and number, and nothing of either file is
/// stored: not the cases, not the valid records.
async fn a_record_that_does_not_fit_its_case_stores_nothing<S: Store>(store: &S) {
    let broken = format!(
        "{CHILDREN}QS-01,Straatalliantie,3,,,,,,,,,,,\n\
         QS-02,Stichting Kernkracht,1,7,,,,,,,,,,\n\
         QS-99,Straatalliantie,1,,,,,,,,,,,\n\
         QS-05,Elders,1,,,,,,,,,,,\n"
    );
    let refused = import(store, dakwacht_testkit::quickscan_cases(), rows(&broken)).await;
    let Err(StoreError::Rejected(rejections)) = refused else {
        panic!("{refused:?}");
    };
    let found: Vec<(String, u8, Vec<String>)> = rejections
        .children
        .iter()
        .map(|r| {
            let errors = r
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.field.name(), e.value))
                .collect();
            (r.case_ref.clone(), r.child_no, errors)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("QS-01".to_string(), 3, vec!["child_no: 3".to_string()]),
            ("QS-02".to_string(), 1, vec!["age: 7".to_string()]),
            ("QS-99".to_string(), 1, vec!["case_ref: QS-99".to_string()]),
            ("QS-05".to_string(), 1, vec!["case_ref: QS-05".to_string()]),
        ]
    );
    assert_eq!(rejections.total, 4);
    let all = store
        .export_children(&CaseFilter::default(), tokio::sync::mpsc::channel(1).0)
        .await;
    assert_eq!(all.unwrap(), 0, "no record stored");
    assert_eq!(
        store.case(ORG, "QS-01").await.unwrap(),
        None,
        "no case stored"
    );
}

/// A case whose children a later file changes so that a stored record no longer fits is
/// refused at that import, with the record named: nothing is silently dropped or changed.
async fn a_later_case_file_that_leaves_a_child_without_its_place_is_refused<S: Store>(store: &S) {
    let cases = dakwacht_testkit::quickscan_cases();
    import(store, cases.clone(), rows(CHILDREN)).await.unwrap();
    let mut fewer = cases.clone();
    let qs01 = fewer
        .iter_mut()
        .find(|c| c.case_ref.as_str() == "QS-01")
        .unwrap();
    qs01.children = children(&[4]);
    let refused = import(store, fewer, Vec::new()).await;
    let Err(StoreError::Rejected(rejections)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(rejections.children.len(), 1);
    assert_eq!(
        (
            rejections.children[0].case_ref.as_str(),
            rejections.children[0].child_no
        ),
        ("QS-01", 2)
    );
    assert_eq!(
        store
            .case(ORG, "QS-01")
            .await
            .unwrap()
            .unwrap()
            .children
            .count,
        2
    );

    // Other ages in the case and the same in the children file, together: accepted.
    let mut older = cases;
    let qs01 = older
        .iter_mut()
        .find(|c| c.case_ref.as_str() == "QS-01")
        .unwrap();
    qs01.children = children(&[5, 10]);
    let both = CHILDREN
        .replace(",1,4,", ",1,5,")
        .replace(",2,9,", ",2,10,");
    let summary = import(store, older, rows(&both)).await.unwrap();
    assert_eq!((summary.updated, summary.children), (1, counts(0, 2, 0)));
}

async fn the_children_of_a_selection_are_exported_in_order<S: Store>(store: &S) {
    let more = format!("{CHILDREN}QS-02,Stichting Kernkracht,1,3,one_parent,,,,,,,,,\n");
    import(store, dakwacht_testkit::quickscan_cases(), rows(&more))
        .await
        .unwrap();
    let exported = |filter: CaseFilter| async move {
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        let sent = store.export_children(&filter, tx).await.unwrap();
        let mut all = Vec::new();
        while let Some(batch) = rx.recv().await {
            all.extend(batch);
        }
        assert_eq!(sent as usize, all.len());
        all
    };
    let all = exported(CaseFilter::default()).await;
    let keys: Vec<(&str, u8)> = all
        .iter()
        .map(|r| (r.case_ref.as_str(), r.child.child_no))
        .collect();
    // Stichting Kernkracht sorts before Straatalliantie.
    assert_eq!(keys, [("QS-02", 1), ("QS-01", 1), ("QS-01", 2)]);
    assert_eq!(all[1..], rows(CHILDREN)[..]);
    let own = exported(CaseFilter {
        organisation: Some(ORG.to_string()),
        ..CaseFilter::default()
    })
    .await;
    assert_eq!(own.len(), 2);
    assert_eq!(
        store
            .child_extra_columns(&CaseFilter::default())
            .await
            .unwrap(),
        ["x_team"]
    );
}

async fn a_closed_case_is_deleted_with_its_children<S: Store>(store: &S) {
    import(store, dakwacht_testkit::quickscan_cases(), rows(CHILDREN))
        .await
        .unwrap();
    let closure = dakwacht_core::Closure {
        on: jiff::civil::date(2020, 1, 6),
        reason: dakwacht_core::ClosingReason::Rehoused,
    };
    let actor = Actor::cli("anna");
    store
        .close_case(&actor, ORG, "QS-01", &closure)
        .await
        .unwrap();
    let changed = CHILDREN.replace("other_family", "alone");
    import(store, dakwacht_testkit::quickscan_cases(), rows(&changed))
        .await
        .unwrap();
    let deleted = store
        .delete_closed(&actor, jiff::civil::date(2021, 1, 1), "test")
        .await
        .unwrap();
    assert_eq!((deleted.cases, deleted.children), (1, 2));
    assert!(
        deleted.history_entries >= 2,
        "the case's and its child's: {deleted:?}"
    );
    assert!(store.children(ORG, "QS-01").await.unwrap().is_empty());
    assert!(store.child_history(ORG, "QS-01").await.unwrap().is_empty());
}

/// A children file with fewer columns changes only those: a stored record keeps the rest.
async fn a_file_with_fewer_columns_keeps_what_it_does_not_have<S: Store>(store: &S) {
    let cases = dakwacht_testkit::quickscan_cases();
    import(store, cases, rows(CHILDREN)).await.unwrap();
    let narrow = "case_ref,organisation,child_no,stays_with\nQS-01,Straatalliantie,2,alone\n";
    let mut reader = ChildReader::csv(narrow.as_bytes()).unwrap().unwrap();
    let columns = reader.column_set();
    let records: Vec<ChildRow> = reader.by_ref().map(|(_, row)| row.unwrap()).collect();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    tx.send(ImportMessage::ChildColumns(columns)).await.unwrap();
    tx.send(ImportMessage::Children(records)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    let summary = store
        .import(&Actor::cli("test"), "narrow.csv", rx)
        .await
        .unwrap();
    assert_eq!(summary.children, counts(0, 1, 0));
    let second = &store.children(ORG, "QS-01").await.unwrap()[1];
    let mut expected = rows(CHILDREN)[1].child.clone();
    expected.stays_with = Some(StaysWith::Alone);
    assert_eq!(
        *second, expected,
        "only stays_with changed: notes, school, x_team kept"
    );
}

/// Three families with six children between them, five with a record; the expected figures
/// are counted by hand in the comments.
const FAMILIES: &str = "case_ref,organisation,reported_on,children_count,children_ages\n\
    A,Org,2025-03-01,2,4;9\n\
    B,Org,2025-03-01,3,1;?;15\n\
    C,Org,2025-03-01,1,\n";
const THEIR_CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes\n\
    A,Org,1,4,both_parents,no,not_school_age,,no,,,,\n\
    A,Org,2,9,other_family,yes,missing_school,40,yes,social_work,yes,yes,\n\
    B,Org,1,1,,,,,,,,,\n\
    B,Org,2,7,unknown,threatened,attends_same,,,,,no,\n\
    C,Org,1,16,,,,,,,,,\n";

async fn the_child_measures_count_children<S: Store>(store: &S) {
    let cases = dakwacht_testkit::read_cases(FAMILIES.as_bytes());
    let records = rows(THEIR_CHILDREN);
    import(store, cases.clone(), records.clone()).await.unwrap();
    let figures = store.child_figures(&CaseFilter::default()).await.unwrap();
    let in_memory = dakwacht_core::ChildFigures::of(&cases, &records);
    let sorted = |mut f: dakwacht_core::ChildFigures| {
        f.records.sort_by_key(|(p, n)| format!("{p:?}{n}"));
        f
    };
    assert_eq!(
        sorted(figures.clone()),
        sorted(in_memory),
        "the store counts as the domain does"
    );
    let measures: Vec<(&str, u64, Option<u64>)> = dakwacht_stats::compute_children(&figures)
        .iter()
        .map(|m| (m.id, m.numerator, m.denominator))
        .collect();
    assert_eq!(
        measures,
        [
            // A1, A2 and B2 know more than the age; B1 and C1 only it; of 2 + 3 + 1 children.
            ("child.records", 3, Some(6)),
            // separated known of A1 (no), A2 (yes), B2 (threatened)
            ("child.separated", 1, Some(3)),
            ("child.separation_threatened", 1, Some(3)),
            // stays_with known of A1 (both parents) and A2 (other family); B2 `unknown`
            ("child.not_with_parents", 1, Some(2)),
            // school known and of school age: A2 (missing), B2 (attends the same); not A1
            ("child.school_disrupted", 1, Some(2)),
            // heard known of A1 (no) and A2 (yes)
            ("child.heard", 1, Some(2)),
            ("child.best_interest_assessed", 1, Some(1)),
            // youth care known of A2 (yes) and B2 (no)
            ("child.youth_care", 1, Some(2)),
            // ages 4, 9 (case A), 1, 7 (B2's record fills the ?), 15 (case B), 16 (C1's record)
            ("child.age.0_3", 1, Some(6)),
            ("child.age.4_11", 3, Some(6)),
            ("child.age.12_17", 2, Some(6)),
        ]
    );
    let other = CaseFilter {
        organisation: Some("Elders".to_string()),
        ..CaseFilter::default()
    };
    let none = store.child_figures(&other).await.unwrap();
    assert_eq!(
        none,
        dakwacht_core::ChildFigures::default(),
        "another organisation's selection"
    );
}

/// The signals a store counts over child records are those each family raises with its
/// records; the records of a batch of cases come in one read.
async fn child_records_are_counted_for_the_rules_as_each_family_raises_them<S: Store>(store: &S) {
    let cases = dakwacht_testkit::read_cases(FAMILIES.as_bytes());
    let records = rows(THEIR_CHILDREN);
    import(store, cases.clone(), records.clone()).await.unwrap();
    let rules = dakwacht_rules::RuleSet::built_in().unwrap();
    let evaluator = rules.evaluator();
    let counted = store
        .facts_counts(&CaseFilter::default(), &rules.variable_sets())
        .await
        .unwrap();
    let tally = evaluator.tally_per_rule(&counted);
    let records_of = |case: &dakwacht_core::Case| -> Vec<Child> {
        records
            .iter()
            .filter(|r| r.organisation == case.organisation && r.case_ref == case.case_ref)
            .map(|r| r.child.clone())
            .collect()
    };
    for count in &tally.rules {
        let by_case = cases
            .iter()
            .filter(|case| {
                evaluator
                    .family(case, &records_of(case))
                    .signals
                    .iter()
                    .any(|s| s.rule.id == count.id)
            })
            .count() as u64;
        assert_eq!(count.cases, by_case, "{}", count.id);
    }
    // The records raise rules the families' own fields do not: the count shows them.
    let without_records = evaluator.tally(&dakwacht_rules::facts_groups(&cases, &rules));
    assert_ne!(
        tally.rules, without_records.rules,
        "the records change the counts"
    );

    let refs: Vec<String> = cases
        .iter()
        .map(|c| c.case_ref.as_str().to_string())
        .collect();
    let batch = store.children_of_cases("Org", &refs).await.unwrap();
    let mut expected: Vec<ChildRow> = records.clone();
    expected.sort_by(|a, b| {
        (a.case_ref.as_str(), a.child.child_no).cmp(&(b.case_ref.as_str(), b.child.child_no))
    });
    assert_eq!(batch, expected);
    assert!(
        store
            .children_of_cases("Elders", &refs)
            .await
            .unwrap()
            .is_empty()
    );
}

dakwacht_testkit::on_both_stores!(
    child_records_are_counted_for_the_rules_as_each_family_raises_them,
    a_save_that_leaves_a_child_without_its_place_is_refused,
    the_child_measures_count_children,
    a_file_with_fewer_columns_keeps_what_it_does_not_have,
    child_records_are_stored_with_their_cases_and_kept_in_a_history,
    a_record_that_does_not_fit_its_case_stores_nothing,
    a_later_case_file_that_leaves_a_child_without_its_place_is_refused,
    the_children_of_a_selection_are_exported_in_order,
    a_closed_case_is_deleted_with_its_children,
);

/// The ages of cases stored before child records existed become records with only their age;
/// a case without ages gets none, and nothing of the cases changes.
#[tokio::test]
async fn a_sqlite_database_from_before_children_gets_a_record_per_age() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oud.db");
    dakwacht_testkit::sqlite_from_before(&file, "0009", OLD_CASES).await;
    let store = SqliteStore::open(file.to_str().unwrap()).await.unwrap();
    assert_migrated(&store).await;
}

#[tokio::test]
async fn a_postgres_database_from_before_children_gets_a_record_per_age() {
    let Some(schema) = dakwacht_testkit::PgSchema::create().await else {
        return;
    };
    dakwacht_testkit::postgres_from_before(&schema, "0007", OLD_CASES).await;
    let store = dakwacht_store::PgStore::connect(schema.options())
        .await
        .unwrap();
    assert_migrated(&store).await;
    schema.drop().await;
}

const OLD_CASES: &[&str] = &[
    "INSERT INTO organisations (name, created_at) VALUES ('Straatalliantie', '2025-01-01T00:00:00Z')",
    "INSERT INTO cases (organisation_id, case_ref, version, created_at, updated_at, created_by, \
     reported_on, children_count, children_ages, children_age_unknown, profile) \
     SELECT id, 'OUD-1', 1, '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', 'user:jan', \
     '2025-01-01', 3, '2;?;16', 1, 0 FROM organisations",
    "INSERT INTO cases (organisation_id, case_ref, version, created_at, updated_at, created_by, \
     reported_on, children_count, children_ages, children_age_unknown, profile) \
     SELECT id, 'OUD-2', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'user:jan', \
     '2025-01-01', 2, NULL, 2, 0 FROM organisations",
];

async fn assert_migrated<S: Store>(store: &S) {
    let children = store.children(ORG, "OUD-1").await.unwrap();
    let only_age = |child_no: u8, age: Option<u8>| Child {
        child_no,
        age,
        ..Child::default()
    };
    assert_eq!(
        children,
        [
            only_age(1, Some(2)),
            only_age(2, None),
            only_age(3, Some(16))
        ]
    );
    assert!(store.children(ORG, "OUD-2").await.unwrap().is_empty());
    let history = store.child_history(ORG, "OUD-1").await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].actor, "migration:children_ages");
    let case = store.case(ORG, "OUD-1").await.unwrap().unwrap();
    assert_eq!(case.children.ages_text().as_deref(), Some("2;?;16"));
}

/// Child records stored before their profile was kept beside them get it from the migration, as
/// the application packs it.
#[tokio::test]
async fn a_sqlite_database_from_before_child_profiles_counts_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oud.db");
    let records = old_records("1", "0");
    let statements: Vec<&str> = OLD_CASES
        .iter()
        .copied()
        .chain(records.iter().map(String::as_str))
        .collect();
    dakwacht_testkit::sqlite_from_before(&file, "0010", &statements).await;
    let store = SqliteStore::open(file.to_str().unwrap()).await.unwrap();
    assert_profiles_migrated(&store).await;
}

#[tokio::test]
async fn a_postgres_database_from_before_child_profiles_counts_its_records() {
    let Some(schema) = dakwacht_testkit::PgSchema::create().await else {
        return;
    };
    let records = old_records("TRUE", "FALSE");
    let statements: Vec<&str> = OLD_CASES
        .iter()
        .copied()
        .chain(records.iter().map(String::as_str))
        .collect();
    dakwacht_testkit::postgres_from_before(&schema, "0008", &statements).await;
    let store = dakwacht_store::PgStore::connect(schema.options())
        .await
        .unwrap();
    assert_profiles_migrated(&store).await;
    schema.drop().await;
}

/// Two records of OUD-2 with something known besides the age (child 1 heard, not assessed),
/// with yes and no as the database writes them.
fn old_records(yes: &str, no: &str) -> Vec<String> {
    vec![
        format!(
            "INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, age, \
             stays_with, separated, school, school_days_missed, heard, best_interest_assessed, \
             youth_care) SELECT id, 1, '2025-01-01T00:00:00Z', 'cli:x', '2025-01-01T00:00:00Z', \
             7, 'foster_care', 'yes', 'missing_school', 12, {yes}, {no}, NULL \
             FROM cases WHERE case_ref = 'OUD-2'"
        ),
        "INSERT INTO children (case_id, child_no, created_at, created_by, updated_at, age, school) \
         SELECT id, 2, '2025-01-01T00:00:00Z', 'cli:x', '2025-01-01T00:00:00Z', 3, 'not_school_age' \
         FROM cases WHERE case_ref = 'OUD-2'"
            .to_string(),
    ]
}

async fn assert_profiles_migrated<S: Store>(store: &S) {
    let records = store.children(ORG, "OUD-2").await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].heard, Some(Heard::Yes { by: None }));
    let figures = store.child_figures(&CaseFilter::default()).await.unwrap();
    let mut counted = figures.records.clone();
    counted.sort_by_key(|(p, _)| p.pack());
    let mut expected: Vec<(dakwacht_core::ChildProfile, u64)> = store
        .children(ORG, "OUD-1")
        .await
        .unwrap()
        .iter()
        .chain(&records)
        .map(|c| (dakwacht_core::ChildProfile::of(c), 1))
        .collect();
    // OUD-1's three records know only an age: one profile, counted three times.
    expected.sort_by_key(|(p, _)| p.pack());
    expected.dedup_by(|b, a| {
        let same = a.0 == b.0;
        if same {
            a.1 += b.1;
        }
        same
    });
    assert_eq!(counted, expected);
}

/// A save by hand (the case form, the API) that leaves a stored child without its place is
/// refused as an import would be, and nothing is saved.
async fn a_save_that_leaves_a_child_without_its_place_is_refused<S: Store>(store: &S) {
    import(store, dakwacht_testkit::quickscan_cases(), rows(CHILDREN))
        .await
        .unwrap();
    let (mut case, version) = store
        .case_with_version(ORG, "QS-01")
        .await
        .unwrap()
        .unwrap();
    case.children = children(&[4]);
    let refused = store
        .save_case(&Actor::web("pro"), &case, Some(version))
        .await;
    let Err(StoreError::Rejected(rejections)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(rejections.children[0].child_no, 2);
    let stored = store
        .case_with_version(ORG, "QS-01")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.0.children.count, stored.1),
        (2, version),
        "nothing saved"
    );

    // Another change of the same case is saved as before.
    case.children = children(&[4, 9]);
    case.notes = dakwacht_core::Notes::parse("Gesprek gehad");
    store
        .save_case(&Actor::web("pro"), &case, Some(version))
        .await
        .unwrap();
}

/// SQLite writes the records of a case its import created without looking for a stored one
/// first (there can be none); a stream that brings the same record twice (the reader refuses
/// such a file, another sender might not) still has the second taken as a change of the first.
#[tokio::test]
async fn a_record_sent_twice_for_a_new_case_is_stored_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("twice.db").to_str().unwrap())
        .await
        .unwrap();
    let mut twice = rows(CHILDREN);
    let mut again = twice[0].clone();
    again.child.stays_with = Some(StaysWith::OtherFamily);
    twice.push(again);
    let summary = import(&store, dakwacht_testkit::quickscan_cases(), twice)
        .await
        .unwrap();
    assert_eq!(summary.children, counts(2, 1, 0));
    let stored = store.children(ORG, "QS-01").await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].stays_with, Some(StaysWith::OtherFamily));
}
