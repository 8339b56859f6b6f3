//! `dakwacht report quickscan` and `dakwacht report duration`.

use dakwacht_app::Wanted;
use dakwacht_app::{Acting, Store};
use dakwacht_core::CaseFilter;
use dakwacht_rules::RuleSet;
use dakwacht_stats::{Report, compute, render_html, render_json, render_text};

use crate::ReportFormat;

/// The selection in words, for the report's heading.
pub fn scope(filter: &CaseFilter) -> String {
    dakwacht_stats::scope_text(filter, dakwacht_core::Lang::Nl)
}

pub async fn quickscan<S: Store>(
    acting: &Acting<S>,
    rules: &RuleSet,
    format: ReportFormat,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    let figures = acting
        .figures(filter.clone(), rules, Wanted::Report, "report quickscan")
        .await?;
    let tally = &figures.signals;
    let measures = compute(&figures.profiles, figures.municipalities);
    let child_measures = dakwacht_stats::compute_children(&figures.children);
    let signals = crate::check::signal_counts(rules, tally);
    let scope = scope(filter);
    let duration = figures.duration();
    let report = Report {
        scope: &scope,
        measures: &measures,
        child_measures: &child_measures,
        signals: &signals,
        rules_version: &rules.version,
        duration: Some(&duration),
    };
    match format {
        ReportFormat::Text => print!("{}", render_text(&report)),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&render_json(&report))?),
        ReportFormat::Html => print!("{}", render_html(&report)),
    }
    Ok(())
}

/// `dakwacht report quickscan --by …`: every measure per municipality, organisation, quarter or
/// year.
pub async fn breakdown<S: Store>(
    acting: &Acting<S>,
    by: dakwacht_core::BreakdownBy,
    format: ReportFormat,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    use dakwacht_stats::breakdown_report::{
        BreakdownReport, BreakdownRow, render_breakdown_html, render_breakdown_json,
        render_breakdown_text,
    };
    let figures = acting
        .breakdown(
            filter.clone(),
            by,
            dakwacht_core::Lang::Nl,
            "report quickscan",
        )
        .await?;
    let rows: Vec<BreakdownRow<'_>> = figures
        .rows
        .iter()
        .map(|row| BreakdownRow {
            label: &row.label,
            measures: &row.measures,
            child_measures: &row.child_measures,
        })
        .collect();
    let scope = scope(&figures.filter);
    let report = BreakdownReport {
        scope: &scope,
        by,
        rows: &rows,
        not_in_any_row: figures.not_in_any_row,
    };
    match format {
        ReportFormat::Text => print!("{}", render_breakdown_text(&report)),
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render_breakdown_json(&report))?
        ),
        ReportFormat::Html => print!("{}", render_breakdown_html(&report)),
    }
    Ok(())
}

/// `dakwacht report duration`: the duration of homelessness as a survival estimate.
pub async fn duration<S: Store>(
    acting: &Acting<S>,
    rules: &RuleSet,
    format: ReportFormat,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    use dakwacht_stats::duration_report::{
        duration_json, render_duration_html, render_duration_text,
    };
    let figures = acting
        .figures(filter.clone(), rules, Wanted::Duration, "report duration")
        .await?;
    let estimate = figures.duration();
    let scope = scope(filter);
    match format {
        ReportFormat::Text => print!("{}", render_duration_text(&estimate, &scope)),
        ReportFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&duration_json(&estimate))?
        ),
        ReportFormat::Html => print!("{}", render_duration_html(&estimate, &scope)),
    }
    Ok(())
}

/// The disclosure policy of `--policy FILE`, or the built-in one. A file that does not read or
/// does not check is an error naming the file and the problem: a typing mistake never weakens
/// the protection silently.
pub fn load_policy(
    path: Option<&std::path::Path>,
) -> anyhow::Result<dakwacht_stats::disclosure::Policy> {
    use anyhow::Context as _;
    use dakwacht_stats::disclosure::Policy;
    match path {
        None => Ok(Policy::built_in()?),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the policy file {}", path.display()))?;
            Policy::from_toml(&text)
                .with_context(|| format!("the policy file {} is not valid", path.display()))
        }
    }
}
