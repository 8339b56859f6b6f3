//! What every answer and form defends against: HTTPS-only cookies and HSTS, text that is not UTF-8, control characters.

use super::prelude::*;

/// Whether an organisation's name starts with `start`.
async fn has_an_organisation_named<S: Store>(client: &Client<S>, start: &str) -> bool {
    let organisations = client.store().organisations().await.unwrap();
    organisations.iter().any(|o| o.starts_with(start))
}

async fn behind_https_the_session_cookie_is_secure<S: TestStore>(database: &Database<S>) {
    let plain = Client::new(database).await;
    plain
        .add_user("pro", Role::Professional, Some("Straatalliantie"))
        .await;
    let form = credentials("pro", PASSWORD);
    let cookie = plain.login(&form, None).await.cookie.unwrap();
    assert!(!cookie.contains("Secure"), "{cookie}");

    // The same database, served behind HTTPS.
    let https = Options {
        secure_cookies: true,
        ..Default::default()
    };
    let secure = Client::with_options(database.open().await, https).await;
    let signed_in = secure.login(&form, None).await;
    let cookie = signed_in.cookie.unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    let form_cookie = secure.get("/login").await.set_cookies.join("\n");
    assert!(
        form_cookie.contains("dakwacht_login_csrf=") && form_cookie.contains("; Secure"),
        "{form_cookie}"
    );
}

async fn with_hsts_or_secure_cookies_every_answer_sends_strict_transport_security<S: TestStore>(
    database: &Database<S>,
) {
    let hsts_of = async |options: Options| {
        let client = Client::with_options(database.open().await, options).await;
        let response = client.get("/login").await;
        response
            .headers
            .get(header::STRICT_TRANSPORT_SECURITY)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let expected = Some("max-age=31536000; includeSubDomains".to_string());
    let hsts = Options {
        hsts: true,
        ..Default::default()
    };
    assert_eq!(hsts_of(hsts).await, expected);
    let secure = Options {
        secure_cookies: true,
        ..Default::default()
    };
    assert_eq!(hsts_of(secure).await, expected);
    assert_eq!(
        hsts_of(Options::default()).await,
        None,
        "plain http://127.0.0.1 must not pin HTTPS"
    );
}

/// `%FF` is not UTF-8: axum's own form reader would store it as U+FFFD; every form refuses it.
async fn a_form_with_text_that_is_not_utf8_is_refused_and_nothing_is_saved<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, BEHEER]).await;
    let pro = client.sign_in("pro").await;
    let case = "case_ref=WEB-UTF8&reported_on=2025-05-01&children_count=2";

    for notes in [&b"notes=caf%FF"[..], b"notes=caf\xff", b"notes=%C3"] {
        let mut body = case.as_bytes().to_vec();
        body.push(b'&');
        body.extend_from_slice(notes);
        let refused = pro.post_bytes("/cases/new", &body).await;
        refused.assert_status(StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            "Het formulier bevat tekst die geen UTF-8 is (veld ‘notes’). Er is niets opgeslagen. Ga terug en typ de tekst opnieuw."
        );
    }
    assert!(!client.has_case("Straatalliantie", "WEB-UTF8").await);
    // Valid UTF-8, percent-encoded, is saved exactly.
    let saved = pro
        .post("/cases/new", &format!("{case}&notes=caf%C3%A9+%E2%82%AC"))
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let stored = client.store().case("Straatalliantie", "WEB-UTF8").await;
    assert_eq!(stored.unwrap().unwrap().notes.unwrap().as_str(), "café €");

    let admin = client.sign_in("beheer").await;
    let refused = admin
        .post_bytes("/admin/organisations", b"name=Buurt%FFteam")
        .await;
    refused.assert_status(StatusCode::BAD_REQUEST);
    refused.assert_contains("‘name’");
    assert!(!has_an_organisation_named(&client, "Buurt").await);
}

