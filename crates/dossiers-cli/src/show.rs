//! `dossiers show ID [--json]`: one dossier's stored record, as a readable sheet or raw JSON.

use std::io::Write;
use std::process::ExitCode;

use dossiers_index::compare::section_label_fr;
use dossiers_index::flat;

use crate::index_dir::IndexDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dossier id (its folder name).
    id: String,
    /// Print the stored record as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let record = index.get(&args.id)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&record)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let fields = flat::flatten(&record);
    let width = fields
        .iter()
        .map(|(f, _)| f.label_fr.chars().count())
        .max()
        .unwrap_or(10);
    for (field, value) in &fields {
        let pad = width.saturating_sub(field.label_fr.chars().count());
        writeln!(
            out,
            "{}{}  {}",
            field.label_fr,
            " ".repeat(pad),
            value.display()
        )?;
    }
    if !record.flags.is_empty() {
        writeln!(out, "\nAlertes")?;
        for flag in &record.flags {
            writeln!(out, "  {}: {}", flag.code.code(), flag.message)?;
        }
    }
    for section in &record.sections {
        writeln!(
            out,
            "\n## {} — {} ({})",
            section_label_fr(section.topic),
            section.title.trim(),
            section.at
        )?;
        writeln!(out, "{}", flat::first_lines(&section.text, 4, 400))?;
    }
    let errors: Vec<_> = record.files.iter().filter(|f| f.error.is_some()).collect();
    for file in errors {
        writeln!(
            out,
            "\nfichier illisible: {}: {}",
            file.path,
            file.error.as_deref().unwrap_or("")
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
