//! Accounts and organisations in the browser: made by administrators and coordinators, approved, activated once, disabled.

use super::prelude::*;

async fn administrators_and_coordinators_manage_accounts_in_the_browser<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO_B]).await;

    // The administrator adds an organisation and its coordinator; the activation link shown lets
    // the coordinator choose a password. Nobody else knows it.
    let admin = client.sign_in("beheer").await;
    assert_eq!(
        admin.get("/").await.location.as_deref(),
        Some("/admin/users")
    );
    assert_eq!(
        csrf_of(&admin.get("/admin/organisations").await.body),
        admin.csrf
    );
    admin
        .post("/admin/organisations", "name=Buurtteam+Oost")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // Not twice; and the coordinator comes first.
    for (path, form, why) in [
        ("/admin/organisations", "name=Buurtteam+Oost", "bestaat al"),
        (
            "/admin/users",
            "username=Sanne&role=professional&organisation=Buurtteam+Oost",
            "Buurtteam Oost heeft nog geen coördinator",
        ),
    ] {
        let refused = admin.post(path, form).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        refused.assert_contains(why);
    }
    let made = admin
        .make_account("Sanne", Role::Coordinator, Some("Buurtteam Oost"))
        .await;
    made.assert_status(StatusCode::OK);
    // The link, once, and the list that says it is not activated yet.
    made.assert_contains_all(&["werkt 24 uur en maar één keer", "nog niet geactiveerd"]);
    let link = activation_link(&made.body);
    assert!(link.len() >= "/activate/".len() + 40, "{link}");
    assert!(
        client.sign_in_refused("sanne", "").await,
        "no password before activation"
    );
    let activated = client
        .activate(&link, "zij kiest zelf haar wachtwoord")
        .await;
    activated.assert_status(StatusCode::OK);
    activated.assert_contains("Account geactiveerd");
    let sanne = client
        .sign_in_with("sanne", "zij kiest zelf haar wachtwoord")
        .await;
    let list = sanne.get("/cases").await;
    list.assert_contains("Casussen van Buurtteam Oost");
    let taken = admin.make_account("sanne", Role::Researcher, None).await;
    taken.assert_contains("bestaat al");

    // A coordinator sees and manages only the own organisation, and only gives case roles.
    let coord = client.sign_in("coord").await;
    let users = coord.get("/admin/users").await;
    users.assert_status(StatusCode::OK);
    users.assert_contains("Accounts van Straatalliantie");
    users.assert_contains(">coord<");
    assert!(!users.body.contains("pro.b") && !users.body.contains("sanne"));
    assert_eq!(csrf_of(&users.body), coord.csrf);
    let researcher = coord.make_account("stiekem", Role::Researcher, None).await;
    researcher.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let elsewhere = coord
        .make_account("nieuw", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    elsewhere.assert_status(StatusCode::OK);
    assert!(
        !elsewhere.body.contains("wacht op goedkeuring"),
        "the coordinator's own accounts need no approval"
    );
    let nieuw = client.store().users(Some("Straatalliantie")).await.unwrap();
    assert!(
        nieuw.iter().any(|u| u.username == "nieuw"),
        "made in the own organisation"
    );
    let activated = client
        .activate(&activation_link(&elsewhere.body), PASSWORD)
        .await;
    activated.assert_status(StatusCode::OK);
    let nieuw_session = client.sign_in("nieuw").await;

    // Disabling: another organisation's account is not found; the own one's session ends.
    let other = coord.post("/admin/users/pro.b/disable", "").await;
    other.assert_status(StatusCode::NOT_FOUND);
    coord
        .post_forged("/admin/users/nieuw/disable", "")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let disabled = coord.post("/admin/users/nieuw/disable", "").await;
    disabled.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        nieuw_session.get("/cases").await.status,
        StatusCode::SEE_OTHER,
        "signed out at once"
    );

    // The administrator reads who did what, filtered.
    let log = admin
        .get("/admin/audit?actor=user%3Acoord&action=disable_user")
        .await;
    log.assert_status(StatusCode::OK);
    log.assert_contains("<td>user:coord</td><td>disable_user</td>");
    log.assert_lacks("<td>add_user</td>");
}

