#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! What the store answers when a request cannot be done: typed outcomes that say what they are
//! about, so that each reader (a page in Dutch, the API, the command line) can word them.

use dakwacht_core::Case;
use dakwacht_core::access::Role;
use dakwacht_store::{Actor, ImportMessage, Store, StoreError, Subject};
use dakwacht_testkit::accounts::{first_password_link, invitation, link, new_user};

/// A professional of `organisation`.
fn professional(username: &str, organisation: &str) -> dakwacht_store::NewUser {
    new_user(username, Role::Professional, Some(organisation))
}
use tokio::sync::mpsc;

fn case(organisation: &str, case_ref: &str, children: u8) -> Case {
    let text = format!(
        "case_ref,organisation,reported_on,children_count\n{case_ref},{organisation},2025-01-01,{children}\n"
    );
    dakwacht_interchange::CaseReader::csv(text.as_bytes())
        .unwrap()
        .unwrap()
        .next()
        .unwrap()
        .1
        .unwrap()
}

fn organisation(name: &str) -> Subject {
    Subject::Organisation(name.to_string())
}

fn user(name: &str) -> Subject {
    Subject::User(name.to_string())
}

fn case_subject(organisation: &str, case_ref: &str) -> Subject {
    Subject::case(organisation, case_ref)
}

