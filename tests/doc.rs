//! DOC reader: corpus reports saved as Word 97–2003 by LibreOffice (committed under
//! `testdata/doc/`) against their DOCX originals and expected files, and phrases read by
//! hand from real `.doc` files of the wild set.

mod common;

use common::{mismatches, root, shared};
use disclosure_report::document::Document;
use disclosure_report::read::read_bytes;
use disclosure_report::{parse_path, ErrorKind, Format};
use serde_json::Value;

const IDS: [&str; 3] = ["006", "021", "029"];

fn doc_path(id: &str) -> std::path::PathBuf {
    root().join(format!("testdata/doc/{id}.doc"))
}

fn read_doc(path: &std::path::Path) -> Document {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_bytes(&bytes, Some(&path.to_string_lossy()))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.doc` files give the figures of the expected files of the same reports
/// (committed, so this runs without `../shared`).
#[test]
fn doc_reports_give_the_expected_figures() {
    for id in IDS {
        let report = parse_path(doc_path(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(report.source.format, Format::Doc);
        let want: Value = serde_json::from_slice(
            &std::fs::read(root().join(format!("testdata/expected/{id}-txt-seed.expected.json")))
                .expect("expected file"),
        )
        .expect("json");
        let got = serde_json::to_value(&report).expect("json");
        let bad = mismatches(&got, &want);
        assert!(bad.is_empty(), "{id}:\n{}", bad.join("\n"));
    }
}

/// The `.doc` and the DOCX it was saved from give the same document and the same report.
#[test]
fn doc_equals_its_docx() {
    let Some(dir) = shared("corpus/docx-template") else {
        return;
    };
    for id in IDS {
        let docx = dir.join(format!("{id}.docx"));
        let doc = doc_path(id);
        assert_eq!(
            read_doc(&doc).dump(),
            read_doc(&docx).dump(),
            "{id}: documents differ"
        );
        let a = serde_json::to_value(parse_path(&doc).expect("doc")).expect("json");
        let b = serde_json::to_value(parse_path(&docx).expect("docx")).expect("json");
        for key in [
            "applications",
            "active_disclosure",
            "review_litigation",
            "template",
            "meta",
            "sections",
            "checks",
        ] {
            assert_eq!(a[key], b[key], "{id}: {key} differs");
        }
    }
}

fn wild(path: &str) -> Option<Document> {
    let dir = shared("wild")?;
    Some(read_doc(&dir.join(path)))
}

fn text(d: &Document) -> String {
    let mut s = String::new();
    for b in &d.blocks {
        match b {
            disclosure_report::document::Block::Paragraph(p) => s.push_str(&p.text),
            disclosure_report::document::Block::Table(t) => {
                for c in &t.cells {
                    s.push_str(&c.text);
                    s.push('|');
                }
            }
        }
        s.push('\n');
    }
    s
}

#[test]
fn wild_doc_files_read_their_text() {
    let cases = [
        (
            "node-word-extractor/test11.doc",
            "这是一个用来测试nodejs解析Word文档",
        ),
        (
            "poi/document/o_kurs.doc",
            "МИНИСТЕРСТВО ЭКОНОМИЧЕСКОГО РАЗВИТИЯ",
        ),
        (
            "docling/doc/sources/greek_heading_styles.doc",
            "Überschriften in nicht",
        ),
        (
            "node-word-extractor/bigfile-01.doc",
            "Welcome to BlogCFC, a ColdFusion based blogging application",
        ),
        (
            "poi/document/simple-table.doc",
            "It contains a paragraph, a table consisting of 2 rows and 3 columns",
        ),
        // Main text of embedded objects only: the embedded Word documents are read.
        ("tika/testWPSAttachment.doc", "doc_content"),
        ("tika/testLargeOLEDoc.doc", "This is an embedded file."),
    ];
    for (path, phrase) in cases {
        let Some(d) = wild(path) else { return };
        assert!(text(&d).contains(phrase), "{path}:\n{}", d.dump());
    }
}

#[test]
fn an_empty_doc_is_an_empty_document() {
    let Some(d) = wild("poi/document/empty.doc") else {
        return;
    };
    assert!(d.blocks.is_empty(), "{}", d.dump());
}

#[test]
fn wild_doc_tables_have_rows_and_cells() {
    let Some(d) = wild("poi/document/simple-table.doc") else {
        return;
    };
    let t = d.tables().next().expect("a table");
    assert_eq!((t.rows, t.cols), (2, 3));
    assert_eq!(t.cell_at(0, 0).map(|c| c.text.as_str()), Some("Cell 1,1"));
    assert_eq!(t.cell_at(1, 2).map(|c| c.text.as_str()), Some("Cell 2,3"));
    assert!(d.dump().ends_with("P This text is below the table.\n"));

    // A table nested in a cell stays in that cell.
    let Some(d) = wild("poi/document/innertable.doc") else {
        return;
    };
    let t = d.tables().next().expect("a table");
    assert_eq!((t.rows, t.cols), (3, 3));
    let cell = t.cell_at(1, 1).expect("middle cell");
    assert_eq!(cell.text, "E\nF");
    assert_eq!(cell.nested.len(), 1);
    assert_eq!(
        cell.nested[0].cell_at(1, 1).map(|c| c.text.as_str()),
        Some("4")
    );
    assert_eq!(t.cell_at(2, 2).map(|c| c.text.as_str()), Some("J"));

    // Cells of different widths span the grid columns they cover.
    let Some(d) = wild("poi/document/table-merges.doc") else {
        return;
    };
    let t = d.tables().next().expect("a table");
    let a = t.cell_at(0, 0).expect("A");
    assert_eq!((a.text.as_str(), a.col_span), ("A", 3));
    let k = t.cell_at(3, 0).expect("K");
    assert_eq!((k.text.as_str(), k.col_span), ("K", t.cols));
}

#[test]
fn wild_doc_errors_are_typed() {
    let Some(dir) = shared("wild") else { return };
    let err = |p: &str| {
        let bytes = std::fs::read(dir.join(p)).expect("file");
        read_bytes(&bytes, Some(p)).expect_err(p)
    };
    for p in [
        "poi/document/Word6.doc",
        "poi/document/Word95.doc",
        "poi/document/cn.orthodox.www_divenbog_APRIL_30-APRIL.DOC",
    ] {
        let e = err(p);
        assert!(
            matches!(e.kind(), ErrorKind::UnsupportedFormat { format, .. } if format.contains("Word 6.0/95")),
            "{p}: {e}"
        );
    }
    for p in [
        "poi/document/PasswordProtected.doc",
        "poi/document/password_tika_binaryrc4.doc",
        "poi/document/password_password_cryptoapi.doc",
        "tika/testWORD_protected_drm.doc",
    ] {
        assert_eq!(err(p).code(), "encrypted", "{p}");
    }
    for p in [
        "node-word-extractor/badfile-01-bad-header.doc",
        "poi/document/clusterfuzz-testcase-minimized-POIHWPFFuzzer-4892412469968896.doc",
    ] {
        assert_eq!(err(p).code(), "malformed", "{p}");
    }
}

/// Damaged copies of a real `.doc` (bytes flipped inside its streams, or cut short) give
/// a document or a typed error, never a panic.
#[test]
fn damaged_doc_files_never_panic() {
    let good = std::fs::read(doc_path("021")).expect("021.doc");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300 {
        let mut bytes = good.clone();
        if round % 10 == 9 {
            let cut = (next() as usize) % bytes.len();
            bytes.truncate(cut);
        } else {
            // Leave the compound-file header alone so that the streams get read.
            for _ in 0..1 + round % 8 {
                let at = 512 + (next() as usize) % (bytes.len() - 512);
                bytes[at] = next() as u8;
            }
        }
        let r = std::panic::catch_unwind(|| read_bytes(&bytes, Some("x.doc")));
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => assert!(
                matches!(
                    e.code(),
                    "malformed" | "limit_exceeded" | "unsupported_format" | "encrypted"
                ),
                "round {round}: {e}"
            ),
            Err(_) => panic!("round {round}: panic"),
        }
    }
}

/// The same with bytes changed where the reader looks: the FIB, the table stream (CLX,
/// `PlcfBtePapx`) and the FKP pages at the end of `WordDocument`.
#[test]
fn damaged_doc_structures_never_panic() {
    use std::io::{Cursor, Read, Write};
    let good = std::fs::read(doc_path("029")).expect("029.doc");
    let mut cfb = cfb::CompoundFile::open(Cursor::new(&good[..])).expect("ole");
    let mut streams = Vec::new();
    let names: Vec<String> = cfb
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .collect();
    for name in names {
        let mut buf = Vec::new();
        cfb.open_stream(format!("/{name}"))
            .expect("stream")
            .read_to_end(&mut buf)
            .expect("read");
        streams.push((name, buf));
    }
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for round in 0..300 {
        let mut streams = streams.clone();
        for _ in 0..1 + round % 4 {
            let which = next() % 3;
            for (name, data) in &mut streams {
                let len = data.len();
                let at = match (which, name.as_str()) {
                    (0, "WordDocument") => next() % 1024.min(len),
                    (1, "0Table" | "1Table") => next() % len,
                    (2, "WordDocument") => len - 1 - next() % 2048.min(len),
                    _ => continue,
                };
                data[at] = match next() % 4 {
                    0 => 0,
                    1 => 0xFF,
                    _ => next() as u8,
                };
            }
        }
        let mut out = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
        for (name, data) in &streams {
            out.create_stream(format!("/{name}"))
                .expect("stream")
                .write_all(data)
                .expect("write");
        }
        out.flush().expect("flush");
        let bytes = out.into_inner().into_inner();
        let r = std::panic::catch_unwind(|| read_bytes(&bytes, Some("x.doc")));
        match r {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => assert!(
                matches!(
                    e.code(),
                    "malformed" | "limit_exceeded" | "unsupported_format" | "encrypted"
                ),
                "round {round}: {e}"
            ),
            Err(_) => panic!("round {round}: panic"),
        }
    }
}

/// Tracked changes are accepted: deleted text and a deleted table row are gone, inserted
/// text stays — as the DOCX reader reads the file it was saved from.
#[test]
fn tracked_changes_are_accepted() {
    let doc = read_doc(&root().join("testdata/doc/tracked.doc"));
    let want = "P 保留插入的文字\nT 2x2\n  0,0[1x1]: 甲\n  0,1[1x1]: 乙\n  1,0[1x1]: 丙\n  1,1[1x1]: 丁\nP 表后\n";
    assert_eq!(doc.dump(), want);
    let docx = read_doc(&root().join("testdata/doc/tracked.docx"));
    assert_eq!(docx.dump(), want);
}

/// Symbol-font glyphs are dropped as the DOCX reader drops them; parentheses stay.
#[test]
fn symbol_glyphs_are_dropped_parentheses_kept() {
    let doc = read_doc(&root().join("testdata/doc/sym.doc"));
    assert_eq!(doc.dump(), "P 选项是(括号)\n");
    let docx = read_doc(&root().join("testdata/doc/sym.docx"));
    assert_eq!(docx.dump(), doc.dump());
}
