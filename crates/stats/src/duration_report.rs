//! The duration estimate in words, as JSON and as HTML with its step chart: for
//! `dakwacht report duration`, the section in the quickscan report and the dashboard.

use std::fmt::Write as _;

use dakwacht_core::Lang;

use crate::disclosure::{Policy, PublishedDuration, Suppression, figure_text};
use crate::report::{escape, standalone_page};
use crate::survival::{DurationEstimate, SurvivalAt, SurvivalRow};

/// The words of the estimate in one language (the dashboard speaks Dutch and English; the
/// command line's reports are Dutch).
struct Words {
    known: &'static str,
    known_detail: &'static str,
    excluded: &'static str,
    median: &'static str,
    interval: &'static str,
    interval_none: &'static str,
    to: &'static str,
    still_homeless_after: &'static str,
    optimistic: &'static str,
    pessimistic: &'static str,
    median_word: &'static str,
    not_reached: &'static str,
    month: &'static str,
    months: &'static str,
    months_short: &'static str,
    chart_title: &'static str,
    chart_region: &'static str,
    axis: &'static str,
    none: &'static str,
    /// Said under a table cut at [`SHOWN_MONTHS`]: `{shown}` and `{last}` are months.
    cut: &'static str,
    table_summary: &'static str,
    table_caption: &'static str,
    columns: [&'static str; 6],
    decimal: char,
    /// A median held back: `{minimum}` is the policy's number of families.
    median_withheld: &'static str,
    /// Months of the table held back: `{months}` and `{minimum}`.
    rows_withheld: &'static str,
}

const NL: Words = Words {
    known: "Gezinnen met een bekende duur",
    known_detail: "herhuisvest|nog dakloos of uit beeld",
    excluded: "Dakloos na verlies, duur onbekend (niet meegeteld)",
    median: "Mediane duur",
    interval: "95%-interval",
    interval_none: "niet bereikt",
    to: "tot",
    still_homeless_after: "Nog dakloos na",
    optimistic: "Uit beeld geraakt = herhuisvest bij laatste contact",
    pessimistic: "Uit beeld geraakt = dakloos tot de melding",
    median_word: "mediaan",
    not_reached: "niet bereikt",
    month: "maand",
    months: "maanden",
    months_short: "mnd",
    chart_title: "Aandeel gezinnen nog dakloos per maand na verlies van de woning, met 95%-band; de cijfers staan in de tabel",
    chart_region: "Grafiek: nog dakloos per maand",
    axis: "maanden na verlies van de woning",
    none: "Geen gezinnen met een bekende duur in deze selectie.",
    cut: "Getoond tot en met maand {shown}; de maanden daarna (tot {last}) staan in de JSON (`dakwacht report duration --format json`).",
    table_summary: "Tabel per maand",
    table_caption: "Kaplan–Meier-schatting per maand",
    columns: [
        "Maand",
        "At risk",
        "Herhuisvest",
        "Gecensureerd",
        "Nog dakloos",
        "95%-band",
    ],
    decimal: ',',
    median_withheld: "niet gepubliceerd (minder dan {minimum} gezinnen)",
    rows_withheld: "{months} maanden met minder dan {minimum} gezinnen at risk zijn niet gepubliceerd.",
};

const EN: Words = Words {
    known: "Families with a known duration",
    known_detail: "rehoused|still homeless or out of view",
    excluded: "Homeless after the loss, duration unknown (not counted)",
    median: "Median duration",
    interval: "95% interval",
    interval_none: "not reached",
    to: "to",
    still_homeless_after: "Still homeless after",
    optimistic: "Out of view = rehoused when last seen",
    pessimistic: "Out of view = homeless until the report",
    median_word: "median",
    not_reached: "not reached",
    month: "month",
    months: "months",
    months_short: "mo",
    chart_title: "Share of families still homeless per month after losing their home, with 95% band; the figures are in the table",
    chart_region: "Chart: still homeless per month",
    axis: "months after losing the home",
    none: "No families with a known duration in this selection.",
    cut: "Shown up to month {shown}; the months after it (up to {last}) are in the JSON (`dakwacht report duration --format json`).",
    table_summary: "Table per month",
    table_caption: "Kaplan–Meier estimate per month",
    columns: [
        "Month",
        "At risk",
        "Rehoused",
        "Censored",
        "Still homeless",
        "95% band",
    ],
    decimal: '.',
    median_withheld: "not published (fewer than {minimum} families)",
    rows_withheld: "{months} months with fewer than {minimum} families at risk are not published.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// `87,5%` (one decimal; a comma in Dutch); `–` when the estimate says nothing there.
pub fn survival_percent(value: Option<f64>, lang: Lang) -> String {
    match value {
        None => "–".to_string(),
        Some(share) => {
            format!("{:.1}%", share * 100.0).replace('.', &words(lang).decimal.to_string())
        }
    }
}

/// `9 maanden`, or "niet bereikt" when the curve never gets there.
fn months_text(months: Option<u32>, w: &Words) -> String {
    match months {
        None => w.not_reached.to_string(),
        Some(1) => format!("1 {}", w.month),
        Some(m) => format!("{m} {}", w.months),
    }
}

fn survival_at_text(at: &SurvivalAt, held: [bool; 4], lang: Lang) -> String {
    let w = words(lang);
    at.by_month()
        .iter()
        .zip(held)
        .map(|((month, value), held)| {
            let value = if held {
                "×".to_string()
            } else {
                survival_percent(*value, lang)
            };
            format!("{month} {} {value}", w.months_short)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines of the summary: what a reader needs before the table. `policy` is the one that
/// protected `estimate`, if one did.
pub fn summary_lines(
    estimate: &PublishedDuration,
    policy: Option<&Policy>,
    lang: Lang,
) -> Vec<(&'static str, String)> {
    let w = words(lang);
    let held = &estimate.suppressed;
    // A count of the estimate held back by the policy itself is always one from 1 to 4.
    let count = |value: Option<u64>, why: Option<Suppression>| {
        figure_text(value, why, why == Some(Suppression::Primary), policy)
    };
    let months_held = {
        let at = &held.survival_at;
        [
            at.three_months,
            at.six_months,
            at.twelve_months,
            at.twenty_four_months,
        ]
        .map(|why| why.is_some())
    };
    let median_held = held.median_months.is_some();
    let median_text = |median: Option<u32>| match (median_held, policy) {
        (true, Some(policy)) => w.median_withheld.replace(
            "{minimum}",
            &policy.minimum_families_for_median().to_string(),
        ),
        (true, None) => "×".to_string(),
        (false, _) => months_text(median, w),
    };
    let [low, high] = estimate.median_ci;
    let (rehoused, censored) = w.known_detail.split_once('|').unwrap_or(("", ""));
    let bound = |median: Option<u32>, at: &SurvivalAt| {
        format!(
            "{} {}; {}",
            w.median_word,
            median_text(median),
            survival_at_text(at, months_held, lang)
        )
    };
    vec![
        (
            w.known,
            format!(
                "{} ({} {rehoused}, {} {censored})",
                count(estimate.n, held.n),
                count(estimate.events, held.events),
                count(estimate.censored, held.censored)
            ),
        ),
        (w.excluded, count(estimate.excluded, held.excluded)),
        (
            w.median,
            match (median_held, low, high) {
                (true, _, _) => median_text(None),
                (false, None, None) => format!(
                    "{} ({}: {})",
                    months_text(estimate.median_months, w),
                    w.interval,
                    w.interval_none
                ),
                _ => format!(
                    "{} ({}: {} {} {})",
                    months_text(estimate.median_months, w),
                    w.interval,
                    months_text(low, w),
                    w.to,
                    months_text(high, w)
                ),
            },
        ),
        (
            w.still_homeless_after,
            survival_at_text(&estimate.survival_at, months_held, lang),
        ),
        (
            w.optimistic,
            bound(
                estimate.optimistic.median_months,
                &estimate.optimistic.survival_at,
            ),
        ),
        (
            w.pessimistic,
            bound(
                estimate.pessimistic.median_months,
                &estimate.pessimistic.survival_at,
            ),
        ),
    ]
}

/// The months of the table a policy held back, in a sentence; `None` when it held back none.
pub fn rows_withheld_text(
    estimate: &PublishedDuration,
    policy: Option<&Policy>,
    lang: Lang,
) -> Option<String> {
    let (rows, policy) = (estimate.suppressed.table_rows, policy?);
    (rows > 0).then(|| {
        words(lang)
            .rows_withheld
            .replace("{months}", &rows.to_string())
            .replace("{minimum}", &policy.minimum_at_risk().to_string())
    })
}

/// The estimate's summary as Dutch text lines (also the quickscan report's section).
pub fn write_duration_summary(
    out: &mut String,
    estimate: &PublishedDuration,
    policy: Option<&Policy>,
) {
    let lines = summary_lines(estimate, policy, Lang::Nl);
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
    let percent = |value: f64| survival_percent(Some(value), Lang::Nl);
    let mut out = String::new();
    let _ = writeln!(out, "Duur van de dakloosheid (Kaplan–Meier) — {scope}");
    let _ = writeln!(out);
    write_duration_summary(&mut out, &PublishedDuration::unprotected(estimate), None);
    if !estimate.table.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:>5} {:>9} {:>11} {:>12} {:>9} {:>17}",
            "maand", "at risk", "herhuisvest", "gecensureerd", "nog dakl.", "95%-band"
        );
        for row in &estimate.table {
            let _ = writeln!(
                out,
                "{:>5} {:>9} {:>11} {:>12} {:>9} {:>17}",
                row.month,
                row.at_risk,
                row.events,
                row.censored,
                percent(row.survival),
                format!("{} – {}", percent(row.ci_low), percent(row.ci_high)),
            );
        }
    }
    out
}

/// `dakwacht report duration --format json`: exactly the publication spec's shape.
pub fn duration_json(estimate: &DurationEstimate) -> serde_json::Value {
    serde_json::to_value(estimate).unwrap_or(serde_json::Value::Null)
}

/// The months a page draws and lists: 20 years. Dates run from 1900 to 9999, so one mistyped
/// family could make a table of 97,000 months, and every dashboard view a page of megabytes;
/// the JSON keeps every month.
pub const SHOWN_MONTHS: usize = 241;

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
pub fn survival_chart_svg(table: &[SurvivalRow], lang: Lang) -> String {
    let table = &table[..table.len().min(SHOWN_MONTHS)];
    let w = words(lang);
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
        r##"<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="duur-grafiek-titel" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">
<title id="duur-grafiek-titel">{title}</title>
{axes}
<path d="{band} Z" fill="#9ecae1" fill-opacity="0.5" stroke="none"/>
<path d="{curve}" fill="none" stroke="#08519c" stroke-width="2"/>
<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12">{axis}</text>
</svg>"##,
        LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
        HEIGHT - 6.0,
        band = path(&band),
        curve = path(&curve),
        title = escape(w.chart_title),
        axis = escape(w.axis),
    )
}

/// The estimate as an HTML section body: summary list, chart, and the table per month in a
/// disclosure (it can run to hundreds of months).
pub fn duration_html(estimate: &DurationEstimate, lang: Lang) -> String {
    published_duration_html(&PublishedDuration::unprotected(estimate), None, lang)
}

/// [`duration_html`] of an estimate as `policy` lets it be published: held-back counts as `<5`
/// or `×`, the median withheld in words, the months held back said under the table.
pub fn published_duration_html(
    estimate: &PublishedDuration,
    policy: Option<&Policy>,
    lang: Lang,
) -> String {
    let w = words(lang);
    let percent = |value: f64| survival_percent(Some(value), lang);
    let mut out = String::from("<dl class=\"duur-samenvatting\">\n");
    for (label, value) in summary_lines(estimate, policy, lang) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(&value));
    }
    out.push_str("</dl>\n");
    let withheld = rows_withheld_text(estimate, policy, lang);
    if estimate.table.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", withheld.as_deref().unwrap_or(w.none));
        return out;
    }
    // At a fixed size in a region that scrolls sideways on a phone: scaled down to 390 px
    // its labels would be too small to read.
    let _ = writeln!(
        out,
        "<div class=\"duur-grafiek\" role=\"region\" aria-label=\"{}\" tabindex=\"0\" style=\"overflow-x: auto\">",
        escape(w.chart_region)
    );
    out.push_str(&survival_chart_svg(&estimate.table, lang));
    let headings: String = w
        .columns
        .iter()
        .map(|c| format!("<th scope=\"col\">{c}</th>"))
        .collect();
    let _ = write!(
        out,
        "\n</div>\n<details>\n<summary>{}</summary>\n<table>\n<caption>{}</caption>\n<thead><tr>{headings}</tr></thead>\n<tbody>\n",
        w.table_summary, w.table_caption
    );
    let shown = &estimate.table[..estimate.table.len().min(SHOWN_MONTHS)];
    for row in shown {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td></tr>",
            row.month,
            row.at_risk,
            row.events,
            row.censored,
            percent(row.survival),
            percent(row.ci_low),
            percent(row.ci_high),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if let (Some(shown), Some(last)) = (shown.last(), estimate.table.last())
        && shown.month < last.month
    {
        let cut = w
            .cut
            .replace("{shown}", &shown.month.to_string())
            .replace("{last}", &last.month.to_string());
        let _ = writeln!(out, "<p>{}</p>", escape(&cut));
    }
    if let Some(withheld) = &withheld {
        let _ = writeln!(out, "<p>{}</p>", escape(withheld));
    }
    out.push_str("</details>\n");
    out
}

