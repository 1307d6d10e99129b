//! Damaged inputs must come back as a document or a typed error, never a panic or a hang: the
//! committed fixtures cut at many points and with bytes flipped, both in the zip and inside the
//! main XML part.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossiers_document::{Document, Limits, Result};

fn fixture(path: &str) -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    std::fs::read(root.join(path)).unwrap()
}

/// A small deterministic generator, so that a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn survives(read: fn(&[u8], &Limits) -> Result<Document>, bytes: &[u8]) {
    let limits = Limits::default();
    let started = Instant::now();
    let _ = read(bytes, &limits);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "too slow on a damaged input"
    );
}

fn damage_the_zip(read: fn(&[u8], &Limits) -> Result<Document>, bytes: &[u8]) {
    for cut in (0..bytes.len()).step_by(bytes.len() / 120 + 1) {
        survives(read, &bytes[..cut]);
    }
    let mut random = Lcg(7);
    for _ in 0..100 {
        let mut copy = bytes.to_vec();
        for _ in 0..1 + random.next() % 4 {
            let at = (random.next() as usize) % copy.len();
            copy[at] ^= 1 << (random.next() % 8);
        }
        survives(read, &copy);
    }
}

/// Re-zips the package with its main XML part cut or altered.
fn damage_the_xml(read: fn(&[u8], &Limits) -> Result<Document>, bytes: &[u8], part: &str) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries: Vec<(String, String)> = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        entries.push((
            entry.name().unwrap().into_owned(),
            String::from_utf8_lossy(&content).into_owned(),
        ));
    }
    let xml = entries
        .iter()
        .find(|(name, _)| name == part)
        .unwrap()
        .1
        .clone();
    let rezip = |xml: &str| {
        let parts: Vec<(&str, &str)> = entries
            .iter()
            .map(|(name, content)| {
                (
                    name.as_str(),
                    if name == part { xml } else { content.as_str() },
                )
            })
            .collect();
        // Stored: deflating hundreds of variants would be most of the test's time.
        common::zip_with(&parts, zip::CompressionMethod::Stored)
    };
    let boundaries: Vec<usize> = (0..xml.len())
        .filter(|i| xml.is_char_boundary(*i))
        .collect();
    for cut in boundaries.iter().step_by(boundaries.len() / 80 + 1) {
        survives(read, &rezip(&xml[..*cut]));
    }
    let mut random = Lcg(11);
    let markup = ['<', '>', '/', '"', '&', ';', '='];
    for _ in 0..60 {
        let mut altered: Vec<char> = xml.chars().collect();
        for _ in 0..1 + random.next() % 3 {
            let at = (random.next() as usize) % altered.len();
            altered[at] = markup[(random.next() as usize) % markup.len()];
        }
        survives(read, &rezip(&altered.into_iter().collect::<String>()));
    }
}

#[test]
fn damaged_docx_never_panics() {
    let bytes = fixture("docx/features-libreoffice.docx");
    damage_the_zip(dossiers_word::read_docx, &bytes);
    damage_the_xml(dossiers_word::read_docx, &bytes, "word/document.xml");
    damage_the_xml(dossiers_word::read_docx, &bytes, "word/styles.xml");
    damage_the_xml(dossiers_word::read_docx, &bytes, "word/numbering.xml");
    damage_the_xml(dossiers_word::read_docx, &bytes, "word/footnotes.xml");
}

#[test]
fn damaged_odt_never_panics() {
    let bytes = fixture("odt/features.odt");
    damage_the_zip(dossiers_word::read_odt, &bytes);
    damage_the_xml(dossiers_word::read_odt, &bytes, "content.xml");
    damage_the_xml(dossiers_word::read_odt, &bytes, "styles.xml");
}
