//! `cijfers.csv`: every published figure on a line of its own, in one long table that any tool
//! reads (`section,id,label,figure,value,suppressed`): `measures,route.no_court,…,numerator,13,`.
//! A held-back figure has an empty value and says why (`primary`, `secondary`); the policy and
//! what it held back are the first lines.

use dakwacht_stats::disclosure::Suppression;

use crate::{BundleFigures, PublishError};

fn why(held: Option<Suppression>) -> &'static str {
    match held {
        Some(Suppression::Primary) => "primary",
        Some(Suppression::Secondary) => "secondary",
        None => "",
    }
}

fn number<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

pub fn cijfers_csv(figures: &BundleFigures<'_>) -> Result<Vec<u8>, PublishError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["section", "id", "label", "figure", "value", "suppressed"])?;
    let mut line = |section: &str, id: &str, label: &str, figure: &str, value: String, held| {
        out.write_record([section, id, label, figure, value.as_str(), why(held)])
    };

    let summary = figures.summary;
    let policy = figures.policy;
    line("policy", "name", "", "", policy.name().to_string(), None)?;
    line(
        "policy",
        "version",
        "",
        "",
        policy.version().to_string(),
        None,
    )?;
    line(
        "policy",
        "note",
        "",
        "",
        summary.sentence(figures.lang),
        None,
    )?;
    line(
        "policy",
        "suppressed",
        "",
        "primary",
        summary.suppressed.primary.to_string(),
        None,
    )?;
    line(
        "policy",
        "suppressed",
        "",
        "secondary",
        summary.suppressed.secondary.to_string(),
        None,
    )?;
    line("scope", "scope", "", "", figures.scope.to_string(), None)?;
    line(
        "scope",
        "counted_on",
        "",
        "",
        figures.counted_on.to_string(),
        None,
    )?;
    line(
        "scope",
        "rules_version",
        "",
        "",
        figures.rules_version.to_string(),
        None,
    )?;

    let tables = figures.tables();
    for (section, rows, names) in [
        ("measures", &tables.measures, ["numerator", "denominator"]),
        (
            "child_measures",
            &tables.child_measures,
            ["numerator", "denominator"],
        ),
        ("signals", &tables.signals, ["cases", "of"]),
    ] {
        for row in rows {
            let held = row.suppressed;
            line(
                section,
                &row.id,
                &row.label,
                names[0],
                number(row.numerator),
                held.numerator,
            )?;
            if row.denominator.is_some() || held.denominator.is_some() {
                line(
                    section,
                    &row.id,
                    &row.label,
                    names[1],
                    number(row.denominator),
                    held.denominator,
                )?;
                line(
                    section,
                    &row.id,
                    &row.label,
                    "percent",
                    number(row.percent),
                    held.percent,
                )?;
            }
        }
    }

    let d = figures.duration;
    let held = &d.suppressed;
    for (figure, value, why) in [
        ("n", d.n, held.n),
        ("events", d.events, held.events),
        ("censored", d.censored, held.censored),
        ("excluded", d.excluded, held.excluded),
    ] {
        line("duration", "estimate", "", figure, number(value), why)?;
    }
    line(
        "duration",
        "estimate",
        "",
        "median_months",
        number(d.median_months),
        held.median_months,
    )?;
    line(
        "duration",
        "estimate",
        "",
        "median_ci_low",
        number(d.median_ci[0]),
        held.median_ci,
    )?;
    line(
        "duration",
        "estimate",
        "",
        "median_ci_high",
        number(d.median_ci[1]),
        held.median_ci,
    )?;
    let at_held = &held.survival_at;
    for (id, bound) in [
        ("estimate", None),
        ("optimistic", Some(&d.optimistic)),
        ("pessimistic", Some(&d.pessimistic)),
    ] {
        let at = bound.map_or(&d.survival_at, |b| &b.survival_at);
        if let Some(bound) = bound {
            line(
                "duration",
                id,
                "",
                "median_months",
                number(bound.median_months),
                held.median_months,
            )?;
        }
        for ((month, value), why) in at.by_month().into_iter().zip([
            at_held.three_months,
            at_held.six_months,
            at_held.twelve_months,
            at_held.twenty_four_months,
        ]) {
            line(
                "duration",
                id,
                "",
                &format!("survival_at_{month}"),
                number(value),
                why,
            )?;
        }
    }
    for row in &d.table {
        let month = row.month.to_string();
        for (figure, value) in [
            ("at_risk", row.at_risk.to_string()),
            ("events", row.events.to_string()),
            ("censored", row.censored.to_string()),
            ("survival", row.survival.to_string()),
            ("ci_low", row.ci_low.to_string()),
            ("ci_high", row.ci_high.to_string()),
        ] {
            line("duration_table", &month, "", figure, value, None)?;
        }
    }

    for breakdown in figures.breakdowns {
        for row in &breakdown.rows {
            line(
                &breakdown.by,
                &row.label,
                &row.label,
                "count",
                number(row.count),
                row.suppressed.count,
            )?;
        }
        line(
            &breakdown.by,
            "total",
            "",
            "count",
            number(breakdown.total),
            breakdown.suppressed.total,
        )?;
    }
    out.flush().map_err(|e| PublishError::Csv(e.into()))?;
    out.into_inner()
        .map_err(|e| PublishError::Csv(std::io::Error::other(e.to_string()).into()))
}
