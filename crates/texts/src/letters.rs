//! The letters dakwacht prepares (`letters/*.toml`, spec/rights-and-letters.md): one data file a
//! letter, its formal text in standard Dutch with placeholders and citations, and beside it a B1
//! explanation for the family.
//!
//! A letter is checked when it is loaded, like the rules: a placeholder dakwacht does not know, a
//! citation not in `letters/citations.toml` (the legal framework's own list) or a contact not in
//! `texts/contacts.toml` is an error naming the letter. Filling a letter is pure: the caller
//! brings what the case, the assessment or the writer knows, and the day it is written; the
//! dates in the letter are computed from that day, never typed.

use std::collections::BTreeMap;

use dakwacht_core::{Date, Lang};
use serde::Deserialize;

use crate::contacts::{Both, Contacts};
use crate::{Level, Text};

/// The citations a letter may use, and the shipped letters, by file.
pub const CITATIONS: &str = include_str!("../../../letters/citations.toml");
pub const BUILT_IN: [(&str, &str); 5] = [
    (
        "letters/no_self_help.toml",
        include_str!("../../../letters/no_self_help.toml"),
    ),
    (
        "letters/refuse_notice.toml",
        include_str!("../../../letters/refuse_notice.toml"),
    ),
    (
        "letters/shelter_request.toml",
        include_str!("../../../letters/shelter_request.toml"),
    ),
    (
        "letters/postal_address.toml",
        include_str!("../../../letters/postal_address.toml"),
    ),
    (
        "letters/child_explanation.toml",
        include_str!("../../../letters/child_explanation.toml"),
    ),
];

/// Whom a letter is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recipient {
    Landlord,
    Municipality,
    /// A child, after a best-interest assessment: the letter is A2, "jij".
    Child,
}

/// Where the value of a placeholder comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The writer types it (names and addresses are never stored in a case).
    Writer,
    /// The case knows it; the writer may change it.
    Case,
    /// The best-interest assessment knows it; the writer may change it.
    Assessment,
    /// Computed from the day the letter is written; shown, never typed.
    Computed,
}

/// A placeholder a letter may use, with its source and its label on the form.
pub struct Placeholder {
    pub name: &'static str,
    pub source: Source,
    pub label: [&'static str; 2],
}

impl Placeholder {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.label[0],
            Lang::En => self.label[1],
        }
    }
}

/// Every placeholder, in the order the form asks for them. `sender_address`,
/// `recipient_name`, `recipient_address` and `place` are the letter's head, so every letter has
/// them whether its text names them or not.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        name: "sender_name",
        source: Source::Writer,
        label: ["Naam van de afzender", "Sender's name"],
    },
    Placeholder {
        name: "sender_address",
        source: Source::Writer,
        label: ["Adres van de afzender", "Sender's address"],
    },
    Placeholder {
        name: "recipient_name",
        source: Source::Writer,
        label: ["Naam van de ontvanger", "Recipient's name"],
    },
    Placeholder {
        name: "recipient_address",
        source: Source::Writer,
        label: ["Adres van de ontvanger", "Recipient's address"],
    },
    Placeholder {
        name: "place",
        source: Source::Writer,
        label: ["Plaats van schrijven", "Place of writing"],
    },
    Placeholder {
        name: "home_address",
        source: Source::Writer,
        label: [
            "Adres van de (verloren) woning",
            "Address of the (lost) home",
        ],
    },
    Placeholder {
        name: "postal_address",
        source: Source::Writer,
        label: [
            "Adres waar de post heen kan",
            "Address where post can be sent",
        ],
    },
    Placeholder {
        name: "child_name",
        source: Source::Writer,
        label: ["Voornaam van het kind", "Child's first name"],
    },
    Placeholder {
        name: "municipality",
        source: Source::Case,
        label: ["Gemeente", "Municipality"],
    },
    Placeholder {
        name: "children_count",
        source: Source::Case,
        label: ["Aantal minderjarige kinderen", "Number of minor children"],
    },
    Placeholder {
        name: "home_lost_on",
        source: Source::Case,
        label: ["Woning verloren op", "Home lost on"],
    },
    Placeholder {
        name: "decision",
        source: Source::Assessment,
        label: ["Het besluit", "The decision"],
    },
    Placeholder {
        name: "reasons",
        source: Source::Assessment,
        label: ["Waarom", "Why"],
    },
    Placeholder {
        name: "if_disagreeing",
        source: Source::Assessment,
        label: [
            "Wat het kind kan doen als het het oneens is",
            "What the child can do if it disagrees",
        ],
    },
    Placeholder {
        name: "letter_date",
        source: Source::Computed,
        label: ["Datum van de brief", "Date of the letter"],
    },
    Placeholder {
        name: "respond_by",
        source: Source::Computed,
        label: ["Uiterste datum voor een antwoord", "Last day for an answer"],
    },
];

