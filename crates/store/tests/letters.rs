#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The letters made for a case, on both stores: recorded with an audit line that names the
//! letter and never its text, read back oldest first, refused for a case that does not exist,
//! kept unchanged, and deleted with their case when its retention period is over.

use dakwacht_core::{ClosingReason, Closure};
use dakwacht_store::{Actor, AuditAction, AuditFilter, NewLetter, Store, StoreError};

const ORG: &str = "Straatalliantie";

fn letter<'a>(format: &'a str, body: &'a str) -> NewLetter<'a> {
    NewLetter {
        letter: "shelter_request",
        format,
        subject: "Verzoek om opvang",
        body,
    }
}

async fn letters_made_are_kept_with_their_case<S: Store>(store: &S) {
    dakwacht_testkit::import_cases(store, dakwacht_testkit::quickscan_cases()).await;
    let actor = Actor::cli("anna");
    let first = store
        .record_letter(
            &actor,
            ORG,
            "QS-01",
            &letter("pdf", "Geacht college, fam. De Vries"),
        )
        .await
        .unwrap();
    let second = store
        .record_letter(&actor, ORG, "QS-01", &letter("docx", "Tweede versie"))
        .await
        .unwrap();
    assert!(second > first);
    let made = store.letters_made(ORG, "QS-01").await.unwrap();
    let seen: Vec<(&str, &str, &str)> = made
        .iter()
        .map(|m| (m.format.as_str(), m.body.as_str(), m.made_by.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("pdf", "Geacht college, fam. De Vries", actor.as_str()),
            ("docx", "Tweede versie", actor.as_str())
        ]
    );
    assert!(store.letters_made(ORG, "QS-06").await.unwrap().is_empty());

    // The audit line names the letter and its format, never the text.
    let lines = store
        .audit_log(&AuditFilter {
            action: Some(AuditAction::MakeLetter),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| {
        l.entry
            .detail
            .as_deref()
            .is_some_and(|d| d.starts_with("letter shelter_request (") && !d.contains("Vries"))
    }));

    // A case that is not there, or a format that is not one: nothing recorded.
    assert!(matches!(
        store
            .record_letter(&actor, ORG, "NOPE", &letter("pdf", "x"))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .record_letter(&actor, ORG, "QS-01", &letter("odt", "x"))
            .await
            .is_err()
    );
    assert_eq!(store.letters_made(ORG, "QS-01").await.unwrap().len(), 2);

    // Closed long ago: deleted with the case, counted among its history entries.
    let long_ago = Closure {
        on: jiff::civil::date(2020, 1, 31),
        reason: ClosingReason::ContactEnded,
    };
    assert!(
        store
            .close_case(&actor, ORG, "QS-01", &long_ago)
            .await
            .unwrap()
    );
    let deleted = store
        .delete_closed(&actor, jiff::civil::date(2020, 1, 31), "test")
        .await
        .unwrap();
    // The closing itself, and the two letters.
    assert_eq!((deleted.cases, deleted.history_entries), (1, 3));
    assert!(store.letters_made(ORG, "QS-01").await.unwrap().is_empty());
}

dakwacht_testkit::on_both_stores!(letters_made_are_kept_with_their_case);
