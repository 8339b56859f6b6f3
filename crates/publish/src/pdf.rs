//! `rapport.pdf`: the figures typeset by Typst (as a library), tagged for accessibility (PDF/UA-1,
//! which Typst checks while writing: a title, a language, a text alternative for the chart, table
//! headers), Source Sans 3 embedded and subset, the survival chart as vector graphics.
//!
//! The template (`templates/rapport.typ`) gets everything as one JSON value in `sys.inputs`:
//! names and labels are data, never markup, so nothing in a municipality's or a rule's name can
//! run as Typst code.

use std::sync::OnceLock;

use dakwacht_core::Lang;
use dakwacht_stats::disclosure::Policy;
use serde_json::{Value, json};
use typst_as_lib::TypstEngine;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::definitions::definitions;
use crate::figures::{Row, breakdown_count_text};
use crate::{BundleFigures, PublishError};

const TEMPLATE: &str = include_str!("../templates/rapport.typ");
pub(crate) const FONTS: [&[u8]; 3] = [
    include_bytes!("../fonts/SourceSans3-Regular.ttf"),
    include_bytes!("../fonts/SourceSans3-Bold.ttf"),
    include_bytes!("../fonts/SourceSans3-It.ttf"),
];

/// Puts only characters the embedded fonts have into a PDF: PDF/UA refuses a character that no
/// embedded font can show (an emoji, a script Source Sans 3 does not cover), and the PDF would
/// not be made at all. Such a character is printed as `?` instead; the DOCX of a letter keeps
/// it (the reader's word processor finds a font). Whitespace and line breaks pass as they are.
pub(crate) fn printable(value: &mut Value) {
    match value {
        Value::String(text) if !text.chars().all(shown) => {
            *text = text
                .chars()
                .map(|c| if shown(c) { c } else { '?' })
                .collect();
        }
        Value::Array(items) => items.iter_mut().for_each(printable),
        Value::Object(fields) => fields.values_mut().for_each(printable),
        _ => {}
    }
}

/// The characters of `text` a PDF prints as `?` ([`printable`]), each once, in the order they
/// first come: so that a letter's writer is told before making the PDF.
pub fn not_in_pdf(text: &str) -> Vec<char> {
    let mut seen = std::collections::HashSet::new();
    text.chars()
        .filter(|&c| !shown(c) && seen.insert(c))
        .collect()
}

/// Whether the embedded fonts show `c` (whitespace always passes).
fn shown(c: char) -> bool {
    use std::sync::OnceLock;
    static FONT: OnceLock<Option<typst::text::Font>> = OnceLock::new();
    let font =
        FONT.get_or_init(|| typst::text::Font::new(typst::foundations::Bytes::new(FONTS[0]), 0));
    c.is_whitespace()
        || font
            .as_ref()
            .is_none_or(|font| font.info().coverage.contains(c as u32))
}

/// The engine with its template and fonts, made once: parsing the fonts takes longer than a
/// report.
fn engine() -> &'static TypstEngine<typst_as_lib::TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<typst_as_lib::TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .fonts(FONTS)
            .build()
    })
}

/// The PDF of a bundle's figures.
pub fn rapport_pdf(figures: &BundleFigures<'_>) -> Result<Vec<u8>, PublishError> {
    let mut data = pdf_data(figures);
    printable(&mut data);
    let data = serde_json::to_string(&data)
        .map_err(|e| PublishError::Pdf(format!("the report's data: {e}")))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::Value::Str(data.into()));
    let document: PagedDocument = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| PublishError::Pdf(format!("the report could not be typeset: {e:?}")))?;
    tagged_pdf(&document)
}

/// A typeset document as PDF/UA-1 (tagged, fonts embedded and subset).
pub(crate) fn tagged_pdf(document: &PagedDocument) -> Result<Vec<u8>, PublishError> {
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|e| PublishError::Pdf(format!("PDF/UA-1: {e:?}")))?;
    let options = PdfOptions {
        standards,
        // No moment of writing in the file: the same input gives the same bytes.
        timestamp: None,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options)
        .map_err(|e| PublishError::Pdf(format!("the PDF could not be written: {e:?}")))
}

