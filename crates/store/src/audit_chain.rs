//! The audit log as a hash chain (ASVS 5.0, 16.4.2): each entry carries the hash of the one
//! before it and its own, over its fields. Changing or removing an entry in the middle breaks
//! the chain at the next one, which [`verify`] finds; entries cut off at the end are found by
//! comparing the last hash with one noted elsewhere (`dakwacht audit --verify` prints it).
//!
//! Every path that writes an entry (the shared queries, the SQLite and PostgreSQL import and
//! save paths, the backup) reads the last hash and writes the new entry in one write
//! transaction: SQLite's `BEGIN IMMEDIATE` holds the whole database, PostgreSQL takes
//! [`LOCK_AUDIT`] first, so two writers never chain onto the same entry.

use sha2::{Digest, Sha256};

use crate::AuditEntry;

/// The hash the first chained entry follows.
pub const GENESIS: &str = "";

/// The newest entry's hash (NULL for an entry from before the chain, or no row at all).
pub(crate) const LAST_HASH: &str = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";

/// PostgreSQL: one appender at a time until the transaction ends.
pub(crate) const LOCK_AUDIT: &str = "SELECT pg_advisory_xact_lock(4242001)";

/// An entry with its place in the chain: at, actor, action, organisation, case reference,
/// detail, previous hash, hash (`$1` … `$8`).
pub(crate) const INSERT_CHAINED: &str = "INSERT INTO audit_log
        (at, actor, action, organisation, case_ref, detail, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// The hash of an entry written at `at` after the entry whose hash is `previous`: SHA-256 over
/// the fields, each preceded by its length (so no two different entries give the same input),
/// in hex.
pub fn seal(previous: &str, at: &str, entry: &AuditEntry) -> String {
    let mut hasher = Sha256::new();
    let fields = [
        Some(previous),
        Some(at),
        Some(entry.actor.as_str()),
        Some(entry.action.code()),
        entry.organisation.as_deref(),
        entry.case_ref.as_deref(),
        entry.detail.as_deref(),
    ];
    for field in fields {
        match field {
            None => hasher.update(b"-"),
            Some(text) => {
                hasher.update(text.len().to_string().as_bytes());
                hasher.update(b":");
                hasher.update(text.as_bytes());
            }
        }
        hasher.update(b";");
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends an entry on a SQLite connection in a write (`IMMEDIATE`) transaction: the import,
/// save and backup paths, which use rusqlite.
pub(crate) fn append_on_sqlite(
    conn: &rusqlite::Connection,
    at: &str,
    entry: &AuditEntry,
) -> Result<(), crate::StoreError> {
    use rusqlite::OptionalExtension;
    let previous: Option<String> = conn
        .query_row(LAST_HASH, [], |row| row.get(0))
        .optional()?
        .flatten();
    let previous = previous.unwrap_or_default();
    let hash = seal(&previous, at, entry);
    conn.execute(
        INSERT_CHAINED,
        rusqlite::params![
            at,
            entry.actor,
            entry.action.code(),
            entry.organisation,
            entry.case_ref,
            entry.detail,
            previous,
            hash
        ],
    )?;
    Ok(())
}

/// One stored entry as the verification reads it.
pub(crate) struct StoredLink {
    pub id: i64,
    pub at: String,
    pub entry: AuditEntry,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// What a verification of the whole chain found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditVerification {
    /// Entries read.
    pub entries: u64,
    /// Entries from before the chain (a database older than it): not verifiable, and only
    /// allowed before the first chained entry.
    pub unchained: u64,
    /// The first entries where the chain breaks (id and why), at most [`MAX_BREAKS`].
    pub breaks: Vec<(i64, String)>,
    /// The last entry's id and hash: note it elsewhere, to find entries cut off at the end.
    pub last: Option<(i64, String)>,
}

impl AuditVerification {
    pub fn intact(&self) -> bool {
        self.breaks.is_empty()
    }
}

/// The most breaks a verification lists.
pub const MAX_BREAKS: usize = 20;

/// Checks entries in id order, going on from what `found` holds.
pub(crate) fn verify(found: &mut AuditVerification, links: &[StoredLink]) {
    for link in links {
        found.entries += 1;
        let previous = found.last.as_ref().map(|(_, hash)| hash.as_str());
        let broken = match (&link.hash, &link.prev_hash) {
            (None, _) if previous.is_none() && found.unchained + 1 == found.entries => {
                found.unchained += 1;
                None
            }
            (None, _) => Some("has no hash, after chained entries".to_string()),
            (Some(hash), prev) => {
                let prev = prev.as_deref().unwrap_or(GENESIS);
                if prev != previous.unwrap_or(GENESIS) {
                    Some("does not follow the entry before it (one was changed or removed)".into())
                } else if *hash != seal(prev, &link.at, &link.entry) {
                    Some("its content does not match its hash (it was changed)".into())
                } else {
                    None
                }
            }
        };
        if let Some(why) = broken
            && found.breaks.len() < MAX_BREAKS
        {
            found.breaks.push((link.id, why));
        }
        if let Some(hash) = &link.hash {
            found.last = Some((link.id, hash.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, AuditAction};

    fn link(id: i64, prev: &str, entry: &AuditEntry) -> StoredLink {
        let at = format!("2026-12-07T10:00:0{id}Z");
        StoredLink {
            id,
            hash: Some(seal(prev, &at, entry)),
            at,
            entry: entry.clone(),
            prev_hash: Some(prev.to_string()),
        }
    }

    #[test]
    fn a_chain_verifies_and_any_change_breaks_it() {
        let entry = AuditEntry::new(&Actor::web("pro"), AuditAction::ViewCase).case("Org", "QS-1");
        let first = link(1, GENESIS, &entry);
        let second = link(
            2,
            first.hash.as_deref().unwrap(),
            &entry.clone().detail("x"),
        );
        let third = link(3, second.hash.as_deref().unwrap(), &entry);
        let mut found = AuditVerification::default();
        verify(&mut found, &[first, second, third]);
        assert!(found.intact(), "{found:?}");
        assert_eq!(found.entries, 3);

        // A field changed: that entry breaks.
        let first = link(1, GENESIS, &entry);
        let mut second = link(2, first.hash.as_deref().unwrap(), &entry);
        second.entry.case_ref = Some("QS-2".into());
        let mut found = AuditVerification::default();
        verify(&mut found, &[first, second]);
        assert_eq!(found.breaks[0].0, 2);

        // An entry removed: the next one no longer follows.
        let first = link(1, GENESIS, &entry);
        let second = link(2, first.hash.as_deref().unwrap(), &entry);
        let third = link(3, second.hash.as_deref().unwrap(), &entry);
        let mut found = AuditVerification::default();
        verify(&mut found, &[first, third]);
        assert_eq!(found.breaks[0].0, 3);

        // None and "" are told apart.
        let a = seal(GENESIS, "t", &entry.clone().detail(""));
        assert_ne!(a, seal(GENESIS, "t", &entry));
    }

    #[test]
    fn entries_from_before_the_chain_only_come_first() {
        let entry = AuditEntry::new(&Actor::web("pro"), AuditAction::ListCases);
        let old = |id| StoredLink {
            id,
            at: "2025-01-01T00:00:00Z".into(),
            entry: entry.clone(),
            prev_hash: None,
            hash: None,
        };
        let chained = link(3, GENESIS, &entry);
        let mut found = AuditVerification::default();
        verify(&mut found, &[old(1), old(2), chained]);
        assert!(found.intact());
        assert_eq!(found.unchained, 2);
        let mut found = AuditVerification::default();
        verify(&mut found, &[link(1, GENESIS, &entry), old(2)]);
        assert_eq!(found.breaks[0].0, 2);
    }
}
