//! The second factor and account security (ASVS 5.0 level 2): setting up an authenticator app,
//! signing in with its code or a recovery code (each once), the organisation's choice for its
//! professionals, ending an account's sessions, taking a lost factor away, the inactivity
//! timeout and the password policy.

use dakwacht_testkit::second_factor::{now, totp_code};
use dakwacht_testkit::web::{secret_of, session_token};

use super::prelude::*;

/// Form fields, encoded.
fn fields(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

/// The recovery codes a page shows once.
fn recovery_codes_of(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_string())
        .collect()
}

async fn an_administrator_sets_up_an_app_at_the_first_sign_in_and_then_needs_its_code<
    S: TestStore,
>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    client
        .add_user_without_second_factor("beheer", Role::Admin, None)
        .await;

    // The password alone opens only the page that sets up an app.
    let first = client.login(&credentials("beheer", PASSWORD), None).await;
    first.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(first.location.as_deref(), Some("/account/second-factor"));
    let waiting = session_token(&first);
    let half = client.session(&waiting).await;
    for path in ["/admin/users", "/admin/audit", "/login/code"] {
        let answer = half.get(path).await;
        assert_eq!(answer.location.as_deref(), Some("/login"), "{path}");
    }
    let page = half.get("/account/second-factor").await;
    page.assert_status(StatusCode::OK);
    page.assert_contains_all(&[
        "data:image/svg+xml;base64,",
        "moet inloggen met een tweede factor",
    ]);
    page.assert_lacks("current-password");
    // The same seed on a second look.
    assert_eq!(
        secret_of(&page.body),
        secret_of(&half.get("/account/second-factor").await.body)
    );

    // A wrong code is refused and audited.
    let wrong = client
        .send(
            Request::post("/account/second-factor")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("dakwacht_session={waiting}"))
                .body(Body::from(format!(
                    "csrf={}&code=000000",
                    csrf_of(&page.body)
                )))
                .unwrap(),
        )
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Deze code klopt niet");
    assert!(
        client
            .last_audit_line(AuditAction::SignInSecondFactorFailed)
            .await
            .contains("wrong code")
    );

    let (done, seed) = client.set_up_app(&waiting).await;
    done.assert_status(StatusCode::OK);
    done.assert_contains("Uw herstelcodes");
    let codes = recovery_codes_of(&done.body);
    assert_eq!(codes.len(), 10, "{}", done.body);
    let signed_in = session_token(&done);
    assert_ne!(
        signed_in, waiting,
        "a new token once every factor is checked"
    );
    assert_eq!(
        client
            .session(&waiting)
            .await
            .get("/admin/users")
            .await
            .location
            .as_deref(),
        Some("/login")
    );
    let admin = client.session(&signed_in).await;
    admin
        .get("/admin/users")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("ingesteld");
    assert!(
        client
            .last_audit_line(AuditAction::EnrolSecondFactor)
            .await
            .contains("10 recovery codes")
    );
    assert!(
        client
            .last_audit_line(AuditAction::SignIn)
            .await
            .contains("a new authenticator app")
    );

    // Next time: the password, then the code of the app. The step the app was set up with is
    // used; the next one works, once.
    let code = totp_code(&seed, now() + 30);
    let second = client.login(&credentials("beheer", PASSWORD), None).await;
    assert_eq!(second.location.as_deref(), Some("/login/code"));
    assert!(
        client
            .last_audit_line(AuditAction::SignInPassword)
            .await
            .contains("code of the authenticator app is to come")
    );
    let waiting = session_token(&second);
    client
        .session(&waiting)
        .await
        .get("/login/code")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("one-time-code");
    let wrong = client.give_code(&waiting, "123456").await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    wrong.assert_contains("klopt niet");
    let right = client.give_code(&waiting, &code).await;
    right.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(right.location.as_deref(), Some("/"));
    let token = session_token(&right);
    assert_ne!(token, waiting);
    client
        .session(&token)
        .await
        .get("/admin/users")
        .await
        .assert_status(StatusCode::OK);
    assert!(
        client
            .last_audit_line(AuditAction::SignIn)
            .await
            .contains("password and authenticator code")
    );

    // The same code again is refused: a code works once.
    let replay = client.login(&credentials("beheer", PASSWORD), None).await;
    let replayed = client.give_code(&session_token(&replay), &code).await;
    replayed.assert_status(StatusCode::UNAUTHORIZED);

    // A recovery code works once, typed in capitals or without dashes.
    let recovery = codes[0].to_uppercase().replace('-', "");
    let third = client.login(&credentials("beheer", PASSWORD), None).await;
    client
        .give_code(&session_token(&third), &recovery)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        client
            .last_audit_line(AuditAction::SignIn)
            .await
            .contains("recovery code (9 left)")
    );
    let fourth = client.login(&credentials("beheer", PASSWORD), None).await;
    client
        .give_code(&session_token(&fourth), &codes[0])
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

