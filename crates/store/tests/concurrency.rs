#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Concurrent writers on one database, through two independent handles (as a command-line
//! import next to the web server would have): two imports at once, and hand edits while an
//! import runs. Nothing may be lost, mixed or half-stored, on SQLite and on PostgreSQL.
//!
//! Each import is fed slowly on purpose: it sends its first batch, lets the other writer start,
//! and only then sends the rest. So the other writer always arrives while the import's
//! transaction is open, and what is tested is the overlap, not luck of timing.

use std::collections::BTreeMap;
use std::time::Duration;

use dakwacht_core::{Case, CaseFilter, CaseRef, Notes, OrganisationName, date::parse_date};
use dakwacht_store::{Actor, ImportMessage, ImportSummary, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

const ORGANISATION: &str = "Straatalliantie";

fn case(reference: &str, notes: &str) -> Case {
    let mut case = Case::new(
        CaseRef::parse(reference).unwrap(),
        OrganisationName::parse(ORGANISATION).unwrap(),
        parse_date("2025-03-01").unwrap(),
        2,
    );
    case.notes = Notes::parse(notes);
    case
}

fn cases(references: std::ops::Range<u32>, notes: &str) -> Vec<Case> {
    references
        .map(|n| case(&format!("C-{n:06}"), notes))
        .collect()
}

/// Runs an import that sends its first batch, tells `started` that its transaction is open,
/// waits a moment so the other writer really arrives in the middle, and then sends the rest.
async fn slow_import<S: Store>(
    store: &S,
    actor: &Actor,
    mut cases: Vec<Case>,
    started: Option<oneshot::Sender<()>>,
) -> Result<ImportSummary, StoreError> {
    let (tx, rx) = mpsc::channel(2);
    let rest = cases.split_off(cases.len() / 4);
    let feeding = async move {
        tx.send(ImportMessage::Cases(cases)).await.unwrap();
        // The store has taken the first batch: its transaction is open.
        tx.send(ImportMessage::Cases(Vec::new())).await.unwrap();
        if let Some(started) = started {
            let _ = started.send(());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        for batch in rest.chunks(1000) {
            tx.send(ImportMessage::Cases(batch.to_vec())).await.unwrap();
        }
        tx.send(ImportMessage::Commit).await.unwrap();
    };
    let (result, ()) = tokio::join!(store.import(actor, "concurrent.csv", rx), feeding);
    result
}

async fn everything<S: Store>(store: &S) -> BTreeMap<String, Case> {
    let (tx, mut rx) = mpsc::channel(4);
    let filter = CaseFilter::default();
    let (count, all) = tokio::join!(store.export(&filter, tx), async {
        let mut all = BTreeMap::new();
        while let Some(batch) = rx.recv().await {
            for case in batch {
                all.insert(case.case_ref.as_str().to_string(), case);
            }
        }
        all
    });
    assert_eq!(count.unwrap(), all.len() as u64);
    all
}

/// The history of a case is whole: versions 1, 2, 3, … without a gap or a double, ending at the
/// case's current version.
async fn assert_history_is_whole<S: Store>(store: &S, reference: &str) -> Vec<String> {
    let history = store.history(ORGANISATION, reference).await.unwrap();
    let versions: Vec<i64> = history.iter().map(|c| c.version).collect();
    let expected: Vec<i64> = (1..=history.len() as i64).collect();
    assert_eq!(versions, expected, "history of {reference}");
    let current = store
        .case_with_version(ORGANISATION, reference)
        .await
        .unwrap()
        .map(|(_, version)| version);
    assert_eq!(
        current,
        Some(history.len() as i64),
        "version of {reference}"
    );
    history.into_iter().map(|c| c.actor).collect()
}

async fn two_imports_at_once_each_store_their_whole_file<S: Store>(one: &S, other: &S) {
    // Two files that share 2,000 cases, with different notes in each file.
    let first = cases(0..6_000, "first file");
    let second = cases(4_000..10_000, "second file");
    let (first_actor, second_actor) = (Actor::cli("first"), Actor::cli("second"));
    let (started, go) = oneshot::channel();
    let (a, b) = tokio::join!(
        slow_import(one, &first_actor, first, Some(started)),
        async {
            go.await.unwrap();
            slow_import(other, &second_actor, second, None).await
        }
    );
    let (a, b) = (a.unwrap(), b.unwrap());

    // One import ran after the other: the later one created its own 4,000 cases and updated
    // the 2,000 shared ones, the earlier one created all of its 6,000.
    assert_eq!(a.created + b.created, 10_000, "{a:?} {b:?}");
    assert_eq!(a.unchanged + b.unchanged, 0, "{a:?} {b:?}");
    let (later, later_notes) = if a.updated > 0 {
        (a, "first file")
    } else {
        (b, "second file")
    };
    assert_eq!(later.updated, 2_000, "{a:?} {b:?}");
    assert_eq!(later.created, 4_000, "{a:?} {b:?}");

    let stored = everything(one).await;
    assert_eq!(stored.len(), 10_000);
    for n in 0..10_000u32 {
        let reference = format!("C-{n:06}");
        let notes = stored[&reference]
            .notes
            .as_ref()
            .map(|n| n.as_str().to_string());
        let expected = match n {
            0..4_000 => "first file",
            4_000..6_000 => later_notes,
            _ => "second file",
        };
        assert_eq!(notes.as_deref(), Some(expected), "{reference}");
    }
    for reference in ["C-004000", "C-005999"] {
        assert_eq!(assert_history_is_whole(one, reference).await.len(), 2);
    }
    // Both handles see the same data.
    assert_eq!(everything(other).await, stored);
}

async fn hand_edits_during_an_import_are_neither_lost_nor_mixed<S: Store>(one: &S, other: &S) {
    // 1,000 families are known; a new file changes the first 200 of them and adds 9,000.
    let known = cases(0..1_000, "known");
    let base = slow_import(one, &Actor::cli("setup"), known, None)
        .await
        .unwrap();
    assert_eq!(base.created, 1_000);
    let mut file = cases(0..200, "from the file");
    file.extend(cases(1_000..10_000, "new in the file"));

    let (importer, worker) = (Actor::cli("import"), Actor::web("anna"));
    let (started, go) = oneshot::channel();
    let (imported, edits) = tokio::join!(slow_import(one, &importer, file, Some(started)), async {
        go.await.unwrap();
        let mut outcomes = Vec::new();
        // Cases the file also changes (contended) and cases it leaves alone.
        for n in (0..200).step_by(20).chain(500..520) {
            let reference = format!("C-{n:06}");
            let version = other
                .case_with_version(ORGANISATION, &reference)
                .await
                .unwrap()
                .map(|(_, version)| version);
            let saved = other
                .save_case(&worker, &case(&reference, "by hand"), version)
                .await;
            outcomes.push((reference, saved));
        }
        // New families entered by hand.
        for n in 20_000..20_010 {
            let saved = other
                .save_case(&worker, &case(&format!("C-{n:06}"), "by hand"), None)
                .await;
            outcomes.push((format!("C-{n:06}"), saved));
        }
        outcomes
    });
    let imported = imported.unwrap();
    assert_eq!(imported.created, 9_000, "{imported:?}");

    let stored = everything(other).await;
    assert_eq!(stored.len(), 1_000 + 9_000 + 10);
    for (reference, saved) in edits {
        let notes = stored[&reference]
            .notes
            .as_ref()
            .map(|n| n.as_str().to_string());
        if reference.as_str() >= "C-020000" {
            assert!(saved.is_ok(), "a new case: {reference}: {saved:?}");
        }
        let actors = assert_history_is_whole(other, &reference).await;
        match saved {
            // A save is either refused (it read a version the import had replaced) or stands
            // in the history; the case holds whatever the last writer in the history wrote.
            Ok(_) => assert!(actors.contains(&"user:anna".to_string()), "{reference}"),
            Err(StoreError::StaleVersion { .. }) => {
                assert!(!actors.contains(&"user:anna".to_string()), "{reference}")
            }
            Err(error) => panic!("{reference}: the hand edit failed: {error}"),
        }
        let expected = match actors.last().map(String::as_str) {
            Some("user:anna") => "by hand",
            Some("cli:import") => "from the file",
            Some("cli:setup") => "known",
            other => panic!("{reference}: unexpected last writer {other:?}"),
        };
        assert_eq!(notes.as_deref(), Some(expected), "{reference}: {actors:?}");
    }
    // Cases the file does not hold keep the hand edit.
    for n in 500..520 {
        let reference = format!("C-{n:06}");
        assert_eq!(
            stored[&reference].notes.as_ref().map(|n| n.as_str()),
            Some("by hand"),
            "{reference}"
        );
    }
    // Every case the file changed carries the file's change, after or instead of the hand's.
    for n in 0..200 {
        let reference = format!("C-{n:06}");
        let actors = assert_history_is_whole(other, &reference).await;
        assert!(
            actors.contains(&"cli:import".to_string()),
            "{reference}: {actors:?}"
        );
    }
}

/// An editor reads a case and its version while another saves it again and again: every read
/// gives a version whose content it is. Each save writes its own version number into the notes,
/// so a case of one version paired with another version's number shows at once. (Read as two
/// queries, a save in between paired version n's content with version n + 1, and the editor's
/// next save overwrote what it never showed.)
async fn a_case_is_read_with_the_version_of_its_content<S: Store>(one: &S, other: &S) {
    const SAVES: i64 = 150;
    let (writer, reference) = (Actor::web("anna"), "C-000001");
    let notes = |version: i64| format!("written as version {version}");
    one.save_case(&writer, &case(reference, &notes(1)), None)
        .await
        .unwrap();
    let (done, mut finished) = oneshot::channel();
    let saving = async {
        for version in 1..SAVES {
            let saved = one
                .save_case(
                    &writer,
                    &case(reference, &notes(version + 1)),
                    Some(version),
                )
                .await
                .unwrap();
            assert_eq!(saved, version + 1);
            tokio::task::yield_now().await;
        }
        done.send(()).unwrap();
    };
    let reading = async {
        let mut reads = 0;
        let mut versions_seen = std::collections::BTreeSet::new();
        while finished.try_recv().is_err() {
            let (read, version) = other
                .case_with_version(ORGANISATION, reference)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                read.notes.as_ref().map(|n| n.as_str().to_string()),
                Some(notes(version)),
                "read {reads}: the content is not that of version {version}"
            );
            versions_seen.insert(version);
            reads += 1;
        }
        (reads, versions_seen.len())
    };
    // Polled together, the saves and the reads are in flight at the database at the same time.
    let ((), (reads, distinct)) = tokio::join!(saving, reading);
    assert!(
        reads > 10 && distinct > 2,
        "the reads overlapped the saves: {reads} reads, {distinct} versions"
    );
}

dakwacht_testkit::on_both_stores_with_two_writers!(
    a_case_is_read_with_the_version_of_its_content,
    two_imports_at_once_each_store_their_whole_file,
    hand_edits_during_an_import_are_neither_lost_nor_mixed,
);
