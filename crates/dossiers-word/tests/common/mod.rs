//! Builds tiny packages in memory so that each test states its input in a few lines of XML.

#![allow(dead_code)]

use std::io::Write;

use dossiers_document::{Block, Document, Story, StoryKind};

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip with the given entries, deflated.
pub fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
    zip_with(entries, zip::CompressionMethod::Deflated)
}

/// A zip with the given entries, stored or deflated.
pub fn zip_with(entries: &[(&str, &str)], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut writer = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
    }
    buffer.into_inner()
}

/// A `w:document` around `body`, with the usual prefixes declared.
pub fn document_xml(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>{body}</w:body></w:document>"#
    )
}

/// A minimal docx whose body is `body`, plus extra parts.
pub fn docx(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let document = document_xml(body);
    let mut entries = vec![("word/document.xml", document.as_str())];
    entries.extend_from_slice(extra);
    zip(&entries)
}

pub fn body(document: &Document) -> &Story {
    document
        .stories_of(StoryKind::Body)
        .next()
        .expect("a body story")
}

pub fn texts(story: &Story) -> Vec<&str> {
    story.blocks.iter().filter_map(Block::text).collect()
}

pub fn paragraph(text: &str) -> Block {
    Block::paragraph(text)
}
