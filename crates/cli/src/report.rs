//! `dakwacht report quickscan`.

use dakwacht_core::CaseFilter;
use dakwacht_rules::RuleSet;
use dakwacht_stats::{Report, compute, render_html, render_json, render_text};
use dakwacht_store::Store;

use crate::ReportFormat;

/// The selection in words, for the report's heading.
pub fn scope(filter: &CaseFilter) -> String {
    dakwacht_stats::scope_text(filter, dakwacht_core::Lang::Nl)
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
