//! The duration estimate in words, as JSON and as HTML with its step chart: for
//! `dakwacht report duration`, the section in the quickscan report and the dashboard.

use std::fmt::Write as _;

use crate::survival::{DurationEstimate, SurvivalAt, SurvivalRow};

/// `87,5%` (one decimal, Dutch comma); `–` when the estimate says nothing there.
pub fn survival_percent(value: Option<f64>) -> String {
    match value {
        None => "–".to_string(),
        Some(share) => format!("{:.1}%", share * 100.0).replace('.', ","),
    }
}

/// `9 maanden`, or "niet bereikt" when the curve never gets there.
fn months_text(months: Option<u32>) -> String {
    match months {
        None => "niet bereikt".to_string(),
        Some(1) => "1 maand".to_string(),
        Some(m) => format!("{m} maanden"),
    }
}

fn survival_at_text(at: &SurvivalAt) -> String {
    at.by_month()
        .iter()
        .map(|(month, value)| format!("{month} mnd {}", survival_percent(*value)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines of the summary: what a reader needs before the table.
fn summary_lines(estimate: &DurationEstimate) -> Vec<(&'static str, String)> {
    let [low, high] = estimate.median_ci;
    vec![
        (
            "Gezinnen met een bekende duur",
            format!(
                "{} ({} herhuisvest, {} nog dakloos of uit beeld)",
                estimate.n, estimate.events, estimate.censored
            ),
        ),
        (
            "Dakloos na verlies, duur onbekend (niet meegeteld)",
            estimate.excluded.to_string(),
        ),
        (
            "Mediane duur",
            format!(
                "{} (95%-interval {} tot {})",
                months_text(estimate.median_months),
                months_text(low),
                months_text(high)
            ),
        ),
        ("Nog dakloos na", survival_at_text(&estimate.survival_at)),
        (
            "Uit beeld geraakt = herhuisvest bij laatste contact",
            format!(
                "mediaan {}; {}",
                months_text(estimate.optimistic.median_months),
                survival_at_text(&estimate.optimistic.survival_at)
            ),
        ),
        (
            "Uit beeld geraakt = dakloos tot de melding",
            format!(
                "mediaan {}; {}",
                months_text(estimate.pessimistic.median_months),
                survival_at_text(&estimate.pessimistic.survival_at)
            ),
        ),
    ]
}

/// The estimate's summary as text lines (also the quickscan report's section).
pub fn write_duration_summary(out: &mut String, estimate: &DurationEstimate) {
    let lines = summary_lines(estimate);
    let width = lines
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (label, value) in lines {
        let pad = width - label.chars().count();
        let _ = writeln!(out, "{label}{}  {value}", " ".repeat(pad));
    }
}

/// `dakwacht report duration --format text`: the summary, then the table per month.
pub fn render_duration_text(estimate: &DurationEstimate, scope: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Duur van de dakloosheid (Kaplan–Meier) — {scope}");
    let _ = writeln!(out);
    write_duration_summary(&mut out, estimate);
    if !estimate.table.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:>5} {:>9} {:>11} {:>11} {:>9} {:>17}",
            "maand", "at risk", "herhuisvest", "gecensureerd", "nog dakl.", "95%-band"
        );
        for row in &estimate.table {
            let _ = writeln!(
                out,
                "{:>5} {:>9} {:>11} {:>11} {:>9} {:>17}",
                row.month,
                row.at_risk,
                row.events,
                row.censored,
                survival_percent(Some(row.survival)),
                format!(
                    "{} – {}",
                    survival_percent(Some(row.ci_low)),
                    survival_percent(Some(row.ci_high))
                ),
            );
        }
    }
    out
}

