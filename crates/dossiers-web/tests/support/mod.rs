//! A small site for the tests: the bundled sample dossiers copied to a temporary folder,
//! normalised and indexed there, an accounts file with one account, and the server's state.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dossiers_index::DossierIndex;
use dossiers_model::Record;
use dossiers_normalize::{NormalizeOptions, find_dossiers, normalize_dossier};
use dossiers_pipeline::config::{RunLimits, Source};
use dossiers_web::hashing::PasswordPool;
use dossiers_web::originals::Originals;
use dossiers_web::{AppState, ServeOptions, Shared};

pub const USER: &str = "claire";
pub const PASSWORD: &str = "un mot de passe de test";

#[allow(dead_code)]
pub struct Site {
    pub dir: tempfile::TempDir,
    pub state: Shared,
    pub dossiers: PathBuf,
    pub index: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/dossiers")
}

/// Indexes the sample dossiers (gen-0001 … gen-0006) into a fresh index, with two attachments
/// more in gen-0001: [`IMAGE_NAME`] and [`PDF_NAME`].
pub fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    copy_dir(&fixtures(), &dossiers);
    std::fs::write(dossiers.join("gen-0001").join(IMAGE_NAME), plan_png()).unwrap();
    std::fs::write(dossiers.join("gen-0001").join(PDF_NAME), statutes_pdf()).unwrap();
    let records: Vec<Record> = find_dossiers(&dossiers)
        .iter()
        .map(|folder| normalize_dossier(folder, &NormalizeOptions::default()))
        .collect();
    site_in(dir, dossiers, &records, PasswordPool::default())
}

/// A site over the given records (no original files).
#[allow(dead_code)]
pub fn site_of(records: &[Record]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    std::fs::create_dir_all(&dossiers).unwrap();
    site_in(dir, dossiers, records, PasswordPool::default())
}

/// An empty site whose logins go through `pool`.
#[allow(dead_code)]
pub fn site_with_pool(pool: PasswordPool) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let dossiers = dir.path().join("dossiers");
    std::fs::create_dir_all(&dossiers).unwrap();
    site_in(dir, dossiers, &[], pool)
}

fn site_in(
    dir: tempfile::TempDir,
    dossiers: PathBuf,
    records: &[Record],
    pool: PasswordPool,
) -> Site {
    let index_path = dir.path().join("index");
    let index = DossierIndex::create_or_open(&index_path).unwrap();
    let mut writer = index.writer().unwrap();
    for record in records {
        writer.upsert(record, "").unwrap();
    }
    writer.commit("test-site").unwrap();
    drop(index);

    let accounts = dir.path().join("users");
    dossiers_web::auth::add_user(&accounts, USER, PASSWORD).unwrap();
    let mut state = AppState::open(ServeOptions {
        index: index_path.clone(),
        accounts,
        originals: Originals::new(
            vec![Source::Folder {
                path: dossiers.clone(),
            }],
            RunLimits::default(),
        ),
        secure_cookies: false,
    })
    .unwrap();
    state.passwords = pool;
    Site {
        dir,
        state: Arc::new(state),
        dossiers,
        index: index_path,
    }
}

/// The attachments added to `gen-0001` in [`site`]: a plan of the workshop as a PNG and the
/// statutes as a one-page PDF, both made here (no binary fixture to keep).
pub const IMAGE_NAME: &str = "plan-atelier.png";
pub const PDF_NAME: &str = "statuts.pdf";

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A 320×200 RGB PNG: a floor plan (walls, three rooms, a door), stored without compression.
pub fn plan_png() -> Vec<u8> {
    let (width, height) = (320usize, 200usize);
    let mut raw = Vec::with_capacity((width * 3 + 1) * height);
    for y in 0..height {
        raw.push(0); // no filter
        for x in 0..width {
            let wall = x < 6 || x >= width - 6 || y < 6 || y >= height - 6;
            let partition = (x / 2 == 60 || x / 2 == 110) && !(80..120).contains(&y);
            let bench = (30..110).contains(&x) && (130..160).contains(&y);
            let door = (140..180).contains(&x) && y >= height - 6;
            let colour: [u8; 3] = if door {
                [255, 255, 255]
            } else if wall || partition {
                [0, 0, 145]
            } else if bench {
                [225, 0, 15]
            } else {
                [235, 235, 250]
            };
            raw.extend_from_slice(&colour);
        }
    }
    // zlib: stored deflate blocks of at most 65,535 bytes, then the Adler-32 of the data.
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&(width as u32).to_be_bytes());
    header.extend_from_slice(&(height as u32).to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut png, b"IHDR", &header);
    png_chunk(&mut png, b"IDAT", &zlib);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// A one-page PDF that says « Statuts de l'association ».
pub fn statutes_pdf() -> Vec<u8> {
    let text = "BT /F1 24 Tf 72 720 Td (Statuts de l'association) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", n + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
