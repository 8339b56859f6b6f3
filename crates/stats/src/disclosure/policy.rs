//! The disclosure policy as a data file (`policy/disclosure.toml`): the thresholds of publication
//! spec §2, readable and changeable by someone who does not program, checked when it is read.
//!
//! The file is read key by key rather than through serde's derive, so every complaint names the key
//! it is about (`share.minimum_denominator`), the way the writer of the file sees it.

use serde::Serialize;

/// The policy that ships with dakwacht, built into the binary so every copy protects the same way;
/// `--policy FILE` replaces it.
pub const BUILT_IN: &str = include_str!("../../../../policy/disclosure.toml");

/// A checked disclosure policy. Only [`Policy::from_toml`] makes one, so a policy in hand always
/// has sensible thresholds. It serialises with the file's own keys: that is how a publication
/// prints the policy it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    name: String,
    version: String,
    frequency: Frequency,
    share: Share,
    survival: Survival,
    breakdown: Breakdown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Frequency {
    smallest_published_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Share {
    minimum_denominator: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Survival {
    minimum_at_risk: u64,
    minimum_families_for_median: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Breakdown {
    merged_row_label: String,
}

/// Why a policy file was refused. Each names the key, as written in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the disclosure policy is not valid TOML: {0}")]
    Toml(String),
    #[error("unknown key `{key}` in the disclosure policy; {place} has: {known}")]
    UnknownKey {
        key: String,
        place: String,
        known: String,
    },
    #[error("the disclosure policy has no `{key}`")]
    MissingKey { key: String },
    #[error("`{key}` in the disclosure policy {problem}")]
    Invalid { key: String, problem: String },
}

/// The keys of the file: the top level, and each section with the keys it holds.
const TOP_KEYS: &[&str] = &[
    "name",
    "version",
    "frequency",
    "share",
    "survival",
    "breakdown",
];
const FREQUENCY_KEYS: &[&str] = &["smallest_published_count"];
const SHARE_KEYS: &[&str] = &["minimum_denominator"];
const SURVIVAL_KEYS: &[&str] = &["minimum_at_risk", "minimum_families_for_median"];
const BREAKDOWN_KEYS: &[&str] = &["merged_row_label"];

impl Policy {
    /// The policy that ships with dakwacht ([`BUILT_IN`]).
    pub fn built_in() -> Result<Policy, PolicyError> {
        Policy::from_toml(BUILT_IN)
    }

    /// Reads and checks a policy file; the first problem found is returned.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let file: toml::Table =
            toml::from_str(text).map_err(|e| PolicyError::Toml(e.message().to_string()))?;
        refuse_unknown_keys(&file, "", TOP_KEYS, "the top of the file")?;
        let name = text_value(&file, "", "name")?;
        let version = text_value(&file, "", "version")?;
        let frequency = section(&file, "frequency", FREQUENCY_KEYS)?;
        let share = section(&file, "share", SHARE_KEYS)?;
        let survival = section(&file, "survival", SURVIVAL_KEYS)?;
        let breakdown = section(&file, "breakdown", BREAKDOWN_KEYS)?;
        Ok(Policy {
            name,
            version,
            frequency: Frequency {
                smallest_published_count: whole_number(
                    frequency,
                    "frequency",
                    "smallest_published_count",
                    2,
                    "with less than 2 no count would be suppressed at all",
                )?,
            },
            share: Share {
                minimum_denominator: whole_number(
                    share,
                    "share",
                    "minimum_denominator",
                    1,
                    "a share needs a denominator of at least 1",
                )?,
            },
            survival: Survival {
                minimum_at_risk: whole_number(
                    survival,
                    "survival",
                    "minimum_at_risk",
                    1,
                    "a month with no family at risk says nothing",
                )?,
                minimum_families_for_median: whole_number(
                    survival,
                    "survival",
                    "minimum_families_for_median",
                    1,
                    "there is no median of no families",
                )?,
            },
            breakdown: Breakdown {
                merged_row_label: text_value(breakdown, "breakdown", "merged_row_label")?,
            },
        })
    }

    /// The policy's name, printed in every publication.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The policy's version, printed in every publication beside its name.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The smallest count of families or children that is published (besides 0).
    pub fn smallest_published_count(&self) -> u64 {
        self.frequency.smallest_published_count
    }

    /// The smallest denominator of a share whose percentage is published.
    pub fn minimum_denominator(&self) -> u64 {
        self.share.minimum_denominator
    }

    /// The fewest families at risk for which a month of the survival table is published.
    pub fn minimum_at_risk(&self) -> u64 {
        self.survival.minimum_at_risk
    }

    /// The fewest families in a survival estimate for which its median is published.
    pub fn minimum_families_for_median(&self) -> u64 {
        self.survival.minimum_families_for_median
    }

    /// The label of the row that holds a breakdown's small rows together ("overige").
    pub fn merged_row_label(&self) -> &str {
        &self.breakdown.merged_row_label
    }
}

fn key_path(section: &str, key: &str) -> String {
    if section.is_empty() {
        key.to_string()
    } else {
        format!("{section}.{key}")
    }
}

fn refuse_unknown_keys(
    table: &toml::Table,
    section: &str,
    known: &[&str],
    place: &str,
) -> Result<(), PolicyError> {
    match table.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(PolicyError::UnknownKey {
            key: key_path(section, key),
            place: place.to_string(),
            known: known.join(", "),
        }),
        None => Ok(()),
    }
}

