//! Démarches simplifiées exports as they come: the bundled zip fixture with its CSV sheet, the
//! same export unpacked under another root, a workbook sheet, hostile entry paths, and the
//! bundled folder of dossiers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use dossiers_pipeline::config::{RunLimits, Source};
use dossiers_pipeline::ds::{
    DsState, FileLocation, SetAsideReason, list_ds_export, list_folder_of_dossiers, list_source,
    read_export_sheet, read_unit_file,
};

const BASE: &str = "dossiers_manufactures-de-proximite_2022-04-15_08-00";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn zip_path() -> PathBuf {
    fixtures().join("ds-export").join(format!("{BASE}.zip"))
}

#[test]
fn the_zip_export_lists_its_dossiers_with_their_sheet_rows() {
    let listing = list_ds_export(&zip_path(), None, None, &RunLimits::default()).unwrap();
    let ids: Vec<&str> = listing
        .units
        .iter()
        .map(|u| u.dossier_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "dossier-7099874",
            "dossier-7104321",
            "dossier-7104388",
            "dossier-7215002"
        ]
    );
    let unit = &listing.units[1];
    assert_eq!(unit.ds_number, Some(7104321));
    let names: Vec<&str> = unit.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["dossier-candidature.docx", "matrice-budgetaire.xlsx"]
    );
    assert!(matches!(
        unit.files[0].location,
        FileLocation::ZipEntry { .. }
    ));
    // Keyed below the dated root folder.
    assert!(unit.files[0].key.ends_with(
        "2022-04-15_08-00.zip!dossier-7104321/pieces_justificatives/dossier-candidature-23-11-2021-23-36-4821.docx"
    ), "{}", unit.files[0].key);

    // The sheet beside the zip was found and joined by number.
    let row = unit.sheet_row.as_ref().expect("joined row");
    assert_eq!(row.state, Some(DsState::EnInstruction));
    assert_eq!(row.deposited_at.unwrap().to_string(), "2021-11-23 23:36:00");
    let row = listing.units[2].sheet_row.as_ref().unwrap();
    assert_eq!(row.siret.as_deref(), Some("82092660803428"));
    assert_eq!(row.legal_form_code.as_deref(), Some("9220"));
    assert_eq!(row.state, Some(DsState::Accepte));
    assert_eq!(
        row.columns
            .get("Dossier de candidature")
            .map(String::as_str),
        Some("dossier-candidature.doc")
    );
    assert_eq!(listing.sheet_only.len(), 1);
    assert_eq!(listing.sheet_only[0].number, 7230001);
    assert_eq!(listing.sheet_only[0].state, Some(DsState::SansSuite));

    // Per dossier: the PDF, messagerie and horodatage are DS's, not the applicant's.
    assert_eq!(listing.set_aside.len(), 12);
    assert!(
        listing
            .set_aside
            .iter()
            .all(|s| s.reason == SetAsideReason::DsFile)
    );
}

#[test]
fn zip_entries_read_back_as_the_original_files() {
    let listing = list_ds_export(&zip_path(), None, None, &RunLimits::default()).unwrap();
    let archive = listing.archive.as_ref().unwrap();
    let mut reader = archive.reader().unwrap();
    let samples = ["gen-0004", "gen-0001", "gen-0002", "gen-0003"];
    for (unit, sample) in listing.units.iter().zip(samples) {
        for file in &unit.files {
            let bytes = read_unit_file(file, Some(&mut reader), 64 << 20).unwrap();
            let original =
                std::fs::read(fixtures().join("dossiers").join(sample).join(&file.name)).unwrap();
            assert_eq!(bytes, original, "{}", file.key);
        }
    }
}

