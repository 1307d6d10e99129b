//! Normalisation: the extracted files of one dossier become the record of
//! `shared/spec/record.md`.
//!
//! Reviewers judge a dossier on a handful of questions (who applies and where, under which legal
//! model, on which premises, in which territory, with which activities and budget); this crate
//! answers them from the documents the extraction readers produce. The field readers are small
//! pure functions over French text (one module each), driven by the lexicon in
//! `data/lexicon.toml`; when a text does not say, the answer is `unknown` or `None`, never a
//! guess.
//!
//! How a dossier is read ([`normalize_dossier`]):
//!
//! 1. every file of the folder is extracted; readable text documents compete for the
//!    application role by what they contain (topics, form labels), workbooks for the budget role
//!    by the years of figures they give; a file that cannot be read keeps the role its format
//!    suggests and raises `extraction_failed` (`dossier`);
//! 2. the application is segmented into sections mapped to topics, and its labelled fields are
//!    collected ([`application`]);
//! 3. each field is read from the section or field that carries it, with fallbacks to the rest of
//!    the text: [`siret`], [`place`] (postal code → commune → department → region through
//!    `dossiers-geo`), [`legal`], [`land`], [`territory`], [`activities`], [`dates`] (deposit
//!    date and the wave calendar of `data/waves.toml`);
//! 4. the budget comes from the matrix ([`budget`]), every figure citing its cells;
//! 5. flags are derived from the record by the rules of record.md, with French messages.
//!
//! Matching is done on folded text ([`text`]): lowercase, accents removed, apostrophes, quotes,
//! dashes and every kind of space normalised, with a map back to the original for values.
//! Architecture invariant: no reader knows a sample dossier; the words live in the lexicon, the
//! calendar in its data file, and every rule is tested on sentences written for the test.

pub mod activities;
mod amounts;
pub mod application;
pub mod assemble;
pub mod budget;
mod checkboxes;
pub mod dates;
mod dossier;
mod fill;
mod flags;
pub mod land;
pub mod legal;
pub mod lexicon;
mod names;
pub mod numbers;
pub mod place;
pub mod polarity;
pub mod sheet;
pub mod siret;
pub mod territory;
pub mod text;

pub use assemble::{Assembled, DossierFile, DossierInput, assemble, assemble_explained};
pub use dates::Calendar;
pub use dossier::{NormalizeOptions, find_dossiers, normalize_documents, normalize_dossier};
