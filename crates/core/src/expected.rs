//! What a field, cell or line should have held: the second half of every input error.
//!
//! Kept as data rather than as a sentence, so that each reader gets it in their language: the
//! command line and the API in English (its `Display`), the web pages in Dutch or English
//! ([`Expected::text`]). Every variant is written out in both languages in one `match`, so a new
//! one cannot be added without its Dutch text.

use std::fmt;

use crate::codes::Lang;

/// A code with its Dutch label: files take the code, and a Dutch reader of an error message
/// learns what it means (`car (auto)`).
pub type Labelled = (&'static str, &'static str);

/// The codes of a list with their Dutch labels, for [`Expected::Code`] and [`Expected::Codes`].
pub fn labelled<T: crate::codes::CodeList>() -> Vec<Labelled> {
    T::ALL
        .iter()
        .map(|v| (v.code(), v.label(Lang::Nl)))
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A required value is missing; what it should have been.
    Required(Box<Expected>),
    CaseRef,
    OrganisationName,
    Date,
    DateOrMonth,
    ChildrenCount,
    ChildrenAges,
    YesNo,
    Text {
        max: usize,
    },
    /// One code of a code list (or empty / unknown).
    Code {
        codes: Vec<Labelled>,
    },
    /// Codes of a code list separated by `;`.
    Codes {
        codes: Vec<Labelled>,
    },
    NotAfterReported {
        reported_on: String,
    },
    NotBeforeLoss {
        home_lost_on: String,
    },
    AgesPerChild {
        count: u8,
    },
    /// A default judgment is only possible after a court case.
    DefaultJudgmentNeedsCourt {
        route: String,
    },
    OtherThanMainReason {
        main: String,
    },
    ReasonOnce {
        reason: String,
    },
    LastSeenSituation {
        last_seen_on: String,
    },
    LastSeenOn {
        situation: String,
    },
    /// A data line with the wrong number of cells.
    ValueCount {
        columns: usize,
    },
    HeaderLine,
    HeaderRow,
    ReadableRow {
        error: String,
    },
    /// A spreadsheet row that could not be read (the sheet stops there).
    ReadableSheetRow {
        error: String,
    },
    Utf8,
    ColumnOnce {
        also: usize,
    },
    KnownColumn {
        did_you_mean: Option<&'static str>,
    },
    RequiredColumn,
    CaseRefOncePerFile {
        first_line: u64,
        organisation: String,
    },
    /// The organisation of the user who imports or saves.
    OwnOrganisation {
        organisation: String,
    },
    /// Text without control characters; `character` names the one found, as `U+001B`.
    NoControlCharacter {
        character: String,
    },
    /// A child of the case: a number from 1 to its `children_count`.
    ChildNo {
        max: u8,
    },
    /// A child's age: 0 to 17, or `?`.
    ChildAge,
    /// School days missed: 0 to 400.
    SchoolDays,
    /// The age the case's `children_ages` gives this child.
    AgeAsInCase {
        age: u8,
    },
    /// School days are missed only when the schooling was disrupted.
    SchoolDaysNeedDisruption {
        school: String,
    },
    /// Who heard the child, only when it was heard.
    HeardByNeedsHeard,
    /// The case of a child record: in the cases file of the same import, or stored before.
    CaseOfChild,
    /// A child of a case once per children file.
    ChildOncePerFile {
        first_line: u64,
        case_ref: String,
    },
}

