//! The publication bundle (publication spec §3): one selection's figures, as the disclosure
//! policy lets them be published, in the four files a coordinator or researcher hands on —
//! `cijfers.json` and `cijfers.csv` for other tools, `cijfers.xlsx` for people with a spreadsheet,
//! `rapport.pdf` for readers.
//!
//! Pure: the figures come in protected (see `dakwacht_stats::disclosure`), the files go out as
//! bytes; writing them to a folder or a download is the caller's.
//!
//! - [`figures`]: what a bundle holds, and how each held-back figure is printed;
//! - [`json`], [`csv_file`], [`xlsx`]: the machine-readable files and the workbook;
//! - [`pdf`]: the typeset report (feature `pdf`, on by default);
//! - [`definitions`]: the measures' definitions in plain words, for the report;
//! - [`letter`]: a letter as PDF and DOCX.

pub mod csv_file;
pub mod definitions;
pub mod figures;
pub mod json;
pub mod letter;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod xlsx;

pub use figures::{BundleFigures, Tables};

/// Why a bundle could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the workbook could not be written: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("the CSV file could not be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("{0}")]
    Pdf(String),
    #[error("the document could not be written: {0}")]
    Document(String),
    #[error("the zip file could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// The files of a bundle, by name, in the order the spec lists them; `rapport.pdf` only with the
/// `pdf` feature.
pub fn bundle_files(
    figures: &BundleFigures<'_>,
) -> Result<Vec<(&'static str, Vec<u8>)>, PublishError> {
    let json = serde_json::to_vec_pretty(&json::cijfers_json(figures))
        .map_err(|e| PublishError::Pdf(format!("cijfers.json: {e}")))?;
    let data = [
        ("cijfers.xlsx", xlsx::cijfers_xlsx(figures)?),
        ("cijfers.csv", csv_file::cijfers_csv(figures)?),
        ("cijfers.json", json),
    ];
    #[cfg(feature = "pdf")]
    let report = Some(("rapport.pdf", pdf::rapport_pdf(figures)?));
    #[cfg(not(feature = "pdf"))]
    let report = None;
    Ok(report.into_iter().chain(data).collect())
}

/// The bundle as one zip file, for a download: the files of [`bundle_files`] in a folder
/// `folder`. Dated 1980-01-01 inside, as zip tools do when told nothing: the same figures give the
/// same bytes.
pub fn bundle_zip(figures: &BundleFigures<'_>, folder: &str) -> Result<Vec<u8>, PublishError> {
    use std::io::Write as _;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in bundle_files(figures)? {
        zip.start_file(format!("{folder}/{name}"), options)?;
        zip.write_all(&bytes)
            .map_err(|e| PublishError::Zip(zip::result::ZipError::Io(e)))?;
    }
    Ok(zip.finish()?.into_inner())
}
