//! The measures' definitions in plain words (`definitions.toml`), for the report's last section.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use dakwacht_core::Lang;

const FILE: &str = include_str!("../definitions.toml");

#[derive(serde::Deserialize)]
struct Definition {
    nl: String,
    en: String,
}

/// The definitions by measure id.
pub struct Definitions(BTreeMap<String, Definition>);

impl Definitions {
    /// The definition of `id`, when there is one.
    pub fn text(&self, id: &str, lang: Lang) -> Option<&str> {
        self.0.get(id).map(|d| match lang {
            Lang::Nl => d.nl.as_str(),
            Lang::En => d.en.as_str(),
        })
    }

    /// The ids defined, for the test that every measure has its definition.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// The file, read once. It is part of the binary and checked by a test, so it always parses;
/// were it not to, the report would go without definitions rather than fail.
pub fn definitions() -> &'static Definitions {
    static DEFINITIONS: OnceLock<Definitions> = OnceLock::new();
    DEFINITIONS.get_or_init(|| Definitions(toml::from_str(FILE).unwrap_or_default()))
}
