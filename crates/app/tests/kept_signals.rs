//! Each case's signals, kept by the store (issue 17.5): the counts from kept signals are the
//! counts of holding every case against the rules, before and after cases and child records
//! change, under another rules file, and with more rules than a case keeps bits for.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::sync::Arc;

use dakwacht_app::{App, CaseQuery, Principal, ReadFor, Wanted};
use dakwacht_core::access::Role;
use dakwacht_core::{CaseFilter, Child, Heard, LegalSupport, Route};
use dakwacht_rules::{BUILT_IN, RuleSet, Tally};
use dakwacht_testkit::{Database, TestStore, quickscan_cases};

mod common;
use common::{A, CHILDREN, import, operator};

async fn application<S: TestStore>(database: &Database<S>) -> Arc<App<S>> {
    let app = App::new(database.open().await).unwrap();
    import(&app, quickscan_cases(), CHILDREN).await;
    app
}

/// The counts the long way: every group of cases held against the rules.
async fn held_against_the_rules<S: TestStore>(
    database: &Database<S>,
    rules: &RuleSet,
    filter: &CaseFilter,
) -> Tally {
    let per_rule = database
        .store()
        .facts_counts(filter, &rules.variable_sets())
        .await
        .unwrap();
    rules.evaluator().tally_per_rule(&per_rule)
}

async fn counted<S: TestStore>(app: &Arc<App<S>>, rules: &RuleSet, filter: &CaseFilter) -> Tally {
    operator(app)
        .figures(filter.clone(), rules, Wanted::Signals, "test")
        .await
        .unwrap()
        .signals
}

fn cases_raising(tally: &Tally, rule: &str) -> u64 {
    tally.rules.iter().find(|r| r.id == rule).unwrap().cases
}

fn of_organisation(name: &str) -> CaseFilter {
    CaseFilter {
        organisation: Some(name.into()),
        ..CaseFilter::default()
    }
}

async fn missing<S: TestStore>(database: &Database<S>, rules: &RuleSet) -> u64 {
    database
        .store()
        .kept_signal_counts(&CaseFilter::default(), rules.fingerprint())
        .await
        .unwrap()
        .missing
}

async fn kept_signals_count_what_the_rules_say<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let all = CaseFilter::default();
    let cases = quickscan_cases().len() as u64;
    assert_eq!(missing(database, &rules).await, cases, "nothing kept yet");

    let kept = operator(&app).keep_signals(&rules).await.unwrap();
    assert_eq!(kept, cases);
    assert_eq!(missing(database, &rules).await, 0);
    assert_eq!(
        operator(&app).keep_signals(&rules).await.unwrap(),
        0,
        "all kept"
    );

    for filter in [all.clone(), of_organisation(A)] {
        let long_way = held_against_the_rules(database, &rules, &filter).await;
        assert_eq!(counted(&app, &rules, &filter).await, long_way);
    }
    // Every filter of the case list narrows the counts as it narrows the cases (the SQLite
    // counting once applied only organisation, municipality and dates).
    let narrowed = CaseFilter {
        route: Some(Route::CourtEviction),
        case_ref_contains: Some("QS-0".into()),
        ..CaseFilter::default()
    };
    let expected = quickscan_cases()
        .iter()
        .filter(|case| narrowed.matches(case))
        .count() as u64;
    assert!(expected > 0 && expected < cases, "{expected} of {cases}");
    let long_way = held_against_the_rules(database, &rules, &narrowed).await;
    assert_eq!(long_way.of, expected);
    assert_eq!(counted(&app, &rules, &narrowed).await, long_way);
    let figures = operator(&app)
        .figures(narrowed.clone(), &rules, Wanted::Report, "test")
        .await
        .unwrap();
    let profiled: u64 = figures.profiles.iter().map(|p| p.cases).sum();
    assert_eq!(profiled, expected);

    // The counts are not all zero: the comparison says something.
    let tally = counted(&app, &rules, &all).await;
    assert!(
        tally.rules.iter().filter(|r| r.cases > 0).count() >= 5,
        "{tally:?}"
    );
    assert!(cases_raising(&tally, "family_separation") > 0);
}