/// `dakwacht report duration --format html`: a standalone page (no scripts, no external
/// resources), like the quickscan report's.
pub fn render_duration_html(estimate: &DurationEstimate, scope: &str) -> String {
    let body = format!(
        "<h1>Duur van de dakloosheid</h1>\n<p>Selectie: {}. Kaplan–Meier-schatting over hele maanden: gezinnen die nog dakloos zijn of uit beeld raakten tellen mee zolang bekend is dat ze dakloos waren (gecensureerd), niet alsof hun dakloosheid toen eindigde.</p>\n{}",
        escape(scope),
        duration_html(estimate, Lang::Nl)
    );
    standalone_page(&format!("Duur van de dakloosheid — {scope}"), &body)
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
        let svg = survival_chart_svg(&estimate.table, Lang::Nl);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("role=\"img\""));
        // Two points per month for the curve.
        let curve = svg
            .lines()
            .find(|l| l.contains("stroke=\"#08519c\""))
            .unwrap_or_default();
        assert_eq!(curve.matches(',').count(), 2 * estimate.table.len());
        assert_eq!(survival_chart_svg(&[], Lang::En), "");
        let english = duration_html(&estimate, Lang::En);
        assert!(
            english.contains("<dt>Median duration</dt><dd>2 months"),
            "{english}"
        );
        assert!(
            english.contains("50.0%") && !english.contains("50,0%"),
            "{english}"
        );
        let html = render_duration_html(&estimate, "<Gemeente & co>");
        assert!(html.contains("&lt;Gemeente &amp; co&gt;"));
        assert!(!html.contains("<Gemeente"));
    }

    #[test]
    fn a_page_lists_and_draws_twenty_years_at_most() {
        // One family lost its home in 1900 and was reported in 9999: 97,000 months.
        let long = DurationEstimate::from_contributions([(
            Contribution::Counted {
                main: Observation::still_homeless(97_000),
                optimistic: Observation::still_homeless(97_000),
                pessimistic: Observation::still_homeless(97_000),
            },
            1,
        )]);
        assert_eq!(long.table.len(), 97_001, "the JSON keeps every month");
        let html = duration_html(&long, Lang::Nl);
        assert_eq!(html.matches("<tr><th scope=\"row\">").count(), SHOWN_MONTHS);
        assert!(html.contains("Getoond tot en met maand 240; de maanden daarna (tot 97000)"));
        let svg = survival_chart_svg(&long.table, Lang::Nl);
        let curve = svg
            .lines()
            .find(|l| l.contains("stroke=\"#08519c\""))
            .unwrap_or_default();
        assert_eq!(curve.matches(',').count(), 2 * SHOWN_MONTHS);
        assert!(html.len() < 100_000, "{} bytes", html.len());
        // A table within the limit says nothing of a cut.
        assert!(!duration_html(&estimate(), Lang::Nl).contains("Getoond tot"));
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
