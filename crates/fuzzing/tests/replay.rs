#![allow(clippy::unwrap_used)] // tests fail loudly on purpose
//! Every input kept for a fuzz target runs through it again, as a normal test: the hand-written
//! seeds and every input that once crashed a target (`fuzz/seeds/TARGET/`), and what the fuzzing
//! runs found (`fuzz/corpus/TARGET.zip`, the smallest set that reaches the same code). What was
//! fixed stays fixed.

use std::io::Read as _;
use std::path::PathBuf;

const FUZZ: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz");

/// The inputs of a target: its seeds, then its corpus.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let seeds = PathBuf::from(FUZZ).join("seeds").join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("{}: {e}", seeds.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| (path.display().to_string(), std::fs::read(&path).unwrap()))
        .collect();
    let corpus = PathBuf::from(FUZZ)
        .join("corpus")
        .join(format!("{target}.zip"));
    if let Ok(file) = std::fs::File::open(&corpus) {
        let mut zip = zip::ZipArchive::new(file).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            let name = format!("{}:{}", corpus.display(), entry.name().unwrap());
            inputs.push((name, data));
        }
    }
    inputs
}

#[test]
fn every_target_replays_its_seeds_and_corpus_without_a_panic() {
    let targets = dakwacht_fuzzing::targets();
    assert_eq!(targets.len(), 7, "every target, with feature `heavy`");
    for (target, run) in targets {
        let inputs = inputs(target);
        assert!(!inputs.is_empty(), "{target} has no seeds");
        for (name, data) in inputs {
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {name} panics");
        }
    }
}
