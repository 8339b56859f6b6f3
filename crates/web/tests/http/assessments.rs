//! The best-interest assessment on the pages: started from a child's card, filled in one step at
//! a time over two visits (each step saved on its own, errors at their fields), complete when
//! every step is, printable as a summary; only for the case's own organisation, every read in the
//! audit log.

use super::prelude::*;

const CASE: &str = "/cases/Straatalliantie/QS-01";

/// Step 1 with all seven elements, one of them not known.
fn all_interests() -> String {
    [
        "identity",
        "child_view",
        "family_environment",
        "care_safety",
        "vulnerability",
        "health",
        "education",
    ]
    .iter()
    .map(|e| {
        if *e == "health" {
            format!("{e}-kind=not_known&{e}-text=huisarts+niet+bereikt")
        } else {
            format!("{e}-kind=found&{e}-text=bevinding+{e}")
        }
    })
    .collect::<Vec<_>>()
    .join("&")
}

/// Starts an assessment of child 1 of QS-01 for an eviction; the address of its first step.
async fn start<S: Store>(pro: &Session<'_, S>) -> String {
    let started = pro
        .post(
            &format!("{CASE}/children/1/assessments/new"),
            "decision=eviction&decision_described=",
        )
        .await;
    started.assert_status(StatusCode::SEE_OTHER);
    let step_1 = started.location.clone().unwrap();
    assert!(step_1.ends_with("/steps/1"), "{step_1}");
    step_1
}