/// `dakwacht report duration --format json`: exactly the publication spec's shape.
pub fn duration_json(estimate: &DurationEstimate) -> serde_json::Value {
    serde_json::to_value(estimate).unwrap_or(serde_json::Value::Null)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart's drawing area, in SVG user units.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;

/// The step chart of the estimate with its 95% band, as inline SVG (vector, no script): the
/// curve stays level through a month and drops where families were rehoused. The figures are
/// in the table beside it, so the picture carries a short text alternative only.
pub fn survival_chart_svg(table: &[SurvivalRow]) -> String {
    let Some(last) = table.last() else {
        return String::new();
    };
    let months = f64::from(last.month + 1);
    let x = |month: f64| LEFT + (WIDTH - LEFT - RIGHT) * month / months;
    let y = |share: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - share);
    let steps = |value: fn(&SurvivalRow) -> f64| -> Vec<(f64, f64)> {
        let mut points = Vec::with_capacity(table.len() * 2);
        for row in table {
            let level = y(value(row));
            points.push((x(f64::from(row.month)), level));
            points.push((x(f64::from(row.month + 1)), level));
        }
        points
    };
    let path = |points: &[(f64, f64)]| -> String {
        points
            .iter()
            .enumerate()
            .map(|(i, (px, py))| format!("{}{px:.1},{py:.1}", if i == 0 { "M" } else { "L" }))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let high = steps(|row| row.ci_high);
    let mut band = high.clone();
    band.extend(steps(|row| row.ci_low).into_iter().rev());
    let curve = steps(|row| row.survival);

    let mut axes = String::new();
    for share in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let level = y(share);
        let _ = write!(
            axes,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{level:.1}" y2="{level:.1}" stroke="#d0d0d0"{}/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12">{}%</text>"##,
            WIDTH - RIGHT,
            if share == 0.5 {
                r#" stroke-dasharray="4 3""#
            } else {
                ""
            },
            LEFT - 6.0,
            level + 4.0,
            (share * 100.0) as u32
        );
    }
    let tick = match last.month {
        0..=24 => 3,
        25..=72 => 6,
        73..=240 => 12,
        _ => 60,
    };
    for month in (0..=last.month + 1).step_by(tick) {
        let at = x(f64::from(month));
        let _ = write!(
            axes,
            r##"<line x1="{at:.1}" x2="{at:.1}" y1="{:.1}" y2="{:.1}" stroke="#767676"/><text x="{at:.1}" y="{:.1}" text-anchor="middle" font-size="12">{month}</text>"##,
            HEIGHT - BOTTOM,
            HEIGHT - BOTTOM + 5.0,
            HEIGHT - BOTTOM + 18.0,
        );
    }
    format!(
        r##"<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="duur-grafiek-titel" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">
<title id="duur-grafiek-titel">Aandeel gezinnen nog dakloos per maand na verlies van de woning, met 95%-band; de cijfers staan in de tabel</title>
{axes}
<path d="{band} Z" fill="#9ecae1" fill-opacity="0.5" stroke="none"/>
<path d="{curve}" fill="none" stroke="#08519c" stroke-width="2"/>
<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">maanden na verlies van de woning</text>
</svg>"##,
        LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        HEIGHT - 6.0,
        band = path(&band),
        curve = path(&curve),
    )
}

/// The estimate as an HTML section body: summary list, chart, and the table per month in a
/// disclosure (it can run to hundreds of months).
pub fn duration_html(estimate: &DurationEstimate) -> String {
    let mut out = String::from("<dl class=\"duur-samenvatting\">\n");
    for (label, value) in summary_lines(estimate) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(&value));
    }
    out.push_str("</dl>\n");
    if estimate.table.is_empty() {
        out.push_str("<p>Geen gezinnen met een bekende duur in deze selectie.</p>\n");
        return out;
    }
    out.push_str(&survival_chart_svg(&estimate.table));
    out.push_str("\n<details>\n<summary>Tabel per maand</summary>\n<table>\n<caption>Kaplan–Meier-schatting per maand</caption>\n<thead><tr><th scope=\"col\">Maand</th><th scope=\"col\">At risk</th><th scope=\"col\">Herhuisvest</th><th scope=\"col\">Gecensureerd</th><th scope=\"col\">Nog dakloos</th><th scope=\"col\">95%-band</th></tr></thead>\n<tbody>\n");
    for row in &estimate.table {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td></tr>",
            row.month,
            row.at_risk,
            row.events,
            row.censored,
            survival_percent(Some(row.survival)),
            survival_percent(Some(row.ci_low)),
            survival_percent(Some(row.ci_high)),
        );
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
    out
}

