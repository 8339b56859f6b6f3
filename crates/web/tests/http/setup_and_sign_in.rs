//! First-run setup, signing in and out, and what slows guessing down.

use super::prelude::*;

async fn first_run_setup_makes_one_administrator_once<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let path = client.state.setup_path().unwrap();
    assert!(client.get("/").await.body.contains("nog niet ingesteld"));
    assert_eq!(
        client.get("/setup/wrong").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(client.get(&path).await.status, StatusCode::OK);

    let mismatch = client.post(&path, "username=beheer&password=een+lange+zin+als+wachtwoord&password_again=iets+anders+dan+dat")
        .await;
    mismatch.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    mismatch.assert_contains("niet gelijk");
    let short = client
        .post(&path, "username=beheer&password=kort&password_again=kort")
        .await;
    short.assert_contains("minstens 12 en hoogstens 128 tekens");

    let made = client.post(&path, "username=Beheer&password=een+lange+zin+als+wachtwoord&password_again=een+lange+zin+als+wachtwoord")
        .await;
    made.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(made.location.as_deref(), Some("/login"));
    assert!(client.state.setup_path().is_none());
    assert_eq!(
        client.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "the link works once"
    );

    let users = client.store().users(None).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        (users[0].username.as_str(), users[0].role),
        ("beheer", Role::Admin)
    );

    // The administrator manages accounts, not cases.
    let admin = client.sign_in("beheer").await;
    assert_eq!(admin.get("/cases").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.get("/cases/Straatalliantie/QS-01").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn wrong_passwords_slow_the_name_down_but_never_lock_its_user_out<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let right = credentials("pro", PASSWORD);
    let unknown = client
        .login("username=niemand&password=whatever12345", None)
        .await;
    unknown.assert_status(StatusCode::UNAUTHORIZED);
    unknown.assert_contains("klopt niet");
    for _ in 0..3 {
        let wrong = client
            .login(
                "username=pro&password=verkeerd+wachtwoord",
                Some("203.0.113.7:50000"),
            )
            .await;
        wrong.assert_status(StatusCode::UNAUTHORIZED);
        assert!(wrong.cookie.is_none());
    }
    // Three failures are free; then the name waits 2 seconds, even with the right password and
    // from another address, and is told so.
    let slowed = client.login(&right, Some("198.51.100.1:50000")).await;
    slowed.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(slowed.retry_after.as_deref(), Some("2"));
    assert!(
        slowed.body.contains("Probeer het over") && slowed.body.contains("2"),
        "{}",
        slowed.body
    );
    assert!(slowed.cookie.is_none());
    let in_english = client
        .send(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"username": "pro", "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    in_english.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(in_english.retry_after.is_some());
    assert!(
        in_english.body.contains("\"error\":\"throttled\"")
            && in_english.body.contains("try again in"),
        "{}",
        in_english.body
    );

    // After the wait the real user gets in, whatever someone else tried.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let signed_in = client.login(&right, Some("198.51.100.1:50000")).await;
    signed_in.assert_status(StatusCode::SEE_OTHER);

    // Audited: each failure (the account's, and the unknown name without its text), the
    // slow-down, the sign-in; never a password.
    let failed = client.audit_lines(AuditAction::SignInFailed).await;
    assert_eq!(
        failed,
        [
            "anonymous | web: unknown user name",
            "user:pro | web: wrong password",
            "user:pro | web: wrong password",
            "user:pro | web: wrong password; next attempt after 2 s",
        ]
    );
    let throttled = client.audit_lines(AuditAction::SignInThrottled).await;
    assert_eq!(
        throttled.len(),
        1,
        "one line per wait, not per refused attempt: {throttled:?}"
    );
    assert!(throttled[0].starts_with("user:pro | web: refused without checking the password, too many failures for this user name"), "{throttled:?}");
    assert_eq!(client.audit_lines(AuditAction::SignIn).await.len(), 1);
    let log = client.whole_audit_log().await;
    for secret in [
        "niemand",
        "whatever12345",
        "verkeerd",
        "wachtwoord",
        "203.0.113",
        "198.51.100",
    ] {
        assert!(!log.contains(secret), "{secret} is in the audit log: {log}");
    }

    // A disabled account cannot sign in at all.
    client
        .add_user("oud", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .store()
        .disable_user(&Actor::cli("test"), "oud")
        .await
        .unwrap();
    let disabled = client
        .login("username=oud&password=een+lange+zin+als+wachtwoord", None)
        .await;
    disabled.assert_status(StatusCode::UNAUTHORIZED);
}

async fn an_address_that_keeps_guessing_is_slowed_down_whatever_the_name<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let right = credentials("pro", PASSWORD);
    for i in 0..10 {
        let wrong = client
            .login(
                &format!("username=naam{i}&password=verkeerd+wachtwoord"),
                Some("203.0.113.7:40000"),
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let slowed = client.login(&right, Some("203.0.113.7:40001")).await;
    slowed.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(slowed.retry_after.as_deref(), Some("2"));
    // Another address, and a request without a known address, are not held up by it.
    let elsewhere = client.login(&right, Some("198.51.100.1:40000")).await;
    elsewhere.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        client.login(&right, None).await.status,
        StatusCode::SEE_OTHER
    );
    let throttled = client.audit_lines(AuditAction::SignInThrottled).await;
    assert_eq!(throttled.len(), 1, "{throttled:?}");
    assert!(throttled[0].contains("for this address"), "{throttled:?}");
    assert!(!throttled[0].contains("203.0.113"), "no address in the log");
}

async fn overlong_user_names_are_refused_and_nothing_is_kept_for_failures_without_end<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let long_name = "a".repeat(100_000);
    let refused = client
        .login(
            &format!("username={long_name}&password=whatever12345"),
            None,
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("hoogstens 64 tekens");
    assert!(
        !refused.body.contains(&long_name[..100]),
        "not repeated back"
    );
    let (status, body) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(serde_json::json!({"username": long_name, "password": "whatever12345"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["message"].as_str().unwrap().contains("at most 64"),
        "{body}"
    );
    assert_eq!(client.throttled_entries(), 0, "nothing kept");

    // However many names fail, the throttle keeps at most its maximum.
    let limits = dakwacht_web::ThrottleLimits {
        max_entries: 5,
        ..dakwacht_web::ThrottleLimits::PER_NAME
    };
    let client = Client::with_throttle(
        client.store().clone(),
        dakwacht_web::SignInThrottle::new(limits, limits),
    )
    .await;
    for i in 0..20 {
        let name = "b".repeat(40) + &i.to_string();
        client
            .login(
                &format!("username={name}&password=whatever12345"),
                Some(&format!("203.0.113.{i}:1000")),
            )
            .await;
    }
    assert!(client.throttled_entries() <= 10);
}

async fn the_sign_in_form_carries_a_csrf_token_in_a_field_and_a_cookie<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let right = credentials("pro", PASSWORD);
    let page = client.get("/login").await;
    let token = csrf_of(&page.body);
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("dakwacht_login_csrf="))
        .unwrap()
        .clone();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert_eq!(
        login_csrf_cookie(&page),
        format!("dakwacht_login_csrf={token}")
    );

    // Another site's form: no token, or a token without the cookie (SameSite=Strict keeps the
    // cookie from being sent along), or a cookie with another token.
    let post = |body: String, cookie: Option<String>| {
        let mut request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    };
    let forged = [
        post(right.clone(), None),
        post(format!("csrf={token}&{right}"), None),
        post(
            format!("csrf={}&{right}", "x".repeat(43)),
            Some(format!("dakwacht_login_csrf={token}")),
        ),
        post(right.clone(), Some(format!("dakwacht_login_csrf={token}"))),
    ];
    for request in forged {
        let refused = client.send(request).await;
        refused.assert_status(StatusCode::FORBIDDEN);
        assert!(refused.cookie.is_none(), "no session");
        refused.assert_contains("inlogformulier is verlopen");
        assert!(
            refused.body.contains("name=\"csrf\""),
            "a fresh form to try again"
        );
    }
    // The forged attempts were not even counted as failures.
    assert_eq!(client.throttled_entries(), 0);

    // The page's own form signs in, and the form token is then cleared.
    let signed_in = client
        .send(post(
            format!("csrf={token}&{right}"),
            Some(format!("dakwacht_login_csrf={token}")),
        ))
        .await;
    signed_in.assert_status(StatusCode::SEE_OTHER);
    assert!(signed_in.cookie.is_some());
    assert!(
        signed_in
            .set_cookies
            .iter()
            .any(|c| c.starts_with("dakwacht_login_csrf=;")
                || c.contains("dakwacht_login_csrf=; ")
                || (c.starts_with("dakwacht_login_csrf=") && c.contains("Max-Age=0"))),
        "{:?}",
        signed_in.set_cookies
    );
}

dakwacht_testkit::on_both_stores!(database: first_run_setup_makes_one_administrator_once, wrong_passwords_slow_the_name_down_but_never_lock_its_user_out, an_address_that_keeps_guessing_is_slowed_down_whatever_the_name, overlong_user_names_are_refused_and_nothing_is_kept_for_failures_without_end, the_sign_in_form_carries_a_csrf_token_in_a_field_and_a_cookie);
