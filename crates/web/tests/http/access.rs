//! Who may see and change which case: every route for every role and organisation, and the audit lines of refusals.

use super::prelude::*;

async fn a_professional_sees_the_own_organisation_and_nothing_else<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[BEHEER, PRO, ONDERZOEK]).await;

    // Not signed in: to the sign-in page.
    let anonymous = client.get("/cases").await;
    anonymous.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(anonymous.location.as_deref(), Some("/login"));

    let pro = client.sign_in("pro").await;
    let list = pro.get("/cases").await;
    list.assert_status(StatusCode::OK);
    list.assert_contains("Casussen van Straatalliantie");
    list.assert_contains("/cases/Straatalliantie/QS-01");
    assert!(
        !list.body.contains("Kernkracht"),
        "no other organisation's cases"
    );

    let case = pro.get("/cases/Straatalliantie/QS-01").await;
    case.assert_status(StatusCode::OK);
    case.assert_contains("Geen passende woonruimte aangeboden");
    case.assert_contains("IVRK (VN-Kinderrechtenverdrag) art. 27 lid 1 en 3");
    case.assert_contains("Wat u kunt doen");

    // Another organisation's case is "not found", whether it exists or not.
    let other = pro.get("/cases/Stichting%20Kernkracht/QS-02").await;
    other.assert_status(StatusCode::NOT_FOUND);
    let missing = pro.get("/cases/Straatalliantie/QS-99").await;
    missing.assert_status(StatusCode::NOT_FOUND);

    // A researcher gets statistics, not cases.
    let researcher = client.sign_in("onderzoek").await;
    assert_eq!(researcher.get("/cases").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        researcher.get("/cases/Straatalliantie/QS-01").await.status,
        StatusCode::FORBIDDEN
    );

    // Every view was recorded, by the user who made it, and so were the sign-in and the refusal.
    let views = client.audit_of(Some("user:pro"), None).await;
    let actions: Vec<AuditAction> = views.iter().map(|r| r.entry.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::AccessRefused,
            AuditAction::ViewCase,
            AuditAction::ListCases,
            AuditAction::SignIn
        ]
    );
    assert_eq!(views[1].entry.case_ref.as_deref(), Some("QS-01"));

    // Signing out needs the form's token, and ends the session.
    let page = pro.get("/cases").await.body;
    assert_eq!(
        csrf_of(&page),
        pro.csrf,
        "the page's form carries the session's token"
    );
    assert_eq!(
        pro.post_forged("/logout", "").await.status,
        StatusCode::FORBIDDEN
    );
    let out = pro.post("/logout", "").await;
    out.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(pro.get("/cases").await.status, StatusCode::SEE_OTHER);
}

