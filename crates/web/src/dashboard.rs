//! The dashboard: the quickscan measures and the signal counts over the cases the user may see,
//! as SVG charts and as tables. For the own organisation (coordinators, professionals) as
//! counted, labelled "niet voor publicatie"; for a researcher (one organisation or all) as the
//! disclosure policy lets them be published.

use askama::Template;
use axum::extract::{Query, RawQuery};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use dakwacht_app::{Acting, Store, Wanted};
use dakwacht_core::access::Role;
use dakwacht_core::{BreakdownBy, CaseFilter, Lang};
use dakwacht_stats::disclosure::{
    Policy, PublishedMeasure, PublishedSignal, Suppression, figure_text,
};
use dakwacht_stats::duration_report::published_duration_html;
use dakwacht_stats::{Measure, SignalCount, compute, scope_text};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Signed;
use crate::charts::{MonthChart, ShareChart, month_chart, share_chart};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::render;

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    /// For researchers: one organisation, or all when empty.
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    municipality: Option<String>,
    /// Home lost from / to (YYYY-MM-DD).
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    tr: Tr,
    username: String,
    csrf: String,
    researcher: bool,
    scope: String,
    /// Organisations to choose from (researchers only).
    organisations: Option<Vec<String>>,
    chosen_organisation: String,
    municipality: String,
    from: String,
    to: String,
    filter_error: Option<String>,
    /// The selection is too small to show a researcher (the message says why).
    withheld: bool,
    /// What the figures are: published under a policy (the sentence saying what it held back),
    /// or counted as they are, not for publication.
    protection: Protection,
    counts: Vec<(String, String)>,
    shares: Vec<ShareLine>,
    share_chart: ShareChart,
    /// The child measures: children are the unit.
    child_shares: Vec<ShareLine>,
    child_chart: ShareChart,
    signals: Vec<ShareLine>,
    signal_chart: ShareChart,
    /// Homes lost per month, for the own organisation's work.
    months: Option<MonthChart>,
    /// Homes lost per quarter as published, for researchers: (quarter, families).
    quarters: Option<Vec<(String, String)>>,
    /// The duration estimate's summary, chart and table, as HTML the stats crate wrote (every
    /// text in it escaped there).
    duration: String,
    rules_version: String,
    /// The bundle of this selection, for those who may publish (coordinators, researchers).
    bundle_link: Option<String>,
    /// When kept figures were counted (`14:05`, Dutch time); `None` when counted for this view.
    counted_at: Option<String>,
}

enum Protection {
    NotForPublication,
    Published {
        note: String,
        /// `<5`, as a held-back small count is printed.
        small: String,
        minimum: u64,
        merged: String,
    },
}

/// One measure or signal as the tables print it: figures as text, since a published figure can
/// be held back (`<5`, `×`).
struct ShareLine {
    label: String,
    numerator: String,
    denominator: String,
    percent: String,
    /// For the chart: the figures, when all three are shown.
    bar: Option<(u64, u64)>,
}

fn percent_text(percent: Option<u64>, held: bool) -> String {
    match (percent, held) {
        (_, true) => "×".to_string(),
        (Some(p), false) => format!("{p}%"),
        (None, false) => "–".to_string(),
    }
}

fn share_line(label: &str, numerator: u64, denominator: u64) -> ShareLine {
    ShareLine {
        label: label.to_string(),
        numerator: numerator.to_string(),
        denominator: denominator.to_string(),
        percent: percent_text(dakwacht_stats::whole_percent(numerator, denominator), false),
        bar: Some((numerator, denominator)),
    }
}

fn published_line(measure: &PublishedMeasure, label: &str, policy: &Policy) -> ShareLine {
    let held = &measure.suppressed;
    ShareLine {
        label: label.to_string(),
        numerator: figure_text(
            measure.numerator,
            held.numerator,
            measure.numerator_small,
            Some(policy),
        ),
        denominator: figure_text(
            measure.denominator,
            held.denominator,
            measure.denominator_small,
            Some(policy),
        ),
        percent: percent_text(measure.whole_percent(), held.percent.is_some()),
        bar: measure
            .percent
            .and(measure.numerator.zip(measure.denominator)),
    }
}

fn published_signal(signal: &PublishedSignal, policy: &Policy) -> ShareLine {
    let held = &signal.suppressed;
    ShareLine {
        label: signal.label.clone(),
        numerator: figure_text(
            signal.cases,
            held.numerator,
            signal.cases_small,
            Some(policy),
        ),
        denominator: figure_text(signal.of, held.denominator, signal.of_small, Some(policy)),
        percent: percent_text(signal.whole_percent(), held.percent.is_some()),
        bar: signal.percent.and(signal.cases.zip(signal.of)),
    }
}

fn label(id: &str, lang: Lang) -> &str {
    dakwacht_stats::definition_of(id).map_or(id, |d| match lang {
        Lang::Nl => d.label_nl,
        Lang::En => d.label_en,
    })
}

