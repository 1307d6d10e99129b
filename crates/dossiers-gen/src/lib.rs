//! Synthetic « Manufactures de proximité » dossiers for tests and benchmarks (dev only).
//!
//! The real dossiers cannot be shared, and the 16 hand-made samples in `shared/dossiers` are too
//! few to measure the normaliser or to benchmark the readers on typical inputs. This crate draws
//! a dossier's facts from a seed ([`profile`]), writes them as a French application (.docx, with
//! several phrasings per fact and neutral filler prose scaled to a word count) and a budget
//! matrix (.xlsx with formulas and cached results), and writes the same facts as the truth file
//! the normaliser must reproduce ([`truth`]).
//!
//! Everything is deterministic: the same `(seed, index, words)` gives byte-identical files, in
//! any process and whatever else was generated before (see `docx.rs` for what that takes with
//! docx-rs).
//!
//! It also writes the small format fixtures under `fixtures/generated/` ([`fixtures`]).

pub mod docx;
pub mod fixtures;
pub mod geo;
pub mod profile;
pub mod prose;
pub mod rng;
pub mod siret;
pub mod truth;
pub mod xlsx;

use anyhow::{Context, Result};

pub use truth::Truth;

/// The default size of a generated application, the length of a typical real dossier.
pub const DEFAULT_WORDS: usize = 3_000;

/// One generated dossier: its two files and its truth.
#[derive(Debug, Clone)]
pub struct GeneratedDossier {
    /// The folder name, `gen-NNNN`.
    pub dossier_id: String,
    /// `dossier-candidature.docx`.
    pub application_docx: Vec<u8>,
    /// `matrice-budgetaire.xlsx`.
    pub budget_xlsx: Vec<u8>,
    /// The truth, in the shape of `shared/spec/record.md`.
    pub truth: Truth,
}

impl GeneratedDossier {
    /// The truth as JSON (pretty, with a trailing newline), as written to `gen-NNNN.truth.json`.
    pub fn truth_json(&self) -> Result<String> {
        let mut json =
            serde_json::to_string_pretty(&self.truth).context("serialising the truth")?;
        json.push('\n');
        Ok(json)
    }

    /// The truth as a JSON value.
    pub fn truth_value(&self) -> Result<serde_json::Value> {
        serde_json::to_value(&self.truth).context("serialising the truth")
    }
}

/// Generates dossier number `index` (1-based) of the collection fixed by `seed`, with an
/// application of about `words` words.
pub fn generate_dossier(seed: u64, index: u32, words: usize) -> Result<GeneratedDossier> {
    let profile = profile::draw(seed, index)?;
    // The prose has its own stream so that changing the wording never changes the facts.
    let mut prose_rng = rng::Rng::for_item(seed ^ 0x005E_ED0F_7E57, u64::from(index));
    let application = prose::application(&profile, words, &mut prose_rng);
    let (year, month, day, _, _) = profile.deposited;
    let created_day = day.saturating_sub(1).max(1);
    let created = format!("{year:04}-{month:02}-{created_day:02}T08:30:00Z");
    let application_docx = docx::application_docx(&application, &created)?;
    let budget_xlsx = xlsx::budget_xlsx(
        &profile.budget,
        &profile.structure_name,
        &profile.manufacture_name,
        (
            u16::try_from(year).unwrap_or(2022),
            u8::try_from(month).unwrap_or(1),
            u8::try_from(created_day).unwrap_or(1),
        ),
    )?;
    Ok(GeneratedDossier {
        dossier_id: profile.dossier_id.clone(),
        application_docx,
        budget_xlsx,
        truth: truth::truth(&profile),
    })
}

/// Writes dossiers `1..=count` under `out`: `gen-NNNN/dossier-candidature.docx`,
/// `gen-NNNN/matrice-budgetaire.xlsx` and `gen-NNNN.truth.json` beside each folder.
pub fn write_dossiers(seed: u64, count: u32, words: usize, out: &std::path::Path) -> Result<()> {
    for index in 1..=count {
        let dossier = generate_dossier(seed, index, words)?;
        let folder = out.join(&dossier.dossier_id);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("creating {}", folder.display()))?;
        write(
            &folder.join("dossier-candidature.docx"),
            &dossier.application_docx,
        )?;
        write(
            &folder.join("matrice-budgetaire.xlsx"),
            &dossier.budget_xlsx,
        )?;
        write(
            &out.join(format!("{}.truth.json", dossier.dossier_id)),
            dossier.truth_json()?.as_bytes(),
        )?;
    }
    Ok(())
}