/// The finding: an administrator made a professional in another organisation, read its
/// one-time password and signed in as them. Now the administrator never holds a credential of an
/// account with case access in an organisation with a coordinator: it waits for that
/// coordinator, who gets the link; and where nobody could approve, the administrator is refused.
async fn an_administrator_cannot_sign_in_as_an_account_with_case_access<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, COORD, PRO_A]).await;
    let admin = client.sign_in("beheer").await;
    assert_eq!(csrf_of(&admin.get("/admin/users").await.body), admin.csrf);

    // Straatalliantie has a coordinator: the account waits, and the administrator gets no link.
    let made = admin
        .make_account("spion", Role::Professional, Some("Straatalliantie"))
        .await;
    made.assert_status(StatusCode::OK);
    made.assert_contains("wacht op goedkeuring door een coördinator van Straatalliantie");
    assert!(
        !made.body.contains("/activate/"),
        "no link for the administrator"
    );
    let (_, hash) = client
        .store()
        .user_for_login("spion")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "", "no password anybody could know");
    assert!(client.sign_in_refused("spion", "").await);
    // Nor can the administrator make a link for it, or approve it.
    let renew = admin.post("/admin/users/spion/activation-link", "").await;
    renew.assert_status(StatusCode::NOT_FOUND);
    let approve = admin.post("/admin/users/spion/approve", "").await;
    approve.assert_status(StatusCode::FORBIDDEN);

    // Stichting Kernkracht has cases and no coordinator: nobody could approve, so refused.
    let refused = admin
        .make_account("spion2", Role::Coordinator, Some("Stichting Kernkracht"))
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains_all(&["geen actieve coördinator", "dakwacht user add"]);
    assert!(
        client
            .store()
            .user_for_login("spion2")
            .await
            .unwrap()
            .is_none()
    );

    // A professional decides nothing; the coordinator sees the account waiting and approves it,
    // and gets the link to pass on.
    let pro = client.sign_in("pro.a").await;
    assert_eq!(csrf_of(&pro.get("/cases").await.body), pro.csrf);
    assert_eq!(
        pro.post("/admin/users/spion/approve", "").await.status,
        StatusCode::FORBIDDEN
    );
    let coord = client.sign_in("coord").await;
    let users = coord.get("/admin/users").await;
    users.assert_contains("wacht op goedkeuring");
    users.assert_contains("/admin/users/spion/approve");
    assert_eq!(csrf_of(&users.body), coord.csrf);
    let approved = coord.post("/admin/users/spion/approve", "").await;
    approved.assert_status(StatusCode::OK);
    approved.assert_contains("Account ‘spion’ goedgekeurd");
    let link = activation_link(&approved.body);
    // Approved, and still the administrator cannot make a link of its own.
    let renew = admin.post("/admin/users/spion/activation-link", "").await;
    renew.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    renew.assert_contains("alleen die maakt een nieuwe activeringslink");
    assert_eq!(
        client
            .activate(&link, "gekozen door de nieuwe collega")
            .await
            .status,
        StatusCode::OK
    );
    let spion = client
        .sign_in_with("spion", "gekozen door de nieuwe collega")
        .await;
    assert_eq!(spion.get("/cases").await.status, StatusCode::OK);

    // Rejected: disabled, and approving it afterwards finds nothing.
    admin
        .make_account("nog.een", Role::Coordinator, Some("Straatalliantie"))
        .await;
    let rejected = coord.post("/admin/users/nog.een/reject", "").await;
    rejected.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        coord.post("/admin/users/nog.een/approve", "").await.status,
        StatusCode::NOT_FOUND
    );
    let users = client.store().users(Some("Straatalliantie")).await.unwrap();
    assert!(users.iter().any(|u| u.username == "nog.een" && u.disabled));

    let log = client
        .store()
        .audit_log(&AuditFilter::default())
        .await
        .unwrap();
    let lines: Vec<(&str, AuditAction)> = log
        .iter()
        .map(|r| (r.entry.actor.as_str(), r.entry.action))
        .collect();
    for expected in [
        ("user:coord", AuditAction::ApproveUser),
        ("user:coord", AuditAction::RejectUser),
        ("user:spion", AuditAction::ActivateUser),
    ] {
        assert!(lines.contains(&expected), "{expected:?} in {lines:?}");
    }
}

async fn an_activation_link_works_once_and_not_after_a_day<S: TestStore>(database: &Database<S>) {
    const NEW: &str = "een lang nieuw wachtwoord";
    let client = Client::with_accounts(database, &[COORD]).await;
    let invite = |username: &str, token: &str, hours: i64| dakwacht_store::Invitation {
        username: username.to_string(),
        role: Role::Professional,
        organisation: Some("Straatalliantie".to_string()),
        by_administrator: false,
        link: dakwacht_store::NewActivationLink {
            token_hash: dakwacht_web::token_hash(token),
            expires_at: jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(hours))
                .unwrap()
                .to_string(),
        },
    };
    let coordinator = Actor::web("coord");
    // Made 25 hours ago: the link ended an hour ago.
    client
        .store()
        .invite_user(&coordinator, &invite("laat", "verlopen-token", -1))
        .await
        .unwrap();
    let expired = client.get("/activate/verlopen-token").await;
    expired.assert_status(StatusCode::GONE);
    expired.assert_contains("verlopen");
    let posted = client
        .post("/activate", &activation_form("verlopen-token", NEW, NEW))
        .await;
    posted.assert_status(StatusCode::GONE);
    assert!(client.sign_in_refused("laat", NEW).await);

    let unknown = client.get("/activate/geen-echte-link").await;
    unknown.assert_status(StatusCode::NOT_FOUND);
    unknown.assert_contains("werkt niet (meer)");

    client
        .store()
        .invite_user(&coordinator, &invite("vers", "goed-token", 24))
        .await
        .unwrap();
    let form = client.get("/activate/goed-token").await;
    form.assert_status(StatusCode::OK);
    form.assert_contains("‘vers’");
    // Two passwords that differ, or a short one: the form again, saying why.
    for (password, password_again, why) in [
        (NEW, "iets anders dan dat", "niet gelijk"),
        ("kort", "kort", "minstens 12"),
    ] {
        let form = activation_form("goed-token", password, password_again);
        let refused = client.post("/activate", &form).await;
        refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        refused.assert_contains(why);
    }
    let done = client.activate("/activate/goed-token", NEW).await;
    done.assert_status(StatusCode::OK);
    // Once: the second use is refused plainly and changes nothing.
    let other = "door iemand anders gekozen";
    let again = client
        .post("/activate", &activation_form("goed-token", other, other))
        .await;
    again.assert_status(StatusCode::GONE);
    again.assert_contains("al gebruikt");
    assert_eq!(
        client.get("/activate/goed-token").await.status,
        StatusCode::GONE
    );
    assert!(client.sign_in_refused("vers", other).await);
    client.sign_in_with("vers", NEW).await;
}

dakwacht_testkit::on_both_stores!(database: administrators_and_coordinators_manage_accounts_in_the_browser, an_administrator_cannot_sign_in_as_an_account_with_case_access, an_activation_link_works_once_and_not_after_a_day);