/// The placeholders of a letter's head.
const HEAD: [&str; 4] = [
    "sender_address",
    "recipient_name",
    "recipient_address",
    "place",
];

pub fn placeholder(name: &str) -> Option<&'static Placeholder> {
    PLACEHOLDERS.iter().find(|p| p.name == name)
}

/// A source a letter may cite (`letters/citations.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub instrument: String,
    pub article: Option<String>,
    pub url: Option<String>,
    /// How the letter's sentence names it.
    pub in_letter: String,
    /// For a source no rule cites: where the legal framework names it.
    pub framework_only: Option<String>,
}

impl Citation {
    /// "Burgerlijk Wetboek, artikel 7:231 lid 1", as the list of sources under a letter shows it.
    pub fn listed(&self) -> String {
        match &self.article {
            Some(article) if article.starts_with("par.") => {
                format!("{}, {article}", self.instrument)
            }
            Some(article) => format!("{}, artikel {article}", self.instrument),
            None => self.instrument.clone(),
        }
    }
}

/// One letter as its file holds it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    pub id: String,
    pub to: Recipient,
    /// The rules whose signal makes dakwacht offer the letter.
    #[serde(default)]
    pub offered_with: Vec<String>,
    /// Offered after a complete best-interest assessment of a child.
    #[serde(default)]
    pub from_assessment: bool,
    /// The days from the letter's date to `{respond_by}`.
    pub respond_days: Option<u16>,
    pub title: Both,
    pub subject: String,
    pub body: String,
    /// For the family, B1: what the letter says and what happens next.
    pub explanation: Both,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LetterError {
    #[error("{file}: {problem}")]
    Syntax { file: String, problem: String },
    #[error("{file}: letter '{letter}': {problem}")]
    Letter {
        file: String,
        letter: String,
        problem: String,
    },
}

/// A piece of a letter's text: words as they stand, or a `{…}` to fill.
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Words(&'a str),
    Slot(&'a str),
}

/// The text cut at its `{…}`; `Err` names an unclosed brace.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(Piece::Words(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .filter(|close| !after[..*close].contains('{'))
            .ok_or_else(|| format!("a '{{' without its '}}' before '{}'", excerpt(after)))?;
        out.push(Piece::Slot(&after[..close]));
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Words(rest));
    }
    Ok(out)
}

fn excerpt(text: &str) -> String {
    text.chars().take(30).collect()
}

/// The letters, checked against the citations and contacts they use and the rules that offer
/// them.
#[derive(Debug, Clone)]
pub struct Letters {
    pub letters: Vec<Letter>,
    pub citations: BTreeMap<String, Citation>,
}

/// What a letter is filled with: the writer's, the case's and the assessment's values by
/// placeholder name, and the day it is written.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub given: BTreeMap<String, String>,
}

/// The text put where the writer left a value open: a line to fill in by hand.
pub const OPEN: &str = "……………";

/// A letter filled in: what the writer checks and edits before it becomes a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub letter: String,
    pub subject: String,
    pub body: String,
    /// The computed dates, as the writer checks them: (placeholder, day).
    pub dates: Vec<(&'static str, Date)>,
}

impl Letters {
    pub fn built_in(
        rules: &dakwacht_rules::RuleSet,
        contacts: &Contacts,
    ) -> Result<Letters, LetterError> {
        Letters::parse(CITATIONS, &BUILT_IN, rules, contacts)
    }

