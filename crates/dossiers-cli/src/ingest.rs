//! `dossiers ingest PATH... [--index DIR] [--wave N]`: extract, normalise and upsert dossiers,
//! one atomic commit per run.
//!
//! Normalisation is CPU-bound and independent per dossier, so it runs on one worker thread per
//! core while this thread feeds the index writer (which has its own indexing threads). A file
//! that cannot be read is reported on stderr and the dossier is still indexed with what the
//! other files say (its record carries `extraction_failed`); nothing is visible until the single
//! commit at the end, so an interrupted run leaves the index as it was.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;
use dossiers_extract::{Limits, TextOptions, extract_path, render_text};
use dossiers_model::{FileRole, FileStatus, Record};
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};

use crate::index_dir::IndexDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dossier folders, or folders of dossier folders (a Démarches simplifiées export).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
    /// The wave of every dossier of this run, when it is known from elsewhere (an export per
    /// wave); else it comes from the deposit date.
    #[arg(long)]
    wave: Option<u8>,
    /// Print nothing but errors and the summary line.
    #[arg(long, short)]
    quiet: bool,
}

/// What one dossier gave: its record and the text of its attachments.
struct Normalised {
    record: Record,
    extra_text: String,
}

/// Exit status 1 when a path holds no dossier or a dossier could not be indexed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut failed = false;
    let mut dirs = Vec::new();
    for path in &args.paths {
        let found = find_dossiers(path);
        if found.is_empty() {
            eprintln!("error: {}: no dossier folder found", path.display());
            failed = true;
        }
        dirs.extend(found);
    }
    let index = args.index.create_or_open()?;
    let mut writer = index.writer()?;
    let options = NormalizeOptions {
        wave: args.wave,
        ..NormalizeOptions::default()
    };

    let mut counters = Counters::default();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(dirs.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        // Bounded so that workers do not run far ahead of the writer.
        let (sender, receiver) = mpsc::sync_channel::<Normalised>(workers * 2);
        for _ in 0..workers {
            let sender = sender.clone();
            let (dirs, next, options) = (&dirs, &next, &options);
            scope.spawn(move || {
                while let Some(dir) = dirs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let record = normalize_dossier(dir, options);
                    let extra_text = attachments_text(dir, &record);
                    if sender.send(Normalised { record, extra_text }).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        for normalised in receiver {
            counters.received += 1;
            let record = &normalised.record;
            let broken: Vec<_> = record
                .files
                .iter()
                .filter(|file| file.status == FileStatus::Error)
                .collect();
            for file in &broken {
                eprintln!(
                    "warning: {}: {}",
                    file.path,
                    file.error.as_deref().unwrap_or("unreadable")
                );
            }
            if !broken.is_empty() {
                counters.with_unreadable_files += 1;
            }
            match writer.upsert(record, &normalised.extra_text) {
                Ok(()) => {
                    counters.indexed += 1;
                    if !args.quiet {
                        println!(
                            "{}\twave {}\t{}\t{}",
                            record.dossier_id,
                            record.wave.map_or("?".to_owned(), |w| w.to_string()),
                            record.legal_model.form.code(),
                            record.land_control.status.code()
                        );
                    }
                }
                Err(error) => {
                    eprintln!("error: {}: {error}", record.dossier_id);
                    counters.failed += 1;
                    failed = true;
                }
            }
        }
        Ok(())
    })?;

    let run_id = run_id();
    let report = writer
        .commit(&run_id)
        .with_context(|| format!("committing run {run_id}"))?;
    index.reload()?;
    eprintln!(
        "ingest: {} dossiers received, {} indexed ({} with unreadable files), {} failed; run {} committed in {:.1} s; {} dossiers in {}",
        counters.received,
        report.upserted,
        counters.with_unreadable_files,
        counters.failed,
        report.run_id,
        started.elapsed().as_secs_f64(),
        index.num_dossiers(),
        index.path().display()
    );
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(Debug, Default)]
struct Counters {
    received: u64,
    indexed: u64,
    with_unreadable_files: u64,
    failed: u64,
}

/// A run id that sorts by time and differs between two runs of the same second.
fn run_id() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("ingest-{seconds}-{}", std::process::id())
}

/// The text of the files that are neither the application nor the budget (annexes, letters),
/// which the record does not keep but a reviewer may search.
fn attachments_text(dir: &Path, record: &Record) -> String {
    let limits = Limits::default();
    let mut text = String::new();
    for file in &record.files {
        if file.role != FileRole::Other || file.status != FileStatus::Ok {
            continue;
        }
        let name = file
            .path
            .strip_prefix(&format!("{}/", record.dossier_id))
            .unwrap_or(&file.path);
        if let Ok(document) = extract_path(&dir.join(name), &limits) {
            text.push_str(&render_text(&document, TextOptions { labels: false }));
            text.push('\n');
        }
    }
    text
}
