//! The geometry of the dashboard's SVG charts, worked out here so that templates only place
//! numbers. Every chart is an image with a title and a description (`role="img"`), and its
//! figures follow it as a table.

/// Horizontal bars for shares (0–100 %), each with its label above the bar.
pub struct ShareChart {
    pub width: u32,
    pub height: u32,
    pub rows: Vec<ShareRow>,
}

pub struct ShareRow {
    pub label: String,
    /// "36% (5/14)"
    pub value: String,
    pub label_y: u32,
    pub bar_y: u32,
    pub bar_width: u32,
    pub value_x: u32,
}

const SHARE_WIDTH: u32 = 720;
const SHARE_BAR_MAX: u32 = 520;
const SHARE_ROW: u32 = 46;

/// A share chart of `(label, numerator, denominator)`; shares with an empty denominator get no
/// bar and say so.
pub fn share_chart(no_data: &str, shares: &[(String, u64, u64)]) -> ShareChart {
    let rows = shares
        .iter()
        .zip(0u32..)
        .map(|((label, numerator, denominator), i)| {
            let top = i * SHARE_ROW;
            let (bar_width, value) = match dakwacht_stats::whole_percent(*numerator, *denominator) {
                Some(percent) => (
                    bar_length(*numerator, *denominator, SHARE_BAR_MAX),
                    format!("{percent}% ({numerator}/{denominator})"),
                ),
                None => (0, no_data.to_string()),
            };
            ShareRow {
                label: label.clone(),
                value,
                label_y: top + 16,
                bar_y: top + 22,
                bar_width,
                value_x: bar_width + 8,
            }
        })
        .collect::<Vec<_>>();
    ShareChart {
        width: SHARE_WIDTH,
        height: (rows.len() as u32 * SHARE_ROW).max(SHARE_ROW),
        rows,
    }
}

/// `numerator / denominator` of `max`, rounded, never more than `max`.
fn bar_length(numerator: u64, denominator: u64, max: u32) -> u32 {
    if denominator == 0 {
        return 0;
    }
    let length = (u128::from(numerator.min(denominator)) * u128::from(max)
        + u128::from(denominator) / 2)
        / u128::from(denominator);
    u32::try_from(length).unwrap_or(max)
}

/// Vertical bars over months: how many families lost their home each month.
pub struct MonthChart {
    pub width: u32,
    pub height: u32,
    /// The baseline's y.
    pub axis_y: u32,
    pub max: u64,
    pub columns: Vec<MonthColumn>,
}

pub struct MonthColumn {
    pub month: String,
    pub count: u64,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Shown under the axis for some months only, so labels never overlap.
    pub label: Option<String>,
    pub label_x: u32,
}

const MONTH_PLOT_HEIGHT: u32 = 180;
const MONTH_TOP: u32 = 20;

/// Every month from the first to the last in `counts` (sorted `YYYY-MM`), months without losses
/// included as zero: a gap in the drawing would hide that nothing happened.
pub fn month_chart(counts: &[(String, u64)]) -> MonthChart {
    let months = every_month(counts);
    let max = months.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let column_width: u32 = match months.len() {
        0..=24 => 28,
        25..=60 => 12,
        _ => 6,
    };
    // Label every month when there is room, else every quarter or every January.
    let label_every = match months.len() {
        0..=12 => 1,
        13..=36 => 3,
        _ => 12,
    };
    let axis_y = MONTH_TOP + MONTH_PLOT_HEIGHT;
    let columns = months
        .iter()
        .zip(0u32..)
        .map(|((month, count), i)| {
            let height = if max == 0 {
                0
            } else {
                bar_length(*count, max, MONTH_PLOT_HEIGHT)
            };
            let x = 40 + i * column_width;
            let month_number = month.get(5..7).and_then(|m| m.parse::<usize>().ok());
            let labelled =
                label_every == 1 || month_number.is_some_and(|m| (m - 1) % label_every == 0);
            MonthColumn {
                month: month.clone(),
                count: *count,
                x,
                y: axis_y - height,
                width: column_width.saturating_sub(2).max(1),
                height,
                label: labelled.then(|| month.clone()),
                label_x: x,
            }
        })
        .collect::<Vec<_>>();
    MonthChart {
        width: (40 + columns.len() as u32 * column_width + 60).max(320),
        height: axis_y + 40,
        axis_y,
        max,
        columns,
    }
}

fn every_month(counts: &[(String, u64)]) -> Vec<(String, u64)> {
    let parse = |m: &str| -> Option<(i32, u32)> {
        Some((m.get(0..4)?.parse().ok()?, m.get(5..7)?.parse().ok()?))
    };
    let (Some(first), Some(last)) = (
        counts.first().and_then(|(m, _)| parse(m)),
        counts.last().and_then(|(m, _)| parse(m)),
    ) else {
        return counts.to_vec();
    };
    let mut months = Vec::new();
    let (mut year, mut month) = first;
    // Bounded: interchange dates are real dates, and a century is 1,200 columns at most.
    while (year, month) <= last && months.len() < 1200 {
        let key = format!("{year:04}-{month:02}");
        let count = counts
            .iter()
            .find(|(m, _)| *m == key)
            .map_or(0, |(_, n)| *n);
        months.push((key, count));
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_labelled_with_the_rounded_share() {
        let chart = share_chart(
            "geen gegevens",
            &[
                ("huurschuld".into(), 5, 14),
                ("alles".into(), 3, 3),
                ("leeg".into(), 0, 0),
            ],
        );
        assert_eq!(chart.rows[0].value, "36% (5/14)");
        assert_eq!(chart.rows[0].bar_width, 186); // 5/14 of 520, rounded
        assert_eq!(chart.rows[1].bar_width, SHARE_BAR_MAX);
        assert_eq!(chart.rows[2].bar_width, 0);
        assert_eq!(chart.rows[2].value, "geen gegevens");
        assert!(
            chart.rows[1].label_y > chart.rows[0].bar_y,
            "rows do not overlap"
        );
    }

    #[test]
    fn months_without_losses_are_drawn_as_zero() {
        let chart = month_chart(&[("2024-11".into(), 2), ("2025-02".into(), 4)]);
        let months: Vec<(&str, u64)> = chart
            .columns
            .iter()
            .map(|c| (c.month.as_str(), c.count))
            .collect();
        assert_eq!(
            months,
            [
                ("2024-11", 2),
                ("2024-12", 0),
                ("2025-01", 0),
                ("2025-02", 4)
            ]
        );
        assert_eq!(
            chart.columns[3].height, MONTH_PLOT_HEIGHT,
            "the highest fills the plot"
        );
        assert_eq!(chart.columns[0].height, MONTH_PLOT_HEIGHT / 2);
        assert_eq!(chart.columns[1].height, 0);
        assert_eq!(chart.columns[0].y + chart.columns[0].height, chart.axis_y);
    }

    #[test]
    fn long_timelines_label_only_januaries() {
        let counts: Vec<(String, u64)> = (2015..2025)
            .flat_map(|y| (1..=12).map(move |m| (format!("{y}-{m:02}"), 1)))
            .collect();
        let chart = month_chart(&counts);
        let labels: Vec<&str> = chart
            .columns
            .iter()
            .filter_map(|c| c.label.as_deref())
            .collect();
        assert_eq!(labels.len(), 10);
        assert!(labels.iter().all(|l| l.ends_with("-01")));
    }

    #[test]
    fn no_data_gives_an_empty_chart_not_a_panic() {
        let chart = month_chart(&[]);
        assert!(chart.columns.is_empty());
        assert_eq!(chart.max, 0);
    }
}
