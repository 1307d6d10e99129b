//! Prints the plain text of a `.docx` or `.odt` file, chosen by its extension; used to score the
//! readers against the reference corpus (`scripts/score-corpus`). `--json` prints the whole
//! document model instead, to inspect blocks, stories and warnings.

use std::process::ExitCode;

use dossiers_document::{Limits, TextOptions, render_text};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|arg| arg == "--json");
    // `--repeat N` reads the file N times and prints the time per read (a quick speed check).
    let repeat: Option<u32> = args
        .iter()
        .position(|arg| arg == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    let Some(path) = args
        .iter()
        .rfind(|arg| !arg.starts_with("--") && arg.parse::<u32>().is_err())
        .cloned()
    else {
        eprintln!("usage: word-extract [--json] [--repeat N] FILE.docx|FILE.odt");
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
    let is_odt = path.to_lowercase().ends_with(".odt");
    let read = |bytes: &[u8]| {
        if is_odt {
            dossiers_word::read_odt(bytes, &limits)
        } else {
            dossiers_word::read_docx(bytes, &limits)
        }
    };
    if let Some(n) = repeat {
        let started = std::time::Instant::now();
        for _ in 0..n {
            let _ = std::hint::black_box(read(&bytes));
        }
        let per_read = started.elapsed().as_secs_f64() * 1000.0 / f64::from(n.max(1));
        emit(&format!("{path}: {per_read:.3} ms per read ({n} reads)\n"));
        return ExitCode::SUCCESS;
    }
    let result = read(&bytes);
    let options = TextOptions { labels: false };
    match result {
        Ok(document) => {
            for warning in &document.warnings {
                eprintln!("warning: {path}: {}", warning.message);
            }
            if json {
                match serde_json::to_string_pretty(&document) {
                    Ok(text) => emit(&format!("{text}\n")),
                    Err(error) => eprintln!("error: {path}: {error}"),
                }
            } else {
                emit(&render_text(&document, options));
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let Some(partial) = error.partial() {
                emit(&render_text(partial, options));
            }
            eprintln!("error: {path}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`| head`) instead of panicking like `print!`.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
