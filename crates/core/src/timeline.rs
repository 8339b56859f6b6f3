//! Observations of where a family stays, over time.
//!
//! Families move: from the lost home to friends, to a car, to a shelter. Following them is the
//! point of dakwacht, so a case holds a timeline, not one "situation" field. The interchange columns
//! are the fixed points of that timeline; each observation says which one it came from.

use crate::codes::LivingSituation;
use crate::date::DateOrMonth;

/// Where an observation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationSource {
    /// `situation_after`: directly after the loss of the home (dated `home_lost_on`).
    AfterLoss,
    /// `last_seen_on` / `last_seen_situation`: the last time the situation was known.
    LastSeen,
    /// `rehoused_on`: the family got adequate housing.
    Rehoused,
    /// `current_situation`: the situation on `reported_on`.
    Report,
    /// Recorded by a professional in dakwacht, beyond the interchange columns.
    Recorded,
}

/// One observation: on this date (if known) the family stayed here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    pub on: Option<DateOrMonth>,
    pub situation: LivingSituation,
    pub source: ObservationSource,
}