async fn a_taken_user_name_exists_already<S: Store>(store: &S) {
    let admin = Actor::cli("beheer");
    store.add_organisation(&admin, "Org").await.unwrap();
    store
        .add_user(&admin, &professional("anna", "Org"))
        .await
        .unwrap();
    match store.add_user(&admin, &professional("anna", "Org")).await {
        Err(StoreError::AlreadyExists(subject)) => assert_eq!(subject, user("anna")),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    match store
        .invite_user(&admin, &invitation("anna", Role::Coordinator, "Org", true))
        .await
    {
        Err(StoreError::AlreadyExists(subject)) => assert_eq!(subject, user("anna")),
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    let message = StoreError::AlreadyExists(user("anna")).to_string();
    assert!(message.contains("'anna' is taken"), "{message}");
}

/// An organisation that exists already is not an error: adding it again answers `false`, and an
/// organisation name the store will not keep is a typed refusal.
async fn an_organisation_exists_once_and_its_name_has_a_length<S: Store>(store: &S) {
    let admin = Actor::cli("beheer");
    assert!(store.add_organisation(&admin, "Org").await.unwrap());
    assert!(!store.add_organisation(&admin, "Org").await.unwrap());
    let long = "o".repeat(121);
    match store.add_organisation(&admin, &long).await {
        Err(StoreError::InvalidName(subject)) => assert_eq!(subject, organisation(&long)),
        other => panic!("expected InvalidName, got {other:?}"),
    }
    assert_eq!(store.organisations().await.unwrap(), ["Org"]);
}

async fn a_case_reference_exists_already<S: Store>(store: &S) {
    let anna = Actor::web("anna");
    store
        .save_case(&anna, &case("Org", "H-1", 2), None)
        .await
        .unwrap();
    match store.save_case(&anna, &case("Org", "H-1", 3), None).await {
        Err(StoreError::AlreadyExists(subject)) => {
            assert_eq!(subject, case_subject("Org", "H-1"));
        }
        other => panic!("expected AlreadyExists, got {other:?}"),
    }
    // The same reference in another organisation is another case.
    assert_eq!(
        store
            .save_case(&anna, &case("Ander", "H-1", 3), None)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .case("Org", "H-1")
            .await
            .unwrap()
            .unwrap()
            .children
            .count,
        2,
        "nothing was overwritten"
    );
}

async fn a_stale_save_names_who_changed_the_case_and_when<S: Store>(store: &S) {
    let (anna, bob) = (Actor::web("anna"), Actor::web("bob"));
    store
        .save_case(&anna, &case("Org", "H-1", 2), None)
        .await
        .unwrap();
    assert_eq!(
        store
            .save_case(&anna, &case("Org", "H-1", 3), Some(1))
            .await
            .unwrap(),
        2
    );
    let changed_at = store.history("Org", "H-1").await.unwrap()[1]
        .changed_at
        .clone();
    match store.save_case(&bob, &case("Org", "H-1", 4), Some(1)).await {
        Err(StoreError::StaleVersion { by, at }) => {
            assert_eq!(by, "user:anna");
            assert_eq!(at, changed_at);
        }
        other => panic!("expected StaleVersion, got {other:?}"),
    }
    let message = StoreError::StaleVersion {
        by: "user:anna".into(),
        at: changed_at.clone(),
    }
    .to_string();
    assert!(
        message.contains("user:anna") && message.contains(&changed_at),
        "{message}"
    );
}

async fn what_a_request_needs_is_not_found<S: Store>(store: &S) {
    let admin = Actor::cli("beheer");
    match store
        .add_user(&admin, &professional("piet", "Onbekend"))
        .await
    {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, organisation("Onbekend")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match store
        .invite_user(
            &admin,
            &invitation("piet", Role::Coordinator, "Onbekend", true),
        )
        .await
    {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, organisation("Onbekend")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match store.disable_user(&admin, "niemand").await {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, user("niemand")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // An account that exists but does not await activation is not found for a new link.
    store.add_organisation(&admin, "Org").await.unwrap();
    store
        .add_user(&admin, &professional("anna", "Org"))
        .await
        .unwrap();
    match store
        .new_link(
            &admin,
            &first_password_link("anna", None),
            &link("anna", 24),
        )
        .await
    {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, user("anna")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match store
        .save_case(&Actor::web("anna"), &case("Org", "H-9", 2), Some(1))
        .await
    {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, case_subject("Org", "H-9")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    let observation = dakwacht_core::Observation {
        on: None,
        situation: dakwacht_core::LivingSituation::RoughSleeping,
        source: dakwacht_core::ObservationSource::Recorded,
    };
    match store
        .record_stay(&Actor::web("anna"), &case("Org", "H-9", 2), 1, &observation)
        .await
    {
        Err(StoreError::NotFound(subject)) => assert_eq!(subject, case_subject("Org", "H-9")),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

dakwacht_testkit::on_both_stores!(
    a_taken_user_name_exists_already,
    an_organisation_exists_once_and_its_name_has_a_length,
    a_case_reference_exists_already,
    a_stale_save_names_who_changed_the_case_and_when,
    what_a_request_needs_is_not_found,
);

/// On PostgreSQL a case can be created by hand while an import that will create it runs (on
/// SQLite the import holds the only write lock). The import then stores nothing and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_created_during_an_import_is_an_import_race() {
    let Some(database) = dakwacht_testkit::postgres().await else {
        return;
    };
    let store = &database.store;
    store
        .save_case(&Actor::web("anna"), &case("Org", "H-0", 2), None)
        .await
        .unwrap();
    // Someone else creates H-1 and has not committed yet: the import does not see it, and its
    // insert waits for that transaction, then finds the reference taken.
    let mut other = database.raw().begin().await.unwrap();
    sqlx::query(
        "INSERT INTO cases (organisation_id, case_ref, version, created_at, updated_at, created_by, \
         reported_on, children_count, children_age_unknown, profile) \
         SELECT id, 'H-1', 1, 'now', 'now', 'user:bob', '2025-01-01', 2, 2, 0 \
         FROM organisations WHERE name = 'Org'",
    )
    .execute(&mut *other)
    .await
    .unwrap();
    let (tx, rx) = mpsc::channel(2);
    let import = {
        let store = store.clone();
        tokio::spawn(async move { store.import(&Actor::cli("import"), "race.csv", rx).await })
    };
    tx.send(ImportMessage::Cases(vec![case("Org", "H-1", 3)]))
        .await
        .unwrap();
    tx.send(ImportMessage::Commit).await.unwrap();
    // Long enough for the import to reach its insert and wait there.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    other.commit().await.unwrap();
    let outcome = import.await.unwrap();
    let stored = store.case("Org", "H-1").await.unwrap().unwrap();
    database.close().await;
    assert!(
        matches!(outcome, Err(StoreError::ImportRace)),
        "{outcome:?}"
    );
    assert_eq!(stored.children.count, 2, "the case of the other stands");
}
