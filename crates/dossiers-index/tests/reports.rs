//! The statistics and the committee's outputs on real records: the bundled sample dossiers
//! (`fixtures/dossiers`) and 60 dossiers made by `dossiers-gen`, normalised. Every figure of
//! `stats` is recomputed here the naive way (group, sort, take the middle) for every dimension
//! and wave selection; cross-tabulations must add up to the one-way counts; the French table,
//! both CSV dialects and the XLSX sheet are golden files (insta); the comparison sheet and the
//! fiche are converted to PDF by LibreOffice when `soffice` is installed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossiers_index::render::CsvDialect;
use dossiers_index::stats::{Metrics, ReportContext, StatsRequest, WaveSelection};
use dossiers_index::{Dimension, DossierIndex};
use dossiers_model::Record;
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The bundled sample and 60 generated dossiers, normalised once. Every seventh generated
/// record loses its budget and every eleventh its subsidy, so that groups with missing values
/// (and groups with none at all) are exercised.
fn records() -> &'static [Record] {
    static RECORDS: OnceLock<Vec<Record>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let options = NormalizeOptions::default();
        let mut records: Vec<Record> = find_dossiers(&root().join("fixtures/dossiers"))
            .iter()
            .map(|dir| normalize_dossier(dir, &options))
            .collect();
        let generated = tempfile::tempdir().unwrap();
        dossiers_gen::write_dossiers(12, 60, 800, generated.path()).unwrap();
        for (i, dir) in find_dossiers(generated.path()).iter().enumerate() {
            let mut record = normalize_dossier(dir, &options);
            // The generator names its dossiers as the bundled sample does (gen-0001…).
            record.dossier_id = format!("synth-{i:03}");
            if i % 7 == 3 {
                record.budget.total_expenses = None;
                record.budget.subsidy_share = None;
            }
            if i % 11 == 5 {
                record.budget.subsidy_requested = None;
                record.budget.subsidy_share = None;
            }
            records.push(record);
        }
        records.sort_by(|a, b| a.dossier_id.cmp(&b.dossier_id));
        records
    })
}

fn index() -> &'static DossierIndex {
    static INDEX: OnceLock<(tempfile::TempDir, DossierIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let index = DossierIndex::create_or_open(dir.path()).unwrap();
            let mut writer = index.writer().unwrap();
            for record in records() {
                writer.upsert(record, "").unwrap();
            }
            writer.commit("reports-test").unwrap();
            index.reload().unwrap();
            (dir, index)
        })
        .1
}

/// The median by sorting every value: the obviously right way.
fn naive_median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

fn wave_code(record: &Record) -> String {
    record
        .wave
        .map_or_else(|| "unknown".to_owned(), |w| w.to_string())
}

/// Checks one group's metrics against its records.
fn check(metrics: &Metrics, members: &[&Record], context: &str) {
    let budgets: Vec<f64> = members
        .iter()
        .filter_map(|r| r.budget.total_expenses)
        .collect();
    let subsidies: Vec<f64> = members
        .iter()
        .filter_map(|r| r.budget.subsidy_requested)
        .collect();
    let shares: Vec<f64> = members
        .iter()
        .filter_map(|r| r.budget.subsidy_share)
        .collect();
    let both: Vec<(f64, f64)> = members
        .iter()
        .filter_map(|r| Some((r.budget.total_expenses?, r.budget.subsidy_requested?)))
        .collect();
    let close = |a: Option<f64>, b: Option<f64>, what: &str| match (a, b) {
        (Some(a), Some(b)) => assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1.0),
            "{context} {what}: {a} ≠ {b}"
        ),
        (a, b) => assert_eq!(a, b, "{context} {what}"),
    };
    assert_eq!(metrics.dossiers, members.len() as u64, "{context} dossiers");
    assert_eq!(metrics.budget_n, budgets.len() as u64, "{context} budget n");
    assert_eq!(
        metrics.budget_missing,
        (members.len() - budgets.len()) as u64,
        "{context} budget missing"
    );
    assert_eq!(
        metrics.subsidy_n,
        subsidies.len() as u64,
        "{context} subsidy n"
    );
    close(
        metrics.budget_median,
        naive_median(budgets.clone()),
        "budget median",
    );
    close(
        metrics.subsidy_median,
        naive_median(subsidies.clone()),
        "subsidy median",
    );
    close(
        metrics.budget_total,
        (!budgets.is_empty()).then(|| budgets.iter().sum()),
        "budget total",
    );
    close(
        metrics.subsidy_total,
        (!subsidies.is_empty()).then(|| subsidies.iter().sum()),
        "subsidy total",
    );
    close(
        metrics.subsidy_share_mean,
        (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64),
        "share mean",
    );
    let both_budget: f64 = both.iter().map(|(b, _)| b).sum();
    let both_subsidy: f64 = both.iter().map(|(_, s)| s).sum();
    close(
        metrics.weighted_share,
        (!both.is_empty() && both_budget > 0.0).then(|| both_subsidy / both_budget),
        "weighted share",
    );
}

