//! End-to-end tests of the index commands (`ingest`, `search`, `show`, `compare`, `similar`,
//! `stats`, `export`): run the binary as a user does, each test on its own temporary index.
//!
//! The checks of issue 4 run on the sample dossiers of `../shared/dossiers` (beside the
//! repository in CI); when that folder is absent they print why and pass. The other checks run
//! on the bundled `fixtures/dossiers`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shared_dossiers() -> Option<PathBuf> {
    let path = root().join("../shared/dossiers");
    if path.is_dir() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Runs `dossiers ARGS... --index INDEX`.
fn dossiers(index: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossiers"))
        .args(args)
        .arg("--index")
        .arg(index)
        .current_dir(root())
        .env_remove("DOSSIERS_INDEX")
        .output()
        .expect("the binary runs")
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn json(output: Output) -> Value {
    serde_json::from_str(&ok(output)).unwrap()
}

/// A fresh index holding the dossiers of `folder`.
fn ingested(folder: &Path) -> tempfile::TempDir {
    let index = tempfile::tempdir().unwrap();
    ok(dossiers(
        index.path(),
        &["ingest", "--quiet", folder.to_str().unwrap()],
    ));
    index
}

/// Every stored record, from `export --format jsonl`... flattened; the full records come from
/// `show --json`.
fn records(index: &Path) -> Vec<Value> {
    let rows = ok(dossiers(index, &["export", "--format", "jsonl"]));
    rows.lines()
        .map(|row| {
            let row: Value = serde_json::from_str(row).unwrap();
            let id = row["dossier_id"].as_str().unwrap();
            json(dossiers(index, &["show", id, "--json"]))
        })
        .collect()
}

#[test]
fn bail_emphyteotique_ranks_the_emphyteotic_leases_first() {
    let Some(sample) = shared_dossiers() else {
        return;
    };
    let index = ingested(&sample);
    let mut expected: Vec<String> = records(index.path())
        .iter()
        .filter(|r| r["land_control"]["status"] == "emphyteotic_lease")
        .map(|r| r["dossier_id"].as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let results = json(dossiers(
        index.path(),
        &["search", "bail emphytéotique", "--json", "--limit", "50"],
    ));
    let mut first: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .take(expected.len())
        .map(|hit| hit["dossier_id"].as_str().unwrap().to_owned())
        .collect();
    first.sort();
    assert_eq!(first, expected);
    let hit = &results["hits"][0];
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(
        hit["snippets"][0]["html"]
            .as_str()
            .unwrap()
            .contains("<b>emphytéotique</b>"),
        "{hit}"
    );
    assert_eq!(
        results["facets"]["land_control"][0]["value"],
        "emphyteotic_lease"
    );
}

#[test]
fn fonciere_without_accent_finds_fonciere_with_accent() {
    let Some(sample) = shared_dossiers() else {
        return;
    };
    let index = ingested(&sample);
    let with_accent: Vec<String> = records(index.path())
        .iter()
        .filter(|r| {
            r["sections"].as_array().into_iter().flatten().any(|s| {
                let title = s["title"].as_str().unwrap_or("");
                let text = s["text"].as_str().unwrap_or("");
                format!("{title} {text}")
                    .to_lowercase()
                    .contains("foncière")
            })
        })
        .map(|r| r["dossier_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!with_accent.is_empty());
    let results = json(dossiers(
        index.path(),
        &["search", "fonciere", "--json", "--limit", "100"],
    ));
    let found: Vec<&str> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["dossier_id"].as_str().unwrap())
        .collect();
    for id in &with_accent {
        assert!(
            found.contains(&id.as_str()),
            "{id} says « foncière » but was not found"
        );
    }
}

#[test]
fn stats_by_legal_form_for_wave_3_match_the_records() {
    let Some(sample) = shared_dossiers() else {
        return;
    };
    let index = ingested(&sample);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    for record in records(index.path()) {
        if record["wave"] == 3 {
            let form = record["legal_model"]["form"].as_str().unwrap().to_owned();
            *expected.entry(form).or_default() += 1;
        }
    }
    let stats = json(dossiers(
        index.path(),
        &[
            "stats",
            "--by",
            "legal_form",
            "--wave",
            "3",
            "--format",
            "json",
        ],
    ));
    assert_eq!(stats["by"], "legal_form");
    assert_eq!(stats["wave"], 3);
    let got: BTreeMap<String, u64> = stats["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            for key in [
                "budget_total",
                "budget_median",
                "subsidy_total",
                "subsidy_median",
                "subsidy_share_mean",
            ] {
                assert!(row.get(key).is_some(), "{key} missing in {row}");
            }
            (
                row["value"].as_str().unwrap().to_owned(),
                row["dossiers"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn compare_shows_different_legal_forms() {
    let Some(sample) = shared_dossiers() else {
        return;
    };
    let index = ingested(&sample);
    let all = records(index.path());
    let a = &all[0];
    let b = all
        .iter()
        .find(|r| r["legal_model"]["form"] != a["legal_model"]["form"])
        .unwrap();
    let (a_id, b_id) = (
        a["dossier_id"].as_str().unwrap(),
        b["dossier_id"].as_str().unwrap(),
    );
    let comparison = json(dossiers(
        index.path(),
        &["compare", a_id, b_id, "--format", "json"],
    ));
    let form = comparison["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "legal_model.form")
        .unwrap();
    assert_eq!(form["differs"], true);
    assert_eq!(form["values"][0], a["legal_model"]["form"]);
    assert_eq!(form["values"][1], b["legal_model"]["form"]);
    let table = ok(dossiers(index.path(), &["compare", a_id, b_id]));
    let line = table
        .lines()
        .find(|l| l.contains("Forme juridique"))
        .unwrap();
    assert!(line.starts_with('≠'), "{line}");
    // The table reads in French: the label, not the code (the JSON carries both).
    let label = form["labels"][0].as_str().unwrap();
    assert!(line.contains(label), "{line}");
    assert_ne!(label, a["legal_model"]["form"].as_str().unwrap());
}

#[test]
fn re_ingesting_leaves_the_number_of_dossiers_unchanged() {
    let Some(sample) = shared_dossiers() else {
        return;
    };
    let index = ingested(&sample);
    let count = |index: &Path| {
        ok(dossiers(index, &["export", "--format", "jsonl"]))
            .lines()
            .count()
    };
    let before = count(index.path());
    let output = dossiers(
        index.path(),
        &["ingest", "--quiet", sample.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    ok(output);
    assert_eq!(count(index.path()), before);
    assert!(
        stderr.contains(&format!("{before} dossiers in")),
        "{stderr}"
    );
    // The broken application is reported, and its dossier indexed anyway.
    assert!(stderr.contains("warning: ami-0008/"), "{stderr}");
    ok(dossiers(index.path(), &["show", "ami-0008"]));
}

#[test]
fn the_bundled_sample_goes_through_every_command() {
    let index = ingested(&root().join("fixtures/dossiers"));
    let dir = index.path();
    let out = tempfile::tempdir().unwrap();

    let text = ok(dossiers(dir, &["search", "atelier", "--limit", "2"]));
    assert!(text.contains("dossiers for « atelier »"), "{text}");
    let results = json(dossiers(
        dir,
        &["search", "atelier", "--filter", "wave=2", "--json"],
    ));
    for hit in results["hits"].as_array().unwrap() {
        assert_eq!(hit["wave"], 2);
    }
    // Sorted by subsidy, largest first, then smallest first (missing amounts last both ways).
    for (order, largest_first) in [("--descending", true), ("--ascending", false)] {
        let sorted = json(dossiers(
            dir,
            &["search", "", "--sort", "subvention", order, "--json"],
        ));
        let amounts: Vec<f64> = sorted["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|hit| hit["subsidy_requested"].as_f64())
            .collect();
        assert!(amounts.len() >= 2, "{sorted}");
        assert!(
            amounts.windows(2).all(|w| if largest_first {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }),
            "{order}: {amounts:?}"
        );
    }

    let similar = ok(dossiers(dir, &["similar", "gen-0001"]));
    assert!(!similar.contains("gen-0001\t"));

    let docx = out.path().join("comparaison.docx");
    ok(dossiers(
        dir,
        &[
            "compare",
            "gen-0001",
            "gen-0002",
            "--format",
            "docx",
            "--output",
            docx.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));

    let xlsx = out.path().join("stats.xlsx");
    ok(dossiers(
        dir,
        &[
            "stats",
            "--by",
            "region",
            "--wave",
            "all",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let csv = ok(dossiers(
        dir,
        &["stats", "--by", "sector", "--format", "csv"],
    ));
    assert!(csv.starts_with("sector,sector_label,dossiers,"), "{csv}");
    let excel = ok(dossiers(
        dir,
        &["stats", "--by", "sector", "--format", "csv", "--excel"],
    ));
    assert!(excel.starts_with("\u{feff}Filière;Dossiers;"), "{excel}");
    let crossed = json(dossiers(
        dir,
        &[
            "stats",
            "--by",
            "legal_form,land_control",
            "--format",
            "json",
        ],
    ));
    assert_eq!(
        crossed["by"],
        serde_json::json!(["legal_form", "land_control"])
    );
    assert_eq!(crossed["total"]["dossiers"], 6);
    let svg = ok(dossiers(
        dir,
        &["stats", "--by", "department", "--format", "svg"],
    ));
    assert!(svg.starts_with("<svg") && svg.contains("CC BY 4.0"));

    let exported = ok(dossiers(dir, &["export", "--format", "csv"]));
    assert_eq!(exported.lines().count(), 7, "{exported}");
    let wave_3 = ok(dossiers(
        dir,
        &["export", "--wave", "3", "--format", "jsonl"],
    ));
    let wave_3_count = json(dossiers(
        dir,
        &["stats", "--by", "wave", "--wave", "3", "--format", "json"],
    ))["total"]["dossiers"]
        .as_u64()
        .unwrap();
    assert_eq!(wave_3.lines().count() as u64, wave_3_count, "{wave_3}");
    for line in wave_3.lines() {
        let row: Value = serde_json::from_str(line).unwrap();
        assert_eq!(row["wave"], 3);
        assert!(row["legal_model.form_label"].is_string(), "{row}");
    }
    let flagged = ok(dossiers(
        dir,
        &[
            "export",
            "--filter",
            "flag=siret_missing",
            "--format",
            "csv",
            "--excel",
        ],
    ));
    assert!(flagged.starts_with("\u{feff}Dossier;"), "{flagged}");
    let fiche = out.path().join("fiche.docx");
    ok(dossiers(
        dir,
        &[
            "show",
            "gen-0001",
            "--format",
            "docx",
            "--output",
            fiche.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&fiche).unwrap().starts_with(b"PK"));
    let xlsx = out.path().join("dossiers.xlsx");
    ok(dossiers(
        dir,
        &[
            "export",
            "--format",
            "xlsx",
            "--output",
            xlsx.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    let sheet = ok(dossiers(dir, &["show", "gen-0003"]));
    assert!(sheet.contains("Forme juridique"));
}

#[test]
fn mistakes_are_explained() {
    let index = ingested(&root().join("fixtures/dossiers"));
    let dir = index.path();
    let unknown = dossiers(dir, &["show", "no-such-dossier"]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("dossier not found: no-such-dossier")
    );
    let field = dossiers(dir, &["search", "couleur:rouge"]);
    assert!(!field.status.success());
    assert!(String::from_utf8_lossy(&field.stderr).contains("unknown field \"couleur\""));
    let filter = dossiers(dir, &["search", "atelier", "--filter", "colour=red"]);
    assert!(!filter.status.success());
    let wave = dossiers(dir, &["stats", "--by", "legal_form", "--wave", "4"]);
    assert!(!wave.status.success());
    assert!(
        String::from_utf8_lossy(&wave.stderr).contains("unknown wave 4 (known: 2, 3, all)"),
        "{}",
        String::from_utf8_lossy(&wave.stderr)
    );
    let crossed_waves = dossiers(
        dir,
        &["stats", "--by", "legal_form,land_control", "--wave", "all"],
    );
    assert!(!crossed_waves.status.success());
    let empty = tempfile::tempdir().unwrap();
    let missing = dossiers(&empty.path().join("nothing"), &["search", "atelier"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("dossiers ingest"));
}
