//! The children of a family on its case page: a card per child, with its record where it has
//! one, and the child measures on the dashboard.

use super::prelude::*;

/// QS-01 has two children (4 and 9); only the second has a record.
const RECORD: &str = "case_ref,organisation,child_no,age,stays_with,separated,school,school_days_missed,heard,heard_by,best_interest_assessed,youth_care\n\
    QS-01,Straatalliantie,2,9,other_family,yes,missing_school,40,yes,social_work,no,\n";

async fn store_the_record<S: Store>(store: &S) {
    let rows: Vec<dakwacht_core::ChildRow> =
        dakwacht_interchange::ChildReader::csv(RECORD.as_bytes())
            .unwrap()
            .unwrap()
            .map(|(_, row)| row.unwrap())
            .collect();
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tx.send(ImportMessage::Children(rows)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store
        .import(&Actor::cli("test"), "kinderen.csv", rx)
        .await
        .unwrap();
}

async fn each_child_has_a_card_on_the_case_page<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    store_the_record(client.store()).await;
    let pro = client.signed_in(PRO).await;
    let page = pro.get("/cases/Straatalliantie/QS-01").await;
    page.assert_status(StatusCode::OK);
    page.assert_contains_all(&[
        "<h2>Kinderen</h2>",
        ">Kind 1 (4 jaar)</h3>",
        "Nog geen kindrecord",
        ">Kind 2 (9 jaar)</h3>",
        "<dt>Verblijft bij</dt><dd>bij andere familie</dd>",
        "mist school, 40 schooldagen gemist",
        "ja, door ",
        "<dt>Belang van het kind afgewogen</dt><dd>nee</dd>",
        "<dt>Jeugdhulp betrokken</dt><dd>onbekend</dd>",
    ]);

    // The record raises the child rules for child 2, named on the signal and on its card; where
    // the family's own field says otherwise (not separated), the page says so.
    page.assert_contains_all(&[
        "<strong>Betreft:</strong> Kind 2 (9 jaar)</p>",
        "<strong>Signalen:</strong> Scheiding van kinderen en ouders; Belang van het kind niet afgewogen; Schoolgang van de kinderen verstoord</p>",
        "Gezinsgegevens en kinddossiers spreken elkaar tegen",
        "Scheiding van kinderen en ouders: volgens de gezinsgegevens niet, volgens de kinddossiers wel (kind 2 (9 jaar))",
    ]);
    // Child 1 has no record: the family's field (not heard) still speaks for it.
    assert!(
        page.body.contains("id=\"signal-child_not_heard\""),
        "{}",
        page.body
    );
    pro.in_english()
        .get("/cases/Straatalliantie/QS-01")
        .await
        .assert_contains("<strong>Concerns:</strong> Child 2 (9 years)</p>");

    // The follow-up list can show only the families with a child separated from its parents or
    // missing school: QS-01 alone of all the families it lists.
    let all = pro.get("/follow-up").await;
    let rows = |body: &str| body.matches("<tr><th scope=\"row\">").count();
    assert!(rows(&all.body) > 1, "{}", all.body);
    let at_risk = pro.get("/follow-up?children=1").await;
    at_risk.assert_status(StatusCode::OK);
    assert_eq!(rows(&at_risk.body), 1, "{}", at_risk.body);
    at_risk.assert_contains_all(&[
        "/cases/Straatalliantie/QS-01",
        "id=\"children\" name=\"children\" value=\"1\" checked",
    ]);

    // The dashboard counts the record among the children.
    let dashboard = pro.get("/dashboard").await;
    dashboard.assert_status(StatusCode::OK);
    dashboard.assert_contains_all(&[
        "<h2 id=\"children-heading\">Kinderen</h2>",
        "Kind gescheiden van de ouders",
    ]);
}

