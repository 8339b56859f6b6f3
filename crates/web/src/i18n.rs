//! The language of the pages: Dutch by default, English when the user chooses it.
//!
//! Texts live in Fluent files, `crates/web/locales/{nl,en}/*.ftl`, compiled into the binary.
//! The language is chosen per request (a `lang` cookie set by the switch link on every page),
//! never per process: two users of one server can read it in two languages at once.
//! A test checks that every key used by a template or handler exists in both languages.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use dakwacht_core::Lang;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use serde::Deserialize;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        // Bidi isolation marks only matter for right-to-left scripts; in Dutch and English they
        // would just be invisible characters inside every sentence with a value in it.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DUTCH: LanguageIdentifier = langid!("nl");
static ENGLISH: LanguageIdentifier = langid!("en");

/// The cookie that remembers the chosen language (not personal data: `nl` or `en`).
pub const LANG_COOKIE: &str = "lang";

/// The translator of one request: its language, and the address it was made for (so the
/// language switch can come back to the same page).
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    here: String,
}

/// A value that can go into a Fluent message: numbers stay numbers, so plural rules work.
pub trait Arg {
    fn fluent(&self) -> FluentValue<'static>;
}

impl Arg for str {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}

impl Arg for String {
    fn fluent(&self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),+) => {$(
        impl Arg for $t {
            fn fluent(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )+};
}
number_arg!(u8, u32, u64, usize, i64);

impl<T: Arg + ?Sized> Arg for &T {
    fn fluent(&self) -> FluentValue<'static> {
        (**self).fluent()
    }
}

impl Tr {
    /// The same page in `lang`, its language link returning to `here`.
    pub fn switched(&self, lang: Lang, here: &str) -> Self {
        Tr {
            lang,
            here: here.to_string(),
        }
    }

    #[cfg(test)]
    pub fn new(lang: Lang) -> Self {
        Tr {
            lang,
            here: "/".to_string(),
        }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self.lang {
            Lang::Nl => &DUTCH,
            Lang::En => &ENGLISH,
        }
    }

