#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! The publication bundle (publication spec §3, issue 17.4) of the quickscan file's 23 families:
//! the four files hold the same protected figures, held-back figures are marked the same way in
//! each, the PDF's text says what the JSON says, and the same figures give the same bytes.

use std::collections::BTreeMap;

use dakwacht_core::date::Date;
use dakwacht_core::{Case, ChildFigures, Lang};
use dakwacht_interchange::CaseReader;
use dakwacht_publish::BundleFigures;
use dakwacht_stats::SignalCount;
use dakwacht_stats::disclosure::{
    Breakdown, BreakdownRow, Policy, PublishedBreakdown, PublishedDuration, PublishedMeasures,
    PublishedSignal, Summary, protect_breakdown, protect_duration, protect_measures,
    protect_signals,
};
use dakwacht_stats::survival::DurationEstimate;
use serde_json::Value;

fn quickscan_cases() -> Vec<Case> {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../cli/demo/quickscan-2025.csv"
    ))
    .unwrap();
    CaseReader::csv(&text[..])
        .unwrap()
        .unwrap()
        .map(|(_, row)| row.unwrap())
        .collect()
}

/// What `Acting::publication` hands a bundle, made here from the cases themselves.
struct Published {
    policy: Policy,
    measures: PublishedMeasures,
    signals: Vec<PublishedSignal>,
    duration: PublishedDuration,
    breakdowns: Vec<PublishedBreakdown>,
    summary: Summary,
}

/// `renamed` gives some municipalities another name in the tables (to try what a name can hold).
fn published(cases: &[Case], renamed: &BTreeMap<String, String>) -> Published {
    let policy = Policy::built_in().unwrap();
    let measures = protect_measures(
        &dakwacht_stats::quickscan(cases),
        &dakwacht_stats::compute_children(&ChildFigures::of(cases, &[])),
        &policy,
    )
    .unwrap();
    let n = cases.len() as u64;
    let signal = |id: &str, label: &str, count: u64| SignalCount {
        id: id.to_string(),
        label: label.to_string(),
        cases: count,
        of: n,
    };
    let signals = protect_signals(
        &[
            signal("removed_without_court", "Uit huis gezet zonder rechter", 3),
            signal("no_legal_help", "Geen juridische hulp", 11),
        ],
        &policy,
    );
    let duration = protect_duration(&DurationEstimate::of_cases(cases), &policy).unwrap();
    let mut by_municipality = BTreeMap::<String, u64>::new();
    let mut by_quarter = BTreeMap::<String, u64>::new();
    for case in cases {
        if let Some(m) = &case.municipality {
            let name = renamed
                .get(&m.to_string())
                .cloned()
                .unwrap_or_else(|| m.to_string());
            *by_municipality.entry(name).or_default() += 1;
        }
        let Some(lost) = case.home_lost_on else {
            continue;
        };
        let month = lost.to_string();
        let (label, ..) = dakwacht_core::period_of_month(
            &month[..7],
            dakwacht_core::BreakdownBy::Quarter,
            Lang::Nl,
        )
        .unwrap();
        *by_quarter.entry(label).or_default() += 1;
    }
    let breakdown = |by: &str, counts: BTreeMap<String, u64>| {
        protect_breakdown(
            &Breakdown {
                by: by.to_string(),
                total: n,
                rows: counts
                    .into_iter()
                    .map(|(label, count)| BreakdownRow { label, count })
                    .collect(),
                unknown: "onbekend".to_string(),
            },
            &policy,
        )
        .unwrap()
    };
    let breakdowns = vec![
        breakdown("municipality", by_municipality),
        breakdown("quarter", by_quarter),
    ];
    let summary = Summary::new(&policy, &measures, Some(&duration), &signals, &breakdowns);
    Published {
        policy,
        measures,
        signals,
        duration,
        breakdowns,
        summary,
    }
}

fn figures(p: &Published, lang: Lang) -> BundleFigures<'_> {
    BundleFigures {
        scope: "alle casussen",
        counted_on: Date::new(2026, 12, 7).unwrap(),
        lang,
        policy: &p.policy,
        summary: &p.summary,
        measures: &p.measures,
        signals: &p.signals,
        rules_version: "2026-12-02.1",
        duration: &p.duration,
        breakdowns: &p.breakdowns,
    }
}

