//! The dashboard: the quickscan measures and the signal counts over the cases the user may see
//! (the own organisation; every organisation for a researcher), as SVG charts and as tables.

use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use dakwacht_app::Store;
use dakwacht_app::Wanted;
use dakwacht_core::access::Role;
use dakwacht_core::{CaseFilter, Lang};
use dakwacht_stats::{Measure, SignalCount, compute, scope_text};
use serde::Deserialize;

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
    counts: Vec<(&'static str, u64)>,
    shares: Vec<ShareLine>,
    share_chart: ShareChart,
    /// The child measures: children are the unit.
    child_shares: Vec<ShareLine>,
    child_chart: ShareChart,
    signals: Vec<ShareLine>,
    signal_chart: ShareChart,
    months: MonthChart,
    /// The duration estimate's summary, chart and table, as HTML the stats crate wrote (every
    /// text in it escaped there).
    duration: String,
    rules_version: String,
}

struct ShareLine {
    label: String,
    numerator: u64,
    denominator: u64,
    percent: String,
}

fn share_line(label: &str, numerator: u64, denominator: u64) -> ShareLine {
    ShareLine {
        label: label.to_string(),
        numerator,
        denominator,
        percent: dakwacht_stats::whole_percent(numerator, denominator)
            .map_or_else(|| "–".to_string(), |p| format!("{p}%")),
    }
}

fn label(measure: &Measure, lang: Lang) -> &'static str {
    measure.definition().map_or(measure.id, |d| match lang {
        Lang::Nl => d.label_nl,
        Lang::En => d.label_en,
    })
}

pub async fn dashboard<S: Store>(
    Signed { state, user, tr }: Signed<S>,
    Query(query): Query<DashboardQuery>,
) -> Result<Html<String>, AppError> {
    let text = crate::form::filled;
    let researcher = user.user.role == Role::Researcher;
    let mut filter_error = None;
    let mut date = |value: &Option<String>, what: String| {
        let value = text(value)?;
        let parsed = dakwacht_core::date::parse_typed_date(&value);
        if parsed.is_none() {
            filter_error = Some(tr.t2("dashboard-date-wrong", "value", &value, "what", what));
        }
        parsed
    };
    // Professionals and coordinators always count their own organisation (the application sees
    // to that); the query cannot widen it.
    let filter = CaseFilter {
        organisation: text(&query.organisation),
        municipality: text(&query.municipality),
        home_lost_from: date(&query.from, tr.t("dashboard-from")),
        home_lost_to: date(&query.to, tr.t("dashboard-to")),
        ..CaseFilter::default()
    };

    let acting = user.acting(&state);
    let figures = acting
        .figures(filter, &state.rules, Wanted::Dashboard, "dashboard")
        .await?;
    let (filter, too_small) = (&figures.filter, figures.too_small);
    let organisation = filter.organisation.clone();
    if too_small {
        filter_error = Some(tr.t1(
            "dashboard-too-few-cases",
            "minimum",
            dakwacht_stats::RESEARCHER_MINIMUM_CASES as usize,
        ));
    }

    let measures = compute(&figures.profiles, figures.municipalities);
    let tally = &figures.signals;
    let signal_counts = SignalCount::from_tally(&state.rules, tally, tr.lang);

    let counts = measures
        .iter()
        .filter(|m| m.denominator.is_none())
        .map(|m| (label(m, tr.lang), m.numerator))
        .collect();
    let shares: Vec<ShareLine> = measures
        .iter()
        .filter_map(|m| Some(share_line(label(m, tr.lang), m.numerator, m.denominator?)))
        .collect();
    let child_shares: Vec<ShareLine> = dakwacht_stats::compute_children(&figures.children)
        .iter()
        .filter_map(|m| Some(share_line(label(m, tr.lang), m.numerator, m.denominator?)))
        .collect();
    let signals: Vec<ShareLine> = signal_counts
        .iter()
        .map(|s| share_line(&s.label, s.cases, s.of))
        .collect();
    let chart_of = |lines: &[ShareLine]| {
        share_chart(
            &tr.t("dashboard-no-data"),
            &lines
                .iter()
                .map(|l| (l.label.clone(), l.numerator, l.denominator))
                .collect::<Vec<_>>(),
        )
    };
    let organisations = if researcher {
        Some(acting.organisations_to_count().await?)
    } else {
        None
    };
    Ok(Html(render(&DashboardPage {
        tr: tr.clone(),
        username: user.user.username.clone(),
        csrf: user.csrf_token.clone(),
        researcher,
        scope: scope_text(filter, tr.lang),
        organisations,
        chosen_organisation: organisation.unwrap_or_default(),
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
        withheld: too_small,
        counts,
        share_chart: chart_of(&shares),
        shares,
        child_chart: chart_of(&child_shares),
        child_shares,
        signal_chart: chart_of(&signals),
        signals,
        months: month_chart(&figures.months),
        duration: dakwacht_stats::duration_report::duration_html(&figures.duration(), tr.lang),
        rules_version: tally.rules_version.clone(),
    })))
}
