//! `dakwacht report quickscan`.

use dakwacht_core::CaseFilter;
use dakwacht_core::date::format_date;
use dakwacht_rules::RuleSet;
use dakwacht_stats::{Report, compute, render_html, render_json, render_text};
use dakwacht_store::Store;

use crate::ReportFormat;

/// The selection in words, for the report's heading.
pub fn scope(filter: &CaseFilter) -> String {
    let mut parts = Vec::new();
    if let Some(org) = &filter.organisation {
        parts.push(format!("organisatie {org}"));
    }
    if let Some(m) = &filter.municipality {
        parts.push(format!("gemeente {m}"));
    }
    match (filter.home_lost_from, filter.home_lost_to) {
        (Some(from), Some(to)) => parts.push(format!(
            "woning kwijt van {} tot en met {}",
            format_date(from),
            format_date(to)
        )),
        (Some(from), None) => parts.push(format!("woning kwijt vanaf {}", format_date(from))),
        (None, Some(to)) => parts.push(format!("woning kwijt tot en met {}", format_date(to))),
        (None, None) => {}
    }
    if parts.is_empty() {
        "alle casussen".into()
    } else {
        parts.join(", ")
    }
}

pub async fn quickscan<S: Store>(
    store: &S,
    rules: &RuleSet,
    format: ReportFormat,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    let (profiles, municipalities, tally) = tokio::try_join!(
        async { anyhow::Ok(store.profile_counts(filter).await?) },
        async { anyhow::Ok(store.municipality_count(filter).await?) },
        crate::check::tally(store, rules, filter),
    )?;
    crate::check::audit_statistics(store, filter, "report quickscan").await?;
    let measures = compute(&profiles, municipalities);
    let signals = crate::check::signal_counts(rules, &tally);
    let scope = scope(filter);
    let report = Report {
        scope: &scope,
        measures: &measures,
        signals: &signals,
        rules_version: &rules.version,
    };
    match format {
        ReportFormat::Text => print!("{}", render_text(&report)),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&render_json(&report))?),
        ReportFormat::Html => print!("{}", render_html(&report)),
    }
    Ok(())
}