#[test]
fn every_median_of_stats_is_the_median_of_the_values() {
    let records = records();
    let index = index();
    let mut waves: Vec<WaveSelection> = vec![WaveSelection::Pooled, WaveSelection::SideBySide];
    waves.extend(
        index
            .known_waves()
            .unwrap()
            .into_iter()
            .map(WaveSelection::One),
    );
    let mut checked = 0;
    let mut even_medians = 0;
    let mut missing_groups = 0;
    let mut groups_without_budget = 0;
    for dimension in Dimension::ALL {
        for &selection in &waves {
            let report = index.stats(dimension, selection).unwrap();
            let selected: Vec<&Record> = records
                .iter()
                .filter(|r| match selection {
                    WaveSelection::One(wave) => r.wave == Some(wave),
                    _ => true,
                })
                .collect();
            let mut groups: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
            for record in &selected {
                for value in dimension.values(record) {
                    groups.entry(value).or_default().push(record);
                }
            }
            let got: Vec<&str> = report.rows.iter().map(|r| r.value.as_str()).collect();
            let mut expected: Vec<&str> = groups.keys().map(String::as_str).collect();
            let mut sorted_got = got.clone();
            sorted_got.sort_unstable();
            expected.sort_unstable();
            assert_eq!(sorted_got, expected, "{dimension:?} {selection:?}");
            let context = format!("{dimension:?} {selection:?} total");
            check(&report.total.metrics, &selected, &context);
            for row in &report.rows {
                let members = &groups[&row.value];
                let context = format!("{dimension:?} {selection:?} {}", row.value);
                check(&row.metrics, members, &context);
                checked += 1;
                if members
                    .iter()
                    .filter(|r| r.budget.total_expenses.is_some())
                    .count()
                    % 2
                    == 0
                {
                    even_medians += 1;
                }
                if row.metrics.budget_missing > 0 {
                    missing_groups += 1;
                }
                if row.metrics.budget_n == 0 {
                    assert_eq!(row.metrics.budget_total, None, "{context}: « — », not 0");
                    groups_without_budget += 1;
                }
                for wave in &row.waves {
                    let in_wave: Vec<&Record> = members
                        .iter()
                        .copied()
                        .filter(|r| wave_code(r) == wave.wave)
                        .collect();
                    check(
                        &wave.metrics,
                        &in_wave,
                        &format!("{context} wave {}", wave.wave),
                    );
                    checked += 1;
                }
            }
        }
    }
    // The check is only worth something if it met the cases that were wrong before: groups
    // with an even number of values, and groups with values missing.
    assert!(checked > 300, "{checked} groups checked");
    assert!(even_medians > 50, "{even_medians} even-sized groups");
    assert!(
        missing_groups > 10,
        "{missing_groups} groups with a missing budget"
    );
    assert!(
        groups_without_budget > 0,
        "no group without any budget was met"
    );
}

