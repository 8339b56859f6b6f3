//! What a use case can answer besides its result.

use dakwacht_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not for this principal (recorded in the audit log). `hidden` when it is case data of
    /// another organisation: answered exactly as "not found", so its existence is not revealed.
    #[error("refused: {why}")]
    Refused { why: &'static str, hidden: bool },
    /// The case, account or link asked for does not exist (or is not in reach).
    #[error("not found")]
    NotFound,
    /// The store's outcome: busy, a stale version, a name taken, a rejected import, a fault.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The export's file could not be written (a folder that does not exist, a full disk): the
    /// writer's words. The cases were read; the export is not recorded as done.
    #[error("the export could not be written: {0}")]
    NotWritten(String),
    /// No secure random numbers, a task that panicked: a fault, never the user's doing.
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    /// Whether it is a refusal, and why.
    pub fn refusal(&self) -> Option<&'static str> {
        match self {
            Error::Refused { why, .. } => Some(why),
            _ => None,
        }
    }
}
