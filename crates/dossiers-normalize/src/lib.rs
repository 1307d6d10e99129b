//! Normalisation: the extracted files of one dossier become the record of
//! `shared/spec/record.md`.
//!
//! Reviewers judge a dossier on a handful of questions (who applies and where, under which legal
//! model, on which premises, in which territory, with which activities and budget); this crate
//! answers them from the documents the extraction readers produce. The field readers are small
//! pure functions over French text (one module each), driven by the lexicon in
//! `data/lexicon.toml`; when a text does not say, the answer is `unknown` or `None`, never a
//! guess.

pub mod activities;
pub mod application;
pub mod budget;
pub mod dates;
mod dossier;
pub mod land;
pub mod legal;
pub mod lexicon;
mod names;
pub mod numbers;
pub mod place;
pub mod siret;
pub mod territory;
pub mod text;

pub use dossier::{NormalizeOptions, find_dossiers, normalize_documents, normalize_dossier};
