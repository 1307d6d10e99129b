//! Writes `fixtures/index-v<FORMAT>/`: the bundled sample dossiers (fixtures/dossiers),
//! normalised and indexed by this version, committed so that later versions prove they still
//! open it (tests/compat.rs). Run it only when the index format changes:
//!
//! ```sh
//! cargo run -p dossiers-index --example build-fixture-index
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use dossiers_index::{DossierIndex, version};
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = root.join(format!("fixtures/index-v{}", version::FORMAT));
    let kept: Vec<(&str, Vec<u8>)> = ["README.md", ".gitignore"]
        .into_iter()
        .filter_map(|name| Some((name, std::fs::read(out.join(name)).ok()?)))
        .collect();
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("removing the old fixture");
    }
    let index = DossierIndex::create_or_open(&out).expect("creating the fixture index");
    let mut writer = index.writer().expect("the writer");
    let options = NormalizeOptions::default();
    for dir in find_dossiers(&root.join("fixtures/dossiers")) {
        let record = normalize_dossier(&dir, &options);
        writer.upsert(&record, "").expect("upsert");
    }
    let report = writer
        .commit(&format!("fixture-v{}", version::FORMAT))
        .expect("commit");
    for (name, bytes) in kept {
        std::fs::write(out.join(name), bytes).expect("restoring a kept file");
    }
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(out.join(lock));
    }
    println!("{} dossiers written to {}", report.upserted, out.display());
}
