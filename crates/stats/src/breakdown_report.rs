//! A breakdown of the quickscan in three forms (`dakwacht report quickscan --by …`): per
//! measure, its figure in every row (municipality, organisation, quarter, year), so rows can be
//! compared measure by measure.

use std::fmt::Write as _;

use dakwacht_core::{BreakdownBy, Lang};

use crate::Measure;
use crate::report::{escape, figure, label, measures_json, percent_text, standalone_page};

/// The measures over one row's cases.
#[derive(Debug, Clone, Copy)]
pub struct BreakdownRow<'a> {
    pub label: &'a str,
    pub measures: &'a [Measure],
    pub child_measures: &'a [Measure],
}

/// What a breakdown report shows: the selection, what the rows are, and the rows.
#[derive(Debug, Clone, Copy)]
pub struct BreakdownReport<'a> {
    pub scope: &'a str,
    pub by: BreakdownBy,
    pub rows: &'a [BreakdownRow<'a>],
    /// Cases of the selection in no row (municipality or date of the loss unknown).
    pub not_in_any_row: u64,
}

/// "1 casus staat in geen rij: …", when a case does.
fn outside_rows_text(report: &BreakdownReport<'_>) -> Option<String> {
    let why = match report.by {
        BreakdownBy::Municipality => "gemeente onbekend",
        BreakdownBy::Organisation => "organisatie niet meer bekend",
        BreakdownBy::Quarter | BreakdownBy::Year => "datum van het woningverlies onbekend",
    };
    match report.not_in_any_row {
        0 => None,
        1 => Some(format!("1 casus staat in geen rij ({why}).")),
        n => Some(format!("{n} casussen staan in geen rij ({why}).")),
    }
}

impl BreakdownReport<'_> {
    /// The measures in report order (the first row's: every row has the same ones), each with
    /// the figure of every row: `(measure of the first row, [(row label, that row's measure)])`.
    fn by_measure(&self) -> Vec<(&Measure, Vec<(&str, &Measure)>)> {
        let Some(first) = self.rows.first() else {
            return Vec::new();
        };
        first
            .measures
            .iter()
            .chain(first.child_measures)
            .map(|measure| {
                let per_row = self
                    .rows
                    .iter()
                    .filter_map(|row| {
                        row.measures
                            .iter()
                            .chain(row.child_measures)
                            .find(|m| m.id == measure.id)
                            .map(|m| (row.label, m))
                    })
                    .collect();
                (measure, per_row)
            })
            .collect()
    }
}

/// Dutch text: per measure its label and id, then one line per row.
pub fn render_breakdown_text(report: &BreakdownReport<'_>) -> String {
    let word = report.by.word(Lang::Nl);
    let mut out = String::new();
    let _ = writeln!(out, "Quickscan per {word} — {}", report.scope);
    if report.rows.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Geen casussen in deze selectie.");
        return out;
    }
    if let Some(outside) = outside_rows_text(report) {
        let _ = writeln!(out);
        let _ = writeln!(out, "{outside}");
    }
    let width = report
        .rows
        .iter()
        .map(|row| row.label.chars().count())
        .max()
        .unwrap_or(0);
    for (measure, rows) in report.by_measure() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} ({})", label(measure), measure.id);
        for (row, m) in rows {
            let pad = width - row.chars().count();
            let _ = writeln!(out, "  {row}{}  {:>16}", " ".repeat(pad), figure(m));
        }
    }
    out
}

/// `{"scope", "by": "municipality", "rows": [{"label", "measures": [{"id", "numerator",
/// "denominator", "percent", "label"}], "child_measures": [...]}], "not_in_any_row"}`: the rows as the quickscan
/// report's JSON gives a whole selection.
pub fn render_breakdown_json(report: &BreakdownReport<'_>) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "label": row.label,
                "measures": measures_json(row.measures),
                "child_measures": measures_json(row.child_measures),
            })
        })
        .collect();
    serde_json::json!({
        "scope": report.scope,
        "by": report.by.id(),
        "rows": rows,
        "not_in_any_row": report.not_in_any_row,
    })
}

/// A standalone page: per measure a table with a row per municipality, organisation or period.
pub fn render_breakdown_html(report: &BreakdownReport<'_>) -> String {
    let word = report.by.word(Lang::Nl);
    let mut body = format!(
        "<h1>Quickscan per {word}</h1>\n<p>Selectie: {}. Niet voor publicatie: de cijfers zoals ze geteld zijn.</p>\n",
        escape(report.scope)
    );
    if report.rows.is_empty() {
        body.push_str("<p>Geen casussen in deze selectie.</p>\n");
    }
    if let Some(outside) = outside_rows_text(report) {
        let _ = writeln!(body, "<p>{}</p>", escape(&outside));
    }
    for (measure, rows) in report.by_measure() {
        let shares = measure.denominator.is_some();
        let _ = write!(
            body,
            "<table>\n<caption>{} (<code>{}</code>)</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">Teller</th>{}</tr></thead>\n<tbody>\n",
            escape(label(measure)),
            escape(measure.id),
            escape(&capitalised(word)),
            if shares {
                "<th scope=\"col\">Noemer</th><th scope=\"col\">Percentage</th>"
            } else {
                ""
            }
        );
        for (row, m) in rows {
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{}</td>",
                escape(row),
                m.numerator
            );
            if let Some(denominator) = m.denominator {
                let _ = write!(
                    body,
                    "<td>{denominator}</td><td>{}</td>",
                    percent_text(m.whole_percent())
                );
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</tbody>\n</table>\n");
    }
    standalone_page(&format!("Quickscan per {word} — {}", report.scope), &body)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
