//! The extracted document: what every reader (`.doc`, `.docx`, `.odt`, `.xls`, `.xlsx`, `.ods`)
//! produces and what the normaliser consumes.
//!
//! A [`Document`] is an ordered list of [`Story`]s (body, headers, footers, notes, comments, text
//! boxes, sheets), each an ordered list of [`Block`]s (heading, paragraph, list item, table). The
//! model is deliberately small and format-neutral so that downstream code never learns which
//! format a dossier came in. The crate also holds what every reader shares: the typed
//! [`ExtractError`], the [`Limits`] and the running [`Budget`] that enforce them, a bounded zip
//! reader ([`zipped::SafeZip`]) and XML helpers ([`xml`]).

pub mod dates;
mod error;
mod limits;
mod model;
mod text;
pub mod xml;
pub mod zipped;

pub use error::{ExtractError, Result};
pub use limits::{Budget, Limits};
pub use model::{
    Block, Cell, CellValue, Document, Format, Metadata, Row, Story, StoryKind, Table, Warning,
    WarningCode, a1_column,
};
pub use text::{TextOptions, render_text};
