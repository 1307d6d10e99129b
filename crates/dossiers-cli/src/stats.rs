//! `dossiers stats [--wave N|all] --by FIELD [--format table|csv|json|xlsx] [--output FILE]`:
//! per value of a dimension, the number of dossiers, total and median budget, total and median
//! subsidy requested and mean subsidy share, counted by the index's aggregations.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use dossiers_index::Dimension;
use dossiers_index::stats::WaveSelection;

use crate::index_dir::IndexDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// legal_form, department, region, land_control, sector, programme, flag or wave.
    #[arg(long)]
    by: String,
    /// A wave number, or `all` for the waves side by side; without it every wave is pooled.
    #[arg(long)]
    wave: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout (required for xlsx).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Some(by) = Dimension::parse(&args.by) else {
        let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.name()).collect();
        bail!(
            "--by {:?}: unknown field (known: {})",
            args.by,
            known.join(", ")
        );
    };
    let waves = match args.wave.as_deref() {
        None => WaveSelection::Pooled,
        Some("all" | "toutes") => WaveSelection::SideBySide,
        Some(number) => WaveSelection::One(
            number
                .parse()
                .with_context(|| format!("--wave {number:?}: expected a number or `all`"))?,
        ),
    };
    let index = args.index.open()?;
    let report = index.stats(by, waves)?;
    let bytes = match args.format {
        Format::Table => report.to_table().into_bytes(),
        Format::Csv => report.to_csv().into_bytes(),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&report)?;
            json.push('\n');
            json.into_bytes()
        }
        Format::Xlsx => {
            if args.output.is_none() {
                bail!("--format xlsx needs --output FILE.xlsx");
            }
            report.to_xlsx()?
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