/// `dakwacht report duration --format html`: a standalone page (no scripts, no external
/// resources), like the quickscan report's.
pub fn render_duration_html(estimate: &DurationEstimate, scope: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Duur van de dakloosheid — {scope}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
caption {{ text-align: left; font-weight: bold; margin-bottom: .5rem; }}
th, td {{ border-bottom: 1px solid #767676; padding: .3rem .6rem; text-align: right; }}
dt {{ font-weight: bold; margin-top: .5rem; }}
dd {{ margin-left: 0; }}
</style>
</head>
<body>
<main>
<h1>Duur van de dakloosheid</h1>
<p>Selectie: {scope}. Kaplan–Meier-schatting over hele maanden: gezinnen die nog dakloos zijn of uit beeld raakten tellen mee zolang bekend is dat ze dakloos waren (gecensureerd), niet alsof hun dakloosheid toen eindigde.</p>
{body}
</main>
</body>
</html>
"#,
        scope = escape(scope),
        body = duration_html(estimate),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survival::{Contribution, DurationEstimate, Observation};

    fn estimate() -> DurationEstimate {
        DurationEstimate::from_contributions([
            (
                Contribution::Counted {
                    main: Observation::rehoused(2),
                    optimistic: Observation::rehoused(2),
                    pessimistic: Observation::rehoused(2),
                },
                1,
            ),
            (
                Contribution::Counted {
                    main: Observation::still_homeless(4),
                    optimistic: Observation::rehoused(4),
                    pessimistic: Observation::still_homeless(7),
                },
                1,
            ),
            (Contribution::Excluded, 3),
        ])
    }

    #[test]
    fn the_text_gives_the_summary_and_every_month() {
        let text = render_duration_text(&estimate(), "alle casussen");
        assert!(text.contains("Mediane duur"), "{text}");
        assert!(text.contains("2 maanden"), "median at month 2: {text}");
        let excluded = text
            .lines()
            .find(|l| l.starts_with("Dakloos na verlies, duur onbekend"))
            .unwrap_or_default();
        assert!(excluded.ends_with(" 3"), "{text}");
        assert!(text.contains("3 mnd 50,0%"), "{text}");
        let rows = text
            .lines()
            .filter(|l| l.trim_start().starts_with(char::is_numeric))
            .count();
        assert_eq!(rows, 5, "months 0 to 4: {text}");
    }

    #[test]
    fn the_chart_steps_through_every_month_and_escapes_nothing_it_does_not_own() {
        let estimate = estimate();
        let svg = survival_chart_svg(&estimate.table);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("role=\"img\""));
        // Two points per month for the curve.
        let curve = svg
            .lines()
            .find(|l| l.contains("stroke=\"#08519c\""))
            .unwrap_or_default();
        assert_eq!(curve.matches(',').count(), 2 * estimate.table.len());
        assert_eq!(survival_chart_svg(&[]), "");
        let html = render_duration_html(&estimate, "<Gemeente & co>");
        assert!(html.contains("&lt;Gemeente &amp; co&gt;"));
        assert!(!html.contains("<Gemeente"));
    }

    #[test]
    fn the_json_is_the_estimate_itself() {
        let estimate = estimate();
        let json = duration_json(&estimate);
        assert_eq!(json["n"], 2);
        assert_eq!(json["excluded"], 3);
        assert_eq!(json["median_months"], 2);
        assert_eq!(json["table"].as_array().map(Vec::len), Some(5));
        assert_eq!(json["pessimistic"]["survival_at"]["6"], 0.5);
    }
}
