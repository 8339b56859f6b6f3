//! Domain types of dakwacht: a family [`Case`] with its code lists, dates that may be known only to
//! the month, the living-situation timeline and the duration of homelessness.
//!
//! Pure: no I/O, no HTTP, no SQL. Everything here can be used from the importer, the store, the
//! rules, the statistics and the web application alike.

pub mod access;
pub mod assessment;
pub mod case;
pub mod child;
pub mod child_facts;
pub mod child_figures;
pub mod closing;
pub mod codes;
pub mod columns;
pub mod control;
pub mod date;
pub mod duration;
pub mod expected;
pub mod facts;
pub mod field;
pub mod filter;
pub mod password;
pub mod profile;
pub mod stay;
pub mod timeline;
pub mod written;

pub use assessment::{Assessment, AssessmentProblem, AssessmentSteps, Finding, Step};
pub use case::{
    Case, CaseRef, ChildAge, Children, LastSeen, Municipality, Notes, OrganisationName,
};
pub use child::{Child, ChildColumnSet, ChildError, ChildField, ChildRow, Heard, Schooling};
pub use child_facts::{ChildFacts, ChildVariable};
pub use child_figures::{ChildFigures, ChildProfile};
pub use closing::{Closure, Retention};
pub use codes::{
    Alternative, AssessedDecision, ClosingReason, CodeList, EthosCategory, FamilySeparated,
    HeardBy, Household, InterestElement, InterestHolder, Lang, LegalSupport, LivingSituation,
    Prevailed, Reason, Route, School, StaysWith, Tenancy,
};
pub use columns::ColumnSet;
pub use date::{Date, DateOrMonth, Precision, YearMonth};
pub use duration::{Contribution, DurationBand, homeless_months};
pub use expected::Expected;
pub use facts::{FactValue, Facts, Variable, VariableKind};
pub use field::{ColumnError, Field, FieldError};
pub use filter::{BreakdownBy, CaseFilter, period_of_month};
pub use profile::{CaseProfile, ProfileCount};
pub use stay::{RecordedStay, StayEffect, WithoutStay};
pub use timeline::{Observation, ObservationSource};
