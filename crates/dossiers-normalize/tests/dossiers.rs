//! Whole dossier folders, read from disk: the bundled fixture dossiers against their truth
//! files (`fixtures/dossiers/`, made by dossiers-gen and converted by LibreOffice), and folders
//! whose application is unreadable or missing.

// Helpers of a test file are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use dossiers_model::{FileRole, FileStatus, FlagCode, Record};
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn as_json(record: &Record) -> Value {
    serde_json::to_value(record).unwrap()
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| &v[key])
}

fn flag_codes(value: &Value) -> Vec<String> {
    let mut codes: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.get("code").unwrap_or(f).as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn fixture_dossiers_match_their_truth() {
    let root = repo().join("fixtures/dossiers");
    let dossiers = find_dossiers(&root);
    assert_eq!(dossiers.len(), 6);
    for dir in dossiers {
        let record = normalize_dossier(&dir, &NormalizeOptions::default());
        let truth_path = root.join(format!("{}.truth.json", record.dossier_id));
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(truth_path).unwrap()).unwrap();
        let got = as_json(&record);
        for field in [
            "wave",
            "deposited_at",
            "applicant.siret",
            "applicant.siret_valid",
            "applicant.postal_code",
            "applicant.department",
            "applicant.region",
            "legal_model.form",
            "legal_model.planned_form",
            "legal_model.consortium",
            "land_control.status",
            "land_control.lease_years",
            "land_control.transitional_premises",
            "land_control.final_premises_year",
            "territorial_diagnosis.rural",
            "activities.digital_machines",
            "budget.balanced",
        ] {
            assert_eq!(
                at(&got, field),
                at(&truth, field),
                "{} {field}",
                record.dossier_id
            );
        }
        for field in [
            "budget.total_expenses",
            "budget.subsidy_requested",
            "land_control.surface_m2",
        ] {
            let (got, want) = (at(&got, field).as_f64(), at(&truth, field).as_f64());
            match (got, want) {
                (Some(g), Some(w)) => assert!(
                    (g - w).abs() <= 1.0,
                    "{} {field}: {g} vs {w}",
                    record.dossier_id
                ),
                _ => assert_eq!(got, want, "{} {field}", record.dossier_id),
            }
        }
        assert_eq!(
            flag_codes(&got["flags"]),
            flag_codes(&truth["flags"]),
            "{} flags",
            record.dossier_id
        );
    }
}

/// A scratch dossier folder under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn unreadable_application_is_a_flag_not_a_failure() {
    let dir = scratch("dossier-777");
    let repo = repo();
    std::fs::copy(
        repo.join("fixtures/broken/truncated-zip.docx"),
        dir.join("candidature.docx"),
    )
    .unwrap();
    std::fs::copy(
        repo.join("fixtures/generated/footnotes.docx"),
        dir.join("annexe-lettre.docx"),
    )
    .unwrap();
    let matrix = std::fs::read_dir(repo.join("fixtures/dossiers/gen-0001"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .unwrap();
    std::fs::copy(&matrix, dir.join("matrice.xlsx")).unwrap();
    std::fs::write(dir.join("plan.png"), [0x89, b'P', b'N', b'G', 0, 0]).unwrap();

    let record = normalize_dossier(&dir, &NormalizeOptions::default());
    assert_eq!(record.ds_number, Some(777));
    let role_of = |name: &str| {
        record
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| (f.role, f.status))
            .unwrap()
    };
    assert_eq!(
        role_of("candidature.docx"),
        (FileRole::Application, FileStatus::Error)
    );
    assert_eq!(
        role_of("annexe-lettre.docx"),
        (FileRole::Other, FileStatus::Ok)
    );
    assert_eq!(role_of("matrice.xlsx"), (FileRole::Budget, FileStatus::Ok));
    assert_eq!(role_of("plan.png"), (FileRole::Other, FileStatus::Ok));
    assert!(
        record
            .files
            .iter()
            .all(|f| f.blake3.as_ref().is_some_and(|h| h.len() == 64))
    );
    let codes: Vec<FlagCode> = record.flags.iter().map(|f| f.code).collect();
    assert!(codes.contains(&FlagCode::ExtractionFailed), "{codes:?}");
    assert!(!codes.contains(&FlagCode::ApplicationMissing), "{codes:?}");
    assert!(!codes.contains(&FlagCode::BudgetMissing), "{codes:?}");
    assert!(record.budget.total_expenses.is_some());
    assert_eq!(record.applicant.structure_name, None);
}

#[test]
fn empty_folder_is_missing_everything() {
    let dir = scratch("vide");
    std::fs::write(dir.join("notes.txt"), "rien").unwrap();
    let record = normalize_dossier(&dir, &NormalizeOptions::default());
    let codes: Vec<FlagCode> = record.flags.iter().map(|f| f.code).collect();
    assert!(codes.contains(&FlagCode::ApplicationMissing));
    assert!(codes.contains(&FlagCode::BudgetMissing));
    assert_eq!(record.wave, None);
}

#[test]
fn folders_of_dossiers_are_found_at_any_depth() {
    let root = scratch("export");
    for path in [
        "procedure-1/dossier-1/pieces_justificatives",
        "procedure-1/dossier-2",
        "lot/a",
    ] {
        std::fs::create_dir_all(root.join(path)).unwrap();
    }
    std::fs::write(root.join("lot/a/candidature.doc"), b"x").unwrap();
    std::fs::write(root.join("README.md"), b"x").unwrap();
    let found: Vec<String> = find_dossiers(&root)
        .iter()
        .map(|p| {
            p.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        found,
        vec!["lot/a", "procedure-1/dossier-1", "procedure-1/dossier-2"]
    );
}

/// Every broken and every format fixture, alone in a dossier folder: a record comes back, with
/// the failure as a flag.
#[test]
fn any_file_gives_a_record() {
    let repo = repo();
    let mut n_files = 0;
    for folder in ["fixtures/broken", "fixtures/generated"] {
        for entry in std::fs::read_dir(repo.join(folder)).unwrap().flatten() {
            let path = entry.path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".md") || name.ends_with(".py") || name.ends_with(".json") {
                continue;
            }
            let dir = scratch(&format!("one-file-{name}"));
            std::fs::copy(&path, dir.join(&name)).unwrap();
            let record = normalize_dossier(&dir, &NormalizeOptions::default());
            assert_eq!(record.files.len(), 1, "{name}");
            assert!(!record.flags.is_empty(), "{name}");
            n_files += 1;
        }
    }
    assert!(n_files > 20);
}