impl Expected {
    /// The expectation in plain words, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        // The English and the Dutch text of one expectation, side by side; only the one asked
        // for is formatted (with the values the arm's pattern names).
        macro_rules! say {
            ($en:literal, $nl:literal) => {
                match lang {
                    Lang::En => format!($en),
                    Lang::Nl => format!($nl),
                }
            };
        }
        use Expected as E;
        match self {
            E::Required(what) => {
                let what = what.text(lang);
                say!(
                    "{what} (this column is required)",
                    "{what} (dit veld is verplicht)"
                )
            }
            E::CaseRef => say!(
                "a reference of 1 to 64 characters",
                "een referentie van 1 tot 64 tekens"
            ),
            E::OrganisationName => say!(
                "an organisation name of 1 to 120 characters",
                "een organisatienaam van 1 tot 120 tekens"
            ),
            E::Date => say!("a date as YYYY-MM-DD", "een datum als JJJJ-MM-DD"),
            E::DateOrMonth => say!(
                "a date as YYYY-MM-DD or a month as YYYY-MM",
                "een datum als JJJJ-MM-DD of een maand als JJJJ-MM"
            ),
            E::ChildrenCount => say!(
                "a whole number from 1 to 20",
                "een heel getal van 1 tot en met 20"
            ),
            E::ChildrenAges => say!(
                "ages from 0 to 17, or ? for an unknown age, separated by ; (for example 2;5;?)",
                "leeftijden van 0 tot en met 17, of ? voor een onbekende leeftijd, gescheiden door ; (bijvoorbeeld 2;5;?)"
            ),
            E::YesNo => say!(
                "yes or no (or empty / unknown)",
                "ja of nee (of leeg / onbekend)"
            ),
            E::Text { max } => say!(
                "a text of at most {max} characters",
                "een tekst van hoogstens {max} tekens"
            ),
            E::Code { codes } => {
                let codes = join(&shown(codes, lang), &say!("or", "of"));
                say!(
                    "one of {codes} (or empty / unknown)",
                    "een van {codes} (of leeg / onbekend)"
                )
            }
            E::Codes { codes } => {
                let codes = join(&shown(codes, lang), &say!("or", "of"));
                say!(
                    "reasons separated by ; each one of {codes}",
                    "redenen gescheiden door ; elk een van {codes}"
                )
            }
            E::NotAfterReported { reported_on } => say!(
                "a date not after reported_on ({reported_on})",
                "een datum niet na de meldingsdatum ({reported_on})"
            ),
            E::NotBeforeLoss { home_lost_on } => say!(
                "a date not before home_lost_on ({home_lost_on})",
                "een datum niet vóór het verlies van de woning ({home_lost_on})"
            ),
            E::AgesPerChild { count } => say!(
                "exactly {count} age(s), one per child (children_count is {count}), separated by ';'",
                "precies {count} leeftijd(en), één per kind (aantal kinderen is {count}), gescheiden door ';'"
            ),
            E::DefaultJudgmentNeedsCourt { route } => say!(
                "empty or unknown, because a default judgment needs route court_eviction (route is {route})",
                "leeg of onbekend, want een verstekvonnis kan alleen na een ontruiming via de rechter (route is {route})"
            ),
            E::OtherThanMainReason { main } => say!(
                "reasons other than the main reason ({main})",
                "andere redenen dan de hoofdreden ({main})"
            ),
            E::ReasonOnce { reason } => say!(
                "each reason once ({reason} is repeated)",
                "elke reden één keer ({reason} staat er vaker)"
            ),
            E::LastSeenSituation { last_seen_on } => say!(
                "the situation on last_seen_on ({last_seen_on}), required when last_seen_on is given",
                "waar het gezin verbleef toen het laatst gezien werd ({last_seen_on}), nodig als die datum er is"
            ),
            E::LastSeenOn { situation } => say!(
                "the date the family was last seen, required when last_seen_situation ({situation}) is given",
                "de datum waarop het gezin laatst gezien werd, nodig als de verblijfplaats van toen ({situation}) er is"
            ),
            E::ValueCount { columns } => say!(
                "{columns} values, one per header column (check the delimiter and the quotes around texts with , ; or line breaks)",
                "{columns} waarden, één per kolom van de kopregel (controleer het scheidingsteken en de aanhalingstekens rond teksten met , ; of regeleinden)"
            ),
            E::HeaderLine => say!(
                "a header line with the column names",
                "een kopregel met de kolomnamen"
            ),
            E::HeaderRow => say!(
                "a first row with the column names",
                "een eerste rij met de kolomnamen"
            ),
            E::ReadableRow { error } => say!(
                "a readable CSV row ({error})",
                "een leesbare CSV-regel ({error})"
            ),
            E::ReadableSheetRow { error } => say!(
                "a readable spreadsheet row ({error})",
                "een leesbare rij van het rekenblad ({error})"
            ),
            E::Utf8 => say!(
                "text in UTF-8 (in Excel: save as \"CSV UTF-8\")",
                "tekst in UTF-8 (in Excel: opslaan als \"CSV UTF-8\")"
            ),
            E::ColumnOnce { also } => say!(
                "each column once; it is also column {also}",
                "elke kolom één keer; deze is ook kolom {also}"
            ),
            E::KnownColumn { did_you_mean } => {
                let hint = did_you_mean.map_or(String::new(), |f| {
                    say!(" (did you mean {f}?)", " (bedoelt u {f}?)")
                });
                say!(
                    "a column of the interchange format, or a free column whose name starts with x_{hint}",
                    "een kolom van het uitwisselformaat, of een vrije kolom waarvan de naam met x_ begint{hint}"
                )
            }
            E::RequiredColumn => say!(
                "this required column in the header",
                "deze verplichte kolom in de kopregel"
            ),
            E::CaseRefOncePerFile {
                first_line,
                organisation,
            } => say!(
                "a case_ref used once per organisation in a file; line {first_line} has the same case_ref for {organisation}",
                "elke referentie één keer per organisatie in een bestand; regel {first_line} heeft dezelfde referentie voor {organisation}"
            ),
            E::OwnOrganisation { organisation } => say!(
                "your own organisation, '{organisation}'",
                "uw eigen organisatie, ‘{organisation}’"
            ),
            E::NoControlCharacter { character } => say!(
                "text without control characters or direction controls (found {character}; tabs and line breaks only in notes)",
                "tekst zonder stuurtekens of richtingstekens (gevonden: {character}; tabs en regeleinden alleen in notities)"
            ),
            E::ChildNo { max } => say!(
                "a child number from 1 to {max} (the case's children_count)",
                "een kindnummer van 1 tot en met {max} (het aantal kinderen van de casus)"
            ),
            E::ChildAge => say!(
                "an age from 0 to 17, or ? when it is not known",
                "een leeftijd van 0 tot en met 17, of ? als die niet bekend is"
            ),
            E::SchoolDays => say!(
                "a whole number of school days from 0 to 400",
                "een heel aantal schooldagen van 0 tot en met 400"
            ),
            E::AgeAsInCase { age } => say!(
                "the age children_ages gives this child ({age})",
                "de leeftijd die de casus dit kind geeft ({age})"
            ),
            E::SchoolDaysNeedDisruption { school } => say!(
                "empty, because school days missed are counted only when school is changed_school or missing_school (school is '{school}')",
                "leeg, want gemiste schooldagen tellen alleen als het kind van school moest veranderen of school mist (school is ‘{school}’)"
            ),
            E::ChildOncePerFile {
                first_line,
                case_ref,
            } => say!(
                "each child of a case once per file; line {first_line} has the same child_no for case {case_ref}",
                "elk kind van een casus één keer per bestand; regel {first_line} heeft hetzelfde kindnummer voor casus {case_ref}"
            ),
            E::CaseOfChild => say!(
                "a case of the cases file imported with it, or one stored before",
                "een casus uit het casussenbestand dat ermee wordt ingelezen, of een die al is opgeslagen"
            ),
            E::HeardByNeedsHeard => say!(
                "empty, because heard_by is given only when heard is yes",
                "leeg, want wie het kind hoorde, staat er alleen als het kind gehoord is"
            ),
        }
    }
}