async fn a_change_to_a_case_or_a_child_record_is_counted_at_once<S: TestStore>(
    database: &Database<S>,
) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let all = CaseFilter::default();
    let before = counted(&app, &rules, &all).await;
    assert_eq!(missing(database, &rules).await, 0, "counting kept them");

    // A case changed by hand: its kept signals are forgotten and worked out again.
    let acting = operator(&app);
    let (mut case, version) = acting
        .case_with_version(A, "QS-01", ReadFor::Changing, "test")
        .await
        .unwrap();
    assert_ne!(case.route, Some(Route::RemovedWithoutCourt));
    case.route = Some(Route::RemovedWithoutCourt);
    case.default_judgment = None; // a default judgment needs a court case
    case.legal_support = Some(LegalSupport::None);
    acting.save_case(&case, Some(version)).await.unwrap();
    assert_eq!(missing(database, &rules).await, 1);
    let after = counted(&app, &rules, &all).await;
    assert_eq!(after, held_against_the_rules(database, &rules, &all).await);
    assert_eq!(
        cases_raising(&after, "removed_without_court"),
        cases_raising(&before, "removed_without_court") + 1
    );

    // A child record: QS-01's second child is heard now, and the first one's record says so
    // too, so the records (which decide) no longer raise "not heard" for this family.
    let raised = cases_raising(&after, "child_not_heard");
    for child_no in [1, 2] {
        let mut child = acting
            .children_of(A, "QS-01", "test")
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.child_no == child_no)
            .unwrap_or(Child {
                child_no,
                ..Child::default()
            });
        child.heard = Some(Heard::Yes { by: None });
        assert!(acting.save_child(A, "QS-01", &child).await.unwrap());
    }
    assert_eq!(missing(database, &rules).await, 1);
    let heard = counted(&app, &rules, &all).await;
    assert_eq!(heard, held_against_the_rules(database, &rules, &all).await);
    assert_eq!(cases_raising(&heard, "child_not_heard"), raised - 1);

    // A new record: QS-03's first child, not heard (the family does not know; the second
    // child's record says heard), so now its record raises "not heard".
    let ombudsman = "Ombudsman Metropool Amsterdam";
    let first = Child {
        child_no: 1,
        age: Some(1),
        heard: Some(Heard::No),
        ..Child::default()
    };
    assert!(acting.save_child(ombudsman, "QS-03", &first).await.unwrap());
    assert_eq!(missing(database, &rules).await, 1);
    let added = counted(&app, &rules, &all).await;
    assert_eq!(added, held_against_the_rules(database, &rules, &all).await);
    assert_eq!(cases_raising(&added, "child_not_heard"), raised);
}

async fn an_import_that_changes_a_family_is_counted_at_once<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let all = CaseFilter::default();
    let before = counted(&app, &rules, &all).await;
    assert_eq!(missing(database, &rules).await, 0);

    // The same file again, but QS-01 now removed without a court, QS-03's second child no
    // longer separated, and a first record for QS-02's child (its best interest not assessed,
    // which the family's record leaves unknown): three families' signals forgotten, the others kept. (The import writes
    // child records without the triggers that forget signals, and forgets them itself.)
    let mut cases = quickscan_cases();
    let qs01 = cases
        .iter_mut()
        .find(|c| c.case_ref.as_str() == "QS-01")
        .unwrap();
    qs01.route = Some(Route::RemovedWithoutCourt);
    qs01.default_judgment = None;
    let mut children = CHILDREN.replace(
        ",6,other_family,yes,changed_school",
        ",6,both_parents,no,changed_school",
    );
    children.push_str("QS-02,Stichting Kernkracht,1,3,other_family,no,,,,,no,,\n");
    import(&app, cases, &children).await;
    assert_eq!(missing(database, &rules).await, 3);

    let after = counted(&app, &rules, &all).await;
    assert_eq!(after, held_against_the_rules(database, &rules, &all).await);
    assert_eq!(
        cases_raising(&after, "removed_without_court"),
        cases_raising(&before, "removed_without_court") + 1
    );
    assert_eq!(
        cases_raising(&after, "family_separation"),
        cases_raising(&before, "family_separation") - 1
    );
    assert_eq!(
        cases_raising(&after, "best_interest_not_weighed"),
        cases_raising(&before, "best_interest_not_weighed") + 1
    );
}

