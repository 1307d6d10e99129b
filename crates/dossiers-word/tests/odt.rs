//! The odt reader on tiny packages built in memory, one feature per test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{body, paragraph, texts, zip};
use dossiers_document::{
    Block, Cell, Document, Limits, Row, StoryKind, Table, TextOptions, WarningCode, render_text,
};
use dossiers_word::read_odt;

const NAMESPACES: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0""#;

fn content_xml(automatic_styles: &str, text: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NAMESPACES}><office:automatic-styles>{automatic_styles}</office:automatic-styles><office:body><office:text>{text}</office:text></office:body></office:document-content>"#
    )
}

fn odt(text: &str, extra: &[(&str, &str)]) -> Vec<u8> {
    let content = content_xml("", text);
    let mut entries = vec![
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_str()),
    ];
    entries.extend_from_slice(extra);
    zip(&entries)
}

fn read(text: &str) -> Document {
    read_odt(&odt(text, &[]), &Limits::default()).unwrap()
}

fn check(text: &str, expected: &[Block]) {
    assert_eq!(body(&read(text)).blocks, expected, "body of {text}");
}

#[test]
fn paragraphs_and_headings() {
    check(
        r#"<text:h text:outline-level="2">Budget</text:h><text:p>Un <text:span>texte</text:span> suivi.</text:p><text:h>Sans niveau</text:h>"#,
        &[
            Block::Heading {
                level: Some(2),
                text: "Budget".into(),
            },
            paragraph("Un texte suivi."),
            Block::Heading {
                level: None,
                text: "Sans niveau".into(),
            },
        ],
    );
}

#[test]
fn white_space_collapses_and_explicit_spaces_tabs_breaks_stay() {
    check(
        "<text:p>\n  a   b\n<text:s text:c=\"3\"/>c<text:tab/>d<text:line-break/>e <text:s/></text:p>",
        &[paragraph("a b    c\td\ne  ")],
    );
}

#[test]
fn space_counts_are_bounded() {
    let document = read("<text:p>a<text:s text:c=\"999999999\"/>b</text:p>");
    assert_eq!(texts(body(&document))[0].len(), 1024 + 2);
}

#[test]
fn nested_lists_give_levels() {
    check(
        "<text:list><text:list-item><text:number>1.</text:number><text:p>un</text:p>\
         <text:list><text:list-item><text:p>un-a</text:p></text:list-item></text:list></text:list-item>\
         <text:list-item><text:p>deux</text:p></text:list-item></text:list><text:p>après</text:p>",
        &[
            Block::ListItem {
                level: 0,
                text: "un".into(),
                label: None,
            },
            Block::ListItem {
                level: 1,
                text: "un-a".into(),
                label: None,
            },
            Block::ListItem {
                level: 0,
                text: "deux".into(),
                label: None,
            },
            paragraph("après"),
        ],
    );
}

#[test]
fn list_items_get_labels_from_their_list_style() {
    let content = content_xml(
        r#"<text:list-style style:name="L1"><text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"/><text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a" text:display-levels="2"/></text:list-style><text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="–"/></text:list-style>"#,
        r#"<text:list text:style-name="L1"><text:list-item><text:p>Bois</text:p><text:p>suite</text:p><text:list><text:list-item><text:p>menuiserie</text:p></text:list-item><text:list-item><text:p>ébénisterie</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Céramique</text:p></text:list-item></text:list>
        <text:p>Entre deux listes</text:p>
        <text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>Textile</text:p></text:list-item></text:list>
        <text:list text:style-name="L2"><text:list-item><text:p>puce</text:p></text:list-item></text:list>"#,
    );
    let bytes = zip(&[("content.xml", &content)]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        render_text(&document, TextOptions::default()),
        "1. Bois\nsuite\n  1.a) menuiserie\n  1.b) ébénisterie\n2. Céramique\nEntre deux listes\n3. Textile\n– puce\n"
    );
}

#[test]
fn tables_with_covered_and_repeated_cells() {
    check(
        r#"<table:table table:name="T"><table:table-column table:number-columns-repeated="3"/>
        <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Poste</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Montant</text:p><text:p>(HT)</text:p></table:table-cell></table:table-row>
        <table:table-row><table:table-cell><text:p>Tour</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/></table:table-row>
        </table:table>"#,
        &[Block::Table(Table {
            rows: vec![
                Row {
                    cells: vec![
                        Cell::text("Poste"),
                        Cell::text(""),
                        Cell::text("Montant\n(HT)"),
                    ],
                },
                Row {
                    cells: vec![Cell::text("Tour"), Cell::text(""), Cell::text("")],
                },
            ],
            merged: vec!["A1:B1".into()],
        })],
    );
}

