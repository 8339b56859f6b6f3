//! At most one heavy job (checking an upload, storing it, exporting) per user at a time. One user
//! with a dozen tabs must not be able to fill the server's memory and cores; a second job gets a
//! clear "busy" answer instead of waiting in line.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct HeavyJobs {
    running: Arc<Mutex<HashSet<String>>>,
}

/// A running job; the user may start another once it is dropped.
pub struct HeavyJob {
    running: Arc<Mutex<HashSet<String>>>,
    username: String,
}

impl HeavyJobs {
    /// Starts a job for `username`, or `None` while another of that user runs.
    pub fn start(&self, username: &str) -> Option<HeavyJob> {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        running.insert(username.to_string()).then(|| HeavyJob {
            running: self.running.clone(),
            username: username.to_string(),
        })
    }
}

impl Drop for HeavyJob {
    fn drop(&mut self) {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&self.username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_per_user_at_a_time() {
        let jobs = HeavyJobs::default();
        let first = jobs.start("anna");
        assert!(first.is_some());
        assert!(
            jobs.start("anna").is_none(),
            "a second job of the same user"
        );
        assert!(jobs.start("bert").is_some(), "another user is not held up");
        drop(first);
        assert!(jobs.start("anna").is_some(), "after the first ended");
    }
}