async fn signals_kept_under_other_rules_are_not_counted<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let all = CaseFilter::default();
    operator(&app).keep_signals(&rules).await.unwrap();
    let shipped = counted(&app, &rules, &all).await;

    // The same file but for one condition: another fingerprint, other counts.
    let text = BUILT_IN.replace(
        "when = 'legal_support == \"none\"'",
        "when = 'legal_support == \"none\" || legal_support == \"lawyer\"'",
    );
    assert_ne!(text, BUILT_IN);
    let other = RuleSet::parse(&text).unwrap();
    assert_ne!(other.fingerprint(), rules.fingerprint());
    assert_eq!(
        missing(database, &other).await,
        quickscan_cases().len() as u64
    );
    let counted_other = counted(&app, &other, &all).await;
    assert_eq!(
        counted_other,
        held_against_the_rules(database, &other, &all).await
    );
    assert!(
        cases_raising(&counted_other, "no_legal_support")
            > cases_raising(&shipped, "no_legal_support")
    );
    // A case keeps the signals of one rules file, the last it was counted under: back to the
    // shipped rules, they are worked out again, and count as before.
    assert_eq!(missing(database, &other).await, 0);
    assert_eq!(
        missing(database, &rules).await,
        quickscan_cases().len() as u64
    );
    assert_eq!(counted(&app, &rules, &all).await, shipped);
    assert_eq!(missing(database, &rules).await, 0);
}

/// The built-in file with its first rule 60 more times under other ids: 73 rules, more than a
/// case keeps bits for.
fn more_rules_than_bits() -> RuleSet {
    let first = BUILT_IN.find("\n[[rule]]\n").unwrap() + 1;
    let second = first + 1 + BUILT_IN[first + 1..].find("\n[[rule]]").unwrap();
    let block = &BUILT_IN[first..second];
    let mut text = format!("{BUILT_IN}\n");
    for copy in 0..60 {
        text.push_str(&block.replace(
            "id = \"removed_without_court\"",
            &format!("id = \"removed_without_court_{copy}\""),
        ));
        text.push('\n');
    }
    RuleSet::parse(&text).unwrap()
}

async fn more_rules_than_bits_are_counted_the_long_way<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let many = more_rules_than_bits();
    assert_eq!(many.rules.len(), 73);
    assert!(!many.fits_kept_signals());
    let all = CaseFilter::default();
    let tally = counted(&app, &many, &all).await;
    assert_eq!(tally, held_against_the_rules(database, &many, &all).await);
    assert_eq!(
        cases_raising(&tally, "removed_without_court_59"),
        cases_raising(&tally, "removed_without_court")
    );
    assert_eq!(operator(&app).keep_signals(&many).await.unwrap(), 0);
    assert_eq!(
        missing(database, &many).await,
        quickscan_cases().len() as u64,
        "nothing kept for them"
    );
}

