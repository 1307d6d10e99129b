//! The `dossiers` command. Each subcommand lives in its own module; this file only parses the
//! command line and sets up logging.

mod compare;
mod export;
mod extract;
mod index_dir;
mod ingest;
mod logging;
mod normalize;
mod output;
mod run;
mod search;
mod serve;
mod show;
mod similar;
mod stats;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reads the dossiers of the « Manufactures de proximité » programme.
#[derive(Debug, Parser)]
#[command(name = "dossiers", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log lines on stderr as text, or as JSON objects (for cron and log collectors).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract the text of .doc, .docx, .odt, .xls, .xlsx and .ods files.
    Extract(extract::Args),
    /// Normalise dossier folders into records (identity, legal model, land, budget, flags).
    Normalize(normalize::Args),
    /// Extract, normalise and index dossier folders (re-ingesting replaces, never duplicates).
    Ingest(ingest::Args),
    /// Search the indexed dossiers.
    Search(search::Args),
    /// One dossier's record, as a readable sheet (or --json).
    Show(show::Args),
    /// Dossiers side by side, field by field, differences marked.
    Compare(compare::Args),
    /// The dossiers whose text is most like this one's.
    Similar(similar::Args),
    /// Counts, budgets and subsidies per value of a field, per wave.
    Stats(stats::Args),
    /// One row per dossier with the record's flat fields (JSON Lines, CSV, XLSX).
    Export(export::Args),
    /// Run a declared pipeline (the nightly batch): incremental, crash-safe, with a report.
    Run(run::RunArgs),
    /// Validate pipeline files.
    Check(run::CheckArgs),
    /// The reviewers' web UI: search, dossier, compare, statistics (accounts required).
    Serve(serve::ServeArgs),
    /// Accounts of the web UI.
    User(serve::UserArgs),
    /// Extraction worker of the batch (spoken to over stdin/stdout by `run`).
    #[command(hide = true)]
    Worker(run::WorkerArgs),
}

fn main() -> ExitCode {
    dossiers_extract::quiet_reader_panics();
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOSSIERS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter);
    match cli.log_format {
        LogFormat::Text => logs.fmt_fields(logging::escaped_fields()).init(),
        LogFormat::Json => logs.json().init(),
    }
    let outcome = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Normalize(args) => normalize::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Similar(args) => similar::run(&args),
        Command::Stats(args) => stats::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Check(args) => run::check(&args),
        Command::Serve(args) => serve::serve(&args),
        Command::User(args) => serve::user(&args),
        Command::Worker(args) => run::worker(&args),
    };
    match outcome {
        Ok(code) => code,
        // `dossiers export | head` closes the pipe early; that is the reader's choice, not a
        // failure.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