/// A section such as `[share]`, with no keys but its own.
fn section<'a>(
    file: &'a toml::Table,
    section: &str,
    known: &[&str],
) -> Result<&'a toml::Table, PolicyError> {
    let table = match file.get(section) {
        None => {
            return Err(PolicyError::MissingKey {
                key: format!("[{section}]"),
            });
        }
        Some(toml::Value::Table(table)) => table,
        Some(_) => {
            return Err(PolicyError::Invalid {
                key: section.to_string(),
                problem: format!("must be a section, written [{section}] on a line of its own"),
            });
        }
    };
    refuse_unknown_keys(table, section, known, &format!("[{section}]"))?;
    Ok(table)
}

fn value<'a>(
    table: &'a toml::Table,
    section: &str,
    key: &str,
) -> Result<&'a toml::Value, PolicyError> {
    table.get(key).ok_or_else(|| PolicyError::MissingKey {
        key: key_path(section, key),
    })
}

/// A text that must say something: a name, a version, a label.
fn text_value(table: &toml::Table, section: &str, key: &str) -> Result<String, PolicyError> {
    let invalid = |problem: &str| PolicyError::Invalid {
        key: key_path(section, key),
        problem: problem.to_string(),
    };
    match value(table, section, key)? {
        toml::Value::String(text) if text.trim().is_empty() => Err(invalid("must not be empty")),
        toml::Value::String(text) => Ok(text.trim().to_string()),
        _ => Err(invalid("must be a text in quotes")),
    }
}

/// A threshold: a whole number of at least `least`, which `why` explains.
fn whole_number(
    table: &toml::Table,
    section: &str,
    key: &str,
    least: u64,
    why: &str,
) -> Result<u64, PolicyError> {
    let invalid = || PolicyError::Invalid {
        key: key_path(section, key),
        problem: format!("must be a whole number of at least {least} ({why})"),
    };
    match value(table, section, key)? {
        toml::Value::Integer(number) => u64::try_from(*number)
            .ok()
            .filter(|n| *n >= least)
            .ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_policy_is_the_spec_default() {
        let policy = Policy::built_in().expect("the built-in policy is valid");
        assert_eq!(policy.smallest_published_count(), 5);
        assert_eq!(policy.minimum_denominator(), 10);
        assert_eq!(policy.minimum_at_risk(), 10);
        assert_eq!(policy.minimum_families_for_median(), 10);
        assert_eq!(policy.merged_row_label(), "overige");
    }
}