/// Every page of organisation A's case list filtered by the signal of rule `id` of `rules`.
async fn listed<S: TestStore>(app: &Arc<App<S>>, rules: &RuleSet, id: &str) -> Vec<String> {
    let coordinator = app.acting_as(
        Principal::User {
            username: "coordinator".into(),
            role: Role::Coordinator,
            organisation: Some(A.into()),
        },
        "test",
    );
    let rule = rules.rule(id).unwrap();
    let (mut after, mut all) = (None, Vec::new());
    loop {
        let page = coordinator
            .list_cases(CaseQuery {
                filter: CaseFilter::default(),
                signal: Some((rules, rule)),
                after: after.clone(),
                limit: 2,
                via: "test",
            })
            .await
            .unwrap();
        assert_eq!(page.scanned, None, "a full page or the last");
        all.extend(page.cases.into_iter().map(|c| c.case_ref));
        match page.next_after {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

/// The case list's signal filter reads the kept signals: it lists what reading every case lists
/// (the way taken for more rules than bits), for every rule, family and child rules alike, and
/// a change shows at once.
async fn the_case_list_filters_by_kept_signals<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let many = more_rules_than_bits();
    assert_eq!(
        missing(database, &rules).await,
        quickscan_cases().len() as u64
    );
    let mut listing = 0;
    for rule in &rules.rules {
        let kept = listed(&app, &rules, &rule.id).await;
        assert_eq!(kept, listed(&app, &many, &rule.id).await, "{}", rule.id);
        listing += usize::from(!kept.is_empty());
    }
    assert!(listing >= 4, "{listing} rules list a case of {A}");
    assert_eq!(missing(database, &rules).await, 0, "the list kept them");
    assert_eq!(
        missing(database, &many).await,
        quickscan_cases().len() as u64,
        "nothing kept for more rules than bits"
    );

    let before = listed(&app, &rules, "removed_without_court").await;
    assert!(!before.contains(&"QS-01".to_string()));
    common::save_removed_without_court(&app, |_| {}).await;
    let after = listed(&app, &rules, "removed_without_court").await;
    assert!(after.contains(&"QS-01".to_string()), "{after:?}");
    assert_eq!(after, listed(&app, &many, "removed_without_court").await);
}

/// How many cases are on the list of those due for signals (migration 0021 / 0017).
async fn due<S: TestStore>(database: &Database<S>) -> i64 {
    database.count("SELECT COUNT(*) FROM signals_due").await
}

/// A save puts its case on the list of cases due for signals, and working out the signals takes
/// only that case off it; a list that falls short (cleared behind the store's back) is noticed
/// and every case read instead, so the signal filter still lists what the rules say.
async fn the_cases_due_for_signals_are_listed<S: TestStore>(database: &Database<S>) {
    let app = application(database).await;
    let rules = RuleSet::built_in().unwrap();
    let many = more_rules_than_bits();
    let cases = quickscan_cases().len() as u64;
    assert_eq!(operator(&app).keep_signals(&rules).await.unwrap(), cases);
    assert_eq!(due(database).await, 0, "all kept");

    common::save_removed_without_court(&app, |_| {}).await;
    assert_eq!(due(database).await, 1, "the case saved");
    assert_eq!(missing(database, &rules).await, 1);
    let after = listed(&app, &rules, "removed_without_court").await;
    assert!(after.contains(&"QS-01".to_string()), "{after:?}");
    assert_eq!(
        (due(database).await, missing(database, &rules).await),
        (0, 0)
    );

    // A case created by a save is due too.
    let acting = operator(&app);
    let (mut case, _) = acting
        .case_with_version(A, "QS-01", ReadFor::Changing, "test")
        .await
        .unwrap();
    case.case_ref = dakwacht_core::CaseRef::parse("QS-NEW").unwrap();
    acting.save_case(&case, None).await.unwrap();
    assert_eq!(due(database).await, 1, "the case created");
    assert_eq!(operator(&app).keep_signals(&rules).await.unwrap(), 1);
    assert_eq!(due(database).await, 0);

    // The list falls short: the change is still found, by reading every case.
    common::save_removed_without_court(&app, |case| case.child_heard = Some(true)).await;
    database.execute("DELETE FROM signals_due").await;
    assert_eq!(missing(database, &rules).await, 1);
    let listed_now = listed(&app, &rules, "removed_without_court").await;
    assert_eq!(
        listed_now,
        listed(&app, &many, "removed_without_court").await
    );
    assert!(listed_now.contains(&"QS-NEW".to_string()), "{listed_now:?}");
    assert_eq!(missing(database, &rules).await, 0);

    // A case that is deleted leaves the list.
    common::save_removed_without_court(&app, |case| case.child_heard = Some(false)).await;
    database
        .execute("DELETE FROM cases WHERE case_ref = 'QS-NEW'")
        .await;
    assert_eq!(
        due(database).await,
        1,
        "only QS-01: a deleted case is not due"
    );
}

dakwacht_testkit::on_both_stores!(
    database: kept_signals_count_what_the_rules_say,
    the_cases_due_for_signals_are_listed,
    the_case_list_filters_by_kept_signals,
    a_change_to_a_case_or_a_child_record_is_counted_at_once,
    an_import_that_changes_a_family_is_counted_at_once,
    signals_kept_under_other_rules_are_not_counted,
    more_rules_than_bits_are_counted_the_long_way,
);