async fn an_assessment_is_filled_in_over_two_visits<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;

    // The child's card offers it; the start form asks for the decision.
    let case = pro.get(CASE).await;
    case.assert_contains(&format!("href=\"{CASE}/children/1/assessments/new\""));
    pro.form_page(
        &format!("{CASE}/children/1/assessments/new"),
        &[
            "Belangenafweging starten",
            "Kind 1 (4 jaar)",
            "uitzetting (door verhuurder of rechter)",
        ],
    )
    .await;
    // Without a decision: the form again, the error at its field.
    let refused = pro
        .post(&format!("{CASE}/children/1/assessments/new"), "decision=")
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused
        .assert_contains_all(&["<p class=\"error\" id=\"decision-error\">Kies de beslissing.</p>"]);
    // "Other" needs its description.
    pro.post(
        &format!("{CASE}/children/1/assessments/new"),
        "decision=other",
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
    .assert_contains("Beschrijf de beslissing.");
    // A child the family does not have is not found.
    pro.get(&format!("{CASE}/children/3/assessments/new"))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let step_1 = start(&pro).await;
    let assessment = step_1.trim_end_matches("/steps/1").to_string();

    // First visit: part of step 1 is saved; it stays a draft.
    let form = pro
        .form_page(
            &step_1,
            &[
                "Stap 1: Belang van het kind",
                "concept: 0 van 4 stappen ingevuld",
            ],
        )
        .await;
    let version = hidden_value(&form.body, "version");
    let saved = pro
        .post(
            &step_1,
            &format!("version={version}&identity-kind=found&identity-text=Nederlands+en+Pools"),
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{assessment}/steps/2").as_str())
    );
    let again = pro.get(&step_1).await;
    again.assert_contains_all(&["Nederlands en Pools", "concept: 0 van 4 stappen ingevuld"]);

    // Second visit (another day): the rest of step 1, then steps 2 to 4.
    let version = hidden_value(&again.body, "version");
    pro.post(&step_1, &format!("version={version}&{}", all_interests()))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let step_2 = pro.get(&format!("{assessment}/steps/2")).await;
    step_2.assert_contains("concept: 1 van 4 stappen ingevuld");
    let version = hidden_value(&step_2.body, "version");
    // An interest without whose it is: the error at its field, nothing saved.
    pro.post(
        &format!("{assessment}/steps/2"),
        &format!("version={version}&other-1-what=huurachterstand"),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
    .assert_contains(
        "<p class=\"error\" id=\"other-1-holder-error\">Kies van wie dit belang is.</p>",
    );
    pro.post(
        &format!("{assessment}/steps/2"),
        &format!("version={version}&other-1-holder=landlord&other-1-what=huurachterstand"),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);

    // Another interest prevailed: only with the reasons why.
    let step_3 = pro.get(&format!("{assessment}/steps/3")).await;
    let version = hidden_value(&step_3.body, "version");
    pro.post(
        &format!("{assessment}/steps/3"),
        &format!("version={version}&prevailed=other&reasons="),
    )
    .await
    .assert_status(StatusCode::UNPROCESSABLE_ENTITY)
    .assert_contains("Het belang van het kind gaat voor.");
    pro.post(
        &format!("{assessment}/steps/3"),
        &format!("version={version}&prevailed=child&reasons=uitstel+tot+er+woonruimte+is"),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let step_4 = pro.get(&format!("{assessment}/steps/4")).await;
    let version = hidden_value(&step_4.body, "version");
    // Someone who opened step 4 earlier, at an older version, cannot save over it.
    pro.post(
        &format!("{assessment}/steps/4"),
        "version=1&how_and_when=x&by=y&if_disagreeing=z",
    )
    .await
    .assert_status(StatusCode::CONFLICT);
    let last = pro
        .post(
            &format!("{assessment}/steps/4"),
            &format!(
                "version={version}&how_and_when=op+3+maart+met+tekeningen&by=maatschappelijk+werker&if_disagreeing=Kinderombudsman"
            ),
        )
        .await;
    last.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(last.location.as_deref(), Some(assessment.as_str()));

    // The summary: complete, every step, ready to print.
    let summary = pro.get(&assessment).await;
    summary.assert_status(StatusCode::OK).assert_contains_all(&[
        "Casus QS-01 · Straatalliantie",
        "Kind 1 (4 jaar) · uitzetting (door verhuurder of rechter)",
        "compleet",
        "bevinding identity",
        "niet bekend: huisarts niet bereikt",
        "<dt>verhuurder</dt><dd>huurachterstand</dd>",
        "uitstel tot er woonruimte is",
        "Kinderombudsman",
        "Vertrouwelijk",
    ]);
    // The case page: the assessment on the child's card, the steps in the history.
    let case = pro.get(CASE).await;
    case.assert_contains_all(&[
        "uitzetting (door verhuurder of rechter) (compleet)",
        "<dt>Belang van het kind afgewogen</dt><dd>ja (belangenafweging in dakwacht)</dd>",
        "Belangenafweging van kind 1 gestart",
        "Belangenafweging van kind 1 compleet (stap 4 opgeslagen)",
    ]);
    // In English too.
    pro.in_english()
        .get(&assessment)
        .await
        .assert_contains_all(&["Child 1 (4 years)", "complete", "Other interests"]);

    // Every read is in the audit log, and no finding is.
    let views = client.audit_lines(AuditAction::ViewAssessment).await;
    assert!(views.len() >= 8, "{views:?}");
    let log = client.whole_audit_log().await;
    assert!(!log.contains("Nederlands en Pools"));
    assert!(!log.contains("huurachterstand"));
}

async fn only_the_own_organisation_reaches_an_assessment<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let step_1 = start(&pro).await;
    let assessment = step_1.trim_end_matches("/steps/1").to_string();

    // The coordinator of the same organisation reads and changes it.
    let coordinator = client.signed_in(COORD).await;
    coordinator
        .get(&assessment)
        .await
        .assert_status(StatusCode::OK);
    coordinator.get(&step_1).await.assert_status(StatusCode::OK);

    // Another organisation's professional: not found, as if it did not exist.
    let other = client.signed_in(PRO_B).await;
    other
        .get(&assessment)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .get(&step_1)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .post(&step_1, "version=1&identity-text=x")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    other
        .post(
            &format!("{CASE}/children/1/assessments/new"),
            "decision=eviction",
        )
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // A researcher sees figures only; an administrator accounts only.
    for account in [ONDERZOEK, BEHEER] {
        let session = client.signed_in(account).await;
        let status = session.get(&assessment).await.status;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{}: {status}",
            account.username
        );
    }
    // Each refusal is in the audit log.
    let refusals = client.audit_lines(AuditAction::AccessRefused).await;
    assert!(refusals.len() >= 4, "{refusals:?}");
    // A form sent without this session's token changes nothing.
    pro.post_forged(&step_1, "version=1&identity-text=x")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

/// The API: the same use cases as the pages, the same access, the steps as JSON.
async fn the_api_starts_fills_in_and_reads_an_assessment<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO, PRO_B, ONDERZOEK]).await;
    let token = client.api_token("pro").await;
    let base = "/api/v1/cases/Straatalliantie/QS-01";
    let (status, started) = client
        .api(
            "POST",
            &format!("{base}/children/2/assessments"),
            Some(&token),
            Some(json!({"decision": "shelter_refusal"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["child_no"], 2);
    assert_eq!(started["complete"], false);
    assert_eq!(started["steps_done"], json!([]));
    let id = started["id"].as_i64().unwrap();

    // An element that does not exist, and another interest prevailing without reasons: 422.
    let interests: serde_json::Map<String, serde_json::Value> = [
        "identity",
        "child_view",
        "family_environment",
        "care_safety",
        "vulnerability",
        "health",
        "education",
    ]
    .iter()
    .map(|e| {
        (
            e.to_string(),
            json!({"kind": "found", "text": format!("over {e}")}),
        )
    })
    .collect();
    let mut wrong = interests.clone();
    wrong.insert("hobby".into(), json!({"kind": "found", "text": "voetbal"}));
    let (status, refused) = client
        .api(
            "PUT",
            &format!("{base}/assessments/{id}"),
            Some(&token),
            Some(
                json!({"version": 1, "decision": "shelter_refusal", "steps": {
                    "interests": wrong,
                    "weighing": {"prevailed": "other", "reasons": ""}
                }}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let fields: Vec<&str> = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["steps.interests", "weighing.reasons"]);

    let whole = json!({"version": 1, "decision": "shelter_refusal", "steps": {
        "interests": interests,
        "other_interests": [],
        "weighing": {"prevailed": "child", "reasons": "opvang voor het hele gezin"},
        "explanation": {"how_and_when": "op 4 juni", "by": "gemeente", "if_disagreeing": "bezwaar maken"}
    }});
    let (status, saved) = client
        .api(
            "PUT",
            &format!("{base}/assessments/{id}"),
            Some(&token),
            Some(whole.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["complete"], true);
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["steps_done"], json!([1, 2, 3, 4]));
    // The same version again: someone saved since.
    let (status, _) = client
        .api(
            "PUT",
            &format!("{base}/assessments/{id}"),
            Some(&token),
            Some(whole),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, list) = client.api_get(&format!("{base}/assessments"), &token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list[0]["steps"]["weighing"]["reasons"],
        "opvang voor het hele gezin"
    );

    // Another organisation: not found; a researcher: refused.
    let other = client.api_token(PRO_B.username).await;
    let (status, _) = client.api_get(&format!("{base}/assessments"), &other).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let researcher = client.api_token(ONDERZOEK.username).await;
    let (status, _) = client
        .api_get(&format!("{base}/assessments"), &researcher)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (_, openapi) = client.api_get("/api/v1/openapi.json", &token).await;
    for path in [
        "/api/v1/cases/{organisation}/{case_ref}/assessments",
        "/api/v1/cases/{organisation}/{case_ref}/children/{child_no}/assessments",
        "/api/v1/cases/{organisation}/{case_ref}/assessments/{id}",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path}");
    }
}

dakwacht_testkit::on_both_stores!(
    database: an_assessment_is_filled_in_over_two_visits,
    only_the_own_organisation_reaches_an_assessment,
    the_api_starts_fills_in_and_reads_an_assessment
);
