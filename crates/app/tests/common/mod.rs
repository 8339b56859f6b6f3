//! What the tests of kept signals and running counts share: two families' child records, one
//! import of cases with a children file, the operator.
#![allow(clippy::unwrap_used, dead_code)] // tests fail loudly on purpose; not every test uses all

use std::sync::Arc;

use dakwacht_app::{Acting, App, ImportMessage, Principal, ReadFor};
use dakwacht_interchange::ChildReader;
use dakwacht_store::Store;
use tokio::sync::mpsc;

pub const A: &str = "Straatalliantie";

/// Records for two families: QS-01's children (the family says "not heard"; one record agrees,
/// one does not know) and QS-03's (one child separated from its parents).
pub const CHILDREN: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care,notes\n\
    QS-01,Straatalliantie,1,4,both_parents,no,not_school_age,,no,,,,\n\
    QS-01,Straatalliantie,2,9,other_family,,missing_school,40,,,,,\n\
    QS-03,Ombudsman Metropool Amsterdam,2,6,other_family,yes,changed_school,,yes,social_work,no,,\n";

pub fn operator<S: Store>(app: &Arc<App<S>>) -> Acting<S> {
    app.acting_as(
        Principal::Operator {
            os_user: "beheer".into(),
        },
        "test",
    )
}

/// One import of cases and a children file, committed.
pub async fn import<S: Store>(app: &Arc<App<S>>, cases: Vec<dakwacht_core::Case>, children: &str) {
    let children = ChildReader::csv(children.as_bytes())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    let (sender, receiver) = mpsc::channel(4);
    sender.send(ImportMessage::Cases(cases)).await.unwrap();
    sender
        .send(ImportMessage::Children(children))
        .await
        .unwrap();
    sender.send(ImportMessage::Commit).await.unwrap();
    drop(sender);
    operator(app).import("test", receiver).await.unwrap();
}

/// Saves QS-01 of Straatalliantie as removed without a court, a change every count sees, after
/// `also` changed more of it.
pub async fn save_removed_without_court<S: Store>(
    app: &Arc<App<S>>,
    also: impl FnOnce(&mut dakwacht_core::Case),
) {
    let acting = operator(app);
    let (mut case, version) = acting
        .case_with_version(A, "QS-01", ReadFor::Changing, "test")
        .await
        .unwrap();
    case.route = Some(dakwacht_core::Route::RemovedWithoutCourt);
    case.default_judgment = None;
    also(&mut case);
    acting.save_case(&case, Some(version)).await.unwrap();
}
