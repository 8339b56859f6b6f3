//! Accounts people run themselves: changing the own password, a password reset through a
//! one-use link, enabling a disabled account again after a confirmation, and a new account's
//! role that defaults to the least privileged one.

use super::prelude::*;

const NEW: &str = "een nieuw en lang wachtwoord";

fn change(current: &str, new: &str, again: &str) -> String {
    let plus = |text: &str| text.replace(' ', "+");
    format!(
        "current={}&password={}&password_again={}",
        plus(current),
        plus(new),
        plus(again)
    )
}

async fn a_user_changes_the_own_password_and_every_other_session_ends<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO, ONDERZOEK, BEHEER]).await;
    let pro = client.sign_in("pro").await;
    let elsewhere = client.sign_in("pro").await;
    let token = client.api_token("pro").await;

    // Reachable from the menu of every kind of user.
    let researcher = client.sign_in("onderzoek").await;
    let admin = client.sign_in("beheer").await;
    for (session, page, link) in [
        (
            &pro,
            "/cases",
            "<a href=\"/account/password\">Wachtwoord wijzigen</a>",
        ),
        (&researcher, "/dashboard", "href=\"/account/password\""),
        (&admin, "/admin/users", "href=\"/account/password\""),
    ] {
        session.get(page).await.assert_contains(link);
    }
    researcher
        .form_page(
            "/account/password",
            &[
                "autocomplete=\"current-password\"",
                "name=\"password_again\"",
                "href=\"/dashboard\"",
            ],
        )
        .await;
    assert_eq!(
        client.get("/account/password").await.status,
        StatusCode::SEE_OTHER,
        "signed in only"
    );

    // The current password first; the new one twice alike and at least 12 characters.
    for (form, why) in [
        (
            change("geraden", NEW, NEW),
            "Het huidige wachtwoord klopt niet",
        ),
        (
            change(PASSWORD, NEW, "iets heel anders dan dat"),
            "niet gelijk",
        ),
        (change(PASSWORD, "kort", "kort"), "minstens 12"),
    ] {
        let refused = pro.post("/account/password", &form).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        refused.assert_contains(why);
    }
    pro.post_forged("/account/password", &change(PASSWORD, NEW, NEW))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert!(
        client.sign_in_refused("pro", NEW).await,
        "nothing changed yet"
    );

    let changed = pro
        .post("/account/password", &change(PASSWORD, NEW, NEW))
        .await;
    changed.assert_status(StatusCode::OK);
    changed.assert_contains("Uw wachtwoord is gewijzigd");
    // This session stays; the other browser and the API token are out.
    pro.get("/cases").await.assert_status(StatusCode::OK);
    assert_eq!(elsewhere.get("/cases").await.status, StatusCode::SEE_OTHER);
    let (status, _) = client.api_get("/api/v1/cases", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(client.sign_in_refused("pro", PASSWORD).await);
    client.sign_in_with("pro", NEW).await;

    let actions: Vec<AuditAction> = client
        .audit(AuditFilter {
            actor: Some("user:pro".into()),
            ..AuditFilter::default()
        })
        .await
        .iter()
        .map(|r| r.entry.action)
        .collect();
    assert!(
        actions.contains(&AuditAction::ChangePassword),
        "{actions:?}"
    );
    assert!(
        actions.contains(&AuditAction::ChangePasswordFailed),
        "{actions:?}"
    );
}

async fn a_coordinator_or_administrator_resets_a_password_with_a_one_use_link<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO_A, PRO_B, ONDERZOEK]).await;
    let pro_a = client.sign_in("pro.a").await;
    let coord = client.sign_in("coord").await;

    // Offered in the list, asked once more before anything happens.
    let users = coord.get("/admin/users").await;
    users.assert_contains("href=\"/admin/users/pro.a/reset\"");
    users.assert_lacks("href=\"/admin/users/coord/reset\"");
    coord
        .form_page(
            "/admin/users/pro.a/reset",
            &[
                "Wachtwoord van ‘pro.a’ opnieuw instellen?",
                "action=\"/admin/users/pro.a/reset\"",
                "href=\"/admin/users\"",
            ],
        )
        .await;
    pro_a.get("/cases").await.assert_status(StatusCode::OK);

    // Done: the old password and every session of the account stop at once.
    let reset = coord.post("/admin/users/pro.a/reset", "").await;
    reset.assert_status(StatusCode::OK);
    reset.assert_contains("Het wachtwoord van ‘pro.a’ werkt niet meer");
    let link = activation_link(&reset.body);
    assert_eq!(pro_a.get("/cases").await.status, StatusCode::SEE_OTHER);
    assert!(client.sign_in_refused("pro.a", PASSWORD).await);
    coord
        .get("/admin/users")
        .await
        .assert_contains("nog niet geactiveerd");
    // The link sets the new password, once.
    client
        .activate(&link, NEW)
        .await
        .assert_status(StatusCode::OK);
    client.sign_in_with("pro.a", NEW).await;
    assert_eq!(client.get(&link).await.status, StatusCode::GONE);

    // Not the own password (changed knowing it), not another organisation's, not by a
    // professional.
    let yourself = coord.post("/admin/users/coord/reset", "").await;
    yourself.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    yourself.assert_contains("Uw eigen wachtwoord wijzigt u");
    assert_eq!(
        coord.post("/admin/users/pro.b/reset", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        coord.get("/admin/users/pro.b/reset").await.status,
        StatusCode::NOT_FOUND
    );
    let pro_a = client.sign_in_with("pro.a", NEW).await;
    assert_eq!(
        pro_a.post("/admin/users/coord/reset", "").await.status,
        StatusCode::FORBIDDEN
    );

    // An administrator: a researcher's at once; never a link into case content where a
    // coordinator decides, nor where the account is the organisation's only coordinator.
    let admin = client.sign_in("beheer").await;
    let researcher = admin.post("/admin/users/onderzoek/reset", "").await;
    researcher.assert_status(StatusCode::OK);
    assert!(researcher.body.contains("/activate/"));
    let professional = admin.post("/admin/users/pro.a/reset", "").await;
    professional.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    professional.assert_contains("alleen die stelt het wachtwoord");
    let coordinator = admin.post("/admin/users/coord/reset", "").await;
    coordinator.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    coordinator.assert_contains("geen andere actieve coördinator");
    client.sign_in_with("pro.a", NEW).await;
    client.sign_in("coord").await;

    let resets = client.audit_lines(AuditAction::ResetPassword).await;
    assert_eq!(resets.len(), 2, "{resets:?}");
}

