//! A letter as a file (spec/rights-and-letters.md, "Letters"): PDF (tagged PDF/UA-1, Source Sans 3
//! embedded) to send, and DOCX to change further in a word processor. Both are made from the same
//! [`Document`], so they say the same.

use dakwacht_texts::letters::{Document, Paragraph};
use docx_rs::{
    BreakType, Docx, IndentLevel, LevelJc, LevelText, NumberFormat, NumberingId, Run, RunFonts,
    Start,
};

use crate::PublishError;

/// The letter as PDF.
#[cfg(feature = "pdf")]
pub fn letter_pdf(document: &Document) -> Result<Vec<u8>, PublishError> {
    use std::sync::OnceLock;
    use typst_as_lib::{TypstEngine, TypstTemplateMainFile};
    use typst_layout::PagedDocument;

    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(include_str!("../templates/letter.typ"))
            .fonts(crate::pdf::FONTS)
            .build()
    });
    let mut data = serde_json::to_value(document)
        .map_err(|e| PublishError::Pdf(format!("the letter's data: {e}")))?;
    crate::pdf::printable(&mut data);
    let data = serde_json::to_string(&data)
        .map_err(|e| PublishError::Pdf(format!("the letter's data: {e}")))?;
    let mut inputs = typst::foundations::Dict::new();
    inputs.insert("data".into(), typst::foundations::Value::Str(data.into()));
    let typeset: PagedDocument = engine
        .compile_with_input(inputs)
        .output
        .map_err(|e| PublishError::Pdf(format!("the letter could not be typeset: {e:?}")))?;
    crate::pdf::tagged_pdf(&typeset)
}

/// The bullet list's numbering (docx keeps lists as numbering definitions).
const BULLETS: usize = 1;

/// The letter as DOCX: the same head, text, lists and sources, in Source Sans 3 where the reader
/// has it (the word processor's own font otherwise).
pub fn letter_docx(document: &Document) -> Result<Vec<u8>, PublishError> {
    let font = RunFonts::new()
        .ascii("Source Sans 3")
        .hi_ansi("Source Sans 3")
        .cs("Source Sans 3");
    let text = |t: &str| Run::new().add_text(t).fonts(font.clone());
    let lines = |lines: &[String]| {
        let mut paragraph = docx_rs::Paragraph::new();
        for (i, line) in lines.iter().enumerate() {
            let mut run = text(line);
            if i + 1 < lines.len() {
                run = run.add_break(BreakType::TextWrapping);
            }
            paragraph = paragraph.add_run(run);
        }
        paragraph
    };
    let bullet = |item: &str| {
        docx_rs::Paragraph::new()
            .add_run(text(item))
            .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
    };
    let empty = || docx_rs::Paragraph::new();

    let mut docx = Docx::new()
        .default_size(22)
        .default_fonts(font.clone())
        .add_abstract_numbering(
            docx_rs::AbstractNumbering::new(BULLETS).add_level(
                docx_rs::Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(docx_rs::SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(docx_rs::Numbering::new(BULLETS, BULLETS))
        .add_paragraph(lines(&document.sender))
        .add_paragraph(empty())
        .add_paragraph(lines(&document.recipient))
        .add_paragraph(empty())
        .add_paragraph(docx_rs::Paragraph::new().add_run(text(&document.dateline)))
        .add_paragraph(
            docx_rs::Paragraph::new()
                .add_run(text(&format!("{}: ", document.subject_label)).bold())
                .add_run(text(&document.subject)),
        )
        .add_paragraph(empty());
    for paragraph in &document.paragraphs {
        match paragraph {
            Paragraph::Text(l) => docx = docx.add_paragraph(lines(l)).add_paragraph(empty()),
            Paragraph::List(items) => {
                for item in items {
                    docx = docx.add_paragraph(bullet(item));
                }
                docx = docx.add_paragraph(empty());
            }
        }
    }
    if !document.sources.is_empty() {
        docx = docx.add_paragraph(
            docx_rs::Paragraph::new().add_run(text(document.sources_heading).bold()),
        );
        for source in &document.sources {
            docx = docx.add_paragraph(bullet(source));
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| PublishError::Document(e.to_string()))?;
    Ok(bytes.into_inner())
}
