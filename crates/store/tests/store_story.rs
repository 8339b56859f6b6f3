#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! One story against a real SQLite file: import, re-import, update, history, report, export,
//! an aborted import, and filters.

use dakwacht_core::{Case, CaseFilter, LivingSituation, date::parse_date};
use dakwacht_interchange::CaseReader;
use dakwacht_stats::compute;
use dakwacht_store::{Actor, ImportMessage, ImportSummary, SqliteStore, Store, StoreError};
use tokio::sync::mpsc;

use dakwacht_testkit::quickscan_cases;

async fn import<S: Store>(
    store: &S,
    cases: Vec<Case>,
    commit: bool,
) -> Result<ImportSummary, StoreError> {
    let (tx, rx) = mpsc::channel(4);
    let sending = tokio::spawn(async move {
        // Two batches, so the transaction spans several writes.
        let half = cases.len() / 2;
        let mut cases = cases;
        let rest = cases.split_off(half);
        tx.send(ImportMessage::Cases(cases)).await.unwrap();
        tx.send(ImportMessage::Cases(rest)).await.unwrap();
        if commit {
            tx.send(ImportMessage::Commit).await.unwrap();
        }
    });
    let result = store.import(&Actor::cli("tester"), "test.csv", rx).await;
    sending.await.unwrap();
    result
}

async fn all_cases<S: Store>(store: &S, filter: &CaseFilter) -> Vec<Case> {
    let (tx, mut rx) = mpsc::channel(4);
    let (count, cases) = tokio::join!(store.export(filter, tx), async {
        let mut all = Vec::new();
        while let Some(batch) = rx.recv().await {
            all.extend(batch);
        }
        all
    });
    assert_eq!(count.unwrap(), cases.len() as u64);
    cases
}

fn sorted(mut cases: Vec<Case>) -> Vec<Case> {
    cases.sort_by(|a, b| {
        (a.organisation.as_str(), a.case_ref.as_str())
            .cmp(&(b.organisation.as_str(), b.case_ref.as_str()))
    });
    cases
}

async fn import_is_idempotent_and_updates_are_recorded<S: Store>(store: &S) {
    let cases = quickscan_cases();

    let first = import(store, cases.clone(), true).await.unwrap();
    assert_eq!(
        first,
        ImportSummary {
            created: 23,
            updated: 0,
            unchanged: 0,
            ..ImportSummary::default()
        }
    );
    let second = import(store, cases.clone(), true).await.unwrap();
    assert_eq!(
        second,
        ImportSummary {
            created: 0,
            updated: 0,
            unchanged: 23,
            ..ImportSummary::default()
        },
        "the same file twice changes nothing"
    );

    let mut changed = cases.clone();
    changed[3].current_situation = Some(LivingSituation::FamilyShelter);
    changed[3].notes = dakwacht_core::Notes::parse("nieuw");
    let third = import(store, changed.clone(), true).await.unwrap();
    assert_eq!(
        third,
        ImportSummary {
            created: 0,
            updated: 1,
            unchanged: 22,
            ..ImportSummary::default()
        }
    );

    let case = &changed[3];
    let stored = store
        .case(case.organisation.as_str(), case.case_ref.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&stored, case);
    let history = store
        .history(case.organisation.as_str(), case.case_ref.as_str())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0].version, history[0].action.as_str()),
        (1, "created")
    );
    assert_eq!(
        (history[1].version, history[1].action.as_str()),
        (2, "updated")
    );
    assert_eq!(history[1].actor, "cli:tester");
    let fields: Vec<&str> = history[1].fields.iter().map(|f| f.name()).collect();
    assert_eq!(fields, ["current_situation", "notes"]);
}

async fn the_store_reports_the_published_figures_and_exports_what_it_imported<S: Store>(store: &S) {
    let cases = quickscan_cases();
    import(store, cases.clone(), true).await.unwrap();

    let all = CaseFilter::default();
    let measures = compute(
        &store.profile_counts(&all).await.unwrap(),
        store.municipality_count(&all).await.unwrap(),
    );
    assert_eq!(
        measures,
        dakwacht_stats::quickscan(&cases),
        "store and in-memory computation agree"
    );
    let no_court = measures.iter().find(|m| m.id == "route.no_court").unwrap();
    assert_eq!((no_court.numerator, no_court.denominator), (13, Some(22)));

    assert_eq!(all_cases(store, &all).await, sorted(cases.clone()));

    // Home losses per month agree with counting the cases by hand, with and without a filter.
    for filter in [
        all.clone(),
        CaseFilter {
            organisation: Some("Straatalliantie".into()),
            ..CaseFilter::default()
        },
    ] {
        let mut expected = std::collections::BTreeMap::<String, u64>::new();
        for case in cases.iter().filter(|c| filter.matches(c)) {
            if let Some(lost) = case.home_lost_on {
                *expected
                    .entry(lost.first_day().to_string()[..7].to_string())
                    .or_default() += 1;
            }
        }
        let got = store.home_losses_by_month(&filter).await.unwrap();
        assert!(!got.is_empty());
        assert_eq!(got, expected.into_iter().collect::<Vec<_>>());
    }
}

async fn an_import_without_commit_stores_nothing<S: Store>(store: &S) {
    let cases = quickscan_cases();
    let result = import(store, cases.clone(), false).await;
    assert!(
        matches!(result, Err(StoreError::ImportAborted)),
        "{result:?}"
    );
    assert!(all_cases(store, &CaseFilter::default()).await.is_empty());

    // A failed update leaves the earlier version in place.
    import(store, cases.clone(), true).await.unwrap();
    let mut changed = cases.clone();
    changed[0].children.count = 2;
    changed[0].children.ages = None;
    import(store, changed, false).await.unwrap_err();
    assert_eq!(
        all_cases(store, &CaseFilter::default()).await,
        sorted(cases)
    );
}