    /// Refuses a letter whose text has a placeholder dakwacht does not know (or one its kind of
    /// letter cannot fill: an assessment's text in a letter not made from an assessment, a
    /// `{respond_by}` without `respond_days`), a citation not in the citations file, a contact
    /// not in the contacts file, no citation at all, a rule in `offered_with` that the rules
    /// file does not have, or an id that is not its file's name.
    pub fn parse(
        citations: &str,
        files: &[(&str, &str)],
        rules: &dakwacht_rules::RuleSet,
        contacts: &Contacts,
    ) -> Result<Letters, LetterError> {
        let citations: BTreeMap<String, Citation> =
            toml::from_str(citations).map_err(|e| LetterError::Syntax {
                file: "letters/citations.toml".into(),
                problem: e.to_string(),
            })?;
        let mut letters = Vec::new();
        for (file, text) in files {
            let letter: Letter = toml::from_str(text).map_err(|e| LetterError::Syntax {
                file: (*file).to_string(),
                problem: e.to_string(),
            })?;
            let refuse = |problem: String| LetterError::Letter {
                file: (*file).to_string(),
                letter: letter.id.clone(),
                problem,
            };
            let stem = file
                .rsplit('/')
                .next()
                .and_then(|name| name.strip_suffix(".toml"));
            if stem != Some(letter.id.as_str()) {
                return Err(refuse(format!("its id must be its file's name, {file}")));
            }
            if letters.iter().any(|l: &Letter| l.id == letter.id) {
                return Err(refuse("its id is used twice".into()));
            }
            for rule in &letter.offered_with {
                if rules.rule(rule).is_none() {
                    return Err(refuse(format!(
                        "offered_with names rule '{rule}', which the rules file does not have"
                    )));
                }
            }
            if letter.offered_with.is_empty() && !letter.from_assessment {
                return Err(refuse(
                    "it is never offered: give offered_with or from_assessment".into(),
                ));
            }
            let mut cited = 0;
            for (part, text) in [("subject", &letter.subject), ("body", &letter.body)] {
                for piece in pieces(text).map_err(|why| refuse(format!("{part}: {why}")))? {
                    let Piece::Slot(slot) = piece else { continue };
                    if let Some(key) = slot.strip_prefix("cite:") {
                        if !citations.contains_key(key) {
                            return Err(refuse(format!(
                                "{part}: citation '{key}' is not in letters/citations.toml, the legal framework's list"
                            )));
                        }
                        cited += 1;
                    } else if let Some(key) = slot.strip_prefix("contact:") {
                        if !contacts.contacts.iter().any(|c| c.id == key) {
                            return Err(refuse(format!(
                                "{part}: contact '{key}' is not in texts/contacts.toml"
                            )));
                        }
                    } else {
                        let known = placeholder(slot).ok_or_else(|| {
                            refuse(format!("{part}: unknown placeholder {{{slot}}}"))
                        })?;
                        if known.source == Source::Assessment && !letter.from_assessment {
                            return Err(refuse(format!(
                                "{part}: {{{slot}}} comes from an assessment, and this letter is not made from one"
                            )));
                        }
                        if slot == "respond_by" && letter.respond_days.is_none() {
                            return Err(refuse(format!(
                                "{part}: {{respond_by}} needs respond_days"
                            )));
                        }
                    }
                }
            }
            if cited == 0 {
                return Err(refuse(
                    "it cites nothing: give at least one {cite:…}".into(),
                ));
            }
            letters.push(letter);
        }
        Ok(Letters { letters, citations })
    }

    pub fn get(&self, id: &str) -> Option<&Letter> {
        self.letters.iter().find(|l| l.id == id)
    }

    /// The letters offered when these rules are raised, in the order of the files.
    pub fn offered<'a>(&'a self, raised: &'a [String]) -> impl Iterator<Item = &'a Letter> {
        self.letters
            .iter()
            .filter(|l| l.offered_with.iter().any(|rule| raised.contains(rule)))
    }