/// Every page, for every role and organisation: allowed, refused (403), hidden (404) or sign in
/// first (303). One table, so a new route without an access check shows up here.
async fn every_route_for_every_role_and_organisation<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    client
        .store()
        .add_organisation(&Actor::cli("test"), "Stichting Kernkracht")
        .await
        .unwrap();
    client.add_user("beheer", Role::Admin, None).await;
    client
        .add_user("coord.a", Role::Coordinator, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.a", Role::Professional, Some("Straatalliantie"))
        .await;
    client
        .add_user("pro.b", Role::Professional, Some("Stichting Kernkracht"))
        .await;
    client.add_user("onderzoek", Role::Researcher, None).await;

    const OK: u16 = 200;
    const SIGN_IN: u16 = 303;
    const FORBIDDEN: u16 = 403;
    const HIDDEN: u16 = 404;
    let routes = [
        "/cases",
        "/cases/new",
        "/follow-up",
        "/cases/Straatalliantie/QS-01",
        "/cases/Straatalliantie/QS-01/edit",
        "/import",
        "/export?format=csv",
        "/template.xlsx",
        "/dashboard",
        "/admin/users",
        "/admin/organisations",
        "/admin/audit",
    ];
    #[rustfmt::skip]
    let table: [(Option<&str>, [u16; 12]); 6] = [
        (None,              [SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN]),
        (Some("beheer"),    [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK, OK, OK]),
        (Some("onderzoek"), [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        (Some("coord.a"),   [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN]),
        (Some("pro.a"),     [OK, OK, OK, OK, OK, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
        (Some("pro.b"),     [OK, OK, OK, HIDDEN, HIDDEN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]),
    ];
    for (user, expected) in table {
        let session = match user {
            Some(name) => Some(client.sign_in(name).await),
            None => None,
        };
        for (route, want) in routes.iter().zip(expected) {
            let got = match &session {
                Some(session) => session.get(route).await,
                None => client.get(route).await,
            };
            assert_eq!(got.status.as_u16(), want, "GET {route} as {user:?}");
        }
        // Saving a case of organisation A, with this session's own valid form token.
        let path = "/cases/Straatalliantie/QS-01/edit";
        let form = "version=1&reported_on=2025-04-21&children_count=2";
        let got = match &session {
            Some(session) => session.post(path, form).await,
            None => client.post(path, &format!("csrf=&{form}")).await,
        }
        .status
        .as_u16();
        let want = match user {
            None => SIGN_IN,
            Some("beheer" | "onderzoek") => FORBIDDEN,
            Some("pro.b") => HIDDEN,
            // Through the access check: the coordinator saves version 1 (and is sent to the
            // case); the professional, also sending version 1, is refused as stale.
            Some("coord.a") => 303,
            _ => 409,
        };
        assert_eq!(got, want, "POST edit as {user:?}");
    }
}

async fn sign_ins_tokens_and_refused_access_are_in_the_audit_log<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::with_accounts(database, &[PRO_A, PRO_B, ONDERZOEK]).await;

    let pro_b = client.sign_in("pro.b").await;
    pro_b
        .get("/cases/Straatalliantie/QS-01")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let researcher = client.sign_in("onderzoek").await;
    assert_eq!(researcher.get("/cases").await.status, StatusCode::FORBIDDEN);
    // The same refusals through the API.
    let token = client.api_token("pro.b").await;
    let (status, _) = client
        .api_get("/api/v1/cases/Straatalliantie/QS-01", &token)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let revoked = client.revoke(&token).await;
    revoked.assert_status(StatusCode::NO_CONTENT);
    // Signing out of the pages.
    let out = pro_b.post("/logout", "").await;
    out.assert_status(StatusCode::SEE_OTHER);

    let sign_ins = client.audit_lines(AuditAction::SignIn).await;
    assert_eq!(sign_ins.len(), 2, "{sign_ins:?}");
    assert!(sign_ins[0].starts_with("user:pro.b | web: password; session until "));
    let created = client.audit_lines(AuditAction::CreateToken).await;
    assert_eq!(created.len(), 1);
    assert!(
        created[0].starts_with("user:pro.b | api: password; session until "),
        "{created:?}"
    );
    assert_eq!(
        client.audit_lines(AuditAction::RevokeToken).await,
        ["user:pro.b | api"]
    );
    assert_eq!(
        client.audit_lines(AuditAction::SignOut).await,
        ["user:pro.b | web"]
    );
    let refused = client
        .audit_of(None, Some(AuditAction::AccessRefused))
        .await;
    let refused: Vec<(String, Option<String>, String)> = refused
        .into_iter()
        .rev()
        .map(|r| {
            (
                r.entry.actor,
                r.entry.organisation,
                r.entry.detail.unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert_eq!(refused[0].0, "user:pro.b");
    assert_eq!(refused[0].1.as_deref(), Some("Straatalliantie"));
    assert!(
        refused[0]
            .2
            .starts_with("GET /cases/Straatalliantie/QS-01: "),
        "{refused:?}"
    );
    assert_eq!(refused[1].0, "user:onderzoek");
    assert!(refused[1].2.starts_with("GET /cases: "), "{refused:?}");
    assert_eq!(refused[2].0, "user:pro.b");
    assert!(
        refused[2]
            .2
            .starts_with("GET /api/v1/cases/Straatalliantie/QS-01: "),
        "{refused:?}"
    );
    assert!(!client.whole_audit_log().await.contains(PASSWORD));
}

/// An error page keeps the way back: the signed-in user's own menu, and none for a visitor.
async fn error_pages_keep_the_menu_of_whoever_is_signed_in<S: TestStore>(database: &Database<S>) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let missing = pro.get("/cases/Straatalliantie/NIET-BESTAAND").await;
    missing.assert_status(StatusCode::NOT_FOUND);
    missing.assert_contains_all(&[
        "aria-label=\"Hoofdmenu\"",
        "href=\"/follow-up\"",
        "Uitloggen",
    ]);
    let researcher = client.signed_in(ONDERZOEK).await;
    let refused = researcher.get("/cases").await;
    refused.assert_status(StatusCode::FORBIDDEN);
    refused.assert_contains_all(&["href=\"/dashboard\"", "Uitloggen"]);
    assert!(
        !refused.body.contains("href=\"/follow-up\""),
        "a researcher's own menu"
    );
    let admin = client.signed_in(BEHEER).await;
    admin
        .get("/nergens")
        .await
        .assert_contains_all(&["href=\"/admin/audit\"", "Uitloggen"]);
    let visitor = client.get("/nergens").await;
    visitor.assert_status(StatusCode::NOT_FOUND);
    assert!(!visitor.body.contains("Uitloggen"), "no menu for a visitor");
}

/// Every form a signed-in user sends has its token checked before anything else of it is read:
/// a forged one is refused (403) even where its fields would not fit the form, and changes
/// nothing.
async fn every_signed_in_form_is_refused_without_its_token_before_it_is_read<S: TestStore>(
    database: &Database<S>,
) {
    let client = Client::new(database).await;
    let pro = client.signed_in(PRO).await;
    let admin = client.signed_in(BEHEER).await;
    let case = "/cases/Straatalliantie/QS-01";
    let before = pro.get(case).await.body;
    let forms = [
        "/logout",
        "/account/password",
        "/cases/new",
        "/import/confirm",
        &format!("{case}/edit"),
        &format!("{case}/observations"),
        &format!("{case}/contact"),
        &format!("{case}/stays/1/remove"),
        &format!("{case}/close"),
        &format!("{case}/reopen"),
        &format!("{case}/assign"),
        &format!("{case}/eviction"),
    ];
    for path in forms {
        let refused = pro.post_forged(path, "not=a+field+of+it").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        refused.assert_contains("Het formulier is verlopen");
    }
    for path in [
        "/admin/users",
        "/admin/users/pro/disable",
        "/admin/organisations",
    ] {
        let refused = admin.post_forged(path, "not=a+field+of+it").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(pro.get(case).await.body, before, "the case is as it was");
    pro.get("/cases").await.assert_status(StatusCode::OK);
}

dakwacht_testkit::on_both_stores!(database: every_signed_in_form_is_refused_without_its_token_before_it_is_read, a_professional_sees_the_own_organisation_and_nothing_else, every_route_for_every_role_and_organisation, sign_ins_tokens_and_refused_access_are_in_the_audit_log, error_pages_keep_the_menu_of_whoever_is_signed_in);
