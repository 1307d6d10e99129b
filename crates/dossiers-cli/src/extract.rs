//! `dossiers extract FILE... [--json]`: the text (or the document model) of each file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use dossiers_extract::{Document, Limits, TextOptions, extract_path, render_text};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to read; the format is detected from their content.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print the document model as JSON (one object per line when several files are given).
    #[arg(long)]
    json: bool,
    /// Leave out the `--- <story> ---` lines between stories (to compare with reference texts).
    #[arg(long)]
    no_labels: bool,
}

/// Exit status: 0 when every file gave text (possibly partial, with a warning), 1 otherwise.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let limits = Limits::default();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let several = args.files.len() > 1;
    let mut failed = false;
    for path in &args.files {
        let document = match extract_path(path, &limits) {
            Ok(document) => document,
            Err(error) => match error.error.partial() {
                Some(partial) => {
                    eprintln!("warning: {error} (partial text kept)");
                    partial.clone()
                }
                None => {
                    eprintln!("error: {error}");
                    failed = true;
                    continue;
                }
            },
        };
        for warning in &document.warnings {
            eprintln!("warning: {}: {}", path.display(), warning.message);
        }
        print_document(&mut out, args, path, &document, several)?;
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_document(
    out: &mut impl Write,
    args: &Args,
    path: &std::path::Path,
    document: &Document,
    several: bool,
) -> anyhow::Result<()> {
    if args.json {
        if several {
            let mut value = serde_json::to_value(document)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("path".into(), path.display().to_string().into());
            }
            writeln!(out, "{}", serde_json::to_string(&value)?)?;
        } else {
            writeln!(out, "{}", serde_json::to_string_pretty(document)?)?;
        }
        return Ok(());
    }
    if several {
        writeln!(out, "==> {} <==", path.display())?;
    }
    let text = render_text(
        document,
        TextOptions {
            labels: !args.no_labels,
        },
    );
    out.write_all(text.as_bytes())?;
    Ok(())
}