#[test]
fn side_by_side_has_every_known_wave_and_the_unknown_one() {
    let index = index();
    let report = index
        .stats(Dimension::LegalForm, WaveSelection::SideBySide)
        .unwrap();
    let columns: Vec<&str> = report.total.waves.iter().map(|w| w.wave.as_str()).collect();
    let mut expected: Vec<String> = index
        .known_waves()
        .unwrap()
        .iter()
        .map(u8::to_string)
        .collect();
    if records().iter().any(|r| r.wave.is_none()) {
        expected.push("unknown".to_owned());
    }
    assert_eq!(columns, expected);
    let per_wave: u64 = report.total.waves.iter().map(|w| w.metrics.dossiers).sum();
    assert_eq!(per_wave, records().len() as u64);
    assert!(matches!(
        index.check_wave(9),
        Err(dossiers_index::IndexError::UnknownWave { wave: 9, .. })
    ));
    let message = index.check_wave(9).unwrap_err().to_string();
    assert!(message.contains("known: 2, 3"), "{message}");
}

#[test]
fn cross_tab_totals_equal_the_one_way_counts() {
    let index = index();
    let selections = [
        WaveSelection::Pooled,
        WaveSelection::One(2),
        WaveSelection::One(3),
    ];
    for selection in selections {
        for a in Dimension::ALL {
            for b in Dimension::ALL {
                if a == b {
                    continue;
                }
                let request = StatsRequest {
                    by: vec![a, b],
                    waves: selection,
                    query: String::new(),
                    filters: Vec::new(),
                };
                let crossed = index.cross_tab(&request).unwrap();
                let rows = dossiers_index::stats::counts(&index.stats(a, selection).unwrap());
                let columns = dossiers_index::stats::counts(&index.stats(b, selection).unwrap());
                let row_totals: BTreeMap<String, u64> = crossed
                    .rows
                    .iter()
                    .map(|r| (r.value.clone(), r.total.dossiers))
                    .collect();
                let column_totals: BTreeMap<String, u64> = crossed
                    .columns
                    .iter()
                    .zip(&crossed.column_totals)
                    .map(|(c, m)| (c.value.clone(), m.dossiers))
                    .collect();
                assert_eq!(row_totals, rows, "{a:?} × {b:?} {selection:?} rows");
                assert_eq!(
                    column_totals, columns,
                    "{a:?} × {b:?} {selection:?} columns"
                );
                let one_way = index.stats(a, selection).unwrap();
                assert_eq!(crossed.total.dossiers, one_way.total.metrics.dossiers);
                // A single-valued pair partitions the dossiers: the cells add up to the row.
                let multi = |d: Dimension| {
                    matches!(
                        d,
                        Dimension::Sector | Dimension::Programme | Dimension::Flag
                    )
                };
                if !multi(b) {
                    for row in &crossed.rows {
                        let cells: u64 = row.cells.iter().map(|m| m.dossiers).sum();
                        assert_eq!(cells, row.total.dossiers, "{a:?} × {b:?} {}", row.value);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Golden files, on the bundled sample only (six dossiers: small, stable files).

fn sample_index() -> &'static DossierIndex {
    static INDEX: OnceLock<(tempfile::TempDir, DossierIndex)> = OnceLock::new();
    &INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let index = DossierIndex::create_or_open(dir.path()).unwrap();
            let mut writer = index.writer().unwrap();
            for record in records()
                .iter()
                .filter(|r| r.dossier_id.starts_with("gen-"))
            {
                writer.upsert(record, "").unwrap();
            }
            writer.commit("golden").unwrap();
            index.reload().unwrap();
            (dir, index)
        })
        .1
}

fn fixed(context: &mut ReportContext) {
    context.generated_at = Some("2026-12-08T09:30:00Z".to_owned());
    context.index_run = Some("golden".to_owned());
}

fn sample_report(by: Dimension, waves: WaveSelection) -> dossiers_index::stats::StatsReport {
    let mut report = sample_index().stats(by, waves).unwrap();
    fixed(&mut report.context);
    report
}

#[test]
fn golden_french_table_and_csv() {
    let report = sample_report(Dimension::LandControl, WaveSelection::SideBySide);
    let grid = report.to_grid(true);
    insta::assert_snapshot!("land_control_side_by_side_table", grid.to_table());
    insta::assert_snapshot!(
        "land_control_side_by_side_csv_machine",
        grid.to_csv(CsvDialect::Machine)
    );
    let french = grid.to_csv(CsvDialect::FrenchExcel);
    assert!(french.starts_with('\u{feff}'));
    insta::assert_snapshot!("land_control_side_by_side_csv_excel_fr", french);

    let mut crossed = sample_index()
        .cross_tab(&StatsRequest {
            by: vec![Dimension::LegalForm, Dimension::LandControl],
            waves: WaveSelection::Pooled,
            query: String::new(),
            filters: Vec::new(),
        })
        .unwrap();
    fixed(&mut crossed.context);
    let grid = crossed.to_grid(dossiers_index::stats::Measure::Dossiers, false);
    insta::assert_snapshot!("legal_form_by_land_control_table", grid.to_table());
    insta::assert_snapshot!(
        "legal_form_by_land_control_csv_excel_fr",
        grid.to_csv(CsvDialect::FrenchExcel)
    );

    let records: Vec<Record> = records()
        .iter()
        .filter(|r| r.dossier_id.starts_with("gen-"))
        .cloned()
        .collect();
    insta::assert_snapshot!(
        "export_csv_excel_fr",
        dossiers_index::export::to_csv(&records, CsvDialect::FrenchExcel)
    );
    insta::assert_snapshot!(
        "export_csv_machine",
        dossiers_index::export::to_csv(&records, CsvDialect::Machine)
    );
}

/// The parts of an XLSX that say what a reader sees: the sheet (cells, their style, the
/// autofilter, the frozen pane, the page set-up), the shared strings and the number formats.
fn xlsx_parts(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for name in [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
    ] {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        let text = if name == "xl/styles.xml" {
            // Only the number formats and the cell formats that use them.
            let start = text.find("<numFmts").unwrap_or(0);
            let end = text.find("</cellXfs>").map_or(text.len(), |i| i + 10);
            text[start..end].to_owned()
        } else {
            text
        };
        out.push_str(&format!("== {name}\n{}\n", text.replace("><", ">\n<")));
    }
    out
}

#[test]
fn golden_xlsx_cells_and_formats() {
    let report = sample_report(Dimension::LegalForm, WaveSelection::One(2));
    let bytes = report.to_grid(false).to_xlsx().unwrap();
    let parts = xlsx_parts(&bytes);
    // The money format shows « 2 581 500 € » in a French spreadsheet; the old `# ##0 €`
    // printed « 2581 500 € ».
    assert!(
        parts.contains(r##"formatCode="#,##0 &quot;€&quot;""##),
        "{parts}"
    );
    assert!(parts.contains("<autoFilter"), "{parts}");
    assert!(parts.contains(r#"orientation="landscape""#), "{parts}");
    assert!(
        parts.contains(r#"fitToWidth="1""#) || parts.contains("fitToPage"),
        "{parts}"
    );
    insta::assert_snapshot!("legal_form_wave_2_xlsx", parts);

    let records: Vec<Record> = records()
        .iter()
        .filter(|r| r.dossier_id.starts_with("gen-"))
        .cloned()
        .collect();
    let mut context = dossiers_index::export::ExportContext {
        waves: "Toutes vagues confondues".to_owned(),
        report: ReportContext::default(),
    };
    fixed(&mut context.report);
    let bytes = dossiers_index::export::to_xlsx_with(&records, &context).unwrap();
    insta::assert_snapshot!("export_xlsx", xlsx_parts(&bytes));
}

// ---------------------------------------------------------------------------------------------
// The committee's sheets, opened by LibreOffice.

/// Converts a .docx to PDF with LibreOffice, or says why not.
fn to_pdf(docx: &[u8], name: &str, out: &Path) -> Option<PathBuf> {
    let input = out.join(format!("{name}.docx"));
    std::fs::write(&input, docx).unwrap();
    let status = std::process::Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(&input)
        .env("HOME", out)
        .output();
    match status {
        Ok(output) if output.status.success() => {
            let pdf = out.join(format!("{name}.pdf"));
            assert!(
                pdf.is_file(),
                "soffice made no PDF: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Some(pdf)
        }
        Ok(output) => panic!(
            "soffice failed on {name}.docx: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => None,
    }
}

/// The text of each page of a PDF (`pdftotext`), when poppler is installed.
fn pages(pdf: &Path) -> Option<Vec<String>> {
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .split('\u{c}')
            .filter(|page| !page.trim().is_empty())
            .map(str::to_owned)
            .collect()
    })
}

fn document_xml(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut text = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every page the table runs on after the first starts with its header row: the pages before
/// the one where `after_table` (the heading that follows the table) appears, and that one too
/// unless it starts with the heading.
fn header_repeats(pages: &[String], header: &str, after_table: &str) {
    let end = pages
        .iter()
        .position(|page| page.contains(after_table))
        .unwrap_or(pages.len() - 1);
    for (i, page) in pages.iter().enumerate().take(end + 1).skip(1) {
        let first = page.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        if first.trim_start().starts_with(after_table) {
            continue;
        }
        assert!(
            first.trim_start().starts_with(header),
            "page {} does not start with the header row: {first:?}",
            i + 1
        );
    }
}

#[test]
fn the_comparison_and_the_fiche_open_in_libreoffice() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: soffice (LibreOffice) is not installed");
        return;
    }
    let out = match std::env::var_os("DOSSIERS_KEEP_PDF") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            tempfile::tempdir_in(dir).unwrap().keep()
        }
        None => tempfile::tempdir().unwrap().keep(),
    };
    let index = sample_index();
    let ids: Vec<String> = ["gen-0001", "gen-0002", "gen-0004"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let comparison = index.compare(&ids).unwrap();
    let pdf = to_pdf(&comparison.to_docx().unwrap(), "comparaison", &out).unwrap();
    let docx = comparison.to_docx().unwrap();
    assert_eq!(document_xml(&docx).matches("<w:tblHeader />").count(), 1);
    if let Some(pages) = pages(&pdf) {
        header_repeats(&pages, "Champ", "Extraits des candidatures");
        let all = pages.join("\n");
        assert!(all.contains("Bail emphytéotique") || all.contains("Mise à disposition"));
        assert!(!all.contains("provided_free") && !all.contains("emphyteotic_lease"));
        assert!(all.contains("source :"), "the excerpts cite their source");
        assert!(!all.contains("Question ; Réponse"));
    }
    let record = index.get("gen-0001").unwrap();
    let pdf = to_pdf(
        &dossiers_index::fiche::to_docx(&record).unwrap(),
        "fiche",
        &out,
    )
    .unwrap();
    if let Some(pages) = pages(&pdf) {
        assert!(pages.len() >= 2, "the fiche's table spans pages");
        header_repeats(&pages, "Champ", "Budget par année");
        let all = pages.join("\n");
        assert!(all.contains("Points d'attention"), "{all}");
        assert!(all.contains("Source :"));
    }
    eprintln!("PDFs in {}", out.display());
}

#[test]
fn an_empty_wave_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let index = DossierIndex::create_or_open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for record in records().iter().filter(|r| r.wave == Some(2)) {
        writer.upsert(record, "").unwrap();
    }
    writer.commit("wave-2-only").unwrap();
    index.reload().unwrap();
    // Wave 3 is in the calendar, so it is known, and empty here.
    index.check_wave(3).unwrap();
    let report = index
        .stats(Dimension::LegalForm, WaveSelection::One(3))
        .unwrap();
    assert_eq!(report.total.metrics.dossiers, 0);
    assert!(report.rows.is_empty());
    assert_eq!(
        report.total.metrics.budget_total, None,
        "no budget is « — », not 0"
    );
    let table = report.to_table();
    assert!(
        table.contains("Aucun dossier : Vague 3 (clôture le 3 mars 2022 à 12 h 00)."),
        "{table}"
    );
    // Side by side, the empty wave still has its column.
    let side = index
        .stats(Dimension::LegalForm, WaveSelection::SideBySide)
        .unwrap();
    let waves: Vec<(&str, u64)> = side
        .total
        .waves
        .iter()
        .map(|w| (w.wave.as_str(), w.metrics.dossiers))
        .collect();
    assert_eq!(waves[1], ("3", 0));
}