/// The API gives a case's child records to whom it gives the case, by column name and code; the
/// read is audited; another organisation's case is not found.
async fn the_api_gives_the_child_records_of_a_case<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO, PRO_B]).await;
    store_the_record(client.store()).await;
    let token = client.api_token("pro").await;
    let (status, body) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-01/children", &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["children"],
        json!([{
            "child_no": "2", "age": "9", "stays_with": "other_family", "separated": "yes",
            "school": "missing_school", "school_days_missed": "40", "heard": "yes",
            "heard_by": "social_work", "best_interest_assessed": "no"
        }])
    );
    let views = client
        .audit_of(Some("user:pro"), Some(AuditAction::ViewCase))
        .await;
    assert_eq!(views.len(), 1, "one read, one line");

    // The case's signals are held against its records: the signal names the child, and the
    // family's own field that says otherwise is reported beside it.
    let (status, case) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-01?lang=en", &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let separation = case["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "family_separation")
        .unwrap_or_else(|| panic!("{case}"));
    assert_eq!(separation["children"], json!([2]));
    assert_eq!(case["disagreements"][0]["rule"], "family_separation");
    assert_eq!(case["disagreements"][0]["family_raises"], false);
    assert_eq!(case["disagreements"][0]["children"], json!([2]));
    assert!(
        case["disagreements"][0]["message"]
            .as_str()
            .unwrap()
            .contains("child 2 (age 9)")
    );
    assert_eq!(views[0].entry.case_ref.as_deref(), Some("QS-01"));

    let (status, _) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-99/children", &token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = client.api_token(PRO_B.username).await;
    let (status, body) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-01/children", &other)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organisation's case: {body}"
    );
    let (_, openapi) = client.api_get("/api/v1/openapi.json", &token).await;
    assert!(openapi["paths"]["/api/v1/cases/{organisation}/{case_ref}/children"].is_object());
}

/// A child's record entered and changed by hand: the children file's rules, errors at their
/// fields, the signals of the record on the case page, the change in the audit log.
async fn a_childs_record_is_entered_and_changed_by_hand<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let form = "/cases/Straatalliantie/QS-01/children/1/edit";
    pro.get("/cases/Straatalliantie/QS-01")
        .await
        .assert_contains(&format!("href=\"{form}\""));
    pro.form_page(
        form,
        &["Gegevens van een kind", "Kind 1 (4 jaar)", "Verblijft bij"],
    )
    .await;

    // Not the age the case gives; who heard a child that was not heard: nothing saved.
    let wrong = pro
        .post(
            form,
            "age=5&heard=no&heard_by=court&school=attends_same&school_days_missed=3",
        )
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains_all(&[
        "id=\"heard_by-error\"",
        "id=\"school_days_missed-error\"",
        "name=\"age\" value=\"5\"",
    ]);
    pro.post(form, "age=5")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
        .assert_contains("id=\"age-error\"");
    assert!(
        client
            .store()
            .children("Straatalliantie", "QS-01")
            .await
            .unwrap()
            .is_empty()
    );

    let saved = pro
        .post(
            form,
            "age=4&stays_with=other_family&separated=yes&school=not_school_age&heard=no&youth_care=yes&notes=slaapt+bij+oma",
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.location.as_deref(),
        Some("/cases/Straatalliantie/QS-01#kind-1")
    );
    let page = pro.get("/cases/Straatalliantie/QS-01").await;
    page.assert_contains_all(&[
        "<dt>Verblijft bij</dt><dd>bij andere familie</dd>",
        "<strong>Betreft:</strong> Kind 1 (4 jaar)</p>",
    ]);
    // A change: in the child's history, and in the audit log without the notes.
    pro.post(
        form,
        "age=4&stays_with=one_parent&separated=yes&school=not_school_age&heard=no&youth_care=yes&notes=slaapt+bij+oma",
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let history = client
        .store()
        .child_history("Straatalliantie", "QS-01")
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].fields, [dakwacht_core::ChildField::StaysWith]);
    pro.get("/cases/Straatalliantie/QS-01")
        .await
        .assert_contains_all(&[
            "Gegevens van kind 1 vastgelegd",
            "Gegevens van kind 1 aangepast: Verblijft bij",
        ]);
    let lines = client.audit_lines(AuditAction::SaveChild).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(!client.whole_audit_log().await.contains("oma"));

    // Another organisation: not found; a child the family does not have: not found.
    let other = client.signed_in(PRO_B).await;
    other.get(form).await.assert_status(StatusCode::NOT_FOUND);
    other
        .post(form, "age=4")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    pro.get("/cases/Straatalliantie/QS-01/children/3/edit")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

dakwacht_testkit::on_both_stores!(
    database: each_child_has_a_card_on_the_case_page,
    the_api_gives_the_child_records_of_a_case,
    a_childs_record_is_entered_and_changed_by_hand
);
