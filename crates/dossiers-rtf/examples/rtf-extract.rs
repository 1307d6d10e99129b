//! Prints the plain text of one `.rtf` the way the corpus references are written, to score the
//! reader with `scripts/score-corpus rtf`. `--json` prints the whole document model instead.

use std::process::ExitCode;

use dossiers_document::{Limits, TextOptions, render_text};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|arg| arg == "--json");
    let Some(path) = args.into_iter().find(|arg| arg != "--json") else {
        eprintln!("usage: rtf-extract [--json] FILE.rtf");
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
    match dossiers_rtf::read_rtf(&bytes, &Limits::default()) {
        Ok(document) if json => match serde_json::to_string_pretty(&document) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {path}: {error}");
                ExitCode::FAILURE
            }
        },
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
