//! `dakwacht report publish`: the publication bundle of one selection (publication spec §3),
//! written into a folder.

use std::path::Path;

use anyhow::Context as _;
use dakwacht_app::{Acting, Store};
use dakwacht_core::{CaseFilter, Lang};
use dakwacht_rules::RuleSet;
use dakwacht_stats::disclosure::Policy;

/// Counts, protects and writes the bundle; prints what it wrote and what the policy held back.
pub async fn publish<S: Store>(
    acting: &Acting<S>,
    rules: &RuleSet,
    policy: &Policy,
    filter: &CaseFilter,
    output: &Path,
    lang: Lang,
) -> anyhow::Result<()> {
    let publication = acting
        .bundle(filter.clone(), rules, policy, "report publish", lang)
        .await?;
    let files = dakwacht_publish::bundle_files(&publication.bundle_figures(policy))?;
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot make the folder {}", output.display()))?;
    for (name, bytes) in files {
        let path = output.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    println!("{}", publication.summary.sentence(lang));
    if let Some((id, sha256)) = &publication.kept {
        println!(
            "Kept as publication {id} (figures SHA-256 {sha256}): `dakwacht publications --show {id}`"
        );
    }
    Ok(())
}
