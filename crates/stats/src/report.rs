//! The quickscan report in three forms: a Dutch text table, JSON for other tools, standalone HTML.

use std::fmt::Write as _;

use crate::disclosure::PublishedDuration;
use crate::duration_report::{duration_html, duration_json, write_duration_summary};
use crate::survival::DurationEstimate;
use crate::{Measure, SignalCount};

/// What the quickscan report shows: the measures, then the signals of the legal checks.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The selection in words (e.g. "alle casussen").
    pub scope: &'a str,
    pub measures: &'a [Measure],
    /// The child measures, the section "Kinderen" (children are the unit).
    pub child_measures: &'a [Measure],
    pub signals: &'a [SignalCount],
    /// The version of the rules that counted the signals.
    pub rules_version: &'a str,
    /// The duration of homelessness as a survival estimate (publication spec §1), when counted.
    pub duration: Option<&'a DurationEstimate>,
}

pub(crate) fn label(m: &Measure) -> &'static str {
    m.definition().map_or(m.id, |d| d.label_nl)
}

/// `59% (13/22)`, or the count itself; `–` when the denominator is empty.
pub(crate) fn figure(m: &Measure) -> String {
    match m.denominator {
        None => m.numerator.to_string(),
        Some(d) => share(m.whole_percent(), m.numerator, d),
    }
}

/// `59% (13/22)`: the whole percent, then numerator and denominator.
fn share(percent: Option<u64>, numerator: u64, denominator: u64) -> String {
    format!("{} ({numerator}/{denominator})", percent_text(percent))
}

/// `59%`, or `–` when there is nothing to take a share of.
pub(crate) fn percent_text(percent: Option<u64>) -> String {
    percent.map_or("–".into(), |p| format!("{p}%"))
}

/// Lines of label, figure and id, the labels padded to the longest and the ids to `id_width`
/// (0: not padded).
fn write_lines(out: &mut String, lines: &[(&str, String, &str)], id_width: usize) {
    let width = lines
        .iter()
        .map(|(label, ..)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (label, figure, id) in lines {
        let pad = width - label.chars().count();
        let _ = writeln!(
            out,
            "{label}{}  {figure:>16}  {id:<id_width$}",
            " ".repeat(pad)
        );
    }
}

/// A readable table in Dutch, whole percents with n/N, as the report prints them.
/// `scope` describes the selection (e.g. "alle casussen"), shown under the title.
pub fn render_text(report: &Report<'_>) -> String {
    let Report {
        scope,
        measures,
        child_measures,
        ..
    } = *report;
    let mut out = String::new();
    let _ = writeln!(out, "Quickscan — {scope}");
    let _ = writeln!(out);
    let id_width = measures
        .iter()
        .chain(child_measures)
        .map(|m| m.id.len())
        .max()
        .unwrap_or(0);
    let lines = |measures: &[Measure]| -> Vec<(&'static str, String, &'static str)> {
        measures
            .iter()
            .map(|m| (label(m), figure(m), m.id))
            .collect()
    };
    write_lines(&mut out, &lines(measures), id_width);
    if !child_measures.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Kinderen (per kind geteld)");
        let _ = writeln!(out);
        write_lines(&mut out, &lines(child_measures), id_width);
    }
    if let Some(duration) = report.duration {
        let _ = writeln!(out);
        let _ = writeln!(out, "Duur van de dakloosheid (Kaplan–Meier)");
        let _ = writeln!(out);
        write_duration_summary(&mut out, &PublishedDuration::unprotected(duration), None);
    }
    render_signals_text(&mut out, report);
    out
}

/// "Signalen": per rule the number and share of all selected cases that raise it.
fn render_signals_text(out: &mut String, report: &Report<'_>) {
    let _ = writeln!(out);
    let _ = writeln!(out, "Signalen (regels versie {})", report.rules_version);
    let _ = writeln!(out);
    let lines: Vec<_> = report
        .signals
        .iter()
        .map(|s| {
            let figure = share(s.whole_percent(), s.cases, s.of);
            (s.label.as_str(), figure, s.id.as_str())
        })
        .collect();
    write_lines(out, &lines, 0);
}

