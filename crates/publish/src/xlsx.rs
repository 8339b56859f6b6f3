//! `cijfers.xlsx`: one sheet per table and the policy on a sheet of its own (publication spec
//! §3). A held-back figure is the text `<5` or `×` on a grey cell, with the reason in the last
//! column, so a reader of the sheet sees what the policy did without the JSON.

use dakwacht_core::Lang;
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use crate::figures::{Row, breakdown_count_text, suppressed_text};
use crate::{BundleFigures, PublishError};

struct Words {
    policy: &'static str,
    measures: &'static str,
    children: &'static str,
    signals: &'static str,
    duration: &'static str,
    duration_table: &'static str,
    measure: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    percent: &'static str,
    held_back: &'static str,
    signal: &'static str,
    cases: &'static str,
    of: &'static str,
    figure: &'static str,
    value: &'static str,
    columns: [&'static str; 6],
    count: &'static str,
    scope: &'static str,
    counted_on: &'static str,
    note: &'static str,
    rules_version: &'static str,
    by: fn(&str) -> String,
}

const NL: Words = Words {
    policy: "Beleid",
    measures: "Maten",
    children: "Kinderen",
    signals: "Signalen",
    duration: "Duur",
    duration_table: "Duur per maand",
    measure: "Maat",
    numerator: "Teller",
    denominator: "Noemer",
    percent: "Percentage",
    held_back: "Onderdrukt",
    signal: "Signaal",
    cases: "Casussen",
    of: "Van",
    figure: "Cijfer",
    value: "Waarde",
    columns: [
        "Maand",
        "At risk",
        "Herhuisvest",
        "Gecensureerd",
        "Nog dakloos",
        "95%-band",
    ],
    count: "Gezinnen",
    scope: "Selectie",
    counted_on: "Geteld op",
    note: "Bescherming",
    rules_version: "Regels versie",
    by: |by| match by {
        "municipality" => "Per gemeente".to_string(),
        "quarter" => "Per kwartaal".to_string(),
        "organisation" => "Per organisatie".to_string(),
        "year" => "Per jaar".to_string(),
        other => format!("Per {other}"),
    },
};

const EN: Words = Words {
    policy: "Policy",
    measures: "Measures",
    children: "Children",
    signals: "Signals",
    duration: "Duration",
    duration_table: "Duration per month",
    measure: "Measure",
    numerator: "Numerator",
    denominator: "Denominator",
    percent: "Percent",
    held_back: "Suppressed",
    signal: "Signal",
    cases: "Cases",
    of: "Of",
    figure: "Figure",
    value: "Value",
    columns: [
        "Month",
        "At risk",
        "Rehoused",
        "Censored",
        "Still homeless",
        "95% band",
    ],
    count: "Families",
    scope: "Selection",
    counted_on: "Counted on",
    note: "Protection",
    rules_version: "Rules version",
    by: |by| format!("By {by}"),
};

struct Formats {
    bold: Format,
    held: Format,
    percent: Format,
}

pub fn cijfers_xlsx(figures: &BundleFigures<'_>) -> Result<Vec<u8>, PublishError> {
    let w = match figures.lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let formats = Formats {
        bold: Format::new().set_bold(),
        held: Format::new().set_background_color(Color::RGB(0xE0E0E0)),
        percent: Format::new().set_num_format("0.00"),
    };
    let mut workbook = Workbook::new();
    // The day counted, not the moment written: the same figures give the same file.
    let day = figures.counted_on;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(day.year()).unwrap_or(1900),
        u8::try_from(day.month()).unwrap_or(1),
        u8::try_from(day.day()).unwrap_or(1),
    )?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));

    let sheet = workbook.add_worksheet().set_name(w.policy)?;
    let policy = figures.policy;
    let lines = [
        (w.scope, figures.scope.to_string()),
        (w.counted_on, figures.counted_on.to_string()),
        (w.note, figures.summary.sentence(figures.lang)),
        (w.rules_version, figures.rules_version.to_string()),
        ("policy", format!("{} {}", policy.name(), policy.version())),
    ];
    for (row, (label, value)) in (0u32..).zip(lines) {
        sheet.write_string_with_format(row, 0, label, &formats.bold)?;
        sheet.write_string(row, 1, value)?;
    }
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 100)?;

    let tables = figures.tables();
    for (name, rows, heads) in [
        (
            w.measures,
            &tables.measures,
            [w.measure, w.numerator, w.denominator],
        ),
        (
            w.children,
            &tables.child_measures,
            [w.measure, w.numerator, w.denominator],
        ),
        (w.signals, &tables.signals, [w.signal, w.cases, w.of]),
    ] {
        let sheet = workbook.add_worksheet().set_name(name)?;
        share_sheet(sheet, rows, heads, w, &formats)?;
    }

    let sheet = workbook.add_worksheet().set_name(w.duration)?;
    duration_sheet(sheet, figures, w, &formats)?;
    let sheet = workbook.add_worksheet().set_name(w.duration_table)?;
    for (col, head) in (0u16..).zip(w.columns) {
        sheet.write_string_with_format(0, col, head, &formats.bold)?;
    }
    for (row, month) in (1u32..).zip(&figures.duration.table) {
        sheet.write_number(row, 0, month.month)?;
        sheet.write_number(row, 1, month.at_risk as f64)?;
        sheet.write_number(row, 2, month.events as f64)?;
        sheet.write_number(row, 3, month.censored as f64)?;
        sheet.write_number(row, 4, month.survival)?;
        sheet.write_string(
            row,
            5,
            format!("{:.4} – {:.4}", month.ci_low, month.ci_high),
        )?;
    }

    for breakdown in figures.breakdowns {
        let sheet = workbook.add_worksheet().set_name((w.by)(&breakdown.by))?;
        sheet.write_string_with_format(0, 0, "", &formats.bold)?;
        sheet.write_string_with_format(0, 1, w.count, &formats.bold)?;
        sheet.write_string_with_format(0, 2, w.held_back, &formats.bold)?;
        let total = (
            "Totaal".to_string(),
            breakdown.total,
            breakdown.suppressed.total,
        );
        let rows = breakdown
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.count, r.suppressed.count))
            .chain(std::iter::once(total));
        for (row, (label, count, held)) in (1u32..).zip(rows) {
            sheet.write_string(row, 0, &label)?;
            match count {
                Some(count) => {
                    sheet.write_number(row, 1, count as f64)?;
                }
                None => {
                    let text = breakdown_count_text(None, held, figures.policy);
                    sheet.write_string_with_format(row, 1, text, &formats.held)?;
                    let why = match held {
                        Some(dakwacht_stats::disclosure::Suppression::Secondary) => "secondary",
                        _ => "primary",
                    };
                    sheet.write_string(row, 2, why)?;
                }
            }
        }
        sheet.set_column_width(0, 30)?;
    }

    Ok(workbook.save_to_buffer()?)
}

