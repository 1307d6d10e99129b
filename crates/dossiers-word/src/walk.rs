//! The one event loop both XML formats run. It owns what must never differ between them: the
//! depth limit, the budget tick, skipping a whole subtree (deletions, fallbacks, tracked-change
//! regions) and turning malformed or truncated XML into "damage" (the text read so far is kept)
//! rather than an error. A walker only says what each element means.

use dossiers_document::xml::{DepthGuard, local, resolve_reference};
use dossiers_document::{Budget, Result};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// What the loop does with an element's content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Descend,
    /// Ignore everything up to the element's end; its end is not reported either.
    Skip,
}

pub(crate) trait Walker {
    /// An element starts (`empty` for `<x/>`, which gets no [`Walker::end`]).
    fn start(&mut self, element: &BytesStart<'_>, empty: bool, budget: &mut Budget)
    -> Result<Flow>;
    /// A started (non-empty, not skipped) element ends; `name` is its local name.
    fn end(&mut self, name: &str, budget: &mut Budget) -> Result<()>;
    /// Character data or a resolved reference, outside skipped subtrees.
    fn text(&mut self, text: &str, budget: &mut Budget) -> Result<()>;
}

/// Walks `xml` to its end. `Ok(Some(reason))` means the XML is malformed or truncated and the
/// walk stopped there; `Err` is a limit (depth, characters, time), which ends the document.
pub(crate) fn walk(
    xml: &str,
    walker: &mut impl Walker,
    budget: &mut Budget,
) -> Result<Option<String>> {
    let mut reader = Reader::from_str(xml);
    let mut depth = DepthGuard::new(budget.limits().max_xml_depth);
    loop {
        budget.tick()?;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                return Ok(Some(format!(
                    "malformed xml near byte {}: {error}",
                    reader.error_position()
                )));
            }
        };
        match event {
            Event::Start(element) => {
                depth.enter()?;
                if walker.start(&element, false, budget)? == Flow::Skip {
                    // quick-xml skips a subtree faster than we can dispatch its events; it
                    // counts nesting itself, so depth needs no guard in there.
                    let end = element.to_end().into_owned();
                    if let Err(error) = reader.read_to_end(end.name()) {
                        return Ok(Some(format!(
                            "malformed xml near byte {}: {error}",
                            reader.error_position()
                        )));
                    }
                    depth.leave();
                }
            }
            Event::Empty(element) => {
                walker.start(&element, true, budget)?;
            }
            Event::End(element) => {
                depth.leave();
                walker.end(local(element.name().as_ref()), budget)?;
            }
            Event::Text(text) => {
                walker.text(&text.xml10_content(), budget)?;
            }
            Event::CData(text) => {
                walker.text(&text.xml10_content(), budget)?;
            }
            Event::GeneralRef(reference) => {
                // DTD entities (XXE) resolve to nothing and are dropped.
                if let Some(text) = resolve_reference(&reference) {
                    walker.text(&text, budget)?;
                }
            }
            Event::Eof => {
                if depth.depth() > 0 {
                    return Ok(Some(format!(
                        "xml ends inside {} open elements (truncated)",
                        depth.depth()
                    )));
                }
                return Ok(None);
            }
            _ => {}
        }
    }
}