    /// The placeholders the writer sees for a letter: its head, then those its text uses, in
    /// the order of [`PLACEHOLDERS`]; computed dates are not among them.
    pub fn fields(&self, letter: &Letter) -> Vec<&'static Placeholder> {
        let used = used_slots(letter);
        PLACEHOLDERS
            .iter()
            .filter(|p| p.source != Source::Computed)
            .filter(|p| HEAD.contains(&p.name) || used.iter().any(|u| u == p.name))
            .filter(|p| !(letter.to == Recipient::Child && p.name.starts_with("recipient_")))
            .collect()
    }

    /// The sources a letter cites, in the order it first cites them.
    pub fn sources(&self, letter: &Letter) -> Vec<&Citation> {
        let mut keys: Vec<String> = Vec::new();
        for slot in used_slots(letter) {
            if let Some(key) = slot.strip_prefix("cite:")
                && !keys.iter().any(|k| k == key)
            {
                keys.push(key.to_string());
            }
        }
        keys.iter().filter_map(|k| self.citations.get(k)).collect()
    }

    /// The letter with its placeholders filled: a value left open becomes [`OPEN`], a line to
    /// write on; the dates are computed from `written_on`.
    pub fn fill(
        &self,
        letter: &Letter,
        values: &Values,
        written_on: Date,
        contacts: &Contacts,
    ) -> Filled {
        let dates = computed_dates(letter, written_on);
        let fill = |text: &str| -> String {
            let mut out = String::new();
            // The file was checked on load; a text that no longer cuts is printed as it stands.
            let Ok(pieces) = pieces(text) else {
                return text.to_string();
            };
            for piece in pieces {
                match piece {
                    Piece::Words(words) => out.push_str(words),
                    Piece::Slot(slot) => {
                        out.push_str(&self.slot_text(slot, values, &dates, contacts))
                    }
                }
            }
            out
        };
        Filled {
            letter: letter.id.clone(),
            subject: fill(&letter.subject).trim().to_string(),
            body: fill(&letter.body).trim().to_string(),
            dates,
        }
    }

    fn slot_text(
        &self,
        slot: &str,
        values: &Values,
        dates: &[(&'static str, Date)],
        contacts: &Contacts,
    ) -> String {
        if let Some(key) = slot.strip_prefix("cite:") {
            return self
                .citations
                .get(key)
                .map_or_else(|| OPEN.to_string(), |c| c.in_letter.clone());
        }
        if let Some(key) = slot.strip_prefix("contact:") {
            return contacts.contacts.iter().find(|c| c.id == key).map_or_else(
                || OPEN.to_string(),
                |c| match &c.phone {
                    Some(phone) => format!("{} ({phone})", c.name),
                    None => c.name.clone(),
                },
            );
        }
        if let Some((_, day)) = dates.iter().find(|(name, _)| *name == slot) {
            return dakwacht_core::written::long_date(*day, Lang::Nl);
        }
        match values.given.get(slot).map(|v| v.trim()) {
            Some(value) if !value.is_empty() => value.to_string(),
            _ => OPEN.to_string(),
        }
    }

    /// What a family or child reads of the letters, for the plain-language check: each B1
    /// explanation, and the text of a letter to a child (A2), with its placeholders read as one
    /// word.
    pub fn texts(&self) -> Vec<Text> {
        let mut texts = Vec::new();
        for letter in &self.letters {
            let file = format!("letters/{}.toml", letter.id);
            for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
                texts.push(Text {
                    file: file.clone(),
                    place: format!("explanation.{code}"),
                    lang,
                    level: Level::B1,
                    text: letter.explanation.get(lang).trim().to_string(),
                });
            }
            if letter.to == Recipient::Child {
                let read = pieces(&letter.body)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|piece| match piece {
                        Piece::Words(words) => words.to_string(),
                        Piece::Slot(slot) => match slot.strip_prefix("cite:") {
                            Some(key) => self
                                .citations
                                .get(key)
                                .map_or_else(String::new, |c| c.in_letter.clone()),
                            None => "Sam".to_string(),
                        },
                    })
                    .collect::<String>();
                texts.push(Text {
                    file,
                    place: "body".into(),
                    lang: Lang::Nl,
                    level: Level::A2,
                    text: read.trim().to_string(),
                });
            }
        }
        texts
    }
}

/// The dates a letter computes from the day it is written: that day, and the last day for an
/// answer when the letter asks for one.
pub fn computed_dates(letter: &Letter, written_on: Date) -> Vec<(&'static str, Date)> {
    let mut dates = vec![("letter_date", written_on)];
    if let Some(days) = letter.respond_days
        && let Ok(by) = written_on.checked_add(jiff::Span::new().days(i64::from(days)))
    {
        dates.push(("respond_by", by));
    }
    dates
}

/// A letter ready to typeset: its head, the text as the writer left it, and the sources it cites.
/// What the PDF and the DOCX are made of, the same for both.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    /// The letter's title, for the file's metadata.
    pub title: String,
    /// Nederlands: a letter is written in standard Dutch.
    pub lang: &'static str,
    pub sender: Vec<String>,
    pub recipient: Vec<String>,
    /// "Amsterdam, 7 december 2026".
    pub dateline: String,
    pub subject_label: &'static str,
    pub subject: String,
    /// Paragraphs; a paragraph of lines that start with "- " is a list.
    pub paragraphs: Vec<Paragraph>,
    pub sources_heading: &'static str,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "lines", rename_all = "lowercase")]
