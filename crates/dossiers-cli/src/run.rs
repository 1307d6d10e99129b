//! `dossiers run PIPELINE [--retry-failed]`, `dossiers check PIPELINE...` and the hidden
//! `dossiers worker`: the nightly batch of `dossiers-pipeline`, with the tantivy index of
//! `dossiers-index` as its sink.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use dossiers_extract::Limits;
use dossiers_index::{DossierIndex, IndexWriter};
use dossiers_model::Record;
use dossiers_pipeline::report::RunCounters;
use dossiers_pipeline::{
    IndexSink, PoolLimits, RunSettings, SinkError, WorkerPool, check_pipeline, load_pipeline,
    run_pipeline,
};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The pipeline file (pipelines/nightly.toml, pipelines/wave-import.toml…).
    pipeline: PathBuf,
    /// Re-do the dossiers whose files failed in an earlier run, even when nothing changed.
    #[arg(long)]
    retry_failed: bool,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Pipeline files to validate.
    #[arg(required = true)]
    pipelines: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct WorkerArgs {
    /// Address-space cap of this worker process, in bytes.
    #[arg(long)]
    memory_cap: Option<u64>,
}

/// Exit status: 0 all good, 1 some files failed, 2 the run could not proceed.
pub fn run(args: &RunArgs) -> anyhow::Result<ExitCode> {
    let pipeline = match load_pipeline(&args.pipeline) {
        Ok(pipeline) => pipeline,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(2));
        }
    };
    let base = std::env::current_dir().context("reading the working directory")?;
    let exe = std::env::current_exe().context("finding the dossiers executable")?;
    let limits = PoolLimits {
        job_timeout: pipeline.limits.file_timeout,
        memory_cap_bytes: Some(pipeline.limits.memory_cap_bytes),
        extract: Limits {
            max_input_bytes: pipeline.limits.max_input_bytes,
            ..Limits::default()
        },
    };
    let index_dir = resolve(&base, &pipeline.output.index);
    let index = DossierIndex::create_or_open(&index_dir)
        .with_context(|| format!("opening the index in {}", index_dir.display()))?;
    let sink = TantivySink {
        index,
        writer: None,
    };
    let mut settings = RunSettings::new(base);
    settings.retry_failed = args.retry_failed;
    let counters = Arc::new(RunCounters::default());
    settings.progress = Some(counters.clone());
    let progress = Progress::start(counters);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = runtime.block_on(async {
        let pool = WorkerPool::new(
            pipeline.workers.count,
            vec![exe.display().to_string(), "worker".into()],
            limits,
        )?;
        let pool = Arc::new(pool);
        let outcome = run_pipeline(&pipeline, &settings, pool.clone(), sink).await;
        pool.shutdown().await;
        anyhow::Ok(outcome)
    })?;
    progress.finish();
    println!("{}", report.report.summary());
    if let Some(dir) = &report.report_dir {
        println!("report: {}", dir.join("report.json").display());
    }
    Ok(ExitCode::from(report.report.exit_code))
}

/// Validates pipeline files; prints each problem as `file:line:col: message`.
pub fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let base = std::env::current_dir().context("reading the working directory")?;
    let mut failed = false;
    for path in &args.pipelines {
        let errors = check_pipeline(path, &base);
        if errors.is_empty() {
            println!("{}: ok", path.display());
        }
        for error in errors {
            eprintln!("error: {error}");
            failed = true;
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The extraction loop of a worker process, fed by the pool over stdin/stdout.
pub fn worker(args: &WorkerArgs) -> anyhow::Result<ExitCode> {
    dossiers_pipeline::worker_main(args.memory_cap).context("worker")?;
    Ok(ExitCode::SUCCESS)
}

fn resolve(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

/// The index as the batch's sink: one writer per commit, the commit id in the payload.
struct TantivySink {
    index: DossierIndex,
    writer: Option<IndexWriter>,
}

impl TantivySink {
    fn writer(&mut self) -> Result<&mut IndexWriter, SinkError> {
        if self.writer.is_none() {
            self.writer = Some(self.index.writer()?);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| SinkError::from("the index writer could not be opened"))
    }
}

impl IndexSink for TantivySink {
    fn last_commit_id(&mut self) -> Result<Option<String>, SinkError> {
        let Some(payload) = self.index.last_commit_payload()? else {
            return Ok(None);
        };
        let value: serde_json::Value = serde_json::from_str(&payload)?;
        Ok(value
            .get("run_id")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned))
    }

    fn upsert(&mut self, record: &Record, extra_text: &str) -> Result<(), SinkError> {
        self.writer()?.upsert(record, extra_text)?;
        Ok(())
    }

    /// The index has no `withdrawn` mark yet, so a withdrawn dossier leaves the index; the state
    /// store keeps it (and its files) so that it comes back as soon as it reappears.
    fn withdraw(&mut self, dossier_id: &str) -> Result<(), SinkError> {
        self.writer()?.delete(dossier_id);
        Ok(())
    }

    fn commit(&mut self, commit_id: &str) -> Result<(), SinkError> {
        if let Some(writer) = self.writer.take() {
            writer.commit(commit_id)?;
        }
        self.index.reload()?;
        Ok(())
    }
}

/// A spinner on a terminal with the stages' counts; nothing when stderr is not a terminal (cron,
/// pipes), where the report is the record of the run.
struct Progress {
    done: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(counters: Arc<RunCounters>) -> Progress {
        use std::io::IsTerminal;
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        if !std::io::stderr().is_terminal() {
            return Progress { done, thread: None };
        }
        let stop = done.clone();
        let thread = std::thread::spawn(move || {
            let bar = indicatif::ProgressBar::new_spinner();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let extract = counters.extract.snapshot();
                let normalize = counters.normalize.snapshot();
                let index = counters.index.snapshot();
                bar.set_message(format!(
                    "files extracted {} (failed {}) · dossiers normalised {} · indexed {}",
                    extract.ok, extract.failed, normalize.ok, index.ok
                ));
                bar.tick();
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            bar.finish_and_clear();
        });
        Progress {
            done,
            thread: Some(thread),
        }
    }

    fn finish(mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