async fn the_api_takes_the_code_with_the_password<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[COORD, PRO]).await;
    client
        .add_user_without_second_factor("nieuw", Role::Admin, None)
        .await;
    let session = |username: &str, code: Option<&str>| {
        let mut body = json!({"username": username, "password": PASSWORD});
        if let Some(code) = code {
            body["code"] = json!(code);
        }
        body
    };
    let (status, body) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(session("coord", None)),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        client
            .last_audit_line(AuditAction::SignInSecondFactorFailed)
            .await
            .contains("no code")
    );
    let code = dakwacht_testkit::second_factor::next_recovery_code();
    let (status, body) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(session("coord", Some(&code))),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(session("coord", Some(&code))),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a recovery code works once"
    );
    // An account that needs a factor it has not set up is sent to the pages.
    let (status, body) = client
        .api(
            "POST",
            "/api/v1/session",
            None,
            Some(session("nieuw", None)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"], "second_factor_needed", "{body}");
    // A professional without one signs in with the password alone.
    let (status, _) = client
        .api("POST", "/api/v1/session", None, Some(session("pro", None)))
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_organisation_asks_a_second_factor_of_its_professionals<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[COORD, PRO, PRO_B]).await;
    let coordinator = client.sign_in("coord").await;
    let users = coordinator.get("/admin/users").await;
    users.assert_contains("Straatalliantie: professionals kiezen zelf");
    // A professional may set one up by choice, proving the password again.
    let pro = client.sign_in("pro").await;
    let page = pro.get("/account/second-factor").await;
    page.assert_contains("current-password");
    let refused = pro
        .post(
            "/account/second-factor",
            &fields(&[("code", "000000"), ("current", "niet het wachtwoord")]),
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Het huidige wachtwoord klopt niet");

    // The coordinator makes it required; another organisation's is not theirs.
    coordinator
        .post(
            "/admin/organisations/Straatalliantie/second-factor",
            &fields(&[("required", "yes")]),
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    coordinator
        .get("/admin/users")
        .await
        .assert_contains("Straatalliantie: professionals moeten een tweede factor gebruiken")
        .assert_contains("nodig, nog niet ingesteld");
    assert_eq!(
        coordinator
            .post(
                "/admin/organisations/Stichting%20Kernkracht/second-factor",
                &fields(&[("required", "yes")])
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert!(
        client
            .last_audit_line(AuditAction::SecondFactorPolicy)
            .await
            .contains("professionals need a second factor")
    );

    // The next sign-in of the professional sets up an app first; another organisation's
    // professional signs in as before.
    let next = client.login(&credentials("pro", PASSWORD), None).await;
    assert_eq!(next.location.as_deref(), Some("/account/second-factor"));
    let other = client.login(&credentials("pro.b", PASSWORD), None).await;
    assert_eq!(other.location.as_deref(), Some("/"));
}

async fn administrators_end_sessions_and_take_a_lost_factor_away<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO, PRO_B]).await;
    let admin = client.sign_in("beheer").await;
    let coordinator = client.sign_in("coord").await;
    let pro = client.sign_in("pro").await;
    let pro_b = client.sign_in("pro.b").await;
    pro.get("/cases").await.assert_status(StatusCode::OK);

    let ended = coordinator.post("/admin/users/pro/end-sessions", "").await;
    ended.assert_status(StatusCode::OK);
    ended.assert_contains("Alle sessies van pro zijn beëindigd");
    ended.assert_contains("Er was 1 sessie");
    assert_eq!(pro.get("/cases").await.location.as_deref(), Some("/login"));
    assert!(
        client
            .last_audit_line(AuditAction::EndSessions)
            .await
            .contains("pro: 1 sessions ended")
    );
    // Another organisation's account is not found; one's own session ends by signing out.
    assert_eq!(
        coordinator
            .post("/admin/users/pro.b/end-sessions", "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    pro_b.get("/cases").await.assert_status(StatusCode::OK);
    coordinator
        .post("/admin/users/coord/end-sessions", "")
        .await
        .assert_contains("Uw eigen sessie");

    // The coordinator lost the phone: the administrator asks first, then takes the factor away.
    admin
        .get("/admin/users/coord/second-factor")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("terug te bellen");
    admin
        .post("/admin/users/coord/second-factor", "")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains("De tweede factor van coord is ingetrokken");
    assert_eq!(
        coordinator.get("/admin/users").await.location.as_deref(),
        Some("/login")
    );
    assert!(
        client
            .last_audit_line(AuditAction::ResetSecondFactor)
            .await
            .contains("coord")
    );
    let next = client.login(&credentials("coord", PASSWORD), None).await;
    assert_eq!(next.location.as_deref(), Some("/account/second-factor"));
    // Not one's own, and not from another organisation.
    admin
        .post("/admin/users/beheer/second-factor", "")
        .await
        .assert_contains("Uw eigen tweede factor");
}

/// Everybody signs in again at once (ASVS 5.0, 7.4.5): a coordinator ends the sessions of the
/// own organisation's accounts, an administrator those of all; the one asking stays signed in,
/// and it is asked first and audited.
async fn every_session_but_the_own_ends_at_once<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO, PRO_B]).await;
    let admin = client.sign_in("beheer").await;
    let coordinator = client.sign_in("coord").await;
    let pro = client.sign_in("pro").await;
    let pro_b = client.sign_in("pro.b").await;

    coordinator
        .get("/admin/users")
        .await
        .assert_contains("<a href=\"/admin/sessions/end-all\">Alle sessies beëindigen…</a>");
    coordinator
        .get("/admin/sessions/end-all")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains_all(&[
            "<h1>Alle sessies beëindigen</h1>",
            "Iedereen van Straatalliantie die nu is ingelogd",
            "<form method=\"post\" action=\"/admin/sessions/end-all\">",
        ]);
    coordinator
        .post("/admin/sessions/end-all", "")
        .await
        .assert_status(StatusCode::OK)
        .assert_contains_all(&[
            "Alle sessies zijn beëindigd, behalve de uwe",
            "1 sessie is beëindigd.",
        ]);
    assert_eq!(pro.get("/cases").await.location.as_deref(), Some("/login"));
    pro_b.get("/cases").await.assert_status(StatusCode::OK);
    coordinator
        .get("/admin/users")
        .await
        .assert_status(StatusCode::OK);
    let audited = client.last_audit_line(AuditAction::EndSessions).await;
    assert!(
        audited.contains("every account: 1 sessions ended"),
        "{audited}"
    );

    admin
        .post("/admin/sessions/end-all", "")
        .await
        .assert_contains("2 sessies zijn beëindigd.");
    assert_eq!(
        pro_b.get("/cases").await.location.as_deref(),
        Some("/login")
    );
    assert_eq!(
        coordinator.get("/admin/users").await.location.as_deref(),
        Some("/login")
    );
    admin
        .get("/admin/users")
        .await
        .assert_status(StatusCode::OK);

    // Not for a professional.
    let pro = client.sign_in("pro").await;
    assert_eq!(
        pro.post("/admin/sessions/end-all", "").await.status,
        StatusCode::FORBIDDEN
    );
    pro.get("/cases").await.assert_status(StatusCode::OK);
}

