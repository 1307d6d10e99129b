//! Throughput of the readers on one core: `sheet-bench <file>...` reads each file repeatedly
//! for about a second and prints files per second. `sheet-bench --write <out.xlsx>` writes a
//! typical budget matrix (two sheets of 100 rows × 10 columns, formulas with cached values, a
//! merged title) to measure with.

use std::time::{Duration, Instant};

use dossiers_document::Limits;
use rust_xlsxwriter::{Format, Formula, Workbook};

fn write_matrix(path: &str) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    for name in ["Charges", "Produits"] {
        let sheet = workbook.add_worksheet().set_name(name)?;
        sheet.merge_range(
            0,
            0,
            0,
            9,
            "MATRICE BUDGÉTAIRE PRÉVISIONNELLE",
            &Format::new(),
        )?;
        for row in 1..100u32 {
            sheet.write_string(row, 0, format!("Poste de dépense n° {row}"))?;
            let mut total = 0.0;
            for col in 1..9u16 {
                let amount = f64::from(row * 100 + u32::from(col)) + 0.5;
                total += amount;
                sheet.write_number(row, col, amount)?;
            }
            let formula =
                Formula::new(format!("=SUM(B{0}:I{0})", row + 1)).set_result(total.to_string());
            sheet.write_formula(row, 9, formula)?;
        }
    }
    workbook.save(path)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, path] = args.as_slice()
        && flag == "--write"
    {
        if let Err(error) = write_matrix(path) {
            eprintln!("error: {path}: {error}");
            std::process::exit(1);
        }
        return;
    }
    let limits = Limits::default();
    for path in &args {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("error: {path}: unreadable");
            continue;
        };
        let read = |bytes: &[u8]| {
            if path.ends_with(".xls") {
                dossiers_sheet::read_xls(bytes, &limits)
            } else if path.ends_with(".ods") {
                dossiers_sheet::read_ods(bytes, &limits)
            } else {
                dossiers_sheet::read_xlsx(bytes, &limits)
            }
        };
        let started = Instant::now();
        let mut n = 0u32;
        let mut n_cells = 0usize;
        while started.elapsed() < Duration::from_secs(1) {
            if let Ok(document) = read(&bytes) {
                n_cells = document.n_chars();
            }
            n += 1;
        }
        let per_second = f64::from(n) / started.elapsed().as_secs_f64();
        println!("{per_second:8.0} files/s  {n_cells:7} chars  {path}");
    }
}