#[test]
fn repeated_rows_and_columns_are_bounded() {
    let document = read(
        r#"<table:table><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let Block::Table(table) = &body(&document).blocks[0] else {
        panic!("expected a table");
    };
    assert_eq!(table.rows.len(), 32);
    assert_eq!(table.rows[0].cells.len(), 32);
    assert_eq!(table.rows[31].cells[0].text, "x");
}

#[test]
fn nested_tables_flatten_into_the_cell() {
    check(
        "<table:table><table:table-row><table:table-cell><text:p>dehors</text:p>\
         <table:table><table:table-row><table:table-cell><text:p>dedans</text:p></table:table-cell></table:table-row></table:table>\
         </table:table-cell></table:table-row></table:table>",
        &[Block::Table(Table {
            rows: vec![Row {
                cells: vec![Cell::text("dehors\ndedans")],
            }],
            merged: vec![],
        })],
    );
}

#[test]
fn notes_go_to_their_stories_and_the_citation_is_dropped() {
    let document = read(
        r#"<text:p>Montant<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Toutes taxes comprises.</text:p></text:note-body></text:note> total.<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>Voir annexe.</text:p></text:note-body></text:note></text:p>"#,
    );
    assert_eq!(texts(body(&document)), ["Montant total."]);
    let footnotes = document.stories_of(StoryKind::Footnote).next().unwrap();
    assert_eq!(footnotes.blocks, [paragraph("Toutes taxes comprises.")]);
    let endnotes = document.stories_of(StoryKind::Endnote).next().unwrap();
    assert_eq!(texts(endnotes), ["Voir annexe."]);
}

#[test]
fn annotations_are_comments_without_author_and_date() {
    let document = read(
        r#"<text:p>Surface<office:annotation><dc:creator>Anne</dc:creator><dc:date>2022-01-01T10:00:00</dc:date><text:p>À vérifier</text:p></office:annotation> de 300 m²<office:annotation-end/></text:p>"#,
    );
    assert_eq!(texts(body(&document)), ["Surface de 300 m²"]);
    let comments = document.stories_of(StoryKind::Comment).next().unwrap();
    assert_eq!(texts(comments), ["À vérifier"]);
}

#[test]
fn text_fields_in_paragraphs_are_kept() {
    check(
        r#"<text:p>Fait le <text:date text:date-value="2022-02-01">1er février 2022</text:date>, <text:title>Titre</text:title></text:p>"#,
        &[paragraph("Fait le 1er février 2022, Titre")],
    );
}

#[test]
fn tracked_deletions_are_skipped() {
    check(
        r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>A</dc:creator></office:change-info><text:p>supprimé</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>Reste<text:change text:change-id="c1"/> ici</text:p>"#,
        &[paragraph("Reste ici")],
    );
}

#[test]
fn text_boxes_are_read_inline_without_their_titles() {
    check(
        r#"<text:p>Avant<draw:frame draw:name="Cadre"><svg:title>Titre du cadre</svg:title><svg:desc>Description</svg:desc><draw:text-box><text:p>Dans le cadre</text:p></draw:text-box></draw:frame> après</text:p>"#,
        &[paragraph("Dans le cadre"), paragraph("Avant après")],
    );
}

#[test]
fn index_templates_are_skipped_and_index_bodies_kept() {
    check(
        r#"<text:table-of-content><text:table-of-content-source><text:index-title-template>Sommaire</text:index-title-template></text:table-of-content-source><text:index-body><text:p>1. Porteur<text:tab/>3</text:p></text:index-body></text:table-of-content>"#,
        &[paragraph("1. Porteur\t3")],
    );
}

#[test]
fn paragraph_styles_resolve_to_their_common_parent() {
    let styles = format!(
        r#"<office:document-styles {NAMESPACES}><office:styles>
        <style:style style:name="Standard" style:family="paragraph"/>
        <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>
        <style:style style:name="Titre_20_perso" style:display-name="Titre perso" style:family="paragraph" style:default-outline-level="2"/>
        </office:styles></office:document-styles>"#
    );
    let content = content_xml(
        r#"<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body"/><style:style style:name="P2" style:family="paragraph" style:parent-style-name="Standard"/>"#,
        r#"<text:p text:style-name="P1">corps</text:p><text:p text:style-name="P2">standard</text:p><text:p text:style-name="Titre_20_perso">titre</text:p>"#,
    );
    let bytes = zip(&[("content.xml", &content), ("styles.xml", &styles)]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        body(&document).blocks,
        [
            Block::Paragraph {
                text: "corps".into(),
                style: Some("Text body".into())
            },
            paragraph("standard"),
            Block::Heading {
                level: Some(2),
                text: "titre".into()
            },
        ]
    );
}