/// The figures a page shows, counted as they are or published under a policy.
struct Shown {
    filter: CaseFilter,
    too_small: bool,
    protection: Protection,
    counts: Vec<(String, String)>,
    shares: Vec<ShareLine>,
    child_shares: Vec<ShareLine>,
    signals: Vec<ShareLine>,
    months: Option<MonthChart>,
    quarters: Option<Vec<(String, String)>>,
    duration: String,
    rules_version: String,
    counted_at: Option<jiff::Timestamp>,
}

/// For the own organisation's work: every figure as counted, labelled not for publication.
async fn as_counted<S: Store>(
    acting: &Acting<S>,
    state: &AppState<S>,
    filter: CaseFilter,
    lang: Lang,
) -> Result<Shown, AppError> {
    let figures = acting
        .figures(filter, &state.rules, Wanted::Dashboard, "dashboard")
        .await?;
    let measures = compute(&figures.profiles, figures.municipalities);
    let tally = &figures.signals;
    let lines = |measures: &[Measure]| -> Vec<ShareLine> {
        measures
            .iter()
            .filter_map(|m| Some(share_line(label(m.id, lang), m.numerator, m.denominator?)))
            .collect()
    };
    Ok(Shown {
        counts: measures
            .iter()
            .filter(|m| m.denominator.is_none())
            .map(|m| (label(m.id, lang).to_string(), m.numerator.to_string()))
            .collect(),
        shares: lines(&measures),
        child_shares: lines(&dakwacht_stats::compute_children(&figures.children)),
        signals: SignalCount::from_tally(&state.rules, tally, lang)
            .iter()
            .map(|s| share_line(&s.label, s.cases, s.of))
            .collect(),
        months: Some(month_chart(&figures.months)),
        quarters: None,
        duration: dakwacht_stats::duration_report::duration_html(&figures.duration(), lang),
        rules_version: tally.rules_version.clone(),
        counted_at: figures.counted_at,
        too_small: figures.too_small,
        protection: Protection::NotForPublication,
        filter: figures.filter,
    })
}

/// For a researcher: the figures as the disclosure policy lets them be published.
async fn as_published<S: Store>(
    acting: &Acting<S>,
    state: &AppState<S>,
    filter: CaseFilter,
    lang: Lang,
) -> Result<Shown, AppError> {
    let policy = &state.policy;
    let publication = acting
        .publication(
            filter,
            &state.rules,
            policy,
            Wanted::Dashboard,
            "dashboard",
            lang,
        )
        .await?;
    let measures = &publication.measures;
    let lines = |measures: &[PublishedMeasure]| -> Vec<ShareLine> {
        measures
            .iter()
            .filter(|m| m.denominator.is_some() || m.suppressed.denominator.is_some())
            .map(|m| published_line(m, label(m.id, lang), policy))
            .collect()
    };
    let quarters = publication
        .breakdowns
        .iter()
        .find(|b| b.by == BreakdownBy::Quarter.id())
        .map(|breakdown| {
            breakdown
                .rows
                .iter()
                .map(|row| {
                    let held = row.suppressed.count;
                    let small = held == Some(Suppression::Primary);
                    (
                        row.label.clone(),
                        figure_text(row.count, held, small, Some(policy)),
                    )
                })
                .collect()
        });
    Ok(Shown {
        counts: measures
            .measures
            .iter()
            .filter(|m| m.denominator.is_none() && m.suppressed.denominator.is_none())
            .map(|m| {
                let held = m.suppressed.numerator;
                let text = figure_text(m.numerator, held, m.numerator_small, Some(policy));
                (label(m.id, lang).to_string(), text)
            })
            .collect(),
        shares: lines(&measures.measures),
        child_shares: lines(&measures.child_measures),
        signals: publication
            .signals
            .iter()
            .map(|s| published_signal(s, policy))
            .collect(),
        months: None,
        quarters,
        duration: published_duration_html(&publication.duration, Some(policy), lang),
        rules_version: publication.rules_version.clone(),
        counted_at: publication.counted_at,
        too_small: publication.too_small,
        protection: Protection::Published {
            note: publication.summary.sentence(lang),
            small: policy.suppressed_count_text(),
            minimum: policy.smallest_published_count(),
            merged: policy.merged_row_label().to_string(),
        },
        filter: publication.filter,
    })
}

/// The selection the query asks for, and what was wrong with it (a date that is not one is
/// named and not applied). Professionals and coordinators always count their own organisation
/// (the application sees to that); the query cannot widen it.
fn asked_filter(query: &DashboardQuery, tr: &Tr) -> (CaseFilter, Option<String>) {
    let text = crate::form::filled;
    let mut filter_error = None;
    let mut date = |value: &Option<String>, what: String| {
        let value = text(value)?;
        let parsed = dakwacht_core::date::parse_typed_date(&value);
        if parsed.is_none() {
            filter_error = Some(tr.t2("dashboard-date-wrong", "value", &value, "what", what));
        }
        parsed
    };
    let filter = CaseFilter {
        organisation: text(&query.organisation),
        municipality: text(&query.municipality),
        home_lost_from: date(&query.from, tr.t("dashboard-from")),
        home_lost_to: date(&query.to, tr.t("dashboard-to")),
        ..CaseFilter::default()
    };
    (filter, filter_error)
}

