//! `dossiers show ID [--json | --format text|json|docx] [--output FILE]`: one dossier's stored
//! record, as a readable sheet, raw JSON, or the committee's « fiche » in .docx.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use dossiers_index::compare::section_label_fr;
use dossiers_index::flat;

use crate::index_dir::IndexDir;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The dossier id (its folder name).
    id: String,
    /// Print the stored record as JSON (as --format json).
    #[arg(long)]
    json: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Where to write the .docx (default `fiche-<id>.docx`).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// The dossier's fiche for a selection committee.
    Docx,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let record = index.get(&args.id)?;
    if args.format == Format::Docx {
        let bytes = dossiers_index::fiche::to_docx(&record)?;
        let path = args
            .output
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("fiche-{}.docx", args.id)));
        crate::output::write(Some(&path), &bytes)?;
        return Ok(ExitCode::SUCCESS);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json || args.format == Format::Json {
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
            writeln!(
                out,
                "  {} : {}",
                dossiers_labels::label("flag", flag.code.code()),
                flag.message
            )?;
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
