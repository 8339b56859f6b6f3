//! `dakwacht export`: the stored cases as an interchange CSV or XLSX file.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use dakwacht_app::{Acting, Store, Written, create_private};
use dakwacht_core::{Case, CaseFilter, ChildRow};
use dakwacht_interchange::{CsvCaseWriter, CsvChildWriter, CsvStyle, XlsxCaseWriter};
use tokio::sync::mpsc;

use crate::FileFormatArg;

pub async fn run<S: Store>(
    acting: &Acting<S>,
    format: FileFormatArg,
    style: CsvStyle,
    output: Option<&Path>,
    children: Option<&Path>,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    if matches!(format, FileFormatArg::Xlsx) && output.is_none() {
        anyhow::bail!("an XLSX export needs --output FILE");
    }
    // A workbook holds the children itself (the sheet `kinderen`); a separate children file is
    // CSV, and a name that promises a workbook would hold CSV.
    if let Some(path) = children {
        if matches!(format, FileFormatArg::Xlsx) {
            anyhow::bail!(
                "{}: an XLSX export writes the children as the sheet 'kinderen' of the workbook; leave out --children",
                path.display()
            );
        }
        if dakwacht_interchange::FileFormat::from_path(path)
            != Some(dakwacht_interchange::FileFormat::Csv)
        {
            anyhow::bail!(
                "{}: the children file is written as CSV; give it a name ending in .csv",
                path.display()
            );
        }
    }
    let extra = acting.export_columns(filter).await?;
    let (sender, receiver) = mpsc::channel::<Vec<Case>>(4);
    let label = match format {
        FileFormatArg::Csv => "csv",
        FileFormatArg::Xlsx => "xlsx",
    };
    // The whole file is written, finished and flushed before the export is recorded as done.
    let to = Destination {
        extra,
        style,
        output,
    };
    let writing = async {
        let written = match format {
            FileFormatArg::Csv => write_csv(receiver, to).await,
            FileFormatArg::Xlsx => write_xlsx(receiver, to, (acting, filter)).await,
        };
        match written {
            Ok(()) => Written::Whole,
            Err(error) => Written::Failed(format!("{error:#}")),
        }
    };
    acting.export(filter, label, sender, writing).await?;
    if let Some(path) = children {
        export_children(acting, style, path, filter).await?;
    }
    Ok(())
}

/// Writes the children file of the selected cases (CSV).
async fn export_children<S: Store>(
    acting: &Acting<S>,
    style: CsvStyle,
    path: &Path,
    filter: &CaseFilter,
) -> anyhow::Result<()> {
    let extra = acting.export_child_columns(filter).await?;
    let (sender, receiver) = mpsc::channel::<Vec<ChildRow>>(4);
    let writing = async {
        let written = async {
            // Children's records: readable by the owner only.
            let file = create_private(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut writer = CsvChildWriter::new(std::io::BufWriter::new(file), extra, style)?;
            drain(receiver, |row| Ok(writer.write(row)?)).await?;
            writer.finish()?.flush()?;
            anyhow::Ok(())
        };
        match written.await {
            Ok(()) => Written::Whole,
            Err(error) => Written::Failed(format!("{error:#}")),
        }
    };
    acting
        .export_children(filter, "csv", sender, writing)
        .await?;
    Ok(())
}

/// Writes every batch as it arrives. The receiver is owned here, so that a write error drops it
/// and the store stops sending.
async fn drain<T>(
    mut receiver: mpsc::Receiver<Vec<T>>,
    mut write: impl FnMut(&T) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    while let Some(batch) = receiver.recv().await {
        for record in &batch {
            write(record)?;
        }
    }
    Ok(())
}

/// Where cases go, as they come from the store.
type Batches = mpsc::Receiver<Vec<Case>>;

/// Where an export goes and how it looks: the free columns the cases have, the style, and the
/// file (standard output when none).
struct Destination<'a> {
    extra: Vec<String>,
    style: CsvStyle,
    output: Option<&'a Path>,
}

async fn write_csv(receiver: Batches, to: Destination<'_>) -> anyhow::Result<()> {
    let out: Box<dyn Write + Send> = match to.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            // Case data: readable by the owner only.
            create_private(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut writer = CsvCaseWriter::new(out, to.extra, to.style)?;
    drain(receiver, |case| Ok(writer.write(case)?)).await?;
    writer.finish()?.flush()?;
    Ok(())
}

/// A workbook has no delimiter; of the style only the labels row counts. The children of the
/// selected cases follow on the sheet `kinderen` (their own export, audited as such), and the
/// workbook is written only when both are whole.
async fn write_xlsx<S: Store>(
    receiver: Batches,
    to: Destination<'_>,
    (acting, filter): (&Acting<S>, &CaseFilter),
) -> anyhow::Result<()> {
    let path = to.output.context("an XLSX export needs --output FILE")?;
    // Rows go to the workbook's temporary sheet file as the store's batches arrive; only the
    // workbook being zipped at the end touches `path`.
    let mut writer = XlsxCaseWriter::new(to.extra, to.style.labels)?;
    drain(receiver, |case| Ok(writer.write(case)?)).await?;
    // Readable by the owner only: an export holds case data. Made before the children are
    // read, so that a workbook that cannot be written does not record their export as done.
    let file = create_private(path).with_context(|| format!("cannot create {}", path.display()))?;
    let extra = acting.export_child_columns(filter).await?;
    writer.start_children(extra, to.style.labels)?;
    let (sender, children) = mpsc::channel::<Vec<ChildRow>>(4);
    let mut failed = None;
    let writing = async {
        match drain(children, |row| Ok(writer.write_child(row)?)).await {
            Ok(()) => Written::Whole,
            Err(error) => {
                let message = format!("{error:#}");
                failed = Some(error);
                Written::Failed(message)
            }
        }
    };
    acting
        .export_children(filter, "xlsx", sender, writing)
        .await?;
    if let Some(error) = failed {
        return Err(error);
    }
    let mut file = std::io::BufWriter::new(file);
    writer
        .finish(&mut file)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
