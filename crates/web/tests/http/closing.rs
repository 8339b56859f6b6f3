//! Issue 15.8, close and keep: a case is closed with a reason and opened again, by those who keep
//! it; a closed case leaves the follow-up list and stays in the figures.

use super::prelude::*;

const CASE: &str = "/cases/Straatalliantie/QS-11";

async fn a_closed_case_leaves_the_follow_up_list_and_stays_in_the_figures<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let researcher = client.signed_in(ONDERZOEK).await;
    let figures_before = researcher.get("/dashboard").await.body;
    let own_figures_before = pro.get("/dashboard").await.body;
    let api_before = pro.get("/api/v1/reports/quickscan").await.body;

    // An open case: on the follow-up list, with the close form (no reason chosen beforehand).
    pro.get("/follow-up").await.assert_contains(">QS-11</a>");
    let page = pro.get(CASE).await;
    page.assert_contains_all(&[
        "action=\"/cases/Straatalliantie/QS-11/close\"",
        "<summary>Casus sluiten</summary>",
        "<option value=\"\">Kies een reden</option>",
        "<option value=\"rehoused\">gezin heeft weer een woning</option>",
        "<option value=\"moved_away\">",
        "<option value=\"contact_ended\">",
    ]);
    page.assert_lacks("Gesloten op");

    // Without a reason the page comes back with the error at the field, and nothing is closed.
    let unchosen = pro.post(&format!("{CASE}/close"), "reason=").await;
    unchosen.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    unchosen.assert_contains_all(&[
        "<h1>Casus QS-11</h1>",
        "id=\"closing_reason-error\"",
        "Kies waarom de casus wordt gesloten.",
        "aria-invalid=\"true\"",
    ]);
    let nonsense = pro.post(&format!("{CASE}/close"), "reason=weg").await;
    nonsense.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(client.closure("Straatalliantie", "QS-11").await, None);

    // Closed: a note with the day and the reason, a reopen button, off the follow-up list.
    let closed = pro.post(&format!("{CASE}/close"), "reason=rehoused").await;
    closed.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(closed.location.as_deref(), Some(CASE));
    let today = dakwacht_app::today();
    let long = dakwacht_core::written::long_date(today, dakwacht_core::Lang::Nl);
    let page = pro.get(CASE).await;
    page.assert_contains_all(&[
        &format!("Gesloten op {long} (gezin heeft weer een woning)"),
        "action=\"/cases/Straatalliantie/QS-11/reopen\"",
        "Casus heropenen",
    ]);
    page.assert_lacks("/QS-11/close\"");
    pro.in_english()
        .get(CASE)
        .await
        .assert_contains("Closed on ")
        .assert_contains("(the family has a home again)");
    pro.get("/follow-up").await.assert_lacks(">QS-11</a>");
    // Still a case of the organisation, in the list, and with its fields as they were.
    pro.get("/cases?q=QS-11")
        .await
        .assert_contains(">QS-11</a>");

    // The figures did not change: the dashboard (every organisation's and the own one) and the
    // quickscan of the API count the closed case as before.
    assert_eq!(researcher.get("/dashboard").await.body, figures_before);
    assert_eq!(pro.get("/dashboard").await.body, own_figures_before);
    assert_eq!(pro.get("/api/v1/reports/quickscan").await.body, api_before);

    // Closing again changes nothing: the first closure stays.
    pro.post(&format!("{CASE}/close"), "reason=moved_away")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let closure = client.closure("Straatalliantie", "QS-11").await.unwrap();
    assert_eq!(closure.reason, dakwacht_core::ClosingReason::Rehoused);
    assert_eq!(closure.on, today);

    // In the history (who, what) and in the audit log.
    let history = client.history("Straatalliantie", "QS-11").await;
    let last = history.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("closed", "user:pro")
    );
    assert_eq!(
        client.audit_lines(AuditAction::CloseCase).await,
        ["user:pro | closed: rehoused"]
    );

    // Opened again, by the coordinator: back on the follow-up list, the form is back.
    let coord = client.signed_in(COORD).await;
    let reopened = coord.post(&format!("{CASE}/reopen"), "").await;
    reopened.assert_status(StatusCode::SEE_OTHER);
    let page = pro.get(CASE).await;
    page.assert_lacks("Gesloten op");
    page.assert_contains("/QS-11/close\"");
    pro.get("/follow-up").await.assert_contains(">QS-11</a>");
    let history = client.history("Straatalliantie", "QS-11").await;
    let actions: Vec<&str> = history.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["created", "closed", "reopened"]);
    assert_eq!(
        client.audit_lines(AuditAction::ReopenCase).await,
        [format!(
            "user:coord | reopened; closed on {today}: rehoused"
        )]
    );
    // The case's fields were never touched.
    assert_eq!(
        client.case("Straatalliantie", "QS-11").await,
        dakwacht_testkit::quickscan_cases()
            .into_iter()
            .find(|c| c.case_ref.as_str() == "QS-11")
            .unwrap()
    );
}

async fn only_those_who_keep_the_case_close_it<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let other = client.signed_in(PRO_B).await;
    let researcher = client.signed_in(ONDERZOEK).await;
    let admin = client.signed_in(BEHEER).await;

    // Another organisation's case does not exist for them.
    for path in [format!("{CASE}/close"), format!("{CASE}/reopen")] {
        let refused = other.post(&path, "reason=rehoused").await;
        refused.assert_status(StatusCode::NOT_FOUND);
    }
    for session in [&researcher, &admin] {
        let refused = session
            .post(&format!("{CASE}/close"), "reason=rehoused")
            .await;
        assert!(
            refused.status == StatusCode::FORBIDDEN || refused.status == StatusCode::NOT_FOUND,
            "{}",
            refused.status
        );
    }
    // A form without this session's token is refused.
    let pro = client.signed_in(PRO).await;
    let forged = pro
        .post_forged(&format!("{CASE}/close"), "reason=rehoused")
        .await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    // A case that does not exist.
    pro.post("/cases/Straatalliantie/NOPE/close", "reason=rehoused")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    assert_eq!(
        client.closure("Straatalliantie", "QS-11").await,
        None,
        "nobody closed it"
    );
    assert!(client.audit_lines(AuditAction::CloseCase).await.is_empty());
}

dakwacht_testkit::on_both_stores!(
    database: a_closed_case_leaves_the_follow_up_list_and_stays_in_the_figures,
    only_those_who_keep_the_case_close_it,
);
