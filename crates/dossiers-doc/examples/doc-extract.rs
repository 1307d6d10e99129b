//! Prints the plain text of one `.doc` the way the corpus references are written, to score the
//! reader with `scripts/score-corpus doc`.

use std::process::ExitCode;

use dossiers_document::{Limits, TextOptions, render_text};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: doc-extract FILE.doc");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("error: {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let options = TextOptions { labels: false };
    match dossiers_doc::read_doc(&bytes, &Limits::default()) {
        Ok(document) => {
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