fn files(figures: &BundleFigures<'_>) -> BTreeMap<&'static str, Vec<u8>> {
    dakwacht_publish::bundle_files(figures)
        .unwrap()
        .into_iter()
        .collect()
}

#[test]
fn the_json_has_the_spec_shape_and_the_protected_figures() {
    let p = published(&quickscan_cases(), &BTreeMap::new());
    let files = files(&figures(&p, Lang::Nl));
    let json: Value = serde_json::from_slice(&files["cijfers.json"]).unwrap();
    for key in [
        "policy",
        "measures",
        "child_measures",
        "signals",
        "duration",
        "breakdowns",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["policy"]["name"], "dakwacht-standaard");
    assert!(
        json["policy"]["note"]
            .as_str()
            .unwrap()
            .starts_with("Beschermd volgens beleid")
    );
    let measure = |id: &str| {
        json["measures"]
            .as_array()
            .unwrap()
            .iter()
            .chain(json["child_measures"].as_array().unwrap())
            .find(|m| m["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(measure("route.no_court")["numerator"], 13);
    assert_eq!(measure("children.age_unknown")["numerator"], Value::Null);
    assert_eq!(
        measure("children.age_unknown")["suppressed"]["numerator"],
        "primary"
    );
    assert_eq!(json["signals"][0]["cases"], Value::Null);
    assert_eq!(json["signals"][1]["cases"], 11);
    // Amsterdam's 6 families would follow from the total minus "overige" and the one family
    // without a municipality: held back.
    let municipality = &json["breakdowns"]["municipality"];
    assert_eq!(municipality["rows"][0]["label"], "Amsterdam");
    assert_eq!(municipality["rows"][0]["count"], Value::Null);
    assert_eq!(municipality["rows"][0]["suppressed"]["count"], "secondary");
    assert_eq!(json["duration"]["table"].as_array().unwrap().len(), 10);
}

#[test]
fn the_csv_has_every_figure_on_a_line_and_marks_what_is_held_back() {
    let p = published(&quickscan_cases(), &BTreeMap::new());
    let files = files(&figures(&p, Lang::Nl));
    let mut reader = csv::Reader::from_reader(&files["cijfers.csv"][..]);
    assert_eq!(
        reader.headers().unwrap(),
        vec!["section", "id", "label", "figure", "value", "suppressed"]
    );
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find = |section: &str, id: &str, figure: &str| {
        lines
            .iter()
            .find(|l| &l[0] == section && &l[1] == id && &l[3] == figure)
            .unwrap_or_else(|| panic!("{section} {id} {figure}"))
            .clone()
    };
    let no_court = find("measures", "route.no_court", "numerator");
    assert_eq!((&no_court[4], &no_court[5]), ("13", ""));
    assert_eq!(&find("measures", "route.no_court", "percent")[4], "59.09");
    let unknown = find("measures", "children.age_unknown", "numerator");
    assert_eq!((&unknown[4], &unknown[5]), ("", "primary"));
    let amsterdam = find("municipality", "Amsterdam", "count");
    assert_eq!((&amsterdam[4], &amsterdam[5]), ("", "secondary"));
    assert_eq!(&find("duration", "estimate", "n")[4], "22");
    assert_eq!(&find("policy", "name", "")[4], "dakwacht-standaard");
    // Every measure of the JSON is in the CSV.
    let json: Value = serde_json::from_slice(&files["cijfers.json"]).unwrap();
    for m in json["measures"].as_array().unwrap() {
        find("measures", m["id"].as_str().unwrap(), "numerator");
    }
}

#[test]
fn the_workbook_has_a_sheet_per_table_and_marks_what_is_held_back() {
    use calamine::{Data, Reader, Xlsx};
    let p = published(&quickscan_cases(), &BTreeMap::new());
    let files = files(&figures(&p, Lang::Nl));
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(files["cijfers.xlsx"].clone()))
            .unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Beleid",
            "Maten",
            "Kinderen",
            "Signalen",
            "Duur",
            "Duur per maand",
            "Per gemeente",
            "Per kwartaal"
        ]
    );
    let policy = workbook.worksheet_range("Beleid").unwrap();
    let note = policy
        .rows()
        .find(|r| r[0] == Data::String("Bescherming".into()))
        .unwrap()
        .to_vec();
    assert!(
        note[1]
            .to_string()
            .starts_with("Beschermd volgens beleid dakwacht-standaard")
    );
    let measures = workbook.worksheet_range("Maten").unwrap();
    let row = |id: &str| {
        measures
            .rows()
            .find(|r| r[0] == Data::String(id.into()))
            .unwrap()
            .to_vec()
    };
    let no_court = row("route.no_court");
    assert_eq!(no_court[2], Data::Float(13.0));
    assert_eq!(no_court[3], Data::Float(22.0));
    let unknown = row("children.age_unknown");
    assert_eq!(unknown[2], Data::String("<5".into()));
    assert_eq!(unknown[5], Data::String("numerator: primary".into()));
    let by_municipality = workbook.worksheet_range("Per gemeente").unwrap();
    assert!(
        by_municipality
            .rows()
            .any(|r| r[0] == Data::String("Amsterdam".into()) && r[1] == Data::String("×".into()))
    );
}

#[test]
fn the_same_figures_give_the_same_bytes() {
    let p = published(&quickscan_cases(), &BTreeMap::new());
    for lang in [Lang::Nl, Lang::En] {
        let first = files(&figures(&p, lang));
        let second = files(&figures(&p, lang));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>()
        );
        for (name, bytes) in &first {
            assert!(bytes == &second[name], "{name} differs between two runs");
        }
    }
}

use dakwacht_testkit::documents::poppler;

