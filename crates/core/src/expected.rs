//! What a field, cell or line should have held: the second half of every input error.
//!
//! Kept as data rather than as a sentence, so that each reader gets it in their language: the
//! command line and the API in English (its `Display`), the web pages in Dutch or English
//! ([`Expected::text`]). Every variant is written out in both languages in one `match`, so a new
//! one cannot be added without its Dutch text.

use std::fmt;

use crate::codes::Lang;

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
        codes: Vec<&'static str>,
    },
    /// Codes of a code list separated by `;`.
    Codes {
        codes: Vec<&'static str>,
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
}

impl Expected {
    /// The expectation in plain words, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Expected as E;
        use Lang::{En, Nl};
        match (self, lang) {
            (E::Required(what), En) => format!("{} (this column is required)", what.text(En)),
            (E::Required(what), Nl) => format!("{} (dit veld is verplicht)", what.text(Nl)),
            (E::CaseRef, En) => "a reference of 1 to 64 characters".into(),
            (E::CaseRef, Nl) => "een referentie van 1 tot 64 tekens".into(),
            (E::OrganisationName, En) => "an organisation name of 1 to 120 characters".into(),
            (E::OrganisationName, Nl) => "een organisatienaam van 1 tot 120 tekens".into(),
            (E::Date, En) => "a date as YYYY-MM-DD".into(),
            (E::Date, Nl) => "een datum als JJJJ-MM-DD".into(),
            (E::DateOrMonth, En) => "a date as YYYY-MM-DD or a month as YYYY-MM".into(),
            (E::DateOrMonth, Nl) => "een datum als JJJJ-MM-DD of een maand als JJJJ-MM".into(),
            (E::ChildrenCount, En) => "a whole number from 1 to 20".into(),
            (E::ChildrenCount, Nl) => "een heel getal van 1 tot en met 20".into(),
            (E::ChildrenAges, En) => {
                "ages from 0 to 17, or ? for an unknown age, separated by ; (for example 2;5;?)"
                    .into()
            }
            (E::ChildrenAges, Nl) => {
                "leeftijden van 0 tot en met 17, of ? voor een onbekende leeftijd, gescheiden door ; (bijvoorbeeld 2;5;?)".into()
            }
            (E::YesNo, En) => "yes or no (or empty / unknown)".into(),
            (E::YesNo, Nl) => "ja of nee (of leeg / onbekend)".into(),
            (E::Text { max }, En) => format!("a text of at most {max} characters"),
            (E::Text { max }, Nl) => format!("een tekst van hoogstens {max} tekens"),
            (E::Code { codes }, En) => {
                format!("one of {} (or empty / unknown)", join(codes, "or"))
            }
            (E::Code { codes }, Nl) => {
                format!("een van {} (of leeg / onbekend)", join(codes, "of"))
            }
            (E::Codes { codes }, En) => {
                format!("reasons separated by ; each one of {}", join(codes, "or"))
            }
            (E::Codes { codes }, Nl) => {
                format!("redenen gescheiden door ; elk een van {}", join(codes, "of"))
            }
            (E::NotAfterReported { reported_on }, En) => {
                format!("a date not after reported_on ({reported_on})")
            }
            (E::NotAfterReported { reported_on }, Nl) => {
                format!("een datum niet na de meldingsdatum ({reported_on})")
            }
            (E::NotBeforeLoss { home_lost_on }, En) => {
                format!("a date not before home_lost_on ({home_lost_on})")
            }
            (E::NotBeforeLoss { home_lost_on }, Nl) => {
                format!("een datum niet vóór het verlies van de woning ({home_lost_on})")
            }
            (E::AgesPerChild { count }, En) => format!(
                "exactly {count} age(s), one per child (children_count is {count}), separated by ';'"
            ),
            (E::AgesPerChild { count }, Nl) => format!(
                "precies {count} leeftijd(en), één per kind (aantal kinderen is {count}), gescheiden door ';'"
            ),
            (E::DefaultJudgmentNeedsCourt { route }, En) => format!(
                "empty or unknown, because a default judgment needs route court_eviction (route is {route})"
            ),
            (E::DefaultJudgmentNeedsCourt { route }, Nl) => format!(
                "leeg of onbekend, want een verstekvonnis kan alleen na een ontruiming via de rechter (route is {route})"
            ),
            (E::OtherThanMainReason { main }, En) => {
                format!("reasons other than the main reason ({main})")
            }
            (E::OtherThanMainReason { main }, Nl) => {
                format!("andere redenen dan de hoofdreden ({main})")
            }
            (E::ReasonOnce { reason }, En) => format!("each reason once ({reason} is repeated)"),
            (E::ReasonOnce { reason }, Nl) => {
                format!("elke reden één keer ({reason} staat er vaker)")
            }
            (E::LastSeenSituation { last_seen_on }, En) => format!(
                "the situation on last_seen_on ({last_seen_on}), required when last_seen_on is given"
            ),
            (E::LastSeenSituation { last_seen_on }, Nl) => format!(
                "waar het gezin verbleef toen het laatst gezien werd ({last_seen_on}), nodig als die datum er is"
            ),
            (E::LastSeenOn { situation }, En) => format!(
                "the date the family was last seen, required when last_seen_situation ({situation}) is given"
            ),
            (E::LastSeenOn { situation }, Nl) => format!(
                "de datum waarop het gezin laatst gezien werd, nodig als de verblijfplaats van toen ({situation}) er is"
            ),
            (E::ValueCount { columns }, En) => format!(
                "{columns} values, one per header column (check the delimiter and the quotes around texts with , ; or line breaks)"
            ),
            (E::ValueCount { columns }, Nl) => format!(
                "{columns} waarden, één per kolom van de kopregel (controleer het scheidingsteken en de aanhalingstekens rond teksten met , ; of regeleinden)"
            ),
            (E::HeaderLine, En) => "a header line with the column names".into(),
            (E::HeaderLine, Nl) => "een kopregel met de kolomnamen".into(),
            (E::HeaderRow, En) => "a first row with the column names".into(),
            (E::HeaderRow, Nl) => "een eerste rij met de kolomnamen".into(),
            (E::ReadableRow { error }, En) => format!("a readable CSV row ({error})"),
            (E::ReadableRow { error }, Nl) => format!("een leesbare CSV-regel ({error})"),
            (E::ReadableSheetRow { error }, En) => format!("a readable spreadsheet row ({error})"),
            (E::ReadableSheetRow { error }, Nl) => {
                format!("een leesbare rij van het rekenblad ({error})")
            }
            (E::Utf8, En) => "text in UTF-8 (in Excel: save as \"CSV UTF-8\")".into(),
            (E::Utf8, Nl) => "tekst in UTF-8 (in Excel: opslaan als \"CSV UTF-8\")".into(),
            (E::ColumnOnce { also }, En) => format!("each column once; it is also column {also}"),
            (E::ColumnOnce { also }, Nl) => {
                format!("elke kolom één keer; deze is ook kolom {also}")
            }
            (E::KnownColumn { did_you_mean }, En) => format!(
                "a column of the interchange format, or a free column whose name starts with x_{}",
                did_you_mean.map_or(String::new(), |f| format!(" (did you mean {f}?)"))
            ),
            (E::KnownColumn { did_you_mean }, Nl) => format!(
                "een kolom van het uitwisselformaat, of een vrije kolom waarvan de naam met x_ begint{}",
                did_you_mean.map_or(String::new(), |f| format!(" (bedoelt u {f}?)"))
            ),
            (E::RequiredColumn, En) => "this required column in the header".into(),
            (E::RequiredColumn, Nl) => "deze verplichte kolom in de kopregel".into(),
            (
                E::CaseRefOncePerFile {
                    first_line,
                    organisation,
                },
                En,
            ) => format!(
                "a case_ref used once per organisation in a file; line {first_line} has the same case_ref for {organisation}"
            ),
            (
                E::CaseRefOncePerFile {
                    first_line,
                    organisation,
                },
                Nl,
            ) => format!(
                "elke referentie één keer per organisatie in een bestand; regel {first_line} heeft dezelfde referentie voor {organisation}"
            ),
            (E::OwnOrganisation { organisation }, En) => {
                format!("your own organisation, '{organisation}'")
            }
            (E::OwnOrganisation { organisation }, Nl) => {
                format!("uw eigen organisatie, ‘{organisation}’")
            }
            (E::NoControlCharacter { character }, En) => format!(
                "text without control characters or direction controls (found {character}; tabs and line breaks only in notes)"
            ),
            (E::NoControlCharacter { character }, Nl) => format!(
                "tekst zonder stuurtekens of richtingstekens (gevonden: {character}; tabs en regeleinden alleen in notities)"
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

/// `a, b or c` (`a, b of c` in Dutch).
fn join(codes: &[&str], or: &str) -> String {
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {or} {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
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
                codes: vec!["a", "b"],
            },
            Expected::Codes {
                codes: vec!["a", "b"],
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
            codes: vec!["car", "tent", "shelter"],
        };
        assert_eq!(
            codes.text(Lang::En),
            "one of car, tent or shelter (or empty / unknown)"
        );
        assert_eq!(
            codes.text(Lang::Nl),
            "een van car, tent of shelter (of leeg / onbekend)"
        );
    }
}
