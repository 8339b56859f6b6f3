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
    pro.get("/cases")
        .await
        .assert_contains("<a href=\"/account/password\">Wachtwoord wijzigen</a>");
    let researcher = client.sign_in("onderzoek").await;
    researcher
        .get("/dashboard")
        .await
        .assert_contains("href=\"/account/password\"");
    let admin = client.sign_in("beheer").await;
    admin
        .get("/admin/users")
        .await
        .assert_contains("href=\"/account/password\"");
    let form = researcher.get("/account/password").await;
    form.assert_status(StatusCode::OK);
    form.assert_contains_all(&[
        "autocomplete=\"current-password\"",
        "name=\"password_again\"",
        "href=\"/dashboard\"",
    ]);
    assert_eq!(csrf_of(&form.body), researcher.csrf);
    assert_eq!(
        client.get("/account/password").await.status,
        StatusCode::SEE_OTHER,
        "signed in only"
    );

    // The current password first; the new one twice alike and at least 12 characters.
    let wrong = pro
        .post("/account/password", &change("geraden", NEW, NEW))
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Het huidige wachtwoord klopt niet");
    let differ = pro
        .post(
            "/account/password",
            &change(PASSWORD, NEW, "iets heel anders dan dat"),
        )
        .await;
    differ.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    differ.assert_contains("niet gelijk");
    let short = pro
        .post("/account/password", &change(PASSWORD, "kort", "kort"))
        .await;
    short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    short.assert_contains("minstens 12");
    let forged = pro
        .post_raw(
            "/account/password",
            format!("csrf=vals&{}", change(PASSWORD, NEW, NEW)),
        )
        .await;
    forged.assert_status(StatusCode::FORBIDDEN);
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
    let asked = coord.get("/admin/users/pro.a/reset").await;
    asked.assert_status(StatusCode::OK);
    asked.assert_contains_all(&[
        "Wachtwoord van ‘pro.a’ opnieuw instellen?",
        "action=\"/admin/users/pro.a/reset\"",
        "href=\"/admin/users\"",
    ]);
    assert_eq!(csrf_of(&asked.body), coord.csrf);
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

    let users = coord.get("/admin/users").await;
    users.assert_contains("href=\"/admin/users/pro.a/enable\"");
    let asked = coord.get("/admin/users/pro.a/enable").await;
    asked.assert_status(StatusCode::OK);
    asked.assert_contains_all(&[
        "‘pro.a’ weer inschakelen?",
        "action=\"/admin/users/pro.a/enable\"",
        "Ja, weer inschakelen",
    ]);
    assert!(
        client.sign_in_refused("pro.a", PASSWORD).await,
        "asking changes nothing"
    );
    let forged = coord
        .post_raw("/admin/users/pro.a/enable", "csrf=vals")
        .await;
    forged.assert_status(StatusCode::FORBIDDEN);
    let enabled = coord.post("/admin/users/pro.a/enable", "").await;
    enabled.assert_status(StatusCode::SEE_OTHER);
    client.sign_in("pro.a").await;
    coord
        .get("/admin/users")
        .await
        .assert_lacks("href=\"/admin/users/pro.a/enable\"");

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
        .post(
            "/admin/users",
            "username=afgewezen&role=professional&organisation=Straatalliantie",
        )
        .await;
    coord
        .post("/admin/users/afgewezen/reject", "")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    coord
        .get("/admin/users")
        .await
        .assert_lacks("href=\"/admin/users/afgewezen/enable\"");
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

dakwacht_testkit::on_both_stores!(
    database: a_user_changes_the_own_password_and_every_other_session_ends,
    a_coordinator_or_administrator_resets_a_password_with_a_one_use_link,
    a_disabled_account_is_enabled_again_after_a_confirmation,
    a_new_account_defaults_to_the_least_privileged_role,
);
