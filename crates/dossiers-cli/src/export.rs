//! `dossiers export [--format jsonl|csv|xlsx] [--output FILE]`: one row per dossier with the
//! record's flat fields, for analysts who work in Excel or pandas.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use dossiers_index::export;

use crate::index_dir::IndexDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write to this file instead of stdout (required for xlsx).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let records = index.all_records()?;
    let mut bytes = Vec::new();
    match args.format {
        Format::Jsonl => export::write_jsonl(&records, &mut bytes)?,
        Format::Csv => export::write_csv(&records, &mut bytes)?,
        Format::Xlsx => {
            if args.output.is_none() {
                bail!("--format xlsx needs --output FILE.xlsx");
            }
            bytes = export::to_xlsx(&records)?;
        }
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {} dossiers to {}", records.len(), path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
