//! What the three readers share once calamine has opened a workbook: the panic guard around
//! calamine calls, the assembly of sheets into a [`Document`] (hidden flags, merged ranges,
//! warnings), workbook properties, and the mapping of calamine's errors onto [`ExtractError`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Dimensions, SheetVisible, WorkbookProperties};
use dossiers_document::{
    Block, Budget, Document, ExtractError, Format, Limits, Metadata, Result, Story, StoryKind,
    WarningCode,
};

use crate::cells::{SheetGrid, range_address};

/// Runs one calamine call, turning a panic inside it into a `corrupt` error: calamine has
/// panicked on crafted input before (formula parsing, CFB asserts) and one bad file must not take
/// the worker down. The default panic hook still prints the message on stderr.
pub(crate) fn guard<T>(what: &str, call: impl FnOnce() -> T) -> Result<T> {
    catch_unwind(AssertUnwindSafe(call))
        .map_err(|_| ExtractError::corrupt(format!("the spreadsheet parser panicked {what}")))
}

/// Refuses inputs over `max_input_bytes` before anything is parsed.
pub(crate) fn check_input_size(bytes: &[u8], limits: &Limits) -> Result<()> {
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(ExtractError::too_large(
            "input size",
            limits.max_input_bytes,
        ));
    }
    Ok(())
}

/// A document being filled sheet by sheet, with the budget that every cell is charged to.
#[derive(Debug)]
pub(crate) struct WorkbookBuilder {
    pub document: Document,
    pub budget: Budget,
}

impl WorkbookBuilder {
    pub(crate) fn new(format: Format, limits: &Limits) -> WorkbookBuilder {
        WorkbookBuilder {
            document: Document::new(format),
            budget: Budget::new(limits),
        }
    }

    /// Adds one sheet as a `sheet` story, kept even when empty so that story `n` is sheet `n`.
    pub(crate) fn add_sheet(
        &mut self,
        name: &str,
        visible: SheetVisible,
        grid: SheetGrid,
        merged: &[Dimensions],
    ) -> Result<()> {
        let hidden = !matches!(visible, SheetVisible::Visible);
        if hidden {
            let how = if matches!(visible, SheetVisible::VeryHidden) {
                "very hidden"
            } else {
                "hidden"
            };
            self.document
                .warn(WarningCode::HiddenSheet, format!("sheet {name:?} is {how}"));
        }
        let (mut table, sparse) = grid.into_table(&mut self.budget)?;
        if sparse {
            self.document.warn(
                WarningCode::Other,
                format!(
                    "sheet {name:?} is too sparse to lay out from A1: only its non-empty rows and cells are kept"
                ),
            );
        }
        table.merged = merged
            .iter()
            .filter(|d| d.start != d.end)
            .map(|d| range_address(d.start, d.end))
            .collect();
        let mut story = Story::named(StoryKind::Sheet, name);
        story.hidden = hidden;
        if !table.rows.is_empty() || !table.merged.is_empty() {
            story.blocks.push(Block::Table(table));
        }
        self.document.stories.push(story);
        self.budget.check_time()
    }

    /// Copies the workbook properties calamine found into the document's metadata; properties
    /// that could not be read are a warning, never a failure.
    pub(crate) fn set_properties<E: std::fmt::Display>(
        &mut self,
        outcome: Result<std::result::Result<WorkbookProperties, E>>,
    ) {
        let properties = match outcome {
            Ok(Ok(properties)) => properties,
            Ok(Err(error)) => {
                self.document.warn(
                    WarningCode::PartSkipped,
                    format!("document properties: {error}"),
                );
                return;
            }
            Err(error) => {
                self.document.warn(
                    WarningCode::PartSkipped,
                    format!("document properties: {error}"),
                );
                return;
            }
        };
        let clean =
            |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        self.document.metadata = Metadata {
            title: clean(properties.title),
            subject: clean(properties.subject),
            author: clean(properties.creator),
            last_modified_by: clean(properties.last_modified_by),
            created: clean(properties.created),
            modified: clean(properties.modified),
            application: clean(properties.application),
            company: clean(properties.company),
            ..Metadata::default()
        };
    }

    /// Attaches what was read so far to an error.
    pub(crate) fn fail(self, error: ExtractError) -> ExtractError {
        error.with_partial(self.document)
    }
}

/// A calamine error as a `corrupt` error that names the part that failed.
pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> ExtractError {
    ExtractError::corrupt(format!("{what}: {error}"))
}