    fn lookup(&self, key: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue>>) -> String {
        LOCALES
            .try_lookup_complete(self.id(), key, args)
            .unwrap_or_else(|| {
                // Cannot happen for keys the test knows about; show the key rather than nothing.
                tracing::warn!(key, "missing translation");
                key.to_string()
            })
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// The text of `key` with one value.
    pub fn t1(&self, key: &str, name: &'static str, value: impl Arg) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), value.fluent())]);
        self.lookup(key, Some(&args))
    }

    /// The text of `key` with two values.
    pub fn t2(
        &self,
        key: &str,
        name: &'static str,
        value: impl Arg,
        other_name: &'static str,
        other_value: impl Arg,
    ) -> String {
        let args = HashMap::from([
            (Cow::Borrowed(name), value.fluent()),
            (Cow::Borrowed(other_name), other_value.fluent()),
        ]);
        self.lookup(key, Some(&args))
    }

    /// The text of `key` with three values.
    pub fn t3(&self, key: &str, names: [&'static str; 3], values: [&dyn Arg; 3]) -> String {
        let args = names
            .into_iter()
            .zip(values)
            .map(|(name, value)| (Cow::Borrowed(name), value.fluent()))
            .collect();
        self.lookup(key, Some(&args))
    }

    /// The language code for `<html lang>`.
    pub fn code(&self) -> &'static str {
        code(self.lang)
    }

    /// The language the switch link offers.
    pub fn other(&self) -> Lang {
        match self.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// The other language's code, for the switch link's `lang` and `hreflang`.
    pub fn other_code(&self) -> &'static str {
        code(self.other())
    }

    /// The other language's name, written in that language (so a reader who does not know
    /// this one can still find it).
    pub fn other_name(&self) -> &'static str {
        match self.other() {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// The switch link: to the other language, and back to this page.
    pub fn switch_link(&self) -> String {
        format!(
            "/language?to={}&back={}",
            self.other_code(),
            crate::pages::encode_segment(&self.here)
        )
    }
}

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

pub fn parse(code: &str) -> Option<Lang> {
    match code {
        "nl" => Some(Lang::Nl),
        "en" => Some(Lang::En),
        _ => None,
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = jar
            .get(LANG_COOKIE)
            .and_then(|c| parse(c.value()))
            .unwrap_or_default();
        // Only a page that can be opened again is worth returning to; after a form was sent,
        // the switch goes to the form's page.
        let here = crate::auth::requested_uri(parts)
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        Ok(Tr { lang, here })
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    to: String,
    #[serde(default)]
    back: String,
}

/// `GET /language?to=en&back=/cases`: remembers the language and goes back to the page.
/// A plain link, so it works without JavaScript; changing the language changes no data, so it
/// needs no CSRF token.
pub async fn switch(Query(query): Query<SwitchQuery>) -> Response {
    let lang = parse(&query.to).unwrap_or_default();
    (remember(lang), Redirect::to(safe_back(&query.back))).into_response()
}

/// The cookie that keeps the chosen language, as a response part.
pub fn remember(lang: Lang) -> CookieJar {
    let cookie = Cookie::build((LANG_COOKIE, code(lang)))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .permanent()
        .build();
    CookieJar::new().add(cookie)
}

/// Only a path on this site: `//evil.example` or `https://…` would make the link an open
/// redirect.
fn safe_back(back: &str) -> &str {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.starts_with("/\\")
        && !back.chars().any(char::is_control);
    if local { back } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// Message ids and, per id, the variables it uses, of one language.
    fn messages(lang: &str) -> HashMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut messages = HashMap::new();
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .expect("locale folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            // A message ends with its file: the next file's opening comment is not part of it.
            let mut current = None;
            let text = std::fs::read_to_string(&path).expect("ftl file");
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !id.is_empty()
                {
                    assert!(
                        messages.insert(id.to_string(), BTreeSet::new()).is_none(),
                        "{lang}: {id} defined twice"
                    );
                    current = Some(id.to_string());
                }
                let Some(id) = &current else { continue };
                let mut rest = line;
                while let Some(start) = rest.find('$') {
                    let name: String = rest[start + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if let Some(vars) = messages.get_mut(id) {
                        vars.insert(name);
                    }
                    rest = &rest[start + 1..];
                }
            }
        }
        messages
    }

    /// The text of every template and source file, in the folders below them too.
    fn all_sources() -> String {
        fn read(folder: &Path, all: &mut String) {
            let mut entries: Vec<_> = std::fs::read_dir(folder)
                .expect("folder")
                .map(|e| e.expect("entry").path())
                .collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    read(&path, all);
                } else {
                    all.push_str(&std::fs::read_to_string(&path).expect("file"));
                    all.push('\n');
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut all = String::new();
        for folder in ["templates", "src"] {
            read(&root.join(folder), &mut all);
        }
        all
    }

    /// Every key written as the first argument of `.t(`, `.t1(`, `.t2(` or `.t3(`, also when
    /// rustfmt put the key on a line of its own (`tr.t1(\n    "key",`).
    fn keys_in(text: &str) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for (at, _) in text.match_indices('(') {
            let name = text[..at]
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                .len();
            // A row of the case form's layout names its label and hint keys on one line.
            if &text[name..at] == "row" && text[..name].ends_with(char::is_whitespace) {
                let line = text[at + 1..].split('\n').next().unwrap_or_default();
                for (i, literal) in line.split('"').enumerate() {
                    if i % 2 == 1 && is_key(literal) {
                        keys.insert(literal.to_string());
                    }
                }
                continue;
            }
            if !matches!(&text[name..at], "t" | "t1" | "t2" | "t3") || !text[..name].ends_with('.')
            {
                continue;
            }
            let Some(literal) = text[at + 1..].trim_start().strip_prefix('"') else {
                continue;
            };
            let Some((key, _)) = literal.split_once('"') else {
                continue;
            };
            if is_key(key) {
                keys.insert(key.to_string());
            }
        }
        keys
    }

    fn is_key(text: &str) -> bool {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    /// Every key used in the templates and the handlers.
    fn used_keys() -> BTreeSet<String> {
        keys_in(&all_sources())
    }

    #[test]
    fn the_key_scan_finds_keys_however_the_call_is_laid_out() {
        // Written with `·` for the dot, so the scan of this very file does not take these
        // for keys the pages use.
        let source = r#"
            let a = tr·t("on-one-line");
            let b = tr·t1(
                "split-by-rustfmt",
                "count",
                3,
            );
            let c = self.tr·t3("on-a-field", ["a", "b", "c"], [&1, &2, &3]);
            let d = tr·t2(  "with-spaces", "a", 1, "b", 2);
            let e = tr·t("error-form-not-utf8");
            <p>{{ tr·t("in-a-template") }}</p>
            let not_a_key = tr·t(&key);
            let not_a_call = format("other-text");
            let not_tr = total("not-a-key");
        "#
        .replace('·', ".");
        let found: Vec<_> = keys_in(&source).into_iter().collect();
        assert_eq!(
            found,
            [
                "error-form-not-utf8",
                "in-a-template",
                "on-a-field",
                "on-one-line",
                "split-by-rustfmt",
                "with-spaces",
            ]
        );
    }

    #[test]
    fn every_key_exists_in_dutch_and_english_with_the_same_values() {
        let (nl, en) = (messages("nl"), messages("en"));
        let nl_keys: BTreeSet<_> = nl.keys().collect();
        let en_keys: BTreeSet<_> = en.keys().collect();
        assert_eq!(nl_keys, en_keys, "the two languages have different keys");
        for (key, vars) in &nl {
            assert_eq!(
                Some(vars),
                en.get(key),
                "{key} uses other values in English"
            );
        }
        let used = used_keys();
        assert!(used.len() > 100, "the key scan found only {}", used.len());
        for key in &used {
            assert!(nl.contains_key(key), "{key} is used but not translated");
        }
        let sources = all_sources();
        for key in nl.keys() {
            assert!(
                sources.contains(&format!("\"{key}\"")),
                "{key} is translated but never used"
            );
        }
    }

    #[test]
    fn texts_follow_the_language_with_plural_rules() {
        let (nl, en) = (Tr::new(Lang::Nl), Tr::new(Lang::En));
        assert_eq!(nl.t("nav-cases"), "Casussen");
        assert_eq!(en.t("nav-cases"), "Cases");
        for (tr, count, text) in [
            (&en, 1usize, "1 family to follow up"),
            (&en, 3, "3 families to follow up"),
            (&nl, 1, "1 gezin om op te volgen"),
            (&nl, 3, "3 gezinnen om op te volgen"),
        ] {
            assert_eq!(tr.t1("follow-up-caption", "count", count), text);
        }
    }

    #[test]
    fn the_switch_only_returns_to_this_site() {
        assert_eq!(safe_back("/cases?q=a"), "/cases?q=a");
        assert_eq!(safe_back("//evil.example/"), "/");
        assert_eq!(safe_back("https://evil.example/"), "/");
        assert_eq!(safe_back("/\\evil.example"), "/");
        assert_eq!(safe_back(""), "/");
    }
}
