//! Normalises every dossier under a folder and writes `<dossier_id>.json` per dossier into an
//! output folder, for `shared/bin/score-records`:
//!
//! ```text
//! cargo run --release -p dossiers-normalize --example normalize -- DOSSIERS_DIR OUT_DIR
//! ```

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: normalize DOSSIERS_DIR OUT_DIR");
        std::process::exit(2);
    };
    let output = PathBuf::from(output);
    std::fs::create_dir_all(&output)?;
    let options = dossiers_normalize::NormalizeOptions::default();
    let started = Instant::now();
    let dossiers = dossiers_normalize::find_dossiers(&PathBuf::from(input));
    for dir in &dossiers {
        let record = dossiers_normalize::normalize_dossier(dir, &options);
        let path = output.join(format!("{}.json", record.dossier_id));
        std::fs::write(&path, serde_json::to_string_pretty(&record)?)?;
        let flags: Vec<&str> = record.flags.iter().map(|f| f.code.code()).collect();
        println!(
            "{}\t{}\t{}",
            record.dossier_id,
            record.legal_model.form.code(),
            flags.join(",")
        );
    }
    eprintln!(
        "{} dossiers in {:.3} s",
        dossiers.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
