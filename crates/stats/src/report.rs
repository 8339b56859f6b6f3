//! The quickscan report in three forms: a Dutch text table, JSON for other tools, standalone HTML.

use std::fmt::Write as _;

use crate::{Measure, SignalCount};

/// What the quickscan report shows: the measures, then the signals of the legal checks.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The selection in words (e.g. "alle casussen").
    pub scope: &'a str,
    pub measures: &'a [Measure],
    pub signals: &'a [SignalCount],
    /// The version of the rules that counted the signals.
    pub rules_version: &'a str,
}

fn label(m: &Measure) -> &'static str {
    m.definition().map_or(m.id, |d| d.label_nl)
}

/// `59% (13/22)`, or the count itself; `–` when the denominator is empty.
fn figure(m: &Measure) -> String {
    match (m.denominator, m.whole_percent()) {
        (None, _) => m.numerator.to_string(),
        (Some(d), Some(p)) => format!("{p}% ({}/{d})", m.numerator),
        (Some(d), None) => format!("– ({}/{d})", m.numerator),
    }
}

/// A readable table in Dutch, whole percents with n/N, as the report prints them.
/// `scope` describes the selection (e.g. "alle casussen"), shown under the title.
pub fn render_text(report: &Report<'_>) -> String {
    let Report {
        scope, measures, ..
    } = *report;
    let mut out = String::new();
    let _ = writeln!(out, "Quickscan — {scope}");
    let _ = writeln!(out);
    let width = measures
        .iter()
        .map(|m| label(m).chars().count())
        .max()
        .unwrap_or(0);
    let id_width = measures.iter().map(|m| m.id.len()).max().unwrap_or(0);
    for m in measures {
        let l = label(m);
        let pad = width - l.chars().count();
        let _ = writeln!(
            out,
            "{l}{}  {:>16}  {:<id_width$}",
            " ".repeat(pad),
            figure(m),
            m.id
        );
    }
    render_signals_text(&mut out, report);
    out
}

/// "Signalen": per rule the number and share of all selected cases that raise it.
fn render_signals_text(out: &mut String, report: &Report<'_>) {
    let _ = writeln!(out);
    let _ = writeln!(out, "Signalen (regels versie {})", report.rules_version);
    let _ = writeln!(out);
    let width = report
        .signals
        .iter()
        .map(|s| s.label.chars().count())
        .max()
        .unwrap_or(0);
    for s in report.signals {
        let pad = width - s.label.chars().count();
        let share = s
            .whole_percent()
            .map_or("–".to_string(), |p| format!("{p}%"));
        let _ = writeln!(
            out,
            "{}{}  {:>16}  {}",
            s.label,
            " ".repeat(pad),
            format!("{share} ({}/{})", s.cases, s.of),
            s.id
        );
    }
}

/// `{"scope", "measures": [{"id", "numerator", "denominator", "percent", "label"}, …],
/// "rules_version", "signals": [{"id", "cases", "of", "percent", "label"}, …]}`.
pub fn render_json(report: &Report<'_>) -> serde_json::Value {
    let measures: Vec<serde_json::Value> = report
        .measures
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id,
                "numerator": m.numerator,
                "denominator": m.denominator,
                "percent": m.percent(),
                "label": label(m),
            })
        })
        .collect();
    let signals: Vec<serde_json::Value> = report
        .signals
        .iter()
        .map(|s| {
            serde_json::json!({
                "id": s.id,
                "cases": s.cases,
                "of": s.of,
                "percent": s.percent(),
                "label": s.label,
            })
        })
        .collect();
    serde_json::json!({
        "scope": report.scope,
        "measures": measures,
        "rules_version": report.rules_version,
        "signals": signals,
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone, accessible HTML page (no scripts, no external resources): safe to mail or print.
pub fn render_html(report: &Report<'_>) -> String {
    let mut rows = String::new();
    for m in report.measures {
        let (n, d, p) = match m.denominator {
            None => (m.numerator.to_string(), String::new(), String::new()),
            Some(d) => (
                m.numerator.to_string(),
                d.to_string(),
                m.whole_percent().map_or("–".into(), |p| format!("{p}%")),
            ),
        };
        let _ = writeln!(
            rows,
            "<tr><th scope=\"row\">{}</th><td>{n}</td><td>{d}</td><td>{p}</td><td><code>{}</code></td></tr>",
            escape(label(m)),
            escape(m.id)
        );
    }
    let mut signal_rows = String::new();
    for s in report.signals {
        let _ = writeln!(
            signal_rows,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            escape(&s.label),
            s.cases,
            s.of,
            s.whole_percent().map_or("–".into(), |p| format!("{p}%")),
            escape(&s.id)
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quickscan dakwacht — {scope}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: .5rem; }}
th, td {{ border-bottom: 1px solid #767676; padding: .4rem .6rem; text-align: right; }}
th[scope=row], thead th:first-child {{ text-align: left; font-weight: normal; }}
code {{ font-size: .85em; }}
</style>
</head>
<body>
<main>
<h1>Quickscan</h1>
<p>Selectie: {scope}. Percentages zijn afgerond op hele procenten; teller en noemer staan erbij.</p>
<table>
<caption>Uitkomsten per maat</caption>
<thead><tr><th scope="col">Maat</th><th scope="col">Teller</th><th scope="col">Noemer</th><th scope="col">Percentage</th><th scope="col">Id</th></tr></thead>
<tbody>
{rows}</tbody>
</table>
<h2>Signalen</h2>
<p>Per regel van het juridisch kader: hoeveel casussen het signaal geven (regels versie {version}).</p>
<table>
<caption>Signalen per regel</caption>
<thead><tr><th scope="col">Signaal</th><th scope="col">Casussen</th><th scope="col">Van</th><th scope="col">Percentage</th><th scope="col">Id</th></tr></thead>
<tbody>
{signal_rows}</tbody>
</table>
</main>
</body>
</html>
"#,
        scope = escape(report.scope),
        version = escape(report.rules_version),
    )
}