#[test]
fn the_pdf_says_what_the_json_says_in_both_languages() {
    let p = published(&quickscan_cases(), &BTreeMap::new());
    for lang in [Lang::Nl, Lang::En] {
        let files = files(&figures(&p, lang));
        let text = poppler(
            "pdftotext",
            &["-layout", "-enc", "UTF-8"],
            &files["rapport.pdf"],
        );
        let json: Value = serde_json::from_slice(&files["cijfers.json"]).unwrap();
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = words(&text);
        let note = json["policy"]["note"].as_str().unwrap();
        // The JSON's note is Dutch; the English PDF says it in English, with the same numbers.
        if lang == Lang::Nl {
            assert!(flat.contains(&words(note)), "the policy note\n{text}");
        } else {
            assert!(
                flat.contains("Protected under policy dakwacht-standaard"),
                "{text}"
            );
        }
        // Each measure's row: its label, then its published figures (or their marks).
        let all = json["measures"]
            .as_array()
            .unwrap()
            .iter()
            .chain(json["child_measures"].as_array().unwrap());
        for m in all {
            let id = m["id"].as_str().unwrap();
            let definition = dakwacht_stats::definition_of(id).unwrap();
            let label = match lang {
                Lang::Nl => definition.label_nl,
                Lang::En => definition.label_en,
            };
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("{lang:?}: no line for {label}\n{text}"));
            let rest = &line[line.find(label).unwrap() + label.len()..];
            let figures: Vec<&str> = rest.split_whitespace().collect();
            let numerator = match m["numerator"].as_u64() {
                Some(n) => n.to_string(),
                None if figures.first() == Some(&"<5") => "<5".to_string(),
                None => "×".to_string(),
            };
            assert_eq!(
                figures.first().copied(),
                Some(numerator.as_str()),
                "{lang:?} {label}: {line}"
            );
            if let Some(denominator) = m["denominator"].as_u64() {
                assert_eq!(
                    figures.get(1).copied(),
                    Some(denominator.to_string().as_str()),
                    "{label}: {line}"
                );
            }
            if m["percent"].is_number() {
                let whole = dakwacht_stats::whole_percent(
                    m["numerator"].as_u64().unwrap(),
                    m["denominator"].as_u64().unwrap(),
                )
                .unwrap();
                assert_eq!(
                    figures.get(2).copied(),
                    Some(format!("{whole}%").as_str()),
                    "{label}: {line}"
                );
            }
        }
        let sections = match lang {
            Lang::Nl => [
                "Uitkomsten",
                "Kinderen",
                "Signalen",
                "Duur van de dakloosheid",
                "Per gemeente",
                "Wat de cijfers betekenen",
                "Bronnen",
            ],
            Lang::En => [
                "Outcomes",
                "Children",
                "Signals",
                "Duration of homelessness",
                "By municipality",
                "What the figures mean",
                "Sources",
            ],
        };
        for section in sections {
            assert!(text.contains(section), "{lang:?}: {section}");
        }
    }
}

#[test]
fn the_pdf_is_tagged_with_a_title_and_its_fonts_embedded() {
    let p = published(&quickscan_cases(), &BTreeMap::new());
    let files = files(&figures(&p, Lang::Nl));
    let pdf = &files["rapport.pdf"];
    let info = poppler("pdfinfo", &[], pdf);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Gezinnen met kinderen"),
        "{info}"
    );
    let fonts = poppler("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        // name type encoding emb sub uni object ID: every font embedded and subset.
        let columns: Vec<&str> = row.split_whitespace().collect();
        let from_end = |i: usize| columns[columns.len() - i];
        assert_eq!((from_end(5), from_end(4)), ("yes", "yes"), "{row}");
    }
    // PDF/UA-1 is declared in the metadata (Typst refuses to write it when a rule is broken).
    let raw = String::from_utf8_lossy(pdf);
    assert!(raw.contains("pdfuaid"), "PDF/UA identification");
}

#[test]
fn names_are_printed_as_text_never_run_as_typst() {
    let strange = "#panic(\"boem\") \\ *vet* $x$ <a> @b";
    let mut renamed = BTreeMap::new();
    renamed.insert("Amsterdam".to_string(), strange.to_string());
    let p = published(&quickscan_cases(), &renamed);
    let files = files(&figures(&p, Lang::Nl));
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &files["rapport.pdf"]);
    assert!(text.contains(strange), "{text}");
}

#[test]
fn every_measure_has_its_definition_in_both_languages() {
    use dakwacht_publish::definitions::definitions;
    let defined: Vec<&str> = definitions().ids().collect();
    for measure in dakwacht_stats::MEASURES
        .iter()
        .chain(dakwacht_stats::CHILD_MEASURES)
    {
        for lang in [Lang::Nl, Lang::En] {
            let text = definitions().text(measure.id, lang);
            assert!(
                text.is_some_and(|t| t.len() > 20),
                "{} ({lang:?})",
                measure.id
            );
        }
    }
    for id in ["duration.survival", "disclosure"] {
        assert!(defined.contains(&id), "{id}");
    }
    // Nothing defined that is not a measure (a misspelt id would never be printed).
    for id in defined {
        assert!(
            dakwacht_stats::definition_of(id).is_some()
                || ["duration.survival", "disclosure"].contains(&id),
            "{id} is not a measure"
        );
    }
}
