//! The wording fixtures (`tests/fixtures-wording/`, written by `make.py`): twelve dossiers in the
//! many ways applicants write French, each normalised and compared with its hand-written truth,
//! field by field, with the tolerances of `shared/bin/score-records` (money within 1 €, the
//! share within 0.005, names compared without their legal-form words, sets in any order).

// Helpers of a test file are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::Path;

use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};
use serde_json::Value;

/// Every scored leaf of a truth: `("land_control.lease_years", 9)`.
fn leaves(value: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                if path == "dossier_id" {
                    continue;
                }
                match child {
                    Value::Object(_) => leaves(child, &path, out),
                    _ => out.push((path, child.clone())),
                }
            }
        }
        _ => out.push((prefix.to_string(), value.clone())),
    }
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |v, key| &v[key])
}

/// Tokens of a name without accents, case and legal-form words (as the scorer compares them).
fn name_tokens(name: &str) -> Vec<String> {
    let folded = dossiers_geo::fold(name);
    let mut tokens: Vec<String> = folded
        .split(' ')
        .filter(|t| !t.is_empty())
        .filter(|t| !["association", "scic", "scop", "sas", "sarl", "loi", "1901"].contains(t))
        .map(str::to_string)
        .collect();
    tokens.sort();
    tokens.dedup();
    tokens
}

fn as_set(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| {
                    item.get("code")
                        .unwrap_or(item)
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn same(path: &str, got: &Value, want: &Value) -> bool {
    let money = |tolerance: f64| match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => (g - w).abs() <= tolerance,
        _ => got.is_null() && want.is_null(),
    };
    match path {
        "budget.total_expenses" | "budget.investment" | "budget.subsidy_requested" => money(1.0),
        "budget.subsidy_share" => money(0.005),
        "land_control.surface_m2" => money(0.5),
        "budget.years" => {
            let (got, want) = (got.as_array().unwrap(), want.as_array().unwrap());
            got.len() == want.len()
                && got.iter().zip(want).all(|(g, w)| {
                    g["year"] == w["year"]
                        && ["expenses", "revenues"]
                            .iter()
                            .all(|k| (g[k].as_f64().unwrap() - w[k].as_f64().unwrap()).abs() <= 1.0)
                })
        }
        "flags" | "activities.sectors" | "territorial_diagnosis.programmes" => {
            as_set(got) == as_set(want)
        }
        "applicant.structure_name" | "applicant.manufacture_name" | "legal_model.lead_partner" => {
            match (got.as_str(), want.as_str()) {
                (Some(g), Some(w)) => name_tokens(g) == name_tokens(w),
                _ => got == want,
            }
        }
        "deposited_at" => got == want,
        _ => match (got.as_str(), want.as_str()) {
            (Some(g), Some(w)) => g.to_lowercase() == w.to_lowercase(),
            _ => got == want,
        },
    }
}

/// Normalises every dossier under `root` and compares it with its truth: the number of fields
/// compared and the misses.
fn compare(root: &Path, expected: usize) -> (usize, Vec<String>) {
    let dossiers = find_dossiers(root);
    assert_eq!(
        dossiers.len(),
        expected,
        "the fixtures are missing: run make.py"
    );
    let mut misses = Vec::new();
    let mut n_fields = 0;
    for dir in dossiers {
        let record = normalize_dossier(&dir, &NormalizeOptions::default());
        let truth_path = root.join(format!("{}.truth.json", record.dossier_id));
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(truth_path).unwrap()).unwrap();
        let got = serde_json::to_value(&record).unwrap();
        let mut fields = Vec::new();
        leaves(&truth, "", &mut fields);
        for (path, want) in fields {
            n_fields += 1;
            let got = at(&got, &path);
            if !same(&path, got, &want) {
                misses.push(format!(
                    "{} {path}: got {got}, want {want}",
                    record.dossier_id
                ));
            }
        }
    }
    // Thirty fields a dossier: a truth file that lost its fields would pass.
    assert!(n_fields >= expected * 30, "only {n_fields} fields compared");
    (n_fields, misses)
}

#[test]
fn wording_dossiers_match_their_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-wording");
    let (_, misses) = compare(&root, 12);
    assert!(
        misses.is_empty(),
        "{} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// The structure fixtures (`tests/fixtures-structure/`): the same dossiers' fields laid out
/// differently (question/answer tables, checkboxes, text boxes and footers, unusual section
/// order, matrices with title blocks, merged headers, formulas, text amounts, several sheets,
/// Word 97 / Excel 97). The misses left are listed; the floor keeps them from growing.
#[test]
fn structure_dossiers_match_their_truth() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-structure");
    let (n_fields, misses) = compare(&root, 10);
    let accuracy = 1.0 - misses.len() as f64 / n_fields as f64;
    assert!(
        accuracy >= STRUCTURE_FLOOR,
        "accuracy {accuracy:.3} below {STRUCTURE_FLOOR}; {} misses:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

/// The share of structure-fixture fields read right, at least (raise it as readers improve).
const STRUCTURE_FLOOR: f64 = 0.97;