async fn control_characters_are_refused_in_forms_and_the_api_naming_the_field<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, BEHEER]).await;
    let pro = client.sign_in("pro").await;
    // A new case with these fields besides its date and number of children.
    let new_case = async |fields: &str| {
        let form = format!("reported_on=2025-05-01&children_count=2&{fields}");
        pro.post("/cases/new", &form).await
    };

    // The case form: the field is marked, the value shown escaped, nothing saved.
    let refused = new_case("case_ref=WEB%1B%5B2J&municipality=Ams%E2%80%AEterdam").await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("U+001B");
    refused.assert_contains("WEB\\u{1B}[2J");
    refused.assert_contains("U+202E");
    // What was typed stays in the inputs to be corrected; the messages carry it escaped.
    let outside_inputs = refused
        .body
        .replace("value=\"WEB\u{1b}[2J\"", "")
        .replace("value=\"Ams\u{202e}terdam\"", "");
    assert!(
        !outside_inputs.contains(['\u{1b}', '\u{202e}'].as_slice()),
        "no control character is echoed in a message: {outside_inputs}"
    );
    assert!(!client.has_case("Straatalliantie", "WEB\u{1b}[2J").await);
    // Line breaks and tabs stay allowed in notes.
    let saved = new_case("case_ref=WEB-NOTES&notes=een%0D%0A%09twee").await;
    saved.assert_status(StatusCode::SEE_OTHER);

    // The observation form echoes the refused date escaped.
    let observed = pro
        .record_stay("/cases/Straatalliantie/QS-01", "2025-06%07%1B", "car")
        .await;
    observed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    observed.assert_contains("2025-06\\u{7}\\u{1B}");
    assert!(!observed.body.contains(['\u{7}', '\u{1b}'].as_slice()));

    // The API: 422 with the JSON field and the escaped value.
    let token = client.api_token("pro").await;
    let (status, body) = client
        .api_put(
            "/api/v1/cases/Straatalliantie/API-CTRL",
            &token,
            serde_json::json!({"fields": {
                "reported_on": "2025-05-01",
                "children_count": "1",
                "notes": "ok\n\tok",
                "municipality": "Den\u{0}Haag",
            }}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let problems = body["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{body}");
    assert_eq!(problems[0]["field"], "municipality");
    assert_eq!(problems[0]["value"], "Den\\u{0}Haag");
    assert!(
        problems[0]["expected"]
            .as_str()
            .unwrap()
            .contains("found U+0000"),
        "{body}"
    );
    let (status, _) = client
        .api_put(
            "/api/v1/cases/Straatalliantie/API%E2%80%AECTRL",
            &token,
            a_new_case(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reference from the address too"
    );

    // An organisation name from the admin form.
    let admin = client.sign_in("beheer").await;
    let refused = admin
        .post("/admin/organisations", "name=Buurt%E2%80%AEteam")
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("U+202E");

    // The audit page shows a logged value escaped, as `dakwacht audit` does.
    client
        .store()
        .audit(
            &dakwacht_store::AuditEntry::new(&Actor::cli("test"), AuditAction::Import)
                .detail("lijst\u{202e}vsc.exe"),
        )
        .await
        .unwrap();
    let log = admin.get("/admin/audit").await;
    log.assert_contains("lijst\\u{202E}vsc.exe");
    assert!(!log.body.contains('\u{202e}'));
    assert!(!has_an_organisation_named(&client, "Buurt").await);
}

/// Every answer, page or API, asks the browser not to frame it, sniff it, cache it, send its
/// address on, or run anything but dakwacht's own scripts; signing out clears what the browser
/// kept of the pages.
async fn every_answer_sends_the_security_headers_and_signing_out_clears_the_browser<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let pro = client.sign_in("pro").await;
    let token = client.api_token("pro").await;
    let api = client
        .send(
            Request::get("/api/v1/cases")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    for (what, answer) in [
        ("the sign-in page", client.get("/login").await),
        ("the case list", pro.get("/cases").await),
        ("a case", pro.get("/cases/Straatalliantie/QS-01").await),
        ("a page that is not there", pro.get("/nergens").await),
        ("the API", api),
    ] {
        let header = |name: &str| {
            answer
                .headers
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let policy = header("content-security-policy");
        for part in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "form-action 'self'",
        ] {
            assert!(policy.contains(part), "{what}: {policy}");
        }
        assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
        assert_eq!(header("x-frame-options"), "DENY", "{what}");
        assert_eq!(header("cache-control"), "no-store", "{what}");
    }
    let out = pro.post("/logout", "").await;
    out.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(out.headers["clear-site-data"], "\"cache\", \"storage\"");
    // The pages keep no copy of earlier pages in the browser's storage.
    client
        .get("/login")
        .await
        .assert_contains("\"historyCacheSize\":0");
}

dakwacht_testkit::on_both_stores!(database: every_answer_sends_the_security_headers_and_signing_out_clears_the_browser, behind_https_the_session_cookie_is_secure, with_hsts_or_secure_cookies_every_answer_sends_strict_transport_security, a_form_with_text_that_is_not_utf8_is_refused_and_nothing_is_saved, control_characters_are_refused_in_forms_and_the_api_naming_the_field);