pub enum Paragraph {
    /// Lines of one paragraph (a closing and a name are two lines of one paragraph).
    Text(Vec<String>),
    List(Vec<String>),
}

/// The text cut into paragraphs at blank lines; a paragraph whose lines all start with "- " is
/// a list.
pub fn paragraphs(body: &str) -> Vec<Paragraph> {
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for line in body.lines().map(str::trim) {
        match blocks.last_mut() {
            Some(block) if !line.is_empty() => block.push(line),
            _ => blocks.push(Vec::new()),
        }
    }
    blocks
        .into_iter()
        .filter(|lines| !lines.is_empty())
        .flat_map(|lines| {
            // A list may follow its lead-in line without a blank line between them.
            let first_item = lines.iter().position(|l| l.starts_with("- "));
            match first_item {
                Some(i) if lines[i..].iter().all(|l| l.starts_with("- ")) => {
                    let lead: Vec<String> = lines[..i].iter().map(|l| l.to_string()).collect();
                    let items = lines[i..]
                        .iter()
                        .map(|l| l.trim_start_matches("- ").trim().to_string())
                        .collect();
                    let mut out = Vec::new();
                    if !lead.is_empty() {
                        out.push(Paragraph::Text(lead));
                    }
                    out.push(Paragraph::List(items));
                    out
                }
                _ => vec![Paragraph::Text(
                    lines.iter().map(|l| l.to_string()).collect(),
                )],
            }
        })
        .collect()
}

impl Letters {
    /// The document of a letter whose subject and body the writer has checked (and maybe
    /// changed): the head from the values, the date line from the day it is written.
    pub fn document(
        &self,
        letter: &Letter,
        values: &Values,
        written_on: Date,
        subject: &str,
        body: &str,
    ) -> Document {
        let value = |name: &str| {
            values
                .given
                .get(name)
                .map(|v| printable(v))
                .filter(|v| !v.trim().is_empty())
        };
        let lines = |name: &str| -> Vec<String> {
            value(name).map_or_else(
                || vec![OPEN.to_string()],
                |v| {
                    v.lines()
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect()
                },
            )
        };
        let mut sender = lines("sender_name");
        sender.extend(lines("sender_address"));
        let recipient = match letter.to {
            Recipient::Child => lines("child_name"),
            _ => {
                let mut r = lines("recipient_name");
                r.extend(lines("recipient_address"));
                r
            }
        };
        let date = dakwacht_core::written::long_date(written_on, Lang::Nl);
        let dateline = match value("place") {
            Some(place) => format!("{}, {date}", place.trim()),
            None => date,
        };
        let (subject_label, sources_heading) = match letter.to {
            Recipient::Child => ("Over", "Waar staat dit?"),
            _ => ("Betreft", "Wettelijke grondslag"),
        };
        Document {
            title: letter.title.get(Lang::Nl).to_string(),
            lang: "nl",
            sender,
            recipient,
            dateline,
            subject_label,
            subject: printable(subject)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            paragraphs: paragraphs(&printable(body)),
            sources_heading,
            sources: self
                .sources(letter)
                .into_iter()
                .map(|c| match &c.url {
                    Some(url) => format!("{} ({url})", c.listed()),
                    None => c.listed(),
                })
                .collect(),
        }
    }
}

/// The text without control characters other than line breaks and tabs: what a writer pastes
/// can hold them, and a DOCX (XML 1.0) cannot.
pub fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// Every `{…}` of a letter's subject and body.
fn used_slots(letter: &Letter) -> Vec<String> {
    [&letter.subject, &letter.body]
        .iter()
        .flat_map(|text| pieces(text).unwrap_or_default())
        .filter_map(|piece| match piece {
            Piece::Slot(slot) => Some(slot.to_string()),
            Piece::Words(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_at_braces_and_refuse_an_open_one() {
        assert_eq!(
            pieces("a {b} c").ok(),
            Some(vec![
                Piece::Words("a "),
                Piece::Slot("b"),
                Piece::Words(" c")
            ])
        );
        assert!(pieces("a {b c").is_err());
        assert!(pieces("a {b {c}").is_err());
    }
}
