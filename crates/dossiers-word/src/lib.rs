//! `.docx` and `.odt` readers: a streaming zip + quick-xml walker for each, producing the shared
//! [`Document`] model.
//!
//! Both formats are zip packages of XML parts. The readers never build a DOM: every part is
//! walked once as a stream of events (module `walk`), and a small per-format walker decides what
//! each element means while a shared builder (module `story`) turns paragraphs, tables and text
//! into blocks. Limits are charged as the walk goes, so hostile input ends in a typed error. A
//! zip cut short is salvaged from its local headers (module `package`).

mod docx;
mod numbering;
mod odt;
mod package;
mod parts;
mod props;
mod story;
mod walk;

pub use docx::read_docx;
pub use odt::read_odt;

use dossiers_document::{Budget, Document, ExtractError, Format, Limits, Result};

use crate::package::Package;

/// What .docx and .odt share around their own part reading: the size check, the refusal of an
/// OLE2 file (encrypted OOXML or a legacy binary), the bounded package, and what a package
/// salvaged from its local headers means for the result (corrupt, with what was read).
fn read_zip_package(
    bytes: &[u8],
    limits: &Limits,
    format: Format,
    read_package: fn(&mut Package<'_>, &mut Budget, &mut Document) -> Result<()>,
) -> Result<Document> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::too_large(
            "input size",
            limits.max_input_bytes,
        ));
    }
    if let Some(error) = cfb_error(bytes) {
        return Err(error);
    }
    let mut budget = Budget::new(limits);
    let mut zip = Package::open(bytes, &mut budget)?;
    let mut document = Document::new(format);
    let result = read_package(&mut zip, &mut budget, &mut document);
    match (result, zip.damage()) {
        (Ok(()), None) => Ok(document),
        // A salvaged package is corrupt whatever was read from it: parts may be missing.
        (Ok(()), Some(damage)) => Err(ExtractError::corrupt(damage).with_partial(document)),
        (Err(ExtractError::Corrupt { reason, .. }), Some(damage)) => {
            Err(ExtractError::corrupt(format!("{damage}: {reason}")).with_partial(document))
        }
        (Err(error), _) => Err(error.with_partial(document)),
    }
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A zip-based format handed an OLE2 (CFB) file: an encrypted OOXML package is a CFB file
/// holding `EncryptionInfo` and `EncryptedPackage` streams; anything else in CFB is a legacy
/// binary file we do not read here.
fn cfb_error(bytes: &[u8]) -> Option<ExtractError> {
    if !bytes.starts_with(&CFB_MAGIC) {
        return None;
    }
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let encrypted_package = utf16("EncryptedPackage");
    if bytes
        .windows(encrypted_package.len())
        .any(|window| window == encrypted_package.as_slice())
    {
        Some(ExtractError::encrypted(
            "password-protected OOXML (EncryptedPackage in an OLE2 container)",
        ))
    } else {
        Some(ExtractError::unsupported(
            "OLE2 compound file (a legacy binary Office file, not a zip package)",
        ))
    }
}
