//! The run report and the quarantine: built from counters and outcomes, written as JSON that
//! reads back to the same report, summarised for a human, with the exit code the issue asks for.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use dossiers_pipeline::report::{
    Failure, Quarantine, QuarantineEntry, ReportBuilder, RunCounters, RunReport,
};
use dossiers_pipeline::state::{DossierStatus, Plan, PlannedDossier};

fn planned(id: &str, status: DossierStatus) -> PlannedDossier {
    PlannedDossier {
        dossier_id: id.into(),
        status,
        reasons: Vec::new(),
        files: Vec::new(),
    }
}

fn quarantine_entry(key: &str, kind: &str) -> QuarantineEntry {
    QuarantineEntry {
        run_id: "run-1".into(),
        dossier_id: "dossier-12".into(),
        key: key.into(),
        blake3: Some("ab".repeat(32)),
        kind: kind.into(),
        message: format!("{kind} here"),
        copy: None,
    }
}

#[test]
fn a_run_with_failures_reports_them_quarantines_them_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let quarantine = Quarantine::new(&dir.path().join("quarantine"), "run-1");
    let counters = RunCounters::default();
    let mut report = ReportBuilder::new("run-1", "nightly");
    report.plan(&Plan {
        dossiers: vec![
            planned("dossier-12", DossierStatus::New),
            planned("dossier-13", DossierStatus::Changed),
            planned("gen-0001", DossierStatus::Unchanged),
        ],
        removed: vec!["dossier-9".into()],
        files_hashed: 4,
        files_not_read: 2,
    });
    report.set_aside("ds_file", 3);
    for (i, (key, format, status)) in [
        ("a.docx", Some("docx"), "ok"),
        ("b.xls", Some("xls"), "ok"),
        ("c.xls", None, "timeout"),
        (
            "export.zip!dossier-12/pieces_justificatives/d.doc",
            None,
            "crashed",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        counters.extract.received(1);
        if status == "ok" {
            counters.extract.ok(1);
        } else {
            counters.extract.failed(1);
            // The zip entry's bytes are kept; the file on disk gets a pointer only.
            let bytes = key.contains('!').then_some(&b"\xd0\xcf\x11\xe0"[..]);
            let pointer = quarantine
                .add(quarantine_entry(key, status), bytes)
                .unwrap();
            report.failure(Failure {
                dossier_id: "dossier-12".into(),
                key: key.into(),
                kind: status.into(),
                message: format!("{status} here"),
                quarantine: Some(pointer),
            });
        }
        report.file(
            key,
            format,
            status,
            Duration::from_millis(100 * (i as u64 + 1)),
        );
    }
    let report = report.finish(&counters, None);
    assert_eq!(report.exit_code, 1);
    assert_eq!(report.dossiers.new, 1);
    assert_eq!(report.dossiers.removed, 1);
    assert_eq!(report.files_by_status["ok"], 2);
    assert_eq!(report.files_by_format["unknown"], 2);
    assert_eq!(report.slowest[0].ms, 400);
    assert!(report.stages.iter().all(|s| s.counters.is_balanced()));

    let written = report.write(&dir.path().join("reports")).unwrap();
    let back: RunReport =
        serde_json::from_slice(&std::fs::read(written.join("report.json")).unwrap()).unwrap();
    assert_eq!(back, report);
    let summary = std::fs::read_to_string(written.join("summary.txt")).unwrap();
    for line in [
        "exit 1 (some files failed)",
        "dossiers: 1 new, 1 changed, 1 unchanged, 1 removed",
        "files: 1 crashed, 2 ok, 1 timeout",
        "formats: 1 docx, 2 unknown, 1 xls",
        "set aside: 3 ds_file",
        "  extract    4 / 2 / 2 / 0",
        "failures: 2",
    ] {
        assert!(summary.contains(line), "{line:?} not in\n{summary}");
    }

    let listing = Quarantine::entries(&dir.path().join("quarantine")).unwrap();
    assert!(listing.unreadable.is_empty());
    let entries = listing.entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].1.kind, "timeout");
    assert_eq!(entries[0].1.copy, None);
    let copy = entries[1].1.copy.as_ref().unwrap();
    assert_eq!(copy, "0002-d.doc.bin");
    let kept = std::fs::read(entries[1].0.parent().unwrap().join(copy)).unwrap();
    assert_eq!(kept, b"\xd0\xcf\x11\xe0");
}

#[test]
fn a_clean_run_exits_0_and_a_fatal_one_2() {
    let counters = RunCounters::default();
    let mut clean = ReportBuilder::new("run-2", "nightly");
    clean.file("a.docx", Some("docx"), "ok", Duration::from_millis(5));
    assert_eq!(clean.finish(&counters, None).exit_code, 0);

    let mut fatal = ReportBuilder::new("run-3", "nightly");
    fatal.fatal("the index is locked by another run");
    let report = fatal.finish(&counters, None);
    assert_eq!(report.exit_code, 2);
    assert!(report.summary().contains("error: the index is locked"));
}
