#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Organisations, accounts and the audit log against a real SQLite file.

use dakwacht_core::access::Role;
use dakwacht_core::password;
use dakwacht_store::{
    Actor, Admission, AdmissionRefusal, AuditAction, AuditEntry, AuditFilter, ImportMessage,
    LinkState, NewSession, SessionKind, SessionStage, Store, StoreError, Subject,
};
use dakwacht_testkit::accounts::{first_password_link, invitation, link, new_user};
use tokio::sync::mpsc;

async fn accounts_are_added_listed_disabled_and_audited<S: Store>(store: &S) {
    let admin = Actor::cli("beheer");

    assert!(
        store
            .add_organisation(&admin, "Straatalliantie")
            .await
            .unwrap()
    );
    assert!(
        !store
            .add_organisation(&admin, " Straatalliantie ")
            .await
            .unwrap()
    );
    assert_eq!(store.organisations().await.unwrap(), ["Straatalliantie"]);

    store
        .add_user(
            &admin,
            &new_user("anna", Role::Coordinator, Some("Straatalliantie")),
        )
        .await
        .unwrap();
    store
        .add_user(&admin, &new_user("rob", Role::Researcher, None))
        .await
        .unwrap();

    let taken = store
        .add_user(
            &admin,
            &new_user("anna", Role::Professional, Some("Straatalliantie")),
        )
        .await;
    assert!(matches!(taken, Err(StoreError::AlreadyExists(Subject::User(name))) if name == "anna"));
    let unknown = store
        .add_user(
            &admin,
            &new_user("piet", Role::Professional, Some("Onbekend")),
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(Subject::Organisation(name))) if name == "Onbekend")
    );
    // The database itself refuses a professional without an organisation.
    assert!(
        store
            .add_user(&admin, &new_user("los", Role::Professional, None))
            .await
            .is_err()
    );

    let users = store.users(None).await.unwrap();
    let names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["anna", "rob"]);
    assert_eq!(users[0].organisation.as_deref(), Some("Straatalliantie"));
    assert_eq!(store.users(Some("Straatalliantie")).await.unwrap().len(), 1);

    let (user, hash) = store.user_for_login("anna").await.unwrap().unwrap();
    assert_eq!(user.role, Role::Coordinator);
    assert_eq!(hash, "$argon2id$test");
    assert!(store.user_for_login("nobody").await.unwrap().is_none());

    assert!(store.disable_user(&admin, "anna").await.unwrap());
    assert!(!store.disable_user(&admin, "anna").await.unwrap());
    assert!(store.users(None).await.unwrap()[0].disabled);
    assert!(matches!(
        store.disable_user(&admin, "nobody").await,
        Err(StoreError::NotFound(_))
    ));

    let log = store.audit_log(&AuditFilter::default()).await.unwrap();
    let actions: Vec<AuditAction> = log.iter().map(|r| r.entry.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::DisableUser,
            AuditAction::AddUser,
            AuditAction::AddUser,
            AuditAction::AddOrganisation
        ],
        "newest first; failed attempts leave nothing"
    );
    assert!(log.iter().all(|r| r.entry.actor == "cli:beheer"));
}

