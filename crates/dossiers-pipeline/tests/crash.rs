//! kill -9 a real run at a dozen moments and check, after each kill, that the index opens and
//! agrees with the state store, and, once a run completes, that every dossier is there once and
//! a further run finds nothing to do. The index is a JSON file with an atomic commit (see the
//! `pipeline-test-run` binary); the same protocol drives tantivy's commit.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

const PIPELINE: &str = r#"version = 1
[[source]]
kind = "folder"
path = "dossiers"
[[source]]
kind = "ds_export"
path = "ds/dossiers_manufactures-de-proximite_2022-04-15_08-00.zip"
[calendar]
time_zone = "Europe/Paris"
[[calendar.wave]]
number = 2
closes = "2022-01-13T12:00:00"
[workers]
count = 2
[output]
index = "out/index"
state = "out/state.sqlite"
reports = "out/reports"
quarantine = "out/quarantine"
"#;

/// The dossier ids the index file holds.
fn indexed(index: &Path) -> BTreeSet<String> {
    let Ok(bytes) = std::fs::read(index) else {
        return BTreeSet::new();
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("the index opens");
    value["dossiers"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn last_commit_of(index: &Path) -> Option<String> {
    let bytes = std::fs::read(index).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).expect("the index opens");
    value["last_commit"].as_str().map(str::to_string)
}

fn run(base: &Path, slow_ms: u64, version: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_pipeline-test-run"))
        .args([
            base.join("pipeline.toml").to_str().unwrap(),
            base.to_str().unwrap(),
            base.join("index.json").to_str().unwrap(),
        ])
        .env("SLOW_COMMIT_MS", slow_ms.to_string())
        .env("NORMALIZER_VERSION", version)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_9_at_random_moments_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    copy_dir(&fixtures.join("dossiers"), &base.join("dossiers"));
    copy_dir(&fixtures.join("ds-export"), &base.join("ds"));
    std::fs::write(base.join("pipeline.toml"), PIPELINE).unwrap();
    let index = base.join("index.json");

    // How long a run that re-does everything takes here: the kills are spread over it. This
    // is calibration, not an assertion.
    let started = std::time::Instant::now();
    let calibration = run(base, 120, "calibration").wait_with_output().unwrap();
    assert!(calibration.status.success());
    let full = started.elapsed();

    // A fixed sequence of kill moments (a small LCG), so a failure can be replayed.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut kills = 0;
    let mut killed_after_a_commit = 0;
    let mut last_commit = last_commit_of(&index);
    for round in 0..12 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let fraction = 0.05 + ((seed >> 33) % 550) as f64 / 1000.0;
        let delay = full.mul_f64(fraction);
        // Add a dossier between some rounds, so that kills also land on a run with a new one.
        if round == 6 {
            copy_dir(
                &base.join("dossiers/gen-0001"),
                &base.join("dossiers/gen-0101"),
            );
        }
        // A new normaliser version every round: each run has every dossier to re-do and six
        // slow commits, so each kill lands mid-run, before, inside or between commits.
        let mut child = run(base, 120, &format!("round {round}"));
        std::thread::sleep(delay);
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        }
        child.wait().unwrap();
        // Whatever the moment, the index opens (a torn file would not parse).
        let _ = indexed(&index);
        let now = last_commit_of(&index);
        if killed && now != last_commit {
            killed_after_a_commit += 1;
        }
        last_commit = now;
    }
    assert!(kills >= 10, "only {kills} runs were killed mid-way");
    assert!(
        killed_after_a_commit >= 3,
        "only {killed_after_a_commit} kills fell after a commit of their run"
    );

    // A run to the end, then one that must find nothing to do.
    let complete = run(base, 0, "final").wait_with_output().unwrap();
    assert!(
        complete.status.success(),
        "{}",
        String::from_utf8_lossy(&complete.stdout)
    );
    let expected: BTreeSet<String> = [
        "gen-0001",
        "gen-0002",
        "gen-0003",
        "gen-0004",
        "gen-0005",
        "gen-0006",
        "gen-0101",
        "dossier-7099874",
        "dossier-7104321",
        "dossier-7104388",
        "dossier-7215002",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(indexed(&index), expected);

    let again = run(base, 0, "final").wait_with_output().unwrap();
    let summary = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success(), "{summary}");
    assert!(
        summary.contains("dossiers: 0 new, 0 changed, 11 unchanged, 0 removed"),
        "{summary}"
    );

    // The state store agrees with the index, dossier by dossier.
    let conn = rusqlite::Connection::open(base.join("out/state.sqlite")).unwrap();
    let mut query = conn
        .prepare("SELECT dossier_id, record_hash FROM dossiers")
        .unwrap();
    let stored: BTreeMap<String, Option<String>> = query
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(stored.keys().cloned().collect::<BTreeSet<_>>(), expected);
    let index_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&index).unwrap()).unwrap();
    for (id, hash) in stored {
        assert_eq!(
            index_json["dossiers"][&id][0].as_str(),
            hash.as_deref(),
            "{id}: the index and the store disagree"
        );
    }
}
