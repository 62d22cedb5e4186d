//! HTML and MHTML reader tests on the shared corpus and wild files.
//!
//! The corpus is read in place from `../shared` (relative to the crate); when it is
//! absent the tests print a message and pass.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use disclosure_report::document::{Block, Cell, Document, Table};
use disclosure_report::read::{self, Format};
use disclosure_report::Limits;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: {} is absent", p.display());
        None
    }
}

fn bytes(rel: &str) -> Option<Vec<u8>> {
    let path = shared()?.join(rel);
    match std::fs::read(&path) {
        Ok(b) => Some(b),
        Err(e) => {
            println!("skipped: {}: {e}", path.display());
            None
        }
    }
}

fn load(rel: &str) -> Option<read::Loaded> {
    let b = bytes(rel)?;
    Some(read::load(&b, Some(rel), &Limits::default()).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

/// The first table with a cell whose text (white space removed) contains `label`.
fn table_with<'a>(doc: &'a Document, label: &str) -> &'a Table {
    doc.tables()
        .find(|t| t.cells.iter().any(|c| squash(&c.text).contains(label)))
        .unwrap_or_else(|| panic!("no table with {label}"))
}

/// The cell whose text (white space removed) equals `label`.
fn cell<'a>(t: &'a Table, label: &str) -> &'a Cell {
    t.cells
        .iter()
        .find(|c| squash(&c.text) == label)
        .unwrap_or_else(|| panic!("no cell {label}"))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The texts of grid row `row` from column `from` on, as numbers.
fn numbers(t: &Table, row: usize, from: usize) -> Vec<f64> {
    (from..t.cols)
        .map(|c| {
            let cell = t
                .cell_at(row, c)
                .unwrap_or_else(|| panic!("no cell at {row},{c}"));
            cell.text
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("cell {row},{c} is {:?}", cell.text))
        })
        .collect()
}

fn all_text(doc: &Document) -> Vec<&str> {
    fn cells<'a>(t: &'a Table, out: &mut Vec<&'a str>) {
        for c in &t.cells {
            out.push(&c.text);
            for n in &c.nested {
                cells(n, out);
            }
        }
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Paragraph(p) => out.push(p.text.as_str()),
            Block::Table(t) => cells(t, &mut out),
        }
    }
    out
}

/// Asserts the three report tables (表二, 表三, 表四) of the 2021 format (or, with
/// `gov2019`, the 2019 one) have the official merges.
fn assert_report_tables(doc: &Document, name: &str, gov2019: bool) {
    if gov2019 {
        let t2 = table_with(doc, "本年新制作数量");
        assert_eq!((t2.rows, t2.cols), (18, 5), "{name} 表二");
        assert_eq!(cell(t2, "第二十条第（九）项").col_span, 5);
    } else {
        let t2 = table_with(doc, "本年制发件数");
        assert_eq!(t2.cols, 4, "{name} 表二");
        let c = cell(t2, "第二十条第（一）项");
        assert_eq!((c.row_span, c.col_span), (1, 4), "{name} 表二 section row");
        let c = cell(t2, "本年处理决定数量");
        assert_eq!(c.col_span, 3, "{name} 表二 value column");
    }
    let (rows, results) = if gov2019 { (26, 20) } else { (28, 22) };

    let t3 = table_with(doc, "本年新收政府信息公开申请数量");
    assert_eq!((t3.rows, t3.cols), (rows, 10), "{name} 表三 size");
    let c = &t3.cells[0];
    assert_eq!(
        (c.row, c.col, c.row_span, c.col_span),
        (0, 0, 3, 3),
        "{name} 表三 corner"
    );
    let c = cell(t3, "三、本年度办理结果");
    assert_eq!(
        (c.row_span, c.col_span),
        (results, 1),
        "{name} 三、本年度办理结果"
    );
    assert_eq!(cell(t3, "申请人情况").col_span, 7);
    assert_eq!(cell(t3, "法人或其他组织").col_span, 5);
    assert_eq!(cell(t3, "自然人").row_span, 2);
    assert_eq!(cell(t3, "（三）不予公开").row_span, 8);
    assert_eq!(cell(t3, "（五）不予处理").row_span, 5);
    // Every figure of 表三 is a number.
    for row in 3..rows {
        assert_eq!(numbers(t3, row, 3).len(), 7, "{name} 表三 row {row}");
    }

    let t4 = table_with(doc, "未经复议直接起诉");
    assert_eq!((t4.rows, t4.cols), (4, 15), "{name} 表四 size");
    assert_eq!(cell(t4, "行政复议").col_span, 5);
    assert_eq!(cell(t4, "行政诉讼").col_span, 10);
    assert_eq!(cell(t4, "未经复议直接起诉").col, 5);
    assert_eq!(cell(t4, "复议后起诉").col, 10);
    assert_eq!(numbers(t4, 3, 0).len(), 15, "{name} 表四 figures");
}

