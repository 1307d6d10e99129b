//! `dossiers export [QUERY] [--wave N] [--filter F=V]... [--format jsonl|csv|xlsx] [--excel]
//! [--output FILE]`: one row per dossier with the record's flat fields, for analysts who work
//! in Excel or pandas; the query, wave and filters select dossiers as `search` does.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossiers_index::export::{self, ExportContext};
use dossiers_index::render::CsvDialect;
use dossiers_index::search::SearchRequest;
use dossiers_index::stats::{ReportContext, WaveSelection};

use crate::index_dir::IndexDir;
use crate::search::parse_filter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the dossiers this query finds (the language of `search`); all without one.
    query: Vec<String>,
    /// Only dossiers of this wave.
    #[arg(long)]
    wave: Option<String>,
    /// Only dossiers with this value, e.g. --filter flag=subsidy_over_80_percent. Repeatable.
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    filters: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// With --format csv: the French Excel variant (semicolons, decimal commas, BOM, labels).
    #[arg(long)]
    excel: bool,
    /// Write to this file instead of stdout (required for xlsx).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.format == Format::Xlsx && args.output.is_none() {
        bail!("--format xlsx needs --output FILE.xlsx");
    }
    let index = args.index.open()?;
    let waves = crate::stats::wave_selection(&index, args.wave.as_deref())?;
    let mut request = SearchRequest::new(args.query.join(" "));
    request.filters = args
        .filters
        .iter()
        .map(|filter| parse_filter(filter))
        .collect::<anyhow::Result<_>>()?;
    let wave_label = match waves {
        WaveSelection::One(wave) => {
            request.wave = Some(wave);
            dossiers_labels::calendar::describe(wave)
        }
        _ => "Toutes vagues confondues".to_owned(),
    };
    let records = index.matching_records(&request)?;
    let bytes = match args.format {
        Format::Jsonl => {
            let mut bytes = Vec::new();
            export::write_jsonl(&records, &mut bytes)?;
            bytes
        }
        Format::Csv if args.excel => export::to_csv(&records, CsvDialect::FrenchExcel).into_bytes(),
        Format::Csv => export::to_csv(&records, CsvDialect::Machine).into_bytes(),
        Format::Xlsx => {
            let context = ExportContext {
                waves: wave_label,
                report: ReportContext {
                    query: (!request.query.trim().is_empty()).then(|| request.query.clone()),
                    filters: args.filters.clone(),
                    generated_at: Some(dossiers_index::stats::now_utc()),
                    index_run: index.last_run_id()?,
                },
            };
            export::to_xlsx_with(&records, &context)?
        }
    };
    if records.is_empty() {
        eprintln!("note: no dossier matches: the export has no row");
    }
    crate::output::write(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
