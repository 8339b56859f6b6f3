//! A case filter as SQL conditions over `cases c`, written once for both ways the stores run
//! statements (sqlx's query builder and rusqlite's fast read paths).

use dakwacht_core::CaseFilter;

/// One condition: SQL before the bound text, the text (when the condition binds one), and SQL
/// after it. Every bound value of a filter is text.
pub(crate) struct Condition {
    pub before: &'static str,
    pub value: Option<String>,
    pub after: String,
}

fn bound(before: &'static str, value: String, after: &str) -> Condition {
    Condition {
        before,
        value: Some(value),
        after: after.to_string(),
    }
}

/// The conditions of `filter`, to be joined with `AND`. `case_ref_like` is how the database
/// compares the case reference ignoring case (`Dialect::CASE_REF_LIKE`).
pub(crate) fn conditions(
    filter: &CaseFilter,
    case_ref_like: (&'static str, &'static str),
) -> Vec<Condition> {
    let mut conditions = Vec::new();
    if let Some(org) = &filter.organisation {
        conditions.push(bound(
            "c.organisation_id = (SELECT id FROM organisations WHERE name = ",
            org.trim().to_string(),
            ")",
        ));
    }
    if let Some(key) = filter.municipality_key() {
        conditions.push(bound("c.municipality_key = ", key, ""));
    }
    for (column, code) in [
        ("c.tenancy = ", filter.tenancy.map(|t| t.code())),
        ("c.route = ", filter.route.map(|r| r.code())),
        (
            "c.current_situation = ",
            filter.current_situation.map(|s| s.code()),
        ),
    ] {
        if let Some(code) = code {
            conditions.push(bound(column, code.to_string(), ""));
        }
    }
    if filter.out_of_view {
        conditions.push(Condition {
            before: "c.current_situation IS NULL AND c.rehoused_on IS NULL",
            value: None,
            after: String::new(),
        });
    }
    if let Some(part) = filter.case_ref_search() {
        // `\` escapes the wildcards a reference may contain.
        let escaped = part
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let (before, after) = case_ref_like;
        conditions.push(Condition {
            before,
            value: Some(format!("%{escaped}%")),
            after: format!("{after} ESCAPE '\\'"),
        });
    }
    if let Some(from) = filter.home_lost_from {
        conditions.push(bound(
            "c.home_lost_on >= ",
            dakwacht_core::date::format_date(from),
            "",
        ));
    }
    if let Some(to) = filter.home_lost_to {
        conditions.push(bound(
            "c.home_lost_on <= ",
            dakwacht_core::date::format_date(to),
            "",
        ));
    }
    conditions
}