/// Whether the accounts page offers `session` to enable the account `username` again.
async fn offers_to_enable<S: Store>(session: &Session<'_, S>, username: &str) -> bool {
    let users = session.get("/admin/users").await;
    users.assert_status(StatusCode::OK);
    let link = format!("href=\"/admin/users/{username}/enable\"");
    users.body.contains(&link)
}

async fn a_disabled_account_is_enabled_again_after_a_confirmation<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO_A, PRO_B]).await;
    let coord = client.sign_in("coord").await;
    coord
        .post("/admin/users/pro.a/disable", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(client.sign_in_refused("pro.a", PASSWORD).await);

    assert!(offers_to_enable(&coord, "pro.a").await);
    coord
        .form_page(
            "/admin/users/pro.a/enable",
            &[
                "‘pro.a’ weer inschakelen?",
                "action=\"/admin/users/pro.a/enable\"",
                "Ja, weer inschakelen",
            ],
        )
        .await;
    assert!(
        client.sign_in_refused("pro.a", PASSWORD).await,
        "asking changes nothing"
    );
    coord
        .post_forged("/admin/users/pro.a/enable", "")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    coord
        .post("/admin/users/pro.a/enable", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    client.sign_in("pro.a").await;
    assert!(!offers_to_enable(&coord, "pro.a").await, "enabled already");

    // Another organisation's account is not in reach; a professional may not.
    let admin = client.sign_in("beheer").await;
    admin
        .post("/admin/users/pro.b/disable", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        coord.post("/admin/users/pro.b/enable", "").await.status,
        StatusCode::NOT_FOUND
    );
    let pro_a = client.sign_in("pro.a").await;
    assert_eq!(
        pro_a.post("/admin/users/pro.b/enable", "").await.status,
        StatusCode::FORBIDDEN
    );
    admin
        .post("/admin/users/pro.b/enable", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    client.sign_in("pro.b").await;

    // A coordinator's rejection stands: a rejected account is never offered nor enabled.
    admin
        .make_account("afgewezen", Role::Professional, Some("Straatalliantie"))
        .await;
    coord
        .post("/admin/users/afgewezen/reject", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(!offers_to_enable(&coord, "afgewezen").await, "rejected");
    assert_eq!(
        coord.post("/admin/users/afgewezen/enable", "").await.status,
        StatusCode::NOT_FOUND
    );

    let enabled: Vec<String> = client.audit_lines(AuditAction::EnableUser).await;
    assert_eq!(enabled.len(), 2, "{enabled:?}");
}

async fn a_new_account_defaults_to_the_least_privileged_role<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[BEHEER, COORD]).await;
    let role_options = |page: &str| -> Vec<String> {
        let start = page.find("<select id=\"new-role\"").unwrap();
        let end = start + page[start..].find("</select>").unwrap();
        page[start..end]
            .split("<option ")
            .skip(1)
            .map(|option| option.split('>').next().unwrap().to_string())
            .collect()
    };
    let admin = client.sign_in("beheer").await;
    let options = role_options(&admin.get("/admin/users").await.body);
    assert_eq!(
        options,
        [
            "value=\"researcher\" selected",
            "value=\"professional\"",
            "value=\"coordinator\"",
            "value=\"admin\"",
        ]
    );
    let coord = client.sign_in("coord").await;
    let options = role_options(&coord.get("/admin/users").await.body);
    assert_eq!(
        options,
        ["value=\"professional\" selected", "value=\"coordinator\""]
    );
}

/// The id a session goes by on `/account/sessions`: the start of its token's hash.
fn session_id(token: &str) -> String {
    dakwacht_web::token_hash(token)[..16].to_string()
}

/// The session ids a page offers to end.
fn offered(body: &str) -> Vec<String> {
    body.match_indices("name=\"end\" value=\"")
        .map(|(at, found)| {
            let rest = &body[at + found.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

async fn a_user_sees_the_own_sessions_and_ends_chosen_ones<S: TestStore>(database: &Database<S>) {
    let client = Client::with_accounts(database, &[PRO, PRO_B, ONDERZOEK]).await;
    let pro = client.sign_in("pro").await;
    let elsewhere = client.sign_in("pro").await;
    let token = client.api_token("pro").await;
    let other_user = client.sign_in("pro.b").await;

    // Reachable from the menu; signed in only.
    pro.get("/cases")
        .await
        .assert_contains("<a href=\"/account/sessions\">Sessies</a>");
    client
        .sign_in("onderzoek")
        .await
        .get("/dashboard")
        .await
        .assert_contains("href=\"/account/sessions\"");
    assert_eq!(
        client.get("/account/sessions").await.status,
        StatusCode::SEE_OTHER
    );

    // Three sessions: this one (ended by signing out), another browser and the API key.
    let page = pro.get("/account/sessions").await;
    page.assert_status(StatusCode::OK);
    page.assert_contains_all(&[
        "<h1>Waar u bent ingelogd</h1>",
        "<strong>Deze sessie</strong>",
        "<th scope=\"row\">API-sleutel<br>",
        "Alle andere sessies beëindigen",
    ]);
    let elsewhere_id = session_id(&elsewhere.token);
    let ids = offered(&page.body);
    assert_eq!(
        ids.len(),
        3,
        "the other browser, the API key, all others: {ids:?}"
    );
    assert!(ids.contains(&elsewhere_id) && ids.contains(&"others".to_string()));
    assert!(!ids.contains(&session_id(&pro.token)), "not this one");
    // Never a token or a whole hash.
    for secret in [&pro.token, &elsewhere.token, &token] {
        page.assert_lacks(secret);
        page.assert_lacks(&dakwacht_web::token_hash(secret));
    }
    page.assert_lacks(&session_id(&other_user.token));

    // A forged form ends nothing.
    pro.post_forged("/account/sessions", &format!("end={elsewhere_id}"))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    elsewhere.get("/cases").await.assert_status(StatusCode::OK);

    // Neither this session, nor another user's, nor an id of the wrong length.
    for id in [
        session_id(&pro.token),
        session_id(&other_user.token),
        String::new(),
        elsewhere_id[..4].to_string(),
    ] {
        let refused = pro.post("/account/sessions", &format!("end={id}")).await;
        assert_eq!(
            refused.location.as_deref(),
            Some("/account/sessions?ended=0"),
            "{id}"
        );
    }
    pro.get("/cases").await.assert_status(StatusCode::OK);
    other_user.get("/cases").await.assert_status(StatusCode::OK);
    elsewhere.get("/cases").await.assert_status(StatusCode::OK);

    // The other browser, chosen: it is signed out; this one and the API key stay.
    let ended = pro
        .post("/account/sessions", &format!("end={elsewhere_id}"))
        .await;
    assert_eq!(ended.location.as_deref(), Some("/account/sessions?ended=1"));
    pro.get("/account/sessions?ended=1")
        .await
        .assert_contains("1 sessie beëindigd.");
    assert_eq!(elsewhere.get("/cases").await.status, StatusCode::SEE_OTHER);
    let (status, _) = client.api_get("/api/v1/cases", &token).await;
    assert_eq!(status, StatusCode::OK);

    // All others: the API key too; this session and the other user's stay.
    let all = pro.post("/account/sessions", "end=others").await;
    assert_eq!(all.location.as_deref(), Some("/account/sessions?ended=1"));
    let (status, _) = client.api_get("/api/v1/cases", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    pro.get("/cases").await.assert_status(StatusCode::OK);
    other_user.get("/cases").await.assert_status(StatusCode::OK);
    let alone = pro.in_english().get("/account/sessions").await;
    alone.assert_contains("<strong>This session</strong>");
    alone.assert_lacks("End all other sessions");
    assert!(offered(&alone.body).is_empty());

    // Each ending is in the audit log; looking is not.
    let ends: Vec<String> = client
        .audit(AuditFilter {
            actor: Some("user:pro".into()),
            action: Some(AuditAction::EndSessions),
            ..AuditFilter::default()
        })
        .await
        .iter()
        .filter_map(|r| r.entry.detail.clone())
        .collect();
    assert_eq!(
        ends,
        ["pro: 1 own sessions ended", "pro: 1 own sessions ended"],
        "newest first"
    );
}

dakwacht_testkit::on_both_stores!(
    database: a_user_changes_the_own_password_and_every_other_session_ends,
    a_user_sees_the_own_sessions_and_ends_chosen_ones,
    a_coordinator_or_administrator_resets_a_password_with_a_one_use_link,
    a_disabled_account_is_enabled_again_after_a_confirmation,
    a_new_account_defaults_to_the_least_privileged_role,
);