#[test]
fn an_unpacked_export_under_a_procedure_root_lists_the_same_dossiers() {
    let zipped = list_ds_export(&zip_path(), None, Some(2), &RunLimits::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("archive");
    let mut reader = zipped.archive.as_ref().unwrap().reader().unwrap();
    for unit in &zipped.units {
        for file in &unit.files {
            let FileLocation::ZipEntry { entry, .. } = &file.location else {
                panic!()
            };
            let inside = entry.strip_prefix(&format!("{BASE}/")).unwrap();
            let target = export.join("procedure-4242-777").join(inside);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(
                &target,
                read_unit_file(file, Some(&mut reader), 64 << 20).unwrap(),
            )
            .unwrap();
        }
    }
    std::fs::create_dir_all(export.join("procedure-4242-777/dossier-7104321/messagerie")).unwrap();
    std::fs::write(
        export.join("procedure-4242-777/dossier-7104321/messagerie/m-01-12-2021-10-00-1.txt"),
        "?",
    )
    .unwrap();
    let sheet = fixtures().join("ds-export").join(format!("{BASE}.csv"));
    let source = Source::DsExport {
        path: export.clone(),
        sheet: Some(sheet),
        wave: Some(2),
    };
    let unpacked = list_source(&source, &RunLimits::default()).unwrap();
    assert!(unpacked.archive.is_none());
    assert_eq!(unpacked.units.len(), zipped.units.len());
    for (a, b) in unpacked.units.iter().zip(&zipped.units) {
        assert_eq!(a.dossier_id, b.dossier_id);
        assert_eq!(a.wave, Some(2));
        assert_eq!(a.sheet_row, b.sheet_row);
        let names = |u: &dossiers_pipeline::ds::DossierUnit| {
            u.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(a), names(b));
        assert!(matches!(a.files[0].location, FileLocation::Disk(_)));
    }
    assert_eq!(unpacked.set_aside.len(), 1);

    // Tomorrow's archive has another id in its root's name: the keys stay the same, so the
    // state store sees the same files.
    std::fs::rename(
        export.join("procedure-4242-777"),
        export.join("procedure-4242-778"),
    )
    .unwrap();
    let renamed = list_source(&source, &RunLimits::default()).unwrap();
    let keys = |listing: &dossiers_pipeline::ds::Listing| {
        listing
            .units
            .iter()
            .flat_map(|u| u.files.iter().map(|f| f.key.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&renamed), keys(&unpacked));
    assert!(
        keys(&renamed)[0].contains("archive!dossier-7099874/"),
        "{:?}",
        keys(&renamed)
    );
}

#[test]
fn hostile_entry_paths_are_refused_and_the_rest_kept() {
    let listing = list_ds_export(
        &fixtures().join("ds-export/hostile-paths.zip"),
        None,
        None,
        &RunLimits::default(),
    )
    .unwrap();
    assert_eq!(listing.units.len(), 1);
    assert_eq!(listing.units[0].dossier_id, "dossier-1");
    assert_eq!(listing.units[0].files[0].name, "ok.txt");
    let refused: Vec<&str> = listing
        .set_aside
        .iter()
        .filter(|s| s.reason == SetAsideReason::UnsafePath)
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    // The one sheet beside it is joined, though it knows nothing of dossier 1.
    assert!(listing.units[0].sheet_row.is_none());
    assert_eq!(listing.sheet_only.len(), 5);
}

#[test]
fn a_zip_over_the_export_limit_is_refused_before_reading() {
    let limits = RunLimits {
        max_export_bytes: 1000,
        ..RunLimits::default()
    };
    let error = list_ds_export(&zip_path(), None, None, &limits).unwrap_err();
    assert!(error.to_string().contains("over the limit"), "{error}");
}

#[test]
fn a_workbook_sheet_joins_dossiers_and_etablissements() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossiers_mp_2022-04-15_08-00.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let dossiers = workbook.add_worksheet().set_name("Dossiers").unwrap();
    let header = [
        "ID",
        "Email",
        "Entreprise raison sociale",
        "Archivé",
        "État du dossier",
        "Dernière mise à jour le",
        "Déposé le",
    ];
    for (c, h) in header.iter().enumerate() {
        dossiers.write_string(0, c as u16, *h).unwrap();
    }
    dossiers.write_number(1, 0, 7104388.0).unwrap();
    dossiers.write_string(1, 2, "La Ruche Productive").unwrap();
    dossiers.write_string(1, 4, "Refusé").unwrap();
    dossiers.write_string(1, 6, "2021-11-28 11:07:00").unwrap();
    let etablissements = workbook.add_worksheet().set_name("Etablissements").unwrap();
    let header = [
        "Dossier ID",
        "Champ",
        "Établissement SIRET",
        "Entreprise forme juridique code",
    ];
    for (c, h) in header.iter().enumerate() {
        etablissements.write_string(0, c as u16, *h).unwrap();
    }
    // A SIRET champ of the form comes first; only the demandeur's row (`Dossier`) counts.
    etablissements.write_number(1, 0, 7104388.0).unwrap();
    etablissements
        .write_string(1, 1, "SIRET du partenaire")
        .unwrap();
    etablissements.write_string(1, 2, "11111111111111").unwrap();
    etablissements.write_number(2, 0, 7104388.0).unwrap();
    etablissements.write_string(2, 1, "Dossier").unwrap();
    etablissements.write_string(2, 2, "82092660803428").unwrap();
    etablissements.write_string(2, 3, "9220").unwrap();
    workbook.save(&path).unwrap();

    let sheet = read_export_sheet(&path, &RunLimits::default()).unwrap();
    let row = &sheet.rows[&7104388];
    assert_eq!(row.state, Some(DsState::Refuse));
    assert_eq!(row.siret.as_deref(), Some("82092660803428"));
    assert_eq!(row.legal_form_code.as_deref(), Some("9220"));
    assert_eq!(row.structure_name.as_deref(), Some("La Ruche Productive"));
    assert_eq!(row.deposited_at.unwrap().to_string(), "2021-11-28 11:07:00");
}

#[test]
fn the_bundled_folder_lists_one_unit_per_dossier() {
    let listing = list_folder_of_dossiers(&fixtures().join("dossiers")).unwrap();
    assert_eq!(listing.units.len(), 6);
    let unit = &listing.units[0];
    assert_eq!(unit.dossier_id, "gen-0001");
    assert_eq!(unit.ds_number, None);
    let names: Vec<&str> = unit.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["dossier-candidature.docx", "matrice-budgetaire.xlsx"]
    );
    assert!(unit.files.iter().all(|f| f.stamp.size > 0));
}
