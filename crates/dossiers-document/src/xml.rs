//! Small helpers shared by the XML readers (docx, odt): local names, attributes by local name,
//! entity references, and a depth guard. quick-xml expands no DTD entity, so external entities
//! (XXE) and entity bombs are inert by construction; depth is ours to bound.

use quick_xml::events::{BytesRef, BytesStart};

use crate::{ExtractError, Result};

/// The local part of a possibly prefixed name (`w:p` → `p`).
pub fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// The unescaped value of the first attribute whose local name is `name`.
pub fn attr(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|attribute| local(attribute.key.as_ref()) == name)
        .map(|attribute| {
            attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|value| value.into_owned())
                .unwrap_or_else(|_| attribute.value.into_owned())
        })
}

/// The text an entity or character reference stands for: the five predefined entities and
/// numeric references. Anything else (a DTD entity) resolves to nothing.
pub fn resolve_reference(reference: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(ch)) = reference.resolve_char_ref() {
        return Some(ch.to_string());
    }
    quick_xml::escape::resolve_predefined_entity(reference).map(str::to_owned)
}

/// Counts element nesting and fails past the limit.
#[derive(Debug)]
pub struct DepthGuard {
    depth: usize,
    max: usize,
}

impl DepthGuard {
    pub fn new(max: usize) -> DepthGuard {
        DepthGuard { depth: 0, max }
    }

    pub fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.max {
            return Err(ExtractError::too_large("XML depth", self.max as u64));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn depth(&self) -> usize {
        self.depth
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names_drop_the_prefix() {
        assert_eq!(local("w:p"), "p");
        assert_eq!(local("p"), "p");
        assert_eq!(local("text:list-item"), "list-item");
    }

    #[test]
    fn only_predefined_and_numeric_references_resolve() {
        assert_eq!(
            resolve_reference(&BytesRef::new("amp")).as_deref(),
            Some("&")
        );
        assert_eq!(
            resolve_reference(&BytesRef::new("#233")).as_deref(),
            Some("é")
        );
        assert_eq!(
            resolve_reference(&BytesRef::new("#x20AC")).as_deref(),
            Some("€")
        );
        assert_eq!(resolve_reference(&BytesRef::new("xxe")), None);
    }
}
