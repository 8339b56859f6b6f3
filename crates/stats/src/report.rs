//! The quickscan report in three forms: a Dutch text table, JSON for other tools, standalone HTML.

use std::fmt::Write as _;

use crate::Measure;

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
pub fn render_text(measures: &[Measure], scope: &str) -> String {
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
    out
}

/// `{"measures": [{"id", "numerator", "denominator", "percent"}, …], "scope": …}`.
pub fn render_json(measures: &[Measure], scope: &str) -> serde_json::Value {
    let measures: Vec<serde_json::Value> = measures
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
    serde_json::json!({ "scope": scope, "measures": measures })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone, accessible HTML page (no scripts, no external resources): safe to mail or print.
pub fn render_html(measures: &[Measure], scope: &str) -> String {
    let mut rows = String::new();
    for m in measures {
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
</main>
</body>
</html>
"#,
        scope = escape(scope)
    )
}
