//! A small DOCX writer for tests: text with tab-separated tables → a Word package.

use std::io::Write;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Text with `|` marking a soft line break becomes runs separated by `<w:br/>`.
fn runs(text: &str) -> String {
    text.split('|')
        .map(|t| format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(t)))
        .collect::<Vec<_>>()
        .join("<w:r><w:br/></w:r>")
}

fn para(text: &str) -> String {
    format!("<w:p>{}</w:p>", runs(text))
}

fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1);
    let mut x = format!(
        "<w:tbl><w:tblPr/><w:tblGrid>{}</w:tblGrid>",
        "<w:gridCol/>".repeat(cols)
    );
    for r in rows {
        x.push_str("<w:tr>");
        for c in r {
            x.push_str(&format!("<w:tc><w:tcPr/>{}</w:tc>", para(c)));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

/// Tab-separated lines → Word tables (every field a cell, empty ones too); other lines
/// → paragraphs. `split_before(line)` starts a new table (after a paragraph in between).
pub fn docx_from_text(
    text: &str,
    split_before: impl Fn(&str) -> Option<&'static str>,
    label: impl Fn(&str) -> String,
) -> Vec<u8> {
    let mut body = String::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        if line.contains('\t') {
            if let Some(between) = split_before(line) {
                if !rows.is_empty() {
                    body.push_str(&table(&rows));
                    rows.clear();
                }
                body.push_str(&para(between));
            }
            rows.push(line.split('\t').map(|f| label(f.trim())).collect());
        } else if !line.trim().is_empty() {
            if !rows.is_empty() {
                body.push_str(&table(&rows));
                rows.clear();
            }
            body.push_str(&para(line.trim()));
        }
    }
    if !rows.is_empty() {
        body.push_str(&table(&rows));
    }
    package(&body)
}

pub fn package(body: &str) -> Vec<u8> {
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>"#)),
    ];
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(name, opts).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}
