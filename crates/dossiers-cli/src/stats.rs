//! `dossiers stats --by FIELD[,FIELD] [--wave N|all] [--filter F=V]... [QUERY]
//! [--percent] [--measure M] [--format table|csv|json|xlsx|svg] [--excel] [--output FILE]`:
//! per value of a dimension (or of two crossed), the number of dossiers, budget and subsidy
//! totals and exact medians with their n, the mean and weighted subsidy shares.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use dossiers_index::render::CsvDialect;
use dossiers_index::stats::{Measure, StatsRequest, WaveSelection};
use dossiers_index::{Dimension, DossierIndex};

use crate::index_dir::IndexDir;
use crate::search::parse_filter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Xlsx,
    /// A map of France (with `--by department`): dossiers and requested subsidy.
    Svg,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// legal_form, department, region, land_control, sector, programme, flag or wave; two
    /// separated by a comma cross them (`legal_form,land_control`).
    #[arg(long)]
    by: String,
    /// A wave number, or `all` for every wave side by side (one column each, and « vague
    /// inconnue »); without it every wave is pooled.
    #[arg(long)]
    wave: Option<String>,
    /// Only dossiers with this value (as in `search`), e.g. --filter legal_form=scic.
    #[arg(long = "filter", value_name = "FIELD=VALUE")]
    filters: Vec<String>,
    /// Only the dossiers this query finds (the language of `search`).
    query: Vec<String>,
    /// Add each count's share: of its wave (one field), or of its row (two fields crossed).
    #[arg(long)]
    percent: bool,
    /// The figure in the cells of a cross-tabulation: dossiers, budget_total, budget_median,
    /// subsidy_total, subsidy_median, subsidy_share_mean, weighted_share.
    #[arg(long, default_value = "dossiers")]
    measure: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
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

/// `--wave`: checked against the calendar and the index.
pub fn wave_selection(index: &DossierIndex, wave: Option<&str>) -> anyhow::Result<WaveSelection> {
    Ok(match wave {
        None => WaveSelection::Pooled,
        Some("all" | "toutes") => WaveSelection::SideBySide,
        Some(number) => {
            let known = || {
                index
                    .known_waves()
                    .map(|waves| {
                        waves
                            .iter()
                            .map(u8::to_string)
                            .chain(["all".to_owned()])
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let Ok(wave) = number.parse::<u8>() else {
                bail!(
                    "--wave {number:?}: expected a wave number or `all` (known: {})",
                    known()
                );
            };
            index.check_wave(wave)?;
            WaveSelection::One(wave)
        }
    })
}

fn dimensions(by: &str) -> anyhow::Result<Vec<Dimension>> {
    let dimensions = by
        .split(',')
        .map(|name| {
            Dimension::parse(name).ok_or_else(|| {
                let known: Vec<&str> = Dimension::ALL.iter().map(|d| d.name()).collect();
                anyhow::anyhow!(
                    "--by {:?}: unknown field {:?} (known: {})",
                    by,
                    name.trim(),
                    known.join(", ")
                )
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    match dimensions.as_slice() {
        [_] => Ok(dimensions),
        [a, b] if a != b => Ok(dimensions),
        [_, _] => bail!("--by {by:?}: cross two different fields"),
        _ => bail!("--by {by:?}: one field, or two separated by a comma"),
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let by = dimensions(&args.by)?;
    let Some(measure) = Measure::parse(&args.measure) else {
        let known: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
        bail!(
            "--measure {:?}: unknown (known: {})",
            args.measure,
            known.join(", ")
        );
    };
    let index = args.index.open()?;
    let waves = wave_selection(&index, args.wave.as_deref())?;
    let request = StatsRequest {
        by: by.clone(),
        waves,
        query: args.query.join(" "),
        filters: args
            .filters
            .iter()
            .map(|filter| parse_filter(filter))
            .collect::<anyhow::Result<_>>()?,
    };
    let dialect = if args.excel {
        CsvDialect::FrenchExcel
    } else {
        CsvDialect::Machine
    };
    let (bytes, empty) = if by.len() == 2 {
        if args.format == Format::Svg {
            bail!("--format svg draws one field (--by department)");
        }
        let crossed = index.cross_tab(&request)?;
        let grid = crossed.to_grid(measure, args.percent);
        let bytes = match args.format {
            Format::Table => grid.to_table().into_bytes(),
            Format::Csv => grid.to_csv(dialect).into_bytes(),
            Format::Json => json_bytes(&crossed)?,
            Format::Xlsx | Format::Svg => grid.to_xlsx()?,
        };
        (bytes, crossed.total.dossiers == 0)
    } else {
        let report = index.stats_for(&request)?;
        let grid = report.to_grid(args.percent);
        let bytes = match args.format {
            Format::Table => grid.to_table().into_bytes(),
            Format::Csv => grid.to_csv(dialect).into_bytes(),
            Format::Json => json_bytes(&report)?,
            Format::Xlsx => grid.to_xlsx()?,
            Format::Svg => report.to_svg_map()?.into_bytes(),
        };
        (bytes, report.total.metrics.dossiers == 0)
    };
    if args.format == Format::Xlsx && args.output.is_none() {
        bail!("--format xlsx needs --output FILE.xlsx");
    }
    if empty {
        let wave = match waves {
            WaveSelection::One(wave) => format!(" in wave {wave}"),
            _ => String::new(),
        };
        eprintln!("note: no dossier{wave} matches: the table is empty");
    }
    crate::output::write(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn json_bytes(value: &impl serde::Serialize) -> anyhow::Result<Vec<u8>> {
    let mut json = serde_json::to_string_pretty(value).context("writing JSON")?;
    json.push('\n');
    Ok(json.into_bytes())
}
