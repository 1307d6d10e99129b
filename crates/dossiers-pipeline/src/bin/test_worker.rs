//! A stand-in for `dossiers worker`, for the pool's tests: it serves the worker protocol like
//! the real subcommand, except for inputs whose name asks for trouble — `hang` (never answers),
//! `allocate` (allocates until the memory cap kills it), `crash` (aborts). A hostile real file
//! would test the same fences, but none is hostile on every machine and every reader version.

use std::io::Write as _;

use dossiers_pipeline::worker::{apply_memory_cap, extract_input, serve_worker_with};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cap = match args.as_slice() {
        [flag, bytes] if flag == "--memory-cap" => bytes.parse::<u64>().ok(),
        _ => None,
    };
    if let Some(bytes) = cap
        && let Err(error) = apply_memory_cap(bytes)
    {
        let _ = writeln!(std::io::stderr(), "cannot cap memory: {error}");
        return std::process::ExitCode::from(2);
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let served = serve_worker_with(stdin, stdout, |input, limits| {
        let name = input.name();
        if name.contains("hang") {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
        if name.contains("allocate") {
            // Without a cap this would take the machine down with it: refuse.
            if cap.is_none() {
                std::process::exit(3);
            }
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1u8; 64 << 20]);
            }
        }
        if name.contains("crash") {
            std::process::abort();
        }
        extract_input(input, limits)
    });
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::FAILURE,
    }
}
