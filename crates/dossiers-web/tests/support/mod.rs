//! A small site for the tests: the bundled sample dossiers copied to a temporary folder,
//! normalised and indexed there, an accounts file with one account, and the server's state.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossiers_index::DossierIndex;
use dossiers_model::Record;
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};
use dossiers_pipeline::config::{RunLimits, Source};
use dossiers_web::hashing::PasswordPool;
use dossiers_web::originals::Originals;
use dossiers_web::{AppState, ServeOptions, Shared};

pub const USER: &str = "claire";
pub const PASSWORD: &str = "un mot de passe de test";

#[allow(dead_code)]
pub struct Site {
    pub dir: tempfile::TempDir,
    pub state: Shared,
    pub dossiers: PathBuf,
    pub index: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dossiers")
}

/// Indexes the sample dossiers (gen-0001 … gen-0006) into a fresh index.
pub fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    copy_dir(&fixtures(), &dossiers);
    let records: Vec<Record> = find_dossiers(&dossiers)
        .iter()
        .map(|folder| normalize_dossier(folder, &NormalizeOptions::default()))
        .collect();
    site_in(dir, dossiers, &records, PasswordPool::default())
}

/// A site over the given records (no original files).
#[allow(dead_code)]
pub fn site_of(records: &[Record]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    std::fs::create_dir_all(&dossiers).unwrap();
    site_in(dir, dossiers, records, PasswordPool::default())
}

/// An empty site whose logins go through `pool`.
#[allow(dead_code)]
pub fn site_with_pool(pool: PasswordPool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    std::fs::create_dir_all(&dossiers).unwrap();
    site_in(dir, dossiers, &[], pool)
}

fn site_in(
    dir: tempfile::TempDir,
    dossiers: PathBuf,
    records: &[Record],
    pool: PasswordPool,
) -> Site {
    let index_path = dir.path().join("index");
    let index = DossierIndex::create_or_open(&index_path).unwrap();
    let mut writer = index.writer().unwrap();
    for record in records {
        writer.upsert(record, "").unwrap();
    }
    writer.commit("test-site").unwrap();
    drop(index);

    let accounts = dir.path().join("users");
    dossiers_web::auth::add_user(&accounts, USER, PASSWORD).unwrap();
    let mut state = AppState::open(ServeOptions {
        index: index_path.clone(),
        accounts,
        originals: Originals::new(
            vec![Source::Folder {
                path: dossiers.clone(),
            }],
            RunLimits::default(),
        ),
        secure_cookies: false,
    })
    .unwrap();
    state.passwords = pool;
    Site {
        dir,
        state: Arc::new(state),
        dossiers,
        index: index_path,
    }
}
