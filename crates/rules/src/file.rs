//! The rules file as written: TOML a lawyer can read and edit. Only the shape is checked here;
//! `ruleset.rs` turns it into rules and checks the meaning.

use serde::Deserialize;

/// The whole file before validation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileDef {
    pub version: String,
    #[serde(default, rename = "rule")]
    pub rules: Vec<toml::Table>,
}

/// One `[[rule]]` as written. Unknown keys are refused, so a misspelt `explenation` is an error
/// rather than a silently missing text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleDef {
    pub id: String,
    pub severity: String,
    pub severity_high_when: Option<String>,
    pub when: Option<String>,
    pub when_child: Option<String>,
    pub title: TextsDef,
    pub explanation: TextsDef,
    pub next_steps: StepsDef,
    /// The steps as the family reads them in the rights check, where `next_steps` speak to the
    /// professional; without them the family reads `next_steps`.
    pub family_steps: Option<StepsDef>,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TextsDef {
    pub nl: String,
    pub en: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepsDef {
    pub nl: Vec<String>,
    pub en: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceDef {
    pub instrument: String,
    pub article: Option<String>,
    pub note: Option<String>,
    pub url: Option<String>,
}

const RULE_KEYS: &[&str] = &[
    "id",
    "severity",
    "severity_high_when",
    "when",
    "when_child",
    "title",
    "explanation",
    "next_steps",
    "family_steps",
    "source",
];
const SOURCE_KEYS: &[&str] = &["instrument", "article", "note", "url"];
const REQUIRED: &[&str] = &["id", "severity", "title", "explanation", "next_steps"];

/// Checks the keys of one `[[rule]]` before serde sees it, so that a misspelt or missing key is
/// reported with its name and place (serde would say only "missing field `nl`").
pub(crate) fn check_keys(rule: &toml::Table) -> Result<(), String> {
    for key in rule.keys() {
        unknown_key(key, RULE_KEYS, "")?;
    }
    for key in REQUIRED {
        if !rule.contains_key(*key) {
            return Err(format!("`{key}` is missing"));
        }
    }
    if !rule.contains_key("when") && !rule.contains_key("when_child") {
        return Err(
            "`when` is missing (or `when_child`, for a check held against each child record)"
                .to_string(),
        );
    }
    for key in ["title", "explanation", "next_steps", "family_steps"] {
        if key == "family_steps" && !rule.contains_key(key) {
            continue;
        }
        let Some(texts) = rule.get(key).and_then(|t| t.as_table()) else {
            return Err(format!("`{key}` needs `{key}.nl` and `{key}.en`"));
        };
        for lang in texts.keys() {
            unknown_key(lang, &["nl", "en"], &format!("{key}."))?;
        }
        for lang in ["nl", "en"] {
            if !texts.contains_key(lang) {
                return Err(format!("`{key}.{lang}` is missing"));
            }
        }
    }
    if let Some(sources) = rule.get("source").and_then(|s| s.as_array()) {
        for source in sources.iter().filter_map(|s| s.as_table()) {
            for key in source.keys() {
                unknown_key(key, SOURCE_KEYS, "source.")?;
            }
        }
    }
    Ok(())
}

fn unknown_key(key: &str, allowed: &[&str], prefix: &str) -> Result<(), String> {
    if allowed.contains(&key) {
        return Ok(());
    }
    let closest = allowed
        .iter()
        .min_by_key(|candidate| crate::condition::edit_distance(key, candidate))
        .filter(|candidate| crate::condition::edit_distance(key, candidate) <= 3);
    Err(match closest {
        Some(candidate) => {
            format!("unknown key `{prefix}{key}` (did you mean `{prefix}{candidate}`?)")
        }
        None => format!(
            "unknown key `{prefix}{key}`; a rule has: {}",
            allowed.join(", ")
        ),
    })
}
