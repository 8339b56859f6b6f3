//! The child version of the rights check (`texts/child-version.toml`): for children from about
//! 8 years old, A2, "jij". Sections to read, nothing to answer: the file has no place for a
//! question (unknown keys are refused on load), so it cannot ask a child about the parents.

use dakwacht_core::Lang;
use serde::Deserialize;

use crate::contacts::Both;
use crate::{Level, Text};

pub const BUILT_IN: &str = include_str!("../../../texts/child-version.toml");
const FILE: &str = "texts/child-version.toml";

/// Paragraphs in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paragraphs {
    pub nl: Vec<String>,
    pub en: Vec<String>,
}

impl Paragraphs {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub heading: Both,
    pub text: Paragraphs,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildVersion {
    pub title: Both,
    #[serde(rename = "section")]
    pub sections: Vec<Section>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ChildVersionError {
    #[error("{FILE}: {0}")]
    Syntax(String),
    #[error("{FILE}: section '{section}': {problem}")]
    Section { section: String, problem: String },
}

impl ChildVersion {
    pub fn built_in() -> Result<ChildVersion, ChildVersionError> {
        ChildVersion::parse(BUILT_IN)
    }

    /// Refuses unknown keys (a question among them), a section without text in either
    /// language, and an id used twice.
    pub fn parse(text: &str) -> Result<ChildVersion, ChildVersionError> {
        let version: ChildVersion =
            toml::from_str(text).map_err(|e| ChildVersionError::Syntax(e.to_string()))?;
        for (i, section) in version.sections.iter().enumerate() {
            let refuse = |problem: &str| ChildVersionError::Section {
                section: section.id.clone(),
                problem: problem.to_string(),
            };
            if version.sections[..i].iter().any(|s| s.id == section.id) {
                return Err(refuse("its id is used twice"));
            }
            if section.text.nl.is_empty() || section.text.en.is_empty() {
                return Err(refuse("it needs text in Dutch and in English"));
            }
        }
        Ok(version)
    }

    /// What a child reads, for the plain-language check: A2, "jij".
    pub fn texts(&self) -> Vec<Text> {
        let mut texts = Vec::new();
        for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
            let mut add = |place: String, text: String| {
                texts.push(Text {
                    file: FILE.to_string(),
                    place,
                    lang,
                    level: Level::A2,
                    text,
                });
            };
            add(format!("title.{code}"), self.title.get(lang).to_string());
            for section in &self.sections {
                add(
                    format!("section {}, heading.{code}", section.id),
                    section.heading.get(lang).to_string(),
                );
                for (n, paragraph) in section.text.get(lang).iter().enumerate() {
                    add(
                        format!("section {}, text.{code} {}", section.id, n + 1),
                        paragraph.clone(),
                    );
                }
            }
        }
        texts
    }
}