#[test]
fn html_template_pages() {
    for id in ["006", "018", "021", "029"] {
        let rel = format!("corpus/html-template/{id}.html");
        let Some(loaded) = load(&rel) else { return };
        assert_eq!(loaded.format, Format::Html);
        assert_eq!(loaded.encoding, Some("utf-8"));
        assert_report_tables(&loaded.document, &rel, id == "029");
        // The <title> and the <style> sheet stay out; the body's title is there.
        let texts = all_text(&loaded.document);
        assert!(!texts.iter().any(|t| t.contains("font-family")), "{rel}");
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with("政府信息公开工作年度报告")),
            "{rel}"
        );
    }
}

#[test]
fn html_template_006_figures() {
    let Some(loaded) = load("corpus/html-template/006.html") else {
        return;
    };
    let doc = &loaded.document;
    let t3 = table_with(doc, "本年新收政府信息公开申请数量");
    assert_eq!(numbers(t3, 3, 3), [217.0, 1.0, 0.0, 0.0, 0.0, 0.0, 218.0]);
    let t4 = table_with(doc, "未经复议直接起诉");
    assert_eq!(&numbers(t4, 3, 0)[..5], [2.0, 1.0, 3.0, 1.0, 7.0]);
    assert_eq!(&numbers(t4, 3, 10)[..], [13.0, 2.0, 4.0, 0.0, 19.0]);
}

#[test]
fn real_html_006() {
    let Some(loaded) = load("corpus/real-html/006.html") else {
        return;
    };
    assert_eq!(
        (loaded.format, loaded.encoding),
        (Format::Html, Some("utf-8"))
    );
    let doc = &loaded.document;
    assert_report_tables(doc, "real-html/006", false);
    let t3 = table_with(doc, "本年新收政府信息公开申请数量");
    // Labels split over several <p> in a cell are joined with '\n'.
    assert_eq!(
        t3.cell_at(2, 4).map(|c| c.text.as_str()),
        Some("商业\n企业")
    );
    assert_eq!(
        t3.cell_at(5, 0).map(|c| c.text.as_str()),
        Some("三、本\n年度办\n理结果")
    );
    assert_eq!(numbers(t3, 3, 3), [217.0, 1.0, 0.0, 0.0, 0.0, 0.0, 218.0]);
    let t2 = table_with(doc, "本年制发件数");
    assert_eq!(t2.cell_at(13, 1).map(|c| c.text.as_str()), Some("18651.06"));
    // 表四 labels with <br/>.
    let t4 = table_with(doc, "未经复议直接起诉");
    assert_eq!(
        t4.cell_at(1, 1).map(|c| c.text.as_str()),
        Some("结果\n纠正")
    );
    // Headings keep their text without the trailing &nbsp;.
    assert!(doc.paragraphs().any(|p| p.text == "一、总体情况"));
    assert!(doc
        .paragraphs()
        .any(|p| p.text == "平潭综合实验区2024年度政府信息公开工作年度报告"));
    // The three tables are separate top-level blocks.
    assert_eq!(doc.tables().count(), 3);
}

#[test]
fn real_html_021() {
    let Some(loaded) = load("corpus/real-html/021.html") else {
        return;
    };
    assert_eq!(
        (loaded.format, loaded.encoding),
        (Format::Html, Some("utf-8"))
    );
    let doc = &loaded.document;
    assert_report_tables(doc, "real-html/021", false);
    // 表四 figures padded with &nbsp; and spaces read as plain numbers.
    let t4 = table_with(doc, "未经复议直接起诉");
    assert_eq!(
        numbers(t4, 3, 0),
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    );
    let t3 = table_with(doc, "本年新收政府信息公开申请数量");
    assert_eq!(
        t3.cell_at(2, 4).map(|c| c.text.as_str()),
        Some("商业\n企业")
    );
    // The 39,000-character inline script stays out of the document.
    for text in all_text(doc) {
        for needle in ["gklist", "chnlname", "orgname", "苏平片区管理局", "avalon"] {
            assert!(!text.contains(needle), "script text leaked: {text}");
        }
    }
    let texts = all_text(doc);
    let count = texts
        .iter()
        .filter(|t| t.contains("行政事业性收费"))
        .count();
    assert_eq!(count, 1, "行政事业性收费 only in 表二");
    // The signature, right-aligned with ideographic spaces, is trimmed.
    assert!(doc.paragraphs().any(|p| p.text == "2024年1月5日"));
}

