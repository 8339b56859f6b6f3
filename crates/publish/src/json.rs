//! `cijfers.json` (publication spec §3): the shape of `report quickscan --format json`, with the
//! policy first; a held-back number is `null` and its measure says which part and why.

use serde_json::{Value, json};

use crate::BundleFigures;

pub fn cijfers_json(figures: &BundleFigures<'_>) -> Value {
    let breakdowns: serde_json::Map<String, Value> = figures
        .breakdowns
        .iter()
        .map(|b| (b.by.clone(), serde_json::to_value(b).unwrap_or(Value::Null)))
        .collect();
    json!({
        "policy": figures.summary,
        "scope": figures.scope,
        "counted_on": figures.counted_on.to_string(),
        "measures": figures.measures.measures,
        "child_measures": figures.measures.child_measures,
        "rules_version": figures.rules_version,
        "signals": figures.signals,
        "duration": figures.duration,
        "breakdowns": breakdowns,
    })
}
