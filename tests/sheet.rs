//! Spreadsheet reader: the corpus workbooks (XLSX, and their XLS/ODS conversions), an
//! all-on-one-sheet layout, and every spreadsheet of the shared `wild/` corpus.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use disclosure_report::document::{Block, Cell, Document, Origin, Table};
use disclosure_report::read::read_bytes;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: {} is absent", p.display());
        None
    }
}

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/sheet")
        .join(name)
}

fn read(path: &Path) -> Document {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str());
    read_bytes(&bytes, name).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first table holding a cell whose text contains `label`, and that cell.
fn find<'a>(doc: &'a Document, label: &str) -> (&'a Table, &'a Cell) {
    doc.tables()
        .find_map(|t| {
            t.cells
                .iter()
                .find(|c| c.text.contains(label))
                .map(|c| (t, c))
        })
        .unwrap_or_else(|| panic!("no table cell contains {label:?}\n{}", doc.dump()))
}

/// The text of the cell covering (`row`, `col`) of `t`, naming the place on failure.
fn text_at(t: &Table, row: usize, col: usize) -> &str {
    t.cell_at(row, col)
        .map(|c| c.text.as_str())
        .unwrap_or_else(|| panic!("no cell at {row},{col}"))
}

fn sheet_origin(c: &Cell) -> String {
    match &c.origin {
        o @ Origin::Sheet { .. } => o.to_string(),
        o => panic!("cell {:?} has origin {o:?}", c.text),
    }
}

/// Checks a document read from one of the corpus workbooks (any format).
fn check_corpus_doc(doc: &Document, id: &str, fmt: &str) {
    let ctx = format!("{id}.{fmt}");
    let paras: Vec<&str> = doc.paragraphs().map(|p| p.text.as_str()).collect();
    assert!(
        paras
            .first()
            .is_some_and(|t| t.contains("政府信息公开工作年度报告")),
        "{ctx}: title first, got {:?}",
        paras.first()
    );
    assert!(
        paras.iter().any(|p| p.starts_with("一、")),
        "{ctx}: section heading 一、"
    );
    for n in ["二、", "三、", "四、", "五、", "六、"] {
        assert!(
            paras.iter().any(|p| p.starts_with(n)),
            "{ctx}: section heading {n}"
        );
    }
    // The narrative is paragraphs, never a table of one column.
    assert!(doc.tables().all(|t| t.cols > 1), "{ctx}: one-column table");

    // 表三: the merged row label with its span, at its sheet position, value from top-left.
    let (t3, c) = find(doc, "三、本年度办理结果");
    let span = if id == "029" { 20 } else { 22 };
    assert_eq!(
        (c.row, c.col, c.row_span, c.col_span),
        (5, 0, span, 1),
        "{ctx}: 三、本年度办理结果"
    );
    assert_eq!(sheet_origin(c), "表三!A6", "{ctx}");
    let n = t3
        .cells
        .iter()
        .filter(|x| x.text == "三、本年度办理结果")
        .count();
    assert_eq!(n, 1, "{ctx}: merged label must appear once");
    assert_eq!((t3.rows, t3.cols), (if id == "029" { 26 } else { 28 }, 10));
    // Header merges.
    let (_, c) = find(doc, "申请人情况");
    assert_eq!(
        (c.row, c.col, c.row_span, c.col_span),
        (0, 3, 1, 7),
        "{ctx}"
    );
    let (_, c) = find(doc, "法人或其他组织");
    assert_eq!(
        (c.row, c.col, c.row_span, c.col_span),
        (1, 4, 1, 5),
        "{ctx}"
    );
    // The new-applications row: label merged over A:C, then numbers as written.
    let (t, c) = find(doc, "一、本年新收政府信息公开申请数量");
    assert_eq!((c.col, c.col_span), (0, 3), "{ctx}");
    let expected_new = match id {
        "006" => ["217", "1", "218"],
        "021" => ["19", "0", "19"],
        _ => ["1", "0", "1"],
    };
    let got = [
        text_at(t, c.row, 3),
        text_at(t, c.row, 4),
        text_at(t, c.row, 9),
    ];
    assert_eq!(got, expected_new, "{ctx}: 本年新收 D, E, J");
    let d = t.cell_at(c.row, 3).map(sheet_origin);
    assert_eq!(d.as_deref(), Some("表三!D4"), "{ctx}");

    // 表四: two header levels.
    let (t4, c) = find(doc, "行政诉讼");
    assert_eq!(
        (c.row, c.col, c.row_span, c.col_span),
        (0, 5, 1, 10),
        "{ctx}"
    );
    assert_eq!((t4.rows, t4.cols), (4, 15), "{ctx}");
    let (_, c) = find(doc, "复议后起诉");
    assert_eq!((c.row, c.col, c.col_span), (1, 10, 5), "{ctx}");

    // 表二: a row label and its count; blank positions are cells with empty text.
    let (t2, c) = find(doc, "行政许可");
    assert!(t2.cells.iter().all(|x| x.row_span >= 1 && x.col_span >= 1));
    let covered: usize = t2.cells.iter().map(|x| x.row_span * x.col_span).sum();
    assert_eq!(covered, t2.rows * t2.cols, "{ctx}: 表二 grid fully covered");
    let permit = text_at(t2, c.row, c.col + 1);
    assert!(
        !permit.is_empty() && permit.chars().all(|ch| ch.is_ascii_digit()),
        "{ctx}: 行政许可 count {permit:?}"
    );
    if id == "006" {
        let (_, c) = find(doc, "18651.06");
        assert_eq!(c.text, "18651.06", "{ctx}: decimals as written");
    }
    if id == "021" {
        let (t, c) = find(doc, "通知收取件数");
        assert_eq!((t.rows, t.cols), (2, 3), "{ctx}: fee table on 正文");
        assert_eq!(sheet_origin(c), "正文!A22");
        assert_eq!(text_at(t, 1, 0), "0");
        assert!(
            paras.contains(&"2024年1月23日"),
            "{ctx}: date line after the table"
        );
    }
}