/// A password reset (ASVS 5.0, 6.4.3) does not go around the second factor: the new password
/// still needs the code.
async fn a_password_reset_keeps_the_second_factor<S: TestStore>(database: &Database<S>) {
    const COORD2: Account = Account::new("coord2", Role::Coordinator, Some("Straatalliantie"));
    let client = Client::with_accounts(database, &[COORD, COORD2]).await;
    let coordinator = client.sign_in("coord").await;
    let reset = coordinator.post("/admin/users/coord2/reset", "").await;
    reset.assert_status(StatusCode::OK);
    let link = activation_link(&reset.body);
    client
        .activate(&link, "een heel ander nieuw geheim")
        .await
        .assert_status(StatusCode::OK);
    let next = client
        .login(&credentials("coord2", "een heel ander nieuw geheim"), None)
        .await;
    next.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(next.location.as_deref(), Some("/login/code"));
}

async fn a_session_left_alone_ends<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO]).await;
    let pro = client.sign_in("pro").await;
    pro.get("/cases").await.assert_status(StatusCode::OK);
    // Used 29 minutes ago: still open (and noted as used now).
    database
        .execute(&format!(
            "UPDATE sessions SET last_seen_at = '{}'",
            jiff::Timestamp::now() - jiff::SignedDuration::from_mins(29)
        ))
        .await;
    pro.get("/cases").await.assert_status(StatusCode::OK);
    // Left alone for 31 minutes: ended, though its eight hours are not over.
    database
        .execute(&format!(
            "UPDATE sessions SET last_seen_at = '{}'",
            jiff::Timestamp::now() - jiff::SignedDuration::from_mins(31)
        ))
        .await;
    assert_eq!(pro.get("/cases").await.location.as_deref(), Some("/login"));
}

async fn common_and_guessable_passwords_are_refused<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO_A]).await;
    let pro = client.sign_in("pro.a").await;
    for (chosen, said) in [
        ("qwerty123456", "veelgebruikte wachtwoorden"),
        ("ik-ben-PRO.A-en-blijf-het", "gebruikersnaam"),
        ("mijn dakwacht wachtwoord", "gebruikersnaam"),
        (&"x".repeat(129), "hoogstens 128 tekens"),
    ] {
        let answer = pro
            .post(
                "/account/password",
                &fields(&[
                    ("current", PASSWORD),
                    ("password", chosen),
                    ("password_again", chosen),
                ]),
            )
            .await;
        answer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        answer.assert_contains(said);
    }
    // 128 characters of anything are fine.
    let long = "é".repeat(128);
    pro.post(
        "/account/password",
        &fields(&[
            ("current", PASSWORD),
            ("password", &long),
            ("password_again", &long),
        ]),
    )
    .await
    .assert_status(StatusCode::OK);
}

dakwacht_testkit::on_both_stores!(database: an_administrator_sets_up_an_app_at_the_first_sign_in_and_then_needs_its_code, the_api_takes_the_code_with_the_password, an_organisation_asks_a_second_factor_of_its_professionals, administrators_end_sessions_and_take_a_lost_factor_away, every_session_but_the_own_ends_at_once, a_password_reset_keeps_the_second_factor, a_session_left_alone_ends, common_and_guessable_passwords_are_refused);
