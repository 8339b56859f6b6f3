//! What a bundle holds: one selection's protected figures, in one language, and the rows every
//! file prints them as, so that the JSON, the CSV, the workbook and the PDF cannot differ.

use dakwacht_core::Lang;
use dakwacht_core::date::Date;
use dakwacht_stats::disclosure::{
    Policy, PublishedBreakdown, PublishedDuration, PublishedMeasure, PublishedMeasures,
    PublishedSignal, Summary, SuppressedParts, Suppression, figure_text,
};

/// One selection's figures as they may be published.
#[derive(Debug, Clone, Copy)]
pub struct BundleFigures<'a> {
    /// The selection in words, in `lang`.
    pub scope: &'a str,
    /// The day the figures were counted.
    pub counted_on: Date,
    pub lang: Lang,
    pub policy: &'a Policy,
    pub summary: &'a Summary,
    pub measures: &'a PublishedMeasures,
    pub signals: &'a [PublishedSignal],
    pub rules_version: &'a str,
    pub duration: &'a PublishedDuration,
    /// Families per municipality and per quarter of `home_lost_on`.
    pub breakdowns: &'a [PublishedBreakdown],
}

/// One printed row of a table of shares or counts: every figure as text (a number, `<5`, `×`,
/// `–`), with the numbers for machines and the reasons of what is held back.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub label: String,
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// Two decimals, as in the JSON.
    pub percent: Option<f64>,
    pub suppressed: SuppressedParts,
    pub numerator_text: String,
    pub denominator_text: String,
    pub percent_text: String,
}

/// The tables of a bundle, each a list of rows, as every file prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    pub measures: Vec<Row>,
    pub child_measures: Vec<Row>,
    pub signals: Vec<Row>,
}

impl BundleFigures<'_> {
    pub fn tables(&self) -> Tables {
        Tables {
            measures: self
                .measures
                .measures
                .iter()
                .map(|m| self.measure_row(m))
                .collect(),
            child_measures: self
                .measures
                .child_measures
                .iter()
                .map(|m| self.measure_row(m))
                .collect(),
            signals: self.signals.iter().map(|s| self.signal_row(s)).collect(),
        }
    }

    fn measure_row(&self, measure: &PublishedMeasure) -> Row {
        let held = measure.suppressed;
        let label =
            dakwacht_stats::definition_of(measure.id).map_or(measure.id, |d| match self.lang {
                Lang::Nl => d.label_nl,
                Lang::En => d.label_en,
            });
        let is_share = measure.denominator.is_some() || held.denominator.is_some();
        Row {
            id: measure.id.to_string(),
            label: label.to_string(),
            numerator: measure.numerator,
            denominator: measure.denominator,
            percent: measure.percent,
            suppressed: held,
            numerator_text: figure_text(
                measure.numerator,
                held.numerator,
                measure.numerator_small,
                Some(self.policy),
            ),
            denominator_text: if is_share {
                figure_text(
                    measure.denominator,
                    held.denominator,
                    measure.denominator_small,
                    Some(self.policy),
                )
            } else {
                String::new()
            },
            percent_text: if is_share {
                percent_text(measure.whole_percent(), held.percent)
            } else {
                String::new()
            },
        }
    }

    fn signal_row(&self, signal: &PublishedSignal) -> Row {
        let held = signal.suppressed;
        Row {
            id: signal.id.clone(),
            label: signal.label.clone(),
            numerator: signal.cases,
            denominator: signal.of,
            percent: signal.percent,
            suppressed: held,
            numerator_text: figure_text(
                signal.cases,
                held.numerator,
                signal.cases_small,
                Some(self.policy),
            ),
            denominator_text: figure_text(
                signal.of,
                held.denominator,
                signal.of_small,
                Some(self.policy),
            ),
            percent_text: percent_text(signal.whole_percent(), held.percent),
        }
    }
}

/// `59%`, `×` when held back, `–` when there is no share.
fn percent_text(percent: Option<u64>, held: Option<Suppression>) -> String {
    match (percent, held) {
        (_, Some(_)) => "×".to_string(),
        (Some(p), None) => format!("{p}%"),
        (None, None) => "–".to_string(),
    }
}

/// `numerator: primary; percent: primary`: the held-back parts of a row, for a CSV cell or a
/// workbook's note column.
pub fn suppressed_text(parts: &SuppressedParts) -> String {
    let name = |s: Suppression| match s {
        Suppression::Primary => "primary",
        Suppression::Secondary => "secondary",
    };
    [
        ("numerator", parts.numerator),
        ("denominator", parts.denominator),
        ("percent", parts.percent),
    ]
    .into_iter()
    .filter_map(|(part, why)| why.map(|why| format!("{part}: {}", name(why))))
    .collect::<Vec<_>>()
    .join("; ")
}

/// A breakdown's row count as printed: the number, `<5` or `×`.
pub fn breakdown_count_text(
    count: Option<u64>,
    held: Option<Suppression>,
    policy: &Policy,
) -> String {
    figure_text(
        count,
        held,
        held == Some(Suppression::Primary),
        Some(policy),
    )
}