async fn filters_select_the_same_cases_as_the_domain_says<S: Store>(store: &S) {
    let cases = quickscan_cases();
    import(store, cases.clone(), true).await.unwrap();
    let filters = [
        CaseFilter {
            organisation: Some("Straatalliantie".into()),
            ..Default::default()
        },
        CaseFilter {
            municipality: Some(" den haag".into()),
            ..Default::default()
        },
        CaseFilter {
            home_lost_from: parse_date("2024-08-01"),
            home_lost_to: parse_date("2024-12-31"),
            ..Default::default()
        },
        CaseFilter {
            home_lost_from: parse_date("2024-11-01"),
            ..Default::default()
        },
        CaseFilter {
            tenancy: Some(dakwacht_core::Tenancy::Private),
            ..Default::default()
        },
        CaseFilter {
            route: Some(dakwacht_core::Route::CourtEviction),
            organisation: Some("Straatalliantie".into()),
            ..Default::default()
        },
        CaseFilter {
            current_situation: Some(dakwacht_core::LivingSituation::SocialNetwork),
            ..Default::default()
        },
        CaseFilter {
            out_of_view: true,
            ..Default::default()
        },
        CaseFilter {
            case_ref_contains: Some(" qs-1".into()),
            ..Default::default()
        },
    ];
    for filter in filters {
        let expected: Vec<Case> = sorted(
            cases
                .iter()
                .filter(|c| filter.matches(c))
                .cloned()
                .collect(),
        );
        assert!(!expected.is_empty(), "{filter:?} selects something");
        assert_eq!(all_cases(store, &filter).await, expected, "{filter:?}");
        let counts = store.profile_counts(&filter).await.unwrap();
        assert_eq!(
            counts.iter().map(|c| c.cases).sum::<u64>(),
            expected.len() as u64,
            "{filter:?}"
        );
    }
    // A wildcard in the search is a character, not "everything".
    let wildcard = CaseFilter {
        case_ref_contains: Some("%".into()),
        ..Default::default()
    };
    assert!(all_cases(store, &wildcard).await.is_empty());
}

#[tokio::test]
async fn reopening_an_existing_database_keeps_its_cases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dakwacht.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    import(&store, quickscan_cases(), true).await.unwrap();
    drop(store);
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    assert_eq!(all_cases(&store, &CaseFilter::default()).await.len(), 23);
}

/// The store counts facts for the rules; for every variable a rule can read, the stored facts
/// must be exactly the facts of the cases themselves.
async fn stored_facts_are_the_facts_of_the_cases_and_give_the_same_signals<S: Store>(store: &S) {
    use dakwacht_core::{Facts, Variable};
    use dakwacht_rules::{RuleSet, facts_groups};
    use std::collections::HashMap;

    let mut cases = quickscan_cases();
    // Values the quickscan file lacks: ages with an unknown, other reasons, a month-only date.
    let extra = {
        let text = "case_ref,organisation,reported_on,children_count,children_ages,home_lost_on,situation_after,current_situation,other_reasons,main_reason,last_seen_on,last_seen_situation\n\
                    X-1,Extra,2025-05-01,3,2;?;7,2024-03,car,,nuisance;crime,rent_arrears,2025-01-05,tent\n";
        let mut reader = CaseReader::csv(text.as_bytes()).unwrap().unwrap();
        reader.next().unwrap().1.unwrap()
    };
    cases.push(extra);
    import(store, cases.clone(), true).await.unwrap();

    let filter = CaseFilter::default();
    // One set per variable, plus one with every variable: all counted in one pass.
    let mut sets: Vec<Vec<Variable>> = Variable::ALL.iter().map(|v| vec![*v]).collect();
    sets.push(Variable::ALL.to_vec());
    let counted = store.facts_counts(&filter, &sets).await.unwrap();
    assert_eq!(counted.len(), sets.len());
    for (set, stored) in sets.iter().zip(counted) {
        let mut expected: HashMap<Facts, u64> = HashMap::new();
        for case in &cases {
            *expected.entry(Facts::of(case).only(set)).or_default() += 1;
        }
        let stored: HashMap<Facts, u64> = stored.into_iter().collect();
        assert_eq!(stored, expected, "{set:?}");
    }

    let rules = RuleSet::built_in().unwrap();
    let evaluator = rules.evaluator();
    let from_store = evaluator.tally_per_rule(
        &store
            .facts_counts(&filter, &rules.variable_sets())
            .await
            .unwrap(),
    );
    let in_memory = evaluator.tally(&facts_groups(&cases, &rules));
    assert_eq!(from_store, in_memory);
    assert_eq!(from_store.of, 24);

    let one_org = CaseFilter {
        organisation: Some("Extra".to_string()),
        ..CaseFilter::default()
    };
    let tally = evaluator.tally_per_rule(
        &store
            .facts_counts(&one_org, &rules.variable_sets())
            .await
            .unwrap(),
    );
    assert_eq!(tally.of, 1);
}

dakwacht_testkit::on_both_stores!(
    import_is_idempotent_and_updates_are_recorded,
    the_store_reports_the_published_figures_and_exports_what_it_imported,
    stored_facts_are_the_facts_of_the_cases_and_give_the_same_signals,
    an_import_without_commit_stores_nothing,
    filters_select_the_same_cases_as_the_domain_says,
);
