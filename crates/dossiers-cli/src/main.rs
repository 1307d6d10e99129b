//! The `dossiers` command. Each subcommand lives in its own module; this file only parses the
//! command line and sets up logging.

mod extract;
mod index_dir;
mod ingest;
mod normalize;
mod search;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reads the dossiers of the « Manufactures de proximité » programme.
#[derive(Debug, Parser)]
#[command(name = "dossiers", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("DOSSIERS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Normalize(args) => normalize::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Search(args) => search::run(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
