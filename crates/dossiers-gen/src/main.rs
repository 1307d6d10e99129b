//! `dossiers-gen`: writes synthetic dossiers (`--seed 42 --count 6 --out DIR`) or the format
//! fixtures (`dossiers-gen fixtures --out fixtures/generated`). Dev only.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// Deterministic generator of « Manufactures de proximité » dossiers and format fixtures.
#[derive(Debug, Parser)]
#[command(name = "dossiers-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Seed of the collection: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Number of dossiers (gen-0001 … gen-NNNN).
    #[arg(long, default_value_t = 6)]
    count: u32,
    /// Approximate number of words of each application.
    #[arg(long, default_value_t = dossiers_gen::DEFAULT_WORDS)]
    words: usize,
    /// Output folder.
    #[arg(long, default_value = "out/generated")]
    out: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Writes the small .docx / .xlsx format fixtures.
    Fixtures {
        /// Output folder.
        #[arg(long, default_value = "fixtures/generated")]
        out: PathBuf,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Fixtures { out }) => {
            std::fs::create_dir_all(&out)?;
            dossiers_gen::fixtures::write_all(&out)
        }
        None => {
            std::fs::create_dir_all(&cli.out)?;
            dossiers_gen::write_dossiers(cli.seed, cli.count, cli.words, &cli.out)
        }
    }
}
