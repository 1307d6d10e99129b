//! The typed failure of a reader. The caller (who knows the file's path) wraps it with the path;
//! readers work on bytes and never see one.

use crate::Document;

/// Why a file gave no (or only partial) text.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The bytes are a format we do not read (PDF, RTF, an image…), named by what was detected.
    #[error("unsupported format: {format}")]
    Unsupported { format: String },
    /// The file is password-protected or encrypted.
    #[error("encrypted: {detail}")]
    Encrypted { detail: String },
    /// The file is damaged. `partial` holds what could be read before the damage, if anything.
    #[error("corrupt: {reason}")]
    Corrupt {
        reason: String,
        partial: Option<Box<Document>>,
    },
    /// A limit was hit: input size, inflated size or ratio, XML depth, pieces, characters, cells or
    /// time. `partial` holds what was read before the limit, if anything.
    #[error("too large: {what} exceeds the limit of {limit}")]
    TooLarge {
        what: &'static str,
        limit: u64,
        partial: Option<Box<Document>>,
    },
    /// Reading the file from disk failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl ExtractError {
    pub fn corrupt(reason: impl Into<String>) -> ExtractError {
        ExtractError::Corrupt {
            reason: reason.into(),
            partial: None,
        }
    }

    pub fn unsupported(format: impl Into<String>) -> ExtractError {
        ExtractError::Unsupported {
            format: format.into(),
        }
    }

    pub fn encrypted(detail: impl Into<String>) -> ExtractError {
        ExtractError::Encrypted {
            detail: detail.into(),
        }
    }

    pub fn too_large(what: &'static str, limit: u64) -> ExtractError {
        ExtractError::TooLarge {
            what,
            limit,
            partial: None,
        }
    }

    /// The stable machine name of the error kind, as used in run reports and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            ExtractError::Unsupported { .. } => "unsupported",
            ExtractError::Encrypted { .. } => "encrypted",
            ExtractError::Corrupt { .. } => "corrupt",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Io(_) => "io",
        }
    }

    /// The text read before the failure, when there is some.
    pub fn partial(&self) -> Option<&Document> {
        match self {
            ExtractError::Corrupt { partial, .. } | ExtractError::TooLarge { partial, .. } => {
                partial.as_deref()
            }
            _ => None,
        }
    }

    /// Attaches what was read so far, keeping it only when it holds some text.
    pub fn with_partial(self, document: Document) -> ExtractError {
        let keep = document.has_text().then(|| Box::new(document));
        match self {
            ExtractError::Corrupt { reason, .. } => ExtractError::Corrupt {
                reason,
                partial: keep,
            },
            ExtractError::TooLarge { what, limit, .. } => ExtractError::TooLarge {
                what,
                limit,
                partial: keep,
            },
            other => other,
        }
    }
}

impl From<zip::result::ZipError> for ExtractError {
    fn from(error: zip::result::ZipError) -> ExtractError {
        match error {
            zip::result::ZipError::Io(io) => ExtractError::corrupt(format!("zip: {io}")),
            zip::result::ZipError::UnsupportedArchive(what) => {
                if what.contains("assword") || what.contains("ncrypt") {
                    ExtractError::encrypted(format!("zip: {what}"))
                } else {
                    ExtractError::corrupt(format!("zip: {what}"))
                }
            }
            other => ExtractError::corrupt(format!("zip: {other}")),
        }
    }
}

impl From<quick_xml::Error> for ExtractError {
    fn from(error: quick_xml::Error) -> ExtractError {
        ExtractError::corrupt(format!("xml: {error}"))
    }
}

pub type Result<T, E = ExtractError> = std::result::Result<T, E>;
