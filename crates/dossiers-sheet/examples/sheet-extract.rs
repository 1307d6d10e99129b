//! Prints the text of one spreadsheet, the way the corpus scorer compares it with LibreOffice's:
//! `sheet-extract <path>`; the reader is chosen by extension. `sheet-extract --json <path>`
//! prints the whole document (cells, addresses, values, merges, metadata, warnings) instead.

use std::process::ExitCode;

use dossiers_document::{Limits, TextOptions, render_text};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.first().is_some_and(|a| a == "--json");
    if json {
        args.remove(0);
    }
    let Some(path) = args.first().cloned() else {
        eprintln!("usage: sheet-extract [--json] <path.xls|.xlsx|.ods>");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let extension = std::path::Path::new(&path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let limits = Limits::default();
    let result = match extension.as_str() {
        "xls" => dossiers_sheet::read_xls(&bytes, &limits),
        "xlsx" | "xlsm" => dossiers_sheet::read_xlsx(&bytes, &limits),
        "ods" => dossiers_sheet::read_ods(&bytes, &limits),
        other => {
            eprintln!("error: {path}: unknown extension {other:?}");
            return ExitCode::FAILURE;
        }
    };
    let options = TextOptions { labels: false };
    match result {
        Ok(document) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&document).unwrap_or_default()
                );
            } else {
                print!("{}", render_text(&document, options));
            }
            for warning in &document.warnings {
                eprintln!("warning: {path}: {}", warning.message);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let Some(partial) = error.partial() {
                print!("{}", render_text(partial, options));
            }
            eprintln!("error: {path}: {error}");
            ExitCode::FAILURE
        }
    }
}
