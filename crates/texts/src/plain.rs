//! The plain-language check (`texts/plain-language.toml`): sentence length, the average over a
//! file, difficult words with their plain alternative, and the form of address.
//!
//! Written here rather than taken from a readability crate: the spec's measures are simple counts
//! (words per sentence, a word list, "u" or "jij"), and the readability formulas the crates offer
//! (Flesch and its Dutch variants) measure something else and would not name the word to change.

use std::collections::BTreeMap;
use std::fmt;

use dakwacht_core::Lang;
use serde::Deserialize;

/// The level a text is written at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Texts for families: B1, "u".
    B1,
    /// The child version: A2, "jij".
    A2,
}

impl Level {
    fn key(self) -> &'static str {
        match self {
            Level::B1 => "b1",
            Level::A2 => "a2",
        }
    }
}

/// One text a family or child reads, and where it comes from.
#[derive(Debug, Clone)]
pub struct Text {
    /// The file it is kept in (`rules/rules.toml`).
    pub file: String,
    /// Where in that file (`rule removed_without_court, explanation.nl`).
    pub place: String,
    pub lang: Lang,
    pub level: Level,
    pub text: String,
}

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A sentence of more words than its level allows.
    LongSentence { words: usize, max: usize },
    /// A word from the list of difficult words, with the plain one to use.
    DifficultWord { word: String, instead: String },
    /// A legal name the same text does not explain.
    Unexplained { word: String, instead: String },
    /// "jij" in a text for families, "u" in the child version.
    FormOfAddress { word: String, level: Level },
}

/// A problem found, with the sentence it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub place: String,
    pub sentence: String,
    pub problem: Problem,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): ", self.file, self.place)?;
        match &self.problem {
            Problem::LongSentence { words, max } => {
                write!(f, "{words} words in one sentence, at most {max}")?
            }
            Problem::DifficultWord { word, instead } => {
                write!(f, "'{word}' is a difficult word; write '{instead}'")?
            }
            Problem::Unexplained { word, instead } => write!(
                f,
                "'{word}' must be explained in the same text ('{word} ({instead})')"
            )?,
            Problem::FormOfAddress { word, level } => match level {
                Level::B1 => write!(f, "'{word}': texts for families say 'u'")?,
                Level::A2 => write!(f, "'{word}': the child version says 'jij'")?,
            },
        }
        write!(f, "\n    \"{}\"", self.sentence)
    }
}

/// The average words per sentence of one file at one level, over its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct LongAverage {
    pub file: String,
    pub level: Level,
    pub lang: Lang,
    pub average: f64,
    pub max: f64,
    pub sentences: usize,
}

impl fmt::Display for LongAverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({:?}, {}): {:.1} words per sentence on average over {} sentences, under {} asked",
            self.file,
            self.level,
            lang_code(self.lang),
            self.average,
            self.sentences,
            self.max
        )
    }
}

/// Everything the check found.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub averages: Vec<LongAverage>,
    /// How many texts and sentences were read.
    pub texts: usize,
    pub sentences: usize,
}

