//! DOCX layouts the corpus does not show, converted end to end: table 3 split into two
//! Word tables at a page break, table 2 written as four small tables, unmerged grids
//! (as LibreOffice writes tables converted from HTML), labels broken by soft line breaks.
//! Each document is generated from a bundled text sample and must give its figures.

mod common;

use std::io::Write;

use common::{mismatches, root};
use disclosure_report::parse_bytes;

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
fn docx_from_text(
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

fn package(body: &str) -> Vec<u8> {
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

fn sample(id: &str) -> String {
    std::fs::read_to_string(root().join(format!("testdata/samples/{id}-txt-seed.txt")))
        .unwrap()
        .replace("\r\n", "\n")
}

fn assert_figures(bytes: &[u8], id: &str, what: &str) {
    let r = parse_bytes(bytes, Some("layout.docx")).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(r.source.format, disclosure_report::Format::Docx);
    let want: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join(format!("testdata/expected/{id}-txt-seed.expected.json")))
            .unwrap(),
    )
    .unwrap();
    let bad = mismatches(&serde_json::to_value(&r).unwrap(), &want);
    assert!(bad.is_empty(), "{what} {id}:\n{}", bad.join("\n"));
    assert!(
        r.warnings.iter().all(|w| w.code != "duplicate_row"),
        "{what}: {:?}",
        r.warnings
    );
}

#[test]
fn unmerged_grid_tables() {
    for id in ["006", "021"] {
        let bytes = docx_from_text(&sample(id), |_| None, str::to_string);
        assert_figures(&bytes, id, "unmerged grid");
    }
}

#[test]
fn table_three_split_at_a_page_break_with_its_header_repeated() {
    let header = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
    for id in ["006", "021"] {
        let text = sample(id);
        // The second part starts with a repeated header row, as Word repeats tblHeader rows.
        let text = text.replacen(
            "\t\t5.属于三类内部事务信息",
            &format!("{header}\t\t\t申请人情况\n\t\t5.属于三类内部事务信息"),
            1,
        );
        let bytes = docx_from_text(
            &text,
            |line| line.starts_with(header).then_some("— 2 —"),
            str::to_string,
        );
        assert_figures(&bytes, id, "split table 3");
    }
}

#[test]
fn table_two_as_four_small_tables() {
    for id in ["006", "021"] {
        let bytes = docx_from_text(
            &sample(id),
            |line| line.starts_with("第二十条").then_some(""),
            str::to_string,
        );
        assert_figures(&bytes, id, "four small tables");
    }
}

#[test]
fn labels_broken_by_soft_line_breaks() {
    let soft = |f: &str| -> String {
        if f.chars().count() > 8 && !f.chars().all(|c| c.is_ascii_digit()) {
            let mid = f
                .char_indices()
                .nth(f.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            format!("{}|{}", &f[..mid], &f[mid..])
        } else {
            f.to_string()
        }
    };
    for id in ["006", "021"] {
        let bytes = docx_from_text(&sample(id), |_| None, soft);
        assert_figures(&bytes, id, "soft line breaks");
    }
}
