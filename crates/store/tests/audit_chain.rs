#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The audit log as a hash chain: every way an entry is written (a use case's own line, a
//! change with its line, an import, a save) follows the chain, two writers at once never fork
//! it, and a changed or removed entry is found where it is.

use dakwacht_core::access::Role;
use dakwacht_store::{Actor, AuditAction, AuditEntry};
use dakwacht_testkit::accounts::new_user;
use dakwacht_testkit::{Database, TestStore, import_cases, quickscan_cases};

/// Lets a test change the log as someone with the database's own rights could: the append-only
/// triggers off.
async fn tamper<S: TestStore>(database: &Database<S>, statement: &str) {
    match S::KIND {
        "sqlite" => {
            database
                .execute("DROP TRIGGER IF EXISTS audit_log_append_only_update")
                .await;
            database
                .execute("DROP TRIGGER IF EXISTS audit_log_append_only_delete")
                .await;
        }
        _ => {
            database
                .execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
                .await
        }
    }
    database.execute(statement).await;
}

async fn every_entry_follows_the_chain_and_a_change_is_found<S: TestStore>(database: &Database<S>) {
    let store = &database.store;
    let admin = Actor::cli("beheer");
    import_cases(store, quickscan_cases()).await;
    store
        .add_user(&admin, &new_user("anna", Role::Admin, None))
        .await
        .unwrap();
    for n in 0..3 {
        store
            .audit(&AuditEntry::new(&admin, AuditAction::Statistics).detail(format!("run {n}")))
            .await
            .unwrap();
    }
    let found = store.verify_audit_chain().await.unwrap();
    assert!(found.intact(), "{found:?}");
    assert_eq!(found.unchained, 0);
    assert!(found.entries >= 5, "{found:?}");
    let (last_id, last_hash) = found.last.clone().unwrap();
    assert_eq!(last_hash.len(), 64);

    // A detail changed in the middle: that entry is named.
    let ids: Vec<i64> = store
        .audit_log(&Default::default())
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .rev()
        .collect();
    let middle = ids[ids.len() / 2];
    tamper(
        database,
        &format!("UPDATE audit_log SET detail = 'nothing to see' WHERE id = {middle}"),
    )
    .await;
    let found = store.verify_audit_chain().await.unwrap();
    assert_eq!(found.breaks.first().map(|b| b.0), Some(middle), "{found:?}");
    assert!(found.breaks[0].1.contains("changed"));

    // An entry removed: the one after it no longer follows.
    let removed = ids[1];
    tamper(
        database,
        &format!("DELETE FROM audit_log WHERE id = {removed}"),
    )
    .await;
    let found = store.verify_audit_chain().await.unwrap();
    assert_eq!(found.breaks.first().map(|b| b.0), Some(ids[2]), "{found:?}");
    assert_eq!(found.last.unwrap().0, last_id);
}

async fn two_writers_at_once_never_fork_the_chain<S: TestStore>(database: &Database<S>) {
    let other = S::reopen(database).await;
    let one = &database.store;
    let write = |store: S, n: usize| async move {
        let admin = Actor::cli("beheer");
        for i in 0..20 {
            store
                .audit(&AuditEntry::new(&admin, AuditAction::Statistics).detail(format!("{n}-{i}")))
                .await
                .unwrap();
        }
    };
    let (a, b, c) = tokio::join!(
        tokio::spawn(write(one.clone(), 1)),
        tokio::spawn(write(other.clone(), 2)),
        tokio::spawn(write(one.clone(), 3)),
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    let found = one.verify_audit_chain().await.unwrap();
    assert!(found.intact(), "{found:?}");
    assert_eq!(found.entries, 60);
}

dakwacht_testkit::on_both_stores!(database: every_entry_follows_the_chain_and_a_change_is_found, two_writers_at_once_never_fork_the_chain);
