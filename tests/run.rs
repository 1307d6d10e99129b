//! End-to-end test of the batch as an operator runs it: `dossiers check` and `dossiers run` on a
//! copy of pipelines/nightly.toml whose outputs go to a temporary folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn dossiers(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// The nightly pipeline with its outputs moved under `dir`.
fn nightly_in(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(root().join("pipelines/nightly.toml")).unwrap();
    let out = dir.display().to_string();
    let text = text.replace("\"out/nightly/", &format!("\"{out}/"));
    assert!(
        text.contains(&out),
        "nightly.toml has no out/nightly/ outputs"
    );
    let path = dir.join("nightly.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_second_run_over_unchanged_input_extracts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = nightly_in(dir.path());
    let pipeline = pipeline.to_str().unwrap();

    let first = dossiers(&["run", pipeline]);
    let first_out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{first_out}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        first_out.contains("10 new, 0 changed, 0 unchanged"),
        "{first_out}"
    );
    assert!(first_out.contains("files: 20 ok"), "{first_out}");

    let second = dossiers(&["run", pipeline]);
    let second_out = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{second_out}");
    assert!(
        second_out.contains("0 new, 0 changed, 10 unchanged"),
        "{second_out}"
    );
    assert!(second_out.contains("files: none extracted"), "{second_out}");

    let index = dir.path().join("index");
    let search = dossiers(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--json",
        "atelier",
    ]);
    assert!(
        search.status.success(),
        "{}",
        String::from_utf8_lossy(&search.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert!(found["total"].as_u64().unwrap() >= 1, "{found}");
}

#[test]
fn check_accepts_the_shipped_pipelines_and_points_at_a_bad_line() {
    let shipped = dossiers(&[
        "check",
        "pipelines/nightly.toml",
        "pipelines/wave-import.toml",
    ]);
    assert!(
        shipped.status.success(),
        "{}",
        String::from_utf8_lossy(&shipped.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "version = 1\nworkers_count = 2\n").unwrap();
    let output = dossiers(&["check", bad.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.toml:2:1: unknown field `workers_count`"),
        "{stderr}"
    );
}

/// Kills `dossiers run` with SIGKILL at spread-out moments, then lets a run complete: the index
/// must open, and hold every dossier exactly once.
#[test]
fn a_run_killed_at_any_moment_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = nightly_in(dir.path());
    let pipeline = pipeline.to_str().unwrap();
    // Time one complete run (in another folder), then kill at 12 moments spread over its first
    // 40 %: the shipped pipeline commits once, at the end, so every such kill lands mid-run and
    // the next run starts from the last commit (dossiers-pipeline's own crash test also kills
    // between commits).
    let probe = tempfile::tempdir().unwrap();
    let probe_pipeline = nightly_in(probe.path());
    let started = std::time::Instant::now();
    assert!(
        dossiers(&["run", probe_pipeline.to_str().unwrap()])
            .status
            .success()
    );
    let full_run = started.elapsed();
    let mut killed_mid_run = 0;
    for round in 1..=12u32 {
        let delay = full_run * round / 30;
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossiers"))
            .args(["run", pipeline])
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix; an error only means it had already finished
        let status = child.wait().unwrap();
        if std::os::unix::process::ExitStatusExt::signal(&status) == Some(9) {
            killed_mid_run += 1;
        }
    }
    // Otherwise the test proves nothing: the runs must really have been cut.
    assert!(
        killed_mid_run >= 10,
        "only {killed_mid_run} runs were killed before they ended"
    );
    let last = dossiers(&["run", pipeline]);
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stdout)
    );
    let index = dir.path().join("index");
    let export = dossiers(&[
        "export",
        "--index",
        index.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&export.stdout)
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            row["dossier_id"].as_str().unwrap().to_owned()
        })
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "duplicated dossiers: {ids:?}");
    assert_eq!(unique.len(), 10, "{unique:?}");
    // And a further run finds nothing to do.
    let again = dossiers(&["run", pipeline]);
    let again_out = String::from_utf8_lossy(&again.stdout);
    assert!(
        again_out.contains("0 new, 0 changed, 10 unchanged"),
        "{again_out}"
    );
}

#[test]
fn logs_can_be_json_lines_for_cron() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = nightly_in(dir.path());
    let output = Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(["run", pipeline.to_str().unwrap(), "--log-format", "json"])
        .env("DOSSIERS_LOG", "info")
        .current_dir(root())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(!lines.is_empty(), "no log line at info level");
    for line in lines {
        let event: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(event["level"].is_string(), "{line}");
    }
}