/// `{"scope", "measures": [{"id", "numerator", "denominator", "percent", "label"}, …],
/// "child_measures": [the same, children the unit], "rules_version", "signals": [{"id", "cases",
/// "of", "percent", "label"}, …], "duration": the survival estimate (publication spec §1)}`.
pub fn render_json(report: &Report<'_>) -> serde_json::Value {
    let measures = measures_json(report.measures);
    let child_measures = measures_json(report.child_measures);
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
    let mut json = serde_json::json!({
        "scope": report.scope,
        "measures": measures,
        "child_measures": child_measures,
        "rules_version": report.rules_version,
        "signals": signals,
    });
    if let (Some(duration), Some(object)) = (report.duration, json.as_object_mut()) {
        object.insert("duration".to_string(), duration_json(duration));
    }
    json
}

/// Measures as the JSON reports give them: `[{"id", "numerator", "denominator", "percent",
/// "label"}]`.
pub(crate) fn measures_json(measures: &[Measure]) -> Vec<serde_json::Value> {
    measures
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
        .collect()
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One row of an HTML table: the label as row heading, three cells, the id as code.
fn html_row(rows: &mut String, label: &str, cells: [String; 3], id: &str) {
    let [a, b, c] = cells;
    let _ = writeln!(
        rows,
        "<tr><th scope=\"row\">{}</th><td>{a}</td><td>{b}</td><td>{c}</td><td><code>{}</code></td></tr>",
        escape(label),
        escape(id)
    );
}

/// An HTML table with a caption and a heading per column.
fn html_table(caption: &str, columns: [&str; 5], rows: &str) -> String {
    let headings: String = columns
        .iter()
        .map(|c| format!("<th scope=\"col\">{c}</th>"))
        .collect();
    format!(
        "<table>\n<caption>{caption}</caption>\n<thead><tr>{headings}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
    )
}

/// A standalone, accessible HTML page (no scripts, no external resources): safe to mail or print.
pub fn render_html(report: &Report<'_>) -> String {
    let measure_rows = |measures: &[Measure]| {
        let mut rows = String::new();
        for m in measures {
            let (d, p) = match m.denominator {
                None => (String::new(), String::new()),
                Some(d) => (d.to_string(), percent_text(m.whole_percent())),
            };
            html_row(&mut rows, label(m), [m.numerator.to_string(), d, p], m.id);
        }
        rows
    };
    let rows = measure_rows(report.measures);
    let children = html_table(
        "Uitkomsten per maat, per kind geteld",
        ["Maat", "Kinderen", "Van", "Percentage", "Id"],
        &measure_rows(report.child_measures),
    );
    let mut signal_rows = String::new();
    for s in report.signals {
        let cells = [
            s.cases.to_string(),
            s.of.to_string(),
            percent_text(s.whole_percent()),
        ];
        html_row(&mut signal_rows, &s.label, cells, &s.id);
    }
    let measures = html_table(
        "Uitkomsten per maat",
        ["Maat", "Teller", "Noemer", "Percentage", "Id"],
        &rows,
    );
    let duration = match report.duration {
        None => String::new(),
        Some(duration) => format!(
            "<h2>Duur van de dakloosheid</h2>\n<p>Kaplan–Meier-schatting: gezinnen die nog dakloos zijn of uit beeld raakten tellen mee zolang bekend is dat ze dakloos waren.</p>\n{}",
            duration_html(duration, dakwacht_core::Lang::Nl)
        ),
    };
    let signals = html_table(
        "Signalen per regel",
        ["Signaal", "Casussen", "Van", "Percentage", "Id"],
        &signal_rows,
    );
    let body = format!(
        r#"<h1>Quickscan</h1>
<p>Selectie: {scope}. Percentages zijn afgerond op hele procenten; teller en noemer staan erbij.</p>
{measures}
<h2>Kinderen</h2>
<p>Hier zijn de kinderen de eenheid: de noemers tellen kinderen, niet gezinnen.</p>
{children}
{duration}
<h2>Signalen</h2>
<p>Per regel van het juridisch kader: hoeveel casussen het signaal geven (regels versie {version}).</p>
{signals}"#,
        scope = escape(report.scope),
        version = escape(report.rules_version),
    );
    standalone_page(&format!("Quickscan dakwacht — {}", report.scope), &body)
}

/// A standalone, accessible Dutch HTML page around `body` (no scripts, no external resources):
/// safe to mail or print. `title` is escaped here; `body` is HTML.
pub(crate) fn standalone_page(title: &str, body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: .5rem; }}
th, td {{ border-bottom: 1px solid #767676; padding: .4rem .6rem; text-align: right; }}
th[scope=row], thead th:first-child {{ text-align: left; font-weight: normal; }}
code {{ font-size: .85em; }}
dt {{ font-weight: bold; margin-top: .5rem; }}
dd {{ margin-left: 0; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"#,
        title = escape(title),
    )
}
