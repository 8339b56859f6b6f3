//! The case list of the own organisation: search and filters, keyset paging (as fast on page
//! 20,000 as on page 1).
//!
//! The list itself is [`dakwacht_app::Acting::list_cases`]; when a signal filter reads at most
//! [`dakwacht_app::SCAN_LIMIT`] cases without filling the page, the page says how far it got and
//! offers to search on.

use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use dakwacht_app::{CaseList, CaseQuery, Store};
use dakwacht_core::{CaseFilter, LivingSituation, Route, Tenancy};
use serde::Deserialize;

use crate::auth::Signed;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{CaseLine, encode_segment, render};

const PAGE_SIZE: u32 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// The last case reference of the previous page.
    after: Option<String>,
    /// Part of the case reference.
    q: Option<String>,
    municipality: Option<String>,
    tenancy: Option<String>,
    route: Option<String>,
    situation: Option<String>,
    signal: Option<String>,
    out_of_view: Option<String>,
}

impl ListQuery {
    fn text(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }

    /// The query string of these filters (without `after`), for the next page's link.
    fn filters_query(&self) -> String {
        [
            ("q", &self.q),
            ("municipality", &self.municipality),
            ("tenancy", &self.tenancy),
            ("route", &self.route),
            ("situation", &self.situation),
            ("signal", &self.signal),
            ("out_of_view", &self.out_of_view),
        ]
        .iter()
        .filter_map(|(name, value)| {
            Self::text(value).map(|v| format!("{name}={}", encode_segment(v)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One choice of a filter's drop-down list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> String,
    chosen: Option<&str>,
) -> Vec<Choice> {
    all.iter()
        .map(|item| Choice {
            value: code(*item).to_string(),
            label: label(*item),
            selected: chosen == Some(code(*item)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CaseListPage {
    tr: Tr,
    username: String,
    csrf: String,
    organisation: String,
    /// Coordinators also manage the organisation's accounts.
    coordinator: bool,
    q: String,
    municipality: String,
    tenancies: Vec<Choice>,
    routes: Vec<Choice>,
    situations: Vec<Choice>,
    signals: Vec<Choice>,
    out_of_view: bool,
    filtered: bool,
    cases: Vec<CaseLine>,
    next: Option<String>,
    /// For a signal filter that stopped before filling the page: how many cases it read.
    scanned: Option<usize>,
}

pub async fn case_list<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let code = |value: &Option<String>| ListQuery::text(value).map(str::to_string);
    let filter = CaseFilter {
        municipality: code(&query.municipality),
        tenancy: ListQuery::text(&query.tenancy).and_then(Tenancy::parse),
        route: ListQuery::text(&query.route).and_then(Route::parse),
        current_situation: ListQuery::text(&query.situation).and_then(LivingSituation::parse),
        out_of_view: query.out_of_view.is_some(),
        case_ref_contains: code(&query.q),
        ..CaseFilter::default()
    };
    let signal = ListQuery::text(&query.signal)
        .and_then(|id| state.rules.rule(id))
        .map(|rule| (&state.rules, rule));
    let CaseList {
        organisation,
        cases: page,
        next_after: last_read,
        scanned,
    } = user
        .acting(&state)
        .list_cases(CaseQuery {
            filter: filter.clone(),
            signal,
            after: query.after.clone(),
            limit: PAGE_SIZE,
            via: "web",
        })
        .await?;
    let filters = query.filters_query();
    let next = last_read.map(|last| {
        let separator = if filters.is_empty() { "" } else { "&" };
        format!("/cases?{filters}{separator}after={}", encode_segment(&last))
    });
    let cases = page
        .iter()
        .map(|c| CaseLine::of(&tr, c, c.reported_on.clone()))
        .collect();
    let chosen = |value: &Option<String>| ListQuery::text(value).map(str::to_string);
    let tenancy = chosen(&query.tenancy);
    let route = chosen(&query.route);
    let situation = chosen(&query.situation);
    let signal = chosen(&query.signal);
    Ok(Html(render(&CaseListPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        organisation,
        coordinator: user.user.role == dakwacht_core::access::Role::Coordinator,
        q: chosen(&query.q).unwrap_or_default(),
        municipality: chosen(&query.municipality).unwrap_or_default(),
        tenancies: choices(
            Tenancy::ALL,
            Tenancy::code,
            |t| t.label(tr.lang).to_string(),
            tenancy.as_deref(),
        ),
        routes: choices(
            Route::ALL,
            Route::code,
            |r| r.label(tr.lang).to_string(),
            route.as_deref(),
        ),
        situations: choices(
            LivingSituation::ALL,
            LivingSituation::code,
            |s| s.label(tr.lang).to_string(),
            situation.as_deref(),
        ),
        signals: state
            .rules
            .rules
            .iter()
            .map(|r| Choice {
                value: r.id.clone(),
                label: r.title.get(tr.lang).clone(),
                selected: signal.as_deref() == Some(r.id.as_str()),
            })
            .collect(),
        out_of_view: filter.out_of_view,
        filtered: !filters.is_empty(),
        cases,
        next,
        scanned,
    })))
}