async fn the_audit_log_is_filtered<S: Store>(store: &S) {
    let actor = Actor::cli("anna");
    store
        .audit(&AuditEntry::new(&actor, AuditAction::ViewCase).case("Org", "C-1"))
        .await
        .unwrap();
    store
        .audit(&AuditEntry::new(&Actor::cli("bob"), AuditAction::Export).detail("3 case(s)"))
        .await
        .unwrap();

    let views = dakwacht_testkit::audit_of(store, None, Some(AuditAction::ViewCase)).await;
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].entry.case_ref.as_deref(), Some("C-1"));
    let by_bob = dakwacht_testkit::audit_of(store, Some("cli:bob"), None).await;
    assert_eq!(by_bob.len(), 1);
    assert_eq!(
        store
            .audit_log(&AuditFilter {
                limit: Some(1),
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn write_one_audit_entry<S: Store>(store: &S) {
    store
        .audit(&AuditEntry::new(&Actor::cli("anna"), AuditAction::ViewCase).case("Org", "C-1"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_sqlite() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    write_one_audit_entry(&store).await;
    let conn = rusqlite::Connection::open(dir.path().join("dakwacht.db")).unwrap();
    let update = conn.execute("UPDATE audit_log SET actor = 'x'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM audit_log", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_postgres() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    write_one_audit_entry(&database.store).await;
    let update = sqlx::query("UPDATE audit_log SET actor = 'x'")
        .execute(database.raw())
        .await;
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(database.raw())
        .await;
    database.close().await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

async fn an_import_is_audited_with_its_counts_and_an_aborted_one_not_at_all<S: Store>(store: &S) {
    let text = "case_ref,organisation,reported_on,children_count\nA-1,Org,2025-01-01,2\n";
    let case = dakwacht_testkit::read_cases(text.as_bytes()).remove(0);
    for commit in [false, true] {
        let (tx, rx) = mpsc::channel(2);
        tx.send(ImportMessage::Cases(vec![case.clone()]))
            .await
            .unwrap();
        if commit {
            tx.send(ImportMessage::Commit).await.unwrap();
        }
        drop(tx);
        let _ = store.import(&Actor::cli("anna"), "cases.csv", rx).await;
    }
    let log = store.audit_log(&AuditFilter::default()).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].entry.action, AuditAction::Import);
    assert_eq!(
        log[0].entry.detail.as_deref(),
        Some("cases.csv: 1 created, 0 updated, 0 unchanged")
    );
}

#[test]
fn passwords_are_stored_as_argon2id_only() {
    let hash = password::hash("een lange zin als wachtwoord", "beheer").unwrap();
    assert!(hash.starts_with("$argon2id$") && !hash.contains("wachtwoord"));
}

async fn sessions_belong_to_active_users_and_expire<S: Store>(store: &S) {
    use dakwacht_store::{NewSession, SessionKind};
    let admin = Actor::cli("beheer");
    store.add_organisation(&admin, "Org").await.unwrap();
    store
        .add_user(&admin, &new_user("anna", Role::Professional, Some("Org")))
        .await
        .unwrap();
    let session = |hash: &str, expires: &str, kind: SessionKind| NewSession {
        token_hash: hash.to_string(),
        csrf_token: format!("csrf-{hash}"),
        expires_at: expires.to_string(),
        kind,
        stage: SessionStage::SignedIn,
    };
    let later = "2999-01-01T00:00:00Z";
    assert!(
        store
            .create_session("anna", &session("h1", later, SessionKind::Web))
            .await
            .unwrap()
    );
    assert!(
        !store
            .create_session("nobody", &session("h2", later, SessionKind::Web))
            .await
            .unwrap()
    );
    store
        .create_session(
            "anna",
            &session("old", "2000-01-01T00:00:00Z", SessionKind::Web),
        )
        .await
        .unwrap();
    store
        .create_session("anna", &session("token", later, SessionKind::Api))
        .await
        .unwrap();

    let web = |hash: &'static str| store.session(hash, SessionKind::Web, "2000-01-01T00:00:00Z");
    let api = |hash: &'static str| store.session(hash, SessionKind::Api, "2000-01-01T00:00:00Z");
    let (user, csrf) = web("h1").await.unwrap().unwrap();
    assert_eq!(user.username, "anna");
    assert_eq!(user.organisation.as_deref(), Some("Org"));
    assert_eq!(csrf, "csrf-h1");
    assert!(web("old").await.unwrap().is_none(), "expired");
    assert!(web("unknown").await.unwrap().is_none());
    // The two kinds never stand in for each other.
    let no_web = web("token").await.unwrap();
    assert!(no_web.is_none(), "an API token is no web session");
    let no_api = api("h1").await.unwrap();
    assert!(no_api.is_none(), "a web session is no API token");
    let (user, _) = api("token").await.unwrap().unwrap();
    assert_eq!(user.username, "anna");

    // Ending one session leaves the others.
    store.end_session("token").await.unwrap();
    assert!(api("token").await.unwrap().is_none());
    assert!(web("h1").await.unwrap().is_some());

    // A disabled account's sessions stop working at once.
    store.disable_user(&admin, "anna").await.unwrap();
    assert!(web("h1").await.unwrap().is_none());
    store.end_session("h1").await.unwrap();
}

/// Sessions in stages, the inactivity timeout, TOTP steps and recovery codes used once, and
/// what administrators do about an account's sessions and second factor.
async fn second_factors_and_session_stages<S: Store>(store: &S) {
    let admin = Actor::cli("beheer");
    store.add_organisation(&admin, "Org").await.unwrap();
    store.add_organisation(&admin, "Ander").await.unwrap();
    store
        .add_user(&admin, &new_user("coord", Role::Coordinator, Some("Org")))
        .await
        .unwrap();
    store
        .add_user(&admin, &new_user("pro", Role::Professional, Some("Org")))
        .await
        .unwrap();
    let session = |hash: &str, stage: SessionStage| NewSession {
        token_hash: hash.to_string(),
        csrf_token: format!("csrf-{hash}"),
        expires_at: "2999-01-01T00:00:00Z".to_string(),
        kind: SessionKind::Web,
        stage,
    };
    let long_ago = "2000-01-01T00:00:00Z";

    // A session that waits for the code opens nothing, until it is finished under a new token.
    store
        .create_session("coord", &session("waiting", SessionStage::SecondFactor))
        .await
        .unwrap();
    assert!(
        store
            .session("waiting", SessionKind::Web, long_ago)
            .await
            .unwrap()
            .is_none()
    );
    let staged = store.staged_session("waiting").await.unwrap().unwrap();
    assert_eq!(staged.stage, SessionStage::SecondFactor);
    assert_eq!(staged.user.username, "coord");
    assert!(staged.user.needs_second_factor() && !staged.user.second_factor);
    assert!(
        store
            .finish_sign_in("waiting", &session("signed", SessionStage::SignedIn))
            .await
            .unwrap()
    );
    assert!(store.staged_session("waiting").await.unwrap().is_none());
    assert!(
        !store
            .finish_sign_in("waiting", &session("again", SessionStage::SignedIn))
            .await
            .unwrap(),
        "an unfinished session is finished once"
    );
    assert!(
        store
            .session("signed", SessionKind::Web, long_ago)
            .await
            .unwrap()
            .is_some()
    );
    // Left alone since before the inactivity limit: ended.
    assert!(
        store
            .session("signed", SessionKind::Web, "2998-01-01T00:00:00Z")
            .await
            .unwrap()
            .is_none()
    );

    // A seed set up with recovery codes; the other sessions end.
    store
        .create_session("coord", &session("other", SessionStage::SignedIn))
        .await
        .unwrap();
    store
        .enrol_second_factor("coord", "SEED", 100, &["h1".into(), "h2".into()], "signed")
        .await
        .unwrap();
    assert!(store.staged_session("other").await.unwrap().is_none());
    assert!(store.staged_session("signed").await.unwrap().is_some());
    let seed = store.second_factor_seed("coord").await.unwrap().unwrap();
    assert_eq!((seed.secret.as_str(), seed.last_step), ("SEED", Some(100)));
    assert!(!store.accept_code_step("coord", 100).await.unwrap(), "used");
    assert!(store.accept_code_step("coord", 101).await.unwrap());
    assert!(!store.accept_code_step("coord", 101).await.unwrap(), "once");
    assert!(!store.accept_code_step("pro", 5).await.unwrap(), "no seed");
    assert_eq!(
        store.spend_recovery_code("coord", "h1").await.unwrap(),
        Some(1)
    );
    assert_eq!(
        store.spend_recovery_code("coord", "h1").await.unwrap(),
        None
    );
    assert_eq!(store.spend_recovery_code("pro", "h2").await.unwrap(), None);
    let users = store.users(Some("Org")).await.unwrap();
    assert!(
        users
            .iter()
            .any(|u| u.username == "coord" && u.second_factor)
    );

    // Ending an account's sessions, in reach only.
    let coordinator = Actor::web("coord");
    assert!(matches!(
        store
            .end_sessions_of(&coordinator, "coord", Some("Ander"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .end_sessions_of(&coordinator, "coord", Some("Org"))
            .await
            .unwrap(),
        1
    );
    assert!(store.staged_session("signed").await.unwrap().is_none());

    // Taking a factor away: the seed and codes go, once.
    assert!(
        store
            .remove_second_factor(&admin, "coord", None)
            .await
            .unwrap()
    );
    assert!(
        !store
            .remove_second_factor(&admin, "coord", None)
            .await
            .unwrap()
    );
    assert!(store.second_factor_seed("coord").await.unwrap().is_none());
    assert_eq!(
        store.spend_recovery_code("coord", "h2").await.unwrap(),
        None
    );

    // An organisation asks it of its professionals.
    assert!(!store.second_factor_policy("Org").await.unwrap());
    assert!(
        !store
            .users(Some("Org"))
            .await
            .unwrap()
            .iter()
            .any(|u| u.username == "pro" && u.needs_second_factor())
    );
    assert!(
        store
            .set_second_factor_policy(&coordinator, "Org", true)
            .await
            .unwrap()
    );
    assert!(
        !store
            .set_second_factor_policy(&coordinator, "Org", true)
            .await
            .unwrap()
    );
    assert!(store.second_factor_policy("Org").await.unwrap());
    assert!(
        store
            .users(Some("Org"))
            .await
            .unwrap()
            .iter()
            .any(|u| u.username == "pro" && u.needs_second_factor())
    );
    assert!(matches!(
        store.second_factor_policy("Nergens").await,
        Err(StoreError::NotFound(_))
    ));

    let log = store.audit_log(&AuditFilter::default()).await.unwrap();
    let actions: Vec<AuditAction> = log.iter().rev().map(|r| r.entry.action).collect();
    for action in [
        AuditAction::EnrolSecondFactor,
        AuditAction::EndSessions,
        AuditAction::ResetSecondFactor,
        AuditAction::SecondFactorPolicy,
    ] {
        assert_eq!(
            actions.iter().filter(|a| **a == action).count(),
            1,
            "{action:?}"
        );
    }
}

async fn the_case_list_pages_by_keyset_within_the_filter<S: Store>(store: &S) {
    let mut text = String::from("case_ref,organisation,reported_on,children_count\n");
    for i in 0..25 {
        text.push_str(&format!("C-{i:03},A,2025-01-01,1\n"));
        text.push_str(&format!("C-{i:03},B,2025-01-01,2\n"));
    }
    let cases: Vec<_> = dakwacht_interchange::CaseReader::csv(text.as_bytes())
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect();
    let (tx, rx) = mpsc::channel(2);
    tx.send(ImportMessage::Cases(cases)).await.unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    drop(tx);
    store.import(&Actor::cli("t"), "t.csv", rx).await.unwrap();

    let only_a = dakwacht_core::CaseFilter {
        organisation: Some("A".into()),
        ..Default::default()
    };
    let mut seen = Vec::new();
    let mut after: Option<(String, String)> = None;
    loop {
        let page = store
            .case_page(
                &only_a,
                after.as_ref().map(|(o, c)| (o.as_str(), c.as_str())),
                10,
            )
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 10);
        let last = page.last().unwrap();
        after = Some((last.organisation.clone(), last.case_ref.clone()));
        seen.extend(page);
    }
    assert_eq!(seen.len(), 25);
    assert!(
        seen.iter()
            .all(|c| c.organisation == "A" && c.children_count == 1)
    );
    assert!(seen.windows(2).all(|w| w[0].case_ref < w[1].case_ref));

    let everything = store
        .case_page(
            &dakwacht_core::CaseFilter::default(),
            Some(("A", "C-024")),
            100,
        )
        .await
        .unwrap();
    assert_eq!(
        everything.len(),
        25,
        "after the last case of A come the cases of B"
    );
    assert!(everything.iter().all(|c| c.organisation == "B"));

    // Within one organisation the page is read by reference alone; a position in another
    // organisation still counts in (organisation, reference) order.
    let only_b = dakwacht_core::CaseFilter {
        organisation: Some("B".into()),
        ..Default::default()
    };
    let after_a = store
        .case_page(&only_b, Some(("A", "C-024")), 100)
        .await
        .unwrap();
    assert_eq!(after_a.len(), 25);
    let after_c = store
        .case_page(&only_b, Some(("C", "")), 100)
        .await
        .unwrap();
    assert!(
        after_c.is_empty(),
        "nothing of B comes after organisation C"
    );
}

async fn a_stale_save_is_refused_and_nothing_is_overwritten<S: Store>(store: &S) {
    let text = "case_ref,organisation,reported_on,children_count,route\nH-1,Org,2025-01-01,2,court_eviction\n";
    let case = dakwacht_testkit::read_cases(text.as_bytes()).remove(0);
    let anna = Actor::web("anna");
    let bob = Actor::web("bob");
    assert_eq!(store.save_case(&anna, &case, None).await.unwrap(), 1);
    assert!(matches!(
        store.save_case(&anna, &case, None).await,
        Err(StoreError::AlreadyExists(Subject::Case { .. }))
    ));
    let (stored, version) = store
        .case_with_version("Org", "H-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored, version), (case.clone(), 1));

    // Both open version 1; Anna saves first.
    let mut by_anna = case.clone();
    by_anna.children.count = 3;
    assert_eq!(store.save_case(&anna, &by_anna, Some(1)).await.unwrap(), 2);
    let mut by_bob = case.clone();
    by_bob.children.count = 4;
    let refused = store.save_case(&bob, &by_bob, Some(1)).await;
    match refused {
        Err(StoreError::StaleVersion { by, .. }) => assert_eq!(by, "user:anna"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = store.case("Org", "H-1").await.unwrap().unwrap();
    assert_eq!(stored.children.count, 3, "Anna's save stands");
    // Saving without changes keeps the version.
    assert_eq!(store.save_case(&anna, &by_anna, Some(2)).await.unwrap(), 2);

    let history = store.history("Org", "H-1").await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].actor, "user:anna");
    let log = store.audit_log(&AuditFilter::default()).await.unwrap();
    let actions: Vec<AuditAction> = log.iter().map(|r| r.entry.action).collect();
    assert_eq!(actions, [AuditAction::UpdateCase, AuditAction::CreateCase]);
    assert_eq!(
        log[0].entry.detail.as_deref(),
        Some("changed: children_count")
    );
}

/// What the store says of the link made by `link(token, 24)`.
async fn link_state<S: Store>(store: &S, token: &str) -> LinkState {
    store
        .activation_link(&link(token, 24).token_hash)
        .await
        .unwrap()
}

async fn user<S: Store>(store: &S, username: &str) -> dakwacht_store::User {
    store.user_for_login(username).await.unwrap().unwrap().0
}

/// An administrator cannot make an account with case access that they could use themselves:
/// refused where nobody could approve it, awaiting the coordinator's approval otherwise, and the
/// link goes to the coordinator. A link works once, and not after its expiry.
async fn an_administrator_gets_no_way_into_case_content<S: Store>(store: &S) {
    let operator = Actor::cli("beheer");
    let admin = Actor::web("admin");
    let coordinator = Actor::web("kim");
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    store.add_organisation(&operator, "Leeg").await.unwrap();
    // An account the administrator makes.
    let by_admin = async |username: &str, role: Role, organisation: &str| {
        let invitation = invitation(username, role, organisation, true);
        store.invite_user(&admin, &invitation).await
    };
    let before = store.users(None).await.unwrap();

    // Cases and no coordinator: nobody could approve; an empty organisation starts with its
    // coordinator.
    assert_eq!(
        by_admin("pro", Role::Professional, "Straatalliantie")
            .await
            .unwrap(),
        Admission::Refused(AdmissionRefusal::CasesWithoutCoordinator)
    );
    assert_eq!(
        by_admin("pro", Role::Professional, "Leeg").await.unwrap(),
        Admission::Refused(AdmissionRefusal::CoordinatorFirst)
    );
    assert_eq!(store.users(None).await.unwrap(), before, "nothing stored");
    assert!(matches!(
        by_admin("x", Role::Coordinator, "Onbekend").await,
        Err(StoreError::NotFound(_))
    ));

    // The first coordinator of an empty organisation: no password until the link is used.
    assert_eq!(
        by_admin("kim", Role::Coordinator, "Leeg").await.unwrap(),
        Admission::LinkReady
    );
    let (kim, hash) = store.user_for_login("kim").await.unwrap().unwrap();
    assert!(!kim.activated && !kim.awaiting_approval && !kim.disabled);
    assert_eq!(hash, "", "no password anybody could know");
    let kim_link = link("kim", 24).token_hash;
    assert_eq!(
        store.activation_link(&kim_link).await.unwrap(),
        LinkState::Valid {
            username: "kim".into()
        }
    );
    assert_eq!(
        store.activation_link("hash-of-nothing").await.unwrap(),
        LinkState::Unknown
    );
    assert_eq!(
        store
            .activate_user(&kim_link, "$argon2id$kim")
            .await
            .unwrap(),
        LinkState::Valid {
            username: "kim".into()
        }
    );
    assert_eq!(
        store
            .activate_user(&kim_link, "$argon2id$other")
            .await
            .unwrap(),
        LinkState::Used,
        "once"
    );
    assert_eq!(
        store.activation_link(&kim_link).await.unwrap(),
        LinkState::Used
    );
    let (kim, hash) = store.user_for_login("kim").await.unwrap().unwrap();
    assert!(kim.activated);
    assert_eq!(hash, "$argon2id$kim");

    // Now Leeg has a coordinator: the administrator's professional waits, without a link.
    assert_eq!(
        by_admin("piet", Role::Professional, "Leeg").await.unwrap(),
        Admission::AwaitingApproval
    );
    assert!(user(store, "piet").await.awaiting_approval);
    assert_eq!(
        link_state(store, "piet").await,
        LinkState::Unknown,
        "no link was stored"
    );
    assert!(matches!(
        store
            .new_link(
                &admin,
                &first_password_link("piet", None),
                &link("piet-2", 24),
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    // Approval belongs to a coordinator of the account's own organisation.
    assert!(
        !store
            .decide_user(
                &coordinator,
                "Straatalliantie",
                "piet",
                Some(&link("piet-2", 24))
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .decide_user(&coordinator, "Leeg", "piet", Some(&link("piet-2", 24)))
            .await
            .unwrap()
    );
    assert!(
        !store
            .decide_user(&coordinator, "Leeg", "piet", Some(&link("piet-3", 24)))
            .await
            .unwrap(),
        "approved once"
    );
    let piet = user(store, "piet").await;
    assert!(!piet.awaiting_approval && !piet.activated);
    assert!(matches!(
        link_state(store, "piet-2").await,
        LinkState::Valid { .. }
    ));
    // Only the coordinator hands out a new link; it replaces the old one.
    assert_eq!(
        store
            .new_link(
                &admin,
                &first_password_link("piet", None),
                &link("piet-4", 24),
            )
            .await
            .unwrap(),
        Admission::Refused(AdmissionRefusal::ForTheCoordinator)
    );
    assert!(matches!(
        store
            .new_link(
                &coordinator,
                &first_password_link("piet", Some("Straatalliantie")),
                &link("piet-4", 24),
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .new_link(
                &coordinator,
                &first_password_link("piet", Some("Leeg")),
                &link("piet-4", 24),
            )
            .await
            .unwrap(),
        Admission::LinkReady
    );
    assert_eq!(link_state(store, "piet-2").await, LinkState::Unknown);

    // A link past its expiry does nothing.
    let mut late = invitation("laat", Role::Professional, "Leeg", false);
    late.link = link("laat", -1);
    assert_eq!(
        store.invite_user(&coordinator, &late).await.unwrap(),
        Admission::LinkReady,
        "the coordinator's own accounts need no approval"
    );
    assert_eq!(
        store
            .activate_user(&late.link.token_hash, "$argon2id$laat")
            .await
            .unwrap(),
        LinkState::Expired
    );
    assert_eq!(store.user_for_login("laat").await.unwrap().unwrap().1, "");

    // Rejected: disabled, the name stays taken.
    by_admin("stiekem", Role::Coordinator, "Leeg")
        .await
        .unwrap();
    assert!(
        store
            .decide_user(&coordinator, "Leeg", "stiekem", None)
            .await
            .unwrap()
    );
    assert!(
        !store
            .decide_user(&coordinator, "Leeg", "stiekem", None)
            .await
            .unwrap()
    );
    let stiekem = user(store, "stiekem").await;
    assert!(stiekem.disabled);
    assert!(matches!(
        store
            .invite_user(
                &coordinator,
                &invitation("stiekem", Role::Professional, "Leeg", false)
            )
            .await,
        Err(StoreError::AlreadyExists(Subject::User(_)))
    ));

    // A disabled account's link is dead.
    store.disable_user(&coordinator, "piet").await.unwrap();
    assert_eq!(link_state(store, "piet-4").await, LinkState::Unknown);

    let log = store.audit_log(&AuditFilter::default()).await.unwrap();
    let find = |action: AuditAction| {
        log.iter()
            .filter(|r| r.entry.action == action)
            .map(|r| {
                (
                    r.entry.actor.as_str(),
                    r.entry.organisation.as_deref(),
                    r.entry.detail.as_deref(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find(AuditAction::ActivateUser),
        [("user:kim", Some("Leeg"), None)]
    );
    assert_eq!(
        find(AuditAction::ApproveUser),
        [("user:kim", Some("Leeg"), Some("piet"))]
    );
    assert_eq!(
        find(AuditAction::RejectUser),
        [("user:kim", Some("Leeg"), Some("stiekem"))]
    );
    assert_eq!(
        find(AuditAction::ActivationLink),
        [("user:kim", Some("Leeg"), Some("piet"))]
    );
    assert!(find(AuditAction::AddUser).contains(&(
        "user:admin",
        Some("Leeg"),
        Some("piet (professional), awaiting a coordinator's approval")
    )));
}

dakwacht_testkit::on_both_stores!(
    an_administrator_gets_no_way_into_case_content,
    the_audit_log_is_filtered,
    sessions_belong_to_active_users_and_expire,
    second_factors_and_session_stages,
    accounts_are_added_listed_disabled_and_audited,
    an_import_is_audited_with_its_counts_and_an_aborted_one_not_at_all,
    the_case_list_pages_by_keyset_within_the_filter,
    a_stale_save_is_refused_and_nothing_is_overwritten,
);

/// A database from before activation links: its accounts keep their passwords and can sign in;
/// steps of the schema missing below the newest are applied later too (sqlx applies any step not
/// yet recorded, so a step numbered lower that arrives later, such as another branch's, works).
#[tokio::test]
async fn accounts_of_an_older_database_keep_their_passwords() {
    let (dir, store) = dakwacht_testkit::sqlite().await;
    store
        .add_user(&Actor::cli("beheer"), &new_user("anna", Role::Admin, None))
        .await
        .unwrap();
    drop(store);
    let path = dir.path().join("dakwacht.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "DROP TABLE activation_links; ALTER TABLE users DROP COLUMN approval;
             DELETE FROM _sqlx_migrations WHERE version = 5;",
        )
        .unwrap();
    let store = dakwacht_store::SqliteStore::open(path.to_str().unwrap())
        .await
        .unwrap();
    let (anna, hash) = store.user_for_login("anna").await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$test");
    assert!(anna.activated && !anna.awaiting_approval);
    drop(store);

    // An earlier step recorded as missing while a later one is there: applied, not refused.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TABLE sessions; DELETE FROM _sqlx_migrations WHERE version = 3;")
        .unwrap();
    let store = dakwacht_store::SqliteStore::open(path.to_str().unwrap())
        .await
        .unwrap();
    assert!(
        store
            .user_for_login("anna")
            .await
            .unwrap()
            .unwrap()
            .0
            .activated
    );
}

#[tokio::test]
async fn accounts_of_an_older_postgres_database_keep_their_passwords() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    database
        .store
        .add_user(&Actor::cli("beheer"), &new_user("anna", Role::Admin, None))
        .await
        .unwrap();
    sqlx::raw_sql(
        "DROP TABLE activation_links; ALTER TABLE users DROP COLUMN approval;
         DELETE FROM _sqlx_migrations WHERE version = 3;",
    )
    .execute(database.raw())
    .await
    .unwrap();
    let reopened = dakwacht_store::PgStore::connect(database.schema().options())
        .await
        .unwrap();
    let (anna, hash) = reopened.user_for_login("anna").await.unwrap().unwrap();
    database.close().await;
    assert_eq!(hash, "$argon2id$test");
    assert!(anna.activated && !anna.awaiting_approval);
}
