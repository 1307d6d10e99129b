//! Every `.doc` of the shared real-world corpus (`../shared/corpus` beside the checkout) and of
//! the sample dossiers must come back quickly without a panic: normal files with text, hostile
//! ones with a typed error. Mutated copies of the fixtures must never panic either. Skipped with
//! a message when the shared folder is absent.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossiers_doc::read_doc;
use dossiers_document::{Block, Limits, StoryKind};

fn shared() -> Option<PathBuf> {
    let path = std::env::var_os("SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    if path.join("corpus").is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: no shared corpus at {}", path.display());
        None
    }
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    path.extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The corpus manifest's `kind` column, by local name.
fn hostile_names(shared: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(shared.join("corpus/MANIFEST.tsv")).unwrap_or_default();
    manifest
        .lines()
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            (columns.get(5) == Some(&"hostile")).then(|| columns[0].to_owned())
        })
        .collect()
}

#[test]
fn every_corpus_file_returns_quickly() {
    let Some(shared) = shared() else { return };
    let hostile = hostile_names(&shared);
    let files = files_in(&shared.join("corpus/files/doc"), "doc");
    assert!(!files.is_empty());
    for path in files {
        let name = format!("doc/{}", path.file_name().unwrap().to_string_lossy());
        let bytes = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let result = read_doc(&bytes, &Limits::default());
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(2), "{name} took {elapsed:?}");
        if hostile.contains(&name) {
            // Hostile files either fail with a typed error or (an empty body with a big
            // embedded object) come back without runaway text.
            if let Ok(document) = &result {
                assert!(document.n_chars() < 10_000, "{name}");
            }
        } else {
            let document = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(document.has_text(), "{name} has no text");
        }
    }
}

#[test]
fn sample_dossiers_read_in_french_with_tables() {
    let Some(shared) = shared() else { return };
    let mut n_files = 0;
    let mut dossiers: Vec<PathBuf> = std::fs::read_dir(shared.join("dossiers"))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dossiers.sort();
    for dossier in dossiers {
        for path in files_in(&dossier, "doc") {
            n_files += 1;
            let bytes = std::fs::read(&path).unwrap();
            let document = read_doc(&bytes, &Limits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let body = document.stories_of(StoryKind::Body).next().unwrap();
            let texts: Vec<&str> = body.blocks.iter().filter_map(Block::text).collect();
            assert!(
                texts.contains(&"DOSSIER DE CANDIDATURE"),
                "{}",
                path.display()
            );
            assert!(
                body.blocks.iter().any(|b| matches!(b, Block::Table(_))),
                "{} has no table",
                path.display()
            );
            assert!(
                body.blocks
                    .iter()
                    .any(|b| matches!(b, Block::Heading { level: Some(1), .. })),
                "{} has no heading",
                path.display()
            );
        }
    }
    assert!(n_files > 0, "no sample .doc found");
}

/// Flips bytes of each fixture at pseudo-random places (a fixed xorshift seed, so failures
/// reproduce) and reads the result: any outcome but a panic or a hang is fine.
#[test]
fn mutated_fixtures_never_panic() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/doc");
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let limits = Limits {
        max_duration: Duration::from_secs(2),
        ..Limits::default()
    };
    for path in files_in(&fixtures, "doc") {
        let original = std::fs::read(&path).unwrap();
        for round in 0..400u32 {
            let mut bytes = original.clone();
            // Past the 512-byte CFB header most of the time, so that the Word structures
            // rather than the container get mangled.
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % bytes.len();
                bytes[at] = next() as u8;
            }
            if round.is_multiple_of(10) {
                bytes.truncate((next() as usize) % bytes.len());
            }
            let started = Instant::now();
            let _ = read_doc(&bytes, &limits);
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{} round {round} hung",
                path.display()
            );
        }
    }
}