#[test]
fn corpus_xlsx_workbooks() {
    let Some(shared) = shared() else { return };
    for id in ["006", "018", "021", "029"] {
        let path = shared.join(format!("corpus/xlsx-sheets/{id}.xlsx"));
        let doc = read(&path);
        check_corpus_doc(&doc, id, "xlsx");
        assert_eq!(
            doc.tables().count(),
            if id == "021" { 4 } else { 3 },
            "{id}"
        );
    }
}

#[test]
fn xls_and_ods_conversions_read_like_the_xlsx() {
    for id in ["021", "029"] {
        for fmt in ["xls", "ods"] {
            let doc = read(&testdata(&format!("{id}.{fmt}")));
            check_corpus_doc(&doc, id, fmt);
            if let Some(shared) = shared() {
                let xlsx = read(&shared.join(format!("corpus/xlsx-sheets/{id}.xlsx")));
                assert_eq!(doc.dump(), xlsx.dump(), "{id}.{fmt} differs from the xlsx");
                assert_eq!(doc, xlsx, "{id}.{fmt}: origins differ from the xlsx");
            }
        }
    }
}

#[test]
fn all_tables_on_one_sheet() {
    let doc = read(&testdata("one-sheet.xlsx"));
    let kinds: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => format!("P {}", p.text.chars().take(6).collect::<String>()),
            Block::Table(t) => format!("T {}x{}", t.rows, t.cols),
        })
        .collect();
    let tail: Vec<&str> = kinds
        .iter()
        .rev()
        .take(6)
        .rev()
        .map(String::as_str)
        .collect();
    assert_eq!(
        tail,
        [
            "P 二、主动公开",
            "T 14x4",
            "P 三、收到和处",
            "T 28x10",
            "T 5x15",
            "T 1x6"
        ],
        "{}",
        doc.dump()
    );
    assert!(kinds.first().is_some_and(|k| k.starts_with("P 平潭")));
    // 表三 sits at row 44 of the sheet: origins are absolute.
    let (_, c) = find(&doc, "三、本年度办理结果");
    assert_eq!((c.row, c.row_span), (5, 22));
    assert_eq!(sheet_origin(c), "报告!A49");
    // The heading merged across the width directly above 表四 stays its first row.
    let (t4, c) = find(&doc, "四、政府信息公开行政复议与行政诉讼情况");
    assert_eq!((c.row, c.col, c.col_span, t4.cols), (0, 0, 15, 15));
    assert_eq!(text_at(t4, 1, 5), "行政诉讼");
    // Typed values.
    let (t, c) = doc
        .tables()
        .find_map(|t| t.cells.iter().find(|c| c.text == "金额").map(|c| (t, c)))
        .expect("values row");
    let row: Vec<&str> = (0..t.cols).map(|k| text_at(t, c.row, k)).collect();
    assert_eq!(
        row,
        ["金额", "7730.28", "0012", "2024-01-23", "TRUE", "0.3"]
    );
}

