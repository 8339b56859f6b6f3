//! Where to get help (`texts/contacts.toml`): each entry with the page it was taken from and the
//! day it was checked there, validated on load like the rules, so that no number reaches a family
//! without a source.

use std::collections::HashSet;

use dakwacht_core::Date;
use dakwacht_core::Lang;
use serde::Deserialize;

use crate::{Level, Text};

/// The shipped file.
pub const BUILT_IN: &str = include_str!("../../../texts/contacts.toml");
const FILE: &str = "texts/contacts.toml";

/// Who an entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum For {
    Family,
    Child,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Both {
    pub nl: String,
    pub en: String,
}

impl Both {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// One place to get help.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub id: String,
    pub name: String,
    #[serde(rename = "for")]
    pub audience: For,
    pub about: Both,
    pub phone: Option<String>,
    pub phone_note: Option<Both>,
    pub website: Option<String>,
    /// The page the entry was taken from.
    pub source: String,
    /// The day it was checked against `source`.
    pub checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactsFile {
    contact: Vec<Contact>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ContactsError {
    #[error("{FILE}: {0}")]
    Syntax(String),
    #[error("{FILE}: contact '{id}': {problem}")]
    Entry { id: String, problem: String },
}

/// The contacts, checked.
#[derive(Debug, Clone)]
pub struct Contacts {
    pub contacts: Vec<Contact>,
}

impl Contacts {
    /// The shipped file, checked against `today`.
    pub fn built_in(today: Date) -> Result<Contacts, ContactsError> {
        Contacts::parse(BUILT_IN, today)
    }

    /// Refuses an entry without a source page (https), with a check day that is not a date or
    /// lies after `today`, without a telephone number or website, with a number that is not one,
    /// or with an id used twice.
    pub fn parse(text: &str, today: Date) -> Result<Contacts, ContactsError> {
        let file: ContactsFile =
            toml::from_str(text).map_err(|e| ContactsError::Syntax(e.to_string()))?;
        let mut ids = HashSet::new();
        for contact in &file.contact {
            let refuse = |problem: &str| ContactsError::Entry {
                id: contact.id.clone(),
                problem: problem.to_string(),
            };
            if !ids.insert(contact.id.as_str()) {
                return Err(refuse("its id is used twice"));
            }
            if contact.name.trim().is_empty()
                || contact.about.nl.trim().is_empty()
                || contact.about.en.trim().is_empty()
            {
                return Err(refuse(
                    "a name and what it offers, in Dutch and English, are needed",
                ));
            }
            if !is_web_address(&contact.source) {
                return Err(refuse(
                    "source must be the https address of the page the entry was taken from",
                ));
            }
            let checked = dakwacht_core::date::parse_date(&contact.checked)
                .ok_or_else(|| refuse("checked must be the day it was checked, YYYY-MM-DD"))?;
            if checked > today {
                return Err(refuse(&format!("checked ({checked}) lies in the future")));
            }
            if contact.phone.is_none() && contact.website.is_none() {
                return Err(refuse("a telephone number or a website is needed"));
            }
            if let Some(phone) = &contact.phone
                && !is_phone_number(phone)
            {
                return Err(refuse(&format!(
                    "'{phone}' is not a Dutch telephone number (digits, with '-' or spaces)"
                )));
            }
            if let Some(website) = &contact.website
                && !is_web_address(website)
            {
                return Err(refuse(&format!(
                    "website '{website}' is not an https address"
                )));
            }
        }
        Ok(Contacts {
            contacts: file.contact,
        })
    }

    /// The entries for families or for children.
    pub fn for_whom(&self, audience: For) -> impl Iterator<Item = &Contact> {
        self.contacts.iter().filter(move |c| c.audience == audience)
    }

    /// What a family or child reads of them, for the plain-language check.
    pub fn texts(&self) -> Vec<Text> {
        let mut texts = Vec::new();
        for contact in &self.contacts {
            let level = match contact.audience {
                For::Family => Level::B1,
                For::Child => Level::A2,
            };
            for (lang, code) in [(Lang::Nl, "nl"), (Lang::En, "en")] {
                texts.push(Text {
                    file: FILE.to_string(),
                    place: format!("contact {}, about.{code}", contact.id),
                    lang,
                    level,
                    text: contact.about.get(lang).to_string(),
                });
            }
        }
        texts
    }
}

fn is_web_address(text: &str) -> bool {
    text.strip_prefix("https://")
        .is_some_and(|rest| rest.contains('.') && !rest.contains(char::is_whitespace))
}

/// Ten digits (0…), or a service number of 0800/0900 with four to seven digits after it; digits
/// may be grouped with '-' or spaces.
fn is_phone_number(text: &str) -> bool {
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
    {
        return false;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let service = digits.starts_with("0800") || digits.starts_with("0900");
    digits.starts_with('0') && (digits.len() == 10 || (service && (8..=11).contains(&digits.len())))
}