/// The command line and the API speak English.
impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The codes as a reader in `lang` sees them: in Dutch with their label (`car (auto)`), in
/// English (the command line's and the API's language, which speak in codes) the code alone.
fn shown(codes: &[Labelled], lang: Lang) -> Vec<String> {
    codes
        .iter()
        .map(|(code, dutch)| match lang {
            Lang::Nl if !dutch.eq_ignore_ascii_case(code) => format!("{code} ({dutch})"),
            _ => (*code).to_string(),
        })
        .collect()
}

/// `a, b or c` (`a, b of c` in Dutch).
pub(crate) fn join<T: AsRef<str>>(codes: &[T], or: &str) -> String {
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {or} {}", rest.join(", "), last.as_ref())
        }
        Some((last, _)) => last.as_ref().to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_expectation_reads_differently_in_dutch_and_english() {
        let samples = [
            Expected::Required(Box::new(Expected::Date)),
            Expected::CaseRef,
            Expected::OrganisationName,
            Expected::Date,
            Expected::DateOrMonth,
            Expected::ChildrenCount,
            Expected::ChildrenAges,
            Expected::YesNo,
            Expected::Text { max: 80 },
            Expected::Code {
                codes: vec![("a", "een a"), ("b", "een b")],
            },
            Expected::Codes {
                codes: vec![("a", "een a"), ("b", "een b")],
            },
            Expected::NotAfterReported {
                reported_on: "2025-01-01".into(),
            },
            Expected::NotBeforeLoss {
                home_lost_on: "2025-01".into(),
            },
            Expected::AgesPerChild { count: 2 },
            Expected::DefaultJudgmentNeedsCourt {
                route: "unknown".into(),
            },
            Expected::OtherThanMainReason { main: "x".into() },
            Expected::ReasonOnce { reason: "x".into() },
            Expected::LastSeenSituation {
                last_seen_on: "2025-01-01".into(),
            },
            Expected::LastSeenOn {
                situation: "car".into(),
            },
            Expected::ValueCount { columns: 3 },
            Expected::HeaderLine,
            Expected::HeaderRow,
            Expected::ReadableRow { error: "x".into() },
            Expected::ReadableSheetRow { error: "x".into() },
            Expected::Utf8,
            Expected::ColumnOnce { also: 2 },
            Expected::KnownColumn {
                did_you_mean: Some("route"),
            },
            Expected::RequiredColumn,
            Expected::CaseRefOncePerFile {
                first_line: 2,
                organisation: "A".into(),
            },
            Expected::OwnOrganisation {
                organisation: "A".into(),
            },
            Expected::NoControlCharacter {
                character: "U+001B".into(),
            },
            Expected::ChildNo { max: 3 },
            Expected::ChildAge,
            Expected::SchoolDays,
            Expected::AgeAsInCase { age: 9 },
            Expected::SchoolDaysNeedDisruption {
                school: "attends_same".into(),
            },
            Expected::HeardByNeedsHeard,
            Expected::CaseOfChild,
            Expected::ChildOncePerFile {
                first_line: 2,
                case_ref: "QS-01".into(),
            },
        ];
        for expected in samples {
            let (nl, en) = (expected.text(Lang::Nl), expected.text(Lang::En));
            assert!(!nl.is_empty() && nl != en, "{expected:?}: {nl} / {en}");
            assert_eq!(expected.to_string(), en);
        }
    }

    #[test]
    fn code_lists_are_joined_in_the_language() {
        let codes = Expected::Code {
            codes: vec![("car", "auto"), ("tent", "tent"), ("shelter", "opvang")],
        };
        assert_eq!(
            codes.text(Lang::En),
            "one of car, tent or shelter (or empty / unknown)"
        );
        // In Dutch with the label beside the code (not repeated where they are the same word).
        assert_eq!(
            codes.text(Lang::Nl),
            "een van car (auto), tent of shelter (opvang) (of leeg / onbekend)"
        );
        let households = Expected::Code {
            codes: labelled::<crate::Household>(),
        };
        assert!(
            households
                .text(Lang::Nl)
                .contains("one_parent (eenoudergezin)")
        );
    }
}
