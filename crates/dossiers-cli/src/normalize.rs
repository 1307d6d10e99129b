//! `dossiers normalize PATH... [--out DIR | --json]`: one record per dossier folder.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dossier folders, or folders of dossier folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write `<dossier_id>.json` for each dossier into this folder.
    #[arg(long, conflicts_with = "json")]
    out: Option<PathBuf>,
    /// Print the records as JSON Lines on stdout.
    #[arg(long)]
    json: bool,
}

/// Prints one summary line per dossier (unless `--json`); exit 1 when a path holds no dossier.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let options = NormalizeOptions::default();
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let mut empty = false;
    for path in &args.paths {
        let dossiers = find_dossiers(path);
        if dossiers.is_empty() {
            eprintln!("error: {}: no dossier folder found", path.display());
            empty = true;
        }
        for dir in dossiers {
            let record = normalize_dossier(&dir, &options);
            if args.json {
                writeln!(stdout, "{}", serde_json::to_string(&record)?)?;
                continue;
            }
            if let Some(out) = &args.out {
                let file = out.join(format!("{}.json", record.dossier_id));
                std::fs::write(&file, serde_json::to_string_pretty(&record)?)
                    .with_context(|| format!("writing {}", file.display()))?;
            }
            let flags: Vec<&str> = record.flags.iter().map(|flag| flag.code.code()).collect();
            writeln!(
                stdout,
                "{}\twave {}\t{}\t{}\t{}",
                record.dossier_id,
                record.wave.map_or("?".to_owned(), |wave| wave.to_string()),
                record.legal_model.form.code(),
                record.land_control.status.code(),
                if flags.is_empty() {
                    "no flag".to_owned()
                } else {
                    flags.join(",")
                }
            )?;
        }
    }
    stdout.flush()?;
    Ok(if empty {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