// ---------------------------------------------------------------------------------------
// wild/

const SHEET_EXTS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "fods", "xlt", "xltx"];

/// Readable files the reader rejects as malformed because calamine cannot read them:
/// an XLSB whose sheet relationship ids calamine fails to resolve (it panics; the panic
/// is caught), and XLSX packages with UTF-16 XML parts.
const KNOWN_UNREADABLE: &[&str] = &[
    "poi/spreadsheet/Simple.xlsb",
    "phpspreadsheet/Reader/XLSX/utf16be.xlsx",
    "phpspreadsheet/Reader/XLSX/utf16be.bom.xlsx",
];

#[derive(Debug)]
#[allow(dead_code)] // fields are read through Debug
enum Outcome {
    Doc,
    Err(&'static str, String),
    Panic(String),
    Hang,
}

fn run_one(bytes: Vec<u8>, name: String) -> Outcome {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| read_bytes(&bytes, Some(&name)));
        let out = match r {
            Ok(Ok(_)) => Outcome::Doc,
            Ok(Err(e)) => Outcome::Err(e.code(), e.to_string()),
            Err(p) => Outcome::Panic(
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default(),
            ),
        };
        let _ = tx.send(out);
    });
    let limit = if cfg!(debug_assertions) { 10 } else { 3 };
    rx.recv_timeout(Duration::from_secs(limit))
        .unwrap_or(Outcome::Hang)
}

