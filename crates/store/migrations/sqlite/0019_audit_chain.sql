-- dakwacht schema (sqlite): the audit log as a hash chain. Each entry carries the hash of the entry
-- before it and its own (SHA-256 over its fields, written by the application; see
-- store/src/audit_chain.rs). Entries from before this version have neither and cannot be
-- verified; `dakwacht audit --verify` counts them apart.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
