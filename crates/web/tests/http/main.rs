#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The web application over HTTP, on both stores: one test binary, a module per area. Every
//! scenario gets a fresh database of each kind (`on_both_stores!`), the 23 quickscan cases and the
//! accounts it names.

mod access;
mod admin;
mod api;
mod assessments;
mod cases;
mod children;
mod closing;
mod dashboard;
mod dutch_forms;
mod hardening;
mod i18n;
mod import_children;
mod import_export;
mod letters;
mod own_accounts;
mod rights_check;
mod second_factor;
mod setup_and_sign_in;
mod stays;

/// What every area's scenarios use.
mod prelude {
    pub use axum::body::Body;
    pub use axum::http::{HeaderMap, Request, StatusCode, header};
    pub use dakwacht_core::access::Role;
    pub use dakwacht_store::{Actor, AuditAction, AuditFilter, ImportMessage, SqliteStore, Store};
    pub use dakwacht_testkit::web::{
        Account, BEHEER, COORD, Client, Form, ONDERZOEK, PRO, PRO_A, PRO_B, Session,
        activation_form, activation_link, credentials, csrf_of, hidden_value, login_csrf_cookie,
    };
    pub use dakwacht_testkit::{Database, PASSWORD, TestStore};
    pub use dakwacht_web::Options;
    pub use serde_json::json;

    /// The fields of a new case, as the API takes them.
    pub fn a_new_case() -> serde_json::Value {
        json!({"fields": {"reported_on": "2025-05-01", "children_count": "1"}})
    }
}