#[test]
fn wild_spreadsheets() {
    let Some(shared) = shared() else { return };
    let wild = shared.join("wild");
    let Ok(manifest) = std::fs::read_to_string(wild.join("MANIFEST.tsv")) else {
        eprintln!("skipped: no wild/MANIFEST.tsv");
        return;
    };
    let mut tally: std::collections::BTreeMap<(String, String), usize> = Default::default();
    let mut problems = Vec::new();
    let mut n = 0;
    for line in manifest.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(path), Some(expected)) = (fields.first(), fields.get(7)) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(wild.join(path)) else {
            continue;
        };
        let ext = path
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let sniffed = disclosure_report::read::sniff(&bytes, Some(path)).ok();
        let is_sheet =
            SHEET_EXTS.contains(&ext.as_str()) || sniffed.is_some_and(|f| f.is_spreadsheet());
        if !is_sheet {
            continue;
        }
        if let Some(f) = sniffed.filter(|f| !f.is_spreadsheet()) {
            // Routed to another reader by its bytes: not this reader's business.
            eprintln!("  (routed as {}) {path}", f.name());
            continue;
        }
        n += 1;
        let out = run_one(bytes, path.to_string());
        if !matches!(out, Outcome::Doc) {
            eprintln!("  {path} [{expected}]: {out:?}");
        }
        let code = match &out {
            Outcome::Doc => "document",
            Outcome::Err(c, _) => c,
            Outcome::Panic(_) => "PANIC",
            Outcome::Hang => "HANG",
        };
        *tally
            .entry((expected.to_string(), code.to_string()))
            .or_default() += 1;
        let ok = match (*expected, &out) {
            (_, Outcome::Panic(_) | Outcome::Hang) => false,
            // A damaged file in a format not read (Excel 5.0/95): saying so is right.
            ("broken", Outcome::Err(c, m)) if *c == "unsupported_format" => m.contains("BIFF"),
            // Known calamine limitations, see KNOWN_UNREADABLE.
            ("readable", Outcome::Err(c, _)) if KNOWN_UNREADABLE.contains(path) => {
                *c == "malformed"
            }
            ("readable", Outcome::Doc) => true,
            ("readable", Outcome::Err(c, _)) => *c == "unsupported_format",
            ("broken", Outcome::Err(c, _)) => *c == "malformed",
            ("broken", Outcome::Doc) => true, // a documented partial result
            ("hostile", Outcome::Doc) => true,
            ("hostile", Outcome::Err(c, _)) => {
                matches!(*c, "limit_exceeded" | "malformed" | "unsupported_format")
            }
            ("encrypted", Outcome::Err(c, _)) => *c == "encrypted",
            ("other-format", Outcome::Err(c, _)) => *c == "unsupported_format",
            _ => false,
        };
        if !ok {
            problems.push(format!("{path} [{expected}]: {out:?}"));
        }
    }
    eprintln!("wild spreadsheets: {n} files");
    for ((expected, code), count) in &tally {
        eprintln!("  {expected:>12} → {code:<20} {count}");
    }
    assert!(
        problems.is_empty(),
        "{} unexpected outcomes:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Limits

#[test]
fn shared_string_count_beyond_the_part_is_refused() {
    let bytes = std::fs::read(testdata("hostile-sst.xlsx")).expect("fixture");
    let e = read_bytes(&bytes, Some("hostile-sst.xlsx")).expect_err("must be refused");
    assert_eq!(e.code(), "malformed", "{e}");
    assert!(e.to_string().contains("sharedStrings.xml"), "{e}");
}

#[test]
fn region_over_the_cell_limit_is_refused_before_allocating() {
    let bytes = std::fs::read(testdata("hostile-wide.xlsx")).expect("fixture");
    let e = read_bytes(&bytes, Some("hostile-wide.xlsx")).expect_err("2000 × 16384 region");
    assert_eq!(e.code(), "limit_exceeded", "{e}");
    let mut limits = disclosure_report::Limits::default();
    limits.max_table_cells = 100;
    let e = disclosure_report::read::load(&bytes, Some("x.xlsx"), &limits).expect_err("limit");
    assert_eq!(e.code(), "limit_exceeded", "{e}");
}

#[test]
fn cell_limit_applies_to_every_format() {
    let mut limits = disclosure_report::Limits::default();
    limits.max_table_cells = 50;
    for name in ["021.xls", "021.ods", "one-sheet.xlsx"] {
        let bytes = std::fs::read(testdata(name)).expect("fixture");
        let e = disclosure_report::read::load(&bytes, Some(name), &limits).expect_err(name);
        assert_eq!(e.code(), "limit_exceeded", "{name}: {e}");
    }
}

#[test]
fn truncated_and_garbled_workbooks_are_errors_not_panics() {
    for name in ["021.xls", "021.ods", "one-sheet.xlsx"] {
        let bytes = std::fs::read(testdata(name)).expect("fixture");
        for cut in [100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
            let r = std::panic::catch_unwind(|| read_bytes(&bytes[..cut], Some(name)));
            assert!(r.is_ok(), "{name} cut at {cut} panicked");
        }
        let mut garbled = bytes.clone();
        for i in (200..garbled.len()).step_by(97) {
            garbled[i] ^= 0x5A;
        }
        let r = std::panic::catch_unwind(|| read_bytes(&garbled, Some(name)));
        assert!(r.is_ok(), "{name} garbled panicked");
    }
}
