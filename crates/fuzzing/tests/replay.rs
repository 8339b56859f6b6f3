#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Every input kept in `fuzz/corpus/TARGET/` (what the fuzzing runs found interesting, and every
//! input that once crashed a target) runs through its target again, as a normal test: what was
//! fixed stays fixed.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<PathBuf> {
    let folder =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus")).join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_has_a_corpus_and_replays_it_without_a_panic() {
    let targets = dakwacht_fuzzing::targets();
    assert_eq!(targets.len(), 7, "every target, with feature `heavy`");
    for (target, run) in targets {
        let files = corpus(target);
        assert!(!files.is_empty(), "fuzz/corpus/{target} is empty");
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panics", file.display());
        }
    }
}