/// The publication bundle of the selection (publication spec §3) as a zip download:
/// rapport.pdf, cijfers.xlsx, cijfers.csv and cijfers.json, in the page's language.
pub async fn bundle<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<DashboardQuery>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let (filter, filter_error) = asked_filter(&query, &tr);
    if filter_error.is_some() {
        // The dashboard of the same selection says what is wrong with it.
        let back = format!("/dashboard?{}", raw.unwrap_or_default());
        return Ok(Redirect::to(&back).into_response());
    }
    // Typesetting takes a second or more: one heavy job per user at a time.
    let Some(_job) = state.heavy_jobs.start(&user.user.username) else {
        return Err(AppError::Busy);
    };
    let acting = user.acting(&state);
    let publication = acting
        .bundle(
            filter,
            &state.rules,
            &state.policy,
            "dashboard bundle",
            tr.lang,
        )
        .await?;
    if publication.too_small {
        return Err(AppError::Forbidden("too few cases to publish"));
    }
    let policy = state.policy.clone();
    let counted_on = publication.counted_on;
    let zip = tokio::task::spawn_blocking(move || {
        dakwacht_publish::bundle_zip(
            &publication.bundle_figures(&policy),
            &format!("dakwacht-publicatie-{counted_on}"),
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("the bundle's task: {e}")))?
    .map_err(|e| AppError::Internal(format!("the bundle: {e}")))?;
    let name = format!("dakwacht-publicatie-{counted_on}.zip");
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        zip,
    )
        .into_response())
}

pub async fn dashboard<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<DashboardQuery>,
) -> Result<Html<String>, AppError> {
    let researcher = user.user.role == Role::Researcher;
    let (filter, mut filter_error) = asked_filter(&query, &tr);

    let acting = user.acting(&state);
    // A researcher's figures leave the organisations that hold the cases: they are published,
    // under the policy. The application refuses a researcher the figures as counted anyway.
    let shown = if researcher {
        as_published(&acting, &state, filter, tr.lang).await?
    } else {
        as_counted(&acting, &state, filter, tr.lang).await?
    };
    if shown.too_small {
        filter_error = Some(tr.t1(
            "dashboard-too-few-cases",
            "minimum",
            dakwacht_stats::RESEARCHER_MINIMUM_CASES as usize,
        ));
    }
    let chart_of = |lines: &[ShareLine]| {
        share_chart(
            &tr.t("dashboard-no-data"),
            &lines
                .iter()
                .filter_map(|l| l.bar.map(|(n, d)| (l.label.clone(), n, d)))
                .collect::<Vec<_>>(),
        )
    };
    let organisations = if researcher {
        Some(acting.organisations_to_count().await?)
    } else {
        None
    };
    let filter = &shown.filter;
    let may_publish = matches!(user.user.role, Role::Researcher | Role::Coordinator);
    let bundle_link = (may_publish && !shown.too_small).then(|| {
        let date = |d: Option<dakwacht_core::date::Date>| d.map(|d| d.to_string());
        let asked = [
            ("organisation", filter.organisation.clone()),
            ("municipality", filter.municipality.clone()),
            ("from", date(filter.home_lost_from)),
            ("to", date(filter.home_lost_to)),
        ];
        let pairs: Vec<(&str, String)> = asked
            .into_iter()
            .filter_map(|(name, value)| Some((name, value?)))
            .collect();
        format!(
            "/dashboard/bundle?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    });
    Ok(Html(render(&DashboardPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        researcher,
        scope: scope_text(filter, tr.lang),
        organisations,
        chosen_organisation: filter.organisation.clone().unwrap_or_default(),
        municipality: filter.municipality.clone().unwrap_or_default(),
        from: filter
            .home_lost_from
            .map(|d| d.to_string())
            .unwrap_or_default(),
        to: filter
            .home_lost_to
            .map(|d| d.to_string())
            .unwrap_or_default(),
        filter_error,
        withheld: shown.too_small,
        protection: shown.protection,
        counts: shown.counts,
        share_chart: chart_of(&shown.shares),
        shares: shown.shares,
        child_chart: chart_of(&shown.child_shares),
        child_shares: shown.child_shares,
        signal_chart: chart_of(&shown.signals),
        signals: shown.signals,
        months: shown.months,
        quarters: shown.quarters,
        duration: shown.duration,
        rules_version: shown.rules_version,
        bundle_link,
        counted_at: shown.counted_at.map(|at| {
            dakwacht_core::date::dutch_time(at)
                .strftime("%H:%M")
                .to_string()
        }),
    })))
}