/// Writes a file, naming it in the error.
pub fn write(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn entry(zip_bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn same_seed_gives_the_same_bytes() {
        let first: Vec<GeneratedDossier> = (1..=8)
            .map(|i| generate_dossier(42, i, 800).unwrap())
            .collect();
        // Generated again in another order, after other documents: docx-rs's process-wide
        // counters (footnotes) have moved on, the bytes must not.
        let mut with_footnotes = 0;
        for (i, a) in first.iter().enumerate().rev() {
            let b = generate_dossier(42, i as u32 + 1, 800).unwrap();
            assert_eq!(a.application_docx, b.application_docx, "docx {}", i + 1);
            assert_eq!(a.budget_xlsx, b.budget_xlsx, "xlsx {}", i + 1);
            assert_eq!(a.truth, b.truth);
            if entry(&a.application_docx, "word/document.xml").contains("w:footnoteReference") {
                with_footnotes += 1;
            }
        }
        assert!(
            with_footnotes > 0,
            "no dossier with a footnote among the first 8"
        );
        let other_seed = generate_dossier(43, 3, 800).unwrap();
        assert_ne!(first[2].application_docx, other_seed.application_docx);
    }

    #[test]
    fn the_docx_says_what_the_truth_says() {
        for index in 1..=12 {
            let dossier = generate_dossier(42, index, 1_000).unwrap();
            let xml = entry(&dossier.application_docx, "word/document.xml");
            let unescaped = xml
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            let applicant = &dossier.truth.applicant;
            assert!(unescaped.contains(&applicant.manufacture_name), "{index}");
            assert!(unescaped.contains(&applicant.structure_name), "{index}");
            assert!(
                unescaped.contains("foncier") || unescaped.contains("foncière"),
                "{index}"
            );
            assert!(unescaped.contains(&applicant.postal_code), "{index}");
            assert!(unescaped.contains("«\u{a0}Manufactures de proximité\u{a0}»"));
            let styles = entry(&dossier.application_docx, "word/styles.xml");
            assert!(styles.contains("w:outlineLvl"));
        }
    }

    /// The document text with tags stripped, entities decoded and non-breaking spaces as spaces.
    fn plain_text(docx: &[u8]) -> String {
        let xml = entry(docx, "word/document.xml");
        let mut text = String::new();
        let mut inside = false;
        for ch in xml.chars() {
            match ch {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => text.push(c),
                _ => {}
            }
        }
        text.replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .replace(['\u{a0}', '\u{202f}'], " ")
    }

    fn spaced(amount: f64) -> String {
        prose::euros(amount as u64, ' ', "").trim_end().to_owned()
    }

    #[test]
    fn every_recorded_fact_is_written_in_the_text() {
        for index in 1..=60 {
            let dossier = generate_dossier(42, index, 600).unwrap();
            let text = plain_text(&dossier.application_docx);
            let lower = text.to_lowercase();
            let truth = &dossier.truth;
            let context = format!("gen-{index:04}");
            if let Some(siret) = &truth.applicant.siret {
                assert!(
                    text.replace(' ', "").contains(siret.as_str()),
                    "{context} siret"
                );
            }
            if let Some(surface) = truth.land_control.surface_m2 {
                let surface = format!("{} m²", spaced(f64::from(surface)));
                assert!(text.contains(&surface), "{context} {surface}");
            }
            if let Some(years) = truth.land_control.lease_years {
                assert!(
                    text.contains(&format!("{years} ans"))
                        || (years == 9 && text.contains("3-6-9")),
                    "{context} lease {years}"
                );
            }
            if let Some(year) = truth.land_control.final_premises_year {
                assert!(text.contains(&format!("prévue en {year}")), "{context}");
            }
            let subsidy = format!("{} €", spaced(truth.budget.subsidy_requested));
            assert!(text.contains(&subsidy), "{context} {subsidy}");
            assert_eq!(
                lower.contains("rural"),
                truth.territorial_diagnosis.rural,
                "{context} rural"
            );
            for programme in &truth.territorial_diagnosis.programmes {
                let needle = match programme.as_str() {
                    "petites_villes_de_demain" => "petites villes de demain",
                    "action_coeur_de_ville" => "action cœur de ville",
                    "territoires_d_industrie" => "territoire",
                    "qpv" => "qpv",
                    _ => "fabrique de territoire",
                };
                assert!(lower.contains(needle), "{context} {programme}");
            }
            if !truth.activities.digital_machines {
                for word in ["numérique", "cnc", "laser", "3d"] {
                    assert!(!lower.contains(word), "{context} {word}");
                }
            }
            if truth.legal_model.consortium {
                assert!(lower.contains("chef de file"), "{context} consortium");
            }
        }
    }

    #[test]
    fn the_xlsx_holds_the_totals_with_cached_results() {
        let dossier = generate_dossier(42, 1, 500).unwrap();
        let sheet = entry(&dossier.budget_xlsx, "xl/worksheets/sheet1.xml");
        let total = dossier.truth.budget.total_expenses;
        assert!(sheet.contains("<f>SUM("), "no formula");
        assert!(
            sheet.contains(&format!("<v>{total}</v>")),
            "no cached total {total}"
        );
    }

    #[test]
    fn words_scale_the_application() {
        let short = generate_dossier(7, 1, 500).unwrap();
        let long = generate_dossier(7, 1, 3_000).unwrap();
        let words = |d: &GeneratedDossier| {
            let xml = entry(&d.application_docx, "word/document.xml");
            let mut text = String::new();
            let mut inside = false;
            for ch in xml.chars() {
                match ch {
                    '<' => {
                        inside = true;
                        text.push(' ');
                    }
                    '>' => inside = false,
                    c if !inside => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().count()
        };
        let (short_words, long_words) = (words(&short), words(&long));
        assert!(short_words < 1_200, "{short_words}");
        assert!((2_700..3_600).contains(&long_words), "{long_words}");
    }

    #[test]
    fn zip_entries_carry_a_fixed_timestamp() {
        let dossier = generate_dossier(1, 1, 300).unwrap();
        for bytes in [&dossier.application_docx, &dossier.budget_xlsx] {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.as_slice())).unwrap();
            for i in 0..archive.len() {
                let file = archive.by_index(i).unwrap();
                let time = file.last_modified().unwrap();
                assert_eq!(time.year(), 1980, "{:?}", file.name());
            }
        }
    }
}