fn share_sheet(
    sheet: &mut Worksheet,
    rows: &[Row],
    heads: [&str; 3],
    w: &Words,
    formats: &Formats,
) -> Result<(), PublishError> {
    for (col, head) in (0u16..).zip(["id", heads[0], heads[1], heads[2], w.percent, w.held_back]) {
        sheet.write_string_with_format(0, col, head, &formats.bold)?;
    }
    for (line, row) in (1u32..).zip(rows) {
        sheet.write_string(line, 0, &row.id)?;
        sheet.write_string(line, 1, &row.label)?;
        let held = row.suppressed;
        let has_denominator = row.denominator.is_some() || held.denominator.is_some();
        for (col, value, text, is_held) in [
            (
                2u16,
                row.numerator,
                &row.numerator_text,
                held.numerator.is_some(),
            ),
            (
                3,
                row.denominator,
                &row.denominator_text,
                held.denominator.is_some(),
            ),
        ] {
            match value {
                Some(value) => {
                    sheet.write_number(line, col, value as f64)?;
                }
                None if is_held => {
                    sheet.write_string_with_format(line, col, text, &formats.held)?;
                }
                None => {}
            }
        }
        if has_denominator {
            match row.percent {
                Some(percent) => {
                    sheet.write_number_with_format(line, 4, percent, &formats.percent)?;
                }
                None if held.percent.is_some() => {
                    sheet.write_string_with_format(line, 4, &row.percent_text, &formats.held)?;
                }
                None => {}
            }
        }
        sheet.write_string(line, 5, suppressed_text(&held))?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 60)?;
    sheet.set_column_width(5, 40)?;
    Ok(())
}

fn duration_sheet(
    sheet: &mut Worksheet,
    figures: &BundleFigures<'_>,
    w: &Words,
    formats: &Formats,
) -> Result<(), PublishError> {
    let d = figures.duration;
    let held = &d.suppressed;
    sheet.write_string_with_format(0, 0, w.figure, &formats.bold)?;
    sheet.write_string_with_format(0, 1, w.value, &formats.bold)?;
    sheet.write_string_with_format(0, 2, w.held_back, &formats.bold)?;
    let why = |s: Option<dakwacht_stats::disclosure::Suppression>| match s {
        Some(dakwacht_stats::disclosure::Suppression::Primary) => "primary",
        Some(dakwacht_stats::disclosure::Suppression::Secondary) => "secondary",
        None => "",
    };
    let mut lines: Vec<(String, Option<f64>, &str)> = vec![
        ("n".into(), d.n.map(|v| v as f64), why(held.n)),
        (
            "events".into(),
            d.events.map(|v| v as f64),
            why(held.events),
        ),
        (
            "censored".into(),
            d.censored.map(|v| v as f64),
            why(held.censored),
        ),
        (
            "excluded".into(),
            d.excluded.map(|v| v as f64),
            why(held.excluded),
        ),
        (
            "median_months".into(),
            d.median_months.map(f64::from),
            why(held.median_months),
        ),
        (
            "median_ci_low".into(),
            d.median_ci[0].map(f64::from),
            why(held.median_ci),
        ),
        (
            "median_ci_high".into(),
            d.median_ci[1].map(f64::from),
            why(held.median_ci),
        ),
    ];
    let at_held = [
        held.survival_at.three_months,
        held.survival_at.six_months,
        held.survival_at.twelve_months,
        held.survival_at.twenty_four_months,
    ];
    for (name, at) in [
        ("", &d.survival_at),
        ("optimistic ", &d.optimistic.survival_at),
        ("pessimistic ", &d.pessimistic.survival_at),
    ] {
        for ((month, value), h) in at.by_month().into_iter().zip(at_held) {
            lines.push((format!("{name}survival_at_{month}"), value, why(h)));
        }
    }
    lines.push((
        "optimistic median_months".into(),
        d.optimistic.median_months.map(f64::from),
        why(held.median_months),
    ));
    lines.push((
        "pessimistic median_months".into(),
        d.pessimistic.median_months.map(f64::from),
        why(held.median_months),
    ));
    for (row, (figure, value, why)) in (1u32..).zip(lines) {
        sheet.write_string(row, 0, &figure)?;
        match value {
            Some(value) => {
                sheet.write_number(row, 1, value)?;
            }
            None if !why.is_empty() => {
                sheet.write_string_with_format(row, 1, "×", &formats.held)?;
            }
            None => {}
        }
        sheet.write_string(row, 2, why)?;
    }
    sheet.set_column_width(0, 30)?;
    Ok(())
}
