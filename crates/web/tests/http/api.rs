//! The JSON API: the same access rules as the pages, tokens apart from browser sessions, JSON errors, the OpenAPI document.

use super::prelude::*;

/// Organisation A's first quickscan case in the API.
const QS_01: &str = "/api/v1/cases/Straatalliantie/QS-01";

/// The text `field` of every object in a JSON list.
fn each<'v>(list: &'v serde_json::Value, field: &str) -> Vec<&'v str> {
    let list = list.as_array().unwrap();
    list.iter()
        .map(|item| item[field].as_str().unwrap())
        .collect()
}

async fn the_json_api_follows_the_same_access_rules_and_is_described_by_openapi<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, ONDERZOEK, BEHEER]).await;

    let (status, body) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(json!({"username": "pro", "password": "fout fout fout"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _) = client.api("GET", "/api/v1/cases", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The browser's cookie does not open the API: no cross-site requests with it.
    let cookie_session = client.sign_in("pro").await;
    let with_cookie = cookie_session.get("/api/v1/cases").await;
    with_cookie.assert_status(StatusCode::UNAUTHORIZED);

    let pro = client.api_token("pro").await;
    let (status, list) = client.api_get("/api/v1/cases?limit=2", &pro).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["organisation"], "Straatalliantie");
    assert_eq!(list["cases"].as_array().unwrap().len(), 2);
    let next = list["next_after"].as_str().unwrap().to_string();
    let (_, second) = client
        .api_get(&format!("/api/v1/cases?limit=2&after={next}"), &pro)
        .await;
    assert!(
        second["cases"][0]["case_ref"].as_str().unwrap() > next.as_str(),
        "{second}"
    );
    let (status, bad) = client.api_get("/api/v1/cases?route=kasteel", &pro).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["message"].as_str().unwrap().contains("kasteel"));

    let (status, case) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-01?lang=en", &pro)
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["fields"]["reported_on"], "2025-04-21");
    let version = case["version"].as_i64().unwrap();
    let signals = each(&case["signals"], "id");
    assert!(signals.contains(&"no_adequate_rehousing"), "{signals:?}");
    assert!(case["signals"][0]["sources"][0].as_str().is_some());
    let (status, _) = client
        .api_get("/api/v1/cases/Stichting%20Kernkracht/QS-02", &pro)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organisation's case is not found"
    );

    // Saving: stale versions are refused, bad values are listed, nothing half-saved.
    let mut fields = case["fields"].as_object().unwrap().clone();
    fields.insert("children_count".into(), json!("4"));
    fields.insert("children_ages".into(), json!("4;9;?;1"));
    let (status, saved) = client
        .api_put(QS_01, &pro, json!({"version": version, "fields": fields}))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"].as_i64(), Some(version + 1));
    assert_eq!(saved["fields"]["children_count"], "4");
    let (status, stale) = client
        .api_put(QS_01, &pro, json!({"version": version, "fields": fields}))
        .await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );
    fields.insert("reported_on".into(), json!("2025-02-30"));
    fields.insert("route".into(), json!("kasteel"));
    let (status, invalid) = client
        .api_put(
            QS_01,
            &pro,
            json!({"version": version + 1, "fields": fields}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = each(&invalid["problems"], "field");
    assert_eq!(problems, ["reported_on", "route"]);
    let (status, _) = client
        .api_put(
            "/api/v1/cases/Stichting%20Kernkracht/NEW",
            &pro,
            a_new_case(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no writing in another organisation"
    );
    let (status, created) = client
        .api_put("/api/v1/cases/Straatalliantie/API-1", &pro, a_new_case())
        .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert_eq!(created["version"], 1);

    // Reports: a researcher over everything (the published figures), a professional the own
    // organisation, an administrator nothing.
    let researcher = client.api_token("onderzoek").await;
    let (status, _) = client.api_get("/api/v1/cases", &researcher).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // One organisation of five cases is too small a selection for a researcher (issue 13).
    let (status, report) = client
        .api_get(
            "/api/v1/reports/published?organisation=Stichting%20Kernkracht",
            &researcher,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(report["error"], "selection_too_small");
    // The figures as counted are the organisation's own, not for publication: not a
    // researcher's.
    let (status, report) = client
        .api_get("/api/v1/reports/quickscan", &researcher)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{report}");
    assert!(report.get("measures").is_none(), "{report}");
    let (_, report) = client.api_get("/api/v1/reports/quickscan", &pro).await;
    assert_eq!(report["scope"], "organisatie Straatalliantie");
    assert_eq!(report["publication"], "niet voor publicatie");
    let admin = client.api_token("beheer").await;
    let (status, _) = client.api_get("/api/v1/reports/quickscan", &admin).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, doc) = client.api("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/session",
        "/api/v1/cases",
        "/api/v1/cases/{organisation}/{case_ref}",
        "/api/v1/reports/quickscan",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
    assert!(doc["components"]["schemas"]["CaseDocument"].is_object());
}

async fn the_published_figures_come_out_of_the_api<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[ONDERZOEK]).await;
    let researcher = client.api_token("onderzoek").await;
    let (status, report) = client
        .api_get("/api/v1/reports/published", &researcher)
        .await;
    assert_eq!(status, StatusCode::OK);
    let measure = |id| dakwacht_testkit::measure(&report, id);
    assert_eq!(measure("cases")["numerator"], 23);
    let no_court = measure("route.no_court");
    assert_eq!(
        (
            no_court["numerator"].as_u64(),
            no_court["denominator"].as_u64(),
            no_court["percent"].as_f64()
        ),
        (Some(13), Some(22), Some(59.09))
    );
    let signal = dakwacht_testkit::by_id(&report["signals"], "out_of_view");
    assert_eq!(
        (signal["cases"].as_u64(), signal["of"].as_u64()),
        (Some(12), Some(23))
    );
    // The duration estimate, as `report duration --format json` (quickscan: 22 families with a
    // known duration, none recorded as rehoused), its table cut where fewer than 10 remain.
    let duration = &report["duration"];
    assert_eq!(
        (duration["n"].as_u64(), duration["events"].as_u64()),
        (Some(22), Some(0))
    );
    assert_eq!(duration["optimistic"]["median_months"], 15);
    assert_eq!(duration["table"].as_array().map(Vec::len), Some(10));
}

/// Issue 17.2: the API's published report passes the disclosure policy, says which one and
/// what it held back, and the audit log records it.
async fn the_published_report_holds_back_what_could_identify_a_family<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[ONDERZOEK]).await;
    let researcher = client.api_token("onderzoek").await;
    let (status, report) = client
        .api_get("/api/v1/reports/published", &researcher)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let note = report["policy"]["note"].as_str().unwrap_or_default();
    assert!(
        note.starts_with("Beschermd volgens beleid dakwacht-standaard"),
        "{note}"
    );
    // 4 children of unknown age: a count from 1 to 4 is not published.
    let unknown_age = dakwacht_testkit::measure(&report, "children.age_unknown");
    assert_eq!(unknown_age["numerator"], serde_json::Value::Null);
    assert_eq!(unknown_age["suppressed"]["numerator"], "primary");
    // 13 of 22 families lost their home without a court: large enough, published as it is.
    let no_court = dakwacht_testkit::measure(&report, "route.no_court");
    assert_eq!(
        (
            no_court["numerator"].as_u64(),
            no_court["denominator"].as_u64()
        ),
        (Some(13), Some(22))
    );
    assert!(no_court.get("suppressed").is_none(), "{no_court}");
    // The duration table only where at least 10 families were at risk: months 0 to 9.
    let table = report["duration"]["table"].as_array().unwrap();
    assert_eq!(table.len(), 10, "{}", report["duration"]);
    // Signals: a rule raised by 1 to 4 families is held back, its denominator shown.
    let signals = report["signals"].as_array().unwrap();
    assert!(!signals.is_empty());
    for signal in signals {
        match signal["cases"].as_u64() {
            Some(cases) => assert!(cases == 0 || cases >= 5, "{signal}"),
            None => assert_eq!(signal["suppressed"]["numerator"], "primary", "{signal}"),
        }
        assert_eq!(signal["of"], 23, "{signal}");
    }

    let audited = client
        .audit_of(Some("user:onderzoek"), Some(AuditAction::Statistics))
        .await;
    let published = audited
        .iter()
        .filter_map(|r| r.entry.detail.as_deref())
        .find(|d| d.contains("gepubliceerd"))
        .unwrap_or_default();
    assert!(published.contains(note), "{published}");

    // A selection too small for a researcher: nothing at all.
    let (status, body) = client
        .api_get(
            "/api/v1/reports/published?organisation=Straatalliantie&from=2024-10-18&to=2024-10-18",
            &researcher,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.get("measures").is_none());
}

