//! The dashboard's kept figures (issue 19.3): a slow count is kept and shown with its time, only
//! to those who may count that selection, every view audited; reports are never kept ones; a
//! kept count is renewed in the background once it is old.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use std::sync::Arc;
use std::time::Duration;

use dakwacht_app::{Acting, App, AuditAction, AuditFilter, FiguresPolicy, Principal, Wanted};
use dakwacht_core::access::Role;
use dakwacht_core::{CaseFilter, ProfileCount};
use dakwacht_rules::RuleSet;
use dakwacht_store::SqliteStore;
use dakwacht_testkit::quickscan_cases;

mod common;
use common::{A, CHILDREN};

const OMBUDSMAN: &str = "Ombudsman Metropool Amsterdam";

/// Every count kept (the test data counts in milliseconds), shown for an hour, renewed after
/// `renew_after`.
async fn app_keeping(renew_after: Duration) -> (tempfile::TempDir, Arc<App<SqliteStore>>) {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    let app = App::with_figures_policy(
        store,
        FiguresPolicy {
            keep_when_slower_than: Duration::ZERO,
            renew_after,
            shown_at_most: Duration::from_secs(3600),
        },
    )
    .unwrap();
    common::import(&app, quickscan_cases(), CHILDREN).await;
    (dir, app)
}

fn professional(app: &Arc<App<SqliteStore>>, organisation: &str) -> Acting<SqliteStore> {
    app.acting_as(
        Principal::User {
            username: format!("werker-{}", organisation.len()),
            role: Role::Professional,
            organisation: Some(organisation.to_string()),
        },
        "GET /dashboard",
    )
}

fn sorted(mut profiles: Vec<ProfileCount>) -> Vec<ProfileCount> {
    profiles.sort_by_key(|p| (p.profile.pack(), p.cases));
    profiles
}

fn cases(profiles: &[ProfileCount]) -> u64 {
    profiles.iter().map(|p| p.cases).sum()
}

async fn figures(acting: &Acting<SqliteStore>, wanted: Wanted) -> dakwacht_app::Figures {
    let rules = RuleSet::built_in().unwrap();
    acting
        .figures(CaseFilter::default(), &rules, wanted, "dashboard")
        .await
        .unwrap()
}

#[tokio::test]
async fn a_kept_count_is_shown_with_its_time_to_its_own_organisation_only_and_every_view_is_audited()
 {
    let (_dir, app) = app_keeping(Duration::from_secs(3600)).await;
    let worker = professional(&app, A);
    let first = figures(&worker, Wanted::Dashboard).await;
    assert_eq!(first.counted_at, None, "counted for this view");
    assert_eq!(
        cases(&first.profiles),
        5,
        "the organisation's own five families"
    );

    common::save_removed_without_court(&app, |_| {}).await;
    let kept = figures(&worker, Wanted::Dashboard).await;
    assert!(
        kept.counted_at.is_some(),
        "kept figures say when they were counted"
    );
    assert_eq!(sorted(kept.profiles), sorted(first.profiles.clone()));

    // A report is always counted anew, and sees the change.
    let report = figures(&worker, Wanted::Report).await;
    assert_eq!(report.counted_at, None);
    assert_ne!(sorted(report.profiles), sorted(first.profiles.clone()));

    // Another organisation's professional counts their own families, never the kept ones of A.
    let other = figures(&professional(&app, OMBUDSMAN), Wanted::Dashboard).await;
    assert_eq!(other.counted_at, None);
    let theirs = quickscan_cases()
        .iter()
        .filter(|c| c.organisation.as_str() == OMBUDSMAN)
        .count() as u64;
    assert_eq!(cases(&other.profiles), theirs);
    assert_ne!(sorted(other.profiles), sorted(first.profiles));
    assert_eq!(other.filter.organisation.as_deref(), Some(OMBUDSMAN));

    // Each view is in the audit log, kept figures or not.
    let audit = common::operator(&app)
        .audit_log(&AuditFilter {
            action: Some(AuditAction::Statistics),
            organisation: Some(A.to_string()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let views = audit
        .iter()
        .filter(|r| {
            r.entry
                .detail
                .as_deref()
                .is_some_and(|d| d.starts_with("dashboard"))
        })
        .count();
    assert_eq!(views, 3, "two dashboards and a report of A: {audit:#?}");
}

#[tokio::test]
async fn an_old_kept_count_is_shown_while_it_is_renewed_in_the_background() {
    let (_dir, app) = app_keeping(Duration::ZERO).await;
    let worker = professional(&app, A);
    let before = figures(&worker, Wanted::Dashboard).await;
    common::save_removed_without_court(&app, |_| {}).await;
    let report = sorted(figures(&worker, Wanted::Report).await.profiles);
    assert_ne!(report, sorted(before.profiles.clone()));

    // The first view after the change shows the kept figures at once and starts a count.
    let stale = figures(&worker, Wanted::Dashboard).await;
    assert_eq!(sorted(stale.profiles), sorted(before.profiles));
    let mut waited = Duration::ZERO;
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += Duration::from_millis(20);
        let shown = figures(&worker, Wanted::Dashboard).await;
        if sorted(shown.profiles) == report {
            assert!(shown.counted_at.is_some());
            break;
        }
        assert!(waited < Duration::from_secs(10), "never renewed");
    }
}

#[tokio::test]
async fn the_dashboards_counted_ahead_are_the_first_views_kept_figures() {
    let (_dir, app) = app_keeping(Duration::from_secs(3600)).await;
    let rules = RuleSet::built_in().unwrap();
    // Only for whoever may count every organisation.
    assert!(
        professional(&app, A)
            .prepare_dashboards(&rules)
            .await
            .is_err()
    );
    common::operator(&app)
        .prepare_dashboards(&rules)
        .await
        .unwrap();
    let worker = professional(&app, A);
    let first = figures(&worker, Wanted::Dashboard).await;
    assert!(first.counted_at.is_some(), "counted ahead");
    let report = figures(&worker, Wanted::Report).await;
    assert_eq!(sorted(first.profiles), sorted(report.profiles));
    assert_eq!(first.signals, report.signals);
}
