//! `dakwacht subject export|erase` (a family's request under the AVG about its case) and
//! `dakwacht publications` (what was published, kept as it was).

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use dakwacht_app::{Acting, Error, Store, create_private};

/// ORGANISATION/CASE_REF, split.
fn case_of(case: &str) -> anyhow::Result<(&str, &str)> {
    match case.split_once('/') {
        Some((organisation, case_ref)) if !organisation.is_empty() && !case_ref.is_empty() => {
            Ok((organisation, case_ref))
        }
        _ => bail!("--case must be ORGANISATION/REFERENCE, not '{case}'"),
    }
}

fn not_found(error: Error, case: &str) -> anyhow::Error {
    match error {
        Error::NotFound => anyhow::anyhow!("there is no case {case}"),
        other => other.into(),
    }
}

pub async fn export<S: Store>(
    acting: &Acting<S>,
    case: &str,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let (organisation, case_ref) = case_of(case)?;
    let everything = acting
        .subject_export(organisation, case_ref)
        .await
        .map_err(|e| not_found(e, case))?;
    let mut file =
        create_private(output).with_context(|| format!("cannot create {}", output.display()))?;
    serde_json::to_writer_pretty(&mut file, &everything)?;
    file.write_all(b"\n")?;
    println!("Everything kept about {case} is in {}.", output.display());
    Ok(ExitCode::SUCCESS)
}

pub async fn erase<S: Store>(
    acting: &Acting<S>,
    case: &str,
    reason: &str,
    yes: bool,
) -> anyhow::Result<ExitCode> {
    let (organisation, case_ref) = case_of(case)?;
    if reason.trim().is_empty() {
        bail!("give --reason: why the case is erased, for the audit log (no personal data)");
    }
    if !yes {
        eprintln!(
            "This erases {case} and everything kept with it, and cannot be undone. \
             Write it out first with `dakwacht subject export` if the family asked for it; \
             then add --yes."
        );
        return Ok(ExitCode::FAILURE);
    }
    let erased = acting
        .erase_case(organisation, case_ref, reason.trim())
        .await
        .map_err(|e| not_found(e, case))?;
    println!(
        "{case} is erased, with {} observation(s), {} child record(s), {} assessment(s) and {} history entries.",
        erased.observations, erased.children, erased.assessments, erased.history_entries
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn publications<S: Store>(
    acting: &Acting<S>,
    show: Option<i64>,
) -> anyhow::Result<ExitCode> {
    if let Some(id) = show {
        let (_, figures) = acting.published_figures(id).await.map_err(|e| match e {
            Error::NotFound => anyhow::anyhow!("there is no publication {id}"),
            other => other.into(),
        })?;
        println!("{figures}");
        return Ok(ExitCode::SUCCESS);
    }
    let kept = acting.publications().await?;
    if kept.is_empty() {
        println!("No publication bundle was made yet.");
    }
    for publication in kept {
        println!(
            "{:>5}  {}  {:<24}  {}  sha256:{}",
            publication.id,
            publication.made_at,
            publication.made_by,
            publication.scope,
            publication.figures_sha256
        );
    }
    Ok(ExitCode::SUCCESS)
}