async fn browser_sessions_and_api_tokens_are_separate_and_a_token_can_be_revoked<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let cookie = client.signed_in(PRO).await;
    let token = client.api_token("pro").await;

    // A browser's cookie value is no bearer token, and an API token is no browser session.
    let (status, body) = client.api_get("/api/v1/cases", &cookie.token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let as_cookie = client.session(&token).await.get("/cases").await;
    as_cookie.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(as_cookie.location.as_deref(), Some("/login"));
    assert_eq!(cookie.get("/cases").await.status, StatusCode::OK);
    let (status, _) = client.api_get("/api/v1/cases", &token).await;
    assert_eq!(status, StatusCode::OK);

    // Revoking the token ends it at once, and only it.
    let (status, _) = client
        .api("DELETE", "/api/v1/session", Some(&cookie.token), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a cookie cannot revoke a token"
    );
    let revoked = client.revoke(&token).await;
    revoked.assert_status(StatusCode::NO_CONTENT);
    let (status, body) = client.api_get("/api/v1/cases", &token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    let (status, _) = client
        .api("DELETE", "/api/v1/session", Some(&token), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(cookie.get("/cases").await.status, StatusCode::OK);

    let (_, doc) = client.api("GET", "/api/v1/openapi.json", None, None).await;
    assert!(
        doc["paths"]["/api/v1/session"]["delete"].is_object(),
        "{doc}"
    );
    assert!(
        doc["paths"]["/api/v1/session"]["delete"]["responses"]["204"].is_object(),
        "{doc}"
    );
}

/// Sends a raw request to the API and parses the answer, which must be JSON.
async fn raw_api<S: Store>(
    client: &Client<S>,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    let response = client.send(request).await;
    assert_eq!(
        response
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "{}: {}",
        response.status,
        response.body
    );
    let json = response.json();
    (response.status, response.headers, json)
}

async fn every_error_of_the_api_is_json_and_echoes_little<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let token = client.api_token("pro").await;
    let json_post = |path: &str, content_type: &str, body: String| {
        Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::from(body))
            .unwrap()
    };
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            json_post("/api/v1/session", "application/json", "{not json".into()),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
        (
            json_post(
                "/api/v1/session",
                "text/plain",
                r#"{"username":"pro","password":"x"}"#.into(),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            Request::put("/api/v1/cases/Straatalliantie/QS-01")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(format!(
                    r#"{{"fields": {{"notes": "{}"}}}}"#,
                    "x".repeat(3 * 1024 * 1024)
                )))
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
        ),
        (
            Request::get("/api/v1/nothing-here")
                .body(Body::empty())
                .unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            Request::delete("/api/v1/cases")
                .body(Body::empty())
                .unwrap(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Request::get("/api/v1/cases?limit=veel")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid",
        ),
    ];
    for (request, want_status, want_error) in cases {
        let what = format!("{} {}", request.method(), request.uri());
        let (status, headers, body) = raw_api(&client, request).await;
        assert_eq!(status, want_status, "{what}: {body}");
        assert_eq!(body["error"], want_error, "{what}: {body}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: {body}"
        );
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(headers.contains_key(header::ALLOW), "{what}");
        }
    }

    // Values sent back in an error are shortened.
    let long = "kasteel".repeat(20);
    let (status, body) = client
        .api_get(&format!("/api/v1/cases?route={long}"), &token)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("kasteelkasteel") && message.contains('…'),
        "{message}"
    );
    assert!(message.chars().count() < 120, "{message}");
    let request = json_post(
        "/api/v1/cases/Straatalliantie/QS-01",
        "application/json",
        format!(r#"{{"version": "{}", "fields": {{}}}}"#, "9".repeat(10_000)),
    );
    let request = {
        let (mut parts, body) = request.into_parts();
        parts.method = axum::http::Method::PUT;
        Request::from_parts(parts, body)
    };
    let (status, _, body) = raw_api(&client, request).await;
    assert!(status.is_client_error(), "{status}");
    let message = body["message"].as_str().unwrap();
    assert!(message.chars().count() < 250, "{message}");
}

dakwacht_testkit::on_both_stores!(database: the_json_api_follows_the_same_access_rules_and_is_described_by_openapi, the_published_figures_come_out_of_the_api, the_published_report_holds_back_what_could_identify_a_family, browser_sessions_and_api_tokens_are_separate_and_a_token_can_be_revoked, every_error_of_the_api_is_json_and_echoes_little);
