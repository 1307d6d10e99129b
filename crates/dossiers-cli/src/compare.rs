//! `dossiers compare ID ID... [--format table|json|docx] [--output FILE]`: dossiers side by
//! side, field by field, differences marked, with the first lines of each section.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::index_dir::IndexDir;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Docx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Two or more dossier ids.
    #[arg(required = true, num_args = 2..)]
    ids: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Where to write (required for docx unless stdout is redirected; default
    /// `comparaison-<ids>.docx` for docx).
    #[arg(long, short)]
    output: Option<PathBuf>,
    #[command(flatten)]
    index: IndexDir,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let index = args.index.open()?;
    let comparison = index.compare(&args.ids)?;
    let bytes = match args.format {
        Format::Table => comparison.to_table().into_bytes(),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&comparison)?;
            json.push('\n');
            json.into_bytes()
        }
        Format::Docx => comparison.to_docx()?,
    };
    let output = match (&args.output, args.format) {
        (Some(path), _) => Some(path.clone()),
        (None, Format::Docx) => Some(PathBuf::from(format!(
            "comparaison-{}.docx",
            args.ids.join("-")
        ))),
        (None, _) => None,
    };
    crate::output::write(output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