impl Report {
    pub fn passes(&self) -> bool {
        self.findings.is_empty() && self.averages.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("texts/plain-language.toml: {0}")]
pub struct CheckFileError(String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    level: BTreeMap<String, LevelLimits>,
    abbreviations: Vec<String>,
    difficult: Vec<Difficult>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelLimits {
    max_words: usize,
    max_average: f64,
    not_these_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Difficult {
    word: String,
    instead: String,
    #[serde(default)]
    explained: bool,
}

/// The check as the data file defines it.
pub struct PlainLanguage {
    b1: LevelLimits,
    a2: LevelLimits,
    abbreviations: Vec<String>,
    difficult: Vec<Difficult>,
}

/// The shipped check.
pub const BUILT_IN: &str = include_str!("../../../texts/plain-language.toml");

impl PlainLanguage {
    pub fn built_in() -> Result<PlainLanguage, CheckFileError> {
        PlainLanguage::parse(BUILT_IN)
    }

    pub fn parse(text: &str) -> Result<PlainLanguage, CheckFileError> {
        let mut file: CheckFile =
            toml::from_str(text).map_err(|e| CheckFileError(e.to_string()))?;
        let mut level = |level: Level| {
            file.level
                .remove(level.key())
                .ok_or_else(|| CheckFileError(format!("no [level.{}]", level.key())))
        };
        let (b1, a2) = (level(Level::B1)?, level(Level::A2)?);
        for entry in &file.difficult {
            // A word of only `*` would match every word (and never end the search for its
            // explanation).
            if entry.word.trim().trim_matches('*').trim().is_empty()
                || entry.instead.trim().is_empty()
            {
                return Err(CheckFileError(format!(
                    "a difficult word needs the word and a plain one instead: '{}'",
                    entry.word
                )));
            }
        }
        Ok(PlainLanguage {
            b1,
            a2,
            abbreviations: file
                .abbreviations
                .iter()
                .map(|a| a.to_lowercase())
                .collect(),
            difficult: file.difficult,
        })
    }

    fn limits(&self, level: Level) -> &LevelLimits {
        match level {
            Level::B1 => &self.b1,
            Level::A2 => &self.a2,
        }
    }

    /// Checks every text; the averages per file, level and language.
    pub fn check(&self, texts: &[Text]) -> Report {
        let mut report = Report {
            texts: texts.len(),
            ..Report::default()
        };
        let mut per_file: BTreeMap<(String, Level, &'static str), (usize, usize)> = BTreeMap::new();
        for text in texts {
            let limits = self.limits(text.level);
            let sentences = self.sentences(&text.text);
            let lower = text.text.to_lowercase();
            for sentence in &sentences {
                let words = words(sentence);
                let found = |problem| Finding {
                    file: text.file.clone(),
                    place: text.place.clone(),
                    sentence: sentence.to_string(),
                    problem,
                };
                if words.len() > limits.max_words {
                    report.findings.push(found(Problem::LongSentence {
                        words: words.len(),
                        max: limits.max_words,
                    }));
                }
                if text.lang != Lang::Nl {
                    continue;
                }
                let lowered: Vec<String> = words.iter().map(|w| bare(w)).collect();
                for word in &lowered {
                    if limits.not_these_words.iter().any(|w| w == word) {
                        report.findings.push(found(Problem::FormOfAddress {
                            word: word.clone(),
                            level: text.level,
                        }));
                    }
                }
                for entry in &self.difficult {
                    let Some(word) = occurs(&entry.word, &lowered) else {
                        continue;
                    };
                    if !entry.explained {
                        report.findings.push(found(Problem::DifficultWord {
                            word,
                            instead: entry.instead.clone(),
                        }));
                    } else if !explains(&lower, &entry.word) {
                        report.findings.push(found(Problem::Unexplained {
                            word,
                            instead: entry.instead.clone(),
                        }));
                    }
                }
            }
            report.sentences += sentences.len();
            let file = per_file
                .entry((text.file.clone(), text.level, lang_code(text.lang)))
                .or_default();
            file.0 += sentences.len();
            file.1 += sentences.iter().map(|s| words(s).len()).sum::<usize>();
        }
        for ((file, level, lang), (sentences, words)) in per_file {
            let max = self.limits(level).max_average;
            let average = words as f64 / sentences.max(1) as f64;
            if average >= max {
                report.averages.push(LongAverage {
                    file,
                    level,
                    lang: if lang == lang_code(Lang::Nl) {
                        Lang::Nl
                    } else {
                        Lang::En
                    },
                    average,
                    max,
                    sentences,
                });
            }
        }
        report
    }

    /// The sentences of a text: each ends at `.`, `!` or `?` followed by a space or the end, but
    /// not after an abbreviation of the list or a single letter ("a." in "art. 7 lid 1 sub a.").
    fn sentences<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut sentences = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (i, &(at, c)) in chars.iter().enumerate() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let ends = chars
                .get(i + 1)
                .is_none_or(|&(_, next)| next.is_whitespace());
            if !ends {
                continue;
            }
            if c == '.' {
                let before = text[start..at]
                    .rsplit(|ch: char| ch.is_whitespace() || ch == '(')
                    .next()
                    .unwrap_or_default()
                    .to_lowercase();
                if self.abbreviations.contains(&before) {
                    continue;
                }
            }
            let sentence = text[start..at + c.len_utf8()].trim();
            if !sentence.is_empty() {
                sentences.push(sentence);
            }
            start = at + c.len_utf8();
        }
        let rest = text[start..].trim();
        if !rest.is_empty() {
            sentences.push(rest);
        }
        sentences
    }
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// The words of a sentence: what stands between spaces and holds a letter or a digit.
fn words(sentence: &str) -> Vec<&str> {
    sentence
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

/// A word without the punctuation around it, in lower case.
fn bare(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Where the words hold `pattern` (a word, a phrase, or a word with a trailing `*`): the words
/// as found.
fn occurs(pattern: &str, words: &[String]) -> Option<String> {
    let parts: Vec<&str> = pattern.split_whitespace().collect();
    if parts.is_empty() || parts.len() > words.len() {
        return None;
    }
    (0..=words.len() - parts.len()).find_map(|start| {
        let matched =
            parts
                .iter()
                .zip(&words[start..])
                .all(|(part, word)| match part.strip_suffix('*') {
                    Some(stem) => word.starts_with(stem),
                    None => word == part,
                });
        matched.then(|| words[start..start + parts.len()].join(" "))
    })
}

/// Whether `text` (lower case) explains the legal name `pattern`: the name followed by an
/// explanation in brackets, a sentence saying what it is or means, or "dat heet …" after the
/// sentence that says it.
fn explains(text: &str, pattern: &str) -> bool {
    let stem = pattern.trim_end_matches('*');
    let mut from = 0;
    while let Some(found) = text[from..].find(stem) {
        let at = from + found;
        let after = &text[at + stem.len()..];
        // The rest of the word ("deurwaarder" + "s"), then what follows it.
        let rest = after.trim_start_matches(|c: char| c.is_alphanumeric());
        if rest.starts_with(" (") || rest.starts_with(" is ") || rest.starts_with(" betekent") {
            return true;
        }
        // "… Dat heet verstek.": the sentence before says what it is.
        if text[..at].ends_with("heet ") {
            return true;
        }
        from = at + stem.len();
    }
    false
}
