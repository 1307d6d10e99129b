//! The worker pool's fences: a job that hangs costs only itself (timeout, the worker replaced),
//! a worker that dies or runs out of memory costs only its job (crashed), and every other job
//! completes. Uses the `pipeline-test-worker` binary, which misbehaves on request.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use dossiers_extract::Limits;
use dossiers_pipeline::worker::{JobOutcome, PoolLimits, WorkerInput, WorkerPool};

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(path)
}

fn pool(n: usize, timeout: Duration) -> WorkerPool {
    WorkerPool::new(
        n,
        vec![env!("CARGO_BIN_EXE_pipeline-test-worker").to_string()],
        PoolLimits {
            job_timeout: timeout,
            memory_cap_bytes: Some(512 << 20),
            extract: Limits::default(),
        },
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_job_costs_only_itself() {
    let pool = Arc::new(pool(2, Duration::from_secs(3)));
    let good = [
        "dossiers/gen-0001/dossier-candidature.docx",
        "dossiers/gen-0002/dossier-candidature.doc",
        "dossiers/gen-0003/matrice-budgetaire.ods",
        "dossiers/gen-0004/matrice-budgetaire.xls",
        "dossiers/gen-0005/matrice-budgetaire.xlsx",
        "dossiers/gen-0006/dossier-candidature.odt",
    ];
    let mut inputs: Vec<(String, WorkerInput)> = good
        .iter()
        .map(|p| (p.to_string(), WorkerInput::Path(fixture(p))))
        .collect();
    for hostile in ["hang.docx", "crash.doc", "allocate.xls"] {
        inputs.insert(2, (hostile.to_string(), WorkerInput::bytes(hostile, b"x")));
    }
    let bytes = std::fs::read(fixture("dossiers/gen-0001/matrice-budgetaire.xlsx")).unwrap();
    inputs.push(("bytes".into(), WorkerInput::bytes("matrice.xlsx", &bytes)));
    inputs.push((
        "pdf".into(),
        WorkerInput::bytes("scan.doc", b"%PDF-1.4 ..."),
    ));

    let mut jobs = tokio::task::JoinSet::new();
    for (label, input) in inputs {
        let pool = Arc::clone(&pool);
        jobs.spawn(async move { (label, pool.extract(input).await) });
    }
    let mut outcomes = std::collections::BTreeMap::new();
    while let Some(joined) = jobs.join_next().await {
        let (label, result) = joined.unwrap();
        outcomes.insert(label, result.outcome);
    }

    for label in good.iter().map(|s| s.to_string()).chain(["bytes".into()]) {
        let JobOutcome::Document(document) = &outcomes[&label] else {
            panic!("{label}: {:?}", outcomes[&label]);
        };
        assert!(document.has_text(), "{label}");
    }
    assert_eq!(outcomes["hang.docx"], JobOutcome::Timeout);
    assert_eq!(outcomes["crash.doc"].kind(), "crashed");
    let JobOutcome::Crashed { detail } = &outcomes["allocate.xls"] else {
        panic!("{:?}", outcomes["allocate.xls"]);
    };
    assert!(
        detail.contains("signal") || detail.contains("code"),
        "{detail}"
    );
    assert_eq!(outcomes["pdf"].kind(), "unsupported");

    let stats = pool.stats();
    assert_eq!(stats.timed_out, 1);
    assert_eq!(stats.crashed, 2);
    // Two at start, one replacement per hostile job.
    assert_eq!(stats.spawned, 5);

    // The pool is whole again: a job after the storm still runs.
    let after = pool
        .extract(WorkerInput::Path(fixture(good[0])))
        .await
        .outcome;
    assert_eq!(after.kind(), "ok");
    pool.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_that_cannot_start_is_a_crashed_job_not_a_panic() {
    let error = WorkerPool::new(
        1,
        vec!["/nonexistent/dossiers".into(), "worker".into()],
        PoolLimits {
            job_timeout: Duration::from_secs(1),
            memory_cap_bytes: None,
            extract: Limits::default(),
        },
    )
    .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
}