#[test]
fn gb18030_copy_reads_the_same() {
    let Some(original) = bytes("corpus/html-template/006.html") else {
        return;
    };
    let Ok(page) = String::from_utf8(original.clone()) else {
        panic!("html-template/006.html is not UTF-8");
    };
    assert!(page.contains("<meta charset=\"utf-8\">"));
    let gb_page = page.replace(
        "<meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
    );
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&gb_page);
    assert!(!unmappable);
    let limits = Limits::default();
    let a = read::load(&original, Some("a.html"), &limits).unwrap();
    let b = read::load(&gb, Some("a.html"), &limits).unwrap();
    assert_eq!(b.encoding, Some("gb18030"));
    assert_eq!(a.document, b.document);
}

#[test]
fn mhtml_archive_of_a_template_page() {
    let Some(original) = bytes("corpus/html-template/021.html") else {
        return;
    };
    let page = String::from_utf8(original.clone()).unwrap();
    // Word-style archive: GB18030 body in quoted-printable, charset in the part header.
    let (gb, _, _) = encoding_rs::GB18030.encode(&page);
    let mut qp = String::new();
    let mut line = 0;
    for &b in gb.iter() {
        if line > 70 {
            qp.push_str("=\r\n");
            line = 0;
        }
        if b == b'\n' {
            qp.push_str("\r\n");
            line = 0;
        } else if b.is_ascii_graphic() && b != b'=' || b == b' ' {
            qp.push(b as char);
            line += 1;
        } else {
            qp.push_str(&format!("={b:02X}"));
            line += 3;
        }
    }
    let mht = format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01D9\"\r\n\r\n\
         ------=_NextPart_01D9\r\nContent-Location: file:///C:/report.htm\r\n\
         Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\r\n\
         {qp}\r\n------=_NextPart_01D9\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
         ------=_NextPart_01D9--\r\n"
    );
    let limits = Limits::default();
    let a = read::load(&original, Some("a.html"), &limits).unwrap();
    let b = read::load(mht.as_bytes(), Some("report.mht"), &limits).unwrap();
    assert_eq!(b.format, Format::Mhtml);
    assert_eq!(b.encoding, Some("gb18030"));
    assert_eq!(a.document, b.document);
}

#[test]
fn wild_files_never_panic() {
    let Some(root) = shared().map(|s| s.join("wild")) else {
        return;
    };
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    let mut panics = Vec::new();
    for path in &files {
        let Ok(b) = std::fs::read(path) else { continue };
        let name = path.to_string_lossy().into_owned();
        let (tx, rx) = mpsc::channel();
        let job_name = name.clone();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(|| {
                read::read_bytes(&b, Some(&job_name)).map(|d| (d.blocks.len(), d.tables().count()))
            });
            let _ = tx.send(result);
        });
        let outcome = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(Ok((blocks, tables)))) => {
                println!("ok      {name}: {blocks} blocks, {tables} tables");
                "ok".to_string()
            }
            Ok(Ok(Err(e))) => {
                println!("error   {name}: {e}");
                format!("error:{}", e.code())
            }
            Ok(Err(_)) => {
                panics.push(name.clone());
                "panic".to_string()
            }
            Err(_) => {
                panics.push(format!("{name} (timeout)"));
                "timeout".to_string()
            }
        };
        *tally.entry(outcome).or_default() += 1;
    }
    println!("wild HTML/MHTML files: {} {tally:?}", files.len());
    assert!(panics.is_empty(), "panics or timeouts: {panics:?}");
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .is_some_and(|e| matches!(e.as_str(), "html" | "htm" | "mht" | "mhtml" | "xhtml"))
        {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "prints a dump: HTML_DUMP=path cargo test --test html dump -- --ignored --nocapture"]
fn dump() {
    let Ok(path) = std::env::var("HTML_DUMP") else {
        return;
    };
    let b = std::fs::read(&path).unwrap();
    let loaded = read::load(&b, Some(&path), &Limits::default()).unwrap();
    println!("{:?} {:?}", loaded.format, loaded.encoding);
    print!("{}", loaded.document.dump());
}
