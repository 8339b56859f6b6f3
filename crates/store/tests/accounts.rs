#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Organisations, accounts and the audit log against a real SQLite file.

use dakwacht_core::access::Role;
use dakwacht_core::password;
use dakwacht_store::{
    Actor, AuditAction, AuditEntry, AuditFilter, ImportMessage, NewUser, Store, StoreError,
};
use tokio::sync::mpsc;

mod support;

fn new_user(username: &str, role: Role, organisation: Option<&str>) -> NewUser {
    NewUser {
        username: username.to_string(),
        role,
        organisation: organisation.map(str::to_string),
        password_hash: "$argon2id$test".to_string(),
    }
}

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
    assert!(matches!(taken, Err(StoreError::Conflict(m)) if m.contains("'anna' is taken")));
    let unknown = store
        .add_user(
            &admin,
            &new_user("piet", Role::Professional, Some("Onbekend")),
        )
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound(m)) if m.contains("'Onbekend'")));
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

    let views = store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::ViewCase),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].entry.case_ref.as_deref(), Some("C-1"));
    let by_bob = store
        .audit_log(&AuditFilter {
            actor: Some("cli:bob".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
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
    let (dir, store) = support::sqlite().await;
    write_one_audit_entry(&store).await;
    let conn = rusqlite::Connection::open(dir.path().join("dakwacht.db")).unwrap();
    let update = conn.execute("UPDATE audit_log SET actor = 'x'", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM audit_log", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_postgres() {
    let Some(database) = support::postgres().await else {
        return;
    };
    write_one_audit_entry(&database.store).await;
    let update = sqlx::query("UPDATE audit_log SET actor = 'x'")
        .execute(&database.raw)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log")
        .execute(&database.raw)
        .await;
    database.drop_schema().await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

async fn an_import_is_audited_with_its_counts_and_an_aborted_one_not_at_all<S: Store>(store: &S) {
    let text = "case_ref,organisation,reported_on,children_count\nA-1,Org,2025-01-01,2\n";
    let case = dakwacht_interchange::CaseReader::csv(text.as_bytes())
        .unwrap()
        .unwrap()
        .next()
        .unwrap()
        .1
        .unwrap();
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
    let hash = password::hash("een lange zin als wachtwoord").unwrap();
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

    let (user, csrf) = store
        .session("h1", SessionKind::Web)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "anna");
    assert_eq!(user.organisation.as_deref(), Some("Org"));
    assert_eq!(csrf, "csrf-h1");
    let web = |hash: &'static str| store.session(hash, SessionKind::Web);
    assert!(web("old").await.unwrap().is_none(), "expired");
    assert!(web("unknown").await.unwrap().is_none());
    // The two kinds never stand in for each other.
    assert!(
        web("token").await.unwrap().is_none(),
        "an API token is no web session"
    );
    assert!(
        store
            .session("h1", SessionKind::Api)
            .await
            .unwrap()
            .is_none(),
        "a web session is no API token"
    );
    let (user, _) = store
        .session("token", SessionKind::Api)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "anna");

    // Ending one session leaves the others.
    store.end_session("token").await.unwrap();
    assert!(
        store
            .session("token", SessionKind::Api)
            .await
            .unwrap()
            .is_none()
    );
    assert!(web("h1").await.unwrap().is_some());

    // A disabled account's sessions stop working at once.
    store.disable_user(&admin, "anna").await.unwrap();
    assert!(web("h1").await.unwrap().is_none());
    store.end_session("h1").await.unwrap();
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
}

async fn a_stale_save_is_refused_and_nothing_is_overwritten<S: Store>(store: &S) {
    let text = "case_ref,organisation,reported_on,children_count,route\nH-1,Org,2025-01-01,2,court_eviction\n";
    let case = dakwacht_interchange::CaseReader::csv(text.as_bytes())
        .unwrap()
        .unwrap()
        .next()
        .unwrap()
        .1
        .unwrap();
    let anna = Actor::web("anna");
    let bob = Actor::web("bob");
    assert_eq!(store.save_case(&anna, &case, None).await.unwrap(), 1);
    assert!(matches!(
        store.save_case(&anna, &case, None).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.case_version("Org", "H-1").await.unwrap(), Some(1));

    // Both open version 1; Anna saves first.
    let mut by_anna = case.clone();
    by_anna.children.count = 3;
    assert_eq!(store.save_case(&anna, &by_anna, Some(1)).await.unwrap(), 2);
    let mut by_bob = case.clone();
    by_bob.children.count = 4;
    let refused = store.save_case(&bob, &by_bob, Some(1)).await;
    match refused {
        Err(StoreError::Conflict(message)) => {
            assert!(message.contains("changed by user:anna"), "{message}")
        }
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

on_both_stores!(
    the_audit_log_is_filtered,
    sessions_belong_to_active_users_and_expire,
    accounts_are_added_listed_disabled_and_audited,
    an_import_is_audited_with_its_counts_and_an_aborted_one_not_at_all,
    the_case_list_pages_by_keyset_within_the_filter,
    a_stale_save_is_refused_and_nothing_is_overwritten,
);