#[test]
fn master_page_headers_and_footers_are_stories() {
    let styles = format!(
        r#"<office:document-styles {NAMESPACES}><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>En-tête</text:p></style:header><style:footer-first><text:p>Pied <text:page-number>1</text:page-number></text:p></style:footer-first></style:master-page></office:master-styles></office:document-styles>"#
    );
    let bytes = odt("<text:p>Corps</text:p>", &[("styles.xml", &styles)]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        render_text(&document, TextOptions::default()),
        "Corps\n\n--- header: Standard ---\nEn-tête\n\n--- footer: Standard (first) ---\nPied 1\n"
    );
}

#[test]
fn notes_and_comments_in_headers_do_not_land_in_another_header() {
    let styles = format!(
        r#"<office:document-styles {NAMESPACES}><office:master-styles><style:master-page style:name="A"><style:header><text:p>Un</text:p></style:header><style:footer><text:p>Deux<office:annotation><text:p>Note de pied</text:p></office:annotation></text:p></style:footer></style:master-page><style:master-page style:name="B"><style:header><text:p>Trois</text:p></style:header><style:footer><text:p>Quatre</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
    );
    let bytes = odt("<text:p>Corps</text:p>", &[("styles.xml", &styles)]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    let stories: Vec<(StoryKind, Vec<&str>)> = document
        .stories
        .iter()
        .map(|s| (s.kind, texts(s)))
        .collect();
    assert_eq!(
        stories,
        [
            (StoryKind::Body, vec!["Corps"]),
            (StoryKind::Header, vec!["Un"]),
            (StoryKind::Footer, vec!["Deux"]),
            (StoryKind::Header, vec!["Trois"]),
            (StoryKind::Footer, vec!["Quatre"]),
            (StoryKind::Comment, vec!["Note de pied"]),
        ]
    );
}

#[test]
fn headers_switched_off_are_left_out() {
    let styles = format!(
        r#"<office:document-styles {NAMESPACES}><office:master-styles><style:master-page style:name="Standard"><style:header style:display="false"><text:p>Caché</text:p></style:header><style:footer><text:p>Visible</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
    );
    let bytes = odt("<text:p>Corps</text:p>", &[("styles.xml", &styles)]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    assert_eq!(document.stories_of(StoryKind::Header).count(), 0);
    assert_eq!(
        texts(document.stories_of(StoryKind::Footer).next().unwrap()),
        ["Visible"]
    );
}

#[test]
fn meta_fills_the_metadata() {
    let meta = format!(
        r#"<office:document-meta {NAMESPACES}><office:meta><dc:title>Candidature</dc:title><meta:initial-creator>Anne</meta:initial-creator><meta:creation-date>2022-01-30T02:12:03</meta:creation-date><meta:document-statistic meta:page-count="8" meta:word-count="2200"/></office:meta></office:document-meta>"#
    );
    let bytes = odt("<text:p>x</text:p>", &[("meta.xml", &meta)]);
    let metadata = read_odt(&bytes, &Limits::default()).unwrap().metadata;
    assert_eq!(metadata.title.as_deref(), Some("Candidature"));
    assert_eq!(metadata.author.as_deref(), Some("Anne"));
    assert_eq!(metadata.created.as_deref(), Some("2022-01-30T02:12:03"));
    assert_eq!((metadata.pages, metadata.words), (Some(8), Some(2200)));
}

#[test]
fn an_encrypted_package_is_reported() {
    let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1234"><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="y"/></manifest:encryption-data></manifest:file-entry></manifest:manifest>"#;
    let bytes = zip(&[
        ("META-INF/manifest.xml", manifest),
        ("content.xml", "\u{1}\u{2}garbage"),
    ]);
    assert_eq!(
        read_odt(&bytes, &Limits::default()).unwrap_err().kind(),
        "encrypted"
    );
}

#[test]
fn truncated_content_keeps_the_text_read_so_far() {
    let full = content_xml(
        "",
        "<text:p>Première.</text:p><text:p>Seconde coupée ici</text:p>",
    );
    let cut = full.find("ici").unwrap();
    let bytes = zip(&[("content.xml", &full[..cut])]);
    let document = read_odt(&bytes, &Limits::default()).unwrap();
    assert_eq!(texts(body(&document)), ["Première.", "Seconde coupée "]);
    assert_eq!(document.warnings[0].code, WarningCode::Recovered);
}

#[test]
fn deep_nesting_is_too_large() {
    let deep = format!(
        "{}x{}",
        "<text:span>".repeat(1000),
        "</text:span>".repeat(1000)
    );
    let error = read_odt(
        &odt(
            &format!("<text:p>avant</text:p><text:p>{deep}</text:p>"),
            &[],
        ),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(error.kind(), "too_large");
    assert_eq!(texts(body(error.partial().unwrap())), ["avant"]);
}

#[test]
fn a_missing_content_part_is_corrupt() {
    let bytes = zip(&[("mimetype", "application/vnd.oasis.opendocument.text")]);
    assert_eq!(
        read_odt(&bytes, &Limits::default()).unwrap_err().kind(),
        "corrupt"
    );
}