struct Words {
    title: &'static str,
    /// `{scope}` is the selection in words.
    selection: &'static str,
    counted: &'static str,
    footer: &'static str,
    protection: &'static str,
    measures: &'static str,
    children: &'static str,
    children_intro: &'static str,
    signals: &'static str,
    signals_intro: &'static str,
    duration: &'static str,
    duration_intro: &'static str,
    chart_caption: &'static str,
    chart_alt: &'static str,
    definitions: &'static str,
    sources: &'static str,
    share_heads: [&'static str; 4],
    child_heads: [&'static str; 4],
    signal_heads: [&'static str; 4],
    municipality: [&'static str; 3],
    quarter: [&'static str; 3],
    merged_intro: &'static str,
    total: &'static str,
}

const NL: Words = Words {
    title: "Gezinnen met kinderen die hun huurwoning verliezen",
    selection: "Selectie: {scope}.",
    counted: "Geteld op {date}, met de regels van versie {rules}.",
    footer: "dakwacht — gepubliceerde cijfers",
    protection: "Bescherming.",
    measures: "Uitkomsten",
    children: "Kinderen",
    children_intro: "Hier zijn de kinderen de eenheid: de noemers tellen kinderen, niet gezinnen.",
    signals: "Signalen",
    signals_intro: "Hoeveel gezinnen elk signaal van het juridisch kader geven, van alle getelde gezinnen.",
    duration: "Duur van de dakloosheid",
    duration_intro: "Kaplan–Meier-schatting over hele maanden: gezinnen die nog dakloos zijn of uit beeld raakten tellen mee zolang bekend is dat ze dakloos waren, niet alsof hun dakloosheid toen eindigde.",
    chart_caption: "Aandeel gezinnen nog dakloos per maand na het verlies van de woning, met de 95%-band.",
    chart_alt: "Trapgrafiek van het aandeel gezinnen dat nog dakloos is, per maand na het verlies van de woning, met een gekleurde band voor het 95%-betrouwbaarheidsinterval. De cijfers staan in de samenvatting erboven en in cijfers.xlsx.",
    definitions: "Wat de cijfers betekenen",
    sources: "Bronnen",
    share_heads: ["Uitkomst", "Teller", "Noemer", "Percentage"],
    child_heads: ["Uitkomst", "Kinderen", "Van", "Percentage"],
    signal_heads: ["Signaal", "Gezinnen", "Van", "Percentage"],
    municipality: ["Per gemeente", "Gemeente", "Gezinnen"],
    quarter: ["Per kwartaal van het woningverlies", "Kwartaal", "Gezinnen"],
    merged_intro: "Rijen met minder dan {minimum} gezinnen staan samen in de rij ‘{merged}’.",
    total: "Totaal",
};

const EN: Words = Words {
    title: "Families with children who lose their rented home",
    selection: "Selection: {scope}.",
    counted: "Counted on {date}, with the rules of version {rules}.",
    footer: "dakwacht — published figures",
    protection: "Protection.",
    measures: "Outcomes",
    children: "Children",
    children_intro: "Here children are the unit: the denominators count children, not families.",
    signals: "Signals",
    signals_intro: "How many families raise each signal of the legal framework, out of all families counted.",
    duration: "Duration of homelessness",
    duration_intro: "Kaplan–Meier estimate over whole months: families still homeless or lost from view count for as long as they were known to be homeless, not as if their homelessness ended then.",
    chart_caption: "Share of families still homeless per month after losing their home, with the 95% band.",
    chart_alt: "Step chart of the share of families still homeless, per month after losing their home, with a coloured band for the 95% confidence interval. The figures are in the summary above and in cijfers.xlsx.",
    definitions: "What the figures mean",
    sources: "Sources",
    share_heads: ["Outcome", "Numerator", "Denominator", "Percent"],
    child_heads: ["Outcome", "Children", "Of", "Percent"],
    signal_heads: ["Signal", "Families", "Of", "Percent"],
    municipality: ["By municipality", "Municipality", "Families"],
    quarter: ["By quarter of losing the home", "Quarter", "Families"],
    merged_intro: "Rows with fewer than {minimum} families are merged into the row ‘{merged}’.",
    total: "Total",
};

/// The sources of the figures and their definitions.
const SOURCES: [&str; 3] = [
    "Kinderombudsman en Nationale ombudsman, Wanneer de overheid niet thuis geeft: mensen- en kinderrechten van gezinnen onvoldoende beschermd bij huisuitzettingen.",
    "Quickscan 2025: gezinnen met minderjarige kinderen die hun huurwoning verloren (de 24 maten van dakwacht, spec/measures.md).",
    "dakwacht: spec/publication.md (overlevingsschatting en onthullingscontrole), spec/children.md (kindmaten).",
];

/// A definition with the policy's own numbers in place of its placeholders.
fn with_thresholds(text: &str, policy: &Policy) -> String {
    let smallest = policy.smallest_published_count();
    text.replace("{small}", &policy.suppressed_count_text())
        .replace("{below}", &smallest.saturating_sub(1).to_string())
        .replace("{smallest}", &smallest.to_string())
        .replace("{denominator}", &policy.minimum_denominator().to_string())
        .replace("{at_risk}", &policy.minimum_at_risk().to_string())
        .replace(
            "{median}",
            &policy.minimum_families_for_median().to_string(),
        )
        .replace("{merged}", policy.merged_row_label())
}

fn rows(rows: &[Row]) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            json!({
                "label": r.label,
                "numerator": r.numerator_text,
                "denominator": r.denominator_text,
                "percent": r.percent_text,
            })
        })
        .collect()
}

/// Everything the template prints, as text in the bundle's language.
fn pdf_data(figures: &BundleFigures<'_>) -> Value {
    let lang = figures.lang;
    let w = match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    };
    let policy = figures.policy;
    let tables = figures.tables();
    let duration = figures.duration;
    let summary: Vec<Value> =
        dakwacht_stats::duration_report::summary_lines(duration, Some(policy), lang)
            .into_iter()
            .map(|(label, value)| json!([label, value]))
            .collect();
    let chart = (!duration.table.is_empty()).then(|| {
        dakwacht_stats::duration_report::survival_chart_svg(&duration.table, lang)
            .replace("system-ui, sans-serif", "'Source Sans 3', sans-serif")
    });
    let merged_intro = w
        .merged_intro
        .replace("{minimum}", &policy.smallest_published_count().to_string())
        .replace("{merged}", policy.merged_row_label());
    let breakdowns: Vec<Value> = figures
        .breakdowns
        .iter()
        .map(|b| {
            let [title, row_head, count_head] = match b.by.as_str() {
                "municipality" => w.municipality,
                _ => w.quarter,
            };
            let mut rows: Vec<Value> = b
                .rows
                .iter()
                .map(|r| {
                    json!([
                        r.label,
                        breakdown_count_text(r.count, r.suppressed.count, policy)
                    ])
                })
                .collect();
            rows.push(json!([
                w.total,
                breakdown_count_text(b.total, b.suppressed.total, policy)
            ]));
            json!({
                "title": title,
                "intro": merged_intro,
                "heads": [row_head, count_head],
                "rows": rows,
            })
        })
        .collect();
    let definitions: Vec<Value> = tables
        .measures
        .iter()
        .chain(&tables.child_measures)
        .filter_map(|row| {
            let text = definitions().text(&row.id, lang)?;
            Some(json!({"id": row.id, "label": row.label, "text": text}))
        })
        .chain(
            ["duration.survival", "disclosure"]
                .into_iter()
                .filter_map(|id| {
                    let text = with_thresholds(definitions().text(id, lang)?, policy);
                    let label = match (id, lang) {
                        ("disclosure", Lang::Nl) => "Bescherming van kleine aantallen",
                        ("disclosure", Lang::En) => "Protection of small numbers",
                        (_, Lang::Nl) => w.duration,
                        (_, Lang::En) => w.duration,
                    };
                    Some(json!({"id": id, "label": label, "text": text}))
                }),
        )
        .collect();
    let legend = match lang {
        Lang::Nl => format!(
            "{} betekent: minder dan {} gezinnen of kinderen. × betekent: niet gepubliceerd, omdat het percentage op te weinig gezinnen berust of omdat een klein aantal anders uit de andere cijfers te berekenen is.",
            policy.suppressed_count_text(),
            policy.smallest_published_count()
        ),
        Lang::En => format!(
            "{} means: fewer than {} families or children. × means: not published, because the percentage rests on too few families or because a small number could otherwise be worked out from the other figures.",
            policy.suppressed_count_text(),
            policy.smallest_published_count()
        ),
    };
    json!({
        "lang": match lang { Lang::Nl => "nl", Lang::En => "en" },
        "title": w.title,
        "scope": w.selection.replace("{scope}", figures.scope),
        "counted": w.counted
            .replace("{date}", &figures.counted_on.to_string())
            .replace("{rules}", figures.rules_version),
        "footer": w.footer,
        "policy_note": figures.summary.sentence(lang),
        "legend": legend,
        "words": {
            "protection": w.protection,
            "measures": w.measures,
            "children": w.children,
            "signals": w.signals,
            "duration": w.duration,
            "definitions": w.definitions,
            "sources": w.sources,
            "share_heads": w.share_heads,
            "child_heads": w.child_heads,
            "signal_heads": w.signal_heads,
        },
        "measures": rows(&tables.measures),
        "child_measures": rows(&tables.child_measures),
        "children_intro": w.children_intro,
        "signals": rows(&tables.signals),
        "signals_intro": w.signals_intro,
        "duration_intro": w.duration_intro,
        "duration_summary": summary,
        "chart_svg": chart,
        "chart_alt": w.chart_alt,
        "chart_caption": w.chart_caption,
        "rows_withheld": dakwacht_stats::duration_report::rows_withheld_text(duration, Some(policy), lang),
        "breakdowns": breakdowns,
        "definitions": definitions,
        "sources": SOURCES,
    })
}
