//! Every `.rtf` of the shared real-world corpus (`../shared/corpus` beside the checkout) must come
//! back quickly without a panic: normal files with text, hostile ones with a typed error or
//! bounded text. The two applications of `../shared/dossiers-2` that are RTF named `.doc` must
//! give their letter and their table. Mutated copies of the committed fixtures must never panic
//! or hang. The shared parts are skipped with a message when the folder is absent.

// Test helpers outside #[test] functions may index and unwrap: a panic is a failed test.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossiers_document::{Block, Limits, StoryKind, render_text};
use dossiers_rtf::read_rtf;

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
    let files = files_in(&shared.join("corpus/files/rtf"), "rtf");
    assert!(!files.is_empty());
    for path in files {
        let name = format!("rtf/{}", path.file_name().unwrap().to_string_lossy());
        let bytes = std::fs::read(&path).unwrap();
        let started = Instant::now();
        let result = read_rtf(&bytes, &Limits::default());
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(2), "{name} took {elapsed:?}");
        if hostile.contains(&name) {
            if let Ok(document) = &result {
                assert!(document.n_chars() <= bytes.len(), "{name}");
            }
        } else {
            let document = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(document.has_text(), "{name} has no text");
        }
    }
}

#[test]
fn applications_that_are_rtf_named_doc() {
    let Some(shared) = shared() else { return };
    let cases = [
        (
            "dossiers-2/ami-2006/lettre_candidature.doc",
            "SIRET : 355460197 00013",
        ),
        (
            "dossiers-2/ami-2012/Candidature_Langres_2022.doc",
            "SIRET 803 306 794 00022",
        ),
    ];
    for (path, phrase) in cases {
        let Ok(bytes) = std::fs::read(shared.join(path)) else {
            eprintln!("skipped: {path} is absent");
            continue;
        };
        let document =
            read_rtf(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
        let text = render_text(&document, Default::default());
        assert!(text.contains(phrase), "{path}: {phrase} missing");
        assert!(text.contains("Manufactures de proximité"), "{path}");
        assert!(!text.contains("\\'"), "{path}: an escape leaked");
        assert!(
            !text.contains("Times New Roman"),
            "{path}: the font table leaked"
        );
    }
    // The table layout (« Rubrique | Réponse ») comes out as a table.
    if let Ok(bytes) = std::fs::read(shared.join(cases[1].0)) {
        let document = read_rtf(&bytes, &Limits::default()).unwrap();
        let body = document.stories_of(StoryKind::Body).next().unwrap();
        let table = body
            .blocks
            .iter()
            .find_map(|block| match block {
                Block::Table(table) => Some(table),
                _ => None,
            })
            .expect("a table");
        assert!(table.rows.len() > 10);
        assert_eq!(table.rows[0].cells[0].text, "Rubrique");
    }
}

/// Flips bytes of each fixture at pseudo-random places (a fixed xorshift seed, so failures
/// reproduce) and reads the result: any outcome but a panic or a hang is fine.
#[test]
fn mutated_fixtures_never_panic() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rtf");
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
    const SPECIAL: &[u8] = b"{}\\'*0123456789abcdefu ";
    let files = files_in(&fixtures, "rtf");
    assert!(files.len() >= 8, "fixtures/rtf is missing files");
    for path in files {
        let original = std::fs::read(&path).unwrap();
        for round in 0..120u32 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() as usize) % bytes.len();
                // Mostly RTF syntax, so that the mutations reach the interpreter.
                bytes[at] = if next() % 4 == 0 {
                    next() as u8
                } else {
                    SPECIAL[(next() as usize) % SPECIAL.len()]
                };
            }
            if round.is_multiple_of(10) {
                bytes.truncate((next() as usize) % bytes.len());
            }
            let started = Instant::now();
            let _ = read_rtf(&bytes, &limits);
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "{} round {round} hung",
                path.display()
            );
        }
    }
}
