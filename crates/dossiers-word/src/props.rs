//! Document properties: OOXML `docProps/core.xml` and `docProps/app.xml`, ODF `meta.xml`. They
//! are small flat XML parts, so one generic reader collects the text of each leaf element and
//! the format-specific code only maps names to [`Metadata`] fields. A broken properties part is
//! never fatal: the caller turns an error here into a `part_skipped` warning.

use dossiers_document::xml::{DepthGuard, attr, local, resolve_reference};
use dossiers_document::{Budget, Metadata, Result};
use quick_xml::Reader;
use quick_xml::events::Event;

/// Longest property value kept; properties are short, and a hostile part must not fill memory.
const MAX_VALUE_CHARS: usize = 4096;

/// The text of every leaf element, by local name, in document order. Attributes of empty
/// elements are reported by `on_empty` (ODF puts its statistics there).
pub(crate) fn leaf_texts(
    xml: &str,
    budget: &mut Budget,
    mut on_empty: impl FnMut(&str, &quick_xml::events::BytesStart<'_>),
) -> Result<Vec<(String, String)>> {
    let mut reader = Reader::from_str(xml);
    let mut depth = DepthGuard::new(budget.limits().max_xml_depth);
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    loop {
        budget.tick()?;
        match reader.read_event()? {
            Event::Start(e) => {
                depth.enter()?;
                current = Some((local(e.name().as_ref()).to_owned(), String::new()));
            }
            Event::Empty(e) => on_empty(local(e.name().as_ref()), &e),
            Event::Text(t) => {
                if let Some((_, value)) = current.as_mut()
                    && value.len() < MAX_VALUE_CHARS
                {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, value)) = current.as_mut()
                    && value.len() < MAX_VALUE_CHARS
                {
                    value.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, value)) = current.as_mut()
                    && let Some(text) = resolve_reference(&r)
                {
                    value.push_str(&text);
                }
            }
            Event::End(_) => {
                depth.leave();
                // Only a leaf keeps its text: a parent's `current` was replaced by its child.
                if let Some((name, value)) = current.take() {
                    let value = value.trim();
                    if !value.is_empty() {
                        out.push((name, value.to_owned()));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn set(field: &mut Option<String>, value: &str) {
    if field.is_none() && !value.is_empty() {
        *field = Some(value.to_owned());
    }
}

fn number(value: &str) -> Option<u64> {
    value.trim().parse().ok()
}

/// `docProps/core.xml`.
pub(crate) fn read_core(xml: &str, budget: &mut Budget, metadata: &mut Metadata) -> Result<()> {
    for (name, value) in leaf_texts(xml, budget, |_, _| {})? {
        match name.as_str() {
            "title" => set(&mut metadata.title, &value),
            "subject" => set(&mut metadata.subject, &value),
            "creator" => set(&mut metadata.author, &value),
            "lastModifiedBy" => set(&mut metadata.last_modified_by, &value),
            "created" => set(&mut metadata.created, &value),
            "modified" => set(&mut metadata.modified, &value),
            _ => {}
        }
    }
    Ok(())
}

/// `docProps/app.xml`.
pub(crate) fn read_app(xml: &str, budget: &mut Budget, metadata: &mut Metadata) -> Result<()> {
    for (name, value) in leaf_texts(xml, budget, |_, _| {})? {
        match name.as_str() {
            "Application" => set(&mut metadata.application, &value),
            "Company" => set(&mut metadata.company, &value),
            "Pages" => metadata.pages = metadata.pages.or(number(&value)),
            "Words" => metadata.words = metadata.words.or(number(&value)),
            "Characters" => metadata.characters = metadata.characters.or(number(&value)),
            _ => {}
        }
    }
    Ok(())
}

/// ODF `meta.xml`. The initial creator is the author; `dc:creator` is who saved last.
pub(crate) fn read_odf_meta(xml: &str, budget: &mut Budget, metadata: &mut Metadata) -> Result<()> {
    let mut pages = None;
    let mut words = None;
    let mut characters = None;
    let leaves = leaf_texts(xml, budget, |name, element| {
        if name == "document-statistic" {
            pages = attr(element, "page-count").as_deref().and_then(number);
            words = attr(element, "word-count").as_deref().and_then(number);
            characters = attr(element, "character-count").as_deref().and_then(number);
        }
    })?;
    for (name, value) in leaves {
        match name.as_str() {
            "title" => set(&mut metadata.title, &value),
            "subject" => set(&mut metadata.subject, &value),
            "initial-creator" => set(&mut metadata.author, &value),
            "creator" => set(&mut metadata.last_modified_by, &value),
            "creation-date" => set(&mut metadata.created, &value),
            "date" => set(&mut metadata.modified, &value),
            "generator" => set(&mut metadata.application, &value),
            _ => {}
        }
    }
    metadata.pages = metadata.pages.or(pages);
    metadata.words = metadata.words.or(words);
    metadata.characters = metadata.characters.or(characters);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossiers_document::Limits;

    #[test]
    fn core_and_app_properties_fill_the_metadata() {
        let mut budget = Budget::new(&Limits::default());
        let mut metadata = Metadata::default();
        let core = r#"<cp:coreProperties xmlns:cp="c" xmlns:dc="d" xmlns:dcterms="t">
            <dc:title>Dossier &amp; annexes</dc:title><dc:creator>Léa</dc:creator>
            <cp:lastModifiedBy>Marc</cp:lastModifiedBy>
            <dcterms:created xsi:type="dcterms:W3CDTF">2022-01-10T09:00:00Z</dcterms:created>
            </cp:coreProperties>"#;
        let app = "<Properties><Application>Microsoft Office Word</Application><Pages>3</Pages>\
            <Words>1200</Words><Company>SCIC</Company></Properties>";
        read_core(core, &mut budget, &mut metadata).unwrap();
        read_app(app, &mut budget, &mut metadata).unwrap();
        assert_eq!(metadata.title.as_deref(), Some("Dossier & annexes"));
        assert_eq!(metadata.author.as_deref(), Some("Léa"));
        assert_eq!(metadata.last_modified_by.as_deref(), Some("Marc"));
        assert_eq!(metadata.created.as_deref(), Some("2022-01-10T09:00:00Z"));
        assert_eq!(metadata.pages, Some(3));
        assert_eq!(metadata.words, Some(1200));
        assert_eq!(metadata.company.as_deref(), Some("SCIC"));
    }

    #[test]
    fn odf_meta_reads_statistics_from_attributes() {
        let mut budget = Budget::new(&Limits::default());
        let mut metadata = Metadata::default();
        let meta = r#"<office:document-meta><office:meta>
            <meta:initial-creator>Anne</meta:initial-creator><dc:creator>Paul</dc:creator>
            <meta:generator>LibreOffice/7.3</meta:generator>
            <meta:document-statistic meta:page-count="2" meta:word-count="345" meta:character-count="2100"/>
            </office:meta></office:document-meta>"#;
        read_odf_meta(meta, &mut budget, &mut metadata).unwrap();
        assert_eq!(metadata.author.as_deref(), Some("Anne"));
        assert_eq!(metadata.last_modified_by.as_deref(), Some("Paul"));
        assert_eq!(metadata.application.as_deref(), Some("LibreOffice/7.3"));
        assert_eq!(metadata.pages, Some(2));
        assert_eq!(metadata.words, Some(345));
        assert_eq!(metadata.characters, Some(2100));
    }
}
