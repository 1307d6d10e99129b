//! Prints the plain text of a `.docx` or `.odt` file, chosen by its extension; used to score the
//! readers against the reference corpus (`scripts/score-corpus`).

use std::process::ExitCode;

use dossiers_document::{Limits, TextOptions, render_text};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: word-extract FILE.docx|FILE.odt");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let limits = Limits::default();
    let result = if path.to_lowercase().ends_with(".odt") {
        dossiers_word::read_odt(&bytes, &limits)
    } else {
        dossiers_word::read_docx(&bytes, &limits)
    };
    let options = TextOptions { labels: false };
    match result {
        Ok(document) => {
            for warning in &document.warnings {
                eprintln!("warning: {path}: {}", warning.message);
            }
            print!("{}", render_text(&document, options));
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
